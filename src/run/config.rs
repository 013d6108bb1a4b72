//! [`RunConfig`]: one TOML file naming the layers, tables, regions, profile and outputs of a
//! run. Paths are relative to the configuration file's directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{ConfigError, GepError};
use crate::landscape::{Classification, EcosystemType, LandCoverClass, Region, Regions};
use crate::params::GepParams;
use crate::profile::Profile;

use super::source::{open_geotiff, RowSource};
use super::stream::{NodataMask, RasterInputs, RegionRaster, StreamOptions};

/// A run configuration, as read from TOML.
///
/// ```toml
/// profile = "mee2020"               # a built-in profile
/// services = ["water_conservation"] # optional: a subset or other services
/// params = "params.toml"            # optional parameter overrides (GepParams TOML)
///
/// [landscape]
/// land_cover = "land_cover.tif"
/// classification = "gep_default"    # or a CSV with columns code,name,ecosystem
/// nodata_mask = "mutual"            # or "per_layer"
///
/// [layers]                          # layer name (unit in the name) = GeoTIFF
/// precip_mm = "precip_mm.tif"
///
/// [regions]                         # optional; without it one region named `name`
/// raster = "regions.tif"            # integer region codes
/// table = "regions.csv"             # columns code,name[,level][,parent] (parent: a name)
/// # or: vector = "towns.geojson", name_attribute = "town", parent_attribute = "district"
///
/// [region_stats]                    # optional
/// table = "region_stats.csv"        # column `region` (names) and one column per statistic
///
/// [output]
/// dir = "out"
/// formats = ["csv", "json"]
/// maps = ["carbon_sequestration"]   # per-cell value maps (GeoTIFF), additive services
///
/// [stream]                          # optional; without it the grid is one block
/// memory_mb = 1024
/// block_rows = 512                  # optional, overrides memory_mb
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// Built-in profile id (`mee2020`, ...).
    pub profile: String,
    /// Service ids replacing the profile's list.
    #[serde(default)]
    pub services: Option<Vec<String>>,
    /// Parameter file (TOML; absent fields keep their defaults).
    #[serde(default)]
    pub params: Option<PathBuf>,
    /// Land cover and classification.
    pub landscape: LandscapeSection,
    /// Layer name → GeoTIFF.
    #[serde(default)]
    pub layers: BTreeMap<String, PathBuf>,
    /// Regions.
    #[serde(default)]
    pub regions: Option<RegionsSection>,
    /// Region statistics.
    #[serde(default)]
    pub region_stats: Option<RegionStatsSection>,
    /// Outputs.
    pub output: OutputSection,
    /// Streaming settings.
    #[serde(default)]
    pub stream: Option<StreamSection>,
    /// The configuration file (set by [`RunConfig::load`]).
    #[serde(skip)]
    pub path: PathBuf,
}

/// `[landscape]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LandscapeSection {
    /// Land-cover GeoTIFF (integer codes).
    pub land_cover: PathBuf,
    /// `gep_default` or a CSV file (code, name, ecosystem).
    #[serde(default = "default_classification")]
    pub classification: String,
    /// Nodata treatment across layers.
    #[serde(default)]
    pub nodata_mask: NodataMask,
}

fn default_classification() -> String {
    "gep_default".into()
}

/// `[regions]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionsSection {
    /// Raster of integer region codes.
    #[serde(default)]
    pub raster: Option<PathBuf>,
    /// CSV of the codes: `code,name[,level][,parent]`.
    #[serde(default)]
    pub table: Option<PathBuf>,
    /// Name of the single region when there is no raster.
    #[serde(default)]
    pub name: Option<String>,
    /// Zones as polygons (GeoJSON), rasterised onto the land cover's grid (cell centres, the
    /// GDAL rule; see [`rasterize_zones`](crate::vector::rasterize_zones)). Cells outside
    /// every zone are outside the regions (counted in the coverage).
    #[serde(default)]
    pub vector: Option<PathBuf>,
    /// The attribute naming each zone (with `vector`).
    #[serde(default)]
    pub name_attribute: Option<String>,
    /// The attribute naming each zone's parent region (with `vector`, optional).
    #[serde(default)]
    pub parent_attribute: Option<String>,
}

/// `[region_stats]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionStatsSection {
    /// CSV with a `region` column (region names).
    pub table: PathBuf,
}

/// `[output]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSection {
    /// Output directory.
    pub dir: PathBuf,
    /// `csv` and/or `json`.
    #[serde(default = "default_formats")]
    pub formats: Vec<String>,
    /// Services whose per-cell value maps are written (`<service>_value.tif`).
    #[serde(default)]
    pub maps: Vec<String>,
}

fn default_formats() -> Vec<String> {
    vec!["csv".into(), "json".into()]
}

