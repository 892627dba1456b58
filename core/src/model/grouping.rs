//! Charts that read at a glance over long ranges: the range's days grouped
//! into ISO weeks (Monday to Sunday, UTC) or calendar months, each bucket cut
//! at the range's ends, and the per-day totals summed over each bucket.
//!
//! What a bucket shows:
//! - counts, decisions (overall and per tool), spend and tokens are summed;
//!   rates are recomputed from the summed counts, never averaged;
//! - active users cannot be summed (one person on five days is not five
//!   users), and the distinct actors of a week are not kept per day, so a
//!   bucket's active users are the daily average over its days, named so;
//! - a bucket with a day that did not load is unknown (every value a gap),
//!   never a smaller figure: its loaded days are still counted
//!   ([`BucketTotals::days_loaded`]) for whoever needs to say how much is in.
//!
//! The default grouping follows the range's length: by day under
//! [`WEEK_FROM_DAYS`] days (a "Last 90 days" chart is weekly: 13 or 14 bars
//! instead of 90), by month from [`MONTH_FROM_DAYS`] days (a year is 12 or 13
//! bars instead of 52 weeks). A grouping is offered only when it gives a
//! chart worth choosing: weeks from [`WEEK_OFFERED_FROM`] days (two weeks or
//! more), months from [`MONTH_OFFERED_FROM`] days (two months or more).

use chrono::{Datelike, Days, NaiveDate};

use crate::format;
use crate::model::aggregate::{Aggregates, DayTotals, Metric};
use crate::model::dates::{days_in_month, month_start, DateRange, RangeSelection};
use crate::model::sorted_map::SortedMap;
use crate::model::totals::{add, add_tool_decisions, Decisions};

/// Ranges at least this long are grouped by week unless the viewer chooses.
pub const WEEK_FROM_DAYS: u32 = 90;
/// Ranges at least this long are grouped by month unless the viewer chooses.
pub const MONTH_FROM_DAYS: u32 = 300;
/// The shortest range offered a weekly chart.
pub const WEEK_OFFERED_FROM: u32 = 14;
/// The shortest range offered a monthly chart.
pub const MONTH_OFFERED_FROM: u32 = 60;

/// How a chart's days are grouped into its points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Grouping {
    #[default]
    Day,
    Week,
    Month,
}

impl Grouping {
    pub const ALL: [Grouping; 3] = [Grouping::Day, Grouping::Week, Grouping::Month];

    /// The value of `?group=`.
    pub fn key(self) -> &'static str {
        match self {
            Grouping::Day => "day",
            Grouping::Week => "week",
            Grouping::Month => "month",
        }
    }

    /// The grouping whose [`key`](Self::key) is `key` (ASCII case and
    /// surrounding spaces ignored).
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|g| g.key().eq_ignore_ascii_case(key.trim()))
    }

    /// Shown on the control's button.
    pub fn label(self) -> &'static str {
        match self {
            Grouping::Day => "Day",
            Grouping::Week => "Week",
            Grouping::Month => "Month",
        }
    }

    /// `"per day"`, `"per week"`, `"per month"`: what one point of a chart is.
    pub fn per(self) -> &'static str {
        match self {
            Grouping::Day => "per day",
            Grouping::Week => "per week",
            Grouping::Month => "per month",
        }
    }

    /// The grouping a range gets unless the viewer chooses another.
    pub fn default_for(range: DateRange) -> Self {
        match range.len_days() {
            days if days >= MONTH_FROM_DAYS => Grouping::Month,
            days if days >= WEEK_FROM_DAYS => Grouping::Week,
            _ => Grouping::Day,
        }
    }

    /// Whether the control offers this grouping for `range`.
    pub fn is_offered(self, range: DateRange) -> bool {
        match self {
            Grouping::Day => true,
            Grouping::Week => range.len_days() >= WEEK_OFFERED_FROM,
            Grouping::Month => range.len_days() >= MONTH_OFFERED_FROM,
        }
    }

    /// The groupings offered for `range`, in order (Day always among them).
    pub fn offered(range: DateRange) -> Vec<Self> {
        Self::ALL
            .into_iter()
            .filter(|g| g.is_offered(range))
            .collect()
    }

    /// The grouping for `range` given the URL's `?group=` value: the
    /// requested one when it is known and offered, else the default (a
    /// weekly link opened on a 7-day range shows days).
    pub fn resolve(requested: Option<&str>, range: DateRange) -> Self {
        requested
            .and_then(Self::from_key)
            .filter(|g| g.is_offered(range))
            .unwrap_or_else(|| Self::default_for(range))
    }
}

