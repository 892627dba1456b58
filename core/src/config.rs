//! The config object a host page passes in
//! `<script type="application/json" id="claude-code-analytics-config">`.
//! Unknown keys are ignored with a warning; a wrong type is an error the
//! app shows instead of a blank page.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::auth::policy::{Policy, PolicyWarning};
use crate::model::dates::parse_iso_day;
use crate::model::order;

/// Default router base: the console's analytics URL.
pub const DEFAULT_ROUTER_BASE: &str = "/claude-code";
/// Longest string value accepted (hostile configs stay bounded).
const MAX_STRING: usize = 2_048;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    Light,
    Dark,
    #[default]
    Auto,
}

/// The app's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where the console API lives; `None` = the built-in demo organization.
    pub api_base: Option<String>,
    pub router_base: String,
    /// The viewer's wire role, when the host knows it (else `/v1/me`).
    pub role: Option<String>,
    pub demo: bool,
    /// `page_roles`: one entry per page key, with its role wire names.
    pub page_roles: Vec<(String, Vec<String>)>,
    pub theme: Theme,
    pub sign_in_url: Option<String>,
    /// When set, the app sets `document.title`; otherwise it never touches it.
    pub title: Option<String>,
    /// `data_since`: the organization's first day with usage (UTC), when the
    /// host knows it. The team page offers no month before it.
    pub data_since: Option<chrono::NaiveDate>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_base: None,
            router_base: DEFAULT_ROUTER_BASE.to_owned(),
            role: None,
            demo: false,
            page_roles: Vec::new(),
            theme: Theme::Auto,
            sign_in_url: None,
            title: None,
            data_since: None,
        }
    }
}

impl Config {
    /// Demo mode: asked for, or no API to talk to.
    pub fn is_demo(&self) -> bool {
        self.demo || self.api_base.is_none()
    }

    /// The access policy, narrowed by `page_roles`.
    pub fn policy(&self) -> (Policy, Vec<PolicyWarning>) {
        Policy::with_overrides(&self.page_roles)
    }
}

/// A config that was used, and what in it was ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedConfig {
    pub config: Config,
    pub warnings: Vec<ConfigWarning>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigWarning {
    UnknownKey(String),
    UnsafeSignInUrl,
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigWarning::UnknownKey(key) => write!(f, "config: unknown key “{key}” ignored"),
            ConfigWarning::UnsafeSignInUrl => write!(
                f,
                "config: sign_in_url must be an http(s) URL or a path; ignored"
            ),
        }
    }
}

/// Why a config cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("it is not valid JSON ({0})")]
    Json(String),
    #[error("it must be a JSON object")]
    NotAnObject,
    #[error("“{key}” must be {expected}")]
    WrongType {
        key: &'static str,
        expected: &'static str,
    },
    #[error("“{key}” is longer than {MAX_STRING} characters")]
    TooLong { key: &'static str },
}

/// Parses the config text; `None` (no config element) is the demo default.
pub fn parse_config(text: Option<&str>) -> Result<ParsedConfig, ConfigError> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(ParsedConfig {
            config: Config::default(),
            warnings: Vec::new(),
        });
    };
    let value: Json = serde_json::from_str(text)
        .map_err(|e| ConfigError::Json(e.to_string().chars().take(120).collect()))?;
    let Json::Object(map) = value else {
        return Err(ConfigError::NotAnObject);
    };
    let mut config = Config::default();
    let mut warnings = Vec::new();
    for key in map.keys() {
        if !KNOWN_KEYS.contains(&key) {
            warnings.push(ConfigWarning::UnknownKey(key.chars().take(100).collect()));
        }
    }
    config.api_base = string(&map, "api_base")?
        .map(|s| s.trim().trim_end_matches('/').to_owned())
        .filter(|s| !s.is_empty());
    if let Some(base) = string(&map, "router_base")? {
        config.router_base = normalize_base(&base);
    }
    config.role = string(&map, "role")?;
    config.demo = match map.get("demo") {
        None | Some(Json::Null) => false,
        Some(Json::Bool(b)) => *b,
        Some(_) => {
            return Err(ConfigError::WrongType {
                key: "demo",
                expected: "true or false",
            })
        }
    };
    config.page_roles = page_roles(&map)?;
    config.theme = match string(&map, "theme")?.as_deref() {
        None | Some("auto") => Theme::Auto,
        Some("light") => Theme::Light,
        Some("dark") => Theme::Dark,
        Some(_) => {
            return Err(ConfigError::WrongType {
                key: "theme",
                expected: "\"light\", \"dark\" or \"auto\"",
            })
        }
    };
    config.sign_in_url = match string(&map, "sign_in_url")? {
        Some(url) if is_safe_link(&url) => Some(url),
        Some(_) => {
            warnings.push(ConfigWarning::UnsafeSignInUrl);
            None
        }
        None => None,
    };
    config.title = string(&map, "title")?;
    config.data_since = match string(&map, "data_since")? {
        None => None,
        Some(day) => Some(parse_iso_day(day.trim()).ok_or(ConfigError::WrongType {
            key: "data_since",
            expected: "a day, \"YYYY-MM-DD\"",
        })?),
    };
    Ok(ParsedConfig { config, warnings })
}

