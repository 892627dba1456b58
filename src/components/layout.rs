//! Page frame: header, navigation and the main content area.

use leptos::prelude::*;

use crate::app::AppContext;
use crate::components::nav::Nav;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let ctx = AppContext::expect();
    let demo = ctx.config.is_demo();
    view! {
        <div class="cca-layout">
            <header class="cca-header">
                <div class="cca-header__title">
                    <span class="cca-logo" aria-hidden="true"></span>
                    <span class="cca-header__name">"Claude Code Analytics"</span>
                    {demo.then(|| view! { <span class="cca-badge">"Demo data"</span> })}
                </div>
            </header>
            <Nav />
            <main class="cca-main" id="cca-main">
                {children()}
            </main>
            <footer class="cca-footer">"All days are UTC."</footer>
        </div>
    }
}
