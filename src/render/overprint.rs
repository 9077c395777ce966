//! Black over heavy colour. 100 % K type and thin black rules overprint what lies under
//! them (no white gap where the plates misregister), so the plates there carry the
//! colour underneath plus a solid black: 100 % K on the demo's 200 % brand band is 280 %,
//! over a newsprint limit of 240 %. This module decides, for every overprinting item of a
//! page, how it is painted so that no point of the page passes `print.ink_limit`:
//!
//! - over paper, light fills and light photos it overprints, as before;
//! - over a fill whose C + M + Y + 100 % would pass the limit it knocks out, in a black
//!   built on the fill itself: the fill's C, M and Y scaled down until the sum is the
//!   limit, under 100 % K (C 100 M 80 K 20 gives C 77.5 M 62 K 100, 239.5 %), clipped to the
//!   fill; outside the fill it still overprints. The knock-out's hole is filled with
//!   nearly the band's own colour, so a misregistered plate shows band round the type,
//!   never paper (a plain 100 % K knock-out would show white fringes on a 200 % band),
//!   and under solid black the lighter C and M cannot be seen;
//! - over a photo that could pass the limit (its C + M + Y may reach the limit less
//!   100 %; a flat colour cannot follow its pixels), or over fills that overlap one
//!   another, it knocks out in plain 100 % K.
//!
//! The renderer paints by this plan and the preflight adds up its sums, so the
//! preflight's "max ink" is what the separated plates carry.

use crate::layout::{Item, Page};
use crate::spec::layout::Color;

/// How far below and above its baseline a line's glyphs may reach, in ems: the
/// ideographic em box (CJK faces put 0.88 em above the baseline, 0.12 below), a little more.
const ASCENT: f32 = 0.9;
const DESCENT: f32 = 0.15;

/// How far under the limit a black built on a fill is held, in percent.
const KNOCKOUT_MARGIN: f32 = 0.5;

/// An axis-aligned box in display-list points (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    fn contains(&self, o: &Rect) -> bool {
        self.x0 <= o.x0 && self.y0 <= o.y0 && self.x1 >= o.x1 && self.y1 >= o.y1
    }
}

/// Where a pass of an overprinting item is painted.
#[derive(Debug, Clone, PartialEq)]
pub enum Clip {
    /// Everywhere.
    None,
    /// Inside the box.
    Inside(Rect),
    /// Everywhere but inside these boxes (which do not overlap one another).
    Outside(Vec<Rect>),
}

/// One painting of an item: where, in what colour, and whether it overprints.
#[derive(Debug, Clone, PartialEq)]
pub struct Pass {
    pub clip: Clip,
    pub color: Color,
    pub overprint: bool,
}

/// How one overprinting item is painted, and the most ink it puts on any point.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub passes: Vec<Pass>,
    /// The largest total ink where it is painted, in percent (overprinted: what lies
    /// under it plus 100 % K; knocked out: its own colour's ink).
    pub max_ink: f32,
}

/// What a photo could put under black: the largest C + M + Y + K of its pixels, in
/// percent (an upper bound of C + M + Y), or `None` when not known (not converted yet,
/// or not CMYK), which is taken as too much.
pub type PhotoInk<'a> = &'a dyn Fn(usize) -> Option<f32>;

/// The plan of every item of `page`, in its order: `Some` for the items that overprint.
pub fn plan(page: &Page, photo_ink: PhotoInk, ink_limit: f32) -> Vec<Option<Plan>> {
    page.items.iter().enumerate().map(|(i, item)| plan_item(&page.items[..i], item, photo_ink, ink_limit)).collect()
}

/// Whether the item overprints (the renderer's rule): 100 % black text, and 100 % black
/// rules up to 1 pt.
pub fn overprints(item: &Item) -> bool {
    match item {
        Item::Text(line) => line.color.is_pure_black(),
        Item::Rule { width, color, .. } => color.is_pure_black() && *width <= 1.0,
        _ => false,
    }
}

