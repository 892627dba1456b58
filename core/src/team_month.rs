//! Which months the team page offers: from this month back to the first
//! month with data (when the app knows it: the host config's `data_since`,
//! `/v1/me`'s `data_since`, the demo organization's first day), at most a
//! year; and which month a `?month=YYYY-MM` in the URL shows.

use chrono::NaiveDate;

use crate::model::dates::{
    days_in_month, month_start, parse_iso_month, DateRange, RangePreset, RangeSelection,
};

/// Months the picker offers at most (this one and the eleven before it).
pub const MAX_MONTHS: usize = 12;

/// The first month with data, when the first day is known: never after
/// this month (a `data_since` in the future still leaves this month).
pub fn first_month(first_day: Option<NaiveDate>, today: NaiveDate) -> Option<NaiveDate> {
    first_day.map(|day| month_start(day.min(today)))
}

/// The month before `month`.
fn previous(month: NaiveDate) -> Option<NaiveDate> {
    month.pred_opt().map(month_start)
}

/// The months the picker offers, newest first: this month back to the first
/// month with data, at most [`MAX_MONTHS`]; plus `selected` (a month reached
/// through a link) when it is older than those and still has data.
pub fn month_choices(
    today: NaiveDate,
    selected: NaiveDate,
    first_day: Option<NaiveDate>,
) -> Vec<NaiveDate> {
    let first = first_month(first_day, today);
    let mut months = Vec::with_capacity(MAX_MONTHS + 1);
    let mut month = Some(month_start(today));
    while let Some(m) = month {
        if months.len() == MAX_MONTHS || first.is_some_and(|first| m < first) {
            break;
        }
        months.push(m);
        month = previous(m);
    }
    let selected = month_start(selected);
    if !months.contains(&selected) && is_offered(selected, today, first) {
        months.push(selected);
    }
    months
}

fn is_offered(month: NaiveDate, today: NaiveDate, first: Option<NaiveDate>) -> bool {
    month <= today && first.is_none_or(|first| month >= first)
}

/// The month in `?month=YYYY-MM`, if it is one with data: begun, and not
/// before the first month with data. Anything else (malformed, future,
/// before the data) is `None`: the page shows this month.
pub fn month_from_query(
    value: Option<&str>,
    today: NaiveDate,
    first_day: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let month = parse_iso_month(value?.trim())?;
    is_offered(month, today, first_month(first_day, today)).then_some(month)
}

/// The days of a month up to today (the whole month when it is over).
pub fn month_range(month: NaiveDate, today: NaiveDate) -> DateRange {
    let first = month_start(month);
    let last_of_month = first + chrono::TimeDelta::days(i64::from(days_in_month(first)) - 1);
    DateRange::new(first, last_of_month.min(today)).unwrap_or_else(|_| DateRange::day(today))
}

