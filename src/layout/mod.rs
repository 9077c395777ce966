//! Layout: the page. Frames on the character grid, threads flowing through text frames,
//! the headline group, the folio line and column rules, all turned into a
//! [`DisplayList`]. Overset text is an error unless the caller allows it.

mod debug;
pub mod display;
mod emit;
pub mod fit;
pub mod flow;
pub mod jump;
pub mod makeup;
mod marks;
pub mod origin;
pub mod picture;
pub mod quote;
pub mod thread;
pub mod wrap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::images::Image;
use crate::model::{Block, Frame, FrameContent, Job, Style, StyleId, TextFrame, ThreadId};
use crate::spec::layout::{Align, Color};
use crate::text::{self, Config, Line, StyledRun};
pub use display::{DisplayList, Glyph, Item, LineRole, Page, TextLine};
use flow::{baseline, text_line, Slot};

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Set what fits and report the rest instead of failing.
    pub allow_overset: bool,
    /// Draw the grid, frames, thread order and wrap contours in a non-printing layer.
    pub debug_grid: bool,
}

/// What composing a thread came to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThreadReport {
    pub name: String,
    pub frames: usize,
    pub columns: usize,
    pub lines: usize,
    /// Characters that did not fit, and the block where overset begins.
    pub overset_chars: usize,
    pub overset_from: Option<String>,
    /// Empty grid lines left at the end of the thread's last frames.
    pub underset_lines: usize,
    /// The columns that do not end flush or have holes (none: the thread is flush).
    pub unfilled: Vec<ColumnReport>,
    /// Where its heads stand, to find two side by side (撞题).
    pub heads: Vec<makeup::HeadBox>,
}

/// A text column of a thread that is not filled: where, and how.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnReport {
    /// The page, from 1.
    pub page: usize,
    /// The frame's id and the text column in it, from 1.
    pub frame: String,
    pub column: usize,
    /// Empty grid lines at the column's foot.
    pub foot: u32,
    /// Holes: first grid line of the page (from 1) and how many lines.
    pub holes: Vec<(u32, u32)>,
}

impl ColumnReport {
    /// Empty grid lines in the column: its foot and its holes.
    pub fn empty_lines(&self) -> u32 {
        self.foot + self.holes.iter().map(|h| h.1).sum::<u32>()
    }
}

/// What every step of composing a page reads.
pub struct Context<'a> {
    pub job: &'a Job,
    pub fonts: &'a FontBook,
    pub images: &'a [Image],
    pub options: Options,
    /// Errors that do not stop composing: every one is reported at the end.
    pub problems: std::cell::RefCell<Diagnostics>,
    /// The contours of each picture frame (page, frame, its lines and columns), as
    /// [`picture_exclusions`] made them: a copy-fit try resizes a picture or two, and the
    /// others' contours and captions need not be set again.
    pub contours: std::cell::RefCell<std::collections::HashMap<ContourKey, Vec<wrap::Exclusion>>>,
    /// The paragraphs broken so far, by the prepared texts of [`compose`] (which outlive
    /// it): the copy-fit's tries and the last layout share them.
    pub breaks: thread::BreakCache,
}

/// A picture frame where it stands: page, index among the page's frames, its first and last
/// grid line and column.
pub type ContourKey = (usize, usize, [u32; 4]);

pub struct Composition {
    pub display: DisplayList,
    /// The contours text was kept away from, with their offsets.
    pub exclusions: Vec<wrap::Exclusion>,
    pub threads: Vec<ThreadReport>,
    /// What did not fit (overset text, words wider than their columns), set anyway
    /// because overset was allowed: each is an error when it is not.
    pub overset: Vec<Diagnostic>,
    /// Widow and orphan lines and the like: the page was made, but look.
    pub warnings: Vec<Diagnostic>,
    /// What the copy-fit changed from the design as drawn, and how many layouts it tried.
    pub fit_changes: Vec<String>,
    pub fit_tries: u32,
    /// Where each frame and body line comes from (for the live proof).
    pub origins: origin::Origins,
}

