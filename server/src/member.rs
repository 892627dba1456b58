//! One member's records among a day's, picked before anything is decoded:
//! what a member summary reads (`crate::summary`).
//!
//! A record is the member's when its `actor` has the member's `type`
//! (`user_actor`, `api_actor`) and identity field (`email_address`,
//! `api_key_name`) equal to theirs, compared exactly (case included), as
//! [`MemberRef::matches`] compares a decoded [`Actor`]. A record whose
//! `actor` names someone else, or cannot be read, is not the member's.
//!
//! Two forms of the same question: a record already parsed into a JSON
//! value (a day just fetched upstream), and a record's JSON text (a day read
//! from the cache). The text is answered without parsing the record into a
//! value: for a day of 10,000 members, building a `serde_json::Value` for
//! every record is most of what reading a cached day costs (many times a
//! scan of the same text: docs/benchmarks.md), and only one member's records
//! are wanted.
//!
//! [`Actor`]: cca::model::record::Actor

use std::fmt;

use cca::model::member::MemberRef;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

/// Picks one member's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFilter {
    member: MemberRef,
}

impl MemberFilter {
    pub fn new(member: MemberRef) -> MemberFilter {
        MemberFilter { member }
    }

    pub fn member(&self) -> &MemberRef {
        &self.member
    }

    /// The record's identity field for this member's kind.
    fn field(&self) -> &'static str {
        match self.member {
            MemberRef::User(_) => "email_address",
            MemberRef::ApiKey(_) => "api_key_name",
        }
    }

    /// Whether a record, parsed, is the member's.
    pub fn keeps(&self, record: &Value) -> bool {
        let Some(actor) = record.get("actor") else {
            return false;
        };
        actor.get("type").and_then(Value::as_str) == Some(self.member.actor_type())
            && actor.get(self.field()).and_then(Value::as_str) == Some(self.member.identity())
    }

    /// Whether a record, as JSON text, is the member's: the same answer as
    /// [`MemberFilter::keeps`] on the parsed record.
    ///
    /// A text without a backslash writes every string as it reads, so one
    /// that does not hold the identity's text is not the member's: most
    /// records are told apart by a search for that text. The others are
    /// scanned and their `actor`'s strings read in place; a record this
    /// quick reading does not take (escaped keys or strings, unexpected
    /// types, not an object) is parsed into a value and asked the slow way.
    pub fn keeps_json(&self, record: &str) -> bool {
        if !record.contains(self.member.identity()) && !record.contains('\\') {
            return false;
        }
        match serde_json::from_str::<RecordActor>(record) {
            Ok(RecordActor(actor)) => actor.is_some_and(|actor| {
                actor.kind == Some(self.member.actor_type())
                    && actor.identity(self.field()) == Some(self.member.identity())
            }),
            Err(_) => serde_json::from_str::<Value>(record).is_ok_and(|value| self.keeps(&value)),
        }
    }
}

/// A record's `actor`, if it has one; every other field skipped. Like a
/// JSON value, a key given twice counts with its last value.
struct RecordActor<'de>(Option<ActorStrings<'de>>);

/// An actor's `type` and identity fields, borrowed from the text (`None`:
/// absent or `null`).
#[derive(Default)]
struct ActorStrings<'de> {
    kind: Option<&'de str>,
    email_address: Option<&'de str>,
    api_key_name: Option<&'de str>,
}

impl<'de> ActorStrings<'de> {
    fn identity(&self, field: &str) -> Option<&'de str> {
        match field {
            "email_address" => self.email_address,
            _ => self.api_key_name,
        }
    }
}

impl<'de> Deserialize<'de> for RecordActor<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RecordActorVisitor)
    }
}

struct RecordActorVisitor;

impl<'de> Visitor<'de> for RecordActorVisitor {
    type Value = RecordActor<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RecordActor<'de>, A::Error> {
        let mut actor = None;
        while let Some(key) = map.next_key::<&'de str>()? {
            if key == "actor" {
                actor = Some(map.next_value::<ActorStrings<'de>>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(RecordActor(actor))
    }
}

impl<'de> Deserialize<'de> for ActorStrings<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ActorStringsVisitor)
    }
}

struct ActorStringsVisitor;

