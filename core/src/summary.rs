//! A range's aggregates on the wire: what the server computes from its day
//! cache (with [`aggregate`] and [`actor_totals`], the browser's own code) so
//! that a large organization's dashboard moves one small answer instead of
//! every raw record (DESIGN.md section 10, "Scale").
//!
//! [`Summary`] holds exactly what the pages read from [`Aggregates`] (every
//! per-day figure the charts draw, the period totals of the headline cards,
//! the per-tool, per-model and per-terminal totals) and the per-actor totals
//! of the range (the team table and the top-member lists), and turns back
//! into those two types, equal to computing them from the raw records.
//!
//! # Wire format, version 1
//!
//! One JSON object. Repeated rows are arrays whose columns are listed here;
//! every count is an integer; money is in minor units (cents), per currency,
//! never converted or added across currencies. `model::fixture`'s small
//! organization from 2025-09-08 to 2025-09-10, the 10th having failed:
//!
//! ```json
//! {"v": 1, "from": "2025-09-08", "to": "2025-09-10",
//!  "tools": [["edit_tool", 16, 8], ["multi_edit_tool", 3, 1], ["write_tool", 2, 0],
//!            ["notebook_edit_tool", 0, 0], ["apply_patch_tool", 4, 4]],
//!  "days": [[150, 30, 9, 3, 3, 1, 17, 7, 5200, {"EUR": 300, "USD": 175}, [[4, 4, 4], [0, 11, 3], [2, 2, 0]]],
//!           [60, 30, 6, 2, 1, 1, 8, 6, 2000, {"USD": 135}, [[0, 5, 5], [1, 3, 1], [3, 0, 0]]],
//!           null],
//!  "totals": {"lines_added": 210, "lines_removed": 60, "sessions": 15, "active_users": 3,
//!             "active_user_days": 5, "commits": 4, "pull_requests": 2, "accepted": 25,
//!             "rejected": 13, "tokens": 7200, "spend": {"EUR": 300, "USD": 310}},
//!  "models": [["claude-sonnet-4-5-20250929", 2500, 1050, 300, 150, {"USD": 305}],
//!             ["claude-opus-4-1-20250805", 2000, 800, 0, 0, {"EUR": 300}],
//!             ["claude-haiku-4-5-20251001", 300, 100, 0, 0, {"USD": 5}]],
//!  "terminals": [["unknown", 2, 3], ["vscode", 2, 9], ["iTerm.app", 1, 3]],
//!  "actors": [[0, "alice@example.com", {"USD": 275}, 160, 50, 9, 18, 8, 3, 2, 3550, 2, 1],
//!             [1, "ci-bot", {"USD": 35}, 10, 0, 3, 0, 0, 0, 0, 850, 2, 1],
//!             [0, "bob@example.com", {"EUR": 300}, 40, 10, 3, 7, 5, 1, 0, 2800, 1, 0]],
//!  "failed": [{"day": "2025-09-10", "status": 502,
//!              "message": "the Admin API refused the request for 2025-09-10 (HTTP 404)"}]}
//! ```
//!
//! - `v`: the format version; a decoder refuses any other.
//! - `from`, `to`: the range, both days included (`YYYY-MM-DD`, UTC).
//! - `tools`: `[key, accepted, rejected]` per `tool_actions` key over the
//!   range, in display order (known tools first); days refer to them by index.
//! - `days`: one entry per day of the range, in order: `null` for a day that
//!   did not load (unknown, never zero), else `[lines_added, lines_removed,
//!   sessions, active_users, commits, pull_requests, accepted, rejected,
//!   tokens, spend, tools]`, `tools` being `[tool index, accepted, rejected]`.
//! - `totals`: the period's sums; `active_users` counts distinct actors over
//!   the range, `active_user_days` sums the daily counts.
//! - `models`: `[model, input, output, cache_read, cache_creation, spend]`,
//!   most tokens first.
//! - `terminals`: `[terminal_type, records, sessions]`, most records first
//!   (`unknown` for records without one).
//! - `actors`: `[kind, identity, spend, lines_added, lines_removed, sessions,
//!   accepted, rejected, commits, pull_requests, tokens, days_active,
//!   last_active]`, in the team table's order (USD spend, then lines). `kind`
//!   is `0` for `user_actor` (identity: the email), `1` for `api_actor`
//!   (identity: the key's name), or another actor type's wire name (identity:
//!   its id, or `null`). `last_active` is the day's offset from `from`.
//! - spend: `{currency: minor units}` (`{}` when nothing was spent), or
//!   `null` when the cost was withheld from the viewer: unknown, not zero.
//! - `failed` (absent when empty): days that could not be loaded, each a
//!   `null` day, with the HTTP status and message a day request would have
//!   answered with.

