//! Pictures: a photo cropped to its frame or to a circle, ellipse or polygon, its
//! caption, and the contour it pushes text away from.

use super::display::{Item, LineRole};
use super::flow::{baseline, text_line};
use super::wrap::{Exclusion, Outline};
use crate::error::Result;
use crate::fonts::FontBook;
use crate::model::{Frame, Job, Picture};
use crate::spec::layout::{CaptionPlace, CreditPlace, Fit, Shape};
use crate::text::{self, StyledRun};

/// The frame's box: left, top, width, height.
pub type Box4 = (f32, f32, f32, f32);

/// Where the photo goes: the area left once the caption has its lines.
pub fn areas(frame_box: Box4, pic: &Picture, pitch: f32) -> (Box4, Option<Box4>) {
    let (x, y, w, h) = frame_box;
    let c = pic.caption_lines as f32 * pitch;
    match pic.caption {
        _ if pic.caption_lines == 0 => ((x, y, w, h), None),
        CaptionPlace::Below => ((x, y, w, h - c), Some((x, y + h - c, w, c))),
        CaptionPlace::Above => ((x, y + c, w, h - c), Some((x, y, w, c))),
        CaptionPlace::Overlay => ((x, y, w, h), Some((x, y + h - c, w, c))),
        CaptionPlace::None => ((x, y, w, h), None),
    }
}

/// The contour of the photo inside its area.
pub fn outline(area: Box4, pic: &Picture) -> Outline {
    let (x, y, w, h) = area;
    match pic.shape {
        Shape::Rect => Outline::Rect { x0: x, y0: y, x1: x + w, y1: y + h },
        Shape::Circle => {
            let r = w.min(h) / 2.0;
            Outline::Ellipse { cx: x + w / 2.0, cy: y + h / 2.0, rx: r, ry: r }
        }
        Shape::Ellipse => Outline::Ellipse { cx: x + w / 2.0, cy: y + h / 2.0, rx: w / 2.0, ry: h / 2.0 },
        Shape::Polygon => Outline::Polygon(pic.points.iter().map(|&(px, py)| (x + px * w, y + py * h)).collect()),
    }
}

/// The contour's bounding box.
pub fn bounds(o: &Outline) -> Box4 {
    match o {
        Outline::Rect { x0, y0, x1, y1 } => (*x0, *y0, x1 - x0, y1 - y0),
        Outline::Ellipse { cx, cy, rx, ry } => (cx - rx, cy - ry, 2.0 * rx, 2.0 * ry),
        Outline::Polygon(points) => {
            let (mut x0, mut y0, mut x1, mut y1) = (f32::INFINITY, f32::INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY);
            for &(px, py) in points {
                (x0, y0, x1, y1) = (x0.min(px), y0.min(py), x1.max(px), y1.max(py));
            }
            (x0, y0, x1 - x0, y1 - y0)
        }
    }
}

/// Where the whole photo lands so that it covers (or fits inside) `target`, with the
/// focus point kept in view.
pub fn placement(target: Box4, pixels: (u32, u32), fit: Fit, focus: (f32, f32)) -> Box4 {
    let (x, y, w, h) = target;
    let (pw, ph) = (pixels.0 as f32, pixels.1 as f32);
    let scale = match fit {
        Fit::Cover => (w / pw).max(h / ph),
        Fit::Contain => (w / pw).min(h / ph),
    };
    let (sw, sh) = (pw * scale, ph * scale);
    // Put the focus point as near the target's centre as the crop allows (never leave a
    // gap: `max` then `min`, as rounding can make `w - sw` a hair above zero).
    let (ox, oy) = match fit {
        Fit::Cover => ((w / 2.0 - focus.0 * sw).max(w - sw).min(0.0), (h / 2.0 - focus.1 * sh).max(h - sh).min(0.0)),
        Fit::Contain => ((w - sw) / 2.0, (h - sh) / 2.0),
    };
    (x + ox, y + oy, sw, sh)
}

