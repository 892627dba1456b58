//! Where a day's records come from: the built-in demo organization (no key
//! configured), or the Admin API through the durable cache.
//!
//! Freshness: a day fetched when it was already more than two days old is
//! final (the API does not change it any more) and is served from the cache
//! forever; anything fetched earlier expires after `recent_ttl`. Requests for
//! the same day wait for one another, so a burst of viewers costs one
//! upstream fetch per day.
//!
//! A reader may want only some of a day's records ([`Pick`]: one member's,
//! for a member summary): the day is fetched, cached and shared whole as
//! ever, and the cached copy is read without parsing the records left out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use cca::demo::{DemoConfig, DemoOrg};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::cache::{Cache, CachedDay};
use crate::error::Error;
use crate::member::MemberFilter;
use crate::params::utc_today;
use crate::upstream::Upstream;

/// Days this much older than their fetch are final.
const FINAL_AFTER_DAYS: i64 = 2;

/// How a day was answered, for the request log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheStatus {
    /// From the cache.
    Hit,
    /// From the cache, after waiting for another request's fetch.
    Shared,
    /// Fetched upstream for this request.
    Miss,
    /// Generated (demo) or known empty (a future day): no cache involved.
    None,
}

impl CacheStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CacheStatus::Hit => "hit",
            CacheStatus::Shared => "shared",
            CacheStatus::Miss => "miss",
            CacheStatus::None => "none",
        }
    }
}

#[derive(Debug, Clone)]
pub struct DayRecords {
    /// The day's records (those picked, for a [`Pick::Member`]).
    pub records: Arc<Vec<Value>>,
    pub cache: CacheStatus,
    /// Time spent upstream for this request.
    pub upstream_ms: Option<u64>,
    /// The copy was fetched from the Admin API once the day was final: it
    /// will never change (what is made of it may be kept for good).
    pub is_final: bool,
}

impl DayRecords {
    fn new(records: Vec<Value>, cache: CacheStatus, is_final: bool) -> Self {
        DayRecords {
            records: Arc::new(records),
            cache,
            upstream_ms: None,
            is_final,
        }
    }
}

/// Which of a day's records a reader wants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Pick {
    /// Every record: the usage path, the organization's summary.
    #[default]
    All,
    /// One member's records only: a member summary.
    Member(Arc<MemberFilter>),
}

impl Pick {
    pub fn member(&self) -> Option<&MemberFilter> {
        match self {
            Pick::All => None,
            Pick::Member(filter) => Some(filter),
        }
    }

    /// The picked records of a whole day's.
    fn apply(&self, records: Arc<Vec<Value>>) -> Arc<Vec<Value>> {
        match self {
            Pick::All => records,
            Pick::Member(filter) => Arc::new(
                records
                    .iter()
                    .filter(|record| filter.keeps(record))
                    .cloned()
                    .collect(),
            ),
        }
    }
}

pub enum Source {
    Demo(DemoSource),
    Upstream(Box<UpstreamSource>),
}

impl Source {
    /// The records of `day`. `continuing` is true for a request with a page
    /// cursor: it reads the cached copy whatever its age, so the pages of one
    /// day always come from the same copy.
    pub async fn day(&self, day: NaiveDate, continuing: bool) -> Result<DayRecords, Error> {
        self.picked(day, continuing, &Pick::All).await
    }

    /// The records of `day` that `pick` wants, by the same rules as
    /// [`Source::day`]: a day fetched upstream is cached whole.
    pub async fn picked(
        &self,
        day: NaiveDate,
        continuing: bool,
        pick: &Pick,
    ) -> Result<DayRecords, Error> {
        match self {
            Source::Demo(demo) => Ok(demo.day(day, pick)),
            Source::Upstream(upstream) => upstream.day(day, continuing, pick).await,
        }
    }

    /// The records of `day` (those `pick` wants) if they can be answered
    /// without the upstream: the demo, a future day, or a fresh cached copy.
    /// (A summary asks this once the Admin API has said it is rate limiting.)
    pub async fn picked_without_upstream(&self, day: NaiveDate, pick: &Pick) -> Option<DayRecords> {
        match self {
            Source::Demo(demo) => Some(demo.day(day, pick)),
            Source::Upstream(upstream) => upstream.day_without_upstream(day, pick).await,
        }
    }

    pub fn is_demo(&self) -> bool {
        matches!(self, Source::Demo(_))
    }
}

/// The demo organization, rebuilt when the UTC day changes (it has usage up
/// to "today").
#[derive(Default)]
pub struct DemoSource {
    org: Mutex<Option<Arc<DemoOrg>>>,
}

