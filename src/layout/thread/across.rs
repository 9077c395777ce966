//! Heads set across a frame (`heads: across`): a section block of two or more columns
//! opened by its head, as the page brief draws it. A head (kicker and title) that is the
//! first thing its thread sets in such a frame stands across the frame's columns — one
//! measure, the head's own alignment, its band across that width — and its text flows in
//! the columns below it; a head the flow reaches further down stays one column wide.
//!
//! Part of the pure flow: the head's place is worked out from the flow and the blocks, and
//! what it takes of the other columns is kept in the [`Flow`] ([`Flow::cover`]), so a
//! copy-fit try lays it out again like any other line.

use std::ops::Range;

use super::{BreakCache, PlacedLine, PreparedBlock, ThreadLayout};
use crate::diagnostic::Diagnostic;
use crate::layout::display::{DisplayList, Item};
use crate::layout::flow::{Cursor, Flow, LineBox, Slot};
use crate::model::{Job, Style};

/// A head set across its frame: where it stands and what it leaves above and below it.
#[derive(Debug, Clone, PartialEq)]
pub struct AcrossHead {
    pub page: usize,
    /// The frame's text columns, as indices into the thread's slots.
    pub slots: Range<usize>,
    /// The head's measure: the frame's columns from the first that no picture cuts at the
    /// head's lines.
    pub left: f32,
    pub width: f32,
    /// The top of the frame's columns (the head's space above starts there), the top of the
    /// head's first line, the bottom of its last, and where its text starts.
    pub top: f32,
    pub head_top: f32,
    pub head_bottom: f32,
    pub text_top: f32,
    /// The head's first block.
    pub block: usize,
    /// Points between what is above the head and its ink (`None`: right under a picture,
    /// which sets it apart) and between its ink and its text: 题文紧贴 wants the first at
    /// least the second.
    pub above: Option<f32>,
    pub below: f32,
}

/// A head worked out across its frame: its lines, and what the thread records of it.
pub struct Set {
    lines: Vec<PlacedLine>,
    head: AcrossHead,
}

/// Is the flow at the top of the first column of a frame that sets its heads across, with
/// nothing of the thread set in the frame yet?
pub fn opens_frame(flow: &Flow) -> bool {
    let c = flow.cursor;
    flow.slots.get(c.slot).is_some_and(|s| s.heads_across && s.column == 0) && c.piece == 0 && flow.at_column_top()
}

/// The space between a line box's edge and its ink: none for a line on a band (the band is
/// ink to the box's edge), else the half of the leading the em box leaves.
fn inner(style: &Style) -> f32 {
    if style.background.is_some() {
        0.0
    } else {
        ((style.leading - style.size) / 2.0).max(0.0)
    }
}

