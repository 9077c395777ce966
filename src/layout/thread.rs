//! One thread laid out, as a pure function: its blocks (prepared once), their styles, the
//! thread's columns and the contours on its pages in; a [`ThreadLayout`] out — every line
//! placed, where each block starts, what did not fit. Nothing is written: the display list
//! is emitted from the result, so a layout can be tried and thrown away (copy-fitting
//! tries many).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub mod across;

use super::flow::{Flow, LineBox, Slot};
use super::makeup::{self, ColumnFill};
use super::wrap::Exclusion;
use crate::diagnostic::Diagnostic;
use crate::model::{Block, Style};
use crate::spec::layout::Widows;
use crate::text::{self, Line, Prepared};

/// A block of a thread with its text prepared for line breaking (atoms, widths and
/// junctions): done once per block, whatever the frames it is tried in.
pub struct PreparedBlock<'a> {
    pub block: &'a Block,
    pub style: &'a Style,
    /// `None` when a character has no font: the error is reported where it was prepared.
    pub prepared: Option<&'a Prepared>,
    /// Grid lines left empty before it: its style's, or what the copy-fit chose.
    pub space_before: u32,
    /// Its first or last line may stand alone at a column's foot or top although its style
    /// says `widows: avoid`: the copy-fit's last resort where avoiding the widow leaves the
    /// column's foot empty (a hole is worse than a widow, makeup-rules §栏首/栏尾孤行).
    pub strand: bool,
    /// Lines more (or fewer) than its best breaking: the copy-fit's `\looseness`
    /// ([`crate::text::linebreak::break_lines_changed`]).
    pub lines: i8,
}

/// One line of a thread where it landed.
#[derive(Debug, Clone)]
pub struct PlacedLine {
    /// Index of its block in the thread.
    pub block: usize,
    pub place: LineBox,
    /// The height of the line box: its style's leading.
    pub leading: f32,
    /// Shared with the breaking it came from (the copy-fit's tries take it again).
    pub line: Rc<Line>,
}

/// What did not fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Overset {
    /// Characters left over, from the first line that did not fit to the thread's end.
    pub chars: usize,
    /// The block where it starts.
    pub from_block: usize,
}

/// A thread laid out: see the module's doc.
#[derive(Debug, Clone, Default)]
pub struct ThreadLayout {
    /// The lines in reading order.
    pub lines: Vec<PlacedLine>,
    /// For each block, the index in `lines` of its first line (`None`: not set).
    pub block_starts: Vec<Option<usize>>,
    pub overset: Option<Overset>,
    /// Empty grid lines left after the last line in the thread's columns.
    pub underset_lines: usize,
    /// Words wider than their column: block, the word, the column's width in points.
    pub overfull: Vec<(usize, String, f32)>,
    /// Widow and orphan lines left where they are.
    pub warnings: Vec<Diagnostic>,
    /// How each column is filled: empty lines at its foot, holes.
    pub columns: Vec<ColumnFill>,
    /// Justified lines stretched past their style's loose threshold.
    pub loose_lines: usize,
    /// The heads set across their frames ([`across`]).
    pub across: Vec<across::AcrossHead>,
    /// The paragraphs that moved a line on to the next column so that none stands alone
    /// (`widows: avoid`), and the column (slot) whose foot each move left empty: the
    /// copy-fit may let them [`PreparedBlock::strand`] instead.
    pub jumped: Vec<(usize, usize)>,
    /// The paragraphs let [`PreparedBlock::strand`] that do keep a line alone here (a strand
    /// where no line would stand alone changes nothing).
    pub stranded: Vec<usize>,
}

/// A justified line (not a paragraph's last) stretched more per gap than its style allows.
pub fn is_loose(style: &Style, line: &Line) -> bool {
    style.align == crate::spec::layout::Align::Justify
        && !line.last
        && line.stretch_per_gap > style.config.loose * style.size
}

impl ThreadLayout {
    /// Empty grid lines in the thread's columns (feet and holes) where it is not overset.
    pub fn empty_lines(&self) -> u32 {
        self.columns.iter().map(ColumnFill::empty_lines).sum()
    }
}

