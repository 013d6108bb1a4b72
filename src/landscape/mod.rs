//! Landscapes: N spatial units with areas, land cover, regions and named layers.
//!
//! A unit is a land parcel or a raster cell. A raster landscape also has a [`GridShape`];
//! per-unit services never care which it is.

mod cell_area;
mod classification;
mod grid;
mod layer;
mod region_stats;
mod regions;

pub use cell_area::{
    cell_area_ha_by_row, cell_area_ha_by_row_as, crs_kind, ellipsoid_band_area_m2, CrsKind,
    GEOGRAPHIC_EPSG, WGS84_A_M, WGS84_F,
};
pub use classification::{Classification, EcosystemType, LandCoverClass, MAX_CLASSES};
pub use grid::{GeoTransform, GridShape};
pub use layer::{is_valid_layer_name, is_valid_value, Layer};
pub use region_stats::{RegionColumn, RegionStats};
pub use regions::{Region, Regions};

use ndarray::Array1;
use std::ops::Range;

use crate::error::LandscapeError;

/// Dense class index of a unit whose land cover is nodata.
pub const NODATA_CLASS: u16 = u16::MAX;

/// Areas of the units: one value for all (a projected raster) or one per unit.
#[derive(Debug, Clone, PartialEq)]
pub enum Areas {
    /// Every unit has this area, in ha.
    Uniform(f64),
    /// One area per unit, in ha.
    PerUnit(Vec<f64>),
}

impl Areas {
    /// Area of unit `i` in ha.
    #[inline]
    pub fn get(&self, i: usize) -> f64 {
        match self {
            Self::Uniform(a) => *a,
            Self::PerUnit(v) => v[i],
        }
    }

    fn slice(&self, range: Range<usize>) -> Self {
        match self {
            Self::Uniform(a) => Self::Uniform(*a),
            Self::PerUnit(v) => Self::PerUnit(v[range].to_vec()),
        }
    }

    fn scaled(&self, k: f64) -> Self {
        match self {
            Self::Uniform(a) => Self::Uniform(a * k),
            Self::PerUnit(v) => Self::PerUnit(v.iter().map(|a| a * k).collect()),
        }
    }
}

/// A checked landscape: N spatial units, each with an area (ha), a land-cover class, a region,
/// and values of named layers. Build one with [`LandscapeBuilder`].
///
/// # Examples
/// ```
/// use gep::landscape::{Classification, LandscapeBuilder, Regions};
/// use ndarray::array;
/// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("County"))
///     .area_ha(array![1.0, 2.5])
///     .land_cover(array![11, 51])
///     .layer("precip_mm", array![1600.0, 1500.0], None)
///     .build()
///     .unwrap();
/// assert_eq!(landscape.len(), 2);
/// assert_eq!(landscape.total_area_ha(), 3.5);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Landscape {
    n_units: usize,
    areas: Areas,
    class_index: Vec<u16>,
    region: Vec<u32>,
    layers: Vec<Layer>,
    grid: Option<GridShape>,
    classification: Classification,
    regions: Regions,
    region_stats: RegionStats,
    class_unit_counts: Vec<u64>,
}

impl Landscape {
    /// Number of units.
    pub fn len(&self) -> usize {
        self.n_units
    }

    /// Whether the landscape has no units.
    pub fn is_empty(&self) -> bool {
        self.n_units == 0
    }

    /// The units' areas.
    pub fn areas(&self) -> &Areas {
        &self.areas
    }

    /// Total area in ha (compensated sum).
    pub fn total_area_ha(&self) -> f64 {
        match &self.areas {
            Areas::Uniform(a) => a * self.n_units as f64,
            Areas::PerUnit(v) => crate::account::sum::neumaier_sum(v.iter().copied()),
        }
    }

    /// Dense class index per unit ([`NODATA_CLASS`] for land-cover nodata).
    pub fn class_index(&self) -> &[u16] {
        &self.class_index
    }

    /// Land-cover code per unit (the classification's codes), `nodata` where the land cover
    /// is nodata.
    pub fn land_cover_codes(&self, nodata: i32) -> Vec<i32> {
        let classes = self.classification.classes();
        self.class_index
            .iter()
            .map(|&c| {
                if c == NODATA_CLASS {
                    nodata
                } else {
                    classes[c as usize].code
                }
            })
            .collect()
    }

