//! The spend page's value view: what Claude Code costs per session, per
//! active user per day, per 1,000 accepted lines, per commit and per pull
//! request over the range, each with the compared period's value and the
//! change (figures from `model::value`).

use leptos::prelude::*;

use crate::components::card::{MetricCard, Trend};
use crate::format;
use crate::model::aggregate::Aggregates;
use crate::model::value::{change_line, figure_text, value_figure, CostTrend, ValueMetric};

/// A falling cost per unit is good news: coloured as a rising count is.
fn trend(cost: CostTrend) -> Trend {
    match cost {
        CostTrend::Better => Trend::Better,
        CostTrend::Worse => Trend::Worse,
        CostTrend::Flat => Trend::Flat,
        CostTrend::Neutral => Trend::Neutral,
    }
}

/// The value cards of `current`, each against the same figure of `previous`
/// (the compared period, once all of its days have loaded: a ratio over
/// part of it would be another period's).
#[component]
pub fn ValueView(current: Memo<Aggregates>, previous: Memo<Aggregates>) -> impl IntoView {
    let compared = move || previous.with(|p| format::span(p.range));
    // Plain derived signals of types the app already has: a memo of the
    // figure would be a new reactive type, kilobytes of wasm for a division.
    let card = move |metric: ValueMetric| {
        let figure = move || current.with(|a| value_figure(metric, &a.totals));
        let value = Signal::derive(move || figure_text(&figure()));
        let note =
            Signal::derive(move || figure().err().map(|e| e.to_string()).unwrap_or_default());
        let change = Signal::derive(move || {
            let before = previous.with(|p| {
                p.totals
                    .is_complete()
                    .then(|| value_figure(metric, &p.totals))
            })?;
            let (text, cost) = change_line(&figure(), &before)?;
            Some((text, trend(cost)))
        });
        view! {
            <MetricCard
                label=metric.label()
                metric=metric.key()
                value=value
                note=note
                change=change
                definition=metric.definition()
            />
        }
    };
    view! {
        <section class="cca-value">
            <h2 class="cca-section-title">"Value (estimated)"</h2>
            <p class="cca-note cca-value__lead">
                "Estimated spend divided by what Claude Code did over the range. "
                "Each change compares with " {compared} " (“was”). "
                "Spend is an estimate, so these figures are too; each currency is divided on its own."
            </p>
            <div class="cca-cards">{ValueMetric::ALL.map(card).collect_view()}</div>
        </section>
    }
}
