//! Pages of several stories: the story format, the one-article shape read as the story
//! `main`, jump lines (转版), pull quotes that push text away, and the warnings for
//! content no frame takes.

mod common;

use std::path::PathBuf;

use common::*;
use paiban::build::{build_edition, compose, Composed, Options};
use paiban::diagnostic::{Diagnostics, Severity};
use paiban::layout::{frame_box, ColumnReport, LineRole, TextLine};

fn district() -> PathBuf {
    root().join("examples/district")
}

/// The district example copied into a temporary folder, its files edited.
struct District {
    dir: tempfile::TempDir,
}

impl District {
    fn new(edit_layout: impl Fn(String) -> String, edit_edition: impl Fn(String) -> String) -> District {
        let dir = tempfile::tempdir().unwrap();
        link_assets(dir.path());
        let layout = std::fs::read_to_string(district().join("layout.yaml")).unwrap();
        std::fs::write(dir.path().join("layout.yaml"), edit_layout(layout)).unwrap();
        let edition = std::fs::read_to_string(district().join("edition.yaml")).unwrap();
        std::fs::write(dir.path().join("edition.yaml"), edit_edition(edition)).unwrap();
        District { dir }
    }
    fn layout(&self) -> PathBuf {
        self.dir.path().join("layout.yaml")
    }
    fn edition(&self) -> PathBuf {
        self.dir.path().join("edition.yaml")
    }
    fn compose(&self) -> Result<Composed, Diagnostics> {
        compose(&self.layout(), &self.edition(), Options::default())
    }
}

/// The text lines of page `p`.
fn lines_of(c: &Composed, p: usize) -> impl Iterator<Item = &TextLine> {
    c.composition.display.pages[p].items.iter().filter_map(|i| match i {
        paiban::layout::Item::Text(t) => Some(t),
        _ => None,
    })
}

fn text(line: &TextLine) -> String {
    line.glyphs.iter().map(|g| g.text).collect()
}

/// The jump lines of each page: (page, words, baseline, left).
fn jump_lines(c: &Composed) -> Vec<(usize, String, f32, f32)> {
    let mut out = Vec::new();
    for (p, page) in c.composition.display.pages.iter().enumerate() {
        for item in &page.items {
            if let paiban::layout::Item::Text(line) = item {
                if line.origin == "jumps" {
                    out.push((p, text(line), line.baseline, line.left));
                }
            }
        }
    }
    out
}

fn messages(d: &Diagnostics) -> Vec<String> {
    d.iter()
        .map(|d| match &d.location {
            Some(at) => format!("{} @{}", d.message, at.line),
            None => d.message.clone(),
        })
        .collect()
}

/// The demo edition rewritten in the story format: one story `main` whose body is the
/// intro, then each section's head and paragraphs.
fn demo_as_a_story() -> String {
    use serde_norway::{Mapping, Value};
    let text = std::fs::read_to_string(demo_edition()).unwrap().replace("../images/", "images/");
    let old: Mapping = serde_norway::from_str(&text).unwrap();
    let key = |k: &str| Value::String(k.into());
    let mut body: Vec<Value> = old[&key("intro")].as_sequence().unwrap().clone();
    for s in old[&key("sections")].as_sequence().unwrap() {
        let mut head = Mapping::new();
        for k in ["id", "kicker", "title"] {
            head.insert(key(k), s[k].clone());
        }
        body.push(Value::Mapping(head));
        body.extend(s["paragraphs"].as_sequence().unwrap().iter().cloned());
    }
    let mut story = Mapping::new();
    story.insert(key("id"), key("main"));
    for k in ["headline", "lead"] {
        story.insert(key(k), old[&key(k)].clone());
    }
    story.insert(key("body"), Value::Sequence(body));
    story.insert(key("closing"), old[&key("closing")].clone());
    let mut new = Mapping::new();
    new.insert(key("edition"), old[&key("edition")].clone());
    new.insert(key("stories"), Value::Sequence(vec![Value::Mapping(story)]));
    new.insert(key("photos"), old[&key("photos")].clone());
    serde_norway::to_string(&new).unwrap()
}

