//! Claude Code Analytics: a Leptos (CSR) dashboard compiled to WebAssembly.
//!
//! The pure logic (records, decoding, aggregation, the demo organization,
//! roles and policy, config, formatting, chart layout and drawing) is the
//! `cca-core` crate, re-exported here under the paths the app has always
//! used; this crate renders it: state, hooks, components, pages.

pub mod api;
pub mod app;
pub mod boot;
pub mod case_fold;
pub mod clock;
pub mod components;
pub mod hooks;
pub mod pages;
pub mod perf;
pub mod state;

pub use cca_core::{
    auth, config, csv, definitions, demo, format, model, paths, specs, table_csv, team_month,
    team_table, team_view,
};

/// The app's layering, checked on its sources: pages build on components,
/// hooks and state; components never know a page; only hooks and the state
/// module itself touch the day store.
#[cfg(test)]
mod layering {
    use std::path::{Path, PathBuf};

    fn sources(dir: &str) -> Vec<(PathBuf, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
        let mut out = Vec::new();
        let mut pending = vec![root];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    out.push((path, text));
                }
            }
        }
        assert!(!out.is_empty(), "no sources under src/{dir}");
        out
    }

    /// Lines of code (not comments) of `text` that contain `needle`.
    fn uses(text: &str, needle: &str) -> Vec<String> {
        text.lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .filter(|line| line.contains(needle))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn no_page_imports_another_page() {
        for (path, text) in sources("pages") {
            if path.ends_with("pages/mod.rs") {
                continue;
            }
            let found = uses(&text, "crate::pages");
            assert!(found.is_empty(), "{}: {found:?}", path.display());
        }
    }

    #[test]
    fn components_know_no_page() {
        for (path, text) in sources("components") {
            let found = uses(&text, "crate::pages");
            assert!(found.is_empty(), "{}: {found:?}", path.display());
        }
    }

    #[test]
    fn pages_and_components_stay_out_of_the_day_store() {
        for (path, text) in sources("pages").into_iter().chain(sources("components")) {
            for needle in [
                ".store",
                "UsageStore",
                "state::store",
                ".summaries",
                "SummaryStore",
            ] {
                let found = uses(&text, needle);
                assert!(found.is_empty(), "{}: {found:?}", path.display());
            }
        }
    }

    /// A page that loaded raw days itself would bypass the summaries of an
    /// API that offers them: pages load and read ranges through
    /// `hooks::usage` only.
    #[test]
    fn pages_load_ranges_through_the_usage_hooks() {
        for (path, text) in sources("pages").into_iter().chain(sources("components")) {
            for needle in ["use_range_load", "hooks::aggregates", "summary_load"] {
                let found = uses(&text, needle);
                assert!(found.is_empty(), "{}: {found:?}", path.display());
            }
        }
    }
}
