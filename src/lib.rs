//! # gep — Gross Ecosystem Product accounting
//!
//! `gep` computes the **Gross Ecosystem Product** of a region: the money value of the final
//! goods and services its ecosystems supply in a year, per service, per region and per
//! ecosystem type, with every figure traceable to its formula, parameters and sources.
//!
//! The flow (see `DESIGN.md`): inputs → [`Landscape`](landscape::Landscape) → services →
//! physical quantities → valuation → [`Account`](account::Account) → reports.
//!
//! ## Quick start
//! ```
//! use gep::prelude::*;
//! use ndarray::array;
//!
//! // Two 1 ha units of evergreen broadleaf forest (code 11) in one township.
//! let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("Town"))
//!     .area_ha(array![1.0, 1.0])
//!     .land_cover(array![11, 11])
//!     .layer("precip_mm", array![1600.0, 1600.0], None)
//!     .layer("aet_mm", array![800.0, 800.0], None)
//!     .layer("npp_gc_per_m2", array![700.0, 700.0], None)
//!     .layer("rh_gc_per_m2", array![300.0, 300.0], None)
//!     .build()?;
//! let services = core_services(&GepParams::default())?;
//! let account = Engine::new(&services).run(&landscape)?;
//! // Water: 2 × 7572.8 m³ × 6.1107 yuan/m³; carbon: 2 × 44/3 t CO2 × 360 yuan/t CO2;
//! // oxygen: 2 × 32/3 t O2 × 1000 yuan/t O2.
//! let expected = 2.0 * (7572.8 * 6.1107 + 44.0 / 3.0 * 360.0 + 32.0 / 3.0 * 1000.0);
//! assert!((account.total_value() - expected).abs() < 1e-6 * expected);
//! # Ok::<(), gep::GepError>(())
//! ```
//!
//! ## Services
//! | service | category | quantity | valuation | source |
//! |---|---|---|---|---|
//! | [`WaterConservation`](services::WaterConservation) | regulating | m³ | reservoir cost | METHODS §2.4 |
//! | [`CarbonSequestration`](services::CarbonSequestration) | regulating | t CO₂ | carbon price | METHODS §2.8 |
//! | [`OxygenRelease`](services::OxygenRelease) | regulating | t O₂ | oxygen price | METHODS §2.9 |
//! | [`SoilConservation`](services::SoilConservation) | regulating | t soil, m³ sediment, t N, t P | dredging and abatement cost (or forest standard) | METHODS §2.5 |
//! | [`SandFixation`](services::SandFixation) | regulating | t sand, m² land | restoration cost of buried land | METHODS §2.6 |
//! | [`FloodRegulation`](services::FloodRegulation) | regulating | m³ | reservoir cost | METHODS §2.7 |
//! | [`AirPurification`](services::AirPurification) | regulating | t SO₂, NOx, dust (capped by emissions) | abatement cost | METHODS §2.10 |
//! | [`WaterPurification`](services::WaterPurification) | regulating | t COD, NH₃-N, TN, TP (capped by loads) | treatment cost | METHODS §2.11 |
//! | [`ClimateRegulation`](services::ClimateRegulation) | regulating | kWh (hot/low-humidity days) | electricity price | METHODS §2.12 |
//! | [`PestControl`](services::PestControl) (optional) | regulating | ha | control cost | METHODS §2.13 |
//! | [`CoastalProtection`](services::CoastalProtection) (optional) | regulating | km | sea-wall cost | METHODS §2.7b |
//! | [`InvestCarbon`](services::InvestCarbon) | regulating | t C (stock change) | price per t C, discounted | INVEST_MODELS §1 |
//! | [`AnnualWaterYield`](services::AnnualWaterYield) | provisioning | m³ water yield | price per m³ | INVEST_MODELS §2 |
//!
//! ## Units
//! Names carry units: `area_ha`, `precip_mm`, `npp_gc_per_m2`, `price_yuan_per_t`. Quantities
//! are reported in the unit of their component ([`units::PhysicalUnit`]); conversions are named
//! functions in [`units`] (t C ↔ t CO₂ never implicit). Layers are f32; areas, quantities and
//! money are f64.
//!
//! ## Features
//! * `parallel` (default): run on rayon's pool of the caller (the library never builds the
//!   global pool). Results are bit-identical with any number of threads.
//! * `json` (default): JSON parameters and account output (serde_json).
//! * `toml` (default): TOML parameter files.
//! * `geotiff` (default, via `invest`): read and write GeoTIFF rasters, whole
//!   ([`io::read_geotiff`], [`io::write_geotiff`]) or in blocks of rows ([`io::GeoTiffReader`],
//!   [`io::GeoTiffWriter`]); pure Rust: our own TIFF layer, `weezl` (LZW), `flate2` on
//!   `zlib-rs` (DEFLATE), chunks on rayon.
//! * `vector` (default, via `invest`): GeoJSON polygons with serde_json — watersheds, zones
//!   rasterised to the region index, parcel landscapes ([`vector`]); geodesic areas with
//!   `geographiclib-rs`, exact orientation tests with `robust`.
//! * `invest` (default): the InVEST datastack runner ([`invest::run_datastack`];
//!   `geotiff` + `vector`).
//! * `charts`: SVG charts of accounts and analyses (`analysis::charts`: bar, tornado,
//!   histogram) with `plotters`, SVG backend only.
//! * with `geotiff`, `toml` and `json`: the `run` module — a whole account from one TOML file
//!   naming GeoTIFF layers and CSV tables, aligned-grid checks, a coverage report, and
//!   streaming by row blocks in bounded memory (`examples/gep.rs`).
//!
//! All features are pure Rust; `--no-default-features` gives the bare accounting library.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod account;
pub mod analysis;
pub mod error;
pub mod invest;
pub mod io;
pub mod landscape;
pub mod params;
pub mod profile;
#[cfg(all(feature = "geotiff", feature = "toml", feature = "json"))]
pub mod run;
pub mod sample;
pub mod services;
pub mod tables;
pub mod terrain;
pub mod units;
#[cfg(feature = "vector")]
pub mod vector;

pub use error::{GepError, Result};

/// The README's quick start, compiled and run as a doctest so it stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The commonly used types.
pub mod prelude {
    pub use crate::account::{Account, Engine};
    pub use crate::error::{GepError, InvestError, LandscapeError, ParamError};
    pub use crate::landscape::{
        Classification, EcosystemType, GridShape, LandCoverClass, Landscape, LandscapeBuilder,
        Region, Regions,
    };
    pub use crate::params::{GepParams, Price, Status};
    pub use crate::profile::Profile;
    pub use crate::services::{
        core_services, standard_services, CarbonSequestration, Category, FloodRegulation,
        OxygenRelease, SandFixation, Service, SoilConservation, WaterConservation,
        WaterConservationParams,
    };
    pub use crate::units::PhysicalUnit;
}
