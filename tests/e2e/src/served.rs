//! `cca-server` in this process, in front of a test server that plays the
//! Admin API: what the server's end-to-end tests and the benchmark through
//! the server start.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use cca::auth::role::Role;
use cca_server::app_config::{AppConfig, AppConfigError};
use cca_server::auth::Auth;
use cca_server::key::{AdminKey, KeyError};
use cca_server::upstream::{RetryPolicy, UpstreamOptions, Url};
use cca_server::{serve, AppState, Settings, StartError};

use crate::dist_dir;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServedError {
    #[error("the upstream URL {0}")]
    Url(String),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    AppConfig(#[from] AppConfigError),
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// How to start it.
#[derive(Debug, Clone)]
pub struct ServedOptions {
    /// The test server's API base (`TestServer::api_base`).
    pub upstream_api: String,
    pub key: String,
    pub cache: PathBuf,
    pub retry: RetryPolicy,
    /// Upstream calls in flight at once (the command line's default is 4).
    pub concurrency: usize,
    /// Every viewer's role (local mode).
    pub role: Role,
    /// `--app-config`'s JSON, e.g. `page_roles`.
    pub app_config: Option<String>,
}

impl ServedOptions {
    pub fn new(upstream_api: String, key: &str, cache: PathBuf) -> Self {
        ServedOptions {
            upstream_api,
            key: key.to_owned(),
            cache,
            retry: RetryPolicy::default(),
            concurrency: 4,
            role: Role::Admin,
            app_config: None,
        }
    }
}

/// The running server on a free 127.0.0.1 port (local mode, the release
/// build of `dist_dir()`); stops on drop.
pub struct Served {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Served {
    pub fn start(options: ServedOptions) -> Result<Served, ServedError> {
        let app_config = match &options.app_config {
            Some(json) => Some(AppConfig::parse(json, "the test's app config")?),
            None => None,
        };
        let settings = Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_base: "/api".to_owned(),
            router_base: "/claude-code".to_owned(),
            dist: Some(dist_dir()),
            auth: Auth::Local { role: options.role },
            upstream: Some(UpstreamOptions {
                base: Url::parse(&options.upstream_api)
                    .map_err(|e| ServedError::Url(format!("{}: {e}", options.upstream_api)))?,
                key: AdminKey::new(&options.key, "test")?,
                concurrency: options.concurrency,
                timeout: Duration::from_secs(10),
                retry: options.retry,
            }),
            cache: Some(options.cache),
            recent_ttl: Duration::from_secs(300),
            app_config,
        };
        let state = Arc::new(AppState::new(&settings)?);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind(settings.listen))?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let _ = runtime.block_on(serve(listener, state, async {
                let _ = stopped.await;
            }));
        });
        Ok(Served {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Stops the server. Drop the browser first: its keep-alive connections
/// would hold the graceful stop until they time out.
impl Drop for Served {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A cache file path in the temp directory, with no file (or WAL) left from before.
pub fn fresh_cache(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("cca-e2e-{name}-{}.sqlite3", std::process::id()));
    remove_cache(&path);
    path
}

/// Removes a cache file and its WAL and shared-memory files.
pub fn remove_cache(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
