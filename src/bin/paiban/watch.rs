//! `paiban watch`: build, then rebuild whenever a file the build reads changes, saying when,
//! what changed and how long the rebuild took; optionally keep PNG proofs of every page.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use paiban::build::{Built, Options, Session};
use paiban::diagnostic::Diagnostic;
use paiban::output::{self, Inputs};

use crate::adapt;
use crate::term::Term;

/// What to watch and what to keep up to date.
pub struct Watch {
    pub layout: PathBuf,
    pub edition: PathBuf,
    pub target: PathBuf,
    /// The folder of the PNG proofs (`page-1.png`, …) and their resolution.
    pub proofs: Option<(PathBuf, f32)>,
    pub options: Options,
}

/// Wall-clock time stamps in local time. The offset is read once, before any thread
/// starts (the `time` crate reads it only then: the C library's time zone state is not
/// thread-safe), so a watch running across a change to summer time keeps the old offset.
struct Clock(time::UtcOffset);

impl Clock {
    fn local() -> Clock {
        Clock(time::UtcOffset::current_local_offset().unwrap_or(time::UtcOffset::UTC))
    }

    /// `HH:MM:SS`.
    fn now(&self) -> String {
        let t = time::OffsetDateTime::now_utc().to_offset(self.0);
        format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    }
}

fn folder(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

pub fn run(w: Watch, term: &Term) -> ExitCode {
    let clock = Clock::local();
    if !w.layout.is_file() || !w.edition.is_file() {
        term.fail_with(format!("{} or {} does not exist", w.layout.display(), w.edition.display()));
        return ExitCode::from(1);
    }
    let base = Inputs::of([&w.layout, &w.edition]);
    for path in [output::preflight_path(&w.target), w.target.clone()] {
        if let Err(d) = output::check_target(&path, &base) {
            term.fail(&d);
            return ExitCode::from(1);
        }
    }
    if let Some((dir, _)) = &w.proofs {
        if dir.exists() && !dir.is_dir() {
            term.fail_with(format!("{}: --preview names the folder the proofs go to; this is a file", dir.display()));
            return ExitCode::from(1);
        }
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = match notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    }) {
        Ok(watcher) => watcher,
        Err(e) => {
            term.fail_with(format!("cannot watch files: {e}"));
            return ExitCode::from(1);
        }
    };
    // Each folder once: (resolved, as the build names it).
    let mut watched: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut inputs = base.clone();
    let mut why = "first build".to_owned();
    loop {
        inputs = rebuild(&w, &base, &inputs, &why, &clock, term);
        // Folders, not files: editors save by writing a new file and renaming it. The set
        // grows with what the layout and the edition name now.
        let before = watched.len();
        for dir in inputs.paths().map(folder) {
            let Ok(real) = dir.canonicalize() else { continue };
            if real.is_dir() && !watched.iter().any(|(r, _)| *r == real) {
                if let Err(e) = watcher.watch(&dir, RecursiveMode::NonRecursive) {
                    term.fail_with(format!("cannot watch {}: {e}", dir.display()));
                    return ExitCode::from(1);
                }
                watched.push((real, dir));
            }
        }
        if !term.quiet() && watched.len() > before {
            let list: Vec<String> = watched.iter().map(|(_, d)| d.display().to_string()).collect();
            println!("watching {} for changes (Ctrl-C to stop)", list.join(", "));
        }
        let Some(changed) = next_change(&rx, &inputs) else {
            return ExitCode::SUCCESS;
        };
        why = format!("{} changed", changed.into_iter().collect::<Vec<_>>().join(", "));
    }
}

/// Wait for a change to an input and let a burst of them (an editor's save) settle: until
/// 150 ms pass without one (other events, such as reads, do not count), 1 s at most. The
/// inputs that changed, as the build names them; `None` when the watcher is gone.
fn next_change(
    rx: &std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
    inputs: &Inputs,
) -> Option<BTreeSet<String>> {
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
        note(rx.recv().ok()?, &mut changed);
    }
    let (start, mut quiet_since) = (Instant::now(), Instant::now());
    while quiet_since.elapsed() < Duration::from_millis(150) && start.elapsed() < Duration::from_secs(1) {
        if let Ok(event) = rx.recv_timeout(Duration::from_millis(50)) {
            if note(event, &mut changed) {
                quiet_since = Instant::now();
            }
        }
    }
    Some(changed)
}

/// One build, written by the output policy, with its proofs; prints what happened and
/// returns the files to watch from now on. A failed build leaves the last good PDF and
/// proofs in place.
fn rebuild(w: &Watch, base: &Inputs, before: &Inputs, why: &str, clock: &Clock, term: &Term) -> Inputs {
    let (start, stamp) = (Instant::now(), clock.now());
    // A fresh session: a font that changed is read again.
    let result = adapt::build(&Session::default(), &w.layout, &w.edition, w.options);
    let mut inputs = adapt::inputs(&w.layout, &w.edition, w.options.allow_outside).unwrap_or_else(|| before.clone());
    inputs.extend(base);
    let (mut log, mut errors) = (String::new(), Vec::new());
    match result {
        Err(e) => errors.extend(e),
        Ok(build) => {
            if !term.quiet() {
                log.push_str(&build.summary);
            }
            for d in build.diagnostics.iter() {
                if d.is_error() {
                    errors.push(d.clone());
                } else {
                    log.push_str(&term.out(d, "  "));
                }
            }
            match output::write_build(&build.built, &w.target, &inputs) {
                Err(d) => errors.push(d),
                Ok(written) if !term.quiet() => {
                    log.push_str(&format!("  wrote {} and {}\n", written.pdf.display(), written.report.display()));
                }
                Ok(_) => {}
            }
            match &w.proofs {
                Some((dir, dpi)) if errors.is_empty() => match write_proofs(&build.built, dir, *dpi, &inputs) {
                    Ok(pages) if !term.quiet() => {
                        log.push_str(&format!("  drew {pages} proof(s) in {} at {dpi} dpi\n", dir.display()));
                    }
                    Ok(_) => {}
                    Err(d) => errors.push(d),
                },
                _ => {}
            }
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    if !term.quiet() {
        let verdict = if errors.is_empty() { "rebuilt" } else { "FAILED" };
        println!("{stamp} {why}: {verdict} in {seconds:.2} s");
    }
    print!("{log}");
    for d in &errors {
        eprint!("{}", term.err(d, ""));
    }
    inputs
}

/// Draw every page to `dir/page-N.png`, and remove the proofs of pages that are gone.
fn write_proofs(built: &Built, dir: &Path, dpi: f32, inputs: &Inputs) -> Result<usize, Diagnostic> {
    let display = &built.composition.display;
    for page in 0..display.pages.len() {
        let png = paiban::build::proof_page(&built.job, display, &built.fonts, &built.images, page, dpi)
            .map_err(|e| Diagnostic::error(e.to_string()))?;
        output::write_output(&dir.join(format!("page-{}.png", page + 1)), &png, inputs)?;
    }
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let number = name.strip_prefix("page-").and_then(|n| n.strip_suffix(".png")).and_then(|n| n.parse().ok());
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && number.is_some_and(|n: usize| n > display.pages.len()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(display.pages.len())
}
