//! A small hand-made organization whose figures are worked out by hand below.
//! The native tests check the aggregation against them, and the browser and
//! end-to-end tests check that the pages show the same numbers.

use chrono::NaiveDate;

use crate::model::name::Name;
use crate::model::tool_actions::ToolActions;

use crate::model::record::{
    Actor, CoreMetrics, Cost, LinesOfCode, ModelUsage, Tokens, ToolAction, UsageRecord,
};

pub const SONNET: &str = "claude-sonnet-4-5-20250929";
pub const OPUS: &str = "claude-opus-4-1-20250805";
pub const HAIKU: &str = "claude-haiku-4-5-20251001";

/// The example record of the data contract (DESIGN.md §2), as the API sends it.
pub const CONTRACT_EXAMPLE: &str = r#"{"date": "2025-09-08T00:00:00Z",
 "actor": {"type": "user_actor", "email_address": "dev@example.com"},
 "organization_id": "dc9f6c26-0000", "customer_type": "api", "subscription_type": null,
 "terminal_type": "vscode",
 "core_metrics": {"num_sessions": 5, "lines_of_code": {"added": 1543, "removed": 892},
                  "commits_by_claude_code": 12, "pull_requests_by_claude_code": 2},
 "tool_actions": {"edit_tool": {"accepted": 45, "rejected": 5},
                  "multi_edit_tool": {"accepted": 12, "rejected": 2},
                  "write_tool": {"accepted": 8, "rejected": 1},
                  "notebook_edit_tool": {"accepted": 3, "rejected": 0}},
 "model_breakdown": [{"model": "claude-sonnet-4-5-20250929",
   "tokens": {"input": 100000, "output": 35000, "cache_read": 10000, "cache_creation": 5000},
   "estimated_cost": {"currency": "USD", "amount": 1025}}]}"#;

/// An OAuth user actor.
pub fn user(email: &str) -> Actor {
    Actor::User {
        email_address: email.into(),
    }
}

/// An API-key actor.
pub fn api_key(name: &str) -> Actor {
    Actor::ApiKey {
        api_key_name: name.into(),
    }
}

/// A record with every count zero, no tool decisions and no models.
pub fn blank_record(date: NaiveDate, actor: Actor) -> UsageRecord {
    UsageRecord {
        date,
        actor,
        organization_id: Some("org-fixture".into()),
        customer_type: Some("api".into()),
        subscription_type: None,
        terminal_type: None,
        core_metrics: CoreMetrics::default(),
        tool_actions: ToolActions::new(),
        model_breakdown: Vec::new(),
    }
}

