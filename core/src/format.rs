//! Number and date formatting for cards, tables, tooltips and axis ticks.
//! Plain std, no locale crates: English formats, thousands separated by commas.

use chrono::{Datelike, NaiveDate};

use crate::chart::spec::Unit;
use crate::model::dates::{DateRange, RangeError, MAX_DAYS};
use crate::model::totals::{minor_per_major, Spend, USD};

/// Shown for a value that does not exist (a gap, no rate).
pub const DASH: &str = "—";

/// The app's name, the title of its own page.
pub const APP_NAME: &str = "Claude Code Analytics";

/// A stand-alone page's tab title: `"Spend — Claude Code Analytics"`.
pub fn tab_title(page: &str) -> String {
    format!("{page} — {APP_NAME}")
}

/// `1234567` → `"1,234,567"`.
pub fn full_count(n: u64) -> String {
    group_thousands(&n.to_string())
}

fn group_thousands(digits: &str) -> String {
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `value` with `decimals` digits after the point (at most 9), rounded half
/// away from zero; `"-"` only before a non-zero result.
///
/// Integer arithmetic instead of `format!("{:.N}")`: Rust's exact float
/// printing is several KB of wasm, and every figure here is a rounded one.
pub fn fixed(value: f64, decimals: u32) -> String {
    if !value.is_finite() {
        return DASH.to_owned();
    }
    let decimals = decimals.min(9);
    let scale = 10u128.pow(decimals);
    // `as` saturates: an absurd value prints as a large number, never panics.
    let scaled = (value.abs() * scale as f64).round() as u128;
    let sign = if value < 0.0 && scaled != 0 { "-" } else { "" };
    let (whole, fraction) = (scaled / scale, scaled % scale);
    if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!(
            "{sign}{whole}.{fraction:0width$}",
            width = decimals as usize
        )
    }
}

/// `950` → `"950"`, `1234` → `"1.2k"`, `12_345` → `"12k"`, `3_400_000` → `"3.4M"`.
pub fn compact_count(value: f64) -> String {
    if !value.is_finite() {
        return DASH.to_owned();
    }
    let sign = if value < 0.0 { "−" } else { "" };
    let v = value.abs();
    let (scaled, suffix) = if v >= 1e9 {
        (v / 1e9, "B")
    } else if v >= 1e6 {
        (v / 1e6, "M")
    } else if v >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let body = if suffix.is_empty() {
        if (v - v.round()).abs() < 1e-9 {
            fixed(v, 0)
        } else {
            decimal(v, 1)
        }
    } else if scaled < 10.0 {
        decimal(scaled, 1)
    } else {
        let rounded = scaled.round();
        // 999_999 would read "1000k": say "1M" instead.
        if rounded >= 1000.0 && suffix != "B" {
            return compact_count(value.signum() * v * 1.001);
        }
        fixed(rounded, 0)
    };
    format!("{sign}{body}{suffix}")
}

