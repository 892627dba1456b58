//! Page frame: header (with the demo's role switcher), navigation and the
//! main content area.

use leptos::prelude::*;

use crate::auth::page::Page;
use crate::auth::role::Role;
use crate::components::nav::Nav;
use crate::state::session::{Session, SessionState};
use crate::state::AppContext;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let ctx = AppContext::expect();
    let session = Session::expect();
    let demo = ctx.config.is_demo();
    let viewer = move || match session.state.get() {
        SessionState::Ready(viewer) if !session.demo => {
            let who = viewer.email.clone().unwrap_or_default();
            let org = viewer.organization.clone().unwrap_or_default();
            Some(view! {
                <span class="cca-viewer">
                    <span class="cca-viewer__org">{org}</span>
                    <span class="cca-viewer__who">{who}</span>
                    <span class="cca-badge">{viewer.role.label()}</span>
                </span>
            })
        }
        _ => None,
    };
    // Spend is mentioned only to a viewer who may see it.
    let policy = ctx.policy.clone();
    let footer = move || {
        let sees_spend = session.state.with(|s| {
            s.role()
                .is_some_and(|role| policy.allows(role, Page::Spend))
        });
        if sees_spend {
            "All days are UTC. Spend figures are estimates."
        } else {
            "All days are UTC."
        }
    };
    // Focus moves to the content itself: the router would take the `#`
    // link for a navigation.
    let main = NodeRef::<leptos::html::Main>::new();
    let skip = move |event: web_sys::MouseEvent| {
        event.prevent_default();
        if let Some(main) = main.get() {
            let _ = main.focus();
        }
    };
    view! {
        <div class="cca-layout">
            <a class="cca-skip-link" href="#cca-main" on:click=skip>
                "Skip to content"
            </a>
            <header class="cca-header">
                <div class="cca-header__title">
                    <span class="cca-logo" aria-hidden="true"></span>
                    <span class="cca-header__name">"Claude Code Analytics"</span>
                    {demo.then(|| view! { <span class="cca-badge">"Demo data"</span> })}
                </div>
                <div class="cca-header__tools">
                    {viewer}
                    {session.demo.then(|| view! { <RoleSwitcher /> })}
                </div>
            </header>
            <Nav />
            <main class="cca-main" id="cca-main" tabindex="-1" node_ref=main>
                {children()}
            </main>
            <footer class="cca-footer">{footer}</footer>
        </div>
    }
}

/// Demo only: see the app as any role.
#[component]
fn RoleSwitcher() -> impl IntoView {
    let session = Session::expect();
    let current = move || {
        session
            .state
            .with(|s| s.role().map(|r| r.wire_name().to_owned()))
            .unwrap_or_default()
    };
    let options = Role::KNOWN
        .iter()
        .map(|role| {
            let wire = role.wire_name().to_owned();
            let selected = {
                let wire = wire.clone();
                move || current() == wire
            };
            view! { <option value=wire selected=selected>{role.label()}</option> }
        })
        .collect_view();
    view! {
        <label class="cca-role-switcher">
            <span class="cca-note">"View as"</span>
            <select
                class="cca-select"
                aria-label="View the demo as role"
                on:change=move |ev| session.switch_role(Role::from_wire(&event_target_value(&ev)))
            >
                {options}
            </select>
        </label>
    }
}
