//! UTC day ranges, the range presets and the range as it appears in the URL
//! query (`?range=30d` or `?from=2025-09-01&to=2025-09-30`).

use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use thiserror::Error;

/// The longest range the app loads (one request per day).
pub const MAX_DAYS: u32 = 400;

/// Longest piece of user input quoted back in an error message.
const MAX_QUOTED: usize = 32;

/// Why a range could not be built or read from the URL.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RangeError {
    #[error("the start date {start} is after the end date {end}")]
    StartAfterEnd { start: NaiveDate, end: NaiveDate },
    #[error("the range covers {days} days; at most {MAX_DAYS} are allowed")]
    TooLong { days: i64 },
    #[error("{date} is outside the years 1 to 9999")]
    OutOfBounds { date: NaiveDate },
    #[error("the `{field}` date is missing")]
    MissingDate { field: &'static str },
    #[error("the `{field}` date `{value}` is not a date like 2025-09-30")]
    BadDate { field: &'static str, value: String },
    #[error("unknown range `{0}` (expected 7d, 30d, 90d, mtd or last-month)")]
    UnknownPreset(String),
    #[error("give either `range` or `from` and `to`, not both")]
    Conflicting,
    #[error("the range starts on {start}, after today")]
    StartsAfterToday { start: NaiveDate },
}

/// An inclusive range of UTC days: `start ≤ end`, at most [`MAX_DAYS`] long.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DateRange {
    start: NaiveDate,
    end: NaiveDate,
}

impl DateRange {
    /// A range from `start` to `end`, both included, in the years 1 to 9999.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, RangeError> {
        for date in [start, end] {
            if !(1..=9999).contains(&date.year()) {
                return Err(RangeError::OutOfBounds { date });
            }
        }
        if start > end {
            return Err(RangeError::StartAfterEnd { start, end });
        }
        let days = (end - start).num_days() + 1;
        if days > i64::from(MAX_DAYS) {
            return Err(RangeError::TooLong { days });
        }
        Ok(DateRange { start, end })
    }

    /// The single day `day`.
    pub fn day(day: NaiveDate) -> Self {
        DateRange {
            start: day,
            end: day,
        }
    }

    /// The `days` days ending with `end` (at least one, at most [`MAX_DAYS`]).
    pub fn ending(end: NaiveDate, days: u32) -> Self {
        let back = days.clamp(1, MAX_DAYS) - 1;
        DateRange {
            start: sub_days(end, back),
            end,
        }
    }

    /// The current month up to and including `today`.
    pub fn month_to_date(today: NaiveDate) -> Self {
        DateRange {
            start: month_start(today),
            end: today,
        }
    }

    /// The whole calendar month before the one `today` is in.
    pub fn last_month(today: NaiveDate) -> Self {
        let end = sub_days(month_start(today), 1);
        DateRange {
            start: month_start(end),
            end,
        }
    }

    pub fn start(&self) -> NaiveDate {
        self.start
    }

    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// Number of days, both ends included (1..=[`MAX_DAYS`]).
    pub fn len_days(&self) -> u32 {
        let days = (self.end - self.start).num_days() + 1;
        u32::try_from(days).unwrap_or(MAX_DAYS)
    }

    /// Every day of the range, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + Clone {
        self.start.iter_days().take(self.len_days() as usize)
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    /// The range of equal length that ends the day before this one starts.
    pub fn previous(&self) -> Self {
        let end = sub_days(self.start, 1);
        DateRange {
            start: sub_days(end, self.len_days() - 1),
            end,
        }
    }

    /// The same number of days, whole weeks earlier: each weekday counts as
    /// often in both (a 30-day range against the 30 days 35 days before it;
    /// a week against the week before).
    pub fn same_weekdays_before(&self) -> Self {
        let back = self.len_days().div_ceil(7) * 7;
        DateRange {
            start: sub_days(self.start, back),
            end: sub_days(self.end, back),
        }
    }

    /// The same days of the month before its start's month (`Dec 1 – Dec 3`
    /// → `Nov 1 – Nov 3`), cut at that month's last day (`Mar 1 – Mar 31`
    /// → `Feb 1 – Feb 28`).
    pub fn same_days_of_previous_month(&self) -> Self {
        let first = month_start(self.start);
        let previous_last = sub_days(first, 1);
        let previous_first = month_start(previous_last);
        let shift = |day: NaiveDate| {
            previous_first
                .checked_add_days(Days::new((day - first).num_days().max(0).unsigned_abs()))
                .map_or(previous_last, |d| d.min(previous_last))
        };
        DateRange {
            start: shift(self.start),
            end: shift(self.end),
        }
    }

    /// This range with its end moved back to `today` if it lies later; a range
    /// wholly after `today` becomes the single day `today`.
    pub fn clamp_to(&self, today: NaiveDate) -> Self {
        let end = self.end.min(today);
        DateRange {
            start: self.start.min(end),
            end,
        }
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} – {}", self.start, self.end)
    }
}

