//! Finalize: place each line's glyphs along its measure as [`fit`] decided: trims at
//! the edges, push-in by priority, stretch between atoms (never inside one), a hanging
//! mark outside the measure.

use super::linebreak::{fit, shrink_priority, Break, Fit, Sums};
use super::prepare::{priority, Gap, Prepared};
use super::Config;
use crate::spec::layout::Align;

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
    /// Drawn by the ligature glyph before it: see [`super::prepare::AtomGlyph::ligated`].
    pub ligated: bool,
    /// The part of the line this glyph occupies once blanks are trimmed: left edge and
    /// width. For a mark set half width it is the half holding its ink.
    pub box_x: f32,
    pub box_width: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub glyphs: Vec<PlacedGlyph>,
    /// The measure the line was set to.
    pub measure: f32,
    /// Space added to each ordinary gap by justification, in points.
    pub stretch_per_gap: f32,
    /// Right edge of the set line (a hanging mark not counted).
    pub right: f32,
    pub last: bool,
    pub overfull: bool,
    /// A justified line that could not be stretched to its measure (one unbreakable atom).
    pub ragged: bool,
    pub hang: bool,
    /// The advance each atom of the line got, in points: for tests and reports.
    pub advances: Vec<f32>,
    /// On a paragraph's last line: a single-character last line was avoided by re-breaking.
    pub orphan_avoided: bool,
}

/// Set line `b`, `indent` points in from the left, in a measure of `measure` points.
pub fn set_line(p: &Prepared, sums: &Sums, b: Break, measure: f32, indent: f32, config: &Config, last: bool) -> Line {
    let available = measure - indent;
    let f: Fit = fit(p, sums, b.start, b.end, available, config, last);
    let natural_after_shrink = f.natural.min(available);
    let offset = match config.align {
        Align::Center => ((available - natural_after_shrink) / 2.0).max(0.0),
        Align::End => (available - natural_after_shrink).max(0.0),
        Align::Distribute if f.ragged => ((available - natural_after_shrink) / 2.0).max(0.0),
        _ => 0.0,
    };
    let mut glyphs = Vec::new();
    let mut advances = Vec::new();
    let mut x = indent + offset;
    let mut right = x;
    for a in b.start..b.end {
        let atom = &p.atoms[a];
        let extra_left = if a == b.start && f.start_trim > 0.0 {
            f.start_trim
        } else {
            atom.left_blank * f.shrink[atom.blank_priority]
        };
        let extra_right = if a + 1 == b.end {
            f.end_trim + atom.right_blank * f.shrink[priority::LINE_END]
        } else {
            atom.right_blank * f.shrink[atom.blank_priority]
        };
        let advance = atom.width - extra_left - extra_right;
        let single = atom.glyphs.len() == 1;
        glyphs.extend(atom.glyphs.iter().map(|g| {
            let origin = x + g.x - atom.left_trimmed - extra_left;
            let (box_x, box_width) = if single { (x, advance) } else { (origin, g.advance) };
            PlacedGlyph {
                x: origin,
                face: g.face,
                id: g.id,
                size: g.size,
                advance: g.advance,
                text: g.text,
                tag: g.tag,
                ligated: g.ligated,
                box_x,
                box_width,
            }
        }));
        advances.push(advance);
        x += advance;
        if !(f.hang && a + 1 == b.end) {
            right = x;
        }
        if a + 1 < b.end {
            let j = &p.junctions[a];
            let stretch = match j.gap {
                Gap::WordSpace => f.stretch_word,
                Gap::Autospace => f.stretch_auto,
                Gap::Normal => f.stretch_normal,
                Gap::Avoid => f.stretch_avoid,
            };
            let shrink_prio = shrink_priority(j.gap);
            let stretch = if f.hang && a + 2 == b.end { 0.0 } else { stretch };
            x += j.glue - j.shrink * f.shrink[shrink_prio] + stretch;
        }
    }
    Line {
        glyphs,
        measure,
        stretch_per_gap: f.stretch_normal.max(f.stretch_avoid),
        right,
        last,
        overfull: f.overfull,
        ragged: f.ragged,
        hang: f.hang,
        advances,
        orphan_avoided: false,
    }
}
