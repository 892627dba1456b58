//! Navigation between the metric pages. Links keep the date-range query so
//! every page shows the same range.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::app::AppContext;
use crate::auth::page::Page;

#[component]
pub fn Nav() -> impl IntoView {
    let ctx = AppContext::expect();
    let location = use_location();
    let links = Page::ALL
        .iter()
        .map(|&page| {
            let href = ctx.page_href(page);
            let search = location.search;
            let pathname = location.pathname;
            let href_for_link = href.clone();
            let full_href = move || {
                let query = search.get();
                if query.is_empty() {
                    href_for_link.clone()
                } else {
                    format!("{href_for_link}?{}", query.trim_start_matches('?'))
                }
            };
            let current = move || {
                let path = pathname.get();
                let here = path.trim_end_matches('/');
                (here == href.trim_end_matches('/')).then_some("page")
            };
            view! {
                <li>
                    <a class="cca-nav__link" href=full_href aria-current=current>
                        {page.label()}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="cca-nav" aria-label="Analytics pages">
            <ul class="cca-nav__list">{links}</ul>
        </nav>
    }
}
