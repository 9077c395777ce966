//! Threading: a thread's blocks flow through the columns of its text frames, in order,
//! column to column, frame to frame and page to page (续排). Every line lands on the
//! page's line grid.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use super::display::{Glyph, Item, LineRole, TextLine};
use super::wrap::{self, Exclusion};
use crate::model::{Frame, Grid, PageGeometry, TextFrame, ThreadId};

/// One text column of a frame, where lines go.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Slot {
    pub page: usize,
    pub left: f32,
    pub width: f32,
    /// Top and bottom of the column, in points from the page top.
    pub top: f32,
    pub bottom: f32,
    /// The frame it belongs to (index among its page's frames) and its place there, from 0.
    pub frame: usize,
    pub column: usize,
    /// The frame says `flush: false`: the column may end short.
    pub may_end_short: bool,
    /// The frame says `heads: across`: a head that opens it stands across its columns.
    pub heads_across: bool,
}

/// The columns of the frames that carry `thread`, in reading order.
pub fn slots(pages: &[Vec<Frame>], thread: ThreadId, page: &PageGeometry, grid: &Grid) -> Vec<Slot> {
    let mut out = Vec::new();
    for (p, frames) in pages.iter().enumerate() {
        for (frame, f) in frames.iter().enumerate().filter(|(_, f)| f.thread() == Some(thread)) {
            let Some(t) = f.text() else { continue };
            let top = page.area_top + f.line_first as f32 * grid.pitch;
            let bottom = page.area_top + (f.line_last + 1) as f32 * grid.pitch;
            let (top, bottom) = (top + t.pad as f32 * grid.pitch, bottom - t.pad as f32 * grid.pitch);
            for (column, (left, width)) in text_columns(f, t, grid).into_iter().enumerate() {
                let (left, width) = (left + t.inset, width - 2.0 * t.inset);
                out.push(Slot {
                    page: p,
                    left: page.area_left + left,
                    width,
                    top,
                    bottom,
                    frame,
                    column,
                    may_end_short: t.may_end_short,
                    heads_across: t.heads_across,
                });
            }
        }
    }
    out
}

/// The text columns of a text frame: left edge (from the type area's left) and width.
pub fn text_columns(f: &Frame, t: &TextFrame, grid: &Grid) -> Vec<(f32, f32)> {
    let span = f.col_last - f.col_first + 1;
    match t.split {
        Some(count) => {
            let mut left = grid.column_x(f.col_first);
            grid.broken_columns(span, count)
                .into_iter()
                .map(|chars| {
                    let column = (left, chars * grid.char);
                    left += (chars + 1.0) * grid.char;
                    column
                })
                .collect()
        }
        None => (0..span / t.span)
            .map(|c| {
                let first = f.col_first + c * t.span;
                (grid.column_x(first), grid.range_width(first, first + t.span - 1))
            })
            .collect(),
    }
}

/// Where the next line goes: a slot, a y inside it, and which piece of that line band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cursor {
    pub slot: usize,
    pub y: f32,
    pub piece: usize,
}

/// The place of one line of `leading` points: the line box's top, and the piece of the
/// band it gets (the whole column, or what a picture leaves of it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineBox {
    pub slot: usize,
    pub top: f32,
    pub left: f32,
    pub width: f32,
}

/// A band of a slot: slot index, top and height as `f32` bits.
type BandKey = (usize, u32, u32);

/// The bands of a flow by their keys, hashed by [`BandHasher`].
type Bands = HashMap<BandKey, Pieces, BuildHasherDefault<BandHasher>>;

/// A multiply-rotate hash for [`BandKey`]s (three small integers): the flow looks bands up
/// hundreds of thousands of times in a copy-fit, and std's SipHash, made to resist chosen
/// keys, took a fifth of that. These keys come from the layout, not from an adversary.
#[derive(Default)]
pub struct BandHasher(u64);

impl BandHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for BandHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The pieces of one line band, left to right (see [`Flow::band`]): up to four kept inline,
/// as a band meets one or two contours, so that asking for a band again copies no heap.
#[derive(Debug, Clone, PartialEq)]
pub enum Pieces {
    Few(usize, [(f32, f32); 4]),
    Many(Rc<[(f32, f32)]>),
}

impl Pieces {
    fn new(pieces: &[(f32, f32)]) -> Pieces {
        if pieces.len() <= 4 {
            let mut few = [(0.0, 0.0); 4];
            few[..pieces.len()].copy_from_slice(pieces);
            Pieces::Few(pieces.len(), few)
        } else {
            Pieces::Many(pieces.into())
        }
    }
}

