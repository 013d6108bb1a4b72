//! SEEA Ecosystem Accounting tables from a GEP account (METHODS.md §4): the ecosystem extent
//! account with its change matrix ([`ExtentAccount`]), physical and monetary supply tables
//! (services × ecosystem types, [`SupplyTable`]), use tables by user from shares the user
//! supplies ([`UseTable`], [`UserShares`]), and the reconciliation between the GEP profile and
//! the SEEA aggregate ([`Reconciliation`]).
//!
//! The mapping of GEP services to the SEEA EA reference list is data
//! ([`SEEA_SERVICE_MAP`], the table of METHODS.md §4.2).

use std::io::Write;

use crate::account::sum::{neumaier_sum, CompensatedSum};
use crate::account::Account;
use crate::analysis::prices::csv_field;
use crate::analysis::scenario::TransitionMatrix;
use crate::error::AnalysisError;
use crate::landscape::{EcosystemType, Landscape};
use crate::units::PhysicalUnit;

/// How a GEP service maps to the SEEA EA reference list of ecosystem services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeeaMapping {
    /// GEP service id.
    pub service: &'static str,
    /// SEEA EA reference service, or `None` when the service is not on the list.
    pub seea_service: Option<&'static str>,
    /// Conditions and caveats of the mapping (METHODS.md §4.2).
    pub note: &'static str,
}

/// GEP service → SEEA EA reference service (METHODS.md §4.2 table).
pub const SEEA_SERVICE_MAP: &[SeeaMapping] = &[
    SeeaMapping {
        service: "provisioning_products",
        seea_service: Some("biomass provisioning (crop, wood, grazed biomass, livestock, fish)"),
        note: "ecosystem contribution only: resource rent, not gross output value",
    },
    SeeaMapping {
        service: "water_supply",
        seea_service: Some("water supply"),
        note: "",
    },
    SeeaMapping {
        service: "annual_water_yield",
        seea_service: Some("water supply"),
        note: "",
    },
    SeeaMapping {
        service: "ecological_energy",
        seea_service: None,
        note: "hydropower is not an ecosystem service of the core list (record as abiotic flow or through water supply)",
    },
    SeeaMapping {
        service: "water_conservation",
        seea_service: Some("water flow regulation (baseline flow maintenance)"),
        note: "avoid double counting with water supply",
    },
    SeeaMapping {
        service: "soil_conservation",
        seea_service: Some("soil and sediment retention (soil erosion control)"),
        note: "",
    },
    SeeaMapping {
        service: "sand_fixation",
        seea_service: Some("soil and sediment retention (wind erosion control)"),
        note: "",
    },
    SeeaMapping {
        service: "flood_regulation",
        seea_service: Some("flood control (river flood mitigation)"),
        note: "",
    },
    SeeaMapping {
        service: "coastal_protection",
        seea_service: Some("flood control (coastal protection)"),
        note: "",
    },
    SeeaMapping {
        service: "carbon_sequestration",
        seea_service: Some("global climate regulation"),
        note: "",
    },
    SeeaMapping {
        service: "invest_carbon",
        seea_service: Some("global climate regulation"),
        note: "",
    },
    SeeaMapping {
        service: "oxygen_release",
        seea_service: None,
        note: "oxygen release is not on the SEEA EA reference list (same photosynthesis as carbon sequestration)",
    },
    SeeaMapping {
        service: "air_purification",
        seea_service: Some("air filtration"),
        note: "",
    },
    SeeaMapping {
        service: "water_purification",
        seea_service: Some("water purification"),
        note: "",
    },
    SeeaMapping {
        service: "climate_regulation",
        seea_service: Some("local climate regulation"),
        note: "",
    },
    SeeaMapping {
        service: "pest_control",
        seea_service: Some("biological control"),
        note: "",
    },
    SeeaMapping {
        service: "recreation",
        seea_service: Some("recreation-related services"),
        note: "travel-cost expenditure only, without consumer surplus",
    },
    SeeaMapping {
        service: "landscape_value",
        seea_service: Some("visual amenity"),
        note: "",
    },
    SeeaMapping {
        service: "species_conservation",
        seea_service: Some("habitat maintenance / ecosystem and species appreciation"),
        note: "",
    },
];

