//! Faults the server injects, chosen per test and per request.

use std::time::Duration;

use chrono::NaiveDate;

/// What goes wrong with a matching request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer normally, but only after this long.
    Latency(Duration),
    /// Answer with this status (429 carries `Retry-After: retry_after_secs`).
    Status {
        status: u16,
        retry_after_secs: Option<u64>,
    },
    /// Close the connection without answering.
    Drop,
    /// Send the head and only the first half of the body, then close: the
    /// connection breaks mid-answer (the browser reports a network error).
    Truncate,
    /// A complete answer whose body is only the first half of the JSON (what a
    /// failing proxy or server may send): the client must report it unreadable.
    TruncatedJson,
    /// Send the right body with `Content-Type: text/plain`.
    WrongContentType,
    /// Send a proxy's HTML error page with status 502.
    HtmlErrorPage,
}

/// Which requests a fault applies to, and how many times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    /// Applies to requests whose path contains this (e.g. `usage_report`, `/v1/me`).
    pub path_contains: String,
    /// Only for this `starting_at` day, when set.
    pub day: Option<NaiveDate>,
    /// How many more requests it applies to; `None` = every one.
    pub remaining: Option<usize>,
    pub fault: Fault,
}

impl FaultRule {
    /// Applies to every usage request.
    pub fn usage(fault: Fault) -> Self {
        FaultRule {
            path_contains: "usage_report".to_owned(),
            day: None,
            remaining: None,
            fault,
        }
    }

    /// Only for the usage request of one day.
    pub fn for_day(mut self, day: NaiveDate) -> Self {
        self.day = Some(day);
        self
    }

    /// Only the next `n` matching requests.
    pub fn times(mut self, n: usize) -> Self {
        self.remaining = Some(n);
        self
    }

    pub(crate) fn matches(&self, path: &str, day: Option<NaiveDate>) -> bool {
        self.remaining != Some(0)
            && path.contains(&self.path_contains)
            && (self.day.is_none() || self.day == day)
    }
}

/// Takes the faults that apply to a request, counting down limited rules.
pub(crate) fn take_matching(
    rules: &mut [FaultRule],
    path: &str,
    day: Option<NaiveDate>,
) -> Vec<Fault> {
    rules
        .iter_mut()
        .filter(|rule| rule.matches(path, day))
        .map(|rule| {
            if let Some(n) = rule.remaining.as_mut() {
                *n -= 1;
            }
            rule.fault.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limited_rules_run_out() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 1);
        let mut rules = vec![
            FaultRule::usage(Fault::Drop).times(1),
            FaultRule::usage(Fault::Truncate).for_day(day.unwrap_or_default()),
        ];
        assert_eq!(
            take_matching(
                &mut rules,
                "/api/v1/organizations/usage_report/claude_code",
                None
            ),
            vec![Fault::Drop]
        );
        assert!(take_matching(
            &mut rules,
            "/api/v1/organizations/usage_report/claude_code",
            None
        )
        .is_empty());
        assert_eq!(
            take_matching(
                &mut rules,
                "/api/v1/organizations/usage_report/claude_code",
                day
            ),
            vec![Fault::Truncate]
        );
        assert!(take_matching(&mut rules, "/api/v1/me", day).is_empty());
    }
}
