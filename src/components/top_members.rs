//! The overview's leaderboards: the top members of the range by lines, by
//! spend, by sessions or by pull requests, one at a time through a toggle;
//! each member links to its member page.

use cca_core::leaderboard::{board_csv, member_href, top_members, Board};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::table_head::CsvButton;
use crate::csv::range_file_name;
use crate::model::dates::DateRange;
use crate::state::AppContext;
use crate::team_table::TeamRow;

/// The top members over the overview's range; the spend board only for a
/// viewer who may see spend; the CSV is the board shown.
#[component]
pub fn TopMembers(
    rows: Memo<Vec<TeamRow>>,
    #[prop(into)] range: Signal<DateRange>,
    show_spend: bool,
) -> impl IntoView {
    let base = AppContext::expect().config.router_base.clone();
    // The member page opens on the overview's range.
    let search = use_location().search;
    // The board shown, as its index in `Board::ALL`: a signal of a type the
    // app already has (a new signal type costs about a kilobyte of wasm).
    let shown = RwSignal::new(0usize);
    let board = move || Board::ALL.get(shown.get()).copied().unwrap_or(Board::Lines);
    let buttons = Board::offered(show_spend)
        .map(|option| {
            let index = Board::ALL.iter().position(|b| *b == option).unwrap_or(0);
            let pressed = move || {
                if shown.get() == index {
                    "true"
                } else {
                    "false"
                }
            };
            view! {
                <button
                    type="button"
                    class="cca-segmented__option"
                    data-board=option.key()
                    aria-pressed=pressed
                    on:click=move |_| shown.set(index)
                >
                    {option.label()}
                </button>
            }
        })
        .collect_view();
    let file = Callback::new(move |()| {
        let board = Board::ALL[shown.get_untracked().min(Board::ALL.len() - 1)];
        let text = rows.with_untracked(|rows| board_csv(rows, &top_members(rows, board), board));
        (
            range_file_name(board.file_stem(), range.get_untracked()),
            text,
        )
    });
    // One reactive closure draws the whole table: a toggle rebuilds it, and
    // each reactive piece of a view is its own code in the wasm.
    let table = move || {
        let board = board();
        let query = search.get();
        rows.with(|rows| {
            let top = top_members(rows, board);
            let empty = top.is_empty().then(|| {
                if rows.is_empty() {
                    "No members in this range"
                } else {
                    board.empty_text()
                }
            });
            let members = top
                .into_iter()
                .filter_map(|i| rows.get(i))
                .map(|row| {
                    // A member of a kind the app does not know has no page:
                    // an `a` without `href`, which is no link.
                    let href = member_href(row, &base, &query);
                    view! {
                        <tr>
                            <th scope="row">
                                <a class="cca-member-link" href=href>
                                    <span class="cca-table__identity" dir="auto">{row.identity.clone()}</span>
                                </a>
                                " "
                                <span class="cca-kind">{row.kind.label()}</span>
                            </th>
                            <td>{board.figure_text(row)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="cca-table" data-top=board.key()>
                    <caption class="cca-sr-only">{board.caption()}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Member"</th>
                            <th scope="col">{board.heading()}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {empty.map(|text| view! { <tr><td colspan="2" class="cca-table__empty">{text}</td></tr> })}
                        {members}
                    </tbody>
                </table>
            }
        })
    };
    view! {
        <section class="cca-top-members">
            <div class="cca-top-members__head">
                <h2 class="cca-section-title">"Top members"</h2>
                <div class="cca-segmented" role="group" aria-label="Rank the top members by">
                    {buttons}
                </div>
                <CsvButton what="top members" file=file />
            </div>
            <div class="cca-table-wrap">{table}</div>
        </section>
    }
}
