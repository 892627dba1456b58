//! A rewritten asset in `index.html`: its new content-hashed name and its new
//! Subresource Integrity hash (Trunk puts `integrity="sha384-…"` on the
//! preload links, and a browser refuses a file whose hash differs).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest, Sha384};

/// `sha384-<base64>`, the form of an `integrity` attribute (standard base64
/// with padding, as SRI expects).
pub fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", STANDARD.encode(Sha384::digest(bytes)))
}

/// `html` with every `old` file name replaced by `new`, and the `integrity`
/// value of each `<link>` that names the file set to `integrity`. Attribute
/// values may be quoted or not (Trunk's minified HTML drops the quotes).
pub fn replace(html: &str, old: &str, new: &str, integrity: &str) -> String {
    let html = html.replace(old, new);
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(open) = rest.find('<') {
        let Some(len) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open..open + len + 1];
        out.push_str(&rest[..open]);
        if tag.starts_with("<link") && tag.contains(new) {
            out.push_str(&with_integrity(tag, integrity));
        } else {
            out.push_str(tag);
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

/// `tag` with its `sha384-…` integrity value replaced.
fn with_integrity(tag: &str, value: &str) -> String {
    let Some(start) = tag.find("sha384-") else {
        return tag.to_owned();
    };
    let len = tag[start..]
        .find(|c: char| c == '"' || c == '\'' || c == '>' || c.is_ascii_whitespace())
        .unwrap_or(tag.len() - start);
    format!("{}{value}{}", &tag[..start], &tag[start + len..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_is_sha384_in_base64() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(
            integrity(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }

    #[test]
    fn renames_the_file_and_updates_its_tags_integrity() {
        let html = r#"<head><script type="module">import init from '/app-1.js';</script>
<link rel="modulepreload" href="/app-1.js" crossorigin="anonymous" integrity="sha384-OLD1">
<link rel=stylesheet href=/app-1.css integrity=sha384-CSS>
<link as=fetch href=/app-1_bg.wasm integrity=sha384-OLD2 rel=preload></head>"#;
        let html = replace(html, "app-1.js", "app-2.js", "sha384-NEWJS");
        let html = replace(&html, "app-1_bg.wasm", "app-2_bg.wasm", "sha384-NEWWASM");
        assert!(html.contains("import init from '/app-2.js';"));
        assert!(html.contains(
            r#"<link rel="modulepreload" href="/app-2.js" crossorigin="anonymous" integrity="sha384-NEWJS">"#
        ));
        assert!(html
            .contains("<link as=fetch href=/app-2_bg.wasm integrity=sha384-NEWWASM rel=preload>"));
        // Another asset's tag keeps its hash.
        assert!(html.contains("<link rel=stylesheet href=/app-1.css integrity=sha384-CSS>"));
        assert!(!html.contains("OLD"));
    }
}
