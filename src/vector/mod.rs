//! Polygon layers (feature `vector`): checked GeoJSON polygons, rasterised to zones (the region
//! index of a grid) or turned into a landscape of parcels.
//!
//! * [`PolygonLayer`] — the features of one file, checked once: Polygon / MultiPolygon only,
//!   closed rings of ≥ 4 positions, no self-intersecting rings.
//! * [`rasterize_zones`] — the region of each grid cell by the cell-centre rule of GDAL's
//!   rasteriser (without `ALL_TOUCHED`), with names and a parent hierarchy from attributes.
//! * [`parcel_landscape`] — one landscape unit per feature, areas planar, geodesic (WGS84,
//!   Karney 2013) or from an attribute.

mod parcels;
mod validate;
mod zones;

pub use parcels::{geodesic_area_m2, parcel_landscape, AreaUnit, ParcelArea, ParcelSpec};
pub use zones::{rasterize_zones, Overlap, ZoneSpec, Zones, NO_ZONE};

use std::path::Path;

use serde_json::Value;

use crate::error::VectorError;
use crate::io::{read_polygon_features, PolygonFeature};

/// The polygon features of one file (or other source), checked: every geometry a Polygon or
/// MultiPolygon, every ring closed with at least 4 positions (RFC 7946 §3.1.6), no ring that
/// crosses or touches itself, no two rings of a polygon that cross or share an edge.
///
/// # Examples
/// ```
/// use gep::vector::PolygonLayer;
/// let text = r#"{"type": "FeatureCollection", "features": [
///   {"type": "Feature", "properties": {"name": "A"},
///    "geometry": {"type": "Polygon", "coordinates": [[[0,0],[2,0],[2,2],[0,2],[0,0]]]}}]}"#;
/// let layer = PolygonLayer::parse(text, "a.geojson").unwrap();
/// assert_eq!(layer.features().len(), 1);
/// // A bow tie crosses itself at (1, 1).
/// let bow = text.replace("[[0,0],[2,0],[2,2],[0,2],[0,0]]", "[[0,0],[2,2],[2,0],[0,2],[0,0]]");
/// let err = PolygonLayer::parse(&bow, "a.geojson").unwrap_err();
/// assert!(err.to_string().contains("feature 0"));
/// assert!(err.to_string().contains("[1.0, 1.0]"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PolygonLayer {
    source: String,
    features: Vec<PolygonFeature>,
}

impl PolygonLayer {
    /// Reads and checks the GeoJSON file at `path`.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, VectorError> {
        let path = path.as_ref();
        Self::new(path.display().to_string(), read_polygon_features(path)?)
    }

    /// Parses and checks GeoJSON text; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<Self, VectorError> {
        Self::new(source, crate::io::parse_polygons(text, source)?)
    }

    /// Checks features already in memory; `source` names them in errors.
    pub fn new(
        source: impl Into<String>,
        features: Vec<PolygonFeature>,
    ) -> Result<Self, VectorError> {
        let source = source.into();
        for (i, f) in features.iter().enumerate() {
            validate::check_feature(f, &source, i)?;
        }
        Ok(Self { source, features })
    }

    /// The file (or source) name used in errors.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The features, in file order.
    pub fn features(&self) -> &[PolygonFeature] {
        &self.features
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether there are no features.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    fn attr_error(
        &self,
        feature: usize,
        attribute: &str,
        found: String,
        expected: &'static str,
    ) -> VectorError {
        VectorError::Attribute {
            path: self.source.clone(),
            feature,
            attribute: attribute.to_string(),
            found,
            expected,
        }
    }

    /// Attribute `attr` of feature `i` as a name: a non-empty string, or an integer.
    pub(crate) fn name_attr(&self, i: usize, attr: &str) -> Result<String, VectorError> {
        match self.features[i].property(attr) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            Some(Value::Number(n)) if n.as_i64().is_some() || n.as_u64().is_some() => {
                Ok(n.to_string())
            }
            Some(v) => {
                Err(self.attr_error(i, attr, v.to_string(), "a non-empty name or an integer"))
            }
            None => {
                Err(self.attr_error(i, attr, "missing".into(), "a non-empty name or an integer"))
            }
        }
    }

    /// Attribute `attr` of feature `i` as a finite number (`None` for JSON null when
    /// `null_ok`).
    pub(crate) fn number_attr(
        &self,
        i: usize,
        attr: &str,
        null_ok: bool,
    ) -> Result<Option<f64>, VectorError> {
        match self.features[i].property(attr) {
            Some(Value::Number(n)) => match n.as_f64() {
                Some(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(self.attr_error(i, attr, n.to_string(), "a finite number")),
            },
            Some(Value::Null) if null_ok => Ok(None),
            Some(v) => Err(self.attr_error(i, attr, v.to_string(), "a finite number")),
            None => Err(self.attr_error(i, attr, "missing".into(), "a finite number")),
        }
    }

    /// Attribute `attr` of feature `i` as an integer code.
    pub(crate) fn code_attr(&self, i: usize, attr: &str) -> Result<i64, VectorError> {
        match self.features[i].property(attr) {
            Some(Value::Number(n)) => match n.as_i64() {
                Some(c) => Ok(c),
                None => match n.as_f64() {
                    Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Ok(x as i64),
                    _ => Err(self.attr_error(i, attr, n.to_string(), "an integer code")),
                },
            },
            Some(v) => Err(self.attr_error(i, attr, v.to_string(), "an integer code")),
            None => Err(self.attr_error(i, attr, "missing".into(), "an integer code")),
        }
    }
}
