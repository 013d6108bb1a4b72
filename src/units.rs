//! Units of measure and named conversions.
//!
//! Quantities travel as plain `f64`/`f32` whose unit is in the name (`area_ha`, `precip_mm`,
//! `price_yuan_per_t`). Every conversion between units is a named function here, so that
//! t C and t CO₂ (or mm and m³) are never mixed silently.
//!
//! Molar masses are exact ratios of the atomic masses used in METHODS.md §2.8–2.9
//! (C 12, O 16, H 1): CO₂ 44, O₂ 32, polysaccharide C₆H₁₀O₅ 162.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Square metres per hectare.
pub const M2_PER_HA: f64 = 10_000.0;
/// Hectares per square kilometre.
pub const HA_PER_KM2: f64 = 100.0;
/// Grams per tonne.
pub const G_PER_T: f64 = 1.0e6;
/// kJ per kWh.
pub const KJ_PER_KWH: f64 = 3600.0;

/// t CO₂ per t C: 44/12 (molar masses; METHODS.md §2.8, \[D\]).
pub const CO2_PER_C: f64 = 44.0 / 12.0;
/// t O₂ released per t CO₂ fixed: 32/44 (route A, METHODS.md §2.9, \[D\]).
pub const O2_PER_CO2: f64 = 32.0 / 44.0;
/// t CO₂ fixed per t dry matter: 264/162 ≈ 1.63 (photosynthesis equation, METHODS.md §2.8 route B).
pub const CO2_PER_DRY_MATTER: f64 = 264.0 / 162.0;
/// t O₂ released per t dry matter: 192/162 ≈ 1.185 (METHODS.md §2.9 route B).
pub const O2_PER_DRY_MATTER: f64 = 192.0 / 162.0;
/// t C per t dry matter (polysaccharide C₆H₁₀O₅): 72/162 ≈ 0.444 (METHODS.md §2.8).
pub const C_PER_DRY_MATTER: f64 = 72.0 / 162.0;

/// Converts a carbon mass (t C) to the CO₂ mass that contains it (t CO₂): × 44/12.
///
/// ```
/// assert!((gep::units::c_to_co2(12.0) - 44.0).abs() < 1e-12);
/// ```
pub fn c_to_co2(t_c: f64) -> f64 {
    t_c * CO2_PER_C
}

/// Converts a CO₂ mass (t CO₂) to its carbon content (t C): × 12/44.
pub fn co2_to_c(t_co2: f64) -> f64 {
    t_co2 / CO2_PER_C
}

/// Converts a price per t C into the equivalent price per t CO₂: × 12/44.
///
/// ```
/// // 1320 yuan/t C (Jiang et al. 2017) is 360 yuan/t CO₂.
/// assert!((gep::units::price_per_c_to_per_co2(1320.0) - 360.0).abs() < 1e-9);
/// ```
pub fn price_per_c_to_per_co2(price_per_t_c: f64) -> f64 {
    price_per_t_c / CO2_PER_C
}

/// Converts a price per t CO₂ into the equivalent price per t C: × 44/12.
pub fn price_per_co2_to_per_c(price_per_t_co2: f64) -> f64 {
    price_per_t_co2 * CO2_PER_C
}

/// Water volume (m³) of a depth in mm over an area in ha: 1 mm × 1 ha = 10 m³.
///
/// ```
/// assert_eq!(gep::units::mm_over_ha_to_m3(100.0, 2.0), 2000.0);
/// ```
pub fn mm_over_ha_to_m3(depth_mm: f64, area_ha: f64) -> f64 {
    depth_mm * area_ha * 10.0
}

/// Water volume (m³) of a depth in mm over an area in km²: 1 mm × 1 km² = 1000 m³.
pub fn mm_over_km2_to_m3(depth_mm: f64, area_km2: f64) -> f64 {
    depth_mm * area_km2 * 1000.0
}

