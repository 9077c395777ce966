//! Fonts: loading OTF/TTF/TTC faces (mapped, not read, and checked once at load), their
//! metrics and character coverage, the fallback chain a style names, and cutting a face
//! down to the glyphs an edition uses ([`subset`]). Metrics come from skrifa (maintained;
//! rusttype and ttf-parser are flagged unmaintained). This module does not know about PDF
//! objects: the renderer receives the subset programs and writes them.

pub mod subset;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use skrifa::instance::{LocationRef, Size};
pub use skrifa::outline::OutlinePen;
use skrifa::{FontRef, GlyphId, MetadataProvider};

use crate::error::{Error, Result};
use crate::model::FontFile;

/// Fonts bigger than this are refused: a CJK face is 2–25 MB.
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

/// A font file's bytes: mapped from the file (a 5 MB CJK face costs no copy and only the
/// pages a build touches), or held in memory (tests, generated fonts).
pub type FontData = crate::bytes::Bytes;

/// Map a font file, refusing one larger than [`MAX_FONT_BYTES`] before mapping it.
fn map_font(path: &Path) -> std::result::Result<FontData, String> {
    FontData::map(path, MAX_FONT_BYTES, "a font")
}

/// One loaded face.
pub struct Face {
    pub name: String,
    pub path: PathBuf,
    pub index: u32,
    pub data: FontData,
    pub units_per_em: f32,
    /// Typographic ascent and descent in em (descent negative).
    pub ascent: f32,
    pub descent: f32,
    /// The face draws Han characters: East-Asian-ambiguous marks come from such a face.
    pub is_cjk: bool,
    /// The PostScript name, as the PDF names the font.
    pub postscript_name: String,
    glyph_count: u32,
    subsets: subset::Remembered,
    /// The glyphs looked up so far, by character: a look-up reads the cmap and builds the
    /// metrics anew (a tenth of a cold page's time), and a page asks for its few hundred
    /// characters thousands of times, in every edition of a session.
    glyphs: RwLock<HashMap<char, Option<(u16, f32)>>>,
}

/// A glyph chosen for a character.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// Index of the face in the [`FontBook`].
    pub face: usize,
    pub id: u16,
    /// Advance width in em.
    pub advance: f32,
}

impl Face {
    pub fn load(file: &FontFile) -> Result<Face> {
        let broken = |problem: String| Error::Asset {
            what: "font file",
            path: file.path.clone(),
            problem,
            location: Box::new(file.asked_at.clone()),
        };
        let data = map_font(&file.path).map_err(broken)?;
        Face::from_bytes(&file.name, &file.path, file.index, data).map_err(broken)
    }

    /// A face from its file's bytes, checked as a build will use it (see [`validate`]).
    pub fn from_bytes(name: &str, path: &Path, index: u32, data: impl Into<FontData>) -> Result<Face, String> {
        let data = data.into();
        let font = FontRef::from_index(&data, index)
            .map_err(|e| format!("is not a font this program can read (face {index}): {e}"))?;
        validate(&font, &data, index)?;
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        let upem = metrics.units_per_em as f32;
        if upem <= 0.0 {
            return Err("has no units-per-em value".into());
        }
        let glyph_count = metrics.glyph_count;
        let is_cjk = font.charmap().map('国').is_some();
        let postscript_name = font
            .localized_strings(skrifa::string::StringId::POSTSCRIPT_NAME)
            .english_or_first()
            .map(|s| s.to_string())
            .unwrap_or_else(|| name.to_owned());
        Ok(Face {
            is_cjk,
            postscript_name,
            name: name.to_owned(),
            path: path.to_owned(),
            index,
            units_per_em: upem,
            ascent: metrics.ascent / upem,
            descent: metrics.descent / upem,
            glyph_count,
            data,
            subsets: subset::Remembered::default(),
            glyphs: RwLock::default(),
        })
    }

