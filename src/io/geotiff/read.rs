//! Reading single-band GeoTIFFs with the `tiff` crate: strips or tiles, any compression the
//! crate decodes (none, LZW, DEFLATE, PackBits), predictors 2 and 3, integer and float types,
//! GDAL_NODATA, pixel scale + tie point or model transformation, and the EPSG code.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use tiff::decoder::{ChunkType, Decoder, DecodingResult, Limits};
use tiff::tags::{CompressionMethod, Tag};
use tiff::ColorType;

use crate::error::InvestError;
use crate::io::raster::{Raster, RasterData};

/// Reads band 1 of the GeoTIFF at `path`.
///
/// Tiled LZW files with horizontal differencing on integers are decoded tile by tile with
/// `weezl` when the `tiff` crate fails on them (a bug of tiff 0.11 on edge tiles).
pub fn read_geotiff(path: impl AsRef<Path>) -> Result<Raster, InvestError> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let err = |m: String| InvestError::Read {
        path: name.clone(),
        message: m,
    };
    let file = File::open(path).map_err(|e| err(e.to_string()))?;
    let mut dec = Decoder::new(BufReader::new(file))
        .map_err(|e| err(format!("not a valid TIFF: {e}")))?
        .with_limits(Limits::unlimited());
    let (cols, rows) = dec.dimensions().map_err(|e| err(e.to_string()))?;
    let (cols, rows) = (cols as usize, rows as usize);
    let samples: u16 = dec
        .find_tag_unsigned(Tag::SamplesPerPixel)
        .map_err(|e| err(e.to_string()))?
        .unwrap_or(1);
    if samples != 1 {
        return Err(err(format!(
            "{samples} samples per pixel; only single-band rasters are supported"
        )));
    }
    let geotransform = read_geotransform(&mut dec).map_err(err)?;
    let epsg = read_epsg(&mut dec);
    let nodata = match dec.get_tag_ascii_string(Tag::GdalNodata) {
        Ok(s) => {
            let s = s.trim().trim_end_matches('\0').trim();
            Some(parse_nodata(s).ok_or_else(|| err(format!("GDAL_NODATA `{s}` is not a number")))?)
        }
        Err(_) => None,
    };
    let colortype = dec.colortype().map_err(|e| err(e.to_string()))?;
    let sample_format: u16 = dec
        .find_tag_unsigned(Tag::SampleFormat)
        .map_err(|e| err(e.to_string()))?
        .unwrap_or(1);
    let n = rows
        .checked_mul(cols)
        .ok_or_else(|| err("raster too large".into()))?;
    let mut data = match (colortype, sample_format) {
        (ColorType::Gray(8), 1) => RasterData::U8(vec![0; n]),
        (ColorType::Gray(8), 2) => RasterData::I8(vec![0; n]),
        (ColorType::Gray(16), 1) => RasterData::U16(vec![0; n]),
        (ColorType::Gray(16), 2) => RasterData::I16(vec![0; n]),
        (ColorType::Gray(32), 1) => RasterData::U32(vec![0; n]),
        (ColorType::Gray(32), 2) => RasterData::I32(vec![0; n]),
        (ColorType::Gray(32), 3) => RasterData::F32(vec![0.0; n]),
        (ColorType::Gray(64), 3) => RasterData::F64(vec![0.0; n]),
        (c, f) => {
            return Err(err(format!(
                "unsupported pixel type {c:?} with sample format {f}"
            )))
        }
    };
    let (cw, ch) = dec.chunk_dimensions();
    let (cw, ch) = (cw as usize, ch as usize);
    let tiled = matches!(dec.get_chunk_type(), ChunkType::Tile);
    let across = if tiled { cols.div_ceil(cw) } else { 1 };
    let n_chunks = if tiled {
        across * rows.div_ceil(ch)
    } else {
        rows.div_ceil(ch)
    };
    let compression: u16 = dec
        .find_tag_unsigned(Tag::Compression)
        .map_err(|e| err(e.to_string()))?
        .unwrap_or(1);
    let predictor: u16 = dec
        .find_tag_unsigned(Tag::Predictor)
        .map_err(|e| err(e.to_string()))?
        .unwrap_or(1);
    // tiff 0.11 fails on edge tiles of tiled LZW files ("no lzw end code found"); decode
    // those tiles ourselves (predictor 1, or 2 on integers).
    let lzw_workaround = tiled
        && compression == CompressionMethod::LZW.to_u16()
        && (predictor == 1 || (predictor == 2 && sample_format != 3));
    let mut raw_tiles = None;
    for k in 0..n_chunks {
        let (r0, c0) = if tiled {
            ((k / across) * ch, (k % across) * cw)
        } else {
            (k * ch, 0)
        };
        let h = ch.min(rows - r0);
        let w = if tiled { cw.min(cols - c0) } else { cols };
        let chunk = match dec.read_chunk(k as u32) {
            Ok(c) => c,
            Err(e) if lzw_workaround => {
                if raw_tiles.is_none() {
                    raw_tiles = Some(tile_locations(&mut dec).map_err(&err)?);
                }
                let (offsets, counts) = raw_tiles.as_ref().ok_or_else(|| err(e.to_string()))?;
                decode_lzw_tile(
                    &mut dec,
                    &data,
                    offsets,
                    counts,
                    k,
                    (cw, ch),
                    h,
                    predictor == 2,
                )
                .map_err(|m| err(format!("tile {k}: {m} (after tiff: {e})")))?
            }
            Err(e) => return Err(err(format!("chunk {k}: {e}"))),
        };
        place(&mut data, chunk, cols, r0, c0, w, h).map_err(|m| err(format!("chunk {k}: {m}")))?;
    }
    Ok(Raster {
        rows,
        cols,
        geotransform,
        epsg,
        nodata,
        data,
    })
}