impl std::ops::Deref for Pieces {
    type Target = [(f32, f32)];
    fn deref(&self) -> &[(f32, f32)] {
        match self {
            Pieces::Few(n, few) => &few[..*n],
            Pieces::Many(many) => many,
        }
    }
}

/// The contours that may reach into one slot, and the heights (top, bottom) each may take.
type Beside<'a> = (Vec<&'a Exclusion>, Vec<(f32, f32)>);

/// Walks the slots of a thread, line band by line band, round the pictures' contours.
///
/// The pieces of each band (what the contours leave of a column between two heights) are
/// computed once and kept, so that asking again for a line box, as the line breaker, the
/// widow rule and the copy-fit do, costs a look-up.
pub struct Flow<'a> {
    pub slots: &'a [Slot],
    /// The contours on each page, by page: a band looks only at its own page's.
    near: Vec<Vec<&'a Exclusion>>,
    /// By slot, the contours whose box (grown by their offset) reaches into its width, and
    /// the heights that box spans: most bands meet none and are the column's whole width
    /// without a look-up.
    beside: Vec<Beside<'a>>,
    /// Pieces by (slot, band top, band height), the floats by their bits: a band is asked
    /// for at exactly the heights the cursor reaches, so equal keys are equal bands.
    bands: RefCell<Bands>,
    /// Pieces no line may take (slot, band top and piece's left edge as `f32` bits): a
    /// piece beside a picture too narrow for the word that would come into it stays empty.
    blocked: RefCell<Vec<(usize, u32, u32)>>,
    pub cursor: Cursor,
    /// Slots whose rows above a height hold no text: (slot, height). A head set across the
    /// frame stands over them ([`Flow::cover`]).
    covered: Vec<(usize, f32)>,
    pitch: f32,
    /// One grid character: pieces beside a contour are cut to whole characters.
    char: f32,
}

