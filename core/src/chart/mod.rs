//! Charts without a canvas: what a chart shows ([`spec`]), its scales and
//! layout, its colours and theme, its table form, and the drawing itself,
//! generic over the plotters backend (tested natively into SVG).

pub mod color;
pub mod draw;
pub mod geometry;
pub mod scale;
pub mod spec;
pub mod table;
pub mod theme;
