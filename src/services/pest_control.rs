//! Pest control (病虫害控制), METHODS.md §2.13: natural forest and grassland areas where pest
//! outbreaks are self-controlled, valued at the control cost per hectare. Optional: not in the
//! MEE core list of every profile, so not in [`standard_services`](super::standard_services).

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

use super::{AvoidedCost, Category, Component, Service, Sink, UnitInputs, UnitKernel};
use crate::error::{GepError, ParamError};
use crate::landscape::{EcosystemType, Landscape};
use crate::params::{Checked, ClassTable, ClassValue, ParamRecord, Price, Status};
use crate::units::PhysicalUnit;

/// Parameters of [`PestControl`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PestControlParams {
    /// Share of each forest or grassland class that is natural (self-controlling), fraction;
    /// a code without a value is not counted.
    pub natural_share: ClassTable,
    /// Pest control cost per hectare of forest, `c_forest`.
    pub forest_cost: Price,
    /// Pest control cost per hectare of grassland, `c_grass`.
    pub grassland_cost: Price,
}

impl Default for PestControlParams {
    /// Defaults: control costs 375 yuan/ha (forest) and 112.5 yuan/ha (grassland), Garze 2010
    /// (Pema Dolkar et al. 2017 \[V\]). Natural share 1 for every forest (11–14) and grassland
    /// (31) code — an assumption (status `user`): the sample classification does not separate
    /// natural stands from plantations; set the local natural share.
    fn default() -> Self {
        let row = |code, value| ClassValue { code, value };
        let garze = |v, what: &str| {
            Price::yuan(
                v,
                PhysicalUnit::Hectare,
                2010,
                &format!(
                    "Pema Dolkar et al. 2017 (Garze) {what} pest control cost (METHODS.md 2.13)"
                ),
                Status::Verified,
            )
        };
        Self {
            natural_share: ClassTable {
                unit: "1".into(),
                source: "assumption: the whole class area counted as natural; set the local share"
                    .into(),
                status: Status::User,
                rows: vec![
                    row(11, Some(1.0)),
                    row(12, Some(1.0)),
                    row(13, Some(1.0)),
                    row(14, Some(1.0)),
                    row(21, None),
                    row(31, Some(1.0)),
                    row(41, None),
                    row(42, None),
                    row(51, None),
                    row(52, None),
                    row(61, None),
                    row(71, None),
                ],
            },
            forest_cost: garze(375.0, "forest"),
            grassland_cost: garze(112.5, "grassland"),
        }
    }
}

impl PestControlParams {
    /// Checks shares in [0, 1] and prices ≥ 0 per ha.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        self.natural_share
            .check("natural_share", 0.0, 1.0, "a fraction in [0, 1]")?;
        self.forest_cost
            .check("forest_cost", &[PhysicalUnit::Hectare])?;
        self.grassland_cost
            .check("grassland_cost", &[PhysicalUnit::Hectare])?;
        Ok(Checked::new(self.clone()))
    }

    /// The same parameters with both costs multiplied by `k`.
    pub fn with_prices_scaled(&self, k: f64) -> Self {
        let mut p = self.clone();
        p.forest_cost = p.forest_cost.scaled(k);
        p.grassland_cost = p.grassland_cost.scaled(k);
        p
    }
}

/// Pest control (Garze practice, METHODS.md §2.13): `V_pc = Σ_k A_k [ha] × c_k [yuan/ha]`,
/// `A_k` the natural forest (k = forest) or grassland (k = grassland) area.
///
/// Classes of other ecosystem types are not counted even if given a share.
///
/// # Examples
/// 2 ha of natural broadleaf forest and 4 ha of grassland: `2 × 375 + 4 × 112.5 = 1200` yuan.
/// ```
/// use gep::prelude::*;
/// use gep::services::{PestControl, PestControlParams};
/// use ndarray::array;
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
///     .area_ha(array![2.0, 4.0])
///     .land_cover(array![11, 31])
///     .build()?;
/// let services: Vec<Box<dyn Service>> =
///     vec![Box::new(PestControl::new(PestControlParams::default().check()?))];
/// let account = Engine::new(&services).run(&landscape)?;
/// assert!((account.total_value() - 1200.0).abs() < 1e-9);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PestControl {
    params: Checked<PestControlParams>,
}

impl PestControl {
    /// The service with checked parameters.
    pub fn new(params: Checked<PestControlParams>) -> Self {
        Self { params }
    }
}

const ID: &str = "pest_control";

impl Service for PestControl {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Pest control"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        "V_pc = sum_k A_k [ha] x c_k [yuan/ha], A_k = area x natural share of forest (k = forest) \
         or grassland (k = grassland) classes. METHODS.md 2.13, Pema Dolkar et al. 2017 (Garze)"
            .into()
    }
    fn required_layers(&self) -> Vec<&'static str> {
        Vec::new()
    }
    fn components(&self) -> Vec<Component> {
        vec![
            Component {
                id: ("forest_area").into(),
                label: ("self-controlled natural forest").into(),
                unit: PhysicalUnit::Hectare,
                valuation: Arc::new(AvoidedCost::new(
                    "forest_cost",
                    self.params.forest_cost.clone(),
                )),
            },
            Component {
                id: ("grassland_area").into(),
                label: ("self-controlled natural grassland").into(),
                unit: PhysicalUnit::Hectare,
                valuation: Arc::new(AvoidedCost::new(
                    "grassland_cost",
                    self.params.grassland_cost.clone(),
                )),
            },
        ]
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        self.params.natural_share.records("natural_share")
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        let lut = self.params.natural_share.lut(
            ID,
            "natural_share",
            landscape.classification(),
            landscape.class_unit_counts(),
        )?;
        // Component per class: 0 forest, 1 grassland, none otherwise.
        let component: Vec<Option<usize>> = landscape
            .classification()
            .classes()
            .iter()
            .map(|c| match c.ecosystem {
                EcosystemType::Forest => Some(0),
                EcosystemType::Grassland => Some(1),
                _ => None,
            })
            .collect();
        let served = lut
            .served
            .iter()
            .zip(&component)
            .map(|(s, c)| *s && c.is_some())
            .collect();
        let inputs = UnitInputs::bind(landscape, ID, [], served)?;
        Ok(Box::new(Kernel {
            inputs,
            share: lut.values,
            component,
        }))
    }
}

struct Kernel<'a> {
    inputs: UnitInputs<'a, 0>,
    share: Vec<f64>,
    component: Vec<Option<usize>>,
}

impl UnitKernel for Kernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        self.inputs.for_each(units, sink, |u, sink| {
            let c = u.class as usize;
            if let Some(k) = self.component[c] {
                sink.add(k, u.region, u.class, self.share[c] * u.area_ha);
            }
        });
    }
}