fn parse_nodata(s: &str) -> Option<f64> {
    match s.to_ascii_lowercase().as_str() {
        "nan" | "-nan" => Some(f64::NAN),
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok(),
    }
}

fn read_geotransform<R: Read + Seek>(dec: &mut Decoder<R>) -> Result<[f64; 6], String> {
    if let Ok(m) = dec.get_tag_f64_vec(Tag::ModelTransformationTag) {
        if m.len() >= 8 {
            return Ok([m[3], m[0], m[1], m[7], m[4], m[5]]);
        }
    }
    let scale = dec.get_tag_f64_vec(Tag::ModelPixelScaleTag).ok();
    let tie = dec.get_tag_f64_vec(Tag::ModelTiepointTag).ok();
    match (scale, tie) {
        (Some(s), Some(t)) if s.len() >= 2 && t.len() >= 6 => Ok([
            t[3] - t[0] * s[0],
            s[0],
            0.0,
            t[4] + t[1] * s[1],
            0.0,
            -s[1],
        ]),
        // No georeferencing: GDAL's default transform (unit pixels).
        _ => Ok([0.0, 1.0, 0.0, 0.0, 0.0, 1.0]),
    }
}

/// EPSG code from the GeoKeyDirectory: ProjectedCSTypeGeoKey (3072), else
/// GeographicTypeGeoKey (2048), when stored inline.
fn read_epsg<R: Read + Seek>(dec: &mut Decoder<R>) -> Option<u32> {
    let keys = dec.get_tag_u16_vec(Tag::GeoKeyDirectoryTag).ok()?;
    let mut found = None;
    for entry in keys.chunks_exact(4).skip(1) {
        let (id, loc, value) = (entry[0], entry[1], entry[3]);
        if loc == 0 && (id == 3072 || (id == 2048 && found.is_none())) && value != 32767 {
            found = Some(value as u32);
        }
    }
    found
}

fn place(
    data: &mut RasterData,
    chunk: DecodingResult,
    cols: usize,
    r0: usize,
    c0: usize,
    w: usize,
    h: usize,
) -> Result<(), String> {
    macro_rules! copy {
        ($dst:expr, $src:expr) => {{
            let src = $src;
            let stride = if src.len() >= w * h && h > 0 {
                src.len() / h
            } else {
                w
            };
            if src.len() < stride * (h.max(1) - 1) + w {
                return Err(format!("decoded {} values, expected {}", src.len(), w * h));
            }
            for r in 0..h {
                let d = (r0 + r) * cols + c0;
                $dst[d..d + w].copy_from_slice(&src[r * stride..r * stride + w]);
            }
            Ok(())
        }};
    }
    match (data, chunk) {
        (RasterData::U8(d), DecodingResult::U8(s)) => copy!(d, s),
        (RasterData::I8(d), DecodingResult::I8(s)) => copy!(d, s),
        (RasterData::U16(d), DecodingResult::U16(s)) => copy!(d, s),
        (RasterData::I16(d), DecodingResult::I16(s)) => copy!(d, s),
        (RasterData::U32(d), DecodingResult::U32(s)) => copy!(d, s),
        (RasterData::I32(d), DecodingResult::I32(s)) => copy!(d, s),
        (RasterData::F32(d), DecodingResult::F32(s)) => copy!(d, s),
        (RasterData::F64(d), DecodingResult::F64(s)) => copy!(d, s),
        _ => Err("decoded type differs from the declared type".into()),
    }
}

