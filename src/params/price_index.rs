//! Price indices: re-express a price of one year in the prices of another.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::error::ParamError;
use crate::params::Price;

/// A price index of one family (CPI, construction cost, electricity, ...): year → index level.
///
/// Re-pricing follows METHODS.md §5: `P_t = P_0 × I_t / I_0`.
///
/// # Examples
/// ```
/// use gep::params::{Price, PriceIndex, Status};
/// use gep::units::PhysicalUnit;
/// let index = PriceIndex::new("construction", [(2005, 100.0), (2010, 125.0)]);
/// let cost = Price::yuan(6.1107, PhysicalUnit::CubicMetre, 2005, "LY/T 1721-2008", Status::Verified);
/// let in_2010 = index.reprice(&cost, 2010).unwrap();
/// assert!((in_2010.value - 7.638375).abs() < 1e-9);
/// assert_eq!(in_2010.price_year, 2010);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceIndex {
    /// Name of the index family.
    pub name: String,
    /// Index level per year.
    pub levels: BTreeMap<i32, f64>,
}

impl PriceIndex {
    /// An index from (year, level) pairs.
    pub fn new(name: &str, levels: impl IntoIterator<Item = (i32, f64)>) -> Self {
        Self {
            name: name.into(),
            levels: levels.into_iter().collect(),
        }
    }

    fn level(&self, year: i32) -> Result<f64, ParamError> {
        match self.levels.get(&year) {
            Some(&l) if l.is_finite() && l > 0.0 => Ok(l),
            Some(&l) => Err(ParamError::OutOfRange {
                parameter: format!("price index `{}` in {year}", self.name),
                code: None,
                value: l,
                expected: "a finite index level > 0",
            }),
            None => Err(ParamError::MissingIndexYear {
                index: self.name.clone(),
                year,
            }),
        }
    }

    /// The price expressed in prices of `year`.
    pub fn reprice(&self, price: &Price, year: i32) -> Result<Price, ParamError> {
        let factor = self.level(year)? / self.level(price.price_year)?;
        let mut p = price.scaled(factor);
        p.price_year = year;
        p.source = format!(
            "{} (re-priced {}→{year} by `{}`)",
            price.source, price.price_year, self.name
        );
        Ok(p)
    }
}
