//! Account outputs: cell records, CSV, JSON and a plain-text summary.
//!
//! All outputs iterate in a fixed order and print floats in their shortest round-trip form, so
//! the same account gives byte-identical files.

#![cfg_attr(not(feature = "json"), allow(dead_code))]

use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Account, ServiceRecord};
use crate::landscape::EcosystemType;
use crate::services::Category;

/// One non-zero cell of an account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellRecord<'a> {
    /// Service id.
    pub service: &'a str,
    /// Component id.
    pub component: &'a str,
    /// Quantity unit symbol.
    pub unit: &'static str,
    /// Region name.
    pub region: &'a str,
    /// Land-cover code.
    pub class_code: i32,
    /// Land-cover class name.
    pub class: &'a str,
    /// Ecosystem type.
    pub ecosystem: EcosystemType,
    /// Physical quantity.
    pub quantity: f64,
    /// Value.
    pub value: f64,
}

impl Account {
    /// Every cell with a non-zero quantity, in (component, region, class) order.
    pub fn cells(&self) -> Vec<CellRecord<'_>> {
        let nc = self.classes.len();
        let plane = self.plane();
        let mut out = Vec::new();
        for (key, s, c) in self.components() {
            for cell in 0..plane {
                let q = self.cell_quantity(key.global * plane + cell);
                if q == 0.0 {
                    continue;
                }
                let (r, k) = (cell / nc, cell % nc);
                let class = &self.classes[k];
                out.push(CellRecord {
                    service: &s.id,
                    component: &c.id,
                    unit: c.unit.symbol(),
                    region: self.regions.regions()[r].name.as_str(),
                    class_code: class.code,
                    class: &class.name,
                    ecosystem: class.ecosystem,
                    quantity: q,
                    value: q * c.unit_value,
                });
            }
        }
        out
    }

    /// Writes the non-zero cells as CSV (RFC 4180 quoting), one row per
    /// (service, component, region, class).
    pub fn write_csv<W: Write>(&self, mut w: W) -> io::Result<()> {
        let cur = self.currency();
        writeln!(
            w,
            "service,component,unit,region,class_code,class,ecosystem,quantity,value_{}",
            cur.code().to_ascii_lowercase()
        )?;
        for c in self.cells() {
            writeln!(
                w,
                "{},{},{},{},{},{},{},{},{}",
                csv_field(c.service),
                csv_field(c.component),
                csv_field(c.unit),
                csv_field(c.region),
                c.class_code,
                csv_field(c.class),
                c.ecosystem,
                c.quantity,
                c.value
            )?;
        }
        Ok(())
    }

    /// The account as a JSON document: totals by category, service, region (own and rolled
    /// up), class and ecosystem type, extents, provenance of every service, and all cells.
    #[cfg(feature = "json")]
    pub fn to_json_string(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(&self.document())
    }

    fn document(&self) -> AccountDocument<'_> {
        let by_service = self.value_by_service();
        let by_component = self.value_by_component();
        let mut comp_iter = 0usize;
        let services = self
            .services
            .iter()
            .zip(&by_service)
            .map(|(s, &value)| {
                let components = s
                    .components
                    .iter()
                    .map(|c| {
                        let v = by_component[comp_iter];
                        comp_iter += 1;
                        ComponentTotal {
                            id: &c.id,
                            unit: c.unit.symbol(),
                            quantity: self.quantity(&s.id, &c.id).unwrap_or(0.0),
                            value: v,
                        }
                    })
                    .collect();
                ServiceTotal {
                    value,
                    components,
                    skipped: s
                        .skipped()
                        .into_iter()
                        .map(|(reason, units)| Skip { reason, units })
                        .collect(),
                    record: s,
                }
            })
            .collect();
        let own = self.value_by_region();
        let rolled = self.value_by_region_rollup();
        let ext = self.extent_ha_by_region();
        let ext_rolled = self.extent_ha_by_region_rollup();
        let regions = self
            .regions
            .regions()
            .iter()
            .enumerate()
            .map(|(i, r)| RegionTotal {
                index: i,
                name: &r.name,
                level: &r.level,
                parent: r.parent,
                value: own[i],
                value_with_descendants: rolled[i],
                extent_ha: ext[i],
                extent_ha_with_descendants: ext_rolled[i],
            })
            .collect();
        let by_class = self.value_by_class();
        let ext_class = self.extent_ha_by_class();
        let classes = self
            .classes
            .iter()
            .enumerate()
            .map(|(i, c)| ClassTotal {
                code: c.code,
                name: &c.name,
                ecosystem: c.ecosystem,
                value: by_class[i],
                extent_ha: ext_class[i],
            })
            .collect();
        AccountDocument {
            format: "gep-account/1",
            label: self.label(),
            run: self.run_info.as_ref(),
            coverage: self.coverage.as_ref(),
            exchange_value_total: self.exchange_value_total(),
            currency: self.currency().code(),
            price_basis: "each component in its own price year (see services[].components[].price_year); re-price with gep::analysis::prices::reprice_account (index family per component) for constant prices",
            total_value: self.total_value(),
            n_units: self.n_units,
            land_cover_nodata_units: self.land_cover_nodata,
            extent_ha: self.extent_ha(),
            by_category: self
                .value_by_category()
                .iter()
                .map(|&(category, value)| CategoryTotal { category, value })
                .collect(),
            by_ecosystem: self
                .value_by_ecosystem()
                .into_iter()
                .map(|(ecosystem, value)| EcosystemTotal { ecosystem, value })
                .collect(),
            services,
            regions,
            classes,
            cells: self.cells(),
        }
    }

    /// A plain-text summary: GEP by category and service, by region (with hierarchy), and by
    /// ecosystem type, with units counted and skipped. Values in yuan (or the account's currency).
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let total = self.total_value();
        let cur = self.currency();
        let pct = |v: f64| if total != 0.0 { 100.0 * v / total } else { 0.0 };
        let label = self.label().to_string();
        if let Some(run) = &self.run_info {
            let _ = writeln!(
                s,
                "Profile `{}` (parameter hash {})",
                run.profile, run.params_hash
            );
            for n in &run.notes {
                let _ = writeln!(s, "  note: {n}");
            }
            let _ = writeln!(s);
        }
        let _ = writeln!(s, "{label} by category and service ({cur})");
        let by_service = self.value_by_service();
        for (cat, v) in self.value_by_category() {
            if matches!(cat, Category::Supporting | Category::Mixed) && v == 0.0 {
                continue;
            }
            let short = match cat {
                Category::Provisioning => "provisioning (EPV)",
                Category::Regulating => "regulating (ERV)",
                Category::Cultural => "cultural (ECV)",
                Category::Supporting => "supporting (ESV only)",
                Category::Mixed => "mixed (ESV unit values)",
            };
            let _ = writeln!(s, "  {:<38} {:>22} {:>6.1} %", short, money(v), pct(v));
            for (rec, &sv) in self.services.iter().zip(&by_service) {
                if rec.category == cat {
                    let _ = writeln!(
                        s,
                        "    {:<36} {:>22} {:>6.1} %",
                        rec.name,
                        money(sv),
                        pct(sv)
                    );
                    for c in &rec.components {
                        let q = self.quantity(&rec.id, &c.id).unwrap_or(0.0);
                        let _ = writeln!(
                            s,
                            "      {:<34} {:>22} {} @ {} {}/{} ({}, {})",
                            c.label,
                            money(q),
                            c.unit,
                            short_number(c.unit_value),
                            c.currency,
                            c.per,
                            c.method,
                            c.price_year
                        );
                    }
                }
            }
        }
        let _ = writeln!(s, "  {:<38} {:>22} {:>6.1} %", label, money(total), 100.0);
        let exchange = self.exchange_value_total();
        let _ = writeln!(
            s,
            "  {:<38} {:>22} {:>6.1} %",
            "of which exchange values (SEEA)",
            money(exchange),
            pct(exchange)
        );
        let _ = writeln!(
            s,
            "\n{label} by region ({cur}; a region includes its sub-regions)"
        );
        let rolled = self.value_by_region_rollup();
        let ext = self.extent_ha_by_region_rollup();
        for i in region_tree_order(&self.regions) {
            let r = &self.regions.regions()[i];
            let name = format!(
                "{}{} ({})",
                "  ".repeat(self.regions.depth(i)),
                r.name,
                r.level
            );
            let per_ha = if ext[i] > 0.0 {
                rolled[i] / ext[i]
            } else {
                0.0
            };
            let _ = writeln!(
                s,
                "  {:<38} {:>22} {:>12} ha {:>10} {cur}/ha",
                name,
                money(rolled[i]),
                money(ext[i]),
                money(per_ha)
            );
        }
        let _ = writeln!(s, "\n{label} by ecosystem type ({cur})");
        let ext_class = self.extent_ha_by_class();
        for (eco, v) in self.value_by_ecosystem() {
            let area: f64 = self
                .classes
                .iter()
                .zip(&ext_class)
                .filter(|(c, _)| c.ecosystem == eco)
                .map(|(_, a)| a)
                .sum();
            if v == 0.0 && area == 0.0 {
                continue;
            }
            let _ = writeln!(
                s,
                "  {:<38} {:>22} {:>6.1} % {:>12} ha",
                eco.name(),
                money(v),
                pct(v),
                money(area)
            );
        }
        let _ = writeln!(
            s,
            "\nUnits ({} in all, {} with land-cover nodata)",
            self.n_units, self.land_cover_nodata
        );
        for rec in &self.services {
            let skipped: Vec<String> = rec
                .skipped()
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(why, n)| format!("{n} {why}"))
                .collect();
            let _ = writeln!(
                s,
                "  {:<38} {} counted; skipped: {}",
                rec.id,
                rec.tally.counted,
                if skipped.is_empty() {
                    "none".to_string()
                } else {
                    skipped.join(", ")
                }
            );
        }
        let _ = writeln!(s, "\nNotes");
        for rec in &self.services {
            for n in &rec.notes {
                let _ = writeln!(s, "  {}: {n}", rec.id);
            }
            let per_component = rec
                .components
                .iter()
                .zip(rec.tally.negative_sum.iter().zip(&rec.tally.adjusted_sum));
            for (c, (&neg, &adj)) in per_component {
                if neg != 0.0 {
                    let _ = writeln!(
                        s,
                        "  {}: negative per-unit {} summed to {} {}",
                        rec.id, c.id, neg, c.unit
                    );
                }
                if adj != 0.0 {
                    let _ = writeln!(
                        s,
                        "  {}: region-level step changed {} by {} {}",
                        rec.id, c.id, adj, c.unit
                    );
                }
            }
        }
        s
    }
}

