//! Every page (and a member's page) at desktop and phone widths, light and
//! dark, and at devicePixelRatio 2: the page never scrolls sideways, charts
//! are drawn at the screen's resolution, and screenshots (whole pages at
//! 1440 px light and 390 px dark) and printed PDFs are kept for people to
//! look at.

use std::time::Duration;

use cca_e2e::{screenshot_dir, serve_dist, Browser, BrowserOptions, TestServer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(30);
/// A US Letter sheet less WebDriver's default 1 cm margins, in CSS pixels.
const PRINTED_WIDTH: u32 = 740;
const PAGES: [&str; 6] = ["", "lines", "accept-rate", "activity", "spend", "team"];

fn name(path: &str) -> &str {
    match path {
        "" => "overview",
        p if p.starts_with("team/") => "member",
        p => p,
    }
}

/// What to keep of each page besides the checks.
#[derive(Clone, Copy, PartialEq)]
enum Keep {
    /// The viewport.
    Screen,
    /// The whole page, and a printed PDF of it.
    WholeAndPrint,
    /// The whole page.
    Whole,
}

/// Opens each page (demo data, last 30 days) and a member's page (the
/// first member of the team table) and checks it fits `width`.
fn check_pages(options: BrowserOptions, label: &str, keep: Keep) -> TestResult {
    let server = TestServer::start(serve_dist())?;
    let (width, height, scale) = (options.width, options.height, options.scale);
    let browser = Browser::start(options)?;
    let mut paths: Vec<String> = PAGES.iter().map(|p| (*p).to_owned()).collect();
    let mut next = 0;
    while let Some(path) = paths.get(next).cloned() {
        next += 1;
        browser.goto(&server.url(&format!("/claude-code/{path}")))?;
        browser.wait_for(
            "!!document.querySelector('.cca-chart[data-redraws]:not([data-redraws=\"0\"]), [data-table=team] tbody tr')",
            WAIT,
        )?;
        if path == "team" {
            // The member of the first row, through the link the table offers.
            let href = browser.execute(
                "return document.querySelector('[data-table=team] a.cca-member-link').getAttribute('href')",
                vec![],
            )?;
            let href = href.as_str().unwrap_or_default();
            let member = href.strip_prefix("/claude-code/").unwrap_or(href);
            assert!(member.starts_with("team/"), "{href}");
            paths.push(member.to_owned());
        }
        // The page as it stays: its range, the compared period (the cards'
        // change lines) and every figure loaded, not the first chart's draw.
        browser.wait_for(
            "document.querySelector('.cca-page')?.dataset.settled === 'true'",
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
        let file = format!("{label}-{}", name(&path));
        let dir = screenshot_dir();
        match keep {
            Keep::Screen => browser.screenshot(&dir.join(format!("{file}.png")))?,
            Keep::Whole | Keep::WholeAndPrint => {
                browser.full_page_screenshot(&dir.join(format!("{file}.png")))?
            }
        }
        if keep == Keep::WholeAndPrint {
            let pdf = dir.join(format!("{file}.pdf"));
            browser.print_pdf(&pdf)?;
            let bytes = std::fs::read(&pdf)?;
            assert!(bytes.starts_with(b"%PDF-"), "{label} /{path}: not a PDF");
            // Paper does not scroll sideways: laid out for print at the width
            // WebDriver's print gives (US Letter, 1 cm margins: 740 CSS px),
            // every table fits inside its frame and the page inside the sheet.
            browser.set_window_size(PRINTED_WIDTH, height)?;
            browser.emulate_media("print")?;
            let overflow = browser.execute(
                "const d = document.documentElement;
                 const wide = [...document.querySelectorAll('.cca-table-wrap')]
                   .filter(w => w.querySelector('table').getBoundingClientRect().right
                                > w.getBoundingClientRect().right + 0.5)
                   .map(w => w.querySelector('table').getAttribute('data-table') || w.textContent.slice(0, 40));
                 return { wide, page: d.scrollWidth - d.clientWidth }",
                vec![],
            )?;
            assert_eq!(
                overflow,
                serde_json::json!({ "wide": [], "page": 0 }),
                "{label} /{path}: printed, a table or the page is wider than the sheet"
            );
            browser.emulate_media("")?;
            browser.set_window_size(width, height)?;
        }
    }
    Ok(())
}

#[test]
fn desktop_1440_light_and_printed() -> TestResult {
    check_pages(
        BrowserOptions {
            width: 1440,
            height: 900,
            ..BrowserOptions::default()
        },
        "desktop-1440-light",
        Keep::WholeAndPrint,
    )
}

#[test]
fn desktop_dark() -> TestResult {
    check_pages(
        BrowserOptions {
            dark: true,
            ..BrowserOptions::default()
        },
        "desktop-dark",
        Keep::Screen,
    )
}

#[test]
fn phone_390_dark() -> TestResult {
    check_pages(
        BrowserOptions {
            width: 390,
            height: 844,
            dark: true,
            ..BrowserOptions::default()
        },
        "phone-390-dark",
        Keep::Whole,
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
        Keep::Screen,
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
        Keep::Screen,
    )
}
