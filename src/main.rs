//! The `paiban` command: a thin shell over the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use paiban::build::{self, Options};
use paiban::diagnostic::Severity;
use paiban::spec::layout::PdfX;

#[derive(Parser)]
#[command(
    name = "paiban",
    version,
    about = "Typeset a Chinese newspaper feature page from content + layout YAML to PDF"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Also read fonts, photos and profiles that lie outside the layout's folder (by
    /// default a project may name only its own files).
    #[arg(long, global = true)]
    allow_outside: bool,
    /// Print only errors and warnings.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print each font, photo (pixels, placed size, ppi, colour space) and colour the
    /// preflight measured, and the time spent composing and rendering.
    #[arg(short, long, global = true)]
    verbose: bool,
}

/// How much the commands print.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Whether stdout and stderr are terminals that take colour (and NO_COLOR is not set).
static COLOUR: std::sync::OnceLock<(bool, bool)> = std::sync::OnceLock::new();

fn colour() -> (bool, bool) {
    *COLOUR.get_or_init(|| {
        let wanted = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        (wanted && std::io::stdout().is_terminal(), wanted && std::io::stderr().is_terminal())
    })
}

/// `text` with its `error:` and `warning:` labels in red and yellow when `tty`.
fn paint(text: &str, tty: bool) -> String {
    if !tty {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 32);
    for line in text.split_inclusive('\n') {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let label = ["error:", "ERROR:", "warning:"].into_iter().find(|l| body.starts_with(l));
        match label {
            Some(label) => {
                let code = if label == "warning:" { "33" } else { "1;31" };
                out.push_str(&format!("{indent}\x1b[{code}m{label}\x1b[0m{}", &body[label.len()..]));
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Print to stdout, labels coloured on a terminal.
fn say(text: &str) {
    print!("{}", paint(text, colour().0));
}

/// An error line on stderr.
fn fail(message: impl std::fmt::Display) {
    eprint!("{}", paint(&format!("error: {message}\n"), colour().1));
}

/// A warning line on stderr.
fn warn(message: impl std::fmt::Display) {
    eprint!("{}", paint(&format!("warning: {message}\n"), colour().1));
}

#[derive(Subcommand)]
enum Command {
    /// A PNG proof of a page, drawn in-process from the same display list as the PDF.
    #[command(after_help = "Example:\n  paiban preview editions/2024.yaml --dpi 72 -o page.png")]
    Preview {
        /// The edition file to draw.
        edition: PathBuf,
        /// The layout file.
        #[arg(long, default_value = "layout.yaml")]
        layout: PathBuf,
        /// The page, from 1.
        #[arg(long, default_value_t = 1)]
        page: usize,
        /// Resolution of the proof.
        #[arg(long, default_value_t = 72.0)]
        dpi: f32,
        /// The PNG to write.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Rebuild an edition's PDF whenever the layout, the edition, a font or a photo
    /// changes; print the summary or the errors each time, and keep watching.
    #[command(
        after_help = "Example:\n  paiban watch editions/2024.yaml -o proof.pdf --preview proof.png     # Ctrl-C to stop"
    )]
    Watch {
        /// The edition file to rebuild.
        edition: PathBuf,
        /// The layout file.
        #[arg(long, default_value = "layout.yaml")]
        layout: PathBuf,
        /// The PDF to keep up to date; default out/NAME.pdf.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Set what fits and warn about overset text instead of failing.
        #[arg(long)]
        allow_overset: bool,
        /// Also keep a PNG proof of the first page up to date.
        #[arg(long, value_name = "PNG")]
        preview: Option<PathBuf>,
        /// Resolution of the PNG proof.
        #[arg(long, default_value_t = 72.0, requires = "preview")]
        dpi: f32,
    },
    /// Print the JSON Schema of layout.yaml or of an edition file (for editors: the sample
    /// files name theirs on their first line).
    #[command(after_help = "Examples:\n  paiban schema layout > schemas/layout.schema.json\n  paiban schema edition")]
    Schema {
        #[arg(value_parser = ["layout", "edition"])]
        which: String,
    },
    /// Start a new project from the demo: layout.yaml, one edition, the fonts, photos and
    /// ICC profiles with their licences.
    #[command(after_help = "Example:\n  paiban init my-page && cd my-page && paiban build")]
    Init {
        /// The new project's folder (created; it must be empty or not exist).
        dir: PathBuf,
    },
    /// Check editions without writing a PDF: parse, validate, compose and preflight, and
    /// report every problem found, grouped by edition.
    #[command(
        after_help = "Examples:\n  paiban check                      # every editions/*.yaml\n  paiban check editions/2025.yaml --layout tabloid.yaml"
    )]
    Check {
        /// Edition files; default: every editions/*.yaml beside the layout.
        editions: Vec<PathBuf>,
        /// The layout file.
        #[arg(long, default_value = "layout.yaml")]
        layout: PathBuf,
        /// The PDF/X standard to check against: 4, 1a or none.
        #[arg(long, value_parser = ["4", "1a", "none"])]
        pdfx: Option<String>,
    },
    /// Build editions to PDF.
    #[command(
        after_help = "Examples:\n  paiban build                      # every editions/*.yaml into out/\n  paiban build editions/2024.yaml -o page.pdf\n  paiban build editions/2024.yaml --layout tabloid.yaml --out-dir dist/"
    )]
    Build {
        /// Edition files; default: every editions/*.yaml beside the layout.
        editions: Vec<PathBuf>,
        /// The layout file.
        #[arg(long, default_value = "layout.yaml")]
        layout: PathBuf,
        /// Output PDF (only when one edition is built).
        #[arg(short, long, conflicts_with = "out_dir")]
        output: Option<PathBuf>,
        /// Folder for the PDFs, named after the edition files.
        #[arg(long, default_value = "out")]
        out_dir: PathBuf,
        /// Set what fits and warn about overset text instead of failing.
        #[arg(long)]
        allow_overset: bool,
        /// Overlay the grid, frames, thread order and wrap contours in a non-printing layer
        /// (the PDF is then a proof: no PDF/X claim).
        #[arg(long)]
        debug_grid: bool,
        /// The PDF/X standard: 4 (PDF/X-4), 1a (PDF/X-1a:2001) or none; default: the
        /// layout's `print.pdfx`.
        #[arg(long, value_parser = ["4", "1a", "none"])]
        pdfx: Option<String>,
        /// Accept photos below the minimum resolution (a warning instead of an error).
        #[arg(long)]
        allow_low_res: bool,
        /// Editions built at once (default: every core). The PDFs are the same whatever it is.
        #[arg(short, long)]
        jobs: Option<usize>,
    },
}

