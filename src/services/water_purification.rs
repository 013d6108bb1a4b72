//! Water purification (水质净化), METHODS.md §2.11: pollutant removal by wetlands and water
//! bodies, capped by the pollutant load actually received.

use serde::{Deserialize, Serialize};

use super::pollutant_cap::{
    bind_capacity, cap_by_load, CheckedPollutant, PollutantCost, PollutantParams, T_PER_HA_YR,
};
use super::{Category, Component, FinishContext, Service, ServiceCells, UnitKernel};
use crate::error::{GepError, ParamError};
use crate::landscape::Landscape;
use crate::params::{Checked, ClassTable, ClassValue, ParamRecord, Price, Status};
use crate::units::PhysicalUnit;

/// Parameters of [`WaterPurification`]: one [`PollutantParams`] per pollutant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WaterPurificationParams {
    /// Chemical oxygen demand (COD).
    pub cod: PollutantParams,
    /// Ammonia nitrogen (NH₃-N).
    pub nh3n: PollutantParams,
    /// Total nitrogen (TN).
    pub tn: PollutantParams,
    /// Total phosphorus (TP).
    pub tp: PollutantParams,
}

const NO_RATE: &str = "no per-area removal rate in METHODS.md: not counted until local \
    values are supplied (user parameter)";

fn unserved() -> ClassTable {
    ClassTable {
        unit: T_PER_HA_YR.into(),
        source: NO_RATE.into(),
        status: Status::User,
        rows: [11, 12, 13, 14, 21, 31, 41, 42, 51, 52, 61, 71]
            .into_iter()
            .map(|code| ClassValue { code, value: None })
            .collect(),
    }
}

fn cost(value_yuan_per_t: f64, source: &str, status: Status) -> PollutantCost {
    PollutantCost::Direct {
        price: Price::yuan(value_yuan_per_t, PhysicalUnit::Tonne, 2010, source, status),
    }
}

/// Pollution-equivalent value reused for total nitrogen (kg).
pub const TN_EQUIVALENT_KG: f64 = 0.8;

impl Default for WaterPurificationParams {
    /// Defaults:
    ///
    /// * Removal capacities: **none** — METHODS.md gives no per-area removal rates, so every
    ///   class is unserved until the user supplies local rates (t/(ha·yr) or kg/(ha·yr),
    ///   status `user`); the service is then added to
    ///   [`standard_services`](super::standard_services).
    /// * Caps: region statistics `cod_load_t`, `nh3n_load_t`, `tn_load_t`, `tp_load_t` (t/yr
    ///   entering the ecosystems).
    /// * Costs (2010 prices): COD 700, NH₃-N 875 yuan/t (Pema Dolkar et al. 2017, Garze \[V\];
    ///   = 0.7 yuan/equivalent ÷ 1 and 0.8 kg \[D\]); TP 2800 yuan/t (Garze P abatement cost
    ///   \[V/D\] = 0.7 ÷ 0.25 kg); TN derived from the 2003 water fee 0.7 yuan/equivalent ÷
    ///   the **NH₃-N** equivalent 0.8 kg = 875 yuan/t — TN has no own equivalent value in the
    ///   tax-law annex as recalled, so this reuse is flagged in the account's notes
    ///   (`data/pollutant_unit_costs.csv`).
    fn default() -> Self {
        Self {
            cod: PollutantParams {
                capacity: unserved(),
                load_stat: "cod_load_t".into(),
                cost: cost(
                    700.0,
                    "Pema Dolkar et al. 2017 (Garze) COD cost (METHODS.md 2.16)",
                    Status::Verified,
                ),
            },
            nh3n: PollutantParams {
                capacity: unserved(),
                load_stat: "nh3n_load_t".into(),
                cost: cost(
                    875.0,
                    "Pema Dolkar et al. 2017 (Garze) NH3-N cost (METHODS.md 2.16)",
                    Status::Verified,
                ),
            },
            tn: PollutantParams {
                capacity: unserved(),
                load_stat: "tn_load_t".into(),
                cost: PollutantCost::levy(
                    0.7,
                    "2003 pollutant discharge fee, water (data/pollutant_unit_costs.csv), in force in 2010",
                    TN_EQUIVALENT_KG,
                    "NH3-N pollution equivalent reused for TN (no own TN value; flagged, data/pollutant_unit_costs.csv)",
                    2010,
                ),
            },
            tp: PollutantParams {
                capacity: unserved(),
                load_stat: "tp_load_t".into(),
                cost: cost(
                    2800.0,
                    "Pema Dolkar et al. 2017 (Garze) P abatement cost = 0.7/0.25 (METHODS.md 2.16)",
                    Status::Verified,
                ),
            },
        }
    }
}

impl WaterPurificationParams {
    fn pollutants(&self) -> Result<Vec<CheckedPollutant>, ParamError> {
        Ok(vec![
            self.cod.check("cod")?,
            self.nh3n.check("nh3n")?,
            self.tn.check("tn")?,
            self.tp.check("tp")?,
        ])
    }