/// The SEEA mapping of a GEP service id (`None` if the service is not in the table; value
/// transfer services are deliberately absent: ESV is not a SEEA valuation).
pub fn seea_mapping(service: &str) -> Option<&'static SeeaMapping> {
    SEEA_SERVICE_MAP.iter().find(|m| m.service == service)
}

/// One component row of a supply table.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplyRow {
    /// GEP service id.
    pub service: String,
    /// Component id.
    pub component: String,
    /// SEEA EA reference service (`None`: not a SEEA service).
    pub seea_service: Option<&'static str>,
    /// Physical unit of the row.
    pub unit: PhysicalUnit,
    /// Valuation method id.
    pub valuation_method: String,
    /// Whether the value is an exchange value (METHODS.md §4.3).
    pub is_exchange_value: bool,
    /// Quantity per ecosystem type ([`EcosystemType::ALL`] order), in `unit`.
    pub physical: Vec<f64>,
    /// Row total of `physical`.
    pub physical_total: f64,
    /// Value per ecosystem type, in the account's currency.
    pub monetary: Vec<f64>,
    /// Row total of `monetary`.
    pub monetary_total: f64,
}

/// Physical and monetary supply tables: rows = service components (one physical unit per
/// row), columns = ecosystem types (the supplying assets); a service's rows sum to the
/// account's value of the service.
///
/// # Examples
/// ```
/// use gep::analysis::seea::SupplyTable;
/// use gep::prelude::*;
/// use ndarray::array;
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("Town"))
///     .area_ha(array![1.0, 1.0]).land_cover(array![11, 31])
///     .layer("precip_mm", array![1600.0, 1600.0], None)
///     .layer("aet_mm", array![800.0, 900.0], None)
///     .build()?;
/// let account = Profile::mee2020().with_services(["water_conservation"]).run(&landscape)?;
/// let supply = SupplyTable::from_account(&account);
/// let by_service = account.value_by_service();
/// assert!((supply.service_totals()[0].1 - by_service[0]).abs() < 1e-9 * by_service[0]);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SupplyTable {
    rows: Vec<SupplyRow>,
    services: Vec<String>,
    currency: String,
}

impl SupplyTable {
    /// The supply tables of an account.
    pub fn from_account(account: &Account) -> Self {
        let eco: Vec<usize> = account
            .classes()
            .iter()
            .map(|c| c.ecosystem.index())
            .collect();
        let m = EcosystemType::ALL.len();
        let rows = account
            .components()
            .map(|(_, s, c)| {
                let q = account.quantity_by_class(&s.id, &c.id).unwrap_or_default();
                let mut phys = vec![CompensatedSum::new(); m];
                for (k, &x) in q.iter().enumerate() {
                    phys[eco[k]].add(x);
                }
                let physical: Vec<f64> = phys.iter().map(|s| s.value()).collect();
                let monetary: Vec<f64> = physical.iter().map(|x| x * c.unit_value).collect();
                SupplyRow {
                    service: s.id.clone(),
                    component: c.id.clone(),
                    seea_service: seea_mapping(&s.id).and_then(|m| m.seea_service),
                    unit: c.unit,
                    valuation_method: c.method.clone(),
                    is_exchange_value: c.is_exchange_value,
                    physical_total: neumaier_sum(physical.iter().copied()),
                    monetary_total: neumaier_sum(monetary.iter().copied()),
                    physical,
                    monetary,
                }
            })
            .collect();
        Self {
            rows,
            services: account.services().iter().map(|s| s.id.clone()).collect(),
            currency: account.currency().to_string(),
        }
    }

    /// The rows, in account component order.
    pub fn rows(&self) -> &[SupplyRow] {
        &self.rows
    }

    /// Currency of the monetary table.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// Monetary total per service (Σ of its rows), in account order.
    pub fn service_totals(&self) -> Vec<(String, f64)> {
        self.services
            .iter()
            .map(|s| {
                let v = neumaier_sum(
                    self.rows
                        .iter()
                        .filter(|r| &r.service == s)
                        .map(|r| r.monetary_total),
                );
                (s.clone(), v)
            })
            .collect()
    }

