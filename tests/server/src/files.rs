//! Static files of the release build, the router fallback for deep links,
//! and extra files registered by tests (host pages, CSP pages, the page-load
//! benchmark's reference page).

use std::path::{Component, Path, PathBuf};

use crate::http::{Request, Response};
use crate::{lock, State};

/// A file a test registered at a path.
#[derive(Debug, Clone)]
pub(crate) struct ExtraFile {
    pub body: Vec<u8>,
    pub content_type: &'static str,
    pub csp: Option<String>,
}

pub(crate) fn answer(request: &Request, state: &State) -> Response {
    if let Some(file) = lock(&state.extra_files).get(&request.path).cloned() {
        let response = Response::new(200, file.content_type, file.body);
        return match file.csp {
            Some(csp) => response.with_header("Content-Security-Policy", &csp),
            None => response,
        };
    }
    let options = state.options();
    if request.path == "/" && options.mount_prefix.is_empty() {
        return Response::redirect(&format!("{}/", options.router_base.trim_end_matches('/')));
    }
    let Some(dist) = options.dist.as_deref() else {
        return Response::text(404, "no build served");
    };
    // Files live under the mount prefix (the build's public URL) ...
    let relative = request.path.strip_prefix(options.mount_prefix.as_str());
    if let Some(file) = relative
        .and_then(|r| safe_join(dist, r))
        .filter(|p| p.is_file())
    {
        return match std::fs::read(&file) {
            Ok(bytes) => Response::new(200, content_type(&file), bytes),
            Err(_) => Response::text(500, "cannot read file"),
        };
    }
    // ... and every other path under the prefix or the router base that is
    // one of the app's routes is a deep link: the app's page, with the
    // configured config and CSP.
    let base = options.router_base.trim_end_matches('/');
    let route = request.path.strip_prefix(base).unwrap_or(&request.path);
    if !cca::paths::is_app_route(route) {
        return Response::text(404, "not found");
    }
    let under_base = request.path == base || request.path.starts_with(&format!("{base}/"));
    if relative.is_none() && !under_base {
        return Response::text(404, "not found");
    }
    match std::fs::read_to_string(dist.join("index.html")) {
        Ok(html) => {
            let response = Response::new(
                200,
                "text/html; charset=utf-8",
                inject_config(&html, options.app_config.as_deref()),
            );
            match options.csp {
                Some(csp) => response.with_header("Content-Security-Policy", &csp),
                None => response,
            }
        }
        Err(_) => Response::text(500, "index.html missing from the build"),
    }
}

fn safe_join(dist: &Path, url_path: &str) -> Option<PathBuf> {
    let relative = Path::new(url_path.trim_start_matches('/'));
    if relative.as_os_str().is_empty()
        || relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    Some(dist.join(relative))
}

pub(crate) fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Puts the config `<script type="application/json">` just before `</head>`.
pub fn inject_config(html: &str, config: Option<&str>) -> String {
    let Some(config) = config else {
        return html.to_owned();
    };
    // `</` inside a script element would end it early.
    let block = format!(
        r#"<script type="application/json" id="claude-code-analytics-config">{}</script>"#,
        config.replace("</", "<\\/")
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
    fn refuses_paths_outside_dist() {
        let dist = Path::new("/srv/dist");
        assert_eq!(
            safe_join(dist, "/a.js"),
            Some(PathBuf::from("/srv/dist/a.js"))
        );
        assert_eq!(safe_join(dist, "/../etc/passwd"), None);
        assert_eq!(safe_join(dist, "/"), None);
    }

    #[test]
    fn injects_config_before_head_end() {
        let html = "<html><head><title>x</title></head><body></body></html>";
        let out = inject_config(html, Some(r#"{"role":"</script>"}"#));
        assert!(out.contains(
            r#"id="claude-code-analytics-config">{"role":"<\/script>"}</script></head>"#
        ));
        assert_eq!(inject_config(html, None), html);
    }
}
