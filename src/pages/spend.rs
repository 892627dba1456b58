//! `/spend`: active users per day (left Y axis) and estimated dollars per day
//! (right Y axis); the value view (cost per session, per commit, …, against
//! the compared period); spend and tokens per model; the projected month-end.

use leptos::prelude::*;

use crate::components::breakdowns::ModelsTable;
use crate::components::card::MetricCard;
use crate::components::charts::Chart;
use crate::components::page_frame::PageFrame;
use crate::components::table_head::{range_csv, TableHead};
use crate::components::value_view::ValueView;
use crate::definitions as def;
use crate::format;
use crate::format::spend_text;
use crate::hooks::page_data::{use_page_data, use_previous, PageData};
use crate::hooks::range_load::Lane;
use crate::hooks::usage::{use_range_aggregates, use_usage_load};
use crate::model::aggregate::Aggregates;
use crate::model::dates::DateRange;
use crate::model::projection::{project_month_end, trailing_window};
use crate::specs;
use crate::state::AppContext;
use crate::table_csv::models_csv;

#[component]
pub fn SpendPage() -> impl IntoView {
    let data = use_page_data();
    // The value view compares with the period the overview compares with.
    let (_, previous) = use_previous(data);
    let ctx = AppContext::expect();
    // The projection reads the month so far and the four weeks before today.
    let month = Signal::derive(move || DateRange::month_to_date(ctx.today));
    let trailing = Signal::derive(move || trailing_window(ctx.today));
    let _month_load = use_usage_load(month, Lane::Background);
    let _trailing_load = use_usage_load(trailing, Lane::Background);
    let month_totals = use_range_aggregates(month);
    let trailing_totals = use_range_aggregates(trailing);
    let projection = Memo::new(move |_| {
        month_totals.with(|m| {
            trailing_totals.with(|t| project_month_end(m, t, ctx.today).map(|s| spend_text(&s)))
        })
    });
    view! {
        <PageFrame
            title="Spend"
            lead="Active users on the left axis, estimated dollars on the right axis: per day, or per week or month over a long range. All spend figures are estimates."
            data_page="spend"
            data=data
        >
            {spend_body(data, previous, projection)}
        </PageFrame>
    }
}

fn spend_body(
    data: PageData,
    previous: Memo<Aggregates>,
    projection: Memo<Option<String>>,
) -> impl IntoView {
    let total = Signal::derive(move || data.current.with(|a| spend_text(&a.totals.spend)));
    let per_day = Signal::derive(move || {
        data.current.with(|a| {
            if a.totals.spend.is_withheld() {
                return format::DASH.to_owned();
            }
            let days = f64::from(a.totals.days_loaded.max(1));
            let cents = a.totals.spend.usd_minor().unwrap_or(0) as f64;
            format::dollars_from_cents((cents / days).round() as u64)
        })
    });
    let projected = Signal::derive(move || projection.get().unwrap_or_else(|| "—".to_owned()));
    let spec = data.chart(specs::spend_chart);
    view! {
        <div class="cca-cards">
            <MetricCard label="Estimated spend" metric="spend" value=total definition=def::SPEND />
            <MetricCard label="Average per day" metric="spend-per-day" value=per_day definition=def::SPEND />
            <MetricCard label="Projected this month" metric="spend-projection" value=projected definition="This month's estimated spend through yesterday, plus each day left (today included) at the average of the same weekday over the last four weeks (UTC). An estimate of an estimate." />
        </div>
        <Chart spec=spec title="Active users and estimated spend" file_name="spend" definition=def::SPEND grouping=data.grouping />
        <ValueView current=data.current previous=previous />
        <TableHead
            title="By model (estimated)"
            what="by model"
            file=range_csv(data.current, "models", |a| models_csv(&a.per_model, true))
        />
        <ModelsTable aggregates=data.current show_spend=true />
    }
}
