//! Layout variables: `{var.NAME}` anywhere in layout.yaml, with defaults in the layout's
//! `variables:` and values an edition may override in its own `variables:` (a different
//! hero photo, brand colour or folio text for one year). They are replaced in the text
//! before the layout is parsed, so any value can be varied; a placeholder must stand in
//! a quoted string or a plain scalar (`photo: "{var.hero}"`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::source::Source;
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
    let mut line_start = 0;
    for line in layout.text.split_inclusive('\n') {
        // Comments are left as they are: they may well mention a placeholder.
        let cut = comment_start(line);
        replace_in(&layout, line_start, &line[..cut], &mut out, &defaults.variables, overrides)?;
        out.push_str(&line[cut..]);
        line_start += line.len();
    }
    let mut substituted = Source::from_text(&layout.path, out);
    substituted.confine = layout.confine.clone();
    Ok(substituted)
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

/// Replace the placeholders of `text`, which starts at byte `start` of the layout's text.
fn replace_in(
    layout: &Source,
    start: usize,
    text: &str,
    out: &mut String,
    defaults: &BTreeMap<String, String>,
    overrides: &BTreeMap<String, String>,
) -> Result<()> {
    let mut rest = text;
    while let Some(open) = rest.find(OPEN) {
        out.push_str(&rest[..open]);
        // Errors point into the file as written, not into the substituted text.
        let here = start + (text.len() - rest.len()) + open;
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
        out.push_str(value);
        rest = &after[close + 1..];
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

    #[test]
    fn a_layout_that_does_not_read_is_left_for_its_own_parse_to_report() {
        let (l, e) = sources("variables:\n  hero: [lake\nphoto: \"{var.hero}\"\n");
        let text = l.text.clone();
        assert_eq!(substitute(l, &e, &BTreeMap::new()).unwrap().text, text);
    }
}
