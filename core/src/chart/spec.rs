//! What a chart shows, independent of how it is drawn.

use chrono::NaiveDate;

use crate::model::grouping::{Bucket, Grouping};
use crate::model::totals::Decisions;

/// How an axis' values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// Dollars (not cents).
    Dollars,
    /// A ratio in 0..=1, shown as a percentage.
    Percent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisSide {
    Left,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    Line,
    Bar,
}

/// How much a line stands out: the figure a chart is about is strong and
/// drawn last (on top), its breakdowns light and drawn first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weight {
    Light,
    #[default]
    Normal,
    Strong,
}

/// One Y axis.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisSpec {
    pub unit: Unit,
    /// Shown above the axis, in HTML (not drawn on the canvas).
    pub label: String,
    /// Start the axis at zero even when all values are far from it.
    pub min_zero: bool,
}

/// One series, aligned with the chart's points.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSpec {
    /// The series' column in the CSV, in snake_case (`lines_accepted`).
    pub key: String,
    pub name: String,
    pub kind: SeriesKind,
    pub axis: AxisSide,
    /// One per point; `None` is a gap (drawn as nothing, never as zero).
    pub values: Vec<Option<f64>>,
    /// Palette slot of the theme.
    pub color: usize,
    pub weight: Weight,
    /// For a rate: the accepted and rejected decisions behind each value
    /// (`None` where the point is unknown), shown beside the percentage.
    pub decisions: Option<Vec<Option<Decisions>>>,
}

impl SeriesSpec {
    /// A series of normal weight with no counts behind its values.
    pub fn new(
        key: &str,
        name: &str,
        kind: SeriesKind,
        axis: AxisSide,
        values: Vec<Option<f64>>,
        color: usize,
    ) -> Self {
        SeriesSpec {
            key: key.to_owned(),
            name: name.to_owned(),
            kind,
            axis,
            values,
            color,
            weight: Weight::Normal,
            decisions: None,
        }
    }

    /// The decisions behind point `index`, for a rate series.
    pub fn decisions_at(&self, index: usize) -> Option<Decisions> {
        self.decisions.as_ref()?.get(index).copied().flatten()
    }
}

/// A whole chart: a UTC date X axis (days, weeks or months) and one or two
/// Y axes.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// The X axis' points, in order.
    pub points: Vec<Bucket>,
    pub series: Vec<SeriesSpec>,
    pub left: AxisSpec,
    pub right: Option<AxisSpec>,
    /// The index of a point that is not over yet (it holds today, UTC): its
    /// values are so far, so it is drawn faded and named "so far", never
    /// read as a drop.
    pub partial: Option<usize>,
}

impl ChartSpec {
    /// Marks the point holding `today` as partial.
    pub fn with_partial_day(mut self, today: NaiveDate) -> Self {
        self.partial = self.points.iter().position(|b| b.contains(today));
        self
    }

    /// Whether the point at `index` is still in progress.
    pub fn is_partial(&self, index: usize) -> bool {
        self.partial == Some(index)
    }

    /// Whether the point at `index` is drawn faded: not a whole day, week
    /// or month (still in progress, or cut by the range's ends).
    pub fn is_faded(&self, index: usize) -> bool {
        self.is_partial(index) || self.points.get(index).is_some_and(|b| b.is_cut())
    }

    /// How the chart's days are grouped into its points.
    pub fn grouping(&self) -> Grouping {
        self.points.first().map_or(Grouping::Day, |b| b.grouping)
    }

    /// The first day of each point.
    pub fn first_days(&self) -> Vec<NaiveDate> {
        self.points.iter().map(|b| b.first).collect()
    }

