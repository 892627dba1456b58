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
    assert_eq!(
        table(&browser, "[data-top=lines]")?,
        [
            row(&["alice@example.com User", "160"]),
            row(&["bob@example.com User", "40"]),
            row(&["ci-bot API key", "15"]),
        ]
    );
    let by_spend: Vec<String> = table(&browser, "[data-top=spend]")?
        .into_iter()
        .map(|r| r.join(" | "))
        .collect();
    assert_eq!(
        by_spend,
        [
            "alice@example.com User | $2.75",
            "ci-bot API key | $0.38",
            "bob@example.com User | 3.00 EUR"
        ]
    );
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
    shot(&browser, "spend")
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
    assert!(problem.contains("could not be used"), "{problem}");
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
