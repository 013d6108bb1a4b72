//! Provisioning and cultural services, value transfer, profiles, double counting, tables in.

use approx::assert_relative_eq;
use gep::params::{Parameter, Status};
use gep::prelude::*;
use gep::profile::OverlapPolicy;
use gep::services::{services_by_id, ProvisioningConvention, SpatialAdjustment};
use gep::tables::{read_class_table, read_region_stats};
use ndarray::array;

fn regions() -> Regions {
    Regions::new(vec![
        Region::root("County", "county"),
        Region::child("Town A", "township", 0),
        Region::child("Town B", "township", 0),
    ])
    .unwrap()
}

/// Town A: 10 ha paddy + 5 ha broadleaf forest + 1 ha water; Town B: 4 ha forest.
fn base() -> LandscapeBuilder {
    LandscapeBuilder::new(Classification::gep_default(), regions())
        .area_ha(array![10.0, 5.0, 1.0, 4.0])
        .land_cover(array![51, 11, 42, 11])
        .region(array![1, 1, 1, 2])
}

fn run(landscape: &Landscape, params: &GepParams, ids: &[&str]) -> Account {
    let services: Vec<Box<dyn Service>> = ids
        .iter()
        .flat_map(|id| services_by_id(id, params).unwrap())
        .collect();
    Engine::new(&services).run(landscape).unwrap()
}

#[test]
fn baiyangdian_recreation_and_garze_hydropower_reproduce_published_values() {
    // Jiang et al. 2017 (Baiyangdian 2011): 1.35 × 10⁶ visits × (52.47 + 343.33 + 578.03)
    // yuan/visit = 13.147 × 10⁸ yuan, published as 13.15 × 10⁸ yuan.
    // Pema Dolkar et al. 2017 (Garze 2010): 95.30 × 10⁸ kWh × 0.53 yuan/kWh = 50.51 × 10⁸ yuan.
    let l = base()
        .region_stat(
            "nature_visits",
            vec![Some(1.35e6), None, None],
            "Jiang et al. 2017",
        )
        .region_stat(
            "hydropower_kwh",
            vec![Some(95.30e8), None, None],
            "Garze 2010",
        )
        .build()
        .unwrap();
    let mut p = GepParams::default();
    p.recreation.include_consumer_surplus = true;
    let a = run(&l, &p, &["recreation", "ecological_energy"]);
    let v = a.value_by_service();
    assert_relative_eq!(v[0] / 1e8, 13.15, epsilon = 0.005); // rounding of the publication
    assert_relative_eq!(v[0], 1.35e6 * 973.83, max_relative = 1e-12);
    assert_relative_eq!(v[1] / 1e8, 50.51, epsilon = 0.005);
    assert_relative_eq!(
        a.quantity("ecological_energy", "hydropower").unwrap(),
        95.30e8,
        max_relative = 1e-12
    );
}

#[test]
fn consumer_surplus_is_excluded_from_exchange_value_total() {
    let l = base()
        .region_stat("nature_visits", vec![None, Some(1000.0), None], "t")
        .build()
        .unwrap();
    let mut p = GepParams::default();
    p.recreation.include_consumer_surplus = true;
    let a = run(&l, &p, &["recreation"]);
    // 1000 visits × 395.80 (exchange) + 1000 × 578.03 (consumer surplus, welfare).
    assert_relative_eq!(a.total_value(), 973_830.0, max_relative = 1e-12);
    assert_relative_eq!(a.exchange_value_total(), 395_800.0, max_relative = 1e-12);
}

