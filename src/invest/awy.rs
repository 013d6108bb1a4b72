//! Annual Water Yield exactly as InVEST 3.20.2 computes it (INVEST_MODELS.md §2): the
//! Fu/Budyko curve with Zhang's ω per cell, then means, volumes, demand, realised supply and
//! hydropower per (sub-)watershed.

use std::ops::Range;

use crate::error::InvestError;
use crate::io::Table;

use super::lookup::NO_ROW;

/// Nodata of every AWY output raster.
pub const AWY_NODATA: f32 = -1.0;

/// The biophysical table: per land-cover code, whether it is vegetated, its root depth (mm)
/// and its crop coefficient Kc.
#[derive(Debug, Clone, PartialEq)]
pub struct Biophysical {
    /// Land-cover codes (`lucode`).
    pub codes: Vec<i64>,
    /// `lulc_veg`: 1 = vegetated (Budyko curve), 0 = not (AET = min(Kc·ET0, P)).
    pub vegetated: Vec<bool>,
    /// `root_depth`, mm.
    pub root_depth_mm: Vec<f64>,
    /// `kc`, unitless.
    pub kc: Vec<f64>,
}

impl Biophysical {
    /// Reads `lucode, lulc_veg, root_depth, kc` from an InVEST biophysical table.
    pub fn from_table(table: &Table) -> Result<Self, InvestError> {
        let veg = table.column_i64("lulc_veg")?;
        if let Some(v) = veg.iter().find(|v| !matches!(v, 0 | 1)) {
            return Err(InvestError::Table {
                path: table.path().into(),
                line: None,
                message: format!("`lulc_veg` must be 0 or 1, found {v}"),
            });
        }
        Ok(Self {
            codes: table.index_i64("lucode")?,
            vegetated: veg.into_iter().map(|v| v == 1).collect(),
            root_depth_mm: table.column_f64("root_depth")?,
            kc: table.column_f64("kc")?,
        })
    }
}

/// Per-cell inputs of AWY, all on one grid: table rows (from
/// [`row_index`](super::row_index)), and the four rasters with their validity masks.
#[derive(Debug, Clone, Copy)]
pub struct AwyCells<'a> {
    /// Row of each cell in the biophysical table, or [`NO_ROW`].
    pub rows: &'a [u32],
    /// Annual precipitation P, mm, and its validity.
    pub precip_mm: (&'a [f32], &'a [bool]),
    /// Reference evapotranspiration ET0, mm, and its validity.
    pub eto_mm: (&'a [f32], &'a [bool]),
    /// Depth to root-restricting layer, mm, and its validity.
    pub soil_depth_mm: (&'a [f32], &'a [bool]),
    /// Plant available water content, fraction, and its validity.
    pub pawc: (&'a [f32], &'a [bool]),
}

/// Per-cell outputs (f32, nodata [`AWY_NODATA`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AwyMaps {
    /// AET / P, unitless.
    pub fractp: Vec<f32>,
    /// Actual evapotranspiration, mm.
    pub aet_mm: Vec<f32>,
    /// Water yield, mm.
    pub wyield_mm: Vec<f32>,
}

