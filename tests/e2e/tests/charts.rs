//! Charts that read at a glance: the Day/Week/Month control on a long range
//! (in the URL, surviving a reload and the navigation, offered only where
//! it makes sense), legend entries that hide and show their series, and the
//! accept-rate chart's counts, on the hand-made organization of
//! `cca::model::fixture`; screenshots of the demo organization's charts by
//! week and by month, light and dark, wide and narrow.

use std::time::Duration;

use cca::model::fixture::small_org_records;
use cca_e2e::{
    screenshot_dir, serve_dist, serve_records, start_with_api, wait_days_loaded, Browser,
    BrowserOptions, TestServer, HORIZONTAL_OVERFLOW_JS,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(30);
/// The 90 days ending on the fixture's last day: 14 weeks, the first
/// (Fri Jun 13 – Sun Jun 15) and the last (Mon Sep 8 – Wed Sep 10) cut by
/// the range.
const QUARTER: &str = "from=2025-06-13&to=2025-09-10";
/// The fixture's own three days.
const DAYS: &str = "from=2025-09-08&to=2025-09-10";

fn fixture_server() -> Result<TestServer, Box<dyn std::error::Error>> {
    Ok(start_with_api(
        serve_records(small_org_records()),
        r#","theme":"light""#,
    )?)
}

/// The cells of each body row of the chart's table view (opened first).
fn chart_table(browser: &Browser) -> Result<Vec<Vec<String>>, Box<dyn std::error::Error>> {
    if browser.execute(
        "return !document.querySelector('.cca-chart__table')",
        vec![],
    )? == serde_json::json!(true)
    {
        browser.click(".cca-chart__action[aria-pressed]")?;
        browser.wait_for("!!document.querySelector('.cca-chart__table')", WAIT)?;
    }
    let rows = browser.execute(
        "return [...document.querySelectorAll('.cca-chart__table tbody tr')]
            .map(tr => [...tr.querySelectorAll('th, td')].map(c => c.innerText.trim()))",
        vec![],
    )?;
    Ok(serde_json::from_value(rows)?)
}

/// The first chart's `data-*` attribute `name`.
fn chart_data(browser: &Browser, name: &str) -> Result<String, Box<dyn std::error::Error>> {
    let value = browser.execute(
        "return document.querySelector('.cca-chart')?.dataset[arguments[0]] ?? ''",
        vec![serde_json::Value::String(name.to_owned())],
    )?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

/// The grouping buttons offered, and the one pressed.
fn grouping_buttons(
    browser: &Browser,
) -> Result<(Vec<String>, Vec<String>), Box<dyn std::error::Error>> {
    let offered = browser.texts(".cca-segmented__option")?;
    let pressed = browser.texts(".cca-segmented__option[aria-pressed=true]")?;
    Ok((offered, pressed))
}

/// Waits until the first chart shows `points` points grouped by `grouping`
/// and has been drawn with them.
fn wait_chart(browser: &Browser, grouping: &str, points: usize) -> TestResult {
    browser.wait_for(
        &format!(
            "(() => {{ const c = document.querySelector('.cca-chart'); \
               return c && c.dataset.grouping === '{grouping}' && c.dataset.points === '{points}' \
                 && c.dataset.redraws !== '0'; }})()"
        ),
        WAIT,
    )?;
    Ok(())
}

/// Clicks the grouping button `key` (`day`, `week`, `month`).
fn choose(browser: &Browser, key: &str) -> TestResult {
    browser.click(&format!(".cca-segmented__option[data-group={key}]"))?;
    Ok(())
}

/// Records the CSV the next download would save, and returns it.
fn next_csv(browser: &Browser) -> Result<String, Box<dyn std::error::Error>> {
    browser.execute(
        "window.__blobs = []; const orig = URL.createObjectURL.bind(URL);
         URL.createObjectURL = b => { window.__blobs.push(b); return orig(b); };",
        vec![],
    )?;
    browser.execute(
        "[...document.querySelectorAll('.cca-chart__action')].find(b => b.textContent === 'CSV').click()",
        vec![],
    )?;
    let csv = browser.execute("return window.__blobs[0]?.text()", vec![])?;
    Ok(csv.as_str().unwrap_or_default().to_owned())
}

fn shot(browser: &Browser, name: &str) -> TestResult {
    browser.execute(
        "document.querySelector('.cca-chart')?.scrollIntoView({block: 'center'})",
        vec![],
    )?;
    browser.screenshot(&screenshot_dir().join(format!("charts-{name}.png")))?;
    Ok(())
}

#[test]
fn a_90_day_range_groups_by_week_and_the_control_chooses() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(&format!("/claude-code/lines?{QUARTER}")))?;
    wait_days_loaded(&browser, 90, WAIT)?;

    // By week unless chosen: 14 bars, the cut weeks named by their days.
    wait_chart(&browser, "week", 14)?;
    assert_eq!(
        grouping_buttons(&browser)?,
        (
            vec!["Day".to_owned(), "Week".into(), "Month".into()],
            vec!["Week".to_owned()]
        )
    );
    let rows = chart_table(&browser)?;
    assert_eq!(rows.len(), 14);
    assert_eq!(rows[0], ["Jun 13 – Jun 15, 2025", "0", "0", "0"]);
    assert_eq!(rows[1], ["Week of Jun 16, 2025", "0", "0", "0"]);
    assert_eq!(rows[13], ["Sep 8 – Sep 10, 2025", "215", "61", "215"]);
    assert_eq!(
        browser.texts(".cca-chart__axis[data-axis=left]")?,
        ["Lines per week"]
    );
    let csv = next_csv(&browser)?;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "first_day,last_day,lines_accepted,lines_removed,cumulative_lines_accepted"
    );
    assert_eq!(lines[1], "2025-06-13,2025-06-15,0,0,0");
    assert_eq!(lines[14], "2025-09-08,2025-09-10,215,61,215");
    shot(&browser, "90-days-by-week")?;

    // Days: in the URL, 90 points.
    choose(&browser, "day")?;
    browser.wait_for("location.search.includes('group=day')", WAIT)?;
    wait_chart(&browser, "day", 90)?;
    assert_eq!(chart_table(&browser)?.len(), 90);
    // Months: Jun 13–30, July, August, Sep 1–10.
    choose(&browser, "month")?;
    browser.wait_for("location.search.includes('group=month')", WAIT)?;
    wait_chart(&browser, "month", 4)?;
    let months: Vec<String> = chart_table(&browser)?
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(
        months,
        [
            "Jun 13 – Jun 30, 2025",
            "Jul 2025",
            "Aug 2025",
            "Sep 1 – Sep 10, 2025"
        ]
    );
    // The choice survives a reload and goes along to another page.
    browser.refresh()?;
    wait_days_loaded(&browser, 90, WAIT)?;
    wait_chart(&browser, "month", 4)?;
    browser.click(".cca-nav__link[href*='/activity']")?;
    browser.wait_for(
        "location.pathname.endsWith('/activity') && location.search.includes('group=month')",
        WAIT,
    )?;
    wait_chart(&browser, "month", 4)?;
    assert_eq!(
        browser.texts(".cca-segmented__option[aria-pressed=true]")?,
        ["Month"]
    );
    // Active users over a month are a daily average, and say so.
    assert!(browser
        .texts(".cca-legend__item")?
        .iter()
        .any(|l| l == "Active users, daily average (left axis)"));

    // The keyboard reaches the control: Week by Enter on its button, the
    // range's default, so the parameter goes.
    browser.execute(
        "document.querySelector('.cca-segmented__option[data-group=week]').focus()",
        vec![],
    )?;
    browser.send_keys("\u{E007}")?;
    browser.wait_for("!location.search.includes('group=')", WAIT)?;
    wait_chart(&browser, "week", 14)?;

    // Another range keeps the choice when it offers it (the custom range's
    // form here: the fixture has no usage near today), and a short one
    // offers no choice.
    choose(&browser, "day")?;
    browser.wait_for("location.search.includes('group=day')", WAIT)?;
    custom_range(&browser, "2025-08-12", "2025-09-10")?;
    browser.wait_for(
        "location.search === '?from=2025-08-12&to=2025-09-10&group=day'",
        WAIT,
    )?;
    wait_days_loaded(&browser, 30, WAIT)?;
    wait_chart(&browser, "day", 30)?;
    assert_eq!(
        grouping_buttons(&browser)?,
        (
            vec!["Day".to_owned(), "Week".into()],
            vec!["Day".to_owned()]
        )
    );
    // A range whose days are all loaded already is drawn too (by days: 14
    // days offer weeks, which it does not choose).
    custom_range(&browser, "2025-08-28", "2025-09-10")?;
    browser.wait_for(
        "location.search === '?from=2025-08-28&to=2025-09-10&group=day'",
        WAIT,
    )?;
    wait_chart(&browser, "day", 14)?;
    custom_range(&browser, "2025-09-04", "2025-09-10")?;
    browser.wait_for(
        "location.search === '?from=2025-09-04&to=2025-09-10&group=day'",
        WAIT,
    )?;
    wait_days_loaded(&browser, 7, WAIT)?;
    wait_chart(&browser, "day", 7)?;
    assert!(browser.texts(".cca-segmented__option")?.is_empty());
    Ok(())
}

