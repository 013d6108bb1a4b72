//! The Annual Water Yield part of the datastack runner: reads the five rasters, the tables and
//! the watershed vectors, writes `output/per_pixel/{fractp,aet,wyield}.tif` and
//! `output/{watershed,subwatershed}_results_wyield.csv`.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use std::ops::Range;

use crate::error::InvestError;
use crate::io::PolygonFeature;

use super::awy::{
    water_yield_maps, AwyCells, Biophysical, Hydropower, ZoneResult, ZoneSums, AWY_NODATA,
};
use super::lookup::{f32_values, RowLookup};
use super::runner::{create_f32, finish_all, grid, open_all, read_block, stream_blocks, Staging};
use super::runner::{par_map, read_table, read_vector, Args, RunOptions};

pub(crate) fn run_awy(
    args: &Args<'_>,
    out: &Staging,
    options: &RunOptions,
) -> Result<(), InvestError> {
    let suffix = args.suffix();
    let keys = [
        "lulc_path",
        "precipitation_path",
        "eto_path",
        "depth_to_root_rest_layer_path",
        "pawc_path",
    ];
    let paths = keys
        .iter()
        .map(|k| args.path(k))
        .collect::<Result<Vec<_>, _>>()?;
    for p in &paths {
        if !p.is_file() {
            return Err(InvestError::Read {
                path: p.display().to_string(),
                message: "no such file".into(),
            });
        }
    }
    let z = args.number("seasonality_constant")?;
    if z <= 0.0 {
        return Err(InvestError::Arg {
            arg: "seasonality_constant".into(),
            message: format!("must be > 0, found {z}"),
        });
    }
    let bio_path = args.path("biophysical_table_path")?;
    let bio = Biophysical::from_table(&read_table(&bio_path)?)?;
    let ws_path = args.path("watersheds_path")?;
    let watersheds = read_vector(&ws_path)?;
    let sub = if args.has("sub_watersheds_path") {
        let p = args.path("sub_watersheds_path")?;
        Some((read_vector(&p)?, p))
    } else {
        None
    };
    let demand = if args.has("demand_table_path") {
        let p = args.path("demand_table_path")?;
        let t = read_table(&p)?;
        Some((t.index_i64("lucode")?, t.column_f64("demand")?, p))
    } else {
        None
    };
    let valuation = if args.has("valuation_table_path") {
        if demand.is_none() {
            return Err(InvestError::Arg {
                arg: "valuation_table_path".into(),
                message: "valuation needs `demand_table_path`".into(),
            });
        }
        Some(read_valuation(&args.path("valuation_table_path")?)?)
    } else {
        None
    };
    let readers = open_all(&paths)?;
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let lulc = grid(&readers[0]);
    // Demand per biophysical-table row (NaN where the demand table has no value).
    let demand_values: Option<Vec<f32>> = demand.as_ref().map(|(codes, values, _)| {
        bio.codes
            .iter()
            .map(|c| {
                codes
                    .iter()
                    .position(|d| d == c)
                    .map_or(f32::NAN, |k| values[k] as f32)
            })
            .collect()
    });
    let kc: Vec<f32> = bio.kc.iter().map(|&k| k as f32).collect();
    // Zones: their cells as index ranges in row-major order, summed block by block.
    let mut zone_sets = vec![Zones::new(&watersheds, "ws_id", &ws_path, &lulc)];
    if let Some((sub, p)) = &sub {
        zone_sets.push(Zones::new(sub, "subws_id", p, &lulc));
    }
    let outputs = [
        (
            out.file(&format!("output/per_pixel/fractp{suffix}.tif"))?,
            AWY_NODATA,
        ),
        (
            out.file(&format!("output/per_pixel/aet{suffix}.tif"))?,
            AWY_NODATA,
        ),
        (
            out.file(&format!("output/per_pixel/wyield{suffix}.tif"))?,
            AWY_NODATA,
        ),
    ];
    let mut writers = create_f32(&readers[0], &outputs, &options.write)?;
    let mut bio_lookup = RowLookup::new(&bio.codes);
    let mut demand_lookup = demand.as_ref().map(|(codes, _, _)| RowLookup::new(codes));
    let (mut rows, mut scratch) = (Vec::new(), Vec::new());
    let cols = lulc.cols;
    stream_blocks(lulc.rows, &mut writers, |block| {
        let rasters = par_map(&readers, |r| read_block(r, block.clone()))
            .into_iter()
            .collect::<Result<Vec<_>, _>>()?;
        rows.clear();
        bio_lookup.map(&rasters[0].data, rasters[0].nodata, &mut rows);
        if let Some(l) = &mut demand_lookup {
            scratch.clear();
            l.map(&rasters[0].data, rasters[0].nodata, &mut scratch);
        }
        let inputs: Vec<_> = rasters[1..].iter().map(f32_values).collect();
        let cells = AwyCells {
            rows: &rows,
            precip_mm: (&inputs[0].0, &inputs[0].1),
            eto_mm: (&inputs[1].0, &inputs[1].1),
            soil_depth_mm: (&inputs[2].0, &inputs[2].1),
            pawc: (&inputs[3].0, &inputs[3].1),
        };
        let maps = water_yield_maps(&bio, &cells, z);
        let first = block.start * cols..block.end * cols;
        for zones in &mut zone_sets {
            zones.add(first.clone(), |sums, spans| {
                sums.add(&maps, &cells, &kc, demand_values.as_deref(), spans)
            });
        }
        Ok(vec![maps.fractp, maps.aet_mm, maps.wyield_mm])
    })?;
    // Errors in the order InVEST reports them: codes missing from the biophysical table,
    // then from the demand table, then bad watershed fields.
    bio_lookup.finish(&names[0], &bio_path.display().to_string())?;
    if let (Some(l), Some((_, _, p))) = (demand_lookup, &demand) {
        l.finish(&names[0], &p.display().to_string())?;
    }
    let ws_table = zone_sets[0].table(demand.is_some(), valuation.as_ref())?;
    write_text(
        out,
        &format!("output/watershed_results_wyield{suffix}.csv"),
        &ws_table,
    )?;
    if let Some(subs) = zone_sets.get(1) {
        let t = subs.table(demand.is_some(), None)?;
        write_text(
            out,
            &format!("output/subwatershed_results_wyield{suffix}.csv"),
            &t,
        )?;
    }
    finish_all(writers)
}

