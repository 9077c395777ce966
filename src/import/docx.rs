//! The .docx reader: a zip ([`zip`], entries inflated with miniz_oxide) of WordprocessingML
//! read with [`quick_xml`]. From `word/document.xml` it takes paragraphs with their style
//! (headings by the style's name or outline level, Word's Caption style), runs (bold
//! directly or through a character style), and the images the drawings name through
//! `word/_rels/document.xml.rels`; from `word/styles.xml` what each style id means (a
//! Chinese Word names its heading style `1`, LibreOffice `Heading1`: both are called
//! `heading 1`). Tables, text boxes, footnotes, comments, italics and underlines have no
//! place in an edition: each is listed as a warning.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{runs_to_markup, Article, Block, MAX_BYTES};
use crate::diagnostic::Diagnostic;

/// What a paragraph style means for the import.
#[derive(Debug, Clone, Default)]
struct StyleInfo {
    /// 0 a title, 1.. a heading level.
    heading: Option<u8>,
    caption: bool,
    /// A character style that sets bold (Word's Strong, LibreOffice's Strong Emphasis).
    bold: bool,
    /// The style it is based on, for what it does not say itself.
    based_on: Option<String>,
}

/// Read the bytes of a .docx.
pub fn read(bytes: &[u8]) -> Result<Article, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a .docx (a zip file): {e}"))?;
    let document =
        entry_text(&mut zip, "word/document.xml")?.ok_or("not a Word document: it has no word/document.xml")?;
    let styles = match entry_text(&mut zip, "word/styles.xml")? {
        Some(text) => read_styles(&text)?,
        None => HashMap::new(),
    };
    let rels = match entry_text(&mut zip, "word/_rels/document.xml.rels")? {
        Some(text) => read_rels(&text)?,
        None => HashMap::new(),
    };
    let date = entry_text(&mut zip, "docProps/core.xml")?.and_then(|core| created_date(&core));
    let mut reader =
        DocumentReader { styles, rels, article: Article { date, ..Article::default() }, ..Default::default() };
    reader.read(&document, &mut zip)?;
    Ok(reader.finish())
}

/// An entry of the zip as bytes, inflated here (zip is built without codecs), capped.
fn entry_bytes(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<Vec<u8>>, String> {
    let Some(index) = zip.index_for_name(name) else {
        return Ok(None);
    };
    let mut file = zip.by_index_raw(index).map_err(|e| format!("{name}: {e}"))?;
    if file.size() > MAX_BYTES || file.compressed_size() > MAX_BYTES {
        return Err(format!("{name}: {} bytes unpacked, more than this program accepts", file.size()));
    }
    let method = file.compression();
    let mut raw = Vec::with_capacity(file.compressed_size() as usize);
    file.read_to_end(&mut raw).map_err(|e| format!("{name}: {e}"))?;
    // zip is built without codecs, so Deflate is its `DEFLATE` constant, not a variant.
    if method == zip::CompressionMethod::Stored {
        Ok(Some(raw))
    } else if method == zip::CompressionMethod::DEFLATE {
        miniz_oxide::inflate::decompress_to_vec_with_limit(&raw, MAX_BYTES as usize)
            .map(Some)
            .map_err(|e| format!("{name}: the compressed data is damaged ({:?})", e.status))
    } else {
        Err(format!("{name}: compressed with {method}, which paiban does not read; save the file again in Word"))
    }
}

fn entry_text(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, String> {
    match entry_bytes(zip, name)? {
        None => Ok(None),
        Some(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| format!("{name}: not UTF-8 XML")),
    }
}

fn xml_error(part: &str, reader: &Reader<&[u8]>, e: impl std::fmt::Display) -> String {
    format!("{part}: broken XML at byte {}: {e}", reader.buffer_position())
}

/// The value of the attribute whose local name is `name` (`w:val` → `val`).
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::default()).ok().map(|v| v.into_owned()))
}

