//! `cargo xtask test`: runs the test layers in order, keeps going after a
//! failure, and sums each layer's libtest summaries.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::error::Error;
use crate::run;
use crate::sizes;
use crate::summary::{self, Counts, LayerReport, Outcome};
use crate::tools::{self, Needs, Toolbox};
use crate::webdriver;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// `cargo test` on the host (every crate but the end-to-end one).
    Native,
    /// wasm-bindgen-test in headless Chromium.
    Browser,
    /// The release build, then the end-to-end tests against it.
    E2e,
}

impl Layer {
    pub const ALL: [Layer; 3] = [Layer::Native, Layer::Browser, Layer::E2e];

    pub fn parse(name: &str) -> Option<Layer> {
        match name {
            "native" => Some(Layer::Native),
            "browser" => Some(Layer::Browser),
            "e2e" => Some(Layer::E2e),
            _ => None,
        }
    }

    pub fn needs(self) -> Needs {
        match self {
            Layer::Native => Needs::default(),
            Layer::Browser => Needs::BROWSER_TESTS,
            Layer::E2e => Needs::ALL,
        }
    }
}

/// `trunk build --release` in the repo root (a following path would need
/// `--release=true`), with the toolchain's prebuilt `std` (stable Rust only).
pub fn release_build(tools: &Toolbox, repo: &Path) -> Result<Command, Error> {
    let mut cmd = tools.trunk()?;
    cmd.current_dir(repo).args(["build", "--release"]);
    Ok(cmd)
}

/// The public URL of the second release build, which the end-to-end tests
/// serve under a sub-path (as a CDN would).
pub const SUBPATH_PUBLIC_URL: &str = "/static/cca/";
/// Where that build goes, relative to the repo.
pub const SUBPATH_DIST: &str = "target/dist-subpath";

/// [`release_build`] for files served from `public_url` (Trunk's `--public-url`).
pub fn release_build_for(tools: &Toolbox, repo: &Path, public_url: &str) -> Result<Command, Error> {
    let mut cmd = release_build(tools, repo)?;
    cmd.args(["--public-url", public_url]);
    Ok(cmd)
}

/// `trunk build --release` with another public URL into [`SUBPATH_DIST`].
pub fn subpath_build(tools: &Toolbox, repo: &Path) -> Result<Command, Error> {
    let mut cmd = release_build_for(tools, repo, SUBPATH_PUBLIC_URL)?;
    cmd.args(["--dist", SUBPATH_DIST]);
    Ok(cmd)
}

/// Runs `layers` (in canonical order) and returns one report per step.
pub fn run_layers(tools: &Toolbox, repo: &Path, layers: &[Layer]) -> Vec<LayerReport> {
    let mut reports = Vec::new();
    for &layer in layers {
        match layer {
            Layer::Native => {
                let mut cmd = tools.cargo();
                cmd.current_dir(repo).args([
                    "test",
                    "--no-fail-fast",
                    "--workspace",
                    "--exclude",
                    "cca-e2e",
                ]);
                reports.push(step("native", Ok(cmd), true));
            }
            Layer::Browser => {
                let cmd = tools.test_runner().and_then(|runner| {
                    let mut cmd = tools.cargo();
                    cmd.current_dir(repo)
                        .args(["test", "--target", tools::TARGET, "--test", "web"])
                        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner)
                        .env("CHROMEDRIVER", tools::CHROMEDRIVER)
                        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
                    webdriver::configure(&mut cmd, repo)?;
                    Ok(cmd)
                });
                reports.push(step("browser", cmd, true));
            }
            Layer::E2e => {
                let build = step("build", release_build(tools, repo), false);
                let mut built = build.outcome == Outcome::Ok;
                reports.push(build);
                if built {
                    reports.push(size_budget(repo));
                }
                if built {
                    let sub = step("build-subpath", subpath_build(tools, repo), false);
                    built = sub.outcome == Outcome::Ok;
                    reports.push(sub);
                }
                if !built {
                    reports.push(LayerReport {
                        name: "e2e",
                        counts: None,
                        seconds: 0.0,
                        outcome: Outcome::Skipped("the release build failed".into()),
                    });
                    continue;
                }
                let mut cmd = tools.cargo();
                cmd.current_dir(repo)
                    .args([
                        "test",
                        "--no-fail-fast",
                        "-p",
                        "cca-e2e",
                        "--",
                        "--test-threads=1",
                    ])
                    .env("CCA_DIST", repo.join("dist"))
                    .env("CCA_DIST_SUBPATH", repo.join(SUBPATH_DIST))
                    .env("CHROMEDRIVER", tools::CHROMEDRIVER)
                    .env("CHROMIUM", tools::CHROMIUM);
                reports.push(step("e2e", Ok(cmd), true));
            }
        }
    }
    reports
}

