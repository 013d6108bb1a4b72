//! [`Parameter`], [`Price`] and [`ClassTable`]: values that carry their unit, year, source and
//! confidence status.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::ParamError;
use crate::landscape::Classification;
use crate::params::IndexFamily;
use crate::units::PhysicalUnit;

/// How well a value is established (the tags of METHODS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Verified in a primary or near-primary text (\[V\]).
    Verified,
    /// Recalled from the standard/literature, not re-read in the primary text (\[R\]).
    Recalled,
    /// A practitioner's default, illustration only (\[P\]).
    Practitioner,
    /// Derived by arithmetic or chemistry from other values (\[D\]).
    Derived,
    /// Supplied by the user.
    User,
}

impl Status {
    /// The one-letter tag of METHODS.md (`V`, `R`, `P`, `D`), `U` for user values.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Verified => "V",
            Self::Recalled => "R",
            Self::Practitioner => "P",
            Self::Derived => "D",
            Self::User => "U",
        }
    }
}

/// A scalar parameter with its unit, source and status.
///
/// In TOML/JSON a parameter is either a table `{ value = 0.24, unit = "1", source = "..." }` or a
/// bare number, which is taken as a user value in the expected unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ParameterRepr")]
pub struct Parameter {
    /// The value, in `unit`.
    pub value: f64,
    /// The unit (`1` for dimensionless); empty when given as a bare number.
    pub unit: String,
    /// Where the value comes from.
    pub source: String,
    /// How well it is established.
    pub status: Status,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ParameterRepr {
    Bare(f64),
    Full {
        value: f64,
        #[serde(default)]
        unit: String,
        #[serde(default)]
        source: String,
        #[serde(default = "user_status")]
        status: Status,
    },
}

fn user_status() -> Status {
    Status::User
}

impl From<ParameterRepr> for Parameter {
    fn from(r: ParameterRepr) -> Self {
        match r {
            ParameterRepr::Bare(value) => Self {
                value,
                unit: String::new(),
                source: "user supplied".into(),
                status: Status::User,
            },
            ParameterRepr::Full {
                value,
                unit,
                source,
                status,
            } => Self {
                value,
                unit,
                source: if source.is_empty() {
                    "user supplied".into()
                } else {
                    source
                },
                status,
            },
        }
    }
}

impl Parameter {
    /// A parameter with full provenance.
    pub fn new(value: f64, unit: &str, source: &str, status: Status) -> Self {
        Self {
            value,
            unit: unit.into(),
            source: source.into(),
            status,
        }
    }

    /// Checks the unit (an empty unit is taken to be `expected_unit`) and that the value is
    /// finite and within `[min, max]`.
    pub fn check(
        &self,
        name: &str,
        expected_unit: &str,
        min: f64,
        max: f64,
        expected: &'static str,
    ) -> Result<Self, ParamError> {
        if !self.unit.is_empty() && self.unit != expected_unit {
            return Err(ParamError::PriceUnit {
                parameter: name.into(),
                given: self.unit.clone(),
                expected: expected_unit.into(),
            });
        }
        if !(self.value.is_finite() && self.value >= min && self.value <= max) {
            return Err(ParamError::OutOfRange {
                parameter: name.into(),
                code: None,
                value: self.value,
                expected,
            });
        }
        let mut p = self.clone();
        p.unit = expected_unit.into();
        Ok(p)
    }

    /// Provenance record of this parameter under `name`.
    pub fn record(&self, name: &str) -> ParamRecord {
        ParamRecord {
            name: name.into(),
            value: self.value,
            unit: self.unit.clone(),
            price_year: None,
            source: self.source.clone(),
            status: self.status,
        }
    }
}

/// Currency of a price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Currency {
    /// Chinese yuan (renminbi).
    #[default]
    #[serde(rename = "CNY")]
    Cny,
    /// US dollar.
    #[serde(rename = "USD")]
    Usd,
}

impl Currency {
    /// ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Cny => "CNY",
            Self::Usd => "USD",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A unit price: money per unit of a physical quantity, in a currency and price year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Price {
    /// Money per `per` unit.
    pub value: f64,
    /// Currency of `value`.
    #[serde(default)]
    pub currency: Currency,
    /// The quantity unit the price is paid per.
    pub per: PhysicalUnit,
    /// The year whose prices `value` is in.
    pub price_year: i32,
    /// Where the price comes from.
    pub source: String,
    /// How well it is established.
    pub status: Status,
    /// The price index that moves it over time; `None` takes the default of its role
    /// ([`IndexFamily::for_price`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_family: Option<IndexFamily>,
}

impl Price {
    /// A price in yuan.
    pub fn yuan(
        value: f64,
        per: PhysicalUnit,
        price_year: i32,
        source: &str,
        status: Status,
    ) -> Self {
        Self {
            value,
            currency: Currency::Cny,
            per,
            price_year,
            source: source.into(),
            status,
            index_family: None,
        }
    }

    /// The same price, moved over time by the index of `family`.
    pub fn with_index_family(mut self, family: IndexFamily) -> Self {
        self.index_family = Some(family);
        self
    }

