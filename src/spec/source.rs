//! A YAML input file kept with its text, so that every later error can point back into it.
//!
//! serde_norway does the typed deserialisation (its errors carry the key path and the
//! position). It keeps no positions for values that deserialise fine but are wrong later
//! (a missing font file, an unknown style name), so a second pass with saphyr-parser
//! records where each key path's value starts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use saphyr_parser::{Event, Parser};
use serde::de::DeserializeOwned;

use crate::error::{Error, Location, Result};

#[derive(Debug)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    /// Key path (`styles.body.font`, `sections[2].title`) → 1-based (line, column).
    positions: HashMap<String, (usize, usize)>,
    /// The `id:` written under a key path (`pages[0].frames[3]` → `headline`), to name
    /// list items by in messages ([`super::keys`]).
    ids: HashMap<String, String>,
    /// Where the nesting first went deeper than [`MAX_DEPTH`].
    too_deep: Option<(usize, usize)>,
    /// The first YAML tag (`!!binary`, `!custom`): where, and the tag as written.
    tagged: Option<(Position, String)>,
    /// The first key written twice in one mapping: its path, both places.
    duplicate: Option<(String, Position, Position)>,
    /// Files this one names must lie in this folder (the project), unless it is `None`.
    pub confine: Option<PathBuf>,
    /// When `text` is the layout with its `{var.NAME}` replaced: the file as written and
    /// where the values went, so that every position points into the file as written.
    written: Option<Written>,
}

/// The text of a file as written, and the placeholders replaced in it.
#[derive(Debug)]
struct Written {
    text: String,
    /// 1-based line → the splices on it, left to right.
    splices: HashMap<usize, Vec<Splice>>,
}

/// One placeholder replaced on a line: 1-based columns (in characters) and lengths, in the
/// substituted text and in the text as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Splice {
    pub line: usize,
    pub column: usize,
    pub len: usize,
    pub written_column: usize,
    pub written_len: usize,
}

/// `path` made absolute and without `.` and `..`, without touching the file system: for a
/// file that does not exist (yet), where [`std::fs::canonicalize`] cannot say.
pub fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Deeper nesting than any layout or edition needs; it is refused before parsing, so that a
/// file of nested brackets cannot keep the parser busy.
pub const MAX_DEPTH: usize = 32;