#[test]
fn the_one_article_shape_builds_the_same_pdf_as_its_story_form() {
    let old = Project::new(same, same);
    let new = Project::new(same, |_| demo_as_a_story());
    assert!(std::fs::read_to_string(new.edition()).unwrap().contains("stories:"));
    let a = build_edition(&old.layout(), &old.edition(), Options::default()).expect("the one-article shape builds");
    let b = build_edition(&new.layout(), &new.edition(), Options::default()).expect("its story form builds");
    assert_eq!(a.composition.threads, b.composition.threads);
    assert!(a.pdf == b.pdf, "the two shapes of the same content give different PDFs");
    // The old shape's content names mean the story `main`, so the story form's blocks
    // come from the same places (by position, `stories[0].body[3]`).
    assert_eq!(b.job.stories.len(), 1);
    assert_eq!(b.job.stories[0].id, "main");
}

#[test]
fn an_edition_in_both_shapes_is_an_error_saying_how_to_convert() {
    let p = Project::new(same, |e| format!("{e}stories:\n  - id: extra\n    body: [\"一段文字。\"]\n"));
    let err = compose(&p.layout(), &p.edition(), Options::default()).err().expect("both shapes at once fail");
    let all = messages(&err).join("\n");
    assert!(all.contains("both `stories:` and the one-article keys"), "{all}");
    assert!(all.contains("- id: main") && all.contains("body:"), "the message says how to convert: {all}");
    assert!(all.contains(&format!("@{}", p.line_of("edition.yaml", "headline:"))), "{all}");
}

#[test]
fn the_district_example_builds_with_jump_lines_reading_the_right_pages() {
    let c = compose(&district().join("layout.yaml"), &district().join("edition.yaml"), Options::default())
        .expect("the district example composes without overset");
    assert_eq!(c.composition.display.pages.len(), 2);
    let jumps = jump_lines(&c);
    assert_eq!(jumps.len(), 2, "{jumps:?}");
    let (to, from) = (&jumps[0], &jumps[1]);
    assert_eq!((to.0, to.1.as_str()), (0, "（下转第2版）"));
    assert_eq!((from.0, from.1.as_str()), (1, "（上接第1版）"));
    // The jump line ends the frame the lead leaves, under its last line there, and starts
    // the frame it resumes in, above its first line there.
    let job = &c.job;
    let frame = |page: usize, id: &str| job.pages[page].iter().find(|f| f.id == id).unwrap();
    let (_, top1, _, h1) = frame_box(job, frame(0, "lead-1"));
    let (_, top2, _, _) = frame_box(job, frame(1, "lead-2"));
    assert!(to.2 > top1 + h1 - job.grid.pitch && to.2 < top1 + h1, "下转 at the foot of lead-1: {to:?}");
    assert!(from.2 > top2 && from.2 < top2 + job.grid.pitch, "上接 at the top of lead-2: {from:?}");
    let lead: Vec<&TextLine> = lines_of(&c, 0).filter(|l| l.origin.starts_with("stories[0].")).collect();
    let last_col2 = lead.iter().filter(|l| (l.left - to.3).abs() < 60.0).map(|l| l.baseline).fold(0.0, f32::max);
    assert!(last_col2 < to.2, "the jump line comes after the column's last line of text");
    let byline = lines_of(&c, 0).find(|l| l.origin == "stories[0].byline").unwrap();
    assert_eq!(text(byline), "记者　王小明　通讯员　李华");
    let first = lines_of(&c, 0).find(|l| l.origin == "stories[0].lead[0]").unwrap();
    assert!(text(first).starts_with("本报讯　"), "the dateline runs in: {}", text(first));
}

