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

/// Provided by a page while its data is on the way. Its content is already
/// built and laid out (hidden under the loading skeleton) before the first
/// day comes, so charts know their size when the data comes; they wait for it
/// to draw.
#[derive(Clone, Copy)]
pub struct PageLoading {
    /// No day of the range is in yet.
    pub first_day: Memo<bool>,
    /// Days of the range are still arriving (each publish redraws the page).
    pub range: Memo<bool>,
}

impl PageLoading {
    /// Whether the enclosing page (if any) still waits for its first day; tracked.
    pub fn is_loading() -> impl Fn() -> bool + Copy {
        let context = use_context::<PageLoading>();
        move || context.is_some_and(|loading| loading.first_day.get())
    }

    /// Whether days of the enclosing page's range are still on the way; tracked.
    pub fn range_loading() -> impl Fn() -> bool + Copy {
        let context = use_context::<PageLoading>();
        move || context.is_some_and(|loading| loading.range.get())
    }

    /// Whether more days of the enclosing page's range are on the way; untracked.
    pub fn more_days_coming() -> impl Fn() -> bool + Copy {
        let context = use_context::<PageLoading>();
        move || context.is_some_and(|loading| loading.range.get_untracked())
    }
}
