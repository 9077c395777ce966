//! Text: Chinese line composition. The algorithm reads top to bottom:
//!
//! 1. [`prepare`]: characters → atoms (unbreakable units) and junctions (may a line
//!    break here, how much may it stretch), from the clreq [`classes`];
//! 2. [`linebreak`]: choose line ends against a measure per line;
//! 3. [`finalize`]: place the glyphs, justifying between atoms.
//!
//! The layout calls [`set_paragraph`]; everything is configured through [`Config`].

pub mod classes;
pub mod finalize;
pub mod linebreak;
pub mod prepare;

pub use classes::{class_of, Class, Kinsoku};
pub use finalize::{Line, PlacedGlyph};
pub use prepare::{prepare, Prepared, StyledRun, Uncovered};

use crate::fonts::FontBook;
use crate::model::layout::Align;

/// How a paragraph is composed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Line-start and line-end prohibitions.
    pub kinsoku: Kinsoku,
    pub align: Align,
    /// First-line indent in points.
    pub indent: f32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            kinsoku: Kinsoku::Gb,
            align: Align::Justify,
            indent: 0.0,
        }
    }
}

/// Compose a paragraph: `measure(i)` gives the width of line `i`.
pub fn set_paragraph(
    runs: &[StyledRun],
    fonts: &FontBook,
    config: &Config,
    measure: &mut dyn FnMut(usize) -> f32,
) -> Result<Vec<Line>, Uncovered> {
    let prepared = prepare(runs, fonts, config)?;
    Ok(set_prepared(&prepared, config, measure))
}

/// Break and set an already prepared paragraph.
pub fn set_prepared(
    prepared: &Prepared,
    config: &Config,
    measure: &mut dyn FnMut(usize) -> f32,
) -> Vec<Line> {
    let mut widths = Vec::new();
    let breaks = linebreak::break_lines(prepared, &mut |i| {
        let w = measure(i);
        widths.push(w);
        w - if i == 0 { config.indent } else { 0.0 }
    });
    let count = breaks.len();
    breaks
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let indent = if i == 0 { config.indent } else { 0.0 };
            finalize::set_line(prepared, b, widths[i], indent, config.align, i + 1 == count)
        })
        .collect()
}

#[cfg(test)]
mod tests;
