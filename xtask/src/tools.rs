//! `cargo xtask setup`: finds every tool at its pinned version (anywhere on
//! PATH), installs what is missing or wrong, and hands back a [`Toolbox`]
//! whose PATH puts the verified tools — binaryen's wasm-opt 132 first, never
//! Debian's wasm-opt 108 — ahead of everything else.

use std::env;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;
use crate::{lockfile, run, version};

pub const TARGET: &str = "wasm32-unknown-unknown";
pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";
/// Minifies the JS glue of release builds (`compact`); from npm, like binaryen.
pub const TERSER_VERSION: &str = "5.51.4";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const APT_PACKAGES: [&str; 3] = ["chromium", "chromium-driver", "fonts-dejavu-core"];
/// Halve `cargo install` time: the tools need no fat LTO.
const INSTALL_ENV: [(&str, &str); 2] = [
    ("CARGO_PROFILE_RELEASE_LTO", "false"),
    ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
];

/// Which tools a command needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    pub target: bool,
    pub trunk: bool,
    pub wasm_bindgen: bool,
    pub wasm_opt: bool,
    pub terser: bool,
    pub chromium: bool,
}

impl Needs {
    pub const ALL: Needs = Needs {
        target: true,
        trunk: true,
        wasm_bindgen: true,
        wasm_opt: true,
        terser: true,
        chromium: true,
    };
    /// What `trunk build` / `trunk serve` need.
    pub const BUILD: Needs = Needs {
        chromium: false,
        ..Needs::ALL
    };
    /// What wasm-bindgen-test in headless Chromium needs.
    pub const BROWSER_TESTS: Needs = Needs {
        trunk: false,
        wasm_opt: false,
        terser: false,
        ..Needs::ALL
    };

    pub fn union(self, o: Needs) -> Needs {
        Needs {
            target: self.target || o.target,
            trunk: self.trunk || o.trunk,
            wasm_bindgen: self.wasm_bindgen || o.wasm_bindgen,
            wasm_opt: self.wasm_opt || o.wasm_opt,
            terser: self.terser || o.terser,
            chromium: self.chromium || o.chromium,
        }
    }
}

/// The verified tools, and the PATH every child process gets.
pub struct Toolbox {
    path: OsString,
    trunk: Option<PathBuf>,
    test_runner: Option<PathBuf>,
}

impl Toolbox {
    /// A command for `program` with the tool PATH.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path);
        cmd
    }

    /// The cargo that runs xtask (`$CARGO`), else `cargo` from PATH.
    pub fn cargo(&self) -> Command {
        self.command(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
    }

    pub fn trunk(&self) -> Result<Command, Error> {
        let trunk = self.trunk.as_ref().ok_or_else(|| not_set_up("trunk"))?;
        Ok(self.command(trunk))
    }

    pub fn test_runner(&self) -> Result<&Path, Error> {
        self.test_runner
            .as_deref()
            .ok_or_else(|| not_set_up("wasm-bindgen-test-runner"))
    }
}

fn not_set_up(tool: &str) -> Error {
    Error::Tool {
        tool: tool.into(),
        help: "not set up for this command (xtask bug)".into(),
    }
}

/// Where things live: our npm tools, cargo's bin dir, and the user's PATH.
struct Places {
    binaryen: PathBuf,
    terser: PathBuf,
    cargo_bin: PathBuf,
    user_path: Vec<PathBuf>,
}

impl Places {
    fn from_env() -> Result<Places, Error> {
        let home = PathBuf::from(env::var_os("HOME").ok_or(Error::Env("HOME"))?);
        let cargo_home =
            env::var_os("CARGO_HOME").map_or_else(|| home.join(".cargo"), PathBuf::from);
        let tools = home.join(".cache/claude-code-analytics/tools");
        Ok(Places {
            binaryen: tools.join(format!("binaryen-{BINARYEN_VERSION}")),
            terser: tools.join(format!("terser-{TERSER_VERSION}")),
            cargo_bin: cargo_home.join("bin"),
            user_path: env::var_os("PATH")
                .map(|p| env::split_paths(&p).collect())
                .unwrap_or_default(),
        })
    }

