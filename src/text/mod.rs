//! Text: Chinese line composition. The algorithm reads top to bottom:
//!
//! 1. [`prepare`]: characters → atoms (unbreakable units, with punctuation widths and
//!    adjacent compression) and junctions (kinsoku, autospace), from the clreq [`classes`];
//! 2. [`linebreak`]: total-fit line breaking against a [`Measure`] (a width per line):
//!    push-in before push-out, hanging where allowed, no single-character last line, in
//!    time linear in the paragraph's length;
//! 3. [`finalize`]: place the glyphs, justifying between atoms.
//!
//! The layout calls [`set_paragraph`] for paragraphs and [`title::set_title`] for heads
//! (broken between words, balanced); everything is configured through [`Config`].

pub mod classes;
pub mod finalize;
pub mod linebreak;
pub mod prepare;
pub mod title;

pub use classes::{class_of, Class, Kinsoku};
pub use finalize::{Line, PlacedGlyph};
pub use linebreak::{LineWidths, Measure, Reads, Widths};
pub use prepare::{prepare, Prepared, StyledRun, Uncovered};

use crate::fonts::FontBook;
use crate::spec::layout::{Adjacent, Align, CompositionSpec, Hanging, LineEndTrim, PunctuationStyle};

/// How a paragraph is composed: the style's settings, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub kinsoku: Kinsoku,
    pub punctuation: PunctuationStyle,
    pub adjacent: Adjacent,
    pub line_end_trim: LineEndTrim,
    pub trim_open_at_line_start: bool,
    pub hanging: bool,
    pub autospace_alpha: bool,
    pub autospace_numeric: bool,
    pub align: Align,
    /// First-line indent in points.
    pub indent: f32,
    /// A justified line stretched more than this per gap, in em, counts as loose
    /// (clreq-rules §6).
    pub loose: f32,
    /// No break between a number and the measure word or unit after it (classes.rs).
    pub keep_number_with_unit: bool,
}

/// Default stretch per gap above which a line counts as loose (clreq-rules §6), in em.
pub const LOOSE_EM: f32 = 0.25;

impl Default for Config {
    /// clreq-rules §9's defaults: GB style, level `gb`, adjacent 1.5 em, line-end trim
    /// `allow`, no trim at the line start, no hanging, autospace on; numbers kept with
    /// their units.
    fn default() -> Self {
        Config {
            kinsoku: Kinsoku::Gb,
            punctuation: PunctuationStyle::Quanjiao,
            adjacent: Adjacent::OneAndHalf,
            line_end_trim: LineEndTrim::Allow,
            trim_open_at_line_start: false,
            hanging: false,
            autospace_alpha: true,
            autospace_numeric: true,
            align: Align::Justify,
            indent: 0.0,
            loose: LOOSE_EM,
            keep_number_with_unit: true,
        }
    }
}

impl Config {
    /// The settings of a composition spec for type of `size` points (unset keys take the
    /// defaults). The model calls this once per style.
    pub fn from_spec(spec: &CompositionSpec, align: Align, indent: f32, size: f32) -> Config {
        let d = Config::default();
        let autospace = spec.autospace.unwrap_or_default();
        Config {
            kinsoku: spec.kinsoku.unwrap_or(d.kinsoku),
            punctuation: spec.punctuation.unwrap_or(d.punctuation),
            adjacent: spec.adjacent.unwrap_or(d.adjacent),
            line_end_trim: spec.line_end_trim.unwrap_or(d.line_end_trim),
            trim_open_at_line_start: spec.trim_open_at_line_start.unwrap_or(d.trim_open_at_line_start),
            hanging: spec.hanging == Some(Hanging::Allow),
            autospace_alpha: autospace.alpha.unwrap_or(d.autospace_alpha),
            autospace_numeric: autospace.numeric.unwrap_or(d.autospace_numeric),
            align,
            indent,
            loose: spec.loose.map_or(d.loose, |l| l.resolve(size) / size),
            keep_number_with_unit: spec.keep_number_with_unit.unwrap_or(d.keep_number_with_unit),
        }
    }
}

/// Compose a paragraph to the widths of `measure` (a plain `f32` for one width throughout).
pub fn set_paragraph(
    runs: &[StyledRun],
    fonts: &FontBook,
    config: &Config,
    measure: impl Measure,
) -> Result<Vec<Line>, Uncovered> {
    let prepared = prepare(runs, fonts, config)?;
    Ok(set_prepared(&prepared, config, measure))
}

/// Break and set an already prepared paragraph.
pub fn set_prepared(prepared: &Prepared, config: &Config, mut measure: impl Measure) -> Vec<Line> {
    let mut widths = LineWidths::new(&mut measure, config.indent);
    set_to(prepared, config, &mut widths, 0)
}

/// How many lines the paragraph takes in `measure` at its best, and whether it can be set a
/// line fewer and a line more ([`set_prepared_reads`] with a change of −1 and +1 gives
/// another count exactly when these say so): [`linebreak::line_counts`], nothing set.
pub fn line_counts(prepared: &Prepared, config: &Config, mut measure: impl Measure) -> LineCounts {
    let mut widths = LineWidths::new(&mut measure, config.indent);
    let (best, others) = linebreak::line_counts(prepared, prepared.sums(), config, &mut widths);
    LineCounts { best, fewer: others.contains(&(best.wrapping_sub(1))), more: others.contains(&(best + 1)) }
}

/// How many lines the paragraph's best breaking in `measure` takes (nothing set).
pub fn best_line_count(prepared: &Prepared, config: &Config, mut measure: impl Measure) -> usize {
    let mut widths = LineWidths::new(&mut measure, config.indent);
    linebreak::break_lines(prepared, prepared.sums(), config, &mut widths).lines.len()
}

/// What [`line_counts`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCounts {
    pub best: usize,
    pub fewer: bool,
    pub more: bool,
}

/// [`set_prepared`], and what it read of the widths: the same paragraph given a measure
/// with the same [`Reads`] ([`Reads::same_for`], the indent `config.indent`) sets the same
/// lines.
///
/// `change`: lines more (or fewer) than the best breaking takes, where a breaking with
/// gaps within the first pass's tolerance has them ([`linebreak::break_lines_changed`]).
pub fn set_prepared_reads(
    prepared: &Prepared,
    config: &Config,
    measure: &mut dyn Measure,
    change: i8,
) -> (Vec<Line>, Reads) {
    let mut widths = LineWidths::new(measure, config.indent);
    widths.keep_reads();
    let lines = set_to(prepared, config, &mut widths, change);
    (lines, widths.take_reads().unwrap_or_default())
}

fn set_to(prepared: &Prepared, config: &Config, widths: &mut LineWidths, change: i8) -> Vec<Line> {
    let sums = prepared.sums();
    let breaks = linebreak::break_lines_changed(prepared, sums, config, widths, change);
    let count = breaks.lines.len();
    let mut lines: Vec<Line> = breaks
        .lines
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let indent = if i == 0 { config.indent } else { 0.0 };
            finalize::set_line(prepared, sums, b, widths.full(i), indent, config, i + 1 == count)
        })
        .collect();
    if let Some(last) = lines.last_mut() {
        last.orphan_avoided = breaks.orphan_avoided;
    }
    lines
}

#[cfg(test)]
pub(crate) mod tests;
