//! A deterministic, realistic sample county for examples, docs, tests and benches.
//!
//! "Yunling County" is a fictional hilly subtropical county of southern China: a river valley
//! with paddies, dryland and towns, forested hills (evergreen broadleaf, Chinese-fir/Masson-pine
//! plantations, mixed and deciduous forest higher up), shrub on degraded ridges, grassy summits,
//! a reservoir, riverside marsh and a few quarries. Eight townships in three districts.
//!
//! Everything is a pure function of the cell position and the seed (lattice value noise from a
//! hash), so the same configuration gives bit-identical layers on any machine and thread count.
//! Values are plausible, not observed:
//! * `dem_m`: 60–1300 m; `precip_mm`: ≈1400–1950 mm/yr rising with elevation; `temp_c`:
//!   annual mean, 18.5 °C at sea level with a 6.2 °C/km lapse rate;
//! * `aet_mm`: actual ET by cover, 250–1000 mm/yr;
//! * `npp_gc_per_m2`: NPP by cover, 20–800 g C/m²/yr, with a few cloud-gap nodata patches;
//!   `npp_dm_g_per_m2` the same NPP as dry matter (÷ 72/162);
//! * `rh_gc_per_m2`: soil heterotrophic respiration from the model of Pei Zhiyong et al.
//!   (2010), `Rh = 0.22 (e^{0.0913 T} + ln(0.3145 R + 1)) × 30 × 46.5 %` per month \[R\], here
//!   applied to 12 mean months (R = P/12);
//! * `water_evap_mm`: open-water (pan-corrected) evaporation, ≈1050–1250 mm/yr falling with
//!   elevation, for climate regulation over water surfaces.
//!
//! Per-township statistics (illustrative, deterministic, plausible for a hilly subtropical
//! county; the county and district rows have no data): industrial SO₂/NOx/dust emissions
//! (`so2_emission_t`, `nox_emission_t`, `dust_emission_t`, t/yr; Shiqiao has no SO₂ figure,
//! so its SO₂ absorption is unvalued), pollutant loads to water (`cod_load_t`, `nh3n_load_t`,
//! `tn_load_t`, `tp_load_t`, t/yr), days above 26 °C (`hot_days`), days with relative
//! humidity below 45 % (`low_humidity_days`) and electricity use (`electricity_use_kwh`,
//! kWh/yr). SO₂ emissions are set so that the forest absorption cap binds in some townships
//! (emission below the forests' capacity) and not in others.
//! * the layers and region statistics of soil conservation, sand fixation, flood regulation
//!   and the forest-standard water balance, described in `sample/regulating_a.rs`
//!   (`r_mj_mm_per_ha_h_yr`, `k_t_ha_h_per_ha_mj_mm`, `ls_1`, the RWEQ layers, storm rain and
//!   runoff, `runoff_mm`; reservoir capacities and a lake per township).

use ndarray::Array1;

mod regulating_a;

use crate::error::GepError;
use crate::landscape::{Classification, GridShape, Landscape, LandscapeBuilder, Region, Regions};
use crate::units::C_PER_DRY_MATTER;

/// Land-cover code of cells outside the county.
pub const LAND_COVER_NODATA: i32 = 0;
/// Nodata value of the sample's f32 layers.
pub const LAYER_NODATA: f32 = -9999.0;

/// Size and seed of a generated county.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleConfig {
    /// Grid rows.
    pub rows: usize,
    /// Grid columns.
    pub cols: usize,
    /// Cell size in metres.
    pub cell_size_m: f64,
    /// Random seed.
    pub seed: u64,
}

impl SampleConfig {
    /// The sample county: 600 × 500 cells of 30 m (300 000 cells, 27 000 ha grid).
    pub fn county() -> Self {
        Self {
            rows: 600,
            cols: 500,
            cell_size_m: 30.0,
            seed: 2026,
        }
    }

    /// A 48 × 40 version at 375 m cells (same county, coarse), for doctests and quick tests.
    pub fn tiny() -> Self {
        Self {
            rows: 48,
            cols: 40,
            cell_size_m: 375.0,
            seed: 2026,
        }
    }

