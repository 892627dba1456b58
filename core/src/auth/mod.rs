//! Who may see what: roles, pages and the access policy.

pub mod page;
pub mod policy;
pub mod role;
