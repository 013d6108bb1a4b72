//! Bad input returns a typed error naming the layer, unit and value — never a panic.

mod common;

use common::*;
use gep::error::AccountError;
use gep::params::{ClassTable, ClassValue, Status};
use gep::prelude::*;
use gep::services::ProductivityBasis;
use ndarray::array;

fn builder() -> LandscapeBuilder {
    LandscapeBuilder::new(Classification::gep_default(), regions())
}

#[test]
fn layer_length_mismatch_names_layer_and_lengths() {
    let e = builder()
        .area_ha(array![1.0, 1.0])
        .land_cover(array![11, 11])
        .layer("precip_mm", array![1600.0], None)
        .build()
        .unwrap_err();
    assert_eq!(
        e,
        LandscapeError::LengthMismatch {
            layer: "precip_mm".into(),
            expected: 2,
            len: 1
        }
    );
    assert!(e.to_string().contains("precip_mm") && e.to_string().contains('1'));
}

#[test]
fn area_length_mismatch() {
    let e = builder()
        .area_ha(array![1.0])
        .land_cover(array![11, 11])
        .build()
        .unwrap_err();
    assert!(
        matches!(e, LandscapeError::LengthMismatch { ref layer, expected: 2, len: 1 } if layer == "area_ha")
    );
}

#[test]
fn negative_area_names_unit_and_value() {
    let e = builder()
        .area_ha(array![1.0, -0.5])
        .land_cover(array![11, 11])
        .build()
        .unwrap_err();
    assert_eq!(
        e,
        LandscapeError::InvalidArea {
            unit: 1,
            value: -0.5
        }
    );
    assert!(e.to_string().contains("unit 1") && e.to_string().contains("-0.5"));
}

#[test]
fn nan_area_is_refused() {
    let e = builder()
        .area_ha(array![f64::NAN])
        .land_cover(array![11])
        .build()
        .unwrap_err();
    assert!(matches!(e, LandscapeError::InvalidArea { unit: 0, value } if value.is_nan()));
    let e = builder()
        .uniform_area_ha(f64::INFINITY)
        .land_cover(array![11])
        .build()
        .unwrap_err();
    assert!(matches!(e, LandscapeError::InvalidArea { .. }));
}

#[test]
fn nan_in_layer_not_declared_nodata() {
    let e = builder()
        .area_ha(array![1.0, 1.0, 1.0])
        .land_cover(array![11, 11, 11])
        .layer("aet_mm", array![800.0, 800.0, f32::NAN], Some(-9999.0))
        .build()
        .unwrap_err();
    assert!(matches!(e, LandscapeError::NonFinite { ref layer, unit: 2, .. } if layer == "aet_mm"));
    assert!(e.to_string().contains("-9999"));
    let e = builder()
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("aet_mm", array![f32::INFINITY], None)
        .build()
        .unwrap_err();
    assert!(matches!(e, LandscapeError::NonFinite { unit: 0, .. }));
}

#[test]
fn unknown_land_cover_code_names_unit_and_code() {
    let e = builder()
        .area_ha(array![1.0, 1.0])
        .land_cover(array![11, 99])
        .build()
        .unwrap_err();
    assert_eq!(e, LandscapeError::UnknownLandCover { unit: 1, code: 99 });
}

#[test]
fn region_index_out_of_range() {
    let e = builder()
        .area_ha(array![1.0])
        .land_cover(array![11])
        .region(array![6])
        .build()
        .unwrap_err();
    assert_eq!(
        e,
        LandscapeError::RegionOutOfRange {
            unit: 0,
            region: 6,
            n_regions: 6
        }
    );
}

#[test]
fn missing_columns_and_bad_layer_names() {
    let e = builder().area_ha(array![1.0]).build().unwrap_err();
    assert_eq!(
        e,
        LandscapeError::MissingColumn {
            column: "land_cover"
        }
    );
    let e = builder().land_cover(array![11]).build().unwrap_err();
    assert_eq!(e, LandscapeError::MissingColumn { column: "area_ha" });
    let e = builder()
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("Precip", array![1.0], None)
        .build()
        .unwrap_err();
    assert!(matches!(e, LandscapeError::BadLayerName { .. }));
    let e = builder()
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("precip_mm", array![1.0], None)
        .layer("precip_mm", array![2.0], None)
        .build()
        .unwrap_err();
    assert!(matches!(e, LandscapeError::DuplicateLayer { .. }));
}

