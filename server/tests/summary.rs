//! `GET /api/v1/organizations/usage_report/claude_code/summary`: the same
//! figures the app computes from the usage path's raw records, from the day
//! cache (a cached day costs no upstream call), with spend withheld from a
//! role kept off the spend page, 403 and 400 before anything is read, failed
//! days listed beside the others, and the capabilities in `/v1/me`
//! (a member's summary: `member_summary.rs`).

use std::collections::HashMap;
use std::io::Read;
use std::time::Duration;

use crate::common::*;
use axum::http::{Method, StatusCode};
use axum::Router;
use cca::auth::role::Role;
use cca::model::aggregate::{aggregate, Aggregates};
use cca::model::dates::DateRange;
use cca::model::decode::decode_usage_page;
use cca::model::record::UsageRecord;
use cca::model::team::{actor_totals, ActorTotals};
use cca::summary::Summary;
use cca_server::app_config::AppConfig;
use cca_server::auth::Auth;
use cca_server::roles::RolesFile;
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

fn summary_uri(from: NaiveDate, to: NaiveDate) -> String {
    format!(
        "/api/v1/organizations/usage_report/claude_code/summary?starting_at={from}&ending_at={to}"
    )
}

/// Ten days across the end of last month: always in the past, and final.
fn across_a_month_end() -> DateRange {
    let today = days_ago(0);
    let this_month = today.with_day(1).unwrap();
    let last_month = (this_month - chrono::Duration::days(1))
        .with_day(1)
        .unwrap();
    let first = last_month - chrono::Duration::days(4);
    DateRange::new(first, last_month + chrono::Duration::days(5)).unwrap()
}

/// A viewer: `None` for `--auth local`, else an email sent by the trusted proxy.
type Viewer<'a> = Option<&'a str>;

async fn as_viewer(app: &Router, viewer: Viewer<'_>, uri: &str) -> Answer {
    match viewer {
        None => get(app, uri).await,
        Some(email) => get_as(app, email, uri).await,
    }
}

/// Every day of `range` as the app loads it from the usage path (following
/// the server's cursors) and decodes it; `skip` days are left unloaded.
async fn raw_days(
    app: &Router,
    viewer: Viewer<'_>,
    range: DateRange,
    skip: &[NaiveDate],
) -> HashMap<NaiveDate, Vec<UsageRecord>> {
    let mut days = HashMap::new();
    for day in range.days().filter(|d| !skip.contains(d)) {
        let mut records: Vec<Value> = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let answer = as_viewer(app, viewer, &usage_uri(day, 250, cursor.as_deref())).await;
            assert_eq!(answer.status, StatusCode::OK, "{day}: {}", answer.body);
            let page = answer.json();
            records.extend(page["data"].as_array().unwrap().iter().cloned());
            match page["next_page"].as_str() {
                Some(next) if page["has_more"] == true => cursor = Some(next.to_owned()),
                _ => break,
            }
        }
        let page = json!({"data": records, "has_more": false}).to_string();
        days.insert(day, decode_usage_page(day, &page).unwrap().data);
    }
    days
}

/// What the app computes from raw days.
fn computed(
    range: DateRange,
    days: &HashMap<NaiveDate, Vec<UsageRecord>>,
) -> (Aggregates, Vec<ActorTotals>) {
    let lookup = |day: NaiveDate| days.get(&day).map(Vec::as_slice);
    let aggregates = aggregate(range, lookup);
    let actors = actor_totals(range, range.days().filter_map(lookup).flatten());
    (aggregates, actors)
}

/// The summary's answer, decoded and checked.
async fn summary_as(app: &Router, viewer: Viewer<'_>, range: DateRange) -> (Summary, Answer) {
    let answer = as_viewer(app, viewer, &summary_uri(range.start(), range.end())).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.headers["content-type"], "application/json");
    assert_eq!(answer.headers["cache-control"], "private, no-store");
    let summary = Summary::decode(&answer.body).unwrap();
    assert_eq!(summary.range(), range);
    (summary, answer)
}

