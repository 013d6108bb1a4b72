//! Value transfer by equivalent factors (Xie et al. 2015), METHODS.md §3.1 — an ESV screening
//! method, labelled ESV, not GEP.
//!
//! `ESV = Σ_k Σ_f A_k × e_kf × E_a × F_kf`: area (ha) × equivalent factor of ecosystem k and
//! service f (dimensionless, `data/xie2015_equivalent_factors.csv`) × value of one standard
//! equivalent (3406.50 yuan/ha, 2010) × optional spatial adjustment F (local/national NPP for
//! most services, local/national precipitation for water supply and hydrological regulation).
//! The quantity of each component is in standard-equivalent hectares (Σ A·e·F); its price is
//! E_a. Negative factors (paddy water supply −2.63) are legitimate and kept.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

use super::{Category, Component, Service, Sink, UnitInputs, UnitKernel, ValueTransfer};
use crate::error::{GepError, ParamError};
use crate::landscape::Landscape;
use crate::params::{Checked, ParamRecord, Parameter, Price, Status};
use crate::units::PhysicalUnit;

/// The Xie et al. (2015) table as shipped in `data/`.
const XIE_TABLE: &str = include_str!("../../data/xie2015_equivalent_factors.csv");

/// The eleven services of the table with their category.
pub const XIE_SERVICES: [(&str, Category); 11] = [
    ("food_production", Category::Provisioning),
    ("raw_material", Category::Provisioning),
    ("water_supply", Category::Provisioning),
    ("gas_regulation", Category::Regulating),
    ("climate_regulation", Category::Regulating),
    ("environmental_purification", Category::Regulating),
    ("hydrological_regulation", Category::Regulating),
    ("soil_conservation", Category::Supporting),
    ("nutrient_cycling", Category::Supporting),
    ("biodiversity", Category::Supporting),
    ("aesthetic_landscape", Category::Cultural),
];

/// Equivalent factors of one Xie ecosystem row (`paddy`, `broadleaf`, ...), in
/// [`XIE_SERVICES`] order.
pub fn xie_factors(ecosystem: &str) -> Option<[f64; 11]> {
    for line in XIE_TABLE.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() == 13 && f[1] == ecosystem {
            let mut out = [0.0; 11];
            for (o, v) in out.iter_mut().zip(&f[2..]) {
                *o = v.parse().ok()?;
            }
            return Some(out);
        }
    }
    None
}

/// A land-cover code and the Xie ecosystem row it takes its factors from (`None`: no row,
/// e.g. built-up land, which the table does not value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct XieMapping {
    /// Land-cover code.
    pub code: i32,
    /// Xie ecosystem (level-2 name of the table).
    pub ecosystem: Option<String>,
}

/// Spatial adjustment of the factors (Xie et al. 2015): local over national means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpatialAdjustment {
    /// National mean NPP, g C/m²/yr (no default: take it from the same NPP product).
    pub national_npp_gc_per_m2: Parameter,
    /// National mean precipitation, mm/yr (no default).
    pub national_precip_mm: Parameter,
    /// Adjust soil conservation by the layer `soil_conservation_ratio_1` (local soil
    /// conservation over the national mean, computed by the user) instead of by NPP.
    #[serde(default)]
    pub soil_conservation_ratio_layer: bool,
}

/// One crop of the grain statistics that price the standard equivalent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GrainCrop {
    /// Sown area m_i, ha.
    pub sown_area_ha: f64,
    /// Price p_i, yuan/t.
    pub price_yuan_per_t: f64,
    /// Yield q_i, t/ha.
    pub yield_t_per_ha: f64,
}

