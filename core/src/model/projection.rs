//! The month's spend, projected: what the month has cost through yesterday,
//! plus each day left (today included) at what the same weekday cost on
//! average over the last four weeks. A linear run rate from the month's
//! first days misleads: three weekdays projected a month at their pace,
//! weekends included (issue #29).

use chrono::{Datelike, NaiveDate, TimeDelta};

use crate::model::aggregate::Aggregates;
use crate::model::dates::{days_in_month, month_start, DateRange};
use crate::model::totals::Spend;

/// Days the weekday averages come from: four of each weekday.
pub const TRAILING_DAYS: u32 = 28;

/// The days the averages come from: the four weeks before `today`.
pub fn trailing_window(today: NaiveDate) -> DateRange {
    DateRange::ending(today - TimeDelta::days(1), TRAILING_DAYS)
}

/// The month's spend at its end, per currency, from `month` (the month to
/// date, today included) and `trailing` (the [`trailing_window`]). `None`
/// when it would mean nothing: a day of either not loaded, or spend withheld
/// from the viewer.
pub fn project_month_end(
    month: &Aggregates,
    trailing: &Aggregates,
    today: NaiveDate,
) -> Option<Spend> {
    if trailing.days.is_empty() || trailing.days.iter().any(|d| !d.loaded) {
        return None;
    }
    let mut projected = Spend::new();
    for day in month.days.iter().filter(|d| d.date < today) {
        if !day.loaded {
            return None;
        }
        projected.merge(&day.spend);
    }
    if projected.is_withheld() || trailing.totals.spend.is_withheld() {
        return None;
    }
    let last = month_start(today) + TimeDelta::days(i64::from(days_in_month(today)) - 1);
    // Per currency (a handful at most: a list, not a map).
    let mut expected: Vec<(&str, f64)> = Vec::new();
    let mut day = today;
    while day <= last {
        let same: Vec<_> = trailing
            .days
            .iter()
            .filter(|t| t.date.weekday() == day.weekday())
            .collect();
        for t in &same {
            for (currency, minor) in t.spend.iter() {
                let share = minor as f64 / same.len() as f64;
                match expected.iter_mut().find(|(c, _)| *c == currency) {
                    Some((_, sum)) => *sum += share,
                    None => expected.push((currency, share)),
                }
            }
        }
        day += TimeDelta::days(1);
    }
    for (currency, minor) in expected {
        projected.add(currency, minor.round() as u64);
    }
    Some(projected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::aggregate::{aggregate, DayTotals};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    /// Aggregates of `range` where each day costs `usd(day)` cents.
    fn days(range: DateRange, usd: impl Fn(NaiveDate) -> u64) -> Aggregates {
        let mut a = aggregate(range, |_| Some(&[][..]));
        for day in &mut a.days {
            day.spend.add("USD", usd(day.date));
        }
        a
    }

    /// Weekdays cost $100, weekends $10.
    fn rhythm(day: NaiveDate) -> u64 {
        if day.weekday().number_from_monday() >= 6 {
            1_000
        } else {
            10_000
        }
    }

    #[test]
    fn the_rest_of_the_month_at_each_weekday_s_pace() {
        // Thursday 2026-12-03: Dec 1–2 (Tue, Wed) cost $200 so far; today's
        // partial figure is not counted, today is projected.
        let today = d(12, 3);
        let month = days(DateRange::month_to_date(today), |day| {
            if day == today {
                500
            } else {
                rhythm(day)
            }
        });
        let trailing = days(trailing_window(today), rhythm);
        assert_eq!(trailing.range, DateRange::new(d(11, 5), d(12, 2)).unwrap());
        // Dec 3–31: 29 days, 21 weekdays and 8 weekend days.
        let want = 2 * 10_000 + 21 * 10_000 + 8 * 1_000;
        assert_eq!(
            project_month_end(&month, &trailing, today).and_then(|s| s.usd_minor()),
            Some(want)
        );
        // A linear rate from Dec 1–3 would say (20,500 ÷ 3) × 31: far off.
    }

    #[test]
    fn on_the_first_of_the_month_every_day_is_projected() {
        let today = d(12, 1);
        let month = days(DateRange::month_to_date(today), |_| 0);
        let trailing = days(trailing_window(today), rhythm);
        // December 2026: 23 weekdays, 8 weekend days.
        assert_eq!(
            project_month_end(&month, &trailing, today).and_then(|s| s.usd_minor()),
            Some(23 * 10_000 + 8 * 1_000)
        );
    }

    #[test]
    fn weekday_averages_round_once_and_keep_currencies_apart() {
        let today = d(12, 31);
        let month = days(DateRange::month_to_date(today), |_| 0);
        // Each Thursday of the window costs 1, 2, 2, 2 cents: 1.75 on average.
        let mut trailing = days(trailing_window(today), |_| 0);
        let thursdays: Vec<&mut DayTotals> = trailing
            .days
            .iter_mut()
            .filter(|t| t.date.weekday() == chrono::Weekday::Thu)
            .collect();
        for (i, t) in thursdays.into_iter().enumerate() {
            t.spend.add("USD", if i == 0 { 1 } else { 2 });
            t.spend.add("EUR", 300);
        }
        let projected = project_month_end(&month, &trailing, today).unwrap();
        assert_eq!(projected.usd_minor(), Some(2));
        assert_eq!(projected.minor("EUR"), Some(300));
    }

    #[test]
    fn unknown_or_withheld_spend_projects_nothing() {
        let today = d(12, 10);
        let month = days(DateRange::month_to_date(today), rhythm);
        let mut trailing = days(trailing_window(today), rhythm);
        assert!(project_month_end(&month, &trailing, today).is_some());
        trailing.days[3] = DayTotals::new(trailing.days[3].date, false);
        assert_eq!(project_month_end(&month, &trailing, today), None);
        let trailing = days(trailing_window(today), rhythm);
        let mut withheld = month.clone();
        withheld.days[0].spend.withhold();
        assert_eq!(project_month_end(&withheld, &trailing, today), None);
    }
}
