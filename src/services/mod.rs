//! Ecosystem services: the [`Service`] trait, its per-unit kernels, and one file per service.
//!
//! | service | category | components | valuation |
//! |---|---|---|---|
//! | [`WaterConservation`] | regulating | conserved water, m³ | [`ReplacementCost`] (reservoir storage) |
//! | [`CarbonSequestration`] | regulating | fixed CO₂, t CO₂ | [`ReplacementCost`] (afforestation cost) or [`MarketPrice`] (carbon market) |
//! | [`OxygenRelease`] | regulating | released O₂, t O₂ | [`ReplacementCost`] (industrial oxygen) |
//! | [`InvestCarbon`] | regulating | stored carbon, t C (InVEST pools) | [`MarketPrice`] per t C |
//! | [`AnnualWaterYield`] | provisioning | water yield, m³ (InVEST Fu/Budyko) | [`MarketPrice`] per m³ |
//!
//! Adding a service is one new file here implementing [`Service`] (and its `…Params` with
//! built-in defaults), plus one line in [`standard_services`] if it belongs to the default set.

mod annual_water_yield;
mod carbon;
mod invest_carbon;
mod oxygen;
mod productivity;
mod valuation;
mod water_conservation;

pub use annual_water_yield::{AnnualWaterYield, AnnualWaterYieldParams};
pub use carbon::{CarbonPriceKind, CarbonSequestration, CarbonSequestrationParams};
pub use invest_carbon::{InvestCarbon, InvestCarbonParams};
pub use oxygen::{OxygenRelease, OxygenReleaseParams};
pub use productivity::{ProductivityBasis, ProductivityParams};
pub use valuation::{
    AvoidedCost, MarketPrice, ReplacementCost, TravelCost, ValuationMethod, ValueTransfer,
};
pub use water_conservation::{WaterConservation, WaterConservationParams};

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use crate::error::{GepError, LandscapeError};
use crate::landscape::{is_valid_value, Areas, Landscape, NODATA_CLASS};
use crate::params::{GepParams, ParamRecord};
use crate::units::PhysicalUnit;

/// The three GEP categories (METHODS.md §1.2): GEP = EPV + ERV + ECV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Provisioning: material products (EPV).
    Provisioning,
    /// Regulating services (ERV).
    Regulating,
    /// Cultural services (ECV).
    Cultural,
}

impl Category {
    /// All categories in report order.
    pub const ALL: [Category; 3] = [Self::Provisioning, Self::Regulating, Self::Cultural];

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Provisioning => "provisioning",
            Self::Regulating => "regulating",
            Self::Cultural => "cultural",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One physical component of a service (e.g. soil conservation → retained sediment, avoided N
/// loss), with its unit and how it is valued.
#[derive(Debug, Clone)]
pub struct Component {
    /// Stable identifier within the service (`water_m3`).
    pub id: &'static str,
    /// Human-readable label.
    pub label: &'static str,
    /// Physical unit of the quantity.
    pub unit: PhysicalUnit,
    /// How the quantity becomes money.
    pub valuation: Arc<dyn ValuationMethod>,
}

/// How a service treats per-unit quantities below zero (e.g. `P − R − ET < 0`, a carbon source).
///
/// Never `abs()` (METHODS.md §6). Either way the account reports the sum of the negative
/// per-unit quantities in the service's provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NegativePolicy {
    /// Keep the sign: negative units reduce the total (balance view).
    #[default]
    Signed,
    /// Count negative units as zero (service view); the clipped amount is reported.
    FloorAtZero,
}

impl NegativePolicy {
    /// Applies the policy to a quantity of `component`, noting negative amounts in the sink.
    #[inline]
    pub fn apply(self, quantity: f64, component: usize, sink: &mut Sink<'_>) -> f64 {
        if quantity < 0.0 {
            sink.note_negative(component, quantity);
            if self == Self::FloorAtZero {
                return 0.0;
            }
        }
        quantity
    }