    /// A square-ish county of about `cells` 30 m cells (for benches at scale).
    pub fn with_cells(cells: usize) -> Self {
        let side = (cells as f64).sqrt().ceil().max(1.0) as usize;
        Self {
            rows: side,
            cols: cells.div_ceil(side).max(1),
            cell_size_m: 30.0,
            seed: 2026,
        }
    }
}

/// The generated county.
#[derive(Debug, Clone)]
pub struct SampleCounty {
    /// The landscape (a grid; units are cells).
    pub landscape: Landscape,
    /// The configuration it was made from.
    pub config: SampleConfig,
}

const TOWNSHIPS: [&str; 8] = [
    "Shangping",
    "Xiahe",
    "Dongling",
    "Xiling",
    "Zhutang",
    "Songkou",
    "Meiling",
    "Shiqiao",
];
const DISTRICTS: [&str; 3] = ["Beishan District", "Zhongyuan District", "Nanhe District"];

struct Cell {
    code: i32,
    township: u32,
    dem_m: f32,
    precip_mm: f32,
    temp_c: f32,
    aet_mm: f32,
    npp_gc_per_m2: f32,
    rh_gc_per_m2: f32,
    water_evap_mm: f32,
}

/// Per-township statistics, in [`TOWNSHIPS`] order:
/// (SO2 t, NOx t, dust t, COD t, NH3-N t, TN t, TP t, hot days, low-humidity days, kWh).
type TownshipStats = (Option<f64>, f64, f64, f64, f64, f64, f64, f64, f64, f64);

const TOWNSHIP_STATS: [TownshipStats; 8] = [
    (
        Some(640.0),
        910.0,
        2600.0,
        1850.0,
        190.0,
        380.0,
        46.0,
        104.0,
        24.0,
        1.6e8,
    ),
    (
        Some(35.0),
        120.0,
        310.0,
        420.0,
        41.0,
        95.0,
        11.0,
        96.0,
        28.0,
        3.1e7,
    ),
    (
        Some(410.0),
        560.0,
        1500.0,
        1100.0,
        120.0,
        240.0,
        29.0,
        101.0,
        25.0,
        9.5e7,
    ),
    (
        Some(20.0),
        70.0,
        180.0,
        260.0,
        27.0,
        60.0,
        7.0,
        88.0,
        31.0,
        2.2e7,
    ),
    (
        Some(890.0),
        1200.0,
        3100.0,
        2300.0,
        240.0,
        470.0,
        58.0,
        106.0,
        22.0,
        2.1e8,
    ),
    (
        Some(55.0),
        150.0,
        420.0,
        510.0,
        52.0,
        110.0,
        13.0,
        92.0,
        30.0,
        3.6e7,
    ),
    (
        Some(280.0),
        390.0,
        990.0,
        860.0,
        88.0,
        180.0,
        21.0,
        99.0,
        26.0,
        7.4e7,
    ),
    (None, 60.0, 160.0, 240.0, 25.0, 52.0, 6.0, 85.0, 33.0, 1.9e7),
];

