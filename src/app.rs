//! The root component: context providers, router and layout.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::api::source::DataSource;
use crate::auth::page::Page;
use crate::clock::today_utc;
use crate::components::layout::Layout;
use crate::components::theme::provide_dark_mode;
use crate::config::{Config, Theme};
use crate::pages::{MemberView, NotFoundPage, PageView};
use crate::state::session::provide_session;
use crate::state::summaries::SummaryStore;
use crate::state::{AppContext, UsageStore};

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
    // The app's own index.html carries its name as the title; a host page
    // (embedded) has its own, and a configured title is the host's choice.
    let names_tabs = config.title.is_none() && document().title() == crate::format::APP_NAME;
    provide_dark_mode(config.theme);
    provide_session(config.role.as_deref(), source.clone());
    provide_context(AppContext {
        config: std::sync::Arc::new(config),
        policy: std::sync::Arc::new(policy),
        store: UsageStore::new(source, today),
        summaries: SummaryStore::default(),
        names_tabs,
        unsettled_loads: RwSignal::new(0),
        figures_pending: RwSignal::new(0),
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
                        <Route path=path!("/team/:member") view=MemberView />
                    </Routes>
                </Layout>
            </Router>
        </div>
    }
}