impl<'de> Visitor<'de> for ActorStringsVisitor {
    type Value = ActorStrings<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an actor object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ActorStrings<'de>, A::Error> {
        let mut actor = ActorStrings::default();
        while let Some(key) = map.next_key::<&'de str>()? {
            let slot = match key {
                "type" => &mut actor.kind,
                "email_address" => &mut actor.email_address,
                "api_key_name" => &mut actor.api_key_name,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value::<Option<&'de str>>()?;
        }
        Ok(actor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cca::model::record::Actor;
    use serde_json::json;

    fn filters() -> [MemberFilter; 2] {
        [
            MemberFilter::new(MemberRef::User("ana@example.com".into())),
            MemberFilter::new(MemberRef::ApiKey("ci".into())),
        ]
    }

    #[test]
    fn a_members_records_are_picked_as_the_decoded_actor_would_match() {
        let actors = [
            json!({"type": "user_actor", "email_address": "ana@example.com"}),
            json!({"email_address": "ana@example.com", "type": "user_actor", "x": [1, {"y": 2}]}),
            json!({"type": "user_actor", "email_address": "Ana@example.com"}),
            json!({"type": "user_actor", "email_address": "ana@example.com "}),
            json!({"type": "user_actor", "email_address": "diana@example.com"}),
            json!({"type": "user_actor", "email_address": "bob@example.com", "note": "ana@example.com"}),
            json!({"type": "api_actor", "api_key_name": "ci-bot"}),
            json!({"type": "api_actor", "api_key_name": "ana@example.com"}),
            json!({"type": "api_actor", "email_address": "ana@example.com"}),
            json!({"type": "user_actor", "api_key_name": "ci"}),
            json!({"type": "api_actor", "api_key_name": "ci"}),
            json!({"type": "api_actor", "api_key_name": "ci", "email_address": "ana@example.com"}),
            json!({"type": "service_actor", "id": "ci"}),
            json!({"type": "user_actor", "email_address": 3}),
            json!({"type": "user_actor", "email_address": null}),
            json!({"type": null, "api_key_name": "ci"}),
            json!({"type": ["api_actor"], "api_key_name": "ci"}),
            json!({"email_address": "ana@example.com"}),
            json!(["user_actor", "ana@example.com"]),
            json!("ana@example.com"),
            Value::Null,
        ];
        let mut picked = 0;
        for actor in &actors {
            let record =
                json!({"date": "2025-09-08", "actor": actor, "core_metrics": {"num_sessions": 1}});
            let decoded = Actor::deserialize(actor).ok();
            // As sent, and with `@` and the field names escaped: the same record.
            let text = record.to_string();
            let escaped = text
                .replace('@', "\\u0040")
                .replace("\"type\"", "\"typ\\u0065\"")
                .replace("\"actor\"", "\"act\\u006fr\"");
            assert_eq!(serde_json::from_str::<Value>(&escaped).unwrap(), record);
            for filter in filters() {
                let expected = decoded.as_ref().is_some_and(|a| filter.member().matches(a));
                assert_eq!(filter.keeps(&record), expected, "{filter:?} {record}");
                assert_eq!(filter.keeps_json(&text), expected, "{filter:?} {text}");
                assert_eq!(
                    filter.keeps_json(&escaped),
                    expected,
                    "{filter:?} {escaped}"
                );
                picked += usize::from(expected);
            }
        }
        assert_eq!(picked, 4);
    }

    #[test]
    fn odd_records_are_nobodys() {
        for text in [
            r#"{"date": "2025-09-08"}"#,
            r#"[{"actor": {"type": "user_actor", "email_address": "ana@example.com"}}]"#,
            r#"{"actor": null}"#,
            r#""ana@example.com""#,
            "3",
            "not json",
            r#"{"actor": {"type": "user_actor", "email_address": "ana@example.com"}"#,
        ] {
            for filter in filters() {
                assert!(!filter.keeps_json(text), "{text}");
                if let Ok(value) = serde_json::from_str::<Value>(text) {
                    assert!(!filter.keeps(&value), "{text}");
                }
            }
        }
    }

    #[test]
    fn a_key_given_twice_counts_with_its_last_value_as_in_a_value() {
        let [ana, ci] = filters();
        let last_is_ana = r#"{"actor": {"type": "api_actor", "type": "user_actor", "email_address": "bob@example.com", "email_address": "ana@example.com"}}"#;
        let last_is_bob = r#"{"actor": {"type": "user_actor", "email_address": "ana@example.com"}, "actor": {"type": "user_actor", "email_address": "bob@example.com"}}"#;
        for (text, expected) in [(last_is_ana, true), (last_is_bob, false)] {
            let value: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ana.keeps(&value), expected, "{text}");
            assert_eq!(ana.keeps_json(text), expected, "{text}");
            assert!(!ci.keeps_json(text));
        }
    }
}
