//! Our InVEST-compatible Carbon and Annual Water Yield against the real natcap.invest 3.20.2
//! (issue #6). `tests/fixtures/invest_ref/` holds a 32 × 32 sample (LULC nodata in one or both
//! scenarios, a −1 t C/ha change, P = 0, ET0 = 0, a nodata hole in each AWY input, a
//! sub-watershed holding no cell centre, a hydropower discount of 0) and InVEST's outputs on
//! it, made by `make_reference.py` there (see its README), plus variants with table rows for
//! the LULC nodata value and q = 1 carbon valuation. Each test runs our datastack runner
//! on the same inputs and requires, for every output raster, the same grid, dtype, nodata value
//! and nodata mask, values within 1e-5 relative; and every table cell within 1e-5 relative
//! (empty where InVEST's is empty).
#![cfg(feature = "invest")]

use std::path::{Path, PathBuf};

use gep::invest::{run_datastack, Compat, RunOptions};
use gep::io::{is_nodata_f, read_geotiff, Raster, RasterData};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/invest_ref");
/// Relative tolerance of the must-show.
const RTOL: f64 = 1e-5;

fn fixture(rel: &str) -> PathBuf {
    Path::new(FIXTURE).join(rel)
}

/// Runs the fixture's datastack `name` (inputs made absolute, workspace in a temp folder
/// `ws`) and returns the workspace.
fn run(name: &str, ws: &str, compat: Compat) -> PathBuf {
    let inputs = fixture("inputs");
    let text = std::fs::read_to_string(inputs.join(name)).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("invest_reference");
    let workspace = tmp.join(ws);
    let _ = std::fs::remove_dir_all(&workspace);
    std::fs::create_dir_all(&tmp).unwrap();
    let args = doc["args"].as_object_mut().unwrap();
    for (k, v) in args.iter_mut() {
        if k.ends_with("_path") {
            if let Some(s) = v.as_str().filter(|s| !s.is_empty()) {
                *v = inputs.join(s).display().to_string().into();
            }
        }
    }
    args.insert(
        "workspace_dir".into(),
        workspace.display().to_string().into(),
    );
    let ds = tmp.join(format!("{ws}.json"));
    std::fs::write(&ds, doc.to_string()).unwrap();
    let options = RunOptions {
        compat,
        ..RunOptions::default()
    };
    run_datastack(&ds, &options).unwrap();
    workspace
}

fn f32s(r: &Raster) -> &[f32] {
    match &r.data {
        RasterData::F32(v) => v,
        other => panic!("expected Float32, found {}", other.type_name()),
    }
}

/// Same grid, dtype, nodata and mask; values within [`RTOL`]. Returns InVEST's raster.
fn same_raster(ours: &Path, invest: &Path) -> Raster {
    let (a, b) = (read_geotiff(ours).unwrap(), read_geotiff(invest).unwrap());
    let name = invest.display();
    assert_eq!((a.rows, a.cols), (b.rows, b.cols), "{name}: size");
    assert_eq!(a.geotransform, b.geotransform, "{name}: geotransform");
    assert_eq!(a.data.type_name(), b.data.type_name(), "{name}: dtype");
    assert_eq!(a.nodata, b.nodata, "{name}: nodata value");
    let nd = b.nodata.unwrap();
    let mut bad = Vec::new();
    for (i, (&x, &y)) in f32s(&a).iter().zip(f32s(&b)).enumerate() {
        let (mx, my) = (is_nodata_f(x as f64, nd), is_nodata_f(y as f64, nd));
        let ok = match (mx, my) {
            (true, true) => true,
            (false, false) => {
                let (x, y) = (x as f64, y as f64);
                (x - y).abs() <= RTOL * y.abs()
            }
            _ => false,
        };
        if !ok {
            bad.push(format!("cell {i}: ours {x}, InVEST {y}"));
        }
    }
    assert!(
        bad.is_empty(),
        "{name}: {} cells differ: {:?}",
        bad.len(),
        bad
    );
    b
}

fn csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    // InVEST's watershed CSVs quote the ids ("1"); no field here holds a comma.
    let split = |l: &str| {
        l.split(',')
            .map(|s| s.trim().trim_matches('"').to_string())
            .collect::<Vec<_>>()
    };
    let header = split(lines.next().unwrap());
    (header, lines.map(split).collect())
}

