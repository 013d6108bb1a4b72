//! Writing single-band GeoTIFFs: striped (through `tiff`'s encoder: none, LZW, DEFLATE,
//! horizontal predictor on integers) or tiled (our own tile writer: none or LZW through
//! `weezl`, horizontal predictor on integers), with pixel scale, tie point, GeoKeyDirectory
//! (EPSG) and GDAL_NODATA.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::Path;

use tiff::encoder::{colortype, Compression, DeflateLevel, DirectoryEncoder, TiffEncoder};
use tiff::encoder::{TiffKind, TiffKindStandard};
use tiff::tags::{Predictor, Tag};

use crate::error::InvestError;
use crate::io::raster::{with_data, Raster, RasterData};

/// Compression of a written GeoTIFF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TiffCompression {
    /// No compression (fastest to write and read).
    None,
    /// LZW (what InVEST/pygeoprocessing writes by default).
    #[default]
    Lzw,
    /// DEFLATE at the fastest level (striped layout only).
    Deflate,
}

/// How to write a GeoTIFF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOptions {
    /// Compression.
    pub compression: TiffCompression,
    /// Horizontal differencing (TIFF predictor 2); applied to integer rasters only.
    pub predictor: bool,
    /// `Some(n)`: square tiles of `n × n` cells (n a multiple of 16); `None`: strips.
    pub tile: Option<u32>,
    /// Rows per strip, for the striped layout.
    pub rows_per_strip: u32,
}

impl Default for WriteOptions {
    /// Striped, LZW, no predictor, 64 rows per strip.
    fn default() -> Self {
        Self {
            compression: TiffCompression::Lzw,
            predictor: false,
            tile: None,
            rows_per_strip: 64,
        }
    }
}