/// Paragraphs already broken, by their prepared text: what the breaker read of the
/// measures it was given, and the lines. A paragraph whose measures read the same breaks
/// the same way, so a try of the copy-fit re-breaks only the paragraphs its change reaches.
#[derive(Default)]
pub struct BreakCache {
    entries: RefCell<HashMap<(usize, i8), Vec<Breaking>>>,
}

/// The widths of a paragraph's lines by index (`None`: the columns have ended).
type LineWidthsAsked<'a> = dyn FnMut(usize) -> Option<f32> + 'a;

/// What a breaking depended on.
enum Read {
    /// A paragraph: what the breaker read ([`text::Reads`]): the widths of the lines it
    /// set or judged, and where it saw the widths settle. Widths further on do not matter.
    Paragraph(text::Reads),
    /// A head's title: every width it asked for (by line).
    Title(Vec<Option<f32>>),
}

/// One breaking of a paragraph: what it read, and its lines (shared: a try that takes them
/// again copies no glyph).
type Breaking = (Read, Rc<[Rc<Line>]>);

/// At most this many breakings are kept per paragraph: the copy-fit comes back to a
/// paragraph's earlier widths after a few other tries (a move undone, a picture tried a line
/// each way). Counted by callgrind over whole `check` runs, 24 against 6 takes 21 % fewer
/// instructions on 2024, 25 % on 2025 and 43 % on 2024 less 10 %; 40 gains nothing more
/// (each entry kept is one more comparison of widths on a miss). The price: about 1.4 MiB
/// of peak memory.
const CACHED_PER_PARAGRAPH: usize = 24;

impl BreakCache {
    /// Set `prepared` to the widths `lines(i)` gives (`None`: the columns have ended, every
    /// later line takes `rest`), or take the lines a breaking with the same reads made.
    fn set(
        &self,
        prepared: &Prepared,
        config: &crate::text::Config,
        change: i8,
        lines: &mut dyn FnMut(usize) -> Option<f32>,
        rest: f32,
    ) -> Rc<[Rc<Line>]> {
        let key = (prepared as *const Prepared as usize, change);
        if let Some(entries) = self.entries.borrow().get(&key) {
            for (read, set) in entries {
                let Read::Paragraph(reads) = read else { continue };
                if reads.same_for(&mut text::Widths::new(&mut *lines, rest), config.indent) {
                    return set.clone();
                }
            }
        }
        let (set, reads) =
            text::set_prepared_reads(prepared, config, &mut text::Widths::new(&mut *lines, rest), change);
        self.keep(key, Read::Paragraph(reads), set)
    }

    /// A head's title, set by [`text::title::set_prepared_title`] (words kept whole), cached
    /// by every width it asked for.
    fn set_title(
        &self,
        prepared: &Prepared,
        config: &crate::text::Config,
        lines: &mut dyn FnMut(usize) -> Option<f32>,
        rest: f32,
    ) -> Rc<[Rc<Line>]> {
        let key = (prepared as *const Prepared as usize, 0);
        let same = |asked: &[Option<f32>], lines: &mut LineWidthsAsked| {
            asked.iter().enumerate().all(|(i, w)| lines(i).map(f32::to_bits) == w.map(f32::to_bits))
        };
        if let Some(entries) = self.entries.borrow().get(&key) {
            for (read, set) in entries {
                let Read::Title(asked) = read else { continue };
                if same(asked, lines) {
                    return set.clone();
                }
            }
        }
        let mut asked: Vec<Option<f32>> = Vec::new();
        let set = text::title::set_prepared_title(prepared, config, &mut |i| {
            let w = lines(i);
            if asked.len() <= i {
                asked.resize(i + 1, None);
            }
            asked[i] = w;
            w.unwrap_or(rest)
        });
        self.keep(key, Read::Title(asked), set)
    }

    /// Keep a breaking of the paragraph at `key` (the oldest of its breakings goes when it
    /// has [`CACHED_PER_PARAGRAPH`]).
    fn keep(&self, key: (usize, i8), read: Read, set: Vec<Line>) -> Rc<[Rc<Line>]> {
        let set: Rc<[Rc<Line>]> = set.into_iter().map(Rc::new).collect();
        let mut entries = self.entries.borrow_mut();
        let list = entries.entry(key).or_default();
        if list.len() >= CACHED_PER_PARAGRAPH {
            list.remove(0);
        }
        list.push((read, set.clone()));
        set
    }
}

