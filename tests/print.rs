//! The print PDF from the printing plant's side: boxes, PDF/X output intent and metadata,
//! overprint of black text, photos, and the preflight's errors.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use common::*;
use lopdf::content::Content;
use lopdf::{Document, Object};
use paiban::build::{build_edition, Options};
use paiban::spec::layout::PdfX;
use paiban::spec::units::PT_PER_MM;

fn demo(options: Options) -> paiban::build::Built {
    build_edition(&demo_layout(), &demo_edition(), options).unwrap()
}

fn boxes(doc: &Document) -> HashMap<String, Vec<f32>> {
    let page = doc.get_dictionary(*doc.get_pages().values().next().unwrap()).unwrap();
    ["MediaBox", "BleedBox", "TrimBox"]
        .into_iter()
        .map(|k| {
            let v = page.get(k.as_bytes()).unwrap().as_array().unwrap().iter().map(|o| o.as_float().unwrap()).collect();
            (k.to_owned(), v)
        })
        .collect()
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.01
}

#[test]
fn boxes_are_trim_bleed_and_slug() {
    let doc = load(&demo(Options::default()).pdf);
    let b = boxes(&doc);
    let mm = |v: f32| v * PT_PER_MM;
    // Broadsheet 390 × 545 mm, bleed 3 mm, slug 10 mm.
    let (w, h) = (mm(390.0 + 26.0), mm(545.0 + 26.0));
    let expect = [("MediaBox", 0.0), ("BleedBox", mm(10.0)), ("TrimBox", mm(13.0))];
    for (name, inset) in expect {
        let v = &b[name];
        assert!(close(v[0], inset) && close(v[1], inset), "{name} {v:?}");
        assert!(close(v[2], w - inset) && close(v[3], h - inset), "{name} {v:?}");
    }
    assert!(close(b["TrimBox"][2] - b["TrimBox"][0], mm(390.0)));
}

fn catalog(doc: &Document) -> &lopdf::Dictionary {
    doc.catalog().unwrap()
}

#[test]
fn pdfx4_output_intent_version_and_info() {
    let built = demo(Options::default());
    assert!(built.pdf.starts_with(b"%PDF-1.6"));
    let doc = load(&built.pdf);
    let intents = catalog(&doc).get(b"OutputIntents").unwrap().as_array().unwrap();
    assert_eq!(intents.len(), 1);
    let intent = match &intents[0] {
        Object::Dictionary(d) => d,
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        other => panic!("{other:?}"),
    };
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFX");
    assert_eq!(intent.get(b"OutputConditionIdentifier").unwrap().as_str().unwrap(), b"FOGRA39");
    assert!(!intent.has(b"DestinationOutputProfile") && !intent.has(b"License"));
    let profile = doc.get_object(intent.get(b"DestOutputProfile").unwrap().as_reference().unwrap()).unwrap();
    let profile = profile.as_stream().unwrap();
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 4);
    let bytes = profile.decompressed_content().unwrap_or_else(|_| profile.content.clone());
    assert_eq!(bytes, std::fs::read(root().join("profiles/CoatedFOGRA39.icc")).unwrap());

    let info = doc.get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap()).unwrap();
    assert_eq!(info.get(b"GTS_PDFXVersion").unwrap().as_str().unwrap(), b"PDF/X-4");
    assert_eq!(info.get(b"Trapped").unwrap().as_name().unwrap(), b"False");
    assert_eq!(info.get(b"CreationDate").unwrap().as_str().unwrap(), b"D:20250116000000Z");
}

/// Tags open and close in order: enough to call the packet well-formed here.
fn balanced(xml: &str) -> bool {
    let mut stack: Vec<&str> = Vec::new();
    for piece in xml.split('<').skip(1) {
        let tag = piece.split('>').next().unwrap();
        if tag.starts_with('?') || tag.ends_with('/') {
            continue;
        }
        let name = tag.trim_start_matches('/').split_whitespace().next().unwrap();
        if tag.starts_with('/') {
            if stack.pop() != Some(name) {
                return false;
            }
        } else {
            stack.push(name);
        }
    }
    stack.is_empty()
}

