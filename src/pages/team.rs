//! `/team`: every member of a month — identity and kind, spend, lines,
//! sessions, accept rate, last active — sortable, filterable, paged (the
//! month, sort, filter and page in the URL), with a CSV of the rows the
//! filter lets through; one message, not an empty table, when it lets none.

use chrono::Datelike;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::auth::page::Page;
use crate::auth::role::Role;
use crate::case_fold::fold_case;
use crate::components::download::download_text;
use crate::components::page_frame::{EmptyText, PageShell};
use crate::definitions as def;
use crate::format;
use crate::hooks::month_members::use_month_members;
use crate::hooks::page_data::DataStatus;
use crate::hooks::set_query::Entry;
use crate::hooks::team_view::{use_team_view, Changes};
use crate::model::dates::{iso_month, month_start};
use crate::model::grouping::range_query;
use crate::state::AppContext;
use crate::team_month::{member_range, month_choices, month_range};
use crate::team_table::{page_count, team_csv, visible_rows, Column, TeamFilter, PAGE_SIZE};
use crate::team_view::{kind_key, kind_of, no_match_message, shown_page, team_file_name, TeamView};
use cca_core::leaderboard::member_href;

/// Moves the keyboard's focus to the first element matching `selector`.
fn focus(selector: &str) {
    if let Some(element) = document().query_selector(selector).ok().flatten() {
        let _ = element.unchecked_into::<web_sys::HtmlElement>().focus();
    }
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
    // Sort, filter and page live in the URL (`hooks::team_view`).
    let team = use_team_view(show_spend);
    let visible = Memo::new(move |_| {
        team.view.with(|view| {
            members
                .rows
                .with(|rows| visible_rows(rows, &view.filter, view.order, fold_case))
        })
    });
    // The page in the URL, or the last one when it is past the end. Rows
    // arriving do not move the reader back to the first page: only a new
    // sort, filter or month does (each writes the URL without a page).
    let page = Memo::new(move |_| shown_page(team.page.get(), visible.with(Vec::len)));
    // The month has members, but none passes the filter.
    let no_match =
        Memo::new(move |_| visible.with(Vec::is_empty) && members.rows.with(|r| !r.is_empty()));
    // A new sort, filter or month starts again on the first page.
    let restart = move |change: &dyn Fn(&mut TeamView), more: Changes, typing: bool| {
        let mut next = team.view.get_untracked();
        change(&mut next);
        team.restart(&next, more, typing);
    };
    let clear_filter = move |_| {
        restart(&|v| v.filter = TeamFilter::default(), Vec::new(), false);
        // The button goes with the message: the keyboard goes back to the
        // filter field.
        focus(".cca-team-filter");
    };

    let today = ctx.today;
    let month_options = move || {
        let selected = members.month.get();
        month_choices(today, selected, members.data_since)
            .into_iter()
            .map(|m| {
                let value = iso_month(m);
                let label = format::month_and_year(m);
                view! { <option value=value selected=m == selected>{label}</option> }
            })
            .collect_view()
    };
    let on_kind = move |ev: leptos::ev::Event| {
        let kind = kind_of(&event_target_value(&ev));
        restart(&|v| v.filter.kind = kind.clone(), Vec::new(), false);
    };
    let download = move |_| {
        let csv = members
            .rows
            .with(|rows| visible.with(|order| team_csv(rows, order, show_spend)));
        let name = team
            .view
            .with_untracked(|v| team_file_name(members.month.get_untracked(), &v.filter));
        let _ = download_text(&name, "text/csv;charset=utf-8", &csv);
    };

    // A past month's figures are named by their month, not "this month".
    let past_month = Memo::new(move |_| {
        let month = members.month.get();
        (month != month_start(today)).then(|| format::month_and_year(month))
    });
    let header = move |column: Column| {
        let sort_state = move || {
            let o = team.view.with(|v| v.order);
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
                    on:click=move |_| restart(&|v| v.order = v.order.toggled(column), Vec::new(), false)
                >
                    {move || past_month.with(|past| column.heading(past.as_deref()))}
                    <span aria-hidden="true">{arrow}</span>
                </button>
            </th>
        }
    };
    // A member's name opens its page on the month shown (the range in the
    // link, so the member page's "Team" and Back both return to it).
    let base = StoredValue::new(ctx.config.router_base.clone());
    let body = move || {
        let start = page.get() * PAGE_SIZE;
        // Read untracked: a new month brings new rows, which redraw the
        // body anyway. Tracking the month here too (a second path from the
        // URL to this closure) left the body undrawn when a cleared filter
        // brought rows back (e2e `team_view.rs`).
        let query = range_query(&member_range(members.month.get_untracked(), today), None);
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
                                    <a class="cca-member-link" href=base.with_value(|base| member_href(row, base, &query))>
                                        <span class="cca-table__identity" dir="auto" title=row.identity.clone()>{row.identity.clone()}</span>
                                    </a>
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
    let go_to = move |page: usize| {
        team.view
            .with_untracked(|v| team.show(v, page, Vec::new(), Entry::InPlace));
        // A button that becomes disabled drops the keyboard's focus: on the
        // first or the last page, it goes to the other button, once that
        // one is enabled (the next frame, after the page's update).
        let other = if page == 0 {
            Some("[data-page=next]")
        } else if page + 1 >= pages() {
            Some("[data-page=previous]")
        } else {
            None
        };
        if let Some(other) = other {
            request_animation_frame(move || focus(other));
        }
    };
    let count_text = move || {
        let count = visible.with(Vec::len);
        let current = page.get();
        let first = if count == 0 {
            0
        } else {
            current * PAGE_SIZE + 1
        };
        let last = ((current + 1) * PAGE_SIZE).min(count);
        format!(
            "{first}–{last} of {} {}",
            format::full_count(count as u64),
            if count == 1 { "member" } else { "members" }
        )
    };
    // Built once, so that the focused button stays focused while its page
    // changes.
    let pager = move || {
        view! {
            <div class="cca-pager">
                <span class="cca-team-count" role="status">{count_text}</span>
                <span>
                    <button type="button" class="cca-button cca-button--quiet" data-page="previous" disabled=move || page.get() == 0 on:click=move |_| go_to(page.get_untracked().saturating_sub(1))>"Previous"</button>
                    " "
                    <button type="button" class="cca-button cca-button--quiet" data-page="next" disabled=move || { page.get() + 1 >= pages() } on:click=move |_| go_to(page.get_untracked() + 1)>"Next"</button>
                </span>
            </div>
        }
    };
    // Instead of an empty table: what the filter found nothing for, and a
    // way out. In a live region that is always there, so that a screen
    // reader says it when it appears.
    let no_match_panel = move || {
        no_match.get().then(|| {
            view! {
                <div class="cca-panel cca-empty cca-no-match">
                    <h2>{move || team.view.with(|v| no_match_message(&v.filter))}</h2>
                    <p>"Clear the filter to list every member of the month."</p>
                    <button type="button" class="cca-button cca-team-clear" on:click=clear_filter>"Clear filter"</button>
                </div>
            }
        })
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
        // A new month keeps the sort and the filter, from its first page.
        let on_month = move |ev: leptos::ev::Event| {
            restart(
                &|_| {},
                vec![("month", Some(event_target_value(&ev)))],
                false,
            )
        };
        view! {
            <div class="cca-team-controls">
                <label>
                    <span class="cca-sr-only">"Month"</span>
                    <select class="cca-select cca-team-month" aria-label="Month" on:change=on_month>{month_options}</select>
                </label>
                <input
                    class="cca-input cca-team-filter"
                    type="search"
                    placeholder="Filter by email or key name"
                    aria-label="Filter members"
                    prop:value=move || team.view.with(|v| v.filter.text.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        restart(&|v| v.filter.text = text.clone(), Vec::new(), true);
                    }
                />
                <select
                    class="cca-select cca-team-kind"
                    aria-label="Member kind"
                    prop:value=move || team.view.with(|v| v.filter.kind.as_ref().and_then(kind_key).unwrap_or("all"))
                    on:change=on_kind
                >
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
            // One block, so that the empty live region adds no gap.
            <div>
                <div class="cca-team-status" role="status">{no_match_panel}</div>
                <div class="cca-team-list">
                    <div class="cca-table-wrap">
                        <table class="cca-table cca-team-table" data-table="team">
                            <thead>
                                <tr>{columns.clone().into_iter().map(header).collect_view()}</tr>
                            </thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                    {pager()}
                </div>
            </div>
        </PageShell>
    }
}
