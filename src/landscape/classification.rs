//! Land-cover classification: user codes → classes → ecosystem types.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::LandscapeError;

/// Broad ecosystem type of a land-cover class (the national ecosystem classes of Chinese GEP
/// practice, METHODS.md §4.1), the "ecosystem type" dimension of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EcosystemType {
    /// Forest (broadleaf, coniferous, mixed, sparse).
    Forest,
    /// Shrubland.
    Shrub,
    /// Grassland (meadow, steppe, tussock).
    Grassland,
    /// Wetland (marsh, swamp, floodplain).
    Wetland,
    /// Cropland (paddy, dryland, orchards).
    Cropland,
    /// Open water (rivers, lakes, reservoirs).
    Water,
    /// Urban and built-up land.
    Urban,
    /// Barren land, desert, bare rock.
    Barren,
    /// Glacier and permanent snow.
    Glacier,
    /// Anything else.
    Other,
}

impl EcosystemType {
    /// All types, in the order used by reports.
    pub const ALL: [EcosystemType; 10] = [
        Self::Forest,
        Self::Shrub,
        Self::Grassland,
        Self::Wetland,
        Self::Cropland,
        Self::Water,
        Self::Urban,
        Self::Barren,
        Self::Glacier,
        Self::Other,
    ];

    /// Position in [`EcosystemType::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Lower-case English name (`forest`, `cropland`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Forest => "forest",
            Self::Shrub => "shrub",
            Self::Grassland => "grassland",
            Self::Wetland => "wetland",
            Self::Cropland => "cropland",
            Self::Water => "water",
            Self::Urban => "urban",
            Self::Barren => "barren",
            Self::Glacier => "glacier",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for EcosystemType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One land-cover class: the user's code, a name and its ecosystem type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LandCoverClass {
    /// The code used in the user's land-cover data.
    pub code: i32,
    /// Descriptive name (`evergreen_broadleaf_forest`).
    pub name: String,
    /// Its ecosystem type.
    pub ecosystem: EcosystemType,
}

impl LandCoverClass {
    /// A class.
    pub fn new(code: i32, name: impl Into<String>, ecosystem: EcosystemType) -> Self {
        Self {
            code,
            name: name.into(),
            ecosystem,
        }
    }
}

/// Maximum number of classes: dense class indices are `u16`, `u16::MAX` marks nodata.
pub const MAX_CLASSES: usize = u16::MAX as usize - 1;
/// Code ranges up to this width get a direct lookup table; wider ones use binary search.
const MAX_LUT_SPAN: i64 = 1 << 20;

/// A land-cover classification: a list of classes with unique codes.
///
/// Units of a landscape store the *dense index* of their class (0..n), mapped from codes once
/// when the landscape is built, so that kernels index per-class parameter arrays directly.
///
/// # Examples
/// ```
/// use gep::landscape::{Classification, EcosystemType, LandCoverClass};
/// let classes = Classification::new(vec![
///     LandCoverClass::new(11, "broadleaf_forest", EcosystemType::Forest),
///     LandCoverClass::new(51, "paddy", EcosystemType::Cropland),
/// ]).unwrap();
/// assert_eq!(classes.index_of(51), Some(1));
/// assert_eq!(classes.index_of(7), None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<LandCoverClass>", into = "Vec<LandCoverClass>")]
pub struct Classification {
    classes: Vec<LandCoverClass>,
    /// Sorted (code, index) pairs, for binary search.
    sorted: Vec<(i32, u16)>,
    /// Direct table over `lut_min..lut_min + lut.len()`, when the code span is small.
    lut_min: i64,
    lut: Vec<u16>,
}

