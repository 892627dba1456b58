//! The app shell in real Chromium against the test server on the release build.

use std::time::Duration;

use cca_e2e::{dist_dir, screenshot_dir, serve_dist, Browser, BrowserOptions, TestServer};

const WAIT: Duration = Duration::from_secs(20);

#[test]
fn deep_link_opens_the_activity_page_with_navigation() -> Result<(), Box<dyn std::error::Error>> {
    let server = TestServer::start(serve_dist())?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/claude-code/activity"))?;
    let title = browser.wait_text(".cca-page__title", WAIT)?;
    assert_eq!(title, "Activity");
    let nav = browser.texts(".cca-nav__link")?;
    assert_eq!(
        nav,
        [
            "Overview",
            "Lines of code",
            "Accept rate",
            "Activity",
            "Spend",
            "Team"
        ]
    );
    let current = browser.texts(".cca-nav__link[aria-current=page]")?;
    assert_eq!(current, ["Activity"]);
    browser.screenshot(&screenshot_dir().join("shell-activity.png"))?;

    // The deep link was served by the fallback, and navigation is client-side.
    browser.click(".cca-nav__link[href$='/lines']")?;
    browser.wait_for(
        "document.querySelector('.cca-page__title')?.textContent === 'Lines of code'",
        WAIT,
    )?;
    let url = browser.current_url()?;
    assert!(url.ends_with("/claude-code/lines"), "{url}");
    let html_requests = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/claude-code/"))
        .count();
    assert_eq!(
        html_requests,
        1,
        "navigation must not reload the page: {:?}",
        server.requests()
    );
    Ok(())
}

#[test]
fn unknown_path_under_the_base_shows_not_found() -> Result<(), Box<dyn std::error::Error>> {
    let server = TestServer::start(serve_dist())?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/claude-code/no-such-page"))?;
    assert_eq!(
        browser.wait_text(".cca-page__title", WAIT)?,
        "Page not found"
    );
    Ok(())
}

/// The release build's wasm, glue and stylesheets are rewritten after Trunk
/// (`xtask/src/compact.rs`): their new `integrity` hashes must match, or the
/// browser refuses the preloads and fetches the files again.
#[test]
fn the_compacted_release_build_loads_each_file_once() -> Result<(), Box<dyn std::error::Error>> {
    let server = TestServer::start(serve_dist())?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/claude-code/?range=7d"))?;
    browser.wait_for(
        "performance.getEntriesByName('cca:first-chart').length === 1",
        WAIT,
    )?;
    let assets: Vec<String> = server
        .requests()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| p.ends_with(".wasm") || p.ends_with(".js") || p.ends_with(".css"))
        .collect();
    // start script, glue, wasm, two stylesheets
    assert_eq!(assets.len(), 5, "each file once: {assets:?}");
    let mut unique = assets.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), assets.len(), "each file once: {assets:?}");
    let refused: Vec<String> = browser
        .console_log()?
        .into_iter()
        .map(|(_, message)| message)
        // Chromium's words when a file's hash does not match (it also warns,
        // harmlessly, that `integrity` on a `preload` of a fetch is ignored).
        .filter(|m| m.contains("valid digest"))
        .collect();
    assert!(refused.is_empty(), "{refused:?}");

    // And the build is the compacted one: short import names, minified glue.
    let glue = std::fs::read_dir(dist_dir())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            name.is_some_and(|n| n.starts_with("claude-code-analytics-") && n.ends_with(".js"))
        })
        .ok_or("no glue in the release build")?;
    let glue = std::fs::read_to_string(glue)?;
    assert!(
        !glue.contains("__wbg_addEventListener_"),
        "import names are shortened"
    );
    assert!(!glue.contains("/**"), "the glue is minified");
    Ok(())
}
