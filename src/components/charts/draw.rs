//! Draws a [`ChartSpec`] with plotters on any backend: the canvas in the
//! browser, an SVG string in native tests. Everything is laid out in
//! backing-store pixels and scaled by `pixel_ratio`, so a canvas sized to
//! CSS size × devicePixelRatio is crisp and looks the same at any DPR.
//!
//! Text is only ever measured through the backend (`estimate_text_size`),
//! which the canvas wrapper answers with `measureText`: no DOM spans.

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Rectangle, Text};
use plotters::prelude::{Color, DrawingArea, DrawingBackend, RGBColor, ShapeStyle};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontFamily, IntoFont, TextStyle};

use crate::components::charts::geometry::ChartGeometry;
use crate::components::charts::scale::{labels_are_months, nice_scale, x_label_indices, AxisScale};
use crate::components::charts::spec::{AxisSide, ChartSpec, SeriesKind};
use crate::components::charts::theme::{ChartTheme, Rgb};
use crate::format;
use crate::model::dates::is_weekend;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("the chart has no days to show")]
    NoDays,
    #[error("the canvas is too small to draw on")]
    TooSmall,
    #[error("drawing failed: {0}")]
    Backend(String),
}

fn backend_error(error: impl std::fmt::Display) -> ChartError {
    ChartError::Backend(error.to_string())
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// `c` halfway to the background: the fill of a day that is not over yet.
pub fn faded(c: Rgb, background: Rgb) -> Rgb {
    let mix = |a: u8, b: u8| ((u16::from(a) + u16::from(b)) / 2) as u8;
    Rgb(
        mix(c.0, background.0),
        mix(c.1, background.1),
        mix(c.2, background.2),
    )
}

/// Base font size in CSS pixels.
const FONT_PX: f64 = 12.0;

/// Draws `spec` filling `area`; returns where the plot ended up.
pub fn draw_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    theme: &ChartTheme,
    pixel_ratio: f64,
) -> Result<ChartGeometry, ChartError> {
    let r = if pixel_ratio.is_finite() && pixel_ratio > 0.0 {
        pixel_ratio
    } else {
        1.0
    };
    area.fill(&rgb(theme.background)).map_err(backend_error)?;
    let n = spec.dates.len();
    if n == 0 {
        return Err(ChartError::NoDays);
    }
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (f64::from(width), f64::from(height));
    // A named family: plotters' `From<&str>` lowercases the name to look for
    // `serif` and the like, which would bring Rust's Unicode case tables.
    let font = (FontFamily::Name(&theme.font_family), FONT_PX * r).into_font();
    let text_color = rgb(theme.text);
    let text_style = TextStyle::from(font).color(&text_color);
    let measure = |text: &str| -> f64 {
        area.estimate_text_size(text, &text_style)
            .map(|(w, _)| f64::from(w))
            .unwrap_or(text.chars().count() as f64 * FONT_PX * r * 0.6)
    };

    let left = nice_scale(
        spec.values_on(AxisSide::Left),
        spec.left.unit,
        spec.left.min_zero,
    );
    let right = spec
        .right
        .as_ref()
        .map(|axis| nice_scale(spec.values_on(AxisSide::Right), axis.unit, axis.min_zero));
    let left_labels: Vec<(f64, String)> = left
        .ticks()
        .into_iter()
        .map(|v| (v, format::unit_tick(spec.left.unit, v)))
        .collect();
    let right_labels: Vec<(f64, String)> = match (&right, &spec.right) {
        (Some(scale), Some(axis)) => scale
            .ticks()
            .into_iter()
            .map(|v| (v, format::unit_tick(axis.unit, v)))
            .collect(),
        _ => Vec::new(),
    };
    let widest =
        |labels: &[(f64, String)]| labels.iter().map(|(_, l)| measure(l)).fold(0.0, f64::max);
    let gap = 6.0 * r;
    let sample_label = measure("Sep 30");
    let plot_left = (widest(&left_labels) + 2.0 * gap).max(sample_label / 2.0 + gap);
    let plot_right = if right_labels.is_empty() {
        width - (sample_label / 2.0 + gap)
    } else {
        width - (widest(&right_labels) + 2.0 * gap)
    };
    let plot_top = FONT_PX * r * 0.75;
    let plot_bottom = height - (FONT_PX * r * 1.5 + gap);
    if plot_right - plot_left < 10.0 || plot_bottom - plot_top < 10.0 {
        return Err(ChartError::TooSmall);
    }
    let geometry = ChartGeometry {
        plot_left,
        plot_right,
        plot_top,
        plot_bottom,
        days: n,
        left,
        right,
    };
    let day_width = (plot_right - plot_left) / n as f64;
    let px = |v: f64| v.round() as i32;

    // Weekends, lightly shaded behind everything. A day's band ends where the
    // next one starts (the same rounded edge), so Saturday and Sunday meet
    // without a seam.
    let day_edge = |i: usize| px(plot_left + i as f64 * day_width);
    for (i, day) in spec.dates.iter().enumerate() {
        if is_weekend(*day) {
            area.draw(&Rectangle::new(
                [
                    (day_edge(i), px(plot_top)),
                    (day_edge(i + 1), px(plot_bottom)),
                ],
                rgb(theme.weekend).filled(),
            ))
            .map_err(backend_error)?;
        }
    }

    // Grid and left ticks.
    let grid = ShapeStyle {
        color: rgb(theme.grid).to_rgba(),
        filled: false,
        stroke_width: r.round().max(1.0) as u32,
    };
    for (value, label) in &left_labels {
        let Some(y) = geometry.y_of(AxisSide::Left, *value) else {
            continue;
        };
        area.draw(&PathElement::new(
            vec![(px(plot_left), px(y)), (px(plot_right), px(y))],
            grid,
        ))
        .map_err(backend_error)?;
        area.draw(&Text::new(
            label.clone(),
            (px(plot_left - gap), px(y)),
            text_style.pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(backend_error)?;
    }
    for (value, label) in &right_labels {
        let Some(y) = geometry.y_of(AxisSide::Right, *value) else {
            continue;
        };
        area.draw(&PathElement::new(
            vec![(px(plot_right), px(y)), (px(plot_right + gap / 2.0), px(y))],
            ShapeStyle {
                color: rgb(theme.axis).to_rgba(),
                ..grid
            },
        ))
        .map_err(backend_error)?;
        area.draw(&Text::new(
            label.clone(),
            (px(plot_right + gap), px(y)),
            text_style.pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(backend_error)?;
    }

    // X axis and day labels.
    let axis = ShapeStyle {
        color: rgb(theme.axis).to_rgba(),
        filled: false,
        stroke_width: r.round().max(1.0) as u32,
    };
    area.draw(&PathElement::new(
        vec![
            (px(plot_left), px(plot_bottom)),
            (px(plot_right), px(plot_bottom)),
        ],
        axis,
    ))
    .map_err(backend_error)?;
    let indices = x_label_indices(&spec.dates, plot_right - plot_left, sample_label);
    let months = labels_are_months(&spec.dates, &indices);
    for i in indices {
        let Some(day) = spec.dates.get(i) else {
            continue;
        };
        let label = if months {
            month_label(*day)
        } else {
            format::short_date(*day)
        };
        let x = geometry.x_of(i);
        area.draw(&PathElement::new(
            vec![
                (px(x), px(plot_bottom)),
                (px(x), px(plot_bottom + gap / 2.0)),
            ],
            axis,
        ))
        .map_err(backend_error)?;
        area.draw(&Text::new(
            label,
            (px(x), px(plot_bottom + gap)),
            text_style.pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(backend_error)?;
    }

    // Bars first, then lines on top.
    let bars: Vec<_> = spec
        .series
        .iter()
        .filter(|s| s.kind == SeriesKind::Bar)
        .collect();
    let slot = day_width * 0.8 / bars.len().max(1) as f64;
    for (k, series) in bars.iter().enumerate() {
        let scale = scale_of(&geometry, series.axis);
        let base = geometry
            .y_of(series.axis, scale.min.max(0.0).min(scale.max))
            .unwrap_or(plot_bottom);
        let color = rgb(theme.color(series.color));
        for (i, value) in series.values.iter().enumerate().take(n) {
            let (Some(v), Some(y)) = (value, value.and_then(|v| geometry.y_of(series.axis, v)))
            else {
                continue;
            };
            if *v == 0.0 {
                continue;
            }
            let x0 = geometry.x_of(i) - day_width * 0.4 + k as f64 * slot;
            let x1 = (x0 + slot - r.max(1.0) * 0.5).max(x0 + 1.0);
            let corners = [(px(x0), px(y)), (px(x1), px(base))];
            if spec.is_partial(i) {
                // So far today: a faded bar with its outline, not a drop.
                let fill = rgb(faded(theme.color(series.color), theme.background));
                area.draw(&Rectangle::new(corners, fill.filled()))
                    .map_err(backend_error)?;
                area.draw(&Rectangle::new(
                    corners,
                    color.stroke_width(r.round().max(1.0) as u32),
                ))
                .map_err(backend_error)?;
            } else {
                area.draw(&Rectangle::new(corners, color.filled()))
                    .map_err(backend_error)?;
            }
        }
    }
    for series in spec.series.iter().filter(|s| s.kind == SeriesKind::Line) {
        let color = rgb(theme.color(series.color));
        let stroke = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: (2.0 * r).round().max(1.0) as u32,
        };
        for run in runs(&series.values) {
            let mut points: Vec<(i32, i32)> = run
                .iter()
                .filter_map(|&(i, v)| {
                    geometry
                        .y_of(series.axis, v)
                        .map(|y| (px(geometry.x_of(i)), px(y)))
                })
                .collect();
            // The segment into a day that is not over yet is dashed and its
            // point hollow: today so far, not a drop.
            if run.last().is_some_and(|&(i, _)| spec.is_partial(i)) && points.len() == run.len() {
                if let Some(&end) = points.last() {
                    if let [.., before, _] = points[..] {
                        let dash = (4.0 * r).round() as i32;
                        area.draw(&DashedPathElement::new([before, end], dash, dash, stroke))
                            .map_err(backend_error)?;
                    }
                    area.draw(&Circle::new(
                        end,
                        (3.0 * r).round() as i32,
                        color.stroke_width(stroke.stroke_width),
                    ))
                    .map_err(backend_error)?;
                    points.pop();
                }
                if points.len() < 2 {
                    continue;
                }
            }
            if points.len() == 1 {
                area.draw(&Circle::new(
                    points[0],
                    (2.5 * r).round() as i32,
                    color.filled(),
                ))
                .map_err(backend_error)?;
            } else {
                area.draw(&PathElement::new(points, stroke))
                    .map_err(backend_error)?;
            }
        }
    }
    Ok(geometry)
}

fn scale_of(geometry: &ChartGeometry, side: AxisSide) -> AxisScale {
    match side {
        AxisSide::Left => geometry.left,
        AxisSide::Right => geometry.right.unwrap_or(geometry.left),
    }
}

/// "Nov", or "Jan 2026" at a year's start.
fn month_label(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let short = format::short_date(day);
    let month = short.split(' ').next().unwrap_or_default().to_owned();
    if day.month() == 1 {
        format!("{month} {}", day.year())
    } else {
        month
    }
}

/// Consecutive runs of present values: a gap (None) ends a run.
pub fn runs(values: &[Option<f64>]) -> Vec<Vec<(usize, f64)>> {
    let mut out: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut current: Vec<(usize, f64)> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        match value {
            Some(v) if v.is_finite() => current.push((i, *v)),
            _ => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::charts::spec::{AxisSpec, SeriesSpec, Unit};
    use chrono::NaiveDate;
    use plotters::prelude::{IntoDrawingArea, SVGBackend};

    fn dates(n: usize) -> Vec<NaiveDate> {
        let start = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
        (0..n)
            .map(|i| start + chrono::TimeDelta::days(i as i64))
            .collect()
    }

    fn spec(users: Vec<Option<f64>>, spend: Vec<Option<f64>>) -> ChartSpec {
        let n = users.len();
        ChartSpec {
            dates: dates(n),
            series: vec![
                SeriesSpec {
                    name: "Spend".into(),
                    kind: SeriesKind::Bar,
                    axis: AxisSide::Right,
                    values: spend,
                    color: 1,
                },
                SeriesSpec {
                    name: "Users".into(),
                    kind: SeriesKind::Line,
                    axis: AxisSide::Left,
                    values: users,
                    color: 0,
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

    fn render(spec: &ChartSpec, ratio: f64) -> (String, ChartGeometry) {
        let mut svg = String::new();
        let geometry = {
            let area =
                SVGBackend::with_string(&mut svg, ((600.0 * ratio) as u32, (260.0 * ratio) as u32))
                    .into_drawing_area();
            let g = draw_chart(&area, spec, &ChartTheme::light(), ratio).unwrap();
            area.present().unwrap();
            g
        };
        (svg, geometry)
    }

    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                t.split_once('>')
                    .and_then(|(_, rest)| rest.split_once("</text>"))
                    .map(|(s, _)| s.trim().to_owned())
            })
            .collect()
    }

    fn first_font_size(svg: &str) -> f64 {
        svg.split("font-size=\"")
            .nth(1)
            .and_then(|rest| rest.split_once('"'))
            .and_then(|(size, _)| size.parse().ok())
            .unwrap_or(0.0)
    }

    fn polylines(svg: &str) -> Vec<Vec<(f64, f64)>> {
        svg.split("<polyline")
            .skip(1)
            .filter_map(|p| {
                p.split_once("points=\"")
                    .and_then(|(_, rest)| rest.split_once('"'))
                    .map(|(pts, _)| pts.to_owned())
            })
            .map(|pts| {
                pts.split_whitespace()
                    .filter_map(|xy| {
                        xy.split_once(',')
                            .and_then(|(x, y)| Some((x.parse().ok()?, y.parse().ok()?)))
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn both_axes_have_their_tick_labels() {
        let users = vec![
            Some(12.0),
            Some(38.0),
            Some(20.0),
            Some(5.0),
            Some(30.0),
            Some(33.0),
            Some(31.0),
        ];
        let spend = vec![
            Some(400.0),
            Some(1850.0),
            Some(900.0),
            Some(100.0),
            Some(1200.0),
            Some(1500.0),
            Some(1400.0),
        ];
        let (svg, _) = render(&spec(users, spend), 1.0);
        let labels = texts(&svg);
        for expected in [
            "0", "10", "20", "30", "40", "$0", "$500", "$1k", "$1.5k", "$2k", "Sep 1", "Sep 7",
        ] {
            assert!(
                labels.iter().any(|l| l == expected),
                "missing {expected} in {labels:?}"
            );
        }
    }

    #[test]
    fn gaps_split_lines_into_separate_segments() {
        let users = vec![
            Some(1.0),
            Some(2.0),
            None,
            Some(3.0),
            Some(4.0),
            None,
            Some(5.0),
        ];
        let spend = vec![None; 7];
        let (svg, _) = render(&spec(users, spend), 1.0);
        // Grid, axes and ticks are two-point lines; data segments have the run's points.
        let data: Vec<_> = polylines(&svg)
            .into_iter()
            .filter(|p| p.len() == 2 && p[0].0 != p[1].0 && p[0].1 != p[1].1)
            .collect();
        assert_eq!(data.len(), 2, "two runs of two points: {data:?}");
        assert!(
            svg.contains("<circle"),
            "the single point after the second gap is a dot"
        );
    }

    #[test]
    fn dual_axis_scales_are_independent() {
        let users = vec![Some(10.0), Some(40.0), Some(10.0)];
        let spend = vec![Some(10_000.0), Some(40_000.0), Some(10_000.0)];
        let (svg, g) = render(&spec(users, spend), 1.0);
        assert_eq!(g.left.max, 40.0);
        assert_eq!(g.right.unwrap().max, 40_000.0);
        let line = polylines(&svg)
            .into_iter()
            .find(|p| p.len() == 3)
            .expect("the users line");
        // The 40-user peak reaches the top of the plot, not flattened by the 1000× larger spend.
        assert!(
            (line[1].1 - g.plot_top).abs() <= 1.0,
            "{line:?} vs top {}",
            g.plot_top
        );
        assert!((line[0].1 - g.y_of(AxisSide::Left, 10.0).unwrap()).abs() <= 1.0);
    }

    #[test]
    fn pixel_ratio_scales_fonts_and_layout() {
        let users = vec![Some(1.0), Some(2.0), Some(3.0)];
        let (svg1, g1) = render(&spec(users.clone(), vec![None; 3]), 1.0);
        let (svg2, g2) = render(&spec(users, vec![None; 3]), 2.0);
        let (f1, f2) = (first_font_size(&svg1), first_font_size(&svg2));
        assert!(f1 > 0.0 && (f2 / f1 - 2.0).abs() < 1e-6, "{f1} {f2}");
        assert!((g2.plot_bottom - 2.0 * g1.plot_bottom).abs() <= 2.0);
    }

    #[test]
    fn empty_and_degenerate_specs_do_not_panic() {
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (300, 200)).into_drawing_area();
        let empty = spec(vec![], vec![]);
        assert_eq!(
            draw_chart(&area, &empty, &ChartTheme::dark(), 1.0),
            Err(ChartError::NoDays)
        );
        let gaps = spec(vec![None; 5], vec![None; 5]);
        assert!(draw_chart(&area, &gaps, &ChartTheme::dark(), f64::NAN).is_ok());
        let one = spec(vec![Some(3.0)], vec![Some(1.0)]);
        assert!(draw_chart(&area, &one, &ChartTheme::dark(), 1.0).is_ok());
        let mut tiny = String::new();
        let area = SVGBackend::with_string(&mut tiny, (20, 20)).into_drawing_area();
        assert_eq!(
            draw_chart(&area, &one, &ChartTheme::dark(), 1.0),
            Err(ChartError::TooSmall)
        );
    }

    /// `(x, width)` of every filled rectangle in `fill`, in drawing order.
    fn filled_rects(svg: &str, fill: &str) -> Vec<(i64, i64)> {
        let attr = |r: &str, name: &str| -> Option<i64> {
            r.split_once(&format!(" {name}=\""))
                .and_then(|(_, rest)| rest.split_once('"'))
                .and_then(|(v, _)| v.parse().ok())
        };
        svg.split("<rect")
            .skip(1)
            .filter(|r| r.contains(&format!("fill=\"{fill}\"")))
            .filter_map(|r| Some((attr(r, "x")?, attr(r, "width")?)))
            .collect()
    }

    fn hex(c: Rgb) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    #[test]
    fn a_partial_last_day_is_faded_and_dashed_not_a_drop() {
        let theme = ChartTheme::light();
        let full = spec(vec![Some(5.0); 6], vec![Some(10.0); 6]);
        let mut partial = full.clone();
        partial.partial = Some(5);
        let faded_bar = hex(faded(theme.color(1), theme.background));
        let (svg_full, _) = render(&full, 1.0);
        let (svg_partial, _) = render(&partial, 1.0);
        assert!(filled_rects(&svg_full, &faded_bar).is_empty());
        let bars = filled_rects(&svg_partial, &faded_bar);
        assert_eq!(bars.len(), 1, "one faded bar, today's");
        // The solid user line stops the day before; today's segment is dashed.
        let solid = polylines(&svg_full).into_iter().map(|l| l.len()).max();
        assert_eq!(solid, Some(6));
        let solid = polylines(&svg_partial).into_iter().map(|l| l.len()).max();
        assert_eq!(solid, Some(5));
        assert!(svg_partial.matches("<circle").count() > svg_full.matches("<circle").count());
    }

    #[test]
    fn faded_is_halfway_to_the_background() {
        assert_eq!(
            faded(Rgb(0, 100, 200), Rgb(255, 255, 255)),
            Rgb(127, 177, 227)
        );
        assert_eq!(faded(Rgb(9, 9, 9), Rgb(9, 9, 9)), Rgb(9, 9, 9));
    }

    #[test]
    fn a_weekend_is_one_band_without_a_seam_at_any_width() {
        // 2025-09-06/07, 13/14, 20/21 and 27/28 are weekends.
        let spec = spec(vec![Some(1.0); 30], vec![None; 30]);
        let weekend = {
            let c = ChartTheme::light().weekend;
            format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
        };
        for width in (300..=1400).step_by(7) {
            let mut svg = String::new();
            {
                let area = SVGBackend::with_string(&mut svg, (width, 300)).into_drawing_area();
                draw_chart(&area, &spec, &ChartTheme::light(), 1.0).unwrap();
                area.present().unwrap();
            }
            let rects = filled_rects(&svg, &weekend);
            assert_eq!(rects.len(), 8, "width {width}: {rects:?}");
            for pair in rects.chunks(2) {
                let ((sat_x, sat_w), (sun_x, _)) = (pair[0], pair[1]);
                assert_eq!(sat_x + sat_w, sun_x, "width {width}: {rects:?}");
            }
        }
    }

    #[test]
    fn runs_split_at_gaps() {
        let r = runs(&[Some(1.0), None, Some(2.0), Some(3.0), Some(f64::NAN)]);
        assert_eq!(r, vec![vec![(0, 1.0)], vec![(2, 2.0), (3, 3.0)]]);
    }
}
