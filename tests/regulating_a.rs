//! Soil conservation, sand fixation, flood regulation and the forest-standard water balance:
//! values worked by hand (units in comments), edge cases, errors and provenance.

use approx::assert_relative_eq;
use gep::params::{ClassValue, Status};
use gep::prelude::*;
use gep::services::{
    FloodRegulationParams, LsSource, RoughnessSource, RunoffSource, SandFixationParams,
    SoilConservationParams, SoilValuation,
};
use ndarray::{array, Array1};

fn one(service: Box<dyn Service>) -> Vec<Box<dyn Service>> {
    vec![service]
}

fn soil(params: SoilConservationParams) -> Vec<Box<dyn Service>> {
    one(Box::new(SoilConservation::new(params.check().unwrap())))
}

fn soil_layer_params() -> SoilConservationParams {
    SoilConservationParams {
        ls_source: LsSource::Layer,
        ..Default::default()
    }
}

/// Unit 0: 2 ha evergreen broadleaf forest, R 5000, K 0.03, LS 2.
/// Unit 1: 1 ha dryland, R 4000, K 0.04, LS 1.5.
fn soil_landscape() -> Landscape {
    LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![2.0, 1.0])
        .land_cover(array![11, 52])
        .layer("r_mj_mm_per_ha_h_yr", array![5000.0, 4000.0], None)
        .layer("k_t_ha_h_per_ha_mj_mm", array![0.03, 0.04], None)
        .layer("ls_1", array![2.0, 1.5], None)
        .build()
        .unwrap()
}

#[test]
fn soil_conservation_rusle_t_m3_and_yuan_by_hand() {
    // Forest: Q = 5000 × 0.03 × 2 × (1 − 0.006·1) t/ha × 2 ha = 596.4 t.
    // Dryland: C·P = 0.3 × 0.4 = 0.12; Q = 4000 × 0.04 × 1.5 × 0.88 × 1 ha = 211.2 t.
    // Sediment = 0.24 × Q / 0.93 t/m³: 153.909 677 + 54.503 226 = 208.412 903 m³.
    // N = 0.0037 Q: 2.206 68 + 0.781 44 t; P = 0.00108 Q: 0.644 112 + 0.228 096 t.
    // Value: forest 6132.271 374, dryland 2171.589 058 → 8303.860 432 yuan.
    // K = 0.03 and 0.04 are stored as f32 layers (≈2e-8 relative off), hence 1e-7.
    let a = Engine::new(&soil(soil_layer_params()))
        .run(&soil_landscape())
        .unwrap();
    let q = |c| a.quantity("soil_conservation", c).unwrap();
    assert_relative_eq!(q("retained_soil"), 807.6, max_relative = 1e-7);
    assert_relative_eq!(q("sediment"), 208.412_903_225_8, max_relative = 1e-7);
    assert_relative_eq!(q("nitrogen"), 2.988_12, max_relative = 1e-7);
    assert_relative_eq!(q("phosphorus"), 0.872_208, max_relative = 1e-7);
    assert_relative_eq!(a.total_value(), 8_303.860_432_258, max_relative = 1e-7);
    // Retained soil itself adds nothing to GEP.
    let prov = a.provenance("soil_conservation").unwrap();
    assert_eq!(prov.components[0].id, "retained_soil");
    assert_eq!(a.value_by_component()[0], 0.0);
}

#[test]
fn soil_conservation_forest_standard_variant_yuan_by_hand() {
    // Forest unit alone (596.4 t): soil volume 596.4/0.93 = 641.290 323 m³ × 12.6 yuan/m³;
    // N 2.206 68 t × 2400/0.14 yuan/t; P 0.644 112 t × 2400/0.1501 yuan/t → 56 207.984 114 yuan.
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![2.0])
        .land_cover(array![11])
        .layer("r_mj_mm_per_ha_h_yr", array![5000.0], None)
        .layer("k_t_ha_h_per_ha_mj_mm", array![0.03], None)
        .layer("ls_1", array![2.0], None)
        .build()
        .unwrap();
    let mut p = soil_layer_params();
    p.valuation = SoilValuation::ForestStandard;
    let a = Engine::new(&soil(p)).run(&l).unwrap();
    assert_relative_eq!(
        a.quantity("soil_conservation", "soil_volume").unwrap(),
        641.290_322_580_6,
        max_relative = 1e-7
    );
    assert_relative_eq!(a.total_value(), 56_207.984_113_8, max_relative = 1e-7);
    let prov = a.provenance("soil_conservation").unwrap();
    let n_price = prov.components.iter().find(|c| c.id == "nitrogen").unwrap();
    assert_relative_eq!(n_price.unit_value, 2400.0 / 0.14, max_relative = 1e-7);
}

