//! The team table's view in the URL — its sort, filter and page
//! (`?month=2026-11&sort=lines&dir=asc&q=ali&kind=api&page=2`) — so that a
//! reload or a shared link shows the same rows; what a bad value falls back
//! to; and what the page says of a filtered view: the message when no
//! member matches, the CSV's file name.

use chrono::NaiveDate;

use crate::model::dates::iso_month;
use crate::paths::encode_query;
use crate::team_table::{page_count, Column, MemberKind, SortOrder, TeamFilter};

pub const SORT: &str = "sort";
pub const DIR: &str = "dir";
pub const QUERY: &str = "q";
pub const KIND: &str = "kind";
pub const PAGE: &str = "page";

/// The longest filter text read from a URL, in characters: no identity is
/// longer than this in practice, and a hostile link stays cheap to show.
const MAX_QUERY_CHARS: usize = 200;

/// How much of the filter text a message quotes, in characters.
const QUOTED_CHARS: usize = 60;

/// A column's name in the URL.
pub fn column_key(column: Column) -> &'static str {
    match column {
        Column::Member => "member",
        Column::Kind => "kind",
        Column::Spend => "spend",
        Column::Lines => "lines",
        Column::Sessions => "sessions",
        Column::AcceptRate => "accept_rate",
        Column::Commits => "commits",
        Column::LastActive => "last_active",
    }
}

fn column_of(key: &str) -> Option<Column> {
    Column::ALL.into_iter().find(|c| column_key(*c) == key)
}

/// The kind filter's name in the URL (and the kind select's value).
pub fn kind_key(kind: &MemberKind) -> Option<&'static str> {
    match kind {
        MemberKind::User => Some("user"),
        MemberKind::ApiKey => Some("api"),
        MemberKind::Other(_) => None,
    }
}

/// The kind named by `key`; anything else is every kind.
pub fn kind_of(key: &str) -> Option<MemberKind> {
    match key {
        "user" => Some(MemberKind::User),
        "api" => Some(MemberKind::ApiKey),
        _ => None,
    }
}

/// How the team table orders and filters its month's members (its page is
/// apart: [`page_from_query`], so that paging sorts nothing again).
#[derive(Debug, Clone, PartialEq)]
pub struct TeamView {
    pub order: SortOrder,
    pub filter: TeamFilter,
}

impl TeamView {
    /// The view with nothing in the URL.
    pub fn initial(show_spend: bool) -> Self {
        TeamView {
            order: SortOrder::initial(show_spend),
            filter: TeamFilter::default(),
        }
    }

    /// Reads the view from the URL's parameters. Each bad value falls back
    /// on its own: an unknown sort key (or spend for a viewer who may not
    /// see it) to the initial order, an unknown direction to the column's
    /// own, an unknown kind to every kind.
    pub fn from_query<'a>(param: impl Fn(&str) -> Option<&'a str>, show_spend: bool) -> Self {
        let initial = SortOrder::initial(show_spend);
        let order = match param(SORT).and_then(column_of) {
            Some(Column::Spend) if !show_spend => initial,
            Some(column) => SortOrder {
                column,
                descending: match param(DIR) {
                    Some("asc") => false,
                    Some("desc") => true,
                    _ => column.default_descending(),
                },
            },
            None => initial,
        };
        let text = param(QUERY)
            .map(|q| q.chars().take(MAX_QUERY_CHARS).collect())
            .unwrap_or_default();
        TeamView {
            order,
            filter: TeamFilter {
                text,
                kind: param(KIND).and_then(kind_of),
            },
        }
    }

    /// The URL parameters of this view on page `page` (from 0): `None` for
    /// one at its default, which the URL leaves out (a plain `/team` is the
    /// initial view's first page).
    pub fn params(&self, show_spend: bool, page: usize) -> [(&'static str, Option<String>); 5] {
        let sorted = self.order != SortOrder::initial(show_spend);
        [
            (
                SORT,
                sorted.then(|| column_key(self.order.column).to_owned()),
            ),
            (
                DIR,
                sorted.then(|| if self.order.descending { "desc" } else { "asc" }.to_owned()),
            ),
            (
                QUERY,
                Some(self.filter.text.clone()).filter(|t| !t.is_empty()),
            ),
            (
                KIND,
                self.filter
                    .kind
                    .as_ref()
                    .and_then(kind_key)
                    .map(str::to_owned),
            ),
            (PAGE, (page > 0).then(|| (page + 1).to_string())),
        ]
    }
}

