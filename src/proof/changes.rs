//! Waiting for a build's inputs to change (notify): the folders of the files a build read
//! are watched, and a burst of events (an editor's save) comes back as one change naming
//! the inputs it touched. `watch` and `serve` rebuild on it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::diagnostic::Diagnostic;
use crate::output::Inputs;

/// How long a burst of events must have been quiet before a build starts. An editor's
/// save (truncate and write, or write another file and rename it over) comes as events
/// within a millisecond or two; this is waited on every save, so it is kept short. A save
/// slower than this makes a build of what was there, and its last events another.
pub const SETTLE: Duration = Duration::from_millis(30);

/// The watched folders and the events from them.
pub struct Changes {
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    /// Each folder once: (resolved, as the build names it).
    watched: Vec<(PathBuf, PathBuf)>,
}

fn folder(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

impl Changes {
    pub fn new() -> Result<Changes, Diagnostic> {
        let (tx, events) = std::sync::mpsc::channel();
        let watcher = notify::recommended_watcher(move |event| {
            let _ = tx.send(event);
        })
        .map_err(|e| Diagnostic::error(format!("cannot watch files: {e}")))?;
        Ok(Changes { watcher, events, watched: Vec::new() })
    }

    /// Watch the folders of `inputs` too. Folders, not files: editors save by writing a
    /// new file and renaming it. True when a folder was added.
    pub fn follow(&mut self, inputs: &Inputs) -> Result<bool, Diagnostic> {
        let before = self.watched.len();
        for dir in inputs.paths().map(folder) {
            let Ok(real) = dir.canonicalize() else { continue };
            if real.is_dir() && !self.watched.iter().any(|(r, _)| *r == real) {
                self.watcher
                    .watch(&dir, RecursiveMode::NonRecursive)
                    .map_err(|e| Diagnostic::error(format!("cannot watch {}: {e}", dir.display())))?;
                self.watched.push((real, dir));
            }
        }
        Ok(self.watched.len() > before)
    }

    /// The folders watched, as the build names them.
    pub fn folders(&self) -> impl Iterator<Item = &Path> {
        self.watched.iter().map(|(_, d)| d.as_path())
    }

    /// Wait for a change to one of `inputs` and let a burst of them settle: until
    /// [`SETTLE`] passes without one (other events, such as reads, do not count), 1 s at
    /// most. The inputs that changed, as the build names them; `None` when the watcher is
    /// gone.
    pub fn next(&self, inputs: &Inputs) -> Option<BTreeSet<String>> {
        let mut changed = BTreeSet::new();
        let note = |event: notify::Result<notify::Event>, changed: &mut BTreeSet<String>| {
            let Ok(e) = event else { return false };
            if !(e.kind.is_create() || e.kind.is_modify() || e.kind.is_remove()) {
                return false;
            }
            let hits: Vec<String> =
                e.paths.iter().filter_map(|p| inputs.input(p)).map(|p| p.display().to_string()).collect();
            let hit = !hits.is_empty();
            changed.extend(hits);
            hit
        };
        while changed.is_empty() {
            note(self.events.recv().ok()?, &mut changed);
        }
        let (start, mut quiet_since) = (Instant::now(), Instant::now());
        while quiet_since.elapsed() < SETTLE && start.elapsed() < Duration::from_secs(1) {
            if let Ok(event) = self.events.recv_timeout(SETTLE / 3) {
                if note(event, &mut changed) {
                    quiet_since = Instant::now();
                }
            }
        }
        Some(changed)
    }
}

/// What a change is called in a build's line: `editions/2024.yaml, layout.yaml changed`.
pub fn describe(changed: &BTreeSet<String>) -> String {
    format!("{} changed", changed.iter().cloned().collect::<Vec<_>>().join(", "))
}
