//! Zones: the region index of each grid cell from polygons, by GDAL's cell-centre rule.

use crate::error::VectorError;
use crate::landscape::{GridShape, Region, Regions};

use super::PolygonLayer;

/// Region index of a cell that no zone covers.
pub const NO_ZONE: u32 = u32::MAX;

/// What to do with a cell whose centre two zones (features with different names) both hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overlap {
    /// The later feature in the file takes the cell, as GDAL burns features in order
    /// (`gdal_rasterize`, pygeoprocessing). Such cells are counted in
    /// [`Zones::overlap_cells`].
    #[default]
    LastWins,
    /// Refuse: [`VectorError::Overlap`] names both zones and the first shared cell.
    Error,
}

/// How to read zones from a polygon layer: the attribute naming each zone, optionally the
/// attribute naming its parent, the administrative levels, and the overlap policy.
///
/// # Examples
/// ```
/// use gep::vector::{Overlap, ZoneSpec};
/// let spec = ZoneSpec::new("township").parent("district").levels("township", "district")
///     .overlap(Overlap::Error);
/// assert_eq!(spec.name_attr(), "township");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneSpec {
    name_attr: String,
    parent_attr: Option<String>,
    level: String,
    parent_level: String,
    overlap: Overlap,
}

impl ZoneSpec {
    /// Zones named by attribute `name_attr` (a string, or an integer id); features with the
    /// same name form one zone.
    pub fn new(name_attr: impl Into<String>) -> Self {
        Self {
            name_attr: name_attr.into(),
            parent_attr: None,
            level: String::new(),
            parent_level: String::new(),
            overlap: Overlap::LastWins,
        }
    }

    /// Each zone's parent region is named by attribute `parent_attr`; parents that are not
    /// themselves zones become root regions after the zones.
    pub fn parent(mut self, parent_attr: impl Into<String>) -> Self {
        self.parent_attr = Some(parent_attr.into());
        self
    }

    /// Administrative levels recorded in the regions (`township`, `district`).
    pub fn levels(mut self, level: impl Into<String>, parent_level: impl Into<String>) -> Self {
        self.level = level.into();
        self.parent_level = parent_level.into();
        self
    }

    /// The overlap policy (default [`Overlap::LastWins`]).
    pub fn overlap(mut self, overlap: Overlap) -> Self {
        self.overlap = overlap;
        self
    }

    /// The attribute naming each zone.
    pub fn name_attr(&self) -> &str {
        &self.name_attr
    }
}

/// Zones rasterised onto a grid: one region index per cell ([`NO_ZONE`] outside all zones),
/// the region table, and counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Zones {
    region: Vec<u32>,
    regions: Regions,
    n_zones: usize,
    cells_per_zone: Vec<u64>,
    no_zone_cells: u64,
    overlap_cells: u64,
}

impl Zones {
    /// Region index per cell, row-major; [`NO_ZONE`] for cells outside all zones.
    pub fn region_index(&self) -> &[u32] {
        &self.region
    }

    /// The region table: the zones (indices `0..n_zones`, in order of first appearance in the
    /// file) then their parents that are not zones.
    pub fn regions(&self) -> &Regions {
        &self.regions
    }

    /// Number of zones (regions that cells can be in).
    pub fn n_zones(&self) -> usize {
        self.n_zones
    }

    /// Number of cells of each zone.
    pub fn cells_per_zone(&self) -> &[u64] {
        &self.cells_per_zone
    }

    /// Number of cells outside all zones.
    pub fn no_zone_cells(&self) -> u64 {
        self.no_zone_cells
    }

    /// Number of times a later zone took a cell from an earlier one ([`Overlap::LastWins`]).
    pub fn overlap_cells(&self) -> u64 {
        self.overlap_cells
    }