/// The page asked for in `?page=N`, counted from 0 (the URL counts from 1).
/// Anything but a whole number from 1 up is the first page; a number too big
/// to read is past the end, which [`shown_page`] makes the last.
pub fn page_from_query(value: Option<&str>) -> usize {
    value
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        // Digits only, so parsing fails only on overflow.
        .map(|p| p.parse::<usize>().unwrap_or(usize::MAX))
        .map_or(0, |p| p.saturating_sub(1))
}

/// The page shown of `rows` listed rows: the one asked for, or the last one
/// when it is past the end.
pub fn shown_page(requested: usize, rows: usize) -> usize {
    requested.min(page_count(rows) - 1)
}

/// Whether `filter` leaves anyone out (blank text filters nothing).
pub fn is_filtered(filter: &TeamFilter) -> bool {
    filter.kind.is_some() || !filter.text.trim().is_empty()
}

/// What the page says when no member of a month with members passes the
/// filter: `No member matches “xyz”`, `No API key matches “xyz”`, `No API
/// keys used Claude Code in this month`.
pub fn no_match_message(filter: &TeamFilter) -> String {
    let text = filter.text.trim();
    if text.is_empty() {
        return match filter.kind {
            Some(MemberKind::ApiKey) => "No API keys used Claude Code in this month",
            Some(MemberKind::User) => "No users (email) used Claude Code in this month",
            _ => "No members used Claude Code in this month",
        }
        .to_owned();
    }
    let who = match filter.kind {
        Some(MemberKind::ApiKey) => "API key",
        Some(MemberKind::User) => "user (email)",
        _ => "member",
    };
    let mut quoted: String = text.chars().take(QUOTED_CHARS).collect();
    if text.chars().nth(QUOTED_CHARS).is_some() {
        quoted.push('…');
    }
    format!("No {who} matches “{quoted}”")
}

/// The team CSV's file name: its month, and when a filter leaves members
/// out, says so (`team-2026-11-filtered-api-keys-ci-bot.csv`), with the
/// filter's text only when it is plain enough for a file name.
pub fn team_file_name(month: NaiveDate, filter: &TeamFilter) -> String {
    let mut name = format!("team-{}", iso_month(month));
    if is_filtered(filter) {
        name.push_str("-filtered");
        match filter.kind {
            Some(MemberKind::User) => name.push_str("-users"),
            Some(MemberKind::ApiKey) => name.push_str("-api-keys"),
            _ => {}
        }
        let slug = file_name_part(&filter.text);
        if !slug.is_empty() {
            name.push('-');
            name.push_str(&slug);
        }
    }
    name.push_str(".csv");
    name
}

