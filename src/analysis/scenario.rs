//! Land-use scenarios: two landscapes of the same units (a baseline and a plan) under one
//! profile → ΔGEP per service, region and ecosystem type, and a transition matrix
//! (from class × to class) of areas and values.
//!
//! # How values are attributed to transitions
//! A transition `from → to` is the set of units whose class is `from` in the baseline and `to`
//! in the scenario. Its value under each map is the account of **those units only**: the
//! landscape with every other unit's land cover set to nodata (nodata units contribute
//! nothing, DESIGN invariant 3), run through the profile's *additive* services — those whose
//! tile accounts merge exactly into the whole (`ServiceRecord::additive`). For these services
//! the transitions partition the units, so Σ over transitions of the values equals the
//! account's value to rounding, exactly as tiles do; nothing is apportioned by area.
//!
//! Services that are not additive (region statistics allocated over a region's units, caps
//! at a region's emissions or loads, region-level finishing) have no per-unit value: a
//! unit's share depends on the other units of its region. Their change is reported per
//! service, region and ecosystem type like every other, and in the transition matrix as one
//! separate line, *not attributed to transitions*, never spread by a rule of thumb.

use std::io::Write;

use ndarray::Array1;

use crate::account::sum::CompensatedSum;
use crate::account::{Account, Engine};
use crate::analysis::prices::{check_comparable, csv_field};
use crate::error::{AnalysisError, GepError};
use crate::landscape::{
    Areas, EcosystemType, LandCoverClass, Landscape, LandscapeBuilder, NODATA_CLASS,
};
use crate::profile::Profile;

/// Land-cover code given to masked units (never a code of a classification in practice; if
/// it is, [`masked`] picks another).
const MASK_CODE: i32 = i32::MIN;

/// The same landscape with new land-cover codes (`codes[i]` for unit `i`, `nodata` for
/// land-cover nodata); areas, regions, layers, grid and region statistics are kept.
///
/// # Examples
/// ```
/// use gep::analysis::scenario::with_land_cover;
/// use gep::prelude::*;
/// use ndarray::array;
/// let base = LandscapeBuilder::new(Classification::gep_default(), Regions::single("Town"))
///     .area_ha(array![1.0, 2.0]).land_cover(array![51, 52]).build()?;
/// let plan = with_land_cover(&base, &[51, 11], -1)?; // dryland (52) afforested (11)
/// assert_eq!(plan.class_unit_counts().iter().sum::<u64>(), 2);
/// # Ok::<(), gep::GepError>(())
/// ```
pub fn with_land_cover(
    landscape: &Landscape,
    codes: &[i32],
    nodata: i32,
) -> Result<Landscape, GepError> {
    let mut b = LandscapeBuilder::new(
        landscape.classification().clone(),
        landscape.regions().clone(),
    )
    .land_cover(Array1::from(codes.to_vec()))
    .land_cover_nodata(nodata)
    .region(Array1::from(landscape.region_index().to_vec()))
    .region_stats(landscape.region_stats().clone());
    b = match landscape.areas() {
        Areas::Uniform(a) => b.uniform_area_ha(*a),
        Areas::PerUnit(v) => b.area_ha(Array1::from(v.clone())),
    };
    if let Some(g) = landscape.grid() {
        b = b.grid(g.clone());
    }
    for l in landscape.layers() {
        b = b.layer(l.name(), Array1::from(l.as_slice().to_vec()), l.nodata());
    }
    Ok(b.build()?)
}

/// Land-cover codes of a landscape, `nodata` where the land cover is nodata.
/// ([`Landscape::land_cover_codes`].)
pub fn land_cover_codes(landscape: &Landscape, nodata: i32) -> Vec<i32> {
    landscape.land_cover_codes(nodata)
}

/// The landscape with land cover kept only where `keep[i]`; every other unit is nodata.
fn masked(landscape: &Landscape, keep: &[bool]) -> Result<Landscape, GepError> {
    let mut mask_code = MASK_CODE;
    while landscape.classification().index_of(mask_code).is_some() {
        mask_code += 1;
    }
    let mut codes = land_cover_codes(landscape, mask_code);
    for (c, &k) in codes.iter_mut().zip(keep) {
        if !k {
            *c = mask_code;
        }
    }
    with_land_cover(landscape, &codes, mask_code)
}