pub fn compose(
    cx: &super::Context,
    frame: &Frame,
    frame_box: Box4,
    page: usize,
    items: &mut Vec<Item>,
    exclusions: &mut Vec<Exclusion>,
) -> Result<()> {
    let (job, fonts) = (cx.job, cx.fonts);
    let Some(pic) = frame.picture() else { return Ok(()) };
    let (area, caption_box) = areas(frame_box, pic, job.grid.pitch);
    let contour = outline(area, pic);
    let image = &cx.images[pic.photo.0];
    let (x, y, width, height) = placement(bounds(&contour), (image.width, image.height), pic.fit, pic.focus);
    items.push(Item::Image { image: pic.photo.0, x, y, width, height, clip: contour.clone() });
    if let Some(stroke) = frame.stroke {
        items.push(Item::Stroke { outline: contour.clone(), width: stroke.width, color: stroke.color });
    }
    if let Some(wrap) = pic.wrap {
        exclusions.push(Exclusion {
            page,
            outline: contour.clone(),
            offset: wrap.offset,
            side: wrap.side,
            min_width: wrap.min_width,
        });
    }
    if pic.credit == CreditPlace::Edge {
        credit_on_edge(job, fonts, frame, pic, area, items)?;
    }
    let Some(caption_box) = caption_box else { return Ok(()) };
    let (x0, x1) = caption(job, fonts, frame, pic, caption_box, items)?;
    if let (Some(wrap), false) = (pic.wrap, pic.caption == CaptionPlace::Overlay) {
        // A caption sits on whole grid lines, so nothing is kept free under it but the
        // lines it takes.
        // Under a rectangle the caption keeps the photo's whole width, as a column of type
        // under a photo does; under a round photo text runs in on both sides of it.
        let (cx0, cy, cw, ch) = caption_box;
        let (x0, x1) = match pic.shape {
            Shape::Rect => (cx0 + wrap.offset, cx0 + cw - wrap.offset),
            _ => (x0, x1),
        };
        exclusions.push(Exclusion {
            page,
            outline: Outline::Rect { x0: x0 - wrap.offset, y0: cy, x1: x1 + wrap.offset, y1: cy + ch - 0.01 },
            offset: 0.0,
            side: wrap.side,
            min_width: wrap.min_width,
        });
    }
    Ok(())
}

/// The photo's credit on the photo, flush right along its foot, half a grid character in,
/// in the `credit` role's style (or the caption's).
fn credit_on_edge(
    job: &Job,
    fonts: &FontBook,
    frame: &Frame,
    pic: &Picture,
    area: Box4,
    items: &mut Vec<Item>,
) -> Result<()> {
    let photo = &job.photos[pic.photo.0];
    let Some(credit) = &photo.credit else { return Ok(()) };
    let style = crate::model::story::role_style(&job.roles, &job.styles, None, "credit")
        .or(pic.caption_style)
        .or(job.roles.caption)
        .map(|id| job.style(id))
        .ok_or_else(|| {
            job.layout_source
                .error("roles", format!("frame `{}` sets a credit but there is no style `credit`", frame.id))
        })?;
    let (x, y, w, h) = area;
    let inset = job.grid.char / 2.0;
    let run = [StyledRun { text: credit, fonts: &style.fonts, size: style.size, tracking: style.tracking, tag: 0 }];
    let config = text::Config { indent: 0.0, align: crate::spec::layout::Align::End, ..style.config };
    let origin = format!("credit of photo `{}`", photo.id);
    let lines = text::set_paragraph(&run, fonts, &config, w - 2.0 * inset)
        .map_err(|e| super::uncovered(job, fonts, &origin, e))?;
    if lines.len() != 1 || lines[0].overfull || style.leading > h {
        return Err(job.layout_source.error(
            &format!("{}.credit", job.frame_key(frame)),
            format!(
                "the credit of photo `{}` ({}) does not fit on one line along the foot of frame `{}`",
                photo.id,
                job.edition_source.path.display(),
                frame.id
            ),
        ));
    }
    let top = y + h - style.leading - inset / 2.0;
    if let Some(color) = style.background {
        // A flat band behind the credit's ink, so that it reads on any photo.
        let line = &lines[0];
        let ink_left = line.glyphs.iter().map(|g| g.box_x).fold(f32::INFINITY, f32::min);
        if ink_left.is_finite() {
            let left = x + inset + ink_left - inset / 2.0;
            let width = x + w - left;
            items.push(Item::Fill { x: left, y: top - inset / 2.0, width, height: y + h - top + inset / 2.0, color });
        }
    }
    let base = baseline(top, style.leading, style.size);
    items.push(text_line(&lines[0], x + inset, base, style.color, LineRole::Caption, &origin));
    Ok(())
}

