//! [`TerrainError`]: what can go wrong in the terrain routines, and where.

use thiserror::Error;

/// Errors of the terrain routines.
///
/// Every variant names the layer and, where it applies, the cell `(row, col)` and the offending
/// value, so that the message is enough to find the problem in the input raster.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum TerrainError {
    /// The DEM (or another input layer) has no valid cell.
    #[error("layer `{layer}` has no valid (non-nodata) cell")]
    AllNodata {
        /// The layer name.
        layer: String,
    },
    /// A layer with zero rows or zero columns.
    #[error("layer `{layer}` is empty ({rows} rows x {cols} cols)")]
    Empty {
        /// The layer name.
        layer: String,
        /// Number of rows.
        rows: usize,
        /// Number of columns.
        cols: usize,
    },
    /// A NaN or infinite value that is not the layer's declared nodata.
    #[error(
        "layer `{layer}`, cell (row {row}, col {col}): value {value} is not finite and is not \
         the declared nodata ({nodata})"
    )]
    NonFinite {
        /// The layer name.
        layer: String,
        /// Row of the cell.
        row: usize,
        /// Column of the cell.
        col: usize,
        /// The offending value.
        value: f32,
        /// The declared nodata, or `none`.
        nodata: String,
    },
    /// A cell width or height that is zero, negative or not finite.
    #[error("cell {what} is {value} m; it must be finite and > 0")]
    InvalidCellSize {
        /// `width` or `height`.
        what: &'static str,
        /// The offending size.
        value: f64,
    },
    /// A method that needs square cells was given rectangular ones.
    #[error("{method} needs square cells, but cells are {width} m x {height} m")]
    NonSquareCells {
        /// The method that needs square cells.
        method: &'static str,
        /// Cell width in m.
        width: f64,
        /// Cell height in m.
        height: f64,
    },
    /// Two layers that must have the same shape do not.
    #[error("layer `{layer}` is {found:?} (rows, cols) but `{reference}` is {expected:?}")]
    ShapeMismatch {
        /// The layer whose shape is wrong.
        layer: String,
        /// The layer it is compared to.
        reference: String,
        /// The reference shape.
        expected: (usize, usize),
        /// The shape found.
        found: (usize, usize),
    },
    /// A D8 flow-direction code other than 0..=7 or the nodata code 128.
    #[error(
        "layer `{layer}`, cell (row {row}, col {col}): D8 direction code {value} is not 0..=7 \
         or the nodata code 128"
    )]
    InvalidFlowDirection {
        /// The layer name.
        layer: String,
        /// Row of the cell.
        row: usize,
        /// Column of the cell.
        col: usize,
        /// The offending code.
        value: u8,
    },
    /// A scalar parameter outside its valid range.
    #[error("parameter `{parameter}` = {value}: expected {expected}")]
    InvalidParameter {
        /// The parameter name.
        parameter: &'static str,
        /// The offending value.
        value: f64,
        /// The valid range, in words.
        expected: &'static str,
    },
    /// A raster with more cells than the routines can index (u32 cell indices).
    #[error("layer `{layer}` has {cells} cells; at most {max} are supported")]
    TooLarge {
        /// The layer name.
        layer: String,
        /// Number of cells.
        cells: usize,
        /// The maximum supported.
        max: usize,
    },
}