/// The URL query parameter of a chosen grouping (`?group=week`).
pub const PARAM: &str = "group";

/// The URL query for `selection` with the charts grouped by `group` (no
/// parameter for `None`): `range=90d&group=month`.
pub fn range_query(selection: &RangeSelection, group: Option<Grouping>) -> String {
    let mut pairs = selection.to_query_pairs();
    if let Some(group) = group {
        pairs.push((PARAM, group.key().to_owned()));
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The URL query choosing `grouping` for `selection` on `today`: the
/// range's own default needs no parameter (the link stays short, and
/// another range chosen later gets its own default).
pub fn choice_query(selection: &RangeSelection, grouping: Grouping, today: NaiveDate) -> String {
    let default = Grouping::default_for(selection.resolve(today));
    range_query(selection, (grouping != default).then_some(grouping))
}

/// `day` moved by `days` (negative: back), or `day` itself at the ends of
/// chrono's calendar (ranges stay within the years 1 to 9999, far inside).
fn shift(day: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days >= 0 {
        day.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(day)
}

/// One point of a chart: a day, or the days of one week or month that lie in
/// the range (fewer than the whole week or month at the range's ends).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Bucket {
    pub grouping: Grouping,
    /// The first day of the bucket in the range.
    pub first: NaiveDate,
    /// The last day of the bucket in the range.
    pub last: NaiveDate,
}

impl Bucket {
    /// The single day `day`.
    pub fn day(day: NaiveDate) -> Self {
        Bucket {
            grouping: Grouping::Day,
            first: day,
            last: day,
        }
    }

    /// The whole day, ISO week or calendar month holding `day`: `(first, last)`.
    pub fn period_of(grouping: Grouping, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        match grouping {
            Grouping::Day => (day, day),
            Grouping::Week => {
                let monday = shift(day, -i64::from(day.weekday().num_days_from_monday()));
                (monday, shift(monday, 6))
            }
            Grouping::Month => {
                let first = month_start(day);
                (first, shift(first, i64::from(days_in_month(first)) - 1))
            }
        }
    }

    /// The whole week or month this bucket lies in.
    pub fn period(&self) -> (NaiveDate, NaiveDate) {
        Self::period_of(self.grouping, self.first)
    }

    /// True when the range cut the bucket short of its whole week or month.
    pub fn is_cut(&self) -> bool {
        self.period() != (self.first, self.last)
    }

    pub fn len_days(&self) -> u32 {
        u32::try_from((self.last - self.first).num_days() + 1).unwrap_or(0)
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }

    /// Under the X axis: `"Nov 2"` (a day, or a week by its first day),
    /// `"Nov"` for a month, `"Jan 2026"` for a year's first month.
    pub fn axis_label(&self) -> String {
        match self.grouping {
            Grouping::Day | Grouping::Week => format::short_date(self.first),
            Grouping::Month => month_label(self.first, self.first.month() == 1),
        }
    }

    /// In the tooltip and the table: `"Mon, Nov 2, 2026"`, `"Week of Nov 2,
    /// 2026"`, `"Nov 2026"`; a bucket the range cut names its days,
    /// `"Nov 5 – Nov 8, 2026"`.
    pub fn long_label(&self) -> String {
        if self.grouping == Grouping::Day || self.first == self.last {
            return format::long_date(self.first);
        }
        if self.is_cut() {
            return days_label(self.first, self.last);
        }
        match self.grouping {
            Grouping::Week => format!(
                "Week of {}, {}",
                format::short_date(self.first),
                self.first.year()
            ),
            _ => format!("{} {}", format::month_name(self.first), self.first.year()),
        }
    }
}

/// `"Nov"`, or `"Nov 2026"` `with_year` (the axis' month labels).
pub fn month_label(day: NaiveDate, with_year: bool) -> String {
    if with_year {
        format!("{} {}", format::month_name(day), day.year())
    } else {
        format::month_name(day).to_owned()
    }
}

/// `"Nov 5 – Nov 8, 2026"`, with both years when the days cross one.
fn days_label(first: NaiveDate, last: NaiveDate) -> String {
    if first.year() == last.year() {
        format!(
            "{} – {}, {}",
            format::short_date(first),
            format::short_date(last),
            last.year()
        )
    } else {
        format!(
            "{}, {} – {}, {}",
            format::short_date(first),
            first.year(),
            format::short_date(last),
            last.year()
        )
    }
}

/// The buckets of `range`, in order: every day of the range in exactly one.
pub fn buckets(range: DateRange, grouping: Grouping) -> Vec<Bucket> {
    let mut out = Vec::new();
    let mut first = range.start();
    loop {
        let (_, period_last) = Bucket::period_of(grouping, first);
        let last = period_last.min(range.end());
        out.push(Bucket {
            grouping,
            first,
            last,
        });
        match last.succ_opt() {
            Some(next) if last < range.end() => first = next,
            _ => break,
        }
    }
    out
}

/// A bucket's days summed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BucketTotals {
    pub bucket: Bucket,
    /// The sums of the bucket's loaded days, dated by its first day; `loaded`
    /// only when every one of its days loaded. For a bucket longer than a
    /// day, `active_users` holds the sum of its days' active users (member
    /// days): read it through [`BucketTotals::value`], which gives the daily
    /// average.
    pub sums: DayTotals,
    pub days_loaded: u32,
}

impl BucketTotals {
    /// Whether every day of the bucket loaded (otherwise it shows as unknown).
    pub fn is_known(&self) -> bool {
        self.sums.loaded
    }

    /// The bucket's value of `metric`: the sum for counts and spend, the rate
    /// of the summed decisions, the daily average of active users; `None`
    /// when the bucket is unknown (or has no decisions, for the rate).
    pub fn value(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::ActiveUsers if self.bucket.grouping != Grouping::Day => self
                .is_known()
                .then(|| self.sums.active_users as f64 / f64::from(self.bucket.len_days().max(1))),
            _ => self.sums.value(metric),
        }
    }

    /// The bucket's decisions over every tool; `None` when it is unknown.
    pub fn decisions(&self) -> Option<Decisions> {
        self.is_known().then_some(self.sums.decisions)
    }

    /// One tool's decisions (none recorded: 0 and 0); `None` when the
    /// bucket is unknown.
    pub fn tool_decisions(&self, key: &str) -> Option<Decisions> {
        self.is_known()
            .then(|| self.sums.per_tool.get(key).copied().unwrap_or_default())
    }
}

