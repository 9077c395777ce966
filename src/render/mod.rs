//! Render: the display list to PDF bytes. The only module that knows printpdf.
//!
//! printpdf writes the pages and subsets the fonts; [`postpass`] then fixes with lopdf
//! what printpdf gets wrong or leaves random (see the research notes), so that the same
//! input always gives the same bytes.

pub mod png;
mod postpass;

use std::collections::BTreeMap;

use printpdf::{
    Cmyk, Codepoint, Color as PdfColor, CurTransMat, DictItem, ExtendedGraphicsState, ExtendedGraphicsStateId,
    ExternalStream, ExternalXObject, FontId, Layer, LayerInternalId, Line, LinePoint, Mm, Op, OverprintMode, PaintMode,
    ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, TextItem,
    TextMatrix, WindingOrder, XObjectId, XObjectTransform,
};

use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::images::{ColorSpace, Encoding, Image};
use crate::layout::wrap::Outline;
use crate::layout::{DisplayList, Item, TextLine};
use crate::spec::edition::Date;
use crate::spec::layout::{Color, PdfX};
use crate::spec::units::PT_PER_MM;

/// What the PDF says about itself, and which standard it meets.
pub struct Metadata<'a> {
    pub title: &'a str,
    /// The edition's date: creation and modification date of the PDF.
    pub date: Date,
    pub pdfx: PdfX,
    /// The output intent: ICC profile bytes and the output condition it describes;
    /// `None` for the bundled Coated FOGRA39, and for a file that is not PDF/X.
    pub output_profile: Option<(Vec<u8>, String)>,
    /// Names of the spot colours the layout uses, by key.
    pub spots: &'a BTreeMap<u64, String>,
}

/// A spot colour as the PDF needs it: its Separation colour space's resource name, its
/// name, and its CMYK alternate.
pub struct SpotColor {
    pub resource: String,
    pub name: String,
    pub alternate: [f32; 4],
}

fn spot_resource(key: u64) -> String {
    format!("CS{key:016x}")
}

/// Set the fill (or stroke) colour: DeviceCMYK, or a spot colour's Separation at tint 1.
fn set_color(color: Color, stroke: bool, ops: &mut Vec<Op>) {
    match color.spot {
        Some(key) if stroke => {
            ops.push(Op::SetColorSpaceStroke { id: spot_resource(key) });
            ops.push(Op::Unknown { key: "SCN".into(), value: vec![DictItem::Real(1.0)] });
        }
        Some(key) => {
            ops.push(Op::SetColorSpaceFill { id: spot_resource(key) });
            ops.push(Op::Unknown { key: "scn".into(), value: vec![DictItem::Real(1.0)] });
        }
        None if stroke => ops.push(Op::SetOutlineColor { col: cmyk(color) }),
        None => ops.push(Op::SetFillColor { col: cmyk(color) }),
    }
}

/// The bundled output intent (see profiles/SOURCES.md).
pub const FOGRA39: &[u8] = include_bytes!("../../profiles/CoatedFOGRA39.icc");
pub const FOGRA39_CONDITION: &str = "FOGRA39";
/// The calibrated space RGB photos are placed in under PDF/X-4.
pub const SRGB: &[u8] = include_bytes!("../../profiles/sRGB.icc");

/// The name of the ExtGState that sets overprint for 100 % black.
const OVERPRINT: &str = "GSop";

/// From display-list points (trim's top-left, y down) to PDF user space (media box's
/// bottom-left, y up).
#[derive(Clone, Copy)]
struct Place {
    offset: f32,
    media_height: f32,
}

impl Place {
    fn x(&self, x: f32) -> Pt {
        Pt(x + self.offset)
    }
    fn y(&self, y: f32) -> Pt {
        Pt(self.media_height - (y + self.offset))
    }
    fn point(&self, x: f32, y: f32, bezier: bool) -> LinePoint {
        LinePoint { p: Point { x: self.x(x), y: self.y(y) }, bezier }
    }
}

/// Everything the page operations refer to.
struct Refs {
    fonts: BTreeMap<usize, FontId>,
    xobjects: BTreeMap<usize, XObjectId>,
    overprint: ExtendedGraphicsStateId,
    place: Place,
}

fn cmyk(c: Color) -> PdfColor {
    PdfColor::Cmyk(Cmyk { c: c.c, m: c.m, y: c.y, k: c.k, icc_profile: None })
}