/// `value` with at most `decimals` digits after the point and no trailing
/// zeros: `1.5`, `2`, `0.25` (for CSS numbers, without Rust's float printing).
pub fn decimal(value: f64, decimals: u32) -> String {
    let text = fixed(value, decimals);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// Cents as dollars: `123456` → `"$1,234.56"`.
pub fn dollars_from_cents(cents: u64) -> String {
    format!("${}.{:02}", full_count(cents / 100), cents % 100)
}

/// Any currency's minor units, with its own decimals (ISO 4217:
/// [`minor_per_major`]): `"EUR"`, `123456` → `"1,234.56 EUR"`; `"JPY"`,
/// `50000` → `"50,000 JPY"`; `"KWD"`, `1000` → `"1.000 KWD"` (USD as
/// dollars).
pub fn money(currency: &str, minor: u64) -> String {
    if currency == "USD" {
        dollars_from_cents(minor)
    } else {
        format!("{} {currency}", major_amount(currency, minor, true))
    }
}

/// `minor` units of `currency` in its major unit, with as many decimals as
/// it has (none for yen, three for dinars); `grouped` puts thousands
/// separators in the whole part (a page's text, not a CSV's raw number).
pub fn major_amount(currency: &str, minor: u64, grouped: bool) -> String {
    let per_major = u64::from(minor_per_major(currency)).max(1);
    let whole = minor / per_major;
    let whole = if grouped {
        full_count(whole)
    } else {
        whole.to_string()
    };
    match per_major {
        1 => whole,
        1000 => format!("{whole}.{:03}", minor % 1000),
        _ => format!("{whole}.{:02}", minor % 100),
    }
}

/// Dollars, compact: `1234.0` → `"$1.2k"`, `12.5` → `"$12.50"`, `0.0` → `"$0"`.
pub fn compact_dollars(dollars: f64) -> String {
    if !dollars.is_finite() {
        return DASH.to_owned();
    }
    if dollars.abs() >= 1000.0 {
        return format!("${}", compact_count(dollars));
    }
    if dollars == 0.0 {
        return "$0".to_owned();
    }
    if (dollars - dollars.round()).abs() < 1e-9 {
        format!("${}", fixed(dollars, 0))
    } else {
        format!("${}", fixed(dollars, 2))
    }
}

/// A ratio as a percentage with one decimal: `0.853` → `"85.3%"`.
pub fn percent(ratio: f64) -> String {
    fixed(ratio * 100.0, 1) + "%"
}

/// `None` (no decisions) as a dash, never 0%.
pub fn percent_or_dash(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| DASH.to_owned(), percent)
}

/// A tick label for a ratio: `0.85` → `"85%"`.
pub fn percent_tick(ratio: f64) -> String {
    decimal(ratio * 100.0, 1) + "%"
}

/// A relative change: `0.123` → `"+12.3%"`, `-0.04` → `"−4.0%"` (a real minus sign).
pub fn signed_percent(ratio: f64) -> String {
    let pct = ratio * 100.0;
    if pct >= 0.0 {
        format!("+{}%", fixed(pct, 1))
    } else {
        format!("−{}%", fixed(-pct, 1))
    }
}

/// A change in percentage points: `2.1` → `"+2.1 pp"`.
pub fn signed_points(points: f64) -> String {
    if points >= 0.0 {
        format!("+{} pp", fixed(points, 1))
    } else {
        format!("−{} pp", fixed(-points, 1))
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `"Nov"`.
pub fn month_name(day: NaiveDate) -> &'static str {
    MONTHS.get(day.month0() as usize).copied().unwrap_or("")
}

/// `"Nov 3"`.
pub fn short_date(day: NaiveDate) -> String {
    format!("{} {}", month_name(day), day.day())
}

/// The days of a range, short: `"Nov 1 – Nov 3"`, `"Nov 1"` for one day,
/// with the years when it crosses one.
pub fn span(range: DateRange) -> String {
    let (start, end) = (range.start(), range.end());
    if start == end {
        short_date(start)
    } else if start.year() != end.year() {
        format!(
            "{}, {} – {}, {}",
            short_date(start),
            start.year(),
            short_date(end),
            end.year()
        )
    } else {
        format!("{} – {}", short_date(start), short_date(end))
    }
}

/// What a change is measured against: `"vs Nov 1 – Nov 3"`, `"vs Nov 1"`
/// for one day, with the years when the period crosses one.
pub fn versus(range: DateRange) -> String {
    format!("vs {}", span(range))
}

/// The days a load still waits for (sorted): `"Nov 30"`, `"Nov 4 – Dec 3"`
/// when they follow each other, else `"Nov 28 and 2 more days"`.
pub fn waiting_for(days: &[NaiveDate]) -> String {
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        return String::new();
    };
    let consecutive = days.windows(2).all(|w| w[0].succ_opt() == Some(w[1]));
    match DateRange::new(first, last) {
        Ok(range) if consecutive => span(range),
        _ => format!(
            "{} and {}",
            short_date(first),
            count_of(days.len() - 1, "more day", "more days")
        ),
    }
}

/// `"Nov 3, 2025"`.
pub fn date_and_year(day: NaiveDate) -> String {
    format!("{}, {}", short_date(day), day.year())
}

/// Where a date range the app could not use came from: the wording differs
/// (a form's field is chosen again, a link's parameter is named).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeInput {
    Form,
    Link,
}

