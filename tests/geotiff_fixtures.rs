//! GeoTIFF files made by GDAL 3.6.2 (tests/fixtures/geotiff/make_fixtures.sh) read right:
//! every cell against the formula the script wrote it from, and size, type, block size,
//! geotransform, EPSG, nodata, statistics and sample cells against what GDAL itself reads
//! back (`gdalinfo -json -stats`, `gdallocationinfo`, recorded in expected.json).
//! Then bad input: truncated and corrupted files, forged giant headers, compressions we do
//! not decode — each a typed error naming the file, never a panic or a giant allocation.
#![cfg(all(feature = "geotiff", feature = "json"))]

use std::path::{Path, PathBuf};

use gep::error::InvestError;
use gep::io::{read_geotiff, GeoTiffReader, Raster, RasterData};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/geotiff")
        .join(format!("{name}.tif"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("geotiff_fixtures");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The fixtures we decode and the formula (row r, column c) of their band 1, as in
/// make_fixtures.sh.
type Formula = fn(usize, usize) -> f64;

fn formulas() -> Vec<(&'static str, Formula)> {
    vec![
        ("landcover_u16_tiled_lzw_pred2", |r, c| {
            if (r + c) % 17 == 0 {
                0.0
            } else {
                (1 + ((r * 7 + c * 3 + (r * c) % 5) % 12) * 10) as f64
            }
        }),
        ("float_f32_tiled_deflate_pred3", |r, c| {
            if (r * c) % 23 == 1 {
                -9999.0
            } else {
                ((r * 131 + c * 71) % 1000) as f64 * 0.125 - 20.0
            }
        }),
        ("bigtiff_f64_striped_deflate", |r, c| {
            (r * 50 + c) as f64 * 1e-3 + 1000.0
        }),
        ("landcover_u8_striped_deflate", |r, c| {
            if (r * 7 + c) % 29 == 0 {
                255.0
            } else {
                (1 + (r / 10 + c / 15) % 8) as f64
            }
        }),
        ("nan_nodata_f32_striped_lzw", |r, c| {
            if (r + 2 * c) % 11 == 0 {
                f64::NAN
            } else {
                r as f64 * 0.5 - c as f64 * 0.25
            }
        }),
        ("geographic_i32_striped", |r, c| {
            ((r as i64 * 1000 - c as i64 * 37) * 1000) as f64
        }),
        ("bigendian_i16_tiled_deflate_pred2", |r, c| {
            ((r as i64 * 61 - c as i64 * 29) * 7 - 3000) as f64
        }),
        ("bigendian_f32_striped_lzw", |r, c| {
            ((r * 131 + c * 71) % 1000) as f64 * 0.125 - 20.0
        }),
        ("twoband_u32_pixel_lzw_pred2", |r, c| {
            ((r * 30 + c) * 100_000) as f64
        }),
        ("twoband_u8_band_tiled", |r, c| ((r * 30 + c) % 200) as f64),
    ]
}

fn expected() -> serde_json::Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geotiff/expected.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn same(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b
}

#[test]
fn gdal_fixtures_decode_to_the_cells_they_were_made_from() {
    for (name, f) in formulas() {
        let r = read_geotiff(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let v = r.data.to_f64();
        for row in 0..r.rows {
            for col in 0..r.cols {
                let (got, want) = (v[row * r.cols + col], f(row, col));
                assert!(
                    same(got, want),
                    "{name} row {row} col {col}: {got} ≠ {want}"
                );
            }
        }
    }
}

/// Mean and population standard deviation of the valid cells, as `gdalinfo -stats`.
fn stats(r: &Raster) -> (f64, f64, f64, f64) {
    let v = r.data.to_f64();
    let mask = r.valid_mask();
    let valid: Vec<f64> = v
        .iter()
        .zip(&mask)
        .filter(|(x, &m)| m && !x.is_nan())
        .map(|(&x, _)| x)
        .collect();
    let n = valid.len() as f64;
    let mean = valid.iter().sum::<f64>() / n;
    let var = valid.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let min = valid.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = valid.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    (min, max, mean, var.sqrt())
}

#[test]
fn gdal_fixtures_match_what_gdal_reads_back() {
    let expected = expected();
    for (name, _) in formulas() {
        let e = &expected[name];
        let reader = GeoTiffReader::open(fixture(name)).unwrap();
        let info = reader.info().clone();
        let r = reader.read().unwrap();
        assert_eq!(info.width as u64, e["width"].as_u64().unwrap(), "{name}");
        assert_eq!(info.height as u64, e["height"].as_u64().unwrap(), "{name}");
        assert_eq!(r.data.type_name(), e["type"].as_str().unwrap(), "{name}");
        assert_eq!(
            [info.block_width as u64, info.block_height as u64],
            [
                e["block"][0].as_u64().unwrap(),
                e["block"][1].as_u64().unwrap()
            ],
            "{name}"
        );
        for k in 0..6 {
            assert_eq!(
                info.geotransform[k],
                e["geotransform"][k].as_f64().unwrap(),
                "{name} gt[{k}]"
            );
        }
        assert_eq!(info.epsg.map(u64::from), e["epsg"].as_u64(), "{name} EPSG");
        let nodata = e["nodata"].as_str().map(|s| s.parse::<f64>().unwrap());
        match (info.nodata, nodata) {
            (None, None) => {}
            (Some(a), Some(b)) => assert!(same(a, b), "{name} nodata {a} ≠ {b}"),
            (a, b) => panic!("{name} nodata {a:?} ≠ {b:?}"),
        }
        // gdalinfo -json prints statistics with 3 decimals.
        let (min, max, mean, sd) = stats(&r);
        for (what, got, key) in [
            ("min", min, "min"),
            ("max", max, "max"),
            ("mean", mean, "mean"),
            ("stddev", sd, "stddev"),
        ] {
            let want = e[key].as_f64().unwrap();
            assert!(
                (got - want).abs() <= 5e-4 + 1e-12 * want.abs(),
                "{name} {what}: {got} vs GDAL {want}"
            );
        }
        let v = r.data.to_f64();
        for cell in e["cells"].as_array().unwrap() {
            let (row, col) = (
                cell[0].as_u64().unwrap() as usize,
                cell[1].as_u64().unwrap() as usize,
            );
            let want: f64 = cell[2].as_str().unwrap().parse().unwrap();
            let got = v[row * r.cols + col];
            assert!(
                same(got, want) || (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                "{name} ({row}, {col}): {got} vs gdallocationinfo {want}"
            );
        }
    }
}

#[test]
fn geographic_fixture_has_half_degree_cells_from_70e_55n() {
    // make_fixtures.sh: GeoTransform "70, 0.5, 0, 55, 0, -0.5", EPSG:4326.
    let r = read_geotiff(fixture("geographic_i32_striped")).unwrap();
    assert_eq!(r.geotransform, [70.0, 0.5, 0.0, 55.0, 0.0, -0.5]);
    assert_eq!(r.epsg, Some(4326));
    assert_eq!((r.rows, r.cols), (18, 36));
    // Cell (row 6, col 18): (6·1000 − 18·37)·1000 = 5 334 000 (gdallocationinfo agrees).
    let RasterData::I32(v) = &r.data else {
        panic!("Int32 expected")
    };
    assert_eq!(v[6 * 36 + 18], 5_334_000);
}

fn message(e: InvestError) -> String {
    match &e {
        InvestError::Read { .. } => e.to_string(),
        other => panic!("expected InvestError::Read, got {other:?}"),
    }
}

#[test]
fn unsupported_compressions_are_named_errors() {
    for (name, code, what) in [("jpeg_u8", 7, "JPEG"), ("zstd_f32", 50000, "ZSTD")] {
        let e = message(GeoTiffReader::open(fixture(name)).unwrap_err());
        assert!(
            e.contains(&format!("unsupported compression {code} ({what})")),
            "{e}"
        );
        assert!(e.contains(name), "{e}");
    }
}

#[test]
fn truncated_fixtures_are_errors_at_every_cut() {
    for name in [
        "landcover_u16_tiled_lzw_pred2",
        "float_f32_tiled_deflate_pred3",
        "bigtiff_f64_striped_deflate",
        "bigendian_i16_tiled_deflate_pred2",
    ] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let n = bytes.len();
        for cut in [0, 1, 4, 7, 8, 15, 16, 40, 100, 300, n / 2, n - 100, n - 1] {
            let path = tmp(&format!("cut_{name}_{cut}.tif"));
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let e = message(read_geotiff(&path).unwrap_err());
            assert!(e.contains(&format!("cut_{name}_{cut}.tif")), "{e}");
        }
    }
}

#[test]
fn flipped_bytes_never_panic_and_errors_name_the_file() {
    for name in [
        "landcover_u16_tiled_lzw_pred2",
        "float_f32_tiled_deflate_pred3",
        "bigtiff_f64_striped_deflate",
        "nan_nodata_f32_striped_lzw",
    ] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let path = tmp(&format!("flip_{name}.tif"));
        let mut errors = 0;
        let mut step = 0;
        let mut i = 0;
        while i < bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0xA5;
            std::fs::write(&path, &b).unwrap();
            match read_geotiff(&path) {
                Ok(r) => assert_eq!(r.data.len(), r.rows * r.cols),
                Err(e) => {
                    errors += 1;
                    assert!(message(e).contains(&format!("flip_{name}.tif")));
                }
            }
            // Every byte of the header and IFD, then every 211th.
            step += 1;
            i += if step < 160 { 1 } else { 211 };
        }
        assert!(errors > 0, "{name}: no flipped byte was an error");
    }
}

/// A classic little-endian TIFF: header + one IFD of `entries` (tag, type, count, value)
/// at offset 8, padded to `len` bytes.
fn forged(entries: &[(u16, u16, u32, u32)], len: usize) -> Vec<u8> {
    let mut b = vec![b'I', b'I', 42, 0, 8, 0, 0, 0];
    b.extend((entries.len() as u16).to_le_bytes());
    for &(tag, typ, count, value) in entries {
        b.extend(tag.to_le_bytes());
        b.extend(typ.to_le_bytes());
        b.extend(count.to_le_bytes());
        b.extend(value.to_le_bytes());
    }
    b.extend([0, 0, 0, 0]);
    b.resize(len.max(b.len()), 0);
    b
}

#[test]
fn giant_headers_on_tiny_files_are_errors_before_any_allocation() {
    const LONG: u16 = 4;
    const SHORT: u16 = 3;
    let side = 1_000_000;
    // One strip of 10⁶ × 10⁶ Float32 cells (4 TB decoded) said to be 100 bytes at offset 200.
    let strip = forged(
        &[
            (256, LONG, 1, side),
            (257, LONG, 1, side),
            (258, SHORT, 1, 32),
            (259, SHORT, 1, 8),
            (273, LONG, 1, 200),
            (278, LONG, 1, side),
            (279, LONG, 1, 100),
            (339, SHORT, 1, 3),
        ],
        300,
    );
    let p = tmp("giant_strip.tif");
    std::fs::write(&p, &strip).unwrap();
    let e = message(GeoTiffReader::open(&p).unwrap_err());
    assert!(e.contains("100 bytes cannot hold"), "{e}");
    // 256² tiles: 3 907² = 15 264 649 tiles; the tables (61 MB each) are said to be at
    // offset 200 of a 300-byte file.
    let mut entries = vec![
        (256, LONG, 1, side),
        (257, LONG, 1, side),
        (258, SHORT, 1, 8),
        (322, LONG, 1, 256),
        (323, LONG, 1, 256),
        (324, LONG, 15_264_649, 200),
        (325, LONG, 15_264_649, 200),
    ];
    let p = tmp("giant_tiles.tif");
    std::fs::write(&p, forged(&entries, 300)).unwrap();
    let e = message(GeoTiffReader::open(&p).unwrap_err());
    assert!(
        e.contains("run past the end of the file (300 bytes)"),
        "{e}"
    );
    // The same with tables of one entry: too few chunks for the size.
    entries[5].2 = 1;
    entries[6].2 = 1;
    std::fs::write(&p, forged(&entries, 300)).unwrap();
    let e = message(GeoTiffReader::open(&p).unwrap_err());
    assert!(e.contains("lists 1 chunks"), "{e}");
    assert!(e.contains("need 15264649"), "{e}");
    // Sparse chunks (offset 0, 0 bytes: GDAL's SPARSE_OK) are zeros; a windowed read of one
    // row of the 10⁶ × 10⁶ sparse strip decodes only that row (4 MB), not the strip (4 TB).
    let mut sparse = strip.clone();
    for (at, v) in [(8 + 2 + 4 * 12 + 8, 0u32), (8 + 2 + 6 * 12 + 8, 0u32)] {
        sparse[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
    let p = tmp("giant_sparse.tif");
    std::fs::write(&p, &sparse).unwrap();
    let reader = GeoTiffReader::open(&p).unwrap();
    let mut row = vec![1.0f32; side as usize];
    reader.read_rows_f32(999_999..1_000_000, &mut row).unwrap();
    assert!(row.iter().all(|&v| v == 0.0));
    // An IFD that claims 65 535 entries in a 300-byte file.
    let mut b = forged(&[], 300);
    b[8] = 0xFF;
    b[9] = 0xFF;
    std::fs::write(&p, b).unwrap();
    let e = message(GeoTiffReader::open(&p).unwrap_err());
    assert!(e.contains("IFD of 65535 entries"), "{e}");
}

#[test]
fn unsupported_sample_types_and_non_tiffs_are_errors() {
    let p = tmp("one_bit.tif");
    std::fs::write(
        &p,
        forged(
            &[
                (256, 4, 1, 8),
                (257, 4, 1, 8),
                (258, 3, 1, 1),
                (273, 4, 1, 200),
                (279, 4, 1, 8),
            ],
            300,
        ),
    )
    .unwrap();
    let e = message(GeoTiffReader::open(&p).unwrap_err());
    assert!(e.contains("unsupported sample type: 1 bits"), "{e}");
    std::fs::write(&p, b"PK\x03\x04 this is a zip").unwrap();
    let e = message(GeoTiffReader::open(&p).unwrap_err());
    assert!(e.contains("not a TIFF"), "{e}");
}
