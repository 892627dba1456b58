//! Who may see what: roles, pages, the access policy and the session.

pub mod page;
pub mod policy;
pub mod role;
pub mod session;
