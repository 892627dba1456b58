//! The range loader hook: a date range becomes one request per UTC day,
//! fetched with bounded concurrency into the app's day store, with progress,
//! partial results (failed days named and retried on their own) and
//! cancellation (answers for a range the user has left are dropped).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use chrono::NaiveDate;
use futures::channel::oneshot;
use futures::future::Shared;
use futures::FutureExt;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::client::Cancel;
use crate::api::error::ApiError;
use crate::api::schedule::Flight;
use crate::api::source::DataSource;
use crate::api::spawn::spawn_started;
use crate::hooks::stall::{watch_for_stall, Asking};
use crate::model::dates::DateRange;
use crate::model::order;
use crate::state::store::{days_to_fetch, UsageStore};
use crate::state::AppContext;

pub use cca_core::loading::DEFAULT_CONCURRENCY;

/// Load progress of the current range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub failed: usize,
    pub total: usize,
}

impl Progress {
    pub fn is_loading(&self) -> bool {
        self.done + self.failed < self.total
    }

    /// `"settled/total"` days (loaded or failed): the page's `data-progress`,
    /// which tests and tools watch.
    pub fn settled_of_total(&self) -> String {
        format!("{}/{}", self.done + self.failed, self.total)
    }

    /// Fraction done in 0..=1 (1 when there is nothing to do).
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.done + self.failed) as f64 / self.total as f64
        }
    }
}

/// The days of `range` that can have usage (none after today): a load's total.
pub(crate) fn days_due(range: DateRange, today: NaiveDate) -> usize {
    range.days().filter(|d| *d <= today).count()
}

/// A day that could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct DayFailure {
    pub day: NaiveDate,
    pub error: ApiError,
}

/// What a page gets from [`use_range_load`].
#[derive(Clone, Copy)]
pub struct RangeLoad {
    pub progress: ReadSignal<Progress>,
    pub failures: ReadSignal<Vec<DayFailure>>,
    /// The days still waited for once nothing has settled for a while
    /// ([`crate::hooks::stall`]).
    pub slow: ReadSignal<Option<Vec<NaiveDate>>>,
    retry_trigger: Trigger,
}

/// What a loader reports through: its progress and its failed days (the
/// day loader here, and the summary loader).
#[derive(Clone, Copy)]
pub(crate) struct LoadSignals {
    pub(crate) progress: ReadSignal<Progress>,
    pub(crate) set_progress: WriteSignal<Progress>,
    pub(crate) failures: ReadSignal<Vec<DayFailure>>,
    pub(crate) set_failures: WriteSignal<Vec<DayFailure>>,
    /// The days asked for and not answered yet.
    pub(crate) asking: Asking,
}

impl LoadSignals {
    pub(crate) fn new() -> Self {
        let (progress, set_progress) = signal(Progress::default());
        let (failures, set_failures) = signal(Vec::<DayFailure>::new());
        LoadSignals {
            progress,
            set_progress,
            failures,
            set_failures,
            asking: Asking::new(),
        }
    }

    /// What a page gets: the signals to read, and Retry.
    pub(crate) fn load(self, retry_trigger: Trigger) -> RangeLoad {
        RangeLoad {
            progress: self.progress,
            failures: self.failures,
            slow: watch_for_stall(self.progress, self.asking),
            retry_trigger,
        }
    }
}

impl RangeLoad {
    /// Fetches the failed days again (only those).
    pub fn retry(&self) {
        self.retry_trigger.notify();
    }

    /// Sets the [`crate::perf::RANGE_LOADED`] mark the first time every day
    /// of this range has settled and the figures are added up (call it for a
    /// page's own range only).
    pub fn mark_when_settled(&self) {
        let progress = self.progress;
        let pending = AppContext::expect().figures_pending;
        Effect::new(move |_| {
            if progress.with(|p| p.total > 0 && !p.is_loading()) && pending.get() == 0 {
                crate::perf::mark_once(crate::perf::RANGE_LOADED);
            }
        });
    }
}

struct Run {
    generation: u64,
    cancel: Cancel,
    /// The days of this run not yet asked for.
    queue: Rc<RefCell<VecDeque<NaiveDate>>>,
}

