//! The summary loader hook: for an API that sums ranges up itself, a range
//! becomes one request for its summary (instead of one per day), kept in the
//! app's summary store, with the same progress, failed days and Retry as the
//! day loader ([`crate::hooks::range_load`]).
//!
//! A kept summary is shown at once; one whose last days may still change,
//! or with failed days, is asked for again behind it. Two loads of the same
//! range share one request. The page's own range is asked for first: a
//! background range (the previous period) waits until the page's answer is
//! in, since on a cold server cache both wait for the same Admin API.

use cca_core::summary::Summary;
use leptos::prelude::*;

use crate::api::client::Cancel;
use crate::api::client::SummaryKey;
use crate::api::error::ApiError;
use crate::api::schedule::{Flight, Schedule};
use crate::api::spawn::spawn_started;
use crate::hooks::range_load::{days_due, DayFailure, Lane, LoadSignals, Progress, RangeLoad};
use crate::model::dates::DateRange;
use crate::state::summaries::{is_final, SummaryStore};
use crate::state::{AppContext, UsageStore};

/// The page's summary request, counted by the schedule the day loader uses:
/// background loads wait for it. Released once, when dropped.
struct PageTurn(Schedule);

impl PageTurn {
    fn new(schedule: Schedule) -> Self {
        schedule.page_days_queued(1);
        PageTurn(schedule)
    }
}

impl Drop for PageTurn {
    fn drop(&mut self) {
        self.0.page_days_taken(1);
    }
}

struct Run {
    generation: u64,
    cancel: Cancel,
}

/// A range's summary loader; every field is a handle, so it is `Copy`.
#[derive(Clone, Copy)]
struct SummaryLoader {
    summaries: SummaryStore,
    store: UsageStore,
    page_lane: bool,
    signals: LoadSignals,
    run: StoredValue<Run, LocalStorage>,
}

/// A summary's failed days of `range`, as the day loader reports them.
fn failures_of(summary: &Summary, range: DateRange) -> Vec<DayFailure> {
    summary
        .failed()
        .iter()
        .filter(|f| range.contains(f.day))
        .map(|f| DayFailure {
            day: f.day,
            error: ApiError::of_failed_day(f),
        })
        .collect()
}

impl SummaryLoader {
    fn new(summaries: SummaryStore, store: UsageStore, lane: Lane) -> Self {
        SummaryLoader {
            summaries,
            store,
            page_lane: lane == Lane::Page,
            signals: LoadSignals::new(),
            run: StoredValue::new_local(Run {
                generation: 0,
                cancel: Cancel::default(),
            }),
        }
    }

    fn is_current(self, generation: u64) -> bool {
        self.run.try_with_value(|r| r.generation == generation) == Some(true)
    }

    /// Cancels the request in flight, if the loader still exists.
    fn stop(self) {
        self.run.try_update_value(|run| run.cancel.cancel());
    }

    /// Shows `summary` as `range`'s: its failed days failed, the rest done.
    fn show(self, range: DateRange, summary: &Summary) {
        let total = days_due(range, self.store.today());
        let failures = failures_of(summary, range);
        let failed = failures.len().min(total);
        self.signals.set_failures.set(failures);
        self.signals.set_progress.set(Progress {
            done: total - failed,
            failed,
            total,
        });
    }

    /// Shows `key`'s kept summary, if any, and asks for a newer one unless
    /// it is final (or `again`: the user asked to retry).
    fn start(self, key: SummaryKey, again: bool) {
        let range = key.range;
        let today = self.store.today();
        let cancel = Cancel::default();
        let generation = self
            .run
            .try_update_value(|run| {
                run.cancel.cancel();
                run.cancel = cancel.clone();
                run.generation += 1;
                run.generation
            })
            .unwrap_or_default();
        let total = days_due(range, today);
        let kept = self.summaries.get(&key);
        match &kept {
            Some(summary) => self.show(range, summary),
            None => {
                self.signals.set_failures.set(Vec::new());
                self.signals.set_progress.set(Progress {
                    done: 0,
                    failed: 0,
                    total,
                });
            }
        }
        let is_done = kept
            .as_ref()
            .is_some_and(|summary| is_final(summary, range, today));
        if total == 0 || (is_done && !again) {
            return;
        }
        let turn = self.page_lane.then(|| PageTurn::new(self.store.schedule()));
        spawn_started(self.fetch(key, cancel, generation, turn, kept.is_some()));
    }