/// Compose every page of the job. Every error found is reported, not just the first.
///
/// 1. Prepare each thread's text once ([`fit::prepare_thread`]).
/// 2. Copy-fit: choose picture heights, head space and tracking within the layout's
///    bounds so that columns end flush ([`fit::fit`]); each try is the pure flow.
/// 3. Draw the frames (fills, pictures, headline, folio, rules) as fitted, lay each thread
///    out once more with the choices made and emit its lines; marks and overlay last.
pub fn compose(job: &Job, fonts: &FontBook, images: &[Image], options: Options) -> Result<Composition, Diagnostics> {
    let mut display = DisplayList {
        width: job.page.width,
        height: job.page.height,
        bleed: job.print.bleed,
        slug: job.print.slug,
        pages: vec![Page::default(); job.pages.len()],
    };
    let mut found = Found::default();
    let mut exclusions = Vec::new();
    let cx = Context {
        job,
        fonts,
        images,
        options,
        problems: Default::default(),
        contours: Default::default(),
        breaks: Default::default(),
    };
    // Threads in the order their first frames appear: the reading order of the page.
    let mut order: Vec<ThreadId> = Vec::new();
    for id in job.pages.iter().flatten().filter_map(Frame::thread) {
        if !order.contains(&id) {
            order.push(id);
        }
    }
    let (slots, _) = thread_slots(job, &job.pages, &order);
    let texts: Vec<Vec<fit::BlockText>> = order.iter().map(|&id| fit::prepare_thread(&cx, id)).collect();
    let fitted = fit::fit(&cx, &order, &slots, &texts);
    let pages = &fitted.pages;
    // The copy-fit may have moved a section block's foot: the columns as fitted.
    let (slots, jumps) = thread_slots(job, pages, &order);
    let mut origins = origin::Origins::of_frames(job, pages);
    // Backgrounds and pictures first: text is drawn over fills, and flows round pictures.
    for (p, frames) in pages.iter().enumerate() {
        for frame in frames {
            let items = &mut display.pages[p].items;
            let frame_box = bleed_box(job, frame);
            if let Some(color) = frame.fill {
                let (x, y, width, height) = frame_box;
                items.push(Item::Fill { x, y, width, height, color });
            }
            if frame.picture().is_some() {
                if let Err(e) = picture::compose(&cx, frame, frame_box, p, items, &mut exclusions) {
                    cx.problems.borrow_mut().push_error(e);
                }
            } else if let Some(stroke) = frame.stroke {
                let (x0, y0, w, h) = frame_box;
                let outline = wrap::Outline::Rect { x0, y0, x1: x0 + w, y1: y0 + h };
                items.push(Item::Stroke { outline, width: stroke.width, color: stroke.color });
            }
            exclusions.extend(quote::exclusion(frame, self::frame_box(job, frame), p));
        }
    }
    for (p, frames) in pages.iter().enumerate() {
        for frame in frames {
            let items = &mut display.pages[p].items;
            let done = match &frame.content {
                FrameContent::Headline(story) => compose_headline(job, fonts, frame, *story, items),
                FrameContent::Box(_) => quote::compose(job, fonts, frame, items),
                FrameContent::Folio { text, text_right } => {
                    compose_folio(job, fonts, frame, (text, text_right.as_ref()), p, items)
                }
                FrameContent::Text(t) if job.grid.column_rules => {
                    column_rules(job, frame, t, p, &exclusions, items);
                    Ok(())
                }
                FrameContent::Text(_) | FrameContent::Picture(_) => Ok(()),
            };
            if let Err(e) = done {
                cx.problems.borrow_mut().push_error(e);
            }
            if frame.rule_below && !matches!(frame.content, FrameContent::Folio { .. }) {
                let (x, y, w, h) = frame_box(job, frame);
                items.push(Item::Rule { x0: x, y0: y + h, x1: x + w, y1: y + h, width: 0.75, color: Color::BLACK });
            }
        }
    }
    let mut threads = Vec::new();
    for (i, &id) in order.iter().enumerate() {
        let blocks = fit::blocks(&cx, id, &texts[i], &fitted.choices[i]);
        let report = compose_thread(
            &cx,
            id,
            &blocks,
            (&slots[i], &jumps[i]),
            &exclusions,
            (&mut display, &mut origins),
            &mut found,
        );
        if report.overset_chars > 0 {
            let from = report.overset_from.as_deref().unwrap_or("?");
            let d = Diagnostic::error(format!(
                "thread `{}`: {} characters do not fit its {} frame(s), from {from} on",
                report.name, report.overset_chars, report.frames,
            ))
            .at(job.edition_source.locate(from))
            .with_hint(fit::overset_hint(&cx, &fitted, id, &report));
            found.overset.push(d);
        } else if !report.unfilled.is_empty() {
            let empty: u32 = report.unfilled.iter().map(ColumnReport::empty_lines).sum();
            let d = Diagnostic::warning(format!(
                "thread `{}`: {empty} grid line(s) stay empty (the columns do not end flush)",
                report.name
            ))
            .with_hint(fit::underset_hint(&cx, empty));
            found.warnings.push(d);
        }
        threads.push(report);
    }
    found.warnings.extend(heads_side_by_side(job, &order, &threads));
    if let Some((rich, min_size)) = job.print.rich_black {
        // Large black type in rich black: deeper on press than 100 % K alone.
        for item in display.pages.iter_mut().flat_map(|p| p.items.iter_mut()) {
            if let Item::Text(line) = item {
                if line.color.is_pure_black() && line.glyphs.iter().all(|g| g.size >= min_size) {
                    line.color = rich;
                }
            }
        }
    }
    for (p, page) in display.pages.iter_mut().enumerate() {
        page.items.extend(marks::marks(job, fonts, p));
    }
    if options.debug_grid {
        debug::overlay(job, pages, fonts, &exclusions, &found.empty, &mut display);
    }
    found.warnings.extend(job.warnings.iter().cloned());
    let mut problems = cx.problems.into_inner();
    if !options.allow_overset {
        problems.extend(found.overset.drain(..));
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Composition {
        display,
        exclusions,
        threads,
        overset: found.overset,
        warnings: found.warnings,
        fit_changes: fitted.changes,
        fit_tries: fitted.tries,
        origins,
    })
}