/// Whose load it is, for [`crate::api::schedule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// The range the page shows: its days are asked for first.
    Page,
    /// A range the page only compares with or adds up: asked for once every
    /// day of the page's own range has been.
    Background,
}

/// How often days that arrive during a load are published. Every publish
/// re-aggregates each page's range and redraws it: publishing each day as it
/// came made a fast 90-day load spend most of its time re-rendering.
const PUBLISH_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// Days that arrived but are not published yet. The first day of a range is
/// published at once (the first chart waits for nothing), and so is the one
/// that completes the range; those in between at most every [`PUBLISH_EVERY`].
#[derive(Default)]
struct Arrivals {
    done: usize,
    scheduled: bool,
    published_first: bool,
}

/// What to do with a day that just arrived.
#[derive(Debug, PartialEq, Eq)]
enum Publish {
    Now,
    /// Start the timer that publishes it.
    Later,
    /// The running timer will publish it.
    Pending,
}

impl Arrivals {
    /// A day arrived; `settled` days of the range's `total` are published.
    fn arrive(&mut self, settled: usize, total: usize) -> Publish {
        self.done += 1;
        let completes = settled + self.done >= total;
        if !self.published_first || completes {
            self.published_first = true;
            Publish::Now
        } else if self.scheduled {
            Publish::Pending
        } else {
            self.scheduled = true;
            Publish::Later
        }
    }

    /// The days to publish now (`from_timer`: the scheduled timer fired).
    fn take(&mut self, from_timer: bool) -> usize {
        if from_timer {
            self.scheduled = false;
        }
        std::mem::take(&mut self.done)
    }

    /// A new range starts: unpublished days belong to the one being left.
    fn restart(&mut self) {
        self.done = 0;
        self.published_first = false;
    }
}

/// The requests of one run: what its workers share.
struct Job {
    source: DataSource,
    cancel: Cancel,
    queue: Rc<RefCell<VecDeque<NaiveDate>>>,
    /// The store's mark when the run began: a day stored after it was
    /// fetched by another load meanwhile.
    started: u64,
    generation: u64,
}

/// One worker's place in a run: the extra workers wait at `gate` until the
/// first answer is in; the first workers hold `open`, which the first
/// answer sends on.
struct Lanes {
    gate: Option<Shared<oneshot::Receiver<()>>>,
    open: Option<Rc<RefCell<Option<oneshot::Sender<()>>>>>,
}

/// A range's loader: its progress and failures, the run in flight and the
/// days that arrived but are not published yet. Every field is a handle
/// into the reactive arena, so the loader is `Copy` and its workers carry it.
#[derive(Clone, Copy)]
struct RangeLoader {
    store: UsageStore,
    page_lane: bool,
    signals: LoadSignals,
    run: StoredValue<Run, LocalStorage>,
    arrivals: StoredValue<Arrivals, LocalStorage>,
}

impl RangeLoader {
    fn new(store: UsageStore, lane: Lane) -> Self {
        RangeLoader {
            store,
            page_lane: lane == Lane::Page,
            signals: LoadSignals::new(),
            run: StoredValue::new_local(Run {
                generation: 0,
                cancel: Cancel::default(),
                queue: Rc::default(),
            }),
            arrivals: StoredValue::new_local(Arrivals::default()),
        }
    }

    /// Ends a run: cancels its requests, and gives up the days it had not
    /// asked for yet.
    fn end_run(self, run: &mut Run) {
        run.cancel.cancel();
        let left = run.queue.borrow_mut().drain(..).count();
        if self.page_lane {
            self.store.schedule().page_days_taken(left);
        }
    }

    /// Ends the run in flight, if the loader still exists.
    fn stop(self) {
        self.run.try_update_value(|run| self.end_run(run));
    }

    fn is_current(self, generation: u64) -> bool {
        self.run.try_with_value(|r| r.generation == generation) == Some(true)
    }

    /// Publishes the days that arrived (`from_timer`: the scheduled timer fired).
    fn publish(self, from_timer: bool) {
        let done = self
            .arrivals
            .try_update_value(|a| a.take(from_timer))
            .unwrap_or(0);
        if done > 0 {
            self.store.version.try_update(|v| *v += 1);
            self.signals.set_progress.try_update(|p| p.done += done);
        }
    }

