//! Zones and parcels from GeoJSON files: rasterised regions on a grid, parcel landscapes,
//! geographic cell areas, and the typed errors of bad files (file, feature, what, where).
#![cfg(feature = "vector")]

use std::path::PathBuf;

use approx::assert_relative_eq;
use gep::error::{GepError, LandscapeError, VectorError};
use gep::landscape::{Classification, CrsKind, GridShape, LandscapeBuilder};
use gep::vector::{
    parcel_landscape, rasterize_zones, ParcelArea, ParcelSpec, PolygonLayer, ZoneSpec, NO_ZONE,
};
use ndarray::Array1;

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gep-zones-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn collection(features: &[String]) -> String {
    format!(
        r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
        features.join(",")
    )
}

fn feature(props: &str, geometry: &str) -> String {
    format!(r#"{{"type": "Feature", "properties": {{{props}}}, "geometry": {geometry}}}"#)
}

/// Two townships of one district on a 4 × 5 grid of 100 m cells (UTM 49N), one of them a
/// MultiPolygon, with a hole, and a corner outside both.
fn townships() -> String {
    collection(&[
        feature(
            r#""name": "Town A", "district": "North""#,
            // x 500000–500300, y 3000000–3000400 minus the hole 500100–500200 × 3000100–3000200.
            r#"{"type": "Polygon", "coordinates": [
                [[500000,3000000],[500300,3000000],[500300,3000400],[500000,3000400],[500000,3000000]],
                [[500100,3000100],[500100,3000200],[500200,3000200],[500200,3000100],[500100,3000100]]]}"#,
        ),
        feature(
            r#""name": "Town B", "district": "North""#,
            // Two parts: column 3 rows 0–3, and cell (0, 4); the second part extends past the
            // grid's east edge (clipped).
            r#"{"type": "MultiPolygon", "coordinates": [
                [[[500300,3000000],[500400,3000000],[500400,3000400],[500300,3000400],[500300,3000000]]],
                [[[500400,3000300],[500700,3000300],[500700,3000400],[500400,3000400],[500400,3000300]]]]}"#,
        ),
    ])
}

fn utm_grid() -> GridShape {
    GridShape::with_geotransform(4, 5, [500_000.0, 100.0, 0.0, 3_000_400.0, 0.0, -100.0])
        .unwrap()
        .with_epsg(32649)
}

#[test]
fn townships_rasterised_onto_grid_with_hierarchy_and_outside_cells() {
    let path = write("townships.geojson", &townships());
    let layer = PolygonLayer::read(&path).unwrap();
    let spec = ZoneSpec::new("name")
        .parent("district")
        .levels("township", "district");
    let zones = rasterize_zones(&layer, &spec, &utm_grid()).unwrap();
    let n = NO_ZONE;
    #[rustfmt::skip]
    let expected = [
        0, 0, 0, 1, 1,
        0, 0, 0, 1, n,
        0, n, 0, 1, n,
        0, 0, 0, 1, n,
    ];
    assert_eq!(zones.region_index(), &expected);
    // Town A: 12 cells − 1 hole = 11; Town B: 4 + 1 = 5; outside: 4 of 20.
    assert_eq!(zones.cells_per_zone(), &[11, 5]);
    assert_eq!(zones.no_zone_cells(), 4);
    assert_eq!(zones.regions().get(2).unwrap().name, "North");
    assert_eq!(zones.regions().ancestors(0).collect::<Vec<_>>(), vec![2]);

    // Into a landscape: outside cells get their own region; 100 m cells are 1 ha each.
    let (regions, region) = zones.into_landscape_regions("outside").unwrap();
    assert_eq!(regions.len(), 4);
    assert_eq!(region[9], 3);
    let landscape = LandscapeBuilder::new(Classification::gep_default(), regions)
        .land_cover(Array1::from_elem(20, 11))
        .region(Array1::from(region))
        .grid(utm_grid())
        .build()
        .unwrap();
    assert_eq!(landscape.total_area_ha(), 20.0);
}