#[test]
fn xmp_metadata_is_present_and_well_formed() {
    let doc = load(&demo(Options::default()).pdf);
    let metadata = doc.get_object(catalog(&doc).get(b"Metadata").unwrap().as_reference().unwrap()).unwrap();
    let xml = String::from_utf8(metadata.as_stream().unwrap().content.clone()).unwrap();
    assert!(xml.starts_with("<?xpacket begin="));
    assert!(balanced(&xml), "{xml}");
    assert!(xml.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"));
    assert!(xml.contains("<xmp:CreateDate>2025-01-16T00:00:00Z</xmp:CreateDate>"));
    assert!(!xml.contains("1970"));
    assert!(!balanced("<a><b></a></b>"));
}

#[test]
fn black_text_overprints_and_white_text_knocks_out() {
    let built = demo(Options::default());
    let doc = load(&built.pdf);
    let page = *doc.get_pages().values().next().unwrap();
    let resources = doc.get_dictionary(page).unwrap().get(b"Resources").unwrap();
    let resources = match resources {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        o => o.as_dict().unwrap(),
    };
    let states = match resources.get(b"ExtGState").unwrap() {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        o => o.as_dict().unwrap(),
    };
    let overprints = |name: &[u8]| -> bool {
        let gs = match states.get(name).unwrap() {
            Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
            o => o.as_dict().unwrap(),
        };
        gs.get(b"op").and_then(|o| o.as_bool()).unwrap_or(false)
            && gs.get(b"OP").and_then(|o| o.as_bool()).unwrap_or(false)
            && gs.get(b"OPM").and_then(|o| o.as_i64()).unwrap_or(0) == 1
    };
    let ops = Content::decode(&doc.get_page_content(page)).unwrap().operations;
    let (mut stack, mut overprint, mut fill) = (Vec::new(), false, vec![]);
    let (mut black, mut white, mut knocked_out) = (0, 0, 0);
    for op in &ops {
        match op.operator.as_str() {
            "q" => stack.push((overprint, fill.clone())),
            "Q" => (overprint, fill) = stack.pop().unwrap(),
            "gs" => overprint = overprints(op.operands[0].as_name().unwrap()),
            "k" => fill = op.operands.iter().map(|o| o.as_float().unwrap()).collect(),
            "Tj" | "TJ" => {
                if fill == [0.0, 0.0, 0.0, 1.0] {
                    // Black over what it must not overprint (render::overprint) knocks out.
                    if overprint {
                        black += 1;
                    } else {
                        knocked_out += 1;
                    }
                } else if fill == [0.0, 0.0, 0.0, 0.0] {
                    assert!(!overprint, "white text overprints: it would vanish on press");
                    white += 1;
                }
            }
            _ => {}
        }
    }
    assert!(black > 100 && white > 0, "{black} black and {white} white text runs");
    // Only the lines the preflight says knock out may (each line is one or more runs).
    let lines = built.preflight.black_knocked_out;
    assert!(knocked_out == 0 || lines > 0, "{knocked_out} black runs knocked out, the preflight says {lines} items");
    assert!(knocked_out < black / 10, "{knocked_out} of {black} black runs knocked out");
}

fn case_with_photo(photo: &str, file: &str) -> (Project, PathBuf, PathBuf) {
    // The temporary project links tests/fixtures as fixtures/.
    let with = file.replace("tests/fixtures/", "fixtures/");
    let project = Project::new(same, |edition| replace_exact(&edition, &format!("images/{photo}"), &with));
    let (l, e) = (project.layout(), project.edition());
    (project, l, e)
}

#[test]
fn an_adobe_cmyk_jpeg_is_passed_through_with_an_inverting_decode() {
    let (_dir, layout, edition) = case_with_photo("school-paintbrushes.jpg", "tests/fixtures/cmyk-adobe.jpg");
    let built = build_edition(&layout, &edition, Options { allow_low_res: true, ..Options::default() }).unwrap();
    let doc = load(&built.pdf);
    let fixture = std::fs::read(root().join("tests/fixtures/cmyk-adobe.jpg")).unwrap();
    let image = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .find(|s| s.content == fixture)
        .expect("the CMYK JPEG, byte for byte");
    assert_eq!(image.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceCMYK");
    let decode: Vec<i64> =
        image.dict.get(b"Decode").unwrap().as_array().unwrap().iter().map(|o| o.as_i64().unwrap()).collect();
    assert_eq!(decode, [1, 0, 1, 0, 1, 0, 1, 0]);
    // Too small for its frame: only accepted because low resolution was allowed.
    assert!(built.preflight.findings.iter().any(|f| f.message.contains("ppi")));
    let strict = build_edition(&layout, &edition, Options::default()).unwrap();
    assert!(strict.preflight.has_errors());
    assert!(strict.preflight.errors().any(|f| f.message.contains("school") && f.message.contains("minimum")));
}

#[test]
fn pdfx1a_refuses_rgb_colours_and_photos_by_name() {
    let (dir, layout, edition) = case_with_photo("school-paintbrushes.jpg", "tests/fixtures/cmyk-adobe.jpg");
    let text = std::fs::read_to_string(&layout).unwrap();
    let text = replace_exact(&text, "brand: \"cmyk(100, 80, 0, 20)\"", "brand: \"rgb(20, 60, 160)\"");
    std::fs::write(&layout, &text).unwrap();
    let built =
        build_edition(&layout, &edition, Options { pdfx: Some(PdfX::X1a), allow_low_res: true, ..Options::default() })
            .unwrap();
    let errors: Vec<&str> = built.preflight.errors().map(|f| f.message.as_str()).collect();
    // Named where the colour is used: the lead's colour, on its line of the layout.
    let lead = text.lines().position(|l| l.trim() == "lead:").unwrap() + 1;
    let lead_color = errors.iter().find(|e| e.contains("styles.lead.color")).expect("the lead's colour is named");
    assert!(lead_color.contains("layout.yaml:") && lead_color.contains("RGB colour"), "{errors:?}");
    let at: usize = lead_color.split("layout.yaml:").nth(1).unwrap().split(':').next().unwrap().parse().unwrap();
    assert!(at > lead && at < lead + 10, "{lead_color}");
    // The RGB photos are converted to CMYK, so they are no error.
    assert!(!errors.iter().any(|e| e.contains("photo `")), "{errors:?}");
    assert!(built.pdf.starts_with(b"%PDF-1.3"));
    // In PDF/X-4 the same colour is converted with a warning, not an error.
    let x4 = build_edition(&layout, &edition, Options { allow_low_res: true, ..Options::default() }).unwrap();
    assert!(!x4.preflight.has_errors());
    assert!(x4.preflight.findings.iter().any(|f| f.message.contains("RGB colour")));
    drop(dir);
}

#[test]
fn fills_over_the_ink_limit_are_errors() {
    let (_dir, layout, edition) = case_with_photo("lake-mountains.jpg", "images/lake-mountains.jpg");
    let text = std::fs::read_to_string(&layout).unwrap();
    std::fs::write(
        &layout,
        replace_exact(&text, "brand: \"cmyk(100, 80, 0, 20)\"", "brand: \"cmyk(100, 100, 100, 100)\""),
    )
    .unwrap();
    // Refused where the layout gives the fill (the brand colour's first use as a fill is the
    // section kicker's band), before anything is composed.
    let e = match build_edition(&layout, &edition, Options::default()) {
        Ok(_) => panic!("a 400% fill should be refused"),
        Err(e) => e.to_string(),
    };
    let line = text.lines().position(|l| l.contains("background: \"{var.brand}\"")).unwrap() + 1;
    assert!(e.contains(&format!("layout.yaml:{line}:")), "{e}");
    assert!(
        e.contains("styles.section-kicker.background: a fill of 400% ink is over the print.ink_limit of 240%"),
        "{e}"
    );
}

#[test]
fn the_command_writes_the_preflight_beside_the_pdf_and_keeps_a_failing_pdf_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("page.pdf");
    let status = paiban(&root(), ["build", "editions/2024.yaml", "-o", out.to_str().unwrap()]);
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("page.preflight.json")).unwrap()).unwrap();
    assert_eq!(report["pdfx"], "PDF/X-4");
    assert_eq!(report["images"].as_array().unwrap().len(), 8);
    assert!(report["images"][0]["effective_ppi"].as_f64().unwrap() > 200.0);
    let fonts = report["fonts"].as_array().unwrap();
    assert_eq!(fonts.len(), 5);
    for font in fonts {
        assert_eq!(font["embedded"], true, "{font}");
        assert_eq!(font["subset"], true, "{font}");
        assert!(font["name"].as_str().unwrap().contains('+'), "{font}");
    }
    // A fill over the ink limit: refused where the layout gives it (before any preflight),
    // exit 1, and the old PDF stays.
    let before = std::fs::read(&out).unwrap();
    let project = Project::new(
        |l| replace_exact(&l, "brand: \"cmyk(100, 80, 0, 20)\"", "brand: \"cmyk(100, 100, 100, 100)\""),
        same,
    );
    let failed = paiban(project.dir.path(), ["build", "edition.yaml", "-o", out.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1));
    let said = String::from_utf8_lossy(&failed.stderr);
    assert!(said.contains("over the print.ink_limit") && said.contains("layout.yaml:"), "{said}");
    assert_eq!(std::fs::read(&out).unwrap(), before);
}

