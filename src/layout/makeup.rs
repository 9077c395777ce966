//! Make-up figures of a laid-out thread, as a make-up editor (版面编辑) reads a page: per
//! text column, the empty grid lines at its foot (齐栏 wants none) and the holes inside it
//! (不开天窗: no run of two or more empty lines with text above and below). Grid lines a
//! picture leaves no room in are not empty: the column goes on under the picture. And
//! where the heads stand: two heads side by side on one band of lines (撞题) read as one.

use super::flow::{Flow, Slot};
use super::thread::{PlacedLine, ThreadLayout};
use crate::model::Block;

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
    /// Empty grid lines at the foot of a column whose frame says `flush: false`: allowed,
    /// so not counted in [`ColumnFill::empty_lines`].
    pub short: u32,
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
        let short_allowed = slot.may_end_short;
        let last_taken = taken.iter().rposition(|&t| t);
        fill.foot_from = last_taken.map_or(0, |l| l as u32 + 1);
        let mut run: Option<(u32, u32)> = None;
        for r in 0..rows {
            let empty = usable[r] && !taken[r];
            let after_text = last_taken.is_some_and(|l| r > l);
            if after_text || last_taken.is_none() {
                if short_allowed {
                    fill.short += u32::from(empty);
                } else {
                    fill.foot += u32::from(empty);
                }
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

/// A head (kicker and title lines, the blocks kept with the text after them) as set: the
/// box its lines take on the page, in points.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadBox {
    pub page: usize,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
    /// The head's first block: where it comes from, for messages.
    pub block: usize,
}

/// The heads of a laid-out thread, one box per head and column.
pub fn heads(laid: &ThreadLayout, slots: &[Slot], blocks: &[Block]) -> Vec<HeadBox> {
    let mut out: Vec<HeadBox> = Vec::new();
    // The column of the head line just before, while lines of one head follow each other.
    let mut open: Option<usize> = None;
    for line in &laid.lines {
        if !blocks.get(line.block).is_some_and(|b| b.keep_with_next) {
            open = None;
            continue;
        }
        let (left, right) = (line.place.left, line.place.left + line.place.width);
        let (top, bottom) = (line.place.top, line.place.top + line.leading);
        match out.last_mut() {
            Some(h) if open == Some(line.place.slot) => {
                (h.left, h.right) = (h.left.min(left), h.right.max(right));
                (h.top, h.bottom) = (h.top.min(top), h.bottom.max(bottom));
            }
            _ => {
                let page = slots.get(line.place.slot).map_or(0, |s| s.page);
                out.push(HeadBox { page, left, right, top, bottom, block: line.block });
            }
        }
        open = Some(line.place.slot);
    }
    out
}

/// Pairs of heads that stand side by side (撞题): on the same page, in neighbouring columns
/// (no column between them), their boxes overlapping in height. Indices into `heads`.
pub fn side_by_side(heads: &[HeadBox]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (i, a) in heads.iter().enumerate() {
        for (j, b) in heads.iter().enumerate().skip(i + 1) {
            if a.page != b.page || a.top >= b.bottom - 0.01 || b.top >= a.bottom - 0.01 {
                continue;
            }
            let gap = (b.left - a.right).max(a.left - b.right);
            let narrowest = (a.right - a.left).min(b.right - b.left);
            if gap >= 0.0 && gap < narrowest {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(left: f32, top: f32) -> HeadBox {
        HeadBox { page: 0, left, right: left + 100.0, top, bottom: top + 40.0, block: 0 }
    }

    #[test]
    fn heads_in_neighbouring_columns_on_one_band_stand_side_by_side() {
        // Columns 100 pt wide with 10 pt gutters: 0, 110, 220.
        let heads = [head(0.0, 100.0), head(110.0, 120.0), head(220.0, 300.0)];
        assert_eq!(side_by_side(&heads), vec![(0, 1)]);
    }

    #[test]
    fn heads_with_a_column_between_them_or_on_other_bands_do_not() {
        let heads = [head(0.0, 100.0), head(220.0, 100.0), head(110.0, 140.0)];
        // 0 and 2 touch only at 140 (0 ends there): not overlapping; 2 and 1 neighbour
        // but 1 ends at 140 too.
        assert!(side_by_side(&heads).is_empty());
        let other_page = [head(0.0, 100.0), HeadBox { page: 1, ..head(110.0, 100.0) }];
        assert!(side_by_side(&other_page).is_empty());
    }
}
