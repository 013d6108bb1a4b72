//! Flow accumulation (plain and weighted) and stream extraction, D8 and MFD.
//!
//! Accumulation is computed in topological order without recursion: every cell counts its
//! upstream neighbours; cells with none start; when a cell is done its downstream neighbours'
//! counts drop, and a neighbour whose count reaches zero is pushed on an explicit stack. Each
//! cell then sums its upstream contributions in direction order 0..=7, the order of
//! pygeoprocessing's recursive walk, so the f64 sums are the same to the last bit.

use ndarray::{Array2, ArrayView2};
use std::collections::VecDeque;

use super::flow::{mfd_weight, D8_NODATA, MFD_NODATA};
use super::{check_dims, check_same_shape, contiguous, into_array, reverse, Dims, TerrainError};

/// Flow accumulation value of cells without a flow direction (pygeoprocessing's
/// `IMPROBABLE_FLOAT_NODATA`, −1.23789789e29).
pub const FLOW_ACCUM_NODATA: f64 = -1.237_897_89e29;

/// Stream raster value of cells without flow accumulation (as InVEST's `stream.tif`).
pub const STREAM_NODATA: u8 = 255;

/// Marks a cell whose accumulation is final (pending counts are at most 8).
const DONE: u8 = u8::MAX;

/// Weight of cell `i`: 1 without a weight layer; NaN weights count 0 (pygeoprocessing treats
/// weight nodata as 0).
#[inline(always)]
fn weight_of(weights: Option<&[f32]>, i: usize) -> f64 {
    match weights {
        None => 1.0,
        Some(w) => {
            let v = w[i];
            if v.is_nan() {
                0.0
            } else {
                f64::from(v)
            }
        }
    }
}

fn check_d8(dirs: &[u8], dims: Dims) -> Result<(), TerrainError> {
    if let Some(i) = dirs.iter().position(|&d| d > 7 && d != D8_NODATA) {
        let (row, col) = dims.row_col(i);
        return Err(TerrainError::InvalidFlowDirection {
            layer: "flow_dir_d8".to_string(),
            row,
            col,
            value: dirs[i],
        });
    }
    Ok(())
}

