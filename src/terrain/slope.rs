//! Slope from 3 × 3 finite differences, with pygeoprocessing's handling of edges and nodata.

use ndarray::{Array2, ArrayView2};

use super::{check_elevations, into_array, CellSize, Dims, TerrainError, SQRT2};

/// Slope value of nodata cells: the most negative `f32`, −3.4028235e38 (as InVEST's slope).
pub const SLOPE_NODATA: f32 = f32::MIN;

/// Percent slope of one cell, or `None` for a nodata centre.
///
/// pygeoprocessing 2.4 `calculate_slope`: with the window `a b c / d e f / g h i`,
/// `dz/dx = [(a + 2d + g) − (c + 2f + i)] / (8·Δx)` and likewise for `dz/dy`; for each of the
/// three rows (columns) of the window, a missing (nodata or off-raster) cell is replaced as
/// follows: both ends present → `end − end` (weight 2); one end and the middle → `end − middle`
/// (weight 1); only one end → `(end − e)·√2` (weight 1); for the middle row (column) one end →
/// `2(end − e)` (weight 2). The denominator is the sum of the weights used times the cell size.
#[inline(always)]
fn slope_at(
    z: &[f32],
    dims: Dims,
    is_nd: &impl Fn(f32) -> bool,
    r: usize,
    c: usize,
    dx: f64,
    dy: f64,
) -> Option<f64> {
    let e = z[r * dims.cols + c];
    if is_nd(e) {
        return None;
    }
    let e = f64::from(e);
    let get = |dr: isize, dc: isize| -> Option<f64> {
        let nr = r.wrapping_add_signed(dr);
        let nc = c.wrapping_add_signed(dc);
        if nr < dims.rows && nc < dims.cols {
            let v = z[nr * dims.cols + nc];
            (!is_nd(v)).then_some(f64::from(v))
        } else {
            None
        }
    };
    let (a, b, cc) = (get(-1, -1), get(-1, 0), get(-1, 1));
    let (d, f) = (get(0, -1), get(0, 1));
    let (g, h, i) = (get(1, -1), get(1, 0), get(1, 1));

    // An outer row/column of the window: (first, middle, last).
    let outer = |p: Option<f64>, m: Option<f64>, q: Option<f64>| -> (f64, i32) {
        match (p, m, q) {
            (Some(p), _, Some(q)) => (p - q, 2),
            (Some(p), Some(m), None) => (p - m, 1),
            (None, Some(m), Some(q)) => (m - q, 1),
            (Some(p), _, None) => ((p - e) * SQRT2, 1),
            (None, _, Some(q)) => ((e - q) * SQRT2, 1),
            (None, _, None) => (0.0, 0),
        }
    };
    // The middle row/column: (first, last) around e, counted twice.
    let middle = |p: Option<f64>, q: Option<f64>| -> (f64, i32) {
        match (p, q) {
            (Some(p), Some(q)) => (2.0 * (p - q), 4),
            (Some(p), None) => (2.0 * (p - e), 2),
            (None, Some(q)) => (2.0 * (e - q), 2),
            (None, None) => (0.0, 0),
        }
    };
    let (x1, wx1) = outer(a, b, cc);
    let (x2, wx2) = middle(d, f);
    let (x3, wx3) = outer(g, h, i);
    let (y1, wy1) = outer(a, d, g);
    let (y2, wy2) = middle(b, h);
    let (y3, wy3) = outer(cc, f, i);
    let (xacc, xw) = (x1 + x2 + x3, wx1 + wx2 + wx3);
    let (yacc, yw) = (y1 + y2 + y3, wy1 + wy2 + wy3);
    let dzdx = if xw != 0 {
        xacc / (f64::from(xw) * dx)
    } else {
        0.0
    };
    let dzdy = if yw != 0 {
        yacc / (f64::from(yw) * dy)
    } else {
        0.0
    };
    Some(100.0 * (dzdx * dzdx + dzdy * dzdy).sqrt())
}

