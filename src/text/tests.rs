//! The numbered cases of clreq-rules.md §9, each a test asserting exact breaks and
//! advances (tolerance 0.001 em). Han = 1 em; GB style, level `gb`, adjacent 1.5 em,
//! line-end trim `allow`, no line-start trim, no hanging, indent 0, unless stated.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::*;
use crate::fonts::{Face, FontBook};
use crate::spec::layout::{Adjacent, Hanging, LineEndTrim, PunctuationStyle};

mod bounded;
mod reads;
mod reference;

const EM: f32 = 10.0;

pub(crate) fn book() -> &'static FontBook {
    static BOOK: OnceLock<FontBook> = OnceLock::new();
    BOOK.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoSerifCJKsc-Regular.otf");
        let data = Arc::new(std::fs::read(&path).unwrap());
        FontBook { faces: vec![Face::from_bytes("serif", &path, 0, data).unwrap()] }
    })
}

fn runs(text: &str) -> [StyledRun<'_>; 1] {
    [StyledRun { text, fonts: &[0], size: EM, tracking: 0.0, tag: 0 }]
}

fn set(text: &str, width_em: f32, config: Config) -> Vec<Line> {
    set_paragraph(&runs(text), book(), &config, width_em * EM).unwrap()
}

fn prepared(text: &str, config: Config) -> Prepared {
    prepare(&runs(text), book(), &config).unwrap()
}

fn texts(lines: &[Line]) -> Vec<String> {
    lines.iter().map(|l| l.glyphs.iter().map(|g| g.text).collect()).collect()
}

/// Space between consecutive glyph boxes in em: what justification (and autospace) added.
fn gaps(line: &Line) -> Vec<f32> {
    line.glyphs.windows(2).map(|w| (w[1].x - w[0].x - w[0].advance) / EM).collect()
}

fn advances(line: &Line) -> Vec<f32> {
    line.advances.iter().map(|a| a / EM).collect()
}

fn close(actual: f32, expected: f32) -> bool {
    (actual - expected).abs() < 0.001
}

fn assert_em(actual: f32, expected: f32) {
    assert!(close(actual, expected), "expected {expected} em, got {actual}");
}

fn assert_ems(actual: &[f32], expected: &[f32]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!(close(*a, *e), "{actual:?} vs {expected:?}");
    }
}

fn flush(line: &Line, width_em: f32) {
    assert!((line.right - width_em * EM).abs() < 0.01, "line ends at {} em, not {width_em}", line.right / EM);
}

fn with(f: impl FnOnce(&mut Config)) -> Config {
    let mut c = Config::default();
    f(&mut c);
    c
}

// §9.1 Prohibitions and push-in/push-out.

#[test]
fn a1_push_out_when_push_in_cannot_fit() {
    let lines = set("国国国国国，国国。", 5.0, Config::default());
    assert_eq!(texts(&lines), ["国国国国", "国，国国。"]);
    assert_ems(&gaps(&lines[0]), &[1.0 / 3.0; 3]);
    flush(&lines[0], 5.0);
}

#[test]
fn a2_hanging_pause_mark() {
    let lines = set("国国国国国，国国。", 5.0, with(|c| c.hanging = true));
    assert_eq!(texts(&lines), ["国国国国国，", "国国。"]);
    assert!(lines[0].hang);
    flush(&lines[0], 5.0);
    // The comma starts at the measure's edge: outside it.
    assert_em(lines[0].glyphs[5].x / EM, 5.0);
}

#[test]
fn a3_push_in_by_priority() {
    let lines = set("国国（国国）国国国国，国国。", 10.0, Config::default());
    assert_eq!(texts(&lines), ["国国（国国）国国国国，", "国国。"]);
    assert_ems(&advances(&lines[0]), &[1.0, 1.0, 0.75, 1.0, 1.0, 0.75, 1.0, 1.0, 1.0, 1.0, 0.5]);
    flush(&lines[0], 10.0);
}

