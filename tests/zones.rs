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
