//! Images: a photo's pixel size, colour space and bytes. A JPEG is read from its header
//! only, so that its bytes go into the PDF unchanged (no decoding, no downsampling, no
//! re-encoding); a PNG is decoded (losslessly recompressed with Flate in the PDF, its alpha
//! channel a soft mask). Sizes are checked before anything is allocated from them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, Location, Result};

/// Files bigger than this are refused.
pub const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;
/// Pixel dimensions beyond this are refused (a decompression bomb, or a broken header).
pub const MAX_PIXELS: u64 = 200_000_000;
pub const MAX_SIDE: u32 = 40_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorSpace {
    Gray,
    Rgb,
    Cmyk,
}

/// How the photo's data is stored.
#[derive(Debug, Clone)]
pub enum Encoding {
    /// The JPEG file's bytes, to pass through as /DCTDecode.
    Jpeg,
    /// Decoded samples (one byte a component, rows top to bottom) and the alpha channel,
    /// if the PNG has one.
    Raw { alpha: Option<Arc<Vec<u8>>> },
}

/// A photo ready to be placed.
#[derive(Debug, Clone)]
pub struct Image {
    pub path: PathBuf,
    /// The JPEG file, or the decoded samples of a PNG.
    pub data: Arc<Vec<u8>>,
    pub encoding: Encoding,
    pub width: u32,
    pub height: u32,
    pub color: ColorSpace,
    /// An Adobe (APP14) CMYK JPEG stores inverted values: the PDF needs /Decode [1 0 …].
    pub adobe_inverted: bool,
}

/// What a JPEG header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegInfo {
    pub width: u32,
    pub height: u32,
    pub components: u8,
    pub adobe: bool,
}

/// Read the frame header (SOFn) of a JPEG, walking the marker segments.
pub fn jpeg_info(bytes: &[u8]) -> Result<JpegInfo, String> {
    if bytes.len() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 {
        return Err("is not a JPEG file (no SOI marker); only JPEG photos can be placed".into());
    }
    let mut adobe = false;
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return Err(format!("has a broken JPEG marker at byte {i}"));
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if matches!(marker, 0xD8 | 0x01 | 0xD0..=0xD7) {
            i += 2;
            continue;
        }
        let length = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        if length < 2 || i + 2 + length > bytes.len() {
            return Err(format!("has a JPEG segment running past the end of the file at byte {i}"));
        }
        let segment = &bytes[i + 4..i + 2 + length];
        match marker {
            0xEE if segment.starts_with(b"Adobe") => adobe = true,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                if segment.len() < 6 {
                    return Err("has a truncated JPEG frame header".into());
                }
                let height = u16::from_be_bytes([segment[1], segment[2]]) as u32;
                let width = u16::from_be_bytes([segment[3], segment[4]]) as u32;
                return Ok(JpegInfo { width, height, components: segment[5], adobe });
            }
            0xD9 | 0xDA => break,
            _ => {}
        }
        i += 2 + length;
    }
    Err("has no JPEG frame header (SOF) before its image data".into())
}