    /// Writes the physical (`monetary = false`) or monetary supply table as CSV.
    pub fn write_csv<W: Write>(&self, monetary: bool, mut w: W) -> std::io::Result<()> {
        let ecos: Vec<&str> = EcosystemType::ALL.iter().map(|e| e.name()).collect();
        writeln!(
            w,
            "service,component,seea_service,unit,valuation_method,is_exchange_value,{},total",
            ecos.join(",")
        )?;
        for r in &self.rows {
            let (cells, total, unit) = if monetary {
                (&r.monetary, r.monetary_total, self.currency.clone())
            } else {
                (&r.physical, r.physical_total, r.unit.symbol().to_string())
            };
            let cells: Vec<String> = cells.iter().map(|x| x.to_string()).collect();
            writeln!(
                w,
                "{},{},{},{},{},{},{},{}",
                r.service,
                r.component,
                csv_field(r.seea_service.unwrap_or("(not a SEEA service)")),
                csv_field(&unit),
                r.valuation_method,
                r.is_exchange_value,
                cells.join(","),
                total
            )?;
        }
        Ok(())
    }
}

/// Who uses one service, as shares of its supply (METHODS.md §4.2): households (final
/// consumption), general government (collective consumption), industries by ISIC section or
/// code, and the rest of the world (users outside the territory). Shares are fractions in
/// [0, 1] summing to 1 (within 1e-9).
#[derive(Debug, Clone, PartialEq)]
pub struct UserShares {
    /// GEP service id.
    pub service: String,
    /// Share of households.
    pub households: f64,
    /// Share of general government.
    pub government: f64,
    /// Shares of industries, by ISIC code (`A`, `D35`, `E36`, ...).
    pub industries: Vec<(String, f64)>,
    /// Share of the rest of the world.
    pub rest_of_world: f64,
}

impl UserShares {
    /// Shares of a service used entirely by one user column.
    pub fn new(service: &str) -> Self {
        Self {
            service: service.into(),
            households: 0.0,
            government: 0.0,
            industries: Vec::new(),
            rest_of_world: 0.0,
        }
    }

    /// Checks every share is in [0, 1] and they sum to 1 within 1e-9.
    pub fn check(&self) -> Result<(), AnalysisError> {
        let bad = |what: String, value: f64| AnalysisError::InvalidUserShares {
            service: self.service.clone(),
            what,
            value,
        };
        let mut all = vec![
            ("households".to_string(), self.households),
            ("government".to_string(), self.government),
            ("rest_of_world".to_string(), self.rest_of_world),
        ];
        all.extend(
            self.industries
                .iter()
                .map(|(code, s)| (format!("industry {code}"), *s)),
        );
        for (what, s) in &all {
            if !(s.is_finite() && (0.0..=1.0).contains(s)) {
                return Err(bad(what.clone(), *s));
            }
        }
        let sum = neumaier_sum(all.iter().map(|(_, s)| *s));
        if (sum - 1.0).abs() > 1e-9 {
            return Err(bad("the sum".into(), sum));
        }
        Ok(())
    }
}

/// One row of a use table.
#[derive(Debug, Clone, PartialEq)]
pub struct UseRow {
    /// GEP service id.
    pub service: String,
    /// Component id.
    pub component: String,
    /// Physical unit.
    pub unit: PhysicalUnit,
    /// Quantity per user ([`UseTable::users`] order).
    pub physical: Vec<f64>,
    /// Value per user.
    pub monetary: Vec<f64>,
    /// Σ `physical` (equals the supply row total: the SEEA identity).
    pub physical_total: f64,
    /// Σ `monetary`.
    pub monetary_total: f64,
}

/// Physical and monetary use tables: the supply tables' rows, columns = users.
#[derive(Debug, Clone, PartialEq)]
pub struct UseTable {
    users: Vec<String>,
    rows: Vec<UseRow>,
    currency: String,
}

