//! [`SoilConservationParams`] and its choices, with the built-in defaults and their sources.

use serde::{Deserialize, Serialize};

use crate::error::ParamError;
use crate::params::{Checked, ClassTable, ClassValue, Parameter, Price, Status};
use crate::terrain::LsParams;
use crate::units::PhysicalUnit;

#[cfg(doc)]
use super::SoilConservation;
#[cfg(doc)]
use crate::terrain::{fill_pits, ls_factor, slope_percent};

/// Where the LS factor comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LsSource {
    /// Computed once per run from the `dem_m` layer on the landscape's grid
    /// ([`fill_pits`] → flow direction → accumulation → [`slope_percent`] → [`ls_factor`]).
    /// A neighbourhood computation: a tile's LS differs from the whole's near its edges, so
    /// tiled runs should compute LS once and use [`LsSource::Layer`].
    #[default]
    FromDem,
    /// Read from the layer `ls_1`.
    Layer,
}

/// Flow routing used for the flow accumulation of the LS factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowRouting {
    /// Multiple flow direction (InVEST SDR 3.20's choice).
    #[default]
    Mfd,
    /// Single flow direction D8.
    D8,
}

/// How retained soil is valued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SoilValuation {
    /// MEE GEP guideline / Ouyang convention: avoided sediment deposition at dredging cost plus
    /// avoided N and P loss at abatement costs.
    #[default]
    SedimentAndNutrients,
    /// Forest standard GB/T 38582 (保育土壤): soil fixed at earthwork cost, fertility at
    /// fertilizer prices.
    ForestStandard,
}

/// Parameters of [`SoilConservation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SoilConservationParams {
    /// Where LS comes from.
    pub ls_source: LsSource,
    /// Flow routing for LS from the DEM.
    pub flow_routing: FlowRouting,
    /// LS formula options for LS from the DEM.
    pub ls: LsParams,
    /// Cover-management factor C (0–1 in practice) per land-cover code; no value = not served.
    pub cover_management_c: ClassTable,
    /// Support-practice factor P (0–1 in practice) per land-cover code; no value = not served.
    pub support_practice_p: ClassTable,
    /// Valuation convention.
    pub valuation: SoilValuation,
    /// Sediment deposition coefficient λ (share of eroded soil that silts reservoirs/rivers).
    pub sediment_deposition_ratio: Parameter,
    /// Soil bulk density ρ, t/m³ (local).
    pub soil_bulk_density_t_per_m3: Parameter,
    /// Total N content of soil, fraction.
    pub soil_n_fraction: Parameter,
    /// Total P content of soil, fraction.
    pub soil_p_fraction: Parameter,
    /// Total K content of soil, fraction; `None` = K not counted.
    pub soil_k_fraction: Option<Parameter>,
    /// Organic matter content of soil, fraction; `None` = organic matter not counted.
    pub soil_organic_matter_fraction: Option<Parameter>,
    /// Reservoir dredging cost per m³ (sediment valuation).
    pub dredging_cost: Price,
    /// Abatement cost of N per t N.
    pub n_abatement_cost: Price,
    /// Abatement cost of P per t P.
    pub p_abatement_cost: Price,
    /// Earthwork (excavation and transport) cost per m³ (forest standard).
    pub earthwork_cost: Price,
    /// Diammonium phosphate price per t fertilizer (forest standard).
    pub dap_price: Price,
    /// N content of diammonium phosphate, fraction.
    pub dap_n_fraction: Parameter,
    /// P content of diammonium phosphate, fraction.
    pub dap_p_fraction: Parameter,
    /// Potassium chloride price per t fertilizer.
    pub kcl_price: Price,
    /// K content of potassium chloride, fraction.
    pub kcl_k_fraction: Parameter,
    /// Organic matter price per t.
    pub organic_matter_price: Price,
}

const C_SOURCE: &str = "placeholder defaults of the order used in Chinese RUSLE studies and in Wischmeier & Smith (1978) USDA Agriculture Handbook 537 (closed forest about 0.001-0.01, shrub and grass cover a few hundredths, tilled cropland tenths, bare soil 1); not verified against a primary table: replace with local values";
const P_SOURCE: &str = "placeholder defaults: P = 1 (no support practice) for natural cover and bare land; terraced paddy 0.15 and contour-tilled dryland 0.4 are of the order used in Chinese RUSLE studies, not verified against a primary table: replace with local values";

