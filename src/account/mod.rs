//! The [`Account`]: quantities and values by (service, component, region, land-cover class),
//! totals along every dimension, regional roll-up, provenance; and the [`Engine`] that makes it.

mod coverage;
mod engine;
mod report;
pub mod sum;

pub use coverage::{Coverage, LayerCoverage};
pub use engine::{Engine, DEFAULT_CHUNK_UNITS};
pub use report::CellRecord;

use serde::{Deserialize, Serialize};

use crate::error::AccountError;
use crate::landscape::{EcosystemType, LandCoverClass, Regions};
use crate::params::{Currency, IndexFamily, ParamRecord};
use crate::services::{Category, Component, Service, Tally};
use crate::units::PhysicalUnit;
use sum::{merge_into, CompensatedSum};

/// What an account records about one component: its unit and how it was valued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentRecord {
    /// Component id within its service.
    pub id: String,
    /// Label.
    pub label: String,
    /// Physical unit of the quantity.
    pub unit: PhysicalUnit,
    /// Valuation method id (`replacement_cost`, ...).
    pub method: String,
    /// Whether the value is an exchange value (SEEA EA).
    pub is_exchange_value: bool,
    /// Money per unit of quantity.
    pub unit_value: f64,
    /// Unit the price is per (equals `unit`).
    pub per: PhysicalUnit,
    /// Currency of the value.
    pub currency: Currency,
    /// Price year of the value.
    pub price_year: i32,
    /// The prices used.
    pub prices: Vec<ParamRecord>,
    /// The price index family that moves `unit_value` over time (METHODS.md §5; see
    /// [`IndexFamily::for_price`] for the defaults).
    #[serde(default = "default_family")]
    pub index_family: IndexFamily,
}

fn default_family() -> IndexFamily {
    IndexFamily::Cpi
}

impl ComponentRecord {
    /// The record of a service component.
    pub fn new(c: &Component) -> Self {
        let v = &c.valuation;
        Self {
            id: c.id.clone(),
            label: c.label.clone(),
            unit: c.unit,
            method: v.id().into(),
            is_exchange_value: v.is_exchange_value(),
            unit_value: v.unit_value(),
            per: v.per(),
            currency: v.currency(),
            price_year: v.price_year(),
            prices: v.records(),
            index_family: v.index_family(),
        }
    }
}

/// Provenance of one service in an account: formula, parameters, components, and how many
/// units were counted and skipped, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceRecord {
    /// Service id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Category.
    pub category: Category,
    /// Formula with units and sources.
    pub formula: String,
    /// Layers read.
    pub layers: Vec<String>,
    /// Components and their valuation.
    pub components: Vec<ComponentRecord>,
    /// Physical parameters used, with sources.
    pub parameters: Vec<ParamRecord>,
    /// Policies and caveats.
    pub notes: Vec<String>,
    /// Units counted and skipped.
    pub tally: Tally,
    /// Whether tile accounts of this service merge exactly after finishing.
    pub additive: bool,
}

impl ServiceRecord {
    /// Skipped units by reason, in words: `("nodata in precip_mm", 12)`.
    pub fn skipped(&self) -> Vec<(String, u64)> {
        let mut v = vec![
            (
                "land-cover nodata".to_string(),
                self.tally.land_cover_nodata,
            ),
            (
                "class does not supply the service".to_string(),
                self.tally.class_not_served,
            ),
        ];
        for (l, &n) in self.layers.iter().zip(&self.tally.layer_nodata) {
            v.push((format!("nodata in {l}"), n));
        }
        v
    }
}

