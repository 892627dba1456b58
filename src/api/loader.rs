//! The day loader: a date range becomes one request per UTC day, fetched with
//! bounded concurrency into an app-wide per-day cache, with progress,
//! partial results (failed days named and retried on their own) and
//! cancellation (answers for a range the user has left are dropped).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use chrono::{NaiveDate, TimeDelta};
use futures::channel::oneshot;
use futures::FutureExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rustc_hash::FxHashMap;

use crate::api::client::Cancel;
use crate::api::error::ApiError;
use crate::api::schedule::{Flight, Schedule};
use crate::api::source::DataSource;
use crate::api::spawn::spawn_started;
use crate::model::dates::DateRange;
use crate::model::order;
use crate::model::record::UsageRecord;

pub use cca_core::loading::DEFAULT_CONCURRENCY;
/// A day at least this many days before today no longer changes.
const SETTLED_AFTER_DAYS: i64 = 2;

/// Which days need a request: missing ones, and recent ones (they may still change).
pub fn days_to_fetch(
    range: DateRange,
    today: NaiveDate,
    is_cached: impl Fn(NaiveDate) -> bool,
) -> Vec<NaiveDate> {
    range
        .days()
        .filter(|day| *day <= today)
        .filter(|day| !is_cached(*day) || !is_settled(*day, today))
        .collect()
}

/// Whether a day is old enough that its data will not change any more.
pub fn is_settled(day: NaiveDate, today: NaiveDate) -> bool {
    day <= today - TimeDelta::days(SETTLED_AFTER_DAYS)
}

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

/// A day that could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct DayFailure {
    pub day: NaiveDate,
    pub error: ApiError,
}

struct StoreInner {
    source: DataSource,
    days: FxHashMap<NaiveDate, Rc<[UsageRecord]>>,
    /// When each day was stored, in [`StoreInner::stored`]'s count.
    stamps: FxHashMap<NaiveDate, u64>,
    /// Days stored so far.
    stored: u64,
    schedule: Schedule,
}

/// The app-wide cache of loaded days, and where they come from.
#[derive(Clone, Copy)]
pub struct UsageStore {
    inner: StoredValue<StoreInner, LocalStorage>,
    /// Bumped when days are added, so aggregations recompute.
    version: RwSignal<u64>,
    today: NaiveDate,
    concurrency: usize,
}

