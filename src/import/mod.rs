//! Import: an article as an editor hands it over (`.docx`, Markdown, plain text) turned
//! into an edition file of the current format. Each reader ([`docx`], [`markdown`],
//! [`text`]) turns its format into one neutral list of [`Block`]s; [`to_edition`] maps
//! those onto the edition (headline, lead, intro, sections, photos) by the same rules
//! for every format. What cannot be mapped is reported as a warning, never dropped
//! silently. Nothing here writes files: the command writes what [`Imported`] holds.

pub mod docx;
pub mod markdown;
pub mod text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// One piece of an article, whatever format it came in.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading; `level` 0 is a document title, 1 the top heading level.
    Heading { level: u8, text: String },
    /// A paragraph in the edition's inline markup (`**bold**`, `\*` for an asterisk).
    /// `caption` when the source marked it as a caption (Word's Caption style).
    Paragraph { text: String, caption: bool },
    /// An image, its bytes and the extension it is saved under (`jpg`, `png`, …).
    Image { name: String, bytes: Vec<u8>, ext: String },
}

/// A parsed article: its blocks and what the reader could not map.
#[derive(Debug, Default)]
pub struct Article {
    pub blocks: Vec<Block>,
    pub warnings: Vec<Diagnostic>,
    /// The date the document names (`YYYY-MM-DD`), if it names one.
    pub date: Option<String>,
}

/// What an import produces: the edition's YAML, the image files to write beside it and
/// the warnings.
#[derive(Debug)]
pub struct Imported {
    pub yaml: String,
    /// File name (in the images folder) and bytes of each image.
    pub images: Vec<(String, Vec<u8>)>,
    pub warnings: Vec<Diagnostic>,
}

/// How the edition is to be written.
#[derive(Debug, Clone)]
pub struct Target {
    /// How the edition file names the images folder (`../images`).
    pub images_ref: String,
    /// Prefix of the image files (the article's file name: `report` → `report-1.jpg`).
    pub image_prefix: String,
    /// The photo ids the layout's picture frames ask for, in frame order; the article's
    /// images take these ids in turn, so that the edition fits the layout.
    pub photo_ids: Vec<String>,
    /// The date when the document names none (`YYYY-MM-DD`).
    pub date: String,
    /// The headline when the article has no heading (the file's name).
    pub fallback_title: String,
    /// How the edition file names the edition schema, for the editor's completion
    /// (`../schemas/edition.schema.json`).
    pub schema_ref: String,
}

/// Most an article may be: a .docx or its document is refused above this, so a zip bomb
/// cannot exhaust memory.
pub const MAX_BYTES: u64 = 256 << 20;

/// Read an article by its extension: `.docx`, `.md`/`.markdown`, `.txt`.
pub fn read(path: &Path) -> Result<Article, Diagnostic> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let fail = |e: String| Diagnostic::error(format!("{}: {e}", path.display()));
    match ext.as_str() {
        "docx" => {
            let bytes = crate::spec::source::read_capped(path, MAX_BYTES, "document").map_err(fail)?;
            docx::read(&bytes).map_err(fail)
        }
        "md" | "markdown" | "txt" | "text" => {
            let bytes = crate::spec::source::read_capped(path, MAX_BYTES, "document").map_err(fail)?;
            let text = String::from_utf8(bytes).map_err(|e| {
                fail(format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()))
                    .with_hint("save it as UTF-8 (in Notepad: Save as → Encoding UTF-8)")
            })?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            if ext.starts_with('t') {
                Ok(text::read(text))
            } else {
                let base = path.parent().unwrap_or(Path::new("."));
                Ok(markdown::read(text, base))
            }
        }
        "doc" => Err(fail("a Word 97–2003 .doc; paiban reads .docx".into())
            .with_hint("open it in Word or LibreOffice and save it as .docx")),
        _ => Err(fail("paiban imports .docx, .md and .txt".into())),
    }
}

