//! Threads run on from column to column and from page to page.

mod common;

use common::*;
use paiban::build::{compose, Options};

#[test]
fn a_thread_continues_on_a_second_page_where_the_first_left_off() {
    let project = Project::classic(
        |layout| {
            let layout = replace_exact(&layout, BODY_FRAME, &BODY_FRAME.replace("1-8", "1-2"));
            replace_exact(
                &layout,
                "\nthreads:",
                "  - frames:\n      - {id: more, thread: main, columns: 1-8, lines: 1-end}\n\nthreads:",
            )
        },
        same,
    );

    let paiban::build::Composed { job, composition: c, .. } =
        compose(&project.layout(), &project.edition(), Options::default()).unwrap();
    assert_eq!(c.display.pages.len(), 2);
    let main = c.threads.iter().find(|t| t.name == "main").unwrap();
    assert_eq!(main.frames, 2);
    assert_eq!(main.overset_chars, 0);
    // The second page has text, and the thread's text reads on without a gap.
    let page_text = |p: usize| -> String {
        c.display.pages[p]
            .items
            .iter()
            .filter_map(|i| match i {
                paiban::layout::Item::Text(t) if t.role != paiban::layout::LineRole::Folio => Some(t),
                _ => None,
            })
            .flat_map(|t| t.glyphs.iter().map(|g| g.text))
            .collect()
    };
    let second = page_text(1);
    assert!(second.chars().count() > 500, "{second}");
    let (_, body) = edition_text(&demo_edition());
    let body = body.concat();
    let all = page_text(0) + &second;
    assert!(all.contains(&body[body.find("2024年，").unwrap()..]), "main thread text runs on across pages");
    // Page 2 starts with the continuation at the top of its first column.
    let first_line = c.display.pages[1].items.iter().find_map(|i| match i {
        paiban::layout::Item::Text(t) => Some(t.baseline),
        _ => None,
    });
    assert!(first_line.unwrap() < job.page.area_top + job.grid.pitch);
}

#[test]
fn e5_widow_lines_are_reported_not_reflowed() {
    // With `widows: warn` (the default) they are only reported.
    // Columns of five lines: paragraphs may end with their last line alone at the top
    // of a column. Each such widow is named in a warning; no other paragraph is.
    let project = Project::classic(
        |layout| {
            let layout = replace_exact(&layout, BODY_FRAME, &BODY_FRAME.replace("53-end", "53-57"));
            replace_exact(&layout, "widows: avoid", "widows: warn")
        },
        same,
    );

    let options = Options { allow_overset: true, ..Options::default() };
    let composed = compose(&project.layout(), &project.edition(), options).unwrap();
    let (c, job) = (&composed.composition, &composed.job);
    let body: Vec<_> = c.display.lines().filter(|l| l.role == paiban::layout::LineRole::Body).collect();
    let mut expected = Vec::new();
    for pair in body.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if b.last && a.origin == b.origin && a.left != b.left {
            // Named as messages name places: `section `economy`, paragraph 2`.
            expected.push(job.readable_in(&b.origin));
        }
    }
    let reported: Vec<String> = c
        .warnings
        .iter()
        .filter(|w| w.message.contains("widow line"))
        .map(|w| w.message.split(": widow line").next().unwrap().to_owned())
        .collect();
    assert!(!expected.is_empty(), "{:?}", body.iter().map(|l| (l.origin.clone(), l.left, l.last)).collect::<Vec<_>>());
    assert_eq!(reported, expected);
}

#[test]
fn widows_avoid_moves_lines_on_instead_of_leaving_them_alone() {
    // The same five-line columns with `widows: avoid`: no paragraph leaves its first line
    // alone at a column foot or its last alone at a column top, and no text is lost.
    let project = Project::classic(
        |layout| {
            let layout = replace_exact(&layout, BODY_FRAME, &BODY_FRAME.replace("53-end", "53-57"));
            assert!(layout.contains("widows: avoid"));
            layout
        },
        same,
    );
    let options = Options { allow_overset: true, ..Options::default() };
    let c = compose(&project.layout(), &project.edition(), options).unwrap().composition;
    assert!(
        !c.warnings.iter().any(|w| w.message.contains("widow line") || w.message.contains("orphan line")),
        "{:?}",
        c.warnings
    );
    let body: Vec<_> = c.display.lines().filter(|l| l.role == paiban::layout::LineRole::Body).collect();
    for pair in body.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.origin == b.origin && a.left != b.left {
            assert!(!b.last, "{}: widow line", b.origin);
            let first = body.iter().position(|l| l.origin == a.origin).unwrap();
            assert!(!std::ptr::eq(body[first], a), "{}: orphan line", a.origin);
        }
    }
}

#[test]
fn a_two_page_spread_mirrors_the_grid_across_the_spine() {
    let project = Project::classic(
        |layout| {
            let layout = replace_exact(&layout, "  size: broadsheet ", "  spread: true\n  size: broadsheet ");
            // The body runs over both pages, with a photo across the spine.
            replace_exact(
        &layout,
        BODY_FRAME,
        "{id: body, thread: main, columns: 1-8, lines: 53-end}\n      - {id: body-right, thread: main, columns: 9-16, lines: 1-end}\n      - {id: across, kind: picture, photo: riverside, columns: 7-10, lines: 60-80}",
    )
        },
        same,
    );
    let c = compose(&project.layout(), &project.edition(), Options::default()).unwrap();
    let mm = paiban::spec::units::PT_PER_MM;
    assert!((c.composition.display.width - 780.0 * mm).abs() < 0.01, "twice the broadsheet width");
    // The right page's first column starts at its inner margin (the layout's `right`).
    let g = c.job.grid;
    let right_page_area = c.job.page.area_left + g.column_x(8);
    assert!((right_page_area - (390.0 + 18.7) * mm).abs() < 0.05, "{}", right_page_area / mm);
    // Text lands on the right page too, and the photo sits across the spine.
    assert!(c.composition.display.lines().any(|l| l.left > 390.0 * mm));
    let across = c.job.pages[0].iter().find(|f| f.id == "across").unwrap();
    let (x, _, w, _) = paiban::layout::frame_box(&c.job, across);
    assert!(x < 390.0 * mm && x + w > 390.0 * mm);
    // A text column may not straddle the spine.
    let layout = std::fs::read_to_string(project.layout()).unwrap();
    let bad = replace_exact(
        &layout,
        "columns: 9-16, lines: 1-end",
        "columns: 9-16, lines: 1-end}\n      - {id: x, thread: main, columns: 8-11, span: 2, lines: 90-95",
    );
    std::fs::write(project.layout(), bad).unwrap();
    let e = compose(&project.layout(), &project.edition(), Options::default()).err().unwrap();
    assert!(e.to_string().contains("spine"), "{e}");
}
