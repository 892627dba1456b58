//! What a viewer sees instead of a page: no access (with the roles that do
//! have it), signed out, the server's refusal, an unreadable role.

use leptos::prelude::*;

use crate::auth::page::Page;
use crate::auth::role::Role;
use crate::state::session::Session;
use crate::state::AppContext;

/// Human list of role labels: "Primary Owner, Owner, Billing, Admin and Developer".
pub fn list_roles(roles: &[Role]) -> String {
    let labels: Vec<String> = roles.iter().map(|r| r.label()).collect();
    match labels.as_slice() {
        [] => "no role".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A page this role may not see.
#[component]
pub fn NoAccessPage(page: Page, role: Role) -> impl IntoView {
    let ctx = AppContext::expect();
    let allowed = list_roles(&ctx.policy.roles_for(page));
    let visible = ctx.policy.visible_pages(&role);
    let links = visible
        .into_iter()
        .map(|p| {
            let href = ctx.page_href(p);
            view! { <li><a href=href>{p.label()}</a></li> }
        })
        .collect_view();
    view! {
        <section class="cca-page" data-page="no-access">
            <div class="cca-panel cca-panel--warn" role="alert">
                <h1 class="cca-page__title">"No access to " {page.label()}</h1>
                <p>
                    {format!(
                        "Your role ({}) cannot see this page. It is available to {allowed}.",
                        role.label()
                    )}
                </p>
                <p>"Pages you can see:"</p>
                <ul class="cca-no-access__links">{links}</ul>
            </div>
        </section>
    }
}

/// A role without any analytics page.
#[component]
pub fn NoAnalyticsAccess(role: Role) -> impl IntoView {
    let ctx = AppContext::expect();
    let allowed = list_roles(&ctx.policy.roles_for(Page::Overview));
    let unknown = matches!(role, Role::Unknown(_));
    view! {
        <section class="cca-page" data-page="no-analytics">
            <div class="cca-panel cca-panel--warn" role="alert">
                <h1 class="cca-page__title">"Analytics are not available to your role"</h1>
                <p>{format!("Analytics are available to {allowed}. Your role is {}.", role.label())}</p>
                {unknown.then(|| view! {
                    <p>"This app does not recognise that role, so it shows nothing until an administrator assigns a known one."</p>
                })}
                <p>"Ask an Owner of your organization if you need access."</p>
            </div>
        </section>
    }
}

/// 401 from the API.
#[component]
pub fn SignedOutPanel() -> impl IntoView {
    let ctx = AppContext::expect();
    let sign_in = ctx.config.sign_in_url.clone();
    view! {
        <section class="cca-page" data-page="signed-out">
            <div class="cca-panel cca-panel--warn" role="alert">
                <h1 class="cca-page__title">"You are signed out"</h1>
                <p>"Your console session has ended. Sign in again to see analytics."</p>
                {sign_in.map(|url| view! { <a class="cca-button" href=url rel="external">"Sign in"</a> })}
            </div>
        </section>
    }
}

/// 403 from the API: the server is the authority.
#[component]
pub fn ForbiddenPanel() -> impl IntoView {
    view! {
        <section class="cca-page" data-page="forbidden">
            <div class="cca-panel cca-panel--warn" role="alert">
                <h1 class="cca-page__title">"No access"</h1>
                <p>"The console says your account may not see analytics for this organization."</p>
                <p>"Analytics are available to Primary Owners, Owners, Billing, Admins and Developers."</p>
            </div>
        </section>
    }
}

/// `/v1/me` could not be read or reached.
#[component]
pub fn SessionErrorPanel(message: String, retryable: bool) -> impl IntoView {
    let session = Session::expect();
    view! {
        <section class="cca-page" data-page="session-error">
            <div class="cca-panel cca-panel--error" role="alert">
                <h1 class="cca-page__title">"Could not determine your role"</h1>
                <p>{message}</p>
                <p>"Nothing is shown until your role is known."</p>
                {retryable.then(|| view! {
                    <button type="button" class="cca-button" on:click=move |_| session.retry()>"Retry"</button>
                })}
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_roles_in_prose() {
        assert_eq!(list_roles(&[]), "no role");
        assert_eq!(list_roles(&[Role::Owner]), "Owner");
        assert_eq!(
            list_roles(&[Role::PrimaryOwner, Role::Owner, Role::Billing]),
            "Primary Owner, Owner and Billing"
        );
    }
}
