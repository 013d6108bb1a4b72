//! Layers and region statistics of the sample county for soil conservation, sand fixation,
//! flood regulation and the forest-standard water balance. Plausible for a humid subtropical
//! hilly county of southern China, not observed:
//!
//! * `r_mj_mm_per_ha_h_yr`: rainfall erosivity ≈ 3.6 × P (≈ 5 000–7 500 MJ·mm/(ha·h·yr));
//! * `k_t_ha_h_per_ha_mj_mm`: erodibility of red and yellow soils, 0.020–0.045 (SI units);
//! * `ls_1`: the LS factor of `dem_m` (MFD routing, InVEST LS), as soil conservation computes
//!   it from the DEM, and `roughness_k_1` = cos(slope of `dem_m`), as sand fixation computes
//!   it, so that tiled runs can read both as layers;
//! * `wind_factor_m3_per_s3` (Σ U2 (U2 − 5)² N_d/N over a year): 5–60 (m/s)³, rising with
//!   elevation (few days above the 5 m/s threshold in the humid south); `soil_wetness_1`
//!   0.15–0.35; `snow_factor_1` 1 below 900 m, 0.97 above;
//! * `sand_pct` 20–45, `silt_pct` 25–40, `clay_pct` the rest; `om_pct` 1–4.5 (forest soils
//!   richer); `caco3_pct` 0.05–0.35 (acid red soils); `veg_cover_pct` by class (forest 80–95,
//!   bare land ≈ 5);
//! * `storm_precip_mm` = 30 % of annual precipitation (rain on days ≥ 50 mm);
//!   `storm_runoff_mm` = storm rain × a class coefficient (forest 0.18 … built-up 0.75);
//! * `runoff_mm`: annual surface runoff = P × a class coefficient (forest 0.06 … built-up 0.6).
//!
//! Region statistics (townships): the reservoir's capacity, 2.2 × 10⁷ m³ (≈ 1.9 km² at a mean
//! depth of ≈ 12 m), on the township holding its centre; small reservoirs of 0.3–1.2 × 10⁶ m³
//! in three other townships; one 0.25 km² lake turned over twice a year.

use super::{Cell, Generator, LAND_COVER_NODATA, LAYER_NODATA};
use ndarray::ArrayView2;

use crate::error::{GepError, LandscapeError};
use crate::landscape::{GridShape, LandscapeBuilder};
use crate::services::{ls_factor_from_dem, FlowRouting};
use crate::terrain::{slope_degrees, CellSize, LsParams, LS_NODATA, SLOPE_NODATA};

/// Per-cell values of the extra layers.
pub(super) struct Extra {
    values: [f32; N_EXTRA],
}

const N_EXTRA: usize = 14;
const NAMES: [&str; N_EXTRA] = [
    "r_mj_mm_per_ha_h_yr",
    "k_t_ha_h_per_ha_mj_mm",
    "wind_factor_m3_per_s3",
    "soil_wetness_1",
    "snow_factor_1",
    "sand_pct",
    "silt_pct",
    "clay_pct",
    "om_pct",
    "caco3_pct",
    "veg_cover_pct",
    "storm_precip_mm",
    "storm_runoff_mm",
    "runoff_mm",
];

