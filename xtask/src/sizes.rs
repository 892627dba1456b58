//! `cargo xtask sizes`: the bytes a browser downloads from `dist/`, raw and
//! compressed as a server would send them (gzip best, brotli quality 11).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::precompress;

/// File kinds in display order.
pub const KINDS: [&str; 5] = ["wasm", "js", "css", "html", "other"];

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Size {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl Size {
    fn add(&mut self, o: Size) {
        self.raw = self.raw.saturating_add(o.raw);
        self.gzip = self.gzip.saturating_add(o.gzip);
        self.brotli = self.brotli.saturating_add(o.brotli);
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSize {
    /// Path relative to dist, with `/` separators.
    pub path: String,
    pub kind: &'static str,
    pub size: Size,
}

pub fn kind_of(path: &str) -> &'static str {
    match path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
    {
        Some(ext) if ext == "wasm" => "wasm",
        Some(ext) if ext == "js" || ext == "mjs" => "js",
        Some(ext) if ext == "css" => "css",
        Some(ext) if ext == "html" || ext == "htm" => "html",
        _ => "other",
    }
}

/// Measures every file under `dist`, sorted by kind then path; an error if
/// there is no `.wasm` (no release build). The precompressed `name.br` /
/// `name.gz` copies are left out: a browser downloads one form of a file, and
/// its compressed sizes are measured here from the original.
pub fn measure(dist: &Path) -> Result<Vec<FileSize>, Error> {
    if !dist.is_dir() {
        return Err(Error::NoBuild(dist.to_path_buf()));
    }
    let mut files = Vec::new();
    walk(dist, &mut files)?;
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let rel = file.strip_prefix(dist).unwrap_or(&file);
        let path = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if precompress::is_variant(&path) {
            continue;
        }
        let data = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
        let kind = kind_of(&path);
        let size = compressed(&data).map_err(|e| Error::io(&file, e))?;
        out.push(FileSize { path, kind, size });
    }
    if !out.iter().any(|f| f.kind == "wasm") {
        return Err(Error::NoBuild(dist.to_path_buf()));
    }
    out.sort_by(|a, b| (rank(a.kind), &a.path).cmp(&(rank(b.kind), &b.path)));
    Ok(out)
}

fn rank(kind: &str) -> usize {
    KINDS.iter().position(|k| *k == kind).unwrap_or(KINDS.len())
}

/// Every file below `dir`, recursively.
pub fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else if path.is_file() {
            files.push(path);
        }
    }
    Ok(())
}

/// The sizes a server sends: the same encoders (and settings) as the
/// precompressed files `cargo xtask build` writes.
pub fn compressed(data: &[u8]) -> std::io::Result<Size> {
    Ok(Size {
        raw: data.len() as u64,
        gzip: precompress::gzip(data)?.len() as u64,
        brotli: precompress::brotli(data)?.len() as u64,
    })
}

