//! The overview's top members.

use leptos::prelude::*;

use crate::case_fold::fold_case;
use crate::components::table_head::TableHead;
use crate::csv::range_file_name;
use crate::format;
use crate::model::dates::DateRange;
use crate::table_csv::top_members_csv;
use crate::team_table::{visible_rows, Column, SortOrder, TeamFilter, TeamRow};

/// How many members each table lists.
const TOP: usize = 5;

/// The rows of the top members by `column`, biggest first.
fn top(rows: &[TeamRow], column: Column) -> Vec<usize> {
    let mut order = visible_rows(
        rows,
        &TeamFilter::default(),
        SortOrder {
            column,
            descending: true,
        },
        fold_case,
    );
    order.truncate(TOP);
    order
}

/// The CSV of the top members by `column` over `range`: the rows shown
/// when the button is pressed.
fn top_csv(
    rows: Memo<Vec<TeamRow>>,
    range: Signal<DateRange>,
    column: Column,
) -> Callback<(), (String, String)> {
    Callback::new(move |()| {
        let what = if column == Column::Spend {
            "top-members-by-spend"
        } else {
            "top-members-by-lines"
        };
        let text = rows.with_untracked(|rows| top_members_csv(rows, &top(rows, column), column));
        (range_file_name(what, range.get_untracked()), text)
    })
}

/// The overview's top members over its range, by lines and, for a viewer
/// who may see spend, by spend; each table with its CSV.
#[component]
pub fn TopMembers(
    rows: Memo<Vec<TeamRow>>,
    #[prop(into)] range: Signal<DateRange>,
    show_spend: bool,
) -> impl IntoView {
    let body = move |column: Column| {
        rows.with(|rows| {
            if rows.is_empty() {
                return view! { <tr><td colspan="2" class="cca-table__empty">"No members in this range"</td></tr> }
                    .into_any();
            }
            top(rows, column)
                .into_iter()
                .filter_map(|i| rows.get(i))
                .map(|row| {
                    let value = match column {
                        Column::Lines => format::full_count(row.lines),
                        _ => row.spend_text.clone(),
                    };
                    view! {
                        <tr>
                            <th scope="row"><span class="cca-table__identity" dir="auto">{row.identity.clone()}</span>" "<span class="cca-kind">{row.kind.label()}</span></th>
                            <td>{value}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    let file = |column| top_csv(rows, range, column);
    view! {
        <div class="cca-split cca-top-members">
            <div>
                <TableHead
                    title="Top members by lines"
                    what="top members by lines"
                    file=file(Column::Lines)
                />
                <div class="cca-table-wrap">
                    <table class="cca-table" data-top="lines">
                        <thead><tr><th scope="col">"Member"</th><th scope="col">"Lines accepted"</th></tr></thead>
                        <tbody>{move || body(Column::Lines)}</tbody>
                    </table>
                </div>
            </div>
            {show_spend.then(|| view! {
                <div>
                    <TableHead
                        title="Top members by spend"
                        what="top members by spend"
                        file=file(Column::Spend)
                    />
                    <div class="cca-table-wrap">
                        <table class="cca-table" data-top="spend">
                            <thead><tr><th scope="col">"Member"</th><th scope="col">"Spend (est.)"</th></tr></thead>
                            <tbody>{move || body(Column::Spend)}</tbody>
                        </table>
                    </div>
                </div>
            })}
        </div>
    }
}
