//! One page's content stream: the display list's items as PDF operators, in their order.
//! Coordinates go from the display list's (trim's top-left, y down) to PDF user space (the
//! media box's bottom-left, y up) here and nowhere else.

use std::collections::BTreeMap;

use pdf_writer::{Content, Name, Str};

use super::embed::EmbeddedFont;
use super::overprint::{self, Clip, Pass, PhotoInk};
use crate::layout::wrap::Outline;
use crate::layout::{Item, Page, TextLine};
use crate::spec::layout::Color;

/// The name of the ExtGState that sets overprint for 100 % black.
pub(super) const OVERPRINT: &str = "GSop";

/// Kappa: the control-point distance that makes four cubic Béziers a circle.
const KAPPA: f32 = 0.552_284_8;

/// A TJ adjustment smaller than this (in 1/1000 em) is float noise, not a kern.
const KERN_EPSILON: f32 = 0.001;

/// From display-list points to PDF user space.
#[derive(Clone, Copy)]
pub(super) struct Place {
    /// Bleed plus slug: where the trim starts inside the media box.
    pub offset: f32,
    pub media_height: f32,
}

impl Place {
    fn x(&self, x: f32) -> f32 {
        x + self.offset
    }
    fn y(&self, y: f32) -> f32 {
        self.media_height - (y + self.offset)
    }
}

/// What the page's operators name: fonts, photos and spot colours by resource name.
pub(super) struct Names<'a> {
    pub fonts: &'a BTreeMap<usize, EmbeddedFont>,
    pub images: &'a BTreeMap<usize, String>,
    pub spots: &'a BTreeMap<u64, String>,
    pub place: Place,
    /// The media box's size, for clips that leave out a fill.
    pub media: (f32, f32),
    pub ink_limit: f32,
    /// Each photo's measured maximum ink, for the overprint plan.
    pub photo_ink: PhotoInk<'a>,
}

/// The content stream of `page`; its overlay, if any, inside the optional-content group
/// the resources call `overlay`.
pub(super) fn page(page: &Page, names: &Names, overlay: Option<&str>) -> Vec<u8> {
    let mut content = Content::with_capacity(64 * 1024);
    let plans = overprint::plan(page, names.photo_ink, names.ink_limit);
    for (item, plan) in page.items.iter().zip(&plans) {
        match plan {
            Some(plan) => {
                for pass in &plan.passes {
                    pass_ops(item, pass, names, &mut content);
                }
            }
            None => item_ops(item, names, &mut content),
        }
    }
    if let (Some(overlay), false) = (overlay, page.debug.is_empty()) {
        content.begin_marked_content_with_properties(Name(b"OC")).properties_named(Name(overlay.as_bytes()));
        for item in &page.debug {
            item_ops(item, names, &mut content);
        }
        content.end_marked_content();
    }
    content.finish().into_vec()
}

/// Set the fill (or stroke) colour: DeviceCMYK, or a spot colour's Separation at tint 1
/// (registration colour is the Separation /All).
fn set_color(color: Color, stroke: bool, names: &Names, content: &mut Content) {
    match color.spot.and_then(|key| names.spots.get(&key)) {
        Some(space) if stroke => {
            content.set_stroke_color_space(Name(space.as_bytes())).set_stroke_color([1.0]);
        }
        Some(space) => {
            content.set_fill_color_space(Name(space.as_bytes())).set_fill_color([1.0]);
        }
        None if stroke => {
            content.set_stroke_cmyk(color.c, color.m, color.y, color.k);
        }
        None => {
            content.set_fill_cmyk(color.c, color.m, color.y, color.k);
        }
    }
}

/// The contour as a path (y up); closed.
fn path(outline: &Outline, place: &Place, content: &mut Content) {
    let (x, y) = (|v| place.x(v), |v| place.y(v));
    match *outline {
        Outline::Rect { x0, y0, x1, y1 } => {
            content.move_to(x(x0), y(y0)).line_to(x(x1), y(y0)).line_to(x(x1), y(y1)).line_to(x(x0), y(y1));
        }
        Outline::Ellipse { cx, cy, rx, ry } => {
            let (kx, ky) = (rx * KAPPA, ry * KAPPA);
            content.move_to(x(cx + rx), y(cy));
            content.cubic_to(x(cx + rx), y(cy + ky), x(cx + kx), y(cy + ry), x(cx), y(cy + ry));
            content.cubic_to(x(cx - kx), y(cy + ry), x(cx - rx), y(cy + ky), x(cx - rx), y(cy));
            content.cubic_to(x(cx - rx), y(cy - ky), x(cx - kx), y(cy - ry), x(cx), y(cy - ry));
            content.cubic_to(x(cx + kx), y(cy - ry), x(cx + rx), y(cy - ky), x(cx + rx), y(cy));
        }
        Outline::Polygon(ref corners) => {
            for (i, &(px, py)) in corners.iter().enumerate() {
                if i == 0 {
                    content.move_to(x(px), y(py));
                } else {
                    content.line_to(x(px), y(py));
                }
            }
        }
    }
    content.close_path();
}

