//! Air purification, water purification, climate regulation, pest control and coastal
//! protection: values worked by hand (units in comments), caps binding and not binding,
//! missing data, and bad input.

use approx::assert_relative_eq;
use gep::params::{ClassValue, Parameter};
use gep::prelude::*;
use gep::sample::{SampleConfig, SampleCounty};
use gep::services::{
    AirPurification, AirPurificationParams, ClimateRegulation, ClimateRegulationParams,
    CoastalProtection, CoastalProtectionParams, PestControl, PestControlParams, PollutantCost,
    WaterPurification, WaterPurificationParams, KG_PER_HA_YR,
};
use ndarray::array;

fn run(services: Vec<Box<dyn Service>>, l: &Landscape) -> Result<Account, GepError> {
    Engine::new(&services).run(l)
}

fn air_landscape() -> Landscape {
    LandscapeBuilder::new(
        Classification::gep_default(),
        Regions::flat(["a", "b", "c"]).unwrap(),
    )
    .area_ha(array![10.0, 4.0, 3.0, 2.0, 1.0])
    .land_cover(array![12, 11, 51, 13, 11])
    .region(array![0, 0, 0, 1, 2])
    .region_stat("so2_emission_t", vec![Some(1.0), Some(5.0), None], "test")
    .region_stat(
        "dust_emission_t",
        vec![Some(500.0), Some(10.0), None],
        "test",
    )
    .build()
    .unwrap()
}

fn air() -> Box<dyn Service> {
    Box::new(AirPurification::new(
        AirPurificationParams::default().check().unwrap(),
    ))
}

#[test]
fn air_purification_caps_bind_and_not_t_and_yuan() {
    // SO2 capacities, kg/(ha yr): coniferous 215.60, broadleaf 88.65, mixed 152.125.
    // a: 10 × 215.60 + 4 × 88.65 = 2510.6 kg = 2.5106 t > emission 1.0 t → 1.0 t (binds).
    // b: 2 × 152.125 = 304.25 kg = 0.30425 t < emission 5 t → 0.30425 t (does not bind).
    // c: 1 × 88.65 kg, no emission data → unvalued (0, noted). Paddy is not counted.
    // SO2 = 1.30425 t × 1200 yuan/t = 1565.1 yuan.
    // Dust capacities, t/(ha yr): coniferous 33.2, broadleaf 10.11, mixed 21.655.
    // a: 332 + 40.44 = 372.44 t < 500 t → 372.44 t; b: 43.31 t > 10 t → 10 t; c unvalued.
    // Dust = 382.44 t × 150 yuan/t = 57 366 yuan. NOx: no capacity by default, 0.
    // Total 58 931.1 yuan.
    let a = run(vec![air()], &air_landscape()).unwrap();
    assert_relative_eq!(
        a.quantity("air_purification", "so2").unwrap(),
        1.30425,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        a.quantity("air_purification", "dust").unwrap(),
        382.44,
        max_relative = 1e-12
    );
    assert_eq!(a.quantity("air_purification", "nox").unwrap(), 0.0);
    assert_relative_eq!(a.total_value(), 58_931.1, max_relative = 1e-12);
    let so2 = a.quantity_by_region("air_purification", "so2").unwrap();
    assert_relative_eq!(so2[0], 1.0, max_relative = 1e-12);
    assert_relative_eq!(so2[1], 0.30425, max_relative = 1e-12);
    assert_eq!(so2[2], 0.0);
    // The cap in a splits 1.0 t by capacity: coniferous 2.156 / 2.5106 of it.
    let by_class = a.quantity_by_class("air_purification", "so2").unwrap();
    assert_relative_eq!(by_class[1], 2.156 / 2.5106, max_relative = 1e-12);
    // The caps are visible: SO2 −1.5106 (a) − 0.08865 (c); dust −33.31 (b) − 10.11 (c).
    let rec = a.provenance("air_purification").unwrap();
    assert_relative_eq!(rec.tally.adjusted_sum[0], -1.59925, max_relative = 1e-12);
    assert_relative_eq!(rec.tally.adjusted_sum[2], -43.42, max_relative = 1e-12);
    assert!(rec
        .notes
        .iter()
        .any(|n| n.contains("`c`") && n.contains("no `so2_emission_t`") && n.contains("unvalued")));
    assert!(rec.notes.iter().any(
        |n| n.starts_with("so2:") && n.contains("binds in 1, does not bind in 1, no data in 1")
    ));
}

