//! Paths under the router base, the prefix a host mounts the app at
//! (`/claude-code`, or `/` stand-alone).

/// The part of `pathname` after the router base (`"/"` for the base itself):
/// what `use_navigate` expects, since it puts the base in front again.
pub fn strip_base(base: &str, pathname: &str) -> String {
    let base = base.trim_end_matches('/');
    let rest = pathname.strip_prefix(base).unwrap_or(pathname);
    if rest.is_empty() {
        "/".to_owned()
    } else if rest.starts_with('/') {
        rest.to_owned()
    } else {
        // `/claude-codex` is not under `/claude-code`.
        pathname.to_owned()
    }
}

/// Joins the router base and a page path (`"/"` is the base itself).
pub fn join_base(base: &str, path: &str) -> String {
    let base = base.trim_end_matches('/');
    match path {
        "" | "/" if base.is_empty() => "/".to_owned(),
        "" | "/" => base.to_owned(),
        _ => format!("{base}{path}"),
    }
}

/// Whether `path` (after the router base) is one of the app's pages rather
/// than a file: a server answers it with the app's page (a deep link). A
/// last segment with a dot is a file (`app-1f2e.wasm`), except a member
/// page's, whose email holds dots (`/team/ana@example.com`).
pub fn is_app_route(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    !last.contains('.')
        || path
            .strip_prefix("/team/")
            .is_some_and(|m| !m.contains('/'))
}

/// The query keys every page shares: the date range's, and how the charts
/// group their days ([`crate::model::grouping::PARAM`]).
pub const SHARED_KEYS: [&str; 4] = ["range", "from", "to", crate::model::grouping::PARAM];

/// The part of a query string (`?` optional) another page keeps: the date
/// range's pairs and the charts' grouping, as written. A page's own keys (the team page's month,
/// sort, filter and page) stay on that page.
pub fn shared_query(query: &str) -> String {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| {
            let key = pair.split_once('=').map_or(*pair, |(key, _)| key);
            SHARED_KEYS.contains(&key)
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a query key or value (a team filter, a cursor, an
/// email): everything but RFC 3986's
/// unreserved characters, byte by byte (a space is `%20`, never `+`).
pub fn encode_query(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_base_and_paths() {
        assert_eq!(join_base("/claude-code", "/"), "/claude-code");
        assert_eq!(join_base("/claude-code", "/lines"), "/claude-code/lines");
        assert_eq!(join_base("/", "/"), "/");
        assert_eq!(join_base("/", "/team"), "/team");
        assert_eq!(join_base("", "/team"), "/team");
    }

    #[test]
    fn member_pages_are_routes_though_their_emails_hold_dots() {
        assert!(is_app_route("/"));
        assert!(is_app_route("/spend"));
        assert!(is_app_route("/team"));
        assert!(is_app_route("/team/ana@example.com"));
        assert!(is_app_route("/team/key:ci.deploy"));
        assert!(!is_app_route("/app-1f2e.wasm"));
        assert!(!is_app_route("/assets/app.css"));
        assert!(!is_app_route("/team/a/b.js"));
    }

    #[test]
    fn strips_the_base_for_navigation() {
        assert_eq!(
            strip_base("/claude-code", "/claude-code/activity"),
            "/activity"
        );
        assert_eq!(strip_base("/claude-code", "/claude-code"), "/");
        assert_eq!(strip_base("/claude-code/", "/claude-code/"), "/");
        assert_eq!(strip_base("/", "/team"), "/team");
        assert_eq!(strip_base("/claude-code", "/claude-codex"), "/claude-codex");
    }

    #[test]
    fn other_pages_keep_only_the_range() {
        assert_eq!(shared_query("?range=30d"), "range=30d");
        assert_eq!(
            shared_query("from=2025-09-08&to=2025-09-10"),
            "from=2025-09-08&to=2025-09-10"
        );
        assert_eq!(
            shared_query("?month=2026-11&sort=lines&range=7d&q=ali%20b&page=2"),
            "range=7d"
        );
        assert_eq!(shared_query("?month=2026-11"), "");
        assert_eq!(
            shared_query("?range=90d&group=month&sort=lines"),
            "range=90d&group=month"
        );
        assert_eq!(shared_query(""), "");
        assert_eq!(shared_query("?ranges=1&range"), "range");
    }
}
