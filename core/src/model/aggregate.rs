//! Everything the range pages show, computed from the loaded days (DESIGN.md
//! section 3): per-day totals for the charts, period totals for the headline
//! cards, and per tool, per model and per terminal breakdowns.
//!
//! A day that failed or has not loaded yet is *unknown* (`loaded: false`, and
//! every chart value `None`), which is not the same as a loaded day with no
//! usage (zeros, and no accept rate).

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::dates::DateRange;
use crate::model::day_part::DayPart;
use crate::model::order;
use crate::model::record::{Tokens, UsageRecord};
use crate::model::sorted_map::SortedMap;
use crate::model::totals::{
    add, add_tokens, add_tool_actions, add_tool_decisions, to_major, token_total, Decisions, Spend,
    ToolTotals, USD,
};

/// An actor as counted for active users: its kind and identity.
type ActorKey<'a> = (&'a str, &'a str);

/// One UTC day of the range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayTotals {
    pub date: NaiveDate,
    /// False when the day failed or has not loaded: its numbers are unknown.
    pub loaded: bool,
    pub lines_added: u64,
    pub lines_removed: u64,
    pub sessions: u64,
    /// Distinct actors with a record this day.
    pub active_users: u64,
    pub commits: u64,
    pub pull_requests: u64,
    /// Over every tool in `tool_actions`.
    pub decisions: Decisions,
    /// Keyed by the `tool_actions` key.
    pub per_tool: SortedMap<Decisions>,
    pub spend: Spend,
    /// Tokens of every kind and model.
    pub tokens: u64,
}

/// A per-day figure that can be drawn as a chart series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    LinesAdded,
    LinesRemoved,
    Sessions,
    ActiveUsers,
    Commits,
    PullRequests,
    /// A fraction in 0..=1.
    AcceptRate,
    /// In dollars.
    SpendUsd,
    Tokens,
}

impl Metric {
    pub const ALL: [Metric; 9] = [
        Metric::LinesAdded,
        Metric::LinesRemoved,
        Metric::Sessions,
        Metric::ActiveUsers,
        Metric::Commits,
        Metric::PullRequests,
        Metric::AcceptRate,
        Metric::SpendUsd,
        Metric::Tokens,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Metric::LinesAdded => "Lines accepted",
            Metric::LinesRemoved => "Lines removed",
            Metric::Sessions => "Sessions",
            Metric::ActiveUsers => "Active users",
            Metric::Commits => "Commits by Claude Code",
            Metric::PullRequests => "Pull requests by Claude Code",
            Metric::AcceptRate => "Accept rate",
            Metric::SpendUsd => "Estimated spend (USD)",
            Metric::Tokens => "Tokens",
        }
    }
}

impl DayTotals {
    /// A day with nothing counted yet; `loaded` says whether its records are in.
    pub(crate) fn new(date: NaiveDate, loaded: bool) -> Self {
        DayTotals {
            date,
            loaded,
            lines_added: 0,
            lines_removed: 0,
            sessions: 0,
            active_users: 0,
            commits: 0,
            pull_requests: 0,
            decisions: Decisions::default(),
            per_tool: SortedMap::new(),
            spend: Spend::new(),
            tokens: 0,
        }
    }

    fn add_record(&mut self, record: &UsageRecord) {
        let core = &record.core_metrics;
        add(&mut self.lines_added, core.lines_of_code.added);
        add(&mut self.lines_removed, core.lines_of_code.removed);
        add(&mut self.sessions, core.num_sessions);
        add(&mut self.commits, core.commits_by_claude_code);
        add(&mut self.pull_requests, core.pull_requests_by_claude_code);
        add_tool_actions(
            &mut self.per_tool,
            &mut self.decisions,
            &record.tool_actions,
        );
        for usage in &record.model_breakdown {
            self.spend.add_cost(usage.estimated_cost.as_ref());
            add(&mut self.tokens, token_total(&usage.tokens));
        }
    }

