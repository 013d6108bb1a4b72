//! Climate regulation (气候调节): cooling by vegetation transpiration and by water-surface
//! evaporation, and humidification, METHODS.md §2.12.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

use super::{
    Category, Component, FinishContext, NegativePolicy, ReplacementCost, Service, ServiceCells,
    Sink, UnitKernel,
};
use crate::error::{GepError, ParamError};
use crate::landscape::{is_valid_value, Areas, Landscape, NODATA_CLASS};
use crate::params::{Checked, ClassTable, ClassValue, ParamRecord, Parameter, Price, Status};
use crate::units::{mm_over_ha_to_m3, PhysicalUnit, KJ_PER_KWH, M2_PER_HA};

/// Name of the optional layer of annual water-surface evaporation (mm/yr).
pub const EVAPORATION_LAYER: &str = "water_evap_mm";
/// Name of the annual actual-evapotranspiration layer used by [`EppSource::FromAet`] (mm/yr).
pub const AET_LAYER: &str = "aet_mm";
/// Days per year over which annual evaporation is spread.
const DAYS_PER_YEAR: f64 = 365.0;
/// Density of water, kg/m³.
const WATER_DENSITY_KG_PER_M3: f64 = 1000.0;

/// Where the heat consumed by transpiration per unit area and day, `EPP` (kJ/(m²·d)), comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum EppSource {
    /// A table of EPP per land-cover code, kJ/(m²·d) (local measurements or literature).
    Table {
        /// EPP per code; a code without a value does not transpire in this service.
        epp: ClassTable,
    },
    /// Derived from actual evapotranspiration (layer `aet_mm`):
    /// `EPP = AET [mm/yr = kg/(m²·yr)] × f_T × q [kJ/kg] ÷ 365 d`, with `f_T` the share of
    /// transpiration in ET per code.
    FromAet {
        /// Transpiration share of actual ET per code (fraction); a code without a value does
        /// not transpire in this service.
        transpiration_fraction: ClassTable,
    },
}

/// Parameters of [`ClimateRegulation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClimateRegulationParams {
    /// Transpiration heat per area and day.
    pub epp: EppSource,
    /// Energy efficiency ratio of the air conditioner replaced, `r` (1).
    pub ac_efficiency_ratio: Parameter,
    /// Latent heat of vaporisation `q` (kJ/kg).
    pub latent_heat_kj_per_kg: Parameter,
    /// Electricity a humidifier needs to evaporate 1 m³ of water, `y` (kWh/m³).
    pub humidifier_kwh_per_m3: Parameter,
    /// Land-cover codes whose evaporation counts as water-surface evaporation (lakes, rivers,
    /// reservoirs, marsh), read from layer `water_evap_mm`.
    pub water_surface_codes: Vec<i32>,
    /// Region statistic: days per year above 26 °C (cooling-demand days), `D`.
    pub hot_days_stat: String,
    /// Region statistic: days per year with relative humidity below ~45 % (humidification
    /// demand days).
    pub low_humidity_days_stat: String,
    /// Fallback share of the year with low humidity, used where the statistic is missing;
    /// `None` leaves such regions' humidification unvalued.
    pub low_humidity_fraction: Option<Parameter>,
    /// Region statistic: electricity use (kWh/yr), for the sanity flag.
    pub electricity_use_stat: String,
    /// Electricity price `P_e`.
    pub electricity_price: Price,
}

