//! Criterion benches: each service alone and the whole account, on the sample county (300 000
//! cells) and on a 10⁷-cell synthetic county from the same generator. Throughput in units.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;

use gep::prelude::*;
use gep::sample::{SampleConfig, SampleCounty};

fn bench_services(c: &mut Criterion) {
    let sample = SampleCounty::generate(&SampleConfig::county()).expect("sample county");
    let landscape = &sample.landscape;
    let all = standard_services(&GepParams::default()).expect("default services");
    let mut group = c.benchmark_group("service");
    group.throughput(Throughput::Elements(landscape.len() as u64));
    for service in all {
        let id = service.id();
        let one: Vec<Box<dyn Service>> = vec![service];
        group.bench_function(BenchmarkId::new(id, landscape.len()), |b| {
            b.iter(|| Engine::new(&one).run(landscape).expect("account"))
        });
    }
    group.finish();
}

fn bench_account(c: &mut Criterion) {
    let services = standard_services(&GepParams::default()).expect("default services");
    let mut group = c.benchmark_group("account");
    group.measurement_time(Duration::from_secs(8));
    for config in [SampleConfig::county(), SampleConfig::with_cells(10_000_000)] {
        let sample = SampleCounty::generate(&config).expect("sample county");
        let landscape = &sample.landscape;
        group.throughput(Throughput::Elements(landscape.len() as u64));
        if landscape.len() > 1_000_000 {
            group.sample_size(10);
        }
        group.bench_function(
            BenchmarkId::new("standard_services", landscape.len()),
            |b| b.iter(|| Engine::new(&services).run(landscape).expect("account")),
        );
    }
    group.finish();
}

criterion_group!(benches, bench_services, bench_account);
criterion_main!(benches);
