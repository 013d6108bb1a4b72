//! GeoTIFF round trips (every type we write, striped and tiled, each compression and the
//! horizontal predictor) and InVEST-style CSV tables.
#![cfg(feature = "invest")]

use gep::io::{
    read_geotiff, write_geotiff, Raster, RasterData, Table, TiffCompression, TiffPredictor,
    WriteOptions,
};

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("invest_io");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// 37 × 45 cells: not a multiple of the 16-cell tiles, so edge tiles are partial (the case
/// that breaks tiff 0.11's LZW + predictor decoding of integers).
fn datasets() -> Vec<RasterData> {
    let n = 37 * 45;
    let f = |i: usize| ((i * 7919) % 1000) as f64 - 500.0;
    vec![
        RasterData::U8(
            (0..n)
                .map(|i| (f(i) as i64).rem_euclid(256) as u8)
                .collect(),
        ),
        RasterData::I16((0..n).map(|i| f(i) as i16 * 60).collect()),
        RasterData::I32((0..n).map(|i| f(i) as i32 * 100_000).collect()),
        RasterData::F32((0..n).map(|i| (f(i) * 0.37) as f32).collect()),
        RasterData::F64((0..n).map(|i| f(i) * 1.0e-3 + 1.0e9).collect()),
    ]
}

#[test]
fn geotiff_round_trips_bit_identical() {
    let layouts = [None, Some(16)];
    let compressions = [
        TiffCompression::None,
        TiffCompression::Lzw,
        TiffCompression::Deflate,
    ];
    let mut k = 0;
    for data in datasets() {
        for tile in layouts {
            for compression in compressions {
                for predictor in [TiffPredictor::None, TiffPredictor::Auto] {
                    let raster = Raster {
                        rows: 37,
                        cols: 45,
                        geotransform: [350_000.5, 30.0, 0.0, 4_100_000.25, 0.0, -30.0],
                        epsg: Some(32650),
                        nodata: Some(if data.is_float() { -9999.0 } else { 0.0 }),
                        data: data.clone(),
                    };
                    let opts = WriteOptions {
                        compression,
                        predictor,
                        tile,
                        rows_per_strip: 8,
                        ..WriteOptions::default()
                    };
                    let path = tmp(&format!("rt_{k}.tif"));
                    k += 1;
                    write_geotiff(&path, &raster, &opts).unwrap();
                    let back = read_geotiff(&path)
                        .unwrap_or_else(|e| panic!("{} {opts:?}: {e}", data.type_name()));
                    assert_eq!(back, raster, "{} {opts:?}", data.type_name());
                }
            }
        }
    }
}

#[test]
fn nan_nodata_and_no_nodata_round_trip() {
    let mut raster = Raster {
        rows: 2,
        cols: 2,
        geotransform: [0.0, 10.0, 0.0, 20.0, 0.0, -10.0],
        epsg: None,
        nodata: Some(f64::NAN),
        data: RasterData::F32(vec![1.0, f32::NAN, 3.0, 4.0]),
    };
    let p = tmp("nan.tif");
    write_geotiff(&p, &raster, &WriteOptions::default()).unwrap();
    let back = read_geotiff(&p).unwrap();
    assert!(back.nodata.unwrap().is_nan());
    assert_eq!(back.valid_mask(), vec![true, false, true, true]);
    raster.nodata = None;
    raster.data = RasterData::F32(vec![1.0, 2.0, 3.0, 4.0]);
    write_geotiff(&p, &raster, &WriteOptions::default()).unwrap();
    assert_eq!(read_geotiff(&p).unwrap(), raster);
}

#[test]
fn corrupt_and_missing_tiffs_are_errors_naming_the_file() {
    let p = tmp("corrupt.tif");
    std::fs::write(&p, b"II*\0garbage that is not a tiff").unwrap();
    let e = read_geotiff(&p).unwrap_err().to_string();
    assert!(e.contains("corrupt.tif"), "{e}");
    let e = read_geotiff(tmp("absent.tif")).unwrap_err().to_string();
    assert!(e.contains("absent.tif"), "{e}");
    // A valid file cut in half.
    let good = tmp("good.tif");
    let raster = Raster {
        rows: 64,
        cols: 64,
        geotransform: [0.0, 1.0, 0.0, 0.0, 0.0, -1.0],
        epsg: None,
        nodata: None,
        data: RasterData::F32((0..4096).map(|i| i as f32).collect()),
    };
    write_geotiff(&good, &raster, &WriteOptions::default()).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let cut = tmp("cut.tif");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let e = read_geotiff(&cut).unwrap_err().to_string();
    assert!(e.contains("cut.tif"), "{e}");
}

#[test]
fn tables_read_like_invest() {
    // BOM, semicolons, mixed-case padded headers, an extra column, an empty row.
    let t = Table::parse(
        "pools.csv",
        "\u{feff} LuCode ;C_ABOVE;Name\n1;10;forest\n;;\n7;2.5;x\n",
    )
    .unwrap();
    assert_eq!(t.index_i64("lucode").unwrap(), vec![1, 7]);
    assert_eq!(t.column_f64("c_above").unwrap(), vec![10.0, 2.5]);
    let e = Table::parse("b.csv", "lucode,kc\n1.5,1\n")
        .unwrap()
        .index_i64("lucode")
        .unwrap_err();
    assert!(e.to_string().contains("`b.csv`, line 2"), "{e}");
}