const KNOWN_KEYS: [&str; 9] = [
    "api_base",
    "router_base",
    "role",
    "demo",
    "page_roles",
    "theme",
    "sign_in_url",
    "title",
    "data_since",
];

fn string(map: &Entries, key: &'static str) -> Result<Option<String>, ConfigError> {
    match map.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) if s.chars().count() > MAX_STRING => {
            Err(ConfigError::TooLong { key })
        }
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ConfigError::WrongType {
            key,
            expected: "a string",
        }),
    }
}

fn page_roles(map: &Entries) -> Result<Vec<(String, Vec<String>)>, ConfigError> {
    const EXPECTED: &str = "an object of page → list of role names";
    let wrong = ConfigError::WrongType {
        key: "page_roles",
        expected: EXPECTED,
    };
    let pages = match map.get("page_roles") {
        None | Some(Json::Null) => return Ok(Vec::new()),
        Some(Json::Object(pages)) => pages,
        Some(_) => return Err(wrong),
    };
    pages
        .iter()
        .map(|(page, roles)| {
            let Json::Array(roles) = roles else {
                return Err(wrong.clone());
            };
            let roles = roles
                .iter()
                .map(|role| match role {
                    Json::String(name) => Ok(name.clone()),
                    _ => Err(wrong.clone()),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok((page.to_owned(), roles))
        })
        .collect()
}

/// A JSON value, as much of it as a config needs. Not `serde_json::Value`:
/// its objects are `BTreeMap`s, and the config was the app's only user of that
/// map's code.
enum Json {
    Null,
    Bool(bool),
    Number,
    String(String),
    Array(Vec<Json>),
    Object(Entries),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Json, E> {
        Ok(Json::Number)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Json, E> {
        Ok(Json::Number)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Json, E> {
        Ok(Json::Number)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Json::Object(Entries::new(entries)))
    }
}

/// An object's entries as a map: sorted by key, and of a repeated key only
/// the last (as `serde_json`'s own map would keep them).
struct Entries(Vec<(String, Json)>);

impl Entries {
    fn new(mut entries: Vec<(String, Json)>) -> Self {
        // Latest first, so that the stable sort puts a repeated key's last
        // value first in its run, and `dedup_by` keeps that one.
        entries.reverse();
        order::sort_by(&mut entries, |a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, kept| later.0 == kept.0);
        Entries(entries)
    }

    fn get(&self, key: &str) -> Option<&Json> {
        let i = self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        Some(&self.0[i].1)
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }

    fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(key, _)| key)
    }
}

/// `"claude-code/"` → `"/claude-code"`; `""` and `"/"` → `"/"`.
pub fn normalize_base(base: &str) -> String {
    let trimmed = base.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        format!("/{trimmed}")
    }
}