/// The box an overprinting item may paint in.
fn extent(item: &Item) -> Option<Rect> {
    match item {
        Item::Text(line) => {
            let size = line.glyphs.iter().map(|g| g.size).fold(0.0, f32::max);
            let x0 = line.glyphs.iter().map(|g| g.x).fold(f32::INFINITY, f32::min);
            let x1 = line.glyphs.iter().map(|g| g.x + g.advance.max(g.size)).fold(f32::NEG_INFINITY, f32::max);
            (x0 < x1).then_some(Rect { x0, y0: line.baseline - ASCENT * size, x1, y1: line.baseline + DESCENT * size })
        }
        Item::Rule { x0, y0, x1, y1, width, .. } => {
            let half = width / 2.0;
            Some(Rect {
                x0: x0.min(*x1) - half,
                y0: y0.min(*y1) - half,
                x1: x0.max(*x1) + half,
                y1: y0.max(*y1) + half,
            })
        }
        _ => None,
    }
}

/// What lies under an overprinting item: a fill, or a photo.
enum Under {
    Fill(Rect, Color),
    Photo(Option<f32>),
}

fn plan_item(before: &[Item], item: &Item, photo_ink: PhotoInk, ink_limit: f32) -> Option<Plan> {
    if !overprints(item) {
        return None;
    }
    let black = match item {
        Item::Text(line) => line.color,
        Item::Rule { color, .. } => *color,
        _ => return None,
    };
    let overprinted =
        |max_ink| Plan { passes: vec![Pass { clip: Clip::None, color: black, overprint: true }], max_ink };
    let Some(area) = extent(item) else { return Some(overprinted(100.0)) };
    // What was painted before it and reaches into its box, the latest first, down to the
    // first that covers the box whole (what lies under that is hidden).
    let mut under = Vec::new();
    for earlier in before.iter().rev() {
        let (bounds, what) = match earlier {
            Item::Fill { x, y, width, height, color } => {
                let r = Rect { x0: *x, y0: *y, x1: x + width, y1: y + height };
                (r, Under::Fill(r, *color))
            }
            Item::Image { image, clip, x, y, width, height } => {
                let r = outline_box(clip).unwrap_or(Rect { x0: *x, y0: *y, x1: x + width, y1: y + height });
                (r, Under::Photo(photo_ink(*image)))
            }
            _ => continue,
        };
        if !bounds.overlaps(&area) {
            continue;
        }
        let covers = bounds.contains(&area);
        under.push(what);
        if covers {
            break;
        }
    }
    // C + M + Y under the black, a spot colour counted as one solid ink.
    let cmy = |c: &Color| if c.spot.is_some() { 100.0 } else { (c.c + c.m + c.y) * 100.0 };
    let k_limit = ink_limit - 100.0;
    let mut heavy = Vec::new();
    let mut light_max: f32 = 0.0;
    let mut plain_knockout = false;
    for u in &under {
        match u {
            Under::Fill(r, c) if cmy(c) > k_limit + 0.05 => {
                if c.spot.is_some() || heavy.iter().any(|(h, _): &(Rect, Color)| h.overlaps(r)) {
                    plain_knockout = true;
                }
                heavy.push((*r, *c));
            }
            Under::Fill(_, c) => light_max = light_max.max(cmy(c)),
            Under::Photo(Some(ink)) if *ink <= k_limit + 0.05 => light_max = light_max.max(*ink),
            Under::Photo(_) => plain_knockout = true,
        }
    }
    if plain_knockout {
        return Some(Plan { passes: vec![Pass { clip: Clip::None, color: black, overprint: false }], max_ink: 100.0 });
    }
    if heavy.is_empty() {
        return Some(overprinted(100.0 + light_max));
    }
    let mut passes: Vec<Pass> = heavy
        .iter()
        .map(|(r, c)| {
            // Half a point under the limit: the plates are 8-bit, and 239.5 % rounds to
            // 239.6 % on them where the limit itself would round to 240.4 %.
            let scale = (k_limit - KNOCKOUT_MARGIN) / cmy(c);
            let color = Color { c: c.c * scale, m: c.m * scale, y: c.y * scale, k: 1.0, from_rgb: false, spot: None };
            Pass { clip: Clip::Inside(*r), color, overprint: false }
        })
        .collect();
    let max_ink = passes.iter().map(|p| p.color.ink()).fold(0.0, f32::max);
    let inside_all = heavy.iter().any(|(r, _)| r.contains(&area));
    if !inside_all {
        passes.push(Pass {
            clip: Clip::Outside(heavy.iter().map(|(r, _)| *r).collect()),
            color: black,
            overprint: true,
        });
    }
    Some(Plan { passes, max_ink: max_ink.max(if inside_all { 0.0 } else { 100.0 + light_max }) })
}

