//! Parameters and prices: serde structs with a built-in default set, every value carrying its
//! unit, price year, source and status.
//!
//! The default set ([`GepParams::default`]) follows the Chinese terrestrial GEP guideline's
//! parameter register as collected in METHODS.md §2.16. A parameter file (TOML or JSON) only
//! needs the values it changes; everything else keeps its default:
//!
//! ```
//! # #[cfg(feature = "toml")] {
//! let params = gep::params::GepParams::from_toml_str(r#"
//!     [water_conservation.reservoir_cost]
//!     value = 7.06
//!     per = "cubic_metre"
//!     price_year = 2010
//!     source = "Pema Dolkar et al. 2017 (Garze)"
//!     status = "verified"
//! "#).unwrap();
//! assert_eq!(params.water_conservation.reservoir_cost.value, 7.06);
//! assert_eq!(params.oxygen_release.oxygen_price.value, 1000.0); // default kept
//! # }
//! ```

mod parameter;
mod price_index;

pub use parameter::{
    ClassLut, ClassTable, ClassValue, Currency, ParamRecord, Parameter, Price, Status,
};
pub use price_index::{IndexFamily, PriceIndex};

use serde::{Deserialize, Serialize};

use crate::error::ParamError;
use crate::services::{
    AirPurificationParams, CarbonSequestrationParams, ClimateRegulationParams,
    CoastalProtectionParams, EcologicalEnergyParams, EquivalentFactorParams, FloodRegulationParams,
    LandscapeValueParams, OxygenReleaseParams, PestControlParams, ProductivityParams,
    ProvisioningParams, RecreationParams, SandFixationParams, SoilConservationParams,
    UnitValueTransferParams, WaterConservationParams, WaterPurificationParams, WaterSupplyParams,
};

/// A parameter set that passed its `check()`: the only form services accept, so validation
/// cannot be skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<T>(T);

impl<T> Checked<T> {
    pub(crate) fn new(inner: T) -> Self {
        Self(inner)
    }

    /// The checked parameters.
    pub fn get(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::Deref for Checked<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// All parameters of a GEP run, one field per service (or shared basis).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct GepParams {
    /// Water conservation (METHODS.md §2.4).
    pub water_conservation: WaterConservationParams,
    /// The primary-productivity basis shared by carbon sequestration and oxygen release
    /// (one basis for both, METHODS.md §2.9).
    pub productivity: ProductivityParams,
    /// Carbon sequestration (METHODS.md §2.8).
    pub carbon_sequestration: CarbonSequestrationParams,
    /// Oxygen release (METHODS.md §2.9).
    pub oxygen_release: OxygenReleaseParams,
    /// Agricultural, forestry, livestock and fishery products (METHODS.md §2.1).
    pub provisioning: ProvisioningParams,
    /// Water supply (METHODS.md §2.2).
    pub water_supply: WaterSupplyParams,
    /// Ecological energy (METHODS.md §2.3).
    pub ecological_energy: EcologicalEnergyParams,
    /// Recreation (METHODS.md §2.15).
    pub recreation: RecreationParams,
    /// Landscape value (METHODS.md §2.15); no default premium.
    pub landscape_value: LandscapeValueParams,
    /// Equivalent-factor value transfer (METHODS.md §3.1).
    pub equivalent_factor: EquivalentFactorParams,
    /// Global unit-value transfer (METHODS.md §3.2); exchange rate and deflator required.
    pub unit_value_transfer: UnitValueTransferParams,
    /// Air purification (METHODS.md §2.10).
    pub air_purification: AirPurificationParams,
    /// Water purification (METHODS.md §2.11).
    pub water_purification: WaterPurificationParams,
    /// Climate regulation (METHODS.md §2.12).
    pub climate_regulation: ClimateRegulationParams,
    /// Pest control (METHODS.md §2.13; optional service).
    pub pest_control: PestControlParams,
    /// Coastal protection (METHODS.md §2.7b; needs a sea-wall cost and lifetime).
    pub coastal_protection: CoastalProtectionParams,
    /// Soil conservation (METHODS.md §2.5).
    pub soil_conservation: SoilConservationParams,
    /// Flood regulation (METHODS.md §2.7).
    pub flood_regulation: FloodRegulationParams,
    /// Windbreak and sand fixation (METHODS.md §2.6).
    pub sand_fixation: SandFixationParams,
}

impl GepParams {
    /// Checks every parameter of the set.
    pub fn check(&self) -> Result<(), ParamError> {
        self.water_conservation.check()?;
        self.productivity.check()?;
        self.carbon_sequestration.check()?;
        self.oxygen_release.check()?;
        self.provisioning.check()?;
        self.water_supply.check()?;
        self.ecological_energy.check()?;
        self.recreation.check()?;
        self.air_purification.check()?;
        self.water_purification.check()?;
        self.climate_regulation.check()?;
        self.pest_control.check()?;
        if self.coastal_protection.is_configured() {
            self.coastal_protection.check()?;
        }
        self.soil_conservation.check()?;
        self.flood_regulation.check()?;
        self.sand_fixation.check()?;
        Ok(())
    }

