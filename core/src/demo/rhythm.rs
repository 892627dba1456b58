//! The demo's calendar: weekends, company holidays and the org-wide ebb and
//! flow of work from day to day. Everything is a pure function of the seed
//! and the date.

use chrono::{Datelike, NaiveDate, Weekday};

use super::rng::{Rng, Stream};

/// Holidays come one per block of this many days (three weeks).
const HOLIDAY_BLOCK_DAYS: i64 = 21;

/// Days since 1970-01-01 (negative before).
pub(crate) fn day_number(day: NaiveDate) -> i64 {
    day.signed_duration_since(NaiveDate::default()).num_days()
}

pub(crate) fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

fn is_weekend_number(n: i64) -> bool {
    // 1970-01-01 was a Thursday: (n + 3) mod 7 is 0 for Monday.
    (n + 3).rem_euclid(7) >= 5
}

/// A company holiday: one weekday in every three-week block. People mostly
/// stay away and nobody accepts or rejects edits, so the day has activity but
/// no accept rate.
pub(crate) fn is_holiday(seed: u64, day: NaiveDate) -> bool {
    let n = day_number(day);
    let block_start = n.div_euclid(HOLIDAY_BLOCK_DAYS) * HOLIDAY_BLOCK_DAYS;
    // Every block of 21 consecutive days holds exactly 15 weekdays.
    let pick = Rng::keyed(seed, Stream::Holiday, block_start as u64, 0).below(15);
    (block_start..block_start + HOLIDAY_BLOCK_DAYS)
        .filter(|&d| !is_weekend_number(d))
        .nth(pick as usize)
        == Some(n)
}

/// How busy the whole organization is on `day`, around 1.0: a two-week sprint
/// wave (quiet after planning, busiest before the sprint ends) plus noise.
pub(crate) fn org_busyness(seed: u64, day: NaiveDate) -> f64 {
    let n = day_number(day);
    let sprint_position = n.rem_euclid(14) as f64 / 13.0;
    let noise = Rng::keyed(seed, Stream::OrgDay, n as u64, 0).around(1.0, 0.12);
    (0.85 + 0.3 * sprint_position) * noise
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn day_numbers_and_weekends() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(1969, 12, 31)), -1);
        assert_eq!(day_number(date(2025, 9, 8)), 20_339);
        assert!(!is_weekend(date(2025, 9, 8))); // Monday
        assert!(is_weekend(date(2025, 9, 13)));
        assert!(is_weekend(date(2025, 9, 14)));
        let mut day = date(1969, 6, 1);
        while day < date(1971, 1, 1) {
            assert_eq!(is_weekend(day), is_weekend_number(day_number(day)), "{day}");
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn exactly_one_weekday_holiday_per_block() {
        for seed in [0, 1, 42] {
            let first = date(2025, 1, 1);
            let start = day_number(first).div_euclid(21) * 21 + 21;
            for block in 0..10 {
                let holidays: Vec<NaiveDate> = (0..21)
                    .map(|i| {
                        first
                            + chrono::Days::new((start - day_number(first) + block * 21 + i) as u64)
                    })
                    .filter(|&d| is_holiday(seed, d))
                    .collect();
                assert_eq!(holidays.len(), 1, "seed {seed} block {block}");
                assert!(!is_weekend(holidays[0]));
            }
        }
    }

    #[test]
    fn busyness_stays_in_a_sane_band() {
        let mut day = date(2025, 1, 1);
        for _ in 0..100 {
            let b = org_busyness(9, day);
            assert!((0.74..1.30).contains(&b), "{b}");
            assert_eq!(b, org_busyness(9, day));
            day = day.succ_opt().unwrap();
        }
    }
}
