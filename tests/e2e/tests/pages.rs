//! Every metric page on the small hand-made organization of
//! `cca::model::fixture` (whose figures the native tests compute by hand),
//! served through the console API by the test server: the numbers shown,
//! the date range's URL round trip, the team table's sorting, filtering and CSV.

use std::time::Duration;

use cca::model::fixture::small_org_records;
use cca_e2e::{
    card_value, screenshot_dir, serve_records, start_with_api, wait_days_loaded, Browser,
    BrowserOptions, TestServer,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(20);
const RANGE: &str = "from=2025-09-08&to=2025-09-10";
const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}";
const ENTER: &str = "\u{E007}";
const SPACE: &str = "\u{E00D}";

fn fixture_server() -> Result<TestServer, Box<dyn std::error::Error>> {
    Ok(start_with_api(
        serve_records(small_org_records()),
        r#","theme":"light""#,
    )?)
}

/// Opens a page of the fixture's range and waits until its data is shown.
fn open(
    browser: &Browser,
    server: &TestServer,
    path: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let (query, days) = if path == "team" {
        ("month=2025-09", 30)
    } else {
        (RANGE, 3)
    };
    browser.goto(&server.url(&format!("/claude-code/{path}?{query}")))?;
    wait_days_loaded(browser, days, WAIT)?;
    Ok(())
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

fn shot(browser: &Browser, name: &str) -> TestResult {
    browser.screenshot(&screenshot_dir().join(format!("fixture-{name}.png")))?;
    Ok(())
}

/// The pressed option(s) of the leaderboard's toggle.
fn pressed_board(browser: &Browser) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    Ok(browser.texts("[data-board][aria-pressed=true]")?)
}

/// The member-page links of the leaderboard shown, in order.
fn member_links(browser: &Browser) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    Ok(serde_json::from_value(browser.execute(
        "return [...document.querySelectorAll('[data-top] tbody th a')].map(a => a.getAttribute('href'))",
        vec![],
    )?)?)
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

