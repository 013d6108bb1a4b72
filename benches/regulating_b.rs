//! Criterion benches of air purification, water purification, climate regulation, pest control
//! and coastal protection, one group each, on a 10⁶-cell county from `gep::sample`.
//! Throughput in units (cells).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use gep::params::{ClassValue, Parameter};
use gep::prelude::*;
use gep::sample::{SampleConfig, SampleCounty};
use gep::services::{
    AirPurification, AirPurificationParams, ClimateRegulation, ClimateRegulationParams,
    CoastalProtection, CoastalProtectionParams, PestControl, PestControlParams, WaterPurification,
    WaterPurificationParams,
};

fn services() -> Vec<(&'static str, Box<dyn Service>)> {
    let mut water = WaterPurificationParams::default();
    for (code, v) in [(41, 2.0), (42, 0.5)] {
        water.cod.capacity.rows.retain(|r| r.code != code);
        water.cod.capacity.rows.push(ClassValue {
            code,
            value: Some(v),
        });
    }
    let coastal = CoastalProtectionParams {
        seawall_cost: Some(Price::yuan(
            2e7,
            PhysicalUnit::Kilometre,
            2020,
            "bench",
            Status::User,
        )),
        seawall_lifetime_years: Some(Parameter::new(50.0, "yr", "bench", Status::User)),
        ..Default::default()
    };
    vec![
        (
            "air_purification",
            Box::new(AirPurification::new(
                AirPurificationParams::default().check().expect("params"),
            )),
        ),
        (
            "water_purification",
            Box::new(WaterPurification::new(water.check().expect("params"))),
        ),
        (
            "climate_regulation",
            Box::new(ClimateRegulation::new(
                ClimateRegulationParams::default().check().expect("params"),
            )),
        ),
        (
            "pest_control",
            Box::new(PestControl::new(
                PestControlParams::default().check().expect("params"),
            )),
        ),
        (
            "coastal_protection",
            Box::new(CoastalProtection::new(coastal.check().expect("params"))),
        ),
    ]
}

fn bench_regulating_b(c: &mut Criterion) {
    let sample =
        SampleCounty::generate(&SampleConfig::with_cells(1_000_000)).expect("sample county");
    let landscape = &sample.landscape;
    for (id, service) in services() {
        let one: Vec<Box<dyn Service>> = vec![service];
        let mut group = c.benchmark_group(id);
        group.throughput(Throughput::Elements(landscape.len() as u64));
        group.sample_size(20);
        group.bench_function(BenchmarkId::new("units", landscape.len()), |b| {
            b.iter(|| Engine::new(&one).run(landscape).expect("account"))
        });
        group.finish();
    }
}

criterion_group!(benches, bench_regulating_b);
criterion_main!(benches);
