//! A deterministic sample of InVEST inputs of any size (feature `invest`): rasters, tables,
//! watershed vectors and the two datastacks, for the example, CI and timing runs.

use std::path::{Path, PathBuf};

use crate::error::InvestError;
use crate::io::{write_geotiff, Raster, RasterData, TiffCompression, TiffPredictor, WriteOptions};

/// Paths of the two datastacks written by [`write_sample_inputs`].
#[derive(Debug, Clone, PartialEq)]
pub struct SampleDatastacks {
    /// The Carbon datastack (`carbon.json`).
    pub carbon: PathBuf,
    /// The Annual Water Yield datastack (`annual_water_yield.json`).
    pub annual_water_yield: PathBuf,
}

/// A small deterministic hash → [0, 1).
fn noise(seed: u64, i: u64) -> f64 {
    let mut x = seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

fn io_err(path: &Path, e: std::io::Error) -> InvestError {
    InvestError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Writes an `n × n` landscape of 30 m cells (UTM 50N) into `dir`: LULC rasters (codes 1–7,
/// nodata 255 at a few cells, Byte tiled LZW + predictor and Int32 striped), precipitation,
/// ET0, soil depth and PAWC (Float32, nodata −9999, some P = 0 cells), the carbon pools,
/// biophysical, demand and valuation tables, two watersheds and five sub-watersheds
/// (GeoJSON), and the two datastacks writing into `dir/workspace_*`.
///
/// At any size (n ≥ 8 keeps them on distinct cells) the sample holds InVEST's edge cases:
/// LULC nodata in both scenarios, in only one of them, a −1 t C/ha change (grass → class 7),
/// P = 0, ET0 = 0, ω capped at 5, a nodata hole in each AWY input, a hydropower discount of
/// 0, and a sub-watershed holding no cell centre.
pub fn write_sample_inputs(dir: &Path, n: usize) -> Result<SampleDatastacks, InvestError> {
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let n = n.max(2);
    let cell = 30.0;
    let (x0, y0) = (400_000.0, 3_000_000.0);
    let gt = [x0, cell, 0.0, y0, 0.0, -cell];
    let raster = |data: RasterData, nodata: Option<f64>| Raster {
        rows: n,
        cols: n,
        geotransform: gt,
        epsg: Some(32650),
        nodata,
        data,
    };
    let idx = |i: usize| ((i / n) as f64 / n as f64, (i % n) as f64 / n as f64);
    let lulc_at = |i: usize, seed: u64| -> u8 {
        let (r, c) = idx(i);
        if noise(seed, i as u64) < 0.001 {
            return 255;
        }
        let band = ((r * 3.0 + c * 2.0 + 0.3 * noise(seed + 1, i as u64)) * 2.0) as u8;
        1 + band % 6
    };
    // One cell at a fixed fraction of the rows and columns, whatever the size.
    let at = |fr: f64, fc: f64| {
        let k = |f: f64| ((f * n as f64) as usize).min(n - 1);
        k(fr) * n + k(fc)
    };
    let mut bas: Vec<u8> = (0..n * n).map(|i| lulc_at(i, 1)).collect();
    // Alternate: 30 % of shrub becomes urban, 30 % of grass becomes degraded grass (class 7,
    // exactly 1 t C/ha less: a change of −1, InVEST's nodata value).
    let mut alt: Vec<i32> = (0..n * n)
        .map(|i| match lulc_at(i, 1) {
            2 if noise(7, i as u64) < 0.3 => 5,
            3 if noise(8, i as u64) < 0.3 => 7,
            v => v as i32,
        })
        .collect();
    // Cases that must exist at any size: LULC nodata in both maps, only in the alternate,
    // only in the baseline.
    for (fr, fc) in [(0.1, 0.1), (0.6, 0.9)] {
        bas[at(fr, fc)] = 255;
        alt[at(fr, fc)] = 255;
    }
    alt[at(0.3, 0.7)] = 255;
    bas[at(0.8, 0.2)] = 255;
    alt[at(0.8, 0.2)] = 4;
    // A forest cell where Zhang's ω is capped at 5 (set up below: P = 300 mm, soil 3000 mm,
    // PAWC 0.3, Z = 5: ω = 5 · 900 / 300 + 1.25 = 16.25).
    let capped = at(0.35, 0.55);
    bas[capped] = 1;
    alt[capped] = 1;
    let tiled = WriteOptions {
        compression: TiffCompression::Lzw,
        predictor: TiffPredictor::Horizontal,
        tile: Some(256),
        ..WriteOptions::default()
    };
    let striped = WriteOptions {
        compression: TiffCompression::Deflate,
        ..WriteOptions::default()
    };
    let float = |seed: u64, lo: f64, hi: f64, zero_frac: f64| -> Vec<f32> {
        (0..n * n)
            .map(|i| {
                let u = noise(seed, i as u64);
                if u < 0.0005 {
                    -9999.0
                } else if u < 0.0005 + zero_frac {
                    0.0
                } else {
                    let (r, c) = idx(i);
                    (lo + (hi - lo) * (0.5 * r + 0.3 * c + 0.2 * noise(seed + 9, i as u64))) as f32
                }
            })
            .collect()
    };
    let mut precip = float(11, 300.0, 2000.0, 0.0005);
    let mut eto = float(12, 600.0, 1400.0, 0.0);
    let mut depth = float(13, 200.0, 3000.0, 0.0);
    let mut pawc = float(14, 0.05, 0.3, 0.0);
    // P = 0 (AWY nodata), a nodata hole in each input, ET0 = 0 (φ = 0), at any size.
    precip[at(0.25, 0.3)] = 0.0;
    precip[at(0.75, 0.75)] = 0.0;
    precip[at(0.4, 0.4)] = -9999.0;
    eto[at(0.45, 0.65)] = -9999.0;
    eto[at(0.55, 0.1)] = 0.0;
    depth[at(0.9, 0.5)] = -9999.0;
    pawc[at(0.15, 0.85)] = -9999.0;
    (precip[capped], depth[capped], pawc[capped]) = (300.0, 3000.0, 0.3);
    let files: Vec<(&str, Raster, &WriteOptions)> = vec![
        (
            "lulc_bas.tif",
            raster(RasterData::U8(bas), Some(255.0)),
            &tiled,
        ),
        (
            "lulc_alt.tif",
            raster(RasterData::I32(alt), Some(255.0)),
            &striped,
        ),
        (
            "precip.tif",
            raster(RasterData::F32(precip), Some(-9999.0)),
            &striped,
        ),
        (
            "eto.tif",
            raster(RasterData::F32(eto), Some(-9999.0)),
            &striped,
        ),
        (
            "depth.tif",
            raster(RasterData::F32(depth), Some(-9999.0)),
            &striped,
        ),
        (
            "pawc.tif",
            raster(RasterData::F32(pawc), Some(-9999.0)),
            &striped,
        ),
    ];
    for (name, r, opts) in &files {
        write_geotiff(dir.join(name), r, opts)?;
    }
    let text_files = [
        (
            "carbon_pools.csv",
            "lucode,LULC_name,C_above,C_below,C_soil,C_dead\n1,forest,140,70,35,12\n2,shrub,40,20,30,4\n3,grass,5,10,40,1\n4,crop,3,2,25,0\n5,urban,0,0,10,0\n6,water,0,0,0,0\n7,degraded grass,5,10,39,1\n",
        ),
        (
            "biophysical.csv",
            "lucode,name,lulc_veg,root_depth,Kc\n1,forest,1,5000,1.0\n2,shrub,1,2000,0.9\n3,grass,1,1500,0.75\n4,crop,1,1000,0.85\n5,urban,0,1,0.3\n6,water,0,1,1.05\n7,degraded grass,1,1200,0.7\n",
        ),
        ("demand.csv", "lucode,demand\n1,0\n2,0\n3,0.5\n4,2.5\n5,8\n6,0\n7,0.5\n"),
        (
            "valuation.csv",
            "ws_id,efficiency,fraction,height,kw_price,cost,time_span,discount\n1,0.8,0.6,25,0.07,0,100,5\n2,0.85,0.7,40,0.07,10000,50,0\n",
        ),
    ];
    for (name, text) in text_files {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| io_err(&p, e))?;
    }
    let nf = n as f64;
    let side = nf * cell;
    let rect = |xa: f64, xb: f64, ya: f64, yb: f64| {
        format!(
            "[[[{xa},{ya}],[{xb},{ya}],[{xb},{yb}],[{xa},{yb}],[{xa},{ya}]]]",
            xa = x0 + xa * side,
            xb = x0 + xb * side,
            ya = y0 - ya * side,
            yb = y0 - yb * side
        )
    };
    // The legacy `crs` member: without it GDAL (and so InVEST) takes GeoJSON coordinates as
    // WGS 84 longitudes/latitudes and the watersheds miss the rasters.
    const CRS: &str =
        r#""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32650"}}"#;
    let collection = |field: &str, parts: &[(i64, String)]| {
        let features: Vec<String> = parts
            .iter()
            .map(|(id, coords)| {
                format!(
                    "{{\"type\":\"Feature\",\"properties\":{{\"{field}\":{id}}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":{coords}}}}}"
                )
            })
            .collect();
        format!(
            "{{\"type\":\"FeatureCollection\",{CRS},\"features\":[{}]}}\n",
            features.join(",")
        )
    };
    let ws = collection(
        "ws_id",
        &[
            (1, rect(0.0, 0.55, 0.0, 1.0)),
            (2, rect(0.55, 1.0, 0.0, 1.0)),
        ],
    );
    let sub = collection(
        "subws_id",
        &[
            (1, rect(0.0, 0.55, 0.0, 0.4)),
            (2, rect(0.0, 0.55, 0.4, 1.0)),
            (3, rect(0.55, 1.0, 0.0, 0.7)),
            (4, rect(0.55, 1.0, 0.7, 1.0)),
            // Inside one cell, away from its centre: InVEST falls back to its bounding box.
            (5, rect(2.1 / nf, 2.4 / nf, 2.1 / nf, 2.4 / nf)),
        ],
    );
    for (name, text) in [("watersheds.geojson", ws), ("subwatersheds.geojson", sub)] {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| io_err(&p, e))?;
    }
    let carbon = dir.join("carbon.json");
    let carbon_json = r#"{"model_id": "carbon", "args": {
  "workspace_dir": "workspace_carbon", "lulc_bas_path": "lulc_bas.tif",
  "lulc_alt_path": "lulc_alt.tif", "carbon_pools_path": "carbon_pools.csv",
  "calc_sequestration": true, "do_valuation": true, "lulc_bas_year": 2020,
  "lulc_alt_year": 2030, "price_per_metric_ton_of_c": 43, "discount_rate": 7,
  "rate_change": 0, "results_suffix": ""}}
"#;
    std::fs::write(&carbon, carbon_json).map_err(|e| io_err(&carbon, e))?;
    let awy = dir.join("annual_water_yield.json");
    let awy_json = r#"{"model_id": "annual_water_yield", "args": {
  "workspace_dir": "workspace_awy", "lulc_path": "lulc_bas.tif",
  "precipitation_path": "precip.tif", "eto_path": "eto.tif",
  "depth_to_root_rest_layer_path": "depth.tif", "pawc_path": "pawc.tif",
  "biophysical_table_path": "biophysical.csv", "seasonality_constant": 5,
  "watersheds_path": "watersheds.geojson", "sub_watersheds_path": "subwatersheds.geojson",
  "demand_table_path": "demand.csv", "valuation_table_path": "valuation.csv",
  "results_suffix": ""}}
"#;
    std::fs::write(&awy, awy_json).map_err(|e| io_err(&awy, e))?;
    Ok(SampleDatastacks {
        carbon,
        annual_water_yield: awy,
    })
}
