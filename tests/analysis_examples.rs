//! The analysis examples (constant prices, scenario, SEEA) run on the tiny sample county, print
//! the library's figures and write byte-identical tables with 1 and 2 threads.

mod example_runner;
use example_runner::out_dir;

use std::path::Path;

use gep::analysis::prices::{reprice_account, Decomposition, IndexSet};
use gep::analysis::scenario::ScenarioComparison;
use gep::analysis::seea::Reconciliation;
use gep::prelude::*;
use gep::sample::{land_use_plan, SampleConfig, SampleCounty};

fn run_example(name: &str, dir: &Path, threads: usize) -> String {
    let d = dir.to_str().unwrap();
    example_runner::run_example(name, &["--tiny", d], threads).replace(d, "")
}

/// Runs an example on 1 and 2 threads; returns its output after checking that the output and
/// every file are identical.
fn run_twice(name: &str, files: &[&str]) -> String {
    let d1 = out_dir(&format!("{name}_1"));
    let d2 = out_dir(&format!("{name}_2"));
    let s1 = run_example(name, &d1, 1);
    let s2 = run_example(name, &d2, 2);
    assert_eq!(s1, s2);
    for f in files {
        let a = std::fs::read(d1.join(f)).unwrap();
        let b = std::fs::read(d2.join(f)).unwrap();
        assert!(a.len() > 40, "{f} is empty");
        assert_eq!(a, b, "{f} differs between 1 and 2 threads");
    }
    s1
}

fn line<'a>(s: &'a str, prefix: &str) -> &'a str {
    s.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line `{prefix}` in\n{s}"))
}

#[test]
fn constant_prices_example_prints_the_library_decomposition() {
    let s = run_twice(
        "constant_prices",
        &[
            "decomposition.csv",
            "constant_prices_by_service.csv",
            "intensities_2015.csv",
            "intensities_2020.csv",
        ],
    );
    let cfg = SampleConfig::tiny();
    let base = SampleCounty::generate(&cfg).unwrap().landscape;
    let idx = IndexSet::illustrative();
    let a0 = reprice_account(&Profile::mee2020().run(&base).unwrap(), &idx, 2015).unwrap();
    let a1 = reprice_account(
        &Profile::mee2020()
            .run(&land_use_plan(&base).unwrap())
            .unwrap(),
        &idx,
        2020,
    )
    .unwrap();
    let t = Decomposition::new(&a0, &a1).unwrap().total();
    assert_eq!(
        line(&s, "GEP 2020 at 2015 prices"),
        format!("GEP 2020 at 2015 prices: {:.2} yuan", t.value_1_at_prices_0)
    );
    assert_eq!(
        line(&s, "change "),
        format!(
            "change {:.2} = quantity effect {:.2} + price effect {:.2} + interaction {:.2} yuan",
            t.change, t.quantity_effect, t.price_effect, t.interaction
        )
    );
    assert!(line(&s, "Yunling").contains("ILLUSTRATIVE"));
}

#[test]
fn scenario_example_prints_the_library_change() {
    let s = run_twice(
        "scenario",
        &[
            "delta_by_service.csv",
            "delta_by_region.csv",
            "delta_by_ecosystem.csv",
            "transitions.csv",
        ],
    );
    let cfg = SampleConfig::tiny();
    let base = SampleCounty::generate(&cfg).unwrap().landscape;
    let c = ScenarioComparison::run(&Profile::mee2020(), &base, &land_use_plan(&base).unwrap())
        .unwrap();
    let t = c.total();
    assert_eq!(
        line(&s, "GEP today"),
        format!(
            "GEP today {:.2} yuan, under the plan {:.2} yuan, change {:+.2} yuan",
            t.baseline,
            t.scenario,
            t.delta()
        )
    );
    assert!(t.delta() > 0.0);
    assert!(s.contains("dryland (52) -> evergreen_broadleaf_forest (11)"));
}

#[test]
fn seea_example_prints_the_library_aggregate() {
    let s = run_twice(
        "seea",
        &[
            "extent.csv",
            "extent_change_matrix.csv",
            "supply_physical.csv",
            "supply_monetary.csv",
            "use_physical.csv",
            "use_monetary.csv",
            "reconciliation.csv",
        ],
    );
    let base = SampleCounty::generate(&SampleConfig::tiny())
        .unwrap()
        .landscape;
    let r = Reconciliation::from_account(&Profile::mee2020().run(&base).unwrap());
    assert_eq!(
        line(&s, "GEP "),
        format!(
            "GEP {:.2} CNY; SEEA aggregate (dropped and excluded lines removed) {:.2} CNY",
            r.gep_total, r.seea_aggregate
        )
    );
    assert!(s.contains("dropped     oxygen_release"));
}
