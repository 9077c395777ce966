//! Compression of the PDF's streams: zlib (/FlateDecode) at a fast level, since a page's
//! content, fonts and profiles compress almost as well at level 1 as at level 9 for a
//! fraction of the time (see the README's Performance section); and ICC profiles, the
//! same bytes in every edition, compressed once per process — the bundled FOGRA39 once
//! at build time (build.rs).

use std::sync::{Arc, Mutex};

/// miniz_oxide's fastest level.
const LEVEL: u8 = 1;

/// `data` as a zlib stream.
pub(super) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, LEVEL)
}

/// Profiles compressed so far, by their content hash: a batch of editions, or `watch`,
/// compresses the output intent's profile (650 KB for FOGRA39) and sRGB once. A handful of
/// profiles at most, so a list.
static PROFILES: Mutex<Vec<Compressed>> = Mutex::new(Vec::new());

/// A profile's content hash and length, and its zlib stream.
type Compressed = ((u64, usize), Arc<Vec<u8>>);

/// How many compressed profiles are kept: a layout names one output profile, photos one
/// more; a long `watch` that switches between many keeps only the latest.
const KEEP: usize = 8;

/// The bundled output profile as [`deflate`] compresses it, made by build.rs.
const FOGRA39_DEFLATED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/CoatedFOGRA39.icc.zlib"));

/// A compressed profile: the bundled one as the binary holds it, or one compressed here.
#[derive(Clone)]
pub(super) enum Profile {
    Bundled(&'static [u8]),
    Compressed(Arc<Vec<u8>>),
}

impl std::ops::Deref for Profile {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Profile::Bundled(bytes) => bytes,
            Profile::Compressed(bytes) => bytes,
        }
    }
}

/// An ICC profile as a zlib stream, compressed on first use and shared after.
pub(super) fn profile(bytes: &[u8]) -> Profile {
    if bytes == super::FOGRA39 {
        return Profile::Bundled(FOGRA39_DEFLATED);
    }
    Profile::Compressed(compressed(bytes))
}

fn compressed(bytes: &[u8]) -> Arc<Vec<u8>> {
    let key = (super::meta::content_hash(bytes, 0), bytes.len());
    let mut cache = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, compressed)) = cache.iter().find(|(k, _)| *k == key) {
        return compressed.clone();
    }
    let compressed = Arc::new(deflate(bytes));
    if cache.len() == KEEP {
        cache.remove(0);
    }
    cache.push((key, compressed.clone()));
    compressed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(bytes: &[u8]) -> Vec<u8> {
        miniz_oxide::inflate::decompress_to_vec_zlib(bytes).unwrap()
    }

    #[test]
    fn streams_round_trip() {
        let text = b"q 0 0 0 1 k 10 10 100 100 re f Q ".repeat(100);
        let z = deflate(&text);
        assert!(z.len() < text.len() / 10);
        assert_eq!(inflate(&z), text);
    }

    #[test]
    fn the_bundled_profile_is_compressed_as_any_other() {
        assert_eq!(*profile(super::super::FOGRA39), *deflate(super::super::FOGRA39));
        assert_eq!(inflate(&profile(super::super::FOGRA39)), super::super::FOGRA39);
    }

    #[test]
    fn a_profile_is_compressed_once() {
        let a = compressed(super::super::SRGB);
        let b = compressed(super::super::SRGB);
        assert!(Arc::ptr_eq(&a, &b), "the second edition reuses the first one's stream");
        assert_eq!(inflate(&a), super::super::SRGB);
        let other = compressed(&super::super::SRGB[..100]);
        assert!(!Arc::ptr_eq(&a, &other));
        assert_eq!(*profile(super::super::SRGB), **a);
    }
}
