//! One module per page.

use leptos::prelude::*;

use crate::app::AppContext;
use crate::auth::page::Page;

/// A metric page by id.
#[component]
pub fn PageView(page: Page) -> impl IntoView {
    view! {
        <section class="cca-page" data-page=page.key()>
            <h1 class="cca-page__title">{page.label()}</h1>
        </section>
    }
}

/// Shown for a path under the router base that names no page.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let ctx = AppContext::expect();
    let home = ctx.page_href(Page::Overview);
    view! {
        <section class="cca-page cca-page--not-found" data-page="not-found">
            <h1 class="cca-page__title">"Page not found"</h1>
            <p>"There is no analytics page at this address."</p>
            <a class="cca-button" href=home>"Go to the overview"</a>
        </section>
    }
}
