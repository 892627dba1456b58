//! Reusable view pieces: layout, navigation, cards, range control, status
//! panels, charts, a table's CSV button.

pub mod breakdowns;
pub mod card;
pub mod charts;
pub mod download;
pub mod headline;
pub mod info;
pub mod layout;
pub mod nav;
pub mod page_frame;
pub mod range;
pub mod status;
pub mod table_head;
pub mod theme;
pub mod top_members;
pub mod value_view;
