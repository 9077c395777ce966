//! The plain-text reader: one paragraph a line (as Word and Notepad save text), blank
//! lines ignored. Plain text has no headings, so a line reads as one when it is short
//! (at most 30 characters) and does not end like a sentence (。！？…：；，, before any
//! closing quote): the first
//! such line is the headline, the later ones section heads. A leading 　　 indent goes.

use super::{escape, Article, Block};

/// The longest line that can still be a heading.
pub const MAX_HEADING_CHARS: usize = 30;

fn looks_like_heading(line: &str) -> bool {
    let n = line.chars().count();
    // A closing quote or bracket may follow a sentence's end (…。”): look before it.
    let end = line.trim_end_matches(['”', '」', '’', '』', '）', ')', '"']);
    n > 0
        && n <= MAX_HEADING_CHARS
        && !end.ends_with(['。', '！', '？', '…', '：', '；', '，', '.', '!', '?', ':', ';', ','])
}

pub fn read(text: &str) -> Article {
    let mut article = Article::default();
    for raw in text.lines() {
        let line = super::tidy(raw);
        if line.is_empty() {
            continue;
        }
        if looks_like_heading(&line) {
            article.blocks.push(Block::Heading { level: 1, text: line });
        } else {
            article.blocks.push(Block::Paragraph { text: escape(&line), caption: false });
        }
    }
    if article.blocks.iter().filter(|b| matches!(b, Block::Heading { .. })).count() > 1 {
        article.warnings.push(crate::diagnostic::Diagnostic::note(
            "plain text has no headings: short lines that do not end like a sentence were taken as headings",
        ));
    }
    article
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_without_a_full_stop_are_headings() {
        let a = read("城市更新\n\n　　江津 区 城市建设事务中心深入贯彻落实，持续书写答卷。\n党建为统领\n履职担当\n正文*星号*。\n");
        assert_eq!(
            a.blocks,
            vec![
                Block::Heading { level: 1, text: "城市更新".into() },
                Block::Paragraph {
                    text: "江津区城市建设事务中心深入贯彻落实，持续书写答卷。".into(), caption: false
                },
                Block::Heading { level: 1, text: "党建为统领".into() },
                Block::Heading { level: 1, text: "履职担当".into() },
                Block::Paragraph { text: "正文\\*星号\\*。".into(), caption: false },
            ]
        );
        assert_eq!(a.warnings.len(), 1);
    }
}
