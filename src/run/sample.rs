//! [`write_sample`]: the built-in sample county ([`crate::sample`]) as files — GeoTIFF layers,
//! CSV tables and a `run.toml` — so that a raster run can be tried and checked against the
//! in-memory account of the same landscape.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::GepError;
use crate::io::{write_geotiff, Raster, RasterData, WriteOptions};
use crate::landscape::Landscape;
use crate::sample::{SampleConfig, SampleCounty, LAND_COVER_NODATA};

/// Writes the sample county of `config` into `dir`: `land_cover.tif` (Int32 codes, nodata
/// 0), `regions.tif` (UInt16 region codes) with `regions.csv`, one Float32 GeoTIFF per layer
/// (`<layer>.tif`), `region_stats.csv`, and `run.toml` running the MEE 2020 profile with
/// per-layer nodata (as the in-memory sample account does). Returns the path of `run.toml`.
pub fn write_sample(dir: &Path, config: &SampleConfig) -> Result<PathBuf, GepError> {
    let sample = SampleCounty::generate(config)?;
    write_landscape(dir, &sample.landscape)
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> GepError + '_ {
    move |source| GepError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes a gridded landscape as rasters and tables with a `run.toml` (MEE 2020, per-layer
/// nodata); see [`write_sample`].
pub fn write_landscape(dir: &Path, landscape: &Landscape) -> Result<PathBuf, GepError> {
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let grid = landscape
        .grid()
        .ok_or(crate::error::LandscapeError::MissingColumn { column: "grid" })?;
    let base = Raster {
        rows: grid.rows(),
        cols: grid.cols(),
        geotransform: *grid.geotransform(),
        epsg: grid.epsg(),
        nodata: None,
        data: RasterData::U8(Vec::new()),
    };
    let options = WriteOptions::default();
    let codes = landscape.land_cover_codes(LAND_COVER_NODATA);
    write_geotiff(
        dir.join("land_cover.tif"),
        &Raster::like(
            &base,
            RasterData::I32(codes),
            Some(LAND_COVER_NODATA as f64),
        ),
        &options,
    )?;
    let region_codes: Vec<u16> = landscape.region_index().iter().map(|&r| r as u16).collect();
    write_geotiff(
        dir.join("regions.tif"),
        &Raster::like(&base, RasterData::U16(region_codes), None),
        &options,
    )?;
    let regions = landscape.regions().regions();
    let mut csv = String::from("code,name,level,parent\n");
    for (k, r) in regions.iter().enumerate() {
        let parent = r
            .parent
            .map_or(String::new(), |p| regions[p as usize].name.clone());
        let _ = writeln!(csv, "{k},{},{},{parent}", r.name, r.level);
    }
    let p = dir.join("regions.csv");
    std::fs::write(&p, csv).map_err(io_err(&p))?;

    let stats = landscape.region_stats().columns();
    let mut csv = String::from("region");
    for c in stats {
        let _ = write!(csv, ",{}", c.name);
    }
    csv.push('\n');
    for (k, r) in regions.iter().enumerate() {
        csv.push_str(&r.name);
        for c in stats {
            match c.values[k] {
                Some(v) => {
                    let _ = write!(csv, ",{v:?}");
                }
                None => csv.push(','),
            }
        }
        csv.push('\n');
    }
    let p = dir.join("region_stats.csv");
    std::fs::write(&p, csv).map_err(io_err(&p))?;

    let mut toml = String::from(
        "# The sample county (gep::sample) as files; `cargo run --release --example gep -- run.toml`\n\
         profile = \"mee2020\"\n\n[landscape]\nland_cover = \"land_cover.tif\"\n\
         classification = \"gep_default\"\n\
         # per_layer: each service skips its own nodata cells, as the in-memory sample account does\n\
         nodata_mask = \"per_layer\"\n\n[layers]\n",
    );
    for layer in landscape.layers() {
        let name = layer.name();
        let file = format!("{name}.tif");
        write_geotiff(
            dir.join(&file),
            &Raster::like(
                &base,
                RasterData::F32(layer.as_slice().to_vec()),
                layer.nodata().map(f64::from),
            ),
            &options,
        )?;
        let _ = writeln!(toml, "{name} = \"{file}\"");
    }
    toml.push_str(
        "\n[regions]\nraster = \"regions.tif\"\ntable = \"regions.csv\"\n\n\
         [region_stats]\ntable = \"region_stats.csv\"\n\n\
         [output]\ndir = \"out\"\nformats = [\"csv\", \"json\"]\n\
         maps = [\"carbon_sequestration\"]\n",
    );
    let p = dir.join("run.toml");
    std::fs::write(&p, toml).map_err(io_err(&p))?;
    Ok(p)
}

/// The rasters of a gridded landscape as in-memory [`RasterInputs`](super::RasterInputs) (land-cover codes with
/// nodata 0 → `i32::MIN` when 0 is a class, region index as the region code, every layer), to
/// run [`run_rasters`](super::run_rasters) on data that is already in memory, and to check a
/// streamed account against [`Profile::run`](crate::profile::Profile::run).
pub fn inputs_from_landscape(landscape: &Landscape) -> Result<super::RasterInputs, GepError> {
    use super::{MemorySource, RegionRaster, RowSource};
    let grid = landscape
        .grid()
        .ok_or(crate::error::LandscapeError::MissingColumn { column: "grid" })?;
    let base = Raster {
        rows: grid.rows(),
        cols: grid.cols(),
        geotransform: *grid.geotransform(),
        epsg: grid.epsg(),
        nodata: None,
        data: RasterData::U8(Vec::new()),
    };
    let classification = landscape.classification().clone();
    let nodata_code = if classification.index_of(LAND_COVER_NODATA).is_none() {
        LAND_COVER_NODATA
    } else {
        i32::MIN
    };
    let codes = landscape.land_cover_codes(nodata_code);
    let land_cover: Box<dyn RowSource> = Box::new(MemorySource::new(
        "land_cover",
        Raster::like(&base, RasterData::I32(codes), Some(f64::from(nodata_code))),
    ));
    let regions = RegionRaster {
        source: Box::new(MemorySource::new(
            "regions",
            Raster::like(
                &base,
                RasterData::U32(landscape.region_index().to_vec()),
                None,
            ),
        )),
        codes: (0..landscape.regions().len())
            .map(|k| (k as i64, k as u32))
            .collect(),
        table: "the landscape's regions".into(),
    };
    let layers = landscape
        .layers()
        .iter()
        .map(|l| {
            let source: Box<dyn RowSource> = Box::new(MemorySource::new(
                l.name(),
                Raster::like(
                    &base,
                    RasterData::F32(l.as_slice().to_vec()),
                    l.nodata().map(f64::from),
                ),
            ));
            (l.name().to_string(), source)
        })
        .collect();
    Ok(super::RasterInputs {
        land_cover,
        regions: Some(regions),
        layers,
        classification,
        classification_source: "the landscape's classification".into(),
        region_list: landscape.regions().clone(),
        region_stats: landscape.region_stats().clone(),
    })
}
