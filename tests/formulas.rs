//! Every formula against values worked by hand (units in names and comments).

mod common;

use approx::assert_relative_eq;
use common::*;
use gep::params::Status;
use gep::prelude::*;
use gep::services::{CarbonPriceKind, NegativePolicy, ProductivityBasis};

#[test]
fn water_conservation_one_ha_forest_m3_and_yuan() {
    // (1600 − 0.0267·1600 − 800) mm × 1 ha × 10 m³/(mm·ha) = 757.28 × 10 = 7572.8 m³;
    // 7572.8 m³ × 6.1107 yuan/m³ = 46 275.108 96 yuan.
    let l = landscape(&[(1.0, 11, 3, 1600.0, 800.0, 700.0, 300.0)]).unwrap();
    let a = run(&l, &GepParams::default());
    assert_relative_eq!(
        a.quantity("water_conservation", "water").unwrap(),
        7572.8,
        max_relative = 1e-12
    );
    assert_relative_eq!(a.value_by_service()[0], 46_275.108_96, max_relative = 1e-12);
}

#[test]
fn water_conservation_shrub_on_30m_cell_m3() {
    // A 30 m cell is 0.09 ha. Shrub α = 0.0426: R = 63.9 mm; 1500 − 63.9 − 700 = 736.1 mm;
    // 736.1 mm × 0.09 ha × 10 = 662.49 m³.
    let l = landscape(&[(0.09, 21, 3, 1500.0, 700.0, 480.0, 310.0)]).unwrap();
    let a = run(&l, &GepParams::default());
    assert_relative_eq!(
        a.quantity("water_conservation", "water").unwrap(),
        662.49,
        max_relative = 1e-9
    );
}

#[test]
fn water_conservation_negative_balance_signed_or_floored_m3() {
    // Tussock grass α = 0.0937, P = 500, ET = 600: 500 − 46.85 − 600 = −146.85 mm over 2 ha
    // = −2937 m³. Forest unit as before: +7572.8 m³.
    let rows = [
        (2.0, 31, 4, 500.0, 600.0, 380.0, 320.0),
        (1.0, 11, 3, 1600.0, 800.0, 700.0, 300.0),
    ];
    let l = landscape(&rows).unwrap();
    let signed = run(&l, &GepParams::default());
    assert_relative_eq!(
        signed.quantity("water_conservation", "water").unwrap(),
        7572.8 - 2937.0,
        max_relative = 1e-9
    );
    let mut p = GepParams::default();
    p.water_conservation.negative_balance = NegativePolicy::FloorAtZero;
    let floored = run(&l, &p);
    assert_relative_eq!(
        floored.quantity("water_conservation", "water").unwrap(),
        7572.8,
        max_relative = 1e-12
    );
    // Both report the negative amount seen.
    for a in [&signed, &floored] {
        let t = &a.provenance("water_conservation").unwrap().tally;
        assert_relative_eq!(t.negative_sum[0], -2937.0, max_relative = 1e-9);
    }
}

#[test]
fn open_water_and_cropland_do_not_supply_water_conservation() {
    // Paddy (51) and open water (42) are not served; wetland (41) has α = 0:
    // (1450 − 0 − 900) mm × 0.5 ha × 10 = 2750 m³.
    let l = landscape(&[
        (3.0, 51, 5, 1400.0, 760.0, 560.0, 300.0),
        (1.0, 42, 5, 1400.0, 950.0, 40.0, 300.0),
        (0.5, 41, 4, 1450.0, 900.0, 520.0, 280.0),
    ])
    .unwrap();
    let a = run(&l, &GepParams::default());
    assert_relative_eq!(
        a.quantity("water_conservation", "water").unwrap(),
        2750.0,
        max_relative = 1e-12
    );
    let t = &a.provenance("water_conservation").unwrap().tally;
    assert_eq!((t.counted, t.class_not_served), (1, 2));
}

