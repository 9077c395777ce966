//! Units a designer writes: lengths (`20mm`, `9pt`, `1.5cm`, `1in`), font sizes in points
//! or by their 号 name (`小五`, `五号`), and lengths relative to the font size
//! (`2em`, `2字`, `1.5em`). A bare number is an error wherever a unit is required, so
//! that `20` is never silently read as points when millimetres were meant.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// The longest length any key may give: a side of the largest PDF page, 14,400 pt.
pub const MAX_LENGTH_PT: f32 = 14_400.0;

/// The most ems a relative length may give (an indent of 8 em, a pitch of 4 em are the
/// largest the layout uses).
pub const MAX_EM: f32 = 100.0;

/// A length in PostScript points (1/72 in).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Length(pub f32);

impl Length {
    pub fn mm(mm: f32) -> Length {
        Length(mm * PT_PER_MM)
    }
    pub fn pt(self) -> f32 {
        self.0
    }
    pub fn to_mm(self) -> f32 {
        self.0 / PT_PER_MM
    }
}

/// Chinese font size names (字号) in points, as Word, WPS and 方正 software list them.
pub const HAO_SIZES: &[(&str, f32)] = &[
    ("初号", 42.0),
    ("小初", 36.0),
    ("一号", 26.0),
    ("小一", 24.0),
    ("二号", 22.0),
    ("小二", 18.0),
    ("三号", 16.0),
    ("小三", 15.0),
    ("四号", 14.0),
    ("小四", 12.0),
    ("五号", 10.5),
    ("小五", 9.0),
    ("六号", 7.5),
    ("小六", 6.5),
    ("七号", 5.5),
    ("八号", 5.0),
];

/// A font size in points.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct FontSize(pub f32);

/// A length that may be relative to the font size: `2em` or `2字` (the same thing for
/// Chinese text: one character is one em), or absolute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RelLength {
    Em(f32),
    Abs(Length),
}

impl RelLength {
    pub fn resolve(self, font_size: f32) -> f32 {
        match self {
            RelLength::Em(em) => em * font_size,
            RelLength::Abs(len) => len.0,
        }
    }
}

/// A style's leading (baseline to baseline): a length as [`RelLength`] (`2em` is twice the
/// style's own size), or a number of grid lines (`2 lines`, `2行`), which stays on the grid
/// whatever the body size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Leading {
    Length(RelLength),
    Lines(f32),
}

impl Leading {
    /// In points, for type of `font_size` on a grid of `pitch`.
    pub fn resolve(self, font_size: f32, pitch: f32) -> f32 {
        match self {
            Leading::Length(length) => length.resolve(font_size),
            Leading::Lines(lines) => lines * pitch,
        }
    }
}

fn split_number(text: &str) -> Option<(f32, &str)> {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(text.len(), |(i, _)| i);
    let number: f32 = text[..end].parse().ok()?;
    number.is_finite().then_some((number, text[end..].trim()))
}

pub fn parse_length(text: &str) -> Result<Length, String> {
    let (n, unit) = split_number(text).ok_or_else(|| format!("expected a length such as `20mm`, found `{text}`"))?;
    let pt = match unit {
        "mm" => n * PT_PER_MM,
        "cm" => n * 10.0 * PT_PER_MM,
        "pt" => n,
        "in" => n * 72.0,
        "" => return Err(format!("`{text}` has no unit; write it as `{n}mm` or `{n}pt` (units: mm, cm, pt, in)")),
        other => return Err(format!("unknown unit `{other}` in `{text}`; expected one of mm, cm, pt, in")),
    };
    // No length on a page can be longer than the largest page a PDF may have.
    if pt.abs() > MAX_LENGTH_PT {
        return Err(format!("`{text}` is more than 14400pt (200 in), the largest PDF page"));
    }
    Ok(Length(pt))
}

