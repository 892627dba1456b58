//! `…/claude_code/summary?starting_at=…&ending_at=…&email_address=…` (or
//! `&api_key_name=…`): one member's summary, for the member page. It equals
//! `Summary::from_records` over that member's records only (a user and an API
//! key, across a month end, in demo mode too; nobody's records: zero usage),
//! withholds spend from a viewer kept off it, refuses bad filters and roles
//! without access before anything is read, reads its days from the cache like
//! the organization's summary, and neither uses nor fills the organization's
//! kept per-day parts. The log says a member summary was served, not whose.
//! Last, a measurement at 10,000 members (ignored by default).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::fake_upstream::records_for;
use crate::common::*;
use axum::http::{Method, StatusCode};
use axum::Router;
use cca::auth::role::Role;
use cca::demo::{DemoConfig, DemoOrg};
use cca::model::dates::DateRange;
use cca::model::decode::decode_usage_page;
use cca::model::member::MemberRef;
use cca::model::record::UsageRecord;
use cca::summary::Summary;
use cca_server::app_config::AppConfig;
use cca_server::auth::Auth;
use cca_server::roles::RolesFile;
use cca_server::{router, AppState};
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

const SUMMARY: &str = "/api/v1/organizations/usage_report/claude_code/summary";

type Days = HashMap<NaiveDate, Vec<UsageRecord>>;

fn range_query(range: DateRange) -> String {
    format!("starting_at={}&ending_at={}", range.start(), range.end())
}

/// The summary of `range`, narrowed to `member` if given (URL-encoded).
fn summary_uri(range: DateRange, member: Option<&MemberRef>) -> String {
    let mut uri = format!("{SUMMARY}?{}", range_query(range));
    if let Some(member) = member {
        let (name, value) = match member {
            MemberRef::User(email) => ("email_address", email),
            MemberRef::ApiKey(key) => ("api_key_name", key),
        };
        let value: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
        uri.push_str(&format!("&{name}={value}"));
    }
    uri
}

/// Ten days across the end of last month: always in the past, and final.
fn across_a_month_end() -> DateRange {
    let this_month = days_ago(0).with_day(1).unwrap();
    let last_month = (this_month - chrono::Duration::days(1))
        .with_day(1)
        .unwrap();
    DateRange::new(
        last_month - chrono::Duration::days(4),
        last_month + chrono::Duration::days(5),
    )
    .unwrap()
}

/// Every record of `range` as the app decodes the fake's JSON.
fn org_days(range: DateRange) -> Days {
    range
        .days()
        .map(|day| {
            let page = json!({"data": records_for(day), "has_more": false}).to_string();
            (day, decode_usage_page(day, &page).unwrap().data)
        })
        .collect()
}

/// `member`'s records only (everyone's with `None`), without their costs
/// for a viewer kept off spend.
fn only(days: &Days, member: Option<&MemberRef>, with_cost: bool) -> Days {
    days.iter()
        .map(|(day, records)| {
            let kept = records
                .iter()
                .filter(|r| member.is_none_or(|m| m.matches(&r.actor)))
                .cloned()
                .map(|mut record| {
                    if !with_cost {
                        for model in &mut record.model_breakdown {
                            model.estimated_cost = None;
                        }
                    }
                    record
                })
                .collect();
            (*day, kept)
        })
        .collect()
}

/// What the summary must be: the app's aggregation over exactly these days.
fn expected(range: DateRange, days: &Days) -> Summary {
    Summary::from_records(range, |day| days.get(&day).map(Vec::as_slice))
}

/// The user and the API key with the most records in `days` (so their
/// summaries have something in them).
fn busiest(days: &Days) -> (MemberRef, MemberRef) {
    let mut counts: HashMap<MemberRef, usize> = HashMap::new();
    for record in days.values().flatten() {
        if let Some(member) = MemberRef::of(&record.actor) {
            *counts.entry(member).or_default() += 1;
        }
    }
    let pick = |user: bool| {
        counts
            .iter()
            .filter(|(m, _)| matches!(m, MemberRef::User(_)) == user)
            .max_by_key(|(m, n)| (**n, m.identity().to_owned()))
            .map(|(m, _)| m.clone())
            .unwrap()
    };
    (pick(true), pick(false))
}

async fn as_viewer(app: &Router, viewer: Option<&str>, uri: &str) -> Answer {
    match viewer {
        None => get(app, uri).await,
        Some(email) => get_as(app, email, uri).await,
    }
}

