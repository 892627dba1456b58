//! Following one day's `next_page` cursors until `has_more` is false.
//!
//! Separate from the HTTP client so the paging rules are tested natively
//! with a fake source.

use std::future::Future;

use chrono::NaiveDate;
use rustc_hash::FxHashSet;

use crate::api::error::ApiError;
use crate::model::decode::decode_usage_page;
use crate::model::record::UsageRecord;

/// A day with more pages than this is treated as a server bug.
pub const MAX_PAGES_PER_DAY: usize = 10_000;

/// Every record of `day`: `fetch(None)` for the first page, then
/// `fetch(Some(cursor))` for each `next_page`, decoding each answer.
///
/// A cursor the server already gave (a loop) or an endless run of pages is a
/// [`ApiError::Pagination`] error rather than a hang.
pub async fn collect_day<F, Fut>(day: NaiveDate, mut fetch: F) -> Result<Vec<UsageRecord>, ApiError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<String, ApiError>>,
{
    let mut records = Vec::new();
    let mut seen = FxHashSet::default();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES_PER_DAY {
        let text = fetch(cursor.take()).await?;
        let page = decode_usage_page(day, &text)?;
        records.extend(page.data);
        match (page.has_more, page.next_page) {
            (true, Some(next)) => {
                if !seen.insert(next.clone()) {
                    return Err(ApiError::Pagination { day, cursor: next });
                }
                cursor = Some(next);
            }
            _ => return Ok(records),
        }
    }
    Err(ApiError::Pagination {
        day,
        cursor: format!("{MAX_PAGES_PER_DAY} pages"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use std::cell::RefCell;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 9, 1).unwrap()
    }

    fn record(email: &str) -> String {
        format!(
            r#"{{"date":"2025-09-01T00:00:00Z","actor":{{"type":"user_actor","email_address":"{email}"}},
              "organization_id":"org","customer_type":"api","terminal_type":"vscode",
              "core_metrics":{{"num_sessions":1,"lines_of_code":{{"added":3,"removed":1}},
                "commits_by_claude_code":0,"pull_requests_by_claude_code":0}},
              "tool_actions":{{}},"model_breakdown":[]}}"#
        )
    }

    fn page(emails: &[&str], next: Option<&str>) -> String {
        let data: Vec<String> = emails.iter().map(|e| record(e)).collect();
        format!(
            r#"{{"data":[{}],"has_more":{},"next_page":{}}}"#,
            data.join(","),
            next.is_some(),
            next.map_or("null".to_owned(), |n| format!("\"{n}\""))
        )
    }

    /// A fake server: cursor → answer, and the cursors asked for.
    fn serve<'a>(
        pages: &'a [(Option<&'a str>, String)],
        asked: &'a RefCell<Vec<Option<String>>>,
    ) -> impl FnMut(Option<String>) -> std::future::Ready<Result<String, ApiError>> + 'a {
        move |cursor| {
            asked.borrow_mut().push(cursor.clone());
            let answer = pages
                .iter()
                .find(|(c, _)| c.map(str::to_owned) == cursor)
                .map(|(_, body)| body.clone())
                .ok_or(ApiError::Status { status: 400 });
            std::future::ready(answer)
        }
    }

    #[test]
    fn follows_three_pages_in_order() {
        let pages = [
            (None, page(&["a@x.io", "b@x.io"], Some("p2"))),
            (Some("p2"), page(&["c@x.io", "d@x.io"], Some("p3"))),
            (Some("p3"), page(&["e@x.io"], None)),
        ];
        let asked = RefCell::new(Vec::new());
        let records = block_on(collect_day(day(), serve(&pages, &asked))).unwrap();
        let emails: Vec<String> = records
            .iter()
            .map(|r| r.actor.identity().to_owned())
            .collect();
        assert_eq!(emails, ["a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io"]);
        assert_eq!(
            *asked.borrow(),
            [None, Some("p2".to_owned()), Some("p3".to_owned())]
        );
    }

    #[test]
    fn has_more_false_stops_even_with_a_cursor() {
        let body = page(&["a@x.io"], None).replace(r#""next_page":null"#, r#""next_page":"p9""#);
        let pages = [(None, body)];
        let asked = RefCell::new(Vec::new());
        let records = block_on(collect_day(day(), serve(&pages, &asked))).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(asked.borrow().len(), 1);
    }

    #[test]
    fn a_cursor_loop_is_an_error_not_a_hang() {
        let pages = [
            (None, page(&["a@x.io"], Some("p2"))),
            (Some("p2"), page(&["b@x.io"], Some("p2"))),
        ];
        let asked = RefCell::new(Vec::new());
        let error = block_on(collect_day(day(), serve(&pages, &asked))).unwrap_err();
        assert_eq!(
            error,
            ApiError::Pagination {
                day: day(),
                cursor: "p2".to_owned()
            }
        );
    }

    #[test]
    fn a_bad_page_fails_the_day_with_its_decode_error() {
        let pages = [
            (None, page(&["a@x.io"], Some("p2"))),
            (
                Some("p2"),
                r#"{"data":[{"date":"2025-09-01"}],"has_more":false}"#.to_owned(),
            ),
        ];
        let asked = RefCell::new(Vec::new());
        let error = block_on(collect_day(day(), serve(&pages, &asked))).unwrap_err();
        assert!(matches!(error, ApiError::Decode(_)), "{error:?}");
    }
}
