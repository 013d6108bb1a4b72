//! Value transfer by global unit values (Costanza et al. 2014), METHODS.md §3.2 — ESV, not GEP.
//!
//! `ESV = Σ_k A_k × v_biome(k)` in 2007 USD/ha/yr (`data/costanza2014_unit_values.csv`),
//! converted to yuan with an exchange rate and a deflator, both parameters without defaults.
//! The component's quantity is the transferred value in 2007 USD; its price is the conversion
//! factor (yuan per 2007 USD). Biomes without an estimate (desert, tundra, ice/rock) are
//! unvalued, not zero.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

use super::{Category, Component, Service, Sink, UnitInputs, UnitKernel, ValueTransfer};
use crate::error::{GepError, ParamError};
use crate::landscape::Landscape;
use crate::params::{Checked, ParamRecord, Parameter, Price, Status};
use crate::units::PhysicalUnit;

const COSTANZA_TABLE: &str = include_str!("../../data/costanza2014_unit_values.csv");

/// Unit value of a biome, 2007 USD/ha/yr; `None` when the biome is unknown or has no estimate.
pub fn costanza_unit_value(biome: &str) -> Option<f64> {
    COSTANZA_TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').map(str::trim).collect::<Vec<_>>())
        .find(|f| f.len() == 3 && f[1] == biome)
        .and_then(|f| f[2].parse().ok())
}

/// A land-cover code and its Costanza biome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BiomeMapping {
    /// Land-cover code.
    pub code: i32,
    /// Biome of the table (`tropical_forest`, `cropland`, ...), `None` for not valued.
    pub biome: Option<String>,
}

/// Parameters of [`UnitValueTransfer`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UnitValueTransferParams {
    /// Class → biome.
    pub mapping: Vec<BiomeMapping>,
    /// Yuan per USD (market rate or PPP, a choice to state); required.
    pub exchange_rate_cny_per_usd: Option<Parameter>,
    /// Deflator from 2007 USD to USD of the accounting year (e.g. US CPI ratio); required.
    pub deflator_2007_to_target: Option<Parameter>,
    /// The accounting year the converted value is in.
    pub target_year: i32,
}

impl Default for UnitValueTransferParams {
    /// Mapping for the default classification: forests → `forest_average`, shrub and grass →
    /// `grass_rangelands`, marsh → `swamps_floodplains`, water → `lakes_rivers`, cropland →
    /// `cropland`, built-up → `urban`, bare → `desert` (no estimate: unvalued). No exchange
    /// rate or deflator: they must be supplied.
    fn default() -> Self {
        let m = |code, b: Option<&str>| BiomeMapping {
            code,
            biome: b.map(String::from),
        };
        Self {
            mapping: vec![
                m(11, Some("forest_average")),
                m(12, Some("forest_average")),
                m(13, Some("forest_average")),
                m(14, Some("forest_average")),
                m(21, Some("grass_rangelands")),
                m(31, Some("grass_rangelands")),
                m(41, Some("swamps_floodplains")),
                m(42, Some("lakes_rivers")),
                m(51, Some("cropland")),
                m(52, Some("cropland")),
                m(61, Some("urban")),
                m(71, Some("desert")),
            ],
            exchange_rate_cny_per_usd: None,
            deflator_2007_to_target: None,
            target_year: 2020,
        }
    }
}

impl UnitValueTransferParams {
    /// Checks that the exchange rate and deflator are given and positive.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        let need = |p: &Option<Parameter>, name: &str, unit: &str| -> Result<(), ParamError> {
            let p = p.as_ref().ok_or_else(|| ParamError::Missing {
                service: "esv_costanza".into(),
                parameter: name.into(),
                code: None,
            })?;
            p.check(name, unit, f64::MIN_POSITIVE, f64::MAX, "> 0")?;
            Ok(())
        };
        need(
            &self.exchange_rate_cny_per_usd,
            "exchange_rate_cny_per_usd",
            "CNY/USD",
        )?;
        need(
            &self.deflator_2007_to_target,
            "deflator_2007_to_target",
            "1",
        )?;
        Ok(Checked::new(self.clone()))
    }

    fn conversion(&self) -> f64 {
        let x = self
            .exchange_rate_cny_per_usd
            .as_ref()
            .map_or(0.0, |p| p.value);
        let d = self
            .deflator_2007_to_target
            .as_ref()
            .map_or(0.0, |p| p.value);
        x * d
    }
}

