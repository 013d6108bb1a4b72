//! Carbon sequestration (固碳), METHODS.md §2.8.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::{
    AvoidedCost, Category, Component, MarketPrice, ProductivityParams, ReplacementCost, Service,
    UnitKernel, ValuationMethod,
};
use crate::error::{GepError, ParamError};
use crate::landscape::Landscape;
use crate::params::{Checked, ParamRecord, Price, Status};
use crate::units::{price_per_c_to_per_co2, PhysicalUnit};

/// What the carbon price stands for; it decides the valuation method recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CarbonPriceKind {
    /// Afforestation cost (造林成本法): a replacement cost.
    AfforestationCost,
    /// Carbon-market price (e.g. China's national ETS): a market price.
    CarbonMarket,
    /// Carbon tax (e.g. LY/T 1721's Swedish tax): recorded as an avoided cost.
    CarbonTax,
}

/// Parameters of [`CarbonSequestration`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CarbonSequestrationParams {
    /// Carbon price, per t C or per t CO₂ (the `per` field says which; it is converted with
    /// 12/44 when it is per t C, since the quantity is in t CO₂).
    pub carbon_price: Price,
    /// What the price stands for.
    pub price_kind: CarbonPriceKind,
}

impl Default for CarbonSequestrationParams {
    /// 1320 yuan per t **C** (afforestation cost, Jiang et al. 2017 citing Li Wenhua 2008 \[V\];
    /// used for their 2011 account), i.e. 360 yuan/t CO₂.
    fn default() -> Self {
        Self {
            carbon_price: Price::yuan(
                1320.0,
                PhysicalUnit::TonneC,
                2011,
                "afforestation cost, Jiang et al. 2017 (Baiyangdian 2011) citing Li Wenhua 2008",
                Status::Verified,
            ),
            price_kind: CarbonPriceKind::AfforestationCost,
        }
    }
}

impl CarbonSequestrationParams {
    /// Checks the price: finite, ≥ 0, per t C or per t CO₂.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        self.carbon_price.check(
            "carbon_price",
            &[PhysicalUnit::TonneC, PhysicalUnit::TonneCo2],
        )?;
        Ok(Checked::new(self.clone()))
    }

    /// The price per t CO₂ (converted by a named function when given per t C).
    pub fn price_per_t_co2(&self) -> Price {
        match self.carbon_price.per {
            PhysicalUnit::TonneC => {
                let mut p = self.carbon_price.clone();
                p.value = price_per_c_to_per_co2(p.value);
                p.per = PhysicalUnit::TonneCo2;
                p.source = format!("{} (per t C x 12/44)", p.source);
                p
            }
            _ => self.carbon_price.clone(),
        }
    }
}

/// Carbon sequestration: CO₂ fixed by ecosystems in the year, in **t CO₂**, from the shared
/// [`ProductivityParams`] basis; `V = Q_CO2 × P_CO2`.
///
/// # Examples
/// One hectare of forest with NPP 700 and Rh 300 g C/m²/yr fixes
/// `NEP = 400 g C/m² = 4 t C/ha = 14.667 t CO₂`, worth `14.667 × 1320 × 12/44 = 5280` yuan:
/// ```
/// use gep::prelude::*;
/// use ndarray::array;
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
///     .area_ha(array![1.0])
///     .land_cover(array![11])
///     .layer("npp_gc_per_m2", array![700.0], None)
///     .layer("rh_gc_per_m2", array![300.0], None)
///     .build()?;
/// let params = GepParams::default();
/// let carbon = CarbonSequestration::new(params.productivity.check()?, params.carbon_sequestration.check()?);
/// let services: Vec<Box<dyn Service>> = vec![Box::new(carbon)];
/// let account = Engine::new(&services).run(&landscape)?;
/// assert!((account.quantity("carbon_sequestration", "co2").unwrap() - 44.0 / 3.0).abs() < 1e-9);
/// assert!((account.total_value() - 5280.0).abs() < 1e-6);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone)]
pub struct CarbonSequestration {
    productivity: Checked<ProductivityParams>,
    params: Checked<CarbonSequestrationParams>,
}

impl CarbonSequestration {
    /// The service from the shared productivity basis and its price.
    pub fn new(
        productivity: Checked<ProductivityParams>,
        params: Checked<CarbonSequestrationParams>,
    ) -> Self {
        Self {
            productivity,
            params,
        }
    }
}

const ID: &str = "carbon_sequestration";

impl Service for CarbonSequestration {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Carbon sequestration"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        format!(
            "{}; V = CO2 [t] x P_CO2 [yuan/t CO2]. MEE 2020 guideline route A / forest standard route B",
            self.productivity.basis.formula()
        )
    }
    fn required_layers(&self) -> Vec<&'static str> {
        self.productivity.basis.layers()
    }
    fn components(&self) -> Vec<Component> {
        let price = self.params.price_per_t_co2();
        let valuation: Arc<dyn ValuationMethod> = match self.params.price_kind {
            CarbonPriceKind::AfforestationCost => {
                Arc::new(ReplacementCost::new("carbon_price", price))
            }
            CarbonPriceKind::CarbonMarket => Arc::new(MarketPrice::new("carbon_price", price)),
            CarbonPriceKind::CarbonTax => Arc::new(AvoidedCost::new("carbon_price", price)),
        };
        vec![Component::new(
            "co2",
            "fixed carbon dioxide",
            PhysicalUnit::TonneCo2,
            valuation,
        )]
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        let mut r = self.productivity.records();
        r.push(self.params.carbon_price.record("carbon_price_as_given"));
        r
    }
    fn notes(&self) -> Vec<String> {
        self.productivity.notes()
    }
    fn productivity_basis(&self) -> Option<String> {
        Some(self.productivity.basis_key())
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        Ok(Box::new(self.productivity.bind(ID, landscape, 1.0)?))
    }
}