    /// Region index per unit.
    pub fn region_index(&self) -> &[u32] {
        &self.region
    }

    /// The layers, sorted by name.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The layer with this name.
    pub fn layer(&self, name: &str) -> Option<&Layer> {
        self.layers
            .binary_search_by(|l| l.name().cmp(name))
            .ok()
            .map(|i| &self.layers[i])
    }

    /// The layer a service needs, or [`LandscapeError::MissingLayer`].
    pub fn require_layer(&self, service: &str, name: &str) -> Result<&Layer, LandscapeError> {
        self.layer(name)
            .ok_or_else(|| LandscapeError::MissingLayer {
                service: service.to_string(),
                layer: name.to_string(),
            })
    }

    /// The raster shape, if the units are cells of a grid.
    pub fn grid(&self) -> Option<&GridShape> {
        self.grid.as_ref()
    }

    /// The land-cover classification.
    pub fn classification(&self) -> &Classification {
        &self.classification
    }

    /// The region table.
    pub fn regions(&self) -> &Regions {
        &self.regions
    }

    /// Per-region statistics (emissions, loads, capacities, visitors, ...).
    pub fn region_stats(&self) -> &RegionStats {
        &self.region_stats
    }

    /// Number of units of each class (index order); land-cover nodata is not counted.
    pub fn class_unit_counts(&self) -> &[u64] {
        &self.class_unit_counts
    }

    /// Number of units whose land cover is nodata.
    pub fn land_cover_nodata_count(&self) -> u64 {
        self.n_units as u64 - self.class_unit_counts.iter().sum::<u64>()
    }

    /// The units `range` as a landscape of their own (a tile). A range of whole grid rows keeps
    /// the grid shape (as a row block); any other range drops it.
    pub fn slice(&self, range: Range<usize>) -> Result<Self, LandscapeError> {
        if range.start > range.end || range.end > self.n_units {
            return Err(LandscapeError::RangeOutOfBounds {
                start: range.start,
                end: range.end,
                len: self.n_units,
            });
        }
        let grid = self.grid.as_ref().and_then(|g| {
            let c = g.cols();
            (range.start.is_multiple_of(c)
                && range.end.is_multiple_of(c)
                && range.end > range.start)
                .then(|| g.row_block(range.start / c, range.end / c).ok())
                .flatten()
        });
        let class_index = self.class_index[range.clone()].to_vec();
        let class_unit_counts = count_classes(&class_index, self.classification.len());
        Ok(Self {
            n_units: range.len(),
            areas: self.areas.slice(range.clone()),
            class_index,
            region: self.region[range.clone()].to_vec(),
            layers: self.layers.iter().map(|l| l.slice(range.clone())).collect(),
            grid,
            classification: self.classification.clone(),
            regions: self.regions.clone(),
            region_stats: self.region_stats.clone(),
            class_unit_counts,
        })
    }

    /// The same landscape with every area multiplied by `factor` (≥ 0, finite).
    pub fn with_areas_scaled(&self, factor: f64) -> Result<Self, LandscapeError> {
        if !(factor.is_finite() && factor >= 0.0) {
            return Err(LandscapeError::InvalidArea {
                unit: 0,
                value: factor,
            });
        }
        let mut out = self.clone();
        out.areas = self.areas.scaled(factor);
        Ok(out)
    }
}

/// Builds a [`Landscape`], checking everything once in [`build`](LandscapeBuilder::build).
///
/// Required: `land_cover`, and areas (`area_ha`, `uniform_area_ha`, or a `grid` whose cell
/// area is used). Optional: `region` (default: every unit in region 0), layers, grid.
#[derive(Debug, Clone)]
pub struct LandscapeBuilder {
    classification: Classification,
    regions: Regions,
    area_ha: Option<Vec<f64>>,
    uniform_area_ha: Option<f64>,
    land_cover: Option<Vec<i32>>,
    land_cover_nodata: Option<i32>,
    region: Option<Vec<u32>>,
    layers: Vec<(String, Vec<f32>, Option<f32>)>,
    region_stats: Vec<RegionColumn>,
    grid: Option<GridShape>,
    grid_crs: Option<CrsKind>,
}

