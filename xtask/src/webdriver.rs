//! The Chromium flags for the browser tests and benchmarks that
//! wasm-bindgen-test-runner starts. The runner adds `headless`, `no-sandbox`
//! and `disable-dev-shm-usage` itself and reads further capabilities from the
//! JSON file named by [`CONFIG_ENV`]. The end-to-end tests start their own
//! browser with the same flags (`tests/e2e/src/webdriver.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;

/// The runner's variable naming its capabilities file.
pub const CONFIG_ENV: &str = "WASM_BINDGEN_TEST_WEBDRIVER_JSON";
/// Where the file is written, relative to the repo.
const CONFIG_PATH: &str = "target/wasm-bindgen-test-webdriver.json";

/// As root Chromium needs no GPU and no background services (or its outgoing
/// connections flood the log); its own WebUI (the preloaded top-chrome UI,
/// and the omnibox popup every new browser loads: about 600 ms of CPU while
/// the first page runs) competes with the page under test on two cores.
const CHROMIUM_ARGS: [&str; 8] = [
    "disable-gpu",
    "disable-background-networking",
    "disable-component-update",
    "disable-sync",
    "no-first-run",
    "disable-quic",
    "disable-extensions",
    "disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxAimPopup",
];

/// The capabilities JSON: `{"goog:chromeOptions":{"args":[…]}}`.
fn capabilities() -> String {
    let args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        "{{\"goog:chromeOptions\":{{\"args\":[{}]}}}}\n",
        args.join(",")
    )
}

/// Writes the capabilities file and points `cmd` (a wasm-bindgen-test-runner
/// run) at it.
pub fn configure(cmd: &mut Command, repo: &Path) -> Result<(), Error> {
    let path: PathBuf = repo.join(CONFIG_PATH);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(&path, capabilities()).map_err(|e| Error::io(&path, e))?;
    cmd.env(CONFIG_ENV, &path);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_list_every_flag_as_chrome_options() {
        let json = capabilities();
        assert!(json.starts_with(r#"{"goog:chromeOptions":{"args":["disable-gpu","#));
        assert!(json.ends_with("\"]}}\n"));
        for arg in CHROMIUM_ARGS {
            assert!(json.contains(&format!("\"{arg}\"")), "{arg}");
            assert!(
                !arg.contains('"') && !arg.contains('\\'),
                "{arg} needs escaping"
            );
        }
    }

    #[test]
    fn a_command_is_pointed_at_the_written_file() {
        let repo = std::env::temp_dir().join(format!("xtask-webdriver-{}", std::process::id()));
        let mut cmd = Command::new("true");
        configure(&mut cmd, &repo).unwrap();
        let path = repo.join(CONFIG_PATH);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), capabilities());
        let set = cmd
            .get_envs()
            .find(|(k, _)| *k == CONFIG_ENV)
            .and_then(|(_, v)| v.map(PathBuf::from));
        assert_eq!(set, Some(path));
        std::fs::remove_dir_all(&repo).unwrap();
    }
}