/// Writes `raster` to `path` as a single-band GeoTIFF.
///
/// # Examples
/// ```
/// use gep::io::{read_geotiff, write_geotiff, Raster, RasterData, WriteOptions};
/// let dir = std::env::temp_dir().join("gep_doc_write_geotiff");
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("a.tif");
/// let raster = Raster {
///     rows: 2, cols: 3,
///     geotransform: [500_000.0, 30.0, 0.0, 4_000_000.0, 0.0, -30.0],
///     epsg: Some(32650),
///     nodata: Some(-1.0),
///     data: RasterData::F32(vec![1.0, 2.5, -1.0, 4.0, 5.0, 6.0]),
/// };
/// write_geotiff(&path, &raster, &WriteOptions::default())?;
/// assert_eq!(read_geotiff(&path)?, raster);
/// # Ok::<(), gep::error::InvestError>(())
/// ```
pub fn write_geotiff(
    path: impl AsRef<Path>,
    raster: &Raster,
    options: &WriteOptions,
) -> Result<(), InvestError> {
    let path = path.as_ref();
    let err = |m: String| InvestError::Write {
        path: path.display().to_string(),
        message: m,
    };
    if raster.data.len() != raster.rows * raster.cols {
        return Err(err(format!(
            "{} values for {} × {} cells",
            raster.data.len(),
            raster.rows,
            raster.cols
        )));
    }
    let file = File::create(path).map_err(|e| err(e.to_string()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let result = match options.tile {
        Some(tile) => write_tiled(&mut out, raster, options, tile),
        None => write_striped(&mut out, raster, options),
    };
    result.map_err(&err)?;
    out.flush().map_err(|e| err(e.to_string()))
}

fn geo_tags<W: Write + Seek, K: TiffKind>(
    dir: &mut DirectoryEncoder<'_, W, K>,
    raster: &Raster,
) -> Result<(), String> {
    let gt = raster.geotransform;
    let e = |e: tiff::TiffError| e.to_string();
    dir.write_tag(Tag::ModelPixelScaleTag, &[gt[1], -gt[5], 0.0][..])
        .map_err(e)?;
    dir.write_tag(
        Tag::ModelTiepointTag,
        &[0.0, 0.0, 0.0, gt[0], gt[3], 0.0][..],
    )
    .map_err(e)?;
    // GeoKeyDirectory: version 1.1.0; GTModelType, GTRasterType = PixelIsArea, and the CRS.
    let mut keys: Vec<u16> = vec![1, 1, 0, 0];
    match raster.epsg {
        Some(code) if code <= u16::MAX as u32 => {
            let geographic = (4000..5000).contains(&code);
            keys.extend([1024, 0, 1, if geographic { 2 } else { 1 }]);
            keys.extend([1025, 0, 1, 1]);
            keys.extend([if geographic { 2048 } else { 3072 }, 0, 1, code as u16]);
        }
        _ => keys.extend([1025, 0, 1, 1]),
    }
    keys[3] = ((keys.len() - 4) / 4) as u16;
    dir.write_tag(Tag::GeoKeyDirectoryTag, &keys[..])
        .map_err(e)?;
    if let Some(nd) = raster.nodata {
        let text = if nd.is_nan() {
            "nan".to_string()
        } else {
            format!("{nd}")
        };
        dir.write_tag(Tag::GdalNodata, text.as_str()).map_err(e)?;
    }
    Ok(())
}

fn write_striped<W: Write + Seek>(
    out: &mut W,
    raster: &Raster,
    options: &WriteOptions,
) -> Result<(), String> {
    let compression = match options.compression {
        TiffCompression::None => Compression::Uncompressed,
        TiffCompression::Lzw => Compression::Lzw,
        TiffCompression::Deflate => Compression::Deflate(DeflateLevel::Fast),
    };
    let predictor = if options.predictor && !raster.data.is_float() {
        Predictor::Horizontal
    } else {
        Predictor::None
    };
    let mut enc = TiffEncoder::new(out)
        .map_err(|e| e.to_string())?
        .with_compression(compression)
        .with_predictor(predictor);
    let (w, h) = dims(raster)?;
    macro_rules! write {
        ($ct:ty, $v:expr) => {{
            let mut image = enc.new_image::<$ct>(w, h).map_err(|e| e.to_string())?;
            image
                .rows_per_strip(options.rows_per_strip.max(1))
                .map_err(|e| e.to_string())?;
            geo_tags(image.encoder(), raster)?;
            image.write_data($v).map_err(|e| e.to_string())
        }};
    }
    match &raster.data {
        RasterData::U8(v) => write!(colortype::Gray8, v),
        RasterData::I8(v) => write!(colortype::GrayI8, v),
        RasterData::U16(v) => write!(colortype::Gray16, v),
        RasterData::I16(v) => write!(colortype::GrayI16, v),
        RasterData::U32(v) => write!(colortype::Gray32, v),
        RasterData::I32(v) => write!(colortype::GrayI32, v),
        RasterData::F32(v) => write!(colortype::Gray32Float, v),
        RasterData::F64(v) => write!(colortype::Gray64Float, v),
    }
}

fn dims(raster: &Raster) -> Result<(u32, u32), String> {
    let w = u32::try_from(raster.cols).map_err(|_| "too many columns".to_string())?;
    let h = u32::try_from(raster.rows).map_err(|_| "too many rows".to_string())?;
    Ok((w, h))
}

/// Samples as native-order bytes, with horizontal differencing per tile row when asked.
trait Sample: Copy + Default {
    const BITS: u16;
    const FORMAT: u16;
    fn append(self, out: &mut Vec<u8>);
    fn diff(self, prev: Self) -> Self;
}

macro_rules! sample {
    ($t:ty, $format:expr, int) => {
        impl Sample for $t {
            const BITS: u16 = (std::mem::size_of::<$t>() * 8) as u16;
            const FORMAT: u16 = $format;
            fn append(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_ne_bytes());
            }
            fn diff(self, prev: Self) -> Self {
                self.wrapping_sub(prev)
            }
        }
    };
    ($t:ty, $format:expr, float) => {
        impl Sample for $t {
            const BITS: u16 = (std::mem::size_of::<$t>() * 8) as u16;
            const FORMAT: u16 = $format;
            fn append(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_ne_bytes());
            }
            fn diff(self, _prev: Self) -> Self {
                self
            }
        }
    };
}
sample!(u8, 1, int);
sample!(i8, 2, int);
sample!(u16, 1, int);
sample!(i16, 2, int);
sample!(u32, 1, int);
sample!(i32, 2, int);
sample!(f32, 3, float);
sample!(f64, 3, float);

