//! Issue #8 (analysis): constant prices and the decomposition of a change, scenarios, SEEA EA
//! tables — worked values, identities and bad input.

use approx::assert_relative_eq;
use ndarray::array;

use gep::analysis::prices::{intensities, reprice_account, Decomposition, IndexSet};
use gep::analysis::scenario::{with_land_cover, ScenarioComparison, TransitionMatrix};
use gep::analysis::seea::{
    ExtentAccount, Reconciliation, SupplyTable, Treatment, UseTable, UserShares,
};
use gep::error::AnalysisError;
use gep::landscape::{GridShape, Region};
use gep::params::{IndexFamily, PriceIndex};
use gep::prelude::*;
use gep::sample::{land_use_plan, SampleConfig, SampleCounty};

/// Water conservation only, α = 0.25 for evergreen broadleaf forest (11), reservoir cost
/// `price` yuan/m³ in `year`, so quantities and values are exact in binary.
fn water_profile(price: f64, year: i32) -> Profile {
    let mut p = GepParams::default();
    for row in &mut p.water_conservation.runoff_coefficients.rows {
        if row.code == 11 {
            row.value = Some(0.25);
        }
    }
    p.water_conservation.reservoir_cost = Price::yuan(
        price,
        PhysicalUnit::CubicMetre,
        year,
        "hand-chosen test price",
        Status::User,
    );
    Profile::mee2020()
        .with_params(p)
        .with_services(["water_conservation"])
}

fn forest_ha(precip_mm: f32) -> Landscape {
    LandscapeBuilder::new(Classification::gep_default(), Regions::single("Town"))
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("precip_mm", array![precip_mm], None)
        .layer("aet_mm", array![800.0], None)
        .build()
        .unwrap()
}

fn tiny() -> Landscape {
    SampleCounty::generate(&SampleConfig::tiny())
        .unwrap()
        .landscape
}

fn unit_indices() -> IndexSet {
    let ones = |f| PriceIndex::new(f, (2000..=2025).map(|y| (y, 1.0)));
    IndexFamily::ALL
        .into_iter()
        .fold(IndexSet::new(), |s, f| s.with(ones(f)))
}

// ---------- constant prices ----------

#[test]
fn decomposition_adds_up_exactly_on_hand_numbers() {
    // Year 0: Q0 = 10 × 1 ha × (1600 − 0.25·1600 − 800) mm = 4000 m³ at P0 = 4 yuan/m³.
    // Year 1: Q1 = 10 × (1800 − 450 − 800) = 5500 m³ at P1 = 5 yuan/m³.
    // ΔQ·P0 = 6000, Q0·ΔP = 4000, ΔQ·ΔP = 1500; V1 − V0 = 27500 − 16000 = 11500.
    let a0 = water_profile(4.0, 2015).run(&forest_ha(1600.0)).unwrap();
    let a1 = water_profile(5.0, 2020).run(&forest_ha(1800.0)).unwrap();
    assert_eq!(a0.quantity("water_conservation", "water"), Some(4000.0));
    let d = Decomposition::new(&a0, &a1).unwrap();
    let t = d.total();
    assert_eq!(t.value_0, 16000.0);
    assert_eq!(t.value_1, 27500.0);
    assert_eq!(t.value_1_at_prices_0, 22000.0);
    assert_eq!(t.quantity_effect, 6000.0);
    assert_eq!(t.price_effect, 4000.0);
    assert_eq!(t.interaction, 1500.0);
    assert_eq!(t.change, 11500.0);
    assert_eq!(t.quantity_effect + t.price_effect + t.interaction, t.change);
    assert_eq!(d.by_service()[0].1, t);
    assert_eq!(d.by_region()[0].1, t);
}

