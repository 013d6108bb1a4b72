//! Flood regulation (洪水调蓄), METHODS.md §2.7: vegetation storm storage per unit, marsh
//! storage per unit, lake and reservoir storage from region statistics.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

use super::{
    Category, Component, FinishContext, NegativePolicy, ReplacementCost, Service, ServiceCells,
    Sink, UnitInputs, UnitKernel,
};
use crate::error::{GepError, LandscapeError, ParamError};
use crate::landscape::{is_valid_value, EcosystemType, Landscape};
use crate::params::{Checked, ClassTable, ClassValue, ParamRecord, Parameter, Price, Status};
use crate::units::{mm_over_ha_to_m3, M2_PER_HA};

/// Storm (heavy-rain) precipitation layer, mm per year.
pub const STORM_PRECIP_LAYER: &str = "storm_precip_mm";
/// Storm runoff layer, mm per year.
pub const STORM_RUNOFF_LAYER: &str = "storm_runoff_mm";
/// Region statistic: total lake area, km².
pub const LAKE_AREA_STAT: &str = "lake_area_km2";
/// Region statistic: lake water turnover (换水次数), times per year.
pub const LAKE_TURNOVER_STAT: &str = "lake_turnover_per_yr";
/// Region statistic: total reservoir capacity, m³.
pub const RESERVOIR_CAPACITY_STAT: &str = "reservoir_capacity_m3";

/// Coefficients of a lake storage regression `ln C = a + b ln A` (C in 10⁴ m³, A in km²).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LakeCoefficients {
    /// Intercept `a` of `ln C [10⁴ m³] = a + b ln A [km²]`.
    pub a: f64,
    /// Exponent `b`.
    pub b: f64,
    /// Where the coefficients come from.
    pub source: String,
    /// Their status.
    pub status: Status,
}

/// Lake coefficients for one named region (overriding the default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionLakeCoefficients {
    /// Region name, as in [`Regions`](crate::landscape::Regions).
    pub region: String,
    /// Its coefficients.
    pub coefficients: LakeCoefficients,
}

/// The lake regression per region: a default and per-region overrides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LakeModel {
    /// Coefficients for regions without an override.
    pub default: LakeCoefficients,
    /// Per-region overrides.
    #[serde(default)]
    pub by_region: Vec<RegionLakeCoefficients>,
}

impl LakeModel {
    /// Coefficients for a region name.
    pub fn for_region(&self, name: &str) -> &LakeCoefficients {
        self.by_region
            .iter()
            .find(|r| r.region == name)
            .map_or(&self.default, |r| &r.coefficients)
    }

    /// Flood storage of lakes, m³: `e^a × A^b × T × 10⁴`.
    pub fn storage_m3(coefficients: &LakeCoefficients, area_km2: f64, turnover_per_yr: f64) -> f64 {
        coefficients.a.exp() * area_km2.powf(coefficients.b) * turnover_per_yr * 1.0e4
    }
}

/// Parameters of [`FloodRegulation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FloodRegulationParams {
    /// Ecosystem types whose storm storage `(P_h − R_h) × A` is counted.
    pub vegetation_ecosystems: Vec<EcosystemType>,
    /// Treatment of units with storm runoff above storm rainfall.
    pub negative_storage: NegativePolicy,
    /// Marsh flood-retention depth H per land-cover code, m (no value = not a marsh).
    pub marsh_retention_depth_m: ClassTable,
    /// Lake regression coefficients.
    pub lake_model: LakeModel,
    /// Share of a reservoir's total capacity counted as flood storage.
    pub reservoir_flood_share: Parameter,
    /// Construction cost of reservoir storage per m³ (shadow project).
    pub reservoir_cost: Price,
}