#[test]
fn overview_cards_and_top_members_match_the_hand_computed_figures() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;
    open(&browser, &server, "")?;
    assert_eq!(card_value(&browser, "lines")?, "215");
    assert_eq!(card_value(&browser, "accept-rate")?, "65.8%");
    assert_eq!(card_value(&browser, "active-users")?, "3");
    assert_eq!(card_value(&browser, "sessions")?, "16");
    assert_eq!(card_value(&browser, "spend")?, "$3.13 + 3.00 EUR");
    assert_eq!(card_value(&browser, "commits")?, "4");
    assert_eq!(card_value(&browser, "pull-requests")?, "2");
    let note = browser.wait_text(".cca-range-note", WAIT)?;
    assert_eq!(note, "Sep 8 – Sep 10, 2025 (3 days) · days are UTC");
    // The leaderboard: by lines first, the other boards one click away.
    assert_eq!(
        table(&browser, "[data-top=lines]")?,
        [
            row(&["alice@example.com User", "160"]),
            row(&["bob@example.com User", "40"]),
            row(&["ci-bot API key", "15"]),
        ]
    );
    assert_eq!(pressed_board(&browser)?, ["Lines"]);
    browser.click("[data-board=spend]")?;
    browser.wait_for("!!document.querySelector('[data-top=spend]')", WAIT)?;
    assert_eq!(pressed_board(&browser)?, ["Spend"]);
    assert_eq!(
        browser.texts("[data-top] thead th")?,
        ["Member", "Spend (est.)"]
    );
    // Euros only: after every dollar figure, as the team table sorts them.
    assert_eq!(
        table(&browser, "[data-top=spend]")?,
        [
            row(&["alice@example.com User", "$2.75"]),
            row(&["ci-bot API key", "$0.38"]),
            row(&["bob@example.com User", "3.00 EUR"]),
        ]
    );
    browser.click("[data-board=sessions]")?;
    browser.wait_for("!!document.querySelector('[data-top=sessions]')", WAIT)?;
    assert_eq!(
        table(&browser, "[data-top=sessions]")?,
        [
            row(&["alice@example.com User", "9"]),
            row(&["ci-bot API key", "4"]),
            row(&["bob@example.com User", "3"]),
        ]
    );
    // By keyboard: Tab to the next option, Enter presses it. Only alice
    // made pull requests: a board of one, not of zeros.
    browser.execute(
        "document.querySelector('[data-board=spend]').focus()",
        vec![],
    )?;
    browser.send_keys(TAB)?;
    browser.send_keys(TAB)?;
    browser.send_keys(ENTER)?;
    browser.wait_for("!!document.querySelector('[data-top=pull-requests]')", WAIT)?;
    assert_eq!(pressed_board(&browser)?, ["Pull requests"]);
    assert_eq!(
        table(&browser, "[data-top=pull-requests]")?,
        [row(&["alice@example.com User", "2"])]
    );
    // Every name links to its member page, on the same range.
    browser.send_keys(SHIFT_TAB)?;
    browser.send_keys(SPACE)?;
    browser.wait_for("!!document.querySelector('[data-top=sessions]')", WAIT)?;
    assert_eq!(
        member_links(&browser)?,
        [
            format!("/claude-code/team/alice@example.com?{RANGE}"),
            format!("/claude-code/team/key:ci-bot?{RANGE}"),
            format!("/claude-code/team/bob@example.com?{RANGE}"),
        ]
    );
    browser.execute(
        "document.querySelector('.cca-top-members').scrollIntoView({block: 'end'})",
        vec![],
    )?;
    shot(&browser, "overview-leaderboard")?;
    browser.click("[data-board=lines]")?;
    browser.wait_for("!!document.querySelector('[data-top=lines]')", WAIT)?;
    // A viewer who sees spend is told it is estimated.
    assert_eq!(
        browser.texts(".cca-footer")?.join(" "),
        "All days are UTC. Spend figures are estimates."
    );
    shot(&browser, "overview")
}

#[test]
fn lines_page_and_its_table_view() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;
    open(&browser, &server, "lines")?;
    assert_eq!(card_value(&browser, "lines-total")?, "215");
    assert_eq!(card_value(&browser, "lines-per-day")?, "72");
    assert_eq!(card_value(&browser, "lines-removed")?, "61");
    shot(&browser, "lines")?;
    browser.click(".cca-chart__action[aria-pressed]")?;
    browser.wait_for("!!document.querySelector('.cca-chart__table')", WAIT)?;
    assert_eq!(
        table(&browser, ".cca-chart__table")?,
        [
            row(&["Mon, Sep 8, 2025", "150", "30", "150"]),
            row(&["Tue, Sep 9, 2025", "60", "30", "210"]),
            row(&["Wed, Sep 10, 2025", "5", "1", "215"]),
        ]
    );
    Ok(())
}

#[test]
fn accept_rate_page_per_tool() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;
    open(&browser, &server, "accept-rate")?;
    let tools = table(&browser, "[data-table=tools]")?;
    assert_eq!(
        tools,
        [
            row(&["Edit", "16", "8", "66.7%"]),
            row(&["MultiEdit", "3", "1", "75.0%"]),
            row(&["Write", "2", "0", "100.0%"]),
            row(&["NotebookEdit", "0", "0", "—"]),
            row(&["apply_patch", "4", "4", "50.0%"]),
        ]
    );
    // The day without decisions is a gap in the chart's table, never 0 %.
    browser.click(".cca-chart__action[aria-pressed]")?;
    browser.wait_for("!!document.querySelector('.cca-chart__table')", WAIT)?;
    let days = table(&browser, ".cca-chart__table")?;
    assert_eq!(days[0][..2], row(&["Mon, Sep 8, 2025", "70.8%"])[..]);
    assert_eq!(days[1][..2], row(&["Tue, Sep 9, 2025", "57.1%"])[..]);
    assert_eq!(days[2][..2], row(&["Wed, Sep 10, 2025", "—"])[..]);
    shot(&browser, "accept-rate")
}

