//! Who is in the demo organization: people with fictitious names at
//! `example.com`, and a handful of API keys. Each person's traits depend only
//! on (seed, index), so a 40-member roster is a prefix of a 10,000-member one.

use chrono::{Days, NaiveDate};

use super::pricing::{ModelPrice, HAIKU, OPUS, SONNET};
use super::rng::{Rng, Stream};
use crate::model::record::Actor;

pub const EMAIL_DOMAIN: &str = "example.com";

/// Daily-randomness keys of API keys start here, far above any person index.
const API_KEY_BASE: u64 = 1 << 40;

/// How long before `today` the organization started using Claude Code.
pub(crate) const ORG_AGE_DAYS: u64 = 182;

const FIRST_NAMES: [&str; 64] = [
    "Alex", "Amara", "Ana", "Ben", "Bianca", "Carlos", "Chen", "Chloe", "Daniel", "Dana", "David",
    "Diego", "Elena", "Emma", "Ethan", "Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Isaac",
    "Ivy", "Jamal", "Jonas", "Julia", "Kai", "Kenji", "Lara", "Leo", "Lina", "Lucas", "Maya",
    "Mateo", "Mei", "Mila", "Nadia", "Nina", "Noah", "Omar", "Olivia", "Oscar", "Priya", "Quinn",
    "Rafael", "Rania", "Ravi", "Rosa", "Sam", "Sara", "Sofia", "Tariq", "Theo", "Tomas", "Uma",
    "Victor", "Wei", "Yara", "Yusuf", "Zara", "Aiden", "Bruno", "Clara", "Erik",
];

const LAST_NAMES: [&str; 64] = [
    "Abbott", "Alvarez", "Bauer", "Becker", "Brooks", "Castillo", "Chandra", "Costa", "Dalton",
    "Delgado", "Ellis", "Ferreira", "Fischer", "Foster", "Garcia", "Gupta", "Hale", "Hansen",
    "Hayes", "Ibrahim", "Ito", "Jensen", "Kaur", "Keller", "Kim", "Kowalski", "Larsen", "Lopez",
    "Mahler", "Marsh", "Meyer", "Moreau", "Nakamura", "Novak", "Nguyen", "Okafor", "Olsen", "Park",
    "Patel", "Petrov", "Quint", "Ramos", "Reyes", "Rossi", "Sato", "Schmidt", "Silva", "Singh",
    "Sousa", "Stone", "Tanaka", "Torres", "Ueda", "Vance", "Varga", "Wagner", "Walsh", "Weber",
    "Wong", "Yamada", "Young", "Zhang", "Ziegler", "Zimmer",
];

const TERMINALS: [(&str, u32); 8] = [
    ("vscode", 34),
    ("iTerm.app", 20),
    ("cursor", 14),
    ("tmux", 10),
    ("Apple_Terminal", 6),
    ("ghostty", 6),
    ("WarpTerminal", 5),
    ("windsurf", 5),
];

/// One actor of the demo organization.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoMember {
    pub actor: Actor,
    /// "Maya Okafor", or the key name for an API key.
    pub display_name: String,
    /// First day the actor can have usage.
    pub joined: NaiveDate,
    /// Last day with usage, for people who left.
    pub left: Option<NaiveDate>,
    pub(crate) profile: Profile,
}

impl DemoMember {
    /// Whether the actor can have usage on `day` (joined, not yet left).
    pub fn is_member_on(&self, day: NaiveDate) -> bool {
        day >= self.joined && self.left.is_none_or(|left| day <= left)
    }
}

/// Usage habits behind an actor's records.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Profile {
    /// Keys the actor's daily randomness; stable whatever the roster size.
    pub key: u64,
    pub is_person: bool,
    /// Probability of any usage on a working day, and on a weekend day.
    pub weekday_activity: f64,
    pub weekend_activity: f64,
    /// Scales the amount of work (sessions, tokens, edits) of an active day.
    pub volume: f64,
    /// Probability that an active day includes edit decisions at all.
    pub decision_rate: f64,
    /// Share of suggested edits rejected.
    pub reject_rate: f64,
    /// Relative weight of the write tool (new files) against edits.
    pub write_share: f64,
    pub uses_notebooks: bool,
    pub model: ModelPrice,
    pub terminal: &'static str,
    /// Used on the occasional day a person works in a second terminal.
    pub second_terminal: &'static str,
    pub customer_type: &'static str,
    pub subscription_type: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Heavy,
    Regular,
    Light,
}