impl Classification {
    /// Checks and indexes a list of classes: at least one, at most [`MAX_CLASSES`], unique codes,
    /// non-empty names.
    pub fn new(classes: Vec<LandCoverClass>) -> Result<Self, LandscapeError> {
        let bad = |reason: String| LandscapeError::InvalidClassification { reason };
        if classes.is_empty() {
            return Err(bad("no classes".into()));
        }
        if classes.len() > MAX_CLASSES {
            return Err(bad(format!(
                "{} classes; at most {MAX_CLASSES} are supported",
                classes.len()
            )));
        }
        let mut sorted: Vec<(i32, u16)> = classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code, i as u16))
            .collect();
        sorted.sort_unstable();
        if let Some(w) = sorted.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(bad(format!("code {} is listed twice", w[0].0)));
        }
        if let Some(c) = classes.iter().find(|c| c.name.trim().is_empty()) {
            return Err(bad(format!("class with code {} has an empty name", c.code)));
        }
        let lo = sorted[0].0 as i64;
        let hi = sorted[sorted.len() - 1].0 as i64;
        let (lut_min, lut) = if hi - lo < MAX_LUT_SPAN {
            let mut lut = vec![u16::MAX; (hi - lo + 1) as usize];
            for &(code, idx) in &sorted {
                lut[(code as i64 - lo) as usize] = idx;
            }
            (lo, lut)
        } else {
            (0, Vec::new())
        };
        Ok(Self {
            classes,
            sorted,
            lut_min,
            lut,
        })
    }

    /// The classes, in index order.
    pub fn classes(&self) -> &[LandCoverClass] {
        &self.classes
    }

    /// Number of classes.
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// Always false (a classification has at least one class).
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// Dense index of a code, or `None` if the code is unknown.
    #[inline]
    pub fn index_of(&self, code: i32) -> Option<u16> {
        if !self.lut.is_empty() {
            let off = code as i64 - self.lut_min;
            if off < 0 || off >= self.lut.len() as i64 {
                return None;
            }
            let idx = self.lut[off as usize];
            (idx != u16::MAX).then_some(idx)
        } else {
            self.sorted
                .binary_search_by_key(&code, |&(c, _)| c)
                .ok()
                .map(|p| self.sorted[p].1)
        }
    }

    /// The class at a dense index.
    pub fn class(&self, index: usize) -> Option<&LandCoverClass> {
        self.classes.get(index)
    }

    /// Ecosystem type of each class, in index order.
    pub fn ecosystems(&self) -> Vec<EcosystemType> {
        self.classes.iter().map(|c| c.ecosystem).collect()
    }

    /// The 12-class scheme of the built-in sample county and the default parameter set:
    /// Chinese national ecosystem classes with the subtypes that the runoff-coefficient table
    /// (`data/runoff_coefficients_by_ecosystem.csv`) distinguishes.
    ///
    /// | code | class | type |
    /// |---|---|---|
    /// | 11 | evergreen broadleaf forest | forest |
    /// | 12 | evergreen coniferous forest | forest |
    /// | 13 | mixed coniferous-broadleaf forest | forest |
    /// | 14 | deciduous broadleaf forest | forest |
    /// | 21 | evergreen broadleaf shrub | shrub |
    /// | 31 | tussock grassland | grassland |
    /// | 41 | marsh wetland | wetland |
    /// | 42 | open water | water |
    /// | 51 | paddy | cropland |
    /// | 52 | dryland | cropland |
    /// | 61 | built-up | urban |
    /// | 71 | bare land | barren |
    pub fn gep_default() -> Self {
        use EcosystemType::*;
        let classes = vec![
            LandCoverClass::new(11, "evergreen_broadleaf_forest", Forest),
            LandCoverClass::new(12, "evergreen_coniferous_forest", Forest),
            LandCoverClass::new(13, "mixed_coniferous_broadleaf_forest", Forest),
            LandCoverClass::new(14, "deciduous_broadleaf_forest", Forest),
            LandCoverClass::new(21, "evergreen_broadleaf_shrub", Shrub),
            LandCoverClass::new(31, "tussock_grassland", Grassland),
            LandCoverClass::new(41, "marsh_wetland", Wetland),
            LandCoverClass::new(42, "open_water", Water),
            LandCoverClass::new(51, "paddy", Cropland),
            LandCoverClass::new(52, "dryland", Cropland),
            LandCoverClass::new(61, "built_up", Urban),
            LandCoverClass::new(71, "bare_land", Barren),
        ];
        match Self::new(classes) {
            Ok(c) => c,
            // The table above has unique codes and names; this arm cannot be reached.
            Err(e) => unreachable!("built-in classification is invalid: {e}"),
        }
    }
}

impl TryFrom<Vec<LandCoverClass>> for Classification {
    type Error = LandscapeError;
    fn try_from(classes: Vec<LandCoverClass>) -> Result<Self, Self::Error> {
        Self::new(classes)
    }
}

impl From<Classification> for Vec<LandCoverClass> {
    fn from(c: Classification) -> Self {
        c.classes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_code_is_an_error() {
        let r = Classification::new(vec![
            LandCoverClass::new(1, "a", EcosystemType::Forest),
            LandCoverClass::new(1, "b", EcosystemType::Water),
        ]);
        assert!(matches!(
            r,
            Err(LandscapeError::InvalidClassification { ref reason }) if reason.contains("code 1")
        ));
    }

    #[test]
    fn wide_code_span_uses_binary_search() {
        let c = Classification::new(vec![
            LandCoverClass::new(-5_000_000, "a", EcosystemType::Forest),
            LandCoverClass::new(9_000_000, "b", EcosystemType::Water),
        ])
        .unwrap();
        assert!(c.lut.is_empty());
        assert_eq!(c.index_of(9_000_000), Some(1));
        assert_eq!(c.index_of(0), None);
    }

    #[test]
    fn default_scheme_has_twelve_classes() {
        let c = Classification::gep_default();
        assert_eq!(c.len(), 12);
        assert_eq!(
            c.index_of(42).map(|i| c.classes()[i as usize].ecosystem),
            Some(EcosystemType::Water)
        );
    }
}
