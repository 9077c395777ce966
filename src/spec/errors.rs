//! Errors that know how Chinese designers type: a full-width colon or comma (：，) where
//! YAML wants an ASCII one, `key:value` without the space, curly quotes (“”) taken for
//! YAML's, full-width parentheses and commas in a colour, 号 names typed with a digit or
//! the wrong character (5号, 小5, 五好), and a photo named with the other spelling of its
//! extension (x.jpeg for x.jpg). The YAML reader reports most of these somewhere else (the
//! next line, the mapping above) with a message that does not say what is wrong; these
//! checks find the keystroke and say the fix.

use std::path::{Path, PathBuf};

use super::units::HAO_SIZES;

/// A mistake found in the text: 1-based line and column (in characters), what to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Full-width characters that look like YAML's syntax, and their ASCII forms.
const FULL_WIDTH: &[(char, char, &str)] = &[
    ('：', ':', "colon"),
    ('，', ',', "comma"),
    ('（', '(', "parenthesis"),
    ('）', ')', "parenthesis"),
    ('“', '"', "quotation mark"),
    ('”', '"', "quotation mark"),
    ('［', '[', "bracket"),
    ('］', ']', "bracket"),
    ('｛', '{', "brace"),
    ('｝', '}', "brace"),
];

fn ascii_of(c: char) -> Option<(char, &'static str)> {
    FULL_WIDTH.iter().find(|(f, ..)| *f == c).map(|&(_, a, name)| (a, name))
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The first typing mistake of a YAML file that did not parse, if there is one the
/// reader's error would hide: `error_line` is where the reader stopped (a curly quote is
/// only blamed there or on the line above, since “…” is also ordinary text).
pub fn typing_mistake(text: &str, error_line: usize) -> Option<Mistake> {
    let mut block_scalar_indent: Option<usize> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let chars: Vec<char> = raw.chars().collect();
        let indent = chars.iter().take_while(|&&c| c == ' ').count();
        // Inside a `|` or `>` block everything is text.
        if let Some(block) = block_scalar_indent {
            if indent > block || raw.trim().is_empty() {
                continue;
            }
            block_scalar_indent = None;
        }
        let mut i = indent;
        if chars.get(i) == Some(&'#') {
            continue;
        }
        while chars.get(i) == Some(&'-') && chars.get(i + 1) == Some(&' ') {
            i += 2;
            while chars.get(i) == Some(&' ') {
                i += 1;
            }
        }
        let key_start = i;
        while chars.get(i).is_some_and(|&c| is_key_char(c)) {
            i += 1;
        }
        let key: String = chars[key_start..i].iter().collect();
        let key_ok = !key.is_empty() && key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        let after = chars.get(i).copied();
        let column = i + 1;
        if key_ok && after == Some('：') {
            let value: String = chars[i + 1..].iter().collect::<String>().trim().to_string();
            return Some(Mistake {
                line: line_no,
                column,
                message: format!(
                    "a full-width colon `：` after `{key}`: YAML needs an ASCII colon and a space; write `{key}: {value}`"
                ),
            });
        }
        if key_ok && after == Some(':') {
            match chars.get(i + 1) {
                Some(&c) if c != ' ' && c != '\t' && c != ':' && c != '/' => {
                    let value: String = chars[i + 1..].iter().collect();
                    return Some(Mistake {
                        line: line_no,
                        column: column + 1,
                        message: format!(
                            "`{key}:{value}` has no space after the colon, so YAML reads it as one string; write `{key}: {value}`"
                        ),
                    });
                }
                _ => {}
            }
            let value_start = (i + 1..chars.len()).find(|&j| chars[j] != ' ').unwrap_or(chars.len());
            if matches!(chars.get(value_start), Some('|' | '>')) {
                block_scalar_indent = Some(indent);
                continue;
            }
            if let Some(m) = in_value(&chars, value_start, line_no, error_line) {
                return Some(m);
            }
        } else if key_start > indent || chars.get(key_start).is_some_and(|&c| c == '[' || c == '{') {
            // A list item that is not a mapping: `- [1，2]`, `- {id：x}`, `- “…”`.
            if let Some(m) = in_value(&chars, key_start, line_no, error_line) {
                return Some(m);
            }
        }
    }
    None
}