fn slope_map(
    dem: ArrayView2<f32>,
    nodata: Option<f32>,
    cell: CellSize,
    to_unit: fn(f64) -> f64,
) -> Result<Array2<f32>, TerrainError> {
    let (dims, z, _) = check_elevations("dem", &dem, nodata)?;
    // pygeoprocessing tests slope nodata by exact equality (not `isclose`).
    let is_nd = move |v: f32| match nodata {
        Some(nd) if nd.is_nan() => v.is_nan(),
        Some(nd) => v == nd,
        None => false,
    };
    let (dx, dy) = (cell.width_m(), cell.height_m());
    let mut out = vec![SLOPE_NODATA; dims.len()];
    let row_fn = |r: usize, row: &mut [f32]| {
        for (c, o) in row.iter_mut().enumerate() {
            if let Some(s) = slope_at(&z, dims, &is_nd, r, c, dx, dy) {
                *o = to_unit(s) as f32;
            }
        }
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        out.par_chunks_mut(dims.cols)
            .enumerate()
            .for_each(|(r, row)| row_fn(r, row));
    }
    #[cfg(not(feature = "parallel"))]
    for (r, row) in out.chunks_mut(dims.cols).enumerate() {
        row_fn(r, row);
    }
    into_array("slope", dims, out)
}

/// Slope in percent (100 · rise/run), as InVEST SDR's slope raster.
///
/// 3 × 3 finite differences (Zevenbergen & Thorne 1987 with the diagonal cells, i.e. Horn's
/// weights) in pygeoprocessing 2.4 `calculate_slope`'s exact arithmetic (f64, then stored as
/// f32), including its treatment of nodata and edge neighbours: a missing cell of a window row
/// is replaced by the in-line middle cell, else by the centre with a √2 factor (see the module
/// source for the full rule). Unlike the flow routines, a cell is nodata only when it *equals*
/// the declared nodata (pygeoprocessing's test here). Rectangular cells are allowed:
/// `Δx = cell.width_m()`, `Δy = cell.height_m()`.
///
/// Output: percent; [`SLOPE_NODATA`] on nodata cells. Rows are computed in parallel with the
/// `parallel` feature (per-cell arithmetic, so the result does not depend on thread count).
///
/// # Errors
/// As [`fill_pits`](super::fill_pits).
///
/// # Examples
/// A plane rising 1 m per 10 m cell eastwards is a 10 % slope everywhere, edges included:
/// ```
/// use gep::terrain::{slope_percent, CellSize};
/// use ndarray::array;
/// let dem = array![[0.0_f32, 1.0, 2.0], [0.0, 1.0, 2.0], [0.0, 1.0, 2.0]];
/// let s = slope_percent(dem.view(), None, CellSize::square(10.0)?)?;
/// assert!((s[[1, 1]] - 10.0).abs() < 1e-5);
/// assert!((s[[0, 0]] - 10.0).abs() < 1e-5);
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
pub fn slope_percent(
    dem: ArrayView2<f32>,
    nodata: Option<f32>,
    cell: CellSize,
) -> Result<Array2<f32>, TerrainError> {
    slope_map(dem, nodata, cell, |p| p)
}

/// Slope in degrees, `atan(S% / 100)`, from the same finite differences as [`slope_percent`].
///
/// Output: degrees in [0, 90); [`SLOPE_NODATA`] on nodata cells.
///
/// # Errors
/// As [`fill_pits`](super::fill_pits).
///
/// # Examples
/// ```
/// use gep::terrain::{slope_degrees, CellSize};
/// use ndarray::array;
/// // Rising 10 m per 10 m cell: 100 % = 45°.
/// let dem = array![[0.0_f32, 10.0, 20.0]];
/// let s = slope_degrees(dem.view(), None, CellSize::square(10.0)?)?;
/// assert!((s[[0, 1]] - 45.0).abs() < 1e-4);
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
pub fn slope_degrees(
    dem: ArrayView2<f32>,
    nodata: Option<f32>,
    cell: CellSize,
) -> Result<Array2<f32>, TerrainError> {
    slope_map(dem, nodata, cell, |p| (p / 100.0).atan().to_degrees())
}
