//! The team table's rows, sorting, filtering, paging and CSV. Pure: tested
//! natively, and fast enough for 10,000 members.

use std::cmp::Ordering;

use chrono::NaiveDate;

use crate::csv::{self, Csv};
use crate::format;
use crate::model::order;
use crate::model::record::Actor;
use crate::model::team::ActorTotals;
use crate::model::totals::Decisions;

/// Rows per page of the table.
pub const PAGE_SIZE: usize = 50;

/// How a member authenticates.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MemberKind {
    /// OAuth user, shown by email.
    User,
    /// API key, shown by its name.
    ApiKey,
    /// An actor type this app does not know, shown by its wire type.
    Other(String),
}

impl MemberKind {
    pub fn of(actor: &Actor) -> Self {
        match actor {
            Actor::User { .. } => MemberKind::User,
            Actor::ApiKey { .. } => MemberKind::ApiKey,
            Actor::Other { kind, .. } => MemberKind::Other(kind.clone()),
        }
    }

    pub fn label(&self) -> String {
        match self {
            MemberKind::User => "User".to_owned(),
            MemberKind::ApiKey => "API key".to_owned(),
            MemberKind::Other(kind) => format!("Other ({kind})"),
        }
    }
}

/// One member's row.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamRow {
    pub kind: MemberKind,
    pub identity: String,
    /// Lower-cased identity for filtering.
    identity_folded: String,
    /// USD spend in cents (the sort key); other currencies are in
    /// `spend_text`. `None` when the cost was withheld from the viewer.
    pub spend_usd_cents: Option<u64>,
    pub spend_text: String,
    /// Spend in currencies other than USD (`"3.00 EUR"`, `"; "`-separated), for the CSV.
    pub spend_other: String,
    pub lines: u64,
    pub sessions: u64,
    /// Edits accepted and rejected (the accept rate's counts, for the CSV).
    pub decisions: Decisions,
    pub accept_rate: Option<f64>,
    pub commits: u64,
    pub pull_requests: u64,
    pub last_active: NaiveDate,
}

impl TeamRow {
    pub fn from_totals(totals: &ActorTotals, spend_text: String, fold: FoldCase) -> Self {
        let identity = totals.actor.identity().to_owned();
        TeamRow {
            kind: MemberKind::of(&totals.actor),
            identity_folded: fold(&identity),
            identity,
            spend_usd_cents: (!totals.spend.is_withheld())
                .then(|| totals.spend.usd_minor().unwrap_or(0)),
            spend_text,
            spend_other: csv::other_currencies(&totals.spend),
            lines: totals.lines_added,
            sessions: totals.sessions,
            decisions: totals.decisions,
            accept_rate: totals.accept_rate(),
            commits: totals.commits,
            pull_requests: totals.pull_requests,
            last_active: totals.last_active,
        }
    }

    /// The row's `spend_usd` and `spend_other_currencies` cells: a withheld
    /// spend is empty, never `0.00`.
    pub fn spend_cells(&self) -> [String; 2] {
        [
            self.spend_usd_cents.map(csv::usd).unwrap_or_default(),
            self.spend_other.clone(),
        ]
    }
}

/// A sortable column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Member,
    Kind,
    Spend,
    Lines,
    Sessions,
    AcceptRate,
    Commits,
    LastActive,
}

impl Column {
    pub const ALL: [Column; 8] = [
        Column::Member,
        Column::Kind,
        Column::Spend,
        Column::Lines,
        Column::Sessions,
        Column::AcceptRate,
        Column::Commits,
        Column::LastActive,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Column::Member => "Member",
            Column::Kind => "Kind",
            Column::Spend => "Spend this month",
            Column::Lines => "Lines this month",
            Column::Sessions => "Sessions",
            Column::AcceptRate => "Accept rate",
            Column::Commits => "Commits",
            Column::LastActive => "Last active",
        }
    }

    /// The column's heading over `month`'s figures: `None` for the month
    /// under way ("Spend this month"), else the month's name ("Spend in
    /// October 2026").
    pub fn heading(self, past_month: Option<&str>) -> String {
        match (self, past_month) {
            (Column::Spend, Some(month)) => format!("Spend in {month}"),
            (Column::Lines, Some(month)) => format!("Lines in {month}"),
            _ => self.label().to_owned(),
        }
    }

    /// Text columns start ascending, numbers descending (biggest first).
    pub fn default_descending(self) -> bool {
        !matches!(self, Column::Member | Column::Kind)
    }
}