#[test]
fn activity_and_spend_pages() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;
    open(&browser, &server, "activity")?;
    assert_eq!(card_value(&browser, "active-users")?, "3");
    assert_eq!(card_value(&browser, "average-daily-users")?, "2.0");
    assert_eq!(card_value(&browser, "sessions")?, "16");
    assert_eq!(
        table(&browser, "[data-table=terminals]")?,
        [
            row(&["unknown", "3", "4"]),
            row(&["vscode", "2", "9"]),
            row(&["iTerm.app", "1", "3"])
        ]
    );
    browser.click(".cca-chart__action[aria-pressed]")?;
    browser.wait_for("!!document.querySelector('.cca-chart__table')", WAIT)?;
    assert_eq!(
        table(&browser, ".cca-chart__table")?,
        [
            row(&["Mon, Sep 8, 2025", "9", "3"]),
            row(&["Tue, Sep 9, 2025", "6", "2"]),
            row(&["Wed, Sep 10, 2025", "1", "1"]),
        ]
    );
    shot(&browser, "activity")?;

    open(&browser, &server, "spend")?;
    assert_eq!(card_value(&browser, "spend")?, "$3.13 + 3.00 EUR");
    assert_eq!(card_value(&browser, "spend-per-day")?, "$1.04");
    assert_eq!(
        table(&browser, "[data-table=models]")?,
        [
            row(&[
                "claude-sonnet-4-5-20250929",
                "2,600",
                "1,070",
                "300",
                "150",
                "$3.08"
            ]),
            row(&[
                "claude-opus-4-1-20250805",
                "2,000",
                "800",
                "0",
                "0",
                "3.00 EUR"
            ]),
            row(&["claude-haiku-4-5-20251001", "300", "100", "0", "0", "$0.05"]),
        ]
    );
    // The value view: $3.13 and €3.00, each divided on its own (see
    // `model::value`): 16 sessions, 3 + 2 + 1 active user-days, 215 lines,
    // 4 commits, 2 pull requests. Sep 1 – 3, compared with, had no usage.
    let value = [
        (
            "cost-per-session",
            "$0.20 + 0.19 EUR",
            "was — (no sessions)",
        ),
        (
            "cost-per-user-day",
            "$0.52 + 0.50 EUR",
            "was — (no active users)",
        ),
        (
            "cost-per-1000-lines",
            "$14.56 + 13.95 EUR",
            "was — (no lines accepted)",
        ),
        ("cost-per-commit", "$0.78 + 0.75 EUR", "was — (no commits)"),
        (
            "cost-per-pull-request",
            "$1.57 + 1.50 EUR",
            "was — (no pull requests)",
        ),
    ];
    for (metric, figure, change) in value {
        assert_eq!(card_value(&browser, metric)?, figure, "{metric}");
        let line = format!("[data-metric={metric}] .cca-card__change");
        assert_eq!(browser.wait_text(&line, WAIT)?, change, "{metric}");
    }
    assert!(browser
        .texts(".cca-value .cca-note")?
        .join(" ")
        .contains("Each change compares with Sep 1 – Sep 3"));
    // Each says how it is computed and that spend is an estimate.
    let tip = browser.execute(
        "return document.querySelector('[data-metric=cost-per-user-day] .cca-info__text').textContent",
        vec![],
    )?;
    let tip = tip.as_str().unwrap_or_default();
    assert!(
        tip.contains("each day's active users") && tip.contains("estimate"),
        "{tip}"
    );
    browser.execute(
        "document.querySelector('.cca-value').scrollIntoView({block: 'start'})",
        vec![],
    )?;
    shot(&browser, "spend-value")?;
    browser.execute("window.scrollTo(0, 0)", vec![])?;
    shot(&browser, "spend")
}

