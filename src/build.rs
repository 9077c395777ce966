//! One edition through the whole pipeline.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::error::Result;
use crate::fonts::FontBook;
use crate::images::Image;
use crate::layout::{self, Composition};
use crate::model::Job;
use crate::render::{self, Metadata};
use crate::report::preflight::{self, Preflight};
use crate::report::{self, Summary};
use crate::spec::layout::PdfX;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub allow_overset: bool,
    /// Add the designer's overlay (grid, frames, wrap contours) as a non-printing layer.
    pub debug_grid: bool,
    /// The PDF/X standard, instead of the layout's `print.pdfx`.
    pub pdfx: Option<PdfX>,
    /// Photos below the minimum resolution are a warning, not an error.
    pub allow_low_res: bool,
    /// Read fonts, photos and profiles from outside the layout's folder too.
    pub allow_outside: bool,
}

impl Options {
    /// The PDF/X standard to make, given the layout's: `--debug-grid` makes a proof, whose
    /// overlay layer PDF/X does not allow, so it means no PDF/X whatever was asked.
    pub fn pdfx_over(&self, layout: PdfX) -> PdfX {
        match (self.debug_grid, self.pdfx) {
            (true, _) => PdfX::None,
            (false, Some(asked)) => asked,
            (false, None) => layout,
        }
    }

    /// Options that contradict each other, said as the command line says them.
    pub fn conflict(&self) -> Option<&'static str> {
        (self.debug_grid && matches!(self.pdfx, Some(PdfX::X4 | PdfX::X1a)))
            .then_some("--debug-grid makes a proof with a layer PDF/X does not allow; leave out --pdfx")
    }
}

pub struct Built {
    pub pdf: Vec<u8>,
    /// What it was built from: the files it read are named there.
    pub job: Job,
    /// Every warning and note of the build (composition, preflight), and the errors that
    /// were allowed (overset with `allow_overset`); a preflight error means the PDF must not
    /// go to press.
    pub diagnostics: Diagnostics,
    pub composition: Composition,
    pub summary: Summary,
    pub preflight: Preflight,
    /// The faces and photos the composition uses, to draw proofs from it.
    pub fonts: Arc<FontBook>,
    pub images: Vec<Image>,
    /// Seconds spent composing (parse to display list) and rendering (display list to PDF).
    pub timings: Timings,
}

/// Where an edition's time went, in seconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading the YAML files to the prepared photos: `job` + `fonts` + `photos` +
    /// `layout` + `prepare` and the little between them.
    pub compose: f64,
    /// The preflight, the PDF and the summary: `preflight` + `pdf` and the rest.
    pub render: f64,
    /// Parsing and checking the layout and the edition.
    pub job: f64,
    /// The session's fonts (mapped and checked by the first edition only).
    pub fonts: f64,
    /// The photos' files and headers (read by the first edition only, in a session).
    pub photos: f64,
    /// Composing: line breaking, wrap, flow, the copy-fit's tries.
    pub layout: f64,
    /// The photos made ready for the press (from the photo cache, or converted).
    pub prepare: f64,
    /// The preflight's checks and its read-back of the PDF.
    pub preflight: f64,
    /// Writing the PDF, of which `subset` cutting fonts and `compress` deflating streams.
    pub pdf: f64,
    pub subset: f64,
    pub compress: f64,
}

/// An edition composed, with what it was composed from.
pub struct Composed {
    pub job: Job,
    pub fonts: Arc<FontBook>,
    pub images: Vec<Image>,
    pub composition: Composition,
}

/// The font files (path, face index) a layout names: the key fonts are shared under.
type FontKey = Vec<(PathBuf, u32)>;

/// What editions built in one process share: fonts are read and parsed once, photos
/// converted once.
pub struct Session {
    fonts: Mutex<HashMap<FontKey, Arc<FontBook>>>,
    /// Photo files as read, shared by the session's editions while they do not change.
    pub sources: crate::images::shared::Sources,
    /// Photos converted for the press, shared by the session's editions.
    pub photos: crate::images::cache::Cache,
}

impl Default for Session {
    fn default() -> Session {
        Session::with_photo_cache(crate::images::cache::Cache::for_user())
    }
}

