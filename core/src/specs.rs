//! Chart specs for each page, built from aggregates grouped by day, week or
//! month ([`crate::model::grouping`]). Pure: tested natively.

use crate::chart::spec::{AxisSide, AxisSpec, ChartSpec, SeriesKind, SeriesSpec, Unit, Weight};
use crate::model::aggregate::{Aggregates, Metric};
use crate::model::grouping::{cumulative_lines, group, BucketTotals, Grouping};

fn values(buckets: &[BucketTotals], metric: Metric) -> Vec<Option<f64>> {
    buckets.iter().map(|b| b.value(metric)).collect()
}

fn chart(
    buckets: &[BucketTotals],
    series: Vec<SeriesSpec>,
    left: AxisSpec,
    right: Option<AxisSpec>,
) -> ChartSpec {
    ChartSpec {
        points: buckets.iter().map(|b| b.bucket).collect(),
        series,
        left,
        right,
        partial: None,
    }
}

fn axis(unit: Unit, label: String) -> AxisSpec {
    AxisSpec {
        unit,
        label,
        min_zero: true,
    }
}

/// `"Lines per week"`: what one point of a grouped count is.
fn per(what: &str, grouping: Grouping) -> String {
    format!("{what} {}", grouping.per())
}

/// Active users, by day, or as the daily average over a week or month
/// (distinct people cannot be summed over days), named so.
fn active_users(buckets: &[BucketTotals], grouping: Grouping) -> SeriesSpec {
    let (key, name) = match grouping {
        Grouping::Day => ("active_users", "Active users"),
        _ => ("active_users_daily_average", "Active users, daily average"),
    };
    SeriesSpec::new(
        key,
        name,
        SeriesKind::Line,
        AxisSide::Left,
        values(buckets, Metric::ActiveUsers),
        0,
    )
}

fn users_axis(grouping: Grouping) -> AxisSpec {
    axis(
        Unit::Count,
        match grouping {
            Grouping::Day => "Users".to_owned(),
            _ => "Users (daily avg.)".to_owned(),
        },
    )
}

fn lines_accepted(buckets: &[BucketTotals]) -> SeriesSpec {
    SeriesSpec::new(
        "lines_accepted",
        "Lines accepted",
        SeriesKind::Bar,
        AxisSide::Left,
        values(buckets, Metric::LinesAdded),
        0,
    )
}

/// Lines accepted per point (bars, left) with the running total (line,
/// right) and lines removed as context (line, left).
pub fn lines_chart(agg: &Aggregates, grouping: Grouping) -> ChartSpec {
    let buckets = group(agg, grouping);
    let series = vec![
        lines_accepted(&buckets),
        SeriesSpec::new(
            "lines_removed",
            "Lines removed",
            SeriesKind::Line,
            AxisSide::Left,
            values(&buckets, Metric::LinesRemoved),
            3,
        ),
        SeriesSpec::new(
            "cumulative_lines_accepted",
            "Cumulative lines accepted",
            SeriesKind::Line,
            AxisSide::Right,
            cumulative_lines(&buckets),
            1,
        ),
    ];
    chart(
        &buckets,
        series,
        axis(Unit::Count, per("Lines", grouping)),
        Some(axis(Unit::Count, "Cumulative".to_owned())),
    )
}

/// Lines accepted per point only (overview card).
pub fn lines_small(agg: &Aggregates, grouping: Grouping) -> ChartSpec {
    let buckets = group(agg, grouping);
    chart(
        &buckets,
        vec![lines_accepted(&buckets)],
        axis(Unit::Count, per("Lines", grouping)),
        None,
    )
}

/// `multi_edit` for `multi_edit_tool`: a tool's key in CSV column names.
fn tool_column(key: &str) -> String {
    let stem = key.strip_suffix("_tool").filter(|s| !s.is_empty());
    crate::chart::table::snake_case(stem.unwrap_or(key))
}

/// Accept rate overall (strong, drawn on top) and per tool (light), each
/// with the accepted and rejected counts behind it; points without
/// decisions are gaps. The axis fits the rates rather than always showing
/// 0–100 %.
pub fn accept_rate_chart(agg: &Aggregates, grouping: Grouping) -> ChartSpec {
    let buckets = group(agg, grouping);
    let mut overall = SeriesSpec::new(
        "accept_rate",
        "All tools",
        SeriesKind::Line,
        AxisSide::Left,
        values(&buckets, Metric::AcceptRate),
        0,
    );
    overall.weight = Weight::Strong;
    overall.decisions = Some(buckets.iter().map(BucketTotals::decisions).collect());
    let mut all = vec![overall];
    for (i, tool) in agg.per_tool.iter().enumerate() {
        let decisions: Vec<_> = buckets
            .iter()
            .map(|b| b.tool_decisions(&tool.key))
            .collect();
        let rates = decisions.iter().map(|d| d.and_then(|d| d.rate())).collect();
        // Keys name legend toggles and CSV columns: one per tool, even for
        // tool keys that read alike (`edit_tool`, `Edit`) or as nothing.
        let column = tool_column(&tool.key);
        let mut key = format!("{column}_accept_rate");
        if column.is_empty() || all.iter().any(|s: &SeriesSpec| s.key == key) {
            key = format!("tool_{}_accept_rate", i + 1);
        }
        let mut series = SeriesSpec::new(
            &key,
            &tool.label,
            SeriesKind::Line,
            AxisSide::Left,
            rates,
            i + 1,
        );
        series.weight = Weight::Light;
        series.decisions = Some(decisions);
        all.push(series);
    }
    let mut left = axis(Unit::Percent, "Accept rate".to_owned());
    left.min_zero = false;
    chart(&buckets, all, left, None)
}

