//! One-at-a-time elasticities on the tiny sample county, against values known exactly.
#![cfg(feature = "json")]

use approx::assert_relative_eq;
use gep::analysis::sensitivity::{Sensitivity, Status};
use gep::analysis::uncertainty::ParamKind;
use gep::error::{AnalysisError, GepError};
use gep::prelude::*;
use gep::sample::{SampleConfig, SampleCounty};

fn setup() -> (Landscape, Profile, Account) {
    let landscape = SampleCounty::generate(&SampleConfig::tiny())
        .unwrap()
        .landscape;
    let profile = Profile::builtin("mee2020").unwrap();
    let account = profile.run(&landscape).unwrap();
    (landscape, profile, account)
}

fn component_value(account: &Account, service: &str, component: &str) -> f64 {
    let k = account.component_key(service, component).unwrap();
    account.value_by_component()[k.global]
}

#[test]
fn price_elasticity_is_the_service_share() {
    // GEP = V_O2 + rest with V_O2 proportional to the oxygen price: e = V_O2 / GEP exactly
    // (central difference of a linear function; tolerance covers rounding / 0.02).
    let (landscape, profile, account) = setup();
    let r = Sensitivity::default()
        .only(["oxygen_release.", "carbon_sequestration.carbon_price"])
        .run(&profile, &landscape)
        .unwrap();
    let total = account.total_value();
    let oxygen = r.get("oxygen_release.oxygen_price.value").unwrap();
    assert_eq!(oxygen.kind, ParamKind::Price);
    assert_eq!(oxygen.status, Status::Central);
    let share = component_value(&account, "oxygen_release", "o2") / total;
    assert!(share > 0.01);
    assert_relative_eq!(oxygen.elasticity.unwrap(), share, max_relative = 1e-9);
    let carbon = r.get("carbon_sequestration.carbon_price.value").unwrap();
    let i = account
        .services()
        .iter()
        .position(|s| s.id == "carbon_sequestration")
        .unwrap();
    assert_relative_eq!(
        carbon.elasticity.unwrap(),
        account.value_by_service()[i] / total,
        max_relative = 1e-9
    );
    assert_relative_eq!(r.base_total, total, max_relative = 1e-14);
}

#[test]
fn physical_coefficients_linear_and_reciprocal() {
    // Sediment m³ = retained soil t × SDR / ρ (METHODS §2.5), valued at the dredging cost.
    // SDR is a linear coefficient: e = V_sediment / GEP.
    // ρ enters as 1/ρ: central difference ((1/1.01 − 1/0.99)/0.02) = −1/(1 − 0.01²) = −1/0.9999,
    // so e = −(V_sediment / GEP) / 0.9999.
    let (landscape, profile, account) = setup();
    let r = Sensitivity::default()
        .only([
            "soil_conservation.sediment_deposition_ratio",
            "soil_conservation.soil_bulk_density_t_per_m3",
        ])
        .run(&profile, &landscape)
        .unwrap();
    assert_eq!(r.ranked.len(), 2);
    let share = component_value(&account, "soil_conservation", "sediment") / account.total_value();
    assert!(share > 1e-4, "{share}");
    let sdr = r
        .get("soil_conservation.sediment_deposition_ratio.value")
        .unwrap();
    assert_eq!(sdr.kind, ParamKind::Physical);
    assert_relative_eq!(sdr.elasticity.unwrap(), share, max_relative = 1e-8);
    let rho = r
        .get("soil_conservation.soil_bulk_density_t_per_m3.value")
        .unwrap();
    assert_relative_eq!(
        rho.elasticity.unwrap(),
        -share / 0.9999,
        max_relative = 1e-8
    );
}

#[test]
fn ranking_zero_values_and_one_sided_differences() {
    let (landscape, profile, _) = setup();
    let r = Sensitivity::default()
        .only([
            "oxygen_release.",
            "soil_conservation.support_practice_p",
            "recreation.nature_share",
            "pest_control",
        ])
        .run(&profile, &landscape)
        .unwrap();
    // Ranked by |elasticity|, parameters without one last.
    let e: Vec<Option<f64>> = r.ranked.iter().map(|e| e.elasticity).collect();
    let known: Vec<f64> = e.iter().flatten().map(|x| x.abs()).collect();
    assert!(known.windows(2).all(|w| w[0] >= w[1]), "{e:?}");
    assert!(e.iter().skip_while(|x| x.is_some()).all(|x| x.is_none()));
    // A fraction at its upper bound 1 cannot go to 1.01: backward difference.
    let share = r.get("recreation.nature_share.value").unwrap();
    assert!(
        matches!(share.status, Status::Backward | Status::Central),
        "{:?}",
        share.status
    );
    assert!(r.to_csv().starts_with("rank,path,kind,"));
    assert_eq!(r.to_csv().lines().count(), r.ranked.len() + 1);
}

#[test]
fn zero_valued_parameter_is_reported_as_such() {
    let (landscape, mut profile, _) = setup();
    profile
        .params
        .climate_regulation
        .humidifier_kwh_per_m3
        .value = 0.0;
    let r = Sensitivity::default()
        .only(["climate_regulation.humidifier_kwh_per_m3"])
        .run(&profile, &landscape)
        .unwrap();
    let e = &r.ranked[0];
    assert_eq!(e.status, Status::ZeroValue);
    assert_eq!(e.elasticity, None);
    assert_eq!(e.base_value, 0.0);
}

#[test]
fn bad_settings_are_typed_errors() {
    let (landscape, profile, _) = setup();
    let e = Sensitivity::default()
        .only(["no_such_service"])
        .run(&profile, &landscape)
        .unwrap_err();
    assert!(
        matches!(e, GepError::Analysis(AnalysisError::Zero { .. })),
        "{e}"
    );
    let e = Sensitivity::default()
        .step(-0.1)
        .run(&profile, &landscape)
        .unwrap_err();
    assert!(e.to_string().contains("-0.1"), "{e}");
}
