//! Bad input gets a clear error naming file, line, column and what was expected; never a
//! panic, never a PDF.

mod common;

use common::*;
use paiban::build::{build_edition, Options};

type Case = Project;

fn error(case: &Case) -> String {
    match build_edition(&case.layout(), &case.edition(), Options::default()) {
        Ok(_) => panic!("the build should fail"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn demo_case_builds() {
    let case = Case::classic(same, same);
    build_edition(&case.layout(), &case.edition(), Options::default()).unwrap();
}

#[test]
fn unknown_key_names_the_key_the_place_and_the_choices() {
    let case = Case::classic(|l| l.replace("  column_rules: true", "  colum_rules: true"), same);
    let e = error(&case);
    let line = case.line_of("layout.yaml", "colum_rules");
    assert!(e.contains(&format!("layout.yaml:{line}:3: grid: unknown field `colum_rules`")), "{e}");
    assert!(e.contains("column_rules"), "the expected keys are listed: {e}");
}

#[test]
fn a_number_without_unit_is_an_error() {
    let case = Case::classic(|l| l.replace("top: 20mm", "top: 20"), same);
    let e = error(&case);
    assert!(e.contains("page.margins.top") && e.contains("no unit"), "{e}");
}

#[test]
fn a_missing_font_file_names_the_file_and_where_it_was_asked_for() {
    let case = Case::classic(|l| l.replace("NotoSansCJKsc-Regular.otf", "NoSuchFont.otf"), same);
    let e = error(&case);
    let line = case.line_of("layout.yaml", "NoSuchFont.otf");
    assert!(e.contains(&format!("layout.yaml:{line}:")), "{e}");
    assert!(e.contains("font file") && e.contains("NoSuchFont.otf") && e.contains("does not exist"), "{e}");
}

#[test]
fn a_file_that_is_not_a_font_is_refused() {
    let case = Case::classic(same, same);
    let garbage = case.dir.path().join("garbage.otf");
    std::fs::write(&garbage, b"this is not a font").unwrap();
    let layout = std::fs::read_to_string(case.layout()).unwrap();
    let re = replace_exact(&layout, "fonts/NotoSansCJKsc-Regular.otf", "garbage.otf");
    std::fs::write(case.layout(), re).unwrap();
    let e = error(&case);
    assert!(e.contains("garbage.otf") && e.contains("not a font"), "{e}");
}

#[test]
fn an_unknown_font_name_suggests_the_closest() {
    let case = Case::classic(|l| l.replacen("font: serif\n", "font: serf\n", 1), same);
    let e = error(&case);
    assert!(e.contains("unknown font `serf`") && e.contains("did you mean `serif`?"), "{e}");
}

#[test]
fn a_missing_image_names_the_file_and_the_edition_line() {
    let case = Case::classic(same, |e| e.replacen("lake-mountains.jpg", "no-such-photo.jpg", 1));
    let e = error(&case);
    let line = case.line_of("edition.yaml", "no-such-photo.jpg");
    assert!(e.contains(&format!("edition.yaml:{line}:")), "{e}");
    assert!(e.contains("image file") && e.contains("no-such-photo.jpg"), "{e}");
}

#[test]
fn a_character_no_font_covers_is_named_with_its_code_point_and_place() {
    let case = Case::classic(same, |e| e.replacen("时光灿灿", "时光한灿", 1));
    let e = error(&case);
    assert!(e.contains("'한' (U+D55C)"), "{e}");
    assert!(e.contains("in closing paragraph 1;"), "{e}");
    assert!(e.contains("serif"), "the fonts tried: {e}");
}

#[test]
fn overset_is_an_error_unless_allowed() {
    let case = Case::classic(|l| replace_exact(&l, BODY_FRAME, &BODY_FRAME.replace("53-end", "53-60")), same);
    let e = error(&case);
    assert!(e.contains("thread `main`") && e.contains("characters do not fit"), "{e}");
    let built =
        build_edition(&case.layout(), &case.edition(), Options { allow_overset: true, ..Options::default() }).unwrap();
    let main = built.composition.threads.iter().find(|t| t.name == "main").unwrap();
    assert!(main.overset_chars > 100);
    assert!(built
        .diagnostics
        .iter()
        .any(|d| d.severity == paiban::diagnostic::Severity::Warning && d.message.contains("do not fit")));
}

#[test]
fn unclosed_bold_markup_points_at_the_paragraph() {
    let case = Case::classic(same, |e| e.replacen("**提升城市品质。**", "**提升城市品质。", 1));
    let e = error(&case);
    let line = case.line_of("edition.yaml", "**提升城市品质。");
    assert!(e.contains(&format!("edition.yaml:{line}:")), "{e}");
    assert!(e.contains("never closed"), "{e}");
}

#[test]
fn a_bad_date_is_rejected() {
    let case = Case::classic(same, |e| e.replacen("date: \"2025-01-16\"", "date: \"2025-02-30\"", 1));
    let e = error(&case);
    assert!(e.contains("edition.date") && e.contains("no day 30"), "{e}");
}

#[test]
fn empty_and_binary_files_are_errors() {
    let case = Case::classic(same, |_| String::new());
    assert!(error(&case).contains("empty"));
    let case = Case::classic(same, same);
    std::fs::write(case.edition(), [0xff, 0xfe, 0x00, 0x01]).unwrap();
    assert!(error(&case).contains("not UTF-8"));
}

#[test]
fn a_grid_wider_than_the_page_is_explained() {
    let case = Case::classic(|l| l.replace("column_chars: 13", "column_chars: 14"), same);
    let e = error(&case);
    assert!(e.contains("the grid is") && e.contains("mm wide"), "{e}");
}

#[test]
fn a_frame_outside_the_grid_is_an_error() {
    let case = Case::classic(|l| replace_exact(&l, BODY_FRAME, &BODY_FRAME.replace("1-8", "1-9")), same);
    let e = error(&case);
    assert!(e.contains("column 9 is outside the grid"), "{e}");
}

#[test]
fn an_unknown_folio_variable_is_named() {
    let case = Case::classic(|l| l.replace("{edition.title}", "{edition.titel}"), same);
    let e = error(&case);
    assert!(e.contains("unknown variable `{edition.titel}`") && e.contains("did you mean `edition.title`"), "{e}");
}

#[test]
fn ranges_that_start_outside_the_grid_are_errors_not_crashes() {
    let case = Case::classic(|l| replace_exact(&l, BODY_FRAME, &BODY_FRAME.replace("1-8", "9-end")), same);
    assert!(error(&case).contains("column 9 is outside the grid"));
    let case = Case::classic(|l| replace_exact(&l, BODY_FRAME, &BODY_FRAME.replace("53-end", "500-end")), same);
    assert!(error(&case).contains("line 500 is outside the grid"));
}

#[test]
fn text_frames_may_not_overlap_each_other() {
    let case = Case::classic(|l| replace_exact(&l, BODY_FRAME, &BODY_FRAME.replace("53-end", "3-end")), same);
    let e = error(&case);
    assert!(e.contains("frame `body` overlaps frame `folio`") || e.contains("overlaps frame `headline`"), "{e}");
}

#[test]
fn only_text_frames_take_a_thread() {
    let case = Case::classic(
        |l| replace_exact(&l, "kind: headline, columns: 1-8", "kind: headline, thread: main, columns: 1-8"),
        same,
    );
    assert!(error(&case).contains("only text frames take this key"));
}

#[test]
fn a_word_wider_than_its_column_is_an_error() {
    let case = Case::classic(same, |e| e.replacen("时光灿灿", "时光Supercalifragilisticexpialidocious灿灿", 1));
    let e = error(&case);
    assert!(e.contains("`Supercalifragilisticexpialidocious") && e.contains("wider than its column"), "{e}");
}

#[test]
fn indents_and_tracking_are_range_checked() {
    let case = Case::classic(|l| l.replacen("indent: 2em", "indent: 100em", 1), same);
    assert!(error(&case).contains("an indent must be 0 to 8 em"));
    let case = Case::classic(|l| l.replacen("tracking: 0.1em", "tracking: -1em", 1), same);
    assert!(error(&case).contains("tracking must be 0 to 2 em"));
}

#[test]
fn a_folded_yaml_paragraph_sets_like_a_plain_one() {
    let case = Case::classic(same, |e| {
        let e = replace_exact(&e, "  - \"时光灿灿", "  - >-\n    时光灿灿");
        let e = replace_exact(&e, "征途漫漫，唯当", "征途漫漫，\n    唯当");
        replace_exact(&e, "示范区新篇章。\"", "示范区新篇章。")
    });
    let c = paiban::build::compose(&case.layout(), &case.edition(), Options::default()).unwrap();
    let text = c.composition.display.text();
    assert!(text.contains("征途漫漫，唯当砥砺前行"), "the folded line joins without a space");
}

#[test]
fn a_negative_wrap_offset_is_refused() {
    let case = Case::classic(
        |l| {
            replace_exact(
                &l,
                "{id: park, kind: picture, photo: park,",
                "{id: park, kind: picture, photo: park, wrap: {offset: -2em},",
            )
        },
        same,
    );
    assert!(error(&case).contains("a wrap offset cannot be negative"));
}

#[test]
fn every_missing_file_and_every_uncovered_character_is_named_at_once() {
    let case = Case::classic(
        |l| {
            replace_exact(
                &replace_exact(&l, "NotoSansCJKsc-Regular.otf", "Gone1.otf"),
                "NotoSansCJKsc-Bold.otf",
                "Gone2.otf",
            )
        },
        same,
    );
    let e = error(&case);
    assert!(e.contains("Gone1.otf") && e.contains("Gone2.otf"), "{e}");
    let case = Case::classic(same, |e| replace_exact(&replace_exact(&e, "时光灿灿", "时光한灿"), "沐浴着", "沐ᠮ着"));
    let e = error(&case);
    assert!(
        e.contains("U+D55C")
            && e.contains("closing paragraph 1")
            && e.contains("U+182E")
            && e.contains("lead paragraph 1"),
        "{e}"
    );
}

#[test]
fn a_file_outside_the_project_is_refused_unless_allowed() {
    let outside = root().join("images/lake-mountains.jpg").display().to_string();
    let case = Case::classic(same, |e| replace_exact(&e, "images/lake-mountains.jpg", &outside));
    let e = error(&case);
    let line = case.line_of("edition.yaml", &outside);
    assert!(e.contains(&format!("edition.yaml:{line}:")), "{e}");
    assert!(e.contains("lake-mountains.jpg") && e.contains("outside the project folder"), "{e}");
    assert!(e.contains("--allow-outside"), "{e}");
    // `..` that climbs out is outside too; a link inside the project is not.
    let case = Case::classic(same, |e| replace_exact(&e, "images/lake-mountains.jpg", "../escape/lake-mountains.jpg"));
    assert!(error(&case).contains("outside the project folder"));
    let case = Case::classic(same, |e| replace_exact(&e, "images/lake-mountains.jpg", &outside));
    build_edition(&case.layout(), &case.edition(), Options { allow_outside: true, ..Options::default() }).unwrap();
    // The command-line flag reaches the build.
    let run = paiban(case.dir.path(), ["--allow-outside", "check", "edition.yaml"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stdout));
    let run = paiban(case.dir.path(), ["check", "edition.yaml"]);
    assert_eq!(run.status.code(), Some(1));
}
