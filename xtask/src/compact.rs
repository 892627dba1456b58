//! Release builds only: the wasm and its JS glue made smaller after Trunk.
//!
//! 1. binaryen's wasm-opt orders the wasm's functions by their code
//!    ([`crate::wasm_order`] names them so), gives every import and export a
//!    short name (`--minify-imports-and-exports-and-modules`) and prints what
//!    it renamed; [`crate::glue`] makes the same renames in the JS glue. The
//!    names wasm-bindgen writes are long and end in hashes, which do not
//!    compress, and each is in both files.
//! 2. terser minifies the glue (wasm-bindgen writes it readable, with JSDoc,
//!    and Trunk's own minifier cannot read it); lightningcss the CSS.
//! 3. The files get new content-hashed names, since their content changed,
//!    and `index.html` their names and new `integrity` hashes ([`crate::assets`]).
//!
//! Without the pinned wasm-opt or terser (a hand-run `trunk build --release`
//! on a machine that was never set up) that step is skipped with a warning:
//! the build stays correct, only larger.

use std::path::{Path, PathBuf};
use std::process::Command;

use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};

use crate::error::Error;
use crate::glue::{self, Mapping};
use crate::{assets, postbuild, run, tools, wasm_order};

/// The wasm-bindgen pair of a Trunk build: `<stem>_bg.wasm` and `<stem>.js`.
#[derive(Debug, PartialEq, Eq)]
struct Pair {
    /// `claude-code-analytics-0123456789abcdef`
    stem: String,
    /// `claude-code-analytics`: the name wasm-bindgen gave the import module.
    crate_name: String,
}

impl Pair {
    fn from_wasm_name(file_name: &str) -> Option<Pair> {
        let stem = file_name.strip_suffix("_bg.wasm")?;
        Some(Pair {
            stem: stem.to_owned(),
            crate_name: without_hash(stem).to_owned(),
        })
    }

    fn wasm(&self) -> String {
        format!("{}_bg.wasm", self.stem)
    }

    fn js(&self) -> String {
        format!("{}.js", self.stem)
    }
}

/// Compacts the build in `dir` and returns `html` with the new names.
pub fn run(dir: &Path, html: &str) -> Result<String, Error> {
    let pair = find_pair(dir)?;
    let wasm_path = dir.join(pair.wasm());
    let js_path = dir.join(pair.js());
    let js = std::fs::read_to_string(&js_path).map_err(|e| Error::io(&js_path, e))?;

    let (wasm, js, renamed) = match tools::find_wasm_opt() {
        Some(wasm_opt) => {
            let (wasm, mapping) = shrink_wasm(&wasm_opt, &wasm_path)?;
            let module = format!("./{}_bg.js", pair.crate_name);
            let js = glue::rename(&js, &mapping, &module).map_err(Error::Glue)?;
            (wasm, js, Some(mapping))
        }
        None => {
            eprintln!(
                "post-build: warning: wasm-opt {} not found, the wasm keeps its function order \
                 and its import and export names (`cargo xtask setup` installs it)",
                tools::BINARYEN_VERSION
            );
            let wasm = std::fs::read(&wasm_path).map_err(|e| Error::io(&wasm_path, e))?;
            (wasm, js, None)
        }
    };
    std::fs::write(&js_path, &js).map_err(|e| Error::io(&js_path, e))?;
    let minified = minify_js(&js_path)?;
    let js = std::fs::read(&js_path).map_err(|e| Error::io(&js_path, e))?;

    // One hash for the pair, as Trunk names them.
    let new = Pair {
        stem: hashed(&pair.crate_name, &[wasm.as_slice(), js.as_slice()].concat()),
        crate_name: pair.crate_name.clone(),
    };
    write_renamed(dir, &pair.wasm(), &new.wasm(), &wasm)?;
    write_renamed(dir, &pair.js(), &new.js(), &js)?;
    let html = assets::replace(html, &pair.wasm(), &new.wasm(), &assets::integrity(&wasm));
    let mut html = assets::replace(&html, &pair.js(), &new.js(), &assets::integrity(&js));
    for name in files_ending(dir, ".css")? {
        let path = dir.join(&name);
        let css = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let css = minify_css(&css).map_err(|e| Error::Css { path, message: e })?;
        let new_name = rehashed(&name, css.as_bytes());
        write_renamed(dir, &name, &new_name, css.as_bytes())?;
        html = assets::replace(&html, &name, &new_name, &assets::integrity(css.as_bytes()));
    }
    println!(
        "post-build: {}{}CSS minified; {} and {}",
        match &renamed {
            Some(m) => format!(
                "functions ordered by code, {} imports and {} exports renamed, ",
                m.imports.len(),
                m.exports.len()
            ),
            None => String::new(),
        },
        if minified { "glue and " } else { "" },
        new.wasm(),
        new.js()
    );
    Ok(html)
}

