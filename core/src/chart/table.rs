//! The chart's numbers as table rows (for "Show as table") and as CSV. Both
//! keep every series, hidden or not, and give a rate's accepted and
//! rejected counts beside it.

use crate::chart::spec::{ChartSpec, SeriesSpec};
use crate::format;
use crate::model::grouping::Grouping;
use crate::model::totals::Decisions;

/// The table's column headings: the point, then each series (a rate
/// followed by its accepted and rejected counts).
pub fn table_head(spec: &ChartSpec) -> Vec<String> {
    let first = match spec.grouping() {
        Grouping::Day => "Date (UTC)",
        Grouping::Week => "Week (UTC)",
        Grouping::Month => "Month (UTC)",
    };
    let mut head = vec![first.to_owned()];
    for s in &spec.series {
        head.push(s.name.clone());
        if s.decisions.is_some() {
            head.push(format!("{} accepted", s.name));
            head.push(format!("{} rejected", s.name));
        }
    }
    head
}

/// The accepted and rejected counts of a rate series at `index`, as text
/// (dashes where the point is unknown).
fn count_cells(series: &SeriesSpec, index: usize) -> [String; 2] {
    match series.decisions_at(index) {
        Some(Decisions { accepted, rejected }) => {
            [format::full_count(accepted), format::full_count(rejected)]
        }
        None => [format::DASH.to_owned(), format::DASH.to_owned()],
    }
}

/// One row per point, in the order of [`table_head`]: the point's label,
/// then each series' value formatted in its axis' unit ("—" for a gap).
pub fn table_rows(spec: &ChartSpec) -> Vec<Vec<String>> {
    (0..spec.points.len())
        .map(|i| {
            let mut row = vec![point_label(spec, i)];
            for s in &spec.series {
                let unit = spec.unit_of(s.axis);
                row.push(format::unit_value(unit, s.values.get(i).copied().flatten()));
                if s.decisions.is_some() {
                    row.extend(count_cells(s, i));
                }
            }
            row
        })
        .collect()
}

/// The long name of the point at `index` ("Mon, Nov 2, 2026", "Week of Nov
/// 2, 2026", "Nov 2026", "Nov 5 – Nov 8, 2026"), with "so far" while it is
/// not over.
pub fn point_label(spec: &ChartSpec, index: usize) -> String {
    let Some(bucket) = spec.points.get(index) else {
        return String::new();
    };
    let label = bucket.long_label();
    match (spec.is_partial(index), bucket.grouping) {
        (false, _) => label,
        (true, Grouping::Day) => format!("{label} (today so far)"),
        (true, _) => format!("{label} (so far)"),
    }
}

