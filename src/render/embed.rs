//! A face as PDF objects: a Type0 font (Identity-H) over a CID font whose program is the
//! face's subset of the glyphs the document shows (CFF → FontFile3 /CIDFontType0C,
//! TrueType → FontFile2), with its widths (/W) and a ToUnicode CMap, so that text copies
//! out as it was written.

use std::collections::{BTreeMap, HashMap};

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Chunk, Filter, Finish, Name, Rect, Ref, Str};

use super::deflate::deflate;
use super::Clock;
use crate::fonts::subset::{Outlines, Subset};
use crate::fonts::Face;

/// A face written into the PDF: what the content streams need to show its glyphs.
pub(super) struct EmbeddedFont {
    /// The name the page resources give the font.
    pub resource: String,
    pub reference: Ref,
    /// Original glyph id → (CID, advance in 1/1000 em as the PDF's /W says).
    glyphs: HashMap<u16, (u16, f32)>,
}

impl EmbeddedFont {
    /// The CID that shows glyph `gid` and its width; every glyph the page shows was
    /// collected before the font was written.
    pub fn glyph(&self, gid: u16) -> (u16, f32) {
        self.glyphs[&gid]
    }
}

/// The width of most glyphs of a CJK face: the CID font's /DW, left out of /W.
const DEFAULT_WIDTH: f32 = 1000.0;

const IDENTITY: SystemInfo = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

/// A six-letter subset tag from the face name: the same font always gets the same tag.
pub(super) fn subset_tag(name: &str, index: usize) -> String {
    let mut h = crate::spec::layout::fnv1a(name.as_bytes()) ^ index as u64;
    (0..6)
        .map(|_| {
            let c = (b'A' + (h % 26) as u8) as char;
            h /= 26;
            c
        })
        .collect()
}

/// Write face `index` of the book, cut down to `glyphs` (original id → the character it
/// shows) as `subset`, into `chunk`, with object numbers from `next`.
pub(super) fn write_font(
    chunk: &mut Chunk,
    next: &mut impl FnMut() -> Ref,
    face: &Face,
    index: usize,
    glyphs: &BTreeMap<u16, String>,
    subset: &Subset,
    clock: &mut Clock,
) -> Result<EmbeddedFont, String> {
    let originals: Vec<u16> = subset.original_glyphs().collect();
    let widths = face.advances_per_mille(originals.iter().copied());
    let (type0, cid_font, descriptor, program, cmap_ref) = (next(), next(), next(), next(), next());
    let base_font = format!("{}+{}", subset_tag(&face.name, index), face.postscript_name);

    chunk
        .type0_font(type0)
        .base_font(Name(base_font.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_font)
        .to_unicode(cmap_ref);

    let mut cid = chunk.cid_font(cid_font);
    cid.subtype(match subset.outlines {
        Outlines::Cff => CidFontType::Type0,
        Outlines::TrueType => CidFontType::Type2,
    });
    cid.base_font(Name(base_font.as_bytes()));
    cid.system_info(IDENTITY);
    cid.font_descriptor(descriptor);
    cid.default_width(DEFAULT_WIDTH);
    if subset.outlines == Outlines::TrueType {
        cid.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    {
        let mut w = cid.widths();
        let mut start = 0;
        while start < widths.len() {
            if widths[start] == DEFAULT_WIDTH {
                start += 1;
                continue;
            }
            let end = (start..widths.len()).find(|&i| widths[i] == DEFAULT_WIDTH).unwrap_or(widths.len());
            w.consecutive(start as u16, widths[start..end].iter().copied());
            start = end;
        }
    }
    cid.finish();

    let metrics = face.pdf_metrics();
    let mut flags = FontFlags::NON_SYMBOLIC;
    if metrics.italic_angle != 0.0 {
        flags |= FontFlags::ITALIC;
    }
    let [x0, y0, x1, y1] = metrics.bbox;
    let mut d = chunk.font_descriptor(descriptor);
    d.name(Name(base_font.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(x0, y0, x1, y1))
        .italic_angle(metrics.italic_angle)
        .ascent(metrics.ascent)
        .descent(metrics.descent)
        .cap_height(metrics.cap_height)
        .stem_v(metrics.stem_v);
    match subset.outlines {
        Outlines::Cff => d.font_file3(program),
        Outlines::TrueType => d.font_file2(program),
    };
    d.finish();

    let compressed = Clock::time(&mut clock.compress, || subset.packed(deflate));
    let mut stream = chunk.stream(program, compressed);
    stream.filter(Filter::FlateDecode);
    match subset.outlines {
        Outlines::Cff => stream.pair(Name(b"Subtype"), Name(b"CIDFontType0C")),
        Outlines::TrueType => stream.pair(Name(b"Length1"), subset.program.len() as i32),
    };
    stream.finish();

    let mut unicode = UnicodeCmap::new(Name(b"Adobe-Identity-UCS"), IDENTITY);
    for (new, old) in originals.iter().enumerate().skip(1) {
        match glyphs.get(old).map(|t| t.chars().collect::<Vec<char>>()) {
            Some(chars) if chars.len() == 1 => unicode.pair(new as u16, chars[0]),
            Some(chars) if !chars.is_empty() => unicode.pair_with_multiple(new as u16, chars),
            _ => {}
        }
    }
    let cmap = unicode.finish();
    let cmap_bytes = Clock::time(&mut clock.compress, || deflate(&cmap));
    chunk.cmap(cmap_ref, &cmap_bytes).filter(Filter::FlateDecode);

    let glyphs = originals.iter().zip(&widths).enumerate().map(|(new, (&old, &w))| (old, (new as u16, w))).collect();
    Ok(EmbeddedFont { resource: format!("F{index}"), reference: type0, glyphs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_tags_are_six_capitals_and_stable() {
        let a = subset_tag("serif", 0);
        assert_eq!(a.len(), 6);
        assert!(a.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(a, subset_tag("serif", 0));
        assert_ne!(a, subset_tag("sans", 1));
    }
}