pub fn parse_font_size(text: &str) -> Result<FontSize, String> {
    let trimmed = text.trim();
    if let Some(&(_, pt)) = HAO_SIZES.iter().find(|(name, _)| *name == trimmed) {
        return Ok(FontSize(pt));
    }
    let length = parse_length(trimmed).map_err(|_| match super::errors::hao_suggestion(trimmed) {
        Some(name) => format!("`{text}` is not a font size; did you mean {name}?"),
        None => format!("expected a font size in pt (`9pt`) or a 号 name (小五, 五号, 小四, 四号, …), found `{text}`"),
    })?;
    if length.0 <= 0.0 {
        return Err(format!("a font size must be positive, found `{text}`"));
    }
    Ok(FontSize(length.0))
}

pub fn parse_rel_length(text: &str) -> Result<RelLength, String> {
    let (n, unit) =
        split_number(text).ok_or_else(|| format!("expected a length such as `2em` or `2字`, found `{text}`"))?;
    match unit {
        "em" | "字" | "chars" if n.abs() > MAX_EM => Err(format!("`{text}` is more than {MAX_EM} em")),
        "em" | "字" | "chars" => Ok(RelLength::Em(n)),
        "" => Err(format!("`{text}` has no unit; write `{n}em` (or `{n}字`), or an absolute length like `{n}pt`")),
        _ => parse_length(text)
            .map(RelLength::Abs)
            .map_err(|_| format!("unknown unit in `{text}`; expected em, 字, chars, mm, cm, pt or in")),
    }
}

pub fn parse_leading(text: &str) -> Result<Leading, String> {
    let Some((n, unit)) = split_number(text) else {
        return Err(format!("expected a leading such as `2 lines`, `1.5em` or `27pt`, found `{text}`"));
    };
    match unit {
        "lines" | "line" | "行" if !(0.0..=MAX_EM).contains(&n) => {
            Err(format!("`{text}` is not a number of grid lines from 0 to {MAX_EM}"))
        }
        "lines" | "line" | "行" => Ok(Leading::Lines(n)),
        "" => Err(format!(
            "`{text}` has no unit; write `{n} lines` (grid lines), `{n}em` (the style's size) or an absolute length like `{n}pt`"
        )),
        _ => parse_rel_length(text).map(Leading::Length).map_err(|e| match e.strip_suffix("chars, mm, cm, pt or in") {
            Some(start) => format!("{start}chars, lines, mm, cm, pt or in"),
            None => e,
        }),
    }
}

/// Deserialise from a YAML string, and turn a bare YAML number into the error that says
/// which unit is missing.
struct UnitVisitor<T> {
    expecting: &'static str,
    parse: fn(&str) -> Result<T, String>,
}

impl<'de, T> Visitor<'de> for UnitVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        (self.parse)(&v.to_string()).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        (self.parse)(&v.to_string()).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        (self.parse)(&v.to_string()).map_err(E::custom)
    }
}

macro_rules! deserialize_with {
    ($ty:ty, $parse:path, $expecting:literal) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(UnitVisitor { expecting: $expecting, parse: $parse })
            }
        }
    };
}

deserialize_with!(Length, parse_length, "a length with a unit, such as 20mm or 9pt");

/// A JSON Schema for a string-written value: its pattern and what it means.
macro_rules! string_schema {
    ($ty:ty, $name:literal, $pattern:literal, $description:literal) => {
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "pattern": $pattern, "description": $description })
            }
        }
    };
}
pub(crate) use string_schema;

