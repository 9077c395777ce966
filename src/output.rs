//! Output policy: what a build writes and how. A PDF goes with its preflight report beside
//! it (`NAME.preflight.json`); a PDF whose preflight found an error is not written (an older
//! one stays as it was); no output may replace a file the build reads, a device, a FIFO, a
//! folder or a symbolic link; every file goes to a temporary file of our own naming beside
//! its target and is renamed over it only when complete, keeping the old file's mode; and
//! temporary files that a killed build left behind are removed by the next write into their
//! folder.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::build::Built;
use crate::diagnostic::Diagnostic;
use crate::model::Job;

/// What marks a temporary file as ours: `.2024.pdf.paiban-tmp-<pid>-<random>`.
const TEMP_MARK: &str = ".paiban-tmp-";

/// A temporary file of ours older than this is abandoned whoever made it: a write takes
/// milliseconds, so no live build holds one for a minute.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// The preflight report's path beside a PDF: `page.pdf` → `page.preflight.json`.
pub fn preflight_path(pdf: &Path) -> PathBuf {
    pdf.with_extension("preflight.json")
}

/// Where an edition's PDF goes in `out_dir`: `editions/2024.yaml` → `out/2024.pdf`.
pub fn pdf_in(out_dir: &Path, edition: &Path) -> PathBuf {
    let stem = edition.file_stem().unwrap_or_default().to_string_lossy();
    out_dir.join(format!("{stem}.pdf"))
}

/// Where each edition's PDF goes: to `pdf` when one edition is built, else into `out_dir`
/// (see [`pdf_in`]). Refused when two editions would write the same file (`2024.yaml` of
/// two folders), or when a PDF or its report would replace one of `inputs`.
pub fn targets(
    editions: &[PathBuf],
    pdf: Option<&Path>,
    out_dir: &Path,
    inputs: &Inputs,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut seen = std::collections::BTreeMap::new();
    let mut targets = Vec::with_capacity(editions.len());
    for edition in editions {
        let target = pdf.map_or_else(|| pdf_in(out_dir, edition), Path::to_owned);
        if let Some(first) = seen.insert(target.clone(), edition) {
            return Err(Diagnostic::error(format!(
                "{} and {} would both be written to {}",
                first.display(),
                edition.display(),
                target.display()
            ))
            .with_hint("build them with different --out-dir"));
        }
        check_target(&target, inputs)?;
        check_target(&preflight_path(&target), inputs)?;
        targets.push(target);
    }
    Ok(targets)
}

/// One file a build reads, as it was given and as the file system knows it.
#[derive(Debug, Clone)]
struct Input {
    path: PathBuf,
    /// With every symbolic link and `..` resolved.
    canonical: Option<PathBuf>,
    /// Device and inode: the same file under another name (a hard link) has the same.
    identity: Option<(u64, u64)>,
}

/// The files a build reads: the layout, the editions, fonts, photos and the output profile.
/// No output may be one of them, under any name.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    files: Vec<Input>,
}

impl Inputs {
    pub fn new() -> Inputs {
        Inputs::default()
    }

    /// These files.
    pub fn of<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Inputs {
        let mut inputs = Inputs::new();
        for p in paths {
            inputs.add(p.as_ref());
        }
        inputs
    }

    /// Every file a job reads: its two YAML files, its fonts, its photos, its output profile.
    pub fn of_job(job: &Job) -> Inputs {
        let mut inputs = Inputs::of([&job.layout_source.path, &job.edition_source.path]);
        for font in &job.fonts {
            inputs.add(&font.path);
        }
        for photo in &job.photos {
            inputs.add(&photo.path);
        }
        if let Some((profile, _, _)) = &job.print.output_profile {
            inputs.add(profile);
        }
        inputs
    }

    pub fn add(&mut self, path: &Path) {
        if self.files.iter().any(|f| f.path == path) {
            return;
        }
        self.files.push(Input { path: path.to_owned(), canonical: resolve(path), identity: identity(path) });
    }

    /// These and `other`'s.
    pub fn extend(&mut self, other: &Inputs) {
        for f in &other.files {
            if !self.files.iter().any(|g| g.path == f.path) {
                self.files.push(f.clone());
            }
        }
    }

