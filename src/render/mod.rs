//! Render: the display list to PDF bytes, written in one pass with pdf-writer (typed
//! writers named as in the PDF specification; the writer behind Typst). Everything a
//! printing plant checks is written as it should be, not patched afterwards: the page
//! boxes, the PDF/X version keys and output intent, dates from the edition, XMP, an /ID
//! derived from the content, the overlay's never-printed optional-content group, spot
//! colours as /Separation, overprint, JPEGs byte for byte, fonts as CID-keyed subsets.
//! Same input, same bytes.

mod content;
mod deflate;
mod embed;
mod image;
mod meta;
pub mod overprint;
pub mod png;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use pdf_writer::types::{OutputIntentSubtype, OverprintMode};
use pdf_writer::writers::ColorSpace as ColorSpaceWriter;
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, TextStr};

use crate::error::{Error, Result};
use crate::fonts::subset::Subset;
use crate::fonts::FontBook;
use crate::images::{ColorSpace, Image};
use crate::layout::{DisplayList, Item};
use crate::spec::edition::Date;
use crate::spec::layout::{PdfX, REGISTRATION_SPOT};

/// What the PDF says about itself, and which standard it meets.
pub struct Metadata<'a> {
    pub title: &'a str,
    /// The edition's date: creation and modification date of the PDF.
    pub date: Date,
    pub pdfx: PdfX,
    /// The output intent: ICC profile bytes and the output condition it describes;
    /// `None` for the bundled Coated FOGRA39. Only a PDF/X file has an output intent.
    pub output_profile: Option<(&'a [u8], &'a str)>,
    /// Names of the spot colours the layout uses, by key.
    pub spots: &'a BTreeMap<u64, String>,
    /// `print.ink_limit`: where overprinted black would pass it, it knocks out (`overprint`).
    pub ink_limit: f32,
}

/// The bundled output intent (see profiles/SOURCES.md).
pub const FOGRA39: &[u8] = include_bytes!("../../profiles/CoatedFOGRA39.icc");
pub const FOGRA39_CONDITION: &str = "FOGRA39";
/// The calibrated space RGB photos are placed in under PDF/X-4.
pub const SRGB: &[u8] = include_bytes!("../../profiles/sRGB.icc");

/// The name of the non-printing layer that holds the designer's overlay.
pub const OVERLAY_LAYER: &str = "paiban: grid, frames and wrap (not printed)";

/// The overlay's name in the pages' /Properties.
const OVERLAY_RESOURCE: &str = "oc1";

/// A spot colour as the PDF needs it: its name and its CMYK alternate.
struct SpotColor {
    name: String,
    alternate: [f32; 4],
}

/// What the pages use, collected before anything is written: each face's glyphs (with
/// the character each shows, for ToUnicode), the photos, the spot colours.
#[derive(Default)]
struct Used {
    glyphs: BTreeMap<usize, BTreeMap<u16, String>>,
    images: BTreeSet<usize>,
    spots: BTreeMap<u64, SpotColor>,
    overlay: bool,
}

impl Used {
    fn collect(display: &DisplayList, meta: &Metadata) -> Used {
        let mut used = Used::default();
        for page in &display.pages {
            used.overlay |= !page.debug.is_empty();
            for item in page.items.iter().chain(&page.debug) {
                let color = match item {
                    Item::Text(line) => {
                        for (i, g) in line.glyphs.iter().enumerate().filter(|(_, g)| !g.ligated) {
                            // A ligature (——) copies out as every character it draws: its
                            // own and those of the ligated glyphs after it.
                            let ligated = line.glyphs[i + 1..].iter().take_while(|n| n.ligated).map(|n| n.text);
                            let text: String = std::iter::once(g.text).chain(ligated).collect();
                            used.glyphs.entry(g.face).or_default().entry(g.id).or_insert(text);
                        }
                        line.color
                    }
                    Item::Fill { color, .. } | Item::Rule { color, .. } | Item::Stroke { color, .. } => *color,
                    Item::Image { image, .. } => {
                        used.images.insert(*image);
                        continue;
                    }
                };
                if let Some(key) = color.spot {
                    used.spots.entry(key).or_insert_with(|| SpotColor {
                        name: match key {
                            REGISTRATION_SPOT => "All".to_owned(),
                            _ => meta.spots.get(&key).cloned().unwrap_or_else(|| format!("Spot{key:x}")),
                        },
                        alternate: [color.c, color.m, color.y, color.k],
                    });
                }
            }
        }
        used
    }
}