impl<'a> Flow<'a> {
    pub fn new(slots: &'a [Slot], exclusions: &'a [Exclusion], pitch: f32, char: f32) -> Flow<'a> {
        let y = slots.first().map_or(0.0, |s| s.top);
        let pages = slots.iter().map(|s| s.page + 1).max().unwrap_or(0);
        let mut near: Vec<Vec<&Exclusion>> = vec![Vec::new(); pages];
        for e in exclusions.iter().filter(|e| e.page < pages) {
            near[e.page].push(e);
        }
        let beside = slots
            .iter()
            .map(|slot| {
                let (left, right) = (slot.left, slot.left + slot.width);
                near.get(slot.page)
                    .into_iter()
                    .flatten()
                    .filter_map(|e| {
                        let (x0, y0, x1, y1) = e.outline.bounds();
                        let reaches = x1 + e.offset > left && x0 - e.offset < right;
                        reaches.then_some((*e, (y0 - e.offset, y1 + e.offset)))
                    })
                    .unzip()
            })
            .collect();
        // About one band a grid line is asked for: room for them all from the start.
        let rows: f32 = slots.iter().map(|s| ((s.bottom - s.top) / pitch).max(0.0) + 1.0).sum();
        let bands = RefCell::new(Bands::with_capacity_and_hasher(rows as usize, Default::default()));
        Flow {
            slots,
            near,
            beside,
            bands,
            blocked: RefCell::default(),
            cursor: Cursor { slot: 0, y, piece: 0 },
            covered: Vec::new(),
            pitch,
            char,
        }
    }

    pub fn at_column_top(&self) -> bool {
        self.slots.get(self.cursor.slot).is_some_and(|s| (self.cursor.y - s.top).abs() < 0.01)
    }

    pub fn exhausted(&self) -> bool {
        self.cursor.slot >= self.slots.len()
    }

    /// Room left in the current column, in points.
    pub fn room(&self) -> f32 {
        self.slots.get(self.cursor.slot).map_or(0.0, |s| s.bottom - self.cursor.y)
    }

    /// The box of the `n`-th next line of `leading` points, without moving. `whole`: only
    /// bands the full width of the column (heads are never set beside a picture).
    pub fn peek(&self, n: usize, leading: f32, whole: bool) -> Option<LineBox> {
        self.lookahead(leading, whole, &[]).get(n)
    }

    /// Would a head of these line heights stand here, each line on a full-width band right
    /// under the one before (no band skipped beside a picture), with `then` ordinary lines
    /// after it in the same column?
    pub fn head_fits_here(&self, whole: &[f32], then: &[f32]) -> bool {
        let mut c = self.cursor;
        if c.piece != 0 {
            return false;
        }
        let (slot, mut y) = (c.slot, c.y);
        for &leading in whole {
            match self.fit(&mut c, leading, true) {
                Some(place) if place.slot == slot && (place.top - y).abs() < 0.01 => y = place.top + leading,
                _ => return false,
            }
        }
        then.iter().all(|&leading| self.fit(&mut c, leading, false).is_some_and(|place| place.slot == slot))
    }

    /// Move on by one grid line (to the next column at a column's foot).
    pub fn advance(&mut self) {
        self.cursor.piece = 0;
        self.cursor.y += self.pitch;
        if self.room() < self.pitch - 0.01 {
            self.next_column();
        }
    }

    /// Grid lines still free for text from the cursor to the end of the thread's columns:
    /// bands a picture leaves no room in are not counted.
    pub fn free_lines_left(&self) -> usize {
        let mut count = 0;
        for (i, slot) in self.slots.iter().enumerate().skip(self.cursor.slot) {
            let mut y = if i == self.cursor.slot { self.cursor.y } else { slot.top };
            while y + self.pitch <= slot.bottom + 0.01 {
                count += usize::from(!self.band(i, y, self.pitch).is_empty());
                y += self.pitch;
            }
        }
        count
    }

    /// Take the next line of `leading` points.
    pub fn take(&mut self, leading: f32, whole: bool) -> Option<LineBox> {
        let mut c = self.cursor;
        let place = self.fit(&mut c, leading, whole)?;
        self.cursor = c;
        Some(place)
    }

    /// The pieces of the band `y..y + leading` of slot `index` that text may use.
    pub fn band(&self, index: usize, y: f32, leading: f32) -> Pieces {
        if self.covered.iter().any(|&(s, until)| s == index && y < until - 0.01) {
            return Pieces::new(&[]);
        }
        let slot = &self.slots[index];
        let (near, heights) = &self.beside[index];
        // A band no contour's box reaches keeps the column's whole width (as `wrap::pieces`
        // would give it), and nothing in it is blocked (only pieces narrower than it are).
        if !heights.iter().any(|&(top, bottom)| y + leading >= top && y <= bottom) {
            return Pieces::new(&[(slot.left, slot.left + slot.width)]);
        }
        let key = (index, y.to_bits(), leading.to_bits());
        let cached = self.bands.borrow().get(&key).cloned();
        let pieces = cached.unwrap_or_else(|| {
            let found =
                wrap::pieces(slot.left, slot.left + slot.width, y, y + leading, near, self.char, Some(self.char));
            let pieces = Pieces::new(&found);
            self.bands.borrow_mut().insert(key, pieces.clone());
            pieces
        });
        let blocked = self.blocked.borrow();
        if blocked.is_empty() {
            return pieces;
        }
        let open: Vec<(f32, f32)> = pieces
            .iter()
            .copied()
            .filter(|&(left, _)| !blocked.contains(&(index, y.to_bits(), left.to_bits())))
            .collect();
        Pieces::new(&open)
    }

    /// Keep text out of the rows of slot `index` above `until` from now on: a head set
    /// across the frame stands over them. Like the rows a picture takes, they are neither
    /// free nor empty.
    pub fn cover(&mut self, index: usize, until: f32) {
        self.covered.push((index, until));
    }

    /// Is the band `y..y + leading` from the left edge of slot `first` to the right edge of
    /// slot `last` (gutters included) clear of every contour on their page?
    pub fn span_clear(&self, first: usize, last: usize, y: f32, leading: f32) -> bool {
        let (Some(a), Some(b)) = (self.slots.get(first), self.slots.get(last)) else { return false };
        let near = &self.near[a.page];
        let (left, right) = (a.left, b.left + b.width);
        near.is_empty()
            || matches!(wrap::pieces(left, right, y, y + leading, near, 0.0, None)[..],
                [(l, r)] if l <= left + 0.01 && r >= right - 0.01)
    }

    /// Keep the piece of `place` empty from now on, when it is a piece beside a picture
    /// (narrower than its column) and the column's whole width would take a line of
    /// `needed` points: `false`, changing nothing, otherwise.
    pub fn block_piece(&self, place: &LineBox, needed: f32) -> bool {
        let Some(slot) = self.slots.get(place.slot) else { return false };
        if place.width >= slot.width - 0.01 || needed > slot.width + 0.01 {
            return false;
        }
        self.blocked.borrow_mut().push((place.slot, place.top.to_bits(), place.left.to_bits()));
        true
    }

    /// The next lines of `leading` points from the cursor, found as they are asked for:
    /// lines listed in `jumps` start a new column. `whole`: full-width bands only.
    pub fn lookahead<'f>(&'f self, leading: f32, whole: bool, jumps: &'f [usize]) -> Lookahead<'f, 'a> {
        Lookahead { flow: self, leading, whole, jumps, cursor: self.cursor, boxes: Vec::new() }
    }

    fn fit(&self, c: &mut Cursor, leading: f32, whole: bool) -> Option<LineBox> {
        loop {
            let slot = self.slots.get(c.slot)?;
            if c.y + leading <= slot.bottom + 0.01 {
                let pieces = self.band(c.slot, c.y, leading);
                let pieces: &[(f32, f32)] =
                    if whole && (pieces.len() != 1 || pieces[0].1 - pieces[0].0 < slot.width - 0.01) {
                        &[]
                    } else {
                        &pieces
                    };
                if let Some(&(left, right)) = pieces.get(c.piece) {
                    let place = LineBox { slot: c.slot, top: c.y, left, width: right - left };
                    c.piece += 1;
                    if c.piece >= pieces.len() {
                        c.piece = 0;
                        c.y += leading;
                    }
                    return Some(place);
                }
                // Nothing left of this band beside the picture: the next one.
                c.piece = 0;
                c.y += leading;
                continue;
            }
            c.slot += 1;
            c.piece = 0;
            c.y = self.slots.get(c.slot).map_or(0.0, |s| s.top);
        }
    }

    /// Move down to the next grid line (after a block whose leading is not the pitch).
    pub fn snap_to_grid(&mut self) {
        if let Some(slot) = self.slots.get(self.cursor.slot) {
            let lines = ((self.cursor.y - slot.top) / self.pitch - 0.01).ceil().max(0.0);
            let y = slot.top + lines * self.pitch;
            if (y - self.cursor.y).abs() > 0.01 {
                self.cursor.y = y;
                self.cursor.piece = 0;
            }
        }
    }

    /// Leave `lines` grid lines empty, unless at the top of a column or right under a
    /// picture or its caption (which already set the block apart).
    pub fn skip_lines(&mut self, lines: u32) {
        if lines > 0 && !self.at_column_top() && !self.under_a_picture() {
            self.cursor.y += lines as f32 * self.pitch;
            self.cursor.piece = 0;
            if self.room() < 0.01 {
                self.next_column();
            }
        }
    }

    /// Is the grid line just above the cursor one a picture leaves no room in?
    fn under_a_picture(&self) -> bool {
        let Some(slot) = self.slots.get(self.cursor.slot) else { return false };
        let above = self.cursor.y - self.pitch;
        self.cursor.piece == 0 && above >= slot.top - 0.01 && self.band(self.cursor.slot, above, self.pitch).is_empty()
    }

    pub fn next_column(&mut self) {
        self.cursor.slot += 1;
        self.cursor.piece = 0;
        self.cursor.y = self.slots.get(self.cursor.slot).map_or(0.0, |s| s.top);
    }
}