/// Sort order of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortOrder {
    pub column: Column,
    pub descending: bool,
}

impl Default for SortOrder {
    fn default() -> Self {
        SortOrder {
            column: Column::Spend,
            descending: true,
        }
    }
}

impl SortOrder {
    /// The first order: by spend, or by lines for a viewer who may not see spend.
    pub fn initial(show_spend: bool) -> Self {
        if show_spend {
            SortOrder::default()
        } else {
            SortOrder {
                column: Column::Lines,
                descending: true,
            }
        }
    }

    /// Clicking a header: same column flips, another column starts at its default.
    pub fn toggled(self, column: Column) -> Self {
        if self.column == column {
            SortOrder {
                column,
                descending: !self.descending,
            }
        } else {
            SortOrder {
                column,
                descending: column.default_descending(),
            }
        }
    }
}

/// Whether `row` has no figure in `column` (no decision, spend withheld):
/// such rows go last whichever way the column is sorted.
fn missing(row: &TeamRow, column: Column) -> bool {
    match column {
        Column::AcceptRate => row.accept_rate.is_none(),
        Column::Spend => row.spend_usd_cents.is_none(),
        _ => false,
    }
}

fn compare(a: &TeamRow, b: &TeamRow, column: Column) -> Ordering {
    match column {
        Column::Member => a.identity_folded.cmp(&b.identity_folded),
        Column::Kind => a.kind.cmp(&b.kind),
        Column::Spend => a.spend_usd_cents.cmp(&b.spend_usd_cents),
        Column::Lines => a.lines.cmp(&b.lines),
        Column::Sessions => a.sessions.cmp(&b.sessions),
        Column::AcceptRate => a
            .accept_rate
            .unwrap_or(-1.0)
            .total_cmp(&b.accept_rate.unwrap_or(-1.0)),
        Column::Commits => a.commits.cmp(&b.commits),
        Column::LastActive => a.last_active.cmp(&b.last_active),
    }
}

/// Which rows to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamFilter {
    /// Case-insensitive substring of the identity.
    pub text: String,
    /// `None` = every kind.
    pub kind: Option<MemberKind>,
}

/// Lowercases text for case-insensitive matching and ordering: Unicode's
/// default mapping, without a locale (the mapping JS's `toLowerCase` applies
/// too). Passed in rather than called, so that the browser can lowercase
/// non-ASCII text with JS: Rust's own mapping brings its Unicode case tables
/// into the wasm, where nothing else uses them.
pub type FoldCase = fn(&str) -> String;

/// [`FoldCase`] with Rust's tables, for native code and the tests.
pub fn fold_case(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

/// Indices of `rows` that pass `filter`, in `order` (ties by identity, stable).
pub fn visible_rows(
    rows: &[TeamRow],
    filter: &TeamFilter,
    order: SortOrder,
    fold: FoldCase,
) -> Vec<usize> {
    let needle = fold(filter.text.trim());
    let mut indices: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, row)| {
            (needle.is_empty() || row.identity_folded.contains(&needle))
                && filter.kind.as_ref().is_none_or(|k| *k == row.kind)
        })
        .map(|(i, _)| i)
        .collect();
    order::sort_indices(&mut indices, &|a, b| {
        let (ra, rb) = (&rows[a], &rows[b]);
        let primary = compare(ra, rb, order.column);
        let primary = if order.descending {
            primary.reverse()
        } else {
            primary
        };
        missing(ra, order.column)
            .cmp(&missing(rb, order.column))
            .then(primary)
            .then_with(|| ra.identity_folded.cmp(&rb.identity_folded))
    });
    indices
}

/// Number of pages for `count` rows (at least 1).
pub fn page_count(count: usize) -> usize {
    count.div_ceil(PAGE_SIZE).max(1)
}