/// The fraction AET/P of one valid cell (P ≠ 0), computed in f64.
///
/// Vegetated: `ω = min(Z · min(root, soil) · PAWC / P + 1.25, 5)`, `φ = Kc·ET0/P`,
/// `fractp = min(φ, 1 + φ − (1 + φ^ω)^(1/ω))`. Not vegetated: `min(Kc·ET0, P) / P`.
///
/// # Examples
/// ```
/// // P = 1000 mm, ET0 = 1000 mm, Kc = 1, root 1000 mm, soil 2000 mm, PAWC 0.1, Z = 10:
/// // AWC = 100 mm, ω = 10·100/1000 + 1.25 = 2.25, φ = 1,
/// // fractp = 2 − 2^(1/2.25) = 2 − 1.360790… = 0.639210…
/// let f = gep::invest::fractp(true, 1.0, 1000.0, 1000.0, 1000.0, 2000.0, 0.1, 10.0);
/// assert!((f - (2.0 - 2f64.powf(1.0 / 2.25))).abs() < 1e-12);
/// ```
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn fractp(
    vegetated: bool,
    kc: f64,
    eto_mm: f64,
    precip_mm: f64,
    root_depth_mm: f64,
    soil_depth_mm: f64,
    pawc: f64,
    z: f64,
) -> f64 {
    let pet = kc * eto_mm;
    if vegetated {
        let awc = root_depth_mm.min(soil_depth_mm) * pawc;
        let omega = (awc / precip_mm * z + 1.25).min(5.0);
        let phi = pet / precip_mm;
        let fu = 1.0 + phi - (1.0 + phi.powf(omega)).powf(1.0 / omega);
        phi.min(fu)
    } else {
        pet.min(precip_mm) / precip_mm
    }
}

/// [`fractp`] in f32 arithmetic, as InVEST evaluates it on float32 rasters (numpy keeps
/// float32 when combining float32 arrays with Python scalars).
#[allow(clippy::too_many_arguments)]
#[inline]
fn fractp_f32(
    vegetated: bool,
    kc: f32,
    eto_mm: f32,
    precip_mm: f32,
    root_depth_mm: f32,
    soil_depth_mm: f32,
    pawc: f32,
    z: f32,
) -> f32 {
    let pet = kc * eto_mm;
    if vegetated {
        let awc = root_depth_mm.min(soil_depth_mm) * pawc;
        let omega = (awc / precip_mm * z + 1.25).min(5.0);
        let phi = pet / precip_mm;
        let fu = 1.0 + phi - (1.0 + phi.powf(omega)).powf(1.0 / omega);
        phi.min(fu)
    } else {
        pet.min(precip_mm) / precip_mm
    }
}

/// Computes fractp, AET and water yield for every cell, with seasonality constant `z`, in f32
/// arithmetic like InVEST. A cell is nodata when its LULC is nodata, any input is nodata, or
/// P is close to 0 (numpy `isclose(P, 0)`: |P| ≤ 1e-8). (PET = Kc·ET0 is not kept as a map:
/// [`zone_result`] recomputes it per cell.)
pub fn water_yield_maps(table: &Biophysical, cells: &AwyCells<'_>, z: f64) -> AwyMaps {
    let n = cells.rows.len();
    let mut maps = AwyMaps {
        fractp: vec![AWY_NODATA; n],
        aet_mm: vec![AWY_NODATA; n],
        wyield_mm: vec![AWY_NODATA; n],
    };
    let kc32: Vec<f32> = table.kc.iter().map(|&k| k as f32).collect();
    let root32: Vec<f32> = table.root_depth_mm.iter().map(|&r| r as f32).collect();
    let z32 = z as f32;
    // Fixed chunks of cells (independent of the thread count); each cell is a pure function
    // of its inputs, so the maps are identical with any number of threads.
    const CHUNK: usize = 1 << 16;
    let chunk = |k: usize, fr: &mut [f32], aet: &mut [f32], wy: &mut [f32]| {
        let base = k * CHUNK;
        for j in 0..fr.len() {
            let i = base + j;
            let row = cells.rows[i];
            if row == NO_ROW || !cells.eto_mm.1[i] {
                continue;
            }
            let r = row as usize;
            let (kc, eto) = (kc32[r], cells.eto_mm.0[i]);
            let p = cells.precip_mm.0[i];
            if !cells.precip_mm.1[i]
                || !cells.soil_depth_mm.1[i]
                || !cells.pawc.1[i]
                || (p as f64).abs() <= 1e-8
            {
                continue;
            }
            let f = fractp_f32(
                table.vegetated[r],
                kc,
                eto,
                p,
                root32[r],
                cells.soil_depth_mm.0[i],
                cells.pawc.0[i],
                z32,
            );
            fr[j] = f;
            aet[j] = f * p;
            wy[j] = (1.0 - f) * p;
        }
    };
    let AwyMaps {
        fractp: fr,
        aet_mm,
        wyield_mm,
    } = &mut maps;
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        fr.par_chunks_mut(CHUNK)
            .zip(aet_mm.par_chunks_mut(CHUNK))
            .zip(wyield_mm.par_chunks_mut(CHUNK))
            .enumerate()
            .for_each(|(k, ((a, b), c))| chunk(k, a, b, c));
    }
    #[cfg(not(feature = "parallel"))]
    {
        for (k, ((a, b), c)) in fr
            .chunks_mut(CHUNK)
            .zip(aet_mm.chunks_mut(CHUNK))
            .zip(wyield_mm.chunks_mut(CHUNK))
            .enumerate()
        {
            chunk(k, a, b, c);
        }
    }
    maps
}

