//! Strict decoding of console API answers into the wire types of
//! [`crate::model::record`], with errors that name the day, the record and
//! the field (`usage for 2025-09-08, record 3: core_metrics.num_sessions: …`).
//!
//! Decoding is serde_json alone. When it fails, the error's line and column
//! are mapped back onto the text by a small scanner ([`path_at`]) that knows
//! which object keys and array indices enclose that position: no second
//! decoder, no path-tracking wrapper (which would double the code size of
//! every `Deserialize` impl in the wasm), and nothing extra on good data.

use std::fmt;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::model::record::{Me, UsagePage};

/// Longest `reason` kept: serde messages quote the offending value, which may be long.
const MAX_REASON_CHARS: usize = 200;

/// An answer that does not match the data contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DecodeError {
    /// The requested UTC day of a usage answer; `None` for `/v1/me`.
    pub day: Option<NaiveDate>,
    /// Index of the failing record in the page's `data` array, if the failure is inside one.
    pub record: Option<usize>,
    /// Field path, relative to the record when `record` is set, else to the whole
    /// answer (`""` = the answer itself).
    pub path: String,
    /// What is wrong, without the path.
    pub reason: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(day) => write!(f, "usage for {day}")?,
            None => f.write_str("/v1/me")?,
        }
        if let Some(record) = self.record {
            write!(f, ", record {record}")?;
        }
        f.write_str(": ")?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.reason)
    }
}

/// Decodes one page of `usage_report/claude_code` requested for `day`, and checks
/// what serde cannot: every record is for `day`, and `has_more` comes with a cursor.
pub fn decode_usage_page(day: NaiveDate, json: &str) -> Result<UsagePage, DecodeError> {
    let page: UsagePage = decode(json).map_err(|e| e.into_error(Some(day)))?;
    if let Some((index, record)) = page
        .data
        .iter()
        .enumerate()
        .find(|(_, record)| record.date != day)
    {
        return Err(DecodeError {
            day: Some(day),
            record: Some(index),
            path: "date".to_owned(),
            reason: format!(
                "the record is for {}, not for the requested day",
                record.date
            ),
        });
    }
    let has_cursor = page.next_page.as_deref().is_some_and(|c| !c.is_empty());
    if page.has_more && !has_cursor {
        return Err(DecodeError {
            day: Some(day),
            record: None,
            path: "next_page".to_owned(),
            reason: "has_more is true but there is no next_page cursor to follow".to_owned(),
        });
    }
    Ok(page)
}

/// Decodes `GET /v1/me`.
pub fn decode_me(json: &str) -> Result<Me, DecodeError> {
    decode(json).map_err(|e| e.into_error(None))
}

/// Where and why decoding failed, before the day is attached.
struct Failure {
    record: Option<usize>,
    path: String,
    reason: String,
}

impl Failure {
    fn into_error(self, day: Option<NaiveDate>) -> DecodeError {
        DecodeError {
            day,
            record: self.record,
            path: self.path,
            reason: self.reason,
        }
    }
}

fn decode<T: DeserializeOwned>(json: &str) -> Result<T, Failure> {
    // Derived structs also accept a sequence of their fields in order; every
    // answer of this API is an object, so a top-level array is refused outright.
    if json.trim_start().starts_with('[') {
        return Err(Failure {
            record: None,
            path: String::new(),
            reason: "invalid type: array, expected a JSON object".to_owned(),
        });
    }
    let error = match serde_json::from_str(json) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let (record, path) = locate(&path_at(json, error_offset(json, &error)));
    Err(Failure {
        record,
        path,
        reason: reason(&error),
    })
}

