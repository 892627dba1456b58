//! Hooks, one per file: how components and pages get at the app's state and
//! the browser (the day store through loads and aggregates, the URL's range,
//! month and team view, an element's size).

pub mod aggregates;
pub mod canvas_size;
pub mod grouping;
pub mod month_members;
pub mod page_data;
pub mod range_load;
pub mod set_query;
pub mod stall;
pub mod summary_load;
pub mod team_view;
pub mod usage;