use std::fmt;

use chrono::{Days, NaiveDate};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::model::aggregate::{
    aggregate, AggregateBuilder, Aggregates, DayTotals, ModelTotals, PeriodTotals, TerminalTotals,
};
use crate::model::dates::{DateRange, RangeError};
use crate::model::day_part::DayPart;
use crate::model::record::{Actor, Tokens, UsageRecord};
use crate::model::sorted_map::SortedMap;
use crate::model::team::{actor_totals, ActorTotals, ActorTotalsBuilder};
use crate::model::totals::{tool_label, Decisions, Spend, ToolTotals};

/// The name a server lists in `/v1/me`'s `capabilities` when it answers
/// summaries at `…/usage_report/claude_code/summary`.
pub const CAPABILITY: &str = "summary";

/// Listed beside [`CAPABILITY`] by a server that also sums up one member's
/// records (`…/summary?…&email_address=…` or `&api_key_name=…`).
pub const MEMBER_CAPABILITY: &str = "member_summary";

/// The wire format's version, `v`.
pub const VERSION: u32 = 1;

/// A range's aggregates and per-actor totals, ready for the wire. Built with
/// [`Summary::from_records`], or decoded (and checked) from JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    wire: Wire,
    range: DateRange,
}

/// A day that could not be loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedDay {
    pub day: NaiveDate,
    /// The HTTP status a request for that day alone would have got.
    pub status: u16,
    pub message: String,
}

/// A summary that does not hold together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SummaryError {
    #[error("not a summary: {0}")]
    Json(String),
    #[error("summary format version {0}, this app reads version {VERSION}")]
    Version(u32),
    #[error("summary range: {0}")]
    Range(#[from] RangeError),
    #[error("the summary has {got} days for a range of {expected}")]
    DayCount { got: usize, expected: u32 },
    #[error("summary day {day}: {reason}")]
    Day { day: NaiveDate, reason: String },
    #[error("summary actor {index}: {reason}")]
    Actor { index: usize, reason: String },
    #[error("failed day {day}: {reason}")]
    Failed { day: NaiveDate, reason: String },
}

