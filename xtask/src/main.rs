//! `cargo xtask <command>`: the project's tool setup, dev server, release
//! build, test pipeline and size report, in Rust so CI and people run the same.

mod assets;
mod bench;
mod compact;
mod error;
mod glue;
mod layers;
mod lockfile;
mod postbuild;
mod precompress;
mod run;
mod sizes;
mod summary;
mod tools;
mod version;
mod wasm_order;
mod webdriver;

use std::env;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use error::Error;
use layers::Layer;
use tools::Needs;

pub const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup                 install the wasm32 target, trunk, wasm-bindgen-cli,
                        wasm-opt (binaryen 132) and Chromium + ChromeDriver where
                        missing
  serve [--port N] [--trunk]
                        set up, build the release app, then run cca-server on
                        127.0.0.1:N (default 8080): the demo organization, or
                        your own with ANTHROPIC_ADMIN_KEY set; --trunk: `trunk
                        serve` instead (live reload, in-browser demo data)
  build [--public-url U]
                        set up, then `trunk build --release` into dist/, with
                        name.br and name.gz beside each compressible file; U:
                        where the files will be served from (default /)
  server-release        build, then the release cca-server with the app
                        embedded (target/server/cca-server): one file to deploy
  test [--layer L]...   set up, then run the test layers native, browser, e2e
                        (L picks one; repeatable) and print the summary
  sizes [--markdown] [--max KIB]
                        bytes shipped in dist/ by type: raw, gzip, brotli; fails
                        when a first visit loads more brotli bytes than KIB
                        (default: the budget in xtask/src/sizes.rs)
  bench                 release build, browser benchmarks (decode + aggregate,
                        chart redraw, team sort), cold page loads (first chart,
                        memory, latency) and sizes into docs/benchmarks.md
  post-build            (run by Trunk's post_build hook) in release builds,
                        order the wasm's functions by their code and shorten
                        its import and export names (wasm-opt),
                        minify the JS glue (terser) and the CSS (lightningcss);
                        move the inline start script into a hashed file for a
                        strict CSP; write 404.html; write name.br and name.gz
                        beside each compressible file";

#[derive(Debug, PartialEq, Eq)]
enum Cmd {
    Help,
    Setup,
    Serve {
        port: u16,
        trunk: bool,
    },
    Build {
        public_url: Option<String>,
    },
    ServerRelease,
    Test {
        layers: Vec<Layer>,
    },
    Sizes {
        markdown: bool,
        max_kib: Option<u64>,
    },
    PostBuild,
    Bench,
}

/// `--name value` or `--name=value`: the value, consuming it from `args`.
fn flag_value<'a>(
    arg: &'a str,
    name: &str,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Result<Option<&'a str>, Error> {
    if arg == name {
        return rest
            .next()
            .map(|v| Some(v.as_str()))
            .ok_or_else(|| Error::Usage(format!("{name} needs a value")));
    }
    Ok(arg.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
}

fn parse_args(args: &[String]) -> Result<Cmd, Error> {
    let Some((command, rest)) = args.split_first() else {
        return Err(Error::Usage("no command given".into()));
    };
    let mut rest = rest.iter();
    let unexpected =
        |arg: &str| Error::Usage(format!("unexpected argument `{arg}` for `{command}`"));
    match command.as_str() {
        "help" | "-h" | "--help" => Ok(Cmd::Help),
        "setup" | "post-build" | "bench" | "server-release" => match rest.next() {
            Some(arg) => Err(unexpected(arg)),
            None if command == "setup" => Ok(Cmd::Setup),
            None if command == "bench" => Ok(Cmd::Bench),
            None if command == "server-release" => Ok(Cmd::ServerRelease),
            None => Ok(Cmd::PostBuild),
        },
        "build" => {
            let mut public_url = None;
            while let Some(arg) = rest.next() {
                let value =
                    flag_value(arg, "--public-url", &mut rest)?.ok_or_else(|| unexpected(arg))?;
                if value.is_empty() {
                    return Err(Error::Usage("--public-url needs a value".into()));
                }
                public_url = Some(value.to_owned());
            }
            Ok(Cmd::Build { public_url })
        }
        "serve" => {
            let (mut port, mut trunk) = (8080, false);
            while let Some(arg) = rest.next() {
                if arg == "--trunk" {
                    trunk = true;
                    continue;
                }
                let value = flag_value(arg, "--port", &mut rest)?.ok_or_else(|| unexpected(arg))?;
                port = value
                    .parse()
                    .ok()
                    .filter(|p| *p != 0)
                    .ok_or_else(|| Error::Usage(format!("bad port `{value}`")))?;
            }
            Ok(Cmd::Serve { port, trunk })
        }
        "test" => {
            let mut layers = Vec::new();
            while let Some(arg) = rest.next() {
                let value =
                    flag_value(arg, "--layer", &mut rest)?.ok_or_else(|| unexpected(arg))?;
                let layer = Layer::parse(value).ok_or_else(|| {
                    Error::Usage(format!("unknown layer `{value}` (native, browser or e2e)"))
                })?;
                layers.push(layer);
            }
            if layers.is_empty() {
                layers = Layer::ALL.to_vec();
            }
            layers.sort();
            layers.dedup();
            Ok(Cmd::Test { layers })
        }
        "sizes" => {
            let (mut markdown, mut max_kib) = (false, None);
            while let Some(arg) = rest.next() {
                if arg == "--markdown" {
                    markdown = true;
                    continue;
                }
                let value = flag_value(arg, "--max", &mut rest)?.ok_or_else(|| unexpected(arg))?;
                max_kib = Some(
                    value
                        .parse()
                        .ok()
                        .filter(|k| *k > 0)
                        .ok_or_else(|| Error::Usage(format!("bad --max `{value}` (KiB)")))?,
                );
            }
            Ok(Cmd::Sizes { markdown, max_kib })
        }
        other => Err(Error::Usage(format!("unknown command `{other}`"))),
    }
}

/// The repo root: `$CCA_REPO_ROOT`, else the parent of this crate.
fn repo_root() -> PathBuf {
    env::var_os("CCA_REPO_ROOT").map_or_else(
        || {
            let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
            manifest.parent().unwrap_or(manifest).to_path_buf()
        },
        PathBuf::from,
    )
}

fn execute(cmd: Cmd) -> Result<ExitCode, Error> {
    let repo = repo_root();
    match cmd {
        Cmd::Help => println!("{USAGE}"),
        Cmd::Setup => {
            tools::setup(&repo, Needs::ALL)?;
            println!("setup complete");
        }
        Cmd::Serve { port, trunk: true } => {
            // Serving needs no Chromium: you open the page in your own browser.
            let tools = tools::setup(&repo, Needs::BUILD)?;
            let mut trunk = tools.trunk()?;
            trunk
                .current_dir(&repo)
                .args(["serve", "--address", "127.0.0.1", "--port"])
                .arg(port.to_string());
            println!("open http://127.0.0.1:{port}/claude-code/ (Ctrl-C stops the server)");
            run::checked(&mut trunk)?;
        }
        Cmd::Serve { port, trunk: false } => {
            let tools = tools::setup(&repo, Needs::BUILD)?;
            run::checked(&mut layers::release_build(&tools, &repo)?)?;
            // The server inherits ANTHROPIC_ADMIN_KEY: with it, the
            // organization's data; without it, the demo organization.
            let mut server = tools.cargo();
            server
                .current_dir(&repo)
                .args(["run", "--package", "cca-server", "--", "--listen"])
                .arg(format!("127.0.0.1:{port}"))
                .arg("--dist")
                .arg(repo.join("dist"));
            let data = if env::var_os("ANTHROPIC_ADMIN_KEY").is_some() {
                "your organization's data (ANTHROPIC_ADMIN_KEY)"
            } else {
                "the demo organization (set ANTHROPIC_ADMIN_KEY for yours)"
            };
            println!(
                "open http://127.0.0.1:{port}/claude-code/ for {data} (Ctrl-C stops the server)"
            );
            run::checked(&mut server)?;
        }
        Cmd::Build { public_url } => {
            let tools = tools::setup(&repo, Needs::BUILD)?;
            let mut build = match public_url {
                Some(url) => layers::release_build_for(&tools, &repo, &url)?,
                None => layers::release_build(&tools, &repo)?,
            };
            run::checked(&mut build)?;
            println!("release build in {}", repo.join("dist").display());
        }
        Cmd::ServerRelease => {
            // Serving from `--dist` (`serve`) needs no server rebuild when the
            // app changes; a deployment wants one file, so here the app goes
            // into the binary (server/build.rs, the `embed-app` feature).
            let tools = tools::setup(&repo, Needs::BUILD)?;
            run::checked(&mut layers::release_build(&tools, &repo)?)?;
            let mut build = tools.cargo();
            build
                .current_dir(&repo)
                .args(["build", "--profile", "server", "--package", "cca-server"])
                .args(["--features", "embed-app"])
                .env("CCA_EMBED_DIST", repo.join("dist"));
            run::checked(&mut build)?;
            let target = target_dir(&repo);
            println!(
                "{}: cca-server with the app embedded (`--help` for its options)",
                target.join("server").join("cca-server").display()
            );
        }
        Cmd::Test { layers } => {
            let needs = layers
                .iter()
                .fold(Needs::default(), |n, l| n.union(l.needs()));
            let tools = tools::setup(&repo, needs)?;
            let reports = layers::run_layers(&tools, &repo, &layers);
            println!();
            print!("{}", summary::table(&reports));
            println!("{}", summary::totals_line(summary::totals(&reports)));
            if !summary::all_ok(&reports) {
                return Ok(ExitCode::FAILURE);
            }
        }
        Cmd::Bench => {
            let tools = tools::setup(&repo, Needs::ALL)?;
            run::checked(&mut layers::release_build(&tools, &repo)?)?;
            run::checked(&mut bench::reference_build(&tools, &repo)?)?;
            let browser = bench::run_browser(&tools, &repo)?;
            let pageload = bench::run_pageload(&tools, &repo)?;
            let date = run::capture(std::process::Command::new("date").args(["-u", "+%Y-%m-%d"]))
                .map(|d| d.trim().to_owned())
                .unwrap_or_else(|| "today".to_owned());
            let results = bench::Results {
                browser: &browser,
                pageload: &pageload,
            };
            bench::write_doc(&repo, &results, &repo.join("dist"), &date)?;
            println!();
            print!("{}", bench::render(&browser));
            println!();
            print!("{}", bench::render(&pageload));
            println!("written to docs/benchmarks.md");
        }
        Cmd::PostBuild => {
            let staging =
                env::var_os("TRUNK_STAGING_DIR").ok_or(Error::Env("TRUNK_STAGING_DIR"))?;
            let public_url = env::var("TRUNK_PUBLIC_URL").unwrap_or_else(|_| "/".to_owned());
            let release = env::var("TRUNK_PROFILE").is_ok_and(|p| p == "release");
            postbuild::run(Path::new(&staging), &public_url, release)?;
        }
        Cmd::Sizes { markdown, max_kib } => {
            let files = sizes::measure(&repo.join("dist"))?;
            if markdown {
                print!("{}", sizes::render_markdown(&files));
            } else {
                print!("{}", sizes::render_text(&files));
            }
            let max = max_kib.map_or(sizes::BUDGET_BROTLI, |k| k.saturating_mul(1024));
            let brotli = sizes::check_budget(&files, max)?;
            println!(
                "first visit: {} brotli, budget {}",
                sizes::human(brotli),
                sizes::human(max)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    match parse_args(&args).and_then(execute) {
        Ok(code) => code,
        Err(Error::Usage(msg)) => {
            eprintln!("xtask: {}", Error::Usage(msg));
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Where cargo builds: `$CARGO_TARGET_DIR`, else the workspace's `target/`.
pub fn target_dir(repo: &Path) -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo.join("target"), PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cmd, Error> {
        parse_args(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn commands() {
        assert_eq!(parse(&["setup"]).unwrap(), Cmd::Setup);
        assert_eq!(parse(&["build"]).unwrap(), Cmd::Build { public_url: None });
        assert_eq!(
            parse(&["build", "--public-url", "https://cdn.example.com/cca/"]).unwrap(),
            Cmd::Build {
                public_url: Some("https://cdn.example.com/cca/".into())
            }
        );
        assert!(parse(&["build", "--public-url="]).is_err());
        assert!(parse(&["build", "--release"]).is_err());
        assert_eq!(parse(&["post-build"]).unwrap(), Cmd::PostBuild);
        assert_eq!(parse(&["bench"]).unwrap(), Cmd::Bench);
        assert_eq!(parse(&["server-release"]).unwrap(), Cmd::ServerRelease);
        assert_eq!(parse(&["--help"]).unwrap(), Cmd::Help);
        assert_eq!(
            parse(&["serve"]).unwrap(),
            Cmd::Serve {
                port: 8080,
                trunk: false
            }
        );
        assert_eq!(
            parse(&["serve", "--port", "9000"]).unwrap(),
            Cmd::Serve {
                port: 9000,
                trunk: false
            }
        );
        assert_eq!(
            parse(&["serve", "--trunk", "--port=9001"]).unwrap(),
            Cmd::Serve {
                port: 9001,
                trunk: true
            }
        );
        assert_eq!(
            parse(&["sizes"]).unwrap(),
            Cmd::Sizes {
                markdown: false,
                max_kib: None
            }
        );
        assert_eq!(
            parse(&["sizes", "--markdown", "--max", "240"]).unwrap(),
            Cmd::Sizes {
                markdown: true,
                max_kib: Some(240)
            }
        );
    }

    #[test]
    fn test_layers_are_deduplicated_in_pipeline_order() {
        assert_eq!(
            parse(&["test"]).unwrap(),
            Cmd::Test {
                layers: Layer::ALL.to_vec()
            }
        );
        assert_eq!(
            parse(&["test", "--layer", "e2e", "--layer=native", "--layer", "e2e"]).unwrap(),
            Cmd::Test {
                layers: vec![Layer::Native, Layer::E2e]
            }
        );
    }

    #[test]
    fn bad_arguments_are_usage_errors() {
        for args in [
            &[][..],
            &["deploy"],
            &["setup", "--force"],
            &["server-release", "--public-url", "/x/"],
            &["serve", "--port"],
            &["serve", "--port", "0"],
            &["serve", "--port", "70000"],
            &["serve", "8080"],
            &["test", "--layer", "unit"],
            &["test", "--layers=native"],
            &["sizes", "--markdown", "x"],
            &["sizes", "--max", "0"],
            &["sizes", "--max=lots"],
        ] {
            assert!(matches!(parse(args), Err(Error::Usage(_))), "{args:?}");
        }
    }
}
