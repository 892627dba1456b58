//! The app-wide cache of range summaries, for an API that sums ranges up
//! itself ([`cca_core::summary`]): the summary path's counterpart of the day
//! store. [`crate::hooks::summary_load`] fills it; the range hooks read it.

use std::collections::VecDeque;
use std::rc::Rc;

use cca_core::summary::Summary;
use chrono::NaiveDate;
use leptos::prelude::*;

use crate::api::client::SummaryKey;
use crate::api::schedule::{Flight, InFlight};
use crate::model::dates::DateRange;
use crate::state::store::is_settled;

/// Summaries kept: a page's range and its previous period, the month of the
/// team page and the spend page's month, and a few the user went back to.
/// A 10,000-member summary holds its actors, a few MB decoded.
const KEPT: usize = 8;

struct Inner {
    /// Least recently stored first, each with its [`Inner::stored`] count.
    kept: VecDeque<(SummaryKey, Rc<Summary>, u64)>,
    /// Summaries stored so far.
    stored: u64,
    /// Summary requests on their way.
    in_flight: InFlight<SummaryKey>,
}

/// The cache of range summaries.
#[derive(Clone, Copy)]
pub struct SummaryStore {
    inner: StoredValue<Inner, LocalStorage>,
    /// Bumped when a summary is stored, so readers recompute.
    version: RwSignal<u64>,
}

impl Default for SummaryStore {
    fn default() -> Self {
        SummaryStore {
            inner: StoredValue::new_local(Inner {
                kept: VecDeque::new(),
                stored: 0,
                in_flight: InFlight::default(),
            }),
            version: RwSignal::new(0),
        }
    }
}

impl SummaryStore {
    /// The summary of `key`, if one is kept (untracked; [`Self::stamp`] tracks).
    pub(crate) fn get(&self, key: &SummaryKey) -> Option<Rc<Summary>> {
        self.stored_since(key, 0)
    }

    /// When `key`'s kept summary was stored (in [`Self::now`]'s count),
    /// tracked: a reader of one range is not re-run by another's summary.
    pub(crate) fn stamp(&self, key: &SummaryKey) -> Option<u64> {
        self.version.track();
        self.inner
            .try_with_value(|inner| {
                inner
                    .kept
                    .iter()
                    .find(|(k, _, _)| k == key)
                    .map(|(_, _, stamp)| *stamp)
            })
            .flatten()
    }

    /// A mark to compare with: summaries stored after it are
    /// [`Self::stored_since`] it.
    pub(crate) fn now(&self) -> u64 {
        self.inner.try_with_value(|inner| inner.stored).unwrap_or(0)
    }

    /// The summary of `key` if it was stored after `mark` (by any load).
    pub(crate) fn stored_since(&self, key: &SummaryKey, mark: u64) -> Option<Rc<Summary>> {
        self.inner
            .try_with_value(|inner| {
                inner
                    .kept
                    .iter()
                    .find(|(k, _, stamp)| k == key && *stamp > mark)
                    .map(|(_, s, _)| Rc::clone(s))
            })
            .flatten()
    }

    /// Keeps `summary` as `key`'s, in place of an older one.
    pub(crate) fn insert(&self, key: SummaryKey, summary: Summary) {
        self.inner.update_value(|inner| {
            inner.stored += 1;
            inner.kept.retain(|(k, _, _)| *k != key);
            inner.kept.push_back((key, Rc::new(summary), inner.stored));
            while inner.kept.len() > KEPT {
                inner.kept.pop_front();
            }
        });
        self.version.try_update(|v| *v += 1);
    }

    /// Claims the request for `key`, or the one already on its way.
    pub(crate) fn claim(&self, key: SummaryKey) -> Flight<SummaryKey> {
        self.inner
            .try_with_value(|inner| inner.in_flight.clone())
            .unwrap_or_default()
            .claim(key)
    }
}

/// Whether a kept summary of `range` is final: every day of it loaded, and
/// its last day settled (recent days still change, as the day store's do).
pub fn is_final(summary: &Summary, range: DateRange, today: NaiveDate) -> bool {
    summary.failed().is_empty() && summary.range() == range && is_settled(range.end(), today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cca_core::model::fixture::small_org_records;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 9, day).unwrap()
    }

    #[test]
    fn a_summary_is_final_once_complete_and_settled() {
        let records = small_org_records();
        let range = DateRange::new(d(8), d(10)).unwrap();
        let days: rustc_hash::FxHashMap<NaiveDate, Vec<_>> = range
            .days()
            .map(|day| {
                (
                    day,
                    records.iter().filter(|r| r.date == day).cloned().collect(),
                )
            })
            .collect();
        let summary = Summary::from_records(range, |day| days.get(&day).map(Vec::as_slice));
        assert!(is_final(&summary, range, d(12)));
        // Its last day may still change.
        assert!(!is_final(&summary, range, d(11)));
        // The summary of a shorter range (the server moved the end back).
        let longer = DateRange::new(d(8), d(11)).unwrap();
        assert!(!is_final(&summary, longer, d(20)));
        // A day failed: asked again next time.
        let partial = Summary::from_records(range, |day| {
            days.get(&day).filter(|_| day != d(9)).map(Vec::as_slice)
        })
        .with_failed([cca_core::summary::FailedDay {
            day: d(9),
            status: 502,
            message: "upstream".to_owned(),
        }]);
        assert_eq!(partial.failed().len(), 1);
        assert!(!is_final(&partial, range, d(20)));
    }
}