/// The value of one standard equivalent from grain statistics by the rule of the Xie 2003/2008
/// versions: one seventh of the market value of the average grain output per ha,
/// `E_a = (1/7) × Σ m_i p_i q_i / M` yuan/ha (METHODS.md §3.1, ChinaXiv-202209.00158 \[V\]).
///
/// Errors on an empty list, a negative or non-finite figure, or zero total sown area.
///
/// # Examples
/// ```
/// use gep::services::{standard_equivalent_from_grain, GrainCrop};
/// // Rice 600 ha × 2800 yuan/t × 7 t/ha and wheat 400 ha × 2400 × 5: 16 560 yuan/ha on
/// // average, a seventh of which is 2365.71 yuan/ha.
/// let crops = [
///     GrainCrop { sown_area_ha: 600.0, price_yuan_per_t: 2800.0, yield_t_per_ha: 7.0 },
///     GrainCrop { sown_area_ha: 400.0, price_yuan_per_t: 2400.0, yield_t_per_ha: 5.0 },
/// ];
/// let e = standard_equivalent_from_grain(&crops, 2020, "county yearbook 2020")?;
/// assert!((e.value - 16_560.0 / 7.0).abs() < 1e-9);
/// # Ok::<(), gep::error::ParamError>(())
/// ```
pub fn standard_equivalent_from_grain(
    crops: &[GrainCrop],
    price_year: i32,
    source: &str,
) -> Result<Price, ParamError> {
    let mut area = 0.0;
    let mut value = 0.0;
    for (i, c) in crops.iter().enumerate() {
        for (name, v) in [
            ("sown_area_ha", c.sown_area_ha),
            ("price_yuan_per_t", c.price_yuan_per_t),
            ("yield_t_per_ha", c.yield_t_per_ha),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(ParamError::OutOfRange {
                    parameter: format!("grain crop {i}: {name}"),
                    code: None,
                    value: v,
                    expected: "a finite value >= 0",
                });
            }
        }
        area += c.sown_area_ha;
        value += c.sown_area_ha * c.price_yuan_per_t * c.yield_t_per_ha;
    }
    if area <= 0.0 {
        return Err(ParamError::OutOfRange {
            parameter: "grain crops: total sown area".into(),
            code: None,
            value: area,
            expected: "at least one crop with sown area > 0",
        });
    }
    Ok(Price {
        value: value / area / 7.0,
        currency: crate::params::Currency::Cny,
        per: PhysicalUnit::EquivalentHectare,
        price_year,
        source: format!("1/7 of the average grain output value per ha ({source})"),
        status: Status::Derived,
        index_family: None,
    })
}

/// Parameters of [`equivalent_factor_services`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EquivalentFactorParams {
    /// Value of one standard equivalent, yuan per equivalent-hectare.
    pub standard_equivalent: Price,
    /// Class → Xie ecosystem.
    pub mapping: Vec<XieMapping>,
    /// Optional spatial adjustment (layers `npp_gc_per_m2`, `precip_mm`).
    pub adjustment: Option<SpatialAdjustment>,
}

impl Default for EquivalentFactorParams {
    /// 3406.50 yuan/ha (2010 national average, Xie et al. 2015 \[V\]); mapping of
    /// [`Classification::gep_default`](crate::landscape::Classification::gep_default):
    /// evergreen broadleaf and deciduous broadleaf → broadleaf, coniferous → coniferous,
    /// mixed → mixed_coniferous_broadleaf, shrub → shrub, tussock grass → shrub_grass (灌草丛),
    /// marsh → wetland, open water → water_system, paddy → paddy, dryland → dryland,
    /// bare land → bare_land, built-up → none. No spatial adjustment.
    fn default() -> Self {
        let m = |code, e: Option<&str>| XieMapping {
            code,
            ecosystem: e.map(String::from),
        };
        Self {
            standard_equivalent: Price {
                value: 3406.50,
                currency: crate::params::Currency::Cny,
                per: PhysicalUnit::EquivalentHectare,
                price_year: 2010,
                source: "Xie et al. 2015, standard equivalent (2010 national average)".into(),
                status: Status::Verified,
                index_family: None,
            },
            mapping: vec![
                m(11, Some("broadleaf")),
                m(12, Some("coniferous")),
                m(13, Some("mixed_coniferous_broadleaf")),
                m(14, Some("broadleaf")),
                m(21, Some("shrub")),
                m(31, Some("shrub_grass")),
                m(41, Some("wetland")),
                m(42, Some("water_system")),
                m(51, Some("paddy")),
                m(52, Some("dryland")),
                m(61, None),
                m(71, Some("bare_land")),
            ],
            adjustment: None,
        }
    }
}