/// A block's runs in its style, `extra` em of tracking added (what the copy-fit tries).
fn runs<'a>(block: &'a Block, style: &'a Style, extra: f32) -> Vec<StyledRun<'a>> {
    block
        .runs
        .iter()
        .map(|r| StyledRun {
            text: &r.text,
            fonts: if r.bold { &style.bold_fonts } else { &style.fonts },
            size: style.size,
            tracking: style.tracking + extra * style.size,
            tag: 0,
        })
        .collect()
}

/// A character no font of the chain draws: an error at the text's place in the edition
/// (a caption's at its photo's `caption`).
fn uncovered(job: &Job, fonts: &FontBook, origin: &str, e: text::Uncovered) -> Error {
    let es = &job.edition_source;
    let location = match origin.strip_prefix("caption of photo `").and_then(|r| r.strip_suffix('`')) {
        Some(id) => job
            .photos
            .iter()
            .position(|p| p.id == id)
            .map_or_else(|| es.at_start(), |i| es.locate(&format!("photos[{i}].caption"))),
        // A folio's text is the layout's.
        None if origin.starts_with("pages[") => job.layout_source.locate(origin),
        None => es.locate(origin),
    };
    Error::Input {
        location,
        message: format!(
            "no font covers {:?} (U+{:04X}) in {origin}; fonts tried: {}",
            e.ch,
            e.ch as u32,
            fonts.names(&e.fonts).join(", ")
        ),
    }
}

/// What composing found besides the display list: see [`Composition`].
#[derive(Default)]
struct Found {
    overset: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Empty grid lines in text columns (feet and holes), for the debug overlay.
    empty: Vec<debug::Empty>,
}

/// The text of a block prepared for line breaking in its style.
fn prepare_block(cx: &Context, block: &Block) -> Result<text::Prepared> {
    let style = cx.job.style(block.style);
    text::prepare(&runs(block, style, 0.0), cx.fonts, &style.config)
        .map_err(|e| uncovered(cx.job, cx.fonts, &block.origin, e))
}

/// A warning for each two heads that stand side by side (撞题), over all threads: the copy-fit
/// avoids it where it can, so what is left needs the designer.
fn heads_side_by_side(job: &Job, order: &[ThreadId], threads: &[ThreadReport]) -> Vec<Diagnostic> {
    let heads: Vec<(ThreadId, &makeup::HeadBox)> =
        order.iter().zip(threads).flat_map(|(&id, t)| t.heads.iter().map(move |h| (id, h))).collect();
    let boxes: Vec<makeup::HeadBox> = heads.iter().map(|(_, h)| (*h).clone()).collect();
    makeup::side_by_side(&boxes)
        .into_iter()
        .map(|(a, b)| {
            let origin = |k: usize| &job.thread(heads[k].0).blocks[heads[k].1.block].origin;
            let line = |k: usize| ((heads[k].1.top - job.page.area_top) / job.grid.pitch + 0.01).floor() as u32 + 1;
            Diagnostic::warning(format!(
                "the heads of {} (line {}) and {} (line {}) stand side by side on page {} (撞题): a reader takes them for one",
                origin(a),
                line(a),
                origin(b),
                line(b),
                heads[a].1.page + 1
            ))
            .at(job.edition_source.locate(origin(b)))
            .with_hint("move one of them: let a picture beside them grow or shrink (`grow:`/`shrink:`), or allow `fit.head_space`")
        })
        .collect()
}

