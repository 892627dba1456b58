//! The two API endpoints the app calls, under its `api_base`:
//! `GET /v1/me` and `GET /v1/organizations/usage_report/claude_code`.
//! Everything else under `api_base` is a local 404 (or 405).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::auth::{may_read_usage, Viewer};
use crate::error::Error;
use crate::log::RequestNote;
use crate::params;
use crate::AppState;

/// The viewer of a request, from its headers and its connection's peer.
fn viewer(state: &AppState, request: &Request) -> Result<Viewer, Error> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    state.auth.viewer(request.headers(), peer)
}

pub async fn me(State(state): State<Arc<AppState>>, request: Request) -> Result<Response, Error> {
    let viewer = viewer(&state, &request)?;
    let mut body = json!({"email": viewer.email, "role": viewer.role.wire_name()});
    if let Some((id, name)) = state.organization() {
        body["organization"] = json!({"id": id, "name": name});
    }
    Ok(private(Json(body).into_response()))
}

pub async fn usage(
    State(state): State<Arc<AppState>>,
    request: Request,
) -> Result<Response, Error> {
    // Who first, then what: a viewer without access learns nothing about the
    // query's validity and costs no upstream call.
    let viewer = viewer(&state, &request)?;
    may_read_usage(&viewer, &state.policy)?;
    let query = params::parse(request.uri().query())?;
    let offset = match query.page.as_deref() {
        None => 0,
        Some(cursor) => parse_cursor(cursor, query.day)
            .ok_or_else(|| Error::BadRequest("invalid page cursor".to_owned()))?,
    };
    let day = state.source.day(query.day, query.page.is_some()).await?;
    let records: &[Value] = &day.records;
    let end = offset.saturating_add(query.limit).min(records.len());
    let page = records.get(offset..end).unwrap_or_default();
    let has_more = end < records.len();
    let body = json!({
        "data": page,
        "has_more": has_more,
        "next_page": has_more.then(|| cursor(query.day, end)),
    });
    let mut response = private(Json(body).into_response());
    response.extensions_mut().insert(RequestNote {
        cache: Some(day.cache),
        upstream_ms: day.upstream_ms,
    });
    Ok(response)
}

/// Any other path under `api_base`: answered here, never forwarded.
pub async fn not_found() -> Error {
    Error::NotFound
}

pub async fn method_not_allowed() -> Error {
    Error::MethodNotAllowed
}

/// The server's own cursor: the day and an offset into the cached day, so a
/// cursor from one day is refused on another.
fn cursor(day: NaiveDate, offset: usize) -> String {
    format!("{}.{offset}", day.format("%Y%m%d"))
}

fn parse_cursor(text: &str, day: NaiveDate) -> Option<usize> {
    let (cursor_day, offset) = text.split_once('.')?;
    if cursor_day != day.format("%Y%m%d").to_string() || !offset.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    offset.parse().ok()
}

/// Usage data is the organization's: no shared cache may keep it.
fn private(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_bound_to_their_day() {
        let day = NaiveDate::from_ymd_opt(2025, 9, 8).unwrap();
        let other = NaiveDate::from_ymd_opt(2025, 9, 9).unwrap();
        assert_eq!(parse_cursor(&cursor(day, 40), day), Some(40));
        assert_eq!(parse_cursor(&cursor(day, 40), other), None);
        assert_eq!(parse_cursor("20250908.+4", day), None);
        assert_eq!(parse_cursor("garbage", day), None);
    }
}
