//! Running an InVEST datastack (`{"model_id": …, "args": {…}}`) from files to InVEST's output
//! files (feature `invest`). Outputs are written into a temporary folder inside the workspace
//! and moved to their InVEST names only when everything succeeded, so a failed run never
//! leaves a workspace that looks complete.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::InvestError;
use crate::io::{read_polygons, GeoTiffReader, GeoTiffWriter, PolygonFeature, WriteOptions};
use crate::io::{
    Raster, RasterData, RasterInfo, SampleType, Table, TiffCompression, TiffPredictor,
};

use super::carbon::{CarbonPools, CarbonStream, CarbonValuation, NPV_NODATA};
use super::lookup::RowLookup;
use super::Compat;

/// Rows per block of the streamed runs: inputs are decoded, computed on and written block by
/// block, so memory holds a few blocks instead of whole rasters. A multiple of the usual tile
/// (256) and strip (64, 128, 256) heights, so blocks do not split chunks.
pub(crate) const BLOCK_ROWS: usize = 256;

/// Options of a run that InVEST does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// Reproduce InVEST's quirks (default) or correct them.
    pub compat: Compat,
    /// Compression and layout of the written rasters.
    pub write: WriteOptions,
}

impl Default for RunOptions {
    /// InVEST-compatible numbers; striped DEFLATE rasters with the floating-point predictor
    /// (3), which halves both the file size and the time to compress them; GDAL reads them.
    fn default() -> Self {
        Self {
            compat: Compat::Invest,
            write: WriteOptions {
                compression: TiffCompression::Deflate,
                predictor: TiffPredictor::Auto,
                ..WriteOptions::default()
            },
        }
    }
}

/// Runs the datastack at `datastack` and returns the paths of the files written (final names).
/// Relative paths in `args` are taken relative to the datastack's folder, as InVEST does.
pub fn run_datastack(
    datastack: impl AsRef<Path>,
    options: &RunOptions,
) -> Result<Vec<PathBuf>, InvestError> {
    let path = datastack.as_ref();
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| InvestError::Read {
        path: name.clone(),
        message: e.to_string(),
    })?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| InvestError::Read {
        path: name.clone(),
        message: format!("not valid JSON: {e}"),
    })?;
    let model = doc.get("model_id").and_then(Value::as_str).unwrap_or("");
    let args = doc
        .get("args")
        .and_then(Value::as_object)
        .ok_or_else(|| InvestError::Arg {
            arg: "args".into(),
            message: format!("`{name}` has no `args` object"),
        })?;
    let args = Args {
        map: args,
        base: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
    };
    let workspace = args.path("workspace_dir")?;
    std::fs::create_dir_all(&workspace).map_err(|e| InvestError::Write {
        path: workspace.display().to_string(),
        message: e.to_string(),
    })?;
    let staging = Staging::new(&workspace)?;
    let result = match model {
        "carbon" => run_carbon(&args, &staging, options),
        "annual_water_yield" => super::runner_awy::run_awy(&args, &staging, options),
        other => Err(InvestError::Arg {
            arg: "model_id".into(),
            message: format!(
                "`{other}` is not supported (expected `carbon` or `annual_water_yield`)"
            ),
        }),
    };
    match result {
        Ok(()) => staging.commit(),
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// The datastack's `args`, with paths resolved against the datastack's folder.
pub(crate) struct Args<'a> {
    map: &'a Map<String, Value>,
    base: PathBuf,
}

