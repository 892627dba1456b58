//! The app shell in real Chromium against the test server on the release build.

use std::time::Duration;

use cca_e2e::{screenshot_dir, serve_dist, Browser, BrowserOptions, TestServer};

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
