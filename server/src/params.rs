//! The usage request's query, checked before anything else happens: a day,
//! a page size, a cursor. Nothing else is accepted, and nothing from the
//! query is ever forwarded as-is: the upstream URL is rebuilt from these
//! typed values.

use cca::model::dates::DateRange;
use cca::model::member::MemberRef;
use chrono::{DateTime, NaiveDate, Utc};

use crate::error::Error;

/// The Admin API's default page size.
pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 1000;
/// Longest `page` cursor accepted; the server's own are far shorter.
pub const MAX_CURSOR_LEN: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageQuery {
    pub day: NaiveDate,
    pub limit: usize,
    pub page: Option<String>,
}

/// Parses `starting_at`, `limit` and `page`; any other parameter, a repeated
/// one or a bad value is a 400.
pub fn parse(query: Option<&str>) -> Result<UsageQuery, Error> {
    let (mut day, mut limit, mut page) = (None, None, None);
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let slot_taken = match name.as_ref() {
            "starting_at" => day.replace(parse_day("starting_at", &value)?).is_some(),
            "limit" => limit.replace(parse_limit(&value)?).is_some(),
            "page" => page.replace(parse_cursor(&value)?).is_some(),
            _ => return Err(unknown_parameter(&name)),
        };
        if slot_taken {
            return Err(repeated_parameter(&name));
        }
    }
    let day = day.ok_or_else(|| Error::BadRequest("starting_at is required".to_owned()))?;
    Ok(UsageQuery {
        day,
        limit: limit.unwrap_or(DEFAULT_LIMIT),
        page,
    })
}

/// `YYYY-MM-DD`, or an RFC 3339 date-time at midnight UTC (the Admin API
/// takes both; the app sends the plain date). `field` names it in errors.
fn parse_day(field: &str, text: &str) -> Result<NaiveDate, Error> {
    let bad = || Error::BadRequest(format!("{field} must be a date, YYYY-MM-DD"));
    if text.len() > 40 {
        return Err(bad());
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        // chrono accepts a sign and more digits; the wire form is exactly 10 bytes.
        return if text.len() == 10 {
            Ok(day)
        } else {
            Err(bad())
        };
    }
    let time = DateTime::parse_from_rfc3339(text).map_err(|_| bad())?;
    let utc = time.with_timezone(&Utc);
    if utc.time() == chrono::NaiveTime::MIN {
        Ok(utc.date_naive())
    } else {
        // A day is the unit of the report; a time inside it would be ambiguous.
        Err(bad())
    }
}

fn parse_limit(text: &str) -> Result<usize, Error> {
    text.parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_LIMIT).contains(n) && text.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| Error::BadRequest(format!("limit must be 1..={MAX_LIMIT}")))
}

/// A cursor is opaque, but bounded: 1..=128 characters of `A-Z a-z 0-9 - _ . ~`.
fn parse_cursor(text: &str) -> Result<String, Error> {
    let ok = (1..=MAX_CURSOR_LEN).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
    if ok {
        Ok(text.to_owned())
    } else {
        Err(Error::BadRequest("invalid page cursor".to_owned()))
    }
}

/// The longest range a summary covers, in days (both ends included): the
/// app's own longest range, so any range it shows can be summed up here.
pub const MAX_SUMMARY_DAYS: u32 = cca::model::dates::MAX_DAYS;

/// A summary request: its range, and the one member it is about (`None`:
/// the whole organization).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryQuery {
    pub range: DateRange,
    pub member: Option<MemberRef>,
}

/// The member filter's parameters: a user by email, an API key by name.
pub const EMAIL_PARAM: &str = "email_address";
pub const KEY_NAME_PARAM: &str = "api_key_name";

/// Longest member identity accepted, in characters (an email address has
/// at most 254; the member page's path reads at most as many).
pub const MAX_MEMBER_LEN: usize = 320;

