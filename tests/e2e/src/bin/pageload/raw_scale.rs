//! Raw records at scale (issue #28): the team page of a 10,000-member
//! organization over a 31-day month, read one raw record per member per day
//! from the test server, in a fresh browser each run. Measures the longest
//! main-thread task while the range loads (`longtask` entries), the longest
//! gap between 16 ms timer ticks, and the time to the whole range.

use std::time::Duration;

use cca::marks::RANGE_LOADED;
use cca_e2e::{serve_dist, start_with_api, wait_progress, Browser, BrowserOptions, ServerOptions};

use crate::error::PageloadError;
use crate::loads::{entry_start, wait_number};
use crate::stats::{Metric, Unit};

const MEMBERS: usize = 10_000;
/// October 2026 is over on this day: 31 settled days.
const TODAY: (i32, u32, u32) = (2026, 11, 23);
const TEAM_OCTOBER: &str = "/claude-code/team?month=2026-10";
const LOAD_WAIT: Duration = Duration::from_secs(240);

/// JS run once the page is built (WebDriver cannot run a script before the
/// page's own): long tasks, kept by Chromium from navigation start and handed
/// over by `buffered: true`, and the gaps of a 16 ms timer.
const WATCH: &str = "window.__tasks = []; window.__gap = 0; let last = performance.now();
     window.__timer = setInterval(() => { const now = performance.now(); window.__gap = Math.max(window.__gap, now - last); last = now; }, 16);
     new PerformanceObserver(list => { for (const e of list.getEntries()) window.__tasks.push([e.startTime, e.duration]); })
       .observe({type: 'longtask', buffered: true});";

/// One load's figures.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    /// ms; 0 when no task took over 50 ms.
    pub longest_task: f64,
    pub long_tasks: usize,
    pub longest_gap: f64,
    /// Navigation start → `cca:range-loaded`, ms.
    pub full_range: f64,
}

pub struct RawScaleMetrics {
    longest_task: Metric,
    longest_gap: Metric,
    full_range: Metric,
    long_tasks: Vec<usize>,
}

impl RawScaleMetrics {
    pub fn new() -> Self {
        RawScaleMetrics {
            longest_task: Metric::new("raw_10k_31d_longest_task", Unit::Ms),
            longest_gap: Metric::new("raw_10k_31d_longest_gap", Unit::Ms),
            full_range: Metric::new("raw_10k_31d_full_range", Unit::Ms),
            long_tasks: Vec::new(),
        }
    }

    pub fn record(&mut self, load: Load) {
        self.longest_task.samples.push(load.longest_task);
        self.longest_gap.samples.push(load.longest_gap);
        self.full_range.samples.push(load.full_range);
        self.long_tasks.push(load.long_tasks);
    }

    pub fn finish(mut self) -> Vec<String> {
        let counts = match (self.long_tasks.iter().min(), self.long_tasks.iter().max()) {
            (Some(min), Some(max)) if min == max => format!("{min}"),
            (Some(min), Some(max)) => format!("{min}–{max}"),
            _ => "?".to_owned(),
        };
        let setup = format!(
            "team page, {MEMBERS} members × 31 days of raw records (one request per day, pages of 1,000) from the test server"
        );
        self.longest_task.note = format!(
            "{setup}: the longest main-thread task (PerformanceObserver `longtask`, buffered) that began before cca:range-loaded; {counts} tasks over 50 ms per load"
        );
        self.longest_gap.note = format!(
            "{setup}: the longest gap between ticks of a 16 ms timer, from the page built to cca:range-loaded"
        );
        self.full_range.note = format!("{setup}: navigation start → cca:range-loaded");
        [&self.longest_task, &self.longest_gap, &self.full_range]
            .iter()
            .filter_map(|m| m.bench_line())
            .collect()
    }
}

/// One load in a fresh browser, on its own test server.
pub fn run_once() -> Result<Load, PageloadError> {
    let (y, m, d) = TODAY;
    let today = chrono::NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| PageloadError::Missing("the benchmark's day".into()))?;
    let server = start_with_api(
        ServerOptions {
            members: MEMBERS,
            today,
            ..serve_dist()
        },
        "",
    )?;
    // The test server's own work (generating the organization) is not measured.
    for day in 1..=31 {
        if let Some(date) = chrono::NaiveDate::from_ymd_opt(2026, 10, day) {
            server.records_for_day(date);
        }
    }
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(TEAM_OCTOBER))?;
    browser.wait_for(
        "!!document.querySelector('.cca-page[data-page=team]')",
        LOAD_WAIT,
    )?;
    browser.execute(WATCH, vec![])?;
    wait_progress(&browser, "31/31", LOAD_WAIT)?;
    let full_range = wait_number(&browser, &entry_start(RANGE_LOADED), LOAD_WAIT)?;
    let gap = browser.execute("clearInterval(window.__timer); return window.__gap", vec![])?;
    let tasks: Vec<(f64, f64)> =
        serde_json::from_value(browser.execute("return window.__tasks", vec![])?)
            .map_err(|e| PageloadError::Missing(format!("long tasks: {e}")))?;
    let loading: Vec<f64> = tasks
        .iter()
        .filter(|(start, _)| *start < full_range)
        .map(|(_, duration)| *duration)
        .collect();
    Ok(Load {
        longest_task: loading.iter().copied().fold(0.0, f64::max),
        long_tasks: loading.len(),
        longest_gap: gap.as_f64().unwrap_or_default(),
        full_range,
    })
}