/// Sums `days` (a range's days in order, as in [`Aggregates::days`]) over
/// `range`'s buckets. A day missing from `days` counts as not loaded.
pub fn group_days(range: DateRange, days: &[DayTotals], grouping: Grouping) -> Vec<BucketTotals> {
    buckets(range, grouping)
        .into_iter()
        .map(|bucket| {
            let from = days.partition_point(|d| d.date < bucket.first);
            let to = days.partition_point(|d| d.date <= bucket.last);
            let in_bucket = days.get(from..to).unwrap_or_default();
            let days_loaded = in_bucket.iter().filter(|d| d.loaded).count();
            let complete = days_loaded == bucket.len_days() as usize;
            let mut sums = DayTotals::new(bucket.first, complete);
            let mut per_tool: SortedMap<Decisions> = SortedMap::new();
            for day in in_bucket.iter().filter(|d| d.loaded) {
                add(&mut sums.lines_added, day.lines_added);
                add(&mut sums.lines_removed, day.lines_removed);
                add(&mut sums.sessions, day.sessions);
                add(&mut sums.active_users, day.active_users);
                add(&mut sums.commits, day.commits);
                add(&mut sums.pull_requests, day.pull_requests);
                sums.decisions.add(day.decisions);
                for (key, decisions) in day.per_tool.iter() {
                    add_tool_decisions(&mut per_tool, key, *decisions);
                }
                sums.spend.merge(&day.spend);
                add(&mut sums.tokens, day.tokens);
            }
            sums.per_tool = per_tool;
            BucketTotals {
                bucket,
                sums,
                days_loaded: u32::try_from(days_loaded).unwrap_or(u32::MAX),
            }
        })
        .collect()
}