/// D8 flow accumulation: for each cell, its weight plus the accumulation of every cell that
/// drains into it (pygeoprocessing 2.4 `flow_accumulation_d8`).
///
/// Without weights the result counts cells, **including the cell itself** (so it is ≥ 1, as
/// InVEST's FA). With `weights` it is the sum of the weights of the cell and everything
/// upstream (InVEST's routed accumulation for W̄ and S̄); NaN weights count as 0, so map a weight
/// layer's nodata to NaN. Cells with direction [`D8_NODATA`] get [`FLOW_ACCUM_NODATA`].
///
/// # Errors
/// [`TerrainError::Empty`], [`TerrainError::InvalidFlowDirection`] (codes other than 0..=7 and
/// 128), [`TerrainError::ShapeMismatch`] when `weights` differs in shape.
///
/// # Examples
/// ```
/// use gep::terrain::{flow_accumulation_d8, flow_dir_d8};
/// use ndarray::array;
/// let dem = array![[3.0_f32, 2.0, 1.0]]; // one row draining east
/// let dirs = flow_dir_d8(dem.view(), None)?;
/// let fa = flow_accumulation_d8(dirs.view(), None)?;
/// assert_eq!(fa.row(0).to_vec(), vec![1.0, 2.0, 3.0]); // cells, counting itself
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
pub fn flow_accumulation_d8(
    dirs: ArrayView2<u8>,
    weights: Option<ArrayView2<f32>>,
) -> Result<Array2<f64>, TerrainError> {
    let dims = check_dims("flow_dir_d8", dirs.dim())?;
    let d = contiguous(&dirs);
    check_d8(&d, dims)?;
    if let Some(w) = &weights {
        check_same_shape("weights", w.dim(), "flow_dir_d8", dirs.dim())?;
    }
    let w = weights.as_ref().map(contiguous);
    let w = w.as_deref();
    let n = dims.len();

    let downstream = |i: usize| -> Option<usize> {
        let k = d[i];
        if k == D8_NODATA {
            return None;
        }
        let (r, c) = dims.row_col(i);
        dims.neighbor(r, c, k as usize)
            .filter(|&j| d[j] != D8_NODATA)
    };

    let mut pending = vec![0u8; n];
    for i in 0..n {
        if let Some(j) = downstream(i) {
            pending[j] += 1;
        }
    }
    if w.is_none() {
        // Unweighted: cell counts are integers, so pushing each finished cell's count
        // downstream gives exactly the sums that gathering in direction order gives, with one
        // step per cell instead of eight neighbour tests.
        let mut count = vec![1u32; n];
        for start in 0..n {
            if pending[start] != 0 || d[start] == D8_NODATA {
                continue;
            }
            let mut i = start;
            loop {
                pending[i] = DONE;
                let Some(j) = downstream(i) else {
                    break;
                };
                count[j] += count[i];
                pending[j] -= 1;
                if pending[j] != 0 {
                    break;
                }
                i = j;
            }
        }
        let acc = count
            .iter()
            .zip(d.iter())
            .map(|(&c, &k)| {
                if k == D8_NODATA {
                    FLOW_ACCUM_NODATA
                } else {
                    f64::from(c)
                }
            })
            .collect();
        return into_array("flow_accumulation", dims, acc);
    }
    let mut acc = vec![FLOW_ACCUM_NODATA; n];
    let mut stack: Vec<u32> = Vec::new();
    for start in 0..n {
        if pending[start] != 0 || d[start] == D8_NODATA {
            continue;
        }
        stack.push(start as u32);
        while let Some(i) = stack.pop() {
            let i = i as usize;
            let (r, c) = dims.row_col(i);
            let mut value = weight_of(w, i);
            for k in 0..8 {
                if let Some(j) = dims.neighbor(r, c, k) {
                    if d[j] as usize == reverse(k) {
                        value += acc[j];
                    }
                }
            }
            acc[i] = value;
            pending[i] = DONE;
            if let Some(j) = downstream(i) {
                pending[j] -= 1;
                if pending[j] == 0 {
                    stack.push(j as u32);
                }
            }
        }
    }
    into_array("flow_accumulation", dims, acc)
}

/// Sum of the eight 4-bit weights of a packed MFD value.
#[inline(always)]
fn weight_sum(v: u32) -> u32 {
    (0..8).map(|k| mfd_weight(v, k)).sum()
}

