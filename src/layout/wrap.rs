//! Text wrap (图文互斥): the contours pictures push text away from, and the pieces of a
//! line band that are left for text. Circles and ellipses are solved exactly per line
//! band (the chord at the band's widest point, not a bounding box); polygons by
//! intersecting the band with their edges.

use crate::spec::layout::WrapSide;

/// A contour on the page, in points from the page's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Outline {
    Rect { x0: f32, y0: f32, x1: f32, y1: f32 },
    Ellipse { cx: f32, cy: f32, rx: f32, ry: f32 },
    Polygon(Vec<(f32, f32)>),
}

impl Outline {
    /// The horizontal extent of the contour grown by `offset`, within the band
    /// `y0..y1`, or `None` if the band misses it.
    pub fn extent(&self, y0: f32, y1: f32, offset: f32) -> Option<(f32, f32)> {
        match *self {
            Outline::Rect { x0, y0: top, x1, y1: bottom } => {
                (y1 > top - offset && y0 < bottom + offset).then_some((x0 - offset, x1 + offset))
            }
            Outline::Ellipse { cx, cy, rx, ry } => {
                let (a, b) = (rx + offset, ry + offset);
                if y1 <= cy - b || y0 >= cy + b {
                    return None;
                }
                // The band's widest point is where it comes closest to the centre.
                let y = cy.clamp(y0, y1);
                let t = ((y - cy) / b).clamp(-1.0, 1.0);
                let half = a * (1.0 - t * t).max(0.0).sqrt();
                Some((cx - half, cx + half))
            }
            Outline::Polygon(ref points) => polygon_extent(points, y0, y1, offset),
        }
    }
}

impl Outline {
    /// The box the contour lies in (x0, y0, x1, y1), before any offset.
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        match *self {
            Outline::Rect { x0, y0, x1, y1 } => (x0, y0, x1, y1),
            Outline::Ellipse { cx, cy, rx, ry } => (cx - rx, cy - ry, cx + rx, cy + ry),
            Outline::Polygon(ref points) => points.iter().fold(
                (f32::INFINITY, f32::INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY),
                |(x0, y0, x1, y1), &(x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
            ),
        }
    }

    /// Where a vertical line at `x` crosses the contour grown by `offset` (top, bottom).
    pub fn vertical_extent(&self, x: f32, offset: f32) -> Option<(f32, f32)> {
        match *self {
            Outline::Rect { x0, y0, x1, y1 } => {
                (x > x0 - offset && x < x1 + offset).then_some((y0 - offset, y1 + offset))
            }
            Outline::Ellipse { cx, cy, rx, ry } => {
                let (a, b) = (rx + offset, ry + offset);
                let t = (x - cx) / a;
                (t.abs() < 1.0).then(|| {
                    let half = b * (1.0 - t * t).sqrt();
                    (cy - half, cy + half)
                })
            }
            Outline::Polygon(ref points) => {
                let (xs, ys): (Vec<f32>, Vec<f32>) = points.iter().copied().unzip();
                let (lo, hi) = (
                    xs.iter().copied().fold(f32::INFINITY, f32::min),
                    xs.iter().copied().fold(f32::NEG_INFINITY, f32::max),
                );
                (x > lo - offset && x < hi + offset).then(|| {
                    (
                        ys.iter().copied().fold(f32::INFINITY, f32::min) - offset,
                        ys.iter().copied().fold(f32::NEG_INFINITY, f32::max) + offset,
                    )
                })
            }
        }
    }
}

/// Where the polygon lies within the band: its vertices inside the band and its edges'
/// crossings of the band's top and bottom, grown by `offset`.
fn polygon_extent(points: &[(f32, f32)], y0: f32, y1: f32, offset: f32) -> Option<(f32, f32)> {
    let (top, bottom) = (y0 - offset, y1 + offset);
    let mut xs: Vec<f32> = points.iter().filter(|p| p.1 >= top && p.1 <= bottom).map(|p| p.0).collect();
    for (i, &(ax, ay)) in points.iter().enumerate() {
        let (bx, by) = points[(i + 1) % points.len()];
        for y in [top, bottom] {
            if (ay - y) * (by - y) < 0.0 {
                xs.push(ax + (bx - ax) * (y - ay) / (by - ay));
            }
        }
    }
    let lo = xs.iter().copied().fold(f32::INFINITY, f32::min);
    let hi = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    (lo <= hi).then_some((lo - offset, hi + offset))
}

