//! The `paiban` command: a thin shell over the library. Each command is in its own file;
//! what is written and when a PDF is refused is the library's (`paiban::output`).

mod adapt;
mod batch;
mod check;
mod cli;
mod import;
mod init;
mod once;
mod serve;
mod term;
mod watch;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use paiban::build::{self, Options};
use paiban::diagnostic::{Diagnostic, Diagnostics};
use paiban::output::{self, Inputs};

use cli::{Cli, Command};
use term::{Term, Verbosity};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let term = Term::new(verbosity);
    let allow_outside = cli.allow_outside;
    match cli.command {
        Command::Build(args) => batch::run(args, allow_outside, &term),
        Command::Check { editions, layout, pdfx, format } => {
            let options = Options { pdfx: pdfx.map(Into::into), allow_outside, ..Options::default() };
            check::run(&layout, editions, options, format, &term)
        }
        Command::Preview { edition, layout, page, dpi, output } => {
            match preview(&layout, &edition, page, dpi, &output, allow_outside, &term) {
                Ok(()) => ExitCode::SUCCESS,
                Err(all) => {
                    all.iter().for_each(|d| term.fail(d));
                    ExitCode::from(1)
                }
            }
        }
        Command::Watch { edition, layout, output, allow_overset, preview, dpi } => {
            if let Some(dir) = preview.as_ref().filter(|d| d.extension().is_some_and(|x| x == "png") && !d.is_dir()) {
                term.fail_with(format!(
                    "--preview {}: names the folder for the proofs of every page (page-1.png, …), not a PNG",
                    dir.display()
                ));
                return ExitCode::from(2);
            }
            let target = output.unwrap_or_else(|| output::pdf_in(Path::new("out"), &edition));
            let options = Options { allow_overset, allow_outside, ..Options::default() };
            let proofs = preview.map(|dir| (dir, dpi));
            watch::run(watch::Watch { layout, edition, target, proofs, options }, &term)
        }
        Command::Serve { edition, layout, port, dpi } => {
            let edition = match edition {
                Some(e) => e,
                None => match editions_to_do(&layout, Vec::new()) {
                    Ok(all) => all[0].clone(),
                    Err(d) => {
                        term.fail(&d);
                        return ExitCode::from(1);
                    }
                },
            };
            serve::run(paiban::proof::Settings { layout, edition, dpi, allow_outside }, port, &term)
        }
        Command::Schema { which } => {
            println!("{}", paiban::model::schema(&which));
            ExitCode::SUCCESS
        }
        Command::Import { article, output, layout, images, force } => {
            import::run(import::Args { article, output, layout, images, force }, &term)
        }
        Command::Init { dir } => match init::run(&dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                term.fail_with(e);
                ExitCode::from(1)
            }
        },
    }
}

/// Draw one page to a PNG; overset text is set and reported, not refused.
fn preview(
    layout: &Path,
    edition: &Path,
    page: u32,
    dpi: f32,
    png: &Path,
    allow_outside: bool,
    term: &Term,
) -> Result<(), Diagnostics> {
    let one = |d: Diagnostic| Diagnostics::from_iter([d]);
    output::check_target(png, &Inputs::of([layout, edition])).map_err(one)?;
    let options = Options { allow_overset: true, allow_outside, ..Options::default() };
    let c = build::prepare_photos(&build::Session::default(), build::compose(layout, edition, options)?)?;
    let index = usize::try_from(page - 1).unwrap_or(usize::MAX);
    let bytes = build::proof_page(&c.job, &c.composition.display, &c.fonts, &c.images, index, dpi)?;
    output::write_output(png, &bytes, &Inputs::of_job(&c.job)).map_err(one)?;
    for d in adapt::composition_warnings(&c.composition).iter() {
        eprint!("{}", term.err(d, ""));
    }
    if !term.quiet() {
        println!("wrote {} (page {page}, {dpi} dpi)", png.display());
    }
    Ok(())
}

/// The editions to work on: those named, or every `editions/*.yaml` beside the layout.
pub fn editions_to_do(layout: &Path, editions: Vec<PathBuf>) -> Result<Vec<PathBuf>, Diagnostic> {
    if !layout.is_file() {
        return Err(Diagnostic::error(format!("{}: no such layout file", layout.display()))
            .with_hint("run paiban in the project folder or pass --layout FILE"));
    }
    if !editions.is_empty() {
        return Ok(editions);
    }
    let dir = folder_of(layout).join("editions");
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        Diagnostic::error(format!("{}: {e}", dir.display())).with_hint("name edition files, or add an editions/ folder")
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    found.sort();
    if found.is_empty() {
        return Err(Diagnostic::error(format!("{}: no *.yaml edition files", dir.display())));
    }
    Ok(found)
}

pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::new(),
    }
}
