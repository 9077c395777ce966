//! Where what is on the page comes from: every frame as placed (after the copy-fit) with
//! its key in the layout and its thread, and every body line with the frame and column it
//! was set in. The live proof (`paiban serve`) answers a click with it; the display list
//! itself stays what the renderer needs.

use super::display::DisplayList;
use crate::model::{Frame, Job};
use crate::spec::layout::FrameKind;

/// The origins of one composition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origins {
    /// Every frame of every page, in page and frame order.
    pub frames: Vec<FrameOrigin>,
    /// The lines threads set, each pointing into the display list and at its frame.
    pub lines: Vec<LineOrigin>,
}

/// A frame as placed.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameOrigin {
    /// The page, from 0, and the frame's place among its page's frames, from 0.
    pub page: usize,
    pub index: usize,
    pub id: String,
    /// `text`, `headline`, `folio`, `picture` or `box`.
    pub kind: &'static str,
    /// The thread it carries and its place in it, from 1 (`main`, 2: the second frame).
    pub thread: Option<(String, usize)>,
    /// The frame's key in the layout (`pages[0].frames[3]`).
    pub key: String,
    /// Left, top, width, height in points from the trimmed page's top-left corner.
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// A line a thread set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineOrigin {
    /// The page, from 0, and the line's index among the page's display items.
    pub page: usize,
    pub item: usize,
    /// The frame, as an index of [`Origins::frames`], and the text column in it, from 0.
    pub frame: usize,
    pub column: usize,
}

impl Origins {
    /// The frames of `pages` (the job's frames as the copy-fit placed them).
    pub fn of_frames(job: &Job, pages: &[Vec<Frame>]) -> Origins {
        let mut frames = Vec::new();
        for (p, page) in pages.iter().enumerate() {
            for (f, frame) in page.iter().enumerate() {
                let (x, y, width, height) = super::frame_box(job, frame);
                let thread = frame.thread().map(|t| {
                    let n = job.frames_of(t).position(|(_, other)| other.id == frame.id);
                    (job.thread(t).name.clone(), n.map_or(1, |n| n + 1))
                });
                let kind = match frame.kind() {
                    FrameKind::Text => "text",
                    FrameKind::Headline => "headline",
                    FrameKind::Folio => "folio",
                    FrameKind::Picture => "picture",
                    FrameKind::Box => "box",
                };
                let key = format!("pages[{p}].frames[{f}]");
                frames.push(FrameOrigin {
                    page: p,
                    index: f,
                    id: frame.id.clone(),
                    kind,
                    thread,
                    key,
                    x,
                    y,
                    width,
                    height,
                });
            }
        }
        Origins { frames, lines: Vec::new() }
    }

    /// Note that the last item pushed on page `page` of `display` is a line of the frame
    /// `frame` (index among its page's frames), text column `column`.
    pub fn line_pushed(&mut self, display: &DisplayList, page: usize, frame: usize, column: usize) {
        let Some(item) = display.pages[page].items.len().checked_sub(1) else { return };
        let Some(frame) = self.frames.iter().position(|f| f.page == page && f.index == frame) else { return };
        self.lines.push(LineOrigin { page, item, frame, column });
    }

    /// The frame whose box holds the point `(x, y)` of page `page`, preferring frames of
    /// `kind` (a caption lies in its picture frame, which may lie inside a text frame).
    pub fn frame_at(&self, page: usize, x: f32, y: f32, kind: &str) -> Option<&FrameOrigin> {
        let holds = |f: &&FrameOrigin| {
            f.page == page && x >= f.x - 0.5 && x <= f.x + f.width + 0.5 && y >= f.y - 0.5 && y <= f.y + f.height + 0.5
        };
        let mut here = self.frames.iter().filter(holds);
        let first = here.clone().next();
        here.find(|f| f.kind == kind).or(first)
    }
}
