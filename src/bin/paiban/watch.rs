//! `paiban watch`: build, then rebuild whenever a file the build reads changes, saying when,
//! what changed and how long the rebuild took; optionally keep PNG proofs of every page.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use paiban::build::{Built, Options, Session};
use paiban::diagnostic::Diagnostic;
use paiban::output::{self, Inputs};
use paiban::proof::changes::{self, Changes};
use paiban::proof::Clock;

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
    let mut changes = match Changes::new() {
        Ok(c) => c,
        Err(d) => {
            term.fail(&d);
            return ExitCode::from(1);
        }
    };
    let mut inputs = base.clone();
    let mut why = "first build".to_owned();
    loop {
        inputs = rebuild(&w, &base, &inputs, &why, &clock, term);
        // The set of folders grows with what the layout and the edition name now.
        match changes.follow(&inputs) {
            Err(d) => {
                term.fail(&d);
                return ExitCode::from(1);
            }
            Ok(true) if !term.quiet() => {
                let list: Vec<String> = changes.folders().map(|d| d.display().to_string()).collect();
                println!("watching {} for changes (Ctrl-C to stop)", list.join(", "));
            }
            Ok(_) => {}
        }
        let Some(changed) = changes.next(&inputs) else {
            return ExitCode::SUCCESS;
        };
        why = changes::describe(&changed);
    }
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
