//! The frame around every page with data: title, lead, a toolbar, the range
//! note and progress, failures with Retry, and the empty and loading states.
//! [`PageFrame`] is it with the range control, for the metric pages; the team
//! page puts its month and filters in the toolbar.

use leptos::prelude::*;

use crate::components::range::{LoadProgress, RangeControl};
use crate::components::status::PageLoading;
use crate::format;
use crate::hooks::page_data::{DataStatus, PageData};
use crate::hooks::range_load::{Progress, RangeLoad};
use crate::hooks::usage::{answering_api, use_page_settled};
use crate::state::AppContext;

/// What a page shows below its toolbar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    /// The page's own content: loading (under the skeleton) or ready.
    Content,
    Failed,
    Empty,
}

/// The empty state's heading and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmptyText {
    pub heading: &'static str,
    pub text: &'static str,
}

/// A metric page: [`PageShell`] with the range control and the range's note.
#[component]
pub fn PageFrame(
    #[prop(into)] title: String,
    #[prop(into)] lead: String,
    data_page: &'static str,
    data: PageData,
    children: ChildrenFn,
) -> impl IntoView {
    let today = AppContext::expect().today;
    let note = Signal::derive(move || {
        format!(
            "{} · days are UTC",
            format::range_label(data.range.range.get())
        )
    });
    view! {
        <PageShell
            title=title
            lead=lead
            data_page=data_page
            load=data.load
            status=data.status()
            note=note
            toolbar=move || view! { <RangeControl state=data.range today=today /> }
            empty=EmptyText {
                heading: "No usage in this range",
                text: "Nobody used Claude Code on these days. Try a longer range.",
            }
        >
            {children()}
        </PageShell>
    }
}

/// Title, lead, toolbar, progress and failures around a page's body.
///
/// While the first day is on the way the body is already built and laid out,
/// hidden under the loading skeleton: when the data comes, the cards' text and
/// the charts' drawings change in place, with no build or layout of a new
/// body on the way to the first chart (docs/benchmarks.md).
#[component]
pub fn PageShell(
    #[prop(into)] title: String,
    #[prop(into)] lead: Signal<String>,
    data_page: &'static str,
    load: RangeLoad,
    #[prop(into)] status: Signal<DataStatus>,
    /// The line under the toolbar: the range, and what its figures are.
    #[prop(into)]
    note: Signal<String>,
    #[prop(into)] toolbar: ViewFn,
    empty: EmptyText,
    children: ChildrenFn,
) -> impl IntoView {
    let loading = Memo::new(move |_| status.get() == DataStatus::Loading);
    let settled = use_page_settled();
    let range_loading = Memo::new(move |_| load.progress.with(Progress::is_loading));
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
        BodyKind::Failed => view! { <FailedPanel load=load /> }.into_any(),
        BodyKind::Empty => view! {
            <div class="cca-panel cca-empty" role="status">
                <h2>{empty.heading}</h2>
                <p>{empty.text}</p>
            </div>
        }
        .into_any(),
    };
    // Failures beside figures: some days loaded (the whole range failing is
    // the failed panel instead).
    let partial =
        Signal::derive(move || matches!(status.get(), DataStatus::Ready | DataStatus::Empty));
    view! {
        <section
            class="cca-page"
            data-page=data_page
            data-progress=move || load.progress.with(Progress::settled_of_total)
            data-settled=move || if settled.get() { "true" } else { "false" }
        >
            <div class="cca-page__head">
                <div>
                    <h1 class="cca-page__title">{title}</h1>
                    <p class="cca-page__lead">{lead}</p>
                </div>
            </div>
            <div class="cca-toolbar">{toolbar.run()}</div>
            <div class="cca-status-line">
                <p class="cca-note cca-range-note">{note}</p>
                <LoadProgress progress=load.progress />
            </div>
            <SlowNotice load=load />
            <PartialFailures load=load shown=partial />
            {body}
        </section>
    }
}

/// Nothing has settled for a while: name the days still waited for, say the
/// requests go on, offer Retry (which asks for them again).
#[component]
fn SlowNotice(load: RangeLoad) -> impl IntoView {
    let who = answering_api();
    move || {
        let days = load.slow.get()?;
        Some(view! {
            <div class="cca-panel cca-panel--warn cca-slow" role="status">
                <p>
                    {format!(
                        "Still waiting for {}: {who} is taking longer than usual. \
                         The page keeps waiting; Retry asks again.",
                        format::waiting_for(&days),
                    )}
                </p>
                <button type="button" class="cca-button" on:click=move |_| load.retry()>
                    "Retry"
                </button>
            </div>
        })
    }
}

/// Some days failed while others loaded: name them, offer Retry.
#[component]
fn PartialFailures(load: RangeLoad, shown: Signal<bool>) -> impl IntoView {
    move || {
        let failures = load.failures.get();
        (!failures.is_empty() && shown.get()).then(|| {
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
                            "{} could not be loaded: {days}{}. {reason} The figures leave {} out.",
                            format::days(count),
                            if more > 0 { format!(" and {more} more") } else { String::new() },
                            if count == 1 { "it" } else { "them" },
                        )}
                    </p>
                    <button type="button" class="cca-button" on:click=move |_| load.retry()>
                        "Retry failed days"
                    </button>
                </div>
            }
        })
    }
}

/// Every day failed.
#[component]
fn FailedPanel(load: RangeLoad) -> impl IntoView {
    let reason = move || {
        load.failures
            .with(|f| f.first().map(|f| f.error.to_string()))
            .unwrap_or_default()
    };
    view! {
        <div class="cca-panel cca-panel--error cca-load-error" role="alert">
            <h2>"Usage could not be loaded"</h2>
            <p>{reason}</p>
            <button type="button" class="cca-button" on:click=move |_| load.retry()>
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
