//! Make-up figures of a laid-out thread, as a make-up editor (版面编辑) reads a page: per
//! text column, the empty grid lines at its foot (齐栏 wants none) and the holes inside it
//! (不开天窗: no run of two or more empty lines with text above and below). Grid lines a
//! picture leaves no room in are not empty: the column goes on under the picture.

use super::flow::Flow;
use super::thread::PlacedLine;

/// How one text column of a thread is filled.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnFill {
    /// The column: index into the thread's slots.
    pub slot: usize,
    /// Empty grid lines after the column's last line of text.
    pub foot: u32,
    /// Runs of two or more empty grid lines between lines of text: (first line, count),
    /// lines counted from the column's top, 0-based.
    pub holes: Vec<(u32, u32)>,
    /// Grid lines text may use in the column.
    pub usable: u32,
    /// The row (from the column's top, 0-based) after the column's last line of text.
    pub foot_from: u32,
}

impl ColumnFill {
    pub fn empty_lines(&self) -> u32 {
        self.foot + self.holes.iter().map(|h| h.1).sum::<u32>()
    }
}

/// The fill of every column of a flow's slots, given the lines placed in them.
pub fn columns(flow: &Flow, lines: &[PlacedLine], pitch: f32) -> Vec<ColumnFill> {
    let mut out = Vec::with_capacity(flow.slots.len());
    for (index, slot) in flow.slots.iter().enumerate() {
        let rows = ((slot.bottom - slot.top) / pitch + 0.01).floor().max(0.0) as usize;
        let usable: Vec<bool> =
            (0..rows).map(|r| !flow.band(index, slot.top + r as f32 * pitch, pitch).is_empty()).collect();
        let mut taken = vec![false; rows];
        for line in lines.iter().filter(|l| l.place.slot == index) {
            let first = ((line.place.top - slot.top) / pitch + 0.01).floor().max(0.0) as usize;
            let height = line.leading.max(pitch);
            let last = ((line.place.top + height - slot.top) / pitch - 0.01).ceil() as usize;
            for t in taken.iter_mut().take(last.min(rows)).skip(first) {
                *t = true;
            }
        }
        let mut fill =
            ColumnFill { slot: index, usable: usable.iter().filter(|&&u| u).count() as u32, ..ColumnFill::default() };
        let last_taken = taken.iter().rposition(|&t| t);
        fill.foot_from = last_taken.map_or(0, |l| l as u32 + 1);
        let mut run: Option<(u32, u32)> = None;
        for r in 0..rows {
            let empty = usable[r] && !taken[r];
            let after_text = last_taken.is_some_and(|l| r > l);
            if after_text || last_taken.is_none() {
                fill.foot += u32::from(empty);
                continue;
            }
            if empty {
                run = Some(run.map_or((r as u32, 1), |(s, n)| (s, n + 1)));
            } else if taken[r] {
                // Only what lies between lines of text is a hole; the room above the first
                // line (a column that starts under a picture) is the column's top.
                if let Some((s, n)) = run.take() {
                    let before_text = taken[..s as usize].iter().any(|&t| t);
                    if n >= 2 && before_text {
                        fill.holes.push((s, n));
                    }
                }
            }
        }
        out.push(fill);
    }
    out
}
