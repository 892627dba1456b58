//! The member page (`/team/<member>`, issue #30) on the small hand-made
//! organization of `cca::model::fixture`, whose figures its doc comment
//! works out by hand: one member's cards, days and breakdowns; opened by a
//! deep link and after a reload; an API key; a member without usage; an
//! address that names no member.

use std::time::Duration;

use cca::model::fixture::small_org_records;
use cca_e2e::{
    card_value, screenshot_dir, serve_records, start_with_api, wait_days_loaded, Browser,
    BrowserOptions, TestServer,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(20);
const RANGE: &str = "from=2025-09-08&to=2025-09-10";

fn fixture_server() -> Result<TestServer, Box<dyn std::error::Error>> {
    Ok(start_with_api(
        serve_records(small_org_records()),
        r#","theme":"light""#,
    )?)
}

/// The cells of each body row of the first table matching `css`.
fn table(browser: &Browser, css: &str) -> Result<Vec<Vec<String>>, Box<dyn std::error::Error>> {
    let rows = browser.execute(
        "return [...(document.querySelector(arguments[0])?.querySelectorAll('tbody tr') ?? [])]
            .map(tr => [...tr.querySelectorAll('th, td')].map(c => c.innerText.trim()))",
        vec![serde_json::Value::String(css.to_owned())],
    )?;
    Ok(serde_json::from_value(rows)?)
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

fn lead(browser: &Browser) -> Result<String, Box<dyn std::error::Error>> {
    Ok(browser.wait_text(".cca-page__lead", WAIT)?)
}

/// Alice over Sep 8–10: 100 + 60 lines, 5 + 4 sessions, decisions edit
/// 8/2 and 5/5, write 2/0, multi-edit 3/1 (18 of 26), $1.50 + $1.20 +
/// $0.05, on the 8th and the 9th, both in VS Code.
fn assert_alice(browser: &Browser) -> TestResult {
    assert_eq!(
        browser.wait_text(".cca-page__title", WAIT)?,
        "alice@example.com"
    );
    assert_eq!(
        lead(browser)?,
        "User · last active Sep 9, 2025 · active on 2 of 3 days"
    );
    assert_eq!(card_value(browser, "lines")?, "160");
    assert_eq!(card_value(browser, "sessions")?, "9");
    assert_eq!(card_value(browser, "accept-rate")?, "69.2%");
    assert_eq!(card_value(browser, "spend")?, "$2.75");
    assert_eq!(card_value(browser, "commits")?, "3");
    assert_eq!(card_value(browser, "pull-requests")?, "2");
    // One member: no "active users" card.
    assert_eq!(card_value(browser, "active-users")?, "");
    assert_eq!(
        table(browser, "[data-table=tools]")?,
        [
            row(&["Edit", "13", "7", "65.0%"]),
            row(&["MultiEdit", "3", "1", "75.0%"]),
            row(&["Write", "2", "0", "100.0%"]),
            row(&["NotebookEdit", "0", "0", "—"]),
        ]
    );
    assert_eq!(
        table(browser, "[data-table=terminals]")?,
        [row(&["vscode", "2", "9"])]
    );
    let models = table(browser, "[data-table=models]")?;
    assert_eq!(models.len(), 2, "{models:?}");
    Ok(())
}

#[test]
fn a_member_page_shows_that_member_only_by_deep_link_and_after_reload() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(&format!("/claude-code/team/alice@example.com?{RANGE}")))?;
    wait_days_loaded(&browser, 3, WAIT)?;
    assert_alice(&browser)?;
    // The tab names the member (the app is the whole page here).
    assert_eq!(
        browser.execute("return document.title", vec![])?,
        "alice@example.com — Claude Code Analytics"
    );
    browser.screenshot(&screenshot_dir().join("member-alice.png"))?;

    browser.refresh()?;
    wait_days_loaded(&browser, 3, WAIT)?;
    assert_alice(&browser)?;

    // "Team" goes to the month the range ends in.
    let back = browser.execute(
        "return document.querySelector('.cca-back-link').getAttribute('href')",
        vec![],
    )?;
    assert_eq!(back, "/claude-code/team?month=2025-09");
    Ok(())
}