/// What is wrong with a range, as a sentence for the page (dates written
/// like the rest of the page, the URL's parameters named only for a link).
pub fn range_problem(error: &RangeError, input: RangeInput) -> String {
    let field_name = |field: &str| if field == "from" { "start" } else { "end" };
    match (error, input) {
        (RangeError::StartAfterEnd { start, end }, _) => format!(
            "The start date, {}, is after the end date, {}.",
            date_and_year(*start),
            date_and_year(*end)
        ),
        (RangeError::TooLong { days }, _) => format!(
            "That range covers {} days; a range can cover at most {}.",
            full_count(u64::try_from(*days).unwrap_or(0)),
            MAX_DAYS
        ),
        (RangeError::OutOfBounds { date }, _) => {
            format!("{date} is outside the dates this dashboard can show.")
        }
        (RangeError::StartsAfterToday { start }, _) => format!(
            "The range starts on {}, after today: there is no usage yet.",
            date_and_year(*start)
        ),
        (RangeError::MissingDate { field }, RangeInput::Form) => {
            format!(
                "Choose {} date.",
                if *field == "from" {
                    "a start"
                } else {
                    "an end"
                }
            )
        }
        (RangeError::MissingDate { field }, RangeInput::Link) => {
            format!("The link has no {} date (`{field}`).", field_name(field))
        }
        (RangeError::BadDate { field, .. }, RangeInput::Form) => {
            format!("The {} date is not a valid date.", field_name(field))
        }
        (RangeError::BadDate { field, value }, RangeInput::Link) => format!(
            "The link's {} date, “{value}”, is not a date like 2026-09-30.",
            field_name(field)
        ),
        (RangeError::UnknownPreset(key), _) => {
            format!("The link's range “{key}” is not one of 7d, 30d, 90d, mtd or last-month.")
        }
        (RangeError::Conflicting, _) => "The link gives both a named range and dates.".to_owned(),
    }
}

/// `"Mon, Nov 3, 2025"`.
pub fn long_date(day: NaiveDate) -> String {
    let weekday = WEEKDAYS
        .get(day.weekday().num_days_from_monday() as usize)
        .copied()
        .unwrap_or("");
    format!(
        "{weekday}, {} {}, {}",
        month_name(day),
        day.day(),
        day.year()
    )
}

/// `"2025-11-03"` (chrono's `Display` for a date, not its strftime machinery).
pub fn iso_date(day: NaiveDate) -> String {
    day.to_string()
}

/// `"November 2025"`.
pub fn month_and_year(day: NaiveDate) -> String {
    const FULL_MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = FULL_MONTHS
        .get(day.month0() as usize)
        .copied()
        .unwrap_or("");
    format!("{month} {}", day.year())
}

/// `"1 day"`, `"3 days"`: a count with its noun in the right number
/// (`one` for exactly 1, `many` otherwise, 0 included).
pub fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `"1 day"`, `"30 days"`.
pub fn days(n: usize) -> String {
    count_of(n, "day", "days")
}

/// `"Oct 2 – Oct 31, 2025 (30 days)"`.
pub fn range_label(range: DateRange) -> String {
    let (start, end) = (range.start(), range.end());
    let days = days(range.len_days() as usize);
    if start == end {
        format!("{}, {} ({days})", short_date(start), start.year())
    } else if start.year() == end.year() {
        format!(
            "{} – {}, {} ({days})",
            short_date(start),
            short_date(end),
            end.year()
        )
    } else {
        format!(
            "{}, {} – {}, {} ({days})",
            short_date(start),
            start.year(),
            short_date(end),
            end.year()
        )
    }
}

/// A chart value in its axis unit, full precision (tooltips, tables).
pub fn unit_value(unit: Unit, value: Option<f64>) -> String {
    match (unit, value) {
        (_, None) => DASH.to_owned(),
        (Unit::Count, Some(v)) if (v - v.round()).abs() < 1e-9 && v >= 0.0 => {
            full_count(v.round() as u64)
        }
        (Unit::Count, Some(v)) => fixed(v, 1),
        (Unit::Dollars, Some(v)) => dollars_from_cents((v.max(0.0) * 100.0).round() as u64),
        (Unit::Percent, Some(v)) => percent(v),
    }
}

