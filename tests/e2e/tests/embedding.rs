//! The app inside a host page, under a strict Content-Security-Policy, under
//! a sub-path build, and with a broken config.

use std::time::Duration;

use cca_e2e::{
    dist_dir, screenshot_dir, serve_dist, Browser, BrowserOptions, ServerOptions, TestServer,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(30);

/// The policy a host sets once (DESIGN.md §5; docs/embedding.md).
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                   connect-src 'self'; img-src 'self'; object-src 'none'; base-uri 'self'";

/// The `<head>` tags of the release build that load the app (no standalone page styles).
fn app_head_tags() -> Result<String, Box<dyn std::error::Error>> {
    let html = std::fs::read_to_string(dist_dir().join("index.html"))?;
    let head = html
        .split("<head>")
        .nth(1)
        .and_then(|h| h.split("</head>").next())
        .ok_or("no head in index.html")?;
    Ok(head
        .lines()
        .flat_map(|l| l.split_inclusive('>'))
        .filter(|tag| {
            let tag = tag.trim();
            (tag.starts_with("<script") || tag.starts_with("</script") || tag.starts_with("<link"))
                && !tag.contains("standalone-")
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

fn host_page(config: &str) -> Result<String, Box<dyn std::error::Error>> {
    host_page_styled(config, "")
}

/// [`host_page`] with the host's own `extra_css` (e.g. its theme) in a
/// `<style id="host-theme">`.
/// Starts a server with a host page at `/console/analytics` that styles the
/// mount element with `palette` and configures `theme`, opens it in a new
/// browser and waits until the page's charts are drawn.
fn open_themed_host_page(
    theme: &str,
    palette: &str,
) -> Result<(TestServer, Browser), Box<dyn std::error::Error>> {
    let server = TestServer::start(serve_dist())?;
    let config = format!(r#"{{"router_base":"/console/analytics","theme":"{theme}"}}"#);
    server.add_page(
        "/console/analytics",
        host_page_styled(&config, palette)?,
        None,
    );
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/console/analytics"))?;
    wait_loaded(&browser)?;
    Ok((server, browser))
}

fn host_page_styled(config: &str, extra_css: &str) -> Result<String, Box<dyn std::error::Error>> {
    Ok(format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Host console</title>
<style>
  body {{ margin: 8px; font-family: serif; background: rgb(250, 240, 230); }}
  h1 {{ font-size: 40px; color: rgb(0, 0, 128); }}
  a {{ color: rgb(200, 0, 0); }}
  button {{ border-radius: 0px; }}
  .host-header {{ background: rgb(10, 20, 30); color: white; padding: 4px; }}
</style>
<style id="host-theme">{extra_css}</style>
{}
<script type="application/json" id="claude-code-analytics-config">{config}</script>
</head><body>
<header class="host-header"><h1 id="host-title">Console</h1>
  <nav><a id="host-settings" href="/console/settings">Settings</a></nav></header>
<main><div id="claude-code-analytics"></div></main>
<footer><button id="host-button" type="button">Host button</button></footer>
</body></html>"#,
        app_head_tags()?
    ))
}

const HOST_STYLES: &str = "return [
    getComputedStyle(document.body).margin,
    getComputedStyle(document.body).fontFamily,
    getComputedStyle(document.body).backgroundColor,
    getComputedStyle(document.getElementById('host-title')).fontSize,
    getComputedStyle(document.getElementById('host-title')).color,
    getComputedStyle(document.getElementById('host-settings')).color,
    getComputedStyle(document.getElementById('host-button')).borderRadius,
    document.title]";

#[test]
fn mounted_in_a_host_page_the_host_keeps_its_styles_and_links() -> TestResult {
    let server = TestServer::start(serve_dist())?;
    let config = r#"{"router_base":"/console/analytics","theme":"light"}"#;
    server.add_page("/console/analytics", host_page(config)?, None);
    server.add_page(
        "/console/settings",
        "<!DOCTYPE html><title>Settings</title><h1 id=settings>Settings page</h1>".to_owned(),
        None,
    );
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/console/analytics"))?;
    browser.wait_for(
        "!!document.querySelector('#claude-code-analytics .cca-chart__canvas')",
        WAIT,
    )?;
    browser.wait_for(
        "document.querySelector('.cca-page__title')?.textContent === 'Overview'",
        WAIT,
    )?;
    assert_eq!(
        browser.execute(HOST_STYLES, vec![])?,
        serde_json::json!([
            "8px",
            "serif",
            "rgb(250, 240, 230)",
            "40px",
            "rgb(0, 0, 128)",
            "rgb(200, 0, 0)",
            "0px",
            "Host console"
        ])
    );
    // ... and the host's bare-element rules (h1 colour and size) do not leak into the app.
    let app_title = browser.execute(
        "const t = document.querySelector('.cca-page__title'); const s = getComputedStyle(t);
         return [s.color === 'rgb(0, 0, 128)', s.fontSize]",
        vec![],
    )?;
    assert_eq!(app_title, serde_json::json!([false, "24px"]));
    // The app is inside the host's element, under its one root class.
    let inside = browser.execute(
        "return document.querySelector('#claude-code-analytics > .cca-root') !== null
            && document.querySelectorAll('body > .cca-root').length === 0",
        vec![],
    )?;
    assert_eq!(inside, serde_json::json!(true));
    browser.screenshot(&screenshot_dir().join("embedded-host-page.png"))?;

    // The app's navigation works inside the host page, client-side.
    browser.click(".cca-nav__link[href='/console/analytics/lines']")?;
    browser.wait_for(
        "document.querySelector('.cca-page__title')?.textContent === 'Lines of code'",
        WAIT,
    )?;
    assert!(browser.current_url()?.ends_with("/console/analytics/lines"));
    assert_eq!(browser.texts("#host-title")?, ["Console"]);
    // A host link outside the router base is a normal navigation.
    browser.click("#host-settings")?;
    browser.wait_for(
        "document.getElementById('settings')?.textContent === 'Settings page'",
        WAIT,
    )?;
    Ok(())
}

/// Waits until the page's days are all in, the skeleton is gone and every
/// chart has been drawn.
fn wait_loaded(browser: &Browser) -> TestResult {
    browser.wait_for(
        "(() => { const p = document.querySelector('.cca-page')?.dataset.progress;
           const charts = [...document.querySelectorAll('.cca-chart')];
           return !!p && p.split('/')[0] === p.split('/')[1] && !document.querySelector('.cca-loading')
             && charts.length > 0 && charts.every(c => Number(c.dataset.redraws) >= 1); })()",
        WAIT,
    )?;
    Ok(())
}

/// `[r, g, b]` of the colour most pixels of the first chart's canvas have
/// (the plot's background: bars, lines, labels and weekends cover less),
/// of its pixel (2, 2) (outside the plot), and how many pixels are exactly
/// `[r, g, b]` of the argument.
const CANVAS_COLOURS: &str = "
    const c = document.querySelector(arguments[0]);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const counts = new Map();
    let exact = 0;
    const [r0, g0, b0] = arguments[1];
    for (let i = 0; i < d.length; i += 4) {
        const key = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
        counts.set(key, (counts.get(key) || 0) + 1);
        if (d[i] === r0 && d[i + 1] === g0 && d[i + 2] === b0) exact++;
    }
    let best = 0, most = -1;
    for (const [key, n] of counts) if (n > most) { most = n; best = key; }
    const corner = (2 * c.width + 2) * 4;
    return [[best >> 16, (best >> 8) & 255, best & 255],
            [d[corner], d[corner + 1], d[corner + 2]], exact];";

/// The computed value of CSS property `arguments[1]` of the first element matching `arguments[0]`.
const COMPUTED: &str =
    "const el = document.querySelector(arguments[0]); return el ? getComputedStyle(el)[arguments[1]] : null;";

fn computed(
    browser: &Browser,
    css: &str,
    property: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    let value = browser.execute(COMPUTED, vec![css.into(), property.into()])?;
    Ok(value.as_str().ok_or(format!("no {css}"))?.to_owned())
}

/// Scrolls the first element matching `css` to the top of the window (for a screenshot).
fn scroll_to(browser: &Browser, css: &str) -> TestResult {
    browser.execute(
        "document.querySelector(arguments[0])?.scrollIntoView({block: 'start'});",
        vec![css.into()],
    )?;
    Ok(())
}

/// A host's dark palette, set through the light-theme names on the mount
/// element, reaches the canvas (background, series colour) and the HTML
/// (table headers, panels, legend), with and without the optional variables.
#[test]
fn a_host_palette_on_the_mount_element_themes_the_charts_and_tables() -> TestResult {
    const PALETTE: &str = "#claude-code-analytics {
        --cca-bg: #101418; --cca-surface: #1a2027; --cca-surface-2: #232a33;
        --cca-text: #e6e6e6; --cca-muted: #9aa5b1; --cca-border: #2f3843;
        --cca-accent: #6ea8fe; --cca-accent-text: #101418; --cca-chart-1: #ff7f50;
        --cca-font: Verdana, sans-serif; }";
    // Kept alive to the end: dropping the server stops it.
    let (_server, browser) = open_themed_host_page("light", PALETTE)?;

    // The overview's first chart: lines accepted as bars in series colour 1.
    let canvas = ".cca-chart__canvas";
    let colours = browser.execute(
        CANVAS_COLOURS,
        vec![canvas.into(), serde_json::json!([255, 127, 80])],
    )?;
    assert_eq!(
        colours[0],
        serde_json::json!([0x1a, 0x20, 0x27]),
        "the plot's background is the host's surface"
    );
    assert_eq!(
        colours[1],
        serde_json::json!([0x1a, 0x20, 0x27]),
        "so is the canvas outside the plot"
    );
    assert!(
        colours[2].as_u64().unwrap_or(0) > 200,
        "bars in the host's --cca-chart-1: {colours}"
    );
    assert_eq!(
        computed(&browser, ".cca-legend__swatch", "backgroundColor")?,
        "rgb(255, 127, 80)"
    );
    assert_eq!(
        computed(&browser, ".cca-chart", "backgroundColor")?,
        "rgb(26, 32, 39)"
    );
    scroll_to(&browser, ".cca-chart")?;
    browser.screenshot(&screenshot_dir().join("host-theme-overview.png"))?;

    // The activity page: its chart and the terminals table's header.
    browser.click(".cca-nav__link[href='/console/analytics/activity']")?;
    browser.wait_for(
        "document.querySelector('.cca-page__title')?.textContent === 'Activity'",
        WAIT,
    )?;
    wait_loaded(&browser)?;
    let colours = browser.execute(
        CANVAS_COLOURS,
        vec![canvas.into(), serde_json::json!([0, 0, 0])],
    )?;
    assert_eq!(colours[0], serde_json::json!([0x1a, 0x20, 0x27]));
    let header = "[data-table='terminals'] thead th";
    assert_eq!(
        computed(&browser, header, "backgroundColor")?,
        "rgb(35, 42, 51)"
    );
    assert_eq!(computed(&browser, header, "color")?, "rgb(230, 230, 230)");
    scroll_to(&browser, ".cca-chart")?;
    browser.screenshot(&screenshot_dir().join("host-theme-activity.png"))?;
    scroll_to(&browser, "[data-table='terminals']")?;
    browser.screenshot(&screenshot_dir().join("host-theme-activity-table.png"))?;

    // A host that leaves out the secondary colours: they are made from its
    // surface and text, never the built-in light ones.
    browser.execute(
        "document.getElementById('host-theme').textContent = arguments[0];",
        vec!["#claude-code-analytics { --cca-bg: #101418; --cca-surface: #1c1c28; --cca-text: #e6e6e6; }".into()],
    )?;
    let luma = "const m = getComputedStyle(document.querySelector(arguments[0]))[arguments[1]]
                    .match(/[0-9.]+/g).map(Number);
                return Math.round(0.299 * m[0] + 0.587 * m[1] + 0.114 * m[2]);";
    for (css, property) in [
        (header, "backgroundColor"),
        (".cca-table-wrap", "borderTopColor"),
        (".cca-legend", "color"),
    ] {
        let value = browser.execute(luma, vec![css.into(), property.into()])?;
        let value = value.as_u64().ok_or(format!("no colour for {css}"))?;
        if property == "color" {
            assert!(
                value > 128,
                "{css} {property}: luma {value}, readable on the dark surface"
            );
        } else {
            assert!(
                value < 80,
                "{css} {property}: luma {value}, dark like the host's surface"
            );
        }
    }
    // Charts read the variables again when they redraw (a resize redraws).
    browser.set_window_size(1100, 900)?;
    browser.wait_for(
        "(() => { const c = document.querySelector('.cca-chart__canvas');
           const d = c.getContext('2d').getImageData(2, 2, 1, 1).data;
           return d[0] === 0x1c && d[1] === 0x1c && d[2] === 0x28; })()",
        WAIT,
    )?;
    scroll_to(&browser, "[data-table='terminals']")?;
    browser.screenshot(&screenshot_dir().join("host-theme-derived.png"))?;
    Ok(())
}

