//! `/`: headline cards with the change against the previous period, small
//! charts, and the top members of the range.

use leptos::prelude::*;

use crate::auth::page::Page;
use crate::auth::role::Role;
use crate::components::card::{MetricCard, Trend};
use crate::components::charts::Chart;
use crate::components::page_frame::PageFrame;
use crate::components::top_members::TopMembers;
use crate::definitions as def;
use crate::format;
use crate::format::spend_text;
use crate::hooks::page_data::{use_page_data, use_previous, PageData};
use crate::hooks::usage::use_member_rows;
use crate::model::aggregate::Aggregates;
use crate::model::period::{compare, Change, HeadlineChanges};
use crate::specs;
use crate::state::AppContext;

/// A change smaller than this (relative) is not coloured: nothing to act on.
const FLAT_RELATIVE: f64 = 0.01;
/// The same for a rate, in percentage points.
const FLAT_POINTS: f64 = 0.5;

/// "+12.3% vs Nov 1 – Nov 30" from a count or amount change; nothing when
/// the compared period had none (no "new", no infinite percentage).
pub fn change_text(change: Change, versus: &str, rising_is_good: bool) -> Option<(String, Trend)> {
    let rel = change.relative()?;
    let trend = if rel.abs() < FLAT_RELATIVE {
        Trend::Flat
    } else if !rising_is_good {
        Trend::Neutral
    } else if rel > 0.0 {
        Trend::Up
    } else {
        Trend::Down
    };
    Some((format!("{} {versus}", format::signed_percent(rel)), trend))
}

/// "+2.1 pp vs Nov 1 – Nov 30" for a rate change.
pub fn rate_change_text(change: Change, versus: &str) -> (String, Trend) {
    let pp = change.percentage_points();
    let trend = if pp.abs() < FLAT_POINTS {
        Trend::Flat
    } else if pp > 0.0 {
        Trend::Up
    } else {
        Trend::Down
    };
    (format!("{} {versus}", format::signed_points(pp)), trend)
}

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
    let links = Links {
        lines: ctx.policy.allows(&role, Page::Lines),
        accept_rate: ctx.policy.allows(&role, Page::AcceptRate),
        activity: ctx.policy.allows(&role, Page::Activity),
        spend: show_spend,
    };
    view! {
        <PageFrame
            title="Overview"
            lead="How your organization uses Claude Code: adoption, productivity and estimated cost."
            data_page="overview"
            data=data
        >
            {headline_cards(data, previous, links)}
            {overview_charts(data, show_spend)}
            {members.map(|rows| view! { <TopMembers rows=rows range=data.range.range show_spend=show_spend /> })}
        </PageFrame>
    }
}

/// Which pages the cards may link to.
#[derive(Debug, Clone, Copy)]
struct Links {
    lines: bool,
    accept_rate: bool,
    activity: bool,
    spend: bool,
}

