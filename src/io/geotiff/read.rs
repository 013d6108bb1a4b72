//! [`GeoTiffReader`]: our own TIFF/BigTIFF structure parser (first IFD) and a chunk decoder
//! that decodes the strips or tiles a read touches in parallel, in a fixed order, straight into
//! the caller's rows.
//!
//! Every offset, count and size from the file is checked against the file length before
//! anything is allocated from it, so a forged header (say 10⁶ × 10⁶ cells in a 1 KB file) is
//! a typed error, not a giant allocation.

use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::codec::{self, Sample};
use super::{RasterInfo, SampleType};
use crate::error::InvestError;
use crate::io::raster::{Raster, RasterData};

/// An open single-band GeoTIFF: the parsed first IFD and its chunk table. Reads decode the
/// chunks they touch in parallel on the caller's rayon pool.
///
/// Reads strips and tiles; no compression, LZW, DEFLATE (codes 8 and 32946) and PackBits;
/// predictors 2 (integers, any size) and 3 (floating point); little- and big-endian files;
/// classic TIFF and BigTIFF; 8/16/32-bit integers (signed or not) and 32/64-bit floats. Of a
/// multi-band file band 1 is read (pixel-interleaved or planar).
///
/// # Examples
/// ```
/// use gep::io::{GeoTiffReader, write_geotiff, Raster, RasterData, WriteOptions};
/// let path = std::env::temp_dir().join("gep_doc_reader.tif");
/// let raster = Raster {
///     rows: 3, cols: 2,
///     geotransform: [500_000.0, 30.0, 0.0, 4_000_000.0, 0.0, -30.0],
///     epsg: Some(32650), nodata: Some(-1.0),
///     data: RasterData::I16(vec![1, 2, 3, 4, -1, 6]),
/// };
/// write_geotiff(&path, &raster, &WriteOptions::default())?;
/// let reader = GeoTiffReader::open(&path)?;
/// assert_eq!((reader.info().width, reader.info().height), (2, 3));
/// assert_eq!(reader.read_rows(1..3)?, RasterData::I16(vec![3, 4, -1, 6]));
/// let mut row = [0.0f32; 2];
/// reader.read_rows_f32(2..3, &mut row)?;
/// assert_eq!(row, [-1.0, 6.0]);
/// # Ok::<(), gep::error::InvestError>(())
/// ```
#[derive(Debug)]
pub struct GeoTiffReader {
    path: PathBuf,
    file: FileAt,
    info: RasterInfo,
    layout: Layout,
}

/// Where the chunks are and how to decode them.
#[derive(Debug, Clone)]
struct Layout {
    big_endian: bool,
    bigtiff: bool,
    tiled: bool,
    compression: u16,
    predictor: u16,
    /// Samples per pixel, and whether they are in separate planes (PlanarConfiguration 2).
    spp: usize,
    planar: bool,
    /// Chunks across (1 for strips) and down.
    across: usize,
    offsets: Vec<u64>,
    counts: Vec<u64>,
}

/// Positional reads from the file (shared by the decoding threads).
#[derive(Debug)]
struct FileAt {
    #[cfg(unix)]
    file: File,
    #[cfg(not(unix))]
    file: std::sync::Mutex<File>,
    len: u64,
}

impl FileAt {
    fn new(file: File) -> std::io::Result<Self> {
        let len = file.metadata()?.len();
        Ok(Self {
            #[cfg(unix)]
            file,
            #[cfg(not(unix))]
            file: std::sync::Mutex::new(file),
            len,
        })
    }

