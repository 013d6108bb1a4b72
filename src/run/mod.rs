//! Runs on raster files: a [`RunConfig`] (TOML) names the layers, tables, regions, profile
//! and outputs; [`run_rasters`] computes the account block by block in bounded memory, after
//! checking that every raster is aligned with the land cover ([`check_aligned`]), with a
//! [`Coverage`](crate::account::Coverage) report of valid, nodata and used cells.
//!
//! Features `geotiff`, `toml` and `json` (all default).
//!
//! * [`config`]: [`RunConfig`], the run file, with typed errors naming the file and key.
//! * [`align`]: [`check_aligned`], grids that must match exactly (no resampling).
//! * [`source`]: [`RowSource`], a raster read by row blocks.
//! * [`stream`]: [`run_rasters`], the block runner, progress, per-cell value maps.
//! * [`output`]: [`execute`], a whole run from a configuration to files.
//! * [`synthetic`]: [`write_synthetic`], a synthetic landscape of any size, block by block.
//! * [`sample`]: [`write_sample`], the sample county as files and a `run.toml`.

pub mod align;
pub mod config;
pub mod output;
pub mod sample;
pub mod source;
pub mod stream;
pub mod synthetic;

pub use align::{check_aligned, GridInfo, ALIGN_TOLERANCE};
pub use config::RunConfig;
pub use output::{execute, RunReport};
pub use sample::{inputs_from_landscape, write_sample};
pub use source::{open_geotiff, MemorySource, RowSource};
pub use stream::{
    block_rows_for, run_rasters, MapRequest, MapSink, NodataMask, Progress, RasterInputs,
    RegionRaster, Stage, StreamOptions, MAP_NODATA,
};
pub use synthetic::{synthetic_rows, write_synthetic, SYNTHETIC_LAYERS};