/// Results of one (sub-)watershed. `None` = NULL (no valid cell, or not computed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ZoneResult {
    /// Mean precipitation over valid cells, mm.
    pub precip_mn: Option<f64>,
    /// Mean PET, mm.
    pub pet_mn: Option<f64>,
    /// Mean AET, mm.
    pub aet_mn: Option<f64>,
    /// Mean water yield, mm.
    pub wyield_mn: Option<f64>,
    /// Water yield volume `wyield_mn · polygon area / 1000`, m³/yr.
    pub wyield_vol: Option<f64>,
    /// Total demand, m³/yr.
    pub consum_vol: Option<f64>,
    /// Mean demand per pixel, m³/yr per pixel.
    pub consum_mn: Option<f64>,
    /// Realised supply `wyield_vol − consum_vol`, m³/yr.
    pub rsupply_vl: Option<f64>,
    /// `wyield_mn − consum_mn` (InVEST quirk: mm minus m³ per pixel).
    pub rsupply_mn: Option<f64>,
    /// Hydropower energy, kWh/yr.
    pub hp_energy: Option<f64>,
    /// Net present value of hydropower, currency.
    pub hp_val: Option<f64>,
}

/// Zonal results of one polygon holding the cells in the index ranges `cells`, of geometric
/// area `area_m2`, from the model inputs `inputs`, the biophysical table's Kc, the demand per
/// biophysical-table row (m³/yr per pixel; NaN = no demand value) if any, and the maps.
///
/// Validity per statistic, as InVEST's zonal statistics on each raster: P where P is valid;
/// PET = Kc·ET0 (f32) where LULC and ET0 are valid; AET and yield where not nodata (−1);
/// demand where LULC is valid.
pub fn zone_result(
    maps: &AwyMaps,
    inputs: &AwyCells<'_>,
    kc: &[f32],
    demand_by_row: Option<&[f32]>,
    cells: &[Range<usize>],
    area_m2: f64,
) -> ZoneResult {
    let mut acc = ZoneSums::default();
    acc.add(maps, inputs, kc, demand_by_row, cells);
    acc.result(area_m2, demand_by_row.is_some())
}

/// Running sums and counts of one zone — P, PET, AET, yield, demand — over cells added in
/// order; [`zone_result`] over blocks of cells.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ZoneSums {
    sum: [f64; 5],
    count: [u64; 5],
}