#[test]
fn a_spot_colour_is_a_separation_with_its_cmyk_alternate() {
    let (_dir, layout, edition) = case_with_photo("lake-mountains.jpg", "images/lake-mountains.jpg");
    let text = std::fs::read_to_string(&layout).unwrap();
    let spot = "brand: \"spot(PANTONE 287 C, 100, 75, 0, 2)\"";
    std::fs::write(&layout, replace_exact(&text, "brand: \"cmyk(100, 80, 0, 20)\"", spot)).unwrap();
    let built = build_edition(&layout, &edition, Options::default()).unwrap();
    let doc = load(&built.pdf);
    let page = doc.get_dictionary(*doc.get_pages().values().next().unwrap()).unwrap();
    let resources = match page.get(b"Resources").unwrap() {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        o => o.as_dict().unwrap(),
    };
    let spaces = resources.get(b"ColorSpace").unwrap().as_dict().unwrap();
    let (name, space) = spaces
        .iter()
        .find(|(_, s)| s.as_array().unwrap()[1].as_name().unwrap() == b"PANTONE 287 C")
        .expect("a colour space for the spot colour");
    let space = space.as_array().unwrap();
    assert_eq!(space[0].as_name().unwrap(), b"Separation");
    assert_eq!(space[1].as_name().unwrap(), b"PANTONE 287 C");
    assert_eq!(space[2].as_name().unwrap(), b"DeviceCMYK");
    let c1: Vec<f32> = space[3]
        .as_dict()
        .unwrap()
        .get(b"C1")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_float().unwrap())
        .collect();
    assert_eq!(c1, [1.0, 0.75, 0.0, 0.02]);
    // The band and the lead are painted in it, at full tint.
    let ops = Content::decode(&doc.get_page_content(*doc.get_pages().values().next().unwrap())).unwrap().operations;
    let uses = ops
        .windows(2)
        .filter(|w| {
            w[0].operator == "cs" && w[0].operands[0].as_name().unwrap() == name.as_slice() && w[1].operator == "scn"
        })
        .count();
    assert!(uses > 5, "{uses} fills in the spot colour");
    assert!(built.preflight.colors.iter().any(|c| c.spot.as_deref() == Some("PANTONE 287 C")));
    assert!(!built.preflight.has_errors());
}