/// In the dark theme the host's `--cca-dark-*` names are used, the chart
/// ones included.
#[test]
fn a_host_dark_palette_reaches_the_charts_in_the_dark_theme() -> TestResult {
    const PALETTE: &str = "#claude-code-analytics {
        --cca-surface: #ffffff; --cca-chart-1: #ff0000;
        --cca-dark-bg: #05070a; --cca-dark-surface: #0b1f33; --cca-dark-chart-1: #40e0d0; }";
    // Kept alive to the end: dropping the server stops it.
    let (_server, browser) = open_themed_host_page("dark", PALETTE)?;
    let colours = browser.execute(
        CANVAS_COLOURS,
        vec![
            ".cca-chart__canvas".into(),
            serde_json::json!([0x40, 0xe0, 0xd0]),
        ],
    )?;
    assert_eq!(
        colours[0],
        serde_json::json!([0x0b, 0x1f, 0x33]),
        "{colours}"
    );
    assert!(colours[2].as_u64().unwrap_or(0) > 200, "{colours}");
    assert_eq!(
        computed(&browser, ".cca-legend__swatch", "backgroundColor")?,
        "rgb(64, 224, 208)"
    );
    browser.screenshot(&screenshot_dir().join("host-theme-dark-names.png"))?;
    Ok(())
}

