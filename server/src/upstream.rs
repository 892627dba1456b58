//! The Admin API client: one path, the key in one header, a bounded number
//! of calls in flight, 429 `retry-after` honoured, 5xx and timeouts retried
//! with backoff. The browser's request contributes nothing but a validated
//! day: no header, cookie or query text of it reaches this module.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, RETRY_AFTER};
use reqwest::StatusCode;
pub use reqwest::Url;
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::Semaphore;

use crate::error::Error;
use crate::key::AdminKey;

pub const USAGE_PATH: &str = "/v1/organizations/usage_report/claude_code";
pub const ANTHROPIC_VERSION: &str = "2023-06-01";
/// Records per upstream page: the most the API allows, fewest round trips.
const UPSTREAM_LIMIT: &str = "1000";
/// A day whose cursors never end is an upstream bug, not a reason to loop.
const MAX_PAGES_PER_DAY: usize = 10_000;
const MAX_CURSOR_LEN: usize = 4096;

/// When to try an upstream call again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per page, the first included.
    pub attempts: u32,
    /// Backoff after the first failure; tripled after each further one.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// A `retry-after` longer than this is not waited out: the browser gets
    /// the 429 (with the same `retry-after`) instead of a hung request.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    fn backoff(&self, failures: u32) -> Duration {
        let factor = 3u32.saturating_pow(failures.saturating_sub(1));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

#[derive(Debug, Clone)]
pub struct UpstreamOptions {
    /// Origin (and optional path prefix) of the Admin API.
    pub base: Url,
    pub key: AdminKey,
    /// Upstream calls in flight at once, over every viewer.
    pub concurrency: usize,
    /// One attempt's time limit, connection to last byte.
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

/// A whole day, fetched.
#[derive(Debug, Clone)]
pub struct FetchedDay {
    pub records: Vec<Value>,
    /// Upstream calls it took, retries included.
    pub calls: u32,
    pub elapsed: Duration,
}

#[derive(Debug)]
pub struct Upstream {
    client: reqwest::Client,
    url: Url,
    permits: Arc<Semaphore>,
    retry: RetryPolicy,
}

#[derive(Deserialize)]
struct Page {
    data: Vec<Value>,
    #[serde(default)]
    has_more: bool,
    #[serde(default)]
    next_page: Option<String>,
}

/// What one attempt came to.
enum Attempt {
    Page(Page),
    /// Worth trying again, after `after` if the upstream said so.
    Retry {
        error: Error,
        after: Option<Duration>,
    },
    Fail(Error),
}

/// A request or body that broke in transport: worth another try. The
/// client's error text names the URL, which is harmless, but only its kind
/// is kept: nothing of the request is echoed.
fn transport_retry(e: &reqwest::Error, day: NaiveDate, reason: &str) -> Attempt {
    let error = if e.is_timeout() {
        Error::UpstreamTimeout { day }
    } else {
        Error::Upstream {
            day,
            reason: reason.to_owned(),
        }
    };
    Attempt::Retry { error, after: None }
}

#[derive(Debug, thiserror::Error)]
pub enum UpstreamSetupError {
    #[error("the admin key cannot be sent as a header")]
    Key,
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
    #[error("the upstream URL cannot carry a path: {0}")]
    Url(String),
}

impl Upstream {
    pub fn new(options: UpstreamOptions) -> Result<Self, UpstreamSetupError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-api-key",
            options.key.header_value().ok_or(UpstreamSetupError::Key)?,
        );
        headers.insert(
            "anthropic-version",
            HeaderValue::from_static(ANTHROPIC_VERSION),
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(concat!("cca-server/", env!("CARGO_PKG_VERSION")))
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            // A redirect could lead the key somewhere else: never follow one.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| UpstreamSetupError::Client(e.to_string()))?;
        let base = options.base.as_str().trim_end_matches('/');
        let url = Url::parse(&format!("{base}{USAGE_PATH}"))
            .map_err(|e| UpstreamSetupError::Url(e.to_string()))?;
        Ok(Upstream {
            client,
            url,
            permits: Arc::new(Semaphore::new(options.concurrency.max(1))),
            retry: options.retry,
        })
    }

