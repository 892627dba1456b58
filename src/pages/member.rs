//! `/team/<member>`: one member over the selected range — headline cards
//! with the change against the compared period, their days (lines,
//! sessions, accept rate, spend), per tool, per model and per terminal, and
//! when they were last active. Gated like the team page.

use leptos::prelude::*;

use crate::auth::page::Page;
use crate::auth::role::Role;
use crate::components::breakdowns::{ModelsTable, TerminalsTable, ToolsTable};
use crate::components::charts::Chart;
use crate::components::headline::{CardLinks, HeadlineCards};
use crate::components::page_frame::{EmptyText, PageShell};
use crate::components::range::{use_range, RangeControl};
use crate::components::table_head::{range_csv, TableHead};
use crate::definitions as def;
use crate::format;
use crate::hooks::grouping::use_grouping;
use crate::hooks::page_data::PageData;
use crate::hooks::range_load::Lane;
use crate::hooks::usage::use_member_usage;
use crate::model::aggregate::Aggregates;
use crate::model::dates::{iso_month, DateRange};
use crate::model::member::{MemberFigures, MemberRef};
use crate::model::period::comparison_period;
use crate::specs;
use crate::state::AppContext;
use crate::table_csv::{models_csv, terminals_csv, tools_csv};

/// The member named by the path's segment, or why it names none.
#[component]
pub fn MemberPage(role: Role, segment: String) -> impl IntoView {
    match MemberRef::from_segment(&segment) {
        Ok(member) => view! { <MemberUsage role=role member=member /> }.into_any(),
        Err(error) => view! { <UnknownMember error=error.to_string() /> }.into_any(),
    }
}

#[component]
fn UnknownMember(error: String) -> impl IntoView {
    let team = AppContext::expect().page_href(Page::Team);
    view! {
        <section class="cca-page" data-page="member">
            <div class="cca-panel cca-empty" role="status">
                <h2>"No such member"</h2>
                <p>{format!("This address names no member: {error}.")}</p>
                <a class="cca-button" href=team>"Go to the team"</a>
            </div>
        </section>
    }
}

/// The team page's address for the month a range ends in (where the member
/// page's "Team" link goes back to).
fn team_href(team: &str, range: DateRange) -> String {
    format!("{team}?month={}", iso_month(range.end()))
}

/// "API key · last active Nov 30, 2026 · active on 12 of 30 days".
fn member_lead(member: &MemberRef, figures: &MemberFigures) -> String {
    let loaded = figures.aggregates.totals.days_loaded;
    match &figures.totals {
        Some(t) => format!(
            "{} · last active {} · active on {} of {}",
            member.kind_label(),
            format::date_and_year(t.last_active),
            t.days_active,
            format::days(loaded as usize)
        ),
        None => format!("{} · no usage in this range", member.kind_label()),
    }
}

#[component]
fn MemberUsage(role: Role, member: MemberRef) -> impl IntoView {
    let ctx = AppContext::expect();
    let today = ctx.today;
    if ctx.names_tabs {
        document().set_title(&format::tab_title(member.identity()));
    }
    let range = use_range(today);
    let range_signal: Signal<DateRange> = range.range.into();
    let (load, figures) = use_member_usage(range_signal, member.clone(), Lane::Page);
    load.mark_when_settled();
    let previous_range =
        Signal::derive(move || comparison_period(range.selection.get(), range.range.get()));
    let (_, previous_figures) = use_member_usage(previous_range, member.clone(), Lane::Background);
    let current = Memo::new(move |_| figures.with(|f| f.aggregates.clone()));
    let previous = Memo::new(move |_| previous_figures.with(|f| f.aggregates.clone()));
    let data = PageData {
        range,
        load,
        current,
        grouping: use_grouping(range, today),
        today,
    };
    let show_spend = ctx.policy.allows(&role, Page::Spend);
    // Spend in the models' CSV only for a viewer who may see it.
    let models_file: fn(&Aggregates) -> String = if show_spend {
        |a| models_csv(&a.per_model, true)
    } else {
        |a| models_csv(&a.per_model, false)
    };
    let team = ctx.page_href(Page::Team);
    let note = Signal::derive(move || {
        format!("{} · days are UTC", format::range_label(range.range.get()))
    });
    let lead = {
        let member = member.clone();
        Signal::derive(move || figures.with(|f| member_lead(&member, f)))
    };
    let back = move || team_href(&team, range.range.get());
    let identity = member.identity().to_owned();
    view! {
        <div class="cca-member">
            <a class="cca-back-link" href=back>"← Team"</a>
            <PageShell
                title=identity
                lead=lead
                data_page="member"
                load=load
                status=data.status()
                note=note
                toolbar=move || view! { <RangeControl state=range today=today /> }
                empty=EmptyText {
                    heading: "No usage by this member in this range",
                    text: "They did not use Claude Code on these days (or the address is not a member's). Try a longer range.",
                }
            >
                <HeadlineCards current=current previous=previous links=CardLinks::default() show_spend=show_spend active_users=false />
                {member_charts(data, show_spend)}
                <TableHead title="By tool" what="by tool" file=range_csv(current, "member-by-tool", |a| tools_csv(&a.per_tool)) />
                <ToolsTable aggregates=current />
                <TableHead title="By model" what="by model" file=range_csv(current, "member-models", models_file) />
                <ModelsTable aggregates=current show_spend=show_spend />
                <TableHead title="Terminals" what="terminals" file=range_csv(current, "member-terminals", |a| terminals_csv(&a.terminals)) />
                <TerminalsTable aggregates=current />
            </PageShell>
        </div>
    }
}

fn member_charts(data: PageData, show_spend: bool) -> impl IntoView {
    let lines = data.chart(specs::lines_small);
    let sessions = data.chart(specs::sessions_small);
    let rate = data.chart(specs::accept_rate_chart);
    let spend = data.chart(specs::spend_small);
    view! {
        <div class="cca-grid-2">
            <Chart spec=lines title="Lines accepted" file_name="member-lines-accepted" small=true definition=def::LINES />
            <Chart spec=sessions title="Sessions" file_name="member-sessions" small=true definition=def::SESSIONS />
            <Chart spec=rate title="Accept rate" file_name="member-accept-rate" small=true definition=def::ACCEPT_RATE />
            {show_spend.then(|| view! {
                <Chart spec=spend title="Estimated spend" file_name="member-spend" small=true definition=def::SPEND />
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn the_team_link_goes_to_the_month_the_range_ends_in() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let range = DateRange::new(d(2026, 11, 20), d(2026, 12, 3)).unwrap();
        assert_eq!(
            team_href("/claude-code/team", range),
            "/claude-code/team?month=2026-12"
        );
    }
}
