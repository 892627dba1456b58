//! Chart specs for each page, built from aggregates. Pure: tested natively.

use crate::chart::spec::{AxisSide, AxisSpec, ChartSpec, SeriesKind, SeriesSpec, Unit};
use crate::model::aggregate::{Aggregates, Metric};

fn values(agg: &Aggregates, metric: Metric) -> Vec<Option<f64>> {
    agg.series(metric).into_iter().map(|(_, v)| v).collect()
}

fn dates(agg: &Aggregates) -> Vec<chrono::NaiveDate> {
    agg.days.iter().map(|d| d.date).collect()
}

fn axis(unit: Unit, label: &str) -> AxisSpec {
    AxisSpec {
        unit,
        label: label.to_owned(),
        min_zero: true,
    }
}

fn series(
    name: &str,
    kind: SeriesKind,
    side: AxisSide,
    values: Vec<Option<f64>>,
    color: usize,
) -> SeriesSpec {
    SeriesSpec {
        name: name.to_owned(),
        kind,
        axis: side,
        values,
        color,
    }
}

/// Lines accepted per day (bars, left) with the running total (line, right)
/// and lines removed as context (line, left).
pub fn lines_chart(agg: &Aggregates) -> ChartSpec {
    let cumulative = agg
        .cumulative_lines_added()
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    ChartSpec {
        dates: dates(agg),
        series: vec![
            series(
                "Lines accepted",
                SeriesKind::Bar,
                AxisSide::Left,
                values(agg, Metric::LinesAdded),
                0,
            ),
            series(
                "Lines removed",
                SeriesKind::Line,
                AxisSide::Left,
                values(agg, Metric::LinesRemoved),
                3,
            ),
            series(
                "Cumulative lines accepted",
                SeriesKind::Line,
                AxisSide::Right,
                cumulative,
                1,
            ),
        ],
        left: axis(Unit::Count, "Lines per day"),
        right: Some(axis(Unit::Count, "Cumulative")),
        partial: None,
    }
}

/// Lines accepted per day only (overview card).
pub fn lines_small(agg: &Aggregates) -> ChartSpec {
    ChartSpec {
        dates: dates(agg),
        series: vec![series(
            "Lines accepted",
            SeriesKind::Bar,
            AxisSide::Left,
            values(agg, Metric::LinesAdded),
            0,
        )],
        left: axis(Unit::Count, "Lines per day"),
        right: None,
        partial: None,
    }
}

/// Accept rate overall and per tool; days without decisions are gaps.
pub fn accept_rate_chart(agg: &Aggregates) -> ChartSpec {
    let mut all = vec![series(
        "All tools",
        SeriesKind::Line,
        AxisSide::Left,
        values(agg, Metric::AcceptRate),
        0,
    )];
    for (i, tool) in agg.per_tool.iter().enumerate() {
        // `tool_accept_rate` is already `None` for a day that did not load.
        let per_day = agg
            .days
            .iter()
            .map(|d| d.tool_accept_rate(&tool.key))
            .collect();
        all.push(series(
            &tool.label,
            SeriesKind::Line,
            AxisSide::Left,
            per_day,
            i + 1,
        ));
    }
    ChartSpec {
        dates: dates(agg),
        series: all,
        left: axis(Unit::Percent, "Accept rate"),
        right: None,
        partial: None,
    }
}

/// Active users per day (line, left axis) beside another daily figure (bars,
/// right axis): the shape of both the activity and the spend chart.
fn users_and(
    agg: &Aggregates,
    name: &str,
    metric: Metric,
    color: usize,
    right: AxisSpec,
) -> ChartSpec {
    ChartSpec {
        dates: dates(agg),
        series: vec![
            series(
                name,
                SeriesKind::Bar,
                AxisSide::Right,
                values(agg, metric),
                color,
            ),
            series(
                "Active users",
                SeriesKind::Line,
                AxisSide::Left,
                values(agg, Metric::ActiveUsers),
                0,
            ),
        ],
        left: axis(Unit::Count, "Users"),
        right: Some(right),
        partial: None,
    }
}

/// Active users (line, left axis) and sessions (bars, right axis).
pub fn activity_chart(agg: &Aggregates) -> ChartSpec {
    users_and(
        agg,
        "Sessions",
        Metric::Sessions,
        1,
        axis(Unit::Count, "Sessions"),
    )
}

/// Active users (line, left axis) and estimated dollars (bars, right axis).
pub fn spend_chart(agg: &Aggregates) -> ChartSpec {
    users_and(
        agg,
        "Estimated spend",
        Metric::SpendUsd,
        2,
        axis(Unit::Dollars, "Spend (USD, est.)"),
    )
}

/// Commits and pull requests by Claude Code per day.
pub fn commits_chart(agg: &Aggregates) -> ChartSpec {
    ChartSpec {
        dates: dates(agg),
        series: vec![
            series(
                "Commits",
                SeriesKind::Bar,
                AxisSide::Left,
                values(agg, Metric::Commits),
                4,
            ),
            series(
                "Pull requests",
                SeriesKind::Line,
                AxisSide::Left,
                values(agg, Metric::PullRequests),
                5,
            ),
        ],
        left: axis(Unit::Count, "Per day"),
        right: None,
        partial: None,
    }
}

/// One member's sessions (bars) per day.
pub fn sessions_small(agg: &Aggregates) -> ChartSpec {
    ChartSpec {
        dates: dates(agg),
        series: vec![series(
            "Sessions",
            SeriesKind::Bar,
            AxisSide::Left,
            values(agg, Metric::Sessions),
            1,
        )],
        left: axis(Unit::Count, "Sessions per day"),
        right: None,
        partial: None,
    }
}

/// One member's estimated dollars (bars) per day.
pub fn spend_small(agg: &Aggregates) -> ChartSpec {
    ChartSpec {
        dates: dates(agg),
        series: vec![series(
            "Estimated spend",
            SeriesKind::Bar,
            AxisSide::Left,
            values(agg, Metric::SpendUsd),
            2,
        )],
        left: axis(Unit::Dollars, "Spend (USD, est.)"),
        right: None,
        partial: None,
    }
}