#[test]
fn decomposition_adds_up_on_the_sample_at_1e_12() {
    let base = tiny();
    let indices = IndexSet::illustrative();
    let profile = Profile::mee2020();
    let a0 = reprice_account(&profile.run(&base).unwrap(), &indices, 2015).unwrap();
    let a1 = reprice_account(
        &profile.run(&land_use_plan(&base).unwrap()).unwrap(),
        &indices,
        2020,
    )
    .unwrap();
    let d = Decomposition::new(&a0, &a1).unwrap();
    let t = d.total();
    assert!(t.quantity_effect != 0.0 && t.price_effect > 0.0 && t.interaction != 0.0);
    assert_relative_eq!(
        t.quantity_effect + t.price_effect + t.interaction,
        t.change,
        max_relative = 1e-12
    );
    // The lines' values are the accounts' totals.
    assert_relative_eq!(t.value_0, a0.total_value(), max_relative = 1e-12);
    assert_relative_eq!(t.value_1, a1.total_value(), max_relative = 1e-12);
    for r in d.rows() {
        let e = r.effects;
        assert_relative_eq!(
            e.quantity_effect + e.price_effect + e.interaction,
            e.change,
            max_relative = 1e-12,
            epsilon = 1e-9
        );
    }
    for (_, e) in d.by_service().iter().chain(&d.by_region()) {
        assert_relative_eq!(
            e.quantity_effect + e.price_effect + e.interaction,
            e.change,
            max_relative = 1e-12,
            epsilon = 1e-6
        );
    }
}

#[test]
fn repricing_by_an_index_of_1_changes_nothing() {
    let a = Profile::mee2020().run(&tiny()).unwrap();
    let b = reprice_account(&a, &unit_indices(), 2020).unwrap();
    assert_eq!(a.value_by_component(), b.value_by_component());
    assert_eq!(a.total_value(), b.total_value());
    for ((_, s, c), (_, _, d)) in a.components().zip(b.components()) {
        assert_eq!(c.unit_value, d.unit_value);
        assert_eq!(a.quantity(&s.id, &c.id), b.quantity(&s.id, &c.id));
        assert_eq!(d.price_year, 2020);
    }
}

#[test]
fn repricing_scales_values_by_the_index_ratio_and_leaves_quantities() {
    // Reservoir cost 4 yuan/m³ (2015); construction index 120 → 150: 5 yuan/m³ in 2020.
    let a = water_profile(4.0, 2015).run(&forest_ha(1600.0)).unwrap();
    let idx = IndexSet::new().with(PriceIndex::new(
        IndexFamily::Construction,
        [(2015, 120.0), (2020, 150.0)],
    ));
    let b = reprice_account(&a, &idx, 2020).unwrap();
    assert_relative_eq!(b.total_value(), 4000.0 * 5.0, max_relative = 1e-15);
    assert_eq!(b.quantity("water_conservation", "water"), Some(4000.0));
    let (_, _, c) = b.components().next().unwrap();
    assert_eq!(c.index_family, IndexFamily::Construction);
    assert_eq!(c.price_year, 2020);
    assert_relative_eq!(c.prices[0].value, 5.0, max_relative = 1e-15);
    assert!(b
        .run_info()
        .unwrap()
        .notes
        .iter()
        .any(|n| n.contains("re-priced to 2020")));
}

#[test]
fn account_components_carry_their_index_family() {
    let a = Profile::mee2020().run(&tiny()).unwrap();
    let fam = |s: &str| {
        a.components()
            .find(|(_, r, _)| r.id == s)
            .map(|(_, _, c)| c.index_family)
            .unwrap()
    };
    assert_eq!(fam("water_conservation"), IndexFamily::Construction);
    assert_eq!(fam("carbon_sequestration"), IndexFamily::Carbon);
    assert_eq!(fam("oxygen_release"), IndexFamily::Ppi);
    assert_eq!(fam("climate_regulation"), IndexFamily::Electricity);
    assert_eq!(fam("water_supply"), IndexFamily::Water);
    assert_eq!(fam("recreation"), IndexFamily::Tourism);
    assert_eq!(fam("provisioning_products"), IndexFamily::Agriculture);
    // A family set on the price wins over the default.
    let mut p = GepParams::default();
    p.water_conservation.reservoir_cost = p
        .water_conservation
        .reservoir_cost
        .clone()
        .with_index_family(IndexFamily::Cpi);
    let b = Profile::mee2020()
        .with_params(p)
        .with_services(["water_conservation"])
        .run(&forest_ha(1600.0))
        .unwrap();
    assert_eq!(
        b.components().next().unwrap().2.index_family,
        IndexFamily::Cpi
    );
}

