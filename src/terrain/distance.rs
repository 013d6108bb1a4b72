//! Weighted flow-path distance from each cell down to the nearest stream (InVEST SDR's D_dn).

use ndarray::{Array2, ArrayView2};

use super::flow::{mfd_weight, D8_NODATA, MFD_NODATA};
use super::{check_dims, check_same_shape, contiguous, into_array, reverse, TerrainError, SQRT2};

/// Distance value of cells whose flow never reaches a stream (pygeoprocessing's
/// `distance_to_channel_d8` nodata, −1).
pub const DISTANCE_NODATA: f64 = -1.0;

const DONE: u8 = u8::MAX;

/// Step weight of cell `i` entered in direction `k`: the weight layer's value (NaN → 0, as
/// pygeoprocessing treats weight nodata), or the step length in pixels (1, or √2 diagonally).
#[inline(always)]
fn step(weights: Option<&[f32]>, i: usize, k: usize) -> f64 {
    match weights {
        Some(w) => {
            let v = w[i];
            if v.is_nan() {
                0.0
            } else {
                f64::from(v)
            }
        }
        None => {
            if k & 1 == 1 {
                SQRT2
            } else {
                1.0
            }
        }
    }
}

fn finish(dims: super::Dims, dist: Vec<f64>) -> Result<Array2<f64>, TerrainError> {
    let dist = dist
        .into_iter()
        .map(|d| if d.is_nan() { DISTANCE_NODATA } else { d })
        .collect();
    into_array("downstream_distance", dims, dist)
}

/// D8 flow-path distance to the nearest stream, following pygeoprocessing 2.4
/// `distance_to_channel_d8`: 0 on stream cells (`streams == 1`); upstream of them
/// `d = d_down + w`, where `w` is the cell's **own** weight (InVEST SDR's D_dn passes
/// `1/(W_th·S_th)`), or without weights the step length in pixels (1 orthogonal, √2 diagonal).
///
/// Units: pixel lengths times the weight — the cell size is not applied (as InVEST).
/// Cells whose flow never reaches a stream get [`DISTANCE_NODATA`]. NaN weights count 0.
///
/// # Errors
/// [`TerrainError::ShapeMismatch`], [`TerrainError::InvalidFlowDirection`],
/// [`TerrainError::Empty`].
///
/// # Examples
/// ```
/// use gep::terrain::downstream_distance_d8;
/// use ndarray::array;
/// let dirs = array![[0_u8, 0, 0]]; // all flow east
/// let streams = array![[0_u8, 0, 1]];
/// let d = downstream_distance_d8(dirs.view(), streams.view(), None)?;
/// assert_eq!(d.row(0).to_vec(), vec![2.0, 1.0, 0.0]); // pixels
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
pub fn downstream_distance_d8(
    dirs: ArrayView2<u8>,
    streams: ArrayView2<u8>,
    weights: Option<ArrayView2<f32>>,
) -> Result<Array2<f64>, TerrainError> {
    let dims = check_dims("flow_dir_d8", dirs.dim())?;
    check_same_shape("streams", streams.dim(), "flow_dir_d8", dirs.dim())?;
    if let Some(w) = &weights {
        check_same_shape("weights", w.dim(), "flow_dir_d8", dirs.dim())?;
    }
    let d = contiguous(&dirs);
    if let Some(i) = d.iter().position(|&v| v > 7 && v != D8_NODATA) {
        let (row, col) = dims.row_col(i);
        return Err(TerrainError::InvalidFlowDirection {
            layer: "flow_dir_d8".to_string(),
            row,
            col,
            value: d[i],
        });
    }
    let s = contiguous(&streams);
    let w = weights.as_ref().map(contiguous);
    let w = w.as_deref();
    let n = dims.len();
    let mut dist = vec![f64::NAN; n];
    let mut stack: Vec<u32> = Vec::new();
    for seed in 0..n {
        if s[seed] != 1 {
            continue;
        }
        dist[seed] = 0.0;
        stack.push(seed as u32);
        while let Some(q) = stack.pop() {
            let q = q as usize;
            let (r, c) = dims.row_col(q);
            let dq = dist[q];
            for k in 0..8 {
                let Some(j) = dims.neighbor(r, c, k) else {
                    continue;
                };
                if s[j] == 1 || d[j] as usize != reverse(k) {
                    continue;
                }
                dist[j] = dq + step(w, j, k);
                stack.push(j as u32);
            }
        }
    }
    finish(dims, dist)
}

