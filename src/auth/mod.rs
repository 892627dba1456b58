//! Who may see what: roles, pages and the access policy (`cca-core`) and
//! the viewer's session.

pub use cca_core::auth::{page, policy, role};
pub mod session;
