//! The uncertainty, sensitivity and charts examples run on the tiny county, print the
//! library's figures, and write byte-identical files on 1 and 2 threads.
#![cfg(all(feature = "charts", feature = "json"))]

mod example_runner;
use example_runner::{out_dir, run_example};

use std::path::Path;

use approx::assert_relative_eq;
use gep::prelude::*;
use gep::sample::{SampleConfig, SampleCounty};

fn same_files(d1: &Path, d2: &Path, files: &[&str]) {
    for f in files {
        let a = std::fs::read(d1.join(f)).unwrap();
        let b = std::fs::read(d2.join(f)).unwrap();
        assert!(!a.is_empty(), "{f} is empty");
        assert_eq!(a, b, "{f} differs between 1 and 2 threads");
    }
}

fn tiny_account() -> Account {
    let sample = SampleCounty::generate(&SampleConfig::tiny()).unwrap();
    Profile::mee2020().run(&sample.landscape).unwrap()
}

#[test]
fn uncertainty_example_is_reproducible_and_prints_the_account() {
    let (d1, d2) = (out_dir("uncertainty_1"), out_dir("uncertainty_2"));
    let args = |d: &Path| {
        vec![
            "--tiny".to_string(),
            "--draws".into(),
            "40".into(),
            "--lhs".into(),
            "--out".into(),
            d.to_str().unwrap().into(),
        ]
    };
    let a1 = args(&d1);
    let a2 = args(&d2);
    let s1 = run_example(
        "uncertainty",
        &a1.iter().map(String::as_str).collect::<Vec<_>>(),
        1,
    );
    run_example(
        "uncertainty",
        &a2.iter().map(String::as_str).collect::<Vec<_>>(),
        2,
    );
    same_files(
        &d1,
        &d2,
        &[
            "uncertainty_summary.csv",
            "uncertainty_draws.csv",
            "uncertainty_histogram.svg",
        ],
    );
    // The "account" column of the total row is the library's GEP in 10^8 yuan.
    let line = s1.lines().find(|l| l.starts_with("total GEP")).unwrap();
    let printed: f64 = line.split_whitespace().nth(2).unwrap().parse().unwrap();
    assert_relative_eq!(
        printed,
        tiny_account().total_value() / 1e8,
        max_relative = 1e-3
    );
    let csv = std::fs::read_to_string(d1.join("uncertainty_summary.csv")).unwrap();
    assert!(csv.lines().nth(1).unwrap().starts_with("total,gep,40,"));
}

#[test]
fn sensitivity_example_ranks_the_climate_price_first() {
    let (d1, d2) = (out_dir("sensitivity_1"), out_dir("sensitivity_2"));
    run_example("sensitivity", &["--tiny", "--out", d1.to_str().unwrap()], 1);
    run_example("sensitivity", &["--tiny", "--out", d2.to_str().unwrap()], 2);
    same_files(&d1, &d2, &["sensitivity.csv", "sensitivity_tornado.svg"]);
    // Climate regulation is the largest service of the sample county; its electricity price
    // has the elasticity of its share of GEP.
    let account = tiny_account();
    let i = account
        .services()
        .iter()
        .position(|s| s.id == "climate_regulation")
        .unwrap();
    let share = account.value_by_service()[i] / account.total_value();
    let csv = std::fs::read_to_string(d1.join("sensitivity.csv")).unwrap();
    let first: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(first[1], "climate_regulation.electricity_price.value");
    assert_relative_eq!(first[5].parse::<f64>().unwrap(), share, max_relative = 1e-9);
}

#[test]
fn charts_example_writes_the_four_charts() {
    let d = out_dir("charts");
    run_example("charts", &["--tiny", "--out", d.to_str().unwrap()], 2);
    for f in [
        "service_shares.svg",
        "gep_by_township.svg",
        "gep_by_district.svg",
        "delta_gep_by_service.svg",
    ] {
        let svg = std::fs::read_to_string(d.join(f)).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains("10^8 yuan") || svg.contains("(%)"),
            "{f}"
        );
    }
}
