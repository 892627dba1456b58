//! `/`: headline cards with the change against the previous period, small
//! charts, and the top members of the range.

use leptos::prelude::*;

use crate::auth::page::Page;
use crate::auth::role::Role;
use crate::components::charts::Chart;
use crate::components::headline::{CardLinks, HeadlineCards};
use crate::components::page_frame::PageFrame;
use crate::components::top_members::TopMembers;
use crate::definitions as def;
use crate::hooks::page_data::{use_page_data, use_previous, PageData};
use crate::hooks::usage::use_member_rows;
use crate::specs;
use crate::state::AppContext;

#[component]
pub fn OverviewPage(role: Role) -> impl IntoView {
    let ctx = AppContext::expect();
    let data = use_page_data();
    let (_, previous) = use_previous(data);
    let show_spend = ctx.policy.allows(&role, Page::Spend);
    let members = ctx
        .policy
        .allows(&role, Page::Team)
        .then(|| use_member_rows(data.range.range.into()));
    let href = |page: Page| ctx.policy.allows(&role, page).then(|| ctx.page_href(page));
    let links = CardLinks {
        lines: href(Page::Lines),
        accept_rate: href(Page::AcceptRate),
        activity: href(Page::Activity),
        spend: href(Page::Spend),
    };
    view! {
        <PageFrame
            title="Overview"
            lead="How your organization uses Claude Code: adoption, productivity and estimated cost."
            data_page="overview"
            data=data
        >
            <HeadlineCards current=data.current previous=previous links=links.clone() show_spend=show_spend active_users=true />
            {overview_charts(data, show_spend)}
            {members.map(|rows| view! { <TopMembers rows=rows range=data.range.range show_spend=show_spend /> })}
        </PageFrame>
    }
}

fn overview_charts(data: PageData, show_spend: bool) -> impl IntoView {
    let lines_spec = data.chart(specs::lines_small);
    let activity_spec = data.chart(specs::activity_chart);
    let spend_spec = data.chart(specs::spend_chart);
    let commits_spec = data.chart(specs::commits_chart);
    view! {
        <div class="cca-grid-2">
            <Chart spec=lines_spec title="Lines accepted" file_name="lines-accepted" small=true definition=def::LINES />
            <Chart spec=activity_spec title="Activity" file_name="activity" small=true definition=def::ACTIVE_USERS />
            {show_spend.then(|| view! {
                <Chart spec=spend_spec title="Spend (estimated)" file_name="spend" small=true definition=def::SPEND />
            })}
            <Chart spec=commits_spec title="Commits and pull requests by Claude Code" file_name="commits" small=true definition=def::COMMITS />
        </div>
    }
}
