//! A large organization through the `cca-server` binary (issue #28): the
//! demo organization with 10,000 members behind the test server as the Admin
//! API (1,000 records a page, 100 ms added to every answer), and the overview
//! of 90 days, which reads the server's summaries (its range, and the
//! previous period for the change lines). Once on an empty cache (every day
//! fetched upstream) and once warm (the same server, a new browser):
//! navigation start to the first chart and to `cca:page-loaded` (every load
//! of the page settled), the bytes the browser received (Resource Timing's
//! `transferSize`), and the server process's CPU time (`/proc/<pid>/stat`)
//! and peak memory (`VmHWM`, reset between the two loads).
//!
//! The server runs as its own process so that its CPU and memory are its
//! own: the release binary that `cargo xtask bench` builds
//! (`$CCA_SERVER_BIN`, else `target/server/cca-server`).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cca::marks::{FIRST_CHART, PAGE_LOADED};
use cca_e2e::served::{fresh_cache, remove_cache};
use cca_e2e::{Browser, BrowserOptions, Fault, FaultRule, ServerOptions, TestServer};

use crate::error::PageloadError;
use crate::loads::{entry_start, wait_number};
use crate::procmem::parse_kib;
use crate::stats::{Metric, Unit};

pub const MEMBERS: usize = 10_000;
/// Added to every upstream usage answer.
const UPSTREAM_LATENCY_MS: u64 = 100;
const KEY: &str = "sk-ant-admin01-bench-scale-not-a-real-key";
const OVERVIEW_90D: &str = "/claude-code/?range=90d";
/// The overview's range and its previous period.
const DAYS: i64 = 180;
const LOAD_WAIT: Duration = Duration::from_secs(600);
/// `/proc/<pid>/stat` counts CPU time in USER_HZ, 100 a second on Linux.
const TICKS_PER_SECOND: f64 = 100.0;

/// JS: what the page moved: the document's and every resource's
/// `transferSize` (headers and encoded body), and the summaries' encoded
/// and decoded body sizes and count.
const TRANSFERRED: &str = "(function(){
  const nav = performance.getEntriesByType('navigation')[0];
  const all = performance.getEntriesByType('resource');
  const summaries = all.filter(e => e.name.includes('/summary?'));
  const raw = all.filter(e => e.name.includes('usage_report/claude_code?'));
  return [
    (nav ? nav.transferSize : 0) + all.reduce((s, e) => s + e.transferSize, 0),
    summaries.reduce((s, e) => s + e.encodedBodySize, 0),
    summaries.reduce((s, e) => s + e.decodedBodySize, 0),
    summaries.length,
    raw.length,
  ];
})()";

/// One load's figures.
#[derive(Debug, Clone, Copy)]
pub struct ScaleLoad {
    pub first_chart_ms: f64,
    pub page_loaded_ms: f64,
    pub to_browser_kib: f64,
    pub summaries_kib: f64,
    pub summaries_json_kib: f64,
    pub summaries: usize,
    pub upstream: usize,
    pub server_cpu_ms: f64,
    pub server_peak_mib: f64,
}

/// The `cca-server` process; killed on drop.
struct ServerProcess {
    child: Child,
    addr: SocketAddr,
}