/// Every row (in the given order) as CSV with raw numbers, the accept rate
/// beside its counts. Without `with_spend` (a viewer who may not see spend)
/// the two spend columns are left out; a withheld spend is an empty field,
/// never `0.00`.
pub fn team_csv(rows: &[TeamRow], order: &[usize], with_spend: bool) -> String {
    const SPEND: [&str; 2] = ["spend_usd", "spend_other_currencies"];
    let header: Vec<&str> = [
        "member",
        "kind",
        SPEND[0],
        SPEND[1],
        "lines_accepted",
        "sessions",
        "edits_accepted",
        "edits_rejected",
        "accept_rate",
        "commits",
        "pull_requests",
        "last_active",
    ]
    .into_iter()
    .filter(|column| with_spend || !SPEND.contains(column))
    .collect();
    let mut out = Csv::new(&header);
    for row in order.iter().filter_map(|&i| rows.get(i)) {
        let mut cells = vec![row.identity.clone(), row.kind.label()];
        if with_spend {
            cells.extend(row.spend_cells());
        }
        cells.extend([
            row.lines.to_string(),
            row.sessions.to_string(),
            row.decisions.accepted.to_string(),
            row.decisions.rejected.to_string(),
            csv::rate(row.accept_rate),
            row.commits.to_string(),
            row.pull_requests.to_string(),
            format::iso_date(row.last_active),
        ]);
        out.row(cells);
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(identity: &str, kind: MemberKind, cents: u64, lines: u64, rate: Option<f64>) -> TeamRow {
        TeamRow {
            kind,
            identity_folded: fold_case(identity),
            identity: identity.to_owned(),
            spend_usd_cents: Some(cents),
            spend_text: String::new(),
            spend_other: String::new(),
            lines,
            sessions: 1,
            // Tenths of ten decisions, so the rate and its counts agree.
            decisions: rate
                .map(|r| {
                    let accepted = (r * 10.0).round() as u64;
                    Decisions::new(accepted, 10 - accepted)
                })
                .unwrap_or_default(),
            accept_rate: rate,
            commits: 0,
            pull_requests: 0,
            last_active: NaiveDate::from_ymd_opt(2025, 9, 8).unwrap(),
        }
    }

    fn sample() -> Vec<TeamRow> {
        vec![
            row("carol@example.com", MemberKind::User, 500, 10, Some(0.5)),
            row("ci-bot", MemberKind::ApiKey, 1500, 300, None),
            row("Alice@example.com", MemberKind::User, 900, 200, Some(0.9)),
        ]
    }

    #[test]
    fn rows_without_a_value_sort_last_both_ways() {
        let mut rows = vec![
            row("a@example.com", MemberKind::User, 100, 10, Some(0.5)),
            row("b@example.com", MemberKind::User, 200, 20, None),
            row("c@example.com", MemberKind::User, 300, 30, Some(0.9)),
        ];
        rows[2].spend_usd_cents = None;
        let all = TeamFilter::default();
        let names = |column: Column, descending: bool| -> Vec<String> {
            visible_rows(&rows, &all, SortOrder { column, descending }, fold_case)
                .into_iter()
                .map(|i| rows[i].identity.clone())
                .collect()
        };
        assert_eq!(
            names(Column::AcceptRate, true),
            ["c@example.com", "a@example.com", "b@example.com"]
        );
        assert_eq!(
            names(Column::AcceptRate, false),
            ["a@example.com", "c@example.com", "b@example.com"]
        );
        assert_eq!(
            names(Column::Spend, true),
            ["b@example.com", "a@example.com", "c@example.com"]
        );
        assert_eq!(
            names(Column::Spend, false),
            ["a@example.com", "b@example.com", "c@example.com"]
        );
    }

    #[test]
    fn past_months_name_their_month_in_the_headings() {
        assert_eq!(Column::Spend.heading(None), "Spend this month");
        assert_eq!(
            Column::Spend.heading(Some("October 2026")),
            "Spend in October 2026"
        );
        assert_eq!(
            Column::Lines.heading(Some("October 2026")),
            "Lines in October 2026"
        );
        assert_eq!(Column::Sessions.heading(Some("October 2026")), "Sessions");
    }

    #[test]
    fn sorts_by_every_column_both_ways() {
        let rows = sample();
        let by = |column, descending| {
            visible_rows(
                &rows,
                &TeamFilter::default(),
                SortOrder { column, descending },
                fold_case,
            )
        };
        assert_eq!(by(Column::Spend, true), vec![1, 2, 0]);
        assert_eq!(by(Column::Spend, false), vec![0, 2, 1]);
        assert_eq!(by(Column::Member, false), vec![2, 0, 1]);
        assert_eq!(by(Column::Lines, true), vec![1, 2, 0]);
        // No rate sorts below any rate.
        assert_eq!(by(Column::AcceptRate, true), vec![2, 0, 1]);
        assert_eq!(by(Column::Kind, false), vec![2, 0, 1]);
    }

    #[test]
    fn filters_by_text_and_kind() {
        let rows = sample();
        let order = SortOrder::default();
        let text = TeamFilter {
            text: "ALICE".into(),
            kind: None,
        };
        assert_eq!(visible_rows(&rows, &text, order, fold_case), vec![2]);
        let keys = TeamFilter {
            text: String::new(),
            kind: Some(MemberKind::ApiKey),
        };
        assert_eq!(visible_rows(&rows, &keys, order, fold_case), vec![1]);
        let none = TeamFilter {
            text: "zzz".into(),
            kind: None,
        };
        assert!(visible_rows(&rows, &none, order, fold_case).is_empty());
    }

    #[test]
    fn folds_case_like_unicode() {
        assert_eq!(
            fold_case("Alice.O'Brien@Example.COM"),
            "alice.o'brien@example.com"
        );
        assert_eq!(fold_case("ÉLODIE@EXAMPLE.COM"), "élodie@example.com");
        // Final sigma, and a letter that grows when lowercased (İ: two chars).
        assert_eq!(fold_case("ΟΔΟΣ-İ"), "οδος-i\u{307}");
        let rows = vec![row("ÉLODIE@example.com", MemberKind::User, 1, 1, None)];
        let filter = TeamFilter {
            text: " élodie ".into(),
            kind: None,
        };
        assert_eq!(
            visible_rows(&rows, &filter, SortOrder::default(), fold_case),
            vec![0]
        );
    }

    #[test]
    fn toggling_sort() {
        let order = SortOrder::default();
        assert_eq!(
            order.toggled(Column::Spend),
            SortOrder {
                column: Column::Spend,
                descending: false
            }
        );
        assert_eq!(
            order.toggled(Column::Member),
            SortOrder {
                column: Column::Member,
                descending: false
            }
        );
        assert_eq!(
            order.toggled(Column::Lines),
            SortOrder {
                column: Column::Lines,
                descending: true
            }
        );
    }

    #[test]
    fn csv_has_every_row_and_defuses_formulas() {
        let mut rows = sample();
        rows.push(row("=HYPERLINK(\"x\")", MemberKind::ApiKey, 1, 1, None));
        rows[1].spend_other = "3.00 EUR; 1,000.00 JPY".into();
        let order: Vec<usize> = (0..rows.len()).collect();
        assert_eq!(
            team_csv(&rows, &order, true),
            "member,kind,spend_usd,spend_other_currencies,lines_accepted,sessions,edits_accepted,edits_rejected,accept_rate,commits,pull_requests,last_active\n\
             carol@example.com,User,5.00,,10,1,5,5,0.5000,0,0,2025-09-08\n\
             ci-bot,API key,15.00,\"3.00 EUR; 1,000.00 JPY\",300,1,0,0,,0,0,2025-09-08\n\
             Alice@example.com,User,9.00,,200,1,9,1,0.9000,0,0,2025-09-08\n\
             \"'=HYPERLINK(\"\"x\"\")\",API key,0.01,,1,1,0,0,,0,0,2025-09-08\n"
        );
    }

    #[test]
    fn csv_without_spend_has_no_spend_columns_and_withheld_spend_is_blank() {
        let mut rows = sample();
        rows[0].spend_usd_cents = None;
        let order: Vec<usize> = (0..rows.len()).collect();
        let csv = team_csv(&rows, &order, false);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "member,kind,lines_accepted,sessions,edits_accepted,edits_rejected,accept_rate,commits,pull_requests,last_active"
        );
        assert_eq!(
            lines[1],
            "carol@example.com,User,10,1,5,5,0.5000,0,0,2025-09-08"
        );
        assert!(!csv.contains("spend"));
        let csv = team_csv(&rows, &order, true);
        assert_eq!(
            csv.lines().nth(1),
            Some("carol@example.com,User,,,10,1,5,5,0.5000,0,0,2025-09-08")
        );
        assert_eq!(SortOrder::initial(false).column, Column::Lines);
        assert_eq!(SortOrder::initial(true), SortOrder::default());
    }

    #[test]
    fn pages() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(50), 1);
        assert_eq!(page_count(51), 2);
        assert_eq!(page_count(10_000), 200);
    }
}