    /// A sentence for provenance.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Signed => "negative per-unit quantities are kept with their sign",
            Self::FloorAtZero => "negative per-unit quantities are counted as zero",
        }
    }
}

/// An ecosystem service: what it needs, what it computes, how it is valued.
///
/// Implementors are immutable, validated configurations (built from checked `…Params`).
/// [`bind`](Service::bind) checks a landscape against the service's needs once and returns a
/// kernel that the engine runs over chunks of units.
pub trait Service: fmt::Debug + Send + Sync {
    /// Stable identifier (`water_conservation`).
    fn id(&self) -> &'static str;
    /// Human-readable name.
    fn name(&self) -> &'static str;
    /// GEP category.
    fn category(&self) -> Category;
    /// The formula, in words and symbols with units, for provenance.
    fn formula(&self) -> String;
    /// Layers the service reads, in the order their nodata is reported.
    fn required_layers(&self) -> Vec<&'static str>;
    /// Components computed, in kernel order.
    fn components(&self) -> Vec<Component>;
    /// Physical parameters used, with sources (prices come with the components).
    fn parameters(&self) -> Vec<ParamRecord>;
    /// Notes for provenance (policies applied, caveats).
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
    /// Checks the landscape (layers present, parameters for every class present) and binds a
    /// kernel to it.
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError>;
}

/// A service bound to a landscape: accumulates physical quantities of a range of units.
pub trait UnitKernel: Send + Sync {
    /// Adds the quantities of units `units` to `sink`, and tallies counted and skipped units.
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>);
}

/// Counts of what a service did with the units it saw.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Tally {
    /// Units whose quantities were computed.
    pub counted: u64,
    /// Units skipped because their land cover is nodata.
    pub land_cover_nodata: u64,
    /// Units skipped because their class does not supply the service.
    pub class_not_served: u64,
    /// Units skipped for nodata in each required layer (first nodata layer wins).
    pub layer_nodata: Vec<u64>,
    /// Per component, the sum of negative per-unit quantities seen (before any flooring).
    pub negative_sum: Vec<f64>,
}

impl Tally {
    pub(crate) fn new(n_layers: usize, n_components: usize) -> Self {
        Self {
            layer_nodata: vec![0; n_layers],
            negative_sum: vec![0.0; n_components],
            ..Self::default()
        }
    }

    pub(crate) fn merge(&mut self, other: &Tally) {
        self.counted += other.counted;
        self.land_cover_nodata += other.land_cover_nodata;
        self.class_not_served += other.class_not_served;
        for (a, b) in self.layer_nodata.iter_mut().zip(&other.layer_nodata) {
            *a += b;
        }
        for (a, b) in self.negative_sum.iter_mut().zip(&other.negative_sum) {
            *a += b;
        }
    }

    /// All units seen: counted plus skipped.
    pub fn seen(&self) -> u64 {
        self.counted
            + self.land_cover_nodata
            + self.class_not_served
            + self.layer_nodata.iter().sum::<u64>()
    }
}

/// Where a kernel puts its quantities: a dense block `[component][region][class]` of f64
/// accumulators for one chunk, and the service's tally.
#[derive(Debug)]
pub struct Sink<'a> {
    cells: &'a mut [f64],
    n_regions: usize,
    n_classes: usize,
    tally: &'a mut Tally,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(
        cells: &'a mut [f64],
        n_regions: usize,
        n_classes: usize,
        tally: &'a mut Tally,
    ) -> Self {
        Self {
            cells,
            n_regions,
            n_classes,
            tally,
        }
    }

    /// Adds `quantity` of `component` to the cell (region, class).
    #[inline]
    pub fn add(&mut self, component: usize, region: u32, class: u16, quantity: f64) {
        let i = (component * self.n_regions + region as usize) * self.n_classes + class as usize;
        self.cells[i] += quantity;
    }

    /// The tally, to count units.
    #[inline]
    pub fn tally(&mut self) -> &mut Tally {
        self.tally
    }

    /// Records a negative per-unit quantity of `component`.
    #[inline]
    pub fn note_negative(&mut self, component: usize, quantity: f64) {
        if let Some(s) = self.tally.negative_sum.get_mut(component) {
            *s += quantity;
        }
    }
}

