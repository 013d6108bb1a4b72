//! GeoTIFF round trips through `GeoTiffWriter` / `GeoTiffReader`: every layout (strips with a
//! short last strip, one strip, tiles with partial edge tiles) × sample type × compression ×
//! predictor × classic/BigTIFF comes back bit-identical with its georeferencing and nodata;
//! windowed reads equal slices of the whole; the bytes written do not depend on the number of
//! threads nor on how the rows are handed to the writer.
#![cfg(feature = "geotiff")]

use gep::io::{
    read_geotiff, write_geotiff, GeoTiffReader, GeoTiffWriter, Raster, RasterData, RasterInfo,
    SampleType, TiffCompression, TiffPredictor, WriteOptions,
};

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("geotiff_roundtrip");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

const ROWS: usize = 37;
const COLS: usize = 45;

/// 37 × 45 cells of every type: not a multiple of 16-cell tiles nor of 8-row strips, with
/// each type's extremes (wrapping in predictor 2) and, for floats, NaN, ±inf and −0.
fn datasets() -> Vec<RasterData> {
    let n = ROWS * COLS;
    let f = |i: usize| ((i * 7919) % 1000) as i64 - 500;
    let mut u8s: Vec<u8> = (0..n).map(|i| f(i).rem_euclid(256) as u8).collect();
    u8s[1] = u8::MAX;
    let i8s: Vec<i8> = (0..n).map(|i| (f(i) % 128) as i8).collect();
    let mut u16s: Vec<u16> = (0..n)
        .map(|i| (f(i) * 131).rem_euclid(65536) as u16)
        .collect();
    u16s[2] = u16::MAX;
    let mut i16s: Vec<i16> = (0..n).map(|i| (f(i) * 60) as i16).collect();
    i16s[3] = i16::MIN;
    let mut u32s: Vec<u32> = (0..n).map(|i| (f(i) + 500) as u32 * 4_000_000).collect();
    u32s[4] = u32::MAX;
    let mut i32s: Vec<i32> = (0..n).map(|i| f(i) as i32 * 100_000).collect();
    i32s[5] = i32::MIN;
    let mut f32s: Vec<f32> = (0..n).map(|i| f(i) as f32 * 0.37).collect();
    f32s[6] = f32::NAN;
    f32s[7] = f32::INFINITY;
    f32s[8] = -0.0;
    let mut f64s: Vec<f64> = (0..n).map(|i| f(i) as f64 * 1.0e-3 + 1.0e9).collect();
    f64s[9] = f64::NAN;
    f64s[10] = f64::NEG_INFINITY;
    vec![
        RasterData::U8(u8s),
        RasterData::I8(i8s),
        RasterData::U16(u16s),
        RasterData::I16(i16s),
        RasterData::U32(u32s),
        RasterData::I32(i32s),
        RasterData::F32(f32s),
        RasterData::F64(f64s),
    ]
}

fn raster(data: RasterData) -> Raster {
    let float = data.is_float();
    Raster {
        rows: ROWS,
        cols: COLS,
        geotransform: [350_000.5, 30.0, 0.0, 4_100_000.25, 0.0, -30.0],
        epsg: Some(32650),
        nodata: Some(if float { -9999.0 } else { 7.0 }),
        data,
    }
}

/// Bit patterns, so NaN == NaN and −0 ≠ +0.
fn bits(d: &RasterData) -> Vec<u64> {
    match d {
        RasterData::F32(v) => v.iter().map(|x| x.to_bits() as u64).collect(),
        RasterData::F64(v) => v.iter().map(|x| x.to_bits()).collect(),
        other => other.to_f64().iter().map(|x| x.to_bits()).collect(),
    }
}

fn layouts() -> Vec<(Option<u32>, u32)> {
    // (tile, rows per strip): strips of 8 rows (last one 5), one strip, 16- and 32-cell tiles.
    vec![(None, 8), (None, 1000), (Some(16), 8), (Some(32), 8)]
}

