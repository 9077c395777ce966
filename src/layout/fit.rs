//! Copy-fit (撑版 / 缩版): within what the layout lets flex — pictures' `grow` and `shrink`,
//! the space above heads (`fit.head_space`), a paragraph's tracking (`fit.tracking`) —
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
//!    the cost, until the page is clean or the tries run out.
//!
//! Deterministic: the same inputs try the same changes in the same order.

use super::flow::Slot;
use super::thread::{lay_thread_cached, BreakCache, PreparedBlock, ThreadLayout};
use super::wrap::Exclusion;
use super::Context;
use crate::model::{Frame, FrameContent, ThreadId};
use crate::text::{self, Prepared};

/// A block's text, prepared once, with the tighter and looser settings the copy-fit may try.
pub struct BlockText {
    pub base: Option<Prepared>,
    /// Set `fit.tracking` tighter and looser; `None` where tracking may not change (heads).
    pub tight: Option<Prepared>,
    pub loose: Option<Prepared>,
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

/// A picture the copy-fit may resize.
struct Elastic {
    page: usize,
    frame: usize,
    grow: u32,
    shrink: u32,
    /// The text columns it spans: a line of its height is a line of each.
    span: u32,
    /// It stands at the foot of the text round it: its top edge moves, not its bottom.
    from_top: bool,
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
            PreparedBlock { block, style, prepared, space_before }
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
            let count = |p: &Prepared| text::set_prepared(p, &style.config, column).len();
            let base_lines = base.as_ref().map(count);
            let useful = |p: Option<Prepared>| p.filter(|p| Some(count(p)) != base_lines);
            BlockText {
                tight: if flexible { useful(with(-job.fit.tracking)) } else { None },
                loose: if flexible { useful(with(job.fit.tracking)) } else { None },
                base,
                opens_head,
            }
        })
        .collect()
}

/// Whether the page has nothing a make-up editor would send back: no empty grid line, no
/// loose line, nothing overset, no word wider than its line.
fn clean(laid: &[ThreadLayout]) -> bool {
    laid.iter().all(|t| t.empty_lines() == 0 && t.loose_lines == 0 && t.overset.is_none() && t.overfull.is_empty())
}

/// The lines of a column the text overset would take.
fn overset_lines(cx: &Context, t: &ThreadLayout) -> u32 {
    t.overset.as_ref().map_or(0, |o| o.chars.div_ceil(cx.job.grid.column_chars.max(1) as usize) as u32)
}

/// The cost of a page: empty grid lines, overset lines (much worse), and how far it is
/// from the design as drawn.
fn cost(cx: &Context, laid: &[ThreadLayout], deltas: &[i32], choices: &[Vec<Choice>]) -> f64 {
    let mut c = 0.0;
    for t in laid {
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
    }
    c += 0.05 * deltas.iter().map(|d| d.unsigned_abs() as f64).sum::<f64>();
    for c2 in choices.iter().flatten() {
        c += 0.02 * c2.tracking.unsigned_abs() as f64 + 0.03 * c2.space.unsigned_abs() as f64;
    }
    c
}

/// The pictures of `pages` resized by `deltas` (one per elastic picture); `None` when a
/// resized picture would leave the grid or run into another picture.
fn resized(cx: &Context, elastic: &[Elastic], deltas: &[i32]) -> Option<Vec<Vec<Frame>>> {
    let mut pages = cx.job.pages.clone();
    let lines = cx.job.grid.lines as i64;
    for (e, &d) in elastic.iter().zip(deltas) {
        let f = &mut pages[e.page][e.frame];
        let (mut first, mut last) = (f.line_first as i64, f.line_last as i64);
        if e.from_top {
            first -= d as i64;
        } else {
            last += d as i64;
        }
        if first < 0 || last >= lines || last - first < 2 {
            return None;
        }
        (f.line_first, f.line_last) = (first as u32, last as u32);
    }
    for e in elastic {
        let a = &pages[e.page][e.frame];
        let overlaps = pages[e.page].iter().enumerate().any(|(i, b)| {
            i != e.frame
                && matches!(b.content, FrameContent::Picture(_))
                && a.col_first <= b.col_last
                && b.col_first <= a.col_last
                && a.line_first <= b.line_last
                && b.line_first <= a.line_last
        });
        if overlaps {
            return None;
        }
    }
    Some(pages)
}