impl Default for ClimateRegulationParams {
    /// Defaults:
    ///
    /// * EPP derived from actual ET: `f_T = 0.61` (global transpiration share of ET,
    ///   Schlesinger & Jasechko 2014, Agric. For. Meteorol. 189–190: 115–117 \[R\]) for forest,
    ///   shrub and grassland codes (11–14, 21, 31). METHODS.md gives no EPP table; this is a
    ///   physical derivation \[D\] — replace with local EPP ([`EppSource::Table`]) if you have
    ///   it. Annual ET spread evenly over 365 days understates the hot-day rate (conservative).
    /// * `r = 3.0` (Bo Wenjing et al. 2017 \[V\]); `q = 2450 kJ/kg` (latent heat at ambient
    ///   temperature, platform default \[P\]; 2260 is the 100 °C value, METHODS.md §6);
    ///   `y = 120 kWh/m³` (platform \[P\]).
    /// * Water surfaces: marsh (41) and open water (42).
    /// * Statistics: `hot_days`, `low_humidity_days`, `electricity_use_kwh`; no fallback
    ///   low-humidity fraction.
    /// * Electricity 0.53 yuan/kWh (Pema Dolkar et al. 2017, Garze 2010 \[V\]).
    fn default() -> Self {
        let row = |code, value| ClassValue { code, value };
        Self {
            epp: EppSource::FromAet {
                transpiration_fraction: ClassTable {
                    unit: "1".into(),
                    source: "global transpiration/ET share 0.61 (Schlesinger & Jasechko 2014); \
                             EPP = AET x f_T x q / 365 derived, METHODS.md gives no EPP table"
                        .into(),
                    status: Status::Recalled,
                    rows: vec![
                        row(11, Some(0.61)),
                        row(12, Some(0.61)),
                        row(13, Some(0.61)),
                        row(14, Some(0.61)),
                        row(21, Some(0.61)),
                        row(31, Some(0.61)),
                        row(41, None),
                        row(42, None),
                        row(51, None),
                        row(52, None),
                        row(61, None),
                        row(71, None),
                    ],
                },
            },
            ac_efficiency_ratio: Parameter::new(
                3.0,
                "1",
                "Bo Wenjing et al. 2017 (METHODS.md 2.12)",
                Status::Verified,
            ),
            latent_heat_kj_per_kg: Parameter::new(
                2450.0,
                "kJ/kg",
                "latent heat at ambient temperature, platform default (2260 = 100 degC value), METHODS.md 2.12",
                Status::Practitioner,
            ),
            humidifier_kwh_per_m3: Parameter::new(
                120.0,
                "kWh/m3",
                "humidifier energy per m3 evaporated, platform default (METHODS.md 2.12)",
                Status::Practitioner,
            ),
            water_surface_codes: vec![41, 42],
            hot_days_stat: "hot_days".into(),
            low_humidity_days_stat: "low_humidity_days".into(),
            low_humidity_fraction: None,
            electricity_use_stat: "electricity_use_kwh".into(),
            electricity_price: Price::yuan(
                0.53,
                PhysicalUnit::KilowattHour,
                2010,
                "Pema Dolkar et al. 2017 (Garze), METHODS.md 2.16",
                Status::Verified,
            ),
        }
    }
}

impl ClimateRegulationParams {
    /// Checks the EPP table or transpiration shares, `r > 0`, `q` and `y` ≥ 0, the fallback
    /// fraction in [0, 1] and the price per kWh.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        match &self.epp {
            EppSource::Table { epp } => {
                epp.check("epp", 0.0, f64::MAX, "a finite EPP >= 0 kJ/(m2 d)")?;
            }
            EppSource::FromAet {
                transpiration_fraction,
            } => {
                transpiration_fraction.check(
                    "transpiration_fraction",
                    0.0,
                    1.0,
                    "a fraction in [0, 1]",
                )?;
            }
        }
        self.ac_efficiency_ratio.check(
            "ac_efficiency_ratio",
            "1",
            f64::MIN_POSITIVE,
            f64::MAX,
            "a ratio > 0",
        )?;
        self.latent_heat_kj_per_kg.check(
            "latent_heat_kj_per_kg",
            "kJ/kg",
            0.0,
            f64::MAX,
            "a finite latent heat >= 0 kJ/kg",
        )?;
        self.humidifier_kwh_per_m3.check(
            "humidifier_kwh_per_m3",
            "kWh/m3",
            0.0,
            f64::MAX,
            "a finite energy >= 0 kWh/m3",
        )?;
        if let Some(f) = &self.low_humidity_fraction {
            f.check(
                "low_humidity_fraction",
                "1",
                0.0,
                1.0,
                "a fraction in [0, 1]",
            )?;
        }
        self.electricity_price
            .check("electricity_price", &[PhysicalUnit::KilowattHour])?;
        Ok(Checked::new(self.clone()))
    }
}