#[test]
fn statistics_are_attributed_to_supplying_ecosystems_by_area() {
    // Fishery 26 000 yuan in Town A goes to water (1 ha) — the only water/wetland class there.
    // A county-level hydropower figure spreads over the descendants' water: all in Town A.
    // Farming in Town B (no cropland) falls back to all of Town B's area, with a note.
    let l = base()
        .region_stat("fishery_output_yuan", vec![None, Some(26_000.0), None], "t")
        .region_stat(
            "farming_output_yuan",
            vec![None, Some(50_000.0), Some(8_000.0)],
            "t",
        )
        .region_stat("forestry_output_yuan", vec![None, Some(0.0), None], "t")
        .region_stat("livestock_output_yuan", vec![None, None, None], "t")
        .build()
        .unwrap();
    let a = run(&l, &GepParams::default(), &["provisioning_products"]);
    let by_class = a.value_by_class();
    let k = |code| l.classification().index_of(code).unwrap() as usize;
    assert_relative_eq!(by_class[k(42)], 26_000.0, max_relative = 1e-12);
    assert_relative_eq!(by_class[k(51)], 50_000.0, max_relative = 1e-12);
    assert_relative_eq!(by_class[k(11)], 8_000.0, max_relative = 1e-12);
    let rec = a.provenance("provisioning_products").unwrap();
    assert!(rec
        .notes
        .iter()
        .any(|n| n.contains("Town B") && n.contains("no cropland")));
    assert!(rec
        .notes
        .iter()
        .any(|n| n.contains("livestock_output_yuan") && n.contains("no data")));
}

#[test]
fn resource_rent_scales_provisioning_by_lambda() {
    let l = base()
        .region_stat(
            "farming_output_yuan",
            vec![None, Some(100_000.0), None],
            "t",
        )
        .region_stat("forestry_output_yuan", vec![None, None, None], "t")
        .region_stat("livestock_output_yuan", vec![None, None, None], "t")
        .region_stat("fishery_output_yuan", vec![None, None, None], "t")
        .build()
        .unwrap();
    let mut p = GepParams::default();
    p.provisioning.convention = ProvisioningConvention::ResourceRent;
    assert!(matches!(p.check(), Err(ParamError::Missing { .. })));
    p.provisioning.nature_share = Some(Parameter::new(
        0.3,
        "1",
        "test land-rent share",
        Status::User,
    ));
    let a = run(&l, &p, &["provisioning_products"]);
    // 100 000 yuan × λ 0.3 = 30 000 yuan; the quantity stays 100 000 yuan of output.
    assert_relative_eq!(a.total_value(), 30_000.0, max_relative = 1e-12);
    assert_relative_eq!(
        a.quantity("provisioning_products", "farming").unwrap(),
        100_000.0
    );
}

#[test]
fn equivalent_factor_esv_two_classes_by_hand() {
    // 10 ha paddy + 5 ha broadleaf (Xie et al. 2015 factors), E_a = 3406.50 yuan/ha:
    // food: 10 × 1.36 + 5 × 0.29 = 15.05 eq-ha → 51 267.825 yuan;
    // water supply: 10 × (−2.63) + 5 × 0.34 = −24.6 eq-ha (paddies consume water);
    // all eleven services: 10 × 3.89 + 5 × 22.95 = 153.65 eq-ha → 523 408.725 yuan.
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![10.0, 5.0])
        .land_cover(array![51, 11])
        .layer("npp_gc_per_m2", array![600.0, 600.0], None)
        .layer("precip_mm", array![800.0, 800.0], None)
        .build()
        .unwrap();
    let p = GepParams::default();
    let a = run(&l, &p, &["esv_xie2015"]);
    assert_relative_eq!(
        a.quantity("esv_xie_provisioning", "food_production")
            .unwrap(),
        15.05,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        a.quantity("esv_xie_provisioning", "water_supply").unwrap(),
        -24.6,
        max_relative = 1e-12
    );
    assert_relative_eq!(a.total_value(), 523_408.725, max_relative = 1e-12);
    let cats = a.value_by_category();
    assert!(cats
        .iter()
        .any(|(c, v)| *c == Category::Supporting && *v > 0.0));
    // Spatial adjustment: NPP 600 / national 500 = 1.2; precipitation 800 / 1000 = 0.8.
    let mut p = GepParams::default();
    p.equivalent_factor.adjustment = Some(SpatialAdjustment {
        national_npp_gc_per_m2: Parameter::new(500.0, "g C/m2/yr", "test", Status::User),
        national_precip_mm: Parameter::new(1000.0, "mm/yr", "test", Status::User),
        soil_conservation_ratio_layer: false,
    });
    let b = run(&l, &p, &["esv_xie2015"]);
    assert_relative_eq!(
        b.quantity("esv_xie_provisioning", "food_production")
            .unwrap(),
        15.05 * 1.2,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        b.quantity("esv_xie_provisioning", "water_supply").unwrap(),
        -24.6 * 0.8,
        max_relative = 1e-12
    );
}