/// Per-kind subtotals (kinds with no files left out) and the grand total.
pub fn totals(files: &[FileSize]) -> (Vec<(&'static str, Size)>, Size) {
    let mut by_kind = Vec::new();
    let mut total = Size::default();
    for kind in KINDS {
        let mut sum = Size::default();
        let mut any = false;
        for f in files.iter().filter(|f| f.kind == kind) {
            sum.add(f.size);
            any = true;
        }
        if any {
            by_kind.push((kind, sum));
            total.add(sum);
        }
    }
    (by_kind, total)
}

/// The most brotli bytes a first visit may load ([`first_visit`]): the stable
/// release build plus 3 %, so an accident fails `cargo xtask test`. A feature
/// that needs more raises this in the same commit and says what it costs in
/// docs/benchmarks.md.
pub const BUDGET_BROTLI: u64 = BUDGET_BROTLI_KIB * 1024;
const BUDGET_BROTLI_KIB: u64 = 306;

/// The files a browser loads on its first visit: everything in `dist` but the
/// `404.html` fallback, which static hosts serve only for unknown paths, and
/// the precompressed `.br`/`.gz` copies (a browser gets one form of a file).
pub fn first_visit(files: &[FileSize]) -> Vec<FileSize> {
    files
        .iter()
        .filter(|f| f.path != "404.html" && !precompress::is_variant(&f.path))
        .cloned()
        .collect()
}

/// `Err` with a message when the first visit's brotli bytes exceed `max`.
pub fn check_budget(files: &[FileSize], max: u64) -> Result<u64, Error> {
    let (_, total) = totals(&first_visit(files));
    if total.brotli > max {
        return Err(Error::OverBudget {
            brotli: total.brotli,
            max,
        });
    }
    Ok(total.brotli)
}

/// `1536` → `1.5 KiB`; below 1 KiB in bytes.
pub fn human(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

/// Plain text: every file, then per-kind subtotals and the total.
pub fn render_text(files: &[FileSize]) -> String {
    let width = files
        .iter()
        .map(|f| f.path.len())
        .max()
        .unwrap_or(0)
        .max(10);
    let mut out = String::new();
    let row = |out: &mut String, name: &str, kind: &str, s: Size| {
        let _ = writeln!(
            out,
            "{name:<width$}  {kind:<5} {:>10} {:>11} {:>11} {:>11}",
            s.raw,
            human(s.raw),
            human(s.gzip),
            human(s.brotli)
        );
    };
    let _ = writeln!(
        out,
        "{:<width$}  {:<5} {:>10} {:>11} {:>11} {:>11}",
        "file", "type", "bytes", "raw", "gzip", "brotli"
    );
    for f in files {
        row(&mut out, &f.path, f.kind, f.size);
    }
    let (by_kind, total) = totals(files);
    for (kind, s) in by_kind {
        row(&mut out, &format!("all {kind}"), kind, s);
    }
    row(&mut out, "total", "", total);
    out
}

/// A markdown table by kind (file names carry hashes, so they are left out).
pub fn render_markdown(files: &[FileSize]) -> String {
    let mut out =
        String::from("| type | files | raw | gzip | brotli |\n|---|---:|---:|---:|---:|\n");
    let (by_kind, total) = totals(files);
    for (kind, s) in &by_kind {
        let n = files.iter().filter(|f| f.kind == *kind).count();
        let _ = writeln!(
            out,
            "| {kind} | {n} | {} | {} | {} |",
            human(s.raw),
            human(s.gzip),
            human(s.brotli)
        );
    }
    let _ = writeln!(
        out,
        "| **total** | {} | **{}** | **{}** | **{}** |",
        files.len(),
        human(total.raw),
        human(total.gzip),
        human(total.brotli)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, raw: u64, gzip: u64, brotli: u64) -> FileSize {
        FileSize {
            path: path.into(),
            kind: kind_of(path),
            size: Size { raw, gzip, brotli },
        }
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of("app-1a2b_bg.wasm"), "wasm");
        assert_eq!(kind_of("app-1a2b.js"), "js");
        assert_eq!(kind_of("snippets/x/inline0.JS"), "js");
        assert_eq!(kind_of("style-9f.css"), "css");
        assert_eq!(kind_of("index.html"), "html");
        assert_eq!(kind_of("favicon.svg"), "other");
        assert_eq!(kind_of("LICENSE"), "other");
    }

    #[test]
    fn compression_shrinks_repetitive_data_and_round_trips_sizes() {
        let data = b"abcdefgh".repeat(1000);
        let s = compressed(&data).unwrap();
        assert_eq!(s.raw, 8000);
        assert!(s.gzip < 200, "{s:?}");
        assert!(s.brotli < 100, "{s:?}");
        let empty = compressed(b"").unwrap();
        assert_eq!(empty.raw, 0);
        assert_eq!(empty.gzip, 20); // gzip header + trailer + empty deflate block
    }

    #[test]
    fn totals_by_kind_in_order() {
        let files = [
            file("a.wasm", 1000, 400, 300),
            file("a.js", 100, 50, 40),
            file("b.js", 10, 9, 8),
            file("index.html", 5, 5, 5),
        ];
        let (by_kind, total) = totals(&files);
        assert_eq!(
            by_kind,
            vec![
                (
                    "wasm",
                    Size {
                        raw: 1000,
                        gzip: 400,
                        brotli: 300
                    }
                ),
                (
                    "js",
                    Size {
                        raw: 110,
                        gzip: 59,
                        brotli: 48
                    }
                ),
                (
                    "html",
                    Size {
                        raw: 5,
                        gzip: 5,
                        brotli: 5
                    }
                ),
            ]
        );
        assert_eq!(
            total,
            Size {
                raw: 1115,
                gzip: 464,
                brotli: 353
            }
        );
    }

    #[test]
    fn budget_counts_the_first_visit_only() {
        let files = [
            file("a.wasm", 2048, 1024, 900),
            file("a.js", 100, 80, 60),
            file("index.html", 100, 80, 40),
            file("404.html", 100, 80, 40),
            // Precompressed copies are another form of a counted file.
            file("a.wasm.br", 900, 900, 900),
            file("a.js.gz", 80, 80, 80),
        ];
        assert_eq!(check_budget(&files, 1000).unwrap(), 1000);
        assert!(matches!(
            check_budget(&files, 999),
            Err(Error::OverBudget {
                brotli: 1000,
                max: 999
            })
        ));
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human(0), "0 B");
        assert_eq!(human(1023), "1023 B");
        assert_eq!(human(1536), "1.5 KiB");
        assert_eq!(human(386_048), "377.0 KiB");
    }

    #[test]
    fn markdown_table() {
        let files = [
            file("a.wasm", 2048, 1024, 512),
            file("index.html", 100, 80, 60),
        ];
        assert_eq!(
            render_markdown(&files),
            "| type | files | raw | gzip | brotli |\n|---|---:|---:|---:|---:|\n\
             | wasm | 1 | 2.0 KiB | 1.0 KiB | 512 B |\n\
             | html | 1 | 100 B | 80 B | 60 B |\n\
             | **total** | 2 | **2.1 KiB** | **1.1 KiB** | **572 B** |\n"
        );
    }

    #[test]
    fn measure_walks_dist_and_requires_wasm() {
        let dist = std::env::temp_dir().join(format!("xtask-sizes-{}", std::process::id()));
        std::fs::create_dir_all(dist.join("snippets")).unwrap();
        std::fs::write(dist.join("index.html"), "<html></html>").unwrap();
        std::fs::write(dist.join("snippets/a.js"), "x").unwrap();
        assert!(matches!(measure(&dist), Err(Error::NoBuild(_))));
        std::fs::write(dist.join("app_bg.wasm"), [0u8, 97, 115, 109]).unwrap();
        std::fs::write(dist.join("app_bg.wasm.br"), [1u8]).unwrap();
        std::fs::write(dist.join("snippets/a.js.gz"), [1u8]).unwrap();
        let files = measure(&dist).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["app_bg.wasm", "snippets/a.js", "index.html"]);
        assert_eq!(files[0].size.raw, 4);
        std::fs::remove_dir_all(&dist).unwrap();
        assert!(matches!(measure(&dist), Err(Error::NoBuild(_))));
    }
}