/// A chart value in its axis unit, compact (axis ticks).
pub fn unit_tick(unit: Unit, value: f64) -> String {
    match unit {
        Unit::Count => compact_count(value),
        Unit::Dollars => compact_dollars(value),
        Unit::Percent => percent_tick(value),
    }
}

/// Dollars, with any other currency appended (never added together); a dash
/// when the cost was withheld from the viewer (unknown, so never "$0.00").
pub fn spend_text(spend: &Spend) -> String {
    if spend.is_withheld() {
        return DASH.to_owned();
    }
    let mut parts: Vec<String> = Vec::new();
    // Dollars first; "$0.00" only when there is no spend in any currency.
    match spend.usd_minor() {
        Some(cents) if cents > 0 || spend.currencies().count() == 1 => {
            parts.push(dollars_from_cents(cents))
        }
        None if spend.is_empty() => parts.push(dollars_from_cents(0)),
        _ => {}
    }
    for (currency, minor) in spend.iter().filter(|(c, _)| *c != USD) {
        parts.push(money(currency, minor));
    }
    parts.join(" + ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versus_names_the_compared_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let r = |a, b| DateRange::new(a, b).unwrap();
        assert_eq!(
            versus(r(d(2026, 11, 1), d(2026, 11, 3))),
            "vs Nov 1 – Nov 3"
        );
        assert_eq!(versus(DateRange::day(d(2026, 11, 1))), "vs Nov 1");
        assert_eq!(
            versus(r(d(2025, 11, 22), d(2026, 1, 3))),
            "vs Nov 22, 2025 – Jan 3, 2026"
        );
    }

    #[test]
    fn waiting_days_read_as_a_span_or_the_first_and_a_count() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(waiting_for(&[]), "");
        assert_eq!(waiting_for(&[d(2026, 11, 30)]), "Nov 30");
        // Days that follow each other, across a month end and a year end.
        assert_eq!(
            waiting_for(&[d(2026, 11, 30), d(2026, 12, 1), d(2026, 12, 2)]),
            "Nov 30 – Dec 2"
        );
        assert_eq!(
            waiting_for(&[d(2025, 12, 31), d(2026, 1, 1)]),
            "Dec 31, 2025 – Jan 1, 2026"
        );
        // A gap: the first day and how many more.
        assert_eq!(
            waiting_for(&[d(2026, 11, 28), d(2026, 11, 30)]),
            "Nov 28 and 1 more day"
        );
        assert_eq!(
            waiting_for(&[d(2026, 11, 2), d(2026, 11, 9), d(2026, 11, 10)]),
            "Nov 2 and 2 more days"
        );
    }

    #[test]
    fn range_problems_read_as_sentences_for_their_input() {
        use crate::model::dates::RangeSelection;
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let link = |range: Option<&str>, from: Option<&str>, to: Option<&str>| {
            let error = RangeSelection::from_query(range, from, to).unwrap_err();
            range_problem(&error, RangeInput::Link)
        };
        let form = |from: &str, to: &str| {
            let error = RangeSelection::from_query(None, Some(from), Some(to)).unwrap_err();
            range_problem(&error, RangeInput::Form)
        };
        // Reversed: the dates as the page writes them, either way in.
        assert_eq!(
            link(None, Some("2026-12-05"), Some("2026-12-01")),
            "The start date, Dec 5, 2026, is after the end date, Dec 1, 2026."
        );
        assert_eq!(
            form("2026-12-05", "2026-12-01"),
            "The start date, Dec 5, 2026, is after the end date, Dec 1, 2026."
        );
        assert_eq!(
            form("2024-01-01", "2026-12-01"),
            "That range covers 1,066 days; a range can cover at most 400."
        );
        // A form's empty field is chosen again; a link's parameter is named.
        assert_eq!(form("", "2026-12-01"), "Choose a start date.");
        assert_eq!(form("2026-12-01", ""), "Choose an end date.");
        assert_eq!(
            link(None, Some("2026-12-01"), None),
            "The link has no end date (`to`)."
        );
        assert_eq!(
            link(None, Some("2026-02-30"), Some("2026-03-01")),
            "The link's start date, “2026-02-30”, is not a date like 2026-09-30."
        );
        assert_eq!(
            form("2026-02-30", "2026-03-01"),
            "The start date is not a valid date."
        );
        assert_eq!(
            link(Some("2w"), None, None),
            "The link's range “2w” is not one of 7d, 30d, 90d, mtd or last-month."
        );
        assert_eq!(
            link(Some("7d"), Some("2026-12-01"), None),
            "The link gives both a named range and dates."
        );
        let future = RangeSelection::from_query(None, Some("2027-01-04"), Some("2027-01-08"))
            .and_then(|s| s.usable_on(d(2026, 12, 4)))
            .unwrap_err();
        assert_eq!(
            range_problem(&future, RangeInput::Link),
            "The range starts on Jan 4, 2027, after today: there is no usage yet."
        );
    }

    #[test]
    fn tab_titles_name_the_page_then_the_app() {
        assert_eq!(tab_title("Spend"), "Spend — Claude Code Analytics");
        assert_eq!(
            tab_title("Page not found"),
            "Page not found — Claude Code Analytics"
        );
    }

    #[test]
    fn counts_take_the_right_number() {
        assert_eq!(days(0), "0 days");
        assert_eq!(days(1), "1 day");
        assert_eq!(days(2), "2 days");
        assert_eq!(count_of(1, "member", "members"), "1 member");
        assert_eq!(count_of(11, "member", "members"), "11 members");
    }

    #[test]
    fn fixed_point() {
        assert_eq!(fixed(0.0, 1), "0.0");
        assert_eq!(fixed(85.3, 1), "85.3");
        assert_eq!(fixed(12.5, 2), "12.50");
        assert_eq!(fixed(2.45, 0), "2");
        assert_eq!(fixed(2.5, 0), "3");
        assert_eq!(fixed(0.123_456_7, 6), "0.123457");
        assert_eq!(fixed(-1.25, 1), "-1.3");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(1234.0, 0), "1234");
        assert_eq!(fixed(f64::NAN, 1), "—");
        assert_eq!(fixed(1e40, 0), u128::MAX.to_string());
    }

    #[test]
    fn decimals_without_trailing_zeros() {
        assert_eq!(decimal(1.0, 3), "1");
        assert_eq!(decimal(0.25, 3), "0.25");
        assert_eq!(decimal(31.5, 2), "31.5");
        assert_eq!(decimal(13.333_333, 2), "13.33");
        assert_eq!(decimal(0.0, 2), "0");
        assert_eq!(decimal(f64::INFINITY, 2), "—");
    }

    #[test]
    fn month_names() {
        let day = NaiveDate::from_ymd_opt(2025, 9, 30).unwrap();
        assert_eq!(month_and_year(day), "September 2025");
    }

    #[test]
    fn counts() {
        assert_eq!(full_count(0), "0");
        assert_eq!(full_count(999), "999");
        assert_eq!(full_count(1_000), "1,000");
        assert_eq!(full_count(1_234_567), "1,234,567");
        assert_eq!(full_count(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(compact_count(0.0), "0");
        assert_eq!(compact_count(950.0), "950");
        assert_eq!(compact_count(1_234.0), "1.2k");
        assert_eq!(compact_count(1_000.0), "1k");
        assert_eq!(compact_count(12_345.0), "12k");
        assert_eq!(compact_count(3_400_000.0), "3.4M");
        assert_eq!(compact_count(1_200_000_000.0), "1.2B");
        assert_eq!(compact_count(-1_500.0), "−1.5k");
        assert_eq!(compact_count(2.5), "2.5");
        assert_eq!(compact_count(999_999.0), "1M");
        assert_eq!(compact_count(f64::NAN), "—");
    }

    #[test]
    fn money_and_percent() {
        assert_eq!(dollars_from_cents(123_456), "$1,234.56");
        assert_eq!(dollars_from_cents(5), "$0.05");
        assert_eq!(money("EUR", 1_234), "12.34 EUR");
        assert_eq!(money("EUR", 123_456), "1,234.56 EUR");
        // Each currency with its own decimals: none for yen, three for dinars.
        assert_eq!(money("JPY", 50_000), "50,000 JPY");
        assert_eq!(money("KWD", 1_000), "1.000 KWD");
        assert_eq!(money("KWD", 1_234_567), "1,234.567 KWD");
        assert_eq!(major_amount("JPY", 1_234_567, false), "1234567");
        assert_eq!(major_amount("BHD", 5, false), "0.005");
        assert_eq!(compact_dollars(1_234.0), "$1.2k");
        assert_eq!(compact_dollars(12.5), "$12.50");
        assert_eq!(compact_dollars(40.0), "$40");
        assert_eq!(compact_dollars(0.0), "$0");
        assert_eq!(percent(0.853), "85.3%");
        assert_eq!(percent_tick(0.85), "85%");
        assert_eq!(percent_tick(0.125), "12.5%");
        assert_eq!(percent_or_dash(None), "—");
        assert_eq!(signed_percent(0.123), "+12.3%");
        assert_eq!(signed_percent(-0.04), "−4.0%");
        assert_eq!(signed_points(2.1), "+2.1 pp");
        assert_eq!(signed_points(-0.5), "−0.5 pp");
    }

    #[test]
    fn dates() {
        let day = NaiveDate::from_ymd_opt(2025, 11, 3).unwrap();
        assert_eq!(short_date(day), "Nov 3");
        assert_eq!(long_date(day), "Mon, Nov 3, 2025");
        assert_eq!(iso_date(day), "2025-11-03");
        let range = DateRange::new(
            NaiveDate::from_ymd_opt(2025, 10, 2).unwrap(),
            NaiveDate::from_ymd_opt(2025, 10, 31).unwrap(),
        )
        .unwrap();
        assert_eq!(range_label(range), "Oct 2 – Oct 31, 2025 (30 days)");
        let across = DateRange::new(
            NaiveDate::from_ymd_opt(2024, 12, 30).unwrap(),
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        )
        .unwrap();
        assert_eq!(range_label(across), "Dec 30, 2024 – Jan 1, 2025 (3 days)");
        let one = DateRange::day(NaiveDate::from_ymd_opt(2025, 9, 10).unwrap());
        assert_eq!(range_label(one), "Sep 10, 2025 (1 day)");
    }

    #[test]
    fn unit_values() {
        assert_eq!(unit_value(Unit::Count, Some(1234.0)), "1,234");
        // Ties round away from zero (`format!("{:.1}")` would give "12.2").
        assert_eq!(unit_value(Unit::Count, Some(12.25)), "12.3");
        assert_eq!(unit_value(Unit::Dollars, Some(12.345)), "$12.35");
        assert_eq!(unit_value(Unit::Percent, Some(0.5)), "50.0%");
        assert_eq!(unit_value(Unit::Percent, None), "—");
        assert_eq!(unit_tick(Unit::Dollars, 2000.0), "$2k");
        assert_eq!(unit_tick(Unit::Count, 40.0), "40");
    }

    fn spend(parts: &[(&str, u64)]) -> crate::model::totals::Spend {
        let mut s = crate::model::totals::Spend::new();
        for (currency, minor) in parts {
            s.add(currency, *minor);
        }
        s
    }

    #[test]
    fn spend_text_never_shows_a_zero_dollar_part_beside_another_currency() {
        assert_eq!(spend_text(&spend(&[])), "$0.00");
        assert_eq!(spend_text(&spend(&[("USD", 0)])), "$0.00");
        assert_eq!(spend_text(&spend(&[("USD", 313)])), "$3.13");
        assert_eq!(spend_text(&spend(&[("EUR", 300)])), "3.00 EUR");
        assert_eq!(
            spend_text(&spend(&[("USD", 313), ("EUR", 300)])),
            "$3.13 + 3.00 EUR"
        );
        assert_eq!(spend_text(&spend(&[("USD", 0), ("EUR", 300)])), "3.00 EUR");
        let mut withheld = spend(&[("USD", 313)]);
        withheld.withhold();
        assert_eq!(spend_text(&withheld), "—");
        withheld = crate::model::totals::Spend::new();
        withheld.withhold();
        assert_eq!(spend_text(&withheld), "—");
    }
}
