//! The chart component: plotters on a `<canvas>` (crisp at any
//! devicePixelRatio), a hover/keyboard/touch crosshair and tooltip drawn on
//! an overlay canvas (the chart is not redrawn on pointer moves), an HTML
//! legend that names each series' axis and hides or shows it, the axis
//! titles marked with their series' colours, the page's Day/Week/Month
//! control, and a "Show as table" view with CSV.

use std::rc::Rc;

use leptos::html::{Canvas, Div, Figure};
use leptos::prelude::*;
use plotters_backend::DrawingBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, KeyboardEvent, PointerEvent};

use crate::components::charts::canvas_backend::MeasuredCanvasBackend;
use crate::components::charts::css_theme::read_theme;
use crate::components::charts::draw::{draw_chart, series_color};
use crate::components::charts::geometry::ChartGeometry;
use crate::components::charts::spec::{
    is_last_shown, toggle_hidden, AxisSide, ChartSpec, SeriesKind, SeriesSpec, Weight,
};
use crate::components::charts::table::{
    csv, csv_file_name, decisions_text, point_label, table_head, table_rows,
};
use crate::components::charts::theme::ChartTheme;
use crate::components::download::download_text;
use crate::components::info::InfoTip;
use crate::components::status::PageLoading;
use crate::components::theme::DarkMode;
use crate::format;
use crate::hooks::canvas_size::{use_canvas_size, CanvasSize};
use crate::hooks::grouping::GroupingState;
use crate::hooks::set_query::{use_set_query, Entry};

/// The classes of a legend or axis-title swatch for a series: its colour
/// comes from the stylesheet's `--_chart-N`, the variable the canvas reads
/// for the same slot; a line's swatch is a stroke as thick and as light as
/// the line.
fn swatch_class(series: &SeriesSpec) -> String {
    let shape = match (series.kind, series.weight) {
        (SeriesKind::Bar, _) => "",
        (SeriesKind::Line, Weight::Strong) => {
            " cca-legend__swatch--line cca-legend__swatch--strong"
        }
        (SeriesKind::Line, Weight::Normal) => " cca-legend__swatch--line",
        (SeriesKind::Line, Weight::Light) => " cca-legend__swatch--line cca-legend__swatch--light",
    };
    format!(
        "cca-legend__swatch{shape} cca-swatch-{}",
        series.color % 6 + 1
    )
}

/// A tooltip's swatch: the series' colour as a square.
fn tooltip_swatch(slot: usize) -> String {
    format!("cca-legend__swatch cca-swatch-{}", slot % 6 + 1)
}