#[test]
fn a_story_in_three_frames_on_two_pages_jumps_once_and_only_where_its_text_goes_on() {
    let split = |l: String| {
        replace_exact(
            &l,
            "{id: lead-1, thread: lead, columns: 1-2, lines: 12-46}",
            "{id: lead-1a, thread: lead, columns: 1, lines: 12-46}\n      - {id: lead-1b, thread: lead, columns: 2, lines: 12-46}",
        )
    };
    let d = District::new(split, same);
    let c = d.compose().expect("three frames compose");
    let jumps = jump_lines(&c);
    assert_eq!(
        jumps.iter().map(|j| (j.0, j.1.as_str())).collect::<Vec<_>>(),
        [(0, "（下转第2版）"), (1, "（上接第1版）")]
    );
    // From frame lead-1b, not lead-1a: both are on page 1.
    let b = c.job.pages[0].iter().find(|f| f.id == "lead-1b").unwrap();
    let (left, _, width, _) = frame_box(&c.job, b);
    assert!(jumps[0].3 >= left - 0.01 && jumps[0].3 < left + width);
    let lead = c.composition.threads.iter().find(|t| t.name == "lead").unwrap();
    assert_eq!(lead.frames, 3);
    // The jump to page 3 of a longer paper: the page numbers come from the pages.
    let three = District::new(
        |l| {
            replace_exact(
                &split(l),
                "  - frames:\n      - {id: folio-2",
                "  - frames:\n      - {id: empty, kind: box, columns: 1, lines: 1}\n  - frames:\n      - {id: folio-2",
            )
        },
        same,
    );
    let c = three.compose().expect("three pages compose");
    let words: Vec<(usize, String)> = jump_lines(&c).into_iter().map(|j| (j.0, j.1)).collect();
    assert_eq!(words, [(0, "（下转第3版）".to_string()), (2, "（上接第1版）".to_string())]);
    // When the text ends on page 1, no jump line says it goes on.
    let short = District::new(same, |e| {
        let start = e.find("  - id: econ").unwrap();
        let lead_end = e[..start].rfind("    body:").unwrap();
        format!("{}    body:\n      - \"短讯一则。\"\n      - {{quote: \"引语。\"}}\n\n{}", &e[..lead_end], &e[start..])
    });
    let c = short.compose().expect("a short lead composes");
    assert!(jump_lines(&c).is_empty(), "{:?}", jump_lines(&c));
}

#[test]
fn a_pull_quote_box_pushes_the_body_text_away() {
    let d = District::new(same, same);
    let c = d.compose().unwrap();
    let job = &c.job;
    let boxed = job.pages[0].iter().find(|f| f.id == "quote").unwrap();
    let (x, y, w, h) = frame_box(job, boxed);
    let quote: Vec<&TextLine> = lines_of(&c, 0).filter(|l| l.origin == "stories[0].body[1].quote").collect();
    assert!(!quote.is_empty(), "the pull quote is set");
    for l in &quote {
        assert!(l.baseline > y && l.baseline < y + h && l.left >= x && l.left + l.measure <= x + w + 0.01);
    }
    let body = |c: &Composed| -> Vec<(f32, f32, f32)> {
        lines_of(c, 0)
            .filter(|l| l.role == LineRole::Body && l.origin.starts_with("stories[0]."))
            .map(|l| (l.baseline, l.left, l.left + l.measure))
            .collect()
    };
    let inside = |lines: &[(f32, f32, f32)]| {
        lines.iter().filter(|&&(b, l, r)| b > y && b - 10.5 < y + h && r > x && l < x + w).count()
    };
    assert_eq!(inside(&body(&c)), 0, "no body line runs through the box");
    // The quote is not set again in the text, and without the box's wrap the text runs
    // through where the box stands.
    assert!(lines_of(&c, 0).filter(|l| l.origin == "stories[0].body[1].quote").all(|l| l.role == LineRole::Headline));
    let through = District::new(|l| replace_exact(&l, "wrap: {offset: 0.5em}}", "wrap: {side: none}}"), same);
    let c2 = through.compose().unwrap_or_else(|e| panic!("{:?}", messages(&e)));
    assert!(inside(&body(&c2)) > 4, "with `side: none` the text runs under the box");
    // A plain box with `wrap:` pushes text away too (a picture did; a box did not).
    let plain = Project::classic(
        |l| {
            replace_exact(
                &l,
                BODY_FRAME,
                &format!(
                    "{BODY_FRAME}\n      - {{id: empty, kind: box, columns: 1, lines: 54-58, wrap: {{offset: 0pt}}}}"
                ),
            )
        },
        same,
    );
    let c3 = compose(&plain.layout(), &plain.edition(), Options { allow_overset: true, ..Options::default() }).unwrap();
    let f = c3.job.pages[0].iter().find(|f| f.id == "empty").unwrap();
    let (bx, by, bw, bh) = frame_box(&c3.job, f);
    let hits = lines_of(&c3, 0)
        .filter(|l| {
            l.role == LineRole::Body
                && l.baseline > by
                && l.baseline < by + bh
                && l.left < bx + bw
                && l.left + l.measure > bx
        })
        .count();
    assert_eq!(hits, 0);
}

