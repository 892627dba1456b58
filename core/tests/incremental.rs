//! The incremental builders (native): days added one at a time, in any
//! order, give exactly what [`aggregate`] and [`actor_totals`] give for the
//! whole range at once, with withheld costs and sums that saturate.
#![cfg(not(target_arch = "wasm32"))]

use cca_core::model::aggregate::{aggregate, AddDayError, AggregateBuilder};
use cca_core::model::dates::DateRange;
use cca_core::model::name::Name;
use cca_core::model::record::{
    Actor, CoreMetrics, Cost, LinesOfCode, ModelUsage, Tokens, ToolAction, UsageRecord,
};
use cca_core::model::team::{actor_totals, ActorTotalsBuilder};
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

const TOOLS: [&str; 3] = ["edit_tool", "write_tool", "lasso_tool"];
const MODELS: [&str; 2] = ["claude-sonnet-4", "claude-opus-4"];

fn actor() -> impl Strategy<Value = Actor> {
    prop_oneof![
        (0..8u8).prop_map(|i| Actor::User {
            email_address: format!("dev{i}@example.com").into()
        }),
        (0..3u8).prop_map(|i| Actor::ApiKey {
            api_key_name: format!("ci-key-{i}").into()
        }),
        (0..2u8).prop_map(|i| Actor::Other {
            kind: "robot_actor".into(),
            id: Some(format!("r{i}"))
        }),
    ]
}

/// Mostly small counts, sometimes near `u64::MAX`: saturated sums must not
/// depend on the order the days came in.
fn count() -> impl Strategy<Value = u64> {
    prop_oneof![9 => 0..5_000u64, 1 => (0..3u64).prop_map(|d| u64::MAX - d)]
}

fn record(day: NaiveDate) -> impl Strategy<Value = UsageRecord> {
    (
        actor(),
        (count(), count(), count()),
        prop::collection::btree_map(prop::sample::select(&TOOLS[..]), (count(), count()), 0..3),
        prop::collection::vec(
            (
                prop::sample::select(&MODELS[..]),
                // A cost withheld now and then: the spend becomes unknown.
                prop::option::weighted(0.9, (prop::sample::select(vec!["USD", "EUR"]), count())),
                count(),
            ),
            0..3,
        ),
        prop::option::of(prop::sample::select(vec!["vscode", "tmux"])),
    )
        .prop_map(
            move |(actor, (sessions, added, commits), tools, models, terminal)| UsageRecord {
                date: day,
                actor,
                organization_id: None,
                customer_type: None,
                subscription_type: None,
                terminal_type: terminal.map(Name::from),
                core_metrics: CoreMetrics {
                    num_sessions: sessions,
                    lines_of_code: LinesOfCode {
                        added,
                        removed: sessions / 2,
                    },
                    commits_by_claude_code: commits,
                    pull_requests_by_claude_code: commits / 3,
                },
                tool_actions: tools
                    .into_iter()
                    .map(|(k, (accepted, rejected))| (k, ToolAction { accepted, rejected }))
                    .collect(),
                model_breakdown: models
                    .into_iter()
                    .map(|(model, cost, input)| ModelUsage {
                        model: model.into(),
                        tokens: Tokens {
                            input,
                            output: input / 2,
                            cache_read: 0,
                            cache_creation: 1,
                        },
                        estimated_cost: cost.map(|(currency, amount)| Cost {
                            currency: currency.into(),
                            amount,
                        }),
                    })
                    .collect(),
            },
        )
}

/// A range from any day of 2023–2026 (across month and year ends and
/// 2024-02-29), each day loaded or not, and the order the loaded ones arrive in.
type Case = (DateRange, Vec<Option<Vec<UsageRecord>>>, Vec<usize>);

