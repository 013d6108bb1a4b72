//! InVEST's carbon storage as a `gep` service: stored carbon (t C) from per-class pool densities,
//! INVEST_MODELS.md §1.

use std::ops::Range;
use std::sync::Arc;

use super::{Category, Component, MarketPrice, Service, Sink, UnitInputs, UnitKernel};
use crate::error::{GepError, ParamError};
use crate::invest::CarbonPools;
use crate::landscape::Landscape;
use crate::params::{Checked, ClassTable, ClassValue, ParamRecord, Price, Status};
use crate::units::PhysicalUnit;

/// Parameters of [`InvestCarbon`].
#[derive(Debug, Clone, PartialEq)]
pub struct InvestCarbonParams {
    /// Total carbon density (above + below + soil + dead) per land-cover code, t C/ha.
    pub density_t_c_per_ha: ClassTable,
    /// Price per t C.
    pub carbon_price: Price,
}

impl InvestCarbonParams {
    /// From an InVEST pools table: the density of a class is the f32 sum of its four pools,
    /// as InVEST computes it.
    pub fn from_pools(pools: &CarbonPools, carbon_price: Price) -> Self {
        let totals = pools.totals_f32();
        Self {
            density_t_c_per_ha: ClassTable {
                unit: "t C/ha".into(),
                source: "InVEST carbon pools table".into(),
                status: Status::Verified,
                rows: pools
                    .codes
                    .iter()
                    .zip(totals)
                    .map(|(&code, t)| ClassValue {
                        code: code as i32,
                        value: Some(t as f64),
                    })
                    .collect(),
            },
            carbon_price,
        }
    }

    /// Checks unique codes, finite densities and a finite price ≥ 0 per t C.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        self.density_t_c_per_ha.check(
            "carbon_density",
            f64::MIN,
            f64::MAX,
            "a finite density in t C/ha",
        )?;
        self.carbon_price
            .check("carbon_price", &[PhysicalUnit::TonneC])?;
        Ok(Checked::new(self.clone()))
    }
}

/// Carbon storage as InVEST computes it: `C [t C] = Σ area [ha] × density(class) [t C/ha]`,
/// valued at a market price per t C.
///
/// # Examples
/// Two hectares of a class of 36 t C/ha store 72 t C, worth 72 × 100 = 7 200 at 100 per t C:
/// ```
/// use gep::prelude::*;
/// use gep::invest::CarbonPools;
/// use gep::services::{InvestCarbon, InvestCarbonParams};
/// use ndarray::array;
/// let pools = CarbonPools { codes: vec![11], c_above: vec![10.0], c_below: vec![5.0],
///     c_soil: vec![20.0], c_dead: vec![1.0] };
/// let price = Price::yuan(100.0, PhysicalUnit::TonneC, 2020, "example", Status::User);
/// let service = InvestCarbon::new(InvestCarbonParams::from_pools(&pools, price).check()?);
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
///     .area_ha(array![1.0, 1.0]).land_cover(array![11, 11]).build()?;
/// let services: Vec<Box<dyn Service>> = vec![Box::new(service)];
/// let account = Engine::new(&services).run(&landscape)?;
/// assert!((account.quantity("invest_carbon", "carbon_storage").unwrap() - 72.0).abs() < 1e-9);
/// assert!((account.total_value() - 7200.0).abs() < 1e-6);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone)]
pub struct InvestCarbon {
    params: Checked<InvestCarbonParams>,
}

impl InvestCarbon {
    /// The service with checked parameters.
    pub fn new(params: Checked<InvestCarbonParams>) -> Self {
        Self { params }
    }
}

const ID: &str = "invest_carbon";

impl Service for InvestCarbon {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Carbon storage (InVEST)"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        "C [t C] = sum area [ha] x (c_above + c_below + c_soil + c_dead)(class) [t C/ha]; \
         V = C x price per t C. InVEST 3.20 carbon model (INVEST_MODELS.md section 1)"
            .into()
    }
    fn required_layers(&self) -> Vec<&'static str> {
        Vec::new()
    }
    fn components(&self) -> Vec<Component> {
        vec![Component {
            id: "carbon_storage".into(),
            label: "stored carbon".into(),
            unit: PhysicalUnit::TonneC,
            valuation: Arc::new(MarketPrice::new(
                "carbon_price",
                self.params.carbon_price.clone(),
            )),
        }]
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        self.params.density_t_c_per_ha.records("carbon_density")
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        let lut = self.params.density_t_c_per_ha.lut(
            ID,
            "carbon_density",
            landscape.classification(),
            landscape.class_unit_counts(),
        )?;
        let inputs = UnitInputs::bind(landscape, ID, [], lut.served)?;
        Ok(Box::new(Kernel {
            inputs,
            density: lut.values,
        }))
    }
}

struct Kernel<'a> {
    inputs: UnitInputs<'a, 0>,
    density: Vec<f64>,
}

impl UnitKernel for Kernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        self.inputs.for_each(units, sink, |u, sink| {
            sink.add(
                0,
                u.region,
                u.class,
                self.density[u.class as usize] * u.area_ha,
            );
        });
    }
}