/// Records of Sep 1 and Sep 8, 2025 (a Monday each): Sep 8 alone is
/// compared with Sep 1, a week before.
///
/// | day   | sessions | lines | commits | PRs | spend |
/// |-------|----------|-------|---------|-----|-------|
/// | Sep 1 | 4        | 200   | 2       | 2   | $1.00 |
/// | Sep 8 | 5        | 400   | 0       | 1   | $1.00 |
fn value_change_records() -> Vec<cca::model::record::UsageRecord> {
    use cca::model::fixture::{blank_record, user};
    let mut records = Vec::new();
    for (day, sessions, lines, commits, prs) in [(1, 4, 200, 2, 2), (8, 5, 400, 0, 1)] {
        let date = chrono::NaiveDate::from_ymd_opt(2025, 9, day).unwrap_or_default();
        let mut r = blank_record(date, user("alice@example.com"));
        r.core_metrics.num_sessions = sessions;
        r.core_metrics.lines_of_code.added = lines;
        r.core_metrics.commits_by_claude_code = commits;
        r.core_metrics.pull_requests_by_claude_code = prs;
        r.model_breakdown.push(cca::model::record::ModelUsage {
            model: "claude-sonnet-4-5".into(),
            tokens: Default::default(),
            estimated_cost: Some(cca::model::record::Cost {
                currency: "USD".into(),
                amount: 100,
            }),
        });
        records.push(r);
    }
    records
}

#[test]
fn value_figures_change_against_the_compared_period() -> TestResult {
    // The host's theme left to the browser: light here, dark on the phone below.
    let server = start_with_api(serve_records(value_change_records()), "")?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/claude-code/spend?from=2025-09-08&to=2025-09-08"))?;
    wait_days_loaded(&browser, 1, WAIT)?;
    // Worked out by hand: Sep 8 against Sep 1. A falling cost is good news
    // (the "up" colour), a rising one bad; under 1 % is not coloured.
    let expected = [
        // 100 ¢ ÷ 5 = $0.20 against 100 ÷ 4 = $0.25.
        ("cost-per-session", "$0.20", "−20.0% · was $0.25", "up"),
        // One active user-day each: $1.00 both times.
        ("cost-per-user-day", "$1.00", "+0.0% · was $1.00", ""),
        // 100 × 1,000 ÷ 400 = $2.50 against ÷ 200 = $5.00.
        ("cost-per-1000-lines", "$2.50", "−50.0% · was $5.00", "up"),
        // No commit on Sep 8: no figure, never ∞; 100 ÷ 2 = $0.50 before.
        ("cost-per-commit", "—", "was $0.50", ""),
        // 100 ÷ 1 = $1.00 against 100 ÷ 2 = $0.50.
        (
            "cost-per-pull-request",
            "$1.00",
            "+100.0% · was $0.50",
            "down",
        ),
    ];
    for (metric, figure, change, colour) in expected {
        let line = format!("[data-metric={metric}] .cca-card__change");
        browser.wait_for(
            &format!("document.querySelector('{line}')?.textContent === '{change}'"),
            WAIT,
        )?;
        assert_eq!(card_value(&browser, metric)?, figure, "{metric}");
        let class = browser.execute(
            "return document.querySelector(arguments[0]).className",
            vec![serde_json::Value::String(line)],
        )?;
        let modifier = class
            .as_str()
            .unwrap_or_default()
            .split_whitespace()
            .find_map(|c| c.strip_prefix("cca-card__change--"))
            .unwrap_or_default()
            .to_owned();
        assert_eq!(modifier, colour, "{metric}");
    }
    assert_eq!(
        browser.texts("[data-metric=cost-per-commit] .cca-card__note")?,
        ["No commits by Claude Code in this range"]
    );
    browser.execute(
        "document.querySelector('.cca-value').scrollIntoView({block: 'start'})",
        vec![],
    )?;
    shot(&browser, "spend-value-change")?;

    // At phone width in dark: the same cards, nothing clipped or off screen.
    let phone = Browser::start(BrowserOptions {
        width: 390,
        height: 844,
        dark: true,
        ..BrowserOptions::default()
    })?;
    phone.goto(&server.url("/claude-code/spend?from=2025-09-08&to=2025-09-08"))?;
    wait_days_loaded(&phone, 1, WAIT)?;
    phone.wait_for(
        "document.querySelector('[data-metric=cost-per-pull-request] .cca-card__change')?.textContent.length > 0",
        WAIT,
    )?;
    phone.execute(
        "document.querySelector('.cca-value').scrollIntoView({block: 'start'})",
        vec![],
    )?;
    let overflow = phone.execute(cca_e2e::HORIZONTAL_OVERFLOW_JS, vec![])?;
    assert!(
        overflow.as_f64().unwrap_or(1.0) <= 0.0,
        "overflows by {overflow}"
    );
    // Every figure and change line inside its card.
    let clipped = phone.execute(
        "return [...document.querySelectorAll('.cca-value .cca-card')].filter(card => {
           const box = card.getBoundingClientRect();
           return [...card.querySelectorAll('.cca-card__value, .cca-card__change, .cca-card__note')]
             .some(e => { const r = e.getBoundingClientRect(); return r.right > box.right + 0.5 || e.scrollWidth > e.clientWidth + 1; });
         }).map(card => card.dataset.metric)",
        vec![],
    )?;
    assert_eq!(clipped, serde_json::json!([]));
    phone.screenshot(&screenshot_dir().join("phone-dark-spend-value.png"))?;
    Ok(())
}

