//! The names of the User Timing marks the app sets at page-load milestones
//! (the app sets them; the benchmarks and a host's monitoring read them).

/// Set the first time, per page load, that a chart is drawn with data.
pub const FIRST_CHART: &str = "cca:first-chart";
/// Set the first time, per page load, that every day of the page's range has
/// settled (loaded or failed).
pub const RANGE_LOADED: &str = "cca:range-loaded";
/// Set the first time, per page load, that every load of the page has
/// settled: its range, and what it compares with or adds up (the previous
/// period, the month). The page is complete from then on.
pub const PAGE_LOADED: &str = "cca:page-loaded";
