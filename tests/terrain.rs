//! Terrain routines on small hand-worked DEMs (3×3 to 10×10, one row, one cell).
//!
//! Elevations are in m, cell sizes in m, flow accumulation in cells (counting the cell itself),
//! slopes in % unless a name says `deg`. Every expected value says where it comes from.

use approx::{assert_abs_diff_eq, assert_relative_eq};
use gep::terrain::*;
use ndarray::{array, Array2};

const ND: f32 = -9999.0;

// ---------------------------------------------------------------- pit filling

#[test]
fn fill_single_pit_rises_to_spill_level_m() {
    // Hand-worked: the 1 m pit is enclosed by 5 m cells except the 4 m notch at (2,1) on the
    // edge, so its spill level is 4 m; nothing else changes.
    let dem = array![[5.0_f32, 5.0, 5.0], [5.0, 1.0, 5.0], [5.0, 4.0, 5.0]];
    let filled = fill_pits(dem.view(), None).unwrap();
    let mut expected = dem.clone();
    expected[[1, 1]] = 4.0;
    assert_eq!(filled, expected);
}

#[test]
fn fill_nested_depression_to_outer_spill_level_m() {
    // Hand-worked 5×5: two sub-pits (1 m and 2 m) separated by a 3 m saddle, inside a 6 m rim
    // whose lowest point is the 5 m notch at (0,2). Both sub-pits and the saddle fill to 5 m.
    let dem = array![
        [6.0_f32, 6.0, 5.0, 6.0, 6.0],
        [6.0, 1.0, 3.0, 2.0, 6.0],
        [6.0, 4.0, 3.0, 4.0, 6.0],
        [6.0, 4.5, 4.0, 4.5, 6.0],
        [6.0, 6.0, 6.0, 6.0, 6.0]
    ];
    let filled = fill_pits(dem.view(), None).unwrap();
    for r in 1..4 {
        for c in 1..4 {
            assert_eq!(filled[[r, c]], 5.0, "cell ({r},{c})");
        }
    }
    assert_eq!(filled[[0, 2]], 5.0);
    assert_eq!(filled[[4, 4]], 6.0);
}

#[test]
fn fill_nodata_hole_is_an_outlet_and_keeps_its_value() {
    // Hand-worked: the 1 m cell at (1,1) touches the nodata cell (2,2), which is an outlet, so it
    // is not a pit and stays 1 m; the nodata cell keeps −9999.
    let dem = array![
        [5.0_f32, 5.0, 5.0, 5.0],
        [5.0, 1.0, 5.0, 5.0],
        [5.0, 5.0, ND, 5.0],
        [5.0, 5.0, 5.0, 5.0]
    ];
    let filled = fill_pits(dem.view(), Some(ND)).unwrap();
    assert_eq!(filled, dem);
}

#[test]
fn fill_leaves_flats_edges_single_cell_and_one_row_alone() {
    let flat = Array2::from_elem((4, 4), 7.0_f32);
    assert_eq!(fill_pits(flat.view(), None).unwrap(), flat);
    let one = array![[3.0_f32]];
    assert_eq!(fill_pits(one.view(), None).unwrap(), one);
    // In one row every cell is on the edge: nothing is a pit.
    let row = array![[3.0_f32, 1.0, 3.0, 0.5, 2.0]];
    assert_eq!(fill_pits(row.view(), None).unwrap(), row);
}

#[test]
fn fill_is_idempotent_and_never_lowers_on_synthetic_10x10() {
    let dem = synthetic::hilly_dem(10, 10, 3);
    let filled = fill_pits(dem.view(), None).unwrap();
    assert!(filled.iter().zip(dem.iter()).all(|(f, d)| f >= d));
    assert_eq!(fill_pits(filled.view(), None).unwrap(), filled);
    // After filling, every cell has a D8 direction (no undrained pit is left).
    let dirs = flow_dir_d8(filled.view(), None).unwrap();
    assert!(dirs.iter().all(|&d| d <= 7));
}

// ---------------------------------------------------------------- D8

