//! Axis scales: "nice" Y ranges and ticks, and which days get an X label so
//! labels never overlap at any width.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::chart::spec::Unit;
use crate::model::grouping::{Bucket, Grouping};

/// A Y axis range with evenly spaced ticks from `min` to `max`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisScale {
    pub min: f64,
    pub max: f64,
    pub step: f64,
}

impl AxisScale {
    /// Tick values from min to max inclusive.
    pub fn ticks(&self) -> Vec<f64> {
        let count = ((self.max - self.min) / self.step).round().clamp(0.0, 50.0) as usize;
        (0..=count)
            .map(|i| self.min + self.step * i as f64)
            .collect()
    }

    /// Where `value` sits in the range, 0 at `min` and 1 at `max`.
    pub fn fraction(&self, value: f64) -> f64 {
        let span = self.max - self.min;
        if span <= 0.0 {
            0.0
        } else {
            (value - self.min) / span
        }
    }
}

/// About this many intervals per axis.
const TARGET_INTERVALS: f64 = 4.0;

/// 1, 2, 2.5 or 5 × 10^k, the smallest at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    // 10^⌊log10 raw⌋ by steps: no libm `pow` and `log10` in the wasm.
    let mut magnitude = 1.0;
    while magnitude * 10.0 <= raw {
        magnitude *= 10.0;
    }
    while magnitude > raw {
        magnitude /= 10.0;
    }
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 2.5 {
        2.5
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Rates (0..=1) on an axis that fits them: a chart whose rates sit
/// between 70 % and 95 % reads 70–100 %, not a flat line near the top of
/// 0–100 %. Kept honest: ticks every 5, 10, 20, 25 or 50 points (never finer,
/// so noise is not blown up), at least four intervals, widened towards 100 %
/// first, and never beyond 0–100 %.
fn percent_scale(lo: f64, hi: f64) -> AxisScale {
    const MIN_STEP: f64 = 0.05;
    const MIN_INTERVALS: f64 = 4.0;
    // Ratios of whole numbers land a hair off their tick (0.7 / 0.1 is
    // 6.999…): a tolerance keeps them on it.
    const EPS: f64 = 1e-9;
    let step = if hi > lo {
        nice_step((hi - lo) / TARGET_INTERVALS).max(MIN_STEP)
    } else {
        MIN_STEP
    };
    let mut min = ((lo / step + EPS).floor() * step).max(0.0);
    let mut max = ((hi / step - EPS).ceil() * step).min(1.0);
    while (max - min) / step < MIN_INTERVALS - EPS {
        if max < 1.0 - EPS {
            max = (max + step).min(1.0);
        } else if min > EPS {
            min = (min - step).max(0.0);
        } else {
            break;
        }
    }
    AxisScale { min, max, step }
}

/// A nice scale covering `values`.
pub fn nice_scale(values: impl Iterator<Item = f64>, unit: Unit, min_zero: bool) -> AxisScale {
    let (mut lo, mut hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 0.0);
    }
    if min_zero {
        lo = lo.min(0.0);
    }
    if unit == Unit::Percent && hi <= 1.0 && lo >= 0.0 {
        return percent_scale(lo, hi);
    }
    if hi <= lo {
        hi = lo
            + if unit == Unit::Percent {
                1.0
            } else {
                1.0_f64.max(lo.abs() * 0.1)
            };
    }
    let mut step = nice_step((hi - lo) / TARGET_INTERVALS);
    if unit == Unit::Count {
        // Counts are whole numbers: no 2.5 steps, no steps below 1.
        step = step.max(1.0);
        if (step - step.round()).abs() > 1e-9 {
            step = nice_step(step * 1.2).round().max(1.0);
        }
    }
    let min = (lo / step).floor() * step;
    let max = ((hi / step).ceil() * step).max(min + step);
    AxisScale { min, max, step }
}

