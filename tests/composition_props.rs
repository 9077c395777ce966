//! Properties of the line breaker over random Chinese text mixed with punctuation, Latin
//! words and numbers, random measures and random per-line width profiles.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use paiban::fonts::{Face, FontBook};
use paiban::spec::layout::{Kinsoku, LineEndTrim};
use paiban::text::{class_of, set_paragraph, Class, Config, StyledRun, Widths};
use proptest::prelude::*;

const EM: f32 = 9.0;

fn book() -> &'static FontBook {
    static BOOK: OnceLock<FontBook> = OnceLock::new();
    BOOK.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoSerifCJKsc-Regular.otf");
        let data = Arc::new(std::fs::read(&path).unwrap());
        FontBook { faces: vec![Face::from_bytes("serif", &path, 0, data).unwrap()] }
    })
}

fn token() -> impl Strategy<Value = String> {
    let han =
        prop::sample::select("城市建设事务中心人民江津滨新发展项目经济高质量的一二三国".chars().collect::<Vec<_>>())
            .prop_map(String::from);
    let mark = prop::sample::select("，。、；：？！“”（）《》·".chars().collect::<Vec<_>>()).prop_map(String::from);
    let unit = prop::sample::select(vec!["——", "……"]).prop_map(String::from);
    // A Latin word or number is followed by a Han character, so that no two merge into
    // one word longer than a column (a lone word cannot be justified).
    let word = prop_oneof!["[A-Za-z]{1,4}国", "[A-Za-z]{1,3} [A-Za-z]{1,3}国", "国/国", "国-国"];
    let number = prop_oneof!["[0-9]{1,4}年", "[0-9]{1,2}\\.[0-9]亿", "[0-9]{1,2}%的", "¥[0-9]{1,3}元"];
    prop_oneof![10 => han, 3 => mark, 1 => unit, 1 => word, 1 => number]
}

fn level() -> impl Strategy<Value = Kinsoku> {
    prop::sample::select(vec![Kinsoku::None, Kinsoku::Basic, Kinsoku::Gb, Kinsoku::Strict])
}

/// The class kinsoku sees at a line edge: a —— pair is a two-em dash, not two connectors.
fn edge_class(chars: &[char], at: usize) -> Class {
    let pair = |a: usize, b: usize| chars.get(a) == Some(&'—') && chars.get(b) == Some(&'—');
    if chars[at] == '—' && (pair(at, at + 1) || (at > 0 && pair(at - 1, at))) {
        Class::Dash
    } else {
        class_of(chars[at])
    }
}

/// A mark inside a run of three or more marks: clreq lets such a run break a rule.
fn in_mark_run(chars: &[char], at: usize) -> bool {
    let is_mark = |c: char| class_of(c).is_mark();
    let mut start = at;
    while start > 0 && is_mark(chars[start - 1]) {
        start -= 1;
    }
    let mut end = at;
    while end + 1 < chars.len() && is_mark(chars[end + 1]) {
        end += 1;
    }
    end + 1 - start >= 3
}

