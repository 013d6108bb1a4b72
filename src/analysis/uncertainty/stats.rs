//! Summary statistics of Monte Carlo draws: compensated mean, standard deviation, and
//! quantiles by linear interpolation (Hyndman & Fan 1996 type 7, the default of R and NumPy).

use serde::{Deserialize, Serialize};

use crate::account::sum::neumaier_sum;

/// Mean, spread and quantiles of a set of draws, in the unit of the draws.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Number of draws.
    pub n: usize,
    /// Mean (Neumaier-compensated sum / n).
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator; 0 for one draw).
    pub sd: f64,
    /// Smallest draw.
    pub min: f64,
    /// 5 % quantile (type 7).
    pub p05: f64,
    /// Median (type 7).
    pub median: f64,
    /// 95 % quantile (type 7).
    pub p95: f64,
    /// Largest draw.
    pub max: f64,
}

/// The type-7 quantile of sorted values at probability `p` in [0, 1]: with `h = (n − 1) p`,
/// `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋ + 1] − x[⌊h⌋])`. NaN for an empty slice.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

impl Summary {
    /// The summary of `draws` (non-empty, finite: Monte Carlo draws are checked before).
    pub fn of(draws: &[f64]) -> Self {
        let n = draws.len();
        let mut sorted = draws.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mean = neumaier_sum(draws.iter().copied()) / n as f64;
        let sd = if n > 1 {
            (neumaier_sum(draws.iter().map(|x| (x - mean) * (x - mean))) / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        Self {
            n,
            mean,
            sd,
            min: sorted.first().copied().unwrap_or(f64::NAN),
            p05: quantile_sorted(&sorted, 0.05),
            median: quantile_sorted(&sorted, 0.5),
            p95: quantile_sorted(&sorted, 0.95),
            max: sorted.last().copied().unwrap_or(f64::NAN),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn type7_quantiles_by_hand() {
        // x = 1..=10 (sorted). Median: h = 9·0.5 = 4.5 → 5 + 0.5·(6 − 5) = 5.5.
        // 5 %: h = 0.45 → 1 + 0.45·1 = 1.45. 95 %: h = 8.55 → 9 + 0.55·1 = 9.55.
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        let s = Summary::of(&x);
        assert_relative_eq!(s.median, 5.5, epsilon = 1e-15);
        assert_relative_eq!(s.p05, 1.45, epsilon = 1e-15);
        assert_relative_eq!(s.p95, 9.55, epsilon = 1e-15);
        assert_relative_eq!(s.mean, 5.5, epsilon = 1e-15);
        // Sample variance of 1..10 = 55/6.
        assert_relative_eq!(s.sd, (55.0f64 / 6.0).sqrt(), epsilon = 1e-14);
        assert_eq!((s.min, s.max, s.n), (1.0, 10.0, 10));
    }

    #[test]
    fn unsorted_input_and_odd_count() {
        // {3, 1, 2}: median 2; 5 %: h = 0.1 → 1.1; 95 %: h = 1.9 → 2.9.
        let s = Summary::of(&[3.0, 1.0, 2.0]);
        assert_relative_eq!(s.median, 2.0);
        assert_relative_eq!(s.p05, 1.1, epsilon = 1e-15);
        assert_relative_eq!(s.p95, 2.9, epsilon = 1e-15);
    }

    #[test]
    fn one_draw_and_compensated_mean() {
        let s = Summary::of(&[4.0]);
        assert_eq!(
            (s.mean, s.median, s.p05, s.p95, s.sd),
            (4.0, 4.0, 4.0, 4.0, 0.0)
        );
        // 1e16 + 1 + 1 − 1e16 = 2 exactly with a compensated sum (naive gives 0).
        let s = Summary::of(&[1e16, 1.0, 1.0, -1e16]);
        assert_relative_eq!(s.mean, 0.5, epsilon = 1e-15);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }
}
