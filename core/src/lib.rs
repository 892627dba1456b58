//! The pure logic of Claude Code Analytics, shared by the browser app, the
//! server and the tests: wire records and their decoding, aggregation over
//! periods and members, the demo organization, roles and the page policy, the
//! host configuration, number and date formatting, the team table's order,
//! CSV, URL state and months, the other tables' CSVs, and chart specs, scales
//! and drawing (generic over the plotters backend). Nothing here knows
//! Leptos, the DOM or wasm-bindgen, so it all builds and is tested natively,
//! and the server computes with exactly the browser's code.

pub mod auth;
pub mod chart;
pub mod config;
pub mod csv;
pub mod definitions;
pub mod demo;
pub mod format;
pub mod leaderboard;
pub mod loading;
pub mod marks;
pub mod model;
pub mod paths;
pub mod specs;
pub mod summary;
pub mod table_csv;
pub mod team_month;
pub mod team_table;
pub mod team_view;