#[test]
fn illustrative_indices_cover_every_family_and_are_marked() {
    let s = IndexSet::illustrative();
    for f in IndexFamily::ALL {
        let i = s.get(f).unwrap();
        assert_eq!(i.levels.len(), 26, "{f}");
        assert!(i.source.contains("ILLUSTRATIVE"));
        assert_eq!(i.status, Status::Practitioner);
    }
    // CPI 2.5 %/yr from 100 in 2000: 2015 level 100 × 1.025^15 = 144.83 → 144.8.
    assert_eq!(s.get(IndexFamily::Cpi).unwrap().levels[&2015], 144.8);
}

#[test]
fn bad_index_input_gives_typed_errors_naming_where() {
    let e = IndexSet::from_csv_str(
        "i.csv",
        "family,year,level,source\ncpi,2015,100,x\nfoo,2016,101,x\n",
    )
    .unwrap_err();
    assert!(
        matches!(e, AnalysisError::IndexFile { line: 3, column: "family", ref value, .. } if value == "foo")
    );
    let e =
        IndexSet::from_csv_str("i.csv", "family,year,level,source\ncpi,2015,-1,x\n").unwrap_err();
    assert!(matches!(
        e,
        AnalysisError::IndexFile {
            line: 2,
            column: "level",
            ..
        }
    ));
    let e =
        IndexSet::from_csv_str("i.csv", "family,year,level,source\ncpi,20x5,1,x\n").unwrap_err();
    assert!(matches!(
        e,
        AnalysisError::IndexFile {
            line: 2,
            column: "year",
            ..
        }
    ));
    let e = IndexSet::from_csv_str(
        "i.csv",
        "family,year,level,source\ncpi,2015,1,x\ncpi,2015,2,y\n",
    )
    .unwrap_err();
    assert!(matches!(
        e,
        AnalysisError::IndexFile {
            line: 3,
            column: "year",
            ..
        }
    ));
    let e = IndexSet::from_csv_str("i.csv", "fam,yr,level\n").unwrap_err();
    assert!(matches!(
        e,
        AnalysisError::IndexFile {
            line: 1,
            column: "header",
            ..
        }
    ));
    // An index series missing the account's price year names the component.
    let a = water_profile(4.0, 2015).run(&forest_ha(1600.0)).unwrap();
    let idx = IndexSet::new().with(PriceIndex::new(IndexFamily::Construction, [(2020, 150.0)]));
    let e = reprice_account(&a, &idx, 2020).unwrap_err();
    assert!(
        matches!(e, AnalysisError::MissingIndexYear { year: 2015, ref needed_by, .. } if needed_by.contains("water_conservation")),
        "{e}"
    );
    let e = reprice_account(&a, &IndexSet::new(), 2020).unwrap_err();
    assert!(
        matches!(e, AnalysisError::MissingIndex { ref family, .. } if family == "construction")
    );
}

#[test]
fn mismatched_accounts_are_refused() {
    let l = forest_ha(1600.0);
    let a = water_profile(4.0, 2015).run(&l).unwrap();
    let other_profile = Profile::gbt38582_forest()
        .with_services(["water_conservation"])
        .run(&l)
        .unwrap();
    assert!(matches!(
        Decomposition::new(&a, &other_profile),
        Err(AnalysisError::AccountsDiffer {
            what: "profile",
            ..
        })
    ));
    let more = Profile::mee2020()
        .with_services(["water_conservation", "carbon_sequestration"])
        .run(
            &LandscapeBuilder::new(Classification::gep_default(), Regions::single("Town"))
                .area_ha(array![1.0])
                .land_cover(array![11])
                .layer("precip_mm", array![1600.0], None)
                .layer("aet_mm", array![800.0], None)
                .layer("npp_gc_per_m2", array![700.0], None)
                .layer("rh_gc_per_m2", array![300.0], None)
                .build()
                .unwrap(),
        )
        .unwrap();
    assert!(matches!(
        Decomposition::new(&a, &more),
        Err(AnalysisError::AccountsDiffer {
            what: "services",
            ..
        })
    ));
    let other_region =
        LandscapeBuilder::new(Classification::gep_default(), Regions::single("Village"))
            .area_ha(array![1.0])
            .land_cover(array![11])
            .layer("precip_mm", array![1600.0], None)
            .layer("aet_mm", array![800.0], None)
            .build()
            .unwrap();
    let b = water_profile(4.0, 2015).run(&other_region).unwrap();
    assert!(matches!(
        Decomposition::new(&a, &b),
        Err(AnalysisError::AccountsDiffer {
            what: "regions",
            ..
        })
    ));
}

