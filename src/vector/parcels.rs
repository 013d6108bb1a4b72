//! Parcels: a landscape with one unit per polygon feature, its attributes as columns.

use geographiclib_rs::{Geodesic, PolygonArea, Winding};
use ndarray::Array1;

use crate::error::VectorError;
use crate::io::PolygonFeature;
use crate::landscape::{Classification, Landscape, LandscapeBuilder, Regions};
use crate::units::{km2_to_ha, M2_PER_HA};

use super::PolygonLayer;

/// Unit of an area attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaUnit {
    /// Hectares.
    Hectare,
    /// Square metres.
    SquareMetre,
    /// Square kilometres.
    SquareKilometre,
    /// Chinese mu (亩): 15 mu = 1 ha, i.e. 1 mu = 666.67 m² (the statutory conversion of the
    /// PRC legal units of measurement, 1984).
    Mu,
}

impl AreaUnit {
    /// Converts an area in this unit to ha.
    ///
    /// ```
    /// use gep::vector::AreaUnit;
    /// assert_eq!(AreaUnit::Mu.to_ha(15.0), 1.0);
    /// assert_eq!(AreaUnit::SquareMetre.to_ha(25_000.0), 2.5);
    /// ```
    pub fn to_ha(self, value: f64) -> f64 {
        match self {
            Self::Hectare => value,
            Self::SquareMetre => value / M2_PER_HA,
            Self::SquareKilometre => km2_to_ha(value),
            Self::Mu => value / 15.0,
        }
    }
}

/// How parcel areas are obtained.
#[derive(Debug, Clone, PartialEq)]
pub enum ParcelArea {
    /// Planar area of the polygons (outer rings minus holes) in squared map units, taken as
    /// m² — for projected coordinates in metres.
    Planar,
    /// Geodesic area on the WGS84 ellipsoid (Karney 2013, *Algorithms for geodesics*, J. Geod.
    /// 87:43–55, via `geographiclib-rs`) — for longitude/latitude coordinates in degrees.
    Geodesic,
    /// The value of an attribute, in the given unit.
    Attribute {
        /// The attribute name.
        name: String,
        /// Its unit.
        unit: AreaUnit,
    },
}

/// Which attributes of a parcel file make which landscape columns.
///
/// # Examples
/// ```
/// use gep::vector::{AreaUnit, ParcelArea, ParcelSpec};
/// let spec = ParcelSpec::new("lc_code", ParcelArea::Geodesic)
///     .region("township")
///     .layer("precip", "precip_mm");
/// let by_attr = ParcelSpec::new("lc_code", ParcelArea::Attribute {
///     name: "area_mu".into(),
///     unit: AreaUnit::Mu,
/// });
/// # let _ = (spec, by_attr);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ParcelSpec {
    land_cover_attr: String,
    region_attr: Option<String>,
    layers: Vec<(String, String)>,
    area: ParcelArea,
}

impl ParcelSpec {
    /// Land-cover codes (integers of the classification) from attribute `land_cover_attr`,
    /// areas by `area`.
    pub fn new(land_cover_attr: impl Into<String>, area: ParcelArea) -> Self {
        Self {
            land_cover_attr: land_cover_attr.into(),
            region_attr: None,
            layers: Vec::new(),
            area,
        }
    }

    /// Regions named by attribute `region_attr` (flat, in order of first appearance); without
    /// it every parcel is in one region named after the file.
    pub fn region(mut self, region_attr: impl Into<String>) -> Self {
        self.region_attr = Some(region_attr.into());
        self
    }

    /// Layer `layer_name` (with its unit, `precip_mm`) from numeric attribute `attr`; JSON
    /// `null` is nodata (NaN).
    pub fn layer(mut self, attr: impl Into<String>, layer_name: impl Into<String>) -> Self {
        self.layers.push((attr.into(), layer_name.into()));
        self
    }
}

