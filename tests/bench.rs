//! Browser benchmarks (wasm-bindgen-test in headless Chromium, release
//! profile), run by `cargo xtask bench`. Each prints one line
//! `BENCH <name> runs=<n> median=<ms> min=<ms> max=<ms> <note>` that xtask
//! collects into docs/benchmarks.md. They measure; they assert nothing about time.
#![cfg(target_arch = "wasm32")]

use std::collections::HashMap;

use cca::case_fold::fold_case;
use cca::components::charts::canvas_backend::MeasuredCanvasBackend;
use cca::components::charts::chart::{context_2d, draw_crosshair};
use cca::components::charts::draw::draw_chart;
use cca::components::charts::theme::ChartTheme;
use cca::demo::{DemoConfig, DemoOrg};
use cca::model::aggregate::aggregate;
use cca::model::dates::DateRange;
use cca::model::decode::decode_usage_page;
use cca::model::record::UsageRecord;
use cca::model::team::actor_totals;
use cca::specs::activity_chart;
use cca::team_table::{visible_rows, Column, SortOrder, TeamFilter, TeamRow};
use chrono::NaiveDate;
use plotters_backend::DrawingBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Runs `f` `runs` times (after one warm-up) and prints the summary line.
fn bench(name: &str, runs: usize, note: &str, mut f: impl FnMut()) {
    f();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = now();
            f();
            now() - start
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    console_log!(
        "BENCH {name} runs={runs} median={median:.3} min={:.3} max={:.3} {note}",
        times[0],
        times[times.len() - 1]
    );
}

fn today() -> NaiveDate {
    DemoConfig::default().today
}

/// The demo organization's days, as the console API's JSON, until `wanted` records.
fn api_days(wanted: usize) -> (DateRange, Vec<(NaiveDate, String)>) {
    DemoOrg::new(DemoConfig {
        members: 2_000,
        ..DemoConfig::default()
    })
    .api_days_json(wanted)
}

#[wasm_bindgen_test]
fn decode_and_aggregate_100k_records() {
    let (range, days) = api_days(100_000);
    let bytes: usize = days.iter().map(|(_, json)| json.len()).sum();
    bench(
        "decode_aggregate_100k",
        7,
        &format!("{} days, {:.1} MB of JSON", days.len(), bytes as f64 / 1e6),
        || {
            let decoded: HashMap<NaiveDate, Vec<UsageRecord>> = days
                .iter()
                .filter_map(|(day, json)| {
                    decode_usage_page(*day, json).ok().map(|p| (*day, p.data))
                })
                .collect();
            let agg = aggregate(range, |d| decoded.get(&d).map(Vec::as_slice));
            assert!(agg.totals.days_loaded > 0);
        },
    );
}

fn canvas(width: u32, height: u32) -> web_sys::HtmlCanvasElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .expect("canvas")
        .dyn_into()
        .expect("a canvas");
    canvas.set_width(width);
    canvas.set_height(height);
    document
        .body()
        .expect("body")
        .append_child(&canvas)
        .expect("append");
    canvas
}

/// Reads one pixel back, so the time includes rasterizing the drawing
/// commands, not only issuing them.
fn flush(canvas: &web_sys::HtmlCanvasElement) {
    if let Some(ctx) = context_2d(canvas) {
        let _ = ctx.get_image_data(0.0, 0.0, 1.0, 1.0);
    }
}

#[wasm_bindgen_test]
fn redraw_a_366_day_dual_axis_chart() {
    let org = DemoOrg::new(DemoConfig::default());
    let range = DateRange::ending(today(), 366);
    let days: HashMap<NaiveDate, Vec<UsageRecord>> =
        range.days().map(|d| (d, org.records_for_day(d))).collect();
    let agg = aggregate(range, |d| days.get(&d).map(Vec::as_slice));
    // By day, the most points a chart draws (the worst case).
    let spec = activity_chart(&agg, cca::model::grouping::Grouping::Day);
    let theme = ChartTheme::light();
    // A 1200×360 CSS-pixel chart at devicePixelRatio 2.
    let ratio = 2.0;
    let main = canvas(2400, 720);
    let overlay = canvas(2400, 720);
    let mut geometry = None;
    bench(
        "full_redraw_366d",
        25,
        "1200×360 CSS px at DPR 2, rasterized (1-px readback)",
        || {
            let mut backend = MeasuredCanvasBackend::new(main.clone()).expect("backend");
            geometry = draw_chart(&mut backend, &spec, &theme, ratio).ok();
            let _ = backend.present();
            flush(&main);
        },
    );
    let geometry = geometry.expect("the chart was drawn");
    let ctx = context_2d(&overlay).expect("2d context");
    let mut index = 0;
    bench(
        "hover_redraw_366d",
        200,
        "crosshair and markers on the overlay, rasterized",
        || {
            ctx.clear_rect(0.0, 0.0, 2400.0, 720.0);
            draw_crosshair(&ctx, &geometry, &spec, &theme, index % 366, ratio);
            flush(&overlay);
            index += 37;
        },
    );
}

#[wasm_bindgen_test]
fn sort_a_10000_member_team_table() {
    let org = DemoOrg::new(DemoConfig {
        members: 10_000,
        ..DemoConfig::default()
    });
    let month = DateRange::month_to_date(today());
    let records: Vec<UsageRecord> = month.days().flat_map(|d| org.records_for_day(d)).collect();
    let rows: Vec<TeamRow> = actor_totals(month, &records)
        .iter()
        .map(|t| TeamRow::from_totals(t, String::new(), fold_case))
        .collect();
    let filter = TeamFilter::default();
    let mut descending = false;
    for column in [Column::Spend, Column::Member, Column::LastActive] {
        bench(
            &format!("team_sort_{column:?}"),
            15,
            &format!("{} members", rows.len()),
            || {
                descending = !descending;
                let order =
                    visible_rows(&rows, &filter, SortOrder { column, descending }, fold_case);
                assert_eq!(order.len(), rows.len());
            },
        );
    }
}