/// Set the caption in `area`; the left and right edges of its ink.
fn caption(
    job: &Job,
    fonts: &FontBook,
    frame: &Frame,
    pic: &Picture,
    area: Box4,
    items: &mut Vec<Item>,
) -> Result<(f32, f32)> {
    let photo = &job.photos[pic.photo.0];
    let style = pic.caption_style.or(job.roles.caption).map(|id| job.style(id)).ok_or_else(|| {
        job.layout_source.error(
            "roles.caption",
            format!("frame `{}` has a caption but there is no style `{}`", frame.id, job.roles.names.caption),
        )
    })?;
    let (x, y, w, h) = area;
    if let (CaptionPlace::Overlay, Some(band)) = (pic.caption, style.background) {
        items.push(Item::Fill { x, y, width: w, height: h, color: band });
    }
    let inset = if pic.caption == CaptionPlace::Overlay { job.grid.char } else { 0.0 };
    let text = photo.caption_text(pic.credit);
    let run = [StyledRun { text: &text, fonts: &style.fonts, size: style.size, tracking: style.tracking, tag: 0 }];
    let config = text::Config { indent: 0.0, ..style.config };
    let origin = format!("caption of photo `{}`", photo.id);
    let lines = text::set_paragraph(&run, fonts, &config, w - 2.0 * inset)
        .map_err(|e| super::uncovered(job, fonts, &origin, e))?;
    let needed = lines.len() as f32 * style.leading;
    if needed > h + 0.01 || lines.iter().any(|l| l.overfull) {
        // Where it is fixed: the frame's `caption_lines` (or the frame) in the layout; the
        // caption's own place is named in the message.
        let key = format!("{}.caption_lines", job.frame_key(frame));
        let caption_at = job.photos[pic.photo.0].asked_at.line;
        return Err(job.layout_source.error(
            &key,
            format!(
                "the caption of photo `{}` ({} line {caption_at}) needs {} line(s) of {:.1}pt but frame `{}` gives it {:.1}pt; raise caption_lines or shorten it",
                photo.id,
                job.edition_source.path.display(),
                lines.len(),
                style.leading,
                frame.id,
                h
            ),
        ));
    }
    let mut top = y + (h - needed) / 2.0;
    let (mut left, mut right) = (f32::INFINITY, f32::NEG_INFINITY);
    for line in &lines {
        let base = baseline(top, style.leading, style.size);
        for g in &line.glyphs {
            left = left.min(x + inset + g.box_x);
            right = right.max(x + inset + g.box_x + g.box_width);
        }
        items.push(text_line(line, x + inset, base, style.color, LineRole::Caption, &origin));
        top += style.leading;
    }
    if left > right {
        return Ok((x, x + w));
    }
    Ok((left, right))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_crops_around_the_focus() {
        // A 2:1 photo covering a square of 100: scaled to 200 × 100.
        let (x, y, w, h) = placement((0.0, 0.0, 100.0, 100.0), (2000, 1000), Fit::Cover, (0.5, 0.5));
        assert_eq!((w, h), (200.0, 100.0));
        assert_eq!((x, y), (-50.0, 0.0));
        // Focus on the left edge: the crop keeps the left.
        let (x, ..) = placement((0.0, 0.0, 100.0, 100.0), (2000, 1000), Fit::Cover, (0.0, 0.5));
        assert_eq!(x, 0.0);
        let (x, ..) = placement((0.0, 0.0, 100.0, 100.0), (2000, 1000), Fit::Cover, (1.0, 0.5));
        assert_eq!(x, -100.0);
    }

    #[test]
    fn contain_shows_the_whole_photo_centred() {
        let (x, y, w, h) = placement((0.0, 0.0, 100.0, 100.0), (2000, 1000), Fit::Contain, (0.0, 0.0));
        assert_eq!((x, y, w, h), (0.0, 25.0, 100.0, 50.0));
    }

    #[test]
    fn circle_is_centred_in_the_area() {
        let pic = Picture {
            photo: crate::model::PhotoId(0),
            fit: Fit::Cover,
            focus: (0.5, 0.5),
            shape: Shape::Circle,
            points: vec![],
            caption: CaptionPlace::Below,
            caption_lines: 2,
            caption_style: None,
            credit: CreditPlace::After,
            wrap: None,
            grow: 0,
            shrink: 0,
            moves: 0,
        };
        let (area, caption) = areas((0.0, 0.0, 243.0, 270.0), &pic, 13.5);
        assert_eq!(area, (0.0, 0.0, 243.0, 243.0));
        assert_eq!(caption, Some((0.0, 243.0, 243.0, 27.0)));
        assert_eq!(outline(area, &pic), Outline::Ellipse { cx: 121.5, cy: 121.5, rx: 121.5, ry: 121.5 });
    }
}
