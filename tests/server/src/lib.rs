//! A test server for end-to-end tests and benchmarks: serves the release
//! build (with the router fallback for deep links) and a mock console API
//! (`/v1/me` and `usage_report/claude_code`) over a generated organization,
//! logging every request it answers and injecting faults on demand.
//!
//! Started by the tests themselves on a free 127.0.0.1 port; stopped on drop.

mod api;
pub mod faults;
mod files;
pub mod http;

use std::collections::HashMap;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use cca::demo::{DemoConfig, DemoOrg};
use cca::model::record::UsageRecord;
use chrono::NaiveDate;

pub use faults::{Fault, FaultRule};

/// Where the API lives on this server; the app's `api_base` is `{origin}{API_PREFIX}`.
pub const API_PREFIX: &str = "/api";

/// What `/v1/me` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeAnswer {
    /// 200 with this wire role.
    Role(String),
    /// This status with a small JSON error body.
    Status(u16),
    /// 200 with this body, verbatim (for garbage tests).
    Raw(String),
}

/// How to start a server.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// The release build to serve (`dist/`); `None` serves only the API.
    pub dist: Option<PathBuf>,
    /// Path prefix the build is served under (`""` = the origin's root).
    pub mount_prefix: String,
    /// The app's router base: `/` redirects there.
    pub router_base: String,
    pub members: usize,
    pub seed: u64,
    /// The organization's "today" (UTC); no usage exists after it.
    pub today: NaiveDate,
    pub me: MeAnswer,
    /// Config JSON injected into every HTML page the fallback serves; `None` = none (demo mode).
    pub app_config: Option<String>,
    /// At most this many records per page, whatever `limit` asks for.
    pub page_size_cap: Option<usize>,
    /// Serve exactly these records (each on its own `date`) instead of the
    /// generated organization: hand-made data sets with known figures.
    pub records: Option<Arc<Vec<UsageRecord>>>,
    /// A `Content-Security-Policy` header for the app's pages.
    pub csp: Option<String>,
    /// Behave as the Admin API: every API request must carry this
    /// `x-api-key` and `anthropic-version: 2023-06-01`, or it is refused
    /// (401 / 400) the way the real API refuses it. `None`: the console's
    /// API, signed in by cookie, no key asked for.
    pub admin_key: Option<String>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            dist: None,
            mount_prefix: String::new(),
            router_base: "/claude-code".to_owned(),
            members: DemoConfig::default().members,
            seed: DemoConfig::default().seed,
            today: chrono::Utc::now().date_naive(),
            me: MeAnswer::Role("admin".to_owned()),
            app_config: None,
            page_size_cap: None,
            records: None,
            csp: None,
            admin_key: None,
        }
    }
}

/// One answered request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub method: String,
    pub path: String,
    pub query: String,
    pub status: u16,
    /// `starting_at` of a usage request.
    pub day: Option<NaiveDate>,
    /// Milliseconds since the server started, when the answer was written.
    pub at_ms: u128,
    /// The request's header names, lower-cased, in order: what reached the
    /// server (a test proves no cookie or browser header was forwarded).
    pub header_names: Vec<String>,
}

impl LogEntry {
    pub fn is_usage(&self) -> bool {
        self.path.ends_with("/usage_report/claude_code")
    }
}

pub(crate) struct State {
    options: Mutex<ServerOptions>,
    org: DemoOrg,
    days: Mutex<HashMap<NaiveDate, Arc<Vec<UsageRecord>>>>,
    log: Mutex<Vec<LogEntry>>,
    faults: Mutex<Vec<FaultRule>>,
    extra_files: Mutex<HashMap<String, files::ExtraFile>>,
    started: Instant,
}

/// Locks a mutex, recovering the data if a handler thread panicked.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl State {
    pub(crate) fn options(&self) -> ServerOptions {
        lock(&self.options).clone()
    }

    /// One day's records, generated once and shared by every page request.
    pub(crate) fn day(&self, day: NaiveDate) -> Arc<Vec<UsageRecord>> {
        if let Some(records) = lock(&self.days).get(&day) {
            return Arc::clone(records);
        }
        let records = Arc::new(match &lock(&self.options).records {
            Some(fixed) => fixed.iter().filter(|r| r.date == day).cloned().collect(),
            None => self.org.records_for_day(day),
        });
        lock(&self.days).insert(day, Arc::clone(&records));
        records
    }
}

