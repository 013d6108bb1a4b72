//! [`GeoTiffWriter`]: single-band GeoTIFF written rows after rows — striped or tiled; no
//! compression, LZW or DEFLATE; predictor 1, 2 (integers) or 3 (floats); classic TIFF, or
//! BigTIFF when asked or when the file could pass 4 GiB; pixel scale + tie point (or
//! ModelTransformation for rotated grids), GeoKeyDirectory (EPSG) and GDAL_NODATA.
//!
//! Chunks are compressed in parallel in bands of whole chunk rows and written in chunk order,
//! so the file is byte-identical whatever the number of threads.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::codec::{self, Sample};
use super::{RasterInfo, SampleType};
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
    /// DEFLATE (zlib stream, TIFF compression 8), at [`WriteOptions::deflate_level`].
    Deflate,
}

impl TiffCompression {
    fn code(self) -> u16 {
        match self {
            Self::None => codec::COMPRESSION_NONE,
            Self::Lzw => codec::COMPRESSION_LZW,
            Self::Deflate => codec::COMPRESSION_DEFLATE,
        }
    }
}

/// TIFF predictor applied before compression (TIFF 6.0 §14; Adobe Technical Note 3).
/// Ignored for uncompressed files, which libtiff (and so GDAL) reads without a predictor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TiffPredictor {
    /// No predictor (1).
    #[default]
    None,
    /// Horizontal differencing (2), on integer samples only.
    Horizontal,
    /// Floating-point predictor (3: byte shuffle + differencing), on float samples only.
    FloatingPoint,
    /// Horizontal (2) on integers, floating-point (3) on floats — what GDAL users usually
    /// pick per type.
    Auto,
}

impl TiffPredictor {
    fn code(self, sample: SampleType) -> Result<u16, String> {
        match (self, sample.is_float()) {
            (Self::None, _) => Ok(1),
            (Self::Horizontal, false) | (Self::Auto, false) => Ok(2),
            (Self::FloatingPoint, true) | (Self::Auto, true) => Ok(3),
            (p, _) => Err(format!(
                "predictor {p:?} does not apply to {sample:?} samples"
            )),
        }
    }
}

/// How to write a GeoTIFF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOptions {
    /// Compression.
    pub compression: TiffCompression,
    /// Predictor.
    pub predictor: TiffPredictor,
    /// `Some(n)`: square tiles of `n × n` cells (n a multiple of 16, TIFF 6.0 §15); `None`:
    /// strips.
    pub tile: Option<u32>,
    /// Rows per strip, for the striped layout.
    pub rows_per_strip: u32,
    /// Write a BigTIFF even when a classic TIFF would do (one is written anyway when the
    /// file could pass 4 GiB).
    pub bigtiff: bool,
    /// DEFLATE level, 1 (fastest) to 9 (smallest); GDAL's default is 6.
    pub deflate_level: u8,
}

impl Default for WriteOptions {
    /// Striped, LZW, no predictor, 64 rows per strip, classic TIFF, DEFLATE level 1.
    fn default() -> Self {
        Self {
            compression: TiffCompression::Lzw,
            predictor: TiffPredictor::None,
            tile: None,
            rows_per_strip: 64,
            bigtiff: false,
            deflate_level: 1,
        }
    }
}

/// Bytes of decoded cells compressed per parallel batch (whole chunk rows, at least one).
const BATCH_BYTES: usize = 4 << 20;

