//! [`GridShape`]: the raster geometry of a landscape whose units are cells.

use serde::{Deserialize, Serialize};

use crate::error::LandscapeError;
use crate::units::M2_PER_HA;

/// GDAL-style affine geotransform: `x = gt[0] + col·gt[1] + row·gt[2]`,
/// `y = gt[3] + col·gt[4] + row·gt[5]` for the *top-left corner* of cell (row, col).
pub type GeoTransform = [f64; 6];

/// The shape of a raster landscape: rows × cols cells in row-major order, with georeferencing.
///
/// Unit `i` of a raster landscape is the cell `(i / cols, i % cols)`. Per-unit services never
/// look at the shape; spatial preprocessing (slope, flow routing) views the unit columns as
/// `rows × cols` arrays through it.
///
/// # Examples
/// ```
/// use gep::landscape::GridShape;
/// // 3 rows × 4 cols of 30 m cells: each cell is 900 m² = 0.09 ha.
/// let grid = GridShape::new(3, 4, 30.0).unwrap();
/// assert_eq!(grid.len(), 12);
/// assert!((grid.cell_area_ha() - 0.09).abs() < 1e-12);
/// assert_eq!(grid.index(1, 2), 6);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridShape {
    rows: usize,
    cols: usize,
    geotransform: GeoTransform,
    epsg: Option<u32>,
}

impl GridShape {
    /// A north-up grid of square cells of `cell_size_m` metres with its origin at (0, 0).
    pub fn new(rows: usize, cols: usize, cell_size_m: f64) -> Result<Self, LandscapeError> {
        Self::with_geotransform(rows, cols, [0.0, cell_size_m, 0.0, 0.0, 0.0, -cell_size_m])
    }

    /// A grid with an explicit geotransform (pixel height `gt[5]` is normally negative).
    ///
    /// Errors when a dimension is zero, the cell count overflows, or a cell size is zero,
    /// negative-width, or not finite. Rotated grids (`gt[2]`, `gt[4]` ≠ 0) are refused.
    pub fn with_geotransform(
        rows: usize,
        cols: usize,
        geotransform: GeoTransform,
    ) -> Result<Self, LandscapeError> {
        if rows == 0 {
            return Err(LandscapeError::InvalidGrid {
                what: "rows",
                value: 0.0,
                expected: "at least 1 row",
            });
        }
        if cols == 0 {
            return Err(LandscapeError::InvalidGrid {
                what: "cols",
                value: 0.0,
                expected: "at least 1 column",
            });
        }
        if rows.checked_mul(cols).is_none() {
            return Err(LandscapeError::InvalidGrid {
                what: "rows × cols",
                value: rows as f64 * cols as f64,
                expected: "a cell count that fits in usize",
            });
        }
        if let Some(v) = geotransform.iter().find(|v| !v.is_finite()) {
            return Err(LandscapeError::InvalidGrid {
                what: "geotransform",
                value: *v,
                expected: "finite numbers",
            });
        }
        if geotransform[1] <= 0.0 {
            return Err(LandscapeError::InvalidGrid {
                what: "cell width",
                value: geotransform[1],
                expected: "a cell width > 0",
            });
        }
        if geotransform[5] == 0.0 {
            return Err(LandscapeError::InvalidGrid {
                what: "cell height",
                value: geotransform[5],
                expected: "a non-zero cell height",
            });
        }
        if geotransform[2] != 0.0 || geotransform[4] != 0.0 {
            return Err(LandscapeError::InvalidGrid {
                what: "rotation term",
                value: if geotransform[2] != 0.0 {
                    geotransform[2]
                } else {
                    geotransform[4]
                },
                expected: "a north-up grid (rotation terms 0)",
            });
        }
        Ok(Self {
            rows,
            cols,
            geotransform,
            epsg: None,
        })
    }

    /// Sets the EPSG code of the coordinate reference system.
    pub fn with_epsg(mut self, epsg: u32) -> Self {
        self.epsg = Some(epsg);
        self
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Number of cells, `rows × cols`.
    pub fn len(&self) -> usize {
        self.rows * self.cols
    }

    /// Always false: a grid has at least one cell.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// `(rows, cols)`, the shape of the `Array2` view of a layer.
    pub fn dim(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    /// The geotransform.
    pub fn geotransform(&self) -> &GeoTransform {
        &self.geotransform
    }

    /// EPSG code of the CRS, if known.
    pub fn epsg(&self) -> Option<u32> {
        self.epsg
    }

    /// Cell width in CRS units (metres for projected grids), always > 0.
    pub fn cell_width(&self) -> f64 {
        self.geotransform[1]
    }

    /// Cell height in CRS units, always > 0 (the absolute value of `gt[5]`).
    pub fn cell_height(&self) -> f64 {
        self.geotransform[5].abs()
    }

    /// Whether cells are square (width equals height to 1e-9 relative).
    pub fn is_square(&self) -> bool {
        (self.cell_width() - self.cell_height()).abs() <= 1e-9 * self.cell_width()
    }

    /// Planar cell area in ha, assuming a projected CRS in metres: `width × height / 10⁴`.
    pub fn cell_area_ha(&self) -> f64 {
        self.cell_width() * self.cell_height() / M2_PER_HA
    }

    /// Linear index of cell `(row, col)` (row-major).
    pub fn index(&self, row: usize, col: usize) -> usize {
        row * self.cols + col
    }

    /// `(row, col)` of linear index `i`.
    pub fn row_col(&self, i: usize) -> (usize, usize) {
        (i / self.cols, i % self.cols)
    }

    /// The grid covering rows `row_start..row_end` of this one (a row block, for tiling).
    pub fn row_block(&self, row_start: usize, row_end: usize) -> Result<Self, LandscapeError> {
        if row_start >= row_end || row_end > self.rows {
            return Err(LandscapeError::RangeOutOfBounds {
                start: row_start,
                end: row_end,
                len: self.rows,
            });
        }
        let mut gt = self.geotransform;
        gt[3] += row_start as f64 * gt[5];
        Ok(Self {
            rows: row_end - row_start,
            cols: self.cols,
            geotransform: gt,
            epsg: self.epsg,
        })
    }
}
