//! Wire types of the console API (`usage_report/claude_code` and `/v1/me`).
//!
//! Tolerant where the real API varies (date-time or plain date, open
//! `tool_actions` map, optional `subscription_type`, unknown actor kinds) and
//! strict where it must be: counts are `u64`, so a negative or fractional
//! count, a wrong type or a missing required field fails to decode.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::model::name::Name;
use crate::model::tool_actions::ToolActions;

/// One page of `GET /v1/organizations/usage_report/claude_code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsagePage {
    pub data: Vec<UsageRecord>,
    pub has_more: bool,
    #[serde(default)]
    pub next_page: Option<String>,
}

/// One actor's usage on one UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageRecord {
    #[serde(with = "utc_day")]
    pub date: NaiveDate,
    pub actor: Actor,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<Name>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_type: Option<Name>,
    #[serde(default)]
    pub subscription_type: Option<Name>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_type: Option<Name>,
    pub core_metrics: CoreMetrics,
    #[serde(default)]
    pub tool_actions: ToolActions,
    #[serde(default)]
    pub model_breakdown: Vec<ModelUsage>,
}

/// Who produced a record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Actor {
    /// An OAuth user, identified by email (`user_actor`).
    User { email_address: Name },
    /// An API key, identified by its name (`api_actor`).
    ApiKey { api_key_name: Name },
    /// An actor type this app does not know yet; kept as its own kind.
    Other { kind: String, id: Option<String> },
}

impl Actor {
    pub const USER_TYPE: &'static str = "user_actor";
    pub const API_KEY_TYPE: &'static str = "api_actor";

    /// The wire `type` of this actor.
    pub fn kind(&self) -> &str {
        match self {
            Actor::User { .. } => Self::USER_TYPE,
            Actor::ApiKey { .. } => Self::API_KEY_TYPE,
            Actor::Other { kind, .. } => kind,
        }
    }

    /// What the UI shows to identify the actor: email, key name or the unknown id.
    pub fn identity(&self) -> &str {
        match self {
            Actor::User { email_address } => email_address,
            Actor::ApiKey { api_key_name } => api_key_name,
            Actor::Other { id: Some(id), .. } => id,
            Actor::Other { kind, id: None } => kind,
        }
    }
}

impl Serialize for Actor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("type", self.kind())?;
        match self {
            Actor::User { email_address } => map.serialize_entry("email_address", email_address)?,
            Actor::ApiKey { api_key_name } => map.serialize_entry("api_key_name", api_key_name)?,
            Actor::Other { id: Some(id), .. } => map.serialize_entry("id", id)?,
            Actor::Other { id: None, .. } => {}
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Actor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ActorVisitor)
    }
}

struct ActorVisitor;

impl<'de> Visitor<'de> for ActorVisitor {
    type Value = Actor;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an actor object with a `type`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Actor, A::Error> {
        // Fields are read as they come (`type` may follow the identity); no
        // map of JSON values is built: this runs once per record.
        let mut kind: Option<Text<'de>> = None;
        let mut email: Option<FieldValue> = None;
        let mut key_name: Option<FieldValue> = None;
        // For unknown kinds: the string field whose name sorts first.
        let mut first_string: Option<(Cow<'de, str>, Cow<'de, str>)> = None;
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            if key == "type" {
                kind = Some(map.next_value()?);
                continue;
            }
            let value: FieldValue<'de> = map.next_value()?;
            if let FieldValue::Str(text) = &value {
                if first_string
                    .as_ref()
                    .is_none_or(|(name, _)| key.as_ref() <= name.as_ref())
                {
                    first_string = Some((key.clone(), text.clone()));
                }
            }
            match key.as_ref() {
                "email_address" => email = Some(value),
                "api_key_name" => key_name = Some(value),
                _ => {}
            }
        }
        let Text(kind) = kind.ok_or_else(|| de::Error::missing_field("type"))?;
        let identity = |value: Option<FieldValue>, field: &'static str| match value {
            Some(FieldValue::Str(text)) => Ok(Name::interned(&text)),
            Some(FieldValue::Other(other)) => Err(de::Error::invalid_type(
                other.unexpected(),
                &"a string identity",
            )),
            None => Err(de::Error::missing_field(field)),
        };
        match kind.as_ref() {
            Actor::USER_TYPE => Ok(Actor::User {
                email_address: identity(email, "email_address")?,
            }),
            Actor::API_KEY_TYPE => Ok(Actor::ApiKey {
                api_key_name: identity(key_name, "api_key_name")?,
            }),
            _ => Ok(Actor::Other {
                kind: kind.into_owned(),
                id: first_string.map(|(_, text)| text.into_owned()),
            }),
        }
    }
}