#[test]
fn runs_under_a_strict_content_security_policy() -> TestResult {
    let server = TestServer::start(ServerOptions {
        csp: Some(CSP.to_owned()),
        ..serve_dist()
    })?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/claude-code/activity"))?;
    browser.wait_for(
        "document.querySelector('.cca-chart')?.dataset.redraws >= '1'",
        WAIT,
    )?;
    browser.execute(
        "window.__violations = [];
         document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));",
        vec![],
    )?;
    // Use the app: other pages, the table view, hover, the range.
    for page in ["lines", "spend", "team", "accept-rate"] {
        browser.click(&format!(".cca-nav__link[href^='/claude-code/{page}']"))?;
        browser.wait_for(
            &format!("location.pathname === '/claude-code/{page}'"),
            WAIT,
        )?;
    }
    browser.wait_for("!!document.querySelector('.cca-chart__canvas')", WAIT)?;
    browser.click(".cca-chart__action[aria-pressed]")?;
    browser.execute(
        "const f = document.querySelector('.cca-chart__frame'); f.focus();
         f.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));",
        vec![],
    )?;
    browser.wait_for("!!document.querySelector('.cca-chart__tooltip')", WAIT)?;
    let violations = browser.execute("return window.__violations", vec![])?;
    assert_eq!(
        violations,
        serde_json::json!([]),
        "CSP violations while using the app"
    );
    // Nothing was refused while loading either (those are logged to the console).
    let refused: Vec<String> = browser
        .console_log()?
        .into_iter()
        .map(|(_, message)| message)
        .filter(|m| m.contains("Content Security Policy") || m.contains("Refused"))
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
    let painted = browser.execute(
        "const c = document.querySelector('.cca-chart__canvas');
         const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
         let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i+1] !== d[1] || d[i+2] !== d[2]) n++;
         return n",
        vec![],
    )?;
    assert!(
        painted.as_u64().unwrap_or(0) > 1000,
        "the chart is drawn under the CSP: {painted}"
    );
    browser.screenshot(&screenshot_dir().join("csp-accept-rate.png"))?;
    Ok(())
}

