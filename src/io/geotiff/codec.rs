//! Chunk codecs shared by the reader and the writer: sample types and their byte order,
//! compression (none, LZW, DEFLATE, PackBits on read) and the TIFF predictors
//! (2: horizontal differencing of integers; 3: the floating-point predictor, byte shuffle +
//! differencing, as libtiff's `fpAcc`/`fpDiff`).

use super::SampleType;

/// TIFF compression codes (TIFF 6.0 §3 and the libtiff registry).
pub(crate) const COMPRESSION_NONE: u16 = 1;
pub(crate) const COMPRESSION_LZW: u16 = 5;
pub(crate) const COMPRESSION_DEFLATE: u16 = 8;
pub(crate) const COMPRESSION_DEFLATE_OLD: u16 = 32946;
pub(crate) const COMPRESSION_PACKBITS: u16 = 32773;

/// Largest ratio of decoded to compressed bytes we accept for a chunk before allocating its
/// decode buffer. DEFLATE cannot exceed 1032:1 (RFC 1951, a 258-byte match per 2 bits); a
/// 12-bit LZW code stands for at most 4 096 bytes; PackBits at most 128 bytes per 2.
pub(crate) const MAX_EXPANSION: u64 = 4096 * 2;

/// Name of a compression code, for error messages.
pub(crate) fn compression_name(code: u16) -> &'static str {
    match code {
        1 => "none",
        2 => "CCITT RLE",
        3 => "CCITT G3",
        4 => "CCITT G4",
        5 => "LZW",
        6 | 7 => "JPEG",
        8 | 32946 => "DEFLATE",
        32773 => "PackBits",
        34887 => "LERC",
        34925 => "LZMA",
        50000 => "ZSTD",
        50001 => "WEBP",
        50002 => "JPEG-XL",
        _ => "unknown",
    }
}

/// A sample type of a single-band raster: its size, and conversions from file bytes.
pub(crate) trait Sample: Copy + Default + Send + Sync + 'static {
    const SIZE: usize;
    const TYPE: SampleType;
    fn from_le(b: &[u8]) -> Self;
    fn from_be(b: &[u8]) -> Self;
    fn put_le(self, out: &mut [u8]);
    fn put_be(self, out: &mut [u8]);
    /// `self + prev` for integers (wrapping), as predictor 2 is undone.
    fn add(self, prev: Self) -> Self;
    /// `self − prev` for integers (wrapping), as predictor 2 is applied.
    fn sub(self, prev: Self) -> Self;
    fn to_f32(self) -> f32;
}

macro_rules! sample {
    ($t:ty, $ty:ident, int) => {
        sample!(@impl $t, $ty, |a: $t, b: $t| a.wrapping_add(b), |a: $t, b: $t| a.wrapping_sub(b));
    };
    ($t:ty, $ty:ident, float) => {
        sample!(@impl $t, $ty, |a: $t, _b: $t| a, |a: $t, _b: $t| a);
    };
    (@impl $t:ty, $ty:ident, $add:expr, $sub:expr) => {
        impl Sample for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            const TYPE: SampleType = SampleType::$ty;
            #[inline]
            fn from_le(b: &[u8]) -> Self {
                let mut a = [0u8; std::mem::size_of::<$t>()];
                a.copy_from_slice(b);
                <$t>::from_le_bytes(a)
            }
            #[inline]
            fn from_be(b: &[u8]) -> Self {
                let mut a = [0u8; std::mem::size_of::<$t>()];
                a.copy_from_slice(b);
                <$t>::from_be_bytes(a)
            }
            #[inline]
            fn put_le(self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_le_bytes());
            }
            #[inline]
            fn put_be(self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_be_bytes());
            }
            #[inline]
            fn add(self, prev: Self) -> Self {
                ($add)(self, prev)
            }
            #[inline]
            fn sub(self, prev: Self) -> Self {
                ($sub)(self, prev)
            }
            #[inline]
            #[allow(clippy::unnecessary_cast)]
            fn to_f32(self) -> f32 {
                self as f32
            }
        }
    };
}
sample!(u8, U8, int);
sample!(i8, I8, int);
sample!(u16, U16, int);
sample!(i16, I16, int);
sample!(u32, U32, int);
sample!(i32, I32, int);
sample!(f32, F32, float);
sample!(f64, F64, float);

