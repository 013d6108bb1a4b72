//! InVEST Carbon on a hand-built 3 × 3 landscape, through the datastack runner and files.
#![cfg(feature = "invest")]

use std::path::{Path, PathBuf};

use gep::invest::{run_datastack, Compat, RunOptions};
use gep::io::{read_geotiff, write_geotiff, Raster, RasterData, WriteOptions};

/// Cells are 10 m × 10 m = 100 m² = 0.01 ha.
fn grid(data: RasterData, nodata: Option<f64>) -> Raster {
    Raster {
        rows: 3,
        cols: 3,
        geotransform: [500_000.0, 10.0, 0.0, 4_000_000.0, 0.0, -10.0],
        epsg: Some(32650),
        nodata,
        data,
    }
}

// Pools (t C/ha), messy headers and an extra column as users write them:
//   1: 10 + 5 + 20 + 1 = 36;  2: 4 + 2 + 10 + 0 = 16;  3: 0;  4: 10 + 5 + 19 + 1 = 35.
const POOLS: &str = " LUCODE ,C_Above,c_below,C_SOIL,c_dead,name\n1,10,5,20,1,forest\n2,4,2,10,0,shrub\n3,0,0,0,0,water\n4,10,5,19,1,degraded\n";
// Baseline and alternate LULC (255 = nodata).
const BAS: [u8; 9] = [1, 1, 2, 2, 3, 255, 1, 2, 3];
const ALT: [u8; 9] = [4, 1, 1, 3, 3, 2, 255, 2, 1];

fn setup(name: &str, bas: &[u8], alt: &[u8], alt_rows: usize, years: (i64, i64)) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("invest_carbon")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    write_geotiff(
        dir.join("bas.tif"),
        &grid(RasterData::U8(bas.to_vec()), Some(255.0)),
        &WriteOptions::default(),
    )
    .unwrap();
    let mut alt_r = grid(RasterData::U8(alt.to_vec()), Some(255.0));
    alt_r.rows = alt_rows;
    alt_r.data = RasterData::U8(alt[..alt_rows * 3].to_vec());
    write_geotiff(dir.join("alt.tif"), &alt_r, &WriteOptions::default()).unwrap();
    std::fs::write(dir.join("pools.csv"), POOLS).unwrap();
    let ds = format!(
        r#"{{"model_id": "carbon", "args": {{"workspace_dir": "ws", "lulc_bas_path": "bas.tif",
        "lulc_alt_path": "alt.tif", "carbon_pools_path": "pools.csv", "calc_sequestration": true,
        "do_valuation": true, "lulc_bas_year": {}, "lulc_alt_year": {},
        "price_per_metric_ton_of_c": 100, "discount_rate": 10, "rate_change": 0}}}}"#,
        years.0, years.1
    );
    std::fs::write(dir.join("ds.json"), ds).unwrap();
    dir
}

