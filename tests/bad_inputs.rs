//! A table of bad inputs, each with the error it must produce: never a panic, never a PDF.

mod common;

use common::*;
use paiban::build::{build_edition, Options};

fn fails_with(project: &Project, expected: &str) {
    match build_edition(&project.layout(), &project.edition(), Options::default()) {
        Ok(_) => panic!("the build should fail with `{expected}`"),
        Err(e) => assert!(e.to_string().contains(expected), "expected `{expected}` in: {e}"),
    }
}

#[test]
fn bad_inputs_and_their_errors() {
    let lol = "[\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]";
    let bomb = format!(
        "a: &a {lol}\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
    );
    type Edit = Box<dyn Fn(String) -> String>;
    let cases: Vec<(&str, Edit, Edit, &str)> = vec![
        ("empty edition", Box::new(same), Box::new(|_| String::new()), "the file is empty"),
        ("binary garbage", Box::new(same), Box::new(|_| "\u{1}\u{2}\u{3}\u{0}%PDF".into()), "edition.yaml:1:"),
        ("YAML bomb of aliases", Box::new(same), Box::new(move |_| bomb.clone()), "unknown field `a`"),
        (
            "a PNG header claiming 32768 × 32768 pixels",
            Box::new(same),
            Box::new(|e| replace_exact(&e, "images/lake-mountains.jpg", "fixtures/huge-header.png")),
            "more than this program accepts",
        ),
        (
            "a 0-column grid",
            Box::new(|l| replace_exact(&l, "columns: 8\n", "columns: 0\n")),
            Box::new(same),
            "at least one column",
        ),
        (
            "a negative margin",
            Box::new(|l| replace_exact(&l, "top: 20mm", "top: -20mm")),
            Box::new(same),
            "cannot be negative",
        ),
        (
            "a circle larger than the page",
            Box::new(|l| replace_exact(&l, "columns: 2-3, lines: 65-76,", "columns: 2-3, lines: 65-400,")),
            Box::new(same),
            "line 400 is outside the grid",
        ),
        (
            "a thread with no frames",
            Box::new(|l| replace_exact(&l, "threads:\n", "threads:\n  orphan:\n    content: [closing]\n")),
            Box::new(same),
            "thread `orphan` has no frame to flow into",
        ),
        (
            "text no font covers",
            Box::new(same),
            Box::new(|e| replace_exact(&e, "时光灿灿", "ᠮᠣᠩᠭᠣᠯ灿灿")),
            "no font covers",
        ),
        (
            "a picture's key on a text frame",
            Box::new(|l| replace_exact(&l, "thread: main, columns: 1-8", "thread: main, shape: circle, columns: 1-8")),
            Box::new(same),
            ":41: pages[0].frames[5].shape: only picture frames take this key; this frame is `kind: text`",
        ),
        (
            "a folio's text on a picture",
            Box::new(|l| replace_exact(&l, "photo: station,", "photo: station, text: hello,")),
            Box::new(same),
            "pages[0].frames[4].text: only folio frames take this key",
        ),
        (
            "polygon corners on a rectangle",
            Box::new(|l| replace_exact(&l, "photo: station,", "photo: station, points: [[0, 0], [1, 0], [1, 1]],")),
            Box::new(same),
            "pages[0].frames[4].points: only a `shape: polygon` takes `points`",
        ),
    ];
    for (what, layout, edition, expected) in cases {
        let project = Project::new(layout, edition);
        eprintln!("case: {what}");
        fails_with(&project, expected);
    }
}

/// `font` (in fonts/) with `edit` applied, given where the table directory's record of
/// `tag` and the table itself start.
fn damaged_font(font: &str, tag: &[u8; 4], edit: fn(&mut Vec<u8>, usize, usize)) -> Vec<u8> {
    let mut bytes = std::fs::read(root().join("fonts").join(font)).unwrap();
    let tables = u16::from_be_bytes([bytes[4], bytes[5]]) as usize;
    let record = (0..tables).map(|i| 12 + 16 * i).find(|&r| &bytes[r..r + 4] == tag).unwrap();
    let offset = u32::from_be_bytes(bytes[record + 8..record + 12].try_into().unwrap()) as usize;
    edit(&mut bytes, record, offset);
    bytes
}