    /// Asks for `key`'s summary (or waits for the same request of another
    /// load) and shows it. `shown`: a kept summary is on screen already.
    async fn fetch(
        self,
        key: SummaryKey,
        cancel: Cancel,
        generation: u64,
        turn: Option<PageTurn>,
        shown: bool,
    ) {
        if turn.is_none() {
            self.store.schedule().page_days_asked().await;
            if !self.is_current(generation) {
                return;
            }
        }
        let Some(source) = self.store.source() else {
            return;
        };
        let range = key.range;
        let started = self.summaries.now();
        let today = self.store.today();
        let _asking = self
            .signals
            .asking
            .begin(range.days().filter(|d| *d <= today));
        let guard = loop {
            match self.summaries.claim(key.clone()) {
                Flight::Fetch(guard) => break guard,
                Flight::Wait(done) => {
                    let _ = done.await;
                    if !self.is_current(generation) {
                        return;
                    }
                    if let Some(summary) = self.summaries.stored_since(&key, started) {
                        self.show(range, &summary);
                        return;
                    }
                }
            }
        };
        let outcome = source.summary(&key, &cancel).await;
        drop(turn);
        let outcome = match outcome {
            Some(Ok(summary)) => {
                // Kept even if the user left the range meanwhile: going back
                // to it then costs nothing.
                self.summaries.insert(key.clone(), summary);
                drop(guard);
                Ok(())
            }
            Some(Err(error)) => Err(error),
            None => return,
        };
        if !self.is_current(generation) {
            return;
        }
        match outcome {
            Ok(()) => {
                if let Some(summary) = self.summaries.get(&key) {
                    self.show(range, &summary);
                }
            }
            Err(ApiError::Cancelled) => {}
            // What is on screen stays; its recent days are as they were.
            Err(error) if shown => leptos::logging::warn!(
                "claude-code-analytics: the summary of {range} could not be refreshed: {error}"
            ),
            Err(error) => {
                let failures: Vec<DayFailure> = range
                    .days()
                    .filter(|d| *d <= today)
                    .map(|day| DayFailure {
                        day,
                        error: error.clone(),
                    })
                    .collect();
                let total = failures.len();
                self.signals.set_failures.set(failures);
                self.signals.set_progress.set(Progress {
                    done: 0,
                    failed: total,
                    total,
                });
            }
        }
    }
}

/// Loads `key`'s summary whenever it changes; Retry asks for it again.
pub fn use_summary_load(key: Memo<SummaryKey>, lane: Lane) -> RangeLoad {
    let ctx = AppContext::expect();
    let loader = SummaryLoader::new(ctx.summaries, ctx.store, lane);
    let retry = Trigger::new();
    loader.start(key.get_untracked(), false);
    // The memo changes only for another key: the first is started above.
    Effect::watch(
        move || key.get(),
        move |key, _, _| loader.start(key.clone(), false),
        false,
    );
    Effect::watch(
        move || retry.track(),
        move |_, _, _| loader.start(key.get_untracked(), true),
        false,
    );
    on_cleanup(move || loader.stop());
    loader.signals.load(retry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cca_core::summary::FailedDay;
    use chrono::NaiveDate;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 9, day).unwrap()
    }

    #[test]
    fn failed_days_of_a_summary_are_the_day_loader_s_failures() {
        let range = DateRange::new(d(8), d(10)).unwrap();
        let summary = Summary::from_records(range, |day| (day != d(9)).then_some(&[][..]))
            .with_failed([FailedDay {
                day: d(9),
                status: 502,
                message: "the Admin API refused the request for 2025-09-09".to_owned(),
            }]);
        assert_eq!(
            failures_of(&summary, range),
            vec![DayFailure {
                day: d(9),
                error: ApiError::Upstream { status: 502 },
            }]
        );
        assert_eq!(days_due(range, d(9)), 2);
        assert_eq!(days_due(range, d(7)), 0);
    }
}
