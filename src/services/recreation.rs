//! Cultural: recreation by the travel-cost method (休闲旅游), METHODS.md §2.15.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::region_stat::{StatLine, StatService, StatSource};
use super::{Category, Component, ConsumerSurplus, Service, TravelCost};
use crate::error::ParamError;
use crate::landscape::EcosystemType;
use crate::params::{Checked, Parameter, Price, Status};
use crate::units::PhysicalUnit;

/// Parameters of [`recreation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecreationParams {
    /// Region statistic of visits per year.
    pub stat: String,
    /// Share of the counted visits that are nature-based (1 when the statistic counts only
    /// nature-based visits; < 1 for all-tourism statistics).
    pub nature_share: Parameter,
    /// Direct expenses per visit (transport, lodging, food, tickets).
    pub expenses_per_visit: Price,
    /// Time cost per visit.
    pub time_cost_per_visit: Price,
    /// Consumer surplus per visit; a welfare value, booked as a separate non-exchange
    /// component only when `include_consumer_surplus` is true.
    pub consumer_surplus_per_visit: Price,
    /// Whether to add the consumer-surplus component.
    pub include_consumer_surplus: bool,
    /// Ecosystems the visits are attributed to.
    pub attributed_to: Vec<EcosystemType>,
}

impl Default for RecreationParams {
    /// Statistic `nature_visits`; per-visit expenses 52.47, time cost 343.33 (30 % of the daily
    /// wage) and consumer surplus 578.03 yuan (Jiang et al. 2017, Baiyangdian 2011, ITCM \[V\]);
    /// consumer surplus off (SEEA exchange value); nature share 1; attributed to forest, shrub,
    /// grassland, wetland and water.
    fn default() -> Self {
        let p = |v: f64| {
            Price::yuan(
                v,
                PhysicalUnit::Visit,
                2011,
                "Jiang et al. 2017 (Baiyangdian, ITCM)",
                Status::Verified,
            )
        };
        use EcosystemType::*;
        Self {
            stat: "nature_visits".into(),
            nature_share: Parameter::new(
                1.0,
                "1",
                "statistic counts nature-based visits only",
                Status::User,
            ),
            expenses_per_visit: p(52.47),
            time_cost_per_visit: p(343.33),
            consumer_surplus_per_visit: p(578.03),
            include_consumer_surplus: false,
            attributed_to: vec![Forest, Shrub, Grassland, Wetland, Water],
        }
    }
}

impl RecreationParams {
    /// Checks prices (per visit, ≥ 0) and the nature share in [0, 1].
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        for (n, p) in [
            ("expenses_per_visit", &self.expenses_per_visit),
            ("time_cost_per_visit", &self.time_cost_per_visit),
            (
                "consumer_surplus_per_visit",
                &self.consumer_surplus_per_visit,
            ),
        ] {
            p.check(&format!("recreation.{n}"), &[PhysicalUnit::Visit])?;
        }
        self.nature_share.check(
            "recreation.nature_share",
            "1",
            0.0,
            1.0,
            "a share in [0, 1]",
        )?;
        Ok(Checked::new(self.clone()))
    }
}

/// Recreation: `V = N × λ × (expenses + time cost)` per visit (travel-cost method), plus,
/// optionally, `N × λ × consumer surplus` as a separate non-exchange component.
pub fn recreation(params: &Checked<RecreationParams>) -> Box<dyn Service> {
    let source = StatSource {
        stat: params.stat.clone(),
        attributed_to: params.attributed_to.clone(),
    };
    let share = params.nature_share.value;
    let mut lines = vec![StatLine {
        component: Component::new(
            "visits",
            "nature-based visits (expenses + time cost)",
            PhysicalUnit::Visit,
            Arc::new(TravelCost {
                expenses_per_visit: params.expenses_per_visit.clone(),
                time_cost_per_visit: params.time_cost_per_visit.clone(),
                consumer_surplus_per_visit: None,
            }),
        ),
        source: source.clone(),
        scale: share,
    }];
    if params.include_consumer_surplus {
        lines.push(StatLine {
            component: Component::new(
                "consumer_surplus",
                "consumer surplus of the same visits (welfare, not exchange value)",
                PhysicalUnit::Visit,
                Arc::new(ConsumerSurplus::new(
                    "consumer_surplus_per_visit",
                    params.consumer_surplus_per_visit.clone(),
                )),
            ),
            source,
            scale: share,
        });
    }
    Box::new(StatService {
        id: "recreation",
        name: "Recreation (travel cost)",
        category: Category::Cultural,
        formula: "V = N [visits] x lambda x (expenses + time cost) [yuan/visit] (+ consumer surplus, non-exchange). METHODS.md 2.15".into(),
        lines,
        parameters: vec![params.nature_share.record("nature_share")],
        notes: Vec::new(),
    })
}