#[test]
fn damaged_fonts_are_refused_at_load_by_check_and_build_at_their_layout_line() {
    type Damage = fn(&mut Vec<u8>, usize, usize);
    let garble: Damage = |b, _, offset| {
        for (i, byte) in b[offset..offset + 200].iter_mut().enumerate() {
            *byte = (i as u8).wrapping_mul(37) ^ 0xA5;
        }
    };
    let too_long: Damage = |b, record, _| b[record + 12..record + 16].copy_from_slice(&0xFFFF_FFF0u32.to_be_bytes());
    let short_head: Damage = |b, record, _| b[record + 12..record + 16].copy_from_slice(&3u32.to_be_bytes());
    let cases: Vec<(&str, &str, &[u8; 4], Damage, &str)> = vec![
        ("garbled CFF bytes", "NotoSansCJKsc-Regular.otf", b"CFF ", garble, "outlines cannot be read"),
        ("a CFF table of 0xFFFFFFF0 bytes", "NotoSansCJKsc-Regular.otf", b"CFF ", too_long, "runs past the end"),
        ("a head table of 3 bytes", "SmileySans-Oblique.ttf", b"head", short_head, "`head` table"),
    ];
    for (what, font, tag, damage, expected) in cases {
        eprintln!("case: {what}");
        let from = format!("fonts/{font}");
        let project = Project::new(move |l| replace_exact(&l, &from, "damaged-font"), same);
        std::fs::write(project.dir.path().join("damaged-font"), damaged_font(font, tag, damage)).unwrap();
        let line = project.line_of("layout.yaml", "damaged-font");
        let wanted = [format!("layout.yaml:{line}:"), "damaged-font".to_owned(), expected.to_owned()];
        let build = match build_edition(&project.layout(), &project.edition(), Options::default()) {
            Ok(_) => panic!("{what}: the build should fail"),
            Err(e) => e.to_string(),
        };
        assert!(wanted.iter().all(|w| build.contains(w.as_str())), "{what}: build says {build}");
        let session = paiban::build::Session::default();
        let checked = paiban::build::check_in(&session, &project.layout(), &project.edition(), Options::default());
        let check = checked.to_string();
        assert!(wanted.iter().all(|w| check.contains(w.as_str())), "{what}: check says {check}");
    }
}

/// Issue 14, items 3 and 9: a truncated JPEG and a PNG decompression bomb are errors at the
/// edition's `image:` line, found from the headers (in `check` too), never decoded.
#[test]
fn truncated_jpegs_and_png_bombs_are_positioned_errors() {
    use paiban::build::{check_in, Session};
    let whole = std::fs::read(root().join("images/lake-mountains.jpg")).unwrap();
    // A PNG saying 20000 × 10000 RGBA (200 Mpx) with a few bytes of image data.
    let mut bomb = std::fs::read(root().join("tests/fixtures/opaque.png")).unwrap();
    bomb[16..20].copy_from_slice(&20_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&10_000u32.to_be_bytes());
    bomb[25] = 6;
    let cases: [(&str, Vec<u8>, &str); 3] = [
        ("cut.jpg", whole[..2000].to_vec(), "truncated JPEG"),
        ("half.jpg", whole[..whole.len() / 2].to_vec(), "truncated JPEG"),
        ("bomb.png", bomb, "more than its placed size can use"),
    ];
    for (name, bytes, expected) in cases {
        let project = Project::new(same, |e| replace_exact(&e, "images/lake-mountains.jpg", name));
        std::fs::write(project.dir.path().join(name), bytes).unwrap();
        let line = project.line_of("edition.yaml", name);
        let e = match build_edition(&project.layout(), &project.edition(), Options::default()) {
            Ok(_) => panic!("{name}: the build should fail"),
            Err(e) => e.to_string(),
        };
        assert!(e.contains(expected) && e.contains(&format!("edition.yaml:{line}:")), "{name}: {e}");
        // `check` reads headers only: fast, whatever the file claims.
        let start = std::time::Instant::now();
        let checked = check_in(&Session::default(), &project.layout(), &project.edition(), Options::default());
        let said = checked.to_string();
        assert!(said.contains(expected) && said.contains(&format!("edition.yaml:{line}:")), "{name}: {said}");
        assert!(start.elapsed().as_secs_f64() < 2.0, "{name}: {:?}", start.elapsed());
    }
}
