//! Terrain: DEM hydrology (pit filling, flow direction, flow accumulation, streams, slope,
//! LS factor, downstream flow-path distance).
//!
//! The routines reproduce what InVEST 3.20 (through pygeoprocessing 2.4) computes for SDR,
//! quirks included, so that a workflow moved from InVEST gives the same rasters. Each function
//! documents which pygeoprocessing/InVEST routine it mirrors and which quirk it keeps.
//!
//! | step | function | output (unit, nodata) |
//! | --- | --- | --- |
//! | pit filling | [`fill_pits`] | elevation (DEM unit), DEM nodata kept |
//! | D8 direction | [`flow_dir_d8`] | `u8` code 0..=7, [`D8_NODATA`] |
//! | MFD direction | [`flow_dir_mfd`] | `u32`, eight 4-bit weights, [`MFD_NODATA`] |
//! | accumulation | [`flow_accumulation_d8`], [`flow_accumulation_mfd`] | cells (or Σ weight), [`FLOW_ACCUM_NODATA`] |
//! | streams | [`streams_d8`], [`streams_mfd`] | `u8` 1/0, [`STREAM_NODATA`] |
//! | slope | [`slope_percent`], [`slope_degrees`] | %, °, [`SLOPE_NODATA`] |
//! | LS factor | [`ls_factor`] | dimensionless, [`LS_NODATA`] |
//! | distance to stream | [`downstream_distance_d8`], [`downstream_distance_mfd`] | pixel lengths × weight, [`DISTANCE_NODATA`] |
//!
//! Direction codes follow pygeoprocessing (TauDEM): neighbour `k` of a cell is
//!
//! ```text
//! 3 2 1
//! 4 x 0
//! 5 6 7
//! ```
//!
//! Inputs are `ndarray` views of `f32` elevations with an optional nodata value. A cell is
//! nodata when it is within numpy's `isclose` tolerance of the declared nodata
//! (`|v − nd| ≤ 1e-8 + 1e-5·|nd|`), or when both are NaN. A NaN or infinite elevation that is not
//! the declared nodata is an error, never silently skipped.
//!
//! Nothing here recurses: every traversal uses an explicit queue, stack or heap, so real DEMs
//! with 10⁸ cells do not overflow the call stack.
//!
//! # Examples
//! Fill, route and accumulate on a 3 × 3 DEM that slopes towards its bottom-right corner:
//! ```
//! use gep::terrain::{fill_pits, flow_accumulation_d8, flow_dir_d8};
//! use ndarray::array;
//! let dem = array![[9.0_f32, 8.0, 7.0], [8.0, 5.0, 4.0], [7.0, 4.0, 1.0]];
//! let filled = fill_pits(dem.view(), None)?;
//! let dirs = flow_dir_d8(filled.view(), None)?;
//! assert_eq!(dirs[[1, 1]], 7); // the centre drains to the south-east corner
//! let accum = flow_accumulation_d8(dirs.view(), None)?;
//! // Every cell ends in the 1 m corner: 9 cells, counting the corner itself.
//! assert_eq!(accum[[2, 2]], 9.0);
//! # Ok::<(), gep::terrain::TerrainError>(())
//! ```

mod accum;
mod distance;
mod error;
mod fill;
mod flow;
mod ls;
mod slope;
pub mod synthetic;

pub use accum::{
    flow_accumulation_d8, flow_accumulation_mfd, streams_d8, streams_mfd, FLOW_ACCUM_NODATA,
    STREAM_NODATA,
};
pub use distance::{downstream_distance_d8, downstream_distance_mfd, DISTANCE_NODATA};
pub use error::TerrainError;
pub use fill::fill_pits;
pub use flow::{flow_dir_d8, flow_dir_mfd, mfd_weight, D8_NODATA, MFD_NODATA};
pub use ls::{ls_factor, LsMethod, LsParams, LS_NODATA};
pub use slope::{slope_degrees, slope_percent, SLOPE_NODATA};

use ndarray::{Array2, ArrayView2};
use std::borrow::Cow;

use crate::landscape::GridShape;

/// √2 (pygeoprocessing's 1.4142135623730951, the same f64).
pub(crate) const SQRT2: f64 = std::f64::consts::SQRT_2;
/// 1/√2, as pygeoprocessing computes it.
pub(crate) const SQRT2_INV: f64 = 1.0 / SQRT2;