/// Climate regulation (Pema Dolkar et al. 2017; Bo Wenjing et al. 2017; METHODS.md §2.12):
///
/// * vegetation transpiration `E_pt [kWh] = Σ_i EPP_i [kJ/(m²·d)] × S_i [m²] × D [d] ÷ (3600 × r)`;
/// * water-surface cooling `E_wc [kWh] = E_w [m³] × ρ_w × q ÷ 3600 × D/365`;
/// * humidification `E_wh [kWh] = E_w [m³] × y × H/365`;
/// * `V = (E_pt + E_wc + E_wh) × P_e`.
///
/// `D` (days above 26 °C) and `H` (low-humidity days) are region statistics applied in
/// [`Service::finish`]: only demand days count (METHODS.md §1.3, §6), and a region without
/// `D` is unvalued. Annual evaporation `E_w` (layer `water_evap_mm`, optional: without it the
/// water-surface lines are not counted and the account says so) is spread evenly over the
/// year. A note flags regions where the energy exceeds 10× their electricity use.
///
/// # Examples
/// One hectare of evergreen broadleaf forest with AET 730 mm/yr and 100 hot days:
/// `EPP = 730 × 0.61 × 2450 ÷ 365 = 2989 kJ/(m²·d)`; `E_pt = 2989 × 10⁴ × 100 ÷ (3600 × 3)
/// = 276 759.3 kWh`, worth `× 0.53 = 146 682.4` yuan:
/// ```
/// use gep::prelude::*;
/// use gep::services::{ClimateRegulation, ClimateRegulationParams};
/// use ndarray::array;
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
///     .area_ha(array![1.0])
///     .land_cover(array![11])
///     .layer("aet_mm", array![730.0], None)
///     .region_stat("hot_days", vec![Some(100.0)], "weather station")
///     .build()?;
/// let service = ClimateRegulation::new(ClimateRegulationParams::default().check()?);
/// let services: Vec<Box<dyn Service>> = vec![Box::new(service)];
/// let account = Engine::new(&services).run(&landscape)?;
/// let kwh = 730.0 * 0.61 * 2450.0 / 365.0 * 1e4 * 100.0 / (3600.0 * 3.0);
/// let q = account.quantity("climate_regulation", "transpiration_cooling").unwrap();
/// assert!((q - kwh).abs() < 1e-6 * kwh);
/// assert!((account.total_value() - kwh * 0.53).abs() < 1e-6 * kwh);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClimateRegulation {
    params: Checked<ClimateRegulationParams>,
}

impl ClimateRegulation {
    /// The service with checked parameters.
    pub fn new(params: Checked<ClimateRegulationParams>) -> Self {
        Self { params }
    }

    fn epp_from_aet(&self) -> bool {
        matches!(self.params.epp, EppSource::FromAet { .. })
    }
}

const ID: &str = "climate_regulation";