#[tokio::test]
async fn the_summary_is_what_the_app_computes_from_the_raw_records() {
    let logs = Logs::global();
    let fake = FakeUpstream::start(7).await;
    let app = app(&settings(Some(&fake), None));
    let range = across_a_month_end();
    let calls: usize = range.days().map(|d| fake.pages_of(d)).sum();

    let case = "summary_log";
    let (summary, answer) = in_test_span(case, summary_as(&app, None, range)).await;
    assert_eq!(fake.count(), calls, "each day fetched once, every page");
    // Only the usage report went upstream, one day per call: never the summary.
    for received in fake.requests() {
        assert_eq!(received.path, fake_upstream::USAGE);
        assert!(
            received.query.starts_with("starting_at="),
            "{}",
            received.query
        );
        assert!(!received.query.contains("ending_at"), "{}", received.query);
    }
    assert!(summary.failed().is_empty());
    assert!(summary.actor_count() > 10);

    // The raw path over the same days: from the cache the summary filled.
    let days = raw_days(&app, None, range, &[]).await;
    assert_eq!(fake.count(), calls, "the usage path read the cache");
    let (aggregates, actors) = computed(range, &days);
    assert!(aggregates
        .totals
        .spend
        .usd_minor()
        .is_some_and(|usd| usd > 0));
    assert_eq!(summary.aggregates(), aggregates);
    assert_eq!(summary.actor_totals(), actors);

    // Again: every day from the cache, nothing upstream.
    let (again, _) = in_test_span(case, summary_as(&app, None, range)).await;
    assert_eq!(again, summary);
    assert_eq!(fake.count(), calls, "cached days cost no upstream call");

    // One log line per summary request: its range, days, hits and fetches.
    let own = format!("from={} to={}", range.start(), range.end());
    let lines = logs.lines_of(case, &[" summary ", &own]);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let days_field = format!("days={}", range.len_days());
    assert!(lines[0].contains(&days_field), "{}", lines[0]);
    assert!(
        lines[0].contains("hits=0") && lines[0].contains(&format!("fetched={}", range.len_days())),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains(&format!("hits={}", range.len_days())) && lines[1].contains("fetched=0"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains("failed=0")
            && lines[1].contains("status=200")
            && lines[1].contains(" ms="),
        "{}",
        lines[1]
    );
    assert!(!logs.text().contains(KEY));
    assert!(answer.body.len() < 64 * 1024, "{} bytes", answer.body.len());
}

#[tokio::test]
async fn the_demo_organization_answers_too_and_the_last_day_is_clamped_to_today() {
    let app = app(&settings(None, None));
    let today = days_ago(0);
    let asked = format!(
        "/api/v1/organizations/usage_report/claude_code/summary?starting_at={}&ending_at={}",
        days_ago(20),
        today + chrono::Duration::days(30)
    );
    let answer = get(&app, &asked).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let summary = Summary::decode(&answer.body).unwrap();
    let range = DateRange::new(days_ago(20), today).unwrap();
    assert_eq!(summary.range(), range);
    let days = raw_days(&app, None, range, &[]).await;
    let (aggregates, actors) = computed(range, &days);
    assert_eq!(summary.aggregates(), aggregates);
    assert_eq!(summary.actor_totals(), actors);
}

const ROLES: &str = r#"
[emails]
"boss@corp.example" = "owner"
"intern@eng.example" = "user"
[domains]
"eng.example" = "developer"
"#;

fn proxy_app(fake: &FakeUpstream, app_config: &str) -> Router {
    let mut settings = settings(Some(fake), None);
    settings.auth = Auth::Proxy {
        header: axum::http::HeaderName::from_static("x-forwarded-email"),
        trusted: vec!["127.0.0.1".parse().unwrap()],
        roles: RolesFile::parse(ROLES, "roles.toml").unwrap(),
    };
    settings.app_config = Some(AppConfig::parse(app_config, "app.json").unwrap());
    app(&settings)
}

#[tokio::test]
async fn a_developer_kept_off_spend_gets_no_spend_figures() {
    let fake = FakeUpstream::start(1000).await;
    let app = proxy_app(&fake, r#"{"page_roles":{"spend":["owner"]}}"#);
    let range = DateRange::new(days_ago(40), days_ago(30)).unwrap();

    let (summary, answer) = summary_as(&app, Some("dev@eng.example"), range).await;
    let json = answer.json();
    assert_eq!(json["totals"]["spend"], Value::Null);
    // A day's spend is withheld, or empty where no cost was ever there.
    let days = json["days"].as_array().unwrap();
    assert!(
        days.iter()
            .all(|day| day[9].is_null() || day[9] == json!({})),
        "{days:?}"
    );
    assert!(days.iter().any(|day| day[9].is_null()));
    for row in json["models"].as_array().unwrap() {
        assert_eq!(row[5], Value::Null, "{row}");
    }
    for row in json["actors"].as_array().unwrap() {
        assert_eq!(row[2], Value::Null, "{row}");
    }
    assert!(!answer.body.contains("USD"), "{}", answer.body);
    let aggregates = summary.aggregates();
    assert!(aggregates.totals.spend.is_withheld());
    assert!(summary.actor_totals().iter().all(|a| a.spend.is_withheld()));
    // Exactly what the developer's browser computes from the usage path.
    let days = raw_days(&app, Some("dev@eng.example"), range, &[]).await;
    let (raw, actors) = computed(range, &days);
    assert_eq!(aggregates, raw);
    assert_eq!(summary.actor_totals(), actors);

    // The owner reads the same cached days, with their costs.
    let calls = fake.count();
    let (owner, answer) = summary_as(&app, Some("boss@corp.example"), range).await;
    assert_eq!(fake.count(), calls);
    assert!(answer.body.contains("\"USD\""));
    assert!(owner
        .aggregates()
        .totals
        .spend
        .usd_minor()
        .is_some_and(|usd| usd > 0));
    let days = raw_days(&app, Some("boss@corp.example"), range, &[]).await;
    assert_eq!(owner.aggregates(), computed(range, &days).0);

    // The days are final: both views' sums are kept now, each its own. The
    // developer again, and the owner again, see what they saw.
    let (again, answer) = summary_as(&app, Some("dev@eng.example"), range).await;
    assert_eq!(again, summary);
    assert!(!answer.body.contains("USD"), "{}", answer.body);
    let (owner_again, _) = summary_as(&app, Some("boss@corp.example"), range).await;
    assert_eq!(owner_again, owner);
    assert_eq!(fake.count(), calls);
}

#[tokio::test]
async fn roles_without_access_get_403_and_cost_nothing() {
    let fake = FakeUpstream::start(1000).await;
    let range = DateRange::new(days_ago(12), days_ago(5)).unwrap();
    let uri = summary_uri(range.start(), range.end());
    for role in [Role::User, Role::ClaudeCodeUser, Role::MembershipAdmin] {
        let mut settings = settings(Some(&fake), None);
        settings.auth = Auth::Local { role: role.clone() };
        let app = app(&settings);
        let answer = get(&app, &uri).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{role:?}");
        assert_eq!(answer.json()["error"]["type"], "permission_error");
        // A malformed query is refused as forbidden too: nothing is learnt.
        let bad = get(
            &app,
            "/api/v1/organizations/usage_report/claude_code/summary?starting_at=x",
        )
        .await;
        assert_eq!(bad.status, StatusCode::FORBIDDEN, "{role:?}");
    }
    let app = proxy_app(&fake, "{}");
    for viewer in ["intern@eng.example", "stranger@else.example"] {
        let answer = as_viewer(&app, Some(viewer), &uri).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{viewer}");
    }
    // Not from the proxy: signed out.
    let answer = send(
        &app,
        Method::GET,
        &uri,
        &[("x-forwarded-email", "boss@corp.example")],
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(fake.count(), 0, "{:?}", fake.requests());
}

#[tokio::test]
async fn bad_ranges_get_400_and_cost_nothing() {
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), None));
    let today = days_ago(0);
    let base = "/api/v1/organizations/usage_report/claude_code/summary";
    for (query, says) in [
        (String::new(), "starting_at is required".to_owned()),
        (
            format!("starting_at={}", days_ago(3)),
            "ending_at is required".to_owned(),
        ),
        (
            format!("starting_at={}&ending_at={}", days_ago(3), days_ago(4)),
            "is before starting_at".to_owned(),
        ),
        (
            format!("starting_at={}&ending_at={}", days_ago(400), today),
            "401 days".to_owned(),
        ),
        (
            format!(
                "starting_at={}&ending_at={}",
                today + chrono::Duration::days(1),
                today + chrono::Duration::days(3)
            ),
            "after today".to_owned(),
        ),
        (
            format!("starting_at=2025-02-30&ending_at={today}"),
            "starting_at must be a date".to_owned(),
        ),
        (
            format!("starting_at={today}&ending_at=tomorrow"),
            "ending_at must be a date".to_owned(),
        ),
        (
            format!("starting_at={today}&ending_at={today}&limit=10"),
            "unknown parameter".to_owned(),
        ),
        (
            format!("starting_at={today}&starting_at={today}&ending_at={today}"),
            "given twice".to_owned(),
        ),
    ] {
        let answer = get(&app, &format!("{base}?{query}")).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            answer.body
        );
        let error = answer.json();
        assert_eq!(error["type"], "error");
        assert_eq!(error["error"]["type"], "invalid_request_error");
        let message = error["error"]["message"].as_str().unwrap();
        assert!(message.contains(&says), "{query}: {message}");
    }
    assert_eq!(fake.count(), 0, "{:?}", fake.requests());
    // 400 days (the app's longest range) is the most.
    let longest = get(&app, &summary_uri(days_ago(399), today)).await;
    assert_eq!(
        longest.status,
        StatusCode::OK,
        "{}",
        &longest.body[..longest.body.len().min(300)]
    );
    // Other methods are refused.
    let post = send(&app, Method::POST, &summary_uri(today, today), &[], None).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn more_bad_ranges_cost_no_upstream_call() {
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), None));
    for uri in [
        summary_uri(days_ago(3), days_ago(4)),
        summary_uri(days_ago(401), days_ago(1)),
        format!("{}&page=1", summary_uri(days_ago(3), days_ago(1))),
    ] {
        assert_eq!(
            get(&app, &uri).await.status,
            StatusCode::BAD_REQUEST,
            "{uri}"
        );
    }
    assert_eq!(fake.count(), 0, "{:?}", fake.requests());
}

