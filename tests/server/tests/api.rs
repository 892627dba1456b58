//! The mock console API over real sockets: pagination, roles, faults, log.

use std::io::{Read, Write};
use std::net::TcpStream;

use cca::model::decode::{decode_me, decode_usage_page};
use cca_test_server::{Fault, FaultRule, MeAnswer, ServerOptions, TestServer};
use chrono::NaiveDate;

fn get(server: &TestServer, path: &str) -> (u16, String) {
    get_with(server, path, "")
}

/// A GET with extra header lines (each ending in `\r\n`).
fn get_with(server: &TestServer, path: &str, headers: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(server.addr()).expect("connect");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n{headers}\r\n").expect("write");
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, body.to_owned())
}

fn options() -> ServerOptions {
    ServerOptions {
        today: NaiveDate::from_ymd_opt(2025, 10, 31).unwrap(),
        ..ServerOptions::default()
    }
}

#[test]
fn as_the_admin_api_it_checks_the_key_and_the_version_header_and_logs_header_names() {
    let server = TestServer::start(ServerOptions {
        admin_key: Some("sk-ant-admin01-test".to_owned()),
        ..options()
    })
    .unwrap();
    let path = "/api/v1/organizations/usage_report/claude_code?starting_at=2025-10-28&limit=5";
    let version = "anthropic-version: 2023-06-01\r\n";

    let (status, body) = get_with(&server, path, version);
    assert_eq!(status, 401, "no key: {body}");
    assert!(body.contains("authentication_error"), "{body}");
    let wrong = format!("x-api-key: sk-ant-admin01-other\r\n{version}");
    assert_eq!(get_with(&server, path, &wrong).0, 401);
    let (status, body) = get_with(&server, path, "X-Api-Key: sk-ant-admin01-test\r\n");
    assert_eq!(status, 400, "no version: {body}");
    assert!(body.contains("anthropic-version"), "{body}");
    let right = format!("X-Api-Key: sk-ant-admin01-test\r\n{version}Cookie: a=b\r\n");
    let (status, body) = get_with(&server, path, &right);
    assert_eq!(status, 200, "{body}");
    let day = NaiveDate::from_ymd_opt(2025, 10, 28).unwrap();
    assert_eq!(decode_usage_page(day, &body).unwrap().data.len(), 5);

    let log = server.usage_requests();
    assert_eq!(
        log.iter().map(|e| e.status).collect::<Vec<_>>(),
        [401, 401, 400, 200]
    );
    assert_eq!(
        log[3].header_names,
        ["host", "x-api-key", "anthropic-version", "cookie"]
    );
}

#[test]
fn usage_pages_follow_the_cursor_until_has_more_is_false() {
    let server = TestServer::start(options()).unwrap();
    let day = NaiveDate::from_ymd_opt(2025, 10, 28).unwrap();
    let expected = server.records_for_day(day);
    assert!(expected.len() > 10, "a weekday has many records");
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut path =
            format!("/api/v1/organizations/usage_report/claude_code?starting_at={day}&limit=7");
        if let Some(c) = &cursor {
            path.push_str(&format!("&page={c}"));
        }
        let (status, body) = get(&server, &path);
        assert_eq!(status, 200);
        let page = decode_usage_page(day, &body).unwrap();
        assert!(page.data.len() <= 7);
        pages += 1;
        seen.extend(page.data);
        match (page.has_more, page.next_page) {
            (true, Some(next)) => cursor = Some(next),
            _ => break,
        }
    }
    assert_eq!(seen, expected);
    assert_eq!(pages, expected.len().div_ceil(7));
    let log = server.usage_requests();
    assert_eq!(log.len(), pages);
    assert!(log.iter().all(|e| e.day == Some(day) && e.status == 200));
}

#[test]
fn bad_parameters_are_rejected() {
    let server = TestServer::start(options()).unwrap();
    let base = "/api/v1/organizations/usage_report/claude_code";
    assert_eq!(get(&server, base).0, 400);
    assert_eq!(
        get(&server, &format!("{base}?starting_at=2025-10-01&limit=0")).0,
        400
    );
    assert_eq!(
        get(
            &server,
            &format!("{base}?starting_at=2025-10-01&limit=1001")
        )
        .0,
        400
    );
    assert_eq!(
        get(
            &server,
            &format!("{base}?starting_at=2025-10-01&page=20251002.5")
        )
        .0,
        400
    );
    assert_eq!(get(&server, "/api/v1/nothing").0, 404);
}

#[test]
fn me_answers_the_chosen_role_or_status() {
    let server = TestServer::start(options()).unwrap();
    let (status, body) = get(&server, "/api/v1/me");
    assert_eq!(status, 200);
    assert_eq!(decode_me(&body).unwrap().role, "admin");
    server.set_me(MeAnswer::Role("billing".into()));
    assert_eq!(
        decode_me(&get(&server, "/api/v1/me").1).unwrap().role,
        "billing"
    );
    server.set_me(MeAnswer::Status(401));
    assert_eq!(get(&server, "/api/v1/me").0, 401);
    server.set_me(MeAnswer::Raw("<html>".into()));
    assert!(decode_me(&get(&server, "/api/v1/me").1).is_err());
}

#[test]
fn faults_apply_to_matching_requests() {
    let server = TestServer::start(options()).unwrap();
    let day = NaiveDate::from_ymd_opt(2025, 10, 28).unwrap();
    let path = format!("/api/v1/organizations/usage_report/claude_code?starting_at={day}");
    server.add_fault(
        FaultRule::usage(Fault::Status {
            status: 429,
            retry_after_secs: Some(1),
        })
        .times(1),
    );
    assert_eq!(get(&server, &path).0, 429);
    assert_eq!(get(&server, &path).0, 200);
    server.add_fault(FaultRule::usage(Fault::HtmlErrorPage).for_day(day));
    let (status, body) = get(&server, &path);
    assert_eq!(status, 502);
    assert!(body.contains("Bad Gateway"));
    server.clear_faults();
    server.add_fault(FaultRule::usage(Fault::Truncate));
    let (_, body) = get(&server, &path);
    assert!(decode_usage_page(day, &body).is_err());
}

#[test]
fn a_directory_is_served_under_its_prefix() {
    let dir = std::env::temp_dir().join(format!("cca-add-dir-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    std::fs::write(dir.join("index.html"), "<p>reference</p>").unwrap();
    std::fs::write(dir.join("app_bg.wasm"), b"\0asm").unwrap();
    let server = TestServer::start(options()).unwrap();
    server.add_dir("/bench/minimal/", &dir).unwrap();
    assert_eq!(
        get(&server, "/bench/minimal/"),
        (200, "<p>reference</p>".to_owned())
    );
    assert_eq!(get(&server, "/bench/minimal/index.html").0, 200);
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    write!(
        stream,
        "GET /bench/minimal/app_bg.wasm HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let head = String::from_utf8_lossy(&raw);
    assert!(head.contains("Content-Type: application/wasm"), "{head}");
    assert!(raw.ends_with(b"\0asm"));
    // Only the directory's own files: nothing below it, nothing outside it.
    assert_eq!(get(&server, "/bench/minimal/nested").0, 404);
    assert_eq!(get(&server, "/bench/minimal/missing.js").0, 404);
    std::fs::remove_dir_all(&dir).unwrap();
}
