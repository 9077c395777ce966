//! Layout: the page. Frames on the character grid, threads flowing through text frames,
//! the headline group, the folio line and column rules, all turned into a
//! [`DisplayList`]. Overset text is an error unless the caller allows it.

mod debug;
pub mod display;
mod emit;
pub mod flow;
mod marks;
pub mod picture;
pub mod thread;
pub mod wrap;

use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::images::Image;
use crate::model::{Block, Frame, Job, Style};
use crate::spec::layout::{Align, Color, FrameKind};
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
}

/// What every step of composing a page reads.
pub struct Context<'a> {
    pub job: &'a Job,
    pub fonts: &'a FontBook,
    pub images: &'a [Image],
    pub options: Options,
    /// Errors that do not stop composing (they are all reported at the end).
    pub problems: std::cell::RefCell<Vec<Error>>,
}

pub struct Composition {
    pub display: DisplayList,
    /// The contours text was kept away from, with their offsets.
    pub exclusions: Vec<wrap::Exclusion>,
    pub threads: Vec<ThreadReport>,
    /// What did not fit (overset text, words wider than their columns), set anyway
    /// because overset was allowed: each is an error when it is not.
    pub overset: Vec<String>,
    pub warnings: Vec<String>,
}

/// Compose every page of the job.
pub fn compose(job: &Job, fonts: &FontBook, images: &[Image], options: Options) -> Result<Composition> {
    let mut display = DisplayList {
        width: job.page.width,
        height: job.page.height,
        bleed: job.print.bleed,
        slug: job.print.slug,
        pages: vec![Page::default(); job.pages.len()],
    };
    let mut found = Found::default();
    let mut exclusions = Vec::new();
    let cx = Context { job, fonts, images, options, problems: Default::default() };
    // Backgrounds and pictures first: text is drawn over fills, and flows round pictures.
    for (p, frames) in job.pages.iter().enumerate() {
        for frame in frames {
            let items = &mut display.pages[p].items;
            let frame_box = bleed_box(job, frame);
            if let Some(color) = frame.fill {
                let (x, y, width, height) = frame_box;
                items.push(Item::Fill { x, y, width, height, color });
            }
            if frame.kind == FrameKind::Picture {
                picture::compose(&cx, frame, frame_box, p, items, &mut exclusions)?;
            } else if let Some(stroke) = frame.stroke {
                let (x0, y0, w, h) = frame_box;
                let outline = wrap::Outline::Rect { x0, y0, x1: x0 + w, y1: y0 + h };
                items.push(Item::Stroke { outline, width: stroke.width, color: stroke.color });
            }
        }
    }
    for (p, frames) in job.pages.iter().enumerate() {
        for frame in frames {
            let items = &mut display.pages[p].items;
            match frame.kind {
                FrameKind::Headline => compose_headline(job, fonts, frame, items)?,
                FrameKind::Folio => compose_folio(job, fonts, frame, p, items)?,
                FrameKind::Text if job.grid.column_rules => column_rules(job, frame, p, &exclusions, items),
                FrameKind::Text | FrameKind::Picture | FrameKind::Box => {}
            }
            if frame.rule_below && frame.kind != FrameKind::Folio {
                let (x, y, w, h) = frame_box(job, frame);
                items.push(Item::Rule { x0: x, y0: y + h, x1: x + w, y1: y + h, width: 0.75, color: Color::BLACK });
            }
        }
    }
    // Threads in the order their first frames appear: the reading order of the page.
    let mut order: Vec<&str> = Vec::new();
    for name in job.pages.iter().flatten().filter_map(|f| f.thread.as_deref()) {
        if !order.contains(&name) {
            order.push(name);
        }
    }
    let mut threads = Vec::new();
    for name in order {
        let blocks = &job.threads[name];
        let slots = flow::slots(&job.pages, name, &job.page, &job.grid);
        let report = compose_thread(&cx, name, blocks, &slots, &exclusions, &mut display, &mut found)?;
        if report.overset_chars > 0 {
            let message = format!(
                "thread `{name}`: {} characters do not fit its {} frame(s), from {} on; add frames or lines, or shorten the text",
                report.overset_chars,
                report.frames,
                report.overset_from.as_deref().unwrap_or("?")
            );
            if !options.allow_overset {
                return Err(Error::Overset(format!("{}: {message}", job.edition_source.path.display())));
            }
            found.overset.push(message);
        }
        threads.push(report);
    }
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
        debug::overlay(job, fonts, &exclusions, &mut display);
    }
    let problems = cx.problems.into_inner();
    if !problems.is_empty() {
        return Err(if problems.len() == 1 {
            problems.into_iter().next().expect("one")
        } else {
            Error::Many(problems)
        });
    }
    Ok(Composition { display, exclusions, threads, overset: found.overset, warnings: found.warnings })
}

fn runs<'a>(block: &'a Block, style: &'a Style) -> Vec<StyledRun<'a>> {
    block
        .runs
        .iter()
        .map(|r| StyledRun {
            text: &r.text,
            fonts: if r.bold { &style.bold_fonts } else { &style.fonts },
            size: style.size,
            tracking: style.tracking,
            tag: 0,
        })
        .collect()
}

fn uncovered(job: &Job, fonts: &FontBook, origin: &str, e: text::Uncovered) -> Error {
    Error::Uncovered {
        file: job.edition_source.path.clone(),
        ch: e.ch,
        place: origin.to_owned(),
        fonts: fonts.names(&e.fonts),
    }
}

