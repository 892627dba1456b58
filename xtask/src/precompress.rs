//! Precompressed copies of a release build's files: `name.br` (brotli quality
//! 11) and `name.gz` (gzip best) beside each compressible `name`, for servers
//! that send a stored variant instead of compressing on every request
//! (`cca-server`, nginx `gzip_static`/`brotli_static`, Caddy `precompressed`).
//!
//! The output is deterministic: same file, same bytes (gzip with no mtime and
//! no file name), so a rebuild of the same app embeds the same binary.
//!
//! HTML is left out on purpose: it is the one file deployers edit (the config
//! block of docs/embedding.md), a stale `index.html.gz` beside an edited
//! `index.html` would be served by `gzip_static`, it is ~2 KiB and revalidated
//! on every load (cheap to compress on the fly), and `cca-server` never sends
//! it as stored (it injects the config).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};

use crate::error::Error;
use crate::sizes;

/// Extensions worth compressing: text, wasm, and the one uncompressed image format.
const COMPRESSIBLE: [&str; 10] = [
    "wasm",
    "js",
    "mjs",
    "css",
    "svg",
    "json",
    "txt",
    "ico",
    "map",
    "webmanifest",
];

/// The suffixes of the variants this step writes.
pub const VARIANT_SUFFIXES: [&str; 2] = [".br", ".gz"];

/// True for `name.br` / `name.gz`: a copy of another file, not a file a
/// browser asks for by name (size reports and budgets skip it).
pub fn is_variant(path: &str) -> bool {
    VARIANT_SUFFIXES.iter().any(|s| path.ends_with(s))
}

/// True when `name` gets `.br`/`.gz` variants.
pub fn is_compressible(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| COMPRESSIBLE.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Brotli quality 11, window 22 (the encoder's maximum for quality 11).
pub fn brotli(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}

/// Gzip at the best level, with no file name and mtime 0 in the header, so
/// the bytes depend on the content alone.
pub fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut gz: GzEncoder<Vec<u8>> = GzBuilder::new()
        .mtime(0)
        .operating_system(255) // "unknown": the same on every build machine
        .write(Vec::new(), Compression::best());
    gz.write_all(data)?;
    gz.finish()
}

/// Writes the variants of every compressible file under `dir` (recursively)
/// and returns the variants written, sorted. A variant that would not be
/// smaller than its file is not written (it would only cost bytes), and an
/// old one is removed, so nothing stale is left to be served.
pub fn run(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    sizes::walk(dir, &mut files)?;
    files.sort();
    let mut written = Vec::new();
    for file in files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if is_variant(&name) || !is_compressible(&name) {
            continue;
        }
        let data = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
        let variants = [("br", brotli(&data)), ("gz", gzip(&data))];
        for (suffix, packed) in variants {
            let packed = packed.map_err(|e| Error::io(&file, e))?;
            let target = file.with_file_name(format!("{name}.{suffix}"));
            if packed.len() < data.len() {
                std::fs::write(&target, &packed).map_err(|e| Error::io(&target, e))?;
                written.push(target);
            } else if target.exists() {
                std::fs::remove_file(&target).map_err(|e| Error::io(&target, e))?;
            }
        }
    }
    written.sort();
    Ok(written)
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;
    use crate::sizes;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-precompress-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("snippets")).unwrap();
        dir
    }

    fn unbrotli(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &data[..], &mut out).unwrap();
        out
    }

    fn ungzip(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn which_files() {
        for name in [
            "app-1_bg.wasm",
            "a.js",
            "A.CSS",
            "x.svg",
            "robots.txt",
            "f.ico",
        ] {
            assert!(is_compressible(name), "{name}");
        }
        for name in [
            "index.html",
            "404.html",
            "favicon.png",
            "a.js.br",
            "a.js.gz",
            "LICENSE",
        ] {
            assert!(!is_compressible(name), "{name}");
        }
        assert!(is_variant("a.wasm.br") && is_variant("snippets/a.js.gz"));
        assert!(!is_variant("a.wasm") && !is_variant("brand.svg"));
    }

    #[test]
    fn writes_variants_that_decompress_to_the_original_and_skips_the_rest() {
        let dir = temp_dir("run");
        let wasm: Vec<u8> = (0..20_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let js = "export function f(){return 1}\n".repeat(200);
        std::fs::write(dir.join("app-0123456789abcdef_bg.wasm"), &wasm).unwrap();
        std::fs::write(dir.join("snippets/a.js"), &js).unwrap();
        std::fs::write(dir.join("index.html"), "<html>".repeat(100)).unwrap();
        std::fs::write(dir.join("favicon.png"), [0u8; 500]).unwrap();
        // Too small to gain: no variant, and a stale one goes away.
        std::fs::write(dir.join("robots.txt"), "x").unwrap();
        std::fs::write(dir.join("robots.txt.gz"), "stale").unwrap();

        let written = run(&dir).unwrap();
        let names: Vec<String> = written
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "app-0123456789abcdef_bg.wasm.br",
                "app-0123456789abcdef_bg.wasm.gz",
                "snippets/a.js.br",
                "snippets/a.js.gz",
            ]
        );
        let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
        assert_eq!(unbrotli(&read("app-0123456789abcdef_bg.wasm.br")), wasm);
        assert_eq!(ungzip(&read("app-0123456789abcdef_bg.wasm.gz")), wasm);
        assert_eq!(unbrotli(&read("snippets/a.js.br")), js.as_bytes());
        assert_eq!(ungzip(&read("snippets/a.js.gz")), js.as_bytes());
        for skipped in [
            "index.html.br",
            "index.html.gz",
            "favicon.png.br",
            "robots.txt.gz",
        ] {
            assert!(!dir.join(skipped).exists(), "{skipped}");
        }

        // Deterministic: a second run writes the same bytes, and adds no
        // variants of variants.
        let before = read("snippets/a.js.gz");
        assert_eq!(run(&dir).unwrap(), written);
        assert_eq!(read("snippets/a.js.gz"), before);
        assert_eq!(gzip(js.as_bytes()).unwrap(), before);

        // The size report and the budget count each file once, uncompressed
        // originals only: the variants change nothing.
        let files = sizes::measure(&dir).unwrap();
        assert!(files.iter().all(|f| !is_variant(&f.path)), "{files:?}");
        assert_eq!(files.len(), 5);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn gzip_header_has_no_time_or_name() {
        let gz = gzip(b"hello").unwrap();
        // ID1 ID2 CM FLG, then MTIME (4 bytes), XFL, OS.
        assert_eq!(&gz[..4], &[0x1f, 0x8b, 8, 0]);
        assert_eq!(&gz[4..8], &[0, 0, 0, 0]);
        assert_eq!(gz[9], 255);
    }
}
