//! The config object a host page passes in
//! `<script type="application/json" id="claude-code-analytics-config">`.
//! Unknown keys are ignored with a warning; a wrong type is an error the
//! app shows instead of a blank page.

use std::fmt;

use serde_json::{Map, Value};

use crate::auth::policy::{Policy, PolicyWarning};

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
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ConfigError::Json(e.to_string().chars().take(120).collect()))?;
    let Value::Object(map) = value else {
        return Err(ConfigError::NotAnObject);
    };
    let mut config = Config::default();
    let mut warnings = Vec::new();
    for key in map.keys() {
        if !KNOWN_KEYS.contains(&key.as_str()) {
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
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
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
    Ok(ParsedConfig { config, warnings })
}

const KNOWN_KEYS: [&str; 8] = [
    "api_base",
    "router_base",
    "role",
    "demo",
    "page_roles",
    "theme",
    "sign_in_url",
    "title",
];

fn string(map: &Map<String, Value>, key: &'static str) -> Result<Option<String>, ConfigError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() > MAX_STRING => {
            Err(ConfigError::TooLong { key })
        }
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ConfigError::WrongType {
            key,
            expected: "a string",
        }),
    }
}

fn page_roles(map: &Map<String, Value>) -> Result<Vec<(String, Vec<String>)>, ConfigError> {
    const EXPECTED: &str = "an object of page → list of role names";
    let wrong = ConfigError::WrongType {
        key: "page_roles",
        expected: EXPECTED,
    };
    match map.get("page_roles") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(pages)) => pages
            .iter()
            .map(|(page, roles)| {
                let Value::Array(roles) = roles else {
                    return Err(wrong.clone());
                };
                let roles = roles
                    .iter()
                    .map(|r| r.as_str().map(str::to_owned).ok_or_else(|| wrong.clone()))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((page.clone(), roles))
            })
            .collect(),
        Some(_) => Err(wrong),
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
                "sign_in_url":"/login","title":"Usage"}"#,
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
        assert!(parsed.warnings.is_empty());
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
    fn router_base_normalisation() {
        assert_eq!(normalize_base("/claude-code/"), "/claude-code");
        assert_eq!(normalize_base("a/b"), "/a/b");
        assert_eq!(normalize_base("/"), "/");
        assert_eq!(normalize_base(""), "/");
    }
}