#[test]
fn d8_steepest_descent_divides_diagonal_drop_by_sqrt2() {
    // Centre 5 m: E drops 1 m; SE drops 2 m → 2/√2 = 1.414 > 1, so SE (7).
    let dem = array![[9.0_f32, 9.0, 9.0], [9.0, 5.0, 4.0], [9.0, 9.0, 3.0]];
    assert_eq!(flow_dir_d8(dem.view(), None).unwrap()[[1, 1]], 7);
    // SE drops 1.4 m → 1.4/√2 = 0.990 < 1: E (0) wins.
    let dem = array![[9.0_f32, 9.0, 9.0], [9.0, 5.0, 4.0], [9.0, 9.0, 3.6]];
    assert_eq!(flow_dir_d8(dem.view(), None).unwrap()[[1, 1]], 0);
    // Tie between E and N (1 m each): the lowest code, E (0), wins.
    let dem = array![[9.0_f32, 4.0, 9.0], [9.0, 5.0, 4.0], [9.0, 9.0, 9.0]];
    assert_eq!(flow_dir_d8(dem.view(), None).unwrap()[[1, 1]], 0);
}

#[test]
fn d8_one_row_flat_is_routed_to_its_drain() {
    // Hand-worked: cells 0..=3 at 5 m form a flat; cell 3 has the lower cell 4 east of it and
    // is the drain; the others are routed east along the shortest path. Cell 4 (no lower
    // neighbour, on the edge) drains off the raster through its first off-raster neighbour in
    // direction order, east (0), which is orthogonal and so final.
    let dem = array![[5.0_f32, 5.0, 5.0, 5.0, 4.0]];
    let dirs = flow_dir_d8(dem.view(), None).unwrap();
    assert_eq!(dirs.row(0).to_vec(), vec![0, 0, 0, 0, 0]);
    let fa = flow_accumulation_d8(dirs.view(), None).unwrap();
    assert_eq!(fa.row(0).to_vec(), vec![1.0, 2.0, 3.0, 4.0, 5.0]); // cells
}

#[test]
fn d8_flat_3x3_drains_to_edge_like_pygeoprocessing() {
    // Hand-worked from pygeoprocessing's algorithm: a 3×3 flat has no lower cell, so its edge
    // cells are nodata drains (first off-raster neighbour in direction order, an orthogonal one
    // overriding a diagonal one), and the centre is routed to the drain it is closest to,
    // first reached through (0,0) (distance √2, NW) then improved through (0,1) (distance 1, N).
    // E.g. (0,0): E is inside, NE off (diagonal, 1), N off (orthogonal, 2) → 2; (0,2): E off → 0;
    // (2,1): SW off (5), then S off (6) → 6.
    let dem = Array2::from_elem((3, 3), 5.0_f32);
    let dirs = flow_dir_d8(dem.view(), None).unwrap();
    assert_eq!(dirs, array![[2, 2, 0], [4, 2, 0], [4, 6, 0]]);
}

#[test]
fn d8_nodata_and_unfilled_pit() {
    // A nodata cell gets 128; a cell whose only lower neighbours... an unfilled pit (1 m, all
    // neighbours higher and no edge contact) gets 128 too, and its neighbours point to it.
    let dem = array![
        [9.0_f32, 9.0, 9.0, 9.0],
        [9.0, 1.0, 9.0, 9.0],
        [9.0, 9.0, 9.0, ND],
        [9.0, 9.0, 9.0, 9.0]
    ];
    let dirs = flow_dir_d8(dem.view(), Some(ND)).unwrap();
    assert_eq!(dirs[[2, 3]], D8_NODATA);
    assert_eq!(dirs[[1, 1]], D8_NODATA);
    assert_eq!(dirs[[1, 2]], 4); // west into the pit (drop 8 m)
    assert_eq!(dirs[[2, 2]], 3); // north-west into the pit (8/√2 m)
}

// ---------------------------------------------------------------- MFD

