//! GEP at constant prices (METHODS.md §5): price indices per [`IndexFamily`] as data
//! ([`IndexSet`]), re-pricing an account to the prices of one year ([`reprice_account`]), the
//! decomposition of a change between two accounts into a quantity, a price and an interaction
//! effect ([`Decomposition`]), and intensities (GEP/GDP, per km², per capita: [`intensities`]).
//!
//! # Decomposition
//! For every (component, region) with quantities `Q0`, `Q1` and unit values `P0`, `P1`:
//!
//! ```text
//! V1 − V0 = ΔQ·P0        (quantity effect: the change in flows at year-0 prices)
//!         + Q0·ΔP        (price effect: the change in prices on year-0 flows)
//!         + ΔQ·ΔP        (interaction: the change in flows × the change in prices)
//! ```
//!
//! which holds exactly in real arithmetic. The interaction is reported as its own term, not
//! split between the other two. `V0 + ΔQ·P0 = Σ Q1·P0` is GEP of year 1 at year-0 prices
//! (constant prices); re-price both accounts to their own years with [`reprice_account`]
//! first so that `ΔP` is the price change of the indices.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use crate::account::sum::{neumaier_sum, CompensatedSum};
use crate::account::Account;
use crate::error::{AnalysisError, GepError, ParamError};
use crate::landscape::RegionStats;
use crate::params::{IndexFamily, PriceIndex, Status};
use crate::units::{ha_to_km2, PhysicalUnit};

/// The illustrative index table shipped in `data/price_indices_illustrative.csv`.
const ILLUSTRATIVE_CSV: &str = include_str!("../../data/price_indices_illustrative.csv");

/// Price indices, one [`PriceIndex`] per [`IndexFamily`].
///
/// # Examples
/// ```
/// use gep::analysis::prices::IndexSet;
/// use gep::params::IndexFamily;
/// let set = IndexSet::from_csv_str(
///     "indices.csv",
///     "family,year,level,source\ncpi,2015,100,statistics office\ncpi,2020,110.5,statistics office\n",
/// )?;
/// let f = set.factor(IndexFamily::Cpi, 2015, 2020, "an example")?;
/// assert!((f - 1.105).abs() < 1e-15);
/// # Ok::<(), gep::error::AnalysisError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndexSet {
    indices: BTreeMap<IndexFamily, PriceIndex>,
}

const FAMILY_EXPECTED: &str =
    "an index family (cpi, ppi, agriculture, construction, electricity, water, carbon, tourism)";

impl IndexSet {
    /// No indices.
    pub fn new() -> Self {
        Self::default()
    }

    /// The set with `index` added (replacing any index of the same family).
    pub fn with(mut self, index: PriceIndex) -> Self {
        self.indices.insert(index.family, index);
        self
    }

    /// The index of a family.
    pub fn get(&self, family: IndexFamily) -> Option<&PriceIndex> {
        self.indices.get(&family)
    }

    /// The indices, in [`IndexFamily::ALL`] order.
    pub fn indices(&self) -> impl Iterator<Item = &PriceIndex> {
        self.indices.values()
    }

    /// **Illustrative** indices for every family, 2000–2025 (constant growth rates from 100 in
    /// 2000: CPI 2.5 %/yr, PPI 1.5 %, agriculture 3 %, construction 3.5 %, electricity 1 %,
    /// water 4 %, carbon 0 % (a fixed real value), tourism 3 %). Placeholders for examples and
    /// tests, status [`Status::Practitioner`]: **not official statistics**; supply the
    /// statistics office's series with [`IndexSet::from_csv_str`] for real accounts.
    pub fn illustrative() -> Self {
        match Self::from_csv_str("data/price_indices_illustrative.csv", ILLUSTRATIVE_CSV) {
            Ok(mut set) => {
                for index in set.indices.values_mut() {
                    index.status = Status::Practitioner;
                }
                set
            }
            // The shipped file is checked by a test; an empty set only fails later with a
            // typed MissingIndex error, never a panic.
            Err(_) => Self::new(),
        }
    }

