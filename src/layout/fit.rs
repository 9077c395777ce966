//! Copy-fit (撑版 / 缩版): within what the layout lets flex — pictures' `grow`, `shrink` and
//! `move`, the space above heads (`fit.head_space`), a paragraph's tracking (`fit.tracking`),
//! and as a last resort a widow kept where avoiding it leaves a column's foot empty —
//! choose the page whose text columns end flush with no holes, with the least change from
//! the design as drawn.
//!
//! The flow is a pure function, so a try is cheap: lay every thread out again and count
//! the empty grid lines ([`super::makeup`]) and what is overset. The search goes as a make-up
//! editor does:
//! 1. **aim**: the page's slack (empty lines less overset lines) says how many lines of
//!    picture the text needs gone or added; an exact knapsack over the pictures
//!    ([`closest_resizes`]) gives the resizes that take them with the fewest lines changed;
//! 2. **sweep**: at the first column that ends short, try the pictures standing in it, and keep
//!    the page whose first fault comes later;
//! 3. **descend**: single changes (a picture a line or more taller or shorter, two pictures
//!    trading a line, a head's space, a paragraph a hair tighter or looser) while one lowers
//!    the cost, until the page is clean or the tries run out;
//! 4. **repair**: short of a clean page, sweep again from the best page seen with more
//!    remedies ([`Sweep::Repair`]), then descend from there.
//!
//! The best page any step laid out is the one chosen.
//!
//! Deterministic: the same inputs try the same changes in the same order.

use super::flow::Slot;
use super::thread::{lay_thread_cached, BreakCache, PreparedBlock, ThreadLayout};
use super::wrap::Exclusion;
use super::{makeup, Context};
use crate::model::{Frame, FrameContent, ThreadId};
use crate::text::{self, Prepared};

/// A block's text, prepared once, with the tighter and looser settings the copy-fit may try.
pub struct BlockText {
    pub base: Option<Prepared>,
    /// Set `fit.tracking` tighter and looser; `None` where tracking may not change (heads).
    pub tight: Option<Prepared>,
    pub loose: Option<Prepared>,
    /// Whether the paragraph, set in a full column, can take a line fewer and a line more
    /// than its best breaking ([`Choice::lines`]).
    pub shorter: bool,
    pub longer: bool,
    /// Whether this block opens a head (its space above may flex).
    pub opens_head: bool,
}

/// What the copy-fit chose for one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Choice {
    /// −1 tighter, 0 as designed, +1 looser.
    pub tracking: i8,
    /// Grid lines added to (or taken from) the space above a head.
    pub space: i8,
    /// The paragraph may leave a line alone at a column's top or foot (a widow kept) where
    /// avoiding it leaves the foot empty: the last resort, tried only when the page is not
    /// made up without it.
    pub strand: bool,
    /// −1 a line fewer, +1 a line more than the paragraph's best breaking (TeX's
    /// `\looseness`): the one change that moves a single line in a block whose pictures
    /// span all its columns (each line of theirs is a line of every column).
    pub lines: i8,
}

/// The page the copy-fit chose.
pub struct Fitted {
    /// The pages' frames, pictures resized.
    pub pages: Vec<Vec<Frame>>,
    /// Per thread (in `order`) and block.
    pub choices: Vec<Vec<Choice>>,
    /// What was changed, for the build's report: `picture park 2 lines taller`.
    pub changes: Vec<String>,
    /// How many layouts were tried.
    pub tries: u32,
}

/// A frame the copy-fit may resize: a picture, or a text frame whose foot moves (a section
/// block's height).
#[derive(Clone)]
struct Elastic {
    page: usize,
    frame: usize,
    grow: u32,
    shrink: u32,
    /// The text columns it spans: a line of its height is a line of each.
    span: u32,
    /// It stands at the foot of the text round it: its top edge moves, not its bottom.
    from_top: bool,
    /// A text frame: a line more of it is a line less of the frames it carries, so it
    /// moves text between threads, not the page's total.
    text: bool,
    /// The frames stacked directly under its foot, whose tops move with it.
    carries: Vec<usize>,
    /// A picture's place, not its size: a line more moves it a line down (`move:`).
    moves: bool,
}

impl Elastic {
    /// The copy-fit's resizable frames of `pages`, in page and frame order.
    fn of(pages: &[Vec<Frame>]) -> Vec<Elastic> {
        let mut out = Vec::new();
        for (p, frames) in pages.iter().enumerate() {
            for (f, frame) in frames.iter().enumerate() {
                let (grow, shrink, text) = match &frame.content {
                    FrameContent::Picture(pic) => (pic.grow, pic.shrink, false),
                    FrameContent::Text(t) => (t.grow, t.shrink, true),
                    _ => continue,
                };
                if grow == 0 && shrink == 0 && frame.picture().is_none_or(|p| p.moves == 0) {
                    continue;
                }
                // A picture whose foot is a text frame's foot grows upward.
                let from_top = !text
                    && frames.iter().any(|t| {
                        t.text().is_some()
                            && t.line_last == frame.line_last
                            && t.col_first <= frame.col_last
                            && frame.col_first <= t.col_last
                    });
                // A block's foot carries the block under it; so does a photo that stands
                // apart, above a block (a picture inside text has text under it, not a block).
                let apart = text || !frames.iter().any(|t| t.text().is_some() && overlap(t, frame));
                let carries = if from_top || !apart { Vec::new() } else { stacked_under(frames, f) };
                let span = frame.col_last - frame.col_first + 1;
                if grow > 0 || shrink > 0 {
                    out.push(Elastic { page: p, frame: f, grow, shrink, span, from_top, text, carries, moves: false });
                }
                if let Some(pic) = frame.picture().filter(|p| p.moves > 0) {
                    let (grow, shrink) = (pic.moves, pic.moves);
                    let carries = Vec::new();
                    out.push(Elastic {
                        page: p,
                        frame: f,
                        grow,
                        shrink,
                        span,
                        from_top: false,
                        text: false,
                        carries,
                        moves: true,
                    });
                }
            }
        }
        out
    }
}

/// The frames whose top stands directly under frame `f`'s foot (the next line, or past one
/// line of space), across some of its columns: they move with its foot.
fn stacked_under(frames: &[Frame], f: usize) -> Vec<usize> {
    let above = &frames[f];
    (0..frames.len())
        .filter(|&g| {
            let b = &frames[g];
            g != f
                && (b.line_first == above.line_last + 1 || b.line_first == above.line_last + 2)
                && b.col_first <= above.col_last
                && above.col_first <= b.col_last
        })
        .collect()
}

/// Whether two frames' areas share a grid cell.
fn overlap(a: &Frame, b: &Frame) -> bool {
    a.col_first <= b.col_last && b.col_first <= a.col_last && a.line_first <= b.line_last && b.line_first <= a.line_last
}

/// The blocks of a thread as the flow takes them, with the copy-fit's choices.
pub fn blocks<'a>(cx: &'a Context, id: ThreadId, texts: &'a [BlockText], choices: &[Choice]) -> Vec<PreparedBlock<'a>> {
    let thread = cx.job.thread(id);
    thread
        .blocks
        .iter()
        .zip(texts)
        .zip(choices)
        .map(|((block, t), c)| {
            let style = cx.job.style(block.style);
            let prepared = match c.tracking {
                -1 => t.tight.as_ref().or(t.base.as_ref()),
                1 => t.loose.as_ref().or(t.base.as_ref()),
                _ => t.base.as_ref(),
            };
            let space_before = (style.space_before as i32 + c.space as i32).max(0) as u32;
            PreparedBlock { block, style, prepared, space_before, strand: c.strand, lines: c.lines }
        })
        .collect()
}