/// Active users per point (line, left axis) beside another figure (bars,
/// right axis): the shape of both the activity and the spend chart.
fn users_and(
    agg: &Aggregates,
    grouping: Grouping,
    bars: (&str, &str, Metric, usize),
    right: AxisSpec,
) -> ChartSpec {
    let buckets = group(agg, grouping);
    let (key, name, metric, color) = bars;
    let series = vec![
        SeriesSpec::new(
            key,
            name,
            SeriesKind::Bar,
            AxisSide::Right,
            values(&buckets, metric),
            color,
        ),
        active_users(&buckets, grouping),
    ];
    chart(&buckets, series, users_axis(grouping), Some(right))
}

/// Active users (line, left axis) and sessions (bars, right axis).
pub fn activity_chart(agg: &Aggregates, grouping: Grouping) -> ChartSpec {
    users_and(
        agg,
        grouping,
        ("sessions", "Sessions", Metric::Sessions, 1),
        axis(Unit::Count, per("Sessions", grouping)),
    )
}

/// Active users (line, left axis) and estimated dollars (bars, right axis).
pub fn spend_chart(agg: &Aggregates, grouping: Grouping) -> ChartSpec {
    users_and(
        agg,
        grouping,
        (
            "estimated_spend_usd",
            "Estimated spend",
            Metric::SpendUsd,
            2,
        ),
        axis(Unit::Dollars, format!("USD {} (est.)", grouping.per())),
    )
}

/// Commits and pull requests by Claude Code per point.
pub fn commits_chart(agg: &Aggregates, grouping: Grouping) -> ChartSpec {
    let buckets = group(agg, grouping);
    let series = vec![
        SeriesSpec::new(
            "commits",
            "Commits",
            SeriesKind::Bar,
            AxisSide::Left,
            values(&buckets, Metric::Commits),
            4,
        ),
        SeriesSpec::new(
            "pull_requests",
            "Pull requests",
            SeriesKind::Line,
            AxisSide::Left,
            values(&buckets, Metric::PullRequests),
            5,
        ),
    ];
    let label = match grouping {
        Grouping::Day => "Per day",
        Grouping::Week => "Per week",
        Grouping::Month => "Per month",
    };
    chart(&buckets, series, axis(Unit::Count, label.to_owned()), None)
}

/// One member's sessions (bars) per point.
pub fn sessions_small(agg: &Aggregates, grouping: Grouping) -> ChartSpec {
    let buckets = group(agg, grouping);
    let sessions = SeriesSpec::new(
        "sessions",
        "Sessions",
        SeriesKind::Bar,
        AxisSide::Left,
        values(&buckets, Metric::Sessions),
        1,
    );
    chart(
        &buckets,
        vec![sessions],
        axis(Unit::Count, per("Sessions", grouping)),
        None,
    )
}