/// Only http(s) URLs and same-origin paths may become links (no `javascript:`).
fn is_safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || (lower.starts_with('/') && !lower.starts_with("//"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_config_is_demo() {
        let parsed = parse_config(None).unwrap();
        assert!(parsed.config.is_demo());
        assert_eq!(parsed.config.router_base, "/claude-code");
        assert_eq!(parsed.config.theme, Theme::Auto);
        assert!(parse_config(Some("  ")).unwrap().config.is_demo());
    }

    #[test]
    fn full_config() {
        let parsed = parse_config(Some(
            r#"{"api_base":"https://console.example/api/","router_base":"analytics/","role":"billing",
                "demo":false,"page_roles":{"spend":["owner","billing"]},"theme":"dark",
                "sign_in_url":"/login","title":"Usage","data_since":"2025-03-17"}"#,
        ))
        .unwrap();
        let c = parsed.config;
        assert_eq!(c.api_base.as_deref(), Some("https://console.example/api"));
        assert_eq!(c.router_base, "/analytics");
        assert_eq!(c.role.as_deref(), Some("billing"));
        assert!(!c.is_demo());
        assert_eq!(
            c.page_roles,
            vec![(
                "spend".to_owned(),
                vec!["owner".to_owned(), "billing".to_owned()]
            )]
        );
        assert_eq!(c.theme, Theme::Dark);
        assert_eq!(c.sign_in_url.as_deref(), Some("/login"));
        assert_eq!(c.title.as_deref(), Some("Usage"));
        assert_eq!(c.data_since, chrono::NaiveDate::from_ymd_opt(2025, 3, 17));
        assert!(parsed.warnings.is_empty());
        assert_eq!(parse_config(None).unwrap().config.data_since, None);
    }

    #[test]
    fn unknown_keys_warn_and_unsafe_links_are_dropped() {
        let parsed = parse_config(Some(
            r#"{"colour":"red","sign_in_url":"javascript:alert(1)"}"#,
        ))
        .unwrap();
        assert_eq!(
            parsed.warnings,
            vec![
                ConfigWarning::UnknownKey("colour".into()),
                ConfigWarning::UnsafeSignInUrl
            ]
        );
        assert_eq!(parsed.config.sign_in_url, None);
    }

    #[test]
    fn wrong_types_name_the_key() {
        let cases = [
            (r#"{"api_base":3}"#, "api_base"),
            (r#"{"demo":"yes"}"#, "demo"),
            (r#"{"theme":"blue"}"#, "theme"),
            (r#"{"page_roles":["owner"]}"#, "page_roles"),
            (r#"{"page_roles":{"spend":"owner"}}"#, "page_roles"),
            (r#"{"role":{"x":1}}"#, "role"),
            (r#"{"data_since":"2025-3-17"}"#, "data_since"),
            (r#"{"data_since":"2025-02-30"}"#, "data_since"),
            (r#"{"data_since":20250317}"#, "data_since"),
        ];
        for (text, key) in cases {
            let error = parse_config(Some(text)).unwrap_err();
            assert!(error.to_string().contains(key), "{text}: {error}");
        }
        assert!(matches!(
            parse_config(Some("{not json")),
            Err(ConfigError::Json(_))
        ));
        assert_eq!(parse_config(Some("[1,2]")), Err(ConfigError::NotAnObject));
        let long = format!(r#"{{"title":"{}"}}"#, "x".repeat(5000));
        assert_eq!(
            parse_config(Some(&long)),
            Err(ConfigError::TooLong { key: "title" })
        );
    }

    #[test]
    fn objects_read_as_maps_sorted_with_the_last_of_a_repeated_key() {
        let parsed = parse_config(Some(
            r#"{"zeta":1,"theme":"light","alpha":[],"theme":"dark","zeta":2,
                "page_roles":{"team":["admin"],"spend":["owner"],"team":["owner"]}}"#,
        ))
        .unwrap();
        assert_eq!(parsed.config.theme, Theme::Dark);
        assert_eq!(
            parsed.warnings,
            vec![
                ConfigWarning::UnknownKey("alpha".into()),
                ConfigWarning::UnknownKey("zeta".into())
            ]
        );
        assert_eq!(
            parsed.config.page_roles,
            vec![
                ("spend".to_owned(), vec!["owner".to_owned()]),
                ("team".to_owned(), vec!["owner".to_owned()])
            ]
        );
        // A repeated key whose last value is wrong is wrong, even if an
        // earlier one was right.
        assert_eq!(
            parse_config(Some(r#"{"demo":true,"demo":"yes"}"#)),
            Err(ConfigError::WrongType {
                key: "demo",
                expected: "true or false"
            })
        );
    }

    #[test]
    fn deep_or_large_configs_are_errors_or_bounded_not_hangs() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(
            parse_config(Some(&deep)),
            Err(ConfigError::Json(_))
        ));
        let many: Vec<String> = (0..50_000).map(|i| format!(r#""k{i}":{i}"#)).collect();
        let parsed = parse_config(Some(&format!("{{{}}}", many.join(",")))).unwrap();
        assert_eq!(parsed.warnings.len(), 50_000);
    }

    #[test]
    fn router_base_normalisation() {
        assert_eq!(normalize_base("/claude-code/"), "/claude-code");
        assert_eq!(normalize_base("a/b"), "/a/b");
        assert_eq!(normalize_base("/"), "/");
        assert_eq!(normalize_base(""), "/");
    }
}