    /// Every price of the set multiplied by `k` (for sensitivity and invariant tests).
    pub fn with_prices_scaled(&self, k: f64) -> Self {
        let mut p = self.clone();
        p.water_conservation.reservoir_cost = p.water_conservation.reservoir_cost.scaled(k);
        p.carbon_sequestration.carbon_price = p.carbon_sequestration.carbon_price.scaled(k);
        p.oxygen_release.oxygen_price = p.oxygen_release.oxygen_price.scaled(k);
        for line in &mut p.provisioning.products {
            line.price = line.price.scaled(k);
        }
        for s in &mut p.water_supply.sectors {
            s.price = s.price.scaled(k);
        }
        let e = &mut p.ecological_energy.electricity_price;
        *e = e.scaled(k);
        let r = &mut p.recreation;
        r.expenses_per_visit = r.expenses_per_visit.scaled(k);
        r.time_cost_per_visit = r.time_cost_per_visit.scaled(k);
        r.consumer_surplus_per_visit = r.consumer_surplus_per_visit.scaled(k);
        if let Some(premium) = &mut p.landscape_value.premium {
            *premium = premium.scaled(k);
        }
        let e = &mut p.equivalent_factor.standard_equivalent;
        *e = e.scaled(k);
        if let Some(x) = &mut p.unit_value_transfer.exchange_rate_cny_per_usd {
            x.value *= k;
        }
        p.air_purification = p.air_purification.with_prices_scaled(k);
        p.water_purification = p.water_purification.with_prices_scaled(k);
        p.climate_regulation.electricity_price = p.climate_regulation.electricity_price.scaled(k);
        p.pest_control = p.pest_control.with_prices_scaled(k);
        p.coastal_protection = p.coastal_protection.with_prices_scaled(k);
        p.flood_regulation.reservoir_cost = p.flood_regulation.reservoir_cost.scaled(k);
        p.sand_fixation.restoration_cost = p.sand_fixation.restoration_cost.scaled(k);
        let s = &mut p.soil_conservation;
        for price in [
            &mut s.dredging_cost,
            &mut s.n_abatement_cost,
            &mut s.p_abatement_cost,
            &mut s.earthwork_cost,
            &mut s.dap_price,
            &mut s.kcl_price,
            &mut s.organic_matter_price,
        ] {
            *price = price.scaled(k);
        }
        p
    }

    /// Parses a TOML parameter file; absent fields keep their defaults.
    #[cfg(feature = "toml")]
    pub fn from_toml_str(s: &str) -> Result<Self, ParamError> {
        toml::from_str(s).map_err(|e| ParamError::Parse {
            format: "TOML",
            message: e.to_string(),
        })
    }

    /// Writes the set as TOML (e.g. to start a parameter file from the defaults).
    #[cfg(feature = "toml")]
    pub fn to_toml_string(&self) -> Result<String, ParamError> {
        toml::to_string_pretty(self).map_err(|e| ParamError::Parse {
            format: "TOML",
            message: e.to_string(),
        })
    }

    /// Parses a JSON parameter file; absent fields keep their defaults.
    #[cfg(feature = "json")]
    pub fn from_json_str(s: &str) -> Result<Self, ParamError> {
        serde_json::from_str(s).map_err(|e| ParamError::Parse {
            format: "JSON",
            message: e.to_string(),
        })
    }
}
