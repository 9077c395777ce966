//! The `paiban` command: a thin shell over the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use paiban::build::{self, Options};

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
        /// Overlay the grid, frames, thread order and wrap contours in a non-printing layer.
        #[arg(long)]
        debug_grid: bool,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { editions, layout, output, out_dir, allow_overset, debug_grid } => {
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
                let result = build::build_edition(&layout, edition, Options { allow_overset, debug_grid })
                    .and_then(|built| build::write_atomically(&target, &built.pdf).map(|()| built));
                match result {
                    Ok(built) => {
                        print!("{}", built.summary.render(&edition.display().to_string()));
                        println!("  wrote {} ({} KB)", target.display(), built.pdf.len() / 1024);
                    }
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
