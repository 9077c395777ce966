//! The live proof (`paiban serve`): an edition composed for the designer's screen, every
//! page drawn to a PNG with its grid overlay beside it, the build's summary and every
//! diagnostic, and a map from what is on the pages to where it comes from. [`server`]
//! serves it to a browser and rebuilds it when an input changes ([`changes`]).

pub mod changes;
pub mod map;
pub mod server;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::build::Session;
use crate::diagnostic::Diagnostics;
use crate::fonts::FontBook;
use crate::images::Image;
use crate::layout;
use crate::model::Job;
use crate::output::Inputs;
use crate::render::png;
use crate::report::{self, preflight};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct Settings {
    pub layout: PathBuf,
    pub edition: PathBuf,
    /// Resolution of the page images.
    pub dpi: f32,
    /// Read fonts, photos and profiles from outside the layout's folder too.
    pub allow_outside: bool,
}

/// One page of a proof: the page and its overlay (same size, transparent ground).
pub struct PageImages {
    pub png: Vec<u8>,
    pub overlay: Vec<u8>,
}

/// The pages of a good build.
pub struct Proof {
    /// The trimmed page in points.
    pub width: f32,
    pub height: f32,
    pub pages: Vec<PageImages>,
    /// What each frame and line is and where it comes from ([`map::map`]).
    pub map: serde_json::Value,
}

/// What one build came to.
pub struct Outcome {
    /// When it started (`HH:MM:SS`), why, and how long it took.
    pub stamp: String,
    pub why: String,
    pub seconds: f64,
    /// Of which drawing the pages and their overlays (the rest is reading and composing).
    pub draw_seconds: f64,
    /// The summary lines, as `build` prints them (empty when the build failed).
    pub summary: String,
    /// Every error, warning and note. Overset text is an error here, though its page is
    /// drawn: the build would refuse it.
    pub diagnostics: Diagnostics,
    /// The pages, unless an error stopped the composition.
    pub proof: Option<Arc<Proof>>,
    /// The files the build read (or would have read): what to watch.
    pub inputs: Inputs,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.proof.is_some() && !self.diagnostics.has_errors()
    }

    /// The line a build starts with in the terminal: `14:03:05 layout.yaml changed: rebuilt in 0.39 s`.
    pub fn headline(&self) -> String {
        let verdict = if self.ok() { "rebuilt" } else { "FAILED" };
        format!("{} {}: {verdict} in {:.2} s", self.stamp, self.why, self.seconds)
    }
}

/// Compose the edition, overset allowed and the overlay drawn, and draw its pages. A
/// fresh session each time: a font that changed is read again.
pub fn build(settings: &Settings, why: &str, clock: &Clock) -> Outcome {
    let (start, stamp) = (Instant::now(), clock.now());
    let mut inputs = Inputs::of([&settings.layout, &settings.edition]);
    let mut summary = String::new();
    let mut draw_seconds = 0.0;
    let (diagnostics, proof) = match compose(settings, &mut inputs) {
        Err(all) => (all, None),
        Ok((job, composition, fonts, images)) => {
            let pre = preflight::check(&job, &fonts, &images, &composition, false);
            let name = settings.edition.display().to_string();
            summary = format!("{}{}\n", report::summarize(&composition).render(&name), pre.summary());
            let mut found = Diagnostics::new();
            found.extend(composition.overset.iter().cloned());
            found.extend(composition.warnings.iter().cloned());
            found.extend(pre.diagnostics());
            let drawing = Instant::now();
            let drawn = draw(settings.dpi, &job, &composition, &fonts, &images);
            draw_seconds = drawing.elapsed().as_secs_f64();
            match drawn {
                Ok(proof) => (found, Some(Arc::new(proof))),
                Err(e) => {
                    found.push_error(e);
                    (found, None)
                }
            }
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    Outcome { stamp, why: why.to_owned(), seconds, draw_seconds, summary, diagnostics, proof, inputs }
}

type Composed = (Job, layout::Composition, Arc<FontBook>, Vec<Image>);

/// The composition, with the files it read added to `inputs` (as far as the YAML files
/// could be read).
fn compose(settings: &Settings, inputs: &mut Inputs) -> Result<Composed, Diagnostics> {
    let job = Job::load_confined(&settings.layout, &settings.edition, settings.allow_outside)?;
    inputs.extend(&Inputs::of_job(&job));
    let fonts = Session::default().fonts(&job)?;
    let images = crate::error::collect(job.photos.iter().map(|p| Image::load(&p.path, &p.asked_at)))?;
    let options = layout::Options { allow_overset: true, debug_grid: true };
    let composition = layout::compose(&job, &fonts, &images, options)?;
    Ok((job, composition, fonts, images))
}

/// Every page and its overlay at `dpi`, and the map. Pages and overlays are drawn in
/// parallel: each is the same picture whatever the order.
fn draw(dpi: f32, job: &Job, c: &layout::Composition, fonts: &FontBook, images: &[Image]) -> crate::Result<Proof> {
    use rayon::prelude::*;
    let display = &c.display;
    // CMYK shown through the output intent's profile, as `preview` shows it.
    let profile = &crate::images::prepare::Settings::for_print(&job.print)?.profile;
    let pages = (0..display.pages.len())
        .into_par_iter()
        .map(|page| {
            let (png, overlay) = rayon::join(
                || png::render_page(display, fonts, images, page, dpi, profile),
                || png::render_overlay(display, fonts, page, dpi, profile),
            );
            Ok(PageImages { png: png?, overlay: overlay? })
        })
        .collect::<crate::Result<Vec<_>>>()?;
    Ok(Proof { width: display.width, height: display.height, pages, map: map::map(job, c) })
}

/// Wall-clock time stamps in local time. The offset is read once, when the clock is made,
/// before any thread starts (the `time` crate reads it only then: the C library's time
/// zone state is not thread-safe), so a watch running across a change to summer time keeps
/// the old offset.
pub struct Clock(time::UtcOffset);

impl Clock {
    pub fn local() -> Clock {
        Clock(time::UtcOffset::current_local_offset().unwrap_or(time::UtcOffset::UTC))
    }

    /// `HH:MM:SS`.
    pub fn now(&self) -> String {
        let t = time::OffsetDateTime::now_utc().to_offset(self.0);
        format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    }
}

/// `path` absolute, for a link an editor opens (`vscode://file/ABS:LINE:COL`).
pub fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| std::env::current_dir().map(|d| d.join(path)).unwrap_or(path.to_owned()))
}
