//! One cold page load each: a new `Browser` (fresh profile) per load, the
//! figures read from the page's performance entries and from `/proc`.

use std::thread::sleep;
use std::time::{Duration, Instant};

use cca::marks::{FIRST_CHART, RANGE_LOADED};
use cca_e2e::{Browser, BrowserOptions, Fault, FaultRule, TestServer};

use crate::error::PageloadError;
use crate::procmem::{self, RendererKind};

/// How long a first chart may take before the run is given up.
const CHART_WAIT: Duration = Duration::from_secs(30);
/// How long a 90-day load may take (100 ms per request is about 2 s).
const LOAD_WAIT: Duration = Duration::from_secs(120);
/// Requests must have stopped this long before memory is read ...
const QUIET: Duration = Duration::from_millis(500);
/// ... and then the page gets this long to settle (GC, last paints).
const SETTLE: Duration = Duration::from_secs(1);
/// Added to every usage request of the 90-day loads (0: the reference).
pub const LATENCIES_MS: [u64; 3] = [0, 20, 100];
/// The overview loads the range and the previous period: 2 × 90 days.
pub const WARM_DAYS: i64 = 200;

const APP_30D: &str = "/claude-code/?range=30d";
const OVERVIEW_90D: &str = "/claude-code/?range=90d";
/// A page that loads only its range (the overview also loads the previous period).
const ACTIVITY_90D: &str = "/claude-code/activity?range=90d";

/// JS: a User Timing mark's or paint entry's `startTime` (ms since navigation start), or null.
pub fn entry_start(name: &str) -> String {
    format!("performance.getEntriesByName({name:?})[0]?.startTime ?? null")
}

/// JS: when the page's first usage request started (Resource Timing), or null.
const FIRST_USAGE_REQUEST: &str = "(function(){ const s = performance.getEntriesByType('resource').filter(e => e.name.includes('usage_report')).map(e => e.startTime); return s.length ? Math.min(...s) : null; })()";

/// Waits until `expression` is a (non-zero) number; returns it.
pub fn wait_number(
    browser: &Browser,
    expression: &str,
    timeout: Duration,
) -> Result<f64, PageloadError> {
    let value = browser.wait_for(expression, timeout)?;
    value
        .as_f64()
        .ok_or_else(|| PageloadError::Missing(format!("{expression} is not a number: {value}")))
}

fn number(browser: &Browser, expression: &str) -> Result<f64, PageloadError> {
    let value = browser.execute(&format!("return {expression};"), vec![])?;
    value
        .as_f64()
        .ok_or_else(|| PageloadError::Missing(format!("{expression} is not a number: {value}")))
}

/// Waits until no usage request has been answered for [`QUIET`].
fn wait_quiet(server: &TestServer, timeout: Duration) -> Result<(), PageloadError> {
    let deadline = Instant::now() + timeout;
    let mut seen = server.usage_requests().len();
    let mut since = Instant::now();
    while since.elapsed() < QUIET {
        if Instant::now() > deadline {
            return Err(PageloadError::Missing(
                "usage requests never stopped".into(),
            ));
        }
        sleep(Duration::from_millis(50));
        let now = server.usage_requests().len();
        if now != seen {
            seen = now;
            since = Instant::now();
        }
    }
    Ok(())
}

/// A page's renderer memory in MiB, and Chromium's own UI renderer's.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// The page renderer's VmRSS.
    pub rss: f64,
    /// The file-backed part of `rss` (`RssFile`).
    pub file: Option<f64>,
    /// The page renderer's PSS.
    pub pss: Option<f64>,
    /// VmRSS of the `--top-chrome-webui` renderer (not the page's).
    pub ui_rss: Option<f64>,
    /// The app's own heaps (not for the bare page).
    pub heaps: Option<Heaps>,
}

impl Memory {
    /// VmRSS less its file-backed part: what the page itself holds.
    pub fn not_file(&self) -> Option<f64> {
        self.file.map(|file| self.rss - file)
    }
}

/// The app's share of its renderer's memory, in MiB.
#[derive(Debug, Clone, Copy)]
pub struct Heaps {
    /// wasm linear memory: the `wasmMemoryBytes` detail of `cca:range-loaded`.
    pub wasm: f64,
    /// Used JS heap (`performance.memory.usedJSHeapSize`): the wasm-bindgen
    /// glue's objects and the garbage no collection has freed yet.
    pub js: f64,
}

