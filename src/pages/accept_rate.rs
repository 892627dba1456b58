//! `/accept-rate`: the share of suggested edits users accepted, overall and
//! per tool; days without decisions are gaps.

use leptos::prelude::*;

use crate::components::breakdowns::ToolsTable;
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
    let overall = Signal::derive(move || {
        data.current
            .with(|a| format::percent_or_dash(a.totals.accept_rate()))
    });
    let decisions = Signal::derive(move || {
        data.current
            .with(|a| format::full_count(a.totals.decisions.total()))
    });
    let spec = data.chart(specs::accept_rate_chart);
    view! {
        <div class="cca-cards">
            <MetricCard label="Accept rate" metric="accept-rate" value=overall definition=def::ACCEPT_RATE />
            <MetricCard label="Decisions" metric="decisions" value=decisions definition=def::ACCEPT_RATE />
        </div>
        <Chart spec=spec title="Accept rate" file_name="accept-rate" definition=def::ACCEPT_RATE grouping=data.grouping />
        <TableHead
            title="By tool"
            what="by tool"
            file=range_csv(data.current, "accept-rate-by-tool", |a| tools_csv(&a.per_tool))
        />
        <ToolsTable aggregates=data.current />
    }
}
