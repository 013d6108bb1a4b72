//! Ecosystem services: the [`Service`] trait, its per-unit kernels, and one file per service.
//!
//! | service | category | components | valuation |
//! |---|---|---|---|
//! | [`WaterConservation`] | regulating | conserved water, m³ | [`ReplacementCost`] (reservoir storage) |
//! | [`CarbonSequestration`] | regulating | fixed CO₂, t CO₂ | [`ReplacementCost`] (afforestation cost) or [`MarketPrice`] (carbon market) |
//! | [`OxygenRelease`] | regulating | released O₂, t O₂ | [`ReplacementCost`] (industrial oxygen) |
//! | [`ClimateRegulation`] | regulating | cooling and humidification, kWh | [`ReplacementCost`] (electricity) |
//! | [`PestControl`] (optional) | regulating | natural forest/grassland, ha | [`AvoidedCost`] (control cost) |
//! | [`CoastalProtection`] (optional) | regulating | protected coastline, km | [`ReplacementCost`] (sea wall) |
//! | [`AirPurification`] | regulating | SO₂, NOx, dust (fluoride), t, capped by emissions | [`AvoidedCost`] (abatement cost) |
//! | [`WaterPurification`] | regulating | COD, NH₃-N, TN, TP, t, capped by loads | [`AvoidedCost`] (treatment cost) |
//! | [`FloodRegulation`] | regulating | vegetation, marsh, lake, reservoir storage, m³ | [`ReplacementCost`] (reservoir storage) |
//! | [`SandFixation`] | regulating | sand fixed t (not valued separately), land protected m² | [`ReplacementCost`] (restoration of buried land) |
//! | [`SoilConservation`] | regulating | retained soil t (not valued separately), sediment m³, N t, P t | [`AvoidedCost`] (dredging, nutrient abatement) or [`ReplacementCost`] (forest standard) |
//! | [`InvestCarbon`] | regulating | stored carbon, t C (InVEST pools) | [`MarketPrice`] per t C |
//! | [`AnnualWaterYield`] | provisioning | water yield, m³ (InVEST Fu/Budyko) | [`MarketPrice`] per m³ |
//!
//! Adding a service is one new file here implementing [`Service`] (and its `…Params` with
//! built-in defaults), plus one line in [`standard_services`] if it belongs to the default set.

mod air_purification;
mod annual_water_yield;
mod carbon;
mod climate_regulation;
mod coastal_protection;
mod ecological_energy;
mod equivalent_factor;
mod flood_regulation;
mod invest_carbon;
mod landscape_value;
mod oxygen;
mod pest_control;
mod pollutant_cap;
mod productivity;
mod provisioning;
mod recreation;
mod region_stat;
mod sand_fixation;
mod soil_conservation;
mod unit_value_transfer;
mod valuation;
mod water_conservation;
mod water_purification;
mod water_supply;