impl ServerProcess {
    fn start(bin: &Path, upstream: &str, cache: &Path, dist: &Path) -> Result<Self, PageloadError> {
        // A free port: bound and released (nothing else here takes it meanwhile).
        let addr = TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let child = Command::new(bin)
            .arg("--listen")
            .arg(addr.to_string())
            .arg("--upstream")
            .arg(upstream)
            .arg("--cache")
            .arg(cache)
            .arg("--dist")
            .arg(dist)
            .env("ANTHROPIC_ADMIN_KEY", KEY)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                PageloadError::Missing(format!(
                    "cannot start {} ({e}): `cargo build --profile server -p cca-server` builds it",
                    bin.display()
                ))
            })?;
        let server = ServerProcess { child, addr };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(addr).is_err() {
            if Instant::now() > deadline {
                return Err(PageloadError::Missing(format!(
                    "{} did not listen on {addr}",
                    bin.display()
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }

    fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn proc_file(&self, name: &str) -> Result<String, PageloadError> {
        Ok(std::fs::read_to_string(format!(
            "/proc/{}/{name}",
            self.child.id()
        ))?)
    }

    /// User and system CPU time so far, in ms.
    fn cpu_ms(&self) -> Result<f64, PageloadError> {
        let stat = self.proc_file("stat")?;
        cpu_ticks(&stat)
            .map(|ticks| ticks as f64 * 1000.0 / TICKS_PER_SECOND)
            .ok_or_else(|| PageloadError::Missing(format!("no CPU times in {stat}")))
    }

    /// The most memory resident at once since start or [`Self::reset_peak`], in MiB.
    fn peak_mib(&self) -> Result<f64, PageloadError> {
        let status = self.proc_file("status")?;
        parse_kib(&status, "VmHWM")
            .map(|kib| kib as f64 / 1024.0)
            .ok_or_else(|| PageloadError::Missing("no VmHWM in /proc/<pid>/status".into()))
    }

    /// Starts the peak over (Linux: `5` to `clear_refs`).
    fn reset_peak(&self) -> Result<(), PageloadError> {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5")?;
        Ok(())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `utime + stime` of a `/proc/<pid>/stat` line: the 12th and 13th fields
/// after the command name in parentheses (which may hold anything).
fn cpu_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(user + system)
}

/// The binary to run.
fn server_binary() -> PathBuf {
    std::env::var_os("CCA_SERVER_BIN").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/server/cca-server"),
        PathBuf::from,
    )
}

/// The upstream organization, every day of the measured ranges generated up
/// front (the test server's own work is not what is measured).
pub fn upstream() -> Result<TestServer, PageloadError> {
    let upstream = TestServer::start(ServerOptions {
        dist: None,
        members: MEMBERS,
        admin_key: Some(KEY.to_owned()),
        ..ServerOptions::default()
    })?;
    let today = chrono::Utc::now().date_naive();
    for back in 0..DAYS {
        upstream.records_for_day(today - chrono::TimeDelta::days(back));
    }
    upstream.add_fault(FaultRule::usage(Fault::Latency(Duration::from_millis(
        UPSTREAM_LATENCY_MS,
    ))));
    Ok(upstream)
}

/// Records per day of the upstream organization, averaged over the measured
/// days: how many of the members are active on a day.
pub fn active_per_day(upstream: &TestServer) -> f64 {
    let today = chrono::Utc::now().date_naive();
    let records: usize = (0..DAYS)
        .map(|back| {
            upstream
                .records_for_day(today - chrono::TimeDelta::days(back))
                .len()
        })
        .sum();
    records as f64 / DAYS as f64
}

/// One run: a new server on an empty cache, a cold load, then a warm one.
pub fn run_once(
    upstream: &TestServer,
    dist: &Path,
) -> Result<(ScaleLoad, ScaleLoad), PageloadError> {
    let cache = fresh_cache("bench-scale");
    let server = ServerProcess::start(&server_binary(), &upstream.api_base(), &cache, dist)?;
    let cold = load(&server, upstream)?;
    server.reset_peak()?;
    let warm = load(&server, upstream)?;
    drop(server);
    remove_cache(&cache);
    Ok((cold, warm))
}

fn load(server: &ServerProcess, upstream: &TestServer) -> Result<ScaleLoad, PageloadError> {
    upstream.clear_log();
    let cpu_before = server.cpu_ms()?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&format!("{}{OVERVIEW_90D}", server.origin()))?;
    let page_loaded_ms = wait_number(&browser, &entry_start(PAGE_LOADED), LOAD_WAIT)?;
    let first_chart_ms = wait_number(&browser, &entry_start(FIRST_CHART), LOAD_WAIT)?;
    let failed = browser.texts(".cca-failures, .cca-load-error")?;
    if !failed.is_empty() {
        return Err(PageloadError::Missing(format!(
            "the 90 days did not all load through the server: {}",
            failed.join(" ")
        )));
    }
    let moved = browser.execute(&format!("return {TRANSFERRED};"), vec![])?;
    let figure = |i: usize| moved.get(i).and_then(serde_json::Value::as_f64);
    let (Some(bytes), Some(encoded), Some(decoded), Some(summaries), Some(raw)) =
        (figure(0), figure(1), figure(2), figure(3), figure(4))
    else {
        return Err(PageloadError::Missing(format!(
            "no transfer sizes: {moved}"
        )));
    };
    if summaries < 2.0 || raw > 0.0 {
        return Err(PageloadError::Missing(format!(
            "the overview did not read summaries only: {summaries} summaries, {raw} day requests"
        )));
    }
    // Gone before the server's CPU time is read: its connections end.
    drop(browser);
    Ok(ScaleLoad {
        first_chart_ms,
        page_loaded_ms,
        to_browser_kib: bytes / 1024.0,
        summaries_kib: encoded / 1024.0,
        summaries_json_kib: decoded / 1024.0,
        summaries: summaries as usize,
        upstream: upstream.usage_requests().len(),
        server_cpu_ms: server.cpu_ms()? - cpu_before,
        server_peak_mib: server.peak_mib()?,
    })
}

/// A benchmark's name, unit and value of a load.
type Figure = (&'static str, Unit, fn(&ScaleLoad) -> f64);

/// Each benchmark's name (after `scale_10k_90d_cold_` or `…_warm_`), unit
/// and value of a load.
const FIGURES: [Figure; 5] = [
    ("first_chart", Unit::Ms, |l| l.first_chart_ms),
    ("page_loaded", Unit::Ms, |l| l.page_loaded_ms),
    ("to_browser", Unit::KiB, |l| l.to_browser_kib),
    ("server_cpu", Unit::Ms, |l| l.server_cpu_ms),
    ("server_peak", Unit::MiB, |l| l.server_peak_mib),
];

/// The samples of every run, cold and warm.
pub struct ScaleMetrics {
    cold: Vec<ScaleLoad>,
    warm: Vec<ScaleLoad>,
    active_per_day: f64,
}

impl ScaleMetrics {
    pub fn new(active_per_day: f64) -> Self {
        ScaleMetrics {
            cold: Vec::new(),
            warm: Vec::new(),
            active_per_day,
        }
    }

    pub fn record(&mut self, cold: ScaleLoad, warm: ScaleLoad) {
        self.cold.push(cold);
        self.warm.push(warm);
    }

    pub fn finish(self) -> Vec<String> {
        let setup = format!(
            "overview ?range=90d (and the previous 90 days) through the cca-server binary, \
             {MEMBERS} members ({:.0} active a day on average, {:.0} %), 1,000 records a page \
             upstream, {UPSTREAM_LATENCY_MS} ms added to every upstream answer",
            self.active_per_day,
            self.active_per_day * 100.0 / MEMBERS as f64
        );
        let mut lines = Vec::new();
        for (state, loads) in [("cold", &self.cold), ("warm", &self.warm)] {
            let span = |f: fn(&ScaleLoad) -> f64| {
                let values: Vec<f64> = loads.iter().map(f).collect();
                let min = values.iter().copied().fold(f64::INFINITY, f64::min);
                let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                if (max - min).abs() < 0.5 {
                    format!("{min:.0}")
                } else {
                    format!("{min:.0}–{max:.0}")
                }
            };
            let note = format!(
                "{setup}; {}: {} upstream requests; {} summaries, {} KiB compressed ({} KiB of JSON)",
                if state == "cold" {
                    "empty cache"
                } else {
                    "the same server again, new browser"
                },
                span(|l| l.upstream as f64),
                span(|l| l.summaries as f64),
                span(|l| l.summaries_kib),
                span(|l| l.summaries_json_kib),
            );
            for (figure, unit, value) in FIGURES {
                let mut m = Metric::new(format!("scale_10k_90d_{state}_{figure}"), unit);
                m.samples = loads.iter().map(value).collect();
                m.note = note.clone();
                lines.extend(m.bench_line());
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_ticks_are_read_after_the_command_name() {
        let stat =
            "4242 (cca server) S 1 4242 4242 0 -1 4194560 900 0 0 0 731 58 0 0 20 0 9 0 123 0 0";
        assert_eq!(cpu_ticks(stat), Some(789));
        assert_eq!(cpu_ticks("4242 (odd) name) S 1"), None);
    }
}