impl Summary {
    /// Aggregates `range`, asking `day_records` for each day's records
    /// (`None` for a day that did not load), exactly as the browser does.
    pub fn from_records<'a>(
        range: DateRange,
        day_records: impl Fn(NaiveDate) -> Option<&'a [UsageRecord]>,
    ) -> Summary {
        let aggregates = aggregate(range, &day_records);
        let actors = actor_totals(range, range.days().filter_map(&day_records).flatten());
        Summary::from_parts(&aggregates, &actors)
    }

    /// The summary of `range` from its loaded days' [`DayPart`]s (`None`
    /// for a day that did not load), equal to [`Summary::from_records`]
    /// over the records they were made of: a server that keeps a part per
    /// day sums a range up without reading its records again.
    pub fn from_day_parts<'a>(
        range: DateRange,
        day_part: impl Fn(NaiveDate) -> Option<&'a DayPart>,
    ) -> Summary {
        let mut aggregates = AggregateBuilder::new(range);
        let mut actors = ActorTotalsBuilder::new(range);
        for date in range.days() {
            if let Some(part) = day_part(date).filter(|p| p.date() == date) {
                // Each day of the range once, and in it: nothing to refuse.
                let _ = aggregates.add_part(part);
                let _ = actors.add_part(part);
            }
        }
        Summary::from_parts(&aggregates.finish(), actors.sorted())
    }

    /// The summary of what [`aggregate`] and [`actor_totals`] computed for
    /// one range (private: only their own output holds together, one day per
    /// day of the range). A tool a day names that the period's list lacks,
    /// which `aggregate` never produces, would be added to the list.
    fn from_parts<'a>(
        aggregates: &Aggregates,
        actors: impl IntoIterator<Item = &'a ActorTotals>,
    ) -> Summary {
        let range = aggregates.range;
        let mut tools: Vec<ToolRow> = aggregates
            .per_tool
            .iter()
            .map(|t| ToolRow(t.key.clone(), t.decisions.accepted, t.decisions.rejected))
            .collect();
        let days = aggregates
            .days
            .iter()
            .map(|day| day.loaded.then(|| DayRow::new(day, &mut tools)))
            .collect();
        let t = &aggregates.totals;
        let totals = TotalsWire {
            lines_added: t.lines_added,
            lines_removed: t.lines_removed,
            sessions: t.sessions,
            active_users: t.active_users,
            active_user_days: t.active_user_days,
            commits: t.commits,
            pull_requests: t.pull_requests,
            accepted: t.decisions.accepted,
            rejected: t.decisions.rejected,
            tokens: t.tokens,
            spend: WireSpend::of(&t.spend),
        };
        let models = aggregates
            .per_model
            .iter()
            .map(|m| {
                ModelRow(
                    m.model.clone(),
                    m.tokens.input,
                    m.tokens.output,
                    m.tokens.cache_read,
                    m.tokens.cache_creation,
                    WireSpend::of(&m.spend),
                )
            })
            .collect();
        let terminals = aggregates
            .terminals
            .iter()
            .map(|t| TerminalRow(t.terminal.clone(), t.records, t.sessions))
            .collect();
        let actors = actors
            .into_iter()
            .map(|a| ActorRow::new(a, range.start()))
            .collect();
        Summary {
            wire: Wire {
                v: VERSION,
                from: range.start(),
                to: range.end(),
                tools,
                days,
                totals,
                models,
                terminals,
                actors,
                failed: Vec::new(),
            },
            range,
        }
    }

    /// Names the days that failed to load. Only days of the range that did
    /// not load are kept (a loaded day is not a failure), once each, in order.
    pub fn with_failed(mut self, failed: impl IntoIterator<Item = FailedDay>) -> Summary {
        let mut failed: Vec<FailedDay> = failed
            .into_iter()
            .filter(|f| self.is_unloaded(f.day))
            .collect();
        failed.sort_by_key(|f| f.day);
        failed.dedup_by_key(|f| f.day);
        self.wire.failed = failed;
        self
    }

    fn is_unloaded(&self, day: NaiveDate) -> bool {
        day_index(self.range, day)
            .and_then(|i| self.wire.days.get(i))
            .is_some_and(Option::is_none)
    }

    /// Decodes and checks a summary (any other version is refused).
    pub fn decode(json: &str) -> Result<Summary, SummaryError> {
        let wire: Wire = serde_json::from_str(json).map_err(|e| {
            // A message quotes at most a short piece of the input.
            SummaryError::Json(e.to_string().chars().take(200).collect())
        })?;
        Summary::check(wire)
    }

    pub fn range(&self) -> DateRange {
        self.range
    }

    /// Days of the range that did not load and why, in order.
    pub fn failed(&self) -> &[FailedDay] {
        &self.wire.failed
    }

    /// Days that loaded.
    pub fn days_loaded(&self) -> usize {
        self.wire.days.iter().filter(|d| d.is_some()).count()
    }

    /// Actors with usage in the range.
    pub fn actor_count(&self) -> usize {
        self.wire.actors.len()
    }

    /// The aggregates the pages draw, equal to [`aggregate`] over the same
    /// records (a withheld spend carries no amounts on the wire, so it comes
    /// back as withheld with none).
    pub fn aggregates(&self) -> Aggregates {
        let w = &self.wire;
        let days: Vec<DayTotals> = self
            .range
            .days()
            .zip(&w.days)
            .map(|(date, row)| match row {
                None => DayTotals::new(date, false),
                Some(row) => row.to_day(date, &w.tools),
            })
            .collect();
        let days_loaded = days.iter().filter(|d| d.loaded).count();
        let t = &w.totals;
        let totals = PeriodTotals {
            lines_added: t.lines_added,
            lines_removed: t.lines_removed,
            sessions: t.sessions,
            active_users: t.active_users,
            active_user_days: t.active_user_days,
            commits: t.commits,
            pull_requests: t.pull_requests,
            decisions: Decisions::new(t.accepted, t.rejected),
            spend: t.spend.0.clone(),
            tokens: t.tokens,
            days_loaded: u32::try_from(days_loaded).unwrap_or(u32::MAX),
            days_total: self.range.len_days(),
        };
        Aggregates {
            range: self.range,
            days,
            totals,
            per_tool: w
                .tools
                .iter()
                .map(|ToolRow(key, accepted, rejected)| ToolTotals {
                    key: key.clone(),
                    label: tool_label(key).into_owned(),
                    decisions: Decisions::new(*accepted, *rejected),
                })
                .collect(),
            per_model: w
                .models
                .iter()
                .map(
                    |ModelRow(model, input, output, read, creation, spend)| ModelTotals {
                        model: model.clone(),
                        tokens: Tokens {
                            input: *input,
                            output: *output,
                            cache_read: *read,
                            cache_creation: *creation,
                        },
                        spend: spend.0.clone(),
                    },
                )
                .collect(),
            terminals: w
                .terminals
                .iter()
                .map(|TerminalRow(terminal, records, sessions)| TerminalTotals {
                    terminal: terminal.clone(),
                    records: *records,
                    sessions: *sessions,
                })
                .collect(),
        }
    }

    /// The aggregates laid over `range`, which asked for this summary: the
    /// server moves a last day after its today back to it, so the days past
    /// the summary's end are not loaded (unknown, as `aggregate` has them).
    /// A `range` that does not start where the summary does, or ends before
    /// it, is not one the summary answered: its days are all unknown.
    pub fn aggregates_over(&self, range: DateRange) -> Aggregates {
        if range == self.range {
            return self.aggregates();
        }
        if range.start() != self.range.start() || range.end() < self.range.end() {
            return aggregate(range, |_| None);
        }
        let mut aggregates = self.aggregates();
        let known = aggregates.days.len();
        aggregates
            .days
            .extend(range.days().skip(known).map(|d| DayTotals::new(d, false)));
        aggregates.totals.days_total = range.len_days();
        aggregates.range = range;
        aggregates
    }

    /// Per-actor totals over the range, in [`actor_totals`]' order.
    pub fn actor_totals(&self) -> Vec<ActorTotals> {
        let from = self.range.start();
        self.wire.actors.iter().map(|a| a.to_totals(from)).collect()
    }

    /// Checks what serde cannot: the version, the range, one entry per day,
    /// tool indices, actor kinds and days, failed days.
    fn check(wire: Wire) -> Result<Summary, SummaryError> {
        if wire.v != VERSION {
            return Err(SummaryError::Version(wire.v));
        }
        let range = DateRange::new(wire.from, wire.to)?;
        if wire.days.len() != range.len_days() as usize {
            return Err(SummaryError::DayCount {
                got: wire.days.len(),
                expected: range.len_days(),
            });
        }
        for (date, row) in range.days().zip(&wire.days) {
            let Some(row) = row else { continue };
            let mut seen = Vec::with_capacity(row.10.len());
            for ToolEntry(index, _, _) in &row.10 {
                let reason = if *index >= wire.tools.len() {
                    "a tool index beyond the tool list"
                } else if seen.contains(index) {
                    "a tool given twice"
                } else {
                    seen.push(*index);
                    continue;
                };
                return Err(SummaryError::Day {
                    day: date,
                    reason: reason.to_owned(),
                });
            }
        }
        for (index, actor) in wire.actors.iter().enumerate() {
            let bad = |reason: &str| SummaryError::Actor {
                index,
                reason: reason.to_owned(),
            };
            if actor.12 >= range.len_days() {
                return Err(bad("last active after the range"));
            }
            match (&actor.0, &actor.1) {
                (ActorKind::User | ActorKind::ApiKey, None) => {
                    return Err(bad("a user or API key without its identity"))
                }
                (ActorKind::Other(kind), _)
                    if kind == Actor::USER_TYPE || kind == Actor::API_KEY_TYPE =>
                {
                    return Err(bad("a known actor type written out as a name"))
                }
                _ => {}
            }
        }
        let mut previous: Option<NaiveDate> = None;
        for failed in &wire.failed {
            let bad = |reason: &str| SummaryError::Failed {
                day: failed.day,
                reason: reason.to_owned(),
            };
            if previous.is_some_and(|p| p >= failed.day) {
                return Err(bad("failed days out of order or repeated"));
            }
            previous = Some(failed.day);
            match day_index(range, failed.day) {
                None => return Err(bad("outside the range")),
                Some(i) if wire.days[i].is_some() => return Err(bad("the day did load")),
                Some(_) => {}
            }
        }
        Ok(Summary { wire, range })
    }
}

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.wire.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Summary {
    /// Checked like [`Summary::decode`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Summary::check(Wire::deserialize(deserializer)?).map_err(de::Error::custom)
    }
}

