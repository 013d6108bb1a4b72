//! The examples run, print the figures the library computes, and write byte-identical files
//! whatever the number of threads.

mod example_runner;
use example_runner::{out_dir, run_example};

use gep::prelude::*;
use gep::sample::{SampleConfig, SampleCounty};

#[test]
fn sample_county_example_prints_gep_and_writes_identical_files_on_1_and_2_threads() {
    let d1 = out_dir("sample_county_1");
    let d2 = out_dir("sample_county_2");
    let s1 = run_example(
        "sample_county",
        &["--tiny", "--out", d1.to_str().unwrap()],
        1,
    );
    let s2 = run_example(
        "sample_county",
        &["--tiny", "--out", d2.to_str().unwrap()],
        2,
    );
    assert_eq!(
        s1.replace(d1.to_str().unwrap(), ""),
        s2.replace(d2.to_str().unwrap(), "")
    );
    for f in ["account.json", "account.csv"] {
        let a = std::fs::read(d1.join(f)).unwrap();
        let b = std::fs::read(d2.join(f)).unwrap();
        assert!(!a.is_empty());
        assert_eq!(a, b, "{f} differs between 1 and 2 threads");
    }
    // The printed GEP is the library's figure for the same county.
    let sample = SampleCounty::generate(&SampleConfig::tiny()).unwrap();
    let account = Profile::mee2020().run(&sample.landscape).unwrap();
    let cat = account.value_by_category();
    let line = s1
        .lines()
        .find(|l| l.starts_with("GEP = "))
        .expect("a GEP line");
    assert_eq!(
        line,
        format!(
            "GEP = EPV {:.2} + ERV {:.2} + ECV {:.2} = {:.2} yuan",
            cat[0].1,
            cat[1].1,
            cat[2].1,
            account.total_value()
        )
    );
    assert!(cat[0].1 > 0.0 && cat[1].1 > 0.0 && cat[2].1 > 0.0);
    for heading in [
        "by category and service",
        "by region",
        "by ecosystem type",
        "Beishan District",
        "forest",
        "provisioning (EPV)",
        "cultural (ECV)",
        "Profile `mee2020`",
    ] {
        assert!(s1.contains(heading), "missing `{heading}` in:\n{s1}");
    }
    let json = std::fs::read_to_string(d1.join("account.json")).unwrap();
    assert!(json.contains("\"format\": \"gep-account/1\""));
    let csv = std::fs::read_to_string(d1.join("account.csv")).unwrap();
    assert!(csv.starts_with(
        "service,component,unit,region,class_code,class,ecosystem,quantity,value_cny\n"
    ));
}

#[cfg(all(feature = "geotiff", feature = "toml", feature = "json"))]
#[test]
fn gep_example_runs_the_sample_written_as_files_to_the_sample_county_gep() {
    let d = out_dir("gep_sample");
    let s = run_example("gep", &["--write-sample", d.to_str().unwrap(), "--tiny"], 2);
    assert!(s.contains("wrote the sample county"), "{s}");
    let run_toml = d.join("run.toml");
    let printed = run_example("gep", &[run_toml.to_str().unwrap()], 2);
    let sample = SampleCounty::generate(&SampleConfig::tiny()).unwrap();
    let account = Profile::mee2020().run(&sample.landscape).unwrap();
    let expected = format!("GEP = {:.2} CNY", account.total_value());
    assert!(
        printed.contains(&expected),
        "`{expected}` not in:\n{printed}"
    );
    assert!(printed.contains("coverage: 1920 cells"), "{printed}");
    for f in [
        "account.json",
        "account.csv",
        "carbon_sequestration_value.tif",
    ] {
        assert!(d.join("out").join(f).is_file(), "{f}");
    }
}
