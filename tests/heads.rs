//! Section blocks (`heads: across`): a section's thread in a frame of three columns gets its
//! head across the frame — one measure of 3 · 13 + 2 characters, its band as wide — and its
//! text in the three columns below, ending flush; the column rules stop under the head; and
//! the make-up rules a head obeys are checked on it: 题文紧贴 (closer to its text than to
//! what is above it) and 撞题 (never beside another head).

mod common;

use common::*;
use paiban::build::{compose, Options};
use paiban::layout::display::Item;
use paiban::layout::LineRole;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/fixtures/heads").join(name)).unwrap()
}

/// The fixture's layout edited by `edit`, and its edition.
fn project(edit: impl Fn(String) -> String) -> Project {
    Project::new(|_| edit(fixture("layout.yaml")), |_| fixture("edition.yaml"))
}

const FRAME: &str = "{id: economy, thread: economy, columns: 1-3, lines: 1-20, heads: across}";

#[test]
fn a_section_block_sets_its_head_across_its_three_columns_and_its_text_below() {
    let p = project(same);
    let built = compose(&p.layout(), &p.edition(), Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let (c, job) = (&built.composition, &built.job);
    let (g, area_left) = (&job.grid, job.page.area_left);
    let across = 3.0 * 13.0 * g.char + 2.0 * g.char;
    let heads: Vec<_> = c.display.lines().filter(|l| l.role == LineRole::Heading).collect();
    let text: String = heads.iter().flat_map(|l| l.glyphs.iter().map(|g| g.text)).collect();
    assert_eq!(text, "经济聚动能发展活力持续“迸发”");
    for line in &heads {
        assert!((line.left - area_left).abs() < 0.01 && (line.measure - across).abs() < 0.01, "{line:?}");
        // Centred on the measure, as the styles say.
        let (first, last) = (line.glyphs.first().unwrap(), line.glyphs.last().unwrap());
        let (ink_left, ink_right) = (first.x - line.left, line.left + line.measure - (last.x + last.advance));
        assert!((ink_left - ink_right).abs() < g.char, "{ink_left} left, {ink_right} right");
    }
    // The kicker's band spans the frame.
    assert!(c.display.pages[0].items.iter().any(|i| matches!(i,
        Item::Fill { x, width, .. } if (x - area_left).abs() < 0.01 && (width - across).abs() < 0.01)));
    // The text starts on the same grid line in each of the three columns, below the head.
    let head_foot = heads.iter().map(|l| l.baseline).fold(0.0, f32::max);
    let body: Vec<_> = c.display.lines().filter(|l| l.role == LineRole::Body).collect();
    let first_in = |col: u32| {
        let left = area_left + g.column_x(col);
        body.iter().filter(|l| (l.left - left).abs() < 0.01).map(|l| l.baseline).fold(f32::INFINITY, f32::min)
    };
    let tops = [first_in(0), first_in(1), first_in(2)];
    assert!(tops[0] > head_foot, "{tops:?} under the head at {head_foot}");
    assert!(tops.iter().all(|t| (t - tops[0]).abs() < 0.01), "the columns start together: {tops:?}");
    assert!(body.iter().all(|l| (l.measure - g.column_width()).abs() < 0.01), "body lines are a column wide");
    // Flush: every grid line of the frame under the head holds text, nothing is overset.
    let economy = &c.threads[0];
    assert_eq!((economy.overset_chars, economy.unfilled.len()), (0, 0), "{economy:?}");
    // The frame's 20 lines less the head's 5 (a line of space, kicker and title of two
    // each), in three columns.
    assert_eq!(body.len(), 3 * 15);
    // The column rules (vertical, inside the type area) start under the head.
    let rules: Vec<(f32, f32)> = c.display.pages[0]
        .items
        .iter()
        .filter_map(|i| match *i {
            Item::Rule { x0, x1, y0, y1, .. }
                if x0 == x1
                    && x0 > area_left
                    && x0 < area_left + across
                    && y0.min(y1) >= 0.0
                    && y0.max(y1) <= job.page.height =>
            {
                Some((y0.min(y1), y0.max(y1)))
            }
            _ => None,
        })
        .collect();
    assert_eq!(rules.len(), 2, "a rule in each gutter: {rules:?}");
    assert!(rules.iter().all(|r| r.0 > head_foot), "the rules run through the head: {rules:?}");
    // One head, across the three columns: not a head beside itself (撞题).
    assert_eq!(economy.heads.len(), 1);
    assert!(
        !c.warnings.iter().any(|w| w.message.contains("撞题") || w.message.contains("题文紧贴")),
        "{:?}",
        c.warnings
    );
}

#[test]
fn the_same_section_in_a_frame_without_the_key_keeps_its_head_one_column_wide() {
    let p = project(|l| replace_exact(&l, ", heads: across}", "}"));
    let built = compose(&p.layout(), &p.edition(), Options { allow_overset: true, ..Options::default() }).unwrap();
    let g = &built.job.grid;
    for line in built.composition.display.lines().filter(|l| l.role == LineRole::Heading) {
        assert!((line.measure - g.column_width()).abs() < 0.01, "{line:?}");
    }
}

#[test]
fn a_head_further_from_its_text_than_from_what_is_above_it_is_a_warning_at_its_style() {
    // A line of space under the title: 7.5 pt of its leading and 13.5 pt under its ink,
    // against the kicker's line of 13.5 pt above its band.
    let title = "  section-title: {font: serif-black, size: 小四, leading: 2 lines, align: center}";
    let p = project(|l| replace_exact(&l, title, &title.replace("center}", "center, space_after: 1}")));
    let built = compose(&p.layout(), &p.edition(), Options { allow_overset: true, ..Options::default() }).unwrap();
    let w = built.composition.warnings.iter().find(|w| w.message.contains("题文紧贴")).expect("a 题文紧贴 warning");
    assert!(w.message.contains("13.5 pt under what is above it but 21.0 pt over its text"), "{}", w.message);
    assert!(w.message.contains("page 1, line 2"), "{}", w.message);
    let at = w.location.as_ref().expect("a place in the layout");
    assert_eq!(at.line, p.line_of("layout.yaml", "section-title:"));
    assert!(w.hint.as_deref().unwrap_or("").contains("styles.section-title.space_after"), "{w:?}");
}

#[test]
fn two_section_blocks_side_by_side_have_their_heads_side_by_side() {
    // Two section blocks of two columns side by side, each opened by its head across it:
    // the economy section in columns 1-2, a second section in 3-4.
    let layout = |l: String| {
        let l = replace_exact(&l, "columns: 3\n", "columns: 4\n");
        let l = replace_exact(&l, "width: 150.2mm", "width: 194.7mm");
        let frames = "{id: a, thread: economy, columns: 1-2, lines: 1-20, heads: across}\n      - {id: b, thread: again, columns: 3-4, lines: 1-20, heads: across}";
        let l = replace_exact(&l, FRAME, frames);
        replace_exact(
            &l,
            "  economy: {content: [\"section:economy\"]}",
            "  economy: {content: [\"section:economy\"]}\n  again: {content: [\"section:again\"]}",
        )
    };
    let edition = fixture("edition.yaml");
    let (from, to) = edition.split_at(edition.find("  - id: economy").unwrap());
    let twice = format!("{from}{to}{}", to.replace("id: economy", "id: again"));
    let p = Project::new(|_| layout(fixture("layout.yaml")), move |_| twice.clone());
    let built = compose(&p.layout(), &p.edition(), Options { allow_overset: true, ..Options::default() })
        .unwrap_or_else(|e| panic!("{e}"));
    let c = &built.composition;
    let g = &built.job.grid;
    let heads: Vec<_> = c.display.lines().filter(|l| l.role == LineRole::Heading).collect();
    assert_eq!(heads.len(), 4, "two kickers and two titles");
    assert!(heads.iter().all(|l| (l.measure - (2.0 * 13.0 + 1.0) * g.char).abs() < 0.01), "each across two columns");
    assert!(
        c.warnings.iter().any(|w| w.message.contains("撞题")),
        "the two heads stand side by side: {:?}",
        c.warnings.iter().map(|w| &w.message).collect::<Vec<_>>()
    );
}
