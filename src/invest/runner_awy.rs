//! The Annual Water Yield part of the datastack runner: reads the five rasters, the tables and
//! the watershed vectors, writes `output/per_pixel/{fractp,aet,wyield}.tif` and
//! `output/{watershed,subwatershed}_results_wyield.csv`.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::error::InvestError;
use crate::io::{PolygonFeature, Raster};

use super::awy::{
    water_yield_maps, zone_result, AwyCells, AwyMaps, Biophysical, Hydropower, ZoneResult,
    AWY_NODATA,
};
use super::lookup::{f32_values, row_index};
use super::runner::Staging;
use super::runner::{par_map, read_all, read_table, read_vector, write_all, Args, RunOptions};

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
    let rasters = read_all(&paths)?;
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let lulc = &rasters[0];
    for (r, name) in rasters.iter().zip(&names).skip(1) {
        lulc.check_same_grid(&names[0], r, name)?;
    }
    let rows = row_index(lulc, &bio.codes, &names[0], &bio_path.display().to_string())?;
    // Demand per biophysical-table row (NaN where the demand table has no value). Codes in the
    // raster but not in the demand table are reported first, as InVEST's reclassify does.
    let demand_values: Option<Vec<f32>> = match &demand {
        Some((codes, values, p)) => {
            drop(row_index(lulc, codes, &names[0], &p.display().to_string())?);
            Some(
                bio.codes
                    .iter()
                    .map(|c| {
                        codes
                            .iter()
                            .position(|d| d == c)
                            .map_or(f32::NAN, |k| values[k] as f32)
                    })
                    .collect(),
            )
        }
        None => None,
    };
    let kc: Vec<f32> = bio.kc.iter().map(|&k| k as f32).collect();
    let inputs: Vec<_> = rasters[1..].iter().map(f32_values).collect();
    let cells = AwyCells {
        rows: &rows,
        precip_mm: (&inputs[0].0, &inputs[0].1),
        eto_mm: (&inputs[1].0, &inputs[1].1),
        soil_depth_mm: (&inputs[2].0, &inputs[2].1),
        pawc: (&inputs[3].0, &inputs[3].1),
    };
    let maps = water_yield_maps(&bio, &cells, z);
    let ws_table = zone_table(
        &watersheds,
        "ws_id",
        &ws_path,
        lulc,
        &maps,
        (&cells, &kc),
        demand_values.as_deref(),
        valuation.as_ref(),
    )?;
    write_text(
        out,
        &format!("output/watershed_results_wyield{suffix}.csv"),
        &ws_table,
    )?;
    if let Some((sub, p)) = &sub {
        let t = zone_table(
            sub,
            "subws_id",
            p,
            lulc,
            &maps,
            (&cells, &kc),
            demand_values.as_deref(),
            None,
        )?;
        write_text(
            out,
            &format!("output/subwatershed_results_wyield{suffix}.csv"),
            &t,
        )?;
    }
    drop(inputs);
    let AwyMaps {
        fractp,
        aet_mm,
        wyield_mm,
        ..
    } = maps;
    let outputs = vec![
        (
            out.file(&format!("output/per_pixel/fractp{suffix}.tif"))?,
            fractp,
            AWY_NODATA,
        ),
        (
            out.file(&format!("output/per_pixel/aet{suffix}.tif"))?,
            aet_mm,
            AWY_NODATA,
        ),
        (
            out.file(&format!("output/per_pixel/wyield{suffix}.tif"))?,
            wyield_mm,
            AWY_NODATA,
        ),
    ];
    write_all(lulc, outputs, &options.write)
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

#[allow(clippy::too_many_arguments)]
fn zone_table(
    features: &[PolygonFeature],
    id_field: &str,
    path: &Path,
    grid: &Raster,
    maps: &AwyMaps,
    (inputs, kc): (&AwyCells<'_>, &[f32]),
    demand: Option<&[f32]>,
    valuation: Option<&Vec<(i64, Hydropower)>>,
) -> Result<String, InvestError> {
    let ids = features
        .iter()
        .enumerate()
        .map(|(k, f)| feature_id(f, id_field, path, k))
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
                                path.display()
                            ),
                        })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => None,
    };
    let order: Vec<usize> = (0..features.len()).collect();
    let results: Vec<ZoneResult> = par_map(&order, |&k| {
        let f = &features[k];
        let cells = f.cell_spans(grid.rows, grid.cols, &grid.geotransform);
        let mut r = zone_result(maps, inputs, kc, demand, &cells, f.area());
        if let Some(h) = &hydro {
            h[k].apply(&mut r);
        }
        r
    });
    let mut header = vec![
        id_field,
        "precip_mn",
        "PET_mn",
        "AET_mn",
        "wyield_mn",
        "wyield_vol",
    ];
    if demand.is_some() {
        header.extend(["consum_vol", "consum_mn", "rsupply_vl", "rsupply_mn"]);
    }
    if hydro.is_some() {
        header.extend(["hp_energy", "hp_val"]);
    }
    let mut text = header.join(",");
    text.push('\n');
    for (id, r) in ids.iter().zip(&results) {
        let mut values = vec![r.precip_mn, r.pet_mn, r.aet_mn, r.wyield_mn, r.wyield_vol];
        if demand.is_some() {
            values.extend([r.consum_vol, r.consum_mn, r.rsupply_vl, r.rsupply_mn]);
        }
        if hydro.is_some() {
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
    Ok(text)
}
