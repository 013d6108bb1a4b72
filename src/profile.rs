//! Methodology profiles: a named list of services, formula variants, a parameter set, and a
//! double-counting policy. Results are only comparable under the same profile, so every run
//! records the profile id and a hash of every parameter (METHODS.md §0, §5).
//!
//! | id | what |
//! |---|---|
//! | `mee2020` | MEE 2020 terrestrial GEP guideline: provisioning, regulating, cultural |
//! | `gbt38582_forest` | GB/T 38582-2020 forest services: forest only, dry-matter basis, forest-standard prices |
//! | `seea_ea` | SEEA EA-conformant: no oxygen release, provisioning as resource rent, exchange values |
//! | `xie2015_esv` | equivalent-factor value transfer (Xie et al. 2015), labelled ESV |
//! | `costanza2014_esv` | global unit-value transfer (Costanza et al. 2014), labelled ESV |
//!
//! # Examples
//! ```
//! use gep::profile::Profile;
//! let mee = Profile::builtin("mee2020")?;
//! assert!(mee.services.iter().any(|s| s == "oxygen_release"));
//! let seea = Profile::builtin("seea_ea")?;
//! assert!(!seea.services.iter().any(|s| s == "oxygen_release"));
//! # Ok::<(), gep::error::ParamError>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::account::{Account, Engine};
use crate::error::{GepError, ParamError};
use crate::landscape::{EcosystemType, Landscape};
use crate::params::{GepParams, Price, Status};
use crate::services::{services_by_id, ProductivityBasis, ProvisioningConvention, Service};
use crate::units::PhysicalUnit;

/// What a profile does when a run includes two services that value the same flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlapPolicy {
    /// Refuse to run (unless the pair is explicitly allowed).
    Refuse,
    /// Run, and write a warning into the account's notes.
    Warn,
}

/// A known pair of services that value (part of) the same flow (METHODS.md §1.3, §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap {
    /// One service id.
    pub first: &'static str,
    /// The other.
    pub second: &'static str,
    /// What both value.
    pub reason: &'static str,
}

/// The overlaps the guard knows.
pub const KNOWN_OVERLAPS: &[Overlap] = &[
    Overlap {
        first: "water_conservation",
        second: "water_supply",
        reason: "the same water",
    },
    Overlap {
        first: "water_conservation",
        second: "ecological_energy",
        reason: "the same water (through hydropower)",
    },
    Overlap {
        first: "water_supply",
        second: "ecological_energy",
        reason: "the same water (supplied, then turbined)",
    },
    Overlap {
        first: "carbon_sequestration",
        second: "oxygen_release",
        reason: "the same photosynthesis",
    },
    Overlap {
        first: "soil_conservation",
        second: "water_purification",
        reason: "the same nitrogen and phosphorus",
    },
    Overlap {
        first: "recreation",
        second: "landscape_value",
        reason: "the same amenity (travel cost and hedonic)",
    },
];

/// A methodology profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Identifier (`mee2020`).
    pub id: String,
    /// Name and source document.
    pub name: String,
    /// Service ids, in report order.
    pub services: Vec<String>,
    /// The parameter set.
    pub params: GepParams,
    /// Double-counting policy.
    pub overlap_policy: OverlapPolicy,
    /// Pairs the profile counts together on purpose (they are noted, not refused).
    pub allowed_overlaps: Vec<(String, String)>,
    /// What the profile changes and why.
    pub notes: Vec<String>,
}

/// What an account records about the run that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInfo {
    /// Profile id.
    pub profile: String,
    /// FNV-1a 64 hash of every parameter of the run (hex).
    pub params_hash: String,
    /// `GEP`, or `ESV (value transfer)` for equivalent-factor and unit-value runs.
    pub label: String,
    /// Overlap warnings and profile notes.
    pub notes: Vec<String>,
}

