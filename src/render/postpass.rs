//! The lopdf pass over printpdf's document: each fix is small and named, so it can go
//! when printpdf does it right.

use lopdf::{Document, Object, StringFormat};

use super::Metadata;
use crate::error::{Error, Result};

pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// printpdf writes a random trailer /ID; derive it from the document's content instead.
fn deterministic_id(doc: &mut Document) {
    let mut h = 0u64;
    for (id, object) in &doc.objects {
        h = fnv1a(&[h.to_le_bytes(), (id.0 as u64).to_le_bytes()].concat());
        if let Object::Stream(s) = object {
            h ^= fnv1a(&s.content).rotate_left(17);
        }
    }
    let hex = format!("{h:016x}{:016x}", fnv1a(&h.to_be_bytes()));
    let id = Object::String(hex.into_bytes(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
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
    let d = meta.date;
    let stamp = format!("D:{:04}{:02}{:02}000000Z", d.year, d.month, d.day);
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

pub fn finish(mut doc: Document, meta: &Metadata) -> Result<Vec<u8>> {
    info(&mut doc, meta);
    overlay_not_printed(&mut doc);
    doc.compress();
    deterministic_id(&mut doc);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(|e| Error::Pdf(e.to_string()))?;
    Ok(bytes)
}
