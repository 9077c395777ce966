//! Line breaking: total fit over the whole paragraph (Knuth–Plass style), against a
//! measure per line (columns differ, and lines beside a photo are shorter).
//!
//! Each candidate line is judged by [`fit`], which applies clreq's order: trim at the
//! line edges, push in (shrink blanks and gaps by priority), and only then stretch; a
//! pause/stop mark may hang instead where that is allowed. Breaks that kinsoku forbids
//! are not candidates; a last line of one character (孤字) is avoided by re-breaking.

use super::classes::Class;
use super::prepare::{priority, Gap, Prepared};
use super::Config;
use crate::spec::layout::{Align, LineEndTrim};

/// Tolerance for "fits": a hundredth of a point.
pub const EPSILON: f32 = 0.01;

/// Where a line starts and ends, as atom indices (`end` exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Break {
    pub start: usize,
    pub end: usize,
}

/// How a line of atoms is brought to its measure.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Fit {
    /// Width before justification, after the trims at the line's edges.
    pub natural: f32,
    /// Blank taken off the first atom's left (an opening mark at the line start).
    pub start_trim: f32,
    /// Blank taken off the last atom's right (a closing or pause/stop mark at the end).
    pub end_trim: f32,
    /// The last mark hangs outside the measure.
    pub hang: bool,
    /// For each shrink priority, the fraction of its shrinkable space used (push-in).
    pub shrink: [f32; priority::COUNT],
    /// Space added to each gap of each kind.
    pub stretch_word: f32,
    pub stretch_auto: f32,
    pub stretch_normal: f32,
    pub stretch_avoid: f32,
    /// The line could not be brought to its measure: wider than it even after push-in.
    pub overfull: bool,
    /// The line is shorter than its measure and has no gap to stretch.
    pub ragged: bool,
    pub badness: f64,
}

pub(super) const INFEASIBLE: f64 = 1e10;
/// Badness of a justified line that cannot reach its measure (nothing to stretch): worse
/// than any stretch.
const RAGGED: f64 = 1e6;
/// Stretch per gap, in em, beyond which a line is not a candidate in the first pass.
pub(super) const TOLERANCE: f32 = 0.75;
/// Demerits of a last line of one character (孤字): taken only when nothing else works.
pub(super) const ORPHAN: f64 = 1e8;
/// Atoms a line may hold at most: several times what the widest line of a page holds (a
/// 780 mm spread at 5 pt takes 440 characters), so that it bounds the breaker's window
/// even where atoms take no room (a font's zero-width glyphs).
pub const MAX_LINE_ATOMS: usize = 1000;
/// Ways kept into one break at most. Ways are kept apart by their number of lines only
/// while the widths ahead of them differ, which for real text gives a few dozen at most
/// (89 in an edition of 50 times the demo's text); this caps the pathological rest.
pub const MAX_WAYS: usize = 256;
/// Demerits of a break kinsoku forbids: the last resort (clreq's three-marks remedy).
pub(super) const FORBIDDEN: f64 = 1e9;

pub(super) fn shrink_priority(gap: Gap) -> usize {
    match gap {
        Gap::WordSpace => priority::WORD_SPACE,
        _ => priority::AUTOSPACE,
    }
}

/// Running totals over a paragraph, so that judging a line costs the same whatever its
/// length: index `i` holds the sum over atoms (or junctions) `0..i`.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    width: Vec<f32>,
    glue: Vec<f32>,
    /// Blanks of the atoms, by shrink priority.
    left_blank: Vec<[f32; priority::COUNT]>,
    right_blank: Vec<[f32; priority::COUNT]>,
    /// Shrinkable glue of the junctions, by shrink priority.
    glue_shrink: Vec<[f32; priority::COUNT]>,
    /// Junctions of each gap kind: word space, autospace, normal, avoid.
    gaps: Vec<[usize; 4]>,
}