#[test]
fn missing_layer_names_service_and_layer() {
    let l = builder()
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("precip_mm", array![1600.0], None)
        .build()
        .unwrap();
    let services = core_services(&GepParams::default()).unwrap();
    let e = Engine::new(&services).run(&l).unwrap_err();
    assert!(matches!(
        e,
        GepError::Landscape(LandscapeError::MissingLayer { ref service, ref layer })
            if service == "water_conservation" && layer == "aet_mm"
    ));
}

#[test]
fn missing_per_class_parameter_names_code() {
    // Drop the runoff coefficient of code 11, which the landscape uses.
    let mut p = GepParams::default();
    p.water_conservation
        .runoff_coefficients
        .rows
        .retain(|r| r.code != 11);
    let e = core_services(&p)
        .and_then(|s| Engine::new(&s).run(&mixed()))
        .unwrap_err();
    assert!(matches!(
        e,
        GepError::Param(ParamError::Missing { ref parameter, code: Some(11), .. }) if parameter == "runoff_coefficient"
    ));
    assert!(e.to_string().contains("code 11"));
}

#[test]
fn class_missing_from_table_but_absent_from_landscape_is_fine() {
    let mut p = GepParams::default();
    p.water_conservation
        .runoff_coefficients
        .rows
        .retain(|r| r.code != 14);
    let a = run(&mixed(), &p);
    assert!(a.total_value() > 0.0);
}

#[test]
fn nep_ratio_basis_without_table_is_missing_parameter() {
    let mut p = GepParams::default();
    p.productivity.basis = ProductivityBasis::NepRatio;
    let e = core_services(&p).unwrap_err();
    assert!(
        matches!(e, GepError::Param(ParamError::Missing { ref parameter, .. }) if parameter.contains("nep_npp_ratio"))
    );
}

#[test]
fn negative_price_is_refused() {
    let p = GepParams::default().with_prices_scaled(-1.0);
    let e = core_services(&p).unwrap_err();
    assert!(matches!(
        e,
        GepError::Param(ParamError::InvalidPrice { ref parameter, value, .. }) if parameter == "reservoir_cost" && value < 0.0
    ));
    let mut p = GepParams::default();
    p.oxygen_release.oxygen_price.value = f64::NAN;
    assert!(matches!(
        core_services(&p),
        Err(GepError::Param(ParamError::InvalidPrice { .. }))
    ));
}

#[test]
fn price_in_wrong_unit_is_refused() {
    let mut p = GepParams::default();
    p.water_conservation.reservoir_cost.per = PhysicalUnit::TonneC;
    let e = core_services(&p).unwrap_err();
    assert!(matches!(e, GepError::Param(ParamError::PriceUnit { .. })));
}

#[test]
fn out_of_range_coefficient_and_duplicate_code() {
    let mut p = GepParams::default();
    p.water_conservation.runoff_coefficients.rows[0].value = Some(1.5);
    assert!(matches!(
        core_services(&p).unwrap_err(),
        GepError::Param(ParamError::OutOfRange { code: Some(11), value, .. }) if value == 1.5
    ));
    let mut p = GepParams::default();
    p.productivity.basis = ProductivityBasis::NepRatio;
    p.productivity.nep_npp_ratio = Some(ClassTable {
        unit: "1".into(),
        source: "t".into(),
        status: Status::User,
        rows: vec![
            ClassValue {
                code: 11,
                value: Some(0.5),
            },
            ClassValue {
                code: 11,
                value: Some(0.4),
            },
        ],
    });
    assert!(matches!(
        core_services(&p).unwrap_err(),
        GepError::Param(ParamError::DuplicateCode { code: 11, .. })
    ));
}

