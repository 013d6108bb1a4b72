//! [`execute`]: a whole run from a [`RunConfig`] to files — the account as CSV and JSON, and
//! per-cell value maps as GeoTIFF.

use std::ops::Range;
use std::path::PathBuf;

use crate::account::Account;
use crate::error::{GepError, InvestError};
use crate::io::{
    GeoTiffWriter, RasterData, RasterInfo, SampleType, TiffCompression, TiffPredictor, WriteOptions,
};

use super::config::RunConfig;
use super::stream::{run_rasters, MapRequest, MapSink, Progress, MAP_NODATA};

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The account.
    pub account: Account,
    /// Files written (account tables, maps).
    pub files: Vec<PathBuf>,
}

/// Writes a map's rows to a GeoTIFF as they come, and finishes the file after the last row.
struct GeoTiffMap {
    writer: Option<GeoTiffWriter>,
    rows: usize,
    rows_written: usize,
}

impl MapSink for GeoTiffMap {
    fn write_rows(&mut self, rows: Range<usize>, values: &[f32]) -> Result<(), GepError> {
        if let Some(w) = self.writer.as_mut() {
            w.write_rows(&RasterData::F32(values.to_vec()))?;
        }
        self.rows_written += rows.len();
        if self.rows_written == self.rows {
            if let Some(w) = self.writer.take() {
                w.finish()?;
            }
        }
        Ok(())
    }
}

/// Runs the configuration: opens and checks the inputs, computes the account (streamed when
/// the configuration has a `[stream]` section), and writes into the output directory
/// `account.csv` and/or `account.json`, and `<service>_value.tif` for every requested map
/// (currency per cell, NaN nodata, DEFLATE, georeferenced like the land cover), written block
/// by block.
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
    let map_info = RasterInfo {
        width: info.cols,
        height: info.rows,
        geotransform: info.geotransform,
        epsg: info.epsg,
        nodata: Some(f64::from(MAP_NODATA)),
        sample: SampleType::F32,
        block_width: info.cols,
        block_height: 1,
    };
    let map_options = WriteOptions {
        compression: TiffCompression::Deflate,
        predictor: TiffPredictor::FloatingPoint,
        ..WriteOptions::default()
    };
    let mut maps: Vec<MapRequest> = config
        .output
        .maps
        .iter()
        .map(|s| {
            let path = dir.join(format!("{s}_value.tif"));
            let writer = GeoTiffWriter::create(&path, &map_info, &map_options)?;
            files.push(path);
            Ok(MapRequest {
                service: s.clone(),
                sink: Box::new(GeoTiffMap {
                    writer: Some(writer),
                    rows: info.rows,
                    rows_written: 0,
                }),
            })
        })
        .collect::<Result<_, GepError>>()?;
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