/// `(Δrow, Δcol)` of neighbour `k` (TauDEM order: E, NE, N, NW, W, SW, S, SE).
pub(crate) const OFFSETS: [(isize, isize); 8] = [
    (0, 1),
    (-1, 1),
    (-1, 0),
    (-1, -1),
    (0, -1),
    (1, -1),
    (1, 0),
    (1, 1),
];

/// The direction pointing back: neighbour `k` sees the cell as its neighbour `reverse(k)`
/// (pygeoprocessing's `D8_REVERSE_DIRECTION` = [4, 5, 6, 7, 0, 1, 2, 3]).
#[inline(always)]
pub(crate) const fn reverse(k: usize) -> usize {
    (k + 4) & 7
}

/// Validated cell dimensions in metres (both finite and > 0).
///
/// # Examples
/// ```
/// use gep::terrain::CellSize;
/// let cell = CellSize::square(30.0)?;
/// assert!(cell.is_square());
/// assert!(CellSize::square(0.0).is_err());
/// assert!(CellSize::new(30.0, -30.0).is_err());
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellSize {
    width_m: f64,
    height_m: f64,
}

impl CellSize {
    /// Cells of `width_m` × `height_m`; errors unless both are finite and > 0.
    pub fn new(width_m: f64, height_m: f64) -> Result<Self, TerrainError> {
        for (what, value) in [("width", width_m), ("height", height_m)] {
            if !(value.is_finite() && value > 0.0) {
                return Err(TerrainError::InvalidCellSize { what, value });
            }
        }
        Ok(Self { width_m, height_m })
    }

    /// Square cells of `size_m` metres.
    pub fn square(size_m: f64) -> Result<Self, TerrainError> {
        Self::new(size_m, size_m)
    }

    /// The cell size of a grid (a [`GridShape`] always has valid sizes).
    pub fn from_grid(grid: &GridShape) -> Self {
        Self {
            width_m: grid.cell_width(),
            height_m: grid.cell_height(),
        }
    }

    /// Cell width in m.
    pub fn width_m(&self) -> f64 {
        self.width_m
    }

    /// Cell height in m.
    pub fn height_m(&self) -> f64 {
        self.height_m
    }

    /// Whether width equals height to 1e-9 relative (as [`GridShape::is_square`]).
    pub fn is_square(&self) -> bool {
        (self.width_m - self.height_m).abs() <= 1e-9 * self.width_m
    }

    /// The side of a square cell; errors for rectangular cells, naming `method`.
    pub(crate) fn require_square(&self, method: &'static str) -> Result<f64, TerrainError> {
        if self.is_square() {
            Ok(self.width_m)
        } else {
            Err(TerrainError::NonSquareCells {
                method,
                width: self.width_m,
                height: self.height_m,
            })
        }
    }
}

impl From<&GridShape> for CellSize {
    fn from(grid: &GridShape) -> Self {
        Self::from_grid(grid)
    }
}

/// Raster dimensions and neighbour arithmetic on row-major flat indices.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dims {
    pub rows: usize,
    pub cols: usize,
}

impl Dims {
    pub fn len(&self) -> usize {
        self.rows * self.cols
    }

    /// Flat index of neighbour `k` of cell `(r, c)`, or `None` off the raster.
    #[inline(always)]
    pub fn neighbor(&self, r: usize, c: usize, k: usize) -> Option<usize> {
        let (dr, dc) = OFFSETS[k];
        let nr = r.wrapping_add_signed(dr);
        let nc = c.wrapping_add_signed(dc);
        if nr < self.rows && nc < self.cols {
            Some(nr * self.cols + nc)
        } else {
            None
        }
    }

    /// `(row, col)` of a flat index (u32 division: cell counts are checked to fit in u32).
    #[inline(always)]
    pub fn row_col(&self, i: usize) -> (usize, usize) {
        let (i, cols) = (i as u32, self.cols as u32);
        let r = i / cols;
        (r as usize, (i - r * cols) as usize)
    }

