//! The smallest Leptos + plotters page that draws a chart: a heading and a
//! canvas with seven bars on axes, then the mark the app sets when its first
//! chart is drawn (`cca:first-chart`). It separates what any Leptos +
//! plotters page costs on this machine from what the app itself adds.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

const BARS: [u32; 7] = [3, 5, 2, 7, 4, 6, 8];

fn draw(canvas: web_sys::HtmlCanvasElement) -> Option<()> {
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .x_label_area_size(20)
        .y_label_area_size(30)
        .build_cartesian_2d(0u32..7u32, 0u32..10u32)
        .ok()?;
    chart.configure_mesh().draw().ok()?;
    let bar = RGBColor(0xd9, 0x77, 0x57).filled();
    chart
        .draw_series(
            BARS.iter()
                .zip(0u32..)
                .map(|(v, i)| Rectangle::new([(i, 0), (i + 1, *v)], bar)),
        )
        .ok()?;
    root.present().ok()
}

#[component]
fn Chart() -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        if canvas.get().and_then(draw).is_some() {
            if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                let _ = performance.mark("cca:first-chart");
            }
        }
    });
    view! {
        <h1>"Seven bars"</h1>
        <canvas node_ref=canvas width="640" height="240"></canvas>
    }
}

fn main() {
    leptos::mount::mount_to_body(Chart);
}
