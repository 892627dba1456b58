//! The team page as a manager meets it (issue #29): its sort, filter and
//! page live in the URL (a reload shows the same rows, Back walks back
//! through the choices, bad values fall back), a filter that matches
//! nobody says so once with a way out, an empty month says so once, the
//! month picker offers no month before the data, and the CSV's name says
//! when it is filtered. Screenshots at 1280 px light and 390 px dark.

use std::time::Duration;

use cca::demo::{DemoConfig, DemoOrg};
use cca::model::dates::iso_month;
use cca::model::fixture::small_org_records;
use cca::team_month::month_choices;
use cca_e2e::{
    screenshot_dir, serve_dist, serve_records, start_with_api, Browser, BrowserOptions,
    ServerOptions, TestServer, CAPTURE_DOWNLOADS_JS,
};
use serde_json::Value;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(40);
const ENTER: &str = "\u{E007}";

/// Waits until the team page has settled (all its days and figures) and
/// lists its rows or says why not.
fn wait_settled(browser: &Browser) -> TestResult {
    browser.wait_for(
        "document.querySelector('.cca-page[data-page=team]')?.dataset.settled === 'true' \
         && !document.querySelector('.cca-loading')",
        WAIT,
    )?;
    Ok(())
}

/// The first cell (the member) of each row the team table shows.
fn members(browser: &Browser) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    Ok(browser.texts("[data-table=team] tbody tr > :first-child")?)
}

fn count_text(browser: &Browser) -> Result<String, Box<dyn std::error::Error>> {
    Ok(browser.texts(".cca-team-count")?.join(""))
}

/// Last month (`YYYY-MM`): a whole month of a generated organization, with
/// many members whatever day the tests run on.
fn last_month() -> String {
    let today = chrono::Utc::now().date_naive();
    iso_month(cca::model::dates::DateRange::last_month(today).start())
}

fn shot(browser: &Browser, name: &str) -> TestResult {
    browser.screenshot(&screenshot_dir().join(format!("team-{name}.png")))?;
    Ok(())
}

fn download(browser: &Browser, n: usize) -> Result<(String, String), Box<dyn std::error::Error>> {
    Ok(cca_e2e::download(browser, n, WAIT)?)
}

/// Sets the filter's text by typing it into the focused field (one input
/// event per key, as a person types).
fn type_filter(browser: &Browser, text: &str) -> TestResult {
    browser.execute(
        "const i = document.querySelector('.cca-team-filter'); i.focus(); i.select();",
        vec![],
    )?;
    browser.send_keys(text)?;
    Ok(())
}

#[test]
fn sort_filter_and_page_live_in_the_url() -> TestResult {
    let server = start_with_api(
        ServerOptions {
            members: 300,
            ..serve_dist()
        },
        r#","theme":"light""#,
    )?;
    let browser = Browser::start(BrowserOptions::default())?;
    let month = last_month();
    let at = |rest: &str| format!("location.search === '?month={month}{rest}'");
    browser.goto(&server.url(&format!("/claude-code/team?month={month}")))?;
    wait_settled(&browser)?;

    // Sort by lines, then type a filter, then go to the second page.
    browser.click("[data-column=Lines]")?;
    browser.wait_for(&at("&sort=lines&dir=desc"), WAIT)?;
    type_filter(&browser, "an")?;
    browser.wait_for(&at("&sort=lines&dir=desc&q=an"), WAIT)?;
    let count = count_text(&browser)?;
    assert!(count.starts_with("1–50 of "), "{count}");
    browser.click("[data-page=next]")?;
    browser.wait_for(&at("&sort=lines&dir=desc&q=an&page=2"), WAIT)?;
    browser.wait_for(
        "document.querySelector('.cca-team-count')?.textContent.startsWith('51–')",
        WAIT,
    )?;
    // The keyboard stays on the pager: on Next, or on Previous when the
    // page is the last and Next is disabled.
    browser.wait_for(
        "document.activeElement?.dataset.page === \
         (document.querySelector('[data-page=next]').disabled ? 'previous' : 'next')",
        WAIT,
    )?;
    let paged = members(&browser)?;
    let paged_count = count_text(&browser)?;
    assert!(!paged.is_empty());
    assert!(
        paged.iter().all(|m| m.to_lowercase().contains("an")),
        "{paged:?}"
    );
    shot(&browser, "sorted-filtered-paged-1280-light")?;

    // A reload shows the same view: rows, count, sort, filter.
    browser.refresh()?;
    wait_settled(&browser)?;
    browser.wait_for(
        "document.querySelector('.cca-team-count')?.textContent.startsWith('51–')",
        WAIT,
    )?;
    assert_eq!(members(&browser)?, paged);
    assert_eq!(count_text(&browser)?, paged_count);
    assert_eq!(
        browser.execute(
            "return [document.querySelector('.cca-team-filter').value,
                     document.querySelector('[data-column=Lines]').closest('th').getAttribute('aria-sort')]",
            vec![]
        )?,
        serde_json::json!(["an", "descending"])
    );

    // Back walks through the choices: the page, the typing (one entry for
    // both letters), the sort.
    browser.back()?;
    browser.wait_for(&at("&sort=lines&dir=desc&q=an"), WAIT)?;
    browser.wait_for(
        "document.querySelector('.cca-team-count')?.textContent.startsWith('1–')",
        WAIT,
    )?;
    browser.back()?;
    browser.wait_for(&at("&sort=lines&dir=desc"), WAIT)?;
    browser.wait_for(
        "document.querySelector('.cca-team-filter')?.value === ''",
        WAIT,
    )?;
    browser.back()?;
    browser.wait_for(&at(""), WAIT)?;
    browser.wait_for(
        "document.querySelector('[data-column=Spend]')?.closest('th').getAttribute('aria-sort') === 'descending'",
        WAIT,
    )?;

    // Bad values fall back, one by one, and nothing breaks.
    browser.goto(&server.url(&format!(
        "/claude-code/team?month={month}&sort=salary&dir=up&page=-3&kind=robots&q="
    )))?;
    wait_settled(&browser)?;
    let count = count_text(&browser)?;
    assert!(count.starts_with("1–50 of "), "{count}");
    assert_eq!(
        browser.execute(
            "return document.querySelector('[data-column=Spend]').closest('th').getAttribute('aria-sort')",
            vec![]
        )?,
        "descending"
    );
    // A page past the end shows the last page.
    browser.goto(&server.url(&format!("/claude-code/team?month={month}&page=999")))?;
    wait_settled(&browser)?;
    let last = count_text(&browser)?;
    let total: usize = last
        .split(" of ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.replace(',', "").parse().ok())
        .ok_or(format!("a count: {last}"))?;
    assert!(total > 50, "{last}");
    let first_of_last = (total - 1) / 50 * 50 + 1;
    assert_eq!(last, format!("{first_of_last}–{total} of {total} members"));
    assert_eq!(
        browser.execute(
            "return document.querySelector('[data-page=next]').disabled",
            vec![]
        )?,
        true
    );
    Ok(())
}

