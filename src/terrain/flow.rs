//! Flow direction: D8 (steepest descent) and MFD (multiple flow direction), with flats routed
//! towards their drains by distance, as pygeoprocessing 2.4 `routing.flow_dir_d8` and
//! `routing.flow_dir_mfd` do.

use ndarray::{Array2, ArrayView2};
use std::collections::VecDeque;

use super::{check_elevations, into_array, reverse, Dims, Nodata, TerrainError, SQRT2, SQRT2_INV};

/// D8 code of a cell without a flow direction (nodata DEM cell, or an undrained pit).
pub const D8_NODATA: u8 = 128;

/// MFD value of a cell without a flow direction (all eight weights 0).
pub const MFD_NODATA: u32 = 0;

/// The 4-bit MFD weight (0..=15) of direction `k` (0..=7) in a packed MFD value.
///
/// The share of a cell's flow going to neighbour `k` is `mfd_weight(v, k) / Σⱼ mfd_weight(v, j)`.
///
/// # Examples
/// ```
/// use gep::terrain::mfd_weight;
/// let v: u32 = 0xF << (4 * 6); // all flow to the south (direction 6)
/// assert_eq!(mfd_weight(v, 6), 15);
/// assert_eq!(mfd_weight(v, 0), 0);
/// ```
#[inline(always)]
pub fn mfd_weight(packed: u32, k: usize) -> u32 {
    (packed >> (4 * k)) & 0xF
}

/// The plateau state shared by the D8 and MFD flat resolution: the distance (in pixel
/// lengths, 1 or √2 per step) from each flat cell to its nearest drain, allocated on the
/// first flat met. Untouched cells hold `rows·cols`, pygeoprocessing's "infinity".
struct PlateauDistance {
    far: f64,
    dist: Vec<f64>,
}

impl PlateauDistance {
    fn new(n: usize) -> Self {
        Self {
            far: n as f64,
            dist: Vec::new(),
        }
    }

    fn get(&self, i: usize) -> f64 {
        self.dist.get(i).copied().unwrap_or(self.far)
    }

    fn set(&mut self, i: usize, d: f64) {
        if self.dist.is_empty() {
            self.dist = vec![self.far; self.far as usize];
        }
        self.dist[i] = d;
    }
}

