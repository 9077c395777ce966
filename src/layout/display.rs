//! The display list: everything that goes on the pages, positioned in points from the
//! top-left corner of the trimmed page, y downwards. The renderer turns it into PDF;
//! tests read it to check the composition.

use super::wrap::Outline;
use crate::spec::layout::Color;

#[derive(Debug, Clone, Default)]
pub struct DisplayList {
    /// The trimmed page.
    pub width: f32,
    pub height: f32,
    /// Bleed round the trim, and the slug outside it for marks, in points.
    pub bleed: f32,
    pub slug: f32,
    pub pages: Vec<Page>,
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub items: Vec<Item>,
    /// The designer's overlay (grid, frames, thread order, wrap contours): a separate,
    /// non-printing layer.
    pub debug: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// One line of text in one colour.
    Text(TextLine),
    /// A straight line.
    Rule { x0: f32, y0: f32, x1: f32, y1: f32, width: f32, color: Color },
    /// A filled rectangle (bands, tints).
    Fill { x: f32, y: f32, width: f32, height: f32, color: Color },
    /// A photo placed at `x, y, width, height` (it may overflow), cut to `clip`.
    Image { image: usize, x: f32, y: f32, width: f32, height: f32, clip: Outline },
    /// A contour drawn as a line.
    Stroke { outline: Outline, width: f32, color: Color },
}

#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub baseline: f32,
    pub color: Color,
    pub glyphs: Vec<Glyph>,
    /// What the line belongs to: the thread or frame, for reports and tests.
    pub role: LineRole,
    /// The measure the line was set in: left edge and width.
    pub left: f32,
    pub measure: f32,
    /// Where the text came from (`sections[1].paragraphs[0]`).
    pub origin: String,
    /// The last line of its paragraph.
    pub last: bool,
    /// Space added to each gap by justification, in points.
    pub stretch_per_gap: f32,
    /// Right edge of the set line (after line-end trimming; a hanging mark not counted).
    pub right: f32,
    /// A justified line that could not be stretched to its measure.
    pub ragged: bool,
    /// Justification stretched a gap beyond the style's `loose` threshold.
    pub loose: bool,
    /// On a paragraph's last line: a single-character last line was avoided by re-breaking.
    pub orphan_avoided: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRole {
    Body,
    Heading,
    Headline,
    Folio,
    Caption,
    /// Labels of the designer's overlay.
    Debug,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Left edge of the glyph's advance box, absolute.
    pub x: f32,
    pub face: usize,
    pub id: u16,
    pub size: f32,
    pub advance: f32,
    pub text: char,
    /// Drawn by the ligature glyph before it (the second dash of ——): nothing to draw, and
    /// its `text` belongs to that glyph's copy-out text.
    pub ligated: bool,
    /// The part of the line the glyph occupies after trimming: left edge and width.
    pub box_x: f32,
    pub box_width: f32,
}

impl DisplayList {
    /// All text of all pages in drawing order, which is the reading order.
    pub fn text(&self) -> String {
        self.lines().flat_map(|l| l.glyphs.iter().map(|g| g.text)).collect()
    }

    pub fn lines(&self) -> impl Iterator<Item = &TextLine> {
        self.pages.iter().flat_map(|p| &p.items).filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
    }
}
