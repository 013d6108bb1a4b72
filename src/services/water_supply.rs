//! Provisioning: water supply by sector (水资源/淡水供给), METHODS.md §2.2.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::region_stat::{StatLine, StatService, StatSource};
use super::{Category, Component, MarketPrice, Service};
use crate::error::ParamError;
use crate::landscape::EcosystemType;
use crate::params::{Checked, Price, Status};
use crate::units::PhysicalUnit;

/// Water use of one sector and its price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaterSector {
    /// Sector id (`domestic`).
    pub id: String,
    /// Region statistic of water supplied, m³/yr (`water_supply_domestic_m3`).
    pub stat: String,
    /// Sectoral water price per m³.
    pub price: Price,
}

/// Parameters of [`water_supply`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WaterSupplyParams {
    /// The sectors.
    pub sectors: Vec<WaterSector>,
    /// Ecosystems the water is attributed to.
    pub attributed_to: Vec<EcosystemType>,
}

impl Default for WaterSupplyParams {
    /// Domestic 2.6, industrial 3.6, agricultural 0.07 yuan/m³ (Pema Dolkar et al. 2017,
    /// Garze 2010 \[V\]); statistics `water_supply_{domestic,industrial,agricultural}_m3` from the
    /// water resources bulletin (inter-basin transfers into the region must be excluded,
    /// GB/T 46869 boundary rule); attributed to water and wetland.
    fn default() -> Self {
        let sector = |id: &str, price: f64| WaterSector {
            id: id.into(),
            stat: format!("water_supply_{id}_m3"),
            price: Price::yuan(
                price,
                PhysicalUnit::CubicMetre,
                2010,
                "Pema Dolkar et al. 2017 (Garze)",
                Status::Verified,
            ),
        };
        Self {
            sectors: vec![
                sector("domestic", 2.6),
                sector("industrial", 3.6),
                sector("agricultural", 0.07),
            ],
            attributed_to: vec![EcosystemType::Water, EcosystemType::Wetland],
        }
    }
}

impl WaterSupplyParams {
    /// Checks the prices (finite, ≥ 0, per m³).
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        for s in &self.sectors {
            s.price.check(
                &format!("water_supply.{}.price", s.id),
                &[PhysicalUnit::CubicMetre],
            )?;
        }
        Ok(Checked::new(self.clone()))
    }
}

/// Water supply: `V = Σ_sector Q × P` (m³ × yuan/m³), market price method.
pub fn water_supply(params: &Checked<WaterSupplyParams>) -> Box<dyn Service> {
    let lines = params
        .sectors
        .iter()
        .map(|s| StatLine {
            component: Component::new(
                s.id.clone(),
                format!("{} water supply", s.id),
                PhysicalUnit::CubicMetre,
                Arc::new(MarketPrice::new(
                    &format!("{}_water_price", s.id),
                    s.price.clone(),
                )),
            ),
            source: StatSource {
                stat: s.stat.clone(),
                attributed_to: params.attributed_to.clone(),
            },
            scale: 1.0,
        })
        .collect();
    Box::new(StatService {
        id: "water_supply",
        name: "Water supply",
        category: Category::Provisioning,
        formula: "V = sum_sector Q [m3] x P [yuan/m3] (region statistics). METHODS.md 2.2".into(),
        lines,
        parameters: Vec::new(),
        notes: Vec::new(),
    })
}