    /// Reads a CSV file of index levels (see [`from_csv_str`](IndexSet::from_csv_str)).
    pub fn read_csv(path: impl AsRef<Path>) -> Result<Self, GepError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| GepError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Self::from_csv_str(&path.display().to_string(), &text)?)
    }

    /// Parses index levels from CSV text with the header `family,year,level,source`: one row
    /// per family and year; `source` is the rest of the line (it may contain commas); empty
    /// lines and lines starting with `#` are skipped. A family's source is the source of its
    /// first row. Errors name `file`, the line and the column.
    pub fn from_csv_str(file: &str, text: &str) -> Result<Self, AnalysisError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let bad = |line: usize, column: &'static str, value: &str, expected: &'static str| {
            AnalysisError::IndexFile {
                file: file.into(),
                line,
                column,
                value: value.trim().into(),
                expected,
            }
        };
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        let header = lines
            .by_ref()
            .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        let Some((header_line, header)) = header else {
            return Err(bad(1, "header", "", "the header family,year,level,source"));
        };
        let names: Vec<String> = header
            .splitn(4, ',')
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        if names != ["family", "year", "level", "source"] {
            return Err(bad(
                header_line,
                "header",
                header,
                "the header family,year,level,source",
            ));
        }
        let mut set = Self::new();
        for (n, line) in lines {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let mut cells = line.splitn(4, ',');
            let family_cell = cells.next().unwrap_or("");
            let year_cell = cells.next().unwrap_or("");
            let level_cell = cells.next().unwrap_or("");
            let source = cells.next().unwrap_or("").trim();
            let family = IndexFamily::parse(family_cell)
                .ok_or_else(|| bad(n, "family", family_cell, FAMILY_EXPECTED))?;
            let year: i32 = year_cell
                .trim()
                .parse()
                .map_err(|_| bad(n, "year", year_cell, "an integer year"))?;
            let level: f64 = level_cell
                .trim()
                .parse()
                .ok()
                .filter(|l: &f64| l.is_finite() && *l > 0.0)
                .ok_or_else(|| bad(n, "level", level_cell, "a finite number > 0"))?;
            let index = set
                .indices
                .entry(family)
                .or_insert_with(|| PriceIndex::new(family, []).with_source(source, Status::User));
            if index.levels.insert(year, level).is_some() {
                return Err(bad(
                    n,
                    "year",
                    year_cell,
                    "a year not already given for this family",
                ));
            }
        }
        Ok(set)
    }

    /// The factor `I_to / I_from` of `family` (exactly 1 when `from == to`); errors name
    /// `needed_by`.
    pub fn factor(
        &self,
        family: IndexFamily,
        from: i32,
        to: i32,
        needed_by: &str,
    ) -> Result<f64, AnalysisError> {
        if from == to {
            return Ok(1.0);
        }
        let index = self
            .indices
            .get(&family)
            .ok_or_else(|| AnalysisError::MissingIndex {
                family: family.name().into(),
                needed_by: needed_by.into(),
            })?;
        let level = |year: i32| {
            index.level(year).map_err(|e| match e {
                ParamError::OutOfRange { value, .. } => AnalysisError::InvalidIndexLevel {
                    family: family.name().into(),
                    year,
                    value,
                },
                _ => AnalysisError::MissingIndexYear {
                    index: family.name().into(),
                    year,
                    needed_by: needed_by.into(),
                },
            })
        };
        Ok(level(to)? / level(from)?)
    }
}

/// The account in prices of `year`: every component's unit value (and the prices recorded for
/// it) multiplied by `I_year / I_price_year` of its [`IndexFamily`]; quantities untouched
/// (DESIGN invariant 4: scaling prices scales values and leaves quantities alone).
/// Components already in prices of `year` are left exactly as they are; unvalued components
/// (unit value 0) only take the new price year. The run notes record the re-pricing.
///
/// # Examples
/// ```
/// use gep::analysis::prices::{reprice_account, IndexSet};
/// use gep::params::{IndexFamily, PriceIndex};
/// use gep::prelude::*;
/// use ndarray::array;
///
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("Town"))
///     .area_ha(array![1.0])
///     .land_cover(array![11])
///     .layer("precip_mm", array![1600.0], None)
///     .layer("aet_mm", array![800.0], None)
///     .build()?;
/// let account = Profile::mee2020().with_services(["water_conservation"]).run(&landscape)?;
/// // The reservoir cost (6.1107 yuan/m³, 2005) moves with the construction index.
/// let indices = IndexSet::new()
///     .with(PriceIndex::new(IndexFamily::Construction, [(2005, 100.0), (2020, 150.0)]));
/// let in_2020 = reprice_account(&account, &indices, 2020)?;
/// let expected = 7572.8 * 6.1107 * 1.5; // m³ × yuan/m³ × index ratio
/// assert!((in_2020.total_value() - expected).abs() < 1e-9 * expected);
/// # Ok::<(), gep::GepError>(())
/// ```
pub fn reprice_account(
    account: &Account,
    indices: &IndexSet,
    year: i32,
) -> Result<Account, AnalysisError> {
    let mut out = account.clone();
    let service_ids: Vec<String> = account.components().map(|(_, s, _)| s.id.clone()).collect();
    let mut families_used: Vec<IndexFamily> = Vec::new();
    for (c, service) in out.component_records_mut().zip(&service_ids) {
        if c.price_year == year {
            continue;
        }
        if c.unit_value == 0.0 {
            c.price_year = year;
            continue;
        }
        let needed_by = format!("component {service}/{}", c.id);
        let factor = indices.factor(c.index_family, c.price_year, year, &needed_by)?;
        c.unit_value *= factor;
        c.price_year = year;
        for p in &mut c.prices {
            if let Some(py) = p.price_year {
                let f = indices.factor(c.index_family, py, year, &needed_by)?;
                p.value *= f;
                p.price_year = Some(year);
                p.source = format!(
                    "{} (re-priced {py}→{year} by the `{}` index)",
                    p.source, c.index_family
                );
            }
        }
        if !families_used.contains(&c.index_family) {
            families_used.push(c.index_family);
        }
    }
    if let Some(info) = out.run_info_mut() {
        families_used.sort();
        let sources: Vec<String> = families_used
            .iter()
            .filter_map(|f| indices.get(*f))
            .map(|i| format!("{} ({}, status {})", i.family, i.source, i.status.tag()))
            .collect();
        info.notes.push(format!(
            "re-priced to {year} prices by the price indices: {}",
            if sources.is_empty() {
                "none needed".to_string()
            } else {
                sources.join("; ")
            }
        ));
    }
    Ok(out)
}

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