    /// What a PDF font descriptor says about the face, in 1/1000 em.
    pub fn pdf_metrics(&self) -> PdfMetrics {
        use skrifa::raw::TableProvider;
        let font = self.font();
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        let scale = 1000.0 / self.units_per_em;
        let bbox = metrics.bounds.map_or([0.0; 4], |b| [b.x_min, b.y_min, b.x_max, b.y_max].map(|v| v * scale));
        let weight = font.os2().map_or(400, |os2| os2.us_weight_class());
        PdfMetrics {
            bbox,
            ascent: self.ascent * 1000.0,
            descent: self.descent * 1000.0,
            cap_height: metrics.cap_height.map_or(self.ascent * 1000.0, |c| c * scale),
            italic_angle: metrics.italic_angle,
            // The usual estimate of the dominant vertical stem from the weight class
            // (400 → 88, 700 → 166, 900 → 242).
            stem_v: (50.0 + (weight as f32 / 65.0).powi(2)).round(),
        }
    }

    /// The advance widths of `glyphs` in 1/1000 em, as the font draws them (not as set).
    pub fn advances_per_mille(&self, glyphs: impl IntoIterator<Item = u16>) -> Vec<f32> {
        let font = self.font();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let scale = 1000.0 / self.units_per_em;
        glyphs.into_iter().map(|g| metrics.advance_width(GlyphId::new(g as u32)).unwrap_or(0.0) * scale).collect()
    }

