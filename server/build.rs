//! Opt-in embedding of the app (`--features embed-app`). rust-embed does the
//! embedding (src/assets.rs); this script only tells it which directory and
//! tells cargo when to rebuild, which a proc macro cannot do on stable Rust:
//! without `rerun-if-changed` on the directory, a new build with new file
//! names (or another `CCA_EMBED_DIST`) would leave the old app in the binary.
//!
//! `CCA_EMBED_DIST`: the build to embed; a relative path is taken from the
//! workspace root; default the workspace's `dist/` (`cargo xtask build`).

use std::env;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const DIST_ENV: &str = "CCA_EMBED_DIST";

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed={DIST_ENV}");
    if env::var_os("CARGO_FEATURE_EMBED_APP").is_none() {
        return ExitCode::SUCCESS;
    }
    // Cargo always sets CARGO_MANIFEST_DIR for build scripts.
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let workspace = manifest.parent().unwrap_or(&manifest).to_path_buf();
    let dist = env::var_os(DIST_ENV).map_or_else(|| workspace.join("dist"), PathBuf::from);
    let dist = if dist.is_relative() {
        workspace.join(dist)
    } else {
        dist
    };
    match check(&dist) {
        Ok(dist) => {
            println!("cargo:rerun-if-changed={}", dist.display());
            println!("cargo:rustc-env=CCA_EMBED_DIR={}", dist.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: cca-server --features embed-app: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The canonical path of a release build in `dist`, or why it is not one.
fn check(dist: &Path) -> Result<PathBuf, String> {
    let dist = dist.canonicalize().map_err(|e| {
        format!(
            "no app build in {} ({e}): run `cargo xtask build` first, or set {DIST_ENV}",
            dist.display()
        )
    })?;
    let names: Vec<String> = std::fs::read_dir(&dist)
        .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    if !names.iter().any(|n| n == "index.html") || !names.iter().any(|n| n.ends_with(".wasm")) {
        return Err(format!(
            "{} has no index.html and .wasm: not a release build of the app (`cargo xtask build`)",
            dist.display()
        ));
    }
    // The path travels in a one-line `cargo:` instruction, and rust-embed
    // expands `$VAR` and `~` in it again.
    if dist.to_str().is_none_or(|s| s.contains(['\n', '$', '~'])) {
        return Err(format!(
            "{} cannot be passed on (it must be UTF-8, one line, without `$` or `~`)",
            dist.display()
        ));
    }
    if !names.iter().any(|n| n.ends_with(".br")) {
        println!(
            "cargo:warning=the app in {} has no .br/.gz copies: browsers get it uncompressed \
             (`cargo xtask build` writes them)",
            dist.display()
        );
    }
    Ok(dist)
}
