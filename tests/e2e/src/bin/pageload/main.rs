//! Page-load benchmark: cold loads of the release build in
//! headless Chromium, in turn with a bare page that paints one canvas and,
//! when built, a minimal Leptos + plotters page; plus 90-day loads under
//! injected latency, and 90-day loads through `cca-server` on a cold and a
//! warm cache; and the team page of 10,000 members over 31 days of raw
//! records (the longest main-thread task while it loads). Prints one
//! `BENCH <name> runs=… median=… min=… max=… unit=… [ideal=…] <note>` line
//! per metric for `cargo xtask bench`; it measures and asserts nothing.
//!
//! `cargo run --release -p cca-e2e --bin pageload -- --runs 7 [--reference DIR]`
//! (the build is `$CCA_DIST`, else `<repo>/dist`).

mod bare;
mod error;
mod loads;
mod metrics;
mod procmem;
mod raw_scale;
mod scale_server;
mod server;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;

use cca_e2e::{serve_dist, start_with_api, TestServer};

use error::PageloadError;
use loads::{app_30d, app_overview_90d_memory, latency_load, reference_load, WARM_DAYS};
use metrics::{Metrics, Run};

const DEFAULT_RUNS: usize = 7;
/// Runs of the large organization (each waits for 180 days from the
/// upstream on a cold cache: about half a minute).
const SCALE_RUNS: usize = 3;
/// Where the minimal Leptos + plotters page is served.
const MINIMAL_PATH: &str = "/bench/minimal/";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Bare,
    Minimal,
    App,
}

/// The order of run `run`'s pages: rotated every run, so that a noisy moment
/// of the machine does not always hit the same page.
fn order(run: usize, minimal: bool) -> Vec<Page> {
    let mut pages = vec![Page::Bare, Page::App];
    if minimal {
        pages.insert(1, Page::Minimal);
    }
    let len = pages.len();
    pages.rotate_left(run % len);
    pages
}

/// One run: the pages in turn, then the latency loads.
fn run_once(
    server: &TestServer,
    run: usize,
    label: &str,
    minimal: bool,
    m: &mut Metrics,
) -> Result<(), PageloadError> {
    let (mut bare, mut app, mut reference) = (None, None, None);
    let pages = order(run, minimal);
    for page in &pages {
        match page {
            Page::Bare => bare = Some(reference_load(server, bare::PATH)?),
            Page::Minimal => reference = Some(reference_load(server, MINIMAL_PATH)?),
            Page::App => {
                let paint = app_30d(server)?;
                let memory = app_overview_90d_memory(server)?;
                app = Some((paint, memory));
            }
        }
    }
    let (Some(bare), Some(app)) = (bare, app) else {
        return Err(PageloadError::Missing("a run lost a page".into()));
    };
    let this = Run {
        bare,
        app,
        minimal: reference,
    };
    m.record(&this);
    for latency in m.latencies() {
        latency.push(&latency_load(server, latency.latency_ms())?);
    }
    eprintln!(
        "pageload: {label} (order {pages:?}): first chart app {:.1} ms, bare {:.1} ms{}; memory app {:.1} MiB, bare {:.1} MiB; loads {}",
        this.app.0.first_chart,
        this.bare.0.first_chart,
        this.minimal
            .as_ref()
            .map(|(p, _)| format!(", minimal Leptos + plotters {:.1} ms", p.first_chart))
            .unwrap_or_default(),
        this.app.1.rss,
        this.bare.1.rss,
        m.latencies()
            .iter()
            .map(|l| format!("+{} ms: {:.0} ms", l.latency_ms(), l.last().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
struct Args {
    runs: usize,
    /// The minimal Leptos + plotters page's build (`dist` of tests/reference).
    reference: Option<PathBuf>,
    /// Only the large organization through the server.
    scale_only: bool,
}

fn parse_args(args: &[String]) -> Result<Args, PageloadError> {
    let mut parsed = Args {
        runs: DEFAULT_RUNS,
        reference: None,
        scale_only: false,
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value)),
            None => (arg.as_str(), None),
        };
        let mut value = || inline.or_else(|| rest.next().map(String::as_str));
        match flag {
            "--scale-only" if inline.is_none() => parsed.scale_only = true,
            "--runs" => {
                parsed.runs = value()
                    .and_then(|v| v.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| PageloadError::Usage("--runs needs a number ≥ 1".into()))?;
            }
            "--reference" => {
                let dir = value()
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| PageloadError::Usage("--reference needs a directory".into()))?;
                parsed.reference = Some(PathBuf::from(dir));
            }
            _ => return Err(PageloadError::Usage(format!("unexpected argument `{arg}`"))),
        }
    }
    Ok(parsed)
}

fn run(args: &[String]) -> Result<(), PageloadError> {
    let args = parse_args(args)?;
    if !args.scale_only {
        run_pages(&args)?;
    }
    run_scale(args.runs.min(SCALE_RUNS))
}