/// The boxes of the lines after a flow's cursor, each found once (see [`Flow::lookahead`]).
pub struct Lookahead<'f, 'a> {
    flow: &'f Flow<'a>,
    leading: f32,
    whole: bool,
    jumps: &'f [usize],
    /// Where the line after the last one found goes.
    cursor: Cursor,
    boxes: Vec<Option<LineBox>>,
}

impl Lookahead<'_, '_> {
    /// The box of the `n`-th line from the flow's cursor (0: the next line), or `None`
    /// when the thread's columns end before it.
    pub fn get(&mut self, n: usize) -> Option<LineBox> {
        while self.boxes.len() <= n {
            if self.boxes.last().is_some_and(Option::is_none) {
                return None;
            }
            let k = self.boxes.len();
            if self.jumps.contains(&k) {
                let slot = self.cursor.slot + 1;
                self.cursor = Cursor { slot, y: self.flow.slots.get(slot).map_or(0.0, |s| s.top), piece: 0 };
            }
            let place = self.flow.fit(&mut self.cursor, self.leading, self.whole);
            self.boxes.push(place);
        }
        self.boxes[n]
    }
}

/// The baseline of a line of `size` type in a line box of `leading` points: the
/// ideographic em box (ascent 0.88 em) centred in the box, so that body text of every
/// column sits on the same grid.
pub fn baseline(top: f32, leading: f32, size: f32) -> f32 {
    top + (leading - size) / 2.0 + 0.88 * size
}