impl UsageStore {
    pub fn new(source: DataSource, today: NaiveDate) -> Self {
        UsageStore {
            inner: StoredValue::new_local(StoreInner {
                source,
                days: FxHashMap::default(),
                stamps: FxHashMap::default(),
                stored: 0,
                schedule: Schedule::default(),
            }),
            version: RwSignal::new(0),
            today,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn source(&self) -> Option<DataSource> {
        self.inner.try_with_value(|inner| inner.source.clone())
    }

    fn schedule(&self) -> Schedule {
        self.inner
            .try_with_value(|inner| inner.schedule.clone())
            .unwrap_or_default()
    }

    /// Tracks the store: a reactive reader re-runs when days are added.
    pub fn track(&self) {
        self.version.track();
    }

    /// Runs `f` with the loaded days (untracked; call `track` first).
    pub fn with_days<R>(
        &self,
        f: impl FnOnce(&FxHashMap<NaiveDate, Rc<[UsageRecord]>>) -> R,
    ) -> Option<R> {
        self.inner.try_with_value(|inner| f(&inner.days))
    }

    fn is_cached(&self, day: NaiveDate) -> bool {
        self.inner
            .try_with_value(|inner| inner.days.contains_key(&day))
            .unwrap_or(false)
    }

    fn insert(&self, day: NaiveDate, records: Vec<UsageRecord>) {
        self.inner.update_value(|inner| {
            inner.days.insert(day, records.into());
            inner.stored += 1;
            inner.stamps.insert(day, inner.stored);
        });
    }

    /// A mark to compare with: days stored after it are [`Self::stored_since`] it.
    fn now(&self) -> u64 {
        self.inner.try_with_value(|inner| inner.stored).unwrap_or(0)
    }

    /// Whether `day` was stored after `mark` (by any load).
    fn stored_since(&self, day: NaiveDate, mark: u64) -> bool {
        self.inner
            .try_with_value(|inner| inner.stamps.get(&day).is_some_and(|s| *s > mark))
            .unwrap_or(false)
    }
}

/// What a page gets from [`use_range_load`].
#[derive(Clone, Copy)]
pub struct RangeLoad {
    pub progress: ReadSignal<Progress>,
    pub failures: ReadSignal<Vec<DayFailure>>,
    retry_trigger: Trigger,
}

impl RangeLoad {
    /// Fetches the failed days again (only those).
    pub fn retry(&self) {
        self.retry_trigger.notify();
    }

    /// Sets the [`crate::perf::RANGE_LOADED`] mark the first time every day
    /// of this range has settled (call it for a page's own range only).
    pub fn mark_when_settled(&self) {
        let progress = self.progress;
        Effect::new(move |_| {
            if progress.with(|p| p.total > 0 && !p.is_loading()) {
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

/// Loads `range` into `store` whenever it changes; drops answers for ranges
/// the user has left and cancels their requests.
pub fn use_range_load(store: UsageStore, range: Signal<DateRange>, lane: Lane) -> RangeLoad {
    let page_lane = lane == Lane::Page;
    let (progress, set_progress) = signal(Progress::default());
    let (failures, set_failures) = signal(Vec::<DayFailure>::new());
    let retry_trigger = Trigger::new();
    let run = StoredValue::new_local(Run {
        generation: 0,
        cancel: Cancel::default(),
        queue: Rc::default(),
    });
    // Ends a run: cancels its requests, and gives up the days it had not
    // asked for yet.
    let end_run = move |run: &mut Run| {
        run.cancel.cancel();
        let left = run.queue.borrow_mut().drain(..).count();
        if page_lane {
            store.schedule().page_days_taken(left);
        }
    };
    let arrivals = StoredValue::new_local(Arrivals::default());
    let publish = move |from_timer: bool| {
        let done = arrivals
            .try_update_value(|a| a.take(from_timer))
            .unwrap_or(0);
        if done > 0 {
            store.version.try_update(|v| *v += 1);
            set_progress.try_update(|p| p.done += done);
        }
    };
    let arrived = move || {
        let (settled, total) = progress.with_untracked(|p| (p.done + p.failed, p.total));
        match arrivals.try_update_value(|a| a.arrive(settled, total)) {
            Some(Publish::Now) => publish(false),
            Some(Publish::Later) => set_timeout(move || publish(true), PUBLISH_EVERY),
            Some(Publish::Pending) | None => {}
        }
    };

    let start = move |range: DateRange, days: Vec<NaiveDate>| {
        let Some(source) = store.source() else { return };
        let cancel = Cancel::default();
        let queue = Rc::new(RefCell::new(VecDeque::from(days)));
        let started = store.now();
        let generation = run
            .try_update_value(|run| {
                end_run(run);
                run.cancel = cancel.clone();
                run.queue = Rc::clone(&queue);
                run.generation += 1;
                run.generation
            })
            .unwrap_or_default();
        let queued = queue.borrow().len();
        if page_lane {
            store.schedule().page_days_queued(queued);
        }
        let total = range.days().filter(|d| *d <= store.today()).count();
        arrivals.update_value(Arrivals::restart);
        set_progress.set(Progress {
            done: total.saturating_sub(queued),
            failed: 0,
            total,
        });
        set_failures.set(Vec::new());
        if queued == 0 {
            return;
        }
        let is_current = move || run.try_with_value(|r| r.generation == generation) == Some(true);
        let demo = source.is_demo();
        // The extra workers (none for the demo, which answers at once) wait
        // for the first answer, or for every first worker to end, which
        // drops the sender.
        let extra = if demo { 0 } else { store.concurrency };
        let (open, gate) = oneshot::channel::<()>();
        let gate = gate.shared();
        let open = Rc::new(RefCell::new((extra > 0).then_some(open)));
        for i in 0..store.concurrency + extra {
            let queue = Rc::clone(&queue);
            let source = source.clone();
            let cancel = cancel.clone();
            let gate = (i >= store.concurrency).then(|| gate.clone());
            let open = (i < store.concurrency).then(|| Rc::clone(&open));
            let schedule = store.schedule();
            let worker = async move {
                if let Some(gate) = gate {
                    let _ = gate.await;
                }
                loop {
                    if !page_lane {
                        schedule.page_days_asked().await;
                        if !is_current() {
                            return;
                        }
                    }
                    let next = queue.borrow_mut().pop_front();
                    let Some(day) = next else { break };
                    if page_lane {
                        schedule.page_days_taken(1);
                    }
                    // `None`: another load fetched the day since this run began.
                    let fetched = loop {
                        if store.stored_since(day, started) {
                            break None;
                        }
                        match schedule.claim(day) {
                            Flight::Fetch(guard) => {
                                break Some((guard, source.day(day, &cancel).await))
                            }
                            Flight::Wait(done) => {
                                let _ = done.await;
                                if !is_current() {
                                    return;
                                }
                            }
                        }
                    };
                    let Some((_on_its_way, outcome)) = fetched else {
                        arrived();
                        continue;
                    };
                    if !is_current() {
                        return; // the user left this range: drop the answer
                    }
                    if !matches!(outcome, Err(ApiError::Cancelled)) {
                        if let Some(open) = open.as_ref().and_then(|o| o.borrow_mut().take()) {
                            // In a later task: the answer's page update and
                            // first draw (microtasks) come first.
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
                            store.insert(day, records);
                            arrived();
                        }
                        Err(ApiError::Cancelled) => return,
                        Err(error) => {
                            // What arrived before is shown with the failure,
                            // never after it (the panel and figures agree).
                            publish(false);
                            set_failures.update(|f| {
                                f.push(DayFailure { day, error });
                                order::sort_by(f, |a, b| a.day.cmp(&b.day));
                            });
                            set_progress.update(|p| p.failed += 1);
                        }
                    }
                }
            };
            // API requests leave now, in the task that builds the page; the
            // demo answers synchronously, so it must not run inside that task.
            if demo {
                spawn_local(worker);
            } else {
                spawn_started(worker);
            }
        }
    };

    // The first range starts now (its requests are in flight while the page
    // is built); the effect starts the ranges the user picks later.
    let first_range = range.get_untracked();
    start(
        first_range,
        days_to_fetch(first_range, store.today(), |d| store.is_cached(d)),
    );
    Effect::new(move |previous: Option<DateRange>| {
        let range = range.get();
        if range != previous.unwrap_or(first_range) {
            let days = days_to_fetch(range, store.today(), |d| store.is_cached(d));
            start(range, days);
        }
        range
    });

    Effect::new(move |first: Option<()>| {
        retry_trigger.track();
        if first.is_none() {
            return;
        }
        let range = range.get_untracked();
        let failed: Vec<NaiveDate> = failures.get_untracked().iter().map(|f| f.day).collect();
        let mut days = days_to_fetch(range, store.today(), |d| store.is_cached(d));
        days.retain(|d| failed.contains(d) || !store.is_cached(*d));
        start(range, days);
    });

    on_cleanup(move || {
        run.try_update_value(end_run);
    });

    RangeLoad {
        progress,
        failures,
        retry_trigger,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    #[test]
    fn fetches_missing_and_recent_days_only() {
        let range = DateRange::new(day(1), day(10)).unwrap();
        let today = day(9);
        let cached = |d: NaiveDate| d <= day(8);
        // Days 1..=6 are settled and cached; 7 and 8 are recent; 9 is missing; 10 is in the future.
        assert_eq!(days_to_fetch(range, today, cached), vec![day(8), day(9)]);
        assert!(is_settled(day(7), today));
        assert!(!is_settled(day(8), today));
    }

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
