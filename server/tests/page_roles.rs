//! `--app-config` with `page_roles`: the server enforces the narrowed policy
//! (a role kept off the spend page gets no `estimated_cost`, a role kept off
//! every page gets 403 and costs no upstream call) and hands the page the
//! same config.

use crate::common::fake_upstream::records_for;
use crate::common::*;
use axum::http::StatusCode;
use cca::model::decode::decode_usage_page;
use cca_server::app_config::AppConfig;
use cca_server::auth::Auth;
use cca_server::roles::RolesFile;
use serde_json::Value;

const ROLES: &str = r#"
[emails]
"boss@corp.example" = "owner"
"books@corp.example" = "billing"
"intern@eng.example" = "user"
[domains]
"eng.example" = "developer"
"#;

fn proxy_app(fake: Option<&FakeUpstream>, app_config: &str) -> axum::Router {
    let mut settings = settings(fake, None);
    settings.auth = Auth::Proxy {
        header: axum::http::HeaderName::from_static("x-forwarded-email"),
        trusted: vec!["127.0.0.1".parse().unwrap()],
        roles: RolesFile::parse(ROLES, "roles.toml").unwrap(),
    };
    settings.app_config = Some(AppConfig::parse(app_config, "app.json").unwrap());
    app(&settings)
}

/// Every record of `day` as `email` receives it, following the server's
/// cursors `limit` records at a time; also every raw body.
async fn day_as(
    app: &axum::Router,
    email: &str,
    day: chrono::NaiveDate,
    limit: usize,
) -> (Vec<Value>, Vec<String>) {
    let mut records = Vec::new();
    let mut bodies = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let answer = get_as(app, email, &usage_uri(day, limit, cursor.as_deref())).await;
        assert_eq!(answer.status, StatusCode::OK, "{email}: {}", answer.body);
        // Each page decodes with the app's own decoder.
        decode_usage_page(day, &answer.body).unwrap_or_else(|e| panic!("{email}: {e}"));
        let page = answer.json();
        records.extend(page["data"].as_array().unwrap().iter().cloned());
        bodies.push(answer.body);
        match page["next_page"].as_str() {
            Some(next) if page["has_more"] == true => cursor = Some(next.to_owned()),
            _ => return (records, bodies),
        }
    }
}

/// `records` with every `model_breakdown` entry's `estimated_cost` removed.
fn without_cost(mut records: Vec<Value>) -> Vec<Value> {
    for record in &mut records {
        let models = record
            .get_mut("model_breakdown")
            .and_then(Value::as_array_mut);
        for model in models.into_iter().flatten() {
            if let Some(model) = model.as_object_mut() {
                model.remove("estimated_cost");
            }
        }
    }
    records
}

