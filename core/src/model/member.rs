//! One member of the organization as the member page names it in its path,
//! `/team/<member>`: a user by email (`/team/ana@example.com`), an API key
//! by its name after `key:` (`/team/key:ci-deploy`). A colon cannot start an
//! email address's unquoted local part, so the two never collide. Actors of
//! a kind this app does not know have no page.

use chrono::NaiveDate;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use thiserror::Error;

use crate::model::aggregate::{AggregateBuilder, Aggregates};
use crate::model::dates::DateRange;
use crate::model::record::{Actor, UsageRecord};
use crate::model::team::{ActorTotals, ActorTotalsBuilder};
use crate::summary::Summary;

/// What a path segment escapes: what a URL path cannot hold as is, and `/`,
/// `?`, `#` and `%`. `@`, `:` and `+` stay readable.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

const KEY_PREFIX: &str = "key:";

/// Longer identities are not read from a path (an email address has at
/// most 254 characters; a key name is short).
const MAX_IDENTITY: usize = 320;

/// Why a path segment names no member.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MemberRefError {
    #[error("the member's name is empty")]
    Empty,
    #[error("the member's name is not valid UTF-8 once decoded")]
    NotUtf8,
    #[error("the member's name is longer than {MAX_IDENTITY} characters")]
    TooLong,
    #[error("the member's name holds a control character")]
    Control,
    #[error("“{0}” is neither an email address nor an API key (key:<name>)")]
    Unrecognized(String),
}

/// A member the member page can show.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MemberRef {
    User(String),
    ApiKey(String),
}

impl MemberRef {
    /// The member an actor is, when it has a page.
    pub fn of(actor: &Actor) -> Option<Self> {
        match actor {
            Actor::User { email_address } => Some(MemberRef::User(email_address.to_string())),
            Actor::ApiKey { api_key_name } => Some(MemberRef::ApiKey(api_key_name.to_string())),
            Actor::Other { .. } => None,
        }
    }

    /// Whether `actor` is this member.
    pub fn matches(&self, actor: &Actor) -> bool {
        match (self, actor) {
            (MemberRef::User(email), Actor::User { email_address }) => {
                email_address.as_str() == email
            }
            (MemberRef::ApiKey(name), Actor::ApiKey { api_key_name }) => {
                api_key_name.as_str() == name
            }
            _ => false,
        }
    }

    /// The email or the key's name.
    pub fn identity(&self) -> &str {
        match self {
            MemberRef::User(identity) | MemberRef::ApiKey(identity) => identity,
        }
    }

    /// `"User"` or `"API key"`, as the team table names the kinds.
    pub fn kind_label(&self) -> &'static str {
        match self {
            MemberRef::User(_) => "User",
            MemberRef::ApiKey(_) => "API key",
        }
    }

    /// The wire type of the actor (`user_actor`, `api_actor`).
    pub fn actor_type(&self) -> &'static str {
        match self {
            MemberRef::User(_) => Actor::USER_TYPE,
            MemberRef::ApiKey(_) => Actor::API_KEY_TYPE,
        }
    }

    /// The path segment: the email, or `key:` and the name, escaped.
    pub fn segment(&self) -> String {
        match self {
            MemberRef::User(email) => utf8_percent_encode(email, SEGMENT).to_string(),
            MemberRef::ApiKey(name) => {
                format!("{KEY_PREFIX}{}", utf8_percent_encode(name, SEGMENT))
            }
        }
    }

    /// The member page's path under the router base.
    pub fn path(&self) -> String {
        format!("/team/{}", self.segment())
    }

    /// Reads a path segment (escaped or not: routers differ in what they
    /// decode).
    pub fn from_segment(segment: &str) -> Result<Self, MemberRefError> {
        let text = percent_decode_str(segment)
            .decode_utf8()
            .map_err(|_| MemberRefError::NotUtf8)?;
        if text.chars().count() > MAX_IDENTITY {
            return Err(MemberRefError::TooLong);
        }
        if text.chars().any(char::is_control) {
            return Err(MemberRefError::Control);
        }
        if let Some(name) = text.strip_prefix(KEY_PREFIX) {
            return if name.is_empty() {
                Err(MemberRefError::Empty)
            } else {
                Ok(MemberRef::ApiKey(name.to_owned()))
            };
        }
        if text.is_empty() {
            Err(MemberRefError::Empty)
        } else if text.contains('@') {
            Ok(MemberRef::User(text.into_owned()))
        } else {
            Err(MemberRefError::Unrecognized(
                text.chars().take(64).collect(),
            ))
        }
    }
}