impl Default for FloodRegulationParams {
    /// * Vegetation: forest, shrub and grassland (MEE-style storm storage \[R]).
    /// * Marsh retention depth 0.3 m for marsh wetland (code 41) \[V: Garze].
    /// * Lakes: Qinghai–Tibet Plateau regression `C = e^6.636 × A^0.678 × T` (10⁴ m³, A km²)
    ///   \[V: Garze, Rao Enming et al. 2014, Acta Ecol. Sin. 34(21)]. **Region-specific**: other
    ///   regions have their own (a, b); give them in `lake_model.by_region` or `default`.
    /// * Reservoir flood-control share 0.35 \[V: Garze (Rao et al. 2014)].
    /// * Reservoir cost 6.1107 yuan/m³, 2005 prices (LY/T 1721-2008) \[V], the same default as
    ///   water conservation so that one account values storage at one shadow price (Garze used
    ///   7.06 yuan/m³ at 2010 prices).
    /// * Negative storm storage floored at 0 (storage cannot be negative), amount reported.
    fn default() -> Self {
        Self {
            vegetation_ecosystems: vec![
                EcosystemType::Forest,
                EcosystemType::Shrub,
                EcosystemType::Grassland,
            ],
            negative_storage: NegativePolicy::FloorAtZero,
            marsh_retention_depth_m: ClassTable {
                unit: "m".into(),
                source: "Pema Dolkar et al. 2017 (Garze): H = 0.3 m".into(),
                status: Status::Verified,
                rows: [11, 12, 13, 14, 21, 31, 41, 42, 51, 52, 61, 71]
                    .into_iter()
                    .map(|code| ClassValue {
                        code,
                        value: (code == 41).then_some(0.3),
                    })
                    .collect(),
            },
            lake_model: LakeModel {
                default: LakeCoefficients {
                    a: 6.636,
                    b: 0.678,
                    source: "Qinghai-Tibet Plateau lakes: Rao Enming et al. 2014 Acta Ecol. Sin. 34(21), as used by Pema Dolkar et al. 2017 (Garze); region-specific".into(),
                    status: Status::Verified,
                },
                by_region: Vec::new(),
            },
            reservoir_flood_share: Parameter::new(
                0.35,
                "1",
                "Pema Dolkar et al. 2017 (Garze), after Rao et al. 2014",
                Status::Verified,
            ),
            reservoir_cost: Price::yuan(
                6.1107,
                crate::units::PhysicalUnit::CubicMetre,
                2005,
                "LY/T 1721-2008 forest standard (cited as 6.11 by Jiang et al. 2017); same as water conservation",
                Status::Verified,
            ),
        }
    }
}

impl FloodRegulationParams {
    /// Checks H ≥ 0 m, the reservoir share in [0, 1], finite lake coefficients, and the price.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        self.marsh_retention_depth_m.check(
            "marsh_retention_depth_m",
            0.0,
            100.0,
            "a depth in [0, 100] m",
        )?;
        let mut out = self.clone();
        out.reservoir_flood_share = self.reservoir_flood_share.check(
            "reservoir_flood_share",
            "1",
            0.0,
            1.0,
            "a fraction in [0, 1]",
        )?;
        let all = std::iter::once(&self.lake_model.default)
            .chain(self.lake_model.by_region.iter().map(|r| &r.coefficients));
        for c in all {
            for (name, v) in [("lake_model.a", c.a), ("lake_model.b", c.b)] {
                if !v.is_finite() {
                    return Err(ParamError::OutOfRange {
                        parameter: name.into(),
                        code: None,
                        value: v,
                        expected: "a finite number",
                    });
                }
            }
        }
        self.reservoir_cost
            .check("reservoir_cost", &[crate::units::PhysicalUnit::CubicMetre])?;
        Ok(Checked::new(out))
    }
}

/// Flood regulation (MEE 2020 guideline; Garze; METHODS.md §2.7):
/// `C_fm = C_vfm + C_mfm + C_lfm + C_rfm` (m³), each a component valued at reservoir
/// construction cost (shadow project):
///
/// * `vegetation`, m³ = `(P_h − R_h) [mm] × A [ha] × 10` per unit of the vegetation ecosystems
///   (layers `storm_precip_mm`, `storm_runoff_mm`);
/// * `marsh`, m³ = `A [ha] × 10⁴ × H [m]` per unit of a marsh class;
/// * `lake`, m³ = `e^a × A_l^b × T × 10⁴` per region (stats `lake_area_km2`,
///   `lake_turnover_per_yr`), in the finishing step;
/// * `reservoir`, m³ = `0.35 × C_t` per region (stat `reservoir_capacity_m3`), in the finishing
///   step.
///
/// Region-level storage is attributed to the region's water classes (ecosystem type water) in
/// proportion to their extent. A region with statistics but no water area, or with lake area but
/// no turnover, is not counted and a note says so (nothing is invented or silently dropped).
/// The lake regression is applied to the region's total lake area: for several lakes it
/// under-states (the curve is concave), so give one region per large lake where it matters.
///
/// Not additive across tiles (region statistics would be added once per tile): merge raw tile
/// accounts, then finish once.
///
/// # Examples
/// 1 ha of forest with 300 mm storm rain and 90 mm storm runoff holds `210 × 10 = 2100 m³`;
/// 2 ha of marsh hold `2 × 10⁴ × 0.3 = 6000 m³`; at 6.1107 yuan/m³:
/// ```
/// use gep::prelude::*;
/// use gep::services::{FloodRegulation, FloodRegulationParams};
/// use ndarray::array;
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
///     .area_ha(array![1.0, 2.0])
///     .land_cover(array![11, 41])
///     .layer("storm_precip_mm", array![300.0, 300.0], None)
///     .layer("storm_runoff_mm", array![90.0, 0.0], None)
///     .build()?;
/// let service = FloodRegulation::new(FloodRegulationParams::default().check()?);
/// let services: Vec<Box<dyn Service>> = vec![Box::new(service)];
/// let account = Engine::new(&services).run(&landscape)?;
/// assert!((account.quantity("flood_regulation", "vegetation").unwrap() - 2100.0).abs() < 1e-6);
/// assert!((account.quantity("flood_regulation", "marsh").unwrap() - 6000.0).abs() < 1e-6);
/// assert!((account.total_value() - 8100.0 * 6.1107).abs() < 1e-6);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone)]
pub struct FloodRegulation {
    params: Checked<FloodRegulationParams>,
}

