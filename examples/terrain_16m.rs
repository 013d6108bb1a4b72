//! Terrain pipelines on a 4000 × 4000 synthetic DEM (16 M cells): fill + D8 + accumulation,
//! and fill + MFD + accumulation + slope + LS, with the time of each step.
//!
//! Run: `cargo run --release --example terrain_16m` (under `/usr/bin/time -v` for peak memory).
//! Optional argument: the side length in cells (default 4000).

use gep::terrain::*;
use std::time::Instant;

fn main() -> Result<(), TerrainError> {
    let size: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(4000);
    let cells = size * size;
    let cell = CellSize::square(30.0)?;
    let t = Instant::now();
    let dem = synthetic::hilly_dem(size, size, 42);
    println!(
        "{size}x{size} = {cells} cells; DEM generated in {:.2?}",
        t.elapsed()
    );

    let time = |label: &str, t0: Instant| {
        let s = t0.elapsed().as_secs_f64();
        println!(
            "  {label:<28} {s:>7.3} s  ({:.1} M cells/s)",
            cells as f64 / s / 1e6
        );
        s
    };

    println!("fill + D8 + accumulation");
    let t0 = Instant::now();
    let filled = fill_pits(dem.view(), None)?;
    let a = time("fill_pits", t0);
    let t0 = Instant::now();
    let d8 = flow_dir_d8(filled.view(), None)?;
    let b = time("flow_dir_d8", t0);
    let t0 = Instant::now();
    let fa = flow_accumulation_d8(d8.view(), None)?;
    let c = time("flow_accumulation_d8", t0);
    println!(
        "  {:<28} {:>7.3} s  (outlet FA max {:.0} cells)",
        "total",
        a + b + c,
        fa.iter().fold(0.0_f64, |m, &v| m.max(v))
    );
    drop((d8, fa));

    println!("fill + MFD + accumulation + slope + LS");
    let t0 = Instant::now();
    let filled = fill_pits(dem.view(), None)?;
    let a = time("fill_pits", t0);
    drop(dem);
    let t0 = Instant::now();
    let mfd = flow_dir_mfd(filled.view(), None)?;
    let b = time("flow_dir_mfd", t0);
    let t0 = Instant::now();
    let fa = flow_accumulation_mfd(mfd.view(), None)?;
    let c = time("flow_accumulation_mfd", t0);
    let t0 = Instant::now();
    let slope = slope_percent(filled.view(), None, cell)?;
    let d = time("slope_percent", t0);
    let t0 = Instant::now();
    let ls = ls_factor(slope.view(), fa.view(), cell, &LsParams::default())?;
    let e = time("ls_factor", t0);
    let mean_ls = ls.iter().map(|&v| f64::from(v)).sum::<f64>() / cells as f64;
    println!(
        "  {:<28} {:>7.3} s  (mean LS {mean_ls:.4})",
        "total",
        a + b + c + d + e
    );
    Ok(())
}
