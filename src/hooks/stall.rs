//! A load that stops moving. When no day of a loading range has settled for
//! [`SLOW_AFTER`], the page names the days it is still waiting for and
//! offers Retry; the requests go on meanwhile (a slow API is not a failed
//! one, and the client's own timeout and retries still apply).

use std::time::Duration;

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::hooks::range_load::Progress;

/// How long a loading range may go without a day settling before the page
/// says so.
pub const SLOW_AFTER: Duration = Duration::from_secs(20);

/// The days a load has asked for and has no answer for yet, one entry per
/// request (two runs of a loader may wait for the same day for a moment,
/// while the one being left winds down). A plain list: a load asks for a
/// few days at a time (a summary for at most a range's 400).
#[derive(Clone, Copy)]
pub(crate) struct Asking(StoredValue<Vec<NaiveDate>, LocalStorage>);

impl Asking {
    pub(crate) fn new() -> Self {
        Asking(StoredValue::new_local(Vec::new()))
    }

    /// `days` are asked for until the returned guard is dropped (the answer
    /// came, failed, or the request was cancelled).
    pub(crate) fn begin(self, days: impl IntoIterator<Item = NaiveDate>) -> AskingGuard {
        let days: Vec<NaiveDate> = days.into_iter().collect();
        self.0
            .try_update_value(|asking| asking.extend_from_slice(&days));
        AskingGuard { asking: self, days }
    }

    /// The days waited for, oldest first, once each.
    fn days(self) -> Vec<NaiveDate> {
        let mut days = self.0.try_get_value().unwrap_or_default();
        days.sort_unstable();
        days.dedup();
        days
    }
}

/// Ends the asking for its days when dropped.
pub(crate) struct AskingGuard {
    asking: Asking,
    days: Vec<NaiveDate>,
}

impl Drop for AskingGuard {
    fn drop(&mut self) {
        self.asking.0.try_update_value(|asking| {
            for day in &self.days {
                if let Some(at) = asking.iter().position(|d| d == day) {
                    asking.swap_remove(at);
                }
            }
        });
    }
}

/// The days a load has been waiting for since its progress last moved, once
/// that is [`SLOW_AFTER`] ago; `None` while it moves, or is done.
pub(crate) fn watch_for_stall(
    progress: ReadSignal<Progress>,
    asking: Asking,
) -> ReadSignal<Option<Vec<NaiveDate>>> {
    let (slow, set_slow) = signal(None::<Vec<NaiveDate>>);
    // Which timer is the live one: each move of the progress starts anew.
    let armed = StoredValue::new(0u64);
    Effect::new(move |_| {
        let loading = progress.with(Progress::is_loading);
        set_slow.set(None);
        let Some(timer) = armed.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        if !loading {
            return;
        }
        set_timeout(
            move || {
                let still = armed.try_get_value() == Some(timer)
                    && progress.try_with_untracked(Progress::is_loading) == Some(true);
                let days = asking.days();
                if still && !days.is_empty() {
                    set_slow.try_set(Some(days));
                }
            },
            SLOW_AFTER,
        );
    });
    slow
}