    /// Checks every pollutant (tables, statistic names, costs).
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        self.pollutants()?;
        Ok(Checked::new(self.clone()))
    }

    /// Whether any class has a removal rate (else the service has nothing to count).
    pub fn is_configured(&self) -> bool {
        [&self.cod, &self.nh3n, &self.tn, &self.tp]
            .iter()
            .any(|p| p.capacity.rows.iter().any(|r| r.value.is_some()))
    }

    /// The same parameters with every cost multiplied by `k`.
    pub fn with_prices_scaled(&self, k: f64) -> Self {
        let mut p = self.clone();
        for q in [&mut p.cod, &mut p.nh3n, &mut p.tn, &mut p.tp] {
            q.cost = q.cost.scaled(k);
        }
        p
    }
}

/// Water purification (METHODS.md §2.11):
///
/// `capacity_i [t] = Σ_j removal_ij [t/(ha·yr)] × A_j [ha]`,
/// `Q_wp,i = min(load_i, capacity_i)` per region (in [`Service::finish`]),
/// `V = Σ_i Q_wp,i × c_i` (avoided treatment cost, yuan/t).
///
/// Do not add the forest-standard "whole conserved volume × 2.09 yuan/t" line, nor count the
/// N/P of soil conservation again (METHODS.md §6).
///
/// # Examples
/// Four hectares of marsh removing 2 t COD/(ha·yr) have a capacity of 8 t; the township
/// discharged 5 t, so 5 t count, worth `5 × 700 = 3500` yuan:
/// ```
/// use gep::prelude::*;
/// use gep::params::ClassValue;
/// use gep::services::{WaterPurification, WaterPurificationParams};
/// use ndarray::array;
/// let mut p = WaterPurificationParams::default();
/// p.cod.capacity.rows.retain(|r| r.code != 41);
/// p.cod.capacity.rows.push(ClassValue { code: 41, value: Some(2.0) });
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
///     .area_ha(array![4.0])
///     .land_cover(array![41])
///     .region_stat("cod_load_t", vec![Some(5.0)], "pollution census")
///     .build()?;
/// let services: Vec<Box<dyn Service>> = vec![Box::new(WaterPurification::new(p.check()?))];
/// let account = Engine::new(&services).run(&landscape)?;
/// assert!((account.quantity("water_purification", "cod").unwrap() - 5.0).abs() < 1e-12);
/// assert!((account.total_value() - 3500.0).abs() < 1e-9);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone)]
pub struct WaterPurification {
    params: Checked<WaterPurificationParams>,
    pollutants: Vec<CheckedPollutant>,
}

impl WaterPurification {
    /// The service with checked parameters.
    pub fn new(params: Checked<WaterPurificationParams>) -> Self {
        // The parameters passed `check()`, which ran this same function without error.
        let pollutants = params.pollutants().unwrap_or_default();
        Self { params, pollutants }
    }
}

const ID: &str = "water_purification";

fn label(id: &str) -> &'static str {
    match id {
        "cod" => "removed COD",
        "nh3n" => "removed NH3-N",
        "tn" => "removed total N",
        _ => "removed total P",
    }
}

impl Service for WaterPurification {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Water purification"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        "capacity_i [t] = sum_j removal_ij [t/(ha yr)] x A_j [ha]; Q_wp,i = min(load_i [t], capacity_i) \
         per region; V = sum_i Q_wp,i x c_i [yuan/t] (avoided treatment cost). METHODS.md 2.11, \
         MEE 2020 guideline structure, Pema Dolkar et al. 2017 (Garze) costs"
            .into()
    }
    fn required_layers(&self) -> Vec<&'static str> {
        Vec::new()
    }
    fn components(&self) -> Vec<Component> {
        self.pollutants
            .iter()
            .map(|p| p.component(label(p.id)))
            .collect()
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        self.pollutants.iter().flat_map(|p| p.records()).collect()
    }
    fn notes(&self) -> Vec<String> {
        let mut n = vec![
            "do not combine with the forest-standard whole-volume water purification line, nor \
             with soil-conservation N/P (METHODS.md 6)"
                .to_string(),
        ];
        if let PollutantCost::Levy { equivalent_kg, .. } = &self.params.tn.cost {
            if equivalent_kg.value == TN_EQUIVALENT_KG {
                n.push(
                    "tn: unit cost reuses the NH3-N pollution equivalent 0.8 kg (TN has no own \
                     equivalent value as recalled; flagged)"
                        .into(),
                );
            }
        }
        for p in &self.pollutants {
            if p.capacity_table.rows.iter().all(|r| r.value.is_none()) {
                n.push(format!("{}: no removal rate given, not counted", p.id));
            }
        }
        n
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        bind_capacity(ID, &self.pollutants, landscape)
    }
    fn finish(
        &self,
        ctx: &FinishContext<'_>,
        cells: &mut ServiceCells<'_>,
    ) -> Result<(), GepError> {
        cap_by_load(&self.pollutants, ctx, cells)
    }
    fn is_additive(&self) -> bool {
        false
    }
}
