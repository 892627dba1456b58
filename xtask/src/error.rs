//! The one error type of xtask: every failure ends as a clear message and exit code 1.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::glue::GlueError;

#[derive(Debug)]
pub enum Error {
    /// Bad command line; the text says what was wrong.
    Usage(String),
    /// A file or directory could not be read or written.
    Io { path: PathBuf, source: io::Error },
    /// A program could not be started at all (usually: not installed).
    Spawn { program: String, source: io::Error },
    /// A program ran and exited unsuccessfully.
    Failed { command: String, status: String },
    /// A required tool is missing or has the wrong version and cannot be installed here.
    Tool { tool: String, help: String },
    /// Cargo.lock lacks what we need from it.
    Lock(String),
    /// `dist/` is missing or holds no build.
    NoBuild(PathBuf),
    /// An environment variable that must be set is not.
    Env(&'static str),
    /// A build directory without exactly one `*_bg.wasm` and its `.js`.
    NoWasmPair(PathBuf),
    /// The release build's wasm could not be read.
    Wasm(String),
    /// lightningcss could not read a stylesheet of the release build.
    Css { path: PathBuf, message: String },
    /// The release build's JS glue does not match its wasm.
    Glue(GlueError),
    /// A first visit would load more brotli bytes than the budget allows.
    OverBudget { brotli: u64, max: u64 },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(msg) => write!(f, "{msg}\n\n{}", crate::USAGE),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Spawn { program, source } if source.kind() == io::ErrorKind::NotFound => {
                write!(f, "`{program}` not found on PATH")
            }
            Error::Spawn { program, source } => write!(f, "cannot start `{program}`: {source}"),
            Error::Failed { command, status } => write!(f, "`{command}` failed ({status})"),
            Error::Tool { tool, help } => write!(f, "{tool}: {help}"),
            Error::Lock(msg) => write!(f, "Cargo.lock: {msg}"),
            Error::NoBuild(dist) => write!(
                f,
                "no release build in {}: run `cargo xtask build` first",
                dist.display()
            ),
            Error::Env(var) => write!(f, "environment variable {var} is not set"),
            Error::NoWasmPair(dir) => write!(
                f,
                "expected one `*_bg.wasm` with its `.js` in {}",
                dir.display()
            ),
            Error::Wasm(e) => write!(f, "ordering the wasm's functions: {e}"),
            Error::Css { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Glue(e) => write!(f, "compacting the JS glue: {e}"),
            Error::OverBudget { brotli, max } => write!(
                f,
                "a first visit loads {brotli} bytes brotli, over the budget of {max} \
                 (xtask/src/sizes.rs BUDGET_BROTLI: raise it deliberately, with the cost \
                 in docs/benchmarks.md)"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } | Error::Spawn { source, .. } => Some(source),
            Error::Glue(e) => Some(e),
            _ => None,
        }
    }
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
