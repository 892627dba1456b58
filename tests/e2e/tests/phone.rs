//! A manager on a phone and on a keyboard (issue #29): at 390 px the team
//! table keeps each member's name on screen while it scrolls sideways and
//! the top members' numbers fit; one Tab reaches the skip link and Enter
//! moves focus to the content; the browser tab names the page.

use std::time::Duration;

use cca_e2e::{screenshot_dir, serve_dist, Browser, BrowserOptions, TestServer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(30);
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

fn phone() -> BrowserOptions {
    BrowserOptions {
        width: 390,
        height: 844,
        ..BrowserOptions::default()
    }
}

/// JS: how many of `selector`'s first 10 elements lie wholly inside the viewport, of how many.
fn inside_viewport(selector: &str) -> String {
    format!(
        "const cells = [...document.querySelectorAll({selector:?})].slice(0, 10);
         const w = document.documentElement.clientWidth;
         return [cells.filter(c => {{ const r = c.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= w; }}).length, cells.length];"
    )
}

#[test]
fn on_a_phone_member_names_and_top_member_numbers_stay_on_screen() -> TestResult {
    let server = TestServer::start(serve_dist())?;
    let browser = Browser::start(phone())?;

    browser.goto(&server.url("/claude-code/team"))?;
    browser.wait_for(
        "document.querySelectorAll('[data-table=team] tbody tr').length > 0",
        WAIT,
    )?;
    // The table is wider than the phone: scrolled all the way to its last column...
    let scrolled = browser.execute(
        "const wrap = document.querySelector('[data-table=team]').closest('.cca-table-wrap');
         wrap.scrollLeft = wrap.scrollWidth;
         return wrap.scrollLeft;",
        vec![],
    )?;
    assert!(
        scrolled.as_f64().is_some_and(|s| s > 0.0),
        "the team table scrolls sideways on a phone: {scrolled}"
    );
    // ...the member names are still there, whole.
    let names = browser.execute(
        &inside_viewport("[data-table=team] tbody tr > :first-child"),
        vec![],
    )?;
    assert_eq!(names[0], names[1], "member names on screen: {names}");
    assert!(names[1].as_u64().is_some_and(|n| n > 0));
    browser.screenshot(&screenshot_dir().join("phone-team-scrolled.png"))?;

    // Last month's table names its month in the headings.
    let today = chrono::Utc::now().date_naive();
    let last_month = cca::model::dates::DateRange::last_month(today).start();
    browser.goto(&server.url(&format!(
        "/claude-code/team?month={}",
        cca::model::dates::iso_month(last_month)
    )))?;
    browser.wait_for(
        "document.querySelectorAll('[data-table=team] tbody tr').length > 0",
        WAIT,
    )?;
    let spend = browser.wait_text("[data-column=Spend]", WAIT)?;
    assert_eq!(
        spend.trim().trim_end_matches(['▼', '▲']).trim(),
        format!("Spend in {}", cca::format::month_and_year(last_month))
    );

    // The overview's top members: every number inside the viewport.
    browser.goto(&server.url("/claude-code/"))?;
    browser.wait_for("!!document.querySelector('[data-top] tbody tr')", WAIT)?;
    // Every page's tab is in sight (they wrap instead of scrolling away).
    let tabs = browser.execute(&inside_viewport(".cca-nav__link"), vec![])?;
    assert_eq!(tabs, serde_json::json!([6, 6]), "navigation tabs on screen");
    // The range presets scroll sideways, with a shadow at the edge that has more.
    let presets = browser.execute(
        "const p = document.querySelector('.cca-range__presets');
         return [p.scrollWidth > p.clientWidth, getComputedStyle(p).backgroundImage.includes('radial-gradient')];",
        vec![],
    )?;
    assert_eq!(presets, serde_json::json!([true, true]), "presets' cue");
    browser.screenshot(&screenshot_dir().join("phone-overview-top.png"))?;
    browser.execute(
        "document.querySelector('[data-top]').scrollIntoView({block: 'center'})",
        vec![],
    )?;
    browser.screenshot(&screenshot_dir().join("phone-top-members.png"))?;
    let numbers = browser.execute(&inside_viewport("[data-top] tbody td:last-child"), vec![])?;
    assert_eq!(
        numbers[0], numbers[1],
        "top-member numbers on screen: {numbers}"
    );
    assert!(numbers[1].as_u64().is_some_and(|n| n > 0));

    // A tap on a chart (a touch pointer going down, up and away, as a finger
    // does) shows that day's tooltip, and it stays once the finger is gone.
    browser.execute(
        "const frame = document.querySelector('.cca-chart__frame');
         frame.scrollIntoView({block: 'center'});
         const r = frame.getBoundingClientRect();
         const at = {pointerType: 'touch', isPrimary: true, bubbles: true, clientX: r.left + r.width * 0.6, clientY: r.top + r.height / 2};
         frame.focus();
         for (const type of ['pointerdown', 'pointerup', 'pointerleave']) frame.dispatchEvent(new PointerEvent(type, at));",
        vec![],
    )?;
    let tooltip = browser.wait_text(".cca-chart__tooltip-date", WAIT)?;
    assert!(
        !tooltip.trim().is_empty(),
        "a tooltip with its day: {tooltip:?}"
    );
    browser.screenshot(&screenshot_dir().join("phone-chart-tapped.png"))?;
    Ok(())
}

#[test]
fn one_tab_reaches_the_skip_link_and_enter_reaches_the_content() -> TestResult {
    let server = TestServer::start(serve_dist())?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/claude-code/spend"))?;
    browser.wait_for(
        "!!document.querySelector('.cca-page[data-page=spend]')",
        WAIT,
    )?;
    // The stand-alone page names the tab after the page.
    assert_eq!(
        browser.execute("return document.title", vec![])?,
        "Spend — Claude Code Analytics"
    );
    browser.send_keys(TAB)?;
    let focused = browser.execute(
        "const a = document.activeElement; const r = a.getBoundingClientRect();
         return [a.className, a.textContent, r.top >= 0 && r.bottom <= innerHeight];",
        vec![],
    )?;
    assert_eq!(focused[0], "cca-skip-link", "{focused}");
    assert_eq!(focused[1], "Skip to content");
    assert_eq!(
        focused[2], true,
        "the focused skip link is on screen: {focused}"
    );
    browser.screenshot(&screenshot_dir().join("skip-link-focused.png"))?;
    browser.send_keys(ENTER)?;
    browser.wait_for("document.activeElement?.id === 'cca-main'", WAIT)?;
    // Still the same page: the link is not a navigation.
    assert!(browser.current_url()?.ends_with("/claude-code/spend"));
    // Another page through the navigation: another title, and the page
    // settles (the spend page's loads left no count behind).
    browser.click(".cca-nav a[href$='/team']")?;
    browser.wait_for("document.title === 'Team — Claude Code Analytics'", WAIT)?;
    browser.wait_for(
        "document.querySelector('.cca-page[data-page=team]')?.dataset.settled === 'true'",
        WAIT,
    )?;
    Ok(())
}

/// Every "?" definition on the overview and the spend page (cards, charts,
/// the value view), shown by focus as a keyboard or a tap shows it, lies
/// wholly on a 390 px screen: those near an edge move sideways.
#[test]
fn on_a_phone_every_definition_stays_on_screen() -> TestResult {
    let server = TestServer::start(serve_dist())?;
    let browser = Browser::start(phone())?;
    for page in ["", "spend"] {
        browser.goto(&server.url(&format!("/claude-code/{page}")))?;
        browser.wait_for(
            "!!document.querySelector('.cca-chart[data-redraws]:not([data-redraws=\"0\"])')",
            WAIT,
        )?;
        let outside = browser.execute(
            "const w = document.documentElement.clientWidth;
             const out = [];
             const tips = [...document.querySelectorAll('.cca-info')];
             for (const tip of tips) {
               tip.scrollIntoView({block: 'center'});
               tip.focus();
               const r = tip.querySelector('.cca-info__text').getBoundingClientRect();
               if (r.width === 0 || r.left < 0 || r.right > w) out.push([tip.getAttribute('aria-label'), r.left, r.right]);
               tip.blur();
             }
             return [tips.length, out];",
            vec![],
        )?;
        let count = outside[0].as_u64().unwrap_or(0);
        assert!(count >= 4, "/{page}: {count} definitions");
        assert_eq!(outside[1], serde_json::json!([]), "/{page}: off screen");
    }
    // The card definition nearest the right edge (moved left), shown, for
    // people to look at.
    browser.goto(&server.url("/claude-code/"))?;
    browser.wait_for(
        "!!document.querySelector('.cca-chart[data-redraws]:not([data-redraws=\"0\"])')",
        WAIT,
    )?;
    browser.execute(
        "const tips = [...document.querySelectorAll('.cca-card .cca-info')];
         const right = t => t.getBoundingClientRect().right;
         const tip = tips.reduce((a, b) => right(b) > right(a) ? b : a);
         tip.scrollIntoView({block: 'center'}); tip.focus();",
        vec![],
    )?;
    browser.screenshot(&screenshot_dir().join("phone-definition-on-screen.png"))?;
    Ok(())
}

/// JS: focuses every control of the page in turn (links, buttons, fields,
/// the charts' canvases) and returns those whose focus ring is missing or
/// cut by a scrolling or clipping box around it: `[label, why]`.
const CLIPPED_RINGS_JS: &str = "
    const out = [];
    const controls = [...document.querySelectorAll('a[href], button, select, input, [tabindex]:not([tabindex=\"-1\"])')]
        .filter(c => !c.disabled && c.getClientRects().length > 0);
    for (const c of controls) {
        c.focus({focusVisible: true});
        if (document.activeElement !== c) continue;
        // As a Tab does: the control scrolled into view in its scrolling box.
        c.scrollIntoView({block: 'nearest', inline: 'nearest', behavior: 'instant'});
        const s = getComputedStyle(c);
        const label = (c.getAttribute('aria-label') || c.textContent || c.tagName).trim().slice(0, 40);
        const width = parseFloat(s.outlineWidth) || 0;
        if (s.outlineStyle === 'none' || width === 0) { out.push([label, 'no ring']); continue; }
        const grow = width + (parseFloat(s.outlineOffset) || 0);
        const r = c.getBoundingClientRect();
        const ring = {left: r.left - grow, right: r.right + grow, top: r.top - grow, bottom: r.bottom + grow};
        for (let a = c.parentElement; a && a !== document.documentElement; a = a.parentElement) {
            const o = getComputedStyle(a);
            if (o.overflowX === 'visible' && o.overflowY === 'visible') continue;
            const b = a.getBoundingClientRect();
            const box = {left: b.left + a.clientLeft, top: b.top + a.clientTop};
            box.right = box.left + a.clientWidth; box.bottom = box.top + a.clientHeight;
            if (ring.left < box.left - 0.5 || ring.right > box.right + 0.5 || ring.top < box.top - 0.5 || ring.bottom > box.bottom + 0.5) {
                out.push([label, 'cut by ' + a.className, JSON.stringify([ring, box, innerWidth])]);
                break;
            }
        }
    }
    document.activeElement && document.activeElement.blur();
    return out;";

/// Every control's focus ring is whole, on a laptop and on a phone: none is
/// cut by the scrolling box it sits in (range presets, navigation, tables,
/// the charts' toggles).
#[test]
fn every_focus_ring_is_whole() -> TestResult {
    let server = TestServer::start(serve_dist())?;
    for options in [BrowserOptions::default(), phone()] {
        let width = options.width;
        let browser = Browser::start(options)?;
        for page in ["", "spend", "accept-rate", "team"] {
            browser.goto(&server.url(&format!("/claude-code/{page}")))?;
            browser.wait_for(
                "!!document.querySelector('.cca-chart[data-redraws]:not([data-redraws=\"0\"]), [data-table=team] tbody tr')",
                WAIT,
            )?;
            let cut = browser.execute(CLIPPED_RINGS_JS, vec![])?;
            assert_eq!(cut, serde_json::json!([]), "{width} px /{page}");
        }
    }
    Ok(())
}
