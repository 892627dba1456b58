//! The team table's view (sort, filter, page) and month in the URL: read
//! from the query, written back to it, so that a reload or a shared link
//! shows the same rows.
//!
//! History: a choice (a sort, a kind, a page, a month, clearing the filter)
//! is a new entry, so Back undoes it; typing in the filter is one entry per
//! burst of typing (the first keystroke adds it, the next ones replace it),
//! so Back leaves the filter as it was before the typing rather than one
//! letter at a time. No write scrolls the page: the table stays where the
//! reader is.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::paths::strip_base;
use crate::state::AppContext;
use crate::team_view::{with_params, TeamView};

/// How a write enters the browser's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A new entry: Back returns to the view before.
    Push,
    /// One entry for a burst of typing (see the module's doc).
    Typing,
}

/// The URL's parameter changes: `None` removes a parameter.
pub type Changes = Vec<(&'static str, Option<String>)>;

/// The team view in the URL, and a writer for it.
#[derive(Clone, Copy)]
pub struct UseTeamView {
    pub view: Memo<TeamView>,
    write: Callback<(Changes, Entry)>,
}

impl UseTeamView {
    /// Shows `view` (every parameter it has, written or removed).
    pub fn show(&self, view: &TeamView, show_spend: bool, entry: Entry) {
        self.write.run((view.params(show_spend).to_vec(), entry));
    }

    /// Makes other changes (the month).
    pub fn change(&self, changes: Changes) {
        self.write.run((changes, Entry::Push));
    }
}

/// Reads the team view from the URL; `show_spend` says whether sorting by
/// spend is open to the viewer.
pub fn use_team_view(show_spend: bool) -> UseTeamView {
    let query = use_query_map();
    let view =
        Memo::new(move |_| query.with(|q| TeamView::from_query(|k| q.get_str(k), show_spend)));
    let location = use_location();
    let navigate = use_navigate();
    let base = AppContext::expect().config.router_base.clone();
    // The query the last keystroke wrote: while the URL still holds it, the
    // next keystroke replaces that entry.
    let typed = StoredValue::new(None::<String>);
    let write = Callback::new(move |(changes, entry): (Changes, Entry)| {
        let next = query
            .with_untracked(|q| with_params(q.latest_values().map(|(k, v)| (&**k, v)), &changes));
        let current = location.search.get_untracked();
        let replace = entry == Entry::Typing
            && typed.with_value(|t| t.as_deref() == Some(current.trim_start_matches('?')));
        typed.set_value((entry == Entry::Typing).then(|| next.clone()));
        // `navigate` puts the router base in front of the path again.
        let path = strip_base(&base, &location.pathname.get_untracked());
        let url = if next.is_empty() {
            path
        } else {
            format!("{path}?{next}")
        };
        navigate(
            &url,
            NavigateOptions {
                replace,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });
    UseTeamView { view, write }
}
