//! What the loaded days add up to over a range: its aggregates (every
//! chart and card) and one row per member (the team table, top members).
//!
//! Each watched range keeps a builder that adds a day once, as soon as the
//! day reaches the store, so a publish of arrived days costs the range's days
//! or members, not its records (a 10,000-member month is ~186,000). Work is
//! done in slices of about [`SLICE_MS`], one slice per browser task, so
//! neither a load nor a rebuild holds the main thread for long.

use std::rc::Rc;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rustc_hash::FxHashMap;

use crate::case_fold::fold_case;
use crate::clock::now_millis;
use crate::format::spend_text;
use crate::model::aggregate::{AddDayError, AggregateBuilder, Aggregates};
use crate::model::dates::DateRange;
use crate::model::record::UsageRecord;
use crate::model::team::ActorTotalsBuilder;
use crate::state::store::UsageStore;
use crate::state::AppContext;
use crate::team_table::TeamRow;

/// About how long one task may spend adding days or preparing figures (at
/// least one day or a few hundred rows per slice): the rest of a task's
/// ~50 ms is for rendering what changed.
const SLICE_MS: f64 = 15.0;

/// Rows made between two looks at the clock.
const ROWS_PER_CHECK: usize = 256;

/// A range's figures, built a day at a time.
trait Build: 'static {
    type Output;
    fn new(range: DateRange) -> Self;
    fn add_day(&mut self, date: NaiveDate, records: &[UsageRecord]) -> Result<(), AddDayError>;
    /// Does the output's costly part until `deadline` (ms since the epoch);
    /// true when [`Build::output`] is cheap.
    fn prepare(&mut self, deadline: f64) -> bool;
    /// The figures of the days added so far.
    fn output(&mut self) -> Self::Output;
    /// Figures for a range shown for the first time while its days are
    /// being added, if they are cheap to give.
    fn partial(&mut self) -> Option<Self::Output>;
}

/// Every chart and card: finishing costs the range's days, models and
/// terminals only.
impl Build for AggregateBuilder {
    type Output = Aggregates;
    fn new(range: DateRange) -> Self {
        AggregateBuilder::new(range)
    }
    fn add_day(&mut self, date: NaiveDate, records: &[UsageRecord]) -> Result<(), AddDayError> {
        AggregateBuilder::add_day(self, date, records)
    }
    fn prepare(&mut self, _deadline: f64) -> bool {
        true
    }
    fn output(&mut self) -> Aggregates {
        self.finish()
    }
    fn partial(&mut self) -> Option<Aggregates> {
        Some(self.finish())
    }
}

/// The team table's rows: one per member, made in slices (10,000 members'
/// rows take longer than a task should), then put in order.
struct MemberRows {
    totals: ActorTotalsBuilder,
    /// The rows of the first `rows.len()` members (in the builder's slot
    /// order), made since the last day was added.
    rows: Vec<TeamRow>,
    /// The slots in the table's order, once every row is made.
    order: Option<Vec<usize>>,
}

impl Build for MemberRows {
    type Output = Vec<TeamRow>;
    fn new(range: DateRange) -> Self {
        MemberRows {
            totals: ActorTotalsBuilder::new(range),
            rows: Vec::new(),
            order: None,
        }
    }
    fn add_day(&mut self, date: NaiveDate, records: &[UsageRecord]) -> Result<(), AddDayError> {
        self.rows.clear();
        self.order = None;
        self.totals.add_day(date, records)
    }
    fn prepare(&mut self, deadline: f64) -> bool {
        while self.rows.len() < self.totals.len() {
            let end = (self.rows.len() + ROWS_PER_CHECK).min(self.totals.len());
            for slot in self.rows.len()..end {
                if let Some(t) = self.totals.get(slot) {
                    self.rows
                        .push(TeamRow::from_totals(t, spend_text(&t.spend), fold_case));
                }
            }
            if now_millis() >= deadline {
                return false;
            }
        }
        if self.order.is_none() {
            self.order = Some(self.totals.order());
        }
        true
    }
    fn output(&mut self) -> Vec<TeamRow> {
        // Normally `prepare` has done everything: only moving rows is left.
        let _ = self.prepare(f64::INFINITY);
        let order = self.order.take().unwrap_or_default();
        let mut rows: Vec<Option<TeamRow>> = std::mem::take(&mut self.rows)
            .into_iter()
            .map(Some)
            .collect();
        order
            .into_iter()
            .filter_map(|slot| rows.get_mut(slot).and_then(Option::take))
            .collect()
    }
    fn partial(&mut self) -> Option<Vec<TeamRow>> {
        None
    }
}

/// A builder for the watched range, and which of the store's days it holds.
struct Accumulator<B> {
    range: DateRange,
    builder: B,
    /// Each added day's store stamp: a day stored again (recent days are
    /// re-fetched) has a new one, and the builder starts over.
    added: FxHashMap<NaiveDate, u64>,
    /// Days were added (or the builder started over) since the last output.
    changed: bool,
    /// A task is adding days or preparing figures.
    working: bool,
    /// The memo kept older figures: the task prepares new ones, then runs it again.
    owed: bool,
    /// The range of the figures the memo gave last.
    shown: Option<DateRange>,
}

impl<B: Build> Accumulator<B> {
    fn new(range: DateRange) -> Self {
        Accumulator {
            range,
            builder: B::new(range),
            added: FxHashMap::default(),
            changed: true,
            working: false,
            owed: false,
            shown: None,
        }
    }