fn case() -> impl Strategy<Value = Case> {
    let base = NaiveDate::from_ymd_opt(2023, 1, 1).expect("a date");
    (0..1_461u64, 1..70usize).prop_flat_map(move |(offset, n)| {
        let first = base + Days::new(offset);
        let days: Vec<_> = (0..n)
            .map(|i| {
                let day = first + Days::new(i as u64);
                prop::option::weighted(0.85, prop::collection::vec(record(day), 0..6))
            })
            .collect();
        let order = Just((0..n).collect::<Vec<usize>>()).prop_shuffle();
        (Just(first), days, order).prop_map(move |(first, days, order)| {
            let last = first + Days::new(days.len() as u64 - 1);
            let range = DateRange::new(first, last).expect("a range");
            (range, days, order)
        })
    })
}

fn date(range: DateRange, i: usize) -> NaiveDate {
    range.start() + Days::new(i as u64)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn day_by_day_in_any_order_equals_the_whole((range, days, order) in case()) {
        let mut agg = AggregateBuilder::new(range);
        let mut team = ActorTotalsBuilder::new(range);
        for &i in &order {
            if let Some(records) = &days[i] {
                prop_assert_eq!(agg.add_day(date(range, i), records), Ok(()));
                prop_assert_eq!(team.add_day(date(range, i), records), Ok(()));
                prop_assert!(agg.has_day(date(range, i)) && team.has_day(date(range, i)));
            }
        }
        let whole = aggregate(range, |d| {
            let i = (d - range.start()).num_days() as usize;
            days.get(i).and_then(Option::as_deref)
        });
        prop_assert_eq!(agg.finish(), whole);
        let all: Vec<&UsageRecord> = days.iter().flatten().flatten().collect();
        prop_assert_eq!(team.finish(), actor_totals(range, all));
        let sorted: Vec<_> = team.sorted().into_iter().cloned().collect();
        prop_assert_eq!(sorted, team.finish());
    }

    #[test]
    fn part_way_equals_the_days_added_so_far((range, days, order) in case()) {
        // After half of the arrivals, the figures are those of the days in.
        let half = &order[..order.len() / 2];
        let mut agg = AggregateBuilder::new(range);
        let mut team = ActorTotalsBuilder::new(range);
        for &i in half {
            if let Some(records) = &days[i] {
                prop_assert_eq!(agg.add_day(date(range, i), records), Ok(()));
                prop_assert_eq!(team.add_day(date(range, i), records), Ok(()));
            }
        }
        let loaded = |i: usize| half.contains(&i);
        let whole = aggregate(range, |d| {
            let i = (d - range.start()).num_days() as usize;
            days.get(i).and_then(Option::as_deref).filter(|_| loaded(i))
        });
        prop_assert_eq!(agg.finish(), whole);
        let some: Vec<&UsageRecord> = days
            .iter()
            .enumerate()
            .filter(|(i, _)| loaded(*i))
            .flat_map(|(_, d)| d.iter().flatten())
            .collect();
        prop_assert_eq!(team.finish(), actor_totals(range, some));
    }
}

#[test]
fn a_day_counts_once_and_only_inside_the_range() {
    let first = NaiveDate::from_ymd_opt(2025, 12, 30).expect("a date");
    let range = DateRange::new(first, first + Days::new(3)).expect("a range");
    let mut agg = AggregateBuilder::new(range);
    let mut team = ActorTotalsBuilder::new(range);
    let jan_1 = first + Days::new(2);
    assert_eq!(agg.add_day(jan_1, &[]), Ok(()));
    assert_eq!(team.add_day(jan_1, &[]), Ok(()));
    assert_eq!(
        agg.add_day(jan_1, &[]),
        Err(AddDayError::AlreadyAdded(jan_1))
    );
    assert_eq!(
        team.add_day(jan_1, &[]),
        Err(AddDayError::AlreadyAdded(jan_1))
    );
    for outside in [first - Days::new(1), first + Days::new(4)] {
        assert_eq!(
            agg.add_day(outside, &[]),
            Err(AddDayError::OutOfRange(outside))
        );
        assert_eq!(
            team.add_day(outside, &[]),
            Err(AddDayError::OutOfRange(outside))
        );
        assert!(!agg.has_day(outside) && !team.has_day(outside));
    }
    let finished = agg.finish();
    assert_eq!(finished.totals.days_loaded, 1);
    assert_eq!(finished.totals.days_total, 4);
    assert!(team.finish().is_empty());
}