/// Prepare every block of a thread; `None` in `base` where a character has no font (the
/// error goes to the context's problems).
pub fn prepare_thread(cx: &Context, id: ThreadId) -> Vec<BlockText> {
    let (job, fonts) = (cx.job, cx.fonts);
    let blocks = &job.thread(id).blocks;
    blocks
        .iter()
        .enumerate()
        .map(|(b, block)| {
            let style = job.style(block.style);
            let with = |tracking: f32| -> Option<Prepared> {
                text::prepare(&super::runs(block, style, tracking), fonts, &style.config).ok()
            };
            let base = match super::prepare_block(cx, block) {
                Ok(p) => Some(p),
                Err(e) => {
                    cx.problems.borrow_mut().push_error(e);
                    None
                }
            };
            let flexible = job.fit.tracking > 0.0 && !block.keep_with_next && base.is_some();
            let opens_head = block.keep_with_next && (b == 0 || !blocks[b - 1].keep_with_next);
            // Tracking is worth trying only where it gains or loses a line in a full column:
            // elsewhere it changes nothing the page can use, and each try costs a layout.
            let column = job.grid.column_width();
            let paragraph = !block.keep_with_next && job.fit.lines;
            let best = |p: &Prepared| text::best_line_count(p, &style.config, column);
            // The line counts' second pass only where a line more or less may be asked for.
            let base_counts = base.as_ref().filter(|_| paragraph).map(|p| text::line_counts(p, &style.config, column));
            let base_best = base_counts.map(|c| c.best).or_else(|| base.as_ref().filter(|_| flexible).map(best));
            let useful = |p: Option<Prepared>| p.filter(|p| Some(best(p)) != base_best);
            let changes = |can: fn(&text::LineCounts) -> bool| base_counts.as_ref().is_some_and(can);
            BlockText {
                tight: if flexible { useful(with(-job.fit.tracking)) } else { None },
                loose: if flexible { useful(with(job.fit.tracking)) } else { None },
                shorter: changes(|c| c.fewer),
                longer: changes(|c| c.more),
                base,
                opens_head,
            }
        })
        .collect()
}

/// Whether the page has nothing a make-up editor would send back: no empty grid line, no
/// loose line, nothing overset, no word wider than its line, no two heads side by side, no
/// widow kept for the copy-fit's sake.
fn clean(laid: &Laid) -> bool {
    laid.clashes == 0
        && laid.threads.iter().all(|t| {
            t.empty_lines() == 0
                && t.loose_lines == 0
                && t.overset.is_none()
                && t.overfull.is_empty()
                && t.stranded.is_empty()
        })
}

/// The lines a thread has to spare: empty grid lines less the lines its overset text takes.
fn thread_slack(cx: &Context, t: &ThreadLayout) -> i32 {
    t.empty_lines() as i32 - overset_lines(cx, t) as i32
}

/// The lines of a column the text overset would take.
fn overset_lines(cx: &Context, t: &ThreadLayout) -> u32 {
    t.overset.as_ref().map_or(0, |o| o.chars.div_ceil(cx.job.grid.column_chars.max(1) as usize) as u32)
}

/// The cost of a page: empty grid lines, overset lines (much worse), heads side by side,
/// and how far it is from the design as drawn.
fn cost(cx: &Context, laid: &Laid, deltas: &[i32], choices: &[Vec<Choice>]) -> f64 {
    // Two heads side by side read as one (撞题): an editor moves one of them before
    // leaving a few lines empty.
    let mut c = 10.0 * laid.clashes as f64;
    for t in &laid.threads {
        c += t.empty_lines() as f64;
        // A line stretched past its style's loose threshold is worse than an empty one:
        // a reader sees it at once.
        c += 3.0 * t.loose_lines as f64;
        if t.overset.is_some() {
            c += 40.0 + 4.0 * overset_lines(cx, t) as f64;
        }
        // A word printing into the next column is an error of the build: a page with one
        // is chosen only over text overset (then the error names the word, the real fault,
        // rather than the text pushed out of the page to avoid it).
        c += 30.0 * t.overfull.len() as f64;
        // A widow kept is less than a line left empty, and as much as ten lines of resizes:
        // a page without one that needs fewer wins.
        c += 0.5 * t.stranded.len() as f64;
    }
    c += 0.05 * deltas.iter().map(|d| d.unsigned_abs() as f64).sum::<f64>();
    for c2 in choices.iter().flatten() {
        c += 0.02 * c2.tracking.unsigned_abs() as f64 + 0.03 * c2.space.unsigned_abs() as f64;
        c += 0.02 * c2.lines.unsigned_abs() as f64;
    }
    c
}

/// The frames of `pages` resized by `deltas` (one per elastic frame), the frames stacked
/// under a moved foot moved with it; `None` when a frame would leave the grid or get too
/// short, or when two frames would overlap that did not as designed (a picture run into
/// another, into a headline, or out of its section block) or no longer overlap (a picture
/// left behind by its block).
fn resized(cx: &Context, elastic: &[Elastic], deltas: &[i32]) -> Option<Vec<Vec<Frame>>> {
    resize(&cx.job.pages, cx.job.grid.lines, elastic, deltas)
}

/// [`resized`] on the frames of `design`, in a grid of `lines` lines.
fn resize(design: &[Vec<Frame>], lines: u32, elastic: &[Elastic], deltas: &[i32]) -> Option<Vec<Vec<Frame>>> {
    let mut pages = design.to_vec();
    let lines = lines as i64;
    let mut changed = vec![false; pages.len()];
    for (e, &d) in elastic.iter().zip(deltas).filter(|(_, d)| **d != 0) {
        changed[e.page] = true;
        let frames = &mut pages[e.page];
        let f = &mut frames[e.frame];
        if e.moves {
            f.line_first = u32::try_from(f.line_first as i64 + d as i64).ok()?;
            f.line_last = u32::try_from(f.line_last as i64 + d as i64).ok()?;
        } else if e.from_top {
            f.line_first = u32::try_from(f.line_first as i64 - d as i64).ok()?;
        } else {
            f.line_last = u32::try_from(f.line_last as i64 + d as i64).ok()?;
            for &g in &e.carries {
                frames[g].line_first = u32::try_from(frames[g].line_first as i64 + d as i64).ok()?;
            }
        }
    }
    for (p, frames) in pages.iter().enumerate().filter(|(p, _)| changed[*p]) {
        for (i, a) in frames.iter().enumerate() {
            let moved = (a.line_first, a.line_last) != (design[p][i].line_first, design[p][i].line_last);
            if moved && (a.line_last as i64 >= lines || a.line_last < a.line_first + 2) {
                return None;
            }
            for (j, b) in frames.iter().enumerate().skip(i + 1) {
                if overlap(a, b) != overlap(&design[p][i], &design[p][j]) {
                    return None;
                }
            }
        }
    }
    Some(pages)
}

/// A page tried: every thread laid out, and how many pairs of heads stand side by side.
struct Laid {
    threads: Vec<ThreadLayout>,
    /// Pairs of heads side by side (撞题) over all threads.
    clashes: u32,
}

/// A page tried, judged: its [`cost`] and whether it is [`clean`].
struct Tried {
    laid: Laid,
    cost: f64,
    clean: bool,
}

/// Lay every thread out on `pages` with `choices`, in `slots`, or (`None`: a section
/// block's foot may have moved) in the columns of `pages`' frames.
fn try_page(
    cx: &Context,
    pages: &[Vec<Frame>],
    order: &[ThreadId],
    slots: Option<&[Vec<Slot>]>,
    texts: &[&[BlockText]],
    choices: &[Vec<Choice>],
    cache: &BreakCache,
) -> Laid {
    let exclusions: Vec<Exclusion> = super::picture_exclusions(cx, pages);
    let (pitch, char) = (cx.job.grid.pitch, cx.job.grid.char);
    let moved;
    let slots = match slots {
        Some(slots) => slots,
        None => {
            moved = super::thread_slots(cx.job, pages, order).0;
            &moved
        }
    };
    let threads: Vec<ThreadLayout> = order
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            lay_thread_cached(&blocks(cx, id, texts[i], &choices[i]), &slots[i], &exclusions, pitch, char, cache)
        })
        .collect();
    let heads: Vec<makeup::HeadBox> = order
        .iter()
        .zip(&threads)
        .zip(slots)
        .flat_map(|((&id, laid), slots)| makeup::heads(laid, slots, &cx.job.thread(id).blocks))
        .collect();
    let clashes = makeup::side_by_side(&heads).len() as u32;
    Laid { threads, clashes }
}

/// The first column that does not end flush.
#[derive(Debug, Clone)]
struct Fault {
    thread: usize,
    slot: usize,
    /// Empty grid lines in the column.
    empty: u32,
    /// Lines of text overset, at a thread's last column.
    overset: u32,
}

/// How far a sweep looks for remedies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sweep {
    /// The pictures standing in the faulty column, text pushed on to the thread's end for
    /// the descent to take back: quick, and enough for most pages.
    Pictures,
    /// Also the column before, heads' space and a widow kept, each remedy that pushes
    /// lines on to the end taken back by the pictures after the fault: for a page the quick
    /// sweep and its descent left short.
    Repair,
}

/// A page the sweep tried: its cost, its first fault, the page.
struct Judged {
    cost: f64,
    first: Option<Fault>,
    laid: Laid,
}

/// A page laid out: its cost, whether it is clean, the deltas and choices that made it.
type Seen = (f64, bool, Vec<i32>, Vec<Vec<Choice>>);

