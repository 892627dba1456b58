//! The command line, and its checks: everything that is wrong with the
//! configuration is said at start, in one sentence that names the option.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::http::HeaderName;
use cca::auth::role::Role;
use clap::{Parser, ValueEnum};
use reqwest::Url;

use crate::app_config::AppConfig;
use crate::auth::Auth;
use crate::key::AdminKey;
use crate::roles::RolesFile;
use crate::upstream::{RetryPolicy, UpstreamOptions};
use crate::{Settings, StartError};

/// The environment variable the Admin API key is read from.
pub const KEY_ENV: &str = "ANTHROPIC_ADMIN_KEY";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthMode {
    /// Every viewer gets --role; only on a loopback --listen address.
    Local,
    /// Trust an identity header from --trusted-proxy addresses; roles from --roles.
    Proxy,
}

/// Serves the Claude Code Analytics dashboard and reads your organization's
/// usage from the Admin API with an Admin key that never reaches a browser.
///
/// The key comes from the ANTHROPIC_ADMIN_KEY environment variable or from
/// --admin-key-file. With no key, the server shows the built-in demo
/// organization. Only GET /v1/organizations/usage_report/claude_code is ever
/// sent upstream; everything else is answered locally.
#[derive(Debug, Clone, Parser)]
#[command(name = "cca-server", version, max_term_width = 100)]
pub struct Args {
    /// Address to listen on. With --auth local it must be a loopback address
    /// (127.0.0.1 or ::1): local mode gives every visitor the same role.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// The Admin API to read usage from. https:// only (plain http:// is
    /// accepted for a loopback address, for tests).
    #[arg(long, value_name = "URL", default_value = "https://api.anthropic.com")]
    pub upstream: String,

    /// Read the Admin API key from this file instead of ANTHROPIC_ADMIN_KEY
    /// (keep it readable by the server's user only).
    #[arg(long, value_name = "PATH")]
    pub admin_key_file: Option<PathBuf>,

    /// Path the app's pages are served under; deep links below it get the app.
    #[arg(long, value_name = "PATH", default_value = "/claude-code")]
    pub router_base: String,

    /// Path the API is served under on this server; the app is told to call it.
    #[arg(long, value_name = "PATH", default_value = "/api")]
    pub api_base: String,

    /// The SQLite cache file [default: $XDG_CACHE_HOME or ~/.cache, then
    /// claude-code-analytics/server.sqlite3].
    #[arg(long, value_name = "PATH")]
    pub cache: Option<PathBuf>,

    /// Serve the app's release build from this directory (`cargo xtask build`
    /// writes dist/), read at start. Without it: the app embedded in this
    /// binary (`cargo xtask server-release`), else ./dist if it exists, else
    /// the API alone.
    #[arg(long, value_name = "PATH")]
    pub dist: Option<PathBuf>,

    /// How viewers are identified.
    #[arg(long, value_enum, value_name = "MODE", default_value = "local")]
    pub auth: AuthMode,

    /// With --auth local: every viewer's role (primary_owner, owner, billing,
    /// admin, developer, user, claude_code_user, membership_admin).
    #[arg(long, value_name = "ROLE", default_value = "admin")]
    pub role: String,

    /// With --auth proxy: the header carrying the signed-in email, set by the
    /// authenticating proxy (oauth2-proxy: X-Forwarded-Email).
    #[arg(long, value_name = "NAME", default_value = "X-Forwarded-Email")]
    pub identity_header: String,

    /// With --auth proxy: the proxy's address; the identity header is believed
    /// only on connections from these addresses. Repeat for several.
    #[arg(long, value_name = "ADDR")]
    pub trusted_proxy: Vec<IpAddr>,

    /// With --auth proxy: the TOML file mapping emails ([emails]) and whole
    /// domains ([domains]) to roles; an email rule wins; anyone else has no access.
    #[arg(long, value_name = "FILE")]
    pub roles: Option<PathBuf>,

    /// A host config file for the app, in the format of the page's
    /// claude-code-analytics-config element (docs/embedding.md), e.g.
    /// {"page_roles":{"spend":["owner","billing"]},"theme":"dark"}. It is
    /// given to the app (with api_base and router_base always the server's
    /// own), and its page_roles narrow what the server itself allows: a role
    /// kept off the spend page receives usage without estimated_cost.
    #[arg(long, value_name = "FILE")]
    pub app_config: Option<PathBuf>,