/// The full roster: `people` persons followed by the API keys.
pub(crate) fn roster(
    seed: u64,
    people: usize,
    started: NaiveDate,
    today: NaiveDate,
) -> Vec<DemoMember> {
    let mut members: Vec<DemoMember> = (0..people)
        .map(|index| person(seed, index, started, today))
        .collect();
    members.extend(api_keys(started, today));
    members
}

fn person(seed: u64, index: usize, started: NaiveDate, today: NaiveDate) -> DemoMember {
    let mut rng = Rng::keyed(seed, Stream::Roster, index as u64, 0);
    let (first, last, suffix) = name_of(seed, index);
    let display_name = match suffix {
        0 => format!("{first} {last}"),
        n => format!("{first} {last} ({})", n + 1),
    };
    let email_address = match suffix {
        0 => format!(
            "{}.{}@{EMAIL_DOMAIN}",
            first.to_ascii_lowercase(),
            last.to_ascii_lowercase()
        ),
        n => format!(
            "{}.{}{}@{EMAIL_DOMAIN}",
            first.to_ascii_lowercase(),
            last.to_ascii_lowercase(),
            n + 1
        ),
    };

    // About a fifth were there from the start (always the first person, so the
    // organization has someone on day one); the rest joined over the months since.
    let founder = index == 0 || rng.chance(0.2);
    let joined = if founder {
        started
    } else {
        add_days(started, rng.between(1, ORG_AGE_DAYS - 3))
    };
    let left = if rng.chance(0.04) {
        Some(add_days(joined, rng.between(30, 150))).filter(|&d| d < today)
    } else {
        None
    };

    let tier = rng
        .weighted(&[(Tier::Heavy, 20), (Tier::Regular, 50), (Tier::Light, 30)])
        .unwrap_or(Tier::Regular);
    let (weekday_activity, weekend_activity, volume) = match tier {
        Tier::Heavy => (0.93, 0.30, 2.4),
        Tier::Regular => (0.78, 0.10, 1.0),
        Tier::Light => (0.35, 0.03, 0.45),
    };
    let terminal = rng.weighted(&TERMINALS).unwrap_or("vscode");
    let second_terminal = match terminal {
        "tmux" => "iTerm.app",
        _ => "tmux",
    };
    let enterprise = rng.chance(0.15);
    DemoMember {
        actor: Actor::User {
            email_address: email_address.into(),
        },
        display_name,
        joined,
        left,
        profile: Profile {
            key: index as u64,
            is_person: true,
            weekday_activity,
            weekend_activity,
            volume: rng.around(volume, 0.35),
            decision_rate: 0.9,
            reject_rate: rng.around(0.09, 0.65),
            write_share: rng.around(0.18, 0.5),
            uses_notebooks: rng.chance(0.15),
            model: if rng.chance(0.15) { OPUS } else { SONNET },
            terminal,
            second_terminal,
            customer_type: if enterprise { "subscription" } else { "api" },
            subscription_type: enterprise.then_some("enterprise"),
        },
    }
}

/// A unique (first, last, repeat) name for `index`: the 4,096 first/last
/// pairs are walked from a seed-dependent start, then repeat with a number.
fn name_of(seed: u64, index: usize) -> (&'static str, &'static str, usize) {
    let pairs = FIRST_NAMES.len() * LAST_NAMES.len();
    // 1031 is odd, so stepping by it visits every pair once per round.
    let offset = (seed % pairs as u64) as usize;
    let pair = (index % pairs * 1031 + offset) % pairs;
    let first = FIRST_NAMES
        .get(pair / LAST_NAMES.len())
        .copied()
        .unwrap_or("Alex");
    let last = LAST_NAMES
        .get(pair % LAST_NAMES.len())
        .copied()
        .unwrap_or("Abbott");
    (first, last, index / pairs)
}

