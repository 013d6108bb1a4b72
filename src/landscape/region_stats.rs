//! [`RegionStats`]: per-region statistics (emissions, pollutant loads, reservoir capacities,
//! visitor numbers, yearbook output), one named column per quantity with its unit in the name.
//!
//! A missing value is `None` and means "no data" — the region is then *unvalued* for the
//! services that need it, never valued at zero (METHODS.md §6).

use serde::{Deserialize, Serialize};

use crate::error::LandscapeError;
use crate::landscape::{is_valid_layer_name, Regions};

/// One statistic for every region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionColumn {
    /// Name with its unit (`so2_emission_t`).
    pub name: String,
    /// Value per region index; `None` = no data.
    pub values: Vec<Option<f64>>,
    /// Where the figures come from.
    #[serde(default)]
    pub source: String,
}

/// Checked per-region statistics: every column has one finite value (or `None`) per region.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RegionStats {
    columns: Vec<RegionColumn>,
}

impl RegionStats {
    /// No statistics.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a column after checking its name, length and values against `regions`.
    pub fn insert(
        &mut self,
        regions: &Regions,
        column: RegionColumn,
    ) -> Result<(), LandscapeError> {
        if !is_valid_layer_name(&column.name) {
            return Err(LandscapeError::BadLayerName { layer: column.name });
        }
        if column.values.len() != regions.len() {
            return Err(LandscapeError::LengthMismatch {
                layer: column.name,
                expected: regions.len(),
                len: column.values.len(),
            });
        }
        if let Some((region, value)) = column
            .values
            .iter()
            .enumerate()
            .find_map(|(i, v)| v.filter(|x| !x.is_finite()).map(|x| (i, x)))
        {
            return Err(LandscapeError::NonFinite {
                layer: column.name,
                unit: region,
                value: value as f32,
                nodata: "none (use an empty value for missing data)".into(),
            });
        }
        if self.get(&column.name).is_some() {
            return Err(LandscapeError::DuplicateLayer { layer: column.name });
        }
        self.columns.push(column);
        self.columns.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(())
    }

    /// The column with this name.
    pub fn get(&self, name: &str) -> Option<&RegionColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The value of `name` for `region`: `None` when the column is absent or the value missing.
    pub fn value(&self, name: &str, region: usize) -> Option<f64> {
        self.get(name)
            .and_then(|c| c.values.get(region).copied().flatten())
    }

    /// All columns, sorted by name.
    pub fn columns(&self) -> &[RegionColumn] {
        &self.columns
    }
}
