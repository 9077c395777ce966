//! Composition cases from clreq-rules.md §9 that the foundation covers (kinsoku,
//! push-out, unbreakable units, flush justification, indent). All with Han = 1 em.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::*;
use crate::fonts::{Face, FontBook};

const EM: f32 = 10.0;

pub(crate) fn book() -> &'static FontBook {
    static BOOK: OnceLock<FontBook> = OnceLock::new();
    BOOK.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoSerifCJKsc-Regular.otf");
        let data = Arc::new(std::fs::read(&path).unwrap());
        FontBook {
            faces: vec![Face::from_bytes("serif", &path, 0, data).unwrap()],
        }
    })
}

fn set(text: &str, width_em: f32, config: Config) -> Vec<Line> {
    let runs = [StyledRun {
        text,
        fonts: &[0],
        size: EM,
        tracking: 0.0,
        tag: 0,
    }];
    set_paragraph(&runs, book(), &config, &mut |_| width_em * EM).unwrap()
}

fn texts(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.glyphs.iter().map(|g| g.text).collect())
        .collect()
}

/// Gaps between consecutive glyph origins, in em, minus the glyph's own advance: the
/// space justification added.
fn added_space(line: &Line) -> Vec<f32> {
    line.glyphs
        .windows(2)
        .map(|w| (w[1].x - w[0].x) / EM - 1.0)
        .collect()
}

fn assert_em(actual: f32, expected: f32) {
    assert!(
        (actual - expected).abs() < 0.001,
        "expected {expected} em, got {actual}"
    );
}

#[test]
fn a1_pause_mark_is_not_left_at_line_start_push_out() {
    let lines = set("国国国国国，国国。", 5.0, Config::default());
    assert_eq!(texts(&lines), ["国国国国", "国，国国。"]);
    for gap in added_space(&lines[0]) {
        assert_em(gap, 1.0 / 3.0);
    }
    assert_em(lines[0].right / EM, 5.0);
    assert!(!lines[0].overfull);
    // The last line is not stretched.
    assert_eq!(lines[1].stretch_per_gap, 0.0);
}

#[test]
fn a6_two_em_dash_may_start_a_line_at_gb() {
    let lines = set("国国国国国——国国", 6.0, Config::default());
    assert_eq!(texts(&lines), ["国国国国国", "——国国"]);
    for gap in added_space(&lines[0]) {
        assert_em(gap, 0.25);
    }
}

#[test]
fn a7_strict_keeps_the_dash_off_the_line_start() {
    let config = Config {
        kinsoku: Kinsoku::Strict,
        ..Config::default()
    };
    let lines = set("国国国国国——国国", 6.0, config);
    assert_eq!(texts(&lines), ["国国国国", "国——国国"]);
    for gap in added_space(&lines[0]) {
        assert_em(gap, 2.0 / 3.0);
    }
}

#[test]
fn c3_stop_mark_pushes_its_character_down() {
    let lines = set("国国国国国国。国", 6.0, Config::default());
    assert_eq!(texts(&lines), ["国国国国国", "国。国"]);
    for gap in added_space(&lines[0]) {
        assert_em(gap, 0.25);
    }
}

#[test]
fn e3_first_line_indent_of_two_em() {
    let config = Config {
        indent: 2.0 * EM,
        ..Config::default()
    };
    let lines = set("国国国国国国国国国国", 6.0, config);
    assert_eq!(texts(&lines), ["国国国国", "国国国国国国"]);
    assert_em(lines[0].glyphs[0].x / EM, 2.0);
    assert_em(lines[1].glyphs[0].x / EM, 0.0);
}

#[test]
fn opening_mark_never_ends_a_line() {
    let lines = set("国国国国“国国”国", 5.0, Config::default());
    assert_eq!(texts(&lines), ["国国国国", "“国国”国"]);
}

#[test]
fn d4_latin_word_is_never_split_nor_stretched_inside() {
    let lines = set("国国国国国国Typst国", 8.0, Config::default());
    let all = texts(&lines);
    assert!(all.iter().any(|l| l.contains("Typst")), "{all:?}");
    for line in &lines {
        let glyphs = &line.glyphs;
        for w in glyphs.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if a.text.is_ascii_alphabetic() && b.text.is_ascii_alphabetic() {
                let advance = book().faces[0].glyph(a.text).unwrap().1 * EM;
                assert!(
                    (b.x - a.x - advance).abs() < 1e-3,
                    "space added inside Typst"
                );
            }
        }
    }
}

#[test]
fn p2_units_are_never_split() {
    let text = "国国——国国……国Typst国3.14国85%国¥100国2024年国国国国国国国国国";
    for width in 3..12 {
        let lines = set(text, width as f32, Config::default());
        let all = texts(&lines);
        for unit in ["——", "……", "Typst", "3.14", "85%", "¥100"] {
            assert!(
                all.iter().any(|l| l.contains(unit)),
                "{unit} split at width {width}: {all:?}"
            );
        }
        assert_eq!(all.concat(), text);
    }
}

#[test]
fn justified_lines_end_flush_and_last_line_is_ragged() {
    let text = "沐浴着和煦的冬日暖阳，行走在滨江新城，一个个繁忙、向上、幸福的场景，汇集成经济社会高质量发展的新图景——";
    let lines = set(
        text,
        13.0,
        Config {
            indent: 2.0 * EM,
            ..Config::default()
        },
    );
    assert!(lines.len() > 2);
    for line in &lines[..lines.len() - 1] {
        assert!(
            (line.right - 13.0 * EM).abs() < 0.01,
            "line ends at {}",
            line.right
        );
        let first = line.glyphs[0].text;
        assert!(
            !Kinsoku::Gb.no_start(class_of(first)),
            "line starts with {first}"
        );
    }
    assert!(lines.last().unwrap().right < 13.0 * EM);
}

#[test]
fn varying_measures_per_line() {
    let widths = [4.0, 6.0, 3.0, 10.0];
    let runs = [StyledRun {
        text: "国国国国国国国国国国国国国国国国国",
        fonts: &[0],
        size: EM,
        tracking: 0.0,
        tag: 0,
    }];
    let lines = set_paragraph(&runs, book(), &Config::default(), &mut |i| {
        widths[i.min(3)] * EM
    })
    .unwrap();
    let counts: Vec<usize> = lines.iter().map(|l| l.glyphs.len()).collect();
    assert_eq!(counts, [4, 6, 3, 4]);
}

#[test]
fn an_atom_wider_than_the_measure_is_flagged_overfull() {
    let lines = set("国Internationalization国", 5.0, Config::default());
    assert!(lines.iter().any(|l| l.overfull));
    assert_eq!(texts(&lines).concat(), "国Internationalization国");
}

#[test]
fn uncovered_character_is_reported() {
    let runs = [StyledRun {
        text: "国한국",
        fonts: &[0],
        size: EM,
        tracking: 0.0,
        tag: 0,
    }];
    let err = set_paragraph(&runs, book(), &Config::default(), &mut |_| 100.0).unwrap_err();
    assert_eq!(err.ch, '한');
}
