//! Price indices: re-express a price of one year in the prices of another, one index per
//! [`IndexFamily`] (METHODS.md §5).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use crate::error::ParamError;
use crate::params::{Price, Status};

/// The family of price index that moves a price over time (METHODS.md §5: "price indices per
/// parameter family").
///
/// Every [`Price`] belongs to one family, either set on the price
/// ([`Price::index_family`]) or taken from its role by [`IndexFamily::for_price`]; an
/// account records the family of each component
/// ([`ComponentRecord::index_family`](crate::account::ComponentRecord::index_family)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexFamily {
    /// Consumer price index: the general deflator, and the default for treatment and
    /// abatement costs, value-transfer coefficients (Wang Hang et al. 2017 CPI-revise the
    /// equivalent coefficient, METHODS.md §5) and anything without a closer index.
    Cpi,
    /// Producer price index of industrial products (industrial oxygen, fertilizers).
    Ppi,
    /// Producer price index of agricultural products (provisioning product prices).
    Agriculture,
    /// Construction / fixed-asset investment price index: reservoir cost, dredging,
    /// earthworks, land restoration, sea walls (METHODS.md §5).
    Construction,
    /// Electricity tariff index: climate regulation, hydropower (METHODS.md §5).
    Electricity,
    /// Water tariff index: water supply (METHODS.md §5).
    Water,
    /// Carbon price series (market series, or a fixed real value: an index of 1 every year).
    Carbon,
    /// Tourism CPI: travel costs and consumer surplus of recreation (METHODS.md §5).
    Tourism,
}

impl IndexFamily {
    /// All families, in report order.
    pub const ALL: [IndexFamily; 8] = [
        Self::Cpi,
        Self::Ppi,
        Self::Agriculture,
        Self::Construction,
        Self::Electricity,
        Self::Water,
        Self::Carbon,
        Self::Tourism,
    ];

    /// The snake-case name used in files (`cpi`, `construction`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Cpi => "cpi",
            Self::Ppi => "ppi",
            Self::Agriculture => "agriculture",
            Self::Construction => "construction",
            Self::Electricity => "electricity",
            Self::Water => "water",
            Self::Carbon => "carbon",
            Self::Tourism => "tourism",
        }
    }

    /// The family named `name` (case-insensitive, surrounding blanks ignored).
    pub fn parse(name: &str) -> Option<Self> {
        let n = name.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|f| f.name() == n)
    }

    /// The default family of a price from the name it is recorded under (the
    /// `price_name` of its valuation), following METHODS.md §5:
    ///
    /// | price names | family |
    /// |---|---|
    /// | `reservoir_cost`, `dredging_cost`, `earthwork_cost`, `restoration_cost`, `seawall_*` | construction |
    /// | `electricity_price` | electricity |
    /// | `water_price`, `*_water_price` | water |
    /// | `carbon_price` | carbon |
    /// | `expenses_per_visit`, `time_cost_per_visit`, `consumer_surplus_per_visit` | tourism |
    /// | `oxygen_price`, `*_fertilizer_price`, `organic_matter_price` | ppi |
    /// | other `*_price` of provisioning product lines (`farming_price`, ...) | agriculture |
    /// | everything else (abatement and treatment costs, pest-control costs, value-transfer coefficients, hedonic premium) | cpi |
    ///
    /// # Examples
    /// ```
    /// use gep::params::IndexFamily;
    /// assert_eq!(IndexFamily::for_price("reservoir_cost"), IndexFamily::Construction);
    /// assert_eq!(IndexFamily::for_price("domestic_water_price"), IndexFamily::Water);
    /// assert_eq!(IndexFamily::for_price("so2_cost"), IndexFamily::Cpi);
    /// ```
    pub fn for_price(price_name: &str) -> Self {
        let n = price_name;
        match n {
            "reservoir_cost" | "dredging_cost" | "earthwork_cost" | "restoration_cost" => {
                Self::Construction
            }
            _ if n.starts_with("seawall") => Self::Construction,
            "electricity_price" => Self::Electricity,
            "water_price" => Self::Water,
            _ if n.ends_with("_water_price") => Self::Water,
            "carbon_price" | "carbon_price_as_given" => Self::Carbon,
            "expenses_per_visit" | "time_cost_per_visit" | "consumer_surplus_per_visit" => {
                Self::Tourism
            }
            "oxygen_price" | "organic_matter_price" => Self::Ppi,
            _ if n.ends_with("_fertilizer_price") => Self::Ppi,
            "premium" => Self::Cpi,
            _ if n.ends_with("_price") => Self::Agriculture,
            _ => Self::Cpi,
        }
    }
}