/// D8 flow direction: each cell drains to the neighbour of steepest descent.
///
/// The drop to a neighbour is `z − z_n`, divided by √2 for diagonal neighbours; the largest
/// positive drop wins, ties going to the lowest direction code (E first, then counter-clockwise).
/// Off-raster and nodata neighbours are not candidates. Cells without a lower neighbour belong
/// to a flat: each flat is searched breadth-first; its cells that have a lower neighbour are its
/// drains, and the other cells are routed towards the nearest drain (shortest path over the
/// flat, 1 per orthogonal step, √2 per diagonal step). A flat without a lower neighbour drains
/// to the edge or to nodata instead (preferring an orthogonal nodata/off-raster neighbour); a
/// flat with neither (a pit of an unfilled DEM) keeps [`D8_NODATA`].
///
/// Same algorithm, visit order and tie-breaking as pygeoprocessing 2.4 `flow_dir_d8`, except
/// that pygeoprocessing scans the raster in 256 × 256 blocks: on rasters wider than 256 cells,
/// equal-distance ties inside a flat may be broken differently.
///
/// Output: direction codes 0..=7 (`3 2 1 / 4 x 0 / 5 6 7`), [`D8_NODATA`] on nodata cells.
/// Run it on a pit-filled DEM ([`fill_pits`](super::fill_pits)).
///
/// # Errors
/// As [`fill_pits`](super::fill_pits).
///
/// # Examples
/// ```
/// use gep::terrain::flow_dir_d8;
/// use ndarray::array;
/// // A one-row valley floor draining west: every cell points to direction 4 (west).
/// let dem = array![[1.0_f32, 2.0, 3.0]];
/// let dirs = flow_dir_d8(dem.view(), None)?;
/// assert_eq!(dirs[[0, 1]], 4);
/// assert_eq!(dirs[[0, 2]], 4);
/// // The west end has no lower neighbour: it drains off the raster through its first
/// // orthogonal off-raster neighbour in direction order, north (2) — pygeoprocessing's rule.
/// assert_eq!(dirs[[0, 0]], 2);
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
pub fn flow_dir_d8(dem: ArrayView2<f32>, nodata: Option<f32>) -> Result<Array2<u8>, TerrainError> {
    let (dims, z, test) = check_elevations("dem", &dem, nodata)?;
    let n = dims.len();
    let mut dirs = vec![D8_NODATA; n];
    let mut flat = vec![false; n];
    let mut dist = PlateauDistance::new(n);
    let mut search: VecDeque<u32> = VecDeque::new();
    let mut drains: VecDeque<u32> = VecDeque::new();
    let mut nodata_drains: Vec<(u32, u8)> = Vec::new();

    // Pass 1 (per row, parallel): steepest downhill neighbour. Cells left at D8_NODATA are
    // nodata or flat; flats are resolved below in scan order, as pygeoprocessing does
    // (it interleaves both, with the same result: a flat's drains get the same direction).
    dims.for_each_row(&mut dirs, |r, row| {
        for (c, out) in row.iter_mut().enumerate() {
            let i = r * dims.cols + c;
            let zi = z[i];
            if test.is(zi) {
                continue;
            }
            let root = f64::from(zi);
            let mut best_dir = D8_NODATA;
            let mut best = 0.0_f64;
            for k in 0..8 {
                let Some(j) = dims.neighbor(r, c, k) else {
                    continue;
                };
                let zj = z[j];
                if test.is(zj) {
                    continue;
                }
                let mut s = root - f64::from(zj);
                if k & 1 == 1 {
                    s *= SQRT2_INV;
                }
                if s > best {
                    best = s;
                    best_dir = k as u8;
                }
            }
            *out = best_dir;
        }
    });

    for i in 0..n {
        if test.is(z[i]) || dirs[i] != D8_NODATA {
            continue;
        }
        let root = f64::from(z[i]);

        // A flat: find its drains.
        search.push_back(i as u32);
        flat[i] = true;
        while let Some(q) = search.pop_front() {
            let q = q as usize;
            let (qr, qc) = dims.row_col(q);
            let mut best_dir: Option<usize> = None;
            let mut best = 0.0_f64;
            let mut diagonal_nodata = true;
            for k in 0..8 {
                let nz = dims.neighbor(qr, qc, k).map(|j| (j, z[j]));
                let (j, zj) = match nz {
                    Some((j, zj)) if !test.is(zj) => (j, zj),
                    _ => {
                        // Off-raster or nodata: a fallback drain, orthogonal preferred.
                        if diagonal_nodata && best == 0.0 {
                            best_dir = Some(k);
                            diagonal_nodata = k & 1 == 1;
                        }
                        continue;
                    }
                };
                let mut s = root - f64::from(zj);
                if s < 0.0 {
                    continue;
                }
                if s == 0.0 {
                    if !flat[j] {
                        flat[j] = true;
                        search.push_back(j as u32);
                    }
                    continue;
                }
                if k & 1 == 1 {
                    s *= SQRT2_INV;
                }
                if s > best {
                    best = s;
                    best_dir = Some(k);
                }
            }
            if let Some(k) = best_dir {
                if best > 0.0 {
                    dirs[q] = k as u8;
                    dist.set(q, 0.0);
                    drains.push_back(q as u32);
                } else {
                    nodata_drains.push((q as u32, k as u8));
                }
            }
        }
        if drains.is_empty() {
            for &(q, k) in &nodata_drains {
                dirs[q as usize] = k;
                dist.set(q as usize, 0.0);
                drains.push_back(q);
            }
        }
        nodata_drains.clear();

        // Route the flat towards its drains (label-correcting shortest path, FIFO order).
        while let Some(q) = drains.pop_front() {
            let q = q as usize;
            let d = dist.get(q);
            let (qr, qc) = dims.row_col(q);
            for k in 0..8 {
                let Some(j) = dims.neighbor(qr, qc, k) else {
                    continue;
                };
                let nd = d + if k & 1 == 1 { SQRT2 } else { 1.0 };
                if f64::from(z[j]) == root && dist.get(j) > nd {
                    dirs[j] = reverse(k) as u8;
                    dist.set(j, nd);
                    drains.push_back(j as u32);
                }
            }
        }
    }
    into_array("flow_dir_d8", dims, dirs)
}

/// Packs eight non-negative weights into 4-bit shares: `round(wₖ / Σw · 15)`, as
/// pygeoprocessing (`int(0.5 + w/Σw·15)`).
#[inline(always)]
fn pack(weights: &[f64; 8], sum: f64) -> u32 {
    let mut v = 0u32;
    for (k, &w) in weights.iter().enumerate() {
        v |= ((0.5 + w / sum * 15.0) as u32) << (4 * k);
    }
    v
}

