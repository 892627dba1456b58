//! A headline card: a figure, its change against the previous period, and a
//! link to the page that explains it.

use leptos::prelude::*;

use crate::components::info::InfoTip;
use crate::components::status::PageLoading;

/// Which way a change points, for colour (not every rise is good news:
/// spend going up is shown neutral).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Up,
    Down,
    Flat,
    Neutral,
    /// A figure where less is better (a cost per unit) fell: good news.
    Better,
    /// Such a figure rose.
    Worse,
}

#[component]
pub fn MetricCard(
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    /// Text of the change, e.g. "+12.3% vs Nov 1 – Nov 30", for a card
    /// that compares periods. Its line is there before the text (which needs
    /// the previous period), so the card does not grow when it comes.
    #[prop(optional, into)]
    change: Option<Signal<Option<(String, Trend)>>>,
    /// A line under the figure, e.g. why there is none ("No commits by
    /// Claude Code in this range"; empty when there is nothing to say);
    /// shown once the range has loaded.
    #[prop(optional, into)]
    note: Option<Signal<String>>,
    #[prop(into)] definition: String,
    /// Where the card links; `None` when the viewer may not see that page.
    #[prop(optional_no_strip)]
    href: Option<String>,
    #[prop(into)] metric: String,
) -> impl IntoView {
    let change_view = change.map(|change| {
        let class = move || match change.get() {
            Some((_, Trend::Up | Trend::Better)) => "cca-card__change cca-card__change--up",
            Some((_, Trend::Down | Trend::Worse)) => "cca-card__change cca-card__change--down",
            _ => "cca-card__change",
        };
        let text = move || change.get().map(|(text, _)| text);
        view! { <span class=class>{text}</span> }
    });
    // A sum over part of the range is not the range's figure: a placeholder
    // until every day is in (a partial "0" or "$0.00" reads as a fact).
    let loading = PageLoading::range_loading();
    let shown = move || {
        if loading() {
            view! { <span class="cca-skeleton cca-skeleton--value"></span> }.into_any()
        } else {
            value.get().into_any()
        }
    };
    let note_view = note.map(|note| {
        let text = move || if loading() { String::new() } else { note.get() };
        view! { <span class="cca-card__note">{text}</span> }
    });
    let title = match href {
        Some(href) => view! { <a class="cca-card__link" href=href>{label.clone()}</a> }.into_any(),
        None => view! { <span>{label.clone()}</span> }.into_any(),
    };
    view! {
        <div class="cca-card" data-metric=metric>
            <span class="cca-card__label">{title} <InfoTip label=label text=definition /></span>
            <span class="cca-card__value" aria-busy=move || loading().then_some("true")>
                {shown}
            </span>
            {note_view}
            {change_view}
        </div>
    }
}