impl ZoneSums {
    /// Adds the cells of the index ranges `cells` (indices into this block's slices).
    pub(crate) fn add(
        &mut self,
        maps: &AwyMaps,
        inputs: &AwyCells<'_>,
        kc: &[f32],
        demand_by_row: Option<&[f32]>,
        cells: &[Range<usize>],
    ) {
        // One fused pass over the zone's cells: P, PET, AET, yield and demand sums and counts.
        let Self { sum, count } = self;
        let out_nd = AWY_NODATA as f64;
        let n = inputs.rows.len();
        let mut add = |k: usize, v: f32, valid: bool| {
            sum[k] += if valid { v as f64 } else { 0.0 };
            count[k] += valid as u64;
        };
        for span in cells {
            let s = span.start.min(n)..span.end.min(n);
            // Zipped slices of the span: no bounds checks in the loop.
            let cols = inputs.rows[s.clone()]
                .iter()
                .zip(&inputs.precip_mm.0[s.clone()])
                .zip(&inputs.precip_mm.1[s.clone()])
                .zip(&inputs.eto_mm.0[s.clone()])
                .zip(&inputs.eto_mm.1[s.clone()])
                .zip(&maps.aet_mm[s.clone()])
                .zip(&maps.wyield_mm[s]);
            for ((((((&row, &p), &p_ok), &e), &e_ok), &a), &w) in cols {
                let lulc_ok = row != NO_ROW;
                add(0, p, p_ok);
                if lulc_ok && e_ok {
                    add(1, kc[row as usize] * e, true);
                }
                add(2, a, !crate::io::is_nodata_f(a as f64, out_nd));
                add(3, w, !crate::io::is_nodata_f(w as f64, out_nd));
                if let (true, Some(d)) = (lulc_ok, demand_by_row) {
                    let v = d[row as usize];
                    add(4, v, !v.is_nan());
                }
            }
        }
    }

    /// The zone's results for a polygon of `area_m2`.
    pub(crate) fn result(&self, area_m2: f64, demand: bool) -> ZoneResult {
        let Self { sum, count } = self;
        let mean = |(s, n): (f64, u64)| (n > 0).then(|| s / n as f64);
        let [precip_mn, pet_mn, aet_mn, wyield_mn, _] =
            std::array::from_fn(|k| mean((sum[k], count[k])));
        let wyield_vol = wyield_mn.map(|m| m * area_m2 / 1000.0);
        let mut r = ZoneResult {
            precip_mn,
            pet_mn,
            aet_mn,
            wyield_mn,
            wyield_vol,
            ..ZoneResult::default()
        };
        if demand {
            let (s, n) = (sum[4], count[4]);
            if n > 0 {
                r.consum_vol = Some(s);
                r.consum_mn = Some(s / n as f64);
                r.rsupply_vl = r.wyield_vol.map(|w| w - s);
                r.rsupply_mn = r.wyield_mn.map(|w| w - s / n as f64);
            }
        }
        r
    }
}

/// Hydropower parameters of one watershed (valuation table row).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hydropower {
    /// Turbine efficiency, fraction.
    pub efficiency: f64,
    /// Fraction of inflow used for power, fraction.
    pub fraction: f64,
    /// Head, m.
    pub height_m: f64,
    /// Price of energy, currency per kWh.
    pub kw_price: f64,
    /// Annual operating cost, currency/yr.
    pub cost: f64,
    /// Time span, years.
    pub time_span: f64,
    /// Discount rate, percent.
    pub discount_pct: f64,
}

impl Hydropower {
    /// Adds `hp_energy = efficiency · fraction · height · rsupply_vl · 0.00272` (kWh/yr) and
    /// `hp_val = (kw_price · hp_energy − cost) · Σ_{t<T} (1 + d)^−t` to `zone`, where
    /// `rsupply_vl` exists. Quirk reproduced: with discount = 0 the sum is 0, so hp_val = 0.
    pub fn apply(&self, zone: &mut ZoneResult) {
        if let Some(rs) = zone.rsupply_vl {
            let energy = self.efficiency * self.fraction * self.height_m * rs * 0.00272;
            let dsum = if self.discount_pct == 0.0 {
                0.0
            } else {
                let r = 1.0 / (1.0 + self.discount_pct / 100.0);
                (1.0 - r.powf(self.time_span)) / (1.0 - r)
            };
            zone.hp_energy = Some(energy);
            zone.hp_val = Some((self.kw_price * energy - self.cost) * dsum);
        }
    }
}
