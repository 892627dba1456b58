//! `/accept-rate`: the share of suggested edits users accepted, overall and
//! per tool; days without decisions are gaps.

use leptos::prelude::*;

use crate::components::card::MetricCard;
use crate::components::charts::Chart;
use crate::components::page_frame::PageFrame;
use crate::components::table_head::{range_csv, TableHead};
use crate::definitions as def;
use crate::format;
use crate::hooks::page_data::{use_page_data, PageData};
use crate::specs;
use crate::table_csv::tools_csv;

#[component]
pub fn AcceptRatePage() -> impl IntoView {
    let data = use_page_data();
    view! {
        <PageFrame
            title="Accept rate"
            lead="How often users accept the edits Claude Code suggests with its code-editing tools."
            data_page="accept-rate"
            data=data
        >
            {accept_rate_body(data)}
        </PageFrame>
    }
}

fn accept_rate_body(data: PageData) -> impl IntoView {
    let current = data.current;
    let overall = Signal::derive(move || {
        data.current
            .with(|a| format::percent_or_dash(a.totals.accept_rate()))
    });
    let decisions = Signal::derive(move || {
        data.current
            .with(|a| format::full_count(a.totals.decisions.total()))
    });
    let spec = data.chart(specs::accept_rate_chart);
    let rows = move || {
        data.current.with(|a| {
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
        <div class="cca-cards">
            <MetricCard label="Accept rate" metric="accept-rate" value=overall definition=def::ACCEPT_RATE />
            <MetricCard label="Decisions" metric="decisions" value=decisions definition=def::ACCEPT_RATE />
        </div>
        <Chart spec=spec title="Accept rate per day" file_name="accept-rate" definition=def::ACCEPT_RATE />
        <TableHead
            title="By tool"
            what="by tool"
            file=range_csv(current, "accept-rate-by-tool", |a| tools_csv(&a.per_tool))
        />
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
