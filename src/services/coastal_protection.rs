//! Coastal protection (海岸带防护), METHODS.md §2.7b: coastline protected by coastal
//! ecosystems, valued at the annualised replacement cost of an equivalent sea wall.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

use super::{
    Category, Component, FinishContext, ReplacementCost, Service, ServiceCells, Sink, UnitInputs,
    UnitKernel,
};
use crate::error::{GepError, ParamError};
use crate::landscape::Landscape;
use crate::params::{Checked, ParamRecord, Parameter, Price, Status};
use crate::units::PhysicalUnit;

/// Parameters of [`CoastalProtection`]. METHODS.md gives no sea-wall cost: both the cost and
/// the lifetime are **required** (no built-in value; `check()` returns
/// [`ParamError::Missing`] without them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoastalProtectionParams {
    /// Construction cost of one km of sea wall, `C_sw` (per km).
    pub seawall_cost: Option<Price>,
    /// Service life over which the construction cost is annualised (years); 1 values the
    /// whole construction cost in one year.
    pub seawall_lifetime_years: Option<Parameter>,
    /// Region statistic with the protected coastline length (km).
    pub coastline_stat: String,
    /// Land-cover codes of the coastal ecosystems the length is attributed to, by extent
    /// (mangrove, salt marsh, beach...; the default classification has none, so marsh 41
    /// and open water 42 by default).
    pub coastal_codes: Vec<i32>,
}

impl Default for CoastalProtectionParams {
    /// No cost and no lifetime (required); statistic `protected_coastline_km`; codes 41, 42.
    fn default() -> Self {
        Self {
            seawall_cost: None,
            seawall_lifetime_years: None,
            coastline_stat: "protected_coastline_km".into(),
            coastal_codes: vec![41, 42],
        }
    }
}

impl CoastalProtectionParams {
    /// Whether a cost or a lifetime was given (the service is then expected to run).
    pub fn is_configured(&self) -> bool {
        self.seawall_cost.is_some() || self.seawall_lifetime_years.is_some()
    }

    /// Checks that cost (per km, ≥ 0) and lifetime (≥ 1 yr) are given and valid.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        let missing = |parameter: &str| ParamError::Missing {
            service: ID.into(),
            parameter: parameter.into(),
            code: None,
        };
        self.seawall_cost
            .as_ref()
            .ok_or_else(|| missing("seawall_cost"))?
            .check("seawall_cost", &[PhysicalUnit::Kilometre])?;
        self.seawall_lifetime_years
            .as_ref()
            .ok_or_else(|| missing("seawall_lifetime_years"))?
            .check(
                "seawall_lifetime_years",
                "yr",
                1.0,
                f64::MAX,
                "a lifetime >= 1 year",
            )?;
        Ok(Checked::new(self.clone()))
    }

    /// The same parameters with the sea-wall cost multiplied by `k`.
    pub fn with_prices_scaled(&self, k: f64) -> Self {
        let mut p = self.clone();
        p.seawall_cost = p.seawall_cost.map(|c| c.scaled(k));
        p
    }
}

/// Coastal protection (MEE/NDRC profiles, METHODS.md §2.7b \[R\]):
/// `V_cp = L [km] × C_sw [yuan/km] ÷ lifetime [yr]`, `L` the protected coastline of each
/// region (statistic `protected_coastline_km`), attributed to the region's coastal classes in
/// proportion to their extent; a region with coastline but no coastal class is noted as
/// unattributed and not valued.
///
/// # Examples
/// 3 km of protected coast, a sea wall at 20 million yuan/km lasting 50 years:
/// `3 × 2·10⁷ ÷ 50 = 1.2·10⁶` yuan/yr.
/// ```
/// use gep::prelude::*;
/// use gep::params::Parameter;
/// use gep::services::{CoastalProtection, CoastalProtectionParams};
/// use ndarray::array;
/// let p = CoastalProtectionParams {
///     seawall_cost: Some(Price::yuan(2e7, PhysicalUnit::Kilometre, 2020, "local", Status::User)),
///     seawall_lifetime_years: Some(Parameter::new(50.0, "yr", "local", Status::User)),
///     ..Default::default()
/// };
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
///     .area_ha(array![5.0])
///     .land_cover(array![41])
///     .region_stat("protected_coastline_km", vec![Some(3.0)], "coastal survey")
///     .build()?;
/// let services: Vec<Box<dyn Service>> = vec![Box::new(CoastalProtection::new(p.check()?))];
/// let account = Engine::new(&services).run(&landscape)?;
/// assert!((account.total_value() - 1.2e6).abs() < 1e-6);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone)]
pub struct CoastalProtection {
    params: Checked<CoastalProtectionParams>,
}

