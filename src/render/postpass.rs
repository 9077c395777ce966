//! The lopdf pass over printpdf's document: each fix is small and named, so it can go
//! when printpdf does it right.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use super::Metadata;
use crate::error::{Error, Result};
use crate::spec::layout::{fnv1a, PdfX};

/// printpdf writes a random trailer /ID; derive it from the document's content instead.
fn deterministic_id(doc: &mut Document) -> String {
    let mut h = 0u64;
    for (id, object) in &doc.objects {
        h = fnv1a(&[h.to_le_bytes(), (id.0 as u64).to_le_bytes()].concat());
        if let Object::Stream(s) = object {
            h ^= fnv1a(&s.content).rotate_left(17);
        }
    }
    let second = fnv1a(&h.to_be_bytes());
    let hex = format!("{h:016x}{second:016x}");
    let id = Object::String([h.to_be_bytes(), second.to_be_bytes()].concat(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    hex
}

/// printpdf dates everything 1970-01-01 and writes an empty /GTS_PDFXVersion; use the
/// edition's date and drop the key that claims a standard the file does not meet.
fn info(doc: &mut Document, meta: &Metadata) {
    let Ok(info_ref) = doc.trailer.get(b"Info").and_then(Object::as_reference) else {
        return;
    };
    let Ok(Object::Dictionary(info)) = doc.get_object_mut(info_ref) else {
        return;
    };
    let stamp = pdf_date(meta);
    for key in ["CreationDate", "ModDate"] {
        info.set(key, Object::String(stamp.clone().into_bytes(), StringFormat::Literal));
    }
    info.remove(b"GTS_PDFXVersion");
    info.remove(b"Identifier");
    info.set("Producer", Object::string_literal(concat!("paiban ", env!("CARGO_PKG_VERSION"))));
}

/// printpdf writes every layer as visible and printable; the designer's overlay must show
/// on screen and never print: a /Usage print state, and a /Print auto-state in /D.
fn overlay_not_printed(doc: &mut Document) {
    let overlay: Vec<lopdf::ObjectId> = doc
        .objects
        .iter()
        .filter_map(|(id, o)| {
            let d = o.as_dict().ok()?;
            let is_ocg = d.get(b"Type").and_then(Object::as_name).ok() == Some(b"OCG".as_slice());
            let name = d.get(b"Name").and_then(Object::as_str).ok()?;
            (is_ocg && name == super::OVERLAY_LAYER.as_bytes()).then_some(*id)
        })
        .collect();
    let Some(&ocg) = overlay.first() else { return };
    let state =
        |key: &str, value: &str| lopdf::Dictionary::from_iter(vec![(key, Object::Name(value.as_bytes().to_vec()))]);
    let usage = lopdf::Dictionary::from_iter(vec![
        ("Print", Object::Dictionary(state("PrintState", "OFF"))),
        ("View", Object::Dictionary(state("ViewState", "ON"))),
    ]);
    if let Ok(Object::Dictionary(d)) = doc.get_object_mut(ocg) {
        d.set("Usage", Object::Dictionary(usage));
        d.set("Intent", Object::Array(vec![Object::Name(b"View".to_vec()), Object::Name(b"Design".to_vec())]));
    }
    let Ok(root) = doc.trailer.get(b"Root").and_then(Object::as_reference) else { return };
    let Ok(Object::Dictionary(catalog)) = doc.get_object_mut(root) else { return };
    let Ok(Object::Dictionary(properties)) = catalog.get_mut(b"OCProperties") else { return };
    let Ok(Object::Dictionary(default)) = properties.get_mut(b"D") else { return };
    let auto_state = lopdf::Dictionary::from_iter(vec![
        ("Event", Object::Name(b"Print".to_vec())),
        ("OCGs", Object::Array(vec![Object::Reference(ocg)])),
        ("Category", Object::Array(vec![Object::Name(b"Print".to_vec())])),
    ]);
    default.set("AS", Object::Array(vec![Object::Dictionary(auto_state)]));
}

/// The page boxes, in points: the media box's size, and how far in from it the bleed box
/// and the trim box lie on every side.
pub struct Boxes {
    pub media: (f32, f32),
    pub bleed: f32,
    pub trim: f32,
}

fn rect(inset: f32, (w, h): (f32, f32)) -> Object {
    Object::Array([inset, inset, w - inset, h - inset].into_iter().map(Object::Real).collect())
}

/// printpdf writes boxes as [x y width height] (wrong whenever the origin is not 0, 0)
/// and has no BleedBox: write all four as [llx lly urx ury].
fn page_boxes(doc: &mut Document, boxes: &Boxes) {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for id in pages {
        if let Ok(Object::Dictionary(page)) = doc.get_object_mut(id) {
            page.set("MediaBox", rect(0.0, boxes.media));
            page.set("CropBox", rect(0.0, boxes.media));
            page.set("BleedBox", rect(boxes.bleed, boxes.media));
            page.set("TrimBox", rect(boxes.trim, boxes.media));
        }
    }
}

fn text(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

fn pdf_date(meta: &Metadata) -> String {
    let d = meta.date;
    format!("D:{:04}{:02}{:02}000000Z", d.year, d.month, d.day)
}

fn xmp_date(meta: &Metadata) -> String {
    let d = meta.date;
    format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month, d.day)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The XMP packet PDF/X asks for: title, dates, producer, document ids, and the
/// GTS_PDFXVersion in the pdfxid schema.
pub fn xmp(meta: &Metadata, id: &str) -> String {
    let version = meta.pdfx.version_name();
    let conformance = match meta.pdfx {
        PdfX::X1a => format!("\n      <pdfx:GTS_PDFXConformance>{version}</pdfx:GTS_PDFXConformance>"),
        _ => String::new(),
    };
    let pdfxid = if version.is_empty() {
        String::new()
    } else {
        format!(
            "\n    <rdf:Description rdf:about=\"\" xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\" xmlns:pdfx=\"http://ns.adobe.com/pdfx/1.3/\">\n      <pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>\n      <pdfx:GTS_PDFXVersion>{version}</pdfx:GTS_PDFXVersion>{conformance}\n    </rdf:Description>"
        )
    };
    let date = xmp_date(meta);
    let uuid = format!("uuid:{}-{}-{}-{}-{}", &id[0..8], &id[8..12], &id[12..16], &id[16..20], &id[20..32]);
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:format>application/pdf</dc:format>
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
      <xmp:CreateDate>{date}</xmp:CreateDate>
      <xmp:ModifyDate>{date}</xmp:ModifyDate>
      <xmp:MetadataDate>{date}</xmp:MetadataDate>
      <xmp:CreatorTool>{producer}</xmp:CreatorTool>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
      <pdf:Producer>{producer}</pdf:Producer>
      <pdf:Trapped>False</pdf:Trapped>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
      <xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>
      <xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>
      <xmpMM:VersionID>1</xmpMM:VersionID>
      <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
    </rdf:Description>{pdfxid}
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}',
        title = xml_escape(meta.title),
        producer = concat!("paiban ", env!("CARGO_PKG_VERSION")),
    )
}

/// PDF/X: the header version, the output intent (printpdf's uses the key
/// /DestinationOutputProfile where the standard says /DestOutputProfile, and keeps a 1.3
/// header), the Info keys and the XMP packet.
fn pdfx(doc: &mut Document, meta: &Metadata, id: &str) {
    let (version, name) = (if meta.pdfx == PdfX::X1a { "1.3" } else { "1.6" }, meta.pdfx.version_name());
    doc.version = version.into();
    let Ok(root) = doc.trailer.get(b"Root").and_then(Object::as_reference) else { return };
    let metadata = Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp(meta, id).into_bytes(),
    )
    .with_compression(false);
    let metadata = doc.add_object(metadata);
    let intent = (meta.pdfx != PdfX::None).then(|| {
        let (profile, condition) = match &meta.output_profile {
            Some((bytes, condition)) => (bytes.clone(), condition.clone()),
            None => (super::FOGRA39.to_vec(), super::FOGRA39_CONDITION.to_owned()),
        };
        let n = if profile.get(16..20) == Some(b"RGB ".as_slice()) { 3 } else { 4 };
        let mut stream = Stream::new(Dictionary::from_iter(vec![("N", Object::Integer(n))]), profile);
        let _ = stream.compress();
        let profile = doc.add_object(stream);
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"OutputIntent".to_vec())),
            ("S", Object::Name(b"GTS_PDFX".to_vec())),
            ("OutputConditionIdentifier", text(&condition)),
            ("OutputCondition", text(&condition)),
            ("RegistryName", text("http://www.color.org")),
            ("Info", text(&condition)),
            ("DestOutputProfile", Object::Reference(profile)),
        ])
    });
    if let Ok(Object::Dictionary(catalog)) = doc.get_object_mut(root) {
        catalog.set("Metadata", Object::Reference(metadata));
        match intent {
            Some(intent) => catalog.set("OutputIntents", Object::Array(vec![Object::Dictionary(intent)])),
            None => {
                catalog.remove(b"OutputIntents");
            }
        }
    }
    let Ok(info_ref) = doc.trailer.get(b"Info").and_then(Object::as_reference) else { return };
    if let Ok(Object::Dictionary(info)) = doc.get_object_mut(info_ref) {
        info.set("Trapped", Object::Name(b"False".to_vec()));
        if !name.is_empty() {
            info.set("GTS_PDFXVersion", text(name));
        }
        if meta.pdfx == PdfX::X1a {
            info.set("GTS_PDFXConformance", text(name));
        }
    }
}

