//! Errors that know how Chinese designers type (issue 16): each mistake a designer makes
//! with a Chinese keyboard, reported at the line and column where it was typed, with the fix.

mod common;

use common::*;
use paiban::build::{build_edition, Options};

/// The build's error text for a project, which must fail.
fn error_of(project: &Project) -> String {
    match build_edition(&project.layout(), &project.edition(), Options::default()) {
        Ok(_) => panic!("the build should fail"),
        Err(e) => e.to_string(),
    }
}

/// `file:line:column` of the first occurrence of `needle` in `file` (column in characters).
fn at(project: &Project, file: &str, needle: &str) -> String {
    let text = std::fs::read_to_string(project.dir.path().join(file)).unwrap();
    let (n, line) = text.lines().enumerate().find(|(_, l)| l.contains(needle)).unwrap();
    let column = line[..line.find(needle).unwrap()].chars().count() + 1;
    format!("{file}:{}:{column}", n + 1)
}

#[test]
fn a_full_width_colon_after_a_key_is_reported_where_it_was_typed() {
    let project = Project::new(|l| replace_exact(&l, "  columns: 8\n", "  columns：8\n"), same);
    let e = error_of(&project);
    let place = at(&project, "layout.yaml", "：8");
    assert!(e.contains(&place), "expected {place} in: {e}");
    assert!(e.contains("full-width colon `：` after `columns`") && e.contains("write `columns: 8`"), "{e}");

    // In the edition, where the reader would say "invalid type: string, expected struct".
    let project = Project::new(same, |e| replace_exact(&e, "    kicker: 党建为统领", "    kicker：党建为统领"));
    let e = error_of(&project);
    assert!(e.contains(&at(&project, "edition.yaml", "：党建")), "{e}");
    assert!(e.contains("write `kicker: 党建为统领`"), "{e}");
}

#[test]
fn a_key_without_a_space_after_its_colon() {
    let project = Project::new(|l| replace_exact(&l, "  columns: 8\n", "  columns:8\n"), same);
    let e = error_of(&project);
    let line = project.line_of("layout.yaml", "columns:8");
    assert!(e.contains(&format!("layout.yaml:{line}:11:")), "the caret is on the 8: {e}");
    assert!(e.contains("no space after the colon") && e.contains("write `columns: 8`"), "{e}");
}

#[test]
fn full_width_commas_in_a_flow_mapping() {
    let project = Project::new(|l| replace_exact(&l, "{top: 20mm, bottom: 20mm,", "{top: 20mm， bottom: 20mm,"), same);
    let e = error_of(&project);
    assert!(e.contains(&at(&project, "layout.yaml", "， bottom")), "{e}");
    assert!(e.contains("full-width comma `，`"), "{e}");
}

#[test]
fn a_colour_variable_with_full_width_commas_is_reported_at_the_variable() {
    let project = Project::new(|l| replace_exact(&l, "\"cmyk(100, 80, 0, 20)\"", "\"cmyk(100，80，0，20)\""), same);
    let e = error_of(&project);
    assert!(e.contains(&at(&project, "layout.yaml", "\"cmyk(100，")), "{e}");
    assert!(e.contains("variables.brand") && e.contains("3 full-width comma(s)"), "{e}");
    assert!(e.contains("`cmyk(100, 80, 0, 20)`"), "the fix is written out: {e}");
}

#[test]
fn hao_names_typed_wrong_get_the_name_meant() {
    for (typed, meant) in [("五好", "五号"), ("5号", "五号"), ("小5", "小五")] {
        let project =
            Project::new(move |l| replace_exact(&l, "    size: 五号\n", &format!("    size: {typed}\n")), same);
        let e = error_of(&project);
        assert!(e.contains(&format!("did you mean {meant}?")), "{typed}: {e}");
        assert!(e.contains(&at(&project, "layout.yaml", typed)), "{typed}: {e}");
    }
}

#[test]
fn a_missing_jpeg_names_the_jpg_beside_it() {
    let project = Project::new(same, |e| replace_exact(&e, "images/lake-mountains.jpg", "images/lake-mountains.jpeg"));
    let e = error_of(&project);
    assert!(e.contains("did you mean `lake-mountains.jpg` beside it?"), "{e}");
    assert!(e.contains(&at(&project, "edition.yaml", "images/lake-mountains.jpeg")), "{e}");
}

#[test]
fn screen_colours_are_reported_at_their_color_line_with_their_print_form() {
    for (typed, says) in [("\"#404040\"", "rgb(64, 64, 64)"), ("red", "cmyk(0, 100, 100, 0)")] {
        let project = Project::new(
            move |l| {
                replace_exact(
                    &l,
                    "    size: 小四\n    leading: 27pt\n    align: center\n    color: white\n",
                    &format!("    size: 小四\n    leading: 27pt\n    align: center\n    color: {typed}\n"),
                )
            },
            same,
        );
        let e = error_of(&project);
        let line = project.line_of("layout.yaml", &format!("color: {typed}"));
        assert!(e.contains(&format!("layout.yaml:{line}:")), "{typed}: the caret is on the color: line ({line}): {e}");
        assert!(e.contains(says), "{typed}: {e}");
    }
}