impl EquivalentFactorParams {
    /// Checks the price and that every mapped ecosystem is a row of the table.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        self.standard_equivalent
            .check("standard_equivalent", &[PhysicalUnit::EquivalentHectare])?;
        for m in &self.mapping {
            if let Some(e) = &m.ecosystem {
                if xie_factors(e).is_none() {
                    return Err(ParamError::Missing {
                        service: "esv_equivalent_factor".into(),
                        parameter: format!("Xie et al. 2015 row `{e}`"),
                        code: Some(m.code),
                    });
                }
            }
        }
        if let Some(a) = &self.adjustment {
            a.national_npp_gc_per_m2.check(
                "national_npp_gc_per_m2",
                "g C/m2/yr",
                f64::MIN_POSITIVE,
                f64::MAX,
                "> 0",
            )?;
            a.national_precip_mm.check(
                "national_precip_mm",
                "mm/yr",
                f64::MIN_POSITIVE,
                f64::MAX,
                "> 0",
            )?;
        }
        Ok(Checked::new(self.clone()))
    }
}

/// The equivalent-factor ESV as four services, one per category of the table (provisioning,
/// regulating, supporting, cultural), ids `esv_xie_<category>`.
pub fn equivalent_factor_services(
    params: &Checked<EquivalentFactorParams>,
) -> Vec<Box<dyn Service>> {
    [
        (Category::Provisioning, "esv_xie_provisioning"),
        (Category::Regulating, "esv_xie_regulating"),
        (Category::Supporting, "esv_xie_supporting"),
        (Category::Cultural, "esv_xie_cultural"),
    ]
    .into_iter()
    .map(|(category, id)| {
        Box::new(EquivalentFactorEsv {
            id,
            category,
            params: params.clone(),
            services: (0..11).filter(|&f| XIE_SERVICES[f].1 == category).collect(),
        }) as Box<dyn Service>
    })
    .collect()
}

/// One category of the equivalent-factor ESV.
#[derive(Debug, Clone)]
pub struct EquivalentFactorEsv {
    id: &'static str,
    category: Category,
    params: Checked<EquivalentFactorParams>,
    /// Indices into [`XIE_SERVICES`].
    services: Vec<usize>,
}

impl Service for EquivalentFactorEsv {
    fn id(&self) -> &'static str {
        self.id
    }
    fn name(&self) -> &'static str {
        match self.category {
            Category::Provisioning => "ESV (Xie 2015) provisioning",
            Category::Regulating => "ESV (Xie 2015) regulating",
            Category::Supporting => "ESV (Xie 2015) supporting",
            Category::Cultural | Category::Mixed => "ESV (Xie 2015) cultural",
        }
    }
    fn category(&self) -> Category {
        self.category
    }
    fn formula(&self) -> String {
        "ESV = sum A [ha] x e(ecosystem, service) x E_a [yuan/ha] x F (F = local/national NPP, or precipitation for water supply and hydrological regulation; 1 without adjustment). Xie et al. 2015; value transfer, not GEP".into()
    }
    fn required_layers(&self) -> Vec<&'static str> {
        match &self.params.adjustment {
            Some(a) if a.soil_conservation_ratio_layer => {
                vec!["npp_gc_per_m2", "precip_mm", "soil_conservation_ratio_1"]
            }
            Some(_) => vec!["npp_gc_per_m2", "precip_mm"],
            None => Vec::new(),
        }
    }
    fn components(&self) -> Vec<Component> {
        self.services
            .iter()
            .map(|&f| {
                Component::new(
                    XIE_SERVICES[f].0,
                    XIE_SERVICES[f].0.replace('_', " "),
                    PhysicalUnit::EquivalentHectare,
                    Arc::new(ValueTransfer::new(
                        "standard_equivalent",
                        self.params.standard_equivalent.clone(),
                    )),
                )
            })
            .collect()
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        let mut r = Vec::new();
        for m in &self.params.mapping {
            if let Some(e) = m
                .ecosystem
                .as_deref()
                .and_then(|e| xie_factors(e).map(|f| (e, f)))
            {
                for &s in &self.services {
                    r.push(ParamRecord {
                        name: format!(
                            "equivalent_factor[{}:{}].{}",
                            m.code, e.0, XIE_SERVICES[s].0
                        ),
                        value: e.1[s],
                        unit: "1".into(),
                        price_year: None,
                        source: "Xie et al. 2015, data/xie2015_equivalent_factors.csv".into(),
                        status: Status::Verified,
                    });
                }
            }
        }
        if let Some(a) = &self.params.adjustment {
            r.push(a.national_npp_gc_per_m2.record("national_npp_gc_per_m2"));
            r.push(a.national_precip_mm.record("national_precip_mm"));
        }
        r
    }
    fn notes(&self) -> Vec<String> {
        let mut n = vec!["value transfer (equivalent factors): ESV for screening, not GEP".into()];
        match &self.params.adjustment {
            Some(a) if !a.soil_conservation_ratio_layer => n.push(
                "soil conservation adjusted by the NPP ratio (no soil_conservation_ratio_1 layer requested)".into(),
            ),
            None => n.push("no spatial adjustment (F = 1)".into()),
            _ => {}
        }
        n
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        let classes = landscape.classification().classes();
        let counts = landscape.class_unit_counts();
        let mut factors = vec![[0.0f64; 11]; classes.len()];
        let mut served = vec![false; classes.len()];
        for (k, class) in classes.iter().enumerate() {
            match self.params.mapping.iter().find(|m| m.code == class.code) {
                Some(m) => {
                    if let Some(f) = m.ecosystem.as_deref().and_then(xie_factors) {
                        factors[k] = f;
                        served[k] = true;
                    }
                }
                None if counts[k] > 0 => {
                    return Err(ParamError::Missing {
                        service: self.id.into(),
                        parameter: "equivalent-factor mapping".into(),
                        code: Some(class.code),
                    }
                    .into())
                }
                None => {}
            }
        }
        let inputs = match &self.params.adjustment {
            Some(a) if a.soil_conservation_ratio_layer => Adjust::WithSoil(
                UnitInputs::bind(
                    landscape,
                    self.id,
                    ["npp_gc_per_m2", "precip_mm", "soil_conservation_ratio_1"],
                    served,
                )?,
                a.national_npp_gc_per_m2.value,
                a.national_precip_mm.value,
            ),
            Some(a) => Adjust::Yes(
                UnitInputs::bind(landscape, self.id, ["npp_gc_per_m2", "precip_mm"], served)?,
                a.national_npp_gc_per_m2.value,
                a.national_precip_mm.value,
            ),
            None => Adjust::No(UnitInputs::bind(landscape, self.id, [], served)?),
        };
        Ok(Box::new(Kernel {
            inputs,
            factors,
            services: self.services.clone(),
        }))
    }
}