/// A summary's answer (200), decoded and checked.
async fn summary_of(
    app: &Router,
    viewer: Option<&str>,
    range: DateRange,
    member: Option<&MemberRef>,
) -> (Summary, Answer) {
    let answer = as_viewer(app, viewer, &summary_uri(range, member)).await;
    assert_eq!(answer.status, StatusCode::OK, "{member:?}: {}", answer.body);
    assert_eq!(answer.headers["content-type"], "application/json");
    assert_eq!(answer.headers["cache-control"], "private, no-store");
    let summary = Summary::decode(&answer.body).unwrap();
    assert_eq!(summary.range(), range);
    (summary, answer)
}

#[tokio::test]
async fn a_members_summary_is_the_summary_of_their_records_only() {
    let fake = FakeUpstream::start(7).await;
    let app = app(&settings(Some(&fake), None));
    let range = across_a_month_end();
    let days = org_days(range);
    let (user, key) = busiest(&days);
    let whole = expected(range, &days);
    for (member, other) in [(&user, &key), (&key, &user)] {
        let (summary, answer) = summary_of(&app, None, range, Some(member)).await;
        assert_eq!(
            summary,
            expected(range, &only(&days, Some(member), true)),
            "{member:?}"
        );
        assert!(summary.failed().is_empty());
        assert_eq!(summary.days_loaded(), range.len_days() as usize);
        // One actor, that member, with usage; the rest of the organization absent.
        let actors = summary.actor_totals();
        assert_eq!(actors.len(), 1, "{member:?}");
        assert!(member.matches(&actors[0].actor));
        let totals = summary.aggregates().totals;
        assert!(
            totals.sessions > 0 && totals.active_users == 1,
            "{totals:?}"
        );
        assert!(totals.sessions < whole.aggregates().totals.sessions);
        assert!(
            !answer.body.contains(other.identity()),
            "{}",
            other.identity()
        );
        assert_eq!(answer.json()["actors"].as_array().unwrap().len(), 1);
    }
    // Each day was fetched once, every page; the second member read the cache.
    let calls: usize = range.days().map(|d| fake.pages_of(d)).sum();
    assert_eq!(fake.count(), calls);
    for received in fake.requests() {
        assert_eq!(received.path, fake_upstream::USAGE);
        assert!(
            received.query.starts_with("starting_at=")
                && !received.query.contains("email_address")
                && !received.query.contains("api_key_name"),
            "{}",
            received.query
        );
    }
}

#[tokio::test]
async fn a_member_without_records_has_zero_usage_not_an_error() {
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), None));
    let range = DateRange::new(days_ago(25), days_ago(21)).unwrap();
    let nobody: Days = range.days().map(|day| (day, Vec::new())).collect();
    for member in [
        MemberRef::User("nobody@example.com".into()),
        MemberRef::ApiKey("no-such-key".into()),
        // A user's email asked for as a key's name is no key.
        MemberRef::ApiKey(busiest(&org_days(range)).0.identity().to_owned()),
    ] {
        let (summary, answer) = summary_of(&app, None, range, Some(&member)).await;
        assert_eq!(summary, expected(range, &nobody), "{member:?}");
        assert_eq!(summary.actor_count(), 0);
        assert_eq!(summary.days_loaded(), range.len_days() as usize);
        let totals = summary.aggregates().totals;
        assert_eq!(
            (
                totals.lines_added,
                totals.sessions,
                totals.active_users,
                totals.tokens
            ),
            (0, 0, 0, 0)
        );
        // Nothing spent is $0, known: not withheld.
        assert_eq!(answer.json()["totals"]["spend"], json!({}));
    }
}