/// Automation keys, added to the organization over its first months.
fn api_keys(started: NaiveDate, today: NaiveDate) -> Vec<DemoMember> {
    struct Key {
        name: &'static str,
        after_days: u64,
        weekday: f64,
        weekend: f64,
        volume: f64,
        decisions: f64,
        write_share: f64,
        model: ModelPrice,
        terminal: &'static str,
    }
    let keys = [
        // CI runs every day, so every day since the start has some usage.
        Key {
            name: "ci-bot",
            after_days: 0,
            weekday: 1.0,
            weekend: 1.0,
            volume: 1.6,
            decisions: 0.95,
            write_share: 0.1,
            model: SONNET,
            terminal: "non-interactive",
        },
        Key {
            name: "release-pipeline",
            after_days: 21,
            weekday: 0.6,
            weekend: 0.0,
            volume: 0.7,
            decisions: 0.8,
            write_share: 0.3,
            model: HAIKU,
            terminal: "non-interactive",
        },
        Key {
            name: "docs-generator",
            after_days: 45,
            weekday: 0.85,
            weekend: 0.1,
            volume: 1.1,
            decisions: 0.95,
            write_share: 1.2,
            model: HAIKU,
            terminal: "non-interactive",
        },
        Key {
            name: "code-review-bot",
            after_days: 80,
            weekday: 0.95,
            weekend: 0.05,
            volume: 1.3,
            decisions: 0.3,
            write_share: 0.0,
            model: SONNET,
            terminal: "non-interactive",
        },
        Key {
            name: "nightly-refactor",
            after_days: 120,
            weekday: 0.9,
            weekend: 0.9,
            volume: 1.2,
            decisions: 1.0,
            write_share: 0.05,
            model: OPUS,
            terminal: "non-interactive",
        },
    ];
    keys.into_iter()
        .enumerate()
        .map(|(k, key)| DemoMember {
            actor: Actor::ApiKey {
                api_key_name: key.name.into(),
            },
            display_name: key.name.to_owned(),
            joined: add_days(started, key.after_days).min(today),
            left: None,
            profile: Profile {
                key: API_KEY_BASE + k as u64,
                is_person: false,
                weekday_activity: key.weekday,
                weekend_activity: key.weekend,
                volume: key.volume,
                decision_rate: key.decisions,
                reject_rate: 0.04,
                write_share: key.write_share,
                uses_notebooks: false,
                model: key.model,
                terminal: key.terminal,
                second_terminal: key.terminal,
                customer_type: "api",
                subscription_type: None,
            },
        })
        .collect()
}

/// `day + n` days, staying at the last representable date instead of panicking.
pub(crate) fn add_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_add_days(Days::new(n)).unwrap_or(NaiveDate::MAX)
}

/// `day - n` days, staying at the first representable date instead of panicking.
pub(crate) fn sub_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(n)).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn names_are_unique_even_for_large_rosters() {
        let today = date(2025, 10, 1);
        let start = sub_days(today, ORG_AGE_DAYS);
        let people = roster(3, 10_000, start, today);
        assert_eq!(people.len(), 10_005);
        let emails: HashSet<&str> = people.iter().map(|m| m.actor.identity()).collect();
        assert_eq!(emails.len(), 10_005);
        let names: HashSet<&str> = people.iter().map(|m| m.display_name.as_str()).collect();
        assert_eq!(names.len(), 10_005);
        for m in &people[..10_000] {
            assert!(
                m.actor.identity().ends_with("@example.com"),
                "{:?}",
                m.actor
            );
            assert!(m.joined >= start && m.joined <= today);
        }
    }

    #[test]
    fn small_roster_is_a_prefix_of_a_large_one() {
        let today = date(2025, 10, 1);
        let start = sub_days(today, ORG_AGE_DAYS);
        let small = roster(5, 40, start, today);
        let large = roster(5, 400, start, today);
        assert_eq!(small[..40], large[..40]);
        assert_eq!(small[40..], large[400..]);
        assert_eq!(small[0].joined, start);
    }

    #[test]
    fn name_walk() {
        assert_eq!(name_of(0, 0), ("Alex", "Abbott", 0));
        // 1031 = 16 * 64 + 7 → first name 16, last name 7.
        assert_eq!(name_of(0, 1), ("Felix", "Costa", 0));
        assert_eq!(name_of(0, 4096), ("Alex", "Abbott", 1));
    }

    #[test]
    fn growth_and_keys() {
        let today = date(2025, 10, 1);
        let start = sub_days(today, ORG_AGE_DAYS);
        let members = roster(11, 40, start, today);
        let at = |day: NaiveDate| members.iter().filter(|m| m.is_member_on(day)).count();
        assert!(at(start) < at(sub_days(today, 90)));
        assert!(at(sub_days(today, 90)) < at(today));
        let keys: Vec<&str> = members
            .iter()
            .filter(|m| m.actor.kind() == Actor::API_KEY_TYPE)
            .map(|m| m.actor.identity())
            .collect();
        assert_eq!(
            keys,
            [
                "ci-bot",
                "release-pipeline",
                "docs-generator",
                "code-review-bot",
                "nightly-refactor"
            ]
        );
    }

    #[test]
    fn date_helpers_saturate() {
        assert_eq!(add_days(NaiveDate::MAX, 5), NaiveDate::MAX);
        assert_eq!(sub_days(NaiveDate::MIN, 5), NaiveDate::MIN);
        assert_eq!(add_days(date(2025, 1, 30), 2), date(2025, 2, 1));
    }
}