#[test]
fn soil_conservation_c_times_p_above_one_is_clamped_and_reported() {
    // Bare land with P = 1.5: C·P = 1.5 > 1 → no retention, and the removed amount
    // 5000 × 0.03 × 2 × (1 − 1.5) × 2 ha = −300 t is the tally's negative_sum.
    let mut p = soil_layer_params();
    for r in &mut p.support_practice_p.rows {
        if r.code == 71 {
            r.value = Some(1.5);
        }
    }
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![2.0])
        .land_cover(array![71])
        .layer("r_mj_mm_per_ha_h_yr", array![5000.0], None)
        .layer("k_t_ha_h_per_ha_mj_mm", array![0.03], None)
        .layer("ls_1", array![2.0], None)
        .build()
        .unwrap();
    let a = Engine::new(&soil(p)).run(&l).unwrap();
    assert_eq!(
        a.quantity("soil_conservation", "retained_soil").unwrap(),
        0.0
    );
    let prov = a.provenance("soil_conservation").unwrap();
    assert_relative_eq!(prov.tally.negative_sum[0], -300.0, max_relative = 1e-7);
    assert!(prov
        .notes
        .iter()
        .any(|n| n.contains("code 71") && n.contains("clamped")));
    assert_eq!(a.total_value(), 0.0);
}

#[test]
fn soil_conservation_zero_rainfall_retains_nothing() {
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("r_mj_mm_per_ha_h_yr", array![0.0], None)
        .layer("k_t_ha_h_per_ha_mj_mm", array![0.03], None)
        .layer("ls_1", array![2.0], None)
        .build()
        .unwrap();
    let a = Engine::new(&soil(soil_layer_params())).run(&l).unwrap();
    assert_eq!(a.total_value(), 0.0);
    let prov = a.provenance("soil_conservation").unwrap();
    assert_eq!(prov.tally.counted, 1);
    assert!(prov.tally.negative_sum.iter().all(|&x| x == 0.0));
}

#[test]
fn soil_conservation_missing_layer_and_missing_grid_are_typed_errors() {
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("k_t_ha_h_per_ha_mj_mm", array![0.03], None)
        .layer("ls_1", array![2.0], None)
        .layer("dem_m", array![100.0], None)
        .build()
        .unwrap();
    let e = Engine::new(&soil(soil_layer_params())).run(&l).unwrap_err();
    assert!(matches!(
        e,
        GepError::Landscape(LandscapeError::MissingLayer { ref layer, .. }) if layer == "r_mj_mm_per_ha_h_yr"
    ));
    // LS from the DEM on units without a grid.
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("r_mj_mm_per_ha_h_yr", array![5000.0], None)
        .layer("k_t_ha_h_per_ha_mj_mm", array![0.03], None)
        .layer("dem_m", array![100.0], None)
        .build()
        .unwrap();
    let e = Engine::new(&soil(SoilConservationParams::default()))
        .run(&l)
        .unwrap_err();
    assert!(matches!(
        e,
        GepError::Landscape(LandscapeError::MissingGrid { ref layer, .. }) if layer == "dem_m"
    ));
    assert!(e.to_string().contains("LS factor"));
}