/// `day`'s index in `range`.
fn day_index(range: DateRange, day: NaiveDate) -> Option<usize> {
    range
        .contains(day)
        .then(|| usize::try_from((day - range.start()).num_days()).ok())
        .flatten()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Wire {
    v: u32,
    from: NaiveDate,
    to: NaiveDate,
    tools: Vec<ToolRow>,
    days: Vec<Option<DayRow>>,
    totals: TotalsWire,
    models: Vec<ModelRow>,
    terminals: Vec<TerminalRow>,
    actors: Vec<ActorRow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    failed: Vec<FailedDay>,
}

/// `[key, accepted, rejected]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ToolRow(String, u64, u64);

/// `[tool index, accepted, rejected]`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct ToolEntry(usize, u64, u64);

/// `[lines_added, lines_removed, sessions, active_users, commits,
/// pull_requests, accepted, rejected, tokens, spend, tools]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct DayRow(
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    WireSpend,
    Vec<ToolEntry>,
);

impl DayRow {
    fn new(day: &DayTotals, tools: &mut Vec<ToolRow>) -> DayRow {
        let entries = day
            .per_tool
            .iter()
            .map(|(key, decisions)| {
                let index = match tools.iter().position(|t| t.0 == key) {
                    Some(index) => index,
                    None => {
                        tools.push(ToolRow(key.to_owned(), 0, 0));
                        tools.len() - 1
                    }
                };
                ToolEntry(index, decisions.accepted, decisions.rejected)
            })
            .collect();
        DayRow(
            day.lines_added,
            day.lines_removed,
            day.sessions,
            day.active_users,
            day.commits,
            day.pull_requests,
            day.decisions.accepted,
            day.decisions.rejected,
            day.tokens,
            WireSpend::of(&day.spend),
            entries,
        )
    }

