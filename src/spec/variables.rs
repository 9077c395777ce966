//! Layout variables: `{var.NAME}` anywhere in layout.yaml, with defaults in the layout's
//! `variables:` and values an edition may override in its own `variables:` (a different
//! hero photo, brand colour or folio text for one year). They are replaced in the text
//! before the layout is parsed, so any value can be varied, but a value is only ever one
//! scalar: it is escaped for the quotes it stands in (`photo: "{var.hero}"`), written as a
//! quoted string where the placeholder is a whole plain value (`photo: {var.hero}`), and
//! refused where it would change the YAML round it. Every position after substitution is
//! reported in the file as written ([`Source::substituted`]).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::source::{Source, Splice};
use crate::error::{Error, Location, Result};

#[derive(Deserialize)]
struct Defaults {
    #[serde(default)]
    variables: BTreeMap<String, String>,
}

const OPEN: &str = "{var.";

/// The layout with every `{var.NAME}` replaced: the edition's value, else the layout's.
pub fn substitute(layout: Source, edition: &Source, overrides: &BTreeMap<String, String>) -> Result<Source> {
    if !layout.text.contains(OPEN) {
        return Ok(layout);
    }
    // The defaults are read from the file as written: a `variables:` block holds no
    // placeholders of its own. A file that does not read is left as it is, for the
    // layout's own parse to report its mistake where it is.
    let Ok(defaults) = serde_norway::from_str::<Defaults>(&layout.text) else {
        return Ok(layout);
    };
    for (name, value) in overrides {
        if !defaults.variables.contains_key(name) {
            return Err(edition.error(
                &format!("variables.{name}"),
                format!(
                    "the layout declares no variable `{name}`; it has {}{}",
                    defaults.variables.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
                    super::did_you_mean(name, defaults.variables.keys().map(String::as_str))
                ),
            ));
        }
        if value.contains('\n') {
            return Err(edition.error(&format!("variables.{name}"), "a variable's value is one line"));
        }
    }
    // A colour typed with full-width commas would fail at the style that uses it: say it
    // at the variable's own line, where the commas are.
    let declared = defaults.variables.iter().map(|(n, v)| (n, v, &layout));
    for (name, value, source) in declared.chain(overrides.iter().map(|(n, v)| (n, v, edition))) {
        if ["cmyk", "rgb", "spot"].iter().any(|k| value.trim_start().starts_with(k)) {
            if let Some(message) = super::errors::full_width_in_colour(value) {
                return Err(source.error(&format!("variables.{name}"), message));
            }
        }
    }
    let mut out = String::with_capacity(layout.text.len());
    let mut splices = Vec::new();
    let mut line_start = 0;
    for (n, line) in layout.text.split_inclusive('\n').enumerate() {
        // Comments are left as they are: they may well mention a placeholder.
        let cut = comment_start(line);
        let place = Line { start: line_start, number: n + 1, text: &line[..cut] };
        replace_in(&layout, &place, &mut out, &mut splices, &defaults.variables, overrides)?;
        out.push_str(&line[cut..]);
        line_start += line.len();
    }
    Ok(Source::substituted(&layout, out, splices))
}

/// One line of the layout, up to its comment.
struct Line<'a> {
    /// Byte offset of the line in the layout's text.
    start: usize,
    /// 1-based.
    number: usize,
    text: &'a str,
}

/// What a placeholder stands in, which decides how its value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    Double,
    Single,
    Plain,
}

/// The quotes open at the end of `before` (a line up to a placeholder). A quote opens a
/// string only where a value starts (`it's` in a plain value opens nothing).
fn quoting(before: &str) -> Quoting {
    let mut open: Option<char> = None;
    let mut chars = before.chars().peekable();
    let mut last = None;
    while let Some(c) = chars.next() {
        match (open, c) {
            (None, '\'' | '"') if last.is_none_or(|l: char| ":[,{-?".contains(l)) => open = Some(c),
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some('\''), '\'') if chars.peek() == Some(&'\'') => {
                chars.next();
            }
            (Some(q), c) if c == q => open = None,
            _ => {}
        }
        if !c.is_whitespace() {
            last = Some(c);
        }
    }
    match open {
        Some('"') => Quoting::Double,
        Some(_) => Quoting::Single,
        None => Quoting::Plain,
    }
}