#[tokio::test]
async fn the_demo_organization_answers_a_member_summary_too() {
    let app = app(&settings(None, None));
    let range = DateRange::new(days_ago(20), days_ago(0)).unwrap();
    let days = org_days(range);
    let (user, key) = busiest(&days);
    for member in [&user, &key] {
        let (summary, _) = summary_of(&app, None, range, Some(member)).await;
        assert_eq!(summary, expected(range, &only(&days, Some(member), true)));
    }
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
async fn a_viewer_kept_off_spend_gets_no_cost_in_a_members_summary() {
    let fake = FakeUpstream::start(1000).await;
    let app = proxy_app(&fake, r#"{"page_roles":{"spend":["owner"]}}"#);
    let range = DateRange::new(days_ago(40), days_ago(30)).unwrap();
    let days = org_days(range);
    let (user, key) = busiest(&days);
    for member in [&user, &key] {
        let (dev, answer) = summary_of(&app, Some("dev@eng.example"), range, Some(member)).await;
        assert_eq!(dev, expected(range, &only(&days, Some(member), false)));
        let json = answer.json();
        assert_eq!(json["totals"]["spend"], Value::Null);
        assert_eq!(json["actors"][0][2], Value::Null);
        for row in json["models"].as_array().unwrap() {
            assert_eq!(row[5], Value::Null, "{row}");
        }
        assert!(json["days"]
            .as_array()
            .unwrap()
            .iter()
            .all(|day| day[9].is_null() || day[9] == json!({})));
        assert!(!answer.body.contains("USD"), "{}", answer.body);
        assert!(dev.aggregates().totals.spend.is_withheld());
        assert!(dev.actor_totals()[0].spend.is_withheld());

        // The owner gets the member's cost, from the same cached days.
        let calls = fake.count();
        let (owner, answer) =
            summary_of(&app, Some("boss@corp.example"), range, Some(member)).await;
        assert_eq!(fake.count(), calls);
        assert_eq!(owner, expected(range, &only(&days, Some(member), true)));
        let usd = owner.aggregates().totals.spend.usd_minor();
        assert!(
            usd.is_some_and(|usd| usd > 0),
            "{member:?}: {}",
            answer.body
        );
        assert_eq!(owner.actor_totals()[0].spend.usd_minor(), usd);

        // And the developer again: still without it.
        let (again, answer) = summary_of(&app, Some("dev@eng.example"), range, Some(member)).await;
        assert_eq!(again, dev);
        assert!(!answer.body.contains("USD"));
    }
}

#[tokio::test]
async fn bad_member_filters_get_400_and_cost_nothing() {
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), None));
    let range = range_query(DateRange::new(days_ago(9), days_ago(3)).unwrap());
    let long_email = format!("{}%40example.com", "a".repeat(320));
    let long_key = "k".repeat(321);
    for (extra, says) in [
        ("email_address=".to_owned(), "email_address is empty"),
        ("api_key_name=".to_owned(), "api_key_name is empty"),
        (
            "email_address=a%40example.com&api_key_name=ci-bot".to_owned(),
            "give email_address or api_key_name, not both",
        ),
        (
            "api_key_name=ci-bot&email_address=".to_owned(),
            "email_address is empty",
        ),
        (
            "email_address=a%40example.com&email_address=a%40example.com".to_owned(),
            "parameter “email_address” given twice",
        ),
        (
            "api_key_name=ci-bot&api_key_name=docs-generator".to_owned(),
            "parameter “api_key_name” given twice",
        ),
        (
            "email_address=a%0D%0Ab%40example.com".to_owned(),
            "email_address holds a control character",
        ),
        (
            "api_key_name=ci%09bot".to_owned(),
            "api_key_name holds a control character",
        ),
        (
            format!("email_address={long_email}"),
            "email_address is longer than 320 characters",
        ),
        (
            format!("api_key_name={long_key}"),
            "api_key_name is longer than 320 characters",
        ),
        (
            "api_key_name=%FF%FE".to_owned(),
            "api_key_name is not valid UTF-8",
        ),
        (
            "member=a%40example.com".to_owned(),
            "unknown parameter “member”",
        ),
        (
            "user=a%40example.com".to_owned(),
            "unknown parameter “user”",
        ),
    ] {
        let uri = format!("{SUMMARY}?{range}&{extra}");
        let answer = get(&app, &uri).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{extra}: {}",
            answer.body
        );
        let error = answer.json();
        assert_eq!(error["error"]["type"], "invalid_request_error");
        let message = error["error"]["message"].as_str().unwrap();
        assert_eq!(message, says, "{extra}");
        assert!(!answer.body.contains("example.com") && !answer.body.contains("ci-bot"));
    }
    // A member with a bad range is refused for the range.
    let answer = get(&app, &format!("{SUMMARY}?email_address=a%40example.com")).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["error"]["message"], "starting_at is required");
    assert_eq!(fake.count(), 0, "{:?}", fake.requests());
    // 320 characters is the most.
    let longest = format!("{}%40example.com", "a".repeat(308));
    let answer = get(&app, &format!("{SUMMARY}?{range}&email_address={longest}")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

#[tokio::test]
async fn roles_without_access_get_401_or_403_and_cost_nothing() {
    let fake = FakeUpstream::start(1000).await;
    let range = DateRange::new(days_ago(12), days_ago(5)).unwrap();
    let member = MemberRef::User("boss@corp.example".into());
    let uri = summary_uri(range, Some(&member));
    let both = format!("{uri}&api_key_name=ci-bot");
    for role in [Role::User, Role::ClaudeCodeUser, Role::MembershipAdmin] {
        let mut settings = settings(Some(&fake), None);
        settings.auth = Auth::Local { role: role.clone() };
        let app = app(&settings);
        for uri in [&uri, &both] {
            let answer = get(&app, uri).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{role:?} {uri}");
            assert_eq!(answer.json()["error"]["type"], "permission_error");
        }
    }
    let app = proxy_app(&fake, "{}");
    for viewer in ["intern@eng.example", "stranger@else.example"] {
        // Their own summary is no exception.
        let own = summary_uri(range, Some(&MemberRef::User(viewer.into())));
        for uri in [&uri, &own] {
            let answer = as_viewer(&app, Some(viewer), uri).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{viewer}");
        }
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
async fn member_summaries_read_the_cache_and_leave_the_organizations_parts_alone() {
    let fake = FakeUpstream::start(1000).await;
    let state = Arc::new(AppState::new(&settings(Some(&fake), None)).unwrap());
    let app = router(Arc::clone(&state));

    // A member first, on final days: each day fetched once, no part kept.
    let range = DateRange::new(days_ago(60), days_ago(51)).unwrap();
    let days = org_days(range);
    let (user, key) = busiest(&days);
    let calls: usize = range.days().map(|d| fake.pages_of(d)).sum();
    let (first, _) = summary_of(&app, None, range, Some(&user)).await;
    assert_eq!(first, expected(range, &only(&days, Some(&user), true)));
    assert_eq!(fake.count(), calls);
    assert!(state.day_parts.is_empty());
    // Again, and another member: the cache alone, zero upstream requests.
    let (again, _) = summary_of(&app, None, range, Some(&user)).await;
    assert_eq!(again, first);
    let (by_key, _) = summary_of(&app, None, range, Some(&key)).await;
    assert_eq!(by_key, expected(range, &only(&days, Some(&key), true)));
    assert_eq!(fake.count(), calls);
    assert!(state.day_parts.is_empty());
    // The organization after them: the whole organization; its parts kept now.
    let whole = expected(range, &days);
    let (org, _) = summary_of(&app, None, range, None).await;
    assert_eq!(org, whole);
    assert!(org.actor_count() > 2);
    assert_eq!(state.day_parts.len(), range.len_days() as usize);
    // The member once the parts are there: still the member alone.
    let (after, _) = summary_of(&app, None, range, Some(&user)).await;
    assert_eq!(after, first);
    assert_eq!(state.day_parts.len(), range.len_days() as usize);
    let (org_again, _) = summary_of(&app, None, range, None).await;
    assert_eq!(org_again, whole);
    assert_eq!(fake.count(), calls);

    // The other way round: the organization first, then a member, then the
    // organization again from its parts.
    let range = DateRange::new(days_ago(75), days_ago(66)).unwrap();
    let days = org_days(range);
    let (user, _) = busiest(&days);
    let before = fake.count();
    let (org, _) = summary_of(&app, None, range, None).await;
    assert_eq!(org, expected(range, &days));
    let parts = state.day_parts.len();
    let (member, _) = summary_of(&app, None, range, Some(&user)).await;
    assert_eq!(member, expected(range, &only(&days, Some(&user), true)));
    assert_eq!(state.day_parts.len(), parts);
    let (org_again, _) = summary_of(&app, None, range, None).await;
    assert_eq!(org_again, org);
    let calls: usize = range.days().map(|d| fake.pages_of(d)).sum();
    assert_eq!(fake.count(), before + calls);
}

#[tokio::test]
async fn failed_days_are_listed_and_no_day_loading_is_the_error() {
    let fake = FakeUpstream::start(1000).await;
    let mut settings = settings(Some(&fake), None);
    settings.recent_ttl = Duration::ZERO;
    let app = app(&settings);
    let range = DateRange::new(days_ago(110), days_ago(101)).unwrap();
    let days = org_days(range);
    let (user, _) = busiest(&days);
    fake.fault(
        Fault::Status {
            status: 404,
            retry_after: None,
        },
        Some(1),
    );
    let (summary, answer) = summary_of(&app, None, range, Some(&user)).await;
    let [failed] = summary.failed() else {
        panic!("one failed day: {}", answer.body)
    };
    assert_eq!(failed.status, 502);
    let own = only(&days, Some(&user), true);
    let without = Summary::from_records(range, |day| {
        (day != failed.day)
            .then(|| own.get(&day).map(Vec::as_slice))
            .flatten()
    })
    .with_failed([failed.clone()]);
    assert_eq!(summary, without);
    // Retry: the failed day is fetched, now complete.
    let (retried, _) = summary_of(&app, None, range, Some(&user)).await;
    assert_eq!(retried, expected(range, &own));

    let day = days_ago(120);
    fake.fault(
        Fault::Status {
            status: 404,
            retry_after: None,
        },
        Some(1),
    );
    let answer = get(&app, &summary_uri(DateRange::day(day), Some(&user))).await;
    assert_eq!(answer.status, StatusCode::BAD_GATEWAY, "{}", answer.body);
    assert_eq!(answer.json()["error"]["day"], day.to_string());
}

#[tokio::test]
async fn the_log_says_a_member_summary_was_served_not_whose() {
    let logs = Logs::global();
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), None));
    let range = DateRange::new(days_ago(140), days_ago(137)).unwrap();
    let (user, key) = busiest(&org_days(range));
    let case = "member_summary_log";
    in_test_span(case, async {
        summary_of(&app, None, range, Some(&user)).await;
        summary_of(&app, None, range, Some(&key)).await;
        summary_of(&app, None, range, None).await;
    })
    .await;
    let own = format!("from={} to={}", range.start(), range.end());
    let lines = logs.lines_of(case, &[" summary ", &own]);
    assert_eq!(lines.len(), 3, "{lines:?}");
    for (line, member) in lines.iter().zip(["user_actor", "api_actor", "-"]) {
        assert!(line.contains(&format!("member={member} ")), "{line}");
        assert!(line.contains("status=200"), "{line}");
    }
    assert!(lines[0].contains(&format!("fetched={}", range.len_days())));
    assert!(lines[1].contains(&format!("hits={}", range.len_days())));
    let text = logs.text();
    for identity in [user.identity(), key.identity()] {
        assert!(!text.contains(identity), "{identity} in the log");
        let encoded: String = form_urlencoded::byte_serialize(identity.as_bytes()).collect();
        assert!(!text.contains(&encoded), "{encoded} in the log");
    }
}