fn warnings_of(d: &District) -> Vec<String> {
    let allow = Options { allow_overset: true, ..Options::default() };
    let c = compose(&d.layout(), &d.edition(), allow).unwrap_or_else(|e| panic!("{:?}", messages(&e)));
    c.composition
        .warnings
        .iter()
        .map(|w| format!("{} @{}", w.message, w.location.as_ref().map_or(0, |l| l.line)))
        .collect()
}

#[test]
fn the_district_example_leaves_nothing_off_the_page() {
    let d = District::new(same, same);
    let w = warnings_of(&d);
    assert!(
        !w.iter().any(|m| m.contains("not on the page") || m.contains("two threads") || m.contains("already at")),
        "{w:?}"
    );
}

/// The district example as a make-up editor sends it to the plant (齐栏, 不开天窗): the
/// build's own report has no empty grid line in any column of any thread, nothing overset,
/// no loose line and no 孤字 left, and its only warning is the RGB photos' sRGB note. The
/// copy-fit makes it so: with its pictures held at their drawn sizes the columns do not end
/// flush.
#[test]
fn the_district_example_is_made_up_flush_with_no_warning_but_the_srgb_note() {
    let built = build_edition(&district().join("layout.yaml"), &district().join("edition.yaml"), Options::default())
        .unwrap_or_else(|e| panic!("{:?}", messages(&e)));
    let summary = &built.summary;
    assert_eq!((summary.pages, summary.threads.len()), (2, 6));
    let unfilled: Vec<&ColumnReport> = summary.threads.iter().flat_map(|t| &t.unfilled).collect();
    assert!(unfilled.is_empty(), "columns that do not end flush: {unfilled:?}");
    for t in &summary.threads {
        assert_eq!((t.overset_chars, t.underset_lines), (0, 0), "thread {}", t.name);
        assert!(t.lines > 0, "thread {} sets nothing", t.name);
    }
    assert_eq!((summary.loose_lines, summary.orphans_left, summary.overset_chars), (0, 0, 0));
    let srgb = |m: &str| m.contains("taken to be sRGB");
    let others: Vec<&str> = built
        .diagnostics
        .iter()
        .filter(|d| matches!(d.severity, Severity::Warning | Severity::Error) && !srgb(&d.message))
        .map(|d| d.message.as_str())
        .collect();
    assert!(others.is_empty(), "warnings besides the sRGB note: {others:#?}");
    assert!(built.diagnostics.iter().any(|d| srgb(&d.message)), "the RGB photos are noted");
    assert!(!summary.fit_changes.is_empty(), "the copy-fit resized nothing");
    // The pictures at their drawn sizes, nothing elastic: short columns (or overset text).
    let drawn = District::new(
        |l| {
            let l = replace_exact(&l, "credit: edge, grow: 3, shrink: 2}", "credit: edge}");
            let l = replace_exact(&l, "lines: 13-31, grow: 4, shrink: 4}", "lines: 13-31}");
            replace_exact(&l, "lines: 45-55, grow: 4, shrink: 2}", "lines: 45-55}")
        },
        same,
    );
    let c = compose(&drawn.layout(), &drawn.edition(), Options { allow_overset: true, ..Options::default() })
        .unwrap_or_else(|e| panic!("{:?}", messages(&e)));
    let empty: u32 = c.composition.threads.iter().flat_map(|t| &t.unfilled).map(ColumnReport::empty_lines).sum();
    let overset: usize = c.composition.threads.iter().map(|t| t.overset_chars).sum();
    assert!(empty > 0 || overset > 0, "the page as drawn is already flush: the copy-fit is not what this tests");
}