fn gap_index(gap: Gap) -> usize {
    match gap {
        Gap::WordSpace => 0,
        Gap::Autospace => 1,
        Gap::Normal => 2,
        Gap::Avoid => 3,
    }
}

/// Whether the line's gaps are stretched to the measure (a justified paragraph's last line
/// is not).
fn spread(config: &Config, last: bool) -> bool {
    match config.align {
        Align::Justify => !last,
        Align::Distribute => true,
        _ => false,
    }
}

impl Sums {
    /// Whether atoms `start..end` are certainly too short for `measure`: stretched to it, their
    /// even gaps would open by more than `tolerance` em each even before the line's ends are
    /// trimmed (trimming only adds to the stretch). A cheap test that spares [`fit`] most of the
    /// short lines a break is judged against; [`fit`] rejects every line it lets through wrongly.
    fn too_short(&self, p: &Prepared, start: usize, end: usize, measure: f32, tolerance: f32, spread: bool) -> bool {
        if !spread {
            return false;
        }
        let em = p.atoms[start].size;
        let natural = self.width[end] - self.width[start] + self.glue[end - 1] - self.glue[start];
        let count = |gap: Gap| (self.gaps[end - 1][gap_index(gap)] - self.gaps[start][gap_index(gap)]) as f32;
        let even = match count(Gap::Normal) {
            n if n > 0.0 => n,
            _ => count(Gap::Avoid),
        };
        if even == 0.0 {
            return false;
        }
        let capped = count(Gap::WordSpace) * 0.5 * em + count(Gap::Autospace) * (em / 3.0 - em / 4.0);
        measure - natural - capped > even * tolerance * em + 1e-3
    }

    pub fn new(p: &Prepared) -> Sums {
        fn running<T: Copy, U>(items: &[U], zero: T, add: impl Fn(T, &U) -> T) -> Vec<T> {
            let mut out = Vec::with_capacity(items.len() + 1);
            let mut acc = zero;
            out.push(acc);
            for item in items {
                acc = add(acc, item);
                out.push(acc);
            }
            out
        }
        let by_priority = |mut acc: [f32; priority::COUNT], prio: usize, v: f32| {
            acc[prio] += v;
            acc
        };
        Sums {
            width: running(&p.atoms, 0.0, |acc, a| acc + a.width),
            glue: running(&p.junctions, 0.0, |acc, j| acc + j.glue),
            left_blank: running(&p.atoms, [0.0; priority::COUNT], |acc, a| {
                by_priority(acc, a.blank_priority, a.left_blank)
            }),
            right_blank: running(&p.atoms, [0.0; priority::COUNT], |acc, a| {
                by_priority(acc, a.blank_priority, a.right_blank)
            }),
            glue_shrink: running(&p.junctions, [0.0; priority::COUNT], |acc, j| {
                by_priority(acc, shrink_priority(j.gap), j.shrink)
            }),
            gaps: running(&p.junctions, [0; 4], |mut acc, j| {
                acc[gap_index(j.gap)] += 1;
                acc
            }),
        }
    }
}