/// One step of a path into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// The byte offset up to which the text was read cleanly: serde_json's
/// position (line, column) names the last character it consumed. That is
/// usually the one that made it fail (a value's last character, an object's
/// closing brace), so it is left out; but a value of the wrong kind of
/// container is refused while it is only peeked, after the `:` before it.
fn error_offset(json: &str, error: &serde_json::Error) -> usize {
    let line_start: usize = json
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let mut end = (line_start + error.column().saturating_sub(1)).min(json.len());
    while !json.is_char_boundary(end) {
        end -= 1;
    }
    if json.as_bytes().get(end) == Some(&b':') {
        end += 1;
    }
    end
}

/// The object keys and array indices that enclose byte `offset` of `json`,
/// counting a key only while its value is unfinished at that point (so an
/// error at an object's closing brace is about the object, not its last field).
pub fn path_at(json: &str, offset: usize) -> Vec<Segment> {
    enum Frame {
        /// The current key, and whether its value is still being read.
        Object(Option<String>, bool),
        /// The current index, and whether an element is being read.
        Array(usize, bool),
    }
    let bytes = json.as_bytes().get(..offset).unwrap_or(json.as_bytes());
    let mut stack: Vec<Frame> = Vec::new();
    // After a value ends, its key or index no longer encloses the position.
    let value_done = |stack: &mut Vec<Frame>| match stack.last_mut() {
        Some(Frame::Object(_, open)) | Some(Frame::Array(_, open)) => *open = false,
        None => {}
    };
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                if let Some(Frame::Array(_, open)) = stack.last_mut() {
                    *open = true;
                }
                stack.push(Frame::Object(None, false));
            }
            b'[' => {
                if let Some(Frame::Array(_, open)) = stack.last_mut() {
                    *open = true;
                }
                stack.push(Frame::Array(0, false));
            }
            b'}' | b']' => {
                stack.pop();
                value_done(&mut stack);
            }
            b':' => {
                if let Some(Frame::Object(_, open)) = stack.last_mut() {
                    *open = true;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object(key, open)) => {
                    *key = None;
                    *open = false;
                }
                Some(Frame::Array(index, open)) => {
                    *index += 1;
                    *open = false;
                }
                None => {}
            },
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                if j >= bytes.len() {
                    // The position is inside this string.
                    if let Some(Frame::Array(_, open)) = stack.last_mut() {
                        *open = true;
                    }
                    break;
                }
                match stack.last_mut() {
                    Some(Frame::Object(key, false)) => {
                        *key = Some(String::from_utf8_lossy(&bytes[start..j]).into_owned());
                    }
                    _ => value_done(&mut stack),
                }
                i = j;
            }
            b if b.is_ascii_whitespace() => {}
            _ => {
                // A number or literal: finished only if a delimiter follows it.
                let mut j = i;
                while j < bytes.len()
                    && !matches!(bytes[j], b',' | b'}' | b']')
                    && !bytes[j].is_ascii_whitespace()
                {
                    j += 1;
                }
                if j >= bytes.len() {
                    if let Some(Frame::Array(_, open)) = stack.last_mut() {
                        *open = true;
                    }
                    break;
                }
                value_done(&mut stack);
                i = j - 1;
            }
        }
        i += 1;
    }
    stack
        .into_iter()
        .filter_map(|frame| match frame {
            Frame::Object(Some(key), true) => Some(Segment::Key(key)),
            Frame::Array(index, true) => Some(Segment::Index(index)),
            _ => None,
        })
        .collect()
}

/// Splits a path like `data[3].core_metrics.num_sessions` into the record
/// index (3) and the path inside the record (`core_metrics.num_sessions`).
fn locate(segments: &[Segment]) -> (Option<usize>, String) {
    let (record, rest) = match segments {
        [Segment::Key(key), Segment::Index(index), rest @ ..] if key == "data" => {
            (Some(*index), rest)
        }
        all => (None, all),
    };
    let mut path = String::new();
    for segment in rest {
        match segment {
            Segment::Index(index) => path.push_str(&format!("[{index}]")),
            Segment::Key(key) => push_name(&mut path, key),
        }
    }
    (record, path)
}

fn push_name(path: &mut String, name: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
}

