//! Carbon storage and sequestration exactly as InVEST 3.20.2 computes it (INVEST_MODELS.md §1):
//! four pools per class (t C/ha), storage per scenario, change, and its net present value.

use crate::error::InvestError;
use crate::io::{is_nodata_f, Table};
use crate::units::M2_PER_HA;

use super::lookup::NO_ROW;
use super::Compat;

/// Nodata of InVEST's carbon storage and change rasters (t C/ha).
pub const CARBON_NODATA: f32 = -1.0;
/// Nodata of the storage and change rasters in [`Compat::Corrected`] mode (f32 lowest).
pub const CORRECTED_NODATA: f32 = f32::MIN;
/// Nodata of the NPV raster: the float32 maximum 3.4028235e38.
pub const NPV_NODATA: f32 = f32::MAX;

/// The carbon pools table: per land-cover code, four pool densities in t C/ha.
#[derive(Debug, Clone, PartialEq)]
pub struct CarbonPools {
    /// Land-cover codes (`lucode`).
    pub codes: Vec<i64>,
    /// Above-ground biomass carbon, t C/ha (`c_above`).
    pub c_above: Vec<f64>,
    /// Below-ground biomass carbon, t C/ha (`c_below`).
    pub c_below: Vec<f64>,
    /// Soil organic carbon, t C/ha (`c_soil`).
    pub c_soil: Vec<f64>,
    /// Dead organic matter carbon, t C/ha (`c_dead`).
    pub c_dead: Vec<f64>,
}

impl CarbonPools {
    /// Reads the pools from an InVEST table (`lucode, c_above, c_below, c_soil, c_dead`).
    pub fn from_table(table: &Table) -> Result<Self, InvestError> {
        Ok(Self {
            codes: table.index_i64("lucode")?,
            c_above: table.column_f64("c_above")?,
            c_below: table.column_f64("c_below")?,
            c_soil: table.column_f64("c_soil")?,
            c_dead: table.column_f64("c_dead")?,
        })
    }

    /// Total density per row, t C/ha, summed in f32 as InVEST does (each pool cast to f32,
    /// then `above + below + soil + dead`).
    pub fn totals_f32(&self) -> Vec<f32> {
        (0..self.codes.len())
            .map(|i| {
                self.c_above[i] as f32
                    + self.c_below[i] as f32
                    + self.c_soil[i] as f32
                    + self.c_dead[i] as f32
            })
            .collect()
    }
}

/// Valuation of a carbon change: price per t C, discount rate and annual price change (%),
/// and the years of the two scenarios.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CarbonValuation {
    /// Price, currency per t C (`price_per_metric_ton_of_c`).
    pub price_per_t_c: f64,
    /// Discount rate in percent per year (`discount_rate`; 7 means 7 %).
    pub discount_rate_pct: f64,
    /// Annual change in the price of carbon, percent (`rate_change`).
    pub rate_change_pct: f64,
    /// Year of the baseline land cover (`lulc_bas_year`).
    pub bas_year: i64,
    /// Year of the alternate land cover (`lulc_alt_year`).
    pub alt_year: i64,
}

impl CarbonValuation {
    /// The value of one t C of change, currency per t C:
    /// `V = (price / n) · Σ_{k=0}^{n−1} q^k`, `n = alt_year − bas_year`,
    /// `q = 1 / ((1 + d/100)(1 + r/100))`; `V = price` when `q == 1`.
    /// Errors unless `bas_year < alt_year` (strict, as InVEST).
    ///
    /// # Examples
    /// ```
    /// use gep::invest::CarbonValuation;
    /// // 2 years, 10 %/yr discount, no price change: V = 100/2 · (1 + 1/1.1) = 95.4545… per t C.
    /// let v = CarbonValuation { price_per_t_c: 100.0, discount_rate_pct: 10.0,
    ///     rate_change_pct: 0.0, bas_year: 2020, alt_year: 2022 };
    /// assert!((v.value_per_t_c()? - 95.454545454545).abs() < 1e-9);
    /// # Ok::<(), gep::error::InvestError>(())
    /// ```
    pub fn value_per_t_c(&self) -> Result<f64, InvestError> {
        if self.bas_year >= self.alt_year {
            return Err(InvestError::Arg {
                arg: "lulc_alt_year".into(),
                message: format!(
                    "the alternate year ({}) must be after the baseline year ({})",
                    self.alt_year, self.bas_year
                ),
            });
        }
        let n = (self.alt_year - self.bas_year) as f64;
        let q =
            1.0 / ((1.0 + self.discount_rate_pct / 100.0) * (1.0 + self.rate_change_pct / 100.0));
        let v = self.price_per_t_c / n;
        Ok(if q == 1.0 {
            v * n
        } else {
            v * (1.0 - q.powf(n)) / (1.0 - q)
        })
    }
}

/// Carbon maps and totals of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct CarbonMaps {
    /// Baseline storage, t C/ha per cell.
    pub storage_bas: Vec<f32>,
    /// Alternate storage, t C/ha per cell (with an alternate scenario).
    pub storage_alt: Option<Vec<f32>>,
    /// Change alternate − baseline, t C/ha per cell (with an alternate scenario).
    pub change: Option<Vec<f32>>,
    /// Net present value of the change, currency/ha per cell (with valuation).
    pub npv: Option<Vec<f32>>,
    /// Nodata of the storage and change maps ([`CARBON_NODATA`] in compatible mode).
    pub carbon_nodata: f32,
    /// Totals: Σ value · cell area / 10 000 over valid cells (t C; currency for NPV), in the
    /// order bas, alt, change, npv.
    pub totals: [Option<f64>; 4],
}