    fn font(&self) -> FontRef<'_> {
        // `from_bytes` parsed these very bytes already.
        FontRef::from_index(&self.data, self.index).expect("face was validated at load")
    }

    /// The glyph the face's single-substitution feature `feature` (`fwid`, `pwid`, `halt`…)
    /// puts for `gid`, with its advance in em. Noto CJK's U+2014 is 0.89 em wide, its `fwid`
    /// form exactly 1 em, so two of them make an unbroken 2-em dash.
    pub fn substitute(&self, gid: u16, feature: &[u8; 4]) -> Option<(u16, f32)> {
        use skrifa::raw::tables::gsub::{SingleSubst, SubstitutionLookup};
        use skrifa::raw::types::Tag;
        use skrifa::raw::TableProvider;
        let font = self.font();
        let gsub = font.gsub().ok()?;
        let features = gsub.feature_list().ok()?;
        let lookups = gsub.lookup_list().ok()?;
        let glyph = GlyphId::new(gid as u32);
        let record = features.feature_records().iter().find(|r| r.feature_tag() == Tag::new(feature))?;
        let feature = record.feature(features.offset_data()).ok()?;
        for index in feature.lookup_list_indices() {
            let Ok(SubstitutionLookup::Single(lookup)) = lookups.lookups().get(index.get() as usize) else { continue };
            for subtable in lookup.subtables().iter().flatten() {
                let substitute = match subtable {
                    SingleSubst::Format1(t) => {
                        t.coverage().ok()?.get(glyph).map(|_| (gid as i32 + t.delta_glyph_id() as i32) as u32)
                    }
                    SingleSubst::Format2(t) => t
                        .coverage()
                        .ok()?
                        .get(glyph)
                        .and_then(|i| t.substitute_glyph_ids().get(i as usize))
                        .map(|g| g.get().to_u32()),
                    _ => None,
                };
                if let Some(sub) = substitute {
                    let advance = font
                        .glyph_metrics(Size::unscaled(), LocationRef::default())
                        .advance_width(GlyphId::new(sub))?;
                    return Some((u16::try_from(sub).ok()?, advance / self.units_per_em));
                }
            }
        }
        None
    }

    /// The glyph the face's ligature feature `feature` (`ccmp`, `liga`) makes of exactly the
    /// glyph sequence `gids`, with its advance in em. Noto CJK's `ccmp` joins two U+2014 into
    /// one glyph whose rule runs on without the gap two separate dashes leave.
    pub fn ligature(&self, gids: &[u16], feature: &[u8; 4]) -> Option<(u16, f32)> {
        use skrifa::raw::tables::gsub::{LigatureSubst, SubstitutionSubtables};
        use skrifa::raw::types::Tag;
        use skrifa::raw::TableProvider;
        let (&first, rest) = gids.split_first()?;
        let font = self.font();
        let gsub = font.gsub().ok()?;
        let features = gsub.feature_list().ok()?;
        let lookups = gsub.lookup_list().ok()?;
        let record = features.feature_records().iter().find(|r| r.feature_tag() == Tag::new(feature))?;
        let feature = record.feature(features.offset_data()).ok()?;
        for index in feature.lookup_list_indices() {
            let Ok(lookup) = lookups.lookups().get(index.get() as usize) else { continue };
            let Ok(SubstitutionSubtables::Ligature(subtables)) = lookup.subtables() else { continue };
            for subtable in subtables.iter().flatten() {
                let LigatureSubst::Format1(table) = subtable else { continue };
                let Some(set) = table.coverage().ok().and_then(|c| c.get(GlyphId::new(first as u32))) else { continue };
                let Ok(set) = table.ligature_sets().get(set as usize) else { continue };
                for ligature in set.ligatures().iter().flatten() {
                    let components = ligature.component_glyph_ids().iter().map(|g| g.get().to_u32());
                    if components.eq(rest.iter().map(|&g| g as u32)) {
                        let glyph = ligature.ligature_glyph().to_u32();
                        let advance = font
                            .glyph_metrics(Size::unscaled(), LocationRef::default())
                            .advance_width(GlyphId::new(glyph))?;
                        return Some((u16::try_from(glyph).ok()?, advance / self.units_per_em));
                    }
                }
            }
        }
        None
    }

    /// Draw glyph `gid`'s outline, in font units (y up), into `pen`.
    pub fn draw_outline(&self, gid: u16, pen: &mut impl OutlinePen) -> bool {
        use skrifa::outline::DrawSettings;
        let font = self.font();
        let Some(glyph) = font.outline_glyphs().get(GlyphId::new(gid as u32)) else { return false };
        glyph.draw(DrawSettings::unhinted(Size::unscaled(), LocationRef::default()), pen).is_ok()
    }

    /// The glyph for `ch` and its advance, if the face has one.
    pub fn glyph(&self, ch: char) -> Option<(u16, f32)> {
        // A poisoned lock only means another thread panicked mid-insert of a plain value.
        if let Some(&known) = self.glyphs.read().unwrap_or_else(|e| e.into_inner()).get(&ch) {
            return known;
        }
        let found = self.look_up(ch);
        self.glyphs.write().unwrap_or_else(|e| e.into_inner()).insert(ch, found);
        found
    }

    fn look_up(&self, ch: char) -> Option<(u16, f32)> {
        let font = self.font();
        let gid = font.charmap().map(ch)?;
        if gid == GlyphId::NOTDEF || gid.to_u32() >= self.glyph_count {
            return None;
        }
        let advance = font.glyph_metrics(Size::unscaled(), LocationRef::default()).advance_width(gid)?;
        Some((u16::try_from(gid.to_u32()).ok()?, advance / self.units_per_em))
    }
}

/// The font descriptor's numbers, in 1/1000 em (PDF glyph space).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PdfMetrics {
    /// x min, y min, x max, y max.
    pub bbox: [f32; 4],
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
    pub italic_angle: f32,
    pub stem_v: f32,
}

/// Check at load what a build will need of the face, so that `check` and `build` refuse
/// the same fonts, at the layout line that names the file: every table lies inside the
/// file; `head`, `maxp`, `hhea`, `hmtx` and `cmap` read; and the outlines can be subset.
fn validate(font: &FontRef, data: &[u8], index: u32) -> Result<(), String> {
    use skrifa::raw::TableProvider;
    let file_len = data.len() as u64;
    for record in font.table_directory.table_records() {
        let (offset, length) = (record.offset() as u64, record.length() as u64);
        if offset + length > file_len {
            return Err(format!(
                "is damaged: its `{}` table ({length} bytes at {offset}) runs past the end of the file ({file_len} bytes)",
                record.tag()
            ));
        }
    }
    let damaged =
        |table: &str, e: skrifa::raw::ReadError| format!("is damaged: its `{table}` table cannot be read ({e})");
    font.head().map_err(|e| damaged("head", e))?;
    font.maxp().map_err(|e| damaged("maxp", e))?;
    font.hhea().map_err(|e| damaged("hhea", e))?;
    font.hmtx().map_err(|e| damaged("hmtx", e))?;
    font.cmap().map_err(|e| damaged("cmap", e))?;
    subset::check(data, index)
}