/// Judge atoms `start..end` set in `measure` points.
pub fn fit(p: &Prepared, sums: &Sums, start: usize, end: usize, measure: f32, config: &Config, last: bool) -> Fit {
    let atoms = &p.atoms[start..end];
    let mut f =
        Fit { natural: sums.width[end] - sums.width[start] + sums.glue[end - 1] - sums.glue[start], ..Fit::default() };

    let first = &atoms[0];
    if config.trim_open_at_line_start && first.first == Class::Opening {
        f.start_trim = first.left_blank;
    }
    let last_atom = &atoms[atoms.len() - 1];
    if config.line_end_trim == LineEndTrim::Always {
        f.end_trim = last_atom.right_blank;
    }
    f.natural -= f.start_trim + f.end_trim;
    let em = first.size;
    // A line no wider than its measure is stretched: what it could push in, and whether a
    // mark could hang (only where the line would be pushed out), are not needed. Most lines
    // a break is judged against are of this kind.
    if f.natural > measure + EPSILON && push_in(p, sums, start, end, measure, config, &mut f) {
        return f;
    }
    let mut extra = measure - f.natural;
    let spread = spread(config, last);
    // A hanging mark's gap is outside the measure: it takes no stretch.
    let gaps_end = if f.hang { end - 2 } else { end - 1 };
    let count = |gap: Gap| sums.gaps[gaps_end][gap_index(gap)] - sums.gaps[start][gap_index(gap)];
    let (words, autos, normals, avoids) =
        (count(Gap::WordSpace), count(Gap::Autospace), count(Gap::Normal), count(Gap::Avoid));
    let mut take = |n: usize, cap: f32| -> f32 {
        if n == 0 || extra <= 0.0 {
            return 0.0;
        }
        let each = (extra / n as f32).min(cap);
        extra -= each * n as f32;
        each
    };
    f.stretch_word = take(words, 0.5 * em);
    f.stretch_auto = take(autos, em / 3.0 - em / 4.0);
    f.stretch_normal = take(normals, f32::INFINITY);
    f.stretch_avoid = take(avoids, f32::INFINITY);
    // Past the caps, when no other gap is left.
    let beyond = take(words + autos, f32::INFINITY);
    f.stretch_word += beyond;
    f.stretch_auto += beyond;
    f.ragged = extra > EPSILON;
    let per_gap = f.stretch_normal.max(f.stretch_avoid).max(beyond);
    f.badness = if f.ragged { RAGGED } else { (100.0 * (per_gap / (0.25 * em)).powi(3)).min(1e4) as f64 };
    if !spread {
        f.stretch_word = 0.0;
        f.stretch_auto = 0.0;
        f.stretch_normal = 0.0;
        f.stretch_avoid = 0.0;
        f.ragged = false;
        f.badness = if matches!(config.align, Align::Justify) { 0.0 } else { f.badness.min(1e4) };
    }
    f
}

/// [`fit`] of a line wider than its measure: hang its last mark where that is allowed,
/// else push in by priority, and say whether that settled it (`false`: after hanging it is
/// no wider than its measure, and is stretched).
fn push_in(p: &Prepared, sums: &Sums, start: usize, end: usize, measure: f32, config: &Config, f: &mut Fit) -> bool {
    let atoms = &p.atoms[start..end];
    let junctions = &p.junctions[start..end - 1];
    let (first, last_atom) = (&atoms[0], &atoms[atoms.len() - 1]);
    let mut available = [0f32; priority::COUNT];
    for (prio, slot) in available.iter_mut().enumerate() {
        *slot = sums.left_blank[end][prio] - sums.left_blank[start][prio] + sums.right_blank[end][prio]
            - sums.right_blank[start][prio]
            + sums.glue_shrink[end - 1][prio]
            - sums.glue_shrink[start][prio];
    }
    // The first atom's left blank may give way too (an opening mark after the indent),
    // unless the line-start trim has already taken it; the last atom's right blank is
    // the line end's.
    available[first.blank_priority] -= f.start_trim;
    available[last_atom.blank_priority] -= last_atom.right_blank;
    if config.line_end_trim == LineEndTrim::Allow {
        available[priority::LINE_END] += last_atom.right_blank;
    }
    for a in available.iter_mut() {
        *a = a.max(0.0);
    }
    let total_shrink: f32 = available.iter().sum();

    // Hanging only where the line would otherwise be pushed out, and never with two
    // marks side by side.
    let can_hang = config.hanging
        && atoms.len() > 1
        && last_atom.hangable
        && !atoms[atoms.len() - 2].last.is_mark()
        && f.natural - total_shrink > measure + EPSILON;
    if can_hang {
        f.hang = true;
        f.natural -= last_atom.width - f.end_trim + junctions[junctions.len() - 1].glue;
        available[priority::LINE_END] = 0.0;
    }
    if f.natural <= measure + EPSILON {
        return false;
    }
    let mut deficit = f.natural - measure;
    let mut taken = 0.0;
    for (prio, &avail) in available.iter().enumerate() {
        if deficit <= 0.0 || avail <= 0.0 {
            continue;
        }
        let take = deficit.min(avail);
        f.shrink[prio] = take / avail;
        deficit -= take;
        taken += take;
    }
    if deficit > EPSILON {
        f.overfull = true;
        f.badness = INFEASIBLE;
    } else {
        // Push-in is preferred to push-out: its cost stays below any visible stretch.
        f.badness = (taken / total_shrink.max(EPSILON)) as f64;
    }
    true
}

