//! Pit filling by priority-flood (Barnes, Lehman & Mulla 2014, "Priority-Flood+").

use ndarray::{Array2, ArrayView2};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use super::{check_elevations, into_array, TerrainError};

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
/// flats ("Priority-Flood+", Barnes et al. 2014, *Computers & Geosciences* 62:117–127):
/// O(n log n) worst case, about 5 bytes per cell of working memory besides the output.
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
    let mut closed: Vec<bool> = z.iter().map(|&v| test.is(v)).collect();
    let mut heap: BinaryHeap<Reverse<u64>> = BinaryHeap::new();
    let mut pit: VecDeque<u32> = VecDeque::new();

    // Seed: valid cells with an off-raster or nodata neighbour.
    for i in 0..n {
        if closed[i] {
            continue;
        }
        let (r, c) = dims.row_col(i);
        let outlet = (0..8).any(|k| match dims.neighbor(r, c, k) {
            None => true,
            Some(j) => test.is(z[j]),
        });
        if outlet {
            closed[i] = true;
            heap.push(Reverse((u64::from(sortable(z[i])) << 32) | i as u64));
        }
    }

    loop {
        let i = if let Some(i) = pit.pop_front() {
            i as usize
        } else if let Some(Reverse(key)) = heap.pop() {
            (key & 0xFFFF_FFFF) as usize
        } else {
            break;
        };
        let zi = z[i];
        let (r, c) = dims.row_col(i);
        for k in 0..8 {
            let Some(j) = dims.neighbor(r, c, k) else {
                continue;
            };
            if closed[j] {
                continue;
            }
            closed[j] = true;
            if z[j] <= zi {
                z[j] = zi;
                pit.push_back(j as u32);
            } else {
                heap.push(Reverse((u64::from(sortable(z[j])) << 32) | j as u64));
            }
        }
    }
    into_array("dem", dims, z)
}
