//! Water conservation (水源涵养) by the water-balance method, METHODS.md §2.4.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

use super::{
    Category, Component, NegativePolicy, ReplacementCost, Service, Sink, UnitInputs, UnitKernel,
};
use crate::error::{GepError, ParamError};
use crate::landscape::Landscape;
use crate::params::{Checked, ClassTable, ClassValue, ParamRecord, Price, Status};
use crate::units::{mm_over_ha_to_m3, PhysicalUnit};

/// Where surface runoff R comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunoffSource {
    /// `R = α × P` with α per class (MEE guideline; the default).
    #[default]
    Coefficient,
    /// `R` read from the layer `runoff_mm` (forest standard GB/T 38582 "调节水量":
    /// `G = 10 × A × (P − E − C)`, C the surface runoff in mm/a \[R\]). The α table still
    /// says which classes supply the service; its values are not used.
    Layer,
}

/// Parameters of [`WaterConservation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WaterConservationParams {
    /// Mean surface-runoff coefficient α (fraction of precipitation, `R = α·P`) per land-cover
    /// code; a code without a value does not supply the service.
    pub runoff_coefficients: ClassTable,
    /// Treatment of units with `P − R − ET < 0`.
    pub negative_balance: NegativePolicy,
    /// Where R comes from (default: runoff coefficients).
    pub runoff: RunoffSource,
    /// Construction cost of reservoir storage per m³ (shadow project), `C_we`.
    pub reservoir_cost: Price,
}

impl Default for WaterConservationParams {
    /// Defaults for [`Classification::gep_default`](crate::landscape::Classification::gep_default):
    ///
    /// * α from `data/runoff_coefficients_by_ecosystem.csv` (MEE 2017 ecological red-line
    ///   guideline annex, reused by the 2020 GEP guideline; values \[V\] from a public
    ///   implementation, attribution \[R\]): evergreen broadleaf forest 0.0267, evergreen
    ///   coniferous 0.0302, mixed 0.0229, deciduous broadleaf 0.0133, evergreen broadleaf shrub
    ///   0.0426, tussock grassland 0.0937. Marsh wetland α = 0 (the table's note: practice sets
    ///   R = 0 for wetlands). Open water, cropland, built-up and bare land do not supply the
    ///   service (water surfaces excluded, as the table's note allows).
    /// * Reservoir cost 6.1107 yuan/m³, 2005 prices, forest standard LY/T 1721-2008 \[V: cited as
    ///   6.11 by Jiang et al. 2017].
    /// * Negative balances kept signed (water-balance view, METHODS.md §6).
    fn default() -> Self {
        let row = |code, value| ClassValue { code, value };
        Self {
            runoff_coefficients: ClassTable {
                unit: "1".into(),
                source: "MEE (2017) ecological protection red line guideline annex, via data/runoff_coefficients_by_ecosystem.csv; wetland R = 0 by practice".into(),
                status: Status::Verified,
                rows: vec![
                    row(11, Some(0.0267)),
                    row(12, Some(0.0302)),
                    row(13, Some(0.0229)),
                    row(14, Some(0.0133)),
                    row(21, Some(0.0426)),
                    row(31, Some(0.0937)),
                    row(41, Some(0.0)),
                    row(42, None),
                    row(51, None),
                    row(52, None),
                    row(61, None),
                    row(71, None),
                ],
            },
            negative_balance: NegativePolicy::Signed,
            runoff: RunoffSource::Coefficient,
            reservoir_cost: Price::yuan(
                6.1107,
                PhysicalUnit::CubicMetre,
                2005,
                "LY/T 1721-2008 forest standard (cited as 6.11 by Jiang et al. 2017)",
                Status::Verified,
            ),
        }
    }
}

impl WaterConservationParams {
    /// Checks α ∈ [0, 1] with unique codes, and a finite price ≥ 0 per m³.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        self.runoff_coefficients
            .check("runoff_coefficient", 0.0, 1.0, "a fraction in [0, 1]")?;
        self.reservoir_cost
            .check("reservoir_cost", &[PhysicalUnit::CubicMetre])?;
        Ok(Checked::new(self.clone()))
    }
}