fn tile_locations<R: Read + Seek>(dec: &mut Decoder<R>) -> Result<(Vec<u64>, Vec<u64>), String> {
    let offsets = dec
        .get_tag_u64_vec(Tag::TileOffsets)
        .map_err(|e| e.to_string())?;
    let counts = dec
        .get_tag_u64_vec(Tag::TileByteCounts)
        .map_err(|e| e.to_string())?;
    Ok((offsets, counts))
}

/// Decodes tile `k` (LZW; horizontal differencing on integers when `predict`) from its raw bytes: the
/// whole padded tile is `cw × ch` samples; the predictor is undone per row in the file's byte
/// order, then samples are converted to native order.
#[allow(clippy::too_many_arguments)]
fn decode_lzw_tile<R: Read + Seek>(
    dec: &mut Decoder<R>,
    like: &RasterData,
    offsets: &[u64],
    counts: &[u64],
    k: usize,
    (cw, ch): (usize, usize),
    h: usize,
    predict: bool,
) -> Result<DecodingResult, String> {
    let (&off, &len) = offsets
        .get(k)
        .zip(counts.get(k))
        .ok_or("no tile offset or byte count")?;
    let big_endian = matches!(dec.byte_order(), tiff::tags::ByteOrder::BigEndian);
    let reader = dec.inner();
    reader
        .seek(SeekFrom::Start(off))
        .map_err(|e| e.to_string())?;
    let mut raw = vec![0u8; usize::try_from(len).map_err(|e| e.to_string())?];
    reader.read_exact(&mut raw).map_err(|e| e.to_string())?;
    let mut lzw = weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
    let mut bytes = Vec::new();
    // Files cut short of the end code are accepted as long as all samples are there.
    let result = lzw.into_vec(&mut bytes).decode(&raw);
    if let Err(e) = result.status {
        if !matches!(e, weezl::LzwError::InvalidCode) || bytes.is_empty() {
            return Err(format!("LZW: {e}"));
        }
    }
    macro_rules! undo {
        ($t:ty, $variant:ident, float) => {{
            const S: usize = std::mem::size_of::<$t>();
            if bytes.len() < cw * ch * S {
                return Err(format!(
                    "LZW tile has {} bytes, expected {}",
                    bytes.len(),
                    cw * ch * S
                ));
            }
            let out: Vec<$t> = bytes[..cw * h * S]
                .chunks_exact(S)
                .map(|b| {
                    let mut a = [0u8; S];
                    a.copy_from_slice(b);
                    if big_endian {
                        <$t>::from_be_bytes(a)
                    } else {
                        <$t>::from_le_bytes(a)
                    }
                })
                .collect();
            Ok(DecodingResult::$variant(out))
        }};
        ($t:ty, $variant:ident) => {{
            const S: usize = std::mem::size_of::<$t>();
            if bytes.len() < cw * ch * S {
                return Err(format!(
                    "LZW tile has {} bytes, expected {}",
                    bytes.len(),
                    cw * ch * S
                ));
            }
            let mut out: Vec<$t> = bytes[..cw * ch * S]
                .chunks_exact(S)
                .map(|b| {
                    let mut a = [0u8; S];
                    a.copy_from_slice(b);
                    if big_endian {
                        <$t>::from_be_bytes(a)
                    } else {
                        <$t>::from_le_bytes(a)
                    }
                })
                .collect();
            for row in out.chunks_exact_mut(cw).filter(|_| predict) {
                for i in 1..row.len() {
                    row[i] = row[i].wrapping_add(row[i - 1]);
                }
            }
            out.truncate(cw * h);
            Ok(DecodingResult::$variant(out))
        }};
    }
    match like {
        RasterData::U8(_) => undo!(u8, U8),
        RasterData::I8(_) => undo!(i8, I8),
        RasterData::U16(_) => undo!(u16, U16),
        RasterData::I16(_) => undo!(i16, I16),
        RasterData::U32(_) => undo!(u32, U32),
        RasterData::I32(_) => undo!(i32, I32),
        RasterData::F32(_) => undo!(f32, F32, float),
        RasterData::F64(_) => undo!(f64, F64, float),
    }
}
