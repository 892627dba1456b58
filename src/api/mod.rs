//! Talking to the console API (or the built-in demo organization): typed
//! errors, the HTTP client, retries, and the day loader with its cache.

pub mod client;
pub mod error;
pub mod pages;
pub mod retry;
pub mod schedule;
pub mod source;
pub mod spawn;
