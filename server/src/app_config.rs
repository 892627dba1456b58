//! `--app-config FILE`: the host config the page hands the app (the JSON of
//! `<script type="application/json" id="claude-code-analytics-config">`,
//! docs/embedding.md's format), read with the app's own parser so the server
//! and the browser agree on what it means.
//!
//! Two things come of it: the object injected into the page (with `api_base`
//! and `router_base` always the server's own), and the access policy its
//! `page_roles` narrow, which the server enforces on the usage path too (a
//! role kept off the spend page gets no `estimated_cost`).

use std::path::Path;

use cca::auth::policy::Policy;
use cca::config::{parse_config, ConfigError};
use serde_json::{Map, Value};

/// Keys the server decides, whatever the file says: where the app finds the
/// API and its pages (the server's own paths), who the viewer is (`--role` or
/// the roles file, through `/v1/me`) and whether the data is the demo (no
/// key), so a file written for another host cannot point the app elsewhere.
const SERVER_KEYS: [(&str, &str); 4] = [
    ("api_base", "the server sets it to its --api-base"),
    ("router_base", "the server sets it to its --router-base"),
    (
        "role",
        "each viewer's role comes from --role or the --roles file",
    ),
    (
        "demo",
        "the server serves the demo organization itself when it has no key",
    ),
];

/// A host config file, checked.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The file's object without [`SERVER_KEYS`]: what the page carries
    /// besides the server's `api_base` and `router_base`.
    entries: Map<String, Value>,
    /// The app's default policy narrowed by the file's `page_roles`.
    policy: Policy,
}

/// Why an `--app-config` file cannot be used (a startup error).
#[derive(Debug, thiserror::Error)]
pub enum AppConfigError {
    #[error("--app-config {path}: cannot read it: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("--app-config {path}: {source}")]
    Invalid { path: String, source: ConfigError },
}

impl AppConfig {
    /// Reads and checks the file; what the app would ignore is logged as a
    /// warning naming the file.
    pub fn load(path: &Path) -> Result<AppConfig, AppConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| AppConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        AppConfig::parse(&text, &shown)
    }

    /// Checks a config's text; `origin` names it in errors and warnings.
    pub fn parse(text: &str, origin: &str) -> Result<AppConfig, AppConfigError> {
        let invalid = |source| AppConfigError::Invalid {
            path: origin.to_owned(),
            source,
        };
        let parsed = parse_config(Some(text)).map_err(invalid)?;
        for warning in &parsed.warnings {
            tracing::warn!(app_config = origin, "{warning}");
        }
        let (policy, policy_warnings) = parsed.config.policy();
        for warning in &policy_warnings {
            tracing::warn!(app_config = origin, "{warning}");
        }
        // The app's parser accepted it, so it is one JSON object (an empty
        // file is the empty config); serde_json keeps a repeated key's last
        // value, as that parser does.
        let mut entries = if text.trim().is_empty() {
            Map::new()
        } else {
            serde_json::from_str::<Map<String, Value>>(text).map_err(|e| {
                invalid(ConfigError::Json(e.to_string().chars().take(120).collect()))
            })?
        };
        for (key, why) in SERVER_KEYS {
            if entries.remove(key).is_some() {
                tracing::warn!(
                    app_config = origin,
                    "“{key}” in the app config is ignored: {why}"
                );
            }
        }
        Ok(AppConfig { entries, policy })
    }

    /// The access policy: the app's default narrowed by `page_roles`.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The object injected into the page for the app: the file's entries
    /// with the server's `api_base` and `router_base`.
    pub fn page_config(&self, api_base: &str, router_base: &str) -> Value {
        page_config(Some(self), api_base, router_base)
    }
}

/// The config object the page carries, with or without an `--app-config`.
pub fn page_config(config: Option<&AppConfig>, api_base: &str, router_base: &str) -> Value {
    let mut entries = config.map(|c| c.entries.clone()).unwrap_or_default();
    entries.insert("api_base".to_owned(), Value::from(api_base));
    entries.insert("router_base".to_owned(), Value::from(router_base));
    Value::Object(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cca::auth::page::Page;
    use cca::auth::role::Role;
    use serde_json::json;

    #[test]
    fn page_roles_narrow_the_policy_and_the_page_gets_the_rest() {
        let config = AppConfig::parse(
            r#"{"page_roles":{"spend":["owner","billing"]},"theme":"dark","title":"Usage",
                "api_base":"https://elsewhere.example/api","role":"owner","demo":true}"#,
            "app.json",
        )
        .unwrap();
        assert!(config.policy().allows(&Role::Owner, Page::Spend));
        assert!(!config.policy().allows(&Role::Developer, Page::Spend));
        assert!(config.policy().allows(&Role::Developer, Page::Overview));
        assert_eq!(
            config.page_config("/api", "/claude-code"),
            json!({"page_roles":{"spend":["owner","billing"]},"theme":"dark","title":"Usage",
                   "api_base":"/api","router_base":"/claude-code"})
        );
        assert_eq!(
            page_config(None, "/api", "/x"),
            json!({"api_base":"/api","router_base":"/x"})
        );
    }

    #[test]
    fn a_bad_file_is_an_error_naming_it_and_the_problem() {
        for (text, problem) in [
            ("{not json", "not valid JSON"),
            ("[1]", "must be a JSON object"),
            (r#"{"page_roles":{"spend":"owner"}}"#, "page_roles"),
            (r#"{"theme":"blue"}"#, "theme"),
        ] {
            let message = AppConfig::parse(text, "/etc/cca/app.json")
                .unwrap_err()
                .to_string();
            assert!(
                message.starts_with("--app-config /etc/cca/app.json: "),
                "{message}"
            );
            assert!(message.contains(problem), "{text}: {message}");
        }
        let missing = AppConfig::load(Path::new("/nonexistent/cca-app.json"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("/nonexistent/cca-app.json"), "{missing}");
        assert!(missing.contains("cannot read"), "{missing}");
    }

    #[test]
    fn an_empty_file_is_the_default_policy() {
        let config = AppConfig::parse("\n", "app.json").unwrap();
        assert_eq!(config.policy(), &Policy::default());
        assert_eq!(
            config.page_config("/api", "/claude-code"),
            json!({"api_base":"/api","router_base":"/claude-code"})
        );
    }
}