/// Lay out a thread: its blocks through `slots`, round `exclusions`, on a grid of `pitch`
/// points and characters of `char` points.
pub fn lay_thread(
    blocks: &[PreparedBlock],
    slots: &[Slot],
    exclusions: &[Exclusion],
    pitch: f32,
    char: f32,
) -> ThreadLayout {
    lay_thread_cached(blocks, slots, exclusions, pitch, char, &BreakCache::default())
}

/// [`lay_thread`], reusing the breakings in `cache` (the prepared texts it is keyed by must
/// outlive it and not move).
pub fn lay_thread_cached(
    blocks: &[PreparedBlock],
    slots: &[Slot],
    exclusions: &[Exclusion],
    pitch: f32,
    char: f32,
    cache: &BreakCache,
) -> ThreadLayout {
    let mut flow = Flow::new(slots, exclusions, pitch, char);
    let mut out = ThreadLayout { block_starts: vec![None; blocks.len()], ..ThreadLayout::default() };
    let fallback = slots.last().map_or(char, |s| s.width);
    // The blocks before this index are set already (a head set across its frame).
    let mut set_until = 0;
    for (b, pb) in blocks.iter().enumerate() {
        if b < set_until {
            continue;
        }
        let (block, style) = (pb.block, pb.style);
        flow.skip_lines(pb.space_before);
        if block.keep_with_next && (b == 0 || !blocks[b - 1].block.keep_with_next) {
            // A head (kicker and title) stands together on full-width bands with two lines
            // of its text under it: where it cannot, it moves down past the picture beside
            // it, or on to the next column. At the top of a frame that sets its heads
            // across, it stands across the frame's columns where it can. Each head block
            // counts the lines it sets in the thread's column width: a title that wraps
            // keeps both its lines, not one, with the text under it.
            let mut head = Vec::new();
            for k in blocks[b..].iter().take_while(|k| k.block.keep_with_next) {
                let lines = k
                    .prepared
                    .map_or(1, |p| cache.set_title(p, &k.style.config, &mut |_| Some(fallback), fallback).len().max(1));
                head.extend(std::iter::repeat_n(k.style.leading, lines));
                head.extend(std::iter::repeat_n(pitch, k.style.space_after as usize));
            }
            let end = b + blocks[b..].iter().take_while(|k| k.block.keep_with_next).count();
            while !flow.exhausted() {
                if across::opens_frame(&flow) {
                    match across::set(&mut flow, blocks, b..end, pitch, cache) {
                        Ok(set) => {
                            set_until = end;
                            across::place(set, &mut out);
                            break;
                        }
                        Err(why) => out.warnings.push(why),
                    }
                }
                if flow.head_fits_here(&head, &[pitch, pitch]) {
                    break;
                }
                flow.advance();
            }
            if set_until > b {
                continue;
            }
        }
        let Some(prepared) = pb.prepared else { continue };
        let leading = style.leading;
        let whole = block.keep_with_next;
        // Lines before which the paragraph moves on to the next column: with
        // `widows: avoid`, so that neither its first line stands alone at a column foot nor
        // its last alone at a column top (each leaves at most one line empty).
        let mut jumps: Vec<usize> = Vec::new();
        // The column whose foot each jump leaves empty.
        let mut left_empty: Vec<usize> = Vec::new();
        let avoid = style.widows == Widows::Avoid && !whole && !pb.strand;
        let lines = loop {
            let mut ahead = flow.lookahead(leading, whole, &jumps);
            // The breaker looks ahead for where the widths settle; no paragraph of n
            // characters takes n/2 lines (pieces narrower than 3 characters stay empty), so
            // the look stops there instead of walking every column to the thread's end.
            let reach = char_count(block) / 2 + 8;
            let lines = if whole {
                // A head breaks at word boundaries, its lines balanced (text::title).
                cache.set_title(prepared, &style.config, &mut |i| ahead.get(i).map(|p| p.width), fallback)
            } else {
                cache.set(
                    prepared,
                    &style.config,
                    pb.lines,
                    &mut |i| if i < reach { ahead.get(i).map(|p| p.width) } else { None },
                    fallback,
                )
            };
            let n = lines.len();
            let mut slot_of = |i: usize| ahead.get(i).map(|p| p.slot);
            if avoid && n >= 2 && jumps.is_empty() && slot_of(0) != slot_of(1) && slot_of(1).is_some() {
                let left = slot_of(0);
                jumps.push(0);
                left_empty.extend(left);
                continue;
            }
            if avoid
                && n >= 3
                && !jumps.contains(&(n - 2))
                && slot_of(n - 1) != slot_of(n - 2)
                && slot_of(n - 1).is_some()
            {
                let left = slot_of(n - 2);
                jumps.push(n - 2);
                left_empty.extend(left);
                continue;
            }
            // A word wider than a piece beside a picture (a number kept with its unit, a
            // long Latin word) leaves that piece empty rather than print into the picture.
            // A word wider than the whole column stays an error where it stands.
            // (Each rule looks at every such line, not just the first: a full-width one
            // before it is left as it is.)
            let mut overfull = lines.iter().enumerate().filter(|(_, l)| l.overfull);
            if overfull.any(|(i, l)| {
                let needed: f32 = l.advances.iter().sum();
                ahead.get(i).is_some_and(|place| flow.block_piece(&place, needed))
            }) {
                continue;
            }
            // A piece beside a picture too narrow to set its line without loose gaps stays
            // empty (the line moves past the picture); a full-width line stays loose.
            let mut loose = lines.iter().enumerate().filter(|(_, l)| !whole && is_loose(style, l));
            if loose.any(|(i, _)| ahead.get(i).is_some_and(|place| flow.block_piece(&place, 0.0))) {
                continue;
            }
            break lines;
        };
        out.jumped.extend(left_empty.into_iter().map(|slot| (b, slot)));
        let first = out.lines.len();
        let mut left: usize = lines.iter().map(|l| l.glyphs.len()).sum();
        for (i, line) in lines.iter().cloned().enumerate() {
            if jumps.contains(&i) {
                flow.next_column();
            }
            let Some(place) = flow.take(leading, whole) else {
                // The columns end here: this line, the rest of the block and every later
                // block are overset.
                let later: usize = blocks[b + 1..].iter().map(|k| char_count(k.block)).sum();
                out.overset = Some(Overset { chars: left + later, from_block: b });
                if out.lines.len() > first {
                    out.block_starts[b] = Some(first);
                }
                out.columns = makeup::columns(&flow, &out.lines, pitch);
                return out;
            };
            if line.overfull {
                let word: String = line.glyphs.iter().map(|g| g.text).collect();
                out.overfull.push((b, word, place.width));
            }
            left -= line.glyphs.len();
            out.loose_lines += usize::from(!whole && is_loose(style, &line));
            out.lines.push(PlacedLine { block: b, place, leading, line });
        }
        if out.lines.len() > first {
            out.block_starts[b] = Some(first);
        }
        let placed: Vec<usize> = out.lines[first..].iter().map(|l| l.place.slot).collect();
        let warned = out.warnings.len();
        widow_and_orphan_lines(&placed, &block.origin, &mut out.warnings);
        if pb.strand && out.warnings.len() > warned {
            out.stranded.push(b);
        }
        flow.snap_to_grid();
        flow.skip_lines(style.space_after);
    }
    out.underset_lines = flow.free_lines_left();
    out.columns = makeup::columns(&flow, &out.lines, pitch);
    out
}

