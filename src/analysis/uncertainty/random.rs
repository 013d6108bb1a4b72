//! Random numbers and distributions for Monte Carlo runs: a small documented PRNG
//! (SplitMix64 seeding xoshiro256\*\*), per-draw streams, the inverse normal CDF, and the
//! [`Distribution`]s a parameter can carry, all sampled by their inverse CDF.

use crate::error::AnalysisError;

/// SplitMix64 (Steele, Lea & Flood 2014; reference code by S. Vigna): used to seed
/// [`Xoshiro256`] and to derive per-draw seeds.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator starting at `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// xoshiro256\*\* 1.0 (Blackman & Vigna 2018), a fast generator with 256 bits of state; the
/// generator of every draw.
#[derive(Debug, Clone)]
pub struct Xoshiro256 {
    s: [u64; 4],
}

impl Xoshiro256 {
    /// A generator whose state is four outputs of [`SplitMix64`] started at `seed` (the seeding
    /// the authors recommend; the state is never all zero).
    pub fn seed_from(seed: u64) -> Self {
        let mut sm = SplitMix64::new(seed);
        Self {
            s: [sm.next_u64(), sm.next_u64(), sm.next_u64(), sm.next_u64()],
        }
    }

    /// A generator with this exact state (for reference test vectors).
    pub fn from_state(s: [u64; 4]) -> Self {
        Self { s }
    }

    /// The generator of Monte Carlo draw `draw` under `seed`: seeded with
    /// `SplitMix64(seed).next() ^ SplitMix64(draw + 1).next()` through [`seed_from`](Self::seed_from),
    /// so draw `i` gets the same numbers whatever thread computes it and whatever the number
    /// of draws.
    pub fn for_draw(seed: u64, draw: u64) -> Self {
        let a = SplitMix64::new(seed).next_u64();
        let b = SplitMix64::new(draw.wrapping_add(1)).next_u64();
        Self::seed_from(a ^ b)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform number in the open interval (0, 1): the top 52 bits plus one half, times
    /// 2⁻⁵², so the values run from 2⁻⁵³ to 1 − 2⁻⁵³, all exact in f64; neither 0 nor 1
    /// ever comes out (the inverse normal CDF needs that).
    pub fn next_open01(&mut self) -> f64 {
        ((self.next_u64() >> 12) as f64 + 0.5) * (1.0 / (1u64 << 52) as f64)
    }

    /// A uniform integer in `0..n` (`n ≥ 1`) by Lemire's multiply-shift (bias < n / 2⁶⁴,
    /// negligible for the permutation sizes used here).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
}

/// A random permutation of `0..n` (Fisher–Yates) from `rng`.
pub fn permutation(n: usize, rng: &mut Xoshiro256) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.below(i + 1);
        p.swap(i, j);
    }
    p
}

