//! `cargo xtask bench`: the browser benchmarks of `tests/bench.rs` (release
//! profile, headless Chromium), the cold page loads of the e2e crate's
//! `pageload` binary and the shipped bytes, written into docs/benchmarks.md
//! between markers so the rest of that file stays.

use std::path::Path;
use std::process::Command;

use crate::error::Error;
use crate::tools::{self, Toolbox};
use crate::{run, sizes, webdriver};

pub const BROWSER_START: &str = "<!-- bench:browser -->";
pub const BROWSER_END: &str = "<!-- /bench:browser -->";
pub const PAGELOAD_START: &str = "<!-- bench:pageload -->";
pub const PAGELOAD_END: &str = "<!-- /bench:pageload -->";
pub const SIZES_START: &str = "<!-- bench:sizes -->";
pub const SIZES_END: &str = "<!-- /bench:sizes -->";

/// Cold page loads per page (issue #8 asks for at least 5).
pub const PAGELOAD_RUNS: u32 = 7;

/// What a benchmark's values are (`unit=` of its line; milliseconds without one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Unit {
    #[default]
    Ms,
    /// Mebibytes.
    MiB,
    /// Kibibytes (bytes sent, for one).
    KiB,
    /// A dimensionless ratio (`unit=x`).
    Ratio,
}

impl Unit {
    pub fn parse(word: &str) -> Option<Unit> {
        match word {
            "ms" => Some(Unit::Ms),
            "MiB" => Some(Unit::MiB),
            "KiB" => Some(Unit::KiB),
            "x" => Some(Unit::Ratio),
            _ => None,
        }
    }

    /// A value with its unit, as the tables show it.
    pub fn show(self, value: f64) -> String {
        match self {
            Unit::Ms => format!("{value:.2} ms"),
            Unit::MiB => format!("{value:.1} MiB"),
            Unit::KiB => format!("{value:.1} KiB"),
            Unit::Ratio => format!("{value:.2}×"),
        }
    }
}

/// One `BENCH …` line of the benchmarks.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchLine {
    pub name: String,
    pub runs: u32,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub unit: Unit,
    /// The time (ms) the benchmark should approach, when it has one (`ideal=`).
    pub ideal_ms: Option<f64>,
    pub note: String,
}

/// Parses `BENCH <name> runs=<n> median=<v> min=<v> max=<v> [unit=<u>]
/// [ideal=<ms>] <note…>` anywhere in a line (the runner may prefix it).
pub fn parse_line(line: &str) -> Option<BenchLine> {
    let rest = &line[line.find("BENCH ")? + "BENCH ".len()..];
    let mut words = rest.split_whitespace().peekable();
    let name = words.next()?.to_owned();
    let mut field = |key: &str| -> Option<String> {
        words
            .next()?
            .strip_prefix(key)?
            .strip_prefix('=')
            .map(str::to_owned)
    };
    let runs = field("runs")?.parse().ok()?;
    let median = field("median")?.parse().ok()?;
    let min = field("min")?.parse().ok()?;
    let max = field("max")?.parse().ok()?;
    let mut unit = Unit::Ms;
    let mut ideal_ms = None;
    while let Some(word) = words.peek() {
        if let Some(u) = word.strip_prefix("unit=") {
            unit = Unit::parse(u)?;
        } else if let Some(ms) = word.strip_prefix("ideal=") {
            ideal_ms = Some(ms.parse().ok()?);
        } else {
            break;
        }
        words.next();
    }
    let note = words.collect::<Vec<_>>().join(" ");
    Some(BenchLine {
        name,
        runs,
        median,
        min,
        max,
        unit,
        ideal_ms,
        note,
    })
}

