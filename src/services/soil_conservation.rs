//! Soil conservation (土壤保持) by RUSLE, METHODS.md §2.5.

use ndarray::ArrayView2;
use std::ops::Range;
use std::sync::Arc;

use super::{
    AvoidedCost, Category, Component, NotValued, ReplacementCost, Service, Sink, UnitInputs,
    UnitKernel, ValuationMethod,
};
use crate::error::{GepError, LandscapeError};
use crate::landscape::{GridShape, Landscape};
use crate::params::{Checked, ParamRecord, Parameter, Price, Status};
use crate::terrain::{
    fill_pits, flow_accumulation_d8, flow_accumulation_mfd, flow_dir_d8, flow_dir_mfd, ls_factor,
    slope_percent, CellSize, LsParams, LS_NODATA,
};
use crate::units::PhysicalUnit;

/// Rainfall erosivity layer, MJ·mm/(ha·h·yr).
pub const R_LAYER: &str = "r_mj_mm_per_ha_h_yr";
/// Soil erodibility layer, t·ha·h/(ha·MJ·mm).
pub const K_LAYER: &str = "k_t_ha_h_per_ha_mj_mm";
/// Slope length-steepness factor layer (dimensionless), read with [`LsSource::Layer`].
pub const LS_LAYER: &str = "ls_1";
/// Elevation layer (m), read with [`LsSource::FromDem`].
pub const DEM_LAYER: &str = "dem_m";

mod params;

pub use params::{FlowRouting, LsSource, SoilConservationParams, SoilValuation};

/// A price per t of nutrient derived from a fertilizer price and its nutrient content:
/// `price / content` (LY/T 1721: `N·C1/R1`).
fn per_nutrient(fertilizer: &Price, content: &Parameter, what: &str) -> Price {
    let mut p = fertilizer.clone();
    p.value = fertilizer.value / content.value;
    p.per = PhysicalUnit::Tonne;
    p.source = format!(
        "derived: {} {}/t fertilizer / {} {what} content ({})",
        fertilizer.value, fertilizer.currency, content.value, fertilizer.source
    );
    p.status = Status::Derived;
    p
}

/// Soil conservation by RUSLE (MEE 2020 guideline; HJ 1173-2021 A.2–A.13; METHODS.md §2.5):
///
/// `Q_sr [t] = R × K × LS × (1 − C·P) [t/ha] × A [ha]`, with C·P clamped to [0, 1] (and any
/// negative result from negative inputs floored at 0; both reported in the tally's
/// `negative_sum` as the amount removed).
///
/// Components (each a physical quantity with one valuation):
/// * `retained_soil`, t: `Q_sr`, reported but **not valued separately** ([`NotValued`]): its
///   value is carried by the components derived from it, and valuing it too would count it
///   twice.
/// * Default convention ([`SoilValuation::SedimentAndNutrients`]): `sediment`, m³ =
///   `λ·Q_sr/ρ` at dredging cost ([`AvoidedCost`]); `nitrogen`, `phosphorus` t = `Q_sr·C_i` at
///   abatement costs ([`AvoidedCost`]).
/// * Forest standard ([`SoilValuation::ForestStandard`]): `soil_volume`, m³ = `Q_sr/ρ` at
///   earthwork cost; `nitrogen`, `phosphorus` at DAP price / nutrient content
///   ([`ReplacementCost`]).
/// * Either way, `potassium` (KCl price / K content) and `organic_matter` (organic-matter price)
///   when their soil contents are given.
///
/// Layers: `r_mj_mm_per_ha_h_yr`, `k_t_ha_h_per_ha_mj_mm`, and `dem_m` (on a grid) or `ls_1`.
///
/// # Examples
/// One 1 ha unit of evergreen broadleaf forest (C 0.006, P 1) with R = 5000, K = 0.03,
/// LS = 2 (as a layer): `Q_sr = 5000·0.03·2·(1 − 0.006) = 298.2 t`; sediment
/// `0.24·298.2/0.93 = 76.955 m³` × 15.58; N `298.2·0.0037 = 1.10334 t` × 875; P
/// `298.2·0.00108 = 0.322056 t` × 2800; value ≈ 3066.2 yuan:
/// ```
/// use gep::prelude::*;
/// use gep::services::{LsSource, SoilConservation, SoilConservationParams};
/// use ndarray::array;
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
///     .area_ha(array![1.0])
///     .land_cover(array![11])
///     .layer("r_mj_mm_per_ha_h_yr", array![5000.0], None)
///     .layer("k_t_ha_h_per_ha_mj_mm", array![0.03], None)
///     .layer("ls_1", array![2.0], None)
///     .build()?;
/// let mut params = SoilConservationParams::default();
/// params.ls_source = LsSource::Layer;
/// let services: Vec<Box<dyn Service>> = vec![Box::new(SoilConservation::new(params.check()?))];
/// let account = Engine::new(&services).run(&landscape)?;
/// let q = account.quantity("soil_conservation", "retained_soil").unwrap();
/// assert!((q - 298.2).abs() < 1e-3);
/// let v = 0.24 * 298.2 / 0.93 * 15.58 + 298.2 * 0.0037 * 875.0 + 298.2 * 0.00108 * 2800.0;
/// assert!((account.total_value() - v).abs() < 1e-2);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone)]
pub struct SoilConservation {
    params: Checked<SoilConservationParams>,
}

