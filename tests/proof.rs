//! The live proof's content, from the library: the map a click is looked up in, and the
//! overlay laid over each page.

mod common;

use std::collections::BTreeSet;

use common::*;
use paiban::proof::{self, Clock, Settings};
use serde_json::Value;

fn demo_proof() -> std::sync::Arc<proof::Proof> {
    let settings = Settings { layout: demo_layout(), edition: demo_edition(), dpi: 20.0, allow_outside: false };
    let outcome = proof::build(&settings, "test", &Clock::local(), &mut proof::FreshSession::default(), |_| ());
    assert!(outcome.ok(), "{}", outcome.diagnostics);
    assert!(outcome.summary.contains("1 page(s)"), "{}", outcome.summary);
    outcome.proof.expect("a proof")
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

#[test]
fn the_map_puts_every_line_in_its_frame_and_at_its_yaml_line() {
    let proof = demo_proof();
    let page = &proof.map["pages"][0];
    let (frames, lines) = (page["frames"].as_array().unwrap(), page["lines"].as_array().unwrap());
    let edition = std::fs::read_to_string(demo_edition()).unwrap();
    let yaml: Vec<&str> = edition.lines().collect();
    let (mut body, mut blocks_checked, mut roles) = (0, 0, BTreeSet::new());
    let mut previous_block = String::new();
    for line in lines {
        let role = line["role"].as_str().unwrap();
        roles.insert(role.to_owned());
        let frame = line["frame"].as_u64().map(|i| &frames[i as usize]);
        let want_kind = match role {
            "body" | "heading" => "text",
            "headline" => "headline",
            "caption" => "picture",
            "folio" => "folio",
            other => panic!("a line of role {other} on the page"),
        };
        let frame = frame.unwrap_or_else(|| panic!("no frame for {line}"));
        assert_eq!(frame["kind"], want_kind, "{line} lies in {frame}");
        // The line's box lies in its frame's.
        let inside = f(&line["x"]) >= f(&frame["x"]) - 0.5
            && f(&line["x"]) + f(&line["w"]) <= f(&frame["x"]) + f(&frame["w"]) + 0.5
            && f(&line["y"]) + f(&line["h"]) / 2.0 >= f(&frame["y"])
            && f(&line["y"]) + f(&line["h"]) / 2.0 <= f(&frame["y"]) + f(&frame["h"]);
        assert!(inside, "{line} outside {frame}");
        if want_kind != "text" {
            continue;
        }
        body += 1;
        assert!(frame["thread"].is_string() && f(&frame["order"]) >= 1.0, "{frame}");
        assert!(f(&line["column"]) >= 1.0, "{line}");
        // The first line of each block: its first characters are in the YAML at the
        // block's place (the line itself or the next few: a folded string starts below its key).
        let block = line["block"].as_str().unwrap();
        if block != previous_block && block.starts_with("sections[") {
            let source = &line["source"];
            assert!(source["file"].as_str().unwrap().ends_with("editions/2024.yaml"), "{source}");
            let at = source["line"].as_u64().unwrap() as usize;
            // Han characters only: punctuation may be set differently (a dash as one glyph).
            let han = |c: &char| ('\u{4e00}'..='\u{9fff}').contains(c);
            let start: String = line["text"].as_str().unwrap().chars().filter(han).take(4).collect();
            let near = yaml[at - 1..(at + 3).min(yaml.len())].join("\n");
            let near_han: String = near.chars().filter(han).collect();
            assert!(near_han.contains(&start), "{block} starts with {start}; edition.yaml:{at} and on is:\n{near}");
            assert!(source["link"].as_str().unwrap().starts_with("vscode://file/"), "{source}");
            blocks_checked += 1;
        }
        previous_block = block.to_owned();
    }
    assert!(body > 200, "{body} body lines");
    assert!(blocks_checked > 10, "{blocks_checked} blocks");
    for role in ["body", "heading", "headline", "caption", "folio"] {
        assert!(roles.contains(role), "no {role} line in the map: {roles:?}");
    }
    // Frames: each with its layout line; a thread's frames numbered from 1.
    let layout = std::fs::read_to_string(demo_layout()).unwrap();
    for frame in frames {
        let at = frame["source"]["line"].as_u64().unwrap() as usize;
        let id = frame["id"].as_str().unwrap();
        assert!(layout.lines().nth(at - 1).unwrap().contains(id), "frame {id} at layout.yaml:{at}");
    }
    let main: Vec<f64> = frames.iter().filter(|f| f["thread"] == "party").map(|fr| f(&fr["order"])).collect();
    assert_eq!(main.first(), Some(&1.0), "{main:?}");
}

#[test]
fn the_overlay_is_the_page_size_and_transparent_where_it_draws_nothing() {
    let proof = demo_proof();
    let images = &proof.pages[0];
    let decode = |bytes: &[u8]| {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    };
    let (page, overlay) = (decode(&images.png), decode(&images.overlay));
    assert_eq!((page.0, page.1), (overlay.0, overlay.1));
    assert_eq!(page.0, (390.0f32 / 25.4 * 20.0).ceil() as u32, "20 dpi");
    let alpha = |rgba: &[u8]| rgba.chunks(4).map(|p| p[3]).collect::<Vec<u8>>();
    assert!(alpha(&page.2).iter().all(|&a| a == 255), "the page is opaque");
    let a = alpha(&overlay.2);
    let clear = a.iter().filter(|&&a| a == 0).count();
    // At 20 dpi a 0.75 pt frame line is a fifth of a pixel: faint, but there.
    let drawn = a.iter().filter(|&&a| a > 0).count();
    assert!(clear > a.len() / 3, "mostly transparent: {clear} of {}", a.len());
    assert!(drawn > a.len() / 100, "the grid and frames are drawn: {drawn} of {}", a.len());
    // The left margin (outside the grid and every frame) is clear.
    let (w, mm) = (overlay.0 as usize, |v: f32| (v / 25.4 * 20.0) as usize);
    for y in mm(100.0)..mm(400.0) {
        for x in 0..mm(15.0) {
            assert_eq!(a[y * w + x], 0, "overlay drawn at {x},{y} in the margin");
        }
    }
}

/// The proof shows what prints: the photos as the PDF has them (converted to the output
/// intent's CMYK under the ink limit) seen through the output profile, so the page is
/// the very picture `paiban preview` draws of the build, pixel for pixel.
#[test]
fn the_proof_page_is_the_preview_of_the_build_with_its_photos_converted() {
    use paiban::build::{self, Options, Session};
    let proof = demo_proof();
    let session = Session::default();
    let options = Options { allow_overset: true, ..Options::default() };
    let composed = build::compose_in(&session, &demo_layout(), &demo_edition(), options).unwrap();
    let prepared = build::prepare_photos(&session, composed).unwrap();
    let preview =
        |c: &build::Composed| build::proof_page(&c.job, &c.composition.display, &c.fonts, &c.images, 0, 20.0).unwrap();
    assert!(proof.pages[0].png == preview(&prepared), "the proof is not the preview of the converted photos");
    // And that is not the page drawn from the photos as they came (RGB): the test could fail.
    let raw = build::compose_in(&session, &demo_layout(), &demo_edition(), options).unwrap();
    assert!(preview(&raw) != proof.pages[0].png, "the photos' conversion shows no difference at 20 dpi");
}

/// At more than twice 32 dpi a rough proof is shown first, while the sharp one is drawn:
/// the same page at 32 dpi, then at the resolution asked for.
#[test]
fn a_rough_proof_comes_first_then_the_sharp_one() {
    let settings = Settings { layout: demo_layout(), edition: demo_edition(), dpi: 72.0, allow_outside: false };
    let mut rough = None;
    let sharp = proof::build(&settings, "test", &Clock::local(), &mut proof::FreshSession::default(), |o| {
        rough = o.proof.clone();
    });
    let rough = rough.expect("a rough proof first");
    let sharp = sharp.proof.expect("the sharp proof");
    assert_eq!((rough.dpi, sharp.dpi), (proof::QUICK_DPI, 72.0));
    let width = |p: &proof::Proof| u32::from_be_bytes(p.pages[0].png[16..20].try_into().unwrap());
    assert_eq!(width(&rough), (390.0f32 / 25.4 * 32.0).ceil() as u32);
    assert_eq!(width(&sharp), (390.0f32 / 25.4 * 72.0).ceil() as u32);
    assert_eq!(rough.map, sharp.map, "the same composition");
    // At 20 dpi there is nothing to gain: one drawing.
    let settings = Settings { dpi: 20.0, ..settings };
    let mut called = false;
    proof::build(&settings, "test", &Clock::local(), &mut proof::FreshSession::default(), |_| called = true);
    assert!(!called, "no rough proof at 20 dpi");
}
