//! Everything that can go wrong fetching data, as one typed error.

use cca_core::summary::{FailedDay, SummaryError};

use crate::model::decode::DecodeError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// 401: the session cookie is missing or expired.
    #[error("You are signed out of the console.")]
    SignedOut,
    /// 403: the server says this user may not see analytics.
    #[error("Your account does not have access to analytics.")]
    Forbidden,
    /// 429, after the retries ran out.
    #[error("The console API is rate limiting requests (HTTP 429).")]
    RateLimited { retry_after_secs: Option<u32> },
    /// 5xx, after the retries ran out.
    #[error("The console API failed (HTTP {status}).")]
    Server { status: u16 },
    /// The dashboard's own server (`cca-server`) could not get the day from
    /// the Admin API: it already retried, so the browser does not.
    #[error("The server could not get this from the Admin API (HTTP {status}).")]
    Upstream { status: u16 },
    /// Any other unexpected status.
    #[error("The console API answered with HTTP {status}.")]
    Status { status: u16 },
    /// The request never got an answer (connection refused or dropped, CORS, offline).
    #[error("Network error: {message}")]
    Network { message: String },
    /// No answer within the time limit.
    #[error("The console API did not answer within {secs} s.")]
    Timeout { secs: u32 },
    /// A 2xx answer that is not JSON (e.g. a proxy's HTML page).
    #[error("The console API answered with “{content_type}” instead of JSON.")]
    NotJson { content_type: String },
    /// The user left the range this request was for; its answer is dropped.
    #[error("The request was cancelled.")]
    Cancelled,
    /// The day's pages never ended: a cursor came back twice, or too many pages.
    #[error("The console API's pages for {day} never ended (at cursor “{cursor}”).")]
    Pagination {
        day: chrono::NaiveDate,
        cursor: String,
    },
    /// JSON that does not match the contract.
    #[error("The console API sent data this app cannot read: {0}")]
    Decode(#[from] DecodeError),
    /// A range's summary that does not hold together.
    #[error("The server sent a summary this app cannot read: {0}")]
    Summary(#[from] SummaryError),
}

impl ApiError {
    /// Whether trying the same request again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::RateLimited { .. }
                | ApiError::Server { .. }
                | ApiError::Network { .. }
                | ApiError::Timeout { .. }
        )
    }

    /// The error for a non-2xx answer, with its body when it was read: an
    /// Admin-API-shaped error of type `upstream_error` is the server's.
    pub fn from_answer(status: u16, retry_after: Option<&str>, body: Option<&str>) -> ApiError {
        #[derive(serde::Deserialize)]
        struct Answer {
            error: Kind,
        }
        #[derive(serde::Deserialize)]
        struct Kind {
            #[serde(rename = "type")]
            kind: String,
        }
        let upstream = body
            .and_then(|text| serde_json::from_str::<Answer>(text).ok())
            .is_some_and(|answer| answer.error.kind == "upstream_error");
        if upstream && status >= 500 {
            return ApiError::Upstream { status };
        }
        ApiError::from_status(status, retry_after)
    }

    /// The error of a day a summary lists as failed: the server already
    /// asked the Admin API (and retried), as for a day's own request.
    pub fn of_failed_day(failed: &FailedDay) -> ApiError {
        match failed.status {
            500..=599 => ApiError::Upstream {
                status: failed.status,
            },
            status => ApiError::from_status(status, None),
        }
    }

    /// The error for a non-2xx status.
    pub fn from_status(status: u16, retry_after: Option<&str>) -> ApiError {
        match status {
            401 => ApiError::SignedOut,
            403 => ApiError::Forbidden,
            429 => ApiError::RateLimited {
                retry_after_secs: retry_after.and_then(|v| v.trim().parse().ok()),
            },
            500..=599 => ApiError::Server { status },
            _ => ApiError::Status { status },
        }
    }
}

/// Checks that a 2xx answer is JSON by its `Content-Type`.
pub fn check_json_content_type(content_type: Option<&str>) -> Result<(), ApiError> {
    let value = content_type.unwrap_or_default();
    let mime = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json")) {
        Ok(())
    } else {
        Err(ApiError::NotJson {
            content_type: if value.is_empty() {
                "no content type".to_owned()
            } else {
                value.chars().take(80).collect()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_s_failed_day_is_the_server_s_error() {
        let failed = |status| FailedDay {
            day: chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
            status,
            message: "the Admin API refused the request".to_owned(),
        };
        // The server retried already: no retry from here.
        let upstream = ApiError::of_failed_day(&failed(502));
        assert_eq!(upstream, ApiError::Upstream { status: 502 });
        assert!(!upstream.is_retryable());
        assert_eq!(
            ApiError::of_failed_day(&failed(429)),
            ApiError::RateLimited {
                retry_after_secs: None
            }
        );
        assert_eq!(
            ApiError::of_failed_day(&failed(404)),
            ApiError::Status { status: 404 }
        );
    }

    #[test]
    fn statuses_map_to_kinds() {
        assert_eq!(ApiError::from_status(401, None), ApiError::SignedOut);
        assert_eq!(ApiError::from_status(403, None), ApiError::Forbidden);
        assert_eq!(
            ApiError::from_status(429, Some(" 3 ")),
            ApiError::RateLimited {
                retry_after_secs: Some(3)
            }
        );
        assert_eq!(
            ApiError::from_status(503, None),
            ApiError::Server { status: 503 }
        );
        assert_eq!(
            ApiError::from_status(404, None),
            ApiError::Status { status: 404 }
        );
        assert!(ApiError::from_status(502, None).is_retryable());
        assert!(!ApiError::SignedOut.is_retryable());
        assert!(!ApiError::Forbidden.is_retryable());
    }

    #[test]
    fn the_servers_upstream_errors_are_told_apart_and_not_retried() {
        let body = r#"{"type":"error","error":{"type":"upstream_error","message":"m","day":"2025-09-09"}}"#;
        assert_eq!(
            ApiError::from_answer(502, None, Some(body)),
            ApiError::Upstream { status: 502 }
        );
        assert!(!ApiError::Upstream { status: 504 }.is_retryable());
        // Any other 5xx body (a proxy's page, another error type) is the plain kind.
        for other in [
            None,
            Some("<html>502</html>"),
            Some(r#"{"type":"error","error":{"type":"api_error"}}"#),
        ] {
            assert_eq!(
                ApiError::from_answer(502, None, other),
                ApiError::Server { status: 502 }
            );
        }
        assert_eq!(
            ApiError::from_answer(429, Some("2"), Some(body)),
            ApiError::RateLimited {
                retry_after_secs: Some(2)
            }
        );
    }

    #[test]
    fn content_type_must_be_json() {
        assert!(check_json_content_type(Some("application/json; charset=utf-8")).is_ok());
        assert!(check_json_content_type(Some("application/problem+json")).is_ok());
        assert_eq!(
            check_json_content_type(Some("text/html")),
            Err(ApiError::NotJson {
                content_type: "text/html".into()
            })
        );
        assert!(check_json_content_type(None).is_err());
    }
}
