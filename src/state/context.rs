//! The app context: what every component may read about the running app.

use std::sync::Arc;

use leptos::prelude::{expect_context, RwSignal};

use crate::auth::page::Page;
use crate::auth::policy::Policy;
use crate::config::Config;
use crate::paths::join_base;
use crate::state::store::UsageStore;
use crate::state::summaries::SummaryStore;

/// What every component may read about the running app.
#[derive(Clone)]
pub struct AppContext {
    pub config: Arc<Config>,
    pub policy: Arc<Policy>,
    /// The app-wide cache of loaded days.
    pub store: UsageStore,
    /// The app-wide cache of range summaries (an API that offers them).
    pub summaries: SummaryStore,
    /// Range loads that have not settled yet, over every mounted page.
    pub unsettled_loads: RwSignal<usize>,
    /// Ranges whose figures are still being added up from loaded days (the
    /// raw path works in slices after a day arrives).
    pub figures_pending: RwSignal<usize>,
    /// The app is its own page (not embedded in a host's, and no configured
    /// title): each page names the browser tab.
    pub names_tabs: bool,
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