/// The ranges offered as one-click choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RangePreset {
    Last7,
    Last30,
    Last90,
    MonthToDate,
    LastMonth,
}

impl RangePreset {
    pub const ALL: [RangePreset; 5] = [
        RangePreset::Last7,
        RangePreset::Last30,
        RangePreset::Last90,
        RangePreset::MonthToDate,
        RangePreset::LastMonth,
    ];

    /// Shown on the preset's button.
    pub fn label(self) -> &'static str {
        match self {
            RangePreset::Last7 => "Last 7 days",
            RangePreset::Last30 => "Last 30 days",
            RangePreset::Last90 => "Last 90 days",
            RangePreset::MonthToDate => "Month to date",
            RangePreset::LastMonth => "Last month",
        }
    }

    /// The value of `?range=` for this preset.
    pub fn key(self) -> &'static str {
        match self {
            RangePreset::Last7 => "7d",
            RangePreset::Last30 => "30d",
            RangePreset::Last90 => "90d",
            RangePreset::MonthToDate => "mtd",
            RangePreset::LastMonth => "last-month",
        }
    }

    /// The preset whose [`key`](Self::key) is `key` (ASCII case ignored).
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|preset| preset.key().eq_ignore_ascii_case(key.trim()))
    }

    /// The days this preset means on `today` (the "last N days" end with today).
    pub fn resolve(self, today: NaiveDate) -> DateRange {
        match self {
            RangePreset::Last7 => DateRange::ending(today, 7),
            RangePreset::Last30 => DateRange::ending(today, 30),
            RangePreset::Last90 => DateRange::ending(today, 90),
            RangePreset::MonthToDate => DateRange::month_to_date(today),
            RangePreset::LastMonth => DateRange::last_month(today),
        }
    }
}

/// The range chosen in the URL: a preset (relative to today) or fixed days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RangeSelection {
    Preset(RangePreset),
    Custom(DateRange),
}

impl Default for RangeSelection {
    fn default() -> Self {
        RangeSelection::Preset(RangePreset::Last30)
    }
}

impl RangeSelection {
    /// Reads the query parameters `range`, `from` and `to`. Nothing given means
    /// the default (last 30 days); an empty `range` counts as not given.
    pub fn from_query(
        range: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Self, RangeError> {
        let range = range.map(str::trim).filter(|key| !key.is_empty());
        match (range, from, to) {
            (None, None, None) => Ok(Self::default()),
            (Some(key), None, None) => RangePreset::from_key(key)
                .map(RangeSelection::Preset)
                .ok_or_else(|| RangeError::UnknownPreset(quote(key))),
            (Some(_), _, _) => Err(RangeError::Conflicting),
            (None, from, to) => {
                let start = parse_day("from", from)?;
                let end = parse_day("to", to)?;
                DateRange::new(start, end).map(RangeSelection::Custom)
            }
        }
    }

    /// This selection, unless it has no day up to `today` (a custom range
    /// that starts later; one that ends later is cut at `today`).
    pub fn usable_on(self, today: NaiveDate) -> Result<Self, RangeError> {
        match self {
            RangeSelection::Custom(range) if range.start > today => {
                Err(RangeError::StartsAfterToday { start: range.start })
            }
            selection => Ok(selection),
        }
    }

    /// The query parameters that give back this selection.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        match self {
            RangeSelection::Preset(preset) => vec![("range", preset.key().to_owned())],
            RangeSelection::Custom(range) => vec![
                ("from", range.start.to_string()),
                ("to", range.end.to_string()),
            ],
        }
    }

    /// The days to show on `today`; a custom range is cut off at `today`.
    pub fn resolve(&self, today: NaiveDate) -> DateRange {
        match self {
            RangeSelection::Preset(preset) => preset.resolve(today),
            RangeSelection::Custom(range) => range.clamp_to(today),
        }
    }

    /// "Last 30 days" or "2025-09-01 – 2025-09-30".
    pub fn label(&self) -> String {
        match self {
            RangeSelection::Preset(preset) => preset.label().to_owned(),
            RangeSelection::Custom(range) => range.to_string(),
        }
    }
}