/// Geodesic area in m² on the WGS84 ellipsoid of a feature whose coordinates are longitude,
/// latitude in degrees: outer rings minus holes, each ring's area taken positive whatever its
/// orientation (Karney 2013, via `geographiclib-rs`).
///
/// # Examples
/// ```
/// use gep::io::{Polygon, PolygonFeature};
/// use gep::vector::geodesic_area_m2;
/// // The 1° × 1° square (0–1°E, 0–1°N) with geodesic edges: 12 308 778 361.47 m² (the value
/// // of GeographicLib's documentation); its northern edge bulges north of the parallel, so it
/// // is 0.0026 % larger than the 1° cell (12 308 463 894 m²).
/// let f = PolygonFeature {
///     polygons: vec![Polygon { rings: vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]] }],
///     properties: vec![],
/// };
/// assert!((geodesic_area_m2(&f) - 12_308_778_361.47).abs() < 1.0);
/// ```
pub fn geodesic_area_m2(feature: &PolygonFeature) -> f64 {
    let g = Geodesic::wgs84();
    let ring_area = |ring: &[[f64; 2]]| {
        let mut pa = PolygonArea::new(&g, Winding::CounterClockwise);
        let n = if ring.len() > 1 && ring[0] == ring[ring.len() - 1] {
            ring.len() - 1
        } else {
            ring.len()
        };
        for p in &ring[..n] {
            pa.add_point(p[1], p[0]);
        }
        pa.compute(true).1.abs()
    };
    feature
        .polygons
        .iter()
        .map(|p| {
            let outer = ring_area(&p.rings[0]);
            outer - p.rings[1..].iter().map(|r| ring_area(r)).sum::<f64>()
        })
        .sum()
}

/// A landscape of parcels: one unit per feature of `layer`, in file order, with its land cover,
/// region, layers and area in ha as `spec` says.
///
/// Errors ([`VectorError`], naming the file and feature): a missing or non-integer land-cover
/// code, a code not in `classification`, a missing name or numeric attribute (JSON `null` is
/// nodata for layers only), a negative area attribute, coordinates that are not
/// longitude/latitude for [`ParcelArea::Geodesic`].
///
/// # Examples
/// ```
/// use gep::landscape::Classification;
/// use gep::vector::{parcel_landscape, AreaUnit, ParcelArea, ParcelSpec, PolygonLayer};
/// let text = r#"{"type": "FeatureCollection", "features": [
///   {"type": "Feature", "properties": {"lc": 11, "town": "A", "p": 1600.0},
///    "geometry": {"type": "Polygon", "coordinates": [[[0,0],[200,0],[200,100],[0,100],[0,0]]]}},
///   {"type": "Feature", "properties": {"lc": 51, "town": "B", "p": null},
///    "geometry": {"type": "Polygon", "coordinates": [[[200,0],[300,0],[300,100],[200,100],[200,0]]]}}]}"#;
/// let layer = PolygonLayer::parse(text, "parcels.geojson").unwrap();
/// let spec = ParcelSpec::new("lc", ParcelArea::Planar).region("town").layer("p", "precip_mm");
/// let landscape = parcel_landscape(&layer, &spec, Classification::gep_default()).unwrap();
/// // 200 m × 100 m = 2 ha and 100 m × 100 m = 1 ha.
/// assert_eq!(landscape.areas().get(0), 2.0);
/// assert_eq!(landscape.total_area_ha(), 3.0);
/// assert_eq!(landscape.region_index(), &[0, 1]);
/// assert!(landscape.layer("precip_mm").unwrap().as_slice()[1].is_nan());
/// ```
pub fn parcel_landscape(
    layer: &PolygonLayer,
    spec: &ParcelSpec,
    classification: Classification,
) -> Result<Landscape, VectorError> {
    let path = layer.source();
    let n = layer.len();
    let landscape_err = |source| VectorError::Landscape {
        path: path.to_string(),
        source,
    };
    let mut codes = Vec::with_capacity(n);
    for i in 0..n {
        let code = layer.code_attr(i, &spec.land_cover_attr)?;
        let known = i32::try_from(code)
            .ok()
            .and_then(|c| classification.index_of(c).map(|_| c));
        match known {
            Some(c) => codes.push(c),
            None => {
                return Err(VectorError::UnknownLandCover {
                    path: path.to_string(),
                    feature: i,
                    attribute: spec.land_cover_attr.clone(),
                    code,
                })
            }
        }
    }
    let (regions, region) = match &spec.region_attr {
        Some(attr) => {
            let mut names: Vec<String> = Vec::new();
            let mut idx = Vec::with_capacity(n);
            for i in 0..n {
                let name = layer.name_attr(i, attr)?;
                let k = match names.iter().position(|x| *x == name) {
                    Some(k) => k,
                    None => {
                        names.push(name);
                        names.len() - 1
                    }
                };
                idx.push(k as u32);
            }
            (Regions::flat(names).map_err(landscape_err)?, idx)
        }
        None => (Regions::single(path), vec![0; n]),
    };
    let mut area_ha = Vec::with_capacity(n);
    for (i, f) in layer.features().iter().enumerate() {
        let a = match &spec.area {
            ParcelArea::Planar => f.area() / M2_PER_HA,
            ParcelArea::Geodesic => {
                check_lon_lat(f, path, i)?;
                geodesic_area_m2(f) / M2_PER_HA
            }
            ParcelArea::Attribute { name, unit } => {
                let v = layer.number_attr(i, name, false)?.unwrap_or(f64::NAN);
                if v < 0.0 {
                    return Err(VectorError::Attribute {
                        path: path.to_string(),
                        feature: i,
                        attribute: name.clone(),
                        found: v.to_string(),
                        expected: "an area >= 0",
                    });
                }
                unit.to_ha(v)
            }
        };
        area_ha.push(a);
    }
    let mut builder = LandscapeBuilder::new(classification, regions)
        .area_ha(Array1::from(area_ha))
        .land_cover(Array1::from(codes))
        .region(Array1::from(region));
    for (attr, name) in &spec.layers {
        let mut values = Vec::with_capacity(n);
        for i in 0..n {
            let v = match layer.number_attr(i, attr, true)? {
                Some(x) if x.abs() <= f32::MAX as f64 => x as f32,
                Some(x) => {
                    return Err(VectorError::Attribute {
                        path: path.to_string(),
                        feature: i,
                        attribute: attr.clone(),
                        found: x.to_string(),
                        expected: "a number within the f32 range",
                    })
                }
                None => f32::NAN,
            };
            values.push(v);
        }
        builder = builder.layer(name.clone(), Array1::from(values), Some(f32::NAN));
    }
    builder.build().map_err(landscape_err)
}

