//! Subsetting: a face cut down to the glyphs an edition uses, as a PDF embeds it, with
//! the `subsetter` crate (Typst's). The subset renumbers the glyphs from 0 (.notdef) in
//! the order they were first asked for, and its glyph ids are the CIDs the PDF shows: a
//! CFF face becomes a CID-keyed CFF whose CID is the new glyph id, a TrueType face is
//! written with an identity CIDToGIDMap.
//!
//! A face remembers its last few subsets: a batch of editions, or `watch` rebuilding after
//! a layout or photo change, that shows the same glyphs again gets the same subset (and its
//! compressed form) without cutting it again. The subset depends on the glyphs alone, so
//! what is remembered never changes a file's bytes.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, OnceLock};

use skrifa::raw::types::Tag;
use skrifa::FontRef;
use subsetter::GlyphRemapper;

use super::Face;

/// How the subset's outlines are stored, which decides how a PDF embeds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outlines {
    /// A bare CFF table, CID-keyed (PDF: FontFile3 /CIDFontType0C, CIDFontType0).
    Cff,
    /// A TrueType font (PDF: FontFile2, CIDFontType2).
    TrueType,
}

/// A face cut down to some glyphs.
pub struct Subset {
    pub outlines: Outlines,
    /// The font program to embed (see [`Outlines`]).
    pub program: Vec<u8>,
    remapper: GlyphRemapper,
    packed: OnceLock<Vec<u8>>,
}

impl Subset {
    /// The glyph's id in the subset, which is its CID in the PDF.
    pub fn cid(&self, gid: u16) -> Option<u16> {
        self.remapper.get(gid)
    }

    /// The original glyph ids, in the subset's order (index = CID), .notdef first.
    pub fn original_glyphs(&self) -> impl Iterator<Item = u16> + '_ {
        self.remapper.remapped_gids()
    }

    /// The program as `pack` compresses it, packed on first use and kept with the subset.
    pub fn packed(&self, pack: impl FnOnce(&[u8]) -> Vec<u8>) -> &[u8] {
        self.packed.get_or_init(|| pack(&self.program))
    }
}

/// How many subsets a face remembers: two editions alternating in a batch both hit.
const REMEMBERED: usize = 2;

/// A face's last subsets, by the glyphs asked for, most recent last.
#[derive(Default)]
pub(super) struct Remembered(std::sync::Mutex<Vec<(Vec<u16>, Arc<Subset>)>>);

/// Cut `data` (face `index`) down to `glyphs` (and .notdef; a TrueType composite brings
/// its components). `subsetter` is not meant to panic on bad bytes, but a damaged font
/// must never bring a build down: a panic is an error like any other.
fn cut(data: &[u8], index: u32, glyphs: impl IntoIterator<Item = u16>) -> Result<Subset, String> {
    let remapper = GlyphRemapper::new_from_glyphs(&glyphs.into_iter().collect::<Vec<u16>>());
    let font = catch_unwind(AssertUnwindSafe(|| subsetter::subset(data, index, &remapper)))
        .map_err(|_| "its outlines cannot be read (the subsetter gave up on them)".to_owned())?
        .map_err(|e| format!("its outlines cannot be read ({e})"))?;
    let is_cff = FontRef::from_index(data, index).is_ok_and(|f| f.table_data(Tag::new(b"CFF ")).is_some());
    if !is_cff {
        return Ok(Subset { outlines: Outlines::TrueType, program: font, remapper, packed: OnceLock::new() });
    }
    // The PDF wants the CFF table alone, not the OpenType file around it.
    let cff = FontRef::new(&font)
        .ok()
        .and_then(|f| f.table_data(Tag::new(b"CFF ")).map(|t| t.as_bytes().to_vec()))
        .ok_or("its CFF outlines could not be subset")?;
    Ok(Subset { outlines: Outlines::Cff, program: cff, remapper, packed: OnceLock::new() })
}

