//! Draws a [`ChartSpec`] on any plotters backend: the canvas in the
//! browser, an SVG string in native tests. Everything is laid out in
//! backing-store pixels and scaled by `pixel_ratio`, so a canvas sized to
//! CSS size × devicePixelRatio is crisp and looks the same at any DPR.
//!
//! It speaks the backend trait (`plotters-backend`) directly: the `plotters`
//! crate's elements and drawing areas would bring web-sys into this crate on
//! wasm32, and a chart of rectangles, paths, circles and labels needs none of
//! them.
//!
//! Text is only ever measured through the backend (`estimate_text_size`),
//! which the canvas wrapper answers with `measureText`: no DOM spans.

use chrono::Datelike;
use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontFamily,
};

use crate::chart::geometry::ChartGeometry;
use crate::chart::scale::{labels_are_months, nice_scale, x_label_indices, AxisScale};
use crate::chart::spec::{AxisSide, ChartSpec, SeriesKind, SeriesSpec, Weight};
use crate::chart::theme::{ChartTheme, Rgb};
use crate::format;
use crate::model::dates::is_weekend;
use crate::model::grouping::{month_label, Grouping};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("the chart has no days to show")]
    NoDays,
    #[error("the canvas is too small to draw on")]
    TooSmall,
    #[error("drawing failed: {0}")]
    Backend(String),
}

fn backend_error<E: std::error::Error + Send + Sync>(error: DrawingErrorKind<E>) -> ChartError {
    ChartError::Backend(error.to_string())
}

fn color(c: Rgb) -> BackendColor {
    BackendColor {
        alpha: 1.0,
        rgb: (c.0, c.1, c.2),
    }
}

/// A line's colour and width, in backing-store pixels.
#[derive(Clone, Copy)]
struct Stroke {
    color: BackendColor,
    width: u32,
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }

    fn stroke_width(&self) -> u32 {
        self.width
    }
}

/// The chart's labels: one family and size, a colour and an anchor.
#[derive(Clone, Copy)]
struct Label<'a> {
    family: &'a str,
    size: f64,
    color: BackendColor,
    anchor: Pos,
}

impl Label<'_> {
    fn at(self, h_pos: HPos, v_pos: VPos) -> Self {
        Label {
            anchor: Pos::new(h_pos, v_pos),
            ..self
        }
    }
}

/// Never fails: the layout below is an estimate, not a font lookup.
#[derive(Debug, thiserror::Error)]
#[error("no font data")]
pub struct NoFontData;

impl BackendTextStyle for Label<'_> {
    type FontError = NoFontData;

    fn color(&self) -> BackendColor {
        self.color
    }

    fn size(&self) -> f64 {
        self.size
    }

    fn anchor(&self) -> Pos {
        self.anchor
    }

    fn family(&self) -> FontFamily<'_> {
        // A named family: `FontFamily::from(&str)` lowercases the name to
        // look for `serif` and the like, which would bring Rust's Unicode
        // case tables into the wasm.
        FontFamily::Name(self.family)
    }

    /// An estimate (0.6 em per character, 1 em high) for backends that cannot
    /// measure; the canvas and SVG backends measure or lay out text themselves.
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), NoFontData> {
        let width = (text.chars().count() as f64 * self.size * 0.6).round() as i32;
        Ok(((0, -(self.size.round() as i32)), (width, 0)))
    }

    /// This crate carries no glyphs: the backends the charts draw on (canvas,
    /// SVG) draw text themselves and never call this; a pixel backend gets
    /// no text.
    fn draw<E, DrawFunc: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _text: &str,
        _pos: BackendCoord,
        _draw: DrawFunc,
    ) -> Result<Result<(), E>, NoFontData> {
        Ok(Ok(()))
    }
}

/// A rectangle from two opposite corners, in either order.
fn rect<DB: DrawingBackend, S: BackendStyle>(
    backend: &mut DB,
    (a, b): (BackendCoord, BackendCoord),
    style: &S,
    fill: bool,
) -> Result<(), ChartError> {
    let upper_left = (a.0.min(b.0), a.1.min(b.1));
    let bottom_right = (a.0.max(b.0), a.1.max(b.1));
    backend
        .draw_rect(upper_left, bottom_right, style, fill)
        .map_err(backend_error)
}

fn path<DB: DrawingBackend>(
    backend: &mut DB,
    points: &[BackendCoord],
    stroke: Stroke,
) -> Result<(), ChartError> {
    backend
        .draw_path(points.iter().copied(), &stroke)
        .map_err(backend_error)
}

