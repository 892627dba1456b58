//! `cca-server --app-config` with `page_roles` in Chromium: a developer the
//! host keeps off the spend page sees the overview and the team table with
//! no dollar figure anywhere (the server withheld `estimated_cost`, and the
//! app shows no spend rather than $0.00).

use std::sync::Arc;
use std::time::Duration;

use cca::auth::role::Role;
use cca::model::fixture::small_org_records;
use cca_e2e::served::{fresh_cache, remove_cache, Served, ServedOptions};
use cca_e2e::{
    card_value, screenshot_dir, wait_days_loaded, Browser, BrowserOptions, ServerOptions,
    TestServer,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(30);
const KEY: &str = "sk-ant-admin01-E2E-ROLES-0c7d9e2a46835b1f";

/// The visible text of the page's main section.
fn page_text(browser: &Browser) -> Result<String, Box<dyn std::error::Error>> {
    let text = browser.execute(
        "return document.querySelector('.cca-page')?.innerText ?? ''",
        vec![],
    )?;
    Ok(text.as_str().unwrap_or_default().to_owned())
}

#[test]
fn a_developer_kept_off_spend_sees_no_dollar_figure_through_the_server() -> TestResult {
    let upstream = TestServer::start(ServerOptions {
        dist: None,
        records: Some(Arc::new(small_org_records())),
        admin_key: Some(KEY.to_owned()),
        ..ServerOptions::default()
    })?;
    let cache = fresh_cache("server-roles");
    let server = Served::start(ServedOptions {
        role: Role::Developer,
        app_config: Some(
            r#"{"page_roles":{"spend":["primary_owner","owner","billing"]}}"#.to_owned(),
        ),
        ..ServedOptions::new(upstream.api_base(), KEY, cache.clone())
    })?;
    let browser = Browser::start(BrowserOptions::default())?;

    // The overview: the fixture's figures, no spend card, chart or table.
    browser.goto(&format!(
        "{}/claude-code/?from=2025-09-08&to=2025-09-10",
        server.origin()
    ))?;
    wait_days_loaded(&browser, 3, WAIT)?;
    assert_eq!(card_value(&browser, "lines")?, "215");
    assert_eq!(card_value(&browser, "sessions")?, "16");
    let text = page_text(&browser)?;
    assert!(
        !text.contains('$'),
        "a dollar figure on the overview: {text}"
    );
    assert!(browser.texts("[data-metric='spend']")?.is_empty());
    assert!(browser.texts("[data-top='spend']")?.is_empty());
    // The leaderboard offers no spend board, only the others.
    assert_eq!(
        browser.texts("[data-board]")?,
        ["Lines", "Sessions", "Pull requests"]
    );
    assert!(!text.contains("Top members by spend"), "{text}");
    browser.screenshot(&screenshot_dir().join("server-developer-overview.png"))?;

    // What the browser received: no cost at all.
    let answer = browser.execute(
        "return fetch(arguments[0]).then(r => r.text())",
        vec![serde_json::Value::String(format!(
            "{}/api/v1/organizations/usage_report/claude_code?starting_at=2025-09-08&limit=1000",
            server.origin()
        ))],
    )?;
    let answer = answer.as_str().unwrap_or_default();
    assert!(answer.contains("model_breakdown"), "{answer}");
    assert!(!answer.contains("estimated_cost"), "{answer}");

    // The team table: no spend column, members by lines, no dollar figure.
    browser.goto(&format!(
        "{}/claude-code/team?month=2025-09",
        server.origin()
    ))?;
    wait_days_loaded(&browser, 30, WAIT)?;
    assert!(browser.texts("[data-column='Spend']")?.is_empty());
    let members = browser.execute(
        "return [...document.querySelectorAll('[data-table=team] tbody tr')]
            .map(tr => [...tr.querySelectorAll('th, td')].map(c => c.innerText.trim()))",
        vec![],
    )?;
    let members: Vec<Vec<String>> = serde_json::from_value(members)?;
    assert_eq!(
        members.first().cloned().unwrap_or_default(),
        [
            "alice@example.com",
            "User",
            "160",
            "9",
            "69.2%",
            "3",
            "Sep 9"
        ]
    );
    let order: Vec<&str> = members.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(order, ["alice@example.com", "bob@example.com", "ci-bot"]);
    let text = page_text(&browser)?;
    assert!(
        !text.contains('$'),
        "a dollar figure on the team page: {text}"
    );
    assert!(!text.contains("spend") && !text.contains("EUR"), "{text}");
    // Not even the footer's note on spend.
    let footer = browser.texts(".cca-footer")?.join(" ");
    assert_eq!(footer, "All days are UTC.");
    browser.screenshot(&screenshot_dir().join("server-developer-team.png"))?;

    // The browser first: its keep-alive connections would hold the server's graceful stop.
    drop(browser);
    drop(server);
    remove_cache(&cache);
    Ok(())
}
