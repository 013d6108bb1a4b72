//! GeoTIFF decode and encode throughput on a 2000 × 2000 f32 raster (16 MB of cells):
//! DEFLATE and LZW, tiled (256²) and striped (64 rows), with the floating-point predictor
//! for DEFLATE as GDAL users usually write it. Throughput is in decoded bytes.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gep::io::{
    read_geotiff, write_geotiff, GeoTiffReader, Raster, RasterData, TiffCompression, TiffPredictor,
    WriteOptions,
};

const SIDE: usize = 2000;

/// A smooth field with noise in the low mantissa bits, like a precipitation or yield map.
fn raster() -> Raster {
    let data = (0..SIDE * SIDE)
        .map(|i| {
            let (r, c) = ((i / SIDE) as f32, (i % SIDE) as f32);
            let noise = ((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as f32;
            300.0 + 0.4 * r + 0.25 * c + noise * 0.01
        })
        .collect();
    Raster {
        rows: SIDE,
        cols: SIDE,
        geotransform: [500_000.0, 30.0, 0.0, 4_000_000.0, 0.0, -30.0],
        epsg: Some(32650),
        nodata: Some(-9999.0),
        data: RasterData::F32(data),
    }
}

fn layouts() -> Vec<(&'static str, WriteOptions)> {
    let mut v = Vec::new();
    for (cname, compression, predictor) in [
        (
            "deflate_pred3",
            TiffCompression::Deflate,
            TiffPredictor::FloatingPoint,
        ),
        ("deflate", TiffCompression::Deflate, TiffPredictor::None),
        ("lzw", TiffCompression::Lzw, TiffPredictor::None),
    ] {
        for (lname, tile) in [("tiled", Some(256)), ("striped", None)] {
            let name: &'static str = Box::leak(format!("{cname}_{lname}").into_boxed_str());
            v.push((
                name,
                WriteOptions {
                    compression,
                    predictor,
                    tile,
                    rows_per_strip: 64,
                    ..WriteOptions::default()
                },
            ));
        }
    }
    v
}

fn bench(c: &mut Criterion) {
    let r = raster();
    let dir = std::env::temp_dir().join("gep_bench_geotiff");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut group = c.benchmark_group("geotiff_2000x2000_f32");
    group.sample_size(10);
    group.throughput(Throughput::Bytes((SIDE * SIDE * 4) as u64));
    for (name, opts) in layouts() {
        let path = dir.join(format!("{name}.tif"));
        group.bench_function(format!("encode_{name}"), |b| {
            b.iter(|| write_geotiff(&path, &r, &opts).expect("write"))
        });
        group.bench_function(format!("decode_{name}"), |b| {
            b.iter(|| read_geotiff(&path).expect("read"))
        });
        let reader = GeoTiffReader::open(&path).expect("open");
        let mut buf = vec![0.0f32; 256 * SIDE];
        group.bench_function(format!("decode_blocks_f32_{name}"), |b| {
            b.iter(|| {
                for r0 in (0..SIDE).step_by(256) {
                    let r1 = (r0 + 256).min(SIDE);
                    reader
                        .read_rows_f32(r0..r1, &mut buf[..(r1 - r0) * SIDE])
                        .expect("read rows");
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