/// Parses the summary request's `starting_at` and `ending_at` (the range's
/// first and last day, both included) against `today` (UTC): a last day
/// after today is moved back to today; a range that starts after today,
/// ends before it starts or covers more than [`MAX_SUMMARY_DAYS`] days (once
/// moved back) is a 400, as is any other parameter or a repeated one.
///
/// At most one of [`EMAIL_PARAM`] and [`KEY_NAME_PARAM`] narrows the summary
/// to that member; an empty, over-long or control-character identity, or
/// both of them, is a 400 too. No message quotes the identity.
pub fn parse_summary(query: Option<&str>, today: NaiveDate) -> Result<SummaryQuery, Error> {
    let (mut start, mut end) = (None, None);
    let (mut email, mut key_name) = (None, None);
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let slot_taken = match name.as_ref() {
            "starting_at" => start.replace(parse_day("starting_at", &value)?).is_some(),
            "ending_at" => end.replace(parse_day("ending_at", &value)?).is_some(),
            EMAIL_PARAM => email
                .replace(parse_identity(EMAIL_PARAM, &value)?)
                .is_some(),
            KEY_NAME_PARAM => key_name
                .replace(parse_identity(KEY_NAME_PARAM, &value)?)
                .is_some(),
            _ => return Err(unknown_parameter(&name)),
        };
        if slot_taken {
            return Err(repeated_parameter(&name));
        }
    }
    let member = match (email, key_name) {
        (Some(_), Some(_)) => {
            return Err(Error::BadRequest(format!(
                "give {EMAIL_PARAM} or {KEY_NAME_PARAM}, not both"
            )))
        }
        (Some(email), None) => Some(MemberRef::User(email)),
        (None, Some(name)) => Some(MemberRef::ApiKey(name)),
        (None, None) => None,
    };
    let start = start.ok_or_else(|| Error::BadRequest("starting_at is required".to_owned()))?;
    let end = end.ok_or_else(|| Error::BadRequest("ending_at is required".to_owned()))?;
    if end < start {
        return Err(Error::BadRequest(format!(
            "ending_at ({end}) is before starting_at ({start})"
        )));
    }
    if start > today {
        return Err(Error::BadRequest(format!(
            "starting_at ({start}) is after today ({today}, UTC): there is no usage yet"
        )));
    }
    let end = end.min(today);
    let days = (end - start).num_days() + 1;
    if days > i64::from(MAX_SUMMARY_DAYS) {
        return Err(Error::BadRequest(format!(
            "the range covers {days} days; at most {MAX_SUMMARY_DAYS} are allowed"
        )));
    }
    let range = DateRange::new(start, end).map_err(|e| Error::BadRequest(e.to_string()))?;
    Ok(SummaryQuery { range, member })
}

/// A member's email or key name, as decoded from the query, kept exactly
/// (the Admin API's identities are compared as they are, case included).
/// The errors name the parameter, never its value: the identity is not
/// echoed back, nor into a log.
fn parse_identity(field: &str, text: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::BadRequest(format!("{field} {why}"));
    if text.is_empty() {
        return Err(bad("is empty"));
    }
    if text.chars().count() > MAX_MEMBER_LEN {
        return Err(bad(&format!("is longer than {MAX_MEMBER_LEN} characters")));
    }
    if text.chars().any(char::is_control) {
        return Err(bad("holds a control character"));
    }
    // The query is decoded leniently: bytes that are not UTF-8 come out as
    // U+FFFD, which no identity holds.
    if text.contains(char::REPLACEMENT_CHARACTER) {
        return Err(bad("is not valid UTF-8"));
    }
    Ok(text.to_owned())
}

/// A parameter name fit for an error message: short, printable ASCII.
fn printable(name: &str) -> String {
    name.chars()
        .take(40)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect()
}

/// The day the Admin API reports as "today" (UTC).
pub fn utc_today() -> NaiveDate {
    Utc::now().date_naive()
}

fn unknown_parameter(name: &str) -> Error {
    Error::BadRequest(format!("unknown parameter “{}”", printable(name)))
}

