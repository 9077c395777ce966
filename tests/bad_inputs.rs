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
            ":41: page 1, frame `body`, `shape`: only picture frames take this key; this frame is `kind: text`",
        ),
        (
            "a folio's text on a picture",
            Box::new(|l| replace_exact(&l, "photo: station,", "photo: station, text: hello,")),
            Box::new(same),
            "page 1, frame `station`, `text`: only folio frames take this key",
        ),
        (
            "polygon corners on a rectangle",
            Box::new(|l| replace_exact(&l, "photo: station,", "photo: station, points: [[0, 0], [1, 0], [1, 1]],")),
            Box::new(same),
            "page 1, frame `station`, `points`: only a `shape: polygon` takes `points`",
        ),
    ];
    for (what, layout, edition, expected) in cases {
        let project = Project::classic(layout, edition);
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
        let project = Project::classic(move |l| replace_exact(&l, &from, "damaged-font"), same);
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

/// A bad input, the file and line its error must point at (the first line of that file
/// containing `needle`, after the edits) and a part of its message.
struct Placed {
    what: &'static str,
    layout: Box<dyn Fn(String) -> String>,
    edition: Box<dyn Fn(String) -> String>,
    file: &'static str,
    needle: &'static str,
    expected: &'static str,
}

fn placed(
    what: &'static str,
    layout: impl Fn(String) -> String + 'static,
    edition: impl Fn(String) -> String + 'static,
    (file, needle): (&'static str, &'static str),
    expected: &'static str,
) -> Placed {
    Placed { what, layout: Box::new(layout), edition: Box::new(edition), file, needle, expected }
}

const STATION: &str = "photo: station, columns: 7-8";

#[test]
fn bad_numbers_ids_tags_and_text_are_refused_at_their_place() {
    let with_station = |extra: &'static str| {
        move |l: String| replace_exact(&l, STATION, &format!("photo: station, {extra}columns: 7-8"))
    };
    let cases = vec![
        placed(
            "a negative inset",
            |l| replace_exact(&l, "inset: 1,", "inset: -30,"),
            same,
            ("layout.yaml", "inset: -30"),
            "page 1, frame `lead-box`, `inset`: an inset of -30 characters is outside 0–12.5",
        ),
        placed(
            "an inset wider than the column: one error, at the inset",
            |l| replace_exact(&l, "inset: 1,", "inset: 100,"),
            same,
            ("layout.yaml", "inset: 100"),
            "an inset of 100 characters",
        ),
        placed(
            "a negative stroke width",
            with_station("stroke: {width: -1mm}, "),
            same,
            ("layout.yaml", "width: -1mm"),
            "page 1, frame `station`, `stroke.width`: -2.83",
        ),
        placed(
            "caption_lines of 4294967295",
            |l| replace_exact(&l, "caption: overlay,", "caption: overlay, caption_lines: 4294967295,"),
            same,
            ("layout.yaml", "caption_lines: 4294967295"),
            "4294967295 caption lines would take the whole frame of 37 lines",
        ),
        placed(
            "an offset of 1e38 pt",
            with_station("offset: [100000000000000000000000000000000000000pt, 0mm], "),
            same,
            ("layout.yaml", "offset: [1000"),
            "is more than 14400pt (200 in)",
        ),
        placed(
            "space_before of 4294967295",
            |l| replace_exact(&l, "    space_before: 1\n    color", "    space_before: 4294967295\n    color"),
            same,
            ("layout.yaml", "space_before: 4294967295"),
            "styles.closing.space_before: 4294967295 is outside 0–",
        ),
        placed(
            "a page of 100000 mm",
            |l| replace_exact(&l, "  size: broadsheet", "  width: 100000mm\n  height: 545mm"),
            same,
            ("layout.yaml", "width: 100000mm"),
            "`100000mm` is more than 14400pt",
        ),
        placed(
            "a polygon whose corners are all equal",
            with_station("shape: polygon, points: [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]], "),
            same,
            ("layout.yaml", "shape: polygon"),
            "enclose (almost) no area",
        ),
        placed(
            "a polygon whose corners are on one line",
            with_station("shape: polygon, points: [[0, 0], [0.5, 0.5], [1, 1]], "),
            same,
            ("layout.yaml", "shape: polygon"),
            "enclose (almost) no area",
        ),
        placed(
            "a year of 4294967295",
            same,
            |e| replace_exact(&e, "year: 2024", "year: 4294967295"),
            ("edition.yaml", "year: 4294967295"),
            "edition.year: 4294967295 is outside 1000–9999",
        ),
        placed(
            "two photos `lake`",
            same,
            |e| replace_exact(&e, "  - id: station", "  - id: lake"),
            ("edition.yaml", "  - id: lake\n    image: images/station"),
            "photo `lake`, `id`: the id `lake` is taken already, at line",
        ),
        placed(
            "two sections `party`",
            same,
            |e| replace_exact(&e, "  - id: economy", "  - id: party   # twice"),
            ("edition.yaml", "party   # twice"),
            "section `party`, `id`: the id `party` is taken already",
        ),
        placed(
            "two styles `body`",
            |l| replace_exact(&l, "  folio:\n    font: sans\n", "  body:\n    font: sans\n"),
            same,
            ("layout.yaml", "  body:\n    font: sans\n"),
            "`styles.body` is written twice: here and at line",
        ),
        placed(
            "a frame id twice",
            |l| {
                replace_exact(
                    &l,
                    "      - {id: body, thread",
                    "      - {id: station, kind: box, columns: 1, lines: 1}\n      - {id: body, thread",
                )
            },
            same,
            ("layout.yaml", "{id: station, kind: box"),
            "page 1, frame `station`, `id`: a frame named `station` already exists, at line",
        ),
        placed(
            "!!binary on a string",
            same,
            |e| replace_exact(&e, "title: \"江津区", "title: !!binary \"江津区"),
            ("edition.yaml", "!!binary"),
            "YAML tags such as `!!binary` are not used",
        ),
        placed(
            "a custom tag on the root",
            |l| format!("--- !layout\n{l}"),
            same,
            ("layout.yaml", "!layout"),
            "YAML tags such as `!layout`",
        ),
        placed(
            "a whitespace-only paragraph",
            same,
            |e| replace_exact(&e, "  - \"且听，", "  - \"　　 \"\n  - \"且听，"),
            ("edition.yaml", "\"　　 \""),
            "lead paragraph 2: the paragraph is empty (or only spaces)",
        ),
        placed(
            "a fill over the ink limit",
            |l| replace_exact(&l, "fill: \"cmyk(8, 4, 0, 0)\"", "fill: \"cmyk(100, 100, 100, 100)\""),
            same,
            ("layout.yaml", "cmyk(100, 100, 100, 100)"),
            "page 1, frame `lead-box`, `fill`: a fill of 400% ink is over the print.ink_limit of 240%",
        ),
        placed(
            "a headline higher than its frame",
            |l| replace_exact(&l, "columns: 1-8, lines: 3-13,", "columns: 1-8, lines: 3-5,"),
            same,
            ("layout.yaml", "lines: 3-5"),
            "page 1, frame `headline`, `lines`: the headline of",
        ),
        placed(
            "a caption that needs more lines than its frame gives",
            with_station("caption_lines: 1, "),
            |e| {
                replace_exact(
                    &e,
                    "caption: 渝昆高铁江津北站通车运营",
                    &format!("caption: {}", "渝昆高铁江津北站通车运营".repeat(6)),
                )
            },
            ("layout.yaml", "caption_lines: 1"),
            "the caption of photo `station` (",
        ),
        placed(
            "a variable that tries to add keys to its frame",
            same,
            |e| {
                format!("{e}variables:\n  hero: 'lake\", stroke: {{width: 5mm, color: \"cmyk(0, 100, 100, 0)\"}}, fit: \"contain'\n")
            },
            ("layout.yaml", "photo: \"{var.hero}\""),
            "has no photo with id `lake\", stroke: {width: 5mm",
        ),
    ];
    for case in cases {
        let project = Project::classic(&case.layout, &case.edition);
        let text = std::fs::read_to_string(project.dir.path().join(case.file)).unwrap();
        let line = text[..text.find(case.needle).unwrap_or_else(|| panic!("{}: no {:?}", case.what, case.needle))]
            .matches('\n')
            .count()
            + 1;
        let e = match build_edition(&project.layout(), &project.edition(), Options::default()) {
            Ok(_) => panic!("{}: the build should fail with `{}`", case.what, case.expected),
            Err(e) => e.to_string(),
        };
        let at = format!("{}:{line}:", case.file);
        assert!(
            e.contains(&at) && e.contains(case.expected),
            "{}: expected {at} … {} in:\n{e}",
            case.what,
            case.expected
        );
        assert!(!e.contains("wider than its column"), "{}: one error, not one per column:\n{e}", case.what);
    }
}