impl Service for ClimateRegulation {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Climate regulation"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        let epp = if self.epp_from_aet() {
            "EPP_i = AET [mm/yr] x f_T,i x q / 365"
        } else {
            "EPP_i from a table"
        };
        format!(
            "E_pt [kWh] = sum_i EPP_i [kJ/(m2 d)] x S_i [m2] x D [d] / (3600 r), {epp}; \
             E_wc [kWh] = E_w [m3] x rho_w [kg/m3] x q [kJ/kg] / 3600 x D/365; \
             E_wh [kWh] = E_w [m3] x y [kWh/m3] x H/365; V = (E_pt + E_wc + E_wh) x P_e. \
             D = region statistic `{}`, H = `{}`. METHODS.md 2.12; Pema Dolkar et al. 2017; Bo Wenjing et al. 2017",
            self.params.hot_days_stat, self.params.low_humidity_days_stat
        )
    }
    fn required_layers(&self) -> Vec<&'static str> {
        if self.epp_from_aet() {
            vec![AET_LAYER, EVAPORATION_LAYER]
        } else {
            vec![EVAPORATION_LAYER]
        }
    }
    fn components(&self) -> Vec<Component> {
        let price = || {
            Arc::new(ReplacementCost::new(
                "electricity_price",
                self.params.electricity_price.clone(),
            ))
        };
        vec![
            Component {
                id: ("transpiration_cooling").into(),
                label: ("cooling by vegetation transpiration").into(),
                unit: PhysicalUnit::KilowattHour,
                valuation: price(),
            },
            Component {
                id: ("water_cooling").into(),
                label: ("cooling by water-surface evaporation").into(),
                unit: PhysicalUnit::KilowattHour,
                valuation: price(),
            },
            Component {
                id: ("humidification").into(),
                label: ("humidification by water-surface evaporation").into(),
                unit: PhysicalUnit::KilowattHour,
                valuation: price(),
            },
        ]
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        let p = &self.params;
        let mut r = match &p.epp {
            EppSource::Table { epp } => epp.records("epp"),
            EppSource::FromAet {
                transpiration_fraction,
            } => transpiration_fraction.records("transpiration_fraction"),
        };
        r.push(p.ac_efficiency_ratio.record("ac_efficiency_ratio"));
        r.push(p.latent_heat_kj_per_kg.record("latent_heat_kj_per_kg"));
        r.push(p.humidifier_kwh_per_m3.record("humidifier_kwh_per_m3"));
        if let Some(f) = &p.low_humidity_fraction {
            r.push(f.record("low_humidity_fraction"));
        }
        r
    }
    fn notes(&self) -> Vec<String> {
        vec![
            format!(
                "water surfaces (codes {:?}): annual evaporation `{EVAPORATION_LAYER}` spread evenly over 365 days",
                self.params.water_surface_codes
            ),
            format!(
                "sanity flag when energy > 10x region statistic `{}`",
                self.params.electricity_use_stat
            ),
        ]
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        let classes = landscape.classification();
        let (epp_per_unit, aet) = match &self.params.epp {
            EppSource::Table { epp } => (
                epp.lut(ID, "epp", classes, landscape.class_unit_counts())?,
                None,
            ),
            EppSource::FromAet {
                transpiration_fraction,
            } => {
                let layer = landscape.require_layer(ID, AET_LAYER)?;
                (
                    transpiration_fraction.lut(
                        ID,
                        "transpiration_fraction",
                        classes,
                        landscape.class_unit_counts(),
                    )?,
                    Some((layer.as_slice(), layer.nodata_sentinel())),
                )
            }
        };
        let water: Vec<bool> = classes
            .classes()
            .iter()
            .map(|c| self.params.water_surface_codes.contains(&c.code))
            .collect();
        let evap = landscape
            .layer(EVAPORATION_LAYER)
            .map(|l| (l.as_slice(), l.nodata_sentinel()));
        let q = self.params.latent_heat_kj_per_kg.value;
        let r = self.params.ac_efficiency_ratio.value;
        // kWh per hot day per ha per unit of the per-class value (EPP, or AET x f_T).
        let veg_factor = if aet.is_some() {
            q / DAYS_PER_YEAR
        } else {
            1.0
        } * M2_PER_HA
            / (KJ_PER_KWH * r);
        Ok(Box::new(Kernel {
            class: landscape.class_index(),
            region: landscape.region_index(),
            areas: landscape.areas(),
            veg: epp_per_unit.values.iter().map(|v| v * veg_factor).collect(),
            veg_served: epp_per_unit.served,
            water,
            aet,
            evap,
            cool_kwh_per_m3: WATER_DENSITY_KG_PER_M3 * q / KJ_PER_KWH,
            humid_kwh_per_m3: self.params.humidifier_kwh_per_m3.value,
            evap_slot: usize::from(self.epp_from_aet()),
        }))
    }
    fn finish(
        &self,
        ctx: &FinishContext<'_>,
        cells: &mut ServiceCells<'_>,
    ) -> Result<(), GepError> {
        finish_demand_days(&self.params, ctx, cells)
    }
    fn is_additive(&self) -> bool {
        false
    }
}

struct Kernel<'a> {
    class: &'a [u16],
    region: &'a [u32],
    areas: &'a Areas,
    /// Per class: kWh per hot day per ha, per unit of AET (mm) when derived from AET.
    veg: Vec<f64>,
    veg_served: Vec<bool>,
    water: Vec<bool>,
    aet: Option<(&'a [f32], f32)>,
    evap: Option<(&'a [f32], f32)>,
    cool_kwh_per_m3: f64,
    humid_kwh_per_m3: f64,
    evap_slot: usize,
}

impl UnitKernel for Kernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        for i in units {
            let class = self.class[i];
            if class == NODATA_CLASS {
                sink.tally().land_cover_nodata += 1;
                continue;
            }
            let c = class as usize;
            let region = self.region[i];
            let area_ha = self.areas.get(i);
            if self.veg_served[c] {
                let per_ha = match self.aet {
                    Some((aet, nodata)) => {
                        let v = aet[i];
                        if !is_valid_value(v, nodata) {
                            sink.tally().layer_nodata[0] += 1;
                            continue;
                        }
                        NegativePolicy::FloorAtZero.apply(f64::from(v), 0, sink) * self.veg[c]
                    }
                    None => self.veg[c],
                };
                sink.tally().counted += 1;
                sink.add(0, region, class, per_ha * area_ha);
            } else if self.water[c] {
                let Some(v) = self
                    .evap
                    .map(|(e, nodata)| (e[i], nodata))
                    .filter(|&(v, nodata)| is_valid_value(v, nodata))
                    .map(|(v, _)| v)
                else {
                    sink.tally().layer_nodata[self.evap_slot] += 1;
                    continue;
                };
                let evap_mm = NegativePolicy::FloorAtZero.apply(f64::from(v), 1, sink);
                let e_w_m3 = mm_over_ha_to_m3(evap_mm, area_ha);
                sink.tally().counted += 1;
                sink.add(1, region, class, e_w_m3 * self.cool_kwh_per_m3);
                sink.add(2, region, class, e_w_m3 * self.humid_kwh_per_m3);
            } else {
                sink.tally().class_not_served += 1;
            }
        }
    }
}

