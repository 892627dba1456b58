//! Where things are on a drawn chart, in backing-store pixels: what the
//! hover overlay needs to place a crosshair without redrawing the chart.

use crate::chart::scale::AxisScale;
use crate::chart::spec::AxisSide;

#[derive(Debug, Clone, PartialEq)]
pub struct ChartGeometry {
    pub plot_left: f64,
    pub plot_right: f64,
    pub plot_top: f64,
    pub plot_bottom: f64,
    /// Number of days on the X axis.
    pub days: usize,
    pub left: AxisScale,
    pub right: Option<AxisScale>,
}

impl ChartGeometry {
    fn day_width(&self) -> f64 {
        (self.plot_right - self.plot_left) / self.days.max(1) as f64
    }

    /// Centre of day `index`.
    pub fn x_of(&self, index: usize) -> f64 {
        self.plot_left + (index as f64 + 0.5) * self.day_width()
    }

    /// The day under pixel `x` (nearest inside the plot; `None` outside it).
    pub fn day_at(&self, x: f64) -> Option<usize> {
        if self.days == 0 || !x.is_finite() {
            return None;
        }
        let slack = self.day_width() / 2.0;
        if x < self.plot_left - slack || x > self.plot_right + slack {
            return None;
        }
        let index = ((x - self.plot_left) / self.day_width()).floor();
        Some(index.clamp(0.0, (self.days - 1) as f64) as usize)
    }

    /// Pixel row of `value` on an axis.
    pub fn y_of(&self, side: AxisSide, value: f64) -> Option<f64> {
        let scale = match side {
            AxisSide::Left => Some(self.left),
            AxisSide::Right => self.right,
        }?;
        value
            .is_finite()
            .then(|| self.plot_bottom - scale.fraction(value) * (self.plot_bottom - self.plot_top))
    }

    /// (top, bottom) of the plot area.
    pub fn plot_y_range(&self) -> (f64, f64) {
        (self.plot_top, self.plot_bottom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geometry() -> ChartGeometry {
        ChartGeometry {
            plot_left: 100.0,
            plot_right: 400.0,
            plot_top: 10.0,
            plot_bottom: 210.0,
            days: 30,
            left: AxisScale {
                min: 0.0,
                max: 40.0,
                step: 10.0,
            },
            right: Some(AxisScale {
                min: 0.0,
                max: 2000.0,
                step: 500.0,
            }),
        }
    }

    #[test]
    fn day_at_round_trips_x_of() {
        let g = geometry();
        for i in 0..30 {
            assert_eq!(g.day_at(g.x_of(i)), Some(i));
        }
        assert_eq!(g.day_at(100.0), Some(0));
        assert_eq!(g.day_at(399.9), Some(29));
        assert_eq!(g.day_at(20.0), None);
        assert_eq!(g.day_at(f64::NAN), None);
    }

    #[test]
    fn y_mapping_per_axis() {
        let g = geometry();
        assert_eq!(g.y_of(AxisSide::Left, 0.0), Some(210.0));
        assert_eq!(g.y_of(AxisSide::Left, 40.0), Some(10.0));
        assert_eq!(g.y_of(AxisSide::Right, 1000.0), Some(110.0));
        let single = ChartGeometry { right: None, ..g };
        assert_eq!(single.y_of(AxisSide::Right, 1.0), None);
    }
}
