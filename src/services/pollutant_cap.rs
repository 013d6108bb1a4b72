//! Shared machinery of the emission-capped purification services ([`AirPurification`],
//! [`WaterPurification`]): per-class removal capacity × area, capped per region by the
//! pollutant actually emitted or received, `Q_i = min(emission_i, Σ_j capacity_ij × A_j)`
//! (METHODS.md §1.3, §2.10, §2.11), valued at a unit abatement or treatment cost that is given
//! directly or derived from a levy rate (§2.16).
//!
//! [`AirPurification`]: super::AirPurification
//! [`WaterPurification`]: super::WaterPurification

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

use super::{AvoidedCost, Component, FinishContext, ServiceCells, Sink, UnitInputs, UnitKernel};
use crate::error::{GepError, ParamError};
use crate::landscape::Landscape;
use crate::params::{ClassTable, ParamRecord, Parameter, Price, Status};
use crate::units::PhysicalUnit;

/// Kilograms per tonne.
const KG_PER_T: f64 = 1000.0;

/// Unit of a removal-capacity table in kilograms per hectare and year.
pub const KG_PER_HA_YR: &str = "kg/(ha*yr)";
/// Unit of a removal-capacity table in tonnes per hectare and year.
pub const T_PER_HA_YR: &str = "t/(ha*yr)";

/// The unit cost of removing a pollutant, per tonne.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum PollutantCost {
    /// A cost given directly (yuan per t).
    Direct {
        /// The cost per tonne of pollutant.
        price: Price,
    },
    /// A cost derived from a levy (preventive-cost method, METHODS.md §2.10):
    /// `cost [yuan/t] = rate [yuan/equivalent] ÷ equivalent value [kg/equivalent] × 1000 kg/t`.
    Levy {
        /// Levy or tax rate per pollution equivalent (yuan/equivalent).
        rate_yuan_per_equivalent: Parameter,
        /// Pollution-equivalent value of the pollutant (kg per equivalent).
        equivalent_kg: Parameter,
        /// Year whose prices the rate is in.
        price_year: i32,
    },
}

impl PollutantCost {
    /// A levy-derived cost with the given rate, equivalent value and their sources.
    pub fn levy(
        rate_yuan_per_equivalent: f64,
        rate_source: &str,
        equivalent_kg: f64,
        equivalent_source: &str,
        price_year: i32,
    ) -> Self {
        Self::Levy {
            rate_yuan_per_equivalent: Parameter::new(
                rate_yuan_per_equivalent,
                "yuan/equivalent",
                rate_source,
                Status::Recalled,
            ),
            equivalent_kg: Parameter::new(
                equivalent_kg,
                "kg/equivalent",
                equivalent_source,
                Status::Recalled,
            ),
            price_year,
        }
    }

    /// The checked price per tonne (derived for a levy, with status `derived`).
    pub fn price_per_t(&self, name: &str) -> Result<Price, ParamError> {
        match self {
            Self::Direct { price } => price.check(name, &[PhysicalUnit::Tonne]),
            Self::Levy {
                rate_yuan_per_equivalent,
                equivalent_kg,
                price_year,
            } => {
                let rate = rate_yuan_per_equivalent.check(
                    &format!("{name}.rate_yuan_per_equivalent"),
                    "yuan/equivalent",
                    0.0,
                    f64::MAX,
                    "a finite rate >= 0 yuan per pollution equivalent",
                )?;
                let eq = equivalent_kg.check(
                    &format!("{name}.equivalent_kg"),
                    "kg/equivalent",
                    f64::MIN_POSITIVE,
                    f64::MAX,
                    "a finite equivalent value > 0 kg",
                )?;
                let price = Price::yuan(
                    rate.value / eq.value * KG_PER_T,
                    PhysicalUnit::Tonne,
                    *price_year,
                    &format!(
                        "derived: {} yuan/equivalent ({}) / {} kg/equivalent ({}) x 1000 kg/t",
                        rate.value, rate.source, eq.value, eq.source
                    ),
                    Status::Derived,
                );
                price.check(name, &[PhysicalUnit::Tonne])
            }
        }
    }

