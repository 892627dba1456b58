//! How a page's charts group their days: `?group=day|week|month` in the URL
//! (so a choice survives a reload and travels with a shared link), resolved
//! against the range: an option the range does not offer, or none, gives the
//! range's default ([`Grouping::resolve`]).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::range::RangeState;
use crate::model::grouping::{choice_query, Grouping, PARAM};

/// A page's grouping: what its charts show, and what its control offers and
/// writes.
#[derive(Clone, Copy)]
pub struct GroupingState {
    pub chosen: Memo<Grouping>,
    pub range: RangeState,
    pub today: chrono::NaiveDate,
}

impl GroupingState {
    /// The groupings that make sense for the range, in order (tracked).
    pub fn offered(&self) -> Vec<Grouping> {
        Grouping::offered(self.range.range.get())
    }

    /// The URL query that chooses `grouping` for the range shown.
    pub fn query_for(&self, grouping: Grouping) -> String {
        choice_query(&self.range.selection.get_untracked(), grouping, self.today)
    }
}

/// The grouping of the page showing `range`.
pub fn use_grouping(range: RangeState, today: chrono::NaiveDate) -> GroupingState {
    let query = use_query_map();
    let chosen = Memo::new(move |_| {
        let days = range.range.get();
        query.with(|q| Grouping::resolve(q.get_str(PARAM), days))
    });
    GroupingState {
        chosen,
        range,
        today,
    }
}