#[test]
fn geographic_grid_gets_true_cell_areas_and_ambiguous_grid_is_refused() {
    // 2 rows × 3 cols of 0.5° from 60.5°N to 59.5°N, EPSG:4326: the cells' areas must add up
    // to the WGS84 band 59.5–60.5°N over 1.5° of longitude (closed form).
    let gt = [100.0, 0.5, 0.0, 60.5, 0.0, -0.5];
    let grid = GridShape::with_geotransform(2, 3, gt)
        .unwrap()
        .with_epsg(4326);
    let build = |grid: GridShape| {
        LandscapeBuilder::new(
            Classification::gep_default(),
            gep::landscape::Regions::single("R"),
        )
        .land_cover(Array1::from_elem(6, 11))
        .grid(grid)
    };
    let l = build(grid.clone()).build().unwrap();
    let band_ha = gep::landscape::ellipsoid_band_area_m2(59.5, 60.5, 1.5) / 1e4;
    assert_relative_eq!(l.total_area_ha(), band_ha, max_relative = 1e-12);
    assert!(l.areas().get(0) < l.areas().get(3)); // northern row smaller
                                                  // Same grid without an EPSG code: refused, unless the kind is stated.
    let bare = GridShape::with_geotransform(2, 3, gt).unwrap();
    let err = build(bare.clone()).build().unwrap_err();
    assert!(matches!(err, LandscapeError::AmbiguousCrs { .. }));
    assert!(err.to_string().contains("look like degrees"));
    let stated = build(bare).grid_crs(CrsKind::Geographic).build().unwrap();
    assert_eq!(stated.total_area_ha(), l.total_area_ha());
}