/// A running server; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Binds a free port on 127.0.0.1 and starts answering.
    pub fn start(options: ServerOptions) -> io::Result<Self> {
        Self::start_on(options, 0)
    }

    /// Like [`TestServer::start`] on a chosen port (0 = any free one).
    pub fn start_on(options: ServerOptions, port: u16) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        let org = DemoOrg::new(DemoConfig {
            seed: options.seed,
            members: options.members,
            today: options.today,
        });
        let state = Arc::new(State {
            options: Mutex::new(options),
            org,
            days: Mutex::new(HashMap::new()),
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            extra_files: Mutex::new(HashMap::new()),
            started: Instant::now(),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let state = Arc::clone(&state);
            let stop = Arc::clone(&stop);
            thread::Builder::new()
                .name("cca-test-server".to_owned())
                .spawn(move || accept_loop(listener, state, stop))?
        };
        Ok(TestServer {
            addr,
            state,
            stop,
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The origin plus a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// The `api_base` the app should be configured with.
    pub fn api_base(&self) -> String {
        self.url(API_PREFIX)
    }

    /// Every request answered so far, in order.
    pub fn requests(&self) -> Vec<LogEntry> {
        lock(&self.state.log).clone()
    }

    /// Only the usage requests answered so far.
    pub fn usage_requests(&self) -> Vec<LogEntry> {
        self.requests()
            .into_iter()
            .filter(LogEntry::is_usage)
            .collect()
    }

    pub fn clear_log(&self) {
        lock(&self.state.log).clear();
    }

    pub fn set_me(&self, me: MeAnswer) {
        lock(&self.state.options).me = me;
    }

    /// Sets (or with `None` removes) the config injected into served pages.
    pub fn set_app_config(&self, config: Option<String>) {
        lock(&self.state.options).app_config = config;
    }

    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.state.faults).push(rule);
    }

    pub fn clear_faults(&self) {
        lock(&self.state.faults).clear();
    }

    /// Serves `html` at `path` verbatim (e.g. a host page embedding the app),
    /// with an optional `Content-Security-Policy` header.
    pub fn add_page(&self, path: &str, html: String, csp: Option<String>) {
        let page = files::ExtraFile {
            body: html.into_bytes(),
            content_type: "text/html; charset=utf-8",
            csp,
        };
        lock(&self.state.extra_files).insert(path.to_owned(), page);
    }

    /// Serves every file directly in `dir` at `prefix` + its name, and its
    /// `index.html` at `prefix` itself (a second build beside the app's, e.g.
    /// the page-load benchmark's reference page). `prefix` ends with `/`.
    pub fn add_dir(&self, prefix: &str, dir: &Path) -> io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if !path.is_file() {
                continue;
            }
            let file = files::ExtraFile {
                body: std::fs::read(&path)?,
                content_type: files::content_type(&path),
                csp: None,
            };
            let mut files = lock(&self.state.extra_files);
            if name == "index.html" {
                files.insert(prefix.to_owned(), file.clone());
            }
            files.insert(format!("{prefix}{name}"), file);
        }
        Ok(())
    }

    /// The records the server holds for a day (what the app should show).
    pub fn records_for_day(&self, day: NaiveDate) -> Vec<UsageRecord> {
        self.state.day(day).as_ref().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept so the loop sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: TcpListener, state: Arc<State>, stop: Arc<AtomicBool>) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let state = Arc::clone(&state);
        // One thread per connection: requests are few and some sleep on purpose.
        let _ = thread::Builder::new().spawn(move || handle_connection(stream, &state));
    }
}

fn handle_connection(mut stream: TcpStream, state: &State) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = match http::read_request(&stream) {
        Ok(Some(request)) => request,
        _ => return,
    };
    let day = api::requested_day(&request);
    let faults = faults::take_matching(&mut lock(&state.faults), &request.path, day);
    let mut response = route(&request, state);
    let mut body_bytes = None;
    for fault in &faults {
        match fault {
            Fault::Latency(delay) => thread::sleep(*delay),
            Fault::Status {
                status,
                retry_after_secs,
            } => {
                response = http::Response::json(
                    *status,
                    format!(
                        r#"{{"type":"error","error":{{"type":"injected","message":"injected {status}"}}}}"#
                    ),
                );
                if let Some(secs) = retry_after_secs {
                    response = response.with_header("Retry-After", &secs.to_string());
                }
            }
            Fault::Drop => {
                log(state, &request, 0, day);
                return;
            }
            Fault::Truncate => body_bytes = Some(response.body.len() / 2),
            Fault::TruncatedJson => {
                let half = response.body.len() / 2;
                response.body.truncate(half);
            }
            Fault::WrongContentType => {
                for header in &mut response.headers {
                    if header.0.eq_ignore_ascii_case("content-type") {
                        header.1 = "text/plain".to_owned();
                    }
                }
            }
            Fault::HtmlErrorPage => {
                response = http::Response::new(
                    502,
                    "text/html; charset=utf-8",
                    "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>",
                );
            }
        }
    }
    let status = response.status;
    if http::write_response(&mut stream, &response, body_bytes).is_ok() {
        log(state, &request, status, day);
    }
}

fn log(state: &State, request: &http::Request, status: u16, day: Option<NaiveDate>) {
    lock(&state.log).push(LogEntry {
        method: request.method.clone(),
        path: request.path.clone(),
        query: request.query.clone(),
        status,
        day,
        at_ms: state.started.elapsed().as_millis(),
        header_names: request.headers.iter().map(|(n, _)| n.clone()).collect(),
    });
}

fn route(request: &http::Request, state: &State) -> http::Response {
    if request.method != "GET" && request.method != "HEAD" {
        return http::Response::text(405, "method not allowed");
    }
    if let Some(api_path) = request.path.strip_prefix(API_PREFIX) {
        return api::answer(api_path, request, state);
    }
    files::answer(request, state)
}