/// What each benchmark is held to (DESIGN.md §9 and the issues).
pub fn target_for(line: &BenchLine) -> String {
    if let Some(ideal) = line.ideal_ms {
        return format!("≈ {ideal:.0} ms (ideal)");
    }
    match line.name.as_str() {
        "decode_aggregate_100k" => "≤ 500 ms",
        "full_redraw_366d" => "≤ 16 ms",
        "hover_redraw_366d" => "≤ 2 ms",
        n if n.starts_with("team_sort_") => "≤ 50 ms",
        "first_chart_app_30d" => "≤ 400 ms and ≤ 2× bare",
        "first_chart_ratio" => "≤ 2×",
        "memory_app_overview_90d" => "≤ 185 MiB",
        "scale_10k_90d_warm_page_loaded" => "≤ 1,500 ms",
        "scale_10k_90d_warm_to_browser" | "scale_10k_90d_cold_to_browser" => "≤ 2 MB (1,953 KiB)",
        _ => "",
    }
    .to_owned()
}

pub fn render(lines: &[BenchLine]) -> String {
    let mut out = String::from(
        "| benchmark | runs | median | min | max | target | setup |\n|---|---:|---:|---:|---:|---|---|\n",
    );
    for l in lines {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            l.name,
            l.runs,
            l.unit.show(l.median),
            l.unit.show(l.min),
            l.unit.show(l.max),
            target_for(l),
            l.note
        ));
    }
    out
}

/// Replaces the text between `start` and `end` in `doc` (appending both
/// markers and the text when they are missing).
pub fn replace_section(doc: &str, start: &str, end: &str, body: &str) -> String {
    match (doc.find(start), doc.find(end)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{start}\n{body}{}", &doc[..a], &doc[b..])
        }
        _ => format!("{}\n{start}\n{body}{end}\n", doc.trim_end()),
    }
}

/// Runs `cmd`, echoing its output, and returns the `BENCH` lines it printed.
fn collect_lines(cmd: &mut Command, what: &str) -> Result<Vec<BenchLine>, Error> {
    println!("xtask: [bench] $ {}", run::describe(cmd));
    let mut lines = Vec::new();
    let status = run::stream(cmd, true, |line| {
        if let Some(parsed) = parse_line(line) {
            lines.push(parsed);
        }
    })?;
    if !status.success() {
        return Err(Error::Failed {
            command: what.into(),
            status: status.to_string(),
        });
    }
    Ok(lines)
}

/// Runs the browser benchmarks and returns their lines, built with the
/// release profile like the app.
pub fn run_browser(tools: &Toolbox, repo: &Path) -> Result<Vec<BenchLine>, Error> {
    let runner = tools.test_runner()?;
    let mut cmd = tools.cargo();
    cmd.current_dir(repo)
        .args([
            "test",
            "--release",
            "--target",
            tools::TARGET,
            "--test",
            "bench",
            "--",
            "--nocapture",
        ])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner)
        .env("CHROMEDRIVER", tools::CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "600");
    webdriver::configure(&mut cmd, repo)?;
    collect_lines(&mut cmd, "browser benchmarks")
}

/// The page-load benchmark's reference page: a minimal Leptos + plotters app.
pub const REFERENCE_CRATE: &str = "tests/reference";
/// Where its release build goes, relative to the repo.
pub const REFERENCE_DIST: &str = "target/reference-dist";

/// `trunk build --release` of [`REFERENCE_CRATE`] into [`REFERENCE_DIST`]
/// (its own workspace, so its own target directory under `target/`).
///
/// Without the repo's `--cfg erase_components` (`.cargo/config.toml`, which
/// the nested workspace would inherit): type erasure pays off for the app's
/// many views, but makes a one-component page larger (110 -> 120 KiB of wasm),
/// and the reference is the smallest page these tools make.
pub fn reference_build(tools: &Toolbox, repo: &Path) -> Result<Command, Error> {
    let mut cmd = tools.trunk()?;
    cmd.current_dir(repo.join(REFERENCE_CRATE))
        .args(["build", "--release", "--dist"])
        .arg(repo.join(REFERENCE_DIST))
        .env("CARGO_TARGET_DIR", repo.join("target/reference"))
        .env("CARGO_ENCODED_RUSTFLAGS", "");
    Ok(cmd)
}