#[tokio::test]
async fn a_failing_day_is_listed_and_the_rest_aggregated_then_retried() {
    let fake = FakeUpstream::start(1000).await;
    let mut settings = settings(Some(&fake), None);
    // Refusals are remembered for `recent_ttl`: none here, so Retry asks again.
    settings.recent_ttl = Duration::ZERO;
    let app = app(&settings);
    let range = DateRange::new(days_ago(50), days_ago(41)).unwrap();
    // One upstream call, whichever day it is for, is refused (not retried).
    fake.fault(
        Fault::Status {
            status: 404,
            retry_after: None,
        },
        Some(1),
    );
    let (summary, answer) = summary_as(&app, None, range).await;
    assert_eq!(fake.count(), range.len_days() as usize);
    let [failed] = summary.failed() else {
        panic!("one failed day: {}", answer.body)
    };
    assert_eq!(failed.status, 502);
    assert!(failed.message.contains("refused"), "{}", failed.message);
    assert!(failed.message.contains(&failed.day.to_string()));
    let failed_day = failed.day;
    assert_eq!(summary.days_loaded(), range.len_days() as usize - 1);
    let aggregates = summary.aggregates();
    assert!(!aggregates.totals.is_complete());
    let index = (failed_day - range.start()).num_days() as usize;
    assert!(!aggregates.days[index].loaded, "unknown, not zero");
    let json = answer.json();
    assert_eq!(json["days"][index], Value::Null);
    assert_eq!(json["failed"][0]["day"], failed_day.to_string());

    // The other days are what the app computes from them.
    let days = raw_days(&app, None, range, &[failed_day]).await;
    let (raw, actors) = computed(range, &days);
    assert_eq!(aggregates, raw);
    assert_eq!(summary.actor_totals(), actors);

    // Retry: only the failed day goes upstream; now everything loaded.
    let calls = fake.count();
    let (retried, _) = summary_as(&app, None, range).await;
    assert_eq!(fake.count(), calls + 1);
    assert!(retried.failed().is_empty());
    let days = raw_days(&app, None, range, &[]).await;
    assert_eq!(retried.aggregates(), computed(range, &days).0);
}

