//! The models the demo organization uses and their list prices, so each
//! record's `estimated_cost` is consistent with its token counts.

use crate::model::record::Tokens;

/// A model's price in US cents per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelPrice {
    pub model: &'static str,
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    /// Writing the prompt cache (5-minute TTL): 1.25 × input.
    pub cache_creation: u64,
}

pub const SONNET: ModelPrice = ModelPrice {
    model: "claude-sonnet-4-5-20250929",
    input: 300,
    output: 1_500,
    cache_read: 30,
    cache_creation: 375,
};

pub const OPUS: ModelPrice = ModelPrice {
    model: "claude-opus-4-1-20250805",
    input: 1_500,
    output: 7_500,
    cache_read: 150,
    cache_creation: 1_875,
};

pub const HAIKU: ModelPrice = ModelPrice {
    model: "claude-haiku-4-5-20251001",
    input: 100,
    output: 500,
    cache_read: 10,
    cache_creation: 125,
};

pub const MODELS: [ModelPrice; 3] = [SONNET, OPUS, HAIKU];

/// The price of `model`, if the demo knows it.
pub fn price_of(model: &str) -> Option<&'static ModelPrice> {
    MODELS.iter().find(|p| p.model == model)
}

/// Estimated cost of `tokens` on `price`, in whole cents, rounded half up.
pub fn cost_cents(price: &ModelPrice, tokens: &Tokens) -> u64 {
    let micro_cents = tokens
        .input
        .saturating_mul(price.input)
        .saturating_add(tokens.output.saturating_mul(price.output))
        .saturating_add(tokens.cache_read.saturating_mul(price.cache_read))
        .saturating_add(tokens.cache_creation.saturating_mul(price.cache_creation));
    micro_cents.saturating_add(500_000) / 1_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_follow_list_prices() {
        let tokens = Tokens {
            input: 100_000,
            output: 35_000,
            cache_read: 10_000,
            cache_creation: 5_000,
        };
        // $0.30 + $0.525 + $0.003 + $0.01875 = $0.84675 → 85 cents.
        assert_eq!(cost_cents(&SONNET, &tokens), 85);
        // Five times Sonnet: $4.23375 → 423 cents.
        assert_eq!(cost_cents(&OPUS, &tokens), 423);
        // A third of Sonnet: $0.28225 → 28 cents.
        assert_eq!(cost_cents(&HAIKU, &tokens), 28);
        let one_million = Tokens {
            output: 1_000_000,
            ..Tokens::default()
        };
        assert_eq!(cost_cents(&SONNET, &one_million), 1_500);
        let huge = Tokens {
            input: u64::MAX,
            ..Tokens::default()
        };
        assert_eq!(cost_cents(&OPUS, &huge), u64::MAX / 1_000_000);
    }

    #[test]
    fn lookup() {
        assert_eq!(price_of("claude-opus-4-1-20250805"), Some(&OPUS));
        assert_eq!(price_of("gpt-4"), None);
    }
}