impl SoilConservation {
    /// The service with checked parameters.
    pub fn new(params: Checked<SoilConservationParams>) -> Self {
        Self { params }
    }

    /// Components with their factor per t of retained soil.
    fn parts(&self) -> Vec<(Component, f64)> {
        let p = &self.params;
        let rho = p.soil_bulk_density_t_per_m3.value;
        let comp = |id: &str, label: &str, unit, valuation: Arc<dyn ValuationMethod>| {
            Component::new(id, label, unit, valuation)
        };
        let not_valued = Arc::new(NotValued {
            per: PhysicalUnit::Tonne,
            currency: p.dredging_cost.currency,
            price_year: p.dredging_cost.price_year,
        });
        let mut v = vec![(
            comp(
                "retained_soil",
                "retained soil (not valued separately)",
                PhysicalUnit::Tonne,
                not_valued,
            ),
            1.0,
        )];
        match p.valuation {
            SoilValuation::SedimentAndNutrients => {
                v.push((
                    comp(
                        "sediment",
                        "avoided reservoir/river sediment deposition",
                        PhysicalUnit::CubicMetre,
                        Arc::new(AvoidedCost::new("dredging_cost", p.dredging_cost.clone())),
                    ),
                    p.sediment_deposition_ratio.value / rho,
                ));
                v.push((
                    comp(
                        "nitrogen",
                        "avoided N loss",
                        PhysicalUnit::Tonne,
                        Arc::new(AvoidedCost::new(
                            "n_abatement_cost",
                            p.n_abatement_cost.clone(),
                        )),
                    ),
                    p.soil_n_fraction.value,
                ));
                v.push((
                    comp(
                        "phosphorus",
                        "avoided P loss",
                        PhysicalUnit::Tonne,
                        Arc::new(AvoidedCost::new(
                            "p_abatement_cost",
                            p.p_abatement_cost.clone(),
                        )),
                    ),
                    p.soil_p_fraction.value,
                ));
            }
            SoilValuation::ForestStandard => {
                v.push((
                    comp(
                        "soil_volume",
                        "fixed soil volume",
                        PhysicalUnit::CubicMetre,
                        Arc::new(ReplacementCost::new(
                            "earthwork_cost",
                            p.earthwork_cost.clone(),
                        )),
                    ),
                    1.0 / rho,
                ));
                v.push((
                    comp(
                        "nitrogen",
                        "retained N",
                        PhysicalUnit::Tonne,
                        Arc::new(ReplacementCost::new(
                            "n_fertilizer_price",
                            per_nutrient(&p.dap_price, &p.dap_n_fraction, "N"),
                        )),
                    ),
                    p.soil_n_fraction.value,
                ));
                v.push((
                    comp(
                        "phosphorus",
                        "retained P",
                        PhysicalUnit::Tonne,
                        Arc::new(ReplacementCost::new(
                            "p_fertilizer_price",
                            per_nutrient(&p.dap_price, &p.dap_p_fraction, "P"),
                        )),
                    ),
                    p.soil_p_fraction.value,
                ));
            }
        }
        if let Some(k) = &p.soil_k_fraction {
            v.push((
                comp(
                    "potassium",
                    "retained K",
                    PhysicalUnit::Tonne,
                    Arc::new(ReplacementCost::new(
                        "k_fertilizer_price",
                        per_nutrient(&p.kcl_price, &p.kcl_k_fraction, "K"),
                    )),
                ),
                k.value,
            ));
        }
        if let Some(om) = &p.soil_organic_matter_fraction {
            v.push((
                comp(
                    "organic_matter",
                    "retained organic matter",
                    PhysicalUnit::Tonne,
                    Arc::new(ReplacementCost::new(
                        "organic_matter_price",
                        p.organic_matter_price.clone(),
                    )),
                ),
                om.value,
            ));
        }
        v
    }

