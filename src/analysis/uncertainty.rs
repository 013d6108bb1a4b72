//! Monte Carlo uncertainty of a GEP account (issue #8): parameters carry distributions, N
//! draws run in parallel, and every total, service and region gets its mean, median and
//! 5–95 % interval.
//!
//! * **Parameters** are addressed by dotted path in the parameter set ([`ParamTree`], e.g.
//!   `carbon_sequestration.carbon_price.value`). A draw either sets the value
//!   ([`UncertainParameter::value`]) or multiplies it ([`UncertainParameter::factor`], the way
//!   to perturb a whole class table `…rows[*].value`).
//! * **Distributions** ([`Distribution`]): normal, lognormal, uniform, triangular, empirical,
//!   all sampled by their inverse CDF from one uniform number per parameter and draw.
//! * **Reproducible with any thread count**: draw `i` uses its own generator
//!   ([`Xoshiro256::for_draw`]`(seed, i)`), draws are collected in draw order, and the engine
//!   itself is deterministic; 1 or N threads give bit-identical results.
//! * **Latin hypercube** ([`Sampling::LatinHypercube`]): for parameter `j`, the `n` draws fall
//!   one into each of `n` equal-probability strata, `u = (π_j(i) + v) / n` with `π_j` a
//!   permutation made from the generator of stream `j` and `v` the draw's own uniform number.
//! * **Physics reused**: when every uncertain parameter is a price ([`ParamKind::Price`], decided
//!   from the parameter set, not from the caller), the per-unit pass runs once; each draw only
//!   rebuilds the services from the drawn prices, revalues the raw account
//!   ([`Account::repriced`](crate::account::Account::repriced)) and applies the region-level finishing step.
//! * **Statistics** ([`Summary`]): compensated mean, sample sd, type-7 quantiles.
//!
//! Needs the `json` feature (the parameter tree is a `serde_json` value).
//!
//! # Examples
//! ```
//! # #[cfg(feature = "json")] {
//! use gep::analysis::uncertainty::{Distribution, MonteCarlo, UncertainParameter};
//! use gep::prelude::*;
//! let sample = gep::sample::SampleCounty::generate(&gep::sample::SampleConfig::tiny())?;
//! let profile = Profile::builtin("mee2020")?;
//! let mc = MonteCarlo::new(200, 7).parameter(UncertainParameter::value(
//!     "oxygen_release.oxygen_price.value",
//!     Distribution::Triangular { min: 400.0, mode: 1000.0, max: 1300.0 },
//! ));
//! let result = mc.run(&profile, &sample.landscape)?;
//! assert!(result.price_only); // one physical pass, 200 revaluations
//! assert!(result.total.p05 <= result.total.median && result.total.median <= result.total.p95);
//! # }
//! # Ok::<(), gep::GepError>(())
//! ```

mod random;
mod stats;

#[cfg(feature = "json")]
mod paths;

pub use random::{inverse_normal_cdf, permutation, Distribution, SplitMix64, Xoshiro256};
pub use stats::{quantile_sorted, Summary};

#[cfg(feature = "json")]
pub use paths::{Edit, ParamInfo, ParamKind, ParamTree};

#[cfg(feature = "json")]
pub use mc::*;

#[cfg(feature = "json")]
mod mc {
    use std::fmt::Write as _;

    use super::*;
    use crate::account::{Account, Engine};
    use crate::error::{AnalysisError, GepError};
    use crate::landscape::Landscape;
    use crate::params::GepParams;
    use crate::profile::Profile;