/// The GEP account of a landscape.
///
/// Holds, for every (service component, region, land-cover class) cell, the physical quantity
/// as a compensated f64 pair; values are `quantity × unit value` of the component. Totals along
/// any dimension are compensated sums in a fixed order, so Σ regions = Σ classes = Σ services =
/// total to rounding, and results do not depend on the thread count.
///
/// An account is a monoid under [`merge`](Account::merge): the account of a landscape equals
/// the merge of its tiles' accounts (to ~1e-15 relative), which gives streaming and
/// distributed runs with the same code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    services: Vec<ServiceRecord>,
    classes: Vec<LandCoverClass>,
    regions: Regions,
    sums: Vec<f64>,
    comps: Vec<f64>,
    extent: Vec<f64>,
    extent_comps: Vec<f64>,
    n_units: u64,
    land_cover_nodata: u64,
    finished: bool,
    #[serde(default)]
    run_info: Option<crate::profile::RunInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    coverage: Option<Coverage>,
}

/// Address of one component in the account: service index and component index within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentKey {
    /// Service index.
    pub service: usize,
    /// Component index within the service.
    pub component: usize,
    /// Position in the flat list of all components.
    pub global: usize,
}

impl Account {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts(
        services: Vec<ServiceRecord>,
        classes: Vec<LandCoverClass>,
        regions: Regions,
        sums: Vec<f64>,
        comps: Vec<f64>,
        extent: Vec<f64>,
        extent_comps: Vec<f64>,
        n_units: u64,
        land_cover_nodata: u64,
    ) -> Self {
        Self {
            services,
            classes,
            regions,
            sums,
            comps,
            extent,
            extent_comps,
            n_units,
            land_cover_nodata,
            finished: false,
            run_info: None,
            coverage: None,
        }
    }

    /// The account with the coverage of the rasters it was computed from.
    pub fn with_coverage(mut self, coverage: Coverage) -> Self {
        self.coverage = Some(coverage);
        self
    }

    /// Coverage of the input rasters (cells read, valid, nodata per layer; cells used), when
    /// the account was made from raster files (see [`crate::run`]).
    pub fn coverage(&self) -> Option<&Coverage> {
        self.coverage.as_ref()
    }

    /// The account with the record of the run (profile, parameter hash, notes).
    pub fn with_run_info(mut self, info: crate::profile::RunInfo) -> Self {
        self.run_info = Some(info);
        self
    }

    /// The record of the run, if made through a [`Profile`](crate::profile::Profile).
    pub fn run_info(&self) -> Option<&crate::profile::RunInfo> {
        self.run_info.as_ref()
    }

    /// `GEP`, or `ESV (value transfer)` when the account was made by value transfer.
    pub fn label(&self) -> &str {
        self.run_info.as_ref().map_or("GEP", |r| r.label.as_str())
    }

    /// Total of the components whose valuation is an exchange value in the SEEA EA sense
    /// (leaves out consumer surplus and replacement-cost proxies).
    pub fn exchange_value_total(&self) -> f64 {
        let exchange: Vec<bool> = self
            .components()
            .map(|(_, _, c)| c.is_exchange_value)
            .collect();
        let v = self.value_by_component();
        sum::neumaier_sum(
            v.iter()
                .zip(&exchange)
                .filter(|(_, e)| **e)
                .map(|(v, _)| *v),
        )
    }

    /// The component records, for re-pricing (quantities stay untouched).
    pub(crate) fn component_records_mut(&mut self) -> impl Iterator<Item = &mut ComponentRecord> {
        self.services
            .iter_mut()
            .flat_map(|s| s.components.iter_mut())
    }

    /// The record of the run, for notes added by an analysis.
    pub(crate) fn run_info_mut(&mut self) -> Option<&mut crate::profile::RunInfo> {
        self.run_info.as_mut()
    }

    /// Whether the services' region-level finishing steps have been applied
    /// (see [`Engine::run_raw`]).
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The services, with provenance.
    pub fn services(&self) -> &[ServiceRecord] {
        &self.services
    }

    /// Provenance of one service.
    pub fn provenance(&self, service_id: &str) -> Option<&ServiceRecord> {
        self.services.iter().find(|s| s.id == service_id)
    }