#[test]
fn a_filter_that_matches_nobody_says_so_once_with_a_way_out() -> TestResult {
    for (options, name) in [
        (BrowserOptions::default(), "1280-light"),
        (
            BrowserOptions {
                width: 390,
                height: 844,
                dark: true,
                ..BrowserOptions::default()
            },
            "390-dark",
        ),
    ] {
        let server = start_with_api(
            ServerOptions {
                members: 120,
                ..serve_dist()
            },
            "",
        )?;
        let browser = Browser::start(options)?;
        let month = last_month();
        browser.goto(&server.url(&format!(
            "/claude-code/team?month={month}&q=zz%20nobody%20zz"
        )))?;
        wait_settled(&browser)?;
        let message = browser.wait_text(".cca-no-match h2", WAIT)?;
        assert_eq!(message, "No member matches “zz nobody zz”");
        // One message, in the live region; no table, no count, no second panel.
        assert_eq!(
            browser.execute(
                "return [document.querySelectorAll('.cca-empty').length,
                         document.querySelector('[role=status].cca-team-status .cca-no-match') !== null,
                         document.querySelector('[data-table=team]').getClientRects().length,
                         document.querySelector('.cca-team-count').getClientRects().length]",
                vec![]
            )?,
            serde_json::json!([1, true, 0, 0])
        );
        let overflow = browser.execute(cca_e2e::HORIZONTAL_OVERFLOW_JS, vec![])?;
        assert_eq!(overflow, 0, "no sideways scrolling at {name}");
        shot(&browser, &format!("no-match-{name}"))?;

        // The way out, by keyboard: the table is back, and so is the focus,
        // in the filter field.
        browser.execute("document.querySelector('.cca-team-clear').focus()", vec![])?;
        browser.send_keys(ENTER)?;
        browser.wait_for(&format!("location.search === '?month={month}'"), WAIT)?;
        browser.wait_for(
            "document.querySelectorAll('[data-table=team] tbody tr').length > 0 \
             && !document.querySelector('.cca-no-match') \
             && document.activeElement === document.querySelector('.cca-team-filter')",
            WAIT,
        )?;
        // Back brings the filter that matched nobody back.
        browser.back()?;
        browser.wait_text(".cca-no-match h2", WAIT)?;

        // The second page, as a manager on this screen sees it.
        browser.goto(&server.url(&format!(
            "/claude-code/team?month={month}&sort=member&dir=asc&page=2"
        )))?;
        wait_settled(&browser)?;
        browser.wait_for(
            "document.querySelector('.cca-team-count')?.textContent.startsWith('51–')",
            WAIT,
        )?;
        shot(&browser, &format!("paged-{name}"))?;
    }
    Ok(())
}

