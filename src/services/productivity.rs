//! The primary-productivity basis shared by carbon sequestration and oxygen release.
//!
//! Both services are computed from **one** basis, so they cannot be inconsistent (METHODS.md
//! §2.9 warns of accounts that take O₂ from NPP dry matter and CO₂ from NEP, giving an O₂/CO₂
//! ratio of 8 instead of 32/44). On every basis, fixed CO₂ is computed per unit and released O₂
//! is `32/44 ×` that CO₂ (for the dry-matter route this equals 1.19 t O₂ per t dry matter).

use serde::{Deserialize, Serialize};
use std::ops::Range;

use super::{NegativePolicy, Sink, UnitInputs, UnitKernel};
use crate::error::{GepError, ParamError};
use crate::landscape::{EcosystemType, Landscape};
use crate::params::{Checked, ClassTable, ParamRecord, Parameter, Status};
use crate::units::{c_to_co2, g_per_m2_to_t_per_ha, CO2_PER_DRY_MATTER};

/// Which productivity measure the per-unit fixed CO₂ comes from (METHODS.md §2.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductivityBasis {
    /// Route A, `NEP = NPP − R_h` (Bo Wenjing et al. 2017 form): layers `npp_gc_per_m2` and
    /// `rh_gc_per_m2` (soil heterotrophic respiration), both g C/m²/yr.
    NppMinusRh,
    /// Route A, `NEP = β(class) × NPP`: layer `npp_gc_per_m2` (g C/m²/yr) and the per-class
    /// NEP/NPP ratio table `nep_npp_ratio` (from flux literature; no built-in default).
    NepRatio,
    /// Route B (forest standard, photosynthesis equation): layer `npp_dm_g_per_m2`, dry matter
    /// g/m²/yr; CO₂ = 264/162 ≈ 1.63 t per t dry matter.
    DryMatter,
}

impl ProductivityBasis {
    /// The layers this basis reads.
    pub fn layers(self) -> Vec<&'static str> {
        match self {
            Self::NppMinusRh => vec!["npp_gc_per_m2", "rh_gc_per_m2"],
            Self::NepRatio => vec!["npp_gc_per_m2"],
            Self::DryMatter => vec!["npp_dm_g_per_m2"],
        }
    }

    /// The formula for fixed CO₂, for provenance.
    pub fn formula(self) -> &'static str {
        match self {
            Self::NppMinusRh => "CO2 [t] = 44/12 x (NPP - Rh) [g C/m2] x 0.01 x A [ha]",
            Self::NepRatio => "CO2 [t] = 44/12 x beta(class) x NPP [g C/m2] x 0.01 x A [ha]",
            Self::DryMatter => "CO2 [t] = 264/162 x NPP_dm [g/m2] x 0.01 x A [ha]",
        }
    }
}

/// Parameters of the shared productivity basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProductivityParams {
    /// The basis.
    pub basis: ProductivityBasis,
    /// Ecosystem types whose fixation is counted.
    pub counted_ecosystems: Vec<EcosystemType>,
    /// Source of the `counted_ecosystems` choice.
    pub counted_ecosystems_source: String,
    /// NEP/NPP ratio β per land-cover code, for [`ProductivityBasis::NepRatio`] only.
    pub nep_npp_ratio: Option<ClassTable>,
    /// Treatment of units where NEP < 0 (a carbon source).
    pub negative_nep: NegativePolicy,
}

impl Default for ProductivityParams {
    /// NEP = NPP − Rh (METHODS.md §2.8 route A, the form of Bo Wenjing et al. 2017 \[V\]);
    /// counted over forest, shrub, grassland and wetland — cropland is left out because the
    /// annual harvest returns crop carbon to the atmosphere within the year \[R: common
    /// practice; an accounting choice to state]; negative NEP kept signed (net flux).
    fn default() -> Self {
        Self {
            basis: ProductivityBasis::NppMinusRh,
            counted_ecosystems: vec![
                EcosystemType::Forest,
                EcosystemType::Shrub,
                EcosystemType::Grassland,
                EcosystemType::Wetland,
            ],
            counted_ecosystems_source:
                "natural ecosystems; cropland harvest re-emitted within the year [R]".into(),
            nep_npp_ratio: None,
            negative_nep: NegativePolicy::Signed,
        }
    }
}