fn editions_beside(layout: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = match layout.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join("editions"),
        _ => PathBuf::from("editions"),
    };
    let entries = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e} (name edition files, or add an editions/ folder)", dir.display()))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    found.sort();
    if found.is_empty() {
        return Err(format!("{}: no *.yaml edition files", dir.display()));
    }
    Ok(found)
}

/// Build one edition: the preflight report is written beside the PDF; the PDF is written
/// only when the preflight finds no error, so a failed build never replaces a good PDF.
/// How one edition of a batch went.
struct Outcome {
    edition: PathBuf,
    /// What the build printed, kept to be shown in edition order.
    log: String,
    result: Result<Figures, String>,
    seconds: f64,
}

/// The row of the summary table.
struct Figures {
    pages: usize,
    lines: usize,
    overset: usize,
    warnings: usize,
    bytes: usize,
}

/// Build one edition: the preflight report is written beside the PDF; the PDF is written
/// only when the preflight finds no error, so a failed build never replaces a good PDF.
fn build_one(
    session: &build::Session,
    layout: &Path,
    edition: &Path,
    target: &Path,
    options: Options,
    verbosity: Verbosity,
    log: &mut String,
) -> Result<(Figures, build::Built), String> {
    use std::fmt::Write;
    let built = build::build_in(session, layout, edition, options).map_err(|e| e.to_string())?;
    let summary = built.summary.render(&edition.display().to_string());
    let preflight = built.preflight.summary();
    if verbosity > Verbosity::Quiet {
        let _ = write!(log, "{summary}");
        let _ = writeln!(log, "{preflight}");
    }
    for d in built.diagnostics.iter().filter(|d| d.severity >= Severity::Warning) {
        let text = d.to_string().replace('\n', "\n    ");
        match verbosity {
            Verbosity::Quiet => writeln!(log, "{}: {}: {text}", edition.display(), d.severity.label()),
            _ => writeln!(log, "  {}: {text}", d.severity.label()),
        }
        .ok();
    }
    if verbosity == Verbosity::Verbose {
        let _ = write!(log, "{}", built.preflight.details());
        let _ = writeln!(
            log,
            "  time: composing {:.0} ms, rendering and preflight {:.0} ms",
            built.timings.compose * 1e3,
            built.timings.render * 1e3
        );
    }
    let report = serde_json::to_vec_pretty(&built.preflight).map_err(|e| e.to_string())?;
    let report_path = build::preflight_path(target);
    build::write_atomically(&report_path, &report).map_err(|e| e.to_string())?;
    if built.preflight.has_errors() {
        return Err(format!(
            "{}: preflight failed ({} error(s), see {}); {} was not written",
            edition.display(),
            built.preflight.errors().count(),
            report_path.display(),
            target.display()
        ));
    }
    build::write_atomically(target, &built.pdf).map_err(|e| e.to_string())?;
    if verbosity > Verbosity::Quiet {
        let _ =
            writeln!(log, "  wrote {} ({} KB) and {}", target.display(), built.pdf.len() / 1024, report_path.display());
    }
    let figures = Figures {
        pages: built.summary.pages,
        lines: built.summary.lines,
        overset: built.summary.overset_chars,
        warnings: built.diagnostics.count(Severity::Warning),
        bytes: built.pdf.len(),
    };
    Ok((figures, built))
}