const FLAT: u8 = 1;
const DRAIN: u8 = 2;

/// MFD flow direction: each cell shares its flow among all lower neighbours.
///
/// The weight of a lower neighbour is the drop `z − z_n`, divided by √2 for diagonals; shares
/// are quantised to 4 bits, `round(w/Σw · 15)`, and packed into a `u32` (direction `k` in bits
/// `4k..4k+4`, read with [`mfd_weight`]). Flats are resolved as in pygeoprocessing 2.4
/// `flow_dir_mfd`: breadth-first search for the flat's drains (cells with a lower neighbour;
/// failing those, cells next to nodata or the edge, which send their flow there with weights
/// 1 and 1/√2), shortest distance to a drain over the flat, then every flat cell shares its flow
/// among its flat neighbours that are closer to a drain (weights 1 orthogonal, 1/√2 diagonal).
/// A flat with no drain at all (a pit of an unfilled DEM) keeps [`MFD_NODATA`].
///
/// Quirks kept: the distance search grows over neighbours within numpy `isclose` of the flat's
/// height, while the final routing only uses neighbours of exactly that height. As for D8, the
/// raster is scanned row by row rather than in pygeoprocessing's 256 × 256 blocks.
///
/// Output: packed weights, [`MFD_NODATA`] (0) on nodata cells. Run it on a pit-filled DEM.
///
/// # Errors
/// As [`fill_pits`](super::fill_pits).
///
/// # Examples
/// ```
/// use gep::terrain::{flow_dir_mfd, mfd_weight};
/// use ndarray::array;
/// // The centre (5 m) has two lower neighbours, E and S (4 m, 1 m drop each): each gets half
/// // of the flow, quantised to round(0.5·15) = 8 of 16.
/// let dem = array![[9.0_f32, 9.0, 9.0], [9.0, 5.0, 4.0], [9.0, 4.0, 9.0]];
/// let dirs = flow_dir_mfd(dem.view(), None)?;
/// assert_eq!(mfd_weight(dirs[[1, 1]], 0), 8);
/// assert_eq!(mfd_weight(dirs[[1, 1]], 6), 8);
/// assert_eq!(mfd_weight(dirs[[1, 1]], 7), 0);
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
pub fn flow_dir_mfd(
    dem: ArrayView2<f32>,
    nodata: Option<f32>,
) -> Result<Array2<u32>, TerrainError> {
    let (dims, z, test) = check_elevations("dem", &dem, nodata)?;
    let n = dims.len();
    let mut flow = vec![MFD_NODATA; n];
    let mut flags = vec![0u8; n];
    let mut dist = PlateauDistance::new(n);
    let mut search: VecDeque<u32> = VecDeque::new();
    let mut distance_queue: VecDeque<u32> = VecDeque::new();
    let mut direction_queue: VecDeque<u32> = VecDeque::new();
    let mut nodata_drains: Vec<(u32, u32)> = Vec::new();

    // Phase 1 (per row, parallel): share among lower neighbours. Cells left at MFD_NODATA
    // are nodata or flat; flats are resolved below in scan order (pygeoprocessing interleaves
    // both, with the same result: a flat's drains get the same weights).
    dims.for_each_row(&mut flow, |r, row| {
        for (c, out) in row.iter_mut().enumerate() {
            let i = r * dims.cols + c;
            if test.is(z[i]) {
                continue;
            }
            let root = f64::from(z[i]);
            let mut slopes = [0.0_f64; 8];
            let mut sum = 0.0_f64;
            for (k, slope) in slopes.iter_mut().enumerate() {
                let Some(j) = dims.neighbor(r, c, k) else {
                    continue;
                };
                if test.is(z[j]) {
                    continue;
                }
                let mut s = root - f64::from(z[j]);
                if s > 0.0 {
                    if k & 1 == 1 {
                        s *= SQRT2_INV;
                    }
                    *slope = s;
                    sum += s;
                }
            }
            if sum > 0.0 {
                *out = pack(&slopes, sum);
            }
        }
    });

    for i in 0..n {
        if test.is(z[i]) || flow[i] != MFD_NODATA {
            continue;
        }
        let root = f64::from(z[i]);

        // Phase 2: search the flat for drains.
        flat_drains(
            i,
            root,
            dims,
            &z,
            test,
            &mut flags,
            &mut search,
            &mut flow,
            &mut dist,
            &mut distance_queue,
            &mut nodata_drains,
        );
        if distance_queue.is_empty() {
            for &(q, v) in &nodata_drains {
                let q = q as usize;
                flow[q] = v;
                dist.set(q, 0.0);
                flags[q] |= DRAIN;
                distance_queue.push_back(q as u32);
            }
        }
        nodata_drains.clear();
        direction_queue.extend(distance_queue.iter().copied());

        // Phase 3: distance to the nearest drain over the flat.
        while let Some(q) = distance_queue.pop_front() {
            let q = q as usize;
            let d = dist.get(q);
            let (qr, qc) = dims.row_col(q);
            for k in 0..8 {
                let Some(j) = dims.neighbor(qr, qc, k) else {
                    continue;
                };
                let nd = d + if k & 1 == 1 { SQRT2 } else { 1.0 };
                let zj = f64::from(z[j]);
                if (zj - root).abs() <= 1e-8 + 1e-5 * root.abs() && dist.get(j) > nd {
                    dist.set(j, nd);
                    distance_queue.push_back(j as u32);
                }
            }
        }

        // Phase 4: share each flat cell's flow among closer flat neighbours.
        while let Some(q) = direction_queue.pop_front() {
            let q = q as usize;
            let d = dist.get(q);
            let (qr, qc) = dims.row_col(q);
            let mut weights = [0.0_f64; 8];
            let mut sum = 0.0_f64;
            for (k, weight) in weights.iter_mut().enumerate() {
                let Some(j) = dims.neighbor(qr, qc, k) else {
                    continue;
                };
                if f64::from(z[j]) != root {
                    continue;
                }
                let nd = dist.get(j);
                if nd == dist.far {
                    continue;
                }
                if nd < d {
                    let w = if k & 1 == 1 { SQRT2_INV } else { 1.0 };
                    *weight = w;
                    sum += w;
                } else if flags[j] & DRAIN == 0 {
                    flags[j] |= DRAIN;
                    direction_queue.push_back(j as u32);
                }
            }
            if sum != 0.0 {
                flow[q] = pack(&weights, sum);
            }
        }
    }
    into_array("flow_dir_mfd", dims, flow)
}