impl UseTable {
    /// Splits every supply row among users by its service's shares. Every service of the
    /// table needs exactly one set of shares ([`AnalysisError::MissingUserShares`]); shares of
    /// services the account does not have are refused ([`AnalysisError::UnknownService`]).
    pub fn new(supply: &SupplyTable, shares: &[UserShares]) -> Result<Self, AnalysisError> {
        for (i, s) in shares.iter().enumerate() {
            s.check()?;
            if !supply.services.contains(&s.service) {
                return Err(AnalysisError::UnknownService {
                    service: s.service.clone(),
                });
            }
            if shares[..i].iter().any(|t| t.service == s.service) {
                return Err(AnalysisError::InvalidUserShares {
                    service: s.service.clone(),
                    what: "a second set of shares (count)".into(),
                    value: 2.0,
                });
            }
        }
        let mut codes: Vec<String> = shares
            .iter()
            .flat_map(|s| s.industries.iter().map(|(c, _)| c.clone()))
            .collect();
        codes.sort();
        codes.dedup();
        let mut users = vec!["households".to_string(), "government".to_string()];
        users.extend(codes.iter().map(|c| format!("industry_{c}")));
        users.push("rest_of_world".into());
        let mut rows = Vec::new();
        for r in &supply.rows {
            let s = shares
                .iter()
                .find(|s| s.service == r.service)
                .ok_or_else(|| AnalysisError::MissingUserShares {
                    service: r.service.clone(),
                })?;
            let mut f = vec![s.households, s.government];
            f.extend(codes.iter().map(|c| {
                neumaier_sum(s.industries.iter().filter(|(k, _)| k == c).map(|(_, x)| *x))
            }));
            f.push(s.rest_of_world);
            let physical: Vec<f64> = f.iter().map(|x| x * r.physical_total).collect();
            let monetary: Vec<f64> = f.iter().map(|x| x * r.monetary_total).collect();
            rows.push(UseRow {
                service: r.service.clone(),
                component: r.component.clone(),
                unit: r.unit,
                physical_total: neumaier_sum(physical.iter().copied()),
                monetary_total: neumaier_sum(monetary.iter().copied()),
                physical,
                monetary,
            });
        }
        Ok(Self {
            users,
            rows,
            currency: supply.currency.clone(),
        })
    }

    /// User columns: `households`, `government`, `industry_<ISIC>`..., `rest_of_world`.
    pub fn users(&self) -> &[String] {
        &self.users
    }

    /// Rows, in supply-table order.
    pub fn rows(&self) -> &[UseRow] {
        &self.rows
    }

    /// Writes the physical or monetary use table as CSV.
    pub fn write_csv<W: Write>(&self, monetary: bool, mut w: W) -> std::io::Result<()> {
        writeln!(w, "service,component,unit,{},total", self.users.join(","))?;
        for r in &self.rows {
            let (cells, total, unit) = if monetary {
                (&r.monetary, r.monetary_total, self.currency.clone())
            } else {
                (&r.physical, r.physical_total, r.unit.symbol().to_string())
            };
            let cells: Vec<String> = cells.iter().map(|x| x.to_string()).collect();
            writeln!(
                w,
                "{},{},{},{},{}",
                r.service,
                r.component,
                csv_field(&unit),
                cells.join(","),
                total
            )?;
        }
        Ok(())
    }
}

/// What the SEEA aggregate does with a line of the GEP account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// Left out: not a SEEA ecosystem service (oxygen release, hydropower, value transfer).
    Dropped,
    /// Left out: not an exchange value (consumer surplus).
    Excluded,
    /// Kept after a conversion made in the profile (provisioning as resource rent with λ).
    Transformed,
    /// Kept, with a conformance caveat (gross output value, replacement-cost proxies,
    /// known overlaps).
    Caveat,
}

impl Treatment {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dropped => "dropped",
            Self::Excluded => "excluded",
            Self::Transformed => "transformed",
            Self::Caveat => "caveat",
        }
    }
}

/// One line of a [`Reconciliation`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReconciliationLine {
    /// Service id.
    pub service: String,
    /// Component id, if the line concerns one component.
    pub component: Option<String>,
    /// What the SEEA aggregate does with it.
    pub treatment: Treatment,
    /// The value concerned, in the account's currency (`None` for notes without a value).
    pub value: Option<f64>,
    /// Why, from the account's records.
    pub reason: String,
}

/// Every line of a GEP account that the SEEA aggregate leaves out, converts or qualifies,
/// derived from the account's records (service ids, valuation methods, exchange-value flags,
/// parameters and run notes), and the resulting SEEA aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconciliation {
    /// GEP of the account (all services).
    pub gep_total: f64,
    /// GEP − dropped − excluded lines.
    pub seea_aggregate: f64,
    /// The lines.
    pub lines: Vec<ReconciliationLine>,
}