impl Image {
    /// Load a photo named at `asked_at`.
    pub fn load(path: &Path, asked_at: &Location) -> Result<Image> {
        let broken = |problem: String| Error::Asset {
            what: "image file",
            path: path.to_owned(),
            problem,
            location: Box::new(asked_at.clone()),
        };
        let data = crate::spec::source::read_capped(path, MAX_IMAGE_BYTES, "a photo").map_err(broken)?;
        if data.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Image::png(path, &data).map_err(broken);
        }
        let info = jpeg_info(&data).map_err(broken)?;
        check_size(info.width, info.height).map_err(broken)?;
        let color = match info.components {
            1 => ColorSpace::Gray,
            3 => ColorSpace::Rgb,
            4 => ColorSpace::Cmyk,
            n => return Err(broken(format!("has {n} colour components; expected 1 (grey), 3 (RGB) or 4 (CMYK)"))),
        };
        Ok(Image {
            path: path.to_owned(),
            data: Arc::new(data),
            encoding: Encoding::Jpeg,
            width: info.width,
            height: info.height,
            color,
            adobe_inverted: info.adobe && color == ColorSpace::Cmyk,
        })
    }

    fn png(path: &Path, data: &[u8]) -> Result<Image, String> {
        // The header's size first: a PNG claiming a billion pixels is refused unread.
        let size = |at: usize| u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]);
        if data.len() < 24 || &data[12..16] != b"IHDR" {
            return Err("is a PNG without its IHDR header".into());
        }
        check_size(size(16), size(20))?;
        let mut limits = image::Limits::default();
        limits.max_alloc = Some(4 * MAX_PIXELS);
        let mut reader = image::ImageReader::with_format(std::io::Cursor::new(data), image::ImageFormat::Png);
        reader.limits(limits);
        let decoded = reader.decode().map_err(|e| format!("is a PNG that cannot be decoded: {e}"))?;
        let (width, height) = (decoded.width(), decoded.height());
        let (color, samples, alpha) = if decoded.color().has_color() {
            let rgba = decoded.to_rgba8();
            let alpha = decoded.color().has_alpha().then(|| rgba.pixels().map(|p| p[3]).collect::<Vec<u8>>());
            (ColorSpace::Rgb, rgba.pixels().flat_map(|p| [p[0], p[1], p[2]]).collect::<Vec<u8>>(), alpha)
        } else {
            let la = decoded.to_luma_alpha8();
            let alpha = decoded.color().has_alpha().then(|| la.pixels().map(|p| p[1]).collect::<Vec<u8>>());
            (ColorSpace::Gray, la.pixels().map(|p| p[0]).collect::<Vec<u8>>(), alpha)
        };
        Ok(Image {
            path: path.to_owned(),
            data: Arc::new(samples),
            encoding: Encoding::Raw { alpha: alpha.map(Arc::new) },
            width,
            height,
            color,
            adobe_inverted: false,
        })
    }

    /// The photo has transparency (not allowed in PDF/X-1a).
    pub fn has_alpha(&self) -> bool {
        matches!(self.encoding, Encoding::Raw { alpha: Some(_) })
    }
}

fn check_size(width: u32, height: u32) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err(format!("says it is {width}×{height} pixels"));
    }
    if width > MAX_SIDE || height > MAX_SIDE || width as u64 * height as u64 > MAX_PIXELS {
        return Err(format!(
            "is {width}×{height} pixels, more than this program accepts ({MAX_SIDE} a side, {MAX_PIXELS} in all)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo(name: &str) -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("images").join(name)).unwrap()
    }

    #[test]
    fn reads_the_demo_photos_headers() {
        assert_eq!(
            jpeg_info(&demo("lake-mountains.jpg")).unwrap(),
            JpegInfo { width: 2400, height: 1500, components: 3, adobe: false }
        );
        assert_eq!(jpeg_info(&demo("furniture-interior.jpg")).unwrap().height, 2400);
    }

    #[test]
    fn refuses_what_is_not_a_jpeg() {
        assert!(jpeg_info(b"\x89PNG\r\n\x1a\n").unwrap_err().contains("not a JPEG"));
        assert!(jpeg_info(b"").is_err());
        // A segment length running past the end.
        assert!(jpeg_info(&[0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF, 0x00]).unwrap_err().contains("past the end"));
    }

    #[test]
    fn refuses_absurd_dimensions() {
        // A valid-looking header claiming 65535 × 65535 pixels.
        let header = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x03, 0, 0, 0, 0];
        let info = jpeg_info(&header).unwrap();
        assert!(check_size(info.width, info.height).unwrap_err().contains("more than this program accepts"));
        assert!(check_size(0, 10).is_err());
    }

    #[test]
    fn pngs_are_decoded_with_their_alpha() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/alpha.png");
        let here = Location::new(&path, 1, 1, None);
        let image = Image::load(&path, &here).unwrap();
        assert_eq!((image.width, image.height, image.color), (40, 30, ColorSpace::Rgb));
        assert_eq!(image.data.len(), 40 * 30 * 3);
        assert!(image.has_alpha());
        // A PNG header claiming 100000 × 100000 pixels is refused before decoding.
        let mut bomb = std::fs::read(&path).unwrap();
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let dir = tempfile::tempdir().unwrap();
        let bomb_path = dir.path().join("bomb.png");
        std::fs::write(&bomb_path, bomb).unwrap();
        let e = Image::load(&bomb_path, &here).unwrap_err().to_string();
        assert!(e.contains("more than this program accepts"), "{e}");
    }

    #[test]
    fn adobe_marker_is_noticed() {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xEE, 0x00, 0x0E];
        bytes.extend_from_slice(b"Adobe\0\x64\0\0\0\0\x02");
        bytes.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x10, 0x00, 0x20, 0x04, 0, 0, 0, 0]);
        let info = jpeg_info(&bytes).unwrap();
        assert_eq!((info.width, info.height, info.components, info.adobe), (32, 16, 4, true));
    }
}