#[test]
fn team_table_sorts_filters_and_exports_every_row() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;
    open(&browser, &server, "team")?;
    let members = |b: &Browser| -> Result<Vec<String>, Box<dyn std::error::Error>> {
        Ok(table(b, "[data-table=team]")?
            .into_iter()
            .map(|r| r[0].clone())
            .collect())
    };
    // Default: spend, highest first; EUR-only spend sorts after any dollars.
    assert_eq!(
        members(&browser)?,
        ["alice@example.com", "ci-bot", "bob@example.com"]
    );
    assert_eq!(
        table(&browser, "[data-table=team]")?[0],
        row(&[
            "alice@example.com",
            "User",
            "$2.75",
            "160",
            "9",
            "69.2%",
            "3",
            "Sep 9"
        ])
    );
    browser.click("[data-column=Lines]")?;
    assert_eq!(
        members(&browser)?,
        ["alice@example.com", "bob@example.com", "ci-bot"]
    );
    browser.click("[data-column=Lines]")?;
    assert_eq!(
        members(&browser)?,
        ["ci-bot", "bob@example.com", "alice@example.com"]
    );
    browser.click("[data-column=LastActive]")?;
    assert_eq!(
        members(&browser)?,
        ["ci-bot", "alice@example.com", "bob@example.com"]
    );
    browser.click("[data-column=Member]")?;
    assert_eq!(
        members(&browser)?,
        ["alice@example.com", "bob@example.com", "ci-bot"]
    );

    // Text filter, then kind filter.
    browser.execute(
        "const i = document.querySelector('.cca-team-filter'); i.value = 'BOB'; i.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![],
    )?;
    assert_eq!(members(&browser)?, ["bob@example.com"]);
    // Two events, as a person makes them: the view is read back from the
    // URL, which the router updates between them.
    browser.execute(
        "const i = document.querySelector('.cca-team-filter'); i.value = ''; i.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![],
    )?;
    browser.execute(
        "const k = document.querySelector('.cca-team-kind'); k.value = 'api'; k.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )?;
    assert_eq!(members(&browser)?, ["ci-bot"]);
    browser.execute(
        "const k = document.querySelector('.cca-team-kind'); k.value = ''; k.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )?;

    // The CSV has every row, in the table's order.
    browser.execute(
        "window.__blobs = []; const orig = URL.createObjectURL.bind(URL);
         URL.createObjectURL = b => { window.__blobs.push(b); return orig(b); };",
        vec![],
    )?;
    browser.click(".cca-team-csv")?;
    let csv = browser.execute("return window.__blobs[0]?.text()", vec![])?;
    assert_eq!(
        csv.as_str().unwrap_or_default(),
        "member,kind,spend_usd,spend_other_currencies,lines_accepted,sessions,edits_accepted,edits_rejected,accept_rate,commits,pull_requests,last_active\n\
         alice@example.com,User,2.75,,160,9,18,8,0.6923,3,2,2025-09-09\n\
         bob@example.com,User,0.00,3.00 EUR,40,3,7,5,0.5833,1,0,2025-09-08\n\
         ci-bot,API key,0.38,,15,4,0,0,,0,0,2025-09-10\n"
    );
    shot(&browser, "team")
}

#[test]
fn the_date_range_lives_in_the_url() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;
    open(&browser, &server, "lines")?;
    let pressed = |b: &Browser| b.texts(".cca-range__preset[aria-pressed=true]");
    assert!(
        pressed(&browser)?.is_empty(),
        "a custom range presses no preset"
    );

    // A preset writes the URL ...
    browser.execute(
        "[...document.querySelectorAll('.cca-range__preset')].find(b => b.textContent === 'Last 30 days').click()",
        vec![],
    )?;
    browser.wait_for("location.search === '?range=30d'", WAIT)?;
    assert_eq!(pressed(&browser)?, ["Last 30 days"]);
    // ... which survives a reload ...
    browser.refresh()?;
    browser.wait_for("document.querySelector('.cca-range__preset[aria-pressed=true]')?.textContent === 'Last 30 days'", WAIT)?;
    // ... follows the navigation to another page ...
    browser.click(".cca-nav__link[href*='/activity']")?;
    browser.wait_for(
        "location.pathname.endsWith('/activity') && location.search === '?range=30d'",
        WAIT,
    )?;
    assert_eq!(pressed(&browser)?, ["Last 30 days"]);
    // ... and back/forward restore the earlier range.
    browser.back()?;
    browser.wait_for("location.pathname.endsWith('/lines')", WAIT)?;
    browser.back()?;
    browser.wait_for(&format!("location.search === '?{RANGE}'"), WAIT)?;
    browser.wait_for(
        "document.querySelector('.cca-range-note')?.textContent.startsWith('Sep 8 – Sep 10, 2025')",
        WAIT,
    )?;
    assert_eq!(card_value(&browser, "lines-total")?, "215");

    // A range with nothing in it says so.
    browser.goto(&server.url("/claude-code/lines?from=2025-08-01&to=2025-08-05"))?;
    assert_eq!(
        browser.wait_text(".cca-empty h2", WAIT)?,
        "No usage in this range"
    );
    // A broken range in the URL is reported, and the default shown.
    browser.goto(&server.url("/claude-code/lines?from=2025-09-10&to=2025-09-01"))?;
    let problem = browser.wait_text(".cca-range [role=status]", WAIT)?;
    assert_eq!(
        problem,
        "This link's date range could not be used. The start date, Sep 10, 2025, is after \
         the end date, Sep 1, 2025. Showing the last 30 days instead."
    );
    // So is a range that starts after today (not silently today alone).
    browser.goto(&server.url("/claude-code/lines?from=2099-01-01&to=2099-01-05"))?;
    let problem = browser.wait_text(".cca-range [role=status]", WAIT)?;
    assert!(
        problem.contains("The range starts on Jan 1, 2099, after today"),
        "{problem}"
    );
    Ok(())
}