impl SampleCounty {
    /// Generates the county for `config`.
    pub fn generate(config: &SampleConfig) -> Result<Self, GepError> {
        let grid = GridShape::with_geotransform(
            config.rows,
            config.cols,
            [
                500_000.0,
                config.cell_size_m,
                0.0,
                2_800_000.0,
                0.0,
                -config.cell_size_m,
            ],
        )?
        .with_epsg(32650);
        let n = grid.len();
        let g = Generator::new(config);
        let cells: Vec<Cell> = map_cells(n, |i| g.cell(i / config.cols, i % config.cols));
        let extras: Vec<regulating_a::Extra> =
            map_cells(n, |i| g.extra(i / config.cols, i % config.cols, &cells[i]));
        let nd = |valid: bool, v: f32| if valid { v } else { LAYER_NODATA };
        let col = |f: &dyn Fn(&Cell) -> f32| -> Array1<f32> { cells.iter().map(f).collect() };
        let mut regions = vec![Region::root("Yunling County", "county")];
        for d in DISTRICTS {
            regions.push(Region::child(d, "district", 0));
        }
        for (t, name) in TOWNSHIPS.iter().enumerate() {
            regions.push(Region::child(*name, "township", 1 + g.district_of[t]));
        }
        let stats = township_statistics(&cells, grid.cell_area_ha());
        let n_regions = regions.len();
        let builder = LandscapeBuilder::new(Classification::gep_default(), Regions::new(regions)?)
            .grid(grid.clone())
            .land_cover(cells.iter().map(|c| c.code).collect())
            .land_cover_nodata(LAND_COVER_NODATA)
            .region(
                cells
                    .iter()
                    .map(|c| 1 + DISTRICTS.len() as u32 + c.township)
                    .collect(),
            )
            .layer("dem_m", col(&|c| c.dem_m), Some(LAYER_NODATA))
            .layer("precip_mm", col(&|c| c.precip_mm), Some(LAYER_NODATA))
            .layer("temp_c", col(&|c| c.temp_c), Some(LAYER_NODATA))
            .layer("aet_mm", col(&|c| c.aet_mm), Some(LAYER_NODATA))
            .layer(
                "npp_gc_per_m2",
                col(&|c| c.npp_gc_per_m2),
                Some(LAYER_NODATA),
            )
            .layer(
                "npp_dm_g_per_m2",
                col(&|c| {
                    nd(
                        c.npp_gc_per_m2 != LAYER_NODATA,
                        (c.npp_gc_per_m2 as f64 / C_PER_DRY_MATTER) as f32,
                    )
                }),
                Some(LAYER_NODATA),
            )
            .layer("rh_gc_per_m2", col(&|c| c.rh_gc_per_m2), Some(LAYER_NODATA))
            .layer(
                "water_evap_mm",
                col(&|c| c.water_evap_mm),
                Some(LAYER_NODATA),
            );
        let n_rows = 1 + DISTRICTS.len();
        let stat = |f: &dyn Fn(&TownshipStats) -> Option<f64>| -> Vec<Option<f64>> {
            let mut v = vec![None; n_rows];
            v.extend(TOWNSHIP_STATS.iter().map(f));
            v
        };
        const SRC: &str = "illustrative values for the sample county (gep::sample), not observed";
        let builder = builder
            .region_stat("so2_emission_t", stat(&|t| t.0), SRC)
            .region_stat("nox_emission_t", stat(&|t| Some(t.1)), SRC)
            .region_stat("dust_emission_t", stat(&|t| Some(t.2)), SRC)
            .region_stat("cod_load_t", stat(&|t| Some(t.3)), SRC)
            .region_stat("nh3n_load_t", stat(&|t| Some(t.4)), SRC)
            .region_stat("tn_load_t", stat(&|t| Some(t.5)), SRC)
            .region_stat("tp_load_t", stat(&|t| Some(t.6)), SRC)
            .region_stat("hot_days", stat(&|t| Some(t.7)), SRC)
            .region_stat("low_humidity_days", stat(&|t| Some(t.8)), SRC)
            .region_stat("electricity_use_kwh", stat(&|t| Some(t.9)), SRC);
        let builder = regulating_a::add_layers(builder, &grid, &cells, &extras)?;
        let builder = regulating_a::add_stats(builder, &g, n_regions, 1 + DISTRICTS.len());
        let landscape = stats
            .into_iter()
            .fold(builder, |b, (name, values)| {
                b.region_stat(name, values, "illustrative sample statistics (gep::sample)")
            })
            .build()?;
        Ok(Self {
            landscape,
            config: config.clone(),
        })
    }
}

