//! The breakdown tables of a range's aggregates: per tool (accepted,
//! rejected, rate), per model (tokens, estimated spend), per terminal.

use leptos::prelude::*;

use crate::format;
use crate::format::spend_text;
use crate::model::aggregate::Aggregates;

/// Accepted and rejected suggestions and the accept rate of each tool.
#[component]
pub fn ToolsTable(aggregates: Memo<Aggregates>) -> impl IntoView {
    let rows = move || {
        aggregates.with(|a| {
            a.per_tool
                .iter()
                .map(|tool| {
                    view! {
                        <tr data-tool=tool.key.clone()>
                            <th scope="row">{tool.label.clone()}</th>
                            <td>{format::full_count(tool.decisions.accepted)}</td>
                            <td>{format::full_count(tool.decisions.rejected)}</td>
                            <td>{format::percent_or_dash(tool.decisions.rate())}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="cca-table-wrap">
            <table class="cca-table cca-tools-table" data-table="tools">
                <thead>
                    <tr>
                        <th scope="col">"Tool"</th>
                        <th scope="col">"Accepted"</th>
                        <th scope="col">"Rejected"</th>
                        <th scope="col">"Accept rate"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Tokens of each kind and the estimated spend of each model.
#[component]
pub fn ModelsTable(aggregates: Memo<Aggregates>, show_spend: bool) -> impl IntoView {
    let rows = move || {
        aggregates.with(|a| {
            a.per_model
                .iter()
                .map(|m| {
                    view! {
                        <tr>
                            <th scope="row">{m.model.clone()}</th>
                            <td>{format::full_count(m.tokens.input)}</td>
                            <td>{format::full_count(m.tokens.output)}</td>
                            <td>{format::full_count(m.tokens.cache_read)}</td>
                            <td>{format::full_count(m.tokens.cache_creation)}</td>
                            {show_spend.then(|| view! { <td>{spend_text(&m.spend)}</td> })}
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="cca-table-wrap">
            <table class="cca-table" data-table="models">
                <thead>
                    <tr>
                        <th scope="col">"Model"</th>
                        <th scope="col">"Input tokens"</th>
                        <th scope="col">"Output tokens"</th>
                        <th scope="col">"Cache read"</th>
                        <th scope="col">"Cache write"</th>
                        {show_spend.then(|| view! { <th scope="col">"Estimated spend"</th> })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The member-days and sessions of each terminal.
#[component]
pub fn TerminalsTable(aggregates: Memo<Aggregates>) -> impl IntoView {
    let rows = move || {
        aggregates.with(|a| {
            a.terminals
                .iter()
                .map(|t| {
                    view! {
                        <tr>
                            <th scope="row">{t.terminal.clone()}</th>
                            <td>{format::full_count(t.records)}</td>
                            <td>{format::full_count(t.sessions)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="cca-table-wrap">
            <table class="cca-table" data-table="terminals">
                <thead>
                    <tr>
                        <th scope="col">"Terminal"</th>
                        <th scope="col">"Member-days"</th>
                        <th scope="col">"Sessions"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
