//! SEEA Ecosystem Accounting tables for the sample county (METHODS.md §4).
//!
//! ```text
//! cargo run --release --example seea [-- DIR] [--tiny]
//! ```
//!
//! Accounts the sample county under the MEE 2020 GEP profile and emits, into `DIR` (default
//! `target/seea`):
//! * `extent.csv`, `extent_change_matrix.csv` — opening (today's map) and closing (the land-use
//!   plan of the `scenario` example) extent by ecosystem type, ha;
//! * `supply_physical.csv`, `supply_monetary.csv` — services × ecosystem types;
//! * `use_physical.csv`, `use_monetary.csv` — services × users, from the user shares below;
//! * `reconciliation.csv` — every GEP line the SEEA aggregate drops, excludes, converts or
//!   qualifies, from the account's own records.
//!
//! The user shares are **illustrative assumptions** of this example (a county's statistical
//! office supplies its own): biomass to agriculture (ISIC A), water supply 40 % households,
//! 25 % water utilities (E36) and 35 % agriculture, hydropower to electricity (D35), recreation
//! 80 % households and 20 % visitors from outside the county (rest of the world), air
//! filtration and local climate regulation to households; all other regulating services to
//! general government (collective consumption), except water conservation, 30 % of which
//! benefits users downstream outside the county.

mod common;

use std::process::ExitCode;

use gep::analysis::seea::{
    ExtentAccount, Reconciliation, SupplyTable, Treatment, UseTable, UserShares,
};
use gep::prelude::*;
use gep::sample::{land_use_plan, SampleCounty};

fn main() -> ExitCode {
    common::exit(run)
}

/// The example's illustrative user shares (see the module docs).
fn shares(service: &str) -> UserShares {
    let s = UserShares::new(service);
    match service {
        "provisioning_products" => UserShares {
            industries: vec![("A".into(), 1.0)],
            ..s
        },
        "water_supply" => UserShares {
            households: 0.4,
            industries: vec![("E36".into(), 0.25), ("A".into(), 0.35)],
            ..s
        },
        "ecological_energy" => UserShares {
            industries: vec![("D35".into(), 1.0)],
            ..s
        },
        "recreation" => UserShares {
            households: 0.8,
            rest_of_world: 0.2,
            ..s
        },
        "air_purification" | "climate_regulation" => UserShares {
            households: 1.0,
            ..s
        },
        "water_conservation" => UserShares {
            government: 0.7,
            rest_of_world: 0.3,
            ..s
        },
        _ => UserShares {
            government: 1.0,
            ..s
        },
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let Some((out, config)) = common::dir_and_size("seea") else {
        return Ok(());
    };
    let sample = SampleCounty::generate(&config)?;
    let opening = &sample.landscape;
    let closing = land_use_plan(opening)?;
    let account = Profile::mee2020().run(opening)?;
    let cur = account.currency().to_string();

    let extent = ExtentAccount::new(opening, &closing)?;
    let supply = SupplyTable::from_account(&account);
    let user_shares: Vec<UserShares> = account.services().iter().map(|s| shares(&s.id)).collect();
    let uses = UseTable::new(&supply, &user_shares)?;
    let rec = Reconciliation::from_account(&account);

    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    extent.write_csv(common::create(&out, "extent.csv")?)?;
    extent.write_matrix_csv(common::create(&out, "extent_change_matrix.csv")?)?;
    supply.write_csv(false, common::create(&out, "supply_physical.csv")?)?;
    supply.write_csv(true, common::create(&out, "supply_monetary.csv")?)?;
    uses.write_csv(false, common::create(&out, "use_physical.csv")?)?;
    uses.write_csv(true, common::create(&out, "use_monetary.csv")?)?;
    rec.write_csv(&cur, common::create(&out, "reconciliation.csv")?)?;

    println!("Yunling County (sample): SEEA EA tables from the MEE 2020 GEP account");
    println!();
    println!("extent account (ha): opening -> closing (the land-use plan)");
    for r in extent.rows() {
        if r.opening_ha != 0.0 || r.closing_ha != 0.0 {
            println!(
                "  {:<10} {:>10.1} +{:>8.1} -{:>8.1} = {:>10.1}",
                r.ecosystem.name(),
                r.opening_ha,
                r.additions_ha,
                r.reductions_ha,
                r.closing_ha
            );
        }
    }
    println!();
    println!("monetary supply by service ({cur}):");
    for (s, v) in supply.service_totals() {
        let seea = gep::analysis::seea::seea_mapping(&s)
            .and_then(|m| m.seea_service)
            .unwrap_or("(not a SEEA service)");
        println!("  {s:<24} {v:>18.2}  {seea}");
    }
    println!();
    println!("reconciliation:");
    for l in &rec.lines {
        if l.treatment != Treatment::Caveat || l.component.is_none() {
            println!(
                "  {:<11} {:<24} {:>18}  {}",
                l.treatment.name(),
                l.service,
                l.value.map_or(String::new(), |v| format!("{v:.2}")),
                l.reason
            );
        }
    }
    let caveats = rec
        .lines
        .iter()
        .filter(|l| l.treatment == Treatment::Caveat && l.component.is_some())
        .count();
    println!("  ({caveats} component lines with valuation caveats: see reconciliation.csv)");
    println!(
        "GEP {:.2} {cur}; SEEA aggregate (dropped and excluded lines removed) {:.2} {cur}",
        rec.gep_total, rec.seea_aggregate
    );
    println!("tables written to {}", out.display());
    Ok(())
}
