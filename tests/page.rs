//! The demo page, read from its display list: what a designer would check by eye.

mod common;

use common::*;
use paiban::build::{compose, Composed, Options};
use paiban::layout::{frame_box, Item, LineRole};
use paiban::spec::layout::FrameKind;

fn demo() -> Composed {
    compose(&demo_layout(), &demo_edition(), Options::default()).expect("the demo composes")
}

/// A glyph's box: the part of its line it was given across (a mark set half width gets
/// the half with its ink), the ideographic em box (0.88 em above the baseline, 0.12 em
/// below) up and down.
fn glyph_box(line: &paiban::layout::TextLine, g: &paiban::layout::Glyph) -> (f32, f32, f32, f32) {
    (g.box_x, line.baseline - 0.88 * g.size, g.box_x + g.box_width, line.baseline + 0.12 * g.size)
}

#[test]
fn the_demo_page_has_round_photos_with_text_on_both_sides() {
    let c = demo();
    let circles = c.job.pages[0]
        .iter()
        .filter(|f| f.picture().is_some_and(|p| p.shape == paiban::spec::layout::Shape::Circle))
        .count();
    assert!(circles >= 2, "{circles} round photos");
    let images = c.composition.display.pages[0].items.iter().filter(|i| matches!(i, Item::Image { .. })).count();
    assert_eq!(images, 8, "all eight photos are placed");
    // Some lines of body text are shortened by a circle: pieces narrower than their column.
    let short = c.composition.display.lines().filter(|l| l.role == LineRole::Body && l.measure < 110.0).count();
    assert!(short > 20, "only {short} lines run round a contour");
}

#[test]
fn no_glyph_touches_a_picture_contour_or_another_glyph() {
    let c = demo();
    let lines: Vec<_> =
        c.composition.display.lines().filter(|l| matches!(l.role, LineRole::Body | LineRole::Heading)).collect();
    for line in &lines {
        for g in &line.glyphs {
            let (x0, y0, x1, y1) = glyph_box(line, g);
            for ex in &c.composition.exclusions {
                // The contour itself (not its offset) must stay clear of every glyph box.
                if let Some((a, b)) = ex.outline.extent(y0, y1, 0.0) {
                    assert!(
                        x1 <= a + 0.01 || x0 >= b - 0.01,
                        "{} `{}` at ({x0:.1}, {y0:.1}) touches a picture",
                        line.origin,
                        g.text
                    );
                }
            }
        }
    }
    // Glyphs of different lines never overlap; glyphs of one line never overlap.
    let mut boxes: Vec<(f32, f32, f32, f32)> =
        lines.iter().flat_map(|l| l.glyphs.iter().map(move |g| glyph_box(l, g))).collect();
    boxes.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (i, a) in boxes.iter().enumerate() {
        for b in boxes[i + 1..].iter().take_while(|b| b.0 < a.2 - 0.01) {
            let overlap_y = a.1 < b.3 - 0.01 && b.1 < a.3 - 0.01;
            assert!(!overlap_y, "glyph boxes overlap: {a:?} {b:?}");
        }
    }
}

#[test]
fn every_body_glyph_lies_inside_a_text_frame() {
    let c = demo();
    let frames: Vec<_> =
        c.job.pages[0].iter().filter(|f| f.kind() == FrameKind::Text).map(|f| frame_box(&c.job, f)).collect();
    for line in c.composition.display.lines().filter(|l| matches!(l.role, LineRole::Body | LineRole::Heading)) {
        for g in &line.glyphs {
            let (x0, y0, x1, y1) = glyph_box(line, g);
            let inside = frames.iter().any(|&(fx, fy, fw, fh)| {
                x0 >= fx - 0.01 && x1 <= fx + fw + 0.01 && y0 >= fy - 0.01 && y1 <= fy + fh + 0.01
            });
            assert!(inside, "{} `{}` lies outside every text frame", line.origin, g.text);
        }
    }
}

#[test]
fn column_rules_stop_at_pictures() {
    let c = demo();
    for item in &c.composition.display.pages[0].items {
        if let Item::Rule { x0, y0, x1, y1, .. } = item {
            if (x0 - x1).abs() > 0.01 {
                continue;
            }
            for ex in &c.composition.exclusions {
                if let Some((top, bottom)) = ex.outline.vertical_extent(*x0, 0.0) {
                    assert!(*y1 <= top + 0.01 || *y0 >= bottom - 0.01, "a column rule crosses a picture at x={x0}");
                }
            }
        }
    }
}

