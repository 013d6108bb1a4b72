//! Runs a GEP account from a configuration file on your own rasters and tables.
//!
//! ```text
//! cargo run --release --example gep -- run.toml
//! cargo run --release --example gep -- --write-sample DIR [--tiny]
//! cargo run --release --example gep -- --write-synthetic DIR ROWS COLS [MEMORY_MB]
//! ```
//!
//! The first form reads `run.toml` (see `gep::run::RunConfig` and the README section "Running
//! on your own files"), computes the account — block by block in bounded memory when the file
//! has a `[stream]` section — with a progress bar on stderr, prints a short summary and the
//! coverage of the inputs, and writes `account.csv`, `account.json` and the requested per-cell
//! value maps into the output directory.
//!
//! The second form writes the built-in sample county (`gep::sample`) as GeoTIFFs, CSV tables
//! and a `run.toml`; running that file gives the same GEP as `examples/sample_county.rs`.
//!
//! The third writes a deterministic synthetic landscape of `ROWS × COLS` 30 m cells (land
//! cover, 100 districts, precipitation, ET, NPP, Rh; DEFLATE GeoTIFFs written block by block)
//! and a `run.toml` that streams water, carbon and oxygen in `MEMORY_MB` (default 512): the
//! test of a run larger than memory (`--write-synthetic /tmp/big 20000 20000`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use gep::run::{execute, write_sample, write_synthetic, Progress, RunConfig, Stage};
use gep::sample::SampleConfig;

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
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("-h" | "--help") => {
            println!("usage: gep RUN.toml | gep --write-sample DIR [--tiny] | gep --write-synthetic DIR ROWS COLS [MEMORY_MB]");
            Ok(())
        }
        Some("--write-sample") => {
            let dir = PathBuf::from(args.get(1).ok_or("--write-sample needs a directory")?);
            let config = match args.get(2).map(String::as_str) {
                Some("--tiny") => SampleConfig::tiny(),
                None => SampleConfig::county(),
                Some(other) => return Err(format!("unknown argument `{other}`").into()),
            };
            let toml = write_sample(&dir, &config)?;
            println!("wrote the sample county to {}", dir.display());
            println!(
                "run it: cargo run --release --example gep -- {}",
                toml.display()
            );
            Ok(())
        }
        Some("--write-synthetic") => {
            let usage = "--write-synthetic DIR ROWS COLS [MEMORY_MB]";
            let dir = PathBuf::from(args.get(1).ok_or(usage)?);
            let rows: usize = args.get(2).ok_or(usage)?.parse()?;
            let cols: usize = args.get(3).ok_or(usage)?.parse()?;
            let memory_mb: u64 = args.get(4).map_or(Ok(512), |m| m.parse())?;
            let start = Instant::now();
            let toml = write_synthetic(&dir, rows, cols, memory_mb)?;
            println!(
                "wrote a {rows} × {cols} synthetic landscape to {} in {:.1} s",
                dir.display(),
                start.elapsed().as_secs_f64()
            );
            println!(
                "run it: cargo run --release --example gep -- {}",
                toml.display()
            );
            Ok(())
        }
        Some(path) if !path.starts_with("--") && args.len() == 1 => run_config(path),
        Some(other) => Err(format!("unknown argument `{other}` (try --help)").into()),
    }
}

fn run_config(path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let config = RunConfig::load(path)?;
    let start = Instant::now();
    let last_percent = Mutex::new(u64::MAX);
    let bar = |p: Progress| {
        let percent = (p.rows_done as u64 * 100)
            .checked_div(p.rows_total as u64)
            .unwrap_or(100);
        let mut last = last_percent.lock().unwrap_or_else(|e| e.into_inner());
        if *last == percent && p.stage == Stage::Accounting {
            return;
        }
        *last = percent;
        let filled = (percent / 4) as usize;
        let stage = match p.stage {
            Stage::Accounting => "accounting",
            Stage::Finishing => "finishing",
            _ => "done",
        };
        eprint!(
            "\r[{}{}] {percent:3}% {}/{} rows  {stage:<10} {:.1} s",
            "#".repeat(filled),
            " ".repeat(25 - filled),
            p.rows_done,
            p.rows_total,
            start.elapsed().as_secs_f64()
        );
        if p.stage == Stage::Done {
            eprintln!();
        }
        let _ = std::io::stderr().flush();
    };
    let report = execute(&config, &bar)?;
    let account = &report.account;
    println!();
    print!("{}", account.summary());
    if let Some(c) = account.coverage() {
        println!();
        println!(
            "coverage: {} cells, {} used ({:.2} %), {} land-cover nodata, {} outside regions, {} masked (nodata in a layer)",
            c.cells,
            c.used,
            100.0 * c.used_fraction(),
            c.land_cover_nodata,
            c.region_nodata,
            c.masked
        );
        for l in &c.layers {
            println!(
                "  {:<28} {:>12} valid {:>10} nodata  {}",
                l.name, l.valid, l.nodata, l.path
            );
        }
    }
    println!();
    println!(
        "{} = {:.2} {}  ({:.1} s)",
        account.label(),
        account.total_value(),
        account.currency(),
        start.elapsed().as_secs_f64()
    );
    for f in &report.files {
        println!("wrote {}", f.display());
    }
    Ok(())
}