/// What a descent reads.
struct Search<'a> {
    cx: &'a Context<'a>,
    order: &'a [ThreadId],
    slots: &'a [Vec<Slot>],
    texts: &'a [&'a [BlockText]],
    elastic: &'a [Elastic],
    cache: &'a BreakCache,
    head_space: u32,
    /// Some text frame's foot may move, so each try takes its columns from its frames.
    reslot: bool,
    /// The best page any step has laid out: the search keeps it, wherever a step ends.
    best: std::cell::RefCell<Option<Seen>>,
    /// The best page laid out with no two heads side by side (撞题).
    calm: std::cell::RefCell<Option<Seen>>,
}

impl<'a> Search<'a> {
    /// A search over `order`'s threads in `slots` and the `elastic` frames, nothing seen yet.
    fn new(
        cx: &'a Context<'a>,
        order: &'a [ThreadId],
        slots: &'a [Vec<Slot>],
        texts: &'a [&'a [BlockText]],
        elastic: &'a [Elastic],
    ) -> Self {
        let reslot = elastic.iter().any(|e| e.text || !e.carries.is_empty());
        let (cache, head_space) = (&cx.breaks, cx.job.fit.head_space);
        let (best, calm) = Default::default();
        Search { cx, order, slots, texts, elastic, cache, head_space, reslot, best, calm }
    }

    /// The cost of a page and whether it is [`clean`], or `None` when its pictures do not
    /// fit the grid.
    fn cost_of(&self, deltas: &[i32], choices: &[Vec<Choice>]) -> Option<(f64, bool)> {
        let tried = self.lay(deltas, choices)?;
        Some((tried.cost, tried.clean))
    }

    /// Every thread laid out with the pictures resized by `deltas`, or `None` when they do
    /// not fit the grid.
    /// Each page laid out is judged once here, and kept when it is the best yet.
    fn lay(&self, deltas: &[i32], choices: &[Vec<Choice>]) -> Option<Tried> {
        let pages = resized(self.cx, self.elastic, deltas)?;
        let slots = (!self.reslot).then_some(self.slots);
        let laid = try_page(self.cx, &pages, self.order, slots, self.texts, choices, self.cache);
        let tried = Tried { cost: cost(self.cx, &laid, deltas, choices), clean: clean(&laid), laid };
        // A clean page beats any page that is not, whatever their costs (a widow kept costs
        // less than ten lines of resizes, but is still a widow).
        let better = |b: &Option<Seen>| b.as_ref().is_none_or(|b| (tried.clean, -tried.cost) > (b.1, -b.0 + 1e-9));
        let (mut best, mut calm) = (self.best.borrow_mut(), self.calm.borrow_mut());
        let (for_best, for_calm) = (better(&best), tried.laid.clashes == 0 && better(&calm));
        if for_best || for_calm {
            // A paragraph let keep a widow that keeps none lays out as without the choice:
            // the page is kept without it, so the report names only widows kept.
            let mut kept = choices.to_vec();
            for (t, thread) in kept.iter_mut().enumerate() {
                for (b, c) in thread.iter_mut().enumerate() {
                    c.strand &= tried.laid.threads[t].stranded.contains(&b);
                }
            }
            let seen = (tried.cost, tried.clean, deltas.to_vec(), kept);
            if for_calm {
                *calm = Some(seen.clone());
            }
            if for_best {
                *best = Some(seen);
            }
        }
        drop((best, calm));
        Some(tried)
    }

    /// The best page seen with no heads side by side, when the best page seen is not clean
    /// and is another page (it has a clash).
    fn calm_other_than_best(&self) -> Option<Seen> {
        let (best, calm) = (self.best.borrow(), self.calm.borrow());
        let (best, calm) = (best.as_ref()?, calm.as_ref()?);
        let other = (&calm.2, &calm.3) != (&best.2, &best.3);
        (!best.1 && other).then(|| calm.clone())
    }

    /// The lines the page has to spare: empty grid lines less the lines overset.
    fn slack(&self, deltas: &[i32], choices: &[Vec<Choice>]) -> Option<i32> {
        let tried = self.lay(deltas, choices)?;
        Some(tried.laid.threads.iter().map(|t| thread_slack(self.cx, t)).sum())
    }

    /// Aim the pictures at the text's length: from `deltas`, the page's slack says how many
    /// grid lines of picture the text needs gone or added; [`closest_resizes`] finds the
    /// resizes that give them with the least change, and the best page of those becomes the
    /// next start, until the slack is zero or stops falling. A make-up editor does the same
    /// sum before moving anything by hand.
    fn aim(&self, mut deltas: Vec<i32>, choices: &[Vec<Choice>], budget: u32, tries: &mut u32) -> Vec<i32> {
        let limit = *tries + budget;
        let mut best: Option<f64> = None;
        for _ in 0..4 {
            if *tries >= limit {
                break;
            }
            *tries += 1;
            let Some(slack) = self.slack(&deltas, choices) else { break };
            if slack == 0 {
                break;
            }
            let mut improved = false;
            for candidate in closest_resizes(self.elastic, &deltas, slack, 6, |_| true) {
                if *tries >= limit {
                    break;
                }
                let Some((c, _)) = self.cost_of(&candidate, choices) else { continue };
                *tries += 1;
                if best.is_none_or(|b| c + 1e-9 < b) {
                    (best, deltas, improved) = (Some(c), candidate, true);
                }
            }
            if !improved {
                break;
            }
        }
        deltas
    }

    /// Share the lines out between threads, as an editor moving the foot of a section block
    /// and a photo in the block under it together: from a model of what each resize gives
    /// each thread ([`effects`]), find the resizes that bring every thread's slack nearest
    /// zero with the least change ([`balanced`]), lay that page out, and keep it when it
    /// costs less; again from there while it helps. Only where more than one thread has
    /// lines to spare or too many: one thread's lines are what [`Self::aim`] sums.
    fn balance(&self, deltas: Vec<i32>, choices: &[Vec<Choice>], budget: u32, tries: &mut u32) -> Vec<i32> {
        let limit = *tries + budget;
        let effects = effects(self.cx, self.elastic, self.slots);
        // Only where resizes reach more than one thread: one thread's lines are the page's.
        let reached = (0..self.slots.len()).filter(|&t| effects.iter().any(|e| e[t] != 0.0)).count();
        if reached < 2 {
            return deltas;
        }
        let fits = |d: &[i32]| resized(self.cx, self.elastic, d).is_some();
        // The model is linear and the page is not (a head moves on, a widow is avoided), so
        // each round starts from the page the last one laid out, worse or not, and the best
        // page seen wins.
        let (mut here, mut best): (Vec<i32>, Option<(f64, Vec<i32>)>) = (deltas, None);
        for _ in 0..6 {
            if *tries >= limit {
                break;
            }
            *tries += 1;
            let Some(tried) = self.lay(&here, choices) else { break };
            let slack: Vec<i32> = tried.laid.threads.iter().map(|t| thread_slack(self.cx, t)).collect();
            let c = tried.cost;
            if best.as_ref().is_none_or(|b| c + 1e-9 < b.0) {
                best = Some((c, here.clone()));
            }
            if slack.iter().filter(|&&s| s != 0).count() < 2 {
                break;
            }
            let next = balanced(self.elastic, &effects, &here, &slack, fits);
            if next == here {
                break;
            }
            here = next;
        }
        best.map_or(here, |b| b.1)
    }

    /// The page laid out with `deltas` and `choices`: its cost, its first fault (in the
    /// threads' reading order), and the page.
    fn judge(&self, deltas: &[i32], choices: &[Vec<Choice>]) -> Option<Judged> {
        let Tried { laid, cost, .. } = self.lay(deltas, choices)?;
        let first = laid.threads.iter().enumerate().find_map(|(t, l)| {
            let short = l.columns.iter().find(|c| c.empty_lines() > 0).map(|c| Fault {
                thread: t,
                slot: c.slot,
                empty: c.empty_lines(),
                overset: 0,
            });
            // Text overset is a fault of the thread's last column.
            short.or(l.overset.as_ref().map(|_| Fault {
                thread: t,
                slot: l.columns.len().saturating_sub(1),
                empty: 0,
                overset: overset_lines(self.cx, l),
            }))
        });
        Some(Judged { cost, first, laid })
    }

    /// The changes a make-up editor tries at a fault: the pictures standing in its column
    /// (for a repair, the one before too: a picture there a line taller pushes a line on into
    /// the column) at each height near the one that would fill it, and for a repair the space
    /// above the heads in the column and at the next one's top (the head that jumped), and
    /// last a paragraph whose move to avoid a widow left this column's foot empty keeping the
    /// widow instead ([`Choice::strand`]). Paragraphs' tracking is left to the descent: a
    /// paragraph set tighter for a fault's sake came out loose more often than it filled the
    /// column.
    fn remedies(&self, mode: Sweep, fault: &Fault, laid: &Laid, deltas: &[i32], choices: &[Vec<Choice>]) -> Vec<Move> {
        let Fault { thread: t, slot: s, empty, overset } = *fault;
        let slots = &self.slots[t];
        let from = if mode == Sweep::Pictures { s } else { s.saturating_sub(1) };
        let mut out = Vec::new();
        for (i, e) in self.elastic.iter().enumerate() {
            if !(from..=s).any(|k| slots.get(k).is_some_and(|slot| touches(self.cx, e, slot))) {
                continue;
            }
            let d = deltas[i];
            let low = (d - 3 - overset as i32).max(-(e.shrink as i32));
            let high = (d + empty as i32 + 2).min(e.grow as i32);
            out.extend((low..=high).filter(|&to| to != d).map(|to| Move::Picture(i, to - d)));
        }
        if mode == Sweep::Pictures {
            return out;
        }
        let lines = &laid.threads[t].lines;
        let limit = self.head_space as i8;
        let mut heads: Vec<usize> =
            lines.iter().filter(|l| l.place.slot == s || l.place.slot == s + 1).map(|l| l.block).collect();
        heads.dedup();
        for &b in heads.iter().filter(|&&b| self.texts[t][b].opens_head) {
            space_moves(t, b, choices[t][b], limit, &mut out);
        }
        // A paragraph in the column a line longer or shorter: the one remedy for a column
        // a single line short where every picture spans all the block's columns.
        for &b in &heads {
            line_moves(t, b, &self.texts[t][b], choices[t][b], &mut out);
        }
        // Last: a paragraph that moved a line on into the next column to avoid a widow,
        // leaving this column's foot empty, keeps it (the widow is reported).
        out.extend(laid.threads[t].jumped.iter().filter(|&&(_, left)| left == s).map(|&(b, _)| Move::Strand(t, b)));
        out
    }

    /// Whether elastic frame `i` stands only in columns of `thread` after `slot` (or not in
    /// the thread at all): resizing it leaves the columns up to `slot` as they are.
    fn after(&self, i: usize, thread: usize, slot: usize) -> bool {
        let e = &self.elastic[i];
        !e.text
            && !self.slots[thread][..=slot.min(self.slots[thread].len().saturating_sub(1))]
                .iter()
                .any(|s| touches(self.cx, e, s))
    }

    /// Make up the page column by column, as an editor does from the top left: at the first
    /// column that ends short (or has a hole, or, at a thread's end, overflows), try the
    /// [`Self::remedies`] and keep the page whose first fault comes later (or, at the same
    /// column, costs less). Columns already flush stay flush.
    fn sweep(
        &self,
        mode: Sweep,
        mut deltas: Vec<i32>,
        mut choices: Vec<Vec<Choice>>,
        budget: u32,
        tries: &mut u32,
    ) -> (Vec<i32>, Vec<Vec<Choice>>) {
        let limit = *tries + budget;
        // How far the make-up got: the first fault's column, then the cost. Text pushed on
        // until it overflows the thread's end is no progress unless the page costs less.
        let rank = |j: &Judged, here: &Judged| {
            let at = |j: &Judged| j.first.as_ref().map_or((usize::MAX, usize::MAX), |f| (f.thread, f.slot));
            // A repair keeps the page it mends: a later fault that costs much more (text
            // pushed on until it overflows, a head jumping) is no progress.
            let worse = mode == Sweep::Repair && j.cost > here.cost + 2.0;
            (if worse { at(here) } else { at(j) }, -j.cost)
        };
        // No tries left: not even the start is laid out again.
        if *tries >= limit {
            return (deltas, choices);
        }
        *tries += 1;
        let Some(mut here) = self.judge(&deltas, &choices) else { return (deltas, choices) };
        let mut again = false;
        while let Some(fault) = here.first.clone() {
            let mut best: Option<(Judged, Vec<i32>, Vec<Vec<Choice>>)> = None;
            'remedies: for mv in self.remedies(mode, &fault, &here.laid, &deltas, &choices) {
                if *tries >= limit {
                    break;
                }
                let (d2, c2) = mv.apply(&deltas, &choices);
                let Some(j) = self.judge(&d2, &c2) else { continue };
                *tries += 1;
                // A remedy that cleared the fault moved lines on to the thread's end:
                // the pictures after the fault's column take them back, so the columns
                // made up stay as they are.
                let cleared = j.first.as_ref().is_none_or(|f| (f.thread, f.slot) > (fault.thread, fault.slot));
                let slack = thread_slack(self.cx, &j.laid.threads[fault.thread]);
                let compensated = if mode == Sweep::Repair && cleared && slack != 0 && *tries < limit {
                    let after = |i: usize| self.after(i, fault.thread, fault.slot);
                    closest_resizes(self.elastic, &d2, slack, 1, after).into_iter().next().and_then(|d3| {
                        *tries += 1;
                        self.judge(&d3, &c2).map(|j3| (j3, d3, c2.clone()))
                    })
                } else {
                    None
                };
                for (j, d, c) in std::iter::once((j, d2, c2)).chain(compensated) {
                    let (at, cost) = rank(&j, &here);
                    // The first remedy that clears the fault and costs less is taken, as an
                    // editor takes the first thing that works: the tries are the time.
                    let works = at > rank(&here, &here).0 && j.cost < here.cost;
                    if best.as_ref().is_none_or(|b| (at, cost) > rank(&b.0, &here)) {
                        best = Some((j, d, c));
                    }
                    if works {
                        break 'remedies;
                    }
                }
            }
            // At the same column, a lower cost is taken once: a second time it is the
            // descent's work, and the tries are better spent there.
            let at = |j: &Judged| j.first.as_ref().map(|f| (f.thread, f.slot));
            match best {
                Some((j, d2, c2)) if rank(&j, &here) > rank(&here, &here) => {
                    if mode == Sweep::Repair && at(&j) == at(&here) {
                        if again {
                            break;
                        }
                        again = true;
                    } else {
                        again = false;
                    }
                    (here, deltas, choices) = (j, d2, c2);
                }
                _ => break,
            }
        }
        (deltas, choices)
    }

    /// Repair the page `deltas`, `choices` ([`Sweep::Repair`], with `1/sweep` of the tries
    /// `budget` has left), then descend from where the repair ends (with `1/descend` of what
    /// is left then; `strand` as in [`Self::descend`]).
    fn repair_and_descend(
        &self,
        deltas: Vec<i32>,
        choices: Vec<Vec<Choice>>,
        (sweep, descend): (u32, u32),
        strand: bool,
        budget: u32,
        tries: &mut u32,
    ) {
        let left = |tries: u32, part: u32| budget.saturating_sub(tries) / part;
        let (d, c) = self.sweep(Sweep::Repair, deltas, choices, left(*tries, sweep), tries);
        self.descend(d, c, strand, left(*tries, descend), tries);
    }

    /// The steps of the module's doc from the page as designed, within `budget` tries
    /// counted in `tries`: the best page any step laid out (kept in [`Search::best`] as well,
    /// so a page laid out before counts too).
    fn run(&self, budget: u32, tries: &mut u32) -> Option<Seen> {
        let deltas = vec![0i32; self.elastic.len()];
        let choices: Vec<Vec<Choice>> = self.texts.iter().map(|t| vec![Choice::default(); t.len()]).collect();
        // Aim the pictures at the text's length and make the page up column by column; short
        // of a clean page, repair the best page seen and descend from there (a descent
        // straight from the sweep's page spent most of its tries finding nothing the repair
        // did not). Two heads side by side move together with the text between them, so a
        // repair a line at a time seldom parts them: when the best page has a clash, the best
        // page seen without one is repaired (first, as it is quick when it works, and again
        // last). Every page laid out is judged in `Search::lay`; the best of them wins, and
        // the steps after the pictures' sweep are not taken once a clean page is found.
        let ceiling = *tries + budget;
        let aimed = self.aim(deltas, &choices, budget / 4, tries);
        let aimed = self.balance(aimed, &choices, budget / 4, tries);
        self.sweep(Sweep::Pictures, aimed, choices, budget / 4, tries);
        let mut calm_tried = None;
        if let Some((_, _, d, c)) = self.calm_other_than_best() {
            calm_tried = Some((d.clone(), c.clone()));
            self.repair_and_descend(d, c, (4, 4), false, ceiling, tries);
        }
        let short = self.best.borrow().clone().filter(|b| !b.1);
        if let Some((_, _, d, c)) = short {
            self.repair_and_descend(d, c, (2, 1), true, ceiling, tries);
        }
        let tried_before = |s: &Seen| calm_tried.as_ref().is_some_and(|(d, c)| *d == s.2 && *c == s.3);
        let calm = self.calm_other_than_best().filter(|s| !tried_before(s));
        if let Some((_, _, d, c)) = calm {
            self.repair_and_descend(d, c, (2, 1), true, ceiling, tries);
        }
        self.best.borrow().clone()
    }

    /// Greedy descent from a start: the first single change that lowers the cost, until
    /// none does or `budget` tries are spent. Where it ends is in [`Search::best`].
    /// With `strand`, a paragraph that moved a line on to avoid a widow may keep it instead.
    fn descend(&self, mut deltas: Vec<i32>, mut choices: Vec<Vec<Choice>>, strand: bool, budget: u32, tries: &mut u32) {
        let limit = *tries + budget;
        if *tries >= limit {
            return;
        }
        *tries += 1;
        let Some(mut here) = self.lay(&deltas, &choices) else { return };
        'search: while !here.clean {
            let mut improved = false;
            let mut all = moves(self.elastic, &deltas, self.texts, &choices, self.head_space);
            if strand {
                all.extend(strand_moves(&here.laid, &choices));
            }
            for mv in all {
                if *tries >= limit {
                    break 'search;
                }
                let (d2, c2) = mv.apply(&deltas, &choices);
                let Some(tried) = self.lay(&d2, &c2) else { continue };
                *tries += 1;
                if tried.cost + 1e-9 < here.cost {
                    (here, deltas, choices, improved) = (tried, d2, c2, true);
                    break;
                }
                // A paragraph a line longer often lands its widow at a column's foot, which
                // `widows: avoid` moves on, leaving the foot empty: with the last resort, the
                // move is tried again keeping that widow.
                if !strand || !matches!(mv, Move::Lines(..) | Move::Tracking(..)) {
                    continue;
                }
                for (d3, c3) in strand_moves(&tried.laid, &c2).into_iter().map(|m| m.apply(&d2, &c2)) {
                    if *tries >= limit {
                        break 'search;
                    }
                    let Some(kept) = self.lay(&d3, &c3) else { continue };
                    *tries += 1;
                    if kept.cost + 1e-9 < here.cost {
                        (here, deltas, choices, improved) = (kept, d3, c3, true);
                        break;
                    }
                }
                if improved {
                    break;
                }
            }
            if !improved {
                break;
            }
        }
    }
}

