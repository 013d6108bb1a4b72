//! [`Layer`]: a named f32 column with its unit in the name and an optional nodata value.

use ndarray::ArrayView1;

use crate::error::LandscapeError;

/// A named per-unit input layer (`precip_mm`, `aet_mm`, `npp_gc_per_m2`, ...).
///
/// Values equal to the declared nodata, and NaN when the nodata value is NaN, mark units
/// without data; a NaN anywhere else is refused when the landscape is built.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    name: String,
    values: Vec<f32>,
    nodata: Option<f32>,
}

impl Layer {
    pub(crate) fn checked(
        name: String,
        values: Vec<f32>,
        nodata: Option<f32>,
    ) -> Result<Self, LandscapeError> {
        if !is_valid_layer_name(&name) {
            return Err(LandscapeError::BadLayerName { layer: name });
        }
        let nodata_is_nan = nodata.is_some_and(f32::is_nan);
        let is_nodata = |v: f32| (nodata_is_nan && v.is_nan()) || Some(v) == nodata;
        if let Some((unit, &value)) = values
            .iter()
            .enumerate()
            .find(|(_, v)| !v.is_finite() && !is_nodata(**v))
        {
            return Err(LandscapeError::NonFinite {
                layer: name,
                unit,
                value,
                nodata: nodata.map_or_else(|| "none".to_string(), |n| n.to_string()),
            });
        }
        Ok(Self {
            name,
            values,
            nodata,
        })
    }

    /// The layer's name, unit included.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The values as a contiguous slice (one per unit).
    pub fn as_slice(&self) -> &[f32] {
        &self.values
    }

    /// The values as an ndarray view.
    pub fn view(&self) -> ArrayView1<'_, f32> {
        ArrayView1::from(&self.values[..])
    }

    /// The declared nodata value.
    pub fn nodata(&self) -> Option<f32> {
        self.nodata
    }

    /// A sentinel for the branch-free validity test `v == v && v != sentinel`: the nodata value,
    /// or NaN when there is none (NaN compares unequal to everything).
    pub fn nodata_sentinel(&self) -> f32 {
        self.nodata.unwrap_or(f32::NAN)
    }

    /// Whether `v` is a valid (not nodata) value of this layer.
    #[inline]
    pub fn is_valid(&self, v: f32) -> bool {
        is_valid_value(v, self.nodata_sentinel())
    }

    /// Number of units with nodata.
    pub fn nodata_count(&self) -> usize {
        let s = self.nodata_sentinel();
        self.values
            .iter()
            .filter(|&&v| !is_valid_value(v, s))
            .count()
    }

    pub(crate) fn slice(&self, range: std::ops::Range<usize>) -> Self {
        Self {
            name: self.name.clone(),
            values: self.values[range].to_vec(),
            nodata: self.nodata,
        }
    }
}

/// `v` is valid when it is not NaN and not the nodata sentinel.
#[inline(always)]
pub fn is_valid_value(v: f32, nodata_sentinel: f32) -> bool {
    #[allow(clippy::eq_op)] // v == v is the NaN test, kept branch-free
    let not_nan = v == v;
    not_nan & (v != nodata_sentinel)
}

/// Layer names are `[a-z0-9_]+` with at least one `_` separating quantity and unit.
pub fn is_valid_layer_name(name: &str) -> bool {
    !name.is_empty()
        && name.contains('_')
        && !name.starts_with('_')
        && !name.ends_with('_')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}
