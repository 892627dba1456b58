//! A small "?" button that shows a metric's definition on hover and focus.

use leptos::prelude::*;

#[component]
pub fn InfoTip(#[prop(into)] label: String, #[prop(into)] text: String) -> impl IntoView {
    view! {
        <button type="button" class="cca-info" aria-label=format!("About {label}")>
            "?"
            <span class="cca-info__text" role="tooltip">{text}</span>
        </button>
    }
}