    /// The loaded day `date`; tool indices were checked when decoding.
    fn to_day(&self, date: NaiveDate, tools: &[ToolRow]) -> DayTotals {
        let mut per_tool = SortedMap::new();
        for ToolEntry(index, accepted, rejected) in &self.10 {
            if let Some(ToolRow(key, _, _)) = tools.get(*index) {
                *per_tool.get_or_insert_with(key, Decisions::default) =
                    Decisions::new(*accepted, *rejected);
            }
        }
        DayTotals {
            date,
            loaded: true,
            lines_added: self.0,
            lines_removed: self.1,
            sessions: self.2,
            active_users: self.3,
            commits: self.4,
            pull_requests: self.5,
            decisions: Decisions::new(self.6, self.7),
            per_tool,
            spend: self.9 .0.clone(),
            tokens: self.8,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct TotalsWire {
    lines_added: u64,
    lines_removed: u64,
    sessions: u64,
    active_users: u64,
    active_user_days: u64,
    commits: u64,
    pull_requests: u64,
    accepted: u64,
    rejected: u64,
    tokens: u64,
    spend: WireSpend,
}

/// `[model, input, output, cache_read, cache_creation, spend]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ModelRow(String, u64, u64, u64, u64, WireSpend);

/// `[terminal_type, records, sessions]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct TerminalRow(String, u64, u64);

/// `[kind, identity, spend, lines_added, lines_removed, sessions, accepted,
/// rejected, commits, pull_requests, tokens, days_active, last_active]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ActorRow(
    ActorKind,
    Option<String>,
    WireSpend,
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    u32,
    u32,
);

impl ActorRow {
    fn new(t: &ActorTotals, from: NaiveDate) -> ActorRow {
        let (kind, identity) = match &t.actor {
            Actor::User { email_address } => (ActorKind::User, Some(email_address.to_string())),
            Actor::ApiKey { api_key_name } => (ActorKind::ApiKey, Some(api_key_name.to_string())),
            Actor::Other { kind, id } => (ActorKind::Other(kind.clone()), id.clone()),
        };
        let last_active = u32::try_from((t.last_active - from).num_days()).unwrap_or(0);
        ActorRow(
            kind,
            identity,
            WireSpend::of(&t.spend),
            t.lines_added,
            t.lines_removed,
            t.sessions,
            t.decisions.accepted,
            t.decisions.rejected,
            t.commits,
            t.pull_requests,
            t.tokens,
            t.days_active,
            last_active,
        )
    }

    /// The actor's totals; kinds and `last_active` were checked when decoding.
    fn to_totals(&self, from: NaiveDate) -> ActorTotals {
        let identity = self.1.as_deref().unwrap_or_default();
        let actor = match &self.0 {
            ActorKind::User => Actor::User {
                email_address: identity.into(),
            },
            ActorKind::ApiKey => Actor::ApiKey {
                api_key_name: identity.into(),
            },
            ActorKind::Other(kind) => Actor::Other {
                kind: kind.clone(),
                id: self.1.clone(),
            },
        };
        ActorTotals {
            actor,
            spend: self.2 .0.clone(),
            lines_added: self.3,
            lines_removed: self.4,
            sessions: self.5,
            decisions: Decisions::new(self.6, self.7),
            commits: self.8,
            pull_requests: self.9,
            tokens: self.10,
            days_active: self.11,
            last_active: from
                .checked_add_days(Days::new(u64::from(self.12)))
                .unwrap_or(from),
        }
    }
}

/// An actor's kind: `0` (user), `1` (API key) or another type's wire name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ActorKind {
    User,
    ApiKey,
    Other(String),
}

impl Serialize for ActorKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ActorKind::User => serializer.serialize_u8(0),
            ActorKind::ApiKey => serializer.serialize_u8(1),
            ActorKind::Other(kind) => serializer.serialize_str(kind),
        }
    }
}

impl<'de> Deserialize<'de> for ActorKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ActorKindVisitor)
    }
}

struct ActorKindVisitor;