#[test]
fn mfd_weights_are_drops_over_sqrt2_quantised_to_4_bits() {
    // Centre 5 m: E drops 1 m, SE drops 2 m → 2/√2 = 1.41421; Σ = 2.41421.
    // E: 1/2.41421·15 = 6.213 → 6; SE: 1.41421/2.41421·15 = 8.787 → 9 (hand-worked).
    let dem = array![[9.0_f32, 9.0, 9.0], [9.0, 5.0, 4.0], [9.0, 9.0, 3.0]];
    let dirs = flow_dir_mfd(dem.view(), None).unwrap();
    let v = dirs[[1, 1]];
    assert_eq!(v, 6 | (9 << 28));
    assert_eq!(mfd_weight(v, 0), 6);
    assert_eq!(mfd_weight(v, 7), 9);
}

#[test]
fn mfd_edge_drain_shares_with_all_off_raster_neighbours() {
    // Row [5,5,5,4]: cells 0..=2 are a flat draining to cell 2 (E, 15); cell 3 (4 m) has no
    // lower neighbour and drains off the raster. Its off-raster weights are 1 (E, N, S) and 1/√2
    // (NE, NW, SW, SE): Σ = 5.8284; orthogonal 15/5.8284 = 2.574 → 3, diagonal 1.820 → 2.
    let dem = array![[5.0_f32, 5.0, 5.0, 4.0]];
    let dirs = flow_dir_mfd(dem.view(), None).unwrap();
    assert_eq!(dirs[[0, 0]], 0xF);
    assert_eq!(dirs[[0, 1]], 0xF);
    assert_eq!(dirs[[0, 2]], 0xF);
    let w: Vec<u32> = (0..8).map(|k| mfd_weight(dirs[[0, 3]], k)).collect();
    assert_eq!(w, vec![3, 2, 3, 2, 0, 2, 3, 2]);
    let fa = flow_accumulation_mfd(dirs.view(), None).unwrap();
    assert_eq!(fa.row(0).to_vec(), vec![1.0, 2.0, 3.0, 4.0]); // cells
}

#[test]
fn mfd_accumulation_splits_by_quantised_share() {
    // Hand-built flow field (only three cells have flow): the centre sends 6 (of 15) east and
    // 9 south-east, the weights of the DEM test above; the E cell sends all south to the SE
    // corner, which sends all east off the raster. FA(E) = 1 + 6/15 = 1.4 cells;
    // FA(SE) = 1 + 1.4 + 9/15 = 3.0 cells (hand-worked).
    let dirs = array![[0_u32, 0, 0], [0, 6 | (9 << 28), 0xF << 24], [0, 0, 0xF]];
    let fa = flow_accumulation_mfd(dirs.view(), None).unwrap();
    assert_eq!(fa[[1, 1]], 1.0);
    assert_relative_eq!(fa[[1, 2]], 1.4, max_relative = 1e-12);
    assert_relative_eq!(fa[[2, 2]], 3.0, max_relative = 1e-12);
    assert_eq!(fa[[0, 0]], FLOW_ACCUM_NODATA);
    // Conservation: all 3 cells leave through the corner.
    assert_relative_eq!(mfd_outflow(&dirs, &fa), 3.0, max_relative = 1e-12);
}

/// Flow leaving the system at cell `i`: its accumulation times the share of its MFD weights
/// pointing off the raster or into a cell without flow direction.
fn mfd_outflow(dirs: &Array2<u32>, fa: &Array2<f64>) -> f64 {
    let (rows, cols) = dirs.dim();
    let offs = [
        (0, 1),
        (-1, 1),
        (-1, 0),
        (-1, -1),
        (0, -1),
        (1, -1),
        (1, 0),
        (1, 1),
    ];
    let mut out = 0.0;
    for r in 0..rows {
        for c in 0..cols {
            let v = dirs[[r, c]];
            if v == MFD_NODATA {
                continue;
            }
            let total: u32 = (0..8).map(|k| mfd_weight(v, k)).sum();
            let mut lost = 0;
            for (k, (dr, dc)) in offs.iter().enumerate() {
                let (nr, nc) = (r as isize + dr, c as isize + dc);
                let inside = nr >= 0 && nc >= 0 && (nr as usize) < rows && (nc as usize) < cols;
                if !inside || dirs[[nr as usize, nc as usize]] == MFD_NODATA {
                    lost += mfd_weight(v, k);
                }
            }
            out += fa[[r, c]] * f64::from(lost) / f64::from(total);
        }
    }
    out
}

