//! Period-over-period change of the headline figures: the selected range
//! against the period it is compared with ([`comparison_period`]).

use crate::model::aggregate::PeriodTotals;
use crate::model::dates::{DateRange, RangePreset, RangeSelection};

/// The period `range` (chosen as `selection`) is compared with: a month to
/// date with the same days of the month before, last month with the whole
/// month before it, and any other range with as many days whole weeks
/// earlier, so that weekdays and weekends weigh the same in both (three
/// weekdays are never compared with a weekend).
pub fn comparison_period(selection: RangeSelection, range: DateRange) -> DateRange {
    match selection {
        RangeSelection::Preset(RangePreset::MonthToDate) => range.same_days_of_previous_month(),
        RangeSelection::Preset(RangePreset::LastMonth) => DateRange::last_month(range.start()),
        _ => range.same_weekdays_before(),
    }
}

/// A figure in the current and the previous period.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    pub current: f64,
    pub previous: f64,
}

impl Change {
    pub fn new(current: f64, previous: f64) -> Self {
        Change { current, previous }
    }

    fn counts(current: u64, previous: u64) -> Self {
        Change::new(current as f64, previous as f64)
    }

    /// current − previous.
    pub fn difference(&self) -> f64 {
        self.current - self.previous
    }

    /// (current − previous) ÷ previous, e.g. 0.25 for +25 %; `None` when the
    /// previous value is 0 (no meaningful relative change).
    pub fn relative(&self) -> Option<f64> {
        let relative = self.difference() / self.previous;
        (self.previous != 0.0 && relative.is_finite()).then_some(relative)
    }

    /// The difference of two rates given as fractions, in percentage points.
    pub fn percentage_points(&self) -> f64 {
        self.difference() * 100.0
    }
}

/// The change of every headline figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeadlineChanges {
    pub lines_added: Change,
    /// Rates as fractions; show [`Change::percentage_points`]. `None` when
    /// either period had no decisions.
    pub accept_rate: Option<Change>,
    /// Distinct actors over each period.
    pub active_users: Change,
    pub average_daily_active_users: Change,
    pub sessions: Change,
    /// In dollars; a period without USD spend counts as 0. `None` when the
    /// cost of either period was withheld from the viewer (unknown, not 0).
    pub spend_usd: Option<Change>,
    pub commits: Change,
    pub pull_requests: Change,
}