/// A six-letter subset tag from the face name: the same font always gets the same tag.
fn subset_tag(name: &str, index: usize) -> String {
    let mut h = crate::spec::layout::fnv1a(name.as_bytes()) ^ index as u64;
    (0..6)
        .map(|_| {
            let c = (b'A' + (h % 26) as u8) as char;
            h /= 26;
            c
        })
        .collect()
}

/// How long printpdf takes to parse the faces a display list uses (for the benchmark).
#[doc(hidden)]
pub fn parse_fonts_for_bench(display: &DisplayList, fonts: &FontBook) -> usize {
    let mut faces: Vec<usize> = display.lines().flat_map(|l| l.glyphs.iter().map(|g| g.face)).collect();
    faces.sort();
    faces.dedup();
    faces
        .into_iter()
        .filter_map(|f| ParsedFont::from_bytes(&fonts.faces[f].data, fonts.faces[f].index as usize, &mut Vec::new()))
        .count()
}

/// The name of the non-printing layer that holds the designer's overlay.
pub const OVERLAY_LAYER: &str = "paiban: grid, frames and wrap (not printed)";

pub fn render(display: &DisplayList, fonts: &FontBook, images: &[Image], meta: &Metadata) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(meta.title);
    let mut ids: BTreeMap<usize, FontId> = BTreeMap::new();
    let all_items = display.pages.iter().flat_map(|p| p.items.iter().chain(&p.debug));
    for item in all_items.clone() {
        let Item::Text(line) = item else { continue };
        for g in &line.glyphs {
            if ids.contains_key(&g.face) {
                continue;
            }
            let face = &fonts.faces[g.face];
            let mut warnings = Vec::new();
            let parsed = ParsedFont::from_bytes(&face.data, face.index as usize, &mut warnings).ok_or_else(|| {
                Error::Pdf(format!("printpdf cannot read the font {} ({})", face.name, face.path.display()))
            })?;
            let id = FontId(format!("{}{}", subset_tag(&face.name, g.face), g.face));
            doc.resources.fonts.map.insert(id.clone(), printpdf::PdfFont::new(parsed));
            ids.insert(g.face, id);
        }
    }
    let mut xobjects: BTreeMap<usize, XObjectId> = BTreeMap::new();
    for item in all_items {
        if let Item::Image { image, .. } = item {
            xobjects.entry(*image).or_insert_with(|| {
                let id = XObjectId(format!("Im{image}"));
                let xobject = image_xobject(&images[*image], meta.pdfx);
                doc.resources.xobjects.map.insert(id.clone(), printpdf::XObject::External(xobject));
                id
            });
        }
    }
    let overprint = ExtendedGraphicsStateId(OVERPRINT.into());
    doc.resources.extgstates.map.insert(
        overprint.clone(),
        ExtendedGraphicsState::default()
            .with_overprint_fill(true)
            .with_overprint_stroke(true)
            .with_overprint_mode(OverprintMode::KeepUnderlying),
    );
    let overlay = display.pages.iter().any(|p| !p.debug.is_empty()).then(|| {
        let id = LayerInternalId("paiban-overlay".into());
        doc.resources.layers.map.insert(id.clone(), Layer::new(OVERLAY_LAYER));
        id
    });
    let offset = display.bleed + display.slug;
    let (media_width, media_height) = (display.width + 2.0 * offset, display.height + 2.0 * offset);
    let refs = Refs { fonts: ids, xobjects, overprint, place: Place { offset, media_height } };
    let pages = display
        .pages
        .iter()
        .map(|page| {
            let mut ops = Vec::new();
            for item in &page.items {
                item_ops(item, &refs, &mut ops);
            }
            if let (Some(layer), false) = (&overlay, page.debug.is_empty()) {
                ops.push(Op::BeginLayer { layer_id: layer.clone() });
                for item in &page.debug {
                    item_ops(item, &refs, &mut ops);
                }
                ops.push(Op::EndLayer);
            }
            PdfPage::new(Mm(media_width / PT_PER_MM), Mm(media_height / PT_PER_MM), ops)
        })
        .collect();
    doc.with_pages(pages);
    let mut warnings = Vec::new();
    // `secure: false` lets the spot colours' `scn` operators through.
    let options = PdfSaveOptions { subset_fonts: true, secure: false, ..PdfSaveOptions::default() };
    let lopdf_doc = doc.to_lopdf_document(&options, &mut warnings);
    let boxes = postpass::Boxes { media: (media_width, media_height), bleed: display.slug, trim: offset };
    let mut spots: BTreeMap<u64, SpotColor> = BTreeMap::new();
    for item in display.pages.iter().flat_map(|p| &p.items) {
        let color = match item {
            Item::Text(line) => line.color,
            Item::Fill { color, .. } | Item::Rule { color, .. } | Item::Stroke { color, .. } => *color,
            Item::Image { .. } => continue,
        };
        if let Some(key) = color.spot {
            spots.entry(key).or_insert_with(|| SpotColor {
                resource: spot_resource(key),
                name: meta.spots.get(&key).cloned().unwrap_or_else(|| format!("Spot{key:x}")),
                alternate: [color.c, color.m, color.y, color.k],
            });
        }
    }
    postpass::finish(lopdf_doc, meta, &boxes, &spots)
}

