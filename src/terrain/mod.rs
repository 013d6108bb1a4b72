//! Terrain: DEM hydrology (pit filling, flow direction, flow accumulation, slope, LS factor).
//!
//! Placeholder: the routines land with the terrain issue.

use thiserror::Error;

/// Errors of the terrain routines.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum TerrainError {
    /// The DEM has no valid cell.
    #[error("DEM `{layer}` has no valid (non-nodata) cell")]
    AllNodata {
        /// The DEM layer name.
        layer: String,
    },
}
