//! The summary path equals the raw path, end to end: the same generated
//! organization read by the app once as raw records (the test server as the
//! console's API, one request per day) and once through `cca-server`, which
//! offers summaries (`/v1/me` lists the capability, the app asks for one
//! summary per range), shows the same cards, change lines, tables and team
//! rows on every page, over ranges that cross a month and a year end and end
//! today.

use std::time::{Duration, Instant};

use cca_e2e::served::{fresh_cache, remove_cache, Served, ServedOptions};
use cca_e2e::{screenshot_dir, serve_dist, start_with_api, Browser, BrowserOptions, ServerOptions};
use serde_json::Value;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(90);
const KEY: &str = "sk-ant-admin01-E2E-SUMMARY-0c4f";
const MEMBERS: usize = 300;

/// What a page shows once everything it loads has arrived (`data-settled`:
/// its range, the previous period, the month): `null` until then.
const SNAPSHOT: &str = r"
const page = document.querySelector('.cca-page');
if (!page || page.dataset.settled !== 'true' || document.querySelector('.cca-loading')) return null;
const text = (e) => e.textContent.replace(/\s+/g, ' ').trim();
return {
  page: page.dataset.page,
  cards: [...document.querySelectorAll('.cca-card')].map(text),
  tables: [...document.querySelectorAll('table')].map(text),
  pager: [...document.querySelectorAll('.cca-pager')].map(text),
  failures: [...document.querySelectorAll('.cca-failures, .cca-load-error')].map(text),
};";

/// The page's snapshot once every load of it has settled.
fn settled_snapshot(browser: &Browser, url: &str) -> Result<Value, Box<dyn std::error::Error>> {
    browser.goto(url)?;
    let deadline = Instant::now() + WAIT;
    loop {
        let now = browser.execute(SNAPSHOT, vec![])?;
        if !now.is_null() {
            return Ok(now);
        }
        if Instant::now() > deadline {
            return Err(format!("{url} did not settle").into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Which usage URLs the page asked for.
fn usage_requests(browser: &Browser) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let names = browser.execute(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('usage_report'))",
        vec![],
    )?;
    Ok(serde_json::from_value(names)?)
}

/// Loads each of `paths` from the raw path and through the server, for
/// the organization whose last day is `today`, and compares what they show.
fn compare(today: chrono::NaiveDate, paths: &[String], screenshot: &str) -> TestResult {
    let raw = start_with_api(
        ServerOptions {
            members: MEMBERS,
            today,
            ..serve_dist()
        },
        "",
    )?;
    let upstream = cca_e2e::TestServer::start(ServerOptions {
        members: MEMBERS,
        today,
        admin_key: Some(KEY.to_owned()),
        ..ServerOptions::default()
    })?;
    let cache = fresh_cache(screenshot);
    let served = Served::start(ServedOptions::new(upstream.api_base(), KEY, cache.clone()))?;
    let browser = Browser::start(BrowserOptions::default())?;
    for path in paths {
        let from_raw = settled_snapshot(&browser, &format!("{}{path}", raw.origin()))?;
        let raw_requests = usage_requests(&browser)?;
        assert!(
            raw_requests.iter().all(|r| !r.contains("/summary")),
            "{path}: the console's API offers no summary: {raw_requests:?}"
        );
        let from_summary = settled_snapshot(&browser, &format!("{}{path}", served.origin()))?;
        let summary_requests = usage_requests(&browser)?;
        assert!(
            !summary_requests.is_empty()
                && summary_requests.iter().all(|r| r.contains("/summary?")),
            "{path}: through the server, the page reads summaries only: {summary_requests:?}"
        );
        assert_eq!(from_summary, from_raw, "{path}");
        let cards = from_raw["cards"].as_array().map_or(0, Vec::len);
        let tables = from_raw["tables"].as_array().map_or(0, Vec::len);
        assert!(cards + tables > 0, "{path} shows figures: {from_raw}");
        if path.starts_with("/claude-code/?") {
            // The overview compares with the previous period: it had arrived too.
            assert!(
                from_raw["cards"].to_string().contains(" vs "),
                "{path}: {from_raw}"
            );
        }
        assert!(
            from_raw["failures"].as_array().is_some_and(Vec::is_empty),
            "{path}: {from_raw}"
        );
    }
    browser.screenshot(&screenshot_dir().join(format!("{screenshot}.png")))?;
    drop(browser);
    drop(served);
    remove_cache(&cache);
    Ok(())
}

/// Ranges that end today (its partial day, yesterday's unsettled one) and
/// cross a month end, on every page.
#[test]
fn every_page_shows_the_same_figures_from_summaries_as_from_raw_records() -> TestResult {
    let paths = [
        "/claude-code/?range=30d",
        "/claude-code/lines?range=90d",
        "/claude-code/accept-rate?range=7d",
        "/claude-code/activity?range=30d",
        "/claude-code/spend?range=mtd",
        "/claude-code/spend?range=last-month",
        "/claude-code/team",
    ]
    .map(str::to_owned);
    compare(
        chrono::Utc::now().date_naive(),
        &paths,
        "summary-path-today",
    )
}

/// Ranges across a year end, of an organization whose last day was in
/// January (the browser's today is later: those days are all settled).
#[test]
fn a_year_end_shows_the_same_figures_from_summaries_as_from_raw_records() -> TestResult {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 20).ok_or("a date")?;
    let paths = [
        "/claude-code/?from=2025-12-20&to=2026-01-10",
        "/claude-code/activity?from=2025-11-25&to=2026-01-20",
        "/claude-code/spend?from=2025-12-01&to=2026-01-31",
        "/claude-code/team?month=2025-12",
        "/claude-code/team?month=2026-01",
    ]
    .map(str::to_owned);
    compare(today, &paths, "summary-path-year-end")
}

/// The member page: one member's summary through the server (`/v1/me` lists
/// `member_summary`) against the same member's figures from the raw days,
/// for a user over a range across a month end and an API key over 90 days.
#[test]
fn a_member_page_shows_the_same_figures_from_a_member_summary_as_from_raw_records() -> TestResult {
    use cca::demo::{DemoConfig, DemoOrg};
    use cca::model::member::MemberRef;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 20).ok_or("a date")?;
    let org = DemoOrg::new(DemoConfig {
        members: MEMBERS,
        today,
        ..DemoConfig::default()
    });
    let actors: Vec<MemberRef> = org
        .records_for_day(today - chrono::TimeDelta::days(3))
        .iter()
        .filter_map(|r| MemberRef::of(&r.actor))
        .collect();
    let user = actors
        .iter()
        .find(|m| matches!(m, MemberRef::User(_)))
        .ok_or("a user with usage")?;
    let key = actors
        .iter()
        .find(|m| matches!(m, MemberRef::ApiKey(_)))
        .ok_or("an API key with usage")?;
    let paths = [
        format!("/claude-code{}?from=2025-12-20&to=2026-01-10", user.path()),
        format!("/claude-code{}?from=2025-10-23&to=2026-01-20", key.path()),
    ];
    compare(today, &paths, "summary-path-member")
}
