//! Writing the URL's query: the range control and the team page go through
//! this one navigation (one copy of it in the wasm).

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use crate::paths::strip_base;
use crate::state::AppContext;

/// How a query enters the browser's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A new entry, scrolled to the top: a new range is a new page to read.
    Page,
    /// A new entry where the reader is (the team table's sort, kind, page).
    InPlace,
    /// Replaces the current entry where the reader is (typing a filter).
    Replace,
}

/// Navigates to the current page with `query` as its whole query string
/// (nothing after the path when it is empty).
pub fn use_set_query() -> impl Fn(&str, Entry) + Clone + 'static {
    let location = use_location();
    let navigate = use_navigate();
    let base = AppContext::expect().config.router_base.clone();
    move |query: &str, entry: Entry| {
        // `navigate` puts the router base in front of the path again.
        let path = strip_base(&base, &location.pathname.get_untracked());
        let url = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        navigate(
            &url,
            NavigateOptions {
                replace: entry == Entry::Replace,
                scroll: entry == Entry::Page,
                ..NavigateOptions::default()
            },
        );
    }
}