/// A JSON string borrowed from the input when it has no escapes. (serde's own
/// `Cow<str>` always copies; this runs for several keys of every record.)
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v)))
    }
}

/// One field of an actor object: a string, or what else it was (for errors).
enum FieldValue<'de> {
    Str(Cow<'de, str>),
    Other(NotString),
}

/// A JSON value that is not a string, as much as an error message needs.
#[derive(Clone, Copy)]
enum NotString {
    Null,
    Bool(bool),
    Number,
    Array,
    Object,
}

impl NotString {
    fn unexpected(self) -> de::Unexpected<'static> {
        match self {
            NotString::Null => de::Unexpected::Unit,
            NotString::Bool(b) => de::Unexpected::Bool(b),
            NotString::Number => de::Unexpected::Other("a number"),
            NotString::Array => de::Unexpected::Seq,
            NotString::Object => de::Unexpected::Map,
        }
    }
}

impl<'de> Deserialize<'de> for FieldValue<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldValueVisitor)
    }
}

struct FieldValueVisitor;

impl<'de> Visitor<'de> for FieldValueVisitor {
    type Value = FieldValue<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    // Strings as `Text` reads them: borrowed when the input has no escapes.
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        TextVisitor
            .visit_borrowed_str(v)
            .map(|Text(t)| FieldValue::Str(t))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        TextVisitor.visit_str(v).map(|Text(t)| FieldValue::Str(t))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        TextVisitor
            .visit_string(v)
            .map(|Text(t)| FieldValue::Str(t))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(FieldValue::Other(NotString::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(FieldValue::Other(NotString::Null))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(FieldValue::Other(NotString::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(FieldValue::Other(NotString::Number))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(FieldValue::Other(NotString::Number))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(FieldValue::Other(NotString::Number))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(FieldValue::Other(NotString::Array))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(FieldValue::Other(NotString::Object))
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoreMetrics {
    pub num_sessions: u64,
    pub lines_of_code: LinesOfCode,
    pub commits_by_claude_code: u64,
    pub pull_requests_by_claude_code: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinesOfCode {
    pub added: u64,
    pub removed: u64,
}

/// Accept/reject decisions on one tool's suggested edits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolAction {
    pub accepted: u64,
    pub rejected: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelUsage {
    pub model: Name,
    pub tokens: Tokens,
    /// `None`: the cost was withheld from this viewer (a server that keeps
    /// spend to some roles leaves the field out), so it is unknown, not zero.
    /// A present field must be a cost: `null` or a malformed one is an error.
    #[serde(
        default,
        deserialize_with = "present_cost",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_cost: Option<Cost>,
}

/// A present `estimated_cost`, read as a `Cost` (not `Option<Cost>`, which
/// would take `null` for a withheld cost): only absence means "withheld".
fn present_cost<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Cost>, D::Error> {
    Cost::deserialize(deserializer).map(Some)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    pub cache_creation: u64,
}

/// An estimated cost in minor units (cents for USD).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cost {
    pub currency: Name,
    pub amount: u64,
}

/// `GET /v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    #[serde(default)]
    pub email: Option<String>,
    /// Kept as the wire string; `auth::Role` interprets it (unknown → denied).
    pub role: String,
    #[serde(default)]
    pub organization: Option<Organization>,
    /// What the API offers beyond the usage report (e.g.
    /// [`crate::summary::CAPABILITY`]). Read leniently: a list that is not
    /// one, or entries that are not strings, offer nothing rather than make
    /// the viewer unreadable.
    #[serde(default, deserialize_with = "lenient_names")]
    pub capabilities: Vec<String>,
    /// The organization's first day with usage (UTC), when the API knows it
    /// (`cca-server` does for its demo organization): the team page offers
    /// no month before it. Read leniently: anything but a `YYYY-MM-DD`
    /// string is unknown, never an unreadable viewer.
    #[serde(
        default,
        deserialize_with = "lenient_day",
        skip_serializing_if = "Option::is_none"
    )]
    pub data_since: Option<NaiveDate>,
}

impl Me {
    /// Whether the API says it offers `capability`.
    pub fn offers(&self, capability: &str) -> bool {
        self.capabilities.iter().any(|c| c == capability)
    }
}

/// The strings of a JSON array (at most 32 of at most 64 characters);
/// anything else is no entry. A visitor of its own rather than
/// `serde_json::Value`, whose decoder the app would otherwise ship for this.
fn lenient_names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(d.deserialize_any(Lenient(NamesOrNothing))?
        .0
        .unwrap_or_default())
}

/// A `YYYY-MM-DD` string as its day; anything else is no day. Read as a
/// short string first, with the visitor the capabilities' names already use.
fn lenient_day<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    Ok(d.deserialize_any(Lenient(NameOrNothing))?
        .0
        .and_then(|day| crate::model::dates::parse_iso_day(&day)))
}

