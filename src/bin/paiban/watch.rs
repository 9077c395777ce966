//! `paiban watch`: build, then rebuild whenever a file the build reads changes, saying when,
//! what changed and how long the rebuild took (and each stage of it); optionally keep PNG
//! proofs of every page. What did not change is kept from one rebuild to the next
//! ([`FreshSession`]: the fonts, the photos converted for the press and decoded for the
//! proof, the proof's colour transform and glyph outlines).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use paiban::build::{Built, Options};
use paiban::diagnostic::Diagnostic;
use paiban::output::{self, Inputs};
use paiban::proof::changes::{self, Changes};
use paiban::proof::{Clock, FreshSession};
use paiban::render::png::KeptStats;

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
    let mut session = FreshSession::default();
    loop {
        inputs = rebuild(&w, &base, &inputs, &why, &clock, &mut session, term);
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
fn rebuild(
    w: &Watch,
    base: &Inputs,
    before: &Inputs,
    why: &str,
    clock: &Clock,
    session: &mut FreshSession,
    term: &Term,
) -> Inputs {
    let (start, stamp) = (Instant::now(), clock.now());
    // The job is read first (a millisecond; the build reads it again), so that a font that
    // changed is seen before the build reads the fonts, and to know what to watch even when
    // the build fails.
    let job = paiban::model::Job::load_confined(&w.layout, &w.edition, w.options.allow_outside).ok();
    let mut inputs = job.as_ref().map_or_else(|| before.clone(), Inputs::of_job);
    inputs.extend(base);
    let build_session = match &job {
        Some(job) => session.for_job(job),
        None => session.session(),
    };
    let result = adapt::build(build_session, &w.layout, &w.edition, w.options);
    let (mut log, mut errors, mut stages) = (String::new(), Vec::new(), Vec::new());
    match result {
        Err(e) => errors.extend(e),
        Ok(build) => {
            if !term.quiet() {
                log.push_str(&build.summary);
            }
            stages.push(format!("compose {:.3} s", build.built.timings.compose));
            stages.push(format!("PDF {:.3} s", build.built.timings.render));
            for d in build.diagnostics.iter() {
                if d.is_error() {
                    errors.push(d.clone());
                } else {
                    log.push_str(&term.out(d, "  "));
                }
            }
            // The proofs are drawn while the PDF is written (and synced to disk), and
            // written once it is.
            let timed = Instant::now();
            let (written, drawn) = rayon::join(
                || output::write_build(&build.built, &w.target, &inputs),
                || w.proofs.as_ref().map(|(_, dpi)| draw_proofs(&build.built, *dpi, session)),
            );
            stages.push(format!("write {:.3} s", timed.elapsed().as_secs_f64()));
            match written {
                Err(d) => errors.push(d),
                Ok(written) if !term.quiet() => {
                    log.push_str(&format!("  wrote {} and {}\n", written.pdf.display(), written.report.display()));
                }
                Ok(_) => {}
            }
            match (&w.proofs, drawn) {
                (Some((dir, dpi)), Some(Ok((pngs, seconds, kept)))) if errors.is_empty() => {
                    stages.push(format!("proofs {seconds:.3} s"));
                    match write_proofs(&pngs, dir, &inputs) {
                        Ok(pages) if !term.quiet() => {
                            let photos = format!("{} photo(s) decoded, {} kept", kept.photos_decoded, kept.photos_kept);
                            log.push_str(&format!(
                                "  drew {pages} proof(s) in {} at {dpi} dpi ({photos})\n",
                                dir.display()
                            ));
                        }
                        Ok(_) => {}
                        Err(d) => errors.push(d),
                    }
                }
                (_, Some(Err(d))) => errors.push(d),
                _ => {}
            }
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    if !term.quiet() {
        let verdict = if errors.is_empty() { "rebuilt" } else { "FAILED" };
        println!("{stamp} {why}: {verdict} in {seconds:.2} s");
        if !stages.is_empty() {
            println!("  {}", stages.join(", "));
        }
    }
    print!("{log}");
    for d in &errors {
        eprint!("{}", term.err(d, ""));
    }
    inputs
}

/// Every page drawn as a PNG at `dpi` (in parallel: each is the same picture whatever the
/// order), with the seconds it took and what was kept from the drawings before.
fn draw_proofs(built: &Built, dpi: f32, session: &FreshSession) -> Result<(Vec<Vec<u8>>, f64, KeptStats), Diagnostic> {
    use rayon::prelude::*;
    let timed = Instant::now();
    let display = &built.composition.display;
    let profile = paiban::images::prepare::Settings::for_print(&built.job.print)
        .map_err(|e| Diagnostic::error(e.to_string()))?
        .profile;
    let kept = &session.kept;
    let pngs = (0..display.pages.len())
        .into_par_iter()
        .map(|page| {
            paiban::render::png::render_page_kept(kept, display, &built.fonts, &built.images, page, dpi, &profile)
                .map_err(|e| Diagnostic::error(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((pngs, timed.elapsed().as_secs_f64(), kept.sweep()))
}

/// Write `pngs` to `dir/page-N.png`, and remove the proofs of pages that are gone.
fn write_proofs(pngs: &[Vec<u8>], dir: &Path, inputs: &Inputs) -> Result<usize, Diagnostic> {
    for (page, png) in pngs.iter().enumerate() {
        output::write_output(&dir.join(format!("page-{}.png", page + 1)), png, inputs)?;
    }
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let number = name.strip_prefix("page-").and_then(|n| n.strip_suffix(".png")).and_then(|n| n.parse().ok());
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && number.is_some_and(|n: usize| n > pngs.len()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(pngs.len())
}