/// printpdf has no spot colours: each becomes a Separation colour space with its CMYK
/// alternate (a type 2 function from no ink to the alternate), in every page's resources.
fn spot_colorspaces(doc: &mut Document, spots: &BTreeMap<u64, super::SpotColor>) {
    if spots.is_empty() {
        return;
    }
    let spaces = Dictionary::from_iter(spots.values().map(|s| {
        let tint = Dictionary::from_iter(vec![
            ("FunctionType", Object::Integer(2)),
            ("Domain", Object::Array(vec![Object::Real(0.0), Object::Real(1.0)])),
            ("C0", Object::Array(vec![Object::Real(0.0); 4])),
            ("C1", Object::Array(s.alternate.iter().map(|&v| Object::Real(v)).collect())),
            ("N", Object::Integer(1)),
        ]);
        let space = Object::Array(vec![
            Object::Name(b"Separation".to_vec()),
            Object::Name(s.name.as_bytes().to_vec()),
            Object::Name(b"DeviceCMYK".to_vec()),
            Object::Dictionary(tint),
        ]);
        (s.resource.clone(), space)
    }));
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for page in pages {
        let resources = match doc.get_dictionary(page).and_then(|p| p.get(b"Resources")) {
            Ok(Object::Reference(r)) => Some(*r),
            _ => None,
        };
        let target = match resources {
            Some(r) => doc.get_object_mut(r).ok().and_then(|o| o.as_dict_mut().ok()),
            None => doc
                .get_object_mut(page)
                .ok()
                .and_then(|o| o.as_dict_mut().ok())
                .and_then(|p| p.get_mut(b"Resources").ok())
                .and_then(|o| o.as_dict_mut().ok()),
        };
        if let Some(resources) = target {
            resources.set("ColorSpace", Object::Dictionary(spaces.clone()));
        }
    }
}

pub fn finish(
    mut doc: Document,
    meta: &Metadata,
    boxes: &Boxes,
    spots: &BTreeMap<u64, super::SpotColor>,
) -> Result<Vec<u8>> {
    info(&mut doc, meta);
    spot_colorspaces(&mut doc, spots);
    overlay_not_printed(&mut doc);
    page_boxes(&mut doc, boxes);
    doc.compress();
    let id = deterministic_id(&mut doc);
    pdfx(&mut doc, meta, &id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(|e| Error::Pdf(e.to_string()))?;
    Ok(bytes)
}
