//! A range's usage from wherever the API offers it: pages load and read
//! ranges through these three hooks only. When `/v1/me` says the API sums
//! ranges up itself (the project's server), a range is one summary
//! ([`crate::hooks::summary_load`]); otherwise (the console's API, the demo)
//! it is every raw record, one request per day ([`crate::hooks::range_load`],
//! [`crate::hooks::aggregates`]). The figures are the same either way.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;

use crate::api::client::SummaryKey;
use crate::case_fold::fold_case;
use crate::format::spend_text;
use crate::hooks::aggregates::{member_rows, use_aggregates};
use crate::hooks::range_load::{use_range_load, Lane, Progress, RangeLoad};
use crate::hooks::summary_load::use_summary_load;
use crate::model::aggregate::{aggregate, Aggregates};
use crate::model::dates::DateRange;
use crate::model::member::{MemberFigures, MemberRef};
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
        use_summary_load(organization_key(range), lane)
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

/// The whole organization's summary of `range`, as a key that changes
/// with the range only.
fn organization_key(range: Signal<DateRange>) -> Memo<SummaryKey> {
    Memo::new(move |_| SummaryKey::organization(range.get()))
}

/// Which summary `key` has (the key and its stamp): changes only when that
/// key's summary does, so the figures made from it are not made again
/// when another range's summary arrives (a previous period, a month).
fn use_summary_stamp(key: Memo<SummaryKey>) -> Memo<(SummaryKey, Option<u64>)> {
    let summaries = AppContext::expect().summaries;
    Memo::new(move |_| {
        let key = key.get();
        let stamp = summaries.stamp(&key);
        (key, stamp)
    })
}

/// The aggregates of a range, recomputed only when the range or what is
/// loaded of it changes.
pub fn use_range_aggregates(range: Signal<DateRange>) -> Memo<Aggregates> {
    if !summaries_offered() {
        return use_aggregates(range);
    }
    let summaries = AppContext::expect().summaries;
    let stamp = use_summary_stamp(organization_key(range));
    Memo::new(move |_| {
        let (key, _) = stamp.get();
        match summaries.get(&key) {
            Some(summary) => summary.aggregates_over(key.range),
            None => aggregate(key.range, |_| None),
        }
    })
}

/// One row per member over `range`.
pub fn use_member_rows(range: Signal<DateRange>) -> Memo<Vec<TeamRow>> {
    if !summaries_offered() {
        return member_rows(range);
    }
    let summaries = AppContext::expect().summaries;
    let stamp = use_summary_stamp(organization_key(range));
    Memo::new(move |_| {
        let (key, _) = stamp.get();
        let Some(summary) = summaries.get(&key) else {
            return Vec::new();
        };
        summary
            .actor_totals()
            .iter()
            .map(|t| TeamRow::from_totals(t, spend_text(&t.spend), fold_case))
            .collect()
    })
}

/// One member's usage over `range`: loaded (through the server, the
/// summary of the member's records; otherwise the organization's days, which
/// other pages share) and added up.
pub fn use_member_usage(
    range: Signal<DateRange>,
    member: MemberRef,
    lane: Lane,
) -> (RangeLoad, Memo<MemberFigures>) {
    let ctx = AppContext::expect();
    // A server without the member filter answers the days instead (each
    // day of the whole organization, as the console's API does).
    if Session::expect().member_summaries_offered() {
        let key = {
            let member = member.clone();
            Memo::new(move |_| SummaryKey {
                range: range.get(),
                member: Some(member.clone()),
            })
        };
        let load = use_summary_load(key, lane);
        count_while_unsettled(load);
        let stamp = use_summary_stamp(key);
        let summaries = ctx.summaries;
        let figures = Memo::new(move |_| {
            let (key, _) = stamp.get();
            match summaries.get(&key) {
                Some(summary) => MemberFigures::from_summary(&summary, key.range, &member),
                None => MemberFigures::from_days(key.range, &member, |_| None),
            }
        });
        return (load, figures);
    }
    let load = use_range_load(range, lane);
    count_while_unsettled(load);
    let store = ctx.store;
    let figures = Memo::new(move |_| {
        store.track();
        let range = range.get();
        let days: Vec<_> = range
            .days()
            .map(|day| store.day(day).map(|(_, records)| records))
            .collect();
        MemberFigures::from_days(range, &member, |day| {
            let i = usize::try_from((day - range.start()).num_days()).ok()?;
            days.get(i)?.as_deref()
        })
    });
    (load, figures)
}