#[test]
fn soil_conservation_ls_from_dem_equals_the_same_ls_given_as_a_layer() {
    // A 6 × 5 grid of 30 m cells on a tilted, bumpy plane, all forest.
    let grid = GridShape::new(6, 5, 30.0).unwrap();
    let dem: Array1<f32> = (0..30)
        .map(|i| {
            let (r, c) = (i / 5, i % 5);
            200.0 - 8.0 * r as f32 - 3.0 * c as f32 + ((i * 7) % 5) as f32
        })
        .collect();
    let ls = gep::services::ls_factor_from_dem(
        &grid,
        dem.as_slice().unwrap(),
        None,
        gep::services::FlowRouting::Mfd,
        &gep::terrain::LsParams::default(),
    )
    .unwrap();
    let build = |with_ls: bool| {
        let mut b = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
            .grid(grid.clone())
            .land_cover(Array1::from_elem(30, 11))
            .layer("r_mj_mm_per_ha_h_yr", Array1::from_elem(30, 5000.0), None)
            .layer("k_t_ha_h_per_ha_mj_mm", Array1::from_elem(30, 0.03), None)
            .layer("dem_m", dem.clone(), None);
        if with_ls {
            b = b.layer("ls_1", Array1::from(ls.clone()), Some(-1.0));
        }
        b.build().unwrap()
    };
    let from_dem = Engine::new(&soil(SoilConservationParams::default()))
        .run(&build(false))
        .unwrap();
    let from_layer = Engine::new(&soil(soil_layer_params()))
        .run(&build(true))
        .unwrap();
    let q = from_dem
        .quantity("soil_conservation", "retained_soil")
        .unwrap();
    assert!(q > 0.0);
    assert_eq!(
        q.to_bits(),
        from_layer
            .quantity("soil_conservation", "retained_soil")
            .unwrap()
            .to_bits()
    );
    let t1 = &from_dem.provenance("soil_conservation").unwrap().tally;
    let t2 = &from_layer.provenance("soil_conservation").unwrap().tally;
    assert_eq!(t1.counted, t2.counted);
    assert_eq!(t1.seen(), 30);
}

fn sand_landscape(cover_pct: f32, roughness: Option<f32>) -> Landscape {
    let mut b = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![1.0])
        .land_cover(array![31])
        .layer("wind_factor_m3_per_s3", array![100.0], None)
        .layer("soil_wetness_1", array![0.5], None)
        .layer("snow_factor_1", array![1.0], None)
        .layer("dem_m", array![0.0], None)
        .layer("temp_c", array![15.0], None)
        .layer("sand_pct", array![40.0], None)
        .layer("silt_pct", array![30.0], None)
        .layer("clay_pct", array![30.0], None)
        .layer("om_pct", array![1.0], None)
        .layer("caco3_pct", array![0.0], None)
        .layer("veg_cover_pct", array![cover_pct], None);
    if let Some(k) = roughness {
        b = b.layer("roughness_k_1", array![k], None);
    }
    b.build().unwrap()
}

fn sand(params: SandFixationParams) -> Vec<Box<dyn Service>> {
    one(Box::new(SandFixation::new(params.check().unwrap())))
}

#[test]
fn sand_fixation_rweq_t_m2_and_yuan_by_hand() {
    // ρ_air = 348 × 1.013 / 288.15 K = 1.223 404 kg/m³ (0 m, 15 °C);
    // WF = 100 × 1.223 404 / 9.806 65 × 0.5 × 1 = 6.237 627 kg/m;
    // EF = (29.09 + 0.31·40 + 0.17·30 + 0.33·40/30 − 2.59·1 − 0)/100 = 0.4444;
    // SCF = 1/(1 + 0.0066·30² + 0.021·1²) = 0.143 658; K' = 1 → x = 0.398 219.
    // Potential: Q_max = 43.724 kg/m, S = 150.71 x^−0.3711 = 211.4 m,
    // SL_p = 2·50/S² · Q_max · e^−(50/S)² = 0.091 942 kg/m²;
    // actual with C = e^(−0.0438·50) = 0.111 917: SL_a = 0.002 118 kg/m².
    // Q_sf = 0.089 824 kg/m² × 10⁴ m² / 1000 = 0.898 245 t on 1 ha;
    // land = 0.898 245 / (1.28 t/m³ × 0.1 m) = 7.017 537 m²; × 3.75 yuan/m² = 26.315 764 yuan.
    let p = SandFixationParams {
        roughness: RoughnessSource::Layer,
        ..Default::default()
    };
    let a = Engine::new(&sand(p))
        .run(&sand_landscape(50.0, Some(1.0)))
        .unwrap();
    assert_relative_eq!(
        a.quantity("sand_fixation", "sand_fixed").unwrap(),
        0.898_244_731_5,
        max_relative = 1e-6
    );
    assert_relative_eq!(
        a.quantity("sand_fixation", "land_protected").unwrap(),
        7.017_536_965,
        max_relative = 1e-6
    );
    // Layer values are f32 (0.5, 0.03 ...); 1e-6 covers their rounding.
    assert_relative_eq!(a.total_value(), 26.315_763_62, max_relative = 1e-6);
}