/// Each thread's columns on `pages`, less the lines its jump lines take (they are set
/// before the flow, so the flow and the copy-fit count them), and those jump lines.
fn thread_slots(job: &Job, pages: &[Vec<Frame>], order: &[ThreadId]) -> (Vec<Vec<Slot>>, Vec<Vec<jump::Jump>>) {
    let mut slots: Vec<Vec<Slot>> = order.iter().map(|&id| flow::slots(pages, id, &job.page, &job.grid)).collect();
    let jumps = slots.iter_mut().map(|s| jump::reserve(job, s)).collect();
    (slots, jumps)
}

/// The contours the pictures of `pages` push text away from (their drawing is thrown away).
fn picture_exclusions(cx: &Context, pages: &[Vec<Frame>]) -> Vec<wrap::Exclusion> {
    let mut exclusions = Vec::new();
    let mut scratch = Vec::new();
    let mut contours = cx.contours.borrow_mut();
    for (p, frames) in pages.iter().enumerate() {
        for (f, frame) in frames.iter().enumerate().filter(|(_, f)| f.picture().is_some()) {
            let key = (p, f, [frame.line_first, frame.line_last, frame.col_first, frame.col_last]);
            let own = contours.entry(key).or_insert_with(|| {
                let mut own = Vec::new();
                let _ = picture::compose(cx, frame, bleed_box(cx.job, frame), p, &mut scratch, &mut own);
                scratch.clear();
                own
            });
            exclusions.extend(own.iter().cloned());
        }
        exclusions.extend(frames.iter().filter_map(|f| quote::exclusion(f, frame_box(cx.job, f), p)));
    }
    exclusions
}

/// Lay out one thread (the pure flow), then emit its lines into the display list.
fn compose_thread(
    cx: &Context,
    id: ThreadId,
    prepared: &[thread::PreparedBlock],
    (slots, jumps): (&[Slot], &[jump::Jump]),
    exclusions: &[wrap::Exclusion],
    (display, origins): (&mut DisplayList, &mut origin::Origins),
    found: &mut Found,
) -> ThreadReport {
    let job = cx.job;
    let blocks = &job.thread(id).blocks;
    let laid = thread::lay_thread_cached(prepared, slots, exclusions, job.grid.pitch, job.grid.char, &cx.breaks);
    let report = ThreadReport {
        name: job.thread(id).name.clone(),
        frames: job.frames_of(id).count(),
        columns: slots.len(),
        lines: laid.lines.len(),
        overset_chars: laid.overset.as_ref().map_or(0, |o| o.chars),
        overset_from: laid.overset.as_ref().map(|o| blocks[o.from_block].origin.clone()),
        underset_lines: laid.underset_lines,
        unfilled: laid
            .columns
            .iter()
            .filter(|c| c.empty_lines() > 0)
            .map(|c| {
                let slot = &slots[c.slot];
                let frame = &job.pages[slot.page][slot.frame];
                let first_line = ((slot.top - job.page.area_top) / job.grid.pitch + 0.01).floor() as u32 + 1;
                ColumnReport {
                    page: slot.page + 1,
                    frame: frame.id.clone(),
                    column: slot.column + 1,
                    foot: c.foot,
                    holes: c.holes.iter().map(|&(line, n)| (first_line + line, n)).collect(),
                }
            })
            .collect(),
        heads: makeup::heads(&laid, slots, blocks),
    };
    let pitch = job.grid.pitch;
    for c in &laid.columns {
        let slot = &slots[c.slot];
        let rect = |top: f32, lines: u32| debug::Empty {
            page: slot.page,
            x: slot.left,
            y: top,
            width: slot.width,
            height: lines as f32 * pitch,
        };
        if c.foot > 0 {
            found.empty.push(rect(slot.top + c.foot_from as f32 * pitch, c.foot));
        }
        for &(line, n) in &c.holes {
            found.empty.push(rect(slot.top + line as f32 * pitch, n));
        }
    }
    for (b, word, width) in &laid.overfull {
        let origin = &blocks[*b].origin;
        let d = Diagnostic::error(format!(
            "{origin}: `{word}` is wider than its column ({:.1} mm) and would print into the next one",
            width / crate::spec::units::PT_PER_MM
        ))
        .at(job.edition_source.locate(origin))
        .with_hint("break or shorten it");
        found.overset.push(d);
    }
    found.warnings.extend(laid.warnings.iter().cloned());
    found.warnings.extend(thread::across::crowded_heads(job, &laid, prepared));
    thread::across::clip_rules(display, &laid, slots);
    emit::thread_lines(&laid, prepared, slots, display, origins);
    if let Err(e) = jump::emit(job, cx.fonts, &laid, jumps, slots, display) {
        cx.problems.borrow_mut().push_error(e);
    }
    report
}