#[test]
fn an_empty_month_says_so_once_whatever_the_filter() -> TestResult {
    let server = start_with_api(serve_records(small_org_records()), "")?;
    let browser = Browser::start(BrowserOptions::default())?;
    // The fixture has September 2025 only: August is offered (nothing says
    // when its data begins) and empty.
    browser.goto(&server.url("/claude-code/team?month=2025-08&q=xyz"))?;
    wait_settled(&browser)?;
    assert_eq!(
        browser.wait_text(".cca-empty h2", WAIT)?,
        "No members used Claude Code in this month"
    );
    assert_eq!(
        browser.execute(
            "return [document.querySelectorAll('.cca-empty').length,
                     document.querySelectorAll('[data-table=team]').length]",
            vec![]
        )?,
        serde_json::json!([1, 0])
    );
    Ok(())
}

#[test]
fn the_month_picker_offers_no_month_before_the_data() -> TestResult {
    let today = chrono::Utc::now().date_naive();
    // An organization whose data began in the middle of the month before last.
    let two_back = cca::model::dates::month_start(
        cca::model::dates::month_start(today)
            .pred_opt()
            .ok_or("a day")?,
    )
    .pred_opt()
    .ok_or("a day")?;
    let data_since = cca::model::dates::month_start(two_back) + chrono::Days::new(14);
    let server = start_with_api(
        ServerOptions {
            members: 60,
            ..serve_dist()
        },
        &format!(r#","data_since":"{data_since}""#),
    )?;
    let browser = Browser::start(BrowserOptions::default())?;
    let options = "[...document.querySelectorAll('.cca-team-month option')].map(o => o.value)";
    let expected = |selected| -> Vec<String> {
        month_choices(today, selected, Some(data_since))
            .into_iter()
            .map(iso_month)
            .collect()
    };
    browser.goto(&server.url("/claude-code/team"))?;
    wait_settled(&browser)?;
    let offered: Vec<String> =
        serde_json::from_value(browser.execute(&format!("return {options}"), vec![])?)?;
    assert_eq!(offered, expected(today));
    assert_eq!(offered.len(), 3);
    assert_eq!(offered.last(), Some(&iso_month(data_since)));

    // A link to a month before the data shows this month, and offers nothing older.
    let before = cca::model::dates::month_start(data_since)
        .pred_opt()
        .ok_or("a day")?;
    browser.goto(&server.url(&format!("/claude-code/team?month={}", iso_month(before))))?;
    wait_settled(&browser)?;
    assert_eq!(
        browser.execute(
            "return document.querySelector('.cca-team-month').value",
            vec![]
        )?,
        Value::String(iso_month(today))
    );
    let offered: Vec<String> =
        serde_json::from_value(browser.execute(&format!("return {options}"), vec![])?)?;
    assert_eq!(offered, expected(today));

    // The built-in demo: from its first day's month.
    let demo = TestServer::start(serve_dist())?;
    browser.goto(&demo.url("/claude-code/team"))?;
    wait_settled(&browser)?;
    let started = DemoOrg::new(DemoConfig {
        today,
        ..DemoConfig::default()
    })
    .started();
    let offered: Vec<String> =
        serde_json::from_value(browser.execute(&format!("return {options}"), vec![])?)?;
    let want: Vec<String> = month_choices(today, today, Some(started))
        .into_iter()
        .map(iso_month)
        .collect();
    assert_eq!(offered, want);
    assert!(
        want.len() < 12,
        "the demo began about six months ago: {want:?}"
    );
    Ok(())
}

#[test]
fn the_team_csv_says_when_it_is_filtered() -> TestResult {
    let server = start_with_api(serve_records(small_org_records()), "")?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/claude-code/team?month=2025-09"))?;
    wait_settled(&browser)?;
    browser.execute(CAPTURE_DOWNLOADS_JS, vec![])?;
    browser.click(".cca-team-csv")?;
    let (name, text) = download(&browser, 0)?;
    assert_eq!(name, "team-2025-09.csv");
    assert_eq!(text.lines().count(), 4, "{text}");

    browser.goto(&server.url("/claude-code/team?month=2025-09&kind=user&q=Example.com"))?;
    wait_settled(&browser)?;
    browser.execute(CAPTURE_DOWNLOADS_JS, vec![])?;
    browser.click(".cca-team-csv")?;
    let (name, text) = download(&browser, 0)?;
    assert_eq!(name, "team-2025-09-filtered-users-example.com.csv");
    assert_eq!(
        text,
        "member,kind,spend_usd,spend_other_currencies,lines_accepted,sessions,edits_accepted,edits_rejected,accept_rate,commits,pull_requests,last_active\n\
         alice@example.com,User,2.75,,160,9,18,8,0.6923,3,2,2025-09-09\n\
         bob@example.com,User,0.00,3.00 EUR,40,3,7,5,0.5833,1,0,2025-09-08\n"
    );
    Ok(())
}