impl Args<'_> {
    fn missing(key: &str) -> InvestError {
        InvestError::Arg {
            arg: key.into(),
            message: "is required but missing or empty".into(),
        }
    }

    fn get(&self, key: &str) -> Option<&Value> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(v) => Some(v),
        }
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub(crate) fn path(&self, key: &str) -> Result<PathBuf, InvestError> {
        let v = self.get(key).ok_or_else(|| Self::missing(key))?;
        let s = v.as_str().ok_or_else(|| InvestError::Arg {
            arg: key.into(),
            message: format!("expected a path, found {v}"),
        })?;
        let p = Path::new(s);
        Ok(if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base.join(p)
        })
    }

    pub(crate) fn number(&self, key: &str) -> Result<f64, InvestError> {
        let v = self.get(key).ok_or_else(|| Self::missing(key))?;
        let n = match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        n.filter(|x| x.is_finite()).ok_or_else(|| InvestError::Arg {
            arg: key.into(),
            message: format!("expected a number, found {v}"),
        })
    }

    pub(crate) fn integer(&self, key: &str) -> Result<i64, InvestError> {
        let x = self.number(key)?;
        if x.fract() != 0.0 {
            return Err(InvestError::Arg {
                arg: key.into(),
                message: format!("expected an integer, found {x}"),
            });
        }
        Ok(x as i64)
    }

    pub(crate) fn flag(&self, key: &str) -> bool {
        match self.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => matches!(s.trim().to_lowercase().as_str(), "true" | "1"),
            Some(Value::Number(n)) => n.as_f64().is_some_and(|x| x != 0.0),
            _ => false,
        }
    }

    /// `results_suffix` as InVEST appends it: `_suffix`, or nothing.
    pub(crate) fn suffix(&self) -> String {
        match self.get("results_suffix").and_then(Value::as_str) {
            Some(s) if s.starts_with('_') => s.to_string(),
            Some(s) => format!("_{s}"),
            None => String::new(),
        }
    }
}

/// A temporary folder in the workspace holding outputs until the run succeeds.
pub(crate) struct Staging {
    workspace: PathBuf,
    dir: PathBuf,
}

impl Staging {
    fn new(workspace: &Path) -> Result<Self, InvestError> {
        let dir = workspace.join(format!(".gep_partial_{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| InvestError::Write {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        Ok(Self {
            workspace: workspace.to_path_buf(),
            dir,
        })
    }

    /// The staging path of output `relative` (e.g. `output/per_pixel/aet.tif`).
    pub(crate) fn file(&self, relative: &str) -> Result<PathBuf, InvestError> {
        let p = self.dir.join(relative);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| InvestError::Write {
                path: parent.display().to_string(),
                message: e.to_string(),
            })?;
        }
        Ok(p)
    }

    fn commit(self) -> Result<Vec<PathBuf>, InvestError> {
        let mut moved = Vec::new();
        let mut stack = vec![self.dir.clone()];
        let mut files = Vec::new();
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d).map_err(|e| InvestError::Write {
                path: d.display().to_string(),
                message: e.to_string(),
            })?;
            for entry in entries.flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    files.push(p);
                }
            }
        }
        files.sort();
        for f in files {
            let rel = f.strip_prefix(&self.dir).unwrap_or(&f);
            let target = self.workspace.join(rel);
            let werr = |e: std::io::Error| InvestError::Write {
                path: target.display().to_string(),
                message: e.to_string(),
            };
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(werr)?;
            }
            std::fs::rename(&f, &target).map_err(werr)?;
            moved.push(target);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(moved)
    }

    fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Maps `f` over `items`, in parallel with the `parallel` feature; results keep their order.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        items.iter().map(f).collect()
    }
}

/// Opens the rasters at `paths` and checks that they share the grid of the first.
pub(crate) fn open_all(paths: &[PathBuf]) -> Result<Vec<GeoTiffReader>, InvestError> {
    let readers = par_map(paths, |p| GeoTiffReader::open(p))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let first = grid(&readers[0]);
    for r in &readers[1..] {
        first.check_same_grid(
            &readers[0].path().display().to_string(),
            &grid(r),
            &r.path().display().to_string(),
        )?;
    }
    Ok(readers)
}

/// The grid of an open raster, as a [`Raster`] without cells.
pub(crate) fn grid(reader: &GeoTiffReader) -> Raster {
    let i = reader.info();
    Raster {
        rows: i.height,
        cols: i.width,
        geotransform: i.geotransform,
        epsg: i.epsg,
        nodata: i.nodata,
        data: RasterData::U8(Vec::new()),
    }
}