#[test]
fn mfd_accumulation_conserves_mass_on_synthetic_dem_with_hole() {
    // Σ over outlets of outflow = number of valid cells: every cell's unit of water leaves the
    // raster exactly once. Tolerance 1e-9 relative: f64 sums over ~2000 cells.
    let mut dem = synthetic::hilly_dem(40, 50, 11);
    for r in 15..19 {
        for c in 20..26 {
            dem[[r, c]] = ND;
        }
    }
    let valid = dem.iter().filter(|&&v| v != ND).count() as f64;
    let filled = fill_pits(dem.view(), Some(ND)).unwrap();
    let dirs = flow_dir_mfd(filled.view(), Some(ND)).unwrap();
    assert_eq!(
        dirs.iter().filter(|&&v| v != MFD_NODATA).count() as f64,
        valid
    );
    let fa = flow_accumulation_mfd(dirs.view(), None).unwrap();
    assert_relative_eq!(mfd_outflow(&dirs, &fa), valid, max_relative = 1e-9);
}

// ---------------------------------------------------------------- accumulation, streams

#[test]
fn weighted_accumulation_d8_and_mfd() {
    // Row draining east, weights 0.5, NaN (counts 0), 2: running sums 0.5, 0.5, 2.5.
    let dem = array![[3.0_f32, 2.0, 1.0]];
    let w = array![[0.5_f32, f32::NAN, 2.0]];
    let d8 = flow_dir_d8(dem.view(), None).unwrap();
    let fa = flow_accumulation_d8(d8.view(), Some(w.view())).unwrap();
    assert_eq!(fa.row(0).to_vec(), vec![0.5, 0.5, 2.5]);
    let mfd = flow_dir_mfd(dem.view(), None).unwrap();
    let fa = flow_accumulation_mfd(mfd.view(), Some(w.view())).unwrap();
    assert_eq!(fa.row(0).to_vec(), vec![0.5, 0.5, 2.5]);
}

#[test]
fn accumulation_nodata_cells() {
    let dirs = array![[0_u8, D8_NODATA, 4]];
    let fa = flow_accumulation_d8(dirs.view(), None).unwrap();
    // Cells 0 and 2 both point into the nodata cell: each is an outlet of 1 cell.
    assert_eq!(fa.row(0).to_vec(), vec![1.0, FLOW_ACCUM_NODATA, 1.0]);
    assert_eq!(
        streams_d8(fa.view(), 0.5).unwrap().row(0).to_vec(),
        vec![1, STREAM_NODATA, 1]
    );
}

#[test]
fn streams_d8_threshold_is_strict() {
    let fa = array![[1.0_f64, 5.0, 5.000001, 9.0]];
    assert_eq!(
        streams_d8(fa.view(), 5.0).unwrap().row(0).to_vec(),
        vec![0, 0, 1, 1]
    );
}

#[test]
fn streams_mfd_traces_from_outlets_with_tentative_cells() {
    // Hand-built 3×3 flow field (not from a DEM): A (0,1) splits 8/8 to S (B) and SW (C);
    // B (1,1) flows S to O (2,1), which flows off the raster; C (1,0) flows off to the west.
    // FA: A 10, B 6, C 6, O 7; other cells have no flow. Threshold 7, trace 0.7 → 4.9:
    // O is an outlet stream; B (6) is tentative; A (10 ≥ 7) is a stream and promotes B.
    // C is below threshold and not traced (it is downstream of A). With trace 1.0, tracing
    // stops at B and A is never reached.
    let s6 = 0xF << 24;
    let dirs = array![
        [0_u32, (8 << 24) | (8 << 20), 0],
        [0xF << 16, s6, 0],
        [0, s6, 0]
    ];
    let nd = FLOW_ACCUM_NODATA;
    let fa = array![[nd, 10.0, nd], [6.0, 6.0, nd], [nd, 7.0, nd]];
    let s = streams_mfd(fa.view(), dirs.view(), 7.0, 0.7).unwrap();
    assert_eq!(s, array![[255, 1, 255], [0, 1, 255], [255, 1, 255]]);
    let s = streams_mfd(fa.view(), dirs.view(), 7.0, 1.0).unwrap();
    assert_eq!(s, array![[255, 0, 255], [0, 0, 255], [255, 1, 255]]);
}

