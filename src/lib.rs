//! Claude Code Analytics: a Leptos (CSR) dashboard compiled to WebAssembly.
//!
//! Pure logic (`model`, `auth`, `config`, `format`, `demo`, chart layout) is
//! free of the DOM and tested natively; the rest renders it.

pub mod app;
pub mod auth;
pub mod boot;
pub mod components;
pub mod config;
pub mod model;
pub mod pages;
