//! The light inline markup of content paragraphs: `**bold**` (run-in heads), with `\*`
//! for a literal asterisk.

/// A stretch of text in one inline style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
}

/// Split a paragraph into runs. An unclosed `**` is an error giving the character
/// offset where it opened.
pub fn parse_inline(text: &str) -> Result<Vec<Run>, String> {
    let mut runs = Vec::new();
    let mut current = String::new();
    let mut bold = false;
    let mut opened_at = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|&(_, n)| n == '*' || n == '\\') => {
                current.push(chars.next().map(|(_, n)| n).unwrap_or(c));
            }
            '*' if chars.peek().is_some_and(|&(_, n)| n == '*') => {
                chars.next();
                if !current.is_empty() {
                    runs.push(Run { text: std::mem::take(&mut current), bold });
                }
                bold = !bold;
                opened_at = text[..i].chars().count();
            }
            _ => current.push(c),
        }
    }
    if bold {
        return Err(format!("`**` opened at character {} is never closed", opened_at + 1));
    }
    if !current.is_empty() {
        runs.push(Run { text: current, bold });
    }
    Ok(runs)
}

/// The paragraph's text without markup.
pub fn plain_text(text: &str) -> String {
    match parse_inline(text) {
        Ok(runs) => runs.into_iter().map(|r| r.text).collect(),
        Err(_) => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, bold: bool) -> Run {
        Run { text: text.into(), bold }
    }

    #[test]
    fn bold_run_in_head() {
        assert_eq!(
            parse_inline("**提升城市品质。**持续养护").unwrap(),
            vec![run("提升城市品质。", true), run("持续养护", false)]
        );
    }

    #[test]
    fn escapes_and_single_asterisks() {
        assert_eq!(parse_inline(r"a\*b*c").unwrap(), vec![run("a*b*c", false)]);
    }

    #[test]
    fn unclosed_bold_is_an_error() {
        let e = parse_inline("国国**国").unwrap_err();
        assert!(e.contains("character 3"), "{e}");
    }
}
