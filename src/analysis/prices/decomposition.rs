//! The decomposition of a change into quantity, price and interaction effects.

use std::io::Write;

use super::csv_field;
use crate::account::sum::CompensatedSum;
use crate::account::Account;
use crate::error::AnalysisError;
use crate::units::PhysicalUnit;

/// The three effects of a change, and the values they explain.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Effects {
    /// `Σ Q0·P0`.
    pub value_0: f64,
    /// `Σ Q1·P1`.
    pub value_1: f64,
    /// `Σ Q1·P0`: year-1 flows at year-0 prices (constant prices).
    pub value_1_at_prices_0: f64,
    /// `Σ ΔQ·P0`.
    pub quantity_effect: f64,
    /// `Σ Q0·ΔP`.
    pub price_effect: f64,
    /// `Σ ΔQ·ΔP`.
    pub interaction: f64,
    /// `Σ (Q1·P1 − Q0·P0)`.
    pub change: f64,
}

/// One (component, region) line of a [`Decomposition`].
#[derive(Debug, Clone, PartialEq)]
pub struct DecompositionRow {
    /// Service id.
    pub service: String,
    /// Component id.
    pub component: String,
    /// Unit of the quantities.
    pub unit: PhysicalUnit,
    /// Region index.
    pub region: usize,
    /// Region name.
    pub region_name: String,
    /// Quantity in year 0 (region's own units), in `unit`.
    pub quantity_0: f64,
    /// Quantity in year 1.
    pub quantity_1: f64,
    /// Unit value in year 0 (money per `unit`, prices of `price_year_0`).
    pub unit_value_0: f64,
    /// Unit value in year 1.
    pub unit_value_1: f64,
    /// Price year of `unit_value_0`.
    pub price_year_0: i32,
    /// Price year of `unit_value_1`.
    pub price_year_1: i32,
    /// The effects of this line.
    pub effects: Effects,
}

/// The change between two accounts of the same profile, services and regions, decomposed per
/// (component, region) into quantity, price and interaction effects (module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Decomposition {
    rows: Vec<DecompositionRow>,
    services: Vec<String>,
    regions: Vec<String>,
    currency: String,
}

fn effects(q0: f64, q1: f64, p0: f64, p1: f64) -> Effects {
    let dq = q1 - q0;
    let dp = p1 - p0;
    Effects {
        value_0: q0 * p0,
        value_1: q1 * p1,
        value_1_at_prices_0: q1 * p0,
        quantity_effect: dq * p0,
        price_effect: q0 * dp,
        interaction: dq * dp,
        change: q1 * p1 - q0 * p0,
    }
}

fn sum_effects<'a>(it: impl Iterator<Item = &'a Effects>) -> Effects {
    let mut acc = [CompensatedSum::new(); 7];
    for e in it {
        for (a, x) in acc.iter_mut().zip([
            e.value_0,
            e.value_1,
            e.value_1_at_prices_0,
            e.quantity_effect,
            e.price_effect,
            e.interaction,
            e.change,
        ]) {
            a.add(x);
        }
    }
    let v: Vec<f64> = acc.iter().map(|s| s.value()).collect();
    Effects {
        value_0: v[0],
        value_1: v[1],
        value_1_at_prices_0: v[2],
        quantity_effect: v[3],
        price_effect: v[4],
        interaction: v[5],
        change: v[6],
    }
}

/// Checks that two accounts can be compared line by line: same profile, currency, services
/// and components (ids and units) and regions.
pub fn check_comparable(a: &Account, b: &Account) -> Result<(), AnalysisError> {
    let profile = |x: &Account| {
        x.run_info()
            .map_or("(none)".to_string(), |r| r.profile.clone())
    };
    if profile(a) != profile(b) {
        return Err(AnalysisError::AccountsDiffer {
            what: "profile",
            first: profile(a),
            second: profile(b),
        });
    }
    if a.currency() != b.currency() {
        return Err(AnalysisError::AccountsDiffer {
            what: "currency",
            first: a.currency().to_string(),
            second: b.currency().to_string(),
        });
    }
    let ids = |x: &Account| -> Vec<String> { x.services().iter().map(|s| s.id.clone()).collect() };
    if ids(a) != ids(b) {
        return Err(AnalysisError::AccountsDiffer {
            what: "services",
            first: ids(a).join(","),
            second: ids(b).join(","),
        });
    }
    let comps = |x: &Account| -> Vec<String> {
        x.components()
            .map(|(_, s, c)| format!("{}/{} [{}]", s.id, c.id, c.unit.symbol()))
            .collect()
    };
    if let Some((ca, cb)) = comps(a).into_iter().zip(comps(b)).find(|(x, y)| x != y) {
        return Err(AnalysisError::AccountsDiffer {
            what: "components",
            first: ca,
            second: cb,
        });
    }
    if a.regions() != b.regions() {
        let names = |x: &Account| -> String {
            x.regions()
                .regions()
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(",")
        };
        return Err(AnalysisError::AccountsDiffer {
            what: "regions",
            first: names(a),
            second: names(b),
        });
    }
    Ok(())
}

