//! One log line per request: method, path, status, cache outcome, upstream
//! time, total time. Never the query's values beyond the path (and a usage
//! request's day), never a header (the identity header and cookies stay
//! out), never the key. A member summary says which kind of member it was
//! about, never who: the email or key name stays out like the viewer's.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use chrono::NaiveDate;

use crate::source::CacheStatus;

/// What a handler tells the log about its answer (a response extension).
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestNote {
    pub cache: Option<CacheStatus>,
    pub upstream_ms: Option<u64>,
    /// A summary's days and where they came from.
    pub summary: Option<SummaryNote>,
}

/// How a summary's days were answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryNote {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: u32,
    /// From the cache (also after waiting for another request's fetch).
    pub hits: u32,
    /// Fetched upstream for this request.
    pub fetched: u32,
    /// Generated (demo) or known empty: no cache involved.
    pub generated: u32,
    /// Not loaded (listed in the answer's `failed`).
    pub failed: u32,
    /// Time the fetched days spent upstream, added up (they overlap).
    pub upstream_ms: u64,
    /// A member summary's kind of actor (`user_actor`, `api_actor`);
    /// `None` for the whole organization's. Never the identity.
    pub member: Option<&'static str>,
}

/// `usage_path` is the usage report's full path on this server: only a
/// request for it has a day (the app's pages and other paths log `day=""`
/// whatever their query says).
pub async fn log_request(
    State(usage_path): State<Arc<str>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    // Debug formatting quotes and escapes the path: a request cannot forge log lines.
    let path: String = request.uri().path().chars().take(300).collect();
    let day = request
        .uri()
        .query()
        .filter(|_| request.uri().path() == &*usage_path)
        .and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(name, _)| name == "starting_at")
                .map(|(_, value)| value.chars().take(32).collect::<String>())
        })
        .unwrap_or_default();
    let response = next.run(request).await;
    let note = response
        .extensions()
        .get::<RequestNote>()
        .copied()
        .unwrap_or_default();
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if let Some(summary) = note.summary {
        tracing::info!(
            method = %method,
            path = ?path,
            from = %summary.from,
            to = %summary.to,
            member = %summary.member.unwrap_or("-"),
            status = response.status().as_u16(),
            days = summary.days,
            hits = summary.hits,
            fetched = summary.fetched,
            generated = summary.generated,
            failed = summary.failed,
            upstream_ms = summary.upstream_ms,
            ms,
            "summary"
        );
        return response;
    }
    tracing::info!(
        method = %method,
        path = ?path,
        day = ?day,
        status = response.status().as_u16(),
        cache = %note.cache.map_or("-", CacheStatus::as_str),
        upstream_ms = note.upstream_ms.unwrap_or(0),
        ms,
        "request"
    );
    response
}
