//! The summary path equals the raw path: a [`Summary`] built from records,
//! written to JSON and read back, gives the same [`Aggregates`] and per-actor
//! totals as aggregating the records directly, on the hand-made fixture, the
//! demo organization and generated records. Also the size of a 10,000-member,
//! 90-day summary.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;

use cca_core::demo::{DemoConfig, DemoOrg};
use cca_core::model::aggregate::{aggregate, Aggregates};
use cca_core::model::dates::DateRange;
use cca_core::model::day_part::DayPart;
use cca_core::model::fixture::{small_org_records, small_org_records_without_cost};
use cca_core::model::record::{
    Actor, CoreMetrics, Cost, LinesOfCode, ModelUsage, Tokens, ToolAction, UsageRecord,
};
use cca_core::model::team::{actor_totals, ActorTotals};
use cca_core::model::totals::Spend;
use cca_core::summary::Summary;
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// Records grouped by day, and a lookup that leaves `unloaded` days out.
struct Loaded {
    by_day: HashMap<NaiveDate, Vec<UsageRecord>>,
    unloaded: Vec<NaiveDate>,
}

impl Loaded {
    fn new(records: impl IntoIterator<Item = UsageRecord>, unloaded: &[NaiveDate]) -> Self {
        let mut by_day: HashMap<NaiveDate, Vec<UsageRecord>> = HashMap::new();
        for record in records {
            by_day.entry(record.date).or_default().push(record);
        }
        Loaded {
            by_day,
            unloaded: unloaded.to_vec(),
        }
    }

    fn get(&self, date: NaiveDate) -> Option<&[UsageRecord]> {
        if self.unloaded.contains(&date) {
            return None;
        }
        Some(self.by_day.get(&date).map_or(&[][..], Vec::as_slice))
    }
}

/// What the browser computes from the raw records.
fn raw(range: DateRange, days: &Loaded) -> (Aggregates, Vec<ActorTotals>) {
    let aggregates = aggregate(range, |d| days.get(d));
    let actors = actor_totals(range, range.days().filter_map(|d| days.get(d)).flatten());
    (aggregates, actors)
}

/// The summary path: built, written, read back, turned into the app's types.
fn via_summary(range: DateRange, days: &Loaded) -> (Aggregates, Vec<ActorTotals>, usize) {
    let summary = Summary::from_records(range, |d| days.get(d));
    let json = serde_json::to_string(&summary).expect("serializes");
    // A server that keeps a part per day answers the very same summary.
    let parts: HashMap<NaiveDate, DayPart> = range
        .days()
        .filter_map(|d| {
            days.get(d)
                .map(|records| (d, DayPart::from_records(d, records)))
        })
        .collect();
    let from_parts = Summary::from_day_parts(range, |d| parts.get(&d));
    assert_eq!(
        serde_json::to_string(&from_parts).expect("serializes"),
        json,
        "{range} from day parts"
    );
    let decoded = Summary::decode(&json).expect("decodes");
    assert_eq!(decoded, summary);
    (decoded.aggregates(), decoded.actor_totals(), json.len())
}

/// A spend as the wire carries it: a withheld one has no amounts (what was
/// summed before the first withheld cost is not the spend, and no accessor
/// shows it, but the raw value still holds it).
fn canonical_spend(spend: &Spend) -> Spend {
    let mut out = Spend::new();
    for (currency, minor) in spend.iter() {
        out.add(currency, minor);
    }
    if spend.is_withheld() {
        out.withhold();
    }
    out
}

fn canonical(
    mut aggregates: Aggregates,
    mut actors: Vec<ActorTotals>,
) -> (Aggregates, Vec<ActorTotals>) {
    for day in &mut aggregates.days {
        day.spend = canonical_spend(&day.spend);
    }
    aggregates.totals.spend = canonical_spend(&aggregates.totals.spend);
    for model in &mut aggregates.per_model {
        model.spend = canonical_spend(&model.spend);
    }
    for actor in &mut actors {
        actor.spend = canonical_spend(&actor.spend);
    }
    (aggregates, actors)
}

fn assert_same(range: DateRange, days: &Loaded) {
    let (aggregates, actors) = raw(range, days);
    let (got_aggregates, got_actors, _) = via_summary(range, days);
    assert_eq!(got_aggregates, aggregates, "{range}");
    assert_eq!(got_actors, actors, "{range}");
}

