//! `/team`: every member this month — identity and kind, spend, lines,
//! sessions, accept rate, last active — sortable, filterable, paged, with a
//! CSV of all rows.

use chrono::Datelike;
use leptos::prelude::*;

use crate::auth::page::Page;
use crate::auth::role::Role;
use crate::case_fold::fold_case;
use crate::components::download::download_text;
use crate::components::page_frame::{EmptyText, PageShell};
use crate::components::range::use_set_query;
use crate::definitions as def;
use crate::format;
use crate::hooks::month_members::{month_from_query, month_range, use_month_members};
use crate::hooks::page_data::DataStatus;
use crate::model::dates::{iso_month, month_start};
use crate::state::AppContext;
use crate::team_table::{
    page_count, team_csv, visible_rows, Column, MemberKind, SortOrder, TeamFilter, PAGE_SIZE,
};

/// The last twelve months, newest first, plus `selected` when it is older.
fn month_choices(today: chrono::NaiveDate, selected: chrono::NaiveDate) -> Vec<chrono::NaiveDate> {
    let mut months = Vec::with_capacity(13);
    let mut month = month_start(today);
    for _ in 0..12 {
        months.push(month);
        month = month_start(month - chrono::TimeDelta::days(1));
    }
    if !months.contains(&selected) {
        months.push(selected);
    }
    months
}

