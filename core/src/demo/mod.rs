//! A deterministic demo organization: dozens of people and a few API keys,
//! six months of history, weekday/weekend rhythm, holidays, heavy and light
//! users, several models. It produces records of exactly the API's shape, so
//! demo mode runs through the same decoding and aggregation as real data.
//!
//! Every value is a pure function of ([`DemoConfig`], day): no clock, no
//! global state, and days can be asked for in any order.

mod activity;
mod pricing;
mod rhythm;
mod rng;
mod roster;

use chrono::NaiveDate;

use crate::model::record::UsageRecord;
use activity::{member_day, DayContext, OrgContext};
use rng::{Rng, Stream};
use roster::{roster, sub_days, ORG_AGE_DAYS};

pub use activity::UNKNOWN_TOOL;
pub use pricing::{cost_cents, price_of, ModelPrice, HAIKU, MODELS, OPUS, SONNET};
pub use roster::{DemoMember, EMAIL_DOMAIN};

/// What the demo organization looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoConfig {
    pub seed: u64,
    /// Number of people; five API keys come on top.
    pub members: usize,
    /// The last day with usage (the app passes the browser's UTC today); the
    /// organization started about six months before it.
    pub today: NaiveDate,
}

impl DemoConfig {
    pub const DEFAULT_SEED: u64 = 0x00C0_FFEE_2025;
    pub const DEFAULT_MEMBERS: usize = 40;
}

impl Default for DemoConfig {
    /// The standard demo; `today` is a fixed date callers normally replace.
    fn default() -> Self {
        DemoConfig {
            seed: Self::DEFAULT_SEED,
            members: Self::DEFAULT_MEMBERS,
            today: NaiveDate::from_ymd_opt(2025, 10, 31).unwrap_or_default(),
        }
    }
}

/// The demo organization, built once; generating a day is cheap.
#[derive(Debug, Clone)]
pub struct DemoOrg {
    config: DemoConfig,
    started: NaiveDate,
    organization_id: String,
    members: Vec<DemoMember>,
}

impl DemoOrg {
    /// The most recent days (newest first) as the console API's JSON, one page
    /// per day, until `wanted` records: the benchmarks' input. Also returns the
    /// range those days cover.
    pub fn api_days_json(
        &self,
        wanted: usize,
    ) -> (crate::model::dates::DateRange, Vec<(NaiveDate, String)>) {
        let today = self.config.today;
        let (mut days, mut total, mut day) = (Vec::new(), 0, today);
        // Ten years back at most: the organization is younger than that.
        while total < wanted && days.len() < 3_660 {
            let mut records = self.records_for_day(day);
            records.truncate(wanted - total);
            total += records.len();
            let page = crate::model::record::UsagePage {
                data: records,
                has_more: false,
                next_page: None,
            };
            days.push((day, serde_json::to_string(&page).unwrap_or_default()));
            day = day.pred_opt().unwrap_or(NaiveDate::MIN);
        }
        let first = days.last().map_or(today, |(d, _)| *d);
        let range = crate::model::dates::DateRange::new(first, today)
            .unwrap_or_else(|_| crate::model::dates::DateRange::day(today));
        (range, days)
    }

    pub fn new(config: DemoConfig) -> Self {
        let started = sub_days(config.today, ORG_AGE_DAYS);
        DemoOrg {
            config,
            started,
            organization_id: organization_id(config.seed),
            members: roster(config.seed, config.members, started, config.today),
        }
    }

    pub fn config(&self) -> &DemoConfig {
        &self.config
    }

    /// The first day with usage.
    pub fn started(&self) -> NaiveDate {
        self.started
    }

    pub fn organization_id(&self) -> &str {
        &self.organization_id
    }

    /// Every actor ever in the organization: people first, then API keys.
    pub fn members(&self) -> &[DemoMember] {
        &self.members
    }

    /// The records of one UTC day, in roster order; empty before the
    /// organization started and after `today`.
    pub fn records_for_day(&self, day: NaiveDate) -> Vec<UsageRecord> {
        if day < self.started || day > self.config.today {
            return Vec::new();
        }
        let org = OrgContext {
            seed: self.config.seed,
            organization_id: &self.organization_id,
        };
        let context = DayContext::new(self.config.seed, day);
        let mut records = Vec::with_capacity(self.members.len() / 2 + 8);
        for member in &self.members {
            member_day(&org, &context, member, &mut records);
        }
        records
    }
}