/// One member's estimated dollars (bars) per point.
pub fn spend_small(agg: &Aggregates, grouping: Grouping) -> ChartSpec {
    let buckets = group(agg, grouping);
    let spend = SeriesSpec::new(
        "estimated_spend_usd",
        "Estimated spend",
        SeriesKind::Bar,
        AxisSide::Left,
        values(&buckets, Metric::SpendUsd),
        2,
    );
    chart(
        &buckets,
        vec![spend],
        axis(Unit::Dollars, format!("USD {} (est.)", grouping.per())),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::aggregate::aggregate;
    use crate::model::dates::DateRange;
    use crate::model::fixture::small_org_records;
    use crate::model::record::UsageRecord;
    use crate::model::totals::Decisions;
    use chrono::NaiveDate;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 9, day).unwrap()
    }

    /// The fixture (Sep 8–10, 2025) over Mon Sep 1 – Sun Sep 14: two whole
    /// weeks, the fixture's days in the second; Sep 11 not loaded.
    fn fixture(unloaded: Option<NaiveDate>) -> Aggregates {
        let records = small_org_records();
        let empty: Vec<UsageRecord> = Vec::new();
        let by_day: Vec<(NaiveDate, Vec<UsageRecord>)> = (1..=14)
            .map(|n| {
                let day = d(n);
                (
                    day,
                    records.iter().filter(|r| r.date == day).cloned().collect(),
                )
            })
            .collect();
        aggregate(DateRange::new(d(1), d(14)).unwrap(), |day| {
            if Some(day) == unloaded {
                return None;
            }
            Some(
                by_day
                    .iter()
                    .find(|(date, _)| *date == day)
                    .map_or(empty.as_slice(), |(_, r)| r.as_slice()),
            )
        })
    }

    #[test]
    fn by_day_every_day_is_a_point() {
        let spec = lines_chart(&fixture(None), Grouping::Day);
        assert_eq!(spec.points.len(), 14);
        assert_eq!(spec.left.label, "Lines per day");
        assert_eq!(spec.series[0].values[7], Some(150.0));
        assert_eq!(spec.series[2].values[13], Some(215.0));
    }

    #[test]
    fn by_week_the_fixture_sums_to_its_hand_computed_figures() {
        let agg = fixture(None);
        let lines = lines_chart(&agg, Grouping::Week);
        assert_eq!(lines.points.len(), 2);
        assert_eq!(lines.left.label, "Lines per week");
        // Lines: 150 + 60 + 5; removed 30 + 30 + 1; cumulative 0 then 215.
        assert_eq!(lines.series[0].values, [Some(0.0), Some(215.0)]);
        assert_eq!(lines.series[1].values, [Some(0.0), Some(61.0)]);
        assert_eq!(lines.series[2].values, [Some(0.0), Some(215.0)]);

        let rate = accept_rate_chart(&agg, Grouping::Week);
        let overall = &rate.series[0];
        assert_eq!(overall.key, "accept_rate");
        assert_eq!(overall.weight, Weight::Strong);
        // 25 of 38, from the counts (the days' rates 70.8 % and 57.1 %
        // would average to 64.0 %).
        assert_eq!(overall.values[0], None, "a week without decisions: a gap");
        let week = overall.values[1].unwrap();
        assert!((week - 25.0 / 38.0).abs() < 1e-12, "{week}");
        assert_eq!(overall.decisions_at(1), Some(Decisions::new(25, 13)));
        assert_eq!(overall.decisions_at(0), Some(Decisions::default()));
        let keys: Vec<_> = rate.series.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "accept_rate",
                "edit_accept_rate",
                "multi_edit_accept_rate",
                "write_accept_rate",
                "notebook_edit_accept_rate",
                "apply_patch_accept_rate"
            ]
        );
        assert!(rate.series[1..].iter().all(|s| s.weight == Weight::Light));
        assert_eq!(rate.series[1].decisions_at(1), Some(Decisions::new(16, 8)));
        assert_eq!(rate.series[4].values[1], None, "NotebookEdit: 0 of 0");
        assert!(!rate.left.min_zero);

        // Active users: the daily average over the week (3 + 2 + 1 + 0 on
        // the 11th ... over 7 days), named so.
        let activity = activity_chart(&agg, Grouping::Week);
        assert_eq!(activity.series[1].name, "Active users, daily average");
        assert_eq!(activity.series[1].key, "active_users_daily_average");
        assert_eq!(activity.left.label, "Users (daily avg.)");
        let users = activity.series[1].values[1].unwrap();
        assert!((users - 6.0 / 7.0).abs() < 1e-12, "{users}");
        assert_eq!(activity.series[0].values[1], Some(16.0));
        let spend = spend_chart(&agg, Grouping::Week);
        assert_eq!(spend.series[0].values[1], Some(3.13));
        assert_eq!(spend.right.as_ref().unwrap().label, "USD per week (est.)");
        let commits = commits_chart(&agg, Grouping::Week);
        assert_eq!(commits.series[0].values[1], Some(4.0));
        assert_eq!(commits.series[1].values[1], Some(2.0));
    }

    #[test]
    fn a_week_with_an_unloaded_day_is_a_gap_on_every_chart() {
        let agg = fixture(Some(d(11)));
        for spec in [
            lines_chart(&agg, Grouping::Week),
            accept_rate_chart(&agg, Grouping::Week),
            activity_chart(&agg, Grouping::Week),
            spend_chart(&agg, Grouping::Week),
            commits_chart(&agg, Grouping::Week),
            lines_small(&agg, Grouping::Week),
        ] {
            for series in &spec.series {
                assert_eq!(series.values[1], None, "{}", series.key);
                assert_eq!(series.decisions_at(1), None, "{}", series.key);
            }
        }
    }

    #[test]
    fn tools_whose_keys_read_alike_get_a_series_each() {
        let mut agg = fixture(None);
        let edit = agg.per_tool[0].clone();
        for key in ["Edit", "edit_tool", ""] {
            let mut tool = edit.clone();
            tool.key = key.into();
            agg.per_tool.push(tool);
        }
        let spec = accept_rate_chart(&agg, Grouping::Day);
        let keys: Vec<&str> = spec.series.iter().map(|s| s.key.as_str()).collect();
        let mut unique = keys.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), keys.len(), "{keys:?}");
        assert!(keys.iter().all(|k| !k.starts_with('_')), "{keys:?}");
    }

    #[test]
    fn a_months_chart_has_one_point_per_month() {
        let agg = fixture(None);
        let spec = lines_small(&agg, Grouping::Month);
        assert_eq!(spec.points.len(), 1);
        assert_eq!(spec.series[0].values, [Some(215.0)]);
        assert_eq!(spec.left.label, "Lines per month");
    }
}