#[test]
fn the_fixture_with_and_without_costs() {
    for records in [small_org_records(), small_org_records_without_cost()] {
        let days = Loaded::new(records, &[day(2025, 9, 9)]);
        for (from, to) in [
            (day(2025, 9, 1), day(2025, 9, 30)),
            (day(2025, 8, 25), day(2025, 9, 9)),
            (day(2025, 9, 8), day(2025, 9, 8)),
            (day(2025, 9, 9), day(2025, 9, 9)),
            (day(2025, 9, 10), day(2025, 10, 3)),
        ] {
            assert_same(DateRange::new(from, to).expect("a range"), &days);
        }
    }
}

#[test]
fn a_summary_that_ends_at_the_server_s_today_lays_over_the_app_s_range() {
    // The browser's today is a day after the server's (a clock, or midnight
    // between the two): the server answers up to its today; the app's range
    // goes one day further, which it has not loaded.
    let records = small_org_records();
    let days = Loaded::new(records, &[]);
    let asked = DateRange::new(day(2025, 9, 8), day(2025, 9, 11)).expect("a range");
    let answered = DateRange::new(day(2025, 9, 8), day(2025, 9, 10)).expect("a range");
    let summary = Summary::from_records(answered, |d| days.get(d));
    let over = summary.aggregates_over(asked);
    let expected = aggregate(asked, |d| {
        (d <= answered.end()).then(|| days.get(d)).flatten()
    });
    assert_eq!(over, expected);
    assert_eq!((over.totals.days_loaded, over.totals.days_total), (3, 4));
    assert_eq!(summary.aggregates_over(answered), summary.aggregates());
    // A range it did not answer: nothing of it is known.
    let other = DateRange::new(day(2025, 9, 7), day(2025, 9, 11)).expect("a range");
    assert_eq!(summary.aggregates_over(other), aggregate(other, |_| None));
}

#[test]
fn the_demo_organization_across_a_month_and_a_year_end() {
    let org = DemoOrg::new(DemoConfig {
        today: day(2026, 1, 20),
        ..DemoConfig::default()
    });
    let range_days = |from: NaiveDate, to: NaiveDate| DateRange::new(from, to).expect("a range");
    let all = range_days(day(2025, 10, 1), day(2026, 1, 20));
    let records = all.days().flat_map(|d| org.records_for_day(d));
    // One day that failed to load in each range.
    let days = Loaded::new(
        records,
        &[day(2025, 11, 30), day(2025, 12, 31), day(2025, 12, 15)],
    );
    for range in [
        // Across a month end.
        range_days(day(2025, 11, 20), day(2025, 12, 10)),
        // Across the year end.
        range_days(day(2025, 12, 15), day(2026, 1, 15)),
        // From the 1st, a whole month.
        range_days(day(2025, 12, 1), day(2025, 12, 31)),
        // From the 1st, month to date.
        range_days(day(2026, 1, 1), day(2026, 1, 20)),
        // 90 days up to "today", and a day past it (no usage yet).
        DateRange::ending(day(2026, 1, 20), 90),
        range_days(day(2026, 1, 19), day(2026, 1, 21)),
    ] {
        let (aggregates, actors) = raw(range, &days);
        assert!(aggregates.totals.sessions > 0, "{range} has usage");
        assert!(actors.len() > 10, "{range} has members");
        assert_same(range, &days);
    }
}

const TOOLS: [&str; 4] = [
    "edit_tool",
    "write_tool",
    "notebook_edit_tool",
    "lasso_tool",
];
const MODELS: [&str; 3] = ["claude-sonnet-4", "claude-opus-4", "claude-haiku-3-5"];