/// Hands out object numbers in order, so the same document always numbers alike.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// Where the time of [`render_timed`] went, for the benchmark: cutting fonts down and
/// compressing streams; the rest is writing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    /// Cutting the faces and compressing their programs (done side by side, so one clock).
    pub subset: Duration,
    /// Compressing content streams, CMaps, profiles and raw photos.
    pub compress: Duration,
}

impl Clock {
    fn time<T>(slot: &mut Duration, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        *slot += start.elapsed();
        out
    }
}

/// The display list as a PDF.
pub fn render(display: &DisplayList, fonts: &FontBook, images: &[Image], meta: &Metadata) -> Result<Vec<u8>> {
    render_timed(display, fonts, images, meta, &mut Clock::default())
}

/// [`render`], adding the time spent subsetting and compressing to `clock`.
pub fn render_timed(
    display: &DisplayList,
    fonts: &FontBook,
    images: &[Image],
    meta: &Metadata,
    clock: &mut Clock,
) -> Result<Vec<u8>> {
    let used = Used::collect(display, meta);
    let photo_bytes: usize = used.images.iter().map(|&i| images[i].data.len()).sum();
    let mut pdf = Pdf::with_capacity(photo_bytes + (1 << 20));
    pdf.set_version(1, if meta.pdfx == PdfX::X1a { 3 } else { 6 });
    let mut refs = Refs(0);
    let (catalog, page_tree, info) = (refs.next(), refs.next(), refs.next());

    // The faces are cut and their programs compressed side by side first: in a cold
    // process cutting the CJK faces is most of rendering, and no face waits for another.
    let subsets: Vec<std::result::Result<Arc<Subset>, String>> = Clock::time(&mut clock.subset, || {
        use rayon::prelude::*;
        let faces: Vec<usize> = used.glyphs.keys().copied().collect();
        faces
            .par_iter()
            .map(|&face| {
                let ids: Vec<u16> = used.glyphs[&face].keys().copied().collect();
                let subset = fonts.faces[face].subset(&ids);
                if let Ok(subset) = &subset {
                    subset.packed(deflate::deflate);
                }
                // Cutting touched most of the face's glyph data; the writing below needs
                // only its widths.
                fonts.faces[face].data.release_pages();
                subset
            })
            .collect()
    });
    let mut embedded = BTreeMap::new();
    for ((&face, glyphs), subset) in used.glyphs.iter().zip(subsets) {
        let font = &fonts.faces[face];
        let written = subset
            .and_then(|subset| embed::write_font(&mut pdf, &mut || refs.next(), font, face, glyphs, &subset, clock))
            .map_err(|problem| Error::Pdf(format!("the font {} ({}): {problem}", font.name, font.path.display())))?;
        embedded.insert(face, written);
        font.data.release_pages();
    }

    let needs_srgb = meta.pdfx == PdfX::X4 && used.images.iter().any(|&i| images[i].color == ColorSpace::Rgb);
    let srgb = needs_srgb.then(|| {
        let id = refs.next();
        let profile = Clock::time(&mut clock.compress, || deflate::profile(SRGB));
        pdf.icc_profile(id, &profile).n(3).filter(Filter::FlateDecode);
        id
    });
    let mut image_names = BTreeMap::new();
    let mut image_refs = Vec::new();
    for &index in &used.images {
        let id = refs.next();
        image::write_image(&mut pdf, id, &mut || refs.next(), &images[index], srgb, clock);
        image_names.insert(index, format!("Im{index}"));
        image_refs.push((index, id));
    }

    let overprint = refs.next();
    pdf.ext_graphics(overprint).overprint(true).overprint_fill(true).overprint_mode(OverprintMode::IgnoreZeroChannel);
    let overlay = used.overlay.then(|| {
        let id = refs.next();
        let mut ocg = pdf.indirect(id).dict();
        ocg.pair(Name(b"Type"), Name(b"OCG"));
        ocg.pair(Name(b"Name"), TextStr(OVERLAY_LAYER));
        ocg.insert(Name(b"Intent")).array().items([Name(b"View"), Name(b"Design")]);
        let mut usage = ocg.insert(Name(b"Usage")).dict();
        usage.insert(Name(b"Print")).dict().pair(Name(b"PrintState"), Name(b"OFF"));
        usage.insert(Name(b"View")).dict().pair(Name(b"ViewState"), Name(b"ON"));
        usage.finish();
        ocg.finish();
        id
    });

    // The page boxes: the media box holds the slug, the bleed box lies `slug` inside it,
    // the trim box `bleed` further in.
    let offset = display.bleed + display.slug;
    let (media_width, media_height) = (display.width + 2.0 * offset, display.height + 2.0 * offset);
    let inset = |by: f32| Rect::new(by, by, media_width - by, media_height - by);
    let spot_spaces: BTreeMap<u64, String> = used.spots.keys().map(|&key| (key, format!("CS{key:016x}"))).collect();
    let names = content::Names {
        fonts: &embedded,
        images: &image_names,
        spots: &spot_spaces,
        place: content::Place { offset, media_height },
        media: (media_width, media_height),
        ink_limit: meta.ink_limit,
        photo_ink: &|i: usize| images.get(i).and_then(|image| image.prepared.as_ref()?.max_ink),
    };
    let mut pages = Vec::new();
    for page in &display.pages {
        let (page_id, content_id) = (refs.next(), refs.next());
        let ops = content::page(page, &names, overlay.map(|_| OVERLAY_RESOURCE));
        let stream = Clock::time(&mut clock.compress, || deflate::deflate(&ops));
        pdf.stream(content_id, &stream).filter(Filter::FlateDecode);
        let mut p = pdf.page(page_id);
        p.parent(page_tree)
            .media_box(inset(0.0))
            .crop_box(inset(0.0))
            .bleed_box(inset(display.slug))
            .trim_box(inset(offset))
            .contents(content_id);
        let mut resources = p.resources();
        resources.fonts().pairs(embedded.values().map(|f| (Name(f.resource.as_bytes()), f.reference)));
        resources.x_objects().pairs(image_refs.iter().map(|(i, id)| (Name(image_names[i].as_bytes()), *id)));
        resources.ext_g_states().pair(Name(content::OVERPRINT.as_bytes()), overprint);
        if !used.spots.is_empty() {
            let mut spaces = resources.color_spaces();
            for (key, spot) in &used.spots {
                let space = spaces.insert(Name(spot_spaces[key].as_bytes())).start::<ColorSpaceWriter>();
                let mut separation = space.separation(Name(spot.name.as_bytes()));
                separation.alternate_color_space().device_cmyk();
                separation.tint_exponential().domain([0.0, 1.0]).c0([0.0; 4]).c1(spot.alternate).n(1.0);
            }
        }
        if let Some(ocg) = overlay {
            resources.insert(Name(b"Properties")).dict().pair(Name(OVERLAY_RESOURCE.as_bytes()), ocg);
        }
        resources.finish();
        p.finish();
        pages.push(page_id);
    }
    pdf.pages(page_tree).kids(pages.iter().copied()).count(pages.len() as i32);

    let intent_profile = (meta.pdfx != PdfX::None).then(|| {
        let (profile, condition) = meta.output_profile.unwrap_or((FOGRA39, FOGRA39_CONDITION));
        let id = refs.next();
        let components = if profile.get(16..20) == Some(b"RGB ".as_slice()) { 3 } else { 4 };
        let compressed = Clock::time(&mut clock.compress, || deflate::profile(profile));
        pdf.icc_profile(id, &compressed).n(components).filter(Filter::FlateDecode);
        (id, condition)
    });
    meta::write_info(&mut pdf, info, meta);

    // The /ID and the XMP document id come from everything written so far.
    let (file_id, hex_id) = meta::file_id(pdf.as_bytes());
    let metadata = refs.next();
    let xmp = meta::xmp(meta, &hex_id);
    pdf.metadata(metadata, xmp.as_bytes());

    let mut cat = pdf.catalog(catalog);
    cat.pages(page_tree).metadata(metadata);
    if let Some((profile, condition)) = intent_profile {
        cat.output_intents()
            .push()
            .subtype(OutputIntentSubtype::PDFX)
            .output_condition_identifier(TextStr(condition))
            .output_condition(TextStr(condition))
            .registry_name(TextStr("http://www.color.org"))
            .info(TextStr(condition))
            .dest_output_profile(profile);
    }
    if let Some(ocg) = overlay {
        let mut properties = cat.insert(Name(b"OCProperties")).dict();
        properties.insert(Name(b"OCGs")).array().item(ocg);
        let mut default = properties.insert(Name(b"D")).dict();
        default.insert(Name(b"Order")).array().item(ocg);
        default.insert(Name(b"ON")).array().item(ocg);
        // Readers that print by the usage dictionary's print state need this auto state.
        let mut states = default.insert(Name(b"AS")).array();
        let mut print = states.push().dict();
        print.pair(Name(b"Event"), Name(b"Print"));
        print.insert(Name(b"OCGs")).array().item(ocg);
        print.insert(Name(b"Category")).array().item(Name(b"Print"));
    }
    cat.finish();
    pdf.set_file_id((file_id.to_vec(), file_id.to_vec()));
    Ok(pdf.finish())
}
