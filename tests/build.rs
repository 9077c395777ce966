//! End to end: the demo edition built to PDF and read back with lopdf.

mod common;

use common::*;
use paiban::build::{build_edition, Options};

fn demo_pdf() -> &'static [u8] {
    static PDF: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PDF.get_or_init(|| build_edition(&demo_layout(), &demo_edition(), Options::default()).expect("demo builds").pdf)
}

#[test]
fn fonts_are_embedded_as_subsets_with_unicode_maps() {
    let doc = load(demo_pdf());
    let fonts = fonts(&doc);
    assert!(fonts.len() >= 3, "{fonts:?}");
    for f in &fonts {
        let (tag, name) = f.base_font.split_once('+').unwrap_or_else(|| panic!("{} has no subset tag", f.base_font));
        assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()), "{}", f.base_font);
        assert!(!name.is_empty());
        assert_eq!(f.subtype, "Type0");
        assert_eq!(f.encoding, "Identity-H");
        assert!(f.descendant_subtype.starts_with("CIDFontType"), "{f:?}");
        assert!(f.embedded, "{} is not embedded", f.base_font);
        assert!(f.has_to_unicode, "{} has no ToUnicode", f.base_font);
    }
    // Subsets: beside its photos, the page is far smaller than one embedded 5 MB CJK font.
    let photos: u64 = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Image".as_slice()))
        .map(|s| s.content.len() as u64)
        .sum();
    let fonts_and_text = demo_pdf().len() as u64 - photos;
    assert!(fonts_and_text < 2_000_000, "{fonts_and_text} bytes besides the photos");
}

#[test]
fn the_text_reads_back_in_order_with_nothing_lost_or_added() {
    let doc = load(demo_pdf());
    let pdf_text = text(&doc);
    assert!(!pdf_text.contains('\u{FFFD}'));
    let (headline, body) = edition_text(&demo_edition());
    let body = body.concat();
    let h = pdf_text.find(&headline).expect("the headline is in the PDF");
    let b = pdf_text.find(&body).unwrap_or_else(|| {
        let common = pdf_text.chars().zip(body.chars()).take_while(|(a, b)| a == b).count();
        panic!("the body text is not in the PDF in reading order; first {common} characters agree")
    });
    assert!(h < b, "the headline comes first");
    // Nothing else but the folio line and the captions is on the page.
    let yaml: serde_norway::Value = serde_norway::from_str(&std::fs::read_to_string(demo_edition()).unwrap()).unwrap();
    let mut rest = pdf_text.replacen(&headline, "", 1).replacen(&body, "", 1);
    for photo in yaml["photos"].as_sequence().unwrap() {
        let caption = photo["caption"].as_str().unwrap();
        assert!(rest.contains(caption), "caption {caption} is on the page");
        rest = rest.replacen(caption, "", 1);
    }
    // The slug line outside the trim names the edition, date, page and producer.
    // Its ideographic spaces (U+3000) are kept as typed.
    let slug = format!("江津区城市建设事务中心2024年工作回眸　2025-01-16　第1版　paiban{}", env!("CARGO_PKG_VERSION"));
    assert!(rest.contains(&slug), "slug line: {rest}");
    let rest = rest.replacen(&slug, "", 1);
    assert!(rest.chars().count() < 60, "unexpected extra text: {rest}");
    assert!(rest.contains("2025年1月16日"), "folio with the edition date: {rest}");
}

#[test]
fn the_seed_text_is_all_in_the_edition() {
    // The demo edition rebuilds the seed page: every character the seed prints is in it.
    use std::collections::HashMap;
    let seed = std::fs::read_to_string(root().join("tests/fixtures/seed.txt")).unwrap();
    let count = |s: &str| {
        let mut m: HashMap<char, i64> = HashMap::new();
        for c in s.chars().filter(|c| !c.is_whitespace()) {
            *m.entry(c).or_default() += 1;
        }
        m
    };
    let yaml: serde_norway::Value = serde_norway::from_str(&std::fs::read_to_string(demo_edition()).unwrap()).unwrap();
    let (headline, body) = edition_text(&demo_edition());
    let captions: String =
        yaml["photos"].as_sequence().unwrap().iter().map(|p| p["caption"].as_str().unwrap().to_owned()).collect();
    let ours = count(&format!("{headline}{}{captions}", body.concat()));
    let mut seed = count(&seed);
    // The seed draws one caption twice (an outline effect), ours once.
    for c in "居然之家智能家居生活馆".chars() {
        *seed.get_mut(&c).unwrap() -= 1;
    }
    let mut diff: Vec<(char, i64)> = seed
        .keys()
        .chain(ours.keys())
        .map(|c| (*c, ours.get(c).copied().unwrap_or(0) - seed.get(c).copied().unwrap_or(0)))
        .filter(|&(_, d)| d != 0)
        .collect();
    diff.sort();
    diff.dedup();
    assert!(diff.is_empty(), "characters differ from the seed (ours − seed): {diff:?}");
}

#[test]
fn two_builds_are_byte_identical() {
    let again = build_edition(&demo_layout(), &demo_edition(), Options::default()).unwrap().pdf;
    assert!(again == demo_pdf(), "a second build in the same process differs");
}

