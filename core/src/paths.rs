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

/// The query keys every page shares: the date range's.
pub const SHARED_KEYS: [&str; 3] = ["range", "from", "to"];

/// The part of a query string (`?` optional) another page keeps: the date
/// range's pairs, as written. A page's own keys (the team page's month,
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
        assert_eq!(shared_query(""), "");
        assert_eq!(shared_query("?ranges=1&range"), "range");
    }
}
