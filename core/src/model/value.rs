//! What Claude Code costs per unit of what it did (the spend page's value
//! view): estimated spend per session, per active user per day, per 1,000
//! accepted lines, per commit and per pull request, and how each changed
//! against the period it is compared with.
//!
//! Currencies: each currency's spend is divided on its own by the whole
//! denominator and shown beside the others (`"$0.20 + 0.19 EUR"` per
//! session), the way the spend figures show them. Dividing only the dollars
//! would count the sessions of members billed in euros against the dollars
//! and understate the cost; converting would need exchange rates the data
//! does not have. The parts together are the whole cost per unit.
//!
//! A figure with nothing to divide by (no sessions, no commits, …) is no
//! figure ([`NoFigure`]), never ∞ or NaN; withheld spend gives no figure at all.

use thiserror::Error;

use crate::definitions as def;
use crate::format;
use crate::model::aggregate::PeriodTotals;
use crate::model::period::Change;
use crate::model::totals::{minor_per_major, USD};

/// A change smaller than this (relative) is not coloured, as on the
/// overview's cards: nothing to act on.
const FLAT_RELATIVE: f64 = 0.01;

/// Between the parts of a change line.
const SEPARATOR: &str = " · ";

/// One value figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueMetric {
    PerSession,
    /// Spend ÷ Σ over the days of the day's active users.
    PerActiveUserDay,
    PerThousandLines,
    PerCommit,
    PerPullRequest,
}

impl ValueMetric {
    /// In display order.
    pub const ALL: [ValueMetric; 5] = [
        ValueMetric::PerSession,
        ValueMetric::PerActiveUserDay,
        ValueMetric::PerThousandLines,
        ValueMetric::PerCommit,
        ValueMetric::PerPullRequest,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ValueMetric::PerSession => "Cost per session",
            ValueMetric::PerActiveUserDay => "Cost per active user per day",
            ValueMetric::PerThousandLines => "Cost per 1,000 lines accepted",
            ValueMetric::PerCommit => "Cost per commit",
            ValueMetric::PerPullRequest => "Cost per pull request",
        }
    }

    /// The card's `data-metric`.
    pub fn key(self) -> &'static str {
        match self {
            ValueMetric::PerSession => "cost-per-session",
            ValueMetric::PerActiveUserDay => "cost-per-user-day",
            ValueMetric::PerThousandLines => "cost-per-1000-lines",
            ValueMetric::PerCommit => "cost-per-commit",
            ValueMetric::PerPullRequest => "cost-per-pull-request",
        }
    }

    /// How the figure is computed, and that its spend is an estimate.
    pub fn definition(self) -> String {
        let how = match self {
            ValueMetric::PerSession => def::COST_PER_SESSION,
            ValueMetric::PerActiveUserDay => def::COST_PER_USER_DAY,
            ValueMetric::PerThousandLines => def::COST_PER_THOUSAND_LINES,
            ValueMetric::PerCommit => def::COST_PER_COMMIT,
            ValueMetric::PerPullRequest => def::COST_PER_PULL_REQUEST,
        };
        format!("{how}{}", def::VALUE_ESTIMATE)
    }

    /// Units the figure is per (1,000 for lines: a cost per single line is
    /// a fraction of a cent).
    pub fn per(self) -> u64 {
        match self {
            ValueMetric::PerThousandLines => 1000,
            _ => 1,
        }
    }

    /// What the spend is divided by, over the period.
    pub fn denominator(self, totals: &PeriodTotals) -> u64 {
        match self {
            ValueMetric::PerSession => totals.sessions,
            ValueMetric::PerActiveUserDay => totals.active_user_days,
            ValueMetric::PerThousandLines => totals.lines_added,
            ValueMetric::PerCommit => totals.commits,
            ValueMetric::PerPullRequest => totals.pull_requests,
        }
    }

    /// Why there is no figure when the denominator is zero.
    fn nothing_to_divide_by(self) -> NoFigure {
        match self {
            ValueMetric::PerSession => NoFigure::NoSessions,
            ValueMetric::PerActiveUserDay => NoFigure::NoActiveUsers,
            ValueMetric::PerThousandLines => NoFigure::NoLines,
            ValueMetric::PerCommit => NoFigure::NoCommits,
            ValueMetric::PerPullRequest => NoFigure::NoPullRequests,
        }
    }
}