impl Decomposition {
    /// Decomposes `year_1 − year_0` (see the module docs). The accounts must come from the
    /// same profile, with the same services, components and regions
    /// ([`AnalysisError::AccountsDiffer`] otherwise); prices may be of any years.
    ///
    /// # Examples
    /// ```
    /// use gep::analysis::prices::{reprice_account, Decomposition, IndexSet};
    /// use gep::params::{IndexFamily, PriceIndex};
    /// use gep::prelude::*;
    /// use ndarray::array;
    ///
    /// let town = |precip_mm: f32| {
    ///     LandscapeBuilder::new(Classification::gep_default(), Regions::single("Town"))
    ///         .area_ha(array![1.0]).land_cover(array![11])
    ///         .layer("precip_mm", array![precip_mm], None)
    ///         .layer("aet_mm", array![800.0], None)
    ///         .build()
    /// };
    /// let profile = Profile::mee2020().with_services(["water_conservation"]);
    /// let index = IndexSet::new()
    ///     .with(PriceIndex::new(IndexFamily::Construction, [(2005, 100.0), (2015, 120.0), (2020, 150.0)]));
    /// let a0 = reprice_account(&profile.run(&town(1600.0)?)?, &index, 2015)?;
    /// let a1 = reprice_account(&profile.run(&town(1700.0)?)?, &index, 2020)?;
    /// let d = Decomposition::new(&a0, &a1)?;
    /// let t = d.total();
    /// // Quantities 7572.8 → 8519.4 m³ (water retained × runoff coefficient), P 1.2 → 1.5 × 6.1107.
    /// assert!((t.quantity_effect + t.price_effect + t.interaction - t.change).abs() < 1e-9 * t.change);
    /// # Ok::<(), gep::GepError>(())
    /// ```
    pub fn new(year_0: &Account, year_1: &Account) -> Result<Self, AnalysisError> {
        check_comparable(year_0, year_1)?;
        let regions: Vec<String> = year_0
            .regions()
            .regions()
            .iter()
            .map(|r| r.name.clone())
            .collect();
        let mut rows = Vec::new();
        let c1: Vec<(f64, i32)> = year_1
            .components()
            .map(|(_, _, c)| (c.unit_value, c.price_year))
            .collect();
        for ((_, s, c), (p1, py1)) in year_0.components().zip(c1) {
            let q0 = year_0.quantity_by_region(&s.id, &c.id).unwrap_or_default();
            let q1 = year_1.quantity_by_region(&s.id, &c.id).unwrap_or_default();
            for (r, name) in regions.iter().enumerate() {
                let (a, b) = (
                    q0.get(r).copied().unwrap_or(0.0),
                    q1.get(r).copied().unwrap_or(0.0),
                );
                if a == 0.0 && b == 0.0 {
                    continue;
                }
                rows.push(DecompositionRow {
                    service: s.id.clone(),
                    component: c.id.clone(),
                    unit: c.unit,
                    region: r,
                    region_name: name.clone(),
                    quantity_0: a,
                    quantity_1: b,
                    unit_value_0: c.unit_value,
                    unit_value_1: p1,
                    price_year_0: c.price_year,
                    price_year_1: py1,
                    effects: effects(a, b, c.unit_value, p1),
                });
            }
        }
        Ok(Self {
            rows,
            services: year_0.services().iter().map(|s| s.id.clone()).collect(),
            regions,
            currency: year_0.currency().to_string(),
        })
    }

    /// The (component, region) lines with a quantity in either year.
    pub fn rows(&self) -> &[DecompositionRow] {
        &self.rows
    }

    /// The whole change.
    pub fn total(&self) -> Effects {
        sum_effects(self.rows.iter().map(|r| &r.effects))
    }

    /// Per service, in account order.
    pub fn by_service(&self) -> Vec<(String, Effects)> {
        self.services
            .iter()
            .map(|s| {
                let e = sum_effects(
                    self.rows
                        .iter()
                        .filter(|r| &r.service == s)
                        .map(|r| &r.effects),
                );
                (s.clone(), e)
            })
            .collect()
    }

    /// Per region (own units, index order).
    pub fn by_region(&self) -> Vec<(String, Effects)> {
        self.regions
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let e = sum_effects(
                    self.rows
                        .iter()
                        .filter(|r| r.region == i)
                        .map(|r| &r.effects),
                );
                (name.clone(), e)
            })
            .collect()
    }

    /// Writes the lines as CSV (one row per component and region, then one per service and
    /// the total, with `region` = `ALL`).
    pub fn write_csv<W: Write>(&self, mut w: W) -> std::io::Result<()> {
        writeln!(
            w,
            "service,component,unit,region,quantity_0,quantity_1,unit_value_0,unit_value_1,price_year_0,price_year_1,value_0_{c},value_1_{c},value_1_at_prices_0_{c},quantity_effect_{c},price_effect_{c},interaction_{c},change_{c}",
            c = self.currency
        )?;
        let fx = |e: &Effects| {
            format!(
                "{},{},{},{},{},{},{}",
                e.value_0,
                e.value_1,
                e.value_1_at_prices_0,
                e.quantity_effect,
                e.price_effect,
                e.interaction,
                e.change
            )
        };
        for r in &self.rows {
            writeln!(
                w,
                "{},{},{},{},{},{},{},{},{},{},{}",
                r.service,
                r.component,
                r.unit.symbol(),
                csv_field(&r.region_name),
                r.quantity_0,
                r.quantity_1,
                r.unit_value_0,
                r.unit_value_1,
                r.price_year_0,
                r.price_year_1,
                fx(&r.effects)
            )?;
        }
        for (s, e) in self.by_service() {
            writeln!(w, "{s},ALL,,ALL,,,,,,,{}", fx(&e))?;
        }
        writeln!(w, "ALL,ALL,,ALL,,,,,,,{}", fx(&self.total()))
    }
}