fn headline_cards(data: PageData, previous: Memo<Aggregates>, links: Links) -> impl IntoView {
    let ctx = AppContext::expect();
    let href = |allowed: bool, page: Page| allowed.then(|| ctx.page_href(page));
    let changes = Memo::new(move |_| {
        let current = data.current.with(|a| a.totals.clone());
        previous.with(|p| compare(&current, &p.totals))
    });
    let versus = Memo::new(move |_| previous.with(|p| format::versus(p.range)));
    let figure = move |f: fn(&Aggregates) -> String| Signal::derive(move || data.current.with(f));
    let change = move |pick: fn(&HeadlineChanges) -> Change, good: bool| {
        Signal::derive(move || {
            changes
                .get()
                .and_then(|c| versus.with(|v| change_text(pick(&c), v, good)))
        })
    };
    let spend_change = Signal::derive(move || {
        changes
            .get()
            .and_then(|c| c.spend_usd)
            .and_then(|c| versus.with(|v| change_text(c, v, false)))
    });
    let rate_change = Signal::derive(move || {
        changes
            .get()
            .and_then(|c| c.accept_rate)
            .map(|c| versus.with(|v| rate_change_text(c, v)))
    });
    view! {
        <div class="cca-cards">
            <MetricCard
                label="Lines accepted"
                metric="lines"
                value=figure(|a| format::full_count(a.totals.lines_added))
                change=change(|c| c.lines_added, true)
                definition=def::LINES
                href=href(links.lines, Page::Lines)
            />
            <MetricCard
                label="Accept rate"
                metric="accept-rate"
                value=figure(|a| format::percent_or_dash(a.totals.accept_rate()))
                change=rate_change
                definition=def::ACCEPT_RATE
                href=href(links.accept_rate, Page::AcceptRate)
            />
            <MetricCard
                label="Active users"
                metric="active-users"
                value=figure(|a| format::full_count(a.totals.active_users))
                change=change(|c| c.active_users, true)
                definition=def::ACTIVE_USERS
                href=href(links.activity, Page::Activity)
            />
            <MetricCard
                label="Sessions"
                metric="sessions"
                value=figure(|a| format::full_count(a.totals.sessions))
                change=change(|c| c.sessions, true)
                definition=def::SESSIONS
                href=href(links.activity, Page::Activity)
            />
            {links.spend.then(|| view! {
                <MetricCard
                    label="Estimated spend"
                    metric="spend"
                    value=figure(|a| spend_text(&a.totals.spend))
                    change=spend_change
                    definition=def::SPEND
                    href=href(true, Page::Spend)
                />
            })}
            <MetricCard
                label="Commits by Claude Code"
                metric="commits"
                value=figure(|a| format::full_count(a.totals.commits))
                change=change(|c| c.commits, true)
                definition=def::COMMITS

            />
            <MetricCard
                label="Pull requests by Claude Code"
                metric="pull-requests"
                value=figure(|a| format::full_count(a.totals.pull_requests))
                change=change(|c| c.pull_requests, true)
                definition=def::PULL_REQUESTS

            />
        </div>
    }
}

fn overview_charts(data: PageData, show_spend: bool) -> impl IntoView {
    let lines_spec = data.chart(specs::lines_small);
    let activity_spec = data.chart(specs::activity_chart);
    let spend_spec = data.chart(specs::spend_chart);
    let commits_spec = data.chart(specs::commits_chart);
    view! {
        <div class="cca-grid-2">
            <Chart spec=lines_spec title="Lines accepted per day" file_name="lines-accepted" small=true definition=def::LINES />
            <Chart spec=activity_spec title="Activity" file_name="activity" small=true definition=def::ACTIVE_USERS />
            {show_spend.then(|| view! {
                <Chart spec=spend_spec title="Spend (estimated)" file_name="spend" small=true definition=def::SPEND />
            })}
            <Chart spec=commits_spec title="Commits and pull requests by Claude Code" file_name="commits" small=true definition=def::COMMITS />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_changes_are_not_coloured_and_nothing_is_new() {
        let versus = "vs Nov 1 – Nov 3";
        let (text, trend) = change_text(Change::new(110.0, 100.0), versus, true).unwrap();
        assert_eq!(
            (text.as_str(), trend),
            ("+10.0% vs Nov 1 – Nov 3", Trend::Up)
        );
        let (_, trend) = change_text(Change::new(90.0, 100.0), versus, true).unwrap();
        assert_eq!(trend, Trend::Down);
        // Spend: up or down, neither good nor bad.
        let (_, trend) = change_text(Change::new(150.0, 100.0), versus, false).unwrap();
        assert_eq!(trend, Trend::Neutral);
        // Under 1 %: flat.
        let (_, trend) = change_text(Change::new(100.5, 100.0), versus, true).unwrap();
        assert_eq!(trend, Trend::Flat);
        // Nothing before: no change line at all.
        assert_eq!(change_text(Change::new(5.0, 0.0), versus, true), None);
        // A rate: 0.1 pp is flat, 2 pp is not.
        let (text, trend) = rate_change_text(Change::new(0.912, 0.911), versus);
        assert_eq!(trend, Trend::Flat, "{text}");
        let (_, trend) = rate_change_text(Change::new(0.93, 0.91), versus);
        assert_eq!(trend, Trend::Up);
    }
}