/// What composing found besides the display list: see [`Composition`].
#[derive(Default)]
struct Found {
    overset: Vec<String>,
    warnings: Vec<String>,
}

/// Lay out one thread (the pure flow), then emit its lines into the display list.
fn compose_thread(
    cx: &Context,
    name: &str,
    blocks: &[Block],
    slots: &[Slot],
    exclusions: &[wrap::Exclusion],
    display: &mut DisplayList,
    found: &mut Found,
) -> Result<ThreadReport> {
    let (job, fonts) = (cx.job, cx.fonts);
    let prepared: Vec<thread::PreparedBlock> = blocks
        .iter()
        .map(|block| {
            let style = job.style(&block.style);
            let prepared = match text::prepare(&runs(block, style), fonts, &style.config) {
                Ok(p) => Some(p),
                // Note it and go on: every paragraph with a character no font covers is named.
                Err(e) => {
                    cx.problems.borrow_mut().push(uncovered(job, fonts, &block.origin, e));
                    None
                }
            };
            thread::PreparedBlock { block, style, prepared }
        })
        .collect();
    let laid = thread::lay_thread(&prepared, slots, exclusions, job.grid.pitch, job.grid.char);
    let mut report = ThreadReport {
        name: name.to_owned(),
        frames: job.pages.iter().flatten().filter(|f| f.thread.as_deref() == Some(name)).count(),
        columns: slots.len(),
        lines: laid.lines.len(),
        overset_chars: laid.overset.as_ref().map_or(0, |o| o.chars),
        overset_from: laid.overset.as_ref().map(|o| blocks[o.from_block].origin.clone()),
        underset_lines: laid.underset_lines,
    };
    if let Some((b, word, width)) = laid.overfull.first() {
        let message = format!(
            "{}: `{word}` is wider than its column ({:.1} mm) and would print into the next one; break or shorten it",
            blocks[*b].origin,
            width / crate::spec::units::PT_PER_MM
        );
        if !cx.options.allow_overset {
            return Err(Error::Overset(format!("{}: {message}", job.edition_source.path.display())));
        }
    }
    for (b, word, width) in &laid.overfull {
        found.overset.push(format!(
            "{}: `{word}` is wider than its column ({:.1} mm) and would print into the next one; break or shorten it",
            blocks[*b].origin,
            width / crate::spec::units::PT_PER_MM
        ));
    }
    found.warnings.extend(laid.warnings.iter().map(|d| d.message.clone()));
    emit::thread_lines(&laid, &prepared, slots, display);
    if laid.overset.is_none() {
        report.underset_lines = laid.underset_lines;
    }
    Ok(report)
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

fn compose_headline(job: &Job, fonts: &FontBook, frame: &Frame, items: &mut Vec<Item>) -> Result<()> {
    let (left, top, width, height) = frame_box(job, frame);
    let h = &job.headline;
    let roles = &job.roles;
    let mut parts: Vec<(&str, String, String)> = Vec::new();
    if let Some(k) = &h.kicker {
        parts.push((roles.headline_kicker.as_str(), k.clone(), "headline.kicker".into()));
    }
    for (i, t) in h.title.iter().enumerate() {
        parts.push((roles.headline.as_str(), t.clone(), format!("headline.title[{i}]")));
    }
    if let Some(d) = &h.deck {
        parts.push((roles.headline_deck.as_str(), d.clone(), "headline.deck".into()));
    }
    let mut set: Vec<(&Style, Vec<Line>, String)> = Vec::new();
    for (style_name, text, origin) in parts {
        let style = job.styles.get(style_name).ok_or_else(|| {
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
        return Err(Error::Overset(format!(
            "{}: the headline needs {:.1} mm but frame `{}` is {:.1} mm high",
            job.edition_source.path.display(),
            total / crate::spec::units::PT_PER_MM,
            frame.id,
            height / crate::spec::units::PT_PER_MM
        )));
    }
    let mut y = top + (height - total) / 2.0;
    for (style, lines, origin) in &set {
        for line in lines {
            if line.overfull {
                return Err(Error::Overset(format!(
                    "{}: {origin} is wider than frame `{}`",
                    job.edition_source.path.display(),
                    frame.id
                )));
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

fn frame_key(job: &Job, frame: &Frame) -> String {
    for (p, frames) in job.pages.iter().enumerate() {
        if let Some(f) = frames.iter().position(|f| f.id == frame.id) {
            return format!("pages[{p}].frames[{f}]");
        }
    }
    "pages".into()
}

fn compose_folio(job: &Job, fonts: &FontBook, frame: &Frame, page: usize, items: &mut Vec<Item>) -> Result<()> {
    let style = job.styles.get(&job.roles.folio).ok_or_else(|| {
        job.layout_source.error(&frame_key(job, frame), format!("a folio frame needs the style `{}`", job.roles.folio))
    })?;
    let (left, top, width, height) = frame_box(job, frame);
    let key = frame_key(job, frame);
    for (field, template, align) in [("text", &frame.text, Align::Start), ("text_right", &frame.text_right, Align::End)]
    {
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
fn column_rules(job: &Job, frame: &Frame, page: usize, exclusions: &[wrap::Exclusion], items: &mut Vec<Item>) {
    let (_, top, _, height) = frame_box(job, frame);
    let columns = flow::text_columns(frame, &job.grid);
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