/// `[stream]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamSection {
    /// Memory budget for blocks in flight, MB.
    #[serde(default = "default_memory_mb")]
    pub memory_mb: u64,
    /// Rows per block (overrides `memory_mb`).
    #[serde(default)]
    pub block_rows: Option<usize>,
}

fn default_memory_mb() -> u64 {
    1024
}

impl RunConfig {
    /// Reads and checks the configuration at `path`: syntax, unknown keys, missing sections,
    /// formats, and that every file it names exists.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            config: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::from_toml_str(&text, path)
    }

    /// Parses `text` as the configuration at `path` (paths resolve against its directory) and
    /// checks it like [`RunConfig::load`].
    pub fn from_toml_str(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let config_name = path.display().to_string();
        let mut c: RunConfig = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            config: config_name.clone(),
            message: e.to_string().trim_end().replace('\n', " "),
        })?;
        c.path = path.to_path_buf();
        let base = path.parent().unwrap_or(Path::new(""));
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        if let Some(p) = c.params.as_mut() {
            resolve(p);
        }
        resolve(&mut c.landscape.land_cover);
        if c.landscape.classification != "gep_default" {
            let mut p = PathBuf::from(&c.landscape.classification);
            resolve(&mut p);
            c.landscape.classification = p.display().to_string();
        }
        for p in c.layers.values_mut() {
            resolve(p);
        }
        if let Some(r) = c.regions.as_mut() {
            for p in [r.raster.as_mut(), r.table.as_mut(), r.vector.as_mut()]
                .into_iter()
                .flatten()
            {
                resolve(p);
            }
        }
        if let Some(s) = c.region_stats.as_mut() {
            resolve(&mut s.table);
        }
        resolve(&mut c.output.dir);
        c.check()?;
        Ok(c)
    }

    fn invalid(&self, key: &str, value: impl std::fmt::Display, expected: &str) -> ConfigError {
        ConfigError::Invalid {
            config: self.path.display().to_string(),
            key: key.into(),
            value: value.to_string(),
            expected: expected.into(),
        }
    }

    fn check(&self) -> Result<(), ConfigError> {
        let exists = |key: String, p: &Path| {
            if p.is_file() {
                Ok(())
            } else {
                Err(ConfigError::MissingFile {
                    config: self.path.display().to_string(),
                    key,
                    file: p.display().to_string(),
                })
            }
        };
        if !Profile::BUILTIN.contains(&self.profile.as_str()) {
            return Err(self.invalid(
                "profile",
                format!("\"{}\"", self.profile),
                &format!("one of {}", Profile::BUILTIN.join(", ")),
            ));
        }
        if let Some(p) = &self.params {
            exists("params".into(), p)?;
        }
        exists("landscape.land_cover".into(), &self.landscape.land_cover)?;
        if self.landscape.classification != "gep_default" {
            exists(
                "landscape.classification".into(),
                Path::new(&self.landscape.classification),
            )?;
        }
        for (name, p) in &self.layers {
            if !crate::landscape::is_valid_layer_name(name) {
                return Err(self.invalid(
                    &format!("layers.{name}"),
                    p.display(),
                    "a layer name of the form quantity_unit in [a-z0-9_] (e.g. precip_mm)",
                ));
            }
            exists(format!("layers.{name}"), p)?;
        }
        if let Some(r) = &self.regions {
            match (&r.raster, &r.table, &r.name, &r.vector, &r.name_attribute) {
                (Some(raster), Some(table), None, None, None) => {
                    exists("regions.raster".into(), raster)?;
                    exists("regions.table".into(), table)?;
                }
                (None, None, Some(_), None, None) => {}
                (None, None, None, Some(vector), Some(_)) => {
                    exists("regions.vector".into(), vector)?;
                }
                _ => {
                    return Err(self.invalid(
                        "regions",
                        "(section)",
                        "either `raster` and `table`, or `vector` and `name_attribute`, or `name` alone",
                    ))
                }
            }
        }
        if let Some(s) = &self.region_stats {
            exists("region_stats.table".into(), &s.table)?;
        }
        for f in &self.output.formats {
            if f != "csv" && f != "json" {
                return Err(self.invalid(
                    "output.formats",
                    format!("\"{f}\""),
                    "\"csv\" or \"json\"",
                ));
            }
        }
        if let Some(s) = &self.stream {
            if s.memory_mb == 0 {
                return Err(self.invalid("stream.memory_mb", 0, "a budget of at least 1 MB"));
            }
            if s.block_rows == Some(0) {
                return Err(self.invalid("stream.block_rows", 0, "at least 1 row"));
            }
        }
        Ok(())
    }

    /// The profile with the configured services and parameters.
    pub fn profile(&self) -> Result<Profile, GepError> {
        let mut profile = Profile::builtin(&self.profile)?;
        if let Some(p) = &self.params {
            let text = read_text(p)?;
            let params = GepParams::from_toml_str(&text).map_err(|e| ConfigError::Syntax {
                config: p.display().to_string(),
                message: e.to_string(),
            })?;
            profile = profile.with_params(params);
        }
        if let Some(s) = &self.services {
            profile = profile.with_services(s.iter().cloned());
        }
        for m in &self.output.maps {
            if !profile.services.contains(m) {
                return Err(self
                    .invalid(
                        "output.maps",
                        format!("\"{m}\""),
                        "a service of the run's profile",
                    )
                    .into());
            }
        }
        Ok(profile)
    }

    /// Streaming settings: with a `[stream]` section its budget and block height; without,
    /// the whole grid as one block.
    pub fn stream_options(&self) -> StreamOptions {
        match &self.stream {
            Some(s) => StreamOptions {
                memory_mb: s.memory_mb,
                block_rows: s.block_rows,
                mask: self.landscape.nodata_mask,
                ..StreamOptions::default()
            },
            None => StreamOptions {
                block_rows: Some(usize::MAX),
                mask: self.landscape.nodata_mask,
                ..StreamOptions::default()
            },
        }
    }

    /// Opens the rasters and reads the tables, ready for [`run_rasters`](super::run_rasters).
    pub fn open_inputs(&self) -> Result<RasterInputs, GepError> {
        let (classification, classification_source) =
            if self.landscape.classification == "gep_default" {
                (
                    Classification::gep_default(),
                    "the built-in classification gep_default".to_string(),
                )
            } else {
                let p = Path::new(&self.landscape.classification);
                (read_classification(p)?, format!("`{}`", p.display()))
            };
        let land_cover = open_geotiff(&self.landscape.land_cover)?;
        let (region_list, regions) = match &self.regions {
            Some(RegionsSection {
                raster: Some(raster),
                table: Some(table),
                ..
            }) => {
                let (list, codes) = read_region_table(table)?;
                (
                    list,
                    Some(RegionRaster {
                        source: open_geotiff(raster)?,
                        codes,
                        table: format!("`{}`", table.display()),
                    }),
                )
            }
            Some(RegionsSection {
                vector: Some(vector),
                name_attribute: Some(attr),
                parent_attribute,
                ..
            }) => zones_from_vector(vector, attr, parent_attribute.as_deref(), land_cover.info())?,
            Some(RegionsSection { name: Some(n), .. }) => (Regions::single(n.clone()), None),
            _ => (Regions::single("all"), None),
        };
        let region_stats = match &self.region_stats {
            Some(s) => crate::tables::read_region_stats(
                &read_text(&s.table)?,
                &s.table.display().to_string(),
                &region_list,
            )?,
            None => crate::landscape::RegionStats::new(),
        };
        let layers = self
            .layers
            .iter()
            .map(|(n, p)| Ok((n.clone(), open_geotiff(p)?)))
            .collect::<Result<Vec<(String, Box<dyn RowSource>)>, GepError>>()?;
        let inputs = RasterInputs {
            land_cover,
            regions,
            layers,
            classification,
            classification_source,
            region_list,
            region_stats,
        };
        inputs.check_alignment()?;
        Ok(inputs)
    }
}

