//! `paiban check`: everything a build does but write, every problem of every edition,
//! grouped by edition (or one JSON line per edition).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use paiban::build::{Options, Session};
use paiban::diagnostic::{Diagnostic, Diagnostics, Severity};
use rayon::prelude::*;

use crate::adapt;
use crate::cli::Format;
use crate::once::Once;
use crate::term::{json_line, Term};

pub fn run(layout: &Path, editions: Vec<PathBuf>, options: Options, format: Format, term: &Term) -> ExitCode {
    let json = format == Format::Json;
    let editions = match crate::editions_to_do(layout, editions) {
        Ok(e) => e,
        Err(d) => return term.refuse(d, json),
    };
    let session = Session::default();
    let results: Vec<(PathBuf, Diagnostics)> =
        editions.par_iter().map(|e| (e.clone(), adapt::check(&session, layout, e, options))).collect();
    let mut failed = false;
    // What every edition has (a layout's mistake) is said once, with how many have it.
    let mut once = Once::new(results.iter().map(|(_, found)| found));
    for (edition, found) in &results {
        failed |= found.has_errors();
        if json {
            print!("{}", json_line(Some(edition), found, serde_json::json!({})));
        } else {
            term.say(&edition_report(edition, found, term, &mut once));
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `edition: ok|FAILED, N error(s), M warning(s)`, then the errors, then the warnings.
fn edition_report(edition: &Path, found: &Diagnostics, term: &Term, once: &mut Once) -> String {
    let (errors, warnings) = (found.count(Severity::Error), found.count(Severity::Warning));
    let mut out = String::new();
    if !term.quiet() || !found.is_empty() {
        let verdict = if errors == 0 { "ok" } else { "FAILED" };
        out.push_str(&format!("{}: {verdict}, {errors} error(s), {warnings} warning(s)\n", edition.display()));
    }
    let ordered = [Severity::Error, Severity::Warning, Severity::Note];
    for d in ordered.iter().flat_map(|&s| found.of(s)).collect::<Vec<&Diagnostic>>() {
        out.push_str(&once.render(d, "  ", |d, l| term.out(d, l)));
    }
    out
}