#[tokio::test]
async fn when_no_day_loads_the_answer_is_the_error() {
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), None));
    let day = days_ago(60);
    fake.fault(
        Fault::Status {
            status: 404,
            retry_after: None,
        },
        Some(1),
    );
    let answer = get(&app, &summary_uri(day, day)).await;
    assert_eq!(answer.status, StatusCode::BAD_GATEWAY, "{}", answer.body);
    assert_eq!(answer.json()["error"]["day"], day.to_string());
}

#[tokio::test]
async fn a_rate_limited_upstream_is_not_asked_for_every_day() {
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), None));
    // Two days cached before the upstream starts refusing.
    let cached = [days_ago(80), days_ago(75)];
    for day in cached {
        assert_eq!(
            load_day(&app, day, 1000).await.len(),
            fake_upstream::records_for(day).len()
        );
    }
    let before = fake.count();
    // Longer than the server waits: every call fails at once with a 429.
    fake.fault(
        Fault::Status {
            status: 429,
            retry_after: Some(120),
        },
        None,
    );
    let range = DateRange::new(days_ago(89), days_ago(60)).unwrap();
    let (summary, _) = summary_as(&app, None, range).await;
    let asked = fake.count() - before;
    assert!(
        asked < range.len_days() as usize - cached.len(),
        "{asked} upstream calls for {} days",
        range.len_days()
    );
    // The cached days are still answered; every other day is listed as a 429.
    assert_eq!(summary.days_loaded(), cached.len());
    assert_eq!(
        summary.failed().len(),
        range.len_days() as usize - cached.len()
    );
    assert!(summary.failed().iter().all(|f| f.status == 429));
    // With nothing cached, the answer is the 429 itself, with its retry-after.
    let answer = get(&app, &summary_uri(days_ago(100), days_ago(95))).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answer.headers["retry-after"], "120");
}