/// Choose the page: see the module's doc.
pub fn fit(cx: &Context, order: &[ThreadId], slots: &[Vec<Slot>], texts: &[Vec<BlockText>]) -> Fitted {
    let job = cx.job;
    let elastic = Elastic::of(&job.pages);
    let mut deltas = vec![0i32; elastic.len()];
    let mut choices: Vec<Vec<Choice>> = texts.iter().map(|t| vec![Choice::default(); t.len()]).collect();
    let flexible = !elastic.is_empty() || job.fit.tracking > 0.0 || job.fit.head_space > 0 || job.fit.lines;
    let texts: Vec<&[BlockText]> = texts.iter().map(Vec::as_slice).collect();
    let mut tries = 0;
    if flexible {
        let budget = tries_for(job.fit.tries, &texts);
        let whole = Search::new(cx, order, slots, &texts, &elastic);
        let parts = parts(cx, &elastic, slots);
        if parts.len() > 1 {
            // Blocks no frame links are made up one at a time: a try lays out one block, and
            // a search over its own few frames finds in tens of tries what a search over the
            // whole page's frames spends hundreds on. The page is then laid out whole, as
            // the parts were chosen; the whole page is searched only when that page is not
            // clean (two heads from two blocks side by side).
            let mut left = budget;
            for (k, part) in parts.iter().enumerate() {
                let order: Vec<ThreadId> = part.threads.iter().map(|&t| order[t]).collect();
                let slots: Vec<Vec<Slot>> = part.threads.iter().map(|&t| slots[t].clone()).collect();
                let texts: Vec<&[BlockText]> = part.threads.iter().map(|&t| texts[t]).collect();
                let elastic: Vec<Elastic> = part.frames.iter().map(|&e| elastic[e].clone()).collect();
                let mut used = 0;
                let share = left / (parts.len() - k) as u32;
                if let Some((_, _, d, c)) = Search::new(cx, &order, &slots, &texts, &elastic).run(share, &mut used) {
                    for (&e, d) in part.frames.iter().zip(d) {
                        deltas[e] = d;
                    }
                    for (&t, c) in part.threads.iter().zip(c) {
                        choices[t] = c;
                    }
                }
                (left, tries) = (left - used.min(left), tries + used);
            }
            let whole_page = whole.lay(&deltas, &choices);
            tries += 1;
            if whole_page.is_none_or(|p| !p.clean) && left > 1 {
                whole.run(left - 1, &mut tries);
            }
            if let Some((_, _, d, c)) = whole.best.take() {
                (deltas, choices) = (d, c);
            }
        } else if let Some((_, _, d, c)) = whole.run(budget, &mut tries) {
            (deltas, choices) = (d, c);
        }
    }
    let pages = resized(cx, &elastic, &deltas).unwrap_or_else(|| job.pages.clone());
    let mut changes = Vec::new();
    for (e, &d) in elastic.iter().zip(&deltas).filter(|(_, d)| **d != 0) {
        let id = &job.pages[e.page][e.frame].id;
        let n = d.unsigned_abs();
        changes.push(match (e.moves, e.text, d > 0) {
            (true, _, true) => format!("picture {id} moved {n} line(s) down"),
            (true, _, false) => format!("picture {id} moved {n} line(s) up"),
            (false, text, taller) => {
                let kind = if text { "frame" } else { "picture" };
                format!("{kind} {id} {n} line(s) {}", if taller { "taller" } else { "shorter" })
            }
        });
    }
    for (i, &id) in order.iter().enumerate() {
        for (b, c) in choices[i].iter().enumerate() {
            let origin = &job.thread(id).blocks[b].origin;
            match c.tracking {
                -1 => changes.push(format!("{origin} set {:.2}em tighter", job.fit.tracking)),
                1 => changes.push(format!("{origin} set {:.2}em looser", job.fit.tracking)),
                _ => {}
            }
            if c.space != 0 {
                changes.push(format!("space above {origin} {:+} line(s)", c.space));
            }
            match c.lines {
                -1 => changes.push(format!("{origin} set a line shorter")),
                1 => changes.push(format!("{origin} set a line longer")),
                _ => {}
            }
            if c.strand {
                changes.push(format!(
                    "{origin} keeps a line alone at a column's top or foot, or the column would end short"
                ));
            }
        }
    }
    Fitted { pages, choices, changes, tries }
}

