//! The chart component: plotters on a `<canvas>` (crisp at any
//! devicePixelRatio), a hover/keyboard/touch crosshair and tooltip drawn on
//! an overlay canvas (the chart is not redrawn on pointer moves), an HTML
//! legend that names each series' axis, and a "Show as table" view with CSV.

use std::rc::Rc;

use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use plotters_backend::DrawingBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, KeyboardEvent, PointerEvent};

use crate::components::charts::canvas_backend::MeasuredCanvasBackend;
use crate::components::charts::css_theme::read_theme;
use crate::components::charts::draw::draw_chart;
use crate::components::charts::geometry::ChartGeometry;
use crate::components::charts::spec::{AxisSide, ChartSpec, SeriesKind};
use crate::components::charts::table::{csv, csv_file_name, day_label, table_rows};
use crate::components::charts::theme::ChartTheme;
use crate::components::download::download_text;
use crate::components::status::PageLoading;
use crate::components::theme::DarkMode;
use crate::format;
use crate::hooks::canvas_size::{use_canvas_size, CanvasSize};

/// The classes of a legend or tooltip swatch for a series: its colour
/// comes from the stylesheet's `--_chart-N`, the variable the canvas reads
/// for the same slot.
fn swatch_class(kind: SeriesKind, slot: usize) -> String {
    let line = match kind {
        SeriesKind::Line => " cca-legend__swatch--line",
        SeriesKind::Bar => "",
    };
    format!("cca-legend__swatch{line} cca-swatch-{}", slot % 6 + 1)
}

pub fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
}

