//! Who the viewer is, and what they may do.
//!
//! `local` mode gives every viewer one configured role; it is only allowed
//! on a loopback address (the CLI checks), where the only viewers are the
//! machine's own users. `proxy` mode believes an identity header set by an
//! authenticating reverse proxy, but only on connections from the proxy's
//! own addresses (anyone else could send the header themselves), and maps
//! the email to a role with the roles file; unknown viewers have no access.

use std::net::{IpAddr, SocketAddr};

use axum::http::{HeaderMap, HeaderName};
use cca::auth::policy::Policy;
use cca::auth::role::Role;

use crate::error::Error;
use crate::roles::RolesFile;

#[derive(Debug, Clone)]
pub enum Auth {
    Local {
        role: Role,
    },
    Proxy {
        header: HeaderName,
        trusted: Vec<IpAddr>,
        roles: RolesFile,
    },
}

/// A viewer the server knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub email: Option<String>,
    pub role: Role,
}

/// Longest identity header value believed.
const MAX_EMAIL_LEN: usize = 320;

impl Auth {
    /// The viewer of a request, from its headers and the peer address of its
    /// connection (`None` when unknown, which is never trusted).
    pub fn viewer(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> Result<Viewer, Error> {
        match self {
            Auth::Local { role } => Ok(Viewer {
                email: None,
                role: role.clone(),
            }),
            Auth::Proxy {
                header,
                trusted,
                roles,
            } => {
                // IPv4 peers may arrive as IPv4-mapped IPv6 on a dual-stack socket.
                let from_proxy = peer
                    .map(|p| p.ip().to_canonical())
                    .is_some_and(|ip| trusted.iter().any(|t| t.to_canonical() == ip));
                if !from_proxy {
                    return Err(Error::SignedOut);
                }
                let email = headers
                    .get(header)
                    .and_then(|v| v.to_str().ok())
                    .map(str::trim)
                    .filter(|e| !e.is_empty() && e.len() <= MAX_EMAIL_LEN)
                    .ok_or(Error::SignedOut)?;
                let role = roles.role_of(email).ok_or_else(|| {
                    Error::Forbidden("your account has no role on this dashboard".to_owned())
                })?;
                Ok(Viewer {
                    email: Some(email.to_owned()),
                    role,
                })
            }
        }
    }
}

/// The viewer of a usage request, if they may read usage at all: a role
/// that may see no analytics page is refused here, before any upstream call.
pub fn may_read_usage(viewer: &Viewer, policy: &Policy) -> Result<(), Error> {
    if policy.has_any_access(&viewer.role) {
        Ok(())
    } else {
        Err(Error::Forbidden(format!(
            "{} may not see analytics",
            viewer.role.label()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn proxy() -> Auth {
        Auth::Proxy {
            header: HeaderName::from_static("x-forwarded-email"),
            trusted: vec!["127.0.0.1".parse().unwrap()],
            roles: RolesFile::parse(
                "[emails]\n\"u@corp.example\" = \"user\"\n[domains]\n\"corp.example\" = \"owner\"\n",
                "roles.toml",
            )
            .unwrap(),
        }
    }

    fn headers(email: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-email", HeaderValue::from_str(email).unwrap());
        headers
    }

    #[test]
    fn the_header_is_believed_only_from_a_trusted_proxy() {
        let auth = proxy();
        let proxy_addr: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:5000".parse().unwrap();
        let stranger: SocketAddr = "127.0.0.2:5000".parse().unwrap();
        let boss = headers("boss@corp.example");
        assert_eq!(
            auth.viewer(&boss, Some(proxy_addr)).unwrap().role,
            Role::Owner
        );
        assert_eq!(auth.viewer(&boss, Some(mapped)).unwrap().role, Role::Owner);
        assert_eq!(auth.viewer(&boss, Some(stranger)), Err(Error::SignedOut));
        assert_eq!(auth.viewer(&boss, None), Err(Error::SignedOut));
        assert_eq!(
            auth.viewer(&HeaderMap::new(), Some(proxy_addr)),
            Err(Error::SignedOut)
        );
        assert!(matches!(
            auth.viewer(&headers("who@else.example"), Some(proxy_addr)),
            Err(Error::Forbidden(_))
        ));
        let user = auth
            .viewer(&headers("u@corp.example"), Some(proxy_addr))
            .unwrap();
        assert_eq!(user.role, Role::User);
        assert!(may_read_usage(&user, &Policy::default()).is_err());
    }
}
