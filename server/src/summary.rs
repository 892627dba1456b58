//! `GET {api_base}/v1/organizations/usage_report/claude_code/summary?starting_at=…&ending_at=…`:
//! a range's aggregates and per-actor totals ([`cca::summary::Summary`]),
//! computed here from the day cache with the browser's own aggregation, so a
//! large organization's dashboard receives one small answer instead of every
//! raw record (DESIGN.md section 10, "Scale").
//!
//! Nothing of it is forwarded: the days come from the same [`Source`] as the
//! usage path (cache first, the upstream with its concurrency bound, retries,
//! `retry-after` and remembered refusals for the rest). Access is the usage
//! path's: a role that may see no page gets 403 before anything is read, and
//! a role kept off the spend page gets the summary of records without
//! `estimated_cost`, i.e. with every spend withheld. Days that fail are
//! listed in the answer's `failed` and left out (unknown, not zero); if no day
//! loads at all, the answer is the first failure's error, as for one day.
//!
//! `email_address=…` or `api_key_name=…` narrows a summary to one member
//! (the member page): the same days from the same [`Source`], with the same
//! access rules, each day's records picked by their `actor` while still JSON
//! values and only that member's decoded and summed up. An unknown member is
//! one without records: a summary with zero usage, as for an inactive one.
//! The kept parts of final days ([`DayParts`]) are the whole organization's:
//! a member summary neither reads nor adds to them.
//!
//! [`Source`]: crate::source::Source
//! [`DayParts`]: crate::day_parts::DayParts

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use cca::auth::page::Page;
use cca::model::dates::DateRange;
use cca::model::day_part::DayPart;
use cca::model::decode::decode_usage_page;
use cca::model::member::MemberRef;
use cca::model::record::UsageRecord;
use cca::summary::{FailedDay, Summary};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::task::JoinSet;

use crate::api::{private, viewer, Records, WithoutCost};
use crate::auth::may_read_usage;
use crate::error::Error;
use crate::log::{RequestNote, SummaryNote};
use crate::params::{parse_summary, utc_today, SummaryQuery};
use crate::source::{CacheStatus, DayRecords};
use crate::AppState;

/// The summary's path under `api_base`, beside the usage report it sums up.
pub const SUMMARY_PATH: &str = "/v1/organizations/usage_report/claude_code/summary";

/// Days being read (from the cache, or waiting for the upstream, whose own
/// bound `--upstream-concurrency` still applies) at once for one summary.
const DAYS_IN_FLIGHT: usize = 16;

pub async fn summary(
    State(state): State<Arc<AppState>>,
    request: Request,
) -> Result<Response, Error> {
    // Who first, then what: a viewer without access learns nothing about the
    // query's validity and costs nothing.
    let viewer = viewer(&state, &request)?;
    may_read_usage(&viewer, &state.policy)?;
    let SummaryQuery { range, member } = parse_summary(request.uri().query(), utc_today())?;
    // A member's summary is made of the same records as the organization's,
    // as this viewer receives them: the filter changes whose records are
    // summed up, never what of them (no cost for a viewer kept off spend).
    let view = View {
        with_cost: state.policy.allows(&viewer.role, Page::Spend),
        member: member.map(Arc::new),
    };
    let Loaded {
        days,
        mut failures,
        mut note,
    } = load(&state, range, &view).await;
    failures.sort_by_key(|(day, _)| *day);
    note.failed = u32::try_from(failures.len()).unwrap_or(u32::MAX);
    note.member = view.member.as_deref().map(MemberRef::actor_type);
    let request_note = RequestNote {
        cache: None,
        upstream_ms: Some(note.upstream_ms),
        summary: Some(note),
    };
    if days.is_empty() {
        if let Some((_, error)) = failures.first() {
            let mut response = error.clone().into_response();
            response.extensions_mut().insert(request_note);
            return Ok(response);
        }
    }
    let failed: Vec<FailedDay> = failures
        .iter()
        .map(|(day, error)| FailedDay {
            day: *day,
            status: error.status().as_u16(),
            message: error.to_string(),
        })
        .collect();
    // Aggregating a large organization's range takes a while: off the
    // threads that serve requests.
    let body = tokio::task::spawn_blocking(move || {
        let summary = Summary::from_day_parts(range, |day| days.get(&day).map(Arc::as_ref))
            .with_failed(failed);
        serde_json::to_vec(&summary)
    })
    .await
    .map_err(|_| Error::Internal("computing the summary failed".to_owned()))?
    .map_err(|_| Error::Internal("writing the summary failed".to_owned()))?;
    let mut response = private(
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
    );
    response.extensions_mut().insert(request_note);
    Ok(response)
}

