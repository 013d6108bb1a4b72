//! LULC → table row lookup, the way InVEST's "reclassify" does it (INVEST_MODELS.md §0):
//! every valid LULC value must have a row (else one error listing the missing codes, sorted);
//! LULC nodata maps to "no row" unless the table has a row for the nodata value itself.

use std::collections::BTreeSet;

use crate::error::InvestError;
use crate::io::raster::with_data;
use crate::io::{Raster, RasterData};

/// Row index of a cell without a row (LULC nodata).
pub const NO_ROW: u32 = u32::MAX;

/// Maps every cell of `lulc` to the index of its row in `codes` (the table's `lucode` column),
/// or [`NO_ROW`] for LULC nodata. `raster` and `table` name the files for the error.
pub fn row_index(
    lulc: &Raster,
    codes: &[i64],
    raster: &str,
    table: &str,
) -> Result<Vec<u32>, InvestError> {
    let mut lookup = RowLookup::new(codes);
    let mut out = Vec::with_capacity(lulc.data.len());
    lookup.map(&lulc.data, lulc.nodata, &mut out);
    lookup.finish(raster, table)?;
    Ok(out)
}

/// [`row_index`] block by block: [`map`](Self::map) the blocks in order, then
/// [`finish`](Self::finish) reports every code that had no row.
pub(crate) struct RowLookup {
    lut: CodeLut,
    missing: BTreeSet<i64>,
    /// Values that are not integers (bit patterns of the f64 values).
    non_integer: BTreeSet<u64>,
}

impl RowLookup {
    pub(crate) fn new(codes: &[i64]) -> Self {
        Self {
            lut: CodeLut::new(codes),
            missing: BTreeSet::new(),
            non_integer: BTreeSet::new(),
        }
    }

    /// Appends the row of each cell of `data` (LULC with `nodata`) to `out`.
    #[allow(clippy::unnecessary_cast)]
    pub(crate) fn map(&mut self, data: &RasterData, nodata: Option<f64>, out: &mut Vec<u32>) {
        let lut = &self.lut;
        let missing = &mut self.missing;
        let non_integer = &mut self.non_integer;
        let nodata_row = nodata.and_then(|nd| {
            if nd.fract() == 0.0 {
                lut.get(nd as i64)
            } else {
                None
            }
        });
        out.reserve(data.len());
        let float = data.is_float();
        with_data!(data, v => {
            // LULC comes in runs of one code: the last cell's row is reused (NaN never
            // matches, and -0 maps as 0 would).
            let mut last = None;
            for &x in v.iter() {
                if let Some((y, row)) = last {
                    if x == y {
                        out.push(row);
                        continue;
                    }
                }
                let typed = x;
                let x = x as f64;
                let is_nd = match nodata {
                    Some(nd) if float => crate::io::is_nodata_f(x, nd),
                    Some(nd) => x == nd,
                    None => false,
                };
                let row = if is_nd {
                    nodata_row.unwrap_or(NO_ROW)
                } else if x.fract() == 0.0 {
                    let code = x as i64;
                    lut.get(code).unwrap_or_else(|| {
                        missing.insert(code);
                        NO_ROW
                    })
                } else {
                    // 1.5 (or NaN not declared as nodata) is no land-cover code at all.
                    non_integer.insert(x.to_bits());
                    NO_ROW
                };
                out.push(row);
                last = Some((typed, row));
            }
        });
    }

    /// The error listing the codes without a row, if any.
    pub(crate) fn finish(self, raster: &str, table: &str) -> Result<(), InvestError> {
        if !self.non_integer.is_empty() {
            let mut values: Vec<f64> = self.non_integer.into_iter().map(f64::from_bits).collect();
            values.sort_by(f64::total_cmp);
            return Err(InvestError::NonIntegerCodes {
                raster: raster.into(),
                values,
            });
        }
        if self.missing.is_empty() {
            return Ok(());
        }
        Err(InvestError::MissingCodes {
            raster: raster.into(),
            table: table.into(),
            codes: self.missing.into_iter().collect(),
        })
    }
}

