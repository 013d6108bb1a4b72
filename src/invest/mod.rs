//! InVEST-compatible models (natcap.invest 3.20.2, see `INVEST_MODELS.md`): Carbon storage and
//! sequestration ([`carbon_maps`]) and Annual Water Yield ([`water_yield_maps`],
//! [`zone_result`]), as pure per-cell kernels on slices, and (feature `invest`) a runner for
//! InVEST datastacks that reads and writes InVEST's files ([`run_datastack`]).
//!
//! The kernels reproduce InVEST's numbers, quirks included, in [`Compat::Invest`] mode (the
//! default). `tests/invest_reference.rs` checks this against outputs of the real
//! natcap.invest 3.20.2 (`tests/fixtures/invest_ref/`): per-cell rasters bit-identical with
//! the same nodata masks, carbon totals equal, watershed tables within ~1e-7 relative.
//!
//! ## InVEST behaviour reproduced
//! * Carbon: the nodata of storage and change maps is −1, a legal value: a cell whose change is
//!   −1 t C/ha (within numpy `isclose`) counts as nodata in NPV and in the summary totals
//!   ([`Compat::Corrected`] masks by LULC instead). Valuation needs `lulc_bas_year <
//!   lulc_alt_year`; `V = price` when `q == 1`. A LULC nodata value listed in the table is
//!   mapped like a class. Pools summed in f32, totals in f64.
//! * AWY: P = 0 cells are nodata; ω capped at 5 with no other cap; `fractp = min(φ, Fu)`;
//!   non-vegetated classes `min(Kc·ET0, P)/P`; each zonal mean has its own validity;
//!   `wyield_vol` uses the polygon's area; `rsupply_mn = wyield_mn − consum_mn` mixes mm and
//!   m³ per pixel; `hp_val = 0` when the discount is 0; polygons holding no cell centre fall
//!   back to the cells of their bounding box; NULL (empty) fields for zones without valid cells.
//!
//! ## Differences left
//! * Per-cell arithmetic is in f32 like InVEST's (AWY maps, carbon storage, change and NPV), but
//!   zonal sums are in f64 (InVEST: f32 block sums): relative differences of ~1e-7…1e-6 in
//!   watershed means.
//! * Rasters must share the LULC grid (InVEST resamples and aligns them); outputs are not clipped
//!   to the watersheds' bounding box; no intermediate outputs; watershed results as CSV only
//!   (no shapefile), with the id field but not other fields of the input vector.
//!
//! The same models as ordinary `gep` services, in any account, are
//! [`InvestCarbon`](crate::services::InvestCarbon) and
//! [`AnnualWaterYield`](crate::services::AnnualWaterYield).

mod awy;
mod carbon;
mod lookup;
#[cfg(feature = "invest")]
mod runner;
#[cfg(feature = "invest")]
mod runner_awy;
#[cfg(feature = "invest")]
mod sample;

pub use awy::{
    fractp, water_yield_maps, zone_result, AwyCells, AwyMaps, Biophysical, Hydropower, ZoneResult,
    AWY_NODATA,
};
pub use carbon::{
    carbon_maps, CarbonMaps, CarbonPools, CarbonValuation, CARBON_NODATA, CORRECTED_NODATA,
    NPV_NODATA,
};
pub use lookup::{f32_values, row_index, NO_ROW};
#[cfg(feature = "invest")]
pub use runner::{run_datastack, RunOptions};
#[cfg(feature = "invest")]
pub use sample::{write_sample_inputs, SampleDatastacks};

/// Whether to reproduce InVEST's quirks or correct them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compat {
    /// Same numbers as InVEST 3.20.2, quirks included (the default).
    #[default]
    Invest,
    /// Quirks corrected where that changes numbers: carbon cells are masked by their LULC,
    /// not by the value −1 (so a true −1 t C/ha change is kept), and written with nodata
    /// [`CORRECTED_NODATA`].
    Corrected,
}
