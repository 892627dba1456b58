//! A small "?" button that shows a metric's definition on hover, focus and
//! tap, moved sideways where it would leave the screen.

use leptos::html::Span;
use leptos::prelude::*;

/// The gap kept between a definition and the screen's edge (CSS pixels).
const EDGE: f64 = 8.0;

#[component]
pub fn InfoTip(#[prop(into)] label: String, #[prop(into)] text: String) -> impl IntoView {
    let tip = NodeRef::<Span>::new();
    // Centred under the "?" by the stylesheet; a "?" near the edge of a
    // phone's screen would put half of it off screen. Measured when it
    // shows (hover, focus, tap: the stylesheet has shown it by then).
    let keep_on_screen = move || {
        let Some(tip) = tip.get_untracked() else {
            return;
        };
        let style = web_sys::HtmlElement::style(&tip);
        let _ = style.remove_property("--cca-tip-shift");
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
            let _ = style.set_property("--cca-tip-shift", &format!("{shift:.0}px"));
        }
    };
    view! {
        <button
            type="button"
            class="cca-info"
            aria-label=format!("About {label}")
            on:pointerenter=move |_| keep_on_screen()
            on:focusin=move |_| keep_on_screen()
        >
            "?"
            <span class="cca-info__text" role="tooltip" node_ref=tip>{text}</span>
        </button>
    }
}
