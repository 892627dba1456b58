//! The server's integration tests, as one test binary: one link of the
//! server's stack instead of one per file (130 MB each in a debug build).
//! The tests share this process's log subscriber (`common::Logs`): a test
//! that reads lines back marks its own with `common::in_test_span`.

mod common;

mod api;
mod app_files;
mod cache;
mod cli;
mod logs;
mod member_summary;
mod page_roles;
mod socket;
mod summary;
