//! The raster runner: the account of rasters read by row blocks, in bounded memory.
//!
//! Each block of rows is read from every layer (with halo rows when a service needs
//! neighbours), checked and masked, built into a block [`Landscape`](crate::landscape::Landscape) on the block's grid, and
//! accounted with [`Engine::run_raw_units`] on its own rows; block accounts are merged in block
//! order (so the result does not depend on the thread count) and finished once with the
//! region statistics. Reading block k + 1 overlaps the accounting of block k.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::account::{Account, Coverage, Engine, LayerCoverage, DEFAULT_CHUNK_UNITS};
use crate::error::{GepError, RunError};
use crate::io::{is_nodata_f, RasterData};
use crate::landscape::{Classification, GridShape, LandscapeBuilder, RegionStats, Regions};
use crate::profile::Profile;
use crate::services::{LsSource, RoughnessSource};

use super::align::check_aligned;
use super::source::RowSource;

/// Nodata value of per-cell value maps (NaN: no value can be mistaken for it).
pub const MAP_NODATA: f32 = f32::NAN;

/// Where a run is: rows accounted so far of all rows, and the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Rows accounted so far.
    pub rows_done: usize,
    /// Rows of the grid.
    pub rows_total: usize,
    /// What the run is doing.
    pub stage: Stage,
}

/// Stage of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// Reading and accounting row blocks.
    Accounting,
    /// Region-level finishing (caps, region statistics), after the last block.
    Finishing,
    /// Done.
    Done,
}

/// How cells with nodata in some layers are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodataMask {
    /// A cell with nodata in any layer is left out of every service (counted as `masked` in
    /// the [`Coverage`]), so all services account the same cells.
    #[default]
    Mutual,
    /// Each service skips the cells where one of *its* layers is nodata (tallied per service
    /// and layer), as an in-memory [`Landscape`](crate::landscape::Landscape) run does.
    PerLayer,
}

/// The region raster: integer codes, and the region index of each code.
pub struct RegionRaster {
    /// The raster of region codes.
    pub source: Box<dyn RowSource>,
    /// `(code, region index)` pairs; cells with a code not listed are an error, cells with the
    /// raster's nodata are outside every region.
    pub codes: Vec<(i64, u32)>,
    /// Where the codes are listed, for messages.
    pub table: String,
}

/// The rasters and tables of one landscape.
pub struct RasterInputs {
    /// Land-cover codes (integers; the raster's nodata is land-cover nodata).
    pub land_cover: Box<dyn RowSource>,
    /// The region of each cell; `None`: every cell is in region 0.
    pub regions: Option<RegionRaster>,
    /// Named layers (`precip_mm`), f32 in the landscape.
    pub layers: Vec<(String, Box<dyn RowSource>)>,
    /// Land-cover classification.
    pub classification: Classification,
    /// Where the classification comes from, for messages.
    pub classification_source: String,
    /// The regions.
    pub region_list: Regions,
    /// Statistics per region.
    pub region_stats: RegionStats,
}

impl RasterInputs {
    /// Checks that every raster lies on the land cover's grid ([`check_aligned`]).
    pub fn check_alignment(&self) -> Result<(), RunError> {
        let reference = self.land_cover.info();
        let rpath = self.land_cover.path();
        if let Some(r) = &self.regions {
            check_aligned(rpath, reference, r.source.path(), r.source.info())?;
        }
        for (_, s) in &self.layers {
            check_aligned(rpath, reference, s.path(), s.info())?;
        }
        Ok(())
    }
}

/// Settings of a raster run.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamOptions {
    /// Memory budget for the blocks in flight, MB (10⁶ bytes); sets the block height.
    pub memory_mb: u64,
    /// Rows per block; overrides `memory_mb` when set. `usize::MAX`: the whole grid at once.
    pub block_rows: Option<usize>,
    /// Nodata treatment.
    pub mask: NodataMask,
    /// Engine chunk size in units (see [`Engine::chunk_units`]).
    pub chunk_units: usize,
}

impl Default for StreamOptions {
    /// 1024 MB, block height from the budget, mutual masking, the engine's default chunks.
    fn default() -> Self {
        Self {
            memory_mb: 1024,
            block_rows: None,
            mask: NodataMask::Mutual,
            chunk_units: DEFAULT_CHUNK_UNITS,
        }
    }
}

