//! Parameter files: defaults carry sources; TOML and JSON round-trip; partial files override.

use gep::params::{GepParams, Status};
use gep::units::PhysicalUnit;

#[test]
fn every_default_price_has_value_unit_year_source_and_status() {
    let p = GepParams::default();
    for (name, price) in [
        ("reservoir_cost", &p.water_conservation.reservoir_cost),
        ("carbon_price", &p.carbon_sequestration.carbon_price),
        ("oxygen_price", &p.oxygen_release.oxygen_price),
    ] {
        assert!(price.value > 0.0, "{name}");
        assert!(price.price_year >= 2000, "{name}");
        assert!(!price.source.is_empty(), "{name}");
        assert_ne!(price.status, Status::User, "{name}");
    }
    // The register's numbers (METHODS.md §2.16).
    assert_eq!(p.water_conservation.reservoir_cost.value, 6.1107);
    assert_eq!(
        p.water_conservation.reservoir_cost.per,
        PhysicalUnit::CubicMetre
    );
    assert_eq!(p.oxygen_release.oxygen_price.value, 1000.0);
    assert_eq!(
        p.carbon_sequestration.carbon_price.per,
        PhysicalUnit::TonneC
    );
    p.check().unwrap();
}

#[test]
fn toml_round_trip_is_lossless() {
    let p = GepParams::default();
    let text = p.to_toml_string().unwrap();
    assert!(text.contains("6.1107"));
    assert_eq!(GepParams::from_toml_str(&text).unwrap(), p);
}

#[test]
fn json_partial_override_keeps_other_defaults() {
    let p = GepParams::from_json_str(
        r#"{"oxygen_release": {"oxygen_price": {"value": 727, "per": "tonne_o2", "price_year": 2010,
            "source": "Pema Dolkar et al. 2017 (Garze)", "status": "verified"}}}"#,
    )
    .unwrap();
    assert_eq!(p.oxygen_release.oxygen_price.value, 727.0);
    assert_eq!(p.oxygen_release.oxygen_price.price_year, 2010);
    assert_eq!(
        p.water_conservation,
        GepParams::default().water_conservation
    );
}

#[test]
fn empty_file_is_the_default_set() {
    assert_eq!(GepParams::from_toml_str("").unwrap(), GepParams::default());
}

#[test]
fn default_runoff_coefficients_match_the_published_table() {
    // data/runoff_coefficients_by_ecosystem.csv (MEE 2017 red-line guideline annex).
    let table = include_str!("../data/runoff_coefficients_by_ecosystem.csv");
    let alpha = |name: &str| -> f64 {
        table
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|f| f.len() == 3 && f[1] == name)
            .and_then(|f| f[2].trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} not in the table"))
    };
    let p = GepParams::default();
    let rows = &p.water_conservation.runoff_coefficients.rows;
    let get = |code: i32| {
        rows.iter()
            .find(|r| r.code == code)
            .and_then(|r| r.value)
            .unwrap()
    };
    assert_eq!(get(11), alpha("evergreen_broadleaf_forest"));
    assert_eq!(get(12), alpha("evergreen_coniferous_forest"));
    assert_eq!(get(13), alpha("mixed_coniferous_broadleaf_forest"));
    assert_eq!(get(14), alpha("deciduous_broadleaf_forest"));
    assert_eq!(get(21), alpha("evergreen_broadleaf_shrub"));
    assert_eq!(get(31), alpha("tussock_grass"));
}