    /// A day of the run is in the store.
    fn arrived(self) {
        let (settled, total) = self
            .signals
            .progress
            .with_untracked(|p| (p.done + p.failed, p.total));
        match self.arrivals.try_update_value(|a| a.arrive(settled, total)) {
            Some(Publish::Now) => self.publish(false),
            Some(Publish::Later) => set_timeout(move || self.publish(true), PUBLISH_EVERY),
            Some(Publish::Pending) | None => {}
        }
    }

    /// A day of the run failed: what arrived before is shown with the
    /// failure, never after it (the panel and figures agree).
    fn failed(self, day: NaiveDate, error: ApiError) {
        self.publish(false);
        self.signals.set_failures.update(|f| {
            f.push(DayFailure { day, error });
            order::sort_by(f, |a, b| a.day.cmp(&b.day));
        });
        self.signals.set_progress.update(|p| p.failed += 1);
    }

    /// The days of `range` that need a request now.
    fn days_to_fetch(self, range: DateRange) -> Vec<NaiveDate> {
        days_to_fetch(range, self.store.today(), |d| self.store.is_cached(d))
    }

    /// Starts a run for `days` of `range`, ending the one in flight.
    fn start(self, range: DateRange, days: Vec<NaiveDate>) {
        let store = self.store;
        let Some(source) = store.source() else { return };
        let cancel = Cancel::default();
        let queue = Rc::new(RefCell::new(VecDeque::from(days)));
        let started = store.now();
        let generation = self
            .run
            .try_update_value(|run| {
                self.end_run(run);
                run.cancel = cancel.clone();
                run.queue = Rc::clone(&queue);
                run.generation += 1;
                run.generation
            })
            .unwrap_or_default();
        let queued = queue.borrow().len();
        if self.page_lane {
            store.schedule().page_days_queued(queued);
        }
        let total = days_due(range, store.today());
        self.arrivals.update_value(Arrivals::restart);
        self.signals.set_progress.set(Progress {
            done: total.saturating_sub(queued),
            failed: 0,
            total,
        });
        self.signals.set_failures.set(Vec::new());
        if queued == 0 {
            return;
        }
        let demo = source.is_demo();
        // The extra workers (none for the demo, which answers at once) wait
        // for the first answer, or for every first worker to end, which
        // drops the sender.
        let extra = if demo { 0 } else { store.concurrency };
        let (open, gate) = oneshot::channel::<()>();
        let gate = gate.shared();
        let open = Rc::new(RefCell::new((extra > 0).then_some(open)));
        let job = Rc::new(Job {
            source,
            cancel,
            queue,
            started,
            generation,
        });
        for i in 0..store.concurrency + extra {
            let lanes = Lanes {
                gate: (i >= store.concurrency).then(|| gate.clone()),
                open: (i < store.concurrency).then(|| Rc::clone(&open)),
            };
            let worker = self.work(Rc::clone(&job), lanes);
            // API requests leave now, in the task that builds the page; the
            // demo answers synchronously, so it must not run inside that task.
            if demo {
                spawn_local(worker);
            } else {
                spawn_started(worker);
            }
        }
    }

