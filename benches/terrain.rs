//! Criterion benches of the terrain routines on a 1000 × 1000 synthetic DEM (10⁶ cells).
//!
//! Run: `cargo bench --bench terrain`. Each routine is timed on inputs precomputed from the
//! same deterministic DEM (`terrain::synthetic::hilly_dem(1000, 1000, 42)`, 30 m cells).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gep::terrain::*;
use std::hint::black_box;
use std::time::Duration;

const SIZE: usize = 1000;

fn terrain(c: &mut Criterion) {
    let dem = synthetic::hilly_dem(SIZE, SIZE, 42);
    let cell = CellSize::square(30.0).expect("valid cell size");
    let filled = fill_pits(dem.view(), None).expect("fill");
    let d8 = flow_dir_d8(filled.view(), None).expect("d8");
    let mfd = flow_dir_mfd(filled.view(), None).expect("mfd");
    let fa_d8 = flow_accumulation_d8(d8.view(), None).expect("fa d8");
    let fa_mfd = flow_accumulation_mfd(mfd.view(), None).expect("fa mfd");
    let slope = slope_percent(filled.view(), None, cell).expect("slope");
    let streams_8 = streams_d8(fa_d8.view(), 1000.0).expect("streams d8");
    let streams_m = streams_mfd(fa_mfd.view(), mfd.view(), 1000.0, 0.7).expect("streams mfd");
    let weights = slope.mapv(|s| 1.0 / (s / 100.0).clamp(0.005, 1.0));

    let mut g = c.benchmark_group("terrain_1000x1000");
    g.throughput(Throughput::Elements((SIZE * SIZE) as u64));
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));

    g.bench_function("fill_pits", |b| {
        b.iter(|| fill_pits(black_box(dem.view()), None))
    });
    g.bench_function("flow_dir_d8", |b| {
        b.iter(|| flow_dir_d8(black_box(filled.view()), None))
    });
    g.bench_function("flow_dir_mfd", |b| {
        b.iter(|| flow_dir_mfd(black_box(filled.view()), None))
    });
    g.bench_function("flow_accumulation_d8", |b| {
        b.iter(|| flow_accumulation_d8(black_box(d8.view()), None))
    });
    g.bench_function("flow_accumulation_mfd", |b| {
        b.iter(|| flow_accumulation_mfd(black_box(mfd.view()), None))
    });
    g.bench_function("flow_accumulation_mfd_weighted", |b| {
        b.iter(|| flow_accumulation_mfd(black_box(mfd.view()), Some(weights.view())))
    });
    g.bench_function("streams_d8", |b| {
        b.iter(|| streams_d8(black_box(fa_d8.view()), 1000.0))
    });
    g.bench_function("streams_mfd", |b| {
        b.iter(|| streams_mfd(black_box(fa_mfd.view()), mfd.view(), 1000.0, 0.7))
    });
    g.bench_function("slope_percent", |b| {
        b.iter(|| slope_percent(black_box(filled.view()), None, cell))
    });
    g.bench_function("ls_factor", |b| {
        b.iter(|| {
            ls_factor(
                black_box(slope.view()),
                fa_mfd.view(),
                cell,
                &LsParams::default(),
            )
        })
    });
    g.bench_function("downstream_distance_d8", |b| {
        b.iter(|| {
            downstream_distance_d8(black_box(d8.view()), streams_8.view(), Some(weights.view()))
        })
    });
    g.bench_function("downstream_distance_mfd", |b| {
        b.iter(|| {
            downstream_distance_mfd(
                black_box(mfd.view()),
                streams_m.view(),
                Some(weights.view()),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, terrain);
criterion_main!(benches);
