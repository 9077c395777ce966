//! Diagnostics: every error, warning and note any stage reports, in one type, with the
//! place in an input file it points at and a hint for the fix. Stages push into a
//! [`Diagnostics`] sink; the binary renders them (plain, coloured or JSON) without parsing
//! their text.

use std::fmt;

use serde::Serialize;

use crate::error::{Error, Location};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something to know that needs no action.
    Note,
    /// The output was made, but a designer should look.
    Warning,
    /// The output cannot be made (or must not go to press) until this is fixed.
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One finding: what is wrong, where, and what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// The place in an input file the message is about, when it has one.
    pub location: Option<Location>,
    /// How to fix it, when the message alone does not say.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity, message: message.into(), location: None, hint: None }
    }
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, message)
    }
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, message)
    }
    pub fn note(message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Note, message)
    }
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    /// Its message and hint rewritten by `f` (key paths in words: [`crate::model::Job::readable_in`]).
    pub fn reword(&mut self, f: &impl Fn(&str) -> String) {
        self.message = f(&self.message);
        if let Some(hint) = &mut self.hint {
            *hint = f(hint);
        }
    }

    /// The diagnostics an error stands for (several for an [`Error::Many`]).
    pub fn from_error(error: Error) -> Vec<Diagnostic> {
        error
            .into_list()
            .into_iter()
            .map(|e| match e {
                Error::Input { location, message } => Diagnostic::error(message).at(location),
                Error::Asset { what, path, problem, location } => {
                    Diagnostic::error(format!("{what} `{}` {problem}", path.display())).at(*location)
                }
                other => Diagnostic::error(other.to_string()),
            })
            .collect()
    }

    /// As JSON for a machine: severity, message, file, line, column, hint.
    pub fn to_json(&self) -> serde_json::Value {
        let loc = self.location.as_ref();
        serde_json::json!({
            "severity": self.severity,
            "message": self.message,
            "file": loc.map(|l| l.file.display().to_string()),
            "line": loc.map(|l| l.line),
            "column": loc.map(|l| l.column),
            "hint": self.hint,
        })
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: message`, the source line with a caret under the column, then the
    /// hint; without the severity label (the renderer puts it in front).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => {
                write!(f, "{loc}: {}", self.message)?;
                crate::error::write_snippet(f, loc)?;
            }
            None => write!(f, "{}", self.message)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The sink every stage reports into.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }
    pub fn error(&mut self, message: impl Into<String>) {
        self.push(Diagnostic::error(message));
    }
    pub fn warning(&mut self, message: impl Into<String>) {
        self.push(Diagnostic::warning(message));
    }
    pub fn note(&mut self, message: impl Into<String>) {
        self.push(Diagnostic::note(message));
    }
    /// Every diagnostic an error stands for.
    pub fn push_error(&mut self, error: Error) {
        self.items.extend(Diagnostic::from_error(error));
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }
    /// Every message and hint rewritten by `f` ([`Diagnostic::reword`]).
    pub fn reword(&mut self, f: &impl Fn(&str) -> String) {
        self.items.iter_mut().for_each(|d| d.reword(f));
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// Those of one severity.
    pub fn of(&self, severity: Severity) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(move |d| d.severity == severity)
    }
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl fmt::Display for Diagnostics {
    /// One diagnostic a line (a snippet takes more), without severity labels.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Error> for Diagnostics {
    fn from(error: Error) -> Diagnostics {
        Diagnostics { items: Diagnostic::from_error(error) }
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Diagnostics {
        Diagnostics { items: iter.into_iter().collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn an_input_error_keeps_its_place_and_prints_as_before() {
        let location = Location::new(Path::new("layout.yaml"), 2, 3, Some("a: 1\nb: x\n"));
        let error = Error::Input { location: location.clone(), message: "expected a number".into() };
        let printed = error.to_string();
        let d = Diagnostic::from_error(error);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location.as_ref(), Some(&location));
        assert_eq!(d[0].to_string(), printed, "the diagnostic reads exactly like the error it came from");
        assert_eq!(d[0].to_json()["line"], 2);
    }

    #[test]
    fn many_errors_become_many_diagnostics() {
        let one = Error::Pdf("a".into());
        let two = Error::Pdf("b".into());
        let all: Diagnostics = Error::from_list(vec![one, two]).into();
        assert_eq!(all.count(Severity::Error), 2);
        assert!(all.has_errors());
        let mut w = Diagnostics::new();
        w.warning("only a warning");
        assert!(!w.has_errors());
        assert_eq!(w.iter().next().map(|d| d.to_json()["severity"].clone()), Some(serde_json::json!("warning")));
    }
}