    /// The paths as given.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }

    /// The input `path` is (as given), if it is one, by its resolved path or its identity.
    pub fn input(&self, path: &Path) -> Option<&Path> {
        self.find(path).map(|f| f.path.as_path())
    }

    /// The input `target` is, by its resolved path or by its device and inode.
    fn find(&self, target: &Path) -> Option<&Input> {
        let (canonical, id) = (resolve(target), identity(target));
        self.files
            .iter()
            .find(|f| (canonical.is_some() && f.canonical == canonical) || (id.is_some() && f.identity == id))
    }
}

/// `path` made absolute with every existing symbolic link and every `..` resolved, also
/// when its last folders do not exist yet (`out/../layout.yaml` is `layout.yaml` even
/// before `out/` is made).
fn resolve(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in std::path::absolute(path).ok()?.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => {
                out.push(other);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    Some(out)
}

#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_: &Path) -> Option<(u64, u64)> {
    None
}

/// Refuse an output path that is one of the build's inputs, or that exists and is not a
/// regular file (a symbolic link, a device such as /dev/null, a FIFO, a folder).
pub fn check_target(target: &Path, inputs: &Inputs) -> Result<(), Diagnostic> {
    check_kind(target)?;
    match inputs.find(target) {
        Some(input) => Err(Diagnostic::error(format!(
            "{}: is `{}`, a file the build reads; it would be replaced by the output",
            target.display(),
            input.path.display()
        ))
        .with_hint("write the output to another path")),
        None => Ok(()),
    }
}

/// Refuse a target that exists and is not a regular file.
fn check_kind(target: &Path) -> Result<(), Diagnostic> {
    let Ok(meta) = std::fs::symlink_metadata(target) else {
        return Ok(());
    };
    let kind = meta.file_type();
    let what = if kind.is_symlink() {
        "a symbolic link (paiban neither writes through a link nor replaces it)"
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_file() {
        return Ok(());
    } else {
        "not a regular file (a device, a FIFO or a socket)"
    };
    Err(Diagnostic::error(format!("{}: is {what}; it is not replaced by the output", target.display()))
        .with_hint("name a new or a regular file"))
}

/// Write `bytes` to a temporary file beside `path`, then rename it over `path`: a failed
/// write never leaves a half-written or clobbered file. An existing file keeps its mode
/// (0600 stays 0600); a new one is 0644, for colleagues and the plant. Stale temporary
/// files of ours in the folder are removed first (see [`remove_stale_temporaries`]).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let io = |p: &Path, e: std::io::Error| Diagnostic::error(format!("{}: {e}", p.display()));
    check_kind(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    remove_stale_temporaries(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(&temporary_prefix(path))
        .rand_bytes(6)
        .tempfile_in(dir)
        .map_err(|e| io(dir, e))?;
    tmp.write_all(bytes).and_then(|_| tmp.as_file().sync_all()).map_err(|e| io(tmp.path(), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode)).map_err(|e| io(tmp.path(), e))?;
    }
    tmp.persist(path).map_err(|e| io(path, e.error))?;
    Ok(())
}

/// [`check_target`], then [`write_atomically`].
pub fn write_output(path: &Path, bytes: &[u8], inputs: &Inputs) -> Result<(), Diagnostic> {
    check_target(path, inputs)?;
    write_atomically(path, bytes)
}

/// Remove the temporary files of ours in `dir` that no build is writing any more: those
/// whose process (the pid in the name) is gone, and any older than a minute (a pid may
/// have been reused; and where /proc is missing the pid cannot be asked). Nothing else is
/// touched: only regular files named `.NAME.paiban-tmp-PID-XXXXXX`. Returns how many went.
pub fn remove_stale_temporaries(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let can_ask = Path::new("/proc/self").exists();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = temporary_pid(&name) else { continue };
        let Ok(meta) = entry.path().symlink_metadata() else { continue };
        if !meta.file_type().is_file() {
            continue;
        }
        let gone = can_ask && !Path::new(&format!("/proc/{pid}")).exists();
        let old = meta.modified().ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age > STALE_AFTER);
        if (gone || old) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// How the temporary file for `path` begins: `.2024.pdf.paiban-tmp-4242-`, then six random
/// characters. Hidden, named after its target, marked as ours, with the pid that owns it.
fn temporary_prefix(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    format!(".{name}{TEMP_MARK}{}-", std::process::id())
}

/// The pid in a temporary file name of ours, `None` for any other name.
fn temporary_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let (_, tail) = rest.rsplit_once(TEMP_MARK)?;
    let (pid, random) = tail.split_once('-')?;
    (random.len() == 6).then_some(())?;
    pid.parse().ok()
}

