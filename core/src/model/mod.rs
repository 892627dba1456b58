//! Pure data logic: wire records, decoding, aggregation and dates.
//! Nothing here touches HTTP, the DOM or routes, so it is all tested natively.

pub mod aggregate;
pub mod dates;
pub mod day_part;
pub mod decode;
/// Hand-made records for tests: the crate's own and, with the `fixtures`
/// feature, other crates'.
#[cfg(any(test, feature = "fixtures"))]
pub mod fixture;
pub mod grouping;
pub mod member;
pub mod name;
pub mod order;
pub mod period;
pub mod projection;
pub mod record;
pub mod sorted_map;
pub mod team;
pub mod tool_actions;
pub mod totals;
pub mod value;