/// The box round a photo's clip outline.
fn outline_box(outline: &crate::layout::wrap::Outline) -> Option<Rect> {
    use crate::layout::wrap::Outline;
    match *outline {
        Outline::Rect { x0, y0, x1, y1 } => Some(Rect { x0, y0, x1, y1 }),
        Outline::Ellipse { cx, cy, rx, ry } => Some(Rect { x0: cx - rx, y0: cy - ry, x1: cx + rx, y1: cy + ry }),
        Outline::Polygon(ref corners) if !corners.is_empty() => {
            let xs = corners.iter().map(|c| c.0);
            let ys = corners.iter().map(|c| c.1);
            Some(Rect {
                x0: xs.clone().fold(f32::INFINITY, f32::min),
                y0: ys.clone().fold(f32::INFINITY, f32::min),
                x1: xs.fold(f32::NEG_INFINITY, f32::max),
                y1: ys.fold(f32::NEG_INFINITY, f32::max),
            })
        }
        Outline::Polygon(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Glyph, LineRole, TextLine};

    fn black_line(x: f32, baseline: f32, chars: usize) -> Item {
        let glyphs = (0..chars)
            .map(|i| Glyph {
                x: x + 9.0 * i as f32,
                face: 0,
                id: 1,
                size: 9.0,
                advance: 9.0,
                text: '字',
                ligated: false,
                box_x: x + 9.0 * i as f32,
                box_width: 9.0,
            })
            .collect();
        Item::Text(TextLine {
            baseline,
            color: Color::cmyk(0.0, 0.0, 0.0, 1.0),
            glyphs,
            role: LineRole::Body,
            left: x,
            measure: 9.0 * chars as f32,
            origin: String::new(),
            last: false,
            stretch_per_gap: 0.0,
            right: x + 9.0 * chars as f32,
            ragged: false,
            loose: false,
            orphan_avoided: false,
        })
    }

    fn band(color: Color) -> Item {
        Item::Fill { x: 0.0, y: 0.0, width: 100.0, height: 30.0, color }
    }

    const BRAND: Color = Color::cmyk(1.0, 0.8, 0.0, 0.2);
    const NONE: PhotoInk = &|_| None;

    fn plan_of(items: Vec<Item>, photo_ink: PhotoInk) -> Option<Plan> {
        let page = Page { items, debug: Vec::new() };
        plan(&page, photo_ink, 240.0).pop().unwrap()
    }

    #[test]
    fn black_inside_a_heavy_band_knocks_out_in_a_black_built_on_the_band() {
        // C 100 M 80 K 20 is 200 %: with 100 % K over it, 280 %.
        let plan = plan_of(vec![band(BRAND), black_line(10.0, 20.0, 5)], NONE).unwrap();
        assert_eq!(plan.passes.len(), 1, "{plan:?}");
        let pass = &plan.passes[0];
        assert!(!pass.overprint);
        assert_eq!(pass.clip, Clip::Inside(Rect { x0: 0.0, y0: 0.0, x1: 100.0, y1: 30.0 }));
        // C and M scaled to 139.5 % together (31/40 of each), K solid: 239.5 %, half a
        // point under the limit.
        let c = pass.color;
        assert!((c.c - 0.775).abs() < 1e-3 && (c.m - 0.62).abs() < 1e-3 && c.y == 0.0 && c.k == 1.0, "{c:?}");
        assert!((plan.max_ink - 239.5).abs() < 0.01, "{}", plan.max_ink);
    }

    #[test]
    fn a_line_half_over_the_band_overprints_outside_it() {
        // The line runs from x 60 to 150: 40 pt over the band, the rest over paper.
        let plan = plan_of(vec![band(BRAND), black_line(60.0, 20.0, 10)], NONE).unwrap();
        assert_eq!(plan.passes.len(), 2, "{plan:?}");
        assert!(!plan.passes[0].overprint && plan.passes[1].overprint);
        assert!(matches!(&plan.passes[1].clip, Clip::Outside(boxes) if boxes.len() == 1));
        assert!((plan.max_ink - 239.5).abs() < 0.01);
    }

    #[test]
    fn black_over_paper_a_light_tint_or_below_a_band_overprints() {
        let paper = plan_of(vec![black_line(10.0, 20.0, 5)], NONE).unwrap();
        assert_eq!(
            paper.passes,
            vec![Pass { clip: Clip::None, color: Color::cmyk(0.0, 0.0, 0.0, 1.0), overprint: true }]
        );
        assert_eq!(paper.max_ink, 100.0);
        // A 20 % cyan and 10 % magenta tint: 130 % with the black, overprinted.
        let tint = plan_of(vec![band(Color::cmyk(0.2, 0.1, 0.0, 0.0)), black_line(10.0, 20.0, 5)], NONE).unwrap();
        assert!(tint.passes[0].overprint && (tint.max_ink - 130.0).abs() < 0.01, "{tint:?}");
        // A line well below the band does not touch it.
        let below = plan_of(vec![band(BRAND), black_line(10.0, 60.0, 5)], NONE).unwrap();
        assert!(below.passes[0].overprint && below.max_ink == 100.0);
        // A white box on the band hides the band from a line inside the box.
        let white = Item::Fill { x: 5.0, y: 5.0, width: 80.0, height: 20.0, color: Color::cmyk(0.0, 0.0, 0.0, 0.0) };
        let boxed = plan_of(vec![band(BRAND), white, black_line(10.0, 20.0, 5)], NONE).unwrap();
        assert!(boxed.passes[0].overprint && boxed.max_ink == 100.0, "{boxed:?}");
        // Coloured text never overprints: no plan.
        let mut blue = black_line(10.0, 20.0, 5);
        if let Item::Text(line) = &mut blue {
            line.color = BRAND;
        }
        assert_eq!(plan_of(vec![band(BRAND), blue], NONE), None);
    }

    #[test]
    fn black_over_a_photo_that_could_pass_the_limit_knocks_out_plain() {
        let photo = Item::Image {
            image: 0,
            x: 0.0,
            y: 0.0,
            width: 100.0,
            height: 30.0,
            clip: crate::layout::wrap::Outline::Rect { x0: 0.0, y0: 0.0, x1: 100.0, y1: 30.0 },
        };
        let heavy = plan_of(vec![photo.clone(), black_line(10.0, 20.0, 5)], &|_| Some(238.8)).unwrap();
        assert_eq!(heavy.passes.len(), 1);
        assert!(!heavy.passes[0].overprint && heavy.passes[0].color.is_pure_black());
        assert_eq!(heavy.max_ink, 100.0);
        // Not yet measured counts as heavy; a light photo (a pale sky, 90 %) is overprinted.
        assert!(!plan_of(vec![photo.clone(), black_line(10.0, 20.0, 5)], NONE).unwrap().passes[0].overprint);
        let light = plan_of(vec![photo, black_line(10.0, 20.0, 5)], &|_| Some(90.0)).unwrap();
        assert!(light.passes[0].overprint && (light.max_ink - 190.0).abs() < 0.01);
    }

    #[test]
    fn a_thin_black_rule_across_the_band_follows_the_same_plan() {
        let rule =
            Item::Rule { x0: 50.0, y0: -10.0, x1: 50.0, y1: 80.0, width: 0.5, color: Color::cmyk(0.0, 0.0, 0.0, 1.0) };
        let plan = plan_of(vec![band(BRAND), rule], NONE).unwrap();
        assert_eq!(plan.passes.len(), 2);
        assert!((plan.max_ink - 239.5).abs() < 0.01);
        // A heavy rule (2 pt) knocks out by itself: no plan.
        let thick =
            Item::Rule { x0: 50.0, y0: -10.0, x1: 50.0, y1: 80.0, width: 2.0, color: Color::cmyk(0.0, 0.0, 0.0, 1.0) };
        assert_eq!(plan_of(vec![band(BRAND), thick], NONE), None);
    }
}
