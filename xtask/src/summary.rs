//! Test-runner summaries: parses libtest's `test result:` lines (cargo test,
//! doc-tests, wasm-bindgen-test-runner), adds them up per layer, and prints
//! the final table and the one-line total.

use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.passed = self.passed.saturating_add(other.passed);
        self.failed = self.failed.saturating_add(other.failed);
        self.ignored = self.ignored.saturating_add(other.ignored);
    }

    /// Tests that actually ran.
    pub fn ran(&self) -> u64 {
        self.passed.saturating_add(self.failed)
    }
}

/// One `test result:` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResultLine {
    pub ok: bool,
    pub counts: Counts,
}

/// Parses `test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; …`
/// (also the FAILED form, the wasm-bindgen-test-runner form without
/// `measured`, and merged doc-test lines). Only lines that start with
/// `test result:` count, so a test that prints such text mid-line does not.
pub fn parse_result_line(line: &str) -> Option<ResultLine> {
    let line = strip_ansi(line);
    let rest = line.trim().strip_prefix("test result:")?.trim_start();
    let (status, rest) = rest.split_once('.')?;
    let ok = match status {
        "ok" => true,
        "FAILED" => false,
        _ => return None,
    };
    let mut counts = Counts::default();
    let mut any = false;
    for part in rest.split(';') {
        let mut words = part.split_whitespace();
        let (Some(number), Some(word)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(n) = number.parse::<u64>() else {
            continue;
        };
        let slot = match word {
            "passed" => &mut counts.passed,
            "failed" => &mut counts.failed,
            "ignored" => &mut counts.ignored,
            _ => continue,
        };
        *slot = n;
        any = true;
    }
    any.then_some(ResultLine { ok, counts })
}

/// Removes ANSI colour sequences (`ESC [ … letter`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Failed(String),
    Skipped(String),
}

/// What one layer (or the build step) did.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerReport {
    pub name: &'static str,
    /// `None` for a step that runs no tests (the release build).
    pub counts: Option<Counts>,
    pub seconds: f64,
    pub outcome: Outcome,
}

/// Totals over all layers. A step that failed or was skipped without a
/// failed test of its own (a build that broke, a layer that never ran, a
/// runner that crashed) counts as one failure, so the closing line can never
/// read `0 failed` when something did not pass.
pub fn totals(reports: &[LayerReport]) -> Counts {
    let mut total = Counts::default();
    for r in reports {
        let mut counts = r.counts.unwrap_or_default();
        if r.outcome != Outcome::Ok && counts.failed == 0 {
            counts.failed = 1;
        }
        total.add(counts);
    }
    total
}

/// The last line of `cargo xtask test`: `N passed, N failed` and, if any were
/// ignored, `, N skipped`.
pub fn totals_line(total: Counts) -> String {
    let mut line = format!("{} passed, {} failed", total.passed, total.failed);
    if total.ignored > 0 {
        let _ = write!(line, ", {} skipped", total.ignored);
    }
    line
}

/// True when every layer succeeded and at least one test ran.
pub fn all_ok(reports: &[LayerReport]) -> bool {
    let t = totals(reports);
    reports.iter().all(|r| r.outcome == Outcome::Ok) && t.failed == 0 && t.ran() > 0
}