#[test]
fn large_black_type_can_take_a_rich_black() {
    let (_dir, layout, edition) = case_with_photo("lake-mountains.jpg", "images/lake-mountains.jpg");
    let text = std::fs::read_to_string(&layout).unwrap();
    let text = replace_exact(
        &text,
        "  min_ppi: 120\n",
        "  min_ppi: 120\n  rich_black: {color: \"cmyk(40, 30, 30, 100)\", min_size: 12pt}\n",
    );
    std::fs::write(&layout, text).unwrap();
    let c = paiban::build::compose(&layout, &edition, Options::default()).unwrap();
    let rich = paiban::spec::layout::parse_color("cmyk(40, 30, 30, 100)").unwrap();
    let lines: Vec<_> = c.composition.display.lines().collect();
    // The section titles (小四, 12 pt, black) are rich black; the body (小五) stays 100 % K.
    assert!(lines.iter().any(|l| l.color == rich && l.glyphs[0].size >= 12.0));
    assert!(lines.iter().filter(|l| l.glyphs[0].size < 12.0).all(|l| l.color != rich));
}

#[test]
fn an_output_profile_must_be_an_icc_output_profile() {
    let with_profile = |file: &str| {
        let entry = format!("  min_ppi: 120\n  output_profile: {{file: {file}, condition: Test}}\n");
        Project::new(move |l| replace_exact(&l, "  min_ppi: 120\n", &entry), same)
    };
    let error = |project: &Project| match build_edition(&project.layout(), &project.edition(), Options::default()) {
        Ok(_) => panic!("the build should fail"),
        Err(e) => e.to_string(),
    };
    let monitor = with_profile("profiles/sRGB.icc");
    let line = monitor.line_of("layout.yaml", "output_profile");
    let e = error(&monitor);
    assert!(e.contains(&format!("layout.yaml:{line}:")) && e.contains("sRGB.icc"), "{e}");
    assert!(e.contains("`mntr` profile, not an output (`prtr`) profile"), "{e}");
    let text = with_profile("fixtures/seed.txt");
    assert!(error(&text).contains("is not an ICC profile"), "{}", error(&text));
    let press = with_profile("profiles/CoatedFOGRA39.icc");
    let built = build_edition(&press.layout(), &press.edition(), Options::default()).unwrap();
    let doc = load(&built.pdf);
    let intents = catalog(&doc).get(b"OutputIntents").unwrap().as_array().unwrap();
    let intent = match &intents[0] {
        Object::Reference(id) => doc.get_object(*id).unwrap().as_dict().unwrap(),
        other => other.as_dict().unwrap(),
    };
    assert_eq!(intent.get(b"OutputConditionIdentifier").unwrap().as_str().unwrap(), b"Test");
}

