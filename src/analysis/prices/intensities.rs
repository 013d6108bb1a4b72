//! GEP intensities: GEP/GDP, GEP per km², GEP per capita (METHODS.md §5).

use std::io::Write;

use super::csv_field;
use crate::account::sum::neumaier_sum;
use crate::account::Account;
use crate::landscape::RegionStats;
use crate::units::ha_to_km2;

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
