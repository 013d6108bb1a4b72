//! Monte Carlo uncertainty on the tiny sample county: zero variance reproduces the account,
//! results are bit-identical on 1 and 2 threads, the price-only path equals a full
//! recomputation, Latin hypercube stratifies, bad input gives typed errors.
#![cfg(feature = "json")]

use approx::assert_relative_eq;
use gep::analysis::uncertainty::{
    Distribution, Edit, MonteCarlo, ParamKind, ParamTree, Sampling, UncertainParameter,
};
use gep::error::{AnalysisError, GepError};
use gep::prelude::*;
use gep::sample::{SampleConfig, SampleCounty};

const OXYGEN: &str = "oxygen_release.oxygen_price.value";
const CARBON: &str = "carbon_sequestration.carbon_price.value";
const RUNOFF: &str = "water_conservation.runoff_coefficients.rows[*].value";

fn tiny() -> Landscape {
    SampleCounty::generate(&SampleConfig::tiny())
        .unwrap()
        .landscape
}

fn analysis_error(e: GepError) -> AnalysisError {
    match e {
        GepError::Analysis(a) => a,
        other => panic!("expected an analysis error, got {other}"),
    }
}

#[test]
fn zero_variance_equals_the_deterministic_account() {
    let landscape = tiny();
    let profile = Profile::builtin("mee2020").unwrap();
    let account = profile.run(&landscape).unwrap();
    let p = &profile.params;
    let oxygen = p.oxygen_release.oxygen_price.value;
    let carbon = p.carbon_sequestration.carbon_price.value;
    // Price-only set (physics reused) and a set with a physical table (full recomputation).
    let price_only = MonteCarlo::new(5, 1)
        .parameter(UncertainParameter::value(
            OXYGEN,
            Distribution::Normal {
                mean: oxygen,
                sd: 0.0,
            },
        ))
        .parameter(UncertainParameter::value(
            CARBON,
            Distribution::Empirical(vec![carbon]),
        ));
    let physical = price_only.clone().parameter(UncertainParameter::factor(
        RUNOFF,
        Distribution::Triangular {
            min: 1.0,
            mode: 1.0,
            max: 1.0,
        },
    ));
    for (mc, reuse) in [(price_only, true), (physical, false)] {
        let r = mc.run(&profile, &landscape).unwrap();
        assert_eq!(r.price_only, reuse);
        for t in &r.total_draws {
            assert_relative_eq!(*t, account.total_value(), max_relative = 1e-14);
        }
        assert_relative_eq!(r.total.mean, account.total_value(), max_relative = 1e-14);
        assert_relative_eq!(r.total.p05, account.total_value(), max_relative = 1e-14);
        assert_relative_eq!(r.total.p95, account.total_value(), max_relative = 1e-14);
        assert_eq!(r.total.sd, 0.0);
        for (s, v) in r.services.iter().zip(account.value_by_service()) {
            assert_relative_eq!(s.median, v, max_relative = 1e-14);
        }
        for (s, v) in r.regions.iter().zip(account.value_by_region_rollup()) {
            assert_relative_eq!(s.mean, v, max_relative = 1e-14);
        }
    }
}

fn run_on(threads: usize, mc: &MonteCarlo, profile: &Profile, landscape: &Landscape) -> Vec<f64> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let r = mc.run(profile, landscape).unwrap();
        let mut v = r.total_draws.clone();
        v.extend([r.total.mean, r.total.median, r.total.p05, r.total.p95]);
        for s in &r.services {
            v.extend([s.mean, s.p05, s.p95]);
        }
        v
    })
}

#[test]
fn same_seed_same_intervals_on_one_and_two_threads() {
    let landscape = tiny();
    let profile = Profile::builtin("mee2020").unwrap();
    for sampling in [Sampling::Random, Sampling::LatinHypercube] {
        let mc = MonteCarlo::new(12, 2026)
            .sampling(sampling)
            .parameter(UncertainParameter::value(
                OXYGEN,
                Distribution::lognormal_from_mean_sd(1000.0, 250.0),
            ))
            .parameter(UncertainParameter::factor(
                RUNOFF,
                Distribution::Uniform { min: 0.8, max: 1.2 },
            ));
        let one = run_on(1, &mc, &profile, &landscape);
        let two = run_on(2, &mc, &profile, &landscape);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&one), bits(&two), "{sampling:?}");
        // The draws differ from each other (a constant output would pass trivially).
        assert!(one[..12].windows(2).any(|w| w[0] != w[1]));
    }
}