    /// The day's value of `metric`; `None` when the day is unknown, or for the
    /// accept rate when nobody decided on an edit.
    pub fn value(&self, metric: Metric) -> Option<f64> {
        if !self.loaded {
            return None;
        }
        let count = match metric {
            Metric::LinesAdded => self.lines_added,
            Metric::LinesRemoved => self.lines_removed,
            Metric::Sessions => self.sessions,
            Metric::ActiveUsers => self.active_users,
            Metric::Commits => self.commits,
            Metric::PullRequests => self.pull_requests,
            Metric::Tokens => self.tokens,
            Metric::AcceptRate => return self.accept_rate(),
            Metric::SpendUsd => return self.spend_major(USD),
        };
        Some(count as f64)
    }

    /// Overall accept rate (0..=1) over every tool.
    pub fn accept_rate(&self) -> Option<f64> {
        self.loaded.then(|| self.decisions.rate()).flatten()
    }

    /// Accept rate of the tool with this `tool_actions` key.
    pub fn tool_accept_rate(&self, key: &str) -> Option<f64> {
        self.per_tool
            .get(key)
            .filter(|_| self.loaded)
            .and_then(Decisions::rate)
    }

    /// Spend in `currency`'s major unit; 0 on a loaded day with none, `None`
    /// on a day that is unknown or whose cost was withheld from the viewer.
    pub fn spend_major(&self, currency: &str) -> Option<f64> {
        (self.loaded && !self.spend.is_withheld())
            .then(|| to_major(currency, self.spend.minor(currency).unwrap_or(0)))
    }
}

/// Sums over the whole range (the headline cards).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeriodTotals {
    pub lines_added: u64,
    pub lines_removed: u64,
    pub sessions: u64,
    /// Distinct actors with a record on any day of the period.
    pub active_users: u64,
    /// Σ of the daily active users (for the daily average).
    pub active_user_days: u64,
    pub commits: u64,
    pub pull_requests: u64,
    pub decisions: Decisions,
    pub spend: Spend,
    pub tokens: u64,
    pub days_loaded: u32,
    pub days_total: u32,
}

impl PeriodTotals {
    fn add_day(&mut self, day: &DayTotals) {
        self.days_total = self.days_total.saturating_add(1);
        if !day.loaded {
            return;
        }
        self.days_loaded = self.days_loaded.saturating_add(1);
        add(&mut self.lines_added, day.lines_added);
        add(&mut self.lines_removed, day.lines_removed);
        add(&mut self.sessions, day.sessions);
        add(&mut self.active_user_days, day.active_users);
        add(&mut self.commits, day.commits);
        add(&mut self.pull_requests, day.pull_requests);
        self.decisions.add(day.decisions);
        self.spend.merge(&day.spend);
        add(&mut self.tokens, day.tokens);
    }

    pub fn accept_rate(&self) -> Option<f64> {
        self.decisions.rate()
    }

    /// Mean of the daily active users over the loaded days.
    pub fn average_daily_active_users(&self) -> Option<f64> {
        (self.days_loaded > 0).then(|| self.active_user_days as f64 / f64::from(self.days_loaded))
    }

    /// True when every day of the period loaded.
    pub fn is_complete(&self) -> bool {
        self.days_loaded == self.days_total
    }
}

/// Tokens and spend of one model over the period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelTotals {
    pub model: String,
    pub tokens: Tokens,
    pub spend: Spend,
}

impl ModelTotals {
    pub fn total_tokens(&self) -> u64 {
        token_total(&self.tokens)
    }
}

/// Records and sessions per `terminal_type` (missing ones under `unknown`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerminalTotals {
    pub terminal: String,
    /// Actor-days seen with this terminal.
    pub records: u64,
    pub sessions: u64,
}

/// The label used for records without a `terminal_type`.
pub const UNKNOWN_TERMINAL: &str = "unknown";

/// Everything computed for one range.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregates {
    pub range: DateRange,
    /// One per day of the range, in order.
    pub days: Vec<DayTotals>,
    pub totals: PeriodTotals,
    /// Known tools first, then others by key.
    pub per_tool: Vec<ToolTotals>,
    /// Most tokens first.
    pub per_model: Vec<ModelTotals>,
    /// Most records first.
    pub terminals: Vec<TerminalTotals>,
}

impl Aggregates {
    /// `(day, value)` of `metric` for every day of the range.
    pub fn series(&self, metric: Metric) -> Vec<(NaiveDate, Option<f64>)> {
        self.series_by(|day| day.value(metric))
    }