/// Runs the cold page loads (`pageload` of the e2e crate, release profile)
/// on the release build in `dist/`, beside the reference page in
/// [`REFERENCE_DIST`], and returns their lines.
pub fn run_pageload(tools: &Toolbox, repo: &Path) -> Result<Vec<BenchLine>, Error> {
    // The large organization's loads run the server as its own process (its
    // CPU time and memory are measured): its release binary, as deployed.
    let mut server = tools.cargo();
    server
        .current_dir(repo)
        .args(["build", "--profile", "server", "--package", "cca-server"]);
    run::checked(&mut server)?;
    let target = crate::target_dir(repo);
    let mut cmd = tools.cargo();
    cmd.current_dir(repo)
        .args([
            "run",
            "--release",
            "-p",
            "cca-e2e",
            "--bin",
            "pageload",
            "--",
            "--runs",
        ])
        .arg(PAGELOAD_RUNS.to_string())
        .arg("--reference")
        .arg(repo.join(REFERENCE_DIST))
        .env("CCA_DIST", repo.join("dist"))
        .env("CCA_SERVER_BIN", target.join("server").join("cca-server"))
        .env("CHROMEDRIVER", tools::CHROMEDRIVER)
        .env("CHROMIUM", tools::CHROMIUM);
    collect_lines(&mut cmd, "page-load benchmarks")
}

/// What one `cargo xtask bench` measured.
pub struct Results<'a> {
    pub browser: &'a [BenchLine],
    pub pageload: &'a [BenchLine],
}

