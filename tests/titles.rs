//! End to end: a section title given as a list of lines (forced breaks) builds, and the
//! page keeps the ideographic spaces and the continuous two-em dash of the text module.

mod common;

use common::*;
use paiban::build::{compose, Options};

#[test]
fn a_section_title_given_as_a_list_of_lines_builds_and_reads_as_its_text() {
    let project =
        Project::new(same, |e| replace_exact(&e, "title: 履职担当勇毅“笃行”", "title: [履职担当, 勇毅“笃行”]"));
    let composed = compose(&project.layout(), &project.edition(), Options::default()).unwrap();
    let text = composed.composition.display.text();
    // The forced break draws nothing and loses nothing.
    assert!(!text.contains('\u{2028}'));
    assert!(text.contains("履职担当勇毅“笃行”"), "the title is on the page");
    // A list with an empty line is refused at its place in the edition.
    let bad = Project::new(same, |e| replace_exact(&e, "title: 履职担当勇毅“笃行”", "title: [履职担当, '']"));
    let e = compose(&bad.layout(), &bad.edition(), Options::default()).err().unwrap().to_string();
    assert!(e.contains("line 2 of the title is empty"), "{e}");
}

#[test]
fn the_folio_keeps_its_ideographic_spaces_and_the_dash_is_one_glyph_pair() {
    let composed = compose(&demo_layout(), &demo_edition(), Options::default()).unwrap();
    let text = composed.composition.display.text();
    assert!(text.contains("2025年1月16日\u{3000}第1版\u{3000}专版"), "folio: {text}");
    // Every —— on the page is a drawn ligature followed by the dash it stands for too.
    let lines: Vec<_> = composed.composition.display.lines().collect();
    let mut pairs = 0;
    for line in lines {
        for w in line.glyphs.windows(2) {
            if w[0].text == '—' && w[1].text == '—' {
                pairs += 1;
                assert_ne!(w[0].id, w[1].id, "the first dash of a pair draws the ligature");
            }
        }
    }
    assert!(pairs >= 2, "the demo has two ——: {pairs}");
}

#[test]
fn the_dash_ligature_copies_out_as_two_dashes_and_is_drawn_once() {
    let pdf = paiban::build::build_edition(&demo_layout(), &demo_edition(), Options::default()).unwrap().pdf;
    let doc = load(&pdf);
    assert!(text(&doc).contains("“呜——”"), "copy-out keeps both dashes");
    // The ligature glyph's ToUnicode entry is the pair; the second dash is not drawn, so no
    // glyph of the page stands for a single dash alone.
    let mut pair = false;
    for object in doc.objects.values() {
        if let Ok(stream) = object.as_stream() {
            let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
            let cmap = String::from_utf8_lossy(&data);
            if cmap.contains("beginbfchar") {
                pair |= parse_cmap(&cmap).values().any(|v| v == "——");
                assert!(!parse_cmap(&cmap).values().any(|v| v == "—"), "a lone dash glyph is drawn");
            }
        }
    }
    assert!(pair, "a ToUnicode entry maps the ligature to ——");
}
