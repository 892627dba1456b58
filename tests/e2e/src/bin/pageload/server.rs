//! A 90-day range through `cca-server`, with the test server as the Admin API
//! and 100 ms added to each of its answers: once on a cold cache (every day
//! fetched upstream) and once warm (the same server, a new browser), each
//! time to the first chart and to the whole range.

use std::time::Duration;

use cca::marks::{FIRST_CHART, RANGE_LOADED};
use cca_e2e::served::{fresh_cache, remove_cache, Served, ServedOptions};
use cca_e2e::{Browser, BrowserOptions, Fault, FaultRule, ServerOptions, TestServer};

use crate::error::PageloadError;
use crate::loads::{entry_start, wait_number, WARM_DAYS};
use crate::stats::{Metric, Unit};

/// Added to every upstream usage request.
pub const UPSTREAM_LATENCY_MS: u64 = 100;
const KEY: &str = "sk-ant-admin01-bench-not-a-real-key";
/// A page that loads only its range.
const ACTIVITY_90D: &str = "/claude-code/activity?range=90d";
const LOAD_WAIT: Duration = Duration::from_secs(120);

/// One load's times from navigation start, in ms.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub first_chart: f64,
    pub full_range: f64,
    /// Upstream usage requests the load caused.
    pub upstream: usize,
}

/// The samples of every run.
pub struct ServerMetrics {
    cold_chart: Metric,
    cold_range: Metric,
    warm_chart: Metric,
    warm_range: Metric,
    cold_upstream: Vec<usize>,
    warm_upstream: Vec<usize>,
}

impl ServerMetrics {
    pub fn new() -> Self {
        ServerMetrics {
            cold_chart: Metric::new("server_90d_cold_first_chart", Unit::Ms),
            cold_range: Metric::new("server_90d_cold_full_range", Unit::Ms),
            warm_chart: Metric::new("server_90d_warm_first_chart", Unit::Ms),
            warm_range: Metric::new("server_90d_warm_full_range", Unit::Ms),
            cold_upstream: Vec::new(),
            warm_upstream: Vec::new(),
        }
    }

    pub fn record(&mut self, cold: Load, warm: Load) {
        self.cold_chart.samples.push(cold.first_chart);
        self.cold_range.samples.push(cold.full_range);
        self.warm_chart.samples.push(warm.first_chart);
        self.warm_range.samples.push(warm.full_range);
        self.cold_upstream.push(cold.upstream);
        self.warm_upstream.push(warm.upstream);
    }

    pub fn finish(mut self) -> Vec<String> {
        let span = |counts: &[usize]| match (counts.iter().min(), counts.iter().max()) {
            (Some(min), Some(max)) if min == max => format!("{min}"),
            (Some(min), Some(max)) => format!("{min}–{max}"),
            _ => "?".to_owned(),
        };
        let setup = format!(
            "activity page, 90 days, through cca-server (4 upstream calls at a time), \
             {UPSTREAM_LATENCY_MS} ms added to every upstream answer"
        );
        let cold = format!(
            "{setup}; empty cache: {} upstream requests",
            span(&self.cold_upstream)
        );
        let warm = format!(
            "{setup}; the same server again, new browser: {} upstream requests",
            span(&self.warm_upstream)
        );
        self.cold_chart.note = cold.clone();
        self.cold_range.note = cold;
        self.warm_chart.note = warm.clone();
        self.warm_range.note = warm;
        [
            &self.cold_chart,
            &self.cold_range,
            &self.warm_chart,
            &self.warm_range,
        ]
        .iter()
        .filter_map(|m| m.bench_line())
        .collect()
    }
}

/// One run: a new upstream and server with an empty cache, a cold load, then a warm one.
pub fn run_once() -> Result<(Load, Load), PageloadError> {
    let upstream = TestServer::start(ServerOptions {
        dist: None,
        admin_key: Some(KEY.to_owned()),
        ..ServerOptions::default()
    })?;
    // The test server's own work (generating the organization) is not measured.
    let today = chrono::Utc::now().date_naive();
    for back in 0..WARM_DAYS {
        upstream.records_for_day(today - chrono::TimeDelta::days(back));
    }
    upstream.add_fault(FaultRule::usage(Fault::Latency(Duration::from_millis(
        UPSTREAM_LATENCY_MS,
    ))));
    let cache = fresh_cache("bench-server");
    let served = Served::start(ServedOptions::new(upstream.api_base(), KEY, cache.clone()))
        .map_err(|e| PageloadError::Missing(format!("cca-server did not start: {e}")))?;
    let cold = load(&served, &upstream)?;
    let warm = load(&served, &upstream)?;
    drop(served);
    remove_cache(&cache);
    Ok((cold, warm))
}

fn load(served: &Served, upstream: &TestServer) -> Result<Load, PageloadError> {
    upstream.clear_log();
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&format!("{}{ACTIVITY_90D}", served.origin()))?;
    let full_range = wait_number(&browser, &entry_start(RANGE_LOADED), LOAD_WAIT)?;
    let first_chart = wait_number(&browser, &entry_start(FIRST_CHART), LOAD_WAIT)?;
    // A range that settled with failed days is not a measurement of a load.
    let failed = browser.texts(".cca-failures, .cca-load-error")?;
    if !failed.is_empty() {
        return Err(PageloadError::Missing(format!(
            "the 90 days did not all load through the server: {}",
            failed.join(" ")
        )));
    }
    Ok(Load {
        first_chart,
        full_range,
        upstream: upstream.usage_requests().len(),
    })
}
