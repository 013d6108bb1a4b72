//! Pit filling by priority-flood (Barnes, Lehman & Mulla 2014, "Priority-Flood+").

use ndarray::{Array2, ArrayView2};
use std::collections::VecDeque;

use super::{check_elevations, into_array, Dims, TerrainError};

/// Order-preserving map of an `f32` to a `u32` (for finite values and ±0).
#[inline(always)]
fn sortable(v: f32) -> u32 {
    let b = v.to_bits();
    if b & 0x8000_0000 != 0 {
        !b
    } else {
        b | 0x8000_0000
    }
}

/// Inverse of [`sortable`].
#[inline(always)]
fn unsortable(key: u32) -> f32 {
    if key & 0x8000_0000 != 0 {
        f32::from_bits(key & 0x7FFF_FFFF)
    } else {
        f32::from_bits(!key)
    }
}

/// One bit per cell: 2 MB for 16 M cells, so that the many random "closed?" tests of the
/// flood mostly hit the cache.
struct BitSet(Vec<u64>);

impl BitSet {
    fn new(n: usize) -> Self {
        Self(vec![0; n.div_ceil(64)])
    }

    #[inline(always)]
    fn get(&self, i: usize) -> bool {
        (self.0[i >> 6] >> (i & 63)) & 1 == 1
    }

    #[inline(always)]
    fn set(&mut self, i: usize) {
        self.0[i >> 6] |= 1 << (i & 63);
    }
}

/// A monotone priority queue of `(key, cell)` (a radix heap, Ahuja et al. 1990): pushes must
/// not be below the last popped key, which priority-flood guarantees. Push and pop are O(1)
/// amortised (each entry moves down at most 32 buckets), with sequential memory access, which
/// makes it several times faster than a binary heap on large DEMs.
struct RadixHeap {
    last: u32,
    buckets: Vec<Vec<u64>>,
    spare: Vec<u64>,
}

impl RadixHeap {
    fn new() -> Self {
        Self {
            last: 0,
            buckets: (0..33).map(|_| Vec::new()).collect(),
            spare: Vec::new(),
        }
    }

    #[inline(always)]
    fn bucket(last: u32, key: u32) -> usize {
        (32 - (key ^ last).leading_zeros()) as usize
    }

    #[inline(always)]
    fn push(&mut self, key: u32, cell: usize) {
        // A key below the last popped one cannot occur in priority-flood; if it did, popping
        // it next is the best a monotone queue can do.
        let b = if key <= self.last {
            0
        } else {
            Self::bucket(self.last, key)
        };
        self.buckets[b].push((u64::from(key) << 32) | cell as u64);
    }

    /// Pops `(key, cell)` with the smallest key.
    fn pop(&mut self) -> Option<(u32, usize)> {
        if self.buckets[0].is_empty() {
            let i = (1..33).find(|&i| !self.buckets[i].is_empty())?;
            let mut moved =
                std::mem::replace(&mut self.buckets[i], std::mem::take(&mut self.spare));
            let min = moved.iter().map(|&e| (e >> 32) as u32).min()?;
            self.last = min;
            for &e in &moved {
                self.buckets[Self::bucket(min, (e >> 32) as u32)].push(e);
            }
            moved.clear();
            self.spare = moved;
        }
        self.buckets[0]
            .pop()
            .map(|e| ((e >> 32) as u32, (e & 0xFFFF_FFFF) as usize))
    }
}

/// Walks upslope from the just-closed cell `start` (Zhou, Sun & Fu 2016): a cell reached from
/// a closed cell by a rising path drains through that path, so it keeps its elevation and is
/// closed at once, without a trip through the priority queue. Only cells next to a lower,
/// unclosed cell (where a depression may start) go into the queue, keyed by their elevation,
/// to be expanded in priority order. This visits cells in spatially coherent order; the result
/// is the same as plain priority-flood.
fn trace_upslope(
    start: usize,
    dims: Dims,
    z: &[f32],
    closed: &mut BitSet,
    stack: &mut Vec<u32>,
    heap: &mut RadixHeap,
) {
    stack.push(start as u32);
    while let Some(t) = stack.pop() {
        let t = t as usize;
        let zt = z[t];
        let (r, c) = dims.row_col(t);
        let mut frontier = false;
        for k in 0..8 {
            let Some(m) = dims.neighbor(r, c, k) else {
                continue;
            };
            if closed.get(m) {
                continue;
            }
            if z[m] > zt {
                closed.set(m);
                stack.push(m as u32);
            } else {
                frontier = true;
            }
        }
        if frontier {
            heap.push(sortable(zt), t);
        }
    }
}