    /// Every record of one UTC day, following the upstream's cursors.
    pub async fn fetch_day(&self, day: NaiveDate) -> Result<FetchedDay, Error> {
        let started = Instant::now();
        let mut records = Vec::new();
        let mut cursor: Option<String> = None;
        let mut seen = HashSet::new();
        let mut calls = 0;
        for _ in 0..MAX_PAGES_PER_DAY {
            let page = self.page(day, cursor.as_deref(), &mut calls).await?;
            records.extend(page.data);
            match (page.has_more, page.next_page) {
                (true, Some(next)) if next.len() <= MAX_CURSOR_LEN && seen.insert(next.clone()) => {
                    cursor = Some(next);
                }
                (true, _) => {
                    return Err(Error::Upstream {
                        day,
                        reason: "its pages never ended (a missing or repeated cursor)".to_owned(),
                    })
                }
                (false, _) => {
                    return Ok(FetchedDay {
                        records,
                        calls,
                        elapsed: started.elapsed(),
                    })
                }
            }
        }
        Err(Error::Upstream {
            day,
            reason: format!("more than {MAX_PAGES_PER_DAY} pages"),
        })
    }

    /// One page, with retries.
    async fn page(
        &self,
        day: NaiveDate,
        cursor: Option<&str>,
        calls: &mut u32,
    ) -> Result<Page, Error> {
        let mut failures = 0;
        loop {
            *calls += 1;
            match self.attempt(day, cursor).await {
                Attempt::Page(page) => return Ok(page),
                Attempt::Fail(error) => return Err(error),
                Attempt::Retry { error, after } => {
                    failures += 1;
                    if failures >= self.retry.attempts {
                        return Err(error);
                    }
                    let wait = match after {
                        Some(after) if after > self.retry.max_retry_after => return Err(error),
                        Some(after) => after,
                        None => self.retry.backoff(failures),
                    };
                    let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                    tracing::warn!(%day, attempt = failures, wait_ms, %error, "upstream call failed; retrying");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    async fn attempt(&self, day: NaiveDate, cursor: Option<&str>) -> Attempt {
        let mut url = self.url.clone();
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("starting_at", &day.to_string());
            query.append_pair("limit", UPSTREAM_LIMIT);
            if let Some(cursor) = cursor {
                query.append_pair("page", cursor);
            }
        }
        // Waiting for a permit is not part of the attempt's time limit.
        let Ok(_permit) = self.permits.acquire().await else {
            return Attempt::Fail(Error::Upstream {
                day,
                reason: "the server is shutting down".to_owned(),
            });
        };
        let response = match self.client.get(url).send().await {
            Ok(response) => response,
            Err(e) => return transport_retry(&e, day, "cannot reach the Admin API"),
        };
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            return Attempt::Retry {
                error: Error::RateLimited {
                    day,
                    retry_after_secs: retry_after,
                },
                after: retry_after.map(Duration::from_secs),
            };
        }
        if status.is_server_error() {
            return Attempt::Retry {
                error: Error::Upstream {
                    day,
                    reason: format!("HTTP {}", status.as_u16()),
                },
                after: None,
            };
        }
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            // Not the viewer's fault: a 401 would tell the browser it is signed out.
            return Attempt::Fail(Error::Upstream {
                day,
                reason: format!(
                    "the Admin API refused the admin key (HTTP {})",
                    status.as_u16()
                ),
            });
        }
        if status.is_client_error() {
            return Attempt::Fail(Error::UpstreamRefused {
                day,
                status: status.as_u16(),
            });
        }
        if !status.is_success() {
            return Attempt::Fail(Error::Upstream {
                day,
                reason: format!("HTTP {}", status.as_u16()),
            });
        }
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(e) => return transport_retry(&e, day, "the answer broke off"),
        };
        match serde_json::from_slice::<Page>(&body) {
            Ok(page) => Attempt::Page(page),
            Err(e) => Attempt::Fail(Error::Upstream {
                day,
                reason: format!("unreadable answer ({})", e.classify_name()),
            }),
        }
    }
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O",
            serde_json::error::Category::Syntax => "not JSON",
            serde_json::error::Category::Data => "not a usage page",
            serde_json::error::Category::Eof => "truncated JSON",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_its_cap() {
        let retry = RetryPolicy::default();
        assert_eq!(retry.backoff(1), Duration::from_millis(500));
        assert_eq!(retry.backoff(2), Duration::from_millis(1500));
        assert_eq!(retry.backoff(3), Duration::from_millis(4500));
        assert_eq!(retry.backoff(4), Duration::from_secs(8));
    }
}
