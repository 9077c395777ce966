//! Key paths as a designer reads them. The program finds places by key path
//! (`pages[0].frames[3].lines`, `sections[1].paragraphs[0]`), counting list items from 0 as
//! YAML's readers do; the page says 第1版 and the designer knows frames and sections by
//! their ids. A message therefore says `page 1, frame `headline`, `lines`` and
//! `section `party`, paragraph 1`: pages and other list items counted from 1, frames,
//! sections, photos and stories by their `id:` (by number where they have none).

/// What an item of a list is called, by the list's key: `paragraphs[2]` is "paragraph 3".
/// Lists not named here are "`KEY` item N".
const NOUNS: &[(&str, &str)] = &[
    ("pages", "page"),
    ("frames", "frame"),
    ("sections", "section"),
    ("photos", "photo"),
    ("stories", "story"),
    ("paragraphs", "paragraph"),
    ("intro", "intro paragraph"),
    ("lead", "lead paragraph"),
    ("closing", "closing paragraph"),
    ("body", "body item"),
    ("title", "title line"),
    ("list", "list item"),
    ("points", "point"),
    ("font", "font"),
    ("bold", "bold font"),
];

/// The lists whose items are named by their `id:` in messages.
const BY_ID: &[&str] = &["frames", "sections", "photos", "stories"];

/// `key_path` in words: `pages[0].frames[3].lines` → ``page 1, frame `headline`, `lines```.
/// `id_of` gives the `id:` written under a key path (`pages[0].frames[3]` → `headline`).
/// A path without a list index is returned as it is (`styles.body.leading`).
pub fn readable<'a>(key_path: &str, id_of: impl Fn(&str) -> Option<&'a str>) -> String {
    if !key_path.contains('[') {
        return key_path.to_owned();
    }
    let mut parts: Vec<String> = Vec::new();
    // Plain keys since the last list item, shown together as one dotted key.
    let mut plain: Vec<&str> = Vec::new();
    let mut prefix = String::new();
    for segment in key_path.split('.') {
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(segment);
        let Some((name, indices)) = segment.split_once('[') else {
            plain.push(segment);
            continue;
        };
        let indices: Vec<usize> =
            indices.split('[').filter_map(|i| i.strip_suffix(']').and_then(|n| n.parse().ok())).collect();
        let noun = match NOUNS.iter().find(|(list, _)| *list == name) {
            Some((_, noun)) => {
                if !plain.is_empty() {
                    parts.push(format!("`{}`", plain.join(".")));
                }
                (*noun).to_owned()
            }
            None => {
                plain.push(name);
                format!("`{}` item", plain.join("."))
            }
        };
        plain.clear();
        for (k, index) in indices.iter().enumerate() {
            let id = (k + 1 == indices.len() && BY_ID.contains(&name)).then(|| id_of(&prefix)).flatten();
            parts.push(match id {
                Some(id) => format!("{noun} `{id}`"),
                None => format!("{noun} {}", index + 1),
            });
        }
    }
    if !plain.is_empty() {
        parts.push(format!("`{}`", plain.join(".")));
    }
    parts.join(", ")
}

/// `message` with every key path in it that has a list index made [`readable`]; the rest
/// of the text is left as it is.
pub fn readable_in<'a>(message: &str, id_of: impl Fn(&str) -> Option<&'a str> + Copy) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = next_key_path(rest) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let len = key_path_len(from);
        let path = &from[..len];
        if path.contains('[') {
            out.push_str(&readable(path, id_of));
        } else {
            out.push_str(path);
        }
        rest = &from[len..];
    }
    out.push_str(rest);
    out
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Where the next word that starts a key path (`name[` or `name.`) begins in `text`: an
/// ASCII name not preceded by a name character.
fn next_key_path(text: &str) -> Option<usize> {
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        let starts = c.is_ascii_lowercase() && !previous.is_some_and(|p| is_key_char(p) || p == '.' || p == ']');
        if starts {
            let len = key_path_len(&text[i..]);
            if text[i..i + len].contains('[') {
                return Some(i);
            }
        }
        previous = Some(c);
    }
    None
}

/// The length of the key path at the start of `text`: names, `.name` and `[N]`, ending
/// before a `.` that is not followed by a name (the full stop of a sentence).
fn key_path_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    let name = |i: usize| bytes[i..].iter().take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_').count();
    i += name(i);
    loop {
        match bytes.get(i) {
            Some(b'[') => {
                let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
                if digits == 0 || bytes.get(i + 1 + digits) != Some(&b']') {
                    return i;
                }
                i += digits + 2;
            }
            Some(b'.') if bytes.get(i + 1).is_some_and(|b| b.is_ascii_lowercase()) => {
                i += 1 + name(i + 1);
            }
            _ => return i,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(path: &str) -> Option<&'static str> {
        match path {
            "pages[0].frames[3]" => Some("headline"),
            "sections[1]" => Some("party"),
            "photos[2]" => Some("park"),
            "stories[1]" => Some("metro"),
            _ => None,
        }
    }

    #[test]
    fn frames_and_sections_by_id_pages_and_paragraphs_from_one() {
        assert_eq!(readable("pages[0].frames[3].lines", ids), "page 1, frame `headline`, `lines`");
        assert_eq!(readable("pages[0].frames[3]", ids), "page 1, frame `headline`");
        assert_eq!(readable("pages[1]", ids), "page 2");
        assert_eq!(readable("pages[0].frames[3].wrap.offset", ids), "page 1, frame `headline`, `wrap.offset`");
        assert_eq!(readable("sections[1].paragraphs[0]", ids), "section `party`, paragraph 1");
        assert_eq!(readable("sections[1].title", ids), "section `party`, `title`");
        assert_eq!(readable("photos[2].caption", ids), "photo `park`, `caption`");
        assert_eq!(readable("stories[1].body[3].quote", ids), "story `metro`, body item 4, `quote`");
        assert_eq!(readable("headline.title[0]", ids), "`headline`, title line 1");
        assert_eq!(readable("closing[1]", ids), "closing paragraph 2");
        assert_eq!(readable("styles.body.font[1]", ids), "`styles.body`, font 2");
        assert_eq!(readable("pages[0].frames[3].focus[1]", ids), "page 1, frame `headline`, `focus` item 2");
    }

    #[test]
    fn an_item_without_an_id_is_counted_from_one() {
        assert_eq!(readable("pages[1].frames[0].lines", ids), "page 2, frame 1, `lines`");
        assert_eq!(readable("sections[4]", ids), "section 5");
    }

    #[test]
    fn a_path_without_an_index_stays_as_written() {
        assert_eq!(readable("styles.body.leading", ids), "styles.body.leading");
        assert_eq!(readable_in("styles.body.leading: too much", ids), "styles.body.leading: too much");
    }

    #[test]
    fn key_paths_in_a_message_are_rewritten_and_nothing_else() {
        assert_eq!(
            readable_in("pages[0].frames[3].lines: the headline of sections[1].paragraphs[0] is long.", ids),
            "page 1, frame `headline`, `lines`: the headline of section `party`, paragraph 1 is long."
        );
        assert_eq!(
            readable_in("no font covers 'x' (U+0078) in photos[2].caption; fonts tried: a", ids),
            "no font covers 'x' (U+0078) in photo `park`, `caption`; fonts tried: a"
        );
        // Not key paths: brackets without an index, or without a name before them.
        assert_eq!(readable_in("a[b], [1] and 第[1]版", ids), "a[b], [1] and 第[1]版");
        assert_eq!(readable_in("`pages[0]`", ids), "`page 1`");
    }
}