#[tokio::test]
async fn a_role_kept_off_spend_gets_no_cost_while_an_owner_reading_the_same_cached_day_does() {
    let fake = FakeUpstream::start(1000).await;
    let app = proxy_app(Some(&fake), r#"{"page_roles":{"spend":["owner"]}}"#);
    let day = days_ago(20);
    let full = records_for(day);
    assert!(
        full.iter()
            .any(|r| !r["model_breakdown"].as_array().unwrap().is_empty()),
        "the day must have costs to withhold"
    );

    // The developer reads first: the day is fetched (with its costs) and cached.
    let (records, bodies) = day_as(&app, "dev@eng.example", day, 3).await;
    assert_eq!(fake.count(), 1);
    assert_eq!(bodies.len(), full.len().div_ceil(3).max(1));
    for body in &bodies {
        assert!(!body.contains("estimated_cost"), "{body}");
    }
    assert_eq!(records, without_cost(full.clone()));

    // The owner reads the same cached day: no upstream call, costs included.
    let (records, bodies) = day_as(&app, "boss@corp.example", day, 1000).await;
    assert_eq!(fake.count(), 1, "the owner read the cache");
    assert!(bodies[0].contains("estimated_cost"));
    assert_eq!(records, full);
    let page = decode_usage_page(day, &bodies[0]).unwrap();
    assert!(page
        .data
        .iter()
        .flat_map(|r| &r.model_breakdown)
        .all(|m| m.estimated_cost.is_some()));

    // The cache kept the whole records: the developer still gets none, and
    // billing, also kept off spend here, neither.
    for email in ["dev@eng.example", "books@corp.example"] {
        let (records, bodies) = day_as(&app, email, day, 1000).await;
        assert!(!bodies[0].contains("estimated_cost"), "{email}");
        assert_eq!(records, without_cost(full.clone()), "{email}");
        let page = decode_usage_page(day, &bodies[0]).unwrap();
        assert!(page
            .data
            .iter()
            .flat_map(|r| &r.model_breakdown)
            .all(|m| m.estimated_cost.is_none()));
    }
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn without_page_roles_every_analytics_role_gets_the_cost() {
    // The demo source (no key) answers through the same path.
    let app = proxy_app(None, r#"{"theme":"dark"}"#);
    let day = days_ago(8);
    for email in ["dev@eng.example", "books@corp.example", "boss@corp.example"] {
        let (records, _) = day_as(&app, email, day, 1000).await;
        assert_eq!(records, records_for(day), "{email}");
    }
}

#[tokio::test]
async fn a_role_kept_off_every_page_gets_403_and_costs_no_upstream_call() {
    let fake = FakeUpstream::start(1000).await;
    let app = proxy_app(
        Some(&fake),
        r#"{"page_roles":{"overview":["owner"],"lines":["owner"],"accept-rate":["owner"],
            "activity":["owner"],"spend":["owner"],"team":["owner"]}}"#,
    );
    let day = days_ago(9);
    for email in [
        "dev@eng.example",
        "books@corp.example",
        "intern@eng.example",
    ] {
        let answer = get_as(&app, email, &usage_uri(day, 1000, None)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{email}");
        assert_eq!(answer.json()["error"]["type"], "permission_error");
        // A malformed query is refused as forbidden too: nothing is learnt.
        let bad = get_as(
            &app,
            email,
            "/api/v1/organizations/usage_report/claude_code?limit=0",
        )
        .await;
        assert_eq!(bad.status, StatusCode::FORBIDDEN, "{email}");
    }
    assert_eq!(
        fake.count(),
        0,
        "no denied viewer may cost an upstream call: {:?}",
        fake.requests()
    );
    let owner = get_as(&app, "boss@corp.example", &usage_uri(day, 1000, None)).await;
    assert_eq!(owner.status, StatusCode::OK);
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn the_page_carries_the_app_config_with_the_servers_own_paths() {
    let dist = temp_dir("dist-app-config");
    std::fs::write(
        dist.join("index.html"),
        "<!DOCTYPE html><html><head><title>x</title></head><body></body></html>",
    )
    .unwrap();
    let mut settings = settings(None, None);
    settings.dist = Some(dist);
    settings.app_config = Some(
        AppConfig::parse(
            r#"{"page_roles":{"spend":["owner"]},"api_base":"https://console.example/api",
                "router_base":"/elsewhere","title":"</script><b>Usage"}"#,
            "app.json",
        )
        .unwrap(),
    );
    let app = app(&settings);
    let page = get(&app, "/claude-code/team").await;
    assert_eq!(page.status, StatusCode::OK);
    let start = page
        .body
        .find(r#"id="claude-code-analytics-config">"#)
        .unwrap();
    let text = &page.body[start + r#"id="claude-code-analytics-config">"#.len()..];
    let json = &text[..text.find("</script>").unwrap()];
    let config: Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        config,
        serde_json::json!({"api_base":"/api","router_base":"/claude-code",
                           "page_roles":{"spend":["owner"]},"title":"</script><b>Usage"})
    );
    // The app's own parser reads the same policy from the page.
    let parsed = cca::config::parse_config(Some(json)).unwrap();
    assert!(parsed.warnings.is_empty());
    assert_eq!(parsed.config.api_base.as_deref(), Some("/api"));
    let (policy, _) = parsed.config.policy();
    assert!(!policy.allows(
        &cca::auth::role::Role::Developer,
        cca::auth::page::Page::Spend
    ));
}
