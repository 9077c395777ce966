//! Render: the display list to PDF bytes. The only module that knows printpdf.
//!
//! printpdf writes the pages and subsets the fonts; [`postpass`] then fixes with lopdf
//! what printpdf gets wrong or leaves random (see the research notes), so that the same
//! input always gives the same bytes.

mod postpass;

use std::collections::BTreeMap;

use printpdf::{
    Cmyk, Codepoint, Color as PdfColor, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};

use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::layout::{DisplayList, Item, TextLine};
use crate::model::edition::Date;
use crate::model::layout::Color;
use crate::model::units::PT_PER_MM;

/// What the PDF says about itself.
pub struct Metadata<'a> {
    pub title: &'a str,
    /// The edition's date: creation and modification date of the PDF.
    pub date: Date,
}

fn cmyk(c: Color) -> PdfColor {
    PdfColor::Cmyk(Cmyk { c: c.c, m: c.m, y: c.y, k: c.k, icc_profile: None })
}

/// A six-letter subset tag from the face name: the same font always gets the same tag.
fn subset_tag(name: &str, index: usize) -> String {
    let mut h = postpass::fnv1a(name.as_bytes()) ^ index as u64;
    (0..6)
        .map(|_| {
            let c = (b'A' + (h % 26) as u8) as char;
            h /= 26;
            c
        })
        .collect()
}

pub fn render(display: &DisplayList, fonts: &FontBook, meta: &Metadata) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(meta.title);
    let mut ids: BTreeMap<usize, FontId> = BTreeMap::new();
    for line in display.lines() {
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
    let height = display.height;
    let pages = display
        .pages
        .iter()
        .map(|page| {
            let mut ops = Vec::new();
            for item in &page.items {
                match item {
                    Item::Fill { x, y, width, height: h, color } => {
                        ops.push(Op::SaveGraphicsState);
                        ops.push(Op::SetFillColor { col: cmyk(*color) });
                        ops.push(Op::DrawRectangle {
                            rectangle: Rect {
                                x: Pt(*x),
                                y: Pt(height - y - h),
                                width: Pt(*width),
                                height: Pt(*h),
                                mode: Some(PaintMode::Fill),
                                winding_order: None,
                            },
                        });
                        ops.push(Op::RestoreGraphicsState);
                    }
                    Item::Rule { x0, y0, x1, y1, width, color } => {
                        let point =
                            |x: f32, y: f32| LinePoint { p: Point { x: Pt(x), y: Pt(height - y) }, bezier: false };
                        ops.push(Op::SaveGraphicsState);
                        ops.push(Op::SetOutlineColor { col: cmyk(*color) });
                        ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                        ops.push(Op::DrawLine {
                            line: Line { points: vec![point(*x0, *y0), point(*x1, *y1)], is_closed: false },
                        });
                        ops.push(Op::RestoreGraphicsState);
                    }
                    Item::Text(line) => text_ops(line, height, &ids, &mut ops),
                }
            }
            PdfPage::new(Mm(display.width / PT_PER_MM), Mm(height / PT_PER_MM), ops)
        })
        .collect();
    doc.with_pages(pages);
    let mut warnings = Vec::new();
    let options = PdfSaveOptions { subset_fonts: true, ..PdfSaveOptions::default() };
    let lopdf_doc = doc.to_lopdf_document(&options, &mut warnings);
    postpass::finish(lopdf_doc, meta)
}

/// One `Tm` + glyph per glyph: printpdf merges a baseline's glyphs into a single `TJ`
/// whose kerns reproduce these exact positions.
fn text_ops(line: &TextLine, page_height: f32, ids: &BTreeMap<usize, FontId>, ops: &mut Vec<Op>) {
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFillColor { col: cmyk(line.color) });
    let mut current: Option<(usize, f32)> = None;
    for g in &line.glyphs {
        if current != Some((g.face, g.size)) {
            ops.push(Op::SetFont { font: PdfFontHandle::External(ids[&g.face].clone()), size: Pt(g.size) });
            current = Some((g.face, g.size));
        }
        ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(g.x), Pt(page_height - line.baseline)) });
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(vec![Codepoint { gid: g.id, offset: 0.0, cid: Some(g.text.to_string()) }])],
        });
    }
    ops.push(Op::EndTextSection);
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
