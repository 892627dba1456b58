//! The overview's leaderboards: the top 10 members of the range by lines
//! accepted, by spend, by sessions or by pull requests, each naming the
//! member page it links to. Pure: the selection is tested natively.

use std::cmp::Ordering;

use crate::csv::Csv;
use crate::model::member::MemberRef;
use crate::model::order;
use crate::team_table::{MemberKind, TeamRow};

/// How many members a board lists.
pub const TOP: usize = 10;

/// What a board ranks members by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Board {
    Lines,
    Spend,
    Sessions,
    PullRequests,
}

impl Board {
    /// In the toggle's order.
    pub const ALL: [Board; 4] = [
        Board::Lines,
        Board::Spend,
        Board::Sessions,
        Board::PullRequests,
    ];

    /// The boards a viewer is offered: spend only to one who may see it.
    pub fn offered(show_spend: bool) -> impl Iterator<Item = Board> {
        Board::ALL
            .into_iter()
            .filter(move |board| show_spend || !board.needs_spend())
    }

    pub fn needs_spend(self) -> bool {
        self == Board::Spend
    }

    /// The toggle's button.
    pub fn label(self) -> &'static str {
        match self {
            Board::Lines => "Lines",
            Board::Spend => "Spend",
            Board::Sessions => "Sessions",
            Board::PullRequests => "Pull requests",
        }
    }

    /// The figure's column heading.
    pub fn heading(self) -> &'static str {
        match self {
            Board::Lines => "Lines accepted",
            Board::Spend => "Spend (est.)",
            Board::Sessions => "Sessions",
            Board::PullRequests => "Pull requests",
        }
    }

    /// The table's caption, for a screen reader (the toggle shows it).
    pub fn caption(self) -> &'static str {
        match self {
            Board::Lines => "Top 10 members by lines accepted",
            Board::Spend => "Top 10 members by estimated spend",
            Board::Sessions => "Top 10 members by sessions",
            Board::PullRequests => "Top 10 members by pull requests by Claude Code",
        }
    }

    /// The table's `data-top` and the button's `data-board`.
    pub fn key(self) -> &'static str {
        match self {
            Board::Lines => "lines",
            Board::Spend => "spend",
            Board::Sessions => "sessions",
            Board::PullRequests => "pull-requests",
        }
    }

    /// What the board says when nobody has its figure.
    pub fn empty_text(self) -> &'static str {
        match self {
            Board::Lines => "No lines accepted in this range",
            Board::Spend => "No spend in this range",
            Board::Sessions => "No sessions in this range",
            Board::PullRequests => "No pull requests by Claude Code in this range",
        }
    }

    /// The row's figure as the board orders it; `None` keeps the row off the
    /// board: a zero (a member with no pull request is not a top one) and a
    /// spend withheld from the viewer. Spend orders by dollars; a member
    /// who spent only in another currency (dollars 0) is listed after every
    /// dollar figure, as the team table sorts them.
    fn rank(self, row: &TeamRow) -> Option<u64> {
        let figure = match self {
            Board::Lines => row.lines,
            Board::Sessions => row.sessions,
            Board::PullRequests => row.pull_requests,
            Board::Spend => {
                let cents = row.spend_usd_cents?;
                return (cents > 0 || !row.spend_other.is_empty()).then_some(cents);
            }
        };
        (figure > 0).then_some(figure)
    }

    /// The start of its CSV's file name (`top-members-by-lines`).
    pub fn file_stem(self) -> &'static str {
        match self {
            Board::Lines => "top-members-by-lines",
            Board::Spend => "top-members-by-spend",
            Board::Sessions => "top-members-by-sessions",
            Board::PullRequests => "top-members-by-pull-requests",
        }
    }

    /// The row's figure as the board shows it.
    pub fn figure_text(self, row: &TeamRow) -> String {
        match self {
            Board::Lines => crate::format::full_count(row.lines),
            Board::Sessions => crate::format::full_count(row.sessions),
            Board::PullRequests => crate::format::full_count(row.pull_requests),
            Board::Spend => row.spend_text.clone(),
        }
    }
}