#[test]
fn carbon_npp_minus_rh_t_co2_and_yuan() {
    // NEP = 700 − 300 = 400 g C/m² = 4 t C/ha; × 2.5 ha = 10 t C = 10 × 44/12 = 36.667 t CO2.
    // Price 1320 yuan/t C = 360 yuan/t CO2 → 13 200 yuan (= 10 t C × 1320).
    let l = landscape(&[(2.5, 11, 3, 1600.0, 800.0, 700.0, 300.0)]).unwrap();
    let a = run(&l, &GepParams::default());
    assert_relative_eq!(
        a.quantity("carbon_sequestration", "co2").unwrap(),
        110.0 / 3.0,
        max_relative = 1e-12
    );
    assert_relative_eq!(a.value_by_service()[1], 13_200.0, max_relative = 1e-12);
}

#[test]
fn oxygen_is_32_over_44_of_co2_t_o2_and_yuan() {
    // 36.667 t CO2 × 32/44 = 26.667 t O2; × 1000 yuan/t O2 = 26 666.67 yuan.
    let l = landscape(&[(2.5, 11, 3, 1600.0, 800.0, 700.0, 300.0)]).unwrap();
    let a = run(&l, &GepParams::default());
    assert_relative_eq!(
        a.quantity("oxygen_release", "o2").unwrap(),
        80.0 / 3.0,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        a.value_by_service()[2],
        80_000.0 / 3.0,
        max_relative = 1e-12
    );
}

#[test]
fn carbon_price_per_t_co2_is_not_converted() {
    // A carbon-market price of 100 yuan/t CO2 values 36.667 t CO2 at 3666.67 yuan.
    let l = landscape(&[(2.5, 11, 3, 1600.0, 800.0, 700.0, 300.0)]).unwrap();
    let mut p = GepParams::default();
    p.carbon_sequestration.carbon_price = Price::yuan(
        100.0,
        PhysicalUnit::TonneCo2,
        2024,
        "test ETS price",
        Status::User,
    );
    p.carbon_sequestration.price_kind = CarbonPriceKind::CarbonMarket;
    let a = run(&l, &p);
    assert_relative_eq!(
        a.value_by_service()[1],
        11_000.0 / 3.0,
        max_relative = 1e-12
    );
    let rec = a.provenance("carbon_sequestration").unwrap();
    assert_eq!(rec.components[0].method, "market_price");
    assert!(rec.components[0].is_exchange_value);
}

#[test]
fn dry_matter_route_matches_1_63_and_1_19_per_t() {
    // 1000 g dry matter/m² = 10 t/ha over 1 ha: CO2 = 10 × 264/162 = 16.296 t (≈ 1.63 × 10),
    // O2 = 10 × 192/162 = 11.852 t (≈ 1.19 × 10, METHODS.md §2.9).
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("A"))
        .area_ha(ndarray::array![1.0])
        .land_cover(ndarray::array![13])
        .layer("npp_dm_g_per_m2", ndarray::array![1000.0], None)
        .layer("precip_mm", ndarray::array![1600.0], None)
        .layer("aet_mm", ndarray::array![800.0], None)
        .build()
        .unwrap();
    let mut p = GepParams::default();
    p.productivity.basis = ProductivityBasis::DryMatter;
    let a = run(&l, &p);
    let co2 = a.quantity("carbon_sequestration", "co2").unwrap();
    let o2 = a.quantity("oxygen_release", "o2").unwrap();
    assert_relative_eq!(co2, 2640.0 / 162.0, max_relative = 1e-12);
    assert_relative_eq!(o2, 1920.0 / 162.0, max_relative = 1e-12);
    assert_relative_eq!(co2, 16.3, max_relative = 0.005);
    assert_relative_eq!(o2, 11.9, max_relative = 0.005);
}

