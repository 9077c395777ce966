//! What the commands take from a build: its diagnostics, the files it read (no output may
//! replace them) and its figures as the lines the terminal shows.

use std::path::Path;

use paiban::build::{self, Built, Options, Session};
use paiban::diagnostic::{Diagnostic, Diagnostics, Severity};
use paiban::output::Inputs;

/// An edition built, with what it reported and the files it read.
pub struct Build {
    pub built: Built,
    pub diagnostics: Diagnostics,
    pub inputs: Inputs,
    /// The summary and the preflight's figures as `name: 1 page(s), …` lines.
    pub summary: String,
}

/// Build an edition in `session`.
pub fn build(session: &Session, layout: &Path, edition: &Path, options: Options) -> Result<Build, Diagnostics> {
    let built = build::build_in(session, layout, edition, options)?;
    let diagnostics = built.diagnostics.clone();
    let summary = format!("{}{}\n", built.summary.render(&edition.display().to_string()), built.preflight.summary());
    let inputs = Inputs::of_job(&built.job);
    Ok(Build { built, diagnostics, inputs, summary })
}

/// Check an edition in `session`: every problem found.
pub fn check(session: &Session, layout: &Path, edition: &Path, options: Options) -> Diagnostics {
    build::check_in(session, layout, edition, options)
}

/// The overset and warnings of a composition (for `preview`, which sets overset text anyway).
pub fn composition_warnings(c: &paiban::layout::Composition) -> Diagnostics {
    let overset = c.overset.iter().map(|d| Diagnostic { severity: Severity::Warning, ..d.clone() });
    overset.chain(c.warnings.iter().cloned()).collect()
}