    fn ls_layer_name(&self) -> &'static str {
        match self.params.ls_source {
            LsSource::FromDem => DEM_LAYER,
            LsSource::Layer => LS_LAYER,
        }
    }

    /// The LS factor of every unit computed from `dem_m` on the landscape's grid.
    fn ls_from_dem(&self, landscape: &Landscape) -> Result<Vec<f32>, GepError> {
        let grid = landscape
            .grid()
            .ok_or_else(|| LandscapeError::MissingGrid {
                service: ID.into(),
                layer: DEM_LAYER.into(),
                derived: "the LS factor",
            })?;
        let dem = landscape.require_layer(ID, DEM_LAYER)?;
        ls_factor_from_dem(
            grid,
            dem.as_slice(),
            dem.nodata(),
            self.params.flow_routing,
            &self.params.ls,
        )
    }
}

/// The RUSLE LS factor (dimensionless, row-major, [`LS_NODATA`] where undefined) of a DEM
/// (m) on `grid`, as [`SoilConservation`] computes it with [`LsSource::FromDem`]: fill pits,
/// flow direction and accumulation by `routing`, percent slope of the filled DEM, then
/// [`ls_factor`]. Use it to compute LS once for a whole raster and give it as the `ls_1` layer
/// to tiled runs.
///
/// # Errors
/// [`LandscapeError::LengthMismatch`] when `dem_m` does not have one value per cell, and the
/// terrain errors of the steps (non-finite elevations, rectangular cells, all nodata).
pub fn ls_factor_from_dem(
    grid: &GridShape,
    dem_m: &[f32],
    nodata: Option<f32>,
    routing: FlowRouting,
    params: &LsParams,
) -> Result<Vec<f32>, GepError> {
    let view =
        ArrayView2::from_shape(grid.dim(), dem_m).map_err(|_| LandscapeError::LengthMismatch {
            layer: DEM_LAYER.into(),
            expected: grid.len(),
            len: dem_m.len(),
        })?;
    let filled = fill_pits(view, nodata)?;
    let accum = match routing {
        FlowRouting::Mfd => {
            flow_accumulation_mfd(flow_dir_mfd(filled.view(), nodata)?.view(), None)?
        }
        FlowRouting::D8 => flow_accumulation_d8(flow_dir_d8(filled.view(), nodata)?.view(), None)?,
    };
    let cell = CellSize::from_grid(grid);
    let slope = slope_percent(filled.view(), nodata, cell)?;
    let ls = ls_factor(slope.view(), accum.view(), cell, params)?;
    Ok(ls.iter().copied().collect())
}

const ID: &str = "soil_conservation";

