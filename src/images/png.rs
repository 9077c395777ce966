//! PNG: the chunk structure walked to IEND and the header (size, colour, alpha, an
//! embedded ICC profile) read without inflating the image data, so that `check` never
//! decodes; and the decoding itself, for `build`, under a memory limit.

use super::ColorSpace;

pub const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// What a PNG's header chunks say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PngInfo {
    pub width: u32,
    pub height: u32,
    pub color: ColorSpace,
    /// An alpha channel or a tRNS chunk.
    pub alpha: bool,
    pub icc: Option<Vec<u8>>,
}

/// Walk the chunks from IHDR to IEND (each length inside the file) and read the header.
pub fn read(bytes: &[u8]) -> Result<PngInfo, String> {
    if !bytes.starts_with(SIGNATURE) {
        return Err("is not a PNG file".into());
    }
    let be = |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let mut at = SIGNATURE.len();
    let mut header: Option<(u32, u32, u8)> = None;
    let (mut trns, mut idat, mut has_icc) = (false, false, false);
    loop {
        if at + 12 > bytes.len() {
            return Err(format!("is a truncated PNG: its data stops at byte {} before the IEND chunk", bytes.len()));
        }
        let length = be(at) as usize;
        let kind = &bytes[at + 4..at + 8];
        if at + 12 + length > bytes.len() {
            return Err(format!("is a truncated PNG: a chunk at byte {at} runs past the end of the file"));
        }
        let data = &bytes[at + 8..at + 8 + length];
        match kind {
            b"IHDR" if length >= 13 => header = Some((be(at + 8), be(at + 12), data[9])),
            _ if header.is_none() => return Err("is a PNG without its IHDR header".into()),
            b"tRNS" => trns = true,
            b"iCCP" => has_icc = true,
            b"IDAT" => idat = true,
            b"IEND" => break,
            _ => {}
        }
        at += 12 + length;
    }
    let (width, height, color_type) = header.ok_or("is a PNG without its IHDR header")?;
    if !idat {
        return Err("is a PNG without image data (no IDAT chunk)".into());
    }
    let (color, alpha) = match color_type {
        0 => (ColorSpace::Gray, trns),
        2 | 3 => (ColorSpace::Rgb, trns),
        4 => (ColorSpace::Gray, true),
        6 => (ColorSpace::Rgb, true),
        t => return Err(format!("is a PNG of unknown colour type {t}")),
    };
    // The profile is zlib-compressed: the png crate inflates it, reading only the chunks
    // before the image data.
    let icc = if has_icc {
        let decoder = ::png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().map_err(|e| format!("is a PNG whose header cannot be read: {e}"))?;
        reader.info().icc_profile.as_ref().map(|p| p.to_vec())
    } else {
        None
    };
    Ok(PngInfo { width, height, color, alpha, icc })
}

/// Decoded samples, one byte a component, rows top to bottom: grey or RGB, and the alpha
/// channel if the PNG has one.
#[derive(Debug)]
pub struct Decoded {
    pub samples: Vec<u8>,
    pub alpha: Option<Vec<u8>>,
}

/// Decode, allocating at most `max_bytes` for the decoder and its samples: the png crate
/// expands palettes and low bit depths to 8-bit grey or RGB and a transparent colour to
/// an alpha channel, and takes the high byte of 16-bit samples.
pub fn decode(bytes: &[u8], color: ColorSpace, max_bytes: u64) -> Result<Decoded, String> {
    use ::png::{ColorType, Transformations};
    let cannot = |e: &dyn std::fmt::Display| format!("is a PNG that cannot be decoded: {e}");
    let limits = ::png::Limits { bytes: usize::try_from(max_bytes).unwrap_or(usize::MAX) };
    let mut decoder = ::png::Decoder::new_with_limits(std::io::Cursor::new(bytes), limits);
    decoder.set_transformations(Transformations::EXPAND | Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| cannot(&e))?;
    let size = reader.output_buffer_size().filter(|&n| n as u64 <= max_bytes);
    let Some(size) = size else { return Err(cannot(&format!("its samples need more than {max_bytes} bytes"))) };
    let mut buffer = vec![0; size];
    let frame = reader.next_frame(&mut buffer).map_err(|e| cannot(&e))?;
    buffer.truncate(frame.buffer_size());
    let (channels, has_alpha) = match frame.color_type {
        ColorType::Grayscale => (1, false),
        ColorType::GrayscaleAlpha => (2, true),
        ColorType::Rgb => (3, false),
        ColorType::Rgba => (4, true),
        ColorType::Indexed => return Err(cannot(&"its palette was not expanded")),
    };
    let pixels = buffer.chunks_exact(channels);
    let alpha = has_alpha.then(|| pixels.clone().map(|p| p[channels - 1]).collect());
    let grey = channels < 3;
    Ok(if color == ColorSpace::Rgb {
        let samples = if grey {
            pixels.flat_map(|p| [p[0]; 3]).collect()
        } else {
            pixels.flat_map(|p| [p[0], p[1], p[2]]).collect()
        };
        Decoded { samples, alpha }
    } else {
        // Rec. 709 luma, as a grey PNG's samples would be had it been saved grey.
        let luma = |p: &[u8]| (0.2126 * p[0] as f32 + 0.7152 * p[1] as f32 + 0.0722 * p[2] as f32).round() as u8;
        let samples = if grey { pixels.map(|p| p[0]).collect() } else { pixels.map(luma).collect() };
        Decoded { samples, alpha }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
    }

    #[test]
    fn reads_headers_and_decodes() {
        let bytes = fixture("alpha.png");
        let info = read(&bytes).unwrap();
        assert_eq!((info.width, info.height, info.color, info.alpha), (40, 30, ColorSpace::Rgb, true));
        let decoded = decode(&bytes, info.color, 1 << 20).unwrap();
        assert_eq!(decoded.samples.len(), 40 * 30 * 3);
        assert_eq!(decoded.alpha.map(|a| a.len()), Some(40 * 30));
        assert!(!read(&fixture("opaque.png")).unwrap().alpha);
    }

    #[test]
    fn a_truncated_png_and_a_tight_memory_limit_are_refused() {
        let bytes = fixture("opaque.png");
        assert!(read(&bytes[..bytes.len() - 6]).unwrap_err().contains("truncated PNG"));
        assert!(read(&bytes[..40]).unwrap_err().contains("truncated PNG"));
        assert!(decode(&bytes, ColorSpace::Rgb, 100).unwrap_err().contains("cannot be decoded"));
    }
}
