//! Images: a photo's header (pixel size, colour space, embedded ICC profile, transparency)
//! read without decoding, and, for the PDF, the photo made ready for the press
//! (`prepare`: downsampled to `print.max_ppi`, converted to the output intent's CMYK
//! under the ink limit, cached). A JPEG that needs neither goes into the PDF byte for byte.
//! Sizes are checked before anything is allocated from them.

pub mod cache;
pub mod color;
pub mod decoded;
pub mod ink;
pub mod jpeg;
pub mod png;
pub mod prepare;
pub mod resample;
pub mod shared;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::bytes::Bytes;
use crate::error::{Error, Location, Result};

pub use jpeg::JpegInfo;

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

/// The file format a photo was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
}

/// How the photo's data is stored.
#[derive(Debug, Clone)]
pub enum Encoding {
    /// JPEG bytes, to pass through as /DCTDecode: the file's, or a converted photo's.
    Jpeg,
    /// Decoded samples (one byte a component, rows top to bottom) and the alpha channel,
    /// if the PNG has one. A PNG only read for its header has no samples yet.
    Raw { alpha: Option<Arc<Vec<u8>>> },
}

/// A photo ready to be placed.
#[derive(Debug, Clone)]
pub struct Image {
    pub path: PathBuf,
    /// The JPEG (the file's, or the converted photo's), or the decoded samples of a PNG.
    pub data: Bytes,
    pub encoding: Encoding,
    pub width: u32,
    pub height: u32,
    pub color: ColorSpace,
    /// An Adobe (APP14) CMYK JPEG stores inverted values: the PDF needs /Decode [1 0 …].
    pub adobe_inverted: bool,
    /// What the file holds, as read.
    pub source: Arc<Source>,
    /// What `prepare` made of it; `None` for a photo only read (`check`).
    pub prepared: Option<Prepared>,
}

/// A photo file as read: its bytes and what its header says.
#[derive(Debug)]
pub struct Source {
    pub bytes: Bytes,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub color: ColorSpace,
    pub adobe: bool,
    /// An alpha channel or a transparent colour (PNG).
    pub alpha: bool,
    /// The embedded ICC profile, if any.
    pub icc: Option<Vec<u8>>,
    /// The file's settled stamp when it was read (see [`shared`]): what the photo cache's
    /// index knows the file by. `None`: the bytes are hashed.
    pub stamp: Option<shared::Stamp>,
    /// SHA-256 of `bytes`, once known.
    hash: OnceLock<[u8; 32]>,
}

/// What preparing a photo for the press did.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The colour space it was converted from, if it was converted.
    pub converted_from: Option<ColorSpace>,
    /// The source's pixel size, if it was downsampled.
    pub resampled_from: Option<(u32, u32)>,
    /// The largest total ink of any pixel (C + M + Y + K, percent), measured on the JPEG
    /// as a RIP decodes it; `None` when the photo is not CMYK (a transparent PNG).
    pub max_ink: Option<f32>,
    /// The source had no usable ICC profile: sRGB (or sRGB's tone curve for grey) was assumed.
    pub assumed_srgb: bool,
    /// Read from the cache rather than converted now.
    pub from_cache: bool,
}

/// Read the frame header of a JPEG (see `jpeg::read`, which also checks its structure).
pub fn jpeg_info(bytes: &[u8]) -> Result<JpegInfo, String> {
    jpeg::read(bytes)
}

impl Image {
    /// Read a photo named at `asked_at`: its header and structure only, nothing decoded.
    pub fn load(path: &Path, asked_at: &Location) -> Result<Image> {
        let broken = |problem: String| Error::Asset {
            what: "image file",
            path: path.to_owned(),
            problem,
            location: Box::new(asked_at.clone()),
        };
        let data = crate::spec::source::read_capped(path, MAX_IMAGE_BYTES, "a photo").map_err(broken)?;
        let source = Source::read(data).map_err(broken)?;
        Ok(Image::from_source(path, Arc::new(source)))
    }

    /// The photo as its file holds it: a JPEG as its bytes, a PNG not yet decoded.
    pub(crate) fn from_source(path: &Path, source: Arc<Source>) -> Image {
        let (data, encoding) = match source.format {
            Format::Jpeg => (source.bytes.clone(), Encoding::Jpeg),
            Format::Png => (Bytes::default(), Encoding::Raw { alpha: None }),
        };
        Image {
            path: path.to_owned(),
            data,
            encoding,
            width: source.width,
            height: source.height,
            color: source.color,
            adobe_inverted: source.adobe && source.color == ColorSpace::Cmyk,
            source,
            prepared: None,
        }
    }

    /// The photo has transparency (not allowed in PDF/X-1a).
    pub fn has_alpha(&self) -> bool {
        self.source.alpha
    }

    /// The PDF gets the file's own bytes.
    pub fn passed_through(&self) -> bool {
        self.source.format == Format::Jpeg && self.data.ptr_eq(&self.source.bytes)
    }