/// Why a value figure has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum NoFigure {
    #[error("Spend is not shown to your role")]
    SpendWithheld,
    #[error("No sessions in this range")]
    NoSessions,
    #[error("No active users in this range")]
    NoActiveUsers,
    #[error("No lines accepted in this range")]
    NoLines,
    #[error("No commits by Claude Code in this range")]
    NoCommits,
    #[error("No pull requests by Claude Code in this range")]
    NoPullRequests,
}

impl NoFigure {
    /// The reason in a few words, for the compared period's "was" line.
    pub fn short(self) -> &'static str {
        match self {
            NoFigure::SpendWithheld => "spend withheld",
            NoFigure::NoSessions => "no sessions",
            NoFigure::NoActiveUsers => "no active users",
            NoFigure::NoLines => "no lines accepted",
            NoFigure::NoCommits => "no commits",
            NoFigure::NoPullRequests => "no pull requests",
        }
    }
}

/// The cost of one unit in one currency.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitCost {
    /// ISO 4217 code, as [`crate::model::totals::Spend`] keeps it.
    pub currency: String,
    /// Minor units (cents for USD), not rounded: a cost per session can be
    /// a fraction of a cent.
    pub minor: f64,
}

/// A value figure: a cost per unit in each currency spent (at least one:
/// `$0.00` when nothing was spent), or why there is none.
pub type ValueFigure = Result<Vec<UnitCost>, NoFigure>;

/// `metric` over a period: each currency's spend ÷ the denominator × the
/// units per figure.
pub fn value_figure(metric: ValueMetric, totals: &PeriodTotals) -> ValueFigure {
    if totals.spend.is_withheld() {
        return Err(NoFigure::SpendWithheld);
    }
    let denominator = metric.denominator(totals);
    if denominator == 0 {
        return Err(metric.nothing_to_divide_by());
    }
    let per = metric.per() as f64 / denominator as f64;
    // Dollars first, then the other currencies in code order, as the spend
    // figures show them; a zero amount beside others is left out, as they
    // leave out "$0.00" beside euros.
    let spent = || totals.spend.iter().filter(|(_, minor)| *minor > 0);
    let mut costs: Vec<UnitCost> = spent()
        .filter(|(currency, _)| *currency == USD)
        .chain(spent().filter(|(currency, _)| *currency != USD))
        .map(|(currency, minor)| UnitCost {
            currency: currency.to_owned(),
            minor: minor as f64 * per,
        })
        .collect();
    if costs.is_empty() {
        costs.push(UnitCost {
            currency: USD.to_owned(),
            minor: 0.0,
        });
    }
    Ok(costs)
}

/// `"$0.20"`, `"0.19 EUR"`, `"$1,455.81"`; a cost under one minor unit (but
/// not zero) as `"<$0.01"` rather than a `"$0.00"` that reads as free.
pub fn unit_cost_text(cost: &UnitCost) -> String {
    let scale = u64::from(minor_per_major(&cost.currency));
    let decimals = match scale {
        1 => 0,
        1000 => 3,
        _ => 2,
    };
    let rounded = if cost.minor.is_finite() {
        // `as` saturates: an absurd amount is a large number, never a panic.
        cost.minor.max(0.0).round() as u64
    } else {
        0
    };
    let below_one = rounded == 0 && cost.minor > 0.0;
    let shown = rounded.max(u64::from(below_one));
    let whole = format::full_count(shown / scale);
    let amount = if decimals == 0 {
        whole
    } else {
        format!("{whole}.{:0width$}", shown % scale, width = decimals)
    };
    let less = if below_one { "<" } else { "" };
    if cost.currency == USD {
        format!("{less}${amount}")
    } else {
        format!("{less}{amount} {}", cost.currency)
    }
}

/// The figure as the card shows it: its currencies joined by `" + "`, or a
/// dash (the reason goes beside it).
pub fn figure_text(figure: &ValueFigure) -> String {
    match figure {
        Ok(costs) => costs
            .iter()
            .map(unit_cost_text)
            .collect::<Vec<_>>()
            .join(" + "),
        Err(_) => format::DASH.to_owned(),
    }
}