    /// Runs `f(row, row_slice)` on every row of `out`, in parallel with the `parallel` feature.
    /// Each row is computed independently, so the result does not depend on the thread count.
    pub fn for_each_row<T: Send>(&self, out: &mut [T], f: impl Fn(usize, &mut [T]) + Sync) {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            out.par_chunks_mut(self.cols)
                .enumerate()
                .for_each(|(r, row)| f(r, row));
        }
        #[cfg(not(feature = "parallel"))]
        for (r, row) in out.chunks_mut(self.cols).enumerate() {
            f(r, row);
        }
    }
}

/// The nodata test of pygeoprocessing (`isclose` with the declared nodata, or NaN).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Nodata {
    value: Option<f64>,
}

impl Nodata {
    pub fn new(nodata: Option<f32>) -> Self {
        Self {
            value: nodata.map(f64::from),
        }
    }

    /// Whether `v` counts as nodata.
    #[inline(always)]
    pub fn is(&self, v: f32) -> bool {
        match self.value {
            Some(nd) => {
                let v = f64::from(v);
                v == nd || (v - nd).abs() <= 1e-8 + 1e-5 * nd.abs() || (v.is_nan() && nd.is_nan())
            }
            None => false,
        }
    }
}

pub(crate) fn describe_nodata(nodata: Option<f32>) -> String {
    nodata.map_or_else(|| "none".to_string(), |v| v.to_string())
}

/// Checks a DEM-like layer: not empty, indexable with u32, every non-nodata value finite, at
/// least one valid cell. Returns the dims and the row-major data (borrowed when contiguous).
pub(crate) fn check_elevations<'a>(
    layer: &str,
    dem: &'a ArrayView2<'a, f32>,
    nodata: Option<f32>,
) -> Result<(Dims, Cow<'a, [f32]>, Nodata), TerrainError> {
    let dims = check_dims(layer, dem.dim())?;
    let test = Nodata::new(nodata);
    let data = contiguous(dem);
    let mut valid = 0usize;
    for (i, &v) in data.iter().enumerate() {
        if test.is(v) {
            continue;
        }
        if !v.is_finite() {
            let (row, col) = dims.row_col(i);
            return Err(TerrainError::NonFinite {
                layer: layer.to_string(),
                row,
                col,
                value: v,
                nodata: describe_nodata(nodata),
            });
        }
        valid += 1;
    }
    if valid == 0 {
        return Err(TerrainError::AllNodata {
            layer: layer.to_string(),
        });
    }
    Ok((dims, data, test))
}

/// Checks that a layer is non-empty and small enough for u32 cell indices.
pub(crate) fn check_dims(layer: &str, (rows, cols): (usize, usize)) -> Result<Dims, TerrainError> {
    if rows == 0 || cols == 0 {
        return Err(TerrainError::Empty {
            layer: layer.to_string(),
            rows,
            cols,
        });
    }
    let cells = rows.saturating_mul(cols);
    let max = u32::MAX as usize;
    if cells >= max {
        return Err(TerrainError::TooLarge {
            layer: layer.to_string(),
            cells,
            max: max - 1,
        });
    }
    Ok(Dims { rows, cols })
}

/// Checks that `layer` has the shape `expected` of `reference`.
pub(crate) fn check_same_shape(
    layer: &str,
    found: (usize, usize),
    reference: &str,
    expected: (usize, usize),
) -> Result<(), TerrainError> {
    if found == expected {
        Ok(())
    } else {
        Err(TerrainError::ShapeMismatch {
            layer: layer.to_string(),
            reference: reference.to_string(),
            expected,
            found,
        })
    }
}

/// The row-major values of a view, borrowed when the view is already contiguous.
pub(crate) fn contiguous<'a, T: Clone>(view: &'a ArrayView2<'a, T>) -> Cow<'a, [T]> {
    match view.as_slice() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(view.iter().cloned().collect()),
    }
}

/// Wraps a row-major buffer of `dims` into an `Array2`.
pub(crate) fn into_array<T>(
    layer: &str,
    dims: Dims,
    data: Vec<T>,
) -> Result<Array2<T>, TerrainError> {
    let found = (data.len(), 1);
    Array2::from_shape_vec((dims.rows, dims.cols), data).map_err(|_| TerrainError::ShapeMismatch {
        layer: layer.to_string(),
        reference: "grid".to_string(),
        expected: (dims.rows, dims.cols),
        found,
    })
}