/// The app's, the bare and the minimal page's loads, then through the server.
fn run_pages(args: &Args) -> Result<(), PageloadError> {
    let server = start_with_api(serve_dist(), "")?;
    server.add_page(bare::PATH, bare::HTML.to_owned(), None);
    if let Some(dir) = &args.reference {
        if !dir.join("index.html").is_file() {
            return Err(PageloadError::Missing(format!(
                "no index.html in {} (build tests/reference first)",
                dir.display()
            )));
        }
        server.add_dir(MINIMAL_PATH, dir)?;
    }
    let minimal = args.reference.is_some();
    // Generate the demo organization's days up front: the server's own work
    // is not what is measured.
    let today = chrono::Utc::now().date_naive();
    for back in 0..WARM_DAYS {
        server.records_for_day(today - chrono::TimeDelta::days(back));
    }
    // One unrecorded round warms the OS file cache (Chromium's binary, dist/);
    // every browser still starts with a fresh profile.
    let mut warmup = Metrics::new();
    run_once(&server, 0, "warm-up", minimal, &mut warmup)?;
    let mut metrics = Metrics::new();
    let runs = args.runs;
    for run in 0..runs {
        run_once(
            &server,
            run,
            &format!("run {}/{runs}", run + 1),
            minimal,
            &mut metrics,
        )?;
    }
    for line in metrics.finish() {
        println!("{line}");
    }
    let mut through_server = server::ServerMetrics::new();
    for run in 0..runs {
        let (cold, warm) = server::run_once()?;
        eprintln!(
            "pageload: through cca-server {}/{runs}: cold first chart {:.0} ms, range {:.0} ms ({} upstream); warm {:.0} ms, {:.0} ms ({} upstream)",
            run + 1,
            cold.first_chart,
            cold.full_range,
            cold.upstream,
            warm.first_chart,
            warm.full_range,
            warm.upstream
        );
        through_server.record(cold, warm);
    }
    for line in through_server.finish() {
        println!("{line}");
    }
    Ok(())
}

/// The large organization: its raw records in the browser, then through
/// the server binary.
fn run_scale(scale_runs: usize) -> Result<(), PageloadError> {
    let mut raw_scale = raw_scale::RawScaleMetrics::new();
    for run in 0..scale_runs {
        let load = raw_scale::run_once()?;
        eprintln!(
            "pageload: 10,000 members × 31 days of raw records {}/{scale_runs}: longest task {:.0} ms ({} over 50 ms), longest timer gap {:.0} ms, range loaded at {:.0} ms",
            run + 1,
            load.longest_task,
            load.long_tasks,
            load.longest_gap,
            load.full_range
        );
        raw_scale.record(load);
    }
    for line in raw_scale.finish() {
        println!("{line}");
    }
    let upstream = scale_server::upstream()?;
    let mut scale = scale_server::ScaleMetrics::new(scale_server::active_per_day(&upstream));
    for run in 0..scale_runs {
        let (cold, warm) = scale_server::run_once(&upstream, &cca_e2e::dist_dir())?;
        eprintln!(
            "pageload: {} members through cca-server {}/{scale_runs}: cold page {:.0} ms ({} upstream, server {:.0} ms CPU), warm page {:.0} ms, {:.0} KiB to the browser",
            scale_server::MEMBERS,
            run + 1,
            cold.page_loaded_ms,
            cold.upstream,
            cold.server_cpu_ms,
            warm.page_loaded_ms,
            warm.to_browser_kib
        );
        scale.record(cold, warm);
    }
    for line in scale.finish() {
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
    fn arguments() {
        let parse = |list: &[&str]| parse_args(&args(list));
        let runs = |list: &[&str]| parse(list).map(|a| a.runs).ok();
        assert_eq!(runs(&[]), Some(DEFAULT_RUNS));
        assert_eq!(runs(&["--runs", "9"]), Some(9));
        assert_eq!(runs(&["--runs=5"]), Some(5));
        assert_eq!(
            parse(&["--reference", "/r", "--runs", "3"]).ok(),
            Some(Args {
                runs: 3,
                reference: Some(PathBuf::from("/r")),
                scale_only: false,
            })
        );
        assert!(parse(&["--scale-only"]).is_ok_and(|a| a.scale_only));
        assert_eq!(
            parse(&["--reference=/r"]).ok().and_then(|a| a.reference),
            Some(PathBuf::from("/r"))
        );
        for bad in [
            &["--runs"][..],
            &["--runs", "0"],
            &["--runs=x"],
            &["7"],
            &["--runsx"],
            &["--reference"],
            &["--reference="],
            &["--scale-only=yes"],
        ] {
            assert!(
                matches!(parse(bad), Err(PageloadError::Usage(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn every_page_goes_first_in_turn() {
        assert_eq!(order(0, false), [Page::Bare, Page::App]);
        assert_eq!(order(1, false), [Page::App, Page::Bare]);
        assert_eq!(order(0, true), [Page::Bare, Page::Minimal, Page::App]);
        assert_eq!(order(1, true), [Page::Minimal, Page::App, Page::Bare]);
        assert_eq!(order(2, true), [Page::App, Page::Bare, Page::Minimal]);
        assert_eq!(order(3, true), order(0, true));
    }
}