/// MFD phase 2: breadth-first search of the flat containing `start`, marking downhill drains
/// (queued in `drains`, flow set) and nodata/edge drains (kept in `nodata_drains`).
#[allow(clippy::too_many_arguments)]
fn flat_drains(
    start: usize,
    root: f64,
    dims: Dims,
    z: &[f32],
    test: Nodata,
    flags: &mut [u8],
    search: &mut VecDeque<u32>,
    flow: &mut [u32],
    dist: &mut PlateauDistance,
    drains: &mut VecDeque<u32>,
    nodata_drains: &mut Vec<(u32, u32)>,
) {
    search.push_back(start as u32);
    flags[start] |= FLAT;
    while let Some(q) = search.pop_front() {
        let q = q as usize;
        let (qr, qc) = dims.row_col(q);
        let mut slopes = [0.0_f64; 8];
        let mut nodata_slopes = [0.0_f64; 8];
        let mut sum = 0.0_f64;
        let mut nodata_sum = 0.0_f64;
        for k in 0..8 {
            let nz = dims.neighbor(qr, qc, k).map(|j| (j, z[j]));
            let (j, zj) = match nz {
                Some((j, zj)) if !test.is(zj) => (j, zj),
                _ => {
                    let w = if k & 1 == 1 { SQRT2_INV } else { 1.0 };
                    nodata_sum += w;
                    nodata_slopes[k] = w;
                    continue;
                }
            };
            let mut s = root - f64::from(zj);
            if s < 0.0 {
                continue;
            }
            if s == 0.0 {
                if flags[j] & FLAT == 0 {
                    flags[j] |= FLAT;
                    search.push_back(j as u32);
                }
                continue;
            }
            if k & 1 == 1 {
                s *= SQRT2_INV;
            }
            slopes[k] = s;
            sum += s;
        }
        if sum > 0.0 {
            flow[q] = pack(&slopes, sum);
            dist.set(q, 0.0);
            flags[q] |= DRAIN;
            drains.push_back(q as u32);
        } else if nodata_sum > 0.0 {
            nodata_drains.push((q as u32, pack(&nodata_slopes, nodata_sum)));
        }
    }
}