    /// The land-cover classes (the class dimension).
    pub fn classes(&self) -> &[LandCoverClass] {
        &self.classes
    }

    /// The regions (the region dimension).
    pub fn regions(&self) -> &Regions {
        &self.regions
    }

    /// Units in the landscape(s) accounted.
    pub fn n_units(&self) -> u64 {
        self.n_units
    }

    /// Units whose land cover was nodata.
    pub fn land_cover_nodata_units(&self) -> u64 {
        self.land_cover_nodata
    }

    /// Currency of all values.
    pub fn currency(&self) -> Currency {
        self.services
            .iter()
            .flat_map(|s| s.components.first())
            .map(|c| c.currency)
            .next()
            .unwrap_or_default()
    }

    fn plane(&self) -> usize {
        self.regions.len() * self.classes.len()
    }

    /// All components in order.
    pub fn components(
        &self,
    ) -> impl Iterator<Item = (ComponentKey, &ServiceRecord, &ComponentRecord)> {
        let mut global = 0;
        self.services
            .iter()
            .enumerate()
            .flat_map(move |(si, s)| {
                s.components
                    .iter()
                    .enumerate()
                    .map(move |(ci, c)| (si, ci, s, c))
            })
            .map(move |(si, ci, s, c)| {
                let key = ComponentKey {
                    service: si,
                    component: ci,
                    global,
                };
                global += 1;
                (key, s, c)
            })
    }

    /// Key of a component by ids.
    pub fn component_key(&self, service_id: &str, component_id: &str) -> Option<ComponentKey> {
        self.components()
            .find(|(_, s, c)| s.id == service_id && c.id == component_id)
            .map(|(k, _, _)| k)
    }

    #[inline]
    fn cell_quantity(&self, i: usize) -> f64 {
        self.sums[i] + self.comps[i]
    }

    /// Folds every cell's value (or quantity of one component) into groups.
    fn fold(
        &self,
        n_groups: usize,
        only: Option<usize>,
        as_value: bool,
        group: impl Fn(&ComponentKey, usize, usize) -> usize,
    ) -> Vec<f64> {
        let plane = self.plane();
        let n_classes = self.classes.len();
        let mut acc = vec![CompensatedSum::new(); n_groups];
        let keys: Vec<(ComponentKey, f64)> = self
            .components()
            .map(|(k, _, c)| (k, c.unit_value))
            .collect();
        for (key, unit_value) in keys {
            if only.is_some_and(|g| g != key.global) {
                continue;
            }
            let base = key.global * plane;
            for cell in 0..plane {
                let q = self.cell_quantity(base + cell);
                if q == 0.0 {
                    continue;
                }
                let x = if as_value { q * unit_value } else { q };
                acc[group(&key, cell / n_classes, cell % n_classes)].add(x);
            }
        }
        acc.iter().map(|s| s.value()).collect()
    }

    /// Total value (GEP of the services accounted), in [`currency`](Account::currency).
    pub fn total_value(&self) -> f64 {
        self.fold(1, None, true, |_, _, _| 0)[0]
    }

    /// Value per service, in service order.
    pub fn value_by_service(&self) -> Vec<f64> {
        self.fold(self.services.len(), None, true, |k, _, _| k.service)
    }

    /// Value per component, in [`components`](Account::components) order.
    pub fn value_by_component(&self) -> Vec<f64> {
        let n = self.components().count();
        self.fold(n, None, true, |k, _, _| k.global)
    }

    /// Value per category, in [`Category::ALL`] order: provisioning (EPV), regulating (ERV),
    /// cultural (ECV), then supporting and mixed (only in value-transfer ESV accounts).
    pub fn value_by_category(&self) -> Vec<(Category, f64)> {
        let cats: Vec<usize> = self
            .services
            .iter()
            .map(|s| {
                Category::ALL
                    .iter()
                    .position(|c| *c == s.category)
                    .unwrap_or(0)
            })
            .collect();
        let v = self.fold(Category::ALL.len(), None, true, |k, _, _| cats[k.service]);
        Category::ALL.iter().copied().zip(v).collect()
    }