/// A JPEG passed through byte for byte (printpdf's own image path decodes, downsamples
/// and re-encodes), or a PNG's samples compressed losslessly with its alpha as a soft mask.
fn image_xobject(image: &Image, pdfx: PdfX) -> ExternalXObject {
    let name = |n: &str| DictItem::Name(n.as_bytes().to_vec());
    let image_dict = |color: &str| {
        BTreeMap::from([
            ("Type".to_owned(), name("XObject")),
            ("Subtype".to_owned(), name("Image")),
            ("Width".to_owned(), DictItem::Int(image.width as i64)),
            ("Height".to_owned(), DictItem::Int(image.height as i64)),
            ("BitsPerComponent".to_owned(), DictItem::Int(8)),
            ("ColorSpace".to_owned(), name(color)),
        ])
    };
    let device = match image.color {
        ColorSpace::Gray => "DeviceGray",
        ColorSpace::Rgb => "DeviceRGB",
        ColorSpace::Cmyk => "DeviceCMYK",
    };
    let mut dict = image_dict(device);
    let compress = match &image.encoding {
        Encoding::Jpeg => {
            dict.insert("Filter".to_owned(), name("DCTDecode"));
            false
        }
        Encoding::Raw { alpha } => {
            if let Some(alpha) = alpha {
                let mask =
                    ExternalStream { dict: image_dict("DeviceGray"), content: alpha.as_ref().clone(), compress: true };
                dict.insert("SMask".to_owned(), DictItem::Stream { stream: mask });
            }
            true
        }
    };
    // PDF/X-4 takes RGB only in a calibrated space: the photo is sRGB.
    if image.color == ColorSpace::Rgb && pdfx == PdfX::X4 {
        let profile = ExternalStream {
            dict: BTreeMap::from([("N".to_owned(), DictItem::Int(3))]),
            content: SRGB.to_vec(),
            compress: true,
        };
        dict.insert(
            "ColorSpace".to_owned(),
            DictItem::Array(vec![name("ICCBased"), DictItem::Stream { stream: profile }]),
        );
    }
    if image.adobe_inverted {
        dict.insert("Decode".to_owned(), DictItem::Array([1, 0, 1, 0, 1, 0, 1, 0].map(DictItem::Int).to_vec()));
    }
    ExternalXObject {
        stream: ExternalStream { dict, content: image.data.as_ref().clone(), compress },
        width: None,
        height: None,
        dpi: None,
    }
}

/// Kappa: the control-point distance that makes four cubic Béziers a circle.
const KAPPA: f32 = 0.552_284_8;

/// The contour as a PDF path, in PDF coordinates (y up).
fn path(outline: &Outline, place: &Place, mode: PaintMode) -> Polygon {
    let pt = |x: f32, y: f32, bezier: bool| place.point(x, y, bezier);
    let points = match *outline {
        Outline::Rect { x0, y0, x1, y1 } => {
            vec![pt(x0, y0, false), pt(x1, y0, false), pt(x1, y1, false), pt(x0, y1, false)]
        }
        Outline::Ellipse { cx, cy, rx, ry } => {
            let (kx, ky) = (rx * KAPPA, ry * KAPPA);
            vec![
                pt(cx + rx, cy, false),
                pt(cx + rx, cy + ky, true),
                pt(cx + kx, cy + ry, true),
                pt(cx, cy + ry, false),
                pt(cx - kx, cy + ry, true),
                pt(cx - rx, cy + ky, true),
                pt(cx - rx, cy, false),
                pt(cx - rx, cy - ky, true),
                pt(cx - kx, cy - ry, true),
                pt(cx, cy - ry, false),
                pt(cx + kx, cy - ry, true),
                pt(cx + rx, cy - ky, true),
                pt(cx + rx, cy, false),
            ]
        }
        Outline::Polygon(ref corners) => corners.iter().map(|&(x, y)| pt(x, y, false)).collect(),
    };
    Polygon { rings: vec![PolygonRing { points }], mode, winding_order: WindingOrder::NonZero }
}