/// Water conservation by the water balance (MEE 2020 guideline; Ouyang et al. 2013;
/// HJ 1173-2021 A.1):
///
/// `Q_wr [m³] = Σ A [ha] × (P − R − ET) [mm] × 10`, `R = α × P`,
/// valued at reservoir construction cost: `V = Q_wr × C_we`.
///
/// Layers: `precip_mm` (annual precipitation), `aet_mm` (annual **actual** evapotranspiration).
///
/// # Examples
/// One hectare of evergreen broadleaf forest with P = 1600 mm and ET = 800 mm conserves
/// `(1600 − 0.0267·1600 − 800) × 10 = 7572.8 m³`, worth `7572.8 × 6.1107 = 46 275.1…` yuan:
/// ```
/// use gep::prelude::*;
/// use ndarray::array;
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
///     .area_ha(array![1.0])
///     .land_cover(array![11])
///     .layer("precip_mm", array![1600.0], None)
///     .layer("aet_mm", array![800.0], None)
///     .build()?;
/// let service = WaterConservation::new(WaterConservationParams::default().check()?);
/// let services: Vec<Box<dyn Service>> = vec![Box::new(service)];
/// let account = Engine::new(&services).run(&landscape)?;
/// assert!((account.quantity("water_conservation", "water").unwrap() - 7572.8).abs() < 1e-3);
/// assert!((account.total_value() - 7572.8 * 6.1107).abs() < 1e-2);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone)]
pub struct WaterConservation {
    params: Checked<WaterConservationParams>,
}

impl WaterConservation {
    /// The service with checked parameters.
    pub fn new(params: Checked<WaterConservationParams>) -> Self {
        Self { params }
    }
}

const ID: &str = "water_conservation";
/// Surface runoff layer read with [`RunoffSource::Layer`], mm per year.
pub const RUNOFF_LAYER: &str = "runoff_mm";

impl Service for WaterConservation {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Water conservation"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        if self.params.runoff == RunoffSource::Layer {
            return "Q_wr [m3] = sum 10 x A [ha] x (P - E - C) [mm], C = surface runoff from layer runoff_mm; \
                    V = Q_wr x C_we (reservoir construction cost per m3). \
                    Forest-standard variant GB/T 38582 (LY/T 1721-2008) 'regulated water volume'"
                .into();
        }
        "Q_wr [m3] = sum A [ha] x (P - R - ET) [mm] x 10, R = alpha(class) x P; \
         V = Q_wr x C_we (reservoir construction cost per m3). \
         Water-balance method: MEE 2020 terrestrial GEP guideline; Ouyang et al. 2013; HJ 1173-2021 A.1"
            .into()
    }
    fn required_layers(&self) -> Vec<&'static str> {
        match self.params.runoff {
            RunoffSource::Coefficient => vec!["precip_mm", "aet_mm"],
            RunoffSource::Layer => vec!["precip_mm", "aet_mm", RUNOFF_LAYER],
        }
    }
    fn components(&self) -> Vec<Component> {
        vec![Component::new(
            "water",
            "conserved water",
            PhysicalUnit::CubicMetre,
            Arc::new(ReplacementCost::new(
                "reservoir_cost",
                self.params.reservoir_cost.clone(),
            )),
        )]
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        if self.params.runoff == RunoffSource::Layer {
            return Vec::new();
        }
        self.params
            .runoff_coefficients
            .records("runoff_coefficient")
    }
    fn notes(&self) -> Vec<String> {
        vec![format!(
            "P - R - ET < 0: {}",
            self.params.negative_balance.describe()
        )]
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        let lut = self.params.runoff_coefficients.lut(
            ID,
            "runoff_coefficient",
            landscape.classification(),
            landscape.class_unit_counts(),
        )?;
        if self.params.runoff == RunoffSource::Layer {
            return Ok(Box::new(LayerKernel {
                inputs: UnitInputs::bind(
                    landscape,
                    ID,
                    ["precip_mm", "aet_mm", RUNOFF_LAYER],
                    lut.served,
                )?,
                policy: self.params.negative_balance,
            }));
        }
        let inputs = UnitInputs::bind(landscape, ID, ["precip_mm", "aet_mm"], lut.served)?;
        Ok(Box::new(Kernel {
            inputs,
            alpha: lut.values,
            policy: self.params.negative_balance,
        }))
    }
}

struct Kernel<'a> {
    inputs: UnitInputs<'a, 2>,
    alpha: Vec<f64>,
    policy: NegativePolicy,
}

impl UnitKernel for Kernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        self.inputs.for_each(units, sink, |u, sink| {
            let precip_mm = u.values[0] as f64;
            let aet_mm = u.values[1] as f64;
            let runoff_mm = self.alpha[u.class as usize] * precip_mm;
            let q_m3 = mm_over_ha_to_m3(precip_mm - runoff_mm - aet_mm, u.area_ha);
            let q_m3 = self.policy.apply(q_m3, 0, sink);
            sink.add(0, u.region, u.class, q_m3);
        });
    }
}

struct LayerKernel<'a> {
    inputs: UnitInputs<'a, 3>,
    policy: NegativePolicy,
}

impl UnitKernel for LayerKernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        self.inputs.for_each(units, sink, |u, sink| {
            let [precip_mm, aet_mm, runoff_mm] = u.values.map(f64::from);
            let q_m3 = mm_over_ha_to_m3(precip_mm - aet_mm - runoff_mm, u.area_ha);
            let q_m3 = self.policy.apply(q_m3, 0, sink);
            sink.add(0, u.region, u.class, q_m3);
        });
    }
}
