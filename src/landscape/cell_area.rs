//! True cell areas of geographic (longitude/latitude) grids on the WGS84 ellipsoid.
//!
//! A cell of a grid in degrees is a band between two parallels and two meridians; its area on
//! the ellipsoid has a closed form through the authalic latitude (Snyder 1987, *Map Projections —
//! A Working Manual*, USGS PP 1395, eqs. 3-12 and 3-11). All cells of one row have the same
//! area, so a grid needs one area per row.

use crate::error::LandscapeError;
use crate::units::M2_PER_HA;

use super::GridShape;

/// WGS84 semi-major axis `a` in metres (NIMA TR8350.2, 3rd ed., table 3.1).
pub const WGS84_A_M: f64 = 6_378_137.0;
/// WGS84 flattening `f` (NIMA TR8350.2, table 3.1).
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;

/// EPSG codes of geographic CRSs (degrees of longitude/latitude) that this crate recognises:
/// WGS 84 (4326), CGCS2000 (4490), Xian 1980 (4610), Beijing 1954 (4214). Cell areas use the
/// WGS84 ellipsoid for all: CGCS2000's differs by 0.1 mm in the semi-minor axis, Xian 1980's
/// (IAG 1975, a = 6 378 140 m) by 3 m and Beijing 1954's (Krassovsky, a = 6 378 245 m) by 108 m
/// in the semi-major axis, i.e. areas ≈ 2·Δa/a ≤ 3.4·10⁻⁵ relative.
pub const GEOGRAPHIC_EPSG: [u32; 4] = [4326, 4490, 4610, 4214];

/// Whether the cell coordinates of a grid are degrees (geographic) or metres (projected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrsKind {
    /// Longitude/latitude in degrees: cell areas on the WGS84 ellipsoid, one per row.
    Geographic,
    /// Projected coordinates in metres: planar cell area `|gt[1]·gt[5]|`.
    Projected,
}

/// `q(φ)` of Snyder (1987) eq. 3-12 for WGS84: `(1−e²)·[sinφ/(1−e²sin²φ) + atanh(e·sinφ)/e]`.
/// The area between the equator and latitude φ over Δλ radians of longitude is `a²·q(φ)·Δλ/2`.
fn q(lat_deg: f64) -> f64 {
    let e2 = WGS84_F * (2.0 - WGS84_F);
    let e = e2.sqrt();
    let s = lat_deg.to_radians().sin();
    (1.0 - e2) * (s / (1.0 - e2 * s * s) + (e * s).atanh() / e)
}

/// Area in m² on the WGS84 ellipsoid of the band between latitudes `lat1_deg` and `lat2_deg`
/// (either order, clamped to ±90°) spanning `dlon_deg` degrees of longitude:
/// `a²/2 · Δλ · |q(φ2) − q(φ1)|` (Snyder 1987, eq. 3-12; equivalently `R_q²·Δλ·|sinβ2 − sinβ1|`
/// with β the authalic latitude).
///
/// # Examples
/// ```
/// use gep::landscape::ellipsoid_band_area_m2;
/// // A 1° × 1° cell at the equator: 12 308.5 km² on WGS84 (a sphere of radius 6371 km would
/// // give 12 363.6 km²).
/// let a_km2 = ellipsoid_band_area_m2(0.0, 1.0, 1.0) / 1e6;
/// assert!((a_km2 - 12_308.46).abs() < 0.01);
/// // The whole ellipsoid: 510 065 621.7 km².
/// let earth_km2 = ellipsoid_band_area_m2(-90.0, 90.0, 360.0) / 1e6;
/// assert!((earth_km2 - 510_065_621.7).abs() < 1.0);
/// ```
pub fn ellipsoid_band_area_m2(lat1_deg: f64, lat2_deg: f64, dlon_deg: f64) -> f64 {
    let (lo, hi) = (
        lat1_deg.min(lat2_deg).clamp(-90.0, 90.0),
        lat1_deg.max(lat2_deg).clamp(-90.0, 90.0),
    );
    0.5 * WGS84_A_M * WGS84_A_M * dlon_deg.abs().to_radians() * (q(hi) - q(lo))
}

