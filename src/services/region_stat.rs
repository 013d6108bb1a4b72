//! The shared machinery of region-level services: quantities read from per-region statistics
//! (yearbooks, water bulletins, visitor counts) instead of computed per unit, and attributed to
//! the land-cover classes of the ecosystems that supply them.
//!
//! A region's quantity is spread over the classes of the given ecosystem types in proportion to
//! their area in the region. A statistic given for a region without units of its own (e.g. a
//! county total, with units in townships) is spread over its descendants' area the same way. If
//! none of those classes occurs there, the quantity is spread over all the area and a note says
//! so; if there is no area at all, the quantity is not counted, and the adjustment and a note
//! say so. Missing values are *unvalued*, not zero (METHODS.md §6).

use serde::{Deserialize, Serialize};

use super::{FinishContext, ServiceCells, Sink, UnitKernel};
use crate::error::{GepError, LandscapeError};
use crate::landscape::{EcosystemType, Landscape};
use std::ops::Range;

/// Which statistic feeds a component, and which ecosystems supply it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatSource {
    /// Region-statistic column (`rice_output_t`), one value per region.
    pub stat: String,
    /// Ecosystem types that supply the quantity (attribution by their area).
    pub attributed_to: Vec<EcosystemType>,
}

/// A kernel that does nothing per unit: region-level services work in `finish`.
pub(crate) struct NoUnits;

impl UnitKernel for NoUnits {
    fn accumulate(&self, _units: Range<usize>, _sink: &mut Sink<'_>) {}
}

/// Checks that every statistic exists and is ≥ 0 (where present).
pub(crate) fn bind_stats(
    service: &str,
    landscape: &Landscape,
    sources: &[&StatSource],
) -> Result<Box<dyn UnitKernel + 'static>, GepError> {
    for src in sources {
        let column = landscape.region_stats().get(&src.stat).ok_or_else(|| {
            LandscapeError::MissingRegionStat {
                service: service.into(),
                column: src.stat.clone(),
            }
        })?;
        for (r, v) in column.values.iter().enumerate() {
            if let Some(v) = *v {
                if v < 0.0 {
                    let region = landscape
                        .regions()
                        .get(r)
                        .map_or_else(|| r.to_string(), |x| x.name.clone());
                    return Err(LandscapeError::InvalidRegionStat {
                        column: src.stat.clone(),
                        region,
                        value: v,
                        expected: "a value >= 0",
                    }
                    .into());
                }
            }
        }
    }
    Ok(Box::new(NoUnits))
}

/// Adds each region's statistic (× `scale`) to `component`, attributed by area.
pub(crate) fn attribute(
    ctx: &FinishContext<'_>,
    cells: &mut ServiceCells<'_>,
    component: usize,
    src: &StatSource,
    scale: f64,
) {
    let n_regions = ctx.regions.len();
    let n_classes = ctx.classes.len();
    let supplies: Vec<bool> = ctx
        .classes
        .iter()
        .map(|c| src.attributed_to.contains(&c.ecosystem))
        .collect();
    let own_extent = |r: usize| (0..n_classes).map(|k| ctx.extent_ha(r, k)).sum::<f64>();
    let (mut valued, mut missing) = (0usize, 0usize);
    for r in 0..n_regions {
        let Some(value) = ctx.stats.value(&src.stat, r) else {
            // Only regions with units of their own can lack data; aggregates are filled by
            // their descendants.
            if ctx.stats.get(&src.stat).is_some() && own_extent(r) > 0.0 {
                missing += 1;
            }
            continue;
        };
        let quantity = value * scale;
        if quantity == 0.0 {
            valued += 1;
            continue;
        }
        // The region's own units, or (if it has none) its descendants'.
        let targets: Vec<usize> = if own_extent(r) > 0.0 {
            vec![r]
        } else {
            (0..n_regions)
                .filter(|&d| ctx.regions.ancestors(d).any(|a| a == r))
                .collect()
        };
        let weight_of = |only_suppliers: bool| -> Vec<(usize, usize, f64)> {
            targets
                .iter()
                .flat_map(|&t| (0..n_classes).map(move |k| (t, k)))
                .filter(|&(_, k)| !only_suppliers || supplies[k])
                .map(|(t, k)| (t, k, ctx.extent_ha(t, k)))
                .filter(|w| w.2 > 0.0)
                .collect()
        };
        let mut weights = weight_of(true);
        let name = &ctx.regions.regions()[r].name;
        if weights.is_empty() {
            weights = weight_of(false);
            if !weights.is_empty() {
                let types: Vec<&str> = src.attributed_to.iter().map(|e| e.name()).collect();
                cells.note(format!(
                    "{}: region `{name}` has no {} area; attributed to all its area",
                    src.stat,
                    types.join("/")
                ));
            }
        }
        let total: f64 = weights.iter().map(|w| w.2).sum();
        if total <= 0.0 {
            cells.record_adjustment(component, -quantity);
            cells.note(format!(
                "{}: region `{name}` has {quantity} but no land area to attribute it to; not counted",
                src.stat
            ));
            continue;
        }
        for (t, k, w) in weights {
            cells.add(component, t, k, quantity * w / total);
        }
        valued += 1;
    }
    cells.note(format!(
        "{}: valued in {valued} region(s){}",
        src.stat,
        if missing > 0 {
            format!(", no data (unvalued, not zero) in {missing}")
        } else {
            String::new()
        }
    ));
}

/// One component of a region-level service: what it is, where its figures come from, and the
/// factor applied to the statistic (e.g. a nature share of all-tourism visits).
#[derive(Debug, Clone)]
pub(crate) struct StatLine {
    pub component: super::Component,
    pub source: StatSource,
    pub scale: f64,
}

/// A region-level service assembled from [`StatLine`]s; the provisioning and cultural
/// services are thin constructors of this.
#[derive(Debug, Clone)]
pub(crate) struct StatService {
    pub id: &'static str,
    pub name: &'static str,
    pub category: super::Category,
    pub formula: String,
    pub lines: Vec<StatLine>,
    pub parameters: Vec<crate::params::ParamRecord>,
    pub notes: Vec<String>,
}

impl super::Service for StatService {
    fn id(&self) -> &'static str {
        self.id
    }
    fn name(&self) -> &'static str {
        self.name
    }
    fn category(&self) -> super::Category {
        self.category
    }
    fn formula(&self) -> String {
        self.formula.clone()
    }
    fn required_layers(&self) -> Vec<&'static str> {
        Vec::new()
    }
    fn components(&self) -> Vec<super::Component> {
        self.lines.iter().map(|l| l.component.clone()).collect()
    }
    fn parameters(&self) -> Vec<crate::params::ParamRecord> {
        self.parameters.clone()
    }
    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        let sources: Vec<&StatSource> = self.lines.iter().map(|l| &l.source).collect();
        bind_stats(self.id, landscape, &sources)
    }
    /// Region statistics are whole-region figures: a tile must not book them again, so tile
    /// accounts are merged raw and finished once.
    fn is_additive(&self) -> bool {
        false
    }
    fn finish(
        &self,
        ctx: &FinishContext<'_>,
        cells: &mut ServiceCells<'_>,
    ) -> Result<(), GepError> {
        for (k, line) in self.lines.iter().enumerate() {
            attribute(ctx, cells, k, &line.source, line.scale);
        }
        Ok(())
    }
}