/// Is a toggle property (`<w:b/>`, `<w:b w:val="0"/>`) on?
fn toggle_on(e: &BytesStart) -> bool {
    !matches!(attr(e, "val").as_deref(), Some("0" | "false" | "off" | "none"))
}

fn read_styles(xml: &str) -> Result<HashMap<String, StyleInfo>, String> {
    let mut reader = Reader::from_str(xml);
    let mut styles = HashMap::new();
    let mut current: Option<(String, StyleInfo)> = None;
    loop {
        match reader.read_event().map_err(|e| xml_error("word/styles.xml", &reader, e))? {
            Event::Start(e) | Event::Empty(e) => {
                let local = e.local_name();
                match local.as_ref() {
                    "style" => current = attr(&e, "styleId").map(|id| (id, StyleInfo::default())),
                    "name" => {
                        if let (Some((_, info)), Some(name)) = (current.as_mut(), attr(&e, "val")) {
                            let lower = name.to_lowercase();
                            if lower == "title" || name == "标题" {
                                info.heading = Some(0);
                            } else if let Some(n) =
                                lower.strip_prefix("heading ").and_then(|n| n.trim().parse::<u8>().ok())
                            {
                                info.heading = Some(n);
                            } else if lower == "caption" || lower == "figure" || name == "题注" {
                                info.caption = true;
                            }
                            if lower.contains("strong") {
                                info.bold = true;
                            }
                        }
                    }
                    "outlineLvl" => {
                        if let (Some((_, info)), Some(n)) =
                            (current.as_mut(), attr(&e, "val").and_then(|v| v.parse::<u8>().ok()))
                        {
                            if n < 9 && info.heading.is_none() {
                                info.heading = Some(n + 1);
                            }
                        }
                    }
                    "basedOn" => {
                        if let Some((_, info)) = current.as_mut() {
                            info.based_on = attr(&e, "val");
                        }
                    }
                    "b" => {
                        if let Some((_, info)) = current.as_mut() {
                            info.bold |= toggle_on(&e);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.local_name().as_ref() == "style" => {
                if let Some((id, info)) = current.take() {
                    styles.insert(id, info);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(styles)
}

/// Relationship id → target (`rId5` → `media/image1.png`), for images.
fn read_rels(xml: &str) -> Result<HashMap<String, String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut rels = HashMap::new();
    loop {
        match reader.read_event().map_err(|e| xml_error("word/_rels/document.xml.rels", &reader, e))? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if attr(&e, "TargetMode").as_deref() == Some("External") {
                    continue;
                }
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    rels.insert(id, target);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(rels)
}

/// `dcterms:created` of docProps/core.xml as `YYYY-MM-DD`.
fn created_date(xml: &str) -> Option<String> {
    let start = xml.find("created")?;
    let after = &xml[start..];
    let text = &after[after.find('>')? + 1..];
    let date = text.get(..10)?;
    crate::spec::edition::parse_date(date).ok().map(|_| date.to_string())
}

/// Things the edition has no place for, counted by kind with the paragraphs they were in.
#[derive(Default)]
struct Unmapped {
    seen: BTreeMap<&'static str, Vec<usize>>,
}

impl Unmapped {
    fn note(&mut self, what: &'static str, paragraph: usize) {
        let at = self.seen.entry(what).or_default();
        if at.last() != Some(&paragraph) {
            at.push(paragraph);
        }
    }
}

#[derive(Default)]
struct DocumentReader {
    styles: HashMap<String, StyleInfo>,
    rels: HashMap<String, String>,
    article: Article,
    unmapped: Unmapped,
    /// Paragraphs seen so far (for the warnings' "paragraph N").
    paragraph: usize,
}

/// The paragraph being read.
#[derive(Default)]
struct Para {
    style: Option<String>,
    outline: Option<u8>,
    runs: Vec<(String, bool)>,
    images: Vec<String>,
}

/// The run being read.
#[derive(Default)]
struct Run {
    bold: bool,
    style_bold: bool,
    text: String,
}

impl DocumentReader {
    fn style(&self, id: &str) -> StyleInfo {
        // Follow basedOn for what a style does not say itself (a few levels at most).
        let mut info = self.styles.get(id).cloned().unwrap_or_default();
        let mut parent = info.based_on.clone();
        for _ in 0..8 {
            let Some(p) = parent else { break };
            let Some(base) = self.styles.get(&p) else { break };
            info.heading = info.heading.or(base.heading);
            info.caption |= base.caption;
            info.bold |= base.bold;
            parent = base.based_on.clone();
        }
        info
    }

    fn read(&mut self, xml: &str, zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), String> {
        let mut reader = Reader::from_str(xml);
        let mut para: Option<Para> = None;
        let mut run: Option<Run> = None;
        // Depth inside things whose text is not taken: deleted text, a text box, a table,
        // a footnote, a field's instruction.
        let mut table = 0usize;
        let mut skip = 0usize;
        let mut in_text = false;
        let mut in_rpr = false;
        let mut in_ppr = false;
        loop {
            let event = reader.read_event().map_err(|e| xml_error("word/document.xml", &reader, e))?;
            match event {
                Event::Start(e) => {
                    let local = e.local_name();
                    let name = local.as_ref();
                    match name {
                        "tbl" => {
                            table += 1;
                            if table == 1 {
                                self.unmapped.note("a table (its text is kept as paragraphs)", self.paragraph + 1);
                            }
                        }
                        "del" | "instrText" | "moveFrom" => skip += 1,
                        "txbxContent" => {
                            skip += 1;
                            self.unmapped.note("a text box (left out)", self.paragraph);
                        }
                        _ if skip > 0 => {}
                        "p" => para = Some(Para::default()),
                        "pPr" => in_ppr = true,
                        "r" => run = Some(Run::default()),
                        "rPr" => in_rpr = true,
                        "t" => in_text = true,
                        _ => self.element(&e, &mut para, &mut run, in_ppr, in_rpr),
                    }
                }
                Event::Empty(e) if skip == 0 => self.element(&e, &mut para, &mut run, in_ppr, in_rpr),
                Event::End(e) => {
                    let local = e.local_name();
                    match local.as_ref() {
                        "tbl" => table = table.saturating_sub(1),
                        "del" | "instrText" | "moveFrom" | "txbxContent" => skip = skip.saturating_sub(1),
                        _ if skip > 0 => {}
                        "pPr" => in_ppr = false,
                        "rPr" => in_rpr = false,
                        "t" => in_text = false,
                        "r" => {
                            if let (Some(r), Some(p)) = (run.take(), para.as_mut()) {
                                p.runs.push((r.text, r.bold || r.style_bold));
                            }
                        }
                        "p" => {
                            if let Some(p) = para.take() {
                                self.paragraph_done(p, zip)?;
                            }
                        }
                        _ => {}
                    }
                }
                Event::Text(t) if in_text && skip == 0 => {
                    if let Some(r) = run.as_mut() {
                        r.text.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) if in_text && skip == 0 => {
                    let c = if r.is_char_ref() {
                        r.resolve_char_ref().ok().flatten()
                    } else {
                        match r.xml10_content().as_ref() {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        }
                    };
                    if let (Some(c), Some(run)) = (c, run.as_mut()) {
                        run.text.push(c);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(())
    }

    /// An element inside a paragraph or run: properties, breaks, tabs, drawings.
    fn element(&mut self, e: &BytesStart, para: &mut Option<Para>, run: &mut Option<Run>, in_ppr: bool, in_rpr: bool) {
        let local = e.local_name();
        let at = self.paragraph + 1;
        match local.as_ref() {
            "pStyle" if in_ppr => {
                if let Some(p) = para.as_mut() {
                    p.style = attr(e, "val");
                }
            }
            "outlineLvl" if in_ppr => {
                if let Some(p) = para.as_mut() {
                    p.outline = attr(e, "val").and_then(|v| v.parse::<u8>().ok()).filter(|&n| n < 9);
                }
            }
            "b" if in_rpr => {
                if let Some(r) = run.as_mut() {
                    r.bold = toggle_on(e);
                }
            }
            "rStyle" if in_rpr => {
                let bold = attr(e, "val").is_some_and(|id| self.style(&id).bold);
                if let Some(r) = run.as_mut() {
                    r.style_bold = bold;
                }
            }
            "i" if in_rpr && !in_ppr && toggle_on(e) => self.unmapped.note("italics (set upright)", at),
            "u" if in_rpr && !in_ppr && toggle_on(e) => self.unmapped.note("underlining (left out)", at),
            "strike" if in_rpr && !in_ppr && toggle_on(e) => {
                self.unmapped.note("struck-through text (kept, not struck)", at)
            }
            "br" | "cr" => {
                if let Some(r) = run.as_mut() {
                    r.text.push('\n');
                }
                if attr(e, "type").as_deref() == Some("page") {
                    self.unmapped.note("a page break (the layout decides the pages)", at);
                }
            }
            "tab" if !in_ppr => {
                if let Some(r) = run.as_mut() {
                    r.text.push('\t');
                }
            }
            "noBreakHyphen" => {
                if let Some(r) = run.as_mut() {
                    r.text.push('-');
                }
            }
            "footnoteReference" | "endnoteReference" => self.unmapped.note("a footnote (left out)", at),
            "commentReference" => self.unmapped.note("a comment (left out)", at),
            "blip" | "imagedata" => {
                let id = attr(e, "embed").or_else(|| attr(e, "id"));
                if let (Some(id), Some(p)) = (id, para.as_mut()) {
                    match self.rels.get(&id) {
                        Some(target) => p.images.push(target.clone()),
                        None => self.unmapped.note("an image linked from outside the file (left out)", at),
                    }
                }
            }
            _ => {}
        }
    }

    fn paragraph_done(&mut self, p: Para, zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), String> {
        self.paragraph += 1;
        let info = p.style.as_deref().map(|s| self.style(s)).unwrap_or_default();
        let heading = info.heading.or(p.outline.map(|n| n + 1));
        let plain: String = p.runs.iter().map(|(t, _)| t.as_str()).collect();
        if !plain.trim().is_empty() {
            match heading {
                Some(level) => self.article.blocks.push(Block::Heading { level, text: plain }),
                None => {
                    let text = runs_to_markup(&p.runs);
                    self.article.blocks.push(Block::Paragraph { text, caption: info.caption });
                }
            }
        }
        for target in p.images {
            // Targets are relative to word/ (`media/image1.png`), sometimes absolute (`/word/media/…`).
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("word/{target}"),
            };
            let ext = path.rsplit('.').next().unwrap_or("bin").to_ascii_lowercase();
            let ext = if ext == "jpeg" { "jpg".to_string() } else { ext };
            match entry_bytes(zip, &path)? {
                Some(bytes) => self.article.blocks.push(Block::Image { name: path, bytes, ext }),
                None => self.article.warnings.push(Diagnostic::warning(format!(
                    "paragraph {}: an image names {path}, which the file does not contain",
                    self.paragraph
                ))),
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Article {
        for (what, at) in &self.unmapped.seen {
            let list: Vec<String> = at.iter().take(8).map(|n| n.to_string()).collect();
            let more = if at.len() > 8 { format!(" and {} more", at.len() - 8) } else { String::new() };
            self.article
                .warnings
                .push(Diagnostic::warning(format!("not mapped: {what}, in paragraph(s) {}{more}", list.join(", "))));
        }
        self.article
    }
}