// ---------------------------------------------------------------- slope

#[test]
fn slope_plane_is_uniform_pct_including_edges() {
    // z rises 1 m per 10 m cell eastwards: 10 % everywhere (edges use pygeoprocessing's
    // substitutions, which are exact on a plane).
    let dem = Array2::from_shape_fn((4, 5), |(_, c)| c as f32);
    let s = slope_percent(dem.view(), None, CellSize::square(10.0).unwrap()).unwrap();
    for v in s.iter() {
        assert_abs_diff_eq!(*v, 10.0, epsilon = 1e-5);
    }
}

#[test]
fn slope_hand_worked_3x3_with_nodata_and_corner_pct() {
    let dem = array![[1.0_f32, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]];
    let cell = CellSize::square(10.0).unwrap();
    let s = slope_percent(dem.view(), None, cell).unwrap();
    // Centre: dz/dx = [(1−3) + 2(4−6) + (7−10)]/(8·10) = −9/80; dz/dy = [(1−7) + 2(2−8) +
    // (3−10)]/80 = −25/80; 100·√(81+625)/80 = 33.2133256 %.
    assert_relative_eq!(s[[1, 1]], 33.213_326, max_relative = 1e-6);
    // Corner (0,2), e = 3: x: middle row d only → 2(d−e) = −2 (w 2), bottom row g,h → g−h = −1
    // (w 1): −3/(3·10); y: left column d,g → d−g = −3 (w 1), middle column h only → 2(e−h) =
    // −6 (w 2): −9/(3·10); 100·√(0.01 + 0.09) = 31.6227766 %.
    assert_relative_eq!(s[[0, 2]], 31.622_776, max_relative = 1e-6);
    // With c = (0,2) nodata, the centre: top row a,b → a−b = −1 (w 1): dz/dx = −8/70;
    // right column f,i → f−i = −4 (w 1): dz/dy = −22/70; 100·√(64+484)/70 = 33.4419997 %.
    let mut holed = dem.clone();
    holed[[0, 2]] = ND;
    let s = slope_percent(holed.view(), Some(ND), cell).unwrap();
    assert_relative_eq!(s[[1, 1]], 33.442, max_relative = 1e-6);
    assert_eq!(s[[0, 2]], SLOPE_NODATA);
}

#[test]
fn slope_sqrt2_substitution_when_only_a_corner_remains() {
    // Centre (1,1) = 5 with a, b, d nodata... only c (0,2) remains in the top row: (e − c)·√2.
    // Window: a=nd b=nd c=3 / d=nd e=5 f=5 / g=5 h=5 i=5 → x: top (5−3)·√2 (w 1), middle
    // 2(e−f) = 0 (w 2), bottom g−i = 0 (w 2): dz/dx = 2√2/(5·1); y: left g only → (e−g)·√2 = 0
    // (w 1), middle h only → 2(e−h) = 0 (w 2), right c−i = −2 (w 2): dz/dy = −2/5.
    // Slope = 100·√(8/25 + 4/25) = 69.282 % (hand-worked).
    let dem = array![[ND, ND, 3.0_f32], [ND, 5.0, 5.0], [5.0, 5.0, 5.0]];
    let s = slope_percent(dem.view(), Some(ND), CellSize::square(1.0).unwrap()).unwrap();
    assert_relative_eq!(
        s[[1, 1]],
        100.0 * (12.0_f32 / 25.0).sqrt(),
        max_relative = 1e-6
    );
}

#[test]
fn slope_rectangular_cells_single_cell_and_degrees() {
    // Plane rising 1 m per row southwards on 10 m × 20 m cells: dz/dy = 1/20 → 5 %.
    let dem = Array2::from_shape_fn((3, 3), |(r, _)| r as f32);
    let s = slope_percent(dem.view(), None, CellSize::new(10.0, 20.0).unwrap()).unwrap();
    assert_abs_diff_eq!(s[[1, 1]], 5.0, epsilon = 1e-5);
    // A single cell has no neighbours: 0 %.
    let one = array![[12.0_f32]];
    assert_eq!(
        slope_percent(one.view(), None, CellSize::square(30.0).unwrap()).unwrap()[[0, 0]],
        0.0
    );
    // 100 % → 45°.
    let ramp = array![[0.0_f32, 10.0, 20.0]];
    let deg = slope_degrees(ramp.view(), None, CellSize::square(10.0).unwrap()).unwrap();
    assert_abs_diff_eq!(deg[[0, 1]], 45.0, epsilon = 1e-4);
}

