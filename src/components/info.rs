//! A small "?" button that shows a metric's definition on hover, focus and
//! tap, moved sideways where it would leave the screen.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The gap kept between a definition and the screen's edge (CSS pixels).
const EDGE: f64 = 8.0;

/// Centred under its "?" by the stylesheet, a definition near the edge of a
/// phone's screen would be half off it: measured when it shows (hover,
/// focus, tap: the stylesheet has shown it by the time the event is
/// handled) and moved sideways. A plain function of the event's button, one
/// copy for every "?".
fn keep_on_screen(button: Option<web_sys::EventTarget>) {
    let Some(tip) = button
        .and_then(|b| b.dyn_into::<web_sys::Element>().ok())
        .and_then(|b| b.last_element_child())
    else {
        return;
    };
    let _ = tip.remove_attribute("style");
    let rect = tip.get_bounding_client_rect();
    let width = document()
        .document_element()
        .map_or(0.0, |e| f64::from(e.client_width()));
    let shift = if rect.left() < EDGE {
        EDGE - rect.left()
    } else if rect.right() > width - EDGE {
        (width - EDGE - rect.right()).max(EDGE - rect.left())
    } else {
        0.0
    };
    if shift != 0.0 {
        // Whole pixels: formatting a float would bring Rust's float printing
        // into the wasm (about 7 KiB).
        let px = shift.round() as i32;
        let _ = tip.set_attribute("style", &format!("--cca-tip-shift:{px}px"));
    }
}

#[component]
pub fn InfoTip(#[prop(into)] label: String, #[prop(into)] text: String) -> impl IntoView {
    view! {
        <button
            type="button"
            class="cca-info"
            aria-label=format!("About {label}")
            on:pointerenter=|e| keep_on_screen(e.current_target())
            on:focusin=|e| keep_on_screen(e.current_target())
        >
            "?"
            <span class="cca-info__text" role="tooltip">{text}</span>
        </button>
    }
}