/// The per-layer table, one line per layer plus a total row, then one line
/// per layer that failed or was skipped saying why.
pub fn table(reports: &[LayerReport]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<13} {:>7} {:>7} {:>7} {:>8}  result",
        "layer", "passed", "failed", "ignored", "seconds"
    );
    let mut seconds = 0.0;
    for r in reports {
        seconds += r.seconds;
        let (p, f, i) = match r.counts {
            Some(c) => (
                c.passed.to_string(),
                c.failed.to_string(),
                c.ignored.to_string(),
            ),
            None => ("-".into(), "-".into(), "-".into()),
        };
        let result = match r.outcome {
            Outcome::Ok => "ok",
            Outcome::Failed(_) => "FAILED",
            Outcome::Skipped(_) => "skipped",
        };
        let _ = writeln!(
            out,
            "{:<13} {p:>7} {f:>7} {i:>7} {:>8.1}  {result}",
            r.name, r.seconds
        );
    }
    let t = totals(reports);
    let result = if all_ok(reports) { "ok" } else { "FAILED" };
    let _ = writeln!(
        out,
        "{:<13} {:>7} {:>7} {:>7} {seconds:>8.1}  {result}",
        "total", t.passed, t.failed, t.ignored
    );
    for r in reports {
        match &r.outcome {
            Outcome::Ok => {}
            Outcome::Failed(why) => {
                let _ = writeln!(out, "{}: FAILED: {why}", r.name);
            }
            Outcome::Skipped(why) => {
                let _ = writeln!(out, "{}: skipped: {why}", r.name);
            }
        }
    }
    if t.passed == 0 {
        let _ = writeln!(out, "no tests passed");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(passed: u64, failed: u64, ignored: u64) -> Counts {
        Counts {
            passed,
            failed,
            ignored,
        }
    }

    #[test]
    fn libtest_ok_line() {
        let line = "test result: ok. 12 passed; 0 failed; 3 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(
            parse_result_line(line),
            Some(ResultLine {
                ok: true,
                counts: counts(12, 0, 3)
            })
        );
    }

    #[test]
    fn libtest_failed_line() {
        let line = "test result: FAILED. 10 passed; 2 failed; 0 ignored; 0 measured; 5 filtered out; finished in 1.50s\n";
        assert_eq!(
            parse_result_line(line),
            Some(ResultLine {
                ok: false,
                counts: counts(10, 2, 0)
            })
        );
    }

    #[test]
    fn wasm_bindgen_test_runner_line_has_no_measured() {
        let line =
            "test result: ok. 14 passed; 0 failed; 1 ignored; 0 filtered out; finished in 3.21s";
        assert_eq!(
            parse_result_line(line).map(|r| r.counts),
            Some(counts(14, 0, 1))
        );
        let no_timer = "test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 filtered out";
        assert_eq!(
            parse_result_line(no_timer),
            Some(ResultLine {
                ok: false,
                counts: counts(1, 1, 0)
            })
        );
    }

    #[test]
    fn doc_test_lines_including_merged_doctests() {
        let plain = "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s";
        assert_eq!(
            parse_result_line(plain).map(|r| r.counts),
            Some(counts(0, 0, 0))
        );
        let merged = "test result: ok. 4 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; all doctests ran in 0.52s; merged doctests compilation took 0.48s";
        assert_eq!(
            parse_result_line(merged).map(|r| r.counts),
            Some(counts(4, 0, 1))
        );
    }

    #[test]
    fn colours_and_indentation_are_tolerated() {
        let line =
            "  test result: \u{1b}[32mok\u{1b}[0m. 2 passed; 0 failed; 0 ignored; 0 measured";
        assert_eq!(
            parse_result_line(line).map(|r| r.counts),
            Some(counts(2, 0, 0))
        );
    }

    #[test]
    fn other_lines_are_not_results() {
        for line in [
            "test tests::parses ... ok",
            "running 12 tests",
            "assert failed: left: \"test result: ok. 3 passed\"",
            "test result: maybe. 3 passed",
            "test result: ok. nothing here",
            "",
        ] {
            assert_eq!(parse_result_line(line), None, "{line}");
        }
    }

    #[test]
    fn huge_counts_saturate() {
        let mut c = counts(u64::MAX, 1, 0);
        c.add(counts(5, u64::MAX, 2));
        assert_eq!(c, counts(u64::MAX, u64::MAX, 2));
        assert_eq!(c.ran(), u64::MAX);
    }

    fn report(name: &'static str, c: Option<Counts>, outcome: Outcome) -> LayerReport {
        LayerReport {
            name,
            counts: c,
            seconds: 1.5,
            outcome,
        }
    }

    #[test]
    fn totals_line_formats() {
        assert_eq!(totals_line(counts(140, 0, 0)), "140 passed, 0 failed");
        assert_eq!(
            totals_line(counts(3, 2, 4)),
            "3 passed, 2 failed, 4 skipped"
        );
    }

    #[test]
    fn totals_skip_steps_without_tests() {
        let reports = [
            report(
                "native",
                Some(counts(100, 1, 2)),
                Outcome::Failed("tests failed".into()),
            ),
            report("build", None, Outcome::Ok),
            report("e2e", Some(counts(6, 0, 0)), Outcome::Ok),
        ];
        assert_eq!(totals(&reports), counts(106, 1, 2));
        assert!(!all_ok(&reports));
    }

    #[test]
    fn a_failed_build_and_the_layer_it_skipped_count_as_failures() {
        // The fresh-machine run that once printed `254 passed, 0 failed`.
        let reports = [
            report("native", Some(counts(247, 0, 0)), Outcome::Ok),
            report("browser", Some(counts(7, 0, 0)), Outcome::Ok),
            report("build", None, Outcome::Failed("exit status: 101".into())),
            report(
                "e2e",
                None,
                Outcome::Skipped("the release build failed".into()),
            ),
        ];
        assert_eq!(totals_line(totals(&reports)), "254 passed, 2 failed");
        assert!(!all_ok(&reports));
    }

    #[test]
    fn a_layer_that_failed_without_a_failed_test_counts_once() {
        // A runner that crashed after its passing tests, and a budget check.
        let reports = [
            report(
                "browser",
                Some(counts(5, 0, 0)),
                Outcome::Failed("signal: 9".into()),
            ),
            report("size-budget", None, Outcome::Failed("over".into())),
            report(
                "e2e",
                Some(counts(3, 2, 0)),
                Outcome::Failed("tests failed".into()),
            ),
        ];
        assert_eq!(totals(&reports), counts(8, 4, 0));
    }

    #[test]
    fn all_ok_needs_some_tests() {
        assert!(all_ok(&[report(
            "native",
            Some(counts(1, 0, 0)),
            Outcome::Ok
        )]));
        assert!(!all_ok(&[report(
            "native",
            Some(counts(0, 0, 5)),
            Outcome::Ok
        )]));
        assert!(!all_ok(&[]));
    }

    #[test]
    fn table_rows_and_reasons() {
        let reports = [
            report("native", Some(counts(12, 0, 1)), Outcome::Ok),
            report("build", None, Outcome::Failed("exit status: 1".into())),
            report(
                "e2e",
                None,
                Outcome::Skipped("the release build failed".into()),
            ),
        ];
        let text = table(&reports);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "layer          passed  failed ignored  seconds  result"
        );
        assert_eq!(
            lines[1],
            "native             12       0       1      1.5  ok"
        );
        assert_eq!(
            lines[2],
            "build               -       -       -      1.5  FAILED"
        );
        assert_eq!(
            lines[3],
            "e2e                 -       -       -      1.5  skipped"
        );
        assert_eq!(
            lines[4],
            "total              12       2       1      4.5  FAILED"
        );
        assert_eq!(lines[5], "build: FAILED: exit status: 1");
        assert_eq!(lines[6], "e2e: skipped: the release build failed");
        assert_eq!(lines.len(), 7);
    }
}