/// Is `c` a Han character or CJK punctuation / a full-width form, between which Word's
/// spaces are stray?
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0x20000..=0x3134F)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// A paragraph's text as the edition wants it: the spaces Word puts between Han
/// characters (and full-width punctuation) dropped, line breaks and tabs made spaces,
/// runs of spaces made one, the ends trimmed (with a leading 　　 indent). Full-width
/// punctuation is kept as it is.
pub fn tidy(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    kept_characters(&chars).into_iter().flatten().collect()
}

/// Escape text for the edition's inline markup: `*` and `\` literally.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '*' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Build a paragraph's markup from runs of (text, bold): bold runs become `**…**`;
/// spaces at a bold run's edges stay outside its marks. The text is tidied as a whole.
pub fn runs_to_markup(runs: &[(String, bool)]) -> String {
    // Tidy the whole text first, keeping where each character came from.
    let mut merged: Vec<(String, bool)> = Vec::new();
    for (text, bold) in runs {
        if text.is_empty() {
            continue;
        }
        match merged.last_mut() {
            Some((t, b)) if *b == *bold => t.push_str(text),
            _ => merged.push((text.clone(), *bold)),
        }
    }
    // Tidy with markers that survive: join with sentinel characters, tidy, then split.
    const OPEN: char = '\u{E000}';
    const CLOSE: char = '\u{E001}';
    let mut joined = String::new();
    for (text, bold) in &merged {
        if *bold && !text.trim().is_empty() {
            let lead = text.len() - text.trim_start().len();
            let trail = text.len() - text.trim_end().len();
            joined.push_str(&text[..lead]);
            joined.push(OPEN);
            joined.push_str(&escape(text.trim()));
            joined.push(CLOSE);
            joined.push_str(&text[text.len() - trail..]);
        } else {
            joined.push_str(&escape(text));
        }
    }
    // The sentinels sit next to the text they mark: treat them as transparent for the
    // space rule by tidying around them.
    let tidied = tidy_marked(&joined, OPEN, CLOSE);
    tidied.replace([OPEN, CLOSE], "**").replace("****", "")
}

/// [`tidy`], with the two marker characters taking no part in the space rule.
fn tidy_marked(text: &str, open: char, close: char) -> String {
    // Take the markers out, tidy, put them back at the same character positions.
    let mut plain = String::new();
    let mut marks: Vec<(usize, char)> = Vec::new();
    for c in text.chars() {
        if c == open || c == close {
            marks.push((plain.chars().count(), c));
        } else {
            plain.push(c);
        }
    }
    // Tidy while mapping old positions to new.
    let chars: Vec<char> = plain.chars().collect();
    let keep = kept_characters(&chars);
    let mut out = String::new();
    let mut m = 0;
    for (i, kept) in keep.iter().enumerate() {
        while m < marks.len() && marks[m].0 == i {
            out.push(marks[m].1);
            m += 1;
        }
        if let Some(c) = kept {
            out.push(*c);
        }
    }
    while m < marks.len() {
        out.push(marks[m].1);
        m += 1;
    }
    // Marks that ended up around nothing but spaces, and spaces inside a mark's edge.
    out.replace(&format!("{open} "), &format!(" {open}")).replace(&format!(" {close}"), &format!("{close} "))
}

