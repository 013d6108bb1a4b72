//! GeoJSON polygons (feature `vector`): a FeatureCollection of Polygon / MultiPolygon features
//! with their properties, planar areas, and which raster cells they hold (cell centre inside,
//! even-odd rule, as GDAL rasterises without "all touched").

use std::ops::Range;
use std::path::Path;

use serde_json::Value;

use crate::error::{InvestError, VectorError};

/// One polygon: an outer ring and its holes, each ring a closed or open list of (x, y) points
/// in map units (metres for projected data).
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    /// Rings: the first is the outer boundary, the others holes.
    pub rings: Vec<Vec<[f64; 2]>>,
}

/// A feature: its polygons (one for a Polygon, several for a MultiPolygon) and properties.
#[derive(Debug, Clone, PartialEq)]
pub struct PolygonFeature {
    /// The polygons.
    pub polygons: Vec<Polygon>,
    /// Property names and values, in file order (JSON values).
    pub properties: Vec<(String, Value)>,
}

/// Reads the polygon features of the GeoJSON file at `path` (rings may be open; no geometry
/// checks beyond types and coordinates — see [`PolygonLayer`](crate::vector::PolygonLayer) for
/// the checked form).
pub fn read_polygons(path: impl AsRef<Path>) -> Result<Vec<PolygonFeature>, InvestError> {
    read_polygon_features(path).map_err(InvestError::from)
}

/// [`read_polygons`] with the vector error type.
pub fn read_polygon_features(path: impl AsRef<Path>) -> Result<Vec<PolygonFeature>, VectorError> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| VectorError::Read {
        path: name.clone(),
        message: e.to_string(),
    })?;
    parse_polygons(&text, &name)
}

/// Parses the text of a GeoJSON FeatureCollection of Polygon / MultiPolygon features; `source`
/// names it in errors.
pub fn parse_polygons(text: &str, source: &str) -> Result<Vec<PolygonFeature>, VectorError> {
    let format = |message: String| VectorError::Format {
        path: source.to_string(),
        message,
    };
    let doc: Value =
        serde_json::from_str(text).map_err(|e| format(format!("not valid JSON: {e}")))?;
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| format("not a GeoJSON FeatureCollection".into()))?;
    features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let coord_err = |message: String| VectorError::Coordinates {
                path: source.to_string(),
                feature: i,
                message,
            };
            let geometry = f.get("geometry").unwrap_or(&Value::Null);
            let kind = match geometry.get("type") {
                Some(Value::String(k)) => k.as_str(),
                _ => "null",
            };
            if kind != "Polygon" && kind != "MultiPolygon" {
                return Err(VectorError::NotPolygon {
                    path: source.to_string(),
                    feature: i,
                    found: kind.to_string(),
                });
            }
            let coords = geometry
                .get("coordinates")
                .ok_or_else(|| coord_err("geometry without coordinates".into()))?;
            let polygons = if kind == "Polygon" {
                vec![polygon(coords).map_err(coord_err)?]
            } else {
                coords
                    .as_array()
                    .ok_or_else(|| coord_err("MultiPolygon coordinates not an array".into()))?
                    .iter()
                    .map(polygon)
                    .collect::<Result<_, _>>()
                    .map_err(coord_err)?
            };
            let properties = match f.get("properties") {
                Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                _ => Vec::new(),
            };
            Ok(PolygonFeature {
                polygons,
                properties,
            })
        })
        .collect()
}