fn write_tiled<W: Write + Seek>(
    out: &mut W,
    raster: &Raster,
    options: &WriteOptions,
    tile: u32,
) -> Result<(), String> {
    if tile == 0 || !tile.is_multiple_of(16) {
        return Err(format!("tile size {tile} is not a positive multiple of 16"));
    }
    if options.compression == TiffCompression::Deflate {
        return Err("tiled DEFLATE writing is not supported; use LZW or none".into());
    }
    let mut enc = TiffEncoder::new(out).map_err(|e| e.to_string())?;
    let predict = options.predictor && !raster.data.is_float();
    with_data!(&raster.data, v => write_tiles(&mut enc, raster, v, options, tile as usize, predict))
}

fn write_tiles<W: Write + Seek, T: Sample>(
    enc: &mut TiffEncoder<W, TiffKindStandard>,
    raster: &Raster,
    values: &[T],
    options: &WriteOptions,
    tile: usize,
    predict: bool,
) -> Result<(), String> {
    let (w, h) = dims(raster)?;
    let e = |e: tiff::TiffError| e.to_string();
    let mut dir = enc.image_directory().map_err(e)?;
    let (rows, cols) = (raster.rows, raster.cols);
    let (across, down) = (cols.div_ceil(tile), rows.div_ceil(tile));
    let mut offsets = Vec::with_capacity(across * down);
    let mut counts = Vec::with_capacity(across * down);
    let mut buf = Vec::with_capacity(tile * tile * (T::BITS as usize / 8));
    for tr in 0..down {
        for tc in 0..across {
            buf.clear();
            for r in 0..tile {
                let mut prev = T::default();
                for c in 0..tile {
                    let (row, col) = (tr * tile + r, tc * tile + c);
                    // Padding repeats nothing: it is zero, as GDAL writes it.
                    let v = if row < rows && col < cols {
                        values[row * cols + col]
                    } else {
                        T::default()
                    };
                    let stored = if predict && c > 0 { v.diff(prev) } else { v };
                    prev = v;
                    stored.append(&mut buf);
                }
            }
            let bytes = match options.compression {
                TiffCompression::Lzw => {
                    weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
                        .encode(&buf)
                        .map_err(|e| format!("LZW: {e}"))?
                }
                _ => buf.clone(),
            };
            let offset = dir.write_data(&bytes[..]).map_err(e)?;
            let too_big = || "file over 4 GiB: BigTIFF tiles are not written yet".to_string();
            offsets.push(u32::try_from(offset).map_err(|_| too_big())?);
            counts.push(u32::try_from(bytes.len()).map_err(|_| too_big())?);
        }
    }
    let compression: u16 = match options.compression {
        TiffCompression::Lzw => 5,
        _ => 1,
    };
    dir.write_tag(Tag::ImageWidth, w).map_err(e)?;
    dir.write_tag(Tag::ImageLength, h).map_err(e)?;
    dir.write_tag(Tag::BitsPerSample, T::BITS).map_err(e)?;
    dir.write_tag(Tag::Compression, compression).map_err(e)?;
    dir.write_tag(Tag::PhotometricInterpretation, 1u16)
        .map_err(e)?;
    dir.write_tag(Tag::SamplesPerPixel, 1u16).map_err(e)?;
    dir.write_tag(Tag::PlanarConfiguration, 1u16).map_err(e)?;
    dir.write_tag(Tag::TileWidth, tile as u32).map_err(e)?;
    dir.write_tag(Tag::TileLength, tile as u32).map_err(e)?;
    dir.write_tag(Tag::TileOffsets, &offsets[..]).map_err(e)?;
    dir.write_tag(Tag::TileByteCounts, &counts[..]).map_err(e)?;
    dir.write_tag(Tag::SampleFormat, T::FORMAT).map_err(e)?;
    if predict {
        dir.write_tag(Tag::Predictor, 2u16).map_err(e)?;
    }
    geo_tags(&mut dir, raster)?;
    dir.finish().map_err(e)
}