    /// The finite values of every series on one side.
    pub fn values_on(&self, side: AxisSide) -> impl Iterator<Item = f64> + '_ {
        self.series
            .iter()
            .filter(move |s| s.axis == side)
            .flat_map(|s| s.values.iter().flatten().copied())
            .filter(|v| v.is_finite())
    }

    /// The unit of a side (the right falls back to the left's).
    pub fn unit_of(&self, side: AxisSide) -> Unit {
        match side {
            AxisSide::Left => self.left.unit,
            AxisSide::Right => self.right.as_ref().map_or(self.left.unit, |r| r.unit),
        }
    }

    /// The keys of `hidden` that name a series of this chart, or none when
    /// they name every one (a chart never draws nothing): what the legend
    /// shows as hidden now, whatever was hidden under another grouping or
    /// range (whose series had other keys).
    pub fn hidden_here(&self, hidden: &[String]) -> Vec<String> {
        let here: Vec<String> = hidden
            .iter()
            .filter(|h| self.series.iter().any(|s| &s.key == *h))
            .cloned()
            .collect();
        if here.len() >= self.series.len() {
            Vec::new()
        } else {
            here
        }
    }

    /// The chart as drawn with the series whose keys are in `hidden` left
    /// out: the axes then fit what is shown. A right axis left with no series
    /// goes; a left axis left with none takes the right axis' series, scale
    /// and title (a chart always has a left axis). Hiding every series shows
    /// them all: a chart never draws nothing.
    pub fn shown(&self, hidden: &[String]) -> ChartSpec {
        let hidden = self.hidden_here(hidden);
        let mut spec = self.clone();
        spec.series.retain(|s| !hidden.contains(&s.key));
        let on = |spec: &ChartSpec, side| spec.series.iter().any(|s| s.axis == side);
        if !on(&spec, AxisSide::Right) {
            spec.right = None;
        } else if !on(&spec, AxisSide::Left) {
            if let Some(right) = spec.right.take() {
                spec.left = right;
            }
            for series in &mut spec.series {
                series.axis = AxisSide::Left;
            }
        }
        spec
    }
}

/// The hidden series after the legend entry `key` was pressed: shown again
/// if it was hidden, hidden if it was shown, unless it is the last series
/// shown (at least one always stays).
pub fn toggle_hidden(spec: &ChartSpec, hidden: &[String], key: &str) -> Vec<String> {
    let hidden = &spec.hidden_here(hidden);
    if hidden.iter().any(|h| h == key) {
        return hidden.iter().filter(|h| *h != key).cloned().collect();
    }
    let shown_after = spec
        .series
        .iter()
        .filter(|s| s.key != key && !hidden.contains(&s.key))
        .count();
    let mut next = hidden.to_vec();
    if shown_after > 0 && spec.series.iter().any(|s| s.key == key) {
        next.push(key.to_owned());
    }
    next
}

