//! The HTTP client over gloo-net: `credentials: include`, a timeout,
//! retries with backoff, typed errors, and cancellation.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use chrono::NaiveDate;
use futures::future::{select, Either};
use gloo_net::http::Request;
use gloo_timers::future::TimeoutFuture;
use web_sys::{AbortController, RequestCredentials};

use crate::api::error::{check_json_content_type, ApiError};
use crate::api::pages::collect_day;
use crate::api::retry::RetryPolicy;
use crate::paths::encode_query;
use cca_core::summary::Summary;

use crate::model::dates::DateRange;
use crate::model::decode::decode_me;
use crate::model::member::MemberRef;
use crate::model::record::{Me, UsageRecord};

/// Records asked for per page: half the contract's largest. Decoding a page
/// is one task on the main thread, and a 1,000-record page took up to 74 ms
/// before the browser had optimized the wasm (docs/benchmarks.md): 500 keep
/// each under 50 ms, for one more request per 500 active members a day.
pub const PAGE_LIMIT: u32 = 500;

/// How long one request may take before it is given up.
const TIMEOUT_MS: u32 = 20_000;

/// The same for a summary: on a cold server cache it waits for every day of
/// its range from the Admin API, at the server's bounded concurrency and
/// within its rate limits.
const SUMMARY_TIMEOUT_MS: u32 = 180_000;
/// Cancels every request registered with it, now and later.
#[derive(Clone, Default)]
pub struct Cancel(Rc<CancelInner>);

#[derive(Default)]
struct CancelInner {
    cancelled: Cell<bool>,
    controllers: RefCell<Vec<AbortController>>,
}

impl Cancel {
    pub fn cancel(&self) {
        self.0.cancelled.set(true);
        for controller in self.0.controllers.borrow_mut().drain(..) {
            controller.abort();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.get()
    }

    fn controller(&self) -> Option<AbortController> {
        let controller = AbortController::new().ok()?;
        self.0.controllers.borrow_mut().push(controller.clone());
        Some(controller)
    }

    fn release(&self, controller: &AbortController) {
        self.0
            .controllers
            .borrow_mut()
            .retain(|c| !js_sys::Object::is(c, controller));
    }
}

/// A client for one `api_base`.
#[derive(Debug, Clone)]
pub struct ApiClient {
    base: String,
    retry: RetryPolicy,
}

impl ApiClient {
    pub fn new(base: &str) -> Self {
        ApiClient {
            base: base.trim_end_matches('/').to_owned(),
            retry: RetryPolicy::default(),
        }
    }

    /// `GET {api_base}/v1/me`.
    pub async fn me(&self, cancel: &Cancel) -> Result<Me, ApiError> {
        let text = self
            .get_with_retry(&format!("{}/v1/me", self.base), TIMEOUT_MS, cancel)
            .await?;
        Ok(decode_me(&text)?)
    }

    /// `GET {api_base}/v1/organizations/usage_report/claude_code/summary`:
    /// the range (or one member's records over it) summed up by the server.
    pub async fn summary(&self, key: &SummaryKey, cancel: &Cancel) -> Result<Summary, ApiError> {
        let text = self
            .get_with_retry(&summary_url(&self.base, key), SUMMARY_TIMEOUT_MS, cancel)
            .await?;
        Ok(Summary::decode(&text)?)
    }

    /// Every record of one UTC day, following `next_page` until `has_more` is false.
    pub async fn usage_day(
        &self,
        day: NaiveDate,
        cancel: &Cancel,
    ) -> Result<Vec<UsageRecord>, ApiError> {
        collect_day(day, |cursor| async move {
            let url = usage_url(&self.base, day, cursor.as_deref());
            self.get_with_retry(&url, TIMEOUT_MS, cancel).await
        })
        .await
    }

    async fn get_with_retry(
        &self,
        url: &str,
        timeout_ms: u32,
        cancel: &Cancel,
    ) -> Result<String, ApiError> {
        let mut attempt = 1;
        loop {
            match self.get_once(url, timeout_ms, cancel).await {
                Ok(text) => return Ok(text),
                Err(error) => match self.retry.delay_after(attempt, &error) {
                    Some(delay) if !cancel.is_cancelled() => {
                        TimeoutFuture::new(delay).await;
                        attempt += 1;
                    }
                    _ => return Err(error),
                },
            }
            if cancel.is_cancelled() {
                return Err(ApiError::Cancelled);
            }
        }
    }

