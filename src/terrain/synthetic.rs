//! Deterministic synthetic DEMs for tests, benches and examples.

use ndarray::Array2;

/// A 64-bit mix (SplitMix64 finaliser) used as a stateless hash of a cell.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A `rows × cols` hilly DEM in metres, the same for the same arguments on every machine.
///
/// A regional tilt (towards row 0, col 0), two wavelengths of hills and valleys, and 0–2 m of
/// per-cell noise from a hash of `(seed, row, col)`: it has many pits, flats after filling,
/// ridges and valleys, like a real 30 m DEM of hilly country.
///
/// # Examples
/// ```
/// let dem = gep::terrain::synthetic::hilly_dem(4, 5, 7);
/// assert_eq!(dem.dim(), (4, 5));
/// assert_eq!(dem, gep::terrain::synthetic::hilly_dem(4, 5, 7));
/// ```
pub fn hilly_dem(rows: usize, cols: usize, seed: u64) -> Array2<f32> {
    Array2::from_shape_fn((rows, cols), |(r, c)| {
        let (x, y) = (c as f64, r as f64);
        let tilt = 0.02 * (x + y);
        let hills = 40.0 * (x / 97.0).sin() * (y / 131.0).cos() + 15.0 * ((x + y) / 23.0).sin();
        let h = mix(seed ^ mix(((r as u64) << 32) | c as u64));
        let noise = 2.0 * (h >> 11) as f64 / (1u64 << 53) as f64;
        (500.0 + tilt + hills + noise) as f32
    })
}
