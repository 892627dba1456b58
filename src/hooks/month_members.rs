//! A month's members: the month in the URL, its days loaded and totalled per
//! member (the team page), and any range's members (the overview's top
//! members).

use leptos::prelude::*;

use crate::hooks::range_load::{Lane, RangeLoad};
use crate::hooks::usage::{use_member_rows, use_usage_load};
use crate::model::dates::{days_in_month, month_start, parse_iso_month, DateRange};
use crate::state::AppContext;
use crate::team_table::TeamRow;

/// The days of a month up to today (the whole month when it is over).
pub fn month_range(month: chrono::NaiveDate, today: chrono::NaiveDate) -> DateRange {
    let first = month_start(month);
    let last_of_month = first + chrono::TimeDelta::days(i64::from(days_in_month(first)) - 1);
    DateRange::new(first, last_of_month.min(today)).unwrap_or_else(|_| DateRange::day(today))
}

/// A month's members, loaded and totalled.
#[derive(Clone, Copy)]
pub struct MonthMembers {
    pub month: Memo<chrono::NaiveDate>,
    pub load: RangeLoad,
    pub rows: Memo<Vec<TeamRow>>,
}

/// The month in `?month=YYYY-MM`, if it is a month that has begun.
pub fn month_from_query(
    value: Option<&str>,
    today: chrono::NaiveDate,
) -> Option<chrono::NaiveDate> {
    let first = parse_iso_month(value?.trim())?;
    (first <= today).then_some(first)
}

/// Loads a month's members: the month in the URL (`?month=2025-09`), else this one.
pub fn use_month_members() -> MonthMembers {
    let ctx = AppContext::expect();
    let today = ctx.today;
    let query = leptos_router::hooks::use_query_map();
    let month = Memo::new(move |_| {
        query
            .with(|q| month_from_query(q.get_str("month"), today))
            .unwrap_or_else(|| month_start(today))
    });
    let range = Signal::derive(move || month_range(month.get(), today));
    let load = use_usage_load(range, Lane::Page);
    load.mark_when_settled();
    let rows = use_member_rows(range);
    MonthMembers { month, load, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_query_accepts_begun_months_only() {
        let today = d(2026, 11, 23);
        assert_eq!(
            month_from_query(Some("2025-09"), today),
            Some(d(2025, 9, 1))
        );
        assert_eq!(
            month_from_query(Some("2026-11"), today),
            Some(d(2026, 11, 1))
        );
        assert_eq!(month_from_query(Some("2026-12"), today), None);
        assert_eq!(month_from_query(Some("2025-13"), today), None);
        assert_eq!(month_from_query(Some("<script>"), today), None);
        assert_eq!(month_from_query(None, today), None);
    }

    #[test]
    fn month_range_stops_at_today() {
        let today = d(2026, 11, 23);
        let this = month_range(d(2026, 11, 1), today);
        assert_eq!((this.start(), this.end()), (d(2026, 11, 1), today));
        let past = month_range(d(2025, 9, 1), today);
        assert_eq!((past.start(), past.end()), (d(2025, 9, 1), d(2025, 9, 30)));
    }
}