/// MFD flow-path distance to the nearest stream, as InVEST SDR's D_dn with MFD:
/// 0 on stream cells (`streams == 1`); elsewhere
/// `d_i = Σₙ p(i,n)·(d_n + w_n) / Σₙ p(i,n)` over the downslope neighbours `n` whose own flow
/// reaches a stream, with `p` the 4-bit MFD weights and `w_n` the weight of the **downstream**
/// cell (InVEST passes `1/(W_th·S_th)`; no √2 for diagonals), or without weights the step length
/// in pixels (1 or √2). Units: pixel lengths times the weight (cell size not applied).
/// Cells with no downslope neighbour reaching a stream get [`DISTANCE_NODATA`].
///
/// Cells are evaluated in reverse topological order (a cell once all its downslope neighbours
/// are known), with an explicit stack.
///
/// # Errors
/// [`TerrainError::ShapeMismatch`], [`TerrainError::Empty`].
///
/// # Examples
/// ```
/// use gep::terrain::downstream_distance_mfd;
/// use ndarray::array;
/// let east: u32 = 0xF; // all flow to direction 0 (east)
/// let dirs = array![[east, east, east]];
/// let streams = array![[0_u8, 0, 1]];
/// let w = array![[1.0_f32, 4.0, 0.5]]; // e.g. 1/(W·S)
/// let d = downstream_distance_mfd(dirs.view(), streams.view(), Some(w.view()))?;
/// // d(0,1) = d_stream + w(0,2) = 0.5; d(0,0) = 0.5 + w(0,1) = 4.5 (downstream weights).
/// assert_eq!(d.row(0).to_vec(), vec![4.5, 0.5, 0.0]);
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
pub fn downstream_distance_mfd(
    dirs: ArrayView2<u32>,
    streams: ArrayView2<u8>,
    weights: Option<ArrayView2<f32>>,
) -> Result<Array2<f64>, TerrainError> {
    let dims = check_dims("flow_dir_mfd", dirs.dim())?;
    check_same_shape("streams", streams.dim(), "flow_dir_mfd", dirs.dim())?;
    if let Some(w) = &weights {
        check_same_shape("weights", w.dim(), "flow_dir_mfd", dirs.dim())?;
    }
    let d = contiguous(&dirs);
    let s = contiguous(&streams);
    let w = weights.as_ref().map(contiguous);
    let w = w.as_deref();
    let n = dims.len();
    let is_stream = |i: usize| s[i] == 1;
    // A cell whose distance will be computed from its downslope neighbours.
    let is_routed = |i: usize| !is_stream(i) && d[i] != MFD_NODATA;
    // A neighbour that will eventually hold a value (possibly "does not reach").
    let resolves = |j: usize| is_stream(j) || d[j] != MFD_NODATA;

    let mut pending = vec![0u8; n];
    for (i, p) in pending.iter_mut().enumerate() {
        if !is_routed(i) {
            continue;
        }
        let (r, c) = dims.row_col(i);
        for k in 0..8 {
            if mfd_weight(d[i], k) == 0 {
                continue;
            }
            if let Some(j) = dims.neighbor(r, c, k) {
                if resolves(j) {
                    *p += 1;
                }
            }
        }
    }
    let mut dist = vec![f64::NAN; n];
    let mut stack: Vec<u32> = Vec::new();
    for start in 0..n {
        if pending[start] == DONE || !(is_stream(start) || is_routed(start) && pending[start] == 0)
        {
            continue;
        }
        stack.push(start as u32);
        while let Some(q) = stack.pop() {
            let q = q as usize;
            let (r, c) = dims.row_col(q);
            if is_stream(q) {
                dist[q] = 0.0;
            } else {
                let v = d[q];
                let (mut num, mut den) = (0.0_f64, 0u32);
                for k in 0..8 {
                    let p = mfd_weight(v, k);
                    if p == 0 {
                        continue;
                    }
                    let Some(j) = dims.neighbor(r, c, k) else {
                        continue;
                    };
                    if dist[j].is_nan() {
                        continue;
                    }
                    num += f64::from(p) * (step(w, j, k) + dist[j]);
                    den += p;
                }
                dist[q] = if den > 0 {
                    num / f64::from(den)
                } else {
                    f64::NAN
                };
            }
            pending[q] = DONE;
            // Upslope neighbours that route into q.
            for k in 0..8 {
                let Some(j) = dims.neighbor(r, c, k) else {
                    continue;
                };
                if !is_routed(j) || pending[j] == DONE || mfd_weight(d[j], reverse(k)) == 0 {
                    continue;
                }
                pending[j] -= 1;
                if pending[j] == 0 {
                    stack.push(j as u32);
                }
            }
        }
    }
    finish(dims, dist)
}