fn f32s(path: PathBuf) -> (Vec<f32>, Option<f64>) {
    let r = read_geotiff(path).unwrap();
    match r.data {
        RasterData::F32(v) => (v, r.nodata),
        other => panic!("expected Float32, found {}", other.type_name()),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-5 * b.abs().max(1e-12)
}

fn summary(dir: &Path) -> Vec<(String, f64)> {
    std::fs::read_to_string(dir.join("ws/raster_values_summary.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].parse().unwrap())
        })
        .collect()
}

// V = price / n · Σ_{k<n} q^k with n = 2 years, q = 1/1.1: 100/2 · (1 + 1/1.1) = 95.4545… per t C.
const V: f64 = 50.0 * (1.0 + 1.0 / 1.1);

#[test]
fn carbon_matches_hand_arithmetic_invest_mode() {
    let dir = setup("compat", &BAS, &ALT, 3, (2020, 2022));
    run_datastack(dir.join("ds.json"), &RunOptions::default()).unwrap();
    let (bas, nd) = f32s(dir.join("ws/c_storage_bas.tif"));
    assert_eq!(nd, Some(-1.0));
    assert_eq!(
        bas,
        vec![36.0, 36.0, 16.0, 16.0, 0.0, -1.0, 36.0, 16.0, 0.0]
    );
    let (alt, _) = f32s(dir.join("ws/c_storage_alt.tif"));
    assert_eq!(
        alt,
        vec![35.0, 36.0, 36.0, 0.0, 0.0, 16.0, -1.0, 16.0, 36.0]
    );
    // Change alt − bas; cells 5 and 6 are nodata in one scenario. Cell 0 is a true −1 change.
    let (change, _) = f32s(dir.join("ws/c_change_bas_alt.tif"));
    assert_eq!(
        change,
        vec![-1.0, 0.0, 20.0, -16.0, 0.0, -1.0, -1.0, 0.0, 36.0]
    );
    // NPV = ΔC · V (currency/ha). Quirk: the −1 change at cell 0 is read as nodata.
    let (npv, nd) = f32s(dir.join("ws/npv_alt.tif"));
    assert_eq!(nd, Some(f32::MAX as f64));
    let m = f32::MAX;
    let expected = [
        m,
        0.0,
        20.0 * V as f32,
        -16.0 * V as f32,
        0.0,
        m,
        m,
        0.0,
        36.0 * V as f32,
    ];
    for (a, b) in npv.iter().zip(expected) {
        assert!(close(*a as f64, b as f64), "{a} vs {b}");
    }
    // Totals × 0.01 ha: bas 36+36+16+16+0+36+16+0 = 156 → 1.56 t C;
    // alt 35+36+36+0+0+16+16+36 = 175 → 1.75 t C; change (−1 dropped) 0+20−16+0+0+36 = 40 → 0.40;
    // NPV 40 · V · 0.01 = 38.1818… currency.
    let s = summary(&dir);
    let want = [1.56, 1.75, 0.40, 0.40 * V];
    assert_eq!(s.len(), 4);
    for ((label, got), want) in s.iter().zip(want) {
        assert!(close(*got, want), "{label}: {got} vs {want}");
    }
    assert_eq!(s[0].0, "Baseline Carbon Storage");
    assert_eq!(s[3].0, "Net Present Value of Carbon Change");
}

#[test]
fn carbon_corrected_mode_keeps_a_minus_one_change() {
    let dir = setup("corrected", &BAS, &ALT, 3, (2020, 2022));
    let options = RunOptions {
        compat: Compat::Corrected,
        ..RunOptions::default()
    };
    run_datastack(dir.join("ds.json"), &options).unwrap();
    let (change, nd) = f32s(dir.join("ws/c_change_bas_alt.tif"));
    assert_eq!(nd, Some(f32::MIN as f64));
    assert_eq!(change[0], -1.0);
    let (npv, _) = f32s(dir.join("ws/npv_alt.tif"));
    assert!(close(npv[0] as f64, -V));
    // Change total 39 · 0.01 = 0.39 t C; NPV 0.39 · V.
    let s = summary(&dir);
    assert!(close(s[2].1, 0.39) && close(s[3].1, 0.39 * V), "{s:?}");
}

fn assert_failed_cleanly(dir: &Path, must_contain: &[&str]) {
    let e = run_datastack(dir.join("ds.json"), &RunOptions::default())
        .unwrap_err()
        .to_string();
    assert!(!e.contains('\n'), "one line: {e}");
    for m in must_contain {
        assert!(e.contains(m), "`{m}` not in: {e}");
    }
    // Nothing that looks like a result is left in the workspace.
    let left: Vec<_> = std::fs::read_dir(dir.join("ws"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn bad_inputs_fail_with_one_line_naming_the_problem() {
    // A class (9) missing from the table.
    let mut bas = BAS;
    bas[4] = 9;
    let dir = setup("missing_code", &bas, &ALT, 3, (2020, 2022));
    assert_failed_cleanly(&dir, &["bas.tif", "pools.csv", "[9]"]);
    // Years in the wrong order.
    let dir = setup("years", &BAS, &ALT, 3, (2022, 2022));
    assert_failed_cleanly(&dir, &["lulc_alt_year", "2022"]);
    // Grids of different sizes.
    let dir = setup("grid", &BAS, &ALT, 2, (2020, 2022));
    assert_failed_cleanly(&dir, &["alt.tif", "2 rows", "3 rows"]);
    // Missing file.
    let dir = setup("missing_file", &BAS, &ALT, 3, (2020, 2022));
    std::fs::remove_file(dir.join("alt.tif")).unwrap();
    assert_failed_cleanly(&dir, &["alt.tif", "no such file"]);
    // Corrupt TIFF.
    let dir = setup("corrupt", &BAS, &ALT, 3, (2020, 2022));
    std::fs::write(dir.join("bas.tif"), b"MM\0*not really").unwrap();
    assert_failed_cleanly(&dir, &["bas.tif", "cannot read"]);
}