impl Service for SoilConservation {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Soil conservation"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        let ls = match self.params.ls_source {
            LsSource::FromDem => "LS from dem_m (fill pits, flow accumulation, slope; Desmet & Govers L as InVEST SDR 3.20 codes it)",
            LsSource::Layer => "LS from layer ls_1",
        };
        let value = match self.params.valuation {
            SoilValuation::SedimentAndNutrients => "V = lambda x Q_sr / rho x c_dredging + sum_i Q_sr x C_i x p_i (i = N, P); MEE 2020 GEP guideline, Ouyang convention (Garze)",
            SoilValuation::ForestStandard => "V = Q_sr / rho x c_earthwork + sum_i Q_sr x C_i x fertilizer price / nutrient content (GB/T 38582, LY/T 1721-2008)",
        };
        format!(
            "Q_sr [t] = R [MJ mm/(ha h yr)] x K [t ha h/(ha MJ mm)] x LS x (1 - min(C x P, 1)) x A [ha] (RUSLE difference of potential and actual erosion; HJ 1173-2021 A.2-A.13); {ls}; {value}; retained soil itself is reported, not valued separately"
        )
    }
    fn required_layers(&self) -> Vec<&'static str> {
        vec![R_LAYER, K_LAYER, self.ls_layer_name()]
    }
    fn components(&self) -> Vec<Component> {
        self.parts().into_iter().map(|(c, _)| c).collect()
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        let p = &self.params;
        let mut r = p.cover_management_c.records("cover_management_c");
        r.extend(p.support_practice_p.records("support_practice_p"));
        if p.ls_source == LsSource::FromDem {
            r.push(ParamRecord {
                name: "ls.l_max".into(),
                value: p.ls.l_max,
                unit: "1".into(),
                price_year: None,
                source: "InVEST SDR 3.20 sample value".into(),
                status: Status::Practitioner,
            });
        }
        if p.valuation == SoilValuation::SedimentAndNutrients {
            r.push(
                p.sediment_deposition_ratio
                    .record("sediment_deposition_ratio"),
            );
        }
        r.push(
            p.soil_bulk_density_t_per_m3
                .record("soil_bulk_density_t_per_m3"),
        );
        r.push(p.soil_n_fraction.record("soil_n_fraction"));
        r.push(p.soil_p_fraction.record("soil_p_fraction"));
        if let Some(k) = &p.soil_k_fraction {
            r.push(k.record("soil_k_fraction"));
            r.push(p.kcl_k_fraction.record("kcl_k_fraction"));
        }
        if let Some(om) = &p.soil_organic_matter_fraction {
            r.push(om.record("soil_organic_matter_fraction"));
        }
        if p.valuation == SoilValuation::ForestStandard {
            r.push(p.dap_n_fraction.record("dap_n_fraction"));
            r.push(p.dap_p_fraction.record("dap_p_fraction"));
        }
        r
    }
    fn notes(&self) -> Vec<String> {
        let mut n = vec![
            "C x P is clamped to [0, 1] and negative per-unit soil retention (from C x P > 1 or negative R, K, LS) is counted as zero; the removed amount is the tally's negative_sum".to_string(),
            "retained_soil is reported for its quantity only; its value is carried by the derived components".to_string(),
        ];
        for (code, cp) in self.params.clamped_classes() {
            n.push(format!(
                "land-cover code {code}: C x P = {cp} > 1, clamped to 1 (no retention)"
            ));
        }
        if self.params.ls_source == LsSource::FromDem {
            n.push(format!(
                "LS computed from dem_m on the landscape's grid ({:?} flow routing, {:?} S formula, l_max {}); units where the DEM or the derived LS is nodata (e.g. cells with no downslope neighbour) are tallied under dem_m",
                self.params.flow_routing, self.params.ls.method, self.params.ls.l_max
            ));
        }
        n
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        let counts = landscape.class_unit_counts();
        let classification = landscape.classification();
        let c =
            self.params
                .cover_management_c
                .lut(ID, "cover_management_c", classification, counts)?;
        let p =
            self.params
                .support_practice_p
                .lut(ID, "support_practice_p", classification, counts)?;
        let served: Vec<bool> = c
            .served
            .iter()
            .zip(&p.served)
            .map(|(a, b)| *a && *b)
            .collect();
        let cp: Vec<f64> = c.values.iter().zip(&p.values).map(|(a, b)| a * b).collect();
        let inputs = UnitInputs::bind(
            landscape,
            ID,
            [R_LAYER, K_LAYER, self.ls_layer_name()],
            served,
        )?;
        let derived_ls = match self.params.ls_source {
            LsSource::FromDem => Some(self.ls_from_dem(landscape)?),
            LsSource::Layer => None,
        };
        Ok(Box::new(Kernel {
            inputs,
            cp,
            factors: self.parts().into_iter().map(|(_, f)| f).collect(),
            derived_ls,
        }))
    }
}

struct Kernel<'a> {
    inputs: UnitInputs<'a, 3>,
    cp: Vec<f64>,
    factors: Vec<f64>,
    derived_ls: Option<Vec<f32>>,
}

impl UnitKernel for Kernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        self.inputs.for_each(units, sink, |u, sink| {
            let ls = match &self.derived_ls {
                Some(ls) => {
                    let v = ls.get(u.index).copied().unwrap_or(LS_NODATA);
                    if v == LS_NODATA || v.is_nan() {
                        let t = sink.tally();
                        t.counted -= 1;
                        t.layer_nodata[2] += 1;
                        return;
                    }
                    f64::from(v)
                }
                None => f64::from(u.values[2]),
            };
            let r = f64::from(u.values[0]);
            let k = f64::from(u.values[1]);
            let cp = self.cp[u.class as usize].max(0.0);
            // Unclamped (1 − C·P) shows what a clamp removes.
            let q_t = r * k * ls * (1.0 - cp) * u.area_ha;
            for (i, f) in self.factors.iter().enumerate() {
                let q = q_t * f;
                if q_t < 0.0 {
                    sink.note_negative(i, q);
                } else {
                    sink.add(i, u.region, u.class, q);
                }
            }
        });
    }
}
