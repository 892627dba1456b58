//! Property tests (native): aggregation agrees with a straightforward
//! reference computation on generated data, and the decoder and aggregation
//! never panic on arbitrary bytes, arbitrary JSON or counts near `u64::MAX`.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use cca_core::model::aggregate::aggregate;
use cca_core::model::dates::DateRange;
use cca_core::model::decode::decode_usage_page;
use cca_core::model::name::Name;
use cca_core::model::record::{
    Actor, CoreMetrics, Cost, LinesOfCode, ModelUsage, Tokens, ToolAction, UsagePage, UsageRecord,
};
use cca_core::model::team::actor_totals;
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 1).expect("a date")
}

const TOOLS: [&str; 5] = [
    "edit_tool",
    "multi_edit_tool",
    "write_tool",
    "notebook_edit_tool",
    "lasso_tool",
];
const MODELS: [&str; 3] = ["claude-sonnet-4", "claude-opus-4", "claude-haiku-3-5"];
const CURRENCIES: [&str; 2] = ["USD", "EUR"];

fn actor() -> impl Strategy<Value = Actor> {
    prop_oneof![
        (0..6u8).prop_map(|i| Actor::User {
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

/// Counts small enough that a reference sum in u128 never saturates.
fn count() -> impl Strategy<Value = u64> {
    0..5_000u64
}

fn record(day: NaiveDate) -> impl Strategy<Value = UsageRecord> {
    (
        actor(),
        (count(), count(), count(), count(), count()),
        prop::collection::btree_map(prop::sample::select(&TOOLS[..]), (0..50u64, 0..50u64), 0..4),
        prop::collection::vec(
            (
                prop::sample::select(&MODELS[..]),
                prop::sample::select(&CURRENCIES[..]),
                count(),
                count(),
            ),
            0..3,
        ),
        prop::option::of(prop::sample::select(vec!["vscode", "iTerm.app", "tmux"])),
    )
        .prop_map(
            move |(actor, (sessions, added, removed, commits, prs), tools, models, terminal)| {
                UsageRecord {
                    date: day,
                    actor,
                    organization_id: Some("org".into()),
                    customer_type: Some("api".into()),
                    subscription_type: None,
                    terminal_type: terminal.map(Name::from),
                    core_metrics: CoreMetrics {
                        num_sessions: sessions,
                        lines_of_code: LinesOfCode { added, removed },
                        commits_by_claude_code: commits,
                        pull_requests_by_claude_code: prs,
                    },
                    tool_actions: tools
                        .into_iter()
                        .map(|(k, (accepted, rejected))| (k, ToolAction { accepted, rejected }))
                        .collect(),
                    model_breakdown: models
                        .into_iter()
                        .map(|(model, currency, amount, input)| ModelUsage {
                            model: model.into(),
                            tokens: Tokens {
                                input,
                                output: amount / 3,
                                cache_read: 0,
                                cache_creation: 1,
                            },
                            estimated_cost: Some(Cost {
                                currency: currency.into(),
                                amount,
                            }),
                        })
                        .collect(),
                }
            },
        )
}

/// Any first day from 2023 to 2026: ranges from it cross month and year ends
/// and 2024-02-29.
fn first_day() -> impl Strategy<Value = NaiveDate> {
    let base = NaiveDate::from_ymd_opt(2023, 1, 1).expect("a date");
    (0..1_461u64).prop_map(move |offset| base + Days::new(offset))
}

/// Up to `max_days` days from `first`, each loaded (with up to `per_day`
/// records) or not.
fn days_from(
    first: NaiveDate,
    max_days: usize,
    per_day: usize,
) -> impl Strategy<Value = Vec<Option<Vec<UsageRecord>>>> {
    (1..max_days).prop_flat_map(move |n| {
        (0..n)
            .map(|i| {
                let day = first + Days::new(i as u64);
                prop::option::weighted(0.85, prop::collection::vec(record(day), 0..per_day))
            })
            .collect::<Vec<_>>()
    })
}

/// A first day and up to 40 days from it.
fn days() -> impl Strategy<Value = (NaiveDate, Vec<Option<Vec<UsageRecord>>>)> {
    first_day().prop_flat_map(|first| (Just(first), days_from(first, 40, 10)))
}

/// One actor's figures over a range, computed the obvious way.
#[derive(Debug, Default, PartialEq)]
struct ActorReference {
    lines_added: u128,
    lines_removed: u128,
    sessions: u128,
    commits: u128,
    prs: u128,
    accepted: u128,
    rejected: u128,
    tokens: u128,
    spend: BTreeMap<String, u128>,
    days: BTreeSet<NaiveDate>,
}

/// The figures of one day, computed the obvious way.
#[derive(Debug, Default, PartialEq)]
struct Reference {
    lines_added: u128,
    lines_removed: u128,
    sessions: u128,
    commits: u128,
    prs: u128,
    actors: BTreeSet<(String, String)>,
    accepted: u128,
    rejected: u128,
    per_tool: BTreeMap<String, (u128, u128)>,
    spend: BTreeMap<String, u128>,
}

fn reference(records: &[UsageRecord]) -> Reference {
    let mut r = Reference::default();
    for rec in records {
        let c = &rec.core_metrics;
        r.lines_added += u128::from(c.lines_of_code.added);
        r.lines_removed += u128::from(c.lines_of_code.removed);
        r.sessions += u128::from(c.num_sessions);
        r.commits += u128::from(c.commits_by_claude_code);
        r.prs += u128::from(c.pull_requests_by_claude_code);
        r.actors
            .insert((rec.actor.kind().to_owned(), rec.actor.identity().to_owned()));
        for (tool, action) in &rec.tool_actions {
            r.accepted += u128::from(action.accepted);
            r.rejected += u128::from(action.rejected);
            let entry = r.per_tool.entry(tool.to_string()).or_default();
            entry.0 += u128::from(action.accepted);
            entry.1 += u128::from(action.rejected);
        }
        for m in rec.model_breakdown.iter() {
            let cost = m
                .estimated_cost
                .as_ref()
                .expect("generated records carry a cost");
            *r.spend.entry(cost.currency.to_string()).or_default() += u128::from(cost.amount);
        }
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn aggregation_matches_the_reference((first, days) in days()) {
        let range = DateRange::ending(first + Days::new(days.len() as u64 - 1), days.len() as u32);
        prop_assert_eq!(range.start(), first);
        let by_day: HashMap<NaiveDate, &[UsageRecord]> = days
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.as_deref().map(|recs| (first + Days::new(i as u64), recs)))
            .collect();
        let agg = aggregate(range, |d| by_day.get(&d).copied());

        prop_assert_eq!(agg.days.len(), days.len());
        let mut period_actors = BTreeSet::new();
        let mut period = Reference::default();
        for (day, loaded) in agg.days.iter().zip(&days) {
            let Some(records) = loaded else {
                prop_assert!(!day.loaded);
                prop_assert_eq!(day.accept_rate(), None);
                continue;
            };
            let r = reference(records);
            prop_assert!(day.loaded);
            prop_assert_eq!(u128::from(day.lines_added), r.lines_added);
            prop_assert_eq!(u128::from(day.lines_removed), r.lines_removed);
            prop_assert_eq!(u128::from(day.sessions), r.sessions);
            prop_assert_eq!(u128::from(day.commits), r.commits);
            prop_assert_eq!(u128::from(day.pull_requests), r.prs);
            prop_assert_eq!(day.active_users as usize, r.actors.len());
            prop_assert_eq!(u128::from(day.decisions.accepted), r.accepted);
            prop_assert_eq!(u128::from(day.decisions.rejected), r.rejected);
            let expected_rate = (r.accepted + r.rejected > 0)
                .then(|| r.accepted as f64 / (r.accepted + r.rejected) as f64);
            prop_assert_eq!(day.accept_rate(), expected_rate);
            for (tool, (a, rej)) in &r.per_tool {
                let got = day.per_tool.get(tool).copied().unwrap_or_default();
                prop_assert_eq!((u128::from(got.accepted), u128::from(got.rejected)), (*a, *rej));
            }
            for (currency, amount) in &r.spend {
                prop_assert_eq!(day.spend.minor(currency).map(u128::from), Some(*amount));
            }
            period_actors.extend(r.actors.iter().cloned());
            period.lines_added += r.lines_added;
            period.accepted += r.accepted;
            period.rejected += r.rejected;
            for (currency, amount) in r.spend {
                *period.spend.entry(currency).or_default() += amount;
            }
        }
        let t = &agg.totals;
        prop_assert_eq!(t.days_total as usize, days.len());
        prop_assert_eq!(t.days_loaded as usize, days.iter().filter(|d| d.is_some()).count());
        prop_assert_eq!(t.active_users as usize, period_actors.len());
        prop_assert_eq!(u128::from(t.lines_added), period.lines_added);
        prop_assert_eq!(u128::from(t.decisions.accepted), period.accepted);
        prop_assert_eq!(u128::from(t.decisions.rejected), period.rejected);
        // Currencies are never summed together.
        for (currency, amount) in &period.spend {
            prop_assert_eq!(t.spend.minor(currency).map(u128::from), Some(*amount));
        }
        prop_assert_eq!(t.spend.currencies().count(), period.spend.len());
        // The cumulative series ends at the period's total.
        let last_known = agg.cumulative_lines_added().iter().rev().find_map(|(_, v)| *v);
        if t.days_loaded > 0 {
            prop_assert_eq!(last_known, Some(t.lines_added as f64));
        }
    }

    #[test]
    fn actor_totals_match_the_reference_over_any_range(
        (first, days, from, to) in first_day()
            .prop_flat_map(|first| days_from(first, 70, 8).prop_map(move |d| (first, d)))
            .prop_flat_map(|(first, days)| {
                let n = days.len();
                (Just(first), Just(days), 0..n, 0..n)
            }),
    ) {
        let (from, to) = (from.min(to), from.max(to));
        let range = DateRange::new(first + Days::new(from as u64), first + Days::new(to as u64))
            .expect("a range");
        // Every record of every day, also those outside the range: the
        // function must skip them itself.
        let all: Vec<&UsageRecord> = days.iter().flatten().flatten().collect();
        let totals = actor_totals(range, all.iter().copied());

        let mut want: BTreeMap<(String, String), ActorReference> = BTreeMap::new();
        for rec in &all {
            if !range.contains(rec.date) {
                continue;
            }
            let key = (rec.actor.kind().to_owned(), rec.actor.identity().to_owned());
            let r = want.entry(key).or_default();
            let c = &rec.core_metrics;
            r.lines_added += u128::from(c.lines_of_code.added);
            r.lines_removed += u128::from(c.lines_of_code.removed);
            r.sessions += u128::from(c.num_sessions);
            r.commits += u128::from(c.commits_by_claude_code);
            r.prs += u128::from(c.pull_requests_by_claude_code);
            for action in rec.tool_actions.values() {
                r.accepted += u128::from(action.accepted);
                r.rejected += u128::from(action.rejected);
            }
            for m in &rec.model_breakdown {
                let cost = m.estimated_cost.as_ref().expect("generated records carry a cost");
                *r.spend.entry(cost.currency.to_string()).or_default() += u128::from(cost.amount);
                let t = &m.tokens;
                r.tokens += u128::from(t.input) + u128::from(t.output)
                    + u128::from(t.cache_read) + u128::from(t.cache_creation);
            }
            r.days.insert(rec.date);
        }

        prop_assert_eq!(totals.len(), want.len());
        for t in &totals {
            let key = (t.actor.kind().to_owned(), t.actor.identity().to_owned());
            let r = want.get(&key).expect("every actor is in the reference");
            prop_assert_eq!(u128::from(t.lines_added), r.lines_added);
            prop_assert_eq!(u128::from(t.lines_removed), r.lines_removed);
            prop_assert_eq!(u128::from(t.sessions), r.sessions);
            prop_assert_eq!(u128::from(t.commits), r.commits);
            prop_assert_eq!(u128::from(t.pull_requests), r.prs);
            prop_assert_eq!(u128::from(t.decisions.accepted), r.accepted);
            prop_assert_eq!(u128::from(t.decisions.rejected), r.rejected);
            prop_assert_eq!(u128::from(t.tokens), r.tokens);
            let expected_rate = (r.accepted + r.rejected > 0)
                .then(|| r.accepted as f64 / (r.accepted + r.rejected) as f64);
            prop_assert_eq!(t.accept_rate(), expected_rate);
            prop_assert_eq!(t.spend.currencies().count(), r.spend.len());
            for (currency, amount) in &r.spend {
                prop_assert_eq!(t.spend.minor(currency).map(u128::from), Some(*amount));
            }
            prop_assert_eq!(t.days_active as usize, r.days.len());
            prop_assert_eq!(Some(&t.last_active), r.days.last());
        }
        // Highest USD spend first.
        let usd: Vec<u64> = totals.iter().map(|t| t.spend.usd_minor().unwrap_or(0)).collect();
        prop_assert!(usd.windows(2).all(|w| w[0] >= w[1]));
    }

    #[test]
    fn decoding_round_trips_what_serializing_wrote(records in prop::collection::vec(record(start()), 0..8), more in any::<bool>()) {
        let page = UsagePage { data: records, has_more: more, next_page: more.then(|| "c2".to_owned()) };
        let json = serde_json::to_string(&page).expect("serializes");
        let decoded = decode_usage_page(start(), &json).expect("decodes");
        prop_assert_eq!(decoded, page);
    }
}

proptest! {
    // The fuzzing budget: many cases, each one cheap.
    #![proptest_config(ProptestConfig { cases: 4_000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_the_decoder(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = decode_usage_page(start(), &text);
        let _ = cca_core::model::decode::decode_me(&text);
    }

    #[test]
    fn mutated_valid_answers_never_panic(
        records in prop::collection::vec(record(start()), 1..4),
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let page = UsagePage { data: records, has_more: false, next_page: None };
        let mut json = serde_json::to_string(&page).expect("serializes").into_bytes();
        let at = flip.index(json.len());
        json[at] = byte;
        json.truncate(cut.index(json.len() + 1).max(at));
        let text = String::from_utf8_lossy(&json);
        if let Ok(page) = decode_usage_page(start(), &text) {
            let agg = aggregate(DateRange::day(start()), |_| Some(&page.data[..]));
            prop_assert!(agg.totals.days_loaded == 1);
        }
    }

    #[test]
    fn counts_near_u64_max_saturate_instead_of_overflowing(
        n in 1..6usize,
        high in (u64::MAX - 1_000)..=u64::MAX,
    ) {
        let mut records = Vec::new();
        for i in 0..n {
            records.push(UsageRecord {
                date: start(),
                actor: Actor::User { email_address: format!("u{i}@x.io").into() },
                organization_id: None,
                customer_type: None,
                subscription_type: None,
                terminal_type: None,
                core_metrics: CoreMetrics {
                    num_sessions: high,
                    lines_of_code: LinesOfCode { added: high, removed: high },
                    commits_by_claude_code: high,
                    pull_requests_by_claude_code: high,
                },
                tool_actions: [("edit_tool", ToolAction { accepted: high, rejected: high })].into_iter().collect(),
                model_breakdown: vec![ModelUsage {
                    model: "m".into(),
                    tokens: Tokens { input: high, output: high, cache_read: high, cache_creation: high },
                    estimated_cost: Some(Cost { currency: "USD".into(), amount: high }),
                }],
            });
        }
        let json = serde_json::to_string(&UsagePage { data: records, has_more: false, next_page: None }).expect("serializes");
        let page = decode_usage_page(start(), &json).expect("u64 counts decode");
        let range = DateRange::ending(start() + Days::new(2), 3);
        let agg = aggregate(range, |_| Some(&page.data[..]));
        let expected = if n == 1 { high } else { u64::MAX };
        prop_assert_eq!(agg.days[0].lines_added, expected);
        prop_assert_eq!(agg.totals.lines_added, u64::MAX);
        prop_assert_eq!(agg.totals.sessions, u64::MAX);
        let rate = agg.totals.accept_rate().expect("decisions exist");
        prop_assert!((0.0..=1.0).contains(&rate));
    }
}

/// The 2026 record shape (DESIGN.md section 2): one actor's remote and local
/// usage on a day come as two rows (`is_remote`), with new model names,
/// terminal types and fields this app does not know. Sums add both rows;
/// every per-actor or per-day count sees one actor.
#[test]
fn remote_and_local_rows_of_one_actor_are_one_actor() {
    let row = |remote: bool, model: &str, terminal: &str, lines: u64, cents: u64| {
        format!(
            r#"{{"date":"2026-09-01T00:00:00Z","actor":{{"type":"user_actor","email_address":"dev@example.com"}},
            "organization_id":"org","customer_type":"subscription","subscription_type":"enterprise",
            "terminal_type":"{terminal}","is_remote":{remote},"remote_environment":{{"kind":"cloud"}},
            "core_metrics":{{"num_sessions":2,"lines_of_code":{{"added":{lines},"removed":1}},
              "commits_by_claude_code":1,"pull_requests_by_claude_code":0,"future_metric":7}},
            "tool_actions":{{"edit_tool":{{"accepted":3,"rejected":1}}}},
            "model_breakdown":[{{"model":"{model}","tokens":{{"input":10,"output":5,"cache_read":0,"cache_creation":0}},
              "estimated_cost":{{"currency":"USD","amount":{cents}}}}}]}}"#
        )
    };
    let json = format!(
        r#"{{"data":[{},{}],"has_more":false,"next_page":null,"generated_at":"2026-09-02T01:00:00Z"}}"#,
        row(true, "claude-opus-4-8", "tmux", 100, 250),
        row(false, "claude-sonnet-5", "iTerm.app", 40, 50),
    );
    let day = NaiveDate::from_ymd_opt(2026, 9, 1).expect("a date");
    let page = decode_usage_page(day, &json).expect("the 2026 shape decodes");
    assert_eq!(page.data.len(), 2);

    let range = DateRange::day(day);
    let agg = aggregate(range, |_| Some(&page.data[..]));
    assert_eq!(agg.days[0].active_users, 1);
    assert_eq!(agg.totals.active_users, 1);
    assert_eq!(agg.totals.lines_added, 140);
    assert_eq!(agg.totals.sessions, 4);
    assert_eq!(agg.totals.spend.usd_minor(), Some(300));
    let models: BTreeSet<&str> = agg.per_model.iter().map(|m| m.model.as_str()).collect();
    assert_eq!(
        models,
        BTreeSet::from(["claude-opus-4-8", "claude-sonnet-5"])
    );
    let terminals: BTreeSet<&str> = agg.terminals.iter().map(|t| t.terminal.as_str()).collect();
    assert_eq!(terminals, BTreeSet::from(["iTerm.app", "tmux"]));

    let members = actor_totals(range, &page.data);
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].days_active, 1);
    assert_eq!(members[0].lines_added, 140);
    assert_eq!(members[0].decisions.accepted, 6);
    assert_eq!(members[0].spend.usd_minor(), Some(300));
}