/// Dense code → row lookup when the codes span a small range, sorted search otherwise.
struct CodeLut {
    min: i64,
    dense: Vec<u32>,
    sorted: Vec<(i64, u32)>,
}

impl CodeLut {
    fn new(codes: &[i64]) -> Self {
        let min = codes.iter().copied().min().unwrap_or(0);
        let max = codes.iter().copied().max().unwrap_or(0);
        let span = max.saturating_sub(min);
        let mut sorted: Vec<(i64, u32)> = codes.iter().copied().zip(0u32..).collect();
        sorted.sort_unstable();
        let mut dense = Vec::new();
        if !codes.is_empty() && (0..1 << 20).contains(&span) {
            dense = vec![NO_ROW; span as usize + 1];
            for &(c, i) in &sorted {
                dense[(c - min) as usize] = i;
            }
        }
        Self { min, dense, sorted }
    }

    #[inline]
    fn get(&self, code: i64) -> Option<u32> {
        if !self.dense.is_empty() {
            let k = code.wrapping_sub(self.min);
            return match usize::try_from(k).ok().and_then(|k| self.dense.get(k)) {
                Some(&r) if r != NO_ROW => Some(r),
                _ => None,
            };
        }
        self.sorted
            .binary_search_by_key(&code, |&(c, _)| c)
            .ok()
            .map(|k| self.sorted[k].1)
    }
}

/// Values of a float raster as f32 (borrowed when already f32), and its validity mask by
/// InVEST's nodata test.
pub fn f32_values(raster: &Raster) -> (std::borrow::Cow<'_, [f32]>, Vec<bool>) {
    let values = match &raster.data {
        RasterData::F32(v) => std::borrow::Cow::Borrowed(v.as_slice()),
        other => std::borrow::Cow::Owned(other.to_f32()),
    };
    (values, raster.valid_mask())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs of one code reuse the last row: the rows and the missing codes are those of a
    /// cell-by-cell lookup (codes 5 → row 0, 7 → row 1; 9 missing; 255 nodata).
    #[test]
    fn runs_of_codes_map_as_single_cells() {
        let mut l = RowLookup::new(&[5, 7]);
        let mut out = Vec::new();
        let data = RasterData::U8(vec![5, 5, 7, 7, 255, 255, 5, 9, 9, 7]);
        l.map(&data, Some(255.0), &mut out);
        assert_eq!(out, [0, 0, 1, 1, NO_ROW, NO_ROW, 0, NO_ROW, NO_ROW, 1]);
        match l.finish("lulc.tif", "bio.csv") {
            Err(InvestError::MissingCodes { codes, .. }) => assert_eq!(codes, [9]),
            other => panic!("expected missing code 9, got {other:?}"),
        }
        // Floats: NaN nodata never matches the previous cell; -0 and 0 are code 0 (row 0);
        // 1.5 is not an integer code: reported as the value it is, not as code 1.
        let mut l = RowLookup::new(&[0, 1]);
        let mut out = Vec::new();
        let data = RasterData::F32(vec![f32::NAN, f32::NAN, 1.0, -0.0, 0.0, 1.5, 1.5]);
        l.map(&data, Some(f64::NAN), &mut out);
        assert_eq!(out, [NO_ROW, NO_ROW, 1, 0, 0, NO_ROW, NO_ROW]);
        let e = l.finish("lulc.tif", "bio.csv");
        match &e {
            Err(InvestError::NonIntegerCodes { values, .. }) => assert_eq!(values, &[1.5]),
            other => panic!("expected the non-integer value 1.5, got {other:?}"),
        }
        assert_eq!(
            e.unwrap_err().to_string(),
            "`lulc.tif`: land-cover values that are not integer codes: [1.5]"
        );
    }
}