#[cfg(feature = "parallel")]
#[test]
fn slope_and_ls_do_not_depend_on_thread_count() {
    let dem = synthetic::hilly_dem(64, 48, 5);
    let cell = CellSize::square(30.0).unwrap();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let s = slope_percent(dem.view(), None, cell).unwrap();
            let fa = Array2::from_elem(dem.dim(), 10.0_f64);
            (
                s.clone(),
                ls_factor(s.view(), fa.view(), cell, &LsParams::default()).unwrap(),
            )
        })
    };
    assert_eq!(run(1), run(3));
}

// ---------------------------------------------------------------- LS

fn ls_one(slope_pct: f32, fa: f64, cell_m: f64, params: LsParams) -> f32 {
    let s = array![[slope_pct]];
    let a = array![[fa]];
    ls_factor(
        s.view(),
        a.view(),
        CellSize::square(cell_m).unwrap(),
        &params,
    )
    .unwrap()[[0, 0]]
}

#[test]
fn ls_invest_desmet_govers_hand_worked() {
    // Values evaluated step by step from InVEST's formula (METHODS/INVEST_MODELS §3):
    // S% = 2, FA = 101, 10 m: m = 0.3, A = √(100·100) = 100, L = 1.1454727, S = 0.2459568,
    // LS = 0.2817368.
    let p = LsParams::default();
    assert_relative_eq!(
        ls_one(2.0, 101.0, 10.0, p),
        0.281_736_8,
        max_relative = 1e-5
    );
    // S% = 0.5, FA = 5, 10 m: m = 0.2, A = 20, L = 0.9371515, S = 0.0839993, LS = 0.0787201.
    assert_relative_eq!(ls_one(0.5, 5.0, 10.0, p), 0.078_720_1, max_relative = 1e-5);
    // S% = 30, FA = 51, 10 m: m = β/(1+β) = 0.6580849, A = 70.71068, L = 0.9568012,
    // S = 16.8 sin θ − 0.5 = 4.3274445, LS = 4.1405040.
    assert_relative_eq!(ls_one(30.0, 51.0, 10.0, p), 4.140_504, max_relative = 1e-5);
    // Same cell with l_max = 0.5: L capped to 0.5, LS = 0.5·4.3274445 = 2.1637222.
    let capped = LsParams { l_max: 0.5, ..p };
    assert_relative_eq!(
        ls_one(30.0, 51.0, 10.0, capped),
        2.163_722,
        max_relative = 1e-5
    );
}

#[test]
fn ls_liu_steep_slope_variant() {
    let liu = LsParams {
        method: LsMethod::LiuSteepSlope,
        ..LsParams::default()
    };
    // S% = 30 → θ = 16.70° ≥ 10°: S = 21.91 sin θ − 0.96 = 5.3357922; L as above 0.9568012;
    // LS = 5.1052923 (InVEST's S would give 4.1405040).
    assert_relative_eq!(
        ls_one(30.0, 51.0, 10.0, liu),
        5.105_292,
        max_relative = 1e-5
    );
    // S% = 8.95 → θ = 5.114°: ≥ 5°, so Liu uses 16.8 sin θ − 0.5 = 0.9976138 while InVEST
    // (S% < 9) uses 10.8 sin θ + 0.03 = 0.9927517; L = 1.1176930 (FA = 1, 30 m).
    assert_relative_eq!(ls_one(8.95, 1.0, 30.0, liu), 1.115_026, max_relative = 1e-5);
    assert_relative_eq!(
        ls_one(8.95, 1.0, 30.0, LsParams::default()),
        1.109_592,
        max_relative = 1e-5
    );
    // S% = 12 → θ = 6.84°: both use 16.8 sin θ − 0.5; LS = 1.2497470.
    assert_relative_eq!(
        ls_one(12.0, 11.0, 10.0, liu),
        1.249_747,
        max_relative = 1e-5
    );
}

