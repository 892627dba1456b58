//! The sums every view is built from: accept/reject decisions, spend per
//! currency, token counts and the display names of editing tools. All sums
//! saturate, so counts near `u64::MAX` from the API cannot overflow.

use std::borrow::Cow;

use crate::model::order;
use crate::model::record::{Cost, Tokens, ToolAction};
use crate::model::sorted_map::SortedMap;
use crate::model::tool_actions::ToolActions;

/// The currency of the headline spend figures.
pub const USD: &str = "USD";

/// Adds `value` to `total`, stopping at `u64::MAX`.
pub(crate) fn add(total: &mut u64, value: u64) {
    *total = total.saturating_add(value);
}

/// Accepted and rejected suggestions of edits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Decisions {
    pub accepted: u64,
    pub rejected: u64,
}

impl Decisions {
    pub fn new(accepted: u64, rejected: u64) -> Self {
        Decisions { accepted, rejected }
    }

    pub fn total(&self) -> u64 {
        self.accepted.saturating_add(self.rejected)
    }

    /// Accepted ÷ (accepted + rejected), in 0..=1; `None` when there were no
    /// decisions (a gap, never 0%).
    pub fn rate(&self) -> Option<f64> {
        let total = self.accepted as f64 + self.rejected as f64;
        (total > 0.0).then(|| self.accepted as f64 / total)
    }

    pub fn add(&mut self, other: Decisions) {
        add(&mut self.accepted, other.accepted);
        add(&mut self.rejected, other.rejected);
    }
}

impl From<ToolAction> for Decisions {
    fn from(action: ToolAction) -> Self {
        Decisions::new(action.accepted, action.rejected)
    }
}

/// Estimated spend in minor units per currency code. Amounts in different
/// currencies are never added together.
///
/// Spend is *withheld* when some of it came without a cost (a server that
/// keeps spend to some roles leaves `estimated_cost` out for the others):
/// what was summed is then not the spend, so every amount reads as unknown
/// (`None`, nothing to iterate) rather than as a smaller or zero figure.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spend {
    amounts: SortedMap<u64>,
    withheld: bool,
}

impl Spend {
    pub fn new() -> Self {
        Spend::default()
    }

    /// Adds `minor` units of `currency` (code trimmed and upper-cased; an empty
    /// code becomes `XXX`, ISO 4217's "no currency").
    pub fn add(&mut self, currency: &str, minor: u64) {
        let code = normalize_currency(currency);
        add(self.amounts.get_or_insert_with(&code, || 0), minor);
    }

    /// Adds one `model_breakdown` entry's cost; `None` (withheld) makes the
    /// whole spend unknown.
    pub fn add_cost(&mut self, cost: Option<&Cost>) {
        match cost {
            Some(cost) => self.add(&cost.currency, cost.amount),
            None => self.withheld = true,
        }
    }

    /// Marks the spend unknown (some cost was withheld).
    pub fn withhold(&mut self) {
        self.withheld = true;
    }

    /// True when some cost was withheld: no amount is known.
    pub fn is_withheld(&self) -> bool {
        self.withheld
    }

    pub fn merge(&mut self, other: &Spend) {
        for (currency, minor) in other.amounts.iter() {
            self.add(currency, *minor);
        }
        self.withheld |= other.withheld;
    }

    /// Minor units spent in `currency`, `None` if nothing was recorded in it
    /// or the spend is withheld.
    pub fn minor(&self, currency: &str) -> Option<u64> {
        if self.withheld {
            return None;
        }
        self.amounts
            .get(normalize_currency(currency).as_ref())
            .copied()
    }

    /// The amount in `currency`'s major unit (dollars for USD).
    pub fn major(&self, currency: &str) -> Option<f64> {
        self.minor(currency).map(|minor| to_major(currency, minor))
    }

    pub fn usd_minor(&self) -> Option<u64> {
        self.minor(USD)
    }

    /// The USD amount in dollars, `None` if nothing was recorded in USD.
    pub fn usd_dollars(&self) -> Option<f64> {
        self.major(USD)
    }

    /// `(currency, minor units)` in currency-code order; nothing when withheld.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.amounts
            .iter()
            .filter(|_| !self.withheld)
            .map(|(code, minor)| (code, *minor))
    }

    /// The currencies with a known amount; none when withheld.
    pub fn currencies(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(code, _)| code)
    }

    /// True when no spend was recorded at all: none known and none withheld.
    pub fn is_empty(&self) -> bool {
        self.amounts.is_empty() && !self.withheld
    }
}

