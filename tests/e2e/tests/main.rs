//! Every end-to-end test, as one test binary: each of these modules used to be
//! a binary of its own that linked the test server, the project's server,
//! fantoccini and their stack again (17 links, 130-200 MB each in a debug
//! build); one binary links them once. The layer runs them one at a time
//! (`--test-threads=1`): each starts its own Chromium.

mod charts;
mod csv;
mod embedding;
mod faults;
mod hostile;
mod layout;
mod loading;
mod member;
mod pages;
mod phone;
mod roles;
mod scale;
mod server;
mod server_roles;
mod shell;
mod summary_path;
mod team_view;