/// One contour that pushes text away.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusion {
    pub page: usize,
    pub outline: Outline,
    pub offset: f32,
    pub side: WrapSide,
    /// Line pieces narrower than this beside the contour are left empty.
    pub min_width: f32,
}

/// The pieces of the band `y0..y1` between `left` and `right` left for text, left to
/// right. Pieces a contour cut that are narrower than `min_width` (or the contour's own
/// `min_width`) are dropped. With `grid` (one character's
/// width), each piece is cut down to whole characters, keeping the edge that lies on the
/// column's edge, so that text beside a photo stays on the character grid.
pub fn pieces(
    left: f32,
    right: f32,
    y0: f32,
    y1: f32,
    exclusions: &[&Exclusion],
    min_width: f32,
    grid: Option<f32>,
) -> Vec<(f32, f32)> {
    let mut free = vec![(left, right)];
    // The narrowest piece allowed is the widest `min_width` of the contours this band meets.
    let mut min_width = min_width;
    for ex in exclusions {
        let Some((s0, s1)) = ex.outline.extent(y0, y1, ex.offset) else { continue };
        if s1 <= left || s0 >= right {
            continue;
        }
        min_width = min_width.max(ex.min_width);
        let (cut0, cut1) = match ex.side {
            WrapSide::Both => (s0, s1),
            WrapSide::Left => (s0, f32::INFINITY),
            WrapSide::Right => (f32::NEG_INFINITY, s1),
            WrapSide::Largest if s0 - left >= right - s1 => (s0, f32::INFINITY),
            WrapSide::Largest => (f32::NEG_INFINITY, s1),
            WrapSide::None => continue,
        };
        free = free
            .into_iter()
            .flat_map(|(a, b)| {
                let mut out = Vec::with_capacity(2);
                if cut0 > a {
                    out.push((a, cut0.min(b)));
                }
                if cut1 < b {
                    out.push((cut1.max(a), b));
                }
                out
            })
            .collect();
    }
    free.into_iter()
        .map(|(a, b)| match grid {
            Some(ch) if b - a < right - left - 0.01 => {
                let whole = ((b - a) / ch + 1e-3).floor() * ch;
                // Keep the edge that is the column's; a piece between two contours keeps its left.
                if (b - right).abs() < 0.01 && (a - left).abs() > 0.01 {
                    (b - whole, b)
                } else {
                    (a, a + whole)
                }
            }
            _ => (a, b),
        })
        // A band no contour cut keeps its whole width, however narrow the column.
        .filter(|&(a, b)| b - a >= min_width - 0.01 || b - a >= right - left - 0.01)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(outline: Outline, offset: f32, side: WrapSide) -> Exclusion {
        Exclusion { page: 0, outline, offset, side, min_width: 0.0 }
    }

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-3
    }

    #[test]
    fn circle_chord_at_a_band() {
        // r = 50 centred at (100, 100): the band 130..140 is widest at y = 130, where the
        // chord's half-width is √(50² − 30²) = 40.
        let c = Outline::Ellipse { cx: 100.0, cy: 100.0, rx: 50.0, ry: 50.0 };
        let (a, b) = c.extent(130.0, 140.0, 0.0).unwrap();
        assert!(close(a, 60.0) && close(b, 140.0), "{a} {b}");
        // A band through the centre gets the full diameter.
        assert_eq!(c.extent(95.0, 105.0, 0.0), Some((50.0, 150.0)));
        // With an offset of 10 the contour is a circle of 60: at y = 130, √(60² − 30²).
        let (a, _) = c.extent(130.0, 140.0, 10.0).unwrap();
        assert!(close(a, 100.0 - (3600.0f32 - 900.0).sqrt()));
        // Bands above and below miss it.
        assert_eq!(c.extent(0.0, 50.0, 0.0), None);
        assert_eq!(c.extent(150.0, 160.0, 0.0), None);
    }

    #[test]
    fn ellipse_chord_at_a_band() {
        // rx 80, ry 40 at (0, 0): at y = 20, half-width 80·√(1 − ¼) = 69.282.
        let e = Outline::Ellipse { cx: 0.0, cy: 0.0, rx: 80.0, ry: 40.0 };
        let (a, b) = e.extent(20.0, 30.0, 0.0).unwrap();
        assert!(close(b, 69.282) && close(a, -69.282), "{a} {b}");
    }

    #[test]
    fn rect_with_offset() {
        let r = Outline::Rect { x0: 10.0, y0: 10.0, x1: 20.0, y1: 20.0 };
        assert_eq!(r.extent(0.0, 9.0, 0.0), None);
        assert_eq!(r.extent(0.0, 9.0, 2.0), Some((8.0, 22.0)));
    }

    #[test]
    fn polygon_intervals() {
        // A triangle with its apex at the top: (50,0), (100,100), (0,100).
        let t = Outline::Polygon(vec![(50.0, 0.0), (100.0, 100.0), (0.0, 100.0)]);
        // Band 40..50: widest at its bottom, where the edges are at x = 25 and 75.
        let (a, b) = t.extent(40.0, 50.0, 0.0).unwrap();
        assert!(close(a, 25.0) && close(b, 75.0), "{a} {b}");
        // A band holding the apex.
        let (a, b) = t.extent(-5.0, 10.0, 0.0).unwrap();
        assert!(close(a, 45.0) && close(b, 55.0), "{a} {b}");
        assert_eq!(t.extent(101.0, 110.0, 0.0), None);
    }

    #[test]
    fn both_side_wrap_and_minimum_piece() {
        let circle = ex(Outline::Ellipse { cx: 100.0, cy: 100.0, rx: 30.0, ry: 30.0 }, 0.0, WrapSide::Both);
        // Column 0..200, band through the centre: pieces 0..70 and 130..200.
        assert_eq!(pieces(0.0, 200.0, 95.0, 105.0, &[&circle], 10.0, None), vec![(0.0, 70.0), (130.0, 200.0)]);
        // A column 60..200: the left piece (60..70) is narrower than 3 chars of 9 pt: dropped.
        assert_eq!(pieces(60.0, 200.0, 95.0, 105.0, &[&circle], 27.0, None), vec![(130.0, 200.0)]);
        // Snapped to whole characters of 9 pt: the right piece keeps the column's edge.
        assert_eq!(pieces(0.0, 200.0, 95.0, 105.0, &[&circle], 27.0, Some(9.0)), vec![(0.0, 63.0), (137.0, 200.0)]);
    }

    #[test]
    fn one_sided_and_largest_wraps() {
        let o = Outline::Ellipse { cx: 80.0, cy: 0.0, rx: 20.0, ry: 20.0 };
        let band = |side| pieces(0.0, 200.0, -5.0, 5.0, &[&ex(o.clone(), 0.0, side)], 1.0, None);
        assert_eq!(band(WrapSide::Left), vec![(0.0, 60.0)]);
        assert_eq!(band(WrapSide::Right), vec![(100.0, 200.0)]);
        assert_eq!(band(WrapSide::Largest), vec![(100.0, 200.0)]);
        assert_eq!(band(WrapSide::None), vec![(0.0, 200.0)]);
    }

    #[test]
    fn a_contours_minimum_applies_only_where_it_cuts() {
        let greedy = Exclusion {
            page: 0,
            outline: Outline::Ellipse { cx: 100.0, cy: 0.0, rx: 20.0, ry: 20.0 },
            offset: 0.0,
            side: WrapSide::Both,
            min_width: 500.0,
        };
        // A band the circle does not reach keeps its whole width.
        assert_eq!(pieces(0.0, 200.0, 50.0, 60.0, &[&greedy], 10.0, None), vec![(0.0, 200.0)]);
        // A band it cuts loses the pieces narrower than its minimum.
        assert!(pieces(0.0, 200.0, -5.0, 5.0, &[&greedy], 10.0, None).is_empty());
    }

    #[test]
    fn a_circle_across_a_column_boundary_pushes_both_columns() {
        // Two 117 pt columns with a 9 pt gutter; a circle of r = 60 centred on the gutter.
        let circle = ex(Outline::Ellipse { cx: 121.5, cy: 0.0, rx: 60.0, ry: 60.0 }, 9.0, WrapSide::Both);
        let left = pieces(0.0, 117.0, -5.0, 5.0, &[&circle], 27.0, Some(9.0));
        let right = pieces(126.0, 243.0, -5.0, 5.0, &[&circle], 27.0, Some(9.0));
        // Contour (r + offset = 69) spans 52.5..190.5: left keeps 0..52.5 → 45 (5 chars),
        // right keeps 190.5..243 → 45 (5 chars) flush with its right edge.
        assert_eq!(left, vec![(0.0, 45.0)]);
        assert_eq!(right, vec![(198.0, 243.0)]);
    }
}
