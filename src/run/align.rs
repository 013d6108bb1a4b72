//! Alignment: every raster of one landscape must share size, geotransform and CRS. A mismatch
//! is an error naming both files and what differs; nothing is resampled.

use crate::error::RunError;
use crate::io::{Raster, RasterInfo};

/// Relative tolerance on origin and cell size, as a fraction of the cell size.
pub const ALIGN_TOLERANCE: f64 = 1e-9;

/// Size, georeferencing and nodata of a raster.
#[derive(Debug, Clone, PartialEq)]
pub struct GridInfo {
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub cols: usize,
    /// GDAL geotransform.
    pub geotransform: [f64; 6],
    /// EPSG code, if declared.
    pub epsg: Option<u32>,
    /// Nodata value, if declared.
    pub nodata: Option<f64>,
}

impl GridInfo {
    /// The grid of a raster in memory.
    pub fn of_raster(r: &Raster) -> Self {
        Self {
            rows: r.rows,
            cols: r.cols,
            geotransform: r.geotransform,
            epsg: r.epsg,
            nodata: r.nodata,
        }
    }

    /// The grid of a GeoTIFF's [`RasterInfo`].
    pub fn of_info(r: &RasterInfo) -> Self {
        Self {
            rows: r.height,
            cols: r.width,
            geotransform: r.geotransform,
            epsg: r.epsg,
            nodata: r.nodata,
        }
    }
}

/// Checks that `other` (from file `other_path`) lies on the grid of `reference` (from
/// `reference_path`): same rows and columns, same cell size and origin to
/// [`ALIGN_TOLERANCE`] × the cell size, same rotation terms, and the same EPSG code when both
/// declare one (a file without a code is taken to be in the reference's CRS).
///
/// # Examples
/// ```
/// use gep::run::{check_aligned, GridInfo};
/// let lc = GridInfo { rows: 2, cols: 3, geotransform: [0.0, 25.0, 0.0, 0.0, 0.0, -25.0],
///                     epsg: Some(32650), nodata: None };
/// let npp = GridInfo { geotransform: [0.0, 30.0, 0.0, 0.0, 0.0, -30.0], ..lc.clone() };
/// let e = check_aligned("land_cover.tif", &lc, "npp.tif", &npp).unwrap_err();
/// assert_eq!(e.to_string(),
///     "`npp.tif`: cell size 30 × -30 does not match 25 × -25 of `land_cover.tif`");
/// ```
pub fn check_aligned(
    reference_path: &str,
    reference: &GridInfo,
    other_path: &str,
    other: &GridInfo,
) -> Result<(), RunError> {
    let err = |what: &'static str, found: String, expected: String| RunError::Misaligned {
        path: other_path.into(),
        reference: reference_path.into(),
        what,
        found,
        expected,
    };
    if (reference.rows, reference.cols) != (other.rows, other.cols) {
        return Err(err(
            "size",
            format!("{} rows × {} columns", other.rows, other.cols),
            format!("{} rows × {} columns", reference.rows, reference.cols),
        ));
    }
    let (a, b) = (&reference.geotransform, &other.geotransform);
    let cell = a[1].abs().max(a[5].abs());
    let close = |x: f64, y: f64| (x - y).abs() <= ALIGN_TOLERANCE * cell;
    if !(close(a[1], b[1]) && close(a[5], b[5])) {
        return Err(err(
            "cell size",
            format!("{} × {}", b[1], b[5]),
            format!("{} × {}", a[1], a[5]),
        ));
    }
    if !(close(a[2], b[2]) && close(a[4], b[4])) {
        return Err(err(
            "rotation terms",
            format!("{}, {}", b[2], b[4]),
            format!("{}, {}", a[2], a[4]),
        ));
    }
    if !(close(a[0], b[0]) && close(a[3], b[3])) {
        return Err(err(
            "origin",
            format!("({}, {})", b[0], b[3]),
            format!("({}, {})", a[0], a[3]),
        ));
    }
    if let (Some(x), Some(y)) = (reference.epsg, other.epsg) {
        if x != y {
            return Err(err("CRS", format!("EPSG:{y}"), format!("EPSG:{x}")));
        }
    }
    Ok(())
}