impl Profile {
    /// Ids of the built-in profiles.
    pub const BUILTIN: &'static [&'static str] = &[
        "mee2020",
        "gbt38582_forest",
        "seea_ea",
        "xie2015_esv",
        "costanza2014_esv",
    ];

    /// A built-in profile by id.
    pub fn builtin(id: &str) -> Result<Self, ParamError> {
        match id {
            "mee2020" => Ok(Self::mee2020()),
            "gbt38582_forest" => Ok(Self::gbt38582_forest()),
            "seea_ea" => Ok(Self::seea_ea()),
            "xie2015_esv" => Ok(Self::value_transfer("xie2015_esv", "esv_xie2015")),
            "costanza2014_esv" => Ok(Self::value_transfer("costanza2014_esv", "esv_costanza")),
            other => Err(ParamError::UnknownProfile {
                profile: other.into(),
                known: Self::BUILTIN.join(", "),
            }),
        }
    }

    /// MEE 2020 terrestrial GEP guideline (METHODS.md §2.0): provisioning products, water
    /// supply, ecological energy, the regulating services, recreation. The guideline counts
    /// water conservation, water supply and hydropower together, and carbon with oxygen; the
    /// profile allows those pairs and notes them.
    pub fn mee2020() -> Self {
        let allowed = [
            ("water_conservation", "water_supply"),
            ("water_conservation", "ecological_energy"),
            ("water_supply", "ecological_energy"),
            ("carbon_sequestration", "oxygen_release"),
            ("soil_conservation", "water_purification"),
        ];
        Self {
            id: "mee2020".into(),
            name:
                "MEE 2020 terrestrial GEP accounting guideline (陆地生态系统生产总值核算技术指南)"
                    .into(),
            services: [
                "provisioning_products",
                "water_supply",
                "ecological_energy",
                "water_conservation",
                "carbon_sequestration",
                "oxygen_release",
                "soil_conservation",
                "sand_fixation",
                "flood_regulation",
                "air_purification",
                "climate_regulation",
                "recreation",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            params: GepParams::default(),
            overlap_policy: OverlapPolicy::Warn,
            allowed_overlaps: allowed
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            notes: vec![
                "provisioning at gross output value (lambda = 1), Chinese convention".into(),
                "prices in each parameter's own price year (see provenance)".into(),
            ],
        }
    }

    /// GB/T 38582-2020 forest ecosystem services (successor of LY/T 1721-2008): forest units
    /// only; carbon and oxygen on the dry-matter (photosynthesis-equation) basis; carbon at the
    /// forest standard's carbon-tax price, 1200 yuan/t C \[R\]; no provisioning (timber is
    /// outside the standard's service list).
    pub fn gbt38582_forest() -> Self {
        let mut params = GepParams::default();
        params.productivity.basis = ProductivityBasis::DryMatter;
        params.productivity.counted_ecosystems = vec![EcosystemType::Forest];
        params.productivity.counted_ecosystems_source = "GB/T 38582-2020: forest ecosystems".into();
        params.carbon_sequestration.carbon_price = Price::yuan(
            1200.0,
            PhysicalUnit::TonneC,
            2007,
            "LY/T 1721-2008 carbon-tax price (Swedish tax 150 USD/t C), carried into GB/T 38582",
            Status::Recalled,
        );
        params.carbon_sequestration.price_kind = crate::services::CarbonPriceKind::CarbonTax;
        params.soil_conservation.valuation = crate::services::SoilValuation::ForestStandard;
        for row in &mut params.water_conservation.runoff_coefficients.rows {
            if !(11..=14).contains(&row.code) {
                row.value = None;
            }
        }
        Self {
            id: "gbt38582_forest".into(),
            name: "GB/T 38582-2020 forest ecosystem services assessment (森林生态系统服务功能评估规范)".into(),
            services: [
                "water_conservation",
                "carbon_sequestration",
                "oxygen_release",
                "soil_conservation",
                "air_purification",
                "recreation",
            ]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            params,
            overlap_policy: OverlapPolicy::Warn,
            allowed_overlaps: vec![("carbon_sequestration".into(), "oxygen_release".into())],
            notes: vec![
                "forest classes only; dry-matter basis (1.63 t CO2, 1.19 t O2 per t)".into(),
                "soil conservation valued as soil fixing (earthwork) and fertility (fertilizer prices)".into(),
                "GB/T 38582 may update LY/T 1721 prices: check its annex before use".into(),
            ],
        }
    }

    /// SEEA EA-conformant set (METHODS.md §4): no oxygen release (not a SEEA service), no
    /// hydropower (not in the core list), no water conservation beside water supply (same water;
    /// replacement cost restricted), provisioning as resource rent (λ must be supplied),
    /// recreation without consumer surplus; double counting refused.
    pub fn seea_ea() -> Self {
        let mut params = GepParams::default();
        params.provisioning.convention = ProvisioningConvention::ResourceRent;
        params.provisioning.nature_share = None;
        params.recreation.include_consumer_surplus = false;
        Self {
            id: "seea_ea".into(),
            name: "UN SEEA Ecosystem Accounting (2021), exchange values".into(),
            services: [
                "provisioning_products",
                "water_supply",
                "carbon_sequestration",
                "soil_conservation",
                "air_purification",
                "recreation",
            ]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            params,
            overlap_policy: OverlapPolicy::Refuse,
            allowed_overlaps: Vec::new(),
            notes: vec![
                "oxygen release dropped (not in the SEEA EA reference list)".into(),
                "provisioning booked as resource rent: set params.provisioning.nature_share".into(),
                "carbon valued at the default afforestation cost: a replacement cost, not an exchange value; set a market price for strict conformance".into(),
            ],
        }
    }

    /// A value-transfer (ESV) profile: one registry id, labelled ESV, not GEP.
    fn value_transfer(id: &str, service: &str) -> Self {
        Self {
            id: id.into(),
            name: format!("value transfer ({service}): ESV for screening, not GEP"),
            services: vec![service.into()],
            params: GepParams::default(),
            overlap_policy: OverlapPolicy::Refuse,
            allowed_overlaps: Vec::new(),
            notes: vec!["ESV by value transfer: not comparable with a GEP account".into()],
        }
    }

    /// The same profile with another parameter set.
    pub fn with_params(mut self, params: GepParams) -> Self {
        self.params = params;
        self
    }

    /// The same profile with other services.
    pub fn with_services<S: Into<String>>(mut self, services: impl IntoIterator<Item = S>) -> Self {
        self.services = services.into_iter().map(Into::into).collect();
        self
    }

    /// Checks the service list for known overlaps: an error under
    /// [`OverlapPolicy::Refuse`], warnings otherwise; explicitly allowed pairs give notes.
    pub fn check_overlaps(&self) -> Result<Vec<String>, ParamError> {
        let has = |id: &str| self.services.iter().any(|s| s == id);
        let mut notes = Vec::new();
        for o in KNOWN_OVERLAPS {
            if !(has(o.first) && has(o.second)) {
                continue;
            }
            let allowed = self
                .allowed_overlaps
                .iter()
                .any(|(a, b)| (a == o.first && b == o.second) || (a == o.second && b == o.first));
            if allowed {
                notes.push(format!(
                    "known overlap counted on purpose by profile `{}`: {} and {} both value {}",
                    self.id, o.first, o.second, o.reason
                ));
            } else if self.overlap_policy == OverlapPolicy::Refuse {
                return Err(ParamError::DoubleCounting {
                    first: o.first.into(),
                    second: o.second.into(),
                    reason: o.reason.into(),
                });
            } else {
                notes.push(format!(
                    "WARNING double counting: {} and {} both value {}",
                    o.first, o.second, o.reason
                ));
            }
        }
        Ok(notes)
    }

    /// Builds the profile's services (after the overlap check).
    pub fn build_services(&self) -> Result<Vec<Box<dyn Service>>, GepError> {
        self.check_overlaps()?;
        self.build_checked()
    }

    fn build_checked(&self) -> Result<Vec<Box<dyn Service>>, GepError> {
        let mut out = Vec::new();
        for id in &self.services {
            out.extend(services_by_id(id, &self.params)?);
        }
        Ok(out)
    }

    /// FNV-1a 64 hash (hex) of the profile's parameters, services and policy: two runs with
    /// the same hash used the same numbers.
    pub fn params_hash(&self) -> String {
        let text = format!(
            "{:?}|{:?}|{:?}|{:?}",
            self.params, self.services, self.overlap_policy, self.allowed_overlaps
        );
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        format!("{h:016x}")
    }

    /// Runs the profile on a landscape; the account records the profile, the parameter hash
    /// and the overlap notes.
    pub fn run(&self, landscape: &Landscape) -> Result<Account, GepError> {
        self.check_overlaps()?;
        let services = self.build_checked()?;
        let account = Engine::new(&services).run(landscape)?;
        Ok(self.record_run(account)?)
    }

    /// The account with the record of a run of this profile (profile id, parameter hash,
    /// overlap notes and label), as [`Profile::run`] makes it; for accounts made by the
    /// profile's services some other way (streamed, merged from tiles).
    pub fn record_run(&self, account: Account) -> Result<Account, ParamError> {
        let notes = self.check_overlaps()?;
        let mut all_notes = notes;
        all_notes.extend(self.notes.iter().cloned());
        let label = if account
            .services()
            .iter()
            .flat_map(|s| &s.components)
            .any(|c| c.method == "value_transfer")
        {
            "ESV (value transfer)"
        } else {
            "GEP"
        };
        Ok(account.with_run_info(RunInfo {
            profile: self.id.clone(),
            params_hash: self.params_hash(),
            label: label.into(),
            notes: all_notes,
        }))
    }
}