enum Adjust<'a> {
    No(UnitInputs<'a, 0>),
    Yes(UnitInputs<'a, 2>, f64, f64),
    WithSoil(UnitInputs<'a, 3>, f64, f64),
}

struct Kernel<'a> {
    inputs: Adjust<'a>,
    factors: Vec<[f64; 11]>,
    services: Vec<usize>,
}

/// Services adjusted by precipitation rather than NPP (Xie et al. 2015).
fn by_precipitation(service: usize) -> bool {
    matches!(
        XIE_SERVICES[service].0,
        "water_supply" | "hydrological_regulation"
    )
}

impl UnitKernel for Kernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        match &self.inputs {
            Adjust::No(inputs) => inputs.for_each(units, sink, |u, sink| {
                let e = &self.factors[u.class as usize];
                for (j, &f) in self.services.iter().enumerate() {
                    sink.add(j, u.region, u.class, u.area_ha * e[f]);
                }
            }),
            Adjust::Yes(inputs, npp0, p0) => inputs.for_each(units, sink, |u, sink| {
                let e = &self.factors[u.class as usize];
                let npp_ratio = u.values[0] as f64 / npp0;
                let precip_ratio = u.values[1] as f64 / p0;
                for (j, &f) in self.services.iter().enumerate() {
                    let adj = if by_precipitation(f) {
                        precip_ratio
                    } else {
                        npp_ratio
                    };
                    sink.add(j, u.region, u.class, u.area_ha * e[f] * adj);
                }
            }),
            Adjust::WithSoil(inputs, npp0, p0) => inputs.for_each(units, sink, |u, sink| {
                let e = &self.factors[u.class as usize];
                let npp_ratio = u.values[0] as f64 / npp0;
                let precip_ratio = u.values[1] as f64 / p0;
                let soil_ratio = u.values[2] as f64;
                for (j, &f) in self.services.iter().enumerate() {
                    let adj = if by_precipitation(f) {
                        precip_ratio
                    } else if XIE_SERVICES[f].0 == "soil_conservation" {
                        soil_ratio
                    } else {
                        npp_ratio
                    };
                    sink.add(j, u.region, u.class, u.area_ha * e[f] * adj);
                }
            }),
        }
    }
}
