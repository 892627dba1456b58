//! One module per page, plus what they share. [`PageView`] decides, from the
//! session and the policy, whether a page's content (and so its data
//! requests) exists at all.

pub mod accept_rate;
pub mod access;
pub mod activity;
pub mod lines;
pub mod member;
pub mod overview;
pub mod spend;
pub mod team;

use leptos::prelude::*;

use crate::api::error::ApiError;
use crate::auth::page::Page;
use crate::auth::role::Role;
use crate::state::session::{Session, SessionState};
use crate::state::AppContext;
use access::{ForbiddenPanel, NoAccessPage, NoAnalyticsAccess, SessionErrorPanel, SignedOutPanel};

/// A metric page by id, if the viewer may see it.
#[component]
pub fn PageView(page: Page) -> impl IntoView {
    let ctx = AppContext::expect();
    name_tab(&ctx, page.label());
    gated(page, move |role| page_content(page, role))
}

/// `/team/<member>`: one member's page, gated like the team page. The
/// member is read from the address as the browser keeps it (escaped), not
/// from the router's parameter, so a name holding `%` is read once.
#[component]
pub fn MemberView() -> impl IntoView {
    let ctx = AppContext::expect();
    let location = leptos_router::hooks::use_location();
    let base = ctx.config.router_base.clone();
    let segment = Memo::new(move |_| {
        let path = crate::paths::strip_base(&base, &location.pathname.get());
        path.strip_prefix("/team/").unwrap_or_default().to_owned()
    });
    gated(Page::Team, move |role| {
        // Another member is another page (its own loads and figures).
        (move || {
            let segment = segment.get();
            view! { <member::MemberPage role=role.clone() segment=segment /> }
        })
        .into_any()
    })
}

/// `content` for the viewer's role once the session allows `page`, else
/// what stands in its way (signing in, an error, no access).
fn gated(page: Page, content: impl Fn(Role) -> AnyView + Send + Sync + 'static) -> impl IntoView {
    let ctx = AppContext::expect();
    let session = Session::expect();
    // Re-render only when what is shown changes, not on every session update.
    let decision = Memo::new(move |_| session.state.with(|state| decide(&ctx.policy, state, page)));
    move || match decision.get() {
        Decision::Wait => view! {
            <section class="cca-page" data-page="loading" aria-busy="true">
                <div class="cca-skeleton cca-skeleton--chart"></div>
            </section>
        }
        .into_any(),
        Decision::SignedOut => view! { <SignedOutPanel /> }.into_any(),
        Decision::Forbidden => view! { <ForbiddenPanel /> }.into_any(),
        Decision::SessionError { message, retryable } => {
            view! { <SessionErrorPanel message=message retryable=retryable /> }.into_any()
        }
        Decision::NoAnalytics(role) => view! { <NoAnalyticsAccess role=role /> }.into_any(),
        Decision::NoAccess(role) => view! { <NoAccessPage page=page role=role /> }.into_any(),
        Decision::Show(role) => content(role),
    }
}

/// Names the browser tab after the page, when the app is its own page.
fn name_tab(ctx: &AppContext, page: &str) {
    if ctx.names_tabs {
        document().set_title(&crate::format::tab_title(page));
    }
}

/// What [`PageView`] renders.
#[derive(Debug, Clone, PartialEq)]
enum Decision {
    Wait,
    SignedOut,
    Forbidden,
    SessionError { message: String, retryable: bool },
    NoAnalytics(Role),
    NoAccess(Role),
    Show(Role),
}

fn decide(policy: &crate::auth::policy::Policy, state: &SessionState, page: Page) -> Decision {
    match state {
        SessionState::Loading => Decision::Wait,
        SessionState::SignedOut => Decision::SignedOut,
        SessionState::Forbidden => Decision::Forbidden,
        SessionState::Unreadable(error) => Decision::SessionError {
            message: format!("The console's answer about your role could not be read. {error}"),
            retryable: false,
        },
        SessionState::Failed(error) => Decision::SessionError {
            message: error.to_string(),
            retryable: !matches!(error, ApiError::Decode(_)),
        },
        SessionState::Ready(viewer) if !policy.has_any_access(&viewer.role) => {
            Decision::NoAnalytics(viewer.role.clone())
        }
        SessionState::Ready(viewer) if !policy.allows(&viewer.role, page) => {
            Decision::NoAccess(viewer.role.clone())
        }
        SessionState::Ready(viewer) => Decision::Show(viewer.role.clone()),
    }
}

fn page_content(page: Page, role: Role) -> AnyView {
    match page {
        Page::Overview => view! { <overview::OverviewPage role=role /> }.into_any(),
        Page::Lines => view! { <lines::LinesPage /> }.into_any(),
        Page::AcceptRate => view! { <accept_rate::AcceptRatePage /> }.into_any(),
        Page::Activity => view! { <activity::ActivityPage /> }.into_any(),
        Page::Spend => view! { <spend::SpendPage /> }.into_any(),
        Page::Team => view! { <team::TeamPage role=role /> }.into_any(),
    }
}

/// Shown for a path under the router base that names no page.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let ctx = AppContext::expect();
    name_tab(&ctx, "Page not found");
    let home = ctx.page_href(Page::Overview);
    view! {
        <section class="cca-page cca-page--not-found" data-page="not-found">
            <h1 class="cca-page__title">"Page not found"</h1>
            <p>"There is no analytics page at this address."</p>
            <a class="cca-button" href=home>"Go to the overview"</a>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::policy::Policy;
    use crate::state::session::Viewer;

    fn ready(role: Role) -> SessionState {
        SessionState::Ready(Viewer {
            role,
            email: None,
            organization: None,
            summaries: false,
            member_summaries: false,
            data_since: None,
        })
    }

    #[test]
    fn decisions_follow_the_policy() {
        let policy = Policy::default();
        assert_eq!(
            decide(&policy, &ready(Role::Admin), Page::Team),
            Decision::Show(Role::Admin)
        );
        assert_eq!(
            decide(&policy, &ready(Role::User), Page::Team),
            Decision::NoAnalytics(Role::User)
        );
        let unknown = Role::from_wire("intern");
        assert_eq!(
            decide(&policy, &ready(unknown.clone()), Page::Lines),
            Decision::NoAnalytics(unknown)
        );
        assert_eq!(
            decide(&policy, &SessionState::Loading, Page::Lines),
            Decision::Wait
        );
        assert_eq!(
            decide(&policy, &SessionState::SignedOut, Page::Lines),
            Decision::SignedOut
        );
        let narrowed = [("spend".to_owned(), vec!["owner".to_owned()])];
        let (narrow, _) = Policy::with_overrides(&narrowed);
        assert_eq!(
            decide(&narrow, &ready(Role::Developer), Page::Spend),
            Decision::NoAccess(Role::Developer)
        );
    }
}
