//! `/activity`: active users per day (left Y axis) and sessions per day
//! (right Y axis).

use leptos::prelude::*;

use crate::components::breakdowns::TerminalsTable;
use crate::components::card::MetricCard;
use crate::components::charts::Chart;
use crate::components::page_frame::PageFrame;
use crate::components::table_head::{range_csv, TableHead};
use crate::definitions as def;
use crate::format;
use crate::hooks::page_data::{use_page_data, PageData};
use crate::specs;
use crate::table_csv::terminals_csv;

#[component]
pub fn ActivityPage() -> impl IntoView {
    let data = use_page_data();
    view! {
        <PageFrame
            title="Activity"
            lead="Active users on the left axis, sessions on the right axis: per day, or per week or month over a long range."
            data_page="activity"
            data=data
        >
            {activity_body(data)}
        </PageFrame>
    }
}

fn activity_body(data: PageData) -> impl IntoView {
    let users = Signal::derive(move || {
        data.current
            .with(|a| format::full_count(a.totals.active_users))
    });
    let average = Signal::derive(move || {
        data.current.with(|a| {
            a.totals
                .average_daily_active_users()
                .map_or_else(|| "—".to_owned(), |v| format::fixed(v, 1))
        })
    });
    let sessions =
        Signal::derive(move || data.current.with(|a| format::full_count(a.totals.sessions)));
    let spec = data.chart(specs::activity_chart);
    view! {
        <div class="cca-cards">
            <MetricCard label="Active users" metric="active-users" value=users definition=def::ACTIVE_USERS />
            <MetricCard label="Average daily active users" metric="average-daily-users" value=average definition=def::ACTIVE_USERS />
            <MetricCard label="Sessions" metric="sessions" value=sessions definition=def::SESSIONS />
        </div>
        <Chart spec=spec title="Active users and sessions" file_name="activity" definition=def::ACTIVE_USERS grouping=data.grouping />
        <TableHead
            title="Terminals"
            what="terminals"
            file=range_csv(data.current, "terminals", |a| terminals_csv(&a.terminals))
        />
        <TerminalsTable aggregates=data.current />
    }
}
