//! A plotters backend for `<canvas>`: [`CanvasBackend`] with two changes.
//!
//! - Text is measured with the canvas's own `measureText`. plotters' default
//!   measurement on wasm appends a styled `<span>` to `<body>` per label: a
//!   forced layout each time, a touch of the host's DOM, and an inline style a
//!   strict CSP blocks.
//! - Styles are set only when they change ([`StyleCache`]). `CanvasBackend`
//!   sets the fill or stroke colour (a CSS string built in Rust, copied into a
//!   JS string and parsed by the canvas) for every bar, line and label, and the
//!   font, alignment and baseline for every label; those strings were most of
//!   the JS garbage a page load leaves behind.
//!
//! Every primitive is drawn here; `CanvasBackend` keeps the canvas, its size
//! and its frame. Its own drawing writes colours and fonts with Rust's float
//! printing, several KB of wasm this app otherwise never needs.

use std::cell::RefCell;

use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::format;

/// A colour as the cache compares it (alpha by its bits: only equality matters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ColorKey((u8, u8, u8), u64);

impl From<BackendColor> for ColorKey {
    fn from(color: BackendColor) -> Self {
        ColorKey(color.rgb, color.alpha.to_bits())
    }
}

/// `rgba(r,g,b,a)`, as `CanvasBackend` writes colours (alpha to 1/1000).
pub fn css_color(color: BackendColor) -> String {
    let (r, g, b) = color.rgb;
    let alpha = format::decimal(color.alpha.clamp(0.0, 1.0), 3);
    format!("rgba({r},{g},{b},{alpha})")
}

/// The canvas font shorthand for a text style: `style size px family` (the
/// size to 1/100 px).
pub fn css_font<S: BackendTextStyle>(style: &S) -> String {
    let size = style.size();
    let size = format::decimal(if size.is_finite() { size } else { 0.0 }, 2);
    format!(
        "{} {size}px {}",
        style.style().as_str(),
        style.family().as_str()
    )
}

/// The rotation of a text transform, in radians (clockwise, as the canvas turns).
fn rotation(transform: &FontTransform) -> f64 {
    use std::f64::consts::{FRAC_PI_2, PI};
    match transform {
        FontTransform::None => 0.0,
        FontTransform::Rotate90 => FRAC_PI_2,
        FontTransform::Rotate180 => PI,
        FontTransform::Rotate270 => 3.0 * FRAC_PI_2,
    }
}

fn text_align(h: HPos) -> &'static str {
    match h {
        HPos::Left => "start",
        HPos::Right => "end",
        HPos::Center => "center",
    }
}

fn text_baseline(v: VPos) -> &'static str {
    match v {
        VPos::Top => "top",
        VPos::Center => "middle",
        VPos::Bottom => "bottom",
    }
}

/// What the 2D context's styles were last set to through this backend. Each
/// method records the wanted value and says whether the context must be told.
#[derive(Debug, Default)]
pub struct StyleCache {
    fill: Option<ColorKey>,
    stroke: Option<(ColorKey, u32)>,
    font: Option<String>,
    align: Option<&'static str>,
    baseline: Option<&'static str>,
}

impl StyleCache {
    pub fn fill(&mut self, color: BackendColor) -> bool {
        replace(&mut self.fill, ColorKey::from(color))
    }

    pub fn stroke(&mut self, color: BackendColor, width: u32) -> bool {
        replace(&mut self.stroke, (ColorKey::from(color), width))
    }

    pub fn font(&mut self, font: &str) -> bool {
        if self.font.as_deref() == Some(font) {
            return false;
        }
        self.font = Some(font.to_owned());
        true
    }

    pub fn align(&mut self, align: &'static str) -> bool {
        replace(&mut self.align, align)
    }

    pub fn baseline(&mut self, baseline: &'static str) -> bool {
        replace(&mut self.baseline, baseline)
    }
}

fn replace<T: PartialEq>(slot: &mut Option<T>, value: T) -> bool {
    if slot.as_ref() == Some(&value) {
        return false;
    }
    *slot = Some(value);
    true
}

