//! A land-use plan for the sample county compared with today's map: ΔGEP per service, township
//! and ecosystem type, and the transition matrix of areas and values.
//!
//! ```text
//! cargo run --release --example scenario [-- DIR] [--tiny]
//! ```
//!
//! The plan (deterministic): every 2nd dryland (52) cell planted with evergreen broadleaf
//! forest (11); every 4th grassland (31) cell built up (61). Layers (NPP,
//! evapotranspiration, ...) are kept: the plan changes the land cover and with it every
//! class coefficient (runoff coefficients, cover factors, supplying classes), not the climate
//! or productivity layers. MEE 2020 profile. Writes into `DIR` (default `target/scenario`):
//! `delta_by_service.csv`, `delta_by_region.csv`, `delta_by_ecosystem.csv` and
//! `transitions.csv` (from class × to class: units, area, value of the additive services under
//! both maps; services that are not additive are reported apart, not attributed), and with
//! the `charts` feature `delta_by_service.svg`.

mod common;

use std::process::ExitCode;

use gep::analysis::scenario::ScenarioComparison;
use gep::prelude::*;
use gep::sample::{land_use_plan, SampleCounty};

fn main() -> ExitCode {
    common::exit(run)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let Some((out, config)) = common::dir_and_size("scenario") else {
        return Ok(());
    };
    let sample = SampleCounty::generate(&config)?;
    let base = &sample.landscape;
    let planned = land_use_plan(base)?;
    let c = ScenarioComparison::run(&Profile::mee2020(), base, &planned)?;
    let cur = c.baseline().currency().to_string();

    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    ScenarioComparison::write_delta_csv(
        &c.by_service(),
        "service",
        &cur,
        common::create(&out, "delta_by_service.csv")?,
    )?;
    ScenarioComparison::write_delta_csv(
        &c.by_region(),
        "region",
        &cur,
        common::create(&out, "delta_by_region.csv")?,
    )?;
    ScenarioComparison::write_delta_csv(
        &c.by_ecosystem(),
        "ecosystem",
        &cur,
        common::create(&out, "delta_by_ecosystem.csv")?,
    )?;
    c.transitions()
        .write_csv(&cur, common::create(&out, "transitions.csv")?)?;
    #[cfg(feature = "charts")]
    {
        use gep::analysis::charts::{bar_chart_svg, money_scale, write_svg};
        let rows = c.by_service();
        let deltas: Vec<f64> = rows.iter().map(|r| r.delta()).collect();
        let (divisor, unit) = money_scale(&deltas);
        let labels: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
        let scaled: Vec<f64> = deltas.iter().map(|d| d / divisor).collect();
        let svg = bar_chart_svg(
            &format!("ΔGEP by service, plan − today ({unit})"),
            &labels,
            &scaled,
            &format!("ΔGEP ({unit})"),
        )?;
        write_svg(out.join("delta_by_service.svg"), &svg)?;
    }

    let t = c.total();
    println!("Yunling County (sample), MEE 2020 profile: plan vs today");
    println!(
        "GEP today {:.2} yuan, under the plan {:.2} yuan, change {:+.2} yuan",
        t.baseline,
        t.scenario,
        t.delta()
    );
    println!();
    println!("land-cover changes (ha, and value change of the additive services):");
    for tr in c.transitions().transitions() {
        if tr.from.code == tr.to.code {
            continue;
        }
        println!(
            "  {} ({}) -> {} ({}): {:.1} ha, {:+.2} yuan",
            tr.from.name,
            tr.from.code,
            tr.to.name,
            tr.to.code,
            tr.area_ha,
            tr.value_change().unwrap_or(0.0)
        );
    }
    println!(
        "  not attributed to transitions ({}): {:+.2} yuan",
        c.not_attributed_services().join(", "),
        c.not_attributed_change()
    );
    println!();
    println!("ΔGEP by service ({cur}):");
    for r in c.by_service() {
        println!("  {:<24} {:>+16.2}", r.key, r.delta());
    }
    println!("ΔGEP by ecosystem type ({cur}):");
    for r in c.by_ecosystem() {
        if r.baseline != 0.0 || r.scenario != 0.0 {
            println!("  {:<24} {:>+16.2}", r.key, r.delta());
        }
    }
    println!("tables written to {}", out.display());
    Ok(())
}
