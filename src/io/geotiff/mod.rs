//! GeoTIFF reading and writing (feature `geotiff`): our own TIFF/BigTIFF layer, LZW through
//! `weezl`, DEFLATE through `flate2` on the pure-Rust `zlib-rs` backend, strips and tiles
//! decoded and encoded in parallel on the caller's rayon pool, in a fixed chunk order (the
//! bytes written do not depend on the number of threads).
//!
//! [`GeoTiffReader`] reads any rows of band 1 ([`read_rows`](GeoTiffReader::read_rows), or
//! converted to f32 into a caller buffer with [`read_rows_f32`](GeoTiffReader::read_rows_f32));
//! [`GeoTiffWriter`] writes a raster rows after rows, compressing each finished band of chunks
//! as it goes. [`read_geotiff`] / [`write_geotiff`] are the whole-raster wrappers.
//!
//! Georeferencing: the GDAL geotransform from ModelTransformation (34264) or pixel scale
//! (33550) + tie point (33922); EPSG from the GeoKeyDirectory (34735: ProjectedCSTypeGeoKey
//! 3072, else GeographicTypeGeoKey 2048); nodata from GDAL_NODATA (42113, ASCII, `nan`
//! allowed) — the tags GDAL reads and writes (GeoTIFF 1.1, OGC 19-008r4).

mod codec;
mod read;
mod write;

pub use read::{read_geotiff, GeoTiffReader};
pub use write::{write_geotiff, GeoTiffWriter, TiffCompression, TiffPredictor, WriteOptions};

/// The sample (cell) type of a raster band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SampleType {
    /// Unsigned 8-bit integers (GDAL `Byte`).
    U8,
    /// Signed 8-bit integers.
    I8,
    /// Unsigned 16-bit integers.
    U16,
    /// Signed 16-bit integers.
    I16,
    /// Unsigned 32-bit integers.
    U32,
    /// Signed 32-bit integers.
    I32,
    /// 32-bit floats.
    F32,
    /// 64-bit floats.
    F64,
}

impl SampleType {
    /// Bytes per sample.
    pub fn size(self) -> usize {
        match self {
            Self::U8 | Self::I8 => 1,
            Self::U16 | Self::I16 => 2,
            Self::U32 | Self::I32 | Self::F32 => 4,
            Self::F64 => 8,
        }
    }

    /// Whether the type is a floating-point type.
    pub fn is_float(self) -> bool {
        matches!(self, Self::F32 | Self::F64)
    }

    /// The sample type of `data`.
    pub fn of(data: &crate::io::RasterData) -> Self {
        use crate::io::RasterData as D;
        match data {
            D::U8(_) => Self::U8,
            D::I8(_) => Self::I8,
            D::U16(_) => Self::U16,
            D::I16(_) => Self::I16,
            D::U32(_) => Self::U32,
            D::I32(_) => Self::I32,
            D::F32(_) => Self::F32,
            D::F64(_) => Self::F64,
        }
    }
}

/// What a GeoTIFF holds, without its cells: size, georeferencing, nodata, sample type and
/// the size of its chunks (tiles, or strips `width × rows_per_strip`).
#[derive(Debug, Clone, PartialEq)]
pub struct RasterInfo {
    /// Columns (pixels per line).
    pub width: usize,
    /// Rows (lines).
    pub height: usize,
    /// GDAL geotransform: `x = gt[0] + col·gt[1] + row·gt[2]`, `y = gt[3] + col·gt[4] + row·gt[5]`.
    pub geotransform: [f64; 6],
    /// EPSG code of the coordinate reference system, when declared.
    pub epsg: Option<u32>,
    /// The nodata value (GDAL_NODATA), if any.
    pub nodata: Option<f64>,
    /// Sample type of the cells.
    pub sample: SampleType,
    /// Chunk width in cells (the tile width, or `width` for strips).
    pub block_width: usize,
    /// Chunk height in cells (the tile height, or rows per strip).
    pub block_height: usize,
}

impl RasterInfo {
    /// The info of `raster` (block sizes set to one strip of 1 row; writers take theirs from
    /// [`WriteOptions`]).
    pub fn of(raster: &crate::io::Raster) -> Self {
        Self {
            width: raster.cols,
            height: raster.rows,
            geotransform: raster.geotransform,
            epsg: raster.epsg,
            nodata: raster.nodata,
            sample: SampleType::of(&raster.data),
            block_width: raster.cols,
            block_height: 1,
        }
    }
}
