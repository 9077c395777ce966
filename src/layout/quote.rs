//! Boxes in the columns: the contour a box with `wrap:` pushes text away from, as a
//! picture does, and the pull quote (引语) a box sets, in the `pullquote` role's style,
//! centred in the box.

use super::display::{Item, LineRole};
use super::flow::{baseline, text_line};
use super::wrap::{Exclusion, Outline};
use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::model::story::{self, Item as StoryItem};
use crate::model::{inline, Frame, FrameContent, Job};
use crate::text::{self, StyledRun};

/// The contour text keeps away from: the box's rectangle, for a box that wraps.
pub fn exclusion(frame: &Frame, frame_box: (f32, f32, f32, f32), page: usize) -> Option<Exclusion> {
    let FrameContent::Box(b) = &frame.content else { return None };
    let wrap = b.wrap?;
    let (x, y, w, h) = frame_box;
    Some(Exclusion {
        page,
        outline: Outline::Rect { x0: x, y0: y, x1: x + w, y1: y + h },
        offset: wrap.offset,
        side: wrap.side,
        min_width: wrap.min_width,
    })
}

/// Set the box's pull quote, one grid character in from its sides, centred top to bottom.
pub fn compose(job: &Job, fonts: &FontBook, frame: &Frame, items: &mut Vec<Item>) -> Result<()> {
    let FrameContent::Box(b) = &frame.content else { return Ok(()) };
    let Some((story_id, item)) = b.quote else { return Ok(()) };
    let story = &job.stories[story_id.0];
    let StoryItem::Quote(quote) = &story.items[item] else { return Ok(()) };
    let style = story::role_style(&job.roles, &job.styles, story.kind.as_deref(), "pullquote")
        .map(|id| job.style(id))
        .ok_or_else(|| {
            job.layout_source.error(
                "roles",
                format!(
                    "frame `{}` sets a pull quote, but the layout has no style `pullquote` (or `roles.pullquote`)",
                    frame.id
                ),
            )
        })?;
    let (left, top, width, height) = super::frame_box(job, frame);
    let inset = job.grid.char;
    let parsed = inline::parse_inline(&quote.text).map_err(|m| job.edition_source.error(&quote.origin, m))?;
    let runs: Vec<StyledRun> = parsed
        .iter()
        .map(|r| StyledRun {
            text: &r.text,
            fonts: if r.bold { &style.bold_fonts } else { &style.fonts },
            size: style.size,
            tracking: style.tracking,
            tag: 0,
        })
        .collect();
    let lines = text::set_paragraph(&runs, fonts, &style.display, width - 2.0 * inset)
        .map_err(|e| super::uncovered(job, fonts, &quote.origin, e))?;
    let total = style.leading * lines.len() as f32;
    if total > height + 0.01 || lines.iter().any(|l| l.overfull) {
        return Err(Error::Overset(format!(
            "{}: the pull quote {} needs {} line(s) of {:.1} mm but box `{}` is {:.1} mm high",
            job.edition_source.path.display(),
            quote.origin,
            lines.len(),
            style.leading / crate::spec::units::PT_PER_MM,
            frame.id,
            height / crate::spec::units::PT_PER_MM
        )));
    }
    let mut y = top + (height - total) / 2.0;
    for line in &lines {
        let base = baseline(y, style.leading, style.size);
        items.push(text_line(line, left + inset, base, style.color, LineRole::Headline, &quote.origin));
        y += style.leading;
    }
    Ok(())
}