/// Set the head `blocks[group]` across the frame whose first column the flow stands at the
/// top of ([`opens_frame`]): every line at the measure of the frame's columns (less those a
/// picture cuts at the head's lines, from the right), then the flow's cursor under the head
/// and the frame's other columns covered down to it. The head keeps its space above (unless
/// right under a picture) and two lines of its text in the first column under it. Where it
/// cannot stand across, the flow is left as it was and the warning says why.
pub fn set(
    flow: &mut Flow,
    blocks: &[PreparedBlock],
    group: Range<usize>,
    pitch: f32,
    cache: &BreakCache,
) -> Result<Set, Diagnostic> {
    let s = flow.cursor.slot;
    let first = flow.slots[s];
    let last_slot = (s..flow.slots.len())
        .take_while(|&i| flow.slots[i].page == first.page && flow.slots[i].frame == first.frame)
        .last()
        .unwrap_or(s);
    let origin = &blocks[group.start].block.origin;
    let refuse = |why: &str| {
        Diagnostic::warning(format!(
            "{origin}: the head cannot stand across its frame (`heads: across`): {why}; it is set one column wide"
        ))
    };
    if last_slot == s {
        return Err(refuse("the frame has one text column"));
    }
    let under_picture = flow.band(s, first.top - pitch, pitch).is_empty();
    let space = if under_picture { 0 } else { blocks[group.start].space_before };
    let right = |i: usize| flow.slots[i].left + flow.slots[i].width;
    // The measure runs to the last column no picture cuts at the head's lines; fewer
    // columns may break the title into more lines, so look again until it holds.
    let mut last = last_slot;
    let (width, rows, text_top) = loop {
        let width = right(last) - first.left;
        let mut rows: Vec<(usize, f32, f32, std::rc::Rc<crate::text::Line>)> = Vec::new();
        let mut y = first.top + space as f32 * pitch;
        for (k, pb) in blocks[group.clone()].iter().enumerate() {
            if k > 0 {
                y += pb.space_before as f32 * pitch;
            }
            let Some(prepared) = pb.prepared else { continue };
            let lines = cache.set_title(prepared, &pb.style.config, &mut |_| Some(width), width);
            for line in lines.iter() {
                rows.push((group.start + k, y, pb.style.leading, line.clone()));
                y += pb.style.leading;
            }
            // As the flow does after a block: back on the grid, then its space after.
            let on_grid = ((y - first.top) / pitch - 0.01).ceil().max(0.0);
            y = first.top + on_grid * pitch + pb.style.space_after as f32 * pitch;
        }
        let clear = |to: usize| rows.iter().all(|&(_, top, leading, _)| flow.span_clear(s, to, top, leading));
        match (s + 1..=last).rev().find(|&to| clear(to)) {
            Some(to) if to == last => break (width, rows, y),
            Some(to) => last = to,
            None => return Err(refuse("a picture cuts its band across the frame's first two columns")),
        }
    };
    // Two lines of its text under it in the first column (題不落底).
    let keep = flow.cursor;
    flow.cursor = Cursor { slot: s, y: text_top, piece: 0 };
    let room = {
        let mut ahead = flow.lookahead(pitch, false, &[]);
        (0..2).all(|i| ahead.get(i).is_some_and(|place| place.slot == s))
    };
    if !room {
        flow.cursor = keep;
        return Err(refuse("the frame has no room under it for two lines of its text"));
    }
    for i in s + 1..=last_slot {
        flow.cover(i, text_top);
    }
    let (head_top, head_bottom) = match (rows.first(), rows.last()) {
        (Some(a), Some(z)) => (a.1, z.1 + z.2),
        _ => (text_top, text_top),
    };
    let style_of = |row: Option<&(usize, f32, f32, std::rc::Rc<crate::text::Line>)>| row.map(|r| blocks[r.0].style);
    let above = (!under_picture).then(|| head_top - first.top + style_of(rows.first()).map_or(0.0, inner));
    let below = text_top - head_bottom + style_of(rows.last()).map_or(0.0, inner);
    let lines = rows
        .into_iter()
        .map(|(block, top, leading, line)| PlacedLine {
            block,
            place: LineBox { slot: s, top, left: first.left, width },
            leading,
            line,
        })
        .collect();
    let head = AcrossHead {
        page: first.page,
        slots: s..last_slot + 1,
        left: first.left,
        width,
        top: first.top,
        head_top,
        head_bottom,
        text_top,
        block: group.start,
        above,
        below,
    };
    Ok(Set { lines, head })
}

/// Put a head set across into the thread's layout.
pub fn place(set: Set, out: &mut ThreadLayout) {
    for line in set.lines {
        if out.block_starts[line.block].is_none() {
            out.block_starts[line.block] = Some(out.lines.len());
        }
        if line.line.overfull {
            let word: String = line.line.glyphs.iter().map(|g| g.text).collect();
            out.overfull.push((line.block, word, line.place.width));
        }
        out.lines.push(line);
    }
    out.across.push(set.head);
}