    /// Reads `buf.len()` bytes at `offset`, after checking they lie inside the file.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), String> {
        let end = offset.checked_add(buf.len() as u64);
        if end.is_none_or(|e| e > self.len) {
            return Err(format!(
                "{} bytes at offset {offset} run past the end of the file ({} bytes)",
                buf.len(),
                self.len
            ));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            self.file
                .read_exact_at(buf, offset)
                .map_err(|e| e.to_string())
        }
        #[cfg(not(unix))]
        {
            use std::io::{Read, Seek, SeekFrom};
            let mut f = self.file.lock().map_err(|_| "file lock poisoned")?;
            f.seek(SeekFrom::Start(offset)).map_err(|e| e.to_string())?;
            f.read_exact(buf).map_err(|e| e.to_string())
        }
    }

    fn read_vec(&self, offset: u64, len: u64) -> Result<Vec<u8>, String> {
        if offset.checked_add(len).is_none_or(|e| e > self.len) {
            return Err(format!(
                "{len} bytes at offset {offset} run past the end of the file ({} bytes)",
                self.len
            ));
        }
        let mut v = vec![0u8; len as usize];
        self.read_at(offset, &mut v)?;
        Ok(v)
    }
}

/// One IFD entry: type, count and where its values are (inline bytes or an offset).
#[derive(Debug, Clone)]
struct Entry {
    tag: u16,
    typ: u16,
    count: u64,
    /// The value field as stored (4 or 8 bytes, file byte order).
    field: [u8; 8],
}

const TAG_WIDTH: u16 = 256;
const TAG_HEIGHT: u16 = 257;
const TAG_BITS: u16 = 258;
const TAG_COMPRESSION: u16 = 259;
const TAG_STRIP_OFFSETS: u16 = 273;
const TAG_SPP: u16 = 277;
const TAG_ROWS_PER_STRIP: u16 = 278;
const TAG_STRIP_COUNTS: u16 = 279;
const TAG_PLANAR: u16 = 284;
const TAG_PREDICTOR: u16 = 317;
const TAG_TILE_WIDTH: u16 = 322;
const TAG_TILE_LENGTH: u16 = 323;
const TAG_TILE_OFFSETS: u16 = 324;
const TAG_TILE_COUNTS: u16 = 325;
const TAG_SAMPLE_FORMAT: u16 = 339;
const TAG_PIXEL_SCALE: u16 = 33550;
const TAG_TIEPOINT: u16 = 33922;
const TAG_TRANSFORMATION: u16 = 34264;
const TAG_GEOKEYS: u16 = 34735;
const TAG_GDAL_NODATA: u16 = 42113;

/// Size in bytes of one value of a TIFF field type.
fn type_size(typ: u16) -> Option<u64> {
    Some(match typ {
        1 | 2 | 6 | 7 => 1,
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 | 16 | 17 | 18 => 8,
        _ => return None,
    })
}

struct Ifd<'a> {
    file: &'a FileAt,
    big_endian: bool,
    bigtiff: bool,
    entries: Vec<Entry>,
}