#[test]
fn intensities_worked_by_hand_with_rollup() {
    // Two townships of one county, 1 ha of forest each (4000 m³ × 4 yuan/m³ = 16 000 yuan).
    let regions = Regions::new(vec![
        Region::root("County", "county"),
        Region::child("A", "township", 0),
        Region::child("B", "township", 0),
    ])
    .unwrap();
    let l = LandscapeBuilder::new(Classification::gep_default(), regions)
        .area_ha(array![1.0, 1.0])
        .land_cover(array![11, 11])
        .region(array![1, 2])
        .layer("precip_mm", array![1600.0, 1600.0], None)
        .layer("aet_mm", array![800.0, 800.0], None)
        .region_stat("gdp_yuan", vec![None, Some(8000.0), Some(32000.0)], "test")
        .region_stat("population_persons", vec![None, Some(4.0), None], "test")
        .build()
        .unwrap();
    let a = water_profile(4.0, 2015).run(&l).unwrap();
    let rows = intensities(&a, l.region_stats(), "gdp_yuan", "population_persons");
    // A: GEP/GDP = 16000/8000 = 2; per km² = 16000 / 0.01 km² = 1.6e6; per capita 4000.
    assert_relative_eq!(rows[1].gep_to_gdp.unwrap(), 2.0, max_relative = 1e-15);
    assert_relative_eq!(rows[1].gep_per_km2.unwrap(), 1.6e6, max_relative = 1e-12);
    assert_relative_eq!(
        rows[1].gep_per_capita.unwrap(),
        4000.0,
        max_relative = 1e-15
    );
    // County: GDP rolled up 40 000 → 32 000 / 40 000 = 0.8; population unknown in B → none.
    assert_relative_eq!(rows[0].gep_to_gdp.unwrap(), 0.8, max_relative = 1e-15);
    assert_eq!(rows[0].population, None);
    assert_eq!(rows[0].gep_per_capita, None);
    // The sample county carries illustrative GDP and population.
    let t = tiny();
    let a = Profile::mee2020().run(&t).unwrap();
    let rows = intensities(&a, t.region_stats(), "gdp_yuan", "population_persons");
    assert!(rows[0].gep_to_gdp.unwrap() > 0.0 && rows[0].gep_per_capita.unwrap() > 0.0);
}

// ---------- scenarios ----------

#[test]
fn identical_maps_give_zero_change() {
    let base = tiny();
    let c = ScenarioComparison::run(&Profile::mee2020(), &base, &base.clone()).unwrap();
    assert_eq!(c.total().delta(), 0.0);
    for r in c
        .by_service()
        .iter()
        .chain(&c.by_region())
        .chain(&c.by_ecosystem())
    {
        assert_eq!(r.delta(), 0.0, "{}", r.key);
    }
    for t in c.transitions().transitions() {
        assert_eq!(t.from, t.to);
        assert_eq!(t.value_change(), Some(0.0));
    }
}