/// Applies the custom range `from` – `to` through the range's own form.
fn custom_range(browser: &Browser, from: &str, to: &str) -> TestResult {
    const FIELDS: &str = "document.querySelectorAll('.cca-range__custom input[type=date]')";
    if browser.execute(&format!("return {FIELDS}.length"), vec![])? != serde_json::json!(2) {
        browser.click(".cca-range__toggle")?;
        browser.wait_for(&format!("{FIELDS}.length === 2"), WAIT)?;
    }
    browser.execute(
        &format!(
            "const [from, to] = {FIELDS};
             for (const [input, value] of [[from, arguments[0]], [to, arguments[1]]]) {{
               input.value = value; input.dispatchEvent(new Event('input', {{bubbles: true}}));
             }}
             document.querySelector('.cca-range__custom').requestSubmit();"
        ),
        vec![serde_json::json!(from), serde_json::json!(to)],
    )?;
    Ok(())
}

/// Pixels of the first chart's canvas in the RGB colour `rgb`.
fn pixels_of(browser: &Browser, rgb: [u8; 3]) -> Result<u64, Box<dyn std::error::Error>> {
    let n = browser.execute(
        "const [r, g, b] = arguments[0]; const c = document.querySelector('.cca-chart__canvas');
         const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
         let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] === r && d[i+1] === g && d[i+2] === b) n++;
         return n",
        vec![serde_json::json!(rgb)],
    )?;
    Ok(n.as_u64().unwrap_or(0))
}