impl Ifd<'_> {
    fn u16(&self, b: &[u8]) -> u16 {
        let a = [b[0], b[1]];
        if self.big_endian {
            u16::from_be_bytes(a)
        } else {
            u16::from_le_bytes(a)
        }
    }
    fn u32(&self, b: &[u8]) -> u32 {
        let a = [b[0], b[1], b[2], b[3]];
        if self.big_endian {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        }
    }
    fn u64(&self, b: &[u8]) -> u64 {
        let mut a = [0u8; 8];
        a.copy_from_slice(&b[..8]);
        if self.big_endian {
            u64::from_be_bytes(a)
        } else {
            u64::from_le_bytes(a)
        }
    }

    fn find(&self, tag: u16) -> Option<&Entry> {
        self.entries.iter().find(|e| e.tag == tag)
    }

    /// The raw bytes of an entry's values, read from the file when not inline (checked
    /// against the file length first).
    fn bytes(&self, e: &Entry) -> Result<Vec<u8>, String> {
        let size =
            type_size(e.typ).ok_or_else(|| format!("tag {}: unknown type {}", e.tag, e.typ))?;
        let total = e
            .count
            .checked_mul(size)
            .ok_or_else(|| format!("tag {}: {} values overflow", e.tag, e.count))?;
        let inline = if self.bigtiff { 8 } else { 4 };
        if total <= inline {
            return Ok(e.field[..total as usize].to_vec());
        }
        let offset = if self.bigtiff {
            self.u64(&e.field)
        } else {
            self.u32(&e.field) as u64
        };
        self.file
            .read_vec(offset, total)
            .map_err(|m| format!("tag {} ({} values): {m}", e.tag, e.count))
    }

    /// Values of an unsigned integer tag (BYTE, SHORT, LONG, LONG8, IFD types).
    fn uints(&self, tag: u16) -> Result<Option<Vec<u64>>, String> {
        let Some(e) = self.find(tag) else {
            return Ok(None);
        };
        let b = self.bytes(e)?;
        let v = match e.typ {
            1 | 7 => b.iter().map(|&x| x as u64).collect(),
            3 => b.chunks_exact(2).map(|c| self.u16(c) as u64).collect(),
            4 | 13 => b.chunks_exact(4).map(|c| self.u32(c) as u64).collect(),
            16 | 18 => b.chunks_exact(8).map(|c| self.u64(c)).collect(),
            t => return Err(format!("tag {tag}: type {t} is not an unsigned integer")),
        };
        Ok(Some(v))
    }

    fn uint(&self, tag: u16) -> Result<Option<u64>, String> {
        Ok(self.uints(tag)?.and_then(|v| v.first().copied()))
    }

    fn doubles(&self, tag: u16) -> Result<Option<Vec<f64>>, String> {
        let Some(e) = self.find(tag) else {
            return Ok(None);
        };
        let b = self.bytes(e)?;
        let v = match e.typ {
            12 => b
                .chunks_exact(8)
                .map(|c| f64::from_bits(self.u64(c)))
                .collect(),
            11 => b
                .chunks_exact(4)
                .map(|c| f32::from_bits(self.u32(c)) as f64)
                .collect(),
            t => return Err(format!("tag {tag}: type {t} is not a float")),
        };
        Ok(Some(v))
    }

    fn ascii(&self, tag: u16) -> Result<Option<String>, String> {
        let Some(e) = self.find(tag) else {
            return Ok(None);
        };
        let b = self.bytes(e)?;
        let s = String::from_utf8_lossy(&b);
        Ok(Some(s.trim_end_matches('\0').trim().to_string()))
    }
}

fn parse_header(file: &FileAt) -> Result<(bool, bool, u64), String> {
    let mut h = [0u8; 16];
    let n = file.len.min(16) as usize;
    if n < 8 {
        return Err(format!("not a TIFF: only {} bytes", file.len));
    }
    file.read_at(0, &mut h[..n])?;
    let big_endian = match &h[..2] {
        b"II" => false,
        b"MM" => true,
        _ => return Err("not a TIFF: no II/MM byte-order mark".into()),
    };
    let ifd = Ifd {
        file,
        big_endian,
        bigtiff: false,
        entries: vec![],
    };
    match ifd.u16(&h[2..4]) {
        42 => Ok((big_endian, false, ifd.u32(&h[4..8]) as u64)),
        43 if n == 16 && ifd.u16(&h[4..6]) == 8 => Ok((big_endian, true, ifd.u64(&h[8..16]))),
        v => Err(format!("not a TIFF: version {v}")),
    }
}

fn parse_ifd(
    file: &FileAt,
    big_endian: bool,
    bigtiff: bool,
    offset: u64,
) -> Result<Ifd<'_>, String> {
    let mut ifd = Ifd {
        file,
        big_endian,
        bigtiff,
        entries: vec![],
    };
    let (count_size, entry_size) = if bigtiff { (8, 20) } else { (2, 12) };
    let mut c = [0u8; 8];
    file.read_at(offset, &mut c[..count_size])
        .map_err(|m| format!("first IFD: {m}"))?;
    let n = if bigtiff {
        ifd.u64(&c)
    } else {
        ifd.u16(&c) as u64
    };
    let bytes = file
        .read_vec(offset + count_size as u64, n.saturating_mul(entry_size))
        .map_err(|m| format!("IFD of {n} entries: {m}"))?;
    for e in bytes.chunks_exact(entry_size as usize) {
        let tag = ifd.u16(&e[0..2]);
        let typ = ifd.u16(&e[2..4]);
        let (count, field) = if bigtiff {
            let mut f = [0u8; 8];
            f.copy_from_slice(&e[12..20]);
            (ifd.u64(&e[4..12]), f)
        } else {
            let mut f = [0u8; 8];
            f[..4].copy_from_slice(&e[8..12]);
            (ifd.u32(&e[4..8]) as u64, f)
        };
        ifd.entries.push(Entry {
            tag,
            typ,
            count,
            field,
        });
    }
    Ok(ifd)
}

