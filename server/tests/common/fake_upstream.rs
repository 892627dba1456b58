//! A fake Claude Code Analytics Admin API on 127.0.0.1: checks `x-api-key`
//! and `anthropic-version` like the real one, serves one day per call from
//! the demo organization in pages of at most `page_size` records with its
//! own cursors, injects faults, and logs every request it receives, so a
//! test can prove that nothing else reached it.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use cca::demo::{DemoConfig, DemoOrg};
use chrono::NaiveDate;
use serde_json::{json, Value};

pub const KEY: &str = "sk-ant-admin01-FAKE-SECRET-7f3a9c2e51b84d06";
pub const USAGE: &str = "/v1/organizations/usage_report/claude_code";

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub status: u16,
}

impl Received {
    pub fn day(&self) -> Option<String> {
        form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == "starting_at")
            .map(|(_, v)| v.into_owned())
    }
}

#[derive(Debug, Clone)]
pub enum Fault {
    Status {
        status: u16,
        retry_after: Option<u64>,
    },
    /// Answer normally, after this long.
    Latency(Duration),
}

struct Inner {
    org: DemoOrg,
    page_size: usize,
    log: Mutex<Vec<Received>>,
    /// Applied to usage requests, one per request, front first; `None` = forever.
    faults: Mutex<VecDeque<(Fault, Option<usize>)>>,
}

pub struct FakeUpstream {
    addr: SocketAddr,
    inner: Arc<Inner>,
    task: tokio::task::JoinHandle<()>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FakeUpstream {
    pub async fn start(page_size: usize) -> FakeUpstream {
        FakeUpstream::start_with(page_size, demo_org()).await
    }

    /// The fake serving `org` (a larger demo organization, for one).
    pub async fn start_with(page_size: usize, org: DemoOrg) -> FakeUpstream {
        let inner = Arc::new(Inner {
            org,
            page_size,
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(VecDeque::new()),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new()
            .fallback(answer)
            .with_state(Arc::clone(&inner));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeUpstream { addr, inner, task }
    }

    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Received> {
        lock(&self.inner.log).clone()
    }

    pub fn count(&self) -> usize {
        lock(&self.inner.log).len()
    }

    /// The next `times` usage requests (or all, with `None`) meet `fault`.
    pub fn fault(&self, fault: Fault, times: Option<usize>) {
        lock(&self.inner.faults).push_back((fault, times));
    }

    pub fn clear_faults(&self) {
        lock(&self.inner.faults).clear();
    }

    /// Upstream calls a day takes at this page size.
    pub fn pages_of(&self, day: NaiveDate) -> usize {
        self.inner
            .org
            .records_for_day(day)
            .len()
            .div_ceil(self.inner.page_size)
            .max(1)
    }
}

impl Drop for FakeUpstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The organization both the fake and the tests' expectations use.
pub fn demo_org() -> DemoOrg {
    DemoOrg::new(DemoConfig {
        today: chrono::Utc::now().date_naive(),
        ..DemoConfig::default()
    })
}

pub fn records_for(day: NaiveDate) -> Vec<Value> {
    demo_org()
        .records_for_day(day)
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect()
}

fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        json!({"type": "error", "error": {"type": kind, "message": message}}).to_string(),
    )
        .into_response()
}

async fn answer(State(inner): State<Arc<Inner>>, request: Request) -> Response {
    // Only the head: a body is not Sync, and the fake reads none.
    let (request, _body) = request.into_parts();
    let response = route(&inner, &request).await;
    lock(&inner.log).push(Received {
        method: request.method.to_string(),
        path: request.uri.path().to_owned(),
        query: request.uri.query().unwrap_or_default().to_owned(),
        headers: request.headers.clone(),
        status: response.status().as_u16(),
    });
    response
}

async fn route(inner: &Inner, request: &Parts) -> Response {
    let headers = &request.headers;
    if headers.get("x-api-key").and_then(|v| v.to_str().ok()) != Some(KEY) {
        return error(
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "invalid x-api-key",
        );
    }
    if headers
        .get("anthropic-version")
        .and_then(|v| v.to_str().ok())
        != Some("2023-06-01")
    {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "anthropic-version header is required",
        );
    }
    if request.uri.path() != USAGE {
        return error(StatusCode::NOT_FOUND, "not_found_error", "not found");
    }
    if request.method != "GET" {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request_error",
            "method",
        );
    }
    let fault = {
        let mut faults = lock(&inner.faults);
        let fault = faults.front_mut().map(|(fault, times)| {
            if let Some(n) = times {
                *n -= 1;
            }
            fault.clone()
        });
        if faults.front().is_some_and(|(_, times)| *times == Some(0)) {
            faults.pop_front();
        }
        fault
    };
    match fault {
        Some(Fault::Status {
            status,
            retry_after,
        }) => {
            let mut response = error(
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                "injected",
                "injected fault",
            );
            if let Some(secs) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, secs.to_string().parse().unwrap());
            }
            return response;
        }
        Some(Fault::Latency(delay)) => tokio::time::sleep(delay).await,
        None => {}
    }
    let query = request.uri.query().unwrap_or_default();
    let param = |name: &str| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let Some(day) =
        param("starting_at").and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "starting_at",
        );
    };
    let limit: usize = param("limit").and_then(|l| l.parse().ok()).unwrap_or(20);
    let offset: usize = match param("page") {
        None => 0,
        Some(cursor) => match cursor.strip_prefix("up-").and_then(|o| o.parse().ok()) {
            Some(offset) => offset,
            None => return error(StatusCode::BAD_REQUEST, "invalid_request_error", "page"),
        },
    };
    let records = inner.org.records_for_day(day);
    let end = offset
        .saturating_add(limit.min(inner.page_size))
        .min(records.len());
    let page = records.get(offset..end).unwrap_or_default();
    let has_more = end < records.len();
    let body = json!({
        "data": page,
        "has_more": has_more,
        "next_page": if has_more { Value::from(format!("up-{end}")) } else { Value::Null },
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