fn summary_table(outcomes: &[Outcome]) -> String {
    let mut out = format!(
        "{:<28} {:>5} {:>6} {:>7} {:>8} {:>7} {:>9}\n",
        "edition", "pages", "lines", "overset", "warnings", "time", "PDF"
    );
    for o in outcomes {
        let name = o.edition.display().to_string();
        match &o.result {
            Ok(f) => out.push_str(&format!(
                "{:<28} {:>5} {:>6} {:>7} {:>8} {:>6.2}s {:>6} KB\n",
                name,
                f.pages,
                f.lines,
                f.overset,
                f.warnings,
                o.seconds,
                f.bytes / 1024
            )),
            Err(_) => out.push_str(&format!("{name:<28} FAILED {:>37.2}s\n", o.seconds)),
        }
    }
    out
}

fn pdfx_option(pdfx: Option<&str>, debug_grid: bool) -> Option<PdfX> {
    match pdfx {
        Some("4") => Some(PdfX::X4),
        Some("1a") => Some(PdfX::X1a),
        Some(_) => Some(PdfX::None),
        None if debug_grid => Some(PdfX::None),
        None => None,
    }
}

/// The editions to work on, or the error to print.
fn editions_to_do(layout: &Path, editions: Vec<PathBuf>) -> Result<Vec<PathBuf>, String> {
    if !layout.is_file() {
        return Err(format!(
            "{}: no such layout file; run paiban in the project folder or pass --layout FILE",
            layout.display()
        ));
    }
    if editions.is_empty() {
        editions_beside(layout)
    } else {
        Ok(editions)
    }
}