#[test]
fn a4_opening_quote_pushed_to_the_next_line() {
    let lines = set("国国国国国国国国国“国国”。", 10.0, Config::default());
    assert_eq!(texts(&lines), ["国国国国国国国国国", "“国国”。"]);
    assert_ems(&gaps(&lines[0]), &[0.125; 8]);
    assert_em(advances(&lines[1])[0], 1.0);
}

#[test]
fn a5_opening_quote_trimmed_at_line_start() {
    let lines = set("国国国国国国国国国“国国”。", 10.0, with(|c| c.trim_open_at_line_start = true));
    assert_eq!(texts(&lines), ["国国国国国国国国国", "“国国”。"]);
    assert_em(advances(&lines[1])[0], 0.5);
    // The quote's ink moves to the column edge.
    assert_em(lines[1].glyphs[0].x / EM, -0.5);
}

#[test]
fn a6_two_em_dash_may_start_a_line_at_gb() {
    let lines = set("国国国国国——国国", 6.0, Config::default());
    assert_eq!(texts(&lines), ["国国国国国", "——国国"]);
    assert_ems(&gaps(&lines[0]), &[0.25; 4]);
}

#[test]
fn a7_strict_keeps_the_dash_off_the_line_start() {
    let lines = set("国国国国国——国国", 6.0, with(|c| c.kinsoku = Kinsoku::Strict));
    assert_eq!(texts(&lines), ["国国国国", "国——国国"]);
    assert_ems(&gaps(&lines[0]), &[2.0 / 3.0; 3]);
    // Loose: more than the default quarter em per gap, as the report counts it.
    assert!(lines[0].stretch_per_gap / EM > crate::text::LOOSE_EM);
}

#[test]
fn a8_interpunct_is_half_width_and_never_starts_a_line() {
    let lines = set("居里·玛丽", 3.0, Config::default());
    assert_eq!(texts(&lines), ["居里·", "玛丽"]);
    assert_em(advances(&lines[0])[2], 0.5);
    flush(&lines[0], 3.0);
}

#[test]
fn p2_units_are_never_split() {
    // P1 (no forbidden line edges at any level) is the property test in
    // tests/composition_props.rs; P2 here, over every width from 3 to 11 em.
    let text = "国国——国国……国Typst国3.14国85%国¥100国2024年国国国国国国国国国";
    for width in 3..12 {
        let all = texts(&set(text, width as f32, Config::default()));
        for unit in ["——", "……", "Typst", "3.14", "85%", "¥100"] {
            assert!(all.iter().any(|l| l.contains(unit)), "{unit} split at width {width}: {all:?}");
        }
        assert_eq!(all.concat(), text);
    }
}

// §9.2 Adjacent compression.

fn line_advances(text: &str, config: Config) -> Vec<f32> {
    let lines = set(text, 40.0, config);
    assert_eq!(lines.len(), 1);
    advances(&lines[0])
}

#[test]
fn b1_stop_then_closing_quote() {
    assert_ems(&line_advances("国。”国", Config::default()), &[1.0, 0.5, 1.0, 1.0]);
}

#[test]
fn b2_colon_before_quote_and_stop_before_closing_quote() {
    assert_ems(&line_advances("他说：“好。”", Config::default()), &[1.0, 1.0, 0.5, 1.0, 1.0, 0.5, 1.0]);
}

#[test]
fn b3_closing_then_opening_bracket() {
    assert_ems(&line_advances("国）（国", Config::default()), &[1.0, 0.5, 1.0, 1.0]);
}

#[test]
fn b4_nested_openings_and_closings() {
    assert_ems(&line_advances("“《国》”", Config::default()), &[1.0, 0.5, 1.0, 0.5, 1.0]);
}

#[test]
fn b5_empty_brackets_are_not_compressed() {
    assert_ems(&line_advances("（）", Config::default()), &[1.0, 1.0]);
    assert_ems(&line_advances("“”", Config::default()), &[1.0, 1.0]);
}

#[test]
fn b6_three_marks_in_a_row() {
    assert_ems(&line_advances("国。”）国", Config::default()), &[1.0, 0.5, 0.5, 1.0, 1.0]);
}