fn parse_nodata(s: &str) -> Option<f64> {
    match s.to_ascii_lowercase().as_str() {
        "nan" | "-nan" => Some(f64::NAN),
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok(),
    }
}

impl GeoTiffReader {
    /// Opens the GeoTIFF at `path` and parses its first IFD: size, sample type, layout,
    /// compression, georeferencing (ModelTransformation 34264, else pixel scale 33550 + tie
    /// point 33922; PixelIsPoint shifted half a cell as GDAL does), EPSG code
    /// (ProjectedCSTypeGeoKey 3072, else GeographicTypeGeoKey 2048) and GDAL_NODATA (42113).
    ///
    /// # Errors
    /// [`InvestError::Read`] naming the file: not a TIFF, truncated, an unsupported type,
    /// compression or predictor, or a chunk table that does not fit the file.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, InvestError> {
        let path = path.as_ref();
        let err = |m: String| InvestError::Read {
            path: path.display().to_string(),
            message: m,
        };
        let file = File::open(path).map_err(|e| err(e.to_string()))?;
        let file = FileAt::new(file).map_err(|e| err(e.to_string()))?;
        let (info, layout) = Self::parse(&file).map_err(err)?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
            info,
            layout,
        })
    }

    fn parse(file: &FileAt) -> Result<(RasterInfo, Layout), String> {
        let (big_endian, bigtiff, first) = parse_header(file)?;
        let ifd = parse_ifd(file, big_endian, bigtiff, first)?;
        let need = |tag: u16, name: &str| -> Result<u64, String> {
            ifd.uint(tag)?
                .ok_or_else(|| format!("no {name} tag ({tag})"))
        };
        let width = need(TAG_WIDTH, "ImageWidth")?;
        let height = need(TAG_HEIGHT, "ImageLength")?;
        if width == 0 || height == 0 {
            return Err(format!("empty raster: {width} × {height} cells"));
        }
        let spp = ifd.uint(TAG_SPP)?.unwrap_or(1);
        if spp == 0 || spp > 65535 {
            return Err(format!("{spp} samples per pixel"));
        }
        let bits = ifd.uints(TAG_BITS)?.unwrap_or_else(|| vec![1]);
        let formats = ifd.uints(TAG_SAMPLE_FORMAT)?.unwrap_or_else(|| vec![1]);
        let (b0, f0) = (bits[0], formats[0]);
        if bits.iter().any(|&b| b != b0) || formats.iter().any(|&f| f != f0) {
            return Err("bands of different sample types".into());
        }
        let sample = match (b0, f0) {
            (8, 1) => SampleType::U8,
            (8, 2) => SampleType::I8,
            (16, 1) => SampleType::U16,
            (16, 2) => SampleType::I16,
            (32, 1) => SampleType::U32,
            (32, 2) => SampleType::I32,
            (32, 3) => SampleType::F32,
            (64, 3) => SampleType::F64,
            (b, f) => {
                return Err(format!(
                    "unsupported sample type: {b} bits, sample format {f}"
                ))
            }
        };
        let compression = ifd.uint(TAG_COMPRESSION)?.unwrap_or(1) as u16;
        if !matches!(
            compression,
            codec::COMPRESSION_NONE
                | codec::COMPRESSION_LZW
                | codec::COMPRESSION_DEFLATE
                | codec::COMPRESSION_DEFLATE_OLD
                | codec::COMPRESSION_PACKBITS
        ) {
            return Err(format!(
                "unsupported compression {compression} ({})",
                codec::compression_name(compression)
            ));
        }
        let mut predictor = ifd.uint(TAG_PREDICTOR)?.unwrap_or(1) as u16;
        if !matches!(
            compression,
            codec::COMPRESSION_LZW | codec::COMPRESSION_DEFLATE | codec::COMPRESSION_DEFLATE_OLD
        ) {
            predictor = 1; // libtiff applies predictors only inside these codecs
        }
        match (predictor, sample) {
            (1, _) => {}
            (2, s) if !s.is_float() => {}
            (3, s) if s.is_float() => {}
            (p, s) => return Err(format!("unsupported predictor {p} on {s:?} samples")),
        }
        let planar = ifd.uint(TAG_PLANAR)?.unwrap_or(1) == 2 && spp > 1;
        let tiled = ifd.find(TAG_TILE_OFFSETS).is_some();
        let (bw, bh, offsets, counts) = if tiled {
            let tw = need(TAG_TILE_WIDTH, "TileWidth")?;
            let th = need(TAG_TILE_LENGTH, "TileLength")?;
            (tw, th, TAG_TILE_OFFSETS, TAG_TILE_COUNTS)
        } else {
            let rps = ifd.uint(TAG_ROWS_PER_STRIP)?.unwrap_or(height).min(height);
            (width, rps, TAG_STRIP_OFFSETS, TAG_STRIP_COUNTS)
        };
        if bw == 0 || bh == 0 {
            return Err(format!("chunks of {bw} × {bh} cells"));
        }
        let across = width.div_ceil(bw);
        let down = height.div_ceil(bh);
        let planes = if planar { spp } else { 1 };
        let n_chunks = across
            .checked_mul(down)
            .and_then(|n| n.checked_mul(planes))
            .ok_or("chunk count overflows")?;
        // The tables must hold one entry per chunk and lie inside the file before they are
        // read (and so allocated).
        let table_entry = |tag: u16| -> Result<(), String> {
            let e = ifd
                .find(tag)
                .ok_or_else(|| format!("no chunk table (tag {tag})"))?;
            if e.count < n_chunks {
                return Err(format!(
                    "tag {tag} lists {} chunks; {width} × {height} cells in {bw} × {bh} chunks need {n_chunks}",
                    e.count
                ));
            }
            Ok(())
        };
        table_entry(offsets)?;
        table_entry(counts)?;
        let mut offsets = ifd.uints(offsets)?.unwrap_or_default();
        let mut counts = ifd.uints(counts)?.unwrap_or_default();
        // Band 1 only: the first plane of a planar file.
        let band_chunks = (across * down) as usize;
        offsets.truncate(band_chunks);
        counts.truncate(band_chunks);
        let bytes_per_sample = sample.size() as u64;
        let chunk_bytes = bw * bh * bytes_per_sample * if planar { 1 } else { spp };
        for (k, (&o, &c)) in offsets.iter().zip(&counts).enumerate() {
            if o == 0 && c == 0 {
                continue; // sparse chunk (GDAL SPARSE_OK): all zero
            }
            if o.checked_add(c).is_none_or(|end| end > file.len) {
                return Err(format!(
                    "chunk {k}: {c} bytes at offset {o} run past the end of the file ({} bytes)",
                    file.len
                ));
            }
            let max = c.saturating_mul(codec::MAX_EXPANSION);
            if compression == codec::COMPRESSION_NONE && c == 0 || chunk_bytes > max {
                return Err(format!(
                    "chunk {k}: {c} bytes cannot hold {bw} × {bh} cells ({chunk_bytes} bytes decoded)"
                ));
            }
        }
        let (width, height) = (width as usize, height as usize);
        let geotransform = geotransform(&ifd)?;
        let keys = ifd.uints(TAG_GEOKEYS).ok().flatten().unwrap_or_default();
        let epsg = epsg(&keys);
        let point = keys
            .chunks_exact(4)
            .skip(1)
            .any(|k| k[0] == 1025 && k[1] == 0 && k[3] == 2);
        let mut geotransform = geotransform;
        if point {
            // RasterPixelIsPoint: the tie point is a cell centre (GDAL's default handling).
            geotransform[0] -= 0.5 * geotransform[1] + 0.5 * geotransform[2];
            geotransform[3] -= 0.5 * geotransform[4] + 0.5 * geotransform[5];
        }
        let nodata = match ifd.ascii(TAG_GDAL_NODATA)? {
            Some(s) if !s.is_empty() => {
                Some(parse_nodata(&s).ok_or_else(|| format!("GDAL_NODATA `{s}` is not a number"))?)
            }
            _ => None,
        };
        let info = RasterInfo {
            width,
            height,
            geotransform,
            epsg,
            nodata,
            sample,
            block_width: bw as usize,
            block_height: bh as usize,
        };
        let layout = Layout {
            big_endian,
            bigtiff,
            tiled,
            compression,
            predictor,
            spp: spp as usize,
            planar,
            across: across as usize,
            offsets,
            counts,
        };
        Ok((info, layout))
    }

    /// Size, georeferencing, nodata, sample type and chunk size of the band.
    pub fn info(&self) -> &RasterInfo {
        &self.info
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// TIFF compression code (1 none, 5 LZW, 8 DEFLATE, 32773 PackBits).
    pub fn compression(&self) -> u16 {
        self.layout.compression
    }

    /// TIFF predictor (1 none, 2 horizontal, 3 floating point).
    pub fn predictor(&self) -> u16 {
        self.layout.predictor
    }

    /// Whether the file is tiled (else striped).
    pub fn is_tiled(&self) -> bool {
        self.layout.tiled
    }

    /// Whether the file is a BigTIFF.
    pub fn is_bigtiff(&self) -> bool {
        self.layout.bigtiff
    }

    fn err(&self, m: String) -> InvestError {
        InvestError::Read {
            path: self.path.display().to_string(),
            message: m,
        }
    }

    fn check_rows(&self, rows: &Range<usize>) -> Result<(), InvestError> {
        if rows.start > rows.end || rows.end > self.info.height {
            return Err(self.err(format!(
                "rows {}..{} outside the raster's {} rows",
                rows.start, rows.end, self.info.height
            )));
        }
        Ok(())
    }

    /// Rows `rows` of the band, row-major, in the file's sample type. Decodes the chunks
    /// involved in parallel.
    ///
    /// # Errors
    /// [`InvestError::Read`]: rows out of range, a chunk that does not decode (naming it).
    pub fn read_rows(&self, rows: Range<usize>) -> Result<RasterData, InvestError> {
        self.check_rows(&rows)?;
        let n = rows.len() * self.info.width;
        macro_rules! typed {
            ($t:ty, $v:ident) => {{
                let mut out: Vec<$t> = Vec::new();
                out.try_reserve_exact(n)
                    .map_err(|e| self.err(format!("cannot allocate {n} cells: {e}")))?;
                out.resize(n, <$t>::default());
                self.decode::<$t, $t>(rows, &mut out, |v| v)?;
                RasterData::$v(out)
            }};
        }
        Ok(match self.info.sample {
            SampleType::U8 => typed!(u8, U8),
            SampleType::I8 => typed!(i8, I8),
            SampleType::U16 => typed!(u16, U16),
            SampleType::I16 => typed!(i16, I16),
            SampleType::U32 => typed!(u32, U32),
            SampleType::I32 => typed!(i32, I32),
            SampleType::F32 => typed!(f32, F32),
            SampleType::F64 => typed!(f64, F64),
        })
    }

    /// Rows `rows` converted to f32 (f64 rounded, 32-bit integers above 2²⁴ rounded) into
    /// `out`, which must hold `rows.len() × width` cells.
    ///
    /// # Errors
    /// As [`read_rows`](Self::read_rows), and when `out` has the wrong length.
    pub fn read_rows_f32(&self, rows: Range<usize>, out: &mut [f32]) -> Result<(), InvestError> {
        self.check_rows(&rows)?;
        let n = rows.len() * self.info.width;
        if out.len() != n {
            return Err(self.err(format!(
                "buffer of {} cells for {} rows × {} cols",
                out.len(),
                rows.len(),
                self.info.width
            )));
        }
        match self.info.sample {
            SampleType::U8 => self.decode::<u8, f32>(rows, out, Sample::to_f32),
            SampleType::I8 => self.decode::<i8, f32>(rows, out, Sample::to_f32),
            SampleType::U16 => self.decode::<u16, f32>(rows, out, Sample::to_f32),
            SampleType::I16 => self.decode::<i16, f32>(rows, out, Sample::to_f32),
            SampleType::U32 => self.decode::<u32, f32>(rows, out, Sample::to_f32),
            SampleType::I32 => self.decode::<i32, f32>(rows, out, Sample::to_f32),
            SampleType::F32 => self.decode::<f32, f32>(rows, out, Sample::to_f32),
            SampleType::F64 => self.decode::<f64, f32>(rows, out, Sample::to_f32),
        }
    }

    /// The whole band with its georeferencing.
    ///
    /// # Errors
    /// As [`read_rows`](Self::read_rows).
    pub fn read(&self) -> Result<Raster, InvestError> {
        let data = self.read_rows(0..self.info.height)?;
        Ok(Raster {
            rows: self.info.height,
            cols: self.info.width,
            geotransform: self.info.geotransform,
            epsg: self.info.epsg,
            nodata: self.info.nodata,
            data,
        })
    }

    /// Decodes the chunks covering `rows` in parallel (one task per chunk, fixed order) and
    /// writes band 1 of each, converted by `conv`, into `out` (`rows.len() × width`).
    fn decode<T: Sample, O: Copy + Send>(
        &self,
        rows: Range<usize>,
        out: &mut [O],
        conv: impl Fn(T) -> O + Sync,
    ) -> Result<(), InvestError> {
        if rows.is_empty() {
            return Ok(());
        }
        let width = self.info.width;
        let (bw, bh) = (self.info.block_width, self.info.block_height);
        let l = &self.layout;
        let first_down = rows.start / bh;
        let last_down = (rows.end - 1) / bh;
        // Split `out` into the pieces each chunk fills: (chunk index, first image row of the
        // chunk, rows of the chunk to skip, row segments).
        struct Job<'a, O> {
            k: usize,
            w: usize,
            skip: usize,
            segments: Vec<&'a mut [O]>,
        }
        let mut jobs: Vec<Job<'_, O>> = Vec::with_capacity((last_down - first_down + 1) * l.across);
        let mut rest = out;
        for d in first_down..=last_down {
            let r0 = (d * bh).max(rows.start);
            let r1 = ((d + 1) * bh).min(rows.end);
            let first_job = jobs.len();
            for a in 0..l.across {
                let c0 = a * bw;
                jobs.push(Job {
                    k: d * l.across + a,
                    w: bw.min(width - c0),
                    skip: r0 - d * bh,
                    segments: Vec::with_capacity(r1 - r0),
                });
            }
            for _ in r0..r1 {
                let (mut row, tail) = std::mem::take(&mut rest).split_at_mut(width);
                rest = tail;
                for job in &mut jobs[first_job..] {
                    let (seg, more) = std::mem::take(&mut row).split_at_mut(job.w);
                    row = more;
                    job.segments.push(seg);
                }
            }
        }
        let result: Result<(), String> = jobs
            .into_par_iter()
            .map_init(
                || (Vec::<u8>::new(), Vec::<u8>::new(), Vec::<T>::new()),
                |(raw, bytes, samples), mut job| {
                    if l.offsets[job.k] == 0 && l.counts[job.k] == 0 {
                        // Sparse chunk (GDAL SPARSE_OK): zeros, without decoding anything.
                        for seg in job.segments.iter_mut() {
                            seg.fill(conv(T::default()));
                        }
                        return Ok(());
                    }
                    self.decode_chunk(job.k, job.skip + job.segments.len(), raw, bytes, samples)
                        .map_err(|m| format!("chunk {}: {m}", job.k))?;
                    let stride =
                        if l.tiled { bw } else { width } * if l.planar { 1 } else { l.spp };
                    let spp = if l.planar { 1 } else { l.spp };
                    for (i, seg) in job.segments.iter_mut().enumerate() {
                        let src = &samples[(job.skip + i) * stride..];
                        if spp == 1 {
                            for (d, &s) in seg.iter_mut().zip(src) {
                                *d = conv(s);
                            }
                        } else {
                            for (d, s) in seg.iter_mut().zip(src.chunks_exact(spp)) {
                                *d = conv(s[0]);
                            }
                        }
                    }
                    Ok(())
                },
            )
            .collect();
        result.map_err(|m| self.err(m))
    }

    /// Reads and decodes chunk `k` (its first `need_rows` rows at least) into `samples`.
    fn decode_chunk<T: Sample>(
        &self,
        k: usize,
        need_rows: usize,
        raw: &mut Vec<u8>,
        bytes: &mut Vec<u8>,
        samples: &mut Vec<T>,
    ) -> Result<(), String> {
        let l = &self.layout;
        let (bw, bh) = (self.info.block_width, self.info.block_height);
        let spp = if l.planar { 1 } else { l.spp };
        let row_samples = if l.tiled { bw } else { self.info.width } * spp;
        // Rows stored in this chunk: tiles are always full; the last strip may be short.
        let chunk_rows = if l.tiled {
            bh
        } else {
            bh.min(self.info.height - (k * bh))
        };
        let expected = chunk_rows * row_samples * T::SIZE;
        let (offset, count) = (l.offsets[k], l.counts[k]);
        raw.clear();
        raw.resize(count as usize, 0);
        self.file.read_at(offset, raw)?;
        let n = codec::decompress(l.compression, raw, expected, bytes)?;
        // Strips may end early (libtiff writes no padding); tiles must be whole for the rows
        // we need.
        let rows_present = n / (row_samples * T::SIZE);
        if rows_present < need_rows {
            return Err(format!(
                "decoded {n} bytes, {need_rows} rows of {row_samples} samples need {}",
                need_rows * row_samples * T::SIZE
            ));
        }
        let rows_decoded = rows_present.min(chunk_rows);
        codec::unpack(
            &mut bytes[..rows_decoded * row_samples * T::SIZE],
            rows_decoded,
            row_samples,
            spp,
            l.predictor,
            l.big_endian,
            samples,
        )
    }
}