/// Receives the rows of a per-cell value map, block by block, in row order.
pub trait MapSink: Send {
    /// Values (currency per cell, [`MAP_NODATA`] where the service skipped the cell) of rows
    /// `rows`, row-major.
    fn write_rows(&mut self, rows: Range<usize>, values: &[f32]) -> Result<(), GepError>;
}

/// A per-cell value map asked of a run: the service, and where its rows go.
pub struct MapRequest {
    /// Service id (an additive service of the profile).
    pub service: String,
    /// Receives the rows.
    pub sink: Box<dyn MapSink>,
}

/// Bytes per cell held for one block (raw decode ≤ 8 bytes plus the f32 column per layer;
/// codes, class and region index for land cover and regions; derived columns), before the
/// safety factor.
fn bytes_per_cell(n_layers: usize, n_maps: usize) -> u64 {
    12 * n_layers as u64 + 14 + 12 + 1 + 16 + 8 * n_maps as u64
}

/// Two blocks are in flight (one read, one accounted), and allocator slack: × 2 × 1.5.
const SAFETY_NUM: u64 = 3;

/// Rows per block for a memory budget: never depends on the raster's height.
pub fn block_rows_for(
    memory_mb: u64,
    cols: usize,
    n_layers: usize,
    n_maps: usize,
    halo: usize,
) -> Result<usize, RunError> {
    let per_row = bytes_per_cell(n_layers, n_maps) * SAFETY_NUM * cols as u64;
    let rows = (memory_mb.saturating_mul(1_000_000) / per_row.max(1)) as usize;
    if rows <= 2 * halo {
        return Err(RunError::MemoryTooSmall {
            memory_mb,
            cols,
            bytes_per_row: per_row,
            halo,
        });
    }
    Ok(rows - 2 * halo)
}