/// `paiban schema` documents the story format: every key of a story, a photo's credit, the
/// frames' `story`, `quote` and `credit`, and the jump lines' words carry a description (what
/// an editor's YAML plug-in shows beside the key).
#[test]
fn the_schemas_describe_the_story_format() {
    use serde_json::Value;
    let edition: Value = serde_json::from_str(&paiban::model::schema("edition")).unwrap();
    let layout: Value = serde_json::from_str(&paiban::model::schema("layout")).unwrap();
    let described = |schema: &Value, def: &str, key: &str| {
        let keys = if def.is_empty() { &schema["properties"] } else { &schema["$defs"][def]["properties"] };
        keys[key]["description"].as_str().is_some_and(|d| !d.trim().is_empty())
    };
    for key in ["id", "kind", "headline", "byline", "dateline", "lead", "body", "closing", "photos"] {
        assert!(described(&edition, "Story", key), "stories[].{key} is not described");
    }
    assert!(described(&edition, "", "stories") && described(&edition, "Photo", "credit"));
    for key in ["story", "quote", "credit"] {
        assert!(described(&layout, "FrameSpec", key), "frames[].{key} is not described");
    }
    assert!(described(&layout, "", "jumps"));
    assert!(described(&layout, "JumpsSpec", "to") && described(&layout, "JumpsSpec", "from"));
}

#[test]
fn content_no_frame_takes_is_warned_about_with_its_place() {
    let d = District::new(
        |l| {
            let l = replace_exact(&l, "  parks: {content: [\"story:parks\"]}\n", "");
            let l = replace_exact(&l, "      - {id: parks, thread: parks, columns: 3-4, lines: 6-31}\n", "");
            let l = replace_exact(&l, "lead: {content: [\"story:lead\"]}", "lead: {content: [\"story:lead#byline\", \"story:lead#lead\", \"story:lead#intro\", \"story:lead#section:party\"]}");
            replace_exact(
                &l,
                "econ: {content: [\"story:econ\"]}",
                "econ: {content: [\"story:econ\", \"story:lead#byline\"]}",
            )
        },
        |e| {
            let e = replace_exact(
                &e,
                "photos:\n",
                "photos:\n  - {id: spare, image: images/mountain-meadow.jpg, caption: 草甸}\n",
            );
            e.replace("  - id: river\n", "  - id: econ\n    body: [\"重复的稿件。\"]\n  - id: river\n")
        },
    );
    let w = warnings_of(&d);
    let find = |needle: &str| {
        w.iter().find(|m| m.contains(needle)).unwrap_or_else(|| panic!("no `{needle}` in {w:#?}")).clone()
    };
    let line = |needle: &str| {
        let text = std::fs::read_to_string(d.edition()).unwrap();
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    };
    let parks = find("story `parks`: no thread takes it");
    assert!(
        parks.contains("(only its headline is)") && parks.ends_with(&format!("@{}", line("- id: parks"))),
        "{parks}"
    );
    let section = find("story `lead`: no thread takes section `projects`");
    assert!(section.ends_with(&format!("@{}", line("- id: lead"))), "{section}");
    let photo = find("photo `spare`: no picture frame shows it");
    assert!(photo.ends_with(&format!("@{}", line("id: spare"))), "{photo}");
    let twice = find("story `lead` is in two threads, `econ` and `lead`");
    assert!(!twice.ends_with("@0"), "{twice}");
    let dup = find("story 6: a story with the id `econ` is already story 2");
    assert!(dup.ends_with(&format!("@{}", line("重复的稿件") - 1)), "{dup}");
}

#[test]
fn roles_are_open_and_per_story_kind() {
    let d = District::new(same, same);
    let c = d.compose().unwrap();
    let style_of = |origin: &str| {
        let line = c.composition.display.lines().find(|l| l.origin == origin).unwrap_or_else(|| panic!("{origin}"));
        line.glyphs[1].size
    };
    // The brief's body is in `roles.brief.body` (brief-body, sans), the lead's in `body`.
    let brief = c.job.styles.iter().find(|s| s.name == "brief-body").unwrap();
    let body = c.job.styles.iter().find(|s| s.name == "body").unwrap();
    assert_ne!(brief.fonts, body.fonts);
    let face_of = |origin: &str| c.composition.display.lines().find(|l| l.origin == origin).unwrap().glyphs[2].face;
    assert_eq!(face_of("stories[2].body[0]"), brief.fonts[0]);
    assert_eq!(face_of("stories[0].body[0]"), body.fonts[0]);
    // A story's headline in its kind's headline style: the econ story's title is smaller.
    assert!(style_of("stories[1].headline.title[0]") < style_of("stories[0].headline.title[0]"));
    // A role with no style is an error naming it.
    let missing = District::new(
        |l| replace_exact(&l, "  byline: byline\n", "").replace("  byline: {font", "  by-line: {font"),
        same,
    );
    let err = missing.compose().err().expect("a byline with no style fails");
    assert!(messages(&err).join("\n").contains("the role `byline`"), "{:?}", messages(&err));
}

