//! Browser tests (wasm-bindgen-test in headless Chromium): components
//! mounted into the real DOM.
#![cfg(target_arch = "wasm32")]

use cca::app::App;
use cca::config::parse_config;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document")
}

/// A fresh container in the body for one test.
fn container() -> web_sys::HtmlElement {
    let el = document()
        .create_element("div")
        .expect("create div")
        .dyn_into::<web_sys::HtmlElement>()
        .expect("an HtmlElement");
    document()
        .body()
        .expect("body")
        .append_child(&el)
        .expect("append");
    el
}

fn go_to(path: &str) {
    web_sys::window()
        .expect("window")
        .history()
        .expect("history")
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .expect("replaceState");
}

#[wasm_bindgen_test]
async fn shell_mounts_with_navigation_to_every_page() {
    go_to("/claude-code/activity");
    let parent = container();
    let config = parse_config(None).expect("default config").config;
    let _handle = leptos::mount::mount_to(parent.clone(), move || view! { <App config=config /> });
    leptos::task::tick().await;
    let links = parent.query_selector_all(".cca-nav__link").expect("query");
    let labels: Vec<String> = (0..links.length())
        .filter_map(|i| links.item(i))
        .filter_map(|n| n.text_content())
        .collect();
    assert_eq!(
        labels,
        [
            "Overview",
            "Lines of code",
            "Accept rate",
            "Activity",
            "Spend",
            "Team"
        ]
    );
    let current = parent
        .query_selector(".cca-nav__link[aria-current=page]")
        .expect("query")
        .and_then(|n| n.text_content());
    assert_eq!(current.as_deref(), Some("Activity"));
    let title = parent
        .query_selector(".cca-page__title")
        .expect("query")
        .and_then(|n| n.text_content());
    assert_eq!(title.as_deref(), Some("Activity"));
    parent.remove();
}

// ---------------------------------------------------------------- charts

use cca::components::charts::spec::{AxisSide, AxisSpec, ChartSpec, SeriesKind, SeriesSpec, Unit};
use cca::components::charts::Chart;
use cca::components::theme::DarkMode;
use cca::model::grouping::Bucket;
use chrono::{Days, NaiveDate};

/// The app's real stylesheet, once per page, so charts get their real size.
fn install_app_css() {
    if document().get_element_by_id("cca-test-css").is_some() {
        return;
    }
    let style = document().create_element("style").expect("style");
    style.set_id("cca-test-css");
    style.set_text_content(Some(include_str!("../style/app.css")));
    document()
        .head()
        .expect("head")
        .append_child(&style)
        .expect("append style");
}

/// A `.cca-root` container `width` CSS pixels wide.
fn chart_container(width: u32) -> web_sys::HtmlElement {
    install_app_css();
    let el = container();
    el.set_class_name("cca-root");
    el.style()
        .set_property("width", &format!("{width}px"))
        .expect("width");
    el
}

/// 30 days: sessions on the left (a gap on day 10), spend on the right.
fn dual_axis_spec() -> ChartSpec {
    let start = NaiveDate::from_ymd_opt(2025, 6, 1).expect("date");
    let dates: Vec<NaiveDate> = (0..30).map(|i| start + Days::new(i)).collect();
    let sessions = (0..30)
        .map(|i| (i != 10).then(|| f64::from(20 + (i * 7) % 13)))
        .collect();
    let spend = (0..30).map(|i| Some(100.0 + f64::from(i) * 12.5)).collect();
    ChartSpec {
        points: dates.into_iter().map(Bucket::day).collect(),
        series: vec![
            SeriesSpec::new(
                "sessions",
                "Sessions",
                SeriesKind::Bar,
                AxisSide::Left,
                sessions,
                0,
            ),
            SeriesSpec::new(
                "spend",
                "Spend",
                SeriesKind::Line,
                AxisSide::Right,
                spend,
                1,
            ),
        ],
        left: AxisSpec {
            unit: Unit::Count,
            label: "Sessions".into(),
            min_zero: true,
        },
        right: Some(AxisSpec {
            unit: Unit::Dollars,
            label: "Spend (USD)".into(),
            min_zero: true,
        }),
        partial: None,
    }
}

