//! The overview's top members.

use leptos::prelude::*;

use crate::case_fold::fold_case;
use crate::format;
use crate::team_table::{visible_rows, Column, SortOrder, TeamFilter, TeamRow};

/// The overview's top members over its range, by lines and, for a viewer
/// who may see spend, by spend.
#[component]
pub fn TopMembers(rows: Memo<Vec<TeamRow>>, show_spend: bool) -> impl IntoView {
    let top = move |column: Column| {
        rows.with(|rows| {
            if rows.is_empty() {
                return view! { <tr><td colspan="2" class="cca-table__empty">"No members in this range"</td></tr> }
                    .into_any();
            }
            let order = visible_rows(rows, &TeamFilter::default(), SortOrder { column, descending: true }, fold_case);
            order
                .into_iter()
                .take(5)
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
    view! {
        <div class="cca-split cca-top-members">
            <div>
                <h2 class="cca-section-title">"Top members by lines"</h2>
                <div class="cca-table-wrap">
                    <table class="cca-table" data-top="lines">
                        <thead><tr><th scope="col">"Member"</th><th scope="col">"Lines accepted"</th></tr></thead>
                        <tbody>{move || top(Column::Lines)}</tbody>
                    </table>
                </div>
            </div>
            {show_spend.then(|| view! {
                <div>
                    <h2 class="cca-section-title">"Top members by spend"</h2>
                    <div class="cca-table-wrap">
                        <table class="cca-table" data-top="spend">
                            <thead><tr><th scope="col">"Member"</th><th scope="col">"Spend (est.)"</th></tr></thead>
                            <tbody>{move || top(Column::Spend)}</tbody>
                        </table>
                    </div>
                </div>
            })}
        </div>
    }
}
