//! Monte Carlo uncertainty of the sample county's GEP (issue #8).
//!
//! ```text
//! cargo run --release --features charts --example uncertainty [-- --draws 1000] [--lhs]
//!     [--physical] [--time-full N] [--tiny] [--out DIR]
//! ```
//!
//! The contested prices carry distributions (factors on the defaults; the ranges are
//! illustrative, not sourced): reservoir cost ×Tri(0.6, 1, 1.5), electricity price
//! ×U(0.75, 1.5), oxygen price ×Tri(0.4, 1, 1.3), carbon price ×LogN(mean 1, sd 0.35).
//! These are all prices, so the physical pass runs once and each draw only revalues it.
//! `--physical` adds the runoff-coefficient table ×U(0.8, 1.2), which recomputes every draw.
//! `--time-full N` also times N draws forced through full recomputation (same prices plus a
//! zero-variance physical parameter) and prints the cost per draw of both paths.
//!
//! Prints mean, median and the 5–95 % interval of total GEP and of each service; writes
//! `uncertainty_summary.csv`, `uncertainty_draws.csv` and `uncertainty_histogram.svg` into
//! `DIR` (default `target/uncertainty`). Output is identical for any `RAYON_NUM_THREADS`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use gep::analysis::charts::{histogram_svg, money_scale, write_svg};
use gep::analysis::uncertainty::{Distribution, MonteCarlo, Sampling, UncertainParameter};
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

fn price_parameters() -> Vec<UncertainParameter> {
    vec![
        UncertainParameter::factor(
            "water_conservation.reservoir_cost.value",
            Distribution::Triangular {
                min: 0.6,
                mode: 1.0,
                max: 1.5,
            },
        ),
        UncertainParameter::factor(
            "climate_regulation.electricity_price.value",
            Distribution::Uniform {
                min: 0.75,
                max: 1.5,
            },
        ),
        UncertainParameter::factor(
            "oxygen_release.oxygen_price.value",
            Distribution::Triangular {
                min: 0.4,
                mode: 1.0,
                max: 1.3,
            },
        ),
        UncertainParameter::factor(
            "carbon_sequestration.carbon_price.value",
            Distribution::lognormal_from_mean_sd(1.0, 0.35),
        ),
    ]
}

const RUNOFF: &str = "water_conservation.runoff_coefficients.rows[*].value";

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = PathBuf::from("target/uncertainty");
    let mut draws = 1000;
    let mut sampling = Sampling::Random;
    let mut physical = false;
    let mut time_full: Option<usize> = None;
    let mut config = SampleConfig::county();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next().ok_or("--out needs a directory")?.into(),
            "--draws" => draws = args.next().ok_or("--draws needs a number")?.parse()?,
            "--lhs" => sampling = Sampling::LatinHypercube,
            "--physical" => physical = true,
            "--time-full" => {
                time_full = Some(args.next().ok_or("--time-full needs a number")?.parse()?)
            }
            "--tiny" => config = SampleConfig::tiny(),
            "-h" | "--help" => {
                println!("usage: uncertainty [--draws N] [--lhs] [--physical] [--time-full N] [--tiny] [--out DIR]");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}` (try --help)").into()),
        }
    }
    let sample = SampleCounty::generate(&config)?;
    let landscape = &sample.landscape;
    let profile = Profile::builtin("mee2020")?;
    let account = profile.run(landscape)?;

    let mut mc = MonteCarlo::new(draws, 2026).sampling(sampling);
    for p in price_parameters() {
        mc = mc.parameter(p);
    }
    if physical {
        mc = mc.parameter(UncertainParameter::factor(
            RUNOFF,
            Distribution::Uniform { min: 0.8, max: 1.2 },
        ));
    }
    let t0 = Instant::now();
    let result = mc.run(&profile, landscape)?;
    let seconds = t0.elapsed().as_secs_f64();

    let (div, unit) = money_scale(&[account.total_value()]);
    println!(
        "Yunling County (sample), profile mee2020: {draws} draws ({:?}), {}",
        sampling,
        if result.price_only {
            "prices only: physical pass reused"
        } else {
            "physical parameters: full recomputation per draw"
        }
    );
    println!(
        "{} draws in {seconds:.2} s ({:.2} ms per draw)",
        draws,
        1e3 * seconds / draws as f64
    );
    println!();
    println!(
        "{:<56} {:>10} {:>10} {:>10} {:>10} {:>10}   ({unit})",
        "", "account", "mean", "median", "5 %", "95 %"
    );
    let row = |name: &str, base: f64, s: &gep::analysis::uncertainty::Summary| {
        println!(
            "{name:<56} {:>10.3} {:>10.3} {:>10.3} {:>10.3} {:>10.3}",
            base / div,
            s.mean / div,
            s.median / div,
            s.p05 / div,
            s.p95 / div
        );
    };
    row("total GEP", account.total_value(), &result.total);
    for ((record, base), s) in account
        .services()
        .iter()
        .zip(account.value_by_service())
        .zip(&result.services)
    {
        row(&record.name, base, s);
    }

    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let summary = out.join("uncertainty_summary.csv");
    std::fs::write(&summary, result.summary_csv())
        .map_err(|e| format!("{}: {e}", summary.display()))?;
    let draws_csv = out.join("uncertainty_draws.csv");
    std::fs::write(&draws_csv, result.draws_csv())
        .map_err(|e| format!("{}: {e}", draws_csv.display()))?;
    let scaled: Vec<f64> = result.total_draws.iter().map(|v| v / div).collect();
    let svg = histogram_svg(
        &format!("Total GEP of the sample county, {draws} Monte Carlo draws ({unit})"),
        &scaled,
        40,
        &format!("total GEP ({unit})"),
        &[
            ("mean".into(), result.total.mean / div),
            ("5 %".into(), result.total.p05 / div),
            ("95 %".into(), result.total.p95 / div),
            ("account".into(), account.total_value() / div),
        ],
    )?;
    let hist = out.join("uncertainty_histogram.svg");
    write_svg(&hist, &svg)?;
    println!();
    println!(
        "wrote {}, {} and {}",
        summary.display(),
        draws_csv.display(),
        hist.display()
    );

    if let Some(n) = time_full {
        // Same prices, plus a zero-variance physical parameter: every draw recomputes physics.
        let mut full = MonteCarlo::new(n, 2026).sampling(sampling);
        for p in price_parameters() {
            full = full.parameter(p);
        }
        let full = full.parameter(UncertainParameter::factor(
            RUNOFF,
            Distribution::Triangular {
                min: 1.0,
                mode: 1.0,
                max: 1.0,
            },
        ));
        let t0 = Instant::now();
        let r = full.run(&profile, landscape)?;
        let full_seconds = t0.elapsed().as_secs_f64();
        let same = r
            .total_draws
            .iter()
            .zip(&result.total_draws)
            .all(|(a, b)| (a - b).abs() <= 1e-9 * b.abs());
        let per_full = full_seconds / n as f64;
        let per_price = seconds / draws as f64;
        println!();
        println!(
            "full recomputation: {n} draws in {full_seconds:.2} s ({:.2} ms per draw); price-only {:.3} ms per draw: {:.0}x cheaper; same totals: {same}",
            1e3 * per_full,
            1e3 * per_price,
            per_full / per_price
        );
    }
    Ok(())
}
