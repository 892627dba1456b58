//! The mock console API: `/v1/me` and `/v1/organizations/usage_report/claude_code`
//! with the contract's one-day-per-call, `limit`/`page` pagination.

use chrono::NaiveDate;
use serde_json::json;

use crate::http::{Request, Response};
use crate::{MeAnswer, State};

const USAGE_PATH: &str = "/v1/organizations/usage_report/claude_code";
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 1000;

/// The `starting_at` day of a usage request, if it is one and parses.
pub(crate) fn requested_day(request: &Request) -> Option<NaiveDate> {
    if !request.path.ends_with(USAGE_PATH) {
        return None;
    }
    request
        .param("starting_at")
        .and_then(|text| NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok())
}

/// The Admin API's version header value.
const ANTHROPIC_VERSION: &str = "2023-06-01";

pub(crate) fn answer(api_path: &str, request: &Request, state: &State) -> Response {
    if let Some(key) = state.options().admin_key {
        if request.header("x-api-key") != Some(key.as_str()) {
            return error(401, "authentication_error", "invalid x-api-key");
        }
        if request.header("anthropic-version") != Some(ANTHROPIC_VERSION) {
            return error(
                400,
                "invalid_request_error",
                "anthropic-version header is required",
            );
        }
    }
    match api_path {
        "/v1/me" => me(state),
        USAGE_PATH => usage(request, state),
        _ => error(404, "not_found_error", "no such endpoint"),
    }
}

fn error(status: u16, kind: &str, message: &str) -> Response {
    Response::json(
        status,
        json!({"type": "error", "error": {"type": kind, "message": message}}).to_string(),
    )
}

fn me(state: &State) -> Response {
    match state.options().me {
        MeAnswer::Role(role) => Response::json(
            200,
            json!({
                "email": "viewer@example.com",
                "role": role,
                "organization": {"id": "org-test-0001", "name": "Example Org"}
            })
            .to_string(),
        ),
        MeAnswer::Status(401) => error(401, "authentication_error", "signed out"),
        MeAnswer::Status(403) => error(403, "permission_error", "no access"),
        MeAnswer::Status(status) => error(status, "api_error", "injected"),
        MeAnswer::Raw(body) => Response::json(200, body),
    }
}

/// The cursor is opaque to clients; here it is `"{day}.{offset}"`.
fn cursor(day: NaiveDate, offset: usize) -> String {
    format!("{}.{offset}", day.format("%Y%m%d"))
}

fn parse_cursor(text: &str, day: NaiveDate) -> Option<usize> {
    let (cursor_day, offset) = text.split_once('.')?;
    (cursor_day == day.format("%Y%m%d").to_string())
        .then(|| offset.parse().ok())
        .flatten()
}

fn usage(request: &Request, state: &State) -> Response {
    let Some(day) = requested_day(request) else {
        return error(
            400,
            "invalid_request_error",
            "starting_at must be YYYY-MM-DD",
        );
    };
    let limit = match request.param("limit") {
        None => DEFAULT_LIMIT,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => return error(400, "invalid_request_error", "limit must be 1..=1000"),
        },
    };
    let offset = match request.param("page") {
        None => 0,
        Some(text) => match parse_cursor(&text, day) {
            Some(offset) => offset,
            None => return error(400, "invalid_request_error", "invalid page cursor"),
        },
    };
    // A server may answer with fewer records than asked for; the client must follow `next_page`.
    let limit = state
        .options()
        .page_size_cap
        .map_or(limit, |cap| limit.min(cap.max(1)));
    let records = state.day(day);
    let end = offset.saturating_add(limit).min(records.len());
    let page = records.get(offset..end).unwrap_or_default();
    let has_more = end < records.len();
    let body = json!({
        "data": page,
        "has_more": has_more,
        "next_page": has_more.then(|| cursor(day, end)),
    });
    Response::json(200, body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_are_bound_to_their_day() {
        let day = NaiveDate::from_ymd_opt(2025, 9, 8).unwrap_or_default();
        let other = NaiveDate::from_ymd_opt(2025, 9, 9).unwrap_or_default();
        assert_eq!(parse_cursor(&cursor(day, 40), day), Some(40));
        assert_eq!(parse_cursor(&cursor(day, 40), other), None);
        assert_eq!(parse_cursor("garbage", day), None);
    }
}