fn repeated_parameter(name: &str) -> Error {
    Error::BadRequest(format!("parameter “{}” given twice", printable(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_apps_query_parses() {
        let q = parse(Some("starting_at=2025-09-08&limit=1000&page=20250908.1000")).unwrap();
        assert_eq!(q.day, day(2025, 9, 8));
        assert_eq!(q.limit, 1000);
        assert_eq!(q.page.as_deref(), Some("20250908.1000"));
        let q = parse(Some("starting_at=2025-09-08T00:00:00Z")).unwrap();
        assert_eq!((q.day, q.limit, q.page), (day(2025, 9, 8), 20, None));
        let q = parse(Some("starting_at=2025-09-08T02:00:00%2B02:00")).unwrap();
        assert_eq!(q.day, day(2025, 9, 8));
    }

    #[test]
    fn anything_else_is_a_bad_request() {
        for query in [
            None,
            Some(""),
            Some("starting_at=2025-9-8"),
            Some("starting_at=+2025-09-08"),
            Some("starting_at=2025-02-30"),
            Some("starting_at=2025-09-08T12:00:00Z"),
            Some("starting_at=yesterday"),
            Some("starting_at=2025-09-08&limit=0"),
            Some("starting_at=2025-09-08&limit=1001"),
            Some("starting_at=2025-09-08&limit=-1"),
            Some("starting_at=2025-09-08&limit=%2B5"),
            Some("starting_at=2025-09-08&limit=ten"),
            Some("starting_at=2025-09-08&page="),
            Some("starting_at=2025-09-08&page=a%2Fb"),
            Some("starting_at=2025-09-08&page=..%2F..%2Fusers"),
            Some("starting_at=2025-09-08&starting_at=2025-09-09"),
            Some("starting_at=2025-09-08&ending_at=2025-09-09"),
            Some("starting_at=2025-09-08&x-api-key=1"),
        ] {
            assert!(
                matches!(parse(query), Err(Error::BadRequest(_))),
                "{query:?}"
            );
        }
        let long = format!("starting_at=2025-09-08&page={}", "a".repeat(129));
        assert!(parse(Some(&long)).is_err());
        let max = format!("starting_at=2025-09-08&page={}", "a".repeat(128));
        assert!(parse(Some(&max)).is_ok());
    }

    #[test]
    fn summary_ranges() {
        let today = day(2026, 1, 15);
        let range = |q: &str| parse_summary(Some(q), today);
        let ok = |q: &str| {
            let r = range(q).unwrap().range;
            (r.start(), r.end())
        };
        assert_eq!(
            ok("starting_at=2025-12-20&ending_at=2026-01-10"),
            (day(2025, 12, 20), day(2026, 1, 10))
        );
        assert_eq!(
            ok("ending_at=2026-01-15&starting_at=2026-01-15"),
            (today, today)
        );
        // The end moved back to today; then it is the days up to today that count.
        assert_eq!(
            ok("starting_at=2026-01-01&ending_at=2026-03-31"),
            (day(2026, 1, 1), today)
        );
        assert_eq!(
            ok("starting_at=2025-01-15&ending_at=2027-01-01"),
            (day(2025, 1, 15), today)
        );
        assert_eq!(
            ok("starting_at=2024-12-31T00:00:00Z&ending_at=2025-12-30"),
            (day(2024, 12, 31), day(2025, 12, 30))
        );
        for (query, says) in [
            ("", "starting_at is required"),
            ("starting_at=2026-01-01", "ending_at is required"),
            ("ending_at=2026-01-01", "starting_at is required"),
            (
                "starting_at=2026-01-02&ending_at=2026-01-01",
                "is before starting_at",
            ),
            ("starting_at=2026-01-16&ending_at=2026-01-20", "after today"),
            ("starting_at=2024-12-10&ending_at=2026-01-14", "401 days"),
            (
                "starting_at=2026-1-1&ending_at=2026-01-02",
                "starting_at must be a date",
            ),
            (
                "starting_at=2026-01-01&ending_at=2026-02-30",
                "ending_at must be a date",
            ),
            (
                "starting_at=2026-01-01&ending_at=2026-01-02&limit=5",
                "unknown parameter “limit”",
            ),
            (
                "starting_at=2026-01-01&ending_at=2026-01-02&ending_at=2026-01-03",
                "given twice",
            ),
        ] {
            match range(query) {
                Err(Error::BadRequest(message)) => {
                    assert!(message.contains(says), "{query}: {message}")
                }
                other => panic!("{query}: {other:?}"),
            }
        }
        assert!(range("starting_at=2025-01-15&ending_at=2026-01-14").is_ok());
    }
    #[test]
    fn a_summary_narrowed_to_one_member() {
        let today = day(2026, 1, 15);
        let base = "starting_at=2026-01-01&ending_at=2026-01-10";
        let member = |extra: &str| parse_summary(Some(&format!("{base}&{extra}")), today);
        assert_eq!(parse_summary(Some(base), today).unwrap().member, None);
        let user = member("email_address=ana%2Bci%40example.com").unwrap();
        assert_eq!(
            user.member,
            Some(MemberRef::User("ana+ci@example.com".into()))
        );
        assert_eq!(
            (user.range.start(), user.range.end()),
            (day(2026, 1, 1), day(2026, 1, 10))
        );
        // A `+` in a query is a space (form encoding): sent raw, it is not this email.
        assert_eq!(
            member("email_address=ana+ci@example.com").unwrap().member,
            Some(MemberRef::User("ana ci@example.com".into()))
        );
        assert_eq!(
            member("api_key_name=team%20a%2Fb%20%23%E2%9C%93")
                .unwrap()
                .member,
            Some(MemberRef::ApiKey("team a/b #✓".into()))
        );
        // Before the range, or after it: the order of parameters is free.
        assert_eq!(
            parse_summary(
                Some("api_key_name=ci&starting_at=2026-01-01&ending_at=2026-01-02"),
                today
            )
            .unwrap()
            .member,
            Some(MemberRef::ApiKey("ci".into()))
        );
        let longest = "a".repeat(MAX_MEMBER_LEN - 12) + "@example.com";
        assert!(member(&format!("email_address={longest}")).is_ok());
        // 320 characters of several bytes each are still 320 characters.
        assert!(member(&format!("api_key_name={}", "é".repeat(MAX_MEMBER_LEN))).is_ok());
        for (extra, says) in [
            ("email_address=", "email_address is empty"),
            ("api_key_name=", "api_key_name is empty"),
            (
                "email_address=a@example.com&api_key_name=ci",
                "give email_address or api_key_name, not both",
            ),
            (
                "api_key_name=ci&email_address=a@example.com",
                "give email_address or api_key_name, not both",
            ),
            (
                "email_address=a@example.com&email_address=b@example.com",
                "parameter “email_address” given twice",
            ),
            (
                "api_key_name=ci&api_key_name=ci",
                "parameter “api_key_name” given twice",
            ),
            (
                "email_address=a%0A@example.com",
                "email_address holds a control character",
            ),
            (
                "api_key_name=ci%00",
                "api_key_name holds a control character",
            ),
            (
                "api_key_name=ci%C2%85",
                "api_key_name holds a control character",
            ),
            (
                "email_address=%FF%FE@example.com",
                "email_address is not valid UTF-8",
            ),
            ("member=a@example.com", "unknown parameter “member”"),
            ("email=a@example.com", "unknown parameter “email”"),
        ] {
            match member(extra) {
                Err(Error::BadRequest(message)) => {
                    assert!(message.contains(says), "{extra}: {message}");
                    assert!(!message.contains("example.com"), "{extra}: {message}");
                }
                other => panic!("{extra}: {other:?}"),
            }
        }
        let long = format!("email_address={}@example.com", "a".repeat(MAX_MEMBER_LEN));
        match member(&long) {
            Err(Error::BadRequest(message)) => {
                assert_eq!(message, "email_address is longer than 320 characters")
            }
            other => panic!("{other:?}"),
        }
        // The range is still checked with a member.
        assert!(matches!(
            parse_summary(Some("email_address=a@example.com"), today),
            Err(Error::BadRequest(m)) if m == "starting_at is required"
        ));
    }
}