/// At load: the face's outline tables can be subset at all (header, top dictionary,
/// charstring index, font dictionaries, .notdef), so a damaged CFF or glyf table is
/// refused where the layout names the font rather than when a page is written.
pub(super) fn check(data: &[u8], index: u32) -> Result<(), String> {
    cut(data, index, [0]).map(|_| ())
}

impl Face {
    /// The face cut down to `glyphs`, in that order after .notdef (give them sorted for
    /// a subset that does not depend on the order of the page).
    pub fn subset(&self, glyphs: &[u16]) -> Result<Arc<Subset>, String> {
        let mut remembered = self.subsets.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(at) = remembered.iter().position(|(asked, _)| asked == glyphs) {
            let hit = remembered.remove(at);
            let subset = hit.1.clone();
            remembered.push(hit);
            return Ok(subset);
        }
        // Not under the lock: another thread may cut another subset of this face meanwhile.
        drop(remembered);
        let subset = Arc::new(cut(&self.data, self.index, glyphs.iter().copied())?);
        let mut remembered = self.subsets.0.lock().unwrap_or_else(|e| e.into_inner());
        if remembered.len() == REMEMBERED {
            remembered.remove(0);
        }
        remembered.push((glyphs.to_vec(), subset.clone()));
        Ok(subset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn face(file: &str) -> Face {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts").join(file);
        Face::load(&crate::model::FontFile {
            name: "t".into(),
            path: path.clone(),
            index: 0,
            asked_at: crate::error::Location::new(&path, 1, 1, None),
        })
        .unwrap()
    }

    #[test]
    fn a_cff_face_becomes_a_small_cid_keyed_cff() {
        let serif = face("NotoSerifCJKsc-Regular.otf");
        let glyphs: Vec<u16> = "中国排版".chars().map(|c| serif.glyph(c).unwrap().0).collect();
        let subset = serif.subset(&glyphs).unwrap();
        assert_eq!(subset.outlines, Outlines::Cff);
        // A CFF header (major version 1), far smaller than the 5 MB face.
        assert_eq!(subset.program[0], 1);
        assert!(subset.program.len() < 20_000, "{} bytes", subset.program.len());
        // New ids from 1 in the order asked, .notdef 0.
        assert_eq!(subset.cid(0), Some(0));
        for (i, g) in glyphs.iter().enumerate() {
            assert_eq!(subset.cid(*g), Some(i as u16 + 1));
        }
        assert_eq!(subset.original_glyphs().collect::<Vec<_>>()[1..], glyphs[..]);
        assert_eq!(subset.cid(serif.glyph('字').unwrap().0), None);
    }

    #[test]
    fn a_truetype_face_stays_truetype() {
        let display = face("SmileySans-Oblique.ttf");
        let subset = display.subset(&[display.glyph('时').unwrap().0]).unwrap();
        assert_eq!(subset.outlines, Outlines::TrueType);
        assert_eq!(&subset.program[..4], &[0, 1, 0, 0]);
        assert!(FontRef::new(&subset.program).is_ok());
    }

    #[test]
    fn the_same_glyphs_again_give_the_same_subset_without_cutting_it_again() {
        let serif = face("NotoSerifCJKsc-Regular.otf");
        let ids = |text: &str| text.chars().map(|c| serif.glyph(c).unwrap().0).collect::<Vec<u16>>();
        let (a, b, c) = (ids("中国"), ids("排版"), ids("字"));
        let first = serif.subset(&a).unwrap();
        assert!(Arc::ptr_eq(&first, &serif.subset(&a).unwrap()), "remembered");
        let packed = first.packed(|p| p[..10].to_vec()).to_vec();
        assert_eq!(serif.subset(&a).unwrap().packed(|_| unreachable!("packed once")), packed);
        // Two others push the first out; cut again, it is the same bytes.
        serif.subset(&b).unwrap();
        serif.subset(&c).unwrap();
        let again = serif.subset(&a).unwrap();
        assert!(!Arc::ptr_eq(&first, &again));
        assert_eq!(first.program, again.program);
        assert_ne!(again.program, serif.subset(&b).unwrap().program);
    }
}