#[test]
fn sand_fixation_tonnes_scale_with_area_not_cell_side() {
    // The kg/m² convention: 4 ha give 4 × the tonnes of 1 ha with the same inputs.
    let p = SandFixationParams {
        roughness: RoughnessSource::Layer,
        ..Default::default()
    };
    let l = sand_landscape(50.0, Some(1.0));
    let a = Engine::new(&sand(p.clone())).run(&l).unwrap();
    let b = Engine::new(&sand(p))
        .run(&l.with_areas_scaled(4.0).unwrap())
        .unwrap();
    assert_relative_eq!(
        b.quantity("sand_fixation", "sand_fixed").unwrap(),
        4.0 * a.quantity("sand_fixation", "sand_fixed").unwrap(),
        max_relative = 1e-12
    );
}

#[test]
fn sand_fixation_bare_soil_fixes_nothing_and_missing_roughness_layer_is_named() {
    let p = SandFixationParams {
        roughness: RoughnessSource::Layer,
        ..Default::default()
    };
    // Cover 0 %: C = 1, actual = potential.
    let a = Engine::new(&sand(p.clone()))
        .run(&sand_landscape(0.0, Some(1.0)))
        .unwrap();
    assert_eq!(a.quantity("sand_fixation", "sand_fixed").unwrap(), 0.0);
    let e = Engine::new(&sand(p))
        .run(&sand_landscape(50.0, None))
        .unwrap_err();
    assert!(matches!(
        e,
        GepError::Landscape(LandscapeError::MissingLayer { ref layer, .. }) if layer == "roughness_k_1"
    ));
    // cos(slope) from the DEM needs a grid.
    let e = Engine::new(&sand(SandFixationParams::default()))
        .run(&sand_landscape(50.0, None))
        .unwrap_err();
    assert!(matches!(
        e,
        GepError::Landscape(LandscapeError::MissingGrid { .. })
    ));
}

/// Regions: A (forest 1 ha, river 1 ha, reservoir-class 3 ha), B (marsh 2 ha), C (forest 1 ha).
fn flood_landscape() -> Landscape {
    let mut classes = Classification::gep_default().classes().to_vec();
    classes.push(LandCoverClass::new(43, "reservoir", EcosystemType::Water));
    LandscapeBuilder::new(
        Classification::new(classes).unwrap(),
        Regions::flat(["A", "B", "C"]).unwrap(),
    )
    .area_ha(array![1.0, 1.0, 3.0, 2.0, 1.0])
    .land_cover(array![11, 42, 43, 41, 11])
    .region(array![0, 0, 0, 1, 2])
    .layer(
        "storm_precip_mm",
        array![300.0, 300.0, 300.0, 300.0, 0.0],
        None,
    )
    .layer(
        "storm_runoff_mm",
        array![90.0, 300.0, 300.0, 0.0, 0.0],
        None,
    )
    .region_stat(
        "reservoir_capacity_m3",
        vec![Some(1.0e6), Some(5.0e5), None],
        "test",
    )
    .region_stat("lake_area_km2", vec![Some(1.0), None, Some(0.5)], "test")
    .region_stat("lake_turnover_per_yr", vec![Some(1.0), None, None], "test")
    .build()
    .unwrap()
}

fn flood_params() -> FloodRegulationParams {
    let mut p = FloodRegulationParams::default();
    p.marsh_retention_depth_m.rows.push(ClassValue {
        code: 43,
        value: None,
    });
    p
}

fn flood(params: FloodRegulationParams) -> Vec<Box<dyn Service>> {
    one(Box::new(FloodRegulation::new(params.check().unwrap())))
}