#[test]
fn b7_adjacent_one_em() {
    let config = with(|c| c.adjacent = Adjacent::One);
    assert_ems(&line_advances("国）（国", config), &[1.0, 0.5, 0.5, 1.0]);
}

#[test]
fn b8_question_and_exclamation_pairs() {
    let two = line_advances("好？！", Config::default());
    assert_em(two[1] + two[2], 1.0);
    let three = line_advances("好？？？", Config::default());
    assert_em(three[1] + three[2] + three[3], 2.0);
}

#[test]
fn b9_dash_and_ellipsis_are_two_em_units() {
    assert_ems(&line_advances("国——国", Config::default()), &[1.0, 2.0, 1.0]);
    assert_ems(&line_advances("国……国", Config::default()), &[1.0, 2.0, 1.0]);
    // The dash's two glyphs touch: a continuous line.
    let lines = set("国——国", 40.0, Config::default());
    let (a, b) = (&lines[0].glyphs[1], &lines[0].glyphs[2]);
    assert_em((b.x - a.x - a.advance) / EM, 0.0);
    // The ellipsis: two full-width glyphs of three dots each, touching: six dots over 2 em.
    let lines = set("国……国", 40.0, Config::default());
    let (a, b) = (&lines[0].glyphs[1], &lines[0].glyphs[2]);
    assert_em(a.advance / EM, 1.0);
    assert_em((b.x - a.x) / EM, 1.0);
}

/// The horizontal extent of a glyph's ink, in em from its origin.
fn ink_x(face: usize, gid: u16) -> Option<(f32, f32)> {
    struct Extent(f32, f32);
    impl crate::fonts::OutlinePen for Extent {
        fn move_to(&mut self, x: f32, _: f32) {
            self.0 = self.0.min(x);
            self.1 = self.1.max(x);
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.move_to(x, y)
        }
        fn quad_to(&mut self, _: f32, _: f32, x: f32, y: f32) {
            self.move_to(x, y)
        }
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, x: f32, y: f32) {
            self.move_to(x, y)
        }
        fn close(&mut self) {}
    }
    let f = &book().faces[face];
    let mut e = Extent(f32::INFINITY, f32::NEG_INFINITY);
    (f.draw_outline(gid, &mut e) && e.0 <= e.1).then(|| (e.0 / f.units_per_em, e.1 / f.units_per_em))
}

#[test]
fn two_em_dash_is_one_continuous_rule_and_keeps_both_characters() {
    let lines = set("国——国", 40.0, Config::default());
    let glyphs = &lines[0].glyphs;
    // Copy-out keeps both characters, one glyph each, each a 1-em box.
    assert_eq!(texts(&lines), ["国——国"]);
    assert_em(glyphs[1].advance / EM, 1.0);
    assert_em((glyphs[2].x - glyphs[1].x) / EM, 1.0);
    // The first draws the face's 2-em ligature; the second is drawn by it.
    assert!(!glyphs[1].ligated && glyphs[2].ligated);
    let (left, right) = ink_x(glyphs[1].face, glyphs[1].id).unwrap();
    assert!(right - left > 1.8, "one rule across both ems: ink {left}..{right} em");
    // The second glyph's own ink lies inside the rule, so drawing it as well changes nothing.
    let (l2, r2) = ink_x(glyphs[2].face, glyphs[2].id).unwrap();
    assert!(1.0 + l2 >= left && 1.0 + r2 <= right, "{l2}..{r2} inside {left}..{right}");
    // A single dash is a connector in its own full-width form, not the ligature.
    let single = set("国—国", 40.0, Config::default());
    assert_ne!(single[0].glyphs[1].id, glyphs[1].id);
    assert!(!single[0].glyphs[1].ligated);
}

#[test]
fn compression_crosses_style_boundaries() {
    // A bold run-in head followed by a quote in the regular run (Typst #5474).
    let runs = [
        StyledRun { text: "写好生态。", fonts: &[0], size: EM, tracking: 0.0, tag: 1 },
        StyledRun { text: "“国”", fonts: &[0], size: EM, tracking: 0.0, tag: 0 },
    ];
    let lines = set_paragraph(&runs, book(), &Config::default(), 40.0 * EM).unwrap();
    assert_ems(&advances(&lines[0]), &[1.0, 1.0, 1.0, 1.0, 0.5, 1.0, 1.0, 1.0]);
}

