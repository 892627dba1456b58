//! Team insights: per-actor totals over any range of days (a month to date
//! is just one such range).

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use crate::model::aggregate::AddDayError;
use crate::model::dates::DateRange;
use crate::model::day_part::DayPart;
use crate::model::order;
use crate::model::record::{Actor, UsageRecord};
use crate::model::totals::{add, token_total, Decisions, Spend};

/// One actor's totals over a range of days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorTotals {
    /// Its kind (`Actor::kind`) and identity (`Actor::identity`).
    pub actor: Actor,
    pub spend: Spend,
    pub lines_added: u64,
    pub lines_removed: u64,
    pub sessions: u64,
    /// Over every tool.
    pub decisions: Decisions,
    pub commits: u64,
    pub pull_requests: u64,
    pub tokens: u64,
    /// Distinct days with a record.
    pub days_active: u32,
    pub last_active: NaiveDate,
}

impl ActorTotals {
    fn new(actor: &Actor, day: NaiveDate) -> Self {
        ActorTotals {
            actor: actor.clone(),
            spend: Spend::new(),
            lines_added: 0,
            lines_removed: 0,
            sessions: 0,
            decisions: Decisions::default(),
            commits: 0,
            pull_requests: 0,
            tokens: 0,
            days_active: 0,
            last_active: day,
        }
    }

    /// `None` when the actor made no accept/reject decision.
    pub fn accept_rate(&self) -> Option<f64> {
        self.decisions.rate()
    }

    /// Adds another day's totals of the same actor (its `days_active` is
    /// the caller's to count).
    fn add_totals(&mut self, day: &ActorTotals) {
        self.spend.merge(&day.spend);
        add(&mut self.lines_added, day.lines_added);
        add(&mut self.lines_removed, day.lines_removed);
        add(&mut self.sessions, day.sessions);
        self.decisions.add(day.decisions);
        add(&mut self.commits, day.commits);
        add(&mut self.pull_requests, day.pull_requests);
        add(&mut self.tokens, day.tokens);
        self.last_active = self.last_active.max(day.last_active);
    }

    fn add_record(&mut self, record: &UsageRecord) {
        let core = &record.core_metrics;
        add(&mut self.lines_added, core.lines_of_code.added);
        add(&mut self.lines_removed, core.lines_of_code.removed);
        add(&mut self.sessions, core.num_sessions);
        add(&mut self.commits, core.commits_by_claude_code);
        add(&mut self.pull_requests, core.pull_requests_by_claude_code);
        for action in record.tool_actions.values() {
            self.decisions.add(Decisions::from(*action));
        }
        for usage in &record.model_breakdown {
            self.spend.add_cost(usage.estimated_cost.as_ref());
            add(&mut self.tokens, token_total(&usage.tokens));
        }
        self.last_active = self.last_active.max(record.date);
    }
}

/// Per-actor totals over the days of `range` (any length, across months and
/// years), from records of any dates (others are skipped). An actor's remote
/// and local rows of a day are one actor and one active day. Sorted by USD
/// spend, then lines added (both highest first), then kind and identity.
/// Linear in the number of records.
pub fn actor_totals<'a>(
    range: DateRange,
    records: impl IntoIterator<Item = &'a UsageRecord>,
) -> Vec<ActorTotals> {
    let mut builder = ActorTotalsBuilder::new(range);
    for record in records {
        builder.add(record);
    }
    builder.finish()
}

/// [`actor_totals`] built a day at a time, in any order: adding a day costs
/// that day's records; [`ActorTotalsBuilder::sorted`] costs the actors, never
/// the records.
#[derive(Clone, Debug)]
pub struct ActorTotalsBuilder {
    range: DateRange,
    /// Words of [`Self::days_seen`] per actor: one bit per day of the range.
    words: usize,
    /// Kind, then identity → slot in `totals`. Owned keys (the builder
    /// outlives the records), looked up by `&str`.
    index: FxHashMap<Box<str>, FxHashMap<Box<str>, usize>>,
    totals: Vec<ActorTotals>,
    /// `words` per actor, for `days_active`.
    days_seen: Vec<u64>,
    /// The days given to [`Self::add_day`], one bit each.
    days_added: Vec<u64>,
}

