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
    /// The index of a day that is not over yet (today, UTC): its values are
    /// so far, so it is drawn faded and named "today so far", never read as
    /// a drop.
    pub partial: Option<usize>,
}

impl ChartSpec {
    /// Marks `today` as partial when it is the chart's last day.
    pub fn with_partial_day(mut self, today: NaiveDate) -> Self {
        self.partial = self
            .dates
            .last()
            .filter(|last| **last == today)
            .map(|_| self.dates.len() - 1);
        self
    }

    /// Whether the day at `index` is still in progress.
    pub fn is_partial(&self, index: usize) -> bool {
        self.partial == Some(index)
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn spec(days: &[u32]) -> ChartSpec {
        ChartSpec {
            dates: days.iter().map(|d| day(*d)).collect(),
            series: Vec::new(),
            left: AxisSpec {
                unit: Unit::Count,
                label: String::new(),
                min_zero: true,
            },
            right: None,
            partial: None,
        }
    }

    #[test]
    fn only_today_as_the_last_day_is_partial() {
        let s = spec(&[1, 2, 3]).with_partial_day(day(3));
        assert_eq!(s.partial, Some(2));
        assert!(s.is_partial(2) && !s.is_partial(1));
        // A range that ended before today has no partial day.
        assert_eq!(spec(&[1, 2]).with_partial_day(day(3)).partial, None);
        assert_eq!(spec(&[]).with_partial_day(day(3)).partial, None);
    }
}
