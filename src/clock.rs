//! Today's UTC date: the browser's clock on wasm, the system clock natively.

use chrono::NaiveDate;

/// Today as a UTC day.
pub fn today_utc() -> NaiveDate {
    let millis = now_millis();
    let days = (millis / 86_400_000.0).floor();
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_signed(chrono::TimeDelta::days(days as i64)))
        .unwrap_or_default()
}

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_after_2025() {
        assert!(today_utc() > NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    }
}