/// Indices of the points that get an X label, spaced so that labels about
/// `label_width` wide never overlap on a plot `plot_width` wide.
pub fn x_label_indices(points: &[Bucket], plot_width: f64, label_width: f64) -> Vec<usize> {
    let n = points.len();
    if n == 0 || plot_width <= 0.0 {
        return Vec::new();
    }
    let per_point = plot_width / n as f64;
    let needed = label_width * 1.3;
    let strides: &[usize] = match points[0].grouping {
        Grouping::Day => &[1, 2, 3],
        // Weeks: every one, then every other, then about a month or a
        // quarter apart.
        Grouping::Week => &[1, 2, 4, 8, 13, 26, 52],
        Grouping::Month => &[1, 2, 3, 6, 12],
    };
    if let Some(stride) = strides
        .iter()
        .copied()
        .find(|s| per_point * *s as f64 >= needed)
    {
        // Count back from the last point so the most recent is labelled.
        return (0..n)
            .filter(|i| (n - 1 - i).is_multiple_of(stride))
            .collect();
    }
    if points[0].grouping != Grouping::Day {
        return vec![n - 1];
    }
    let dates: Vec<NaiveDate> = points.iter().map(|b| b.first).collect();
    if let Some(weeks) = [1usize, 2]
        .into_iter()
        .find(|w| per_point * (7 * w) as f64 >= needed)
    {
        let mondays: Vec<usize> = (0..n)
            .filter(|&i| dates[i].weekday() == Weekday::Mon)
            .collect();
        return mondays.into_iter().step_by(weeks).collect();
    }
    let months = [1usize, 2, 3, 6, 12]
        .into_iter()
        .find(|m| per_point * (30 * m) as f64 >= needed)
        .unwrap_or(12);
    (0..n)
        .filter(|&i| dates[i].day() == 1 && (dates[i].month0() as usize).is_multiple_of(months))
        .collect()
}