/// The page's resources, resolved.
fn page_resources(doc: &Document) -> &lopdf::Dictionary {
    let page = doc.get_dictionary(*doc.get_pages().values().next().unwrap()).unwrap();
    match page.get(b"Resources").unwrap() {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        o => o.as_dict().unwrap(),
    }
}

#[test]
fn marks_are_in_registration_colour_on_every_plate() {
    let doc = load(&demo(Options::default()).pdf);
    let spaces = page_resources(&doc).get(b"ColorSpace").unwrap().as_dict().unwrap();
    let (name, all) = spaces
        .iter()
        .find(|(_, s)| s.as_array().unwrap()[1].as_name().unwrap() == b"All")
        .expect("a Separation /All for the marks");
    let all = all.as_array().unwrap();
    assert_eq!(all[0].as_name().unwrap(), b"Separation");
    assert_eq!(all[2].as_name().unwrap(), b"DeviceCMYK");
    let c1: Vec<f32> = all[3]
        .as_dict()
        .unwrap()
        .get(b"C1")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_float().unwrap())
        .collect();
    assert_eq!(c1, [1.0, 1.0, 1.0, 1.0]);
    let ops = Content::decode(&doc.get_page_content(*doc.get_pages().values().next().unwrap())).unwrap().operations;
    // 8 crop-mark rules, 4 targets of a circle and two rules: all stroked in /All at tint 1.
    let strokes = ops
        .windows(2)
        .filter(|w| w[0].operator == "CS" && w[0].operands[0].as_name().unwrap() == name.as_slice())
        .filter(|w| w[1].operator == "SCN" && w[1].operands[0].as_float().unwrap() == 1.0)
        .count();
    assert_eq!(strokes, 8 + 4 * 3);
    let four_plates = |o: &&lopdf::content::Operation| {
        matches!(o.operator.as_str(), "K" | "k") && o.operands.iter().all(|v| v.as_float().unwrap() == 1.0)
    };
    assert_eq!(ops.iter().filter(four_plates).count(), 0, "no mark in DeviceCMYK 1 1 1 1");
}

