//! The API surface: what is forwarded (one path, rebuilt, with the key),
//! what is answered locally (everything else), who may ask (roles, proxy
//! mode), and the demo organization with no key.

use crate::common;

use std::net::SocketAddr;

use crate::common::fake_upstream::records_for;
use crate::common::*;
use axum::http::{Method, StatusCode};
use cca::auth::role::Role;
use cca_server::auth::Auth;
use cca_server::roles::RolesFile;

#[tokio::test]
async fn only_the_usage_path_is_forwarded_everything_else_is_answered_here() {
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), None));
    let day = days_ago(20);
    let not_found = [
        "/api/v1/organizations/users".to_owned(),
        "/api/v1/organizations/api_keys".to_owned(),
        "/api/v1/organizations/workspaces".to_owned(),
        "/api/v1/messages".to_owned(),
        "/api/v1/organizations/usage_report/messages".to_owned(),
        "/api".to_owned(),
        "/api/".to_owned(),
        format!("/api/v1/organizations/usage_report/claude_code/../../users?starting_at={day}"),
        "/api/v1/organizations/usage_report/claude_code/..%2F..%2Fusers".to_owned(),
        "/api/v1/organizations/usage_report/%2e%2e/%2e%2e/users".to_owned(),
        "/api/v1/organizations/%2e%2e/api_keys".to_owned(),
        format!("/api/v1/organizations%2Fusage_report%2Fclaude_code?starting_at={day}"),
        format!("/api/v1/organizations/usage_report%2Fclaude_code?starting_at={day}"),
        format!("/api//v1/organizations/usage_report/claude_code?starting_at={day}"),
        format!("/api/v1/organizations//usage_report/claude_code?starting_at={day}"),
        format!("/api/v1/organizations/usage_report/claude_code/?starting_at={day}"),
        "/api/v1//me".to_owned(),
        "/api/v1/me/../organizations/users".to_owned(),
        format!("/API/v1/organizations/usage_report/claude_code?starting_at={day}"),
    ];
    for uri in &not_found {
        let answer = get(&app, uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(answer.status.is_client_error());
        if uri.starts_with("/api") {
            assert_eq!(answer.json()["type"], "error", "{uri}");
        }
    }
    let usage = common::usage_uri(day, 10, None);
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
        for uri in [usage.as_str(), "/api/v1/me", "/api/v1/organizations/users"] {
            let answer = send(&app, method.clone(), uri, &[], None).await;
            assert!(
                answer.status == StatusCode::METHOD_NOT_ALLOWED
                    || answer.status == StatusCode::NOT_FOUND,
                "{method} {uri}: {}",
                answer.status
            );
        }
        let answer = send(&app, method.clone(), &usage, &[], None).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    let bad_queries = [
        String::new(),
        "?limit=10".to_owned(),
        "?starting_at=yesterday".to_owned(),
        "?starting_at=2025-13-01".to_owned(),
        "?starting_at=2025-09-08T12:30:00Z".to_owned(),
        format!("?starting_at={day}&limit=0"),
        format!("?starting_at={day}&limit=1001"),
        format!("?starting_at={day}&limit=abc"),
        format!("?starting_at={day}&page=..%2F..%2Fusers"),
        format!("?starting_at={day}&page=%00"),
        format!("?starting_at={day}&page={}", "a".repeat(129)),
        format!("?starting_at={day}&page=not-our-cursor"),
        format!(
            "?starting_at={day}&page={}.0",
            days_ago(21).format("%Y%m%d")
        ),
        format!("?starting_at={day}&starting_at={day}"),
        format!("?starting_at={day}&ending_at={day}"),
        format!("?starting_at={day}&x-api-key=mine"),
    ];
    for query in &bad_queries {
        let uri = format!("/api/v1/organizations/usage_report/claude_code{query}");
        let answer = get(&app, &uri).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{uri}: {}",
            answer.body
        );
        assert_eq!(answer.json()["error"]["type"], "invalid_request_error");
    }
    assert_eq!(
        fake.count(),
        0,
        "nothing may reach the upstream: {:?}",
        fake.requests()
    );
}

