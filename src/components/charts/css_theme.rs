//! Reads a chart's theme from the page: the variables of [`vars`] resolved
//! on the `.cca-root` around the chart (one `getComputedStyle`), each colour
//! first handed to the chart's 2D context, which turns most CSS colours into
//! `#rrggbb`, `rgba(…)` or `color(srgb …)`. Colours it keeps in another
//! space (Chromium gives `oklch(…)` back as it is) are painted on a 1×1
//! canvas and read back as a pixel. Everything else (parsing, fallbacks,
//! mixing) is the pure [`ChartTheme::from_lookup`].

use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, CssStyleDeclaration, Element, HtmlCanvasElement};

use crate::components::charts::color::{parse_color, ColorError};
use crate::components::charts::theme::{vars, ChartTheme, ThemeProblem};

/// The theme for a chart drawn into `ctx` inside `element`: the page's
/// colours and font, or the built-in theme for whatever cannot be read.
pub fn read_theme(element: &Element, ctx: &CanvasRenderingContext2d, dark: bool) -> ChartTheme {
    let Some(style) = root_style(element) else {
        return ChartTheme::built_in(dark);
    };
    let lookup = |name: &str| {
        let value = style.get_property_value(name).unwrap_or_default();
        if vars::COLORS.contains(&name) {
            normalize_color(ctx, &value)
        } else {
            value
        }
    };
    let (theme, problems) = ChartTheme::from_lookup(dark, lookup);
    warn_once(&problems);
    theme
}

/// The computed style of the app root holding `element`.
fn root_style(element: &Element) -> Option<CssStyleDeclaration> {
    let root = element.closest(".cca-root").ok()??;
    web_sys::window()?.get_computed_style(&root).ok()?
}

/// `value` as the canvas serializes it, or `value` unchanged when the
/// canvas refuses it (the parser then reports it). A refused colour leaves
/// `fillStyle` as it was, so the colour is set after two different ones: if
/// both reads agree, the canvas took it.
fn normalize_color(ctx: &CanvasRenderingContext2d, value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        return String::new();
    }
    let read_after = |before: &str| {
        ctx.set_fill_style_str(before);
        ctx.set_fill_style_str(value);
        ctx.fill_style().as_string()
    };
    let serialized = match (read_after("#000000"), read_after("#ffffff")) {
        (Some(a), Some(b)) if a == b => a,
        _ => return value.to_owned(),
    };
    match parse_color(&serialized) {
        Err(ColorError::Syntax(_)) => painted(&serialized).unwrap_or(serialized),
        _ => serialized,
    }
}

/// `value` painted on a 1×1 canvas of its own (reading pixels back from the
/// chart's canvas could make the browser keep it in memory rather than on
/// the GPU), as `rgba(…)`. Low alphas lose precision (the canvas stores
/// premultiplied colour); a theme colour is rarely one.
fn painted(value: &str) -> Option<String> {
    let canvas = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into::<HtmlCanvasElement>()
        .ok()?;
    canvas.set_width(1);
    canvas.set_height(1);
    let ctx = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()?;
    ctx.set_fill_style_str(value);
    ctx.fill_rect(0.0, 0.0, 1.0, 1.0);
    let data = ctx.get_image_data(0.0, 0.0, 1.0, 1.0).ok()?.data();
    let [r, g, b, a] = [data.first()?, data.get(1)?, data.get(2)?, data.get(3)?];
    Some(format!(
        "rgba({r}, {g}, {b}, {a}%)",
        a = u32::from(*a) * 100 / 255
    ))
}

/// Says once per page what could not be used: every chart reads the same
/// variables, and they are read on every redraw.
fn warn_once(problems: &[ThemeProblem]) {
    static WARNED: AtomicBool = AtomicBool::new(false);
    if problems.is_empty() || WARNED.swap(true, Ordering::Relaxed) {
        return;
    }
    for problem in problems {
        web_sys::console::warn_1(
            &format!("claude-code-analytics: chart theme: {problem}; the built-in value is drawn")
                .into(),
        );
    }
}