/// Illustrative yearbook-style statistics per region (index 0 county, 1–3 districts, 4–11
/// townships), derived from each township's land cover so that they scale with the county:
/// * `{farming,forestry,livestock,fishery}_output_yuan`: 32 000 yuan per ha of cropland,
///   1 800 per ha of forest, livestock 45 % of farming, 25 000 per ha of water and wetland —
///   the orders of magnitude of southern Chinese county yearbooks; Songkou township has no
///   fishery figure (unvalued, not zero);
/// * `water_supply_{domestic,industrial,agricultural}_m3`: 55 and 40 m³ per resident and year
///   (residents: 60 per ha built-up + 3 per ha cropland), 6 000 m³ per ha of paddy;
/// * `hydropower_kwh`: 4.5 × 10⁷ kWh for the county's reservoir station, given at county level;
/// * `nature_visits`: 15 000 per township + 12 per ha of forest, shrub and grassland;
/// * `population_persons`: the residents above (60 per ha built-up + 3 per ha cropland), persons;
/// * `gdp_yuan`: 45 000 yuan per resident (sample data, for GEP/GDP and per-capita
///   intensities; not observed).
fn township_statistics(cells: &[Cell], cell_ha: f64) -> Vec<(&'static str, Vec<Option<f64>>)> {
    let n_regions = 1 + DISTRICTS.len() + TOWNSHIPS.len();
    let mut area = vec![[0.0f64; 8]; TOWNSHIPS.len()];
    for c in cells {
        let slot = match c.code {
            11..=14 => 0,
            21 | 31 => 1,
            41 => 2,
            42 => 3,
            51 => 4,
            52 => 5,
            61 => 6,
            71 => 7,
            _ => continue,
        };
        area[c.township as usize][slot] += cell_ha;
    }
    let per_township = |f: &dyn Fn(usize, &[f64; 8]) -> Option<f64>| -> Vec<Option<f64>> {
        let mut v = vec![None; n_regions];
        for (t, a) in area.iter().enumerate() {
            v[1 + DISTRICTS.len() + t] = f(t, a);
        }
        v
    };
    let residents = |a: &[f64; 8]| 60.0 * a[6] + 3.0 * (a[4] + a[5]);
    let mut hydropower = vec![None; n_regions];
    hydropower[0] = Some(4.5e7);
    vec![
        (
            "farming_output_yuan",
            per_township(&|_, a| Some(32_000.0 * (a[4] + a[5]))),
        ),
        (
            "forestry_output_yuan",
            per_township(&|_, a| Some(1_800.0 * a[0])),
        ),
        (
            "livestock_output_yuan",
            per_township(&|_, a| Some(0.45 * 32_000.0 * (a[4] + a[5]))),
        ),
        (
            "fishery_output_yuan",
            per_township(&|t, a| (TOWNSHIPS[t] != "Songkou").then_some(25_000.0 * (a[2] + a[3]))),
        ),
        (
            "water_supply_domestic_m3",
            per_township(&|_, a| Some(55.0 * residents(a))),
        ),
        (
            "water_supply_industrial_m3",
            per_township(&|_, a| Some(40.0 * residents(a))),
        ),
        (
            "water_supply_agricultural_m3",
            per_township(&|_, a| Some(6_000.0 * a[4])),
        ),
        ("hydropower_kwh", hydropower),
        (
            "nature_visits",
            per_township(&|_, a| Some(15_000.0 + 12.0 * (a[0] + a[1]))),
        ),
        (
            "population_persons",
            per_township(&|_, a| Some(residents(a))),
        ),
        (
            "gdp_yuan",
            per_township(&|_, a| Some(45_000.0 * residents(a))),
        ),
    ]
}

#[cfg(feature = "parallel")]
fn map_cells<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    use rayon::prelude::*;
    (0..n).into_par_iter().map(f).collect()
}

#[cfg(not(feature = "parallel"))]
fn map_cells<T>(n: usize, f: impl Fn(usize) -> T) -> Vec<T> {
    (0..n).map(f).collect()
}

struct Generator {
    seed: u64,
    rows: f64,
    cols: f64,
    cell_km: f64,
    /// Township seats in normalised (x, y), and their urban radius in km.
    seats: Vec<(f64, f64, f64)>,
    district_of: Vec<u32>,
}

impl Generator {
    fn new(config: &SampleConfig) -> Self {
        let mut rng = SplitMix64(config.seed ^ 0x9E37_79B9_7F4A_7C15);
        let mut seats = Vec::new();
        while seats.len() < TOWNSHIPS.len() {
            let x = 0.12 + 0.76 * rng.next_f64();
            let y = 0.12 + 0.76 * rng.next_f64();
            if seats
                .iter()
                .all(|&(sx, sy, _): &(f64, f64, f64)| (sx - x).hypot(sy - y) > 0.18)
            {
                let r_km = if seats.is_empty() { 1.0 } else { 0.35 };
                seats.push((x, y, r_km));
            }
        }
        let mut by_x: Vec<usize> = (0..seats.len()).collect();
        by_x.sort_by(|&a, &b| seats[a].0.total_cmp(&seats[b].0));
        let mut district_of = vec![0u32; seats.len()];
        for (rank, &t) in by_x.iter().enumerate() {
            district_of[t] = (rank * DISTRICTS.len() / seats.len()) as u32;
        }
        Self {
            seed: config.seed,
            rows: config.rows as f64,
            cols: config.cols as f64,
            cell_km: config.cell_size_m / 1000.0,
            seats,
            district_of,
        }
    }