/// `text` as part of a file name: ASCII letters and digits (lower-cased),
/// `.` and `_` kept, spaces, `@`, `+` and `-` as single dashes, at most 40
/// characters; empty when the text holds anything else (a slash, a quote,
/// a letter outside ASCII, a direction override), which a file name might
/// mangle or a reader misread — the name then says only "filtered".
fn file_name_part(text: &str) -> String {
    let text = text.trim();
    if !text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+' | ' '))
    {
        return String::new();
    }
    let mut out = String::new();
    for c in text.chars() {
        let c = match c {
            ' ' | '@' | '+' | '-' => '-',
            c => c.to_ascii_lowercase(),
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_matches(['-', '.'])
        .chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches(['-', '.'])
        .to_owned()
}

/// The query string `current` (as in the URL, `?` optional) with `changes`
/// made: the pairs of other keys kept as they are, then each `Some` change
/// percent-encoded, in the order given; a `None` only removes its key.
pub fn with_params(current: &str, changes: &[(&str, Option<String>)]) -> String {
    let mut out = String::new();
    for pair in current.trim_start_matches('?').split('&') {
        let key = pair.split_once('=').map_or(pair, |(key, _)| key);
        if !pair.is_empty() && !changes.iter().any(|(k, _)| *k == key) {
            out.push_str(pair);
            out.push('&');
        }
    }
    for (key, value) in changes {
        if let Some(value) = value {
            out.push_str(key);
            out.push('=');
            out.push_str(&encode_query(value));
            out.push('&');
        }
    }
    out.pop();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn view(query: &[(&str, &str)], show_spend: bool) -> TeamView {
        let map: HashMap<&str, &str> = query.iter().copied().collect();
        TeamView::from_query(|k| map.get(k).copied(), show_spend)
    }

    fn order(column: Column, descending: bool) -> SortOrder {
        SortOrder { column, descending }
    }

    #[test]
    fn reads_a_whole_view() {
        let v = view(
            &[
                ("month", "2026-11"),
                ("sort", "lines"),
                ("dir", "asc"),
                ("q", "ali"),
                ("kind", "api"),
                ("page", "2"),
            ],
            true,
        );
        assert_eq!(v.order, order(Column::Lines, false));
        assert_eq!(v.filter.text, "ali");
        assert_eq!(v.filter.kind, Some(MemberKind::ApiKey));
        assert_eq!(page_from_query(Some("2")), 1);
        assert_eq!(page_from_query(None), 0);
        assert_eq!(view(&[], true), TeamView::initial(true));
        assert_eq!(view(&[], false).order, order(Column::Lines, true));
    }

    #[test]
    fn every_column_goes_there_and_back() {
        for column in Column::ALL {
            for descending in [false, true] {
                let v = TeamView {
                    order: order(column, descending),
                    ..TeamView::initial(true)
                };
                let params = v.params(true, 4);
                let map: HashMap<&str, &str> = params
                    .iter()
                    .filter_map(|(k, v)| v.as_deref().map(|v| (*k, v)))
                    .collect();
                assert_eq!(page_from_query(map.get(PAGE).copied()), 4);
                assert_eq!(view(&map.into_iter().collect::<Vec<_>>(), true), v);
            }
        }
    }

    #[test]
    fn bad_values_fall_back_one_by_one() {
        // An unknown sort key: the initial order, whatever the direction.
        let v = view(&[("sort", "salary"), ("dir", "asc"), ("q", "bob")], true);
        assert_eq!(v.order, SortOrder::initial(true));
        assert_eq!(v.filter.text, "bob");
        // Spend for a viewer who may not see it: ordered by lines.
        assert_eq!(
            view(&[("sort", "spend"), ("dir", "asc")], false).order,
            order(Column::Lines, true)
        );
        // An unknown or missing direction: the column's own.
        assert_eq!(
            view(&[("sort", "member"), ("dir", "sideways")], true).order,
            order(Column::Member, false)
        );
        assert_eq!(
            view(&[("sort", "commits")], true).order,
            order(Column::Commits, true)
        );
        // Keys are exact: no case folding, no padding.
        assert_eq!(
            view(&[("sort", "Lines")], true).order,
            SortOrder::initial(true)
        );
        assert_eq!(view(&[("kind", "robots")], true).filter.kind, None);
        assert_eq!(
            view(&[("kind", "user")], true).filter.kind,
            Some(MemberKind::User)
        );
        for page in ["0", "-1", "-3", "1.5", "two", "", " 2", "+2", "0x10"] {
            assert_eq!(page_from_query(Some(page)), 0, "page={page}");
        }
        assert_eq!(page_from_query(Some("007")), 6);
        assert_eq!(
            page_from_query(Some("99999999999999999999999")),
            usize::MAX - 1
        );
        let long = "x".repeat(5_000);
        assert_eq!(
            view(&[("q", long.as_str())], true).filter.text.len(),
            MAX_QUERY_CHARS
        );
    }

    #[test]
    fn a_page_past_the_end_shows_the_last() {
        assert_eq!(shown_page(7, 120), 2);
        assert_eq!(shown_page(7, 0), 0);
        assert_eq!(shown_page(7, 10_000), 7);
        let far = page_from_query(Some("99999999999999999999999"));
        assert_eq!(shown_page(far, 51), 1);
    }

    #[test]
    fn defaults_stay_out_of_the_url() {
        assert!(TeamView::initial(true)
            .params(true, 0)
            .iter()
            .all(|(_, v)| v.is_none()));
        assert!(TeamView::initial(false)
            .params(false, 0)
            .iter()
            .all(|(_, v)| v.is_none()));
        let v = TeamView {
            order: order(Column::Spend, false),
            filter: TeamFilter {
                text: "a b".into(),
                kind: Some(MemberKind::User),
            },
        };
        assert_eq!(
            v.params(true, 2),
            [
                (SORT, Some("spend".to_owned())),
                (DIR, Some("asc".to_owned())),
                (QUERY, Some("a b".to_owned())),
                (KIND, Some("user".to_owned())),
                (PAGE, Some("3".to_owned())),
            ]
        );
        // Lines first, biggest first, is a sorted view for a viewer who
        // sees spend and the initial one for a viewer who does not.
        let by_lines = TeamView {
            order: order(Column::Lines, true),
            ..TeamView::initial(true)
        };
        assert_eq!(by_lines.params(true, 0)[0].1.as_deref(), Some("lines"));
        assert_eq!(by_lines.params(false, 0)[0].1, None);
    }

    #[test]
    fn writes_the_query_keeping_other_keys() {
        // Other keys are kept as written (here already encoded); the
        // changed ones follow in the order given, encoded.
        let current = "?month=2026-11&q=old&range=7d&x=a%20b&page=3";
        assert_eq!(
            with_params(
                current,
                &[
                    (SORT, Some("lines".into())),
                    (QUERY, Some("ali & bob=?".into())),
                    (KIND, None),
                    (PAGE, None),
                ]
            ),
            "month=2026-11&range=7d&x=a%20b&sort=lines&q=ali%20%26%20bob%3D%3F"
        );
        assert_eq!(with_params("", &[(PAGE, None)]), "");
        assert_eq!(with_params("?page=2", &[(PAGE, None)]), "");
        assert_eq!(
            with_params("?", &[("month", Some("2026-10".into()))]),
            "month=2026-10"
        );
        // A key without a value, or an empty pair, is no trouble.
        assert_eq!(with_params("flag&&q=x", &[(QUERY, None)]), "flag");
        assert_eq!(
            encode_query("élodie+x@example.com"),
            "%C3%A9lodie%2Bx%40example.com"
        );
        assert_eq!(encode_query("a-b_c.d~e"), "a-b_c.d~e");
    }

    #[test]
    fn no_match_names_the_filter() {
        let filter = |text: &str, kind| TeamFilter {
            text: text.into(),
            kind,
        };
        assert_eq!(
            no_match_message(&filter(" xyz ", None)),
            "No member matches “xyz”"
        );
        assert_eq!(
            no_match_message(&filter("xyz", Some(MemberKind::ApiKey))),
            "No API key matches “xyz”"
        );
        assert_eq!(
            no_match_message(&filter("xyz", Some(MemberKind::User))),
            "No user (email) matches “xyz”"
        );
        assert_eq!(
            no_match_message(&filter("", Some(MemberKind::ApiKey))),
            "No API keys used Claude Code in this month"
        );
        let long = "y".repeat(100);
        assert_eq!(
            no_match_message(&filter(&long, None)),
            format!("No member matches “{}…”", "y".repeat(60))
        );
    }

    #[test]
    fn the_csv_name_says_when_a_filter_is_applied() {
        let month = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let name = |text: &str, kind| {
            team_file_name(
                month,
                &TeamFilter {
                    text: text.into(),
                    kind,
                },
            )
        };
        assert_eq!(name("", None), "team-2026-11.csv");
        assert_eq!(name("   ", None), "team-2026-11.csv");
        assert_eq!(name("ali", None), "team-2026-11-filtered-ali.csv");
        assert_eq!(
            name(" Alice@Example.com ", None),
            "team-2026-11-filtered-alice-example.com.csv"
        );
        assert_eq!(
            name("", Some(MemberKind::ApiKey)),
            "team-2026-11-filtered-api-keys.csv"
        );
        assert_eq!(
            name("ci bot", Some(MemberKind::ApiKey)),
            "team-2026-11-filtered-api-keys-ci-bot.csv"
        );
        assert_eq!(
            name("", Some(MemberKind::User)),
            "team-2026-11-filtered-users.csv"
        );
        // Text a file name could mangle is left out; the name still says
        // it is filtered.
        for text in [
            "../etc",
            "a/b",
            "élodie",
            "x\u{202e}gpj.exe",
            "\"q\"",
            "..",
            "-@-",
        ] {
            assert_eq!(name(text, None), "team-2026-11-filtered.csv", "{text:?}");
        }
        assert_eq!(
            name(&"ab".repeat(40), None),
            format!("team-2026-11-filtered-{}.csv", "ab".repeat(20))
        );
        assert_eq!(name("--x--", None), "team-2026-11-filtered-x.csv");
    }
}