    /// Starts over for `range` if it is another one or one of the added days
    /// was stored again since.
    fn follow(&mut self, range: DateRange, store: &UsageStore) {
        let stale = self
            .added
            .iter()
            .any(|(day, stamp)| store.stamp(*day) != Some(*stamp));
        if range != self.range || stale {
            self.range = range;
            self.builder = B::new(range);
            self.added.clear();
            self.changed = true;
        }
    }

    /// The next day of the range that is in the store but not in the builder.
    fn next_day(&self, store: &UsageStore) -> Option<(NaiveDate, u64, Rc<[UsageRecord]>)> {
        self.range
            .days()
            .filter(|day| !self.added.contains_key(day))
            .find_map(|day| store.day(day).map(|(stamp, records)| (day, stamp, records)))
    }

    /// One slice of work: adds days (at least one) and, when `prepare`,
    /// prepares the figures, for about [`SLICE_MS`]. True when all is done.
    fn slice(&mut self, store: &UsageStore, prepare: bool) -> bool {
        let deadline = now_millis() + SLICE_MS;
        while let Some((day, stamp, records)) = self.next_day(store) {
            if let Err(error) = self.builder.add_day(day, &records) {
                // Not reachable: `added` lists what the builder holds.
                leptos::logging::warn!("claude-code-analytics: {error}");
            }
            self.added.insert(day, stamp);
            self.changed = true;
            if now_millis() >= deadline {
                return false;
            }
        }
        !prepare || self.builder.prepare(deadline)
    }
}

/// Counts a task that adds up figures in the app's pending figures while it
/// runs (the page is not settled before its figures are).
struct Pending(RwSignal<usize>);

impl Pending {
    fn start(count: RwSignal<usize>) -> Self {
        count.update(|n| *n += 1);
        Pending(count)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        self.0.try_update(|n| *n = n.saturating_sub(1));
    }
}

/// A watched range's accumulator, the task that fills it, and the memo of
/// its figures.
fn use_accumulated<B>(range: Signal<DateRange>) -> Memo<B::Output>
where
    B: Build,
    B::Output: Send + Sync,
{
    let ctx = AppContext::expect();
    let (store, figures_pending) = (ctx.store, ctx.figures_pending);
    let acc = StoredValue::new_local(Accumulator::<B>::new(range.get_untracked()));
    // Runs the memo again once the task has prepared the figures it kept back.
    let caught_up = Trigger::new();

    // Adds the days that are left, then prepares figures the memo waits
    // for, a slice per task (a zero timeout lets the browser paint and
    // handle input in between), while the range is watched.
    let work = move || {
        let idle = acc.try_update_value(|a| !std::mem::replace(&mut a.working, true));
        if idle != Some(true) {
            return;
        }
        let pending = Pending::start(figures_pending);
        spawn_local(async move {
            let _pending = pending;
            // A zero timeout before each slice puts it in a browser task of
            // its own, not in the one that stored the day (which decoded
            // its last page) or published it.
            let zero = || gloo_timers::future::TimeoutFuture::new(0);
            loop {
                zero().await;
                let done = acc.try_update_value(|a| {
                    a.follow(a.range, &store);
                    let owed = a.owed;
                    a.slice(&store, owed)
                });
                match done {
                    None => return, // the page that watched it is gone
                    Some(false) => {}
                    Some(true) => break,
                }
            }
            let owed = acc
                .try_update_value(|a| {
                    a.working = false;
                    std::mem::take(&mut a.owed)
                })
                .unwrap_or(false);
            if owed {
                // The figures render in the next task, not after the last slice.
                zero().await;
                caught_up.notify();
            }
        });
    };

    // A day reached the store: add it now, in a task of its own, rather
    // than in the publish that shows it.
    Effect::new(move |_| {
        store.track_stored();
        work();
    });

    Memo::new_owning(move |previous: Option<B::Output>| {
        store.track();
        caught_up.track();
        let range = range.get();
        let has_previous = previous.is_some();
        let output = acc.try_update_value(|a| {
            a.follow(range, &store);
            let current = a.shown == Some(range);
            // A publish of other ranges' days; a publish of this range's
            // days comes before the task has added them, so days in the
            // store that are not in the builder count as a change.
            if has_previous && current && !a.changed && a.next_day(&store).is_none() {
                return None;
            }
            if a.slice(&store, true) {
                a.shown = Some(range);
                a.changed = false;
                return Some(a.builder.output());
            }
            // Not all in yet: the task finishes, then runs this again.
            a.owed = true;
            if has_previous && current {
                return None; // the figures shown stay until then
            }
            // A range's first figures: what is in so far if that is cheap;
            // with no figures at all to keep, the whole of them now.
            let first = a
                .builder
                .partial()
                .or_else(|| (!has_previous).then(|| a.builder.output()));
            if first.is_some() {
                a.shown = Some(range);
            }
            first
        });
        if acc.with_value(|a| a.owed) {
            work();
        }
        match (output.flatten(), previous) {
            (Some(value), _) => (value, true),
            (None, Some(previous)) => (previous, false),
            // Not reachable: with no previous figures, new ones are given.
            (None, None) => (B::new(range).output(), true),
        }
    })
}

/// The aggregates of a range, from the days the store holds, brought up to
/// date when days are published (memoized, never per render).
pub fn use_aggregates(range: Signal<DateRange>) -> Memo<Aggregates> {
    use_accumulated::<AggregateBuilder>(range)
}

/// One row per member over `range`, from whatever days the store holds.
pub fn member_rows(range: Signal<DateRange>) -> Memo<Vec<TeamRow>> {
    use_accumulated::<MemberRows>(range)
}