/// Compares the headline figures of two periods; `None` when either period
/// has no loaded day (nothing to compare with).
pub fn compare(current: &PeriodTotals, previous: &PeriodTotals) -> Option<HeadlineChanges> {
    let current_avg = current.average_daily_active_users()?;
    let previous_avg = previous.average_daily_active_users()?;
    let accept_rate = match (current.accept_rate(), previous.accept_rate()) {
        (Some(now), Some(before)) => Some(Change::new(now, before)),
        _ => None,
    };
    let usd = |totals: &PeriodTotals| {
        (!totals.spend.is_withheld()).then(|| totals.spend.usd_dollars().unwrap_or(0.0))
    };
    Some(HeadlineChanges {
        lines_added: Change::counts(current.lines_added, previous.lines_added),
        accept_rate,
        active_users: Change::counts(current.active_users, previous.active_users),
        average_daily_active_users: Change::new(current_avg, previous_avg),
        sessions: Change::counts(current.sessions, previous.sessions),
        spend_usd: usd(current)
            .zip(usd(previous))
            .map(|(now, before)| Change::new(now, before)),
        commits: Change::counts(current.commits, previous.commits),
        pull_requests: Change::counts(current.pull_requests, previous.pull_requests),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn each_range_is_compared_with_a_period_like_it() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2026, 12, 3);
        let preset = |p: RangePreset| (RangeSelection::Preset(p), p.resolve(today));
        let (mtd, range) = preset(RangePreset::MonthToDate);
        assert_eq!(
            comparison_period(mtd, range),
            DateRange::new(d(2026, 11, 1), d(2026, 11, 3)).unwrap()
        );
        let (last, range) = preset(RangePreset::LastMonth);
        assert_eq!(
            comparison_period(last, range),
            DateRange::new(d(2026, 10, 1), d(2026, 10, 31)).unwrap()
        );
        let (thirty, range) = preset(RangePreset::Last30);
        let before = comparison_period(thirty, range);
        assert_eq!(
            before,
            DateRange::new(d(2026, 9, 30), d(2026, 10, 29)).unwrap()
        );
        let custom = DateRange::new(d(2025, 12, 20), d(2026, 1, 10)).unwrap();
        assert_eq!(
            comparison_period(RangeSelection::Custom(custom), custom),
            custom.same_weekdays_before()
        );
    }
    use crate::model::aggregate::aggregate;
    use crate::model::dates::DateRange;
    use crate::model::fixture::small_org_records;
    use crate::model::record::UsageRecord;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 9, day).unwrap()
    }

    #[test]
    fn relative_change() {
        assert_eq!(Change::new(150.0, 100.0).relative(), Some(0.5));
        assert_eq!(Change::new(50.0, 100.0).relative(), Some(-0.5));
        assert_eq!(Change::new(5.0, 0.0).relative(), None);
        assert_eq!(Change::new(0.0, 0.0).relative(), None);
        assert_eq!(Change::new(5.0, 0.0).difference(), 5.0);
        let rate = Change::new(0.75, 0.5);
        assert!((rate.percentage_points() - 25.0).abs() < 1e-9);
    }

    #[test]
    fn fixture_against_previous_period() {
        let mut map: BTreeMap<NaiveDate, Vec<UsageRecord>> = BTreeMap::new();
        for record in small_org_records() {
            map.entry(record.date).or_default().push(record);
        }
        let empty = Vec::new();
        let lookup = |day: NaiveDate| Some(map.get(&day).unwrap_or(&empty).as_slice());
        // Current 09-09 ..= 09-10; previous 09-07 ..= 09-08 (the 7th empty).
        let current_range = DateRange::new(d(9), d(10)).unwrap();
        let previous_range = current_range.previous();
        assert_eq!(previous_range, DateRange::new(d(7), d(8)).unwrap());
        let current = aggregate(current_range, lookup).totals;
        let previous = aggregate(previous_range, lookup).totals;
        let changes = compare(&current, &previous).unwrap();

        assert_eq!(changes.lines_added, Change::new(65.0, 150.0));
        assert!((changes.lines_added.relative().unwrap() + 85.0 / 150.0).abs() < 1e-12);
        let rate = changes.accept_rate.unwrap();
        assert!((rate.current - 8.0 / 14.0).abs() < 1e-12);
        assert!((rate.previous - 17.0 / 24.0).abs() < 1e-12);
        assert!((rate.percentage_points() - (8.0 / 14.0 - 17.0 / 24.0) * 100.0).abs() < 1e-9);
        assert_eq!(changes.active_users, Change::new(2.0, 3.0));
        // (2 + 1) / 2 days against (0 + 3) / 2 days.
        assert_eq!(changes.average_daily_active_users, Change::new(1.5, 1.5));
        assert_eq!(changes.sessions, Change::new(7.0, 9.0));
        assert_eq!(changes.spend_usd, Some(Change::new(1.38, 1.75)));
        // Withheld costs: no spend change to report (unknown, not $0 → $0).
        let mut hidden = current.clone();
        hidden.spend.withhold();
        assert_eq!(compare(&hidden, &previous).unwrap().spend_usd, None);
        assert_eq!(compare(&previous, &hidden).unwrap().spend_usd, None);
        assert_eq!(changes.commits, Change::new(1.0, 3.0));
        assert_eq!(changes.pull_requests, Change::new(1.0, 1.0));
        assert_eq!(changes.pull_requests.relative(), Some(0.0));

        // Only the 10th (no decisions) against the 9th: no rate change.
        let tenth = aggregate(DateRange::day(d(10)), lookup).totals;
        let ninth = aggregate(DateRange::day(d(9)), lookup).totals;
        assert_eq!(compare(&tenth, &ninth).unwrap().accept_rate, None);

        let unknown = aggregate(current_range, |_| None).totals;
        assert_eq!(compare(&current, &unknown), None);
    }
}