#[test]
fn price_only_path_equals_full_recomputation_for_every_price() {
    // Every price of the parameter set, ×1.1 through the Monte Carlo (physics reused) and
    // through a full run of the edited set: the totals agree to rounding.
    let landscape = tiny();
    let profile = Profile::builtin("mee2020").unwrap();
    let tree = ParamTree::new(&profile.params).unwrap();
    let prices: Vec<_> = tree
        .parameters()
        .into_iter()
        .filter(|p| p.kind == ParamKind::Price)
        .collect();
    assert!(prices.len() >= 15);
    let base = profile.run(&landscape).unwrap().total_value();
    let mut changed = 0;
    for p in prices {
        let mc = MonteCarlo::new(1, 0).parameter(UncertainParameter::factor(
            &p.path,
            Distribution::Empirical(vec![1.1]),
        ));
        let r = mc.run(&profile, &landscape).unwrap();
        assert!(r.price_only, "{}", p.path);
        let edited = tree.edited(&[(&p.path, Edit::Scale(1.1))], 0).unwrap();
        let full = profile
            .clone()
            .with_params(edited)
            .run(&landscape)
            .unwrap()
            .total_value();
        assert_relative_eq!(r.total_draws[0], full, max_relative = 1e-13);
        if (full - base).abs() > 1e-9 * base {
            changed += 1;
        }
    }
    // mee2020 values at least water, carbon, oxygen, soil, ... with distinct prices.
    assert!(changed >= 8, "{changed}");
}

#[test]
fn latin_hypercube_puts_one_draw_in_each_stratum() {
    // GEP is linear in the oxygen price; with n = 10 LHS draws of U(0, 1000) yuan/t O2, the
    // k-th smallest total lies between the totals at prices 100k and 100(k+1).
    let landscape = tiny();
    let profile = Profile::builtin("mee2020").unwrap();
    let n = 10;
    let mc = MonteCarlo::new(n, 99)
        .sampling(Sampling::LatinHypercube)
        .parameter(UncertainParameter::value(
            OXYGEN,
            Distribution::Uniform {
                min: 0.0,
                max: 1000.0,
            },
        ));
    let r = mc.run(&profile, &landscape).unwrap();
    let tree = ParamTree::new(&profile.params).unwrap();
    let at = |price: f64| {
        let p = tree.edited(&[(OXYGEN, Edit::Set(price))], 0).unwrap();
        profile
            .clone()
            .with_params(p)
            .run(&landscape)
            .unwrap()
            .total_value()
    };
    // Linear in the price: two runs give the total at any price.
    let (t0, t1000) = (at(0.0), at(1000.0));
    let total_at = |price: f64| t0 + (t1000 - t0) * price / 1000.0;
    let mut sorted = r.total_draws.clone();
    sorted.sort_by(f64::total_cmp);
    for (k, t) in sorted.iter().enumerate() {
        let lo = total_at(100.0 * k as f64) * (1.0 - 1e-12);
        let hi = total_at(100.0 * (k + 1) as f64) * (1.0 + 1e-12);
        assert!(*t >= lo && *t <= hi, "draw {k}: {t} not in [{lo}, {hi}]");
    }
}

#[test]
fn monte_carlo_mean_matches_the_linear_expectation() {
    // Total = a + b·price is linear in the oxygen price, so E[total] = total at E[price].
    // Triangular(600, 1000, 1700): mean 1100 yuan/t O2, sd √((a²+b²+c²−ab−ac−bc)/18) = 225.0.
    // 400 draws: the sample mean of the price is within 3·225/√400 ≈ 34 yuan/t of 1100.
    let landscape = tiny();
    let profile = Profile::builtin("mee2020").unwrap();
    let d = Distribution::Triangular {
        min: 600.0,
        mode: 1000.0,
        max: 1700.0,
    };
    let mc = MonteCarlo::new(400, 5).parameter(UncertainParameter::value(OXYGEN, d));
    let r = mc.run(&profile, &landscape).unwrap();
    let tree = ParamTree::new(&profile.params).unwrap();
    let at = |price: f64| {
        let p = tree.edited(&[(OXYGEN, Edit::Set(price))], 0).unwrap();
        profile
            .clone()
            .with_params(p)
            .run(&landscape)
            .unwrap()
            .total_value()
    };
    let slope_per_yuan = at(1101.0) - at(1100.0);
    let tolerance = 3.0 * 225.0 / 400f64.sqrt() * slope_per_yuan;
    assert!((r.total.mean - at(1100.0)).abs() < tolerance);
    assert!(r.total.p05 < r.total.median && r.total.median < r.total.p95);
}

