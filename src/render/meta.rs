//! What the PDF says about itself: the Info dictionary and the XMP packet (which agree on
//! title, creator, producer and dates, all from the edition, never the clock), the PDF/X
//! version keys, and the trailer /ID derived from the file's content.

use pdf_writer::{Name, Pdf, Ref, Str, TextStr};

use super::Metadata;
use crate::spec::layout::PdfX;

/// Creator and producer: this program.
pub(super) const PRODUCER: &str = concat!("paiban ", env!("CARGO_PKG_VERSION"));

/// A 64-bit hash of `bytes`, 8 bytes a step (about 1 ms for a 4.5 MB page): stable across
/// runs, platforms and versions of any crate, unlike `std`'s hasher.
pub(super) fn content_hash(bytes: &[u8], seed: u64) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let step = |h: u64, w: u64| (h ^ w).wrapping_mul(K).rotate_left(29);
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h = step(h, u64::from_le_bytes(w.try_into().expect("8 bytes")));
    }
    for &b in words.remainder() {
        h = step(h, b as u64);
    }
    // MurmurHash3's finaliser: every input bit reaches every output bit.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The trailer /ID (both halves the same: the file is never updated) from the bytes
/// written so far, and its hex form for the XMP document id.
pub(super) fn file_id(written: &[u8]) -> ([u8; 16], String) {
    let first = content_hash(written, 0);
    let second = content_hash(&first.to_be_bytes(), 1);
    let mut id = [0; 16];
    id[..8].copy_from_slice(&first.to_be_bytes());
    id[8..].copy_from_slice(&second.to_be_bytes());
    (id, format!("{first:016x}{second:016x}"))
}

/// The version and conformance keys the file claims: ISO 15930-1 names PDF/X-1a:2001
/// `/GTS_PDFXVersion (PDF/X-1:2001)` with `/GTS_PDFXConformance (PDF/X-1a:2001)`.
pub(super) fn pdfx_keys(pdfx: PdfX) -> Option<(&'static str, Option<&'static str>)> {
    match pdfx {
        PdfX::X4 => Some(("PDF/X-4", None)),
        PdfX::X1a => Some(("PDF/X-1:2001", Some("PDF/X-1a:2001"))),
        PdfX::None => None,
    }
}

fn pdf_date(meta: &Metadata) -> String {
    let d = meta.date;
    format!("D:{:04}{:02}{:02}000000Z", d.year, d.month, d.day)
}

fn xmp_date(meta: &Metadata) -> String {
    let d = meta.date;
    format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month, d.day)
}

/// The document information dictionary.
pub(super) fn write_info(pdf: &mut Pdf, id: Ref, meta: &Metadata) {
    let date = pdf_date(meta);
    let mut info = pdf.document_info(id);
    info.pair(Name(b"Title"), TextStr(meta.title));
    info.pair(Name(b"Creator"), TextStr(PRODUCER));
    info.pair(Name(b"Producer"), TextStr(PRODUCER));
    info.pair(Name(b"CreationDate"), Str(date.as_bytes()));
    info.pair(Name(b"ModDate"), Str(date.as_bytes()));
    info.pair(Name(b"Trapped"), Name(b"False"));
    if let Some((version, conformance)) = pdfx_keys(meta.pdfx) {
        info.pair(Name(b"GTS_PDFXVersion"), Str(version.as_bytes()));
        if let Some(conformance) = conformance {
            info.pair(Name(b"GTS_PDFXConformance"), Str(conformance.as_bytes()));
        }
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The XMP packet PDF/X asks for: title, dates, creator tool and producer (as the Info
/// dictionary says them), document ids, and the PDF/X version in the schemas readers look
/// in (pdfxid for PDF/X-4, pdfx for both).
pub(super) fn xmp(meta: &Metadata, id: &str) -> String {
    let pdfx = match pdfx_keys(meta.pdfx) {
        None => String::new(),
        Some((version, conformance)) => {
            let pdfxid = match meta.pdfx {
                PdfX::X4 => format!("\n      <pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>"),
                _ => String::new(),
            };
            let conformance = conformance
                .map(|c| format!("\n      <pdfx:GTS_PDFXConformance>{c}</pdfx:GTS_PDFXConformance>"))
                .unwrap_or_default();
            format!(
                "\n    <rdf:Description rdf:about=\"\" xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\" xmlns:pdfx=\"http://ns.adobe.com/pdfx/1.3/\">{pdfxid}\n      <pdfx:GTS_PDFXVersion>{version}</pdfx:GTS_PDFXVersion>{conformance}\n    </rdf:Description>"
            )
        }
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
    </rdf:Description>{pdfx}
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}',
        title = xml_escape(meta.title),
        producer = PRODUCER,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_sees_every_byte_and_is_stable() {
        let page = b"BT /F0 9 Tf 1 0 0 1 10 10 Tm [(ab)] TJ ET".to_vec();
        let h = content_hash(&page, 0);
        assert_eq!(h, content_hash(&page, 0), "the same bytes, the same hash");
        for i in 0..page.len() {
            let mut other = page.clone();
            other[i] ^= 1;
            assert_ne!(content_hash(&other, 0), h, "byte {i} changes the hash");
        }
        assert_ne!(content_hash(&page[..page.len() - 1], 0), h);
        assert_ne!(content_hash(&page, 1), h);
    }

    #[test]
    fn x1a_claims_its_version_and_conformance_as_iso_15930_1_names_them() {
        assert_eq!(pdfx_keys(PdfX::X1a), Some(("PDF/X-1:2001", Some("PDF/X-1a:2001"))));
        assert_eq!(pdfx_keys(PdfX::X4), Some(("PDF/X-4", None)));
        assert_eq!(pdfx_keys(PdfX::None), None);
    }
}