impl ActorTotalsBuilder {
    pub fn new(range: DateRange) -> Self {
        let words = (range.len_days() as usize).div_ceil(64);
        ActorTotalsBuilder {
            range,
            words,
            index: FxHashMap::default(),
            totals: Vec::new(),
            days_seen: Vec::new(),
            days_added: vec![0; words],
        }
    }

    pub fn range(&self) -> DateRange {
        self.range
    }

    fn offset(&self, date: NaiveDate) -> Option<usize> {
        if !self.range.contains(date) {
            return None;
        }
        usize::try_from((date - self.range.start()).num_days()).ok()
    }

    /// Whether [`Self::add_day`] has counted `date`.
    pub fn has_day(&self, date: NaiveDate) -> bool {
        self.offset(date)
            .and_then(|o| {
                self.days_added
                    .get(o / 64)
                    .map(|w| w & (1 << (o % 64)) != 0)
            })
            .unwrap_or(false)
    }

    /// Counts the records a day loaded (each day once: sums cannot take a
    /// day back out). Like [`Self::add`], each record counts for its own date.
    pub fn add_day(&mut self, date: NaiveDate, records: &[UsageRecord]) -> Result<(), AddDayError> {
        let offset = self.offset(date).ok_or(AddDayError::OutOfRange(date))?;
        if self.has_day(date) {
            return Err(AddDayError::AlreadyAdded(date));
        }
        if let Some(word) = self.days_added.get_mut(offset / 64) {
            *word |= 1 << (offset % 64);
        }
        for record in records {
            self.add(record);
        }
        Ok(())
    }

    /// Counts a day from its [`DayPart`], as [`Self::add_day`] counts the
    /// records it was made of. Each day once.
    pub fn add_part(&mut self, part: &DayPart) -> Result<(), AddDayError> {
        let date = part.date();
        let offset = self.offset(date).ok_or(AddDayError::OutOfRange(date))?;
        if self.has_day(date) {
            return Err(AddDayError::AlreadyAdded(date));
        }
        if let Some(word) = self.days_added.get_mut(offset / 64) {
            *word |= 1 << (offset % 64);
        }
        for day in &part.actors {
            let slot = self.slot(&day.actor, date);
            if let (Some(actor), Some(word)) = (
                self.totals.get_mut(slot),
                self.days_seen.get_mut(slot * self.words + offset / 64),
            ) {
                actor.add_totals(day);
                let bit = 1 << (offset % 64);
                if *word & bit == 0 {
                    *word |= bit;
                    actor.days_active = actor.days_active.saturating_add(1);
                }
            }
        }
        Ok(())
    }

    /// The slot of `actor`, made for it (first seen on `date`) if it has none.
    fn slot(&mut self, actor: &Actor, date: NaiveDate) -> usize {
        let (kind, identity) = (actor.kind(), actor.identity());
        let found = self
            .index
            .get(kind)
            .and_then(|ids| ids.get(identity))
            .copied();
        match found {
            Some(slot) => slot,
            None => {
                self.totals.push(ActorTotals::new(actor, date));
                self.days_seen.resize(self.days_seen.len() + self.words, 0);
                let slot = self.totals.len() - 1;
                self.index
                    .entry(kind.into())
                    .or_default()
                    .insert(identity.into(), slot);
                slot
            }
        }
    }

    /// Counts one record; one outside the range is skipped.
    pub fn add(&mut self, record: &UsageRecord) {
        let Some(offset) = self.offset(record.date) else {
            return;
        };
        let slot = self.slot(&record.actor, record.date);
        if let (Some(actor), Some(word)) = (
            self.totals.get_mut(slot),
            self.days_seen.get_mut(slot * self.words + offset / 64),
        ) {
            actor.add_record(record);
            let bit = 1 << (offset % 64);
            if *word & bit == 0 {
                *word |= bit;
                actor.days_active = actor.days_active.saturating_add(1);
            }
        }
    }