#[test]
fn punctuation_styles() {
    let kaiming = with(|c| c.punctuation = PunctuationStyle::Kaiming);
    assert_ems(&line_advances("国，国。国“国”", kaiming), &[1.0, 0.5, 1.0, 1.0, 1.0, 0.5, 1.0, 0.5]);
    let banjiao = with(|c| c.punctuation = PunctuationStyle::Banjiao);
    assert_ems(&line_advances("国，国。国“国”", banjiao), &[1.0, 0.5, 1.0, 0.5, 1.0, 0.5, 1.0, 0.5]);
}

// §9.3 Line start and end trimming.

#[test]
fn c1_line_end_mark_kept_full_width_when_it_fits() {
    let lines = set("国国国国国。国国国国国国", 6.0, with(|c| c.line_end_trim = LineEndTrim::Allow));
    assert_eq!(texts(&lines)[0], "国国国国国。");
    assert_em(advances(&lines[0])[5], 1.0);
    assert_ems(&gaps(&lines[0]), &[0.0; 5]);
}

#[test]
fn c2_line_end_mark_always_trimmed() {
    let lines = set("国国国国国。国国国国国国", 6.0, with(|c| c.line_end_trim = LineEndTrim::Always));
    assert_eq!(texts(&lines)[0], "国国国国国。");
    assert_em(advances(&lines[0])[5], 0.5);
    assert_ems(&gaps(&lines[0]), &[0.1; 5]);
    flush(&lines[0], 6.0);
}

#[test]
fn c3_stop_mark_pushes_its_character_down() {
    let lines = set("国国国国国国。国", 6.0, Config::default());
    assert_eq!(texts(&lines), ["国国国国国", "国。国"]);
    assert_ems(&gaps(&lines[0]), &[0.25; 4]);
}

#[test]
fn c4_hanging_loses_to_the_orphan_rule() {
    let lines = set("国国国国国国。国", 6.0, with(|c| c.hanging = true));
    assert_eq!(texts(&lines), ["国国国国国", "国。国"]);
}

#[test]
fn c5_opening_bracket_trimmed_at_line_start() {
    let lines = set("国国国国国（国国）国", 5.0, with(|c| c.trim_open_at_line_start = true));
    assert_eq!(texts(&lines), ["国国国国国", "（国国）国"]);
    assert_em(advances(&lines[1])[0], 0.5);
}

// §9.4 Latin and digits.

fn glue_em(p: &Prepared) -> Vec<f32> {
    p.junctions.iter().map(|j| j.glue / EM).collect()
}

#[test]
fn d1_autospace_between_han_and_latin_or_digits() {
    let p = prepared("第4章介绍了API。", Config::default());
    // 第 4 章 介 绍 了 API 。
    assert_ems(&glue_em(&p), &[0.25, 0.25, 0.0, 0.0, 0.0, 0.25, 0.0]);
}

#[test]
fn d2_no_autospace_next_to_punctuation() {
    let p = prepared("“API”很好", Config::default());
    assert_ems(&glue_em(&p), &[0.0, 0.0, 0.0, 0.0]);
}

#[test]
fn d3_typed_spaces_become_the_gap() {
    let p = prepared("使用 API 接口", Config::default());
    assert_ems(&glue_em(&p), &[0.0, 0.25, 0.25, 0.0]);
    let lines = set("使用 API 接口", 40.0, Config::default());
    assert_eq!(texts(&lines), ["使用API接口"]);
}

#[test]
fn d4_latin_word_is_never_split_nor_stretched_inside() {
    let lines = set("国国国国国国Typst国", 8.0, Config::default());
    assert!(texts(&lines).iter().any(|l| l.contains("Typst")));
    for line in &lines {
        for w in line.glyphs.windows(2) {
            if w[0].text.is_ascii_alphabetic() && w[1].text.is_ascii_alphabetic() {
                assert!((w[1].x - w[0].x - w[0].advance).abs() < 1e-3, "space added inside Typst");
            }
        }
    }
}

