//! Every page at phone and desktop widths, light and dark, and at
//! devicePixelRatio 2: the page never scrolls sideways, charts are drawn at
//! the screen's resolution, and screenshots are kept for people to look at.

use std::time::Duration;

use cca_e2e::{screenshot_dir, serve_dist, Browser, BrowserOptions, TestServer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(30);
const PAGES: [&str; 6] = ["", "lines", "accept-rate", "activity", "spend", "team"];

fn name(path: &str) -> &str {
    if path.is_empty() {
        "overview"
    } else {
        path
    }
}

/// Opens each page (demo data, last 30 days) and checks it fits `width`.
fn check_pages(options: BrowserOptions, label: &str) -> TestResult {
    let server = TestServer::start(serve_dist())?;
    let (width, scale) = (options.width, options.scale);
    let browser = Browser::start(options)?;
    for path in PAGES {
        browser.goto(&server.url(&format!("/claude-code/{path}")))?;
        browser.wait_for(
            "!!document.querySelector('.cca-chart[data-redraws]:not([data-redraws=\"0\"]), [data-table=team] tbody tr')",
            WAIT,
        )?;
        let fit = browser.execute(
            "const d = document.documentElement; return [d.clientWidth, d.scrollWidth]",
            vec![],
        )?;
        assert_eq!(
            fit[0], fit[1],
            "{label} /{path}: the page scrolls sideways ({fit})"
        );
        assert_eq!(fit[0].as_u64(), Some(u64::from(width)), "{label}: viewport");
        // Each chart's backing store is its CSS size × devicePixelRatio.
        let sharp = browser.execute(
            "return [...document.querySelectorAll('.cca-chart__canvas')].every(c =>
                Math.abs(c.width - Math.round(c.getBoundingClientRect().width * devicePixelRatio)) <= 1)",
            vec![],
        )?;
        assert_eq!(
            sharp,
            serde_json::json!(true),
            "{label} /{path}: blurry canvas at DPR {scale}"
        );
        browser.screenshot(&screenshot_dir().join(format!("{label}-{}.png", name(path))))?;
    }
    Ok(())
}

#[test]
fn desktop_light() -> TestResult {
    check_pages(BrowserOptions::default(), "desktop-light")
}

#[test]
fn desktop_dark() -> TestResult {
    check_pages(
        BrowserOptions {
            dark: true,
            ..BrowserOptions::default()
        },
        "desktop-dark",
    )
}

#[test]
fn phone_375_at_dpr_2() -> TestResult {
    check_pages(
        BrowserOptions {
            width: 375,
            height: 812,
            scale: 2.0,
            ..BrowserOptions::default()
        },
        "phone",
    )
}

#[test]
fn laptop_at_dpr_2() -> TestResult {
    check_pages(
        BrowserOptions {
            width: 1024,
            height: 768,
            scale: 2.0,
            ..BrowserOptions::default()
        },
        "dpr2",
    )
}