/// A last line of a single character, alone or with its punctuation (孤字).
pub fn is_orphan(p: &Prepared, start: usize, end: usize) -> bool {
    let words: Vec<_> = p.atoms[start..end].iter().filter(|a| !a.first.is_mark()).collect();
    words.len() == 1 && words[0].chars() == 1
}

/// The widths of a paragraph's lines, as the layout knows them.
///
/// Besides each line's width the breaker needs to know where the widths stop changing:
/// two ways of reaching the same break with different numbers of lines set can only end
/// differently through the widths of the lines still to come, so where those all have
/// one width one way per break suffices (see [`break_lines`]). The breaker looks ahead
/// for that: it may ask for the widths of more lines than it sets (as many as atoms are
/// left, at most up to the first line from which they are uniform).
pub trait Measure {
    /// The width of line `line` (0 is the first), in points, and whether this line and
    /// every later one take this width (then no later line is asked for). One call a line:
    /// the thread's answer is a look-up in the flow's look-ahead, and two calls made two.
    fn line(&mut self, line: usize) -> (f32, bool);
}

/// One width for every line: a caption, a folio, a headline.
impl Measure for f32 {
    fn line(&mut self, _: usize) -> (f32, bool) {
        (*self, true)
    }
}

/// Widths line by line: `lines(i)` is the width of line `i`, or `None` for line `i` and
/// every line after it, which all take `rest` (a thread's columns have ended).
pub struct Widths<F> {
    lines: F,
    rest: f32,
}

impl<F: FnMut(usize) -> Option<f32>> Widths<F> {
    pub fn new(lines: F, rest: f32) -> Self {
        Widths { lines, rest }
    }
}

impl<F: FnMut(usize) -> Option<f32>> Measure for Widths<F> {
    fn line(&mut self, line: usize) -> (f32, bool) {
        match (self.lines)(line) {
            Some(width) => (width, false),
            None => (self.rest, true),
        }
    }
}

/// Widths closer than this are one width to the breaker's classes: the line boxes of
/// columns of one width, computed at different places on the page, differ in their last
/// bits (116.99994 pt and 117 pt), and only a choice that hung on a ten-thousandth of a
/// point could tell them apart.
pub const SAME_WIDTH: f32 = 0.001;

/// A paragraph's line widths as the breaker asks for them: each fetched from the
/// [`Measure`] once and in order, none after the first line from which they are uniform.
pub struct LineWidths<'m> {
    measure: &'m mut dyn Measure,
    indent: f32,
    widths: Vec<f32>,
    /// For each line fetched, the first line of the run of the same width it belongs to
    /// (within [`SAME_WIDTH`]).
    run_start: Vec<usize>,
    /// The first line from which every line has the same width, once reached.
    uniform_from: Option<usize>,
    /// What the breaker and the setter read, when asked to keep it (see [`Reads`]).
    reads: Option<Reads>,
}

/// Everything a breaking read of its widths: the full width of each line up to the last
/// one it looked at, and what each look ahead for settled widths decided. A paragraph
/// whose widths give the same reads breaks into the same lines, whatever its widths
/// further on: the copy-fit resizes a picture a column away and the paragraphs that do not
/// reach it keep their lines (see [`Reads::same_for`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reads {
    /// The bits of [`LineWidths::full`] of lines `0..len`.
    widths: Vec<u32>,
    /// For each look ahead ([`LineWidths::same_width_from`] as [`break_lines`] uses it): the
    /// line it looked to, the class cap it was bounded by, and the bounded answer.
    settled: Vec<(usize, usize, usize)>,
}