fn normalize_currency(code: &str) -> Cow<'_, str> {
    let code = code.trim();
    if code.is_empty() {
        Cow::Borrowed("XXX")
    } else if code.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(code.to_ascii_uppercase())
    } else {
        Cow::Borrowed(code)
    }
}

/// Minor units in one major unit of `currency` (ISO 4217 exponents; 100 unless
/// the currency is known to use 0 or 3 decimals).
pub fn minor_per_major(currency: &str) -> u32 {
    const NO_DECIMALS: [&str; 16] = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
        "VUV", "XAF", "XOF",
    ];
    const THREE_DECIMALS: [&str; 7] = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
    let code = normalize_currency(currency);
    if NO_DECIMALS.contains(&code.as_ref()) {
        1
    } else if THREE_DECIMALS.contains(&code.as_ref()) {
        1000
    } else {
        100
    }
}

/// `minor` units of `currency` in its major unit.
pub fn to_major(currency: &str, minor: u64) -> f64 {
    minor as f64 / f64::from(minor_per_major(currency))
}

/// Adds `more` to `total` kind by kind.
pub fn add_tokens(total: &mut Tokens, more: &Tokens) {
    add(&mut total.input, more.input);
    add(&mut total.output, more.output);
    add(&mut total.cache_read, more.cache_read);
    add(&mut total.cache_creation, more.cache_creation);
}

/// All tokens of every kind.
pub fn token_total(tokens: &Tokens) -> u64 {
    tokens
        .input
        .saturating_add(tokens.output)
        .saturating_add(tokens.cache_read)
        .saturating_add(tokens.cache_creation)
}

/// The editing tools the API names, with their display labels, in display order.
pub const KNOWN_TOOLS: [(&str, &str); 4] = [
    ("edit_tool", "Edit"),
    ("multi_edit_tool", "MultiEdit"),
    ("write_tool", "Write"),
    ("notebook_edit_tool", "NotebookEdit"),
];

/// The label of a `tool_actions` key: the known tools by name, any other key
/// without its `_tool` suffix (`apply_patch_tool` → `apply_patch`).
pub fn tool_label(key: &str) -> Cow<'_, str> {
    if let Some((_, label)) = KNOWN_TOOLS.iter().find(|(known, _)| *known == key) {
        return Cow::Borrowed(label);
    }
    match key.strip_suffix("_tool") {
        Some(stem) if !stem.is_empty() => Cow::Borrowed(stem),
        _ if key.is_empty() => Cow::Borrowed("(unnamed tool)"),
        _ => Cow::Borrowed(key),
    }
}

/// Sort key that puts the known tools first, in their order, then the rest by key.
pub fn tool_order(key: &str) -> (usize, &str) {
    let rank = KNOWN_TOOLS
        .iter()
        .position(|(known, _)| *known == key)
        .unwrap_or(KNOWN_TOOLS.len());
    (rank, key)
}

/// One tool's decisions over a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolTotals {
    /// The `tool_actions` key.
    pub key: String,
    pub label: String,
    pub decisions: Decisions,
}

impl ToolTotals {
    /// Per-tool totals in display order (known tools first).
    pub fn from_map(per_tool: &SortedMap<Decisions>) -> Vec<ToolTotals> {
        let mut tools: Vec<ToolTotals> = per_tool
            .iter()
            .map(|(key, decisions)| ToolTotals {
                key: key.to_owned(),
                label: tool_label(key).into_owned(),
                decisions: *decisions,
            })
            .collect();
        order::sort_by(&mut tools, |a, b| {
            tool_order(&a.key).cmp(&tool_order(&b.key))
        });
        tools
    }
}

/// Adds a record's `tool_actions` into a per-tool map and an overall total.
pub(crate) fn add_tool_actions(
    per_tool: &mut SortedMap<Decisions>,
    overall: &mut Decisions,
    actions: &ToolActions,
) {
    for (key, action) in actions {
        let decisions = Decisions::from(*action);
        overall.add(decisions);
        add_tool_decisions(per_tool, key, decisions);
    }
}

