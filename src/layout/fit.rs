//! Copy-fit (撑版 / 缩版): within what the layout lets flex — pictures' `grow` and `shrink`,
//! the space above heads (`fit.head_space`), a paragraph's tracking (`fit.tracking`) —
//! choose the page whose text columns end flush with no holes, with the least change from
//! the design as drawn.
//!
//! The flow is a pure function, so a try is cheap: lay every thread out again and count
//! the empty grid lines ([`super::makeup`]) and what is overset. The search is a greedy
//! descent from the design as drawn: each round takes the first single change (a picture a
//! line taller or shorter, a head's space a line more or less, a paragraph a hair tighter
//! or looser) that lowers the cost, until none does or the tries run out. Deterministic: the
//! same inputs try the same changes in the same order.

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
            BlockText {
                tight: if flexible { with(-job.fit.tracking) } else { None },
                loose: if flexible { with(job.fit.tracking) } else { None },
                base,
                opens_head,
            }
        })
        .collect()
}

/// The cost of a page: empty grid lines, overset lines (much worse), and how far it is
/// from the design as drawn.
fn cost(cx: &Context, laid: &[ThreadLayout], deltas: &[i32], choices: &[Vec<Choice>]) -> f64 {
    let per_line = cx.job.grid.column_chars.max(1) as f64;
    let mut c = 0.0;
    for t in laid {
        c += t.empty_lines() as f64;
        // A line stretched past its style's loose threshold is worse than an empty one:
        // a reader sees it at once.
        c += 3.0 * t.loose_lines as f64;
        if let Some(o) = &t.overset {
            c += 40.0 + 4.0 * (o.chars as f64 / per_line).ceil();
        }
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
    /// The cost of a page, or `None` when its pictures do not fit the grid.
    fn cost_of(&self, deltas: &[i32], choices: &[Vec<Choice>]) -> Option<f64> {
        let pages = resized(self.cx, self.elastic, deltas)?;
        let laid = try_page(self.cx, &pages, self.order, self.slots, self.texts, choices, self.cache);
        Some(cost(self.cx, &laid, deltas, choices))
    }

    /// Greedy descent from a start: the first single change that lowers the cost, until
    /// none does or `budget` tries are spent.
    fn descend(
        &self,
        mut deltas: Vec<i32>,
        mut choices: Vec<Vec<Choice>>,
        budget: u32,
        tries: &mut u32,
    ) -> Option<(f64, Vec<i32>, Vec<Vec<Choice>>)> {
        let limit = *tries + budget;
        if *tries >= limit {
            return None;
        }
        *tries += 1;
        let mut best = self.cost_of(&deltas, &choices)?;
        'search: while best >= 0.5 {
            let mut improved = false;
            for mv in moves(self.elastic, &deltas, self.texts, &choices, self.head_space) {
                if *tries >= limit {
                    break 'search;
                }
                let (mut d2, mut c2) = (deltas.clone(), choices.clone());
                match mv {
                    Move::Picture(i, step) => d2[i] += step,
                    Move::Tracking(t, b, step) => c2[t][b].tracking += step,
                    Move::Space(t, b, step) => c2[t][b].space += step,
                }
                let Some(c) = self.cost_of(&d2, &c2) else { continue };
                *tries += 1;
                if c + 1e-9 < best {
                    (best, deltas, choices, improved) = (c, d2, c2, true);
                    break;
                }
            }
            if !improved {
                break;
            }
        }
        Some((best, deltas, choices))
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
            elastic.push(Elastic { page: p, frame: f, grow: pic.grow, shrink: pic.shrink, from_top });
        }
    }
    let mut deltas = vec![0i32; elastic.len()];
    let mut choices: Vec<Vec<Choice>> = texts.iter().map(|t| vec![Choice::default(); t.len()]).collect();
    let flexible = !elastic.is_empty() || job.fit.tracking > 0.0 || job.fit.head_space > 0;
    let mut tries = 0;
    let cache = BreakCache::default();
    if flexible {
        let search =
            Search { cx, order, slots, texts, elastic: &elastic, cache: &cache, head_space: job.fit.head_space };
        // From the design as drawn first; when that descent ends short of a fit, again from
        // every picture as large (text too short) and as small (too long) as allowed, with
        // the tries left. The best page of all wins.
        let starts = [
            deltas.clone(),
            elastic.iter().map(|e| e.grow as i32).collect::<Vec<_>>(),
            elastic.iter().map(|e| -(e.shrink as i32)).collect::<Vec<_>>(),
        ];
        let mut best: Option<(f64, Vec<i32>, Vec<Vec<Choice>>)> = None;
        for (n, start) in starts.into_iter().enumerate() {
            if best.as_ref().is_some_and(|b| b.0 < 0.5) || (n > 0 && start == deltas) {
                break;
            }
            let budget = job.fit.tries.saturating_sub(tries);
            let found = search.descend(start, choices.clone(), budget, &mut tries);
            if let Some(found) = found {
                if best.as_ref().is_none_or(|b| found.0 + 1e-9 < b.0) {
                    best = Some(found);
                }
            }
        }
        if let Some((_, d, c)) = best {
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

/// One change the search may try.
#[derive(Debug, Clone, Copy)]
enum Move {
    /// Picture, lines (+ taller).
    Picture(usize, i32),
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
