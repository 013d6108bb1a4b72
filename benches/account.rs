//! Criterion benches of the whole account: the core services and the complete MEE 2020 GEP
//! profile (provisioning, regulating, cultural) on the sample county (300 000 cells) and on a
//! 10⁷-cell synthetic county from the same generator. Throughput in units (cells).
//!
//! The profile reads LS and roughness from the sample's precomputed `ls_1` / `roughness_k_1`
//! layers, so the figures measure the accounting pass; the terrain routines have their own
//! bench (`benches/terrain.rs`).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;

use gep::prelude::*;
use gep::sample::{SampleConfig, SampleCounty};
use gep::services::{LsSource, RoughnessSource};

fn mee_profile_with_layers() -> Profile {
    let mut params = GepParams::default();
    params.soil_conservation.ls_source = LsSource::Layer;
    params.sand_fixation.roughness = RoughnessSource::Layer;
    Profile::mee2020().with_params(params)
}

fn bench_core_services(c: &mut Criterion) {
    let sample =
        SampleCounty::generate(&SampleConfig::with_cells(1_000_000)).expect("sample county");
    let landscape = &sample.landscape;
    let mut group = c.benchmark_group("service");
    group.throughput(Throughput::Elements(landscape.len() as u64));
    for service in core_services(&GepParams::default()).expect("core services") {
        let id = service.id();
        let one: Vec<Box<dyn Service>> = vec![service];
        group.bench_function(BenchmarkId::new(id, landscape.len()), |b| {
            b.iter(|| Engine::new(&one).run(landscape).expect("account"))
        });
    }
    group.finish();
}

fn bench_account(c: &mut Criterion) {
    let core = core_services(&GepParams::default()).expect("core services");
    let profile = mee_profile_with_layers();
    let full = profile.build_services().expect("profile services");
    let mut group = c.benchmark_group("account");
    group.measurement_time(Duration::from_secs(8));
    for config in [SampleConfig::county(), SampleConfig::with_cells(10_000_000)] {
        let sample = SampleCounty::generate(&config).expect("sample county");
        let landscape = &sample.landscape;
        group.throughput(Throughput::Elements(landscape.len() as u64));
        if landscape.len() > 1_000_000 {
            group.sample_size(10);
        }
        group.bench_function(BenchmarkId::new("core_services", landscape.len()), |b| {
            b.iter(|| Engine::new(&core).run(landscape).expect("account"))
        });
        group.bench_function(BenchmarkId::new("mee2020_profile", landscape.len()), |b| {
            b.iter(|| Engine::new(&full).run(landscape).expect("account"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_core_services, bench_account);
criterion_main!(benches);