/// 题文紧贴 (a head sits closer to its text than to what is above it): a warning for each
/// pair of head styles whose across heads stand further from their text than from what is
/// above them, at the style to change, naming the heads.
pub fn crowded_heads(job: &Job, laid: &ThreadLayout, blocks: &[PreparedBlock]) -> Vec<Diagnostic> {
    let mut found: Vec<(&str, &str, f32, f32, Vec<String>)> = Vec::new();
    for head in &laid.across {
        let Some(above) = head.above else { continue };
        if above + 0.01 >= head.below {
            continue;
        }
        let group = blocks[head.block..].iter().take_while(|b| b.block.keep_with_next);
        let (Some(top), Some(bottom)) = (group.clone().next(), group.last()) else { continue };
        let line = ((head.head_top - job.page.area_top) / job.grid.pitch + 0.01).floor() as u32 + 1;
        let place = format!("{} (page {}, line {line})", blocks[head.block].block.origin, head.page + 1);
        match found.iter_mut().find(|f| f.0 == top.style.name && f.1 == bottom.style.name) {
            Some(f) => f.4.push(place),
            None => found.push((&top.style.name, &bottom.style.name, above, head.below, vec![place])),
        }
    }
    let ls = &job.layout_source;
    found
        .into_iter()
        .map(|(top, bottom, above, below, places)| {
            let lines = ((below - above) / job.grid.pitch - 0.01).ceil().max(1.0) as u32;
            let key = [format!("styles.{bottom}.space_after"), format!("styles.{bottom}")]
                .into_iter()
                .find(|k| ls.has(k))
                .unwrap_or_else(|| "styles".to_owned());
            Diagnostic::warning(format!(
                "the head{} of {} set across {} {:.1} pt under what is above {} but {:.1} pt over {} text: a head sits closer to its text than to what is above it (题文紧贴)",
                if places.len() > 1 { "s" } else { "" },
                places.join(", "),
                if places.len() > 1 { "stand" } else { "stands" },
                above,
                if places.len() > 1 { "them" } else { "it" },
                below,
                if places.len() > 1 { "their" } else { "its" },
            ))
            .at(ls.locate(&key))
            .with_hint(format!(
                "take {lines} line(s) from `styles.{bottom}.space_after` (or its leading), or add them to `styles.{top}.space_before`"
            ))
        })
        .collect()
}

/// Column rules stop where a head stands across their gutters: from the top of its frame's
/// columns down to its text.
pub fn clip_rules(display: &mut DisplayList, laid: &ThreadLayout, slots: &[Slot]) {
    for head in &laid.across {
        let columns = &slots[head.slots.clone()];
        let (Some(a), Some(z)) = (columns.first(), columns.last()) else { continue };
        let (left, right) = (a.left, z.left + z.width);
        let top = columns.iter().map(|c| c.top).fold(head.top, f32::min);
        let bottom = head.text_top;
        let Some(page) = display.pages.get_mut(head.page) else { continue };
        let mut kept = Vec::with_capacity(page.items.len());
        for item in page.items.drain(..) {
            match item {
                Item::Rule { x0, y0, x1, y1, width, color }
                    if x0 == x1 && x0 > left && x0 < right && y0.min(y1) < bottom && y0.max(y1) > top =>
                {
                    let (from, to) = (y0.min(y1), y0.max(y1));
                    for (p, q) in [(from, top.min(to)), (bottom.max(from), to)] {
                        if q - p > 0.5 {
                            kept.push(Item::Rule { x0, y0: p, x1, y1: q, width, color });
                        }
                    }
                }
                other => kept.push(other),
            }
        }
        page.items = kept;
    }
}

#[cfg(test)]
mod tests {
    use super::super::{lay_thread, lay_thread_cached, BreakCache, PreparedBlock, ThreadLayout};
    use crate::layout::flow::Slot;
    use crate::layout::makeup;
    use crate::layout::wrap::{Exclusion, Outline};
    use crate::model::inline::Run;
    use crate::model::{Block, Style};
    use crate::spec::layout::{Align, Color, Widows, WrapSide};
    use crate::text::{self, Config, Prepared, StyledRun};

    /// Characters of 10 pt, lines of 10 pt: a grid of 13-character columns with
    /// 1-character gutters.
    const PITCH: f32 = 10.0;
    const CHAR: f32 = 10.0;

    fn style(name: &str, leading: f32, align: Align) -> Style {
        let config = Config { indent: 0.0, align, ..Config::default() };
        Style {
            name: name.into(),
            fonts: vec![0],
            bold_fonts: vec![0],
            size: 10.0,
            leading,
            indent: 0.0,
            align,
            color: Color::BLACK,
            space_before: 0,
            space_after: 0,
            tracking: 0.0,
            background: None,
            config,
            display: config,
            widows: Widows::Warn,
        }
    }

