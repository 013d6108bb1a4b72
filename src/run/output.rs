//! [`execute`]: a whole run from a [`RunConfig`] to files — the account as CSV and JSON, and
//! per-cell value maps as GeoTIFF.

use std::ops::Range;
use std::path::PathBuf;

use crate::account::Account;
use crate::error::{GepError, InvestError};
use crate::io::{write_geotiff, Raster, RasterData, WriteOptions};

use super::config::RunConfig;
use super::stream::{run_rasters, MapRequest, MapSink, Progress, MAP_NODATA};
use super::GridInfo;

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The account.
    pub account: Account,
    /// Files written (account tables, maps).
    pub files: Vec<PathBuf>,
}

/// Collects a map's rows and writes the GeoTIFF when the last row arrives.
struct GeoTiffMap {
    path: PathBuf,
    info: GridInfo,
    values: Vec<f32>,
    rows_written: usize,
}

impl MapSink for GeoTiffMap {
    fn write_rows(&mut self, rows: Range<usize>, values: &[f32]) -> Result<(), GepError> {
        let c = self.info.cols;
        self.values[rows.start * c..rows.end * c].copy_from_slice(values);
        self.rows_written += rows.len();
        if self.rows_written == self.info.rows {
            let raster = Raster {
                rows: self.info.rows,
                cols: c,
                geotransform: self.info.geotransform,
                epsg: self.info.epsg,
                nodata: Some(f64::from(MAP_NODATA)),
                data: RasterData::F32(std::mem::take(&mut self.values)),
            };
            write_geotiff(&self.path, &raster, &WriteOptions::default())?;
        }
        Ok(())
    }
}

/// Runs the configuration: opens and checks the inputs, computes the account (streamed when
/// the configuration has a `[stream]` section), and writes into the output directory
/// `account.csv` and/or `account.json`, and `<service>_value.tif` for every requested map
/// (currency per cell, NaN nodata, georeferenced like the land cover).
pub fn execute(
    config: &RunConfig,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<RunReport, GepError> {
    let profile = config.profile()?;
    let mut inputs = config.open_inputs()?;
    let dir = &config.output.dir;
    std::fs::create_dir_all(dir).map_err(|source| GepError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let info = inputs.land_cover.info().clone();
    let mut files = Vec::new();
    let mut maps: Vec<MapRequest> = config
        .output
        .maps
        .iter()
        .map(|s| {
            let path = dir.join(format!("{s}_value.tif"));
            files.push(path.clone());
            MapRequest {
                service: s.clone(),
                sink: Box::new(GeoTiffMap {
                    path,
                    values: vec![MAP_NODATA; info.rows * info.cols],
                    info: info.clone(),
                    rows_written: 0,
                }),
            }
        })
        .collect();
    let account = run_rasters(
        &profile,
        &mut inputs,
        &config.stream_options(),
        &mut maps,
        progress,
    )?;
    let write_err = |p: &PathBuf, e: String| InvestError::Write {
        path: p.display().to_string(),
        message: e,
    };
    for f in &config.output.formats {
        let path = dir.join(format!("account.{f}"));
        if f == "json" {
            let text = account
                .to_json_string()
                .map_err(|e| write_err(&path, e.to_string()))?;
            std::fs::write(&path, text).map_err(|e| write_err(&path, e.to_string()))?;
        } else {
            let file = std::fs::File::create(&path).map_err(|e| write_err(&path, e.to_string()))?;
            account
                .write_csv(std::io::BufWriter::new(file))
                .map_err(|e| write_err(&path, e.to_string()))?;
        }
        files.push(path);
    }
    Ok(RunReport { account, files })
}
