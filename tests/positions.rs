//! Places in messages as a designer reads them (issue 16): pages counted from 1 as the folio
//! counts them (第1版 is page 1), frames and sections by their ids, paragraphs from 1; never
//! the YAML reader's `pages[0].frames[3]` or `sections[1]`, from any stage.

mod common;

use common::*;
use paiban::build::{build_edition, check_in, Options, Session};

fn error_of(project: &Project) -> String {
    match build_edition(&project.layout(), &project.edition(), Options::default()) {
        Ok(_) => panic!("the build should fail"),
        Err(e) => e.to_string(),
    }
}

/// No key path with a list index is left in `text`.
fn no_index(text: &str) {
    for list in ["pages[", "frames[", "sections[", "photos[", "paragraphs[", "lead[", "stories["] {
        assert!(!text.contains(list), "`{list}` in: {text}");
    }
}

#[test]
fn the_yaml_readers_own_error_in_a_frame_names_the_page_and_the_frame() {
    let project = Project::classic(
        |l| replace_exact(&l, "columns: 7-8, lines: 38-51}", "columns: 7-8, lines: 38-51, grow: many}"),
        same,
    );
    let e = error_of(&project);
    assert!(e.contains("page 1, frame `station`, `grow`: invalid type: string \"many\""), "{e}");
    no_index(&e);
}

#[test]
fn a_frame_on_the_second_page_is_on_page_2() {
    let second = "\nthreads:";
    let page2 = "  - frames:\n      - {id: notes, kind: box, columns: 1-2, lines: 1-3, inset: -30}\n\nthreads:";
    let project = Project::classic(|l| replace_exact(&l, second, &format!("\n{page2}")), same);
    let e = error_of(&project);
    assert!(e.contains("page 2, frame `notes`, `inset`: "), "{e}");
    no_index(&e);
}

#[test]
fn sections_by_id_and_paragraphs_from_one() {
    // The same id twice: at the second, by the id it has.
    let project = Project::classic(same, |e| replace_exact(&e, "  - id: economy", "  - id: party"));
    let e = error_of(&project);
    assert!(e.contains("section `party`, `id`: the id `party` is taken already"), "{e}");
    // An empty paragraph: the second of section `economy`.
    let project = Project::classic(same, |e| {
        let at = e.find("  - id: economy").unwrap();
        let paragraphs = at + e[at..].find("paragraphs:\n").unwrap() + "paragraphs:\n".len();
        let first_end = paragraphs + e[paragraphs..].find("\n      - ").unwrap() + 1;
        format!("{}      - \"　　\"\n{}", &e[..first_end], &e[first_end..])
    });
    let e = error_of(&project);
    assert!(e.contains("section `economy`, paragraph 2: ") && e.contains("empty"), "{e}");
    no_index(&e);
}

#[test]
fn overset_names_the_section_and_paragraph_it_starts_in_also_in_the_hint() {
    let project = Project::classic(same, |e| {
        let at = e.find("  - id: economy").unwrap();
        let paragraphs = at + e[at..].find("paragraphs:\n").unwrap() + "paragraphs:\n".len();
        format!("{}      - \"{}\"\n{}", &e[..paragraphs], "很长的文字。".repeat(400), &e[paragraphs..])
    });
    let found = check_in(&Session::default(), &project.layout(), &project.edition(), Options::default());
    let overset = found.iter().find(|d| d.message.contains("do not fit")).expect("overset");
    assert!(overset.message.contains("from section `economy`, paragraph "), "{overset}");
    let hint = overset.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("from section `economy`, paragraph "), "{hint}");
    for d in found.iter() {
        no_index(&d.to_string());
    }
}