#[test]
fn ls_nodata_propagates() {
    let s = array![[SLOPE_NODATA, 5.0_f32, f32::NAN]];
    let fa = array![[1.0, FLOW_ACCUM_NODATA, 1.0]];
    let ls = ls_factor(
        s.view(),
        fa.view(),
        CellSize::square(30.0).unwrap(),
        &LsParams::default(),
    )
    .unwrap();
    assert_eq!(ls.row(0).to_vec(), vec![LS_NODATA; 3]);
}

// ---------------------------------------------------------------- downstream distance

#[test]
fn downstream_distance_d8_pixels_and_weights() {
    // 3×3, all cells flow towards the stream cell (2,2) at the corner: (1,1) diagonally (√2),
    // (0,0) → (1,1) diagonally (2√2); (2,1) east (1); (2,0) → (2,1) (2). (0,2) has no flow
    // path to a stream (it flows off the raster north): nodata.
    let dirs = array![[7_u8, 6, 2], [7, 7, 6], [0, 0, 0]];
    let streams = array![[0_u8, 0, 0], [0, 0, 0], [0, 0, 1]];
    let d = downstream_distance_d8(dirs.view(), streams.view(), None).unwrap();
    let r2 = std::f64::consts::SQRT_2;
    assert_relative_eq!(d[[1, 1]], r2);
    assert_relative_eq!(d[[0, 0]], 2.0 * r2);
    assert_eq!(d[[2, 0]], 2.0);
    assert_eq!(d[[0, 2]], DISTANCE_NODATA);
    assert_eq!(d[[2, 2]], 0.0);
    // With weights, each step costs the weight of the cell it starts from (InVEST 1/(W·S)):
    // (1,2) → (2,2): w(1,2) = 3; (0,1) → (1,1) → (2,2): 2 + 0.5.
    let w = array![[1.0_f32, 2.0, 9.0], [1.0, 0.5, 3.0], [1.0, 1.0, 1.0]];
    let d = downstream_distance_d8(dirs.view(), streams.view(), Some(w.view())).unwrap();
    assert_eq!(d[[1, 2]], 3.0);
    assert_eq!(d[[0, 1]], 2.5);
}

#[test]
fn downstream_distance_mfd_averages_over_neighbours_that_reach_a_stream() {
    // 2×3. X (0,0) sends 8 to E (0,1) and 8 to S (1,0). (0,1) flows E into the stream (0,2);
    // (1,0) flows W off the raster (never reaches a stream). Weights (downstream cells):
    // w(0,1) = 2, w(0,2) = 4. d(0,1) = w(0,2) + 0 = 4; d(X) over reaching neighbours only:
    // 8·(w(0,1) + 4)/8 = 6 (hand-worked per INVEST_MODELS §3 item 7); d(1,0) = nodata.
    let e = 0xF_u32;
    let w4 = 0xF << 16;
    let dirs = array![[8 | (8 << 24), e, 0], [w4, 0, 0]];
    let streams = array![[0_u8, 0, 1], [0, 0, 0]];
    let w = array![[1.0_f32, 2.0, 4.0], [1.0, 1.0, 1.0]];
    let d = downstream_distance_mfd(dirs.view(), streams.view(), Some(w.view())).unwrap();
    assert_eq!(
        d,
        array![
            [6.0, 4.0, 0.0],
            [DISTANCE_NODATA, DISTANCE_NODATA, DISTANCE_NODATA]
        ]
    );
    // Both branches reaching: make (1,0) flow E... into (1,1), a stream: d(1,0) = w(1,1) = 1;
    // d(X) = [8·(2 + 4) + 8·(1 + 1)]/16 = 4.
    let dirs = array![[8 | (8 << 24), e, 0], [e, 0, 0]];
    let streams = array![[0_u8, 0, 1], [0, 1, 0]];
    let d = downstream_distance_mfd(dirs.view(), streams.view(), Some(w.view())).unwrap();
    assert_eq!(d[[0, 0]], 4.0);
    assert_eq!(d[[1, 0]], 1.0);
}
