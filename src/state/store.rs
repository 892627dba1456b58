//! The app-wide cache of loaded days, and where they come from. Hooks load
//! ranges into it ([`crate::hooks::range_load`]) and read days from it
//! ([`crate::hooks::aggregates`], [`crate::hooks::month_members`]); nothing
//! else reaches into it.

use std::rc::Rc;

use chrono::{NaiveDate, TimeDelta};
use leptos::prelude::*;
use rustc_hash::FxHashMap;

use crate::api::schedule::Schedule;
use crate::api::source::DataSource;
use crate::model::dates::DateRange;
use crate::model::record::UsageRecord;
use cca_core::loading::DEFAULT_CONCURRENCY;

/// A day at least this many days before today no longer changes.
const SETTLED_AFTER_DAYS: i64 = 2;

/// Which days need a request: missing ones, and recent ones (they may still
/// change); newest first, the days a reader looks at first (the right end of
/// the charts, this week of a month).
pub fn days_to_fetch(
    range: DateRange,
    today: NaiveDate,
    is_cached: impl Fn(NaiveDate) -> bool,
) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = range
        .days()
        .filter(|day| *day <= today)
        .filter(|day| !is_cached(*day) || !is_settled(*day, today))
        .collect();
    days.reverse();
    days
}

/// Whether a day is old enough that its data will not change any more.
pub fn is_settled(day: NaiveDate, today: NaiveDate) -> bool {
    day <= today - TimeDelta::days(SETTLED_AFTER_DAYS)
}

struct StoreInner {
    source: DataSource,
    days: FxHashMap<NaiveDate, Rc<[UsageRecord]>>,
    /// When each day was stored, in [`StoreInner::stored`]'s count.
    stamps: FxHashMap<NaiveDate, u64>,
    /// Days stored so far.
    stored: u64,
    schedule: Schedule,
}

/// The app-wide cache of loaded days, and where they come from.
#[derive(Clone, Copy)]
pub struct UsageStore {
    inner: StoredValue<StoreInner, LocalStorage>,
    /// Bumped when days are published (a load's days, at most every so
    /// often), so aggregations show them.
    pub(crate) version: RwSignal<u64>,
    /// Bumped as soon as a day is stored, so aggregations can add it in a
    /// task of its own before it is published.
    stored_days: RwSignal<u64>,
    today: NaiveDate,
    pub(crate) concurrency: usize,
}

impl UsageStore {
    pub fn new(source: DataSource, today: NaiveDate) -> Self {
        UsageStore {
            inner: StoredValue::new_local(StoreInner {
                source,
                days: FxHashMap::default(),
                stamps: FxHashMap::default(),
                stored: 0,
                schedule: Schedule::default(),
            }),
            version: RwSignal::new(0),
            stored_days: RwSignal::new(0),
            today,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn source(&self) -> Option<DataSource> {
        self.inner.try_with_value(|inner| inner.source.clone())
    }

    pub(crate) fn schedule(&self) -> Schedule {
        self.inner
            .try_with_value(|inner| inner.schedule.clone())
            .unwrap_or_default()
    }

    /// Tracks the store: a reactive reader re-runs when days are added.
    pub(crate) fn track(&self) {
        self.version.track();
    }

    /// Tracks every day stored, published or not.
    pub(crate) fn track_stored(&self) {
        self.stored_days.track();
    }

    /// A day's records and when it was stored (untracked; call `track` first).
    pub(crate) fn day(&self, day: NaiveDate) -> Option<(u64, Rc<[UsageRecord]>)> {
        self.inner
            .try_with_value(|inner| {
                let records = inner.days.get(&day)?;
                Some((inner.stamps.get(&day).copied()?, Rc::clone(records)))
            })
            .flatten()
    }

    /// When `day` was stored, in [`Self::now`]'s count.
    pub(crate) fn stamp(&self, day: NaiveDate) -> Option<u64> {
        self.inner
            .try_with_value(|inner| inner.stamps.get(&day).copied())
            .flatten()
    }

    pub(crate) fn is_cached(&self, day: NaiveDate) -> bool {
        self.inner
            .try_with_value(|inner| inner.days.contains_key(&day))
            .unwrap_or(false)
    }

    pub(crate) fn insert(&self, day: NaiveDate, records: Vec<UsageRecord>) {
        self.inner.update_value(|inner| {
            inner.days.insert(day, records.into());
            inner.stored += 1;
            inner.stamps.insert(day, inner.stored);
        });
        self.stored_days.try_update(|n| *n += 1);
    }

    /// A mark to compare with: days stored after it are [`Self::stored_since`] it.
    pub(crate) fn now(&self) -> u64 {
        self.inner.try_with_value(|inner| inner.stored).unwrap_or(0)
    }

    /// Whether `day` was stored after `mark` (by any load).
    pub(crate) fn stored_since(&self, day: NaiveDate, mark: u64) -> bool {
        self.inner
            .try_with_value(|inner| inner.stamps.get(&day).is_some_and(|s| *s > mark))
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    #[test]
    fn fetches_missing_and_recent_days_only_newest_first() {
        let range = DateRange::new(day(1), day(10)).unwrap();
        let today = day(9);
        let cached = |d: NaiveDate| d <= day(8);
        // Days 1..=6 are settled and cached; 7 and 8 are recent; 9 is missing; 10 is in the future.
        assert_eq!(days_to_fetch(range, today, cached), vec![day(9), day(8)]);
        let nothing = days_to_fetch(range, today, |_| false);
        assert_eq!(nothing.first(), Some(&day(9)));
        assert_eq!(nothing.last(), Some(&day(1)));
        assert!(nothing.windows(2).all(|w| w[0] > w[1]));
        assert!(is_settled(day(7), today));
        assert!(!is_settled(day(8), today));
    }
}
