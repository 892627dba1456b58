//! The app's state, provided once by the root component: the app context
//! (config, policy, today), the day store, the summary store and the viewer's session. Hooks read
//! it; components and pages go through hooks and the context's accessors.

pub mod context;
pub mod session;
pub mod store;
pub mod summaries;

pub use context::AppContext;
pub use store::UsageStore;
