//! The release app: embedded in the binary (`--features embed-app`, see
//! build.rs) or read from a `dist/` directory at start. Hashed assets are
//! cached for a year, HTML is revalidated on every load and carries the
//! config that points the app at this server, the strict
//! Content-Security-Policy of DESIGN.md section 5, and the deep-link fallback
//! under the router base.
//!
//! Requests are answered from the in-memory table, never by opening a path
//! built from the URL, so no URL can reach a file outside the build. Both
//! sources fill the table through [`Assets::from_files`]. `name.br` /
//! `name.gz` beside a file (`cargo xtask build` writes them) are sent to
//! browsers that accept them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
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
/// The directory served when neither `--dist` nor an embedded app is given
/// (relative to the working directory, where `cargo xtask build` puts it).
pub const DEFAULT_DIST: &str = "dist";

/// Where the app's files came from (said in the start log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppSource {
    /// Built into this binary.
    Embedded,
    /// Read from this directory at start.
    Dir(PathBuf),
    /// No build was found (at this path): the API only.
    Missing(PathBuf),
}

impl std::fmt::Display for AppSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppSource::Embedded => f.write_str("embedded in the binary"),
            AppSource::Dir(path) => write!(f, "{}", path.display()),
            AppSource::Missing(path) => write!(f, "none (no build in {})", path.display()),
        }
    }
}

#[derive(Debug, Clone)]
struct Asset {
    body: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    content_type: &'static str,
    immutable: bool,
}

#[derive(Debug, Clone)]
pub struct Assets {
    /// URL path (`/name`) → file.
    files: HashMap<String, Asset>,
    /// `index.html` with the config injected; `None` when there is no build.
    index: Option<Bytes>,
    router_base: String,
    source: AppSource,
}

impl Assets {
    /// The app to serve: `dist` when given; else the one embedded in this
    /// binary, if it was built with one; else [`DEFAULT_DIST`] if it exists
    /// (else the API alone, with a warning). Says at start which it is.
    pub fn open(
        dist: Option<&Path>,
        config_json: &str,
        router_base: &str,
    ) -> std::io::Result<Assets> {
        let assets = match dist {
            Some(dist) => Assets::load(dist, config_json, router_base)?,
            None => match embedded::files() {
                Some(files) => {
                    Assets::from_files(files, config_json, router_base, AppSource::Embedded)
                }
                None => Assets::load(Path::new(DEFAULT_DIST), config_json, router_base)?,
            },
        };
        tracing::info!(
            app = %assets.source,
            files = assets.files.len(),
            precompressed = assets.files.values().filter(|a| a.brotli.is_some() || a.gzip.is_some()).count(),
            "the app's files"
        );
        Ok(assets)
    }

    /// Reads the build in `dist`. A missing build is not an error (the API
    /// still works; the page says how to build the app).
    pub fn load(dist: &Path, config_json: &str, router_base: &str) -> std::io::Result<Assets> {
        let mut raw = Vec::new();
        let source = if dist.is_dir() {
            read_dir(dist, "", 0, &mut raw)?;
            AppSource::Dir(dist.to_path_buf())
        } else {
            tracing::warn!(dist = %dist.display(), "no release build here: run `cargo xtask build` (the API works without it)");
            AppSource::Missing(dist.to_path_buf())
        };
        Ok(Assets::from_files(raw, config_json, router_base, source))
    }