/// What a lenient value reads as: `Some` of the expected shape, else `None`.
struct Lenient<V>(V);

/// One element: a short string, or nothing.
struct NameOrNothing;
/// The list: its short strings, or nothing.
struct NamesOrNothing;

/// Reads one kind of value and skips every other one, whatever its type.
trait Wanted {
    type Value;
    fn read_str(&self, _: &str) -> Option<Self::Value> {
        None
    }
    fn read_seq<'de, A: de::SeqAccess<'de>>(
        &self,
        mut seq: A,
    ) -> Result<Option<Self::Value>, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

impl Wanted for NameOrNothing {
    type Value = String;
    fn read_str(&self, s: &str) -> Option<String> {
        (s.chars().count() <= 64).then(|| s.to_owned())
    }
}

impl Wanted for NamesOrNothing {
    type Value = Vec<String>;
    fn read_seq<'de, A: de::SeqAccess<'de>>(
        &self,
        mut seq: A,
    ) -> Result<Option<Vec<String>>, A::Error> {
        let mut names = Vec::new();
        while let Some(Found(item)) = seq.next_element_seed(Lenient(NameOrNothing))? {
            if let Some(name) = item {
                if names.len() < 32 {
                    names.push(name);
                }
            }
        }
        Ok(Some(names))
    }
}

/// A lenient value that was read: `None` when it had another shape.
struct Found<T>(Option<T>);

impl<'de, W: Wanted> de::DeserializeSeed<'de> for Lenient<W> {
    type Value = Found<W::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, W: Wanted> Visitor<'de> for Lenient<W> {
    type Value = Found<W::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Found(self.0.read_str(s)))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Found(None))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Found(None))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Found(None))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Found(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Found(None))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Found(None))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Ok(Found(self.0.read_seq(seq)?))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Found(None))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
}

/// `date` as a UTC day: accepts `2025-09-08`, `2025-09-08T00:00:00Z` or any
/// RFC 3339 date-time (converted to UTC); writes the date-time form.
pub mod utc_day {
    use chrono::{DateTime, NaiveDate, Utc};
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(day: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{day}T00:00:00Z"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let super::Text(text) = super::Text::deserialize(d)?;
        parse(&text).ok_or_else(|| {
            de::Error::invalid_value(de::Unexpected::Str(&text), &"a date or RFC 3339 date-time")
        })
    }