#[test]
fn every_layout_type_compression_and_predictor_round_trips_bit_identical() {
    let mut k = 0;
    for data in datasets() {
        let r = raster(data);
        for (tile, rows_per_strip) in layouts() {
            for compression in [
                TiffCompression::None,
                TiffCompression::Lzw,
                TiffCompression::Deflate,
            ] {
                for predictor in [TiffPredictor::None, TiffPredictor::Auto] {
                    for bigtiff in [false, true] {
                        let opts = WriteOptions {
                            compression,
                            predictor,
                            tile,
                            rows_per_strip,
                            bigtiff,
                            deflate_level: 6,
                        };
                        let path = tmp(&format!("rt_{k}.tif"));
                        k += 1;
                        let what = format!("{} {opts:?}", r.data.type_name());
                        write_geotiff(&path, &r, &opts).unwrap_or_else(|e| panic!("{what}: {e}"));
                        let reader =
                            GeoTiffReader::open(&path).unwrap_or_else(|e| panic!("{what}: {e}"));
                        assert_eq!(reader.is_bigtiff(), bigtiff, "{what}");
                        assert_eq!(reader.is_tiled(), tile.is_some(), "{what}");
                        let expected_predictor = match predictor {
                            // libtiff applies predictors only in compression codecs.
                            _ if compression == TiffCompression::None => 1,
                            TiffPredictor::None => 1,
                            _ if r.data.is_float() => 3,
                            _ => 2,
                        };
                        assert_eq!(reader.predictor(), expected_predictor, "{what}");
                        let back = reader.read().unwrap_or_else(|e| panic!("{what}: {e}"));
                        assert_eq!(bits(&back.data), bits(&r.data), "{what}");
                        assert_eq!(back.geotransform, r.geotransform, "{what}");
                        assert_eq!((back.rows, back.cols), (ROWS, COLS), "{what}");
                        assert_eq!(back.epsg, Some(32650), "{what}");
                        assert_eq!(back.nodata, r.nodata, "{what}");
                    }
                }
            }
        }
    }
    assert_eq!(k, 8 * 4 * 3 * 2 * 2);
}

#[test]
fn windowed_reads_equal_slices_of_the_whole_raster() {
    let r = raster(RasterData::I16(
        (0..ROWS * COLS).map(|i| i as i16 - 700).collect(),
    ));
    for (tile, rows_per_strip) in layouts() {
        let opts = WriteOptions {
            compression: TiffCompression::Lzw,
            predictor: TiffPredictor::Horizontal,
            tile,
            rows_per_strip,
            ..WriteOptions::default()
        };
        let path = tmp("window.tif");
        write_geotiff(&path, &r, &opts).unwrap();
        let reader = GeoTiffReader::open(&path).unwrap();
        let all = r.data.to_f64();
        for (a, b) in [(0, 1), (3, 20), (15, 17), (36, 37), (0, 37), (10, 10)] {
            let got = reader.read_rows(a..b).unwrap();
            assert_eq!(
                got.to_f64(),
                all[a * COLS..b * COLS],
                "{opts:?} rows {a}..{b}"
            );
            let mut f = vec![0.0f32; (b - a) * COLS];
            reader.read_rows_f32(a..b, &mut f).unwrap();
            // Cell (row a, col 0) holds a·45 − 700 (exact in f32).
            if b > a {
                assert_eq!(f[0], (a * COLS) as f32 - 700.0);
            }
            assert_eq!(f, got.to_f32());
        }
        assert!(reader.read_rows(30..38).is_err());
        assert!(reader.read_rows_f32(0..2, &mut [0.0; 3]).is_err());
    }
}

#[test]
fn rotated_geotransform_and_geographic_crs_round_trip() {
    let mut r = raster(RasterData::U8(vec![1; ROWS * COLS]));
    r.geotransform = [100.0, 0.001, 0.0002, 30.0, 0.0001, -0.001];
    r.epsg = Some(4326);
    r.nodata = None;
    let path = tmp("rotated.tif");
    write_geotiff(&path, &r, &WriteOptions::default()).unwrap();
    let back = read_geotiff(&path).unwrap();
    assert_eq!(back.geotransform, r.geotransform);
    assert_eq!(back.epsg, Some(4326));
    assert_eq!(back.nodata, None);
}