/// Writes the three sections of docs/benchmarks.md.
pub fn write_doc(repo: &Path, results: &Results, dist: &Path, date: &str) -> Result<(), Error> {
    let path = repo.join("docs/benchmarks.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let files = sizes::measure(dist)?;
    let sizes_body = format!(
        "Measured {date} by `cargo xtask bench`.\n\n{}",
        sizes::render_markdown(&files)
    );
    let browser_body = format!(
        "Measured {date} by `cargo xtask bench` (median of the runs after one warm-up; headless Chromium, release profile).\n\n{}",
        render(results.browser)
    );
    let pageload_body = format!(
        "Measured {date} by `cargo xtask bench` ({PAGELOAD_RUNS} runs after one warm-up round, each page load in a fresh Chromium profile; headless Chromium, release build).\n\n{}",
        render(results.pageload)
    );
    let doc = replace_section(&doc, SIZES_START, SIZES_END, &sizes_body);
    let doc = replace_section(&doc, BROWSER_START, BROWSER_END, &browser_body);
    let doc = replace_section(&doc, PAGELOAD_START, PAGELOAD_END, &pageload_body);
    std::fs::write(&path, doc).map_err(|e| Error::io(&path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bench_lines_with_a_prefix_and_a_note() {
        let line = "    BENCH full_redraw_366d runs=25 median=7.125 min=6.900 max=9.000 1200×360 CSS px at DPR 2";
        assert_eq!(
            parse_line(line),
            Some(BenchLine {
                name: "full_redraw_366d".into(),
                runs: 25,
                median: 7.125,
                min: 6.9,
                max: 9.0,
                unit: Unit::Ms,
                ideal_ms: None,
                note: "1200×360 CSS px at DPR 2".into(),
            })
        );
        assert_eq!(parse_line("test bench ... ok"), None);
        assert_eq!(parse_line("BENCH x runs=a median=1 min=1 max=1"), None);
    }

    #[test]
    fn parses_units_and_ideal_times() {
        let line =
            "BENCH memory_bare runs=7 median=121.363 min=120.5 max=125 unit=MiB bare page: VmRSS";
        let parsed = parse_line(line).unwrap();
        assert_eq!(parsed.unit, Unit::MiB);
        assert_eq!(parsed.ideal_ms, None);
        assert_eq!(parsed.note, "bare page: VmRSS");
        let line = "BENCH scale_10k_90d_warm_to_browser runs=3 median=612.5 min=600 max=620 unit=KiB overview";
        let parsed = parse_line(line).unwrap();
        assert_eq!(parsed.unit, Unit::KiB);
        assert_eq!(parsed.unit.show(parsed.median), "612.5 KiB");
        assert_eq!(target_for(&parsed), "≤ 2 MB (1,953 KiB)");
        let line = "BENCH load_90d_latency_20ms runs=7 median=990 min=950 max=1010 unit=ms ideal=300 activity ?range=90d";
        let parsed = parse_line(line).unwrap();
        assert_eq!((parsed.unit, parsed.ideal_ms), (Unit::Ms, Some(300.0)));
        assert_eq!(parsed.note, "activity ?range=90d");
        // Either order; a note may follow directly.
        let line = "BENCH first_chart_ratio runs=7 median=10.6 min=9 max=12 ideal=1 unit=x";
        let parsed = parse_line(line).unwrap();
        assert_eq!((parsed.unit, parsed.ideal_ms), (Unit::Ratio, Some(1.0)));
        assert_eq!(parsed.note, "");
        assert_eq!(
            parse_line("BENCH x runs=1 median=1 min=1 max=1 unit=furlongs note"),
            None
        );
        assert_eq!(
            parse_line("BENCH x runs=1 median=1 min=1 max=1 ideal=soon note"),
            None
        );
    }

    #[test]
    fn sections_are_replaced_or_appended() {
        let doc = "# B\n\nintro\n<!-- s -->\nold\n<!-- /s -->\nafter\n";
        assert_eq!(
            replace_section(doc, "<!-- s -->", "<!-- /s -->", "new\n"),
            "# B\n\nintro\n<!-- s -->\nnew\n<!-- /s -->\nafter\n"
        );
        assert_eq!(
            replace_section("# B\n", "<!-- s -->", "<!-- /s -->", "new\n"),
            "# B\n<!-- s -->\nnew\n<!-- /s -->\n"
        );
    }

    #[test]
    fn renders_a_table_with_targets() {
        let table = render(&[BenchLine {
            name: "hover_redraw_366d".into(),
            runs: 200,
            median: 0.25,
            min: 0.2,
            max: 1.0,
            unit: Unit::Ms,
            ideal_ms: None,
            note: "overlay".into(),
        }]);
        assert!(table.contains(
            "| hover_redraw_366d | 200 | 0.25 ms | 0.20 ms | 1.00 ms | ≤ 2 ms | overlay |"
        ));
    }

    fn line(name: &str, unit: Unit, ideal_ms: Option<f64>) -> BenchLine {
        BenchLine {
            name: name.into(),
            runs: 7,
            median: 197.3,
            min: 190.04,
            max: 201.0,
            unit,
            ideal_ms,
            note: "setup".into(),
        }
    }

    #[test]
    fn renders_page_loads_with_units_and_targets() {
        let table = render(&[
            line("memory_app_overview_90d", Unit::MiB, None),
            line("first_chart_ratio", Unit::Ratio, None),
            line("first_chart_app_30d", Unit::Ms, None),
            line("load_90d_latency_20ms", Unit::Ms, Some(300.0)),
            line("fcp_bare", Unit::Ms, None),
        ]);
        let rows: Vec<&str> = table.lines().skip(2).collect();
        assert_eq!(
            rows,
            [
                "| memory_app_overview_90d | 7 | 197.3 MiB | 190.0 MiB | 201.0 MiB | ≤ 185 MiB | setup |",
                "| first_chart_ratio | 7 | 197.30× | 190.04× | 201.00× | ≤ 2× | setup |",
                "| first_chart_app_30d | 7 | 197.30 ms | 190.04 ms | 201.00 ms | ≤ 400 ms and ≤ 2× bare | setup |",
                "| load_90d_latency_20ms | 7 | 197.30 ms | 190.04 ms | 201.00 ms | ≈ 300 ms (ideal) | setup |",
                "| fcp_bare | 7 | 197.30 ms | 190.04 ms | 201.00 ms |  | setup |",
            ]
        );
    }
}