/// Lay every thread out on `pages` with `choices`.
fn try_page(
    cx: &Context,
    pages: &[Vec<Frame>],
    order: &[ThreadId],
    slots: &[Vec<Slot>],
    texts: &[Vec<BlockText>],
    choices: &[Vec<Choice>],
    cache: &BreakCache,
) -> Vec<ThreadLayout> {
    let exclusions: Vec<Exclusion> = super::picture_exclusions(cx, pages);
    let (pitch, char) = (cx.job.grid.pitch, cx.job.grid.char);
    order
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            lay_thread_cached(&blocks(cx, id, &texts[i], &choices[i]), &slots[i], &exclusions, pitch, char, cache)
        })
        .collect()
}

/// The first column that does not end flush: (thread, slot, empty lines); the slot is the
/// thread's column count when its text is overset.
type Fault = (usize, usize, u32);

/// A page tried by the sweep: its cost, its first fault, the pictures' deltas.
type Tried = (f64, Option<Fault>, Vec<i32>);

/// Where a descent ended: cost, whether the page is clean, the deltas and choices.
type Descent = (f64, bool, Vec<i32>, Vec<Vec<Choice>>);

/// What a descent reads.
struct Search<'a> {
    cx: &'a Context<'a>,
    order: &'a [ThreadId],
    slots: &'a [Vec<Slot>],
    texts: &'a [Vec<BlockText>],
    elastic: &'a [Elastic],
    cache: &'a BreakCache,
    head_space: u32,
}

impl Search<'_> {
    /// The cost of a page and whether it is [`clean`], or `None` when its pictures do not
    /// fit the grid.
    fn cost_of(&self, deltas: &[i32], choices: &[Vec<Choice>]) -> Option<(f64, bool)> {
        let laid = self.lay(deltas, choices)?;
        Some((cost(self.cx, &laid, deltas, choices), clean(&laid)))
    }

    /// Every thread laid out with the pictures resized by `deltas`, or `None` when they do
    /// not fit the grid.
    fn lay(&self, deltas: &[i32], choices: &[Vec<Choice>]) -> Option<Vec<ThreadLayout>> {
        let pages = resized(self.cx, self.elastic, deltas)?;
        Some(try_page(self.cx, &pages, self.order, self.slots, self.texts, choices, self.cache))
    }

    /// The lines the page has to spare: empty grid lines less the lines overset.
    fn slack(&self, deltas: &[i32], choices: &[Vec<Choice>]) -> Option<i32> {
        let laid = self.lay(deltas, choices)?;
        Some(laid.iter().map(|t| t.empty_lines() as i32 - overset_lines(self.cx, t) as i32).sum())
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
            for candidate in closest_resizes(self.elastic, &deltas, slack, 6) {
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

    /// The page laid out with `deltas` and `choices`: its cost and the first column (in the
    /// threads' reading order) that does not end flush, as (thread, slot, empty lines).
    fn judge(&self, deltas: &[i32], choices: &[Vec<Choice>]) -> Option<(f64, Option<Fault>)> {
        let laid = self.lay(deltas, choices)?;
        // Text overset is a fault after the thread's last column.
        let first = laid.iter().enumerate().find_map(|(t, l)| {
            let short = l.columns.iter().find(|c| c.empty_lines() > 0).map(|c| (t, c.slot, c.empty_lines()));
            short.or(l.overset.as_ref().map(|_| (t, l.columns.len(), 0)))
        });
        Some((cost(self.cx, &laid, deltas, choices), first))
    }

    /// Make up the page column by column, as an editor does from the top left: at the first
    /// column that ends short (or has a hole), try the pictures that stand in it at each
    /// height near the one that would fill it, and keep the page whose first short column
    /// comes later (or, at the same column, costs less). Columns already flush stay flush.
    fn sweep(&self, mut deltas: Vec<i32>, choices: &[Vec<Choice>], budget: u32, tries: &mut u32) -> Vec<i32> {
        let limit = *tries + budget;
        let order_of = |first: Option<Fault>| first.map_or((usize::MAX, usize::MAX), |(t, s, _)| (t, s));
        *tries += 1;
        let Some((mut cost, mut first)) = self.judge(&deltas, choices) else { return deltas };
        while let Some((t, s, empty)) = first {
            let Some(slot) = self.slots[t].get(s) else { break };
            let mut best: Option<Tried> = None;
            for (i, e) in self.elastic.iter().enumerate() {
                if !touches(self.cx, e, slot) {
                    continue;
                }
                let d = deltas[i];
                let (low, high) = ((d - 3).max(-(e.shrink as i32)), (d + empty as i32 + 2).min(e.grow as i32));
                for to in (low..=high).filter(|&to| to != d) {
                    if *tries >= limit {
                        break;
                    }
                    let mut candidate = deltas.clone();
                    candidate[i] = to;
                    let Some((c, f)) = self.judge(&candidate, choices) else { continue };
                    *tries += 1;
                    let better = |b: &Tried| (order_of(f), -c) > (order_of(b.1), -b.0);
                    if best.as_ref().is_none_or(better) {
                        best = Some((c, f, candidate));
                    }
                }
            }
            match best {
                Some((c, f, candidate)) if (order_of(f), -c) > (order_of(first), -cost) => {
                    (cost, first, deltas) = (c, f, candidate);
                }
                _ => break,
            }
        }
        deltas
    }

    /// Greedy descent from a start: the first single change that lowers the cost, until
    /// none does or `budget` tries are spent.
    fn descend(
        &self,
        mut deltas: Vec<i32>,
        mut choices: Vec<Vec<Choice>>,
        budget: u32,
        tries: &mut u32,
    ) -> Option<Descent> {
        let limit = *tries + budget;
        if *tries >= limit {
            return None;
        }
        *tries += 1;
        let (mut best, mut done) = self.cost_of(&deltas, &choices)?;
        'search: while !done {
            let mut improved = false;
            for mv in moves(self.elastic, &deltas, self.texts, &choices, self.head_space) {
                if *tries >= limit {
                    break 'search;
                }
                let (mut d2, mut c2) = (deltas.clone(), choices.clone());
                match mv {
                    Move::Picture(i, step) => d2[i] += step,
                    Move::Trade(i, j) => (d2[i], d2[j]) = (d2[i] + 1, d2[j] - 1),
                    Move::Tracking(t, b, step) => c2[t][b].tracking += step,
                    Move::Space(t, b, step) => c2[t][b].space += step,
                }
                let Some((c, clean)) = self.cost_of(&d2, &c2) else { continue };
                *tries += 1;
                if c + 1e-9 < best {
                    (best, done, deltas, choices, improved) = (c, clean, d2, c2, true);
                    break;
                }
            }
            if !improved {
                break;
            }
        }
        Some((best, done, deltas, choices))
    }
}

