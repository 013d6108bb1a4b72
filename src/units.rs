//! Units and named conversions. (Filled in by the foundation.)

/// Square metres per hectare.
pub const M2_PER_HA: f64 = 10_000.0;
