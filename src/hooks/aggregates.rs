//! A range's aggregates from the day store.

use leptos::prelude::*;

use crate::model::aggregate::{aggregate, Aggregates};
use crate::model::dates::DateRange;
use crate::state::AppContext;

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