#[test]
fn nep_ratio_route_t_co2() {
    // β = 0.5 for code 11: NEP = 0.5 × 600 = 300 g C/m² = 3 t C/ha → 11 t CO2 on 1 ha.
    let l = landscape(&[(1.0, 11, 3, 1600.0, 800.0, 600.0, 0.0)]).unwrap();
    let mut p = GepParams::default();
    p.productivity.basis = ProductivityBasis::NepRatio;
    p.productivity.nep_npp_ratio = Some(gep::params::ClassTable {
        unit: "1".into(),
        source: "test".into(),
        status: Status::User,
        rows: vec![gep::params::ClassValue {
            code: 11,
            value: Some(0.5),
        }],
    });
    let a = run(&l, &p);
    assert_relative_eq!(
        a.quantity("carbon_sequestration", "co2").unwrap(),
        11.0,
        max_relative = 1e-12
    );
}

#[test]
fn cropland_is_not_counted_for_carbon_by_default() {
    let l = landscape(&[(3.0, 51, 5, 1400.0, 760.0, 560.0, 300.0)]).unwrap();
    let a = run(&l, &GepParams::default());
    assert_eq!(a.quantity("carbon_sequestration", "co2").unwrap(), 0.0);
    assert_eq!(
        a.provenance("carbon_sequestration")
            .unwrap()
            .tally
            .class_not_served,
        1
    );
}

#[test]
fn mixed_landscape_total_by_hand_yuan() {
    // Water (m³): forest 7572.8; shrub 662.49; grass −2937; conifer 2.5 ha × (1700 − 51.34 − 790)
    // × 10 = 21 466.5; paddy not served; wetland 0.5 × (1450 − 900) × 10 = 2750.
    let water = 7572.8 + 662.49 - 2937.0 + 2.5 * (1700.0 - 0.0302 * 1700.0 - 790.0) * 10.0 + 2750.0;
    // Carbon (t C): forest 4; shrub 0.09 × 1.7; grass 2 × 0.6; conifer 2.5 × 3.6; wetland 0.5 × 2.4.
    let t_c = 4.0 + 0.09 * 1.7 + 2.0 * 0.6 + 2.5 * 3.6 + 0.5 * 2.4;
    let expected = water * 6.1107 + t_c * 1320.0 + t_c * 44.0 / 12.0 * 32.0 / 44.0 * 1000.0;
    let a = run(&mixed(), &GepParams::default());
    assert_relative_eq!(a.total_value(), expected, max_relative = 1e-6);
}

#[test]
fn region_rollup_sums_townships_into_districts_and_county() {
    let a = run(&mixed(), &GepParams::default());
    let own = a.value_by_region();
    let up = a.value_by_region_rollup();
    // Units sit in townships 3, 4 (North) and 5 (South).
    assert_eq!(own[0], 0.0);
    assert_relative_eq!(up[1], own[3] + own[4], max_relative = 1e-14);
    assert_relative_eq!(up[2], own[5], max_relative = 1e-14);
    assert_relative_eq!(up[0], a.total_value(), max_relative = 1e-14);
    // Extent: North = 1 + 0.09 + 2 + 0.5 ha; county = 9.09 ha.
    let ext = a.extent_ha_by_region_rollup();
    assert_relative_eq!(ext[1], 3.59, max_relative = 1e-14);
    assert_relative_eq!(ext[0], 9.09, max_relative = 1e-14);
}

#[test]
fn price_index_reprices_reservoir_cost() {
    // 6.1107 yuan/m³ at 2005 prices with an index 100 → 140 (2005 → 2020) is 8.55498 yuan/m³.
    let idx = gep::params::PriceIndex::new(
        gep::params::IndexFamily::Construction,
        [(2005, 100.0), (2020, 140.0)],
    );
    let p = GepParams::default().water_conservation.reservoir_cost;
    let q = idx.reprice(&p, 2020).unwrap();
    assert_relative_eq!(q.value, 8.55498, max_relative = 1e-12);
    assert!(matches!(
        idx.reprice(&p, 2019),
        Err(ParamError::MissingIndexYear { year: 2019, .. })
    ));
}