/// The range a member page opened from the team table's `month` shows: the
/// month to date or last month as their presets (which the member page
/// compares with the same days of the month before, or the whole month
/// before), an older month as its days.
pub fn member_range(month: NaiveDate, today: NaiveDate) -> RangeSelection {
    let month = month_start(month);
    let this_month = month_start(today);
    if month == this_month {
        RangeSelection::Preset(RangePreset::MonthToDate)
    } else if Some(month) == this_month.pred_opt().map(month_start) {
        RangeSelection::Preset(RangePreset::LastMonth)
    } else {
        RangeSelection::Custom(month_range(month, today))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn without_a_first_day_the_last_twelve_months() {
        let today = d(2026, 11, 23);
        let recent = month_choices(today, d(2026, 10, 1), None);
        assert_eq!(recent.len(), 12);
        assert_eq!(recent[0], d(2026, 11, 1));
        assert_eq!(recent[11], d(2025, 12, 1));
        // A month older than those, reached through a link, is added.
        let older = month_choices(today, d(2025, 9, 1), None);
        assert_eq!(older.len(), 13);
        assert_eq!(older[12], d(2025, 9, 1));
    }

    #[test]
    fn no_month_before_the_first_data() {
        let today = d(2026, 11, 23);
        // Data from mid-September: September is offered (its second half
        // has data), August is not.
        let first = Some(d(2026, 9, 17));
        assert_eq!(
            month_choices(today, d(2026, 11, 1), first),
            [d(2026, 11, 1), d(2026, 10, 1), d(2026, 9, 1)]
        );
        // A link to a month before the data adds nothing.
        assert_eq!(month_choices(today, d(2026, 8, 1), first).len(), 3);
        // Data from long ago: still at most twelve months.
        assert_eq!(
            month_choices(today, d(2026, 11, 1), Some(d(2020, 1, 1))).len(),
            12
        );
        // Data from exactly a year ago: twelve months, the first month's too.
        let year = month_choices(today, d(2026, 11, 1), Some(d(2025, 12, 1)));
        assert_eq!((year.len(), year[11]), (12, d(2025, 12, 1)));
    }

    #[test]
    fn on_the_first_of_a_month() {
        let today = d(2026, 12, 1);
        // Data began today: only this month, which has begun.
        assert_eq!(month_choices(today, today, Some(today)), [d(2026, 12, 1)]);
        // Data began yesterday: November too.
        assert_eq!(
            month_choices(today, today, Some(d(2026, 11, 30))),
            [d(2026, 12, 1), d(2026, 11, 1)]
        );
        assert_eq!(
            month_from_query(Some("2026-12"), today, Some(today)),
            Some(today)
        );
        assert_eq!(month_from_query(Some("2026-11"), today, Some(today)), None);
    }

    #[test]
    fn across_a_year_end() {
        let today = d(2027, 1, 2);
        let first = Some(d(2026, 11, 20));
        assert_eq!(
            month_choices(today, d(2027, 1, 1), first),
            [d(2027, 1, 1), d(2026, 12, 1), d(2026, 11, 1)]
        );
        assert_eq!(
            month_from_query(Some("2026-12"), today, first),
            Some(d(2026, 12, 1))
        );
        assert_eq!(month_from_query(Some("2026-10"), today, first), None);
        // Twelve months back from January reach February of last year.
        let year = month_choices(today, d(2027, 1, 1), None);
        assert_eq!(year[11], d(2026, 2, 1));
    }

    #[test]
    fn a_first_day_in_the_future_leaves_this_month() {
        let today = d(2026, 11, 23);
        assert_eq!(
            month_choices(today, d(2026, 11, 1), Some(d(2027, 3, 1))),
            [d(2026, 11, 1)]
        );
        assert_eq!(
            month_from_query(Some("2026-11"), today, Some(d(2027, 3, 1))),
            Some(d(2026, 11, 1))
        );
    }

    #[test]
    fn month_query_accepts_begun_months_with_data_only() {
        let today = d(2026, 11, 23);
        assert_eq!(
            month_from_query(Some("2025-09"), today, None),
            Some(d(2025, 9, 1))
        );
        assert_eq!(
            month_from_query(Some(" 2026-11 "), today, None),
            Some(d(2026, 11, 1))
        );
        assert_eq!(month_from_query(Some("2026-12"), today, None), None);
        assert_eq!(month_from_query(Some("2025-13"), today, None), None);
        assert_eq!(month_from_query(Some("2025-9"), today, None), None);
        assert_eq!(month_from_query(Some("<script>"), today, None), None);
        assert_eq!(month_from_query(None, today, None), None);
        assert_eq!(
            month_from_query(Some("2025-09"), today, Some(d(2026, 1, 15))),
            None
        );
        assert_eq!(
            month_from_query(Some("2026-01"), today, Some(d(2026, 1, 15))),
            Some(d(2026, 1, 1))
        );
    }

    #[test]
    fn a_member_page_opens_on_the_month_of_the_team_table() {
        let today = d(2026, 1, 1);
        assert_eq!(
            member_range(d(2026, 1, 1), today),
            RangeSelection::Preset(RangePreset::MonthToDate)
        );
        assert_eq!(
            member_range(d(2025, 12, 1), today),
            RangeSelection::Preset(RangePreset::LastMonth)
        );
        let november = member_range(d(2025, 11, 1), today);
        assert_eq!(
            november.to_query_pairs(),
            [
                ("from", "2025-11-01".to_owned()),
                ("to", "2025-11-30".to_owned())
            ]
        );
        // February of a leap year, whole.
        assert_eq!(
            month_range(d(2024, 2, 1), today),
            DateRange::new(d(2024, 2, 1), d(2024, 2, 29)).unwrap()
        );
        // This month: up to today.
        assert_eq!(month_range(d(2026, 1, 1), today), DateRange::day(today));
    }
}
