//! `paiban import ARTICLE`: an editor's .docx, Markdown or text file into an edition (the
//! library's `paiban::import`), its images into the project's images/ folder.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use paiban::import::{self, Request};

use crate::term::Term;

pub struct Args {
    pub article: PathBuf,
    pub output: Option<PathBuf>,
    pub layout: PathBuf,
    pub images: Option<PathBuf>,
    pub force: bool,
}

pub fn run(args: Args, term: &Term) -> ExitCode {
    let project = crate::folder_of(&args.layout);
    let stem = args.article.file_stem().map(|s| s.to_os_string()).unwrap_or_else(|| "article".into());
    let edition = args.output.unwrap_or_else(|| project.join("editions").join(Path::new(&stem).with_extension("yaml")));
    let images = args.images.unwrap_or_else(|| project.join("images"));
    let today = today();
    let request = Request {
        article: &args.article,
        edition: &edition,
        images_dir: &images,
        layout: args.layout.is_file().then_some(args.layout.as_path()),
        force: args.force,
        today: &today,
    };
    match import::import(&request) {
        Ok(outcome) => {
            for w in &outcome.warnings {
                print!("{}", term.out(w, ""));
            }
            if !term.quiet() {
                let images = match outcome.images.len() {
                    0 => String::new(),
                    n => format!(" and {n} image(s) in {}", images.display()),
                };
                println!("wrote {}{images}", outcome.edition.display());
                println!("next: paiban check {}", outcome.edition.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            term.fail(&e);
            ExitCode::from(1)
        }
    }
}

/// Today's date in UTC, `YYYY-MM-DD`: the edition's date when the document names none.
fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}
