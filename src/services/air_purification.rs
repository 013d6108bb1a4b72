//! Air purification (空气净化), METHODS.md §2.10: pollutant absorption and dust retention by
//! vegetation, capped by the region's actual emissions.

use serde::{Deserialize, Serialize};

use super::pollutant_cap::{
    bind_capacity, cap_by_load, CheckedPollutant, PollutantCost, PollutantParams, KG_PER_HA_YR,
    T_PER_HA_YR,
};
use super::{Category, Component, FinishContext, Service, ServiceCells, UnitKernel};
use crate::error::{GepError, ParamError};
use crate::landscape::Landscape;
use crate::params::{Checked, ClassTable, ClassValue, ParamRecord, Price, Status};
use crate::units::PhysicalUnit;

/// Parameters of [`AirPurification`]: one [`PollutantParams`] per pollutant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AirPurificationParams {
    /// Sulphur dioxide (SO₂).
    pub so2: PollutantParams,
    /// Nitrogen oxides (NOx).
    pub nox: PollutantParams,
    /// Dust / particulates retained on foliage.
    pub dust: PollutantParams,
    /// Fluoride; not counted unless given (no per-area capacity in METHODS.md).
    pub fluoride: Option<PollutantParams>,
}

const FOREST_SOURCE_SO2: &str = "China Biodiversity Country Study per-area capacities as \
    reused by MEE 2020 / LY/T 1721 practice (METHODS.md §2.10 [R]): broadleaf 88.65, coniferous \
    215.60 kg/(ha*yr); deciduous broadleaf (14) takes the broadleaf value; mixed forest (13) the \
    mean of the two (152.125, derived); other classes not counted (no value in METHODS.md)";
const FOREST_SOURCE_DUST: &str = "China Biodiversity Country Study per-area capacities \
    (METHODS.md §2.10 [R]): broadleaf 10.11, coniferous 33.2 t/(ha*yr); deciduous broadleaf \
    (14) takes the broadleaf value; mixed forest (13) the mean of the two (21.655, derived); \
    other classes not counted";

fn table(unit: &str, source: &str, status: Status, served: &[(i32, f64)]) -> ClassTable {
    let rows = [11, 12, 13, 14, 21, 31, 41, 42, 51, 52, 61, 71]
        .into_iter()
        .map(|code| ClassValue {
            code,
            value: served.iter().find(|(c, _)| *c == code).map(|(_, v)| *v),
        })
        .collect();
    ClassTable {
        unit: unit.into(),
        source: source.into(),
        status,
        rows,
    }
}

fn garze(value_yuan_per_t: f64, what: &str) -> PollutantCost {
    PollutantCost::Direct {
        price: Price::yuan(
            value_yuan_per_t,
            PhysicalUnit::Tonne,
            2010,
            &format!("Pema Dolkar et al. 2017 (Garze) {what} abatement cost (METHODS.md §2.16)"),
            Status::Verified,
        ),
    }
}

impl Default for AirPurificationParams {
    /// Defaults for [`Classification::gep_default`](crate::landscape::Classification::gep_default):
    ///
    /// * SO₂: broadleaf forest 88.65, coniferous 215.60 kg/(ha·yr) \[R: China Biodiversity
    ///   Country Study, METHODS.md §2.10\]; deciduous broadleaf as broadleaf, mixed forest the
    ///   mean (152.125) \[D\]; cost 1200 yuan/t (Garze 2010 \[V\]). Cap: `so2_emission_t`.
    /// * NOx: **no capacity by default** — METHODS.md gives none (the forest standard
    ///   LY/T 1721 is often cited for a per-area forest value; supply it as a `user` table if
    ///   you accept it). Cost 630 yuan/t (Garze 2010 \[V\]; = 0.6 yuan/equivalent ÷ 0.95 kg
    ///   \[D\]). Cap: `nox_emission_t`.
    /// * Dust: broadleaf 10.11, coniferous 33.2 t/(ha·yr) \[R\], same rules for 13 and 14;
    ///   cost 150 yuan/t (Garze \[V\]; = 0.6 ÷ 4 kg \[D\]). Cap: `dust_emission_t`.
    /// * Fluoride: not counted (`None`); when given, METHODS.md's cost is 0.69 yuan/kg
    ///   (= 0.6 ÷ 0.87 kg, [`PollutantCost::levy`]).
    ///
    /// Shrub, grassland, wetland, cropland and built-up classes have no value (not counted):
    /// METHODS.md has no per-area capacity for them.
    fn default() -> Self {
        Self {
            so2: PollutantParams {
                capacity: table(
                    KG_PER_HA_YR,
                    FOREST_SOURCE_SO2,
                    Status::Recalled,
                    &[(11, 88.65), (12, 215.60), (13, 152.125), (14, 88.65)],
                ),
                load_stat: "so2_emission_t".into(),
                cost: garze(1200.0, "SO2"),
            },
            nox: PollutantParams {
                capacity: table(
                    KG_PER_HA_YR,
                    "no per-area NOx capacity in METHODS.md: not counted unless supplied",
                    Status::User,
                    &[],
                ),
                load_stat: "nox_emission_t".into(),
                cost: garze(630.0, "NOx"),
            },
            dust: PollutantParams {
                capacity: table(
                    T_PER_HA_YR,
                    FOREST_SOURCE_DUST,
                    Status::Recalled,
                    &[(11, 10.11), (12, 33.2), (13, 21.655), (14, 10.11)],
                ),
                load_stat: "dust_emission_t".into(),
                cost: garze(150.0, "dust"),
            },
            fluoride: None,
        }
    }
}