    /// Seconds a day younger than three days is served from the cache before
    /// it is fetched again (older days never change and are kept for good).
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub recent_ttl: u64,

    /// Admin API calls in flight at once, over all viewers.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub upstream_concurrency: u16,

    /// Seconds one Admin API call may take before it is retried.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub upstream_timeout: u64,
}

impl Args {
    /// Checks the options and reads the key and the roles file.
    /// `env_key` is `ANTHROPIC_ADMIN_KEY`'s value, if set.
    pub fn settings(&self, env_key: Option<&str>) -> Result<Settings, StartError> {
        let auth = self.auth_settings()?;
        let router_base = base_path("--router-base", &self.router_base)?;
        let api_base = base_path("--api-base", &self.api_base)?;
        let overlap = |a: &str, b: &str| a == b || a.starts_with(&format!("{b}/"));
        if overlap(&router_base, &api_base) || overlap(&api_base, &router_base) {
            return Err(config(format!(
                "--api-base {api_base} and --router-base {router_base} must not contain one another"
            )));
        }
        if api_base == "/healthz" || router_base == "/healthz" {
            return Err(config("/healthz is the health check's path"));
        }
        let key = match (
            env_key.filter(|k| !k.trim().is_empty()),
            &self.admin_key_file,
        ) {
            (Some(_), Some(_)) => {
                return Err(config(format!(
                    "both {KEY_ENV} and --admin-key-file are set; give the key one way"
                )))
            }
            (Some(text), None) => Some(AdminKey::new(text, &format!("in {KEY_ENV}"))?),
            (None, Some(path)) => Some(AdminKey::from_file(path)?),
            (None, None) => None,
        };
        let upstream = match key {
            None => None,
            Some(key) => Some(UpstreamOptions {
                base: upstream_url(&self.upstream)?,
                key,
                concurrency: usize::from(self.upstream_concurrency),
                timeout: Duration::from_secs(self.upstream_timeout),
                retry: RetryPolicy::default(),
            }),
        };
        Ok(Settings {
            listen: self.listen,
            api_base,
            router_base,
            dist: self.dist.clone(),
            auth,
            upstream,
            cache: Some(self.cache.clone().unwrap_or_else(default_cache_path)),
            recent_ttl: Duration::from_secs(self.recent_ttl),
            app_config: self
                .app_config
                .as_deref()
                .map(AppConfig::load)
                .transpose()?,
        })
    }

    fn auth_settings(&self) -> Result<Auth, StartError> {
        match self.auth {
            AuthMode::Local => {
                if !self.listen.ip().is_loopback() {
                    return Err(config(format!(
                        "--auth local gives every visitor the role “{}”, so it only listens on a \
                         loopback address (127.0.0.1 or ::1), and {} is not one: anyone who can \
                         reach it could read the organization's usage. Use --listen 127.0.0.1:{}, \
                         or --auth proxy behind an authenticating reverse proxy (docs/server.md)",
                        self.role,
                        self.listen.ip(),
                        self.listen.port()
                    )));
                }
                if self.roles.is_some() || !self.trusted_proxy.is_empty() {
                    return Err(config(
                        "--roles and --trusted-proxy only apply to --auth proxy",
                    ));
                }
                Ok(Auth::Local {
                    role: known_role(&self.role)?,
                })
            }
            AuthMode::Proxy => {
                let roles_path = self.roles.as_deref().ok_or_else(|| {
                    config("--auth proxy needs --roles FILE (who gets which role)")
                })?;
                if self.trusted_proxy.is_empty() {
                    return Err(config(
                        "--auth proxy needs --trusted-proxy ADDR: the identity header is only believed from the proxy",
                    ));
                }
                let header =
                    HeaderName::from_bytes(self.identity_header.as_bytes()).map_err(|_| {
                        config(format!(
                            "--identity-header “{}” is not a header name",
                            self.identity_header
                        ))
                    })?;
                let roles = RolesFile::load(roles_path)?;
                if roles.is_empty() {
                    tracing::warn!(roles = %roles_path.display(), "the roles file gives no one access");
                }
                Ok(Auth::Proxy {
                    header,
                    trusted: self.trusted_proxy.clone(),
                    roles,
                })
            }
        }
    }
}

