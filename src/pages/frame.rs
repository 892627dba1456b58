//! What every metric page shares: the range in the URL, loading it (and the
//! previous period), progress, failures with Retry, empty and loading states.

use leptos::prelude::*;

use crate::api::loader::{use_range_load, Lane, Progress, RangeLoad};
use crate::app::AppContext;
use crate::components::charts::spec::ChartSpec;
use crate::components::range::{use_range, LoadProgress, RangeControl, RangeState};
use crate::components::status::PageLoading;
use crate::format;
use crate::model::aggregate::{aggregate, Aggregates};
use crate::model::dates::DateRange;

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

/// A page's data: the selected range loaded and aggregated.
#[derive(Clone, Copy)]
pub struct PageData {
    pub range: RangeState,
    pub load: RangeLoad,
    pub current: Memo<Aggregates>,
    /// Today (UTC): the day that is not over yet.
    pub today: chrono::NaiveDate,
}

impl PageData {
    /// A chart of the current range built by `build`, with today marked as
    /// a partial day.
    pub fn chart(self, build: fn(&Aggregates) -> ChartSpec) -> Signal<ChartSpec> {
        let today = self.today;
        Signal::derive(move || self.current.with(|a| build(a).with_partial_day(today)))
    }
}

/// Loads the URL's range for a page.
pub fn use_page_data() -> PageData {
    let ctx = AppContext::expect();
    let range = use_range(ctx.today);
    let range_signal: Signal<DateRange> = range.range.into();
    let load = use_range_load(ctx.store, range_signal, Lane::Page);
    load.mark_when_settled();
    PageData {
        range,
        load,
        current: use_aggregates(range_signal),
        today: ctx.today,
    }
}

/// The previous period of equal length, loaded and aggregated too.
pub fn use_previous(data: PageData) -> (RangeLoad, Memo<Aggregates>) {
    let ctx = AppContext::expect();
    let previous = Signal::derive(move || data.range.range.get().previous());
    (
        use_range_load(ctx.store, previous, Lane::Background),
        use_aggregates(previous),
    )
}

/// Where a page's data stands, for choosing what to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataStatus {
    /// Nothing loaded yet.
    Loading,
    /// Every day failed.
    Failed,
    /// Loaded (maybe partly) but no usage at all.
    Empty,
    Ready,
}

pub fn data_status(data: &PageData) -> DataStatus {
    let progress = data.load.progress.get();
    data.current.with(|agg| {
        let t = &agg.totals;
        if t.days_loaded == 0 && progress.is_loading() {
            DataStatus::Loading
        } else if t.days_loaded == 0 && progress.failed > 0 {
            DataStatus::Failed
        } else if t.active_user_days == 0 && !progress.is_loading() {
            DataStatus::Empty
        } else if t.days_loaded == 0 {
            DataStatus::Loading
        } else {
            DataStatus::Ready
        }
    })
}

/// What a page shows below its toolbar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    /// The page's own content: loading (under the skeleton) or ready.
    Content,
    Failed,
    Empty,
}