impl CoastalProtection {
    /// The service with checked parameters.
    pub fn new(params: Checked<CoastalProtectionParams>) -> Self {
        Self { params }
    }

    /// Annualised sea-wall cost per km (status `derived`).
    fn annual_cost(&self) -> Price {
        let cost = self.params.seawall_cost.clone().unwrap_or_else(|| {
            Price::yuan(0.0, PhysicalUnit::Kilometre, 0, "missing", Status::User)
        });
        let years = self
            .params
            .seawall_lifetime_years
            .as_ref()
            .map_or(1.0, |p| p.value);
        Price {
            value: cost.value / years,
            source: format!(
                "derived: sea-wall construction cost {} ({}) / lifetime {years} yr",
                cost.value, cost.source
            ),
            status: Status::Derived,
            ..cost
        }
    }
}

const ID: &str = "coastal_protection";

impl Service for CoastalProtection {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Coastal protection"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        format!(
            "V_cp = L [km] x C_sw [yuan/km] / lifetime [yr]; L = region statistic `{}`, \
             attributed to coastal classes {:?} by extent. METHODS.md 2.7b (MEE/NDRC profiles)",
            self.params.coastline_stat, self.params.coastal_codes
        )
    }
    fn required_layers(&self) -> Vec<&'static str> {
        Vec::new()
    }
    fn components(&self) -> Vec<Component> {
        vec![Component {
            id: ("coastline").into(),
            label: ("coastline protected by coastal ecosystems").into(),
            unit: PhysicalUnit::Kilometre,
            valuation: Arc::new(ReplacementCost::new(
                "seawall_annual_cost",
                self.annual_cost(),
            )),
        }]
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        let mut r = Vec::new();
        if let Some(c) = &self.params.seawall_cost {
            r.push(c.record("seawall_cost"));
        }
        if let Some(y) = &self.params.seawall_lifetime_years {
            r.push(y.record("seawall_lifetime_years"));
        }
        r
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        // The quantity comes from region statistics in `finish`; units only count extent.
        let served = vec![false; landscape.classification().len()];
        Ok(Box::new(Kernel(UnitInputs::bind(
            landscape,
            ID,
            [],
            served,
        )?)))
    }
    fn finish(
        &self,
        ctx: &FinishContext<'_>,
        cells: &mut ServiceCells<'_>,
    ) -> Result<(), GepError> {
        let stat = self.params.coastline_stat.as_str();
        let coastal: Vec<usize> = ctx
            .classes
            .iter()
            .enumerate()
            .filter(|(_, c)| self.params.coastal_codes.contains(&c.code))
            .map(|(i, _)| i)
            .collect();
        for r in 0..cells.n_regions() {
            let Some(length_km) = ctx.stats.value(stat, r) else {
                continue;
            };
            let region = ctx
                .regions
                .get(r)
                .map_or_else(|| format!("#{r}"), |g| g.name.clone());
            if length_km < 0.0 {
                return Err(ParamError::OutOfRange {
                    parameter: format!("{stat} (region `{region}`)"),
                    code: None,
                    value: length_km,
                    expected: "a length >= 0 km",
                }
                .into());
            }
            let extent: f64 = coastal.iter().map(|&c| ctx.extent_ha(r, c)).sum();
            if extent <= 0.0 {
                if length_km > 0.0 {
                    cells.note(format!(
                        "region `{region}`: {length_km} km of protected coastline unattributed (no coastal class present), not valued"
                    ));
                }
                continue;
            }
            for &c in &coastal {
                let share = ctx.extent_ha(r, c) / extent;
                cells.set(0, r, c, length_km * share);
            }
            cells.record_adjustment(0, length_km);
        }
        Ok(())
    }
    fn is_additive(&self) -> bool {
        false
    }
}

struct Kernel<'a>(UnitInputs<'a, 0>);

impl UnitKernel for Kernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        self.0.for_each(units, sink, |_, _| {});
    }
}