/// serde_json's message without its ` at line L column C` suffix (the path says
/// where), except for syntax errors, where the position is all there is.
fn reason(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let bare = message.strip_suffix(&suffix).unwrap_or(&message);
    let text = match error.classify() {
        Category::Syntax => format!("not valid JSON: {message}"),
        Category::Eof => format!("truncated JSON: {message}"),
        Category::Data | Category::Io => bare.to_owned(),
    };
    shorten(text)
}

fn shorten(text: String) -> String {
    match text.char_indices().nth(MAX_REASON_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::record::Actor;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 9, 8).unwrap()
    }

    use crate::model::fixture::CONTRACT_EXAMPLE as CONTRACT_RECORD;

    /// A minimal valid record for `date` whose `core_metrics` body is `core`.
    fn record(date: &str, actor: &str, core: &str, extra: &str) -> String {
        format!(r#"{{"date":"{date}","actor":{actor},"core_metrics":{core}{extra}}}"#)
    }

    const USER: &str = r#"{"type":"user_actor","email_address":"a@example.com"}"#;
    const CORE: &str = r#"{"num_sessions":1,"lines_of_code":{"added":2,"removed":3},"commits_by_claude_code":4,"pull_requests_by_claude_code":5}"#;

    fn page(records: &[String]) -> String {
        format!(
            r#"{{"data":[{}],"has_more":false,"next_page":null}}"#,
            records.join(",")
        )
    }

    fn good() -> String {
        record("2025-09-08", USER, CORE, "")
    }

    fn fails(json: &str) -> DecodeError {
        decode_usage_page(day(), json).unwrap_err()
    }

    #[test]
    fn decodes_the_contract_example() {
        let page = decode_usage_page(day(), &page(&[CONTRACT_RECORD.to_owned()])).unwrap();
        assert_eq!(page.data.len(), 1);
        let r = &page.data[0];
        assert_eq!(r.date, day());
        assert_eq!(
            r.actor,
            Actor::User {
                email_address: "dev@example.com".into()
            }
        );
        assert_eq!(r.subscription_type, None);
        assert_eq!(r.core_metrics.num_sessions, 5);
        assert_eq!(r.core_metrics.lines_of_code.removed, 892);
        assert_eq!(r.core_metrics.pull_requests_by_claude_code, 2);
        assert_eq!(r.tool_actions["multi_edit_tool"].rejected, 2);
        assert_eq!(r.model_breakdown[0].tokens.cache_creation, 5000);
        assert_eq!(
            r.model_breakdown[0].estimated_cost.as_ref().unwrap().amount,
            1025
        );
        assert!(!page.has_more);
    }

    #[test]
    fn plain_date_and_missing_optionals() {
        // Plain date, no subscription_type, no tool_actions, no model_breakdown.
        let page = decode_usage_page(day(), &page(&[good()])).unwrap();
        let r = &page.data[0];
        assert_eq!(r.date, day());
        assert_eq!(r.subscription_type, None);
        assert!(r.tool_actions.is_empty());
        assert!(r.model_breakdown.is_empty());
        assert_eq!(r.core_metrics.commits_by_claude_code, 4);
    }

    #[test]
    fn unknown_tool_several_models_and_unknown_actor_are_kept() {
        let extra = r#","subscription_type":"enterprise","tool_actions":{"apply_patch_tool":{"accepted":7,"rejected":1}},
            "model_breakdown":[
              {"model":"claude-sonnet-4-5-20250929","tokens":{"input":1,"output":2,"cache_read":3,"cache_creation":4},"estimated_cost":{"currency":"USD","amount":10}},
              {"model":"claude-haiku-4-5-20251001","tokens":{"input":5,"output":6,"cache_read":7,"cache_creation":8},"estimated_cost":{"currency":"USD","amount":2}}]"#;
        let other = r#"{"type":"service_actor","service_name":"svc-7"}"#;
        let json = page(&[
            record("2025-09-08T00:00:00Z", USER, CORE, extra),
            record("2025-09-08", other, CORE, ""),
        ]);
        let page = decode_usage_page(day(), &json).unwrap();
        let first = &page.data[0];
        assert_eq!(first.subscription_type.as_deref(), Some("enterprise"));
        assert_eq!(first.tool_actions["apply_patch_tool"].accepted, 7);
        assert_eq!(first.model_breakdown.len(), 2);
        assert_eq!(first.model_breakdown[1].model, "claude-haiku-4-5-20251001");
        assert_eq!(
            first.model_breakdown[1]
                .estimated_cost
                .as_ref()
                .unwrap()
                .amount,
            2
        );
        assert_eq!(page.data[1].actor.kind(), "service_actor");
        assert_eq!(page.data[1].actor.identity(), "svc-7");
    }

    #[test]
    fn negative_count_names_record_and_field() {
        let bad = CORE.replace(r#""num_sessions":1"#, r#""num_sessions":-1"#);
        let json = page(&[good(), good(), good(), record("2025-09-08", USER, &bad, "")]);
        let e = fails(&json);
        assert_eq!(e.day, Some(day()));
        assert_eq!(e.record, Some(3));
        assert_eq!(e.path, "core_metrics.num_sessions");
        assert_eq!(e.reason, "invalid value: integer `-1`, expected u64");
        assert_eq!(
            e.to_string(),
            "usage for 2025-09-08, record 3: core_metrics.num_sessions: \
             invalid value: integer `-1`, expected u64"
        );
    }

    #[test]
    fn fractional_and_string_counts() {
        let bad = CORE.replace(r#""added":2"#, r#""added":2.5"#);
        let e = fails(&page(&[good(), record("2025-09-08", USER, &bad, "")]));
        assert_eq!(e.record, Some(1));
        assert_eq!(e.path, "core_metrics.lines_of_code.added");
        assert!(e.reason.contains("floating point `2.5`"), "{}", e.reason);

        let extra = r#","tool_actions":{"edit_tool":{"accepted":"5","rejected":0}}"#;
        let e = fails(&page(&[record("2025-09-08", USER, CORE, extra)]));
        assert_eq!(e.record, Some(0));
        assert_eq!(e.path, "tool_actions.edit_tool.accepted");
        assert!(e.reason.starts_with("invalid type: string"), "{}", e.reason);

        let extra = r#","model_breakdown":[{"model":"m","tokens":{"input":1,"output":-2,"cache_read":0,"cache_creation":0},"estimated_cost":{"currency":"USD","amount":1}}]"#;
        let e = fails(&page(&[record("2025-09-08", USER, CORE, extra)]));
        assert_eq!(e.path, "model_breakdown[0].tokens.output");
    }

    #[test]
    fn missing_core_metrics_and_api_key_name() {
        let no_core = r#"{"date":"2025-09-08","actor":{"type":"user_actor","email_address":"a@example.com"}}"#;
        let e = fails(&page(&[good(), no_core.to_owned()]));
        assert_eq!((e.record, e.path.as_str()), (Some(1), ""));
        assert_eq!(e.reason, "missing field `core_metrics`");
        assert_eq!(
            e.to_string(),
            "usage for 2025-09-08, record 1: missing field `core_metrics`"
        );

        let key = r#"{"type":"api_actor","name":"ci-bot"}"#;
        let e = fails(&page(&[record("2025-09-08", key, CORE, "")]));
        assert_eq!((e.record, e.path.as_str()), (Some(0), "actor"));
        assert_eq!(e.reason, "missing field `api_key_name`");
    }

    #[test]
    fn a_withheld_cost_is_absent_not_zero_and_a_malformed_one_still_fails() {
        const TOKENS: &str = r#""tokens":{"input":1,"output":2,"cache_read":3,"cache_creation":4}"#;
        let breakdown = |cost: &str| {
            format!(
                r#","model_breakdown":[{{"model":"m",{TOKENS}{cost}}},{{"model":"n",{TOKENS},"estimated_cost":{{"currency":"USD","amount":7}}}}]"#
            )
        };
        // Absent: the server withheld it from this viewer.
        let page_json = page(&[record("2025-09-08", USER, CORE, &breakdown(""))]);
        let decoded = decode_usage_page(day(), &page_json).unwrap();
        let models = &decoded.data[0].model_breakdown;
        assert_eq!(models[0].estimated_cost, None);
        assert_eq!(models[0].tokens.cache_creation, 4);
        assert_eq!(models[1].estimated_cost.as_ref().map(|c| c.amount), Some(7));
        // Present but wrong: an error naming the field, never "withheld".
        let cases = [
            (
                r#","estimated_cost":null"#,
                "model_breakdown[0].estimated_cost",
                "invalid type: null",
            ),
            (
                r#","estimated_cost":{"currency":"USD"}"#,
                "model_breakdown[0].estimated_cost",
                "missing field `amount`",
            ),
            (
                r#","estimated_cost":{"currency":"USD","amount":-5}"#,
                "model_breakdown[0].estimated_cost.amount",
                "invalid value: integer `-5`",
            ),
            (
                r#","estimated_cost":{"currency":"USD","amount":"5"}"#,
                "model_breakdown[0].estimated_cost.amount",
                "invalid type: string",
            ),
            (
                r#","estimated_cost":12"#,
                "model_breakdown[0].estimated_cost",
                "invalid type: integer",
            ),
        ];
        for (cost, path, reason) in cases {
            let e = fails(&page(&[
                good(),
                record("2025-09-08", USER, CORE, &breakdown(cost)),
            ]));
            assert_eq!(e.record, Some(1), "{cost}: {e}");
            assert_eq!(e.path, path, "{cost}: {e}");
            assert!(e.reason.starts_with(reason), "{cost}: {e}");
        }
    }

    #[test]
    fn not_json_truncated_html_null_and_array() {
        let e = fails("this is not json");
        assert_eq!((e.record, e.path.as_str()), (None, ""));
        assert!(e.reason.starts_with("not valid JSON: "), "{}", e.reason);

        let e = fails("<!doctype html><html><body>Bad gateway</body></html>");
        assert_eq!((e.record, e.path.as_str()), (None, ""));
        assert_eq!(
            e.reason,
            "not valid JSON: expected value at line 1 column 1"
        );

        let full = page(&[good(), good()]);
        let cut = &full[..full.len() / 2 + 40];
        let e = fails(cut);
        assert_eq!(e.record, Some(1), "{e}");
        assert!(e.reason.starts_with("truncated JSON: EOF"), "{}", e.reason);

        let e = fails("");
        assert_eq!((e.record, e.path.as_str()), (None, ""));
        assert!(e.reason.starts_with("truncated JSON"), "{}", e.reason);

        let e = fails("null");
        assert_eq!((e.record, e.path.as_str()), (None, ""));
        assert_eq!(e.reason, "invalid type: null, expected struct UsagePage");

        let e = fails(&format!("[{}]", good()));
        assert_eq!((e.record, e.path.as_str()), (None, ""));
        assert_eq!(e.reason, "invalid type: array, expected a JSON object");
        // Even an array that lines up with the fields positionally.
        let e = fails(r#" [[], false, null]"#);
        assert_eq!(e.reason, "invalid type: array, expected a JSON object");
        assert!(decode_me(r#"["admin"]"#).is_err());

        let e = fails(&format!("{} trailing", page(&[good()])));
        assert!(
            e.reason.starts_with("not valid JSON: trailing"),
            "{}",
            e.reason
        );
    }

    #[test]
    fn path_at_names_the_enclosing_keys_and_indices() {
        let json = r#"{"a": [1, {"b\"q": "x", "c": [true, nul"#;
        assert_eq!(
            path_at(json, json.len()),
            [
                Segment::Key("a".into()),
                Segment::Index(1),
                Segment::Key("c".into()),
                Segment::Index(1)
            ]
        );
        // A finished value no longer encloses the position.
        let done = r#"{"a": {"b": 1}"#;
        assert_eq!(path_at(done, done.len()), []);
        assert_eq!(path_at("", 0), []);
        // Multi-line answers: the error's line and column are honoured.
        let pretty = "{\n  \"data\": [\n    {\"date\": \"2025-09-08\", \"x\": -1}\n  ],\n  \"has_more\": false\n}";
        let error = serde_json::from_str::<Vec<u8>>("[\n 1,\n -1]").unwrap_err();
        assert_eq!(
            path_at("[\n 1,\n -1]", error_offset("[\n 1,\n -1]", &error)),
            [Segment::Index(1)]
        );
        assert_eq!(path_at(pretty, pretty.find("-1").unwrap() + 1).len(), 3);
    }

    #[test]
    fn missing_actor_identity_null_core_and_bad_date() {
        let no_actor = r#"{"date":"2025-09-08","core_metrics":{"num_sessions":1,"lines_of_code":{"added":2,"removed":3},"commits_by_claude_code":4,"pull_requests_by_claude_code":5}}"#;
        let e = fails(&page(&[good(), no_actor.to_owned()]));
        assert_eq!((e.record, e.path.as_str()), (Some(1), ""));
        assert_eq!(e.reason, "missing field `actor`");

        let no_email = r#"{"type":"user_actor","name":"Alice"}"#;
        let e = fails(&page(&[record("2025-09-08", no_email, CORE, "")]));
        assert_eq!((e.record, e.path.as_str()), (Some(0), "actor"));
        assert_eq!(e.reason, "missing field `email_address`");

        let e = fails(&page(&[
            good(),
            good(),
            record("2025-09-08", USER, "null", ""),
        ]));
        assert_eq!((e.record, e.path.as_str()), (Some(2), "core_metrics"));
        assert!(e.reason.starts_with("invalid type: null"), "{}", e.reason);

        for date in ["2025-13-45", "yesterday", ""] {
            let e = fails(&page(&[record(date, USER, CORE, "")]));
            assert_eq!(
                (e.record, e.path.as_str()),
                (Some(0), "date"),
                "{date}: {e}"
            );
        }
    }

    #[test]
    fn page_level_fields() {
        let e = fails(r#"{"data":{},"has_more":false}"#);
        assert_eq!((e.record, e.path.as_str()), (None, "data"));
        let e = fails(r#"{"data":[]}"#);
        assert_eq!((e.record, e.path.as_str()), (None, ""));
        assert_eq!(e.reason, "missing field `has_more`");
        let e = fails(r#"{"data":[],"has_more":"no"}"#);
        assert_eq!((e.record, e.path.as_str()), (None, "has_more"));
        // next_page may be absent when there is nothing more.
        let ok = decode_usage_page(day(), r#"{"data":[],"has_more":false}"#).unwrap();
        assert_eq!(ok.next_page, None);
    }

    #[test]
    fn record_for_another_day_is_an_error() {
        let json = page(&[good(), record("2025-09-09T00:00:00Z", USER, CORE, "")]);
        let e = fails(&json);
        assert_eq!((e.record, e.path.as_str()), (Some(1), "date"));
        assert_eq!(
            e.to_string(),
            "usage for 2025-09-08, record 1: date: the record is for 2025-09-09, not for the requested day"
        );
        // A date-time late on the previous day in another zone is the requested UTC day.
        let json = page(&[record("2025-09-07T22:00:00-03:00", USER, CORE, "")]);
        assert_eq!(decode_usage_page(day(), &json).unwrap().data[0].date, day());
    }

    #[test]
    fn has_more_needs_a_cursor() {
        for next in ["null", r#""""#] {
            let json = format!(r#"{{"data":[],"has_more":true,"next_page":{next}}}"#);
            let e = fails(&json);
            assert_eq!((e.record, e.path.as_str()), (None, "next_page"));
        }
        let e = fails(r#"{"data":[],"has_more":true}"#);
        assert_eq!(e.path, "next_page");
        let ok =
            decode_usage_page(day(), r#"{"data":[],"has_more":true,"next_page":"c2"}"#).unwrap();
        assert_eq!(ok.next_page.as_deref(), Some("c2"));
    }

    #[test]
    fn huge_counts_decode() {
        let core = CORE.replace(
            r#""num_sessions":1"#,
            &format!(r#""num_sessions":{}"#, u64::MAX),
        );
        let page =
            decode_usage_page(day(), &page(&[record("2025-09-08", USER, &core, "")])).unwrap();
        assert_eq!(page.data[0].core_metrics.num_sessions, u64::MAX);
        let over = CORE.replace(
            r#""num_sessions":1"#,
            r#""num_sessions":18446744073709551616"#,
        );
        let e = fails(&super::tests::page(&[record(
            "2025-09-08",
            USER,
            &over,
            "",
        )]));
        assert_eq!(e.path, "core_metrics.num_sessions");
    }

    #[test]
    fn me_decodes_and_fails_with_path() {
        let me = decode_me(
            r#"{"email":"a@example.com","role":"admin","organization":{"id":"o1","name":"Org"}}"#,
        )
        .unwrap();
        assert_eq!(me.role, "admin");
        assert_eq!(me.organization.unwrap().name, "Org");
        let me = decode_me(r#"{"role":"developer"}"#).unwrap();
        assert_eq!(me.email, None);
        assert!(me.capabilities.is_empty());
        let me = decode_me(r#"{"role":"admin","capabilities":["summary","later"]}"#).unwrap();
        assert!(me.offers("summary") && !me.offers("other"));
        // A capability list of the wrong shape offers nothing; the viewer stays readable.
        for odd in [
            r#""summary""#,
            "7",
            "null",
            r#"{"summary":true}"#,
            r#"[7,null,{}]"#,
        ] {
            let me = decode_me(&format!(r#"{{"role":"admin","capabilities":{odd}}}"#)).unwrap();
            assert!(!me.offers("summary"), "{odd}");
        }
        // The first day with data: a day, or unknown whatever else it is.
        let me = decode_me(r#"{"role":"admin","data_since":"2026-05-17"}"#).unwrap();
        assert_eq!(me.data_since, NaiveDate::from_ymd_opt(2026, 5, 17));
        assert_eq!(decode_me(r#"{"role":"admin"}"#).unwrap().data_since, None);
        for odd in [
            r#""2026-5-17""#,
            r#""2026-02-30""#,
            r#""2026-05-17T00:00:00Z""#,
            "20260517",
            "null",
            "[]",
            r#"{"day":"2026-05-17"}"#,
        ] {
            let me = decode_me(&format!(r#"{{"role":"admin","data_since":{odd}}}"#)).unwrap();
            assert_eq!(me.data_since, None, "{odd}");
        }

        let e = decode_me(r#"{"email":"a@example.com","role":7}"#).unwrap_err();
        assert_eq!((e.day, e.record, e.path.as_str()), (None, None, "role"));
        assert_eq!(
            e.to_string(),
            "/v1/me: role: invalid type: integer `7`, expected a string"
        );
        let e = decode_me(r#"{"role":"admin","organization":{"id":"o1"}}"#).unwrap_err();
        assert_eq!(e.path, "organization");
        assert_eq!(e.reason, "missing field `name`");
        let e = decode_me("<html>").unwrap_err();
        assert!(e.reason.starts_with("not valid JSON"));
    }

    #[test]
    fn long_reasons_are_shortened() {
        let long = "é".repeat(500);
        let shortened = shorten(long);
        assert_eq!(shortened.chars().count(), MAX_REASON_CHARS + 1);
        assert!(shortened.ends_with('…'));
        assert_eq!(shorten("short".into()), "short");
    }
}