/// A rate's counts in a tooltip: `"17 accepted · 7 rejected"`, or `"no
/// decisions"` (why there is no rate).
pub fn decisions_text(decisions: Decisions) -> String {
    if decisions.total() == 0 {
        return "no decisions".to_owned();
    }
    format!(
        "{} accepted · {} rejected",
        format::full_count(decisions.accepted),
        format::full_count(decisions.rejected)
    )
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// `text` as a snake_case column name: ASCII letters lowercased, digits
/// kept, anything else between them one `_` (`"Lines accepted"` →
/// `lines_accepted`). Letters beyond ASCII are kept as they are (no Unicode
/// case tables in the wasm for a column name).
pub fn snake_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || !c.is_ascii() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// The CSV file's name: what it is and the days it covers,
/// `spend-2026-11-04-to-2026-12-03.csv` (`spend-2026-12-03.csv` for one day).
pub fn csv_file_name(what: &str, spec: &ChartSpec) -> String {
    match (spec.points.first(), spec.points.last()) {
        (Some(first), Some(last)) if first.first == last.last => {
            format!("{what}-{}.csv", first.first)
        }
        (Some(first), Some(last)) => format!("{what}-{}-to-{}.csv", first.first, last.last),
        _ => format!("{what}.csv"),
    }
}

/// The columns of a rate's counts: `accept_rate` → `accepted`,
/// `rejected`; `edit_accept_rate` → `edit_accepted`, `edit_rejected`.
fn count_columns(key: &str) -> [String; 2] {
    let prefix = key.strip_suffix("accept_rate").unwrap_or(key);
    let prefix = if prefix.is_empty() || prefix.ends_with('_') {
        prefix.to_owned()
    } else {
        format!("{prefix}_")
    };
    [format!("{prefix}accepted"), format!("{prefix}rejected")]
}

/// The day columns (`date`, or `first_day,last_day` for weeks and months),
/// then each series' raw values under its snake_case key (empty for a gap),
/// a rate followed by its accepted and rejected counts.
pub fn csv(spec: &ChartSpec) -> String {
    let by_day = spec.grouping() == Grouping::Day;
    let mut out = String::from(if by_day { "date" } else { "first_day,last_day" });
    for s in &spec.series {
        out.push(',');
        out.push_str(&quote(&snake_case(&s.key)));
        if s.decisions.is_some() {
            for column in count_columns(&snake_case(&s.key)) {
                out.push(',');
                out.push_str(&quote(&column));
            }
        }
    }
    out.push('\n');
    for (i, bucket) in spec.points.iter().enumerate() {
        out.push_str(&format::iso_date(bucket.first));
        if !by_day {
            out.push(',');
            out.push_str(&format::iso_date(bucket.last));
        }
        for s in &spec.series {
            out.push(',');
            if let Some(v) = s.values.get(i).copied().flatten().filter(|v| v.is_finite()) {
                out.push_str(&trim_number(v));
            }
            if s.decisions.is_some() {
                let counts = s.decisions_at(i);
                out.push(',');
                out.extend(counts.map(|d| d.accepted.to_string()));
                out.push(',');
                out.extend(counts.map(|d| d.rejected.to_string()));
            }
        }
        out.push('\n');
    }
    out
}

/// Shortest exact-enough text for a value: integers without decimals.
fn trim_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 && v.abs() < 1e15 {
        format::fixed(v, 0)
    } else {
        format::decimal(v, 6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::spec::{AxisSide, AxisSpec, SeriesKind, Unit};
    use crate::model::dates::DateRange;
    use crate::model::grouping::{buckets, Bucket};
    use chrono::NaiveDate;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn axis(unit: Unit, label: &str) -> AxisSpec {
        AxisSpec {
            label: label.into(),
            unit,
            min_zero: true,
        }
    }

    #[test]
    fn csv_file_names_carry_the_days() {
        let spec = |points: Vec<Bucket>| ChartSpec {
            points,
            series: Vec::new(),
            left: axis(Unit::Count, ""),
            right: None,
            partial: None,
        };
        let days = |list: &[NaiveDate]| list.iter().copied().map(Bucket::day).collect();
        assert_eq!(
            csv_file_name("spend", &spec(days(&[d(11, 4), d(11, 5), d(12, 3)]))),
            "spend-2026-11-04-to-2026-12-03.csv"
        );
        assert_eq!(
            csv_file_name("spend", &spec(days(&[d(12, 3)]))),
            "spend-2026-12-03.csv"
        );
        assert_eq!(csv_file_name("spend", &spec(Vec::new())), "spend.csv");
        // Weeks: from the first week's first day to the last week's last.
        let weeks = buckets(DateRange::new(d(11, 4), d(12, 3)).unwrap(), Grouping::Week);
        assert_eq!(
            csv_file_name("spend", &spec(weeks)),
            "spend-2026-11-04-to-2026-12-03.csv"
        );
    }

    fn spec() -> ChartSpec {
        ChartSpec {
            points: vec![
                Bucket::day(NaiveDate::from_ymd_opt(2025, 9, 1).unwrap()),
                Bucket::day(NaiveDate::from_ymd_opt(2025, 9, 2).unwrap()),
            ],
            series: vec![
                SeriesSpec::new(
                    "active_users",
                    "Users",
                    SeriesKind::Line,
                    AxisSide::Left,
                    vec![Some(3.0), None],
                    0,
                ),
                SeriesSpec::new(
                    "Spend, est.",
                    "Spend, est.",
                    SeriesKind::Bar,
                    AxisSide::Right,
                    vec![Some(12.5), Some(1234.0)],
                    1,
                ),
            ],
            left: axis(Unit::Count, "Users"),
            right: Some(axis(Unit::Dollars, "Spend")),
            partial: None,
        }
    }

    #[test]
    fn a_partial_point_is_named_so_far() {
        let mut s = spec();
        s.partial = Some(1);
        let rows = table_rows(&s);
        assert_eq!(rows[0][0], "Mon, Sep 1, 2025");
        assert_eq!(rows[1][0], "Tue, Sep 2, 2025 (today so far)");
        let mut weeks = s.clone();
        weeks.points = buckets(DateRange::new(d(11, 2), d(11, 11)).unwrap(), Grouping::Week);
        assert_eq!(point_label(&weeks, 0), "Week of Nov 2, 2026");
        assert_eq!(point_label(&weeks, 1), "Nov 9 – Nov 11, 2026 (so far)");
        assert_eq!(table_head(&weeks)[0], "Week (UTC)");
    }

    #[test]
    fn rows_format_in_each_axis_unit() {
        assert_eq!(table_head(&spec()), ["Date (UTC)", "Users", "Spend, est."]);
        assert_eq!(
            table_rows(&spec()),
            vec![
                vec!["Mon, Sep 1, 2025".to_owned(), "3".into(), "$12.50".into()],
                vec![
                    "Tue, Sep 2, 2025".to_owned(),
                    "—".into(),
                    "$1,234.00".into()
                ],
            ]
        );
    }

    #[test]
    fn csv_keeps_raw_values_and_gaps_under_snake_case_headers() {
        assert_eq!(
            csv(&spec()),
            "date,active_users,spend_est\n2025-09-01,3,12.5\n2025-09-02,,1234\n"
        );
    }

    /// A rate series with the counts behind it, by week.
    fn rates() -> ChartSpec {
        let mut overall = SeriesSpec::new(
            "accept_rate",
            "All tools",
            SeriesKind::Line,
            AxisSide::Left,
            vec![Some(17.0 / 24.0), None, None],
            0,
        );
        overall.decisions = Some(vec![
            Some(Decisions::new(17, 7)),
            Some(Decisions::default()),
            None,
        ]);
        let mut edit = overall.clone();
        edit.key = "edit_accept_rate".into();
        edit.name = "Edit".into();
        edit.values = vec![Some(0.5), Some(1.0), None];
        edit.decisions = Some(vec![
            Some(Decisions::new(1, 1)),
            Some(Decisions::new(2, 0)),
            None,
        ]);
        ChartSpec {
            points: buckets(DateRange::new(d(11, 2), d(11, 18)).unwrap(), Grouping::Week),
            series: vec![overall, edit],
            left: axis(Unit::Percent, "Accept rate"),
            right: None,
            partial: None,
        }
    }

    #[test]
    fn rates_come_with_their_counts_in_the_table_and_the_csv() {
        let spec = rates();
        assert_eq!(
            table_head(&spec),
            [
                "Week (UTC)",
                "All tools",
                "All tools accepted",
                "All tools rejected",
                "Edit",
                "Edit accepted",
                "Edit rejected"
            ]
        );
        let rows = table_rows(&spec);
        assert_eq!(
            rows[0],
            ["Week of Nov 2, 2026", "70.8%", "17", "7", "50.0%", "1", "1"]
        );
        // No decisions: no rate, but the counts are known zeros.
        assert_eq!(rows[1][1..4], ["—", "0", "0"]);
        // An unknown week: nothing known.
        assert_eq!(rows[2][1..4], ["—", "—", "—"]);
        assert_eq!(
            csv(&spec),
            "first_day,last_day,accept_rate,accepted,rejected,edit_accept_rate,edit_accepted,edit_rejected\n\
             2026-11-02,2026-11-08,0.708333,17,7,0.5,1,1\n\
             2026-11-09,2026-11-15,,0,0,1,2,0\n\
             2026-11-16,2026-11-18,,,,,,\n"
        );
        assert_eq!(
            decisions_text(Decisions::new(1234, 5)),
            "1,234 accepted · 5 rejected"
        );
        assert_eq!(
            decisions_text(Decisions::new(0, 3)),
            "0 accepted · 3 rejected"
        );
        assert_eq!(decisions_text(Decisions::default()), "no decisions");
    }

    #[test]
    fn snake_case_columns() {
        assert_eq!(snake_case("Lines accepted"), "lines_accepted");
        assert_eq!(snake_case("Spend (USD, est.)"), "spend_usd_est");
        assert_eq!(snake_case("  multi-edit  Tool"), "multi_edit_tool");
        assert_eq!(snake_case("=cmd|' /C calc'!A0"), "cmd_c_calc_a0");
        assert_eq!(snake_case("Über_edit"), "Über_edit");
        assert_eq!(snake_case(""), "");
        assert_eq!(count_columns("accept_rate"), ["accepted", "rejected"]);
        assert_eq!(
            count_columns("edit_accept_rate"),
            ["edit_accepted", "edit_rejected"]
        );
        assert_eq!(count_columns("odd"), ["odd_accepted", "odd_rejected"]);
    }
}