#[test]
fn air_purification_raw_tiles_merge_then_finish() {
    let l = air_landscape();
    let services = vec![air()];
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
}

/// Reads `data/pollutant_unit_costs.csv`: (medium, pollutant, equivalent kg, 2003 cost,
/// 2018 cost), costs in yuan/t.
fn cost_table() -> Vec<(String, String, f64, f64, f64)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/pollutant_unit_costs.csv");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("medium"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let n = |i: usize| f[i].parse::<f64>().unwrap();
            (f[0].into(), f[1].into(), n(2), n(3), n(4))
        })
        .collect()
}

#[test]
fn levy_derived_costs_equal_the_published_table_yuan_per_t() {
    // cost [yuan/t] = rate [yuan/equivalent] / equivalent [kg] × 1000. Rates: 2003 fee air 0.6,
    // water 0.7; 2018 tax minimum air 1.2, water 1.4. The CSV rounds to 0.1 yuan/t, so the
    // tolerance is half of that.
    let rows = cost_table();
    assert_eq!(rows.len(), 10);
    for (medium, pollutant, eq_kg, c2003, c2018) in rows {
        let (r2003, r2018) = if medium == "air" {
            (0.6, 1.2)
        } else {
            (0.7, 1.4)
        };
        for (rate, expected) in [(r2003, c2003), (r2018, c2018)] {
            let price = PollutantCost::levy(rate, "fee", eq_kg, "annex", 2003)
                .price_per_t(&pollutant)
                .unwrap();
            assert!(
                (price.value - expected).abs() <= 0.05 + 1e-9,
                "{pollutant}: {} vs {expected}",
                price.value
            );
            assert_eq!(price.status, Status::Derived);
            assert_eq!(price.per, PhysicalUnit::Tonne);
        }
    }
}

#[test]
fn air_purification_with_levy_cost_records_its_inputs() {
    // Dust at 0.6 yuan/equivalent / 4 kg = 150 yuan/t, the Garze value: same total as default.
    let mut p = AirPurificationParams::default();
    p.dust.cost = PollutantCost::levy(0.6, "2003 fee", 4.0, "tax-law annex", 2010);
    let services: Vec<Box<dyn Service>> = vec![Box::new(AirPurification::new(p.check().unwrap()))];
    let a = run(services, &air_landscape()).unwrap();
    assert_relative_eq!(a.total_value(), 58_931.1, max_relative = 1e-12);
    let rec = a.provenance("air_purification").unwrap();
    assert!(rec
        .parameters
        .iter()
        .any(|r| r.name == "dust_cost.equivalent_kg" && r.value == 4.0));
}

fn water_params() -> WaterPurificationParams {
    let mut p = WaterPurificationParams::default();
    let set = |rows: &mut Vec<ClassValue>, code: i32, v: f64| {
        rows.retain(|r| r.code != code);
        rows.push(ClassValue {
            code,
            value: Some(v),
        });
    };
    set(&mut p.cod.capacity.rows, 41, 2.0);
    set(&mut p.cod.capacity.rows, 42, 0.5);
    p.tn.capacity.unit = KG_PER_HA_YR.into();
    set(&mut p.tn.capacity.rows, 41, 150.0);
    set(&mut p.tn.capacity.rows, 42, 20.0);
    p
}

