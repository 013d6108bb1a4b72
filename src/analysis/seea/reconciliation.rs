//! The reconciliation of a GEP account with the SEEA EA aggregate (METHODS.md §4.3–4.4).

use std::io::Write;

use super::seea_mapping;
use crate::account::sum::neumaier_sum;
use crate::account::Account;
use crate::analysis::prices::csv_field;

/// What the SEEA aggregate does with a line of the GEP account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// Left out: not a SEEA ecosystem service (oxygen release, hydropower, value transfer).
    Dropped,
    /// Left out: not an exchange value (consumer surplus).
    Excluded,
    /// Kept after a conversion made in the profile (provisioning as resource rent with λ).
    Transformed,
    /// Kept, with a conformance caveat (gross output value, replacement-cost proxies,
    /// known overlaps).
    Caveat,
}

impl Treatment {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dropped => "dropped",
            Self::Excluded => "excluded",
            Self::Transformed => "transformed",
            Self::Caveat => "caveat",
        }
    }
}

/// One line of a [`Reconciliation`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReconciliationLine {
    /// Service id.
    pub service: String,
    /// Component id, if the line concerns one component.
    pub component: Option<String>,
    /// What the SEEA aggregate does with it.
    pub treatment: Treatment,
    /// The value concerned, in the account's currency (`None` for notes without a value).
    pub value: Option<f64>,
    /// Why, from the account's records.
    pub reason: String,
}

/// Every line of a GEP account that the SEEA aggregate leaves out, converts or qualifies,
/// derived from the account's records (service ids, valuation methods, exchange-value flags,
/// parameters and run notes), and the resulting SEEA aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconciliation {
    /// GEP of the account (all services).
    pub gep_total: f64,
    /// GEP − dropped − excluded lines.
    pub seea_aggregate: f64,
    /// The lines.
    pub lines: Vec<ReconciliationLine>,
}

impl Reconciliation {
    /// The reconciliation of an account (METHODS.md §4.3–4.4).
    pub fn from_account(account: &Account) -> Self {
        let by_service = account.value_by_service();
        let by_component = account.value_by_component();
        let mut lines = Vec::new();
        for (si, s) in account.services().iter().enumerate() {
            let mapping = seea_mapping(&s.id);
            let value_transfer = s.components.iter().any(|c| c.method == "value_transfer");
            if value_transfer || mapping.is_none_or(|m| m.seea_service.is_none()) {
                let reason = match (value_transfer, mapping) {
                    (true, _) => "value transfer (ESV) is not a SEEA valuation".to_string(),
                    (false, Some(m)) => m.note.to_string(),
                    (false, None) => {
                        "no SEEA EA reference service known for this service".to_string()
                    }
                };
                lines.push(ReconciliationLine {
                    service: s.id.clone(),
                    component: None,
                    treatment: Treatment::Dropped,
                    value: Some(by_service[si]),
                    reason,
                });
                continue;
            }
            if s.id == "provisioning_products" {
                let lambda = s.parameters.iter().find(|p| p.name == "nature_share");
                lines.push(match lambda {
                    Some(l) => ReconciliationLine {
                        service: s.id.clone(),
                        component: None,
                        treatment: Treatment::Transformed,
                        value: Some(by_service[si]),
                        reason: format!(
                            "booked as resource rent: output value × nature share λ = {} ({})",
                            l.value, l.source
                        ),
                    },
                    None => ReconciliationLine {
                        service: s.id.clone(),
                        component: None,
                        treatment: Treatment::Caveat,
                        value: Some(by_service[si]),
                        reason: "booked at gross output value (λ = 1): SEEA books the ecosystem contribution (resource rent); set provisioning.nature_share".into(),
                    },
                });
            }
        }
        for ((_, s, c), v) in account.components().zip(&by_component) {
            let dropped = lines
                .iter()
                .any(|l| l.service == s.id && l.treatment == Treatment::Dropped);
            if dropped || c.is_exchange_value || c.method == "not_valued" {
                continue;
            }
            let (treatment, reason) = match c.method.as_str() {
                "consumer_surplus" => (
                    Treatment::Excluded,
                    "consumer surplus is a welfare measure, not an exchange value".to_string(),
                ),
                "travel_cost" => (
                    Treatment::Excluded,
                    "travel cost including consumer surplus is a welfare value; record expenditure only".to_string(),
                ),
                "replacement_cost" => (
                    Treatment::Caveat,
                    "replacement cost: an exchange value only if the replacement would plausibly be made and costs no more than the benefit".to_string(),
                ),
                "avoided_cost" => (
                    Treatment::Caveat,
                    "avoided (abatement or treatment) cost: SEEA accepts avoided damage costs; an abatement-cost proxy is not an exchange value".to_string(),
                ),
                m => (
                    Treatment::Caveat,
                    format!("valued by `{m}`, flagged as not an exchange value; check it against SEEA valuation rules"),
                ),
            };
            lines.push(ReconciliationLine {
                service: s.id.clone(),
                component: Some(c.id.clone()),
                treatment,
                value: Some(*v),
                reason,
            });
        }
        if let Some(info) = account.run_info() {
            for n in &info.notes {
                if n.contains("overlap") || n.contains("double counting") {
                    lines.push(ReconciliationLine {
                        service: "(profile)".into(),
                        component: None,
                        treatment: Treatment::Caveat,
                        value: None,
                        reason: n.clone(),
                    });
                }
            }
        }
        let gep_total = account.total_value();
        let left_out = neumaier_sum(
            lines
                .iter()
                .filter(|l| matches!(l.treatment, Treatment::Dropped | Treatment::Excluded))
                .filter_map(|l| l.value),
        );
        Self {
            gep_total,
            seea_aggregate: gep_total - left_out,
            lines,
        }
    }

    /// Writes the lines as CSV, then the GEP total and the SEEA aggregate.
    pub fn write_csv<W: Write>(&self, currency: &str, mut w: W) -> std::io::Result<()> {
        writeln!(w, "service,component,treatment,value_{currency},reason")?;
        for l in &self.lines {
            writeln!(
                w,
                "{},{},{},{},{}",
                l.service,
                l.component.as_deref().unwrap_or(""),
                l.treatment.name(),
                l.value.map_or(String::new(), |v| v.to_string()),
                csv_field(&l.reason)
            )?;
        }
        writeln!(w, "GEP total,,,{},", self.gep_total)?;
        writeln!(
            w,
            "SEEA aggregate,,,{},GEP minus dropped and excluded lines",
            self.seea_aggregate
        )
    }
}