#[test]
fn a_malformed_config_shows_its_error_in_the_page() -> TestResult {
    let server = TestServer::start(serve_dist())?;
    let browser = Browser::start(BrowserOptions::default())?;
    for (config, expected) in [
        (r#"{"api_base": 42}"#, "“api_base” must be"),
        (r#"{"theme": "neon"#, "not valid JSON"),
        (r#"["admin"]"#, "must be a JSON object"),
    ] {
        server.set_app_config(Some(config.to_owned()));
        browser.goto(&server.url("/claude-code/"))?;
        let text = browser.wait_text("#claude-code-analytics [role=alert]", WAIT)?;
        assert!(
            text.contains("Claude Code Analytics could not start"),
            "{text}"
        );
        assert!(text.contains(expected), "{config}: {text}");
    }
    browser.screenshot(&screenshot_dir().join("config-error.png"))?;
    // Unknown keys are only a warning: the app starts.
    server.set_app_config(Some(r#"{"colour":"red"}"#.to_owned()));
    browser.goto(&server.url("/claude-code/"))?;
    assert_eq!(browser.wait_text(".cca-page__title", WAIT)?, "Overview");
    let warned = browser
        .console_log()?
        .into_iter()
        .any(|(_, m)| m.contains("colour"));
    assert!(warned, "an unknown key is named in a console warning");
    Ok(())
}

/// A build made with `--public-url /static/cca/` (`cargo xtask test` makes it
/// into `target/dist-subpath`), its files served under that path and the app
/// under `/analytics`.
#[test]
fn a_sub_path_build_serves_deep_links_reloads_and_navigation() -> TestResult {
    let dist = std::env::var_os("CCA_DIST_SUBPATH")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dist_dir().join("../target/dist-subpath"));
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "no sub-path build at {}: run `cargo xtask test --layer e2e`",
            dist.display()
        )
        .into());
    }
    let server = TestServer::start(ServerOptions {
        dist: Some(dist),
        mount_prefix: "/static/cca".to_owned(),
        router_base: "/analytics".to_owned(),
        app_config: Some(r#"{"router_base":"/analytics"}"#.to_owned()),
        ..ServerOptions::default()
    })?;
    let browser = Browser::start(BrowserOptions::default())?;
    browser.goto(&server.url("/analytics/spend"))?;
    assert_eq!(browser.wait_text(".cca-page__title", WAIT)?, "Spend");
    browser.refresh()?;
    assert_eq!(browser.wait_text(".cca-page__title", WAIT)?, "Spend");
    browser.click(".cca-nav__link[href^='/analytics/team']")?;
    browser.wait_for(
        "document.querySelector('.cca-page__title')?.textContent === 'Team'",
        WAIT,
    )?;
    let assets: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| {
            r.path.ends_with(".wasm") || r.path.ends_with(".js") || r.path.ends_with(".css")
        })
        .map(|r| format!("{} {}", r.status, r.path))
        .collect();
    assert!(!assets.is_empty());
    assert!(
        assets.iter().all(|a| a.starts_with("200 /static/cca/")),
        "every asset from the public URL: {assets:?}"
    );
    Ok(())
}