fn xmp_text(doc: &Document) -> String {
    let metadata = doc.get_object(catalog(doc).get(b"Metadata").unwrap().as_reference().unwrap()).unwrap();
    String::from_utf8(metadata.as_stream().unwrap().content.clone()).unwrap()
}

fn info(doc: &Document) -> &lopdf::Dictionary {
    doc.get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap()).unwrap()
}

/// A PDF text string: UTF-16BE after a byte-order mark, or plain.
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            String::from_utf16(&utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect::<Vec<_>>()).unwrap()
        }
        None => String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

#[test]
fn info_and_xmp_agree_on_title_creator_and_producer() {
    let doc = load(&demo(Options::default()).pdf);
    let (info, xmp) = (info(&doc), xmp_text(&doc));
    let field = |key: &[u8]| text_string(info.get(key).unwrap().as_str().unwrap());
    let producer = format!("paiban {}", env!("CARGO_PKG_VERSION"));
    assert_eq!(field(b"Creator"), producer);
    assert_eq!(field(b"Producer"), producer);
    assert!(xmp.contains(&format!("<xmp:CreatorTool>{producer}</xmp:CreatorTool>")), "{xmp}");
    assert!(xmp.contains(&format!("<pdf:Producer>{producer}</pdf:Producer>")), "{xmp}");
    let title = field(b"Title");
    assert_eq!(title, "江津区城市建设事务中心2024年工作回眸");
    assert!(xmp.contains(&format!("<rdf:li xml:lang=\"x-default\">{title}</rdf:li>")), "{xmp}");
}

#[test]
fn pdfx1a_claims_its_version_and_conformance_as_iso_15930_1_names_them() {
    let (_dir, layout, edition) = case_with_photo("lake-mountains.jpg", "images/lake-mountains.jpg");
    let built = build_edition(&layout, &edition, Options { pdfx: Some(PdfX::X1a), ..Options::default() }).unwrap();
    assert!(built.pdf.starts_with(b"%PDF-1.3"));
    let doc = load(&built.pdf);
    let info = info(&doc);
    assert_eq!(info.get(b"GTS_PDFXVersion").unwrap().as_str().unwrap(), b"PDF/X-1:2001");
    assert_eq!(info.get(b"GTS_PDFXConformance").unwrap().as_str().unwrap(), b"PDF/X-1a:2001");
    assert_eq!(info.get(b"Trapped").unwrap().as_name().unwrap(), b"False");
    let xmp = xmp_text(&doc);
    assert!(xmp.contains("<pdfx:GTS_PDFXVersion>PDF/X-1:2001</pdfx:GTS_PDFXVersion>"), "{xmp}");
    assert!(xmp.contains("<pdfx:GTS_PDFXConformance>PDF/X-1a:2001</pdfx:GTS_PDFXConformance>"), "{xmp}");
    // The pdfxid schema is PDF/X-4's.
    assert!(!xmp.contains("pdfxid:GTS_PDFXVersion"), "{xmp}");
    // No ICC-based colour in an X-1a file (the RGB photos are preflight errors, not sRGB).
    assert!(!doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .any(|s| s.dict.has(b"N") && s.dict.get(b"N").unwrap().as_i64().unwrap() == 3));
}

