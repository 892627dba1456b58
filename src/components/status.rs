//! Loading, empty and error states shared by every page.

use leptos::prelude::*;

/// Shown instead of the app when the host's config cannot be used.
#[component]
pub fn ConfigErrorPanel(message: String) -> impl IntoView {
    view! {
        <div class="cca-root cca-theme-auto">
            <div class="cca-panel cca-panel--error" role="alert">
                <h2>"Claude Code Analytics could not start"</h2>
                <p>"The page's analytics configuration is not valid: " {message}</p>
                <p>"Ask the page's administrator to fix the configuration."</p>
            </div>
        </div>
    }
}