/// Characters laid out, over all tries, that the copy-fit may spend: 300 tries of a
/// broadsheet page of 4,000 characters. A try lays every thread out again, so a page of much
/// more text gets proportionally fewer tries (at least 3), and a book-length thread costs a
/// few layouts, not minutes.
const WORK: usize = 1_200_000;

/// The tries the copy-fit takes: the layout's `fit.tries`, within [`WORK`].
fn tries_for(asked: u32, texts: &[&[BlockText]]) -> u32 {
    let chars: usize = texts.iter().copied().flatten().filter_map(|t| t.base.as_ref()).map(|p| p.atoms.len()).sum();
    asked.min((WORK / chars.max(1)).max(3) as u32)
}

/// What to do about text that does not fit even after the copy-fit: how much to cut and
/// where, and which pictures could give more room.
pub fn overset_hint(cx: &Context, fitted: &Fitted, id: ThreadId, report: &super::ThreadReport) -> String {
    let from = report.overset_from.as_deref().unwrap_or("the end");
    let mut hint = format!("cut {} characters from {from} or the blocks before it", report.overset_chars);
    let lines = (report.overset_chars as f64 / cx.job.grid.column_chars.max(1) as f64).ceil() as u32;
    let more: Vec<String> = pictures_beside(cx, fitted, id)
        .into_iter()
        .filter(|(_, f)| f.picture().is_some_and(|p| p.shrink > 0 || p.grow == 0))
        .map(|(_, f)| f.id.clone())
        .collect();
    if !more.is_empty() {
        hint.push_str(&format!(", or let picture {} shrink about {lines} more line(s)", more.join(" or ")));
    }
    hint
}

