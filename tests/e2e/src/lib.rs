//! End-to-end support: a synchronous WebDriver client (over fantoccini) that
//! starts its own `chromedriver` and drives headless Chromium, plus helpers shared by the
//! tests (start the test server on the release build, wait for the app).

pub mod served;
pub mod tap;
mod webdriver;

use std::path::PathBuf;

pub use cca_test_server::{Fault, FaultRule, LogEntry, MeAnswer, ServerOptions, TestServer};
pub use webdriver::{Browser, BrowserOptions, E2eError};

/// The release build to test: `$CCA_DIST`, else `<repo>/dist`.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("CCA_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../dist")))
}

/// Where end-to-end screenshots are kept (not committed): `<repo>/target/e2e-screenshots`.
pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/e2e-screenshots"
    ));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Server options serving the release build with the default demo organization.
pub fn serve_dist() -> ServerOptions {
    ServerOptions {
        dist: Some(dist_dir()),
        ..ServerOptions::default()
    }
}

/// Starts a server on the release build whose app uses the server's own
/// console API; `extra_config` is appended inside the config object
/// (e.g. `,"theme":"light"`).
pub fn start_with_api(options: ServerOptions, extra_config: &str) -> std::io::Result<TestServer> {
    let server = TestServer::start(options)?;
    server.set_app_config(Some(format!(
        r#"{{"api_base":"{}"{extra_config}}}"#,
        server.api_base()
    )));
    Ok(server)
}

/// Serves exactly `records` (e.g. `cca::model::fixture::small_org_records()`).
pub fn serve_records(records: Vec<cca::model::record::UsageRecord>) -> ServerOptions {
    ServerOptions {
        records: Some(std::sync::Arc::new(records)),
        ..serve_dist()
    }
}

/// Waits until the page's `data-progress` (settled/total days, e.g. `"7/7"`) reads `progress`.
pub fn wait_progress(
    browser: &Browser,
    progress: &str,
    timeout: std::time::Duration,
) -> Result<(), E2eError> {
    browser.wait_for(
        &format!("document.querySelector('.cca-page')?.dataset.progress === '{progress}'"),
        timeout,
    )?;
    Ok(())
}

/// Waits until the page has all `days` of its range (`data-progress` reads
/// `days/days`) and shows no loading panel.
pub fn wait_days_loaded(
    browser: &Browser,
    days: usize,
    timeout: std::time::Duration,
) -> Result<(), E2eError> {
    browser.wait_for(
        &format!(
            "(() => {{ const p = document.querySelector('.cca-page'); \
               return p && p.dataset.progress === '{days}/{days}' && !document.querySelector('.cca-loading'); }})()"
        ),
        timeout,
    )?;
    Ok(())
}

/// The value shown on the headline card `metric` (`data-metric`), or `""`.
pub fn card_value(browser: &Browser, metric: &str) -> Result<String, E2eError> {
    let texts = browser.texts(&format!("[data-metric='{metric}'] .cca-card__value"))?;
    Ok(texts.into_iter().next().unwrap_or_default())
}

/// Waits until the headline card `metric` (`data-metric`) shows `want`.
pub fn wait_card_value(
    browser: &Browser,
    metric: &str,
    want: &str,
    timeout: std::time::Duration,
) -> Result<(), E2eError> {
    browser.wait_for(
        &format!(
            "document.querySelector(\"[data-metric='{metric}'] .cca-card__value\")?.textContent === '{want}'"
        ),
        timeout,
    )?;
    Ok(())
}

/// JavaScript returning how many CSS pixels the page scrolls sideways (0 = none).
pub const HORIZONTAL_OVERFLOW_JS: &str =
    "return document.documentElement.scrollWidth - document.documentElement.clientWidth";

/// JavaScript that records what the app offers as a download instead of
/// saving it: each link's file name and its blob's text, read back by
/// [`download`]. Run it after the page loaded (a reload undoes it).
pub const CAPTURE_DOWNLOADS_JS: &str = "window.__downloads = [];
     const click = HTMLAnchorElement.prototype.click;
     HTMLAnchorElement.prototype.click = function () {
       if (this.download) { window.__downloads.push({name: this.download, href: this.href}); return; }
       return click.call(this);
     };
     window.__blobs = {};
     const create = URL.createObjectURL.bind(URL);
     URL.createObjectURL = b => { const u = create(b); window.__blobs[u] = b; return u; };";

/// The `n`th download offered since [`CAPTURE_DOWNLOADS_JS`] ran: its file
/// name and text.
pub fn download(
    browser: &Browser,
    n: usize,
    timeout: std::time::Duration,
) -> Result<(String, String), E2eError> {
    let found = browser.wait_for(
        &format!(
            "window.__downloads?.length > {n} && (async () => {{ const d = window.__downloads[{n}]; \
             return [d.name, await window.__blobs[d.href].text()]; }})()"
        ),
        timeout,
    )?;
    let pair = |i: usize| {
        found
            .get(i)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Ok((pair(0), pair(1)))
}