impl Reads {
    /// Whether `measure`, with the first line `indent` narrower, gives exactly these reads,
    /// so that breaking and setting the paragraph to it gives the lines these reads gave.
    pub fn same_for(&self, measure: &mut dyn Measure, indent: f32) -> bool {
        let mut widths = LineWidths::new(measure, indent);
        self.widths.iter().enumerate().all(|(i, &bits)| widths.full(i).to_bits() == bits)
            && self.settled.iter().all(|&(reach, cap, answer)| widths.same_width_from(reach).max(1).min(cap) == answer)
    }
}

impl<'m> LineWidths<'m> {
    /// The widths of `measure`, the first line `indent` points narrower.
    pub fn new(measure: &'m mut dyn Measure, indent: f32) -> Self {
        LineWidths { measure, indent, widths: Vec::new(), run_start: Vec::new(), uniform_from: None, reads: None }
    }

    /// Keep what is read from here on, for [`Self::take_reads`].
    pub fn keep_reads(&mut self) {
        self.reads = Some(Reads::default());
    }

    /// What was read since [`Self::keep_reads`].
    pub fn take_reads(&mut self) -> Option<Reads> {
        self.reads.take()
    }

    fn fetch(&mut self, line: usize) {
        while self.uniform_from.is_none() && self.widths.len() <= line {
            let i = self.widths.len();
            let (width, uniform) = self.measure.line(i);
            let start = match self.run_start.last() {
                Some(&start) if (self.widths[start] - width).abs() <= SAME_WIDTH => start,
                _ => i,
            };
            self.widths.push(width);
            self.run_start.push(start);
            if uniform {
                self.uniform_from = Some(i);
            }
        }
    }

    /// The full width of line `line`, the indent not taken off.
    pub fn full(&mut self, line: usize) -> f32 {
        self.fetch(line);
        let width = self.widths[line.min(self.widths.len() - 1)];
        if let Some(reads) = &mut self.reads {
            while reads.widths.len() <= line {
                let i = reads.widths.len();
                reads.widths.push(self.widths[i.min(self.widths.len() - 1)].to_bits());
            }
        }
        width
    }

    /// The width line `line` is broken to: the first line's less the indent.
    fn available(&mut self, line: usize) -> f32 {
        self.full(line) - if line == 0 { self.indent } else { 0.0 }
    }

    /// The first line from which every line up to `reach` has the same width (within
    /// [`SAME_WIDTH`]).
    fn same_width_from(&mut self, reach: usize) -> usize {
        self.fetch(reach);
        self.run_start[reach.min(self.run_start.len() - 1)]
    }
}

/// One way of breaking the paragraph up to atom `pos`, with `line` lines set.
struct Node {
    pos: usize,
    line: usize,
    demerits: f64,
    prev: Option<usize>,
}

/// The best way into the break being judged, for one class of ways (see [`break_lines`]).
#[derive(Clone, Copy)]
struct Candidate {
    line: usize,
    demerits: f64,
    from: usize,
}

/// Break the paragraph into lines of `widths`.
///
/// Total fit, bounded in two ways:
///
/// - the window: a way into a break stays active only while the line from it still fits
///   its measure (a longer line only gets wider) and holds at most [`MAX_LINE_ATOMS`], so
///   each break is judged from at most a line's worth of earlier breaks;
/// - the classes: at each break one way is kept per number of lines set while the widths
///   ahead still change, and one in all for the ways that have only lines of one width
///   ahead of them, as far as the rest of the paragraph could reach.
///
/// The work is O(atoms × a line's atoms × (lines before the widths settle + 1)), linear
/// in the paragraph, and never more than O(atoms × a line's atoms × [`MAX_WAYS`]). Up to
/// that cap the result is that of keeping every way: the ways of a class have
/// the same lines ahead of them and differ only in their demerits so far, and a tie goes
/// to fewer lines, as at the paragraph's end.
pub fn break_lines(p: &Prepared, sums: &Sums, config: &Config, widths: &mut LineWidths) -> Breaks {
    break_lines_with(p, sums, config, widths, Goal::Best)
}