impl Source {
    pub fn read(path: &Path) -> Result<Source> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| Error::Input {
            location: Location::new(path, 1, 1, None),
            message: format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
        })?;
        Ok(Source::from_text(path, text))
    }

    pub fn from_text(path: &Path, text: String) -> Source {
        let index = index_positions(&text);
        Source {
            path: path.to_owned(),
            text,
            positions: index.positions,
            ids: index.ids,
            too_deep: index.too_deep,
            tagged: index.tagged,
            duplicate: index.duplicate,
            confine: None,
            written: None,
        }
    }

    /// `text`, made from the file `written` by replacing placeholders at `splices`: parsed
    /// as `text`, every position reported in `written`.
    pub fn substituted(written: &Source, text: String, splices: Vec<Splice>) -> Source {
        let mut source = Source::from_text(&written.path, text);
        source.confine = written.confine.clone();
        let mut by_line: HashMap<usize, Vec<Splice>> = HashMap::new();
        for splice in splices {
            by_line.entry(splice.line).or_default().push(splice);
        }
        source.written = Some(Written { text: written.text.clone(), splices: by_line });
        source
    }

    /// The place of 1-based `line`, `column` of `text` in the file as written: a column
    /// inside a replaced value is the placeholder's, one after it moves by the difference.
    pub fn place(&self, line: usize, column: usize) -> Location {
        let Some(written) = &self.written else {
            return Location::new(&self.path, line, column, Some(&self.text));
        };
        let mut mapped = column;
        for s in written.splices.get(&line).into_iter().flatten() {
            if column < s.column {
                break;
            }
            if column < s.column + s.len {
                mapped = s.written_column;
                break;
            }
            mapped = column + s.written_column + s.written_len - s.column - s.len;
        }
        Location::new(&self.path, line, mapped, Some(&written.text))
    }

    /// Deserialise the whole file. Errors carry file:line:column, key path and snippet.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T> {
        if self.text.trim().is_empty() {
            return Err(Error::Input {
                location: self.at_start(),
                message: "the file is empty; expected a YAML mapping".into(),
            });
        }
        if let Some((line, column)) = self.too_deep {
            return Err(Error::Input {
                location: self.place(line, column),
                message: format!("the YAML nests deeper than {MAX_DEPTH} levels here; no layout or edition needs that"),
            });
        }
        // A tag asks the reader for a type of its own (`!!binary` bytes, `!include`): these
        // files are strings, numbers, lists and mappings, nothing else.
        if let Some(((line, column), tag)) = &self.tagged {
            return Err(Error::Input {
                location: self.place(*line, *column),
                message: format!("YAML tags such as `{tag}` are not used in these files; remove it"),
            });
        }
        if let Some((path, (line, column), first)) = &self.duplicate {
            let first = self.place(first.0, first.1);
            return Err(Error::Input {
                location: self.place(*line, *column),
                message: format!(
                    "`{path}` is written twice: here and at line {}, column {}; keep one",
                    first.line, first.column
                ),
            });
        }
        // serde stops at the first mistake. An unknown key (the common typo) is commented
        // out, line numbers kept, and the file read again, so that every misspelt key of a
        // file is reported at once, with whatever other mistake comes after them.
        let mut text = std::borrow::Cow::Borrowed(self.text.as_str());
        let mut errors = Vec::new();
        let mut suggested = Vec::new();
        loop {
            let e = match serde_norway::from_str(&text) {
                Ok(value) if errors.is_empty() => return Ok(value),
                Ok(_) => break,
                Err(e) => e,
            };
            let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
            // A full-width colon or a missing space makes the reader fail elsewhere, saying
            // nothing of the keystroke: find it first (spec::errors).
            if errors.is_empty() {
                if let Some(m) = super::errors::typing_mistake(&self.text, line) {
                    return Err(Error::Input {
                        location: Location::new(&self.path, m.line, m.column, Some(&self.text)),
                        message: m.message,
                    });
                }
            }
            let mut message = e.to_string();
            if let Some(cut) = message.rfind(" at line ") {
                message.truncate(cut);
            }
            message.push_str(&suggest_field(&message));
            // A value refused inside a mapping is reported at the mapping (`font:`, its
            // first line): point at the key whose value it is (`color:`).
            let (line, column) = self.value_under(&message).unwrap_or((line, column));
            // `dat` commented out makes `date` missing: said already by "did you mean".
            let missing = quoted_after(&message, "missing field `");
            if missing.is_some() && suggested.contains(&missing) {
                break;
            }
            suggested.push(quoted_after(&message, "did you mean `"));
            let unknown_key = message.contains("unknown field `");
            let message = self.readable_in(&message);
            errors.push(Error::Input { location: self.place(line, column), message });
            if !unknown_key || errors.len() >= MAX_ERRORS {
                break;
            }
            match comment_out_key(&text, line, column) {
                Some(rest) => text = std::borrow::Cow::Owned(rest),
                None => break,
            }
        }
        Err(Error::from_list(errors))
    }

    /// Where the value at `key_path` starts; falls back to the nearest parent that has a
    /// position, then to the start of the file.
    pub fn locate(&self, key_path: &str) -> Location {
        let mut path = key_path;
        loop {
            if let Some(&(line, column)) = self.positions.get(path) {
                return self.place(line, column);
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None => return self.at_start(),
            }
        }
    }

    /// Whether the file writes a value at exactly `key_path`.
    pub fn has(&self, key_path: &str) -> bool {
        self.positions.contains_key(key_path)
    }

    pub fn at_start(&self) -> Location {
        self.place(1, 1)
    }

    /// Where the value at `key_path` starts, when the file writes it.
    pub fn position(&self, key_path: &str) -> Option<Location> {
        self.positions.get(key_path).map(|&(line, column)| self.place(line, column))
    }

    /// An input error at `key_path`, which the message names in words
    /// ([`super::keys::readable`]: `page 1, frame `body``, not `pages[0].frames[3]`).
    pub fn error(&self, key_path: &str, message: impl Into<String>) -> Error {
        let message = format!("{}: {}", self.readable(key_path), self.readable_in(&message.into()));
        Error::Input { location: self.locate(key_path), message }
    }

    /// The `id:` this file writes under `key_path` (`pages[0].frames[3]` → `headline`).
    pub fn id_of(&self, key_path: &str) -> Option<&str> {
        self.ids.get(key_path).map(String::as_str)
    }

    /// `key_path` as a message says it: pages and list items counted from 1, frames,
    /// sections, photos and stories by their ids.
    pub fn readable(&self, key_path: &str) -> String {
        super::keys::readable(key_path, |p| self.id_of(p))
    }

    /// `message` with each key path in it made [`Source::readable`].
    pub fn readable_in(&self, message: &str) -> String {
        super::keys::readable_in(message, |p| self.id_of(p))
    }

    /// The file a key of this file names (`fonts.serif.file`), resolved against this
    /// file's folder; an error naming it and the key's place when it does not exist.
    pub fn existing_file(&self, key: &str, written: &str, what: &'static str) -> Result<PathBuf> {
        let path = self.resolve(written);
        if let Some(project) = &self.confine {
            // Compared as the file system resolves them (symbolic links followed, `..` after
            // a link taken where the link points), so that no link and no `..` reads a file
            // outside. A file that does not exist is compared as written, then refused below.
            let (inside, real) = match (std::fs::canonicalize(&path), std::fs::canonicalize(project)) {
                (Ok(real), Ok(root)) => {
                    let inside =
                        real.starts_with(&root) || linked_folders(project, &path).iter().any(|f| real.starts_with(f));
                    (inside, Some(real))
                }
                _ => (normalize(&path).starts_with(normalize(project)), None),
            };
            if !inside {
                let really = match real {
                    Some(real) if real != normalize(&path) => format!(" (it is {})", real.display()),
                    _ => String::new(),
                };
                return Err(Error::Asset {
                    what,
                    path,
                    problem: format!(
                        "lies outside the project folder {}{really}; pass --allow-outside to read it",
                        project.display()
                    ),
                    location: Box::new(self.locate(key)),
                });
            }
        }
        if !path.is_file() {
            let problem = match super::errors::similar_file(&path) {
                Some(other) => format!(
                    "does not exist; did you mean `{}` beside it?",
                    other.file_name().unwrap_or_default().to_string_lossy()
                ),
                None => "does not exist".into(),
            };
            return Err(Error::Asset { what, path, problem, location: Box::new(self.locate(key)) });
        }
        Ok(path)
    }

    /// Resolve a path written in this file: relative paths are relative to the file.
    pub fn resolve(&self, written: &str) -> PathBuf {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        dir.join(written)
    }
}

