//! How the app loads a range: shared with the benchmark that reports on it.

/// Requests in flight at once until a range's first answer is in; then as
/// many again join them. A browser opens 6 connections per host over
/// HTTP/1.1 and queues the rest, sending each the moment a connection frees
/// without waiting for the page's main thread (which is busy drawing the days
/// that arrived). Before the first answer the extra requests would only
/// compete with the first chart for the network and the main thread.
pub const DEFAULT_CONCURRENCY: usize = 6;