impl Session {
    pub fn with_photo_cache(photos: crate::images::cache::Cache) -> Session {
        Session { fonts: Mutex::default(), sources: Default::default(), photos }
    }

    /// The fonts a job names, loaded on first use and shared after.
    pub fn fonts(&self, job: &Job) -> Result<Arc<FontBook>> {
        let key: FontKey = job.fonts.iter().map(|f| (f.path.clone(), f.index)).collect();
        if let Some(book) = self.fonts.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(book.clone());
        }
        let book = Arc::new(FontBook::load(&job.fonts)?);
        self.fonts.lock().unwrap_or_else(|e| e.into_inner()).insert(key, book.clone());
        Ok(book)
    }
}

/// Compose an edition without writing anything.
pub fn compose(layout_path: &Path, edition_path: &Path, options: Options) -> Result<Composed, Diagnostics> {
    compose_in(&Session::default(), layout_path, edition_path, options)
}

/// Compose an edition in a session (fonts shared with the session's other editions).
pub fn compose_in(
    session: &Session,
    layout_path: &Path,
    edition_path: &Path,
    options: Options,
) -> Result<Composed, Diagnostics> {
    compose_timed(session, layout_path, edition_path, options, &mut Timings::default())
}

/// [`compose_in`], with the time of each phase in `timings`.
fn compose_timed(
    session: &Session,
    layout_path: &Path,
    edition_path: &Path,
    options: Options,
    timings: &mut Timings,
) -> Result<Composed, Diagnostics> {
    let job = timed(&mut timings.job, || Job::load_confined(layout_path, edition_path, options.allow_outside))?;
    compose_job_timed(session, job, options, timings)
}

/// Run `f`, adding its seconds to `slot`.
fn timed<T>(slot: &mut f64, f: impl FnOnce() -> T) -> T {
    let start = std::time::Instant::now();
    let out = f();
    *slot += start.elapsed().as_secs_f64();
    out
}

/// Compose a job loaded already (`serve` loads it first, to watch the files it names
/// even when composing fails).
pub fn compose_job(session: &Session, job: Job, options: Options) -> Result<Composed, Diagnostics> {
    compose_job_timed(session, job, options, &mut Timings::default())
}

fn compose_job_timed(
    session: &Session,
    mut job: Job,
    options: Options,
    timings: &mut Timings,
) -> Result<Composed, Diagnostics> {
    job.print.pdfx = options.pdfx_over(job.print.pdfx);
    let fonts = timed(&mut timings.fonts, || session.fonts(&job))?;
    let images = timed(&mut timings.photos, || {
        crate::error::collect(job.photos.iter().map(|p| session.sources.load(&p.path, &p.asked_at)))
    })?;
    let layout_options = layout::Options { allow_overset: options.allow_overset, debug_grid: options.debug_grid };
    let reword = |m: &str| job.readable_in(m);
    let mut composition = timed(&mut timings.layout, || layout::compose(&job, &fonts, &images, layout_options))
        .map_err(|mut all| {
            all.reword(&reword);
            all
        })?;
    composition.warnings.extend(crate::model::advice::warnings(&job));
    // Key paths in words (`page 1, frame `body``), as the model's own errors say them.
    job.reword(composition.overset.iter_mut().chain(&mut composition.warnings));
    composition.fit_changes = composition.fit_changes.iter().map(|c| reword(c)).collect();
    Ok(Composed { job, fonts, images, composition })
}

/// The composed edition's photos made ready for the press (downsampled, converted to the
/// output intent's CMYK under the ink limit; from the session's cache when they were
/// before), as the PDF and the proof show them.
pub fn prepare_photos(session: &Session, composed: Composed) -> Result<Composed, Diagnostics> {
    let settings = crate::images::prepare::Settings::for_print(&composed.job.print)?;
    prepare_photos_with(session, composed, &settings)
}

fn prepare_photos_with(
    session: &Session,
    composed: Composed,
    settings: &crate::images::prepare::Settings,
) -> Result<Composed, Diagnostics> {
    let Composed { job, fonts, images, composition } = composed;
    let images =
        crate::images::prepare::prepare_all(images, &composition.display, &job.photos, settings, &session.photos)?;
    Ok(Composed { job, fonts, images, composition })
}