    /// One worker: takes the run's days one by one until none is left, the
    /// run is cancelled or the user leaves its range.
    async fn work(self, job: Rc<Job>, lanes: Lanes) {
        let schedule = self.store.schedule();
        if let Some(gate) = lanes.gate {
            let _ = gate.await;
        }
        loop {
            if !self.page_lane {
                schedule.page_days_asked().await;
                if !self.is_current(job.generation) {
                    return;
                }
            }
            let next = job.queue.borrow_mut().pop_front();
            let Some(day) = next else { break };
            if self.page_lane {
                schedule.page_days_taken(1);
            }
            // `None`: another load fetched the day since this run began.
            let fetched = loop {
                if self.store.stored_since(day, job.started) {
                    break None;
                }
                let _asking = self.signals.asking.begin([day]);
                match schedule.claim(day) {
                    Flight::Fetch(guard) => {
                        break Some((guard, job.source.day(day, &job.cancel).await))
                    }
                    Flight::Wait(done) => {
                        let _ = done.await;
                        if !self.is_current(job.generation) {
                            return;
                        }
                    }
                }
            };
            let Some((_on_its_way, outcome)) = fetched else {
                self.arrived();
                continue;
            };
            if !self.is_current(job.generation) {
                return; // the user left this range: drop the answer
            }
            if !matches!(outcome, Err(ApiError::Cancelled)) {
                if let Some(open) = lanes.open.as_ref().and_then(|o| o.borrow_mut().take()) {
                    // In a later task: the answer's page update and first
                    // draw (microtasks) come first.
                    set_timeout(
                        move || {
                            let _ = open.send(());
                        },
                        std::time::Duration::ZERO,
                    );
                }
            }
            match outcome {
                Ok(records) => {
                    self.store.insert(day, records);
                    self.arrived();
                }
                Err(ApiError::Cancelled) => return,
                Err(error) => self.failed(day, error),
            }
        }
    }
}

/// Loads `range` into the app's day store whenever it changes; drops answers
/// for ranges the user has left and cancels their requests.
pub fn use_range_load(range: Signal<DateRange>, lane: Lane) -> RangeLoad {
    let loader = RangeLoader::new(AppContext::expect().store, lane);
    let retry_trigger = Trigger::new();

    // The first range starts now (its requests are in flight while the page
    // is built); the effect starts the ranges the user picks later.
    let first_range = range.get_untracked();
    loader.start(first_range, loader.days_to_fetch(first_range));
    Effect::new(move |previous: Option<DateRange>| {
        let range = range.get();
        if range != previous.unwrap_or(first_range) {
            loader.start(range, loader.days_to_fetch(range));
        }
        range
    });

    // Retry: the failed days again, and any day not in the store.
    Effect::watch(
        move || retry_trigger.track(),
        move |_, _, _| {
            let range = range.get_untracked();
            let failed: Vec<NaiveDate> = loader
                .signals
                .failures
                .with_untracked(|f| f.iter().map(|f| f.day).collect());
            let mut days = loader.days_to_fetch(range);
            days.retain(|d| failed.contains(d) || !loader.store.is_cached(*d));
            loader.start(range, days);
        },
        false,
    );

    on_cleanup(move || loader.stop());

    loader.signals.load(retry_trigger)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_fraction() {
        let p = Progress {
            done: 3,
            failed: 1,
            total: 8,
        };
        assert!(p.is_loading());
        assert!((p.fraction() - 0.5).abs() < 1e-9);
        assert!(!Progress::default().is_loading());
        assert_eq!(Progress::default().fraction(), 1.0);
    }

    #[test]
    fn arrivals_publish_the_first_and_the_last_day_at_once() {
        let mut a = Arrivals::default();
        // A range of 5 days: the first is published at once.
        assert_eq!(a.arrive(0, 5), Publish::Now);
        assert_eq!(a.take(false), 1);
        // The next ones wait for the timer...
        assert_eq!(a.arrive(1, 5), Publish::Later);
        assert_eq!(a.arrive(1, 5), Publish::Pending);
        assert_eq!(a.take(true), 2);
        // ... except the one that completes the range.
        assert_eq!(a.arrive(3, 5), Publish::Later);
        assert_eq!(a.arrive(3, 5), Publish::Now);
        assert_eq!(a.take(false), 2);
        // The timer still fires, with nothing left.
        assert_eq!(a.take(true), 0);
        // A new range: its first day is published at once again; if the range
        // changes before a timer fires, that day is dropped.
        a.restart();
        assert_eq!(a.arrive(0, 9), Publish::Now);
        assert_eq!(a.take(false), 1);
        assert_eq!(a.arrive(1, 9), Publish::Later);
        a.restart();
        assert_eq!(a.arrive(0, 3), Publish::Now);
        assert_eq!(a.take(false), 1);
        assert_eq!(a.arrive(1, 3), Publish::Pending);
        assert_eq!(a.take(true), 1);
    }
}