/// Whether a plain placeholder is the whole of its value: nothing of the scalar before it
/// (`key: `, `- `, `[`, `, `, `{`) and nothing after it (`,`, `]`, `}`, `:`, the line's end).
fn whole_plain_value(before: &str, after: &str) -> bool {
    let trimmed = before.trim_end();
    let spaced = trimmed.len() < before.len();
    let starts = match trimmed.chars().last() {
        None => true,
        Some('[' | ',' | '{' | '?') => true,
        Some(':') => spaced,
        Some('-') => spaced && trimmed[..trimmed.len() - 1].chars().last().is_none_or(char::is_whitespace),
        Some(_) => false,
    };
    let rest = after.trim_start();
    starts && (rest.is_empty() || rest.starts_with([',', ']', '}', ':']))
}

/// `value` written as a YAML double-quoted string.
fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    escape_double(value, &mut out);
    out.push('"');
    out
}

fn escape_double(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
}

/// How `value` is written where the placeholder stands; `Err` with why it cannot be.
fn written_value(value: &str, quoting: Quoting, whole: bool) -> std::result::Result<String, String> {
    match quoting {
        Quoting::Double => {
            let mut out = String::new();
            escape_double(value, &mut out);
            Ok(out)
        }
        Quoting::Single if value.contains(['\n', '\r']) => Err("a line break cannot stand in single quotes".into()),
        Quoting::Single => Ok(value.replace('\'', "''")),
        Quoting::Plain if whole => Ok(double_quoted(value)),
        Quoting::Plain => {
            let special = ['\n', '\r', '\t', '#', ':', ',', '[', ']', '{', '}', '"', '\'', '&', '*', '!', '|', '>'];
            match value.chars().find(|c| special.contains(c)) {
                Some(c) => Err(format!("its value has {c:?}, which would change the YAML round it")),
                None if value.trim() != value => Err("its value starts or ends with a space".into()),
                None => Ok(value.to_owned()),
            }
        }
    }
}

/// Where a YAML comment starts on `line`: a `#` at the start or after a blank, outside
/// quotes; the line's length if there is none.
fn comment_start(line: &str) -> usize {
    let (mut single, mut double, mut previous) = (false, false, ' ');
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single && previous != '\\' => double = !double,
            '#' if !single && !double && previous.is_whitespace() => return i,
            _ => {}
        }
        previous = c;
    }
    line.len()
}

/// Replace the placeholders of `line`, recording where each value went.
fn replace_in(
    layout: &Source,
    line: &Line,
    out: &mut String,
    splices: &mut Vec<Splice>,
    defaults: &BTreeMap<String, String>,
    overrides: &BTreeMap<String, String>,
) -> Result<()> {
    let text = line.text;
    let out_line = out.len();
    let mut rest = text;
    while let Some(open) = rest.find(OPEN) {
        out.push_str(&rest[..open]);
        // Errors point into the file as written, not into the substituted text.
        let in_line = (text.len() - rest.len()) + open;
        let here = line.start + in_line;
        let after = &rest[open + OPEN.len()..];
        let close =
            after.find('}').filter(|&c| after[..c].chars().all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '-'));
        let Some(close) = close else {
            return Err(at(layout, here, "`{var.` is not closed by `}` after a variable name".into()));
        };
        let name = &after[..close];
        let value = overrides.get(name).or_else(|| defaults.get(name)).ok_or_else(|| {
            at(
                layout,
                here,
                format!(
                    "unknown variable `{{var.{name}}}`: declare it under `variables:`{}",
                    super::did_you_mean(name, defaults.keys().map(String::as_str))
                ),
            )
        })?;
        let (before, behind) = (&text[..in_line], &after[close + 1..]);
        let quoting = quoting(before);
        let written = written_value(value, quoting, whole_plain_value(before, behind)).map_err(|why| {
            at(
                layout,
                here,
                format!("`{{var.{name}}}` cannot stand unquoted here: {why}; write it in quotes, \"…{{var.{name}}}…\""),
            )
        })?;
        let placeholder_len = OPEN.len() + close + 1;
        splices.push(Splice {
            line: line.number,
            column: out[out_line..].chars().count() + 1,
            len: written.chars().count(),
            written_column: before.chars().count() + 1,
            written_len: text[in_line..in_line + placeholder_len].chars().count(),
        });
        out.push_str(&written);
        rest = behind;
    }
    out.push_str(rest);
    Ok(())
}