#[test]
fn flood_regulation_components_m3_and_yuan_by_hand() {
    // Vegetation: A forest (300 − 90) mm × 1 ha × 10 = 2100 m³; C forest has zero storm rain: 0.
    // Marsh: B 2 ha × 10⁴ m²/ha × 0.3 m = 6000 m³.
    // Lake: A, e^6.636 × 1^0.678 × 1 × 10⁴ = 7 620 407.257 m³; C has lake area but no
    // turnover → not counted, noted.
    // Reservoir: A, 0.35 × 10⁶ = 350 000 m³, split over water classes by extent:
    // river 1 ha → 87 500 m³, reservoir class 3 ha → 262 500 m³. B has capacity but no water
    // area → not counted, noted.
    // Total 7 978 507.257 m³ × 6.1107 yuan/m³ = 48 754 264.2… yuan.
    let l = flood_landscape();
    let services = flood(flood_params());
    let a = Engine::new(&services).run(&l).unwrap();
    let q = |c| a.quantity("flood_regulation", c).unwrap();
    assert_relative_eq!(q("vegetation"), 2100.0, max_relative = 1e-12);
    assert_relative_eq!(q("marsh"), 6000.0, max_relative = 1e-12);
    assert_relative_eq!(q("lake"), 7_620_407.256_55, max_relative = 1e-10);
    assert_relative_eq!(q("reservoir"), 350_000.0, max_relative = 1e-12);
    let total_m3 = 2100.0 + 6000.0 + 7_620_407.256_55 + 350_000.0;
    assert_relative_eq!(a.total_value(), total_m3 * 6.1107, max_relative = 1e-10);
    // Attribution by extent within region A.
    let key = a.component_key("flood_regulation", "reservoir").unwrap();
    let river = l.classification().index_of(42).unwrap() as usize;
    let res = l.classification().index_of(43).unwrap() as usize;
    assert_relative_eq!(
        a.cell(key, 0, river).unwrap().0,
        87_500.0,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        a.cell(key, 0, res).unwrap().0,
        262_500.0,
        max_relative = 1e-12
    );
    // Region-level additions are visible in the tally and the notes.
    let prov = a.provenance("flood_regulation").unwrap();
    assert_relative_eq!(
        prov.tally.adjusted_sum[2],
        7_620_407.256_55,
        max_relative = 1e-10
    );
    assert_relative_eq!(prov.tally.adjusted_sum[3], 350_000.0, max_relative = 1e-12);
    assert!(prov
        .notes
        .iter()
        .any(|n| n.contains("region B") && n.contains("no water-class area")));
    assert!(prov
        .notes
        .iter()
        .any(|n| n.contains("region C") && n.contains("lake_turnover_per_yr")));
    assert!(!prov.additive);
}

#[test]
fn flood_regulation_raw_tiles_merge_then_finish_once() {
    let l = flood_landscape();
    let services = flood(flood_params());
    let engine = Engine::new(&services);
    let whole = engine.run(&l).unwrap();
    let t1 = engine.run_raw(&l.slice(0..2).unwrap()).unwrap();
    let t2 = engine.run_raw(&l.slice(2..5).unwrap()).unwrap();
    let merged = engine
        .finish(t1.merge(&t2).unwrap(), l.region_stats())
        .unwrap();
    assert_relative_eq!(
        merged.total_value(),
        whole.total_value(),
        max_relative = 1e-12
    );
    // Finished tiles of a non-additive service refuse to merge.
    let f1 = engine.run(&l.slice(0..2).unwrap()).unwrap();
    let f2 = engine.run(&l.slice(2..5).unwrap()).unwrap();
    assert!(f1.merge(&f2).is_err());
}

#[test]
fn flood_regulation_runoff_above_rain_is_floored_and_reported_and_bad_stats_error() {
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![1.0])
        .land_cover(array![21])
        .layer("storm_precip_mm", array![100.0], None)
        .layer("storm_runoff_mm", array![150.0], None)
        .build()
        .unwrap();
    let a = Engine::new(&flood(FloodRegulationParams::default()))
        .run(&l)
        .unwrap();
    assert_eq!(a.quantity("flood_regulation", "vegetation").unwrap(), 0.0);
    let prov = a.provenance("flood_regulation").unwrap();
    // (100 − 150) mm × 1 ha × 10 = −500 m³ removed by the floor.
    assert_relative_eq!(prov.tally.negative_sum[0], -500.0, max_relative = 1e-12);
    // A negative reservoir capacity is an error naming the statistic, not a panic.
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![1.0])
        .land_cover(array![42])
        .layer("storm_precip_mm", array![100.0], None)
        .layer("storm_runoff_mm", array![100.0], None)
        .region_stat("reservoir_capacity_m3", vec![Some(-1.0)], "test")
        .build()
        .unwrap();
    let e = Engine::new(&flood(FloodRegulationParams::default()))
        .run(&l)
        .unwrap_err();
    assert!(e.to_string().contains("reservoir_capacity_m3"));
}

