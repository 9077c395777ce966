//! `paiban build`: one edition or many, in parallel, each failing alone, with a progress bar
//! on a terminal and a table at the end (or one JSON line per edition).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use paiban::build::{Options, Session};
use paiban::diagnostic::{Diagnostic, Diagnostics, Severity};
use paiban::output::{self, Inputs, Written};
use rayon::prelude::*;

use crate::adapt;
use crate::cli::{BuildArgs, Format};
use crate::once::Once;
use crate::term::{json_line, Term};

/// How one edition of a batch went.
struct Outcome {
    edition: PathBuf,
    /// What the build printed for stdout, kept to be shown in edition order: the summary
    /// before the warnings, what was written after them.
    log: String,
    tail: String,
    diagnostics: Diagnostics,
    written: Option<(Figures, Written)>,
    seconds: f64,
}

/// The row of the summary table.
struct Figures {
    pages: usize,
    lines: usize,
    overset: usize,
    warnings: usize,
}

/// Worker threads: as asked (default: one per core), but never more than there are
/// editions (an idle thread only costs) nor more than twice the cores (building is CPU
/// work: more threads only thrash, and `--jobs 10000` once meant 10 000 threads).
pub fn job_count(asked: Option<u64>, editions: usize, cores: usize) -> usize {
    let cap = editions.min(2 * cores).max(1);
    asked.map_or(cores, |n| usize::try_from(n).unwrap_or(usize::MAX)).clamp(1, cap)
}