/// The standard normal quantile Φ⁻¹(p) for `p` in (0, 1), by Wichura's algorithm AS 241
/// (PPND16, Applied Statistics 37:477–484, 1988), relative error about 1e-16.
/// Returns −∞ / +∞ at 0 / 1 and NaN outside [0, 1].
// The coefficients are AS 241's, digit for digit as published.
#[allow(clippy::excessive_precision)]
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 8] = [
        3.3871328727963666080e0,
        1.3314166789178437745e+2,
        1.9715909503065514427e+3,
        1.3731693765509461125e+4,
        4.5921953931549871457e+4,
        6.7265770927008700853e+4,
        3.3430575583588128105e+4,
        2.5090809287301226727e+3,
    ];
    const B: [f64; 8] = [
        1.0,
        4.2313330701600911252e+1,
        6.8718700749205790830e+2,
        5.3941960214247511077e+3,
        2.1213794301586595867e+4,
        3.9307895800092710610e+4,
        2.8729085735721942674e+4,
        5.2264952788528545610e+3,
    ];
    const C: [f64; 8] = [
        1.42343711074968357734e0,
        4.63033784615654529590e0,
        5.76949722146069140550e0,
        3.64784832476320460504e0,
        1.27045825245236838258e0,
        2.41780725177450611770e-1,
        2.27238449892691845833e-2,
        7.74545014278341407640e-4,
    ];
    const D: [f64; 8] = [
        1.0,
        2.05319162663775882187e0,
        1.67638483018380384940e0,
        6.89767334985100004550e-1,
        1.48103976427480074590e-1,
        1.51986665636164571966e-2,
        5.47593808499534494600e-4,
        1.05075007164441684324e-9,
    ];
    const E: [f64; 8] = [
        6.65790464350110377720e0,
        5.46378491116411436990e0,
        1.78482653991729133580e0,
        2.96560571828504891230e-1,
        2.65321895265761230930e-2,
        1.24266094738807843860e-3,
        2.71155556874348757815e-5,
        2.01033439929228813265e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        5.99832206555887937690e-1,
        1.36929880922735805310e-1,
        1.48753612908506148525e-2,
        7.86869131145613259100e-4,
        1.84631831751005468180e-5,
        1.42151175831644588870e-7,
        2.04426310338993978564e-15,
    ];
    // Horner: c[0] + c[1] x + ... + c[7] x⁷.
    fn poly(c: &[f64; 8], x: f64) -> f64 {
        c.iter().rev().fold(0.0, |acc, k| acc * x + k)
    }
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(&A, r) / poly(&B, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let val = if r <= 5.0 {
        poly(&C, r - 1.6) / poly(&D, r - 1.6)
    } else {
        poly(&E, r - 5.0) / poly(&F, r - 5.0)
    };
    if q < 0.0 {
        -val
    } else {
        val
    }
}

/// The probability distribution of an uncertain parameter, in the parameter's own unit
/// (or, for a factor, dimensionless). Every distribution is sampled by its inverse CDF
/// ([`quantile`](Distribution::quantile)), so plain Monte Carlo and Latin hypercube sampling
/// share one code path.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// Normal with mean and standard deviation (`sd = 0` gives the mean exactly).
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation, ≥ 0.
        sd: f64,
    },
    /// Lognormal: `exp(N(mu_log, sigma_log²))`; median `exp(mu_log)`. See
    /// [`Distribution::lognormal_from_mean_sd`].
    LogNormal {
        /// Mean of the logarithm.
        mu_log: f64,
        /// Standard deviation of the logarithm, ≥ 0.
        sigma_log: f64,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound, ≥ `min`.
        max: f64,
    },
    /// Triangular on `[min, max]` with its peak at `mode`.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value, in `[min, max]`.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// Equal-weight resampling of a list of observed values (e.g. prices from several
    /// studies): quantile `u` is the value at position `⌊u·n⌋` of the sorted list.
    Empirical(Vec<f64>),
}

impl Distribution {
    /// The lognormal with this arithmetic mean and standard deviation (mean > 0):
    /// `sigma_log² = ln(1 + sd²/mean²)`, `mu_log = ln(mean) − sigma_log²/2`.
    pub fn lognormal_from_mean_sd(mean: f64, sd: f64) -> Self {
        let s2 = (1.0 + (sd / mean).powi(2)).ln();
        Self::LogNormal {
            mu_log: mean.ln() - 0.5 * s2,
            sigma_log: s2.sqrt(),
        }
    }