#[test]
fn costanza_unit_values_need_exchange_rate_and_deflator() {
    let l = base().build().unwrap();
    let p = GepParams::default();
    let e = services_by_id("esv_costanza", &p).unwrap_err();
    assert!(e.to_string().contains("exchange_rate_cny_per_usd"));
    let mut p = GepParams::default();
    p.unit_value_transfer.exchange_rate_cny_per_usd =
        Some(Parameter::new(7.0, "CNY/USD", "test", Status::User));
    p.unit_value_transfer.deflator_2007_to_target =
        Some(Parameter::new(1.2, "1", "test", Status::User));
    let a = run(&l, &p, &["esv_costanza"]);
    // 10 ha cropland × 5567 + 9 ha forest × 3800 + 1 ha lakes/rivers × 12 512
    // = 55 670 + 34 200 + 12 512 = 102 382 USD2007; × 7.0 × 1.2 = 860 008.8 yuan.
    assert_relative_eq!(
        a.quantity("esv_costanza", "unit_value_transfer").unwrap(),
        102_382.0,
        max_relative = 1e-12
    );
    assert_relative_eq!(a.total_value(), 860_008.8, max_relative = 1e-12);
}

#[test]
fn profiles_switch_services_and_prices() {
    let mee = Profile::builtin("mee2020").unwrap();
    let seea = Profile::builtin("seea_ea").unwrap();
    let forest = Profile::builtin("gbt38582_forest").unwrap();
    assert!(mee.services.contains(&"oxygen_release".to_string()));
    assert!(!seea.services.contains(&"oxygen_release".to_string()));
    assert!(!seea.services.contains(&"ecological_energy".to_string()));
    assert_eq!(seea.overlap_policy, OverlapPolicy::Refuse);
    assert_eq!(
        seea.params.provisioning.convention,
        ProvisioningConvention::ResourceRent
    );
    assert_eq!(
        forest.params.carbon_sequestration.carbon_price.value,
        1200.0
    );
    assert_eq!(mee.params.carbon_sequestration.carbon_price.value, 1320.0);
    assert_ne!(mee.params_hash(), forest.params_hash());
    // SEEA without λ is refused with a missing parameter.
    assert!(matches!(
        seea.build_services(),
        Err(GepError::Param(ParamError::Missing { .. }))
    ));
    // Forest profile on forest units: carbon on the dry-matter basis at 1200 yuan/t C.
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("npp_dm_g_per_m2", array![1000.0], None)
        .layer("precip_mm", array![1600.0], None)
        .layer("aet_mm", array![800.0], None)
        .region_stat("nature_visits", vec![Some(0.0)], "t")
        .build()
        .unwrap();
    // The full forest profile needs soil and pollution inputs; run its productivity services.
    let forest = forest.with_services([
        "water_conservation",
        "carbon_sequestration",
        "oxygen_release",
        "recreation",
    ]);
    let a = forest.run(&l).unwrap();
    // 10 t dry matter × 264/162 = 16.296 t CO2 = 4.444 t C × 1200 = 5333.33 yuan.
    assert_relative_eq!(
        a.value_by_service()[1],
        10.0 * 72.0 / 162.0 * 1200.0,
        max_relative = 1e-12
    );
    let run = a.run_info().unwrap();
    assert_eq!(run.profile, "gbt38582_forest");
    assert_eq!(run.params_hash, forest.params_hash());
    assert_eq!(a.label(), "GEP");
}