/// One valid unit handed to a kernel by [`UnitInputs::for_each`].
#[derive(Debug, Clone, Copy)]
pub struct Unit<const N: usize> {
    /// Unit index in the landscape.
    pub index: usize,
    /// Dense class index.
    pub class: u16,
    /// Region index.
    pub region: u32,
    /// Area in ha.
    pub area_ha: f64,
    /// Values of the required layers, in order.
    pub values: [f32; N],
}

/// The columns a per-unit kernel reads, bound once: class, region, area and `N` layers.
///
/// [`for_each`](UnitInputs::for_each) walks a range of units, skips (and tallies) land-cover
/// nodata, classes the service does not serve, and nodata in any layer, and hands every valid
/// unit to the kernel's closure. This is the shared mechanism behind every per-unit service.
#[derive(Debug, Clone)]
pub struct UnitInputs<'a, const N: usize> {
    class: &'a [u16],
    region: &'a [u32],
    areas: &'a Areas,
    layers: [&'a [f32]; N],
    sentinels: [f32; N],
    served: Vec<bool>,
}

impl<'a, const N: usize> UnitInputs<'a, N> {
    /// Binds the layers `names` of `landscape` for `service`; `served[class]` says which classes
    /// supply the service.
    pub fn bind(
        landscape: &'a Landscape,
        service: &str,
        names: [&str; N],
        served: Vec<bool>,
    ) -> Result<Self, LandscapeError> {
        let mut layers: [&[f32]; N] = [&[]; N];
        let mut sentinels = [f32::NAN; N];
        for (k, name) in names.iter().enumerate() {
            let layer = landscape.require_layer(service, name)?;
            layers[k] = layer.as_slice();
            sentinels[k] = layer.nodata_sentinel();
        }
        Ok(Self {
            class: landscape.class_index(),
            region: landscape.region_index(),
            areas: landscape.areas(),
            layers,
            sentinels,
            served,
        })
    }

    /// Calls `f` for every valid unit of `units`, tallying skipped ones in `sink`.
    #[inline]
    pub fn for_each(
        &self,
        units: Range<usize>,
        sink: &mut Sink<'_>,
        mut f: impl FnMut(Unit<N>, &mut Sink<'_>),
    ) {
        for i in units {
            let class = self.class[i];
            if class == NODATA_CLASS {
                sink.tally.land_cover_nodata += 1;
                continue;
            }
            if !self.served[class as usize] {
                sink.tally.class_not_served += 1;
                continue;
            }
            let mut values = [0.0f32; N];
            let mut nodata_at = N;
            for (k, value) in values.iter_mut().enumerate() {
                let v = self.layers[k][i];
                if !is_valid_value(v, self.sentinels[k]) {
                    nodata_at = k;
                    break;
                }
                *value = v;
            }
            if nodata_at < N {
                sink.tally.layer_nodata[nodata_at] += 1;
                continue;
            }
            sink.tally.counted += 1;
            let unit = Unit {
                index: i,
                class,
                region: self.region[i],
                area_ha: self.areas.get(i),
                values,
            };
            f(unit, sink);
        }
    }
}

/// The default service set of a parameter set: water conservation, carbon sequestration and
/// oxygen release (the services implemented so far), each from its checked parameters.
pub fn standard_services(params: &GepParams) -> Result<Vec<Box<dyn Service>>, GepError> {
    Ok(vec![
        Box::new(WaterConservation::new(params.water_conservation.check()?)),
        Box::new(CarbonSequestration::new(
            params.productivity.check()?,
            params.carbon_sequestration.check()?,
        )),
        Box::new(OxygenRelease::new(
            params.productivity.check()?,
            params.oxygen_release.check()?,
        )),
    ])
}
