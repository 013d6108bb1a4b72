//! The RUSLE slope length-steepness factor LS.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::accum::FLOW_ACCUM_NODATA;
use super::slope::SLOPE_NODATA;
use super::{check_dims, check_same_shape, contiguous, into_array, CellSize, TerrainError};

/// LS value of cells without slope or flow accumulation.
pub const LS_NODATA: f32 = -1.0;

/// Which slope-steepness (S) formula goes with the Desmet & Govers (1996) L factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum LsMethod {
    /// InVEST SDR (3.20): `S = 10.8 sin θ + 0.03` if S% < 9, else `16.8 sin θ − 0.5`
    /// (McCool et al. 1987, *Trans. ASAE* 30(5):1387–1396, as InVEST codes it).
    #[default]
    InvestDesmetGovers,
    /// Chinese practice for steep slopes: `S = 10.8 sin θ + 0.03` for θ < 5°,
    /// `16.8 sin θ − 0.50` for 5° ≤ θ < 10°, `21.91 sin θ − 0.96` for θ ≥ 10°
    /// (McCool et al. 1987 below 10°; Liu, Nearing & Risse 1994, "Slope gradient effects on soil
    /// loss for steep slopes", *Trans. ASAE* 37(6):1835–1840; Liu et al. 2000, *Soil Sci. Soc.
    /// Am. J.* 64:1759–1763). L is InVEST's Desmet & Govers L, `l_max` included.
    LiuSteepSlope,
}

/// Parameters of [`ls_factor`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LsParams {
    /// Upper bound of the L factor (InVEST's `l_max`, > 0; typical 122).
    pub l_max: f64,
    /// The S formula.
    pub method: LsMethod,
}

impl Default for LsParams {
    /// `l_max` = 122 (InVEST SDR's sample value), InVEST's S.
    fn default() -> Self {
        Self {
            l_max: 122.0,
            method: LsMethod::InvestDesmetGovers,
        }
    }
}

/// LS of one cell from percent slope and flow accumulation (cells, counting itself).
#[inline(always)]
fn ls_at(slope_pct: f64, fa: f64, cell: f64, params: &LsParams) -> f64 {
    let cell_area = cell * cell;
    let theta = (slope_pct / 100.0).atan();
    let (sin, cos) = theta.sin_cos();
    // "Square root of the upslope contributing area" (SAGA-style), a length in m.
    let contributing = ((fa - 1.0) * cell_area).sqrt();
    let aspect_length = sin.abs() + cos.abs();
    let m = if slope_pct > 9.0 {
        let beta = (sin / 0.0896) / (3.0 * sin.powf(0.8) + 0.56);
        beta / (1.0 + beta)
    } else if slope_pct <= 1.0 {
        0.2
    } else if slope_pct <= 3.5 {
        0.3
    } else if slope_pct <= 5.0 {
        0.4
    } else {
        0.5
    };
    // InVEST adds the cell *area* to a length here; kept for compatibility.
    let l = ((contributing + cell_area).powf(m + 1.0) - contributing.powf(m + 1.0))
        / (cell.powf(m + 2.0) * aspect_length.powf(m) * 22.13_f64.powf(m));
    let l = if l > params.l_max { params.l_max } else { l };
    let s = match params.method {
        LsMethod::InvestDesmetGovers => {
            if slope_pct < 9.0 {
                10.8 * sin + 0.03
            } else {
                16.8 * sin - 0.5
            }
        }
        LsMethod::LiuSteepSlope => {
            let degrees = theta.to_degrees();
            if degrees < 5.0 {
                10.8 * sin + 0.03
            } else if degrees < 10.0 {
                16.8 * sin - 0.50
            } else {
                21.91 * sin - 0.96
            }
        }
    };
    l * s
}