/// Adds `decisions` to the entry of tool `key` (allocating only for a new key).
pub(crate) fn add_tool_decisions(
    per_tool: &mut SortedMap<Decisions>,
    key: &str,
    decisions: Decisions,
) {
    per_tool
        .get_or_insert_with(key, Decisions::default)
        .add(decisions);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_is_none_without_decisions() {
        assert_eq!(Decisions::default().rate(), None);
        assert_eq!(Decisions::new(0, 4).rate(), Some(0.0));
        assert_eq!(Decisions::new(3, 1).rate(), Some(0.75));
        let huge = Decisions::new(u64::MAX, u64::MAX);
        assert_eq!(huge.total(), u64::MAX);
        assert_eq!(huge.rate(), Some(0.5));
        let mut sum = huge;
        sum.add(huge);
        assert_eq!(sum, huge);
    }

    #[test]
    fn spend_keeps_currencies_apart() {
        let mut spend = Spend::new();
        spend.add("USD", 150);
        spend.add("usd ", 25);
        spend.add("EUR", 300);
        assert_eq!(spend.usd_minor(), Some(175));
        assert_eq!(spend.usd_dollars(), Some(1.75));
        assert_eq!(spend.minor("eur"), Some(300));
        assert_eq!(spend.minor("GBP"), None);
        assert_eq!(
            spend.iter().collect::<Vec<_>>(),
            vec![("EUR", 300), ("USD", 175)]
        );
        let mut other = Spend::new();
        other.add("JPY", 500);
        other.add("USD", u64::MAX);
        spend.merge(&other);
        assert_eq!(spend.usd_minor(), Some(u64::MAX));
        assert_eq!(spend.major("JPY"), Some(500.0));
        assert_eq!(
            spend.currencies().collect::<Vec<_>>(),
            ["EUR", "JPY", "USD"]
        );
        let mut blank = Spend::new();
        blank.add("", 1);
        assert_eq!(blank.minor("XXX"), Some(1));
        assert!(Spend::new().is_empty() && Spend::new().usd_dollars().is_none());
    }

    #[test]
    fn withheld_spend_is_unknown_not_zero_and_stays_so_when_merged() {
        let mut spend = Spend::new();
        let cost = Cost {
            currency: "USD".into(),
            amount: 150,
        };
        spend.add_cost(Some(&cost));
        assert_eq!(spend.usd_minor(), Some(150));
        spend.add_cost(None);
        assert!(spend.is_withheld());
        assert_eq!(spend.usd_minor(), None);
        assert_eq!(spend.iter().count(), 0);
        assert_eq!(spend.currencies().count(), 0);
        assert!(!spend.is_empty());
        let mut total = Spend::new();
        total.add("EUR", 300);
        total.merge(&spend);
        assert!(total.is_withheld());
        assert_eq!(total.minor("EUR"), None);
        assert!(!Spend::new().is_withheld());
    }

    #[test]
    fn minor_units() {
        assert_eq!(to_major("USD", 1025), 10.25);
        assert_eq!(to_major("KWD", 1500), 1.5);
        assert_eq!(to_major("jpy", 7), 7.0);
    }

    #[test]
    fn tokens_saturate() {
        let mut total = Tokens {
            input: u64::MAX,
            output: 1,
            cache_read: 2,
            cache_creation: 3,
        };
        add_tokens(
            &mut total,
            &Tokens {
                input: 1,
                output: 1,
                cache_read: 1,
                cache_creation: 1,
            },
        );
        assert_eq!(total.input, u64::MAX);
        assert_eq!(total.output, 2);
        assert_eq!(token_total(&total), u64::MAX);
    }

    #[test]
    fn tool_labels_and_order() {
        assert_eq!(tool_label("edit_tool"), "Edit");
        assert_eq!(tool_label("multi_edit_tool"), "MultiEdit");
        assert_eq!(tool_label("write_tool"), "Write");
        assert_eq!(tool_label("notebook_edit_tool"), "NotebookEdit");
        assert_eq!(tool_label("apply_patch_tool"), "apply_patch");
        assert_eq!(tool_label("bash"), "bash");
        assert_eq!(tool_label("_tool"), "_tool");
        assert_eq!(tool_label(""), "(unnamed tool)");
        let mut map = SortedMap::new();
        for key in ["zz_tool", "write_tool", "apply_patch_tool", "edit_tool"] {
            add_tool_decisions(&mut map, key, Decisions::new(1, 0));
        }
        let keys: Vec<_> = ToolTotals::from_map(&map)
            .into_iter()
            .map(|t| t.label)
            .collect();
        assert_eq!(keys, ["Edit", "Write", "apply_patch", "zz"]);
    }
}
