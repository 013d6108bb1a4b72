//! One-at-a-time sensitivity of the sample county's GEP to every numeric parameter (issue #8).
//!
//! ```text
//! cargo run --release --features charts --example sensitivity [-- --top 15] [--tiny] [--out DIR]
//! ```
//!
//! Elasticity = (ΔGEP/GEP)/(Δp/p) by central differences at ±1 %; class tables are scaled as a
//! whole. Prints the ranking, writes `sensitivity.csv` (every parameter) and
//! `sensitivity_tornado.svg` (the `--top` largest, ΔGEP in % with the parameter at −10 % and
//! +10 %, extrapolated linearly from the elasticity) into `DIR` (default
//! `target/sensitivity`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use gep::analysis::charts::{tornado_svg, write_svg};
use gep::analysis::sensitivity::Sensitivity;
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
    let mut out = PathBuf::from("target/sensitivity");
    let mut top = 15;
    let mut config = SampleConfig::county();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next().ok_or("--out needs a directory")?.into(),
            "--top" => top = args.next().ok_or("--top needs a number")?.parse()?,
            "--tiny" => config = SampleConfig::tiny(),
            "-h" | "--help" => {
                println!("usage: sensitivity [--top N] [--tiny] [--out DIR]");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}` (try --help)").into()),
        }
    }
    let sample = SampleCounty::generate(&config)?;
    let profile = Profile::builtin("mee2020")?;
    let t0 = Instant::now();
    let result = Sensitivity::default().run(&profile, &sample.landscape)?;
    println!(
        "Yunling County (sample), profile mee2020: {} parameters in {:.2} s; base GEP {:.4e} yuan",
        result.ranked.len(),
        t0.elapsed().as_secs_f64(),
        result.base_total
    );
    println!();
    println!(
        "{:>4}  {:>11}  {:<9} parameter",
        "rank", "elasticity", "kind"
    );
    for (i, e) in result.ranked.iter().enumerate() {
        let kind = format!("{:?}", e.kind).to_lowercase();
        match e.elasticity {
            Some(x) if x != 0.0 => println!("{:>4}  {x:>11.5}  {kind:<9} {}", i + 1, e.path),
            Some(_) => {}
            None => println!(
                "{:>4}  {:>11}  {kind:<9} {} ({:?})",
                i + 1,
                "-",
                e.path,
                e.status
            ),
        }
    }
    let zero = result
        .ranked
        .iter()
        .filter(|e| e.elasticity == Some(0.0))
        .count();
    println!(
        "({zero} parameters with elasticity 0: not used by the profile's services, or capped)"
    );

    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let csv = out.join("sensitivity.csv");
    std::fs::write(&csv, result.to_csv()).map_err(|e| format!("{}: {e}", csv.display()))?;
    let shown: Vec<_> = result
        .ranked
        .iter()
        .filter(|e| e.elasticity.is_some_and(|x| x != 0.0))
        .take(top)
        .collect();
    let labels: Vec<String> = shown
        .iter()
        .map(|e| e.path.trim_end_matches(".value").to_string())
        .collect();
    let low: Vec<f64> = shown
        .iter()
        .map(|e| -10.0 * e.elasticity.unwrap_or(0.0))
        .collect();
    let high: Vec<f64> = shown
        .iter()
        .map(|e| 10.0 * e.elasticity.unwrap_or(0.0))
        .collect();
    let svg = tornado_svg(
        &format!("Sensitivity of total GEP: top {} parameters", shown.len()),
        &labels,
        &low,
        &high,
        "ΔGEP (%) with the parameter at −10 % / +10 % (elasticity × 10)",
    )?;
    let tornado = out.join("sensitivity_tornado.svg");
    write_svg(&tornado, &svg)?;
    println!("wrote {} and {}", csv.display(), tornado.display());
    Ok(())
}