#[component]
pub fn TeamPage(role: Role) -> impl IntoView {
    let ctx = AppContext::expect();
    // A viewer the host keeps off the spend page sees no spend column (nor
    // spend in the CSV), as the overview shows them no spend card.
    let show_spend = ctx.policy.allows(&role, Page::Spend);
    let columns: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| show_spend || *c != Column::Spend)
        .collect();
    let members = use_month_members();
    let (filter_text, set_filter_text) = signal(String::new());
    let (kind, set_kind) = signal(None::<MemberKind>);
    let (order, set_order) = signal(SortOrder::initial(show_spend));
    let (page, set_page) = signal(0usize);
    let visible = Memo::new(move |_| {
        let filter = TeamFilter {
            text: filter_text.get(),
            kind: kind.get(),
        };
        members
            .rows
            .with(|rows| visible_rows(rows, &filter, order.get(), fold_case))
    });
    // Any change of what is listed goes back to the first page.
    Effect::watch(
        move || visible.track(),
        move |_, _, _| set_page.set(0),
        false,
    );

    let today = ctx.today;
    let month_options = move || {
        let selected = members.month.get();
        month_choices(today, selected)
            .into_iter()
            .map(|m| {
                let value = iso_month(m);
                let label = format::month_and_year(m);
                view! { <option value=value selected=m == selected>{label}</option> }
            })
            .collect_view()
    };
    let on_kind = move |ev: leptos::ev::Event| {
        set_kind.set(match event_target_value(&ev).as_str() {
            "user" => Some(MemberKind::User),
            "api" => Some(MemberKind::ApiKey),
            _ => None,
        })
    };
    let download = move |_| {
        let csv = members
            .rows
            .with(|rows| visible.with(|order| team_csv(rows, order, show_spend)));
        let month = format::iso_date(members.month.get_untracked());
        let _ = download_text(
            &format!("team-{}.csv", &month[..7.min(month.len())]),
            "text/csv;charset=utf-8",
            &csv,
        );
    };

    // A past month's figures are named by their month, not "this month".
    let past_month = Memo::new(move |_| {
        let month = members.month.get();
        (month != month_start(today)).then(|| format::month_and_year(month))
    });
    let header = move |column: Column| {
        let sort_state = move || {
            let o = order.get();
            if o.column != column {
                "none"
            } else if o.descending {
                "descending"
            } else {
                "ascending"
            }
        };
        let arrow = move || match sort_state() {
            "descending" => "▼",
            "ascending" => "▲",
            _ => "",
        };
        view! {
            <th scope="col" aria-sort=sort_state>
                <button
                    type="button"
                    class="cca-table__sort"
                    data-column=format!("{column:?}")
                    on:click=move |_| set_order.update(|o| *o = o.toggled(column))
                >
                    {move || past_month.with(|past| column.heading(past.as_deref()))}
                    <span aria-hidden="true">{arrow}</span>
                </button>
            </th>
        }
    };
    let body = move || {
        let start = page.get() * PAGE_SIZE;
        members.rows.with(|rows| {
            visible.with(|order| {
                order
                    .iter()
                    .skip(start)
                    .take(PAGE_SIZE)
                    .filter_map(|&i| rows.get(i))
                    .map(|row| {
                        view! {
                            <tr>
                                <th scope="row">
                                    <span class="cca-table__identity" dir="auto" title=row.identity.clone()>{row.identity.clone()}</span>
                                </th>
                                <td><span class="cca-kind">{row.kind.label()}</span></td>
                                {show_spend.then(|| view! { <td>{row.spend_text.clone()}</td> })}
                                <td>{format::full_count(row.lines)}</td>
                                <td>{format::full_count(row.sessions)}</td>
                                <td>{format::percent_or_dash(row.accept_rate)}</td>
                                <td>{format::full_count(row.commits)}</td>
                                <td>{format::short_date(row.last_active)}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let pages = move || page_count(visible.with(Vec::len));
    let pager = move || {
        let count = visible.with(Vec::len);
        let current = page.get();
        let first = if count == 0 {
            0
        } else {
            current * PAGE_SIZE + 1
        };
        let last = ((current + 1) * PAGE_SIZE).min(count);
        view! {
            <div class="cca-pager">
                <span class="cca-team-count" role="status">
                    {format!("{first}–{last} of {} {}", format::full_count(count as u64), if count == 1 { "member" } else { "members" })}
                </span>
                <span>
                    <button type="button" class="cca-button cca-button--quiet" disabled=move || page.get() == 0 on:click=move |_| set_page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
                    " "
                    <button type="button" class="cca-button cca-button--quiet" disabled=move || { page.get() + 1 >= pages() } on:click=move |_| set_page.update(|p| *p += 1)>"Next"</button>
                </span>
            </div>
        }
    };
    let status = Memo::new(move |_| {
        let progress = members.load.progress.get();
        DataStatus::of(
            progress.done,
            members.rows.with(|r| !r.is_empty()),
            progress,
        )
    });
    let note = Signal::derive(move || {
        let range = month_range(members.month.get(), today);
        let whole = range.end().month() != (range.end() + chrono::TimeDelta::days(1)).month();
        format!(
            "{} · {} · days are UTC{}",
            format::range_label(range),
            if whole {
                "whole month"
            } else {
                "month to date"
            },
            if show_spend {
                " · spend is estimated"
            } else {
                ""
            },
        )
    });
    let toolbar = move || {
        let set_query = use_set_query();
        let on_month = move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            if month_from_query(Some(&value), today).is_some() {
                set_query(&format!("month={value}"));
            }
        };
        view! {
            <div class="cca-team-controls">
                <label>
                    <span class="cca-sr-only">"Month"</span>
                    <select class="cca-select" aria-label="Month" on:change=on_month>{month_options}</select>
                </label>
                <input
                    class="cca-input cca-team-filter"
                    type="search"
                    placeholder="Filter by email or key name"
                    aria-label="Filter members"
                    prop:value=filter_text
                    on:input=move |ev| set_filter_text.set(event_target_value(&ev))
                />
                <select class="cca-select cca-team-kind" aria-label="Member kind" on:change=on_kind>
                    <option value="all">"All kinds"</option>
                    <option value="user">"Users (email)"</option>
                    <option value="api">"API keys"</option>
                </select>
                <button type="button" class="cca-button cca-button--quiet cca-team-csv" on:click=download>"Download CSV"</button>
            </div>
        }
    };

    view! {
        <PageShell
            title="Team"
            lead=def::TEAM
            data_page="team"
            load=members.load
            status=status
            note=note
            toolbar=toolbar
            empty=EmptyText {
                heading: "No members used Claude Code in this month",
                text: "Choose another month above.",
            }
        >
            <div class="cca-table-wrap">
                <table class="cca-table cca-team-table" data-table="team">
                    <thead>
                        <tr>{columns.clone().into_iter().map(header).collect_view()}</tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {pager}
        </PageShell>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_choices_add_an_older_selection() {
        let today = d(2026, 11, 23);
        let recent = month_choices(today, d(2026, 10, 1));
        assert_eq!(recent.len(), 12);
        assert_eq!(recent[0], d(2026, 11, 1));
        assert_eq!(recent[11], d(2025, 12, 1));
        let older = month_choices(today, d(2025, 9, 1));
        assert_eq!(older.len(), 13);
        assert_eq!(older[12], d(2025, 9, 1));
    }
}