/// The CSV of `board` listing the rows at `order` (what the board shows),
/// in that order: the member, its kind and the board's figure (spend as
/// dollars and the other currencies, as the team CSV writes it).
pub fn board_csv(rows: &[TeamRow], order: &[usize], board: Board) -> String {
    let figure: &[&str] = match board {
        Board::Lines => &["lines_accepted"],
        Board::Spend => &["spend_usd", "spend_other_currencies"],
        Board::Sessions => &["sessions"],
        Board::PullRequests => &["pull_requests"],
    };
    let mut header = vec!["member", "kind"];
    header.extend_from_slice(figure);
    let mut csv = Csv::new(&header);
    for row in order.iter().filter_map(|&i| rows.get(i)) {
        let mut cells = vec![row.identity.clone(), row.kind.label()];
        match board {
            Board::Lines => cells.push(row.lines.to_string()),
            Board::Sessions => cells.push(row.sessions.to_string()),
            Board::PullRequests => cells.push(row.pull_requests.to_string()),
            Board::Spend => cells.extend(row.spend_cells()),
        }
        csv.row(cells);
    }
    csv.finish()
}

/// ASCII letters compared without case, the rest as is: ties read in
/// alphabetical order without folding (and allocating) every identity, which
/// would cost a call into JS per row on a 10,000-member range.
fn identity_order(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
        .then_with(|| a.cmp(b))
}

/// Indices of `rows` on `board`, at most [`TOP`]: biggest figure first, ties
/// by identity (the order is stable, whatever order the rows came in).
pub fn top_members(rows: &[TeamRow], board: Board) -> Vec<usize> {
    let ranks: Vec<Option<u64>> = rows.iter().map(|row| board.rank(row)).collect();
    let mut listed: Vec<usize> = (0..rows.len()).filter(|&i| ranks[i].is_some()).collect();
    order::sort_indices(&mut listed, &|a, b| {
        ranks[b]
            .cmp(&ranks[a])
            .then_with(|| identity_order(&rows[a].identity, &rows[b].identity))
            .then_with(|| rows[a].kind.cmp(&rows[b].kind))
    });
    listed.truncate(TOP);
    listed
}

/// The member page a row links to; `None` for an actor of a kind this app
/// does not know (it has no page).
pub fn member_ref(row: &TeamRow) -> Option<MemberRef> {
    match row.kind {
        MemberKind::User => Some(MemberRef::User(row.identity.clone())),
        MemberKind::ApiKey => Some(MemberRef::ApiKey(row.identity.clone())),
        MemberKind::Other(_) => None,
    }
}