#[test]
fn the_custom_range_fields_open_on_demand() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;
    const FORM: &str = "document.querySelector('.cca-range__custom')";
    const FIELDS: &str = "document.querySelectorAll('.cca-range__custom input[type=date]')";
    // A preset shows no date fields; the custom range is one click away.
    browser.goto(&server.url("/claude-code/lines?range=30d"))?;
    browser.wait_for(
        "document.querySelector('.cca-range__toggle')?.getAttribute('aria-expanded') === 'false'",
        WAIT,
    )?;
    assert_eq!(
        browser.execute(&format!("return {FIELDS}.length"), vec![])?,
        0
    );

    // Opening them puts the keyboard in the first, filled with the range shown.
    browser.click(".cca-range__toggle")?;
    browser.wait_for(&format!("document.activeElement === {FIELDS}[0]"), WAIT)?;
    assert_eq!(
        browser.execute(
            &format!(
                "const [from, to] = {FIELDS}; \
                 return /^\\d{{4}}-\\d{{2}}-\\d{{2}}$/.test(from.value) && from.value < to.value \
                   && document.querySelector('.cca-range__toggle').getAttribute('aria-expanded')"
            ),
            vec![]
        )?,
        "true"
    );

    // Escape closes them and gives the keyboard back to the button.
    browser.execute(
        "document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))",
        vec![],
    )?;
    browser.wait_for(
        &format!(
            "!{FORM} && document.activeElement === document.querySelector('.cca-range__toggle')"
        ),
        WAIT,
    )?;

    // A custom range keeps its fields open, also after a reload ...
    browser.click(".cca-range__toggle")?;
    browser.wait_for(&format!("{FIELDS}.length === 2"), WAIT)?;
    browser.execute(
        &format!(
            "const [from, to] = {FIELDS};
             for (const [input, value] of [[from, '2025-09-08'], [to, '2025-09-10']]) {{
               input.value = value; input.dispatchEvent(new Event('input', {{bubbles: true}}));
             }}
             {FORM}.requestSubmit();"
        ),
        vec![],
    )?;
    browser.wait_for(&format!("location.search === '?{RANGE}'"), WAIT)?;
    // Reversed dates are refused in a sentence in the page's own text
    // size, with the dates written as the page writes them.
    browser.execute(
        &format!(
            "const [from, to] = {FIELDS};
             for (const [input, value] of [[from, '2025-09-10'], [to, '2025-09-08']]) {{
               input.value = value; input.dispatchEvent(new Event('input', {{bubbles: true}}));
             }}
             {FORM}.requestSubmit();"
        ),
        vec![],
    )?;
    assert_eq!(
        browser.wait_text(".cca-range__error[role=alert]", WAIT)?,
        "The start date, Sep 10, 2025, is after the end date, Sep 8, 2025."
    );
    assert_eq!(
        browser.execute(
            "return getComputedStyle(document.querySelector('.cca-range__error')).fontSize \
               === getComputedStyle(document.querySelector('.cca-page__lead')).fontSize",
            vec![]
        )?,
        true
    );
    assert_eq!(
        browser.execute("return location.search", vec![])?,
        format!("?{RANGE}")
    );
    browser.refresh()?;
    browser.wait_for(
        &format!("{FIELDS}.length === 2 && {FIELDS}[0].value === '2025-09-08'"),
        WAIT,
    )?;
    assert_eq!(card_value(&browser, "lines-total")?, "215");
    // ... and a preset closes them.
    browser.execute(
        "[...document.querySelectorAll('.cca-range__preset')].find(b => b.textContent === 'Last 7 days').click()",
        vec![],
    )?;
    browser.wait_for(&format!("location.search === '?range=7d' && !{FORM}"), WAIT)?;
    Ok(())
}

