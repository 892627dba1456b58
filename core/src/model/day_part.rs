//! What one loaded day adds to any range that holds it: its per-day totals,
//! its models and terminals, and its actors. A server keeps one per settled
//! day and sums a range up from them ([`crate::summary::Summary::from_day_parts`])
//! instead of decoding and adding every record of the range again: the
//! builders add a part exactly as they add the day's records.

use chrono::NaiveDate;

use crate::model::aggregate::{AggregateBuilder, DayTotals, ModelTotals, TerminalTotals};
use crate::model::dates::DateRange;
use crate::model::record::UsageRecord;
use crate::model::team::{ActorTotals, ActorTotalsBuilder};

/// One loaded day, summed up.
#[derive(Clone, Debug, PartialEq)]
pub struct DayPart {
    pub(crate) day: DayTotals,
    pub(crate) models: Vec<ModelTotals>,
    pub(crate) terminals: Vec<TerminalTotals>,
    /// Each with `days_active` 1 and `last_active` the day.
    pub(crate) actors: Vec<ActorTotals>,
}

impl DayPart {
    /// The day `date` loaded with `records` (each counted for `date`, as
    /// [`AggregateBuilder::add_day`] counts them; records of other dates
    /// are no actor's, as in [`ActorTotalsBuilder::add_day`]).
    pub fn from_records(date: NaiveDate, records: &[UsageRecord]) -> DayPart {
        let range = DateRange::day(date);
        let mut aggregates = AggregateBuilder::new(range);
        let mut actors = ActorTotalsBuilder::new(range);
        // A new builder holds no day, and `date` is its range's one day.
        let _ = aggregates.add_day(date, records);
        let _ = actors.add_day(date, records);
        let mut aggregates = aggregates.finish();
        DayPart {
            day: aggregates
                .days
                .pop()
                .unwrap_or_else(|| DayTotals::new(date, true)),
            models: aggregates.per_model,
            terminals: aggregates.terminals,
            actors: actors.finish(),
        }
    }

    pub fn date(&self) -> NaiveDate {
        self.day.date
    }

    /// Actors with usage on the day.
    pub fn actor_count(&self) -> usize {
        self.actors.len()
    }
}
