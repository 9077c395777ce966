//! The proof's map: every frame and every line of text on each page as a box in points,
//! with what it is and where it comes from (frame, thread, block, and the place in the
//! YAML file that says it). A click in the browser looks the point up here.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::error::Location;
use crate::layout::origin::FrameOrigin;
use crate::layout::{Composition, Item, LineRole};
use crate::model::Job;

/// A place in a file for the browser: the file as the build names it, line, column, and a
/// link that opens it in VS Code.
pub fn place(loc: &Location) -> Value {
    json!({
        "file": loc.file.display().to_string(),
        "line": loc.line,
        "column": loc.column,
        "link": editor_link(loc),
    })
}

/// `vscode://file/ABS:LINE:COL`.
pub fn editor_link(loc: &Location) -> String {
    format!("vscode://file{}:{}:{}", super::absolute(&loc.file).display(), loc.line, loc.column)
}

fn frame_json(job: &Job, f: &FrameOrigin) -> Value {
    json!({
        "id": f.id,
        "kind": f.kind,
        "thread": f.thread.as_ref().map(|(name, _)| name),
        "order": f.thread.as_ref().map(|(_, n)| n),
        "key": f.key,
        "x": f.x, "y": f.y, "w": f.width, "h": f.height,
        "source": place(&job.layout_source.locate(&f.key)),
    })
}

/// `{"pages": [{"frames": [...], "lines": [...]}, ...]}`: each frame with its id, kind,
/// thread and place in it, layout key and box; each line with its box, role, text, the
/// frame it lies in (an index of the page's frames), its column, the block it was set
/// from and that block's place.
pub fn map(job: &Job, c: &Composition) -> Value {
    let origins = &c.origins;
    let body: HashMap<(usize, usize), _> = origins.lines.iter().map(|l| ((l.page, l.item), l)).collect();
    // Captions: the photo's place in the edition.
    let photos: HashMap<String, &Location> =
        job.photos.iter().map(|p| (format!("caption of photo `{}`", p.id), &p.asked_at)).collect();
    let mut pages = Vec::new();
    for (p, page) in c.display.pages.iter().enumerate() {
        let on_page: Vec<&FrameOrigin> = origins.frames.iter().filter(|f| f.page == p).collect();
        let index_of = |f: &FrameOrigin| on_page.iter().position(|g| g.index == f.index);
        let frames: Vec<Value> = on_page.iter().map(|f| frame_json(job, f)).collect();
        let mut lines = Vec::new();
        for (i, item) in page.items.iter().enumerate() {
            let Item::Text(line) = item else { continue };
            let size = line.glyphs.iter().map(|g| g.size).fold(0.0, f32::max);
            if size <= 0.0 || line.role == LineRole::Debug {
                continue;
            }
            let (top, height) = (line.baseline - 0.88 * size, 1.12 * size);
            // The slug's line lies outside the trimmed page, which is all the proof shows.
            if top + height < 0.0 || top > c.display.height {
                continue;
            }
            let (frame, column) = match body.get(&(p, i)) {
                Some(l) => (index_of(&origins.frames[l.frame]), Some(l.column + 1)),
                None => {
                    let kind = match line.role {
                        LineRole::Headline => "headline",
                        LineRole::Folio => "folio",
                        LineRole::Caption => "picture",
                        _ => "text",
                    };
                    (
                        origins
                            .frame_at(p, line.left + 0.5 * line.measure, top + 0.5 * height, kind)
                            .and_then(index_of),
                        None,
                    )
                }
            };
            let source = if let Some(loc) = photos.get(&line.origin) {
                Some((*loc).clone())
            } else if line.origin.starts_with("pages[") {
                Some(job.layout_source.locate(&line.origin))
            } else if line.role == LineRole::Folio {
                None
            } else {
                Some(job.edition_source.locate(&line.origin))
            };
            let text: String = line.glyphs.iter().map(|g| g.text).collect();
            lines.push(json!({
                "x": line.left, "y": top, "w": line.measure, "h": height,
                "role": format!("{:?}", line.role).to_lowercase(),
                "text": text,
                "frame": frame,
                "column": column,
                "block": line.origin,
                // The block as messages name it: `section `economy`, paragraph 1`.
                "place": job.readable_in(&line.origin),
                "source": source.as_ref().map(place),
            }));
        }
        pages.push(json!({ "frames": frames, "lines": lines }));
    }
    json!({ "width": c.display.width, "height": c.display.height, "pages": pages })
}