/// Axis-parallel 1-px lines on half pixels, so they are crisp (as `CanvasBackend`).
fn crisp_line(from: BackendCoord, to: BackendCoord) -> ((f64, f64), (f64, f64)) {
    let (mut a, mut b) = (
        (f64::from(from.0), f64::from(from.1)),
        (f64::from(to.0), f64::from(to.1)),
    );
    if from.0 == to.0 {
        a.0 -= 0.5;
        b.0 -= 0.5;
    }
    if from.1 == to.1 {
        a.1 -= 0.5;
        b.1 -= 0.5;
    }
    (a, b)
}

/// [`CanvasBackend`] with canvas-native text measurement and cached styles.
pub struct MeasuredCanvasBackend {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
    /// In a cell: measuring text (`&self`) sets the font too.
    styles: RefCell<StyleCache>,
}

impl MeasuredCanvasBackend {
    pub fn new(canvas: HtmlCanvasElement) -> Option<Self> {
        let context = canvas
            .get_context("2d")
            .ok()??
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        let inner = CanvasBackend::with_canvas_object(canvas)?;
        Some(MeasuredCanvasBackend {
            inner,
            context,
            styles: RefCell::default(),
        })
    }

    fn set_fill(&self, color: BackendColor) {
        if self.styles.borrow_mut().fill(color) {
            self.context.set_fill_style_str(&css_color(color));
        }
    }

    fn set_stroke(&self, color: BackendColor, width: u32) {
        if self.styles.borrow_mut().stroke(color, width) {
            self.context.set_stroke_style_str(&css_color(color));
            self.context.set_line_width(f64::from(width));
        }
    }

    fn set_font(&self, font: &str) {
        if self.styles.borrow_mut().font(font) {
            self.context.set_font(font);
        }
    }
}

type Error = <CanvasBackend as DrawingBackend>::ErrorType;

