//! Property test of the regulating services of `tests/regulating_a.rs`: arbitrary layer values
//! and region statistics give an account or a typed error, never a panic.

use gep::prelude::*;
use gep::services::RunoffSource;
use ndarray::Array1;
use proptest::prelude::*;

fn any_value() -> impl Strategy<Value = f32> {
    prop_oneof![
        6 => -50.0f32..3000.0,
        1 => Just(-9999.0f32),
        1 => Just(0.0f32),
        1 => Just(1.0e30f32),
    ]
}

const LAYERS: [&str; 20] = [
    "precip_mm",
    "aet_mm",
    "npp_gc_per_m2",
    "rh_gc_per_m2",
    "r_mj_mm_per_ha_h_yr",
    "k_t_ha_h_per_ha_mj_mm",
    "dem_m",
    "wind_factor_m3_per_s3",
    "soil_wetness_1",
    "snow_factor_1",
    "temp_c",
    "sand_pct",
    "silt_pct",
    "clay_pct",
    "om_pct",
    "caco3_pct",
    "veg_cover_pct",
    "storm_precip_mm",
    "storm_runoff_mm",
    "runoff_mm",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Arbitrary values (negative, zero, huge, nodata) in every layer of the new services
    /// on a small grid: an account with finite totals or a typed error, never a panic.
    #[test]
    fn arbitrary_layers_give_an_account_or_an_error(
        rows in 1usize..6,
        cols in 1usize..6,
        values in prop::collection::vec(any_value(), 36 * 20),
        codes in prop::collection::vec(
            prop_oneof![Just(11), Just(21), Just(31), Just(41), Just(42), Just(52), Just(61), Just(71), Just(0)],
            36),
        stat in prop_oneof![Just(None), Just(Some(-1.0)), Just(Some(0.0)), Just(Some(1.0e6))],
    ) {
        let n = rows * cols;
        let mut b = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
            .grid(GridShape::new(rows, cols, 30.0).unwrap())
            .land_cover(Array1::from(codes[..n].to_vec()))
            .land_cover_nodata(0)
            .region_stat("reservoir_capacity_m3", vec![stat], "test")
            .region_stat("lake_area_km2", vec![stat], "test")
            .region_stat("lake_turnover_per_yr", vec![Some(1.0)], "test");
        for (k, name) in LAYERS.iter().enumerate() {
            let col: Vec<f32> = values[k * 36..k * 36 + n].to_vec();
            b = b.layer(*name, Array1::from(col), Some(-9999.0));
        }
        let landscape = b.build().unwrap();
        let mut p = GepParams::default();
        p.water_conservation.runoff = RunoffSource::Layer;
        let services = standard_services(&p).unwrap();
        if let Ok(a) = Engine::new(&services).run(&landscape) {
            prop_assert!(a.total_value().is_finite());
            for s in a.services() {
                prop_assert_eq!(s.tally.seen(), n as u64, "{}", s.id);
            }
        }
    }
}