/// "did you mean …?" for serde's "unknown field `colum_rules`, expected one of `a`, `b`…".
/// The text between `after` and the next backquote in `message`.
fn quoted_after(message: &str, after: &str) -> Option<String> {
    let rest = message.split_once(after)?.1;
    Some(rest.split_once('`')?.0.to_owned())
}

impl Source {
    /// For a message `PATH: … found `VALUE``, the position of the key right under PATH
    /// whose value is VALUE as written (bare or quoted), if there is exactly one.
    fn value_under(&self, message: &str) -> Option<(usize, usize)> {
        let (path, _) = message.split_once(": ")?;
        let found = quoted_after(message, "found `")?;
        let prefix = format!("{path}.");
        let mut hits = self.positions.iter().filter(|(key, &(line, column))| {
            let Some(child) = key.strip_prefix(&prefix) else { return false };
            if child.contains(['.', '[']) {
                return false;
            }
            let Some(text) = self.text.lines().nth(line.saturating_sub(1)) else { return false };
            let value: String = text.chars().skip(column.saturating_sub(1)).collect();
            let value = value.trim_start_matches(['"', '\'']);
            value.starts_with(found.as_str())
        });
        let (_, &position) = hits.next()?;
        hits.next().is_none().then_some(position)
    }
}

/// The bytes of a font or photo file of at most `max` bytes; else what is wrong, in words
/// (`kind`: "a font", "a photo") for the caller to put with the file and where it was asked for.
pub fn read_capped(path: &Path, max: u64, kind: &str) -> std::result::Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot be read: {e}"))?;
    if meta.len() > max {
        return Err(format!("is {} MB, more than the {} MB {kind} may have", meta.len() >> 20, max >> 20));
    }
    std::fs::read(path).map_err(|e| format!("cannot be read: {e}"))
}

/// At most this many mistakes of one file are reported.
const MAX_ERRORS: usize = 20;