#[test]
fn double_counting_guard_refuses_or_warns() {
    let seea = Profile::builtin("seea_ea")
        .unwrap()
        .with_services(["carbon_sequestration", "oxygen_release"]);
    assert!(matches!(
        seea.check_overlaps(),
        Err(ParamError::DoubleCounting { ref first, ref second, .. }) if first == "carbon_sequestration" && second == "oxygen_release"
    ));
    let mee = Profile::builtin("mee2020")
        .unwrap()
        .with_services(["recreation", "landscape_value"]);
    let notes = mee.check_overlaps().unwrap();
    assert!(notes
        .iter()
        .any(|n| n.starts_with("WARNING double counting") && n.contains("landscape_value")));
    // Pairs the MEE guideline counts on purpose are noted, not warned.
    let notes = Profile::builtin("mee2020")
        .unwrap()
        .check_overlaps()
        .unwrap();
    assert!(notes.iter().all(|n| !n.starts_with("WARNING")));
    assert!(notes
        .iter()
        .any(|n| n.contains("carbon_sequestration and oxygen_release")));
}

#[test]
fn bad_tables_and_statistics_give_typed_errors() {
    let r = regions();
    let e = read_region_stats("region,nature_visits\nTown Z,5\n", "stats.csv", &r).unwrap_err();
    assert!(
        matches!(e, GepError::Param(ParamError::Table { line: 2, ref column, .. }) if column == "region"),
        "{e}"
    );
    let e = read_region_stats(
        "region,nature_visits\nTown A,5\nTown A,6\n",
        "stats.csv",
        &r,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("listed twice (first on line 2)"),
        "{e}"
    );
    let e = read_region_stats("Region,Nature_Visits\nTown A,lots\n", "stats.csv", &r).unwrap_err();
    assert!(
        e.to_string().contains("line 2") && e.to_string().contains("nature_visits"),
        "{e}"
    );
    // Headers are case-insensitive and trimmed; extra columns are kept as statistics.
    let s = read_region_stats("\u{feff} Region , nature_visits\n\"Town A\",5\n", "s", &r).unwrap();
    assert_eq!(s.value("nature_visits", 1), Some(5.0));
    // Negative visits are refused when the service binds, naming region and statistic.
    let l = base()
        .region_stat("nature_visits", vec![None, Some(-5.0), None], "t")
        .build()
        .unwrap();
    let services = services_by_id("recreation", &GepParams::default()).unwrap();
    let e = Engine::new(&services).run(&l).unwrap_err();
    assert!(matches!(
        e,
        GepError::Landscape(LandscapeError::InvalidRegionStat { ref column, ref region, value, .. })
            if column == "nature_visits" && region == "Town A" && value == -5.0
    ));
    // A missing statistic names the service and the statistic.
    let l = base().build().unwrap();
    let e = Engine::new(&services).run(&l).unwrap_err();
    assert!(matches!(
        e,
        GepError::Landscape(LandscapeError::MissingRegionStat { .. })
    ));
    // Unknown profile; price in a unit the service cannot use.
    assert!(matches!(
        Profile::builtin("mee2030"),
        Err(ParamError::UnknownProfile { .. })
    ));
    let mut p = GepParams::default();
    p.water_supply.sectors[0].price.per = PhysicalUnit::Tonne;
    assert!(matches!(
        services_by_id("water_supply", &p),
        Err(GepError::Param(ParamError::PriceUnit { .. }))
    ));
    // Class tables: duplicate codes and non-integer codes.
    let e = read_class_table(
        "lucode,alpha\n11,0.02\n11,0.03\n",
        "alpha.csv",
        "lucode",
        "alpha",
        "1",
        Status::User,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("line 3") && e.to_string().contains("twice"),
        "{e}"
    );
    let t = read_class_table(
        "LUCODE,Alpha,extra\n11,0.02,x\n42,,y\n",
        "alpha.csv",
        "lucode",
        "alpha",
        "1",
        Status::User,
    )
    .unwrap();
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.get(42), Some(None));
}

#[test]
fn sample_county_gep_has_all_three_categories() {
    let sample = gep::sample::SampleCounty::generate(&gep::sample::SampleConfig::tiny()).unwrap();
    let a = Profile::mee2020().run(&sample.landscape).unwrap();
    let cats = a.value_by_category();
    let (epv, erv, ecv) = (cats[0].1, cats[1].1, cats[2].1);
    assert!(epv > 0.0 && erv > 0.0 && ecv > 0.0);
    assert_relative_eq!(epv + erv + ecv, a.total_value(), max_relative = 1e-12);
}

