//! What a chart shows, independent of how it is drawn.

use chrono::NaiveDate;

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

/// One Y axis.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisSpec {
    pub unit: Unit,
    /// Shown above the axis, in HTML (not drawn on the canvas).
    pub label: String,
    /// Start the axis at zero even when all values are far from it.
    pub min_zero: bool,
}

/// One series, aligned with the chart's dates.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSpec {
    pub name: String,
    pub kind: SeriesKind,
    pub axis: AxisSide,
    /// One per date; `None` is a gap (drawn as nothing, never as zero).
    pub values: Vec<Option<f64>>,
    /// Palette slot of the theme.
    pub color: usize,
}

/// A whole chart: a UTC date X axis and one or two Y axes.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    pub dates: Vec<NaiveDate>,
    pub series: Vec<SeriesSpec>,
    pub left: AxisSpec,
    pub right: Option<AxisSpec>,
}

impl ChartSpec {
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
}
