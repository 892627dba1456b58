//! Charts: pure drawing and layout (generic over the plotters backend,
//! tested natively into SVG) and the canvas component.

pub mod canvas_backend;
pub mod canvas_size;
pub mod chart;
pub mod color;
pub mod css_theme;
pub mod draw;
pub mod geometry;
pub mod scale;
pub mod spec;
pub mod table;
pub mod theme;

pub use chart::Chart;