    /// `(day, value)` of any per-day figure.
    pub fn series_by(
        &self,
        mut value: impl FnMut(&DayTotals) -> Option<f64>,
    ) -> Vec<(NaiveDate, Option<f64>)> {
        self.days.iter().map(|day| (day.date, value(day))).collect()
    }

    /// Running total of lines accepted; unknown days are gaps and add nothing.
    pub fn cumulative_lines_added(&self) -> Vec<(NaiveDate, Option<f64>)> {
        let mut running = 0u64;
        self.series_by(|day| {
            day.loaded.then(|| {
                add(&mut running, day.lines_added);
                running as f64
            })
        })
    }
}

/// Why a day could not be added to a builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AddDayError {
    #[error("{0} is not a day of the range")]
    OutOfRange(NaiveDate),
    /// Sums cannot take a day back out: a day whose records changed needs a
    /// new builder.
    #[error("{0} was already added")]
    AlreadyAdded(NaiveDate),
}

/// Distinct actors, by kind then identity. Owned keys, since a builder
/// outlives the records it was given; looked up by `&str`, so a record that
/// adds no new actor allocates nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct ActorSet {
    by_kind: FxHashMap<Box<str>, FxHashSet<Box<str>>>,
    len: usize,
}

impl ActorSet {
    fn insert(&mut self, kind: &str, identity: &str) {
        let identities = match self.by_kind.get_mut(kind) {
            Some(identities) => identities,
            None => self.by_kind.entry(kind.into()).or_default(),
        };
        if !identities.contains(identity) {
            identities.insert(identity.into());
            self.len += 1;
        }
    }

    fn len(&self) -> usize {
        self.len
    }
}

/// [`Aggregates`] built a day at a time, in any order: adding a day costs
/// that day's records, and [`AggregateBuilder::finish`] costs the range's
/// days, models and terminals, never its records. [`aggregate`] is this
/// builder given every day at once.
#[derive(Clone, Debug)]
pub struct AggregateBuilder {
    range: DateRange,
    /// One per day of the range, in order; `None` until the day is added.
    days: Vec<Option<DayTotals>>,
    period_actors: ActorSet,
    models: FxHashMap<Box<str>, ModelTotals>,
    terminals: FxHashMap<Box<str>, TerminalTotals>,
}

impl AggregateBuilder {
    /// A builder for `range` with no day loaded.
    pub fn new(range: DateRange) -> Self {
        AggregateBuilder {
            range,
            days: vec![None; range.len_days() as usize],
            period_actors: ActorSet::default(),
            models: FxHashMap::default(),
            terminals: FxHashMap::default(),
        }
    }

    pub fn range(&self) -> DateRange {
        self.range
    }

    /// Whether `date`'s records have been added.
    pub fn has_day(&self, date: NaiveDate) -> bool {
        self.slot(date).is_some_and(|i| self.days[i].is_some())
    }

    fn slot(&self, date: NaiveDate) -> Option<usize> {
        let offset = usize::try_from((date - self.range.start()).num_days()).ok()?;
        (offset < self.days.len()).then_some(offset)
    }

    /// Counts `records` as the loaded day `date` (records count for the day
    /// they were loaded under, whatever their own date). Each day once.
    pub fn add_day(&mut self, date: NaiveDate, records: &[UsageRecord]) -> Result<(), AddDayError> {
        let slot = self.slot(date).ok_or(AddDayError::OutOfRange(date))?;
        if self.days[slot].is_some() {
            return Err(AddDayError::AlreadyAdded(date));
        }
        let mut day = DayTotals::new(date, true);
        let mut day_actors: FxHashSet<ActorKey<'_>> = FxHashSet::default();
        for record in records {
            day.add_record(record);
            let (kind, identity) = (record.actor.kind(), record.actor.identity());
            day_actors.insert((kind, identity));
            self.period_actors.insert(kind, identity);
            add_models(&mut self.models, record);
            let terminal = record.terminal_type.as_deref().unwrap_or(UNKNOWN_TERMINAL);
            let entry = match self.terminals.get_mut(terminal) {
                Some(entry) => entry,
                None => self
                    .terminals
                    .entry(terminal.into())
                    .or_insert_with(|| TerminalTotals {
                        terminal: terminal.to_owned(),
                        records: 0,
                        sessions: 0,
                    }),
            };
            add(&mut entry.records, 1);
            add(&mut entry.sessions, record.core_metrics.num_sessions);
        }
        day.active_users = day_actors.len() as u64;
        self.days[slot] = Some(day);
        Ok(())
    }