/// Which way a change of a cost points, for its colour: a cost per unit
/// that falls is good news.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostTrend {
    /// Fell by more than [`FLAT_RELATIVE`].
    Better,
    /// Rose by more than [`FLAT_RELATIVE`].
    Worse,
    /// Within it.
    Flat,
    /// Not one direction to colour: several currencies, or no change.
    Neutral,
}

/// The line under a figure: its change and the compared period's value,
/// `"−20.0% · was $0.25"`; with several currencies each change is named,
/// `"USD −20.0% · EUR +3.0% · was $0.25 + 0.18 EUR"`; without a value
/// before, why not: `"was — (no commits)"`. `None` when spend is withheld
/// in either period (no cost to compare).
pub fn change_line(current: &ValueFigure, previous: &ValueFigure) -> Option<(String, CostTrend)> {
    if matches!(current, Err(NoFigure::SpendWithheld))
        || matches!(previous, Err(NoFigure::SpendWithheld))
    {
        return None;
    }
    let before = match previous {
        Ok(_) => format!("was {}", figure_text(previous)),
        Err(reason) => format!("was {} ({})", format::DASH, reason.short()),
    };
    let (Ok(now), Ok(then)) = (current, previous) else {
        return Some((before, CostTrend::Neutral));
    };
    // Each currency against itself; one spent in only one period has no change.
    let changes: Vec<(&str, f64)> = now
        .iter()
        .filter_map(|cost| {
            let earlier = then.iter().find(|c| c.currency == cost.currency)?;
            let relative = Change::new(cost.minor, earlier.minor).relative()?;
            Some((cost.currency.as_str(), relative))
        })
        .collect();
    let single = now.len() == 1 && then.len() == 1;
    match changes.as_slice() {
        [] => Some((before, CostTrend::Neutral)),
        [(_, relative)] if single => {
            let trend = if relative.abs() < FLAT_RELATIVE {
                CostTrend::Flat
            } else if *relative < 0.0 {
                CostTrend::Better
            } else {
                CostTrend::Worse
            };
            let text = format!("{}{SEPARATOR}{before}", format::signed_percent(*relative));
            Some((text, trend))
        }
        named => {
            let mut parts: Vec<String> = named
                .iter()
                .map(|(currency, relative)| {
                    format!("{currency} {}", format::signed_percent(*relative))
                })
                .collect();
            parts.push(before);
            Some((parts.join(SEPARATOR), CostTrend::Neutral))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;

    use super::*;
    use crate::model::aggregate::aggregate;
    use crate::model::dates::DateRange;
    use crate::model::fixture::{small_org_records, small_org_records_without_cost};
    use crate::model::record::UsageRecord;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 9, day).unwrap()
    }

    fn totals_of(records: Vec<UsageRecord>, range: DateRange) -> PeriodTotals {
        let mut map: BTreeMap<NaiveDate, Vec<UsageRecord>> = BTreeMap::new();
        for record in records {
            map.entry(record.date).or_default().push(record);
        }
        let empty = Vec::new();
        aggregate(range, |day| {
            Some(map.get(&day).unwrap_or(&empty).as_slice())
        })
        .totals
    }

    fn fixture(from: u32, to: u32) -> PeriodTotals {
        totals_of(small_org_records(), DateRange::new(d(from), d(to)).unwrap())
    }

    fn usd(minor: f64) -> UnitCost {
        UnitCost {
            currency: USD.to_owned(),
            minor,
        }
    }

    fn eur(minor: f64) -> UnitCost {
        UnitCost {
            currency: "EUR".to_owned(),
            minor,
        }
    }

    /// Totals with the given spend and every denominator `n`.
    fn totals(spend: &[(&str, u64)], n: u64) -> PeriodTotals {
        let mut totals = PeriodTotals::default();
        for (currency, minor) in spend {
            totals.spend.add(currency, *minor);
        }
        totals.sessions = n;
        totals.active_user_days = n;
        totals.lines_added = n;
        totals.commits = n;
        totals.pull_requests = n;
        totals.days_loaded = 1;
        totals.days_total = 1;
        totals
    }

    fn text(metric: ValueMetric, totals: &PeriodTotals) -> String {
        figure_text(&value_figure(metric, totals))
    }

    /// The fixture's Sep 8 – 10: $3.13 and €3.00; 16 sessions, 3 + 2 + 1 = 6
    /// active user-days, 215 lines, 4 commits, 2 pull requests.
    #[test]
    fn fixture_figures_worked_out_by_hand() {
        let t = fixture(8, 10);
        let figure = |m| value_figure(m, &t).unwrap();
        // 313 ¢ ÷ 16 = 19.5625 ¢; 300 ÷ 16 = 18.75 euro cents.
        assert_eq!(figure(ValueMetric::PerSession), [usd(19.5625), eur(18.75)]);
        assert_eq!(text(ValueMetric::PerSession, &t), "$0.20 + 0.19 EUR");
        // 313 ÷ 6 = 52.1667 ¢; 300 ÷ 6 = 50 euro cents.
        assert_eq!(text(ValueMetric::PerActiveUserDay, &t), "$0.52 + 0.50 EUR");
        // 313 × 1,000 ÷ 215 = 1,455.81 ¢; 300,000 ÷ 215 = 1,395.35 euro cents.
        let lines = figure(ValueMetric::PerThousandLines);
        assert!((lines[0].minor - 313_000.0 / 215.0).abs() < 1e-9);
        assert!((lines[1].minor - 300_000.0 / 215.0).abs() < 1e-9);
        assert_eq!(
            text(ValueMetric::PerThousandLines, &t),
            "$14.56 + 13.95 EUR"
        );
        // 313 ÷ 4 = 78.25 ¢; 300 ÷ 4 = 75.
        assert_eq!(text(ValueMetric::PerCommit, &t), "$0.78 + 0.75 EUR");
        // 313 ÷ 2 = 156.5 ¢, rounded half away from zero; 300 ÷ 2 = 150.
        assert_eq!(text(ValueMetric::PerPullRequest, &t), "$1.57 + 1.50 EUR");

        // Sep 10 alone: ci-bot's 3 ¢, 1 session, 1 user, 5 lines, nothing else.
        let tenth = fixture(10, 10);
        assert_eq!(text(ValueMetric::PerSession, &tenth), "$0.03");
        assert_eq!(text(ValueMetric::PerActiveUserDay, &tenth), "$0.03");
        // 3 × 1,000 ÷ 5 = 600 ¢.
        assert_eq!(text(ValueMetric::PerThousandLines, &tenth), "$6.00");
        assert_eq!(
            value_figure(ValueMetric::PerCommit, &tenth),
            Err(NoFigure::NoCommits)
        );
        assert_eq!(
            value_figure(ValueMetric::PerPullRequest, &tenth),
            Err(NoFigure::NoPullRequests)
        );
        assert_eq!(text(ValueMetric::PerCommit, &tenth), "—");
    }

    #[test]
    fn every_zero_denominator_is_no_figure_with_its_reason() {
        let none = totals(&[("USD", 500)], 0);
        let expected = [
            (ValueMetric::PerSession, NoFigure::NoSessions),
            (ValueMetric::PerActiveUserDay, NoFigure::NoActiveUsers),
            (ValueMetric::PerThousandLines, NoFigure::NoLines),
            (ValueMetric::PerCommit, NoFigure::NoCommits),
            (ValueMetric::PerPullRequest, NoFigure::NoPullRequests),
        ];
        for (metric, reason) in expected {
            assert_eq!(value_figure(metric, &none), Err(reason), "{metric:?}");
            assert_eq!(text(metric, &none), "—");
        }
        assert_eq!(
            NoFigure::NoCommits.to_string(),
            "No commits by Claude Code in this range"
        );
        assert_eq!(NoFigure::NoActiveUsers.short(), "no active users");
        // Nothing loaded at all: no figure either (never 0 ÷ 0).
        let unknown = PeriodTotals::default();
        for metric in ValueMetric::ALL {
            assert!(value_figure(metric, &unknown).is_err(), "{metric:?}");
        }
    }

    #[test]
    fn withheld_spend_gives_no_figure_whatever_the_denominators() {
        let mut hidden = totals(&[("USD", 500)], 10);
        hidden.spend.withhold();
        for metric in ValueMetric::ALL {
            assert_eq!(value_figure(metric, &hidden), Err(NoFigure::SpendWithheld));
        }
        // Withheld wins over a zero denominator: nothing about costs is said.
        let mut hidden_empty = totals(&[], 0);
        hidden_empty.spend.withhold();
        assert_eq!(
            value_figure(ValueMetric::PerCommit, &hidden_empty),
            Err(NoFigure::SpendWithheld)
        );
        // The fixture as a viewer kept off spend receives it.
        let range = DateRange::new(d(8), d(10)).unwrap();
        let t = totals_of(small_org_records_without_cost(), range);
        assert_eq!(
            value_figure(ValueMetric::PerSession, &t),
            Err(NoFigure::SpendWithheld)
        );
        // And no change line: the cost before or now is unknown.
        let known = value_figure(ValueMetric::PerSession, &fixture(8, 10));
        let withheld = value_figure(ValueMetric::PerSession, &t);
        assert_eq!(change_line(&known, &withheld), None);
        assert_eq!(change_line(&withheld, &known), None);
    }

    #[test]
    fn lines_are_per_thousand() {
        // $10.00 over 4,000 lines: $2.50 per 1,000 (0.25 ¢ a line).
        let mut t = totals(&[("USD", 1000)], 1);
        t.lines_added = 4000;
        assert_eq!(
            value_figure(ValueMetric::PerThousandLines, &t),
            Ok(vec![usd(250.0)])
        );
        assert_eq!(text(ValueMetric::PerThousandLines, &t), "$2.50");
        assert_eq!(ValueMetric::PerThousandLines.per(), 1000);
        // One line: the whole spend × 1,000.
        t.lines_added = 1;
        assert_eq!(text(ValueMetric::PerThousandLines, &t), "$10,000.00");
        assert!(ValueMetric::ALL
            .iter()
            .filter(|m| **m != ValueMetric::PerThousandLines)
            .all(|m| m.per() == 1));
    }

    #[test]
    fn per_active_user_per_day_divides_by_the_sum_of_daily_active_users() {
        let mut t = totals(&[("USD", 900)], 1);
        // 3 distinct members over the period, active 2 + 3 + 4 = 9 user-days.
        t.active_users = 3;
        t.active_user_days = 9;
        assert_eq!(text(ValueMetric::PerActiveUserDay, &t), "$1.00");
    }

    #[test]
    fn no_spend_is_zero_dollars_and_currencies_stay_apart() {
        assert_eq!(
            value_figure(ValueMetric::PerSession, &totals(&[], 4)),
            Ok(vec![usd(0.0)])
        );
        assert_eq!(text(ValueMetric::PerSession, &totals(&[], 4)), "$0.00");
        // Zero dollars beside euros: euros only, as the spend figure shows it.
        assert_eq!(
            text(
                ValueMetric::PerCommit,
                &totals(&[("USD", 0), ("EUR", 300)], 2)
            ),
            "1.50 EUR"
        );
        // Each currency in its own minor units.
        assert_eq!(
            text(
                ValueMetric::PerCommit,
                &totals(&[("JPY", 1000), ("KWD", 1500)], 2)
            ),
            "500 JPY + 0.750 KWD"
        );
    }

    #[test]
    fn amounts_round_to_the_minor_unit_and_tiny_ones_say_so() {
        assert_eq!(unit_cost_text(&usd(0.0)), "$0.00");
        assert_eq!(unit_cost_text(&usd(0.4)), "<$0.01");
        assert_eq!(unit_cost_text(&usd(0.5)), "$0.01");
        assert_eq!(unit_cost_text(&usd(123_456.5)), "$1,234.57");
        assert_eq!(unit_cost_text(&eur(0.2)), "<0.01 EUR");
        assert_eq!(unit_cost_text(&usd(f64::NAN)), "$0.00");
        assert_eq!(
            unit_cost_text(&usd(f64::MAX)),
            format!("${}.15", format::full_count(u64::MAX / 100))
        );
    }

    #[test]
    fn change_lines() {
        let one = |minor| Ok(vec![usd(minor)]);
        // Falling cost: good news.
        assert_eq!(
            change_line(&one(20.0), &one(25.0)),
            Some(("−20.0% · was $0.25".to_owned(), CostTrend::Better))
        );
        assert_eq!(
            change_line(&one(30.0), &one(25.0)),
            Some(("+20.0% · was $0.25".to_owned(), CostTrend::Worse))
        );
        // Under 1 %: flat.
        assert_eq!(
            change_line(&one(100.5), &one(100.0)).unwrap().1,
            CostTrend::Flat
        );
        // Nothing spent before: no percentage.
        assert_eq!(
            change_line(&one(20.0), &one(0.0)),
            Some(("was $0.00".to_owned(), CostTrend::Neutral))
        );
        // No figure before: why not.
        assert_eq!(
            change_line(&one(20.0), &Err(NoFigure::NoCommits)),
            Some(("was — (no commits)".to_owned(), CostTrend::Neutral))
        );
        // No figure now, one before: the value before.
        assert_eq!(
            change_line(&Err(NoFigure::NoCommits), &one(25.0)),
            Some(("was $0.25".to_owned(), CostTrend::Neutral))
        );
        // Several currencies: each change named, no colour.
        let mixed_now = Ok(vec![usd(20.0), eur(18.0)]);
        let mixed_then = Ok(vec![usd(25.0), eur(20.0)]);
        assert_eq!(
            change_line(&mixed_now, &mixed_then),
            Some((
                "USD −20.0% · EUR −10.0% · was $0.25 + 0.20 EUR".to_owned(),
                CostTrend::Neutral
            ))
        );
        // A currency in one period only has no change; the other keeps its name.
        assert_eq!(
            change_line(&mixed_now, &one(25.0)),
            Some(("USD −20.0% · was $0.25".to_owned(), CostTrend::Neutral))
        );
        // Different currencies altogether: the value before only.
        assert_eq!(
            change_line(&Ok(vec![eur(18.0)]), &one(25.0)),
            Some(("was $0.25".to_owned(), CostTrend::Neutral))
        );
    }

    /// The fixture's Sep 9 – 10 against Sep 8, worked out by hand.
    #[test]
    fn fixture_change_against_an_earlier_day() {
        let now = fixture(9, 10);
        let before = fixture(8, 8);
        // Sep 9 – 10: 138 ¢, 7 sessions → 19.714 ¢. Sep 8: 175 ¢ and €3.00,
        // 9 sessions → 19.444 ¢ and 33.33 euro cents.
        let line = change_line(
            &value_figure(ValueMetric::PerSession, &now),
            &value_figure(ValueMetric::PerSession, &before),
        );
        // Only dollars in common: (138/7) ÷ (175/9) − 1 = +1.39 %.
        assert_eq!(
            line,
            Some((
                "USD +1.4% · was $0.19 + 0.33 EUR".to_owned(),
                CostTrend::Neutral
            ))
        );
        // Commits: 1 on Sep 9 (138 ¢) against 3 on Sep 8 (175 ¢, 300 euro cents).
        assert_eq!(text(ValueMetric::PerCommit, &now), "$1.38");
        // Pull requests: 1 and 1.
        assert_eq!(
            text(ValueMetric::PerPullRequest, &before),
            "$1.75 + 3.00 EUR"
        );
    }

    #[test]
    fn definitions_say_how_and_that_spend_is_an_estimate() {
        for metric in ValueMetric::ALL {
            let text = metric.definition();
            assert!(text.contains('÷'), "{metric:?}: {text}");
            assert!(text.contains("estimate"), "{metric:?}: {text}");
        }
        assert!(ValueMetric::PerActiveUserDay
            .definition()
            .contains("sum over its days of each day's active users"));
        let keys: std::collections::BTreeSet<_> =
            ValueMetric::ALL.iter().map(|m| m.key()).collect();
        assert_eq!(keys.len(), ValueMetric::ALL.len());
    }
}