    /// Checks the distribution: finite numbers, spreads ≥ 0, `min ≤ mode ≤ max`, a non-empty
    /// empirical list. `parameter` names the parameter in the error.
    pub fn check(&self, parameter: &str) -> Result<(), AnalysisError> {
        let finite = |what: &'static str, value: f64| {
            if value.is_finite() {
                Ok(())
            } else {
                Err(AnalysisError::NonFiniteDistribution {
                    parameter: parameter.into(),
                    what,
                    value,
                })
            }
        };
        let spread = |what: &'static str, value: f64| {
            finite(what, value)?;
            if value < 0.0 {
                Err(AnalysisError::NegativeSpread {
                    parameter: parameter.into(),
                    what,
                    value,
                })
            } else {
                Ok(())
            }
        };
        let bounds = |min: f64, max: f64| {
            finite("min", min)?;
            finite("max", max)?;
            if min > max {
                Err(AnalysisError::InvalidBounds {
                    parameter: parameter.into(),
                    what: "min > max",
                    min,
                    max,
                    value: min,
                })
            } else {
                Ok(())
            }
        };
        match self {
            Self::Normal { mean, sd } => {
                finite("mean", *mean)?;
                spread("sd", *sd)
            }
            Self::LogNormal { mu_log, sigma_log } => {
                finite("mu_log", *mu_log)?;
                spread("sigma_log", *sigma_log)
            }
            Self::Uniform { min, max } => bounds(*min, *max),
            Self::Triangular { min, mode, max } => {
                bounds(*min, *max)?;
                finite("mode", *mode)?;
                if *mode < *min || *mode > *max {
                    return Err(AnalysisError::InvalidBounds {
                        parameter: parameter.into(),
                        what: "mode outside [min, max]",
                        min: *min,
                        max: *max,
                        value: *mode,
                    });
                }
                Ok(())
            }
            Self::Empirical(values) => {
                if values.is_empty() {
                    return Err(AnalysisError::EmptyEmpirical {
                        parameter: parameter.into(),
                    });
                }
                values
                    .iter()
                    .try_for_each(|v| finite("empirical value", *v))
            }
        }
    }

    /// The distribution ready for [`quantile`](Self::quantile): an empirical list sorted
    /// (Monte Carlo runs do this once before sampling); other distributions unchanged.
    pub fn prepared(&self) -> Self {
        match self {
            Self::Empirical(v) => {
                let mut v = v.clone();
                v.sort_by(f64::total_cmp);
                Self::Empirical(v)
            }
            other => other.clone(),
        }
    }

    /// The quantile (inverse CDF) at `u` in (0, 1), for a [`check`](Self::check)ed
    /// distribution (an empirical list must be sorted: see the sampling code).
    ///
    /// Triangular (`a` = min, `c` = mode, `b` = max, `F(c) = (c − a)/(b − a)`):
    /// `a + √(u (b − a)(c − a))` for `u < F(c)`, else `b − √((1 − u)(b − a)(b − c))`.
    pub fn quantile(&self, u: f64) -> f64 {
        match self {
            Self::Normal { mean, sd } => {
                if *sd == 0.0 {
                    *mean
                } else {
                    mean + sd * inverse_normal_cdf(u)
                }
            }
            Self::LogNormal { mu_log, sigma_log } => {
                (mu_log + sigma_log * inverse_normal_cdf(u)).exp()
            }
            Self::Uniform { min, max } => {
                if min == max {
                    *min
                } else {
                    min + (max - min) * u
                }
            }
            Self::Triangular { min, mode, max } => {
                let (a, c, b) = (*min, *mode, *max);
                if a == b {
                    return a;
                }
                let fc = (c - a) / (b - a);
                if u < fc {
                    a + (u * (b - a) * (c - a)).sqrt()
                } else {
                    b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
                }
            }
            Self::Empirical(values) => {
                let i = ((u * values.len() as f64) as usize).min(values.len() - 1);
                values[i]
            }
        }
    }

    /// The distribution's mean.
    pub fn mean(&self) -> f64 {
        match self {
            Self::Normal { mean, .. } => *mean,
            Self::LogNormal { mu_log, sigma_log } => (mu_log + 0.5 * sigma_log * sigma_log).exp(),
            Self::Uniform { min, max } => 0.5 * (min + max),
            Self::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Self::Empirical(v) => v.iter().sum::<f64>() / v.len() as f64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn splitmix64_reference_vector() {
        // Outputs of Vigna's splitmix64.c seeded with 1234567.
        let mut sm = SplitMix64::new(1234567);
        assert_eq!(sm.next_u64(), 6457827717110365317);
        assert_eq!(sm.next_u64(), 3203168211198807973);
    }

    #[test]
    fn xoshiro_first_outputs_by_hand() {
        // State [1, 2, 3, 4]: first = rotl(2·5, 7)·9 = 1280·9 = 11520; the update then sets
        // s1 = 2 ^ (3 ^ 1) = 0, so the second = rotl(0, 7)·9 = 0.
        let mut x = Xoshiro256::from_state([1, 2, 3, 4]);
        assert_eq!(x.next_u64(), 11520);
        assert_eq!(x.next_u64(), 0);
    }

    #[test]
    fn draw_streams_depend_only_on_seed_and_index() {
        let mut d5 = Xoshiro256::for_draw(42, 5);
        let mut d5b = Xoshiro256::for_draw(42, 5);
        let mut d6 = Xoshiro256::for_draw(42, 6);
        let x = d5.next_u64();
        assert_eq!(x, d5b.next_u64());
        assert_ne!(x, d6.next_u64());
        assert_ne!(x, Xoshiro256::for_draw(43, 5).next_u64());
    }

    #[test]
    fn open01_never_hits_the_ends() {
        // The extremes: top 52 bits all 0 → 0.5·2⁻⁵² = 2⁻⁵³; all 1 → 1 − 2⁻⁵³, below 1.
        let max = (((1u64 << 52) - 1) as f64 + 0.5) * (1.0 / (1u64 << 52) as f64);
        assert!(max < 1.0);
        assert_eq!(max, 1.0 - 2f64.powi(-53));
        let mut x = Xoshiro256::seed_from(7);
        for _ in 0..10_000 {
            let u = x.next_open01();
            assert!(u > 0.0 && u < 1.0);
        }
    }

    #[test]
    fn inverse_normal_known_quantiles() {
        // Reference values of Φ⁻¹ (e.g. scipy.stats.norm.ppf).
        assert_relative_eq!(
            inverse_normal_cdf(0.975),
            1.959963984540054,
            epsilon = 1e-14
        );
        assert_relative_eq!(
            inverse_normal_cdf(0.05),
            -1.6448536269514729,
            epsilon = 1e-14
        );
        assert_relative_eq!(inverse_normal_cdf(0.5), 0.0, epsilon = 1e-15);
        assert_relative_eq!(
            inverse_normal_cdf(0.999),
            3.090232306167813,
            epsilon = 1e-13
        );
        assert_relative_eq!(
            inverse_normal_cdf(1e-10),
            -6.361340902404056,
            epsilon = 1e-12
        );
        assert!(inverse_normal_cdf(1.5).is_nan());
    }

    #[test]
    fn triangular_quantile_worked_by_hand() {
        // a = 0, c = 1, b = 4: F(c) = 1/4.
        // u = 0.16 < 0.25: 0 + √(0.16·4·1) = 0.8.
        // u = 0.64 ≥ 0.25: 4 − √(0.36·4·3) = 4 − √4.32 = 1.921539030917347.
        let t = Distribution::Triangular {
            min: 0.0,
            mode: 1.0,
            max: 4.0,
        };
        assert_relative_eq!(t.quantile(0.16), 0.8, epsilon = 1e-15);
        assert_relative_eq!(t.quantile(0.64), 4.0 - 4.32_f64.sqrt(), epsilon = 1e-15);
        assert_relative_eq!(t.quantile(0.25), 1.0, epsilon = 1e-15);
    }

    fn moments(d: &Distribution, n: usize) -> (f64, f64) {
        let d = d.prepared();
        let mut x = Xoshiro256::seed_from(2026);
        let v: Vec<f64> = (0..n).map(|_| d.quantile(x.next_open01())).collect();
        let m = v.iter().sum::<f64>() / n as f64;
        let var = v.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / (n - 1) as f64;
        (m, var.sqrt())
    }

    #[test]
    fn sample_means_within_three_standard_errors() {
        // n = 40 000 draws, fixed seed: |mean − μ| < 3 σ/√n; sd within 3 %.
        let n = 40_000;
        let cases = [
            (
                Distribution::Normal {
                    mean: 360.0,
                    sd: 60.0,
                },
                360.0,
                60.0,
            ),
            // Uniform [2, 8]: mean 5, sd 6/√12.
            (
                Distribution::Uniform { min: 2.0, max: 8.0 },
                5.0,
                6.0 / 12f64.sqrt(),
            ),
            // Triangular (0, 1, 4): mean 5/3, var (a²+b²+c²−ab−ac−bc)/18 = 13/18.
            (
                Distribution::Triangular {
                    min: 0.0,
                    mode: 1.0,
                    max: 4.0,
                },
                5.0 / 3.0,
                (13.0f64 / 18.0).sqrt(),
            ),
            // Lognormal with mean 1000, sd 300 by construction.
            (
                Distribution::lognormal_from_mean_sd(1000.0, 300.0),
                1000.0,
                300.0,
            ),
            // Empirical {1, 2, 6}: mean 3, population sd √(14/3).
            (
                Distribution::Empirical(vec![6.0, 1.0, 2.0]),
                3.0,
                (14.0f64 / 3.0).sqrt(),
            ),
        ];
        for (d, mu, sigma) in cases {
            let (m, s) = moments(&d, n);
            assert!(
                (m - mu).abs() < 3.0 * sigma / (n as f64).sqrt(),
                "{d:?}: mean {m}"
            );
            assert_relative_eq!(s, sigma, max_relative = 0.03);
            assert_relative_eq!(d.mean(), mu, max_relative = 1e-12);
        }
    }

    #[test]
    fn bad_distributions_are_typed_errors() {
        let e = Distribution::Normal {
            mean: 1.0,
            sd: -2.0,
        }
        .check("carbon_sequestration.carbon_price.value")
        .unwrap_err();
        assert_eq!(
            e,
            AnalysisError::NegativeSpread {
                parameter: "carbon_sequestration.carbon_price.value".into(),
                what: "sd",
                value: -2.0
            }
        );
        let e = Distribution::Uniform { min: 5.0, max: 1.0 }
            .check("p")
            .unwrap_err();
        assert!(
            matches!(e, AnalysisError::InvalidBounds { what: "min > max", min, .. } if min == 5.0)
        );
        let e = Distribution::Triangular {
            min: 0.0,
            mode: 7.0,
            max: 4.0,
        }
        .check("p")
        .unwrap_err();
        assert!(matches!(e, AnalysisError::InvalidBounds { value, .. } if value == 7.0));
        let e = Distribution::Empirical(vec![]).check("p").unwrap_err();
        assert_eq!(
            e,
            AnalysisError::EmptyEmpirical {
                parameter: "p".into()
            }
        );
        let e = Distribution::LogNormal {
            mu_log: f64::NAN,
            sigma_log: 0.1,
        }
        .check("p")
        .unwrap_err();
        assert!(e.to_string().contains("mu_log is NaN"), "{e}");
        let e = Distribution::Empirical(vec![1.0, f64::INFINITY])
            .check("p")
            .unwrap_err();
        assert!(e.to_string().contains("inf"), "{e}");
    }

    #[test]
    fn permutation_is_a_permutation() {
        let mut x = Xoshiro256::seed_from(3);
        let mut p = permutation(100, &mut x);
        assert_ne!(p, (0..100).collect::<Vec<_>>());
        p.sort_unstable();
        assert_eq!(p, (0..100).collect::<Vec<_>>());
    }
}
