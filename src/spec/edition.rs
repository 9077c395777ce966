//! The content file of one edition (`editions/2024.yaml`): metadata, headline group,
//! lead, intro, sections, closing and photos. Content only: the look is in the layout.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    pub edition: EditionMeta,
    pub headline: Headline,
    #[serde(default)]
    pub lead: Vec<String>,
    #[serde(default)]
    pub intro: Vec<String>,
    #[serde(default)]
    pub sections: Vec<Section>,
    #[serde(default)]
    pub closing: Vec<String>,
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Headline {
    #[serde(default)]
    pub kicker: Option<String>,
    pub title: Vec<String>,
    #[serde(default)]
    pub deck: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub kicker: String,
    pub title: String,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Photo {
    pub id: String,
    /// Image file, relative to the edition file.
    pub image: String,
    pub caption: String,
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