/// The paragraph broken into `change` lines more (or, negative, fewer) than its best
/// breaking ([`break_lines`]), TeX's `\looseness`: the copy-fit's way to let a paragraph
/// gain or lose one line (makeup-rules: "letting a paragraph lose or gain one line"). Of the
/// breakings with that many lines, the one whose demerits are least: one more pass of the
/// breaker that keeps a way per number of lines set at every break (ways with the same lines
/// behind them have the same lines ahead, so the best of each count is exact). Only lines
/// within the first pass's tolerance are taken, and never a one-character last line; where
/// no such breaking exists, the best breaking is returned.
pub fn break_lines_changed(p: &Prepared, sums: &Sums, config: &Config, widths: &mut LineWidths, change: i8) -> Breaks {
    let natural = break_lines(p, sums, config, widths);
    let target = natural.lines.len() as i64 + change as i64;
    if change == 0 || target < 1 || p.atoms.len() > MAX_COUNTED_ATOMS {
        return natural;
    }
    let counted = break_lines_with(p, sums, config, widths, Goal::Lines(target as usize));
    let work = Work {
        fits: natural.work.fits + counted.work.fits,
        nodes: natural.work.nodes + counted.work.nodes,
        most_ways: natural.work.most_ways.max(counted.work.most_ways),
    };
    // None found: no lines (a per-count pass never ends in a one-character line).
    if counted.lines.len() as i64 == target {
        Breaks { work, ..counted }
    } else {
        Breaks { work, ..natural }
    }
}

/// The numbers of lines, other than the best breaking's, that the paragraph can be broken
/// into with every line within the first pass's tolerance and no one-character last line
/// (what [`break_lines_changed`] can give), and the best breaking's: two passes of the
/// breaker, where asking [`break_lines_changed`] for each would take four and set nothing.
pub fn line_counts(p: &Prepared, sums: &Sums, config: &Config, widths: &mut LineWidths) -> (usize, Vec<usize>) {
    let best = break_lines(p, sums, config, widths).lines.len();
    let mut counts = Vec::new();
    if p.atoms.len() > MAX_COUNTED_ATOMS {
        return (best, counts);
    }
    break_lines_with(p, sums, config, widths, Goal::Counts(&mut counts));
    counts.retain(|&c| c != best);
    (best, counts)
}

/// A paragraph longer than this (in atoms: about 300 lines of a column) is never set a line
/// longer or shorter: the pass that keeps a way per number of lines keeps, at every break,
/// as many ways as there are line counts that reach it, which grows with the paragraph
/// (a 100,000-character paragraph took 2.9 s and 0.9 GB), and a line more in so long a
/// paragraph is no make-up a page needs.
pub const MAX_COUNTED_ATOMS: usize = 4000;

/// What [`break_lines_with`] looks for.
enum Goal<'a> {
    /// The best breaking.
    Best,
    /// The best breaking of exactly this many lines within the first pass's tolerance (none
    /// found: no lines).
    Lines(usize),
    /// Every number of lines a breaking within the first pass's tolerance can take, with no
    /// one-character last line, sorted (the breaks returned are none).
    Counts(&'a mut Vec<usize>),
}