fn mount_chart(
    parent: &web_sys::HtmlElement,
    spec: ChartSpec,
) -> leptos::mount::UnmountHandle<impl Mountable> {
    leptos::mount::mount_to(parent.clone(), move || {
        provide_context(DarkMode(Signal::stored(false)));
        view! { <Chart spec=Signal::stored(spec.clone()) title="Sessions and spend" file_name="test" /> }
    })
}

async fn sleep_ms(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Waits (up to 5 s) until `check` holds.
async fn until(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..250 {
        if check() {
            return;
        }
        sleep_ms(20).await;
    }
    panic!("timed out waiting for {what}");
}

fn redraws(parent: &web_sys::HtmlElement) -> u64 {
    parent
        .query_selector(".cca-chart")
        .ok()
        .flatten()
        .and_then(|f| f.get_attribute("data-redraws"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn main_canvas(parent: &web_sys::HtmlElement) -> web_sys::HtmlCanvasElement {
    parent
        .query_selector(".cca-chart__canvas")
        .expect("query")
        .expect("a canvas")
        .dyn_into()
        .expect("a canvas element")
}

/// The canvas's RGBA bytes, row by row.
fn canvas_pixels(canvas: &web_sys::HtmlCanvasElement) -> Vec<u8> {
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("context")
        .expect("2d")
        .dyn_into()
        .expect("2d context");
    ctx.get_image_data(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    )
    .expect("image data")
    .data()
    .to_vec()
}

/// Pixels of the canvas that differ from its top-left (background) pixel.
fn painted_pixels(canvas: &web_sys::HtmlCanvasElement) -> usize {
    let data = canvas_pixels(canvas);
    let bg = [data[0], data[1], data[2], data[3]];
    data.chunks_exact(4).filter(|px| *px != bg).count()
}

fn set_device_pixel_ratio(ratio: f64) {
    let window = web_sys::window().expect("window");
    let descriptor = js_sys::Object::new();
    js_sys::Reflect::set(&descriptor, &"value".into(), &ratio.into()).expect("value");
    js_sys::Reflect::set(&descriptor, &"configurable".into(), &true.into()).expect("configurable");
    js_sys::Object::define_property(&window, &"devicePixelRatio".into(), &descriptor);
}

#[wasm_bindgen_test]
async fn chart_paints_data_pixels_after_mount() {
    set_device_pixel_ratio(1.0);
    let parent = chart_container(640);
    let _handle = mount_chart(&parent, dual_axis_spec());
    until("the first draw", || redraws(&parent) >= 1).await;
    let canvas = main_canvas(&parent);
    let painted = painted_pixels(&canvas);
    let total = (canvas.width() * canvas.height()) as usize;
    // Bars, a line, grid and tick labels: a real share of the canvas, not a blank one.
    assert!(
        painted * 20 > total,
        "only {painted} of {total} pixels painted"
    );
    let legend: Vec<String> = {
        let items = parent
            .query_selector_all(".cca-legend__item")
            .expect("query");
        (0..items.length())
            .filter_map(|i| items.item(i))
            .filter_map(|n| n.text_content())
            .collect()
    };
    assert_eq!(legend, ["Sessions (left axis)", "Spend (right axis)"]);
    parent.remove();
}

/// `[r, g, b]` of the canvas pixel at `(x, y)`.
fn pixel(canvas: &web_sys::HtmlCanvasElement, x: f64, y: f64) -> [u8; 3] {
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("context")
        .expect("2d")
        .dyn_into()
        .expect("2d context");
    let data = ctx
        .get_image_data(x, y, 1.0, 1.0)
        .expect("image data")
        .data();
    [data[0], data[1], data[2]]
}

/// The colours come from the custom properties on the root, in any CSS
/// syntax the browser knows; one it does not keeps the built-in colour.
#[wasm_bindgen_test]
async fn chart_colours_come_from_the_roots_custom_properties() {
    set_device_pixel_ratio(1.0);
    let parent = chart_container(640);
    for (name, value) in [
        ("--cca-surface", "hsl(16 100% 66%)"),
        ("--cca-chart-1", "not-a-colour"),
        ("--cca-font", "Verdana; color: red"),
    ] {
        parent
            .style()
            .set_property(name, value)
            .expect("a custom property");
    }
    let _handle = mount_chart(&parent, dual_axis_spec());
    until("the first draw", || redraws(&parent) >= 1).await;
    let canvas = main_canvas(&parent);
    // hsl(16 100% 66%) is about coral, rgb(255, 127, 80) (Chromium makes it
    // #ff8052): the surface reached the canvas in a syntax the parser never sees.
    let corner = pixel(&canvas, 2.0, 2.0);
    let coral = [255u8, 127, 80];
    assert!(
        corner.iter().zip(coral).all(|(c, k)| c.abs_diff(k) <= 2),
        "{corner:?}"
    );
    // Series 1 (the sessions bars) in the built-in blue: its variable was refused.
    let data = canvas_pixels(&canvas);
    let blue = data
        .chunks_exact(4)
        .filter(|px| px[..3] == [0, 114, 178])
        .count();
    assert!(blue > 100, "{blue} pixels of the built-in series 1");
    parent.remove();
}

#[wasm_bindgen_test]
async fn backing_store_follows_device_pixel_ratio_and_resizes_redraw() {
    set_device_pixel_ratio(2.0);
    let parent = chart_container(500);
    let _handle = mount_chart(&parent, dual_axis_spec());
    until("the first draw", || redraws(&parent) >= 1).await;
    let canvas = main_canvas(&parent);
    let css_width = canvas.get_bounding_client_rect().width();
    let css_height = canvas.get_bounding_client_rect().height();
    assert!(
        css_width > 400.0 && css_width <= 500.0,
        "css width {css_width}"
    );
    assert_eq!(f64::from(canvas.width()), (css_width * 2.0).round());
    assert_eq!(f64::from(canvas.height()), (css_height * 2.0).round());

    let before = redraws(&parent);
    parent
        .style()
        .set_property("width", "320px")
        .expect("width");
    until("a redraw after the resize", || redraws(&parent) > before).await;
    let narrower = canvas.get_bounding_client_rect().width();
    assert!(narrower < css_width - 150.0, "{narrower} after the resize");
    assert_eq!(
        f64::from(canvas.width()),
        (narrower * 2.0).round(),
        "DPR 2 after the resize"
    );
    assert!(painted_pixels(&canvas) > 0);
    set_device_pixel_ratio(1.0);
    parent.remove();
}

#[wasm_bindgen_test]
async fn table_view_lists_the_same_values() {
    set_device_pixel_ratio(1.0);
    let parent = chart_container(640);
    let _handle = mount_chart(&parent, dual_axis_spec());
    until("the first draw", || redraws(&parent) >= 1).await;
    let toggle: web_sys::HtmlElement = parent
        .query_selector(".cca-chart__action")
        .expect("query")
        .expect("the table toggle")
        .dyn_into()
        .expect("a button");
    assert_eq!(toggle.text_content().as_deref(), Some("Show as table"));
    toggle.click();
    until("the table", || {
        parent
            .query_selector(".cca-chart__table")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    let rows = parent
        .query_selector_all(".cca-chart__table tbody tr")
        .expect("rows");
    assert_eq!(rows.length(), 30);
    let cells = |row: u32| -> Vec<String> {
        let row = rows
            .item(row)
            .expect("row")
            .dyn_into::<web_sys::Element>()
            .expect("element");
        let cells = row.query_selector_all("th, td").expect("cells");
        (0..cells.length())
            .filter_map(|i| cells.item(i))
            .filter_map(|n| n.text_content())
            .collect()
    };
    let spec = dual_axis_spec();
    let first = cells(0);
    assert_eq!(first.len(), 3, "{first:?}");
    assert_eq!(first[1], "20", "{first:?}");
    assert_eq!(first[2], "$100.00", "{first:?}");
    // The gap is shown as a gap, not as zero.
    let gap = cells(10);
    assert_eq!(gap[1], "—", "{gap:?}");
    assert_eq!(spec.series[0].values[10], None);
    let last = cells(29);
    assert_eq!(last[2], "$462.50", "{last:?}");
    assert_eq!(toggle.text_content().as_deref(), Some("Hide table"));
    parent.remove();
}

// ---------------------------------------------------------------- crash panel

/// What the panic hook shows: the mounted app is replaced by a panel with a
/// reload link built from DOM calls (the hook itself cannot be triggered
/// here without aborting the test's wasm instance).
#[wasm_bindgen_test]
async fn the_crash_panel_replaces_the_app_with_a_reload_link() {
    go_to("/claude-code/lines");
    let mount = container();
    mount.set_id("claude-code-analytics");
    let config = parse_config(None).expect("default config").config;
    let handle = leptos::mount::mount_to(mount.clone(), move || view! { <App config=config /> });
    leptos::task::tick().await;
    assert!(
        mount.query_selector(".cca-nav").ok().flatten().is_some(),
        "the app is mounted"
    );

    cca::boot::show_crash_panel(&document()).expect("the panel is shown");
    let panel = mount
        .query_selector(".cca-crash[role=alert]")
        .expect("query")
        .expect("a crash panel");
    assert_eq!(
        panel
            .query_selector("h2")
            .ok()
            .flatten()
            .and_then(|h| h.text_content())
            .as_deref(),
        Some("Something went wrong — reload")
    );
    let href = panel
        .query_selector("a")
        .ok()
        .flatten()
        .and_then(|a| a.get_attribute("href"))
        .unwrap_or_default();
    assert!(href.ends_with("/claude-code/lines"), "{href}");
    assert!(
        mount.query_selector(".cca-nav").ok().flatten().is_none(),
        "the app is gone"
    );
    // The panel keeps the app's theme class, so it is drawn in the app's colours.
    assert_eq!(panel.class_name(), "cca-root cca-theme-auto cca-crash");
    drop(handle);
    mount.remove();
}

#[wasm_bindgen_test]
fn the_resolution_query_matches_the_current_pixel_ratio() {
    let window = web_sys::window().expect("window");
    let query = cca::hooks::canvas_size::resolution_query(window.device_pixel_ratio());
    let list = window
        .match_media(&query)
        .expect("a valid media query")
        .expect("a MediaQueryList");
    assert!(list.matches(), "{query}");
    let other = cca::hooks::canvas_size::resolution_query(window.device_pixel_ratio() + 0.5);
    let list = window.match_media(&other).expect("valid").expect("a list");
    assert!(!list.matches(), "{other}");
}

/// The team filter folds non-ASCII text with JS in the browser (the wasm
/// leaves Rust's case tables out): it must agree with Rust's mapping.
#[wasm_bindgen_test]
fn case_folding_in_the_browser_matches_rusts() {
    for text in [
        "ÉLODIE@EXAMPLE.COM",
        "ΟΔΟΣ",
        "İstanbul-Key",
        "Straße",
        "ǅemal",
        "ASCII.Only",
    ] {
        assert_eq!(
            cca::case_fold::fold_case(text),
            text.to_lowercase(),
            "{text}"
        );
    }
}

/// Counts, in the page, the `change` listeners on media query lists and the
/// observing `ResizeObserver`s, every media query list made, and the errors
/// that reach the window (a panic or a call into a dropped closure inside an
/// event handler ends up there).
fn install_watch_counters() {
    js_sys::Function::new_no_args(
        r#"
        if (window.__ccaWatch) return;
        const w = { lists: [], listeners: new Map(), observers: 0, errors: 0 };
        window.__ccaWatch = w;
        window.addEventListener('error', () => { w.errors += 1; });
        const matchMedia = window.matchMedia.bind(window);
        window.matchMedia = (query) => { const list = matchMedia(query); w.lists.push(list); return list; };
        const add = MediaQueryList.prototype.addEventListener;
        const remove = MediaQueryList.prototype.removeEventListener;
        MediaQueryList.prototype.addEventListener = function (type, listener, options) {
            if (type === 'change') {
                if (!w.listeners.has(this)) w.listeners.set(this, new Set());
                w.listeners.get(this).add(listener);
            }
            return add.call(this, type, listener, options);
        };
        MediaQueryList.prototype.removeEventListener = function (type, listener, options) {
            if (type === 'change' && w.listeners.has(this)) w.listeners.get(this).delete(listener);
            return remove.call(this, type, listener, options);
        };
        const Observer = window.ResizeObserver;
        window.ResizeObserver = class extends Observer {
            observe(target, options) {
                if (!this.observing) { this.observing = true; w.observers += 1; }
                return super.observe(target, options);
            }
            disconnect() {
                if (this.observing) { this.observing = false; w.observers -= 1; }
                return super.disconnect();
            }
        };
        "#,
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .expect("install the counters");
}

/// (media query `change` listeners, observing ResizeObservers, window errors).
fn watch_counts() -> (u32, u32, u32) {
    let counts = js_sys::Function::new_no_args(
        "const w = window.__ccaWatch; let n = 0; for (const set of w.listeners.values()) n += set.size; return [n, w.observers, w.errors];",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .expect("read the counters");
    let counts = js_sys::Array::from(&counts);
    let at = |i| counts.get(i).as_f64().unwrap_or(-1.0) as u32;
    (at(0), at(1), at(2))
}

/// What the browser does when devicePixelRatio changes (moving to another
/// screen, zooming): the new ratio, then `change` on the media query lists.
fn change_device_pixel_ratio(ratio: f64) {
    set_device_pixel_ratio(ratio);
    js_sys::Function::new_no_args(
        "for (const list of window.__ccaWatch.lists.slice()) list.dispatchEvent(new Event('change'));",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .expect("dispatch change");
}

#[wasm_bindgen_test]
async fn an_unmounted_chart_stops_watching_its_size_and_pixel_ratio() {
    install_watch_counters();
    set_device_pixel_ratio(1.0);
    let (listeners, observers, errors) = watch_counts();
    let parent = chart_container(500);
    let handle = mount_chart(&parent, dual_axis_spec());
    until("the first draw", || redraws(&parent) >= 1).await;
    let (mounted_listeners, mounted_observers, _) = watch_counts();
    assert_eq!(mounted_listeners, listeners + 1, "one pixel-ratio listener");
    assert_eq!(mounted_observers, observers + 1, "one resize observer");

    // While mounted, a ratio change redraws at the new ratio, and the watch
    // moves to a query for it: still exactly one listener.
    let before = redraws(&parent);
    change_device_pixel_ratio(2.0);
    until("a redraw at ratio 2", || redraws(&parent) > before).await;
    let canvas = main_canvas(&parent);
    let css_width = canvas.get_bounding_client_rect().width();
    assert_eq!(f64::from(canvas.width()), (css_width * 2.0).round());
    assert_eq!(
        watch_counts().0,
        listeners + 1,
        "the listener moved, not added"
    );

    drop(handle);
    assert_eq!(
        watch_counts(),
        (listeners, observers, errors),
        "nothing left listening once the chart is gone"
    );
    // The ratio changes and the window resizes after the chart is gone.
    change_device_pixel_ratio(3.0);
    web_sys::window()
        .expect("window")
        .dispatch_event(&web_sys::Event::new("resize").expect("event"))
        .expect("resize");
    parent
        .style()
        .set_property("width", "300px")
        .expect("width");
    sleep_ms(100).await;
    assert_eq!(watch_counts().2, errors, "no error, no call into the chart");
    set_device_pixel_ratio(1.0);
    parent.remove();
}
