//! Hostile member identities from the API render as text: markup is not
//! parsed, scripts never run, bidi controls stay contained, and a
//! 2,000-character name breaks no layout.

use std::time::Duration;

use cca::model::fixture::{api_key, blank_record, user};
use cca::model::record::UsageRecord;
use cca_e2e::{
    screenshot_dir, serve_records, start_with_api, Browser, BrowserOptions, HORIZONTAL_OVERFLOW_JS,
};
use chrono::NaiveDate;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(20);
const SCRIPTED: &str = "<img src=x onerror=\"window.__pwned=1\">@evil.test";
const RTL: &str = "\u{202E}yek-dliub\u{202C} build-key";

fn long_name() -> String {
    "a".repeat(1990) + "-long-key"
}

fn records() -> Vec<UsageRecord> {
    let day = NaiveDate::from_ymd_opt(2025, 9, 8).unwrap_or_default();
    let mut out = Vec::new();
    for (i, actor) in [
        user(SCRIPTED),
        api_key(RTL),
        api_key(&long_name()),
        user("plain@example.com"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut r = blank_record(day, actor);
        r.core_metrics.num_sessions = 1;
        r.core_metrics.lines_of_code.added = 10 * (i as u64 + 1);
        out.push(r);
    }
    out
}

#[test]
fn hostile_identities_render_as_text_and_run_nothing() -> TestResult {
    let server = start_with_api(serve_records(records()), "")?;
    for (width, name) in [(1280, "desktop"), (375, "phone")] {
        let browser = Browser::start(BrowserOptions {
            width,
            height: 800,
            ..BrowserOptions::default()
        })?;
        browser.goto(&server.url("/claude-code/team?month=2025-09"))?;
        browser.wait_for(
            "document.querySelectorAll('[data-table=team] tbody tr').length === 4",
            WAIT,
        )?;

        let identities: Vec<String> = serde_json::from_value(browser.execute(
            "return [...document.querySelectorAll('[data-table=team] tbody tr th')].map(th => th.textContent)",
            vec![],
        )?)?;
        assert!(identities.iter().any(|t| t == SCRIPTED), "{identities:?}");
        assert!(identities.iter().any(|t| t == RTL), "{identities:?}");
        assert!(
            identities.iter().any(|t| *t == long_name()),
            "long name shown in full"
        );
        assert_eq!(
            browser.execute(
                "return [window.__pwned === undefined, document.querySelectorAll('.cca-root img').length]",
                vec![]
            )?,
            serde_json::json!([true, 0])
        );
        // The page never scrolls sideways; a long name wraps or scrolls inside its table.
        let overflow = browser.execute(HORIZONTAL_OVERFLOW_JS, vec![])?;
        assert!(
            overflow.as_f64().unwrap_or(1.0) <= 0.0,
            "{name}: page overflows by {overflow}"
        );
        // Bidi controls stay inside their own cell: the next cell reads normally.
        let isolated = browser.execute(
            "return [...document.querySelectorAll('.cca-table__identity')].every(e => e.getAttribute('dir') === 'auto')",
            vec![],
        )?;
        assert_eq!(isolated, serde_json::json!(true));
        browser.screenshot(&screenshot_dir().join(format!("hostile-team-{name}.png")))?;

        // The overview's top members too.
        browser.goto(&server.url("/claude-code/?from=2025-09-08&to=2025-09-08"))?;
        browser.wait_for(
            "document.querySelectorAll('[data-top=lines] tbody tr').length === 4",
            WAIT,
        )?;
        let overflow = browser.execute(HORIZONTAL_OVERFLOW_JS, vec![])?;
        assert!(
            overflow.as_f64().unwrap_or(1.0) <= 0.0,
            "{name}: overview overflows by {overflow}"
        );
        // Their member-page links carry the names escaped, as path segments.
        let hrefs: Vec<String> = serde_json::from_value(browser.execute(
            "return [...document.querySelectorAll('[data-top] tbody a')].map(a => a.getAttribute('href'))",
            vec![],
        )?)?;
        assert!(
            hrefs.contains(
                &"/claude-code/team/%3Cimg%20src=x%20onerror=%22window.__pwned=1%22%3E@evil.test?from=2025-09-08&to=2025-09-08"
                    .to_owned()
            ),
            "{hrefs:?}"
        );
        assert_eq!(
            browser.execute("return window.__pwned === undefined", vec![])?,
            serde_json::json!(true)
        );
        browser.screenshot(&screenshot_dir().join(format!("hostile-overview-{name}.png")))?;
    }
    Ok(())
}
