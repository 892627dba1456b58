//! One member of the organization as the member page names it in its path,
//! `/team/<member>`: a user by email (`/team/ana@example.com`), an API key
//! by its name after `key:` (`/team/key:ci-deploy`). A colon cannot start an
//! email address's unquoted local part, so the two never collide. Actors of
//! a kind this app does not know have no page.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use thiserror::Error;

use crate::model::record::Actor;

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
