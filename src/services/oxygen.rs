//! Oxygen release (释氧), METHODS.md §2.9.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::{Category, Component, ProductivityParams, ReplacementCost, Service, UnitKernel};
use crate::error::{GepError, ParamError};
use crate::landscape::Landscape;
use crate::params::{Checked, ParamRecord, Parameter, Price, Status};
use crate::units::{PhysicalUnit, O2_PER_CO2};

/// Parameters of [`OxygenRelease`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OxygenReleaseParams {
    /// Price of oxygen per t O₂ (industrial/medical oxygen production cost).
    pub oxygen_price: Price,
}

impl Default for OxygenReleaseParams {
    /// 1000 yuan/t O₂, the forest standard's Ministry of Health oxygen price (LY/T 1721-2008,
    /// 2007 prices) \[V: used by Jiang et al. 2017].
    fn default() -> Self {
        Self {
            oxygen_price: Price::yuan(
                1000.0,
                PhysicalUnit::TonneO2,
                2007,
                "LY/T 1721-2008 forest standard, Ministry of Health oxygen price (used by Jiang et al. 2017)",
                Status::Verified,
            ),
        }
    }
}

impl OxygenReleaseParams {
    /// Checks the price: finite, ≥ 0, per t O₂.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        self.oxygen_price
            .check("oxygen_price", &[PhysicalUnit::TonneO2])?;
        Ok(Checked::new(self.clone()))
    }
}

/// Oxygen release: `Q_O2 = 32/44 × Q_CO2` on the same productivity basis as
/// [`CarbonSequestration`](super::CarbonSequestration) (equal to 1.19 t O₂ per t dry matter on
/// the dry-matter route), valued at the oxygen price. Not an SEEA EA service: SEEA-conformant
/// profiles leave it out.
#[derive(Debug, Clone)]
pub struct OxygenRelease {
    productivity: Checked<ProductivityParams>,
    params: Checked<OxygenReleaseParams>,
}

impl OxygenRelease {
    /// The service from the shared productivity basis and its price.
    pub fn new(
        productivity: Checked<ProductivityParams>,
        params: Checked<OxygenReleaseParams>,
    ) -> Self {
        Self {
            productivity,
            params,
        }
    }
}

const ID: &str = "oxygen_release";

impl Service for OxygenRelease {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Oxygen release"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        format!(
            "O2 [t] = 32/44 x CO2 [t], {}; V = O2 [t] x P_O2 [yuan/t]. MEE 2020 guideline; forest standard",
            self.productivity.basis.formula()
        )
    }
    fn required_layers(&self) -> Vec<&'static str> {
        self.productivity.basis.layers()
    }
    fn components(&self) -> Vec<Component> {
        vec![Component::new(
            "o2",
            "released oxygen",
            PhysicalUnit::TonneO2,
            Arc::new(ReplacementCost::new(
                "oxygen_price",
                self.params.oxygen_price.clone(),
            )),
        )]
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        let mut r = self.productivity.records();
        r.push(
            Parameter::new(
                O2_PER_CO2,
                "t O2/t CO2",
                "molar masses 32/44",
                Status::Derived,
            )
            .record("o2_per_co2"),
        );
        r
    }
    fn notes(&self) -> Vec<String> {
        self.productivity.notes()
    }
    fn productivity_basis(&self) -> Option<String> {
        Some(self.productivity.basis_key())
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        Ok(Box::new(self.productivity.bind(ID, landscape, O2_PER_CO2)?))
    }
}