/// What the services of `profile` need around a block: halo rows, or the whole grid.
fn neighbourhood(profile: &Profile) -> (usize, Option<(&'static str, String)>) {
    let has = |id: &str| profile.services.iter().any(|s| s == id);
    let mut halo = 0;
    let mut whole = None;
    if has("sand_fixation")
        && profile.params.sand_fixation.roughness == RoughnessSource::CosSlopeFromDem
    {
        halo = 1;
    }
    if has("soil_conservation") && profile.params.soil_conservation.ls_source == LsSource::FromDem {
        whole = Some((
            "soil_conservation",
            "its LS factor from `dem_m` needs flow accumulation over the whole grid; give an `ls_1` layer and set `soil_conservation.ls_source = \"layer\"` in the parameters, or run in memory (no `[stream]` section)".to_string(),
        ));
    }
    (halo, whole)
}

struct RawBlock {
    rows: Range<usize>,
    land_cover: RasterData,
    regions: Option<RasterData>,
    layers: Vec<RasterData>,
}

struct BlockResult {
    account: Account,
    maps: Vec<Vec<f32>>,
}

/// The account of `profile` on raster inputs, read block by block.
///
/// The rasters must be aligned ([`RasterInputs::check_alignment`] is called first). The
/// account carries the profile's run record and the [`Coverage`]. `progress` is called after
/// every block with monotone `rows_done`, and once at the end; the library never prints.
///
/// # Errors
/// Misaligned rasters, codes not in the classification or region table, infinite layer
/// values ([`RunError`]); a service that needs the whole grid when the grid is cut into
/// several blocks ([`RunError::NotStreamable`]); a budget too small for a block; and the
/// errors of the services.
pub fn run_rasters(
    profile: &Profile,
    inputs: &mut RasterInputs,
    options: &StreamOptions,
    maps: &mut [MapRequest],
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Account, GepError> {
    inputs.check_alignment()?;
    let services = profile.build_services()?;
    let engine = Engine::new(&services).chunk_units(options.chunk_units);
    let info = inputs.land_cover.info().clone();
    let (rows_total, cols) = (info.rows, info.cols);
    let mut grid = GridShape::with_geotransform(rows_total, cols, info.geotransform)?;
    if let Some(e) = info.epsg {
        grid = grid.with_epsg(e);
    }
    let (halo, whole) = neighbourhood(profile);
    let block_rows = match options.block_rows {
        Some(0) => {
            return Err(RunError::MemoryTooSmall {
                memory_mb: options.memory_mb,
                cols,
                bytes_per_row: 0,
                halo,
            }
            .into())
        }
        Some(b) => b,
        None => block_rows_for(
            options.memory_mb,
            cols,
            inputs.layers.len(),
            maps.len(),
            halo,
        )?,
    }
    .min(rows_total);
    if block_rows < rows_total {
        if let Some((service, reason)) = whole {
            return Err(RunError::NotStreamable {
                service: service.into(),
                reason,
            }
            .into());
        }
    }
    let n_blocks = rows_total.div_ceil(block_rows);
    let read_range = |k: usize| {
        let r0 = k * block_rows;
        let r1 = (r0 + block_rows).min(rows_total);
        (r0..r1, r0.saturating_sub(halo)..(r1 + halo).min(rows_total))
    };

    let RasterInputs {
        land_cover,
        regions,
        layers,
        classification,
        classification_source,
        region_list,
        region_stats,
    } = inputs;
    let (region_source, region_codes) = match regions {
        Some(r) => (
            Some((&mut r.source, r.table.as_str())),
            Some(CodeTable::new(&r.codes)),
        ),
        None => (None, None),
    };
    let region_source_path = region_source
        .as_ref()
        .map(|(s, t)| (s.path().to_string(), s.info().nodata, t.to_string()));
    let (layer_names, mut layer_sources): (Vec<&String>, Vec<&mut Box<dyn RowSource>>) =
        layers.iter_mut().map(|(n, s)| (&*n, s)).unzip();
    let mut region_source = region_source.map(|(s, _)| s);
    let ctx = BlockContext {
        grid: &grid,
        classification,
        classification_source,
        region_list,
        region_stats,
        region_codes: region_codes.as_ref(),
        region_meta: region_source_path.as_ref(),
        land_cover_path: land_cover.path().to_string(),
        land_cover_nodata: land_cover.info().nodata,
        layer_meta: layer_names
            .iter()
            .zip(&layer_sources)
            .map(|(n, s)| ((*n).clone(), s.path().to_string(), s.info().nodata))
            .collect(),
        mask: options.mask,
        engine: &engine,
        map_services: maps.iter().map(|m| m.service.clone()).collect(),
    };

    let mut read = |k: usize| -> Result<RawBlock, GepError> {
        let (own, range) = read_range(k);
        Ok(RawBlock {
            rows: own,
            land_cover: land_cover.read_rows(range.clone())?,
            regions: match region_source.as_mut() {
                Some(s) => Some(s.read_rows(range.clone())?),
                None => None,
            },
            layers: layer_sources
                .iter_mut()
                .map(|s| s.read_rows(range.clone()))
                .collect::<Result<_, _>>()?,
        })
    };

    let mut total: Option<Account> = None;
    let mut coverage = Coverage::default();
    let mut current = read(0)?;
    for k in 0..n_blocks {
        let block_range = read_range(k).1;
        let (next, result) = if k + 1 < n_blocks {
            let (next, result) = join(|| read(k + 1), || ctx.account(&current, block_range));
            (Some(next?), result?)
        } else {
            (None, ctx.account(&current, block_range)?)
        };
        let (result, cov) = result;
        for (req, values) in maps.iter_mut().zip(&result.maps) {
            req.sink.write_rows(current.rows.clone(), values)?;
        }
        coverage.merge(&cov);
        total = Some(match total {
            None => result.account,
            Some(t) => t.merge(&result.account)?,
        });
        progress(Progress {
            rows_done: current.rows.end,
            rows_total,
            stage: Stage::Accounting,
        });
        if let Some(n) = next {
            current = n;
        }
    }
    progress(Progress {
        rows_done: rows_total,
        rows_total,
        stage: Stage::Finishing,
    });
    let raw = total.ok_or(RunError::MemoryTooSmall {
        memory_mb: options.memory_mb,
        cols,
        bytes_per_row: 0,
        halo,
    })?;
    let account = engine.finish(raw, ctx.region_stats)?;
    let account = profile.record_run(account)?.with_coverage(coverage);
    progress(Progress {
        rows_done: rows_total,
        rows_total,
        stage: Stage::Done,
    });
    Ok(account)
}

/// Code → region index, dense when the codes span a small range.
struct CodeTable {
    min: i64,
    dense: Option<Vec<u32>>,
    sorted: Vec<(i64, u32)>,
}

const NO_REGION: u32 = u32::MAX;

impl CodeTable {
    fn new(codes: &[(i64, u32)]) -> Self {
        let mut sorted = codes.to_vec();
        sorted.sort_unstable();
        let min = sorted.first().map_or(0, |c| c.0);
        let max = sorted.last().map_or(0, |c| c.0);
        let dense = (max - min < 1 << 20).then(|| {
            let mut d = vec![NO_REGION; (max - min + 1) as usize];
            for &(c, i) in &sorted {
                d[(c - min) as usize] = i;
            }
            d
        });
        Self { min, dense, sorted }
    }

    #[inline]
    fn get(&self, code: i64) -> Option<u32> {
        match &self.dense {
            Some(d) => code
                .checked_sub(self.min)
                .and_then(|o| usize::try_from(o).ok())
                .and_then(|o| d.get(o))
                .copied()
                .filter(|&i| i != NO_REGION),
            None => self
                .sorted
                .binary_search_by_key(&code, |c| c.0)
                .ok()
                .map(|k| self.sorted[k].1),
        }
    }
}

struct BlockContext<'a> {
    grid: &'a GridShape,
    classification: &'a Classification,
    classification_source: &'a str,
    region_list: &'a Regions,
    region_stats: &'a RegionStats,
    region_codes: Option<&'a CodeTable>,
    /// (path, nodata, table).
    region_meta: Option<&'a (String, Option<f64>, String)>,
    land_cover_path: String,
    land_cover_nodata: Option<f64>,
    /// (name, path, nodata).
    layer_meta: Vec<(String, String, Option<f64>)>,
    mask: NodataMask,
    engine: &'a Engine<'a>,
    map_services: Vec<String>,
}

/// Land-cover code given to masked and nodata cells in block landscapes.
const LC_NODATA: i32 = i32::MIN;

impl BlockContext<'_> {
    fn account(
        &self,
        raw: &RawBlock,
        range: Range<usize>,
    ) -> Result<(BlockResult, Coverage), GepError> {
        let cols = self.grid.cols();
        let n = range.len() * cols;
        let own = (raw.rows.start - range.start) * cols..(raw.rows.end - range.start) * cols;
        let cell = |i: usize| ((range.start + i / cols), i % cols);
        let in_own = |i: usize| own.contains(&i);

        // Land cover → codes, checked against the classification.
        let lc = raw.land_cover.to_f64();
        let mut codes = vec![LC_NODATA; n];
        for (i, (&v, c)) in lc.iter().zip(codes.iter_mut()).enumerate() {
            let nodata = self
                .land_cover_nodata
                .is_some_and(|nd| v == nd || (raw.land_cover.is_float() && is_nodata_f(v, nd)));
            if nodata || v.is_nan() {
                continue;
            }
            let known = v.fract() == 0.0
                && v >= i32::MIN as f64
                && v <= i32::MAX as f64
                && self.classification.index_of(v as i32).is_some();
            if !known {
                let (row, col) = cell(i);
                return Err(RunError::UnknownCode {
                    path: self.land_cover_path.clone(),
                    row,
                    col,
                    what: "land-cover",
                    code: v as i64,
                    table: self.classification_source.into(),
                }
                .into());
            }
            *c = v as i32;
        }
        drop(lc);
        let mut cov = Coverage {
            cells: own.len() as u64,
            ..Coverage::default()
        };
        let lc_valid = codes[own.clone()]
            .iter()
            .filter(|&&c| c != LC_NODATA)
            .count() as u64;
        cov.layers.push(LayerCoverage {
            name: "land_cover".into(),
            path: self.land_cover_path.clone(),
            cells: own.len() as u64,
            valid: lc_valid,
            nodata: own.len() as u64 - lc_valid,
        });
        cov.land_cover_nodata = own.len() as u64 - lc_valid;

        // Regions.
        let mut region = vec![0u32; n];
        if let (Some(data), Some(table), Some((path, nodata, table_name))) =
            (&raw.regions, self.region_codes, self.region_meta)
        {
            let vals = data.to_f64();
            let mut valid = 0u64;
            for (i, (&v, r)) in vals.iter().zip(region.iter_mut()).enumerate() {
                let is_nd = v.is_nan()
                    || nodata.is_some_and(|nd| v == nd || (data.is_float() && is_nodata_f(v, nd)));
                if is_nd {
                    if codes[i] != LC_NODATA && in_own(i) {
                        cov.region_nodata += 1;
                    }
                    codes[i] = LC_NODATA;
                    continue;
                }
                let idx = (v.fract() == 0.0).then(|| table.get(v as i64)).flatten();
                match idx {
                    Some(x) => {
                        *r = x;
                        valid += in_own(i) as u64;
                    }
                    None => {
                        let (row, col) = cell(i);
                        return Err(RunError::UnknownCode {
                            path: path.clone(),
                            row,
                            col,
                            what: "region",
                            code: v as i64,
                            table: table_name.clone(),
                        }
                        .into());
                    }
                }
            }
            cov.layers.push(LayerCoverage {
                name: "regions".into(),
                path: path.clone(),
                cells: own.len() as u64,
                valid,
                nodata: own.len() as u64 - valid,
            });
        }

        // Layers → f32 with NaN for nodata.
        let mut columns: Vec<Vec<f32>> = Vec::with_capacity(raw.layers.len());
        let mut any_nodata = vec![
            false;
            if self.mask == NodataMask::Mutual {
                n
            } else {
                0
            }
        ];
        for (data, (_, path, nodata)) in raw.layers.iter().zip(&self.layer_meta) {
            let mut v = data.to_f32();
            let float = data.is_float();
            let mut invalid = 0u64;
            for (i, x) in v.iter_mut().enumerate() {
                let nd = x.is_nan()
                    || nodata.is_some_and(|nd| {
                        if float {
                            is_nodata_f(f64::from(*x), nd)
                        } else {
                            f64::from(*x) == nd
                        }
                    });
                if nd {
                    *x = f32::NAN;
                    invalid += in_own(i) as u64;
                    if let Some(m) = any_nodata.get_mut(i) {
                        *m = true;
                    }
                } else if !x.is_finite() {
                    let (row, col) = cell(i);
                    return Err(RunError::NonFinite {
                        path: path.clone(),
                        row,
                        col,
                        value: *x,
                    }
                    .into());
                }
            }
            let (name, path, _) = &self.layer_meta[columns.len()];
            cov.layers.push(LayerCoverage {
                name: name.clone(),
                path: path.clone(),
                cells: own.len() as u64,
                valid: own.len() as u64 - invalid,
                nodata: invalid,
            });
            columns.push(v);
        }
        for (i, &m) in any_nodata.iter().enumerate() {
            if m && codes[i] != LC_NODATA {
                codes[i] = LC_NODATA;
                cov.masked += in_own(i) as u64;
            }
        }
        cov.used = cov.cells - cov.land_cover_nodata - cov.region_nodata - cov.masked;

        let mut builder =
            LandscapeBuilder::new(self.classification.clone(), self.region_list.clone())
                .grid(self.grid.row_block(range.start, range.end)?)
                .land_cover(codes.into())
                .land_cover_nodata(LC_NODATA)
                .region(region.into())
                .region_stats(self.region_stats.clone());
        for ((name, _, _), values) in self.layer_meta.iter().zip(columns) {
            builder = builder.layer(name.clone(), values.into(), Some(f32::NAN));
        }
        let landscape = builder.build()?;
        let account = self.engine.run_raw_units(&landscape, own.clone())?;
        let mut maps = Vec::with_capacity(self.map_services.len());
        for service in &self.map_services {
            let mut out = vec![0.0f32; own.len()];
            self.engine
                .unit_values(&landscape, own.clone(), service, MAP_NODATA, &mut out)?;
            maps.push(out);
        }
        Ok((BlockResult { account, maps }, cov))
    }
}

#[cfg(feature = "parallel")]
fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    rayon::join(a, b)
}

#[cfg(not(feature = "parallel"))]
fn join<A, B>(a: impl FnOnce() -> A, b: impl FnOnce() -> B) -> (A, B) {
    (a(), b())
}