#[test]
fn bad_settings_are_typed_errors_naming_parameter_and_value() {
    let landscape = tiny();
    let profile = Profile::builtin("mee2020").unwrap();
    let run = |mc: MonteCarlo| analysis_error(mc.run(&profile, &landscape).unwrap_err());
    let with =
        |d: Distribution| MonteCarlo::new(10, 1).parameter(UncertainParameter::value(OXYGEN, d));

    assert_eq!(
        run(MonteCarlo::new(0, 1).parameter(UncertainParameter::value(
            OXYGEN,
            Distribution::Uniform { min: 1.0, max: 2.0 }
        ))),
        AnalysisError::Zero {
            what: "number of draws"
        }
    );
    assert!(matches!(
        run(MonteCarlo::new(10, 1)),
        AnalysisError::Zero { .. }
    ));
    assert_eq!(
        run(with(Distribution::Normal {
            mean: 1000.0,
            sd: -5.0
        })),
        AnalysisError::NegativeSpread {
            parameter: OXYGEN.into(),
            what: "sd",
            value: -5.0
        }
    );
    let e = run(with(Distribution::Uniform { min: 9.0, max: 1.0 }));
    assert!(
        matches!(&e, AnalysisError::InvalidBounds { parameter, min, max, .. } if parameter == OXYGEN && *min == 9.0 && *max == 1.0),
        "{e}"
    );
    let e = run(with(Distribution::Triangular {
        min: 1.0,
        mode: 0.5,
        max: 2.0,
    }));
    assert!(
        e.to_string().contains("mode outside [min, max]") && e.to_string().contains("0.5"),
        "{e}"
    );
    assert_eq!(
        run(with(Distribution::Empirical(vec![]))),
        AnalysisError::EmptyEmpirical {
            parameter: OXYGEN.into()
        }
    );
    let e = run(with(Distribution::Normal {
        mean: f64::NAN,
        sd: 1.0,
    }));
    assert!(
        matches!(e, AnalysisError::NonFiniteDistribution { what: "mean", .. }),
        "{e}"
    );
    let e = run(MonteCarlo::new(3, 1).parameter(UncertainParameter::value(
        "oxygen_release.oxygen_prize.value",
        Distribution::Uniform { min: 1.0, max: 2.0 },
    )));
    assert!(e.to_string().contains("oxygen_prize"), "{e}");
    // A normal price with a huge spread draws negative prices, which the services refuse.
    let e = run(MonteCarlo::new(50, 1).parameter(UncertainParameter::value(
        OXYGEN,
        Distribution::Normal {
            mean: 10.0,
            sd: 1000.0,
        },
    )));
    assert!(
        matches!(&e, AnalysisError::InvalidDraw { message, .. } if message.contains("oxygen")),
        "{e}"
    );
}

#[test]
fn summary_csv_lists_total_services_and_regions() {
    let landscape = tiny();
    let profile = Profile::builtin("mee2020").unwrap();
    let r = MonteCarlo::new(4, 3)
        .parameter(UncertainParameter::factor(
            CARBON,
            Distribution::Uniform { min: 0.5, max: 1.5 },
        ))
        .run(&profile, &landscape)
        .unwrap();
    let csv = r.summary_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "scope,id,n,mean,sd,p05,median,p95,min,max");
    assert!(lines[1].starts_with("total,gep,4,"));
    assert_eq!(lines.len(), 2 + r.service_ids.len() + r.region_names.len());
    assert_eq!(r.draws_csv().lines().count(), 5);
}

#[test]
fn repriced_account_scales_values_and_refuses_other_services() {
    // Invariant 4: every price ×2 doubles every value and leaves quantities alone.
    let landscape = tiny();
    let params = GepParams::default();
    let services = core_services(&params).unwrap();
    let raw = Engine::new(&services).run_raw(&landscape).unwrap();
    let doubled = core_services(&params.with_prices_scaled(2.0)).unwrap();
    let repriced = raw.repriced(&doubled).unwrap();
    let a = Engine::new(&services)
        .finish(raw.clone(), landscape.region_stats())
        .unwrap();
    let b = Engine::new(&doubled)
        .finish(repriced, landscape.region_stats())
        .unwrap();
    assert_relative_eq!(b.total_value(), 2.0 * a.total_value(), max_relative = 1e-14);
    assert_eq!(
        a.quantity("water_conservation", "water"),
        b.quantity("water_conservation", "water")
    );
    let fewer = &services[..1];
    assert!(matches!(
        raw.repriced(fewer),
        Err(gep::error::AccountError::Incompatible { .. })
    ));
    let mut swapped = core_services(&params).unwrap();
    swapped.swap(0, 1);
    assert!(raw.repriced(&swapped).is_err());
}