/// A GeoTIFF being written rows after rows; [`finish`](Self::finish) writes the directory.
///
/// # Examples
/// ```
/// use gep::io::{GeoTiffWriter, RasterInfo, SampleType, WriteOptions, TiffCompression,
///               RasterData, read_geotiff};
/// let path = std::env::temp_dir().join("gep_doc_writer.tif");
/// let info = RasterInfo {
///     width: 3, height: 2,
///     geotransform: [500_000.0, 30.0, 0.0, 4_000_000.0, 0.0, -30.0],
///     epsg: Some(32650), nodata: Some(f64::NAN), sample: SampleType::F32,
///     block_width: 3, block_height: 1,
/// };
/// let opts = WriteOptions { compression: TiffCompression::Deflate, ..WriteOptions::default() };
/// let mut w = GeoTiffWriter::create(&path, &info, &opts)?;
/// w.write_rows(&RasterData::F32(vec![1.0, 2.0, f32::NAN]))?;
/// w.write_rows(&RasterData::F32(vec![4.0, 5.0, 6.0]))?;
/// w.finish()?;
/// let back = read_geotiff(&path)?;
/// assert_eq!(back.data.to_f32()[3..], [4.0, 5.0, 6.0]);
/// assert!(back.nodata.unwrap().is_nan());
/// # Ok::<(), gep::error::InvestError>(())
/// ```
#[derive(Debug)]
pub struct GeoTiffWriter {
    path: PathBuf,
    out: BufWriter<File>,
    pos: u64,
    info: RasterInfo,
    tiled: bool,
    bigtiff: bool,
    compression: u16,
    predictor: u16,
    deflate_level: u32,
    /// Rows encoded so far.
    done: usize,
    /// Rows received but not yet encoded (fewer than a batch).
    pending: RasterData,
    batch_rows: usize,
    offsets: Vec<u64>,
    counts: Vec<u64>,
}