/// Whether labels are month names: a monthly chart's, or a daily one whose
/// spacing went past two weeks.
pub fn labels_are_months(points: &[Bucket], indices: &[usize]) -> bool {
    match points.first().map(|b| b.grouping) {
        Some(Grouping::Month) => true,
        Some(Grouping::Week) | None => false,
        Some(Grouping::Day) => {
            indices.len() >= 2
                && indices.windows(2).all(|w| {
                    points
                        .get(w[1])
                        .zip(points.get(w[0]))
                        .is_some_and(|(b, a)| (b.first - a.first).num_days() >= 28)
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(n: usize) -> Vec<NaiveDate> {
        let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        (0..n)
            .map(|i| start + chrono::TimeDelta::days(i as i64))
            .collect()
    }

    #[test]
    fn nice_ranges() {
        let s = nice_scale([3.0, 38.0].into_iter(), Unit::Count, true);
        assert_eq!((s.min, s.max, s.step), (0.0, 40.0, 10.0));
        assert_eq!(s.ticks(), vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        let s = nice_scale([120.0, 1_850.0].into_iter(), Unit::Dollars, true);
        assert_eq!((s.min, s.max, s.step), (0.0, 2_000.0, 500.0));
        let s = nice_scale([0.4, 0.93].into_iter(), Unit::Percent, true);
        assert_eq!((s.min, s.max, s.step), (0.0, 1.0, 0.25));
        let s = nice_scale(std::iter::empty(), Unit::Count, true);
        assert_eq!((s.min, s.max), (0.0, 1.0));
        let s = nice_scale([2.0, 3.0].into_iter(), Unit::Count, true);
        assert_eq!(s.step, 1.0);
        assert_eq!(s.max, 3.0);
        let s = nice_scale([f64::NAN, 5.0].into_iter(), Unit::Count, true);
        assert_eq!((s.max, s.step), (6.0, 2.0));
    }

    #[test]
    fn count_steps_are_whole() {
        for hi in [1.0, 3.0, 7.0, 9.0, 11.0, 23.0, 99.0, 1234.0] {
            let s = nice_scale([hi].into_iter(), Unit::Count, true);
            assert!((s.step - s.step.round()).abs() < 1e-9, "{hi}: {s:?}");
            assert!(s.max >= hi);
            assert!(s.ticks().len() <= 11, "{hi}: {s:?}");
        }
    }

    fn day_points(n: usize) -> Vec<Bucket> {
        days(n).into_iter().map(Bucket::day).collect()
    }

    #[test]
    fn rates_get_an_axis_that_fits_them() {
        let scale = |lo: f64, hi: f64| {
            let s = nice_scale([lo, hi].into_iter(), Unit::Percent, false);
            (s.min, s.max, s.step)
        };
        let close = |(a, b, c): (f64, f64, f64), (x, y, z): (f64, f64, f64)| {
            (a - x).abs() < 1e-9 && (b - y).abs() < 1e-9 && (c - z).abs() < 1e-9
        };
        // 70–95 %: 60–100 % in tens (four intervals), not 0–100 %.
        assert!(
            close(scale(0.70, 0.95), (0.6, 1.0, 0.1)),
            "{:?}",
            scale(0.70, 0.95)
        );
        // A narrow band: never finer than 5 points, widened up to 100 % first.
        assert!(
            close(scale(0.90, 0.92), (0.8, 1.0, 0.05)),
            "{:?}",
            scale(0.90, 0.92)
        );
        assert!(
            close(scale(0.50, 0.52), (0.5, 0.7, 0.05)),
            "{:?}",
            scale(0.50, 0.52)
        );
        // Spread out: the whole range.
        assert!(
            close(scale(0.05, 0.97), (0.0, 1.0, 0.25)),
            "{:?}",
            scale(0.05, 0.97)
        );
        // One value, at 100 %.
        assert!(
            close(scale(1.0, 1.0), (0.8, 1.0, 0.05)),
            "{:?}",
            scale(1.0, 1.0)
        );
        assert!(
            close(scale(0.0, 0.0), (0.0, 0.2, 0.05)),
            "{:?}",
            scale(0.0, 0.0)
        );
        for (lo, hi) in [
            (0.0, 1.0),
            (0.33, 0.34),
            (0.61, 0.99),
            (0.0, 0.07),
            (0.123, 0.876),
        ] {
            let s = nice_scale([lo, hi].into_iter(), Unit::Percent, false);
            assert!(s.min >= 0.0 && s.max <= 1.0 + 1e-9, "{lo}–{hi}: {s:?}");
            assert!(s.min <= lo + 1e-9 && s.max >= hi - 1e-9, "{lo}–{hi}: {s:?}");
            assert!(s.step >= 0.05 - 1e-12, "{lo}–{hi}: {s:?}");
            let intervals = ((s.max - s.min) / s.step).round();
            assert!((4.0..=10.0).contains(&intervals), "{lo}–{hi}: {s:?}");
            for tick in s.ticks() {
                let label = crate::format::percent_tick(tick);
                assert!(!label.contains('.'), "{lo}–{hi}: tick {label}");
            }
        }
        // Asked to start at zero, it does.
        let s = nice_scale([0.7, 0.9].into_iter(), Unit::Percent, true);
        assert_eq!(s.min, 0.0);
    }

    #[test]
    fn x_labels_never_overlap() {
        for n in [1, 7, 30, 31, 90, 180, 366] {
            for width in [280.0, 600.0, 1200.0] {
                let dates = day_points(n);
                let label = 42.0;
                let idx = x_label_indices(&dates, width, label);
                assert!(!idx.is_empty() || n > 60, "n={n} w={width}");
                let per_day = width / n as f64;
                for pair in idx.windows(2) {
                    let gap = (pair[1] - pair[0]) as f64 * per_day;
                    assert!(gap >= label, "n={n} w={width} gap={gap}");
                }
            }
        }
        let week = day_points(7);
        assert_eq!(
            x_label_indices(&week, 700.0, 40.0),
            (0..7).collect::<Vec<_>>()
        );
        let year = day_points(366);
        let idx = x_label_indices(&year, 1000.0, 40.0);
        assert!(idx.iter().all(|&i| year[i].first.day() == 1));
        assert!(labels_are_months(&year, &idx));
    }

    #[test]
    fn weeks_and_months_are_labelled_back_from_the_last() {
        use crate::model::dates::DateRange;
        use crate::model::grouping::buckets;
        let end = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        for (days, grouping) in [
            (90, Grouping::Week),
            (400, Grouping::Week),
            (365, Grouping::Month),
        ] {
            let points = buckets(DateRange::ending(end, days), grouping);
            for width in [200.0, 280.0, 600.0, 1200.0] {
                let label = 42.0;
                let idx = x_label_indices(&points, width, label);
                assert_eq!(idx.last(), Some(&(points.len() - 1)), "{days} {width}");
                let per_point = width / points.len() as f64;
                for pair in idx.windows(2) {
                    let gap = (pair[1] - pair[0]) as f64 * per_point;
                    assert!(gap >= label, "{days} days by {grouping:?}, {width}: {gap}");
                }
            }
            assert_eq!(
                labels_are_months(&points, &[0, 1]),
                grouping == Grouping::Month
            );
        }
        // 14 weeks on a wide plot: every week labelled.
        let weeks = buckets(DateRange::ending(end, 90), Grouping::Week);
        assert_eq!(x_label_indices(&weeks, 1000.0, 40.0).len(), weeks.len());
    }
}
