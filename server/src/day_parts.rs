//! The summed-up days of the summaries ([`DayPart`]), kept in memory for
//! days whose records are final: a summary of a range then adds up its
//! days' parts instead of reading, decoding and adding up every record of
//! the range again from the cache file (for 10,000 members, 90 days are
//! hundreds of thousands of records; docs/benchmarks.md).
//!
//! One part per day and per view of the costs (with, or withheld for a role
//! kept off spend: the same records sum up differently). The oldest stored
//! part goes first once [`KEPT`] are held: a restart or an eviction costs
//! one read of the day's records, nothing else.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use cca::model::day_part::DayPart;
use chrono::NaiveDate;

/// Parts held at most: two views of 400 days, the longest range. A
/// 10,000-member organization's part is a few hundred KB.
pub const KEPT: usize = 800;

type Key = (NaiveDate, bool);

#[derive(Default)]
struct Inner {
    parts: HashMap<Key, Arc<DayPart>>,
    /// Keys in the order they were stored, oldest first.
    order: VecDeque<Key>,
}

/// Final days' parts, shared by every request.
#[derive(Default)]
pub struct DayParts {
    inner: Mutex<Inner>,
}

impl DayParts {
    /// The part of `day` for a viewer who sees costs (`with_cost`) or not.
    pub fn get(&self, day: NaiveDate, with_cost: bool) -> Option<Arc<DayPart>> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.parts.get(&(day, with_cost)).cloned()
    }

    /// Keeps the part of a final day.
    pub fn insert(&self, day: NaiveDate, with_cost: bool, part: Arc<DayPart>) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (day, with_cost);
        if inner.parts.insert(key, part).is_none() {
            inner.order.push_back(key);
        }
        while inner.order.len() > KEPT {
            if let Some(oldest) = inner.order.pop_front() {
                inner.parts.remove(&oldest);
            }
        }
    }

    /// Parts held.
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .parts
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_parts_per_day_and_view() {
        let parts = DayParts::default();
        let day = |n: u64| NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(n);
        let part = |n: u64| Arc::new(DayPart::from_records(day(n), &[]));
        parts.insert(day(0), true, part(0));
        parts.insert(day(0), false, part(0));
        assert_eq!(parts.get(day(0), true).map(|p| p.date()), Some(day(0)));
        assert!(parts.get(day(1), true).is_none());
        // Storing a day again replaces it, and takes no second place.
        parts.insert(day(0), true, part(0));
        assert_eq!(parts.len(), 2);
        for n in 1..=KEPT as u64 {
            parts.insert(day(n), true, part(n));
        }
        assert_eq!(parts.len(), KEPT);
        // The oldest two went first.
        assert!(parts.get(day(0), true).is_none() && parts.get(day(0), false).is_none());
        assert!(parts.get(day(1), true).is_some());
    }
}
