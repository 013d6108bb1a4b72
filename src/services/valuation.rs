//! Valuation methods as small strategy types.
//!
//! Every method turns a physical quantity into money linearly: `value = quantity × unit value`.
//! The strategy says *which* economic reasoning the unit value stands for, whether the result
//! is an exchange value in the SEEA EA sense (METHODS.md §4.3), and which prices it uses.

use std::fmt::Debug;

use crate::params::{Currency, IndexFamily, ParamRecord, Price};
use crate::units::PhysicalUnit;

/// A valuation method: how a component's quantity becomes money.
pub trait ValuationMethod: Debug + Send + Sync {
    /// Stable identifier (`replacement_cost`, `market_price`, ...).
    fn id(&self) -> &'static str;
    /// Whether the result is an exchange value as SEEA EA understands it.
    fn is_exchange_value(&self) -> bool;
    /// Money per unit of quantity.
    fn unit_value(&self) -> f64;
    /// The quantity unit the unit value is per.
    fn per(&self) -> PhysicalUnit;
    /// Currency of the unit value.
    fn currency(&self) -> Currency;
    /// Price year of the unit value.
    fn price_year(&self) -> i32;
    /// The prices used, for provenance.
    fn records(&self) -> Vec<ParamRecord>;
    /// The price index family that moves the unit value over time (METHODS.md §5).
    fn index_family(&self) -> IndexFamily {
        IndexFamily::Cpi
    }
}

macro_rules! single_price_method {
    ($(#[$doc:meta])* $name:ident, $id:literal, $exchange:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            /// The unit price.
            pub price: Price,
            /// Name under which the price is recorded.
            pub price_name: String,
        }

        impl $name {
            /// The method with this price, recorded under `price_name`.
            pub fn new(price_name: &str, price: Price) -> Self {
                Self { price, price_name: price_name.into() }
            }
        }

        impl ValuationMethod for $name {
            fn id(&self) -> &'static str {
                $id
            }
            fn is_exchange_value(&self) -> bool {
                $exchange
            }
            fn unit_value(&self) -> f64 {
                self.price.value
            }
            fn per(&self) -> PhysicalUnit {
                self.price.per
            }
            fn currency(&self) -> Currency {
                self.price.currency
            }
            fn price_year(&self) -> i32 {
                self.price.price_year
            }
            fn records(&self) -> Vec<ParamRecord> {
                vec![self.price.record(&self.price_name)]
            }
            fn index_family(&self) -> IndexFamily {
                self.price.family_or_default(&self.price_name)
            }
        }
    };
}

single_price_method!(
    /// Market price method (市场价值法): quantity × market price of the product.
    MarketPrice,
    "market_price",
    true
);
single_price_method!(
    /// Replacement cost / shadow project (影子工程法): quantity × cost of the engineered
    /// substitute (reservoir storage, oxygen production, afforestation). Not an exchange value
    /// under SEEA EA unless the replacement would plausibly be made.
    ReplacementCost,
    "replacement_cost",
    false
);
single_price_method!(
    /// Avoided cost (防治费用法): quantity × cost of the abatement or damage avoided.
    AvoidedCost,
    "avoided_cost",
    false
);
single_price_method!(
    /// Value transfer: quantity × a unit value established elsewhere (equivalent factors,
    /// global unit values). Screening only, labelled ESV.
    ValueTransfer,
    "value_transfer",
    false
);

single_price_method!(
    /// Hedonic pricing (景观增值): quantity (floor or land area) × price premium attributable
    /// to the nearby green/blue space. An exchange value (METHODS.md §4.3).
    HedonicPrice,
    "hedonic_price",
    true
);
single_price_method!(
    /// The consumer-surplus part of a travel-cost estimate: a welfare value, never an exchange
    /// value, reported separately so exchange-value totals can leave it out.
    ConsumerSurplus,
    "consumer_surplus",
    false
);

