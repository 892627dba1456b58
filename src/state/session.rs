//! Who is looking: the role from the config, else from `GET /v1/me`; in demo
//! mode a switcher lets a visitor see the app as each role.

use leptos::prelude::*;

use crate::api::client::Cancel;
use crate::api::error::ApiError;
use crate::api::source::DataSource;
use crate::api::spawn::spawn_started;
use crate::auth::role::Role;

/// The signed-in viewer.
#[derive(Debug, Clone, PartialEq)]
pub struct Viewer {
    pub role: Role,
    pub email: Option<String>,
    pub organization: Option<String>,
    /// `/v1/me` says the API sums ranges up itself
    /// ([`cca_core::summary::CAPABILITY`]): pages read summaries instead of
    /// every raw record.
    pub summaries: bool,
    /// It also sums up one member's records
    /// ([`cca_core::summary::MEMBER_CAPABILITY`]): the member page reads that.
    pub member_summaries: bool,
    /// The organization's first day with usage, when `/v1/me` says (or the
    /// built-in demo's first day).
    pub data_since: Option<chrono::NaiveDate>,
}

/// Where resolving the viewer stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    Loading,
    Ready(Viewer),
    /// 401 from `/v1/me`.
    SignedOut,
    /// 403 from `/v1/me`: the server is the authority.
    Forbidden,
    /// `/v1/me` answered something unreadable (deny, and say so).
    Unreadable(ApiError),
    /// `/v1/me` could not be reached after retries.
    Failed(ApiError),
}

impl SessionState {
    pub fn role(&self) -> Option<&Role> {
        match self {
            SessionState::Ready(viewer) => Some(&viewer.role),
            _ => None,
        }
    }
}

/// The session context.
#[derive(Clone, Copy)]
pub struct Session {
    pub state: RwSignal<SessionState>,
    /// Set in demo mode only: the role switcher writes here.
    pub demo: bool,
    /// The built-in demo organization's first day (demo mode only).
    demo_since: Option<chrono::NaiveDate>,
    retry: Trigger,
}

impl Session {
    pub fn expect() -> Self {
        expect_context::<Session>()
    }

    /// Whether the signed-in viewer's API offers summaries (untracked: a
    /// page exists only once the viewer is known, and asks this once).
    pub fn summaries_offered(&self) -> bool {
        self.state
            .with_untracked(|state| matches!(state, SessionState::Ready(v) if v.summaries))
    }

    /// Whether it also offers one member's summary (untracked, as above).
    pub fn member_summaries_offered(&self) -> bool {
        self.state
            .with_untracked(|state| matches!(state, SessionState::Ready(v) if v.member_summaries))
    }

    /// The organization's first day with usage, when the viewer's answer
    /// says (untracked, as [`Session::summaries_offered`]).
    pub fn data_since(&self) -> Option<chrono::NaiveDate> {
        self.state.with_untracked(|state| match state {
            SessionState::Ready(viewer) => viewer.data_since,
            _ => None,
        })
    }

    /// Asks `/v1/me` again (after an error).
    pub fn retry(&self) {
        self.retry.notify();
    }

    /// The demo's role switcher.
    pub fn switch_role(&self, role: Role) {
        if self.demo {
            self.state.update(|state| match state {
                SessionState::Ready(viewer) => viewer.role = role,
                other => {
                    *other = SessionState::Ready(demo_viewer(role, self.demo_since));
                }
            });
        }
    }
}

fn demo_viewer(role: Role, data_since: Option<chrono::NaiveDate>) -> Viewer {
    Viewer {
        role,
        email: Some("you@example.com".to_owned()),
        organization: Some("Example Org (demo)".to_owned()),
        summaries: false,
        member_summaries: false,
        data_since,
    }
}

/// Resolves the viewer and provides the [`Session`] context.
pub fn provide_session(configured_role: Option<&str>, source: DataSource) -> Session {
    let demo = source.is_demo();
    let demo_since = source.demo_first_day();
    let initial = match (configured_role, demo) {
        (Some(role), _) => SessionState::Ready(Viewer {
            role: Role::from_wire(role),
            email: None,
            organization: None,
            // No `/v1/me` is asked, so nothing says the API offers more
            // than the usage report, nor since when it has data.
            summaries: false,
            member_summaries: false,
            data_since: demo_since,
        }),
        (None, true) => SessionState::Ready(demo_viewer(Role::Admin, demo_since)),
        (None, false) => SessionState::Loading,
    };
    let needs_me = matches!(initial, SessionState::Loading);
    let session = Session {
        state: RwSignal::new(initial),
        demo,
        demo_since,
        retry: Trigger::new(),
    };
    if needs_me {
        let state = session.state;
        let retry = session.retry;
        let ask_me = move || {
            let source = source.clone();
            spawn_started(async move {
                let outcome = source.me(&Cancel::default()).await;
                let next = match outcome {
                    Some(Ok(me)) => SessionState::Ready(Viewer {
                        role: Role::from_wire(&me.role),
                        summaries: me.offers(cca_core::summary::CAPABILITY),
                        member_summaries: me.offers(cca_core::summary::CAPABILITY)
                            && me.offers(cca_core::summary::MEMBER_CAPABILITY),
                        email: me.email,
                        organization: me.organization.map(|o| o.name),
                        data_since: me.data_since,
                    }),
                    Some(Err(ApiError::SignedOut)) => SessionState::SignedOut,
                    Some(Err(ApiError::Forbidden)) => SessionState::Forbidden,
                    Some(Err(error @ (ApiError::Decode(_) | ApiError::NotJson { .. }))) => {
                        SessionState::Unreadable(error)
                    }
                    Some(Err(error)) => SessionState::Failed(error),
                    None => SessionState::Ready(demo_viewer(Role::Admin, demo_since)),
                };
                state.set(next);
            });
        };
        // The first request leaves now, while the app is still being mounted.
        ask_me();
        Effect::watch(
            move || retry.track(),
            move |_, _, _| {
                state.set(SessionState::Loading);
                ask_me();
            },
            false,
        );
    }
    provide_context(session);
    session
}