#[tokio::test]
async fn a_role_that_sees_no_analytics_gets_403_and_costs_no_upstream_call() {
    let fake = FakeUpstream::start(1000).await;
    for role in [Role::User, Role::ClaudeCodeUser, Role::MembershipAdmin] {
        let mut settings = settings(Some(&fake), None);
        settings.auth = Auth::Local { role: role.clone() };
        let app = app(&settings);
        let me = get(&app, "/api/v1/me").await;
        assert_eq!(me.status, StatusCode::OK);
        assert_eq!(me.json()["role"], role.wire_name());
        let answer = get(&app, &usage_uri(days_ago(5), 1000, None)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{role:?}");
        assert_eq!(answer.json()["error"]["type"], "permission_error");
        // Even a malformed query is refused as forbidden: nothing is learnt.
        let bad = get(
            &app,
            "/api/v1/organizations/usage_report/claude_code?limit=0",
        )
        .await;
        assert_eq!(bad.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(fake.count(), 0);
}

const ROLES: &str = r#"
[emails]
"boss@corp.example" = "owner"
"intern@eng.example" = "user"
[domains]
"eng.example" = "developer"
"#;

fn proxy_app(fake: &FakeUpstream) -> axum::Router {
    let mut settings = settings(Some(fake), None);
    settings.auth = Auth::Proxy {
        header: axum::http::HeaderName::from_static("x-forwarded-email"),
        trusted: vec!["127.0.0.1".parse().unwrap()],
        roles: RolesFile::parse(ROLES, "roles.toml").unwrap(),
    };
    app(&settings)
}

#[tokio::test]
async fn proxy_mode_believes_the_header_only_from_the_proxy_and_maps_roles() {
    let fake = FakeUpstream::start(1000).await;
    let app = proxy_app(&fake);
    let proxy: SocketAddr = "127.0.0.1:40000".parse().unwrap();
    let stranger: SocketAddr = "127.0.0.9:40000".parse().unwrap();
    let usage = usage_uri(days_ago(7), 1000, None);
    let as_viewer = |email: &'static str, peer: SocketAddr| {
        let app = app.clone();
        let usage = usage.clone();
        async move {
            let me = send(
                &app,
                Method::GET,
                "/api/v1/me",
                &[("x-forwarded-email", email)],
                Some(peer),
            )
            .await;
            let data = send(
                &app,
                Method::GET,
                &usage,
                &[("x-forwarded-email", email)],
                Some(peer),
            )
            .await;
            (me, data)
        }
    };

    // The header from anyone but the proxy is ignored: signed out.
    let (me, data) = as_viewer("boss@corp.example", stranger).await;
    assert_eq!(
        (me.status, data.status),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    // No connection info at all (never the case behind a listener) is not trusted either.
    let none = send(
        &app,
        Method::GET,
        "/api/v1/me",
        &[("x-forwarded-email", "boss@corp.example")],
        None,
    )
    .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    // An unknown email has no access.
    let (me, data) = as_viewer("someone@elsewhere.example", proxy).await;
    assert_eq!(
        (me.status, data.status),
        (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN)
    );
    // An email rule wins over its domain's: the intern is a plain user, denied.
    let (me, data) = as_viewer("intern@eng.example", proxy).await;
    assert_eq!(me.json()["role"], "user");
    assert_eq!(data.status, StatusCode::FORBIDDEN);
    assert_eq!(
        fake.count(),
        0,
        "no denied viewer may cost an upstream call"
    );

    // The domain rule and the email rule give access.
    let (me, data) = as_viewer("dev@eng.example", proxy).await;
    assert_eq!(me.json()["role"], "developer");
    assert_eq!(me.json()["email"], "dev@eng.example");
    assert_eq!(data.status, StatusCode::OK);
    let (me, data) = as_viewer("boss@corp.example", proxy).await;
    assert_eq!(me.json()["role"], "owner");
    assert_eq!(data.status, StatusCode::OK);
    assert_eq!(fake.count(), 1, "the second viewer read the cache");
}

#[tokio::test]
async fn with_no_key_the_demo_organization_answers_the_same_api() {
    let app = app(&settings(None, None));
    let me = get(&app, "/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(me["role"], "admin");
    assert_eq!(
        me["organization"]["id"],
        common::fake_upstream::demo_org().organization_id()
    );
    // Its first day with usage, so that the app offers no month before it;
    // read by the app's own decoder.
    let first = common::fake_upstream::demo_org().started();
    assert_eq!(me["data_since"], first.to_string());
    let decoded = cca::model::decode::decode_me(&me.to_string()).unwrap();
    assert_eq!(decoded.data_since, Some(first));
    assert!(records_for(first - chrono::Duration::days(1)).is_empty());
    assert!(!records_for(first).is_empty());
    // Paged by the server's own cursors, a day is exactly the demo's records.
    for day in [days_ago(1), days_ago(8), days_ago(60)] {
        let expected = records_for(day);
        assert!(!expected.is_empty());
        assert_eq!(load_day(&app, day, 7).await, expected, "{day}");
        assert_eq!(load_day(&app, day, 1000).await, expected, "{day}");
    }
    // The records decode with the app's own decoder.
    let answer = get(&app, &usage_uri(days_ago(8), 1000, None)).await;
    let page = cca::model::decode::decode_usage_page(days_ago(8), &answer.body).unwrap();
    assert_eq!(page.data.len(), records_for(days_ago(8)).len());
    // A day after today has no usage.
    let future = get(&app, &usage_uri(days_ago(-3), 1000, None)).await;
    assert_eq!(future.json()["data"].as_array().unwrap().len(), 0);
    let health = get(&app, "/healthz").await;
    assert_eq!(
        (health.status, health.json()["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
}

#[tokio::test]
async fn the_release_app_is_served_with_its_config_csp_and_cache_headers() {
    let dist = temp_dir("dist");
    std::fs::write(
        dist.join("index.html"),
        "<!DOCTYPE html><html><head><title>x</title><link rel=\"stylesheet\" href=\"/app-0123456789abcdef.css\"></head><body></body></html>",
    )
    .unwrap();
    std::fs::write(dist.join("app-0123456789abcdef.css"), "body{}").unwrap();
    std::fs::write(dist.join("app-0123456789abcdef.css.br"), "BROTLI").unwrap();
    std::fs::write(
        dist.join("claude-code-analytics-0123456789abcdef_bg.wasm"),
        b"\0asm",
    )
    .unwrap();
    std::fs::write(dist.join("robots.txt"), "User-agent: *").unwrap();
    let mut settings = settings(None, None);
    settings.dist = Some(dist.clone());
    let app = app(&settings);

    for deep_link in [
        "/claude-code",
        "/claude-code/",
        "/claude-code/spend",
        "/claude-code/team?range=90d",
    ] {
        let page = get(&app, deep_link).await;
        assert_eq!(page.status, StatusCode::OK, "{deep_link}");
        assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
        assert_eq!(page.headers["cache-control"], "no-cache");
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'")
                && csp.contains("style-src 'self'")
        );
        assert!(!csp.contains("unsafe-inline"));
        assert!(page.body.contains(
            r#"<script type="application/json" id="claude-code-analytics-config">{"api_base":"/api","router_base":"/claude-code"}</script></head>"#
        ), "{}", page.body);
    }
    let css = send(
        &app,
        Method::GET,
        "/app-0123456789abcdef.css",
        &[("accept-encoding", "gzip, br")],
        None,
    )
    .await;
    assert_eq!(css.body, "BROTLI");
    assert_eq!(css.headers["content-encoding"], "br");
    assert_eq!(
        css.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(css.headers["content-type"], "text/css");
    let plain = get(&app, "/app-0123456789abcdef.css").await;
    assert_eq!(plain.body, "body{}");
    assert!(!plain.headers.contains_key("content-encoding"));
    let wasm = get(&app, "/claude-code-analytics-0123456789abcdef_bg.wasm").await;
    assert_eq!(wasm.headers["content-type"], "application/wasm");
    assert_eq!(
        get(&app, "/robots.txt").await.headers["cache-control"],
        "no-cache"
    );
    let root = get(&app, "/").await;
    assert_eq!(root.status, StatusCode::FOUND);
    assert_eq!(root.headers["location"], "/claude-code/");
    for missing in [
        "/claude-code/missing.js",
        "/elsewhere",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/app-0123456789abcdef.css/..%2F..%2Fetc%2Fpasswd",
        "/index.html.br",
    ] {
        assert_eq!(
            get(&app, missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    let post = send(&app, Method::POST, "/claude-code/spend", &[], None).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
}
