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
    document().body().expect("body").append_child(&el).expect("append");
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
        ["Overview", "Lines of code", "Accept rate", "Activity", "Spend", "Team"]
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