/// MFD flow accumulation: for each cell, its weight plus, for every upstream neighbour, that
/// neighbour's accumulation times the share it sends here (its 4-bit weight towards this cell
/// over the sum of its eight weights) — pygeoprocessing 2.4 `flow_accumulation_mfd`.
///
/// Without weights the result is in cells, **including the cell itself**; with `weights` it is a
/// routed sum of the weights (NaN counts 0). Flow sent off the raster or into a cell without
/// flow direction leaves the system. Cells with [`MFD_NODATA`] get [`FLOW_ACCUM_NODATA`].
///
/// # Errors
/// [`TerrainError::Empty`], [`TerrainError::ShapeMismatch`] when `weights` differs in shape.
///
/// # Examples
/// ```
/// use gep::terrain::{flow_accumulation_mfd, flow_dir_mfd};
/// use ndarray::array;
/// // A one-row ridge: the middle cell (3 m) sends half its flow each way (weights 8 and 8).
/// let dem = array![[1.0_f32, 3.0, 1.0]];
/// let dirs = flow_dir_mfd(dem.view(), None)?;
/// let fa = flow_accumulation_mfd(dirs.view(), None)?;
/// assert_eq!(fa.row(0).to_vec(), vec![1.5, 1.0, 1.5]); // cells, counting itself
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
pub fn flow_accumulation_mfd(
    dirs: ArrayView2<u32>,
    weights: Option<ArrayView2<f32>>,
) -> Result<Array2<f64>, TerrainError> {
    let dims = check_dims("flow_dir_mfd", dirs.dim())?;
    let d = contiguous(&dirs);
    if let Some(w) = &weights {
        check_same_shape("weights", w.dim(), "flow_dir_mfd", dirs.dim())?;
    }
    let w = weights.as_ref().map(contiguous);
    let w = w.as_deref();
    let n = dims.len();

    let mut pending = vec![0u8; n];
    for i in 0..n {
        let v = d[i];
        if v == MFD_NODATA {
            continue;
        }
        let (r, c) = dims.row_col(i);
        for k in 0..8 {
            if mfd_weight(v, k) == 0 {
                continue;
            }
            if let Some(j) = dims.neighbor(r, c, k) {
                if d[j] != MFD_NODATA {
                    pending[j] += 1;
                }
            }
        }
    }
    let mut acc = vec![FLOW_ACCUM_NODATA; n];
    let mut stack: Vec<u32> = Vec::new();
    for start in 0..n {
        if pending[start] != 0 || d[start] == MFD_NODATA {
            continue;
        }
        stack.push(start as u32);
        while let Some(i) = stack.pop() {
            let i = i as usize;
            let (r, c) = dims.row_col(i);
            let mut value = weight_of(w, i);
            for k in 0..8 {
                let Some(j) = dims.neighbor(r, c, k) else {
                    continue;
                };
                let up = d[j];
                let share = mfd_weight(up, reverse(k));
                if share == 0 {
                    continue;
                }
                value += acc[j] * f64::from(share) / f64::from(weight_sum(up));
            }
            acc[i] = value;
            pending[i] = DONE;
            let v = d[i];
            for k in 0..8 {
                if mfd_weight(v, k) == 0 {
                    continue;
                }
                if let Some(j) = dims.neighbor(r, c, k) {
                    if d[j] != MFD_NODATA {
                        pending[j] -= 1;
                        if pending[j] == 0 {
                            stack.push(j as u32);
                        }
                    }
                }
            }
        }
    }
    into_array("flow_accumulation", dims, acc)
}

fn check_threshold(threshold: f64) -> Result<(), TerrainError> {
    if threshold.is_finite() {
        Ok(())
    } else {
        Err(TerrainError::InvalidParameter {
            parameter: "threshold_flow_accumulation",
            value: threshold,
            expected: "a finite number of cells",
        })
    }
}

/// D8 streams: 1 where the flow accumulation is **strictly** greater than `threshold`
/// (InVEST SDR with D8), 0 on other cells, [`STREAM_NODATA`] where the accumulation is
/// [`FLOW_ACCUM_NODATA`].
///
/// # Errors
/// [`TerrainError::InvalidParameter`] for a non-finite threshold; [`TerrainError::Empty`].
///
/// # Examples
/// ```
/// use gep::terrain::streams_d8;
/// use ndarray::array;
/// let fa = array![[1.0_f64, 2.0, 3.0]];
/// assert_eq!(streams_d8(fa.view(), 2.0)?.row(0).to_vec(), vec![0, 0, 1]); // 2 is not > 2
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
pub fn streams_d8(accum: ArrayView2<f64>, threshold: f64) -> Result<Array2<u8>, TerrainError> {
    check_dims("flow_accumulation", accum.dim())?;
    check_threshold(threshold)?;
    Ok(accum.map(|&fa| {
        if fa == FLOW_ACCUM_NODATA {
            STREAM_NODATA
        } else {
            u8::from(fa > threshold)
        }
    }))
}