#[test]
fn transition_areas_and_values_worked_by_hand() {
    // Units: 1 ha forest stays forest; 2 ha dryland (52) → forest (11); 0.5 ha paddy stays.
    let base = LandscapeBuilder::new(Classification::gep_default(), Regions::single("Town"))
        .area_ha(array![1.0, 2.0, 0.5])
        .land_cover(array![11, 52, 51])
        .layer("precip_mm", array![1600.0, 1600.0, 1600.0], None)
        .layer("aet_mm", array![800.0, 800.0, 800.0], None)
        .build()
        .unwrap();
    let scen = with_land_cover(&base, &[11, 11, 51], -1).unwrap();
    let profile = water_profile(4.0, 2015);
    let c = ScenarioComparison::run(&profile, &base, &scen).unwrap();
    let t = c.transitions();
    let f = |code| t.classes().iter().position(|c| c.code == code).unwrap();
    assert_eq!(t.area_ha(f(52), f(11)), 2.0);
    assert_eq!(t.area_ha(f(11), f(11)), 1.0);
    assert_eq!(t.area_ha(f(51), f(51)), 0.5);
    let dry_to_forest = t
        .transitions()
        .into_iter()
        .find(|x| x.from.code == 52)
        .unwrap();
    // Under the plan the 2 ha retain 10 × 2 × (1600 − 400 − 800) = 8000 m³ × 4 = 32 000 yuan.
    assert_relative_eq!(
        dry_to_forest.value_scenario.unwrap(),
        32000.0,
        max_relative = 1e-12
    );
    // Transition values partition the accounts (water conservation is additive).
    let sum_b: f64 = t
        .transitions()
        .iter()
        .map(|x| x.value_baseline.unwrap())
        .sum();
    let sum_s: f64 = t
        .transitions()
        .iter()
        .map(|x| x.value_scenario.unwrap())
        .sum();
    assert_relative_eq!(sum_b, c.baseline().total_value(), max_relative = 1e-12);
    assert_relative_eq!(sum_s, c.scenario().total_value(), max_relative = 1e-12);
    assert_relative_eq!(
        c.total().delta(),
        dry_to_forest.value_change().unwrap(),
        max_relative = 1e-12
    );
}

#[test]
fn sample_plan_transitions_partition_the_additive_services() {
    let base = tiny();
    let c = ScenarioComparison::run(&Profile::mee2020(), &base, &land_use_plan(&base).unwrap())
        .unwrap();
    let additive = |a: &Account| -> f64 {
        let v = a.value_by_service();
        a.services()
            .iter()
            .zip(v)
            .filter(|(s, _)| s.additive)
            .map(|(_, v)| v)
            .sum()
    };
    let tr = c.transitions().transitions();
    assert!(tr.iter().any(|t| t.from.code == 52 && t.to.code == 11));
    // Building on grassland loses the grass's water retention, carbon and soil retention.
    assert!(tr
        .iter()
        .any(|t| t.from.code == 31 && t.to.code == 61 && t.value_change().unwrap() < 0.0));
    let sb: f64 = tr.iter().map(|t| t.value_baseline.unwrap()).sum();
    let ss: f64 = tr.iter().map(|t| t.value_scenario.unwrap()).sum();
    assert_relative_eq!(sb, additive(c.baseline()), max_relative = 1e-9);
    assert_relative_eq!(ss, additive(c.scenario()), max_relative = 1e-9);
    // Attributed + not attributed = total change.
    let dt: f64 = tr.iter().map(|t| t.value_change().unwrap()).sum();
    assert_relative_eq!(
        dt + c.not_attributed_change(),
        c.total().delta(),
        max_relative = 1e-9,
        epsilon = 1e-3
    );
    assert!(!c.not_attributed_services().is_empty());
    // Afforestation raises the value of water conservation.
    let wc = c
        .by_service()
        .into_iter()
        .find(|r| r.key == "water_conservation")
        .unwrap();
    assert!(wc.delta() > 0.0);
}