impl AirPurificationParams {
    /// The pollutants counted, in component order, checked.
    fn pollutants(&self) -> Result<Vec<CheckedPollutant>, ParamError> {
        let mut v = vec![
            self.so2.check("so2")?,
            self.nox.check("nox")?,
            self.dust.check("dust")?,
        ];
        if let Some(f) = &self.fluoride {
            v.push(f.check("fluoride")?);
        }
        Ok(v)
    }

    /// Checks every pollutant: capacity tables (unique codes, finite values ≥ 0, unit
    /// `kg/(ha*yr)` or `t/(ha*yr)`), statistic names, and costs (a levy needs a rate ≥ 0 and
    /// an equivalent value > 0).
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        self.pollutants()?;
        Ok(Checked::new(self.clone()))
    }

    /// The same parameters with every cost multiplied by `k`.
    pub fn with_prices_scaled(&self, k: f64) -> Self {
        let mut p = self.clone();
        for q in [&mut p.so2, &mut p.nox, &mut p.dust] {
            q.cost = q.cost.scaled(k);
        }
        if let Some(f) = &mut p.fluoride {
            f.cost = f.cost.scaled(k);
        }
        p
    }
}

/// Air purification (MEE 2020 guideline structure; Garze practice, METHODS.md §2.10):
///
/// `capacity_i [t] = Σ_j Q_ij [t/(ha·yr)] × A_j [ha]`,
/// `Q_ap,i = min(emission_i, capacity_i)` per region (in [`Service::finish`]),
/// `V = Σ_i Q_ap,i × c_i` (avoided abatement cost, yuan/t).
///
/// The cap is a final-service rule (METHODS.md §1.3): no value without pollution received.
/// A region without an emission statistic is *unvalued* (zero, with a note), never valued as
/// if uncapped. Caps appear in the tally's `adjusted_sum` and in notes.
///
/// # Examples
/// Ten hectares of coniferous forest absorb `10 × 215.60 kg = 2.156 t` SO₂; the township
/// emitted 1.5 t, so 1.5 t count, worth `1.5 × 1200 = 1800` yuan (dust has no emission data
/// here, so it is unvalued):
/// ```
/// use gep::prelude::*;
/// use gep::services::{AirPurification, AirPurificationParams};
/// use ndarray::array;
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
///     .area_ha(array![10.0])
///     .land_cover(array![12])
///     .region_stat("so2_emission_t", vec![Some(1.5)], "yearbook")
///     .build()?;
/// let service = AirPurification::new(AirPurificationParams::default().check()?);
/// let services: Vec<Box<dyn Service>> = vec![Box::new(service)];
/// let account = Engine::new(&services).run(&landscape)?;
/// assert!((account.quantity("air_purification", "so2").unwrap() - 1.5).abs() < 1e-12);
/// assert!((account.total_value() - 1800.0).abs() < 1e-9);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone)]
pub struct AirPurification {
    params: Checked<AirPurificationParams>,
    pollutants: Vec<CheckedPollutant>,
}

impl AirPurification {
    /// The service with checked parameters.
    pub fn new(params: Checked<AirPurificationParams>) -> Self {
        // The parameters passed `check()`, which ran this same function without error.
        let pollutants = params.pollutants().unwrap_or_default();
        Self { params, pollutants }
    }

    /// The parameters.
    pub fn params(&self) -> &AirPurificationParams {
        &self.params
    }
}

const ID: &str = "air_purification";

fn label(id: &str) -> &'static str {
    match id {
        "so2" => "absorbed SO2",
        "nox" => "absorbed NOx",
        "dust" => "retained dust",
        _ => "absorbed fluoride",
    }
}

impl Service for AirPurification {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Air purification"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        "capacity_i [t] = sum_j Q_ij [t/(ha yr)] x A_j [ha]; Q_ap,i = min(emission_i [t], capacity_i) \
         per region; V = sum_i Q_ap,i x c_i [yuan/t] (avoided abatement cost; c_i direct or \
         levy rate / pollution-equivalent value). METHODS.md 2.10, MEE 2020 guideline structure, \
         Pema Dolkar et al. 2017 (Garze)"
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
        let mut n: Vec<String> = self
            .pollutants
            .iter()
            .map(|p| {
                format!(
                    "{}: capped by region statistic `{}` (t/yr)",
                    p.id, p.params.load_stat
                )
            })
            .collect();
        if self
            .params
            .nox
            .capacity
            .rows
            .iter()
            .all(|r| r.value.is_none())
        {
            n.push("nox: no per-area capacity given, NOx absorption not counted".into());
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