    /// The kicker on a band, a line of space above it; the title centred, `after` lines of
    /// space under it; both two grid lines high.
    fn head_styles(after: u32) -> (Style, Style) {
        let kicker =
            Style { background: Some(Color::BLACK), space_before: 1, ..style("section-kicker", 20.0, Align::Center) };
        let title = Style { space_after: after, ..style("section-title", 20.0, Align::Center) };
        (kicker, title)
    }

    fn block(text: &str, keep_with_next: bool) -> Block {
        Block {
            style: crate::model::StyleId(0),
            runs: vec![Run { text: text.into(), bold: false }],
            origin: format!("test {}", text.chars().take(3).collect::<String>()),
            keep_with_next,
        }
    }

    fn prepared(block: &Block, style: &Style) -> Prepared {
        let runs = [StyledRun { text: &block.runs[0].text, fonts: &[0], size: 10.0, tracking: 0.0, tag: 0 }];
        text::prepare(&runs, crate::text::tests::book(), &style.config).unwrap()
    }

    /// The text columns of one frame, `count` of them from `left`, `lines` grid lines high.
    fn frame(index: usize, left: f32, count: usize, lines: usize) -> Vec<Slot> {
        (0..count)
            .map(|c| Slot {
                left: left + c as f32 * 14.0 * CHAR,
                width: 13.0 * CHAR,
                bottom: lines as f32 * PITCH,
                frame: index,
                column: c,
                heads_across: true,
                ..Slot::default()
            })
            .collect()
    }

    const TEXT: &str =
        "人民城市人民建人民城市为人民江津区城市建设事务中心把实现人民对美好生活的向往作为城市建设的出发点和落脚点";