/// Decompresses `raw` into `out` (resized to `expected` bytes). Returns the number of bytes
/// decoded: fewer than `expected` is allowed (the caller decides whether the rows it needs
/// are there); more is an error.
pub(crate) fn decompress(
    compression: u16,
    raw: &[u8],
    expected: usize,
    out: &mut Vec<u8>,
) -> Result<usize, String> {
    out.clear();
    match compression {
        COMPRESSION_NONE => {
            let n = raw.len().min(expected);
            out.extend_from_slice(&raw[..n]);
            Ok(n)
        }
        COMPRESSION_LZW => {
            out.reserve(expected);
            let mut dec = weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
            let result = dec.into_vec(out).decode(raw);
            if let Err(e) = result.status {
                // Files cut short of the end code are accepted as long as the samples are there.
                if !(matches!(e, weezl::LzwError::InvalidCode) && out.len() >= expected) {
                    return Err(format!("LZW: {e}"));
                }
            }
            if out.len() > expected {
                // libtiff tolerates trailing garbage after the samples; so do we.
                out.truncate(expected);
            }
            Ok(out.len())
        }
        COMPRESSION_DEFLATE | COMPRESSION_DEFLATE_OLD => {
            out.resize(expected, 0);
            let mut dec = flate2::Decompress::new(true);
            let status = dec
                .decompress(raw, out, flate2::FlushDecompress::Finish)
                .map_err(|e| format!("DEFLATE: {e}"))?;
            let n = dec.total_out() as usize;
            if n == expected || matches!(status, flate2::Status::StreamEnd) {
                out.truncate(n);
                Ok(n)
            } else {
                Err(format!(
                    "DEFLATE: stream ends early after {n} of {expected} bytes"
                ))
            }
        }
        COMPRESSION_PACKBITS => {
            out.reserve(expected);
            let mut i = 0;
            while i < raw.len() && out.len() < expected {
                let n = raw[i] as i8;
                i += 1;
                if n >= 0 {
                    let len = n as usize + 1;
                    let end = (i + len).min(raw.len());
                    out.extend_from_slice(&raw[i..end]);
                    i = end;
                } else if n != -128 {
                    let len = (1 - n as isize) as usize;
                    let b = *raw.get(i).ok_or("PackBits: run without a byte")?;
                    out.extend(std::iter::repeat_n(b, len));
                    i += 1;
                }
            }
            out.truncate(expected);
            Ok(out.len())
        }
        c => Err(format!(
            "unsupported compression {c} ({})",
            compression_name(c)
        )),
    }
}

/// Compresses `data` with `compression` into `out` (cleared first).
pub(crate) fn compress(
    compression: u16,
    deflate_level: u32,
    data: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), String> {
    out.clear();
    match compression {
        COMPRESSION_NONE => {
            out.extend_from_slice(data);
            Ok(())
        }
        COMPRESSION_LZW => {
            let mut enc = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
            enc.into_vec(out)
                .encode_all(data)
                .status
                .map(|_| ())
                .map_err(|e| format!("LZW: {e}"))
        }
        COMPRESSION_DEFLATE => {
            out.reserve(data.len() / 2 + 64);
            let mut enc = flate2::Compress::new(flate2::Compression::new(deflate_level), true);
            loop {
                let consumed = enc.total_in() as usize;
                if out.len() == out.capacity() {
                    out.reserve(out.capacity().max(4096));
                }
                let status = enc
                    .compress_vec(&data[consumed..], out, flate2::FlushCompress::Finish)
                    .map_err(|e| format!("DEFLATE: {e}"))?;
                if matches!(status, flate2::Status::StreamEnd) {
                    return Ok(());
                }
            }
        }
        c => Err(format!("cannot write compression {c}")),
    }
}