/// Three actors over three days, 2025-09-08 (Mon) to 2025-09-10 (Wed):
/// alice@example.com (user, vscode, USD), bob@example.com (user, iTerm.app,
/// billed in EUR, uses the unknown tool `apply_patch_tool`) and the API key
/// `ci-bot` (no terminal type, never an accept/reject decision).
///
/// | record       | sess | +lines/−lines | commits/PRs | decisions (acc/rej)           | models: tokens in/out/cache read/cache creation, cost |
/// |--------------|------|---------------|-------------|-------------------------------|-------------------------------------------------------|
/// | 08 alice     | 5    | 100/20        | 2/1         | edit 8/2, write 2/0           | sonnet 1000/500/200/100, USD 150                      |
/// | 08 bob       | 3    | 40/10         | 1/0         | edit 3/1, apply_patch 4/4     | opus 2000/800/0/0, EUR 300                            |
/// | 08 ci-bot    | 1    | 10/0          | 0/0         | —                             | sonnet 500/100/0/0, USD 25                            |
/// | 09 alice     | 4    | 60/30         | 1/1         | edit 5/5, multi 3/1, nb 0/0   | sonnet 800/400/100/50, USD 120; haiku 300/100/0/0, USD 5 |
/// | 09 ci-bot    | 2    | 0/0           | 0/0         | —                             | sonnet 200/50/0/0, USD 10                             |
/// | 10 ci-bot    | 1    | 5/1           | 0/0         | —                             | sonnet 100/20/0/0, USD 3                              |
///
/// Per day (08 / 09 / 10):
/// - lines accepted 150 / 60 / 5 (total 215; removed 30 / 30 / 1, total 61)
/// - sessions 9 / 6 / 1 (16); active users 3 / 2 / 1, distinct over the period 3,
///   average daily active users 2.0
/// - commits 3 / 1 / 0 (4); pull requests 1 / 1 / 0 (2)
/// - decisions 17/7 / 8/6 / none → accept rate 70.83 % (17/24) / 57.14 % (8/14) /
///   no rate (a gap, not 0 %); period 25/13 → 65.79 % (25/38)
/// - per tool on the 8th: Edit 11/3 (78.57 %), Write 2/0 (100 %), apply_patch 4/4
///   (50 %); on the 9th: Edit 5/5 (50 %), MultiEdit 3/1 (75 %), NotebookEdit 0/0 (no rate)
/// - per tool over the period, in display order: Edit 16/8 (66.67 %), MultiEdit 3/1
///   (75 %), Write 2/0 (100 %), NotebookEdit 0/0 (no rate), apply_patch 4/4 (50 %)
/// - spend USD $1.75 / $1.35 / $0.03 (total $3.13) and EUR €3.00 / — / — (total
///   €3.00), never added together
/// - tokens 5,200 / 2,000 / 120 (7,320)
///
/// Per model over the period (most tokens first): sonnet 2600/1070/300/150 = 4,120
/// tokens, USD $3.08; opus 2,800 tokens, EUR €3.00; haiku 400 tokens, USD $0.05.
///
/// Terminals (records, sessions): unknown 3, 4; vscode 2, 9; iTerm.app 1, 3.
///
/// Team, September to date on 2025-09-10 (by USD spend): alice $2.75, 160 lines
/// (−50), 9 sessions, 18/8 → 69.23 %, 3 commits, 2 PRs, 2 active days, last active
/// 09-09; ci-bot $0.38, 15 lines (−1), 4 sessions, no rate, 0 commits, 0 PRs, 3
/// days, last 09-10; bob €3.00 (no USD), 40 lines (−10), 3 sessions, 7/5 → 58.33 %,
/// 1 commit, 0 PRs, 1 day, last 09-08. Projected September USD spend from $3.13 over
/// 10 of 30 days: $9.39.
pub fn small_org_records() -> Vec<UsageRecord> {
    let day = |d| NaiveDate::from_ymd_opt(2025, 9, d).unwrap_or_default();
    let alice = || user("alice@example.com");
    let bob = || user("bob@example.com");
    let bot = || api_key("ci-bot");
    vec![
        record(
            blank_record(day(8), alice()),
            Some("vscode"),
            [5, 100, 20, 2, 1],
            &[("edit_tool", 8, 2), ("write_tool", 2, 0)],
            &[(SONNET, [1000, 500, 200, 100], "USD", 150)],
        ),
        record(
            blank_record(day(8), bob()),
            Some("iTerm.app"),
            [3, 40, 10, 1, 0],
            &[("edit_tool", 3, 1), ("apply_patch_tool", 4, 4)],
            &[(OPUS, [2000, 800, 0, 0], "EUR", 300)],
        ),
        record(
            blank_record(day(8), bot()),
            None,
            [1, 10, 0, 0, 0],
            &[],
            &[(SONNET, [500, 100, 0, 0], "USD", 25)],
        ),
        record(
            blank_record(day(9), alice()),
            Some("vscode"),
            [4, 60, 30, 1, 1],
            &[
                ("edit_tool", 5, 5),
                ("multi_edit_tool", 3, 1),
                ("notebook_edit_tool", 0, 0),
            ],
            &[
                (SONNET, [800, 400, 100, 50], "USD", 120),
                (HAIKU, [300, 100, 0, 0], "USD", 5),
            ],
        ),
        record(
            blank_record(day(9), bot()),
            None,
            [2, 0, 0, 0, 0],
            &[],
            &[(SONNET, [200, 50, 0, 0], "USD", 10)],
        ),
        record(
            blank_record(day(10), bot()),
            None,
            [1, 5, 1, 0, 0],
            &[],
            &[(SONNET, [100, 20, 0, 0], "USD", 3)],
        ),
    ]
}

/// The fixture as a viewer kept off spend receives it: every
/// `estimated_cost` left out (withheld, not zero).
pub fn small_org_records_without_cost() -> Vec<UsageRecord> {
    let mut records = small_org_records();
    for usage in records
        .iter_mut()
        .flat_map(|r| r.model_breakdown.iter_mut())
    {
        usage.estimated_cost = None;
    }
    records
}

type ModelRow<'a> = (&'a str, [u64; 4], &'a str, u64);

/// Fills `base` with `[sessions, added, removed, commits, pull requests]`,
/// tool decisions and model rows.
fn record(
    mut base: UsageRecord,
    terminal: Option<&str>,
    [sessions, added, removed, commits, pull_requests]: [u64; 5],
    tools: &[(&str, u64, u64)],
    models: &[ModelRow<'_>],
) -> UsageRecord {
    base.terminal_type = terminal.map(Name::from);
    base.core_metrics = CoreMetrics {
        num_sessions: sessions,
        lines_of_code: LinesOfCode { added, removed },
        commits_by_claude_code: commits,
        pull_requests_by_claude_code: pull_requests,
    };
    base.tool_actions = tools
        .iter()
        .map(|&(key, accepted, rejected)| (key, ToolAction { accepted, rejected }))
        .collect();
    base.model_breakdown = models
        .iter()
        .map(
            |&(model, [input, output, cache_read, cache_creation], currency, amount)| ModelUsage {
                model: model.into(),
                tokens: Tokens {
                    input,
                    output,
                    cache_read,
                    cache_creation,
                },
                estimated_cost: Some(Cost {
                    currency: currency.into(),
                    amount,
                }),
            },
        )
        .collect();
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_survive_the_wire_format() {
        let records = small_org_records();
        assert_eq!(records.len(), 6);
        let json = serde_json::to_string(&records).unwrap();
        let again: Vec<UsageRecord> = serde_json::from_str(&json).unwrap();
        assert_eq!(again, records);
    }
}