impl FloodRegulation {
    /// The service with checked parameters.
    pub fn new(params: Checked<FloodRegulationParams>) -> Self {
        Self { params }
    }
}

const ID: &str = "flood_regulation";
const VEGETATION: usize = 0;
const MARSH: usize = 1;
const LAKE: usize = 2;
const RESERVOIR: usize = 3;

impl Service for FloodRegulation {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Flood regulation"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        "C_fm [m3] = C_vfm + C_mfm + C_lfm + C_rfm; C_vfm = sum (P_h - R_h) [mm] x A [ha] x 10 over forest/shrub/grassland units; \
         C_mfm = A_marsh [ha] x 1e4 x H [m]; C_lfm = e^a x A_lake[km2]^b x T x 1e4 per region (Rao et al. 2014 regression); \
         C_rfm = 0.35 x reservoir capacity [m3] per region; region storage attributed to water classes by extent; \
         V = C_fm x C_we (reservoir construction cost per m3). MEE 2020 guideline; Pema Dolkar et al. 2017 (Garze)"
            .into()
    }
    fn required_layers(&self) -> Vec<&'static str> {
        vec![STORM_PRECIP_LAYER, STORM_RUNOFF_LAYER]
    }
    fn components(&self) -> Vec<Component> {
        let valuation = Arc::new(ReplacementCost::new(
            "reservoir_cost",
            self.params.reservoir_cost.clone(),
        ));
        let c = |id: &str, label: &str| Component {
            id: id.into(),
            label: label.into(),
            unit: crate::units::PhysicalUnit::CubicMetre,
            valuation: valuation.clone(),
        };
        vec![
            c("vegetation", "storm water held by vegetation and soil"),
            c("marsh", "flood water held by marshes"),
            c("lake", "flood water held by lakes"),
            c("reservoir", "flood-control storage of reservoirs"),
        ]
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        let p = &self.params;
        let mut r = p.marsh_retention_depth_m.records("marsh_retention_depth_m");
        let lake = |name: String, c: &LakeCoefficients, unit: &str, v: f64| ParamRecord {
            name,
            value: v,
            unit: unit.into(),
            price_year: None,
            source: c.source.clone(),
            status: c.status,
        };
        let d = &p.lake_model.default;
        r.push(lake("lake_model.a".into(), d, "ln(1e4 m3)", d.a));
        r.push(lake("lake_model.b".into(), d, "1", d.b));
        for o in &p.lake_model.by_region {
            let c = &o.coefficients;
            r.push(lake(
                format!("lake_model[{}].a", o.region),
                c,
                "ln(1e4 m3)",
                c.a,
            ));
            r.push(lake(format!("lake_model[{}].b", o.region), c, "1", c.b));
        }
        r.push(p.reservoir_flood_share.record("reservoir_flood_share"));
        r
    }
    fn notes(&self) -> Vec<String> {
        let p = &self.params;
        vec![
            format!(
                "storm runoff above storm rainfall: {}",
                p.negative_storage.describe()
            ),
            format!(
                "vegetation storage counted on ecosystem types: {}",
                p.vegetation_ecosystems
                    .iter()
                    .map(|e| e.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!(
                "lake regression default (a = {}, b = {}) is region-specific: {}",
                p.lake_model.default.a, p.lake_model.default.b, p.lake_model.default.source
            ),
        ]
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        let classes = landscape.classification().classes();
        let marsh = self.params.marsh_retention_depth_m.lut(
            ID,
            "marsh_retention_depth_m",
            landscape.classification(),
            landscape.class_unit_counts(),
        )?;
        let vegetation: Vec<bool> = classes
            .iter()
            .map(|c| self.params.vegetation_ecosystems.contains(&c.ecosystem))
            .collect();
        let served = vegetation
            .iter()
            .zip(&marsh.served)
            .map(|(a, b)| *a || *b)
            .collect();
        let mut layers = [&[][..]; 2];
        let mut sentinels = [f32::NAN; 2];
        for (k, name) in [STORM_PRECIP_LAYER, STORM_RUNOFF_LAYER].iter().enumerate() {
            let layer = landscape.require_layer(ID, name)?;
            layers[k] = layer.as_slice();
            sentinels[k] = layer.nodata_sentinel();
        }
        Ok(Box::new(Kernel {
            inputs: UnitInputs::bind(landscape, ID, [], served)?,
            layers,
            sentinels,
            vegetation,
            marsh_depth_m: marsh.values,
            policy: self.params.negative_storage,
        }))
    }

    fn finish(
        &self,
        ctx: &FinishContext<'_>,
        cells: &mut ServiceCells<'_>,
    ) -> Result<(), GepError> {
        let p = &self.params;
        let water: Vec<usize> = (0..ctx.classes.len())
            .filter(|&c| ctx.classes[c].ecosystem == EcosystemType::Water)
            .collect();
        for r in 0..ctx.regions.len() {
            let name = ctx.regions.get(r).map_or("?", |g| g.name.as_str());
            let lake_m3 = match (
                ctx.stats.value(LAKE_AREA_STAT, r),
                ctx.stats.value(LAKE_TURNOVER_STAT, r),
            ) {
                (Some(a), _) if a < 0.0 => return Err(bad_stat(LAKE_AREA_STAT, r, a)),
                (_, Some(t)) if t < 0.0 => return Err(bad_stat(LAKE_TURNOVER_STAT, r, t)),
                (Some(a), Some(t)) if a > 0.0 => {
                    Some(LakeModel::storage_m3(p.lake_model.for_region(name), a, t))
                }
                (Some(a), None) if a > 0.0 => {
                    cells.note(format!(
                        "region {name}: lake area {a} km2 but no {LAKE_TURNOVER_STAT}; lakes not counted (unvalued, not zero)"
                    ));
                    None
                }
                _ => None,
            };
            let reservoir_m3 = match ctx.stats.value(RESERVOIR_CAPACITY_STAT, r) {
                Some(c) if c < 0.0 => return Err(bad_stat(RESERVOIR_CAPACITY_STAT, r, c)),
                Some(c) if c > 0.0 => Some(p.reservoir_flood_share.value * c),
                _ => None,
            };
            for (component, what, q) in [
                (LAKE, "lake", lake_m3),
                (RESERVOIR, "reservoir", reservoir_m3),
            ] {
                let Some(q) = q else { continue };
                let extent: Vec<f64> = water.iter().map(|&c| ctx.extent_ha(r, c)).collect();
                let total: f64 = extent.iter().sum();
                if total > 0.0 {
                    for (&c, e) in water.iter().zip(&extent) {
                        let v = cells.get(component, r, c);
                        cells.set(component, r, c, v + q * e / total);
                    }
                    cells.record_adjustment(component, q);
                } else {
                    cells.note(format!(
                        "region {name}: {what} flood storage {q:.1} m3 from region statistics, but the region has no water-class area to attribute it to; not counted"
                    ));
                }
            }
        }
        Ok(())
    }

    fn is_additive(&self) -> bool {
        false
    }
}

fn bad_stat(stat: &str, region: usize, value: f64) -> GepError {
    LandscapeError::NonFinite {
        layer: stat.into(),
        unit: region,
        value: value as f32,
        nodata: "none; region statistic must be >= 0".into(),
    }
    .into()
}

struct Kernel<'a> {
    inputs: UnitInputs<'a, 0>,
    layers: [&'a [f32]; 2],
    sentinels: [f32; 2],
    vegetation: Vec<bool>,
    marsh_depth_m: Vec<f64>,
    policy: NegativePolicy,
}

impl UnitKernel for Kernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        self.inputs.for_each(units, sink, |u, sink| {
            let class = u.class as usize;
            if self.vegetation[class] {
                let mut v = [0.0f64; 2];
                for (k, value) in v.iter_mut().enumerate() {
                    let x = self.layers[k].get(u.index).copied().unwrap_or(f32::NAN);
                    if x.is_nan() || !is_valid_value(x, self.sentinels[k]) {
                        let t = sink.tally();
                        t.counted -= 1;
                        t.layer_nodata[k] += 1;
                        return;
                    }
                    *value = f64::from(x);
                }
                let q = mm_over_ha_to_m3(v[0] - v[1], u.area_ha);
                let q = self.policy.apply(q, VEGETATION, sink);
                sink.add(VEGETATION, u.region, u.class, q);
            }
            let depth = self.marsh_depth_m[class];
            if depth > 0.0 {
                sink.add(MARSH, u.region, u.class, u.area_ha * M2_PER_HA * depth);
            }
        });
    }
}