/// The widest run of characters that kinsoku glues together around `at`, in em, counted
/// independently of the engine: a break between two characters is legal unless the left
/// one may not end a line or the right one may not start one (a —— pair counting as one
/// dash), nor between a number and its unit (`keep_number_with_unit`, on by default: 2024年).
/// Dashes and ellipses count an em, other marks and ASCII half (marks may be compressed),
/// everything else one, and a Han–Latin junction the eighth of an em its autospace shrinks to.
fn glued_width(chars: &[char], at: usize, kinsoku: Kinsoku) -> f32 {
    let glued = |i: usize| {
        kinsoku.no_end(edge_class(chars, i))
            || kinsoku.no_start(edge_class(chars, i + 1))
            || (chars[i] == '—' && chars[i + 1] == '—')
            || (chars[i].is_ascii_alphanumeric() && chars[i + 1].is_ascii_alphanumeric())
            || (chars[i].is_ascii_digit() && paiban::text::classes::unit_after_number(&chars[i + 1..]) > 0)
    };
    let legal = |i: usize| !glued(i);
    let mut start = at;
    while start > 0 && !legal(start - 1) {
        start -= 1;
    }
    let mut end = at;
    while end + 1 < chars.len() && !legal(end) {
        end += 1;
    }
    let width = |c: char| match c {
        '—' | '…' => 1.0,
        _ if class_of(c).is_mark() || c.is_ascii() => 0.5,
        _ => 1.0,
    };
    let han = |c: char| class_of(c) == Class::Ideograph;
    let autospace = chars[start..=end]
        .windows(2)
        .filter(|w| (w[0].is_ascii_alphanumeric() && han(w[1])) || (han(w[0]) && w[1].is_ascii_alphanumeric()));
    chars[start..=end].iter().map(|&c| width(c)).sum::<f32>() + autospace.count() as f32 / 8.0
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn lines_keep_every_character_obey_kinsoku_and_end_flush(
        tokens in prop::collection::vec(token(), 1..120),
        widths in prop::collection::vec(5u32..=30, 1..8),
        kinsoku in level(),
        always_trim in any::<bool>(),
        hanging in any::<bool>(),
        split in 0usize..200,
    ) {
        let text: String = tokens.concat();
        let config = Config {
            kinsoku,
            line_end_trim: if always_trim { LineEndTrim::Always } else { LineEndTrim::Allow },
            hanging,
            ..Config::default()
        };
        // The text in two runs (a bold run-in head and the rest), split at a character.
        let cut = text.char_indices().nth(split % text.chars().count().max(1)).map_or(0, |(i, _)| i);
        let runs = [
            StyledRun { text: &text[..cut], fonts: &[0], size: EM, tracking: 0.0, tag: 1 },
            StyledRun { text: &text[cut..], fonts: &[0], size: EM, tracking: 0.0, tag: 0 },
        ];
        let lines = set_paragraph(&runs, book(), &config, Widths::new(|i| Some(widths[i % widths.len()] as f32 * EM), 0.0)).unwrap();

        let set: String = lines.iter().flat_map(|l| l.glyphs.iter().map(|g| g.text)).collect();
        let visible: String = text.chars().filter(|c| *c != ' ').collect();
        prop_assert_eq!(&set, &visible, "characters lost, added or reordered");

        let chars: Vec<char> = visible.chars().collect();
        let mut at = 0;
        for (i, line) in lines.iter().enumerate() {
            let first = line.glyphs[0].text;
            let last = line.glyphs[line.glyphs.len() - 1].text;
            let end = at + line.glyphs.len() - 1;
            // A rule may be broken only where clreq allows (three marks in a row), or where
            // what it glues together cannot fit the narrowest line at all.
            let narrowest = *widths.iter().min().unwrap() as f32;
            let excused = |k: usize| in_mark_run(&chars, k) || glued_width(&chars, k, kinsoku) > narrowest;
            if i > 0 && kinsoku.no_start(edge_class(&chars, at)) {
                prop_assert!(excused(at), "line {} starts with {}: {:?}", i, first, text);
            }
            if i + 1 < lines.len() && kinsoku.no_end(edge_class(&chars, end)) {
                prop_assert!(excused(end), "line {} ends with {}: {:?}", i, last, text);
            }
            if i + 1 < lines.len() {
                prop_assert!(!line.overfull, "line {} overfull", i);
                let measure = widths[i % widths.len()] as f32 * EM;
                if line.ragged {
                    // Only a line of one unbreakable unit (nothing to stretch between) may
                    // fall short, e.g. `00.0` before a —— that strict kinsoku keeps off the
                    // next line's start.
                    prop_assert_eq!(line.advances.len(), 1, "line {} ragged", i);
                } else {
                    prop_assert!((line.right - measure).abs() < 0.01, "line {} ends at {} of {}", i, line.right, measure);
                }
            }
            at += line.glyphs.len();
        }
    }
}