#[test]
fn water_conservation_forest_standard_runoff_layer_m3_and_yuan() {
    // G = 10 × 1 ha × (1600 − 800 − 100) mm = 7000 m³; × 6.1107 = 42 774.9 yuan.
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("precip_mm", array![1600.0], None)
        .layer("aet_mm", array![800.0], None)
        .layer("runoff_mm", array![100.0], None)
        .build()
        .unwrap();
    let p = WaterConservationParams {
        runoff: RunoffSource::Layer,
        ..Default::default()
    };
    let services = one(Box::new(WaterConservation::new(p.check().unwrap())));
    let a = Engine::new(&services).run(&l).unwrap();
    assert_relative_eq!(
        a.quantity("water_conservation", "water").unwrap(),
        7000.0,
        max_relative = 1e-12
    );
    assert_relative_eq!(a.total_value(), 42_774.9, max_relative = 1e-12);
    assert!(a
        .provenance("water_conservation")
        .unwrap()
        .formula
        .contains("GB/T 38582"));
    // Without the layer: a typed error naming it.
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("precip_mm", array![1600.0], None)
        .layer("aet_mm", array![800.0], None)
        .build()
        .unwrap();
    let e = Engine::new(&services).run(&l).unwrap_err();
    assert!(matches!(
        e,
        GepError::Landscape(LandscapeError::MissingLayer { ref layer, .. }) if layer == "runoff_mm"
    ));
    // The default is still the coefficient method.
    assert_eq!(
        WaterConservationParams::default().runoff,
        RunoffSource::Coefficient
    );
}

#[test]
fn bad_parameters_are_typed_errors() {
    let mut p = SoilConservationParams::default();
    p.soil_bulk_density_t_per_m3.value = 0.0;
    assert!(matches!(
        p.check(),
        Err(ParamError::OutOfRange { ref parameter, .. }) if parameter == "soil_bulk_density_t_per_m3"
    ));
    let mut p = SoilConservationParams::default();
    p.cover_management_c.rows[0].value = Some(-0.1);
    assert!(p.check().is_err());
    let mut p = SandFixationParams::default();
    p.restoration_cost.per = PhysicalUnit::Hectare;
    assert!(matches!(p.check(), Err(ParamError::PriceUnit { .. })));
    let mut p = FloodRegulationParams::default();
    p.reservoir_flood_share.value = 1.5;
    assert!(p.check().is_err());
    p = FloodRegulationParams::default();
    p.lake_model.default.b = f64::NAN;
    assert!(p.check().is_err());
}

#[test]
fn provenance_lists_formula_parameters_and_prices_with_sources() {
    let sample = gep::sample::SampleCounty::generate(&gep::sample::SampleConfig::tiny()).unwrap();
    let services = standard_services(&GepParams::default()).unwrap();
    let a = Engine::new(&services).run(&sample.landscape).unwrap();
    for id in ["soil_conservation", "sand_fixation", "flood_regulation"] {
        let s = a.provenance(id).unwrap();
        assert!(!s.formula.is_empty(), "{id}");
        assert!(!s.parameters.is_empty(), "{id}");
        for p in &s.parameters {
            assert!(!p.source.is_empty(), "{id}: {}", p.name);
        }
        for c in &s.components {
            for p in &c.prices {
                assert!(!p.source.is_empty(), "{id}.{}", c.id);
            }
        }
        assert!(s.tally.counted > 0, "{id}");
        assert!(a.quantity(id, &s.components[0].id).unwrap() > 0.0, "{id}");
    }
    let soil = a.provenance("soil_conservation").unwrap();
    assert!(soil
        .parameters
        .iter()
        .any(|p| p.name == "sediment_deposition_ratio" && p.value == 0.24));
    assert!(soil
        .parameters
        .iter()
        .any(|p| p.name.starts_with("cover_management_c") && p.status == Status::Practitioner));
    // The sample's reservoir is counted. On the coarse tiny grid the lake's township has no
    // open-water cell: its storage is then not counted, and a note says so.
    assert!(a.quantity("flood_regulation", "reservoir").unwrap() > 0.0);
    let flood = a.provenance("flood_regulation").unwrap();
    assert!(
        a.quantity("flood_regulation", "lake").unwrap() > 0.0
            || flood
                .notes
                .iter()
                .any(|n| n.contains("lake flood storage") && n.contains("not counted"))
    );
}