    /// The blocks as the flow takes them, each with its style's space above.
    fn prepared_blocks<'a>(blocks: &'a [Block], styles: &[&'a Style], texts: &'a [Prepared]) -> Vec<PreparedBlock<'a>> {
        let blocks = blocks.iter().zip(styles).zip(texts);
        blocks
            .map(|((block, &style), p)| PreparedBlock {
                block,
                style,
                prepared: Some(p),
                space_before: style.space_before,
                strand: false,
                lines: 0,
            })
            .collect()
    }

    /// A thread of a head (kicker, title) and `text`, laid out through `slots` round
    /// `exclusions`, with the title's `after` lines of space.
    fn lay(text: &str, after: u32, slots: &[Slot], exclusions: &[Exclusion]) -> (ThreadLayout, Vec<Block>) {
        let (kicker, title) = head_styles(after);
        let body = style("body", 10.0, Align::Justify);
        let blocks = vec![block("经济聚动能", true), block("发展活力持续迸发", true), block(text, false)];
        let styles = [&kicker, &title, &body];
        let texts: Vec<Prepared> = blocks.iter().zip(styles).map(|(b, s)| prepared(b, s)).collect();
        let pb = prepared_blocks(&blocks, &styles, &texts);
        (lay_thread(&pb, slots, exclusions, PITCH, CHAR), blocks)
    }

    fn long_text() -> String {
        TEXT.repeat(4)
    }

    #[test]
    fn a_head_opening_a_frame_of_three_columns_stands_across_them_and_its_text_below() {
        let slots = frame(0, 0.0, 3, 10);
        let (laid, _) = lay(&long_text(), 1, &slots, &[]);
        assert_eq!(laid.across.len(), 1, "{:?}", laid.warnings);
        let head: Vec<_> = laid.lines.iter().filter(|l| l.block < 2).collect();
        assert_eq!(head.len(), 2, "kicker and title, one line each");
        for line in &head {
            // 3 · 13 characters and 2 gutters.
            assert_eq!(line.place.width, (3.0 * 13.0 + 2.0) * CHAR);
            assert_eq!(line.place.left, 0.0);
            assert_eq!(line.line.measure, line.place.width);
        }
        // The kicker keeps its line of space above it at the frame's top; the title's line
        // of space under it; the text starts below, at the same line in every column.
        assert_eq!((head[0].place.top, head[1].place.top), (10.0, 30.0));
        let across = &laid.across[0];
        assert_eq!((across.head_bottom, across.text_top), (50.0, 60.0));
        for slot in 0..3 {
            let body: Vec<f32> =
                laid.lines.iter().filter(|l| l.block == 2 && l.place.slot == slot).map(|l| l.place.top).collect();
            assert_eq!(body, [60.0, 70.0, 80.0, 90.0], "column {}", slot + 1);
        }
        assert!(laid.overset.is_some(), "four columns' worth of text does not fit 4 × 3 lines");
        assert_eq!(laid.empty_lines(), 0, "{:?}", laid.columns);
    }

    #[test]
    fn the_rows_under_the_head_in_the_other_columns_are_covered_not_free() {
        let slots = frame(0, 0.0, 3, 10);
        let (laid, _) = lay(&TEXT[..TEXT.char_indices().nth(39).unwrap().0], 1, &slots, &[]);
        let per_column: Vec<usize> =
            (0..3).map(|s| laid.lines.iter().filter(|l| l.block == 2 && l.place.slot == s).count()).collect();
        assert_eq!(per_column, [3, 0, 0], "39 characters are three lines of the first column");
        // The columns' tops are covered by the head: their rows are not free, not empty.
        assert_eq!(laid.underset_lines, 1 + 4 + 4);
        assert_eq!(laid.columns[1].usable, 4);
    }

    #[test]
    fn a_head_reached_inside_the_frame_stays_one_column_wide() {
        let slots = frame(0, 0.0, 3, 12);
        let (kicker, title) = head_styles(1);
        let body = style("body", 10.0, Align::Justify);
        let blocks = [
            block(&TEXT[..TEXT.char_indices().nth(26).unwrap().0], false),
            block("经济聚动能", true),
            block("发展活力持续迸发", true),
            block(TEXT, false),
        ];
        let styles = [&body, &kicker, &title, &body];
        let texts: Vec<Prepared> = blocks.iter().zip(styles).map(|(b, s)| prepared(b, s)).collect();
        let pb = prepared_blocks(&blocks, &styles, &texts);
        let laid = lay_thread(&pb, &slots, &[], PITCH, CHAR);
        assert!(laid.across.is_empty());
        let kicker = &laid.lines[laid.block_starts[1].unwrap()];
        assert_eq!((kicker.place.slot, kicker.place.width), (0, 13.0 * CHAR));
        assert_eq!(kicker.place.top, 30.0, "two lines of text, a line of space, then the head");
    }

    #[test]
    fn a_picture_on_the_band_shortens_the_head_to_the_columns_it_leaves() {
        let slots = frame(0, 0.0, 3, 12);
        // A photo at the top of the third column.
        let photo = Exclusion {
            page: 0,
            outline: Outline::Rect { x0: 290.0, y0: 0.0, x1: 410.0, y1: 40.0 },
            offset: 5.0,
            side: WrapSide::Both,
            min_width: 30.0,
        };
        let (laid, _) = lay(&long_text(), 1, &slots, std::slice::from_ref(&photo));
        assert_eq!(laid.across.len(), 1, "{:?}", laid.warnings);
        assert_eq!(laid.across[0].width, (2.0 * 13.0 + 1.0) * CHAR, "the first two columns");
        for line in laid.lines.iter().filter(|l| l.block < 2) {
            assert!(line.place.left + line.place.width <= 285.0, "the head does not print on the photo");
        }
        // The third column's text starts under the head (and under the photo), not beside it.
        let third = laid.lines.iter().find(|l| l.place.slot == 2).expect("text in the third column");
        assert!(third.place.top >= laid.across[0].text_top);
    }

    #[test]
    fn a_picture_on_the_first_two_columns_keeps_the_head_one_column_wide_and_says_so() {
        let slots = frame(0, 0.0, 3, 12);
        // A photo at the top of the second column.
        let photo = Exclusion {
            page: 0,
            outline: Outline::Rect { x0: 150.0, y0: 0.0, x1: 260.0, y1: 20.0 },
            offset: 5.0,
            side: WrapSide::Both,
            min_width: 30.0,
        };
        let (laid, _) = lay(&long_text(), 1, &slots, &[photo]);
        assert!(laid.across.is_empty());
        assert!(
            laid.warnings.iter().any(|w| w.message.contains("cannot stand across") && w.message.contains("picture")),
            "{:?}",
            laid.warnings
        );
        let kicker = &laid.lines[laid.block_starts[0].unwrap()];
        assert_eq!(kicker.place.width, 13.0 * CHAR);
    }

    #[test]
    fn a_frame_too_short_for_the_head_and_two_lines_keeps_it_one_column_wide() {
        // Space, kicker, title and space take 6 lines: a 7-line frame has one line left.
        let slots = frame(0, 0.0, 3, 7);
        let (laid, _) = lay(&long_text(), 1, &slots, &[]);
        assert!(laid.across.is_empty());
        assert!(laid.warnings.iter().any(|w| w.message.contains("two lines of its text")), "{:?}", laid.warnings);
    }

    #[test]
    fn the_space_above_and_below_an_across_head_is_measured_for_the_rule_of_a_head_close_to_its_text() {
        let slots = frame(0, 0.0, 3, 12);
        // Above: one line of space over the kicker's band (its ink reaches its box's top).
        // Below: half the title's leading the 10 pt type leaves, and its line of space.
        let (laid, _) = lay(&long_text(), 1, &slots, &[]);
        assert_eq!((laid.across[0].above, laid.across[0].below), (Some(10.0), 15.0));
        let (laid, _) = lay(&long_text(), 0, &slots, &[]);
        assert_eq!((laid.across[0].above, laid.across[0].below), (Some(10.0), 5.0));
        // Right under a photo across the frame's top, no space is kept above the head.
        let photo = Exclusion {
            page: 0,
            outline: Outline::Rect { x0: 0.0, y0: -40.0, x1: 410.0, y1: -5.0 },
            offset: 0.0,
            side: WrapSide::Both,
            min_width: 30.0,
        };
        let (laid, _) = lay(&long_text(), 0, &slots, &[photo]);
        assert_eq!(laid.across[0].above, None);
        assert_eq!(laid.lines[0].place.top, 0.0);
    }

    #[test]
    fn across_heads_side_by_side_in_neighbouring_frames_clash_and_one_does_not_clash_with_itself() {
        let left = frame(0, 0.0, 3, 12);
        let right = frame(1, 420.0, 2, 12);
        let (a, blocks) = lay(&long_text(), 1, &left, &[]);
        let (b, _) = lay(&long_text(), 1, &right, &[]);
        let one = makeup::heads(&a, &left, &blocks);
        assert_eq!(one.len(), 1, "kicker and title are one head");
        assert_eq!((one[0].left, one[0].right), (0.0, 410.0), "it covers the frame's three columns");
        assert!(makeup::side_by_side(&one).is_empty());
        let mut both = one.clone();
        both.extend(makeup::heads(&b, &right, &blocks));
        assert_eq!(makeup::side_by_side(&both), vec![(0, 1)], "撞题");
    }

    #[test]
    fn a_cached_layout_of_an_across_head_is_the_fresh_one() {
        let slots = frame(0, 0.0, 3, 12);
        let (kicker, title) = head_styles(1);
        let body = style("body", 10.0, Align::Justify);
        let text = long_text();
        let blocks = [block("经济聚动能", true), block("发展活力持续迸发", true), block(&text, false)];
        let styles = [&kicker, &title, &body];
        let texts: Vec<Prepared> = blocks.iter().zip(styles).map(|(b, s)| prepared(b, s)).collect();
        let pb: Vec<PreparedBlock> = blocks
            .iter()
            .zip(styles)
            .zip(&texts)
            .map(|((block, style), p)| PreparedBlock {
                block,
                style,
                prepared: Some(p),
                space_before: 1,
                strand: false,
                lines: 0,
            })
            .collect();
        let cache = BreakCache::default();
        let tops = |t: &ThreadLayout| t.lines.iter().map(|l| (l.place, l.line.glyphs.len())).collect::<Vec<_>>();
        let first = lay_thread_cached(&pb, &slots, &[], PITCH, CHAR, &cache);
        let again = lay_thread_cached(&pb, &slots, &[], PITCH, CHAR, &cache);
        assert_eq!(tops(&first), tops(&again));
        assert_eq!(first.across, again.across);
        assert_eq!(first.columns, again.columns);
    }
}
