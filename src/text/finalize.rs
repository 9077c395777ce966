//! Finalize: place each line's glyphs along its measure: justified lines end flush
//! with the column edge, stretch goes between atoms and never inside one.

use super::linebreak::{natural_width, Break, EPSILON};
use super::prepare::Prepared;
use crate::model::layout::Align;

/// A glyph placed on a line.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    /// From the left edge of the line's measure, in points.
    pub x: f32,
    pub face: usize,
    pub id: u16,
    pub size: f32,
    pub advance: f32,
    pub text: char,
    pub tag: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub glyphs: Vec<PlacedGlyph>,
    /// The measure the line was set to.
    pub measure: f32,
    /// Width of the line's content before stretching.
    pub natural: f32,
    /// Space added to each gap by justification, in points.
    pub stretch_per_gap: f32,
    /// Right edge of the last glyph.
    pub right: f32,
    pub last: bool,
    pub overfull: bool,
}

/// Set line `b`, `indent` points in from the left, in a measure of `measure` points.
pub fn set_line(
    p: &Prepared,
    b: Break,
    measure: f32,
    indent: f32,
    align: Align,
    last: bool,
) -> Line {
    let available = measure - indent;
    let natural = natural_width(p, b.start, b.end);
    let gaps: Vec<usize> = (b.start..b.end.saturating_sub(1))
        .filter(|&j| p.junctions[j].stretchable)
        .collect();
    let extra = available - natural;
    let stretch = |spread: bool| {
        if spread && !gaps.is_empty() && extra > 0.0 {
            extra / gaps.len() as f32
        } else {
            0.0
        }
    };
    let (offset, per_gap) = match align {
        Align::Justify => (0.0, stretch(!last)),
        Align::Distribute if gaps.is_empty() => ((extra / 2.0).max(0.0), 0.0),
        Align::Distribute => (0.0, stretch(true)),
        Align::Start => (0.0, 0.0),
        Align::Center => ((extra / 2.0).max(0.0), 0.0),
        Align::End => (extra.max(0.0), 0.0),
    };
    let mut glyphs = Vec::new();
    let mut x = indent + offset;
    for a in b.start..b.end {
        let atom = &p.atoms[a];
        glyphs.extend(atom.glyphs.iter().map(|g| PlacedGlyph {
            x: x + g.x,
            face: g.face,
            id: g.id,
            size: g.size,
            advance: g.advance,
            text: g.text,
            tag: g.tag,
        }));
        x += atom.width;
        if a + 1 < b.end {
            let j = &p.junctions[a];
            x += j.glue + if j.stretchable { per_gap } else { 0.0 };
        }
    }
    Line {
        glyphs,
        measure,
        natural,
        stretch_per_gap: per_gap,
        right: x,
        last,
        overfull: b.overfull || natural > available + EPSILON,
    }
}
