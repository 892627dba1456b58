//! Page-load benchmark (issue #8): cold loads of the release build in
//! headless Chromium, alternating with a bare page that paints one canvas,
//! plus 90-day loads under injected latency. Prints one
//! `BENCH <name> runs=… median=… min=… max=… unit=… [ideal=…] <note>` line
//! per metric for `cargo xtask bench`; it measures and asserts nothing.
//!
//! `cargo run --release -p cca-e2e --bin pageload -- --runs 7`
//! (the build is `$CCA_DIST`, else `<repo>/dist`).

mod bare;
mod error;
mod procmem;
mod stats;

use std::process::ExitCode;
use std::thread::sleep;
use std::time::{Duration, Instant};

use cca::api::loader::DEFAULT_CONCURRENCY;
use cca::perf::{FIRST_CHART, RANGE_LOADED};
use cca_e2e::{serve_dist, start_with_api, Browser, BrowserOptions, Fault, FaultRule, TestServer};

use error::PageloadError;
use procmem::RendererKind;
use stats::{Metric, Unit};

const DEFAULT_RUNS: usize = 7;
/// How long a first chart may take before the run is given up.
const CHART_WAIT: Duration = Duration::from_secs(30);
/// How long a 90-day load may take (100 ms per request is about 2 s).
const LOAD_WAIT: Duration = Duration::from_secs(120);
/// Requests must have stopped this long before memory is read ...
const QUIET: Duration = Duration::from_millis(500);
/// ... and then the page gets this long to settle (GC, last paints).
const SETTLE: Duration = Duration::from_secs(1);
/// Added to every usage request of the 90-day loads (0: the reference).
const LATENCIES_MS: [u64; 3] = [0, 20, 100];
/// The overview loads the range and the previous period: 2 × 90 days.
const WARM_DAYS: i64 = 200;

const APP_30D: &str = "/claude-code/?range=30d";
const OVERVIEW_90D: &str = "/claude-code/?range=90d";
/// A page that loads only its range (the overview also loads the previous period).
const ACTIVITY_90D: &str = "/claude-code/activity?range=90d";

/// JS: a User Timing mark's or paint entry's `startTime` (ms since navigation start), or null.
fn entry_start(name: &str) -> String {
    format!("performance.getEntriesByName({name:?})[0]?.startTime ?? null")
}

/// JS: when the page's first usage request started (Resource Timing), or null.
const FIRST_USAGE_REQUEST: &str = "(function(){ const s = performance.getEntriesByType('resource').filter(e => e.name.includes('usage_report')).map(e => e.startTime); return s.length ? Math.min(...s) : null; })()";

/// Waits until `expression` is a (non-zero) number; returns it.
fn wait_number(
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
struct Memory {
    /// The page renderer's VmRSS.
    rss: f64,
    /// The page renderer's PSS.
    pss: Option<f64>,
    /// VmRSS of the `--top-chrome-webui` renderer (not the page's).
    ui_rss: Option<f64>,
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
        pss: page.pss_kib.map(mib),
        ui_rss: procmem::largest(&all, RendererKind::Other).map(|r| mib(r.rss_kib)),
    })
}

/// First chart and first contentful paint of one cold load.
struct Paint {
    first_chart: f64,
    fcp: f64,
}

fn paint_times(browser: &Browser) -> Result<Paint, PageloadError> {
    Ok(Paint {
        first_chart: wait_number(browser, &entry_start(FIRST_CHART), CHART_WAIT)?,
        fcp: wait_number(browser, &entry_start("first-contentful-paint"), CHART_WAIT)?,
    })
}

/// The bare page, cold: its paint times and, after settling, its memory.
fn bare_load(server: &TestServer) -> Result<(Paint, Memory), PageloadError> {
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(bare::PATH))?;
    let paint = paint_times(&browser)?;
    sleep(SETTLE);
    Ok((paint, renderer_memory(&browser)?))
}

/// The app's overview with 30 days, cold: its paint times.
fn app_30d(server: &TestServer) -> Result<Paint, PageloadError> {
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(APP_30D))?;
    paint_times(&browser)
}

/// The overview with 90 days, cold: memory once every request is answered.
fn app_overview_90d_memory(server: &TestServer) -> Result<Memory, PageloadError> {
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(OVERVIEW_90D))?;
    wait_number(&browser, &entry_start(RANGE_LOADED), LOAD_WAIT)?;
    wait_quiet(server, LOAD_WAIT)?;
    sleep(SETTLE);
    renderer_memory(&browser)
}

/// One 90-day load with `latency_ms` on every usage request, cold.
struct RangeLoadTimes {
    /// First usage request's start → `cca:range-loaded`.
    load: f64,
    /// Navigation start → the first usage request's start.
    first_request: f64,
    requests: usize,
}