/// The wasm at `path` with its functions ordered by their code
/// ([`wasm_order`]) and short import and export names, and what wasm-opt
/// renamed. `-ol 2 -s 2` sets the optimization levels without running any
/// optimization, so wasm-opt writes the compact stack form of Trunk's `-Oz`
/// run again (at level 0 the code section grows).
fn shrink_wasm(wasm_opt: &Path, path: &Path) -> Result<(Vec<u8>, Mapping), Error> {
    let wasm = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let named = wasm_order::name_by_code(&wasm).map_err(Error::Wasm)?;
    let dir = std::env::temp_dir().join(format!("cca-post-build-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let (input, output) = (dir.join("named.wasm"), dir.join("short.wasm"));
    let result = std::fs::write(&input, named)
        .map_err(|e| Error::io(&input, e))
        .and_then(|()| {
            run::stdout(
                Command::new(wasm_opt)
                    .arg(&input)
                    .args(["-ol", "2", "-s", "2", "--reorder-functions-by-name"])
                    .args(["--minify-imports-and-exports-and-modules", "--strip-debug"])
                    .arg("-o")
                    .arg(&output),
            )
        })
        .and_then(|printed| {
            let wasm = std::fs::read(&output).map_err(|e| Error::io(&output, e))?;
            Ok((wasm, Mapping::parse(&printed).map_err(Error::Glue)?))
        });
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Minifies the ES module at `path` in place with terser. `Ok(false)` (and a
/// warning) when terser is not installed.
fn minify_js(path: &Path) -> Result<bool, Error> {
    let Some(terser) = tools::find_terser() else {
        eprintln!(
            "post-build: warning: terser {} not found, the JS glue is not minified \
             (`cargo xtask setup` installs it)",
            tools::TERSER_VERSION
        );
        return Ok(false);
    };
    run::checked(
        Command::new(terser)
            .arg(path)
            .args(["--module", "--compress", "--mangle", "--output"])
            .arg(path),
    )?;
    Ok(true)
}

/// `css` minified by lightningcss. With no browser targets it lowers and
/// prefixes nothing: the rules stay as written, only shorter.
fn minify_css(css: &str) -> Result<String, String> {
    let mut sheet = StyleSheet::parse(css, ParserOptions::default()).map_err(|e| e.to_string())?;
    sheet
        .minify(MinifyOptions::default())
        .map_err(|e| e.to_string())?;
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .map_err(|e| e.to_string())?;
    Ok(printed.code)
}

/// The stem without Trunk's content hash: `-` and a 64-bit hash in hex at
/// its end. Trunk writes the hash without leading zeros, so it has up to 16
/// digits, not always 16 (one build in sixteen has 15).
fn without_hash(stem: &str) -> &str {
    match stem.rsplit_once('-') {
        Some((name, hash))
            if (1..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            name
        }
        _ => stem,
    }
}

/// `base-<hash of bytes>`, the stem of a content-hashed file.
fn hashed(base: &str, bytes: &[u8]) -> String {
    format!("{base}-{:016x}", postbuild::fnv1a(bytes))
}

/// `name` (`app-<hash>.css`) with the hash of `bytes` instead.
fn rehashed(name: &str, bytes: &[u8]) -> String {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    format!("{}.{ext}", hashed(without_hash(stem), bytes))
}

/// The names of the files in `dir` that end with `suffix`, sorted.
fn files_ending(dir: &Path, suffix: &str) -> Result<Vec<String>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(suffix))
        .collect();
    names.sort();
    Ok(names)
}

/// The one `*_bg.wasm` in `dir`, with its glue next to it.
fn find_pair(dir: &Path) -> Result<Pair, Error> {
    let mut pairs: Vec<Pair> = files_ending(dir, "_bg.wasm")?
        .iter()
        .filter_map(|name| Pair::from_wasm_name(name))
        .collect();
    match (pairs.pop(), pairs.is_empty()) {
        (Some(pair), true) if dir.join(pair.js()).is_file() => Ok(pair),
        _ => Err(Error::NoWasmPair(dir.to_path_buf())),
    }
}

fn write_renamed(dir: &Path, old: &str, new: &str, bytes: &[u8]) -> Result<(), Error> {
    let new_path: PathBuf = dir.join(new);
    std::fs::write(&new_path, bytes).map_err(|e| Error::io(&new_path, e))?;
    if old != new {
        let old_path = dir.join(old);
        std::fs::remove_file(&old_path).map_err(|e| Error::io(&old_path, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_pair_from_trunks_file_names() {
        assert_eq!(
            Pair::from_wasm_name("claude-code-analytics-0123456789abcdef_bg.wasm"),
            Some(Pair {
                stem: "claude-code-analytics-0123456789abcdef".into(),
                crate_name: "claude-code-analytics".into(),
            })
        );
        // A hash with a leading zero is written with 15 digits (seen on a
        // fresh clone's build).
        assert_eq!(
            Pair::from_wasm_name("claude-code-analytics-f73b1028d6d4db8_bg.wasm")
                .map(|p| p.crate_name),
            Some("claude-code-analytics".into())
        );
        assert_eq!(
            rehashed("app-3eabdf2e7e3b25c.css", b"x"),
            rehashed("app.css", b"x")
        );
        // Without `filehash` the stem is the crate's name.
        let plain = Pair::from_wasm_name("claude-code-analytics_bg.wasm").unwrap();
        assert_eq!(plain.crate_name, "claude-code-analytics");
        assert_eq!(plain.js(), "claude-code-analytics.js");
        assert_eq!(Pair::from_wasm_name("app.css"), None);
    }

    #[test]
    fn a_rewritten_file_gets_the_hash_of_its_new_content() {
        let a = rehashed("app-0123456789abcdef.css", b"a{}");
        assert!(
            a.starts_with("app-")
                && a.ends_with(".css")
                && a.len() == "app-0123456789abcdef.css".len()
        );
        assert_ne!(a, rehashed("app-0123456789abcdef.css", b"b{}"));
        assert_eq!(a, rehashed("app.css", b"a{}"));
        // A name whose last part is not a hash keeps it.
        assert!(rehashed("my-styles.css", b"a{}").starts_with("my-styles-"));
    }

    #[test]
    fn css_loses_comments_and_whitespace_but_not_meaning() {
        let css = "/* header */\n.a  .b > c,\n.d:hover {\n  color: rgb(1, 2, 3);\n  margin: 0 auto; /* centre */\n}\n\
                   .q::before { content: \"a  /* not a comment */  b\"; font-family: 'DejaVu  Sans', serif; }\n";
        let min = minify_css(css).unwrap();
        assert!(!min.contains("header") && !min.contains("centre"));
        assert!(min.contains(".a .b>c,.d:hover{"), "{min}");
        assert!(min.contains("margin:0 auto"), "{min}");
        assert!(min.contains("a  /* not a comment */  b"), "{min}");
        assert!(min.contains("DejaVu  Sans"), "{min}");
    }
}
