//! Start-up in the browser: panic hook, config, mount point.
//!
//! The app mounts into `#claude-code-analytics` when the host page has it,
//! else into a `<div>` of that id appended to `<body>`. A malformed config
//! shows its error there; a panic replaces the app with a reload panel so the
//! page never freezes silently.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement};

use crate::app::App;
use crate::components::status::ConfigErrorPanel;
use crate::config::parse_config;

/// Id of the element the app mounts into.
pub const MOUNT_ID: &str = "claude-code-analytics";
/// Id of the `<script type="application/json">` holding the config.
pub const CONFIG_ID: &str = "claude-code-analytics-config";

/// Installs the panic hook, reads the config and mounts the app.
pub fn start() {
    std::panic::set_hook(Box::new(on_panic));
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(mount) = mount_element(&document) else {
        web_sys::console::error_1(&"claude-code-analytics: no <body> to mount into".into());
        return;
    };
    let config_text = document
        .get_element_by_id(CONFIG_ID)
        .and_then(|el| el.text_content());
    match parse_config(config_text.as_deref()) {
        Ok(parsed) => {
            for warning in &parsed.warnings {
                web_sys::console::warn_1(&format!("claude-code-analytics: {warning}").into());
            }
            if let Some(title) = &parsed.config.title {
                document.set_title(title);
            }
            let config = parsed.config;
            leptos::mount::mount_to(mount, move || view! { <App config=config /> }).forget();
        }
        Err(error) => {
            let message = error.to_string();
            leptos::mount::mount_to(
                mount,
                move || view! { <ConfigErrorPanel message=message /> },
            )
            .forget();
        }
    }
}

/// The host's `#claude-code-analytics`, or a new one appended to `<body>`.
fn mount_element(document: &Document) -> Option<HtmlElement> {
    if let Some(el) = document
        .get_element_by_id(MOUNT_ID)
        .and_then(|el| el.dyn_into::<HtmlElement>().ok())
    {
        return Some(el);
    }
    let body = document.body()?;
    let el = document
        .create_element("div")
        .ok()?
        .dyn_into::<HtmlElement>()
        .ok()?;
    el.set_id(MOUNT_ID);
    body.append_child(&el).ok()?;
    Some(el)
}

fn on_panic(info: &std::panic::PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        // Best effort: if the DOM refuses, the console message above remains.
        let _ = show_crash_panel(&document);
    }
}

/// The panel's classes: the app root's theme class carried over, so the
/// panel keeps the app's (and the host's) light or dark colours.
fn crash_panel_class(mount: &HtmlElement) -> String {
    let root_class = mount
        .query_selector(".cca-root")
        .ok()
        .flatten()
        .map(|root| root.class_name())
        .unwrap_or_default();
    let theme = root_class
        .split_whitespace()
        .find(|c| c.starts_with("cca-theme-"))
        .unwrap_or("cca-theme-auto");
    format!("cca-root {theme} cca-crash")
}

/// Replaces the mount element's content with a "Something went wrong" panel
/// built with DOM calls (no HTML parsing, no inline handlers: CSP-safe). The
/// reload control is a plain link to the current address, so it works even
/// though the wasm instance has stopped.
pub fn show_crash_panel(document: &Document) -> Option<()> {
    let mount = mount_element(document)?;
    let panel = document.create_element("div").ok()?;
    panel.set_class_name(&crash_panel_class(&mount));
    panel.set_attribute("role", "alert").ok()?;
    let title = document.create_element("h2").ok()?;
    title.set_text_content(Some("Something went wrong — reload"));
    let text = document.create_element("p").ok()?;
    text.set_text_content(Some(
        "The analytics view hit an unexpected error and stopped. Reloading the page starts it again.",
    ));
    let link = document.create_element("a").ok()?;
    link.set_class_name("cca-button");
    let href = web_sys::window()?.location().href().ok()?;
    link.set_attribute("href", &href).ok()?;
    link.set_text_content(Some("Reload"));
    panel.append_child(&title).ok()?;
    panel.append_child(&text).ok()?;
    panel.append_child(&link).ok()?;
    mount.set_text_content(None);
    mount.append_child(&panel).ok()?;
    Some(())
}