impl ProductivityParams {
    /// Checks the ratio table (β ∈ [0, 1]) and that it is given when the basis needs it.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        match (&self.nep_npp_ratio, self.basis) {
            (None, ProductivityBasis::NepRatio) => {
                return Err(ParamError::Missing {
                    service: "carbon_sequestration".into(),
                    parameter: "productivity.nep_npp_ratio".into(),
                    code: None,
                })
            }
            (Some(t), _) => {
                t.check("nep_npp_ratio", 0.0, 1.0, "a ratio in [0, 1]")?;
            }
            _ => {}
        }
        Ok(Checked::new(self.clone()))
    }

    pub(crate) fn records(&self) -> Vec<ParamRecord> {
        let mut r = vec![Parameter::new(
            44.0 / 12.0,
            "t CO2/t C",
            "molar masses 44/12",
            Status::Derived,
        )
        .record("co2_per_c")];
        if self.basis == ProductivityBasis::DryMatter {
            r.push(
                Parameter::new(
                    CO2_PER_DRY_MATTER,
                    "t CO2/t dry matter",
                    "photosynthesis equation 264/162 (1.63, Jiang et al. 2017)",
                    Status::Derived,
                )
                .record("co2_per_dry_matter"),
            );
        }
        if let (ProductivityBasis::NepRatio, Some(t)) = (self.basis, &self.nep_npp_ratio) {
            r.extend(t.records("nep_npp_ratio"));
        }
        r
    }

    /// A description of the basis that two services must share.
    pub(crate) fn basis_key(&self) -> String {
        format!(
            "{:?} over {:?} (ratios {:?}, negative NEP {:?})",
            self.basis, self.counted_ecosystems, self.nep_npp_ratio, self.negative_nep
        )
    }

    pub(crate) fn notes(&self) -> Vec<String> {
        let names: Vec<&str> = self.counted_ecosystems.iter().map(|e| e.name()).collect();
        vec![
            format!(
                "counted ecosystem types: {} ({})",
                names.join(", "),
                self.counted_ecosystems_source
            ),
            format!("NEP < 0: {}", self.negative_nep.describe()),
        ]
    }

    /// Binds a kernel that adds `factor × fixed CO₂ [t]` per unit to component 0.
    pub(crate) fn bind<'a>(
        &'a self,
        service: &'static str,
        landscape: &'a Landscape,
        factor: f64,
    ) -> Result<FixationKernel<'a>, GepError> {
        let classification = landscape.classification();
        let served: Vec<bool> = classification
            .classes()
            .iter()
            .map(|c| self.counted_ecosystems.contains(&c.ecosystem))
            .collect();
        let policy = self.negative_nep;
        let inputs = match self.basis {
            ProductivityBasis::NppMinusRh => Inputs::NppRh(UnitInputs::bind(
                landscape,
                service,
                ["npp_gc_per_m2", "rh_gc_per_m2"],
                served,
            )?),
            ProductivityBasis::NepRatio => {
                let table = self
                    .nep_npp_ratio
                    .as_ref()
                    .ok_or_else(|| ParamError::Missing {
                        service: service.into(),
                        parameter: "productivity.nep_npp_ratio".into(),
                        code: None,
                    })?;
                let mut lut = table.lut(
                    service,
                    "nep_npp_ratio",
                    classification,
                    landscape.class_unit_counts(),
                )?;
                // A class must be both counted and listed to be served.
                for (s, counted) in lut.served.iter_mut().zip(&served) {
                    *s &= *counted;
                }
                Inputs::Ratio(
                    UnitInputs::bind(landscape, service, ["npp_gc_per_m2"], lut.served)?,
                    lut.values,
                )
            }
            ProductivityBasis::DryMatter => Inputs::DryMatter(UnitInputs::bind(
                landscape,
                service,
                ["npp_dm_g_per_m2"],
                served,
            )?),
        };
        Ok(FixationKernel {
            inputs,
            factor,
            policy,
        })
    }
}

enum Inputs<'a> {
    NppRh(UnitInputs<'a, 2>),
    Ratio(UnitInputs<'a, 1>, Vec<f64>),
    DryMatter(UnitInputs<'a, 1>),
}

/// Adds `factor × CO₂ fixed [t]` of each unit to component 0 of its sink.
pub(crate) struct FixationKernel<'a> {
    inputs: Inputs<'a>,
    factor: f64,
    policy: NegativePolicy,
}

impl UnitKernel for FixationKernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        let (factor, policy) = (self.factor, self.policy);
        match &self.inputs {
            Inputs::NppRh(inputs) => inputs.for_each(units, sink, |u, sink| {
                let nep_gc_per_m2 = u.values[0] as f64 - u.values[1] as f64;
                let co2_t = c_to_co2(g_per_m2_to_t_per_ha(nep_gc_per_m2) * u.area_ha);
                let q = policy.apply(factor * co2_t, 0, sink);
                sink.add(0, u.region, u.class, q);
            }),
            Inputs::Ratio(inputs, beta) => inputs.for_each(units, sink, |u, sink| {
                let nep_gc_per_m2 = beta[u.class as usize] * u.values[0] as f64;
                let co2_t = c_to_co2(g_per_m2_to_t_per_ha(nep_gc_per_m2) * u.area_ha);
                let q = policy.apply(factor * co2_t, 0, sink);
                sink.add(0, u.region, u.class, q);
            }),
            Inputs::DryMatter(inputs) => inputs.for_each(units, sink, |u, sink| {
                let dm_t = g_per_m2_to_t_per_ha(u.values[0] as f64) * u.area_ha;
                let q = policy.apply(factor * CO2_PER_DRY_MATTER * dm_t, 0, sink);
                sink.add(0, u.region, u.class, q);
            }),
        }
    }
}