fn config(message: impl Into<String>) -> StartError {
    StartError::Config(message.into())
}

fn known_role(name: &str) -> Result<Role, StartError> {
    match Role::from_wire(name) {
        Role::Unknown(_) => Err(config(format!(
            "--role “{name}” is not a role (roles: {})",
            Role::KNOWN.map(|r| r.wire_name().to_owned()).join(", ")
        ))),
        role => Ok(role),
    }
}

/// A path prefix: `/` then segments of `A-Z a-z 0-9 - _ . ~`, no trailing slash.
fn base_path(option: &str, text: &str) -> Result<String, StartError> {
    let trimmed = text.trim_end_matches('/');
    let valid = trimmed.starts_with('/')
        && trimmed[1..].split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
        });
    if valid {
        Ok(trimmed.to_owned())
    } else {
        Err(config(format!(
            "{option} “{text}” must be a path like /claude-code (letters, digits, - _ . ~)"
        )))
    }
}

/// The key travels in a header: https, or plain http to this machine only.
fn upstream_url(text: &str) -> Result<Url, StartError> {
    let url = Url::parse(text).map_err(|e| config(format!("--upstream “{text}”: {e}")))?;
    let loopback = match url.host_str() {
        Some("localhost") => true,
        Some(host) => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    };
    let ok = match url.scheme() {
        "https" => url.host().is_some(),
        "http" => loopback,
        _ => false,
    };
    if !ok || url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(config(format!(
            "--upstream “{text}” must be an https:// URL without query or credentials (http:// only to a loopback address)"
        )));
    }
    Ok(url)
}

/// `$XDG_CACHE_HOME/claude-code-analytics/server.sqlite3`, else under `~/.cache`.
pub fn default_cache_path() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("claude-code-analytics").join("server.sqlite3")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Args {
        Args::try_parse_from(std::iter::once("cca-server").chain(list.iter().copied())).unwrap()
    }

    #[test]
    fn local_mode_refuses_a_public_address() {
        let error = args(&["--listen", "0.0.0.0:8080"])
            .settings(None)
            .unwrap_err();
        let message = error.to_string();
        assert!(message.contains("loopback"), "{message}");
        assert!(message.contains("0.0.0.0"), "{message}");
        assert!(args(&["--listen", "[::1]:8080"]).settings(None).is_ok());
    }

    #[test]
    fn no_key_is_the_demo_and_a_key_needs_https() {
        let settings = args(&[]).settings(None).unwrap();
        assert!(settings.upstream.is_none());
        assert_eq!(settings.api_base, "/api");
        assert_eq!(settings.router_base, "/claude-code");
        let settings = args(&[]).settings(Some("sk-ant-admin-x")).unwrap();
        assert_eq!(
            settings.upstream.unwrap().base.as_str(),
            "https://api.anthropic.com/"
        );
        for bad in [
            "http://api.example.com",
            "ftp://x",
            "https://u:p@api.example.com",
            "nonsense",
        ] {
            assert!(
                args(&["--upstream", bad]).settings(Some("k")).is_err(),
                "{bad}"
            );
        }
        assert!(args(&["--upstream", "http://127.0.0.1:9"])
            .settings(Some("k"))
            .is_ok());
    }

    #[test]
    fn paths_roles_and_modes_are_checked() {
        assert!(args(&["--role", "superuser"]).settings(None).is_err());
        assert!(args(&["--router-base", "/a/../b"]).settings(None).is_err());
        assert!(args(&["--api-base", "/claude-code/api"])
            .settings(None)
            .is_err());
        assert_eq!(
            args(&["--router-base", "/x/"])
                .settings(None)
                .unwrap()
                .router_base,
            "/x"
        );
        assert!(args(&["--auth", "proxy", "--trusted-proxy", "127.0.0.1"])
            .settings(None)
            .is_err());
        assert!(args(&["--roles", "r.toml"]).settings(None).is_err());
        let both = args(&["--admin-key-file", "/nonexistent"]).settings(Some("k"));
        assert!(both.unwrap_err().to_string().contains("one way"));
    }
}