    /// Parses a plain date or an RFC 3339 date-time into its UTC day.
    pub fn parse(text: &str) -> Option<NaiveDate> {
        if let Some(day) = crate::model::dates::parse_iso_day(text) {
            return Some(day);
        }
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.with_timezone(&Utc).date_naive())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::fixture::CONTRACT_EXAMPLE as EXAMPLE;

    #[test]
    fn decodes_the_contract_example_and_round_trips() {
        let record: UsageRecord = serde_json::from_str(EXAMPLE).unwrap();
        assert_eq!(record.date, NaiveDate::from_ymd_opt(2025, 9, 8).unwrap());
        assert_eq!(record.actor.identity(), "dev@example.com");
        assert_eq!(record.core_metrics.lines_of_code.added, 1543);
        assert_eq!(record.tool_actions.len(), 4);
        assert_eq!(
            record.model_breakdown[0]
                .estimated_cost
                .as_ref()
                .map(|c| c.amount),
            Some(1025)
        );
        let again: UsageRecord =
            serde_json::from_str(&serde_json::to_string(&record).unwrap()).unwrap();
        assert_eq!(again, record);
    }

    #[test]
    fn actor_kinds() {
        let api: Actor =
            serde_json::from_str(r#"{"type":"api_actor","api_key_name":"ci-bot"}"#).unwrap();
        assert_eq!(api.identity(), "ci-bot");
        let other: Actor =
            serde_json::from_str(r#"{"type":"service_actor","service_id":"svc-1"}"#).unwrap();
        assert_eq!(other.kind(), "service_actor");
        assert_eq!(other.identity(), "svc-1");
        assert!(serde_json::from_str::<Actor>(r#"{"type":"user_actor"}"#).is_err());
        assert!(
            serde_json::from_str::<Actor>(r#"{"type":"user_actor","email_address":3}"#).is_err()
        );
    }

    #[test]
    fn actor_fields_in_any_order_and_unknown_kinds_by_their_first_string_field() {
        let user: Actor =
            serde_json::from_str(r#"{"email_address":"a@b.co","type":"user_actor"}"#).unwrap();
        assert_eq!(user.identity(), "a@b.co");
        let other: Actor = serde_json::from_str(
            r#"{"service_id":"svc-1","type":"service_actor","account":"acc-9","count":3}"#,
        )
        .unwrap();
        assert_eq!(other.identity(), "acc-9");
        let nested: Actor =
            serde_json::from_str(r#"{"type":"x","meta":{"a":[1,"s"]},"tags":["t"],"zid":"z"}"#)
                .unwrap();
        assert_eq!(nested.identity(), "z");
        let bare: Actor = serde_json::from_str(r#"{"type":"bot_actor","n":1}"#).unwrap();
        assert_eq!(
            bare,
            Actor::Other {
                kind: "bot_actor".into(),
                id: None
            }
        );
        let wrong = serde_json::from_str::<Actor>(r#"{"type":"api_actor","api_key_name":null}"#)
            .unwrap_err()
            .to_string();
        assert!(wrong.contains("expected a string identity"), "{wrong}");
        assert!(serde_json::from_str::<Actor>(r#"{"email_address":"a@b.co"}"#).is_err());
        // Escaped keys and values (decoded, not borrowed) read the same.
        let escaped: Actor =
            serde_json::from_str(r#"{"typ\u0065":"user_actor","email_address":"a\u0040b.co"}"#)
                .unwrap();
        assert_eq!(escaped.identity(), "a@b.co");
    }

    #[test]
    fn plain_dates_and_offsets() {
        assert_eq!(
            utc_day::parse("2025-01-02"),
            NaiveDate::from_ymd_opt(2025, 1, 2)
        );
        assert_eq!(
            utc_day::parse("2025-01-02T23:30:00-02:00"),
            NaiveDate::from_ymd_opt(2025, 1, 3)
        );
        assert_eq!(utc_day::parse("yesterday"), None);
    }
}