fn latency_load(server: &TestServer, latency_ms: u64) -> Result<RangeLoadTimes, PageloadError> {
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

/// The samples of one latency's loads.
struct LatencyMetric {
    latency_ms: u64,
    metric: Metric,
    requests: Vec<f64>,
    first_request: Vec<f64>,
}

impl LatencyMetric {
    fn new(latency_ms: u64) -> Self {
        let name = match latency_ms {
            0 => "load_90d_no_latency",
            20 => "load_90d_latency_20ms",
            100 => "load_90d_latency_100ms",
            _ => "load_90d_latency",
        };
        LatencyMetric {
            latency_ms,
            metric: Metric::new(name, Unit::Ms),
            requests: Vec::new(),
            first_request: Vec::new(),
        }
    }

    fn push(&mut self, times: &RangeLoadTimes) {
        self.metric.samples.push(times.load);
        self.requests.push(times.requests as f64);
        self.first_request.push(times.first_request);
    }

    /// The ideal time and the note, from every run's request count.
    fn finish(&mut self) {
        let (Some(c), Some(first)) = (
            stats::summarize(&self.requests),
            stats::summarize(&self.first_request),
        ) else {
            return;
        };
        let ms = self.latency_ms;
        let n = c.median;
        let spread = if c.min < c.max {
            format!(" ({:.0}–{:.0})", c.min, c.max)
        } else {
            String::new()
        };
        let ideal = if ms > 0 {
            let rounds = (n / DEFAULT_CONCURRENCY as f64).ceil();
            self.metric.ideal_ms = Some(rounds * ms as f64);
            format!(": ideal ⌈{n:.0} ÷ {DEFAULT_CONCURRENCY}⌉ × {ms} ms")
        } else {
            String::new()
        };
        let latency = if ms > 0 {
            format!("{ms} ms added to every usage request")
        } else {
            "no added latency".to_owned()
        };
        self.metric.note = format!(
            "activity ?range=90d, {latency}: first usage request's start → cca:range-loaded; {n:.0}{spread} usage requests, concurrency {DEFAULT_CONCURRENCY}{ideal}; the first request starts {:.0} ms after navigation start (median)",
            first.median
        );
    }
}

struct Metrics {
    first_chart_app: Metric,
    first_chart_bare: Metric,
    ratio: Metric,
    fcp_app: Metric,
    fcp_bare: Metric,
    memory_app: Metric,
    memory_bare: Metric,
    pss_app: Vec<f64>,
    pss_bare: Vec<f64>,
    ui_rss: Vec<f64>,
    latency: Vec<LatencyMetric>,
}

impl Metrics {
    fn new() -> Self {
        Metrics {
            first_chart_app: Metric::new("first_chart_app_30d", Unit::Ms),
            first_chart_bare: Metric::new("first_chart_bare", Unit::Ms),
            ratio: Metric::new("first_chart_ratio", Unit::Ratio),
            fcp_app: Metric::new("fcp_app_30d", Unit::Ms),
            fcp_bare: Metric::new("fcp_bare", Unit::Ms),
            memory_app: Metric::new("memory_app_overview_90d", Unit::MiB),
            memory_bare: Metric::new("memory_bare", Unit::MiB),
            pss_app: Vec::new(),
            pss_bare: Vec::new(),
            ui_rss: Vec::new(),
            latency: LATENCIES_MS.into_iter().map(LatencyMetric::new).collect(),
        }
    }

    /// Writes the notes (they need every run's figures) and returns the lines.
    fn finish(mut self) -> Vec<String> {
        let pss = |values: &[f64]| {
            stats::summarize(values)
                .map(|s| format!("; PSS median {:.1} MiB", s.median))
                .unwrap_or_default()
        };
        self.first_chart_app.note =
            "overview ?range=30d: navigation start → cca:first-chart (first chart drawn with data)"
                .into();
        self.first_chart_bare.note =
            "bare page: navigation start → the mark its inline script sets after painting a canvas"
                .into();
        self.ratio.note =
            "first_chart_app_30d ÷ first_chart_bare of the same run (a ratio, not ms)".into();
        self.fcp_app.note = "overview ?range=30d: first-contentful-paint".into();
        self.fcp_bare.note = "bare page: first-contentful-paint".into();
        self.memory_app.note = format!(
            "overview ?range=90d (and its previous period): page renderer's VmRSS after cca:range-loaded, requests quiet 0.5 s, then 1 s{}",
            pss(&self.pss_app)
        );
        let ui = stats::summarize(&self.ui_rss)
            .map(|s| {
                format!(
                    "; Chromium's own UI renderer, not counted: {:.1} MiB",
                    s.median
                )
            })
            .unwrap_or_default();
        self.memory_bare.note = format!(
            "bare page: page renderer's VmRSS 1 s after its mark{}{ui}",
            pss(&self.pss_bare)
        );
        for latency in &mut self.latency {
            latency.finish();
        }
        let mut lines = Vec::new();
        for metric in [
            &self.first_chart_app,
            &self.first_chart_bare,
            &self.ratio,
            &self.fcp_app,
            &self.fcp_bare,
            &self.memory_app,
            &self.memory_bare,
        ]
        .into_iter()
        .chain(self.latency.iter().map(|l| &l.metric))
        {
            lines.extend(metric.bench_line());
        }
        lines
    }
}

/// One run: the bare page and the app in alternating order, then the latency loads.
fn run_once(
    server: &TestServer,
    run: usize,
    label: &str,
    m: &mut Metrics,
) -> Result<(), PageloadError> {
    let mut bare = None;
    let mut app = None;
    let bare_first = run.is_multiple_of(2);
    for side_is_bare in [bare_first, !bare_first] {
        if side_is_bare {
            bare = Some(bare_load(server)?);
        } else {
            let paint = app_30d(server)?;
            let memory = app_overview_90d_memory(server)?;
            app = Some((paint, memory));
        }
    }
    let (Some((bare_paint, bare_mem)), Some((app_paint, app_mem))) = (bare, app) else {
        return Err(PageloadError::Missing("a run lost a side".into()));
    };
    m.first_chart_app.samples.push(app_paint.first_chart);
    m.first_chart_bare.samples.push(bare_paint.first_chart);
    m.ratio
        .samples
        .push(app_paint.first_chart / bare_paint.first_chart);
    m.fcp_app.samples.push(app_paint.fcp);
    m.fcp_bare.samples.push(bare_paint.fcp);
    m.memory_app.samples.push(app_mem.rss);
    m.memory_bare.samples.push(bare_mem.rss);
    m.pss_app.extend(app_mem.pss);
    m.pss_bare.extend(bare_mem.pss);
    m.ui_rss.extend(app_mem.ui_rss);
    m.ui_rss.extend(bare_mem.ui_rss);
    for latency in &mut m.latency {
        latency.push(&latency_load(server, latency.latency_ms)?);
    }
    eprintln!(
        "pageload: {label} ({} first): first chart app {:.1} ms, bare {:.1} ms; memory app {:.1} MiB, bare {:.1} MiB; loads {}",
        if bare_first { "bare" } else { "app" },
        app_paint.first_chart,
        bare_paint.first_chart,
        app_mem.rss,
        bare_mem.rss,
        m.latency
            .iter()
            .map(|l| format!(
                "+{} ms: {:.0} ms",
                l.latency_ms,
                l.metric.samples.last().copied().unwrap_or_default()
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

fn parse_runs(args: &[String]) -> Result<usize, PageloadError> {
    let mut runs = DEFAULT_RUNS;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = match arg.strip_prefix("--runs") {
            Some("") => rest.next().map(String::as_str),
            Some(v) => v.strip_prefix('='),
            None => return Err(PageloadError::Usage(format!("unexpected argument `{arg}`"))),
        };
        runs = value
            .and_then(|v| v.parse().ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| PageloadError::Usage("--runs needs a number ≥ 1".into()))?;
    }
    Ok(runs)
}

fn run(args: &[String]) -> Result<(), PageloadError> {
    let runs = parse_runs(args)?;
    let server = start_with_api(serve_dist(), "")?;
    server.add_page(bare::PATH, bare::HTML.to_owned(), None);
    // Generate the demo organization's days up front: the server's own work
    // is not what is measured.
    let today = chrono::Utc::now().date_naive();
    for back in 0..WARM_DAYS {
        server.records_for_day(today - chrono::TimeDelta::days(back));
    }
    // One unrecorded round warms the OS file cache (Chromium's binary, dist/);
    // every browser still starts with a fresh profile.
    let mut warmup = Metrics::new();
    run_once(&server, 0, "warm-up", &mut warmup)?;
    let mut metrics = Metrics::new();
    for run in 0..runs {
        run_once(
            &server,
            run,
            &format!("run {}/{runs}", run + 1),
            &mut metrics,
        )?;
    }
    for line in metrics.finish() {
        println!("{line}");
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pageload: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn runs_argument() {
        assert_eq!(parse_runs(&[]).ok(), Some(DEFAULT_RUNS));
        assert_eq!(parse_runs(&args(&["--runs", "9"])).ok(), Some(9));
        assert_eq!(parse_runs(&args(&["--runs=5"])).ok(), Some(5));
        for bad in [
            &["--runs"][..],
            &["--runs", "0"],
            &["--runs=x"],
            &["7"],
            &["--runsx"],
        ] {
            assert!(
                matches!(parse_runs(&args(bad)), Err(PageloadError::Usage(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn scripts_read_entries_by_name() {
        assert_eq!(
            entry_start("cca:first-chart"),
            "performance.getEntriesByName(\"cca:first-chart\")[0]?.startTime ?? null"
        );
    }
}
