//! Physical and monetary supply and use tables (METHODS.md §4.2).

use std::io::Write;

use super::seea_mapping;
use crate::account::sum::{neumaier_sum, CompensatedSum};
use crate::account::Account;
use crate::analysis::prices::csv_field;
use crate::error::AnalysisError;
use crate::landscape::EcosystemType;
use crate::units::PhysicalUnit;

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