#[test]
fn malformed_parameter_files_give_parse_errors_with_position() {
    let e =
        GepParams::from_toml_str("[water_conservation]\nreservoir_cost = \"cheap\"\n").unwrap_err();
    assert!(
        matches!(e, ParamError::Parse { format: "TOML", ref message } if message.contains("line 2")),
        "{e}"
    );
    let e = GepParams::from_toml_str("[no_such_service]\nx = 1\n").unwrap_err();
    assert!(e.to_string().contains("no_such_service"), "{e}");
    let e = GepParams::from_json_str("{\"water_conservation\": {\"negative_balance\": \"abs\"}}")
        .unwrap_err();
    assert!(matches!(e, ParamError::Parse { format: "JSON", .. }));
}

#[test]
fn invalid_classification_regions_and_grid() {
    assert!(Classification::new(vec![]).is_err());
    assert!(Regions::new(vec![]).is_err());
    assert!(Regions::flat(["a", "a"]).is_err());
    assert!(matches!(
        GridShape::new(0, 5, 30.0),
        Err(LandscapeError::InvalidGrid { what: "rows", .. })
    ));
    assert!(matches!(
        GridShape::new(5, 5, -30.0),
        Err(LandscapeError::InvalidGrid {
            what: "cell width",
            ..
        })
    ));
    assert!(matches!(
        GridShape::new(5, 5, f64::NAN),
        Err(LandscapeError::InvalidGrid { .. })
    ));
    let e = builder()
        .grid(GridShape::new(2, 2, 30.0).unwrap())
        .land_cover(array![11, 11, 11])
        .build()
        .unwrap_err();
    assert!(matches!(
        e,
        LandscapeError::LengthMismatch {
            expected: 3,
            len: 4,
            ..
        }
    ));
}

#[test]
fn engine_configuration_errors() {
    let services: Vec<Box<dyn Service>> = Vec::new();
    assert!(matches!(
        Engine::new(&services).run(&mixed()),
        Err(GepError::Account(AccountError::NoServices))
    ));
    let p = GepParams::default();
    let mut twice = core_services(&p).unwrap();
    twice.extend(core_services(&p).unwrap());
    assert!(matches!(
        Engine::new(&twice).run(&mixed()),
        Err(GepError::Account(AccountError::DuplicateService { .. }))
    ));
    let s = core_services(&p).unwrap();
    assert!(matches!(
        Engine::new(&s).chunk_units(0).run(&mixed()),
        Err(GepError::Account(AccountError::ZeroChunk))
    ));
    assert!(matches!(
        mixed().slice(3..99),
        Err(LandscapeError::RangeOutOfBounds { .. })
    ));
}

#[test]
fn merging_incompatible_accounts_is_refused() {
    let a = run(&mixed(), &GepParams::default());
    let b = run(&mixed(), &GepParams::default().with_prices_scaled(2.0));
    assert!(matches!(
        a.clone().merge(&b),
        Err(AccountError::Incompatible { .. })
    ));
    let single = LandscapeBuilder::new(Classification::gep_default(), Regions::single("X"))
        .area_ha(array![1.0])
        .land_cover(array![11])
        .layer("precip_mm", array![1600.0], None)
        .layer("aet_mm", array![800.0], None)
        .layer("npp_gc_per_m2", array![700.0], None)
        .layer("rh_gc_per_m2", array![300.0], None)
        .build()
        .unwrap();
    let c = run(&single, &GepParams::default());
    assert!(matches!(
        a.merge(&c),
        Err(AccountError::Incompatible { what: "regions" })
    ));
}

#[test]
fn carbon_and_oxygen_on_different_bases_are_refused() {
    use gep::services::ProductivityBasis;
    let p = GepParams::default();
    let mut q = GepParams::default();
    q.productivity.basis = ProductivityBasis::DryMatter;
    let services: Vec<Box<dyn Service>> = vec![
        Box::new(CarbonSequestration::new(
            p.productivity.check().unwrap(),
            p.carbon_sequestration.check().unwrap(),
        )),
        Box::new(OxygenRelease::new(
            q.productivity.check().unwrap(),
            q.oxygen_release.check().unwrap(),
        )),
    ];
    let e = Engine::new(&services).run(&mixed()).unwrap_err();
    assert!(
        matches!(e, GepError::Param(ParamError::InconsistentBasis { ref first, ref second, .. })
            if first == "carbon_sequestration" && second == "oxygen_release"),
        "{e}"
    );
}