/// The frame's box grown out into the bleed on each side that lies on the type area's
/// edge, when the frame asks for it.
pub fn bleed_box(job: &Job, frame: &Frame) -> (f32, f32, f32, f32) {
    let (x, y, w, h) = frame_box(job, frame);
    if !frame.bleed {
        return (x, y, w, h);
    }
    let (p, g, out) = (&job.page, &job.grid, job.print.bleed);
    let (mut x0, mut y0, mut x1, mut y1) = (x, y, x + w, y + h);
    if frame.col_first == 0 {
        x0 = -out;
    }
    if frame.col_last + 1 == g.columns {
        x1 = p.width + out;
    }
    if frame.line_first == 0 {
        y0 = -out;
    }
    if frame.line_last + 1 == g.lines {
        y1 = p.height + out;
    }
    (x0, y0, x1 - x0, y1 - y0)
}

/// The frame's box on the page: left, top, width, height, in points.
pub fn frame_box(job: &Job, frame: &Frame) -> (f32, f32, f32, f32) {
    let grid = &job.grid;
    let left = job.page.area_left + grid.column_x(frame.col_first) + frame.offset.0;
    let top = job.page.area_top + frame.line_first as f32 * grid.pitch + frame.offset.1;
    let width = grid.range_width(frame.col_first, frame.col_last);
    let height = (frame.line_last - frame.line_first + 1) as f32 * grid.pitch;
    (left, top, width, height)
}

fn compose_headline(
    job: &Job,
    fonts: &FontBook,
    frame: &Frame,
    story: crate::model::story::StoryId,
    items: &mut Vec<Item>,
) -> Result<()> {
    let (left, top, width, height) = frame_box(job, frame);
    let story = &job.stories[story.0];
    let Some(h) = &story.headline else { return Ok(()) };
    let key = &story.headline_key;
    let names = &job.roles.names;
    let kind = story.kind.as_deref();
    let role = |r: &str| crate::model::story::role_style(&job.roles, &job.styles, kind, r);
    let mut parts: Vec<(Option<StyleId>, &str, String, String)> = Vec::new();
    if let Some(k) = &h.kicker {
        parts.push((role("headline_kicker"), &names.headline_kicker, k.clone(), format!("{key}.kicker")));
    }
    for (i, t) in h.title.iter().enumerate() {
        parts.push((role("headline"), &names.headline, t.clone(), format!("{key}.title[{i}]")));
    }
    if let Some(d) = &h.deck {
        parts.push((role("headline_deck"), &names.headline_deck, d.clone(), format!("{key}.deck")));
    }
    let mut set: Vec<(&Style, Vec<Line>, String)> = Vec::new();
    for (style, style_name, text, origin) in parts {
        let style = style.map(|id| job.style(id)).ok_or_else(|| {
            job.layout_source.error(
                "roles",
                format!("the edition has a {origin} but the layout has no style `{style_name}` to set it in"),
            )
        })?;
        let run = [StyledRun { text: &text, fonts: &style.fonts, size: style.size, tracking: style.tracking, tag: 0 }];
        let lines =
            text::set_paragraph(&run, fonts, &style.display, width).map_err(|e| uncovered(job, fonts, &origin, e))?;
        set.push((style, lines, origin));
    }
    let total: f32 = set.iter().map(|(s, lines, _)| s.leading * lines.len() as f32).sum();
    if total > height + 0.01 {
        // At the frame's `lines` in the layout, where the room is given.
        return Err(job.layout_source.error(
            &format!("{}.lines", job.frame_key(frame)),
            format!(
                "the headline of {} needs {:.1} mm but frame `{}` is {:.1} mm high",
                job.edition_source.path.display(),
                total / crate::spec::units::PT_PER_MM,
                frame.id,
                height / crate::spec::units::PT_PER_MM
            ),
        ));
    }
    let mut y = top + (height - total) / 2.0;
    for (style, lines, origin) in &set {
        for line in lines {
            if line.overfull {
                return Err(job.edition_source.error(origin, format!("it is wider than frame `{}`", frame.id)));
            }
            let base = baseline(y, style.leading, style.size);
            items.push(text_line(line, left, base, style.color, LineRole::Headline, origin));
            y += style.leading;
        }
    }
    Ok(())
}