/// The (sub-)watersheds of one vector: each feature's cells as index ranges sorted in
/// row-major order, a cursor into them, and running sums.
struct Zones<'a> {
    features: &'a [PolygonFeature],
    id_field: &'static str,
    path: &'a Path,
    spans: Vec<Vec<Range<usize>>>,
    next: Vec<usize>,
    sums: Vec<ZoneSums>,
}

impl<'a> Zones<'a> {
    fn new(
        features: &'a [PolygonFeature],
        id_field: &'static str,
        path: &'a Path,
        grid: &crate::io::Raster,
    ) -> Self {
        let spans: Vec<Vec<Range<usize>>> = par_map(features, |f| {
            let mut s = f.cell_spans(grid.rows, grid.cols, &grid.geotransform);
            s.sort_by_key(|r| r.start);
            s
        });
        Self {
            features,
            id_field,
            path,
            next: vec![0; spans.len()],
            sums: vec![ZoneSums::default(); spans.len()],
            spans,
        }
    }

    /// Adds the cells of the block of cell indices `block` to every zone (zones in
    /// parallel; each zone's cells in order).
    fn add(
        &mut self,
        block: Range<usize>,
        f: impl Fn(&mut ZoneSums, &[Range<usize>]) + Sync + Send,
    ) {
        let mut jobs: Vec<(ZoneSums, Vec<Range<usize>>)> = Vec::with_capacity(self.spans.len());
        for (k, spans) in self.spans.iter().enumerate() {
            let mut local = Vec::new();
            while let Some(s) = spans.get(self.next[k]) {
                if s.start >= block.end {
                    break;
                }
                local.push(s.start - block.start..s.end.min(block.end) - block.start);
                self.next[k] += 1;
            }
            jobs.push((self.sums[k], local));
        }
        self.sums = par_map(&jobs, |(sums, local)| {
            let mut sums = *sums;
            if !local.is_empty() {
                f(&mut sums, local);
            }
            sums
        });
    }

