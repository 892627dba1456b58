//! The headline cards of a range: each figure with its change against the
//! period it is compared with, coloured only when the change is large
//! enough to act on.

use leptos::prelude::*;

use crate::components::card::{MetricCard, Trend};
use crate::definitions as def;
use crate::format;
use crate::format::spend_text;
use crate::model::aggregate::Aggregates;
use crate::model::period::{compare, Change, HeadlineChanges};

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

/// Where the cards link: the pages that explain them, when the viewer may
/// see them.
#[derive(Debug, Clone, Default)]
pub struct CardLinks {
    pub lines: Option<String>,
    pub accept_rate: Option<String>,
    pub activity: Option<String>,
    pub spend: Option<String>,
}

/// The headline figures of a range with their change against the period it
/// is compared with (the overview's, a member's).
#[component]
pub fn HeadlineCards(
    current: Memo<Aggregates>,
    previous: Memo<Aggregates>,
    links: CardLinks,
    /// Spend is shown to viewers allowed it only.
    show_spend: bool,
    /// Distinct active users (not for one member).
    active_users: bool,
) -> impl IntoView {
    let changes = Memo::new(move |_| {
        let current = current.with(|a| a.totals.clone());
        // No change against a period still loading: it would be against the
        // days that happened to arrive first ("+2,681 %").
        previous.with(|p| {
            p.totals
                .is_complete()
                .then(|| compare(&current, &p.totals))
                .flatten()
        })
    });
    let versus = Memo::new(move |_| previous.with(|p| format::versus(p.range)));
    let figure = move |f: fn(&Aggregates) -> String| Signal::derive(move || current.with(f));
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
                href=links.lines
            />
            <MetricCard
                label="Accept rate"
                metric="accept-rate"
                value=figure(|a| format::percent_or_dash(a.totals.accept_rate()))
                change=rate_change
                definition=def::ACCEPT_RATE
                href=links.accept_rate
            />
            {active_users.then(|| view! {
                <MetricCard
                    label="Active users"
                    metric="active-users"
                    value=figure(|a| format::full_count(a.totals.active_users))
                    change=change(|c| c.active_users, true)
                    definition=def::ACTIVE_USERS
                    href=links.activity.clone()
                />
            })}
            <MetricCard
                label="Sessions"
                metric="sessions"
                value=figure(|a| format::full_count(a.totals.sessions))
                change=change(|c| c.sessions, true)
                definition=def::SESSIONS
                href=links.activity.clone()
            />
            {show_spend.then(|| view! {
                <MetricCard
                    label="Estimated spend"
                    metric="spend"
                    value=figure(|a| spend_text(&a.totals.spend))
                    change=spend_change
                    definition=def::SPEND
                    href=links.spend.clone()
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
