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

mod decomposition;
mod intensities;

pub use decomposition::{check_comparable, Decomposition, DecompositionRow, Effects};
pub use intensities::{intensities, write_intensities_csv, Intensity};

use std::collections::BTreeMap;
use std::path::Path;

use crate::account::Account;
use crate::error::{AnalysisError, GepError, ParamError};
use crate::params::{IndexFamily, PriceIndex, Status};

/// The illustrative index table shipped in `data/price_indices_illustrative.csv`.
const ILLUSTRATIVE_CSV: &str = include_str!("../../../data/price_indices_illustrative.csv");

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

/// Quotes a CSV field if it holds a comma, quote or line break.
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