#[test]
fn scenario_maps_on_different_grids_are_refused() {
    let base = tiny();
    let mut cfg = SampleConfig::tiny();
    cfg.cell_size_m = 400.0;
    let other = SampleCounty::generate(&cfg).unwrap().landscape;
    let e = TransitionMatrix::areas(&base, &other).unwrap_err();
    assert!(
        matches!(e, AnalysisError::LandscapesDiffer { ref what, .. } if what == "grid"),
        "{e}"
    );
    let a = LandscapeBuilder::new(Classification::gep_default(), Regions::single("T"))
        .area_ha(array![1.0, 2.0])
        .land_cover(array![11, 11])
        .build()
        .unwrap();
    let b = LandscapeBuilder::new(Classification::gep_default(), Regions::single("T"))
        .area_ha(array![1.0, 2.5])
        .land_cover(array![11, 11])
        .build()
        .unwrap();
    let e = TransitionMatrix::areas(&a, &b).unwrap_err();
    assert!(
        matches!(e, AnalysisError::LandscapesDiffer { ref what, .. } if what == "area_ha of unit 1")
    );
    let c = LandscapeBuilder::new(Classification::gep_default(), Regions::single("T"))
        .area_ha(array![1.0])
        .land_cover(array![11])
        .build()
        .unwrap();
    let e = TransitionMatrix::areas(&a, &c).unwrap_err();
    assert!(
        matches!(e, AnalysisError::LandscapesDiffer { ref what, .. } if what == "number of units")
    );
    let g = GridShape::new(1, 2, 100.0).unwrap();
    let d = LandscapeBuilder::new(Classification::gep_default(), Regions::single("T"))
        .grid(g)
        .area_ha(array![1.0, 2.0])
        .land_cover(array![11, 11])
        .build()
        .unwrap();
    assert!(TransitionMatrix::areas(&a, &d).is_err());
}

// ---------- SEEA EA ----------

#[test]
fn supply_table_rows_add_up_to_the_account_service_totals() {
    let a = Profile::mee2020().run(&tiny()).unwrap();
    let s = SupplyTable::from_account(&a);
    for ((id, v), w) in s.service_totals().iter().zip(a.value_by_service()) {
        assert_relative_eq!(*v, w, max_relative = 1e-12, epsilon = 1e-9);
        assert!(!id.is_empty());
    }
    for r in s.rows() {
        let q = a.quantity(&r.service, &r.component).unwrap();
        assert_relative_eq!(r.physical_total, q, max_relative = 1e-12, epsilon = 1e-9);
    }
    let oxygen = s
        .rows()
        .iter()
        .find(|r| r.service == "oxygen_release")
        .unwrap();
    assert_eq!(oxygen.seea_service, None);
    let carbon = s
        .rows()
        .iter()
        .find(|r| r.service == "carbon_sequestration")
        .unwrap();
    assert_eq!(carbon.seea_service, Some("global climate regulation"));
    // Forest column of carbon: only forest classes (11–14) supply it there.
    let forest: f64 = a
        .quantity_by_class("carbon_sequestration", &carbon.component)
        .unwrap()
        .iter()
        .zip(a.classes())
        .filter(|(_, c)| c.ecosystem == EcosystemType::Forest)
        .map(|(q, _)| q)
        .sum();
    assert_relative_eq!(carbon.physical[0], forest, max_relative = 1e-12);
}

fn shares_for(a: &Account) -> Vec<UserShares> {
    a.services()
        .iter()
        .map(|s| UserShares {
            households: 0.5,
            government: 0.25,
            industries: vec![("A".into(), 0.125)],
            rest_of_world: 0.125,
            ..UserShares::new(&s.id)
        })
        .collect()
}

