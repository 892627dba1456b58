//! The root component: context providers, router and layout.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::api::loader::UsageStore;
use crate::api::source::DataSource;
use crate::auth::page::Page;
use crate::auth::policy::Policy;
use crate::auth::session::provide_session;
use crate::clock::today_utc;
use crate::components::layout::Layout;
use crate::components::theme::provide_dark_mode;
use crate::config::{Config, Theme};
use crate::pages::{NotFoundPage, PageView};

/// What every component may read about the running app.
#[derive(Clone)]
pub struct AppContext {
    pub config: Arc<Config>,
    pub policy: Arc<Policy>,
    /// The app-wide cache of loaded days.
    pub store: UsageStore,
    /// Today (UTC) when the app started; no usage exists after it.
    pub today: chrono::NaiveDate,
}

impl AppContext {
    /// The context provided by [`App`].
    ///
    /// Panics only when a component is used outside `App`: a programming
    /// error, not something data can cause.
    pub fn expect() -> Self {
        expect_context::<AppContext>()
    }

    /// Absolute path of a page under the router base, e.g. `/claude-code/lines`.
    pub fn page_href(&self, page: Page) -> String {
        join_base(&self.config.router_base, page.path())
    }
}

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

/// The root CSS class list: everything the app styles is scoped under `.cca-root`.
pub fn root_class(theme: Theme) -> &'static str {
    match theme {
        Theme::Light => "cca-root cca-theme-light",
        Theme::Dark => "cca-root cca-theme-dark",
        Theme::Auto => "cca-root cca-theme-auto",
    }
}

#[component]
pub fn App(config: Config) -> impl IntoView {
    let base = config.router_base.clone();
    let class = root_class(config.theme);
    let today = today_utc();
    let (policy, warnings) = config.policy();
    for warning in &warnings {
        leptos::logging::warn!("claude-code-analytics: {warning}");
    }
    let source = match (&config.api_base, config.demo) {
        (Some(base), false) => DataSource::api(base),
        _ => DataSource::demo(today),
    };
    provide_dark_mode(config.theme);
    provide_session(config.role.as_deref(), source.clone());
    provide_context(AppContext {
        config: Arc::new(config),
        policy: Arc::new(policy),
        store: UsageStore::new(source, today),
        today,
    });
    view! {
        <div class=class>
            <Router base=base>
                <Layout>
                    <Routes fallback=|| view! { <NotFoundPage /> }>
                        <Route path=path!("/") view=|| view! { <PageView page=Page::Overview /> } />
                        <Route path=path!("/lines") view=|| view! { <PageView page=Page::Lines /> } />
                        <Route
                            path=path!("/accept-rate")
                            view=|| view! { <PageView page=Page::AcceptRate /> }
                        />
                        <Route
                            path=path!("/activity")
                            view=|| view! { <PageView page=Page::Activity /> }
                        />
                        <Route path=path!("/spend") view=|| view! { <PageView page=Page::Spend /> } />
                        <Route path=path!("/team") view=|| view! { <PageView page=Page::Team /> } />
                    </Routes>
                </Layout>
            </Router>
        </div>
    }
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
}
