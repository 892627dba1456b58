//! The API endpoints the app calls, under its `api_base`: `GET /v1/me` and
//! `GET /v1/organizations/usage_report/claude_code` (and its summary, in
//! `crate::summary`). Everything else under `api_base` is a local 404 (or 405).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cca::auth::page::Page;
use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use serde_json::{json, Value};

use crate::auth::{may_read_usage, Viewer};
use crate::error::Error;
use crate::log::RequestNote;
use crate::params;
use crate::AppState;

/// The viewer of a request, from its headers and its connection's peer.
pub(crate) fn viewer(state: &AppState, request: &Request) -> Result<Viewer, Error> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    state.auth.viewer(request.headers(), peer)
}

/// What this server offers beyond the console API, listed by `/v1/me` so the
/// app can find out: `summary`, a range's aggregates computed here, and
/// `member_summary`, the same for one member (`crate::summary`).
pub const CAPABILITIES: [&str; 2] = [cca::summary::CAPABILITY, cca::summary::MEMBER_CAPABILITY];

pub async fn me(State(state): State<Arc<AppState>>, request: Request) -> Result<Response, Error> {
    let viewer = viewer(&state, &request)?;
    let mut body = json!({
        "email": viewer.email,
        "role": viewer.role.wire_name(),
        "capabilities": CAPABILITIES,
    });
    if let Some((id, name)) = state.organization() {
        body["organization"] = json!({"id": id, "name": name});
    }
    if let Some(day) = state.data_since() {
        body["data_since"] = json!(day.to_string());
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
    // The cache keeps every record whole; a viewer the host keeps off the
    // spend page gets them without `estimated_cost`, cut while writing out.
    let with_cost = state.policy.allows(&viewer.role, Page::Spend);
    let day = state.source.day(query.day, query.page.is_some()).await?;
    let records: &[Value] = &day.records;
    let end = offset.saturating_add(query.limit).min(records.len());
    let page = records.get(offset..end).unwrap_or_default();
    let has_more = end < records.len();
    let body = UsagePage {
        data: Records {
            records: page,
            with_cost,
        },
        has_more,
        next_page: has_more.then(|| cursor(query.day, end)),
    };
    let mut response = private(Json(body).into_response());
    response.extensions_mut().insert(RequestNote {
        cache: Some(day.cache),
        upstream_ms: day.upstream_ms,
        summary: None,
    });
    Ok(response)
}

/// One page of the usage answer, written straight from the cached records
/// (no copy of them is built).
#[derive(Serialize)]
struct UsagePage<'a> {
    data: Records<'a>,
    has_more: bool,
    next_page: Option<String>,
}

/// A page's records, each as cached, or with every `model_breakdown` entry's
/// `estimated_cost` left out (the app reads an absent cost as withheld, not
/// zero). Other fields are written as they are, in their order.
pub(crate) struct Records<'a> {
    pub(crate) records: &'a [Value],
    pub(crate) with_cost: bool,
}

impl Serialize for Records<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.with_cost {
            self.records.serialize(serializer)
        } else {
            serializer.collect_seq(self.records.iter().map(WithoutCost::Record))
        }
    }
}

/// Where in a record a value sits, for leaving out `estimated_cost` at
/// `model_breakdown[i].estimated_cost` and nowhere else.
pub(crate) enum WithoutCost<'a> {
    Record(&'a Value),
    Breakdown(&'a Value),
    Model(&'a Value),
    Other(&'a Value),
}

impl Serialize for WithoutCost<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            WithoutCost::Record(Value::Object(fields)) => {
                serializer.collect_map(fields.iter().map(|(key, value)| {
                    let value = if key == "model_breakdown" {
                        WithoutCost::Breakdown(value)
                    } else {
                        WithoutCost::Other(value)
                    };
                    (key, value)
                }))
            }
            WithoutCost::Breakdown(Value::Array(models)) => {
                serializer.collect_seq(models.iter().map(WithoutCost::Model))
            }
            WithoutCost::Model(Value::Object(fields)) => serializer.collect_map(
                fields
                    .iter()
                    .filter(|(key, _)| key.as_str() != "estimated_cost"),
            ),
            // Not the shape the contract names: nothing to leave out (the
            // app refuses such a record anyway).
            WithoutCost::Record(value)
            | WithoutCost::Breakdown(value)
            | WithoutCost::Model(value)
            | WithoutCost::Other(value) => value.serialize(serializer),
        }
    }
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
pub(crate) fn private(mut response: Response) -> Response {
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
    fn records_without_cost_lose_only_the_breakdown_costs_in_order() {
        let record = json!({
            "date": "2025-09-08",
            "estimated_cost": "kept: not in a breakdown entry",
            "model_breakdown": [
                {"model": "m", "tokens": {"input": 1}, "estimated_cost": {"currency": "USD", "amount": 5}, "z": 1},
                "not an object",
            ],
            "actor": {"type": "user_actor", "email_address": "a@example.com"},
        });
        let odd = json!({"model_breakdown": {"estimated_cost": 1}});
        let records = [record.clone(), odd.clone(), json!(3)];
        let write = |with_cost| {
            serde_json::to_string(&Records {
                records: &records,
                with_cost,
            })
            .unwrap()
        };
        assert_eq!(write(true), serde_json::to_string(&records).unwrap());
        let mut expected = record;
        if let Some(model) = expected["model_breakdown"][0].as_object_mut() {
            model.remove("estimated_cost");
        }
        assert_eq!(
            write(false),
            serde_json::to_string(&[expected, odd, json!(3)]).unwrap()
        );
    }

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