#[test]
fn d5_numbers_with_signs_stay_whole_and_numeric_autospace_switches() {
    let text = "国2024年国85%国¥100国3.14国";
    for width in 3..10 {
        let all = texts(&set(text, width as f32, Config::default()));
        for unit in ["2024", "85%", "¥100", "3.14"] {
            assert!(all.iter().any(|l| l.contains(unit)), "{unit} split at width {width}: {all:?}");
        }
    }
    let on = prepared("2024年", Config::default());
    assert_em(on.junctions[0].glue / EM, 0.25);
    // Kinsoku at gb allows 2024|年; `keep_number_with_unit` (default on) keeps 年 with it.
    assert!(!on.junctions[0].breakable, "2024|年 kept together by keep_number_with_unit");
    let free = prepared("2024年", with(|c| c.keep_number_with_unit = false));
    assert!(free.junctions[0].breakable, "2024|年 may break at gb");
    let off = prepared("2024年", with(|c| c.autospace_numeric = false));
    assert_em(off.junctions[0].glue / EM, 0.0);
    let alpha_off = prepared("了API", with(|c| c.autospace_alpha = false));
    assert_em(alpha_off.junctions[0].glue / EM, 0.0);
}

#[test]
fn autospace_shrinks_to_an_eighth_and_vanishes_at_line_edges() {
    // In a measure a little narrower than the line, the two Han–Latin gaps give way first.
    let p = prepared("国国国国A国", Config::default());
    let natural: f32 = p.atoms.iter().map(|a| a.width).sum::<f32>() + p.junctions.iter().map(|j| j.glue).sum::<f32>();
    let lines = set("国国国国A国", (natural - 0.2 * EM) / EM, Config::default());
    assert_eq!(lines.len(), 1, "{:?}", texts(&lines));
    let g = gaps(&lines[0]);
    assert_ems(&[g[3], g[4]], &[0.15, 0.15]);
    // At a break the gap is gone: the line after starts flush.
    let lines = set("国国国国国国A国国国国国", 6.0, Config::default());
    assert_eq!(texts(&lines)[1].chars().next(), Some('A'));
    assert_em(lines[1].glyphs[0].x, 0.0);
}

// §9.5 Paragraph rules.

#[test]
fn e1_no_single_character_plus_stop_on_the_last_line() {
    let lines = set("国国国国国国国。", 6.0, Config::default());
    assert_eq!(texts(&lines), ["国国国国国", "国国。"]);
    assert_ems(&gaps(&lines[0]), &[0.25; 4]);
    assert!(lines[1].orphan_avoided, "the report counts the avoided 孤字");
    assert!(!set("国国国国国国", 6.0, Config::default())[0].orphan_avoided);
}

#[test]
fn e2_no_single_character_last_line() {
    let lines = set("国国国国国国国", 6.0, Config::default());
    assert_eq!(texts(&lines), ["国国国国国", "国国"]);
}

#[test]
fn e3_first_line_indent_of_two_em() {
    let lines = set("国国国国国国国国国国", 6.0, with(|c| c.indent = 2.0 * EM));
    assert_eq!(texts(&lines), ["国国国国", "国国国国国国"]);
    assert_em(lines[0].glyphs[0].x / EM, 2.0);
}

#[test]
fn e4_push_in_after_the_indent() {
    let lines = set("“国国国”国国国国", 6.0, with(|c| c.indent = 2.0 * EM));
    assert_eq!(texts(&lines), ["“国国国”", "国国国国"]);
    assert_ems(&advances(&lines[0]), &[0.5, 1.0, 1.0, 1.0, 0.5]);
    flush(&lines[0], 6.0);
}

// Beyond the numbered cases.

#[test]
fn total_fit_spreads_the_slack_over_the_paragraph() {
    // First fit would leave one very loose line; total fit shares it out.
    let text = "国国国国国国国国国国，国国国国国国国国国国“国国国国国”国国国国国国国国。";
    let lines = set(text, 12.0, Config::default());
    let worst = lines[..lines.len() - 1].iter().map(|l| l.stretch_per_gap / EM).fold(0.0, f32::max);
    assert!(worst <= 0.1, "worst stretch {worst} em: {:?}", texts(&lines));
}

