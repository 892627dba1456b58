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
mod loads;
mod metrics;
mod procmem;
mod stats;

use std::process::ExitCode;

use cca_e2e::{serve_dist, start_with_api, TestServer};

use error::PageloadError;
use loads::{app_30d, app_overview_90d_memory, bare_load, latency_load, WARM_DAYS};
use metrics::Metrics;

const DEFAULT_RUNS: usize = 7;

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
    let (Some(bare), Some(app)) = (bare, app) else {
        return Err(PageloadError::Missing("a run lost a side".into()));
    };
    m.record_pair(&bare, &app);
    for latency in m.latencies() {
        latency.push(&latency_load(server, latency.latency_ms())?);
    }
    eprintln!(
        "pageload: {label} ({} first): first chart app {:.1} ms, bare {:.1} ms; memory app {:.1} MiB, bare {:.1} MiB; loads {}",
        if bare_first { "bare" } else { "app" },
        app.0.first_chart,
        bare.0.first_chart,
        app.1.rss,
        bare.1.rss,
        m.latencies()
            .iter()
            .map(|l| format!("+{} ms: {:.0} ms", l.latency_ms(), l.last().unwrap_or_default()))
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
}