#[test]
fn water_purification_caps_by_load_t_and_yuan() {
    // COD removal 2 t/(ha yr) marsh, 0.5 open water; TN 150 and 20 kg/(ha yr).
    // a: 4 ha marsh. COD capacity 8 t > load 5 t → 5 t; TN 0.6 t < load 1 t → 0.6 t.
    // b: 10 ha water. COD capacity 5 t < load 20 t → 5 t; TN no load data → unvalued.
    // COD 10 t × 700 = 7000 yuan; TN 0.6 t × (0.7/0.8 × 1000 = 875) = 525 yuan; total 7525.
    let l = LandscapeBuilder::new(
        Classification::gep_default(),
        Regions::flat(["a", "b"]).unwrap(),
    )
    .area_ha(array![4.0, 10.0, 3.0])
    .land_cover(array![41, 42, 11])
    .region(array![0, 1, 1])
    .region_stat("cod_load_t", vec![Some(5.0), Some(20.0)], "test")
    .region_stat("tn_load_t", vec![Some(1.0), None], "test")
    .build()
    .unwrap();
    let params = GepParams {
        water_purification: water_params(),
        ..Default::default()
    };
    let services = standard_services(&params).unwrap();
    assert!(services.iter().any(|s| s.id() == "water_purification"));
    let only: Vec<Box<dyn Service>> = vec![Box::new(WaterPurification::new(
        water_params().check().unwrap(),
    ))];
    let a = run(only, &l).unwrap();
    assert_relative_eq!(
        a.quantity("water_purification", "cod").unwrap(),
        10.0,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        a.quantity("water_purification", "tn").unwrap(),
        0.6,
        max_relative = 1e-12
    );
    assert_relative_eq!(a.total_value(), 7525.0, max_relative = 1e-12);
    let rec = a.provenance("water_purification").unwrap();
    assert_relative_eq!(rec.tally.adjusted_sum[0], -3.0, max_relative = 1e-12);
    assert_relative_eq!(rec.tally.adjusted_sum[2], -0.2, max_relative = 1e-12);
    assert!(rec
        .notes
        .iter()
        .any(|n| n.contains("NH3-N pollution equivalent 0.8")));
    assert!(rec.notes.iter().any(|n| n.contains("no `tn_load_t`")));
    // Without removal rates the service is not in the default set.
    assert!(!standard_services(&GepParams::default())
        .unwrap()
        .iter()
        .any(|s| s.id() == "water_purification"));
}

fn climate_landscape(hot_days: f64, with_evap: bool) -> Landscape {
    let mut b = LandscapeBuilder::new(
        Classification::gep_default(),
        Regions::flat(["a", "b"]).unwrap(),
    )
    .area_ha(array![1.0, 2.0, 5.0])
    .land_cover(array![11, 42, 11])
    .region(array![0, 0, 1])
    .layer("aet_mm", array![730.0, 980.0, 700.0], None)
    .region_stat("hot_days", vec![Some(hot_days), None], "test")
    .region_stat("low_humidity_days", vec![Some(30.0), None], "test")
    .region_stat("electricity_use_kwh", vec![Some(1000.0), None], "test");
    if with_evap {
        b = b.layer(
            "water_evap_mm",
            array![-9999.0, 1200.0, -9999.0],
            Some(-9999.0),
        );
    }
    b.build().unwrap()
}

fn climate() -> Box<dyn Service> {
    Box::new(ClimateRegulation::new(
        ClimateRegulationParams::default().check().unwrap(),
    ))
}

// Region a, hand-worked (q = 2450 kJ/kg, r = 3, y = 120 kWh/m³, 0.53 yuan/kWh):
// forest 1 ha, AET 730 mm: EPP = 730 × 0.61 × 2450 / 365 = 2989 kJ/(m² d);
//   E_pt = 2989 × 10⁴ m² × D / 10 800 = 2767.5926 × D kWh (D = 100: 276 759.26 kWh).
// water 2 ha, 1200 mm: E_w = 1200 × 2 × 10 = 24 000 m³;
//   cooling = 24 000 × 1000 × 2450 / 3600 × D/365 = 16 333 333.3 × D/365 kWh
//   (D = 100: 4 474 885.84 kWh); humidification = 24 000 × 120 × 30/365 = 236 712.33 kWh.
const E_PT_PER_DAY: f64 = 2989.0 * 1e4 / 10_800.0;
const E_COOL_YEAR: f64 = 24_000.0 * 1000.0 * 2450.0 / 3600.0;
const E_HUMID: f64 = 24_000.0 * 120.0 * 30.0 / 365.0;