fn char_count(block: &Block) -> usize {
    block.runs.iter().map(|r| r.text.chars().count()).sum()
}

/// A paragraph's last line alone at the top of a column (widow line, 孤行) or its first
/// line alone at a column foot: reported for the designer rather than silently reflowed
/// (clreq-rules §6).
fn widow_and_orphan_lines(slots_of_lines: &[usize], origin: &str, warnings: &mut Vec<Diagnostic>) {
    let n = slots_of_lines.len();
    if n < 2 {
        return;
    }
    if slots_of_lines[n - 1] != slots_of_lines[n - 2] {
        warnings.push(Diagnostic::warning(format!(
            "{origin}: widow line: the last line stands alone at the top of a column"
        )));
    }
    if slots_of_lines[0] != slots_of_lines[1] {
        warnings.push(Diagnostic::warning(format!(
            "{origin}: orphan line: the first line stands alone at the foot of a column"
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::inline::Run;
    use crate::spec::layout::{Align, Color, WrapSide};
    use crate::text::{Config, StyledRun};

    fn style(leading: f32, widows: Widows) -> Style {
        let config = Config { indent: 0.0, ..Config::default() };
        Style {
            name: "body".into(),
            fonts: vec![0],
            bold_fonts: vec![0],
            size: 10.0,
            leading,
            indent: 0.0,
            align: Align::Justify,
            color: Color::BLACK,
            space_before: 0,
            space_after: 0,
            tracking: 0.0,
            background: None,
            config,
            display: config,
            widows,
        }
    }

    fn block(text: &str, keep_with_next: bool) -> Block {
        Block {
            style: crate::model::StyleId(0),
            runs: vec![Run { text: text.into(), bold: false }],
            origin: "test".into(),
            keep_with_next,
        }
    }

    fn texts(blocks: &[Block], style: &Style) -> Vec<Prepared> {
        blocks
            .iter()
            .map(|block| {
                let runs: Vec<StyledRun> = block
                    .runs
                    .iter()
                    .map(|r| StyledRun { text: &r.text, fonts: &[0], size: 10.0, tracking: 0.0, tag: 0 })
                    .collect();
                text::prepare(&runs, crate::text::tests::book(), &style.config).unwrap()
            })
            .collect()
    }

    fn prepare<'a>(blocks: &'a [Block], style: &'a Style, texts: &'a [Prepared]) -> Vec<PreparedBlock<'a>> {
        blocks
            .iter()
            .zip(texts)
            .map(|(block, prepared)| PreparedBlock {
                block,
                style,
                prepared: Some(prepared),
                space_before: 0,
                strand: false,
                lines: 0,
            })
            .collect()
    }

    /// Two columns of 10 characters (100 pt) and `lines` lines of 10 pt each.
    fn columns(lines: usize) -> Vec<Slot> {
        let bottom = lines as f32 * 10.0;
        vec![
            Slot { page: 0, left: 0.0, width: 100.0, top: 0.0, bottom, frame: 0, column: 0, ..Slot::default() },
            Slot { page: 0, left: 110.0, width: 100.0, top: 0.0, bottom, frame: 0, column: 0, ..Slot::default() },
        ]
    }

    /// One column `width` points wide from the page's top to `bottom`.
    fn one_column(width: f32, bottom: f32) -> Vec<Slot> {
        vec![Slot { page: 0, left: 0.0, width, top: 0.0, bottom, frame: 0, column: 0, ..Slot::default() }]
    }

    /// A round picture text runs round on both sides, leaving no piece under 3 characters.
    fn circle(cx: f32, cy: f32, r: f32) -> Exclusion {
        Exclusion {
            page: 0,
            outline: super::super::wrap::Outline::Ellipse { cx, cy, rx: r, ry: r },
            offset: 0.0,
            side: WrapSide::Both,
            min_width: 30.0,
        }
    }

    /// A rectangular picture text runs round on both sides, leaving no piece narrower than
    /// `min_width`.
    fn rect(x0: f32, y0: f32, x1: f32, y1: f32, min_width: f32) -> Exclusion {
        Exclusion {
            page: 0,
            outline: super::super::wrap::Outline::Rect { x0, y0, x1, y1 },
            offset: 0.0,
            side: WrapSide::Both,
            min_width,
        }
    }

    const TEXT: &str =
        "人民城市人民建人民城市为人民江津区城市建设事务中心把实现人民对美好生活的向往作为城市建设的出发点和落脚点";

    #[test]
    fn lines_fill_the_first_column_then_the_next_and_nothing_is_written() {
        let st = style(10.0, Widows::Warn);
        let blocks = [block(TEXT, false)];
        let texts = texts(&blocks, &st);
        let prepared = prepare(&blocks, &st, &texts);
        let slots = columns(3);
        let laid = lay_thread(&prepared, &slots, &[], 10.0, 10.0);
        let n = TEXT.chars().count();
        assert_eq!(laid.lines.len(), n.div_ceil(10));
        assert!(laid.lines[..3].iter().all(|l| l.place.slot == 0));
        assert!(laid.lines[3..].iter().all(|l| l.place.slot == 1));
        assert_eq!(laid.lines[3].place.top, 0.0, "the second column starts at its top");
        assert_eq!(laid.block_starts, vec![Some(0)]);
        assert!(laid.overset.is_none());
        assert_eq!(laid.underset_lines, 6 - laid.lines.len());
        // Pure: the same inputs give the same layout.
        let again = lay_thread(&prepared, &slots, &[], 10.0, 10.0);
        let tops = |t: &ThreadLayout| t.lines.iter().map(|l| (l.place.slot, l.place.top)).collect::<Vec<_>>();
        assert_eq!(tops(&laid), tops(&again));
    }

    #[test]
    fn a_paragraph_let_strand_keeps_its_first_line_at_the_foot_instead_of_leaving_it_empty() {
        // Three lines of text, then a paragraph of four: its first line would stand alone at
        // the first column's foot.
        let st = style(10.0, Widows::Avoid);
        let first: String = TEXT.chars().take(30).collect();
        let second: String = TEXT.chars().skip(10).take(40).collect();
        let blocks = [block(&first, false), block(&second, false)];
        let texts = texts(&blocks, &st);
        let slots = columns(4);
        let foot = |laid: &ThreadLayout| laid.columns.iter().find(|c| c.slot == 0).map_or(0, |c| c.foot);
        let orphans = |laid: &ThreadLayout| laid.warnings.iter().filter(|w| w.message.contains("orphan line")).count();

        let avoided = lay_thread(&prepare(&blocks, &st, &texts), &slots, &[], 10.0, 10.0);
        assert_eq!(avoided.jumped, vec![(1, 0)], "the second paragraph moved its first line on from column 1");
        assert_eq!(foot(&avoided), 1, "leaving the first column's foot empty");
        assert_eq!(orphans(&avoided), 0);

        let mut prepared = prepare(&blocks, &st, &texts);
        prepared[1].strand = true;
        let kept = lay_thread(&prepared, &slots, &[], 10.0, 10.0);
        assert!(kept.jumped.is_empty());
        assert_eq!(kept.stranded, vec![1]);
        assert_eq!(foot(&kept), 0, "the first column ends flush");
        assert_eq!(kept.lines[3].place.slot, 0, "the paragraph's first line stands at the foot");
        assert_eq!(orphans(&kept), 1, "and the orphan line is reported");
    }

    #[test]
    fn what_does_not_fit_is_counted_from_the_block_where_it_starts() {
        let st = style(10.0, Widows::Warn);
        let blocks = [block(TEXT, false), block("城市建设", false)];
        let texts = texts(&blocks, &st);
        let prepared = prepare(&blocks, &st, &texts);
        let slots = columns(2);
        let laid = lay_thread(&prepared, &slots, &[], 10.0, 10.0);
        assert_eq!(laid.lines.len(), 4);
        let set: usize = laid.lines.iter().map(|l| l.line.glyphs.len()).sum();
        let overset = laid.overset.expect("two columns of two lines cannot take 56 characters");
        assert_eq!(overset.from_block, 0);
        assert_eq!(overset.chars, TEXT.chars().count() + 4 - set);
        assert_eq!(laid.block_starts, vec![Some(0), None]);
    }

    #[test]
    fn a_head_moves_to_the_next_column_rather_than_stand_at_a_foot() {
        let st = style(10.0, Widows::Warn);
        // 26 characters fill two lines and six of a third: the head would get one line
        // of the first column with no room for two lines of its text under it.
        let blocks = [
            block(&TEXT[..TEXT.char_indices().nth(26).unwrap().0], false),
            block("治理促精细", true),
            block(TEXT, false),
        ];
        let texts = texts(&blocks, &st);
        let prepared = prepare(&blocks, &st, &texts);
        let slots = columns(5);
        let laid = lay_thread(&prepared, &slots, &[], 10.0, 10.0);
        let head = &laid.lines[laid.block_starts[1].unwrap()];
        assert_eq!((head.place.slot, head.place.top), (1, 0.0));
        // The head's text follows it in the same column.
        assert_eq!(laid.lines[laid.block_starts[2].unwrap()].place.slot, 1);
    }

    #[test]
    fn a_title_that_wraps_keeps_both_its_lines_with_its_text() {
        let st = style(10.0, Widows::Warn);
        // Two lines of text, then a 14-character title: two lines in a 10-character column.
        // With six lines to a column, four are left under the text: the title's two and two
        // of its text fit exactly; a line more of text above it leaves three, and the head
        // moves on instead of leaving its text's first line alone under it.
        let title = "闲置空间的华丽转变城市更新有温度";
        for (above, slot) in [(20, 0), (30, 1)] {
            let blocks = [
                block(&TEXT[..TEXT.char_indices().nth(above).unwrap().0], false),
                block(title, true),
                block(TEXT, false),
            ];
            let texts = texts(&blocks, &st);
            let prepared = prepare(&blocks, &st, &texts);
            let laid = lay_thread(&prepared, &columns(6), &[], 10.0, 10.0);
            let start = laid.block_starts[1].unwrap();
            let head: Vec<_> = laid.lines.iter().filter(|l| l.block == 1).collect();
            assert_eq!(head.len(), 2, "the title wraps to two lines");
            assert_eq!(laid.lines[start].place.slot, slot, "{above} characters above it");
            let under = laid.lines.iter().filter(|l| l.block == 2 && l.place.slot == slot).count();
            assert!(under >= 2, "{above} characters above: {under} line(s) of its text under the head");
        }
    }

    #[test]
    fn a_cache_warmed_by_other_layouts_lays_a_thread_out_as_a_fresh_one() {
        // The copy-fit's tries: a circle moved and resized in the second column, three
        // paragraphs laid out through one cache each time, against an uncached layout.
        let st = style(10.0, Widows::Avoid);
        let blocks =
            [block(TEXT, false), block(&TEXT[..TEXT.char_indices().nth(30).unwrap().0], false), block(TEXT, false)];
        let texts = texts(&blocks, &st);
        let prepared = prepare(&blocks, &st, &texts);
        let slots = columns(8);
        let cache = BreakCache::default();
        let placed = |t: &ThreadLayout| -> Vec<(usize, LineBox, Line)> {
            t.lines.iter().map(|l| (l.block, l.place, (*l.line).clone())).collect()
        };
        let mut reused = 0;
        for (cy, r) in [(40.0, 20.0), (45.0, 20.0), (40.0, 25.0), (60.0, 15.0), (40.0, 20.0), (20.0, 30.0)] {
            let circle = Exclusion {
                page: 0,
                outline: super::super::wrap::Outline::Ellipse { cx: 160.0, cy, rx: r, ry: r },
                offset: 0.0,
                side: WrapSide::Both,
                min_width: 30.0,
            };
            let before: usize = cache.entries.borrow().values().map(Vec::len).sum();
            let warm = lay_thread_cached(&prepared, &slots, std::slice::from_ref(&circle), 10.0, 10.0, &cache);
            let after: usize = cache.entries.borrow().values().map(Vec::len).sum();
            reused += prepared.len() - (after - before).min(prepared.len());
            let fresh = lay_thread(&prepared, &slots, &[circle], 10.0, 10.0);
            assert_eq!(placed(&warm), placed(&fresh), "circle at {cy} r {r}");
            assert_eq!(warm.columns, fresh.columns);
            assert_eq!(warm.overset, fresh.overset);
        }
        // The first paragraph, in the first column, never reaches the circle.
        assert!(reused >= 5, "{reused} breakings reused");
    }

    #[test]
    fn lines_beside_a_circle_are_set_in_the_pieces_it_leaves() {
        let st = style(10.0, Widows::Warn);
        let blocks = [block(TEXT, false)];
        let texts = texts(&blocks, &st);
        let prepared = prepare(&blocks, &st, &texts);
        let slots = one_column(200.0, 60.0);
        let circle = circle(100.0, 30.0, 20.0);
        let laid = lay_thread(&prepared, &slots, &[circle], 10.0, 10.0);
        let beside: Vec<&PlacedLine> = laid.lines.iter().filter(|l| l.place.top == 20.0).collect();
        assert_eq!(beside.len(), 2, "a band across the circle gives a piece on each side");
        assert!(beside.iter().all(|l| l.place.width < 100.0));
        assert!(beside.iter().all(|l| l.line.glyphs.len() as f32 * 10.0 <= l.place.width + 0.01));
    }

    #[test]
    fn a_word_wider_than_a_piece_beside_a_circle_leaves_the_piece_empty() {
        let st = style(10.0, Widows::Warn);
        // Two full lines, then a number of twelve digits (about 6 em, kept whole) that a
        // 3.5 em piece beside the circle cannot take but a whole 10 em line can.
        let text = "人民城市人民建人民城市为人民江津区城市建设123456789012事务中心把实现人民对美好生活的向往作为城市建设的出发点";
        let blocks = [block(text, false)];
        let texts = texts(&blocks, &st);
        let prepared = prepare(&blocks, &st, &texts);
        let slots = one_column(100.0, 120.0);
        let circle = circle(50.0, 40.0, 15.0);
        let laid = lay_thread(&prepared, &slots, &[circle], 10.0, 10.0);
        assert!(laid.overfull.is_empty(), "{:?}", laid.overfull);
        let number =
            laid.lines.iter().find(|l| l.line.glyphs.iter().any(|g| g.text == '9')).expect("the number is set");
        assert!(number.place.width > 90.0, "the number is set on a whole line, not beside the circle");
        assert!(laid.lines.iter().any(|l| l.place.width < 50.0), "the other pieces beside the circle are used");
        assert!(laid.overset.is_none());
    }

    #[test]
    fn a_piece_beside_a_picture_too_narrow_to_set_without_loose_gaps_stays_empty() {
        let st = style(10.0, Widows::Warn);
        let blocks = [block(TEXT, false)];
        let texts = texts(&blocks, &st);
        let prepared = prepare(&blocks, &st, &texts);
        let slots = one_column(100.0, 80.0);
        // A picture leaves 37 pt on its left for two lines (pieces cut to whole points, not
        // characters): three characters and 7 pt over two gaps, 0.35 em each, past the loose
        // threshold of 0.25 em.
        let laid = lay_thread(&prepared, &slots, &[rect(37.0, 20.0, 100.0, 40.0, 30.0)], 10.0, 1.0);
        assert_eq!(laid.loose_lines, 0);
        let places: Vec<(f32, f32, usize)> =
            laid.lines.iter().map(|l| (l.place.top, l.place.width, l.line.glyphs.len())).collect();
        assert!(laid.lines.iter().all(|l| l.place.width > 99.0), "nothing is set beside the picture: {places:?}");
        assert!(laid.lines.iter().all(|l| l.place.top < 20.0 || l.place.top >= 40.0));
        // A piece wide enough to set tight is used: 40 pt, four characters.
        let laid = lay_thread(&prepared, &slots, &[rect(40.0, 20.0, 100.0, 40.0, 30.0)], 10.0, 1.0);
        let beside: Vec<&PlacedLine> = laid.lines.iter().filter(|l| l.place.width < 50.0).collect();
        assert_eq!(beside.len(), 2, "both lines beside the picture are set");
        assert!(beside.iter().all(|l| l.line.glyphs.len() == 4));
    }

    #[test]
    fn a_loose_full_width_line_before_it_does_not_keep_a_loose_piece_beside_a_picture() {
        let st = style(10.0, Widows::Warn);
        let blocks = [block(TEXT, false)];
        let texts = texts(&blocks, &st);
        let prepared = prepare(&blocks, &st, &texts);
        // A column of 37 pt: every full-width line is loose (three characters, 0.35 em
        // gaps) and stays so; the picture leaves 27 pt beside it (two characters, 0.7 em).
        let slots = one_column(37.0, 300.0);
        let laid = lay_thread(&prepared, &slots, &[rect(27.0, 20.0, 37.0, 40.0, 20.0)], 10.0, 1.0);
        let beside: Vec<(f32, f32)> =
            laid.lines.iter().filter(|l| l.place.width < 30.0).map(|l| (l.place.top, l.place.width)).collect();
        assert!(beside.is_empty(), "pieces beside the picture set loose: {beside:?}");
        assert!(laid.lines.iter().all(|l| l.place.top < 20.0 || l.place.top >= 40.0));
        assert!(laid.overset.is_none());
    }
}
