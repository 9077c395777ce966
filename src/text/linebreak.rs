//! Line breaking: choose where lines end, given a measure per line (columns differ, and
//! lines beside a photo are shorter), honouring the junctions' break rules.
//!
//! First fit, with clreq's push-out: when the next atom may not start a line (or the
//! last may not end one), the line ends at the latest junction that allows it and the
//! line is stretched to the measure in `finalize`.

use super::prepare::Prepared;

/// Tolerance for "fits": a hundredth of a point.
pub const EPSILON: f32 = 0.01;

/// Where a line starts and ends, as atom indices (`end` exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Break {
    pub start: usize,
    pub end: usize,
    /// The line is wider than its measure: an atom (a long Latin word, say) did not fit.
    pub overfull: bool,
}

/// Natural width of atoms `start..end`, with the glue between them.
pub fn natural_width(p: &Prepared, start: usize, end: usize) -> f32 {
    let atoms: f32 = p.atoms[start..end].iter().map(|a| a.width).sum();
    let glue: f32 = p.junctions[start..end.saturating_sub(1).max(start)]
        .iter()
        .map(|j| j.glue)
        .sum();
    atoms + glue
}

/// Break the paragraph into lines. `measure(i)` is the width available to line `i`,
/// already less the indent where there is one.
pub fn break_lines(p: &Prepared, measure: &mut dyn FnMut(usize) -> f32) -> Vec<Break> {
    let n = p.atoms.len();
    let mut breaks = Vec::new();
    let mut start = 0;
    while start < n {
        let available = measure(breaks.len());
        let mut x = 0.0;
        let mut j = start;
        let mut last_ok = None;
        while j < n {
            let glue = if j > start {
                p.junctions[j - 1].glue
            } else {
                0.0
            };
            let add = glue + p.atoms[j].width;
            if j > start && x + add > available + EPSILON {
                break;
            }
            x += add;
            j += 1;
            if j == n || p.junctions[j - 1].breakable {
                last_ok = Some(j);
            }
        }
        let (end, overfull) = match last_ok {
            Some(end) => (end, x > available + EPSILON && end == j),
            // Nothing fits up to a legal break: run on to the next one, overfull.
            None => (
                ((j)..n)
                    .find(|&e| p.junctions[e - 1].breakable)
                    .unwrap_or(n),
                true,
            ),
        };
        breaks.push(Break {
            start,
            end,
            overfull,
        });
        start = end;
    }
    breaks
}