/// Area density g/m² → t/ha: × 0.01 (10⁴ m²/ha ÷ 10⁶ g/t).
///
/// ```
/// // An NPP of 500 g C/m²/yr is 5 t C/ha/yr.
/// assert!((gep::units::g_per_m2_to_t_per_ha(500.0) - 5.0).abs() < 1e-12);
/// ```
pub fn g_per_m2_to_t_per_ha(g_per_m2: f64) -> f64 {
    g_per_m2 * M2_PER_HA / G_PER_T
}

/// Hectares → km².
pub fn ha_to_km2(area_ha: f64) -> f64 {
    area_ha / HA_PER_KM2
}

/// km² → hectares.
pub fn km2_to_ha(area_km2: f64) -> f64 {
    area_km2 * HA_PER_KM2
}

/// The physical unit of an ecosystem-service quantity or of what a price is paid per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PhysicalUnit {
    /// Cubic metres of water (m³).
    CubicMetre,
    /// Tonnes of carbon (t C).
    TonneC,
    /// Tonnes of carbon dioxide (t CO₂).
    TonneCo2,
    /// Tonnes of oxygen (t O₂).
    TonneO2,
    /// Tonnes of a material (soil, sediment, pollutant, product).
    Tonne,
    /// Kilowatt-hours of energy.
    KilowattHour,
    /// Hectares.
    Hectare,
    /// Kilometres (length, e.g. protected coastline).
    Kilometre,
    /// Square metres (land area, e.g. land kept from burial by sand).
    SquareMetre,
    /// Visits (recreation).
    Visit,
    /// Money itself, in yuan (for statistics recorded as output value).
    Yuan,
    /// US dollars of a source's price year (value-transfer unit values, converted by the
    /// valuation with an exchange rate and deflator).
    UsDollar,
    /// Standard-equivalent hectares of the equivalent-factor method (Σ area × factor).
    EquivalentHectare,
}

impl PhysicalUnit {
    /// Short symbol, as printed in tables (`m3`, `t C`, `t CO2`, ...).
    pub fn symbol(self) -> &'static str {
        match self {
            Self::CubicMetre => "m3",
            Self::TonneC => "t C",
            Self::TonneCo2 => "t CO2",
            Self::TonneO2 => "t O2",
            Self::Tonne => "t",
            Self::KilowattHour => "kWh",
            Self::Hectare => "ha",
            Self::Kilometre => "km",
            Self::SquareMetre => "m2",
            Self::Visit => "visit",
            Self::Yuan => "yuan",
            Self::UsDollar => "USD",
            Self::EquivalentHectare => "equivalent-ha",
        }
    }
}

impl fmt::Display for PhysicalUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn carbon_to_co2_and_back_t() {
        // 3 t C = 11 t CO2 by molar masses 12 and 44.
        assert_relative_eq!(c_to_co2(3.0), 11.0, max_relative = 1e-15);
        assert_relative_eq!(co2_to_c(11.0), 3.0, max_relative = 1e-15);
    }

    #[test]
    fn dry_matter_factors_match_methods_register() {
        // METHODS.md §2.16: 1.63 t CO2 and 1.19 t O2 per t dry matter, 0.444 t C.
        assert_relative_eq!(CO2_PER_DRY_MATTER, 1.63, max_relative = 1e-3);
        assert_relative_eq!(O2_PER_DRY_MATTER, 1.185, max_relative = 1e-3);
        assert_relative_eq!(C_PER_DRY_MATTER, 0.4444, max_relative = 1e-3);
        assert_relative_eq!(O2_PER_CO2, 0.7273, max_relative = 1e-4);
    }

    #[test]
    fn water_depth_over_area_m3() {
        // 1 mm over 1 km² = 1000 m³; 1 mm over 1 ha = 10 m³.
        assert_relative_eq!(mm_over_km2_to_m3(1.0, 1.0), 1000.0);
        assert_relative_eq!(mm_over_ha_to_m3(757.0, 0.09), 681.3, max_relative = 1e-12);
        assert_relative_eq!(
            mm_over_km2_to_m3(5.0, 2.0),
            mm_over_ha_to_m3(5.0, km2_to_ha(2.0))
        );
    }
}