#[test]
fn two_processes_write_byte_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str| {
        let out = dir.path().join(name);
        let status = paiban(&root(), ["build", "editions/2024.yaml", "-o", out.to_str().unwrap()]);
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        std::fs::read(out).unwrap()
    };
    assert!(run("a.pdf") == run("b.pdf"));
}

#[test]
fn a_bad_layout_fails_with_its_position_and_leaves_the_old_pdf_alone() {
    let dir = tempfile::tempdir().unwrap();
    let layout = std::fs::read_to_string(demo_layout()).unwrap().replace("column_chars: 13", "column_chars: thirteen");
    let bad = dir.path().join("layout.yaml");
    std::fs::write(&bad, layout).unwrap();
    let out = dir.path().join("page.pdf");
    std::fs::write(&out, b"the previous build").unwrap();
    let result = paiban(
        &root(),
        ["build", "--layout", bad.to_str().unwrap(), demo_edition().to_str().unwrap(), "-o", out.to_str().unwrap()],
    );
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    let line = std::fs::read_to_string(&bad).unwrap().lines().position(|l| l.contains("thirteen")).unwrap() + 1;
    assert!(stderr.contains(&format!("layout.yaml:{line}:")), "{stderr}");
    assert!(stderr.contains("grid.column_chars") && stderr.contains("u32"), "{stderr}");
    assert!(stderr.contains("^"), "a caret under the bad value: {stderr}");
    assert_eq!(std::fs::read(&out).unwrap(), b"the previous build");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).collect();
    assert_eq!(leftovers.len(), 2, "no temporary files are left behind");
}

#[test]
fn bad_usage_exits_with_2() {
    let result = paiban(&root(), ["build", "--no-such-flag"]);
    assert_eq!(result.status.code(), Some(2));
    let result = paiban(&root(), ["build", "editions/2024.yaml", "editions/2024.yaml", "-o", "x.pdf"]);
    assert_eq!(result.status.code(), Some(2));
}

#[test]
fn body_lines_sit_on_the_grid_and_end_flush() {
    use paiban::layout::LineRole;
    let paiban::build::Composed { job, composition, .. } =
        paiban::build::compose(&demo_layout(), &demo_edition(), Options::default()).unwrap();
    let grid = job.grid;
    let offset = (grid.pitch - grid.char) / 2.0 + 0.88 * grid.char;
    let mut body = 0;
    for line in composition.display.lines().filter(|l| l.role == LineRole::Body) {
        let style_pitch = line.glyphs[0].size == grid.char;
        if !style_pitch {
            continue;
        }
        body += 1;
        let k = (line.baseline - job.page.area_top - offset) / grid.pitch;
        assert!((k - k.round()).abs() < 1e-3, "{} line off the grid at y={}", line.origin, line.baseline);
        if !line.last {
            let right = line.right;
            assert!((right - (line.left + line.measure)).abs() < 0.01, "{} ragged: ends at {right}", line.origin);
        }
    }
    assert!(body > 100, "{body} body lines checked");
}

#[test]
fn no_body_line_breaks_a_kinsoku_rule() {
    use paiban::text::{class_of, Kinsoku};
    let composition = paiban::build::compose(&demo_layout(), &demo_edition(), Options::default()).unwrap().composition;
    for line in composition.display.lines() {
        let first = line.glyphs.first().unwrap().text;
        let last = line.glyphs.last().unwrap().text;
        assert!(!Kinsoku::Gb.no_start(class_of(first)), "{}: a line starts with {first}", line.origin);
        assert!(!Kinsoku::Gb.no_end(class_of(last)), "{}: a line ends with {last}", line.origin);
    }
}

#[test]
fn demo_page_composition_walk() {
    use paiban::text::{class_of, Class};
    let composition = paiban::build::compose(&demo_layout(), &demo_edition(), Options::default()).unwrap().composition;
    let summary = paiban::report::summarize(&composition);
    assert_eq!(summary.orphans_left, 0, "single-character last lines");
    assert_eq!(summary.overset_chars, 0);
    let mut pairs = 0;
    for line in composition.display.lines() {
        assert!(!line.ragged, "{}: a ragged justified line", line.origin);
        for w in line.glyphs.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let (ca, cb) = (class_of(a.text), class_of(b.text));
            let a_closes = matches!(ca, Class::PauseStop | Class::Closing) && a.advance > 0.9 * a.size;
            let pair = (a_closes && matches!(cb, Class::PauseStop | Class::Closing | Class::Opening))
                || (ca == Class::Opening && cb == Class::Opening);
            if pair && b.advance > 0.9 * b.size {
                pairs += 1;
                let distance = (b.x - a.x) / a.size;
                // Set in 1.5 em or less (push-in may take the rest), never overlapping.
                assert!(
                    (-0.001..=0.501).contains(&distance),
                    "{}: {}{} not compressed ({distance} em)",
                    line.origin,
                    a.text,
                    b.text
                );
            }
        }
    }
    assert!(pairs > 10, "only {pairs} adjacent pairs on the page");
}
