//! End-to-end support: a small synchronous WebDriver client that starts its
//! own `chromedriver` and drives headless Chromium, plus helpers shared by the
//! tests (start the test server on the release build, wait for the app).

mod webdriver;
mod wire;

use std::path::PathBuf;

pub use cca_test_server::{Fault, FaultRule, LogEntry, MeAnswer, ServerOptions, TestServer};
pub use webdriver::{Browser, BrowserOptions, E2eError};

/// The release build to test: `$CCA_DIST`, else `<repo>/dist`.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("CCA_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../dist")))
}

/// Where end-to-end screenshots are kept (not committed): `<repo>/target/e2e-screenshots`.
pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/e2e-screenshots"
    ));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Server options serving the release build with the default demo organization.
pub fn serve_dist() -> ServerOptions {
    ServerOptions {
        dist: Some(dist_dir()),
        ..ServerOptions::default()
    }
}
