//! A misbehaving console API, in Chromium on the release build: each fault
//! kind gets a clear message naming the failed day, Retry fetches only what
//! failed and then shows the full figures, the rest of the app keeps working,
//! and an answer for a range the user has left is never shown.

use std::time::Duration;

use cca::model::fixture::small_org_records;
use cca_e2e::{
    screenshot_dir, serve_records, start_with_api, wait_card_value, wait_progress, Browser,
    BrowserOptions, Fault, FaultRule, TestServer,
};
use chrono::NaiveDate;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Long enough for the client's four attempts with backoff (0.3 + 0.9 + 2.7 s).
const WAIT: Duration = Duration::from_secs(30);
const RANGE: &str = "from=2025-09-08&to=2025-09-10";

fn sep(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, day).unwrap_or_default()
}

fn fixture_server() -> Result<TestServer, Box<dyn std::error::Error>> {
    Ok(start_with_api(serve_records(small_org_records()), "")?)
}

fn lines_total(browser: &Browser) -> Result<String, Box<dyn std::error::Error>> {
    Ok(browser
        .texts("[data-metric='lines-total'] .cca-card__value")?
        .into_iter()
        .next()
        .unwrap_or_default())
}

fn wait_lines_total(browser: &Browser, want: &str) -> TestResult {
    Ok(wait_card_value(browser, "lines-total", want, WAIT)?)
}

/// One day fails with `fault`: the page names it with `message`, shows the
/// other days, and Retry (after the server recovers) fetches just that day.
fn one_day_fails_then_retry_recovers(fault: Fault, message: &str, shot: &str) -> TestResult {
    let server = fixture_server()?;
    server.add_fault(FaultRule::usage(fault).for_day(sep(9)));
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(&format!("/claude-code/lines?{RANGE}")))?;

    let panel = browser.wait_text(".cca-failures", WAIT)?;
    assert!(
        panel.contains("1 day could not be loaded: Sep 9"),
        "{panel}"
    );
    assert!(panel.contains(message), "expected “{message}” in: {panel}");
    // The days that loaded are shown: 150 + 5 lines, without the 9th's 60.
    assert_eq!(lines_total(&browser)?, "155");
    browser.screenshot(&screenshot_dir().join(format!("fault-{shot}.png")))?;

    // The rest of the app keeps working meanwhile.
    browser.click(".cca-nav__link[href*='/accept-rate']")?;
    browser.wait_for(
        "document.querySelector('.cca-page__title')?.textContent === 'Accept rate'",
        WAIT,
    )?;
    browser.back()?;
    browser.wait_text(".cca-failures", WAIT)?;

    server.clear_faults();
    server.clear_log();
    browser.click(".cca-failures button")?;
    wait_lines_total(&browser, "215")?;
    assert!(
        browser.texts(".cca-failures")?.is_empty(),
        "the failure panel is gone"
    );
    let asked: Vec<_> = server
        .usage_requests()
        .iter()
        .filter_map(|r| r.day)
        .collect();
    assert_eq!(asked, [sep(9)], "Retry asks for the failed day only");
    Ok(())
}

#[test]
fn server_error_500() -> TestResult {
    one_day_fails_then_retry_recovers(
        Fault::Status {
            status: 500,
            retry_after_secs: None,
        },
        "The console API failed (HTTP 500).",
        "500",
    )
}

#[test]
fn rate_limited_429_with_retry_after() -> TestResult {
    one_day_fails_then_retry_recovers(
        Fault::Status {
            status: 429,
            retry_after_secs: Some(1),
        },
        "The console API is rate limiting requests (HTTP 429).",
        "429",
    )
}

#[test]
fn dropped_connection() -> TestResult {
    one_day_fails_then_retry_recovers(Fault::Drop, "Network error", "drop")
}

#[test]
fn connection_cut_mid_body() -> TestResult {
    one_day_fails_then_retry_recovers(Fault::Truncate, "Network error", "cut-body")
}

#[test]
fn truncated_json() -> TestResult {
    one_day_fails_then_retry_recovers(
        Fault::TruncatedJson,
        "The console API sent data this app cannot read",
        "truncated-json",
    )
}

#[test]
fn wrong_content_type() -> TestResult {
    one_day_fails_then_retry_recovers(Fault::WrongContentType, "instead of JSON", "content-type")
}

#[test]
fn html_error_page() -> TestResult {
    one_day_fails_then_retry_recovers(
        Fault::HtmlErrorPage,
        "The console API failed (HTTP 502).",
        "html-page",
    )
}

