//! The release app (`dist/`), read into memory at start: hashed assets cached
//! for a year, HTML revalidated on every load and carrying the config that
//! points the app at this server, the strict Content-Security-Policy of
//! DESIGN.md section 5, and the deep-link fallback under the router base.
//!
//! Requests are answered from the in-memory table, never by opening a path
//! built from the URL, so no URL can reach a file outside the build.
//! `name.br` / `name.gz` beside a file are sent to browsers that accept them.

use std::collections::HashMap;
use std::path::Path;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

/// The strict policy the app is built to run under (no inline script or
/// style; wasm compiled from `'self'` only).
pub const CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
connect-src 'self'; img-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";
/// Deeper than any build; a loop of symlinks stops here.
const MAX_DEPTH: usize = 8;

#[derive(Debug, Clone)]
struct Asset {
    body: Vec<u8>,
    brotli: Option<Vec<u8>>,
    gzip: Option<Vec<u8>>,
    content_type: &'static str,
    immutable: bool,
}

#[derive(Debug, Clone)]
pub struct Assets {
    /// URL path (`/name`) → file.
    files: HashMap<String, Asset>,
    /// `index.html` with the config injected; `None` when there is no build.
    index: Option<Vec<u8>>,
    router_base: String,
}

impl Assets {
    /// Reads the build in `dist`. A missing build is not an error (the API
    /// still works; the page says how to build the app).
    pub fn load(dist: &Path, config_json: &str, router_base: &str) -> std::io::Result<Assets> {
        let mut raw = HashMap::new();
        if dist.is_dir() {
            read_dir(dist, "", 0, &mut raw)?;
        } else {
            tracing::warn!(dist = %dist.display(), "no release build here: run `cargo xtask build` (the API works without it)");
        }
        let index = raw
            .get("/index.html")
            .map(|html| inject_config(&String::from_utf8_lossy(html), config_json).into_bytes());
        let mut files = HashMap::new();
        for (path, body) in &raw {
            // Precompressed variants ride along with their file.
            if path.ends_with(".br") || path.ends_with(".gz") {
                let original = &path[..path.len() - 3];
                if raw.contains_key(original) {
                    continue;
                }
            }
            if path.ends_with(".html") {
                continue; // HTML is only ever the injected index, below
            }
            let name = path.rsplit('/').next().unwrap_or_default();
            files.insert(
                path.clone(),
                Asset {
                    body: body.clone(),
                    brotli: raw.get(&format!("{path}.br")).cloned(),
                    gzip: raw.get(&format!("{path}.gz")).cloned(),
                    content_type: content_type(name),
                    immutable: is_hashed(name),
                },
            );
        }
        Ok(Assets {
            files,
            index,
            router_base: router_base.to_owned(),
        })
    }

    pub fn has_build(&self) -> bool {
        self.index.is_some()
    }

    /// Answers a request for anything outside the API.
    pub fn answer(&self, method: &Method, path: &str, headers: &HeaderMap) -> Response {
        if method != Method::GET && method != Method::HEAD {
            return (StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n").into_response();
        }
        if path == "/" {
            let target = format!("{}/", self.router_base);
            return (StatusCode::FOUND, [(header::LOCATION, target)]).into_response();
        }
        if let Some(asset) = self.files.get(path) {
            return asset_response(asset, headers);
        }
        let under_base = path == self.router_base
            || path
                .strip_prefix(self.router_base.as_str())
                .is_some_and(|rest| rest.starts_with('/'));
        let last = path.rsplit('/').next().unwrap_or_default();
        // A deep link is a route (`/claude-code/spend`), not a missing file.
        if under_base && !last.contains('.') || path == "/index.html" {
            return match &self.index {
                Some(html) => html_response(html.clone()),
                None => html_response(NO_BUILD.as_bytes().to_vec()),
            };
        }
        (StatusCode::NOT_FOUND, "not found\n").into_response()
    }
}

const NO_BUILD: &str = "<!DOCTYPE html><html><head><title>Claude Code Analytics</title></head>\
<body><p>The app is not built. Run <code>cargo xtask build</code>, then start the server again \
(or give it <code>--dist PATH</code>).</p></body></html>";

fn html_response(body: Vec<u8>) -> Response {
    let mut response = Body::from(body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_CACHE));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn asset_response(asset: &Asset, request: &HeaderMap) -> Response {
    let accepted = accepted_encodings(request);
    let (body, encoding) = match (&asset.brotli, &asset.gzip) {
        (Some(br), _) if accepted.brotli => (br.clone(), Some("br")),
        (_, Some(gz)) if accepted.gzip => (gz.clone(), Some("gzip")),
        _ => (asset.body.clone(), None),
    };
    let mut response = Body::from(body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if asset.immutable { IMMUTABLE } else { NO_CACHE }),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    if asset.brotli.is_some() || asset.gzip.is_some() {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Accepted {
    brotli: bool,
    gzip: bool,
}

/// `Accept-Encoding`, enough of it: a coding is accepted unless its `q` is 0.
fn accepted_encodings(headers: &HeaderMap) -> Accepted {
    let mut accepted = Accepted::default();
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        for item in value.to_str().unwrap_or_default().split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            match coding.as_str() {
                "br" => accepted.brotli = !refused,
                "gzip" => accepted.gzip = !refused,
                _ => {}
            }
        }
    }
    accepted
}

fn read_dir(
    dir: &Path,
    prefix: &str,
    depth: usize,
    out: &mut HashMap<String, Vec<u8>>,
) -> std::io::Result<()> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue; // a non-UTF-8 name cannot be asked for in a URL we answer
        };
        let path = entry.path();
        let url = format!("{prefix}/{name}");
        if path.is_dir() {
            read_dir(&path, &url, depth + 1, out)?;
        } else if path.is_file() {
            out.insert(url, std::fs::read(&path)?);
        }
    }
    Ok(())
}

/// Trunk and `cargo xtask post-build` name assets `stem-<hex hash>.ext`
/// (the wasm `stem-<hash>_bg.wasm`).
fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "js" | "mjs" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Puts the config `<script type="application/json">` before `</head>`.
/// `<` is written as `\u003c`, so nothing in it can close the element.
pub fn inject_config(html: &str, config_json: &str) -> String {
    let block = format!(
        r#"<script type="application/json" id="claude-code-analytics-config">{}</script>"#,
        config_json.replace('<', "\\u003c")
    );
    match html.find("</head>") {
        Some(at) => format!("{}{block}{}", &html[..at], &html[at..]),
        None => format!("{block}{html}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_hashed("claude-code-analytics-3f2a9c1b7d4e5f60_bg.wasm"));
        assert!(is_hashed("start-0123abcd.js"));
        assert!(is_hashed("app-9a8b7c6d5e4f3a2b.css"));
        assert!(!is_hashed("favicon.png"));
        assert!(!is_hashed("claude-code-analytics.js"));
        assert!(!is_hashed("robots.txt"));
    }

    #[test]
    fn accept_encoding() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, deflate, br;q=0"),
        );
        assert_eq!(
            accepted_encodings(&headers),
            Accepted {
                brotli: false,
                gzip: true
            }
        );
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br, gzip"),
        );
        assert_eq!(
            accepted_encodings(&headers),
            Accepted {
                brotli: true,
                gzip: true
            }
        );
    }

    #[test]
    fn config_cannot_close_its_element() {
        let html = inject_config("<head></head>", r#"{"a":"</script>"}"#);
        assert_eq!(
            html,
            r#"<head><script type="application/json" id="claude-code-analytics-config">{"a":"\u003c/script>"}</script></head>"#
        );
    }
}
