//! The app in Chromium through `cca-server`, with the test server standing
//! in for the Admin API (it checks `x-api-key` and `anthropic-version`):
//! the pages show the upstream organization's figures, a reload costs no
//! upstream request for old days, nothing the browser received and nothing
//! the server logged carries the Admin key, and an upstream that goes down
//! gives the page its failed days and a Retry that works once it is back.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Once, PoisonError};
use std::time::Duration;

use cca::model::fixture::small_org_records;
use cca_e2e::served::{fresh_cache, remove_cache, Served, ServedError, ServedOptions};
use cca_e2e::tap::{self, Tap};
use cca_e2e::{
    card_value, screenshot_dir, wait_card_value, wait_days_loaded, Browser, BrowserOptions,
    ServerOptions, TestServer,
};
use cca_server::upstream::RetryPolicy;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(30);
const KEY: &str = "sk-ant-admin01-E2E-SECRET-5b1f0c7d9e2a4683";
/// What a leak could look like besides the whole key: its distinctive middle.
const KEY_PARTS: [&str; 2] = [KEY, "E2E-SECRET-5b1f0c7d9e2a4683"];
const RANGE: &str = "from=2025-09-08&to=2025-09-10";

/// Everything the in-process server logs once a test of this file set the
/// subscriber up (the later tests of this binary included: none logs a key).
static SERVER_LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        SERVER_LOG
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Sends the server's `tracing` output (the same lines `cca-server` prints) to `SERVER_LOG`.
fn capture_server_log() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let _ = tracing_subscriber::fmt()
            .with_writer(|| LogWriter)
            .with_target(false)
            .try_init();
    });
}

fn server_log() -> String {
    String::from_utf8_lossy(&SERVER_LOG.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
}

fn start_server(
    upstream_api: &str,
    cache: PathBuf,
    retry: RetryPolicy,
) -> Result<Served, ServedError> {
    capture_server_log();
    Served::start(ServedOptions {
        retry,
        ..ServedOptions::new(upstream_api.to_owned(), KEY, cache)
    })
}

/// The fixture organization behind an Admin API that wants `KEY`.
fn fake_admin_api() -> std::io::Result<TestServer> {
    TestServer::start(fake_admin_api_options())
}

fn fake_admin_api_options() -> ServerOptions {
    ServerOptions {
        dist: None,
        records: Some(Arc::new(small_org_records())),
        admin_key: Some(KEY.to_owned()),
        ..ServerOptions::default()
    }
}

/// The headers the server may send upstream; a browser's (cookie, referer,
/// origin, user-agent, sec-*) are never among them.
const UPSTREAM_HEADERS: [&str; 5] = [
    "host",
    "x-api-key",
    "anthropic-version",
    "accept",
    "user-agent",
];

#[test]
fn the_pages_show_the_upstream_figures_through_the_server_and_never_the_key() -> TestResult {
    let upstream = fake_admin_api()?;
    let cache = fresh_cache("figures");
    let server = start_server(&upstream.api_base(), cache.clone(), RetryPolicy::default())?;
    // The browser talks to the server only through the tap, which keeps every byte it received.
    let tap = Tap::start(server.addr())?;
    let browser = Browser::start(BrowserOptions::default())?;

    // A cookie for the server's origin rides along with every request from now on.
    browser.goto(&format!("{}/healthz", tap.origin()))?;
    browser.execute(
        "document.cookie = 'session=browser-cookie-secret; path=/'; return document.cookie;",
        vec![],
    )?;
    browser.goto(&format!("{}/claude-code/?{RANGE}", tap.origin()))?;
    wait_days_loaded(&browser, 3, WAIT)?;
    // The hand-computed figures of `cca::model::fixture` (tests/e2e/tests/pages.rs).
    assert_eq!(card_value(&browser, "lines")?, "215");
    assert_eq!(card_value(&browser, "accept-rate")?, "65.8%");
    assert_eq!(card_value(&browser, "active-users")?, "3");
    assert_eq!(card_value(&browser, "sessions")?, "16");
    browser.screenshot(&screenshot_dir().join("server-overview.png"))?;
    let first_load = upstream.usage_requests();
    assert!(
        first_load.len() >= 3 && first_load.iter().all(|r| r.status == 200),
        "one upstream request per day at least, each with the key and version: {first_load:?}"
    );
    for request in &first_load {
        for name in &request.header_names {
            assert!(
                UPSTREAM_HEADERS.contains(&name.as_str()),
                "the browser's “{name}” header reached the upstream: {request:?}"
            );
        }
    }

    // A reload: old days come from the server's cache.
    browser.refresh()?;
    wait_days_loaded(&browser, 3, WAIT)?;
    assert_eq!(card_value(&browser, "lines")?, "215");
    assert_eq!(
        upstream.usage_requests().len(),
        first_load.len(),
        "a reload reached the upstream"
    );

    // Paths a curious viewer might try go through the tap too.
    browser.execute(
        "const paths = ['/api/v1/organizations/users', '/api/v1/organizations/api_keys',
                        '/api/v1/organizations/usage_report/claude_code?starting_at=x',
                        '/api/%2e%2e/v1/organizations/users', '/healthz', '/nope.js'];
         return Promise.all(paths.map(p => fetch(p).then(r => r.text())));",
        vec![],
    )?;
    assert!(
        upstream
            .requests()
            .iter()
            .all(|r| r.path.ends_with("/usage_report/claude_code")),
        "only the usage report is ever forwarded: {:?}",
        upstream.requests()
    );

    // The browser first: its keep-alive connections would hold the server's graceful stop.
    drop(browser);
    drop(server);
    let received = tap.received();
    // What the browser's JS read: every body, unchunked and decompressed
    // (the server compresses for a browser that accepts it).
    let bodies = tap.bodies()?.concat();
    // The server offers summaries: the page asks for its range's, not for days.
    assert!(
        tap::contains(&bodies, b"claude-code-analytics-config")
            && tap::contains(&bodies, b"\"actors\""),
        "the tap saw the page and the summaries ({} bytes, {} decoded)",
        received.len(),
        bodies.len()
    );
    assert!(
        tap::contains(&received, b"content-encoding: br")
            || tap::contains(&received, b"content-encoding: gzip"),
        "the summaries crossed compressed"
    );
    let log = server_log();
    assert!(log.contains("request"), "the server logged: {log}");
    for part in KEY_PARTS {
        assert!(
            !tap::contains(&received, part.as_bytes()) && !tap::contains(&bodies, part.as_bytes()),
            "the key reached the browser"
        );
        assert!(!log.contains(part), "the key is in the server's log");
    }
    remove_cache(&cache);
    Ok(())
}

