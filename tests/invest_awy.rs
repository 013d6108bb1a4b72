//! InVEST Annual Water Yield on a hand-built 2 × 3 landscape, through the datastack runner.
#![cfg(feature = "invest")]

use std::path::{Path, PathBuf};

use gep::invest::{run_datastack, Hydropower, RunOptions, ZoneResult};
use gep::io::{read_geotiff, write_geotiff, Raster, RasterData, WriteOptions};

/// 2 rows × 3 cols of 100 m cells (1 ha each); the grid spans x 0…300, y 0…200 m.
fn grid(data: RasterData, nodata: Option<f64>) -> Raster {
    Raster {
        rows: 2,
        cols: 3,
        geotransform: [0.0, 100.0, 0.0, 200.0, 0.0, -100.0],
        epsg: Some(32650),
        nodata,
        data,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-5 * b.abs().max(1e-9)
}

fn setup(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("invest_awy")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let w = |name: &str, r: Raster| {
        write_geotiff(dir.join(name), &r, &WriteOptions::default()).unwrap()
    };
    // Cells: c0 veg, c1 veg (ω capped), c2 non-veg, c3 P = 0, c4 LULC nodata, c5 P nodata.
    w(
        "lulc.tif",
        grid(RasterData::I16(vec![1, 1, 2, 1, -1, 2]), Some(-1.0)),
    );
    w(
        "precip.tif",
        grid(
            RasterData::F32(vec![1000.0, 500.0, 800.0, 0.0, 900.0, -9999.0]),
            Some(-9999.0),
        ),
    );
    w(
        "eto.tif",
        grid(
            RasterData::F32(vec![1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 600.0]),
            Some(-9999.0),
        ),
    );
    w(
        "depth.tif",
        grid(
            RasterData::F32(vec![2000.0, 2000.0, 2000.0, 2000.0, 2000.0, 2000.0]),
            Some(-9999.0),
        ),
    );
    w(
        "pawc.tif",
        grid(
            RasterData::F32(vec![0.1, 0.25, 0.1, 0.1, 0.1, 0.1]),
            Some(-9999.0),
        ),
    );
    let files = [
        ("bio.csv", "LUCODE,lulc_veg,Root_Depth,Kc,desc\n1,1,1000,1.0,forest\n2,0,1,0.5,urban\n"),
        ("demand.csv", "lucode,demand\n1,2\n2,5\n"),
        ("valuation.csv", "ws_id,efficiency,fraction,height,kw_price,cost,time_span,discount\n1,0.8,0.5,10,0.1,5,2,10\n2,0.8,0.5,10,0.1,5,2,10\n"),
        // ws 1: the whole grid (60 000 m²); ws 2: the square of cell c4 only (10 000 m²).
        ("ws.geojson", r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"ws_id":1},"geometry":{"type":"Polygon","coordinates":[[[0,0],[300,0],[300,200],[0,200],[0,0]]]}},
            {"type":"Feature","properties":{"ws_id":2},"geometry":{"type":"Polygon","coordinates":[[[100,0],[200,0],[200,100],[100,100],[100,0]]]}}]}"#),
        ("ds.json", r#"{"model_id": "annual_water_yield", "args": {"workspace_dir": "ws",
            "lulc_path": "lulc.tif", "precipitation_path": "precip.tif", "eto_path": "eto.tif",
            "depth_to_root_rest_layer_path": "depth.tif", "pawc_path": "pawc.tif",
            "biophysical_table_path": "bio.csv", "seasonality_constant": "10",
            "watersheds_path": "ws.geojson", "sub_watersheds_path": "subws.geojson",
            "demand_table_path": "demand.csv", "valuation_table_path": "valuation.csv"}}"#),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let sub = files[3].1.replace("ws_id", "subws_id");
    std::fs::write(dir.join("subws.geojson"), sub).unwrap();
    dir
}

fn f32s(path: PathBuf) -> Vec<f32> {
    let r = read_geotiff(path).unwrap();
    assert_eq!(r.nodata, Some(-1.0));
    match r.data {
        RasterData::F32(v) => v,
        other => panic!("expected Float32, found {}", other.type_name()),
    }
}