impl DemoSource {
    pub fn org(&self) -> Arc<DemoOrg> {
        let today = utc_today();
        let mut org = self.org.lock().unwrap_or_else(PoisonError::into_inner);
        match org.as_ref() {
            Some(current) if current.config().today == today => Arc::clone(current),
            _ => {
                let fresh = Arc::new(DemoOrg::new(DemoConfig {
                    today,
                    ..DemoConfig::default()
                }));
                *org = Some(Arc::clone(&fresh));
                fresh
            }
        }
    }

    fn day(&self, day: NaiveDate, pick: &Pick) -> DayRecords {
        let records = self
            .org()
            .records_for_day(day)
            .iter()
            .filter_map(|record| serde_json::to_value(record).ok())
            .filter(|record| pick.member().is_none_or(|filter| filter.keeps(record)))
            .collect();
        DayRecords::new(records, CacheStatus::None, false)
    }
}

/// A fetch that failed, and when: requests that were already waiting for it
/// get its error instead of each trying the upstream again in turn.
#[derive(Debug, Clone)]
struct Failure {
    at: Instant,
    error: Error,
}

pub struct UpstreamSource {
    upstream: Upstream,
    cache: Arc<Cache>,
    /// Names this upstream and key in the cache, so another organization's
    /// key never reads this one's days.
    source_id: String,
    recent_ttl: Duration,
    /// One lock per day being fetched, holding that day's last failure.
    inflight: Mutex<HashMap<NaiveDate, Arc<tokio::sync::Mutex<Option<Failure>>>>>,
    /// Days the upstream refused (a 4xx such as a day it does not serve),
    /// answered with the same error for `recent_ttl` without asking again.
    refused: Mutex<HashMap<NaiveDate, Failure>>,
}

impl UpstreamSource {
    pub fn new(
        upstream: Upstream,
        cache: Arc<Cache>,
        source_id: String,
        recent_ttl: Duration,
    ) -> Self {
        UpstreamSource {
            upstream,
            cache,
            source_id,
            recent_ttl,
            inflight: Mutex::new(HashMap::new()),
            refused: Mutex::new(HashMap::new()),
        }
    }

    /// The remembered refusal of `day`, while it is younger than `recent_ttl`.
    fn refusal(&self, day: NaiveDate) -> Option<Error> {
        let mut refused = self.refused.lock().unwrap_or_else(PoisonError::into_inner);
        match refused.get(&day) {
            Some(failure) if failure.at.elapsed() < self.recent_ttl => Some(failure.error.clone()),
            Some(_) => {
                refused.remove(&day);
                None
            }
            None => None,
        }
    }

    async fn day(
        &self,
        day: NaiveDate,
        continuing: bool,
        pick: &Pick,
    ) -> Result<DayRecords, Error> {
        if day > utc_today() {
            // No usage exists yet: nothing to ask, nothing to keep.
            return Ok(DayRecords::new(Vec::new(), CacheStatus::None, false));
        }
        if let Some(cached) = self.cached(day, pick).await {
            if continuing || self.is_fresh(day, &cached) {
                return Ok(DayRecords::new(
                    cached.records,
                    CacheStatus::Hit,
                    is_final_copy(day, cached.fetched_at),
                ));
            }
        }
        if let Some(error) = self.refusal(day) {
            return Err(error);
        }
        let lock = {
            let mut inflight = self.inflight.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(inflight.entry(day).or_default())
        };
        let waiting_since = Instant::now();
        let mut last_failure = lock.lock().await;
        // Whoever held the lock before may have just stored the day, or
        // just failed to: either way this request shares their outcome.
        if let Some(cached) = self.cached(day, pick).await {
            if self.is_fresh(day, &cached) {
                return Ok(DayRecords::new(
                    cached.records,
                    CacheStatus::Shared,
                    is_final_copy(day, cached.fetched_at),
                ));
            }
        }
        if let Some(failure) = last_failure.as_ref().filter(|f| f.at >= waiting_since) {
            return Err(failure.error.clone());
        }
        let fetched = match self.upstream.fetch_day(day).await {
            Ok(fetched) => fetched,
            Err(error) => {
                let failure = Failure {
                    at: Instant::now(),
                    error: error.clone(),
                };
                if matches!(error, Error::UpstreamRefused { .. }) {
                    tracing::warn!(%day, %error, ttl_secs = self.recent_ttl.as_secs(), "the Admin API refused this day; not asking again for a while");
                    self.refused
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(day, failure.clone());
                }
                *last_failure = Some(failure);
                return Err(error);
            }
        };
        *last_failure = None;
        let upstream_ms = u64::try_from(fetched.elapsed.as_millis()).unwrap_or(u64::MAX);
        tracing::debug!(%day, calls = fetched.calls, records = fetched.records.len(), "fetched upstream");
        let records = Arc::new(fetched.records);
        self.store(day, Arc::clone(&records)).await;
        Ok(DayRecords {
            records: pick.apply(records),
            cache: CacheStatus::Miss,
            upstream_ms: Some(upstream_ms),
            is_final: is_final_copy(day, Utc::now().timestamp()),
        })
    }