    /// `prepare` converts this photo to CMYK (all but transparent ones, which a CMYK JPEG
    /// cannot carry: they stay RGB or grey with their alpha as a soft mask).
    pub fn will_be_cmyk(&self) -> bool {
        self.color == ColorSpace::Cmyk || !self.has_alpha()
    }
}

impl Source {
    /// Recognise the format and read the header, checking the file's structure.
    pub fn read(bytes: Vec<u8>) -> Result<Source, String> {
        let source = if bytes.starts_with(png::SIGNATURE) {
            let info = png::read(&bytes)?;
            Source {
                format: Format::Png,
                width: info.width,
                height: info.height,
                color: info.color,
                adobe: false,
                alpha: info.alpha,
                icc: info.icc,
                bytes: Bytes::from(bytes),
                stamp: None,
                hash: OnceLock::new(),
            }
        } else {
            let info = jpeg::read(&bytes)?;
            let color = match info.components {
                1 => ColorSpace::Gray,
                3 => ColorSpace::Rgb,
                4 => ColorSpace::Cmyk,
                n => return Err(format!("has {n} colour components; expected 1 (grey), 3 (RGB) or 4 (CMYK)")),
            };
            Source {
                format: Format::Jpeg,
                width: info.width,
                height: info.height,
                color,
                adobe: info.adobe,
                alpha: false,
                icc: info.icc,
                bytes: Bytes::from(bytes),
                stamp: None,
                hash: OnceLock::new(),
            }
        };
        check_size(source.width, source.height)?;
        Ok(source)
    }
}

impl Source {
    /// SHA-256 of the file's bytes: `known` (from the photo cache's index) when it gives
    /// it, else computed; either way once per source.
    pub fn content_hash(&self, known: impl FnOnce() -> Option<[u8; 32]>) -> [u8; 32] {
        *self.hash.get_or_init(|| {
            use sha2::{Digest, Sha256};
            known().unwrap_or_else(|| Sha256::digest(&self.bytes[..]).into())
        })
    }

    /// The hash, if it was asked for before.
    pub fn known_hash(&self) -> Option<[u8; 32]> {
        self.hash.get().copied()
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

/// Pixels a PNG may have to be decoded: 4 times (2 × 2) what its largest placement uses
/// at `max_ppi`, and never less than a page's worth (25 Mpx, a broadsheet page at 250
/// ppi), so that a small file claiming 200 Mpx (a decompression bomb) is refused before
/// it is inflated while an ordinary photo placed small is not.
pub fn png_pixel_budget(placed_width_pt: f32, placed_height_pt: f32, max_ppi: f32) -> u64 {
    let px = |pt: f32| (pt.max(0.0) as f64 / 72.0 * max_ppi as f64).ceil();
    let used = px(placed_width_pt) * px(placed_height_pt);
    ((4.0 * used).min(MAX_PIXELS as f64) as u64).max(PNG_BUDGET_FLOOR)
}

/// The smallest pixel budget of a PNG.
pub const PNG_BUDGET_FLOOR: u64 = 25_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_absurd_dimensions() {
        assert!(check_size(65535, 65535).unwrap_err().contains("more than this program accepts"));
        assert!(check_size(0, 10).is_err());
        assert!(check_size(4000, 3000).is_ok());
    }

    #[test]
    fn photos_are_read_without_decoding() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/alpha.png");
        let here = Location::new(&path, 1, 1, None);
        let image = Image::load(&path, &here).unwrap();
        assert_eq!((image.width, image.height, image.color), (40, 30, ColorSpace::Rgb));
        assert!(image.data.is_empty() && image.has_alpha() && !image.will_be_cmyk());
        // A PNG header claiming 100000 × 100000 pixels is refused unread.
        let mut bomb = std::fs::read(&path).unwrap();
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let dir = tempfile::tempdir().unwrap();
        let bomb_path = dir.path().join("bomb.png");
        std::fs::write(&bomb_path, bomb).unwrap();
        let e = Image::load(&bomb_path, &here).unwrap_err().to_string();
        assert!(e.contains("more than this program accepts"), "{e}");
        let jpeg = Path::new(env!("CARGO_MANIFEST_DIR")).join("images/lake-mountains.jpg");
        let image = Image::load(&jpeg, &here).unwrap();
        assert!(image.passed_through() && image.will_be_cmyk() && image.prepared.is_none());
    }

    #[test]
    fn the_png_budget_follows_the_placed_size() {
        // 100 × 50 mm at 300 ppi is 1182 × 591 px; 4 times that is under the floor.
        let mm = crate::spec::units::PT_PER_MM;
        assert_eq!(png_pixel_budget(100.0 * mm, 50.0 * mm, 300.0), PNG_BUDGET_FLOOR);
        // A whole broadsheet page at 300 ppi: 4 × 29.6 Mpx, still under the bomb's 200 Mpx.
        let page = png_pixel_budget(390.0 * mm, 545.0 * mm, 300.0);
        assert!(page > 118_000_000 && page < 119_000_000, "{page}");
    }
}