#[test]
fn climate_regulation_worked_kwh_and_yuan() {
    let a = run(vec![climate()], &climate_landscape(100.0, true)).unwrap();
    let q = |c| a.quantity("climate_regulation", c).unwrap();
    assert_relative_eq!(
        q("transpiration_cooling"),
        276_759.259_259,
        max_relative = 1e-9
    );
    assert_relative_eq!(
        q("transpiration_cooling"),
        E_PT_PER_DAY * 100.0,
        max_relative = 1e-12
    );
    assert_relative_eq!(q("water_cooling"), 4_474_885.844, max_relative = 1e-9);
    assert_relative_eq!(
        q("water_cooling"),
        E_COOL_YEAR * 100.0 / 365.0,
        max_relative = 1e-12
    );
    assert_relative_eq!(q("humidification"), 236_712.328_767, max_relative = 1e-9);
    // Total 4 988 357.43 kWh × 0.53 yuan/kWh = 2 643 829.44 yuan; region b (no hot days,
    // no humidity statistic) is unvalued.
    let kwh = E_PT_PER_DAY * 100.0 + E_COOL_YEAR * 100.0 / 365.0 + E_HUMID;
    assert_relative_eq!(a.total_value(), kwh * 0.53, max_relative = 1e-12);
    assert_relative_eq!(a.total_value(), 2_643_829.44, max_relative = 1e-8);
    let rec = a.provenance("climate_regulation").unwrap();
    assert!(rec
        .notes
        .iter()
        .any(|n| n.contains("`b`") && n.contains("no `hot_days`") && n.contains("unvalued")));
    // 4.99e6 kWh against 1000 kWh of electricity use: flagged.
    assert!(rec
        .notes
        .iter()
        .any(|n| n.starts_with("WARNING region `a`")));
    assert!(rec.formula.contains("3600"));
    for name in [
        "ac_efficiency_ratio",
        "latent_heat_kj_per_kg",
        "humidifier_kwh_per_m3",
    ] {
        let p = rec.parameters.iter().find(|p| p.name == name).unwrap();
        assert!(!p.source.is_empty());
    }
}

#[test]
fn zero_hot_days_give_zero_cooling() {
    let a = run(vec![climate()], &climate_landscape(0.0, true)).unwrap();
    assert_eq!(
        a.quantity("climate_regulation", "transpiration_cooling")
            .unwrap(),
        0.0
    );
    assert_eq!(
        a.quantity("climate_regulation", "water_cooling").unwrap(),
        0.0
    );
    // Humidification depends on low-humidity days, not hot days.
    assert_relative_eq!(
        a.quantity("climate_regulation", "humidification").unwrap(),
        E_HUMID,
        max_relative = 1e-12
    );
}

#[test]
fn missing_evaporation_layer_counts_transpiration_only_and_says_so() {
    let a = run(vec![climate()], &climate_landscape(100.0, false)).unwrap();
    assert_eq!(
        a.quantity("climate_regulation", "water_cooling").unwrap(),
        0.0
    );
    assert_eq!(
        a.quantity("climate_regulation", "humidification").unwrap(),
        0.0
    );
    assert_relative_eq!(
        a.quantity("climate_regulation", "transpiration_cooling")
            .unwrap(),
        E_PT_PER_DAY * 100.0,
        max_relative = 1e-12
    );
    let rec = a.provenance("climate_regulation").unwrap();
    assert_eq!(rec.tally.layer_nodata, vec![0, 1]);
    assert!(rec
        .notes
        .iter()
        .any(|n| n.contains("without `water_evap_mm`")));
}