/// Replace `{edition.title}`, `{edition.date}`, `{edition.year}` and `{page}`.
pub fn substitute(template: &str, job: &Job, page: usize) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').ok_or_else(|| format!("`{{` at `{}` is never closed", &rest[open..]))?;
        let name = &rest[open + 1..open + close];
        let d = job.date;
        let value = match name {
            "edition.title" => job.edition.title.clone(),
            "edition.year" => job.edition.year.to_string(),
            "edition.date" => format!("{}年{}月{}日", d.year, d.month, d.day),
            "page" => (page + 1).to_string(),
            "pages" => job.pages.len().to_string(),
            _ => {
                return Err(format!(
                    "unknown variable `{{{name}}}`; known: {{edition.title}}, {{edition.year}}, {{edition.date}}, {{page}}, {{pages}}{}",
                    crate::model::did_you_mean(name, ["edition.title", "edition.year", "edition.date", "page", "pages"])
                ))
            }
        };
        out.push_str(&value);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn compose_folio(
    job: &Job,
    fonts: &FontBook,
    frame: &Frame,
    (text, text_right): (&String, Option<&String>),
    page: usize,
    items: &mut Vec<Item>,
) -> Result<()> {
    let style = job.roles.folio.map(|id| job.style(id)).ok_or_else(|| {
        job.layout_source
            .error(&job.frame_key(frame), format!("a folio frame needs the style `{}`", job.roles.names.folio))
    })?;
    let (left, top, width, height) = frame_box(job, frame);
    let key = job.frame_key(frame);
    for (field, template, align) in [("text", Some(text), Align::Start), ("text_right", text_right, Align::End)] {
        let Some(template) = template else { continue };
        let text =
            substitute(template, job, page).map_err(|m| job.layout_source.error(&format!("{key}.{field}"), m))?;
        let run = [StyledRun { text: &text, fonts: &style.fonts, size: style.size, tracking: style.tracking, tag: 0 }];
        let cfg = Config { align, ..style.display };
        let lines = text::set_paragraph(&run, fonts, &cfg, width).map_err(|e| uncovered(job, fonts, &key, e))?;
        if lines.len() > 1 || lines.iter().any(|l| l.overfull) {
            return Err(job
                .layout_source
                .error(&format!("{key}.{field}"), "the folio text does not fit on one line of its frame"));
        }
        let base = baseline(top + height - style.leading, style.leading, style.size);
        for line in &lines {
            items.push(text_line(line, left, base, style.color, LineRole::Folio, &key));
        }
    }
    if frame.rule_below {
        let y = top + height;
        items.push(Item::Rule { x0: left, y0: y, x1: left + width, y1: y, width: 0.75, color: Color::BLACK });
    }
    Ok(())
}

/// Hairlines in the gutters of a text frame, broken where a picture's contour crosses.
fn column_rules(
    job: &Job,
    frame: &Frame,
    text: &TextFrame,
    page: usize,
    exclusions: &[wrap::Exclusion],
    items: &mut Vec<Item>,
) {
    let (_, top, _, height) = frame_box(job, frame);
    let columns = flow::text_columns(frame, text, &job.grid);
    for pair in columns.windows(2) {
        let ((left, width), (next, _)) = (pair[0], pair[1]);
        let x = job.page.area_left + (left + width + next) / 2.0;
        let mut runs = vec![(top, top + height)];
        for ex in exclusions.iter().filter(|e| e.page == page) {
            let Some((c0, c1)) = ex.outline.vertical_extent(x, ex.offset) else { continue };
            runs = runs
                .into_iter()
                .flat_map(|(a, b)| [(a, c0.min(b)), (c1.max(a), b)])
                .filter(|(a, b)| b - a > 0.5)
                .collect();
        }
        for (y0, y1) in runs {
            items.push(Item::Rule { x0: x, y0, x1: x, y1, width: 0.25, color: Color::BLACK });
        }
    }
}
