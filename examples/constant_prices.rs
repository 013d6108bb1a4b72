//! GEP growth at constant prices on the sample county: the change between two years split into
//! more (or fewer) ecosystem services and higher prices.
//!
//! ```text
//! cargo run --release --example constant_prices [-- DIR] [--tiny]
//! ```
//!
//! Year 2015 is the sample county ("Yunling County"); year 2020 is the same county after an
//! afforestation and building programme (every 2nd dryland cell planted with evergreen
//! broadleaf forest, every 4th grassland cell built up). Both accounts use the
//! MEE 2020 profile, re-priced to their own year with the **illustrative** price indices of
//! `data/price_indices_illustrative.csv` (placeholders, not official statistics). Writes into
//! `DIR` (default `target/constant_prices`):
//! * `decomposition.csv` — per component and township: Q, P, V in both years, quantity effect
//!   ΔQ·P0, price effect Q0·ΔP, interaction ΔQ·ΔP, change; then per service and the total;
//! * `constant_prices_by_service.csv` — nominal 2015, nominal 2020, 2020 at 2015 prices;
//! * `intensities_2015.csv`, `intensities_2020.csv` — GEP/GDP, per km², per capita (the
//!   sample's illustrative GDP and population).

mod common;

use std::io::Write;
use std::process::ExitCode;

use gep::analysis::prices::{
    intensities, reprice_account, write_intensities_csv, Decomposition, IndexSet,
};
use gep::prelude::*;
use gep::sample::{land_use_plan, SampleCounty};

fn main() -> ExitCode {
    common::exit(run)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let Some((out, config)) = common::dir_and_size("constant_prices") else {
        return Ok(());
    };
    let sample = SampleCounty::generate(&config)?;
    let y2015 = &sample.landscape;
    let y2020 = land_use_plan(y2015)?;
    let indices = IndexSet::illustrative();
    let profile = Profile::mee2020();
    let a0 = reprice_account(&profile.run(y2015)?, &indices, 2015)?;
    let a1 = reprice_account(&profile.run(&y2020)?, &indices, 2020)?;
    let d = Decomposition::new(&a0, &a1)?;

    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    d.write_csv(common::create(&out, "decomposition.csv")?)?;
    let mut w = common::create(&out, "constant_prices_by_service.csv")?;
    writeln!(
        w,
        "service,gep_2015_cny_2015_prices,gep_2020_cny_2020_prices,gep_2020_cny_2015_prices"
    )?;
    for (s, e) in d.by_service() {
        writeln!(
            w,
            "{s},{},{},{}",
            e.value_0, e.value_1, e.value_1_at_prices_0
        )?;
    }
    w.flush()?;
    for (year, a, l) in [(2015, &a0, y2015), (2020, &a1, &y2020)] {
        let rows = intensities(a, l.region_stats(), "gdp_yuan", "population_persons");
        write_intensities_csv(
            &rows,
            "CNY",
            common::create(&out, &format!("intensities_{year}.csv"))?,
        )?;
    }

    let t = d.total();
    let pct = |a: f64, b: f64| 100.0 * (b / a - 1.0);
    println!("Yunling County (sample), MEE 2020 profile; price indices ILLUSTRATIVE (not official statistics)");
    println!("GEP 2015 at 2015 prices: {:.2} yuan", t.value_0);
    println!("GEP 2020 at 2020 prices: {:.2} yuan", t.value_1);
    println!("GEP 2020 at 2015 prices: {:.2} yuan", t.value_1_at_prices_0);
    println!(
        "growth: nominal {:+.2} %, at constant 2015 prices {:+.2} %",
        pct(t.value_0, t.value_1),
        pct(t.value_0, t.value_1_at_prices_0)
    );
    println!(
        "change {:.2} = quantity effect {:.2} + price effect {:.2} + interaction {:.2} yuan",
        t.change, t.quantity_effect, t.price_effect, t.interaction
    );
    println!();
    println!(
        "{:<24} {:>16} {:>16} {:>16} {:>14}",
        "service", "quantity effect", "price effect", "interaction", "change"
    );
    for (s, e) in d.by_service() {
        println!(
            "{s:<24} {:>16.2} {:>16.2} {:>16.2} {:>14.2}",
            e.quantity_effect, e.price_effect, e.interaction, e.change
        );
    }
    let county = &intensities(&a1, y2020.region_stats(), "gdp_yuan", "population_persons")[0];
    println!();
    if let (Some(r), Some(c)) = (county.gep_to_gdp, county.gep_per_capita) {
        println!(
            "2020: GEP/GDP {r:.3} (an indicator, not a share), GEP per km² {:.0} yuan, per capita {c:.0} yuan (illustrative GDP and population)",
            county.gep_per_km2.unwrap_or(0.0)
        );
    }
    println!("tables written to {}", out.display());
    Ok(())
}