/// For each character of a paragraph: what it becomes (`None`: dropped), by [`tidy`]'s rules.
fn kept_characters(chars: &[char]) -> Vec<Option<char>> {
    // Line breaks, tabs, no-break and ideographic spaces count as spaces.
    let space = |c: char| c.is_whitespace() || c == '\u{2028}';
    let first = chars.iter().position(|&c| !space(c)).unwrap_or(chars.len());
    let last = chars.iter().rposition(|&c| !space(c)).map_or(0, |i| i + 1);
    let mut out = vec![None; chars.len()];
    let mut i = first;
    while i < last {
        if space(chars[i]) {
            let start = i;
            while i < last && space(chars[i]) {
                i += 1;
            }
            let before = chars[..start].iter().rev().copied().find(|&c| !space(c));
            let after = chars.get(i).copied();
            let stray = before.is_some_and(is_cjk) || after.is_some_and(is_cjk);
            if !stray {
                out[start] = Some(' ');
            }
            continue;
        }
        out[i] = Some(chars[i]);
        i += 1;
    }
    out
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// Is a paragraph a caption by its text: it starts with 图 (图为…, 图：…, 图1 …)?
pub fn caption_by_text(text: &str) -> bool {
    text.starts_with('图') && !text.starts_with("图书") && !text.starts_with("图纸")
}

/// The caption's text without a `图：` label.
fn caption_text(text: &str) -> String {
    let rest = text.strip_prefix("图：").or_else(|| text.strip_prefix("图:")).unwrap_or(text);
    rest.trim().to_string()
}

/// A section being collected.
struct SectionOut {
    kicker: String,
    title: String,
    paragraphs: Vec<String>,
}

/// Map an article onto an edition by the rules (README, `import`):
/// - the first heading is the headline (a deeper one right under it, its deck);
/// - every later heading starts a section; a heading followed directly by another (as a
///   rule a shorter one, or one a level down) is the section's kicker (引题), the other
///   its title; a heading alone is the title, with an empty kicker and a warning;
/// - before the first section, the first paragraph is the lead, the others the intro;
/// - an image becomes a photo, with the paragraph right after it as its caption when
///   that is in a caption style or starts with 图 (图为…);
/// - images take the layout's photo ids in frame order, then `photo-N`.
pub fn to_edition(article: Article, target: &Target) -> Imported {
    let mut warnings = article.warnings;
    let mut headline: Option<String> = None;
    let mut deck: Option<String> = None;
    let mut lead: Vec<String> = Vec::new();
    let mut intro: Vec<String> = Vec::new();
    let mut sections: Vec<SectionOut> = Vec::new();
    let mut photos: Vec<(String, String, String)> = Vec::new(); // id, file, caption
    let mut images = Vec::new();
    let blocks = article.blocks;
    let mut i = 0;
    while i < blocks.len() {
        match &blocks[i] {
            Block::Heading { text, .. } if text.trim().is_empty() => {}
            Block::Heading { text, level } => {
                let text = tidy(text);
                let next_heading = match blocks.get(i + 1) {
                    Some(Block::Heading { text: t, level: l }) if !t.trim().is_empty() => Some((tidy(t), *l)),
                    _ => None,
                };
                if headline.is_none() {
                    headline = Some(text);
                    // A deeper heading right under the headline is its deck (副题).
                    // (Not when a third heading follows: then the two are a section's.)
                    let third = matches!(blocks.get(i + 2), Some(Block::Heading { .. }));
                    if let Some((t, _)) = next_heading.filter(|&(_, l)| l > *level && !third) {
                        deck = Some(t);
                        i += 1;
                    }
                } else if let Some((t, _)) = next_heading {
                    // Two headings in a row (the second one shorter or of a lower level, as
                    // a rule): the first is the kicker (引题) above, the second the title.
                    sections.push(SectionOut { kicker: text, title: t, paragraphs: Vec::new() });
                    i += 1;
                } else {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "section {} (`{text}`) has a title but no kicker: its kicker is written empty",
                            sections.len() + 1
                        ))
                        .with_hint("write the kicker (引题) in `kicker:`, or as a heading right above the title"),
                    );
                    sections.push(SectionOut { kicker: String::new(), title: text, paragraphs: Vec::new() });
                }
            }
            Block::Paragraph { text, .. } if text.trim().is_empty() => {}
            Block::Paragraph { text, .. } => {
                let text = text.trim().to_string();
                match sections.last_mut() {
                    Some(s) => s.paragraphs.push(text),
                    None if lead.is_empty() => lead.push(text),
                    None => intro.push(text),
                }
            }
            Block::Image { name, bytes, ext } => {
                let caption = match blocks.get(i + 1) {
                    Some(Block::Paragraph { text, caption }) if *caption || caption_by_text(text) => {
                        i += 1;
                        Some(caption_text(&text.replace("**", "")))
                    }
                    _ => None,
                };
                let n = images.len() + 1;
                let file = format!("{}-{n}.{ext}", target.image_prefix);
                images.push((file.clone(), bytes.clone()));
                if !matches!(ext.as_str(), "jpg" | "jpeg" | "png") {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "image {n} ({name}) is {}, which paiban does not place: saved as {}/{file}, not added to the photos",
                            ext.to_uppercase(),
                            target.images_ref
                        ))
                        .with_hint("convert it to JPEG or PNG and add it to `photos:`"),
                    );
                } else {
                    let id = target.photo_ids.get(photos.len()).cloned().unwrap_or_else(|| format!("photo-{n}"));
                    let caption = caption.unwrap_or_else(|| {
                        warnings.push(
                            Diagnostic::warning(format!("photo `{id}` ({name}) has no caption: it is written empty"))
                                .with_hint("a caption is the paragraph right after the image, in Word's Caption style or starting with 图"),
                        );
                        String::new()
                    });
                    photos.push((id, format!("{}/{file}", target.images_ref), caption));
                }
            }
        }
        i += 1;
    }
    let title = headline.unwrap_or_else(|| {
        warnings.push(
            Diagnostic::warning(format!(
                "the article has no heading: the headline is the file's name, `{}`",
                target.fallback_title
            ))
            .with_hint("write the headline in `headline.title`"),
        );
        target.fallback_title.clone()
    });
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    for (id, ..) in &photos {
        *used.entry(id.as_str()).or_default() += 1;
    }
    let missing: Vec<&str> = target.photo_ids.iter().map(String::as_str).filter(|id| !used.contains_key(id)).collect();
    if !missing.is_empty() {
        warnings.push(
            Diagnostic::warning(format!(
                "the layout's picture frames ask for {} photo(s) the article has no image for: {}",
                missing.len(),
                missing.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ")
            ))
            .with_hint("add them to `photos:` (id, image, caption), or take the frames out of the layout"),
        );
    }

    let mut y = String::new();
    y.push_str(&format!("# yaml-language-server: $schema={}\n", target.schema_ref));
    y.push_str("# paiban edition, imported: read it through, then `paiban check`.\n");
    let date = article.date.unwrap_or_else(|| target.date.clone());
    let year = date.get(..4).unwrap_or("2025");
    y.push_str(&format!("edition:\n  year: {year}\n  date: {}\n  title: {}\n", quoted(&date), quoted(&title)));
    y.push_str(&format!("headline:\n  title:\n    - {}\n", quoted(&title)));
    if let Some(deck) = deck {
        y.push_str(&format!("  deck: {}\n", quoted(&deck)));
    }
    let list = |y: &mut String, key: &str, items: &[String], indent: &str| {
        if items.is_empty() {
            return;
        }
        y.push_str(&format!("{indent}{key}:\n"));
        for item in items {
            y.push_str(&format!("{indent}  - {}\n", quoted(item)));
        }
    };
    list(&mut y, "lead", &lead, "");
    list(&mut y, "intro", &intro, "");
    if !sections.is_empty() {
        y.push_str("sections:\n");
        for (n, s) in sections.iter().enumerate() {
            y.push_str(&format!(
                "  - id: s{}\n    kicker: {}\n    title: {}\n",
                n + 1,
                quoted(&s.kicker),
                quoted(&s.title)
            ));
            if s.paragraphs.is_empty() {
                warnings.push(Diagnostic::warning(format!("section s{} (`{}`) has no paragraphs", n + 1, s.title)));
                y.push_str("    paragraphs: []\n");
            } else {
                list(&mut y, "paragraphs", &s.paragraphs, "    ");
            }
        }
    }
    if !photos.is_empty() {
        y.push_str("photos:\n");
        for (id, file, caption) in &photos {
            y.push_str(&format!(
                "  - id: {}\n    image: {}\n    caption: {}\n",
                quoted(id),
                quoted(file),
                quoted(caption)
            ));
        }
    }
    Imported { yaml: y, images, warnings }
}