/// What [`write_build`] wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub pdf: PathBuf,
    pub report: PathBuf,
    pub pdf_bytes: usize,
}

/// Write a built edition: its preflight report beside `target`, then the PDF, only when the
/// preflight found no error. Both paths are checked against `inputs` before anything is
/// written.
pub fn write_build(built: &Built, target: &Path, inputs: &Inputs) -> Result<Written, Diagnostic> {
    let report = preflight_path(target);
    check_target(target, inputs)?;
    check_target(&report, inputs)?;
    let json = serde_json::to_vec_pretty(&built.preflight)
        .map_err(|e| Diagnostic::error(format!("{}: {e}", report.display())))?;
    write_atomically(&report, &json)?;
    if built.preflight.has_errors() {
        return Err(Diagnostic::error(format!(
            "preflight failed ({} error(s), see {}); {} was not written",
            built.preflight.errors().count(),
            report.display(),
            target.display()
        )));
    }
    write_atomically(target, &built.pdf)?;
    Ok(Written { pdf: target.to_owned(), report, pdf_bytes: built.pdf.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_file_is_named_after_its_target_and_recognised_as_ours() {
        let pid = std::process::id();
        let report = temporary_prefix(Path::new("out/2024.preflight.json"));
        assert_eq!(report, format!(".2024.preflight.json.paiban-tmp-{pid}-"));
        assert!(!report.contains(".pdf"), "the report's temporary file is not a .pdf.tmp");
        assert_eq!(temporary_pid(&format!("{}Ab12Cd", temporary_prefix(Path::new("a/2024.pdf")))), Some(pid));
    }

    #[test]
    fn only_our_temporary_names_are_recognised() {
        assert_eq!(temporary_pid(".2024.pdf.paiban-tmp-4242-a1B2c3"), Some(4242));
        assert_eq!(temporary_pid(".2024.preflight.json.paiban-tmp-7-zzzzzz"), Some(7));
        assert_eq!(temporary_pid("2024.pdf.paiban-tmp-4242-a1B2c3"), None, "not hidden");
        assert_eq!(temporary_pid(".2024.pdf.paiban-tmp-x-a1B2c3"), None);
        assert_eq!(temporary_pid(".2024.pdf.tmp"), None);
        assert_eq!(temporary_pid(".paiban-abc.pdf.tmp"), None);
    }

    #[test]
    fn a_path_through_a_missing_folder_resolves_to_where_it_lands() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("layout.yaml"), "x").unwrap();
        let inputs = Inputs::of([dir.path().join("layout.yaml")]);
        let sneaky = dir.path().join("no-such-folder/../layout.yaml");
        assert!(check_target(&sneaky, &inputs).is_err());
        assert!(check_target(&dir.path().join("no-such-folder/layout.yaml"), &inputs).is_ok());
    }

    #[test]
    fn stale_temporaries_go_and_fresh_ones_of_a_live_process_stay() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(format!(".a.pdf{TEMP_MARK}{}-abcdef", std::process::id()));
        // Pids are below 2^22 on Linux: this one belongs to no process.
        let dead = dir.path().join(format!(".b.pdf{TEMP_MARK}999999999-abcdef"));
        let other = dir.path().join(".b.pdf.tmp");
        for p in [&live, &dead, &other] {
            std::fs::write(p, "partial").unwrap();
        }
        assert_eq!(remove_stale_temporaries(dir.path()), 1);
        assert!(live.exists() && other.exists() && !dead.exists());
        // An hour old: gone even though its process still runs.
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options().write(true).open(&live).unwrap().set_modified(hour_ago).unwrap();
        assert_eq!(remove_stale_temporaries(dir.path()), 1);
        assert!(!live.exists() && other.exists());
    }
}
