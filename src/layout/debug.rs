//! The designer's overlay (`--debug-grid`): the line grid and basic columns, every frame
//! with its name and thread order, and the contours text wraps round (grown by their
//! offsets), and in red every empty grid line of a text column (a short foot, a hole). It
//! goes into a separate layer that is shown on screen and never printed.

use super::display::{DisplayList, Item, LineRole};
use super::flow::text_line;
use super::wrap::{Exclusion, Outline};
use crate::fonts::FontBook;
use crate::model::{Frame, Job};
use crate::spec::layout::{Align, Color};
use crate::text::{self, StyledRun};

const GRID: Color = Color::cmyk(0.5, 0.0, 0.0, 0.0);
const FRAME: Color = Color::cmyk(0.0, 1.0, 0.0, 0.0);
const WRAP: Color = Color::cmyk(0.0, 0.6, 1.0, 0.0);
const EMPTY: Color = Color::cmyk(0.0, 0.55, 0.4, 0.0);

/// Empty grid lines of a text column: page (from 0) and box in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Empty {
    pub page: usize,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

fn grown(o: &Outline, offset: f32) -> Outline {
    match o {
        Outline::Rect { x0, y0, x1, y1 } => {
            Outline::Rect { x0: x0 - offset, y0: y0 - offset, x1: x1 + offset, y1: y1 + offset }
        }
        Outline::Ellipse { cx, cy, rx, ry } => Outline::Ellipse { cx: *cx, cy: *cy, rx: rx + offset, ry: ry + offset },
        // Text keeps `offset` away from the polygon across and down (wrap::polygon_extent):
        // the polygon swept by that square, which for a convex polygon is the hull of its
        // corners moved by ±offset each way.
        Outline::Polygon(p) => Outline::Polygon(convex_hull(p.iter().flat_map(|&(x, y)| {
            [(x - offset, y - offset), (x + offset, y - offset), (x + offset, y + offset), (x - offset, y + offset)]
        }))),
    }
}

/// The convex hull of `points` (Andrew's monotone chain), counter-clockwise.
fn convex_hull(points: impl Iterator<Item = (f32, f32)>) -> Vec<(f32, f32)> {
    let mut points: Vec<(f32, f32)> = points.collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    points.dedup();
    if points.len() < 3 {
        return points;
    }
    let cross = |o: (f32, f32), a: (f32, f32), b: (f32, f32)| (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0);
    let mut hull: Vec<(f32, f32)> = Vec::with_capacity(points.len() * 2);
    for pass in [&points[..], &points.iter().rev().copied().collect::<Vec<_>>()[..]] {
        let start = hull.len();
        for &p in pass {
            while hull.len() >= start + 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

pub fn overlay(
    job: &Job,
    pages: &[Vec<Frame>],
    fonts: &FontBook,
    exclusions: &[Exclusion],
    empty: &[Empty],
    display: &mut DisplayList,
) {
    let (g, page) = (&job.grid, &job.page);
    let label_style = Some(job.style(job.roles.body));
    for (p, frames) in pages.iter().enumerate() {
        let debug = &mut display.pages[p].debug;
        // Under the grid: a tint where a column's text should stand and does not.
        for e in empty.iter().filter(|e| e.page == p) {
            debug.push(Item::Fill { x: e.x, y: e.y, width: e.width, height: e.height, color: EMPTY });
        }
        let (left, right) = (page.area_left, page.area_left + g.total_width());
        for line in 0..=g.lines {
            let y = page.area_top + line as f32 * g.pitch;
            debug.push(Item::Rule { x0: left, y0: y, x1: right, y1: y, width: 0.1, color: GRID });
        }
        let bottom = page.area_top + g.lines as f32 * g.pitch;
        for c in 0..g.columns {
            for x in [left + g.column_x(c), left + g.column_x(c) + g.column_width()] {
                debug.push(Item::Rule { x0: x, y0: page.area_top, x1: x, y1: bottom, width: 0.2, color: GRID });
            }
        }
        for frame in frames {
            let (x0, y0, w, h) = super::frame_box(job, frame);
            debug.push(Item::Stroke {
                outline: Outline::Rect { x0, y0, x1: x0 + w, y1: y0 + h },
                width: 0.75,
                color: FRAME,
            });
            let order = frame.thread().map(|t| {
                let n = job.frames_of(t).position(|(_, f)| f.id == frame.id);
                format!(" → {} #{}", job.thread(t).name, n.map_or(0, |n| n + 1))
            });
            let label = format!("{}{}", frame.id, order.unwrap_or_default());
            if let Some(style) = label_style {
                let run = [StyledRun { text: &label, fonts: &style.fonts, size: 6.0, tracking: 0.0, tag: 0 }];
                let config = text::Config { align: Align::Start, ..text::Config::default() };
                if let Ok(lines) = text::set_paragraph(&run, fonts, &config, w.max(60.0)) {
                    if let Some(line) = lines.first() {
                        debug.push(text_line(line, x0 + 1.0, y0 + 6.5, FRAME, LineRole::Debug, "debug"));
                    }
                }
            }
        }
        for ex in exclusions.iter().filter(|e| e.page == p) {
            debug.push(Item::Stroke { outline: grown(&ex.outline, ex.offset), width: 0.5, color: WRAP });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_polygon_is_grown_by_the_wrap_offset() {
        let triangle = Outline::Polygon(vec![(50.0, 0.0), (100.0, 100.0), (0.0, 100.0)]);
        let Outline::Polygon(hull) = grown(&triangle, 2.0) else { panic!() };
        let (xs, ys): (Vec<f32>, Vec<f32>) = hull.iter().copied().unzip();
        let span = |v: &[f32]| (v.iter().copied().fold(f32::MAX, f32::min), v.iter().copied().fold(f32::MIN, f32::max));
        assert_eq!(span(&xs), (-2.0, 102.0));
        assert_eq!(span(&ys), (-2.0, 102.0));
        // Every original corner lies strictly inside the grown outline: 6 hull corners (two
        // per original corner), none of them an original corner.
        assert_eq!(hull.len(), 6, "{hull:?}");
        assert!(!hull.contains(&(50.0, 0.0)));
        // No offset: the polygon as it is (as a hull, from its lowest-left corner).
        let Outline::Polygon(same) = grown(&triangle, 0.0) else { panic!() };
        assert_eq!(same.len(), 3);
    }
}