impl Generator {
    /// The extra layers of the cell at (row, col), given its base values.
    pub(super) fn extra(&self, row: usize, col: usize, c: &Cell) -> Extra {
        if c.code == LAND_COVER_NODATA {
            return Extra {
                values: [LAYER_NODATA; N_EXTRA],
            };
        }
        let x = (col as f64 + 0.5) / self.cols;
        let y = (row as f64 + 0.5) / self.rows;
        let (xk, yk) = (x * 15.0, y * 18.0);
        let n = |layer: u64, scale: f64| self.noise(layer, xk / scale, yk / scale, 2);
        let dem = f64::from(c.dem_m);
        let precip = f64::from(c.precip_mm);
        let r = 3.6 * precip * (0.9 + 0.2 * n(20, 5.0));
        let k = 0.020 + 0.025 * n(21, 2.0);
        let wf = 5.0 + 40.0 * (dem / 1300.0).clamp(0.0, 1.0) + 15.0 * n(22, 6.0);
        let sw = 0.15 + 0.2 * n(23, 4.0);
        let sd = if dem > 900.0 { 0.97 } else { 1.0 };
        let sand = 20.0 + 25.0 * n(24, 2.5);
        let silt = 25.0 + 15.0 * n(25, 2.5);
        let clay = 100.0 - sand - silt;
        let forest = matches!(c.code, 11..=14);
        let om = if forest { 2.5 } else { 1.0 } + 2.0 * n(26, 1.5);
        let caco3 = 0.05 + 0.3 * n(27, 3.0);
        let (cover, storm_runoff, runoff) = match c.code {
            11..=14 => (80.0 + 15.0 * n(28, 1.0), 0.18, 0.06),
            21 => (60.0 + 20.0 * n(28, 1.0), 0.25, 0.08),
            31 => (50.0 + 20.0 * n(28, 1.0), 0.30, 0.12),
            41 => (60.0, 0.0, 0.0),
            42 => (0.0, 0.0, 0.0),
            51 | 52 => (35.0 + 20.0 * n(28, 1.0), 0.45, 0.2),
            61 => (10.0, 0.75, 0.6),
            _ => (5.0, 0.6, 0.3),
        };
        let storm = 0.3 * precip;
        let v = [
            r,
            k,
            wf,
            sw,
            sd,
            sand,
            silt,
            clay,
            om,
            caco3,
            cover,
            storm,
            storm * storm_runoff,
            precip * runoff,
        ];
        Extra {
            values: v.map(|x| x as f32),
        }
    }

    /// Township of the reservoir's centre.
    fn reservoir_township(&self) -> u32 {
        let row = (0.22 * self.rows) as usize;
        let col = (0.27 * self.cols) as usize;
        self.cell(row, col).township
    }
}

/// Adds the extra layers (and `ls_1` from the DEM) to the builder.
pub(super) fn add_layers(
    mut builder: LandscapeBuilder,
    grid: &GridShape,
    cells: &[Cell],
    extras: &[Extra],
) -> Result<LandscapeBuilder, GepError> {
    for (k, name) in NAMES.iter().enumerate() {
        builder = builder.layer(
            *name,
            extras.iter().map(|e| e.values[k]).collect(),
            Some(LAYER_NODATA),
        );
    }
    let dem: Vec<f32> = cells.iter().map(|c| c.dem_m).collect();
    let ls = ls_factor_from_dem(
        grid,
        &dem,
        Some(LAYER_NODATA),
        FlowRouting::Mfd,
        &LsParams::default(),
    )?;
    let ls = ls
        .into_iter()
        .map(|v| if v == LS_NODATA { LAYER_NODATA } else { v })
        .collect();
    let view = ArrayView2::from_shape(grid.dim(), dem.as_slice()).map_err(|_| {
        LandscapeError::LengthMismatch {
            layer: "dem_m".into(),
            expected: grid.len(),
            len: dem.len(),
        }
    })?;
    let slope = slope_degrees(view, Some(LAYER_NODATA), CellSize::from_grid(grid))?;
    let roughness = slope
        .iter()
        .map(|&s| {
            if s == SLOPE_NODATA {
                LAYER_NODATA
            } else {
                f64::from(s).to_radians().cos() as f32
            }
        })
        .collect();
    Ok(builder.layer("ls_1", ls, Some(LAYER_NODATA)).layer(
        "roughness_k_1",
        roughness,
        Some(LAYER_NODATA),
    ))
}

/// Adds the flood-regulation region statistics (townships are regions `first_township..`).
pub(super) fn add_stats(
    builder: LandscapeBuilder,
    g: &Generator,
    n_regions: usize,
    first_township: usize,
) -> LandscapeBuilder {
    let township = |t: u32| first_township + t as usize;
    let res = g.reservoir_township();
    let mut capacity = vec![None; n_regions];
    capacity[township(res)] = Some(2.2e7);
    // Small reservoirs in three other townships (the first three that are not `res`).
    for (t, m3) in (0..8u32).filter(|&t| t != res).zip([1.2e6, 6.0e5, 3.0e5]) {
        capacity[township(t)] = Some(m3);
    }
    let mut lake_area = vec![None; n_regions];
    let mut lake_turnover = vec![None; n_regions];
    let lake_town = if res == 7 { 6 } else { 7 };
    lake_area[township(lake_town)] = Some(0.25);
    lake_turnover[township(lake_town)] = Some(2.0);
    let src = "sample county (fictional, plausible values)";
    builder
        .region_stat("reservoir_capacity_m3", capacity, src)
        .region_stat("lake_area_km2", lake_area, src)
        .region_stat("lake_turnover_per_yr", lake_turnover, src)
}