#[test]
fn parcels_from_file_with_geodesic_areas() {
    // Two lon/lat parcels at 25°N: 0.01° × 0.01° squares, forest (11) and cropland (51).
    let sq = |lon: f64| {
        format!(
            r#"{{"type": "Polygon", "coordinates": [[[{lon},25.0],[{e},25.0],[{e},25.01],[{lon},25.01],[{lon},25.0]]]}}"#,
            e = lon + 0.01
        )
    };
    let text = collection(&[
        feature(r#""lc": 11, "town": "A", "npp": 700.5"#, &sq(100.0)),
        feature(r#""lc": 51, "town": "B", "npp": null"#, &sq(100.01)),
    ]);
    let layer = PolygonLayer::read(write("parcels.geojson", &text)).unwrap();
    let spec = ParcelSpec::new("lc", ParcelArea::Geodesic)
        .region("town")
        .layer("npp", "npp_gc_per_m2");
    let l = parcel_landscape(&layer, &spec, Classification::gep_default()).unwrap();
    // Each ≈ the band area 25–25.01°N over 0.01°: 111.82 ha (geodesic edges differ by < 1e-6
    // at this size).
    let band_ha = gep::landscape::ellipsoid_band_area_m2(25.0, 25.01, 0.01) / 1e4;
    assert_relative_eq!(l.areas().get(0), band_ha, max_relative = 1e-6);
    assert_relative_eq!(band_ha, 111.820_88, max_relative = 1e-7);
    assert_eq!(l.regions().len(), 2);
    assert_eq!(l.layer("npp_gc_per_m2").unwrap().as_slice()[0], 700.5);
}

#[test]
fn bad_files_give_typed_errors_naming_file_feature_and_coordinates() {
    let square = r#"{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#;
    // A Point as the second feature.
    let p = write(
        "points.geojson",
        &collection(&[
            feature(r#""name": "a""#, square),
            feature(
                r#""name": "b""#,
                r#"{"type": "Point", "coordinates": [3, 4]}"#,
            ),
        ]),
    );
    let e = PolygonLayer::read(&p).unwrap_err();
    assert!(matches!(e, VectorError::NotPolygon { feature: 1, ref found, .. } if found == "Point"));
    assert_eq!(
        e.to_string(),
        format!(
            "`{}`, feature 1: geometry type `Point` is not Polygon or MultiPolygon",
            p.display()
        )
    );
    // A LineString, and GepError wraps the vector error.
    let l = write(
        "lines.geojson",
        &collection(&[feature(
            r#""name": "a""#,
            r#"{"type": "LineString", "coordinates": [[0,0],[1,1]]}"#,
        )]),
    );
    let e: GepError = PolygonLayer::read(&l).unwrap_err().into();
    assert!(e
        .to_string()
        .contains("feature 0: geometry type `LineString`"));
    // A self-intersecting (bow-tie) polygon: both edges and the crossing point are named.
    let b = write(
        "bowtie.geojson",
        &collection(&[
            feature(r#""name": "a""#, square),
            feature(
                r#""name": "b""#,
                r#"{"type": "Polygon", "coordinates": [[[0,0],[2,2],[2,0],[0,2],[0,0]]]}"#,
            ),
        ]),
    );
    let e = PolygonLayer::read(&b).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "`{}`, feature 1, polygon 0: edge [[0.0, 0.0], [2.0, 2.0]] of ring 0 intersects edge [[2.0, 0.0], [0.0, 2.0]] of ring 0 at [1.0, 1.0]",
            b.display()
        )
    );
    // A ring with 3 positions.
    let t = write(
        "short.geojson",
        &collection(&[feature(
            r#""name": "a""#,
            r#"{"type": "Polygon", "coordinates": [[[0,0],[1,0],[0,0]]]}"#,
        )]),
    );
    let e = PolygonLayer::read(&t).unwrap_err();
    assert!(matches!(
        e,
        VectorError::BadRing {
            feature: 0,
            ring: 0,
            ..
        }
    ));
    assert!(e
        .to_string()
        .contains("ring has 3 positions, at least 4 are needed"));
    // Not JSON.
    let j = write("broken.geojson", "{\"type\": ");
    assert!(matches!(
        PolygonLayer::read(&j),
        Err(VectorError::Format { .. })
    ));
}

/// UTM forward projection (Krüger n-series to n³, Karney 2011, "Transverse Mercator with an
/// accuracy of a few nanometers", J. Geod. 85:475–485, eqs. 7–11; ~1 mm within the zone):
/// (lon, lat) in degrees → (easting, northing) in m, northern hemisphere.
fn utm_forward(lon: f64, lat: f64, zone: u32) -> [f64; 2] {
    let (a, f, k0) = (gep::landscape::WGS84_A_M, gep::landscape::WGS84_F, 0.9996);
    let n = f / (2.0 - f);
    let big_a = a / (1.0 + n) * (1.0 + n * n / 4.0 + n.powi(4) / 64.0);
    let alpha = [
        n / 2.0 - 2.0 * n * n / 3.0 + 5.0 * n.powi(3) / 16.0,
        13.0 * n * n / 48.0 - 3.0 * n.powi(3) / 5.0,
        61.0 * n.powi(3) / 240.0,
    ];
    let lon0 = (zone as f64 * 6.0 - 183.0).to_radians();
    let (phi, dl) = (lat.to_radians(), lon.to_radians() - lon0);
    let c = 2.0 * n.sqrt() / (1.0 + n);
    let t = (phi.sin().atanh() - c * (c * phi.sin()).atanh()).sinh();
    let xi = (t / dl.cos()).atan();
    let eta = (dl.sin() / (1.0 + t * t).sqrt()).atanh();
    let (mut e, mut nn) = (eta, xi);
    for (j, al) in alpha.iter().enumerate() {
        let k = 2.0 * (j + 1) as f64;
        e += al * (k * xi).cos() * (k * eta).sinh();
        nn += al * (k * xi).sin() * (k * eta).cosh();
    }
    [500_000.0 + k0 * big_a * e, k0 * big_a * nn]
}

#[test]
fn county_polygon_geodesic_area_matches_planar_utm_area() {
    // An irregular county-sized pentagon (~50 km across) near 110.5°E, 30°N, in UTM zone 49N
    // (central meridian 111°E). A UTM planar area is the true area × k², k ≈ 0.9996 near the
    // central meridian: planar within 0.1 % of geodesic, and planar / 0.9996² within 1e-4
    // (k grows by ≤ 3e-5 over the 25–75 km from the central meridian).
    let lonlat = [
        [110.30, 29.90],
        [110.80, 29.95],
        [110.85, 30.30],
        [110.50, 30.45],
        [110.25, 30.20],
        [110.30, 29.90],
    ];
    let ring = |pts: Vec<String>| {
        format!(
            r#"{{"type": "Polygon", "coordinates": [[{}]]}}"#,
            pts.join(",")
        )
    };
    let geo_text = collection(&[feature(
        r#""lc": 11"#,
        &ring(
            lonlat
                .iter()
                .map(|p| format!("[{},{}]", p[0], p[1]))
                .collect(),
        ),
    )]);
    let utm_text = collection(&[feature(
        r#""lc": 11"#,
        &ring(
            lonlat
                .iter()
                .map(|p| {
                    let [x, y] = utm_forward(p[0], p[1], 49);
                    format!("[{x},{y}]")
                })
                .collect(),
        ),
    )]);
    let area = |text: &str, how: ParcelArea| {
        let layer = PolygonLayer::parse(text, "county.geojson").unwrap();
        parcel_landscape(
            &layer,
            &ParcelSpec::new("lc", how),
            Classification::gep_default(),
        )
        .unwrap()
        .total_area_ha()
    };
    let geodesic_ha = area(&geo_text, ParcelArea::Geodesic);
    let planar_ha = area(&utm_text, ParcelArea::Planar);
    // Rough check: 0.24125 degree² (shoelace) × 110.86 km (1° of latitude at 30°N) × 96.49 km
    // (1° of longitude) ≈ 258 060 ha.
    assert_relative_eq!(geodesic_ha, 258_060.0, max_relative = 2e-3);
    assert_relative_eq!(planar_ha, geodesic_ha, max_relative = 1e-3);
    assert_relative_eq!(
        planar_ha / (0.9996 * 0.9996),
        geodesic_ha,
        max_relative = 1e-4
    );
    // The projection itself against a known point: 111°E, 30°N is on the central meridian,
    // northing = k0 × meridian arc to 30° (∫M dφ by Simpson: 3 320 113.40 m) = 3 318 785.35 m.
    let [e0, n0] = utm_forward(111.0, 30.0, 49);
    assert_relative_eq!(e0, 500_000.0, epsilon = 1e-6);
    assert_relative_eq!(n0, 3_318_785.35, epsilon = 0.05);
}

#[test]
fn zones_of_row_blocks_equal_rows_of_whole_grid() {
    // Streaming: rasterising each block of rows gives the same cells as the whole grid.
    let layer = PolygonLayer::parse(&townships(), "townships.geojson").unwrap();
    let spec = ZoneSpec::new("name");
    let grid = utm_grid();
    let whole = rasterize_zones(&layer, &spec, &grid).unwrap();
    let mut stitched = Vec::new();
    for (r0, r1) in [(0, 1), (1, 3), (3, 4)] {
        let block = rasterize_zones(&layer, &spec, &grid.row_block(r0, r1).unwrap()).unwrap();
        assert_eq!(block.regions(), whole.regions());
        stitched.extend_from_slice(block.region_index());
    }
    assert_eq!(stitched, whole.region_index());
}

/// Timing only (run with `--release -- --ignored`): a 4000 × 4000 grid, a 20 000-vertex
/// disc and 400 small squares.
#[test]
#[ignore]
fn rasterize_timing_4000x4000() {
    let n = 4000.0;
    let disc: Vec<String> = (0..=20_000)
        .map(|k| {
            let t = std::f64::consts::TAU * (k % 20_000) as f64 / 20_000.0;
            format!(
                "[{},{}]",
                2000.0 + 1900.0 * t.cos(),
                2000.0 + 1900.0 * t.sin()
            )
        })
        .collect();
    let mut feats = vec![feature(
        r#""name": "disc""#,
        &format!(
            r#"{{"type": "Polygon", "coordinates": [[{}]]}}"#,
            disc.join(",")
        ),
    )];
    for i in 0..400 {
        let (x, y) = ((i % 20) as f64 * 200.0, (i / 20) as f64 * 200.0);
        feats.push(feature(
            &format!(r#""name": "sq{i}""#),
            &format!(
                r#"{{"type": "Polygon", "coordinates": [[[{x},{y}],[{x1},{y}],[{x1},{y1}],[{x},{y1}],[{x},{y}]]]}}"#,
                x1 = x + 150.0,
                y1 = y + 150.0
            ),
        ));
    }
    let text = collection(&feats);
    let t0 = std::time::Instant::now();
    let layer = PolygonLayer::parse(&text, "timing.geojson").unwrap();
    let t1 = std::time::Instant::now();
    let grid = GridShape::with_geotransform(4000, 4000, [0.0, 1.0, 0.0, n, 0.0, -1.0]).unwrap();
    let zones = rasterize_zones(&layer, &ZoneSpec::new("name"), &grid).unwrap();
    let t2 = std::time::Instant::now();
    eprintln!(
        "parse+check {:?}, rasterize 16e6 cells {:?}, overlap cells {}",
        t1 - t0,
        t2 - t1,
        zones.overlap_cells()
    );
    assert_eq!(zones.cells_per_zone().len(), 401);
}