#[test]
fn photos_are_cmyk_and_transparent_ones_share_one_srgb_profile_stream() {
    // The demo's eight photos are converted to CMYK: no sRGB stream at all.
    let doc = load(&demo(Options::default()).pdf);
    let images: Vec<_> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image".as_slice()))
        .collect();
    assert_eq!(images.len(), 8);
    assert!(images.iter().all(|s| s.dict.get(b"ColorSpace").unwrap().as_name().unwrap() == b"DeviceCMYK"));
    let icc = doc.objects.values().filter_map(|o| o.as_stream().ok()).filter(|s| s.dict.has(b"N")).count();
    assert_eq!(icc, 1, "the output intent's profile only");
    // Two transparent RGB PNGs (kept RGB: a CMYK JPEG has no alpha) share one sRGB stream.
    let project = Project::new(same, |e| {
        let e = replace_exact(&e, "images/school-paintbrushes.jpg", "fixtures/alpha.png");
        replace_exact(&e, "images/lake-mountains.jpg", "fixtures/alpha.png")
    });
    let options = Options { allow_low_res: true, ..Options::default() };
    let doc = load(&build_edition(&project.layout(), &project.edition(), options).unwrap().pdf);
    let mut profiles = std::collections::BTreeSet::new();
    for stream in doc.objects.values().filter_map(|o| o.as_stream().ok()) {
        if let Ok(space) = stream.dict.get(b"ColorSpace").and_then(Object::as_array) {
            assert_eq!(space[0].as_name().unwrap(), b"ICCBased");
            profiles.insert(space[1].as_reference().unwrap());
        }
    }
    assert_eq!(profiles.len(), 1, "one sRGB stream for both photos");
    let profile = doc.get_object(*profiles.iter().next().unwrap()).unwrap().as_stream().unwrap();
    assert_eq!(profile.decompressed_content().unwrap(), std::fs::read(root().join("profiles/sRGB.icc")).unwrap());
}

/// Issue 13: the demo builds as PDF/X-1a out of the box, its RGB photos converted to CMYK
/// through the output intent: nothing RGB, no ICC-based colour space, no soft mask.
#[test]
fn the_demo_builds_as_pdfx1a_with_its_photos_converted() {
    let options = Options { pdfx: Some(PdfX::X1a), ..Options::default() };
    let built = build_edition(&demo_layout(), &demo_edition(), options).unwrap();
    assert!(!built.preflight.has_errors(), "{:?}", built.preflight.findings);
    let doc = load(&built.pdf);
    for object in doc.objects.values() {
        let dict = match object {
            Object::Stream(s) => &s.dict,
            Object::Dictionary(d) => d,
            _ => continue,
        };
        for (key, value) in dict.iter() {
            let names: Vec<&[u8]> = match value {
                Object::Name(n) => vec![n.as_slice()],
                Object::Array(a) => a.iter().filter_map(|o| o.as_name().ok()).collect(),
                _ => continue,
            };
            for name in names {
                assert!(
                    !matches!(name, b"DeviceRGB" | b"ICCBased" | b"CalRGB" | b"Lab"),
                    "{} {}",
                    String::from_utf8_lossy(key),
                    String::from_utf8_lossy(name)
                );
            }
            assert_ne!(key.as_slice(), b"SMask");
        }
    }
    assert_eq!(built.preflight.images.len(), 8);
    assert!(built.preflight.images.iter().all(|i| i.color_space == "Cmyk" && i.max_ink.unwrap() <= 240.0));
}