/// Raises every depression of a DEM to its spill level; returns the filled DEM.
///
/// Outlets are the raster edge and nodata cells: a cell drains when a path of non-increasing
/// elevation leads from it off the raster or into a nodata cell. Every other cell is raised to
/// the lowest level at which water could leave its depression (its *spill level*), so the
/// filled depressions are exactly flat (no gradient is imposed, as in pygeoprocessing's
/// `fill_pits`; [`flow_dir_d8`](super::flow_dir_d8) and [`flow_dir_mfd`](super::flow_dir_mfd)
/// route across the flats). Cells that need no filling keep their value bit for bit; nodata
/// cells keep their original value.
///
/// This gives the same raster as pygeoprocessing 2.4's `routing.fill_pits` (which grows each
/// undrained region until it finds its pour point): both compute, for every cell, the minimum
/// over all paths to an outlet of the highest elevation met, floored at the cell's own value.
///
/// Priority-flood seeded with all outlet cells, with a FIFO for cells inside depressions and
/// flats ("Priority-Flood+", Barnes et al. 2014, *Computers & Geosciences* 62:117–127). The
/// priority queue is a radix heap on the elevation's bits (the popped level never decreases),
/// so the whole fill is O(n) amortised (at most 32 bucket moves per cell), with about 1 byte
/// per cell of working memory besides the output plus the queues.
///
/// # Errors
/// [`TerrainError::Empty`], [`TerrainError::NonFinite`] (NaN/∞ that is not the declared nodata),
/// [`TerrainError::AllNodata`], [`TerrainError::TooLarge`].
///
/// # Examples
/// A one-cell pit (elevation 1 m) inside a ring at 5 m, with a 4 m notch on the edge:
/// ```
/// use gep::terrain::fill_pits;
/// use ndarray::array;
/// let dem = array![[5.0_f32, 5.0, 5.0], [5.0, 1.0, 5.0], [5.0, 4.0, 5.0]];
/// let filled = fill_pits(dem.view(), None)?;
/// assert_eq!(filled[[1, 1]], 4.0); // raised to the notch, its spill level (m)
/// assert_eq!(filled[[2, 1]], 4.0); // the notch itself is unchanged
/// # Ok::<(), gep::terrain::TerrainError>(())
/// ```
pub fn fill_pits(dem: ArrayView2<f32>, nodata: Option<f32>) -> Result<Array2<f32>, TerrainError> {
    let (dims, data, test) = check_elevations("dem", &dem, nodata)?;
    let mut z: Vec<f32> = data.into_owned();
    let n = dims.len();
    // closed[i]: the cell's final level is known (or it is nodata).
    let mut closed = BitSet::new(n);
    let mut has_nodata = false;
    for (i, &v) in z.iter().enumerate() {
        if test.is(v) {
            closed.set(i);
            has_nodata = true;
        }
    }
    let mut heap = RadixHeap::new();
    let mut pit: VecDeque<u32> = VecDeque::new();

    // Seed: valid cells with an off-raster or nodata neighbour (only the border when the DEM
    // has no nodata).
    let (rows, cols) = (dims.rows, dims.cols);
    for i in 0..n {
        let (r, c) = dims.row_col(i);
        let border = r == 0 || c == 0 || r + 1 == rows || c + 1 == cols;
        if !(border || has_nodata) || closed.get(i) {
            continue;
        }
        let outlet =
            border || (0..8).any(|k| dims.neighbor(r, c, k).is_some_and(|j| test.is(z[j])));
        if outlet {
            closed.set(i);
            heap.push(sortable(z[i]), i);
        }
    }

    let mut upslope: Vec<u32> = Vec::new();
    loop {
        let (zi, i) = if let Some(i) = pit.pop_front() {
            (z[i as usize], i as usize)
        } else if let Some((key, i)) = heap.pop() {
            (unsortable(key), i)
        } else {
            break;
        };
        let (r, c) = dims.row_col(i);
        for k in 0..8 {
            let Some(j) = dims.neighbor(r, c, k) else {
                continue;
            };
            if closed.get(j) {
                continue;
            }
            closed.set(j);
            if z[j] <= zi {
                z[j] = zi;
                pit.push_back(j as u32);
            } else {
                trace_upslope(j, dims, &z, &mut closed, &mut upslope, &mut heap);
            }
        }
    }
    into_array("dem", dims, z)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terrain::synthetic::hilly_dem;
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    /// Plain priority-flood with a binary heap (Barnes et al. 2014, Algorithm 1), the reference.
    fn reference_fill(dem: &Array2<f32>, nd: f32) -> Array2<f32> {
        let (rows, cols) = dem.dim();
        let dims = Dims { rows, cols };
        let mut z: Vec<f32> = dem.iter().copied().collect();
        let mut closed: Vec<bool> = z.iter().map(|&v| v == nd).collect();
        let mut heap = BinaryHeap::new();
        for i in 0..dims.len() {
            let (r, c) = dims.row_col(i);
            let outlet = (0..8).any(|k| dims.neighbor(r, c, k).is_none_or(|j| z[j] == nd));
            if !closed[i] && outlet {
                closed[i] = true;
                heap.push(Reverse((sortable(z[i]), i)));
            }
        }
        while let Some(Reverse((_, i))) = heap.pop() {
            let (r, c) = dims.row_col(i);
            for k in 0..8 {
                if let Some(j) = dims.neighbor(r, c, k) {
                    if !closed[j] {
                        closed[j] = true;
                        z[j] = z[j].max(z[i]);
                        heap.push(Reverse((sortable(z[j]), j)));
                    }
                }
            }
        }
        Array2::from_shape_vec((rows, cols), z).unwrap()
    }

    #[test]
    fn same_as_plain_priority_flood_on_synthetic_dems_with_holes() {
        for seed in 0..6 {
            let mut dem = hilly_dem(37 + seed as usize, 53, seed);
            for r in 10..14 {
                for c in (5 * seed as usize)..(5 * seed as usize + 7) {
                    dem[[r, c]] = -1.0;
                }
            }
            let filled = fill_pits(dem.view(), Some(-1.0)).unwrap();
            assert_eq!(filled, reference_fill(&dem, -1.0), "seed {seed}");
        }
    }
}