#[test]
fn top_members_count_every_day_of_a_range_across_a_month_and_a_year() -> TestResult {
    use cca::model::fixture::{api_key, blank_record, user};
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).ok_or("a date");
    let mut records = Vec::new();
    // alice works on both sides of the new year, bob only in December, the
    // bot only in January: each leaderboard needs all four days.
    for (date, who, lines, cents) in [
        (day(2025, 12, 30)?, user("alice@example.com"), 100, 50),
        (day(2025, 12, 31)?, user("alice@example.com"), 20, 10),
        (day(2025, 12, 31)?, user("bob@example.com"), 90, 200),
        (day(2026, 1, 1)?, user("alice@example.com"), 1_000, 300),
        (day(2026, 1, 2)?, api_key("ci-bot"), 95, 5),
        (day(2026, 1, 2)?, user("alice@example.com"), 3, 1),
    ] {
        let mut r = blank_record(date, who);
        r.core_metrics.num_sessions = 1;
        r.core_metrics.lines_of_code.added = lines;
        r.model_breakdown.push(cca::model::record::ModelUsage {
            model: "claude-sonnet-4-5".into(),
            tokens: Default::default(),
            estimated_cost: Some(cca::model::record::Cost {
                currency: "USD".into(),
                amount: cents,
            }),
        });
        records.push(r);
    }
    let server = start_with_api(serve_records(records), r#","theme":"light""#)?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/claude-code/?from=2025-12-30&to=2026-01-02"))?;
    cca_e2e::wait_progress(&browser, "4/4", WAIT)?;
    browser.wait_for("!document.querySelector('.cca-loading')", WAIT)?;
    assert_eq!(
        table(&browser, "[data-top=lines]")?,
        [
            row(&["alice@example.com User", "1,123"]),
            row(&["ci-bot API key", "95"]),
            row(&["bob@example.com User", "90"]),
        ]
    );
    browser.click("[data-board=spend]")?;
    browser.wait_for("!!document.querySelector('[data-top=spend]')", WAIT)?;
    assert_eq!(
        table(&browser, "[data-top=spend]")?,
        [
            row(&["alice@example.com User", "$3.61"]),
            row(&["bob@example.com User", "$2.00"]),
            row(&["ci-bot API key", "$0.05"]),
        ]
    );
    shot(&browser, "top-members-across-the-year")
}