fn warnings_of(project: &Project) -> Vec<paiban::diagnostic::Diagnostic> {
    let session = paiban::build::Session::default();
    let found = paiban::build::check_in(&session, &project.layout(), &project.edition(), Options::default());
    found.iter().filter(|d| d.severity == paiban::diagnostic::Severity::Warning).cloned().collect()
}

#[test]
fn a_cmyk_colour_in_fractions_warns_that_it_is_almost_white() {
    let project = Project::new(|l| replace_exact(&l, "\"cmyk(100, 80, 0, 20)\"", "\"cmyk(0, 1, 1, 0.1)\""), same);
    let warnings = warnings_of(&project);
    let w = warnings.iter().find(|w| w.message.contains("almost white")).expect("a warning");
    let line = project.line_of("layout.yaml", "cmyk(0, 1, 1, 0.1)");
    assert_eq!(w.location.as_ref().map(|l| l.line), Some(line));
    assert_eq!(w.hint.as_deref(), Some("if those are fractions, write `cmyk(0, 100, 100, 10)`"));
    assert!(!warnings_of(&Project::new(same, same)).iter().any(|w| w.message.contains("almost white")));
}

#[test]
fn a_grid_narrower_than_the_type_area_warns_and_says_which_margin_fits_it() {
    let project = Project::new(|l| replace_exact(&l, "right: 18.7mm}", "right: 10mm}"), same);
    let warnings = warnings_of(&project);
    let w = warnings.iter().find(|w| w.message.contains("off the page's centre")).expect("a warning");
    assert!(w.message.contains("8.87 mm stay empty at the right"), "{}", w.message);
    let hint = w.hint.as_deref().unwrap();
    assert!(hint.contains("make the right margin 18.87mm (from 10.00mm)"), "{hint}");
    assert!(!warnings_of(&Project::new(same, same)).iter().any(|w| w.message.contains("off the page's centre")));
}

const SECTION_TITLE: &str = "  section-title:\n    font: [serif-black]\n    size: 小四\n    leading: 27pt\n";

/// `leading: 2 lines` is two grid lines whatever the body size: the demo's 27 pt titles
/// (2 × 13.5 pt) written so give the same PDF, byte for byte.
#[test]
fn a_leading_in_grid_lines() {
    let in_lines = SECTION_TITLE.replace("27pt", "2 lines");
    let project = Project::new(|l| replace_exact(&l, SECTION_TITLE, &in_lines), same);
    let lines = build_edition(&project.layout(), &project.edition(), Options::default()).unwrap();
    let points = Project::new(same, same);
    let points = build_edition(&points.layout(), &points.edition(), Options::default()).unwrap();
    assert!(lines.pdf == points.pdf, "`2 lines` is not 27pt on the demo's 13.5pt grid");
    // In 行 too; and the bare number says which units there are.
    let hang = SECTION_TITLE.replace("27pt", "2行");
    let project = Project::new(|l| replace_exact(&l, SECTION_TITLE, &hang), same);
    assert!(build_edition(&project.layout(), &project.edition(), Options::default()).unwrap().pdf == points.pdf);
    let bare = SECTION_TITLE.replace("27pt", "2");
    let e = error_of(&Project::new(|l| replace_exact(&l, SECTION_TITLE, &bare), same));
    assert!(e.contains("write `2 lines` (grid lines), `2em` (the style's size)"), "{e}");
}

/// 28 pt on a 13.5 pt grid is 2.07 lines: a title takes three, a blank line under it. The
/// warning says so at the `leading:` and offers `2 lines`; a leading of whole lines is quiet.
#[test]
fn a_leading_that_snaps_up_a_grid_line_warns_with_the_fix() {
    let over = SECTION_TITLE.replace("27pt", "28pt");
    let project = Project::new(|l| replace_exact(&l, SECTION_TITLE, &over), same);
    let warnings = warnings_of(&project);
    let w = warnings.iter().find(|w| w.message.contains("style `section-title`")).expect("a warning");
    assert!(
        w.message.contains("2.07 grid lines of 13.50pt") && w.message.contains("takes 3 grid lines (40.50pt)"),
        "{w}"
    );
    assert!(w.message.contains("12.50pt more than its leading"), "{w}");
    let hint = w.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("`leading: 2 lines` (27.00pt)") && hint.contains("`leading: 3 lines`"), "{hint}");
    let loc = w.location.as_ref().expect("a place");
    assert_eq!((loc.line, loc.column), (project.line_of("layout.yaml", "leading: 28pt"), 14), "{w}");
    // The demo's leadings are whole lines (27 pt, 13.5 pt) or not in a thread (the headline's 64 pt).
    assert!(!warnings_of(&Project::new(same, same)).iter().any(|w| w.message.contains("grid lines of")));
    // Over by more than half a line is taken as meant: 2.6 lines.
    let meant = SECTION_TITLE.replace("27pt", "35.1pt");
    let project = Project::new(|l| replace_exact(&l, SECTION_TITLE, &meant), same);
    assert!(!warnings_of(&project).iter().any(|w| w.message.contains("grid lines of")));
}