/// Where the tooltip goes, as a CSS `transform`: beside the crosshair at
/// `x` (CSS pixels from the frame's left), on the side with more room, and
/// kept inside a frame `width` wide whatever the tooltip's own width (the
/// `100%` of a translate is the tooltip's width).
fn tooltip_transform(x: f64, width: f64) -> String {
    let px = |v: f64| format::fixed(v, 0);
    if x < width / 2.0 {
        format!(
            "translate(min({}px, calc({}px - 100%)), 8px)",
            px(x + 12.0),
            px(width - 8.0)
        )
    } else {
        format!("translate(max(8px, calc({}px - 100%)), 8px)", px(x - 12.0))
    }
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
    /// The page's Day/Week/Month choice, shown as a control in the chart's
    /// head when the range offers more than one.
    #[prop(optional)]
    grouping: Option<GroupingState>,
) -> impl IntoView {
    let dark = DarkMode::expect().0;
    // Read from the page on every full redraw (the overlay uses the last one).
    let theme = StoredValue::new(ChartTheme::built_in(dark.get_untracked()));
    let figure = NodeRef::<Figure>::new();
    let frame = NodeRef::<Div>::new();
    let canvas = NodeRef::<Canvas>::new();
    let overlay = NodeRef::<Canvas>::new();
    let size = use_canvas_size(frame);
    let geometry = StoredValue::new_local(None::<Rc<ChartGeometry>>);
    let (hover, set_hover) = signal(None::<usize>);
    let (redraws, set_redraws) = signal(0u64);
    let (show_table, set_show_table) = signal(false);
    // The series the legend hid, by key; the chart draws the rest, its axes
    // fitted to them. The table and the CSV keep every series.
    let hidden = RwSignal::new(Vec::<String>::new());
    // A memo, not a derived signal: read through a signal derived from the
    // derived spec, the redraw effect stopped hearing of a new range whose
    // days were all loaded already (tests/e2e/tests/charts.rs).
    let shown = Memo::new(move |_| hidden.with(|h| spec.with(|s| s.shown(h))));
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
        let spec = shown.get();
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
        // What was drawn, for tests and tools: its points and how its days
        // are grouped (set here rather than as reactive attributes: less
        // code, and always what the canvas shows).
        if let Some(figure) = figure.get_untracked() {
            let _ = figure.set_attribute("data-points", &spec.points.len().to_string());
            let _ = figure.set_attribute("data-grouping", spec.grouping().key());
        }
        set_redraws.update(|n| *n += 1);
        if hover
            .get_untracked()
            .is_some_and(|i| i >= spec.points.len())
        {
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
            shown.with_untracked(|spec| draw_crosshair(&ctx, &geom, spec, theme, index, ratio));
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
        let len = shown.with_untracked(|s| s.points.len());
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

    // One button per series: pressed while the series is drawn. The last
    // one drawn cannot be hidden (it says so with `aria-disabled`).
    let legend = move || {
        spec.with(|current| {
            current
                .series
                .iter()
                .map(|s| {
                    let key = s.key.clone();
                    // The axis the series is drawn against now: with the
                    // left axis' series hidden, the right one's moves left.
                    // A hidden series keeps the axis it comes back on.
                    let own = (current.right.is_some(), s.axis);
                    let label = {
                        let (key, name) = (key.clone(), s.name.clone());
                        move || {
                            shown.with(|drawn| {
                                let side = drawn
                                    .series
                                    .iter()
                                    .find(|d| d.key == key)
                                    .map_or(own, |d| (drawn.right.is_some(), d.axis));
                                let axis = match side {
                                    (true, AxisSide::Left) => " (left axis)",
                                    (true, AxisSide::Right) => " (right axis)",
                                    (false, _) => "",
                                };
                                format!("{name}{axis}")
                            })
                        }
                    };
                    let pressed = {
                        let key = key.clone();
                        move || {
                            spec.with(|s| hidden.with(|h| !s.hidden_here(h).contains(&key)))
                                .to_string()
                        }
                    };
                    let last = {
                        let key = key.clone();
                        move || {
                            spec.with(|s| hidden.with(|h| is_last_shown(s, h, &key)))
                                .then_some("true")
                        }
                    };
                    let toggle = {
                        let key = key.clone();
                        move |_| {
                            let next = spec.with_untracked(|s| {
                                hidden.with_untracked(|h| toggle_hidden(s, h, &key))
                            });
                            hidden.set(next);
                        }
                    };
                    view! {
                        <li>
                            <button
                                type="button"
                                class="cca-legend__item"
                                data-series=key
                                aria-pressed=pressed
                                aria-disabled=last
                                on:click=toggle
                            >
                                <span class=swatch_class(s)></span>
                                {label}
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };

    // The point's values for the series drawn, each in its axis' unit; a
    // rate with the accepted and rejected counts behind it.
    let tooltip = move || {
        let index = hover.get()?;
        let geom = geometry.get_value()?;
        shown.with_untracked(|spec| {
            spec.points.get(index)?;
            let rows = spec
                .series
                .iter()
                .map(|s| {
                    let value = s.values.get(index).copied().flatten();
                    let counts = s
                        .decisions
                        .is_some()
                        .then(|| {
                            s.decisions_at(index)
                                .map_or_else(|| format::DASH.to_owned(), decisions_text)
                        })
                        .map(|text| view! { <div class="cca-chart__tooltip-counts">{text}</div> });
                    view! {
                        <div class="cca-chart__tooltip-row">
                            <span>
                                <span class=tooltip_swatch(s.color)></span>
                                {s.name.clone()}
                            </span>
                            <span>{format::unit_value(spec.unit_of(s.axis), value)}</span>
                        </div>
                        {counts}
                    }
                })
                .collect_view();
            let ratio = size.get_untracked().pixel_ratio.max(1.0);
            let frame_width = size.get_untracked().css_width;
            let x = geom.x_of(index) / ratio;
            Some(view! {
                <div
                    class="cca-chart__tooltip"
                    role="status"
                    style:transform=tooltip_transform(x, frame_width)
                >
                    <div class="cca-chart__tooltip-date">{point_label(spec, index)}</div>
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
                let head = table_head(spec)
                    .into_iter()
                    .map(|h| view! { <th scope="col">{h}</th> })
                    .collect_view();
                let body = table_rows(spec)
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

    // Of what is drawn: the one series left shown may have no values.
    let empty = move || {
        shown
            .with(|s| {
                s.series
                    .iter()
                    .all(|x| x.values.iter().all(Option::is_none))
            })
            .then(|| view! { <div class="cca-chart__empty">"No data in this range"</div> })
    };
    // Above the plot, each axis' title; on a chart with two axes, marked
    // with the swatches of the series drawn against it, so which scale a
    // line or a bar reads on is plain without the legend.
    let axis_titles = move || {
        shown.with(|s| {
            let two_axes = s.right.is_some();
            let marks = |side: AxisSide| {
                two_axes.then(|| {
                    s.series
                        .iter()
                        .filter(|x| x.axis == side)
                        .map(|x| view! { <span class=swatch_class(x)></span> })
                        .collect_view()
                })
            };
            let right = s
                .right
                .as_ref()
                .map(|r| r.label.clone())
                .unwrap_or_default();
            view! {
                <div class="cca-chart__axes" aria-hidden="true">
                    <span class="cca-chart__axis" data-axis="left">
                        {marks(AxisSide::Left)}
                        <span class="cca-chart__axis-label">{s.left.label.clone()}</span>
                    </span>
                    <span class="cca-chart__axis" data-axis="right">
                        {marks(AxisSide::Right)}
                        <span class="cca-chart__axis-label">{right}</span>
                    </span>
                </div>
            }
        })
    };
    // Day/Week/Month, when the range offers more than one: each writes
    // its choice to the URL.
    let group_control = grouping.map(|g| {
        let set_query = use_set_query();
        move || {
            let offered = g.offered();
            (offered.len() > 1).then(|| {
                let buttons = offered
                    .into_iter()
                    .map(|option| {
                        let set_query = set_query.clone();
                        view! {
                            <button
                                type="button"
                                class="cca-segmented__option"
                                data-group=option.key()
                                aria-pressed=move || (g.chosen.get() == option).to_string()
                                on:click=move |_| set_query(&g.query_for(option), Entry::InPlace)
                            >
                                {option.label()}
                            </button>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="cca-segmented" role="group" aria-label="Group by">
                        {buttons}
                    </div>
                }
            })
        }
    });
    let frame_class = if small {
        "cca-chart__frame cca-chart__frame--small"
    } else {
        "cca-chart__frame"
    };
    let label = format!(
        "{title}: chart. Use the arrow keys to read it point by point, or show it as a table."
    );
    let info = definition.map(|text| view! { <InfoTip label=title.clone() text=text /> });

    view! {
        <figure class="cca-chart" node_ref=figure data-redraws=move || redraws.get().to_string()>
            <figcaption class="cca-chart__head">
                <span class="cca-chart__title">{title.clone()} {info}</span>
                <span class="cca-chart__actions">
                    {group_control}
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
        ctx.set_fill_style_str(&series_color(theme, series).css());
        ctx.begin_path();
        let _ = ctx.arc(x, y, 4.0 * ratio, 0.0, std::f64::consts::TAU);
        ctx.fill();
    }
}