pub fn run(args: BuildArgs, allow_outside: bool, term: &Term) -> ExitCode {
    let pdfx = args.pdfx.map(Into::into);
    let options = Options {
        allow_overset: args.allow_overset,
        debug_grid: args.debug_grid,
        pdfx,
        allow_low_res: args.allow_low_res,
        allow_outside,
    };
    if let Some(conflict) = options.conflict() {
        term.fail_with(conflict);
        return ExitCode::from(2);
    }
    let json = args.format == Format::Json;
    let refuse = |d: Diagnostic| term.refuse(d, json);
    let editions = match crate::editions_to_do(&args.layout, args.editions) {
        Ok(e) => e,
        Err(d) => return refuse(d),
    };
    if args.output.is_some() && editions.len() > 1 {
        term.fail_with(format!("-o names one PDF but {} editions are to be built; use --out-dir", editions.len()));
        return ExitCode::from(2);
    }
    // No output may replace the layout or an edition of the batch, nor another's PDF;
    // the fonts and photos each edition names are checked when it is written.
    let batch_inputs = Inputs::of(std::iter::once(&args.layout).chain(&editions));
    let targets = match output::targets(&editions, args.output.as_deref(), &args.out_dir, &batch_inputs) {
        Ok(targets) => targets,
        Err(d) => return refuse(d),
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = job_count(args.jobs, editions.len(), cores);
    if term.verbose() && !json {
        println!("building {} edition(s) with {jobs} job(s) on {cores} core(s)", editions.len());
    }
    // A thread per core even when fewer editions are built at once: the spare threads cut
    // an edition's fonts side by side (render).
    let threads = jobs.max(cores);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool,
        Err(e) => return refuse(Diagnostic::error(format!("cannot start {threads} worker threads: {e}"))),
    };
    let progress = if std::io::stderr().is_terminal() && editions.len() > 1 && !json {
        let bar = ProgressBar::new(editions.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} editions {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let session = Session::default();
    // Composing is CPU work, writing mostly waiting for the disk (each file is synced before
    // it is renamed): one writer thread writes an edition while the next is composed, and
    // frees its composition there too. At most two composed editions wait for it, so a
    // slow disk holds the workers back instead of filling memory.
    let mut outcomes: Vec<(usize, Outcome)> = std::thread::scope(|scope| {
        let (composed, to_write) = sync_channel::<(usize, Composed)>(2);
        let writer = scope.spawn(|| {
            to_write
                .into_iter()
                .map(|(i, composed)| {
                    let outcome = write_one(composed, term);
                    progress.inc(1);
                    progress.set_message(outcome.edition.display().to_string());
                    (i, outcome)
                })
                .collect::<Vec<_>>()
        });
        let compose = |composed: &mut SyncSender<_>, (i, (edition, target)): (usize, (&PathBuf, &PathBuf))| {
            let one = compose_one(&session, &args.layout, edition, target, &batch_inputs, options);
            // The writer only stops early by panicking, which `join` passes on.
            let _ = composed.send((i, one));
        };
        // With fewer editions at once than threads, `jobs` at a time, so that a thread
        // waiting for its fonts to be cut never takes up another edition meanwhile.
        let all: Vec<_> = editions.iter().zip(&targets).enumerate().collect();
        let at_once = if jobs < threads { jobs } else { all.len().max(1) };
        pool.install(|| {
            for group in all.chunks(at_once) {
                group.par_iter().copied().for_each_with(composed.clone(), compose);
            }
        });
        // The last sender gone, the writer ends once it has written what it was sent.
        drop(composed);
        writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    outcomes.sort_by_key(|(i, _)| *i);
    let outcomes: Vec<Outcome> = outcomes.into_iter().map(|(_, o)| o).collect();
    progress.finish_and_clear();
    report(&outcomes, json, term)
}

/// An edition composed, waiting for the writer.
struct Composed {
    edition: PathBuf,
    start: Instant,
    /// The build, or why there is none.
    build: Result<adapt::Build, Diagnostics>,
    /// Where its PDF goes, and every file it may not replace.
    target: PathBuf,
    inputs: Inputs,
}

/// Build one edition (no file written yet).
fn compose_one(
    session: &Session,
    layout: &Path,
    edition: &Path,
    target: &Path,
    batch_inputs: &Inputs,
    options: Options,
) -> Composed {
    let start = Instant::now();
    let build = adapt::build(session, layout, edition, options);
    let mut inputs = build.as_ref().map(|b| b.inputs.clone()).unwrap_or_default();
    inputs.extend(batch_inputs);
    Composed { edition: edition.to_owned(), start, build, target: target.to_owned(), inputs }
}

/// Write a composed edition by the output policy (the report beside the PDF; no PDF when
/// the preflight found an error, so a failed build never replaces a good PDF) and say how
/// it went.
fn write_one(composed: Composed, term: &Term) -> Outcome {
    use std::fmt::Write;
    let Composed { edition, start, build, target, inputs } = composed;
    let mut outcome = Outcome {
        edition,
        log: String::new(),
        tail: String::new(),
        diagnostics: Diagnostics::new(),
        written: None,
        seconds: 0.0,
    };
    match build {
        Err(errors) => outcome.diagnostics = errors,
        Ok(build) => {
            outcome.diagnostics = build.diagnostics;
            let write_start = Instant::now();
            let written = output::write_build(&build.built, &target, &inputs);
            let write = write_start.elapsed().as_secs_f64() * 1e3;
            let built = &build.built;
            if !term.quiet() {
                outcome.log.push_str(&build.summary);
            }
            if term.verbose() {
                outcome.log.push_str(&built.preflight.details());
                let t = &built.timings;
                let (compose, render) = (t.compose * 1e3, t.render * 1e3);
                let _ =
                    writeln!(outcome.log, "  time: composing {compose:.0} ms, rendering and preflight {render:.0} ms");
                // The split, in ms (`cargo bench --bench build` reads this line).
                let _ = writeln!(
                    outcome.log,
                    "  split: yaml {:.2} fonts {:.2} photos {:.2} layout {:.2} prepare {:.2} preflight {:.2} pdf {:.2} subset {:.2} compress {:.2} write {write:.2}",
                    t.job * 1e3,
                    t.fonts * 1e3,
                    t.photos * 1e3,
                    t.layout * 1e3,
                    t.prepare * 1e3,
                    t.preflight * 1e3,
                    t.pdf * 1e3,
                    t.subset * 1e3,
                    t.compress * 1e3,
                );
            }
            // The warnings are printed with the log, once per batch (`report`).
            match written {
                Err(refused) => outcome.diagnostics.push(refused),
                Ok(w) => {
                    if !term.quiet() {
                        let kb = w.pdf_bytes / 1024;
                        let _ =
                            writeln!(outcome.tail, "  wrote {} ({kb} KB) and {}", w.pdf.display(), w.report.display());
                    }
                    let s = &built.summary;
                    let warnings = outcome.diagnostics.count(Severity::Warning);
                    let figures = Figures { pages: s.pages, lines: s.lines, overset: s.overset_chars, warnings };
                    outcome.written = Some((figures, w));
                }
            }
        }
    }
    // From the start of composing to the file synced: the edition's own time, whatever
    // it waited for in between.
    outcome.seconds = start.elapsed().as_secs_f64();
    outcome
}

/// Print the outcomes in edition order, the table and the failures; the exit code.
fn report(outcomes: &[Outcome], json: bool, term: &Term) -> ExitCode {
    let several = outcomes.len() > 1;
    let mut once = Once::new(outcomes.iter().map(|o| &o.diagnostics));
    for o in outcomes {
        if json {
            let (pdf, report) = match &o.written {
                Some((_, w)) => (Some(w.pdf.display().to_string()), Some(w.report.display().to_string())),
                None => (None, None),
            };
            let extra = serde_json::json!({ "pdf": pdf, "preflight": report });
            print!("{}", json_line(Some(&o.edition), &o.diagnostics, extra));
            continue;
        }
        term.say(&o.log);
        // A layout's warning or error, the RGB-photo warning: the same for many editions,
        // said once, with how many have it.
        let lead = if term.quiet() { format!("{}: ", o.edition.display()) } else { "  ".into() };
        for d in o.diagnostics.iter().filter(|d| !d.is_error()) {
            print!("{}", once.render(d, &lead, |d, l| term.out(d, l)));
        }
        term.say(&o.tail);
        let lead = if term.quiet() || several { format!("{}: ", o.edition.display()) } else { String::new() };
        for d in o.diagnostics.of(Severity::Error) {
            eprint!("{}", once.render(d, &lead, |d, l| term.err(d, l)));
        }
    }
    if several && !term.quiet() && !json {
        term.say(&summary_table(outcomes));
    }
    let failed: Vec<String> =
        outcomes.iter().filter(|o| o.written.is_none()).map(|o| o.edition.display().to_string()).collect();
    if failed.is_empty() {
        return ExitCode::SUCCESS;
    }
    if several && !json {
        term.fail_with(format!("{} of {} edition(s) failed: {}", failed.len(), outcomes.len(), failed.join(", ")));
    }
    ExitCode::from(1)
}

fn summary_table(outcomes: &[Outcome]) -> String {
    let mut out = format!(
        "{:<28} {:>5} {:>6} {:>7} {:>8} {:>7} {:>9}\n",
        "edition", "pages", "lines", "overset", "warnings", "time", "PDF"
    );
    for o in outcomes {
        let name = o.edition.display().to_string();
        match &o.written {
            Some((f, w)) => out.push_str(&format!(
                "{:<28} {:>5} {:>6} {:>7} {:>8} {:>6.2}s {:>6} KB\n",
                name,
                f.pages,
                f.lines,
                f.overset,
                f.warnings,
                o.seconds,
                w.pdf_bytes / 1024
            )),
            None => out.push_str(&format!("{name:<28} FAILED {:>37.2}s\n", o.seconds)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::job_count;

    #[test]
    fn jobs_are_capped_by_the_editions_and_the_cores() {
        assert_eq!(job_count(Some(10_000), 1, 2), 1, "one edition needs one thread");
        assert_eq!(job_count(Some(10_000), 200, 2), 4, "twice the cores at most");
        assert_eq!(job_count(Some(3), 200, 2), 3);
        assert_eq!(job_count(None, 200, 8), 8, "default: the cores");
        assert_eq!(job_count(None, 3, 8), 3);
        assert_eq!(job_count(Some(u64::MAX), 5, 4), 5);
    }
}