    fn noise(&self, layer: u64, x: f64, y: f64, octaves: u32) -> f64 {
        let (mut sum, mut amp, mut freq, mut norm) = (0.0, 1.0, 1.0, 0.0);
        for o in 0..octaves {
            sum += amp
                * value_noise(
                    self.seed.wrapping_add(layer * 1013 + o as u64),
                    x * freq,
                    y * freq,
                );
            norm += amp;
            amp *= 0.5;
            freq *= 2.03;
        }
        sum / norm
    }

    fn cell(&self, row: usize, col: usize) -> Cell {
        let x = (col as f64 + 0.5) / self.cols;
        let y = (row as f64 + 0.5) / self.rows;
        // The county's size in km sets the noise scale, so coarse and fine grids look alike.
        let width_km = self.cols * self.cell_km;
        let height_km = self.rows * self.cell_km;
        let (xk, yk) = (x * 15.0, y * 18.0);
        let boundary = 0.93 + 0.14 * (self.noise(1, xk / 6.0, yk / 6.0, 2) - 0.5);
        let d_edge = (((x - 0.5) / 0.5).abs().powi(3) + ((y - 0.5) / 0.5).abs().powi(3)).cbrt();
        let nearest = self
            .seats
            .iter()
            .enumerate()
            .map(|(t, &(sx, sy, r))| {
                let d_km = ((x - sx) * width_km).hypot((y - sy) * height_km);
                (d_km, t, r)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or((f64::INFINITY, 0, 0.0));
        if d_edge > boundary {
            return Cell {
                code: LAND_COVER_NODATA,
                township: nearest.1 as u32,
                dem_m: LAYER_NODATA,
                precip_mm: LAYER_NODATA,
                temp_c: LAYER_NODATA,
                aet_mm: LAYER_NODATA,
                npp_gc_per_m2: LAYER_NODATA,
                rh_gc_per_m2: LAYER_NODATA,
                water_evap_mm: LAYER_NODATA,
            };
        }
        let river_x = 0.5
            + 0.12 * (std::f64::consts::TAU * 1.3 * y).sin()
            + 0.05 * (std::f64::consts::TAU * 3.1 * y + 1.0).sin();
        let d_river_km = (x - river_x).abs() * width_km;
        let relief = self.noise(2, xk / 4.0, yk / 4.0, 5);
        let valley = 1.0 - (-(d_river_km / 2.5).powi(2)).exp();
        let relief = ((relief - 0.3) / 0.4).clamp(0.0, 1.0);
        let dem_m = 60.0 + 40.0 * y + valley * (120.0 + 1300.0 * relief.powf(1.1));
        let n_cover = self.noise(3, xk / 1.2, yk / 1.2, 3);
        let n_forest = self.noise(4, xk / 2.0, yk / 2.0, 3);
        let (rx, ry, rr) = (0.27, 0.22, 0.035);
        let in_reservoir = ((x - rx) / (rr * 1.8)).hypot((y - ry) / rr) < 1.0;
        let code = if d_river_km < 0.045 || in_reservoir {
            42
        } else if nearest.0 < nearest.2 * (0.8 + 0.5 * n_cover) {
            61
        } else if d_river_km < 0.25 && dem_m < 130.0 && n_cover > 0.55 {
            41
        } else if dem_m < 190.0 {
            if d_river_km < 1.6 {
                51
            } else {
                52
            }
        } else if dem_m < 330.0 && n_cover > 0.62 {
            52
        } else if self.noise(5, xk * 3.0, yk * 3.0, 2) > 0.80 && dem_m < 550.0 {
            71
        } else if dem_m > 980.0 && n_cover > 0.3 {
            31
        } else if n_cover > 0.70 {
            21
        } else if dem_m > 900.0 {
            14
        } else if dem_m > 650.0 && n_forest > 0.4 {
            13
        } else if n_forest > 0.52 {
            12
        } else {
            11
        };
        let n_clim = self.noise(6, xk / 8.0, yk / 8.0, 2) - 0.5;
        let precip_mm = 1380.0 + 0.45 * dem_m + 120.0 * n_clim;
        let temp_c = 18.5 - 0.0062 * dem_m;
        let n_et = self.noise(7, xk, yk, 2) - 0.5;
        let (aet_base, npp_base) = match code {
            11 => (820.0, 760.0),
            12 => (790.0, 660.0),
            13 => (780.0, 700.0),
            14 => (730.0, 610.0),
            21 => (700.0, 480.0),
            31 => (610.0, 380.0),
            41 => (900.0, 520.0),
            42 => (980.0, 40.0),
            51 => (760.0, 560.0),
            52 => (640.0, 470.0),
            61 => (330.0, 110.0),
            _ => (250.0, 20.0),
        };
        let aet_mm = aet_base * (1.0 - 0.00012 * (dem_m - 300.0)) + 60.0 * n_et;
        let npp = npp_base * (1.0 + 0.3 * n_et) * (1.0 - 0.00015 * (dem_m - 300.0).max(0.0));
        let cloud_gap = self.noise(8, xk * 2.0, yk * 2.0, 2) > 0.83;
        let rh = {
            let month = 0.22
                * ((0.0913 * temp_c).exp() + (0.3145 * precip_mm / 12.0 + 1.0).ln())
                * 30.0
                * 0.465;
            12.0 * month
        };
        Cell {
            code,
            township: nearest.1 as u32,
            dem_m: dem_m as f32,
            precip_mm: precip_mm as f32,
            temp_c: temp_c as f32,
            aet_mm: aet_mm as f32,
            npp_gc_per_m2: if cloud_gap { LAYER_NODATA } else { npp as f32 },
            rh_gc_per_m2: rh as f32,
            water_evap_mm: (1250.0 - 0.16 * (dem_m - 60.0) + 40.0 * n_clim) as f32,
        }
    }
}

/// Smoothly interpolated lattice noise in [0, 1).
fn value_noise(seed: u64, x: f64, y: f64) -> f64 {
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (sx, sy) = (fx * fx * (3.0 - 2.0 * fx), fy * fy * (3.0 - 2.0 * fy));
    let (ix, iy) = (x0 as i64, y0 as i64);
    let h = |dx: i64, dy: i64| lattice(seed, ix + dx, iy + dy);
    let top = h(0, 0) + sx * (h(1, 0) - h(0, 0));
    let bottom = h(0, 1) + sx * (h(1, 1) - h(0, 1));
    top + sy * (bottom - top)
}

fn lattice(seed: u64, ix: i64, iy: i64) -> f64 {
    let mut z = seed
        ^ (ix as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (iy as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// SplitMix64, a small deterministic generator (Steele, Lea & Flood 2014).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The land-use plan of the analysis examples, applied to a sample landscape: every 2nd
/// dryland (52) unit, counted in unit order, afforested as evergreen broadleaf forest (11),
/// and every 4th grassland (31) unit built up (61). Deterministic; only land cover changes
/// (the other layers are kept, see [`with_land_cover`](crate::analysis::scenario::with_land_cover)).
///
/// # Examples
/// ```
/// use gep::sample::{land_use_plan, SampleConfig, SampleCounty};
/// use gep::analysis::scenario::land_cover_codes;
/// let base = SampleCounty::generate(&SampleConfig::tiny())?.landscape;
/// let planned = land_use_plan(&base)?;
/// let (before, after) = (land_cover_codes(&base, 0), land_cover_codes(&planned, 0));
/// let forest = |c: &[i32]| c.iter().filter(|&&c| c == 11).count();
/// assert!(forest(&after) > forest(&before));
/// # Ok::<(), gep::GepError>(())
/// ```
pub fn land_use_plan(base: &Landscape) -> Result<Landscape, GepError> {
    use crate::analysis::scenario::{land_cover_codes, with_land_cover};
    let codes: Vec<i32> = land_cover_codes(base, 0)
        .into_iter()
        .enumerate()
        .map(|(i, c)| match c {
            52 if i % 2 == 0 => 11,
            31 if i % 4 == 0 => 61,
            c => c,
        })
        .collect();
    with_land_cover(base, &codes, 0)
}