/// One pass of an overprinting item (see `overprint`): inside its clip, in its colour,
/// overprinting or knocking out.
fn pass_ops(item: &Item, pass: &Pass, names: &Names, content: &mut Content) {
    let place = &names.place;
    content.save_state();
    let rect = |r: &overprint::Rect, content: &mut Content| {
        content.rect(place.x(r.x0), place.y(r.y1), r.x1 - r.x0, r.y1 - r.y0);
    };
    match &pass.clip {
        Clip::None => {}
        Clip::Inside(r) => {
            rect(r, content);
            content.clip_nonzero().end_path();
        }
        Clip::Outside(boxes) => {
            // The media box with the boxes as holes: even-odd, the boxes do not overlap.
            content.rect(0.0, 0.0, names.media.0, names.media.1);
            for r in boxes {
                rect(r, content);
            }
            content.clip_even_odd().end_path();
        }
    }
    if pass.overprint {
        content.set_parameters(Name(OVERPRINT.as_bytes()));
    }
    match item {
        Item::Text(line) => glyph_ops(line, pass.color, names, content),
        Item::Rule { x0, y0, x1, y1, width, .. } => {
            set_color(pass.color, true, names, content);
            content.set_line_width(*width);
            content.move_to(place.x(*x0), place.y(*y0)).line_to(place.x(*x1), place.y(*y1)).stroke();
        }
        _ => item_ops(item, names, content),
    }
    content.restore_state();
}

fn item_ops(item: &Item, names: &Names, content: &mut Content) {
    let place = &names.place;
    match item {
        Item::Fill { x, y, width, height, color } => {
            content.save_state();
            set_color(*color, false, names, content);
            content.rect(place.x(*x), place.y(y + height), *width, *height).fill_nonzero();
            content.restore_state();
        }
        Item::Rule { x0, y0, x1, y1, width, color } => {
            // Thin black rules overprint, like black text (`overprint`): not painted here.
            content.save_state();
            set_color(*color, true, names, content);
            content.set_line_width(*width);
            content.move_to(place.x(*x0), place.y(*y0)).line_to(place.x(*x1), place.y(*y1)).stroke();
            content.restore_state();
        }
        Item::Stroke { outline, width, color } => {
            content.save_state();
            set_color(*color, true, names, content);
            content.set_line_width(*width);
            path(outline, place, content);
            content.stroke();
            content.restore_state();
        }
        Item::Image { image, x, y, width, height, clip } => {
            content.save_state();
            path(clip, place, content);
            content.clip_nonzero().end_path();
            content.transform([*width, 0.0, 0.0, *height, place.x(*x), place.y(y + height)]);
            content.x_object(Name(names.images[image].as_bytes()));
            content.restore_state();
        }
        Item::Text(line) => text_ops(line, names, content),
    }
}

/// A line that does not overprint (white and coloured text knocks out; 100 % black text
/// is painted by its overprint plan, `pass_ops`).
fn text_ops(line: &TextLine, names: &Names, content: &mut Content) {
    glyph_ops(line, line.color, names, content);
}

/// A line's glyphs in `color`: one `Tm` per run of one face and size, then a `TJ` whose
/// adjustments put every glyph at its x exactly (the font's own advance moves the pen; the
/// difference to the set position is the adjustment).
fn glyph_ops(line: &TextLine, color: Color, names: &Names, content: &mut Content) {
    content.begin_text();
    set_color(color, false, names, content);
    let y = names.place.y(line.baseline);
    let mut current: Option<(usize, f32)> = None;
    let mut rest = &line.glyphs[..];
    while let Some(first) = rest.first() {
        let run = rest.iter().take_while(|g| g.face == first.face && g.size == first.size).count();
        let (glyphs, after) = rest.split_at(run);
        rest = after;
        let font = &names.fonts[&first.face];
        if current != Some((first.face, first.size)) {
            content.set_font(Name(font.resource.as_bytes()), first.size);
            current = Some((first.face, first.size));
        }
        content.set_text_matrix([1.0, 0.0, 0.0, 1.0, names.place.x(first.x), y]);
        let mut shown = content.show_positioned();
        let mut items = shown.items();
        let mut codes: Vec<u8> = Vec::with_capacity(2 * glyphs.len());
        // Where the pen is, in points from the run's start, after the glyphs shown so far.
        let mut pen = 0.0f32;
        // A ligated glyph (the second dash of ——) is drawn by the ligature before it.
        for g in glyphs.iter().filter(|g| !g.ligated) {
            let (cid, width) = font.glyph(g.id);
            let kern = (pen - (g.x - first.x)) * 1000.0 / g.size;
            if kern.abs() > KERN_EPSILON {
                if !codes.is_empty() {
                    items.show(Str(&codes));
                    codes.clear();
                }
                items.adjust(kern);
            }
            codes.extend_from_slice(&cid.to_be_bytes());
            pen = g.x - first.x + width * g.size / 1000.0;
        }
        if !codes.is_empty() {
            items.show(Str(&codes));
        }
    }
    content.end_text();
}