/// Mistakes in a value from `start`: full-width punctuation inside a flow collection
/// (`[1，2]`, `{id：hero}`), a value opened with a curly quote.
fn in_value(chars: &[char], start: usize, line_no: usize, error_line: usize) -> Option<Mistake> {
    let first = *chars.get(start)?;
    if (first == '“' || first == '”') && (line_no == error_line || line_no + 1 == error_line) {
        return Some(Mistake {
            line: line_no,
            column: start + 1,
            message: "a curly quotation mark `“` opens this value: to YAML it is text, not a quote; quote with ASCII `\"…\"` (curly quotes may stand inside them)".into(),
        });
    }
    if first != '[' && first != '{' {
        return None;
    }
    let mut quote: Option<char> = None;
    for (j, &c) in chars.iter().enumerate().skip(start) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && chars.get(j.wrapping_sub(1)) == Some(&' ') => return None,
            None => {
                if let Some((ascii, name)) = ascii_of(c) {
                    let close = if first == '[' { ']' } else { '}' };
                    return Some(Mistake {
                        line: line_no,
                        column: j + 1,
                        message: format!(
                            "a full-width {name} `{c}` inside `{first}…{close}`: YAML's syntax needs the ASCII `{ascii}` (and a space after `:` or `,`)"
                        ),
                    });
                }
            }
        }
    }
    None
}

/// What a mistyped 号 name meant: `5号` → 五号, `小5` → 小五, `五好` → 五号, `五号字` → 五号.
pub fn hao_suggestion(text: &str) -> Option<&'static str> {
    let digits = ['初', '一', '二', '三', '四', '五', '六', '七', '八'];
    let mut s: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '0'..='8' => digits[c as usize - '0' as usize],
            '０'..='８' => digits[c as usize - '０' as usize],
            '好' | '毫' | '浩' | '昊' | '豪' => '号',
            other => other,
        })
        .collect();
    if let Some(rest) = s.strip_suffix('字') {
        s = rest.to_string();
    }
    // 小五号 is said for 小五.
    if s.starts_with('小') {
        if let Some(rest) = s.strip_suffix('号') {
            s = rest.to_string();
        }
    } else if s.chars().count() == 1 {
        s.push('号');
    }
    HAO_SIZES.iter().find(|(name, _)| *name == s && s != text.trim()).map(|(name, _)| *name)
}