/// All faces a layout names, in the layout's order.
pub struct FontBook {
    pub faces: Vec<Face>,
}

impl FontBook {
    pub fn load(files: &[FontFile]) -> Result<FontBook> {
        Ok(FontBook { faces: files.iter().map(Face::load).collect::<Result<_>>()? })
    }

    /// The first face of `chain` that has `ch`.
    pub fn glyph(&self, chain: &[usize], ch: char) -> Option<Glyph> {
        chain.iter().find_map(|&face| self.faces[face].glyph(ch).map(|(id, advance)| Glyph { face, id, advance }))
    }

    /// Like [`FontBook::glyph`], but from the first CJK face that has `ch` when there is
    /// one: “ ” ‘ ’ must be full width even when a Latin face comes first in the chain.
    pub fn cjk_glyph(&self, chain: &[usize], ch: char) -> Option<Glyph> {
        let cjk: Vec<usize> = chain.iter().copied().filter(|&f| self.faces[f].is_cjk).collect();
        self.glyph(&cjk, ch).or_else(|| self.glyph(chain, ch))
    }

    pub fn names(&self, chain: &[usize]) -> Vec<String> {
        chain.iter().map(|&i| self.faces[i].name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(file: &str) -> Face {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts").join(file);
        let data = std::fs::read(&path).unwrap();
        Face::from_bytes("t", &path, 0, data).unwrap()
    }

    #[test]
    fn a_mapped_font_reads_the_same_after_its_pages_are_let_go() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/SmileySans-Oblique.ttf");
        let data = map_font(&path).unwrap();
        assert!(matches!(data, FontData::Mapped(_)));
        let before: Vec<u8> = data.to_vec();
        data.release_pages();
        assert_eq!(&*data, before.as_slice(), "the pages come back from the file");
        assert_eq!(before, std::fs::read(&path).unwrap());
    }

    #[test]
    fn noto_serif_metrics() {
        let f = face("NotoSerifCJKsc-Regular.otf");
        assert_eq!(f.units_per_em, 1000.0);
        let (gid, adv) = f.glyph('中').unwrap();
        assert!(gid > 0);
        assert_eq!(adv, 1.0);
        assert_eq!(f.glyph('，').unwrap().1, 1.0);
        let digit = f.glyph('2').unwrap().1;
        assert!(digit > 0.4 && digit < 0.7, "{digit}");
        assert!(f.ascent > 0.8 && f.descent < -0.1);
    }

    #[test]
    fn fallback_chain_and_coverage() {
        let book = FontBook { faces: vec![face("SmileySans-Oblique.ttf"), face("NotoSerifCJKsc-Regular.otf")] };
        // 𬉼 (level-3 hanzi) is missing from Smiley Sans but present in Noto.
        assert!(book.faces[0].glyph('𬉼').is_none());
        assert_eq!(book.glyph(&[0, 1], '𬉼').unwrap().face, 1);
        assert_eq!(book.glyph(&[0, 1], '中').unwrap().face, 0);
        // A Hangul syllable is in neither subset.
        assert!(book.glyph(&[0, 1], '한').is_none());
    }

    #[test]
    fn quotes_come_from_a_cjk_face_even_behind_a_latin_one() {
        // Stand a face in for a Latin-only one: it is first in the chain, yet the
        // ambiguous quotes must come from the CJK face (full width).
        let mut latin = face("NotoSansCJKsc-Regular.otf");
        latin.is_cjk = false;
        let book = FontBook { faces: vec![latin, face("NotoSerifCJKsc-Regular.otf")] };
        assert_eq!(book.glyph(&[0, 1], 'A').unwrap().face, 0);
        assert_eq!(book.cjk_glyph(&[0, 1], '“').unwrap().face, 1);
        assert_eq!(book.cjk_glyph(&[0, 1], '“').unwrap().advance, 1.0);
        // With no CJK face in the chain, the first face that has the mark is used.
        assert_eq!(book.cjk_glyph(&[0], '“').unwrap().face, 0);
    }

    #[test]
    fn fullwidth_dash_from_the_fwid_feature() {
        let f = face("NotoSerifCJKsc-Regular.otf");
        let (dash, advance) = f.glyph('—').unwrap();
        assert!(advance < 0.95, "Noto's own em dash is narrower than an em: {advance}");
        let (full, full_advance) = f.substitute(dash, b"fwid").unwrap();
        assert_ne!(full, dash);
        assert_eq!(full_advance, 1.0);
        assert!(f.substitute(f.glyph('国').unwrap().0, b"fwid").is_none());
    }

    #[test]
    fn two_em_dash_from_the_ccmp_ligature_then_its_full_width_form() {
        let f = face("NotoSerifCJKsc-Regular.otf");
        let (dash, _) = f.glyph('—').unwrap();
        let (pair, advance) = f.ligature(&[dash, dash], b"ccmp").unwrap();
        assert_ne!(pair, dash);
        assert!(advance > 1.5 && advance < 1.9, "the ligature is proportional: {advance}");
        let (full, full_advance) = f.substitute(pair, b"fwid").unwrap();
        assert_ne!(full, pair);
        assert_eq!(full_advance, 2.0);
        // Only the exact sequence: one dash, or a dash and a Han character, has no ligature.
        assert!(f.ligature(&[dash], b"ccmp").is_none());
        assert!(f.ligature(&[dash, f.glyph('国').unwrap().0], b"ccmp").is_none());
        assert!(f.ligature(&[dash, dash], b"zzzz").is_none());
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        let e = Face::from_bytes("x", Path::new("x.otf"), 0, b"not a font".to_vec()).err().unwrap();
        assert!(e.contains("not a font"), "{e}");
    }

    /// The bytes of `file` with `edit` applied, given where the table directory's record of
    /// `tag` and the table itself start.
    fn damaged(file: &str, tag: &[u8; 4], edit: impl Fn(&mut Vec<u8>, usize, usize)) -> Vec<u8> {
        let mut bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts").join(file)).unwrap();
        let tables = u16::from_be_bytes([bytes[4], bytes[5]]) as usize;
        let record = (0..tables).map(|i| 12 + 16 * i).find(|&r| &bytes[r..r + 4] == tag).unwrap();
        let at = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
        let offset = at(record + 8);
        edit(&mut bytes, record, offset);
        bytes
    }

    #[test]
    fn damaged_tables_are_refused_at_load() {
        let load = |bytes: Vec<u8>| Face::from_bytes("x", Path::new("x.otf"), 0, bytes).err();
        // Garbled CFF: its header and top dictionary overwritten.
        let garbled = damaged("NotoSansCJKsc-Regular.otf", b"CFF ", |b, _, offset| {
            for (i, byte) in b[offset..offset + 200].iter_mut().enumerate() {
                *byte = (i as u8).wrapping_mul(37) ^ 0xA5;
            }
        });
        let e = load(garbled).expect("a garbled CFF table is refused");
        assert!(e.contains("outlines cannot be read"), "{e}");
        // A CFF table that claims 0xFFFFFFF0 bytes.
        let long = damaged("NotoSansCJKsc-Regular.otf", b"CFF ", |b, record, _| {
            b[record + 12..record + 16].copy_from_slice(&0xFFFF_FFF0u32.to_be_bytes())
        });
        let e = load(long).expect("a CFF table longer than the file is refused");
        assert!(e.contains("`CFF ` table") && e.contains("runs past the end"), "{e}");
        // A `head` table of 3 bytes.
        let short = damaged("SmileySans-Oblique.ttf", b"head", |b, record, _| {
            b[record + 12..record + 16].copy_from_slice(&3u32.to_be_bytes())
        });
        let e = load(short).expect("a 3-byte head table is refused");
        assert!(e.contains("`head` table"), "{e}");
    }
}
