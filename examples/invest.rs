//! Runs an InVEST datastack (Carbon or Annual Water Yield) and writes InVEST's output files.
//!
//! ```text
//! cargo run --release --features invest --example invest -- DATASTACK.json [--corrected] [--compression none|lzw|deflate] [--predictor none|auto]
//! cargo run --release --features invest --example invest -- --generate-sample DIR [SIZE]
//! ```
//! `--generate-sample` writes a deterministic SIZE × SIZE sample (default 100) with both
//! datastacks into DIR and runs them.

use std::path::PathBuf;
use std::process::ExitCode;

use gep::invest::{run_datastack, write_sample_inputs, Compat, RunOptions};
use gep::io::{TiffCompression, TiffPredictor};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut options = RunOptions::default();
    let mut positional = Vec::new();
    let mut generate = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--corrected" => options.compat = Compat::Corrected,
            "--generate-sample" => generate = true,
            "--predictor" => {
                options.write.predictor = match it.next().map(String::as_str) {
                    Some("none") => TiffPredictor::None,
                    Some("auto") => TiffPredictor::Auto,
                    other => return Err(format!("--predictor: unknown value {other:?}")),
                }
            }
            "--compression" => {
                options.write.compression = match it.next().map(String::as_str) {
                    Some("none") => TiffCompression::None,
                    Some("lzw") => TiffCompression::Lzw,
                    Some("deflate") => TiffCompression::Deflate,
                    other => return Err(format!("--compression: unknown value {other:?}")),
                }
            }
            _ => positional.push(a.clone()),
        }
    }
    let datastacks: Vec<PathBuf> = if generate {
        let dir = PathBuf::from(positional.first().ok_or("--generate-sample needs DIR")?);
        let size = match positional.get(1) {
            Some(s) => s
                .parse()
                .map_err(|_| format!("SIZE `{s}` is not a number"))?,
            None => 100,
        };
        let d = write_sample_inputs(&dir, size).map_err(|e| e.to_string())?;
        println!("wrote a {size} x {size} sample into {}", dir.display());
        vec![d.carbon, d.annual_water_yield]
    } else {
        if positional.len() != 1 {
            return Err("usage: invest DATASTACK.json [--corrected] [--compression none|lzw|deflate] [--predictor none|auto] | --generate-sample DIR [SIZE]".into());
        }
        vec![PathBuf::from(&positional[0])]
    };
    for ds in datastacks {
        let start = std::time::Instant::now();
        let written = run_datastack(&ds, &options).map_err(|e| format!("{}: {e}", ds.display()))?;
        println!(
            "{}: {} files in {:.3} s",
            ds.display(),
            written.len(),
            start.elapsed().as_secs_f64()
        );
        for f in written {
            println!("  {}", f.display());
        }
    }
    Ok(())
}
