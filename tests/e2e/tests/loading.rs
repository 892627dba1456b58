//! The day loader through the real HTTP client in Chromium: one request per
//! UTC day, pagination followed, bounded concurrency, progress to the end,
//! and the per-day cache.

use std::collections::BTreeSet;
use std::time::Duration;

use cca::model::dates::{RangePreset, RangeSelection};
use cca::model::period::comparison_period;

use cca_e2e::{
    screenshot_dir, serve_dist, start_with_api, wait_progress, Browser, BrowserOptions, Fault,
    FaultRule, LogEntry, ServerOptions, TestServer,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(30);

/// Records every value of the page's `data-progress` into `window.__progress`.
const WATCH_PROGRESS: &str = "
    window.__progress = [];
    const record = () => {
        const p = document.querySelector('.cca-page')?.dataset.progress;
        if (p && window.__progress[window.__progress.length - 1] !== p) window.__progress.push(p);
    };
    new MutationObserver(record).observe(document.body, {subtree: true, attributes: true, childList: true});
    record();
";

#[test]
fn a_range_loads_day_by_day_with_progress_to_the_end() -> TestResult {
    let server = start_with_api(
        ServerOptions {
            members: 120,
            page_size_cap: Some(25),
            ..serve_dist()
        },
        "",
    )?;
    // Slow enough that progress is visible and concurrency shows in the log.
    server.add_fault(FaultRule::usage(Fault::Latency(Duration::from_millis(60))));
    let browser = Browser::start(BrowserOptions::default())?;

    browser.goto(&server.url("/claude-code/activity?range=7d"))?;
    wait_progress(&browser, "7/7", WAIT)?;
    browser.wait_for("!!document.querySelector('.cca-chart canvas')", WAIT)?;
    server.clear_log();

    browser.execute(WATCH_PROGRESS, vec![])?;
    browser.execute(
        "[...document.querySelectorAll('.cca-range__preset')].find(b => b.textContent === 'Last 90 days').click()",
        vec![],
    )?;
    let waited = wait_progress(&browser, "90/90", WAIT);
    let seen = browser.execute("return window.__progress", vec![])?;
    let seen: Vec<String> = seen
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    waited.map_err(|e| format!("{e}; progress seen: {seen:?}"))?;
    assert!(seen.len() > 3, "progress should move in steps: {seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("90/90"), "{seen:?}");
    // The observer starts on the 7-day page; after the click, only the 90 days count.
    assert_eq!(seen.first().map(String::as_str), Some("7/7"));
    assert!(seen[1..].iter().all(|p| p.ends_with("/90")), "{seen:?}");
    assert!(browser.current_url()?.ends_with("range=90d"));

    // Of the 7 days already loaded, the 5 older than two days came from the
    // cache; today and yesterday may still change and were asked again. Each
    // day was asked for once per page of results, every page followed.
    assert_eq!(seen.get(1).map(String::as_str), Some("5/90"), "{seen:?}");
    let usage = server.usage_requests();
    let days: BTreeSet<_> = usage.iter().filter_map(|r| r.day).collect();
    assert_eq!(days.len(), 85, "{usage:?}");
    let paged = usage.iter().filter(|r| r.query.contains("page=")).count();
    assert!(paged > 0, "pages of 25 records must be followed: {usage:?}");

    // Bounded concurrency: with 60 ms per answer, 6 at a time.
    let overlapping = max_in_flight(&usage, 60);
    assert!(
        overlapping <= 6,
        "at most 6 requests at once, saw {overlapping}"
    );
    assert!(
        overlapping >= 3,
        "requests should overlap, saw {overlapping}"
    );
    Ok(())
}

#[test]
fn a_chart_redrawn_while_days_arrive_gets_a_new_backing_store_at_the_end() -> TestResult {
    let server = start_with_api(serve_dist(), "")?;
    // One day of the week comes last, long after the others.
    let late = chrono::Utc::now().date_naive() - chrono::TimeDelta::days(3);
    server.add_fault(FaultRule::usage(Fault::Latency(Duration::from_millis(1500))).for_day(late));
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/claude-code/activity?range=7d"))?;
    wait_progress(&browser, "6/7", WAIT)?;
    // Six days of seven are no figure: the cards hold placeholders, not sums.
    let cards = browser.execute(
        "return [...document.querySelectorAll('.cca-card__value')].map(v => [v.textContent, !!v.querySelector('.cca-skeleton'), v.getAttribute('aria-busy')])",
        vec![],
    )?;
    let cards = cards.as_array().cloned().unwrap_or_default();
    assert!(!cards.is_empty());
    for card in &cards {
        assert_eq!(card, &serde_json::json!(["", true, "true"]), "{cards:?}");
    }
    browser.wait_for(
        "performance.getEntriesByName('cca:first-chart').length === 1",
        WAIT,
    )?;
    // Every width the chart's canvas has from now on (a record's old value,
    // then the current one).
    browser.execute(
        "const canvas = document.querySelector('.cca-chart__canvas');
         window.__changes = [];
         new MutationObserver(records => records.forEach(r => window.__changes.push(r.oldValue)))
           .observe(canvas, {attributes: true, attributeFilter: ['width'], attributeOldValue: true});",
        vec![],
    )?;
    wait_progress(&browser, "7/7", WAIT)?;
    browser.wait_for(
        "[...document.querySelectorAll('.cca-card__value')].every(v => v.textContent !== '' && !v.hasAttribute('aria-busy'))",
        WAIT,
    )?;
    // The draw of the complete week: a new store of the same size ...
    browser.wait_for("window.__changes.length >= 2", WAIT)?;
    std::thread::sleep(Duration::from_millis(300));
    let widths = browser.execute(
        "return [...window.__changes, document.querySelector('.cca-chart__canvas').getAttribute('width')]",
        vec![],
    )?;
    let width = widths[0].clone();
    assert!(width.as_str().is_some_and(|w| w != "0"), "{widths}");
    assert_eq!(widths, serde_json::json!([width, "0", width]), "{widths}");
    // ... with the chart drawn on it.
    let inked = browser.execute(
        "const c = document.querySelector('.cca-chart__canvas');
         const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
         let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
         return n;",
        vec![],
    )?;
    assert!(inked.as_u64().is_some_and(|n| n > 1000), "{inked}");
    Ok(())
}

/// The most answers that finished within one latency window of each other:
/// a lower bound on requests in flight at once (the log has finish times only).
fn max_in_flight(log: &[LogEntry], latency_ms: u128) -> usize {
    let times: Vec<u128> = log.iter().map(|r| r.at_ms).collect();
    times
        .iter()
        .map(|&t| {
            times
                .iter()
                .filter(|&&u| u >= t && u < t + latency_ms / 2)
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// JS: how many entries of a User Timing mark the page has.
fn mark_count(name: &str) -> String {
    format!("return performance.getEntriesByName({name:?}, 'mark').length")
}

#[test]
fn page_load_marks_are_set_once_per_page_load() -> TestResult {
    let server = start_with_api(serve_dist(), "")?;
    let browser = Browser::start(BrowserOptions::default())?;

    browser.goto(&server.url("/claude-code/?range=7d"))?;
    wait_progress(&browser, "7/7", WAIT)?;
    browser.wait_for(
        "performance.getEntriesByName('cca:first-chart', 'mark').length > 0 && performance.getEntriesByName('cca:range-loaded', 'mark').length > 0",
        WAIT,
    )?;
    // Another range in the same page load adds no second mark.
    browser.execute(
        "[...document.querySelectorAll('.cca-range__preset')].find(b => b.textContent === 'Last 30 days').click()",
        vec![],
    )?;
    wait_progress(&browser, "30/30", WAIT)?;
    browser.wait_for("!!document.querySelector('.cca-chart canvas')", WAIT)?;
    for name in ["cca:first-chart", "cca:range-loaded"] {
        assert_eq!(browser.execute(&mark_count(name), vec![])?, 1, "{name}");
    }
    Ok(())
}

/// JS: the cards' top within the page, in px (or null). The load progress
/// takes no room of its own, so at no width does its end move the body.
const CARDS_IN_PAGE: &str = "const page = document.querySelector('.cca-page');
    const cards = page?.querySelector('.cca-page__body .cca-page__content .cca-cards');
    return cards ? cards.getBoundingClientRect().top - page.getBoundingClientRect().top : null";

/// JS: `[whether every card's change line has its text, the first chart's
/// top within the page in px]`.
const CHANGES_AND_CHART: &str = "const page = document.querySelector('.cca-page');
    const changes = [...page.querySelectorAll('.cca-card__change')];
    const chart = page.querySelector('.cca-chart');
    return [changes.length > 0 && changes.every(c => c.textContent.length > 0),
            chart.getBoundingClientRect().top - page.getBoundingClientRect().top]";

#[test]
fn the_page_body_is_built_under_the_skeleton_and_stays_in_place() -> TestResult {
    let server = start_with_api(serve_dist(), "")?;
    // Long enough to look at the loading state.
    server.add_fault(FaultRule::usage(Fault::Latency(Duration::from_millis(
        1500,
    ))));
    // The previous 7 days (the cards' comparisons) come later still.
    let today = chrono::Utc::now().date_naive();
    for back in 7..14 {
        server.add_fault(
            FaultRule::usage(Fault::Latency(Duration::from_millis(2500)))
                .for_day(today - chrono::TimeDelta::days(back)),
        );
    }
    let phone_dark = BrowserOptions {
        width: 390,
        height: 844,
        dark: true,
        ..BrowserOptions::default()
    };
    for (name, options) in [
        ("desktop-light", BrowserOptions::default()),
        ("phone-dark", phone_dark),
    ] {
        body_under_the_skeleton(&server, options, name)?;
    }
    Ok(())
}

fn body_under_the_skeleton(server: &TestServer, options: BrowserOptions, name: &str) -> TestResult {
    let wide = options.width >= 800;
    let browser = Browser::start(options)?;
    browser.goto(&server.url("/claude-code/?range=7d"))?;
    // While the first day is on the way: the skeleton shows, and the body is
    // already there, laid out but hidden and out of the accessibility tree.
    browser.wait_for(
        "!!document.querySelector('.cca-loading') && !!document.querySelector('.cca-page__content .cca-chart canvas')",
        WAIT,
    )?;
    browser.screenshot(&screenshot_dir().join(format!("loading-{name}.png")))?;
    let hidden = browser.execute(
        "const c = document.querySelector('.cca-page__content');
         return [getComputedStyle(c).visibility, c.getAttribute('aria-hidden'),
                 c.querySelector('.cca-chart canvas').getBoundingClientRect().width > 0]",
        vec![],
    )?;
    assert_eq!(
        hidden,
        serde_json::json!(["hidden", "true", true]),
        "{name}"
    );
    assert_eq!(
        browser.execute(&mark_count("cca:first-chart"), vec![])?,
        0,
        "{name}"
    );
    // The progress: its count on the status line where there is room, else
    // a bar as wide as the line in the gap under it, its count for screen
    // readers only.
    let progress = browser.execute(
        "const p = document.querySelector('.cca-status-line > .cca-progress');
         const line = p.parentElement.getBoundingClientRect();
         const bar = p.querySelector('.cca-progress__bar').getBoundingClientRect();
         const label = p.querySelector('span').getBoundingClientRect();
         return [p.getAttribute('role'), /^Loading \\d of 7 days…$/.test(p.textContent),
                 bar.width >= line.width * 0.95, label.width > 1]",
        vec![],
    )?;
    assert_eq!(
        progress,
        serde_json::json!(["progressbar", true, !wide, wide]),
        "{name}"
    );
    let cards_loading = browser.execute(CARDS_IN_PAGE, vec![])?;
    assert!(cards_loading.is_number(), "{name}: {cards_loading}");

    // The data comes: the same body is shown in place and the charts draw.
    browser.wait_for(
        "document.querySelector('.cca-page')?.dataset.progress === '7/7' && !document.querySelector('.cca-loading')",
        WAIT,
    )?;
    browser.wait_for(
        "performance.getEntriesByName('cca:first-chart', 'mark').length === 1",
        WAIT,
    )?;
    browser.screenshot(&screenshot_dir().join(format!("loaded-{name}.png")))?;
    let shown = browser.execute(
        "const c = document.querySelector('.cca-page__content');
         return [getComputedStyle(c).visibility, c.getAttribute('aria-hidden')]",
        vec![],
    )?;
    assert_eq!(shown, serde_json::json!(["visible", null]), "{name}");
    let cards_ready = browser.execute(CARDS_IN_PAGE, vec![])?;
    assert_eq!(cards_ready, cards_loading, "{name}: the cards moved");

    // Then the previous period fills in the cards' change lines, whose room
    // was kept: the charts under the cards stay where they are.
    let before = browser.execute(CHANGES_AND_CHART, vec![])?;
    assert_eq!(before[0], false, "{name}: the comparison came too soon");
    browser.wait_for(
        "[...document.querySelectorAll('.cca-card__change')].every(c => c.textContent.length > 0)",
        WAIT,
    )?;
    let after = browser.execute(CHANGES_AND_CHART, vec![])?;
    assert_eq!(after[0], true, "{name}");
    assert_eq!(
        after[1], before[1],
        "{name}: the change lines moved the charts"
    );
    Ok(())
}

#[test]
fn a_day_two_loads_want_is_asked_for_once() -> TestResult {
    let server = start_with_api(serve_dist(), "")?;
    server.add_fault(FaultRule::usage(Fault::Latency(Duration::from_millis(40))));
    let browser = Browser::start(BrowserOptions::default())?;
    // The spend page shows its range and also adds up the month to date,
    // whose days all lie within the last 30, and the four weeks before
    // today; its value view compares with the period before.
    browser.goto(&server.url("/claude-code/spend?range=30d"))?;
    browser.wait_for(
        "document.querySelector('.cca-page')?.dataset.progress === '30/30'
         && document.querySelector('.cca-page')?.dataset.settled === 'true'
         && !/^—$/.test(document.querySelector('[data-metric=spend-projection] .cca-card__value')?.textContent ?? '—')",
        WAIT,
    )?;
    let usage = server.usage_requests();
    let first_pages: Vec<_> = usage
        .iter()
        .filter(|r| !r.query.contains("page="))
        .filter_map(|r| r.day)
        .collect();
    let days: BTreeSet<_> = first_pages.iter().copied().collect();
    let today = chrono::Utc::now().date_naive();
    let range = RangePreset::Last30.resolve(today);
    let compared = comparison_period(RangeSelection::Preset(RangePreset::Last30), range);
    let expected: BTreeSet<_> = range.days().chain(compared.days()).collect();
    assert_eq!(days, expected, "{usage:?}");
    assert_eq!(
        first_pages.len(),
        60,
        "a day was asked for twice: {usage:?}"
    );
    Ok(())
}

#[test]
fn the_pages_own_days_are_asked_for_before_those_it_compares_with() -> TestResult {
    let server = start_with_api(serve_dist(), "")?;
    server.add_fault(FaultRule::usage(Fault::Latency(Duration::from_millis(100))));
    let browser = Browser::start(BrowserOptions::default())?;
    // The overview's 7 days, then the 7 before them for its comparisons.
    browser.goto(&server.url("/claude-code/?range=7d"))?;
    browser.wait_for(
        "[...document.querySelectorAll('.cca-card__change')].every(c => c.textContent.length > 0)
         && document.querySelector('.cca-page')?.dataset.progress === '7/7'",
        WAIT,
    )?;
    let today = chrono::Utc::now().date_naive();
    let shown = today - chrono::TimeDelta::days(6);
    let usage: Vec<_> = server
        .usage_requests()
        .into_iter()
        .filter(|r| !r.query.contains("page="))
        .collect();
    let last_shown = usage
        .iter()
        .filter(|r| r.day.is_some_and(|d| d >= shown))
        .map(|r| r.at_ms)
        .max()
        .ok_or("no request for the page's days")?;
    // Six connections: the page's 7th day goes out with the first five of
    // the previous period, not after six of them.
    let compared_before = usage
        .iter()
        .filter(|r| r.day.is_some_and(|d| d < shown) && r.at_ms < last_shown)
        .count();
    assert!(compared_before <= 5, "{compared_before} of {usage:?}");
    Ok(())
}

/// A change against the compared period waits for all of its days: with one
/// of them late, the cards of the current week show their figures and no
/// change line (a change against six days of seven would be wrong), then
/// every change line once the late day arrives.
#[test]
fn change_lines_wait_for_the_whole_compared_period() -> TestResult {
    let server = start_with_api(serve_dist(), "")?;
    // The overview's 7 days are compared with the 7 before them.
    let late = chrono::Utc::now().date_naive() - chrono::TimeDelta::days(10);
    server.add_fault(FaultRule::usage(Fault::Latency(Duration::from_millis(4000))).for_day(late));
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/claude-code/?range=7d"))?;
    browser.wait_for(
        "[...document.querySelectorAll('.cca-card__value')].every(v => v.textContent !== '' && !v.hasAttribute('aria-busy'))",
        WAIT,
    )?;
    let changes =
        "return [...document.querySelectorAll('.cca-card__change')].map(c => c.textContent)";
    let early = browser.execute(changes, vec![])?;
    let early = early.as_array().cloned().unwrap_or_default();
    assert!(!early.is_empty());
    assert!(
        early.iter().all(|c| c == ""),
        "a change line before the compared week loaded: {early:?}"
    );
    browser.wait_for(
        "[...document.querySelectorAll('.cca-card__change')].every(c => c.textContent.length > 0)",
        WAIT,
    )?;
    Ok(())
}
