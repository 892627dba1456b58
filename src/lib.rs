//! Claude Code Analytics: a Leptos (CSR) dashboard compiled to WebAssembly.
//!
//! Pure logic (`model`, `auth` policy, `config`, `format`, `demo`, chart
//! drawing and layout) is free of the DOM and tested natively; the rest
//! renders it.

pub mod api;
pub mod app;
pub mod auth;
pub mod boot;
pub mod clock;
pub mod components;
pub mod config;
pub mod demo;
pub mod format;
pub mod model;
pub mod pages;
pub mod perf;
