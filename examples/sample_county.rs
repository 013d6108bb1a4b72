//! The GEP account of the built-in sample county ("Yunling County", 300 000 cells of 30 m).
//!
//! ```text
//! cargo run --release --example sample_county [-- --out DIR] [--params FILE.toml]
//! ```
//!
//! Runs the MEE 2020 profile (or `--profile ID`). Prints GEP by category and service, by district and township, and by ecosystem type, then
//! writes `account.json` and `account.csv` into `DIR` (default `target/sample_county`). The files
//! are byte-identical whatever `RAYON_NUM_THREADS` is.

use std::path::PathBuf;
use std::process::ExitCode;

use gep::params::{ClassTable, ClassValue};
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
    let mut out = PathBuf::from("target/sample_county");
    let mut params: Option<GepParams> = None;
    let mut profile_id = "mee2020".to_string();
    let mut all_services = false;
    let mut config = SampleConfig::county();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next().ok_or("--out needs a directory")?.into(),
            "--params" => {
                let path = args.next().ok_or("--params needs a TOML file")?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                params = Some(GepParams::from_toml_str(&text)?);
            }
            "--tiny" => config = SampleConfig::tiny(),
            "--all-services" => all_services = true,
            "--profile" => profile_id = args.next().ok_or("--profile needs an id")?,
            "-h" | "--help" => {
                println!("usage: sample_county [--out DIR] [--profile mee2020|gbt38582_forest|seea_ea] [--params FILE.toml] [--tiny] [--all-services]");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}` (try --help)").into()),
        }
    }

    let sample = SampleCounty::generate(&config)?;
    let landscape = &sample.landscape;
    let mut profile = Profile::builtin(&profile_id)?;
    if all_services {
        // Water purification needs removal rates that METHODS.md does not give: the example
        // sets illustrative (unsourced) rates for marsh (41) and open water (42).
        let mut p = params.take().unwrap_or_default();
        let wp = &mut p.water_purification;
        for (pollutant, marsh, water) in [
            (&mut wp.cod, 2.5, 1.0),
            (&mut wp.nh3n, 0.15, 0.05),
            (&mut wp.tn, 0.3, 0.1),
            (&mut wp.tp, 0.04, 0.01),
        ] {
            pollutant.capacity = ClassTable {
                unit: "t/(ha*yr)".into(),
                source: "illustrative value for the sample county only (not sourced)".into(),
                status: Status::User,
                rows: [11, 12, 13, 14, 21, 31, 41, 42, 51, 52, 61, 71]
                    .into_iter()
                    .map(|code| ClassValue {
                        code,
                        value: match code {
                            41 => Some(marsh),
                            42 => Some(water),
                            _ => None,
                        },
                    })
                    .collect(),
            };
        }
        let mut ids = profile.services.clone();
        ids.extend(["water_purification".to_string(), "pest_control".to_string()]);
        profile = profile.with_params(p).with_services(ids);
        println!("--all-services: adds water purification (illustrative removal rates, not sourced) and pest control;");
        println!(
            "coastal protection is not run: the sample county is inland (no coastline statistic)."
        );
    }
    if let Some(p) = params {
        profile = profile.with_params(p);
    }
    let account = profile.run(landscape)?;

    println!(
        "Yunling County (sample): {} cells of {} m, {:.0} ha with land cover",
        landscape.len(),
        config.cell_size_m,
        account.extent_ha()
    );
    println!();
    print!("{}", account.summary());

    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let json_path = out.join("account.json");
    std::fs::write(&json_path, account.to_json_string()?)
        .map_err(|e| format!("{}: {e}", json_path.display()))?;
    let csv_path = out.join("account.csv");
    let file =
        std::fs::File::create(&csv_path).map_err(|e| format!("{}: {e}", csv_path.display()))?;
    account.write_csv(std::io::BufWriter::new(file))?;
    println!();
    let cat: Vec<f64> = account.value_by_category().iter().map(|c| c.1).collect();
    println!(
        "{} = EPV {:.2} + ERV {:.2} + ECV {:.2} = {:.2} yuan",
        account.label(),
        cat[0],
        cat[1],
        cat[2],
        account.total_value()
    );
    println!("wrote {} and {}", json_path.display(), csv_path.display());
    Ok(())
}
