//! `/lines`: lines of code accepted per day, the running total, and lines
//! removed as context.

use leptos::prelude::*;

use crate::components::card::MetricCard;
use crate::components::charts::Chart;
use crate::components::page_frame::PageFrame;
use crate::definitions as def;
use crate::format;
use crate::hooks::page_data::{use_page_data, PageData};
use crate::specs;

#[component]
pub fn LinesPage() -> impl IntoView {
    let data = use_page_data();
    view! {
        <PageFrame
            title="Lines of code"
            lead="Lines written by Claude Code that users accepted. Rejected suggestions are excluded; later deletions are not tracked."
            data_page="lines"
            data=data
        >
            {lines_body(data)}
        </PageFrame>
    }
}

fn lines_body(data: PageData) -> impl IntoView {
    let total = Signal::derive(move || {
        data.current
            .with(|a| format::full_count(a.totals.lines_added))
    });
    let removed = Signal::derive(move || {
        data.current
            .with(|a| format::full_count(a.totals.lines_removed))
    });
    let per_day = Signal::derive(move || {
        data.current.with(|a| {
            let days = a.totals.days_loaded.max(1);
            // Rounded, not truncated: 215 lines over 3 days is 72 a day.
            format::full_count((a.totals.lines_added as f64 / f64::from(days)).round() as u64)
        })
    });
    let spec = data.chart(specs::lines_chart);
    view! {
        <div class="cca-cards">
            <MetricCard label="Lines accepted" metric="lines-total" value=total definition=def::LINES />
            <MetricCard label="Average per day" metric="lines-per-day" value=per_day definition=def::LINES />
            <MetricCard label="Lines removed" metric="lines-removed" value=removed definition=def::LINES_REMOVED />
        </div>
        <Chart spec=spec title="Lines accepted" file_name="lines-of-code" definition=def::LINES grouping=data.grouping />
    }
}
