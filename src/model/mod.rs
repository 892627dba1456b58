//! Pure data logic: wire records, decoding, aggregation and dates.
//! Nothing here touches HTTP, the DOM or routes, so it is all tested natively.

pub mod record;