#[test]
fn use_table_equals_supply_per_row_and_refuses_bad_shares() {
    let a = Profile::mee2020().run(&tiny()).unwrap();
    let s = SupplyTable::from_account(&a);
    let u = UseTable::new(&s, &shares_for(&a)).unwrap();
    assert_eq!(
        u.users(),
        ["households", "government", "industry_A", "rest_of_world"]
    );
    for (ur, sr) in u.rows().iter().zip(s.rows()) {
        assert_relative_eq!(
            ur.monetary_total,
            sr.monetary_total,
            max_relative = 1e-15,
            epsilon = 1e-12
        );
        assert_relative_eq!(
            ur.physical_total,
            sr.physical_total,
            max_relative = 1e-15,
            epsilon = 1e-12
        );
        assert_eq!(ur.monetary[0], 0.5 * sr.monetary_total);
    }
    let mut bad = shares_for(&a);
    bad[0].households = 0.6; // sum 1.1
    assert!(matches!(
        UseTable::new(&s, &bad),
        Err(AnalysisError::InvalidUserShares { ref what, value, .. }) if what == "the sum" && (value - 1.1).abs() < 1e-12
    ));
    let mut neg = shares_for(&a);
    neg[1].government = -0.25;
    assert!(matches!(
        UseTable::new(&s, &neg),
        Err(AnalysisError::InvalidUserShares { .. })
    ));
    let mut missing = shares_for(&a);
    let gone = missing.pop().unwrap().service;
    assert!(matches!(
        UseTable::new(&s, &missing),
        Err(AnalysisError::MissingUserShares { ref service }) if *service == gone
    ));
    let mut unknown = shares_for(&a);
    unknown.push(UserShares {
        households: 1.0,
        ..UserShares::new("mangroves")
    });
    assert!(matches!(
        UseTable::new(&s, &unknown),
        Err(AnalysisError::UnknownService { ref service }) if service == "mangroves"
    ));
}

#[test]
fn reconciliation_derives_its_lines_from_the_account() {
    let a = Profile::mee2020().run(&tiny()).unwrap();
    let r = Reconciliation::from_account(&a);
    let v = a.value_by_service();
    let idx = |id: &str| a.services().iter().position(|s| s.id == id).unwrap();
    let oxygen = r
        .lines
        .iter()
        .find(|l| l.service == "oxygen_release")
        .unwrap();
    assert_eq!(oxygen.treatment, Treatment::Dropped);
    assert_eq!(oxygen.value, Some(v[idx("oxygen_release")]));
    let hydro = r
        .lines
        .iter()
        .find(|l| l.service == "ecological_energy")
        .unwrap();
    assert_eq!(hydro.treatment, Treatment::Dropped);
    let prov = r
        .lines
        .iter()
        .find(|l| l.service == "provisioning_products")
        .unwrap();
    assert_eq!(prov.treatment, Treatment::Caveat);
    assert!(prov.reason.contains("gross output value"));
    assert!(r
        .lines
        .iter()
        .any(|l| l.service == "water_conservation" && l.reason.contains("replacement cost")));
    assert!(r
        .lines
        .iter()
        .any(|l| l.service == "(profile)" && l.reason.contains("overlap")));
    assert_relative_eq!(
        r.seea_aggregate,
        a.total_value() - v[idx("oxygen_release")] - v[idx("ecological_energy")],
        max_relative = 1e-12
    );
    // With consumer surplus counted, it is excluded; with λ set, provisioning is transformed.
    let mut p = GepParams::default();
    p.recreation.include_consumer_surplus = true;
    p.provisioning.convention = gep::services::ProvisioningConvention::ResourceRent;
    p.provisioning.nature_share = Some(gep::params::Parameter::new(
        0.3,
        "1",
        "test λ",
        Status::User,
    ));
    let b = Profile::mee2020().with_params(p).run(&tiny()).unwrap();
    let r = Reconciliation::from_account(&b);
    assert!(r
        .lines
        .iter()
        .any(|l| l.service == "recreation" && l.treatment == Treatment::Excluded));
    let prov = r
        .lines
        .iter()
        .find(|l| l.service == "provisioning_products")
        .unwrap();
    assert_eq!(prov.treatment, Treatment::Transformed);
    assert!(prov.reason.contains("0.3"));
}