fn write_in_pieces(path: &std::path::Path, r: &Raster, opts: &WriteOptions, pieces: &[usize]) {
    let mut w = GeoTiffWriter::create(path, &RasterInfo::of(r), opts).unwrap();
    let RasterData::F32(v) = &r.data else {
        panic!("f32 expected")
    };
    let mut row = 0;
    for &n in pieces {
        w.write_rows(&RasterData::F32(
            v[row * r.cols..(row + n) * r.cols].to_vec(),
        ))
        .unwrap();
        row += n;
    }
    assert_eq!(row, r.rows);
    w.finish().unwrap();
}

#[test]
fn bytes_written_do_not_depend_on_threads_or_on_how_rows_are_handed_over() {
    // 600 × 500 f32: 2.3 MB, so strips of 8 rows make several parallel batches.
    let (rows, cols) = (600, 500);
    let r = Raster {
        rows,
        cols,
        geotransform: [0.0, 10.0, 0.0, 6000.0, 0.0, -10.0],
        epsg: Some(32650),
        nodata: Some(-1.0),
        data: RasterData::F32(
            (0..rows * cols)
                .map(|i| ((i * 2_654_435_761) % 9973) as f32 * 0.25)
                .collect(),
        ),
    };
    for tile in [None, Some(64)] {
        let opts = WriteOptions {
            compression: TiffCompression::Deflate,
            predictor: TiffPredictor::FloatingPoint,
            tile,
            rows_per_strip: 8,
            ..WriteOptions::default()
        };
        let mut outputs = Vec::new();
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let path = tmp(&format!("threads_{threads}.tif"));
            pool.install(|| write_geotiff(&path, &r, &opts)).unwrap();
            outputs.push(std::fs::read(&path).unwrap());
        }
        let path = tmp("pieces.tif");
        write_in_pieces(&path, &r, &opts, &[1, 7, 300, 0, 291, 1]);
        outputs.push(std::fs::read(&path).unwrap());
        for o in &outputs[1..] {
            assert!(o == &outputs[0], "{opts:?}: outputs differ");
        }
        let back = read_geotiff(&path).unwrap();
        assert_eq!(bits(&back.data), bits(&r.data));
    }
}

#[test]
fn writer_rejects_wrong_type_extra_rows_missing_rows_and_bad_tiles() {
    let info = RasterInfo {
        width: 4,
        height: 3,
        geotransform: [0.0, 1.0, 0.0, 0.0, 0.0, -1.0],
        epsg: None,
        nodata: None,
        sample: SampleType::U16,
        block_width: 4,
        block_height: 1,
    };
    let path = tmp("bad_writer.tif");
    let opts = WriteOptions::default();
    let mut w = GeoTiffWriter::create(&path, &info, &opts).unwrap();
    let e = w.write_rows(&RasterData::U8(vec![0; 4])).unwrap_err();
    assert!(e.to_string().contains("Byte"), "{e}");
    let e = w.write_rows(&RasterData::U16(vec![0; 5])).unwrap_err();
    assert!(e.to_string().contains("not whole rows"), "{e}");
    w.write_rows(&RasterData::U16(vec![0; 8])).unwrap();
    let e = w.write_rows(&RasterData::U16(vec![0; 8])).unwrap_err();
    assert!(e.to_string().contains("2 rows written, 2 more"), "{e}");
    let e = w.finish().unwrap_err();
    assert!(e.to_string().contains("only 2 of 3 rows"), "{e}");
    let bad_tile = WriteOptions {
        tile: Some(20),
        ..WriteOptions::default()
    };
    let e = GeoTiffWriter::create(&path, &info, &bad_tile).unwrap_err();
    assert!(e.to_string().contains("multiple of 16"), "{e}");
    let float_pred = WriteOptions {
        predictor: TiffPredictor::FloatingPoint,
        ..WriteOptions::default()
    };
    let e = GeoTiffWriter::create(&path, &info, &float_pred).unwrap_err();
    assert!(e.to_string().contains("U16"), "{e}");
}