/// Whether a grid without a recognised geographic EPSG code still looks like degrees: cells of
/// at most 1 unit and an extent inside longitude −180…360, latitude −90…90. Real projected
/// grids (UTM, Gauss–Krüger) have metre coordinates far outside that box.
fn looks_like_degrees(grid: &GridShape) -> bool {
    let gt = grid.geotransform();
    let x_end = gt[0] + grid.cols() as f64 * gt[1];
    let y_end = gt[3] + grid.rows() as f64 * gt[5];
    grid.cell_width() <= 1.0
        && grid.cell_height() <= 1.0
        && gt[0] >= -180.0
        && x_end <= 360.0
        && gt[3].min(y_end) >= -90.0
        && gt[3].max(y_end) <= 90.0
}

/// Decides how a grid's cells are measured: [`CrsKind::Geographic`] for the EPSG codes in
/// [`GEOGRAPHIC_EPSG`], [`CrsKind::Projected`] otherwise — except when the code is absent or
/// unknown *and* the geotransform looks like degrees (cells ≤ 1 unit, extent within
/// ±180°/±90°): then [`LandscapeError::AmbiguousCrs`], since a planar area of a degree grid
/// would be wrong by a factor of ~10¹⁰. Say which it is with [`cell_area_ha_by_row_as`] or
/// [`LandscapeBuilder::grid_crs`](super::LandscapeBuilder::grid_crs).
pub fn crs_kind(grid: &GridShape) -> Result<CrsKind, LandscapeError> {
    match grid.epsg() {
        Some(code) if GEOGRAPHIC_EPSG.contains(&code) => Ok(CrsKind::Geographic),
        code if looks_like_degrees(grid) => Err(LandscapeError::AmbiguousCrs {
            epsg: code.map_or_else(|| "none".to_string(), |c| format!("EPSG:{c}")),
            cell_width: grid.cell_width(),
            cell_height: grid.cell_height(),
        }),
        _ => Ok(CrsKind::Projected),
    }
}

/// Cell area in ha of each row of `grid` (`rows` values, north to south as stored): ellipsoidal
/// for geographic grids, planar `|gt[1]·gt[5]| / 10⁴` for projected ones; the kind is decided by
/// [`crs_kind`] (an error when ambiguous).
///
/// # Examples
/// ```
/// use gep::landscape::{cell_area_ha_by_row, GridShape};
/// // Two rows of 1° cells from 61°N to 59°N in WGS 84 (EPSG:4326).
/// let grid = GridShape::with_geotransform(2, 3, [100.0, 1.0, 0.0, 61.0, 0.0, -1.0])
///     .unwrap()
///     .with_epsg(4326);
/// let rows_ha = cell_area_ha_by_row(&grid).unwrap();
/// // 60–61°N: 6 123.1 km²; 59–60°N: 6 309.8 km² (WGS84 band formula).
/// assert!((rows_ha[0] / 100.0 - 6_123.14).abs() < 0.1);
/// assert!((rows_ha[1] / 100.0 - 6_309.81).abs() < 0.1);
/// ```
pub fn cell_area_ha_by_row(grid: &GridShape) -> Result<Vec<f64>, LandscapeError> {
    Ok(cell_area_ha_by_row_as(grid, crs_kind(grid)?))
}