/// `text` with the block-style key at 1-based `line`, `column` commented out, with the
/// lines indented under it; `None` when the key is not the first thing on its line (a
/// flow mapping `{…}`, a list item `- key:`), where commenting out would break the rest.
fn comment_out_key(text: &str, line: usize, column: usize) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let key_line = lines.get(line.checked_sub(1)?)?;
    let indent = column.checked_sub(1)?;
    let (before, key) = (key_line.get(..indent)?, key_line.get(indent..)?);
    if key.is_empty() || !before.bytes().all(|b| b == b' ') || key.starts_with("- ") {
        return None;
    }
    let under = |l: &str| l.trim().is_empty() || l.len() - l.trim_start_matches(' ').len() > indent;
    let end = line + lines[line..].iter().take_while(|l| under(l)).count();
    let out: Vec<String> = lines
        .iter()
        .enumerate()
        .map(
            |(i, l)| {
                if (line - 1..end).contains(&i) && !l.trim().is_empty() {
                    "#".to_owned()
                } else {
                    (*l).to_owned()
                }
            },
        )
        .collect();
    Some(out.join("\n"))
}

fn suggest_field(message: &str) -> String {
    let Some(rest) = message.split("unknown field `").nth(1) else { return String::new() };
    let Some((field, expected)) = rest.split_once('`') else { return String::new() };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    super::did_you_mean(field, candidates)
}

enum Frame {
    Map { key: Option<String> },
    Seq { index: usize },
}

fn join(prefix: &str, frame_key: &str) -> String {
    if prefix.is_empty() {
        frame_key.to_owned()
    } else if frame_key.starts_with('[') {
        format!("{prefix}{frame_key}")
    } else {
        format!("{prefix}.{frame_key}")
    }
}

/// Walk the event stream and record where each value starts. A syntax error ends the walk
/// quietly: `parse` reports it properly.
/// 1-based line and column.
type Position = (usize, usize);

/// What one walk over a file's events finds.
struct Index {
    positions: HashMap<String, Position>,
    ids: HashMap<String, String>,
    too_deep: Option<Position>,
    tagged: Option<(Position, String)>,
    duplicate: Option<(String, Position, Position)>,
}