/// Every column of InVEST's table is in ours, every cell within [`RTOL`] (text cells equal,
/// empty where InVEST's is empty). Returns the number of numeric cells compared.
fn same_table(ours: &Path, invest: &Path) -> usize {
    let ((ha, ra), (hb, rb)) = (csv(ours), csv(invest));
    let name = invest.display();
    assert_eq!(ra.len(), rb.len(), "{name}: rows");
    let mut numbers = 0;
    for (col, h) in hb.iter().enumerate() {
        let k = ha
            .iter()
            .position(|x| x.eq_ignore_ascii_case(h))
            .unwrap_or_else(|| panic!("{name}: column `{h}` missing in ours ({ha:?})"));
        for (row, (x, y)) in ra.iter().zip(&rb).enumerate() {
            let (x, y) = (&x[k], &y[col]);
            match (x.parse::<f64>(), y.parse::<f64>()) {
                (Ok(u), Ok(v)) => {
                    assert!(
                        (u - v).abs() <= RTOL * v.abs(),
                        "{name} row {row} `{h}`: ours {u}, InVEST {v}"
                    );
                    numbers += 1;
                }
                _ => assert_eq!(x, y, "{name} row {row} `{h}`"),
            }
        }
    }
    numbers
}

/// Runs the Carbon datastack `name` and compares with `expected/<dir>`.
fn carbon_matches(name: &str, dir: &str) {
    let ws = run(name, dir, Compat::Invest);
    let expected = fixture(&format!("expected/{dir}"));
    for f in [
        "c_storage_bas.tif",
        "c_storage_alt.tif",
        "c_change_bas_alt.tif",
        "npv_alt.tif",
    ] {
        same_raster(&ws.join(f), &expected.join(f));
    }
    let n = same_table(
        &ws.join("raster_values_summary.csv"),
        &expected.join("raster_values_summary.csv"),
    );
    assert_eq!(n, 4, "four totals (bas, alt, change, NPV)");
}

#[test]
fn carbon_matches_invest_3_20_2() {
    carbon_matches("carbon.json", "carbon");
}

#[test]
fn carbon_variant_matches_invest_3_20_2() {
    // Pools row for the LULC nodata value 255 (1 + 2 + 3 + 4 = 10 t C/ha), discount and price
    // change 0 so q = 1 and V = price = 43 per t C, 2020 → 2021.
    carbon_matches("carbon_variant.json", "carbon_variant");
    let bas = read_geotiff(fixture("inputs/lulc_bas.tif")).unwrap();
    let storage = read_geotiff(fixture("expected/carbon_variant/c_storage_bas.tif")).unwrap();
    let change = read_geotiff(fixture("expected/carbon_variant/c_change_bas_alt.tif")).unwrap();
    let npv = read_geotiff(fixture("expected/carbon_variant/npv_alt.tif")).unwrap();
    let lulc = bas.data.to_f64();
    let holes: Vec<usize> = (0..lulc.len()).filter(|&i| lulc[i] == 255.0).collect();
    assert!(holes.len() >= 3);
    for i in holes {
        assert_eq!(
            f32s(&storage)[i],
            10.0,
            "LULC nodata cell {i} mapped like a class"
        );
    }
    let mut checked = 0;
    for (c, v) in f32s(&change).iter().zip(f32s(&npv)) {
        if *c != -1.0 && *c != 0.0 {
            approx::assert_relative_eq!(*v as f64, *c as f64 * 43.0, max_relative = 1e-6);
            checked += 1;
        }
    }
    assert!(checked >= 50, "{checked} cells with a change");
}

#[test]
fn carbon_storage_only_matches_invest_3_20_2() {
    // No sequestration, no valuation: one map and one total, and nothing else written.
    let ws = run(
        "carbon_storage_only.json",
        "carbon_storage_only",
        Compat::Invest,
    );
    let expected = fixture("expected/carbon_storage_only");
    same_raster(
        &ws.join("c_storage_bas.tif"),
        &expected.join("c_storage_bas.tif"),
    );
    let n = same_table(
        &ws.join("raster_values_summary.csv"),
        &expected.join("raster_values_summary.csv"),
    );
    assert_eq!(n, 1);
    for f in ["c_storage_alt.tif", "c_change_bas_alt.tif", "npv_alt.tif"] {
        assert!(!ws.join(f).exists(), "{f}");
    }
}

