//! Claude Code Analytics: a Leptos (CSR) dashboard compiled to WebAssembly.
//!
//! The pure logic (records, decoding, aggregation, the demo organization,
//! roles and policy, config, formatting, chart layout and drawing) is the
//! `cca-core` crate, re-exported here under the paths the app has always
//! used; this crate renders it: state, hooks, components, pages.

pub mod api;
pub mod app;
pub mod auth;
pub mod boot;
pub mod case_fold;
pub mod clock;
pub mod components;
pub mod pages;
pub mod perf;

pub use cca_core::{config, demo, format, model};
