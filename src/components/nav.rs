//! Navigation between the pages the viewer's role may see. Links keep the
//! date-range query so every page shows the same range (and only that: the
//! team page's month, sort and filter stay on the team page).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::auth::page::Page;
use crate::paths::shared_query;
use crate::state::session::Session;
use crate::state::AppContext;

#[component]
pub fn Nav() -> impl IntoView {
    let ctx = AppContext::expect();
    let session = Session::expect();
    let location = use_location();
    let visible = Memo::new(move |_| {
        session
            .state
            .with(|s| s.role().map(|role| ctx.policy.visible_pages(role)))
            .unwrap_or_default()
    });
    let ctx = AppContext::expect();
    let link = move |page: Page| {
        let href = ctx.page_href(page);
        let search = location.search;
        let pathname = location.pathname;
        let target = href.clone();
        let full_href = move || {
            let query = shared_query(&search.get());
            if query.is_empty() {
                target.clone()
            } else {
                format!("{target}?{query}")
            }
        };
        let current = move || {
            let path = pathname.get();
            (path.trim_end_matches('/') == href.trim_end_matches('/')).then_some("page")
        };
        view! {
            <li>
                <a class="cca-nav__link" href=full_href aria-current=current>
                    {page.label()}
                </a>
            </li>
        }
    };
    move || {
        let pages = visible.get();
        (!pages.is_empty()).then(|| {
            let link = link.clone();
            view! {
                <nav class="cca-nav" aria-label="Analytics pages">
                    <ul class="cca-nav__list">{pages.into_iter().map(link).collect_view()}</ul>
                </nav>
            }
        })
    }
}