#[test]
fn varying_measures_per_line() {
    let widths = [4.0, 6.0, 3.0, 10.0];
    let runs = runs("国国国国国国国国国国国国国国国国国");
    let lines = set_paragraph(
        &runs,
        book(),
        &Config::default(),
        Widths::new(|i| widths.get(i).map(|w| w * EM), widths[3] * EM),
    )
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
fn no_start_marks_in_a_long_run_still_set_every_character() {
    // More closing marks in a row than fit a line: the three-marks remedy breaks a rule
    // rather than lose text.
    let text = "国”」』）】》〉”」』）】》〉国";
    let lines = set(text, 3.0, Config::default());
    assert_eq!(texts(&lines).concat(), text);
}

#[test]
fn hanging_is_configured_from_yaml_spellings() {
    let spec = crate::spec::layout::CompositionSpec { hanging: Some(Hanging::Allow), ..Default::default() };
    assert!(Config::from_spec(&spec, crate::spec::layout::Align::Justify, 0.0, 9.0).hanging);
}

#[test]
fn signed_numbers_programming_names_addresses_and_apostrophes_stay_whole() {
    for width in 3..9 {
        let all = texts(&set("国国零下-5℃国国型号C++国a@b.com国Don’t国", width as f32, Config::default()));
        for unit in ["-5℃", "C++", "a@b.com", "Don’t"] {
            assert!(all.iter().any(|l| l.contains(unit)), "{unit} split at width {width}: {all:?}");
        }
    }
    // The apostrophe inside a word takes the face's proportional form, not a full em.
    let lines = set("Don’t", 40.0, Config::default());
    let apostrophe = &lines[0].glyphs[3];
    assert!(apostrophe.advance < 0.5 * EM, "{}", apostrophe.advance / EM);
    // The quotes round a word stay full width.
    assert_ems(&line_advances("“API”", Config::default())[..1], &[1.0]);
}

#[test]
fn line_breaks_in_the_yaml_vanish_between_han_and_stay_a_space_between_words() {
    let folded = prepared("国国\n国国", Config::default());
    assert!(folded.junctions.iter().all(|j| j.glue == 0.0));
    let words = prepared("hello\nworld", Config::default());
    assert!(words.junctions[0].glue > 0.2 * EM);
    // Zero-width spaces and soft hyphens draw nothing.
    let invisible = set("国\u{200B}国\u{00AD}国\n", 40.0, Config::default());
    assert_eq!(texts(&invisible), ["国国国"]);
}

#[test]
fn a_long_run_without_a_legal_break_is_still_set() {
    // No break is allowed anywhere in 600 closing quotes: the last resort breaks the
    // rules, and must not take the cube of the run's length to do it.
    let text = format!("国{}国", "”".repeat(600));
    let lines = set(&text, 13.0, Config::default());
    assert_eq!(texts(&lines).concat(), text);
}

#[test]
fn uncovered_character_is_reported() {
    let err = set_paragraph(&runs("国한국"), book(), &Config::default(), 100.0).unwrap_err();
    assert_eq!(err.ch, '한');
}

// Issue 11, item 5: line-level fixes.

#[test]
fn ideographic_space_is_one_full_width_blank_kept_as_typed() {
    let lines = set("本报记者\u{3000}王小明", 40.0, Config::default());
    assert_eq!(texts(&lines), ["本报记者\u{3000}王小明"]);
    assert_em(advances(&lines[0])[4], 1.0);
    // 王 stands after four characters and the blank: at 5 em.
    assert_em(lines[0].glyphs[5].x / EM, 5.0);
    // At the start of a line it is kept too (the folio's `　第1版　专版`), and two in a row
    // are two ems, never collapsed into one.
    let lines = set("\u{3000}第1版\u{3000}\u{3000}专版", 40.0, with(|c| c.align = Align::Start));
    assert_eq!(texts(&lines), ["\u{3000}第1版\u{3000}\u{3000}专版"]);
    assert_em(lines[0].glyphs[1].x / EM, 1.0);
    let ads = advances(&lines[0]);
    assert_em(ads[0], 1.0);
    assert_em(ads[3] + ads[4], 2.0);
    // No Han–Latin autospace next to it: it is not a Han character.
    let p = prepared("版\u{3000}A", Config::default());
    assert_ems(&glue_em(&p), &[0.0, 0.0]);
}

#[test]
fn a_number_keeps_its_measure_word_or_unit() {
    // 二期等7｜个项目: the number goes down with its measure word.
    let lines = set("国国国国国7个项目建设", 6.0, Config::default());
    assert_eq!(texts(&lines), ["国国国国国", "7个项目建设"]);
    // Without the rule the break falls between them: the test can fail.
    let loose = set("国国国国国7个项目建设", 6.0, with(|c| c.keep_number_with_unit = false));
    assert_eq!(texts(&loose), ["国国国国国7", "个项目建设"]);
    // 额48｜亿元: a magnitude and its unit stay with the number, and with each other.
    let lines = set("国国国国额48亿元国国国", 6.0, Config::default());
    assert!(texts(&lines).iter().any(|l| l.contains("48亿元")), "{:?}", texts(&lines));
    // 2022年11｜月.
    let lines = set("国国2022年11月国国国国", 6.0, Config::default());
    assert!(texts(&lines).iter().any(|l| l.contains("11月")), "{:?}", texts(&lines));
    assert!(texts(&lines).iter().any(|l| l.contains("2022年")), "{:?}", texts(&lines));
    // Not a unit: the number may end a line.
    let p = prepared("国7的国", Config::default());
    assert!(p.junctions[1].breakable);
    let p = prepared("国7个国", Config::default());
    assert!(!p.junctions[1].breakable && p.junctions[2].breakable);
}

#[test]
fn keep_number_with_unit_is_read_from_the_composition_keys() {
    let spec = crate::spec::layout::CompositionSpec { keep_number_with_unit: Some(false), ..Default::default() };
    assert!(!Config::from_spec(&spec, Align::Justify, 0.0, 9.0).keep_number_with_unit);
    assert!(Config::from_spec(&Default::default(), Align::Justify, 0.0, 9.0).keep_number_with_unit);
}

// Issue 11, item 4: titles break between words, balanced, never over their measure.

fn title(text: &str, width_em: f32) -> Vec<Line> {
    let config = with(|c| c.align = Align::Center);
    title::set_title(&runs(text), book(), &config, &mut |_| width_em * EM).unwrap()
}

/// The set width of a line in em: from its first glyph's box to its last's.
fn set_width(line: &Line) -> f32 {
    let (a, b) = (&line.glyphs[0], &line.glyphs[line.glyphs.len() - 1]);
    (b.box_x + b.box_width - a.box_x) / EM
}

#[test]
fn the_segmenter_finds_the_words_of_a_head() {
    // 闲置|空间|的|华丽|转变, as character offsets where each word ends.
    assert_eq!(title::word_ends("闲置空间的华丽转变"), [2, 4, 5, 7, 9]);
    let ends = title::word_ends("履职担当勇毅“笃行”");
    assert!(ends.contains(&2) && !ends.contains(&5), "履职 is a word and 勇毅 is not split: {ends:?}");
}

#[test]
fn a_title_breaks_between_words_into_balanced_lines() {
    // 11 body characters of 9 pt under a 12 pt head: 8.25 em of the head's size.
    let m = 11.0 * 9.0 / 12.0;
    assert_eq!(texts(&title("闲置空间的华丽转变", m)), ["闲置空间的", "华丽转变"]);
    // 履职担当勇｜毅“笃行” was the paragraph breaker's choice: mid-word.
    assert_eq!(texts(&title("履职担当勇毅“笃行”", m)), ["履职担当", "勇毅“笃行”"]);
    assert_eq!(texts(&title("华丽", m)), ["华丽"]);
    // What fits on one line stays on one line.
    assert_eq!(texts(&title("发展活力持续“迸发”", 12.0)), ["发展活力持续“迸发”"]);
}

#[test]
fn a_title_never_splits_a_word_and_its_lines_stay_within_two_characters() {
    for width in 2..=9usize {
        let lines = title("闲置空间的华丽转变", width as f32);
        let all = texts(&lines);
        assert_eq!(all.concat(), "闲置空间的华丽转变");
        for word in ["闲置", "空间", "华丽", "转变"] {
            assert!(all.iter().any(|l| l.contains(word)), "{word} split at {width} em: {all:?}");
        }
        // The fewest lines the words allow (闲置|空间|的|华丽|转变).
        let fewest = [5, 4, 3, 2, 2, 2, 2, 1][width - 2];
        assert_eq!(lines.len(), fewest, "{width} em: {all:?}");
        let lengths: Vec<f32> = lines.iter().map(set_width).collect();
        let longest = lengths.iter().copied().fold(0.0, f32::max);
        for (line, len) in lines.iter().zip(&lengths) {
            assert!(!line.overfull && *len <= width as f32 + 0.001, "{width} em: {all:?}");
        }
        if width >= 4 {
            let shortest = lengths.iter().copied().fold(f32::INFINITY, f32::min);
            assert!(longest - shortest <= 2.0 + 0.001, "unbalanced at {width} em: {all:?}");
        }
    }
}

#[test]
fn a_designer_may_force_the_breaks_of_a_title() {
    let forced = format!("闲置空间{}华丽转变", crate::spec::edition::FORCED_BREAK);
    assert_eq!(texts(&title(&forced, 40.0)), ["闲置空间", "华丽转变"]);
    // Each forced line is itself broken between words when it does not fit.
    let forced = format!("履职担当勇毅“笃行”{}闲置", crate::spec::edition::FORCED_BREAK);
    assert_eq!(texts(&title(&forced, 8.25)), ["履职担当", "勇毅“笃行”", "闲置"]);
    // Prepared once, as the layout prepares every block: the forced break is recorded.
    let p = prepared(&format!("闲置空间{}华丽转变", crate::spec::edition::FORCED_BREAK), Config::default());
    assert_eq!(p.forced_breaks, [4]);
    let config = with(|c| c.align = Align::Center);
    assert_eq!(texts(&title::set_prepared_title(&p, &config, &mut |_| 40.0 * EM)), ["闲置空间", "华丽转变"]);
    // In a paragraph the mark is read as a space between Han characters: nothing is drawn.
    assert_eq!(texts(&set(&format!("国{}国", crate::spec::edition::FORCED_BREAK), 10.0, Config::default())), ["国国"]);
}

#[test]
fn a_title_that_fills_its_measure_does_not_overhang_it() {
    // 117 pt of a 13-character column under a 12 pt head: 9.75 em for 10 em of text, which
    // fits by setting the closing quote at the line end half width.
    let lines = title("履职担当勇毅“笃行”", 9.75);
    assert_eq!(texts(&lines), ["履职担当勇毅“笃行”"]);
    let line = &lines[0];
    assert!(line.right / EM <= 9.75 + 0.001, "the line ends at {} em", line.right / EM);
    // Every glyph's em box, as a reader of the PDF sees it, lies inside the measure: the
    // closing quote keeps its full em, and the opening quote gave way instead.
    for g in &line.glyphs {
        assert!(
            g.x >= -0.001 && (g.x + g.advance) / EM <= 9.75 + 0.001,
            "{} reaches {} em",
            g.text,
            (g.x + g.advance) / EM
        );
    }
    let last = &line.glyphs[line.glyphs.len() - 1];
    assert_em(last.box_width / EM, 1.0);
    // The paragraph breaker, by contrast, trims the quote and lets its em box overhang.
    let para = set("履职担当勇毅“笃行”", 9.75, with(|c| c.align = Align::Center));
    let g = &para[0].glyphs[para[0].glyphs.len() - 1];
    assert!((g.x + g.advance) / EM > 9.75 + 0.1);
    // With no blank inside the line to take, the title breaks rather than overhang.
    assert_eq!(texts(&title("城市面貌擘画新景”", 8.5)).len(), 2);
}