    fn binaryen_bin(&self) -> PathBuf {
        npm_bin(&self.binaryen)
    }

    /// Where to look for tools: ours first, then cargo's, then the user's PATH.
    fn search(&self) -> Vec<PathBuf> {
        let mut dirs = vec![
            self.binaryen_bin(),
            npm_bin(&self.terser),
            self.cargo_bin.clone(),
        ];
        dirs.extend(self.user_path.iter().cloned());
        dedup(dirs)
    }
}

/// Where `npm install --prefix <prefix>` puts executables.
fn npm_bin(prefix: &Path) -> PathBuf {
    prefix.join("node_modules/.bin")
}

fn dedup(dirs: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::with_capacity(dirs.len());
    for d in dirs {
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

/// Makes sure the tools in `needs` are installed at their pinned versions.
pub fn setup(repo: &Path, needs: Needs) -> Result<Toolbox, Error> {
    let places = Places::from_env()?;
    // Verified tools' directories go first on the PATH, wasm-opt's at the very front.
    let mut front: Vec<PathBuf> = Vec::new();
    let mut trunk = None;
    let mut test_runner = None;

    if needs.target {
        ensure_target()?;
    }
    if needs.wasm_opt {
        let wasm_opt = ensure_wasm_opt(&places)?;
        front.extend(wasm_opt.parent().map(Path::to_path_buf));
    } else {
        front.push(places.binaryen_bin());
    }
    if needs.terser {
        let terser = ensure_terser(&places)?;
        front.extend(terser.parent().map(Path::to_path_buf));
    }
    if needs.wasm_bindgen {
        let (bindgen, runner) = ensure_wasm_bindgen(repo, &places)?;
        front.extend(bindgen.parent().map(Path::to_path_buf));
        front.extend(runner.parent().map(Path::to_path_buf));
        test_runner = Some(runner);
    }
    if needs.trunk {
        // Trunk runs cargo with `--offline` (Trunk.toml `offline = true`): the
        // crates must be in cargo's cache before the first build.
        let mut fetch = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        fetch.current_dir(repo).arg("fetch").arg("--quiet");
        run::checked(&mut fetch)?;
        println!("ok crates fetched");
        let found = ensure_cli(&places, &TRUNK, TRUNK_VERSION, || {
            cargo_install(&["trunk", "--version", TRUNK_VERSION, "--locked"])
        })?;
        front.extend(found.parent().map(Path::to_path_buf));
        trunk = Some(found);
    }
    if needs.chromium {
        ensure_chromium()?;
    }

    front.push(places.cargo_bin.clone());
    front.extend(places.user_path.iter().cloned());
    let path = env::join_paths(dedup(front)).map_err(|e| Error::Tool {
        tool: "PATH".into(),
        help: e.to_string(),
    })?;
    Ok(Toolbox {
        path,
        trunk,
        test_runner,
    })
}

/// The wasm-opt (binaryen 132) that `setup` verified, for the post-build step:
/// our tools dir first, then PATH, never installed here. `None` when missing.
pub fn find_wasm_opt() -> Option<PathBuf> {
    find_verified(&WASM_OPT, BINARYEN_VERSION)
}

/// The terser (5.51.4) that `setup` verified; see [`find_wasm_opt`].
pub fn find_terser() -> Option<PathBuf> {
    find_verified(&TERSER, TERSER_VERSION)
}

fn find_verified(cli: &Cli, want: &str) -> Option<PathBuf> {
    match find(cli, want, &Places::from_env().ok()?.search()) {
        Found::Right(path) => Some(path),
        Found::Wrong(_) | Found::Missing => None,
    }
}

/// A command-line tool and how to read its version.
struct Cli {
    /// The name in status lines (`wasm-bindgen-cli`).
    label: &'static str,
    /// The executable (`wasm-bindgen`).
    exe: &'static str,
    read: fn(&str, &str) -> Option<String>,
}

const TRUNK: Cli = Cli {
    label: "trunk",
    exe: "trunk",
    read: version::cli_version,
};
const WASM_BINDGEN: Cli = Cli {
    label: "wasm-bindgen-cli",
    exe: "wasm-bindgen",
    read: version::cli_version,
};
const TEST_RUNNER: Cli = Cli {
    label: "wasm-bindgen-cli",
    exe: "wasm-bindgen-test-runner",
    read: version::cli_version,
};
const TERSER: Cli = Cli {
    label: "terser",
    exe: "terser",
    read: version::cli_version,
};
const WASM_OPT: Cli = Cli {
    label: "wasm-opt",
    exe: "wasm-opt",
    read: |out, _| version::wasm_opt_version(out),
};

enum Found {
    Right(PathBuf),
    /// Only other versions (or unreadable ones); says which, for the status line.
    Wrong(String),
    Missing,
}

/// The first `cli.exe` in `dirs` at version `want`.
fn find(cli: &Cli, want: &str, dirs: &[PathBuf]) -> Found {
    let mut seen = Vec::new();
    for dir in dirs {
        let exe = dir.join(cli.exe);
        if !is_executable(&exe) {
            continue;
        }
        let got = run::capture(Command::new(&exe).arg("--version"))
            .and_then(|out| (cli.read)(&out, cli.exe));
        match got {
            Some(v) if v == want => return Found::Right(exe),
            Some(v) => seen.push(format!("{v} at {}", exe.display())),
            None => seen.push(format!("unknown version at {}", exe.display())),
        }
    }
    if seen.is_empty() {
        Found::Missing
    } else {
        Found::Wrong(seen.join(", "))
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

fn found_note(found: &Found) -> String {
    match found {
        Found::Right(p) => format!("at {}", p.display()),
        Found::Wrong(what) => format!("found {what}"),
        Found::Missing => "not found".into(),
    }
}

/// Finds `cli` at `want`, or installs it with `install` and checks again.
fn ensure_cli(
    places: &Places,
    cli: &Cli,
    want: &str,
    install: impl FnOnce() -> Result<(), Error>,
) -> Result<PathBuf, Error> {
    let found = find(cli, want, &places.search());
    if let Found::Right(path) = found {
        println!("ok {} {want} ({})", cli.label, path.display());
        return Ok(path);
    }
    println!("installing {} {want} ({}) …", cli.label, found_note(&found));
    install()?;
    match find(cli, want, &places.search()) {
        Found::Right(path) => {
            println!("ok {} {want} ({})", cli.label, path.display());
            Ok(path)
        }
        other => Err(Error::Tool {
            tool: cli.label.into(),
            help: format!(
                "installed {want} but still {}; check PATH",
                found_note(&other)
            ),
        }),
    }
}

fn cargo_install(args: &[&str]) -> Result<(), Error> {
    let mut cmd = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.arg("install").args(args).envs(INSTALL_ENV);
    run::checked(&mut cmd)
}

fn ensure_target() -> Result<(), Error> {
    ensure_rustup("target", TARGET)
}

/// The active toolchain's `kind` (`target` or `component`) `name`, added with
/// rustup unless `rustup <kind> list --installed` lists it already.
fn ensure_rustup(kind: &str, name: &str) -> Result<(), Error> {
    let installed = run::capture(Command::new("rustup").args([kind, "list", "--installed"]))
        .ok_or_else(|| Error::Tool {
            tool: "rustup".into(),
            help: format!("not found; install the {name} {kind} for your Rust toolchain"),
        })?;
    if installed.lines().any(|l| l.trim() == name) {
        println!("ok {name} {kind}");
        return Ok(());
    }
    println!("installing {name} {kind} …");
    run::checked(Command::new("rustup").args([kind, "add", name]))
}

/// Both wasm-bindgen executables at Cargo.lock's `wasm-bindgen` version.
fn ensure_wasm_bindgen(repo: &Path, places: &Places) -> Result<(PathBuf, PathBuf), Error> {
    let lock_path = repo.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).map_err(|e| Error::io(&lock_path, e))?;
    let want = lockfile::package_version(&lock, "wasm-bindgen")?;
    let both = |dirs: &[PathBuf]| match (
        find(&WASM_BINDGEN, &want, dirs),
        find(&TEST_RUNNER, &want, dirs),
    ) {
        (Found::Right(a), Found::Right(b)) => Ok((a, b)),
        (a, b) => Err(format!(
            "wasm-bindgen {}, wasm-bindgen-test-runner {}",
            found_note(&a),
            found_note(&b)
        )),
    };
    let show = |(a, b): &(PathBuf, PathBuf)| {
        println!(
            "ok wasm-bindgen-cli {want} ({}, {})",
            a.display(),
            b.display()
        );
    };
    match both(&places.search()) {
        Ok(found) => {
            show(&found);
            return Ok(found);
        }
        Err(note) => println!("installing wasm-bindgen-cli {want} ({note}) …"),
    }
    // Without --locked: its lockfile wants a crate version this registry lacks.
    cargo_install(&["wasm-bindgen-cli", "--version", &want])?;
    let found = both(&places.search()).map_err(|note| Error::Tool {
        tool: "wasm-bindgen-cli".into(),
        help: format!("installed {want} but {note}; check PATH"),
    })?;
    show(&found);
    Ok(found)
}

/// wasm-opt from npm's `binaryen@132` in our tools dir (or one on PATH that
/// says version 132). Debian's wasm-opt 108 builds an app that fails to load.
fn ensure_wasm_opt(places: &Places) -> Result<PathBuf, Error> {
    ensure_cli(places, &WASM_OPT, BINARYEN_VERSION, || {
        npm_install(&places.binaryen, "binaryen", BINARYEN_VERSION, "wasm-opt")
    })
}

/// terser from npm in our tools dir (or one on PATH at that version).
fn ensure_terser(places: &Places) -> Result<PathBuf, Error> {
    ensure_cli(places, &TERSER, TERSER_VERSION, || {
        npm_install(&places.terser, "terser", TERSER_VERSION, "terser")
    })
}

/// `npm install --prefix <prefix> <package>@<version>`, for the tool `tool`.
fn npm_install(prefix: &Path, package: &str, version: &str, tool: &str) -> Result<(), Error> {
    std::fs::create_dir_all(prefix).map_err(|e| Error::io(prefix, e))?;
    let mut npm = Command::new("npm");
    npm.arg("install")
        .arg("--prefix")
        .arg(prefix)
        .arg(format!("{package}@{version}"))
        .args(["--no-audit", "--no-fund"]);
    run::checked(&mut npm).map_err(|e| match e {
        Error::Spawn { .. } => Error::Tool {
            tool: tool.into(),
            help: "npm not found: install Node.js and npm (apt-get install nodejs npm), then rerun"
                .into(),
        },
        other => other,
    })
}

/// `/usr/bin/chromium` and `/usr/bin/chromedriver` with the same major version.
fn chromium_status() -> Result<u32, String> {
    let major = |exe: &str, product: &str| {
        if !is_executable(Path::new(exe)) {
            return None;
        }
        run::capture(Command::new(exe).arg("--version"))
            .and_then(|o| version::chrome_major(&o, product))
    };
    let show = |m: Option<u32>| m.map_or_else(|| "missing".to_string(), |m| m.to_string());
    match (
        major(CHROMIUM, "Chromium"),
        major(CHROMEDRIVER, "ChromeDriver"),
    ) {
        (Some(a), Some(b)) if a == b => Ok(a),
        (a, b) => Err(format!("chromium {}, chromedriver {}", show(a), show(b))),
    }
}

fn ensure_chromium() -> Result<(), Error> {
    let note = match chromium_status() {
        Ok(major) => {
            println!("ok chromium {major} + chromedriver {major}");
            return Ok(());
        }
        Err(note) => note,
    };
    println!("installing chromium + chromedriver ({note}) …");
    let packages = APT_PACKAGES.join(" ");
    let by_hand = format!(
        "run as root: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends {packages}"
    );
    let sudo = if is_root() {
        false
    } else if run::capture(Command::new("sudo").arg("--version")).is_some() {
        true
    } else {
        return Err(Error::Tool {
            tool: "chromium".into(),
            help: format!("not root and no sudo; {by_hand}"),
        });
    };
    let apt = |args: &[&str]| {
        let mut cmd = Command::new(if sudo { "sudo" } else { "apt-get" });
        if sudo {
            cmd.args(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        } else {
            cmd.env("DEBIAN_FRONTEND", "noninteractive");
        }
        cmd.args(args);
        cmd
    };
    let apt_failed = |e: Error| {
        match e {
        Error::Spawn { .. } => Error::Tool {
            tool: "chromium".into(),
            help: format!("apt-get not available; install Chromium and ChromeDriver of the same version at {CHROMIUM} and {CHROMEDRIVER}"),
        },
        other => other,
    }
    };
    run::checked(&mut apt(&["update"])).map_err(apt_failed)?;
    let mut install = apt(&["install", "-y", "--no-install-recommends"]);
    install.args(APT_PACKAGES);
    run::checked(&mut install).map_err(apt_failed)?;
    match chromium_status() {
        Ok(major) => {
            println!("ok chromium {major} + chromedriver {major}");
            Ok(())
        }
        Err(note) => Err(Error::Tool {
            tool: "chromium".into(),
            help: format!("installed, but {note}"),
        }),
    }
}

fn is_root() -> bool {
    run::capture(Command::new("id").arg("-u"))
        .is_some_and(|out| out.lines().next().map(str::trim) == Some("0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_presets() {
        let build_only = Needs {
            target: true,
            trunk: true,
            wasm_bindgen: true,
            wasm_opt: true,
            terser: true,
            chromium: false,
        };
        assert_eq!(Needs::BUILD, build_only);
        let browser = Needs {
            target: true,
            trunk: false,
            wasm_bindgen: true,
            wasm_opt: false,
            terser: false,
            chromium: true,
        };
        assert_eq!(Needs::BROWSER_TESTS, browser);
        assert_eq!(Needs::BUILD.union(Needs::BROWSER_TESTS), Needs::ALL);
        assert_eq!(Needs::default().union(Needs::default()), Needs::default());
    }

    #[test]
    fn dedup_keeps_first_occurrence_order() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            dedup(vec![p("/a"), p("/b"), p("/a"), p("/c"), p("/b")]),
            vec![p("/a"), p("/b"), p("/c")]
        );
    }

    #[test]
    fn find_reads_versions_and_prefers_the_right_one() {
        let root = env::temp_dir().join(format!("xtask-find-{}", std::process::id()));
        let (old, new) = (root.join("old"), root.join("new"));
        for (dir, v) in [(&old, "0.20.0"), (&new, TRUNK_VERSION)] {
            std::fs::create_dir_all(dir).unwrap();
            let exe = dir.join("trunk");
            std::fs::write(&exe, format!("#!/bin/sh\necho trunk {v}\n")).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
        }
        let dirs = [root.join("none"), old.clone(), new.clone()];
        match find(&TRUNK, TRUNK_VERSION, &dirs) {
            Found::Right(p) => assert_eq!(p, new.join("trunk")),
            other => panic!("{}", found_note(&other)),
        }
        match find(&TRUNK, TRUNK_VERSION, &dirs[..2]) {
            Found::Wrong(note) => {
                assert_eq!(note, format!("0.20.0 at {}", old.join("trunk").display()))
            }
            other => panic!("{}", found_note(&other)),
        }
        assert!(matches!(
            find(&TRUNK, TRUNK_VERSION, &dirs[..1]),
            Found::Missing
        ));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
