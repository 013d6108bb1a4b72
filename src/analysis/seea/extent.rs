//! The ecosystem extent account and its change matrix (METHODS.md §4.1).

use std::io::Write;

use crate::account::sum::neumaier_sum;
use crate::analysis::scenario::TransitionMatrix;
use crate::error::AnalysisError;
use crate::landscape::{EcosystemType, Landscape};

/// One ecosystem type's line of an extent account (ha).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExtentRow {
    /// Ecosystem type.
    pub ecosystem: EcosystemType,
    /// Opening extent.
    pub opening_ha: f64,
    /// Area converted to this type from others.
    pub additions_ha: f64,
    /// Area converted from this type to others.
    pub reductions_ha: f64,
    /// `closing − opening`.
    pub net_change_ha: f64,
    /// Closing extent.
    pub closing_ha: f64,
}

/// The ecosystem extent account between two land-cover maps of the same units (METHODS.md
/// §4.1): opening and closing extent by ecosystem type, additions, reductions, net change, and
/// the change matrix (opening type × closing type). Units with nodata land cover in either map
/// are left out and counted.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtentAccount {
    rows: Vec<ExtentRow>,
    matrix_ha: Vec<Vec<f64>>,
    nodata_units: u64,
    nodata_area_ha: f64,
}

impl ExtentAccount {
    /// The extent account from the opening and closing maps ([`TransitionMatrix::areas`]).
    pub fn new(opening: &Landscape, closing: &Landscape) -> Result<Self, AnalysisError> {
        let t = TransitionMatrix::areas(opening, closing)?;
        let matrix_ha = t.ecosystem_areas_ha();
        let m = EcosystemType::ALL.len();
        let rows = EcosystemType::ALL
            .iter()
            .enumerate()
            .map(|(i, &ecosystem)| {
                let opening_ha = neumaier_sum(matrix_ha[i].iter().copied());
                let closing_ha = neumaier_sum((0..m).map(|j| matrix_ha[j][i]));
                ExtentRow {
                    ecosystem,
                    opening_ha,
                    additions_ha: neumaier_sum((0..m).filter(|&j| j != i).map(|j| matrix_ha[j][i])),
                    reductions_ha: neumaier_sum(
                        (0..m).filter(|&j| j != i).map(|j| matrix_ha[i][j]),
                    ),
                    net_change_ha: closing_ha - opening_ha,
                    closing_ha,
                }
            })
            .collect();
        let (nodata_units, nodata_area_ha) = t.nodata();
        Ok(Self {
            rows,
            matrix_ha,
            nodata_units,
            nodata_area_ha,
        })
    }

    /// One row per ecosystem type, [`EcosystemType::ALL`] order.
    pub fn rows(&self) -> &[ExtentRow] {
        &self.rows
    }

    /// Change matrix `[opening][closing]` in ha, [`EcosystemType::ALL`] order.
    pub fn change_matrix_ha(&self) -> &[Vec<f64>] {
        &self.matrix_ha
    }

    /// Units left out (nodata land cover in either map) and their area in ha.
    pub fn nodata(&self) -> (u64, f64) {
        (self.nodata_units, self.nodata_area_ha)
    }

    /// Writes the extent account as CSV.
    pub fn write_csv<W: Write>(&self, mut w: W) -> std::io::Result<()> {
        writeln!(
            w,
            "ecosystem,opening_ha,additions_ha,reductions_ha,net_change_ha,closing_ha"
        )?;
        for r in &self.rows {
            writeln!(
                w,
                "{},{},{},{},{},{}",
                r.ecosystem,
                r.opening_ha,
                r.additions_ha,
                r.reductions_ha,
                r.net_change_ha,
                r.closing_ha
            )?;
        }
        Ok(())
    }

    /// Writes the change matrix as CSV (rows: opening type; columns: closing type; ha).
    pub fn write_matrix_csv<W: Write>(&self, mut w: W) -> std::io::Result<()> {
        let names: Vec<&str> = EcosystemType::ALL.iter().map(|e| e.name()).collect();
        writeln!(w, "opening\\closing,{}", names.join(","))?;
        for (i, row) in self.matrix_ha.iter().enumerate() {
            let cells: Vec<String> = row.iter().map(|x| x.to_string()).collect();
            writeln!(w, "{},{}", names[i], cells.join(","))?;
        }
        Ok(())
    }
}