/// Rasterises the zones of a GeoJSON file on the land cover's grid, as a region raster.
#[cfg(feature = "vector")]
fn zones_from_vector(
    vector: &Path,
    attr: &str,
    parent: Option<&str>,
    grid: &super::GridInfo,
) -> Result<(Regions, Option<RegionRaster>), GepError> {
    use crate::vector::{rasterize_zones, PolygonLayer, ZoneSpec, NO_ZONE};
    let layer = PolygonLayer::read(vector)?;
    let mut spec = ZoneSpec::new(attr);
    if let Some(p) = parent {
        spec = spec.parent(p);
    }
    let mut shape =
        crate::landscape::GridShape::with_geotransform(grid.rows, grid.cols, grid.geotransform)?;
    if let Some(e) = grid.epsg {
        shape = shape.with_epsg(e);
    }
    // The region table does not depend on the rows rasterised (zones are numbered in order of
    // first appearance in the file), so one row gives it and the blocks are rasterised as
    // they are read: memory stays bounded by the block, whatever the grid's size.
    let regions = rasterize_zones(&layer, &spec, &shape.row_block(0, 1.min(grid.rows))?)?
        .regions()
        .clone();
    let name = vector.display().to_string();
    let info = super::GridInfo {
        nodata: Some(f64::from(NO_ZONE)),
        ..grid.clone()
    };
    Ok((
        regions.clone(),
        Some(RegionRaster {
            source: Box::new(ZoneSource {
                path: name.clone(),
                info,
                layer,
                spec,
                shape,
            }),
            codes: (0..regions.len()).map(|k| (k as i64, k as u32)).collect(),
            table: format!("the zones of `{name}`"),
        }),
    ))
}