fn polygon(coords: &Value) -> Result<Polygon, String> {
    let rings = coords
        .as_array()
        .ok_or_else(|| "polygon coordinates not an array".to_string())?;
    let rings = rings
        .iter()
        .map(|ring| {
            ring.as_array()
                .ok_or("ring not an array")?
                .iter()
                .map(|p| match p.as_array().map(|a| a.as_slice()) {
                    Some([x, y, ..]) => match (x.as_f64(), y.as_f64()) {
                        (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Ok([x, y]),
                        _ => Err(format!("coordinate {p} is not a pair of finite numbers")),
                    },
                    _ => Err(format!("coordinate {p} is not a pair of numbers")),
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    if rings.is_empty() || rings[0].len() < 3 {
        return Err("polygon with fewer than 3 points".into());
    }
    Ok(Polygon { rings })
}

fn ring_area(ring: &[[f64; 2]]) -> f64 {
    let n = ring.len();
    let mut s = 0.0;
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        s += a[0] * b[1] - b[0] * a[1];
    }
    0.5 * s.abs()
}

impl PolygonFeature {
    /// Planar area in squared map units (m² for projected data): outer rings minus holes.
    pub fn area(&self) -> f64 {
        self.polygons
            .iter()
            .map(|p| {
                let outer = ring_area(&p.rings[0]);
                outer - p.rings[1..].iter().map(|r| ring_area(r)).sum::<f64>()
            })
            .sum()
    }

    /// The property `key` (exact name, then case-insensitive).
    pub fn property(&self, key: &str) -> Option<&Value> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .or_else(|| {
                self.properties
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
            })
            .map(|(_, v)| v)
    }

    /// Bounding box `[xmin, ymin, xmax, ymax]`.
    pub fn bbox(&self) -> [f64; 4] {
        let mut b = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for p in self.polygons.iter().flat_map(|p| p.rings.iter().flatten()) {
            b[0] = b[0].min(p[0]);
            b[1] = b[1].min(p[1]);
            b[2] = b[2].max(p[0]);
            b[3] = b[3].max(p[1]);
        }
        b
    }

    /// The cells of a `rows × cols` north-up grid with geotransform `gt` whose centre lies
    /// inside the feature (even-odd rule per polygon), as sorted, disjoint ranges of row-major
    /// cell indices. When no centre is inside, the cells intersecting the feature's bounding box
    /// (the fallback of pygeoprocessing's zonal statistics).
    pub fn cell_spans(&self, rows: usize, cols: usize, gt: &[f64; 6]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let (x0, dx, y0, dy) = (gt[0], gt[1], gt[3], gt[5]);
        for poly in &self.polygons {
            let edges: Vec<([f64; 2], [f64; 2])> = poly
                .rings
                .iter()
                .flat_map(|r| (0..r.len()).map(move |i| (r[i], r[(i + 1) % r.len()])))
                .filter(|(a, b)| a != b)
                .collect();
            let mut xs = Vec::new();
            for row in 0..rows {
                let y = y0 + (row as f64 + 0.5) * dy;
                xs.clear();
                for (a, b) in &edges {
                    // Half-open rule: an edge counts when y is in [min, max).
                    if (a[1] <= y) != (b[1] <= y) {
                        xs.push(a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]));
                    }
                }
                xs.sort_by(f64::total_cmp);
                for pair in xs.chunks_exact(2) {
                    // Cells whose centre x = x0 + (c + 0.5)·dx lies in [pair0, pair1).
                    let c_lo = ((pair[0] - x0) / dx - 0.5).ceil().max(0.0);
                    let c_hi = ((pair[1] - x0) / dx - 0.5).ceil().min(cols as f64);
                    let (c_lo, c_hi) = (c_lo as usize, c_hi.max(0.0) as usize);
                    if c_hi > c_lo {
                        out.push(row * cols + c_lo..row * cols + c_hi);
                    }
                }
            }
        }
        if self.polygons.len() > 1 {
            out.sort_unstable_by_key(|r| (r.start, r.end));
            let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
            for r in out {
                match merged.last_mut() {
                    Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                    _ => merged.push(r),
                }
            }
            out = merged;
        }
        if out.is_empty() {
            let [xmin, ymin, xmax, ymax] = self.bbox();
            let col_range = |a: f64, b: f64| {
                let lo = ((a - x0) / dx).floor().max(0.0) as usize;
                let hi = ((b - x0) / dx).ceil().clamp(0.0, cols as f64) as usize;
                lo..hi
            };
            let (ra, rb) = ((ymax - y0) / dy, (ymin - y0) / dy);
            let r_lo = ra.min(rb).floor().max(0.0) as usize;
            let r_hi = ra.max(rb).ceil().clamp(0.0, rows as f64) as usize;
            let c = col_range(xmin, xmax);
            for row in r_lo..r_hi {
                if c.end > c.start {
                    out.push(row * cols + c.start..row * cols + c.end);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_with_hole() {
        let outer = vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]];
        let hole = vec![[1.0, 1.0], [2.0, 1.0], [2.0, 2.0], [1.0, 2.0]];
        let f = PolygonFeature {
            polygons: vec![Polygon {
                rings: vec![outer, hole],
            }],
            properties: vec![],
        };
        assert_eq!(f.area(), 15.0);
        // 4 × 4 grid of 1 m cells, origin top-left at (0, 4): the hole holds the centre of
        // the cell at x ∈ [1, 2], y ∈ [1, 2] = row 2, col 1.
        let spans = f.cell_spans(4, 4, &[0.0, 1.0, 0.0, 4.0, 0.0, -1.0]);
        let cells: Vec<usize> = spans.into_iter().flatten().collect();
        assert_eq!(cells.len(), 15);
        assert!(!cells.contains(&(2 * 4 + 1)));
    }
}
