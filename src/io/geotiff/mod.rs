//! GeoTIFF reading and writing on the pure-Rust `tiff` crate (feature `geotiff`).

mod read;
mod write;

pub use read::read_geotiff;
pub use write::{write_geotiff, TiffCompression, WriteOptions};