impl Visitor<'_> for ActorKindVisitor {
    type Value = ActorKind;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("0 (user), 1 (API key) or an actor type's name")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ActorKind, E> {
        match v {
            0 => Ok(ActorKind::User),
            1 => Ok(ActorKind::ApiKey),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ActorKind, E> {
        Ok(ActorKind::Other(v.to_owned()))
    }
}

/// A [`Spend`] on the wire: `{currency: minor units}`, or `null` when withheld.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WireSpend(Spend);

impl WireSpend {
    /// `spend` as the wire carries it: a withheld spend without the amounts
    /// summed before its first withheld cost (no accessor shows them, and
    /// they are not the viewer's to see).
    fn of(spend: &Spend) -> WireSpend {
        let mut wire = Spend::new();
        for (currency, minor) in spend.iter() {
            wire.add(currency, minor);
        }
        if spend.is_withheld() {
            wire.withhold();
        }
        WireSpend(wire)
    }
}

impl Serialize for WireSpend {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.is_withheld() {
            return serializer.serialize_none();
        }
        let mut map = serializer.serialize_map(None)?;
        for (currency, minor) in self.0.iter() {
            map.serialize_entry(currency, &minor)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for WireSpend {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(SpendVisitor)
    }
}

struct SpendVisitor;

impl<'de> Visitor<'de> for SpendVisitor {
    type Value = WireSpend;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of currency codes to minor units, or null (withheld)")
    }

    fn visit_none<E: de::Error>(self) -> Result<WireSpend, E> {
        let mut spend = Spend::new();
        spend.withhold();
        Ok(WireSpend(spend))
    }

    fn visit_unit<E: de::Error>(self) -> Result<WireSpend, E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<WireSpend, D::Error> {
        deserializer.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireSpend, A::Error> {
        let mut spend = Spend::new();
        while let Some((currency, minor)) = map.next_entry::<String, u64>()? {
            if spend.minor(&currency).is_some() {
                return Err(de::Error::custom(format_args!(
                    "currency {} given twice",
                    currency.chars().take(8).collect::<String>()
                )));
            }
            spend.add(&currency, minor);
        }
        Ok(WireSpend(spend))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::{small_org_records, small_org_records_without_cost};
    use std::collections::BTreeMap;

    fn d(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, month, day).unwrap()
    }

    fn by_day(records: &[UsageRecord]) -> BTreeMap<NaiveDate, Vec<UsageRecord>> {
        let mut map: BTreeMap<NaiveDate, Vec<UsageRecord>> = BTreeMap::new();
        for record in records {
            map.entry(record.date).or_default().push(record.clone());
        }
        map
    }

    /// The fixture over 09-07 ..= 09-11, the 7th loaded and empty, the 11th
    /// not loaded.
    fn fixture_summary(records: &[UsageRecord]) -> (Summary, Aggregates, Vec<ActorTotals>) {
        let map = by_day(records);
        let empty: Vec<UsageRecord> = Vec::new();
        let range = DateRange::new(d(9, 7), d(9, 11)).unwrap();
        let lookup =
            |day: NaiveDate| (day != d(9, 11)).then(|| map.get(&day).unwrap_or(&empty).as_slice());
        let summary = Summary::from_records(range, lookup);
        let aggregates = aggregate(range, lookup);
        let actors = actor_totals(range, range.days().filter_map(lookup).flatten());
        (summary, aggregates, actors)
    }

    fn round_trip(summary: &Summary) -> Summary {
        Summary::decode(&serde_json::to_string(summary).unwrap()).unwrap()
    }

    #[test]
    fn the_fixture_round_trips_to_what_the_raw_records_give() {
        let (summary, aggregates, actors) = fixture_summary(&small_org_records());
        let decoded = round_trip(&summary);
        assert_eq!(decoded, summary);
        assert_eq!(decoded.aggregates(), aggregates);
        assert_eq!(decoded.actor_totals(), actors);
        assert_eq!(decoded.days_loaded(), 4);
        assert_eq!(decoded.actor_count(), 3);
        let json: serde_json::Value = serde_json::to_value(&summary).unwrap();
        assert_eq!(json["v"], 1);
        assert_eq!(json["days"][4], serde_json::Value::Null);
        assert_eq!(
            json["days"][0],
            serde_json::json!([0, 0, 0, 0, 0, 0, 0, 0, 0, {}, []])
        );
        assert_eq!(
            json["days"][1][9],
            serde_json::json!({"EUR": 300, "USD": 175})
        );
        assert_eq!(
            json["totals"]["spend"],
            serde_json::json!({"EUR": 300, "USD": 313})
        );
        assert_eq!(
            json["actors"][0],
            serde_json::json!([0, "alice@example.com", {"USD": 275}, 160, 50, 9, 18, 8, 3, 2, 3550, 2, 2])
        );
        assert_eq!(json["actors"][1][0], 1);
        assert!(json.get("failed").is_none());
    }

    #[test]
    fn withheld_spend_stays_withheld() {
        let (summary, aggregates, actors) = fixture_summary(&small_org_records_without_cost());
        let text = serde_json::to_string(&summary).unwrap();
        let decoded = Summary::decode(&text).unwrap();
        assert_eq!(decoded.aggregates(), aggregates);
        assert_eq!(decoded.actor_totals(), actors);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["totals"]["spend"], serde_json::Value::Null);
        // The empty 7th had nothing to withhold: its $0 is real.
        assert_eq!(json["days"][0][9], serde_json::json!({}));
        assert_eq!(json["days"][1][9], serde_json::Value::Null);
        assert!(decoded.aggregates().totals.spend.is_withheld());
        assert!(decoded
            .actor_totals()
            .iter()
            .all(|a| a.spend.usd_minor().is_none()));
    }

    #[test]
    fn a_spend_withheld_after_some_costs_equals_itself_after_a_round_trip() {
        // One cost known, the next withheld: the raw spend still holds the
        // known amount, unseen; the wire carries none of it.
        let mut records = small_org_records();
        records[3].model_breakdown[1].estimated_cost = None;
        let (summary, aggregates, actors) = fixture_summary(&records);
        let decoded = round_trip(&summary);
        assert_eq!(decoded, summary);
        let day = &decoded.aggregates().days[2];
        assert!(day.spend.is_withheld() && day.spend.iter().next().is_none());
        assert_eq!(
            day.spend_major("USD"),
            aggregates.days[2].spend_major("USD")
        );
        assert_eq!(day.spend_major("USD"), None);
        // Alice is unpriced now, so she sorts after ci-bot, as in the raw path.
        let decoded_actors = decoded.actor_totals();
        let order = |a: &[ActorTotals]| a.iter().map(|t| t.actor.clone()).collect::<Vec<_>>();
        assert_eq!(order(&decoded_actors), order(&actors));
        let alice = decoded_actors
            .iter()
            .find(|t| t.actor.identity() == "alice@example.com")
            .unwrap();
        assert!(alice.spend.is_withheld() && alice.spend.usd_minor().is_none());
        assert_eq!(alice.lines_added, 160);
        let json = serde_json::to_value(&summary).unwrap();
        assert_eq!(json["days"][2][9], serde_json::Value::Null);
        assert_eq!(json["totals"]["spend"], serde_json::Value::Null);
    }

    #[test]
    fn failed_days_are_named_once_and_only_if_they_did_not_load() {
        let (summary, _, _) = fixture_summary(&small_org_records());
        let failure = |day| FailedDay {
            day,
            status: 502,
            message: format!("the Admin API failed for {day}: HTTP 500"),
        };
        let summary = summary.with_failed([
            failure(d(9, 11)),
            failure(d(9, 8)),
            failure(d(9, 11)),
            failure(d(10, 1)),
        ]);
        assert_eq!(summary.failed(), [failure(d(9, 11))]);
        let decoded = round_trip(&summary);
        assert_eq!(decoded.failed(), [failure(d(9, 11))]);
    }

    #[test]
    fn a_summary_that_does_not_hold_together_is_refused() {
        let (summary, _, _) = fixture_summary(&small_org_records());
        let good: serde_json::Value = serde_json::to_value(&summary).unwrap();
        let refused = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut json = good.clone();
            edit(&mut json);
            Summary::decode(&json.to_string()).unwrap_err()
        };
        assert_eq!(refused(&|j| j["v"] = 2.into()), SummaryError::Version(2));
        assert!(matches!(
            refused(&|j| j["to"] = "2025-09-01".into()),
            SummaryError::Range(_)
        ));
        assert!(matches!(
            refused(&|j| {
                j["days"].as_array_mut().unwrap().pop();
            }),
            SummaryError::DayCount {
                got: 4,
                expected: 5
            }
        ));
        assert!(matches!(
            refused(&|j| j["days"][1][10][0][0] = 99.into()),
            SummaryError::Day { .. }
        ));
        assert!(matches!(
            refused(&|j| j["days"][1][10][1][0] = j["days"][1][10][0][0].clone()),
            SummaryError::Day { .. }
        ));
        assert!(matches!(
            refused(&|j| j["actors"][0][12] = 5.into()),
            SummaryError::Actor { .. }
        ));
        assert!(matches!(
            refused(&|j| j["actors"][0][1] = serde_json::Value::Null),
            SummaryError::Actor { .. }
        ));
        assert!(matches!(
            refused(&|j| j["actors"][0][0] = "user_actor".into()),
            SummaryError::Actor { .. }
        ));
        assert!(matches!(
            refused(&|j| j["actors"][0][0] = 2.into()),
            SummaryError::Json(_)
        ));
        assert!(matches!(
            refused(&|j| j["days"][1][0] = (-1).into()),
            SummaryError::Json(_)
        ));
        assert!(matches!(
            refused(&|j| j["failed"] =
                serde_json::json!([{"day": "2025-09-08", "status": 502, "message": "x"}])),
            SummaryError::Failed { .. }
        ));
        assert!(matches!(Summary::decode("[]"), Err(SummaryError::Json(_))));
        assert!(matches!(
            Summary::decode(r#"{"v":1}"#),
            Err(SummaryError::Json(_))
        ));
        // serde's own entry point checks the same.
        let mut json = good.clone();
        json["v"] = 7.into();
        assert!(serde_json::from_value::<Summary>(json).is_err());
        assert!(serde_json::from_value::<Summary>(good).is_ok());
    }

    #[test]
    fn other_actor_kinds_keep_their_type_and_id() {
        let mut records = small_org_records();
        let mut robot = records[0].clone();
        robot.actor = Actor::Other {
            kind: "robot_actor".into(),
            id: Some("r1".into()),
        };
        let mut bare = records[0].clone();
        bare.actor = Actor::Other {
            kind: "bare_actor".into(),
            id: None,
        };
        records.extend([robot, bare]);
        let (summary, aggregates, actors) = fixture_summary(&records);
        let decoded = round_trip(&summary);
        assert_eq!(decoded.aggregates(), aggregates);
        assert_eq!(decoded.actor_totals(), actors);
        let text = serde_json::to_string(&summary).unwrap();
        assert!(text.contains(r#"["robot_actor","r1","#), "{text}");
        assert!(text.contains(r#"["bare_actor",null,"#), "{text}");
    }

    /// The example of the module's documentation (and docs/server.md).
    const DOCUMENTED: &str = r#"{"v": 1, "from": "2025-09-08", "to": "2025-09-10",
 "tools": [["edit_tool", 16, 8], ["multi_edit_tool", 3, 1], ["write_tool", 2, 0],
           ["notebook_edit_tool", 0, 0], ["apply_patch_tool", 4, 4]],
 "days": [[150, 30, 9, 3, 3, 1, 17, 7, 5200, {"EUR": 300, "USD": 175}, [[4, 4, 4], [0, 11, 3], [2, 2, 0]]],
          [60, 30, 6, 2, 1, 1, 8, 6, 2000, {"USD": 135}, [[0, 5, 5], [1, 3, 1], [3, 0, 0]]],
          null],
 "totals": {"lines_added": 210, "lines_removed": 60, "sessions": 15, "active_users": 3,
            "active_user_days": 5, "commits": 4, "pull_requests": 2, "accepted": 25,
            "rejected": 13, "tokens": 7200, "spend": {"EUR": 300, "USD": 310}},
 "models": [["claude-sonnet-4-5-20250929", 2500, 1050, 300, 150, {"USD": 305}],
            ["claude-opus-4-1-20250805", 2000, 800, 0, 0, {"EUR": 300}],
            ["claude-haiku-4-5-20251001", 300, 100, 0, 0, {"USD": 5}]],
 "terminals": [["unknown", 2, 3], ["vscode", 2, 9], ["iTerm.app", 1, 3]],
 "actors": [[0, "alice@example.com", {"USD": 275}, 160, 50, 9, 18, 8, 3, 2, 3550, 2, 1],
            [1, "ci-bot", {"USD": 35}, 10, 0, 3, 0, 0, 0, 0, 850, 2, 1],
            [0, "bob@example.com", {"EUR": 300}, 40, 10, 3, 7, 5, 1, 0, 2800, 1, 0]],
 "failed": [{"day": "2025-09-10", "status": 502,
             "message": "the Admin API refused the request for 2025-09-10 (HTTP 404)"}]}"#;

    #[test]
    fn the_documented_example_is_what_the_fixture_gives() {
        let records = small_org_records();
        let map = by_day(&records);
        let range = DateRange::new(d(9, 8), d(9, 10)).unwrap();
        let summary = Summary::from_records(range, |day| {
            (day != d(9, 10)).then(|| map.get(&day).map_or(&[][..], Vec::as_slice))
        })
        .with_failed([FailedDay {
            day: d(9, 10),
            status: 502,
            message: "the Admin API refused the request for 2025-09-10 (HTTP 404)".to_owned(),
        }]);
        let documented: serde_json::Value = serde_json::from_str(DOCUMENTED).unwrap();
        assert_eq!(serde_json::to_value(&summary).unwrap(), documented);
        assert_eq!(Summary::decode(DOCUMENTED).unwrap(), summary);
    }
}