/// Up to 8 actors of the three kinds; some costs withheld, two currencies.
fn record(date: NaiveDate) -> impl Strategy<Value = UsageRecord> {
    let actor = prop_oneof![
        (0..5u8).prop_map(|i| Actor::User {
            email_address: format!("dev{i}@example.com").into()
        }),
        (0..2u8).prop_map(|i| Actor::ApiKey {
            api_key_name: format!("ci-key-{i}").into()
        }),
        prop::option::of(0..2u8).prop_map(|i| Actor::Other {
            kind: "robot_actor".into(),
            id: i.map(|i| format!("r{i}"))
        }),
    ];
    (
        actor,
        prop::array::uniform5(0..3_000u64),
        prop::collection::btree_map(prop::sample::select(&TOOLS[..]), (0..40u64, 0..40u64), 0..4),
        prop::collection::vec(
            (
                prop::sample::select(&MODELS[..]),
                prop::option::weighted(
                    0.9,
                    (prop::sample::select(&["USD", "EUR"][..]), 0..5_000u64),
                ),
                0..9_000u64,
            ),
            0..3,
        ),
        prop::option::of(prop::sample::select(vec!["vscode", "tmux"])),
    )
        .prop_map(
            move |(actor, [sessions, added, removed, commits, prs], tools, models, terminal)| {
                UsageRecord {
                    date,
                    actor,
                    organization_id: Some("org".into()),
                    customer_type: Some("api".into()),
                    subscription_type: None,
                    terminal_type: terminal.map(Into::into),
                    core_metrics: CoreMetrics {
                        num_sessions: sessions,
                        lines_of_code: LinesOfCode { added, removed },
                        commits_by_claude_code: commits,
                        pull_requests_by_claude_code: prs,
                    },
                    tool_actions: tools
                        .into_iter()
                        .map(|(key, (accepted, rejected))| (key, ToolAction { accepted, rejected }))
                        .collect(),
                    model_breakdown: models
                        .into_iter()
                        .map(|(model, cost, input)| ModelUsage {
                            model: model.into(),
                            tokens: Tokens {
                                input,
                                output: input / 3,
                                cache_read: input / 7,
                                cache_creation: 1,
                            },
                            estimated_cost: cost.map(|(currency, amount)| Cost {
                                currency: currency.into(),
                                amount,
                            }),
                        })
                        .collect(),
                }
            },
        )
}

/// A first day from 2023 to 2026, and up to 45 days from it, each loaded
/// (with up to 8 records) or not.
#[allow(clippy::type_complexity)]
fn generated() -> impl Strategy<Value = (NaiveDate, Vec<Option<Vec<UsageRecord>>>)> {
    (0..1_461u64, 1..45usize).prop_flat_map(|(offset, n)| {
        let first = day(2023, 1, 1) + Days::new(offset);
        let days: Vec<_> = (0..n)
            .map(|i| {
                prop::option::weighted(
                    0.85,
                    prop::collection::vec(record(first + Days::new(i as u64)), 0..8),
                )
            })
            .collect();
        (Just(first), days)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn generated_records_give_the_same_figures_either_way((first, generated) in generated()) {
        let range = DateRange::ending(first + Days::new(generated.len() as u64 - 1), generated.len() as u32);
        let unloaded: Vec<NaiveDate> = range.days().zip(&generated).filter(|(_, d)| d.is_none()).map(|(d, _)| d).collect();
        let days = Loaded::new(generated.into_iter().flatten().flatten(), &unloaded);
        let (aggregates, actors) = raw(range, &days);
        let (got_aggregates, got_actors, _) = via_summary(range, &days);
        // A withheld spend comes back without the amounts summed before
        // the first withheld cost: compare what the accessors show.
        let (aggregates, actors) = canonical(aggregates, actors);
        prop_assert_eq!(got_aggregates, aggregates);
        prop_assert_eq!(got_actors, actors);
    }
}

/// The JSON size of a summary of 10,000 members over 90 days. The demo
/// organization's generator gives each member realistic figures; about
/// two-thirds of them have usage on a given weekday.
#[test]
fn size_of_ten_thousand_members_over_ninety_days() {
    let today = day(2025, 10, 31);
    let org = DemoOrg::new(DemoConfig {
        members: 10_000,
        today,
        ..DemoConfig::default()
    });
    let range = DateRange::ending(today, 90);
    let by_day: HashMap<NaiveDate, Vec<UsageRecord>> =
        range.days().map(|d| (d, org.records_for_day(d))).collect();
    let records: usize = by_day.values().map(Vec::len).sum();
    let summary = Summary::from_records(range, |d| by_day.get(&d).map(Vec::as_slice));
    let json = serde_json::to_string(&summary).expect("serializes");
    let raw_bytes: usize = by_day
        .values()
        .map(|r| serde_json::to_string(r).map_or(0, |s| s.len()))
        .sum();
    println!(
        "summary of {} actors over {} days ({records} records): {} bytes of JSON ({:.1} KiB); the raw records: {} bytes ({:.1} MiB)",
        summary.actor_count(),
        range.len_days(),
        json.len(),
        json.len() as f64 / 1024.0,
        raw_bytes,
        raw_bytes as f64 / (1024.0 * 1024.0),
    );
    assert!(summary.actor_count() > 9_000, "{}", summary.actor_count());
    assert_eq!(Summary::decode(&json).expect("decodes"), summary);
}