/// Whether `key` is the only series of `spec` still shown (its legend entry
/// cannot hide it).
pub fn is_last_shown(spec: &ChartSpec, hidden: &[String], key: &str) -> bool {
    let hidden = spec.hidden_here(hidden);
    let mut shown = spec.series.iter().filter(|s| !hidden.contains(&s.key));
    shown.next().is_some_and(|s| s.key == key) && shown.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn axis(unit: Unit, label: &str) -> AxisSpec {
        AxisSpec {
            unit,
            label: label.into(),
            min_zero: true,
        }
    }

    fn spec(days: &[u32]) -> ChartSpec {
        ChartSpec {
            points: days.iter().map(|d| Bucket::day(day(*d))).collect(),
            series: Vec::new(),
            left: axis(Unit::Count, ""),
            right: None,
            partial: None,
        }
    }

    #[test]
    fn only_the_point_holding_today_is_partial() {
        let s = spec(&[1, 2, 3]).with_partial_day(day(3));
        assert_eq!(s.partial, Some(2));
        assert!(s.is_partial(2) && !s.is_partial(1));
        // A range that ended before today has no partial point.
        assert_eq!(spec(&[1, 2]).with_partial_day(day(3)).partial, None);
        assert_eq!(spec(&[]).with_partial_day(day(3)).partial, None);
        // A week holding today is partial, whichever of its days today is.
        let mut weeks = spec(&[]);
        weeks.points = crate::model::grouping::buckets(
            crate::model::dates::DateRange::new(day(1), day(9)).unwrap(),
            Grouping::Week,
        );
        let weeks = weeks.with_partial_day(day(7));
        assert_eq!(weeks.partial, Some(1));
        // Faded: the week the range cut (Tue Dec 1 – Sun Dec 6), and the
        // partial one (Mon Dec 7 – Wed Dec 9, cut too).
        assert_eq!(
            (0..2).map(|i| weeks.is_faded(i)).collect::<Vec<_>>(),
            [true, true]
        );
        let whole = crate::model::grouping::buckets(
            crate::model::dates::DateRange::new(day(7), day(20)).unwrap(),
            Grouping::Week,
        );
        let mut two = spec(&[]);
        two.points = whole;
        assert!(!two.is_faded(0) && !two.is_faded(1));
        // By day, only today.
        let days = spec(&[1, 2, 3]).with_partial_day(day(3));
        assert_eq!(
            (0..3).map(|i| days.is_faded(i)).collect::<Vec<_>>(),
            [false, false, true]
        );
    }

    fn two_axes() -> ChartSpec {
        let mut s = spec(&[1, 2]);
        s.series = vec![
            SeriesSpec::new(
                "sessions",
                "Sessions",
                SeriesKind::Bar,
                AxisSide::Right,
                vec![Some(1.0), Some(2.0)],
                1,
            ),
            SeriesSpec::new(
                "active_users",
                "Active users",
                SeriesKind::Line,
                AxisSide::Left,
                vec![Some(3.0), Some(4.0)],
                0,
            ),
        ];
        s.left = axis(Unit::Count, "Users");
        s.right = Some(axis(Unit::Dollars, "Spend"));
        s
    }

    #[test]
    fn keys_hidden_under_another_grouping_do_not_hide_everything_here() {
        // By day "active_users" was hidden; by week the same line is
        // "active_users_daily_average", and "sessions" was hidden there.
        let by_day = two_axes();
        let hidden = vec!["active_users".to_owned(), "sessions".to_owned()];
        // Both of this chart's series named: none is hidden, as drawn.
        assert!(by_day.hidden_here(&hidden).is_empty());
        assert_eq!(by_day.shown(&hidden).series.len(), 2);
        assert!(!is_last_shown(&by_day, &hidden, "sessions"));
        // Pressing "sessions" (drawn) hides it, and the stale keys go.
        assert_eq!(toggle_hidden(&by_day, &hidden, "sessions"), ["sessions"]);
        // A key this chart does not have is not "hidden" here.
        let other = vec!["active_users_daily_average".to_owned()];
        assert!(by_day.hidden_here(&other).is_empty());
        assert_eq!(
            by_day.hidden_here(&["sessions".to_owned(), "x".to_owned()]),
            ["sessions"]
        );
    }

    #[test]
    fn hidden_series_are_left_out_and_the_axes_follow() {
        let s = two_axes();
        assert_eq!(s.shown(&[]), s);
        // The right axis' only series hidden: no right axis.
        let left_only = s.shown(&["sessions".to_owned()]);
        assert_eq!(left_only.series.len(), 1);
        assert_eq!(left_only.right, None);
        assert_eq!(left_only.left.label, "Users");
        // The left axis' only series hidden: the right axis moves left.
        let right_only = s.shown(&["active_users".to_owned()]);
        assert_eq!(right_only.series.len(), 1);
        assert_eq!(right_only.series[0].axis, AxisSide::Left);
        assert_eq!(right_only.left.label, "Spend");
        assert_eq!(right_only.left.unit, Unit::Dollars);
        assert_eq!(right_only.right, None);
        // Everything hidden (a stale list): everything shown.
        let all = ["sessions".to_owned(), "active_users".to_owned()];
        assert_eq!(s.shown(&all), s);
    }

    #[test]
    fn the_legend_never_hides_the_last_series() {
        let s = two_axes();
        let hidden = toggle_hidden(&s, &[], "sessions");
        assert_eq!(hidden, ["sessions"]);
        assert!(is_last_shown(&s, &hidden, "active_users"));
        assert!(!is_last_shown(&s, &hidden, "sessions"));
        // The last one stays.
        assert_eq!(toggle_hidden(&s, &hidden, "active_users"), ["sessions"]);
        // Pressed again, it comes back.
        assert!(toggle_hidden(&s, &hidden, "sessions").is_empty());
        // A key the chart does not have hides nothing.
        assert!(toggle_hidden(&s, &[], "nothing").is_empty());
        assert!(!is_last_shown(&s, &[], "sessions"));
    }
}