fn check_lon_lat(f: &PolygonFeature, path: &str, feature: usize) -> Result<(), VectorError> {
    let bad = f
        .polygons
        .iter()
        .flat_map(|p| p.rings.iter().flatten())
        .find(|p| !(-180.0..=360.0).contains(&p[0]) || !(-90.0..=90.0).contains(&p[1]));
    match bad {
        Some(&point) => Err(VectorError::NotLonLat {
            path: path.to_string(),
            feature,
            point,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::Polygon;
    use crate::landscape::ellipsoid_band_area_m2;
    use approx::assert_relative_eq;
    use serde_json::Value;

    fn lonlat_rect(lon0: f64, lat0: f64, d: f64) -> PolygonFeature {
        PolygonFeature {
            polygons: vec![Polygon {
                rings: vec![vec![
                    [lon0, lat0],
                    [lon0 + d, lat0],
                    [lon0 + d, lat0 + d],
                    [lon0, lat0 + d],
                    [lon0, lat0],
                ]],
            }],
            properties: vec![("lc".into(), Value::from(11))],
        }
    }

    #[test]
    fn geodesic_area_of_county_sized_square_matches_band_formula_m2() {
        // 0.5° × 0.5° at 30°N (≈ 48 × 55 km, a county): Karney's geodesic polygon vs the
        // closed-form band between the parallels. The geodesic edges along 30°N and 30.5°N
        // bow poleward by ≈ (Δλ/2)²·sin φ·cos φ·a/2 ≈ 9 m over 48 km, i.e. ≈ 9 m × 48 km
        // × 2/3 ≈ 0.3 km² net on both edges ≈ 1e-4 of 2 667 km²: within 0.02 %.
        let f = lonlat_rect(110.0, 30.0, 0.5);
        let band = ellipsoid_band_area_m2(30.0, 30.5, 0.5);
        assert_relative_eq!(geodesic_area_m2(&f), band, max_relative = 2e-4);
        assert_relative_eq!(band / 1e6, 2_667.300_5, max_relative = 1e-7);
        // Clockwise order gives the same area (not the rest of the Earth).
        let mut cw = f.clone();
        cw.polygons[0].rings[0].reverse();
        assert_relative_eq!(
            geodesic_area_m2(&cw),
            geodesic_area_m2(&f),
            max_relative = 1e-12
        );
    }

    #[test]
    fn geodesic_area_with_hole_ha() {
        // A 0.1° square with a 0.05° square hole at 45°N: outer − hole, each ≈ band area.
        let mut f = lonlat_rect(10.0, 45.0, 0.1);
        f.polygons[0].rings.push(vec![
            [10.02, 45.02],
            [10.02, 45.07],
            [10.07, 45.07],
            [10.07, 45.02],
            [10.02, 45.02],
        ]);
        let expected =
            ellipsoid_band_area_m2(45.0, 45.1, 0.1) - ellipsoid_band_area_m2(45.02, 45.07, 0.05);
        assert_relative_eq!(geodesic_area_m2(&f), expected, max_relative = 1e-5);
    }

    #[test]
    fn parcel_errors_name_file_and_feature() {
        let mut f = lonlat_rect(110.0, 30.0, 0.01);
        let layer = |f: PolygonFeature| {
            PolygonLayer::new("p.geojson", vec![lonlat_rect(0.0, 0.0, 0.01), f]).unwrap()
        };
        let spec = ParcelSpec::new("lc", ParcelArea::Geodesic);
        // Unknown land-cover code.
        f.properties = vec![("lc".into(), Value::from(999))];
        let e =
            parcel_landscape(&layer(f.clone()), &spec, Classification::gep_default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "`p.geojson`, feature 1: land-cover code 999 (attribute `lc`) is not in the classification"
        );
        // Non-numeric code.
        f.properties = vec![("lc".into(), Value::from("forest"))];
        let e =
            parcel_landscape(&layer(f.clone()), &spec, Classification::gep_default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "`p.geojson`, feature 1: attribute `lc` is \"forest\"; expected an integer code"
        );
        // Projected metres where degrees are needed.
        let mut m = lonlat_rect(500_000.0, 3_300_000.0, 100.0);
        m.properties = vec![("lc".into(), Value::from(11))];
        let e = parcel_landscape(&layer(m), &spec, Classification::gep_default()).unwrap_err();
        assert!(
            matches!(e, VectorError::NotLonLat { feature: 1, point, .. } if point == [500_000.0, 3_300_000.0])
        );
        // Missing area attribute.
        let by_attr = ParcelSpec::new(
            "lc",
            ParcelArea::Attribute {
                name: "mu".into(),
                unit: AreaUnit::Mu,
            },
        );
        let e = parcel_landscape(
            &layer(lonlat_rect(1.0, 1.0, 0.01)),
            &by_attr,
            Classification::gep_default(),
        )
        .unwrap_err();
        assert_eq!(e.feature(), Some(0));
        assert!(e.to_string().contains("attribute `mu` is missing"));
    }

    #[test]
    fn area_attribute_in_mu_to_ha() {
        let mut f = lonlat_rect(1.0, 1.0, 0.01);
        f.properties.push(("mu".into(), Value::from(30.0)));
        let layer = PolygonLayer::new("p", vec![f]).unwrap();
        let spec = ParcelSpec::new(
            "lc",
            ParcelArea::Attribute {
                name: "mu".into(),
                unit: AreaUnit::Mu,
            },
        );
        let l = parcel_landscape(&layer, &spec, Classification::gep_default()).unwrap();
        assert_relative_eq!(l.total_area_ha(), 2.0); // 30 mu = 2 ha
    }
}
