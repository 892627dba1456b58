//! Starting a request in the current task instead of the next one.
//!
//! `spawn_local` first polls a future in a microtask, i.e. after the code
//! that spawned it has finished. When that code is the whole initial render
//! (mounting the app, then building a page), a request spawned at its start
//! leaves only after it, and the wait is added straight to the time to first
//! chart (docs/benchmarks.md).

use std::future::Future;
use std::task::{Context, Waker};

use leptos::prelude::untrack;
use leptos::task::spawn_local;

/// Polls `future` once now, so whatever it starts before its first `.await`
/// that is pending (a `fetch`) begins at once, then spawns the rest.
///
/// The first poll uses a no-op waker; that is sound because every future
/// stores the waker of its latest poll, and the spawned task polls again
/// right away with its own. Reads of signals in that first poll are not
/// tracked by whatever effect is running.
pub fn spawn_started(future: impl Future<Output = ()> + 'static) {
    let mut future = Box::pin(future);
    let first = untrack(|| {
        future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
    });
    if first.is_pending() {
        spawn_local(future);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    #[test]
    fn runs_up_to_the_first_pending_await_at_once() {
        let steps = Rc::new(Cell::new(0));
        let seen = Rc::clone(&steps);
        // A future that finishes in its first poll runs entirely now and is
        // never handed to the executor (none exists in a native test).
        spawn_started(async move {
            seen.set(seen.get() + 1);
            std::future::ready(()).await;
            seen.set(seen.get() + 1);
        });
        assert_eq!(steps.get(), 2);
    }
}