    /// Value per region (index order), each region's own units only.
    pub fn value_by_region(&self) -> Vec<f64> {
        self.fold(self.regions.len(), None, true, |_, r, _| r)
    }

    /// Value per region including all its descendants (e.g. a district = Σ its townships).
    pub fn value_by_region_rollup(&self) -> Vec<f64> {
        self.rollup(&self.value_by_region())
    }

    fn rollup(&self, own: &[f64]) -> Vec<f64> {
        let mut acc = vec![CompensatedSum::new(); own.len()];
        for (r, &v) in own.iter().enumerate() {
            acc[r].add(v);
            for a in self.regions.ancestors(r) {
                acc[a].add(v);
            }
        }
        acc.iter().map(|s| s.value()).collect()
    }

    /// Value per land-cover class (classification order).
    pub fn value_by_class(&self) -> Vec<f64> {
        self.fold(self.classes.len(), None, true, |_, _, c| c)
    }

    /// Value per ecosystem type, in [`EcosystemType::ALL`] order.
    pub fn value_by_ecosystem(&self) -> Vec<(EcosystemType, f64)> {
        let eco: Vec<usize> = self.classes.iter().map(|c| c.ecosystem.index()).collect();
        let v = self.fold(EcosystemType::ALL.len(), None, true, |_, _, c| eco[c]);
        EcosystemType::ALL.iter().copied().zip(v).collect()
    }

    /// Total quantity of a component, in its unit.
    pub fn quantity(&self, service_id: &str, component_id: &str) -> Option<f64> {
        let k = self.component_key(service_id, component_id)?;
        Some(self.fold(1, Some(k.global), false, |_, _, _| 0)[0])
    }

    /// Quantity of a component per region (own units).
    pub fn quantity_by_region(&self, service_id: &str, component_id: &str) -> Option<Vec<f64>> {
        let k = self.component_key(service_id, component_id)?;
        Some(self.fold(self.regions.len(), Some(k.global), false, |_, r, _| r))
    }

    /// Quantity of a component per land-cover class.
    pub fn quantity_by_class(&self, service_id: &str, component_id: &str) -> Option<Vec<f64>> {
        let k = self.component_key(service_id, component_id)?;
        Some(self.fold(self.classes.len(), Some(k.global), false, |_, _, c| c))
    }

    /// Quantity and value of one cell.
    pub fn cell(&self, key: ComponentKey, region: usize, class: usize) -> Option<(f64, f64)> {
        if region >= self.regions.len() || class >= self.classes.len() {
            return None;
        }
        let (_, _, c) = self.components().find(|(k, _, _)| k.global == key.global)?;
        let q = self.cell_quantity(key.global * self.plane() + region * self.classes.len() + class);
        Some((q, q * c.unit_value))
    }

    /// Area (ha) of units with valid land cover, per region (own units).
    pub fn extent_ha_by_region(&self) -> Vec<f64> {
        let nc = self.classes.len();
        (0..self.regions.len())
            .map(|r| {
                sum::neumaier_sum(
                    (0..nc).map(|c| self.extent[r * nc + c] + self.extent_comps[r * nc + c]),
                )
            })
            .collect()
    }

    /// Area (ha) per region including descendants.
    pub fn extent_ha_by_region_rollup(&self) -> Vec<f64> {
        self.rollup(&self.extent_ha_by_region())
    }

    /// Area (ha) per land-cover class.
    pub fn extent_ha_by_class(&self) -> Vec<f64> {
        let nc = self.classes.len();
        (0..nc)
            .map(|c| {
                sum::neumaier_sum(
                    (0..self.regions.len())
                        .map(|r| self.extent[r * nc + c] + self.extent_comps[r * nc + c]),
                )
            })
            .collect()
    }