#[test]
fn an_upstream_that_is_down_names_the_failed_days_and_retry_works_once_it_is_back() -> TestResult {
    let upstream = fake_admin_api()?;
    let port = upstream.addr().port();
    let api = upstream.api_base();
    // Down: nothing listens on its port any more.
    drop(upstream);
    let down_cache = fresh_cache("down");
    // Two quick attempts per day on the server, so the page settles soon.
    let retry = RetryPolicy {
        attempts: 2,
        base_delay: Duration::from_millis(100),
        ..RetryPolicy::default()
    };
    let server = start_server(&api, down_cache.clone(), retry)?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&format!("{}/claude-code/lines?{RANGE}", server.origin()))?;

    let panel = browser.wait_text(".cca-load-error", WAIT)?;
    assert!(panel.contains("Usage could not be loaded"), "{panel}");
    // The server already retried the Admin API: the browser says so and does not retry again.
    assert!(
        panel.contains("The server could not get this from the Admin API (HTTP 502)."),
        "{panel}"
    );
    browser.screenshot(&screenshot_dir().join("server-upstream-down.png"))?;
    assert!(
        server_log().contains("502"),
        "the log says the upstream failed"
    );

    // Back on the same address: Retry loads the whole range.
    let upstream = TestServer::start_on(fake_admin_api_options(), port)?;
    browser.click(".cca-load-error button")?;
    wait_days_loaded(&browser, 3, WAIT)?;
    assert_eq!(card_value(&browser, "lines-total")?, "215");
    assert!(browser.texts(".cca-load-error")?.is_empty());
    assert!(upstream.usage_requests().iter().all(|r| r.status == 200));

    // One day failing while the others load: the page names it.
    let upstream_day = chrono::NaiveDate::from_ymd_opt(2025, 9, 9).unwrap_or_default();
    drop(browser);
    drop(server);
    let cache = fresh_cache("one-day");
    let server = start_server(&api, cache.clone(), retry)?;
    upstream.add_fault(
        cca_e2e::FaultRule::usage(cca_e2e::Fault::Status {
            status: 503,
            retry_after_secs: None,
        })
        .for_day(upstream_day),
    );
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&format!("{}/claude-code/lines?{RANGE}", server.origin()))?;
    let panel = browser.wait_text(".cca-failures", WAIT)?;
    assert!(
        panel.contains("1 day could not be loaded: Sep 9"),
        "{panel}"
    );
    assert!(panel.contains("Admin API (HTTP 502)"), "{panel}");
    assert_eq!(card_value(&browser, "lines-total")?, "155");
    browser.screenshot(&screenshot_dir().join("server-one-day-down.png"))?;
    upstream.clear_faults();
    browser.click(".cca-failures button")?;
    wait_card_value(&browser, "lines-total", "215", WAIT)?;
    drop(browser);
    drop(server);
    remove_cache(&down_cache);
    remove_cache(&cache);
    Ok(())
}
