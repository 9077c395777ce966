//! `paiban serve`: the live proof in the browser (the library's `proof::server`); this
//! file binds, says where to look and prints a line per build.

use std::path::PathBuf;
use std::process::ExitCode;

use paiban::proof::{server::Server, Clock, Settings};

use crate::term::Term;

pub fn run(settings: Settings, port: u16, term: &Term) -> ExitCode {
    // Before any thread starts (see Clock).
    let clock = Clock::local();
    if !settings.layout.is_file() || !settings.edition.is_file() {
        let (layout, edition) = (settings.layout.display(), settings.edition.display());
        term.fail_with(format!("{layout} or {edition} does not exist"));
        return ExitCode::from(1);
    }
    let server = match Server::bind(port) {
        Ok(s) => s,
        Err(d) => {
            term.fail(&d);
            return ExitCode::from(1);
        }
    };
    // Always printed, -q or not: a test or a script reads the port from it.
    println!("serving the proof of {} at {} (Ctrl-C to stop)", settings.edition.display(), server.url());
    let mut folders: Vec<PathBuf> = Vec::new();
    let dpi = settings.dpi;
    let failed = server.run(settings, clock, |outcome, changes| {
        if !term.quiet() {
            println!("{}", outcome.headline());
            if let Some(proof) = &outcome.proof {
                let pages = proof.pages.len();
                let stages: Vec<String> = outcome.stages.iter().map(|(stage, s)| format!("{stage} {s:.2} s")).collect();
                let kept = &outcome.kept;
                let photos = format!("{} photo(s) decoded, {} kept", kept.photos_decoded, kept.photos_kept);
                println!("  drew {pages} page(s) and their overlays at {dpi} dpi ({photos}); {}", stages.join(", "));
            }
            let now: Vec<PathBuf> = changes.folders().map(PathBuf::from).collect();
            if now.len() > folders.len() {
                let list: Vec<String> = now.iter().map(|d| d.display().to_string()).collect();
                println!("watching {} for changes", list.join(", "));
                folders = now;
            }
        }
        for d in outcome.diagnostics.iter() {
            eprint!("{}", if d.is_error() { term.err(d, "") } else { term.out(d, "  ") });
        }
    });
    term.fail(&failed);
    ExitCode::from(1)
}