fn item_ops(item: &Item, refs: &Refs, ops: &mut Vec<Op>) {
    let place = &refs.place;
    match item {
        Item::Fill { x, y, width, height, color } => {
            ops.push(Op::SaveGraphicsState);
            set_color(*color, false, ops);
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: place.x(*x),
                    y: place.y(y + height),
                    width: Pt(*width),
                    height: Pt(*height),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            });
            ops.push(Op::RestoreGraphicsState);
        }
        Item::Rule { x0, y0, x1, y1, width, color } => {
            ops.push(Op::SaveGraphicsState);
            // Thin black rules overprint, like black text, so that misregistration leaves no gap.
            if color.is_pure_black() && *width <= 1.0 {
                ops.push(Op::LoadGraphicsState { gs: refs.overprint.clone() });
            }
            set_color(*color, true, ops);
            ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            let points = vec![place.point(*x0, *y0, false), place.point(*x1, *y1, false)];
            ops.push(Op::DrawLine { line: Line { points, is_closed: false } });
            ops.push(Op::RestoreGraphicsState);
        }
        Item::Stroke { outline, width, color } => {
            ops.push(Op::SaveGraphicsState);
            set_color(*color, true, ops);
            ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            let mut polygon = path(outline, place, PaintMode::Stroke);
            if let Some(first) = polygon.rings[0].points.first().cloned() {
                polygon.rings[0].points.push(first);
            }
            ops.push(Op::DrawPolygon { polygon });
            ops.push(Op::RestoreGraphicsState);
        }
        Item::Image { image, x, y, width, height, clip } => {
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::DrawPolygon { polygon: path(clip, place, PaintMode::Clip) });
            let matrix = CurTransMat::Raw([*width, 0.0, 0.0, *height, place.x(*x).0, place.y(y + height).0]);
            ops.push(Op::SetTransformationMatrix { matrix });
            ops.push(Op::UseXobject {
                id: refs.xobjects[image].clone(),
                transform: XObjectTransform { no_auto_scale: true, ..XObjectTransform::default() },
            });
            ops.push(Op::RestoreGraphicsState);
        }
        Item::Text(line) => text_ops(line, refs, ops),
    }
}

/// One `Tm` + glyph per glyph: printpdf merges a baseline's glyphs into a single `TJ`
/// whose kerns reproduce these exact positions. 100 % black text overprints (white and
/// coloured text knocks out), inside its own q/Q so the state goes no further.
fn text_ops(line: &TextLine, refs: &Refs, ops: &mut Vec<Op>) {
    let overprint = line.color.is_pure_black();
    if overprint {
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::LoadGraphicsState { gs: refs.overprint.clone() });
    }
    ops.push(Op::StartTextSection);
    set_color(line.color, false, ops);
    let mut current: Option<(usize, f32)> = None;
    for (i, g) in line.glyphs.iter().enumerate() {
        if g.ligated {
            continue;
        }
        // A ligature (——) copies out as every character it draws: its own and those of
        // the glyphs after it that it stands for.
        let ligated = line.glyphs[i + 1..].iter().take_while(|n| n.ligated).map(|n| n.text);
        let text: String = std::iter::once(g.text).chain(ligated).collect();
        if current != Some((g.face, g.size)) {
            ops.push(Op::SetFont { font: PdfFontHandle::External(refs.fonts[&g.face].clone()), size: Pt(g.size) });
            current = Some((g.face, g.size));
        }
        let matrix = TextMatrix::Translate(refs.place.x(g.x), refs.place.y(line.baseline));
        ops.push(Op::SetTextMatrix { matrix });
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(vec![Codepoint { gid: g.id, offset: 0.0, cid: Some(text) }])],
        });
    }
    ops.push(Op::EndTextSection);
    if overprint {
        ops.push(Op::RestoreGraphicsState);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_tags_are_six_capitals_and_stable() {
        let a = subset_tag("serif", 0);
        assert_eq!(a.len(), 6);
        assert!(a.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(a, subset_tag("serif", 0));
        assert_ne!(a, subset_tag("sans", 1));
    }
}
