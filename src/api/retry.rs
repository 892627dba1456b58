//! When to try a failed request again, and after how long.

use crate::api::error::ApiError;

/// Exponential backoff with a cap; `Retry-After` wins when the server sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, the first one included.
    pub max_attempts: u32,
    pub base_delay_ms: u32,
    pub max_delay_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay_ms: 300,
            max_delay_ms: 5_000,
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` after `error` on attempt
    /// `attempt` (1-based), or `None` when it is time to give up.
    pub fn delay_after(&self, attempt: u32, error: &ApiError) -> Option<u32> {
        if attempt >= self.max_attempts || !error.is_retryable() {
            return None;
        }
        if let ApiError::RateLimited {
            retry_after_secs: Some(secs),
        } = error
        {
            return Some(secs.saturating_mul(1000).min(self.max_delay_ms));
        }
        let factor = 3u32.saturating_pow(attempt.saturating_sub(1));
        Some(
            self.base_delay_ms
                .saturating_mul(factor)
                .min(self.max_delay_ms),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_then_gives_up() {
        let policy = RetryPolicy::default();
        let error = ApiError::Server { status: 500 };
        assert_eq!(policy.delay_after(1, &error), Some(300));
        assert_eq!(policy.delay_after(2, &error), Some(900));
        assert_eq!(policy.delay_after(3, &error), Some(2_700));
        assert_eq!(policy.delay_after(4, &error), None);
    }

    #[test]
    fn honours_retry_after_with_a_cap_and_never_retries_auth() {
        let policy = RetryPolicy::default();
        let limited = ApiError::RateLimited {
            retry_after_secs: Some(2),
        };
        assert_eq!(policy.delay_after(1, &limited), Some(2_000));
        let long = ApiError::RateLimited {
            retry_after_secs: Some(u32::MAX),
        };
        assert_eq!(policy.delay_after(1, &long), Some(5_000));
        assert_eq!(policy.delay_after(1, &ApiError::SignedOut), None);
        assert_eq!(policy.delay_after(1, &ApiError::Forbidden), None);
    }
}