pub use air_purification::{AirPurification, AirPurificationParams};
pub use annual_water_yield::{AnnualWaterYield, AnnualWaterYieldParams};
pub use carbon::{CarbonPriceKind, CarbonSequestration, CarbonSequestrationParams};
pub use climate_regulation::{
    ClimateRegulation, ClimateRegulationParams, EppSource, AET_LAYER, EVAPORATION_LAYER,
};
pub use coastal_protection::{CoastalProtection, CoastalProtectionParams};
pub use ecological_energy::{ecological_energy, EcologicalEnergyParams};
pub use equivalent_factor::{
    equivalent_factor_services, standard_equivalent_from_grain, xie_factors, EquivalentFactorEsv,
    EquivalentFactorParams, GrainCrop, SpatialAdjustment, XieMapping, XIE_SERVICES,
};
pub use flood_regulation::{
    FloodRegulation, FloodRegulationParams, LakeCoefficients, LakeModel, RegionLakeCoefficients,
};
pub use invest_carbon::{InvestCarbon, InvestCarbonParams};
pub use landscape_value::{landscape_value, LandscapeValueParams};
pub use oxygen::{OxygenRelease, OxygenReleaseParams};
pub use pest_control::{PestControl, PestControlParams};
pub use pollutant_cap::{PollutantCost, PollutantParams, KG_PER_HA_YR, T_PER_HA_YR};
pub use productivity::{ProductivityBasis, ProductivityParams};
pub use provisioning::{
    provisioning_products, ProductLine, ProvisioningConvention, ProvisioningParams,
};
pub use recreation::{recreation, RecreationParams};
pub use region_stat::StatSource;
pub use sand_fixation::{
    air_density_kg_per_m3, erodible_fraction, rweq_soil_loss_kg_per_m2, soil_crust_factor,
    RoughnessSource, SandFixation, SandFixationParams, GRAVITY_M_PER_S2, ROUGHNESS_LAYER,
    RWEQ_LAYERS,
};
pub use soil_conservation::{
    ls_factor_from_dem, FlowRouting, LsSource, SoilConservation, SoilConservationParams,
    SoilValuation,
};
pub use unit_value_transfer::{
    costanza_unit_value, BiomeMapping, UnitValueTransfer, UnitValueTransferParams,
};
pub use valuation::{
    AvoidedCost, ConsumerSurplus, HedonicPrice, MarketPrice, NotValued, ReplacementCost,
    TravelCost, ValuationMethod, ValueTransfer,
};
pub use water_conservation::{
    RunoffSource, WaterConservation, WaterConservationParams, RUNOFF_LAYER,
};
pub use water_purification::{WaterPurification, WaterPurificationParams, TN_EQUIVALENT_KG};
pub use water_supply::{water_supply, WaterSector, WaterSupplyParams};

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use crate::account::sum::CompensatedSum;
use crate::error::{GepError, LandscapeError};
use crate::landscape::{
    is_valid_value, Areas, LandCoverClass, Landscape, RegionStats, Regions, NODATA_CLASS,
};
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
    /// Value-transfer totals spanning several categories (Costanza et al. 2014 unit values).
    Mixed,
    /// Supporting services: not part of GEP (their effect is inside the other three,
    /// METHODS.md §1.2); only value-transfer ESV tables (Xie et al. 2015) list them.
    Supporting,
}

impl Category {
    /// All categories in report order.
    pub const ALL: [Category; 5] = [
        Self::Provisioning,
        Self::Regulating,
        Self::Cultural,
        Self::Supporting,
        Self::Mixed,
    ];

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Provisioning => "provisioning",
            Self::Regulating => "regulating",
            Self::Cultural => "cultural",
            Self::Supporting => "supporting",
            Self::Mixed => "mixed (value transfer)",
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
    /// Stable identifier within the service (`water`).
    pub id: String,
    /// Human-readable label.
    pub label: String,
    /// Physical unit of the quantity.
    pub unit: PhysicalUnit,
    /// How the quantity becomes money.
    pub valuation: Arc<dyn ValuationMethod>,
}

impl Component {
    /// A component: id, label, physical unit, valuation.
    pub fn new(
        id: impl Into<String>,
        label: impl Into<String>,
        unit: PhysicalUnit,
        valuation: Arc<dyn ValuationMethod>,
    ) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            unit,
            valuation,
        }
    }
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

    /// A region-level step after all units are summed (caps such as `min(emission, capacity)`,
    /// quantities from region statistics). The default does nothing.
    fn finish(
        &self,
        ctx: &FinishContext<'_>,
        cells: &mut ServiceCells<'_>,
    ) -> Result<(), GepError> {
        let _ = (ctx, cells);
        Ok(())
    }

    /// The photosynthesis basis the service's quantities rest on, if any (carbon
    /// sequestration, oxygen release). The engine refuses to run two services with different
    /// bases together (METHODS.md §2.9: O₂ from NPP dry matter beside CO₂ from NEP is
    /// stoichiometrically inconsistent).
    fn productivity_basis(&self) -> Option<String> {
        None
    }

    /// Whether the service's quantities are sums over units, so that the accounts of tiles
    /// merge into the account of the whole. Services whose [`finish`](Service::finish) is not
    /// additive (caps) return false: merge their raw tile accounts, then finish once.
    fn is_additive(&self) -> bool {
        true
    }
}

/// What a service's [`finish`](Service::finish) step sees of the whole run.
#[derive(Debug, Clone, Copy)]
pub struct FinishContext<'a> {
    /// The regions.
    pub regions: &'a Regions,
    /// Per-region statistics.
    pub stats: &'a RegionStats,
    /// The land-cover classes.
    pub classes: &'a [LandCoverClass],
    extent_ha: &'a [f64],
}

impl<'a> FinishContext<'a> {
    pub(crate) fn new(
        regions: &'a Regions,
        stats: &'a RegionStats,
        classes: &'a [LandCoverClass],
        extent_ha: &'a [f64],
    ) -> Self {
        Self {
            regions,
            stats,
            classes,
            extent_ha,
        }
    }