impl LandscapeBuilder {
    /// Starts a landscape with its classification and regions.
    pub fn new(classification: Classification, regions: Regions) -> Self {
        Self {
            classification,
            regions,
            area_ha: None,
            uniform_area_ha: None,
            land_cover: None,
            land_cover_nodata: None,
            region: None,
            layers: Vec::new(),
            region_stats: Vec::new(),
            grid: None,
            grid_crs: None,
        }
    }

    /// Area of each unit in ha.
    pub fn area_ha(mut self, area_ha: Array1<f64>) -> Self {
        self.area_ha = Some(into_vec(area_ha));
        self
    }

    /// The same area for every unit, in ha.
    pub fn uniform_area_ha(mut self, area_ha: f64) -> Self {
        self.uniform_area_ha = Some(area_ha);
        self
    }

    /// Land-cover code of each unit (codes of the classification).
    pub fn land_cover(mut self, codes: Array1<i32>) -> Self {
        self.land_cover = Some(into_vec(codes));
        self
    }

    /// The land-cover code that means "no data".
    pub fn land_cover_nodata(mut self, code: i32) -> Self {
        self.land_cover_nodata = Some(code);
        self
    }

    /// Region index of each unit (`0..regions.len()`).
    pub fn region(mut self, region: Array1<u32>) -> Self {
        self.region = Some(into_vec(region));
        self
    }

    /// A named layer; the name carries its unit (`precip_mm`). `nodata` marks missing values.
    pub fn layer(
        mut self,
        name: impl Into<String>,
        values: Array1<f32>,
        nodata: Option<f32>,
    ) -> Self {
        self.layers.push((name.into(), into_vec(values), nodata));
        self
    }

    /// A per-region statistic (one value per region, `None` = no data), with its source.
    pub fn region_stat(
        mut self,
        name: impl Into<String>,
        values: Vec<Option<f64>>,
        source: impl Into<String>,
    ) -> Self {
        self.region_stats.push(RegionColumn {
            name: name.into(),
            values,
            source: source.into(),
        });
        self
    }

    /// Per-region statistics read as a whole (e.g. by [`read_region_stats`](crate::tables::read_region_stats)).
    pub fn region_stats(mut self, stats: RegionStats) -> Self {
        self.region_stats.extend(stats.columns().iter().cloned());
        self
    }

    /// The raster shape. Unless areas are given, its cells' areas are the units' areas: one
    /// planar area `|gt[1]·gt[5]|` for a projected grid, per-row areas on the WGS84 ellipsoid
    /// for a geographic one (see [`cell_area_ha_by_row`]); a grid whose CRS is ambiguous
    /// (no or unknown EPSG code, degree-like cells) makes [`build`](Self::build) fail unless
    /// [`grid_crs`](Self::grid_crs) says which it is.
    pub fn grid(mut self, grid: GridShape) -> Self {
        self.grid = Some(grid);
        self
    }

    /// States whether the grid's coordinates are degrees or metres, overriding the detection
    /// from its EPSG code; used only when areas come from the grid.
    ///
    /// # Examples
    /// ```
    /// use gep::landscape::{Classification, CrsKind, GridShape, LandscapeBuilder, Regions};
    /// use ndarray::Array1;
    /// // 2 × 2 cells of 0.5° from 1°N to the equator, no EPSG code: declared geographic.
    /// let grid = GridShape::with_geotransform(2, 2, [110.0, 0.5, 0.0, 1.0, 0.0, -0.5]).unwrap();
    /// let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::single("R"))
    ///     .land_cover(Array1::from_elem(4, 11))
    ///     .grid(grid)
    ///     .grid_crs(CrsKind::Geographic)
    ///     .build()
    ///     .unwrap();
    /// // The four cells make the 1° × 1° equatorial cell, 12 308.46 km² = 1 230 846 ha.
    /// assert!((landscape.total_area_ha() - 1_230_846.4).abs() < 0.1);
    /// ```
    pub fn grid_crs(mut self, kind: CrsKind) -> Self {
        self.grid_crs = Some(kind);
        self
    }