    /// The table from a build's files, each named by its path relative to
    /// the build (`index.html`, `snippets/x/a.js`, `a.js.br`). The one way
    /// in for both the embedded app and a directory.
    pub fn from_files(
        files: impl IntoIterator<Item = (String, Bytes)>,
        config_json: &str,
        router_base: &str,
        source: AppSource,
    ) -> Assets {
        let raw: HashMap<String, Bytes> = files
            .into_iter()
            .map(|(name, body)| (format!("/{}", name.trim_start_matches('/')), body))
            .collect();
        let index = raw.get("/index.html").map(|html| {
            Bytes::from(inject_config(&String::from_utf8_lossy(html), config_json).into_bytes())
        });
        let mut table = HashMap::new();
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
            table.insert(
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
        let source = match source {
            AppSource::Dir(path) if index.is_none() => AppSource::Missing(path),
            other => other,
        };
        Assets {
            files: table,
            index,
            router_base: router_base.to_owned(),
            source,
        }
    }

    /// Where the files came from.
    pub fn source(&self) -> &AppSource {
        &self.source
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
        let route = if path == self.router_base {
            Some("/")
        } else {
            path.strip_prefix(self.router_base.as_str())
                .filter(|rest| rest.starts_with('/'))
        };
        // A deep link is a route (`/claude-code/spend`), not a missing file.
        if route.is_some_and(cca::paths::is_app_route) || path == "/index.html" {
            return match &self.index {
                Some(html) => html_response(html.clone()),
                None => html_response(Bytes::from_static(NO_BUILD.as_bytes())),
            };
        }
        (StatusCode::NOT_FOUND, "not found\n").into_response()
    }
}

const NO_BUILD: &str = "<!DOCTYPE html><html><head><title>Claude Code Analytics</title></head>\
<body><p>The app is not built. Run <code>cargo xtask build</code>, then start the server again \
(or give it <code>--dist PATH</code>).</p></body></html>";

fn html_response(body: Bytes) -> Response {
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

/// Every file under `dir`, named relative to the build (`a/b.js`).
fn read_dir(
    dir: &Path,
    prefix: &str,
    depth: usize,
    out: &mut Vec<(String, Bytes)>,
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
        let relative = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if path.is_dir() {
            read_dir(&path, &relative, depth + 1, out)?;
        } else if path.is_file() {
            out.push((relative, Bytes::from(std::fs::read(&path)?)));
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

/// The app built into the binary: `--features embed-app`, with build.rs
/// naming the directory (`CCA_EMBED_DIST`, default the workspace's `dist/`)
/// and making cargo rebuild when a file in it changes. rust-embed includes
/// each file with `include_bytes!`, so the bodies are `'static` and served
/// without a copy.
#[cfg(feature = "embed-app")]
mod embedded {
    use std::borrow::Cow;

    use axum::body::Bytes;

    #[derive(rust_embed::Embed)]
    #[folder = "$CCA_EMBED_DIR"]
    struct App;

    pub fn files() -> Option<Vec<(String, Bytes)>> {
        let files = App::iter()
            .filter_map(|name| {
                let body = match App::get(&name)?.data {
                    Cow::Borrowed(bytes) => Bytes::from_static(bytes),
                    Cow::Owned(bytes) => Bytes::from(bytes),
                };
                Some((name.into_owned(), body))
            })
            .collect();
        Some(files)
    }
}

/// Built without an app: `--dist` or `dist/` is served.
#[cfg(not(feature = "embed-app"))]
mod embedded {
    pub fn files() -> Option<Vec<(String, axum::body::Bytes)>> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(files: &[(&str, &[u8])]) -> Assets {
        Assets::from_files(
            files
                .iter()
                .map(|(name, body)| (name.to_string(), Bytes::copy_from_slice(body))),
            r#"{"api_base":"/api"}"#,
            "/claude-code",
            AppSource::Embedded,
        )
    }

    async fn body(response: Response) -> Vec<u8> {
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec()
    }

    /// The path the embedded app takes: a list of (relative name, bytes).
    #[tokio::test]
    async fn a_table_from_a_list_of_files_serves_the_app() {
        let assets = table(&[
            ("index.html", b"<html><head></head><body></body></html>"),
            ("app-0123456789abcdef.js", b"export{}"),
            ("app-0123456789abcdef.js.gz", b"GZ"),
            ("snippets/x-1/inline0.js", b"x"),
            ("index.html.br", b"never sent"),
            ("orphan.txt.br", b"kept: no original beside it"),
        ]);
        assert!(assets.has_build());
        assert_eq!(assets.source(), &AppSource::Embedded);
        let mut gzip = HeaderMap::new();
        gzip.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));

        let page = assets.answer(&Method::GET, "/claude-code/spend", &gzip);
        assert_eq!(page.headers()[header::CACHE_CONTROL], NO_CACHE);
        assert_eq!(page.headers()[header::CONTENT_SECURITY_POLICY], CSP);
        assert!(!page.headers().contains_key(header::CONTENT_ENCODING));
        let html = String::from_utf8(body(page).await).unwrap();
        assert!(
            html.contains(r#"{"api_base":"/api"}</script></head>"#),
            "{html}"
        );

        let js = assets.answer(&Method::GET, "/app-0123456789abcdef.js", &gzip);
        assert_eq!(js.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(js.headers()[header::CACHE_CONTROL], IMMUTABLE);
        assert_eq!(body(js).await, b"GZ");
        let nested = assets.answer(&Method::GET, "/snippets/x-1/inline0.js", &gzip);
        assert_eq!(nested.status(), StatusCode::OK);
        assert!(!nested.headers().contains_key(header::VARY));
        for missing in ["/app-0123456789abcdef.js.gz", "/index.html.br", "/x.js"] {
            let answer = assets.answer(&Method::GET, missing, &gzip);
            assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{missing}");
        }
        let orphan = assets.answer(&Method::GET, "/orphan.txt.br", &gzip);
        assert_eq!(orphan.status(), StatusCode::OK);
    }

    #[test]
    fn a_directory_without_index_is_no_build() {
        let assets = table(&[("app.css", b"body{}")]);
        assert!(!assets.has_build());
        let dir = std::env::temp_dir().join(format!("cca-assets-none-{}", std::process::id()));
        let missing = Assets::load(&dir, "{}", "/claude-code").unwrap();
        assert_eq!(missing.source(), &AppSource::Missing(dir));
        assert!(!missing.has_build());
    }

    /// Built with `--features embed-app`: the binary carries a whole build.
    #[cfg(feature = "embed-app")]
    #[test]
    fn the_embedded_app_is_a_build() {
        let assets = Assets::open(None, "{}", "/claude-code").unwrap();
        assert_eq!(assets.source(), &AppSource::Embedded);
        assert!(assets.has_build());
        assert!(assets.files.keys().any(|path| path.ends_with("_bg.wasm")));
    }

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
