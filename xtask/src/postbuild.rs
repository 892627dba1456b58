//! `cargo xtask post-build`, run by Trunk's `post_build` hook: makes the
//! build runnable under a strict Content-Security-Policy and on static hosts.
//!
//! - Trunk starts the wasm with an inline `<script type="module">` (Trunk
//!   issue #288), which `script-src 'self'` forbids. Its text moves into a
//!   content-hashed file next to the other assets, loaded by `src`, so the
//!   policy needs no per-build hash or nonce.
//! - `404.html` is a copy of `index.html`: static hosts that answer unknown
//!   paths with their 404 page then still boot the app on deep links.
//! - Release builds are made smaller first ([`crate::compact`]), and last get
//!   `name.br` / `name.gz` beside each compressible file
//!   ([`crate::precompress`]) for servers that send stored variants.

use std::path::Path;

use crate::error::Error;
use crate::{compact, precompress};

const SCRIPT_OPEN: &str = "<script";
const SCRIPT_CLOSE: &str = "</script>";

/// The inline module script moved out: the new HTML and the script's file name and text.
#[derive(Debug, PartialEq, Eq)]
pub struct Externalized {
    pub html: String,
    pub file_name: String,
    pub script: String,
}

/// Moves the first inline `<script type="module">` of `html` into
/// `start-<hash>.js` under `public_url`. `None` when there is none.
pub fn externalize_start_script(html: &str, public_url: &str) -> Option<Externalized> {
    let mut from = 0;
    while let Some(found) = html[from..].find(SCRIPT_OPEN) {
        let open_start = from + found;
        let open_end = open_start + html[open_start..].find('>')? + 1;
        let attributes = &html[open_start + SCRIPT_OPEN.len()..open_end - 1];
        let close_start = open_end + html[open_end..].find(SCRIPT_CLOSE)?;
        let close_end = close_start + SCRIPT_CLOSE.len();
        // Trunk's minified HTML writes `type=module` without quotes.
        let module = ["type=\"module\"", "type=module", "type='module'"]
            .iter()
            .any(|t| attributes.contains(t));
        if !module || attributes.contains("src=") {
            from = close_end;
            continue;
        }
        let script = html[open_end..close_start].trim().to_owned();
        let file_name = format!("start-{:016x}.js", fnv1a(script.as_bytes()));
        let base = if public_url.ends_with('/') {
            public_url.to_owned()
        } else {
            format!("{public_url}/")
        };
        let tag = format!("<script type=\"module\" src=\"{base}{file_name}\"></script>");
        let html = format!("{}{tag}{}", &html[..open_start], &html[close_end..]);
        return Some(Externalized {
            html,
            file_name,
            script: format!("{script}\n"),
        });
    }
    None
}

/// 64-bit FNV-1a: a stable content hash for the file name (not security).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Applies the fixes to the build in `dir` (Trunk's staging directory); a
/// `release` build is compacted first and precompressed last (after every
/// file has its final name and content).
pub fn run(dir: &Path, public_url: &str, release: bool) -> Result<(), Error> {
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| Error::io(&index, e))?;
    let html = if release {
        compact::run(dir, &html)?
    } else {
        html
    };
    let html = match externalize_start_script(&html, public_url) {
        Some(done) => {
            let script = dir.join(&done.file_name);
            std::fs::write(&script, &done.script).map_err(|e| Error::io(&script, e))?;
            println!("post-build: start script moved to {}", done.file_name);
            done.html
        }
        None => html,
    };
    std::fs::write(&index, &html).map_err(|e| Error::io(&index, e))?;
    let fallback = dir.join("404.html");
    std::fs::write(&fallback, &html).map_err(|e| Error::io(&fallback, e))?;
    if release {
        let written = precompress::run(dir)?;
        println!(
            "post-build: {} precompressed files (.br, .gz)",
            written.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_HTML: &str = r#"<html><head>
<link rel="modulepreload" href="/app-1.js" crossorigin="anonymous">
<script type="module">
import init, * as bindings from '/app-1.js';
const wasm = await init({ module_or_path: '/app-1_bg.wasm' });
window.wasmBindings = bindings;
</script></head><body></body></html>"#;

    #[test]
    fn moves_the_inline_module_script_into_a_hashed_file() {
        let done = externalize_start_script(TRUNK_HTML, "/").unwrap();
        assert!(done.file_name.starts_with("start-") && done.file_name.ends_with(".js"));
        assert!(done
            .script
            .starts_with("import init, * as bindings from '/app-1.js';"));
        assert!(done.html.contains(&format!(
            r#"<script type="module" src="/{}"></script></head>"#,
            done.file_name
        )));
        assert!(!done.html.contains("await init"));
        assert!(done
            .html
            .contains(r#"<link rel="modulepreload" href="/app-1.js""#));
    }

    #[test]
    fn the_name_follows_the_content_and_the_public_url() {
        let a = externalize_start_script(TRUNK_HTML, "https://cdn.example/cca").unwrap();
        let b = externalize_start_script(&TRUNK_HTML.replace("app-1", "app-2"), "/").unwrap();
        assert_ne!(a.file_name, b.file_name);
        assert!(a
            .html
            .contains(&format!(r#"src="https://cdn.example/cca/{}""#, a.file_name)));
        // Same content, same name: builds are reproducible.
        assert_eq!(
            a.file_name,
            externalize_start_script(TRUNK_HTML, "/").unwrap().file_name
        );
    }

    #[test]
    fn finds_the_script_in_minified_html() {
        let html = "<title>x</title><script type=module>import init from '/app-1.js';</script><link href=/a.css rel=stylesheet>";
        let done = externalize_start_script(html, "/").unwrap();
        assert_eq!(done.script, "import init from '/app-1.js';\n");
        assert_eq!(
            done.html,
            format!(
                "<title>x</title><script type=\"module\" src=\"/{}\"></script><link href=/a.css rel=stylesheet>",
                done.file_name
            )
        );
        // A classic script is not the start script.
        assert_eq!(
            externalize_start_script("<script>var a;</script>", "/"),
            None
        );
    }

    #[test]
    fn scripts_with_src_are_left_alone() {
        let html = r#"<script type="module" src="/x.js"></script><p>hi</p>"#;
        assert_eq!(externalize_start_script(html, "/"), None);
        let both = format!("{html}{TRUNK_HTML}");
        let done = externalize_start_script(&both, "/").unwrap();
        assert!(done.html.starts_with(html));
    }

    #[test]
    fn writes_the_script_and_the_fallback_page() {
        let dir = std::env::temp_dir().join(format!("xtask-postbuild-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), TRUNK_HTML).unwrap();
        run(&dir, "/", false).unwrap();
        let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
        assert!(!index.contains("await init"));
        assert_eq!(
            std::fs::read_to_string(dir.join("404.html")).unwrap(),
            index
        );
        let scripts: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with("start-"))
            .collect();
        assert_eq!(scripts.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