    /// The family of the price index that moves it: its own, or the default for a price
    /// recorded as `price_name` ([`IndexFamily::for_price`]).
    pub fn family_or_default(&self, price_name: &str) -> IndexFamily {
        self.index_family
            .unwrap_or_else(|| IndexFamily::for_price(price_name))
    }

    /// Checks that the price is finite, ≥ 0 and per one of the `allowed` units.
    pub fn check(&self, name: &str, allowed: &[PhysicalUnit]) -> Result<Self, ParamError> {
        if !(self.value.is_finite() && self.value >= 0.0) {
            return Err(ParamError::InvalidPrice {
                parameter: name.into(),
                value: self.value,
                unit: self.unit_label(),
            });
        }
        if !allowed.contains(&self.per) {
            return Err(ParamError::PriceUnit {
                parameter: name.into(),
                given: self.per.symbol().into(),
                expected: allowed
                    .iter()
                    .map(|u| u.symbol())
                    .collect::<Vec<_>>()
                    .join(" or "),
            });
        }
        Ok(self.clone())
    }

    /// `CNY/m3`-style unit label.
    pub fn unit_label(&self) -> String {
        format!("{}/{}", self.currency, self.per)
    }

    /// The same price with its value multiplied by `k`.
    pub fn scaled(&self, k: f64) -> Self {
        let mut p = self.clone();
        p.value *= k;
        p
    }

    /// Provenance record of this price under `name`.
    pub fn record(&self, name: &str) -> ParamRecord {
        ParamRecord {
            name: name.into(),
            value: self.value,
            unit: self.unit_label(),
            price_year: Some(self.price_year),
            source: self.source.clone(),
            status: self.status,
        }
    }
}

/// What an account records about one parameter it used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamRecord {
    /// Parameter name (`reservoir_cost`, `runoff_coefficient[11]`).
    pub name: String,
    /// Value used.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// Price year, for prices.
    pub price_year: Option<i32>,
    /// Source.
    pub source: String,
    /// Status.
    pub status: Status,
}

/// One row of a per-class table: a land-cover code and its value, or `None` when the class is
/// not counted by the service.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClassValue {
    /// Land-cover code.
    pub code: i32,
    /// The value; absent means "this class does not supply the service".
    #[serde(default)]
    pub value: Option<f64>,
}

/// A per-class coefficient table (like an InVEST biophysical table column) with provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassTable {
    /// Unit of the values (`1` for fractions).
    pub unit: String,
    /// Where the values come from.
    pub source: String,
    /// Their status.
    pub status: Status,
    /// One row per land-cover code.
    pub rows: Vec<ClassValue>,
}

/// Dense per-class values for one landscape: `values[class]`, and whether the class supplies
/// the service.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassLut {
    /// Value per dense class index (0 where not served).
    pub values: Vec<f64>,
    /// Whether each class supplies the service.
    pub served: Vec<bool>,
}

impl ClassTable {
    /// Checks codes are unique and every value lies in `[min, max]`.
    pub fn check(
        &self,
        name: &str,
        min: f64,
        max: f64,
        expected: &'static str,
    ) -> Result<Self, ParamError> {
        let mut codes: Vec<i32> = self.rows.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        if let Some(w) = codes.windows(2).find(|w| w[0] == w[1]) {
            return Err(ParamError::DuplicateCode {
                parameter: name.into(),
                code: w[0],
            });
        }
        for r in &self.rows {
            if let Some(v) = r.value {
                if !(v.is_finite() && v >= min && v <= max) {
                    return Err(ParamError::OutOfRange {
                        parameter: name.into(),
                        code: Some(r.code),
                        value: v,
                        expected,
                    });
                }
            }
        }
        Ok(self.clone())
    }

    /// The value for a code: `Some(Some(v))` served, `Some(None)` listed as not served,
    /// `None` not listed.
    pub fn get(&self, code: i32) -> Option<Option<f64>> {
        self.rows.iter().find(|r| r.code == code).map(|r| r.value)
    }

    /// Dense lookup for a classification. Every class that occurs in the landscape
    /// (`class_unit_counts[i] > 0`) must be listed, else [`ParamError::Missing`].
    pub fn lut(
        &self,
        service: &str,
        parameter: &str,
        classification: &Classification,
        class_unit_counts: &[u64],
    ) -> Result<ClassLut, ParamError> {
        let n = classification.len();
        let mut values = vec![0.0f64; n];
        let mut served = vec![false; n];
        for (i, class) in classification.classes().iter().enumerate() {
            match self.get(class.code) {
                Some(Some(v)) => {
                    values[i] = v;
                    served[i] = true;
                }
                Some(None) => {}
                None if class_unit_counts.get(i).copied().unwrap_or(0) == 0 => {}
                None => {
                    return Err(ParamError::Missing {
                        service: service.into(),
                        parameter: parameter.into(),
                        code: Some(class.code),
                    })
                }
            }
        }
        Ok(ClassLut { values, served })
    }

    /// Provenance records, one per served row.
    pub fn records(&self, name: &str) -> Vec<ParamRecord> {
        self.rows
            .iter()
            .filter_map(|r| {
                r.value.map(|v| ParamRecord {
                    name: format!("{name}[{}]", r.code),
                    value: v,
                    unit: self.unit.clone(),
                    price_year: None,
                    source: self.source.clone(),
                    status: self.status,
                })
            })
            .collect()
    }
}