/// Turns the decoded bytes of one chunk (`rows` rows of `row_samples` samples, file byte
/// order, with `predictor` applied, `spp` samples per pixel) into native samples in `out`.
pub(crate) fn unpack<T: Sample>(
    bytes: &mut [u8],
    rows: usize,
    row_samples: usize,
    spp: usize,
    predictor: u16,
    big_endian: bool,
    out: &mut Vec<T>,
) -> Result<(), String> {
    let row_bytes = row_samples * T::SIZE;
    let n = rows * row_samples;
    if bytes.len() < rows * row_bytes {
        return Err(format!(
            "decoded {} bytes, expected {}",
            bytes.len(),
            rows * row_bytes
        ));
    }
    out.clear();
    out.reserve(n);
    match predictor {
        1 | 2 => {
            let bytes = &bytes[..rows * row_bytes];
            if big_endian {
                out.extend(bytes.chunks_exact(T::SIZE).map(T::from_be));
            } else {
                out.extend(bytes.chunks_exact(T::SIZE).map(T::from_le));
            }
            if predictor == 2 {
                if matches!(T::TYPE, SampleType::F32 | SampleType::F64) {
                    return Err("predictor 2 on floating-point samples".into());
                }
                for row in out.chunks_exact_mut(row_samples) {
                    for i in spp..row.len() {
                        row[i] = row[i].add(row[i - spp]);
                    }
                }
            }
            Ok(())
        }
        3 => {
            // libtiff fpAcc: byte-wise accumulation with stride `spp`, then byte planes
            // (most significant first) back into samples; independent of the file byte order.
            let stride = spp;
            let mut sample = [0u8; 8];
            for row in bytes[..rows * row_bytes].chunks_exact_mut(row_bytes) {
                for i in stride..row.len() {
                    row[i] = row[i].wrapping_add(row[i - stride]);
                }
                for k in 0..row_samples {
                    for (b, s) in sample[..T::SIZE].iter_mut().enumerate() {
                        *s = row[b * row_samples + k];
                    }
                    out.push(T::from_be(&sample[..T::SIZE]));
                }
            }
            Ok(())
        }
        p => Err(format!("unsupported predictor {p}")),
    }
}

/// Writes `rows × row_samples` samples of `src` (row stride `src_stride`; rows beyond
/// `src_rows` and samples beyond `src_cols` are zero padding) as little-endian bytes with
/// `predictor` applied, into `out` (cleared first).
#[allow(clippy::too_many_arguments)]
pub(crate) fn pack<T: Sample>(
    src: &[T],
    src_stride: usize,
    src_rows: usize,
    src_cols: usize,
    rows: usize,
    row_samples: usize,
    predictor: u16,
    out: &mut Vec<u8>,
) {
    let row_bytes = row_samples * T::SIZE;
    out.clear();
    out.resize(rows * row_bytes, 0);
    for (r, dst) in out.chunks_exact_mut(row_bytes).enumerate() {
        if r >= src_rows {
            break;
        }
        let row = &src[r * src_stride..r * src_stride + src_cols];
        match predictor {
            2 => {
                let mut prev = T::default();
                for (d, &v) in dst.chunks_exact_mut(T::SIZE).zip(row) {
                    v.sub(prev).put_le(d);
                    prev = v;
                }
                // Padding after the last sample: differences of zero from the last value.
                if src_cols < row_samples {
                    T::default()
                        .sub(prev)
                        .put_le(&mut dst[src_cols * T::SIZE..(src_cols + 1) * T::SIZE]);
                }
            }
            3 => {
                // Byte planes, most significant first, then differences along the row.
                let mut sample = [0u8; 8];
                if T::SIZE == 4 {
                    let (p0, rest) = dst.split_at_mut(row_samples);
                    let (p1, rest) = rest.split_at_mut(row_samples);
                    let (p2, p3) = rest.split_at_mut(row_samples);
                    let planes = p0.iter_mut().zip(p1).zip(p2).zip(p3.iter_mut());
                    for (&v, (((b0, b1), b2), b3)) in row.iter().zip(planes) {
                        v.put_be(&mut sample[..4]);
                        (*b0, *b1, *b2, *b3) = (sample[0], sample[1], sample[2], sample[3]);
                    }
                } else {
                    for (k, &v) in row.iter().enumerate() {
                        v.put_be(&mut sample[..T::SIZE]);
                        for (b, &s) in sample[..T::SIZE].iter().enumerate() {
                            dst[b * row_samples + k] = s;
                        }
                    }
                }
                let mut prev = 0u8;
                for d in dst.iter_mut() {
                    let v = *d;
                    *d = v.wrapping_sub(prev);
                    prev = v;
                }
            }
            _ => {
                for (d, &v) in dst.chunks_exact_mut(T::SIZE).zip(row) {
                    v.put_le(d);
                }
            }
        }
    }
}
