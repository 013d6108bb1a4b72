//! [`Coverage`]: how many cells of each input layer were read, valid and nodata, and how many
//! cells the account used — the answer to "where did my landscape go?".

use serde::{Deserialize, Serialize};

/// Cells of one input layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerCoverage {
    /// Layer name (`precip_mm`), or `land_cover` / `regions`.
    pub name: String,
    /// The file it was read from.
    pub path: String,
    /// Cells read.
    pub cells: u64,
    /// Cells with a value (not the file's nodata, not NaN).
    pub valid: u64,
    /// Cells with the file's nodata (or NaN).
    pub nodata: u64,
}

/// Coverage of a run on rasters: per layer, cells read, valid and nodata; and cells used.
///
/// `used + land_cover_nodata + region_nodata + masked == cells`: a cell is used when its land
/// cover and region are known and, under mutual masking, every layer has a value there.
/// Coverages of row blocks add up ([`Coverage::merge`]), like the accounts they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Coverage {
    /// Cells of the grid read.
    pub cells: u64,
    /// Cells whose land cover is nodata.
    pub land_cover_nodata: u64,
    /// Cells with land cover whose region is nodata (outside every region).
    pub region_nodata: u64,
    /// Cells with land cover and region excluded because a layer is nodata there (mutual
    /// masking; 0 when layers are masked one by one by each service).
    pub masked: u64,
    /// Cells handed to the services.
    pub used: u64,
    /// Per input layer, in configuration order (land cover and regions first).
    pub layers: Vec<LayerCoverage>,
}

impl Coverage {
    /// Adds the counts of `other` (a coverage of other cells of the same layers).
    pub fn merge(&mut self, other: &Coverage) {
        self.cells += other.cells;
        self.land_cover_nodata += other.land_cover_nodata;
        self.region_nodata += other.region_nodata;
        self.masked += other.masked;
        self.used += other.used;
        if self.layers.is_empty() {
            self.layers = other.layers.clone();
            return;
        }
        for (a, b) in self.layers.iter_mut().zip(&other.layers) {
            a.cells += b.cells;
            a.valid += b.valid;
            a.nodata += b.nodata;
        }
    }

    /// Share of the grid's cells used by the account (0 for an empty coverage).
    pub fn used_fraction(&self) -> f64 {
        if self.cells == 0 {
            0.0
        } else {
            self.used as f64 / self.cells as f64
        }
    }
}