    /// The region index and table for a landscape, whose units must each be in a region:
    /// cells outside all zones go to a new root region `outside_name`, appended last (only if
    /// there are such cells).
    pub fn into_landscape_regions(
        self,
        outside_name: &str,
    ) -> Result<(Regions, Vec<u32>), crate::error::LandscapeError> {
        if self.no_zone_cells == 0 {
            return Ok((self.regions, self.region));
        }
        let mut table: Vec<Region> = self.regions.regions().to_vec();
        let outside = table.len() as u32;
        table.push(Region::root(outside_name, ""));
        let regions = Regions::new(table)?;
        let mut region = self.region;
        for r in &mut region {
            if *r == NO_ZONE {
                *r = outside;
            }
        }
        Ok((regions, region))
    }
}

/// Rasterises the zones of `layer` onto `grid`: each cell takes the zone whose polygons hold
/// the cell's centre.
///
/// The rule is GDAL's polygon rasteriser without `ALL_TOUCHED` (`llrasterize.cpp`,
/// `GDALdllImageFilledPolygon`), applied in pixel coordinates `px = (x − gt0)/gt1`,
/// `py = (y − gt3)/gt5` to all rings of a feature together (even-odd):
/// * a scanline through the centres of row `r` (`py = r + 0.5`) meets an edge from `py1` to
///   `py2` (`py1 < py2`) when `py1 ≤ r + 0.5 < py2`;
/// * between two sorted crossings `xa ≤ xb` the cells `floor(xa + 0.5) ..= floor(xb + 0.5) − 1`
///   are filled, i.e. a centre exactly on an edge is inside on the right (east) side of a
///   span and outside on the left (west) side; a centre exactly on a vertex of the top
///   (north, smaller `py`) end of an edge counts, on the bottom end it does not;
/// * a horizontal edge lying exactly on a row of centres fills its cells only when the ring
///   runs along it towards −x (west for a north-up grid), so a clockwise outer ring (ESRI
///   order) holds the centres on its southern edge and a counter-clockwise one (RFC 7946)
///   does not — GDAL's behaviour, kept for identical results.
///
/// Overlaps between different zones follow `spec`'s [`Overlap`] policy; features with the same
/// zone name may overlap freely.
///
/// Cost: O(edges·log edges + rows × active edges + cells filled) per feature, no per-cell
/// allocation. For streamed runs call it per block of rows (`grid.row_block(r0, r1)`): the
/// blocks' indices are the rows of the whole grid's, and the region table is the same.
///
/// # Examples
/// ```
/// use gep::landscape::GridShape;
/// use gep::vector::{rasterize_zones, PolygonLayer, ZoneSpec, NO_ZONE};
/// let text = r#"{"type": "FeatureCollection", "features": [
///   {"type": "Feature", "properties": {"town": "West"},
///    "geometry": {"type": "Polygon", "coordinates": [[[0,0],[20,0],[20,30],[0,30],[0,0]]]}},
///   {"type": "Feature", "properties": {"town": "East"},
///    "geometry": {"type": "Polygon", "coordinates": [[[20,0],[30,0],[30,20],[20,20],[20,0]]]}}]}"#;
/// let layer = PolygonLayer::parse(text, "towns.geojson").unwrap();
/// // 3 × 3 cells of 10 m, top-left corner at (0, 30).
/// let grid = GridShape::with_geotransform(3, 3, [0.0, 10.0, 0.0, 30.0, 0.0, -10.0]).unwrap();
/// let zones = rasterize_zones(&layer, &ZoneSpec::new("town"), &grid).unwrap();
/// assert_eq!(zones.region_index(), &[0, 0, NO_ZONE, 0, 0, 1, 0, 0, 1]);
/// assert_eq!(zones.no_zone_cells(), 1);
/// assert_eq!(zones.regions().get(1).unwrap().name, "East");
/// ```
pub fn rasterize_zones(
    layer: &PolygonLayer,
    spec: &ZoneSpec,
    grid: &GridShape,
) -> Result<Zones, VectorError> {
    let path = layer.source();
    let n = layer.len();
    // Zone of each feature, zones in order of first appearance.
    let mut zone_names: Vec<String> = Vec::new();
    let mut zone_parent: Vec<Option<String>> = Vec::new();
    let mut feature_zone = Vec::with_capacity(n);
    for i in 0..n {
        let name = layer.name_attr(i, &spec.name_attr)?;
        let parent = match &spec.parent_attr {
            Some(a) => Some(layer.name_attr(i, a)?),
            None => None,
        };
        let z = match zone_names.iter().position(|z| *z == name) {
            Some(z) => {
                if zone_parent[z] != parent {
                    return Err(VectorError::Attribute {
                        path: path.to_string(),
                        feature: i,
                        attribute: spec.parent_attr.clone().unwrap_or_default(),
                        found: format!("`{}`", parent.unwrap_or_default()),
                        expected: "the same parent as earlier features of the zone",
                    });
                }
                z
            }
            None => {
                zone_names.push(name);
                zone_parent.push(parent);
                zone_names.len() - 1
            }
        };
        feature_zone.push(z as u32);
    }
    let regions =
        zone_regions(&zone_names, &zone_parent, spec).map_err(|source| VectorError::Landscape {
            path: path.to_string(),
            source,
        })?;
    let mut region = vec![NO_ZONE; grid.len()];
    let mut overlap_cells = 0u64;
    let mut ints: Vec<i64> = Vec::new();
    let mut edges: Vec<[f64; 4]> = Vec::new();
    for (i, f) in layer.features().iter().enumerate() {
        let zone = feature_zone[i];
        let mut burn = |row: usize, c0: i64, c1: i64| -> Result<(), VectorError> {
            let (lo, hi) = (c0.max(0) as usize, c1.min(grid.cols() as i64 - 1));
            if hi < 0 || (hi as usize) < lo {
                return Ok(());
            }
            for col in lo..=hi as usize {
                let cell = &mut region[row * grid.cols() + col];
                if *cell != NO_ZONE && *cell != zone {
                    if spec.overlap == Overlap::Error {
                        return Err(VectorError::Overlap {
                            path: path.to_string(),
                            feature: i,
                            zone: zone_names[zone as usize].clone(),
                            other: zone_names[*cell as usize].clone(),
                            row,
                            col,
                        });
                    }
                    overlap_cells += 1;
                }
                *cell = zone;
            }
            Ok(())
        };
        scan_feature(f, grid, &mut edges, &mut ints, &mut burn)?;
    }
    let mut cells_per_zone = vec![0u64; zone_names.len()];
    let mut no_zone_cells = 0u64;
    for &r in &region {
        match cells_per_zone.get_mut(r as usize) {
            Some(c) => *c += 1,
            None => no_zone_cells += 1,
        }
    }
    Ok(Zones {
        region,
        regions,
        n_zones: zone_names.len(),
        cells_per_zone,
        no_zone_cells,
        overlap_cells,
    })
}