/// The breaker's passes, for `goal`.
fn break_lines_with(p: &Prepared, sums: &Sums, config: &Config, widths: &mut LineWidths, mut goal: Goal) -> Breaks {
    let n = p.atoms.len();
    if n == 0 {
        return Breaks::default();
    }
    let chain = |nodes: &[Node], mut at: usize| -> Vec<Break> {
        let mut out = Vec::new();
        while let Some(prev) = nodes[at].prev {
            out.push(Break { start: nodes[prev].pos, end: nodes[at].pos });
            at = prev;
        }
        out.reverse();
        out
    };
    let mut work = Work::default();
    // The best way into the current break per class: `slot[class]` indexes `best`.
    let mut best: Vec<Candidate> = Vec::new();
    let mut slot: Vec<usize> = Vec::new();
    let mut classes: Vec<usize> = Vec::new();
    // The ways still active after each break, swapped with `active`: one buffer, not one
    // allocation an atom.
    let mut keep: Vec<usize> = Vec::new();
    // First only lines stretched at most `TOLERANCE` em per gap; then any stretch; last,
    // breaks kinsoku forbids and words wider than the measure.
    let per_count = !matches!(goal, Goal::Best);
    let passes: &[(f32, bool)] = if per_count {
        &[(TOLERANCE, false)]
    } else {
        &[(TOLERANCE, false), (f32::INFINITY, false), (f32::INFINITY, true)]
    };
    for &(tolerance, emergency) in passes {
        let mut nodes = vec![Node { pos: 0, line: 0, demerits: 0.0, prev: None }];
        // The best paragraph ending in a single-character line, before its penalty.
        let mut best_orphan = f64::INFINITY;
        let mut active = vec![0usize];
        for j in 1..=n {
            let legal = j == n || p.junctions[j - 1].breakable;
            if !legal && !emergency {
                continue;
            }
            // Ways into this break that have set `same_from` lines or more have only lines
            // of one width ahead of them, as far as the rest of the paragraph could reach
            // (a line a remaining atom at most): they compete as one class.
            let most_lines = active.iter().map(|&a| nodes[a].line).max().unwrap_or(0);
            let same_from = if emergency {
                0
            } else if per_count {
                // Every number of lines is a class of its own.
                usize::MAX
            } else {
                let reach = most_lines + (n - j);
                let same_from = widths.same_width_from(reach).max(1);
                // Only `min(same_from, most_lines + 1)` tells the classes apart below.
                if let Some(reads) = &mut widths.reads {
                    let (cap, answer) = (most_lines + 1, same_from.min(most_lines + 1));
                    if reads.settled.last() != Some(&(reach, cap, answer)) {
                        reads.settled.push((reach, cap, answer));
                    }
                }
                same_from
            };
            keep.clear();
            // The ways into one break lie side by side in `active`, and those with different
            // numbers of lines often have lines of one width ahead: the line from there is
            // then judged once. (`None` in the fit: too short to judge.)
            let mut judged: Option<(usize, u32, Option<Fit>)> = None;
            for &a in &active {
                let (pos, line, demerits) = (nodes[a].pos, nodes[a].line, nodes[a].demerits);
                if j - pos > MAX_LINE_ATOMS {
                    continue;
                }
                let w = widths.available(line);
                let f = match judged {
                    Some((at, bits, f)) if at == pos && bits == w.to_bits() => f,
                    _ => {
                        let f = if !emergency
                            && tolerance.is_finite()
                            && sums.too_short(p, pos, j, w, tolerance, spread(config, j == n))
                        {
                            None
                        } else {
                            work.fits += 1;
                            Some(fit(p, sums, pos, j, w, config, j == n))
                        };
                        judged = Some((pos, w.to_bits(), f));
                        f
                    }
                };
                let Some(f) = f else {
                    // Not a candidate; longer lines from here may be.
                    keep.push(a);
                    continue;
                };
                let too_long = f.overfull && f.natural > 2.0 * w + p.atoms[pos].size;
                if f.overfull && !emergency {
                    // Longer lines from here only get wider.
                    continue;
                }
                if !too_long {
                    keep.push(a);
                }
                let em = p.atoms[pos].size;
                if !emergency
                    && (f.stretch_normal.max(f.stretch_avoid) > tolerance * em || (f.ragged && tolerance.is_finite()))
                {
                    continue;
                }
                let mut d = demerits + (1.0 + f.badness).powi(2);
                if f.overfull {
                    // Emergency: only a single atom may overflow (a word wider than the column).
                    if j - pos > 1 {
                        continue;
                    }
                    d += INFEASIBLE;
                }
                if !legal {
                    d += FORBIDDEN;
                }
                if j == n && line > 0 && is_orphan(p, pos, n) {
                    if per_count {
                        // Never taken for a count: a way of the same count that is merely
                        // loose must not lose its class to it.
                        continue;
                    }
                    best_orphan = best_orphan.min(d);
                    d += ORPHAN;
                }
                // In the last resort just the best way, whatever its line count, so that a
                // long run without a legal break costs the window, not the window times
                // every line count.
                let class = if emergency { 0 } else { (line + 1).min(same_from) };
                if slot.len() <= class {
                    slot.resize(class + 1, usize::MAX);
                }
                let new = Candidate { line: line + 1, demerits: d, from: a };
                match best.get_mut(slot[class]) {
                    Some(b) if b.demerits < d || (b.demerits == d && (emergency || b.line <= new.line)) => {}
                    Some(b) => *b = new,
                    None => {
                        slot[class] = best.len();
                        best.push(new);
                        classes.push(class);
                    }
                }
            }
            std::mem::swap(&mut active, &mut keep);
            if best.len() > MAX_WAYS {
                // The safety net for a paragraph of thousands of lines over widths that never
                // settle: the best ways only. (Here total fit is approximate.)
                best.sort_by(|a, b| a.demerits.total_cmp(&b.demerits).then(a.line.cmp(&b.line)));
                best.truncate(MAX_WAYS);
            }
            work.most_ways = work.most_ways.max(best.len());
            for b in best.drain(..) {
                nodes.push(Node { pos: j, line: b.line, demerits: b.demerits, prev: Some(b.from) });
                active.push(nodes.len() - 1);
            }
            for class in classes.drain(..) {
                slot[class] = usize::MAX;
            }
        }
        work.nodes += nodes.len();
        if let Goal::Counts(counts) = &mut goal {
            // No way ending in a one-character line was kept (above).
            counts.extend(nodes.iter().filter(|node| node.pos == n).map(|node| node.line));
            counts.sort_unstable();
            counts.dedup();
            return Breaks { work, ..Breaks::default() };
        }
        let lines = match goal {
            Goal::Lines(lines) => Some(lines),
            _ => None,
        };
        let end = nodes
            .iter()
            .enumerate()
            .filter(|(_, node)| node.pos == n && lines.is_none_or(|l| node.line == l))
            .min_by(|(_, a), (_, b)| a.demerits.total_cmp(&b.demerits).then(a.line.cmp(&b.line)));
        if let Some((at, chosen)) = end {
            // Was a single-character last line avoided: would it have won without its penalty?
            let orphan_avoided = best_orphan < chosen.demerits;
            return Breaks { lines: chain(&nodes, at), orphan_avoided, work };
        }
    }
    if per_count {
        return Breaks { work, ..Breaks::default() };
    }
    // Unreachable in practice: the emergency pass always reaches the end; set one atom a line.
    Breaks { lines: (0..n).map(|i| Break { start: i, end: i + 1 }).collect(), orphan_avoided: false, work }
}

/// What breaking a paragraph cost, over all its passes: for the tests that bound it and
/// for the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Lines judged by [`fit`].
    pub fits: usize,
    /// Ways into breaks kept.
    pub nodes: usize,
    /// The most ways kept into one break.
    pub most_ways: usize,
}

/// The chosen breaks of a paragraph.
#[derive(Debug, Clone, Default)]
pub struct Breaks {
    pub lines: Vec<Break>,
    /// A single-character last line (孤字) would have been best; the paragraph was re-broken.
    pub orphan_avoided: bool,
    pub work: Work,
}