    /// How a drawn number is applied to the parameter(s) of its path.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Apply {
        /// The draw is the parameter's value (in the parameter's unit).
        Value,
        /// The draw multiplies the parameter's value(s) (dimensionless).
        Factor,
    }

    /// A parameter with a distribution.
    #[derive(Debug, Clone, PartialEq)]
    pub struct UncertainParameter {
        /// Dotted path in the parameter set (see [`ParamTree`]).
        pub path: String,
        /// The distribution of the value or factor.
        pub distribution: Distribution,
        /// Whether a draw sets or multiplies the parameter.
        pub apply: Apply,
    }

    impl UncertainParameter {
        /// The parameter at `path` takes values drawn from `distribution` (its unit).
        pub fn value(path: impl Into<String>, distribution: Distribution) -> Self {
            Self {
                path: path.into(),
                distribution,
                apply: Apply::Value,
            }
        }

        /// The parameter(s) at `path` are multiplied by factors drawn from `distribution`
        /// (one factor per draw for every entry of a `[*]` path).
        pub fn factor(path: impl Into<String>, distribution: Distribution) -> Self {
            Self {
                path: path.into(),
                distribution,
                apply: Apply::Factor,
            }
        }
    }

    /// How the uniform numbers behind the draws are spread.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Sampling {
        /// Independent uniform numbers.
        Random,
        /// Latin hypercube: each parameter's draws cover its `n` equal-probability strata once.
        LatinHypercube,
    }

    /// A Monte Carlo run: number of draws, seed, sampling, uncertain parameters.
    #[derive(Debug, Clone, PartialEq)]
    pub struct MonteCarlo {
        /// Number of draws (≥ 1).
        pub draws: usize,
        /// Seed of every draw's generator.
        pub seed: u64,
        /// Plain or Latin-hypercube sampling.
        pub sampling: Sampling,
        /// The uncertain parameters (≥ 1).
        pub parameters: Vec<UncertainParameter>,
    }

    /// The draws and their summaries, all in the account's currency (yuan by default).
    #[derive(Debug, Clone, PartialEq)]
    pub struct MonteCarloResult {
        /// Whether the physical pass was reused (only prices were uncertain).
        pub price_only: bool,
        /// Service ids, in account order.
        pub service_ids: Vec<String>,
        /// Region names, in region index order.
        pub region_names: Vec<String>,
        /// Total GEP of every draw, in draw order.
        pub total_draws: Vec<f64>,
        /// Value of each service (outer) in every draw (inner, draw order).
        pub service_draws: Vec<Vec<f64>>,
        /// Value of each region including its descendants (outer) in every draw.
        pub region_draws: Vec<Vec<f64>>,
        /// Summary of the total.
        pub total: Summary,
        /// Summary per service.
        pub services: Vec<Summary>,
        /// Summary per region (roll-up).
        pub regions: Vec<Summary>,
    }

    /// The profile and landscape under analysis, with the raw account of the base parameters
    /// kept for revaluations.
    pub(crate) struct Model<'a> {
        profile: &'a Profile,
        landscape: &'a Landscape,
        raw: Option<Account>,
    }

    fn invalid(draw: usize) -> impl Fn(GepError) -> GepError {
        move |e| match e {
            GepError::Analysis(a) => a.into(),
            other => AnalysisError::InvalidDraw {
                draw,
                message: other.to_string(),
            }
            .into(),
        }
    }

    impl<'a> Model<'a> {
        /// The model; with `reuse_physics`, the per-unit pass of the base parameters runs now.
        pub(crate) fn new(
            profile: &'a Profile,
            landscape: &'a Landscape,
            reuse_physics: bool,
        ) -> Result<Self, GepError> {
            let raw = if reuse_physics {
                let services = profile.build_services()?;
                Some(Engine::new(&services).run_raw(landscape)?)
            } else {
                None
            };
            Ok(Self {
                profile,
                landscape,
                raw,
            })
        }

        /// The finished account under `params`: revalued from the kept raw account when
        /// `price_only` (and the model keeps one), else a full run.
        pub(crate) fn evaluate(
            &self,
            params: GepParams,
            price_only: bool,
            draw: usize,
        ) -> Result<Account, GepError> {
            let profile = self.profile.clone().with_params(params);
            match (&self.raw, price_only) {
                (Some(raw), true) => {
                    let services = profile.build_services().map_err(invalid(draw))?;
                    let account = raw.repriced(&services)?;
                    Engine::new(&services).finish(account, self.landscape.region_stats())
                }
                _ => profile.run(self.landscape).map_err(invalid(draw)),
            }
        }

        pub(crate) fn service_ids(&self) -> Result<Vec<String>, GepError> {
            Ok(self
                .profile
                .build_services()?
                .iter()
                .map(|s| s.id().to_string())
                .collect())
        }
    }

    /// Maps `f` over `0..n` on the caller's rayon pool (with `parallel`), results in index
    /// order whatever the thread count.
    pub(crate) fn map_ordered<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            (0..n).into_par_iter().map(f).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            (0..n).map(f).collect()
        }
    }

    struct DrawOut {
        total: f64,
        services: Vec<f64>,
        regions: Vec<f64>,
    }

    impl MonteCarlo {
        /// `draws` plain Monte Carlo draws under `seed`, no parameters yet.
        pub fn new(draws: usize, seed: u64) -> Self {
            Self {
                draws,
                seed,
                sampling: Sampling::Random,
                parameters: Vec::new(),
            }
        }

        /// Adds an uncertain parameter.
        pub fn parameter(mut self, p: UncertainParameter) -> Self {
            self.parameters.push(p);
            self
        }

        /// Sets the sampling.
        pub fn sampling(mut self, sampling: Sampling) -> Self {
            self.sampling = sampling;
            self
        }

        /// Whether every uncertain parameter is a price of `params` (so the physical pass can be
        /// reused); also checks the paths and distributions.
        pub fn is_price_only(&self, params: &GepParams) -> Result<bool, AnalysisError> {
            let tree = ParamTree::new(params)?;
            self.check(&tree)
        }

        fn check(&self, tree: &ParamTree) -> Result<bool, AnalysisError> {
            if self.draws == 0 {
                return Err(AnalysisError::Zero {
                    what: "number of draws",
                });
            }
            if self.parameters.is_empty() {
                return Err(AnalysisError::Zero {
                    what: "number of uncertain parameters",
                });
            }
            let mut price_only = true;
            for p in &self.parameters {
                p.distribution.check(&p.path)?;
                price_only &= tree.resolve(&p.path)?.kind == ParamKind::Price;
            }
            Ok(price_only)
        }

        /// Runs the draws of `profile` (its services and base parameters) on `landscape`.
        ///
        /// Errors: bad settings or distributions ([`AnalysisError`] naming the parameter and
        /// value), an unknown path, or a draw whose parameter set the services refuse
        /// (e.g. a negative price drawn from a normal): [`AnalysisError::InvalidDraw`] with the
        /// first such draw index.
        pub fn run(
            &self,
            profile: &Profile,
            landscape: &Landscape,
        ) -> Result<MonteCarloResult, GepError> {
            let tree = ParamTree::new(&profile.params)?;
            let price_only = self.check(&tree)?;
            let n = self.draws;
            let dists: Vec<Distribution> = self
                .parameters
                .iter()
                .map(|p| p.distribution.prepared())
                .collect();
            let strata: Vec<Vec<usize>> = match self.sampling {
                Sampling::Random => Vec::new(),
                Sampling::LatinHypercube => (0..dists.len())
                    .map(|j| {
                        // Stream of parameter j, distinct from the draw streams.
                        let mut rng =
                            Xoshiro256::for_draw(self.seed ^ 0x4C48_535F_5045_524D, j as u64);
                        permutation(n, &mut rng)
                    })
                    .collect(),
            };
            let model = Model::new(profile, landscape, price_only)?;
            let one = |i: usize| -> Result<DrawOut, GepError> {
                let mut rng = Xoshiro256::for_draw(self.seed, i as u64);
                let edits: Vec<(&str, Edit)> = self
                    .parameters
                    .iter()
                    .zip(&dists)
                    .enumerate()
                    .map(|(j, (p, d))| {
                        let v = rng.next_open01();
                        let u = match self.sampling {
                            Sampling::Random => v,
                            Sampling::LatinHypercube => (strata[j][i] as f64 + v) / n as f64,
                        };
                        let x = d.quantile(u);
                        let edit = match p.apply {
                            Apply::Value => Edit::Set(x),
                            Apply::Factor => Edit::Scale(x),
                        };
                        (p.path.as_str(), edit)
                    })
                    .collect();
                let params = tree.edited(&edits, i)?;
                let account = model.evaluate(params, price_only, i)?;
                let total = account.total_value();
                if !total.is_finite() {
                    return Err(AnalysisError::InvalidDraw {
                        draw: i,
                        message: format!("total GEP is {total}"),
                    }
                    .into());
                }
                Ok(DrawOut {
                    total,
                    services: account.value_by_service(),
                    regions: account.value_by_region_rollup(),
                })
            };
            let outs = map_ordered(n, one)
                .into_iter()
                .collect::<Result<Vec<_>, _>>()?;
            let service_ids = model.service_ids()?;
            let region_names: Vec<String> = landscape
                .regions()
                .regions()
                .iter()
                .map(|r| r.name.clone())
                .collect();
            let total_draws: Vec<f64> = outs.iter().map(|o| o.total).collect();
            let service_draws: Vec<Vec<f64>> = (0..service_ids.len())
                .map(|s| outs.iter().map(|o| o.services[s]).collect())
                .collect();
            let region_draws: Vec<Vec<f64>> = (0..region_names.len())
                .map(|r| outs.iter().map(|o| o.regions[r]).collect())
                .collect();
            Ok(MonteCarloResult {
                price_only,
                total: Summary::of(&total_draws),
                services: service_draws.iter().map(|d| Summary::of(d)).collect(),
                regions: region_draws.iter().map(|d| Summary::of(d)).collect(),
                service_ids,
                region_names,
                total_draws,
                service_draws,
                region_draws,
            })
        }
    }

    impl MonteCarloResult {
        /// The summaries as CSV: `scope,id,n,mean,sd,p05,median,p95,min,max` with scope
        /// `total`, `service` or `region`, values in the account currency.
        pub fn summary_csv(&self) -> String {
            let mut s = String::from("scope,id,n,mean,sd,p05,median,p95,min,max\n");
            let mut row = |scope: &str, id: &str, m: &Summary| {
                let _ = writeln!(
                    s,
                    "{scope},{id},{},{},{},{},{},{},{},{}",
                    m.n, m.mean, m.sd, m.p05, m.median, m.p95, m.min, m.max
                );
            };
            row("total", "gep", &self.total);
            for (id, m) in self.service_ids.iter().zip(&self.services) {
                row("service", id, m);
            }
            for (name, m) in self.region_names.iter().zip(&self.regions) {
                row("region", &name.replace(',', " "), m);
            }
            s
        }

        /// Every draw as CSV: `draw,total,<service ids…>`.
        pub fn draws_csv(&self) -> String {
            let mut s = String::from("draw,total");
            for id in &self.service_ids {
                s.push(',');
                s.push_str(id);
            }
            s.push('\n');
            for (i, t) in self.total_draws.iter().enumerate() {
                let _ = write!(s, "{i},{t}");
                for d in &self.service_draws {
                    let _ = write!(s, ",{}", d[i]);
                }
                s.push('\n');
            }
            s
        }
    }
}