    /// Counts a day from its [`DayPart`], as [`Self::add_day`] counts the
    /// records it was made of. Each day once.
    pub fn add_part(&mut self, part: &DayPart) -> Result<(), AddDayError> {
        let date = part.date();
        let slot = self.slot(date).ok_or(AddDayError::OutOfRange(date))?;
        if self.days[slot].is_some() {
            return Err(AddDayError::AlreadyAdded(date));
        }
        for actor in &part.actors {
            self.period_actors
                .insert(actor.actor.kind(), actor.actor.identity());
        }
        for model in &part.models {
            let entry = match self.models.get_mut(model.model.as_str()) {
                Some(entry) => entry,
                None => self
                    .models
                    .entry(model.model.as_str().into())
                    .or_insert_with(|| ModelTotals {
                        model: model.model.clone(),
                        tokens: Tokens::default(),
                        spend: Spend::new(),
                    }),
            };
            add_tokens(&mut entry.tokens, &model.tokens);
            entry.spend.merge(&model.spend);
        }
        for terminal in &part.terminals {
            let entry = match self.terminals.get_mut(terminal.terminal.as_str()) {
                Some(entry) => entry,
                None => self
                    .terminals
                    .entry(terminal.terminal.as_str().into())
                    .or_insert_with(|| TerminalTotals {
                        terminal: terminal.terminal.clone(),
                        records: 0,
                        sessions: 0,
                    }),
            };
            add(&mut entry.records, terminal.records);
            add(&mut entry.sessions, terminal.sessions);
        }
        self.days[slot] = Some(part.day.clone());
        Ok(())
    }

    /// The aggregates of the days added so far; the others are unknown.
    pub fn finish(&self) -> Aggregates {
        let mut totals = PeriodTotals::default();
        let mut per_tool: SortedMap<Decisions> = SortedMap::new();
        let days: Vec<DayTotals> = self
            .range
            .days()
            .zip(&self.days)
            .map(|(date, day)| {
                let day = day.clone().unwrap_or_else(|| DayTotals::new(date, false));
                for (key, decisions) in day.per_tool.iter() {
                    add_tool_decisions(&mut per_tool, key, *decisions);
                }
                totals.add_day(&day);
                day
            })
            .collect();
        totals.active_users = self.period_actors.len() as u64;

        let mut per_model: Vec<ModelTotals> = self.models.values().cloned().collect();
        order::sort_by(&mut per_model, |a, b| {
            b.total_tokens()
                .cmp(&a.total_tokens())
                .then_with(|| a.model.cmp(&b.model))
        });
        let mut terminals: Vec<TerminalTotals> = self.terminals.values().cloned().collect();
        order::sort_by(&mut terminals, |a, b| {
            b.records
                .cmp(&a.records)
                .then_with(|| a.terminal.cmp(&b.terminal))
        });
        Aggregates {
            range: self.range,
            days,
            totals,
            per_tool: ToolTotals::from_map(&per_tool),
            per_model,
            terminals,
        }
    }
}

/// Aggregates `range`, asking `day_records` for each day's records (`None`
/// for a day that is not loaded). Records count for the day they were loaded
/// under.
pub fn aggregate<'a>(
    range: DateRange,
    day_records: impl Fn(NaiveDate) -> Option<&'a [UsageRecord]>,
) -> Aggregates {
    let mut builder = AggregateBuilder::new(range);
    for date in range.days() {
        if let Some(records) = day_records(date) {
            // Each day of the range once: it cannot be refused.
            let _ = builder.add_day(date, records);
        }
    }
    builder.finish()
}

