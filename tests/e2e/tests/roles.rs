//! Roles in real Chromium against the test server: what each of the eight
//! roles sees, and the server's request log proving that a page or role
//! without access never asked for usage data.

use std::thread::sleep;
use std::time::{Duration, Instant};

use cca_e2e::{
    screenshot_dir, serve_dist, start_with_api, Browser, BrowserOptions, MeAnswer, TestServer,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WAIT: Duration = Duration::from_secs(20);
/// How long a denied page is watched for a stray usage request.
const QUIET: Duration = Duration::from_millis(1500);

const ALL_NAV: [&str; 6] = [
    "Overview",
    "Lines of code",
    "Accept rate",
    "Activity",
    "Spend",
    "Team",
];
/// (path under the base, the title its page shows)
const ROUTES: [(&str, &str); 6] = [
    ("", "Overview"),
    ("lines", "Lines of code"),
    ("accept-rate", "Accept rate"),
    ("activity", "Activity"),
    ("spend", "Spend"),
    ("team", "Team"),
];

fn api_server(extra_config: &str) -> Result<TestServer, Box<dyn std::error::Error>> {
    Ok(start_with_api(
        serve_dist(),
        &format!(r#","sign_in_url":"/login"{extra_config}"#),
    )?)
}

/// Opens `path` and waits until the session resolved and a page settled.
fn open(
    browser: &Browser,
    server: &TestServer,
    path: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    browser.goto(&server.url(&format!("/claude-code/{path}")))?;
    browser.wait_for(
        "(() => { const p = document.querySelector('.cca-page'); \
           return p && p.dataset.page !== 'loading' && !!document.querySelector('.cca-page__title'); })()",
        WAIT,
    )?;
    Ok(browser.wait_text(".cca-page__title", WAIT)?)
}

fn wait_for_usage_request(server: &TestServer) -> bool {
    let start = Instant::now();
    while start.elapsed() < WAIT {
        if !server.usage_requests().is_empty() {
            return true;
        }
        sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn analytics_roles_see_every_page_and_load_usage() -> TestResult {
    let server = api_server("")?;
    let browser = Browser::start(BrowserOptions::default())?;
    for role in ["primary_owner", "owner", "billing", "admin", "developer"] {
        server.set_me(MeAnswer::Role(role.to_owned()));
        for (path, title) in ROUTES {
            server.clear_log();
            let shown = open(&browser, &server, path)?;
            assert_eq!(shown, title, "{role} at /{path}");
            assert_eq!(browser.texts(".cca-nav__link")?, ALL_NAV, "{role}");
            assert!(
                wait_for_usage_request(&server),
                "{role} at /{path}: no usage request"
            );
        }
        browser.screenshot(&screenshot_dir().join(format!("role-{role}.png")))?;
    }
    Ok(())
}

#[test]
fn roles_without_analytics_see_one_page_and_request_nothing() -> TestResult {
    let server = api_server("")?;
    let browser = Browser::start(BrowserOptions::default())?;
    for (role, label) in [
        ("user", "User"),
        ("claude_code_user", "Claude Code User"),
        ("membership_admin", "Membership Admin"),
    ] {
        server.set_me(MeAnswer::Role(role.to_owned()));
        server.clear_log();
        for (path, _) in ROUTES {
            let shown = open(&browser, &server, path)?;
            assert_eq!(
                shown, "Analytics are not available to your role",
                "{role} /{path}"
            );
            let text = browser.wait_text(".cca-page", WAIT)?;
            assert!(
                text.contains(
                    "Analytics are available to Primary Owner, Owner, Billing, Admin and Developer."
                ),
                "{text}"
            );
            assert!(text.contains(&format!("Your role is {label}.")), "{text}");
            assert!(
                browser.texts(".cca-nav__link")?.is_empty(),
                "{role}: nav shown"
            );
        }
        sleep(QUIET);
        let usage = server.usage_requests();
        assert!(usage.is_empty(), "{role} requested usage: {usage:?}");
        // It did ask who is looking.
        assert!(server.requests().iter().any(|r| r.path.ends_with("/v1/me")));
        browser.screenshot(&screenshot_dir().join(format!("role-{role}.png")))?;
    }
    Ok(())
}

#[test]
fn narrowed_pages_are_hidden_and_never_requested() -> TestResult {
    let server = api_server(
        r#","page_roles":{"spend":["owner","billing"],"team":["owner","billing","developer"]}"#,
    )?;
    let browser = Browser::start(BrowserOptions::default())?;

    server.set_me(MeAnswer::Role("admin".to_owned()));
    server.clear_log();
    let shown = open(&browser, &server, "spend")?;
    assert_eq!(shown, "No access to Spend");
    let text = browser.wait_text(".cca-page", WAIT)?;
    assert!(
        text.contains(
            "Your role (Admin) cannot see this page. It is available to Owner and Billing."
        ),
        "{text}"
    );
    assert_eq!(
        browser.texts(".cca-nav__link")?,
        ["Overview", "Lines of code", "Accept rate", "Activity"]
    );
    assert_eq!(
        browser.texts(".cca-no-access__links a")?,
        ["Overview", "Lines of code", "Accept rate", "Activity"]
    );
    assert_eq!(open(&browser, &server, "team")?, "No access to Team");
    sleep(QUIET);
    assert!(
        server.usage_requests().is_empty(),
        "{:?}",
        server.usage_requests()
    );
    browser.screenshot(&screenshot_dir().join("role-narrowed-no-access.png"))?;

    // A link from the no-access page leads to a page the role can see, which loads.
    browser.click(".cca-no-access__links a[href$='/activity']")?;
    browser.wait_for(
        "document.querySelector('.cca-page__title')?.textContent === 'Activity'",
        WAIT,
    )?;
    assert!(wait_for_usage_request(&server));

    // Developer keeps the team page, still not spend.
    server.set_me(MeAnswer::Role("developer".to_owned()));
    assert_eq!(open(&browser, &server, "team")?, "Team");
    assert_eq!(
        browser.texts(".cca-nav__link")?,
        [
            "Overview",
            "Lines of code",
            "Accept rate",
            "Activity",
            "Team"
        ]
    );
    Ok(())
}

#[test]
fn signed_out_forbidden_and_unreadable_roles_deny_with_a_message() -> TestResult {
    let server = api_server("")?;
    let browser = Browser::start(BrowserOptions::default())?;

    server.set_me(MeAnswer::Status(401));
    server.clear_log();
    assert_eq!(open(&browser, &server, "activity")?, "You are signed out");
    let sign_in = browser.execute(
        "return document.querySelector('.cca-page a.cca-button')?.getAttribute('href')",
        vec![],
    )?;
    assert_eq!(sign_in.as_str(), Some("/login"));
    browser.screenshot(&screenshot_dir().join("session-401.png"))?;

    server.set_me(MeAnswer::Status(403));
    assert_eq!(open(&browser, &server, "activity")?, "No access");

    server.set_me(MeAnswer::Raw("<html>oops</html>".to_owned()));
    assert_eq!(
        open(&browser, &server, "activity")?,
        "Could not determine your role"
    );
    browser.screenshot(&screenshot_dir().join("session-garbage.png"))?;

    server.set_me(MeAnswer::Raw(r#"{"role": 7}"#.to_owned()));
    assert_eq!(
        open(&browser, &server, "activity")?,
        "Could not determine your role"
    );

    server.set_me(MeAnswer::Role("superuser".to_owned()));
    assert_eq!(
        open(&browser, &server, "activity")?,
        "Analytics are not available to your role"
    );
    let text = browser.wait_text(".cca-page", WAIT)?;
    assert!(text.contains("does not recognise that role"), "{text}");

    sleep(QUIET);
    assert!(
        server.usage_requests().is_empty(),
        "{:?}",
        server.usage_requests()
    );
    Ok(())
}
