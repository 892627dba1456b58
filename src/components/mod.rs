//! Reusable view pieces: layout, navigation, status panels, charts.

pub mod layout;
pub mod nav;
pub mod status;