/// Regions in depth-first order (roots first, children after their parent, by index).
fn region_tree_order(regions: &crate::landscape::Regions) -> Vec<usize> {
    let n = regions.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, r) in regions.regions().iter().enumerate() {
        match r.parent {
            Some(p) => children[p as usize].push(i),
            None => roots.push(i),
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        out.push(i);
        stack.extend(children[i].iter().rev());
    }
    out
}

/// Formats a number with thousands separators and no decimals (`1,234,567`).
pub(crate) fn money(v: f64) -> String {
    let neg = v < 0.0;
    let digits = format!("{:.0}", v.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if neg && out.chars().any(|c| c != '0' && c != ',') {
        out.insert(0, '-');
    }
    out
}

/// A price for display: up to 6 significant decimals, trailing zeros dropped.
fn short_number(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[derive(Serialize)]
struct AccountDocument<'a> {
    format: &'static str,
    label: &'a str,
    run: Option<&'a crate::profile::RunInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<&'a super::Coverage>,
    exchange_value_total: f64,
    currency: &'static str,
    price_basis: &'static str,
    total_value: f64,
    n_units: u64,
    land_cover_nodata_units: u64,
    extent_ha: f64,
    by_category: Vec<CategoryTotal>,
    by_ecosystem: Vec<EcosystemTotal>,
    services: Vec<ServiceTotal<'a>>,
    regions: Vec<RegionTotal<'a>>,
    classes: Vec<ClassTotal<'a>>,
    cells: Vec<CellRecord<'a>>,
}

#[derive(Serialize)]
struct CategoryTotal {
    category: Category,
    value: f64,
}

#[derive(Serialize)]
struct EcosystemTotal {
    ecosystem: EcosystemType,
    value: f64,
}

#[derive(Serialize)]
struct ServiceTotal<'a> {
    value: f64,
    components: Vec<ComponentTotal<'a>>,
    skipped: Vec<Skip>,
    #[serde(flatten)]
    record: &'a ServiceRecord,
}

#[derive(Serialize)]
struct Skip {
    reason: String,
    units: u64,
}

#[derive(Serialize)]
struct ComponentTotal<'a> {
    id: &'a str,
    unit: &'static str,
    quantity: f64,
    value: f64,
}

#[derive(Serialize)]
struct RegionTotal<'a> {
    index: usize,
    name: &'a str,
    level: &'a str,
    parent: Option<u32>,
    value: f64,
    value_with_descendants: f64,
    extent_ha: f64,
    extent_ha_with_descendants: f64,
}

#[derive(Serialize)]
struct ClassTotal<'a> {
    code: i32,
    name: &'a str,
    ecosystem: EcosystemType,
    value: f64,
    extent_ha: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(1234567.4), "1,234,567");
        assert_eq!(money(-999.6), "-1,000");
        assert_eq!(money(0.2), "0");
        assert_eq!(money(-0.2), "0");
    }

    #[test]
    fn csv_field_quotes_commas_and_quotes() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