/// The team table's names open the member page on the month shown, and
/// both the page's "Team" link and the browser's Back return to it.
#[test]
fn from_the_team_table_to_a_member_page_and_back() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;
    let team = server.url("/claude-code/team?month=2025-09");
    browser.goto(&team)?;
    wait_days_loaded(&browser, 30, WAIT)?;
    let hrefs = browser.execute(
        "return [...document.querySelectorAll('.cca-team-table a.cca-member-link')].map(a => a.getAttribute('href')).sort()",
        vec![],
    )?;
    let september = "?from=2025-09-01&to=2025-09-30";
    assert_eq!(
        hrefs,
        serde_json::json!([
            format!("/claude-code/team/alice@example.com{september}"),
            format!("/claude-code/team/bob@example.com{september}"),
            format!("/claude-code/team/key:ci-bot{september}"),
        ])
    );

    let on_alice = "document.querySelector('.cca-page__title')?.innerText === 'alice@example.com'";
    browser.click("a.cca-member-link[href*='alice']")?;
    browser.wait_for(on_alice, WAIT)?;
    wait_days_loaded(&browser, 30, WAIT)?;
    assert_eq!(card_value(&browser, "lines")?, "160");
    assert_eq!(
        lead(&browser)?,
        "User · last active Sep 9, 2025 · active on 2 of 30 days"
    );
    assert_eq!(
        browser.current_url()?,
        server.url(&format!("/claude-code/team/alice@example.com{september}"))
    );

    // "← Team": the team page on September again.
    browser.click(".cca-back-link")?;
    browser.wait_for(
        "!!document.querySelector('.cca-team-table a.cca-member-link')",
        WAIT,
    )?;
    assert_eq!(browser.current_url()?, team);
    // Back: Alice's page with the range in its URL; Back again: the team.
    browser.back()?;
    browser.wait_for(on_alice, WAIT)?;
    assert!(browser.current_url()?.ends_with(september));
    browser.back()?;
    browser.wait_for(
        "!!document.querySelector('.cca-team-table a.cca-member-link')",
        WAIT,
    )?;
    assert_eq!(browser.current_url()?, team);
    Ok(())
}

#[test]
fn an_api_key_a_member_without_usage_and_an_address_naming_nobody() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;

    // The API key: 10 + 0 + 5 lines, 1 + 2 + 1 sessions, never a decision.
    browser.goto(&server.url(&format!("/claude-code/team/key:ci-bot?{RANGE}")))?;
    wait_days_loaded(&browser, 3, WAIT)?;
    assert_eq!(browser.wait_text(".cca-page__title", WAIT)?, "ci-bot");
    assert_eq!(
        lead(&browser)?,
        "API key · last active Sep 10, 2025 · active on 3 of 3 days"
    );
    assert_eq!(card_value(&browser, "lines")?, "15");
    assert_eq!(card_value(&browser, "sessions")?, "4");
    assert_eq!(card_value(&browser, "accept-rate")?, "—");
    assert_eq!(card_value(&browser, "spend")?, "$0.38");

    // Bob's days only reach Sep 8: on the 9th and 10th he has nothing.
    browser.goto(&server.url("/claude-code/team/bob@example.com?from=2025-09-09&to=2025-09-10"))?;
    assert_eq!(
        browser.wait_text(".cca-empty h2", WAIT)?,
        "No usage by this member in this range"
    );
    assert_eq!(lead(&browser)?, "User · no usage in this range");
    browser.screenshot(&screenshot_dir().join("member-empty.png"))?;

    // An address that is neither an email nor a key.
    browser.goto(&server.url("/claude-code/team/nobody"))?;
    assert_eq!(browser.wait_text(".cca-empty h2", WAIT)?, "No such member");
    let text = browser.wait_text(".cca-empty p", WAIT)?;
    assert!(
        text.contains("“nobody” is neither an email address nor an API key"),
        "{text}"
    );
    Ok(())
}

#[test]
fn a_member_page_fits_a_phone_in_dark_mode() -> TestResult {
    // The page's own theme: the system's (dark here).
    let server = start_with_api(serve_records(small_org_records()), "")?;
    let browser = Browser::start(BrowserOptions {
        width: 390,
        height: 844,
        dark: true,
        ..BrowserOptions::default()
    })?;
    browser.goto(&server.url(&format!("/claude-code/team/alice@example.com?{RANGE}")))?;
    wait_days_loaded(&browser, 3, WAIT)?;
    assert_eq!(card_value(&browser, "lines")?, "160");
    assert_eq!(
        browser.execute(cca_e2e::HORIZONTAL_OVERFLOW_JS, vec![])?,
        0,
        "the page does not scroll sideways"
    );
    browser.screenshot(&screenshot_dir().join("member-phone-dark.png"))?;
    browser.execute(
        "document.querySelector('[data-table=tools]').scrollIntoView({block: 'start'})",
        vec![],
    )?;
    browser.screenshot(&screenshot_dir().join("member-phone-dark-tables.png"))?;
    Ok(())
}
