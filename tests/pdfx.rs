//! PDF/X-1a:2001 as a plant's preflight reads it: a structure check written from ISO
//! 15930-1's list (version keys, output intent, nothing device-independent or RGB, no
//! transparency, Trapped, boxes, fonts embedded, PDF 1.3 only) run over the demo built
//! with `--pdfx 1a`, and shown to catch what it checks on files that break the rules.

mod common;

use common::*;
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object};
use paiban::build::{build_edition, Options};
use paiban::spec::layout::PdfX;

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(r) => doc.get_object(*r).unwrap_or(o),
        _ => o,
    }
}

fn dict_of<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match resolve(doc, o) {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn name(o: &Object) -> Option<&[u8]> {
    o.as_name().ok()
}

fn number(o: &Object) -> Option<f32> {
    o.as_float().ok().or_else(|| o.as_i64().ok().map(|v| v as f32))
}

fn rect(doc: &Document, o: &Object) -> Option<[f32; 4]> {
    let a = resolve(doc, o).as_array().ok()?;
    let v: Vec<f32> = a.iter().filter_map(number).collect();
    (v.len() == 4).then(|| [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
}

fn inside(inner: [f32; 4], outer: [f32; 4]) -> bool {
    let e = 0.01;
    inner[0] >= outer[0] - e && inner[1] >= outer[1] - e && inner[2] <= outer[2] + e && inner[3] <= outer[3] + e
}

/// The colour space families PDF/X-1a allows (ISO 15930-1, 6.2.4): device CMYK and grey,
/// and the families built on them.
fn allowed_space(doc: &Document, space: &Object, problems: &mut Vec<String>, at: &str) {
    let space = resolve(doc, space);
    let (family, rest) = match space {
        Object::Name(n) => (n.as_slice(), &[][..]),
        Object::Array(a) if !a.is_empty() => match name(&a[0]) {
            Some(n) => (n, &a[1..]),
            None => return problems.push(format!("{at}: a colour space without a family")),
        },
        _ => return problems.push(format!("{at}: an unreadable colour space")),
    };
    match family {
        b"DeviceCMYK" | b"DeviceGray" | b"Pattern" => {}
        b"Separation" | b"DeviceN" => {
            // The alternate space must itself be allowed.
            if let Some(alternate) = rest.get(1) {
                allowed_space(doc, alternate, problems, at);
            }
        }
        b"Indexed" => {
            if let Some(base) = rest.first() {
                allowed_space(doc, base, problems, at);
            }
        }
        other => problems.push(format!("{at}: colour space {}", String::from_utf8_lossy(other))),
    }
}

/// Everything in `pdf` that ISO 15930-1 does not allow in a PDF/X-1a:2001 file.
fn x1a_violations(pdf: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    if !pdf.starts_with(b"%PDF-1.3") && !pdf.starts_with(b"%PDF-1.2") && !pdf.starts_with(b"%PDF-1.1") {
        problems.push(format!("header {:?}: PDF/X-1a:2001 is PDF 1.3", String::from_utf8_lossy(&pdf[..8])));
    }
    let doc = load(pdf);
    // Cross-reference and object streams are PDF 1.5.
    let has_type = |t: &[u8]| {
        doc.objects.values().any(|o| dict_of(&doc, o).and_then(|d| d.get(b"Type").ok()).and_then(name) == Some(t))
    };
    if has_type(b"ObjStm") || has_type(b"XRef") {
        problems.push("object or cross-reference streams (PDF 1.5)".into());
    }
    if doc.trailer.has(b"Encrypt") {
        problems.push("encrypted".into());
    }
    if !doc.trailer.get(b"ID").is_ok_and(|id| id.as_array().is_ok_and(|a| a.len() == 2)) {
        problems.push("no /ID in the trailer".into());
    }
    // The Info dictionary: version, conformance, Trapped, dates, title.
    match doc.trailer.get(b"Info").ok().and_then(|o| dict_of(&doc, o)) {
        None => problems.push("no Info dictionary".into()),
        Some(info) => {
            let string = |key: &[u8]| info.get(key).ok().and_then(|o| o.as_str().ok()).map(<[u8]>::to_vec);
            if string(b"GTS_PDFXVersion").as_deref() != Some(b"PDF/X-1:2001") {
                problems.push(format!("GTS_PDFXVersion {:?}", string(b"GTS_PDFXVersion").map(String::from_utf8)));
            }
            if string(b"GTS_PDFXConformance").as_deref() != Some(b"PDF/X-1a:2001") {
                problems
                    .push(format!("GTS_PDFXConformance {:?}", string(b"GTS_PDFXConformance").map(String::from_utf8)));
            }
            if !matches!(info.get(b"Trapped").ok().and_then(name), Some(b"True" | b"False")) {
                problems.push("Trapped is not True or False".into());
            }
            for key in [&b"CreationDate"[..], b"ModDate", b"Title"] {
                if string(key).is_none_or(|v| v.is_empty()) {
                    problems.push(format!("no {} in Info", String::from_utf8_lossy(key)));
                }
            }
        }
    }
    // The catalog: one GTS_PDFX output intent with its profile or a registered condition.
    let catalog = doc.catalog().unwrap();
    if catalog.has(b"OCProperties") {
        problems.push("optional content (PDF 1.5)".into());
    }
    for key in [&b"OpenAction"[..], b"AA", b"Names"] {
        if catalog.has(key) {
            problems.push(format!("catalog /{}", String::from_utf8_lossy(key)));
        }
    }
    let intents: Vec<&Dictionary> = catalog
        .get(b"OutputIntents")
        .ok()
        .and_then(|o| resolve(&doc, o).as_array().ok())
        .map(|a| a.iter().filter_map(|o| dict_of(&doc, o)).collect())
        .unwrap_or_default();
    let pdfx: Vec<_> = intents.iter().filter(|d| d.get(b"S").ok().and_then(name) == Some(b"GTS_PDFX")).collect();
    match pdfx.as_slice() {
        [intent] => {
            if !intent.get(b"OutputConditionIdentifier").is_ok_and(|o| o.as_str().is_ok_and(|s| !s.is_empty())) {
                problems.push("the output intent has no OutputConditionIdentifier".into());
            }
            let profile = intent.get(b"DestOutputProfile").ok().and_then(|o| dict_of(&doc, o));
            match profile {
                Some(p) if p.get(b"N").ok().and_then(|n| n.as_i64().ok()) == Some(4) => {}
                Some(_) => problems.push("the output profile is not a CMYK (N 4) profile".into()),
                None if intent.has(b"RegistryName") => {}
                None => problems.push("the output intent has neither a profile nor a registry".into()),
            }
        }
        other => problems.push(format!("{} GTS_PDFX output intents", other.len())),
    }
    // Every object: no device-independent or RGB colour, no transparency, no transfer
    // functions, no PostScript, fonts embedded. The output intent's own profile is the one
    // ICC stream allowed, and it is not a colour space.
    for (id, object) in &doc.objects {
        let Some(d) = dict_of(&doc, object) else { continue };
        let at = format!("object {} {}", id.0, id.1);
        let kind = d.get(b"Type").ok().and_then(name);
        let subtype = d.get(b"Subtype").ok().and_then(name);
        if let Ok(space) = d.get(b"ColorSpace") {
            match (subtype, resolve(&doc, space)) {
                (Some(b"Image"), s) => allowed_space(&doc, s, &mut problems, &at),
                // A resource dictionary of named spaces.
                (_, Object::Dictionary(spaces)) => {
                    spaces.iter().for_each(|(_, s)| allowed_space(&doc, s, &mut problems, &at))
                }
                (_, s) => allowed_space(&doc, s, &mut problems, &at),
            }
        }
        if subtype == Some(b"Image") && d.get(b"ImageMask").ok().and_then(|o| o.as_bool().ok()) != Some(true) {
            if !d.has(b"ColorSpace") {
                problems.push(format!("{at}: an image without a colour space"));
            }
            if d.get(b"Filter").ok().and_then(name) == Some(b"JPXDecode") {
                problems.push(format!("{at}: JPEG 2000 (PDF 1.5)"));
            }
        }
        if d.has(b"SMask") && d.get(b"SMask").ok().and_then(name) != Some(b"None") {
            problems.push(format!("{at}: a soft mask"));
        }
        for key in [&b"CA"[..], b"ca"] {
            if d.get(key).ok().and_then(number).is_some_and(|v| v < 1.0) {
                problems.push(format!("{at}: /{} below 1", String::from_utf8_lossy(key)));
            }
        }
        if let Ok(blend) = d.get(b"BM") {
            let modes: Vec<&[u8]> = match resolve(&doc, blend) {
                Object::Array(a) => a.iter().filter_map(name).collect(),
                o => name(o).into_iter().collect(),
            };
            if modes.iter().any(|m| !matches!(*m, b"Normal" | b"Compatible")) {
                problems.push(format!("{at}: a blend mode other than Normal"));
            }
        }
        if kind == Some(b"ExtGState")
            && (d.has(b"TR") || d.has(b"TR2") && d.get(b"TR2").ok().and_then(name) != Some(b"Default"))
        {
            problems.push(format!("{at}: a transfer function"));
        }
        if subtype == Some(b"PS") || kind == Some(b"Group") && d.get(b"S").ok().and_then(name) == Some(b"Transparency")
        {
            problems.push(format!("{at}: PostScript or a transparency group"));
        }
        if matches!(kind, Some(b"Action")) && d.get(b"S").ok().and_then(name) == Some(b"JavaScript") {
            problems.push(format!("{at}: JavaScript"));
        }
        if kind == Some(b"FontDescriptor") && ![&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|k| d.has(k)) {
            problems.push(format!("{at}: a font that is not embedded"));
        }
        if kind == Some(b"Annot") && !matches!(subtype, Some(b"PrinterMark" | b"Link")) {
            problems.push(format!("{at}: an annotation that would print"));
        }
    }
    // Pages: boxes nested as the standard says, and no RGB set by an operator.
    for (number, page_id) in doc.get_pages() {
        let page = doc.get_dictionary(page_id).unwrap();
        let media = page.get(b"MediaBox").ok().and_then(|o| rect(&doc, o));
        let trim = page.get(b"TrimBox").ok().or(page.get(b"ArtBox").ok()).and_then(|o| rect(&doc, o));
        let bleed = page.get(b"BleedBox").ok().and_then(|o| rect(&doc, o));
        match (media, trim) {
            (Some(media), Some(trim)) => {
                if !inside(trim, media) {
                    problems.push(format!("page {number}: TrimBox outside the MediaBox"));
                }
                if let Some(bleed) = bleed {
                    if !inside(bleed, media) || !inside(trim, bleed) {
                        problems.push(format!("page {number}: BleedBox outside the MediaBox or inside the trim"));
                    }
                }
                if (media[2] - media[0]).max(media[3] - media[1]) > 14_400.0 {
                    problems.push(format!("page {number}: larger than 14,400 pt"));
                }
            }
            _ => problems.push(format!("page {number}: no MediaBox or no TrimBox/ArtBox")),
        }
        let content = doc.get_page_content(page_id);
        for op in Content::decode(&content).unwrap().operations {
            if matches!(op.operator.as_str(), "rg" | "RG") {
                problems.push(format!("page {number}: the {} operator (DeviceRGB)", op.operator));
            }
        }
    }
    problems
}

#[test]
fn the_demo_built_as_pdfx1a_passes_the_iso_15930_1_check() {
    let built = build_edition(&demo_layout(), &demo_edition(), Options { pdfx: Some(PdfX::X1a), ..Options::default() })
        .unwrap();
    assert!(!built.preflight.has_errors(), "{:?}", built.preflight.findings);
    let problems = x1a_violations(&built.pdf);
    assert!(problems.is_empty(), "{problems:#?}");
    // Exactly one ICC stream: the output intent's profile.
    let doc = load(&built.pdf);
    let icc = doc.objects.values().filter_map(|o| o.as_stream().ok()).filter(|s| s.dict.has(b"N")).count();
    assert_eq!(icc, 1);
}

#[test]
fn the_check_finds_what_an_x4_file_may_have_and_x1a_may_not() {
    // The demo as PDF/X-4 with a transparent RGB PNG placed: PDF 1.6, X-4's version key,
    // an sRGB ICCBased photo with a soft mask. Each is named.
    let project = Project::new(same, |e| replace_exact(&e, "images/school-paintbrushes.jpg", "fixtures/alpha.png"));
    let options = Options { allow_low_res: true, ..Options::default() };
    let built = build_edition(&project.layout(), &project.edition(), options).unwrap();
    let problems = x1a_violations(&built.pdf).join("\n");
    for expected in ["header \"%PDF-1.6\"", "GTS_PDFXVersion", "GTS_PDFXConformance", "ICCBased", "a soft mask"] {
        assert!(problems.contains(expected), "{expected} not found in:\n{problems}");
    }
    // An X-4 file with no photo of its own kind still differs in its version only.
    let x4 = build_edition(&demo_layout(), &demo_edition(), Options::default()).unwrap();
    let problems = x1a_violations(&x4.pdf);
    assert!(problems.iter().all(|p| p.contains("PDF-1.6") || p.contains("GTS_PDFX")), "{problems:#?}");
}

#[test]
fn with_a_spot_colour_the_marks_are_on_every_plate_the_spot_included() {
    let spot = "brand: \"spot(PANTONE 287 C, 100, 75, 0, 2)\"";
    let project = Project::new(|l| replace_exact(&l, "brand: \"cmyk(100, 80, 0, 20)\"", spot), same);
    let built =
        build_edition(&project.layout(), &project.edition(), Options { pdfx: Some(PdfX::X1a), ..Options::default() })
            .unwrap();
    assert!(x1a_violations(&built.pdf).is_empty(), "{:#?}", x1a_violations(&built.pdf));
    let doc = load(&built.pdf);
    let page_id = *doc.get_pages().values().next().unwrap();
    let page = doc.get_dictionary(page_id).unwrap();
    let resources = dict_of(&doc, page.get(b"Resources").unwrap()).unwrap();
    let spaces = dict_of(&doc, resources.get(b"ColorSpace").unwrap()).unwrap();
    let separation = |colorant: &[u8]| {
        spaces
            .iter()
            .find(|(_, s)| {
                let s = resolve(&doc, s).as_array().unwrap();
                name(&s[0]) == Some(b"Separation") && name(&s[1]) == Some(colorant)
            })
            .map(|(key, _)| key.clone())
    };
    let all = separation(b"All").expect("a Separation /All");
    assert!(separation(b"PANTONE 287 C").is_some(), "the spot plate");
    // Every stroke of the marks (8 crop rules, 4 targets of a circle and two rules) is
    // in /All at full tint, which a RIP puts on every plate, the spot's too; none is in
    // process CMYK only.
    let ops = Content::decode(&doc.get_page_content(page_id)).unwrap().operations;
    let in_all = ops
        .windows(2)
        .filter(|w| w[0].operator == "CS" && name(&w[0].operands[0]) == Some(all.as_slice()))
        .filter(|w| w[1].operator == "SCN" && number(&w[1].operands[0]) == Some(1.0))
        .count();
    assert_eq!(in_all, 8 + 4 * 3);
    let registration_in_cmyk =
        |o: &&lopdf::content::Operation| o.operator == "K" && o.operands.iter().all(|v| number(v) == Some(1.0));
    assert_eq!(ops.iter().filter(registration_in_cmyk).count(), 0);
}
