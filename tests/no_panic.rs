//! Property tests: arbitrary (often malformed) inputs give an account or a typed error, never a
//! panic; and accepted inputs satisfy the accounting identities.

use gep::prelude::*;
use ndarray::Array1;
use proptest::prelude::*;

/// (area_ha, code, region, precip_mm, aet_mm, npp_gc_per_m2, rh_gc_per_m2)
type Row = (f64, i32, u32, f32, f32, f32, f32);

fn any_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        4 => -100.0f32..3000.0,
        1 => Just(f32::NAN),
        1 => Just(-9999.0f32),
        1 => Just(f32::INFINITY),
    ]
}

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![8 => 0.0f64..10.0, 1 => Just(-1.0), 1 => Just(f64::NAN)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_inputs_never_panic(
        rows in prop::collection::vec(
            (any_f64(), prop_oneof![Just(11), Just(21), Just(31), Just(42), Just(51), Just(0), Just(99)],
             0u32..4, any_f32(), any_f32(), any_f32(), any_f32()),
            0..60),
        short_column in prop::option::weighted(0.1, 0usize..6),
        chunk in 1usize..17,
    ) {
        let n = rows.len();
        let len = |k: usize| if short_column == Some(k) { n.saturating_sub(1) } else { n };
        let f32col = |k: usize, f: fn(&Row) -> f32| {
            Array1::from(rows.iter().take(len(k)).map(f).collect::<Vec<_>>())
        };
        let built = LandscapeBuilder::new(Classification::gep_default(), Regions::flat(["a", "b", "c"]).unwrap())
            .area_ha(rows.iter().take(len(0)).map(|r| r.0).collect())
            .land_cover(rows.iter().take(len(1)).map(|r| r.1).collect())
            .land_cover_nodata(0)
            .region(rows.iter().take(len(2)).map(|r| r.2).collect())
            .layer("precip_mm", f32col(3, |r| r.3), Some(-9999.0))
            .layer("aet_mm", f32col(4, |r| r.4), Some(f32::NAN))
            .layer("npp_gc_per_m2", f32col(5, |r| r.5), Some(-9999.0))
            .layer("rh_gc_per_m2", f32col(5, |r| r.6), Some(f32::NAN))
            .build();
        if let Ok(landscape) = built {
            let services = core_services(&GepParams::default()).unwrap();
            let account = Engine::new(&services).chunk_units(chunk).run(&landscape).unwrap();
            let total = account.total_value();
            prop_assert!(total.is_finite());
            let by_region: f64 = account.value_by_region().iter().sum();
            prop_assert!((by_region - total).abs() <= 1e-9 * total.abs().max(1.0));
            for s in account.services() {
                prop_assert_eq!(s.tally.seen(), landscape.len() as u64);
            }
        }
    }

    #[test]
    fn valid_landscapes_merge_like_the_whole(
        rows in prop::collection::vec((0.0f64..5.0, prop_oneof![Just(11), Just(12), Just(21), Just(31), Just(41), Just(51)],
             0u32..3, 0.0f32..2500.0, 0.0f32..1500.0, 0.0f32..900.0, 0.0f32..500.0), 1..80),
        cut in 0.0f64..1.0,
    ) {
        let col = |f: fn(&Row) -> f32| Array1::from(rows.iter().map(f).collect::<Vec<_>>());
        let landscape = LandscapeBuilder::new(Classification::gep_default(), Regions::flat(["a", "b", "c"]).unwrap())
            .area_ha(rows.iter().map(|r| r.0).collect())
            .land_cover(rows.iter().map(|r| r.1).collect())
            .region(rows.iter().map(|r| r.2).collect())
            .layer("precip_mm", col(|r| r.3), None)
            .layer("aet_mm", col(|r| r.4), None)
            .layer("npp_gc_per_m2", col(|r| r.5), None)
            .layer("rh_gc_per_m2", col(|r| r.6), None)
            .build()
            .unwrap();
        let services = core_services(&GepParams::default()).unwrap();
        let engine = Engine::new(&services).chunk_units(7);
        let whole = engine.run(&landscape).unwrap();
        let k = (cut * rows.len() as f64) as usize;
        // Capped services are not additive: merge raw tile accounts, then finish once.
        let a = engine.run_raw(&landscape.slice(0..k).unwrap()).unwrap();
        let b = engine.run_raw(&landscape.slice(k..rows.len()).unwrap()).unwrap();
        let merged = engine.finish(a.merge(&b).unwrap(), landscape.region_stats()).unwrap();
        let scale: f64 = whole.value_by_service().iter().map(|v| v.abs()).sum::<f64>().max(1.0);
        prop_assert!((merged.total_value() - whole.total_value()).abs() <= 1e-9 * scale);
    }
}