impl GeoTiffWriter {
    /// Creates the file at `path` for a raster described by `info` (its block sizes are
    /// ignored: the layout comes from `opts`).
    ///
    /// # Errors
    /// [`InvestError::Write`] naming the file: cannot create it, an empty raster, a tile size
    /// that is not a positive multiple of 16, or a predictor that does not fit the type.
    pub fn create(
        path: impl AsRef<Path>,
        info: &RasterInfo,
        opts: &WriteOptions,
    ) -> Result<Self, InvestError> {
        let path = path.as_ref();
        let err = |m: String| InvestError::Write {
            path: path.display().to_string(),
            message: m,
        };
        if info.width == 0 || info.height == 0 {
            return Err(err(format!(
                "empty raster: {} × {} cells",
                info.width, info.height
            )));
        }
        if info.width > u32::MAX as usize || info.height > u32::MAX as usize {
            return Err(err(format!(
                "{} × {} cells: a TIFF side is at most 2³² − 1",
                info.width, info.height
            )));
        }
        let (bw, bh, tiled) = match opts.tile {
            Some(t) if t == 0 || !t.is_multiple_of(16) => {
                return Err(err(format!(
                    "tile size {t} is not a positive multiple of 16"
                )))
            }
            Some(t) => (t as usize, t as usize, true),
            None => (
                info.width,
                (opts.rows_per_strip.max(1) as usize).min(info.height),
                false,
            ),
        };
        let mut predictor = opts.predictor.code(info.sample).map_err(&err)?;
        if opts.compression == TiffCompression::None {
            predictor = 1; // libtiff applies predictors only inside LZW/DEFLATE codecs
        }
        let size = info.sample.size() as u64;
        let raw = (info.width as u64)
            .saturating_mul(info.height as u64)
            .saturating_mul(size);
        // LZW can expand incompressible data by up to 12/8; leave room for the tables.
        let bigtiff =
            opts.bigtiff || raw.saturating_add(raw / 2).saturating_add(1 << 24) > u32::MAX as u64;
        let file = File::create(path).map_err(|e| err(e.to_string()))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let header: &[u8] = if bigtiff {
            &[b'I', b'I', 43, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        } else {
            &[b'I', b'I', 42, 0, 0, 0, 0, 0]
        };
        out.write_all(header).map_err(|e| err(e.to_string()))?;
        let chunk_row_bytes = bh * info.width * size as usize;
        let batch_rows = bh * BATCH_BYTES.div_ceil(chunk_row_bytes.max(1)).max(1);
        let mut info = info.clone();
        info.block_width = bw;
        info.block_height = bh;
        let pending = empty_data(info.sample);
        Ok(Self {
            path: path.to_path_buf(),
            out,
            pos: header.len() as u64,
            info,
            tiled,
            bigtiff,
            compression: opts.compression.code(),
            predictor,
            deflate_level: opts.deflate_level.clamp(1, 9) as u32,
            done: 0,
            pending,
            batch_rows,
            offsets: Vec::new(),
            counts: Vec::new(),
        })
    }

    /// The raster being written, with the block size of the layout.
    pub fn info(&self) -> &RasterInfo {
        &self.info
    }

    fn err(&self, m: String) -> InvestError {
        InvestError::Write {
            path: self.path.display().to_string(),
            message: m,
        }
    }

    fn check_rows(&self, data: &RasterData) -> Result<(), InvestError> {
        if SampleType::of(data) != self.info.sample {
            return Err(self.err(format!(
                "rows of {} for a {:?} raster",
                data.type_name(),
                self.info.sample
            )));
        }
        let width = self.info.width;
        if !data.len().is_multiple_of(width) {
            return Err(self.err(format!(
                "{} values are not whole rows of {width} cells",
                data.len()
            )));
        }
        let rows = data.len() / width;
        let have = self.done + self.pending.len() / width;
        if have + rows > self.info.height {
            return Err(self.err(format!(
                "{} rows written, {rows} more, for a raster of {} rows",
                have, self.info.height
            )));
        }
        Ok(())
    }

    /// Appends the next rows (whole rows, in the raster's sample type). Full batches of chunk
    /// rows are compressed in parallel and written.
    ///
    /// # Errors
    /// [`InvestError::Write`]: wrong type, not whole rows, more rows than the raster has, or
    /// a write that fails.
    pub fn write_rows(&mut self, data: &RasterData) -> Result<(), InvestError> {
        self.check_rows(data)?;
        with_data!(data, v => self.push(v))
    }

    fn push<T: Sample + Sampled>(&mut self, mut src: &[T]) -> Result<(), InvestError> {
        let mut pending = std::mem::replace(&mut self.pending, empty_data(self.info.sample));
        let result = (|| {
            let p = T::vec_mut(&mut pending);
            if !p.is_empty() {
                let want = self.batch_cells() - p.len();
                let take = want.min(src.len());
                p.extend_from_slice(&src[..take]);
                src = &src[take..];
                if p.len() == self.batch_cells() {
                    self.encode(p)?;
                    p.clear();
                }
            }
            while self.batch_cells() > 0 && src.len() >= self.batch_cells() {
                let (band, rest) = src.split_at(self.batch_cells());
                self.encode(band)?;
                src = rest;
            }
            p.extend_from_slice(src);
            Ok(())
        })();
        self.pending = pending;
        result
    }

    /// Cells per batch, capped at what is left of the raster.
    fn batch_cells(&self) -> usize {
        self.batch_rows.min(self.info.height - self.done) * self.info.width
    }

    /// Compresses `band` (whole chunk rows starting at row `done`, or the last rows) in
    /// parallel, one task per chunk, and writes the chunks in order.
    fn encode<T: Sample>(&mut self, band: &[T]) -> Result<(), InvestError> {
        let n = self.chunks_in(band.len() / self.info.width);
        let chunks: Result<Vec<Vec<u8>>, String> = (0..n)
            .into_par_iter()
            .map_init(Vec::<u8>::new, |scratch, j| {
                self.compress_chunk_of(band, j, scratch)
            })
            .collect();
        let chunks = chunks.map_err(|m| self.err(m))?;
        self.append_chunks(band.len() / self.info.width, &chunks)
    }

    /// Number of chunks in a band of `rows` rows starting at row `done`.
    fn chunks_in(&self, rows: usize) -> usize {
        let across = if self.tiled {
            self.info.width.div_ceil(self.info.block_width)
        } else {
            1
        };
        rows.div_ceil(self.info.block_height) * across
    }

    /// Chunk `j` (chunk-row major) of `band`, packed with the predictor into `scratch` and
    /// compressed.
    fn compress_chunk_of<T: Sample>(
        &self,
        band: &[T],
        j: usize,
        scratch: &mut Vec<u8>,
    ) -> Result<Vec<u8>, String> {
        let width = self.info.width;
        let (bw, bh) = (self.info.block_width, self.info.block_height);
        let rows = band.len() / width;
        let across = if self.tiled { width.div_ceil(bw) } else { 1 };
        let (d, a) = (j / across, j % across);
        let r0 = d * bh;
        let src_rows = bh.min(rows - r0);
        let c0 = a * bw;
        let src_cols = bw.min(width - c0);
        let src = &band[r0 * width + c0..];
        let (out_rows, row_samples) = if self.tiled {
            (bh, bw)
        } else {
            (src_rows, width)
        };
        codec::pack(
            src,
            width,
            src_rows,
            src_cols,
            out_rows,
            row_samples,
            self.predictor,
            scratch,
        );
        let mut out = Vec::new();
        codec::compress(self.compression, self.deflate_level, scratch, &mut out)?;
        Ok(out)
    }

    /// Writes compressed `chunks` (in order) holding the next `rows` rows.
    fn append_chunks(&mut self, rows: usize, chunks: &[Vec<u8>]) -> Result<(), InvestError> {
        for c in chunks {
            if !self.bigtiff && self.pos + c.len() as u64 > u32::MAX as u64 {
                return Err(self.err(
                    "the file passes 4 GiB: write it as BigTIFF (WriteOptions::bigtiff)".into(),
                ));
            }
            self.out.write_all(c).map_err(|e| self.err(e.to_string()))?;
            self.offsets.push(self.pos);
            self.counts.push(c.len() as u64);
            self.pos += c.len() as u64;
        }
        self.done += rows;
        Ok(())
    }

    /// Checks `data` as [`write_rows`](Self::write_rows) does and, when it can be compressed
    /// at once (nothing pending, whole chunk rows or the last rows), returns its chunk
    /// count; `Ok(None)`: it must go through `write_rows`. Used to compress several writers'
    /// rows as one flat parallel set ([`compress_chunk`](Self::compress_chunk),
    /// [`append`](Self::append)); the file is the same as with `write_rows`.
    #[cfg_attr(not(feature = "invest"), allow(dead_code))]
    pub(crate) fn direct_chunks(&self, data: &RasterData) -> Result<Option<usize>, InvestError> {
        self.check_rows(data)?;
        let rows = data.len() / self.info.width;
        let whole =
            rows.is_multiple_of(self.info.block_height) || self.done + rows == self.info.height;
        Ok((self.pending.is_empty() && whole).then(|| self.chunks_in(rows)))
    }

    /// Compresses chunk `j` of `data` (rows accepted by [`direct_chunks`](Self::direct_chunks)).
    #[cfg_attr(not(feature = "invest"), allow(dead_code))]
    pub(crate) fn compress_chunk(
        &self,
        data: &RasterData,
        j: usize,
        scratch: &mut Vec<u8>,
    ) -> Result<Vec<u8>, InvestError> {
        with_data!(data, v => self.compress_chunk_of(v, j, scratch)).map_err(|m| self.err(m))
    }

    /// Writes the compressed chunks of `data` (from [`compress_chunk`](Self::compress_chunk),
    /// in order).
    #[cfg_attr(not(feature = "invest"), allow(dead_code))]
    pub(crate) fn append(
        &mut self,
        data: &RasterData,
        chunks: &[Vec<u8>],
    ) -> Result<(), InvestError> {
        self.append_chunks(data.len() / self.info.width, chunks)
    }

    /// Writes the image directory and closes the file.
    ///
    /// # Errors
    /// [`InvestError::Write`]: fewer rows written than the raster has, or a write that fails.
    pub fn finish(mut self) -> Result<(), InvestError> {
        if self.done != self.info.height {
            return Err(self.err(format!(
                "only {} of {} rows were written",
                self.done + self.pending.len() / self.info.width,
                self.info.height
            )));
        }
        let entries = self.entries();
        let bytes = ifd_bytes(&entries, self.bigtiff, self.pos + (self.pos & 1));
        let e = |s: &Self, x: std::io::Error| s.err(x.to_string());
        if self.pos & 1 == 1 {
            self.out.write_all(&[0]).map_err(|x| e(&self, x))?;
            self.pos += 1;
        }
        let ifd_offset = self.pos;
        if !self.bigtiff && ifd_offset + bytes.len() as u64 > u32::MAX as u64 {
            return Err(self
                .err("the file passes 4 GiB: write it as BigTIFF (WriteOptions::bigtiff)".into()));
        }
        self.out.write_all(&bytes).map_err(|x| e(&self, x))?;
        let (at, field): (u64, Vec<u8>) = if self.bigtiff {
            (8, ifd_offset.to_le_bytes().to_vec())
        } else {
            (4, (ifd_offset as u32).to_le_bytes().to_vec())
        };
        self.out
            .seek(SeekFrom::Start(at))
            .map_err(|x| e(&self, x))?;
        self.out.write_all(&field).map_err(|x| e(&self, x))?;
        self.out.flush().map_err(|x| e(&self, x))?;
        Ok(())
    }

    fn entries(&self) -> Vec<(u16, u16, u64, Vec<u8>)> {
        let info = &self.info;
        let mut v: Vec<(u16, u16, u64, Vec<u8>)> = Vec::new();
        let short = |tag: u16, x: u16| (tag, 3u16, 1u64, x.to_le_bytes().to_vec());
        let long = |tag: u16, x: u32| (tag, 4u16, 1u64, x.to_le_bytes().to_vec());
        let table = |tag: u16, xs: &[u64]| -> (u16, u16, u64, Vec<u8>) {
            if self.bigtiff {
                (
                    tag,
                    16,
                    xs.len() as u64,
                    xs.iter().flat_map(|x| x.to_le_bytes()).collect(),
                )
            } else {
                (
                    tag,
                    4,
                    xs.len() as u64,
                    xs.iter().flat_map(|&x| (x as u32).to_le_bytes()).collect(),
                )
            }
        };
        let doubles = |tag: u16, xs: &[f64]| {
            (
                tag,
                12u16,
                xs.len() as u64,
                xs.iter().flat_map(|x| x.to_le_bytes()).collect(),
            )
        };
        let (bits, format) = match info.sample {
            SampleType::U8 => (8, 1),
            SampleType::I8 => (8, 2),
            SampleType::U16 => (16, 1),
            SampleType::I16 => (16, 2),
            SampleType::U32 => (32, 1),
            SampleType::I32 => (32, 2),
            SampleType::F32 => (32, 3),
            SampleType::F64 => (64, 3),
        };
        v.push(long(256, info.width as u32));
        v.push(long(257, info.height as u32));
        v.push(short(258, bits));
        v.push(short(259, self.compression));
        v.push(short(262, 1)); // BlackIsZero
        if !self.tiled {
            v.push(table(273, &self.offsets));
        }
        v.push(short(277, 1));
        if !self.tiled {
            v.push(long(278, info.block_height as u32));
            v.push(table(279, &self.counts));
        }
        v.push(short(284, 1));
        if self.predictor != 1 {
            v.push(short(317, self.predictor));
        }
        if self.tiled {
            v.push(long(322, info.block_width as u32));
            v.push(long(323, info.block_height as u32));
            v.push(table(324, &self.offsets));
            v.push(table(325, &self.counts));
        }
        v.push(short(339, format));
        let gt = info.geotransform;
        if gt[2] == 0.0 && gt[4] == 0.0 {
            v.push(doubles(33550, &[gt[1], -gt[5], 0.0]));
            v.push(doubles(33922, &[0.0, 0.0, 0.0, gt[0], gt[3], 0.0]));
        } else {
            v.push(doubles(
                34264,
                &[
                    gt[1], gt[2], 0.0, gt[0], gt[4], gt[5], 0.0, gt[3], 0.0, 0.0, 0.0, 0.0, 0.0,
                    0.0, 0.0, 1.0,
                ],
            ));
        }
        // GeoKeyDirectory: version 1.1.0; GTModelType, GTRasterType = PixelIsArea, the CRS.
        let mut keys: Vec<u16> = vec![1, 1, 0, 0];
        match info.epsg {
            Some(code) if code <= u16::MAX as u32 => {
                let geographic = (4000..5000).contains(&code);
                keys.extend([1024, 0, 1, if geographic { 2 } else { 1 }]);
                keys.extend([1025, 0, 1, 1]);
                keys.extend([if geographic { 2048 } else { 3072 }, 0, 1, code as u16]);
            }
            _ => keys.extend([1025, 0, 1, 1]),
        }
        keys[3] = ((keys.len() - 4) / 4) as u16;
        v.push((
            34735,
            3,
            keys.len() as u64,
            keys.iter().flat_map(|k| k.to_le_bytes()).collect(),
        ));
        if let Some(nd) = info.nodata {
            let mut text = if nd.is_nan() {
                "nan".to_string()
            } else {
                format!("{nd}")
            }
            .into_bytes();
            text.push(0);
            v.push((42113, 2, text.len() as u64, text));
        }
        v
    }
}

/// The bytes of an IFD placed at `offset`: entry count, entries (sorted by tag), next-IFD
/// offset 0, then the values that do not fit inline (each at an even offset).
fn ifd_bytes(entries: &[(u16, u16, u64, Vec<u8>)], bigtiff: bool, offset: u64) -> Vec<u8> {
    let (count_size, entry_size, inline) = if bigtiff { (8, 20, 8) } else { (2, 12, 4) };
    let head = count_size + entries.len() * entry_size + inline;
    let mut out = Vec::with_capacity(head);
    let mut data: Vec<u8> = Vec::new();
    if bigtiff {
        out.extend((entries.len() as u64).to_le_bytes());
    } else {
        out.extend((entries.len() as u16).to_le_bytes());
    }
    for (tag, typ, count, bytes) in entries {
        out.extend(tag.to_le_bytes());
        out.extend(typ.to_le_bytes());
        if bigtiff {
            out.extend(count.to_le_bytes());
        } else {
            out.extend((*count as u32).to_le_bytes());
        }
        if bytes.len() <= inline {
            out.extend(bytes);
            out.extend(std::iter::repeat_n(0u8, inline - bytes.len()));
        } else {
            let at = offset + (head + data.len()) as u64;
            if bigtiff {
                out.extend(at.to_le_bytes());
            } else {
                out.extend((at as u32).to_le_bytes());
            }
            data.extend(bytes);
            if data.len() & 1 == 1 {
                data.push(0);
            }
        }
    }
    out.extend(std::iter::repeat_n(0u8, inline)); // no next IFD
    out.extend(data);
    out
}

/// Access to the typed vector of a [`RasterData`] of a known sample type.
trait Sampled: Sized {
    fn vec_mut(data: &mut RasterData) -> &mut Vec<Self>;
}

macro_rules! sampled {
    ($t:ty, $v:ident) => {
        impl Sampled for $t {
            fn vec_mut(data: &mut RasterData) -> &mut Vec<Self> {
                match data {
                    RasterData::$v(v) => v,
                    // `pending` is always created with the writer's sample type.
                    other => {
                        *other = RasterData::$v(Vec::new());
                        match other {
                            RasterData::$v(v) => v,
                            _ => unreachable!("just set"),
                        }
                    }
                }
            }
        }
    };
}
sampled!(u8, U8);
sampled!(i8, I8);
sampled!(u16, U16);
sampled!(i16, I16);
sampled!(u32, U32);
sampled!(i32, I32);
sampled!(f32, F32);
sampled!(f64, F64);

fn empty_data(sample: SampleType) -> RasterData {
    match sample {
        SampleType::U8 => RasterData::U8(Vec::new()),
        SampleType::I8 => RasterData::I8(Vec::new()),
        SampleType::U16 => RasterData::U16(Vec::new()),
        SampleType::I16 => RasterData::I16(Vec::new()),
        SampleType::U32 => RasterData::U32(Vec::new()),
        SampleType::I32 => RasterData::I32(Vec::new()),
        SampleType::F32 => RasterData::F32(Vec::new()),
        SampleType::F64 => RasterData::F64(Vec::new()),
    }
}

/// Writes `raster` to `path` as a single-band GeoTIFF (a thin wrapper over
/// [`GeoTiffWriter`]).
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
///
/// # Errors
/// [`InvestError::Write`] naming the file.
pub fn write_geotiff(
    path: impl AsRef<Path>,
    raster: &Raster,
    options: &WriteOptions,
) -> Result<(), InvestError> {
    let path = path.as_ref();
    if raster.data.len() != raster.rows * raster.cols {
        return Err(InvestError::Write {
            path: path.display().to_string(),
            message: format!(
                "{} values for {} × {} cells",
                raster.data.len(),
                raster.rows,
                raster.cols
            ),
        });
    }
    let mut w = GeoTiffWriter::create(path, &RasterInfo::of(raster), options)?;
    w.write_rows(&raster.data)?;
    w.finish()
}
