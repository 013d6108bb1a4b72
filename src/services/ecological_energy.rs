//! Provisioning: ecological energy — hydropower (生态能源), METHODS.md §2.3.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::region_stat::{StatLine, StatService, StatSource};
use super::{Category, Component, MarketPrice, Service};
use crate::error::ParamError;
use crate::landscape::EcosystemType;
use crate::params::{Checked, Price, Status};
use crate::units::PhysicalUnit;

/// Parameters of [`ecological_energy`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EcologicalEnergyParams {
    /// Region statistic of hydropower generation, kWh/yr.
    pub stat: String,
    /// Electricity price per kWh.
    pub electricity_price: Price,
}

impl Default for EcologicalEnergyParams {
    /// Statistic `hydropower_kwh`; 0.53 yuan/kWh (Pema Dolkar et al. 2017, Garze 2010 \[V\]).
    fn default() -> Self {
        Self {
            stat: "hydropower_kwh".into(),
            electricity_price: Price::yuan(
                0.53,
                PhysicalUnit::KilowattHour,
                2010,
                "Pema Dolkar et al. 2017 (Garze)",
                Status::Verified,
            ),
        }
    }
}

impl EcologicalEnergyParams {
    /// Checks the price (finite, ≥ 0, per kWh).
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        self.electricity_price.check(
            "ecological_energy.electricity_price",
            &[PhysicalUnit::KilowattHour],
        )?;
        Ok(Checked::new(self.clone()))
    }
}

/// Hydropower: `V = E [kWh] × P_e [yuan/kWh]`, attributed to water.
pub fn ecological_energy(params: &Checked<EcologicalEnergyParams>) -> Box<dyn Service> {
    Box::new(StatService {
        id: "ecological_energy",
        name: "Ecological energy (hydropower)",
        category: Category::Provisioning,
        formula: "V = E [kWh] x P_e [yuan/kWh] (region statistics). METHODS.md 2.3".into(),
        lines: vec![StatLine {
            component: Component::new(
                "hydropower",
                "hydropower generation",
                PhysicalUnit::KilowattHour,
                Arc::new(MarketPrice::new(
                    "electricity_price",
                    params.electricity_price.clone(),
                )),
            ),
            source: StatSource {
                stat: params.stat.clone(),
                attributed_to: vec![EcosystemType::Water],
            },
            scale: 1.0,
        }],
        parameters: Vec::new(),
        notes: Vec::new(),
    })
}