fn add_models(models: &mut FxHashMap<Box<str>, ModelTotals>, record: &UsageRecord) {
    for usage in &record.model_breakdown {
        let model = usage.model.as_str();
        let entry = match models.get_mut(model) {
            Some(entry) => entry,
            None => models.entry(model.into()).or_insert_with(|| ModelTotals {
                model: model.to_owned(),
                tokens: Tokens::default(),
                spend: Spend::new(),
            }),
        };
        add_tokens(&mut entry.tokens, &usage.tokens);
        entry.spend.add_cost(usage.estimated_cost.as_ref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::{
        blank_record, small_org_records, small_org_records_without_cost, user,
    };
    use crate::model::record::{Cost, ModelUsage, ToolAction};
    use std::collections::BTreeMap;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 9, day).unwrap()
    }

    fn by_day(records: &[UsageRecord]) -> BTreeMap<NaiveDate, Vec<UsageRecord>> {
        let mut map: BTreeMap<NaiveDate, Vec<UsageRecord>> = BTreeMap::new();
        for record in records {
            map.entry(record.date).or_default().push(record.clone());
        }
        map
    }

    /// The fixture over 2025-09-07 ..= 2025-09-11: the 7th loaded with no
    /// records, the 11th not loaded.
    fn fixture_aggregates() -> Aggregates {
        let map = by_day(&small_org_records());
        let empty: Vec<UsageRecord> = Vec::new();
        let range = DateRange::new(d(7), d(11)).unwrap();
        aggregate(range, |day| match day {
            day if day == d(11) => None,
            day => Some(map.get(&day).unwrap_or(&empty).as_slice()),
        })
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    #[test]
    fn per_day_figures() {
        let agg = fixture_aggregates();
        let dates: Vec<_> = agg.days.iter().map(|day| day.date).collect();
        assert_eq!(dates, [d(7), d(8), d(9), d(10), d(11)]);
        let lines: Vec<_> = agg.series(Metric::LinesAdded);
        let values: Vec<_> = lines.iter().map(|(_, v)| *v).collect();
        assert_eq!(
            values,
            [Some(0.0), Some(150.0), Some(60.0), Some(5.0), None]
        );
        let removed: Vec<_> = agg.days.iter().map(|day| day.lines_removed).collect();
        assert_eq!(removed, [0, 30, 30, 1, 0]);
        let sessions: Vec<_> = agg.days.iter().map(|day| day.sessions).collect();
        assert_eq!(sessions, [0, 9, 6, 1, 0]);
        let users: Vec<_> = agg.days.iter().map(|day| day.active_users).collect();
        assert_eq!(users, [0, 3, 2, 1, 0]);
        let commits: Vec<_> = agg
            .days
            .iter()
            .map(|d| (d.commits, d.pull_requests))
            .collect();
        assert_eq!(commits, [(0, 0), (3, 1), (1, 1), (0, 0), (0, 0)]);
        let tokens: Vec<_> = agg.days.iter().map(|day| day.tokens).collect();
        assert_eq!(tokens, [0, 5200, 2000, 120, 0]);
    }

    #[test]
    fn accept_rate_per_day_and_tool() {
        let agg = fixture_aggregates();
        let [empty, day8, day9, day10, unloaded] = &agg.days[..] else {
            panic!("five days")
        };
        assert_eq!(day8.decisions, Decisions::new(17, 7));
        assert!(close(day8.accept_rate(), 17.0 / 24.0));
        assert!(close(day8.tool_accept_rate("edit_tool"), 11.0 / 14.0));
        assert!(close(day8.tool_accept_rate("write_tool"), 1.0));
        assert!(close(day8.tool_accept_rate("apply_patch_tool"), 0.5));
        assert_eq!(day8.tool_accept_rate("multi_edit_tool"), None);
        assert!(close(day9.accept_rate(), 8.0 / 14.0));
        assert!(close(day9.tool_accept_rate("multi_edit_tool"), 0.75));
        // Present with 0/0: still no rate, never 0%.
        assert_eq!(day9.tool_accept_rate("notebook_edit_tool"), None);
        assert_eq!(day10.accept_rate(), None);
        assert_eq!(day10.value(Metric::AcceptRate), None);
        assert_eq!(empty.accept_rate(), None);
        assert_eq!(unloaded.accept_rate(), None);
    }

    #[test]
    fn spend_per_currency() {
        let agg = fixture_aggregates();
        let day8 = &agg.days[1];
        assert_eq!(day8.spend.usd_minor(), Some(175));
        assert_eq!(day8.spend.minor("EUR"), Some(300));
        assert_eq!(day8.value(Metric::SpendUsd), Some(1.75));
        assert_eq!(agg.days[0].value(Metric::SpendUsd), Some(0.0));
        assert_eq!(agg.days[2].spend_major("EUR"), Some(0.0));
        assert_eq!(agg.days[4].value(Metric::SpendUsd), None);
        assert_eq!(
            agg.totals.spend.iter().collect::<Vec<_>>(),
            [("EUR", 300), ("USD", 313)]
        );
    }

    #[test]
    fn unloaded_day_is_unknown_not_zero() {
        let agg = fixture_aggregates();
        let unloaded = &agg.days[4];
        assert!(!unloaded.loaded);
        for metric in Metric::ALL {
            assert_eq!(unloaded.value(metric), None, "{metric:?}");
        }
        let empty = &agg.days[0];
        assert!(empty.loaded);
        assert_eq!(empty.value(Metric::Sessions), Some(0.0));
        assert_eq!((agg.totals.days_loaded, agg.totals.days_total), (4, 5));
        assert!(!agg.totals.is_complete());
    }

    #[test]
    fn period_totals() {
        let agg = fixture_aggregates();
        let t = &agg.totals;
        assert_eq!((t.lines_added, t.lines_removed), (215, 61));
        assert_eq!(t.sessions, 16);
        assert_eq!(t.active_users, 3);
        assert_eq!(t.active_user_days, 6);
        // (0 + 3 + 2 + 1) over the 4 loaded days.
        assert_eq!(t.average_daily_active_users(), Some(1.5));
        assert_eq!((t.commits, t.pull_requests), (4, 2));
        assert_eq!(t.decisions, Decisions::new(25, 13));
        assert!(close(t.accept_rate(), 25.0 / 38.0));
        assert_eq!(t.tokens, 7320);
        let cumulative: Vec<_> = agg
            .cumulative_lines_added()
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        assert_eq!(
            cumulative,
            [Some(0.0), Some(150.0), Some(210.0), Some(215.0), None]
        );
    }

    #[test]
    fn per_tool_model_and_terminal() {
        let agg = fixture_aggregates();
        let tools: Vec<_> = agg
            .per_tool
            .iter()
            .map(|t| (t.label.as_str(), t.decisions.accepted, t.decisions.rejected))
            .collect();
        assert_eq!(
            tools,
            [
                ("Edit", 16, 8),
                ("MultiEdit", 3, 1),
                ("Write", 2, 0),
                ("NotebookEdit", 0, 0),
                ("apply_patch", 4, 4)
            ]
        );
        assert_eq!(agg.per_tool[3].decisions.rate(), None);

        let models: Vec<_> = agg
            .per_model
            .iter()
            .map(|m| (m.model.as_str(), m.total_tokens()))
            .collect();
        assert_eq!(
            models,
            [
                ("claude-sonnet-4-5-20250929", 4120),
                ("claude-opus-4-1-20250805", 2800),
                ("claude-haiku-4-5-20251001", 400)
            ]
        );
        let sonnet = &agg.per_model[0];
        assert_eq!(
            sonnet.tokens,
            Tokens {
                input: 2600,
                output: 1070,
                cache_read: 300,
                cache_creation: 150
            }
        );
        assert_eq!(sonnet.spend.usd_minor(), Some(308));
        assert_eq!(agg.per_model[1].spend.minor("EUR"), Some(300));
        assert_eq!(agg.per_model[1].spend.usd_minor(), None);
        assert_eq!(agg.per_model[2].spend.usd_minor(), Some(5));

        let terminals: Vec<_> = agg
            .terminals
            .iter()
            .map(|t| (t.terminal.as_str(), t.records, t.sessions))
            .collect();
        assert_eq!(
            terminals,
            [("unknown", 3, 4), ("vscode", 2, 9), ("iTerm.app", 1, 3)]
        );
    }

    #[test]
    fn same_actor_twice_a_day_counts_once() {
        let mut records = small_org_records();
        records.retain(|r| r.date == d(9));
        records.push(records[0].clone());
        let range = DateRange::day(d(9));
        let agg = aggregate(range, |_| Some(records.as_slice()));
        assert_eq!(agg.days[0].active_users, 2);
        assert_eq!(agg.days[0].sessions, 10);
    }

    #[test]
    fn nothing_loaded() {
        let range = DateRange::new(d(1), d(3)).unwrap();
        let agg = aggregate(range, |_| None);
        assert_eq!(agg.days.len(), 3);
        assert_eq!(agg.totals.days_loaded, 0);
        assert_eq!(agg.totals.average_daily_active_users(), None);
        assert!(agg.per_tool.is_empty() && agg.per_model.is_empty());
    }

    #[test]
    fn withheld_costs_make_spend_unknown_and_leave_everything_else_alone() {
        let full = fixture_aggregates();
        let map = by_day(&small_org_records_without_cost());
        let empty: Vec<UsageRecord> = Vec::new();
        let agg = aggregate(DateRange::new(d(7), d(11)).unwrap(), |day| match day {
            day if day == d(11) => None,
            day => Some(map.get(&day).unwrap_or(&empty).as_slice()),
        });
        // Spend: unknown wherever a cost was withheld, never $0.
        assert!(agg.totals.spend.is_withheld());
        assert_eq!(agg.totals.spend.usd_minor(), None);
        let spend: Vec<_> = agg
            .series(Metric::SpendUsd)
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        // The 7th had no records, so nothing was withheld: its $0 is real.
        assert_eq!(spend, [Some(0.0), None, None, None, None]);
        assert!(agg.per_model.iter().all(|m| m.spend.is_withheld()));
        // Everything else is what the full records give.
        let tokens: Vec<_> = agg.per_model.iter().map(|m| (&m.model, m.tokens)).collect();
        let full_tokens: Vec<_> = full
            .per_model
            .iter()
            .map(|m| (&m.model, m.tokens))
            .collect();
        assert_eq!(tokens, full_tokens);
        for metric in Metric::ALL.into_iter().filter(|m| *m != Metric::SpendUsd) {
            assert_eq!(agg.series(metric), full.series(metric), "{metric:?}");
        }
        let mut totals = agg.totals.clone();
        totals.spend = full.totals.spend.clone();
        assert_eq!(totals, full.totals);
        // One entry without a cost among priced ones: the sum is not the
        // spend, so it is unknown too (not a smaller figure).
        let mut mixed = small_org_records();
        mixed[0].model_breakdown[0].estimated_cost = None;
        let mixed_map = by_day(&mixed);
        let day = mixed[0].date;
        let agg = aggregate(DateRange::day(day), |d| {
            mixed_map.get(&d).map(Vec::as_slice)
        });
        assert_eq!(agg.days[0].spend_major(USD), None);
        assert_eq!(agg.totals.spend.usd_minor(), None);
    }

    #[test]
    fn sums_saturate_at_u64_max() {
        let mut record = blank_record(d(1), user("max@example.com"));
        record.core_metrics.lines_of_code.added = u64::MAX;
        record.core_metrics.num_sessions = u64::MAX;
        record.core_metrics.commits_by_claude_code = u64::MAX;
        let max = ToolAction {
            accepted: u64::MAX,
            rejected: u64::MAX,
        };
        record.tool_actions.insert("edit_tool".into(), max);
        record.model_breakdown.push(ModelUsage {
            model: "m".into(),
            tokens: Tokens {
                input: u64::MAX,
                ..Tokens::default()
            },
            estimated_cost: Some(Cost {
                currency: "USD".into(),
                amount: u64::MAX,
            }),
        });
        let records = vec![record.clone(), record];
        let agg = aggregate(DateRange::new(d(1), d(2)).unwrap(), |_| {
            Some(records.as_slice())
        });
        let t = &agg.totals;
        assert_eq!(t.lines_added, u64::MAX);
        assert_eq!(t.sessions, u64::MAX);
        assert_eq!(t.commits, u64::MAX);
        assert_eq!(t.decisions, Decisions::new(u64::MAX, u64::MAX));
        assert_eq!(t.accept_rate(), Some(0.5));
        assert_eq!(t.spend.usd_minor(), Some(u64::MAX));
        assert_eq!(t.tokens, u64::MAX);
        assert_eq!(agg.per_model[0].tokens.input, u64::MAX);
        assert_eq!(agg.terminals[0].sessions, u64::MAX);
        assert_eq!(
            agg.cumulative_lines_added().last().and_then(|(_, v)| *v),
            Some(u64::MAX as f64)
        );
    }
}
