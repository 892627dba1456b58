//! The chart's numbers as table rows (for "Show as table") and as CSV.

use crate::chart::spec::ChartSpec;
use crate::format;

/// One row per day: the date, then each series' value formatted in its
/// axis' unit ("—" for a gap).
pub fn table_rows(spec: &ChartSpec) -> Vec<Vec<String>> {
    spec.dates
        .iter()
        .enumerate()
        .map(|(i, day)| {
            std::iter::once(day_label(spec, i, *day))
                .chain(spec.series.iter().map(|s| {
                    let unit = spec.unit_of(s.axis);
                    format::unit_value(unit, s.values.get(i).copied().flatten())
                }))
                .collect()
        })
        .collect()
}

/// The long date of the day at `index`, named "today so far" while it is
/// not over.
pub fn day_label(spec: &ChartSpec, index: usize, day: chrono::NaiveDate) -> String {
    let date = format::long_date(day);
    if spec.is_partial(index) {
        format!("{date} (today so far)")
    } else {
        date
    }
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// The CSV file's name: what it is and the days it covers,
/// `spend-2026-11-04-to-2026-12-03.csv` (`spend-2026-12-03.csv` for one day).
pub fn csv_file_name(what: &str, spec: &ChartSpec) -> String {
    match (spec.dates.first(), spec.dates.last()) {
        (Some(first), Some(last)) if first == last => format!("{what}-{first}.csv"),
        (Some(first), Some(last)) => format!("{what}-{first}-to-{last}.csv"),
        _ => format!("{what}.csv"),
    }
}

/// ISO date column, then raw values per series (empty for a gap).
pub fn csv(spec: &ChartSpec) -> String {
    let mut out = String::from("date");
    for s in &spec.series {
        out.push(',');
        out.push_str(&quote(&s.name));
    }
    out.push('\n');
    for (i, day) in spec.dates.iter().enumerate() {
        out.push_str(&format::iso_date(*day));
        for s in &spec.series {
            out.push(',');
            if let Some(v) = s.values.get(i).copied().flatten().filter(|v| v.is_finite()) {
                out.push_str(&trim_number(v));
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

    #[test]
    fn csv_file_names_carry_the_days() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let spec = |dates: Vec<NaiveDate>| ChartSpec {
            dates,
            series: Vec::new(),
            left: AxisSpec {
                label: String::new(),
                unit: Unit::Count,
                min_zero: true,
            },
            right: None,
            partial: None,
        };
        assert_eq!(
            csv_file_name("spend", &spec(vec![d(11, 4), d(11, 5), d(12, 3)])),
            "spend-2026-11-04-to-2026-12-03.csv"
        );
        assert_eq!(
            csv_file_name("spend", &spec(vec![d(12, 3)])),
            "spend-2026-12-03.csv"
        );
        assert_eq!(csv_file_name("spend", &spec(Vec::new())), "spend.csv");
    }
    use crate::chart::spec::{AxisSide, AxisSpec, SeriesKind, SeriesSpec, Unit};
    use chrono::NaiveDate;

    fn spec() -> ChartSpec {
        ChartSpec {
            dates: vec![
                NaiveDate::from_ymd_opt(2025, 9, 1).unwrap(),
                NaiveDate::from_ymd_opt(2025, 9, 2).unwrap(),
            ],
            series: vec![
                SeriesSpec {
                    name: "Users".into(),
                    kind: SeriesKind::Line,
                    axis: AxisSide::Left,
                    values: vec![Some(3.0), None],
                    color: 0,
                },
                SeriesSpec {
                    name: "Spend, est.".into(),
                    kind: SeriesKind::Bar,
                    axis: AxisSide::Right,
                    values: vec![Some(12.5), Some(1234.0)],
                    color: 1,
                },
            ],
            left: AxisSpec {
                unit: Unit::Count,
                label: "Users".into(),
                min_zero: true,
            },
            right: Some(AxisSpec {
                unit: Unit::Dollars,
                label: "Spend".into(),
                min_zero: true,
            }),
            partial: None,
        }
    }

    #[test]
    fn a_partial_day_is_named_today_so_far() {
        let mut s = spec();
        s.partial = Some(1);
        let rows = table_rows(&s);
        assert_eq!(rows[0][0], "Mon, Sep 1, 2025");
        assert_eq!(rows[1][0], "Tue, Sep 2, 2025 (today so far)");
    }

    #[test]
    fn rows_format_in_each_axis_unit() {
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
    fn csv_keeps_raw_values_and_gaps() {
        assert_eq!(
            csv(&spec()),
            "date,Users,\"Spend, est.\"\n2025-09-01,3,12.5\n2025-09-02,,1234\n"
        );
    }
}