#[test]
fn low_humidity_fraction_fallback_and_bad_day_counts() {
    let p = ClimateRegulationParams {
        low_humidity_fraction: Some(Parameter::new(0.5, "1", "user", Status::User)),
        ..Default::default()
    };
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("a"))
        .area_ha(array![2.0])
        .land_cover(array![42])
        .layer("aet_mm", array![980.0], None)
        .layer("water_evap_mm", array![1200.0], None)
        .region_stat("hot_days", vec![Some(0.0)], "test")
        .build()
        .unwrap();
    let s: Vec<Box<dyn Service>> = vec![Box::new(ClimateRegulation::new(p.check().unwrap()))];
    let a = run(s, &l).unwrap();
    // 24 000 m³ × 120 kWh/m³ × 0.5 = 1 440 000 kWh.
    assert_relative_eq!(
        a.quantity("climate_regulation", "humidification").unwrap(),
        1_440_000.0,
        max_relative = 1e-12
    );
    let bad = LandscapeBuilder::new(Classification::gep_default(), Regions::single("a"))
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("aet_mm", array![700.0], None)
        .region_stat("hot_days", vec![Some(400.0)], "test")
        .build()
        .unwrap();
    let e = run(vec![climate()], &bad).unwrap_err();
    assert!(
        matches!(e, GepError::Param(ParamError::OutOfRange { ref parameter, .. }) if parameter.contains("hot_days"))
    );
}

#[test]
fn pest_control_area_times_cost_yuan() {
    // 2 ha broadleaf + 2 ha coniferous at natural share 0.5 = 3 ha forest × 375 = 1125 yuan;
    // 4 ha grassland × 112.5 = 450 yuan; shrub not counted. Total 1575 yuan.
    let mut p = PestControlParams::default();
    p.natural_share.rows.retain(|r| r.code != 12);
    p.natural_share.rows.push(ClassValue {
        code: 12,
        value: Some(0.5),
    });
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("a"))
        .area_ha(array![2.0, 2.0, 4.0, 1.0])
        .land_cover(array![11, 12, 31, 21])
        .build()
        .unwrap();
    let s: Vec<Box<dyn Service>> = vec![Box::new(PestControl::new(p.check().unwrap()))];
    let a = run(s, &l).unwrap();
    assert_relative_eq!(a.quantity("pest_control", "forest_area").unwrap(), 3.0);
    assert_relative_eq!(a.quantity("pest_control", "grassland_area").unwrap(), 4.0);
    assert_relative_eq!(a.total_value(), 1575.0, max_relative = 1e-12);
    assert!(!standard_services(&GepParams::default())
        .unwrap()
        .iter()
        .any(|s| s.id() == "pest_control"));
}

#[test]
fn coastal_protection_needs_cost_and_lifetime() {
    let mut p = CoastalProtectionParams::default();
    assert!(matches!(
        p.check(),
        Err(ParamError::Missing { ref parameter, .. }) if parameter == "seawall_cost"
    ));
    p.seawall_cost = Some(Price::yuan(
        2e7,
        PhysicalUnit::Kilometre,
        2020,
        "local",
        Status::User,
    ));
    assert!(matches!(
        p.check(),
        Err(ParamError::Missing { ref parameter, .. }) if parameter == "seawall_lifetime_years"
    ));
    let gp = GepParams {
        coastal_protection: p.clone(),
        ..Default::default()
    };
    assert!(matches!(
        standard_services(&gp),
        Err(GepError::Param(ParamError::Missing { .. }))
    ));
    p.seawall_lifetime_years = Some(Parameter::new(50.0, "yr", "local", Status::User));
    // a: 3 km, marsh 5 ha + water 15 ha → 0.75 km to marsh, 2.25 km to water.
    // b: 2 km but only forest → unattributed, not valued.
    // 3 km × 2·10⁷ yuan/km / 50 yr = 1.2·10⁶ yuan/yr.
    let l = LandscapeBuilder::new(
        Classification::gep_default(),
        Regions::flat(["a", "b"]).unwrap(),
    )
    .area_ha(array![5.0, 15.0, 7.0])
    .land_cover(array![41, 42, 11])
    .region(array![0, 0, 1])
    .region_stat("protected_coastline_km", vec![Some(3.0), Some(2.0)], "test")
    .build()
    .unwrap();
    let s: Vec<Box<dyn Service>> = vec![Box::new(CoastalProtection::new(p.check().unwrap()))];
    let a = run(s, &l).unwrap();
    assert_relative_eq!(a.total_value(), 1.2e6, max_relative = 1e-12);
    let by_class = a
        .quantity_by_class("coastal_protection", "coastline")
        .unwrap();
    assert_relative_eq!(by_class[6], 0.75, max_relative = 1e-12);
    assert_relative_eq!(by_class[7], 2.25, max_relative = 1e-12);
    let rec = a.provenance("coastal_protection").unwrap();
    assert!(rec.notes.iter().any(|n| n.contains("unattributed")));
    assert_eq!(rec.components[0].prices[0].status, Status::Derived);
}

