//! The team table's view (sort, filter) and page in the URL: read from the
//! query, written back to it, so that a reload or a shared link shows the
//! same rows.
//!
//! History: a choice (a sort, a kind, a page, a month, clearing the filter)
//! is a new entry, so Back undoes it. Typing is one entry per filter: the
//! first character of a filter adds an entry, the next keystrokes replace
//! it, so Back returns to the table as it was before the filter rather than
//! one letter at a time. No write scrolls: the table stays where the reader
//! is.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use crate::hooks::set_query::{use_set_query, Entry};
use crate::team_view::{page_from_query, with_params, TeamView, PAGE};

/// The URL's parameter changes: `None` removes a parameter.
pub type Changes = Vec<(&'static str, Option<String>)>;

/// The team view and page in the URL, and a writer for them.
#[derive(Clone, Copy)]
pub struct UseTeamView {
    pub view: Memo<TeamView>,
    /// The page asked for (from 0), which may be past the end.
    pub page: Memo<usize>,
    write: Callback<(Changes, Entry)>,
    show_spend: bool,
}

impl UseTeamView {
    /// Shows `view` on page `page`: every view parameter is written or
    /// removed, `more` (the month) changed too.
    pub fn show(&self, view: &TeamView, page: usize, more: Changes, entry: Entry) {
        let mut changes = more;
        changes.extend(view.params(self.show_spend, page));
        self.write.run((changes, entry));
    }

    /// Shows `view` from its first page: a new sort, filter or month.
    /// `typing` is a keystroke in the filter field.
    pub fn restart(&self, view: &TeamView, more: Changes, typing: bool) {
        // Only while a filter is being typed does a keystroke replace the
        // entry; its first character adds one.
        let replace = typing && self.view.with_untracked(|v| !v.filter.text.is_empty());
        let entry = if replace {
            Entry::Replace
        } else {
            Entry::InPlace
        };
        self.show(view, 0, more, entry);
    }
}

/// Reads the team view and page from the URL; `show_spend` says whether
/// sorting by spend is open to the viewer.
pub fn use_team_view(show_spend: bool) -> UseTeamView {
    let query = use_query_map();
    let view =
        Memo::new(move |_| query.with(|q| TeamView::from_query(|k| q.get_str(k), show_spend)));
    let page = Memo::new(move |_| query.with(|q| page_from_query(q.get_str(PAGE))));
    let location = use_location();
    let set_query = use_set_query();
    let write = Callback::new(move |(changes, entry): (Changes, Entry)| {
        let next = with_params(&location.search.get_untracked(), &changes);
        set_query(&next, entry);
    });
    UseTeamView {
        view,
        page,
        write,
        show_spend,
    }
}
