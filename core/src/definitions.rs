//! Metric definitions shown as tooltips (and on the pages that own them).

pub const LINES: &str = "Lines of code written by Claude Code that users accepted in their sessions. Excludes rejected suggestions; does not track later deletions.";
pub const LINES_REMOVED: &str = "Lines removed by accepted Claude Code edits, shown as context.";
pub const ACCEPT_RATE: &str = "Accepted ÷ (accepted + rejected) suggested edits from the code-editing tools (Edit, MultiEdit, Write, NotebookEdit and any other tool in the data). A day without any decision has no rate.";
pub const ACTIVE_USERS: &str = "Distinct members with Claude Code usage on a day: OAuth users by email and API keys by name. Over a period: distinct members on any day.";
pub const SESSIONS: &str = "Claude Code sessions, summed over all members.";
pub const SPEND: &str = "Estimated cost of the tokens used, from the console's per-model prices. An estimate, not an invoice. Other currencies are shown separately, never added to dollars.";
pub const COMMITS: &str = "Git commits created by Claude Code.";
pub const PULL_REQUESTS: &str = "Pull requests created by Claude Code.";
pub const TEAM: &str = "Every member who used Claude Code in the chosen month (UTC): OAuth users by email address, API-key users by the key's name.";

/// Said by every value figure: what its spend is, and how currencies are kept.
pub const VALUE_ESTIMATE: &str = " Spend is an estimate from the console's per-model prices, not an invoice, so this figure is one too. Each currency is divided on its own, never converted or added to dollars.";
pub const COST_PER_SESSION: &str = "Estimated spend over the range ÷ sessions over the range. No figure when there were no sessions.";
pub const COST_PER_USER_DAY: &str = "Estimated spend over the range ÷ the sum over its days of each day's active users (a member active on 3 days counts 3 times). No figure when nobody was active.";
pub const COST_PER_THOUSAND_LINES: &str = "Estimated spend over the range ÷ lines accepted over the range × 1,000. No figure when no line was accepted.";
pub const COST_PER_COMMIT: &str = "Estimated spend over the range ÷ commits created by Claude Code over the range. All spend counts, also that of sessions without a commit. No figure when there were no commits.";
pub const COST_PER_PULL_REQUEST: &str = "Estimated spend over the range ÷ pull requests created by Claude Code over the range. All spend counts, also that of sessions without a pull request. No figure when there were none.";