/// MFD streams as pygeoprocessing 2.4 `extract_streams_mfd` (used by InVEST SDR with
/// `trace_proportion` = 0.7).
///
/// Streams are seeded at *outlets* — cells with accumulation ≥ `threshold` that send flow off
/// the raster or into a cell without accumulation — and traced upstream (breadth-first) through
/// cells that flow into a stream cell. An upstream cell with accumulation ≥ `threshold` becomes
/// stream; one with `trace_proportion · threshold` ≤ FA < `threshold` is kept only if the
/// tracing later reaches, through it, a cell at full threshold (it is then promoted, and so is
/// the tentative chain below it). Output 1 stream, 0 not, [`STREAM_NODATA`] without
/// accumulation. Cells above threshold that do not connect to an outlet are not streams.
///
/// # Errors
/// [`TerrainError::InvalidParameter`] for a non-finite threshold or `trace_proportion` outside
/// [0, 1]; [`TerrainError::ShapeMismatch`]; [`TerrainError::Empty`].
///
/// # Examples
/// ```
/// use gep::terrain::{flow_accumulation_mfd, flow_dir_mfd, streams_mfd};
/// use ndarray::array;
/// let dem = array![[3.0_f32, 2.0, 1.0]]; // one row draining east
/// let dirs = flow_dir_mfd(dem.view(), None)?;
/// let fa = flow_accumulation_mfd(dirs.view(), None)?; // 1, 2, 3 cells
/// let s = streams_mfd(fa.view(), dirs.view(), 2.0, 1.0)?;
/// assert_eq!(s.row(0).to_vec(), vec![0, 1, 1]); // FA ≥ 2, traced from the east outlet
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
pub fn streams_mfd(
    accum: ArrayView2<f64>,
    dirs: ArrayView2<u32>,
    threshold: f64,
    trace_proportion: f64,
) -> Result<Array2<u8>, TerrainError> {
    let dims = check_dims("flow_accumulation", accum.dim())?;
    check_same_shape("flow_dir_mfd", dirs.dim(), "flow_accumulation", accum.dim())?;
    check_threshold(threshold)?;
    if !(0.0..=1.0).contains(&trace_proportion) {
        return Err(TerrainError::InvalidParameter {
            parameter: "trace_proportion",
            value: trace_proportion,
            expected: "a proportion in [0, 1]",
        });
    }
    let trace_threshold = trace_proportion * threshold;
    let fa = contiguous(&accum);
    let d = contiguous(&dirs);
    let n = dims.len();
    let mut stream = vec![STREAM_NODATA; n];
    let mut open: VecDeque<u32> = VecDeque::new();
    let mut backtrace: VecDeque<u32> = VecDeque::new();

    for i in 0..n {
        if fa[i] == FLOW_ACCUM_NODATA || stream[i] != STREAM_NODATA {
            continue;
        }
        stream[i] = 0;
        if fa[i] < threshold {
            continue;
        }
        let (r, c) = dims.row_col(i);
        let v = d[i];
        let is_outlet = (0..8).any(|k| {
            mfd_weight(v, k) != 0
                && match dims.neighbor(r, c, k) {
                    None => true,
                    Some(j) => fa[j] == FLOW_ACCUM_NODATA,
                }
        });
        if is_outlet {
            open.push_back(i as u32);
            stream[i] = 1;
        }
        while let Some(q) = open.pop_front() {
            let q = q as usize;
            let (qr, qc) = dims.row_col(q);
            for k in 0..8 {
                let Some(j) = dims.neighbor(qr, qc, k) else {
                    continue;
                };
                let up = d[j];
                if up == MFD_NODATA || mfd_weight(up, reverse(k)) == 0 {
                    continue;
                }
                if stream[j] == 1 || stream[j] == 2 {
                    continue;
                }
                if fa[j] >= threshold {
                    stream[j] = 1;
                    open.push_back(j as u32);
                    // Promote the tentative (2) cells downstream of this confirmed one.
                    backtrace.push_back(j as u32);
                    while let Some(b) = backtrace.pop_front() {
                        let b = b as usize;
                        let (br, bc) = dims.row_col(b);
                        let bv = d[b];
                        for kk in 0..8 {
                            if mfd_weight(bv, kk) == 0 {
                                continue;
                            }
                            if let Some(m) = dims.neighbor(br, bc, kk) {
                                if stream[m] == 2 {
                                    stream[m] = 1;
                                    backtrace.push_back(m as u32);
                                }
                            }
                        }
                    }
                } else if fa[j] >= trace_threshold {
                    stream[j] = 2;
                    open.push_back(j as u32);
                }
            }
        }
    }
    for s in &mut stream {
        if *s == 2 {
            *s = 0;
        }
    }
    into_array("streams", dims, stream)
}