/// Rows `rows` of `reader` as a [`Raster`] of those rows (same nodata).
pub(crate) fn read_block(
    reader: &GeoTiffReader,
    rows: std::ops::Range<usize>,
) -> Result<Raster, InvestError> {
    let i = reader.info();
    Ok(Raster {
        rows: rows.len(),
        cols: i.width,
        geotransform: i.geotransform,
        epsg: i.epsg,
        nodata: i.nodata,
        data: reader.read_rows(rows)?,
    })
}

/// Creates f32 GeoTIFF writers on the grid of `like`, one per `(path, nodata)`.
pub(crate) fn create_f32(
    like: &GeoTiffReader,
    outputs: &[(PathBuf, f32)],
    options: &WriteOptions,
) -> Result<Vec<GeoTiffWriter>, InvestError> {
    outputs
        .iter()
        .map(|(p, nd)| {
            let info = RasterInfo {
                sample: SampleType::F32,
                nodata: Some(*nd as f64),
                ..like.info().clone()
            };
            GeoTiffWriter::create(p, &info, options)
        })
        .collect()
}

/// One block of each map, compressed by [`compress_blocks`] and not yet written.
pub(crate) struct Compressed {
    blocks: Vec<RasterData>,
    /// Per writer, the block's compressed chunks in order (`None`: written by `write_rows`).
    chunks: Vec<Option<Vec<Vec<u8>>>>,
}

/// Compresses one block of each map for its writer: the chunks of all writers as one flat
/// parallel set. Only reads the writers, so it can run while the next block is computed.
pub(crate) fn compress_blocks(
    writers: &[GeoTiffWriter],
    blocks: Vec<Vec<f32>>,
) -> Result<Compressed, InvestError> {
    let blocks: Vec<RasterData> = blocks.into_iter().map(RasterData::F32).collect();
    let mut jobs = Vec::new();
    let mut direct = Vec::with_capacity(writers.len());
    for (k, (w, b)) in writers.iter().zip(&blocks).enumerate() {
        let n = w.direct_chunks(b)?;
        jobs.extend((0..n.unwrap_or(0)).map(|j| (k, j)));
        direct.push(n.is_some());
    }
    let mut done = par_map(&jobs, |&(k, j)| {
        writers[k].compress_chunk(&blocks[k], j, &mut Vec::new())
    })
    .into_iter();
    let mut chunks = Vec::with_capacity(writers.len());
    for (k, is_direct) in direct.into_iter().enumerate() {
        chunks.push(if is_direct {
            let n = jobs.iter().filter(|&&(w, _)| w == k).count();
            Some(done.by_ref().take(n).collect::<Result<Vec<_>, _>>()?)
        } else {
            None
        });
    }
    Ok(Compressed { blocks, chunks })
}

/// Writes blocks compressed by [`compress_blocks`] with the same `writers`.
pub(crate) fn append_blocks(
    writers: &mut [GeoTiffWriter],
    c: Compressed,
) -> Result<(), InvestError> {
    for ((w, b), chunks) in writers.iter_mut().zip(&c.blocks).zip(&c.chunks) {
        match chunks {
            Some(chunks) => w.append(b, chunks)?,
            None => w.write_rows(b)?,
        }
    }
    Ok(())
}

/// Runs `a` and `b`, in parallel with the `parallel` feature.
pub(crate) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    #[cfg(feature = "parallel")]
    {
        rayon::join(a, b)
    }
    #[cfg(not(feature = "parallel"))]
    {
        (a(), b())
    }
}