fn index_positions(text: &str) -> Index {
    let mut index =
        Index { positions: HashMap::new(), ids: HashMap::new(), too_deep: None, tagged: None, duplicate: None };
    // The keys seen in each open mapping, with where each was written.
    let mut keys: Vec<HashMap<String, Position>> = Vec::new();
    let mut stack: Vec<(Frame, String)> = Vec::new();
    let mut parser = Parser::new_from_str(text);

    // The path a value at the current point gets, and advances the parent's state.
    fn value_path(stack: &mut [(Frame, String)]) -> Option<String> {
        let (frame, prefix) = stack.last_mut()?;
        match frame {
            Frame::Map { key } => key.take().map(|k| join(prefix, &k)),
            Frame::Seq { index } => {
                *index += 1;
                Some(join(prefix, &format!("[{}]", *index - 1)))
            }
        }
    }

    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(event) => event,
            // The parser's own limit on nesting: report it here, before serde's parser
            // spends minutes on the same brackets.
            Err(e) if e.to_string().contains("recursion limit") => {
                index.too_deep = Some((e.marker().line(), e.marker().col() + 1));
                return index;
            }
            Err(_) => break,
        };
        let here = (span.start.line(), span.start.col() + 1);
        let tag = match &event {
            Event::Scalar(_, _, _, tag) | Event::MappingStart(_, tag) | Event::SequenceStart(_, tag) => tag.as_ref(),
            _ => None,
        };
        if let (Some(tag), None) = (tag, &index.tagged) {
            let written = match tag.handle.as_str() {
                "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
                handle => format!("{handle}{}", tag.suffix),
            };
            index.tagged = Some((here, written));
        }
        let positions = &mut index.positions;
        match event {
            Event::Scalar(value, ..) => {
                let is_key = matches!(stack.last(), Some((Frame::Map { key: None }, _)));
                if is_key {
                    if let Some((Frame::Map { key }, prefix)) = stack.last_mut() {
                        let path = join(prefix, &value);
                        if let Some(seen) = keys.last_mut() {
                            if let Some(&first) = seen.get(value.as_ref()) {
                                index.duplicate.get_or_insert((path.clone(), here, first));
                            } else {
                                seen.insert(value.to_string(), here);
                            }
                        }
                        // A key's position is where its line starts to read; the value
                        // overwrites it when it has a position of its own.
                        positions.entry(path).or_insert(here);
                        *key = Some(value.into_owned());
                    }
                } else if let Some(path) = value_path(&mut stack) {
                    if let Some(owner) = path.strip_suffix(".id") {
                        index.ids.insert(owner.to_owned(), value.to_string());
                    }
                    positions.insert(path, here);
                }
            }
            Event::Alias(_) => {
                if let Some(path) = value_path(&mut stack) {
                    positions.insert(path, here);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = if stack.is_empty() { Some(String::new()) } else { value_path(&mut stack) };
                // A complex (non-scalar) mapping key has no path: use a placeholder.
                let path = path.unwrap_or_else(|| "?".into());
                // A flow collection starts on its key's line: point at the value. A block
                // collection starts on the next line: keep pointing at the key.
                if !path.is_empty() {
                    let entry = positions.entry(path.clone()).or_insert(here);
                    if entry.0 == here.0 {
                        *entry = here;
                    }
                }
                let frame = if matches!(event, Event::MappingStart(..)) {
                    keys.push(HashMap::new());
                    Frame::Map { key: None }
                } else {
                    Frame::Seq { index: 0 }
                };
                stack.push((frame, path));
                if stack.len() > MAX_DEPTH {
                    index.too_deep = Some(here);
                    return index;
                }
            }
            Event::MappingEnd => {
                stack.pop();
                keys.pop();
            }
            Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    index
}

/// The folders that symbolic links inside `project` lead to, on the way to `path`: a
/// designer who links a shared `fonts/` into the project brings that folder in (the
/// repository's examples do). Only what lies inside the linked folder is taken: a `..`
/// after the link does not climb out of it, and a link to a single file outside stays
/// outside.
fn linked_folders(project: &Path, path: &Path) -> Vec<PathBuf> {
    let inside = normalize(project);
    let mut prefix = PathBuf::new();
    let mut out = Vec::new();
    for part in path.components() {
        prefix.push(part);
        let is_link = prefix.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink());
        if is_link && prefix.is_dir() && normalize(&prefix).starts_with(&inside) {
            if let Ok(folder) = std::fs::canonicalize(&prefix) {
                out.push(folder);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source::from_text(Path::new("t.yaml"), text.to_owned())
    }

    #[test]
    fn locates_nested_keys_and_sequence_items() {
        let s = source("page:\n  size: a3\nstyles:\n  body:\n    font: [serif, sans]\nlist:\n  - a\n  - b: 1\n");
        let at = |p: &str| {
            let l = s.locate(p);
            (l.line, l.column)
        };
        assert_eq!(at("page.size"), (2, 9));
        assert_eq!(at("styles.body.font"), (5, 11));
        assert_eq!(at("styles.body.font[1]"), (5, 19));
        assert_eq!(at("list[1].b"), (8, 8));
        // Unknown leaf: nearest parent.
        assert_eq!(at("styles.body.nothing"), (4, 3));
        assert_eq!(at("nothing"), (1, 1));
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Grid {
        columns: u32,
        rules: Option<bool>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        grid: Grid,
        title: String,
    }

    #[test]
    fn every_misspelt_key_is_reported_then_the_next_mistake() {
        let text = "grid:\n  colums: 8\n  ruels:\n    deep: 1\n\n    deeper: 2\n  columns: eight\ntitel: x\ntitle: y\n";
        let err = source(text).parse::<Doc>().unwrap_err().into_list();
        let found: Vec<String> = err.iter().map(|e| e.to_string().lines().next().unwrap().to_owned()).collect();
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].starts_with("t.yaml:2:3: grid: unknown field `colums`"), "{found:#?}");
        assert!(found[1].starts_with("t.yaml:3:3: grid: unknown field `ruels`"), "{found:#?}");
        // The key's block went with it; the line numbers after it did not move.
        assert!(found[2].starts_with("t.yaml:7:12: grid.columns: invalid type"), "{found:#?}");
        // A mistake that is not an unknown key cannot be stepped over: `titel`, after it,
        // waits for the next run.
        assert!(!found.iter().any(|f| f.contains("titel")));
        let fixed = text.replace("eight", "8");
        let err = source(&fixed).parse::<Doc>().unwrap_err().into_list();
        assert_eq!(err.len(), 3);
        assert!(err[2].to_string().starts_with("t.yaml:8:1: unknown field `titel`"), "{}", err[2]);
    }

    #[test]
    fn a_key_in_a_flow_mapping_or_list_item_is_reported_alone() {
        let err = source("grid: {colums: 8, columns: 8}\ntitle: x\n").parse::<Doc>().unwrap_err();
        assert!(!matches!(err, Error::Many(_)), "{err}");
        assert!(err.to_string().contains("unknown field `colums`"));
        assert_eq!(comment_out_key("a:\n  - b: 1\n", 2, 5), None);
        assert_eq!(comment_out_key("a:\n  - b: 1\n", 2, 3), None);
        assert_eq!(comment_out_key("a:\n  b: 1\n    c: 2\n  d: 3\n", 2, 3).as_deref(), Some("a:\n#\n#\n  d: 3\n"));
        // A column inside a multibyte character is not a key's place.
        assert_eq!(comment_out_key("标题: 1\n", 1, 2), None);
    }

    #[test]
    fn a_file_over_its_cap_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.otf");
        std::fs::write(&path, vec![0u8; 3 << 20]).unwrap();
        assert_eq!(read_capped(&path, 3 << 20, "a font").unwrap().len(), 3 << 20);
        let err = read_capped(&path, 2 << 20, "a font").unwrap_err();
        assert_eq!(err, "is 3 MB, more than the 2 MB a font may have");
        assert!(read_capped(&dir.path().join("none"), 1, "a font").unwrap_err().starts_with("cannot be read"));
    }

    #[test]
    fn yaml_tags_are_refused_where_they_are_written() {
        for (text, at) in [("!!binary aGVsbG8=\n", "t.yaml:1:1"), ("a: 1\nb: !custom x\n", "t.yaml:2:4")] {
            let err = source(text).parse::<serde_norway::Value>().unwrap_err().to_string();
            assert!(err.starts_with(at) && err.contains("YAML tags such as `!"), "{err}");
        }
        assert!(source("a: \"!!binary\"\n").parse::<serde_norway::Value>().is_ok());
    }

    #[test]
    fn a_key_written_twice_is_refused_with_both_places() {
        let text = "styles:\n  body: {size: 9pt}\n  head: {size: 20pt}\n  body: {size: 10pt}\n";
        let err = source(text).parse::<serde_norway::Value>().unwrap_err().to_string();
        assert!(err.starts_with("t.yaml:4:3: `styles.body` is written twice: here and at line 2, column 3"), "{err}");
        // The same key in two different mappings is fine.
        assert!(source("a: {x: 1}\nb: {x: 2}\n").parse::<serde_norway::Value>().is_ok());
    }

    #[test]
    fn positions_in_a_substituted_text_point_into_the_file_as_written() {
        let written = source("{a: \"{var.long}\", b: x}\n");
        let splice = Splice { line: 1, column: 6, len: 14, written_column: 6, written_len: 10 };
        let s = Source::substituted(&written, "{a: \"abcdefghijklmn\", b: x}\n".into(), vec![splice]);
        assert_eq!(s.place(1, 2).column, 2);
        assert_eq!(s.place(1, 9).column, 6, "inside the value: the placeholder");
        assert_eq!(s.place(1, 23).column, 19, "after it: moved back by the difference");
        assert_eq!(s.place(1, 23).source_line.as_deref(), Some("{a: \"{var.long}\", b: x}"));
        assert_eq!(s.locate("b").column, 22, "the value `x`, as written");
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let err = source(&format!("a: {}", "[".repeat(100_000))).parse::<HashMap<String, String>>().unwrap_err();
        assert!(err.to_string().contains("nests deeper than 32"), "{err}");
    }

    #[test]
    fn a_misspelt_key_gets_a_suggestion() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            column_rules: bool,
            columns: u32,
        }
        let err = source("colum_rules: true\n").parse::<T>().unwrap_err().to_string();
        assert!(err.contains("unknown field `colum_rules`") && err.contains("did you mean `column_rules`?"), "{err}");
        let err = source("zzzzzz: true\n").parse::<T>().unwrap_err().to_string();
        assert!(!err.contains("did you mean"), "{err}");
    }

    #[test]
    fn empty_file_is_an_error() {
        let err = source("  \n").parse::<HashMap<String, String>>().unwrap_err().to_string();
        assert!(err.contains("t.yaml:1:1"), "{err}");
        assert!(err.contains("empty"), "{err}");
    }

    #[test]
    fn syntax_error_has_line_column_and_snippet() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            a: u32,
        }
        let err = source("a: 1\nb: [2, 3\n").parse::<T>().unwrap_err().to_string();
        assert!(err.starts_with("t.yaml:3:1: "), "{err}");
        let err = source("# comment\na: x\n").parse::<T>().unwrap_err().to_string();
        assert!(err.starts_with("t.yaml:2:4: a: invalid type: string \"x\", expected u32"), "{err}");
        assert!(err.contains("2 | a: x\n  |    ^"), "{err}");
    }
}
