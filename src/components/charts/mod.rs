//! Charts on a canvas: the component, its backend, its size and the host's
//! theme read from CSS. What a chart shows and how it is drawn is pure
//! (`cca_core::chart`, tested natively into SVG) and re-exported here.

pub mod canvas_backend;
pub mod chart;
pub mod css_theme;

pub use cca_core::chart::{color, draw, geometry, scale, spec, table, theme};

pub use chart::Chart;
