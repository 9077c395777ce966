//! One edition through the whole pipeline, and the atomic write of its PDF.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
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

pub struct Built {
    pub pdf: Vec<u8>,
    pub composition: Composition,
    pub summary: Summary,
    pub preflight: Preflight,
    /// The faces and photos the composition uses, to draw proofs from it.
    pub fonts: Arc<FontBook>,
    pub images: Vec<Image>,
    /// Seconds spent composing (parse to display list) and rendering (display list to PDF).
    pub timings: Timings,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub compose: f64,
    pub render: f64,
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
        Session { fonts: Mutex::default(), photos }
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
pub fn compose(layout_path: &Path, edition_path: &Path, options: Options) -> Result<Composed> {
    compose_in(&Session::default(), layout_path, edition_path, options)
}

/// Compose an edition in a session (fonts shared with the session's other editions).
pub fn compose_in(session: &Session, layout_path: &Path, edition_path: &Path, options: Options) -> Result<Composed> {
    let mut job = Job::load_confined(layout_path, edition_path, options.allow_outside)?;
    if let Some(pdfx) = options.pdfx {
        job.print.pdfx = pdfx;
    }
    let fonts = session.fonts(&job)?;
    let images = crate::error::collect(job.photos.iter().map(|p| Image::load(&p.path, &p.asked_at)))?;
    let layout_options = layout::Options { allow_overset: options.allow_overset, debug_grid: options.debug_grid };
    let composition = layout::compose(&job, &fonts, &images, layout_options)?;
    Ok(Composed { job, fonts, images, composition })
}

/// Build an edition to PDF bytes in memory, with its preflight. The PDF should not go to
/// press when the preflight has errors.
pub fn build_edition(layout_path: &Path, edition_path: &Path, options: Options) -> Result<Built> {
    build_in(&Session::default(), layout_path, edition_path, options)
}

/// Build an edition in a session (fonts shared with the session's other editions).
pub fn build_in(session: &Session, layout_path: &Path, edition_path: &Path, options: Options) -> Result<Built> {
    let start = std::time::Instant::now();
    let Composed { job, fonts, images, composition } = compose_in(session, layout_path, edition_path, options)?;
    let settings = crate::images::prepare::Settings::for_print(&job.print)?;
    let images =
        crate::images::prepare::prepare_all(images, &composition.display, &job.photos, &settings, &session.photos)?;
    let compose = start.elapsed().as_secs_f64();
    let start = std::time::Instant::now();
    let mut preflight = preflight::check(&job, &fonts, &images, &composition, options.allow_low_res);
    // The output intent's profile goes only into a PDF/X file.
    let output_profile = match &job.print.output_profile {
        Some((path, condition, _)) if job.print.pdfx != PdfX::None => {
            Some((std::fs::read(path).map_err(|e| Error::io(path, e))?, condition.clone()))
        }
        _ => None,
    };
    let meta = Metadata {
        title: &job.edition.title,
        date: job.date,
        pdfx: job.print.pdfx,
        output_profile,
        spots: &job.print.spots,
    };
    let pdf = render::render(&composition.display, &fonts, &images, &meta)?;
    preflight::verify_pdf(&pdf, &mut preflight);
    let summary = report::summarize(&composition);
    let timings = Timings { compose, render: start.elapsed().as_secs_f64() };
    Ok(Built { pdf, composition, summary, preflight, fonts, images, timings })
}

/// What `paiban check` found in one edition, without writing anything.
#[derive(Debug, Default)]
pub struct Checked {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// Parse, validate, compose and preflight an edition and report every problem found:
/// overset in every thread, words wider than their columns, every preflight finding (a
/// syntax or reference error in a file stops that file's check where it is).
pub fn check_in(session: &Session, layout_path: &Path, edition_path: &Path, options: Options) -> Checked {
    let mut checked = Checked::default();
    let options = Options { allow_overset: true, ..options };
    let composed = match compose_in(session, layout_path, edition_path, options) {
        Ok(c) => c,
        Err(crate::error::Error::Many(all)) => {
            checked.errors.extend(all.iter().map(|e| e.to_string()));
            return checked;
        }
        Err(e) => {
            checked.errors.push(e.to_string());
            return checked;
        }
    };
    // With overset allowed, what would have failed the build comes back set: an error here.
    checked.errors.extend(composed.composition.overset.iter().cloned());
    checked.warnings.extend(composed.composition.warnings.iter().cloned());
    let pre = preflight::check(&composed.job, &composed.fonts, &composed.images, &composed.composition, false);
    for f in pre.findings {
        match f.level {
            preflight::Level::Error => checked.errors.push(f.message),
            preflight::Level::Warning => checked.warnings.push(f.message),
        }
    }
    checked
}

/// The preflight report's path beside a PDF: `page.pdf` → `page.preflight.json`.
pub fn preflight_path(pdf: &Path) -> std::path::PathBuf {
    pdf.with_extension("preflight.json")
}

/// Write `bytes` to a temporary file beside `path`, then rename it over `path`: a failed
/// write never leaves a half-written or clobbered file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".paiban-")
        .suffix(".pdf.tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).and_then(|_| tmp.as_file().sync_all()).map_err(|e| Error::io(tmp.path(), e))?;
    // A temporary file is private (0600); the PDF is for colleagues and the plant too.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io(tmp.path(), e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}