    async fn day_without_upstream(&self, day: NaiveDate, pick: &Pick) -> Option<DayRecords> {
        if day > utc_today() {
            return Some(DayRecords::new(Vec::new(), CacheStatus::None, false));
        }
        let cached = self.cached(day, pick).await?;
        self.is_fresh(day, &cached).then(|| {
            let is_final = is_final_copy(day, cached.fetched_at);
            DayRecords::new(cached.records, CacheStatus::Hit, is_final)
        })
    }

    fn is_fresh(&self, day: NaiveDate, cached: &CachedDay) -> bool {
        is_fresh(
            day,
            cached.fetched_at,
            Utc::now().timestamp(),
            self.recent_ttl,
        )
    }

    /// The cached copy (its records that `pick` wants), if any; a cache
    /// that fails to read is a miss.
    async fn cached(&self, day: NaiveDate, pick: &Pick) -> Option<CachedDay> {
        let cache = Arc::clone(&self.cache);
        let source = self.source_id.clone();
        let pick = pick.clone();
        let read = move || match pick.member() {
            None => cache.get(&source, day),
            Some(filter) => cache.get_where(&source, day, &|record| filter.keeps_json(record)),
        };
        match tokio::task::spawn_blocking(read).await {
            Ok(Ok(found)) => found,
            Ok(Err(error)) => {
                tracing::warn!(%day, %error, "cache read failed; fetching upstream");
                None
            }
            Err(error) => {
                tracing::warn!(%day, %error, "cache read task failed");
                None
            }
        }
    }

    /// Stores a fetched day; a failed write only costs a later refetch.
    async fn store(&self, day: NaiveDate, records: Arc<Vec<Value>>) {
        let cache = Arc::clone(&self.cache);
        let source = self.source_id.clone();
        let now = Utc::now().timestamp();
        let written =
            tokio::task::spawn_blocking(move || cache.put(&source, day, now, &records)).await;
        match written {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%day, %error, "cache write failed"),
            Err(error) => tracing::warn!(%day, %error, "cache write task failed"),
        }
    }
}

/// Whether a copy of `day` fetched at `fetched_at` (seconds since the
/// epoch) was fetched once the day was final.
pub fn is_final_copy(day: NaiveDate, fetched_at: i64) -> bool {
    DateTime::from_timestamp(fetched_at, 0)
        .is_some_and(|t| (t.date_naive() - day).num_days() > FINAL_AFTER_DAYS)
}

/// Whether a copy of `day` fetched at `fetched_at` may be served at `now`
/// (both seconds since the epoch).
pub fn is_fresh(day: NaiveDate, fetched_at: i64, now: i64, recent_ttl: Duration) -> bool {
    if is_final_copy(day, fetched_at) {
        return true;
    }
    let age = now.saturating_sub(fetched_at);
    age >= 0 && u64::try_from(age).is_ok_and(|age| age < recent_ttl.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_days_are_final_recent_ones_expire() {
        // What is kept for good: copies fetched more than two days after their day.
        let d = NaiveDate::from_ymd_opt(2025, 9, 8).unwrap();
        let at = |y, m, day| {
            NaiveDate::from_ymd_opt(y, m, day)
                .and_then(|t| t.and_hms_opt(12, 0, 0))
                .map_or(0, |t| t.and_utc().timestamp())
        };
        assert!(!is_final_copy(d, at(2025, 9, 8)));
        assert!(!is_final_copy(d, at(2025, 9, 10)));
        assert!(is_final_copy(d, at(2025, 9, 11)));
        assert!(is_final_copy(d, at(2026, 9, 11)));
        let ttl = Duration::from_secs(300);
        let day = NaiveDate::from_ymd_opt(2025, 9, 8).unwrap();
        let at = |d: u32, h: u32| {
            NaiveDate::from_ymd_opt(2025, 9, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp()
        };
        // Fetched three days later: final, even a year on.
        assert!(is_fresh(day, at(11, 0), at(11, 0) + 365 * 86_400, ttl));
        // Fetched the next day: fresh for five minutes only.
        assert!(is_fresh(day, at(9, 12), at(9, 12) + 299, ttl));
        assert!(!is_fresh(day, at(9, 12), at(9, 12) + 300, ttl));
        assert!(!is_fresh(day, at(10, 23), at(12, 0), ttl));
        // A clock that went backwards does not make a copy fresh forever.
        assert!(!is_fresh(day, at(9, 12), at(9, 11), ttl));
    }
}
