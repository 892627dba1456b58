//! A headline card: a figure, its change against the previous period, and a
//! link to the page that explains it.

use leptos::prelude::*;

use crate::components::info::InfoTip;

/// Which way a change points, for colour (not every rise is good news:
/// spend going up is shown neutral).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Up,
    Down,
    Flat,
    Neutral,
}

#[component]
pub fn MetricCard(
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    /// Text of the change, e.g. "+12.3% vs previous 30 days".
    #[prop(into)]
    change: Signal<Option<(String, Trend)>>,
    #[prop(into)] definition: String,
    /// Where the card links; `None` when the viewer may not see that page.
    #[prop(optional_no_strip)]
    href: Option<String>,
    #[prop(into)] metric: String,
) -> impl IntoView {
    let change_view = move || {
        change.get().map(|(text, trend)| {
            let class = match trend {
                Trend::Up => "cca-card__change cca-card__change--up",
                Trend::Down => "cca-card__change cca-card__change--down",
                Trend::Flat | Trend::Neutral => "cca-card__change",
            };
            view! { <span class=class>{text}</span> }
        })
    };
    let title = match href {
        Some(href) => view! { <a class="cca-card__link" href=href>{label.clone()}</a> }.into_any(),
        None => view! { <span>{label.clone()}</span> }.into_any(),
    };
    view! {
        <div class="cca-card" data-metric=metric>
            <span class="cca-card__label">{title} <InfoTip label=label text=definition /></span>
            <span class="cca-card__value">{move || value.get()}</span>
            {change_view}
        </div>
    }
}