#[test]
fn awy_matches_hand_arithmetic() {
    let dir = setup("hand");
    run_datastack(dir.join("ds.json"), &RunOptions::default()).unwrap();
    // c0: AWC = min(1000, 2000) mm · 0.1 = 100 mm; ω = 10 · 100/1000 + 1.25 = 2.25; φ = 1000/1000 = 1;
    //     fractp = 1 + 1 − (1 + 1^2.25)^(1/2.25) = 2 − 2^(1/2.25) ≈ 0.639210.
    let f0 = 2.0 - 2f64.powf(1.0 / 2.25);
    // c1: AWC = 1000 · 0.25 = 250 mm; ω = 10 · 250/500 + 1.25 = 6.25 → capped at 5; φ = 1000/500 = 2;
    //     fractp = min(2, 3 − (1 + 2^5)^(1/5)) = 3 − 33^0.2 ≈ 0.986589.
    let f1 = 3.0 - 33f64.powf(0.2);
    // c2 (not vegetated): fractp = min(0.5 · 1000, 800) / 800 = 0.625.
    let f2 = 0.625;
    let nd = -1.0;
    let fractp = f32s(dir.join("ws/output/per_pixel/fractp.tif"));
    let aet = f32s(dir.join("ws/output/per_pixel/aet.tif"));
    let wyield = f32s(dir.join("ws/output/per_pixel/wyield.tif"));
    let p = [1000.0, 500.0, 800.0];
    for (k, f) in [f0, f1, f2].into_iter().enumerate() {
        assert!(
            close(fractp[k] as f64, f),
            "fractp[{k}] {} vs {f}",
            fractp[k]
        );
        assert!(close(aet[k] as f64, f * p[k]), "aet[{k}]");
        // InVEST (and gep) evaluate in float32: `1 − fractp` cancels when fractp ≈ 1 (c1: 0.0134),
        // so the float32 rounding of fractp (~6e-8) is relative to P there, not to the yield.
        let w = (1.0 - f) * p[k];
        assert!(
            (wyield[k] as f64 - w).abs() <= 1e-6 * p[k],
            "wyield[{k}] {} vs {w}",
            wyield[k]
        );
    }
    // P = 0, LULC nodata and P nodata are nodata in all three maps.
    for k in 3..6 {
        assert_eq!((fractp[k], aet[k], wyield[k]), (nd, nd, nd), "cell {k}");
    }

    let csv = std::fs::read_to_string(dir.join("ws/output/watershed_results_wyield.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "ws_id,precip_mn,PET_mn,AET_mn,wyield_mn,wyield_vol,consum_vol,consum_mn,rsupply_vl,rsupply_mn,hp_energy,hp_val"
    );
    let row = |l: &str| -> Vec<Option<f64>> { l.split(',').map(|v| v.parse().ok()).collect() };
    let ws1 = row(lines.next().unwrap());
    let ws2 = row(lines.next().unwrap());
    // precip_mn: valid P at c0…c4 (c4's P is valid although its LULC is not): (1000+500+800+0+900)/5 = 640 mm.
    // PET_mn: PET = Kc·ET0 where LULC and ET0 are valid: c0 1000, c1 1000, c2 500, c3 1000, c5 300 → 760 mm.
    // AET_mn, wyield_mn: over c0…c2 only.
    let aet_mn = (f0 * 1000.0 + f1 * 500.0 + f2 * 800.0) / 3.0;
    let wy_mn = ((1.0 - f0) * 1000.0 + (1.0 - f1) * 500.0 + (1.0 - f2) * 800.0) / 3.0;
    // wyield_vol = wyield_mn [mm] · 60 000 m² / 1000 (m³/yr).
    let vol = wy_mn * 60_000.0 / 1000.0;
    // Demand (m³/yr per pixel) where LULC is valid: c0 2, c1 2, c2 5, c3 2, c5 5 → 16 m³, mean 3.2.
    let rs = vol - 16.0;
    // Hydropower: 0.8 · 0.5 · 10 m · rs · 0.00272 kWh; value (0.1 · E − 5) · (1 + 1/1.1).
    let energy = 0.8 * 0.5 * 10.0 * rs * 0.00272;
    let value = (0.1 * energy - 5.0) * (1.0 + 1.0 / 1.1);
    let want = [
        1.0,
        640.0,
        760.0,
        aet_mn,
        wy_mn,
        vol,
        16.0,
        3.2,
        rs,
        wy_mn - 3.2,
        energy,
        value,
    ];
    for (k, (got, w)) in ws1.iter().zip(want).enumerate() {
        assert!(close(got.unwrap(), w), "ws 1 field {k}: {got:?} vs {w}");
    }
    // ws 2 holds only c4: P = 900 is valid, everything else is NULL (empty).
    assert_eq!(ws2[0], Some(2.0));
    assert!(close(ws2[1].unwrap(), 900.0));
    assert!(ws2[2..].iter().all(Option::is_none), "{ws2:?}");
    // Sub-watersheds: same zones, no valuation columns.
    let sub =
        std::fs::read_to_string(dir.join("ws/output/subwatershed_results_wyield.csv")).unwrap();
    assert!(
        sub.starts_with("subws_id,precip_mn") && !sub.contains("hp_val"),
        "{sub}"
    );
}

#[test]
fn hydropower_zero_discount_quirk() {
    // InVEST leaves the discount sum at 0 when discount = 0, so hp_val = 0 (reproduced).
    let mut zone = ZoneResult {
        rsupply_vl: Some(1000.0),
        ..ZoneResult::default()
    };
    let h = Hydropower {
        efficiency: 1.0,
        fraction: 1.0,
        height_m: 1.0,
        kw_price: 1.0,
        cost: 0.0,
        time_span: 10.0,
        discount_pct: 0.0,
    };
    h.apply(&mut zone);
    assert!(close(zone.hp_energy.unwrap(), 2.72));
    assert_eq!(zone.hp_val, Some(0.0));
}

#[test]
fn awy_missing_class_and_grid_mismatch() {
    let dir = setup("missing_class");
    std::fs::write(
        dir.join("bio.csv"),
        "lucode,lulc_veg,root_depth,kc\n1,1,1000,1\n",
    )
    .unwrap();
    let e = run_datastack(dir.join("ds.json"), &RunOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("lulc.tif") && e.contains("bio.csv") && e.contains("[2]"),
        "{e}"
    );
    let dir = setup("grid");
    let mut r = grid(RasterData::F32(vec![1.0; 3]), None);
    r.rows = 1;
    write_geotiff(dir.join("pawc.tif"), &r, &WriteOptions::default()).unwrap();
    let e = run_datastack(dir.join("ds.json"), &RunOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("pawc.tif") && e.contains("1 rows"), "{e}");
    assert!(!dir.join("ws/output").exists());
}