fn redraws(browser: &Browser) -> Result<u64, Box<dyn std::error::Error>> {
    Ok(chart_data(browser, "redraws")?.parse()?)
}

fn wait_redraw_after(browser: &Browser, before: u64) -> TestResult {
    browser.wait_for(
        &format!("Number(document.querySelector('.cca-chart')?.dataset.redraws) > {before}"),
        WAIT,
    )?;
    Ok(())
}

#[test]
fn a_legend_entry_hides_its_series_and_shows_it_again() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(&format!("/claude-code/activity?{DAYS}")))?;
    wait_days_loaded(&browser, 3, WAIT)?;
    wait_chart(&browser, "day", 3)?;
    // Sessions: bars in the light theme's second colour, on the right axis.
    const SESSIONS: [u8; 3] = [213, 94, 0];
    let pressed = |b: &Browser| b.texts(".cca-legend__item[aria-pressed=true]");
    assert_eq!(
        pressed(&browser)?,
        ["Sessions (right axis)", "Active users (left axis)"]
    );
    assert!(pixels_of(&browser, SESSIONS)? > 500);
    // Each axis title is marked with its series' swatch.
    assert_eq!(
        browser
            .execute(
                "return [...document.querySelectorAll('.cca-chart__axis')].map(a =>
                   [a.innerText.trim(), [...a.querySelectorAll('.cca-legend__swatch')].map(s => s.className)])",
                vec![]
            )?,
        serde_json::json!([
            ["Users", ["cca-legend__swatch cca-legend__swatch--line cca-swatch-1"]],
            ["Sessions per day", ["cca-legend__swatch cca-swatch-2"]]
        ])
    );

    // Hidden: not drawn, its axis gone, the legend says so; the table keeps it.
    let before = redraws(&browser)?;
    browser.click(".cca-legend__item[data-series=sessions]")?;
    wait_redraw_after(&browser, before)?;
    // One axis drawn: the legend names none; the hidden series keeps the
    // axis it comes back on.
    assert_eq!(pressed(&browser)?, ["Active users"]);
    assert_eq!(
        browser.texts(".cca-legend__item[aria-pressed=false]")?,
        ["Sessions (right axis)"]
    );
    assert_eq!(pixels_of(&browser, SESSIONS)?, 0);
    assert_eq!(
        browser.texts(".cca-chart__axis[data-axis=right]")?,
        [""],
        "no right axis without its series"
    );
    // The last series shown stays: its entry is marked and does nothing.
    assert_eq!(
        browser.texts(".cca-legend__item[aria-disabled=true]")?,
        ["Active users"]
    );
    browser.click(".cca-legend__item[data-series=active_users]")?;
    assert_eq!(pressed(&browser)?, ["Active users"]);
    assert_eq!(chart_table(&browser)?[0], ["Mon, Sep 8, 2025", "9", "3"]);
    shot(&browser, "legend-hidden-series")?;

    // Shown again.
    let before = redraws(&browser)?;
    browser.click(".cca-legend__item[data-series=sessions]")?;
    wait_redraw_after(&browser, before)?;
    assert_eq!(
        pressed(&browser)?,
        ["Sessions (right axis)", "Active users (left axis)"]
    );
    assert!(pixels_of(&browser, SESSIONS)? > 500);
    assert!(browser
        .texts(".cca-legend__item[aria-disabled=true]")?
        .is_empty());
    Ok(())
}