fn geotransform(ifd: &Ifd<'_>) -> Result<[f64; 6], String> {
    if let Some(m) = ifd.doubles(TAG_TRANSFORMATION)? {
        if m.len() >= 8 {
            return Ok([m[3], m[0], m[1], m[7], m[4], m[5]]);
        }
    }
    let scale = ifd.doubles(TAG_PIXEL_SCALE)?;
    let tie = ifd.doubles(TAG_TIEPOINT)?;
    Ok(match (scale, tie) {
        (Some(s), Some(t)) if s.len() >= 2 && t.len() >= 6 => [
            t[3] - t[0] * s[0],
            s[0],
            0.0,
            t[4] + t[1] * s[1],
            0.0,
            -s[1],
        ],
        // No georeferencing: GDAL's default transform (unit pixels).
        _ => [0.0, 1.0, 0.0, 0.0, 0.0, 1.0],
    })
}

/// EPSG code from the GeoKeyDirectory: ProjectedCSTypeGeoKey (3072), else
/// GeographicTypeGeoKey (2048), when stored inline and not user-defined (32767).
fn epsg(keys: &[u64]) -> Option<u32> {
    let mut projected = None;
    let mut geographic = None;
    for entry in keys.chunks_exact(4).skip(1) {
        let (id, loc, value) = (entry[0], entry[1], entry[3]);
        if loc != 0 || value == 32767 || value == 0 {
            continue;
        }
        match id {
            3072 => projected = Some(value as u32),
            2048 => geographic = Some(value as u32),
            _ => {}
        }
    }
    projected.or(geographic)
}

/// Reads band 1 of the GeoTIFF at `path` (a thin wrapper over [`GeoTiffReader`]).
///
/// # Errors
/// [`InvestError::Read`] naming the file.
pub fn read_geotiff(path: impl AsRef<Path>) -> Result<Raster, InvestError> {
    GeoTiffReader::open(path)?.read()
}