/// Title, lead, range control, progress and failures around a page's body.
///
/// While the first day is on the way the body is already built and laid out,
/// hidden under the loading skeleton: when the data comes, the cards' text and
/// the charts' drawings change in place, with no build or layout of a new
/// body on the way to the first chart (docs/benchmarks.md).
#[component]
pub fn PageFrame(
    #[prop(into)] title: String,
    #[prop(into)] lead: String,
    data_page: &'static str,
    data: PageData,
    children: ChildrenFn,
) -> impl IntoView {
    let ctx = AppContext::expect();
    let status = Memo::new(move |_| data_status(&data));
    let loading = Memo::new(move |_| status.get() == DataStatus::Loading);
    let range_loading = Memo::new(move |_| data.load.progress.with(Progress::is_loading));
    provide_context(PageLoading {
        first_day: loading,
        range: range_loading,
    });
    let kind = Memo::new(move |_| match status.get() {
        DataStatus::Loading | DataStatus::Ready => BodyKind::Content,
        DataStatus::Failed => BodyKind::Failed,
        DataStatus::Empty => BodyKind::Empty,
    });
    let body = move || match kind.get() {
        BodyKind::Content => view! {
            <div class="cca-page__body">
                {move || loading.get().then(|| view! { <LoadingSkeleton /> })}
                <div class="cca-page__content" aria-hidden=move || loading.get().then_some("true")>
                    {children()}
                </div>
            </div>
        }
        .into_any(),
        BodyKind::Failed => view! { <FailedPanel data=data /> }.into_any(),
        BodyKind::Empty => view! {
            <div class="cca-panel cca-empty" role="status">
                <h2>"No usage in this range"</h2>
                <p>"Nobody used Claude Code on these days. Try a longer range."</p>
            </div>
        }
        .into_any(),
    };
    view! {
        <section
            class="cca-page"
            data-page=data_page
            data-progress=move || data.load.progress.with(Progress::settled_of_total)
        >
            <div class="cca-page__head">
                <div>
                    <h1 class="cca-page__title">{title}</h1>
                    <p class="cca-page__lead">{lead}</p>
                </div>
            </div>
            <div class="cca-toolbar">
                <RangeControl state=data.range today=ctx.today />
            </div>
            <div class="cca-status-line">
                <p class="cca-note cca-range-note">
                    {move || format!("{} · days are UTC", format::range_label(data.range.range.get()))}
                </p>
                <LoadProgress progress=data.load.progress />
            </div>
            <PartialFailures data=data />
            {body}
        </section>
    }
}

/// Some days failed while others loaded: name them, offer Retry.
#[component]
fn PartialFailures(data: PageData) -> impl IntoView {
    move || {
        let failures = data.load.failures.get();
        let any_loaded = data.current.with(|a| a.totals.days_loaded > 0);
        (!failures.is_empty() && any_loaded).then(|| {
            let days = failures
                .iter()
                .take(6)
                .map(|f| format::short_date(f.day))
                .collect::<Vec<_>>()
                .join(", ");
            let more = failures.len().saturating_sub(6);
            let reason = failures
                .first()
                .map(|f| f.error.to_string())
                .unwrap_or_default();
            let count = failures.len();
            view! {
                <div class="cca-panel cca-panel--error cca-failures" role="alert">
                    <p>
                        {format!(
                            "{} could not be loaded: {days}{}. {reason} The charts leave {} out.",
                            format::days(count),
                            if more > 0 { format!(" and {more} more") } else { String::new() },
                            if count == 1 { "it" } else { "them" },
                        )}
                    </p>
                    <button type="button" class="cca-button" on:click=move |_| data.load.retry()>
                        "Retry failed days"
                    </button>
                </div>
            }
        })
    }
}

/// Every day failed.
#[component]
fn FailedPanel(data: PageData) -> impl IntoView {
    let reason = move || {
        data.load
            .failures
            .with(|f| f.first().map(|f| f.error.to_string()))
            .unwrap_or_default()
    };
    view! {
        <div class="cca-panel cca-panel--error cca-load-error" role="alert">
            <h2>"Usage could not be loaded"</h2>
            <p>{reason}</p>
            <button type="button" class="cca-button" on:click=move |_| data.load.retry()>
                "Retry"
            </button>
        </div>
    }
}

#[component]
fn LoadingSkeleton() -> impl IntoView {
    view! {
        <div class="cca-loading" aria-busy="true" aria-label="Loading">
            <div class="cca-cards">
                {(0..4)
                    .map(|_| view! {
                        <div class="cca-card">
                            <div class="cca-skeleton cca-skeleton--label"></div>
                            <div class="cca-skeleton cca-skeleton--value"></div>
                        </div>
                    })
                    .collect_view()}
            </div>
            <div class="cca-skeleton cca-skeleton--chart"></div>
        </div>
    }
}
