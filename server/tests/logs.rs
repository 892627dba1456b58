//! What the server writes to its log, captured by one process-wide
//! subscriber (a per-thread one misses lines when tests run in parallel:
//! tracing caches each call site's interest across threads). Tests here
//! share the log, so each looks only at its own day or file.

use crate::common;

use crate::common::fake_upstream::records_for;
use crate::common::*;
use axum::http::{Method, StatusCode};

#[tokio::test]
async fn the_key_goes_upstream_in_its_header_and_nowhere_else() {
    let logs = Logs::global();
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), None));
    let day = days_ago(10);
    let browser_headers = [
        ("cookie", "session=browser-session-cookie"),
        ("authorization", "Bearer browser-token"),
        ("x-api-key", "browser-chosen-key"),
        ("anthropic-version", "1999-01-01"),
        ("x-forwarded-email", "mallory@example.com"),
        ("x-custom", "browser-custom-header"),
    ];
    let answer = send(
        &app,
        Method::GET,
        &usage_uri(day, 1000, None),
        &browser_headers,
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        answer.json()["data"].as_array().unwrap().len(),
        records_for(day).len()
    );
    assert_eq!(answer.headers["cache-control"], "private, no-store");

    let received = fake.requests();
    assert_eq!(received.len(), 1);
    let upstream = &received[0];
    assert_eq!(upstream.method, "GET");
    assert_eq!(upstream.path, "/v1/organizations/usage_report/claude_code");
    assert_eq!(upstream.query, format!("starting_at={day}&limit=1000"));
    assert_eq!(upstream.headers["x-api-key"], KEY);
    assert_eq!(upstream.headers["anthropic-version"], "2023-06-01");
    for (name, _) in &browser_headers[..2] {
        assert!(
            !upstream.headers.contains_key(*name),
            "{name} went upstream"
        );
    }
    assert!(!upstream.headers.contains_key("x-forwarded-email"));
    assert!(!upstream.headers.contains_key("x-custom"));
    let all_upstream: String = format!("{:?}", upstream.headers);
    for (_, value) in &browser_headers {
        assert!(!all_upstream.contains(value), "{value} went upstream");
    }

    // Error answers, too: a 5xx upstream, then an upstream that refuses the key.
    let mut answers = vec![answer];
    fake.fault(
        Fault::Status {
            status: 500,
            retry_after: None,
        },
        None,
    );
    answers.push(get(&app, &usage_uri(days_ago(11), 1000, None)).await);
    fake.clear_faults();
    fake.fault(
        Fault::Status {
            status: 401,
            retry_after: None,
        },
        None,
    );
    answers.push(get(&app, &usage_uri(days_ago(12), 1000, None)).await);
    answers.push(get(&app, "/api/v1/me").await);
    answers.push(get(&app, "/api/v1/organizations/api_keys").await);
    answers.push(get(&app, "/healthz").await);
    answers.push(get(&app, "/claude-code/").await);
    assert_eq!(answers[1].status, StatusCode::BAD_GATEWAY);
    assert_eq!(
        answers[2].status,
        StatusCode::BAD_GATEWAY,
        "a refused key is not the viewer signing out"
    );
    assert!(
        answers[2].body.contains("refused the admin key"),
        "{}",
        answers[2].body
    );
    for answer in &answers {
        assert!(
            !answer.everything().contains(KEY),
            "the key in an answer: {answer:?}"
        );
        assert!(!answer.everything().contains("FAKE-SECRET"));
    }
    let logs = logs.text();
    assert!(logs.contains("status=502"), "{logs}");
    assert!(
        !logs.contains(KEY) && !logs.contains("FAKE-SECRET"),
        "the key in the log: {logs}"
    );
    assert!(!logs.contains("browser-session-cookie") && !logs.contains("browser-token"));
}

#[tokio::test]
async fn one_request_one_log_line_with_cache_and_upstream_time() {
    let logs = Logs::global();
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), None));
    let day = days_ago(30);
    let case = "one_request_one_log_line";
    in_test_span(case, async {
        assert_eq!(
            get(&app, &usage_uri(day, 1000, None)).await.status,
            StatusCode::OK
        );
        assert_eq!(
            get(&app, &usage_uri(day, 1000, None)).await.status,
            StatusCode::OK
        );
    })
    .await;
    let own = format!("day=\"{day}\"");
    let lines = logs.lines_of(case, &[" request ", &own]);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("method=GET"), "{}", lines[0]);
    assert!(lines[0].contains("path=\"/api/v1/organizations/usage_report/claude_code\""));
    assert!(
        lines[0].contains("status=200") && lines[0].contains("cache=miss"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("cache=hit") && lines[1].contains("upstream_ms=0"),
        "{}",
        lines[1]
    );
}

#[tokio::test]
async fn only_a_usage_request_logs_a_day() {
    let logs = Logs::global();
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), None));
    let case = "only_usage_logs_a_day";
    // The app's deep links (one whose path looks like the usage report's
    // under the router base) and a local 404 under the API, each with a
    // `starting_at` in its query: none of them reads a day.
    let query = "?starting_at=2026-01-02&limit=1000";
    let uris = [
        format!("/claude-code/api/v1/organizations/usage_report/claude_code{query}"),
        format!("/api/v1/organizations/api_keys{query}"),
        format!("/claude-code/activity{query}"),
    ];
    in_test_span(case, async {
        for uri in &uris {
            get(&app, uri).await;
        }
    })
    .await;
    let lines = logs.lines_of(case, &[]);
    assert_eq!(lines.len(), uris.len(), "{lines:?}");
    for line in &lines {
        assert!(
            line.contains(" request ") && line.contains("day=\"\""),
            "{line}"
        );
    }
    assert_eq!(fake.count(), 0);
}

#[tokio::test]
async fn a_garbage_cache_file_is_moved_aside_and_rebuilt_with_a_warning() {
    let logs = Logs::global();
    let dir = temp_dir("garbage");
    let cache = dir.join("server.sqlite3");
    std::fs::write(
        &cache,
        b"this is not a database, it is garbage. ".repeat(200),
    )
    .unwrap();
    std::fs::write(dir.join("server.sqlite3-wal"), b"stale wal").unwrap();
    let fake = FakeUpstream::start(1000).await;
    let app = app(&settings(Some(&fake), Some(cache.clone())));
    let warned = logs.text().lines().any(|line| {
        line.contains("WARN")
            && line.contains("moving it aside")
            && line.contains(&*cache.to_string_lossy())
    });
    assert!(warned, "{}", logs.text());
    let day = days_ago(15);
    assert_eq!(load_day(&app, day, 1000).await, records_for(day));
    drop(app);
    let moved: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".corrupt-"))
        .collect();
    assert!(
        moved
            .iter()
            .any(|name| name.starts_with("server.sqlite3.corrupt-") && !name.ends_with("-wal")),
        "the garbage kept aside: {moved:?}"
    );
    // The stale WAL is either kept aside with it or discarded by SQLite, never replayed.
    let wal = std::fs::read(dir.join("server.sqlite3-wal")).unwrap_or_default();
    assert!(!wal.starts_with(b"stale wal"));
    // The new file is a sound database that kept the day.
    let app = common::app(&settings(Some(&fake), Some(cache)));
    assert_eq!(load_day(&app, day, 1000).await, records_for(day));
    assert_eq!(fake.count(), 1);
}