/// Streams the blocks of `rows` rows: `compute` gives each block's maps, which are
/// compressed while the next block is computed (a two-stage pipeline) and written in order.
pub(crate) fn stream_blocks(
    rows: usize,
    writers: &mut [GeoTiffWriter],
    mut compute: impl FnMut(std::ops::Range<usize>) -> Result<Vec<Vec<f32>>, InvestError> + Send,
) -> Result<(), InvestError> {
    let mut maps: Option<Vec<Vec<f32>>> = None;
    for r0 in (0..rows).step_by(BLOCK_ROWS) {
        let block = r0..(r0 + BLOCK_ROWS).min(rows);
        let shared: &[GeoTiffWriter] = writers;
        let (compressed, next) = join(
            || maps.take().map(|m| compress_blocks(shared, m)),
            || compute(block),
        );
        if let Some(c) = compressed {
            append_blocks(writers, c?)?;
        }
        maps = Some(next?);
    }
    if let Some(m) = maps {
        let c = compress_blocks(writers, m)?;
        append_blocks(writers, c)?;
    }
    Ok(())
}

/// Finishes every writer.
pub(crate) fn finish_all(writers: Vec<GeoTiffWriter>) -> Result<(), InvestError> {
    writers.into_iter().try_for_each(GeoTiffWriter::finish)
}

pub(crate) fn read_table(path: &Path) -> Result<Table, InvestError> {
    Table::read(path)
}

pub(crate) fn read_vector(path: &Path) -> Result<Vec<PolygonFeature>, InvestError> {
    read_polygons(path)
}

