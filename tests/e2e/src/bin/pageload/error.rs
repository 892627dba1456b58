//! Why a page-load benchmark could not finish.

#[derive(Debug, thiserror::Error)]
pub enum PageloadError {
    #[error(
        "usage: {0}\n\nusage: pageload [--runs N] [--reference DIR] [--scale-only]\n  N ≥ 1, default 7; CCA_DIST picks the build; DIR is the minimal\n  Leptos + plotters page built from tests/reference (cargo xtask bench builds it);\n  --scale-only: only the 10,000-member organization (its raw records, then\n  through the cca-server binary: $CCA_SERVER_BIN, default target/server/cca-server),\n  at most 3 runs"
    )]
    Usage(String),
    #[error(transparent)]
    Browser(#[from] cca_e2e::E2eError),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Missing(String),
}