#[test]
fn story_names_the_edition_lacks_are_errors_at_the_layout_key() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "lead: {content: [\"story:lead\"]}",
            "lead: {content: [\"story:laed\"]}",
            "no story with id `laed`; did you mean `lead`?",
        ),
        (
            "lead: {content: [\"story:lead\"]}",
            "lead: {content: [\"story:lead#section:partyy\"]}",
            "no section with id `partyy` in story `lead`; did you mean `party`?",
        ),
        (
            "lead: {content: [\"story:lead\"]}",
            "lead: {content: [\"story:lead#boddy\"]}",
            "unknown content `story:lead#boddy`",
        ),
        ("kind: headline, story: econ,", "kind: headline, story: ecno,", "no story with id `ecno`"),
        ("kind: box, quote: lead,", "kind: box, quote: lead#2,", "story `lead` has 1 pull quote(s)"),
        ("  jump: {font: sans-bold", "  jumpline: {font: sans-bold", "jump lines need a style"),
    ];
    for (from, to, expected) in cases {
        let d = District::new(|l| replace_exact(&l, from, to).replace("  jump: jump\n", ""), same);
        let err = d.compose().err().unwrap_or_else(|| panic!("`{to}` composes"));
        let all = messages(&err).join("\n");
        assert!(all.contains(expected), "`{to}`: {all}");
        let line =
            std::fs::read_to_string(d.layout()).unwrap().lines().position(|l| l.contains(to.trim())).unwrap() + 1;
        if !expected.starts_with("jump") {
            assert!(all.contains(&format!("@{line}")), "`{to}` at line {line}: {all}");
        }
    }
}

#[test]
fn init_offers_the_district_example_too() {
    let dir = tempfile::tempdir().unwrap();
    let init = paiban(dir.path(), ["init", "page"]);
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    assert!(String::from_utf8_lossy(&init.stdout).contains("examples/district/"));
    let project = dir.path().join("page");
    let build = paiban(
        &project,
        [
            "build",
            "examples/district/edition.yaml",
            "--layout",
            "examples/district/layout.yaml",
            "-o",
            "out/district.pdf",
        ],
    );
    assert!(
        build.status.success(),
        "{}{}",
        String::from_utf8_lossy(&build.stdout),
        String::from_utf8_lossy(&build.stderr)
    );
    let pdf = std::fs::read(project.join("out/district.pdf")).unwrap();
    let ours =
        build_edition(&district().join("layout.yaml"), &district().join("edition.yaml"), Options::default()).unwrap();
    assert!(pdf == ours.pdf, "the example made by init builds the repository's example");
}

#[test]
fn a_credit_goes_after_the_caption_or_on_the_photos_edge() {
    let c = District::new(same, same).compose().unwrap();
    let captions: Vec<String> =
        c.composition.display.lines().filter(|l| l.role == LineRole::Caption).map(text).collect();
    // `credit: after` (the default): the credit follows the caption.
    assert!(captions.iter().any(|t| t == "湖光山色宜居新城　摄影　刘洋"), "{captions:?}");
    // `credit: edge`: the caption alone below, the credit on the photo's foot, flush right.
    assert!(captions.iter().any(|t| t == "渝昆高铁江津北站通车运营"), "{captions:?}");
    let credit =
        c.composition.display.lines().find(|l| l.origin == "credit of photo `station`").expect("the credit is set");
    assert_eq!(text(credit), "摄影　王小明");
    let station = c.job.pages[0].iter().find(|f| f.id == "station").unwrap();
    let pic = station.picture().unwrap();
    let (area, _) = paiban::layout::picture::areas(frame_box(&c.job, station), pic, c.job.grid.pitch);
    let right = credit.glyphs.last().map(|g| g.box_x + g.box_width).unwrap();
    assert!(
        credit.baseline < area.1 + area.3 && credit.baseline > area.1 + area.3 - c.job.grid.pitch,
        "at the photo's foot"
    );
    assert!(right <= area.0 + area.2 && right > area.0 + area.2 - c.job.grid.char, "flush right on the photo");
}
