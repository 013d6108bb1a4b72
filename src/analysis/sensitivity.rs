//! One-at-a-time sensitivity of total GEP to every numeric parameter (issue #8): elasticities,
//! ranked, the data of a tornado chart.
//!
//! For a parameter `p` (every entry of its path scaled together, see
//! [`ParamTree`]: a class table moves as a whole), the
//! elasticity is the central difference at ±h (h = 1 % by default):
//!
//! `e = ((GEP(p·(1+h)) − GEP(p·(1−h))) / GEP(p)) / (2h)`,
//!
//! i.e. the % change of GEP per % change of the parameter. For a price or any coefficient that
//! GEP is proportional to, `e` is that component's share of GEP exactly. When one side is
//! refused by the parameter checks (e.g. a fraction already at 1), the one-sided difference of
//! the other side is used and the method says so. A parameter whose values are all zero has no
//! elasticity (a relative change of zero is zero) and is reported as [`Status::ZeroValue`].
//! Price parameters are revalued on the kept physical pass; physical ones rerun the account.
//! Results are ranked by |e| and do not depend on the thread count.
//!
//! Needs the `json` feature.
//!
//! # Examples
//! ```
//! # #[cfg(feature = "json")] {
//! use gep::analysis::sensitivity::Sensitivity;
//! use gep::prelude::*;
//! let sample = gep::sample::SampleCounty::generate(&gep::sample::SampleConfig::tiny())?;
//! let profile = Profile::builtin("mee2020")?;
//! let result = Sensitivity::default()
//!     .only(["oxygen_release", "carbon_sequestration"])
//!     .run(&profile, &sample.landscape)?;
//! // Both prices: their elasticities are the services' shares of GEP.
//! let account = profile.run(&sample.landscape)?;
//! let oxygen = result.get("oxygen_release.oxygen_price.value").unwrap();
//! let i = account.services().iter().position(|s| s.id == "oxygen_release").unwrap();
//! let share = account.value_by_service()[i] / account.total_value();
//! assert!((oxygen.elasticity.unwrap() - share).abs() < 1e-9);
//! # }
//! # Ok::<(), gep::GepError>(())
//! ```
#![cfg(feature = "json")]

use std::fmt::Write as _;

use super::uncertainty::{map_ordered, Edit, Model, ParamKind, ParamTree};
use crate::error::{AnalysisError, GepError};
use crate::landscape::Landscape;
use crate::profile::Profile;

/// Settings of a one-at-a-time sensitivity analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// Relative step h of the central difference (default 0.01, i.e. ±1 %).
    pub relative_step: f64,
    /// Path prefixes of the parameters to analyse (empty: every numeric parameter).
    pub include: Vec<String>,
}

impl Default for Sensitivity {
    fn default() -> Self {
        Self {
            relative_step: 0.01,
            include: Vec::new(),
        }
    }
}

/// How an elasticity was obtained, or why not.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Central difference at ±h.
    Central,
    /// Only `p·(1−h)` was accepted: backward difference.
    Backward,
    /// Only `p·(1+h)` was accepted: forward difference.
    Forward,
    /// Every value of the parameter is zero: no relative change, no elasticity.
    ZeroValue,
    /// Both perturbed sets were refused; the message of the `+h` side.
    Failed(String),
}

/// The elasticity of total GEP to one parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Elasticity {
    /// Dotted path of the parameter.
    pub path: String,
    /// Price or physical.
    pub kind: ParamKind,
    /// Number of entries the path addresses (table rows).
    pub n_values: usize,
    /// The first entry's base value (in the parameter's unit).
    pub base_value: f64,
    /// % change of GEP per % change of the parameter; `None` unless estimated.
    pub elasticity: Option<f64>,
    /// How it was obtained.
    pub status: Status,
    /// Total GEP at `p·(1−h)` (if accepted).
    pub gep_low: Option<f64>,
    /// Total GEP at `p·(1+h)` (if accepted).
    pub gep_high: Option<f64>,
}

/// Elasticities ranked by |elasticity| (largest first; parameters without one last, in
/// catalogue order).
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityResult {
    /// Total GEP of the base parameters.
    pub base_total: f64,
    /// The relative step used.
    pub relative_step: f64,
    /// The ranked elasticities.
    pub ranked: Vec<Elasticity>,
}

