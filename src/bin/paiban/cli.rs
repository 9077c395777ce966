//! The command line: its commands, flags and their values (clap).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use paiban::spec::layout::PdfX;

#[derive(Parser)]
#[command(
    name = "paiban",
    version,
    about = "Typeset a Chinese newspaper feature page from content + layout YAML to PDF"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Also read fonts, photos and profiles that lie outside the layout's folder (by
    /// default a project may name only its own files).
    #[arg(long, global = true)]
    pub allow_outside: bool,
    /// Print only errors and warnings.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print each font, photo (pixels, placed size, ppi, colour space) and colour the
    /// preflight measured, and the time spent composing and rendering.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// The PDF/X standard, as the command line names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PdfxArg {
    /// PDF/X-4
    #[value(name = "4")]
    X4,
    /// PDF/X-1a:2001
    #[value(name = "1a")]
    X1a,
    /// No PDF/X claim
    None,
}

impl From<PdfxArg> for PdfX {
    fn from(arg: PdfxArg) -> PdfX {
        match arg {
            PdfxArg::X4 => PdfX::X4,
            PdfxArg::X1a => PdfX::X1a,
            PdfxArg::None => PdfX::None,
        }
    }
}

/// How build and check report: for a person, or one JSON object per edition for a machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// A proof's resolution: 10 to 600 dpi (a usage error otherwise).
fn dpi(text: &str) -> Result<f32, String> {
    let dpi: f32 = text.parse().map_err(|_| format!("`{text}` is not a number"))?;
    if (10.0..=600.0).contains(&dpi) {
        Ok(dpi)
    } else {
        Err(format!("{text} dpi: a proof is drawn at 10 to 600 dpi"))
    }
}

/// `--jobs`: at least 1 (a usage error otherwise; it is capped when the build starts).
fn jobs(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err("at least one edition must be built at a time".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// A PNG proof of a page, drawn in-process from the same display list as the PDF.
    #[command(after_help = "Example:\n  paiban preview editions/2024.yaml --dpi 72 -o page.png")]
    Preview {
        /// The edition file to draw.
        edition: PathBuf,
        /// The layout file.
        #[arg(long, default_value = "layout.yaml")]
        layout: PathBuf,
        /// The page, from 1.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        page: u32,
        /// Resolution of the proof, 10 to 600.
        #[arg(long, default_value_t = 72.0, value_parser = dpi)]
        dpi: f32,
        /// The PNG to write.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Rebuild an edition's PDF whenever the layout, the edition, a font or a photo
    /// changes; print the time, what changed and the summary or the errors each time.
    #[command(
        after_help = "Example:\n  paiban watch editions/2024.yaml -o proof.pdf --preview proofs/     # Ctrl-C to stop"
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
        /// Also keep PNG proofs of every page up to date in this folder (page-1.png, …).
        #[arg(long, value_name = "DIR")]
        preview: Option<PathBuf>,
        /// Resolution of the PNG proofs, 10 to 600.
        #[arg(long, default_value_t = 72.0, requires = "preview", value_parser = dpi)]
        dpi: f32,
    },
    /// A live proof in the browser: every page, rebuilt and reloaded on every save of the
    /// layout, the edition, a font or a photo, with the grid overlay, the summary, every
    /// diagnostic and, for a click on the page, where a line or frame comes from.
    #[command(
        after_help = "Example:\n  paiban serve editions/2024.yaml --port 8024     # then open http://127.0.0.1:8024/"
    )]
    Serve {
        /// The edition file; default: the first editions/*.yaml beside the layout.
        edition: Option<PathBuf>,
        /// The layout file.
        #[arg(long, default_value = "layout.yaml")]
        layout: PathBuf,
        /// The port on 127.0.0.1 (0: any free port; the URL is printed).
        #[arg(long, default_value_t = 8024)]
        port: u16,
        /// Resolution of the page images, 10 to 600.
        #[arg(long, default_value_t = 96.0, value_parser = dpi)]
        dpi: f32,
    },
    /// Print the JSON Schema of layout.yaml or of an edition file (for editors: the sample
    /// files name theirs on their first line).
    #[command(after_help = "Examples:\n  paiban schema layout > schemas/layout.schema.json\n  paiban schema edition")]
    Schema {
        #[arg(value_parser = ["layout", "edition"])]
        which: String,
    },
    /// Start a new project from the demo: layout.yaml, one edition, the fonts, photos,
    /// ICC profiles with their licences, and the JSON Schemas for editors.
    #[command(after_help = "Example:\n  paiban init my-page && cd my-page && paiban build")]
    Init {
        /// The new project's folder (created; it must be empty or not exist).
        dir: PathBuf,
    },
    /// Turn an article (.docx, .md or .txt) into an edition: headings into the headline and
    /// section heads, bold run-in heads, images (with their captions) into images/. What
    /// could not be mapped is listed.
    #[command(
        after_help = "Examples:\n  paiban import report.docx                  # writes editions/report.yaml, images/report-1.jpg, …\n  paiban import notes.md -o editions/2025.yaml --force"
    )]
    Import {
        /// The article: a Word .docx, a Markdown .md or a plain .txt file.
        article: PathBuf,
        /// The edition to write; default editions/ARTICLE.yaml beside the layout.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The layout whose picture frames name the photo ids the images take.
        #[arg(long, default_value = "layout.yaml")]
        layout: PathBuf,
        /// The folder the images go to; default images/ beside the layout.
        #[arg(long, value_name = "DIR")]
        images: Option<PathBuf>,
        /// Replace an edition or image file that exists.
        #[arg(long)]
        force: bool,
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
        /// The PDF/X standard to check against.
        #[arg(long, value_enum)]
        pdfx: Option<PdfxArg>,
        /// `json`: one JSON object per edition, with its diagnostics, one per line.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Build editions to PDF.
    #[command(
        after_help = "Examples:\n  paiban build                      # every editions/*.yaml into out/\n  paiban build editions/2024.yaml -o page.pdf\n  paiban build editions/2024.yaml --layout tabloid.yaml --out-dir dist/"
    )]
    Build(BuildArgs),
}

#[derive(clap::Args)]
pub struct BuildArgs {
    /// Edition files; default: every editions/*.yaml beside the layout.
    pub editions: Vec<PathBuf>,
    /// The layout file.
    #[arg(long, default_value = "layout.yaml")]
    pub layout: PathBuf,
    /// Output PDF (only when one edition is built).
    #[arg(short, long, conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
    /// Folder for the PDFs, named after the edition files.
    #[arg(long, default_value = "out")]
    pub out_dir: PathBuf,
    /// Set what fits and warn about overset text instead of failing.
    #[arg(long)]
    pub allow_overset: bool,
    /// Overlay the grid, frames, thread order and wrap contours in a non-printing layer
    /// (the PDF is then a proof: no PDF/X claim).
    #[arg(long)]
    pub debug_grid: bool,
    /// The PDF/X standard; default: the layout's `print.pdfx`.
    #[arg(long, value_enum)]
    pub pdfx: Option<PdfxArg>,
    /// Accept photos below the minimum resolution (a warning instead of an error).
    #[arg(long)]
    pub allow_low_res: bool,
    /// Editions built at once, at least 1 (default: every core; never more than there are
    /// editions, nor more than twice the cores). The PDFs are the same whatever it is.
    #[arg(short, long, value_parser = jobs)]
    pub jobs: Option<u64>,
    /// `json`: one JSON object per edition, with its diagnostics, one per line.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}