#[test]
fn accept_rate_gives_counts_and_stands_out() -> TestResult {
    let server = fixture_server()?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url(&format!("/claude-code/accept-rate?{DAYS}")))?;
    wait_days_loaded(&browser, 3, WAIT)?;
    wait_chart(&browser, "day", 3)?;
    // No grouping offered for three days.
    assert!(browser.texts(".cca-segmented__option")?.is_empty());
    // The overall line is the strong one; the tools' are light.
    let swatches = browser.execute(
        "return [...document.querySelectorAll('.cca-legend__item')].map(b =>
           [b.innerText.trim(), b.querySelector('.cca-legend__swatch').className])",
        vec![],
    )?;
    assert_eq!(
        swatches[0],
        serde_json::json!([
            "All tools",
            "cca-legend__swatch cca-legend__swatch--line cca-legend__swatch--strong cca-swatch-1"
        ])
    );
    assert_eq!(
        swatches[1][1],
        "cca-legend__swatch cca-legend__swatch--line cca-legend__swatch--light cca-swatch-2"
    );
    // The tooltip of Sep 8: the rates with their counts.
    browser.execute(
        "const f = document.querySelector('.cca-chart__frame'); f.focus();
         f.dispatchEvent(new KeyboardEvent('keydown', {key: 'Home', bubbles: true}));",
        vec![],
    )?;
    let tooltip = browser.wait_text(".cca-chart__tooltip", WAIT)?;
    let tooltip = tooltip.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        tooltip.starts_with(
            "Mon, Sep 8, 2025 All tools 70.8% 17 accepted · 7 rejected Edit 78.6% 11 accepted · 3 rejected"
        ),
        "{tooltip:?}"
    );
    shot(&browser, "accept-rate-tooltip")?;
    // The table and the CSV: counts beside every rate.
    let rows = chart_table(&browser)?;
    assert_eq!(rows[0][..4], ["Mon, Sep 8, 2025", "70.8%", "17", "7"]);
    assert_eq!(rows[1][..4], ["Tue, Sep 9, 2025", "57.1%", "8", "6"]);
    assert_eq!(rows[2][..4], ["Wed, Sep 10, 2025", "—", "0", "0"]);
    let csv = next_csv(&browser)?;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "date,accept_rate,accepted,rejected,edit_accept_rate,edit_accepted,edit_rejected,\
         multi_edit_accept_rate,multi_edit_accepted,multi_edit_rejected,\
         write_accept_rate,write_accepted,write_rejected,\
         notebook_edit_accept_rate,notebook_edit_accepted,notebook_edit_rejected,\
         apply_patch_accept_rate,apply_patch_accepted,apply_patch_rejected"
    );
    assert!(
        lines[1].starts_with("2025-09-08,0.708333,17,7,"),
        "{}",
        lines[1]
    );
    assert!(lines[3].starts_with("2025-09-10,,0,0,"), "{}", lines[3]);
    Ok(())
}

