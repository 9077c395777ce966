//! The line breaker as it was before it was bounded: a node per (break, line count),
//! every line count kept apart. Exact and slow (quadratic in the paragraph's length and
//! worse); kept as the oracle the bounded breaker must agree with.

use crate::text::linebreak::{fit, is_orphan, Break, Breaks, Sums, Work, FORBIDDEN, INFEASIBLE, ORPHAN, TOLERANCE};
use crate::text::{Config, Prepared};

struct Node {
    pos: usize,
    line: usize,
    demerits: f64,
    prev: Option<usize>,
}

/// Break the paragraph into lines: `measure(i)` is the width available to line `i`, less
/// the indent where there is one. `Breaks::work` counts its fits and nodes.
pub fn break_lines(p: &Prepared, sums: &Sums, config: &Config, measure: &mut dyn FnMut(usize) -> f32) -> Breaks {
    let n = p.atoms.len();
    if n == 0 {
        return Breaks::default();
    }
    let mut widths: Vec<f32> = Vec::new();
    let mut width = |line: usize| -> f32 {
        while widths.len() <= line {
            widths.push(measure(widths.len()));
        }
        widths[line]
    };
    let chain = |nodes: &[Node], mut at: usize| -> Vec<Break> {
        let mut out = Vec::new();
        while let Some(prev) = nodes[at].prev {
            out.push(Break { start: nodes[prev].pos, end: nodes[at].pos });
            at = prev;
        }
        out.reverse();
        out
    };
    // First only lines stretched at most `TOLERANCE` em per gap; then any stretch; last,
    // breaks kinsoku forbids and words wider than the measure.
    let mut work = Work::default();
    for (tolerance, emergency) in [(TOLERANCE, false), (f32::INFINITY, false), (f32::INFINITY, true)] {
        let mut nodes = vec![Node { pos: 0, line: 0, demerits: 0.0, prev: None }];
        // The best paragraph ending in a single-character line, before its penalty.
        let mut best_orphan = f64::INFINITY;
        let mut active = vec![0usize];
        for j in 1..=n {
            let legal = j == n || p.junctions[j - 1].breakable;
            if !legal && !emergency {
                continue;
            }
            let mut best: Vec<(usize, f64, usize)> = Vec::new();
            let mut keep = Vec::with_capacity(active.len());
            for &a in &active {
                let (pos, line, demerits) = (nodes[a].pos, nodes[a].line, nodes[a].demerits);
                let w = width(line);
                work.fits += 1;
                let f = fit(p, sums, pos, j, w, config, j == n);
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
                    best_orphan = best_orphan.min(d);
                    d += ORPHAN;
                }
                // The best way here for each line count (the measures differ line by line);
                // in the last resort just the best way, so a long run without a legal break
                // costs the window, not the window times every line count.
                let slot = if emergency { best.first_mut() } else { best.iter_mut().find(|(l, ..)| *l == line + 1) };
                match slot {
                    Some(b) if b.1 <= d => {}
                    Some(b) => *b = (line + 1, d, a),
                    None => best.push((line + 1, d, a)),
                }
            }
            active = keep;
            for (line, demerits, from) in best {
                nodes.push(Node { pos: j, line, demerits, prev: Some(from) });
                active.push(nodes.len() - 1);
            }
        }
        work.nodes += nodes.len();
        let end = nodes
            .iter()
            .enumerate()
            .filter(|(_, node)| node.pos == n)
            .min_by(|(_, a), (_, b)| a.demerits.total_cmp(&b.demerits).then(a.line.cmp(&b.line)));
        if let Some((at, chosen)) = end {
            // Was a single-character last line avoided: would it have won without its penalty?
            let orphan_avoided = best_orphan < chosen.demerits;
            return Breaks { lines: chain(&nodes, at), orphan_avoided, work };
        }
    }
    // Unreachable in practice: the emergency pass always reaches the end; set one atom a line.
    Breaks { lines: (0..n).map(|i| Break { start: i, end: i + 1 }).collect(), orphan_avoided: false, work }
}