/// The app's heaps after a load, from its `cca:range-loaded` mark.
fn heaps(browser: &Browser) -> Result<Heaps, PageloadError> {
    let mib = |bytes: f64| bytes / (1024.0 * 1024.0);
    Ok(Heaps {
        wasm: mib(number(
            browser,
            &format!("performance.getEntriesByName('{RANGE_LOADED}')[0].detail.wasmMemoryBytes"),
        )?),
        js: mib(number(browser, "performance.memory.usedJSHeapSize")?),
    })
}

fn renderer_memory(browser: &Browser) -> Result<Memory, PageloadError> {
    let all = procmem::renderers(browser.driver_pid())?;
    let page = procmem::largest(&all, RendererKind::Page).ok_or_else(|| {
        PageloadError::Missing(format!(
            "no page renderer below chromedriver {}",
            browser.driver_pid()
        ))
    })?;
    let mib = |kib: u64| kib as f64 / 1024.0;
    Ok(Memory {
        rss: mib(page.rss_kib),
        file: page.file_kib.map(mib),
        pss: page.pss_kib.map(mib),
        ui_rss: procmem::largest(&all, RendererKind::Other).map(|r| mib(r.rss_kib)),
        heaps: None,
    })
}

/// First chart and first contentful paint of one cold load.
pub struct Paint {
    pub first_chart: f64,
    pub fcp: f64,
}

fn paint_times(browser: &Browser) -> Result<Paint, PageloadError> {
    Ok(Paint {
        first_chart: wait_number(browser, &entry_start(FIRST_CHART), CHART_WAIT)?,
        fcp: wait_number(browser, &entry_start("first-contentful-paint"), CHART_WAIT)?,
    })
}

/// A reference page (the bare page, or the minimal Leptos + plotters page at
/// `path`), cold: its paint times and, after settling, its memory.
pub fn reference_load(server: &TestServer, path: &str) -> Result<(Paint, Memory), PageloadError> {
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(path))?;
    let paint = paint_times(&browser)?;
    sleep(SETTLE);
    Ok((paint, renderer_memory(&browser)?))
}

/// The app's overview with 30 days, cold: its paint times.
pub fn app_30d(server: &TestServer) -> Result<Paint, PageloadError> {
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(APP_30D))?;
    paint_times(&browser)
}

/// The overview with 90 days, cold: memory once every request is answered.
pub fn app_overview_90d_memory(server: &TestServer) -> Result<Memory, PageloadError> {
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(OVERVIEW_90D))?;
    wait_number(&browser, &entry_start(RANGE_LOADED), LOAD_WAIT)?;
    wait_quiet(server, LOAD_WAIT)?;
    sleep(SETTLE);
    Ok(Memory {
        heaps: Some(heaps(&browser)?),
        ..renderer_memory(&browser)?
    })
}

/// One 90-day load with `latency_ms` on every usage request, cold.
pub struct RangeLoadTimes {
    /// First usage request's start → `cca:range-loaded`.
    pub load: f64,
    /// Navigation start → the first usage request's start.
    pub first_request: f64,
    pub requests: usize,
}

pub fn latency_load(server: &TestServer, latency_ms: u64) -> Result<RangeLoadTimes, PageloadError> {
    server.clear_faults();
    if latency_ms > 0 {
        let latency = Duration::from_millis(latency_ms);
        server.add_fault(FaultRule::usage(Fault::Latency(latency)));
    }
    server.clear_log();
    let result = time_range_load(server);
    server.clear_faults();
    result
}

fn time_range_load(server: &TestServer) -> Result<RangeLoadTimes, PageloadError> {
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(ACTIVITY_90D))?;
    let loaded = wait_number(&browser, &entry_start(RANGE_LOADED), LOAD_WAIT)?;
    let first_request = number(&browser, FIRST_USAGE_REQUEST)?;
    Ok(RangeLoadTimes {
        load: loaded - first_request,
        first_request,
        requests: server.usage_requests().len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_read_entries_by_name() {
        assert_eq!(
            entry_start("cca:first-chart"),
            "performance.getEntriesByName(\"cca:first-chart\")[0]?.startTime ?? null"
        );
    }
}