    /// The results table (InVEST's columns), with hydropower from `valuation` when given.
    fn table(
        &self,
        demand: bool,
        valuation: Option<&Vec<(i64, Hydropower)>>,
    ) -> Result<String, InvestError> {
        let ids = self
            .features
            .iter()
            .enumerate()
            .map(|(k, f)| feature_id(f, self.id_field, self.path, k))
            .collect::<Result<Vec<_>, _>>()?;
        let hydro = match valuation {
            Some(table) => Some(
                ids.iter()
                    .map(|id| {
                        table
                            .iter()
                            .find(|(w, _)| w == id)
                            .map(|(_, h)| *h)
                            .ok_or_else(|| InvestError::Arg {
                                arg: "valuation_table_path".into(),
                                message: format!(
                                    "ws_id {id} of `{}` is not found in the valuation table",
                                    self.path.display()
                                ),
                            })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => None,
        };
        let results: Vec<ZoneResult> = self
            .features
            .iter()
            .zip(&self.sums)
            .enumerate()
            .map(|(k, (f, sums))| {
                let mut r = sums.result(f.area(), demand);
                if let Some(h) = &hydro {
                    h[k].apply(&mut r);
                }
                r
            })
            .collect();
        Ok(zone_csv(
            self.id_field,
            &ids,
            &results,
            demand,
            hydro.is_some(),
        ))
    }
}

fn write_text(out: &Staging, relative: &str, text: &str) -> Result<(), InvestError> {
    let p = out.file(relative)?;
    std::fs::write(&p, text).map_err(|e| InvestError::Write {
        path: p.display().to_string(),
        message: e.to_string(),
    })
}

fn read_valuation(path: &Path) -> Result<Vec<(i64, Hydropower)>, InvestError> {
    let t = read_table(path)?;
    let ids = t.index_i64("ws_id")?;
    let efficiency = t.column_in_range("efficiency", 0.0, 1.0)?;
    let fraction = t.column_in_range("fraction", 0.0, 1.0)?;
    let height = t.column_f64("height")?;
    let kw_price = t.column_f64("kw_price")?;
    let cost = t.column_f64("cost")?;
    let time_span = t.column_f64("time_span")?;
    let discount = t.column_f64("discount")?;
    Ok((0..ids.len())
        .map(|i| {
            (
                ids[i],
                Hydropower {
                    efficiency: efficiency[i],
                    fraction: fraction[i],
                    height_m: height[i],
                    kw_price: kw_price[i],
                    cost: cost[i],
                    time_span: time_span[i],
                    discount_pct: discount[i],
                },
            )
        })
        .collect())
}

fn feature_id(f: &PolygonFeature, field: &str, path: &Path, k: usize) -> Result<i64, InvestError> {
    let v = f.property(field);
    match v.and_then(Value::as_f64) {
        Some(x) if x.fract() == 0.0 => Ok(x as i64),
        _ => Err(InvestError::Vector {
            path: path.display().to_string(),
            feature: Some(k),
            message: format!("field `{field}` is missing or not an integer ({v:?})"),
        }),
    }
}

fn zone_csv(
    id_field: &str,
    ids: &[i64],
    results: &[ZoneResult],
    demand: bool,
    hydro: bool,
) -> String {
    let mut header = vec![
        id_field,
        "precip_mn",
        "PET_mn",
        "AET_mn",
        "wyield_mn",
        "wyield_vol",
    ];
    if demand {
        header.extend(["consum_vol", "consum_mn", "rsupply_vl", "rsupply_mn"]);
    }
    if hydro {
        header.extend(["hp_energy", "hp_val"]);
    }
    let mut text = header.join(",");
    text.push('\n');
    for (id, r) in ids.iter().zip(results) {
        let mut values = vec![r.precip_mn, r.pet_mn, r.aet_mn, r.wyield_mn, r.wyield_vol];
        if demand {
            values.extend([r.consum_vol, r.consum_mn, r.rsupply_vl, r.rsupply_mn]);
        }
        if hydro {
            values.extend([r.hp_energy, r.hp_val]);
        }
        let _ = write!(text, "{id}");
        for v in values {
            match v {
                Some(x) => {
                    let _ = write!(text, ",{x:.11}");
                }
                None => text.push(','),
            }
        }
        text.push('\n');
    }
    text
}