/// Choose the page: see the module's doc.
pub fn fit(cx: &Context, order: &[ThreadId], slots: &[Vec<Slot>], texts: &[Vec<BlockText>]) -> Fitted {
    let job = cx.job;
    let mut elastic = Vec::new();
    for (p, frames) in job.pages.iter().enumerate() {
        for (f, frame) in frames.iter().enumerate() {
            let Some(pic) = frame.picture() else { continue };
            if pic.grow == 0 && pic.shrink == 0 {
                continue;
            }
            // A picture whose foot is a text frame's foot grows upward.
            let from_top = frames.iter().any(|t| {
                t.text().is_some()
                    && t.line_last == frame.line_last
                    && t.col_first <= frame.col_last
                    && frame.col_first <= t.col_last
            });
            let span = frame.col_last - frame.col_first + 1;
            elastic.push(Elastic { page: p, frame: f, grow: pic.grow, shrink: pic.shrink, span, from_top });
        }
    }
    let mut deltas = vec![0i32; elastic.len()];
    let mut choices: Vec<Vec<Choice>> = texts.iter().map(|t| vec![Choice::default(); t.len()]).collect();
    let flexible = !elastic.is_empty() || job.fit.tracking > 0.0 || job.fit.head_space > 0;
    let mut tries = 0;
    let cache = &cx.breaks;
    if flexible {
        let search = Search { cx, order, slots, texts, elastic: &elastic, cache, head_space: job.fit.head_space };
        // Aim the pictures at the text's length, make the page up column by column, then
        // descend; where that ends short of a clean page, descend again from the design as
        // drawn with the tries left. The best page wins.
        let budget = tries_for(job.fit.tries, texts);
        let aimed = search.aim(deltas.clone(), &choices, budget / 4, &mut tries);
        let swept = search.sweep(aimed, &choices, budget / 4, &mut tries);
        let mut best: Option<Descent> = None;
        for start in [swept, deltas.clone()] {
            if best.as_ref().is_some_and(|b| b.1) {
                break;
            }
            let found = search.descend(start, choices.clone(), budget.saturating_sub(tries), &mut tries);
            if let Some(found) = found {
                if best.as_ref().is_none_or(|b| found.0 + 1e-9 < b.0) {
                    best = Some(found);
                }
            }
        }
        if let Some((_, _, d, c)) = best {
            (deltas, choices) = (d, c);
        }
    }
    let pages = resized(cx, &elastic, &deltas).unwrap_or_else(|| job.pages.clone());
    let mut changes = Vec::new();
    for (e, &d) in elastic.iter().zip(&deltas).filter(|(_, d)| **d != 0) {
        let id = &job.pages[e.page][e.frame].id;
        let (n, way) = if d > 0 { (d, "taller") } else { (-d, "shorter") };
        changes.push(format!("picture {id} {n} line(s) {way}"));
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
        }
    }
    Fitted { pages, choices, changes, tries }
}