/// Checks that two landscapes describe the same units: same number, grid, areas,
/// classification, regions and region of every unit.
pub fn check_same_units(baseline: &Landscape, scenario: &Landscape) -> Result<(), AnalysisError> {
    let differ = |what: &str, a: String, b: String| AnalysisError::LandscapesDiffer {
        what: what.into(),
        baseline: a,
        scenario: b,
    };
    if baseline.len() != scenario.len() {
        return Err(differ(
            "number of units",
            baseline.len().to_string(),
            scenario.len().to_string(),
        ));
    }
    if baseline.grid() != scenario.grid() {
        let g = |l: &Landscape| {
            l.grid().map_or("no grid".to_string(), |g| {
                format!(
                    "{}x{} cells of {} m at ({}, {}), EPSG {:?}",
                    g.rows(),
                    g.cols(),
                    g.cell_width(),
                    g.geotransform()[0],
                    g.geotransform()[3],
                    g.epsg()
                )
            })
        };
        return Err(differ("grid", g(baseline), g(scenario)));
    }
    if let Some(i) =
        (0..baseline.len()).find(|&i| baseline.areas().get(i) != scenario.areas().get(i))
    {
        return Err(differ(
            &format!("area_ha of unit {i}"),
            baseline.areas().get(i).to_string(),
            scenario.areas().get(i).to_string(),
        ));
    }
    if baseline.classification() != scenario.classification() {
        let codes = |l: &Landscape| {
            l.classification()
                .classes()
                .iter()
                .map(|c| c.code.to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        return Err(differ("classification", codes(baseline), codes(scenario)));
    }
    if baseline.regions() != scenario.regions() {
        let names = |l: &Landscape| {
            l.regions()
                .regions()
                .iter()
                .map(|r| r.name.clone())
                .collect::<Vec<_>>()
                .join(",")
        };
        return Err(differ("regions", names(baseline), names(scenario)));
    }
    let (ra, rb) = (baseline.region_index(), scenario.region_index());
    if let Some(i) = (0..ra.len()).find(|&i| ra[i] != rb[i]) {
        return Err(differ(
            &format!("region of unit {i}"),
            ra[i].to_string(),
            rb[i].to_string(),
        ));
    }
    Ok(())
}

/// One cell of a transition matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// Class in the baseline (opening).
    pub from: LandCoverClass,
    /// Class in the scenario (closing).
    pub to: LandCoverClass,
    /// Area of the units making this transition, ha.
    pub area_ha: f64,
    /// Number of units.
    pub units: u64,
    /// Value of these units under the baseline map (additive services only), or `None` for
    /// an area-only matrix.
    pub value_baseline: Option<f64>,
    /// Value of these units under the scenario map (additive services only).
    pub value_scenario: Option<f64>,
}

impl Transition {
    /// `value_scenario − value_baseline`, when valued.
    pub fn value_change(&self) -> Option<f64> {
        Some(self.value_scenario? - self.value_baseline?)
    }
}

/// A land-cover transition matrix (baseline class × scenario class), areas and optionally
/// values, with the units left out because either map has nodata land cover.
#[derive(Debug, Clone, PartialEq)]
pub struct TransitionMatrix {
    classes: Vec<LandCoverClass>,
    area_ha: Vec<f64>,
    units: Vec<u64>,
    value_baseline: Option<Vec<f64>>,
    value_scenario: Option<Vec<f64>>,
    nodata_units: u64,
    nodata_area_ha: f64,
}

impl TransitionMatrix {
    /// Areas (ha) of every class-to-class transition between two landscapes of the same units
    /// ([`check_same_units`]). Sequential, fixed-order compensated sums: deterministic.
    pub fn areas(baseline: &Landscape, scenario: &Landscape) -> Result<Self, AnalysisError> {
        check_same_units(baseline, scenario)?;
        let classes = baseline.classification().classes().to_vec();
        let n = classes.len();
        let mut area = vec![CompensatedSum::new(); n * n];
        let mut units = vec![0u64; n * n];
        let mut nodata = CompensatedSum::new();
        let mut nodata_units = 0u64;
        for (i, (&a, &b)) in baseline
            .class_index()
            .iter()
            .zip(scenario.class_index())
            .enumerate()
        {
            let ha = baseline.areas().get(i);
            if a == NODATA_CLASS || b == NODATA_CLASS {
                nodata.add(ha);
                nodata_units += 1;
                continue;
            }
            let k = a as usize * n + b as usize;
            area[k].add(ha);
            units[k] += 1;
        }
        Ok(Self {
            classes,
            area_ha: area.iter().map(|s| s.value()).collect(),
            units,
            value_baseline: None,
            value_scenario: None,
            nodata_units,
            nodata_area_ha: nodata.value(),
        })
    }

    /// The land-cover classes (both dimensions).
    pub fn classes(&self) -> &[LandCoverClass] {
        &self.classes
    }

    /// Area (ha) from class index `from` to class index `to`.
    pub fn area_ha(&self, from: usize, to: usize) -> f64 {
        self.area_ha
            .get(from * self.classes.len() + to)
            .copied()
            .unwrap_or(0.0)
    }

    /// Units with nodata land cover in either map (left out of the matrix), and their area.
    pub fn nodata(&self) -> (u64, f64) {
        (self.nodata_units, self.nodata_area_ha)
    }

    /// The transitions with at least one unit, baseline class major.
    pub fn transitions(&self) -> Vec<Transition> {
        let n = self.classes.len();
        (0..n * n)
            .filter(|&k| self.units[k] > 0)
            .map(|k| Transition {
                from: self.classes[k / n].clone(),
                to: self.classes[k % n].clone(),
                area_ha: self.area_ha[k],
                units: self.units[k],
                value_baseline: self.value_baseline.as_ref().map(|v| v[k]),
                value_scenario: self.value_scenario.as_ref().map(|v| v[k]),
            })
            .collect()
    }

    /// Areas (ha) aggregated to ecosystem types: `[from][to]` in [`EcosystemType::ALL`] order.
    pub fn ecosystem_areas_ha(&self) -> Vec<Vec<f64>> {
        let m = EcosystemType::ALL.len();
        let mut acc = vec![vec![CompensatedSum::new(); m]; m];
        for t in self.transitions() {
            acc[t.from.ecosystem.index()][t.to.ecosystem.index()].add(t.area_ha);
        }
        acc.iter()
            .map(|r| r.iter().map(|s| s.value()).collect())
            .collect()
    }

    /// Writes the non-empty transitions as CSV.
    pub fn write_csv<W: Write>(&self, currency: &str, mut w: W) -> std::io::Result<()> {
        writeln!(
            w,
            "from_code,from_class,from_ecosystem,to_code,to_class,to_ecosystem,units,area_ha,value_baseline_{currency},value_scenario_{currency},value_change_{currency}"
        )?;
        let o = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
        for t in self.transitions() {
            writeln!(
                w,
                "{},{},{},{},{},{},{},{},{},{},{}",
                t.from.code,
                csv_field(&t.from.name),
                t.from.ecosystem,
                t.to.code,
                csv_field(&t.to.name),
                t.to.ecosystem,
                t.units,
                t.area_ha,
                o(t.value_baseline),
                o(t.value_scenario),
                o(t.value_change())
            )?;
        }
        Ok(())
    }
}

/// One line of a ΔGEP table.
#[derive(Debug, Clone, PartialEq)]
pub struct DeltaRow {
    /// Service id, region name or ecosystem type.
    pub key: String,
    /// Value under the baseline.
    pub baseline: f64,
    /// Value under the scenario.
    pub scenario: f64,
}

impl DeltaRow {
    /// `scenario − baseline`.
    pub fn delta(&self) -> f64 {
        self.scenario - self.baseline
    }
}

/// A baseline and a scenario landscape accounted under one profile.
#[derive(Debug, Clone)]
pub struct ScenarioComparison {
    baseline: Account,
    scenario: Account,
    transitions: TransitionMatrix,
    attributed: Vec<String>,
    not_attributed: Vec<String>,
}

fn run_additive(profile: &Profile, landscape: &Landscape) -> Result<Account, GepError> {
    let services: Vec<_> = profile
        .build_services()?
        .into_iter()
        .filter(|s| s.is_additive())
        .collect();
    Engine::new(&services).run(landscape)
}

impl ScenarioComparison {
    /// Runs `profile` on both landscapes, which must describe the same units
    /// ([`check_same_units`]: [`AnalysisError::LandscapesDiffer`] otherwise), and values every
    /// class-to-class transition (module docs). Runs the profile's additive services on
    /// masked copies of the landscapes: twice per non-empty transition, once for a transition
    /// that keeps its class when both maps have the same layers and region statistics (the
    /// masked copies are then identical).
    pub fn run(
        profile: &Profile,
        baseline: &Landscape,
        scenario: &Landscape,
    ) -> Result<Self, GepError> {
        let mut transitions = TransitionMatrix::areas(baseline, scenario)?;
        let base_account = profile.run(baseline)?;
        let scen_account = profile.run(scenario)?;
        check_comparable(&base_account, &scen_account)?;
        let (attributed, not_attributed): (Vec<_>, Vec<_>) =
            base_account.services().iter().partition(|s| s.additive);
        let attributed: Vec<String> = attributed.iter().map(|s| s.id.clone()).collect();
        let not_attributed: Vec<String> = not_attributed.iter().map(|s| s.id.clone()).collect();
        let n = transitions.classes.len();
        let mut vb = vec![0.0; n * n];
        let mut vs = vec![0.0; n * n];
        // Where both maps carry the same layers and statistics, the masked landscapes of a
        // transition that keeps its class are identical: one run serves both maps.
        let same_inputs = baseline.layers() == scenario.layers()
            && baseline.region_stats() == scenario.region_stats();
        if !attributed.is_empty() {
            let (ca, cb) = (baseline.class_index(), scenario.class_index());
            for k in (0..n * n).filter(|&k| transitions.units[k] > 0) {
                let (from, to) = ((k / n) as u16, (k % n) as u16);
                let keep: Vec<bool> = ca
                    .iter()
                    .zip(cb)
                    .map(|(&a, &b)| a == from && b == to)
                    .collect();
                vb[k] = run_additive(profile, &masked(baseline, &keep)?)?.total_value();
                vs[k] = if same_inputs && from == to {
                    vb[k]
                } else {
                    run_additive(profile, &masked(scenario, &keep)?)?.total_value()
                };
            }
        }
        transitions.value_baseline = Some(vb);
        transitions.value_scenario = Some(vs);
        Ok(Self {
            baseline: base_account,
            scenario: scen_account,
            transitions,
            attributed,
            not_attributed,
        })
    }

    /// The baseline account.
    pub fn baseline(&self) -> &Account {
        &self.baseline
    }

    /// The scenario account.
    pub fn scenario(&self) -> &Account {
        &self.scenario
    }

    /// The transition matrix, valued for the attributed (additive) services.
    pub fn transitions(&self) -> &TransitionMatrix {
        &self.transitions
    }

    /// Services whose values are attributed to transitions (additive services).
    pub fn attributed_services(&self) -> &[String] {
        &self.attributed
    }

    /// Services whose change is not attributed to transitions (not additive).
    pub fn not_attributed_services(&self) -> &[String] {
        &self.not_attributed
    }

    /// Total GEP under both maps.
    pub fn total(&self) -> DeltaRow {
        DeltaRow {
            key: "total".into(),
            baseline: self.baseline.total_value(),
            scenario: self.scenario.total_value(),
        }
    }

    /// ΔGEP per service, in account order.
    pub fn by_service(&self) -> Vec<DeltaRow> {
        let (a, b) = (
            self.baseline.value_by_service(),
            self.scenario.value_by_service(),
        );
        self.baseline
            .services()
            .iter()
            .enumerate()
            .map(|(i, s)| DeltaRow {
                key: s.id.clone(),
                baseline: a[i],
                scenario: b[i],
            })
            .collect()
    }

    /// ΔGEP per region, rolled up over descendants, in region order.
    pub fn by_region(&self) -> Vec<DeltaRow> {
        let (a, b) = (
            self.baseline.value_by_region_rollup(),
            self.scenario.value_by_region_rollup(),
        );
        self.baseline
            .regions()
            .regions()
            .iter()
            .enumerate()
            .map(|(i, r)| DeltaRow {
                key: r.name.clone(),
                baseline: a[i],
                scenario: b[i],
            })
            .collect()
    }

    /// ΔGEP per ecosystem type (each map's own class of every unit), in
    /// [`EcosystemType::ALL`] order.
    pub fn by_ecosystem(&self) -> Vec<DeltaRow> {
        self.baseline
            .value_by_ecosystem()
            .into_iter()
            .zip(self.scenario.value_by_ecosystem())
            .map(|((e, a), (_, b))| DeltaRow {
                key: e.name().into(),
                baseline: a,
                scenario: b,
            })
            .collect()
    }

    /// The change of the services not attributed to transitions (their total Δ).
    pub fn not_attributed_change(&self) -> f64 {
        let mut s = CompensatedSum::new();
        for r in self.by_service() {
            if self.not_attributed.contains(&r.key) {
                s.add(r.delta());
            }
        }
        s.value()
    }

    /// Writes a ΔGEP table (`by_service`, `by_region`, `by_ecosystem`) as CSV.
    pub fn write_delta_csv<W: Write>(
        rows: &[DeltaRow],
        key: &str,
        currency: &str,
        mut w: W,
    ) -> std::io::Result<()> {
        writeln!(
            w,
            "{key},baseline_{currency},scenario_{currency},delta_{currency}"
        )?;
        for r in rows {
            writeln!(
                w,
                "{},{},{},{}",
                csv_field(&r.key),
                r.baseline,
                r.scenario,
                r.delta()
            )?;
        }
        Ok(())
    }
}