/// Saturday or Sunday.
pub fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The first day of `day`'s month.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// Number of days in `day`'s month (28 to 31).
pub fn days_in_month(day: NaiveDate) -> u32 {
    match day.month() {
        4 | 6 | 9 | 11 => 30,
        2 if day.with_day(29).is_some() => 29,
        2 => 28,
        _ => 31,
    }
}

/// `day` minus `days`, stopping at the earliest date chrono knows.
fn sub_days(day: NaiveDate, days: u32) -> NaiveDate {
    day.checked_sub_days(Days::new(days.into()))
        .unwrap_or(NaiveDate::MIN)
}

fn parse_day(field: &'static str, text: Option<&str>) -> Result<NaiveDate, RangeError> {
    let text = text.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(RangeError::MissingDate { field });
    }
    parse_iso_day(text).ok_or_else(|| RangeError::BadDate {
        field,
        value: quote(text),
    })
}

/// User input cut to a length fit for an error message.
fn quote(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Parses exactly `YYYY-MM-DD` (the API's and the URL's day format).
///
/// By hand rather than with chrono's `parse_from_str`, whose format-string
/// machinery is several KB of wasm for this one fixed format.
pub fn parse_iso_day(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

/// Parses `YYYY-MM` into the first day of that month.
pub fn parse_iso_month(text: &str) -> Option<NaiveDate> {
    if text.len() != 7 {
        return None;
    }
    parse_iso_day(&format!("{text}-01"))
}

/// `YYYY-MM` of `day`'s month.
pub fn iso_month(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn range(a: NaiveDate, b: NaiveDate) -> DateRange {
        DateRange::new(a, b).unwrap()
    }

    #[test]
    fn new_checks_order_length_and_years() {
        assert_eq!(range(d(2025, 9, 1), d(2025, 9, 30)).len_days(), 30);
        assert_eq!(range(d(2025, 9, 1), d(2025, 9, 1)).len_days(), 1);
        assert_eq!(
            DateRange::new(d(2025, 9, 2), d(2025, 9, 1)),
            Err(RangeError::StartAfterEnd {
                start: d(2025, 9, 2),
                end: d(2025, 9, 1)
            })
        );
        // 2024-01-01 ..= 2025-02-04 is 366 + 35 = 401 days; one day fewer fits.
        assert_eq!(
            DateRange::new(d(2024, 1, 1), d(2025, 2, 4)),
            Err(RangeError::TooLong { days: 401 })
        );
        assert_eq!(range(d(2024, 1, 1), d(2025, 2, 3)).len_days(), MAX_DAYS);
        assert!(matches!(
            DateRange::new(d(0, 12, 31), d(1, 1, 1)),
            Err(RangeError::OutOfBounds { .. })
        ));
        assert!(matches!(
            DateRange::new(d(9999, 12, 31), d(10000, 1, 1)),
            Err(RangeError::OutOfBounds { .. })
        ));
    }

    #[test]
    fn days_contains_and_display() {
        let r = range(d(2024, 2, 27), d(2024, 3, 1));
        let days: Vec<_> = r.days().collect();
        assert_eq!(
            days,
            vec![
                d(2024, 2, 27),
                d(2024, 2, 28),
                d(2024, 2, 29),
                d(2024, 3, 1)
            ]
        );
        assert!(r.contains(d(2024, 2, 27)) && r.contains(d(2024, 3, 1)));
        assert!(!r.contains(d(2024, 2, 26)) && !r.contains(d(2024, 3, 2)));
        assert_eq!(r.to_string(), "2024-02-27 – 2024-03-01");
        assert_eq!(DateRange::day(d(2025, 1, 1)).days().count(), 1);
    }

    #[test]
    fn previous_has_equal_length_and_ends_the_day_before() {
        let r = range(d(2025, 3, 1), d(2025, 3, 10));
        assert_eq!(r.previous(), range(d(2025, 2, 19), d(2025, 2, 28)));
        let single = DateRange::day(d(2025, 1, 1));
        assert_eq!(single.previous(), DateRange::day(d(2024, 12, 31)));
        let far = DateRange::day(NaiveDate::MIN);
        assert_eq!(far.previous(), DateRange::day(NaiveDate::MIN));
    }

    #[test]
    fn comparisons_keep_the_weekdays_or_the_days_of_the_month() {
        // 30 days from a Wednesday: 35 days back, from a Wednesday too.
        let r = range(d(2026, 11, 4), d(2026, 12, 3));
        let before = r.same_weekdays_before();
        assert_eq!(before, range(d(2026, 9, 30), d(2026, 10, 29)));
        assert_eq!(before.start().weekday(), r.start().weekday());
        assert_eq!(before.len_days(), 30);
        // A week: the week before; a single day: the same weekday a week before.
        let week = range(d(2026, 11, 27), d(2026, 12, 3));
        assert_eq!(
            week.same_weekdays_before(),
            range(d(2026, 11, 20), d(2026, 11, 26))
        );
        let one = DateRange::day(d(2026, 1, 1));
        assert_eq!(one.same_weekdays_before(), DateRange::day(d(2025, 12, 25)));
        // Across a year end: 22 days, four weeks back.
        let new_year = range(d(2025, 12, 20), d(2026, 1, 10));
        assert_eq!(
            new_year.same_weekdays_before(),
            range(d(2025, 11, 22), d(2025, 12, 13))
        );
        // Month to date, today on the 1st: the 1st of the month before.
        let first = DateRange::month_to_date(d(2026, 12, 1));
        assert_eq!(
            first.same_days_of_previous_month(),
            DateRange::day(d(2026, 11, 1))
        );
        let mtd = DateRange::month_to_date(d(2026, 12, 3));
        assert_eq!(
            mtd.same_days_of_previous_month(),
            range(d(2026, 11, 1), d(2026, 11, 3))
        );
        // January against December; March's 29th–31st against February's end.
        let january = DateRange::month_to_date(d(2026, 1, 15));
        assert_eq!(
            january.same_days_of_previous_month(),
            range(d(2025, 12, 1), d(2025, 12, 15))
        );
        let march = DateRange::month_to_date(d(2025, 3, 31));
        assert_eq!(
            march.same_days_of_previous_month(),
            range(d(2025, 2, 1), d(2025, 2, 28))
        );
        let leap = DateRange::month_to_date(d(2024, 3, 30));
        assert_eq!(
            leap.same_days_of_previous_month(),
            range(d(2024, 2, 1), d(2024, 2, 29))
        );
    }

    #[test]
    fn months() {
        let today = d(2025, 3, 15);
        assert_eq!(DateRange::month_to_date(today), range(d(2025, 3, 1), today));
        assert_eq!(
            DateRange::last_month(today),
            range(d(2025, 2, 1), d(2025, 2, 28))
        );
        assert_eq!(
            DateRange::last_month(d(2025, 1, 1)),
            range(d(2024, 12, 1), d(2024, 12, 31))
        );
        assert_eq!(month_start(d(2024, 2, 29)), d(2024, 2, 1));
        assert_eq!(days_in_month(d(2024, 2, 10)), 29);
        assert_eq!(days_in_month(d(2025, 2, 10)), 28);
        assert_eq!(days_in_month(d(1900, 2, 1)), 28);
        assert_eq!(days_in_month(d(2025, 4, 30)), 30);
        assert_eq!(days_in_month(d(2025, 12, 1)), 31);
    }

    #[test]
    fn presets_resolve_relative_to_today() {
        let today = d(2025, 9, 10);
        assert_eq!(
            RangePreset::Last7.resolve(today),
            range(d(2025, 9, 4), today)
        );
        assert_eq!(
            RangePreset::Last30.resolve(today),
            range(d(2025, 8, 12), today)
        );
        assert_eq!(RangePreset::Last90.resolve(today).len_days(), 90);
        assert_eq!(
            RangePreset::MonthToDate.resolve(today),
            range(d(2025, 9, 1), today)
        );
        assert_eq!(
            RangePreset::LastMonth.resolve(today),
            range(d(2025, 8, 1), d(2025, 8, 31))
        );
        for preset in RangePreset::ALL {
            assert_eq!(RangePreset::from_key(preset.key()), Some(preset));
        }
        assert_eq!(RangePreset::Last7.label(), "Last 7 days");
        assert_eq!(RangePreset::from_key("MTD"), Some(RangePreset::MonthToDate));
        assert_eq!(RangePreset::from_key("8d"), None);
    }

    #[test]
    fn query_round_trips() {
        assert_eq!(
            RangeSelection::from_query(None, None, None),
            Ok(RangeSelection::Preset(RangePreset::Last30))
        );
        assert_eq!(
            RangeSelection::from_query(Some(""), None, None),
            Ok(RangeSelection::default())
        );
        let preset = RangeSelection::from_query(Some("last-month"), None, None).unwrap();
        assert_eq!(preset, RangeSelection::Preset(RangePreset::LastMonth));
        assert_eq!(
            preset.to_query_pairs(),
            vec![("range", "last-month".to_owned())]
        );
        let custom =
            RangeSelection::from_query(None, Some("2025-09-01"), Some("2025-09-30")).unwrap();
        assert_eq!(
            custom,
            RangeSelection::Custom(range(d(2025, 9, 1), d(2025, 9, 30)))
        );
        assert_eq!(
            custom.to_query_pairs(),
            vec![
                ("from", "2025-09-01".to_owned()),
                ("to", "2025-09-30".to_owned())
            ]
        );
        assert_eq!(custom.label(), "2025-09-01 – 2025-09-30");
    }

    #[test]
    fn bad_queries_are_typed_errors() {
        assert_eq!(
            RangeSelection::from_query(Some("2w"), None, None),
            Err(RangeError::UnknownPreset("2w".into()))
        );
        assert_eq!(
            RangeSelection::from_query(Some("7d"), Some("2025-09-01"), None),
            Err(RangeError::Conflicting)
        );
        assert_eq!(
            RangeSelection::from_query(None, Some("2025-09-01"), None),
            Err(RangeError::MissingDate { field: "to" })
        );
        assert_eq!(
            RangeSelection::from_query(None, Some(" "), Some("2025-09-01")),
            Err(RangeError::MissingDate { field: "from" })
        );
        assert_eq!(
            RangeSelection::from_query(None, Some("2025-02-30"), Some("2025-03-01")),
            Err(RangeError::BadDate {
                field: "from",
                value: "2025-02-30".into()
            })
        );
        assert!(matches!(
            RangeSelection::from_query(None, Some("2025-09-30"), Some("2025-09-01")),
            Err(RangeError::StartAfterEnd { .. })
        ));
        assert!(matches!(
            RangeSelection::from_query(None, Some("2020-01-01"), Some("2025-01-01")),
            Err(RangeError::TooLong { .. })
        ));
        let long = "x".repeat(1000);
        let err = RangeSelection::from_query(Some(&long), None, None).unwrap_err();
        assert_eq!(
            err,
            RangeError::UnknownPreset(format!("{}…", "x".repeat(32)))
        );
        assert!(err.to_string().starts_with("unknown range `xxx"));
    }

    #[test]
    fn custom_ranges_are_clamped_to_today() {
        let today = d(2025, 9, 10);
        let sel = RangeSelection::Custom(range(d(2025, 9, 1), d(2025, 9, 30)));
        assert_eq!(sel.resolve(today), range(d(2025, 9, 1), today));
        let future = RangeSelection::Custom(range(d(2025, 10, 1), d(2025, 10, 5)));
        assert_eq!(future.resolve(today), DateRange::day(today));
        let past = RangeSelection::Custom(range(d(2025, 8, 1), d(2025, 8, 5)));
        assert_eq!(past.resolve(today), range(d(2025, 8, 1), d(2025, 8, 5)));
        // A range with no day up to today is not silently today alone.
        assert_eq!(
            future.usable_on(today),
            Err(RangeError::StartsAfterToday {
                start: d(2025, 10, 1)
            })
        );
        assert_eq!(sel.usable_on(today), Ok(sel));
        let starts_today = RangeSelection::Custom(range(today, d(2025, 9, 12)));
        assert_eq!(starts_today.usable_on(today), Ok(starts_today));
        let preset = RangeSelection::Preset(RangePreset::Last7);
        assert_eq!(preset.usable_on(today), Ok(preset));
    }

    #[test]
    fn weekends() {
        assert!(is_weekend(d(2025, 9, 6))); // Saturday
        assert!(is_weekend(d(2025, 9, 7))); // Sunday
        assert!(!is_weekend(d(2025, 9, 8))); // Monday
    }

    #[test]
    fn parses_exactly_iso_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(parse_iso_day("2025-09-08"), d(2025, 9, 8));
        assert_eq!(parse_iso_day("2024-02-29"), d(2024, 2, 29));
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-9-8",
            "2025-09-08 ",
            "+2025-09-0",
            "2025/09/08",
            "２０２５-09-08",
            "",
            "2025-09-0x",
            "-025-09-08",
        ] {
            assert_eq!(parse_iso_day(bad), None, "{bad:?}");
        }
        assert_eq!(parse_iso_month("2025-09"), d(2025, 9, 1));
        assert_eq!(parse_iso_month("2025-9"), None);
        assert_eq!(parse_iso_month("2025-09-01"), None);
        assert_eq!(
            iso_month(NaiveDate::from_ymd_opt(987, 3, 4).unwrap()),
            "0987-03"
        );
    }
}