impl Default for SoilConservationParams {
    /// Defaults for [`Classification::gep_default`](crate::landscape::Classification::gep_default):
    ///
    /// * LS from `dem_m` with MFD routing and InVEST's LS (`l_max` 122).
    /// * C per class \[P\]: evergreen broadleaf 0.006, evergreen coniferous 0.008, mixed 0.006,
    ///   deciduous broadleaf 0.01, shrub 0.03, tussock grass 0.05, marsh 0.01, paddy 0.1,
    ///   dryland 0.3, bare land 1; open water and built-up land are not served. These are
    ///   placeholders of the order of Wischmeier & Smith (1978, USDA AH-537) and Chinese
    ///   practice, not verified in a primary table (METHODS.md gives no class values).
    /// * P per class \[P\]: 1 for natural cover and bare land, paddy 0.15, dryland 0.4.
    /// * λ = 0.24 \[V: Garze citing Ouyang, Wang & Miao 1999]; ρ = 0.93 t/m³ \[V: Garze, a local
    ///   value]; soil N 0.37 %, P 0.108 % \[V: Garze]; K and organic matter not counted.
    /// * Dredging 15.58 yuan/m³ (2010) \[V: Garze]; N 875 and P 2800 yuan/t (2003 discharge fee
    ///   0.7 yuan per equivalent ÷ 0.8 kg NH₃-N and 0.25 kg TP; \[V/D], Garze and
    ///   `data/pollutant_unit_costs.csv`).
    /// * Forest standard \[R: LY/T 1721-2008]: earthwork 12.6 yuan/m³, DAP 2400 yuan/t with N
    ///   14 % and P 15.01 %, KCl 2200 yuan/t with K 50 %, organic matter 320 yuan/t (price year
    ///   recorded as 2008, the standard's year; METHODS.md gives "2000s").
    fn default() -> Self {
        let row = |code, value| ClassValue { code, value };
        let p = |v, unit: &str, src: &str, status| Parameter::new(v, unit, src, status);
        const FOREST_STD: &str = "LY/T 1721-2008 forest standard (GB/T 38582), METHODS.md §2.5";
        Self {
            ls_source: LsSource::FromDem,
            flow_routing: FlowRouting::Mfd,
            ls: LsParams::default(),
            cover_management_c: ClassTable {
                unit: "1".into(),
                source: C_SOURCE.into(),
                status: Status::Practitioner,
                rows: vec![
                    row(11, Some(0.006)),
                    row(12, Some(0.008)),
                    row(13, Some(0.006)),
                    row(14, Some(0.01)),
                    row(21, Some(0.03)),
                    row(31, Some(0.05)),
                    row(41, Some(0.01)),
                    row(42, None),
                    row(51, Some(0.1)),
                    row(52, Some(0.3)),
                    row(61, None),
                    row(71, Some(1.0)),
                ],
            },
            support_practice_p: ClassTable {
                unit: "1".into(),
                source: P_SOURCE.into(),
                status: Status::Practitioner,
                rows: vec![
                    row(11, Some(1.0)),
                    row(12, Some(1.0)),
                    row(13, Some(1.0)),
                    row(14, Some(1.0)),
                    row(21, Some(1.0)),
                    row(31, Some(1.0)),
                    row(41, Some(1.0)),
                    row(42, None),
                    row(51, Some(0.15)),
                    row(52, Some(0.4)),
                    row(61, None),
                    row(71, Some(1.0)),
                ],
            },
            valuation: SoilValuation::SedimentAndNutrients,
            sediment_deposition_ratio: p(
                0.24,
                "1",
                "Pema Dolkar et al. 2017 (Garze), citing Ouyang, Wang & Miao 1999",
                Status::Verified,
            ),
            soil_bulk_density_t_per_m3: p(
                0.93,
                "t/m3",
                "Pema Dolkar et al. 2017 (Garze); a local value",
                Status::Verified,
            ),
            soil_n_fraction: p(
                0.0037,
                "1",
                "Pema Dolkar et al. 2017 (Garze)",
                Status::Verified,
            ),
            soil_p_fraction: p(
                0.00108,
                "1",
                "Pema Dolkar et al. 2017 (Garze)",
                Status::Verified,
            ),
            soil_k_fraction: None,
            soil_organic_matter_fraction: None,
            dredging_cost: Price::yuan(
                15.58,
                PhysicalUnit::CubicMetre,
                2010,
                "Pema Dolkar et al. 2017 (Garze)",
                Status::Verified,
            ),
            n_abatement_cost: Price::yuan(
                875.0,
                PhysicalUnit::Tonne,
                2003,
                "Garze; = 0.7 yuan/equivalent / 0.8 kg NH3-N (2003 discharge fee), data/pollutant_unit_costs.csv",
                Status::Verified,
            ),
            p_abatement_cost: Price::yuan(
                2800.0,
                PhysicalUnit::Tonne,
                2003,
                "Garze; = 0.7 yuan/equivalent / 0.25 kg TP (2003 discharge fee), data/pollutant_unit_costs.csv",
                Status::Verified,
            ),
            earthwork_cost: Price::yuan(
                12.6,
                PhysicalUnit::CubicMetre,
                2008,
                FOREST_STD,
                Status::Recalled,
            ),
            dap_price: Price::yuan(
                2400.0,
                PhysicalUnit::Tonne,
                2008,
                FOREST_STD,
                Status::Recalled,
            ),
            dap_n_fraction: p(0.14, "1", FOREST_STD, Status::Recalled),
            dap_p_fraction: p(0.1501, "1", FOREST_STD, Status::Recalled),
            kcl_price: Price::yuan(
                2200.0,
                PhysicalUnit::Tonne,
                2008,
                FOREST_STD,
                Status::Recalled,
            ),
            kcl_k_fraction: p(0.5, "1", FOREST_STD, Status::Recalled),
            organic_matter_price: Price::yuan(
                320.0,
                PhysicalUnit::Tonne,
                2008,
                FOREST_STD,
                Status::Recalled,
            ),
        }
    }
}