/// Turn a composed line into a display line at `left`, `baseline`.
#[allow(clippy::too_many_arguments)]
pub fn text_line(
    line: &crate::text::Line,
    left: f32,
    baseline: f32,
    color: crate::spec::layout::Color,
    role: LineRole,
    origin: &str,
) -> Item {
    Item::Text(TextLine {
        baseline,
        color,
        glyphs: line
            .glyphs
            .iter()
            .map(|g| Glyph {
                x: left + g.x,
                face: g.face,
                id: g.id,
                size: g.size,
                advance: g.advance,
                text: g.text,
                ligated: g.ligated,
                box_x: left + g.box_x,
                box_width: g.box_width,
            })
            .collect(),
        role,
        left,
        measure: line.measure,
        origin: origin.to_owned(),
        last: line.last,
        stretch_per_gap: line.stretch_per_gap,
        right: left + line.right,
        ragged: line.ragged,
        loose: false,
        orphan_avoided: line.orphan_avoided,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots() -> Vec<Slot> {
        vec![
            Slot { page: 0, left: 0.0, width: 100.0, top: 0.0, bottom: 30.0, frame: 0, column: 0, ..Slot::default() },
            Slot {
                page: 0,
                left: 110.0,
                width: 100.0,
                top: 10.0,
                bottom: 40.0,
                frame: 0,
                column: 0,
                ..Slot::default()
            },
        ]
    }

    #[test]
    fn a_band_is_what_the_wrap_gives_whether_or_not_a_contour_box_reaches_it() {
        use crate::layout::wrap::{Exclusion, Outline};
        use crate::spec::layout::WrapSide;
        let s = slots();
        // A circle over the first column's right half, a rectangle with an offset in the second,
        let ex = [
            Exclusion {
                page: 0,
                outline: Outline::Ellipse { cx: 90.0, cy: 15.0, rx: 12.0, ry: 8.0 },
                offset: 2.0,
                side: WrapSide::Both,
                min_width: 0.0,
            },
            Exclusion {
                page: 0,
                outline: Outline::Rect { x0: 150.0, y0: 22.0, x1: 170.0, y1: 30.0 },
                offset: 3.0,
                side: WrapSide::Both,
                min_width: 0.0,
            },
            // A triangle text keeps to the left of, and a rectangle it keeps to the right of.
            Exclusion {
                page: 0,
                outline: Outline::Polygon(vec![(20.0, 2.0), (60.0, 9.0), (30.0, 14.0)]),
                offset: 1.0,
                side: WrapSide::Left,
                min_width: 0.0,
            },
            Exclusion {
                page: 0,
                outline: Outline::Rect { x0: 100.0, y0: 12.0, x1: 125.0, y1: 18.0 },
                offset: 0.0,
                side: WrapSide::Right,
                min_width: 0.0,
            },
        ];
        let flow = Flow::new(&s, &ex, 10.0, 1.0);
        let all: Vec<&Exclusion> = ex.iter().collect();
        for (i, slot) in s.iter().enumerate() {
            for step in 0..80 {
                let y = step as f32 * 0.5;
                let wrapped = wrap::pieces(slot.left, slot.left + slot.width, y, y + 4.0, &all, 1.0, Some(1.0));
                assert_eq!(&*flow.band(i, y, 4.0), wrapped.as_slice(), "slot {i} at {y}");
            }
        }
    }

    #[test]
    fn lines_fill_a_column_then_continue_in_the_next() {
        let s = slots();
        let mut flow = Flow::new(&s, &[], 10.0, 1.0);
        let tops: Vec<(usize, f32)> = std::iter::from_fn(|| flow.take(10.0, false)).map(|b| (b.slot, b.top)).collect();
        assert_eq!(tops, [(0, 0.0), (0, 10.0), (0, 20.0), (1, 10.0), (1, 20.0), (1, 30.0)]);
        assert!(flow.exhausted() || flow.take(10.0, false).is_none());
    }

    #[test]
    fn peek_does_not_move_and_snap_returns_to_the_grid() {
        let s = slots();
        let mut flow = Flow::new(&s, &[], 10.0, 1.0);
        assert_eq!(flow.peek(3, 10.0, false), Some(LineBox { slot: 1, top: 10.0, left: 110.0, width: 100.0 }));
        assert_eq!(flow.cursor.y, 0.0);
        flow.take(13.0, false);
        flow.snap_to_grid();
        assert_eq!(flow.cursor.y, 20.0);
        flow.skip_lines(1);
        assert_eq!(flow.cursor, Cursor { slot: 1, y: 10.0, piece: 0 });
    }

    #[test]
    fn lines_run_round_a_circle_piece_by_piece() {
        use crate::spec::layout::WrapSide;
        let s = vec![Slot {
            page: 0,
            left: 0.0,
            width: 200.0,
            top: 0.0,
            bottom: 60.0,
            frame: 0,
            column: 0,
            ..Slot::default()
        }];
        let circle = Exclusion {
            page: 0,
            outline: wrap::Outline::Ellipse { cx: 100.0, cy: 30.0, rx: 20.0, ry: 20.0 },
            offset: 0.0,
            side: WrapSide::Both,
            min_width: 30.0,
        };
        let ex = [circle];
        let mut flow = Flow::new(&s, &ex, 10.0, 10.0);
        let boxes: Vec<(f32, f32, f32)> =
            std::iter::from_fn(|| flow.take(10.0, false)).map(|b| (b.top, b.left, b.width)).collect();
        // Band 0..10 is clear; bands 10..50 meet the circle and give two pieces each, cut
        // to whole 10 pt characters; band 50..60 is clear again.
        assert_eq!(boxes[0], (0.0, 0.0, 200.0));
        assert_eq!(boxes[1].0, 10.0);
        assert_eq!(boxes[2].0, 10.0);
        assert!(boxes[1].1 == 0.0 && boxes[2].1 + boxes[2].2 == 200.0);
        assert_eq!(boxes.last().unwrap(), &(50.0, 0.0, 200.0));
        assert_eq!(boxes.len(), 2 + 4 * 2);
        assert_eq!(Flow::new(&s, &ex, 10.0, 10.0).free_lines_left(), 6);
        let wall = Exclusion {
            page: 0,
            outline: wrap::Outline::Rect { x0: -5.0, y0: 21.0, x1: 205.0, y1: 29.0 },
            offset: 0.0,
            side: WrapSide::Both,
            min_width: 0.0,
        };
        let walled = [wall];
        assert_eq!(Flow::new(&s, &walled, 10.0, 10.0).free_lines_left(), 5, "a band under a picture is not free");
        // Full-width lines only (a head): the bands beside the circle are passed over.
        let mut flow = Flow::new(&s, &ex, 10.0, 10.0);
        let whole: Vec<f32> = std::iter::from_fn(|| flow.take(10.0, true)).map(|b| b.top).collect();
        assert_eq!(whole, [0.0, 50.0]);
    }

    #[test]
    fn rows_a_head_across_covers_hold_no_text_and_are_not_free() {
        let s = slots();
        let mut flow = Flow::new(&s, &[], 10.0, 1.0);
        flow.cover(1, 30.0);
        assert!(flow.band(1, 20.0, 10.0).is_empty());
        assert!(!flow.band(1, 30.0, 10.0).is_empty());
        assert_eq!(flow.free_lines_left(), 3 + 1, "the second column's rows 10 and 20 are covered");
        flow.next_column();
        assert_eq!(flow.take(10.0, false).map(|b| b.top), Some(30.0));
        // A band across both columns is clear, unless a contour stands in the gutter.
        assert!(flow.span_clear(0, 1, 0.0, 10.0));
        let post = [Exclusion {
            page: 0,
            outline: wrap::Outline::Rect { x0: 102.0, y0: 0.0, x1: 108.0, y1: 40.0 },
            offset: 0.0,
            side: crate::spec::layout::WrapSide::Both,
            min_width: 0.0,
        }];
        let flow = Flow::new(&s, &post, 10.0, 1.0);
        assert!(flow.band(0, 0.0, 10.0).len() == 1 && flow.band(1, 10.0, 10.0).len() == 1);
        assert!(!flow.span_clear(0, 1, 10.0, 10.0));
    }

    #[test]
    fn baseline_centres_the_em_box() {
        // 9pt type on a 13.5pt pitch: 2.25pt above the em box, ascent 7.92pt.
        assert!((baseline(100.0, 13.5, 9.0) - 110.17).abs() < 1e-3);
    }
}
