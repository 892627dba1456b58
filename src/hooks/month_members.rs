//! A month's members: the month in the URL, its days loaded and totalled per
//! member (the team page), and any range's members (the overview's top
//! members).

use leptos::prelude::*;

use crate::hooks::range_load::{Lane, RangeLoad};
use crate::hooks::usage::{use_member_rows, use_usage_load};
use crate::model::dates::month_start;
use crate::state::session::Session;
use crate::state::AppContext;
use crate::team_month::{month_from_query, month_range};
use crate::team_table::TeamRow;

/// A month's members, loaded and totalled.
#[derive(Clone, Copy)]
pub struct MonthMembers {
    pub month: Memo<chrono::NaiveDate>,
    /// The organization's first day with usage, when the app knows it.
    pub data_since: Option<chrono::NaiveDate>,
    pub load: RangeLoad,
    pub rows: Memo<Vec<TeamRow>>,
}

/// The organization's first day with usage: the host's `data_since`, else
/// what `/v1/me` said (or the built-in demo's first day); `None` when
/// nothing says.
pub fn use_data_since() -> Option<chrono::NaiveDate> {
    let ctx = AppContext::expect();
    ctx.config
        .data_since
        .or_else(|| Session::expect().data_since())
}

/// Loads a month's members: the month in the URL (`?month=2025-09`) when it
/// has data, else this one.
pub fn use_month_members() -> MonthMembers {
    let ctx = AppContext::expect();
    let today = ctx.today;
    let data_since = use_data_since();
    let query = leptos_router::hooks::use_query_map();
    let month = Memo::new(move |_| {
        query
            .with(|q| month_from_query(q.get_str("month"), today, data_since))
            .unwrap_or_else(|| month_start(today))
    });
    let range = Signal::derive(move || month_range(month.get(), today));
    let load = use_usage_load(range, Lane::Page);
    load.mark_when_settled();
    let rows = use_member_rows(range);
    MonthMembers {
        month,
        data_since,
        load,
        rows,
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
    fn month_range_stops_at_today() {
        let today = d(2026, 11, 23);
        let this = month_range(d(2026, 11, 1), today);
        assert_eq!((this.start(), this.end()), (d(2026, 11, 1), today));
        let past = month_range(d(2025, 9, 1), today);
        assert_eq!((past.start(), past.end()), (d(2025, 9, 1), d(2025, 9, 30)));
    }
}
