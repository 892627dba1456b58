//! `cca-server`: serves the dashboard and answers its API for one
//! organization, with the organization's Admin API key kept on the server.
//!
//! The app's calls (`/v1/me`, `usage_report/claude_code` and its summary)
//! are answered under `api_base`; only the usage report's days reach the
//! Admin API, rebuilt from validated values, through a durable SQLite cache
//! (the summary is computed here from those days). Without a key the
//! built-in demo organization answers instead. See docs/server.md.

pub mod api;
pub mod app_config;
pub mod assets;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod day_parts;
pub mod error;
pub mod key;
pub mod log;
pub mod member;
pub mod params;
pub mod roles;
pub mod source;
pub mod summary;
pub mod upstream;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use cca::auth::policy::Policy;
use day_parts::DayParts;
use serde_json::json;
use tower_http::compression::CompressionLayer;

use crate::assets::Assets;
use crate::auth::Auth;
use crate::cache::Cache;
use crate::source::{DemoSource, Source, UpstreamSource};
use crate::upstream::{Upstream, UpstreamOptions, USAGE_PATH};

/// Everything the server needs to start, already validated (see `cli`).
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    /// Path prefix of the API on this server, e.g. `/api`.
    pub api_base: String,
    /// Path the app's pages live under, e.g. `/claude-code`.
    pub router_base: String,
    /// The app's build directory (`--dist`); `None`: the app embedded in the
    /// binary, else `dist/` if present (`assets::Assets::open`).
    pub dist: Option<PathBuf>,
    pub auth: Auth,
    /// `None`: no key, the demo organization answers.
    pub upstream: Option<UpstreamOptions>,
    /// `None`: an in-memory cache.
    pub cache: Option<PathBuf>,
    pub recent_ttl: Duration,
    /// `--app-config`: the host config for the page, whose `page_roles`
    /// narrow the policy the server enforces. `None`: the default policy.
    pub app_config: Option<app_config::AppConfig>,
}

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Key(#[from] key::KeyError),
    #[error(transparent)]
    Roles(#[from] roles::RolesError),
    #[error(transparent)]
    AppConfig(#[from] app_config::AppConfigError),
    #[error(transparent)]
    Upstream(#[from] upstream::UpstreamSetupError),
    #[error("cannot read the app build in {path}: {source}")]
    Dist {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}

pub struct AppState {
    pub auth: Auth,
    pub policy: Policy,
    pub source: Source,
    /// Final days summed up, for the summaries.
    pub day_parts: DayParts,
    pub assets: Assets,
    pub api_base: String,
}

impl AppState {
    pub fn new(settings: &Settings) -> Result<AppState, StartError> {
        let config = app_config::page_config(
            settings.app_config.as_ref(),
            &settings.api_base,
            &settings.router_base,
        );
        let dist = settings.dist.as_deref();
        let assets =
            Assets::open(dist, &config.to_string(), &settings.router_base).map_err(|source| {
                StartError::Dist {
                    path: dist
                        .unwrap_or(std::path::Path::new(assets::DEFAULT_DIST))
                        .display()
                        .to_string(),
                    source,
                }
            })?;
        let source = match &settings.upstream {
            None => {
                tracing::info!("no admin key: serving the built-in demo organization");
                Source::Demo(DemoSource::default())
            }
            Some(options) => {
                let cache = match &settings.cache {
                    Some(path) => Cache::open(path),
                    None => Cache::in_memory(),
                };
                tracing::info!(upstream = %options.base, cache = cache.location(), "serving the organization's data");
                let source_id = format!(
                    "{}#{}",
                    options.base.as_str().trim_end_matches('/'),
                    options.key.fingerprint()
                );
                Source::Upstream(Box::new(UpstreamSource::new(
                    Upstream::new(options.clone())?,
                    Arc::new(cache),
                    source_id,
                    settings.recent_ttl,
                )))
            }
        };
        Ok(AppState {
            auth: settings.auth.clone(),
            policy: settings
                .app_config
                .as_ref()
                .map(|config| config.policy().clone())
                .unwrap_or_default(),
            source,
            day_parts: DayParts::default(),
            assets,
            api_base: settings.api_base.clone(),
        })
    }

    /// The organization `/v1/me` names: known only for the demo (the Admin
    /// usage report does not say which organization it is).
    pub fn organization(&self) -> Option<(String, String)> {
        match &self.source {
            Source::Demo(demo) => Some((
                demo.org().organization_id().to_owned(),
                "Demo organization".to_owned(),
            )),
            Source::Upstream(_) => None,
        }
    }

    /// The organization's first day with usage, for `/v1/me`: known only
    /// for the demo (its first day moves with today, so it is answered per
    /// request rather than injected into the page once). An organization's
    /// own can go in `--app-config`'s `data_since`.
    pub fn data_since(&self) -> Option<chrono::NaiveDate> {
        match &self.source {
            Source::Demo(demo) => Some(demo.org().started()),
            Source::Upstream(_) => None,
        }
    }
}

/// The whole HTTP surface.
pub fn router(state: Arc<AppState>) -> Router {
    let api = state.api_base.clone();
    Router::new()
        .route(
            &format!("{api}/v1/me"),
            get(api::me).fallback(api::method_not_allowed),
        )
        .route(
            &format!("{api}{USAGE_PATH}"),
            get(api::usage).fallback(api::method_not_allowed),
        )
        .route(
            &format!("{api}{}", summary::SUMMARY_PATH),
            get(summary::summary).fallback(api::method_not_allowed),
        )
        .route("/healthz", get(healthz).fallback(api::method_not_allowed))
        .fallback(fallback)
        // Whatever the viewer's browser accepts; files already compressed
        // (the app's `.br`/`.gz`) keep their encoding.
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            Arc::<str>::from(format!("{api}{USAGE_PATH}")),
            log::log_request,
        ))
        .with_state(state)
}

async fn healthz() -> Response {
    Json(json!({"status": "ok"})).into_response()
}

/// Anything not routed: under `api_base` a local JSON 404 (nothing is
/// forwarded), elsewhere the app's files.
async fn fallback(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let path = request.uri().path();
    let api = state.api_base.as_str();
    if path == api
        || path
            .strip_prefix(api)
            .is_some_and(|rest| rest.starts_with('/'))
    {
        return error::Error::NotFound.into_response();
    }
    state
        .assets
        .answer(request.method(), path, request.headers())
}

/// Binds, serves until Ctrl-C or SIGTERM, then finishes open requests.
pub async fn run(settings: Settings) -> Result<(), StartError> {
    let state = Arc::new(AppState::new(&settings)?);
    if !state.assets.has_build() {
        tracing::warn!("serving the API only until the app is built");
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|source| StartError::Listen {
            addr: settings.listen,
            source,
        })?;
    let addr = listener.local_addr().unwrap_or(settings.listen);
    tracing::info!("listening on http://{addr}{}/", settings.router_base);
    serve(listener, state, shutdown()).await
}

/// Serves on a bound listener until `stop` completes. Each request carries
/// its connection's peer address, which proxy mode checks.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(stop)
    .await
    .map_err(StartError::Serve)
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
    tracing::info!("shutting down");
}