impl Sensitivity {
    /// Only the parameters whose path starts with one of `prefixes` (e.g. `oxygen_release`,
    /// `water_conservation.runoff_coefficients`).
    pub fn only<S: Into<String>>(mut self, prefixes: impl IntoIterator<Item = S>) -> Self {
        self.include = prefixes.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the relative step h.
    pub fn step(mut self, relative_step: f64) -> Self {
        self.relative_step = relative_step;
        self
    }

    /// Computes the elasticity of total GEP to every selected parameter of `profile.params`
    /// on `landscape`.
    pub fn run(
        &self,
        profile: &Profile,
        landscape: &Landscape,
    ) -> Result<SensitivityResult, GepError> {
        let h = self.relative_step;
        if !(h.is_finite() && h > 0.0 && h < 1.0) {
            return Err(AnalysisError::NonFiniteDistribution {
                parameter: "sensitivity relative_step".into(),
                what: "step (must be in (0, 1))",
                value: h,
            }
            .into());
        }
        let tree = ParamTree::new(&profile.params)?;
        let params: Vec<_> = tree
            .parameters()
            .into_iter()
            .filter(|p| {
                self.include.is_empty() || self.include.iter().any(|s| p.path.starts_with(s))
            })
            .collect();
        if params.is_empty() {
            return Err(AnalysisError::Zero {
                what: "number of parameters selected for sensitivity",
            }
            .into());
        }
        let model = Model::new(profile, landscape, true)?;
        let base_total = model
            .evaluate(profile.params.clone(), true, 0)?
            .total_value();
        if base_total == 0.0 || !base_total.is_finite() {
            return Err(AnalysisError::ZeroTotal { value: base_total }.into());
        }
        // Task 2j perturbs parameter j by −h, task 2j+1 by +h.
        let runs = map_ordered(2 * params.len(), |t| {
            let p = &params[t / 2];
            if p.values.iter().all(|v| *v == 0.0) {
                return Ok(f64::NAN);
            }
            let factor = if t % 2 == 0 { 1.0 - h } else { 1.0 + h };
            let edited = tree.edited(&[(&p.path, Edit::Scale(factor))], t)?;
            model
                .evaluate(edited, p.kind == ParamKind::Price, t)
                .map(|a| a.total_value())
        });
        let mut runs = runs.into_iter();
        let mut out = Vec::with_capacity(params.len());
        for p in params {
            let (low, high) = (runs.next(), runs.next());
            let (Some(low), Some(high)) = (low, high) else {
                break;
            };
            let zero = p.values.iter().all(|v| *v == 0.0);
            let rel = |g: f64| (g - base_total) / base_total;
            let (elasticity, status) = match (&low, &high) {
                _ if zero => (None, Status::ZeroValue),
                (Ok(lo), Ok(hi)) => (Some((hi - lo) / base_total / (2.0 * h)), Status::Central),
                (Ok(lo), Err(_)) => (Some(-rel(*lo) / h), Status::Backward),
                (Err(_), Ok(hi)) => (Some(rel(*hi) / h), Status::Forward),
                (Err(_), Err(e)) => (None, Status::Failed(e.to_string())),
            };
            out.push(Elasticity {
                n_values: p.values.len(),
                base_value: p.values[0],
                path: p.path,
                kind: p.kind,
                elasticity,
                status,
                gep_low: low.ok().filter(|g| !zero && g.is_finite()),
                gep_high: high.ok().filter(|g| !zero && g.is_finite()),
            });
        }
        // Stable sort: ties and parameters without an elasticity keep catalogue order.
        out.sort_by(|a, b| match (a.elasticity, b.elasticity) {
            (Some(x), Some(y)) => y.abs().total_cmp(&x.abs()),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        Ok(SensitivityResult {
            base_total,
            relative_step: h,
            ranked: out,
        })
    }
}

impl SensitivityResult {
    /// The elasticity of one parameter by path.
    pub fn get(&self, path: &str) -> Option<&Elasticity> {
        self.ranked.iter().find(|e| e.path == path)
    }

    /// The ranking as CSV: `rank,path,kind,n_values,base_value,elasticity,status,gep_low,gep_high`
    /// (GEP in the account currency; empty cells where not available).
    pub fn to_csv(&self) -> String {
        let mut s =
            String::from("rank,path,kind,n_values,base_value,elasticity,status,gep_low,gep_high\n");
        let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
        for (i, e) in self.ranked.iter().enumerate() {
            let status = match &e.status {
                Status::Central => "central".to_string(),
                Status::Backward => "backward".into(),
                Status::Forward => "forward".into(),
                Status::ZeroValue => "zero_value".into(),
                Status::Failed(m) => format!("\"failed: {}\"", m.replace('"', "'")),
            };
            let kind = match e.kind {
                ParamKind::Price => "price",
                ParamKind::Physical => "physical",
            };
            let _ = writeln!(
                s,
                "{},{},{kind},{},{},{},{status},{},{}",
                i + 1,
                e.path,
                e.n_values,
                e.base_value,
                opt(e.elasticity),
                opt(e.gep_low),
                opt(e.gep_high)
            );
        }
        s
    }
}