impl Reconciliation {
    /// The reconciliation of an account (METHODS.md §4.3–4.4).
    pub fn from_account(account: &Account) -> Self {
        let by_service = account.value_by_service();
        let by_component = account.value_by_component();
        let mut lines = Vec::new();
        for (si, s) in account.services().iter().enumerate() {
            let mapping = seea_mapping(&s.id);
            let value_transfer = s.components.iter().any(|c| c.method == "value_transfer");
            if value_transfer || mapping.is_none_or(|m| m.seea_service.is_none()) {
                let reason = match (value_transfer, mapping) {
                    (true, _) => "value transfer (ESV) is not a SEEA valuation".to_string(),
                    (false, Some(m)) => m.note.to_string(),
                    (false, None) => {
                        "no SEEA EA reference service known for this service".to_string()
                    }
                };
                lines.push(ReconciliationLine {
                    service: s.id.clone(),
                    component: None,
                    treatment: Treatment::Dropped,
                    value: Some(by_service[si]),
                    reason,
                });
                continue;
            }
            if s.id == "provisioning_products" {
                let lambda = s.parameters.iter().find(|p| p.name == "nature_share");
                lines.push(match lambda {
                    Some(l) => ReconciliationLine {
                        service: s.id.clone(),
                        component: None,
                        treatment: Treatment::Transformed,
                        value: Some(by_service[si]),
                        reason: format!(
                            "booked as resource rent: output value × nature share λ = {} ({})",
                            l.value, l.source
                        ),
                    },
                    None => ReconciliationLine {
                        service: s.id.clone(),
                        component: None,
                        treatment: Treatment::Caveat,
                        value: Some(by_service[si]),
                        reason: "booked at gross output value (λ = 1): SEEA books the ecosystem contribution (resource rent); set provisioning.nature_share".into(),
                    },
                });
            }
        }
        for ((_, s, c), v) in account.components().zip(&by_component) {
            let dropped = lines
                .iter()
                .any(|l| l.service == s.id && l.treatment == Treatment::Dropped);
            if dropped || c.is_exchange_value || c.method == "not_valued" {
                continue;
            }
            let (treatment, reason) = match c.method.as_str() {
                "consumer_surplus" => (
                    Treatment::Excluded,
                    "consumer surplus is a welfare measure, not an exchange value".to_string(),
                ),
                "travel_cost" => (
                    Treatment::Excluded,
                    "travel cost including consumer surplus is a welfare value; record expenditure only".to_string(),
                ),
                "replacement_cost" => (
                    Treatment::Caveat,
                    "replacement cost: an exchange value only if the replacement would plausibly be made and costs no more than the benefit".to_string(),
                ),
                "avoided_cost" => (
                    Treatment::Caveat,
                    "avoided (abatement or treatment) cost: SEEA accepts avoided damage costs; an abatement-cost proxy is not an exchange value".to_string(),
                ),
                m => (
                    Treatment::Caveat,
                    format!("valued by `{m}`, flagged as not an exchange value; check it against SEEA valuation rules"),
                ),
            };
            lines.push(ReconciliationLine {
                service: s.id.clone(),
                component: Some(c.id.clone()),
                treatment,
                value: Some(*v),
                reason,
            });
        }
        if let Some(info) = account.run_info() {
            for n in &info.notes {
                if n.contains("overlap") || n.contains("double counting") {
                    lines.push(ReconciliationLine {
                        service: "(profile)".into(),
                        component: None,
                        treatment: Treatment::Caveat,
                        value: None,
                        reason: n.clone(),
                    });
                }
            }
        }
        let gep_total = account.total_value();
        let left_out = neumaier_sum(
            lines
                .iter()
                .filter(|l| matches!(l.treatment, Treatment::Dropped | Treatment::Excluded))
                .filter_map(|l| l.value),
        );
        Self {
            gep_total,
            seea_aggregate: gep_total - left_out,
            lines,
        }
    }

    /// Writes the lines as CSV, then the GEP total and the SEEA aggregate.
    pub fn write_csv<W: Write>(&self, currency: &str, mut w: W) -> std::io::Result<()> {
        writeln!(w, "service,component,treatment,value_{currency},reason")?;
        for l in &self.lines {
            writeln!(
                w,
                "{},{},{},{},{}",
                l.service,
                l.component.as_deref().unwrap_or(""),
                l.treatment.name(),
                l.value.map_or(String::new(), |v| v.to_string()),
                csv_field(&l.reason)
            )?;
        }
        writeln!(w, "GEP total,,,{},", self.gep_total)?;
        writeln!(
            w,
            "SEEA aggregate,,,{},GEP minus dropped and excluded lines",
            self.seea_aggregate
        )
    }
}

