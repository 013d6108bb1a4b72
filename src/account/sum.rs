//! Compensated summation.
//!
//! Within one chunk of units the engine adds plain f64 (chunks are bounded, so the error is
//! bounded); chunk partials, account merges and report totals are combined with error-free
//! transformations (Knuth's two-sum, as in Neumaier's algorithm), so totals do not drift with
//! the number of chunks, tiles or regions.

/// Knuth's branch-free two-sum: `s = a + b` and the exact rounding error `e`, `a + b = s + e`.
#[inline(always)]
pub fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    let e = (a - (s - bb)) + (b - bb);
    (s, e)
}

/// A compensated running sum (Neumaier).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CompensatedSum {
    sum: f64,
    comp: f64,
}

impl CompensatedSum {
    /// An empty sum.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `x`.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let (s, e) = two_sum(self.sum, x);
        self.sum = s;
        self.comp += e;
    }

    /// The sum.
    pub fn value(&self) -> f64 {
        self.sum + self.comp
    }
}

/// Compensated sum of an iterator, in its order.
pub fn neumaier_sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut s = CompensatedSum::new();
    for v in values {
        s.add(v);
    }
    s.value()
}

/// Adds the compensated pairs `(b_sum, b_comp)` into `(a_sum, a_comp)` element-wise.
pub(crate) fn merge_into(
    a_sum: &mut [f64],
    a_comp: &mut [f64],
    b_sum: &[f64],
    b_comp: Option<&[f64]>,
) {
    for i in 0..a_sum.len() {
        let (s, e) = two_sum(a_sum[i], b_sum[i]);
        a_sum[i] = s;
        a_comp[i] += e + b_comp.map_or(0.0, |c| c[i]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compensated_sum_recovers_small_terms() {
        // 1e16 + 1 (x 1000) - 1e16: a naive f64 sum loses every 1 (ulp of 1e16 is 2).
        let mut v = vec![1e16];
        v.extend(std::iter::repeat_n(1.0, 1000));
        v.push(-1e16);
        assert_eq!(neumaier_sum(v.iter().copied()), 1000.0);
        assert_ne!(v.iter().sum::<f64>(), 1000.0);
    }
}