/// What to do about columns that still end short.
pub fn underset_hint(cx: &Context, empty: u32) -> String {
    let chars = empty * cx.job.grid.column_chars;
    format!("add about {chars} characters of text, or let pictures beside the short columns grow (`grow:`)")
}

/// The picture frames on the pages a thread flows through.
fn pictures_beside<'a>(cx: &'a Context, fitted: &'a Fitted, id: ThreadId) -> Vec<(usize, &'a Frame)> {
    let pages: Vec<usize> = cx.job.frames_of(id).map(|(p, _)| p).collect();
    fitted
        .pages
        .iter()
        .enumerate()
        .filter(|(p, _)| pages.contains(p))
        .flat_map(|(p, frames)| frames.iter().filter(|f| f.picture().is_some()).map(move |f| (p, f)))
        .collect()
}

/// Up to `count` resizes of the pictures, from `deltas`, that change the lines the page
/// gives text by about `slack` (a picture a line taller takes a line from each column it
/// spans), each within its `grow` and `shrink`, fewest lines changed first. Exact: a
/// knapsack over the pictures by lines taken, keeping the `count` least changes per sum.
fn closest_resizes(
    elastic: &[Elastic],
    deltas: &[i32],
    slack: i32,
    count: usize,
    free: impl Fn(usize) -> bool,
) -> Vec<Vec<i32>> {
    use std::collections::BTreeMap;
    // Lines taken (relative to `deltas`) → the least-change ways to take them: (change, deltas).
    let mut ways: BTreeMap<i32, Vec<(u32, Vec<i32>)>> = BTreeMap::new();
    ways.insert(0, vec![(0, Vec::new())]);
    for (i, (e, &d)) in elastic.iter().zip(deltas).enumerate() {
        if e.text || e.moves || !free(i) {
            // A section block's foot moves text between threads and a picture's place
            // moves it within its thread: the page's total stays; a frame not free to
            // move keeps its size.
            for list in ways.values_mut() {
                for (_, path) in list.iter_mut() {
                    path.push(d);
                }
            }
            continue;
        }
        let span = e.span as i32;
        let mut next: BTreeMap<i32, Vec<(u32, Vec<i32>)>> = BTreeMap::new();
        for (&taken, list) in &ways {
            for to in -(e.shrink as i32)..=e.grow as i32 {
                let t = taken + span * (to - d);
                if (t - slack).abs() > slack.abs() + 2 * span {
                    continue;
                }
                let entry = next.entry(t).or_default();
                for (change, path) in list {
                    let mut path = path.clone();
                    path.push(to);
                    entry.push((change + to.unsigned_abs(), path));
                }
                entry.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
                entry.truncate(count);
            }
        }
        ways = next;
    }
    let mut out: Vec<(i32, u32, Vec<i32>)> = ways
        .into_iter()
        .filter(|(t, _)| (t - slack).abs() <= 1)
        .flat_map(|(t, list)| list.into_iter().map(move |(c, p)| ((t - slack).abs(), c, p)))
        .filter(|(_, _, p)| p != deltas)
        .collect();
    out.sort();
    out.into_iter().take(count).map(|(_, _, p)| p).collect()
}

/// What a line more of each elastic frame gives each thread (in `slots`' order), in lines of
/// its columns: a text frame's foot lowered gives its thread a line per column and takes one
/// from each column of the text frames it carries down; a picture a line taller takes a line
/// from each column its moving edge stands in (half a line for a round or drawn shape: its
/// width at the edge is less than the frame's).
fn effects(cx: &Context, elastic: &[Elastic], slots: &[Vec<Slot>]) -> Vec<Vec<f64>> {
    let job = cx.job;
    elastic
        .iter()
        .map(|e| {
            let frames = &job.pages[e.page];
            let frame = &frames[e.frame];
            let (left, top, width, height) = super::frame_box(job, frame);
            let edge = if e.from_top { top } else { top + height };
            let shaped = frame.picture().is_some_and(|p| p.shape != crate::spec::layout::Shape::Rect);
            if e.moves {
                // A picture moved keeps its size: the model sees no line given or taken.
                return vec![0.0; slots.len()];
            }
            slots
                .iter()
                .map(|thread| {
                    thread
                        .iter()
                        .filter(|s| s.page == e.page)
                        .map(|s| {
                            if e.text && s.frame == e.frame {
                                1.0
                            } else if e.carries.contains(&s.frame) && frames[s.frame].text().is_some() {
                                -1.0
                            } else if !e.text
                                && left < s.left + s.width
                                && s.left < left + width
                                && s.top - 0.5 < edge
                                && edge < s.bottom + 0.5
                            {
                                if shaped {
                                    -0.5
                                } else {
                                    -1.0
                                }
                            } else {
                                0.0
                            }
                        })
                        .sum()
                })
                .collect()
        })
        .collect()
}

/// The resizes, from `deltas`, that [`effects`] says bring every thread's `slack` nearest
/// zero, changing the fewest lines: a descent on the model (no layout), by single resizes and
/// pairs (a block's foot and the photo under it), each within its bounds.
fn balanced(
    elastic: &[Elastic],
    effects: &[Vec<f64>],
    deltas: &[i32],
    slack: &[i32],
    fits: impl Fn(&[i32]) -> bool,
) -> Vec<i32> {
    let miss = |d: &[i32]| -> f64 {
        let mut off = 0.0;
        for (t, &s) in slack.iter().enumerate() {
            let given: f64 = elastic.iter().enumerate().map(|(i, _)| effects[i][t] * (d[i] - deltas[i]) as f64).sum();
            let left = s as f64 + given;
            // Text overset costs more than a line to spare: the descent fills a line or two
            // by tracking and heads' space, and cannot take back a line of text.
            off += if left < 0.0 { -3.0 * left } else { left };
        }
        off + 0.05 * d.iter().map(|x| x.unsigned_abs() as f64).sum::<f64>()
    };
    let allowed = |i: usize, to: i32| to <= elastic[i].grow as i32 && to >= -(elastic[i].shrink as i32);
    let mut here = deltas.to_vec();
    let mut score = miss(&here);
    for _ in 0..64 {
        let mut found: Option<(f64, Vec<i32>)> = None;
        let mut consider = |d: Vec<i32>| {
            let m = miss(&d);
            if m + 1e-9 < found.as_ref().map_or(score, |f| f.0) && fits(&d) {
                found = Some((m, d));
            }
        };
        for i in 0..elastic.len() {
            for step in [-4, -3, -2, -1, 1, 2, 3, 4] {
                let to = here[i] + step;
                if !allowed(i, to) {
                    continue;
                }
                let mut d = here.clone();
                d[i] = to;
                consider(d.clone());
                for j in (0..elastic.len()).filter(|&j| j != i) {
                    for step2 in [-4, -3, -2, -1, 1, 2, 3, 4] {
                        if allowed(j, here[j] + step2) {
                            let mut d2 = d.clone();
                            d2[j] += step2;
                            consider(d2);
                        }
                    }
                }
            }
        }
        match found {
            Some((m, d)) => (score, here) = (m, d),
            None => break,
        }
    }
    here
}

/// Threads (indices into the slots' order) and the elastic frames that reach them, linked
/// by no frame to any other part: a part's make-up changes no other part's layout.
#[derive(Debug, PartialEq)]
struct Part {
    threads: Vec<usize>,
    frames: Vec<usize>,
}

/// The page cut into [`Part`]s: two threads are in one part when some elastic frame (or a
/// frame its foot carries) reaches a column of each, however far it grows. An elastic frame
/// that reaches no column is in no part (resizing it changes nothing). One part when every
/// thread is linked to every other.
fn parts(cx: &Context, elastic: &[Elastic], slots: &[Vec<Slot>]) -> Vec<Part> {
    let reaches = |e: &Elastic, slot: &Slot| {
        let frame_reaches = |frame: usize| slot.frame == frame || touches_frame(cx, e.page, frame, e.grow, slot);
        e.page == slot.page && (frame_reaches(e.frame) || e.carries.iter().any(|&g| frame_reaches(g)))
    };
    group_into_parts(elastic.len(), slots.len(), |e, t| slots[t].iter().any(|s| reaches(&elastic[e], s)))
}

