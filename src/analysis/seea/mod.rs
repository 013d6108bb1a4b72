//! SEEA Ecosystem Accounting tables from a GEP account (METHODS.md §4): the ecosystem extent
//! account with its change matrix ([`ExtentAccount`]), physical and monetary supply tables
//! (services × ecosystem types, [`SupplyTable`]), use tables by user from shares the user
//! supplies ([`UseTable`], [`UserShares`]), and the reconciliation between the GEP profile and
//! the SEEA aggregate ([`Reconciliation`]).
//!
//! The mapping of GEP services to the SEEA EA reference list is data
//! ([`SEEA_SERVICE_MAP`], the table of METHODS.md §4.2).

mod extent;
mod reconciliation;
mod supply_use;

pub use extent::{ExtentAccount, ExtentRow};
pub use reconciliation::{Reconciliation, ReconciliationLine, Treatment};
pub use supply_use::{SupplyRow, SupplyTable, UseRow, UseTable, UserShares};

/// How a GEP service maps to the SEEA EA reference list of ecosystem services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeeaMapping {
    /// GEP service id.
    pub service: &'static str,
    /// SEEA EA reference service, or `None` when the service is not on the list.
    pub seea_service: Option<&'static str>,
    /// Conditions and caveats of the mapping (METHODS.md §4.2).
    pub note: &'static str,
}

/// GEP service → SEEA EA reference service (METHODS.md §4.2 table).
pub const SEEA_SERVICE_MAP: &[SeeaMapping] = &[
    SeeaMapping {
        service: "provisioning_products",
        seea_service: Some("biomass provisioning (crop, wood, grazed biomass, livestock, fish)"),
        note: "ecosystem contribution only: resource rent, not gross output value",
    },
    SeeaMapping {
        service: "water_supply",
        seea_service: Some("water supply"),
        note: "",
    },
    SeeaMapping {
        service: "annual_water_yield",
        seea_service: Some("water supply"),
        note: "",
    },
    SeeaMapping {
        service: "ecological_energy",
        seea_service: None,
        note: "hydropower is not an ecosystem service of the core list (record as abiotic flow or through water supply)",
    },
    SeeaMapping {
        service: "water_conservation",
        seea_service: Some("water flow regulation (baseline flow maintenance)"),
        note: "avoid double counting with water supply",
    },
    SeeaMapping {
        service: "soil_conservation",
        seea_service: Some("soil and sediment retention (soil erosion control)"),
        note: "",
    },
    SeeaMapping {
        service: "sand_fixation",
        seea_service: Some("soil and sediment retention (wind erosion control)"),
        note: "",
    },
    SeeaMapping {
        service: "flood_regulation",
        seea_service: Some("flood control (river flood mitigation)"),
        note: "",
    },
    SeeaMapping {
        service: "coastal_protection",
        seea_service: Some("flood control (coastal protection)"),
        note: "",
    },
    SeeaMapping {
        service: "carbon_sequestration",
        seea_service: Some("global climate regulation"),
        note: "",
    },
    SeeaMapping {
        service: "invest_carbon",
        seea_service: Some("global climate regulation"),
        note: "",
    },
    SeeaMapping {
        service: "oxygen_release",
        seea_service: None,
        note: "oxygen release is not on the SEEA EA reference list (same photosynthesis as carbon sequestration)",
    },
    SeeaMapping {
        service: "air_purification",
        seea_service: Some("air filtration"),
        note: "",
    },
    SeeaMapping {
        service: "water_purification",
        seea_service: Some("water purification"),
        note: "",
    },
    SeeaMapping {
        service: "climate_regulation",
        seea_service: Some("local climate regulation"),
        note: "",
    },
    SeeaMapping {
        service: "pest_control",
        seea_service: Some("biological control"),
        note: "",
    },
    SeeaMapping {
        service: "recreation",
        seea_service: Some("recreation-related services"),
        note: "travel-cost expenditure only, without consumer surplus",
    },
    SeeaMapping {
        service: "landscape_value",
        seea_service: Some("visual amenity"),
        note: "",
    },
    SeeaMapping {
        service: "species_conservation",
        seea_service: Some("habitat maintenance / ecosystem and species appreciation"),
        note: "",
    },
];

/// The SEEA mapping of a GEP service id (`None` if the service is not in the table; value
/// transfer services are deliberately absent: ESV is not a SEEA valuation).
pub fn seea_mapping(service: &str) -> Option<&'static SeeaMapping> {
    SEEA_SERVICE_MAP.iter().find(|m| m.service == service)
}
