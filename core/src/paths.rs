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
}