/// A UUID-shaped, seed-derived organization id.
fn organization_id(seed: u64) -> String {
    let mut rng = Rng::keyed(seed, Stream::Organization, 0, 0);
    let (a, b) = (rng.next_u64(), rng.next_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        ((b >> 48) & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use chrono::{Datelike, Days, Weekday};

    use crate::model::name::Name;

    use super::*;
    use crate::model::decode::decode_usage_page;
    use crate::model::record::{Actor, UsagePage};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 10, 15).unwrap()
    }

    fn org() -> DemoOrg {
        DemoOrg::new(DemoConfig {
            today: today(),
            ..DemoConfig::default()
        })
    }

    /// The `n` days ending with `today()`, oldest first.
    fn last_days(n: u64) -> Vec<NaiveDate> {
        (0..n).rev().map(|i| today() - Days::new(i)).collect()
    }

    fn decisions(record: &UsageRecord) -> u64 {
        record
            .tool_actions
            .values()
            .map(|a| a.accepted + a.rejected)
            .sum()
    }

    #[test]
    fn same_day_twice_and_any_order_give_the_same_records() {
        let org = org();
        let days = last_days(40);
        let forward: Vec<Vec<UsageRecord>> = days.iter().map(|&d| org.records_for_day(d)).collect();
        let other = DemoOrg::new(*org.config());
        let mut backward: Vec<Vec<UsageRecord>> = days
            .iter()
            .rev()
            .map(|&d| other.records_for_day(d))
            .collect();
        backward.reverse();
        assert_eq!(forward, backward);
        assert_eq!(org.records_for_day(today()), org.records_for_day(today()));
        assert!(forward.iter().all(|day| !day.is_empty()));
        // Another seed is another organization.
        let seeded = DemoOrg::new(DemoConfig {
            seed: 1,
            ..*org.config()
        });
        assert_ne!(
            seeded.records_for_day(today()),
            org.records_for_day(today())
        );
        assert_ne!(seeded.organization_id(), org.organization_id());
    }

    #[test]
    fn records_round_trip_through_json_and_the_decoder() {
        let org = org();
        for day in last_days(30) {
            let records = org.records_for_day(day);
            for record in &records {
                assert_eq!(record.date, day);
                let json = serde_json::to_string(record).unwrap();
                let back: UsageRecord = serde_json::from_str(&json).unwrap();
                assert_eq!(&back, record);
            }
            let page = UsagePage {
                data: records,
                has_more: false,
                next_page: None,
            };
            let json = serde_json::to_string(&page).unwrap();
            assert_eq!(decode_usage_page(day, &json).unwrap(), page);
        }
    }

    #[test]
    fn weekends_are_much_quieter_over_a_quarter() {
        let org = org();
        let (mut weekday, mut weekend) = ((0u64, 0u64, 0u64), (0u64, 0u64, 0u64));
        for day in last_days(91) {
            let records = org.records_for_day(day);
            let sessions: u64 = records.iter().map(|r| r.core_metrics.num_sessions).sum();
            let slot = match day.weekday() {
                Weekday::Sat | Weekday::Sun => &mut weekend,
                _ => &mut weekday,
            };
            slot.0 += 1;
            slot.1 += records.len() as u64;
            slot.2 += sessions;
        }
        assert_eq!((weekday.0, weekend.0), (65, 26));
        // Per-day averages, cross-multiplied: weekend < 30 % of weekday.
        assert!(weekend.1 * weekday.0 * 10 < weekday.1 * weekend.0 * 3);
        assert!(weekend.2 * weekday.0 * 10 < weekday.2 * weekend.0 * 3);
    }

    #[test]
    fn a_month_shows_keys_models_terminals_and_subscriptions() {
        let org = org();
        let mut keys = BTreeSet::new();
        let mut models = BTreeSet::new();
        let mut terminals = BTreeSet::new();
        let mut subscriptions = BTreeMap::new();
        let mut unknown_tool = 0;
        for day in last_days(30) {
            for r in org.records_for_day(day) {
                if let Actor::ApiKey { api_key_name } = &r.actor {
                    keys.insert(api_key_name.clone());
                }
                models.extend(r.model_breakdown.iter().map(|m| m.model.clone()));
                terminals.insert(r.terminal_type.clone().unwrap());
                *subscriptions
                    .entry(r.subscription_type.clone())
                    .or_insert(0) += 1;
                unknown_tool += usize::from(r.tool_actions.contains_key(UNKNOWN_TOOL));
                assert_eq!(r.organization_id.as_deref(), Some(org.organization_id()));
            }
        }
        assert!(keys.len() >= 3, "{keys:?}");
        assert_eq!(models.len(), 3, "{models:?}");
        assert!(terminals.len() >= 4, "{terminals:?}");
        assert!(subscriptions[&None] > 0);
        assert!(subscriptions[&Some(Name::from("enterprise"))] > 0);
        assert!(subscriptions[&Some(Name::from("enterprise"))] < subscriptions[&None]);
        assert!(unknown_tool > 0);
    }

    #[test]
    fn costs_match_model_prices_and_are_usd() {
        let org = org();
        let mut total_cents = 0;
        for day in last_days(14) {
            for r in org.records_for_day(day) {
                assert!(!r.model_breakdown.is_empty());
                for m in &r.model_breakdown {
                    let price = price_of(&m.model).unwrap();
                    let cost = m.estimated_cost.as_ref().unwrap();
                    assert_eq!(cost.currency, "USD");
                    assert_eq!(cost.amount, cost_cents(price, &m.tokens));
                    total_cents += cost.amount;
                }
            }
        }
        // A 40-person team: tens to a few hundred dollars a day.
        let per_day = total_cents / 14 / 100;
        assert!((20..1_000).contains(&per_day), "${per_day}/day");
    }

    #[test]
    fn holidays_are_quiet_and_every_day_adds_up() {
        let org = org();
        let seed = org.config().seed;
        let (mut holiday_records, mut holidays) = (0usize, 0usize);
        let (mut weekday_records, mut weekdays) = (0usize, 0usize);
        for day in last_days(90) {
            let records = org.records_for_day(day);
            // A day with any activity has edits, lines and decisions too.
            if !records.is_empty() {
                let lines: u64 = records
                    .iter()
                    .map(|r| r.core_metrics.lines_of_code.added)
                    .sum();
                let decided: u64 = records.iter().map(decisions).sum();
                assert!(
                    lines > 0 && decided > 0,
                    "{day}: {} records, no lines",
                    records.len()
                );
            }
            if rhythm::is_holiday(seed, day) {
                holiday_records += records.len();
                holidays += 1;
            } else if !rhythm::is_weekend(day) {
                weekday_records += records.len();
                weekdays += 1;
            }
        }
        // 90 days hold at least three whole three-week blocks.
        assert!(holidays >= 3, "{holidays} holidays");
        let holiday = holiday_records as f64 / holidays as f64;
        let weekday = weekday_records as f64 / weekdays as f64;
        assert!(
            holiday < weekday * 0.4,
            "{holiday:.1} a holiday, {weekday:.1} a weekday"
        );
        // Ordinary working days have a few records without any decision.
        let mut without = 0;
        let mut with = 0;
        for day in last_days(30) {
            for r in org.records_for_day(day) {
                if decisions(&r) == 0 {
                    without += 1;
                } else {
                    with += 1;
                    assert!(r.tool_actions["edit_tool"].accepted > 0);
                }
            }
        }
        assert!(
            without > 0 && with > 5 * without,
            "{with} with, {without} without"
        );
    }

    #[test]
    fn edits_are_mostly_accepted() {
        let org = org();
        let (mut accepted, mut rejected) = (0, 0);
        for day in last_days(30) {
            for r in org.records_for_day(day) {
                for a in r.tool_actions.values() {
                    accepted += a.accepted;
                    rejected += a.rejected;
                }
                let lines = r.core_metrics.lines_of_code;
                assert_eq!(decisions(&r) == 0, lines.added == 0, "{r:?}");
            }
        }
        let rate = accepted as f64 / (accepted + rejected) as f64;
        assert!((0.85..0.97).contains(&rate), "{rate}");
    }

    #[test]
    fn nothing_before_the_start_or_after_today() {
        let org = org();
        assert_eq!(org.started(), today() - Days::new(182));
        assert!(org.records_for_day(today() + Days::new(1)).is_empty());
        assert!(org.records_for_day(today() + Days::new(400)).is_empty());
        assert!(org.records_for_day(org.started() - Days::new(1)).is_empty());
        assert!(!org.records_for_day(org.started()).is_empty());
        assert!(!org.records_for_day(today()).is_empty());
        for day in [org.started(), today() - Days::new(60), today()] {
            for r in org.records_for_day(day) {
                let member = org.members().iter().find(|m| m.actor == r.actor).unwrap();
                assert!(member.is_member_on(day));
            }
        }
    }

    #[test]
    fn the_team_grows_and_has_heavy_and_light_users() {
        let org = org();
        assert_eq!(org.members().len(), 45);
        let distinct = |days: &[NaiveDate]| -> BTreeSet<Actor> {
            days.iter()
                .flat_map(|&d| org.records_for_day(d))
                .map(|r| r.actor)
                .collect()
        };
        let days = last_days(120);
        let early = distinct(&days[..30]);
        let late = distinct(&days[90..]);
        assert!(
            early.len() + 5 <= late.len(),
            "{} → {}",
            early.len(),
            late.len()
        );

        let mut spend: BTreeMap<Actor, u64> = BTreeMap::new();
        for r in days[90..].iter().flat_map(|&d| org.records_for_day(d)) {
            let cents: u64 = r
                .model_breakdown
                .iter()
                .map(|m| m.estimated_cost.as_ref().unwrap().amount)
                .sum();
            *spend.entry(r.actor).or_insert(0) += cents;
        }
        let people: Vec<u64> = spend
            .iter()
            .filter(|(a, _)| a.kind() == Actor::USER_TYPE)
            .map(|(_, c)| *c)
            .collect();
        let (min, max) = (people.iter().min().unwrap(), people.iter().max().unwrap());
        assert!(*max > 10 * *min.max(&1), "{min} .. {max}");
    }

    #[test]
    fn ten_thousand_members() {
        let org = DemoOrg::new(DemoConfig {
            members: 10_000,
            ..org().config
        });
        assert_eq!(org.members().len(), 10_005);
        let monday = NaiveDate::from_ymd_opt(2025, 10, 13).unwrap();
        let records = org.records_for_day(monday);
        // Most of the ~9,500 people who have joined by then, not all of them.
        assert!((4_000..9_000).contains(&records.len()), "{}", records.len());
        let actors: BTreeSet<&Actor> = records.iter().map(|r| &r.actor).collect();
        assert!(actors.len() < records.len());
        // The 40-person organization is the same people (and the same usage).
        let small = org_records_of_first(&records, 40);
        let forty: Vec<UsageRecord> = self::org()
            .records_for_day(monday)
            .into_iter()
            .filter(|r| r.actor.kind() == Actor::USER_TYPE)
            .collect();
        assert_eq!(small, forty);
    }

    /// The records of the first `n` people of the roster.
    fn org_records_of_first(records: &[UsageRecord], n: usize) -> Vec<UsageRecord> {
        let org = org();
        let first: BTreeSet<&Actor> = org.members()[..n].iter().map(|m| &m.actor).collect();
        records
            .iter()
            .filter(|r| first.contains(&r.actor))
            .cloned()
            .collect()
    }

    #[test]
    fn api_days_json_stops_at_the_wanted_records() {
        let org = DemoOrg::new(DemoConfig::default());
        let (range, days) = org.api_days_json(500);
        let total: usize = days
            .iter()
            .map(|(day, json)| {
                crate::model::decode::decode_usage_page(*day, json)
                    .unwrap()
                    .data
                    .len()
            })
            .sum();
        assert_eq!(total, 500);
        assert_eq!(range.end(), DemoConfig::default().today);
        assert_eq!(range.len_days() as usize, days.len());
    }

    #[test]
    fn default_config_and_organization_id() {
        let config = DemoConfig::default();
        assert_eq!(config.members, 40);
        assert_eq!(config.seed, DemoConfig::DEFAULT_SEED);
        let id = organization_id(config.seed);
        assert_eq!(id.len(), 36);
        assert_eq!(id.matches('-').count(), 4);
        assert_eq!(&id[14..15], "4");
        assert_eq!(id, organization_id(config.seed));
        // Extreme dates do not panic.
        let edge = DemoOrg::new(DemoConfig {
            today: NaiveDate::MIN,
            ..config
        });
        assert!(!edge.records_for_day(NaiveDate::MIN).is_empty());
        let edge = DemoOrg::new(DemoConfig {
            today: NaiveDate::MAX,
            ..config
        });
        assert!(!edge.records_for_day(NaiveDate::MAX).is_empty());
    }
}