/// One ecosystem type's line of an extent account (ha).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExtentRow {
    /// Ecosystem type.
    pub ecosystem: EcosystemType,
    /// Opening extent.
    pub opening_ha: f64,
    /// Area converted to this type from others.
    pub additions_ha: f64,
    /// Area converted from this type to others.
    pub reductions_ha: f64,
    /// `closing − opening`.
    pub net_change_ha: f64,
    /// Closing extent.
    pub closing_ha: f64,
}

/// The ecosystem extent account between two land-cover maps of the same units (METHODS.md
/// §4.1): opening and closing extent by ecosystem type, additions, reductions, net change, and
/// the change matrix (opening type × closing type). Units with nodata land cover in either map
/// are left out and counted.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtentAccount {
    rows: Vec<ExtentRow>,
    matrix_ha: Vec<Vec<f64>>,
    nodata_units: u64,
    nodata_area_ha: f64,
}

impl ExtentAccount {
    /// The extent account from the opening and closing maps ([`TransitionMatrix::areas`]).
    pub fn new(opening: &Landscape, closing: &Landscape) -> Result<Self, AnalysisError> {
        let t = TransitionMatrix::areas(opening, closing)?;
        let matrix_ha = t.ecosystem_areas_ha();
        let m = EcosystemType::ALL.len();
        let rows = EcosystemType::ALL
            .iter()
            .enumerate()
            .map(|(i, &ecosystem)| {
                let opening_ha = neumaier_sum(matrix_ha[i].iter().copied());
                let closing_ha = neumaier_sum((0..m).map(|j| matrix_ha[j][i]));
                ExtentRow {
                    ecosystem,
                    opening_ha,
                    additions_ha: neumaier_sum((0..m).filter(|&j| j != i).map(|j| matrix_ha[j][i])),
                    reductions_ha: neumaier_sum(
                        (0..m).filter(|&j| j != i).map(|j| matrix_ha[i][j]),
                    ),
                    net_change_ha: closing_ha - opening_ha,
                    closing_ha,
                }
            })
            .collect();
        let (nodata_units, nodata_area_ha) = t.nodata();
        Ok(Self {
            rows,
            matrix_ha,
            nodata_units,
            nodata_area_ha,
        })
    }

    /// One row per ecosystem type, [`EcosystemType::ALL`] order.
    pub fn rows(&self) -> &[ExtentRow] {
        &self.rows
    }

    /// Change matrix `[opening][closing]` in ha, [`EcosystemType::ALL`] order.
    pub fn change_matrix_ha(&self) -> &[Vec<f64>] {
        &self.matrix_ha
    }

    /// Units left out (nodata land cover in either map) and their area in ha.
    pub fn nodata(&self) -> (u64, f64) {
        (self.nodata_units, self.nodata_area_ha)
    }

    /// Writes the extent account as CSV.
    pub fn write_csv<W: Write>(&self, mut w: W) -> std::io::Result<()> {
        writeln!(
            w,
            "ecosystem,opening_ha,additions_ha,reductions_ha,net_change_ha,closing_ha"
        )?;
        for r in &self.rows {
            writeln!(
                w,
                "{},{},{},{},{},{}",
                r.ecosystem,
                r.opening_ha,
                r.additions_ha,
                r.reductions_ha,
                r.net_change_ha,
                r.closing_ha
            )?;
        }
        Ok(())
    }

    /// Writes the change matrix as CSV (rows: opening type; columns: closing type; ha).
    pub fn write_matrix_csv<W: Write>(&self, mut w: W) -> std::io::Result<()> {
        let names: Vec<&str> = EcosystemType::ALL.iter().map(|e| e.name()).collect();
        writeln!(w, "opening\\closing,{}", names.join(","))?;
        for (i, row) in self.matrix_ha.iter().enumerate() {
            let cells: Vec<String> = row.iter().map(|x| x.to_string()).collect();
            writeln!(w, "{},{}", names[i], cells.join(","))?;
        }
        Ok(())
    }
}
