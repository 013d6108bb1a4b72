//! InVEST's Annual Water Yield as a `gep` service: water yield (m³) per unit by the Fu/Budyko
//! curve with Zhang's ω, INVEST_MODELS.md §2.

use std::ops::Range;
use std::sync::Arc;

use super::{Category, Component, MarketPrice, Service, Sink, UnitInputs, UnitKernel};
use crate::error::{GepError, ParamError};
use crate::invest::fractp;
use crate::landscape::Landscape;
use crate::params::{Checked, ClassTable, ParamRecord, Price};
use crate::units::{mm_over_ha_to_m3, PhysicalUnit};

/// Parameters of [`AnnualWaterYield`] (the biophysical table as per-class tables).
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualWaterYieldParams {
    /// Crop coefficient Kc per land-cover code (unitless).
    pub kc: ClassTable,
    /// Root depth per land-cover code, mm (ignored for non-vegetated classes).
    pub root_depth_mm: ClassTable,
    /// `lulc_veg` per land-cover code: 1 vegetated, 0 not.
    pub vegetated: ClassTable,
    /// Seasonality constant Z (> 0).
    pub seasonality_z: f64,
    /// Price of water, per m³.
    pub water_price: Price,
}

impl AnnualWaterYieldParams {
    /// Checks Kc ≥ 0, root depth ≥ 0, `lulc_veg` ∈ {0, 1}, Z > 0 and a price per m³.
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        self.kc.check("kc", 0.0, f64::MAX, "a coefficient >= 0")?;
        self.root_depth_mm
            .check("root_depth", 0.0, f64::MAX, "a depth >= 0 mm")?;
        self.vegetated.check("lulc_veg", 0.0, 1.0, "0 or 1")?;
        if let Some(r) = self
            .vegetated
            .rows
            .iter()
            .find(|r| r.value.is_some_and(|v| v != 0.0 && v != 1.0))
        {
            return Err(ParamError::OutOfRange {
                parameter: "lulc_veg".into(),
                code: Some(r.code),
                value: r.value.unwrap_or(f64::NAN),
                expected: "0 or 1",
            });
        }
        if !(self.seasonality_z.is_finite() && self.seasonality_z > 0.0) {
            return Err(ParamError::OutOfRange {
                parameter: "seasonality_constant".into(),
                code: None,
                value: self.seasonality_z,
                expected: "a number > 0",
            });
        }
        self.water_price
            .check("water_price", &[PhysicalUnit::CubicMetre])?;
        Ok(Checked::new(self.clone()))
    }
}

/// Annual water yield as InVEST computes it per cell, summed as a volume:
/// `Y [m³] = Σ area [ha] × (1 − fractp) · P [mm] × 10`, with `fractp` from the Fu/Budyko curve
/// ([`fractp`](crate::invest::fractp)); valued at a market price per m³.
///
/// Layers: `precip_mm`, `eto_mm`, `soil_depth_mm`, `pawc_fraction`. Units with P = 0 yield
/// nothing (InVEST marks them nodata).
///
/// # Examples
/// ```
/// use gep::prelude::*;
/// use gep::params::{ClassTable, ClassValue};
/// use gep::services::{AnnualWaterYield, AnnualWaterYieldParams};
/// use ndarray::array;
/// let table = |v: f64| ClassTable { unit: "1".into(), source: "example".into(),
///     status: Status::User, rows: vec![ClassValue { code: 11, value: Some(v) }] };
/// let params = AnnualWaterYieldParams { kc: table(1.0), root_depth_mm: table(1000.0),
///     vegetated: table(1.0), seasonality_z: 10.0,
///     water_price: Price::yuan(2.0, PhysicalUnit::CubicMetre, 2020, "example", Status::User) };
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
///     .area_ha(array![1.0]).land_cover(array![11])
///     .layer("precip_mm", array![1000.0], None).layer("eto_mm", array![1000.0], None)
///     .layer("soil_depth_mm", array![2000.0], None).layer("pawc_fraction", array![0.1], None)
///     .build()?;
/// let services: Vec<Box<dyn Service>> = vec![Box::new(AnnualWaterYield::new(params.check()?))];
/// let account = Engine::new(&services).run(&landscape)?;
/// // ω = 2.25, φ = 1: fractp = 2 − 2^(1/2.25); yield = (1 − fractp) · 1000 mm over 1 ha.
/// let y = (2f64.powf(1.0 / 2.25) - 1.0) * 1000.0 * 10.0;
/// assert!((account.quantity("annual_water_yield", "water_yield").unwrap() - y).abs() < 1e-6 * y);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone)]
pub struct AnnualWaterYield {
    params: Checked<AnnualWaterYieldParams>,
}

