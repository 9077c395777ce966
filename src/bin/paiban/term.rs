//! What the commands print and where: diagnostics labelled by their severity (red, yellow
//! and cyan on a terminal; plain in a pipe, a log or with `NO_COLOR`), as much as
//! `--quiet` / `--verbose` ask for, or one JSON object per edition for a machine.

use std::io::IsTerminal;
use std::path::Path;

use paiban::diagnostic::{Diagnostic, Diagnostics, Severity};

/// How much the commands print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// The two output streams and how much goes to them.
pub struct Term {
    pub verbosity: Verbosity,
    /// Whether stdout and stderr take colour: terminals, and NO_COLOR not set.
    colour_out: bool,
    colour_err: bool,
}

impl Term {
    pub fn new(verbosity: Verbosity) -> Term {
        let wanted = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Term {
            verbosity,
            colour_out: wanted && std::io::stdout().is_terminal(),
            colour_err: wanted && std::io::stderr().is_terminal(),
        }
    }

    pub fn quiet(&self) -> bool {
        self.verbosity == Verbosity::Quiet
    }

    pub fn verbose(&self) -> bool {
        self.verbosity == Verbosity::Verbose
    }

    /// Text as it is, on stdout.
    pub fn say(&self, text: &str) {
        print!("{text}");
    }

    /// A diagnostic for stdout (warnings and notes of a summary), after `lead`.
    pub fn out(&self, d: &Diagnostic, lead: &str) -> String {
        render(d, lead, self.colour_out)
    }

    /// A diagnostic for stderr, after `lead`.
    pub fn err(&self, d: &Diagnostic, lead: &str) -> String {
        render(d, lead, self.colour_err)
    }

    /// An error on stderr, on its own.
    pub fn fail(&self, d: &Diagnostic) {
        eprint!("{}", self.err(d, ""));
    }

    /// A problem before any edition: on stderr, or as a JSON line with no edition; exit 1.
    pub fn refuse(&self, d: Diagnostic, json: bool) -> std::process::ExitCode {
        if json {
            print!("{}", json_line(None, &Diagnostics::from_iter([d]), serde_json::json!({})));
        } else {
            self.fail(&d);
        }
        std::process::ExitCode::from(1)
    }

    /// An error message on stderr, on its own.
    pub fn fail_with(&self, message: impl Into<String>) {
        self.fail(&Diagnostic::error(message));
    }
}

/// `lead`, the label, the diagnostic; its further lines (the snippet, the hint) indented.
pub fn render(d: &Diagnostic, lead: &str, colour: bool) -> String {
    let label = d.severity.label();
    let label = match (colour, d.severity) {
        (false, _) => format!("{label}:"),
        (true, Severity::Error) => format!("\x1b[1;31m{label}:\x1b[0m"),
        (true, Severity::Warning) => format!("\x1b[33m{label}:\x1b[0m"),
        (true, Severity::Note) => format!("\x1b[36m{label}:\x1b[0m"),
    };
    let text = d.to_string();
    if lead.is_empty() {
        // Alone on a line, an error reads as the README shows it: the snippet unindented.
        return format!("{label} {text}\n");
    }
    let indent = if lead.trim().is_empty() { format!("{lead}  ") } else { "    ".into() };
    let mut lines = text.lines();
    let mut out = format!("{lead}{label} {}\n", lines.next().unwrap_or_default());
    for line in lines {
        out.push_str(&indent);
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// One edition's JSON line: its file (`null` for a problem before any edition), whether it
/// went well, `extra` fields, and its diagnostics.
pub fn json_line(edition: Option<&Path>, diagnostics: &Diagnostics, extra: serde_json::Value) -> String {
    let mut object = serde_json::json!({
        "edition": edition.map(|e| e.display().to_string()),
        "ok": !diagnostics.has_errors(),
        "diagnostics": diagnostics.iter().map(Diagnostic::to_json).collect::<Vec<_>>(),
    });
    if let (Some(object), serde_json::Value::Object(extra)) = (object.as_object_mut(), extra) {
        object.extend(extra);
    }
    format!("{object}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_coloured_only_on_a_terminal_and_by_severity_not_by_text() {
        let warning = Diagnostic::warning("RGB photo");
        assert_eq!(render(&warning, "  ", false), "  warning: RGB photo\n");
        assert_eq!(render(&warning, "  ", true), "  \x1b[33mwarning:\x1b[0m RGB photo\n");
        let error = Diagnostic::error("overset");
        assert_eq!(render(&error, "", true), "\x1b[1;31merror:\x1b[0m overset\n");
        // A message that itself says "warning:" is an error all the same.
        let odd = Diagnostic::error("warning: this text is not a label");
        assert_eq!(render(&odd, "a.yaml: ", false), "a.yaml: error: warning: this text is not a label\n");
        let note = Diagnostic::note("n").with_hint("h");
        assert_eq!(render(&note, "  ", false), "  note: n\n      hint: h\n");
    }

    #[test]
    fn a_json_line_is_one_object_with_every_diagnostic() {
        let mut all = Diagnostics::new();
        all.warning("w");
        all.error("e");
        let line = json_line(Some(Path::new("e.yaml")), &all, serde_json::json!({"pdf": null}));
        assert!(line.ends_with('\n') && line.trim_end().lines().count() == 1);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["edition"], "e.yaml");
        assert_eq!(v["ok"], false);
        assert_eq!(v["diagnostics"][1]["severity"], "error");
        assert!(v["pdf"].is_null() && v.get("pdf").is_some());
    }
}