/// Computes the carbon maps from the table rows of the baseline (and alternate) cells
/// (see [`row_index`](super::row_index)), for cells of `cell_area_m2`.
///
/// In [`Compat::Invest`] mode a cell is nodata when its value is close to −1 (InVEST's
/// sentinel test), so a true change or storage of −1 t C/ha is dropped from NPV and totals;
/// [`Compat::Corrected`] uses the LULC masks and the sentinel [`CORRECTED_NODATA`].
pub fn carbon_maps(
    pools: &CarbonPools,
    bas_rows: &[u32],
    alt_rows: Option<&[u32]>,
    value_per_t_c: Option<f64>,
    cell_area_m2: f64,
    compat: Compat,
) -> CarbonMaps {
    let mut stream = CarbonStream::new(pools, value_per_t_c, compat);
    let mut maps = stream.band(bas_rows, alt_rows);
    maps.totals = stream.totals(cell_area_m2, alt_rows.is_some());
    maps
}

/// [`carbon_maps`] block by block: [`band`](Self::band) gives the maps of consecutive blocks
/// of cells and keeps running sums in cell order, so [`totals`](Self::totals) equals the
/// totals of one pass over the whole raster, bit for bit.
pub(crate) struct CarbonStream {
    totals_per_row: Vec<f32>,
    nd: f32,
    compat: Compat,
    value_per_t_c: Option<f64>,
    sums: [f64; 4],
}

impl CarbonStream {
    pub(crate) fn new(pools: &CarbonPools, value_per_t_c: Option<f64>, compat: Compat) -> Self {
        Self {
            totals_per_row: pools.totals_f32(),
            nd: match compat {
                Compat::Invest => CARBON_NODATA,
                Compat::Corrected => CORRECTED_NODATA,
            },
            compat,
            value_per_t_c,
            sums: [0.0; 4],
        }
    }

    /// Maps of one block of cells (totals left `None`), adding to the running sums.
    pub(crate) fn band(&mut self, bas_rows: &[u32], alt_rows: Option<&[u32]>) -> CarbonMaps {
        let (nd, compat) = (self.nd, self.compat);
        let totals_per_row = &self.totals_per_row;
        let storage = |rows: &[u32]| -> Vec<f32> {
            rows.iter()
                .map(|&r| {
                    if r == NO_ROW {
                        nd
                    } else {
                        totals_per_row[r as usize]
                    }
                })
                .collect()
        };
        let valid = |v: f32, row_ok: bool| match compat {
            Compat::Invest => !is_nodata_f(v as f64, nd as f64),
            Compat::Corrected => row_ok,
        };
        let storage_bas = storage(bas_rows);
        let storage_alt = alt_rows.map(storage);
        let change = storage_alt.as_ref().zip(alt_rows).map(|(alt, alt_rows)| {
            storage_bas
                .iter()
                .zip(alt)
                .zip(bas_rows.iter().zip(alt_rows))
                .map(|((&b, &a), (&rb, &ra))| {
                    if valid(b, rb != NO_ROW) && valid(a, ra != NO_ROW) {
                        a - b
                    } else {
                        nd
                    }
                })
                .collect::<Vec<f32>>()
        });
        let change_ok =
            |i: usize| bas_rows[i] != NO_ROW && alt_rows.is_some_and(|a| a[i] != NO_ROW);
        // numpy multiplies a float32 array by a Python float in float32 (NEP 50): c · f32(V).
        let npv = change.as_ref().zip(self.value_per_t_c).map(|(change, v)| {
            let v = v as f32;
            change
                .iter()
                .enumerate()
                .map(|(i, &c)| {
                    if valid(c, change_ok(i)) {
                        c * v
                    } else {
                        NPV_NODATA
                    }
                })
                .collect::<Vec<f32>>()
        });
        let add = |s: &mut f64, values: &[f32], ok: &dyn Fn(usize) -> bool, nodata: f32| {
            for (i, &v) in values.iter().enumerate() {
                let keep = match compat {
                    Compat::Invest => !is_nodata_f(v as f64, nodata as f64),
                    Compat::Corrected => ok(i),
                };
                if keep {
                    *s += v as f64;
                }
            }
        };
        let [s_bas, s_alt, s_change, s_npv] = &mut self.sums;
        add(s_bas, &storage_bas, &|i| bas_rows[i] != NO_ROW, nd);
        if let (Some(m), Some(rows)) = (&storage_alt, alt_rows) {
            add(s_alt, m, &|i| rows[i] != NO_ROW, nd);
        }
        if let Some(m) = &change {
            add(s_change, m, &change_ok, nd);
        }
        if let Some(m) = &npv {
            add(s_npv, m, &change_ok, NPV_NODATA);
        }
        CarbonMaps {
            storage_bas,
            storage_alt,
            change,
            npv,
            carbon_nodata: nd,
            totals: [None; 4],
        }
    }

    /// Totals (t C; currency for NPV) of the blocks so far, for cells of `cell_area_m2`, in
    /// the order bas, alt, change, npv.
    pub(crate) fn totals(&self, cell_area_m2: f64, alt: bool) -> [Option<f64>; 4] {
        let ha = cell_area_m2 / M2_PER_HA;
        let [b, a, c, n] = self.sums;
        [
            Some(b * ha),
            alt.then_some(a * ha),
            alt.then_some(c * ha),
            (alt && self.value_per_t_c.is_some()).then_some(n * ha),
        ]
    }

    /// Nodata of the storage and change maps.
    #[cfg_attr(not(feature = "invest"), allow(dead_code))]
    pub(crate) fn nodata(&self) -> f32 {
        self.nd
    }
}