/// The href of `row`'s member page under `router_base`, with the page's
/// query (`?from=…&to=…`, or empty) so that it opens on the same range.
pub fn member_href(row: &TeamRow, router_base: &str, query: &str) -> Option<String> {
    let path = crate::paths::join_base(router_base, &member_ref(row)?.path());
    let query = query.trim_start_matches('?');
    Some(if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::record::Actor;
    use crate::model::team::ActorTotals;
    use crate::model::totals::Spend;
    use crate::team_table::fold_case;

    /// A row through the constructor the app uses.
    fn row(actor: Actor, lines: u64, sessions: u64, prs: u64, spend: &[(&str, u64)]) -> TeamRow {
        let mut money = Spend::new();
        for (currency, minor) in spend {
            money.add(currency, *minor);
        }
        let totals = ActorTotals {
            actor,
            spend: money,
            lines_added: lines,
            lines_removed: 0,
            sessions,
            decisions: Default::default(),
            commits: 0,
            pull_requests: prs,
            tokens: 0,
            days_active: 1,
            last_active: NaiveDate::from_ymd_opt(2025, 9, 8).unwrap(),
        };
        let text = crate::format::spend_text(&totals.spend);
        TeamRow::from_totals(&totals, text, fold_case)
    }

    use crate::model::fixture::{api_key as key, user};

    fn names(rows: &[TeamRow], board: Board) -> Vec<&str> {
        top_members(rows, board)
            .into_iter()
            .map(|i| rows[i].identity.as_str())
            .collect()
    }

    /// The hand-made organization's Sep 8 – 10 (see `model::fixture`).
    fn fixture_rows() -> Vec<TeamRow> {
        vec![
            row(user("alice@example.com"), 160, 9, 2, &[("USD", 275)]),
            row(user("bob@example.com"), 40, 3, 0, &[("EUR", 300)]),
            row(key("ci-bot"), 15, 4, 0, &[("USD", 38)]),
        ]
    }

    #[test]
    fn each_board_orders_the_fixture() {
        let rows = fixture_rows();
        assert_eq!(
            names(&rows, Board::Lines),
            ["alice@example.com", "bob@example.com", "ci-bot"]
        );
        // Euros only: after every dollar figure.
        assert_eq!(
            names(&rows, Board::Spend),
            ["alice@example.com", "ci-bot", "bob@example.com"]
        );
        assert_eq!(
            names(&rows, Board::Sessions),
            ["alice@example.com", "ci-bot", "bob@example.com"]
        );
        // Nobody else made a pull request: a board of one, not of zeros.
        assert_eq!(names(&rows, Board::PullRequests), ["alice@example.com"]);
        let texts: Vec<String> = top_members(&rows, Board::Spend)
            .into_iter()
            .map(|i| Board::Spend.figure_text(&rows[i]))
            .collect();
        assert_eq!(texts, ["$2.75", "$0.38", "3.00 EUR"]);
        assert_eq!(Board::Lines.figure_text(&rows[0]), "160");
    }

    #[test]
    fn each_boards_csv_lists_what_it_shows() {
        let mut rows = fixture_rows();
        rows.push(row(key("=HYPERLINK(\"x\")"), 1, 1, 0, &[]));
        let csv = |board| board_csv(&rows, &top_members(&rows, board), board);
        assert_eq!(
            csv(Board::Lines),
            "member,kind,lines_accepted\nalice@example.com,User,160\nbob@example.com,User,40\n\
             ci-bot,API key,15\n\"'=HYPERLINK(\"\"x\"\")\",API key,1\n"
        );
        assert_eq!(
            csv(Board::Spend),
            "member,kind,spend_usd,spend_other_currencies\nalice@example.com,User,2.75,\n\
             ci-bot,API key,0.38,\nbob@example.com,User,0.00,3.00 EUR\n"
        );
        assert_eq!(
            csv(Board::Sessions).lines().nth(1),
            Some("alice@example.com,User,9")
        );
        assert_eq!(
            csv(Board::PullRequests),
            "member,kind,pull_requests\nalice@example.com,User,2\n"
        );
        assert_eq!(
            Board::PullRequests.file_stem(),
            "top-members-by-pull-requests"
        );
    }

    #[test]
    fn ties_go_by_identity_whatever_the_order_of_the_rows() {
        let mut rows = vec![
            row(user("carol@example.com"), 50, 1, 1, &[("USD", 10)]),
            row(user("Bob@example.com"), 50, 1, 1, &[("USD", 10)]),
            row(key("alpha-key"), 50, 1, 1, &[("USD", 10)]),
            row(user("dave@example.com"), 80, 1, 1, &[("USD", 10)]),
        ];
        let expected = [
            "dave@example.com",
            "alpha-key",
            "Bob@example.com",
            "carol@example.com",
        ];
        assert_eq!(names(&rows, Board::Lines), expected);
        rows.reverse();
        assert_eq!(names(&rows, Board::Lines), expected);
        // All equal: identity alone.
        assert_eq!(
            names(&rows, Board::Sessions),
            [
                "alpha-key",
                "Bob@example.com",
                "carol@example.com",
                "dave@example.com"
            ]
        );
        // A user and a key of one name: the user first, every time.
        let same = vec![
            row(key("x@example.com"), 5, 1, 0, &[]),
            row(user("x@example.com"), 5, 1, 0, &[]),
        ];
        assert_eq!(top_members(&same, Board::Lines), [1, 0]);
    }

    #[test]
    fn ten_at_most_and_fewer_when_there_are_fewer() {
        let rows: Vec<TeamRow> = (0..25)
            .map(|i| {
                let email = format!("member{i:02}@example.com");
                row(user(&email), 100 + i, 1, i % 3, &[("USD", 1000 - i)])
            })
            .collect();
        let lines = names(&rows, Board::Lines);
        assert_eq!(lines.len(), TOP);
        assert_eq!(lines[0], "member24@example.com");
        assert_eq!(lines[9], "member15@example.com");
        let spend = names(&rows, Board::Spend);
        assert_eq!(
            (spend[0], spend[9]),
            ("member00@example.com", "member09@example.com")
        );
        // Pull requests 2, 1 or 0: the 2s first by identity, then the 1s;
        // members with none are left off.
        let prs = names(&rows, Board::PullRequests);
        assert_eq!(prs.len(), TOP);
        assert_eq!(
            &prs[..3],
            [
                "member02@example.com",
                "member05@example.com",
                "member08@example.com"
            ]
        );
        assert_eq!(
            names(&rows[..3], Board::Lines),
            [
                "member02@example.com",
                "member01@example.com",
                "member00@example.com"
            ]
        );
        assert!(top_members(&[], Board::Lines).is_empty());
    }

    #[test]
    fn withheld_and_zero_spend_stay_off_the_spend_board() {
        let mut rows = fixture_rows();
        rows.push(row(user("zero@example.com"), 1, 1, 0, &[]));
        // Spend withheld from the viewer: unknown, so not ranked (never as $0).
        let mut hidden = row(user("hidden@example.com"), 999, 99, 9, &[("USD", 99_999)]);
        hidden.spend_usd_cents = None;
        hidden.spend_text = "—".to_owned();
        rows.push(hidden);
        assert_eq!(
            names(&rows, Board::Spend),
            ["alice@example.com", "ci-bot", "bob@example.com"]
        );
        // Its other figures still count.
        assert_eq!(names(&rows, Board::Lines)[0], "hidden@example.com");
        // Every row withheld: an empty spend board.
        for row in &mut rows {
            row.spend_usd_cents = None;
        }
        assert!(top_members(&rows, Board::Spend).is_empty());
        assert_eq!(Board::Spend.empty_text(), "No spend in this range");
    }

    #[test]
    fn spend_is_offered_only_to_viewers_who_may_see_it() {
        assert_eq!(Board::offered(true).collect::<Vec<_>>(), Board::ALL);
        assert_eq!(
            Board::offered(false).collect::<Vec<_>>(),
            [Board::Lines, Board::Sessions, Board::PullRequests]
        );
        // The caption names the board's length.
        assert!(Board::ALL
            .iter()
            .all(|b| b.caption().starts_with(&format!("Top {TOP} members by "))));
        let keys: Vec<_> = Board::ALL.iter().map(|b| b.key()).collect();
        assert_eq!(keys, ["lines", "spend", "sessions", "pull-requests"]);
    }

    #[test]
    fn members_link_to_their_page_with_the_range_and_unknown_kinds_do_not() {
        let rows = fixture_rows();
        assert_eq!(
            member_href(&rows[0], "/claude-code", "?from=2025-09-08&to=2025-09-10").as_deref(),
            Some("/claude-code/team/alice@example.com?from=2025-09-08&to=2025-09-10")
        );
        assert_eq!(
            member_href(&rows[2], "/", "").as_deref(),
            Some("/team/key:ci-bot")
        );
        assert_eq!(
            member_href(&rows[2], "/static/cca/", "range=30d").as_deref(),
            Some("/static/cca/team/key:ci-bot?range=30d")
        );
        // Escaped as the member page reads it back.
        let odd = row(key("build key/#1"), 1, 1, 0, &[]);
        assert_eq!(
            member_href(&odd, "/claude-code", "").as_deref(),
            Some("/claude-code/team/key:build%20key%2F%231")
        );
        let other = row(
            Actor::Other {
                kind: "service_actor".into(),
                id: Some("svc".into()),
            },
            10,
            1,
            0,
            &[],
        );
        assert_eq!(member_ref(&other), None);
        assert_eq!(member_href(&other, "/claude-code", ""), None);
        // Still on the board, without a link.
        assert_eq!(names(&[other], Board::Lines), ["svc"]);
    }
}