/// Checks the release build in `dist/` against [`sizes::BUDGET_BROTLI`].
fn size_budget(repo: &Path) -> LayerReport {
    let start = Instant::now();
    let checked = sizes::measure(&repo.join("dist"))
        .and_then(|f| sizes::check_budget(&f, sizes::BUDGET_BROTLI));
    let outcome = match checked {
        Ok(brotli) => {
            println!(
                "xtask: [size-budget] first visit {} brotli, budget {}",
                sizes::human(brotli),
                sizes::human(sizes::BUDGET_BROTLI)
            );
            Outcome::Ok
        }
        Err(e) => Outcome::Failed(e.to_string()),
    };
    LayerReport {
        name: "size-budget",
        counts: None,
        seconds: start.elapsed().as_secs_f64(),
        outcome,
    }
}

/// Runs one step, streaming its output and adding up its test summaries.
fn step(name: &'static str, cmd: Result<Command, Error>, has_tests: bool) -> LayerReport {
    step_with(name, cmd, has_tests, true)
}

fn step_with(
    name: &'static str,
    cmd: Result<Command, Error>,
    has_tests: bool,
    echo: bool,
) -> LayerReport {
    let start = Instant::now();
    let mut counts = Counts::default();
    let mut any_failed = false;
    let outcome = match cmd {
        Err(e) => Outcome::Failed(e.to_string()),
        Ok(mut cmd) => {
            println!("xtask: [{name}] $ {}", run::describe(&cmd));
            let status = run::stream(&mut cmd, echo, |line| {
                if let Some(result) = summary::parse_result_line(line) {
                    counts.add(result.counts);
                    any_failed |= !result.ok;
                }
            });
            match status {
                Err(e) => Outcome::Failed(e.to_string()),
                Ok(s) if any_failed || counts.failed > 0 => {
                    Outcome::Failed(format!("tests failed ({s})"))
                }
                Ok(s) if !s.success() => Outcome::Failed(s.to_string()),
                Ok(_) => Outcome::Ok,
            }
        }
    };
    LayerReport {
        name,
        counts: has_tests.then_some(counts),
        seconds: start.elapsed().as_secs_f64(),
        outcome,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_names() {
        assert_eq!(Layer::parse("native"), Some(Layer::Native));
        assert_eq!(Layer::parse("browser"), Some(Layer::Browser));
        assert_eq!(Layer::parse("e2e"), Some(Layer::E2e));
        assert_eq!(Layer::parse("build"), None);
    }

    #[test]
    fn step_sums_summaries_and_notices_failures() {
        let mut ok = Command::new("sh");
        ok.args([
            "-c",
            "echo 'test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out'; \
             echo 'test result: ok. 2 passed; 0 failed; 0 ignored; 0 filtered out' >&2",
        ]);
        let r = step_with("native", Ok(ok), true, false);
        assert_eq!(r.outcome, Outcome::Ok);
        assert_eq!(
            r.counts,
            Some(Counts {
                passed: 5,
                failed: 0,
                ignored: 1
            })
        );

        let mut failed = Command::new("sh");
        failed.args([
            "-c",
            "echo 'test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured'; exit 101",
        ]);
        let r = step_with("native", Ok(failed), true, false);
        assert!(matches!(r.outcome, Outcome::Failed(_)));
        assert_eq!(r.counts.map(|c| c.failed), Some(1));

        let r = step_with("build", Ok(Command::new("false")), false, false);
        assert_eq!(r.counts, None);
        assert!(matches!(r.outcome, Outcome::Failed(_)));
    }
}