#[test]
fn carbon_fixture_holds_the_edge_cases() {
    // The comparison above only means something if the fixture has the cases of issue #6.
    let bas = read_geotiff(fixture("inputs/lulc_bas.tif")).unwrap();
    let alt = read_geotiff(fixture("inputs/lulc_alt.tif")).unwrap();
    let (b, a) = (bas.data.to_f64(), alt.data.to_f64());
    let nd = 255.0;
    let both = b.iter().zip(&a).filter(|(x, y)| **x == nd && **y == nd);
    let only_alt = b.iter().zip(&a).filter(|(x, y)| **x != nd && **y == nd);
    let only_bas = b.iter().zip(&a).filter(|(x, y)| **x == nd && **y != nd);
    // grass (56 t C/ha) → degraded grass (55 t C/ha): a change of exactly −1 t C/ha.
    let minus_one = b.iter().zip(&a).filter(|(x, y)| **x == 3.0 && **y == 7.0);
    assert!(both.count() >= 2 && only_alt.count() >= 1 && only_bas.count() >= 1);
    let minus_one = minus_one.count();
    assert!(minus_one >= 10, "{minus_one} cells grass → degraded grass");
    // InVEST writes those −1 t C/ha changes, which equal its nodata value (quirk): they are
    // masked in the change map, and the NPV there is nodata.
    let change = read_geotiff(fixture("expected/carbon/c_change_bas_alt.tif")).unwrap();
    let npv = read_geotiff(fixture("expected/carbon/npv_alt.tif")).unwrap();
    let npv_nd = npv.nodata.unwrap();
    for (i, (x, y)) in b.iter().zip(&a).enumerate() {
        if *x == 3.0 && *y == 7.0 {
            assert_eq!(f32s(&change)[i], -1.0, "cell {i}");
            assert_eq!(f32s(&npv)[i] as f64, npv_nd, "cell {i}");
        }
    }
}

#[test]
fn carbon_corrected_mode_keeps_minus_one_changes() {
    // Compat::Corrected masks by LULC: a grass → degraded grass cell keeps its change of
    // −1 t C/ha with NPV = −1 · V; V = 43/10 · (1 − 1.07^−10)/(1 − 1/1.07) = 32.315499 per t C
    // (price 43, 10 years, 7 %), so NPV = −32.315499 per ha.
    let ws = run("carbon.json", "carbon_corrected", Compat::Corrected);
    let change = read_geotiff(ws.join("c_change_bas_alt.tif")).unwrap();
    let npv = read_geotiff(ws.join("npv_alt.tif")).unwrap();
    let bas = read_geotiff(fixture("inputs/lulc_bas.tif"))
        .unwrap()
        .data
        .to_f64();
    let alt = read_geotiff(fixture("inputs/lulc_alt.tif"))
        .unwrap()
        .data
        .to_f64();
    let q: f64 = 1.0 / 1.07;
    let v = 43.0 / 10.0 * (1.0 - q.powi(10)) / (1.0 - q);
    approx::assert_relative_eq!(v, 32.315_499, max_relative = 1e-6);
    let mut n = 0;
    for i in 0..bas.len() {
        if bas[i] == 3.0 && alt[i] == 7.0 {
            assert_eq!(f32s(&change)[i], -1.0);
            approx::assert_relative_eq!(f32s(&npv)[i] as f64, -v, max_relative = 1e-6);
            n += 1;
        }
    }
    assert!(n >= 10);
}

#[test]
fn annual_water_yield_matches_invest_3_20_2() {
    let ws = run("annual_water_yield.json", "awy", Compat::Invest);
    let expected = fixture("expected/awy");
    for f in ["fractp.tif", "aet.tif", "wyield.tif"] {
        same_raster(&ws.join("output/per_pixel").join(f), &expected.join(f));
    }
    let n = same_table(
        &ws.join("output/watershed_results_wyield.csv"),
        &expected.join("watershed_results_wyield.csv"),
    );
    assert!(n >= 2 * 11, "{n} numbers compared");
    let n = same_table(
        &ws.join("output/subwatershed_results_wyield.csv"),
        &expected.join("subwatershed_results_wyield.csv"),
    );
    assert!(n >= 5 * 9, "{n} numbers compared");
}

