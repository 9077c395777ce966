//! Photos decoded for the screen proof, kept from one drawing to the next (`watch` and
//! `serve` redraw the proof on every save): the pixels of a photo at the width a proof
//! decodes it for, already soft-proofed to sRGB. Decoding the JPEGs and converting their
//! CMYK was 45 % of drawing the demo page, and a text edit changes no photo.
//!
//! An entry is found by what it is made from: the photo's data (the converted JPEG, or a
//! PNG's samples and alpha; the same `Arc` as the last time, else the same bytes), the
//! photo's size, colour space and inversion, and the width decoded for. The profile the
//! photos are seen through is not in the key: there is one cache per profile (see
//! `render::png::Kept`). Entries no drawing has asked for
//! since the last [`DecodeCache::sweep`] are dropped then, so an edited photo's old pixels
//! do not stay in memory.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::{ColorSpace, Encoding, Image};
use crate::bytes::Bytes;

/// A photo's pixels as a proof draws them.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    pub width: u32,
    pub height: u32,
    /// Premultiplied RGBA, rows top to bottom.
    pub rgba: Vec<u8>,
}

/// What a drawing asked of the cache since the last sweep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecodeStats {
    /// Photos decoded (not found).
    pub decoded: usize,
    /// Photos found decoded.
    pub kept: usize,
}

/// What an entry was decoded from.
struct Key {
    data: Bytes,
    alpha: Option<Arc<Vec<u8>>>,
    jpeg: bool,
    width: u32,
    height: u32,
    color: ColorSpace,
    adobe_inverted: bool,
    /// The width it is decoded for (JPEGs are decoded at 1/2 to 1/8 of their size).
    shown_width: u32,
}

impl Key {
    fn of(image: &Image, shown_width: u32) -> Key {
        let (jpeg, alpha) = match &image.encoding {
            Encoding::Jpeg => (true, None),
            Encoding::Raw { alpha } => (false, alpha.clone()),
        };
        Key {
            data: image.data.clone(),
            alpha,
            jpeg,
            width: image.width,
            height: image.height,
            color: image.color,
            adobe_inverted: image.adobe_inverted,
            shown_width,
        }
    }

    fn matches(&self, other: &Key) -> bool {
        let alpha = match (&self.alpha, &other.alpha) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
            _ => false,
        };
        (self.jpeg, self.width, self.height, self.color, self.adobe_inverted, self.shown_width)
            == (other.jpeg, other.width, other.height, other.color, other.adobe_inverted, other.shown_width)
            && alpha
            && self.data == other.data
    }
}

struct Entry {
    key: Key,
    /// Asked for since the last sweep.
    used: AtomicBool,
    /// Decoded once, however many drawings ask at the same time; `None` if it cannot be.
    pixels: OnceLock<Option<Arc<Decoded>>>,
}

/// Decoded photos; shared by the threads drawing pages.
#[derive(Default)]
pub struct DecodeCache {
    entries: Mutex<Vec<Arc<Entry>>>,
    decoded: AtomicUsize,
    kept: AtomicUsize,
}

impl DecodeCache {
    /// `image`'s pixels for a drawing `shown_width` pixels wide: kept ones, or made by
    /// `decode` (and kept).
    pub fn get_or_decode(
        &self,
        image: &Image,
        shown_width: u32,
        decode: impl FnOnce() -> Option<Decoded>,
    ) -> Option<Arc<Decoded>> {
        let key = Key::of(image, shown_width);
        let entry = {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            match entries.iter().find(|e| e.key.matches(&key)) {
                Some(found) => found.clone(),
                None => {
                    let entry = Arc::new(Entry { key, used: AtomicBool::new(false), pixels: OnceLock::new() });
                    entries.push(entry.clone());
                    entry
                }
            }
        };
        entry.used.store(true, Ordering::Relaxed);
        let mut fresh = false;
        let pixels = entry
            .pixels
            .get_or_init(|| {
                fresh = true;
                decode().map(Arc::new)
            })
            .clone();
        let counter = if fresh { &self.decoded } else { &self.kept };
        counter.fetch_add(1, Ordering::Relaxed);
        pixels
    }

    /// Drop the entries not asked for since the last sweep, and say what was asked since.
    pub fn sweep(&self) -> DecodeStats {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|e| e.used.swap(false, Ordering::Relaxed));
        DecodeStats { decoded: self.decoded.swap(0, Ordering::Relaxed), kept: self.kept.swap(0, Ordering::Relaxed) }
    }

    /// How many photos are kept.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;
    use std::path::Path;

    fn photo(name: &str) -> Image {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("images").join(name);
        Image::load(&path, &Location::new(&path, 1, 1, None)).unwrap()
    }

    fn pixels(n: u8) -> Option<Decoded> {
        Some(Decoded { width: 1, height: 1, rgba: vec![n, n, n, 255] })
    }

    #[test]
    fn a_photo_is_decoded_once_per_width_and_again_when_its_bytes_change() {
        let cache = DecodeCache::default();
        let lake = photo("lake-mountains.jpg");
        assert_eq!(cache.get_or_decode(&lake, 100, || pixels(1)).unwrap().rgba[0], 1);
        // The same photo again, and a copy of its bytes in another allocation: kept.
        let decode_again = || -> Option<Decoded> { panic!("decoded again") };
        assert_eq!(cache.get_or_decode(&lake, 100, decode_again).unwrap().rgba[0], 1);
        let mut copy = lake.clone();
        copy.data = Bytes::from(lake.data.to_vec());
        assert_eq!(cache.get_or_decode(&copy, 100, decode_again).unwrap().rgba[0], 1);
        // Another width, and the same file with one byte changed: decoded.
        assert_eq!(cache.get_or_decode(&lake, 50, || pixels(2)).unwrap().rgba[0], 2);
        let mut edited = lake.clone();
        let mut bytes = lake.data.to_vec();
        let last = bytes.len() - 3;
        bytes[last] ^= 1;
        edited.data = Bytes::from(bytes);
        assert_eq!(cache.get_or_decode(&edited, 100, || pixels(3)).unwrap().rgba[0], 3);
        assert_eq!(cache.sweep(), DecodeStats { decoded: 3, kept: 2 });
        assert_eq!(cache.len(), 3);
    }

    #[test]
    fn a_sweep_drops_what_no_drawing_asked_for() {
        let cache = DecodeCache::default();
        assert!(cache.is_empty());
        let (lake, park) = (photo("lake-mountains.jpg"), photo("park-winter-nuthatch.jpg"));
        cache.get_or_decode(&lake, 10, || pixels(1));
        cache.get_or_decode(&park, 10, || pixels(2));
        cache.sweep();
        cache.get_or_decode(&park, 10, || pixels(9));
        assert_eq!(cache.sweep(), DecodeStats { decoded: 0, kept: 1 });
        assert_eq!(cache.len(), 1, "the lake was not drawn since");
        assert_eq!(cache.get_or_decode(&lake, 10, || pixels(5)).unwrap().rgba[0], 5);
        // A photo that cannot be decoded is not tried again either.
        assert!(cache.get_or_decode(&lake, 11, || None).is_none());
        assert!(cache.get_or_decode(&lake, 11, || pixels(1)).is_none());
    }
}
