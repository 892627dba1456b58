//! A range's usage from wherever the API offers it: pages load and read
//! ranges through these three hooks only. When `/v1/me` says the API sums
//! ranges up itself (the project's server), a range is one summary
//! ([`crate::hooks::summary_load`]); otherwise (the console's API, the demo)
//! it is every raw record, one request per day ([`crate::hooks::range_load`],
//! [`crate::hooks::aggregates`]). The figures are the same either way.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;

use crate::case_fold::fold_case;
use crate::format::spend_text;
use crate::hooks::aggregates::{member_rows, use_aggregates};
use crate::hooks::range_load::{use_range_load, Lane, Progress, RangeLoad};
use crate::hooks::summary_load::use_summary_load;
use crate::model::aggregate::{aggregate, Aggregates};
use crate::model::dates::DateRange;
use crate::state::session::Session;
use crate::state::AppContext;
use crate::team_table::TeamRow;

/// Whether this page reads summaries (decided once: a page exists only once
/// the viewer, and so the API's capabilities, are known).
fn summaries_offered() -> bool {
    Session::expect().summaries_offered()
}

/// Who answers this page's requests, for messages: `"the server"` (the
/// project's, which sums ranges up) or `"the console API"`.
pub fn answering_api() -> &'static str {
    if summaries_offered() {
        "the server"
    } else {
        "the console API"
    }
}

/// Loads `range` whenever it changes (see [`use_range_load`]).
pub fn use_usage_load(range: Signal<DateRange>, lane: Lane) -> RangeLoad {
    let load = if summaries_offered() {
        use_summary_load(range, lane)
    } else {
        use_range_load(range, lane)
    };
    count_while_unsettled(load);
    load
}

/// Counts `load` in the app's unsettled loads while it is loading, until it
/// is unmounted.
fn count_while_unsettled(load: RangeLoad) {
    let unsettled = AppContext::expect().unsettled_loads;
    // Not a reactive value: the cleanup reads it after the page's own
    // reactive values may be gone.
    let counted = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&counted);
    Effect::new(move |_| {
        let loading = load.progress.with(Progress::is_loading);
        if seen.swap(loading, Ordering::Relaxed) != loading {
            unsettled.update(|n| *n = if loading { *n + 1 } else { n.saturating_sub(1) });
        }
    });
    on_cleanup(move || {
        if counted.swap(false, Ordering::Relaxed) {
            unsettled.try_update(|n| *n = n.saturating_sub(1));
        }
    });
}

/// Whether every load of the mounted page has settled (its range, and what
/// it compares with or adds up) and its figures are added up; sets [`crate::perf::PAGE_LOADED`] the first
/// time it has.
pub fn use_page_settled() -> Memo<bool> {
    let ctx = AppContext::expect();
    let (unsettled, pending) = (ctx.unsettled_loads, ctx.figures_pending);
    let settled = Memo::new(move |_| unsettled.get() == 0 && pending.get() == 0);
    Effect::new(move |_| {
        if settled.get() {
            crate::perf::mark_once(crate::perf::PAGE_LOADED);
        }
    });
    settled
}

/// Which summary `range` has (its range and stamp): changes only when that
/// range's summary does, so the figures made from it are not made again
/// when another range's summary arrives (a previous period, a month).
fn use_summary_stamp(range: Signal<DateRange>) -> Memo<(DateRange, Option<u64>)> {
    let summaries = AppContext::expect().summaries;
    Memo::new(move |_| {
        let range = range.get();
        (range, summaries.stamp(range))
    })
}

/// The aggregates of a range, recomputed only when the range or what is
/// loaded of it changes.
pub fn use_range_aggregates(range: Signal<DateRange>) -> Memo<Aggregates> {
    if !summaries_offered() {
        return use_aggregates(range);
    }
    let summaries = AppContext::expect().summaries;
    let stamp = use_summary_stamp(range);
    Memo::new(move |_| {
        let (range, _) = stamp.get();
        match summaries.get(range) {
            Some(summary) => summary.aggregates_over(range),
            None => aggregate(range, |_| None),
        }
    })
}

/// One row per member over `range`.
pub fn use_member_rows(range: Signal<DateRange>) -> Memo<Vec<TeamRow>> {
    if !summaries_offered() {
        return member_rows(range);
    }
    let summaries = AppContext::expect().summaries;
    let stamp = use_summary_stamp(range);
    Memo::new(move |_| {
        let (range, _) = stamp.get();
        let Some(summary) = summaries.get(range) else {
            return Vec::new();
        };
        summary
            .actor_totals()
            .iter()
            .map(|t| TeamRow::from_totals(t, spend_text(&t.spend), fold_case))
            .collect()
    })
}