/// An error at byte `offset` of the layout's text.
fn at(layout: &Source, offset: usize, message: String) -> Error {
    let before = &layout.text[..offset.min(layout.text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Error::Input { location: Location::new(&layout.path, line, column, Some(&layout.text)), message }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn sources(layout: &str) -> (Source, Source) {
        (
            Source::from_text(Path::new("layout.yaml"), layout.to_owned()),
            Source::from_text(Path::new("edition.yaml"), "variables:\n  hero: meadow\n".to_owned()),
        )
    }

    #[test]
    fn defaults_and_overrides() {
        let layout =
            "variables:\n  hero: lake\n  brand: \"cmyk(0, 0, 0, 100)\"\nphoto: \"{var.hero}\"\nfill: \"{var.brand}\"\n";
        let (l, e) = sources(layout);
        let out = substitute(l, &e, &BTreeMap::new()).unwrap();
        assert!(out.text.contains("photo: \"lake\"") && out.text.contains("fill: \"cmyk(0, 0, 0, 100)\""));
        let (l, e) = sources(layout);
        let overrides = BTreeMap::from([("hero".to_owned(), "meadow".to_owned())]);
        assert!(substitute(l, &e, &overrides).unwrap().text.contains("photo: \"meadow\""));
    }

    #[test]
    fn comments_are_left_alone() {
        let (l, e) =
            sources("variables:   # {var.anything} here is a comment\n  hero: lake\nphoto: \"{var.hero}\" # {var.x}\n");
        let out = substitute(l, &e, &BTreeMap::new()).unwrap();
        assert!(out.text.contains("# {var.anything}") && out.text.contains("photo: \"lake\" # {var.x}"));
    }

    #[test]
    fn unknown_variables_are_named_with_their_place() {
        let (l, e) = sources("variables:\n  hero: lake\nphoto: \"{var.heor}\"\n");
        let err = substitute(l, &e, &BTreeMap::new()).unwrap_err().to_string();
        assert!(err.starts_with("layout.yaml:3:9: unknown variable `{var.heor}`"), "{err}");
        assert!(err.contains("did you mean `hero`"), "{err}");
        let (l, e) = sources("variables:\n  hero: lake\nphoto: \"{var.hero}\"\n");
        let overrides = BTreeMap::from([("villain".to_owned(), "x".to_owned())]);
        let err = substitute(l, &e, &overrides).unwrap_err().to_string();
        assert!(err.contains("edition.yaml") && err.contains("no variable `villain`"), "{err}");
    }

    #[test]
    fn an_error_after_a_replaced_placeholder_points_into_the_file_as_written() {
        // `{var.hero}` becomes `a-much-longer-photo-name` on line 3, which must not shift
        // the place of the mistake on line 4 (nor land inside 标).
        let (l, e) =
            sources("variables:\n  hero: a-much-longer-photo-name\nphoto: \"{var.hero}\"\ntitle: \"标题{var.bad}\"\n");
        let err = substitute(l, &e, &BTreeMap::new()).unwrap_err().to_string();
        assert!(err.starts_with("layout.yaml:4:11: unknown variable `{var.bad}`"), "{err}");
    }

    /// The layout of `text` with `hero` set to `value`, read as YAML.
    fn substituted(text: &str, value: &str) -> Result<serde_norway::Value> {
        let (l, e) = sources(text);
        let overrides = BTreeMap::from([("hero".to_owned(), value.to_owned())]);
        let out = substitute(l, &e, &overrides)?;
        Ok(serde_norway::from_str(&out.text).unwrap())
    }

    #[test]
    fn a_variable_is_only_ever_one_scalar() {
        // The attack of issue 14: a value that closes the quotes and adds keys to the frame.
        let attack = "lake\", stroke: {width: 5mm, color: \"cmyk(0, 100, 100, 0)\"}, fit: \"contain";
        let frame = "variables:\n  hero: lake\nframes:\n  - {id: hero, photo: \"{var.hero}\", fit: cover}\n";
        let v = substituted(frame, attack).unwrap();
        let f = &v["frames"][0];
        assert_eq!(f["photo"].as_str(), Some(attack));
        assert_eq!(f["fit"].as_str(), Some("cover"));
        assert!(f.get("stroke").is_none(), "{f:?}");
        // Single quotes, and a whole plain value, hold it as one string too.
        let single = "variables:\n  hero: lake\nframes:\n  - {id: hero, photo: '{var.hero}'}\n";
        assert_eq!(substituted(single, "it's, {a: 1}").unwrap()["frames"][0]["photo"].as_str(), Some("it's, {a: 1}"));
        let plain = "variables:\n  hero: lake\nframes:\n  - {id: hero, photo: {var.hero}, fit: cover}\n";
        let v = substituted(plain, attack).unwrap();
        assert_eq!(v["frames"][0]["photo"].as_str(), Some(attack));
        assert_eq!(v["frames"][0]["fit"].as_str(), Some("cover"));
        let block = "variables:\n  hero: lake\nphoto: {var.hero}\n";
        assert_eq!(substituted(block, "a: b").unwrap()["photo"].as_str(), Some("a: b"));
        // Inside a plain scalar, a value that would change the YAML is refused at the placeholder.
        let inside = "variables:\n  hero: lake\ntext: 第{var.hero}版\n";
        assert_eq!(substituted(inside, "3").unwrap()["text"].as_str(), Some("第3版"));
        let err = substituted(inside, "3, x: y").unwrap_err().to_string();
        assert!(err.starts_with("layout.yaml:3:8: `{var.hero}` cannot stand unquoted here"), "{err}");
    }

    #[test]
    fn an_error_after_a_long_value_points_at_the_column_as_written() {
        let layout = "variables:\n  hero: lake\ngrid: {photo: \"{var.hero}\", columns: x}\n";
        let (l, e) = sources(layout);
        let overrides = BTreeMap::from([("hero".to_owned(), "a-very-very-long-photo-name".to_owned())]);
        let out = substitute(l, &e, &overrides).unwrap();
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Grid {
            photo: String,
            columns: u32,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            variables: BTreeMap<String, String>,
            grid: Grid,
        }
        let err = out.parse::<T>().unwrap_err().to_string();
        assert!(err.starts_with("layout.yaml:3:38: grid.columns: invalid type"), "{err}");
        assert!(err.contains("3 | grid: {photo: \"{var.hero}\", columns: x}"), "{err}");
        assert_eq!(out.locate("grid.columns").column, 38);
        assert_eq!(out.locate("grid.photo").column, 15);
    }

    #[test]
    fn a_layout_that_does_not_read_is_left_for_its_own_parse_to_report() {
        let (l, e) = sources("variables:\n  hero: [lake\nphoto: \"{var.hero}\"\n");
        let text = l.text.clone();
        assert_eq!(substitute(l, &e, &BTreeMap::new()).unwrap().text, text);
    }
}