/// Page `page` (0-based) as a PNG proof at `dpi`, its CMYK shown through the job's output
/// profile. `images` should be prepared (`prepare_photos`), so the proof shows the
/// converted photos.
pub fn proof_page(
    job: &Job,
    display: &layout::DisplayList,
    fonts: &FontBook,
    images: &[Image],
    page: usize,
    dpi: f32,
) -> Result<Vec<u8>, Diagnostics> {
    let settings = crate::images::prepare::Settings::for_print(&job.print)?;
    Ok(render::png::render_page(display, fonts, images, page, dpi, &settings.profile)?)
}

/// Build an edition to PDF bytes in memory, with its preflight. The PDF should not go to
/// press when the preflight has errors.
pub fn build_edition(layout_path: &Path, edition_path: &Path, options: Options) -> Result<Built, Diagnostics> {
    build_in(&Session::default(), layout_path, edition_path, options)
}

/// Build an edition in a session (fonts shared with the session's other editions).
pub fn build_in(
    session: &Session,
    layout_path: &Path,
    edition_path: &Path,
    options: Options,
) -> Result<Built, Diagnostics> {
    let start = std::time::Instant::now();
    let mut timings = Timings::default();
    let composed = compose_timed(session, layout_path, edition_path, options, &mut timings)?;
    // The output profile is read once: for the photos' conversion and for the PDF.
    let settings = timed(&mut timings.prepare, || crate::images::prepare::Settings::for_print(&composed.job.print))?;
    let Composed { job, fonts, images, composition } =
        timed(&mut timings.prepare, || prepare_photos_with(session, composed, &settings))?;
    timings.compose = start.elapsed().as_secs_f64();
    let start = std::time::Instant::now();
    let mut preflight =
        timed(&mut timings.preflight, || preflight::check(&job, &fonts, &images, &composition, options.allow_low_res));
    // The output intent's profile goes only into a PDF/X file.
    let output_profile = match &job.print.output_profile {
        Some((_, condition, _)) if job.print.pdfx != PdfX::None => {
            Some((settings.profile.as_slice(), condition.as_str()))
        }
        _ => None,
    };
    let meta = Metadata {
        title: &job.edition.title,
        date: job.date,
        pdfx: job.print.pdfx,
        output_profile,
        spots: &job.print.spots,
        ink_limit: job.print.ink_limit,
    };
    let mut clock = render::Clock::default();
    let pdf =
        timed(&mut timings.pdf, || render::render_timed(&composition.display, &fonts, &images, &meta, &mut clock))?;
    (timings.subset, timings.compress) = (clock.subset.as_secs_f64(), clock.compress.as_secs_f64());
    timed(&mut timings.preflight, || preflight::verify_pdf(&pdf, &mut preflight));
    let summary = report::summarize(&composition);
    timings.render = start.elapsed().as_secs_f64();
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(composition.overset.iter().map(|d| Diagnostic { severity: Severity::Warning, ..d.clone() }));
    diagnostics.extend(composition.warnings.iter().cloned());
    diagnostics.extend(preflight.diagnostics());
    diagnostics.reword(&|m: &str| job.readable_in(m));
    Ok(Built { pdf, job, diagnostics, composition, summary, preflight, fonts, images, timings })
}

/// Parse, validate, compose and preflight an edition and report every problem found:
/// overset in every thread, words wider than their columns, every preflight finding (a
/// syntax or reference error in a file stops that file's check where it is). Nothing is
/// written.
pub fn check_in(session: &Session, layout_path: &Path, edition_path: &Path, options: Options) -> Diagnostics {
    let options = Options { allow_overset: true, ..options };
    let composed = match compose_in(session, layout_path, edition_path, options) {
        Ok(c) => c,
        Err(all) => return all,
    };
    // With overset allowed, what would have failed the build comes back set: an error here.
    let mut found = Diagnostics::new();
    found.extend(composed.composition.overset.iter().cloned());
    found.extend(composed.composition.warnings.iter().cloned());
    let pre = preflight::check(&composed.job, &composed.fonts, &composed.images, &composed.composition, false);
    found.extend(pre.diagnostics());
    found.reword(&|m: &str| composed.job.readable_in(m));
    found
}