impl DrawingBackend for MeasuredCanvasBackend {
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Error>> {
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.set_fill(color);
        self.context
            .fill_rect(f64::from(point.0), f64::from(point.1), 1.0, 1.0);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (a, b) = crisp_line(from, to);
        self.set_stroke(style.color(), style.stroke_width());
        self.context.begin_path();
        self.context.move_to(a.0, a.1);
        self.context.line_to(b.0, b.1);
        self.context.stroke();
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (x, y) = (f64::from(upper_left.0), f64::from(upper_left.1));
        let (w, h) = (
            f64::from(bottom_right.0 - upper_left.0),
            f64::from(bottom_right.1 - upper_left.1),
        );
        if fill {
            self.set_fill(style.color());
            self.context.fill_rect(x, y, w, h);
        } else {
            self.set_stroke(style.color(), style.stroke_width());
            self.context.stroke_rect(x, y, w, h);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let mut path = path.into_iter();
        let Some(start) = path.next() else {
            return Ok(());
        };
        self.set_stroke(style.color(), style.stroke_width());
        self.context.begin_path();
        self.context.move_to(f64::from(start.0), f64::from(start.1));
        for next in path {
            self.context.line_to(f64::from(next.0), f64::from(next.1));
        }
        self.context.stroke();
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.context.begin_path();
        // arc only fails for a negative radius; a u32 never is.
        let _ = self.context.arc(
            f64::from(center.0),
            f64::from(center.1),
            f64::from(radius),
            0.0,
            std::f64::consts::TAU,
        );
        if fill {
            self.set_fill(style.color());
            self.context.fill();
        } else {
            self.set_stroke(style.color(), style.stroke_width());
            self.context.stroke();
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let mut vert = vert.into_iter();
        let Some(start) = vert.next() else {
            return Ok(());
        };
        self.set_fill(style.color());
        self.context.begin_path();
        self.context.move_to(f64::from(start.0), f64::from(start.1));
        for next in vert {
            self.context.line_to(f64::from(next.0), f64::from(next.1));
        }
        self.context.close_path();
        self.context.fill();
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Error>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (baseline, align) = (
            text_baseline(style.anchor().v_pos),
            text_align(style.anchor().h_pos),
        );
        if self.styles.borrow_mut().baseline(baseline) {
            self.context.set_text_baseline(baseline);
        }
        if self.styles.borrow_mut().align(align) {
            self.context.set_text_align(align);
        }
        self.set_fill(style.color());
        self.set_font(&css_font(style));
        let (x, y) = (f64::from(pos.0), f64::from(pos.1));
        let angle = rotation(&style.transform());
        // fillText, translate and rotate only fail for non-finite numbers;
        // these never are.
        if angle == 0.0 {
            let _ = self.context.fill_text(text, x, y);
        } else {
            // Turned about its anchor; save/restore keeps the styles cached.
            self.context.save();
            let _ = self.context.translate(x, y);
            let _ = self.context.rotate(angle);
            let _ = self.context.fill_text(text, 0.0, 0.0);
            self.context.restore();
        }
        Ok(())
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Error>> {
        self.set_font(&css_font(style));
        let width = self
            .context
            .measure_text(text)
            .map(|m| m.width())
            .unwrap_or(text.chars().count() as f64 * style.size() * 0.6);
        Ok((
            width.ceil().max(0.0) as u32,
            style.size().ceil().max(0.0) as u32,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn color(r: u8, alpha: f64) -> BackendColor {
        BackendColor {
            alpha,
            rgb: (r, 2, 3),
        }
    }

    #[test]
    fn a_style_is_set_only_when_it_changes() {
        let mut cache = StyleCache::default();
        assert!(cache.fill(color(1, 1.0)));
        assert!(!cache.fill(color(1, 1.0)));
        assert!(cache.fill(color(1, 0.5)));
        assert!(cache.fill(color(9, 0.5)));
        assert!(cache.stroke(color(9, 0.5), 1));
        assert!(!cache.stroke(color(9, 0.5), 1));
        assert!(cache.stroke(color(9, 0.5), 2));
        assert!(cache.font("normal 12px sans-serif"));
        assert!(!cache.font("normal 12px sans-serif"));
        assert!(cache.font("normal 11px sans-serif"));
        assert!(cache.align("end") && !cache.align("end") && cache.align("start"));
        assert!(cache.baseline("top") && !cache.baseline("top"));
    }

    #[test]
    fn fonts_are_written_with_their_size_in_pixels() {
        use plotters::style::{IntoFont, TextStyle};
        let style = TextStyle::from(("sans-serif", 12.0).into_font());
        assert_eq!(css_font(&style), "normal 12px sans-serif");
        let style = TextStyle::from(("sans-serif", 12.0 * 2.625).into_font());
        assert_eq!(css_font(&style), "normal 31.5px sans-serif");
    }

    #[test]
    fn text_turns_clockwise_by_its_transform() {
        use std::f64::consts::{FRAC_PI_2, PI};
        assert_eq!(rotation(&FontTransform::None), 0.0);
        assert_eq!(rotation(&FontTransform::Rotate90), FRAC_PI_2);
        assert_eq!(rotation(&FontTransform::Rotate180), PI);
        assert_eq!(rotation(&FontTransform::Rotate270), 3.0 * FRAC_PI_2);
    }

    #[test]
    fn colours_and_lines_are_written_as_canvas_backend_writes_them() {
        assert_eq!(css_color(color(10, 1.0)), "rgba(10,2,3,1)");
        assert_eq!(css_color(color(10, 0.25)), "rgba(10,2,3,0.25)");
        assert_eq!(css_color(color(10, 0.0)), "rgba(10,2,3,0)");
        assert_eq!(css_color(color(10, 1.0 / 3.0)), "rgba(10,2,3,0.333)");
        assert_eq!(crisp_line((3, 5), (3, 9)), ((2.5, 5.0), (2.5, 9.0)));
        assert_eq!(crisp_line((1, 4), (8, 4)), ((1.0, 3.5), (8.0, 3.5)));
        assert_eq!(crisp_line((1, 2), (3, 4)), ((1.0, 2.0), (3.0, 4.0)));
    }
}