fn zone_regions(
    names: &[String],
    parents: &[Option<String>],
    spec: &ZoneSpec,
) -> Result<Regions, crate::error::LandscapeError> {
    let mut table: Vec<Region> = names
        .iter()
        .map(|n| Region::root(n.clone(), spec.level.clone()))
        .collect();
    for (z, p) in parents.iter().enumerate() {
        let Some(p) = p else { continue };
        let idx = match table.iter().position(|r| r.name == *p) {
            Some(k) => k,
            None => {
                table.push(Region::root(p.clone(), spec.parent_level.clone()));
                table.len() - 1
            }
        };
        table[z].parent = Some(idx as u32);
    }
    Regions::new(table)
}

/// Runs GDAL's scanline fill over one feature, calling `burn(row, first_col, last_col)` (cols
/// inclusive, not yet clipped) for each filled span. `edges` and `ints` are reused buffers.
fn scan_feature<E>(
    f: &crate::io::PolygonFeature,
    grid: &GridShape,
    edges: &mut Vec<[f64; 4]>,
    ints: &mut Vec<i64>,
    burn: &mut impl FnMut(usize, i64, i64) -> Result<(), E>,
) -> Result<(), E> {
    let gt = grid.geotransform();
    let to_px = |p: &[f64; 2]| [(p[0] - gt[0]) / gt[1], (p[1] - gt[3]) / gt[5]];
    edges.clear();
    let mut horizontals: Vec<(f64, f64, f64)> = Vec::new();
    for ring in f.polygons.iter().flat_map(|p| p.rings.iter()) {
        let n = ring.len();
        for k in 0..n {
            // GDAL's edge from the previous vertex (ind1) to this one (ind2), ring closing.
            let p1 = to_px(&ring[if k == 0 { n - 1 } else { k - 1 }]);
            let p2 = to_px(&ring[k]);
            if p1[1] < p2[1] {
                edges.push([p1[1], p2[1], p1[0], p2[0]]);
            } else if p1[1] > p2[1] {
                edges.push([p2[1], p1[1], p2[0], p1[0]]);
            } else if p1[0] > p2[0] {
                horizontals.push((p1[1], p2[0], p1[0]));
            }
        }
    }
    if edges.is_empty() {
        return Ok(());
    }
    edges.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let ymin = edges[0][0];
    let ymax = edges.iter().map(|e| e[1]).fold(f64::NEG_INFINITY, f64::max);
    let rows = grid.rows() as f64;
    let r0 = ymin.floor().max(0.0);
    let r1 = ymax.floor().min(rows - 1.0);
    if r1 < r0 {
        return Ok(());
    }
    let mut next = 0usize;
    let mut active: Vec<[f64; 4]> = Vec::new();
    for row in r0 as usize..=r1 as usize {
        let dy = row as f64 + 0.5;
        while next < edges.len() && edges[next][0] <= dy {
            active.push(edges[next]);
            next += 1;
        }
        active.retain(|e| dy < e[1]);
        ints.clear();
        for e in &active {
            let x = (dy - e[0]) * (e[3] - e[2]) / (e[1] - e[0]) + e[2];
            ints.push((x + 0.5).floor() as i64);
        }
        ints.sort_unstable();
        for pair in ints.chunks_exact(2) {
            burn(row, pair[0], pair[1] - 1)?;
        }
    }
    for &(y, x_lo, x_hi) in &horizontals {
        let row = y - 0.5;
        if row.fract() == 0.0 && row >= 0.0 && row < rows {
            burn(
                row as usize,
                (x_lo + 0.5).floor() as i64,
                (x_hi + 0.5).floor() as i64 - 1,
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{Polygon, PolygonFeature};
    use serde_json::Value;

    fn feat(name: &str, polygons: Vec<Vec<Vec<[f64; 2]>>>) -> PolygonFeature {
        PolygonFeature {
            polygons: polygons
                .into_iter()
                .map(|rings| Polygon { rings })
                .collect(),
            properties: vec![("name".into(), Value::String(name.into()))],
        }
    }

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
        // Counter-clockwise (RFC 7946 outer ring).
        vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    }

    fn grid(rows: usize, cols: usize) -> GridShape {
        // 1 m cells, top-left corner at (0, rows): cell (r, c) has centre (c + 0.5, rows − r − 0.5).
        GridShape::with_geotransform(rows, cols, [0.0, 1.0, 0.0, rows as f64, 0.0, -1.0]).unwrap()
    }

    fn picture(z: &Zones, cols: usize) -> Vec<String> {
        z.region_index()
            .chunks(cols)
            .map(|r| {
                r.iter()
                    .map(|&v| {
                        if v == NO_ZONE {
                            '.'
                        } else {
                            (b'a' + v as u8) as char
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn hole_multipolygon_and_outside_cells() {
        // 6 × 6 grid. Zone a: square (0,0)–(4,4) with a hole (1,1)–(2,2) → 16 − 1 = 15 cells.
        // Zone b: MultiPolygon of (5,5)–(6,6) and (5,0)–(6,2) → 3 cells. The rest (18) outside.
        let hole = vec![[1.0, 1.0], [1.0, 2.0], [2.0, 2.0], [2.0, 1.0], [1.0, 1.0]];
        let layer = PolygonLayer::new(
            "t.geojson",
            vec![
                feat("a", vec![vec![rect(0.0, 0.0, 4.0, 4.0), hole]]),
                feat(
                    "b",
                    vec![
                        vec![rect(5.0, 5.0, 6.0, 6.0)],
                        vec![rect(5.0, 0.0, 6.0, 2.0)],
                    ],
                ),
            ],
        )
        .unwrap();
        let z = rasterize_zones(&layer, &ZoneSpec::new("name"), &grid(6, 6)).unwrap();
        assert_eq!(
            picture(&z, 6),
            [".....b", "......", "aaaa..", "aaaa..", "a.aa.b", "aaaa.b"]
        );
        assert_eq!(z.cells_per_zone(), &[15, 3]);
        assert_eq!(z.no_zone_cells(), 18);
        assert_eq!(z.overlap_cells(), 0);
    }

    #[test]
    fn centres_exactly_on_edges_follow_gdal() {
        // Edges through cell centres: x = 0.5 (west) and x = 2.5 (east), y = 0.5 (south) and
        // y = 2.5 (north) on a 3 × 3 grid whose centres are at 0.5, 1.5, 2.5.
        // GDAL: west edge out, east edge in; north edge in (vertices at the top end of the
        // vertical edges count); south edge out for a counter-clockwise ring, in for a
        // clockwise one (horizontal edge run westward).
        let ccw = rect(0.5, 0.5, 2.5, 2.5);
        let mut cw = ccw.clone();
        cw.reverse();
        for (ring, expected) in [(ccw, [".aa", ".aa", "..."]), (cw, [".aa", ".aa", ".aa"])] {
            let layer = PolygonLayer::new("e", vec![feat("a", vec![vec![ring]])]).unwrap();
            let z = rasterize_zones(&layer, &ZoneSpec::new("name"), &grid(3, 3)).unwrap();
            assert_eq!(picture(&z, 3), expected);
        }
    }

    #[test]
    fn overlaps_last_wins_or_error_and_parents() {
        let mut a = feat("a", vec![vec![rect(0.0, 0.0, 2.0, 1.0)]]);
        let mut b = feat("b", vec![vec![rect(1.0, 0.0, 3.0, 1.0)]]);
        a.properties
            .push(("district".into(), Value::String("D".into())));
        b.properties
            .push(("district".into(), Value::String("D".into())));
        let layer = PolygonLayer::new("o.geojson", vec![a, b]).unwrap();
        let spec = ZoneSpec::new("name")
            .parent("district")
            .levels("township", "district");
        let z = rasterize_zones(&layer, &spec, &grid(1, 3)).unwrap();
        assert_eq!(picture(&z, 3), ["abb"]);
        assert_eq!(z.overlap_cells(), 1);
        assert_eq!(z.regions().len(), 3);
        assert_eq!(z.regions().get(2).unwrap().name, "D");
        assert_eq!(z.regions().ancestors(1).collect::<Vec<_>>(), vec![2]);
        let err = rasterize_zones(&layer, &spec.overlap(Overlap::Error), &grid(1, 3)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`o.geojson`, feature 1: zone `b` overlaps zone `a` at cell (row 0, col 1)"
        );
    }

    #[test]
    fn same_zone_with_two_parents_is_an_error() {
        let mut a1 = feat("a", vec![vec![rect(0.0, 0.0, 1.0, 1.0)]]);
        let mut a2 = feat("a", vec![vec![rect(1.0, 0.0, 2.0, 1.0)]]);
        a1.properties
            .push(("d".into(), Value::String("North".into())));
        a2.properties
            .push(("d".into(), Value::String("South".into())));
        let layer = PolygonLayer::new("p.geojson", vec![a1, a2]).unwrap();
        let err =
            rasterize_zones(&layer, &ZoneSpec::new("name").parent("d"), &grid(1, 2)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`p.geojson`, feature 1: attribute `d` is `South`; expected the same parent as earlier features of the zone"
        );
    }

    #[test]
    fn missing_name_attribute_is_an_error() {
        let mut f = feat("a", vec![vec![rect(0.0, 0.0, 1.0, 1.0)]]);
        f.properties.clear();
        let layer = PolygonLayer::new("m.geojson", vec![f]).unwrap();
        let err = rasterize_zones(&layer, &ZoneSpec::new("name"), &grid(1, 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`m.geojson`, feature 0: attribute `name` is missing; expected a non-empty name or an integer"
        );
    }
}
