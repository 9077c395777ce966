//! The photo cache: converted photos, keyed by a hash of everything that makes them (the
//! SHA-256 of the file's bytes, the output profile's bytes, the rendering intent, the ink
//! limit, the target pixel size, the encoder's settings and this program's version), so
//! that a batch of editions and every rebuild of `watch` convert each photo once. On disk
//! it is a folder of `<key>.jpg` files, each with a `<key>.ink` beside it (the measured
//! maximum ink), that may be deleted at any time; in a process, concurrent asks for the
//! same key wait for one conversion.
//!
//! Beside them is an index of the photo files hashed before: `<stamp key>.src` holds the
//! SHA-256 of the bytes of the file whose settled stamp (device, inode, size, times; see
//! [`super::shared`]) hashes to its name, so that a new process does not hash the
//! megabytes of every photo again. A changed file has another stamp, hence is hashed.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use sha2::{Digest, Sha256};

use crate::bytes::Bytes;

/// A converted photo: a CMYK JPEG and its measured maximum ink.
#[derive(Debug, Clone)]
pub struct Converted {
    pub jpeg: Bytes,
    pub width: u32,
    pub height: u32,
    pub max_ink: f32,
    pub from_cache: bool,
}

/// A cache key: SHA-256 of the conversion's inputs.
pub type Key = [u8; 32];

/// Hash the parts of a key, each length-prefixed so that no two lists of parts collide.
pub fn key(parts: &[&[u8]]) -> Key {
    let mut hasher = Sha256::new();
    hasher.update(b"paiban photo cache 2");
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.finalize().into()
}

type Slot = Arc<OnceLock<Result<Converted, String>>>;

/// Converted photos on disk (if a folder is given and usable) and in memory.
#[derive(Debug, Default)]
pub struct Cache {
    dir: Option<PathBuf>,
    memory: Mutex<HashMap<Key, Slot>>,
}

impl Cache {
    /// A cache in `dir` (created when first written), or in memory only.
    pub fn new(dir: Option<PathBuf>) -> Cache {
        Cache { dir, memory: Mutex::default() }
    }

    /// The cache of this user: `$PAIBAN_CACHE_DIR`, else `$XDG_CACHE_HOME/paiban/photos`,
    /// else `~/.cache/paiban/photos`.
    pub fn for_user() -> Cache {
        let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let dir = env("PAIBAN_CACHE_DIR")
            .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("paiban/photos")))
            .or_else(|| env("HOME").map(|d| d.join(".cache/paiban/photos")));
        Cache::new(dir)
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The photo under `key`: from memory, from disk, or made by `convert` (and then kept).
    pub fn get_or_convert(
        &self,
        key: Key,
        convert: impl FnOnce() -> Result<Converted, String>,
    ) -> Result<Converted, String> {
        let slot = self.memory.lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_default().clone();
        slot.get_or_init(|| {
            if let Some(found) = self.read(&key) {
                return Ok(found);
            }
            let converted = convert()?;
            // A cache that cannot be written (a read-only home, a full disk) costs time, not the build.
            let _ = self.write(&key, &converted);
            Ok(converted)
        })
        .clone()
    }

    /// The SHA-256 of a photo file's bytes, once per source: from the index when the
    /// file's stamp is there, else hashed (and written to the index).
    pub fn content_hash(&self, source: &super::Source) -> [u8; 32] {
        if let Some(known) = source.known_hash() {
            return known;
        }
        let entry = source.stamp.and_then(|stamp| self.index_path(stamp));
        let indexed = entry.as_deref().and_then(read_index);
        let hash = source.content_hash(|| indexed);
        if let (None, Some(entry)) = (indexed, entry) {
            let _ = write_whole(&entry, hex(&hash).as_bytes());
        }
        hash
    }

    fn index_path(&self, stamp: super::shared::Stamp) -> Option<PathBuf> {
        let mut hasher = Sha256::new();
        hasher.update(b"paiban photo index 1");
        hasher.update(stamp.to_bytes());
        let name: [u8; 32] = hasher.finalize().into();
        Some(self.dir.as_ref()?.join(format!("{}.src", hex(&name))))
    }

    fn paths(&self, key: &Key) -> Option<(PathBuf, PathBuf)> {
        let name = hex(key);
        let dir = self.dir.as_ref()?;
        Some((dir.join(format!("{name}.jpg")), dir.join(format!("{name}.ink"))))
    }

    fn read(&self, key: &Key) -> Option<Converted> {
        let (jpg, ink) = self.paths(key)?;
        let max_ink: f32 = std::fs::read_to_string(ink).ok()?.trim().parse().ok()?;
        // Mapped: entries are replaced by renaming, never edited in place.
        let jpeg = Bytes::map(&jpg, u64::MAX, "a cached photo").ok()?;
        // A damaged entry is converted again.
        let info = super::jpeg::read(&jpeg).ok()?;
        (info.components == 4 && info.adobe).then(|| Converted {
            jpeg,
            width: info.width,
            height: info.height,
            max_ink,
            from_cache: true,
        })
    }

    fn write(&self, key: &Key, converted: &Converted) -> std::io::Result<()> {
        let Some((jpg, ink)) = self.paths(key) else { return Ok(()) };
        // The JPEG goes last, as it is looked for.
        write_whole(&ink, converted.max_ink.to_string().as_bytes())?;
        write_whole(&jpg, &converted.jpeg)
    }
}

fn hex(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An index entry: 64 hexadecimal digits, else nothing (a damaged entry is hashed again).
fn read_index(path: &Path) -> Option<[u8; 32]> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.trim();
    let mut out = [0; 32];
    (text.len() == 64).then_some(())?;
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// A file written whole under a temporary name and renamed, so that a concurrent build
/// never reads half of one.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(".paiban-cache-").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