#[tokio::test]
async fn me_lists_the_summary_capabilities() {
    let fake = FakeUpstream::start(1000).await;
    for (app, demo) in [
        (app(&settings(None, None)), true),
        (app(&settings(Some(&fake), None)), false),
    ] {
        let me = get(&app, "/api/v1/me").await;
        assert_eq!(me.status, StatusCode::OK);
        // The range summary, and its member filter (member_summary.rs).
        assert_eq!(
            me.json()["capabilities"],
            json!(["summary", "member_summary"])
        );
        assert_eq!(
            me.json()["capabilities"][1],
            cca::summary::MEMBER_CAPABILITY
        );
        // Only the demo's first day is known to the server.
        assert_eq!(me.json().get("data_since").is_some(), demo);
        // The app's own decoder still reads it.
        cca::model::decode::decode_me(&me.body).unwrap();
    }
}

#[tokio::test]
async fn a_summary_is_compressed_for_a_browser_that_accepts_it() {
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), None));
    let uri = summary_uri(days_ago(20), days_ago(3));
    let plain = get(&app, &uri).await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    assert!(plain.headers.get("content-encoding").is_none());
    let fetched = fake.count();
    for (accepts, encoding) in [("gzip, deflate, br, zstd", "br"), ("gzip", "gzip")] {
        let answer = send(
            &app,
            Method::GET,
            &uri,
            &[("accept-encoding", accepts)],
            None,
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.headers["content-encoding"], encoding);
        assert_eq!(answer.headers["content-type"], "application/json");
        let mut text = String::new();
        match encoding {
            "br" => brotli::Decompressor::new(answer.bytes.as_slice(), 4096)
                .read_to_string(&mut text)
                .unwrap(),
            _ => flate2::read::GzDecoder::new(answer.bytes.as_slice())
                .read_to_string(&mut text)
                .unwrap(),
        };
        assert_eq!(text, plain.body, "{encoding}");
        assert!(answer.bytes.len() * 2 < plain.bytes.len(), "{encoding}");
    }
    // Settled days came from the cache.
    assert_eq!(fake.count(), fetched);
}