    /// One attempt: the body text of a 2xx JSON answer.
    async fn get_once(
        &self,
        url: &str,
        timeout_ms: u32,
        cancel: &Cancel,
    ) -> Result<String, ApiError> {
        if cancel.is_cancelled() {
            return Err(ApiError::Cancelled);
        }
        let controller = cancel.controller();
        let signal = controller.as_ref().map(|c| c.signal());
        let request = async {
            let response = Request::get(url)
                .credentials(RequestCredentials::Include)
                .header("Accept", "application/json")
                .abort_signal(signal.as_ref())
                .send()
                .await
                .map_err(network_error)?;
            let status = response.status();
            if !(200..300).contains(&status) {
                let retry_after = response.headers().get("retry-after");
                // A 5xx body may say the server already retried the Admin API.
                let body = if status >= 500 {
                    response.text().await.ok()
                } else {
                    None
                };
                return Err(ApiError::from_answer(
                    status,
                    retry_after.as_deref(),
                    body.as_deref(),
                ));
            }
            check_json_content_type(response.headers().get("content-type").as_deref())?;
            // Bytes, not `text()`: the browser's copy of the body is then an
            // ArrayBuffer rather than a decoded JS string, which the renderer
            // holds in less memory (docs/benchmarks.md).
            let bytes = response.binary().await.map_err(network_error)?;
            Ok(body_text(bytes))
        };
        let timeout = TimeoutFuture::new(timeout_ms);
        let outcome = match select(Box::pin(request), timeout).await {
            Either::Left((result, _)) => result,
            Either::Right(((), _)) => {
                if let Some(c) = &controller {
                    c.abort();
                }
                Err(ApiError::Timeout {
                    secs: timeout_ms / 1000,
                })
            }
        };
        if let Some(c) = &controller {
            cancel.release(c);
        }
        if cancel.is_cancelled() {
            return Err(ApiError::Cancelled);
        }
        outcome
    }
}

/// A body's bytes as text the way `Response.text()` decodes it: UTF-8 without
/// a leading byte-order mark, invalid sequences replaced by U+FFFD. Valid
/// UTF-8 (every real answer) is not copied.
pub fn body_text(bytes: Vec<u8>) -> String {
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned());
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

fn network_error(error: gloo_net::Error) -> ApiError {
    ApiError::Network {
        message: error.to_string().chars().take(200).collect(),
    }
}

/// `{base}/v1/organizations/usage_report/claude_code?starting_at=…&limit=…[&page=…]`
pub fn usage_url(base: &str, day: NaiveDate, cursor: Option<&str>) -> String {
    let mut url = format!(
        "{base}/v1/organizations/usage_report/claude_code?starting_at={day}&limit={PAGE_LIMIT}"
    );
    if let Some(cursor) = cursor {
        url.push_str("&page=");
        url.push_str(&encode_query(cursor));
    }
    url
}

/// What a summary sums up: a range, of the whole organization or of one
/// member's records (the member page).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SummaryKey {
    pub range: DateRange,
    pub member: Option<MemberRef>,
}

impl SummaryKey {
    /// The whole organization over `range`.
    pub fn organization(range: DateRange) -> Self {
        SummaryKey {
            range,
            member: None,
        }
    }
}

/// `{base}/v1/organizations/usage_report/claude_code/summary?starting_at=…&ending_at=…`,
/// both days included, and the member's `email_address` or `api_key_name`.
pub fn summary_url(base: &str, key: &SummaryKey) -> String {
    let mut url = format!(
        "{base}/v1/organizations/usage_report/claude_code/summary?starting_at={}&ending_at={}",
        key.range.start(),
        key.range.end()
    );
    match &key.member {
        Some(MemberRef::User(email)) => {
            url.push_str("&email_address=");
            url.push_str(&encode_query(email));
        }
        Some(MemberRef::ApiKey(name)) => {
            url.push_str("&api_key_name=");
            url.push_str(&encode_query(name));
        }
        None => {}
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_text_decodes_like_response_text() {
        assert_eq!(body_text(b"{\"a\":1}".to_vec()), "{\"a\":1}");
        assert_eq!(body_text("\u{feff}{}".as_bytes().to_vec()), "{}");
        assert_eq!(
            body_text(b"{\"a\":\"\xff\"}".to_vec()),
            "{\"a\":\"\u{fffd}\"}"
        );
        assert_eq!(body_text("é".as_bytes().to_vec()), "é");
    }

    #[test]
    fn builds_summary_urls_with_both_days() {
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let range = DateRange::new(d(11, 4), d(12, 3)).unwrap();
        assert_eq!(
            summary_url("https://host/api", &SummaryKey::organization(range)),
            "https://host/api/v1/organizations/usage_report/claude_code/summary?starting_at=2026-11-04&ending_at=2026-12-03"
        );
        // One member's: the email or the key's name, escaped.
        let member = |member| SummaryKey {
            range,
            member: Some(member),
        };
        assert_eq!(
            summary_url("/api", &member(MemberRef::User("o'brien+ci@example.com".into()))),
            "/api/v1/organizations/usage_report/claude_code/summary?starting_at=2026-11-04&ending_at=2026-12-03&email_address=o%27brien%2Bci%40example.com"
        );
        assert_eq!(
            summary_url("/api", &member(MemberRef::ApiKey("ci & deploy".into()))),
            "/api/v1/organizations/usage_report/claude_code/summary?starting_at=2026-11-04&ending_at=2026-12-03&api_key_name=ci%20%26%20deploy"
        );
    }

    #[test]
    fn builds_usage_urls_with_encoded_cursors() {
        let day = NaiveDate::from_ymd_opt(2025, 9, 8).unwrap();
        assert_eq!(
            usage_url("/api", day, None),
            "/api/v1/organizations/usage_report/claude_code?starting_at=2025-09-08&limit=500"
        );
        assert_eq!(
            usage_url("/api", day, Some("a b&c=d/é")),
            "/api/v1/organizations/usage_report/claude_code?starting_at=2025-09-08&limit=500&page=a%20b%26c%3Dd%2F%C3%A9"
        );
    }
}
