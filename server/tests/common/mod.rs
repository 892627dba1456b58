//! Shared by the integration tests: the fake upstream, a server built in
//! process, requests without a socket, captured logs, temporary directories.
#![allow(dead_code)]

pub mod fake_upstream;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use cca::auth::role::Role;
use cca_server::auth::Auth;
use cca_server::key::AdminKey;
use cca_server::upstream::{RetryPolicy, UpstreamOptions, Url};
use cca_server::{router, AppState, Settings};
use tower::ServiceExt;

#[allow(unused_imports)] // each test binary uses some of them
pub use fake_upstream::{FakeUpstream, Fault, KEY};

/// A fresh, empty directory under the system's temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "cca-server-test-{}-{}-{name}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Retries fast, so fault tests take milliseconds, not seconds.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        attempts: 4,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
        max_retry_after: Duration::from_secs(5),
    }
}

/// Settings for a server in demo mode (`upstream` = None) or in front of `upstream`.
pub fn settings(upstream: Option<&FakeUpstream>, cache: Option<PathBuf>) -> Settings {
    Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        api_base: "/api".to_owned(),
        router_base: "/claude-code".to_owned(),
        dist: Some(PathBuf::from("/nonexistent-cca-dist")),
        auth: Auth::Local { role: Role::Admin },
        upstream: upstream.map(|fake| UpstreamOptions {
            base: Url::parse(&fake.origin()).unwrap(),
            key: AdminKey::new(KEY, "test").unwrap(),
            concurrency: 4,
            timeout: Duration::from_secs(5),
            retry: fast_retry(),
        }),
        cache,
        recent_ttl: Duration::from_secs(300),
        app_config: None,
    }
}

pub fn app(settings: &Settings) -> Router {
    router(Arc::new(AppState::new(settings).unwrap()))
}

#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as it came (e.g. compressed).
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// Every byte a browser would receive, headers and body.
    pub fn everything(&self) -> String {
        let mut text = String::new();
        for (name, value) in &self.headers {
            text.push_str(&format!(
                "{name}: {}\n",
                String::from_utf8_lossy(value.as_bytes())
            ));
        }
        text + &self.body
    }
}

/// A request through the router, no socket; `peer` is the connection's address.
pub async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    peer: Option<SocketAddr>,
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request = request.body(Body::empty()).unwrap();
    if let Some(peer) = peer {
        request.extensions_mut().insert(ConnectInfo(peer));
    }
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes: bytes.to_vec(),
    }
}

pub async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Method::GET, uri, &[], None).await
}

/// The trusted proxy's address, for the tests of proxy authentication.
pub const PROXY: &str = "127.0.0.1:40000";

/// A GET as the trusted proxy sends it for the signed-in `email`.
pub async fn get_as(app: &Router, email: &str, uri: &str) -> Answer {
    let peer: SocketAddr = PROXY.parse().unwrap();
    send(
        app,
        Method::GET,
        uri,
        &[("x-forwarded-email", email)],
        Some(peer),
    )
    .await
}

pub fn usage_uri(day: chrono::NaiveDate, limit: usize, page: Option<&str>) -> String {
    let mut uri =
        format!("/api/v1/organizations/usage_report/claude_code?starting_at={day}&limit={limit}");
    if let Some(page) = page {
        uri.push_str("&page=");
        uri.push_str(page);
    }
    uri
}

/// Every record of a day as the app reads it: following `next_page`.
pub async fn load_day(
    app: &Router,
    day: chrono::NaiveDate,
    limit: usize,
) -> Vec<serde_json::Value> {
    let mut records = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let answer = get(app, &usage_uri(day, limit, cursor.as_deref())).await;
        assert_eq!(answer.status, StatusCode::OK, "{day}: {}", answer.body);
        let page = answer.json();
        records.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_page"].as_str() {
            Some(next) if page["has_more"] == true => cursor = Some(next.to_owned()),
            _ => return records,
        }
    }
}

pub fn days_ago(n: i64) -> chrono::NaiveDate {
    chrono::Utc::now().date_naive() - chrono::Duration::days(n)
}

/// Every log line of this test process, from one global subscriber.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    pub fn global() -> Logs {
        static LOGS: std::sync::OnceLock<Logs> = std::sync::OnceLock::new();
        LOGS.get_or_init(|| {
            let logs = Logs::default();
            let writer = logs.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_writer(move || writer.clone())
                .with_max_level(tracing::Level::DEBUG)
                .finish();
            let _ = tracing::subscriber::set_global_default(subscriber);
            logs
        })
        .clone()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// The lines logged inside [`in_test_span`]`(case, …)` that contain
    /// every one of `needles`: the tests of this binary share one subscriber
    /// and may ask for the same days.
    pub fn lines_of(&self, case: &str, needles: &[&str]) -> Vec<String> {
        let mark = format!("test{{case={case}}}");
        self.text()
            .lines()
            .filter(|line| line.contains(&mark) && needles.iter().all(|n| line.contains(n)))
            .map(str::to_owned)
            .collect()
    }
}

/// Runs `future` inside a span that marks every line it logs with `case`
/// (the requests run in process, in this future, so the server's lines do too).
pub async fn in_test_span<F: std::future::Future>(case: &str, future: F) -> F::Output {
    use tracing::Instrument;
    future
        .instrument(tracing::info_span!("test", case = %case))
        .await
}

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
