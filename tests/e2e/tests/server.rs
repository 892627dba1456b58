//! The app in Chromium through `cca-server`, with the test server standing
//! in for the Admin API: the pages show the upstream organization's
//! figures, a reload costs no upstream request for old days, and nothing
//! the browser can read carries the Admin key.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use cca::auth::role::Role;
use cca::model::fixture::small_org_records;
use cca_e2e::{
    card_value, dist_dir, screenshot_dir, wait_days_loaded, Browser, BrowserOptions, ServerOptions,
    TestServer,
};
use cca_server::auth::Auth;
use cca_server::key::AdminKey;
use cca_server::upstream::{RetryPolicy, UpstreamOptions, Url};
use cca_server::{serve, AppState, Settings};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(30);
const KEY: &str = "sk-ant-admin01-E2E-SECRET-5b1f0c7d9e2a4683";

/// `cca-server` on a free 127.0.0.1 port, in its own runtime; stops on drop.
struct Served {
    origin: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

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

fn start_server(
    upstream: &TestServer,
    cache: PathBuf,
) -> Result<Served, Box<dyn std::error::Error>> {
    let settings = Settings {
        listen: "127.0.0.1:0".parse()?,
        api_base: "/api".to_owned(),
        router_base: "/claude-code".to_owned(),
        dist: dist_dir(),
        auth: Auth::Local { role: Role::Admin },
        upstream: Some(UpstreamOptions {
            // The test server answers the API under /api.
            base: Url::parse(&upstream.api_base())?,
            key: AdminKey::new(KEY, "test")?,
            concurrency: 4,
            timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
        }),
        cache: Some(cache),
        recent_ttl: Duration::from_secs(300),
        app_config: None,
    };
    let state = Arc::new(AppState::new(&settings)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let origin = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let _ = runtime.block_on(serve(listener, state, async {
            let _ = stopped.await;
        }));
    });
    Ok(Served {
        origin,
        stop: Some(stop),
        thread: Some(thread),
    })
}

#[test]
fn the_pages_show_the_upstream_figures_through_the_server_and_never_the_key() -> TestResult {
    let upstream = TestServer::start(ServerOptions {
        dist: None,
        records: Some(Arc::new(small_org_records())),
        ..ServerOptions::default()
    })?;
    let cache = std::env::temp_dir().join(format!("cca-e2e-server-{}.sqlite3", std::process::id()));
    let _ = std::fs::remove_file(&cache);
    let server = start_server(&upstream, cache.clone())?;
    let browser = Browser::start(BrowserOptions::default())?;
    let page = format!(
        "{}/claude-code/?from=2025-09-08&to=2025-09-10",
        server.origin
    );

    browser.goto(&page)?;
    wait_days_loaded(&browser, 3, WAIT)?;
    // The hand-computed figures of `cca::model::fixture` (tests/e2e/tests/pages.rs).
    assert_eq!(card_value(&browser, "lines")?, "215");
    assert_eq!(card_value(&browser, "accept-rate")?, "65.8%");
    assert_eq!(card_value(&browser, "active-users")?, "3");
    assert_eq!(card_value(&browser, "sessions")?, "16");
    browser.screenshot(&screenshot_dir().join("server-overview.png"))?;
    let first_load = upstream.usage_requests().len();
    assert!(
        first_load >= 3,
        "one upstream request per day at least: {first_load}"
    );

    // A reload: old days come from the server's cache.
    browser.refresh()?;
    wait_days_loaded(&browser, 3, WAIT)?;
    assert_eq!(card_value(&browser, "lines")?, "215");
    assert_eq!(
        upstream.usage_requests().len(),
        first_load,
        "a reload reached the upstream"
    );

    // Everything the page and its API calls give the browser, headers included.
    let seen = browser.execute(
        "const urls = [location.href, arguments[0] + '/v1/me',
                       arguments[0] + '/v1/organizations/usage_report/claude_code?starting_at=2025-09-08&limit=1000',
                       arguments[0] + '/v1/organizations/users', arguments[0] + '/healthz-missing'];
         const parts = [document.documentElement.outerHTML];
         return Promise.all(urls.map(u => fetch(u).then(async r =>
             [...r.headers].map(h => h.join(': ')).join('\\n') + '\\n' + await r.text())))
           .then(texts => parts.concat(texts).join('\\n'));",
        vec![serde_json::Value::String(format!("{}/api", server.origin))],
    )?;
    let seen = seen.as_str().unwrap_or_default();
    assert!(seen.contains("claude-code-analytics-config"), "{seen}");
    assert!(
        seen.contains("\"data\""),
        "the usage answer was read: {seen}"
    );
    assert!(
        !seen.contains(KEY) && !seen.contains("E2E-SECRET"),
        "the key reached the browser"
    );
    // The browser first: its keep-alive connections would hold the server's graceful stop.
    drop(browser);
    drop(server);
    let _ = std::fs::remove_file(&cache);
    Ok(())
}
