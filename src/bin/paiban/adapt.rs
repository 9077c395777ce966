//! The one place that turns what the library returns today into [`Diagnostic`]s: an
//! `Error`, `Checked`'s strings, the summary's warning strings and the preflight's
//! `Finding`s, each by its kind or level (never by parsing its text). When the library
//! returns `Diagnostics` itself (`Built::diagnostics`, errors as `Diagnostics`) and `Built`
//! names the files it read, this file goes and its callers take those directly.

use std::path::Path;

use paiban::build::{self, Built, Options, Session};
use paiban::diagnostic::{Diagnostic, Diagnostics};
use paiban::output::Inputs;
use paiban::report::preflight::Level;

/// An edition built, with what it reported and the files it read.
pub struct Build {
    pub built: Built,
    pub diagnostics: Diagnostics,
    pub inputs: Inputs,
    /// The summary and the preflight's figures, without their warnings (those are in
    /// `diagnostics`), as `name: 1 page(s), …` lines.
    pub summary: String,
}

/// Build an edition in `session`.
pub fn build(session: &Session, layout: &Path, edition: &Path, options: Options) -> Result<Build, Diagnostics> {
    let built = build::build_in(session, layout, edition, options).map_err(Diagnostics::from)?;
    let mut diagnostics: Diagnostics = built.summary.warnings.iter().map(Diagnostic::warning).collect();
    diagnostics.extend(built.preflight.findings.iter().map(finding));
    let mut summary = built.summary.clone();
    summary.warnings.clear();
    let mut preflight = built.preflight.clone();
    preflight.findings.clear();
    let summary = format!("{}{}\n", summary.render(&edition.display().to_string()), preflight.summary());
    let inputs = inputs(layout, edition, options.allow_outside).unwrap_or_else(|| Inputs::of([layout, edition]));
    Ok(Build { built, diagnostics, inputs, summary })
}

/// The files a build of `edition` reads, when its YAML files can be read: the job is read
/// again (a millisecond) for the names of its files, until `Built` and errors carry them.
pub fn inputs(layout: &Path, edition: &Path, allow_outside: bool) -> Option<Inputs> {
    paiban::model::Job::load_confined(layout, edition, allow_outside).ok().map(|job| Inputs::of_job(&job))
}

/// Check an edition in `session`: every problem found. This is `build::check_in` with the
/// errors kept as errors (their file, line and column for `--format json`), not strings.
pub fn check(session: &Session, layout: &Path, edition: &Path, options: Options) -> Diagnostics {
    let options = Options { allow_overset: true, ..options };
    let c = match build::compose_in(session, layout, edition, options) {
        Ok(c) => c,
        Err(e) => return Diagnostics::from(e),
    };
    // With overset allowed, what would have failed the build comes back set: an error here.
    let mut all: Diagnostics = c.composition.overset.iter().map(Diagnostic::error).collect();
    all.extend(c.composition.warnings.iter().map(Diagnostic::warning));
    let preflight = paiban::report::preflight::check(&c.job, &c.fonts, &c.images, &c.composition, false);
    all.extend(preflight.findings.iter().map(finding));
    all
}

fn finding(f: &paiban::report::preflight::Finding) -> Diagnostic {
    match f.level {
        Level::Error => Diagnostic::error(&f.message),
        Level::Warning => Diagnostic::warning(&f.message),
    }
}

/// The overset and warnings of a composition (for `preview`, which sets overset text anyway).
pub fn composition_warnings(c: &paiban::layout::Composition) -> Diagnostics {
    c.overset.iter().chain(&c.warnings).map(Diagnostic::warning).collect()
}