#[test]
fn the_leaderboard_on_a_phone_in_dark() -> TestResult {
    let server = start_with_api(serve_records(small_org_records()), "")?;
    let browser = Browser::start(BrowserOptions {
        width: 390,
        height: 844,
        dark: true,
        ..BrowserOptions::default()
    })?;
    open(&browser, &server, "")?;
    browser.execute(
        "document.querySelector('.cca-top-members').scrollIntoView({block: 'start'})",
        vec![],
    )?;
    // The toggle's four options and every row's figure are on screen.
    let inside = "return [...document.querySelectorAll(arguments[0])].filter(e => {
        const r = e.getBoundingClientRect();
        return r.left >= 0 && r.right <= document.documentElement.clientWidth;
      }).length";
    for board in ["lines", "spend", "sessions", "pull-requests"] {
        browser.click(&format!("[data-board={board}]"))?;
        browser.wait_for(
            &format!("!!document.querySelector('[data-top={board}]')"),
            WAIT,
        )?;
        let options = browser.execute(inside, vec![serde_json::json!("[data-board]")])?;
        assert_eq!(options, serde_json::json!(4), "{board}: toggle on screen");
        let rows = table(&browser, &format!("[data-top={board}]"))?.len();
        let figures = browser.execute(inside, vec![serde_json::json!("[data-top] tbody td")])?;
        assert_eq!(
            figures,
            serde_json::json!(rows),
            "{board}: figures on screen"
        );
        let overflow = browser.execute(cca_e2e::HORIZONTAL_OVERFLOW_JS, vec![])?;
        assert!(
            overflow.as_f64().unwrap_or(1.0) <= 0.0,
            "{board}: overflows by {overflow}"
        );
    }
    browser.click("[data-board=spend]")?;
    browser.wait_for("!!document.querySelector('[data-top=spend]')", WAIT)?;
    browser.execute(
        "document.querySelector('.cca-top-members').scrollIntoView({block: 'start'})",
        vec![],
    )?;
    browser.screenshot(&screenshot_dir().join("phone-dark-leaderboard.png"))?;
    Ok(())
}
