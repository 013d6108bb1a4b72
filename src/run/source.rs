//! [`RowSource`]: a raster read by blocks of rows, so that a run never holds a whole layer.

use std::ops::Range;

use crate::error::{GepError, InvestError};
use crate::io::{GeoTiffReader, Raster, RasterData};

use super::align::GridInfo;

/// A single-band raster read by blocks of rows, in order.
///
/// [`MemorySource`] serves a [`Raster`] held in memory; [`open_geotiff`] opens a GeoTIFF file.
pub trait RowSource: Send {
    /// Name of the source for messages: the file path.
    fn path(&self) -> &str;
    /// Size, georeferencing and nodata.
    fn info(&self) -> &GridInfo;
    /// The cells of rows `rows` (row-major), in the file's data type.
    fn read_rows(&mut self, rows: Range<usize>) -> Result<RasterData, GepError>;
}

/// A [`RowSource`] over a raster in memory.
#[derive(Debug, Clone)]
pub struct MemorySource {
    path: String,
    info: GridInfo,
    raster: Raster,
}

impl MemorySource {
    /// Serves `raster` under the name `path`.
    pub fn new(path: impl Into<String>, raster: Raster) -> Self {
        Self {
            path: path.into(),
            info: GridInfo::of_raster(&raster),
            raster,
        }
    }
}

impl RowSource for MemorySource {
    fn path(&self) -> &str {
        &self.path
    }

    fn info(&self) -> &GridInfo {
        &self.info
    }

    fn read_rows(&mut self, rows: Range<usize>) -> Result<RasterData, GepError> {
        if rows.start > rows.end || rows.end > self.raster.rows {
            return Err(InvestError::Read {
                path: self.path.clone(),
                message: format!(
                    "rows {}..{} outside the raster's {} rows",
                    rows.start, rows.end, self.raster.rows
                ),
            }
            .into());
        }
        let c = self.raster.cols;
        let r = rows.start * c..rows.end * c;
        Ok(match &self.raster.data {
            RasterData::U8(v) => RasterData::U8(v[r].to_vec()),
            RasterData::I8(v) => RasterData::I8(v[r].to_vec()),
            RasterData::U16(v) => RasterData::U16(v[r].to_vec()),
            RasterData::I16(v) => RasterData::I16(v[r].to_vec()),
            RasterData::U32(v) => RasterData::U32(v[r].to_vec()),
            RasterData::I32(v) => RasterData::I32(v[r].to_vec()),
            RasterData::F32(v) => RasterData::F32(v[r].to_vec()),
            RasterData::F64(v) => RasterData::F64(v[r].to_vec()),
        })
    }
}

/// A GeoTIFF read by row blocks through [`GeoTiffReader`]: only the chunks (strips or tiles)
/// of the rows asked are decoded, so memory does not grow with the raster.
#[derive(Debug)]
pub struct GeoTiffSource {
    path: String,
    info: GridInfo,
    reader: GeoTiffReader,
}

impl RowSource for GeoTiffSource {
    fn path(&self) -> &str {
        &self.path
    }

    fn info(&self) -> &GridInfo {
        &self.info
    }

    fn read_rows(&mut self, rows: Range<usize>) -> Result<RasterData, GepError> {
        Ok(self.reader.read_rows(rows)?)
    }
}

/// Opens the GeoTIFF at `path` as a [`RowSource`] (a [`GeoTiffSource`]).
pub fn open_geotiff(path: &std::path::Path) -> Result<Box<dyn RowSource>, GepError> {
    let reader = GeoTiffReader::open(path)?;
    Ok(Box::new(GeoTiffSource {
        path: path.display().to_string(),
        info: GridInfo::of_info(reader.info()),
        reader,
    }))
}