/// Costanza et al. (2014) unit-value transfer.
#[derive(Debug, Clone)]
pub struct UnitValueTransfer {
    params: Checked<UnitValueTransferParams>,
}

impl UnitValueTransfer {
    /// The service with checked parameters.
    pub fn new(params: Checked<UnitValueTransferParams>) -> Self {
        Self { params }
    }
}

impl Service for UnitValueTransfer {
    fn id(&self) -> &'static str {
        "esv_costanza"
    }
    fn name(&self) -> &'static str {
        "ESV (Costanza et al. 2014 unit values)"
    }
    fn category(&self) -> Category {
        Category::Mixed
    }
    fn formula(&self) -> String {
        "ESV = sum A [ha] x v(biome) [2007 USD/ha/yr] x exchange rate [CNY/USD] x deflator. Costanza et al. 2014; value transfer, not GEP".into()
    }
    fn required_layers(&self) -> Vec<&'static str> {
        Vec::new()
    }
    fn components(&self) -> Vec<Component> {
        let p = &self.params;
        let price = Price {
            value: p.conversion(),
            currency: crate::params::Currency::Cny,
            per: PhysicalUnit::UsDollar,
            price_year: p.target_year,
            source: "exchange rate x deflator (user supplied)".into(),
            status: Status::User,
            index_family: None,
        };
        vec![Component::new(
            "unit_value_transfer",
            "transferred value (2007 USD)",
            PhysicalUnit::UsDollar,
            Arc::new(ValueTransfer::new("cny_per_2007_usd", price)),
        )]
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        let mut r = Vec::new();
        for m in &self.params.mapping {
            if let Some((b, v)) = m
                .biome
                .as_deref()
                .and_then(|b| costanza_unit_value(b).map(|v| (b, v)))
            {
                r.push(ParamRecord {
                    name: format!("unit_value[{}:{b}]", m.code),
                    value: v,
                    unit: "USD2007/ha/yr".into(),
                    price_year: Some(2007),
                    source: "Costanza et al. 2014 Table 2, data/costanza2014_unit_values.csv"
                        .into(),
                    status: Status::Recalled,
                });
            }
        }
        if let Some(p) = &self.params.exchange_rate_cny_per_usd {
            r.push(p.record("exchange_rate_cny_per_usd"));
        }
        if let Some(p) = &self.params.deflator_2007_to_target {
            r.push(p.record("deflator_2007_to_target"));
        }
        r
    }
    fn notes(&self) -> Vec<String> {
        vec!["value transfer (global unit values): ESV for screening, not GEP; biomes without an estimate are unvalued".into()]
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        let classes = landscape.classification().classes();
        let counts = landscape.class_unit_counts();
        let mut value = vec![0.0; classes.len()];
        let mut served = vec![false; classes.len()];
        for (k, class) in classes.iter().enumerate() {
            match self.params.mapping.iter().find(|m| m.code == class.code) {
                Some(m) => {
                    if let Some(v) = m.biome.as_deref().and_then(costanza_unit_value) {
                        value[k] = v;
                        served[k] = true;
                    }
                }
                None if counts[k] > 0 => {
                    return Err(ParamError::Missing {
                        service: "esv_costanza".into(),
                        parameter: "biome mapping".into(),
                        code: Some(class.code),
                    }
                    .into())
                }
                None => {}
            }
        }
        Ok(Box::new(Kernel {
            inputs: UnitInputs::bind(landscape, "esv_costanza", [], served)?,
            value,
        }))
    }
}

struct Kernel<'a> {
    inputs: UnitInputs<'a, 0>,
    value: Vec<f64>,
}

impl UnitKernel for Kernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        self.inputs.for_each(units, sink, |u, sink| {
            sink.add(
                0,
                u.region,
                u.class,
                u.area_ha * self.value[u.class as usize],
            );
        });
    }
}
