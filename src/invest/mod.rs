//! InVEST-compatible models (natcap.invest 3.20.2, see `INVEST_MODELS.md`): Carbon storage and
//! sequestration ([`carbon_maps`]) and Annual Water Yield ([`water_yield_maps`],
//! [`zone_result`]), as pure per-cell kernels on slices, and (feature `invest`) a runner for
//! InVEST datastacks that reads and writes InVEST's files ([`run_datastack`]).
//!
//! The kernels reproduce InVEST's numbers, quirks included, in [`Compat::Invest`] mode (the
//! default). The same models as ordinary `gep` services, in any account, are
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
    demand_map, fractp, water_yield_maps, zone_result, AwyCells, AwyMaps, Biophysical, Hydropower,
    ZoneResult, AWY_NODATA,
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