#[test]
fn annual_water_yield_variant_matches_invest_3_20_2() {
    // Biophysical and demand rows for the LULC nodata value 255, Z = 1, no sub-watersheds.
    let ws = run("awy_variant.json", "awy_variant", Compat::Invest);
    let expected = fixture("expected/awy_variant");
    for f in ["fractp.tif", "aet.tif", "wyield.tif"] {
        same_raster(&ws.join("output/per_pixel").join(f), &expected.join(f));
    }
    let n = same_table(
        &ws.join("output/watershed_results_wyield.csv"),
        &expected.join("watershed_results_wyield.csv"),
    );
    assert!(n >= 2 * 11, "{n} numbers compared");
    assert!(!ws.join("output/subwatershed_results_wyield.csv").exists());
    // InVEST computes the LULC nodata cells (with valid P, ET0, soil, PAWC) like a class.
    let lulc = read_geotiff(fixture("inputs/lulc_bas.tif"))
        .unwrap()
        .data
        .to_f64();
    let fractp = read_geotiff(expected.join("fractp.tif")).unwrap();
    let computed = (0..lulc.len())
        .filter(|&i| lulc[i] == 255.0 && f32s(&fractp)[i] != -1.0)
        .count();
    assert!(computed >= 3, "{computed} LULC nodata cells computed");
}

#[test]
fn awy_fixture_holds_the_edge_cases() {
    let p = read_geotiff(fixture("inputs/precip.tif")).unwrap();
    let wy = read_geotiff(fixture("expected/awy/wyield.tif")).unwrap();
    let zero_p: Vec<usize> = f32s(&p)
        .iter()
        .enumerate()
        .filter(|(_, &v)| v == 0.0)
        .map(|(i, _)| i)
        .collect();
    assert!(zero_p.len() >= 2);
    // P = 0 → InVEST's water yield is nodata (−1) there.
    for i in zero_p {
        assert_eq!(f32s(&wy)[i], -1.0, "cell {i}");
    }
    // Cell (11, 17): forest (Kc 1, root 5000 mm), P = 300 mm, soil 3000 mm, PAWC 0.3, Z = 5:
    // ω = 5 · 900 / 300 + 1.25 = 16.25, capped at 5; φ = ET0/300 and
    // fractp = 1 + φ − (1 + φ^5)^(1/5) (Fu), which InVEST's output must equal.
    let i = 11 * 32 + 17;
    assert_eq!(f32s(&p)[i], 300.0);
    let eto = read_geotiff(fixture("inputs/eto.tif")).unwrap();
    let phi = f32s(&eto)[i] as f64 / 300.0;
    let fu = 1.0 + phi - (1.0 + phi.powi(5)).powf(0.2);
    let fractp = read_geotiff(fixture("expected/awy/fractp.tif")).unwrap();
    approx::assert_relative_eq!(f32s(&fractp)[i] as f64, fu.min(phi), max_relative = 1e-5);
    let uncapped = 1.0 + phi - (1.0 + phi.powf(16.25)).powf(1.0 / 16.25);
    assert!((uncapped - fu).abs() > 1e-3, "the cap must matter here");
    for f in ["eto", "depth", "pawc", "precip"] {
        let r = read_geotiff(fixture(&format!("inputs/{f}.tif"))).unwrap();
        let holes = r.valid_mask().iter().filter(|v| !**v).count();
        assert!(holes >= 1, "{f}: no nodata hole");
    }
}

#[test]
fn reads_invest_native_tiled_outputs() {
    // expected/native holds InVEST's rasters as written (BigTIFF, tiled 256 × 256, LZW);
    // the plain copies of the same rasters must read identically.
    for (native, plain) in [
        ("native/npv_alt.tif", "carbon/npv_alt.tif"),
        ("native/wyield.tif", "awy/wyield.tif"),
    ] {
        let a = read_geotiff(fixture(&format!("expected/{native}"))).unwrap();
        let b = read_geotiff(fixture(&format!("expected/{plain}"))).unwrap();
        assert_eq!(
            (a.rows, a.cols, a.geotransform),
            (b.rows, b.cols, b.geotransform)
        );
        assert_eq!((a.nodata, a.epsg), (b.nodata, b.epsg), "{native}");
        assert_eq!(f32s(&a), f32s(&b), "{native}");
    }
}
