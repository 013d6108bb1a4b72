//! Provisioning: agricultural, forestry, livestock and fishery products (农林牧渔产品),
//! METHODS.md §2.1 — region statistics × price × nature share λ.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::region_stat::{StatLine, StatService, StatSource};
use super::{Category, Component, MarketPrice, Service};
use crate::error::ParamError;
use crate::landscape::EcosystemType;
use crate::params::{Checked, Parameter, Price, Status};
use crate::units::PhysicalUnit;

/// How provisioning is booked (METHODS.md §1.3, §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisioningConvention {
    /// Chinese practice: gross (or net) output value, λ = 1.
    GrossOutputValue,
    /// SEEA EA / NatCap: the ecosystem contribution, output value × λ (resource-rent or
    /// land-rental share). λ must be given: there is no defensible universal default.
    ResourceRent,
}

/// One product line: a statistic, its unit and price, and the ecosystems supplying it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductLine {
    /// Component id (`farming`).
    pub id: String,
    /// Label.
    pub label: String,
    /// Region statistic with the quantity (`farming_output_yuan`, `rice_t`).
    pub stat: String,
    /// Unit of the statistic.
    pub unit: PhysicalUnit,
    /// Price per unit (1 yuan/yuan for output values).
    pub price: Price,
    /// Supplying ecosystem types.
    pub attributed_to: Vec<EcosystemType>,
}

/// Parameters of [`provisioning_products`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProvisioningParams {
    /// The product lines.
    pub products: Vec<ProductLine>,
    /// Booking convention.
    pub convention: ProvisioningConvention,
    /// Nature share λ for [`ProvisioningConvention::ResourceRent`].
    pub nature_share: Option<Parameter>,
}

fn output_value_line(id: &str, label: &str, year: i32, eco: Vec<EcosystemType>) -> ProductLine {
    ProductLine {
        id: id.into(),
        label: label.into(),
        stat: format!("{id}_output_yuan"),
        unit: PhysicalUnit::Yuan,
        price: Price::yuan(
            1.0,
            PhysicalUnit::Yuan,
            year,
            "output value from the statistical yearbook (practice shortcut, METHODS.md §2.1)",
            Status::Verified,
        ),
        attributed_to: eco,
    }
}

impl Default for ProvisioningParams {
    /// The practice shortcut of METHODS.md §2.1 (Garze; universal): yearbook output values of
    /// farming, forestry, animal husbandry and fishery (excluding "services supporting
    /// agriculture"), statistics `farming_output_yuan`, `forestry_output_yuan`,
    /// `livestock_output_yuan`, `fishery_output_yuan`, booked at gross output value (λ = 1),
    /// attributed to cropland, forest, grassland + cropland, and water + wetland.
    fn default() -> Self {
        use EcosystemType::*;
        Self {
            products: vec![
                output_value_line("farming", "farming output", 2020, vec![Cropland]),
                output_value_line("forestry", "forestry output", 2020, vec![Forest]),
                output_value_line(
                    "livestock",
                    "animal husbandry output",
                    2020,
                    vec![Grassland, Cropland],
                ),
                output_value_line("fishery", "fishery output", 2020, vec![Water, Wetland]),
            ],
            convention: ProvisioningConvention::GrossOutputValue,
            nature_share: None,
        }
    }
}

impl ProvisioningParams {
    /// Checks prices, unit consistency, unique ids, and λ ∈ (0, 1] when resource rent is used.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        for (i, p) in self.products.iter().enumerate() {
            p.price
                .check(&format!("provisioning.{}.price", p.id), &[p.unit])?;
            if self.products[..i].iter().any(|q| q.id == p.id) {
                return Err(ParamError::OutOfRange {
                    parameter: format!("provisioning.products[{i}].id = {}", p.id),
                    code: None,
                    value: i as f64,
                    expected: "unique product ids",
                });
            }
        }
        if self.convention == ProvisioningConvention::ResourceRent {
            let l = self
                .nature_share
                .as_ref()
                .ok_or_else(|| ParamError::Missing {
                    service: "provisioning_products".into(),
                    parameter: "nature_share (λ, required for resource rent)".into(),
                    code: None,
                })?;
            l.check(
                "provisioning.nature_share",
                "1",
                f64::MIN_POSITIVE,
                1.0,
                "a share in (0, 1]",
            )?;
        }
        Ok(Checked::new(self.clone()))
    }

    fn lambda(&self) -> f64 {
        match self.convention {
            ProvisioningConvention::GrossOutputValue => 1.0,
            ProvisioningConvention::ResourceRent => {
                self.nature_share.as_ref().map_or(1.0, |p| p.value)
            }
        }
    }
}

/// Agricultural, forestry, livestock and fishery products: `V = Σ_i E_i × P_i × λ`
/// (market price method), one component per product line, from region statistics.
pub fn provisioning_products(params: &Checked<ProvisioningParams>) -> Box<dyn Service> {
    let lambda = params.lambda();
    let mut parameters = Vec::new();
    if let (ProvisioningConvention::ResourceRent, Some(l)) =
        (params.convention, &params.nature_share)
    {
        parameters.push(l.record("nature_share"));
    }
    let lines = params
        .products
        .iter()
        .map(|p| {
            let mut price = p.price.scaled(lambda);
            if lambda != 1.0 {
                price.source = format!("{} × λ {lambda}", p.price.source);
            }
            StatLine {
                component: Component::new(
                    p.id.clone(),
                    p.label.clone(),
                    p.unit,
                    Arc::new(MarketPrice::new(&format!("{}_price", p.id), price)),
                ),
                source: StatSource {
                    stat: p.stat.clone(),
                    attributed_to: p.attributed_to.clone(),
                },
                scale: 1.0,
            }
        })
        .collect();
    Box::new(StatService {
        id: "provisioning_products",
        name: "Agricultural, forestry, livestock and fishery products",
        category: Category::Provisioning,
        formula: "V = sum_i E_i x P_i x lambda (market price; E_i from region statistics, attributed to supplying ecosystems by area). METHODS.md 2.1".into(),
        lines,
        parameters,
        notes: vec![format!(
            "convention: {:?} (lambda = {lambda})",
            params.convention
        )],
    })
}