/// One member's figures over a range: every chart and card of the member
/// page, and their totals (days active, last active).
#[derive(Debug, Clone, PartialEq)]
pub struct MemberFigures {
    /// The member's records only; a loaded day without them is zero, an
    /// unloaded one unknown.
    pub aggregates: Aggregates,
    /// `None` when the member has no record in the range.
    pub totals: Option<ActorTotals>,
}

impl MemberFigures {
    /// From the days loaded of the whole organization (`day_records`:
    /// `None` for a day not loaded).
    pub fn from_days<'a>(
        range: DateRange,
        member: &MemberRef,
        day_records: impl Fn(NaiveDate) -> Option<&'a [UsageRecord]>,
    ) -> Self {
        let mut aggregates = AggregateBuilder::new(range);
        let mut totals = ActorTotalsBuilder::new(range);
        let mut mine = Vec::new();
        for day in range.days() {
            let Some(records) = day_records(day) else {
                continue;
            };
            mine.clear();
            mine.extend(records.iter().filter(|r| member.matches(&r.actor)).cloned());
            // Each day of the range once, in order: it cannot be refused.
            let _ = aggregates.add_day(day, &mine);
            for record in &mine {
                totals.add(record);
            }
        }
        MemberFigures {
            aggregates: aggregates.finish(),
            totals: totals.finish().into_iter().next(),
        }
    }

    /// From the server's summary of the member's records over `range`.
    pub fn from_summary(summary: &Summary, range: DateRange, member: &MemberRef) -> Self {
        MemberFigures {
            aggregates: summary.aggregates_over(range),
            totals: summary
                .actor_totals()
                .into_iter()
                .find(|t| member.matches(&t.actor)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::name::Name;

    fn user(email: &str) -> Actor {
        Actor::User {
            email_address: Name::from(email),
        }
    }

    fn key(name: &str) -> Actor {
        Actor::ApiKey {
            api_key_name: Name::from(name),
        }
    }

    #[test]
    fn members_round_trip_through_their_path() {
        for member in [
            MemberRef::User("ana@example.com".into()),
            MemberRef::User("o'brien+ci@example.co.uk".into()),
            MemberRef::User("zoë@exämple.com".into()),
            MemberRef::ApiKey("ci-deploy".into()),
            MemberRef::ApiKey("team a/b #2 ?x=1 100%".into()),
            MemberRef::ApiKey("has@sign".into()),
        ] {
            let path = member.path();
            let segment = path.strip_prefix("/team/").unwrap();
            assert!(
                !segment.contains(['/', '?', '#', ' ']),
                "{segment} must stay one segment"
            );
            assert_eq!(MemberRef::from_segment(segment), Ok(member.clone()));
        }
        assert_eq!(
            MemberRef::User("ana@example.com".into()).path(),
            "/team/ana@example.com"
        );
        assert_eq!(
            MemberRef::ApiKey("team a/b".into()).path(),
            "/team/key:team%20a%2Fb"
        );
        // A router that decoded the segment already gives the plain text.
        assert_eq!(
            MemberRef::from_segment("key:team a"),
            Ok(MemberRef::ApiKey("team a".into()))
        );
    }

    #[test]
    fn a_segment_that_names_no_member_is_a_typed_error() {
        assert_eq!(MemberRef::from_segment(""), Err(MemberRefError::Empty));
        assert_eq!(MemberRef::from_segment("key:"), Err(MemberRefError::Empty));
        assert_eq!(
            MemberRef::from_segment("%FF%FE"),
            Err(MemberRefError::NotUtf8)
        );
        assert_eq!(
            MemberRef::from_segment("a%0Ab@example.com"),
            Err(MemberRefError::Control)
        );
        assert_eq!(
            MemberRef::from_segment(&"a".repeat(400)),
            Err(MemberRefError::TooLong)
        );
        assert_eq!(
            MemberRef::from_segment("nobody"),
            Err(MemberRefError::Unrecognized("nobody".into()))
        );
    }

    /// Alice of the fixture (its doc comment's table), Sep 8–10, 2025.
    #[test]
    fn a_member_s_figures_are_their_records_only() {
        use crate::model::fixture::small_org_records;
        let d = |day| NaiveDate::from_ymd_opt(2025, 9, day).unwrap();
        let range = DateRange::new(d(8), d(10)).unwrap();
        let records = small_org_records();
        let days: Vec<Vec<UsageRecord>> = range
            .days()
            .map(|day| records.iter().filter(|r| r.date == day).cloned().collect())
            .collect();
        let day_records = |day: NaiveDate| {
            let i = usize::try_from((day - d(8)).num_days()).ok()?;
            days.get(i).map(Vec::as_slice)
        };
        let alice = MemberRef::User("alice@example.com".into());
        let figures = MemberFigures::from_days(range, &alice, day_records);
        let t = &figures.aggregates.totals;
        assert_eq!((t.lines_added, t.lines_removed), (160, 50));
        assert_eq!(t.sessions, 9);
        assert_eq!((t.commits, t.pull_requests), (3, 2));
        // edit 8/2 + 5/5, write 2/0, multi 3/1: 18 of 26.
        assert_eq!((t.decisions.accepted, t.decisions.rejected), (18, 8));
        assert_eq!(t.spend.usd_minor(), Some(275));
        // The 10th is loaded and hers is zero there, not unknown.
        let lines: Vec<_> = figures
            .aggregates
            .days
            .iter()
            .map(|d| (d.loaded, d.lines_added))
            .collect();
        assert_eq!(lines, [(true, 100), (true, 60), (true, 0)]);
        let totals = figures.totals.as_ref().unwrap();
        assert_eq!((totals.days_active, totals.last_active), (2, d(9)));

        // A day not loaded stays unknown; a member with no records has no totals.
        let partial = MemberFigures::from_days(range, &alice, |day| {
            day_records(day).filter(|_| day != d(9))
        });
        assert!(!partial.aggregates.days[1].loaded);
        assert_eq!(partial.aggregates.totals.lines_added, 100);
        let nobody = MemberRef::User("nobody@example.com".into());
        let none = MemberFigures::from_days(range, &nobody, day_records);
        assert_eq!(none.totals, None);
        assert_eq!(none.aggregates.totals.active_user_days, 0);
        assert_eq!(none.aggregates.totals.days_loaded, 3);

        // The server's summary of her records gives the same figures.
        let hers: Vec<Vec<UsageRecord>> = days
            .iter()
            .map(|day| {
                day.iter()
                    .filter(|r| alice.matches(&r.actor))
                    .cloned()
                    .collect()
            })
            .collect();
        let summary = Summary::from_records(range, |day| {
            let i = usize::try_from((day - d(8)).num_days()).ok()?;
            hers.get(i).map(Vec::as_slice)
        });
        assert_eq!(
            MemberFigures::from_summary(&summary, range, &alice),
            figures
        );
        // The key of the same name is another member.
        let key = MemberRef::ApiKey("alice@example.com".into());
        assert_eq!(
            MemberFigures::from_summary(&summary, range, &key).totals,
            None
        );
    }

    #[test]
    fn a_member_matches_its_own_actor_only() {
        let ana = MemberRef::User("ana@example.com".into());
        assert!(ana.matches(&user("ana@example.com")));
        assert!(!ana.matches(&user("Ana@example.com")));
        assert!(!ana.matches(&key("ana@example.com")));
        let ci = MemberRef::ApiKey("ci".into());
        assert!(ci.matches(&key("ci")));
        assert!(!ci.matches(&user("ci")));
        assert_eq!(MemberRef::of(&key("ci")), Some(ci));
        assert_eq!(
            MemberRef::of(&Actor::Other {
                kind: "service_actor".into(),
                id: Some("x".into())
            }),
            None
        );
    }
}
