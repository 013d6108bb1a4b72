//! Criterion benches of soil conservation, sand fixation, flood regulation and the
//! forest-standard water balance, one group per service, on a 10⁶-cell sample county
//! (`SampleConfig::with_cells(1_000_000)`, seeded). Throughput in units (cells).
//!
//! Soil conservation and sand fixation run twice: with their neighbourhood input derived from
//! `dem_m` in `bind` (LS: fill, MFD routing, accumulation, slope; cos slope) and with it read
//! as a layer (the per-unit kernel alone).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;

use gep::prelude::*;
use gep::sample::{SampleConfig, SampleCounty};
use gep::services::{
    FloodRegulationParams, LsSource, RoughnessSource, RunoffSource, SandFixationParams,
    SoilConservationParams,
};

fn bench_one(
    c: &mut Criterion,
    group_name: &str,
    landscape: &Landscape,
    variants: Vec<(&str, Box<dyn Service>)>,
) {
    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(landscape.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(4));
    group.warm_up_time(Duration::from_secs(1));
    for (name, service) in variants {
        let one: Vec<Box<dyn Service>> = vec![service];
        group.bench_function(BenchmarkId::new(name, landscape.len()), |b| {
            b.iter(|| Engine::new(&one).run(landscape).expect("account"))
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    let sample =
        SampleCounty::generate(&SampleConfig::with_cells(1_000_000)).expect("sample county");
    let l = &sample.landscape;

    let soil = |ls_source| {
        let p = SoilConservationParams {
            ls_source,
            ..Default::default()
        };
        Box::new(SoilConservation::new(p.check().expect("params"))) as Box<dyn Service>
    };
    bench_one(
        c,
        "soil_conservation",
        l,
        vec![
            ("ls_from_dem", soil(LsSource::FromDem)),
            ("ls_layer", soil(LsSource::Layer)),
        ],
    );

    let sand = |roughness| {
        let p = SandFixationParams {
            roughness,
            ..Default::default()
        };
        Box::new(SandFixation::new(p.check().expect("params"))) as Box<dyn Service>
    };
    bench_one(
        c,
        "sand_fixation",
        l,
        vec![
            ("cos_slope_from_dem", sand(RoughnessSource::CosSlopeFromDem)),
            ("roughness_layer", sand(RoughnessSource::Layer)),
        ],
    );

    let flood = FloodRegulationParams::default().check().expect("params");
    bench_one(
        c,
        "flood_regulation",
        l,
        vec![("default", Box::new(FloodRegulation::new(flood)))],
    );

    let water = WaterConservationParams {
        runoff: RunoffSource::Layer,
        ..Default::default()
    };
    bench_one(
        c,
        "water_conservation_forest_standard",
        l,
        vec![(
            "runoff_layer",
            Box::new(WaterConservation::new(water.check().expect("params"))),
        )],
    );
}

criterion_group!(regulating_a, benches);
criterion_main!(regulating_a);
