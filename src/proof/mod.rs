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

use crate::build::{Composed, Options, Session};
use crate::diagnostic::Diagnostics;
use crate::fonts::FontBook;
use crate::images::Image;
use crate::layout;
use crate::model::Job;
use crate::output::Inputs;
use crate::render::png::{self, Kept, KeptStats};
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
    /// The resolution the pages are drawn at: [`QUICK_DPI`] for the rough first proof.
    pub dpi: f32,
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
    /// Each stage and its seconds: compose (reading the files too), photos (made ready
    /// for the press, from the cache), preflight, draw (at 32 dpi first, then the full).
    pub stages: Vec<(&'static str, f64)>,
    /// What drawing the pages took from the drawings before (photos decoded or kept).
    pub kept: KeptStats,
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

/// Below this resolution a proof is drawn once; above it a first, rough one at this
/// resolution is shown while the sharp one is drawn (about a tenth of the pixels at 96 dpi).
pub const QUICK_DPI: f32 = 32.0;

/// Compose the edition, overset allowed and the overlay drawn, and draw its pages. The
/// photos are those of the PDF (downsampled, converted to the output intent's CMYK under
/// the ink limit, from the photo cache), shown through the output profile as `preview`
/// shows them: the proof shows what prints. Drawing costs more than composing, so at more
/// than twice [`QUICK_DPI`] the pages are drawn at that first and `quick` is given that
/// outcome to show; the outcome returned has the pages at `settings.dpi`.
pub fn build(
    settings: &Settings,
    why: &str,
    clock: &Clock,
    session: &mut FreshSession,
    quick: impl FnOnce(&Outcome),
) -> Outcome {
    let (start, stamp) = (Instant::now(), clock.now());
    let mut inputs = Inputs::of([&settings.layout, &settings.edition]);
    let mut stages = Vec::new();
    let outcome = |diagnostics, proof, summary, stages: &[(&'static str, f64)], inputs: &Inputs| Outcome {
        stamp: stamp.clone(),
        why: why.to_owned(),
        seconds: start.elapsed().as_secs_f64(),
        draw_seconds: stages.iter().filter(|(name, _)| name.starts_with("draw")).map(|(_, s)| s).sum(),
        stages: stages.to_vec(),
        kept: KeptStats::default(),
        summary,
        diagnostics,
        proof,
        inputs: inputs.clone(),
    };
    let composed = compose(settings, &mut inputs, session, &mut stages);
    let Composed { job, composition, fonts, images } = match composed {
        Err(all) => return outcome(all, None, String::new(), &stages, &inputs),
        Ok(c) => c,
    };
    let timed = Instant::now();
    let pre = preflight::check(&job, &fonts, &images, &composition, false);
    let name = settings.edition.display().to_string();
    let summary = format!("{}{}\n", report::summarize(&composition).render(&name), pre.summary());
    let mut found = Diagnostics::new();
    found.extend(composition.overset.iter().cloned());
    found.extend(composition.warnings.iter().cloned());
    found.extend(pre.diagnostics());
    found.reword(&|m: &str| job.readable_in(m));
    stages.push(("preflight", timed.elapsed().as_secs_f64()));
    let kept = &session.kept;
    let draw = |dpi: f32, stages: &mut Vec<(&'static str, f64)>, stage: &'static str| {
        let timed = Instant::now();
        let drawn = draw(kept, dpi, &job, &composition, &fonts, &images);
        stages.push((stage, timed.elapsed().as_secs_f64()));
        drawn
    };
    if settings.dpi > 2.0 * QUICK_DPI {
        if let Ok(rough) = draw(QUICK_DPI, &mut stages, "draw at 32 dpi") {
            quick(&outcome(found.clone(), Some(Arc::new(rough)), summary.clone(), &stages, &inputs));
        }
    }
    let drawn = draw(settings.dpi, &mut stages, "draw");
    let mut done = match drawn {
        Ok(proof) => outcome(found, Some(Arc::new(proof)), summary, &stages, &inputs),
        Err(e) => {
            found.push_error(e);
            outcome(found, None, summary, &stages, &inputs)
        }
    };
    done.kept = kept.sweep();
    done
}

/// A file's size and modification time, as far as they can be read.
type Stamp = Option<(u64, std::time::SystemTime)>;

/// What `watch` and `serve` keep from one rebuild to the next: the build session, so that
/// the fonts are parsed once (the demo's CJK faces are 24 MB) with their last subsets and
/// the photos converted for the press stay in memory, and what drawing the proofs keeps
/// ([`Kept`]: the soft-proof transform, the photos decoded for the screen, the glyph
/// outlines). The session is made anew when a font file it has read has changed since
/// (its size or modification time), so that a font that changed is read again; a photo
/// or the profile changing needs nothing of the kind, as what is kept of them is found
/// by their bytes.
#[derive(Default)]
pub struct FreshSession {
    session: Session,
    /// Every font file the session has read: its stamp when first named.
    fonts: Vec<(PathBuf, Stamp)>,
    pub kept: Kept,
}

impl FreshSession {
    /// The session for `job`, before it is built: the last one, unless one of the job's
    /// fonts is not as it was when the session first read it.
    pub fn for_job(&mut self, job: &Job) -> &Session {
        let stamp = |p: &Path| -> Stamp { std::fs::metadata(p).and_then(|m| Ok((m.len(), m.modified()?))).ok() };
        let now: Vec<(PathBuf, Stamp)> = job.fonts.iter().map(|f| (f.path.clone(), stamp(&f.path))).collect();
        let changed = now.iter().any(|(path, is)| self.fonts.iter().any(|(p, was)| p == path && was != is));
        if changed {
            self.session = Session::default();
            self.fonts.clear();
        }
        for (path, is) in now {
            if !self.fonts.iter().any(|(p, _)| *p == path) {
                self.fonts.push((path, is));
            }
        }
        &self.session
    }

    /// The session as it is (for a build whose job could not be read first).
    pub fn session(&self) -> &Session {
        &self.session
    }
}

/// The composition with its photos prepared for the press, with the files it read added
/// to `inputs` (as far as the YAML files could be read).
/// The time of each stage is added to `stages`.
fn compose(
    settings: &Settings,
    inputs: &mut Inputs,
    session: &mut FreshSession,
    stages: &mut Vec<(&'static str, f64)>,
) -> Result<Composed, Diagnostics> {
    let timed = Instant::now();
    let job = Job::load_confined(&settings.layout, &settings.edition, settings.allow_outside)?;
    inputs.extend(&Inputs::of_job(&job));
    let session = session.for_job(&job);
    let options =
        Options { allow_overset: true, debug_grid: true, allow_outside: settings.allow_outside, ..Options::default() };
    // The overlay makes `build` drop its PDF/X claim; the proof's preflight is the build's.
    let pdfx = job.print.pdfx;
    let mut composed = crate::build::compose_job(session, job, options)?;
    composed.job.print.pdfx = pdfx;
    stages.push(("compose", timed.elapsed().as_secs_f64()));
    let timed = Instant::now();
    let prepared = crate::build::prepare_photos(session, composed)?;
    stages.push(("photos", timed.elapsed().as_secs_f64()));
    Ok(prepared)
}

/// Every page and its overlay at `dpi`, and the map. Pages and overlays are drawn in
/// parallel: each is the same picture whatever the order.
fn draw(
    kept: &Kept,
    dpi: f32,
    job: &Job,
    c: &layout::Composition,
    fonts: &Arc<FontBook>,
    images: &[Image],
) -> crate::Result<Proof> {
    use rayon::prelude::*;
    let display = &c.display;
    // CMYK shown through the output intent's profile, as `preview` shows it.
    let profile = &crate::images::prepare::Settings::for_print(&job.print)?.profile;
    let pages = (0..display.pages.len())
        .into_par_iter()
        .map(|page| {
            let (png, overlay) = rayon::join(
                || png::render_page_kept(kept, display, fonts, images, page, dpi, profile),
                || png::render_overlay_kept(kept, display, fonts, page, dpi, profile),
            );
            Ok(PageImages { png: png?, overlay: overlay? })
        })
        .collect::<crate::Result<Vec<_>>>()?;
    Ok(Proof { width: display.width, height: display.height, dpi, pages, map: map::map(job, c) })
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