string_schema!(Length, "Length", r"^-?[0-9.]+\s*(mm|cm|pt|in)$", "A length with its unit: 20mm, 1.5cm, 9pt, 1in.");
string_schema!(
    FontSize,
    "FontSize",
    r"^([0-9.]+\s*(mm|cm|pt|in)|初号|小初|一号|小一|二号|小二|三号|小三|四号|小四|五号|小五|六号|小六|七号|八号)$",
    "A font size in points (9pt) or by its 号 name (小五 = 9 pt, 五号 = 10.5 pt)."
);
string_schema!(
    RelLength,
    "RelativeLength",
    r"^-?[0-9.]+\s*(em|字|chars|mm|cm|pt|in)$",
    "A length relative to the font size (2em, 2字) or absolute (3mm)."
);
deserialize_with!(FontSize, parse_font_size, "a font size such as 9pt or 小五");
deserialize_with!(RelLength, parse_rel_length, "a length such as 2em, 2字 or 3mm");
string_schema!(
    Leading,
    "Leading",
    r"^[0-9.]+\s*(lines?|行|em|字|chars|mm|cm|pt|in)$",
    "Baseline to baseline: grid lines (2 lines, 2行), relative to the style's size (1.5em) or absolute (27pt)."
);
deserialize_with!(Leading, parse_leading, "a leading such as 2 lines, 1.5em or 27pt");

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-3
    }

    #[test]
    fn lengths_convert_to_points() {
        assert!(close(parse_length("25.4mm").unwrap().0, 72.0));
        assert!(close(parse_length("1cm").unwrap().0, 28.3465));
        assert!(close(parse_length("9pt").unwrap().0, 9.0));
        assert!(close(parse_length(" 1in ").unwrap().0, 72.0));
        assert!(close(Length::mm(41.3).0, 117.07));
    }

    #[test]
    fn bare_numbers_and_unknown_units_are_errors() {
        let e = parse_length("20").unwrap_err();
        assert!(e.contains("no unit") && e.contains("20mm"), "{e}");
        let e = parse_length("20px").unwrap_err();
        assert!(e.contains("unknown unit `px`"), "{e}");
        assert!(parse_length("mm").is_err());
        assert!(parse_length("14400pt").is_ok() && parse_length("200in").is_ok());
        let e = parse_length("100000000000000000000000000000000000000pt").unwrap_err();
        assert!(e.contains("more than 14400pt"), "{e}");
        assert!(parse_length("-100000mm").unwrap_err().contains("more than 14400pt"));
        assert!(parse_rel_length("1000em").unwrap_err().contains("more than 100 em"));
        assert!(parse_length("").is_err());
    }

    #[test]
    fn hao_sizes_and_points() {
        assert_eq!(parse_font_size("小五").unwrap().0, 9.0);
        assert_eq!(parse_font_size("五号").unwrap().0, 10.5);
        assert_eq!(parse_font_size("12pt").unwrap().0, 12.0);
        assert!(parse_font_size("小七").unwrap_err().contains("号 name"));
        assert!(parse_font_size("-3pt").is_err());
    }

    #[test]
    fn relative_lengths() {
        assert_eq!(parse_rel_length("2em").unwrap(), RelLength::Em(2.0));
        assert_eq!(parse_rel_length("2字").unwrap(), RelLength::Em(2.0));
        assert_eq!(parse_rel_length("1.5em").unwrap().resolve(9.0), 13.5);
        assert_eq!(parse_rel_length("3pt").unwrap(), RelLength::Abs(Length(3.0)));
        assert!(parse_rel_length("2").unwrap_err().contains("no unit"));
    }

    #[test]
    fn leading_in_grid_lines() {
        assert_eq!(parse_leading("2 lines").unwrap(), Leading::Lines(2.0));
        assert_eq!(parse_leading("1line").unwrap(), Leading::Lines(1.0));
        assert_eq!(parse_leading("3行").unwrap().resolve(16.0, 15.75), 47.25);
        assert_eq!(parse_leading("2em").unwrap().resolve(16.0, 15.75), 32.0);
        assert_eq!(parse_leading("27pt").unwrap(), Leading::Length(RelLength::Abs(Length(27.0))));
        assert!(parse_leading("2").unwrap_err().contains("write `2 lines` (grid lines), `2em`"));
        assert!(parse_leading("2 rows").unwrap_err().contains("chars, lines, mm"));
        assert!(parse_leading("-1 lines").unwrap_err().contains("grid lines from 0"));
    }

    #[test]
    fn yaml_number_without_unit_reports_the_missing_unit() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            width: Length,
        }
        let err = serde_norway::from_str::<T>("width: 20\n").unwrap_err().to_string();
        assert!(err.contains("width") && err.contains("no unit"), "{err}");
    }
}