#[test]
fn region_statistics_are_booked_once_when_tiles_merge() {
    let l = base()
        .region_stat("nature_visits", vec![None, Some(1000.0), Some(500.0)], "t")
        .build()
        .unwrap();
    let services = services_by_id("recreation", &GepParams::default()).unwrap();
    let engine = Engine::new(&services);
    let whole = engine.run(&l).unwrap();
    let raw = engine
        .run_raw(&l.slice(0..2).unwrap())
        .unwrap()
        .merge(&engine.run_raw(&l.slice(2..4).unwrap()).unwrap())
        .unwrap();
    let merged = engine.finish(raw, l.region_stats()).unwrap();
    // 1500 visits × 395.80 yuan, once.
    assert_relative_eq!(merged.total_value(), 1500.0 * 395.80, max_relative = 1e-12);
    assert_relative_eq!(
        whole.total_value(),
        merged.total_value(),
        max_relative = 1e-12
    );
    let f1 = engine.run(&l.slice(0..2).unwrap()).unwrap();
    let f2 = engine.run(&l.slice(2..4).unwrap()).unwrap();
    assert!(f1.merge(&f2).is_err());
}

#[test]
fn soil_conservation_ratio_layer_adjusts_soil_conservation_only() {
    // Soil ratio 0.5 on both units: soil conservation = (10 × 0.01 + 5 × 2.65) × 0.5 = 6.675
    // eq-ha; food production stays at the NPP ratio 1.2: 15.05 × 1.2.
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(array![10.0, 5.0])
        .land_cover(array![51, 11])
        .layer("npp_gc_per_m2", array![600.0, 600.0], None)
        .layer("precip_mm", array![800.0, 800.0], None)
        .layer("soil_conservation_ratio_1", array![0.5, 0.5], None)
        .build()
        .unwrap();
    let mut p = GepParams::default();
    p.equivalent_factor.adjustment = Some(SpatialAdjustment {
        national_npp_gc_per_m2: Parameter::new(500.0, "g C/m2/yr", "test", Status::User),
        national_precip_mm: Parameter::new(1000.0, "mm/yr", "test", Status::User),
        soil_conservation_ratio_layer: true,
    });
    let a = run(&l, &p, &["esv_xie2015"]);
    assert_relative_eq!(
        a.quantity("esv_xie_supporting", "soil_conservation")
            .unwrap(),
        6.675,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        a.quantity("esv_xie_provisioning", "food_production")
            .unwrap(),
        15.05 * 1.2,
        max_relative = 1e-12
    );
}

#[test]
fn standard_equivalent_from_grain_statistics_yuan_per_ha() {
    use gep::services::{standard_equivalent_from_grain, GrainCrop};
    // (600 × 2800 × 7 + 400 × 2400 × 5) / 1000 ha = 16 560 yuan/ha; / 7 = 2365.714 yuan/ha.
    let crops = [
        GrainCrop {
            sown_area_ha: 600.0,
            price_yuan_per_t: 2800.0,
            yield_t_per_ha: 7.0,
        },
        GrainCrop {
            sown_area_ha: 400.0,
            price_yuan_per_t: 2400.0,
            yield_t_per_ha: 5.0,
        },
    ];
    let e = standard_equivalent_from_grain(&crops, 2020, "test").unwrap();
    assert_relative_eq!(e.value, 16_560.0 / 7.0, max_relative = 1e-12);
    assert_eq!(e.per, PhysicalUnit::EquivalentHectare);
    assert!(standard_equivalent_from_grain(&[], 2020, "t").is_err());
    let bad = [GrainCrop {
        sown_area_ha: -1.0,
        price_yuan_per_t: 1.0,
        yield_t_per_ha: 1.0,
    }];
    assert!(standard_equivalent_from_grain(&bad, 2020, "t").is_err());
}