#[test]
fn retried_faults_that_clear_in_time_are_invisible() -> TestResult {
    let server = fixture_server()?;
    // Two failures, then success: within the client's four attempts.
    server.add_fault(
        FaultRule::usage(Fault::Status {
            status: 503,
            retry_after_secs: None,
        })
        .for_day(sep(8))
        .times(2),
    );
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(&format!("/claude-code/lines?{RANGE}")))?;
    wait_lines_total(&browser, "215")?;
    assert!(browser.texts(".cca-failures")?.is_empty());
    let attempts = server
        .usage_requests()
        .iter()
        .filter(|r| r.day == Some(sep(8)))
        .count();
    assert_eq!(attempts, 3);
    Ok(())
}

#[test]
fn every_day_failing_shows_one_error_with_retry() -> TestResult {
    let server = fixture_server()?;
    server.add_fault(FaultRule::usage(Fault::Status {
        status: 500,
        retry_after_secs: None,
    }));
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(&format!("/claude-code/lines?{RANGE}")))?;
    let panel = browser.wait_text(".cca-load-error", WAIT)?;
    assert!(panel.contains("Usage could not be loaded"), "{panel}");
    assert!(
        panel.contains("The console API failed (HTTP 500)."),
        "{panel}"
    );
    browser.screenshot(&screenshot_dir().join("fault-all-days.png"))?;
    server.clear_faults();
    browser.click(".cca-load-error button")?;
    wait_lines_total(&browser, "215")?;
    Ok(())
}

#[test]
fn a_slow_answer_for_a_range_the_user_left_is_never_shown() -> TestResult {
    let server = fixture_server()?;
    server.add_fault(FaultRule::usage(Fault::Latency(Duration::from_millis(2500))).for_day(sep(9)));
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(&format!("/claude-code/lines?{RANGE}")))?;
    // While the 9th is still in flight, go to a range of the 10th alone.
    wait_progress(&browser, "2/3", WAIT)?;
    browser.execute(
        "const [from, to] = document.querySelectorAll('.cca-range__custom input');
         for (const [input, value] of [[from, '2025-09-10'], [to, '2025-09-10']]) {
           input.value = value; input.dispatchEvent(new Event('input', {bubbles: true}));
         }
         document.querySelector('.cca-range__custom').requestSubmit();",
        vec![],
    )?;
    browser.wait_for("location.search === '?from=2025-09-10&to=2025-09-10'", WAIT)?;
    wait_lines_total(&browser, "5")?;
    // The 9th's answer is due after the change (or was cancelled); the page
    // still shows the 10th only.
    std::thread::sleep(Duration::from_millis(3000));
    assert_eq!(lines_total(&browser)?, "5");
    let note = browser.wait_text(".cca-range-note", WAIT)?;
    assert!(note.starts_with("Sep 10, 2025"), "{note}");
    assert_eq!(
        browser.execute(
            "return document.querySelector('.cca-page').dataset.progress",
            vec![]
        )?,
        "1/1"
    );
    Ok(())
}

#[test]
fn a_stalled_day_is_named_after_a_while_and_retry_asks_again() -> TestResult {
    let server = fixture_server()?;
    // The 9th never answers in time (every attempt of the client's).
    server.add_fault(
        FaultRule::usage(Fault::Latency(Duration::from_secs(90)))
            .for_day(sep(9))
            .times(8),
    );
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(&format!("/claude-code/lines?{RANGE}")))?;
    wait_progress(&browser, "2/3", WAIT)?;
    // Nothing is said while the API may still be on time.
    assert!(browser.texts(".cca-slow")?.is_empty());
    // About 20 s without a day settling: the page names the day, and the
    // request goes on (the progress still says 2 of 3, no failure).
    let notice = browser.wait_text(".cca-slow", Duration::from_secs(45))?;
    assert!(
        notice.contains("Still waiting for Sep 9: the console API is taking longer than usual"),
        "{notice}"
    );
    assert!(browser.texts(".cca-failures")?.is_empty());
    // The cards wait for the whole range (no partial sum passed off as one).
    assert_eq!(
        browser.execute(
            "return document.querySelector(\"[data-metric='lines-total'] .cca-card__value\").getAttribute('aria-busy')",
            vec![]
        )?,
        "true"
    );
    browser.screenshot(&screenshot_dir().join("fault-stalled.png"))?;

    // The API recovers; Retry asks for the 9th again at once.
    server.clear_faults();
    server.clear_log();
    // Clicked in the page: the notice may be drawn again between finding
    // its button and a WebDriver click.
    browser.execute("document.querySelector('.cca-slow button').click()", vec![])?;
    wait_lines_total(&browser, "215")?;
    assert!(browser.texts(".cca-slow")?.is_empty(), "the notice is gone");
    let asked: Vec<_> = server
        .usage_requests()
        .iter()
        .filter_map(|r| r.day)
        .collect();
    // (The first request's own retry may have left just before the click.)
    assert!(
        !asked.is_empty() && asked.iter().all(|d| *d == sep(9)),
        "Retry asks for the waited-for day only: {asked:?}"
    );
    Ok(())
}