#[test]
fn an_error_after_a_substituted_variable_points_at_the_column_as_written() {
    let project = Project::classic(
        |l| replace_exact(&l, "fill: \"{var.brand}\", bleed: true}", "fill: \"{var.brand}\", bleed: maybe}"),
        |e| format!("{e}variables:\n  brand: \"cmyk(100, 80, 0, 20.0000000000)\"\n"),
    );
    let text = std::fs::read_to_string(project.layout()).unwrap();
    let (n, written) = text.lines().enumerate().find(|(_, l)| l.contains("bleed: maybe")).unwrap();
    let column = written[..written.find("maybe").unwrap()].chars().count() + 1;
    let e = match build_edition(&project.layout(), &project.edition(), Options::default()) {
        Ok(_) => panic!("`bleed: maybe` should fail"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains(&format!("layout.yaml:{}:{column}: ", n + 1)), "{e}");
    assert!(e.contains(written), "the snippet shows the line as written: {e}");
}

#[test]
fn no_symbolic_link_and_no_dot_dot_reads_outside_the_project() {
    // assets/link -> ELSEWHERE/sub; `assets/link/../secret.jpg` is ELSEWHERE/secret.jpg.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir(elsewhere.path().join("sub")).unwrap();
    std::fs::copy(root().join("images/lake-mountains.jpg"), elsewhere.path().join("secret.jpg")).unwrap();
    std::fs::copy(root().join("fonts/SmileySans-Oblique.ttf"), elsewhere.path().join("secret.ttf")).unwrap();
    type Edit = Box<dyn Fn(String) -> String>;
    let cases: Vec<(&str, Edit, Edit, &str)> = vec![
        (
            "a photo",
            Box::new(same),
            Box::new(|e| replace_exact(&e, "images/lake-mountains.jpg", "assets/link/../secret.jpg")),
            "secret.jpg",
        ),
        (
            "a font",
            Box::new(|l| replace_exact(&l, "fonts/SmileySans-Oblique.ttf", "assets/link/../secret.ttf")),
            Box::new(same),
            "secret.ttf",
        ),
        (
            "a font through a link to the file",
            Box::new(|l| replace_exact(&l, "fonts/SmileySans-Oblique.ttf", "assets/font.ttf")),
            Box::new(same),
            "font.ttf",
        ),
    ];
    for (what, layout, edition, file) in cases {
        let project = Project::classic(layout, edition);
        let assets = project.dir.path().join("assets");
        std::fs::create_dir(&assets).unwrap();
        std::os::unix::fs::symlink(elsewhere.path().join("sub"), assets.join("link")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path().join("secret.ttf"), assets.join("font.ttf")).unwrap();
        let e = match build_edition(&project.layout(), &project.edition(), Options::default()) {
            Ok(_) => panic!("{what}: read from outside the project"),
            Err(e) => e.to_string(),
        };
        assert!(e.contains(file) && e.contains("outside the project folder"), "{what}: {e}");
        // With --allow-outside it is read (the file is fine).
        paiban::model::Job::load_confined(&project.layout(), &project.edition(), true)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
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
        let project = Project::classic(same, |e| replace_exact(&e, "images/lake-mountains.jpg", name));
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
