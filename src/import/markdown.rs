//! The Markdown reader, by [`pulldown_cmark`] (CommonMark): `#` headings, paragraphs with
//! their `**strong**` runs, and `![alt](file)` images read from beside the Markdown file,
//! the alt text their caption unless a paragraph starting with 图 follows. `**` pairs that
//! CommonMark leaves open next to Chinese punctuation are taken as bold all the same. Lists and
//! quotes keep their text as paragraphs; emphasis, links, code, tables, HTML and
//! footnotes are listed as warnings.

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::{caption_by_text, runs_to_markup, Article, Block, MAX_BYTES};
use crate::diagnostic::Diagnostic;

/// Read Markdown text; images are looked up relative to `base` (the file's folder).
pub fn read(text: &str, base: &Path) -> Article {
    let mut article = Article::default();
    let mut unmapped: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    let mut note = |what: &'static str, line: usize| {
        let at = unmapped.entry(what).or_default();
        if at.last() != Some(&line) {
            at.push(line);
        }
    };
    let mut runs: Vec<(String, bool)> = Vec::new();
    let mut heading: Option<u8> = None;
    let mut strong = 0usize;
    let mut image: Option<(String, String)> = None; // destination, alt text
    let mut code_block = false;
    let mut alts: Vec<(usize, String)> = Vec::new(); // block index of an image, its alt text
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    for (event, range) in Parser::new_ext(
        text,
        pulldown_cmark::Options::ENABLE_TABLES
            | pulldown_cmark::Options::ENABLE_FOOTNOTES
            | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
    )
    .into_offset_iter()
    {
        let line = line_of(range.start);
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut article.blocks, &mut runs);
                heading = Some(match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                let text: String = runs.drain(..).map(|(t, _)| t).collect();
                article.blocks.push(Block::Heading { level: heading.take().unwrap_or(1), text });
            }
            Event::Start(Tag::Paragraph | Tag::Item) | Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                flush(&mut article.blocks, &mut runs)
            }
            Event::Start(Tag::List(_)) => note("a list (its items are kept as paragraphs)", line),
            Event::Start(Tag::BlockQuote(_)) => note("a quotation (kept as paragraphs)", line),
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::Start(Tag::Emphasis) => note("emphasis (set upright)", line),
            Event::Start(Tag::Strikethrough) => note("struck-through text (kept, not struck)", line),
            Event::Start(Tag::Link { .. }) => note("a link (its text kept, the address left out)", line),
            Event::Start(Tag::Table(_)) => note("a table (its text is kept as paragraphs)", line),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => flush(&mut article.blocks, &mut runs),
            Event::End(TagEnd::TableCell) => runs.push((" ".into(), false)),
            Event::Start(Tag::CodeBlock(_)) => {
                code_block = true;
                note("a code block (left out)", line);
            }
            Event::End(TagEnd::CodeBlock) => code_block = false,
            Event::Start(Tag::HtmlBlock) | Event::Html(_) | Event::InlineHtml(_) => note("HTML (left out)", line),
            Event::Start(Tag::FootnoteDefinition(_)) | Event::FootnoteReference(_) => {
                note("a footnote (left out)", line)
            }
            Event::Start(Tag::MetadataBlock(_)) => note("a metadata block (left out)", line),
            Event::InlineMath(_) | Event::DisplayMath(_) => note("mathematics (left out)", line),
            Event::Start(Tag::Image { dest_url, .. }) => {
                flush(&mut article.blocks, &mut runs);
                image = Some((dest_url.to_string(), String::new()));
            }
            Event::End(TagEnd::Image) => {
                if let Some((dest, alt)) = image.take() {
                    match load_image(base, &dest) {
                        Ok((bytes, ext)) => {
                            alts.push((article.blocks.len(), alt));
                            article.blocks.push(Block::Image { name: dest, bytes, ext });
                        }
                        Err(why) => article
                            .warnings
                            .push(Diagnostic::warning(format!("line {line}: image `{dest}` left out: {why}"))),
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if !code_block => match image.as_mut() {
                Some((_, alt)) => alt.push_str(&t),
                None => runs.push((t.to_string(), strong > 0)),
            },
            Event::SoftBreak | Event::HardBreak => runs.push(("\n".into(), strong > 0)),
            _ => {}
        }
    }
    flush(&mut article.blocks, &mut runs);
    // An image's alt text is its caption, unless the paragraph after it is one (图为…).
    for (index, alt) in alts.into_iter().rev() {
        let next_is_caption =
            matches!(article.blocks.get(index + 1), Some(Block::Paragraph { text, .. }) if caption_by_text(text));
        if !next_is_caption && !alt.trim().is_empty() {
            article
                .blocks
                .insert(index + 1, Block::Paragraph { text: super::escape(&super::tidy(&alt)), caption: true });
        }
    }
    for (what, at) in unmapped {
        let list: Vec<String> = at.iter().take(8).map(|n| n.to_string()).collect();
        let more = if at.len() > 8 { format!(" and {} more", at.len() - 8) } else { String::new() };
        article.warnings.push(Diagnostic::warning(format!("not mapped: {what}, on line(s) {}{more}", list.join(", "))));
    }
    article
}

fn flush(blocks: &mut Vec<Block>, runs: &mut Vec<(String, bool)>) {
    if runs.iter().any(|(t, _)| !t.trim().is_empty()) {
        let mut text = runs_to_markup(runs);
        // CommonMark does not close `**以学铸魂。**开展`: a delimiter after punctuation and
        // before a Han character is not "right-flanking", so the marks come through as
        // text. Paired, they are what the writer meant.
        let literal = text.matches("\\*\\*").count();
        if literal > 0 && literal.is_multiple_of(2) {
            let fixed = text.replace("\\*\\*", "**");
            if crate::model::inline::parse_inline(&fixed).is_ok() {
                text = fixed;
            }
        }
        blocks.push(Block::Paragraph { text, caption: false });
    }
    runs.clear();
}

/// An image file named by the Markdown, relative to its folder.
fn load_image(base: &Path, dest: &str) -> Result<(Vec<u8>, String), String> {
    if dest.contains("://") {
        return Err("an address on the web; save the image beside the Markdown file and name it".into());
    }
    let path = base.join(dest);
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let ext = if ext == "jpeg" { "jpg".to_string() } else { ext };
    let bytes = crate::spec::source::read_capped(&path, MAX_BYTES, "image")?;
    Ok((bytes, ext))
}
