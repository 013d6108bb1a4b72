//! The invariants of DESIGN.md, on hand-built landscapes and the sample county.

mod common;

use approx::assert_relative_eq;
use common::*;
use gep::prelude::*;
use gep::sample::{SampleConfig, SampleCounty};

fn county() -> Landscape {
    // A 120 × 100 cell version of the sample county at 150 m cells keeps debug tests fast.
    let cfg = SampleConfig {
        rows: 120,
        cols: 100,
        cell_size_m: 150.0,
        seed: 2026,
    };
    SampleCounty::generate(&cfg).unwrap().landscape
}

/// The account of the county with every standard service.
fn run_all(l: &Landscape, p: &GepParams) -> Account {
    let services = standard_services(p).unwrap();
    Engine::new(&services).run(l).unwrap()
}

fn on_threads(n: usize, f: impl FnOnce() -> Account + Send) -> Account {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn sums_over_regions_classes_services_categories_ecosystems_equal_total() {
    let l = county();
    let a = run_all(&l, &GepParams::default());
    let total = a.total_value();
    assert!(total > 1e6, "the sample county has a GEP, got {total}");
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    assert_relative_eq!(sum(&a.value_by_region()), total, max_relative = 1e-12);
    assert_relative_eq!(sum(&a.value_by_class()), total, max_relative = 1e-12);
    assert_relative_eq!(sum(&a.value_by_service()), total, max_relative = 1e-12);
    assert_relative_eq!(sum(&a.value_by_component()), total, max_relative = 1e-12);
    let cats: Vec<f64> = a.value_by_category().iter().map(|c| c.1).collect();
    assert_relative_eq!(sum(&cats), total, max_relative = 1e-12);
    let eco: Vec<f64> = a.value_by_ecosystem().iter().map(|c| c.1).collect();
    assert_relative_eq!(sum(&eco), total, max_relative = 1e-12);
    let cells: Vec<f64> = a.cells().iter().map(|c| c.value).collect();
    assert_relative_eq!(sum(&cells), total, max_relative = 1e-12);
    // Quantities too: per region and per class add up to the component total.
    let q = a.quantity("water_conservation", "water").unwrap();
    assert_relative_eq!(
        sum(&a.quantity_by_region("water_conservation", "water").unwrap()),
        q,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        sum(&a.quantity_by_class("water_conservation", "water").unwrap()),
        q,
        max_relative = 1e-12
    );
}

#[test]
fn one_thread_and_two_threads_are_bit_identical() {
    let l = county();
    let services = standard_services(&GepParams::default()).unwrap();
    // Small chunks: many chunks, so the parallel tree really splits.
    let engine = Engine::new(&services).chunk_units(97);
    let a1 = on_threads(1, || engine.run(&l).unwrap());
    let a2 = on_threads(2, || engine.run(&l).unwrap());
    let a3 = on_threads(3, || engine.run(&l).unwrap());
    assert_eq!(a1.total_value().to_bits(), a2.total_value().to_bits());
    assert_eq!(a1, a2);
    assert_eq!(a1, a3);
    let csv = |a: &Account| {
        let mut v = Vec::new();
        a.write_csv(&mut v).unwrap();
        v
    };
    assert_eq!(csv(&a1), csv(&a2));
    assert_eq!(a1.to_json_string().unwrap(), a2.to_json_string().unwrap());
}

#[test]
fn account_of_whole_equals_merge_of_tiles() {
    let l = county();
    // Neighbourhood inputs (LS, cos slope) are computed once for the whole DEM and read as
    // layers by the tiles; flood regulation adds region statistics once, so tiles merge raw
    // and the merged account is finished once (DESIGN.md, Engine::run_raw).
    let mut p = GepParams::default();
    p.soil_conservation.ls_source = gep::services::LsSource::Layer;
    p.sand_fixation.roughness = gep::services::RoughnessSource::Layer;
    let services = standard_services(&p).unwrap();
    let engine = Engine::new(&services);
    let whole = engine.run(&l).unwrap();
    // Uneven tiles: whole row blocks and an arbitrary cut. The emission-capped services are
    // not additive, so the tiles' raw accounts are merged and then finished once.
    let cuts = [0, 1000, 1037, 5000, 11_999, l.len()];
    let mut merged: Option<Account> = None;
    for w in cuts.windows(2) {
        let tile = engine.run_raw(&l.slice(w[0]..w[1]).unwrap()).unwrap();
        merged = Some(match merged {
            None => tile,
            Some(m) => m.merge(&tile).unwrap(),
        });
    }
    let merged = engine.finish(merged.unwrap(), l.region_stats()).unwrap();
    assert_relative_eq!(
        merged.total_value(),
        whole.total_value(),
        max_relative = 1e-9
    );
    for (a, b) in merged.value_by_region().iter().zip(whole.value_by_region()) {
        assert_relative_eq!(*a, b, max_relative = 1e-9);
    }
    for (a, b) in merged.value_by_class().iter().zip(whole.value_by_class()) {
        assert_relative_eq!(*a, b, max_relative = 1e-9);
    }
    assert_eq!(merged.n_units(), whole.n_units());
    for (a, b) in merged.services().iter().zip(whole.services()) {
        assert_eq!(a.tally.counted, b.tally.counted);
        assert_eq!(a.tally.layer_nodata, b.tally.layer_nodata);
    }
    // Merge is associative to rounding: (t1 + t2) + t3 = t1 + (t2 + t3).
    let t: Vec<Account> = cuts[..4]
        .windows(2)
        .map(|w| engine.run_raw(&l.slice(w[0]..w[1]).unwrap()).unwrap())
        .collect();
    let left = t[0].clone().merge(&t[1]).unwrap().merge(&t[2]).unwrap();
    let right = t[0]
        .clone()
        .merge(&t[1].clone().merge(&t[2]).unwrap())
        .unwrap();
    assert_relative_eq!(
        left.total_value(),
        right.total_value(),
        max_relative = 1e-14
    );
}

#[test]
fn doubling_areas_doubles_every_flow() {
    // Capped flows (min(emission, capacity)) are not area-proportional: keep the additive
    // services; the caps have their own tests (tests/regulating_b.rs).
    let l = county();
    let services: Vec<Box<dyn Service>> = standard_services(&GepParams::default())
        .unwrap()
        .into_iter()
        .filter(|s| s.is_additive())
        .collect();
    let engine = Engine::new(&services);
    let a = engine.run(&l).unwrap();
    let b = engine.run(&l.with_areas_scaled(2.0).unwrap()).unwrap();
    assert_relative_eq!(b.total_value(), 2.0 * a.total_value(), max_relative = 1e-12);
    for (x, y) in a.value_by_region().iter().zip(b.value_by_region()) {
        assert_relative_eq!(2.0 * x, y, max_relative = 1e-12);
    }
    for (s, c) in [
        ("water_conservation", "water"),
        ("carbon_sequestration", "co2"),
        ("oxygen_release", "o2"),
        ("soil_conservation", "retained_soil"),
        ("soil_conservation", "sediment"),
        ("sand_fixation", "sand_fixed"),
    ] {
        assert_relative_eq!(
            b.quantity(s, c).unwrap(),
            2.0 * a.quantity(s, c).unwrap(),
            max_relative = 1e-12
        );
    }
    // Flood regulation is not additive (lakes and reservoirs come from region statistics and
    // stay put), but its per-unit components double.
    let flood: Vec<Box<dyn Service>> =
        gep::services::services_by_id("flood_regulation", &GepParams::default()).unwrap();
    let fa = Engine::new(&flood).run(&l).unwrap();
    let fb = Engine::new(&flood)
        .run(&l.with_areas_scaled(2.0).unwrap())
        .unwrap();
    for c in ["vegetation", "marsh"] {
        let q = fa.quantity("flood_regulation", c).unwrap();
        assert!(q > 0.0, "{c}");
        assert_relative_eq!(
            fb.quantity("flood_regulation", c).unwrap(),
            2.0 * q,
            max_relative = 1e-12
        );
    }
    for c in ["lake", "reservoir"] {
        assert_relative_eq!(
            fb.quantity("flood_regulation", c).unwrap(),
            fa.quantity("flood_regulation", c).unwrap(),
            max_relative = 1e-12
        );
    }
    assert_relative_eq!(b.extent_ha(), 2.0 * a.extent_ha(), max_relative = 1e-12);
}

#[test]
fn scaling_prices_scales_values_and_leaves_quantities() {
    let l = county();
    let p = GepParams::default();
    let a = run_all(&l, &p);
    let b = run_all(&l, &p.with_prices_scaled(3.0));
    assert_relative_eq!(b.total_value(), 3.0 * a.total_value(), max_relative = 1e-12);
    for (x, y) in a.value_by_service().iter().zip(b.value_by_service()) {
        assert_relative_eq!(3.0 * x, y, max_relative = 1e-12);
    }
    for (s, c) in [
        ("water_conservation", "water"),
        ("carbon_sequestration", "co2"),
        ("oxygen_release", "o2"),
    ] {
        assert_eq!(
            b.quantity(s, c).unwrap().to_bits(),
            a.quantity(s, c).unwrap().to_bits()
        );
    }
}

#[test]
fn nodata_units_are_counted_not_summed() {
    // Unit 1: precip nodata; unit 2: land-cover nodata (code 0); unit 3: NPP nodata only.
    let rows = [
        (1.0, 11, 3, 1600.0, 800.0, 700.0, 300.0),
        (1.0, 11, 3, -9999.0, 800.0, 700.0, 300.0),
        (1.0, 0, 3, 1600.0, 800.0, 700.0, 300.0),
        (1.0, 11, 4, 1600.0, 800.0, -9999.0, 300.0),
    ];
    let a = run(&landscape(&rows).unwrap(), &GepParams::default());
    // Water: units 0 and 3 count (unit 3 has precip and ET): 2 × 7572.8 m³.
    assert_relative_eq!(
        a.quantity("water_conservation", "water").unwrap(),
        2.0 * 7572.8,
        max_relative = 1e-12
    );
    // Carbon does not read precipitation: units 0 and 1 count, 2 × 4 t C = 2 × 14.667 t CO2.
    assert_relative_eq!(
        a.quantity("carbon_sequestration", "co2").unwrap(),
        88.0 / 3.0,
        max_relative = 1e-12
    );
    let w = a.provenance("water_conservation").unwrap();
    assert_eq!(w.tally.counted, 2);
    assert_eq!(w.tally.land_cover_nodata, 1);
    assert_eq!(w.tally.layer_nodata, vec![1, 0]); // precip_mm, aet_mm
    let c = a.provenance("carbon_sequestration").unwrap();
    assert_eq!(c.tally.counted, 2);
    assert_eq!(c.tally.layer_nodata, vec![1, 0]); // npp_gc_per_m2 (unit 3), rh_gc_per_m2
    assert_eq!(c.tally.seen(), 4);
    assert_eq!(a.land_cover_nodata_units(), 1);
    assert_eq!(a.extent_ha(), 3.0);
}

#[test]
fn nan_nodata_layers_are_masked() {
    // A layer whose nodata is NaN: NaN cells are skipped, not summed as NaN.
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(ndarray::array![1.0, 1.0])
        .land_cover(ndarray::array![11, 11])
        .layer(
            "precip_mm",
            ndarray::array![1600.0, f32::NAN],
            Some(f32::NAN),
        )
        .layer("aet_mm", ndarray::array![800.0, 800.0], None)
        .layer("npp_gc_per_m2", ndarray::array![700.0, 700.0], None)
        .layer("rh_gc_per_m2", ndarray::array![300.0, 300.0], None)
        .build()
        .unwrap();
    let a = run(&l, &GepParams::default());
    assert!(a.total_value().is_finite());
    assert_relative_eq!(
        a.quantity("water_conservation", "water").unwrap(),
        7572.8,
        max_relative = 1e-12
    );
}

#[test]
fn empty_landscape_gives_zero_account() {
    let l = landscape(&[]).unwrap();
    let a = run(&l, &GepParams::default());
    assert_eq!(a.total_value(), 0.0);
    assert_eq!(a.n_units(), 0);
}