fn text<DB: DrawingBackend>(
    backend: &mut DB,
    text: &str,
    at: BackendCoord,
    style: &Label<'_>,
) -> Result<(), ChartError> {
    backend.draw_text(text, style, at).map_err(backend_error)
}

/// The dashes of a straight line from `from` to `to`: `dash` pixels drawn,
/// `gap` left out, starting with a dash; the last dash ends at `to`.
pub fn dashes(
    from: BackendCoord,
    to: BackendCoord,
    dash: i32,
    gap: i32,
) -> Vec<(BackendCoord, BackendCoord)> {
    let (dx, dy) = (f64::from(to.0 - from.0), f64::from(to.1 - from.1));
    let length = dx.hypot(dy);
    let (dash, gap) = (f64::from(dash.max(1)), f64::from(gap.max(0)));
    let at = |t: f64| -> BackendCoord {
        let f = t / length;
        (
            (f64::from(from.0) + dx * f).round() as i32,
            (f64::from(from.1) + dy * f).round() as i32,
        )
    };
    let mut out = Vec::new();
    if length == 0.0 {
        return out;
    }
    let mut start = 0.0;
    while start < length {
        let end = (start + dash).min(length);
        out.push((at(start), at(end)));
        start = end + gap;
    }
    out
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

/// A line's width in CSS pixels: the figure a chart is about stands out,
/// its breakdowns recede.
fn line_width(weight: Weight) -> f64 {
    match weight {
        Weight::Strong => 3.0,
        Weight::Normal => 2.0,
        Weight::Light => 1.25,
    }
}

/// Share of a light line's own colour over the background: lighter than the
/// figure it breaks down, still its own hue.
const LIGHT_SHARE: f64 = 0.75;

/// The colour a series is drawn in: its palette slot, lighter for a light
/// line.
pub fn series_color(theme: &ChartTheme, series: &SeriesSpec) -> Rgb {
    let own = theme.color(series.color);
    match (series.kind, series.weight) {
        (SeriesKind::Line, Weight::Light) => own.mix(theme.background, LIGHT_SHARE),
        _ => own,
    }
}

/// Draws `spec` over the whole of `backend`; returns where the plot ended up.
/// The caller presents the backend.
pub fn draw_chart<DB: DrawingBackend>(
    backend: &mut DB,
    spec: &ChartSpec,
    theme: &ChartTheme,
    pixel_ratio: f64,
) -> Result<ChartGeometry, ChartError> {
    let r = if pixel_ratio.is_finite() && pixel_ratio > 0.0 {
        pixel_ratio
    } else {
        1.0
    };
    backend.ensure_prepared().map_err(backend_error)?;
    let (width, height) = backend.get_size();
    rect(
        backend,
        ((0, 0), (width as i32, height as i32)),
        &color(theme.background),
        true,
    )?;
    let n = spec.points.len();
    if n == 0 {
        return Err(ChartError::NoDays);
    }
    let (width, height) = (f64::from(width), f64::from(height));
    let text_style = Label {
        family: &theme.font_family,
        size: FONT_PX * r,
        color: color(theme.text),
        anchor: Pos::default(),
    };
    let measure = |text: &str| -> f64 {
        backend
            .estimate_text_size(text, &text_style)
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
    let grouping = spec.grouping();
    let sample_label = measure(if grouping == Grouping::Month {
        "Jan 2026"
    } else {
        "Sep 30"
    });
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

    // Weekends, lightly shaded behind everything, on a daily chart only (a
    // week or month holds its weekends). A day's band ends where the next
    // one starts (the same rounded edge), so Saturday and Sunday meet
    // without a seam.
    let day_edge = |i: usize| px(plot_left + i as f64 * day_width);
    let daily = grouping == Grouping::Day;
    for (i, point) in spec.points.iter().enumerate() {
        if daily && is_weekend(point.first) {
            rect(
                backend,
                (
                    (day_edge(i), px(plot_top)),
                    (day_edge(i + 1), px(plot_bottom)),
                ),
                &color(theme.weekend),
                true,
            )?;
        }
    }

    // Grid and left ticks.
    let grid = Stroke {
        color: color(theme.grid),
        width: r.round().max(1.0) as u32,
    };
    for (value, label) in &left_labels {
        let Some(y) = geometry.y_of(AxisSide::Left, *value) else {
            continue;
        };
        path(
            backend,
            &[(px(plot_left), px(y)), (px(plot_right), px(y))],
            grid,
        )?;
        text(
            backend,
            label,
            (px(plot_left - gap), px(y)),
            &text_style.at(HPos::Right, VPos::Center),
        )?;
    }
    for (value, label) in &right_labels {
        let Some(y) = geometry.y_of(AxisSide::Right, *value) else {
            continue;
        };
        path(
            backend,
            &[(px(plot_right), px(y)), (px(plot_right + gap / 2.0), px(y))],
            Stroke {
                color: color(theme.axis),
                ..grid
            },
        )?;
        text(
            backend,
            label,
            (px(plot_right + gap), px(y)),
            &text_style.at(HPos::Left, VPos::Center),
        )?;
    }

    // X axis and day labels.
    let axis = Stroke {
        color: color(theme.axis),
        width: r.round().max(1.0) as u32,
    };
    path(
        backend,
        &[
            (px(plot_left), px(plot_bottom)),
            (px(plot_right), px(plot_bottom)),
        ],
        axis,
    )?;
    let indices = x_label_indices(&spec.points, plot_right - plot_left, sample_label);
    let months = labels_are_months(&spec.points, &indices);
    // Month names carry their year on the first label and wherever the
    // year changes: "Dec 2025, Feb 2026, Apr …".
    let mut year_named = None;
    for i in indices {
        let Some(point) = spec.points.get(i) else {
            continue;
        };
        let label = if months {
            let year = point.first.year();
            let label = month_label(point.first, year_named != Some(year));
            year_named = Some(year);
            label
        } else {
            point.axis_label()
        };
        let x = geometry.x_of(i);
        path(
            backend,
            &[
                (px(x), px(plot_bottom)),
                (px(x), px(plot_bottom + gap / 2.0)),
            ],
            axis,
        )?;
        text(
            backend,
            &label,
            (px(x), px(plot_bottom + gap)),
            &text_style.at(HPos::Center, VPos::Top),
        )?;
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
        let series_color = color(theme.color(series.color));
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
            let corners = ((px(x0), px(y)), (px(x1), px(base)));
            if spec.is_faded(i) {
                // So far today, or a week the range cut: a faded bar with
                // its outline, not a drop.
                let fill = color(faded(theme.color(series.color), theme.background));
                rect(backend, corners, &fill, true)?;
                let outline = Stroke {
                    color: series_color,
                    width: r.round().max(1.0) as u32,
                };
                rect(backend, corners, &outline, false)?;
            } else {
                rect(backend, corners, &series_color, true)?;
            }
        }
    }
    // Light lines first, the strong one last: on top where they cross.
    let mut lines: Vec<&SeriesSpec> = spec
        .series
        .iter()
        .filter(|s| s.kind == SeriesKind::Line)
        .collect();
    crate::model::order::sort_by(&mut lines, |a, b| a.weight.cmp(&b.weight));
    for series in lines {
        let series_color = color(series_color(theme, series));
        let stroke = Stroke {
            color: series_color,
            width: (line_width(series.weight) * r).round().max(1.0) as u32,
        };
        for run in runs(&series.values) {
            let points: Vec<(i32, i32)> = run
                .iter()
                .filter_map(|&(i, v)| {
                    geometry
                        .y_of(series.axis, v)
                        .map(|y| (px(geometry.x_of(i)), px(y)))
                })
                .collect();
            let n = points.len();
            let whole = n == run.len();
            let faded = |k: usize| whole && run.get(k).is_some_and(|&(i, _)| spec.is_faded(i));
            // A point that is not a whole day, week or month (today so far,
            // or a week the range cut) is hollow and joined by a dashed
            // segment: not read as a drop.
            let mut solid = 0..n;
            if n > 0 && faded(n - 1) {
                hollow_end(
                    backend,
                    points[n - 1],
                    points.get(n.wrapping_sub(2)),
                    stroke,
                    r,
                )?;
                solid.end = n - 1;
            }
            if n > 1 && faded(0) {
                hollow_end(backend, points[0], points.get(1), stroke, r)?;
                solid.start = 1;
            }
            match points.get(solid.start..solid.end.max(solid.start)) {
                Some([only]) if n == 1 => backend
                    .draw_circle(*only, (2.5 * r).round() as u32, &series_color, true)
                    .map_err(backend_error)?,
                Some(line) if line.len() > 1 => path(backend, line, stroke)?,
                _ => {}
            }
        }
    }
    Ok(geometry)
}

/// A line's end at a point that is not whole: a hollow circle at `at`, and
/// a dashed segment to its `neighbour` on the line.
fn hollow_end<DB: DrawingBackend>(
    backend: &mut DB,
    at: BackendCoord,
    neighbour: Option<&BackendCoord>,
    stroke: Stroke,
    r: f64,
) -> Result<(), ChartError> {
    if let Some(&neighbour) = neighbour {
        let dash = (4.0 * r).round() as i32;
        for (a, b) in dashes(neighbour, at, dash, dash) {
            path(backend, &[a, b], stroke)?;
        }
    }
    backend
        .draw_circle(at, (3.0 * r).round() as u32, &stroke, false)
        .map_err(backend_error)
}

fn scale_of(geometry: &ChartGeometry, side: AxisSide) -> AxisScale {
    match side {
        AxisSide::Left => geometry.left,
        AxisSide::Right => geometry.right.unwrap_or(geometry.left),
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
    use crate::chart::spec::{AxisSpec, Unit};
    use crate::model::dates::DateRange;
    use crate::model::grouping::{buckets, Bucket};
    use chrono::NaiveDate;
    use plotters::prelude::SVGBackend;

    fn dates(n: usize) -> Vec<NaiveDate> {
        let start = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
        (0..n)
            .map(|i| start + chrono::TimeDelta::days(i as i64))
            .collect()
    }

    fn spec(users: Vec<Option<f64>>, spend: Vec<Option<f64>>) -> ChartSpec {
        let n = users.len();
        ChartSpec {
            points: dates(n).into_iter().map(Bucket::day).collect(),
            series: vec![
                SeriesSpec::new("spend", "Spend", SeriesKind::Bar, AxisSide::Right, spend, 1),
                SeriesSpec::new("users", "Users", SeriesKind::Line, AxisSide::Left, users, 0),
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
            let mut backend =
                SVGBackend::with_string(&mut svg, ((600.0 * ratio) as u32, (260.0 * ratio) as u32));
            let g = draw_chart(&mut backend, spec, &ChartTheme::light(), ratio).unwrap();
            backend.present().unwrap();
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
        let mut area = SVGBackend::with_string(&mut svg, (300, 200));
        let empty = spec(vec![], vec![]);
        assert_eq!(
            draw_chart(&mut area, &empty, &ChartTheme::dark(), 1.0),
            Err(ChartError::NoDays)
        );
        let gaps = spec(vec![None; 5], vec![None; 5]);
        assert!(draw_chart(&mut area, &gaps, &ChartTheme::dark(), f64::NAN).is_ok());
        let one = spec(vec![Some(3.0)], vec![Some(1.0)]);
        assert!(draw_chart(&mut area, &one, &ChartTheme::dark(), 1.0).is_ok());
        let mut tiny = String::new();
        let mut area = SVGBackend::with_string(&mut tiny, (20, 20));
        assert_eq!(
            draw_chart(&mut area, &one, &ChartTheme::dark(), 1.0),
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
                let mut backend = SVGBackend::with_string(&mut svg, (width, 300));
                draw_chart(&mut backend, &spec, &ChartTheme::light(), 1.0).unwrap();
                backend.present().unwrap();
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
    fn dashes_cover_the_line_in_steps_and_end_at_its_end() {
        assert_eq!(
            dashes((0, 0), (20, 0), 4, 4),
            vec![((0, 0), (4, 0)), ((8, 0), (12, 0)), ((16, 0), (20, 0))]
        );
        // Shorter than a dash: one dash, the whole line.
        assert_eq!(dashes((5, 5), (7, 5), 4, 4), vec![((5, 5), (7, 5))]);
        // Diagonal: 3-4-5 triangles.
        assert_eq!(
            dashes((0, 0), (6, 8), 5, 0),
            vec![((0, 0), (3, 4)), ((3, 4), (6, 8))]
        );
        assert!(dashes((1, 1), (1, 1), 4, 4).is_empty());
    }

    #[test]
    fn runs_split_at_gaps() {
        let r = runs(&[Some(1.0), None, Some(2.0), Some(3.0), Some(f64::NAN)]);
        assert_eq!(r, vec![vec![(0, 1.0)], vec![(2, 2.0), (3, 3.0)]]);
    }

    /// `(stroke colour, stroke width)` of every polyline.
    fn strokes(svg: &str) -> Vec<(String, String)> {
        let attr = |p: &str, name: &str| -> String {
            p.split_once(&format!("{name}=\""))
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(v, _)| v.to_owned())
                .unwrap_or_default()
        };
        svg.split("<polyline")
            .skip(1)
            .map(|p| (attr(p, "stroke"), attr(p, "stroke-width")))
            .collect()
    }

    #[test]
    fn the_strong_line_is_thick_and_on_top_and_light_lines_recede() {
        let theme = ChartTheme::light();
        let mut s = spec(vec![Some(0.8), Some(0.9), Some(0.85)], vec![None; 3]);
        s.series.clear();
        s.right = None;
        s.left.unit = Unit::Percent;
        s.left.min_zero = false;
        let mut overall = SeriesSpec::new(
            "accept_rate",
            "All tools",
            SeriesKind::Line,
            AxisSide::Left,
            vec![Some(0.8), Some(0.9), Some(0.85)],
            0,
        );
        overall.weight = Weight::Strong;
        let mut edit = SeriesSpec::new(
            "edit_accept_rate",
            "Edit",
            SeriesKind::Line,
            AxisSide::Left,
            vec![Some(0.7), Some(0.95), Some(0.75)],
            1,
        );
        edit.weight = Weight::Light;
        // The overall series comes first in the spec (the legend's order) ...
        s.series = vec![overall.clone(), edit.clone()];
        let (svg, g) = render(&s, 1.0);
        let lines: Vec<_> = strokes(&svg)
            .into_iter()
            .filter(|(_, w)| w != "1")
            .collect();
        // ... and is drawn last, 3 px wide; the tool's line is 1 px and
        // lighter than its palette colour.
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(lines[0], (hex(theme.color(0)), "3".to_owned()));
        let light = hex(series_color(&theme, &edit));
        assert_ne!(light, hex(theme.color(1)));
        assert_eq!(
            light,
            hex(theme.color(1).mix(theme.background, LIGHT_SHARE))
        );
        let all = strokes(&svg);
        let edit_at = all.iter().position(|(c, _)| *c == light);
        let overall_at = all.iter().position(|(c, _)| *c == hex(theme.color(0)));
        assert!(edit_at < overall_at, "{all:?}");
        // The axis fits the rates: 60–100 %, not 0–100 %.
        assert!(
            (g.left.min - 0.6).abs() < 1e-9 && g.left.max == 1.0,
            "{:?}",
            g.left
        );
        assert!(texts(&svg).iter().any(|t| t == "60%"));
        assert!(!texts(&svg).iter().any(|t| t == "0%"));
    }

    #[test]
    fn weeks_have_no_weekend_bands_and_are_labelled_by_their_first_day() {
        let range = DateRange::new(
            NaiveDate::from_ymd_opt(2026, 9, 5).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        )
        .unwrap();
        let points = buckets(range, Grouping::Week);
        let n = points.len();
        assert_eq!(n, 14);
        let mut s = spec(vec![Some(3.0); n], vec![Some(100.0); n]);
        s.points = points;
        s.partial = Some(n - 1);
        let (svg, _) = render(&s, 1.0);
        let weekend = hex(ChartTheme::light().weekend);
        assert!(filled_rects(&svg, &weekend).is_empty());
        let labels = texts(&svg);
        // Weeks by their Monday, every other one at this width.
        assert!(labels.iter().any(|l| l == "Nov 30"), "{labels:?}");
        assert!(labels.iter().any(|l| l == "Nov 16"), "{labels:?}");
        // Every bar drawn; the first week (cut by the range: Sep 5 and 6)
        // and the partial last one faded.
        let theme = ChartTheme::light();
        assert_eq!(filled_rects(&svg, &hex(theme.color(1))).len(), n - 2);
        let faded_bar = hex(faded(theme.color(1), theme.background));
        assert_eq!(filled_rects(&svg, &faded_bar).len(), 2);
        // The users line: solid between the whole weeks, hollow and dashed
        // at both ends.
        let solid = polylines(&svg).into_iter().map(|l| l.len()).max();
        assert_eq!(solid, Some(n - 2));
        assert_eq!(svg.matches("<circle").count(), 2);
    }

    #[test]
    fn months_are_labelled_by_name() {
        let range = DateRange::new(
            NaiveDate::from_ymd_opt(2025, 12, 4).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        )
        .unwrap();
        let points = buckets(range, Grouping::Month);
        let n = points.len();
        let mut s = spec(vec![Some(3.0); n], vec![Some(100.0); n]);
        s.points = points;
        let (svg, _) = render(&s, 1.0);
        let labels = texts(&svg);
        // 13 months, every other one named; the year on the first and where
        // it changes.
        for month in ["Dec 2025", "Feb 2026", "Jun", "Dec"] {
            assert!(labels.iter().any(|l| l == month), "{month}: {labels:?}");
        }
    }
}
