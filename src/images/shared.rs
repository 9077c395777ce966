//! Photo files read once per process: a batch of editions naming the same photos, or
//! `watch` rebuilding, reads each file and walks its JPEG structure once, and hashes its
//! bytes (for the photo cache's key) once. A file is known by its stamp — device, inode,
//! size, modification and status-change times — and read again when the stamp changes.
//!
//! A stamp vouches for a file's bytes only once it has settled: file systems keep their
//! times on a coarse clock (a few milliseconds on Linux), so a file written twice within one
//! tick keeps its stamp. As git does for its index, a stamp younger than [`SETTLE`] is not
//! trusted: such a file is read (and hashed) anew every time until it has settled. The
//! status-change time cannot be set back by any program (`touch -r`, `cp -p` and `rsync -t`
//! set the modification time only), so a changed file gets a new stamp.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::{Image, Source};
use crate::error::{Location, Result};

/// How old a file's last change must be before its stamp is trusted.
pub const SETTLE: Duration = Duration::from_secs(2);

/// What identifies a file's state: a changed file has another stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    device: u64,
    inode: u64,
    len: u64,
    modified_ns: i128,
    changed_ns: i128,
}

impl Stamp {
    /// The stamp of `path` now, if the file system gives one (and it is settled at `now`
    /// less `settle`).
    #[cfg(unix)]
    fn of(path: &Path, now: SystemTime, settle: Duration) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        let ns = |s: i64, n: i64| s as i128 * 1_000_000_000 + n as i128;
        let stamp = Stamp {
            device: meta.dev(),
            inode: meta.ino(),
            len: meta.len(),
            modified_ns: ns(meta.mtime(), meta.mtime_nsec()),
            changed_ns: ns(meta.ctime(), meta.ctime_nsec()),
        };
        let since_epoch = now.duration_since(SystemTime::UNIX_EPOCH).ok()?.saturating_sub(settle).as_nanos() as i128;
        (stamp.modified_ns.max(stamp.changed_ns) < since_epoch).then_some(stamp)
    }

    /// Without a status-change time a stamp cannot vouch for a file: it is read every time.
    #[cfg(not(unix))]
    fn of(_: &Path, _: SystemTime, _: Duration) -> Option<Stamp> {
        None
    }

    /// The stamp as bytes, for a key on disk.
    pub fn to_bytes(self) -> [u8; 64] {
        let mut out = [0; 64];
        out[..8].copy_from_slice(&self.device.to_le_bytes());
        out[8..16].copy_from_slice(&self.inode.to_le_bytes());
        out[16..32].copy_from_slice(&(self.len as i128).to_le_bytes());
        out[32..48].copy_from_slice(&self.modified_ns.to_le_bytes());
        out[48..64].copy_from_slice(&self.changed_ns.to_le_bytes());
        out
    }
}

/// The photo files of a process, by path, with the stamp they were read at.
#[derive(Debug)]
pub struct Sources {
    files: Mutex<HashMap<PathBuf, (Stamp, Arc<Source>)>>,
    settle: Duration,
}

impl Default for Sources {
    fn default() -> Sources {
        Sources::settling_for(SETTLE)
    }
}

impl Sources {
    /// Sources whose stamps are trusted once `settle` old (tests: zero).
    pub fn settling_for(settle: Duration) -> Sources {
        Sources { files: Mutex::default(), settle }
    }

    /// The photo at `path` (see [`Image::load`]): as read before when its stamp is the
    /// same, else read now. A file whose stamp changed while it was read, or that has not
    /// settled, is not kept, and its source has no stamp (the photo cache hashes its bytes).
    pub fn load(&self, path: &Path, asked_at: &Location) -> Result<Image> {
        let before = Stamp::of(path, SystemTime::now(), self.settle);
        if let Some(stamp) = before {
            let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, source)) = files.get(path).filter(|(known, _)| *known == stamp) {
                return Ok(Image::from_source(path, source.clone()));
            }
        }
        let mut image = Image::load(path, asked_at)?;
        let after = Stamp::of(path, SystemTime::now(), self.settle);
        if let Some(stamp) = before.filter(|_| before == after) {
            if let Some(source) = Arc::get_mut(&mut image.source) {
                source.stamp = Some(stamp);
            }
            self.files.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_owned(), (stamp, image.source.clone()));
        }
        Ok(image)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(name: &str) -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("images").join(name)).unwrap()
    }

    /// Past the coarse clock's tick, so that the next write gets a later time.
    fn tick() {
        std::thread::sleep(Duration::from_millis(30));
    }

    #[test]
    fn a_file_is_read_once_while_its_stamp_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.jpg");
        std::fs::write(&path, photo("school-paintbrushes.jpg")).unwrap();
        tick();
        let here = Location::new(&path, 1, 1, None);
        let sources = Sources::settling_for(Duration::ZERO);
        let first = sources.load(&path, &here).unwrap();
        let second = sources.load(&path, &here).unwrap();
        assert!(Arc::ptr_eq(&first.source, &second.source), "shared, not read again");
        assert!(first.source.stamp.is_some() && first.passed_through() && second.passed_through());

        // Another photo of exactly the same size written over it, its modification time
        // set back to the first one's: the status-change time still tells.
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        // (A JPEG ends at its EOI marker: the padding after it is not read.)
        let mut other = photo("riverside-bridge.jpg");
        other.resize(first.source.bytes.len(), 0);
        std::fs::write(&path, &other).unwrap();
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();
        tick();
        let third = sources.load(&path, &here).unwrap();
        assert!(!Arc::ptr_eq(&first.source, &third.source));
        assert_eq!(*third.source.bytes, other);
        let info = super::super::jpeg::read(&other).unwrap();
        assert_eq!((third.width, third.height), (info.width, info.height));
        assert_ne!((third.width, third.height), (first.width, first.height));
    }

    #[test]
    fn a_file_changed_just_now_is_read_every_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.jpg");
        std::fs::write(&path, photo("riverside-bridge.jpg")).unwrap();
        let here = Location::new(&path, 1, 1, None);
        let sources = Sources::default();
        let first = sources.load(&path, &here).unwrap();
        let second = sources.load(&path, &here).unwrap();
        assert!(!Arc::ptr_eq(&first.source, &second.source), "not settled: not trusted");
        assert!(first.source.stamp.is_none());
        assert_eq!(first.source.bytes, second.source.bytes);
    }
}