/// Zones of a polygon layer, rasterised block by block as the rows are read (cell-centre rule,
/// [`rasterize_zones`](crate::vector::rasterize_zones) on the block's grid).
#[cfg(feature = "vector")]
struct ZoneSource {
    path: String,
    info: super::GridInfo,
    layer: crate::vector::PolygonLayer,
    spec: crate::vector::ZoneSpec,
    shape: crate::landscape::GridShape,
}

#[cfg(feature = "vector")]
impl super::RowSource for ZoneSource {
    fn path(&self) -> &str {
        &self.path
    }

    fn info(&self) -> &super::GridInfo {
        &self.info
    }

    fn read_rows(
        &mut self,
        rows: std::ops::Range<usize>,
    ) -> Result<crate::io::RasterData, GepError> {
        let block = self.shape.row_block(rows.start, rows.end)?;
        let zones = crate::vector::rasterize_zones(&self.layer, &self.spec, &block)?;
        Ok(crate::io::RasterData::U32(zones.region_index().to_vec()))
    }
}

#[cfg(not(feature = "vector"))]
fn zones_from_vector(
    vector: &Path,
    _attr: &str,
    _parent: Option<&str>,
    _grid: &super::GridInfo,
) -> Result<(Regions, Option<RegionRaster>), GepError> {
    Err(crate::error::InvestError::Arg {
        arg: "regions.vector".into(),
        message: format!(
            "`{}`: polygon zones need the `vector` feature",
            vector.display()
        ),
    }
    .into())
}

fn read_text(p: &Path) -> Result<String, GepError> {
    std::fs::read_to_string(p).map_err(|source| GepError::Io {
        path: p.display().to_string(),
        source,
    })
}

/// Reads a classification CSV: columns `code`, `name`, `ecosystem` (forest, shrub, grassland,
/// wetland, cropland, water, urban, barren, ...).
pub fn read_classification(p: &Path) -> Result<Classification, GepError> {
    use serde::de::IntoDeserializer;
    let name = p.display().to_string();
    let t = crate::tables::parse_csv(&read_text(p)?, &name)?;
    let (cc, nc, ec) = (t.column("code")?, t.column("name")?, t.column("ecosystem")?);
    let mut classes = Vec::with_capacity(t.rows.len());
    for (line, row) in &t.rows {
        let code = t.number(*line, "code", t.field(row, cc))?;
        let eco_text = t.field(row, ec).trim().to_string();
        let de: serde::de::value::StringDeserializer<serde::de::value::Error> =
            eco_text.clone().into_deserializer();
        let eco = EcosystemType::deserialize(de).map_err(|_| crate::error::ParamError::Table {
            table: name.clone(),
            line: *line,
            column: "ecosystem".into(),
            message: format!("unknown ecosystem type `{eco_text}`"),
        })?;
        classes.push(LandCoverClass::new(
            code as i32,
            t.field(row, nc).trim(),
            eco,
        ));
    }
    Ok(Classification::new(classes)?)
}

/// Reads a region table: `code,name[,level][,parent]`, `parent` the name of another row.
/// Returns the regions (in table order) and `(code, index)` pairs.
pub fn read_region_table(p: &Path) -> Result<(Regions, Vec<(i64, u32)>), GepError> {
    let name = p.display().to_string();
    let t = crate::tables::parse_csv(&read_text(p)?, &name)?;
    let (cc, nc) = (t.column("code")?, t.column("name")?);
    let lc = t.column("level").ok();
    let pc = t.column("parent").ok();
    let names: Vec<String> = t
        .rows
        .iter()
        .map(|(_, r)| t.field(r, nc).trim().to_string())
        .collect();
    let mut regions = Vec::with_capacity(t.rows.len());
    let mut codes = Vec::with_capacity(t.rows.len());
    for (k, (line, row)) in t.rows.iter().enumerate() {
        let code = t.number(*line, "code", t.field(row, cc))?;
        let level = lc.map_or("", |c| t.field(row, c).trim());
        let parent = pc.map(|c| t.field(row, c).trim()).filter(|s| !s.is_empty());
        let region = match parent {
            None => Region::root(names[k].clone(), level),
            Some(pn) => {
                let pi = names.iter().position(|n| n == pn).ok_or_else(|| {
                    crate::error::ParamError::Table {
                        table: name.clone(),
                        line: *line,
                        column: "parent".into(),
                        message: format!("parent `{pn}` is not a region of the table"),
                    }
                })?;
                Region::child(names[k].clone(), level, pi as u32)
            }
        };
        regions.push(region);
        codes.push((code as i64, k as u32));
    }
    Ok((Regions::new(regions)?, codes))
}