/// A colour typed with full-width punctuation (`cmyk(0，100，100，10)`, `cmyk（…）`):
/// the message naming the characters and the colour as it should be written.
pub fn full_width_in_colour(text: &str) -> Option<String> {
    let found: Vec<char> = text.chars().filter(|c| matches!(c, '，' | '（' | '）' | '：' | '、')).collect();
    if found.is_empty() {
        return None;
    }
    let fixed: String = text
        .chars()
        .map(|c| match c {
            '，' | '、' => ',',
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect::<String>()
        .replace(',', ", ")
        .replace(",  ", ", ");
    let commas = found.iter().filter(|&&c| c == '，' || c == '、').count();
    let what = match (commas, found.len() - commas) {
        (0, _) => "full-width parentheses （）".to_string(),
        (n, 0) => format!("{n} full-width comma(s) ，"),
        (n, _) => format!("{n} full-width comma(s) ， and full-width parentheses （）"),
    };
    Some(format!("`{text}` has {what}: a colour is written with ASCII ones, `{fixed}`"))
}

/// What a colour typed as on screen means in print: `#404040` → the `rgb(…)` it is, with
/// a grey's `cmyk(…)`; `red` → a process red. Empty when it is neither.
pub fn colour_hint(text: &str) -> String {
    let hex = text.strip_prefix('#').filter(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
    if let Some(h) = hex {
        let v = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0);
        let (r, g, b) = (v(0), v(2), v(4));
        let grey = if r == g && g == b {
            format!(", or as a grey in black ink only `cmyk(0, 0, 0, {})`", ((255 - r as u32) * 100 + 127) / 255)
        } else {
            String::new()
        };
        return format!("; a hex colour is a screen (RGB) colour: write `rgb({r}, {g}, {b})`{grey}");
    }
    let named = [
        ("red", "cmyk(0, 100, 100, 0)"),
        ("blue", "cmyk(100, 70, 0, 0)"),
        ("green", "cmyk(80, 0, 100, 0)"),
        ("yellow", "cmyk(0, 0, 100, 0)"),
        ("grey", "cmyk(0, 0, 0, 50)"),
        ("gray", "cmyk(0, 0, 0, 50)"),
        ("红", "cmyk(0, 100, 100, 0)"),
        ("红色", "cmyk(0, 100, 100, 0)"),
        ("黑", "black"),
        ("黑色", "black"),
    ];
    match named.iter().find(|(n, _)| n.eq_ignore_ascii_case(text)) {
        Some((n, c)) => format!("; only `black` and `white` have names: for {n} write `{c}`"),
        None => String::new(),
    }
}

/// A file beside `path` that is what the designer meant: the same name with the other
/// spelling of the extension (`.jpeg`/`.jpg`, `.tif`/`.tiff`) or in another case.
pub fn similar_file(path: &Path) -> Option<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let stem = path.file_stem()?.to_str()?.to_lowercase();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    let same_kind = |a: &str, b: &str| {
        fn family(e: &str) -> &str {
            match e {
                "jpg" | "jpeg" | "jpe" => "jpeg",
                "tif" | "tiff" => "tiff",
                "otf" | "ttf" | "ttc" | "otc" => "font",
                other => other,
            }
        }
        family(a) == family(b)
    };
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.as_path() != path)
        .filter(|p| {
            let s = p.file_stem().and_then(|s| s.to_str()).map(str::to_lowercase);
            let e = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
            s.as_deref() == Some(stem.as_str()) && same_kind(&e, &ext)
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mistake(yaml: &str) -> Option<Mistake> {
        typing_mistake(yaml, usize::MAX)
    }

    #[test]
    fn a_full_width_colon_after_a_key_is_found_where_it_is() {
        let m = mistake("grid:\n  columns：5\n  column_chars: 13\n").unwrap();
        assert_eq!((m.line, m.column), (2, 10));
        assert!(m.message.contains("write `columns: 5`"), "{}", m.message);
        let m = mistake("headline:\n  kicker：城市更新\n  title: [a]\n").unwrap();
        assert_eq!((m.line, m.column), (2, 9));
        assert!(m.message.contains("`kicker: 城市更新`"));
        let m = mistake("photos:\n  - id：lake\n").unwrap();
        assert_eq!((m.line, m.column), (2, 7));
    }

    #[test]
    fn a_key_without_the_space_after_its_colon() {
        let m = mistake("grid:\n  columns:5\n").unwrap();
        assert_eq!((m.line, m.column), (2, 11));
        assert!(m.message.contains("write `columns: 5`"));
        // A colon inside a value, a URL, a time: not mistakes.
        assert_eq!(mistake("title: 图：湖光\nnote: \"a:b\"\nkey: 12:30\n"), None);
        assert_eq!(mistake("text: |\n  a:b\n  columns:5\nnext: 1\n"), None);
    }

    #[test]
    fn full_width_commas_and_colons_in_flow_collections_and_curly_quotes() {
        let m = mistake("pages:\n  - frames:\n    - {id: hero， kind: picture}\n").unwrap();
        assert_eq!((m.line, m.column), (3, 16));
        assert!(m.message.contains("full-width comma `，` inside `{…}`"), "{}", m.message);
        let m = mistake("title: [闲置空间， 华丽转变]\n").unwrap();
        assert!(m.message.contains("comma"));
        assert_eq!(mistake("title: [\"闲置空间，\", 华丽转变]\n"), None, "inside quotes it is text");
        let m = typing_mistake("a: 1\ntitle: “城市: 更新”\n", 2).unwrap();
        assert_eq!((m.line, m.column), (2, 8));
        assert_eq!(typing_mistake("title: “城市”\nb: 1\nc: [\n", 3), None, "curly quotes far from the error are text");
    }

    #[test]
    fn hao_names_typed_with_a_digit_or_the_wrong_character() {
        assert_eq!(hao_suggestion("五好"), Some("五号"));
        assert_eq!(hao_suggestion("5号"), Some("五号"));
        assert_eq!(hao_suggestion("小5"), Some("小五"));
        assert_eq!(hao_suggestion("小五号"), Some("小五"));
        assert_eq!(hao_suggestion("五号字"), Some("五号"));
        assert_eq!(hao_suggestion("0号"), Some("初号"));
        assert_eq!(hao_suggestion("五号"), None, "a right name needs no suggestion");
        assert_eq!(hao_suggestion("9pt"), None);
    }

    #[test]
    fn colours_with_full_width_commas() {
        let m = full_width_in_colour("cmyk(0，100，100，10)").unwrap();
        assert!(m.contains("3 full-width comma(s)") && m.contains("`cmyk(0, 100, 100, 10)`"), "{m}");
        assert!(full_width_in_colour("cmyk（0, 0, 0, 100）").unwrap().contains("parentheses"));
        assert_eq!(full_width_in_colour("cmyk(0, 0, 0, 100)"), None);
    }

    #[test]
    fn screen_colours_get_their_print_forms() {
        assert_eq!(
            colour_hint("#404040"),
            "; a hex colour is a screen (RGB) colour: write `rgb(64, 64, 64)`, or as a grey in black ink only `cmyk(0, 0, 0, 75)`"
        );
        assert!(colour_hint("red").contains("`cmyk(0, 100, 100, 0)`"));
        assert_eq!(colour_hint("cmyk(1,2)"), "");
    }

    #[test]
    fn the_other_spelling_of_an_extension_beside_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.jpg"), b"j").unwrap();
        std::fs::write(dir.path().join("y.png"), b"p").unwrap();
        assert_eq!(similar_file(&dir.path().join("x.jpeg")), Some(dir.path().join("x.jpg")));
        assert_eq!(similar_file(&dir.path().join("X.JPG")), Some(dir.path().join("x.jpg")));
        assert_eq!(similar_file(&dir.path().join("y.jpg")), None, "another kind of file is not meant");
        assert_eq!(similar_file(&dir.path().join("z.jpg")), None);
    }
}