fn check(layout: &Path, editions: Vec<PathBuf>, options: Options, verbosity: Verbosity) -> ExitCode {
    let editions = match editions_to_do(layout, editions) {
        Ok(e) => e,
        Err(message) => {
            fail(message);
            return ExitCode::from(1);
        }
    };
    let session = build::Session::default();
    let results: Vec<(PathBuf, paiban::diagnostic::Diagnostics)> =
        editions.par_iter().map(|e| (e.clone(), build::check_in(&session, layout, e, options))).collect();
    let mut errors = 0;
    for (edition, checked) in &results {
        let (e, w) = (checked.count(Severity::Error), checked.count(Severity::Warning));
        let verdict = if e == 0 { "ok" } else { "FAILED" };
        let mut out = String::new();
        if verbosity > Verbosity::Quiet || e + w > 0 {
            out.push_str(&format!("{}: {verdict}, {e} error(s), {w} warning(s)\n", edition.display()));
        }
        for d in checked.of(Severity::Error).chain(checked.of(Severity::Warning)) {
            out.push_str(&format!("  {}: {}\n", d.severity.label(), d.to_string().replace('\n', "\n    ")));
        }
        say(&out);
        errors += e;
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The template is this program's own demo project, taken from its source folder.
fn init(dir: &Path) -> Result<(), String> {
    let template = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !template.join("layout.yaml").is_file() {
        return Err(format!("the template folder {} is gone; build paiban from its repository", template.display()));
    }
    if dir.exists() && std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?.next().is_some() {
        return Err(format!("{} is not empty; init makes a new project in an empty or new folder", dir.display()));
    }
    let copy = |from: &Path, to: &Path| -> Result<(), String> {
        std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("{}: {e}", to.display()))
    };
    for folder in ["editions", "fonts", "images", "images/licenses", "profiles"] {
        std::fs::create_dir_all(dir.join(folder)).map_err(|e| format!("{}: {e}", dir.join(folder).display()))?;
    }
    copy(&template.join("layout.yaml"), &dir.join("layout.yaml"))?;
    copy(&template.join("editions/2024.yaml"), &dir.join("editions/2024.yaml"))?;
    for folder in ["fonts", "images", "images/licenses", "profiles"] {
        let entries = std::fs::read_dir(template.join(folder)).map_err(|e| format!("{folder}: {e}"))?;
        let mut files: Vec<PathBuf> =
            entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
        files.sort();
        for file in files {
            copy(&file, &dir.join(folder).join(file.file_name().unwrap_or_default()))?;
        }
    }
    println!("made {}: layout.yaml, editions/2024.yaml, fonts/, images/, profiles/", dir.display());
    println!("next: cd {} && paiban build", dir.display());
    Ok(())
}

/// The PNG proof `watch` keeps beside its PDF, and at what resolution.
struct Proof {
    path: PathBuf,
    dpi: f32,
}

/// Draw page 1 of a built edition to a PNG.
fn write_proof(built: &build::Built, proof: &Proof) -> Result<(), String> {
    let png = paiban::render::png::render_page(&built.composition.display, &built.fonts, &built.images, 0, proof.dpi)
        .map_err(|e| e.to_string())?;
    build::write_atomically(&proof.path, &png).map_err(|e| e.to_string())
}

/// Build, then rebuild on every change of the files the build reads. Folders are watched
/// (not files), because editors save by writing a new file and renaming it.
fn watch(
    layout: &Path,
    edition: &Path,
    target: &Path,
    proof: Option<Proof>,
    options: Options,
    verbosity: Verbosity,
) -> ExitCode {
    use notify::{RecursiveMode, Watcher};
    let folder = |p: &Path| match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let project = folder(layout);
    let mut folders = vec![project.clone(), folder(edition), project.join("fonts"), project.join("images")];
    folders.sort();
    folders.dedup();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = match notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    }) {
        Ok(w) => w,
        Err(e) => {
            fail(format!("cannot watch files: {e}"));
            return ExitCode::from(1);
        }
    };
    for f in folders.iter().filter(|f| f.is_dir()) {
        if let Err(e) = watcher.watch(f, RecursiveMode::NonRecursive) {
            fail(format!("cannot watch {}: {e}", f.display()));
            return ExitCode::from(1);
        }
    }
    let same_file = |a: &Path, b: &Path| {
        a.file_name() == b.file_name() && folder(a).canonicalize().ok() == folder(b).canonicalize().ok()
    };
    let relevant = |p: &Path| {
        same_file(p, layout)
            || same_file(p, edition)
            || [project.join("fonts"), project.join("images")]
                .iter()
                .any(|d| folder(p).canonicalize().ok() == d.canonicalize().ok())
    };
    let rebuild = || {
        // A fresh session: a font that changed is read again.
        let mut log = String::new();
        let result = build_one(&build::Session::default(), layout, edition, target, options, verbosity, &mut log);
        say(&log);
        match (result, &proof) {
            (Err(e), _) => fail(e),
            (Ok((_, built)), Some(proof)) => match write_proof(&built, proof) {
                Ok(()) if verbosity > Verbosity::Quiet => println!("  wrote {}", proof.path.display()),
                Ok(()) => {}
                Err(e) => fail(e),
            },
            (Ok(_), None) => {}
        }
        if verbosity > Verbosity::Quiet {
            println!(
                "watching {} for changes (Ctrl-C to stop)",
                folders.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
            );
        }
    };
    let changes = |event: &notify::Result<notify::Event>| {
        event.as_ref().is_ok_and(|e| {
            (e.kind.is_create() || e.kind.is_modify() || e.kind.is_remove()) && e.paths.iter().any(|p| relevant(p))
        })
    };
    rebuild();
    while let Ok(event) = rx.recv() {
        if !changes(&event) {
            continue;
        }
        // Let a burst of changes (an editor's save) settle into one rebuild: wait until
        // 150 ms pass without one (other events, such as reads, do not count), 1 s at most.
        let start = Instant::now();
        let mut quiet_since = Instant::now();
        while quiet_since.elapsed() < std::time::Duration::from_millis(150) && start.elapsed().as_secs() < 1 {
            if let Ok(event) = rx.recv_timeout(std::time::Duration::from_millis(50)) {
                if changes(&event) {
                    quiet_since = Instant::now();
                }
            }
        }
        rebuild();
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    match cli.command {
        Command::Preview { edition, layout, page, dpi, output } => {
            let result = (|| -> Result<(), String> {
                if !(10.0..=600.0).contains(&dpi) || page == 0 {
                    return Err("--dpi must be 10 to 600 and --page at least 1".into());
                }
                let options = Options { allow_overset: true, allow_outside: cli.allow_outside, ..Options::default() };
                let c = build::compose(&layout, &edition, options).map_err(|e| e.to_string())?;
                let png = paiban::render::png::render_page(&c.composition.display, &c.fonts, &c.images, page - 1, dpi)
                    .map_err(|e| e.to_string())?;
                build::write_atomically(&output, &png).map_err(|e| e.to_string())?;
                for w in c.composition.overset.iter().chain(&c.composition.warnings) {
                    warn(w);
                }
                if verbosity > Verbosity::Quiet {
                    println!("wrote {} (page {page}, {dpi} dpi)", output.display());
                }
                Ok(())
            })();
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    fail(e);
                    ExitCode::from(1)
                }
            }
        }
        Command::Watch { edition, layout, output, allow_overset, preview, dpi } => {
            if !(10.0..=600.0).contains(&dpi) {
                fail("--dpi must be 10 to 600");
                return ExitCode::from(2);
            }
            if !layout.is_file() || !edition.is_file() {
                fail(format!("{} or {} does not exist", layout.display(), edition.display()));
                return ExitCode::from(1);
            }
            let target = output.unwrap_or_else(|| {
                PathBuf::from("out").join(format!("{}.pdf", edition.file_stem().unwrap_or_default().to_string_lossy()))
            });
            watch(
                &layout,
                &edition,
                &target,
                preview.map(|path| Proof { path, dpi }),
                Options { allow_overset, allow_outside: cli.allow_outside, ..Options::default() },
                verbosity,
            )
        }
        Command::Schema { which } => {
            println!("{}", paiban::model::schema(&which));
            ExitCode::SUCCESS
        }
        Command::Init { dir } => match init(&dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                fail(e);
                ExitCode::from(1)
            }
        },
        Command::Check { editions, layout, pdfx } => check(
            &layout,
            editions,
            Options {
                pdfx: pdfx_option(pdfx.as_deref(), false),
                allow_outside: cli.allow_outside,
                ..Options::default()
            },
            verbosity,
        ),
        Command::Build { editions, layout, output, out_dir, allow_overset, debug_grid, pdfx, allow_low_res, jobs } => {
            let pdfx = pdfx_option(pdfx.as_deref(), debug_grid);
            let editions = match editions_to_do(&layout, editions) {
                Ok(e) => e,
                Err(message) => {
                    fail(message);
                    return ExitCode::from(1);
                }
            };
            if output.is_some() && editions.len() > 1 {
                fail(format!("-o names one PDF but {} editions are to be built; use --out-dir", editions.len()));
                return ExitCode::from(2);
            }
            if debug_grid && matches!(pdfx, Some(PdfX::X4) | Some(PdfX::X1a)) {
                fail("--debug-grid makes a proof with a layer PDF/X does not allow; leave out --pdfx");
                return ExitCode::from(2);
            }
            // Two editions must not write the same PDF (2024.yaml in two folders).
            let target_of = |edition: &Path| {
                output.clone().unwrap_or_else(|| {
                    let stem = edition.file_stem().unwrap_or_default().to_string_lossy();
                    out_dir.join(format!("{stem}.pdf"))
                })
            };
            let mut seen = std::collections::BTreeMap::new();
            for edition in &editions {
                if let Some(first) = seen.insert(target_of(edition), edition.clone()) {
                    fail(format!(
                        "{} and {} would both be written to {}; build them with different --out-dir",
                        first.display(),
                        edition.display(),
                        target_of(edition).display()
                    ));
                    return ExitCode::from(1);
                }
            }
            let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build() {
                Ok(pool) => pool,
                Err(e) => {
                    fail(format!("cannot start {jobs} worker threads: {e}"));
                    return ExitCode::from(1);
                }
            };
            // A progress bar on a terminal; plain lines (below) otherwise.
            let progress = if std::io::stderr().is_terminal() && editions.len() > 1 {
                let bar = ProgressBar::new(editions.len() as u64);
                bar.set_style(
                    ProgressStyle::with_template("{bar:30} {pos}/{len} editions {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar
            } else {
                ProgressBar::hidden()
            };
            let session = build::Session::default();
            let options = Options { allow_overset, debug_grid, pdfx, allow_low_res, allow_outside: cli.allow_outside };
            let outcomes: Vec<Outcome> = pool.install(|| {
                editions
                    .par_iter()
                    .map(|edition| {
                        let start = Instant::now();
                        let target = target_of(edition);
                        let mut log = String::new();
                        let result = build_one(&session, &layout, edition, &target, options, verbosity, &mut log)
                            .map(|(figures, _)| figures);
                        progress.inc(1);
                        progress.set_message(edition.display().to_string());
                        Outcome { edition: edition.clone(), log, result, seconds: start.elapsed().as_secs_f64() }
                    })
                    .collect()
            });
            progress.finish_and_clear();
            for o in &outcomes {
                say(&o.log);
                if let Err(e) = &o.result {
                    fail(e);
                }
            }
            if outcomes.len() > 1 && verbosity > Verbosity::Quiet {
                say(&summary_table(&outcomes));
            }
            let failed: Vec<String> =
                outcomes.iter().filter(|o| o.result.is_err()).map(|o| o.edition.display().to_string()).collect();
            if failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                fail(format!("{} of {} edition(s) failed: {}", failed.len(), outcomes.len(), failed.join(", ")));
                ExitCode::from(1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::paint;

    #[test]
    fn labels_are_coloured_only_on_a_terminal() {
        let text = "a: 1 page\n  warning: RGB photo\nerror: overset\n  ERROR: ink\n";
        assert_eq!(paint(text, false), text);
        let painted = paint(text, true);
        assert!(painted.starts_with("a: 1 page\n  \x1b[33mwarning:\x1b[0m RGB photo\n"), "{painted:?}");
        assert!(painted.contains("\x1b[1;31merror:\x1b[0m overset\n"), "{painted:?}");
        assert!(painted.contains("  \x1b[1;31mERROR:\x1b[0m ink\n"), "{painted:?}");
        // A label inside a line is the message's, not a label.
        assert_eq!(paint("see warning: x\n", true), "see warning: x\n");
    }
}