/// [`group_days`] over an aggregate's range and days.
pub fn group(agg: &Aggregates, grouping: Grouping) -> Vec<BucketTotals> {
    group_days(agg.range, &agg.days, grouping)
}

/// The running total of lines accepted at each bucket's end. An unknown
/// bucket is a gap, but its loaded days still count towards the buckets
/// after it, so the last point equals the daily chart's last point.
pub fn cumulative_lines(buckets: &[BucketTotals]) -> Vec<Option<f64>> {
    let mut running = 0u64;
    buckets
        .iter()
        .map(|b| {
            add(&mut running, b.sums.lines_added);
            b.is_known().then_some(running as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::totals::Spend;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn range(a: NaiveDate, b: NaiveDate) -> DateRange {
        DateRange::new(a, b).unwrap()
    }

    fn spans(buckets: &[Bucket]) -> Vec<(NaiveDate, NaiveDate)> {
        buckets.iter().map(|b| (b.first, b.last)).collect()
    }

    /// A loaded day with `lines` lines added, `users` active users and the
    /// given decisions, `cents` USD cents and edit-tool decisions.
    fn day(date: NaiveDate, lines: u64, users: u64, decided: (u64, u64), cents: u64) -> DayTotals {
        let mut t = DayTotals::new(date, true);
        t.lines_added = lines;
        t.lines_removed = lines / 10;
        t.sessions = users * 2;
        t.active_users = users;
        t.commits = 1;
        t.tokens = 100;
        t.decisions = Decisions::new(decided.0, decided.1);
        if decided != (0, 0) {
            *t.per_tool
                .get_or_insert_with("edit_tool", Decisions::default) =
                Decisions::new(decided.0, decided.1);
        }
        let mut spend = Spend::new();
        spend.add("USD", cents);
        t.spend = spend;
        t
    }

    fn days_of(range: DateRange, f: impl Fn(NaiveDate) -> DayTotals) -> Vec<DayTotals> {
        range.days().map(f).collect()
    }

    #[test]
    fn keys_parse_and_round_trip() {
        for g in Grouping::ALL {
            assert_eq!(Grouping::from_key(g.key()), Some(g));
        }
        assert_eq!(Grouping::from_key(" WEEK "), Some(Grouping::Week));
        assert_eq!(Grouping::from_key("fortnight"), None);
        assert_eq!(Grouping::from_key(""), None);
    }

    #[test]
    fn the_default_follows_the_range_length() {
        let end = d(2026, 12, 3);
        let of = |days| Grouping::default_for(DateRange::ending(end, days));
        assert_eq!(of(1), Grouping::Day);
        assert_eq!(of(7), Grouping::Day);
        assert_eq!(of(30), Grouping::Day);
        assert_eq!(of(89), Grouping::Day);
        assert_eq!(of(90), Grouping::Week);
        assert_eq!(of(180), Grouping::Week);
        assert_eq!(of(299), Grouping::Week);
        assert_eq!(of(300), Grouping::Month);
        assert_eq!(of(365), Grouping::Month);
        assert_eq!(of(400), Grouping::Month);
    }

    #[test]
    fn only_groupings_that_make_sense_are_offered() {
        let end = d(2026, 12, 3);
        let offered = |days| Grouping::offered(DateRange::ending(end, days));
        assert_eq!(offered(7), [Grouping::Day]);
        assert_eq!(offered(13), [Grouping::Day]);
        assert_eq!(offered(14), [Grouping::Day, Grouping::Week]);
        assert_eq!(offered(30), [Grouping::Day, Grouping::Week]);
        assert_eq!(offered(59), [Grouping::Day, Grouping::Week]);
        assert_eq!(offered(60), Grouping::ALL);
        assert_eq!(offered(90), Grouping::ALL);
        // The URL's choice when offered, else the default.
        let week = DateRange::ending(end, 7);
        assert_eq!(Grouping::resolve(Some("month"), week), Grouping::Day);
        let quarter = DateRange::ending(end, 90);
        assert_eq!(Grouping::resolve(Some("day"), quarter), Grouping::Day);
        assert_eq!(Grouping::resolve(Some("month"), quarter), Grouping::Month);
        assert_eq!(Grouping::resolve(Some("bogus"), quarter), Grouping::Week);
        assert_eq!(Grouping::resolve(None, quarter), Grouping::Week);
    }

    #[test]
    fn the_choice_goes_in_the_query_unless_it_is_the_default() {
        use crate::model::dates::RangePreset;
        let today = d(2026, 12, 3);
        let quarter = RangeSelection::Preset(RangePreset::Last90);
        assert_eq!(choice_query(&quarter, Grouping::Week, today), "range=90d");
        assert_eq!(
            choice_query(&quarter, Grouping::Month, today),
            "range=90d&group=month"
        );
        let custom = RangeSelection::Custom(range(d(2026, 9, 1), d(2026, 9, 30)));
        assert_eq!(
            choice_query(&custom, Grouping::Week, today),
            "from=2026-09-01&to=2026-09-30&group=week"
        );
        assert_eq!(
            choice_query(&custom, Grouping::Day, today),
            "from=2026-09-01&to=2026-09-30"
        );
        assert_eq!(
            range_query(&quarter, Some(Grouping::Day)),
            "range=90d&group=day"
        );
        assert_eq!(range_query(&quarter, None), "range=90d");
    }

    #[test]
    fn weeks_are_iso_weeks_cut_at_the_range_ends() {
        // Thu Oct 22 – Wed Nov 11, 2026: across a month end, starting and
        // ending mid-week.
        let b = buckets(range(d(2026, 10, 22), d(2026, 11, 11)), Grouping::Week);
        assert_eq!(
            spans(&b),
            [
                (d(2026, 10, 22), d(2026, 10, 25)),
                (d(2026, 10, 26), d(2026, 11, 1)),
                (d(2026, 11, 2), d(2026, 11, 8)),
                (d(2026, 11, 9), d(2026, 11, 11)),
            ]
        );
        assert!(b[0].is_cut() && !b[1].is_cut() && !b[2].is_cut() && b[3].is_cut());
        assert_eq!(b[0].len_days(), 4);
        assert_eq!(
            b[1].period(),
            (d(2026, 10, 26), d(2026, 11, 1)),
            "a week across a month end is one week"
        );
    }

    #[test]
    fn the_iso_week_across_the_new_year_is_one_bucket() {
        // ISO week 1 of 2026 runs Mon Dec 29, 2025 – Sun Jan 4, 2026.
        let b = buckets(range(d(2025, 12, 22), d(2026, 1, 11)), Grouping::Week);
        assert_eq!(
            spans(&b),
            [
                (d(2025, 12, 22), d(2025, 12, 28)),
                (d(2025, 12, 29), d(2026, 1, 4)),
                (d(2026, 1, 5), d(2026, 1, 11)),
            ]
        );
        assert_eq!(b[1].long_label(), "Week of Dec 29, 2025");
        assert_eq!(b[1].axis_label(), "Dec 29");
        // Cut by a range that starts on New Year's Eve: both years named.
        let cut = buckets(range(d(2025, 12, 31), d(2026, 1, 6)), Grouping::Week);
        assert_eq!(
            spans(&cut),
            [
                (d(2025, 12, 31), d(2026, 1, 4)),
                (d(2026, 1, 5), d(2026, 1, 6)),
            ]
        );
        assert_eq!(cut[0].long_label(), "Dec 31, 2025 – Jan 4, 2026");
        assert_eq!(cut[1].long_label(), "Jan 5 – Jan 6, 2026");
    }

    #[test]
    fn months_are_calendar_months_with_february_and_leap_years() {
        let b = buckets(range(d(2027, 1, 15), d(2027, 3, 31)), Grouping::Month);
        assert_eq!(
            spans(&b),
            [
                (d(2027, 1, 15), d(2027, 1, 31)),
                (d(2027, 2, 1), d(2027, 2, 28)),
                (d(2027, 3, 1), d(2027, 3, 31)),
            ]
        );
        assert_eq!(
            b.iter().map(Bucket::len_days).collect::<Vec<_>>(),
            [17, 28, 31]
        );
        assert_eq!(b[0].long_label(), "Jan 15 – Jan 31, 2027");
        assert_eq!(b[1].long_label(), "Feb 2027");
        assert_eq!(b[0].axis_label(), "Jan 2027");
        assert_eq!(b[2].axis_label(), "Mar");
        // 2028 is a leap year: February has 29 days.
        let leap = buckets(range(d(2028, 2, 1), d(2028, 3, 1)), Grouping::Month);
        assert_eq!(
            spans(&leap),
            [
                (d(2028, 2, 1), d(2028, 2, 29)),
                (d(2028, 3, 1), d(2028, 3, 1))
            ]
        );
        assert!(!leap[0].is_cut() && leap[1].is_cut());
        assert_eq!(leap[1].long_label(), "Wed, Mar 1, 2028");
        // A year of months, cut at both ends: 13 buckets.
        let year = buckets(range(d(2025, 12, 4), d(2026, 12, 3)), Grouping::Month);
        assert_eq!(year.len(), 13);
        assert_eq!(year[0].long_label(), "Dec 4 – Dec 31, 2025");
        assert_eq!(year[1].long_label(), "Jan 2026");
        assert_eq!(year[12].long_label(), "Dec 1 – Dec 3, 2026");
    }

    #[test]
    fn days_are_one_bucket_each() {
        let r = range(d(2026, 11, 30), d(2026, 12, 2));
        let b = buckets(r, Grouping::Day);
        assert_eq!(b.len(), 3);
        assert!(b.iter().all(|b| b.first == b.last && !b.is_cut()));
        assert_eq!(b[0].long_label(), "Mon, Nov 30, 2026");
        assert_eq!(b[0].axis_label(), "Nov 30");
        let one = buckets(DateRange::day(d(2026, 12, 2)), Grouping::Month);
        assert_eq!(spans(&one), [(d(2026, 12, 2), d(2026, 12, 2))]);
    }

    #[test]
    fn weeks_sum_counts_and_recompute_rates_from_them() {
        // Mon Nov 2 – Sun Nov 8 2026 and Mon Nov 9 – Wed Nov 11.
        let r = range(d(2026, 11, 2), d(2026, 11, 11));
        let days = days_of(r, |date| match date.day() {
            // One busy day at 90 % and one quiet day at 0 %: the week's rate
            // is 9 of 11, not the 45 % an average of the two would give.
            2 => day(date, 100, 4, (9, 1), 250),
            3 => day(date, 10, 1, (0, 1), 50),
            // Weekend: nobody, no decisions.
            7 | 8 => day(date, 0, 0, (0, 0), 0),
            _ => day(date, 20, 2, (0, 0), 100),
        });
        let weeks = group_days(r, &days, Grouping::Week);
        assert_eq!(weeks.len(), 2);
        let w = &weeks[0];
        assert!(w.is_known());
        assert_eq!(w.days_loaded, 7);
        assert_eq!(w.sums.lines_added, 100 + 10 + 3 * 20);
        assert_eq!(w.value(Metric::LinesAdded), Some(170.0));
        assert_eq!(w.sums.lines_removed, 10 + 1 + 3 * 2);
        assert_eq!(
            w.value(Metric::Sessions),
            Some(2.0 * (4 + 1 + 3 * 2) as f64)
        );
        assert_eq!(w.value(Metric::Commits), Some(7.0));
        assert_eq!(w.value(Metric::Tokens), Some(700.0));
        assert_eq!(w.decisions(), Some(Decisions::new(9, 2)));
        let rate = w.value(Metric::AcceptRate).unwrap();
        assert!((rate - 9.0 / 11.0).abs() < 1e-12, "{rate}");
        assert_eq!(w.tool_decisions("edit_tool"), Some(Decisions::new(9, 2)));
        assert_eq!(w.tool_decisions("write_tool"), Some(Decisions::default()));
        // $2.50 + $0.50 + 3 × $1.00.
        assert_eq!(w.value(Metric::SpendUsd), Some(6.0));
        // Active users: 4 + 1 + 3 × 2 + 0 + 0 = 11 member-days over 7 days.
        let users = w.value(Metric::ActiveUsers).unwrap();
        assert!((users - 11.0 / 7.0).abs() < 1e-12, "{users}");
        // The cut week: three days, averaged over three.
        let cut = &weeks[1];
        assert_eq!(cut.bucket.len_days(), 3);
        assert_eq!(cut.value(Metric::ActiveUsers), Some(2.0));
        assert_eq!(cut.value(Metric::AcceptRate), None, "no decisions: a gap");
        assert_eq!(cut.decisions(), Some(Decisions::default()));
        // By day, a day's values are the day's own.
        let by_day = group_days(r, &days, Grouping::Day);
        assert_eq!(by_day.len(), 10);
        assert_eq!(by_day[0].value(Metric::ActiveUsers), Some(4.0));
        assert_eq!(by_day[0].sums, days[0]);
    }

    #[test]
    fn a_bucket_with_an_unknown_day_is_unknown_never_partial() {
        let r = range(d(2026, 11, 2), d(2026, 11, 15));
        let mut days = days_of(r, |date| day(date, 10, 1, (1, 1), 100));
        // Wednesday of the first week did not load.
        days[2] = DayTotals::new(d(2026, 11, 4), false);
        let weeks = group_days(r, &days, Grouping::Week);
        let first = &weeks[0];
        assert!(!first.is_known());
        assert_eq!(first.days_loaded, 6);
        for metric in Metric::ALL {
            assert_eq!(first.value(metric), None, "{metric:?}");
        }
        assert_eq!(first.decisions(), None);
        assert_eq!(first.tool_decisions("edit_tool"), None);
        assert!(weeks[1].is_known());
        assert_eq!(weeks[1].value(Metric::LinesAdded), Some(70.0));
        // The running total: a gap for the unknown week, whose six loaded
        // days still count in the next (as they do on the daily chart).
        assert_eq!(cumulative_lines(&weeks), [None, Some(130.0)]);
        // Days missing from the list altogether are unknown too.
        let short = group_days(r, &days[..10], Grouping::Week);
        assert!(!short[1].is_known());
        assert_eq!(short[1].days_loaded, 3);
    }

    #[test]
    fn months_sum_over_february() {
        let r = range(d(2028, 2, 1), d(2028, 3, 31));
        let days = days_of(r, |date| day(date, 1, 3, (2, 1), 10));
        let months = group_days(r, &days, Grouping::Month);
        assert_eq!(months.len(), 2);
        assert_eq!(months[0].value(Metric::LinesAdded), Some(29.0));
        assert_eq!(months[1].value(Metric::LinesAdded), Some(31.0));
        assert_eq!(months[0].value(Metric::SpendUsd), Some(2.9));
        assert_eq!(months[0].value(Metric::ActiveUsers), Some(3.0));
        assert_eq!(months[0].decisions(), Some(Decisions::new(58, 29)));
        assert_eq!(cumulative_lines(&months), [Some(29.0), Some(60.0)]);
    }

    #[test]
    fn withheld_spend_stays_unknown_in_its_bucket() {
        let r = range(d(2026, 11, 2), d(2026, 11, 8));
        let mut days = days_of(r, |date| day(date, 1, 1, (0, 0), 100));
        days[3].spend.withhold();
        let week = &group_days(r, &days, Grouping::Week)[0];
        assert!(week.is_known());
        assert_eq!(week.value(Metric::SpendUsd), None);
        assert_eq!(week.value(Metric::LinesAdded), Some(7.0));
    }
}