    /// Total area (ha) of units with valid land cover.
    pub fn extent_ha(&self) -> f64 {
        sum::neumaier_sum(self.extent_ha_by_class())
    }

    /// The same quantities valued at the prices of `services`: each component's record (unit
    /// value, prices, price year) is replaced by the one the matching service gives now.
    /// The services must be the account's, in order, with the same components and units
    /// (typically built from a parameter set that differs only in prices); quantities, tallies
    /// and the finished state are kept. This is how Monte Carlo and sensitivity runs revalue an
    /// account without recomputing the physical pass.
    pub fn repriced(&self, services: &[Box<dyn Service>]) -> Result<Account, AccountError> {
        if services.len() != self.services.len() {
            return Err(AccountError::Incompatible {
                what: "services of the account and of the new prices",
            });
        }
        let mut out = self.clone();
        let mut currency: Option<Currency> = None;
        for (record, service) in out.services.iter_mut().zip(services) {
            let components: Vec<ComponentRecord> = service
                .components()
                .iter()
                .map(ComponentRecord::new)
                .collect();
            let same = record.id == service.id()
                && components.len() == record.components.len()
                && components
                    .iter()
                    .zip(&record.components)
                    .all(|(a, b)| a.id == b.id && a.unit == b.unit && a.per == b.per);
            if !same {
                return Err(AccountError::Incompatible {
                    what: "services, components or units of the account and of the new prices",
                });
            }
            for c in &components {
                if *currency.get_or_insert(c.currency) != c.currency {
                    return Err(AccountError::Incompatible {
                        what: "currencies of the new prices (one currency per account)",
                    });
                }
            }
            record.components = components;
        }
        Ok(out)
    }

    /// Combines the accounts of two disjoint sets of units (tiles) of the same layout:
    /// same services (ids, components, unit values), classes and regions.
    ///
    /// Associative and commutative up to rounding in the last bits (compensated sums);
    /// `Account::merge(a, b)` of the tiles of a landscape equals the landscape's account.
    pub fn merge(mut self, other: &Account) -> Result<Account, AccountError> {
        if self.classes != other.classes {
            return Err(AccountError::Incompatible {
                what: "land-cover classes",
            });
        }
        if self.regions != other.regions {
            return Err(AccountError::Incompatible { what: "regions" });
        }
        let same_services = self.services.len() == other.services.len()
            && self.services.iter().zip(&other.services).all(|(a, b)| {
                a.id == b.id
                    && a.components == b.components
                    && a.parameters == b.parameters
                    && a.layers == b.layers
            });
        if !same_services {
            return Err(AccountError::Incompatible {
                what: "services, components, prices or parameters",
            });
        }
        if self.run_info != other.run_info {
            return Err(AccountError::Incompatible {
                what: "profiles or parameter hashes",
            });
        }
        if self.finished != other.finished {
            return Err(AccountError::Incompatible {
                what: "finished and raw states",
            });
        }
        if self.finished {
            if let Some(s) = self.services.iter().find(|s| !s.additive) {
                return Err(AccountError::NotAdditive {
                    service: s.id.clone(),
                });
            }
        }
        merge_into(
            &mut self.sums,
            &mut self.comps,
            &other.sums,
            Some(&other.comps),
        );
        merge_into(
            &mut self.extent,
            &mut self.extent_comps,
            &other.extent,
            Some(&other.extent_comps),
        );
        for (a, b) in self.services.iter_mut().zip(&other.services) {
            a.tally.merge(&b.tally);
        }
        self.n_units += other.n_units;
        self.land_cover_nodata += other.land_cover_nodata;
        match (&mut self.coverage, &other.coverage) {
            (Some(a), Some(b)) => a.merge(b),
            (None, Some(b)) => self.coverage = Some(b.clone()),
            _ => {}
        }
        Ok(self)
    }
}
