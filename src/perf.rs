//! User Timing marks for page-load milestones. They cost one
//! `performance.mark` per page load each, and are useful beyond our own
//! benchmarks: real users' monitoring (RUM scripts, the browser's
//! performance panel, a `PerformanceObserver` of the host page) sees when the
//! dashboard became useful, not only when the document loaded.

/// Set the first time, per page load, that a chart is drawn with data.
pub const FIRST_CHART: &str = "cca:first-chart";
/// Set the first time, per page load, that every day of the page's range has
/// settled (loaded or failed).
pub const RANGE_LOADED: &str = "cca:range-loaded";

/// `performance.mark(name)` the first time it is called with `name` in this
/// page load; later calls do nothing. Errors are ignored (a mark is never
/// worth failing for); natively it is a no-op.
#[cfg(target_arch = "wasm32")]
pub fn mark_once(name: &'static str) {
    use std::cell::RefCell;
    thread_local! {
        static MARKED: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    }
    let first = MARKED.with(|marked| {
        let mut marked = marked.borrow_mut();
        let first = !marked.contains(&name);
        if first {
            marked.push(name);
        }
        first
    });
    if let Some(performance) = first
        .then(web_sys::window)
        .flatten()
        .and_then(|w| w.performance())
    {
        let _ = performance.mark(name);
    }
}

/// Native builds (tests, tools) have no `performance`: nothing to do.
#[cfg(not(target_arch = "wasm32"))]
pub fn mark_once(_name: &'static str) {}
