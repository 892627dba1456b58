//! `cargo xtask bench`: the browser benchmarks of `tests/bench.rs` (release
//! profile, headless Chromium) and the shipped bytes, written into
//! docs/benchmarks.md between markers so the rest of that file stays.

use std::path::Path;

use crate::error::Error;
use crate::tools::{self, Toolbox};
use crate::{run, sizes};

pub const BROWSER_START: &str = "<!-- bench:browser -->";
pub const BROWSER_END: &str = "<!-- /bench:browser -->";
pub const SIZES_START: &str = "<!-- bench:sizes -->";
pub const SIZES_END: &str = "<!-- /bench:sizes -->";

/// One `BENCH …` line of the browser benchmarks.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchLine {
    pub name: String,
    pub runs: u32,
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    pub note: String,
}

/// Parses `BENCH <name> runs=<n> median=<ms> min=<ms> max=<ms> <note…>`
/// anywhere in a line (the runner may prefix it).
pub fn parse_line(line: &str) -> Option<BenchLine> {
    let rest = &line[line.find("BENCH ")? + "BENCH ".len()..];
    let mut words = rest.split_whitespace();
    let name = words.next()?.to_owned();
    let mut field = |key: &str| -> Option<String> {
        words
            .next()?
            .strip_prefix(key)?
            .strip_prefix('=')
            .map(str::to_owned)
    };
    let runs = field("runs")?.parse().ok()?;
    let median_ms = field("median")?.parse().ok()?;
    let min_ms = field("min")?.parse().ok()?;
    let max_ms = field("max")?.parse().ok()?;
    let note = words.collect::<Vec<_>>().join(" ");
    Some(BenchLine {
        name,
        runs,
        median_ms,
        min_ms,
        max_ms,
        note,
    })
}

/// What each benchmark is held to (DESIGN.md §9 and the issues).
pub fn target_for(name: &str) -> &'static str {
    match name {
        "decode_aggregate_100k" => "≤ 500 ms",
        "full_redraw_366d" => "≤ 16 ms",
        "hover_redraw_366d" => "≤ 2 ms",
        n if n.starts_with("team_sort_") => "≤ 50 ms",
        _ => "",
    }
}

pub fn render(lines: &[BenchLine]) -> String {
    let mut out = String::from(
        "| benchmark | runs | median | min | max | target | setup |\n|---|---:|---:|---:|---:|---|---|\n",
    );
    for l in lines {
        out.push_str(&format!(
            "| {} | {} | {:.2} ms | {:.2} ms | {:.2} ms | {} | {} |\n",
            l.name,
            l.runs,
            l.median_ms,
            l.min_ms,
            l.max_ms,
            target_for(&l.name),
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

/// Runs the browser benchmarks and returns their lines.
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
    println!("xtask: [bench] $ {}", run::describe(&cmd));
    let mut lines = Vec::new();
    let status = run::stream(&mut cmd, true, |line| {
        if let Some(parsed) = parse_line(line) {
            lines.push(parsed);
        }
    })?;
    if !status.success() {
        return Err(Error::Failed {
            command: "browser benchmarks".into(),
            status: status.to_string(),
        });
    }
    Ok(lines)
}

/// Writes both sections of docs/benchmarks.md.
pub fn write_doc(repo: &Path, lines: &[BenchLine], dist: &Path, date: &str) -> Result<(), Error> {
    let path = repo.join("docs/benchmarks.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let files = sizes::measure(dist)?;
    let sizes_body = format!(
        "Measured {date} by `cargo xtask bench`.\n\n{}",
        sizes::render_markdown(&files)
    );
    let browser_body = format!(
        "Measured {date} by `cargo xtask bench` (median of the runs after one warm-up; headless Chromium, release profile).\n\n{}",
        render(lines)
    );
    let doc = replace_section(&doc, SIZES_START, SIZES_END, &sizes_body);
    let doc = replace_section(&doc, BROWSER_START, BROWSER_END, &browser_body);
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
                median_ms: 7.125,
                min_ms: 6.9,
                max_ms: 9.0,
                note: "1200×360 CSS px at DPR 2".into(),
            })
        );
        assert_eq!(parse_line("test bench ... ok"), None);
        assert_eq!(parse_line("BENCH x runs=a median=1 min=1 max=1"), None);
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
            median_ms: 0.25,
            min_ms: 0.2,
            max_ms: 1.0,
            note: "overlay".into(),
        }]);
        assert!(table.contains(
            "| hover_redraw_366d | 200 | 0.25 ms | 0.20 ms | 1.00 ms | ≤ 2 ms | overlay |"
        ));
    }
}