/// Sizes the backing store; returns whether it changed.
fn fit_backing_store(canvas: &HtmlCanvasElement, size: CanvasSize) -> bool {
    let (w, h) = size.backing();
    let changed = canvas.width() != w || canvas.height() != h;
    if changed {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    changed
}

/// Gives the canvas a new backing store of the same size. Chromium keeps up
/// to two spare frame buffers for a canvas that was redrawn while shown (the
/// compositor may still read the last frame), for as long as the canvas
/// lives; each redraw of a progressive load adds to them. A new store lets
/// them go (what that frees: docs/benchmarks.md).
fn renew_backing_store(canvas: &HtmlCanvasElement) {
    let width = canvas.width();
    canvas.set_width(0);
    canvas.set_width(width);
}

#[component]
pub fn Chart(
    /// What to draw.
    #[prop(into)]
    spec: Signal<ChartSpec>,
    /// Shown above the chart and used as its accessible name.
    #[prop(into)]
    title: String,
    /// Base name of the CSV download.
    #[prop(into)]
    file_name: String,
    /// A smaller frame for overview cards.
    #[prop(optional)]
    small: bool,
    /// Optional definition shown in an info tooltip beside the title.
    #[prop(optional, into)]
    definition: Option<String>,
) -> impl IntoView {
    let dark = DarkMode::expect().0;
    // Read from the page on every full redraw (the overlay uses the last one).
    let theme = StoredValue::new(ChartTheme::built_in(dark.get_untracked()));
    let frame = NodeRef::<Div>::new();
    let canvas = NodeRef::<Canvas>::new();
    let overlay = NodeRef::<Canvas>::new();
    let size = use_canvas_size(frame);
    let geometry = StoredValue::new_local(None::<Rc<ChartGeometry>>);
    let (hover, set_hover) = signal(None::<usize>);
    let (redraws, set_redraws) = signal(0u64);
    let (show_table, set_show_table) = signal(false);
    let page_loading = PageLoading::is_loading();
    let more_days_coming = PageLoading::more_days_coming();
    // Drawn while the page's days were still arriving: the first draw once
    // they are all in gets a new backing store.
    let drawn_while_loading = StoredValue::new(false);

    // Full redraw: data, dark mode, size or DPR changed. Not while the page
    // is still loading: the chart is hidden and has no data yet.
    Effect::new(move |_| {
        if page_loading() {
            return;
        }
        let spec = spec.get();
        let dark = dark.get();
        let size = size.get();
        let Some(canvas) = canvas.get() else { return };
        if size.is_empty() {
            return;
        }
        let resized = fit_backing_store(&canvas, size);
        let loading_more = more_days_coming();
        if !loading_more && drawn_while_loading.get_value() {
            // A resize has just given it a new store already.
            if !resized {
                renew_backing_store(&canvas);
            }
            drawn_while_loading.set_value(false);
        }
        // The page's colours as they are now: the dark mode switch, or the
        // host's variables, may have changed them since the last draw.
        let Some(ctx) = context_2d(&canvas) else {
            return;
        };
        let current = read_theme(&canvas, &ctx, dark);
        let Some(mut backend) = MeasuredCanvasBackend::new(canvas.clone()) else {
            return;
        };
        let drawn = draw_chart(&mut backend, &spec, &current, size.pixel_ratio);
        theme.set_value(current);
        match drawn {
            Ok(geom) => geometry.set_value(Some(Rc::new(geom))),
            Err(error) => {
                geometry.set_value(None);
                web_sys::console::warn_1(&format!("chart: {error}").into());
            }
        }
        let _ = backend.present();
        // Drawn with data: the page-load milestone of `crate::perf`.
        let drawn = geometry.try_with_value(Option::is_some) == Some(true);
        let has_data = || {
            spec.series
                .iter()
                .any(|s| s.values.iter().any(Option::is_some))
        };
        if drawn && has_data() {
            crate::perf::mark_once(crate::perf::FIRST_CHART);
        }
        if loading_more {
            drawn_while_loading.set_value(true);
        }
        set_redraws.update(|n| *n += 1);
        if hover.get_untracked().is_some_and(|i| i >= spec.dates.len()) {
            set_hover.set(None);
        }
    });

    // Overlay: only the crosshair and markers, on hover changes. Its backing
    // store (as large as the chart's) is allocated on the first hover: most
    // charts on a page are never hovered.
    let overlay_used = StoredValue::new(false);
    Effect::new(move |_| {
        redraws.track();
        let index = hover.get();
        let Some(ov) = overlay.get() else { return };
        if index.is_none() && !overlay_used.get_value() {
            return;
        }
        overlay_used.set_value(true);
        fit_backing_store(&ov, size.get_untracked());
        let Some(ctx) = context_2d(&ov) else { return };
        ctx.clear_rect(0.0, 0.0, f64::from(ov.width()), f64::from(ov.height()));
        let (Some(index), Some(geom)) = (index, geometry.get_value()) else {
            return;
        };
        let ratio = size.get_untracked().pixel_ratio;
        theme.with_value(|theme| {
            spec.with_untracked(|spec| draw_crosshair(&ctx, &geom, spec, theme, index, ratio));
        });
    });

    let on_pointer = move |ev: PointerEvent| {
        let (Some(frame_el), Some(geom)) = (frame.get_untracked(), geometry.get_value()) else {
            return;
        };
        let rect = frame_el.get_bounding_client_rect();
        let ratio = size.get_untracked().pixel_ratio;
        let x = (f64::from(ev.client_x()) - rect.left()) * ratio;
        set_hover.set(geom.day_at(x));
    };
    // A finger leaves the chart as soon as it lifts: the day it tapped
    // stays shown until the chart loses focus (a tap elsewhere).
    let on_leave = move |ev: PointerEvent| {
        if ev.pointer_type() != "touch" {
            set_hover.set(None);
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        let len = spec.with_untracked(|s| s.dates.len());
        if len == 0 {
            return;
        }
        let current = hover.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowRight" => Some(current.map_or(0, |i| (i + 1).min(len - 1))),
            "ArrowLeft" => Some(current.map_or(len - 1, |i| i.saturating_sub(1))),
            "Home" => Some(0),
            "End" => Some(len - 1),
            "Escape" => None,
            _ => return,
        };
        ev.prevent_default();
        set_hover.set(next);
    };

    let legend = move || {
        spec.with(|spec| {
            let two_axes = spec.right.is_some();
            spec.series
                .iter()
                .map(|s| {
                    let axis = match (two_axes, s.axis) {
                        (false, _) => String::new(),
                        (true, AxisSide::Left) => " (left axis)".to_owned(),
                        (true, AxisSide::Right) => " (right axis)".to_owned(),
                    };
                    view! {
                        <li class="cca-legend__item">
                            <span class=swatch_class(s.kind, s.color)></span>
                            {format!("{}{axis}", s.name)}
                        </li>
                    }
                })
                .collect_view()
        })
    };

    let tooltip = move || {
        let index = hover.get()?;
        let geom = geometry.get_value()?;
        spec.with_untracked(|spec| {
            let date = *spec.dates.get(index)?;
            let rows = spec
                .series
                .iter()
                .map(|s| {
                    let unit = match s.axis {
                        AxisSide::Left => spec.left.unit,
                        AxisSide::Right => spec.right.as_ref().map_or(spec.left.unit, |r| r.unit),
                    };
                    let value = s.values.get(index).copied().flatten();
                    view! {
                        <div class="cca-chart__tooltip-row">
                            <span>
                                <span class=swatch_class(SeriesKind::Bar, s.color)></span>
                                {s.name.clone()}
                            </span>
                            <span>{format::unit_value(unit, value)}</span>
                        </div>
                    }
                })
                .collect_view();
            let ratio = size.get_untracked().pixel_ratio.max(1.0);
            let frame_width = size.get_untracked().css_width;
            let x = geom.x_of(index) / ratio;
            // Keep the tooltip inside the frame: flip to the left of the crosshair near the right edge.
            let left = if x + 180.0 > frame_width {
                (x - 172.0).max(0.0)
            } else {
                x + 12.0
            };
            Some(view! {
                <div
                    class="cca-chart__tooltip"
                    role="status"
                    style:transform=format!("translate({}px, 8px)", format::fixed(left, 0))
                >
                    <div class="cca-chart__tooltip-date">{day_label(spec, index, date)}</div>
                    {rows}
                </div>
            })
        })
    };

    let file = file_name.clone();
    let download = move |_| {
        let (name, text) = spec.with_untracked(|spec| (csv_file_name(&file, spec), csv(spec)));
        let _ = download_text(&name, "text/csv;charset=utf-8", &text);
    };

    let table = move || {
        show_table.get().then(|| {
            spec.with(|spec| {
                let rows = table_rows(spec);
                let head = std::iter::once("Date (UTC)".to_owned())
                    .chain(spec.series.iter().map(|s| s.name.clone()))
                    .map(|h| view! { <th scope="col">{h}</th> })
                    .collect_view();
                let body = rows
                    .into_iter()
                    .map(|row| {
                        let mut cells = row.into_iter();
                        let first = cells.next().unwrap_or_default();
                        view! {
                            <tr>
                                <th scope="row">{first}</th>
                                {cells.map(|c| view! { <td>{c}</td> }).collect_view()}
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="cca-table-wrap cca-chart__table">
                        <table class="cca-table">
                            <thead>
                                <tr>{head}</tr>
                            </thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                }
            })
        })
    };

    let empty = move || {
        spec.with(|s| {
            s.series
                .iter()
                .all(|x| x.values.iter().all(Option::is_none))
        })
        .then(|| view! { <div class="cca-chart__empty">"No data in this range"</div> })
    };
    let axis_titles = move || {
        spec.with(|s| {
            let left = s.left.label.clone();
            let right = s
                .right
                .as_ref()
                .map(|r| r.label.clone())
                .unwrap_or_default();
            view! {
                <div class="cca-chart__axes" aria-hidden="true">
                    <span>{left}</span>
                    <span>{right}</span>
                </div>
            }
        })
    };
    let frame_class = if small {
        "cca-chart__frame cca-chart__frame--small"
    } else {
        "cca-chart__frame"
    };
    let label = format!("{title}: chart. Use the arrow keys to read each day, or show as table.");
    let info = definition.map(|text| {
        view! {
            <button type="button" class="cca-info" aria-label=format!("About {title}")>
                "?"
                <span class="cca-info__text" role="tooltip">{text}</span>
            </button>
        }
    });

    view! {
        <figure class="cca-chart" data-redraws=move || redraws.get().to_string()>
            <figcaption class="cca-chart__head">
                <span class="cca-chart__title">{title.clone()} {info}</span>
                <span class="cca-chart__actions">
                    <button
                        type="button"
                        class="cca-chart__action"
                        aria-pressed=move || show_table.get().to_string()
                        on:click=move |_| set_show_table.update(|v| *v = !*v)
                    >
                        {move || if show_table.get() { "Hide table" } else { "Show as table" }}
                    </button>
                    <button type="button" class="cca-chart__action" on:click=download>
                        "CSV"
                    </button>
                </span>
            </figcaption>
            <ul class="cca-legend">{legend}</ul>
            {axis_titles}
            <div
                class=frame_class
                node_ref=frame
                tabindex="0"
                role="img"
                aria-label=label
                on:pointermove=on_pointer
                on:pointerdown=on_pointer
                on:pointerleave=on_leave
                on:keydown=on_key
                on:blur=move |_| set_hover.set(None)
            >
                <canvas class="cca-chart__canvas" node_ref=canvas></canvas>
                <canvas class="cca-chart__overlay" node_ref=overlay></canvas>
                {empty}
                {tooltip}
            </div>
            {table}
        </figure>
    }
}

/// Draws the hover crosshair and a marker per series on the overlay (public
/// for the redraw benchmark).
pub fn draw_crosshair(
    ctx: &CanvasRenderingContext2d,
    geom: &ChartGeometry,
    spec: &ChartSpec,
    theme: &ChartTheme,
    index: usize,
    ratio: f64,
) {
    let x = geom.x_of(index);
    let (top, bottom) = geom.plot_y_range();
    ctx.set_stroke_style_str(&format!(
        "rgba({},{},{},0.6)",
        theme.axis.0, theme.axis.1, theme.axis.2
    ));
    ctx.set_line_width(ratio.max(1.0));
    ctx.begin_path();
    ctx.move_to(x.round() + 0.5, top);
    ctx.line_to(x.round() + 0.5, bottom);
    ctx.stroke();
    for series in &spec.series {
        let Some(value) = series.values.get(index).copied().flatten() else {
            continue;
        };
        let Some(y) = geom.y_of(series.axis, value) else {
            continue;
        };
        ctx.set_fill_style_str(&theme.color(series.color).css());
        ctx.begin_path();
        let _ = ctx.arc(x, y, 4.0 * ratio, 0.0, std::f64::consts::TAU);
        ctx.fill();
    }
}
