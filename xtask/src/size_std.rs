//! Release wasm builds compile their own standard library, for size.
//!
//! The prebuilt `std` for wasm32 comes optimized for speed, with every panic's
//! file, line and column in its data. Building it with the app (`build-std`)
//! lets LTO and `opt-level = "z"` reach into it, its `optimize_for_size`
//! feature picks std's smaller algorithms, and `-Zlocation-detail=none` leaves
//! the locations out of panic messages (the message text and the app's crash
//! panel stay). Measured: wasm 753.7 → 714.5 KiB raw, 239.4 → 228.8 KiB
//! brotli (`cargo xtask sizes`); first chart, memory, decode and redraws unchanged in interleaved
//! A/Bs, the team sort at 10,000 members 1–1.5 ms slower (docs/benchmarks.md).
//!
//! These are unstable cargo and rustc features. `RUSTC_BOOTSTRAP=1` turns them
//! on for the stable toolchain (as Firefox and the Linux kernel builds do) and
//! `build-std` needs the toolchain's `rust-src` component, which `cargo xtask
//! setup` installs. Only release builds of the app use this: dev builds,
//! `trunk serve` and the browser tests keep the prebuilt `std` and full panic
//! locations.

use std::process::Command;

/// The environment of a release wasm build. The target's rustflags add to
/// `.cargo/config.toml`'s (an explicit `RUSTFLAGS` would replace both).
pub const RELEASE_ENV: [(&str, &str); 4] = [
    ("RUSTC_BOOTSTRAP", "1"),
    ("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort"),
    ("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size"),
    (
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        "-Zlocation-detail=none",
    ),
];

/// Test targets otherwise ignore `panic = "abort"` and would want a second,
/// unwinding `std` beside the first (rustc: duplicate lang item).
pub const RELEASE_TEST_ENV: (&str, &str) = ("CARGO_UNSTABLE_PANIC_ABORT_TESTS", "true");

/// Sets [`RELEASE_ENV`] on a release build of the app (`trunk build --release`).
pub fn for_release_build(cmd: &mut Command) -> &mut Command {
    cmd.envs(RELEASE_ENV)
}

/// [`for_release_build`] for `cargo test --release` of a wasm test target (the
/// browser benchmarks), so they measure the code the app ships.
pub fn for_release_tests(cmd: &mut Command) -> &mut Command {
    for_release_build(cmd).env(RELEASE_TEST_ENV.0, RELEASE_TEST_ENV.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(cmd: &Command) -> Vec<(String, String)> {
        cmd.get_envs()
            .filter_map(|(k, v)| Some((k.to_str()?.to_owned(), v?.to_str()?.to_owned())))
            .collect()
    }

    #[test]
    fn only_wasm_builds_get_the_flags() {
        // Trunk's post-build hook builds xtask for the host in this same
        // environment: no `RUSTFLAGS`, only the wasm target's.
        let wasm_flags = format!(
            "CARGO_TARGET_{}_RUSTFLAGS",
            crate::tools::TARGET.to_uppercase().replace('-', "_")
        );
        for (key, _) in RELEASE_ENV {
            assert!(!key.ends_with("RUSTFLAGS") || key == wasm_flags, "{key}");
        }
        assert!(RELEASE_ENV.iter().any(|(key, _)| *key == wasm_flags));
    }

    #[test]
    fn release_tests_build_like_the_release_and_abort_on_panic() {
        let mut cmd = Command::new("cargo");
        for_release_tests(&mut cmd);
        let env = env_of(&cmd);
        for (key, value) in RELEASE_ENV.iter().chain([&RELEASE_TEST_ENV]) {
            assert!(env.contains(&((*key).into(), (*value).into())), "{key}");
        }
    }
}