/// Travel-cost method: visits × (direct expenses + time cost [+ consumer surplus]).
/// With consumer surplus the result is a welfare value, not an exchange value.
#[derive(Debug, Clone, PartialEq)]
pub struct TravelCost {
    /// Direct expenses per visit (transport, lodging, food, tickets).
    pub expenses_per_visit: Price,
    /// Time cost per visit.
    pub time_cost_per_visit: Price,
    /// Consumer surplus per visit, if counted.
    pub consumer_surplus_per_visit: Option<Price>,
}

impl ValuationMethod for TravelCost {
    fn id(&self) -> &'static str {
        "travel_cost"
    }
    fn is_exchange_value(&self) -> bool {
        self.consumer_surplus_per_visit.is_none()
    }
    fn unit_value(&self) -> f64 {
        self.expenses_per_visit.value
            + self.time_cost_per_visit.value
            + self
                .consumer_surplus_per_visit
                .as_ref()
                .map_or(0.0, |p| p.value)
    }
    fn per(&self) -> PhysicalUnit {
        PhysicalUnit::Visit
    }
    fn currency(&self) -> Currency {
        self.expenses_per_visit.currency
    }
    fn price_year(&self) -> i32 {
        self.expenses_per_visit.price_year
    }
    fn records(&self) -> Vec<ParamRecord> {
        let mut r = vec![
            self.expenses_per_visit.record("expenses_per_visit"),
            self.time_cost_per_visit.record("time_cost_per_visit"),
        ];
        if let Some(cs) = &self.consumer_surplus_per_visit {
            r.push(cs.record("consumer_surplus_per_visit"));
        }
        r
    }
    fn index_family(&self) -> IndexFamily {
        // All parts of a visit's cost move with the tourism CPI unless the expenses say
        // otherwise (METHODS.md §5).
        self.expenses_per_visit
            .family_or_default("expenses_per_visit")
    }
}

/// No separate valuation: a component reported for its physical quantity only, whose money
/// value is carried by other components derived from it (e.g. retained soil, valued through the
/// sediment and nutrients it would have carried). Its unit value is 0, in the currency and
/// price year of the service's other prices, so that it never adds to GEP and never breaks the
/// one-currency rule of an account.
#[derive(Debug, Clone, PartialEq)]
pub struct NotValued {
    /// The quantity's unit.
    pub per: PhysicalUnit,
    /// Currency of the account the component sits in.
    pub currency: Currency,
    /// Price year of the service's other prices.
    pub price_year: i32,
}

impl ValuationMethod for NotValued {
    fn id(&self) -> &'static str {
        "not_valued"
    }
    fn is_exchange_value(&self) -> bool {
        false
    }
    fn unit_value(&self) -> f64 {
        0.0
    }
    fn per(&self) -> PhysicalUnit {
        self.per
    }
    fn currency(&self) -> Currency {
        self.currency
    }
    fn price_year(&self) -> i32 {
        self.price_year
    }
    fn records(&self) -> Vec<ParamRecord> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Status;

    #[test]
    fn travel_cost_unit_value_sums_components_yuan_per_visit() {
        // Jiang et al. 2017 (Baiyangdian): 52.47 expenses + 343.33 time cost = 395.80 yuan/visit;
        // with 578.03 consumer surplus, 973.83 yuan/visit.
        let p = |v| {
            Price::yuan(
                v,
                PhysicalUnit::Visit,
                2011,
                "Jiang et al. 2017",
                Status::Verified,
            )
        };
        let mut tc = TravelCost {
            expenses_per_visit: p(52.47),
            time_cost_per_visit: p(343.33),
            consumer_surplus_per_visit: None,
        };
        approx::assert_relative_eq!(tc.unit_value(), 395.80, max_relative = 1e-12);
        assert!(tc.is_exchange_value());
        tc.consumer_surplus_per_visit = Some(p(578.03));
        approx::assert_relative_eq!(tc.unit_value(), 973.83, max_relative = 1e-12);
        assert!(!tc.is_exchange_value());
    }
}
