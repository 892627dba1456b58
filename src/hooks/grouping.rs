//! How a page's charts group their days: `?group=day|week|month` in the URL
//! (so a choice survives a reload and travels with a shared link), resolved
//! against the range (an option the range does not offer, or none, gives the
//! range's default: [`Grouping::resolve`]), and written back keeping the
//! rest of the query.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::range::use_set_query;
use crate::model::dates::DateRange;
use crate::model::grouping::Grouping;

/// The query parameter holding the choice.
pub const PARAM: &str = "group";

/// A page's grouping: what its charts show and what its control offers.
#[derive(Clone, Copy)]
pub struct GroupingState {
    pub chosen: Memo<Grouping>,
    /// The groupings that make sense for the range, in order.
    pub offered: Memo<Vec<Grouping>>,
    /// Puts a choice in the URL.
    pub choose: Callback<Grouping>,
}

/// The grouping of the page showing `range`.
pub fn use_grouping(range: Memo<DateRange>) -> GroupingState {
    let query = use_query_map();
    let chosen = Memo::new(move |_| {
        let range = range.get();
        query.with(|q| Grouping::resolve(q.get_str(PARAM), range))
    });
    let offered = Memo::new(move |_| Grouping::offered(range.get()));
    let set_query = use_set_query();
    let choose = Callback::new(move |grouping: Grouping| {
        let mut params = query.get_untracked();
        // The range's own default needs no parameter: the link stays short,
        // and another range chosen later gets its own default.
        if grouping == Grouping::default_for(range.get_untracked()) {
            params.remove(PARAM);
        } else {
            params.replace(PARAM, grouping.key().to_owned());
        }
        set_query(params.to_query_string().trim_start_matches('?'));
    });
    GroupingState {
        chosen,
        offered,
        choose,
    }
}