#[test]
fn bad_input_gives_typed_errors() {
    // A negative emission statistic.
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("a"))
        .area_ha(array![1.0])
        .land_cover(array![11])
        .region_stat("so2_emission_t", vec![Some(-1.0)], "test")
        .build()
        .unwrap();
    assert!(matches!(
        run(vec![air()], &l),
        Err(GepError::Param(ParamError::OutOfRange { .. }))
    ));
    // A capacity in an unknown unit, a negative capacity, a zero pollution equivalent.
    let mut p = AirPurificationParams::default();
    p.so2.capacity.unit = "kg/km2".into();
    assert!(matches!(p.check(), Err(ParamError::PriceUnit { .. })));
    let mut p = AirPurificationParams::default();
    p.so2.capacity.rows[0].value = Some(-1.0);
    assert!(matches!(p.check(), Err(ParamError::OutOfRange { .. })));
    let mut p = AirPurificationParams::default();
    p.so2.cost = PollutantCost::levy(0.6, "fee", 0.0, "annex", 2003);
    assert!(matches!(p.check(), Err(ParamError::OutOfRange { .. })));
    let mut p = ClimateRegulationParams::default();
    p.ac_efficiency_ratio.value = 0.0;
    assert!(matches!(p.check(), Err(ParamError::OutOfRange { .. })));
    // Climate regulation from AET needs the layer.
    let l = LandscapeBuilder::new(Classification::gep_default(), Regions::single("a"))
        .area_ha(array![1.0])
        .land_cover(array![11])
        .build()
        .unwrap();
    assert!(matches!(
        run(vec![climate()], &l),
        Err(GepError::Landscape(LandscapeError::MissingLayer { .. }))
    ));
}

#[test]
fn sample_county_caps_bind_in_some_townships_and_not_others() {
    let sample = SampleCounty::generate(&SampleConfig::tiny()).unwrap();
    let services = standard_services(&GepParams::default()).unwrap();
    let a = Engine::new(&services).run(&sample.landscape).unwrap();
    let rec = a.provenance("air_purification").unwrap();
    let summary = rec
        .notes
        .iter()
        .find(|n| n.starts_with("so2: Q = min"))
        .unwrap();
    assert!(!summary.contains("cap binds in 0,"), "{summary}");
    assert!(!summary.contains("does not bind in 0,"), "{summary}");
    assert!(summary.contains("no data in 1"), "{summary}");
    assert!(rec.tally.adjusted_sum[0] < 0.0);
    // Shiqiao (the last township) has no SO2 figure.
    let so2 = a.quantity_by_region("air_purification", "so2").unwrap();
    assert_eq!(so2[11], 0.0);
    let climate = a.value_by_service()[4];
    assert!(climate > 0.0);
    let sum: f64 = a.value_by_service().iter().sum();
    assert_relative_eq!(sum, a.total_value(), max_relative = 1e-12);
}