/// The photo ids a layout's picture frames ask for, in the order the frames stand, with
/// `{var.NAME}` taken from the layout's `variables:`. A layout that does not read gives none.
pub fn layout_photo_ids(layout_text: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Frame {
        photo: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Page {
        #[serde(default)]
        frames: Vec<Frame>,
    }
    #[derive(serde::Deserialize)]
    struct Layout {
        #[serde(default)]
        variables: BTreeMap<String, String>,
        #[serde(default)]
        pages: Vec<Page>,
    }
    let Ok(layout) = serde_norway::from_str::<Layout>(layout_text) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = Vec::new();
    for frame in layout.pages.iter().flat_map(|p| &p.frames) {
        let Some(photo) = &frame.photo else { continue };
        let id = match photo.strip_prefix("{var.").and_then(|r| r.strip_suffix('}')) {
            Some(name) => match layout.variables.get(name) {
                Some(v) => v.clone(),
                None => continue,
            },
            None => photo.clone(),
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// Where an import writes, and whether it may replace what is there.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub article: &'a Path,
    /// The edition file to write.
    pub edition: &'a Path,
    /// The folder the images go to.
    pub images_dir: &'a Path,
    /// The layout whose picture frames name the photo ids, if there is one.
    pub layout: Option<&'a Path>,
    /// Replace an edition or image file that exists.
    pub force: bool,
    /// Today, `YYYY-MM-DD`, for a document that names no date.
    pub today: &'a str,
}

/// What an import wrote, and its warnings.
#[derive(Debug)]
pub struct Outcome {
    pub edition: PathBuf,
    pub images: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
}

/// Import an article and write the edition and its images. Nothing is written when any
/// target exists (without `force`), is an input, or is not a regular file; each file is
/// written atomically ([`crate::output`]).
pub fn import(request: &Request) -> Result<Outcome, Diagnostic> {
    let article = read(request.article)?;
    let layout_text = request.layout.and_then(|l| std::fs::read_to_string(l).ok());
    let stem = request.article.file_stem().and_then(|s| s.to_str()).unwrap_or("article").to_string();
    let edition_dir = parent_or_here(request.edition);
    let target = Target {
        images_ref: relative(&edition_dir, request.images_dir),
        image_prefix: stem.clone(),
        photo_ids: layout_text.as_deref().map(layout_photo_ids).unwrap_or_default(),
        date: request.today.to_string(),
        fallback_title: stem,
        // The project's schemas/ lies beside the layout (or, without one, above editions/).
        schema_ref: format!(
            "{}/edition.schema.json",
            relative(
                &edition_dir,
                &request.layout.map(parent_or_here).unwrap_or_else(|| edition_dir.join("..")).join("schemas")
            )
        ),
    };
    let imported = to_edition(article, &target);
    let mut inputs = crate::output::Inputs::of([request.article]);
    if let Some(layout) = request.layout {
        inputs.add(layout);
    }
    let images: Vec<PathBuf> = imported.images.iter().map(|(name, _)| request.images_dir.join(name)).collect();
    for path in std::iter::once(request.edition).chain(images.iter().map(PathBuf::as_path)) {
        crate::output::check_target(path, &inputs)?;
        if !request.force && path.exists() {
            return Err(Diagnostic::error(format!("{}: exists; the import does not replace it", path.display()))
                .with_hint("name another file with -o, or pass --force to replace it"));
        }
    }
    for (path, (_, bytes)) in images.iter().zip(&imported.images) {
        crate::output::write_atomically(path, bytes)?;
    }
    crate::output::write_atomically(request.edition, imported.yaml.as_bytes())?;
    Ok(Outcome { edition: request.edition.to_path_buf(), images, warnings: imported.warnings })
}

fn parent_or_here(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `to` as the file in `from` names it (`editions` → `images`: `../images`), with `/`.
pub fn relative(from: &Path, to: &Path) -> String {
    let abs = |p: &Path| {
        std::path::absolute(p).map(|p| crate::spec::source::normalize(&p)).unwrap_or_else(|_| p.to_path_buf())
    };
    let (from, to) = (abs(from), abs(to));
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(to[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Block {
        Block::Paragraph { text: text.into(), caption: false }
    }
    fn heading(level: u8, text: &str) -> Block {
        Block::Heading { level, text: text.into() }
    }
    fn target() -> Target {
        Target {
            images_ref: "../images".into(),
            image_prefix: "art".into(),
            photo_ids: vec!["lake".into(), "station".into()],
            date: "2025-03-01".into(),
            fallback_title: "art".into(),
            schema_ref: "../schemas/edition.schema.json".into(),
        }
    }

    #[test]
    fn stray_spaces_between_han_go_full_width_punctuation_stays() {
        assert_eq!(tidy("江津 区 城市 建设"), "江津区城市建设");
        assert_eq!(tidy("　　城市，建设 。"), "城市，建设。");
        assert_eq!(tidy("建设 2024 年"), "建设2024年");
        assert_eq!(tidy("Hello  world"), "Hello world");
        assert_eq!(tidy("（一期） “答卷”"), "（一期）“答卷”");
    }

    #[test]
    fn bold_runs_become_marks_outside_their_spaces() {
        let runs = vec![("以学铸魂 ".to_string(), true), ("2024 年以来".to_string(), false)];
        assert_eq!(runs_to_markup(&runs), "**以学铸魂**2024年以来");
        let runs = vec![("a*b".to_string(), false), ("粗".to_string(), true), ("体".to_string(), true)];
        assert_eq!(runs_to_markup(&runs), "a\\*b**粗体**");
    }

    #[test]
    fn headings_kickers_lead_intro_and_photos_map() {
        let article = Article {
            blocks: vec![
                heading(1, "一江两岸山水城市"),
                para("导语。"),
                para("引言。"),
                heading(2, "党建为统领"),
                heading(2, "履职担当勇毅笃行"),
                para("正文一。"),
                Block::Image { name: "media/image1.jpg".into(), bytes: vec![1, 2], ext: "jpg".into() },
                para("图为湖光山色"),
                heading(2, "单独标题"),
                para("正文二。"),
                Block::Image { name: "media/image2.emf".into(), bytes: vec![3], ext: "emf".into() },
            ],
            ..Article::default()
        };
        let out = to_edition(article, &target());
        let y = &out.yaml;
        assert!(y.contains("headline:\n  title:\n    - \"一江两岸山水城市\""), "{y}");
        assert!(y.contains("lead:\n  - \"导语。\"\nintro:\n  - \"引言。\""), "{y}");
        assert!(y.contains("kicker: \"党建为统领\"\n    title: \"履职担当勇毅笃行\""), "{y}");
        assert!(y.contains("kicker: \"\"\n    title: \"单独标题\""), "{y}");
        assert!(y.contains("id: \"lake\"\n    image: \"../images/art-1.jpg\"\n    caption: \"图为湖光山色\""), "{y}");
        assert_eq!(out.images.len(), 2);
        let texts: Vec<&str> = out.warnings.iter().map(|w| w.message.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("EMF") && t.contains("art-2.emf")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("no kicker")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("`station`")), "{texts:?}");
        let parsed: crate::spec::edition::Edition = serde_norway::from_str(y).unwrap();
        assert_eq!(parsed.sections.len(), 2);
        assert_eq!(parsed.photos[0].caption, "图为湖光山色");
    }

    #[test]
    fn a_deeper_heading_under_the_headline_is_its_deck_and_no_heading_warns() {
        let out = to_edition(
            Article {
                blocks: vec![heading(1, "主题"), heading(2, "副题在此"), para("文。")], ..Article::default()
            },
            &target(),
        );
        assert!(out.yaml.contains("deck: \"副题在此\""), "{}", out.yaml);
        let out = to_edition(Article { blocks: vec![para("只有正文。")], ..Article::default() }, &target());
        assert!(out.yaml.contains("- \"art\""));
        assert!(out.warnings.iter().any(|w| w.message.contains("no heading")));
    }

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(relative(Path::new("proj/editions"), Path::new("proj/images")), "../images");
        assert_eq!(relative(Path::new("."), Path::new("images")), "images");
        assert_eq!(relative(Path::new("a/b"), Path::new("a/b")), ".");
    }

    #[test]
    fn photo_ids_come_from_the_layout_in_frame_order() {
        let layout = "variables: {hero: lake}\npages:\n  - frames:\n    - {photo: \"{var.hero}\"}\n    - {id: x}\n    - {photo: station}\n";
        assert_eq!(layout_photo_ids(layout), ["lake", "station"]);
        assert!(layout_photo_ids("[not a layout").is_empty());
    }
}