#[test]
fn debug_overlay_goes_into_a_non_printing_layer() {
    let built = paiban::build::build_edition(
        &demo_layout(),
        &demo_edition(),
        Options { debug_grid: true, ..Options::default() },
    )
    .unwrap();
    let doc = load(&built.pdf);
    let ocg = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find(|d| d.get(b"Name").and_then(|n| n.as_str()).ok() == Some(paiban::render::OVERLAY_LAYER.as_bytes()))
        .expect("the overlay's optional content group");
    let usage = ocg.get(b"Usage").unwrap().as_dict().unwrap();
    let print = usage.get(b"Print").unwrap().as_dict().unwrap();
    assert_eq!(print.get(b"PrintState").unwrap().as_name().unwrap(), b"OFF");
    // A proof with the overlay makes no PDF/X claim (a layer that shows on screen).
    assert_eq!(built.preflight.pdfx, "none");
    // Without the flag there is no layer, and the page's own content is the same.
    let no_pdfx = Options { pdfx: Some(paiban::spec::layout::PdfX::None), ..Options::default() };
    let plain = paiban::build::build_edition(&demo_layout(), &demo_edition(), no_pdfx).unwrap();
    assert!(!load(&plain.pdf).objects.values().filter_map(|o| o.as_dict().ok()).any(|d| d.has(b"OCGs")));
    assert!(built.pdf.len() > plain.pdf.len());
}

#[test]
fn photos_are_cmyk_jpegs_at_no_more_than_max_ppi() {
    let built = paiban::build::build_edition(&demo_layout(), &demo_edition(), Options::default()).unwrap();
    let doc = load(&built.pdf);
    let mut found = 0;
    for object in doc.objects.values() {
        let Ok(stream) = object.as_stream() else { continue };
        if stream.dict.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Image".as_slice()) {
            continue;
        }
        // The demo's RGB photos, converted through the output intent: DeviceCMYK JPEGs in
        // Adobe's inverted form, no ICC profile of their own.
        assert_eq!(stream.dict.get(b"Filter").unwrap().as_name().unwrap(), b"DCTDecode");
        assert_eq!(stream.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceCMYK");
        assert_eq!(stream.dict.get(b"Decode").unwrap().as_array().unwrap().len(), 8);
        assert!(stream.content.starts_with(&[0xFF, 0xD8]) && stream.content.ends_with(&[0xFF, 0xD9]));
        found += 1;
    }
    assert_eq!(found, 8);
    // Each at most 300 ppi (5 % tolerance) at its placed size, the largest ink under the limit.
    for photo in &built.preflight.images {
        assert!(photo.effective_ppi <= 315.0, "{photo:?}");
        assert_eq!(photo.converted_from.as_deref(), Some("Rgb"), "{photo:?}");
        assert!(photo.max_ink.unwrap() <= 240.0, "{photo:?}");
    }
    assert!(built.preflight.images.iter().any(|p| p.resampled_from.is_some()));
    assert!(built.preflight.max_ink > 230.0 && built.preflight.max_ink <= 240.0, "{}", built.preflight.max_ink);
}

#[test]
fn a_picture_can_be_moved_off_the_grid_in_mm() {
    let project = Project::new(
        |layout| {
            replace_exact(
                &layout,
                "{id: meadow, kind: picture, photo: meadow,",
                "{id: meadow, kind: picture, photo: meadow, offset: [3mm, -2mm],",
            )
        },
        same,
    );
    let c = compose(&project.layout(), &project.edition(), Options::default()).unwrap();
    let d = demo();
    let find = |c: &Composed| {
        let f = c.job.pages[0].iter().find(|f| f.id == "meadow").unwrap();
        frame_box(&c.job, f)
    };
    let (a, b) = (find(&d), find(&c));
    let mm = paiban::spec::units::PT_PER_MM;
    assert!((b.0 - a.0 - 3.0 * mm).abs() < 0.01 && (b.1 - a.1 + 2.0 * mm).abs() < 0.01);
    // A text frame may not leave the grid.
    let layout = std::fs::read_to_string(project.layout()).unwrap();
    let party = "{id: party, thread: party, columns: 1-2, lines: 53-end";
    let bad = replace_exact(&layout, party, &format!("{party}, offset: [1mm, 0mm]"));
    std::fs::write(project.layout(), bad).unwrap();
    let e = compose(&project.layout(), &project.edition(), Options::default()).err().unwrap();
    assert!(e.to_string().contains("text frames stay on the grid"), "{e}");
}

#[test]
fn heads_stand_together_on_full_bands() {
    // Every section's kicker has its title right under it, in the same column, both
    // across the column's full width — in both editions.
    for edition in [demo_edition(), root().join("editions/2025.yaml")] {
        let c = compose(&demo_layout(), &edition, Options::default()).unwrap();
        let heads: Vec<_> = c.composition.display.lines().filter(|l| l.role == LineRole::Heading).collect();
        for pair in heads.windows(2) {
            let (kicker, title) = (pair[0], pair[1]);
            if !kicker.origin.ends_with(".kicker") {
                continue;
            }
            assert!(title.origin.ends_with(".title"), "{}", title.origin);
            assert!((kicker.left - title.left).abs() < 0.01, "{} split from its title", kicker.origin);
            assert!((title.baseline - kicker.baseline - 27.0).abs() < 0.01, "{}: title not right under", kicker.origin);
            assert!(kicker.measure > 110.0 && title.measure > 110.0, "{}: head beside a picture", kicker.origin);
        }
    }
}
