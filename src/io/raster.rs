//! [`Raster`]: one band of cells with its georeferencing and nodata, in the file's data type.

use crate::error::InvestError;

/// Cell values of one band, in the data type they are stored with.
#[derive(Debug, Clone, PartialEq)]
pub enum RasterData {
    /// Unsigned 8-bit integers.
    U8(Vec<u8>),
    /// Signed 8-bit integers.
    I8(Vec<i8>),
    /// Unsigned 16-bit integers.
    U16(Vec<u16>),
    /// Signed 16-bit integers.
    I16(Vec<i16>),
    /// Unsigned 32-bit integers.
    U32(Vec<u32>),
    /// Signed 32-bit integers.
    I32(Vec<i32>),
    /// 32-bit floats.
    F32(Vec<f32>),
    /// 64-bit floats.
    F64(Vec<f64>),
}

/// Applies `$body` with `$v` bound to the typed vector of any variant.
#[allow(unused_macros)]
macro_rules! with_data {
    ($data:expr, $v:ident => $body:expr) => {
        match $data {
            RasterData::U8($v) => $body,
            RasterData::I8($v) => $body,
            RasterData::U16($v) => $body,
            RasterData::I16($v) => $body,
            RasterData::U32($v) => $body,
            RasterData::I32($v) => $body,
            RasterData::F32($v) => $body,
            RasterData::F64($v) => $body,
        }
    };
}
pub(crate) use with_data;

impl RasterData {
    /// Number of cells.
    pub fn len(&self) -> usize {
        with_data!(self, v => v.len())
    }

    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the type is a floating-point type.
    pub fn is_float(&self) -> bool {
        matches!(self, Self::F32(_) | Self::F64(_))
    }

    /// Name of the type, as GDAL spells it (`Byte`, `Int16`, `Float32`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::U8(_) => "Byte",
            Self::I8(_) => "Int8",
            Self::U16(_) => "UInt16",
            Self::I16(_) => "Int16",
            Self::U32(_) => "UInt32",
            Self::I32(_) => "Int32",
            Self::F32(_) => "Float32",
            Self::F64(_) => "Float64",
        }
    }

    /// The values as f64 (exact for every integer type here and for f32).
    #[allow(clippy::unnecessary_cast)]
    pub fn to_f64(&self) -> Vec<f64> {
        with_data!(self, v => v.iter().map(|&x| x as f64).collect())
    }

    /// The values as f32 (f64 values are rounded).
    #[allow(clippy::unnecessary_cast)]
    pub fn to_f32(&self) -> Vec<f32> {
        with_data!(self, v => v.iter().map(|&x| x as f32).collect())
    }
}

/// One raster band: `rows × cols` cells in row-major order, a GDAL geotransform, an optional
/// EPSG code and an optional nodata value.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    /// Number of rows (lines).
    pub rows: usize,
    /// Number of columns (pixels per line).
    pub cols: usize,
    /// GDAL geotransform of the top-left corner: `x = gt[0] + col·gt[1]`, `y = gt[3] + row·gt[5]`
    /// (map units, normally metres; `gt[5]` negative for north-up).
    pub geotransform: [f64; 6],
    /// EPSG code of the coordinate reference system, when the file declares one.
    pub epsg: Option<u32>,
    /// The nodata value (GDAL_NODATA), if any.
    pub nodata: Option<f64>,
    /// The cells.
    pub data: RasterData,
}

impl Raster {
    /// A raster of `data` on a grid like `like` (same size, transform and CRS).
    pub fn like(like: &Raster, data: RasterData, nodata: Option<f64>) -> Self {
        Self {
            rows: like.rows,
            cols: like.cols,
            geotransform: like.geotransform,
            epsg: like.epsg,
            nodata,
            data,
        }
    }

    /// Cell area in m² (`|gt[1] · gt[5]|`, for north-up grids).
    pub fn cell_area_m2(&self) -> f64 {
        (self.geotransform[1] * self.geotransform[5]).abs()
    }

    /// Checks that `other` (read from `other_path`) has the same size as `self` (read from
    /// `path`) and the same cell size.
    pub fn check_same_grid(
        &self,
        path: &str,
        other: &Raster,
        other_path: &str,
    ) -> Result<(), InvestError> {
        let same_size = self.rows == other.rows && self.cols == other.cols;
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
        let same_cell = close(self.geotransform[1], other.geotransform[1])
            && close(self.geotransform[5], other.geotransform[5]);
        if same_size && same_cell {
            return Ok(());
        }
        let describe = |r: &Raster| {
            format!(
                "{} rows × {} cols of {} × {} m",
                r.rows,
                r.cols,
                r.geotransform[1],
                r.geotransform[5].abs()
            )
        };
        Err(InvestError::GridMismatch {
            path: other_path.into(),
            reference: path.into(),
            found: describe(other),
            expected: describe(self),
        })
    }

    /// The validity mask of the cells by InVEST's nodata test (INVEST_MODELS.md §0): for floats
    /// `|v − nd| ≤ 1e-8 + 1e-5·|nd|` or both NaN; for integers exact equality; no nodata value
    /// means every cell is valid. `true` = valid.
    #[allow(clippy::unnecessary_cast)]
    pub fn valid_mask(&self) -> Vec<bool> {
        let nd = self.nodata;
        match (&self.data, nd) {
            (_, None) => vec![true; self.data.len()],
            (RasterData::F32(v), Some(nd)) => {
                v.iter().map(|&x| !is_nodata_f(x as f64, nd)).collect()
            }
            (RasterData::F64(v), Some(nd)) => v.iter().map(|&x| !is_nodata_f(x, nd)).collect(),
            (data, Some(nd)) => {
                with_data!(data, v => v.iter().map(|&x| (x as f64) != nd).collect())
            }
        }
    }
}

/// InVEST's (numpy `isclose`) nodata test for float rasters: `|v − nd| ≤ 1e-8 + 1e-5·|nd|`,
/// or both NaN.
#[inline]
pub fn is_nodata_f(v: f64, nd: f64) -> bool {
    if nd.is_nan() {
        return v.is_nan();
    }
    v == nd || (v - nd).abs() <= 1e-8 + 1e-5 * nd.abs()
}