    /// How many actors so far.
    pub fn len(&self) -> usize {
        self.totals.len()
    }

    pub fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }

    /// The actor in `slot` (0..[`Self::len`], in the order they first came).
    pub fn get(&self, slot: usize) -> Option<&ActorTotals> {
        self.totals.get(slot)
    }

    /// The slots in [`actor_totals`]' order.
    pub fn order(&self) -> Vec<usize> {
        // The spend is looked up once per actor, not once per comparison.
        let keys: Vec<(u64, u64)> = self
            .totals
            .iter()
            .map(|t| (t.spend.usd_minor().unwrap_or(0), t.lines_added))
            .collect();
        let mut order: Vec<usize> = (0..self.totals.len()).collect();
        order::sort_by(&mut order, |&a, &b| {
            keys[b].cmp(&keys[a]).then_with(|| {
                let (a, b) = (&self.totals[a].actor, &self.totals[b].actor);
                a.kind()
                    .cmp(b.kind())
                    .then_with(|| a.identity().cmp(b.identity()))
            })
        });
        order
    }

    /// Every actor so far, in [`actor_totals`]' order, without copying them.
    pub fn sorted(&self) -> Vec<&ActorTotals> {
        self.order()
            .into_iter()
            .filter_map(|slot| self.totals.get(slot))
            .collect()
    }

    /// Every actor so far, in [`actor_totals`]' order.
    pub fn finish(&self) -> Vec<ActorTotals> {
        self.sorted().into_iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::{
        api_key, blank_record, small_org_records, small_org_records_without_cost, user,
    };

    fn d(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, month, day).unwrap()
    }

    fn range(first: NaiveDate, last: NaiveDate) -> DateRange {
        DateRange::new(first, last).unwrap()
    }

    fn find<'a>(totals: &'a [ActorTotals], identity: &str) -> &'a ActorTotals {
        totals
            .iter()
            .find(|t| t.actor.identity() == identity)
            .unwrap()
    }

    #[test]
    fn withheld_costs_leave_members_unpriced_and_ordered_by_lines() {
        let records = small_org_records_without_cost();
        let totals = actor_totals(range(d(9, 1), d(9, 10)), &records);
        assert!(totals.iter().all(|t| t.spend.is_withheld()));
        assert!(totals.iter().all(|t| t.spend.usd_minor().is_none()));
        // With no spend to sort by, lines decide: alice 160, bob 40, bot 15.
        let order: Vec<_> = totals.iter().map(|t| t.actor.identity()).collect();
        assert_eq!(order, ["alice@example.com", "bob@example.com", "ci-bot"]);
        let alice = find(&totals, "alice@example.com");
        assert_eq!((alice.lines_added, alice.sessions), (160, 9));
    }

    #[test]
    fn month_to_date_per_actor() {
        let records = small_org_records();
        let totals = actor_totals(range(d(9, 1), d(9, 10)), &records);
        let order: Vec<_> = totals.iter().map(|t| t.actor.identity()).collect();
        assert_eq!(order, ["alice@example.com", "ci-bot", "bob@example.com"]);

        let alice = find(&totals, "alice@example.com");
        assert_eq!(alice.actor, user("alice@example.com"));
        assert_eq!(alice.spend.usd_minor(), Some(275));
        assert_eq!((alice.lines_added, alice.lines_removed), (160, 50));
        assert_eq!(alice.sessions, 9);
        assert_eq!(alice.decisions, Decisions::new(18, 8));
        assert!((alice.accept_rate().unwrap() - 18.0 / 26.0).abs() < 1e-12);
        assert_eq!((alice.commits, alice.pull_requests), (3, 2));
        assert_eq!(alice.days_active, 2);
        assert_eq!(alice.last_active, d(9, 9));

        let bob = find(&totals, "bob@example.com");
        assert_eq!(bob.spend.usd_minor(), None);
        assert_eq!(bob.spend.minor("EUR"), Some(300));
        assert_eq!(bob.decisions, Decisions::new(7, 5));
        assert_eq!(bob.last_active, d(9, 8));

        let bot = find(&totals, "ci-bot");
        assert_eq!(bot.actor, api_key("ci-bot"));
        assert_eq!(bot.actor.kind(), "api_actor");
        assert_eq!(bot.spend.usd_minor(), Some(38));
        assert_eq!((bot.lines_added, bot.sessions), (15, 4));
        assert_eq!(bot.accept_rate(), None);
        assert_eq!((bot.days_active, bot.last_active), (3, d(9, 10)));
    }

    #[test]
    fn only_the_days_of_the_range() {
        let mut records = small_org_records();
        let mut august = blank_record(d(8, 31), user("alice@example.com"));
        august.core_metrics.num_sessions = 100;
        records.push(august);
        let mut october = blank_record(d(10, 1), user("carol@example.com"));
        october.core_metrics.num_sessions = 100;
        records.push(october);

        let totals = actor_totals(range(d(9, 1), d(9, 9)), &records);
        assert_eq!(totals.len(), 3);
        assert_eq!(find(&totals, "alice@example.com").sessions, 9);
        let bot = find(&totals, "ci-bot");
        assert_eq!(
            (bot.sessions, bot.days_active, bot.last_active),
            (3, 2, d(9, 9))
        );
        assert_eq!(bot.spend.usd_minor(), Some(35));

        // A range across the month's end counts both sides.
        let across = actor_totals(range(d(8, 31), d(10, 5)), &records);
        assert_eq!(across.len(), 4);
        let alice = find(&across, "alice@example.com");
        assert_eq!((alice.sessions, alice.days_active), (109, 3));
        assert_eq!(alice.last_active, d(9, 9));
        assert_eq!(find(&across, "carol@example.com").last_active, d(10, 1));
        assert!(actor_totals(range(d(7, 1), d(8, 30)), &records).is_empty());
    }

    #[test]
    fn days_active_over_a_long_range_across_years() {
        // 400 days from 2023-12-01, over 2024-02-29: one record every third
        // day, and the remote and local rows of one day count once.
        let first = NaiveDate::from_ymd_opt(2023, 12, 1).unwrap();
        let mut records = Vec::new();
        for offset in (0..400).step_by(3) {
            let day = first + chrono::TimeDelta::days(offset);
            for _ in 0..2 {
                let mut r = blank_record(day, user("a@example.com"));
                r.core_metrics.num_sessions = 1;
                records.push(r);
            }
        }
        let last = first + chrono::TimeDelta::days(399);
        let totals = actor_totals(range(first, last), &records);
        assert_eq!(totals.len(), 1);
        assert_eq!(totals[0].days_active, 134);
        assert_eq!(totals[0].sessions, 268);
        assert_eq!(totals[0].last_active, first + chrono::TimeDelta::days(399));
    }

    #[test]
    fn many_actors_are_linear() {
        let mut records = Vec::new();
        for day in 1..=31 {
            for n in 0..10_000 {
                let mut record = blank_record(d(8, day), user(&format!("user{n}@example.com")));
                record.core_metrics.num_sessions = 1;
                records.push(record);
            }
        }
        let totals = actor_totals(range(d(8, 1), d(8, 31)), &records);
        assert_eq!(totals.len(), 10_000);
        assert!(totals
            .iter()
            .all(|t| t.sessions == 31 && t.days_active == 31 && t.last_active == d(8, 31)));
    }

    #[test]
    fn actor_sums_saturate() {
        let mut record = blank_record(d(9, 1), api_key("max"));
        record.core_metrics.lines_of_code.added = u64::MAX;
        let records = [record.clone(), record];
        let totals = actor_totals(DateRange::day(d(9, 1)), &records);
        assert_eq!(totals[0].lines_added, u64::MAX);
        assert_eq!(totals[0].days_active, 1);
    }
}
