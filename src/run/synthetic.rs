//! [`write_synthetic`]: a deterministic synthetic landscape of any size written as GeoTIFFs
//! block by block (memory independent of the size), with a `run.toml` that streams the core
//! services over it — to try and measure streamed runs on rasters larger than memory.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::GepError;
use crate::io::{
    GeoTiffWriter, RasterData, RasterInfo, SampleType, TiffCompression, TiffPredictor, WriteOptions,
};

/// Land-cover codes drawn (classes of [`Classification::gep_default`](crate::landscape::Classification::gep_default)).
const CODES: [u8; 10] = [11, 12, 13, 14, 21, 31, 41, 42, 51, 52];
/// Land-cover nodata code of the synthetic raster.
pub const SYNTHETIC_LC_NODATA: u8 = 0;
/// Layer nodata of the synthetic rasters.
pub const SYNTHETIC_NODATA: f32 = -9999.0;
/// Regions: a `REGION_SIDE × REGION_SIDE` chessboard of districts.
const REGION_SIDE: usize = 10;
/// Rows generated and written at a time.
const WRITE_ROWS: usize = 256;

/// SplitMix64 finaliser: a well-mixed hash of a cell index and a stream number.
fn hash(i: u64, stream: u64) -> u64 {
    let mut z = i
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform number in [0, 1) of cell `i`, stream `s`, constant over 8 × 8 patches so that
/// the files compress as real rasters do.
fn patch(row: usize, col: usize, cols: usize, s: u64) -> f64 {
    let key = ((row / 8) * cols.div_ceil(8) + col / 8) as u64;
    (hash(key, s) >> 11) as f64 / (1u64 << 53) as f64
}

/// The synthetic cells of rows `rows` of a `cols`-wide grid: land cover (u8, 0 nodata in the
/// top-left triangle corner), region code (u16, a 10 × 10 board), precipitation 1200–1800 mm,
/// AET 300–900 mm, NPP 200–800 g C/m² (nodata on ~0.5 % of patches) and Rh 100–300 g C/m².
#[allow(clippy::type_complexity)]
pub fn synthetic_rows(
    rows: std::ops::Range<usize>,
    n_rows: usize,
    cols: usize,
) -> (Vec<u8>, Vec<u16>, [Vec<f32>; 4]) {
    let n = rows.len() * cols;
    let mut lc = vec![0u8; n];
    let mut region = vec![0u16; n];
    let mut layers: [Vec<f32>; 4] = std::array::from_fn(|_| vec![0.0f32; n]);
    let corner = cols.min(n_rows) / 10;
    for (k, row) in rows.clone().enumerate() {
        for col in 0..cols {
            let i = k * cols + col;
            lc[i] = if row + col < corner {
                SYNTHETIC_LC_NODATA
            } else {
                CODES[(patch(row, col, cols, 1) * CODES.len() as f64) as usize]
            };
            region[i] =
                ((row * REGION_SIDE / n_rows) * REGION_SIDE + col * REGION_SIDE / cols) as u16 + 1;
            let p = (1200.0 + 600.0 * patch(row, col, cols, 2)).round();
            layers[0][i] = p as f32;
            layers[1][i] = (300.0 + 600.0 * patch(row, col, cols, 3)).round() as f32;
            layers[2][i] = if patch(row, col, cols, 5) < 0.005 {
                SYNTHETIC_NODATA
            } else {
                (200.0 + 600.0 * patch(row, col, cols, 4)).round() as f32
            };
            layers[3][i] = (100.0 + 200.0 * patch(row, col, cols, 6)).round() as f32;
        }
    }
    (lc, region, layers)
}

/// The layer names of [`synthetic_rows`], in order.
pub const SYNTHETIC_LAYERS: [&str; 4] = ["precip_mm", "aet_mm", "npp_gc_per_m2", "rh_gc_per_m2"];

/// Writes a `rows × cols` synthetic landscape of 30 m cells (UTM 50N) into `dir` as DEFLATE
/// GeoTIFFs, 256 rows at a time, with `regions.csv` and a `run.toml` that streams water
/// conservation, carbon sequestration and oxygen release in `memory_mb`. Returns the path of
/// `run.toml`.
pub fn write_synthetic(
    dir: &Path,
    rows: usize,
    cols: usize,
    memory_mb: u64,
) -> Result<PathBuf, GepError> {
    let io = |p: &Path| {
        let p = p.display().to_string();
        move |source| GepError::Io { path: p, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let info = |sample, nodata| RasterInfo {
        width: cols,
        height: rows,
        geotransform: [400_000.0, 30.0, 0.0, 3_500_000.0, 0.0, -30.0],
        epsg: Some(32650),
        nodata,
        sample,
        block_width: cols,
        block_height: 1,
    };
    let int = WriteOptions {
        compression: TiffCompression::Deflate,
        predictor: TiffPredictor::Horizontal,
        rows_per_strip: 16,
        ..WriteOptions::default()
    };
    let float = WriteOptions {
        predictor: TiffPredictor::FloatingPoint,
        ..int
    };
    let mut lc_w = GeoTiffWriter::create(
        dir.join("land_cover.tif"),
        &info(SampleType::U8, Some(f64::from(SYNTHETIC_LC_NODATA))),
        &int,
    )?;
    let mut region_w =
        GeoTiffWriter::create(dir.join("regions.tif"), &info(SampleType::U16, None), &int)?;
    let mut layer_w = SYNTHETIC_LAYERS
        .iter()
        .map(|name| {
            GeoTiffWriter::create(
                dir.join(format!("{name}.tif")),
                &info(SampleType::F32, Some(f64::from(SYNTHETIC_NODATA))),
                &float,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut r0 = 0;
    while r0 < rows {
        let r1 = (r0 + WRITE_ROWS).min(rows);
        let (lc, region, layers) = synthetic_rows(r0..r1, rows, cols);
        lc_w.write_rows(&RasterData::U8(lc))?;
        region_w.write_rows(&RasterData::U16(region))?;
        for (w, v) in layer_w.iter_mut().zip(layers) {
            w.write_rows(&RasterData::F32(v))?;
        }
        r0 = r1;
    }
    lc_w.finish()?;
    region_w.finish()?;
    for w in layer_w {
        w.finish()?;
    }
    let mut csv = String::from("code,name,level,parent\n0,Synthetic Province,province,\n");
    for k in 0..REGION_SIDE * REGION_SIDE {
        let _ = writeln!(
            csv,
            "{},District {:02},district,Synthetic Province",
            k + 1,
            k + 1
        );
    }
    let p = dir.join("regions.csv");
    std::fs::write(&p, csv).map_err(io(&p))?;
    let mut toml = String::from(
        "# A synthetic landscape (gep::run::write_synthetic), streamed\n\
         profile = \"mee2020\"\n\
         services = [\"water_conservation\", \"carbon_sequestration\", \"oxygen_release\"]\n\n\
         [landscape]\nland_cover = \"land_cover.tif\"\nnodata_mask = \"mutual\"\n\n[layers]\n",
    );
    for name in SYNTHETIC_LAYERS {
        let _ = writeln!(toml, "{name} = \"{name}.tif\"");
    }
    let _ = write!(
        toml,
        "\n[regions]\nraster = \"regions.tif\"\ntable = \"regions.csv\"\n\n\
         [output]\ndir = \"out\"\nformats = [\"csv\", \"json\"]\n\n\
         [stream]\nmemory_mb = {memory_mb}\n"
    );
    let p = dir.join("run.toml");
    std::fs::write(&p, toml).map_err(io(&p))?;
    Ok(p)
}