    /// Area (ha) of valid units of `class` in `region`.
    pub fn extent_ha(&self, region: usize, class: usize) -> f64 {
        self.extent_ha
            .get(region * self.classes.len() + class)
            .copied()
            .unwrap_or(0.0)
    }
}

/// A service's block of an account after all units are summed, for its finishing step:
/// `[component][region][class]` quantities, the tally and the notes.
#[derive(Debug)]
pub struct ServiceCells<'a> {
    sums: &'a mut [f64],
    comps: &'a mut [f64],
    n_regions: usize,
    n_classes: usize,
    tally: &'a mut Tally,
    notes: &'a mut Vec<String>,
}

impl<'a> ServiceCells<'a> {
    pub(crate) fn new(
        sums: &'a mut [f64],
        comps: &'a mut [f64],
        n_regions: usize,
        n_classes: usize,
        tally: &'a mut Tally,
        notes: &'a mut Vec<String>,
    ) -> Self {
        Self {
            sums,
            comps,
            n_regions,
            n_classes,
            tally,
            notes,
        }
    }

    fn index(&self, component: usize, region: usize, class: usize) -> usize {
        (component * self.n_regions + region) * self.n_classes + class
    }

    /// Number of regions.
    pub fn n_regions(&self) -> usize {
        self.n_regions
    }

    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Quantity of a cell.
    pub fn get(&self, component: usize, region: usize, class: usize) -> f64 {
        let i = self.index(component, region, class);
        self.sums[i] + self.comps[i]
    }

    /// Replaces the quantity of a cell.
    pub fn set(&mut self, component: usize, region: usize, class: usize, quantity: f64) {
        let i = self.index(component, region, class);
        self.sums[i] = quantity;
        self.comps[i] = 0.0;
    }

    /// Total quantity of a component in a region (compensated sum over classes).
    pub fn region_total(&self, component: usize, region: usize) -> f64 {
        let mut s = CompensatedSum::new();
        for class in 0..self.n_classes {
            s.add(self.get(component, region, class));
        }
        s.value()
    }

    /// Adds `quantity` to a cell.
    pub fn add(&mut self, component: usize, region: usize, class: usize, quantity: f64) {
        let i = self.index(component, region, class);
        let (s, e) = crate::account::sum::two_sum(self.sums[i], quantity);
        self.sums[i] = s;
        self.comps[i] += e;
    }

    /// Multiplies every class of a region by `factor` (a proportional cap).
    pub fn scale_region(&mut self, component: usize, region: usize, factor: f64) {
        for class in 0..self.n_classes {
            let v = self.get(component, region, class);
            self.set(component, region, class, v * factor);
        }
    }

    /// Records that the finishing step changed a component's total by `amount` (negative when
    /// a cap removed quantity), shown in the account's provenance.
    pub fn record_adjustment(&mut self, component: usize, amount: f64) {
        if let Some(a) = self.tally.adjusted_sum.get_mut(component) {
            *a += amount;
        }
    }

    /// The service's tally so far (units counted and skipped, per-layer nodata).
    pub fn tally(&self) -> &Tally {
        self.tally
    }

    /// Adds a note to the service's provenance.
    pub fn note(&mut self, note: String) {
        self.notes.push(note);
    }
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
    /// Per component, the change made by the region-level finishing step (caps: negative).
    #[serde(default)]
    pub adjusted_sum: Vec<f64>,
}

