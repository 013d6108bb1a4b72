//! Cultural: landscape value by hedonic pricing (景观价值/景观增值), METHODS.md §2.15.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::region_stat::{StatLine, StatService, StatSource};
use super::{Category, Component, HedonicPrice, Service};
use crate::error::ParamError;
use crate::landscape::EcosystemType;
use crate::params::{Checked, Price};
use crate::units::PhysicalUnit;

/// Parameters of [`landscape_value`]. There is no default premium: METHODS.md treats the
/// hedonic premium as a user input (a local regression or premium rate × unit price).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct LandscapeValueParams {
    /// Region statistic of the floor (or land) area in the amenity's influence zone, ha.
    pub stat: String,
    /// Annualised price premium per ha attributable to the amenity; required.
    pub premium: Option<Price>,
    /// Ecosystems providing the amenity.
    pub attributed_to: Vec<EcosystemType>,
}

impl LandscapeValueParams {
    /// Checks that the premium is given (per ha, ≥ 0).
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        let p = self.premium.as_ref().ok_or_else(|| ParamError::Missing {
            service: "landscape_value".into(),
            parameter: "premium (hedonic price premium per ha; no default)".into(),
            code: None,
        })?;
        p.check("landscape_value.premium", &[PhysicalUnit::Hectare])?;
        let mut c = self.clone();
        if c.stat.is_empty() {
            c.stat = "amenity_zone_ha".into();
        }
        if c.attributed_to.is_empty() {
            use EcosystemType::*;
            c.attributed_to = vec![Forest, Grassland, Wetland, Water];
        }
        Ok(Checked::new(c))
    }
}

/// Landscape value: `V = Σ A_k × ΔP_k` (hedonic price premium).
pub fn landscape_value(params: &Checked<LandscapeValueParams>) -> Box<dyn Service> {
    let premium = params.premium.clone().unwrap_or_else(|| {
        crate::params::Price::yuan(
            0.0,
            PhysicalUnit::Hectare,
            0,
            "missing",
            crate::params::Status::User,
        )
    });
    Box::new(StatService {
        id: "landscape_value",
        name: "Landscape value (hedonic)",
        category: Category::Cultural,
        formula:
            "V = A [ha in the amenity zone] x premium [yuan/ha] (hedonic pricing). METHODS.md 2.15"
                .into(),
        lines: vec![StatLine {
            component: Component::new(
                "amenity_area",
                "area in the amenity's influence zone",
                PhysicalUnit::Hectare,
                Arc::new(HedonicPrice::new("premium", premium)),
            ),
            source: StatSource {
                stat: params.stat.clone(),
                attributed_to: params.attributed_to.clone(),
            },
            scale: 1.0,
        }],
        parameters: Vec::new(),
        notes: Vec::new(),
    })
}