impl fmt::Display for IndexFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A price index of one [`IndexFamily`]: year → index level, with its source.
///
/// Re-pricing follows METHODS.md §5: `P_t = P_0 × I_t / I_0`.
///
/// # Examples
/// ```
/// use gep::params::{IndexFamily, Price, PriceIndex, Status};
/// use gep::units::PhysicalUnit;
/// let index = PriceIndex::new(IndexFamily::Construction, [(2005, 100.0), (2010, 125.0)]);
/// let cost = Price::yuan(6.1107, PhysicalUnit::CubicMetre, 2005, "LY/T 1721-2008", Status::Verified);
/// let in_2010 = index.reprice(&cost, 2010).unwrap();
/// assert!((in_2010.value - 7.638375).abs() < 1e-9); // 6.1107 × 125 / 100 yuan/m³
/// assert_eq!(in_2010.price_year, 2010);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceIndex {
    /// The family the index moves.
    pub family: IndexFamily,
    /// Index level per year (any base; only ratios matter).
    pub levels: BTreeMap<i32, f64>,
    /// Where the levels come from.
    #[serde(default)]
    pub source: String,
    /// How well they are established.
    #[serde(default = "user_status")]
    pub status: Status,
}

fn user_status() -> Status {
    Status::User
}

impl PriceIndex {
    /// An index from (year, level) pairs, as user data.
    pub fn new(family: IndexFamily, levels: impl IntoIterator<Item = (i32, f64)>) -> Self {
        Self {
            family,
            levels: levels.into_iter().collect(),
            source: "user supplied".into(),
            status: Status::User,
        }
    }

    /// The same index with its source and status.
    pub fn with_source(mut self, source: &str, status: Status) -> Self {
        self.source = source.into();
        self.status = status;
        self
    }

    /// The index level of `year`: finite and > 0, else an error naming the family and year.
    pub fn level(&self, year: i32) -> Result<f64, ParamError> {
        match self.levels.get(&year) {
            Some(&l) if l.is_finite() && l > 0.0 => Ok(l),
            Some(&l) => Err(ParamError::OutOfRange {
                parameter: format!("price index `{}` in {year}", self.family),
                code: None,
                value: l,
                expected: "a finite index level > 0",
            }),
            None => Err(ParamError::MissingIndexYear {
                index: self.family.name().into(),
                year,
            }),
        }
    }

    /// The factor `I_to / I_from` that moves a price of year `from` to prices of year `to`
    /// (exactly 1 when `from == to`, whether or not the year is in the series).
    pub fn factor(&self, from: i32, to: i32) -> Result<f64, ParamError> {
        if from == to {
            return Ok(1.0);
        }
        Ok(self.level(to)? / self.level(from)?)
    }

    /// The price expressed in prices of `year`.
    pub fn reprice(&self, price: &Price, year: i32) -> Result<Price, ParamError> {
        let factor = self.factor(price.price_year, year)?;
        let mut p = price.scaled(factor);
        p.price_year = year;
        p.source = format!(
            "{} (re-priced {}→{year} by the `{}` index)",
            price.source, price.price_year, self.family
        );
        Ok(p)
    }
}
