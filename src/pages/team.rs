//! `/team`: every member this month — identity and kind, spend, lines,
//! sessions, accept rate, last active — sortable, filterable, paged, with a
//! CSV of all rows. Also the overview's "top members".

use chrono::Datelike;
use leptos::prelude::*;

use crate::api::loader::{use_range_load, Lane, Progress, RangeLoad};
use crate::app::AppContext;
use crate::auth::page::Page;
use crate::auth::role::Role;
use crate::case_fold::fold_case;
use crate::components::download::download_text;
use crate::components::range::{use_set_query, LoadProgress};
use crate::format;
use crate::model::dates::{days_in_month, iso_month, month_start, parse_iso_month, DateRange};
use crate::model::team::actor_totals;
use crate::pages::definitions as def;
use crate::pages::overview::spend_text;
use crate::pages::team_table::{
    page_count, team_csv, visible_rows, Column, MemberKind, SortOrder, TeamFilter, TeamRow,
    PAGE_SIZE,
};

/// The days of a month up to today (the whole month when it is over).
pub fn month_range(month: chrono::NaiveDate, today: chrono::NaiveDate) -> DateRange {
    let first = month_start(month);
    let last_of_month = first + chrono::TimeDelta::days(i64::from(days_in_month(first)) - 1);
    DateRange::new(first, last_of_month.min(today)).unwrap_or_else(|_| DateRange::day(today))
}

/// A month's members, loaded and totalled.
#[derive(Clone, Copy)]
pub struct MonthMembers {
    pub month: Memo<chrono::NaiveDate>,
    pub load: RangeLoad,
    pub rows: Memo<Vec<TeamRow>>,
}

/// One row per member over `range`, from whatever days the store holds.
pub fn member_rows(range: Signal<DateRange>) -> Memo<Vec<TeamRow>> {
    let store = AppContext::expect().store;
    Memo::new(move |_| {
        store.track();
        let range = range.get();
        store
            .with_days(|days| {
                let records = range
                    .days()
                    .filter_map(|d| days.get(&d))
                    .flat_map(|r| r.iter());
                actor_totals(range, records)
                    .iter()
                    .map(|t| TeamRow::from_totals(t, spend_text(&t.spend), fold_case))
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// The month in `?month=YYYY-MM`, if it is a month that has begun.
pub fn month_from_query(
    value: Option<&str>,
    today: chrono::NaiveDate,
) -> Option<chrono::NaiveDate> {
    let first = parse_iso_month(value?.trim())?;
    (first <= today).then_some(first)
}

/// Loads a month's members: the month in the URL (`?month=2025-09`), else this one.
pub fn use_month_members() -> MonthMembers {
    let ctx = AppContext::expect();
    let today = ctx.today;
    let store = ctx.store;
    let query = leptos_router::hooks::use_query_map();
    let month = Memo::new(move |_| {
        query
            .with(|q| month_from_query(q.get_str("month"), today))
            .unwrap_or_else(|| month_start(today))
    });
    let range = Signal::derive(move || month_range(month.get(), today));
    let load = use_range_load(store, range, Lane::Page);
    load.mark_when_settled();
    let rows = member_rows(range);
    MonthMembers { month, load, rows }
}

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
    Effect::new(move |_| {
        visible.track();
        set_page.set(0);
    });

    let month_options = move || {
        let selected = members.month.get();
        month_choices(ctx.today, selected)
            .into_iter()
            .map(|m| {
                let value = iso_month(m);
                let label = format::month_and_year(m);
                view! { <option value=value selected=m == selected>{label}</option> }
            })
            .collect_view()
    };
    let set_query = use_set_query();
    let on_month = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if month_from_query(Some(&value), ctx.today).is_some() {
            set_query(&format!("month={value}"));
        }
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
                    {column.label()}
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
    let empty = move || {
        (members.rows.with(Vec::is_empty) && !members.load.progress.get().is_loading()).then(|| {
            view! { <div class="cca-panel cca-empty" role="status"><h2>"No members used Claude Code in this month"</h2></div> }
        })
    };
    let failures = move || {
        let failures = members.load.failures.get();
        (!failures.is_empty()).then(|| {
            let reason = failures.first().map(|f| f.error.to_string()).unwrap_or_default();
            view! {
                <div class="cca-panel cca-panel--error cca-failures" role="alert">
                    <p>{format!("{} of this month could not be loaded, so totals are incomplete. {reason}", format::days(failures.len()))}</p>
                    <button type="button" class="cca-button" on:click=move |_| members.load.retry()>"Retry failed days"</button>
                </div>
            }
        })
    };

    view! {
        <section
            class="cca-page"
            data-page="team"
            data-progress=move || members.load.progress.with(Progress::settled_of_total)
        >
            <div class="cca-page__head">
                <div>
                    <h1 class="cca-page__title">"Team"</h1>
                    <p class="cca-page__lead">{def::TEAM}</p>
                </div>
            </div>
            <div class="cca-toolbar cca-team-controls">
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
            <div class="cca-status-line">
                <p class="cca-note">
                    {move || {
                        let range = month_range(members.month.get(), ctx.today);
                        let whole = range.end().month() != (range.end() + chrono::TimeDelta::days(1)).month();
                        format!(
                            "{} · {} · days are UTC{}",
                            format::range_label(range),
                            if whole { "whole month" } else { "month to date" },
                            if show_spend { " · spend is estimated" } else { "" },
                        )
                    }}
                </p>
                <LoadProgress progress=members.load.progress />
            </div>
            {failures}
            {empty}
            <div class="cca-table-wrap">
                <table class="cca-table cca-team-table" data-table="team">
                    <thead>
                        <tr>{columns.into_iter().map(header).collect_view()}</tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {pager}
        </section>
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_query_accepts_begun_months_only() {
        let today = d(2026, 11, 23);
        assert_eq!(
            month_from_query(Some("2025-09"), today),
            Some(d(2025, 9, 1))
        );
        assert_eq!(
            month_from_query(Some("2026-11"), today),
            Some(d(2026, 11, 1))
        );
        assert_eq!(month_from_query(Some("2026-12"), today), None);
        assert_eq!(month_from_query(Some("2025-13"), today), None);
        assert_eq!(month_from_query(Some("<script>"), today), None);
        assert_eq!(month_from_query(None, today), None);
    }

    #[test]
    fn month_range_stops_at_today() {
        let today = d(2026, 11, 23);
        let this = month_range(d(2026, 11, 1), today);
        assert_eq!((this.start(), this.end()), (d(2026, 11, 1), today));
        let past = month_range(d(2025, 9, 1), today);
        assert_eq!((past.start(), past.end()), (d(2025, 9, 1), d(2025, 9, 30)));
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