impl Tally {
    pub(crate) fn new(n_layers: usize, n_components: usize) -> Self {
        Self {
            layer_nodata: vec![0; n_layers],
            negative_sum: vec![0.0; n_components],
            adjusted_sum: vec![0.0; n_components],
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
        for (a, b) in self.adjusted_sum.iter_mut().zip(&other.adjusted_sum) {
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

/// Every service id the registry knows, in report order.
pub const SERVICE_IDS: &[&str] = &[
    "provisioning_products",
    "water_supply",
    "ecological_energy",
    "water_conservation",
    "carbon_sequestration",
    "oxygen_release",
    "soil_conservation",
    "sand_fixation",
    "flood_regulation",
    "air_purification",
    "water_purification",
    "climate_regulation",
    "pest_control",
    "coastal_protection",
    "recreation",
    "landscape_value",
    "esv_xie2015",
    "esv_costanza",
];

/// Builds the services of a registry id from a parameter set (checking its parameters).
/// Most ids give one service; `esv_xie2015` gives its four category services.
pub fn services_by_id(id: &str, params: &GepParams) -> Result<Vec<Box<dyn Service>>, GepError> {
    Ok(match id {
        "esv_xie2015" => equivalent_factor_services(&params.equivalent_factor.check()?),
        "esv_costanza" => vec![Box::new(UnitValueTransfer::new(
            params.unit_value_transfer.check()?,
        ))],
        other => vec![service_by_id(other, params)?],
    })
}

/// Builds the service with this id from a parameter set (checking its parameters).
pub fn service_by_id(id: &str, params: &GepParams) -> Result<Box<dyn Service>, GepError> {
    Ok(match id {
        "provisioning_products" => provisioning_products(&params.provisioning.check()?),
        "water_supply" => water_supply(&params.water_supply.check()?),
        "ecological_energy" => ecological_energy(&params.ecological_energy.check()?),
        "water_conservation" => {
            Box::new(WaterConservation::new(params.water_conservation.check()?))
        }
        "carbon_sequestration" => Box::new(CarbonSequestration::new(
            params.productivity.check()?,
            params.carbon_sequestration.check()?,
        )),
        "oxygen_release" => Box::new(OxygenRelease::new(
            params.productivity.check()?,
            params.oxygen_release.check()?,
        )),
        "soil_conservation" => Box::new(SoilConservation::new(params.soil_conservation.check()?)),
        "sand_fixation" => Box::new(SandFixation::new(params.sand_fixation.check()?)),
        "flood_regulation" => Box::new(FloodRegulation::new(params.flood_regulation.check()?)),
        "air_purification" => Box::new(AirPurification::new(params.air_purification.check()?)),
        "water_purification" => {
            Box::new(WaterPurification::new(params.water_purification.check()?))
        }
        "climate_regulation" => {
            Box::new(ClimateRegulation::new(params.climate_regulation.check()?))
        }
        "pest_control" => Box::new(PestControl::new(params.pest_control.check()?)),
        "coastal_protection" => {
            Box::new(CoastalProtection::new(params.coastal_protection.check()?))
        }
        "recreation" => recreation(&params.recreation.check()?),
        "landscape_value" => landscape_value(&params.landscape_value.check()?),
        other => {
            return Err(crate::error::ParamError::UnknownService {
                service: other.into(),
            }
            .into())
        }
    })
}

/// The default regulating services, each from its checked parameters: water conservation,
/// carbon sequestration, oxygen release, soil conservation, windbreak and sand fixation, flood
/// regulation, air purification and climate regulation; water purification once removal rates
/// are given, coastal protection once a sea-wall cost and lifetime are given. [`PestControl`]
/// is optional (not in every profile, METHODS.md §2.13): add it yourself.
///
/// The landscape must carry every layer and region statistic these read (see each service;
/// the [sample county](crate::sample) does) and, with the default LS and roughness sources, a
/// grid for `dem_m`. For a landscape with only precipitation, ET and productivity layers use
/// [`core_services`]. Complete GEP runs (with provisioning and cultural services) use a
/// [`Profile`](crate::profile::Profile).
pub fn standard_services(params: &GepParams) -> Result<Vec<Box<dyn Service>>, GepError> {
    let mut services = core_services(params)?;
    services.push(Box::new(SoilConservation::new(
        params.soil_conservation.check()?,
    )));
    services.push(Box::new(SandFixation::new(params.sand_fixation.check()?)));
    services.push(Box::new(FloodRegulation::new(
        params.flood_regulation.check()?,
    )));
    services.push(Box::new(AirPurification::new(
        params.air_purification.check()?,
    )));
    services.push(Box::new(ClimateRegulation::new(
        params.climate_regulation.check()?,
    )));
    // Water purification has no default removal rates (METHODS.md gives none): it joins the
    // set once the user supplies them.
    if params.water_purification.is_configured() {
        services.push(Box::new(WaterPurification::new(
            params.water_purification.check()?,
        )));
    }
    // Coastal protection needs a sea-wall cost and lifetime (no default): it joins once given.
    if params.coastal_protection.is_configured() {
        services.push(Box::new(CoastalProtection::new(
            params.coastal_protection.check()?,
        )));
    }
    Ok(services)
}

/// The services that need only `precip_mm`, `aet_mm` and the productivity layers: water
/// conservation, carbon sequestration and oxygen release.
pub fn core_services(params: &GepParams) -> Result<Vec<Box<dyn Service>>, GepError> {
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