/// Scales the per-hot-day and per-year sums by each region's demand days, notes unvalued
/// regions, and flags energies far above the region's electricity use.
fn finish_demand_days(
    p: &ClimateRegulationParams,
    ctx: &FinishContext<'_>,
    cells: &mut ServiceCells<'_>,
) -> Result<(), GepError> {
    let evap_missing = cells
        .tally()
        .layer_nodata
        .last()
        .copied()
        .unwrap_or_default();
    if evap_missing > 0 {
        cells.note(format!(
            "{evap_missing} water-surface unit(s) without `{EVAPORATION_LAYER}` (layer absent or nodata): water-surface cooling and humidification not counted there"
        ));
    }
    let days = |name: &str, value: f64, region: &str| -> Result<f64, GepError> {
        if (0.0..=366.0).contains(&value) {
            Ok(value)
        } else {
            Err(ParamError::OutOfRange {
                parameter: format!("{name} (region `{region}`)"),
                code: None,
                value,
                expected: "a number of days in [0, 366]",
            }
            .into())
        }
    };
    for r in 0..cells.n_regions() {
        let totals = [0, 1, 2].map(|k| cells.region_total(k, r));
        if totals.iter().all(|t| *t == 0.0) {
            continue;
        }
        let region = ctx
            .regions
            .get(r)
            .map_or_else(|| format!("#{r}"), |g| g.name.clone());
        match ctx.stats.value(&p.hot_days_stat, r) {
            Some(d) => {
                let d = days(&p.hot_days_stat, d, &region)?;
                cells.scale_region(0, r, d);
                cells.scale_region(1, r, d / DAYS_PER_YEAR);
            }
            None => {
                cells.scale_region(0, r, 0.0);
                cells.scale_region(1, r, 0.0);
                cells.note(format!(
                    "region `{region}` has no `{}` statistic: cooling unvalued (not zero)",
                    p.hot_days_stat
                ));
            }
        }
        let humid_days = match ctx.stats.value(&p.low_humidity_days_stat, r) {
            Some(h) => Some(days(&p.low_humidity_days_stat, h, &region)?),
            None => p
                .low_humidity_fraction
                .as_ref()
                .map(|f| f.value * DAYS_PER_YEAR),
        };
        match humid_days {
            Some(h) => cells.scale_region(2, r, h / DAYS_PER_YEAR),
            None => {
                if totals[2] > 0.0 {
                    cells.note(format!(
                        "region `{region}` has no `{}` statistic and no fallback fraction: humidification unvalued (not zero)",
                        p.low_humidity_days_stat
                    ));
                }
                cells.scale_region(2, r, 0.0);
            }
        }
        let energy_kwh: f64 = (0..3).map(|k| cells.region_total(k, r)).sum();
        if let Some(use_kwh) = ctx.stats.value(&p.electricity_use_stat, r) {
            if energy_kwh > 10.0 * use_kwh {
                cells.note(format!(
                    "WARNING region `{region}`: climate-regulation energy {energy_kwh:.4e} kWh is {:.1}x its electricity use {use_kwh:.4e} kWh (`{}`); check EPP, D and q (METHODS.md 2.12 sanity flag)",
                    energy_kwh / use_kwh.max(f64::MIN_POSITIVE),
                    p.electricity_use_stat
                ));
            }
        }
    }
    Ok(())
}