/// The RUSLE LS factor (dimensionless) from percent slope and flow accumulation, as InVEST SDR
/// 3.20 computes `ls.tif` (Desmet & Govers 1996, "A GIS procedure for automatically calculating
/// the USLE LS factor on topographically complex landscape units", *J. Soil Water Conserv.*
/// 51(5):427–433, as coded by InVEST):
///
/// - θ = atan(S%/100); `A = sqrt((FA − 1)·cell²)` (m); `x = |sin θ| + |cos θ|`;
/// - `m` = 0.2 (S% ≤ 1), 0.3 (≤ 3.5), 0.4 (≤ 5), 0.5 (≤ 9), else β/(1+β) with
///   `β = (sin θ / 0.0896) / (3 (sin θ)^0.8 + 0.56)`;
/// - `L = [(A + cell²)^(m+1) − A^(m+1)] / (cell^(m+2) · x^m · 22.13^m)`, capped at `l_max`
///   (InVEST's quirk of adding the cell area to a length is kept);
/// - S per [`LsMethod`]; `LS = L · S`.
///
/// `slope_pct` is [`slope_percent`](super::slope_percent)'s output (nodata [`SLOPE_NODATA`] or
/// NaN); `flow_accum` is a flow accumulation in cells counting the cell itself (nodata
/// [`FLOW_ACCUM_NODATA`] or NaN). Computed in f64 and stored as f32; InVEST computes parts in
/// f32, so expect ~1e-6 relative differences. Output [`LS_NODATA`] where either input is nodata.
///
/// # Errors
/// [`TerrainError::NonSquareCells`], [`TerrainError::ShapeMismatch`],
/// [`TerrainError::InvalidParameter`] for `l_max` not finite and > 0, [`TerrainError::Empty`].
///
/// # Examples
/// A 10 % slope, a cell with no upslope area (FA = 1), 30 m cells:
/// ```
/// use gep::terrain::{ls_factor, CellSize, LsParams};
/// use ndarray::array;
/// let slope = array![[10.0_f32]];
/// let fa = array![[1.0_f64]];
/// let ls = ls_factor(slope.view(), fa.view(), CellSize::square(30.0)?, &LsParams::default())?;
/// // Hand-worked: A = 0, so L = 900^(m+1)/(30^(m+2)·x^m·22.13^m) = (30/(22.13·x))^m with
/// // m = β/(1+β) ≈ 0.51795 and x = sin θ + cos θ ≈ 1.09454: L ≈ 1.11717;
/// // S = 16.8·sin(atan 0.1) − 0.5 ≈ 1.17166; LS ≈ 1.30895.
/// assert!((ls[[0, 0]] - 1.30895).abs() < 1e-4);
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
pub fn ls_factor(
    slope_pct: ArrayView2<f32>,
    flow_accum: ArrayView2<f64>,
    cell: CellSize,
    params: &LsParams,
) -> Result<Array2<f32>, TerrainError> {
    let dims = check_dims("slope_pct", slope_pct.dim())?;
    check_same_shape(
        "flow_accumulation",
        flow_accum.dim(),
        "slope_pct",
        slope_pct.dim(),
    )?;
    let side = cell.require_square("LS factor (Desmet & Govers)")?;
    if !(params.l_max.is_finite() && params.l_max > 0.0) {
        return Err(TerrainError::InvalidParameter {
            parameter: "l_max",
            value: params.l_max,
            expected: "a finite number > 0",
        });
    }
    let s = contiguous(&slope_pct);
    let fa = contiguous(&flow_accum);
    let mut out = vec![LS_NODATA; dims.len()];
    let row_fn = |r: usize, row: &mut [f32]| {
        let base = r * dims.cols;
        for (c, o) in row.iter_mut().enumerate() {
            let (sv, fv) = (s[base + c], fa[base + c]);
            if sv == SLOPE_NODATA || sv.is_nan() || fv == FLOW_ACCUM_NODATA || fv.is_nan() {
                continue;
            }
            *o = ls_at(f64::from(sv), fv, side, params) as f32;
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
    into_array("ls", dims, out)
}
