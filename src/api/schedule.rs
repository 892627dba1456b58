//! Who goes first when several loads share the browser's connections.
//!
//! A browser sends at most six requests at once per host over HTTP/1.1 and
//! queues the rest in the order they were made. A page that also loads a range
//! it only compares with (the overview's previous period, the spend page's
//! month) used to make those requests alongside its own, so its own days
//! waited behind them. Now a *background* load asks for its next day only once
//! every day of the page's own range has been asked for. And a day already on
//! its way, for whichever load, is awaited rather than asked for twice.

use std::cell::RefCell;
use std::future::Future;
use std::hash::Hash;
use std::rc::Rc;

use chrono::NaiveDate;
use futures::channel::oneshot;
use futures::future::{Either, Shared};
use futures::FutureExt;
use rustc_hash::FxHashMap;

#[derive(Default)]
struct Inner {
    /// Days of the page's own ranges not yet asked for.
    page_days_queued: usize,
    /// Background loads waiting for `page_days_queued` to reach 0.
    waiting: Vec<oneshot::Sender<()>>,
}

/// Shared by every load of the app (cheap to clone).
#[derive(Clone, Default)]
pub struct Schedule {
    inner: Rc<RefCell<Inner>>,
    /// Days being fetched.
    days: InFlight<NaiveDate>,
}

/// Requests on their way, by what they ask for (a day, a range's summary):
/// a second load that wants the same waits for the first instead of asking
/// again. Cheap to clone.
pub struct InFlight<K>(Rc<RefCell<FxHashMap<K, Shared<oneshot::Receiver<()>>>>>);

impl<K> Clone for InFlight<K> {
    fn clone(&self) -> Self {
        InFlight(Rc::clone(&self.0))
    }
}

impl<K> Default for InFlight<K> {
    fn default() -> Self {
        InFlight(Rc::default())
    }
}

/// What a load does about something it wants.
pub enum Flight<K: Hash + Eq + Clone> {
    /// Fetch it; others wait until this is dropped.
    Fetch(FetchGuard<K>),
    /// Another load is fetching it: wait for that to end, then look again.
    Wait(Shared<oneshot::Receiver<()>>),
}

/// Marks a request as on its way until dropped.
pub struct FetchGuard<K: Hash + Eq + Clone> {
    flights: InFlight<K>,
    key: K,
    _done: oneshot::Sender<()>,
}

impl<K: Hash + Eq + Clone> Drop for FetchGuard<K> {
    fn drop(&mut self) {
        self.flights.0.borrow_mut().remove(&self.key);
    }
}

impl<K: Hash + Eq + Clone> InFlight<K> {
    /// Claims `key` for fetching, unless another load is fetching it.
    pub fn claim(&self, key: K) -> Flight<K> {
        let mut flights = self.0.borrow_mut();
        if let Some(done) = flights.get(&key) {
            return Flight::Wait(done.clone());
        }
        let (sender, receiver) = oneshot::channel();
        flights.insert(key.clone(), receiver.shared());
        Flight::Fetch(FetchGuard {
            flights: self.clone(),
            key,
            _done: sender,
        })
    }
}

impl Schedule {
    /// A page's own load queued `n` more days.
    pub fn page_days_queued(&self, n: usize) {
        self.inner.borrow_mut().page_days_queued += n;
    }

    /// A page's own load asked for (or dropped) `n` of its queued days.
    pub fn page_days_taken(&self, n: usize) {
        let waiting = {
            let mut inner = self.inner.borrow_mut();
            inner.page_days_queued = inner.page_days_queued.saturating_sub(n);
            if inner.page_days_queued > 0 {
                return;
            }
            std::mem::take(&mut inner.waiting)
        };
        for sender in waiting {
            let _ = sender.send(());
        }
    }

    /// Ready once no page's own day is left to ask for.
    pub fn page_days_asked(&self) -> impl Future<Output = ()> {
        let mut inner = self.inner.borrow_mut();
        if inner.page_days_queued == 0 {
            return Either::Left(std::future::ready(()));
        }
        let (sender, receiver) = oneshot::channel();
        inner.waiting.push(sender);
        Either::Right(receiver.map(|_| ()))
    }

    /// Claims `day` for fetching, unless another load is fetching it.
    pub fn claim(&self, day: NaiveDate) -> Flight<NaiveDate> {
        self.days.claim(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    #[test]
    fn background_waits_until_every_page_day_was_asked_for() {
        let schedule = Schedule::default();
        assert!(schedule.page_days_asked().now_or_never().is_some());
        schedule.page_days_queued(3);
        let mut first = Box::pin(schedule.page_days_asked());
        let mut second = Box::pin(schedule.page_days_asked());
        schedule.page_days_taken(2);
        assert!((&mut first).now_or_never().is_none());
        // A new range of the page adds its days before the last is taken.
        schedule.page_days_queued(2);
        schedule.page_days_taken(1);
        assert!((&mut second).now_or_never().is_none());
        schedule.page_days_taken(2);
        assert!(first.now_or_never().is_some());
        assert!(second.now_or_never().is_some());
        // Taking more than was queued (a cancelled range's rest) is harmless.
        schedule.page_days_taken(5);
        assert!(schedule.page_days_asked().now_or_never().is_some());
    }

    #[test]
    fn a_day_on_its_way_is_awaited_not_fetched_twice() {
        let schedule = Schedule::default();
        let Flight::Fetch(guard) = schedule.claim(day(1)) else {
            panic!("the first claim fetches");
        };
        let Flight::Wait(mut wait) = schedule.claim(day(1)) else {
            panic!("the second claim waits");
        };
        assert!(matches!(schedule.claim(day(2)), Flight::Fetch(_)));
        assert!((&mut wait).now_or_never().is_none());
        drop(guard);
        assert!(wait.now_or_never().is_some());
        // Once that fetch ended, the day can be claimed again.
        assert!(matches!(schedule.claim(day(1)), Flight::Fetch(_)));
    }
}