/// `YYYY-MM-DD` of today minus `days` (UTC), for ranges of the demo
/// organization, which has usage up to today.
fn days_ago(days: i64) -> String {
    let today = chrono::Utc::now().date_naive();
    (today - chrono::TimeDelta::days(days)).to_string()
}

/// The demo organization's charts by week and by month, in light and dark,
/// at 1280 and 390 px: screenshots to look at, with the page fitting its
/// width and every chart drawn.
#[test]
fn long_ranges_by_week_and_by_month_light_and_dark_wide_and_narrow() -> TestResult {
    let server = TestServer::start(serve_dist())?;
    let year = format!("from={}&to={}", days_ago(364), days_ago(0));
    for (width, dark) in [(1280, false), (1280, true), (390, false), (390, true)] {
        let browser = Browser::start(BrowserOptions {
            width,
            height: if width < 500 { 844 } else { 900 },
            dark,
            ..BrowserOptions::default()
        })?;
        let label = format!("{width}-{}", if dark { "dark" } else { "light" });
        for (path, query, grouping, name) in [
            (
                "activity",
                "range=90d".to_owned(),
                "week",
                "activity-90d-week",
            ),
            ("lines", year.clone(), "month", "lines-365d-month"),
            (
                "accept-rate",
                "range=30d".to_owned(),
                "day",
                "accept-rate-30d",
            ),
            ("spend", "range=90d".to_owned(), "week", "spend-90d-week"),
        ] {
            browser.goto(&server.url(&format!("/claude-code/{path}?{query}")))?;
            browser.wait_for(
                &format!(
                    "(() => {{ const c = document.querySelector('.cca-chart'); const p = document.querySelector('.cca-page'); \
                       return c && c.dataset.grouping === '{grouping}' && c.dataset.redraws !== '0' \
                         && p && p.dataset.progress && p.dataset.progress.split('/')[0] === p.dataset.progress.split('/')[1] \
                         && !document.querySelector('.cca-loading'); }})()"
                ),
                Duration::from_secs(90),
            )?;
            assert_eq!(
                browser.execute(HORIZONTAL_OVERFLOW_JS, vec![])?,
                serde_json::json!(0),
                "{label} {name}: the page scrolls sideways"
            );
            // The point holding today is the partial one.
            let last = browser.execute(
                "const c = document.querySelector('.cca-chart'); return Number(c.dataset.points)",
                vec![],
            )?;
            assert!(last.as_u64().unwrap_or(0) > 1, "{label} {name}: {last}");
            shot(&browser, &format!("{name}-{label}"))?;
        }
        // Hover the last point of the 90-day spend chart: the tooltip stays
        // inside the chart.
        browser.execute(
            "const f = document.querySelector('.cca-chart__frame'); f.focus();
             f.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));",
            vec![],
        )?;
        let label_text = browser.wait_text(".cca-chart__tooltip-date", WAIT)?;
        assert!(label_text.ends_with("(so far)"), "{label}: {label_text}");
        let inside = browser.execute(
            "const t = document.querySelector('.cca-chart__tooltip').getBoundingClientRect();
             const f = document.querySelector('.cca-chart__frame').getBoundingClientRect();
             return t.left >= f.left - 1 && t.right <= f.right + 1",
            vec![],
        )?;
        assert_eq!(
            inside,
            serde_json::json!(true),
            "{label}: tooltip outside the chart"
        );
        shot(&browser, &format!("spend-90d-week-tooltip-{label}"))?;
    }
    Ok(())
}