impl SoilConservationParams {
    /// Checks C, P ≥ 0 (finite; C·P > 1 is allowed and clamped per unit, with the clamped
    /// amount reported), fractions in [0, 1] (fertilizer contents in (0, 1]), bulk density in
    /// [0.05, 3] t/m³, `l_max` finite and > 0, and every price finite, ≥ 0, per its unit.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        let any = "a finite number >= 0";
        self.cover_management_c
            .check("cover_management_c", 0.0, f64::INFINITY, any)?;
        self.support_practice_p
            .check("support_practice_p", 0.0, f64::INFINITY, any)?;
        let mut out = self.clone();
        let frac = "a fraction in [0, 1]";
        let content = "a fraction in (0, 1]";
        out.sediment_deposition_ratio = self.sediment_deposition_ratio.check(
            "sediment_deposition_ratio",
            "1",
            0.0,
            1.0,
            frac,
        )?;
        out.soil_bulk_density_t_per_m3 = self.soil_bulk_density_t_per_m3.check(
            "soil_bulk_density_t_per_m3",
            "t/m3",
            0.05,
            3.0,
            "a bulk density in [0.05, 3] t/m3",
        )?;
        out.soil_n_fraction = self
            .soil_n_fraction
            .check("soil_n_fraction", "1", 0.0, 1.0, frac)?;
        out.soil_p_fraction = self
            .soil_p_fraction
            .check("soil_p_fraction", "1", 0.0, 1.0, frac)?;
        if let Some(k) = &self.soil_k_fraction {
            out.soil_k_fraction = Some(k.check("soil_k_fraction", "1", 0.0, 1.0, frac)?);
        }
        if let Some(om) = &self.soil_organic_matter_fraction {
            out.soil_organic_matter_fraction =
                Some(om.check("soil_organic_matter_fraction", "1", 0.0, 1.0, frac)?);
        }
        for (name, f) in [
            ("dap_n_fraction", &mut out.dap_n_fraction),
            ("dap_p_fraction", &mut out.dap_p_fraction),
            ("kcl_k_fraction", &mut out.kcl_k_fraction),
        ] {
            *f = f.check(name, "1", f64::MIN_POSITIVE, 1.0, content)?;
        }
        if !(self.ls.l_max.is_finite() && self.ls.l_max > 0.0) {
            return Err(ParamError::OutOfRange {
                parameter: "ls.l_max".into(),
                code: None,
                value: self.ls.l_max,
                expected: "a finite number > 0",
            });
        }
        let m3 = [PhysicalUnit::CubicMetre];
        let t = [PhysicalUnit::Tonne];
        self.dredging_cost.check("dredging_cost", &m3)?;
        self.earthwork_cost.check("earthwork_cost", &m3)?;
        self.n_abatement_cost.check("n_abatement_cost", &t)?;
        self.p_abatement_cost.check("p_abatement_cost", &t)?;
        self.dap_price.check("dap_price", &t)?;
        self.kcl_price.check("kcl_price", &t)?;
        self.organic_matter_price
            .check("organic_matter_price", &t)?;
        Ok(Checked::new(out))
    }

    /// Land-cover codes whose C·P exceeds 1 (clamped to 1, i.e. no retention), with C·P.
    pub fn clamped_classes(&self) -> Vec<(i32, f64)> {
        self.cover_management_c
            .rows
            .iter()
            .filter_map(|r| {
                let c = r.value?;
                let p = self.support_practice_p.get(r.code).flatten()?;
                (c * p > 1.0).then_some((r.code, c * p))
            })
            .collect()
    }
}
