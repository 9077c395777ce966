//! The `paiban` command: a thin shell over the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use paiban::build::{self, Options};
use paiban::model::layout::PdfX;

#[derive(Parser)]
#[command(
    name = "paiban",
    version,
    about = "Typeset a Chinese newspaper feature page from content + layout YAML to PDF"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
fn build_one(layout: &Path, edition: &Path, target: &Path, options: Options) -> Result<(), String> {
    let built = build::build_edition(layout, edition, options).map_err(|e| e.to_string())?;
    print!("{}", built.summary.render(&edition.display().to_string()));
    println!("{}", built.preflight.summary());
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
    println!("  wrote {} ({} KB) and {}", target.display(), built.pdf.len() / 1024, report_path.display());
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { editions, layout, output, out_dir, allow_overset, debug_grid, pdfx, allow_low_res } => {
            let pdfx = match pdfx.as_deref() {
                Some("4") => Some(PdfX::X4),
                Some("1a") => Some(PdfX::X1a),
                Some(_) => Some(PdfX::None),
                None if debug_grid => Some(PdfX::None),
                None => None,
            };
            if !layout.is_file() {
                eprintln!(
                    "error: {}: no such layout file; run paiban in the project folder or pass --layout FILE",
                    layout.display()
                );
                return ExitCode::from(1);
            }
            let editions = if editions.is_empty() {
                match editions_beside(&layout) {
                    Ok(found) => found,
                    Err(message) => {
                        eprintln!("error: {message}");
                        return ExitCode::from(1);
                    }
                }
            } else {
                editions
            };
            if output.is_some() && editions.len() > 1 {
                eprintln!("error: -o names one PDF but {} editions are to be built; use --out-dir", editions.len());
                return ExitCode::from(2);
            }
            let mut failed = 0;
            for edition in &editions {
                let target = output
                    .clone()
                    .unwrap_or_else(|| out_dir.join(edition.file_stem().unwrap_or_default()).with_extension("pdf"));
                let options = Options { allow_overset, debug_grid, pdfx, allow_low_res };
                match build_one(&layout, edition, &target, options) {
                    Ok(()) => {}
                    Err(e) => {
                        eprintln!("error: {e}");
                        failed += 1;
                    }
                }
            }
            if failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