fn run_carbon(args: &Args<'_>, out: &Staging, options: &RunOptions) -> Result<(), InvestError> {
    let suffix = args.suffix();
    let bas_path = args.path("lulc_bas_path")?;
    let pools_path = args.path("carbon_pools_path")?;
    let seq = args.flag("calc_sequestration");
    let valuation = if args.flag("do_valuation") {
        if !seq {
            return Err(InvestError::Arg {
                arg: "do_valuation".into(),
                message: "valuation needs `calc_sequestration` and an alternate LULC".into(),
            });
        }
        let v = CarbonValuation {
            price_per_t_c: args.number("price_per_metric_ton_of_c")?,
            discount_rate_pct: args.number("discount_rate")?,
            rate_change_pct: args.number("rate_change")?,
            bas_year: args.integer("lulc_bas_year")?,
            alt_year: args.integer("lulc_alt_year")?,
        };
        Some(v.value_per_t_c()?)
    } else {
        None
    };
    let mut paths = vec![bas_path.clone()];
    if seq {
        paths.push(args.path("lulc_alt_path")?);
    }
    for p in &paths {
        if !p.is_file() {
            return Err(InvestError::Read {
                path: p.display().to_string(),
                message: "no such file".into(),
            });
        }
    }
    let pools = CarbonPools::from_table(&read_table(&pools_path)?)?;
    let readers = open_all(&paths)?;
    let bas = grid(&readers[0]);
    let pools_name = pools_path.display().to_string();
    let mut stream = CarbonStream::new(&pools, valuation, options.compat);
    let nd = stream.nodata();
    let alt = readers.len() > 1;
    let mut outputs = vec![(out.file(&format!("c_storage_bas{suffix}.tif"))?, nd)];
    if alt {
        outputs.push((out.file(&format!("c_storage_alt{suffix}.tif"))?, nd));
        outputs.push((out.file(&format!("c_change_bas_alt{suffix}.tif"))?, nd));
        if valuation.is_some() {
            outputs.push((out.file(&format!("npv_alt{suffix}.tif"))?, NPV_NODATA));
        }
    }
    let mut writers = create_f32(&readers[0], &outputs, &options.write)?;
    let mut lookups: Vec<RowLookup> = readers
        .iter()
        .map(|_| RowLookup::new(&pools.codes))
        .collect();
    let mut rows: Vec<Vec<u32>> = vec![Vec::new(); readers.len()];
    stream_blocks(bas.rows, &mut writers, |block| {
        let lulc = par_map(&readers, |r| r.read_rows(block.clone()));
        for (k, data) in lulc.into_iter().enumerate() {
            rows[k].clear();
            lookups[k].map(&data?, readers[k].info().nodata, &mut rows[k]);
        }
        let maps = stream.band(&rows[0], rows.get(1).map(Vec::as_slice));
        let mut blocks = vec![maps.storage_bas];
        blocks.extend(maps.storage_alt);
        blocks.extend(maps.change);
        blocks.extend(maps.npv);
        Ok(blocks)
    })?;
    for (lookup, p) in lookups.into_iter().zip(&paths) {
        lookup.finish(&p.display().to_string(), &pools_name)?;
    }
    finish_all(writers)?;
    let totals = stream.totals(bas.cell_area_m2(), alt);
    let names = [
        ("Baseline Carbon Storage", "c_storage_bas", "metric_ton"),
        ("Alternate Carbon Storage", "c_storage_alt", "metric_ton"),
        ("Change in Carbon Storage", "c_change_bas_alt", "metric_ton"),
        ("Net Present Value of Carbon Change", "npv_alt", "currency"),
    ];
    let mut summary = String::from("Raster,Total,Units,Filename\n");
    for ((label, file, units), total) in names.iter().zip(totals) {
        if let Some(t) = total {
            summary.push_str(&format!("{label},{t},{units},{file}{suffix}.tif\n"));
        }
    }
    let summary_path = out.file(&format!("raster_values_summary{suffix}.csv"))?;
    std::fs::write(&summary_path, summary).map_err(|e| InvestError::Write {
        path: summary_path.display().to_string(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks compressed as one flat set by `compress_blocks` and written by `append_blocks`
    /// give the same file bytes as `write_rows`, for strips and tiles, for blocks of whole
    /// chunk rows, a short last block, and blocks that fall back to `write_rows` (10 rows,
    /// not whole 8-row strips).
    #[test]
    fn flat_compression_writes_the_same_bytes_as_write_rows() {
        let (w, h) = (37usize, 45usize);
        let cells: Vec<f32> = (0..w * h)
            .map(|i| (i as f32 * 0.37).sin() * 100.0 + (i % 7) as f32)
            .collect();
        let info = RasterInfo {
            width: w,
            height: h,
            geotransform: [500_000.0, 30.0, 0.0, 4_000_000.0, 0.0, -30.0],
            epsg: Some(32650),
            nodata: Some(-1.0),
            sample: SampleType::F32,
            block_width: w,
            block_height: 1,
        };
        let dir = std::env::temp_dir().join(format!("gep_flat_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let layouts = [(None, 8), (Some(16), 8)];
        for (tile, rows_per_strip) in layouts {
            for block_rows in [16usize, 10] {
                let opts = WriteOptions {
                    compression: TiffCompression::Deflate,
                    predictor: TiffPredictor::Auto,
                    tile,
                    rows_per_strip,
                    ..WriteOptions::default()
                };
                let (a, b) = (dir.join("a.tif"), dir.join("b.tif"));
                let mut wa = vec![GeoTiffWriter::create(&a, &info, &opts).unwrap()];
                let mut wb = GeoTiffWriter::create(&b, &info, &opts).unwrap();
                for r0 in (0..h).step_by(block_rows) {
                    let block = cells[r0 * w..(r0 + block_rows).min(h) * w].to_vec();
                    wb.write_rows(&RasterData::F32(block.clone())).unwrap();
                    let c = compress_blocks(&wa, vec![block]).unwrap();
                    // 16-row blocks are whole strips and tile rows: compressed directly.
                    assert_eq!(c.chunks[0].is_some(), block_rows == 16, "{tile:?}");
                    append_blocks(&mut wa, c).unwrap();
                }
                finish_all(wa).unwrap();
                wb.finish().unwrap();
                let (ba, bb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
                assert!(ba.len() > 100, "{tile:?} {block_rows}");
                assert_eq!(ba, bb, "tile {tile:?}, blocks of {block_rows} rows");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