/// Milliseconds: median, min, max.
fn spread(mut ms: Vec<f64>) -> (f64, f64, f64) {
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], ms[0], ms[ms.len() - 1])
}

fn bench_line(name: &str, ms: Vec<f64>, note: &str) {
    let runs = ms.len();
    let (median, min, max) = spread(ms);
    println!(
        "BENCH {name} runs={runs} median={median:.2} min={min:.2} max={max:.2} unit=ms {note}"
    );
}

async fn timed(app: &Router, uri: &str) -> (f64, Answer) {
    let started = Instant::now();
    let answer = get(app, uri).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    (ms, answer)
}

/// A measurement, not a test (docs/benchmarks.md): a member summary of 90
/// cached, final days of a 10,000-member demo organization, through the
/// router (no socket), against the organization's summary of the same days.
/// Run it alone with the server's optimized profile:
///
/// `cargo test --profile server -p cca-server --test server member_summary:: -- --ignored --nocapture`
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement at 10,000 members; run with --profile server"]
async fn scale_member_summary_of_90_cached_days_at_10000_members() {
    const RUNS: usize = 5;
    let org = DemoOrg::new(DemoConfig {
        members: 10_000,
        today: days_ago(0),
        ..DemoConfig::default()
    });
    let range = DateRange::new(days_ago(93), days_ago(4)).unwrap();
    // A user and an API key active on the range's last day.
    let last = org.records_for_day(range.end());
    let member_of = |user: bool| {
        last.iter()
            .filter_map(|r| MemberRef::of(&r.actor))
            .find(|m| matches!(m, MemberRef::User(_)) == user)
            .unwrap()
    };
    let (user, key) = (member_of(true), member_of(false));
    let records: usize = range.days().map(|d| org.records_for_day(d).len()).sum();
    let fake = FakeUpstream::start_with(1000, org).await;
    // The cache file (about 300 MB) goes, whatever happens.
    struct Removed(std::path::PathBuf);
    impl Drop for Removed {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let dir = Removed(temp_dir("member-scale"));
    let settings = settings(Some(&fake), Some(dir.0.join("cache.sqlite")));

    // Cold: the organization's summary fills the cache file.
    let app = router(Arc::new(AppState::new(&settings).unwrap()));
    let (cold_ms, _) = timed(&app, &summary_uri(range, None)).await;
    let calls = fake.count();
    println!(
        "filled the cache: {} days, {records} records, {calls} upstream calls, {cold_ms:.0} ms",
        range.len_days()
    );

    // Where a cached day's time goes, one thread, the 90 days in a row: the
    // rows' text from SQLite, then that text parsed into JSON values (what
    // the organization's summary and the usage path read), scanned as raw
    // records, or scanned and each record asked whether it is the user's.
    {
        let conn = rusqlite::Connection::open(dir.0.join("cache.sqlite")).unwrap();
        let started = Instant::now();
        let texts: Vec<String> = range
            .days()
            .map(|day| {
                conn.query_row(
                    "SELECT records FROM days WHERE day = ?1",
                    [day.to_string()],
                    |row| row.get(0),
                )
                .unwrap()
            })
            .collect();
        let read_ms = started.elapsed().as_secs_f64() * 1000.0;
        let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
        let step = |what: &dyn Fn(&str) -> usize| {
            let started = Instant::now();
            let n: usize = texts.iter().map(|text| what(text)).sum();
            (started.elapsed().as_secs_f64() * 1000.0, n)
        };
        let (values_ms, n) = step(&|text| serde_json::from_str::<Vec<Value>>(text).unwrap().len());
        assert_eq!(n, records);
        let (raw_ms, _) = step(&|text| {
            serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text)
                .unwrap()
                .len()
        });
        let filter = cca_server::member::MemberFilter::new(user.clone());
        let (picked_ms, own) = step(&|text| {
            serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text)
                .unwrap()
                .into_iter()
                .filter(|record| filter.keeps_json(record.get()))
                .count()
        });
        println!(
            "a cached day's cost, 90 days, one thread: {mb:.0} MB of text read from SQLite {read_ms:.0} ms; \
             parsed into JSON values {values_ms:.0} ms; scanned as raw records {raw_ms:.0} ms; \
             scanned and each record asked if it is the user's {picked_ms:.0} ms ({own} records kept)"
        );
    }

    // A restarted server: every day in the cache file, nothing in memory.
    let state = Arc::new(AppState::new(&settings).unwrap());
    let app = router(Arc::clone(&state));
    let note = format!(
        "member summary, 90 cached final days, 10,000-member demo organization ({records} records), in process, 2 worker threads"
    );
    for (name, member) in [("user", &user), ("api_key", &key)] {
        let uri = summary_uri(range, Some(member));
        let mut ms = Vec::new();
        let mut bytes = 0;
        for _ in 0..RUNS {
            let (run, answer) = timed(&app, &uri).await;
            ms.push(run);
            bytes = answer.body.len();
        }
        bench_line(
            &format!("member_summary_10k_90d_cached_{name}"),
            ms,
            &format!("{note}; {bytes} bytes of JSON"),
        );
    }
    assert_eq!(fake.count(), calls, "cached days cost no upstream call");
    assert!(state.day_parts.is_empty());

    // The organization's summary for comparison: from the cache file (a new
    // server each run), then from the kept parts.
    let mut from_file = Vec::new();
    for _ in 0..3 {
        let fresh = router(Arc::new(AppState::new(&settings).unwrap()));
        from_file.push(timed(&fresh, &summary_uri(range, None)).await.0);
    }
    bench_line(
        "org_summary_10k_90d_cache_file",
        from_file,
        "the organization's summary of the same days, first after a restart (every record decoded)",
    );
    timed(&app, &summary_uri(range, None)).await;
    assert_eq!(state.day_parts.len(), range.len_days() as usize);
    let mut from_parts = Vec::new();
    for _ in 0..RUNS {
        from_parts.push(timed(&app, &summary_uri(range, None)).await.0);
    }
    bench_line(
        "org_summary_10k_90d_parts",
        from_parts,
        "the organization's summary of the same days from the kept per-day parts",
    );
    assert_eq!(fake.count(), calls);
}