impl AnnualWaterYield {
    /// The service with checked parameters.
    pub fn new(params: Checked<AnnualWaterYieldParams>) -> Self {
        Self { params }
    }
}

const ID: &str = "annual_water_yield";
const LAYERS: [&str; 4] = ["precip_mm", "eto_mm", "soil_depth_mm", "pawc_fraction"];

impl Service for AnnualWaterYield {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Annual water yield (InVEST)"
    }
    fn category(&self) -> Category {
        Category::Provisioning
    }
    fn formula(&self) -> String {
        "Y [m3] = sum area [ha] x (1 - fractp) x P [mm] x 10; vegetated: fractp = min(phi, 1 + phi - \
         (1 + phi^w)^(1/w)), phi = Kc ET0 / P, w = min(Z AWC / P + 1.25, 5), AWC = min(root, soil) PAWC; \
         other classes: fractp = min(Kc ET0, P) / P. InVEST 3.20 (INVEST_MODELS.md section 2)"
            .into()
    }
    fn required_layers(&self) -> Vec<&'static str> {
        LAYERS.to_vec()
    }
    fn components(&self) -> Vec<Component> {
        vec![Component {
            id: "water_yield".into(),
            label: "water yield".into(),
            unit: PhysicalUnit::CubicMetre,
            valuation: Arc::new(MarketPrice::new(
                "water_price",
                self.params.water_price.clone(),
            )),
        }]
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        let mut r = self.params.kc.records("kc");
        r.extend(self.params.root_depth_mm.records("root_depth"));
        r.extend(self.params.vegetated.records("lulc_veg"));
        r
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        let (c, counts) = (landscape.classification(), landscape.class_unit_counts());
        let kc = self.params.kc.lut(ID, "kc", c, counts)?;
        let root = self.params.root_depth_mm.lut(ID, "root_depth", c, counts)?;
        let veg = self.params.vegetated.lut(ID, "lulc_veg", c, counts)?;
        let served: Vec<bool> = (0..c.len())
            .map(|i| kc.served[i] && root.served[i] && veg.served[i])
            .collect();
        let inputs = UnitInputs::bind(landscape, ID, LAYERS, served)?;
        Ok(Box::new(Kernel {
            inputs,
            kc: kc.values,
            root: root.values,
            veg: veg.values,
            z: self.params.seasonality_z,
        }))
    }
}

struct Kernel<'a> {
    inputs: UnitInputs<'a, 4>,
    kc: Vec<f64>,
    root: Vec<f64>,
    veg: Vec<f64>,
    z: f64,
}

impl UnitKernel for Kernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        self.inputs.for_each(units, sink, |u, sink| {
            let [p, eto, soil, pawc] = u.values.map(f64::from);
            if p.abs() <= 1e-8 {
                return;
            }
            let k = u.class as usize;
            let f = fractp(
                self.veg[k] == 1.0,
                self.kc[k],
                eto,
                p,
                self.root[k],
                soil,
                pawc,
                self.z,
            );
            sink.add(
                0,
                u.region,
                u.class,
                mm_over_ha_to_m3((1.0 - f) * p, u.area_ha),
            );
        });
    }
}