/// Quotes a CSV field if it holds a comma, quote or line break.
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// GEP intensities of one region (its own and its descendants' units).
#[derive(Debug, Clone, PartialEq)]
pub struct Intensity {
    /// Region name.
    pub region: String,
    /// GEP, in the account's currency.
    pub gep: f64,
    /// Area with valid land cover, km².
    pub area_km2: f64,
    /// GEP per km² of land.
    pub gep_per_km2: Option<f64>,
    /// GDP, in the account's currency (from the statistic), if given.
    pub gdp: Option<f64>,
    /// GEP/GDP: an indicator, not a share — GEP is not value added (METHODS.md §4.4).
    pub gep_to_gdp: Option<f64>,
    /// Population, if given.
    pub population: Option<f64>,
    /// GEP per inhabitant.
    pub gep_per_capita: Option<f64>,
}

/// A region statistic rolled up: a region's own value where given, else the sum of its
/// children's rolled-up values when every child has one; `None` otherwise (missing data is
/// never taken as zero, METHODS.md §6).
fn rollup_stat(account: &Account, stats: &RegionStats, name: &str) -> Vec<Option<f64>> {
    let regions = account.regions().regions();
    let n = regions.len();
    let own: Vec<Option<f64>> = (0..n).map(|r| stats.value(name, r)).collect();
    // Deepest regions first so children are done before parents.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&r| std::cmp::Reverse(account.regions().depth(r)));
    let mut out: Vec<Option<f64>> = vec![None; n];
    for r in order {
        out[r] = own[r].or_else(|| {
            let children: Vec<usize> = (0..n)
                .filter(|&c| regions[c].parent == Some(r as u32))
                .collect();
            if children.is_empty() {
                return None;
            }
            let vals: Option<Vec<f64>> = children.iter().map(|&c| out[c]).collect();
            vals.map(neumaier_sum)
        });
    }
    out
}

/// GEP/GDP, GEP per km² and per capita for every region (rolled up over descendants), from
/// the region statistics `gdp_stat` (money, same currency and year as the account) and
/// `population_stat` (persons). Regions without the statistic get `None`.
pub fn intensities(
    account: &Account,
    stats: &RegionStats,
    gdp_stat: &str,
    population_stat: &str,
) -> Vec<Intensity> {
    let gep = account.value_by_region_rollup();
    let area = account.extent_ha_by_region_rollup();
    let gdp = rollup_stat(account, stats, gdp_stat);
    let pop = rollup_stat(account, stats, population_stat);
    let ratio = |a: f64, b: Option<f64>| b.filter(|b| *b > 0.0).map(|b| a / b);
    account
        .regions()
        .regions()
        .iter()
        .enumerate()
        .map(|(r, reg)| {
            let area_km2 = ha_to_km2(area[r]);
            Intensity {
                region: reg.name.clone(),
                gep: gep[r],
                area_km2,
                gep_per_km2: ratio(gep[r], Some(area_km2)),
                gdp: gdp[r],
                gep_to_gdp: ratio(gep[r], gdp[r]),
                population: pop[r],
                gep_per_capita: ratio(gep[r], pop[r]),
            }
        })
        .collect()
}

/// Writes intensities as CSV (empty cells where a statistic is missing).
pub fn write_intensities_csv<W: Write>(
    rows: &[Intensity],
    currency: &str,
    mut w: W,
) -> std::io::Result<()> {
    let o = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    writeln!(
        w,
        "region,gep_{currency},area_km2,gep_{currency}_per_km2,gdp_{currency},gep_to_gdp,population,gep_{currency}_per_capita"
    )?;
    for r in rows {
        writeln!(
            w,
            "{},{},{},{},{},{},{},{}",
            csv_field(&r.region),
            r.gep,
            r.area_km2,
            o(r.gep_per_km2),
            o(r.gdp),
            o(r.gep_to_gdp),
            o(r.population),
            o(r.gep_per_capita)
        )?;
    }
    Ok(())
}
