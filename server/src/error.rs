//! The one error a request can end in, and the JSON answer it becomes.
//!
//! Bodies follow the Admin API's shape (`{"type":"error","error":{…}}`) so a
//! client written for the real API reads them; the app itself goes by the
//! status (401 signed out, 403 no access, 429 and 5xx retried, then shown
//! with the failed day and a Retry button). No message ever carries the key:
//! upstream failures are described by status and kind, never by echoing what
//! the upstream or the HTTP client said about the request.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    BadRequest(String),
    #[error("no such endpoint")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("no signed-in viewer")]
    SignedOut,
    #[error("{0}")]
    Forbidden(String),
    #[error("the Admin API is rate limiting requests for {day}")]
    RateLimited {
        day: NaiveDate,
        retry_after_secs: Option<u64>,
    },
    #[error("the Admin API failed for {day}: {reason}")]
    Upstream { day: NaiveDate, reason: String },
    /// A 4xx other than 401/403/429: asking again would be refused again
    /// (a day the API does not serve), so the source remembers it a while.
    #[error("the Admin API refused the request for {day} (HTTP {status})")]
    UpstreamRefused { day: NaiveDate, status: u16 },
    #[error("the Admin API did not answer in time for {day}")]
    UpstreamTimeout { day: NaiveDate },
    #[error("the cache failed: {0}")]
    Cache(String),
    /// A bug: a task that panicked, a value that would not serialize.
    #[error("the server failed: {0}")]
    Internal(String),
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::SignedOut => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Upstream { .. } | Error::UpstreamRefused { .. } => StatusCode::BAD_GATEWAY,
            Error::UpstreamTimeout { .. } => StatusCode::GATEWAY_TIMEOUT,
            Error::Cache(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The Admin API's error `type` for this error.
    fn kind(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "invalid_request_error",
            Error::NotFound => "not_found_error",
            Error::MethodNotAllowed => "invalid_request_error",
            Error::SignedOut => "authentication_error",
            Error::Forbidden(_) => "permission_error",
            Error::RateLimited { .. } => "rate_limit_error",
            Error::Upstream { .. }
            | Error::UpstreamRefused { .. }
            | Error::UpstreamTimeout { .. } => "upstream_error",
            Error::Cache(_) | Error::Internal(_) => "api_error",
        }
    }

    fn day(&self) -> Option<NaiveDate> {
        match self {
            Error::RateLimited { day, .. }
            | Error::Upstream { day, .. }
            | Error::UpstreamRefused { day, .. }
            | Error::UpstreamTimeout { day } => Some(*day),
            _ => None,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let mut error = json!({"type": self.kind(), "message": self.to_string()});
        if let Some(day) = self.day() {
            error["day"] = json!(day.to_string());
        }
        let body = json!({"type": "error", "error": error}).to_string();
        let mut response = (
            self.status(),
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
        if let Error::RateLimited {
            retry_after_secs: Some(secs),
            ..
        } = self
        {
            if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
