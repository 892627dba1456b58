//! A page's data: the range in the URL loaded (and the previous period),
//! aggregated, and where it stands.

use leptos::prelude::*;

use crate::components::charts::spec::ChartSpec;
use crate::components::range::{use_range, RangeState};
use crate::hooks::grouping::{use_grouping, GroupingState};
use crate::hooks::range_load::{Lane, Progress, RangeLoad};
use crate::hooks::usage::{use_range_aggregates, use_usage_load};
use crate::model::aggregate::Aggregates;
use crate::model::dates::DateRange;
use crate::model::grouping::Grouping;
use crate::model::period::comparison_period;
use crate::state::AppContext;

/// A page's data: the selected range loaded and aggregated.
#[derive(Clone, Copy)]
pub struct PageData {
    pub range: RangeState,
    pub load: RangeLoad,
    pub current: Memo<Aggregates>,
    /// How the page's charts group their days.
    pub grouping: GroupingState,
    /// Today (UTC): the day that is not over yet.
    pub today: chrono::NaiveDate,
}

impl PageData {
    /// Where the page's data stands.
    pub fn status(self) -> Memo<DataStatus> {
        Memo::new(move |_| {
            let progress = self.load.progress.get();
            self.current.with(|a| {
                DataStatus::of(
                    a.totals.days_loaded as usize,
                    a.totals.active_user_days > 0,
                    progress,
                )
            })
        })
    }

    /// A chart of the current range built by `build` in the page's
    /// grouping, with the point holding today marked as partial.
    pub fn chart(self, build: fn(&Aggregates, Grouping) -> ChartSpec) -> Signal<ChartSpec> {
        let today = self.today;
        Signal::derive(move || {
            let grouping = self.grouping.chosen.get();
            self.current
                .with(|a| build(a, grouping).with_partial_day(today))
        })
    }
}

/// Loads the URL's range for a page.
pub fn use_page_data() -> PageData {
    let ctx = AppContext::expect();
    let range = use_range(ctx.today);
    let range_signal: Signal<DateRange> = range.range.into();
    let load = use_usage_load(range_signal, Lane::Page);
    load.mark_when_settled();
    PageData {
        range,
        load,
        current: use_range_aggregates(range_signal),
        grouping: use_grouping(range, ctx.today),
        today: ctx.today,
    }
}

/// The period the range is compared with ([`comparison_period`]), loaded
/// and aggregated too.
pub fn use_previous(data: PageData) -> (RangeLoad, Memo<Aggregates>) {
    let previous = Signal::derive(move || {
        comparison_period(data.range.selection.get(), data.range.range.get())
    });
    (
        use_usage_load(previous, Lane::Background),
        use_range_aggregates(previous),
    )
}

/// Where a page's data stands, for choosing what to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataStatus {
    /// Nothing loaded yet.
    Loading,
    /// Every day failed.
    Failed,
    /// Loaded (maybe partly) but no usage at all.
    Empty,
    Ready,
}

impl DataStatus {
    /// From the days of the range in the store, whether they hold any usage,
    /// and the load's progress.
    pub fn of(days_loaded: usize, has_usage: bool, progress: Progress) -> DataStatus {
        if days_loaded == 0 && progress.is_loading() {
            DataStatus::Loading
        } else if days_loaded == 0 && progress.failed > 0 {
            DataStatus::Failed
        } else if !has_usage && !progress.is_loading() {
            DataStatus::Empty
        } else if days_loaded == 0 {
            DataStatus::Loading
        } else {
            DataStatus::Ready
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(done: usize, failed: usize, total: usize) -> Progress {
        Progress {
            done,
            failed,
            total,
        }
    }

    #[test]
    fn status_follows_the_days_and_the_load() {
        assert_eq!(
            DataStatus::of(0, false, progress(0, 0, 7)),
            DataStatus::Loading
        );
        assert_eq!(
            DataStatus::of(0, false, progress(0, 7, 7)),
            DataStatus::Failed
        );
        assert_eq!(
            DataStatus::of(3, false, progress(3, 4, 7)),
            DataStatus::Empty
        );
        // Usage on the loaded days, more coming: ready (the rest fills in).
        assert_eq!(
            DataStatus::of(2, true, progress(2, 0, 7)),
            DataStatus::Ready
        );
        // Nothing in the store yet although the load ended: still loading
        // (a range of future days has nothing to load).
        assert_eq!(
            DataStatus::of(0, true, progress(0, 0, 0)),
            DataStatus::Loading
        );
    }
}
