//! What the loaded days add up to over a range: its aggregates (every
//! chart and card) and one row per member (the team table, top members).

use leptos::prelude::*;

use crate::case_fold::fold_case;
use crate::format::spend_text;
use crate::model::aggregate::{aggregate, Aggregates};
use crate::model::dates::DateRange;
use crate::model::team::actor_totals;
use crate::state::AppContext;
use crate::team_table::TeamRow;

/// The aggregates of a range, recomputed only when the range or the loaded
/// days change (memoized, never per render).
pub fn use_aggregates(range: Signal<DateRange>) -> Memo<Aggregates> {
    let store = AppContext::expect().store;
    Memo::new(move |_| {
        store.track();
        let range = range.get();
        store
            .with_days(|days| aggregate(range, |d| days.get(&d).map(|r| &r[..])))
            .unwrap_or_else(|| aggregate(range, |_| None))
    })
}

/// One row per member over `range`, from whatever days the store holds.
pub fn member_rows(range: Signal<DateRange>) -> Memo<Vec<TeamRow>> {
    let store = AppContext::expect().store;
    Memo::new(move |_| {
        store.track();
        let range = range.get();
        store
            .with_days(|days| {
                let records = range
                    .days()
                    .filter_map(|d| days.get(&d))
                    .flat_map(|r| r.iter());
                actor_totals(range, records)
                    .iter()
                    .map(|t| TeamRow::from_totals(t, spend_text(&t.spend), fold_case))
                    .collect()
            })
            .unwrap_or_default()
    })
}
