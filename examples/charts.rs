//! SVG charts of the sample county's account: service shares, GEP by township and by
//! district, and ΔGEP by service between two generated years.
//!
//! ```text
//! cargo run --release --features charts --example charts [-- --tiny] [--out DIR]
//! ```
//!
//! Writes `service_shares.svg`, `gep_by_township.svg`, `gep_by_district.svg` and
//! `delta_gep_by_service.svg` into `DIR` (default `target/charts`). The ΔGEP chart compares the
//! sample county with the same generator under another seed (a stand-in for a second year, to
//! show the chart; real comparisons come from two accounts of one county).

use std::path::PathBuf;
use std::process::ExitCode;

use gep::analysis::charts::{bar_chart_svg, money_scale, write_svg};
use gep::prelude::*;
use gep::sample::{SampleConfig, SampleCounty};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = PathBuf::from("target/charts");
    let mut config = SampleConfig::county();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next().ok_or("--out needs a directory")?.into(),
            "--tiny" => config = SampleConfig::tiny(),
            "-h" | "--help" => {
                println!("usage: charts [--tiny] [--out DIR]");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}` (try --help)").into()),
        }
    }
    let profile = Profile::builtin("mee2020")?;
    let sample = SampleCounty::generate(&config)?;
    let account = profile.run(&sample.landscape)?;
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let total = account.total_value();
    let names: Vec<String> = account.services().iter().map(|s| s.name.clone()).collect();
    let by_service = account.value_by_service();

    let shares: Vec<f64> = by_service.iter().map(|v| 100.0 * v / total).collect();
    let (div, unit) = money_scale(&[total]);
    let svg = bar_chart_svg(
        &format!(
            "Yunling County (sample): share of GEP by service (GEP {:.2} {unit})",
            total / div
        ),
        &names,
        &shares,
        "share of total GEP (%)",
    )?;
    write_svg(out.join("service_shares.svg"), &svg)?;

    let regions = account.regions();
    let own = account.value_by_region();
    let rollup = account.value_by_region_rollup();
    let leaves: Vec<usize> = (0..regions.len())
        .filter(|&r| !(0..regions.len()).any(|c| regions.ancestors(c).next() == Some(r)))
        .collect();
    let district_level: Vec<usize> = (0..regions.len())
        .filter(|&r| regions.depth(r) == 1)
        .collect();
    for (file, level, idx, values) in [
        ("gep_by_township.svg", "township", &leaves, &own),
        ("gep_by_district.svg", "district", &district_level, &rollup),
    ] {
        let v: Vec<f64> = idx.iter().map(|&r| values[r]).collect();
        let (div, unit) = money_scale(&v);
        let labels: Vec<String> = idx
            .iter()
            .map(|&r| regions.get(r).map(|g| g.name.clone()).unwrap_or_default())
            .collect();
        let scaled: Vec<f64> = v.iter().map(|x| x / div).collect();
        let svg = bar_chart_svg(
            &format!("Yunling County (sample): GEP by {level} ({unit})"),
            &labels,
            &scaled,
            &format!("GEP ({unit})"),
        )?;
        write_svg(out.join(file), &svg)?;
    }

    let mut other = config.clone();
    other.seed += 1;
    let other_sample = SampleCounty::generate(&other)?;
    let other_account = profile.run(&other_sample.landscape)?;
    let delta: Vec<f64> = other_account
        .value_by_service()
        .iter()
        .zip(&by_service)
        .map(|(b, a)| b - a)
        .collect();
    let (div, unit) = money_scale(&delta);
    let scaled: Vec<f64> = delta.iter().map(|x| x / div).collect();
    let svg = bar_chart_svg(
        &format!(
            "ΔGEP by service: seed {} − seed {} ({unit})",
            other.seed, config.seed
        ),
        &names,
        &scaled,
        &format!("ΔGEP ({unit})"),
    )?;
    write_svg(out.join("delta_gep_by_service.svg"), &svg)?;
    println!(
        "wrote service_shares.svg, gep_by_township.svg, gep_by_district.svg and delta_gep_by_service.svg into {}",
        out.display()
    );
    Ok(())
}