    /// Provenance records of the inputs of a levy-derived cost (none for a direct price).
    pub fn input_records(&self, name: &str) -> Vec<ParamRecord> {
        match self {
            Self::Direct { .. } => Vec::new(),
            Self::Levy {
                rate_yuan_per_equivalent,
                equivalent_kg,
                ..
            } => vec![
                rate_yuan_per_equivalent.record(&format!("{name}.rate_yuan_per_equivalent")),
                equivalent_kg.record(&format!("{name}.equivalent_kg")),
            ],
        }
    }

    /// The same cost with its money value multiplied by `k` (the rate, for a levy).
    pub fn scaled(&self, k: f64) -> Self {
        match self {
            Self::Direct { price } => Self::Direct {
                price: price.scaled(k),
            },
            Self::Levy {
                rate_yuan_per_equivalent,
                equivalent_kg,
                price_year,
            } => {
                let mut rate = rate_yuan_per_equivalent.clone();
                rate.value *= k;
                Self::Levy {
                    rate_yuan_per_equivalent: rate,
                    equivalent_kg: equivalent_kg.clone(),
                    price_year: *price_year,
                }
            }
        }
    }
}

/// One pollutant of a purification service: removal capacity per class, the region statistic
/// that caps it, and its unit cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PollutantParams {
    /// Removal capacity per land-cover code, in `kg/(ha*yr)` or `t/(ha*yr)` (the table's
    /// `unit`); a code without a value does not remove this pollutant.
    pub capacity: ClassTable,
    /// Name of the region statistic with the amount emitted or received, in t/yr
    /// (`so2_emission_t`, `cod_load_t`). A region without it is left unvalued.
    pub load_stat: String,
    /// Unit cost per tonne removed.
    pub cost: PollutantCost,
}

impl PollutantParams {
    /// Checks the table (unique codes, values ≥ 0 in a known unit), the statistic's name and
    /// the cost; returns the pollutant with capacities in t/(ha·yr).
    pub(crate) fn check(&self, id: &'static str) -> Result<CheckedPollutant, ParamError> {
        let name = format!("{id}_capacity");
        let to_t = match self.capacity.unit.as_str() {
            KG_PER_HA_YR => 1.0 / KG_PER_T,
            T_PER_HA_YR => 1.0,
            other => {
                return Err(ParamError::PriceUnit {
                    parameter: name,
                    given: other.into(),
                    expected: format!("{KG_PER_HA_YR} or {T_PER_HA_YR}"),
                })
            }
        };
        let table = self
            .capacity
            .check(&name, 0.0, f64::MAX, "a finite capacity >= 0")?;
        if self.load_stat.is_empty() {
            return Err(ParamError::Missing {
                service: id.into(),
                parameter: format!("{id}.load_stat"),
                code: None,
            });
        }
        let price = self.cost.price_per_t(&format!("{id}_cost"))?;
        Ok(CheckedPollutant {
            id,
            params: self.clone(),
            capacity_table: table,
            to_t_per_ha: to_t,
            price,
        })
    }
}

/// A checked pollutant: capacities with their conversion to t/(ha·yr), and a checked price.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CheckedPollutant {
    pub id: &'static str,
    pub params: PollutantParams,
    pub capacity_table: ClassTable,
    pub to_t_per_ha: f64,
    pub price: Price,
}

impl CheckedPollutant {
    /// The component: removed pollutant in t, valued at the avoided abatement/treatment cost.
    pub fn component(&self, label: &'static str) -> Component {
        Component {
            id: self.id.into(),
            label: label.into(),
            unit: PhysicalUnit::Tonne,
            valuation: Arc::new(AvoidedCost::new(
                &format!("{}_cost", self.id),
                self.price.clone(),
            )),
        }
    }

