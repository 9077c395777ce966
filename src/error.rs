//! Errors a user can act on: every input error names the file, line and column, the key
//! path and what was expected; every missing thing names what is missing and where it
//! was asked for.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in an input file, 1-based line and column, with the source line for a snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The text of the line, shown under the message with a caret.
    pub source_line: Option<String>,
}

impl Location {
    pub fn new(file: &Path, line: usize, column: usize, source: Option<&str>) -> Location {
        let source_line = source.and_then(|s| s.lines().nth(line.saturating_sub(1)).map(str::to_owned));
        Location { file: file.to_owned(), line, column, source_line }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// The source line under a message, with a caret under the column.
pub(crate) fn write_snippet(f: &mut fmt::Formatter<'_>, loc: &Location) -> fmt::Result {
    if let Some(line) = &loc.source_line {
        let number = loc.line.to_string();
        let pad = " ".repeat(number.len());
        // The caret must sit under the column in display cells: CJK characters take two.
        let cells: usize =
            line.chars().take(loc.column.saturating_sub(1)).map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum();
        write!(f, "\n{pad} |\n{number} | {line}\n{pad} | {}^", " ".repeat(cells))?;
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file is not valid YAML, or does not match the expected shape.
    #[error("{location}: {message}{}", Snippet(location))]
    Input { location: Location, message: String },

    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },

    /// A font file, image file or other asset that the input names is missing or broken.
    #[error("{location}: {what} `{}` {problem}{}", path.display(), Snippet(location))]
    Asset { what: &'static str, path: PathBuf, problem: String, location: Box<Location> },

    /// Text that does not fit its frames.
    #[error("{0}")]
    Overset(String),

    /// Writing the PDF failed.
    #[error("PDF output: {0}")]
    Pdf(String),

    /// Several problems of the same kind, all reported at once (every missing file, every
    /// character no font covers).
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Error>),
}

impl Error {
    /// The errors this one stands for: itself, or the members of a `Many`.
    pub fn into_list(self) -> Vec<Error> {
        match self {
            Error::Many(all) => all.into_iter().flat_map(Error::into_list).collect(),
            other => vec![other],
        }
    }

    /// One error for `errors` (at least one): itself when alone, else a flat `Many`.
    pub fn from_list(errors: Vec<Error>) -> Error {
        let mut flat: Vec<Error> = errors.into_iter().flat_map(Error::into_list).collect();
        if flat.len() == 1 {
            flat.remove(0)
        } else {
            Error::Many(flat)
        }
    }
}

/// One error, or all of them together.
pub fn collect<T>(results: impl IntoIterator<Item = Result<T>>) -> Result<Vec<T>> {
    let (mut ok, mut errors) = (Vec::new(), Vec::new());
    for r in results {
        match r {
            Ok(v) => ok.push(v),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(Error::from_list(errors))
    }
}

struct Snippet<'a>(&'a Location);

impl fmt::Display for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_snippet(f, self.0)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io { path: path.to_owned(), source }
    }
}
