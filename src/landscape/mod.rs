//! Landscapes: spatial units with areas, land cover, regions and named layers.

mod grid;
pub use grid::{GeoTransform, GridShape};