    /// Checks all columns and builds the landscape.
    ///
    /// Errors: a column with a length other than the number of units; a negative, NaN or
    /// infinite area; a land-cover code not in the classification; a region index out of
    /// range; a NaN/∞ layer value not declared nodata; a duplicate or badly named layer.
    pub fn build(self) -> Result<Landscape, LandscapeError> {
        let codes = self.land_cover.ok_or(LandscapeError::MissingColumn {
            column: "land_cover",
        })?;
        let n = codes.len();
        let check_len = |layer: &str, len: usize| {
            if len == n {
                Ok(())
            } else {
                Err(LandscapeError::LengthMismatch {
                    layer: layer.to_string(),
                    expected: n,
                    len,
                })
            }
        };
        if let Some(g) = &self.grid {
            check_len("grid (rows × cols)", g.len())?;
        }
        let areas = match (self.area_ha, self.uniform_area_ha, &self.grid) {
            (Some(v), _, _) => {
                check_len("area_ha", v.len())?;
                if let Some((unit, &value)) = v
                    .iter()
                    .enumerate()
                    .find(|(_, a)| !(a.is_finite() && **a >= 0.0))
                {
                    return Err(LandscapeError::InvalidArea { unit, value });
                }
                Areas::PerUnit(v)
            }
            (None, Some(a), _) => {
                if !(a.is_finite() && a >= 0.0) {
                    return Err(LandscapeError::InvalidArea { unit: 0, value: a });
                }
                Areas::Uniform(a)
            }
            (None, None, Some(g)) => {
                let kind = match self.grid_crs {
                    Some(k) => k,
                    None => crs_kind(g)?,
                };
                match kind {
                    CrsKind::Projected => Areas::Uniform(g.cell_area_ha()),
                    CrsKind::Geographic => {
                        let rows = cell_area_ha_by_row_as(g, kind);
                        let mut v = Vec::with_capacity(g.len());
                        for a in rows {
                            v.extend(std::iter::repeat_n(a, g.cols()));
                        }
                        Areas::PerUnit(v)
                    }
                }
            }
            (None, None, None) => return Err(LandscapeError::MissingColumn { column: "area_ha" }),
        };
        let mut class_index = Vec::with_capacity(n);
        for (unit, &code) in codes.iter().enumerate() {
            if Some(code) == self.land_cover_nodata {
                class_index.push(NODATA_CLASS);
                continue;
            }
            match self.classification.index_of(code) {
                Some(i) => class_index.push(i),
                None => return Err(LandscapeError::UnknownLandCover { unit, code }),
            }
        }
        let n_regions = self.regions.len();
        let region = match self.region {
            Some(r) => {
                check_len("region", r.len())?;
                if let Some((unit, &region)) =
                    r.iter().enumerate().find(|(_, &x)| x as usize >= n_regions)
                {
                    return Err(LandscapeError::RegionOutOfRange {
                        unit,
                        region,
                        n_regions,
                    });
                }
                r
            }
            None => vec![0; n],
        };
        let mut layers = Vec::with_capacity(self.layers.len());
        for (name, values, nodata) in self.layers {
            check_len(&name, values.len())?;
            layers.push(Layer::checked(name, values, nodata)?);
        }
        layers.sort_by(|a, b| a.name().cmp(b.name()));
        if let Some(w) = layers.windows(2).find(|w| w[0].name() == w[1].name()) {
            return Err(LandscapeError::DuplicateLayer {
                layer: w[0].name().to_string(),
            });
        }
        let mut region_stats = RegionStats::new();
        for column in self.region_stats {
            region_stats.insert(&self.regions, column)?;
        }
        let class_unit_counts = count_classes(&class_index, self.classification.len());
        Ok(Landscape {
            n_units: n,
            areas,
            class_index,
            region,
            layers,
            grid: self.grid,
            classification: self.classification,
            regions: self.regions,
            region_stats,
            class_unit_counts,
        })
    }
}

fn count_classes(class_index: &[u16], n_classes: usize) -> Vec<u64> {
    let mut counts = vec![0u64; n_classes];
    for &c in class_index {
        if let Some(x) = counts.get_mut(c as usize) {
            *x += 1;
        }
    }
    counts
}

fn into_vec<T: Clone>(a: Array1<T>) -> Vec<T> {
    if a.is_standard_layout() {
        let len = a.len();
        let (v, offset) = a.into_raw_vec_and_offset();
        if offset.unwrap_or(0) == 0 && v.len() == len {
            return v;
        }
        let o = offset.unwrap_or(0);
        return v[o..o + len].to_vec();
    }
    a.to_vec()
}
