//! The content file of one edition (`editions/2024.yaml`): metadata and either a list of
//! stories (`stories:`) or the one-article shape (headline group, lead, intro, sections,
//! closing), which reads as one story with the id `main`; and photos. Content only: the
//! look is in the layout.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    pub edition: EditionMeta,
    /// The one-article shape: the story `main`'s headline group (with `lead`, `intro`,
    /// `sections`, `closing`). An edition of several stories gives `stories:` instead.
    #[serde(default)]
    pub headline: Option<Headline>,
    #[serde(default)]
    pub lead: Vec<String>,
    #[serde(default)]
    pub intro: Vec<String>,
    #[serde(default)]
    pub sections: Vec<Section>,
    #[serde(default)]
    pub closing: Vec<String>,
    /// The stories of the page, each with its id, headline group, byline and body.
    #[serde(default)]
    pub stories: Vec<Story>,
    #[serde(default)]
    pub photos: Vec<Photo>,
    /// Values for the layout's `{var.NAME}` placeholders, over the layout's own `variables`.
    #[serde(default)]
    pub variables: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditionMeta {
    pub year: u32,
    /// Publication date, `YYYY-MM-DD`. It is also the PDF's creation date, so that the same
    /// input always gives the same bytes.
    pub date: String,
    /// The edition's name: folio line and PDF title.
    pub title: String,
}

/// The headline group: 引题 (kicker) above, 主题 (title, one entry per display line),
/// 副题 (deck) below.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Headline {
    #[serde(default)]
    pub kicker: Option<String>,
    pub title: Vec<String>,
    #[serde(default)]
    pub deck: Option<String>,
}

/// One story (稿件): what a thread carries (`content: story:ID`, or a part of it).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Story {
    /// The name the layout knows it by: `story:ID`, `kind: headline, story: ID`.
    pub id: String,
    /// What kind of story it is (`feature`, `brief`…): the layout may give each kind its
    /// own styles (`roles.brief.body`).
    #[serde(default)]
    pub kind: Option<String>,
    /// 引题 / 主题 / 副题, set in a headline frame naming the story.
    #[serde(default)]
    pub headline: Option<Headline>,
    /// 本报记者　王小明　通讯员　李华: a line of its own above the text.
    #[serde(default)]
    pub byline: Option<String>,
    /// 本报讯, set in bold at the start of the first paragraph.
    #[serde(default)]
    pub dateline: Option<String>,
    /// Paragraphs in the `lead` role's style, before the body.
    #[serde(default)]
    pub lead: Vec<String>,
    /// The text, in reading order: paragraphs, section heads, pull quotes, lists.
    #[serde(default)]
    pub body: Vec<BodyItem>,
    /// Paragraphs in the `closing` role's style, after the body.
    #[serde(default)]
    pub closing: Vec<String>,
    /// The story's photos: like the edition's `photos`, ids unique across the edition.
    #[serde(default)]
    pub photos: Vec<Photo>,
}

/// One block of a story's body.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum BodyItem {
    /// A paragraph: `**bold**` marks a run-in head (`**提升城市品质。**持续……`).
    Paragraph(String),
    /// A section head: `{id: economy, kicker: 经济聚动能, title: 发展活力持续“迸发”}`.
    Head(HeadItem),
    /// A pull quote (引语): `{quote: "……"}`, set in a box the layout places
    /// (`kind: box, quote: STORY`), or in the text where no box takes it.
    Quote(QuoteItem),
    /// A list: `{list: [一是……, 二是……]}`, one block per item in the `list` role's style.
    List(ListItem),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeadItem {
    /// For `story:ID#section:SECTION`.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub kicker: Option<String>,
    pub title: Title,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteItem {
    pub quote: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListItem {
    pub list: Vec<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub kicker: String,
    pub title: Title,
    pub paragraphs: Vec<String>,
}

/// Marks a forced line break inside a title's text: U+2028 LINE SEPARATOR, which nobody
/// types by accident. [`crate::text::title`] breaks there; body text reads it as a space.
pub const FORCED_BREAK: char = '\u{2028}';

/// A section title: a string, broken between words where it does not fit, or a list of
/// strings, one line each, where the designer chose the breaks (`title: [闲置空间, 华丽转变]`).
// In the program it reads as its text, the lines joined by `FORCED_BREAK`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(try_from = "TitleSpec")]
pub struct Title(String);

/// What the YAML may say for a [`Title`].
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum TitleSpec {
    /// One string, broken between words where it does not fit.
    Text(String),
    /// One entry per line: the lines break exactly there.
    Lines(Vec<String>),
}

impl TryFrom<TitleSpec> for Title {
    type Error = String;
    fn try_from(spec: TitleSpec) -> Result<Title, String> {
        let lines = match spec {
            TitleSpec::Text(text) => vec![text],
            TitleSpec::Lines(lines) => lines,
        };
        if lines.is_empty() {
            return Err("a title needs at least one line".into());
        }
        if let Some(i) = lines.iter().position(|l| l.trim().is_empty()) {
            return Err(format!("line {} of the title is empty", i + 1));
        }
        if lines.iter().any(|l| l.contains(FORCED_BREAK)) {
            return Err("a title may not contain U+2028 (give the lines as a list instead)".into());
        }
        Ok(Title(lines.join(&FORCED_BREAK.to_string())))
    }
}

impl Title {
    /// The lines the designer set, or the one string.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.0.split(FORCED_BREAK)
    }
}

impl std::ops::Deref for Title {
    type Target = str;
    /// The title's text, forced breaks as [`FORCED_BREAK`].
    fn deref(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Photo {
    pub id: String,
    /// Image file, relative to the edition file.
    pub image: String,
    pub caption: String,
    /// 摄影 王小明 / 图片来源 新华社: set after the caption.
    #[serde(default)]
    pub credit: Option<String>,
}

/// A calendar date, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

pub fn parse_date(text: &str) -> Result<Date, String> {
    let bad = || format!("expected a date as YYYY-MM-DD, found `{text}`");
    let mut parts = text.trim().split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (year, month, day): (u16, u8, u8) =
        (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("`{text}`: there is no month {month}")),
    };
    if day == 0 || day > days {
        return Err(format!("`{text}`: month {month} has no day {day}"));
    }
    Ok(Date { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(yaml: &str) -> Result<Title, String> {
        serde_norway::from_str::<Title>(yaml).map_err(|e| e.to_string())
    }

    #[test]
    fn a_title_is_a_string_or_a_list_of_lines() {
        let one = title("闲置空间的华丽转变").unwrap();
        assert_eq!(&*one, "闲置空间的华丽转变");
        assert_eq!(one.lines().collect::<Vec<_>>(), ["闲置空间的华丽转变"]);
        let two = title("[闲置空间, 华丽转变]").unwrap();
        assert_eq!(two.lines().collect::<Vec<_>>(), ["闲置空间", "华丽转变"]);
        assert_eq!(&*two, "闲置空间\u{2028}华丽转变");
        assert!(title("[]").unwrap_err().contains("at least one line"));
        assert!(title("[闲置空间, '']").unwrap_err().contains("line 2"));
        assert!(title("{a: 1}").is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2025-01-16").unwrap(), Date { year: 2025, month: 1, day: 16 });
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2025-02-29").unwrap_err().contains("no day 29"));
        assert!(parse_date("2025-13-01").unwrap_err().contains("no month"));
        assert!(parse_date("2025/01/16").is_err());
        assert!(parse_date("16 Jan 2025").is_err());
    }
}