/// [`parts`] of `threads` threads linked by `frames` elastic frames, frame `e` reaching
/// thread `t` when `reaches(e, t)`: threads reached by one frame are in one part (union-find,
/// so the parts are the connected groups); a frame belongs to the part of the threads it
/// reaches, and to none when it reaches no thread. Parts in the order of their first thread.
fn group_into_parts(frames: usize, threads: usize, reaches: impl Fn(usize, usize) -> bool) -> Vec<Part> {
    let mut root: Vec<usize> = (0..threads).collect();
    fn find(root: &mut [usize], mut t: usize) -> usize {
        while root[t] != t {
            root[t] = root[root[t]];
            t = root[t];
        }
        t
    }
    let reached: Vec<Vec<usize>> = (0..frames).map(|e| (0..threads).filter(|&t| reaches(e, t)).collect()).collect();
    for threads in &reached {
        for pair in threads.windows(2) {
            let (a, b) = (find(&mut root, pair[0]), find(&mut root, pair[1]));
            root[a.max(b)] = a.min(b);
        }
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut part_of = vec![usize::MAX; threads];
    for t in 0..threads {
        let r = find(&mut root, t);
        if part_of[r] == usize::MAX {
            part_of[r] = parts.len();
            parts.push(Part { threads: Vec::new(), frames: Vec::new() });
        }
        part_of[t] = part_of[r];
        parts[part_of[t]].threads.push(t);
    }
    for (e, threads) in reached.iter().enumerate() {
        if let Some(&t) = threads.first() {
            parts[part_of[t]].frames.push(e);
        }
    }
    parts
}

/// Whether picture `e` stands in (or beside) the column `slot`.
fn touches(cx: &Context, e: &Elastic, slot: &Slot) -> bool {
    touches_frame(cx, e.page, e.frame, e.grow, slot)
}

/// Whether frame `frame` of page `page`, grown by up to `grow` lines either way, stands in
/// (or beside) the column `slot`.
fn touches_frame(cx: &Context, page: usize, frame: usize, grow: u32, slot: &Slot) -> bool {
    let (left, top, width, height) = super::frame_box(cx.job, &cx.job.pages[page][frame]);
    let reach = grow as f32 * cx.job.grid.pitch;
    page == slot.page
        && left < slot.left + slot.width
        && slot.left < left + width
        // Within the frame the column belongs to, however far it grows.
        && top - reach < slot.bottom
        && slot.top < top + height + reach
}

/// One change the search may try.
#[derive(Debug, Clone, Copy)]
enum Move {
    /// Picture, lines (+ taller).
    Picture(usize, i32),
    /// One picture a line taller, another a line shorter: the page keeps its lines for
    /// text, a head or a paragraph's end moves to the other side of a column's foot.
    Trade(usize, usize),
    /// Thread, block, step (+ looser).
    Tracking(usize, usize, i8),
    /// Thread, block, step (+ a line more).
    Lines(usize, usize, i8),
    /// Thread, block, lines (+ more space).
    Space(usize, usize, i8),
    /// Thread, block: let the paragraph keep a widow line, or avoid it again.
    Strand(usize, usize),
}

impl Move {
    /// The deltas and choices with this change made.
    fn apply(self, deltas: &[i32], choices: &[Vec<Choice>]) -> (Vec<i32>, Vec<Vec<Choice>>) {
        let (mut d, mut c) = (deltas.to_vec(), choices.to_vec());
        match self {
            Move::Picture(i, step) => d[i] += step,
            Move::Trade(i, j) => (d[i], d[j]) = (d[i] + 1, d[j] - 1),
            Move::Tracking(t, b, step) => c[t][b].tracking += step,
            Move::Lines(t, b, step) => c[t][b].lines += step,
            Move::Space(t, b, step) => c[t][b].space += step,
            Move::Strand(t, b) => c[t][b].strand = !c[t][b].strand,
        }
        (d, c)
    }
}

/// The space above head block `b` of thread `t` a line more and a line less, within `limit`.
fn space_moves(t: usize, b: usize, c: Choice, limit: i8, out: &mut Vec<Move>) {
    // A head that opens its thread stands at its frame's top, under the line of space
    // between frames: more space there leaves three lines empty above it, a hole
    // (makeup-rules 不开天窗); it may only give its space.
    let up = if b == 0 { 0 } else { limit };
    if c.space < up {
        out.push(Move::Space(t, b, 1));
    }
    if c.space > -limit {
        out.push(Move::Space(t, b, -1));
    }
}

/// The paragraphs that may keep a widow (they moved a line on to avoid one), and those
/// that keep one and may avoid it again.
fn strand_moves(laid: &Laid, choices: &[Vec<Choice>]) -> Vec<Move> {
    let mut out = Vec::new();
    for (t, thread) in laid.threads.iter().enumerate() {
        let mut jumped: Vec<usize> = thread.jumped.iter().map(|&(b, _)| b).collect();
        jumped.dedup();
        out.extend(jumped.into_iter().filter(|&b| !choices[t][b].strand).map(|b| Move::Strand(t, b)));
        out.extend((0..choices[t].len()).filter(|&b| choices[t][b].strand).map(|b| Move::Strand(t, b)));
    }
    out
}

/// Every single change from here, pictures first (they decide most), then heads' space,
/// then paragraphs' tracking.
fn moves(
    elastic: &[Elastic],
    deltas: &[i32],
    texts: &[&[BlockText]],
    choices: &[Vec<Choice>],
    head_space: u32,
) -> Vec<Move> {
    let mut out = Vec::new();
    // A line at a time first; then bigger steps, which pass over a layout where a head
    // jumps for one line more but lands well for two or three.
    for step in 1..=4 {
        for (i, (e, &d)) in elastic.iter().zip(deltas).enumerate() {
            if d + step <= e.grow as i32 {
                out.push(Move::Picture(i, step));
            }
            if d - step >= -(e.shrink as i32) {
                out.push(Move::Picture(i, -step));
            }
        }
    }
    for (i, (a, &da)) in elastic.iter().zip(deltas).enumerate() {
        for (j, (b, &db)) in elastic.iter().zip(deltas).enumerate() {
            let sizes = !a.moves && !b.moves && a.text == b.text;
            if i != j && sizes && a.span == b.span && da < a.grow as i32 && db > -(b.shrink as i32) {
                out.push(Move::Trade(i, j));
            }
        }
    }
    let limit = head_space as i8;
    for (t, blocks) in texts.iter().copied().enumerate() {
        for (b, text) in blocks.iter().enumerate() {
            if text.opens_head {
                space_moves(t, b, choices[t][b], limit, &mut out);
            }
        }
    }
    for (t, blocks) in texts.iter().copied().enumerate() {
        for (b, text) in blocks.iter().enumerate() {
            let c = choices[t][b];
            // Back to the design is always a move; further only where it changes a line, and
            // not on a paragraph set a line longer or shorter (both at once show as spaced type).
            if c.lines != 0 {
                continue;
            }
            if c.tracking == 1 || (text.tight.is_some() && c.tracking == 0) {
                out.push(Move::Tracking(t, b, -1));
            }
            if c.tracking == -1 || (text.loose.is_some() && c.tracking == 0) {
                out.push(Move::Tracking(t, b, 1));
            }
        }
    }
    for (t, blocks) in texts.iter().copied().enumerate() {
        for (b, text) in blocks.iter().enumerate() {
            line_moves(t, b, text, choices[t][b], &mut out);
        }
    }
    out
}

/// A paragraph set a line shorter or longer than its best breaking, within one line of it,
/// or back to its best breaking.
fn line_moves(t: usize, b: usize, text: &BlockText, c: Choice, out: &mut Vec<Move>) {
    if c.tracking != 0 {
        return;
    }
    if c.lines == 1 || (text.shorter && c.lines == 0) {
        out.push(Move::Lines(t, b, -1));
    }
    if c.lines == -1 || (text.longer && c.lines == 0) {
        out.push(Move::Lines(t, b, 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(span: u32, grow: u32, shrink: u32) -> Elastic {
        Elastic {
            page: 0,
            frame: 0,
            grow,
            shrink,
            span,
            from_top: false,
            text: false,
            carries: Vec::new(),
            moves: false,
        }
    }

    fn frame(columns: (u32, u32), lines: (u32, u32)) -> Frame {
        Frame {
            id: String::new(),
            col_first: columns.0,
            col_last: columns.1,
            line_first: lines.0,
            line_last: lines.1,
            content: FrameContent::Folio { text: String::new(), text_right: None },
            rule_below: false,
            fill: None,
            bleed: false,
            offset: (0.0, 0.0),
            stroke: None,
        }
    }

    /// A round picture of 12 lines in columns 2–3 that may move 3 lines (`move: 3`), a
    /// picture above it in column 2 ending on line 9, both inside a text frame.
    fn moving_circle() -> (Vec<Vec<Frame>>, Vec<Elastic>) {
        let mut circle = frame((1, 2), (20, 31));
        circle.content = FrameContent::Picture(crate::model::Picture {
            photo: crate::model::PhotoId(0),
            fit: Default::default(),
            focus: (0.5, 0.5),
            shape: crate::spec::layout::Shape::Circle,
            points: Vec::new(),
            caption: crate::spec::layout::CaptionPlace::None,
            caption_lines: 0,
            caption_style: None,
            credit: Default::default(),
            wrap: None,
            grow: 0,
            shrink: 0,
            moves: 3,
        });
        let mut text = frame((0, 3), (0, 60));
        text.content = FrameContent::Text(crate::model::TextFrame {
            thread: ThreadId(0),
            span: 1,
            split: None,
            inset: 0.0,
            pad: 0,
            may_end_short: false,
            grow: 0,
            shrink: 0,
            heads_across: false,
        });
        // Above it, a frame that does not flex.
        let above = frame((1, 1), (2, 9));
        let pages = vec![vec![text, above, circle]];
        let elastic = Elastic::of(&pages);
        (pages, elastic)
    }

    #[test]
    fn a_paragraph_that_moved_a_line_on_may_keep_its_widow_and_one_that_keeps_it_may_not() {
        let thread = |jumped: Vec<(usize, usize)>| ThreadLayout { jumped, ..ThreadLayout::default() };
        // Block 5 of thread 1 moved both its first line and its last two lines on.
        let laid = Laid { threads: vec![thread(vec![]), thread(vec![(2, 0), (5, 3), (5, 4)])], clashes: 0 };
        let mut choices = vec![vec![Choice::default(); 3], vec![Choice::default(); 7]];
        choices[0][1].strand = true;
        let found: Vec<(usize, usize)> = strand_moves(&laid, &choices)
            .into_iter()
            .map(|m| match m {
                Move::Strand(t, b) => (t, b),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(found, vec![(0, 1), (1, 2), (1, 5)]);
        let (_, applied) = Move::Strand(0, 1).apply(&[], &choices);
        assert!(!applied[0][1].strand, "a second toggle avoids the widow again");
    }

    #[test]
    fn a_picture_that_may_move_keeps_its_size_and_never_runs_into_another_frame() {
        let (pages, elastic) = moving_circle();
        // Only the circle flexes, and only its place.
        assert_eq!(elastic.len(), 1);
        assert!(elastic[0].moves && !elastic[0].text && elastic[0].carries.is_empty());
        let moved = resize(&pages, 61, &elastic, &[2]).expect("two lines down fits");
        assert_eq!((moved[0][2].line_first, moved[0][2].line_last), (22, 33));
        let moved = resize(&pages, 61, &elastic, &[-3]).expect("three lines up fits");
        assert_eq!((moved[0][2].line_first, moved[0][2].line_last), (17, 28));
        // Up into the picture above it: refused.
        let mut close = pages.clone();
        close[0][1].line_last = 18;
        assert!(resize(&close, 61, &elastic, &[-3]).is_none());
        // Off the grid's foot: refused.
        let mut low = pages.clone();
        (low[0][2].line_first, low[0][2].line_last) = (49, 60);
        assert!(resize(&low, 61, &elastic, &[1]).is_none());
    }

    #[test]
    fn moving_a_picture_is_no_line_given_or_taken_in_the_sums() {
        // A picture's place changes where the text goes, not how much the page holds: the
        // knapsack leaves it where it is and takes the slack from the resizable picture.
        let (_, mut elastic) = moving_circle();
        elastic.push(picture(1, 4, 4));
        let found = closest_resizes(&elastic, &[0, 0], 3, 3, |_| true);
        assert_eq!(found[0], vec![0, 3]);
        assert!(found.iter().all(|f| f[0] == 0), "{found:?}");
        // A frame not free to change (before a fault being mended) keeps its size.
        assert!(closest_resizes(&elastic, &[0, 0], 3, 3, |i| i != 1).is_empty());
    }

    #[test]
    fn threads_linked_by_an_elastic_frame_are_fitted_together_and_the_others_apart() {
        // Five threads; frame 0 reaches threads 0 and 2, frame 1 threads 2 and 4, frame 2
        // thread 3 alone, frame 3 nothing: parts {0, 2, 4} with frames 0 and 1, {1} with
        // none, {3} with frame 2; frame 3 in no part.
        let reach = [vec![0, 2], vec![2, 4], vec![3], vec![]];
        let parts = group_into_parts(reach.len(), 5, |e, t| reach[e].contains(&t));
        let got: Vec<(Vec<usize>, Vec<usize>)> = parts.into_iter().map(|p| (p.threads, p.frames)).collect();
        assert_eq!(got, vec![(vec![0, 2, 4], vec![0, 1]), (vec![1], vec![]), (vec![3], vec![2])]);
        // A frame reaching every thread makes one part.
        let one = group_into_parts(1, 3, |_, _| true);
        assert_eq!(one.len(), 1);
        assert_eq!((one[0].threads.clone(), one[0].frames.clone()), (vec![0, 1, 2], vec![0]));
        // No frame: a part per thread.
        assert_eq!(group_into_parts(0, 3, |_, _| true).len(), 3);
    }

    #[test]
    fn a_blocks_foot_carries_the_frames_stacked_right_under_it() {
        let frames = [
            frame((0, 1), (10, 30)), // the upper block
            frame((0, 1), (32, 60)), // the block under it, past a line of space
            frame((1, 2), (31, 40)), // under it across one of its columns
            frame((2, 3), (32, 60)), // beside, not under
            frame((0, 1), (34, 60)), // under, but not directly
        ];
        assert_eq!(stacked_under(&frames, 0), vec![1, 2]);
        assert!(overlap(&frames[0], &frame((1, 1), (30, 31))));
        assert!(!overlap(&frames[0], &frames[1]));
    }

    #[test]
    fn balancing_moves_a_blocks_foot_and_the_photo_under_it_together() {
        // The upper block (two columns) has four lines to spare, the lower one two too many:
        // the foot two lines up gives the lower block four, and its one-column photo two
        // lines taller takes two of them back.
        let foot = Elastic { text: true, ..picture(2, 6, 6) };
        let effects = vec![vec![2.0, -2.0], vec![0.0, -1.0]];
        let found = balanced(&[foot, picture(1, 6, 6)], &effects, &[0, 0], &[4, -2], |_| true);
        assert_eq!(found, vec![-2, 2]);
        // Where the page cannot take it (the photo would run into another frame), the
        // model does not choose it.
        let found = balanced(
            &[Elastic { text: true, ..picture(2, 6, 6) }, picture(1, 6, 6)],
            &effects,
            &[0, 0],
            &[4, -2],
            |d| d[1] <= 0,
        );
        assert_eq!(found[1], 0);
    }

    #[test]
    fn the_closest_resizes_take_the_slack_with_the_fewest_lines_changed() {
        // Six lines to take: the two-column picture three lines taller changes three lines;
        // the one-column picture alone can give only four.
        let pictures = [picture(1, 4, 2), picture(2, 6, 2)];
        let found = closest_resizes(&pictures, &[0, 0], 6, 3, |_| true);
        assert_eq!(found[0], vec![0, 3]);
        for f in &found {
            let taken: i32 = f.iter().zip(&pictures).map(|(d, p)| d * p.span as i32).sum();
            assert!((taken - 6).abs() <= 1, "{f:?} takes {taken}");
            assert!(f[0] <= 4 && f[1] <= 6 && f[0] >= -2 && f[1] >= -2, "{f:?} leaves the bounds");
        }
    }

    #[test]
    fn text_too_long_shrinks_pictures_and_nothing_past_their_bounds() {
        let pictures = [picture(1, 4, 2), picture(2, 6, 3)];
        let found = closest_resizes(&pictures, &[1, 0], -5, 4, |_| true);
        assert!(!found.is_empty());
        // From one line taller: back to the design and two columns' picture two shorter
        // (−1 − 4), or to two shorter and one (−3 − 2)…
        for f in &found {
            let taken: i32 = f.iter().zip(&pictures).map(|(d, p)| d * p.span as i32).sum::<i32>() - 1;
            assert!((taken + 5).abs() <= 1, "{f:?} takes {taken}");
            assert!(f[0] >= -2 && f[1] >= -3, "{f:?} shrinks past the bounds");
        }
        // Beyond every bound: nothing to offer.
        assert!(closest_resizes(&pictures, &[0, 0], -40, 4, |_| true).is_empty());
    }
}