#[test]
fn extent_account_worked_by_hand() {
    // 1 ha forest → forest, 2 ha dryland → forest, 0.5 ha grass → urban, 0.25 ha nodata.
    let base = LandscapeBuilder::new(Classification::gep_default(), Regions::single("T"))
        .area_ha(array![1.0, 2.0, 0.5, 0.25])
        .land_cover(array![11, 52, 31, 0])
        .land_cover_nodata(0)
        .build()
        .unwrap();
    let close = with_land_cover(&base, &[12, 11, 61, 0], 0).unwrap();
    let x = ExtentAccount::new(&base, &close).unwrap();
    let row = |e: EcosystemType| x.rows()[e.index()];
    let f = row(EcosystemType::Forest);
    assert_eq!(
        (f.opening_ha, f.additions_ha, f.reductions_ha, f.closing_ha),
        (1.0, 2.0, 0.0, 3.0)
    );
    let c = row(EcosystemType::Cropland);
    assert_eq!(
        (c.opening_ha, c.reductions_ha, c.closing_ha, c.net_change_ha),
        (2.0, 2.0, 0.0, -2.0)
    );
    let u = row(EcosystemType::Urban);
    assert_eq!(
        (u.opening_ha, u.additions_ha, u.closing_ha),
        (0.0, 0.5, 0.5)
    );
    assert_eq!(
        x.change_matrix_ha()[EcosystemType::Cropland.index()][0],
        2.0
    );
    assert_eq!(x.nodata(), (1, 0.25));
    for r in x.rows() {
        assert_eq!(
            r.opening_ha + r.additions_ha - r.reductions_ha,
            r.closing_ha
        );
    }
}

#[test]
fn kept_classes_are_valued_the_same_with_and_without_the_shared_input_shortcut() {
    // The scenario with an extra (unread) layer differs in its layers, so every transition is
    // run on both maps; the values must equal those of the shortcut (one run for both maps).
    let build = |codes: ndarray::Array1<i32>, extra: bool| {
        let b = LandscapeBuilder::new(Classification::gep_default(), Regions::single("Town"))
            .area_ha(array![1.0, 2.0, 0.5])
            .land_cover(codes)
            .layer("precip_mm", array![1600.0, 1700.0, 1500.0], None)
            .layer("aet_mm", array![800.0, 700.0, 900.0], None);
        let b = if extra {
            b.layer("unused_mm", array![1.0, 1.0, 1.0], None)
        } else {
            b
        };
        b.build().unwrap()
    };
    let base = build(array![11, 52, 51], false);
    let profile = water_profile(4.0, 2015);
    let short =
        ScenarioComparison::run(&profile, &base, &build(array![11, 11, 51], false)).unwrap();
    let full = ScenarioComparison::run(&profile, &base, &build(array![11, 11, 51], true)).unwrap();
    assert_eq!(
        short.transitions().transitions(),
        full.transitions().transitions()
    );
    // 1 ha forest kept: 10 × (1600 − 400 − 800) = 4000 m³ × 4 yuan/m³ under both maps.
    let kept = short.transitions().transitions()[0].clone();
    assert_eq!((kept.from.code, kept.to.code), (11, 11));
    assert_relative_eq!(kept.value_scenario.unwrap(), 16000.0, max_relative = 1e-12);
}

#[test]
fn malformed_index_files_never_panic() {
    let head = "family,year,level,source\n";
    for (text, line, column) in [
        ("", 1, "header"),
        ("# only a comment\n", 1, "header"),
        ("cpi,2015\n", 2, "level"),
        ("cpi\n", 2, "year"),
        ("cpi,2015,NaN,x\n", 2, "level"),
        ("cpi,2015,inf,x\n", 2, "level"),
        ("cpi,2015,0,x\n", 2, "level"),
        (",2015,1,x\n", 2, "family"),
    ] {
        let t = if column == "header" {
            text.to_string()
        } else {
            format!("{head}{text}")
        };
        let e = IndexSet::from_csv_str("i.csv", &t).unwrap_err();
        assert!(
            matches!(e, AnalysisError::IndexFile { line: l, column: c, .. } if l == line && c == column),
            "{t:?}: {e}"
        );
    }
    // Comments, blank lines, a BOM, blanks around cells and commas in the source are fine.
    let s = IndexSet::from_csv_str(
        "i.csv",
        "\u{feff}# indices\nFamily, Year, Level, Source\n\n Water , 2015 , 80 , bureau, table 3\n",
    )
    .unwrap();
    let w = s.get(IndexFamily::Water).unwrap();
    assert_eq!(w.levels[&2015], 80.0);
    assert_eq!(w.source, "bureau, table 3");
}