    /// Capacity table and cost inputs for provenance.
    pub fn records(&self) -> Vec<ParamRecord> {
        let mut r = self
            .capacity_table
            .records(&format!("{}_capacity", self.id));
        r.extend(self.params.cost.input_records(&format!("{}_cost", self.id)));
        r
    }
}

/// Binds the capacity kernel of `pollutants` for `service` to a landscape.
pub(crate) fn bind_capacity<'a>(
    service: &'static str,
    pollutants: &[CheckedPollutant],
    landscape: &'a Landscape,
) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
    let n = landscape.classification().len();
    let mut served = vec![false; n];
    let mut t_per_ha = Vec::with_capacity(pollutants.len());
    for p in pollutants {
        let lut = p.capacity_table.lut(
            service,
            &format!("{}_capacity", p.id),
            landscape.classification(),
            landscape.class_unit_counts(),
        )?;
        for (s, l) in served.iter_mut().zip(&lut.served) {
            *s |= *l;
        }
        t_per_ha.push(
            lut.values
                .iter()
                .map(|v| v * p.to_t_per_ha)
                .collect::<Vec<f64>>(),
        );
    }
    let inputs = UnitInputs::bind(landscape, service, [], served)?;
    Ok(Box::new(CapacityKernel { inputs, t_per_ha }))
}

struct CapacityKernel<'a> {
    inputs: UnitInputs<'a, 0>,
    /// `[pollutant][class]` capacity in t/(ha·yr).
    t_per_ha: Vec<Vec<f64>>,
}

impl UnitKernel for CapacityKernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        self.inputs.for_each(units, sink, |u, sink| {
            for (k, table) in self.t_per_ha.iter().enumerate() {
                let cap_t = table[u.class as usize] * u.area_ha;
                sink.add(k, u.region, u.class, cap_t);
            }
        });
    }
}

/// The cap `Q = min(load, capacity)` per pollutant and region, reported in the tally
/// (`adjusted_sum`) and in notes. A region with capacity but no load statistic is set to zero
/// and said to be unvalued; a negative load is an error.
pub(crate) fn cap_by_load(
    pollutants: &[CheckedPollutant],
    ctx: &FinishContext<'_>,
    cells: &mut ServiceCells<'_>,
) -> Result<(), GepError> {
    for (k, p) in pollutants.iter().enumerate() {
        let stat = p.params.load_stat.as_str();
        let (mut binding, mut not_binding, mut no_data) = (0usize, 0usize, 0usize);
        for r in 0..cells.n_regions() {
            let capacity_t = cells.region_total(k, r);
            if capacity_t <= 0.0 {
                continue;
            }
            let region = ctx
                .regions
                .get(r)
                .map_or_else(|| format!("#{r}"), |g| g.name.clone());
            match ctx.stats.value(stat, r) {
                Some(load_t) if load_t < 0.0 => {
                    return Err(ParamError::OutOfRange {
                        parameter: format!("{stat} (region `{region}`)"),
                        code: None,
                        value: load_t,
                        expected: "an amount >= 0 t",
                    }
                    .into())
                }
                Some(load_t) if load_t < capacity_t => {
                    cells.scale_region(k, r, load_t / capacity_t);
                    cells.record_adjustment(k, load_t - capacity_t);
                    cells.note(format!(
                        "{}: region `{region}` capped at {stat} = {load_t} t (capacity {capacity_t:.3} t)",
                        p.id
                    ));
                    binding += 1;
                }
                Some(_) => not_binding += 1,
                None => {
                    cells.scale_region(k, r, 0.0);
                    cells.record_adjustment(k, -capacity_t);
                    cells.note(format!(
                        "{}: region `{region}` has no `{stat}` statistic: unvalued (not zero), capacity {capacity_t:.3} t not counted",
                        p.id
                    ));
                    no_data += 1;
                }
            }
        }
        cells.note(format!(
            "{}: Q = min({stat}, capacity) per region: cap binds in {binding}, does not bind in {not_binding}, no data in {no_data} region(s)",
            p.id
        ));
    }
    Ok(())
}