/// Characters laid out, over all tries, that the copy-fit may spend: 150 tries of a
/// broadsheet page of 4,000 characters. A try lays every thread out again, so a page of much
/// more text gets proportionally fewer tries (at least 3), and a book-length thread costs a
/// few layouts, not minutes.
const WORK: usize = 600_000;

/// The tries the copy-fit takes: the layout's `fit.tries`, within [`WORK`].
fn tries_for(asked: u32, texts: &[Vec<BlockText>]) -> u32 {
    let chars: usize = texts.iter().flatten().filter_map(|t| t.base.as_ref()).map(|p| p.atoms.len()).sum();
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
fn closest_resizes(elastic: &[Elastic], deltas: &[i32], slack: i32, count: usize) -> Vec<Vec<i32>> {
    use std::collections::BTreeMap;
    // Lines taken (relative to `deltas`) → the least-change ways to take them: (change, deltas).
    let mut ways: BTreeMap<i32, Vec<(u32, Vec<i32>)>> = BTreeMap::new();
    ways.insert(0, vec![(0, Vec::new())]);
    for (e, &d) in elastic.iter().zip(deltas) {
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

/// Whether picture `e` stands in (or beside) the column `slot`.
fn touches(cx: &Context, e: &Elastic, slot: &Slot) -> bool {
    let (left, top, width, height) = super::frame_box(cx.job, &cx.job.pages[e.page][e.frame]);
    let reach = e.grow as f32 * cx.job.grid.pitch;
    e.page == slot.page
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
    /// Thread, block, lines (+ more space).
    Space(usize, usize, i8),
}

/// Every single change from here, pictures first (they decide most), then heads' space,
/// then paragraphs' tracking.
fn moves(
    elastic: &[Elastic],
    deltas: &[i32],
    texts: &[Vec<BlockText>],
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
            if i != j && a.span == b.span && da < a.grow as i32 && db > -(b.shrink as i32) {
                out.push(Move::Trade(i, j));
            }
        }
    }
    let limit = head_space as i8;
    for (t, blocks) in texts.iter().enumerate() {
        for (b, text) in blocks.iter().enumerate() {
            let c = choices[t][b];
            if text.opens_head && limit > 0 {
                if c.space < limit {
                    out.push(Move::Space(t, b, 1));
                }
                if c.space > -limit {
                    out.push(Move::Space(t, b, -1));
                }
            }
        }
    }
    for (t, blocks) in texts.iter().enumerate() {
        for (b, text) in blocks.iter().enumerate() {
            let c = choices[t][b];
            if text.tight.is_some() && c.tracking > -1 {
                out.push(Move::Tracking(t, b, -1));
            }
            if text.loose.is_some() && c.tracking < 1 {
                out.push(Move::Tracking(t, b, 1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(span: u32, grow: u32, shrink: u32) -> Elastic {
        Elastic { page: 0, frame: 0, grow, shrink, span, from_top: false }
    }

    #[test]
    fn the_closest_resizes_take_the_slack_with_the_fewest_lines_changed() {
        // Six lines to take: the two-column picture three lines taller changes three lines;
        // the one-column picture alone can give only four.
        let pictures = [picture(1, 4, 2), picture(2, 6, 2)];
        let found = closest_resizes(&pictures, &[0, 0], 6, 3);
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
        let found = closest_resizes(&pictures, &[1, 0], -5, 4);
        assert!(!found.is_empty());
        // From one line taller: back to the design and two columns' picture two shorter
        // (−1 − 4), or to two shorter and one (−3 − 2)…
        for f in &found {
            let taken: i32 = f.iter().zip(&pictures).map(|(d, p)| d * p.span as i32).sum::<i32>() - 1;
            assert!((taken + 5).abs() <= 1, "{f:?} takes {taken}");
            assert!(f[0] >= -2 && f[1] >= -3, "{f:?} shrinks past the bounds");
        }
        // Beyond every bound: nothing to offer.
        assert!(closest_resizes(&pictures, &[0, 0], -40, 4).is_empty());
    }
}