/// What a summary is of, for one viewer: the records they receive from the
/// usage path (with their costs or not), all of them or one member's.
#[derive(Clone)]
struct View {
    with_cost: bool,
    member: Option<Arc<MemberRef>>,
}

/// The days of a range that loaded, those that did not, and how.
struct Loaded {
    days: HashMap<NaiveDate, Arc<DayPart>>,
    failures: Vec<(NaiveDate, Error)>,
    note: SummaryNote,
}

/// Reads every day of `range`, at most [`DAYS_IN_FLIGHT`] at a time. Once
/// the Admin API says it is rate limiting, the days not yet started are
/// answered from the cache only (else they fail with the same error), so a
/// long range does not keep knocking.
async fn load(state: &Arc<AppState>, range: DateRange, view: &View) -> Loaded {
    let mut loaded = Loaded {
        days: HashMap::new(),
        failures: Vec::new(),
        note: SummaryNote {
            from: range.start(),
            to: range.end(),
            days: range.len_days(),
            hits: 0,
            fetched: 0,
            generated: 0,
            failed: 0,
            upstream_ms: 0,
            member: None,
        },
    };
    let mut pending = range.days();
    let mut tasks = JoinSet::new();
    let mut rate_limited: Option<Error> = None;
    loop {
        while tasks.len() < DAYS_IN_FLIGHT {
            let Some(day) = pending.next() else { break };
            tasks.spawn(load_day(
                Arc::clone(state),
                day,
                rate_limited.clone(),
                view.clone(),
            ));
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        // A task that panicked is caught below, as a day neither loaded nor failed.
        let Ok((day, result)) = joined else { continue };
        match result {
            Ok((records, how)) => {
                let note = &mut loaded.note;
                match how.cache {
                    CacheStatus::Hit | CacheStatus::Shared => note.hits += 1,
                    CacheStatus::Miss => note.fetched += 1,
                    CacheStatus::None => note.generated += 1,
                }
                note.upstream_ms = note
                    .upstream_ms
                    .saturating_add(how.upstream_ms.unwrap_or(0));
                loaded.days.insert(day, records);
            }
            Err(error) => {
                if matches!(error, Error::RateLimited { .. }) && rate_limited.is_none() {
                    rate_limited = Some(error.clone());
                }
                loaded.failures.push((day, error));
            }
        }
    }
    for day in range.days() {
        if !loaded.days.contains_key(&day) && !loaded.failures.iter().any(|(d, _)| *d == day) {
            loaded
                .failures
                .push((day, Error::Internal(format!("reading {day} failed"))));
        }
    }
    loaded
}

/// How a day was answered, for the log.
struct How {
    cache: CacheStatus,
    upstream_ms: Option<u64>,
}

/// One day summed up ([`DayPart`]) from its records as the viewer's
/// browser would decode them from the usage path: a final day's part is
/// kept and used again. `rate_limited`: the upstream is not to be asked;
/// only a cached copy will do.
///
/// A member's day is summed up from that member's records only, and never
/// kept: its part is small, but what it would save is the reading of the
/// whole day from the cache (a member page is read once in a while, for
/// one member of thousands, and 90 days of one member from the cache took
/// well under a second at 10,000 members: docs/benchmarks.md), while kept
/// parts per member and day would either grow with the organization or,
/// bounded, push the organization's own parts (each of which saves decoding
/// thousands of records) out of [`DayParts`]. The organization's part cannot
/// answer for a member either: it holds no member's models or terminals.
///
/// [`DayParts`]: crate::day_parts::DayParts
async fn load_day(
    state: Arc<AppState>,
    day: NaiveDate,
    rate_limited: Option<Error>,
    view: View,
) -> (NaiveDate, Result<(Arc<DayPart>, How), Error>) {
    let View { with_cost, member } = view;
    let kept = member.is_none();
    if kept {
        if let Some(part) = state.day_parts.get(day, with_cost) {
            let how = How {
                cache: CacheStatus::Hit,
                upstream_ms: None,
            };
            return (day, Ok((part, how)));
        }
    }
    let answered = match rate_limited {
        None => state.source.day(day, false).await,
        Some(error) => match state.source.day_without_upstream(day).await {
            Some(records) => Ok(records),
            None => Err(match error {
                Error::RateLimited {
                    retry_after_secs, ..
                } => Error::RateLimited {
                    day,
                    retry_after_secs,
                },
                other => other,
            }),
        },
    };
    let result = match answered {
        Ok(DayRecords {
            records,
            cache,
            upstream_ms,
            is_final,
        }) => tokio::task::spawn_blocking(move || {
            let decoded = match member.as_deref() {
                None => decode_day(day, &records, with_cost),
                Some(member) => decode_day(day, &members_records(&records, member), with_cost),
            };
            decoded.map(|records| Arc::new(DayPart::from_records(day, &records)))
        })
        .await
        .unwrap_or_else(|_| Err(Error::Internal(format!("reading {day} failed"))))
        .map(|part| {
            if is_final && kept {
                state.day_parts.insert(day, with_cost, Arc::clone(&part));
            }
            (part, How { cache, upstream_ms })
        }),
        Err(error) => Err(error),
    };
    (day, result)
}

/// The records of `member` among a day's, picked while they are JSON
/// values: a day of 10,000 members costs a look at each record's `actor`
/// and the decoding of this member's records, not of everyone's.
///
/// A record is the member's when its `actor` has the member's `type` and
/// identity field (`email_address`, `api_key_name`) equal to theirs, as
/// [`MemberRef::matches`] compares the decoded [`Actor`] (exactly, case
/// included). A record whose `actor` is no member's, or unreadable, is
/// someone else's: another member's malformed record fails the day for
/// the organization's summary, not for this member's.
///
/// [`Actor`]: cca::model::record::Actor
fn members_records(records: &[Value], member: &MemberRef) -> Vec<Value> {
    records
        .iter()
        .filter(|record| is_members(record, member))
        .cloned()
        .collect()
}

fn is_members(record: &Value, member: &MemberRef) -> bool {
    let field = match member {
        MemberRef::User(_) => "email_address",
        MemberRef::ApiKey(_) => "api_key_name",
    };
    let Some(actor) = record.get("actor") else {
        return false;
    };
    actor.get("type").and_then(Value::as_str) == Some(member.actor_type())
        && actor.get(field).and_then(Value::as_str) == Some(member.identity())
}

/// The day's records as the app reads them from the usage path: without
/// `estimated_cost` for a viewer kept off spend (removed before decoding,
/// as the usage path removes it before sending), every record for `day`.
fn decode_day(
    day: NaiveDate,
    values: &[Value],
    with_cost: bool,
) -> Result<Vec<UsageRecord>, Error> {
    let mut records = Vec::with_capacity(values.len());
    for value in values {
        let decoded = if with_cost {
            UsageRecord::deserialize(value)
        } else {
            without_cost(value).and_then(|value| UsageRecord::deserialize(&value))
        };
        match decoded {
            Ok(record) if record.date == day => records.push(record),
            _ => return Err(unreadable(day, values, with_cost)),
        }
    }
    Ok(records)
}

/// A record as a viewer kept off spend receives it from the usage path.
fn without_cost(record: &Value) -> Result<Value, serde_json::Error> {
    serde_json::to_value(WithoutCost::Record(record))
}

/// Why a day's records cannot be read, in the app's decoder's words (it
/// names the record and the field).
fn unreadable(day: NaiveDate, values: &[Value], with_cost: bool) -> Error {
    let data = serde_json::to_value(Records {
        records: values,
        with_cost,
    })
    .unwrap_or_default();
    let page = json!({"data": data, "has_more": false}).to_string();
    let reason = match decode_usage_page(day, &page) {
        Err(error) => format!("its answer could not be read ({error})"),
        Ok(_) => "its answer could not be read".to_owned(),
    };
    Error::Upstream { day, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = r#"{"date": "2025-09-08T00:00:00Z",
        "actor": {"type": "user_actor", "email_address": "dev@example.com"},
        "terminal_type": "vscode",
        "core_metrics": {"num_sessions": 5, "lines_of_code": {"added": 1543, "removed": 892},
                         "commits_by_claude_code": 12, "pull_requests_by_claude_code": 2},
        "tool_actions": {"edit_tool": {"accepted": 45, "rejected": 5}},
        "model_breakdown": [{"model": "claude-sonnet-4-5-20250929",
          "tokens": {"input": 100000, "output": 35000, "cache_read": 10000, "cache_creation": 5000},
          "estimated_cost": {"currency": "USD", "amount": 1025}}]}"#;

    #[test]
    fn a_record_the_app_would_refuse_fails_its_day_naming_the_field() {
        let day = NaiveDate::from_ymd_opt(2025, 9, 8).unwrap();
        let mut record: Value = serde_json::from_str(RECORD).unwrap();
        let good = decode_day(day, &[record.clone()], true).unwrap();
        assert_eq!(good.len(), 1);
        assert!(good[0].model_breakdown[0].estimated_cost.is_some());
        let withheld = decode_day(day, &[record.clone()], false).unwrap();
        assert!(withheld[0].model_breakdown[0].estimated_cost.is_none());

        // Another day's record, and a negative count.
        let other_day = NaiveDate::from_ymd_opt(2025, 9, 9).unwrap();
        let error = decode_day(other_day, &[record.clone()], true).unwrap_err();
        assert!(
            error.to_string().contains("not for the requested day"),
            "{error}"
        );
        record["core_metrics"]["num_sessions"] = json!(-1);
        let error = decode_day(day, &[record.clone()], true).unwrap_err();
        assert_eq!(error.status(), StatusCode::BAD_GATEWAY);
        assert!(
            error
                .to_string()
                .contains("record 0: core_metrics.num_sessions"),
            "{error}"
        );

        // A malformed cost is not the business of a viewer who never gets it.
        let mut record: Value = serde_json::from_str(RECORD).unwrap();
        record["model_breakdown"][0]["estimated_cost"] = json!({"currency": 5});
        assert!(decode_day(day, &[record.clone()], true).is_err());
        assert!(decode_day(day, &[record], false).is_ok());
    }

    #[test]
    fn a_members_records_are_picked_as_the_decoded_actor_would_match() {
        let ana = MemberRef::User("ana@example.com".into());
        let ci = MemberRef::ApiKey("ci".into());
        let actors = [
            json!({"type": "user_actor", "email_address": "ana@example.com"}),
            json!({"email_address": "ana@example.com", "type": "user_actor", "x": 1}),
            json!({"type": "user_actor", "email_address": "Ana@example.com"}),
            json!({"type": "user_actor", "email_address": "ana@example.com "}),
            json!({"type": "api_actor", "api_key_name": "ana@example.com"}),
            json!({"type": "api_actor", "email_address": "ana@example.com"}),
            json!({"type": "user_actor", "api_key_name": "ci"}),
            json!({"type": "api_actor", "api_key_name": "ci"}),
            json!({"type": "api_actor", "api_key_name": "ci", "email_address": "ana@example.com"}),
            json!({"type": "service_actor", "id": "ci"}),
            json!({"type": "user_actor", "email_address": 3}),
            json!({"email_address": "ana@example.com"}),
            json!("ana@example.com"),
            Value::Null,
        ];
        let mut picked = 0;
        for actor in &actors {
            let record = json!({"date": "2025-09-08", "actor": actor});
            // Escaped on the wire, decoded in the value: the same identity.
            let escaped: Value =
                serde_json::from_str(&record.to_string().replace('@', "\\u0040")).unwrap();
            let decoded = cca::model::record::Actor::deserialize(actor).ok();
            for member in [&ana, &ci] {
                let expected = decoded.as_ref().is_some_and(|a| member.matches(a));
                assert_eq!(is_members(&record, member), expected, "{member:?} {actor}");
                assert_eq!(
                    is_members(&escaped, member),
                    expected,
                    "{member:?} {escaped}"
                );
                picked += usize::from(expected);
            }
        }
        assert_eq!(picked, 4);
        assert!(!is_members(&json!({"date": "2025-09-08"}), &ana));
        assert!(!is_members(&json!([1, 2]), &ana));
    }

    #[test]
    fn only_the_members_records_are_decoded() {
        let day = NaiveDate::from_ymd_opt(2025, 9, 8).unwrap();
        let dev: Value = serde_json::from_str(RECORD).unwrap();
        let mut broken = dev.clone();
        broken["actor"] = json!({"type": "user_actor", "email_address": "bob@example.com"});
        broken["core_metrics"]["num_sessions"] = json!(-1);
        let day_records = [broken.clone(), dev.clone(), json!("not a record")];
        // The organization's day fails on Bob's record; the member's does not.
        assert!(decode_day(day, &day_records, true).is_err());
        let member = MemberRef::User("dev@example.com".into());
        let own = members_records(&day_records, &member);
        assert_eq!(own, [dev]);
        assert_eq!(decode_day(day, &own, true).unwrap().len(), 1);
        // Bob's own day still fails, naming his record's field.
        let bob = MemberRef::User("bob@example.com".into());
        let error = decode_day(day, &members_records(&day_records, &bob), true).unwrap_err();
        assert!(error.to_string().contains("num_sessions"), "{error}");
        assert!(members_records(&day_records, &MemberRef::ApiKey("ci".into())).is_empty());
    }
}