/// [`cell_area_ha_by_row`] with the CRS kind given explicitly (no detection).
///
/// For [`CrsKind::Geographic`], row `r` spans latitudes `gt[3] + r·gt[5]` to
/// `gt[3] + (r+1)·gt[5]` (clamped to ±90°) and `gt[1]` degrees of longitude.
pub fn cell_area_ha_by_row_as(grid: &GridShape, kind: CrsKind) -> Vec<f64> {
    let gt = grid.geotransform();
    match kind {
        CrsKind::Projected => vec![grid.cell_area_ha(); grid.rows()],
        CrsKind::Geographic => (0..grid.rows())
            .map(|r| {
                let lat_a = gt[3] + r as f64 * gt[5];
                let lat_b = gt[3] + (r + 1) as f64 * gt[5];
                ellipsoid_band_area_m2(lat_a, lat_b, gt[1]) / M2_PER_HA
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    /// The same band area by Simpson's rule on dA = a²(1−e²)cosφ/(1−e²sin²φ)² dφ dλ
    /// (M·N·cosφ, meridian and prime-vertical radii of curvature).
    fn band_area_simpson_m2(lat1: f64, lat2: f64, dlon: f64) -> f64 {
        let e2 = WGS84_F * (2.0 - WGS84_F);
        let f = |phi: f64| {
            let s = phi.sin();
            WGS84_A_M * WGS84_A_M * (1.0 - e2) * phi.cos() / (1.0 - e2 * s * s).powi(2)
        };
        let (a, b) = (lat1.to_radians(), lat2.to_radians());
        let n = 2000;
        let h = (b - a) / n as f64;
        let mut s = f(a) + f(b);
        for i in 1..n {
            s += f(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        s * h / 3.0 * dlon.to_radians()
    }

    #[test]
    fn one_degree_cell_at_equator_km2() {
        // Closed form 12 308.464 km² — the WGS84 value; the often quoted 12 363.7 km² is the
        // sphere of radius 6371 km. Near the equator M·N ≈ a²(1−e²) so the cell is
        // ≈ a²(1−e²)·(π/180)² = 12 308.8 km² (M grows with latitude, hence a little less);
        // Simpson's rule agrees to 1e-12.
        let a = ellipsoid_band_area_m2(0.0, 1.0, 1.0);
        assert_relative_eq!(a, band_area_simpson_m2(0.0, 1.0, 1.0), max_relative = 1e-12);
        assert_relative_eq!(a / 1e6, 12_308.464, max_relative = 1e-7);
    }

    #[test]
    fn one_degree_cell_at_60n_km2() {
        // 60–61°N: 6 123.141 km²; a sphere of R = 6371 km would give R²·Δλ·(sin61°−sin60°)
        // = 6 088.4 km²: the ellipsoid's cell is 0.57 % larger at this latitude (N > R).
        let a = ellipsoid_band_area_m2(60.0, 61.0, 1.0);
        assert_relative_eq!(
            a,
            band_area_simpson_m2(60.0, 61.0, 1.0),
            max_relative = 1e-12
        );
        assert_relative_eq!(a / 1e6, 6_123.141, max_relative = 1e-7);
        let r = 6_371_000.0f64;
        let sphere =
            r * r * 1f64.to_radians() * (61f64.to_radians().sin() - 60f64.to_radians().sin());
        assert_relative_eq!(a / sphere, 1.0057, max_relative = 2e-4);
    }

    #[test]
    fn global_one_degree_grid_sums_to_wgs84_surface_km2() {
        // WGS84 surface area 4π·R_q² = 510 065 621.7 km² (R_q = 6 371 007.181 m, authalic radius).
        let grid = GridShape::with_geotransform(180, 360, [-180.0, 1.0, 0.0, 90.0, 0.0, -1.0])
            .unwrap()
            .with_epsg(4326);
        let rows = cell_area_ha_by_row(&grid).unwrap();
        let total_km2: f64 = rows.iter().map(|a| a * 360.0).sum::<f64>() / 100.0;
        assert_relative_eq!(total_km2, 510_065_621.7, max_relative = 1e-9);
        let rq = 6_371_007.181f64;
        assert_relative_eq!(
            total_km2 * 1e6,
            4.0 * std::f64::consts::PI * rq * rq,
            max_relative = 1e-9
        );
        // Symmetric about the equator.
        assert_relative_eq!(rows[0], rows[179], max_relative = 1e-12);
    }

    #[test]
    fn projected_and_ambiguous_grids() {
        // UTM 49N 30 m cells: 0.09 ha per cell in every row.
        let utm =
            GridShape::with_geotransform(2, 2, [500_000.0, 30.0, 0.0, 2_800_000.0, 0.0, -30.0])
                .unwrap()
                .with_epsg(32649);
        assert_eq!(cell_area_ha_by_row(&utm).unwrap(), vec![0.09, 0.09]);
        // 0.01° cells without EPSG: refused, then measured when declared geographic.
        let deg = GridShape::with_geotransform(2, 2, [100.0, 0.01, 0.0, 30.0, 0.0, -0.01]).unwrap();
        assert!(matches!(
            cell_area_ha_by_row(&deg),
            Err(LandscapeError::AmbiguousCrs { ref epsg, cell_width, .. })
                if epsg == "none" && cell_width == 0.01
        ));
        // Unknown geographic code (NAD83, 4269) with degree cells: also refused.
        assert!(cell_area_ha_by_row(&deg.clone().with_epsg(4269)).is_err());
        let rows = cell_area_ha_by_row_as(&deg, CrsKind::Geographic);
        // A 0.01° cell at 29.99–30°N: 106.96 ha (closed form; Simpson below).
        assert_relative_eq!(
            rows[0],
            band_area_simpson_m2(29.99, 30.0, 0.01) / 1e4,
            max_relative = 1e-9
        );
        assert_relative_eq!(rows[0], 106.962_678, max_relative = 1e-8);
        assert!(rows[0] < rows[1]); // the northern row is smaller
    }
}
