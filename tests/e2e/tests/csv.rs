//! Every table's CSV button (issue #29) on the hand-made organization of
//! `cca::model::fixture`: the spend page's models, the activity page's
//! terminals, the accept-rate page's tools and the overview's top members,
//! each a file named after its days, with snake_case headers and raw
//! numbers (the texts are built and tested natively in `cca-core`; this
//! checks what the buttons offer).

use std::time::Duration;

use cca::model::fixture::small_org_records;
use cca_e2e::{
    download, screenshot_dir, serve_records, start_with_api, wait_days_loaded, Browser,
    BrowserOptions, CAPTURE_DOWNLOADS_JS,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(20);
const RANGE: &str = "from=2025-09-08&to=2025-09-10";
const DAYS: &str = "2025-09-08-to-2025-09-10";

#[test]
fn every_table_offers_its_csv() -> TestResult {
    let server = start_with_api(serve_records(small_org_records()), "")?;
    let browser = Browser::start(BrowserOptions::default())?;
    // The button of the table `what` on `page`: the file it offers.
    let file = |page: &str, what: &str| -> Result<(String, String), Box<dyn std::error::Error>> {
        browser.goto(&server.url(&format!("/claude-code/{page}?{RANGE}")))?;
        wait_days_loaded(&browser, 3, WAIT)?;
        browser.execute(CAPTURE_DOWNLOADS_JS, vec![])?;
        let button = format!(".cca-csv[data-csv='{what}']");
        browser.execute(
            "document.querySelector(arguments[0]).closest('.cca-table-head, .cca-top-members__head').scrollIntoView()",
            vec![serde_json::Value::String(button.clone())],
        )?;
        let shot = format!("csv-{}.png", what.replace(' ', "-"));
        browser.screenshot(&screenshot_dir().join(shot))?;
        browser.click(&button)?;
        Ok(download(&browser, 0, WAIT)?)
    };

    assert_eq!(
        file("spend", "by model")?,
        (
            format!("models-{DAYS}.csv"),
            "model,input_tokens,output_tokens,cache_read_tokens,cache_creation_tokens,spend_usd,spend_other_currencies\n\
             claude-sonnet-4-5-20250929,2600,1070,300,150,3.08,\n\
             claude-opus-4-1-20250805,2000,800,0,0,0.00,3.00 EUR\n\
             claude-haiku-4-5-20251001,300,100,0,0,0.05,\n"
                .to_owned()
        )
    );
    assert_eq!(
        file("activity", "terminals")?,
        (
            format!("terminals-{DAYS}.csv"),
            "terminal,member_days,sessions\nunknown,3,4\nvscode,2,9\niTerm.app,1,3\n".to_owned()
        )
    );
    // The rate beside the counts it is made of; no rate without decisions.
    assert_eq!(
        file("accept-rate", "by tool")?,
        (
            format!("accept-rate-by-tool-{DAYS}.csv"),
            "tool,edits_accepted,edits_rejected,accept_rate\n\
             Edit,16,8,0.6667\n\
             MultiEdit,3,1,0.7500\n\
             Write,2,0,1.0000\n\
             NotebookEdit,0,0,\n\
             apply_patch,4,4,0.5000\n"
                .to_owned()
        )
    );
    assert_eq!(
        file("", "top members")?,
        (
            format!("top-members-by-lines-{DAYS}.csv"),
            "member,kind,lines_accepted\n\
             alice@example.com,User,160\n\
             bob@example.com,User,40\n\
             ci-bot,API key,15\n"
                .to_owned()
        )
    );
    // The leaderboard's CSV is the board shown.
    browser.click("[data-board=spend]")?;
    browser.click(".cca-csv[data-csv='top members']")?;
    assert_eq!(
        download(&browser, 1, WAIT)?,
        (
            format!("top-members-by-spend-{DAYS}.csv"),
            "member,kind,spend_usd,spend_other_currencies\n\
             alice@example.com,User,2.75,\n\
             ci-bot,API key,0.38,\n\
             bob@example.com,User,0.00,3.00 EUR\n"
                .to_owned()
        )
    );
    browser.click("[data-board=pull-requests]")?;
    browser.click(".cca-csv[data-csv='top members']")?;
    assert_eq!(
        download(&browser, 2, WAIT)?,
        (
            format!("top-members-by-pull-requests-{DAYS}.csv"),
            "member,kind,pull_requests\nalice@example.com,User,2\n".to_owned()
        )
    );
    // A member page's tables, named as hers.
    assert_eq!(
        file("team/alice@example.com", "terminals")?,
        (
            format!("member-terminals-{DAYS}.csv"),
            "terminal,member_days,sessions\nvscode,2,9\n".to_owned()
        )
    );

    // On a phone in the dark, the titles and their buttons share a line.
    let phone = Browser::start(BrowserOptions {
        width: 390,
        height: 844,
        dark: true,
        ..BrowserOptions::default()
    })?;
    for (page, what) in [("", "top members"), ("spend", "by model")] {
        phone.goto(&server.url(&format!("/claude-code/{page}?{RANGE}")))?;
        wait_days_loaded(&phone, 3, WAIT)?;
        phone.execute(
            "document.querySelector(arguments[0]).closest('.cca-table-head, .cca-top-members__head').scrollIntoView()",
            vec![serde_json::Value::String(format!(
                ".cca-csv[data-csv='{what}']"
            ))],
        )?;
        let overflow = phone.execute(cca_e2e::HORIZONTAL_OVERFLOW_JS, vec![])?;
        assert_eq!(overflow, 0, "{what}: no sideways scrolling");
        let shot = format!("csv-{}-390-dark.png", what.replace(' ', "-"));
        phone.screenshot(&screenshot_dir().join(shot))?;
    }
    Ok(())
}
