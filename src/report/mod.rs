//! Report: what a build did, for the designer: per thread the frames, columns and lines
//! used, overset and underset, and composition figures (loose lines, stretch).

pub mod preflight;

use std::fmt::Write;

use crate::layout::{Composition, LineRole};

/// Figures for one built edition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub pages: usize,
    pub lines: usize,
    /// Justified body lines stretched beyond their style's `loose` threshold.
    pub loose_lines: usize,
    /// The largest justification stretch of a body line, in em.
    pub max_stretch_em: f32,
    /// Paragraphs whose single-character last line (孤字) was avoided by re-breaking.
    pub orphans_avoided: usize,
    /// Paragraphs that still end in a single-character last line.
    pub orphans_left: usize,
    pub overset_chars: usize,
    pub threads: Vec<crate::layout::ThreadReport>,
    /// What the copy-fit changed, and how many layouts it tried.
    pub fit_changes: Vec<String>,
    pub fit_tries: u32,
}

fn is_single_character_line(line: &crate::layout::TextLine) -> bool {
    let words = line.glyphs.iter().filter(|g| !crate::text::class_of(g.text).is_mark()).count();
    words == 1 && line.glyphs.len() <= 3
}

pub fn summarize(c: &Composition) -> Summary {
    let mut s = Summary {
        pages: c.display.pages.len(),
        threads: c.threads.clone(),
        overset_chars: c.threads.iter().map(|t| t.overset_chars).sum(),
        fit_changes: c.fit_changes.clone(),
        fit_tries: c.fit_tries,
        ..Summary::default()
    };
    let mut previous_origin = None;
    for line in c.display.lines().filter(|l| l.role == LineRole::Body) {
        s.lines += 1;
        let size = line.glyphs.first().map_or(1.0, |g| g.size);
        s.max_stretch_em = s.max_stretch_em.max(line.stretch_per_gap / size);
        s.loose_lines += usize::from(line.loose);
        if line.last {
            s.orphans_avoided += usize::from(line.orphan_avoided);
            let continued = previous_origin == Some(line.origin.as_str());
            s.orphans_left += usize::from(continued && is_single_character_line(line));
        }
        previous_origin = Some(line.origin.as_str());
    }
    s
}

impl Summary {
    /// A few lines for the terminal.
    pub fn render(&self, name: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{name}: {} page(s), {} body lines, {} loose, max stretch {:.3} em per gap, {} 孤字 avoided, {} left, {} overset",
            self.pages,
            self.lines,
            self.loose_lines,
            self.max_stretch_em,
            self.orphans_avoided,
            self.orphans_left,
            self.overset_chars
        );
        if self.fit_tries > 0 {
            let what =
                if self.fit_changes.is_empty() { "nothing changed".to_owned() } else { self.fit_changes.join(", ") };
            let _ = writeln!(out, "  copy-fit ({} tries): {what}", self.fit_tries);
        }
        for t in &self.threads {
            let _ =
                write!(out, "  thread {}: {} frame(s), {} column(s), {} lines", t.name, t.frames, t.columns, t.lines);
            if t.overset_chars > 0 {
                let _ = write!(
                    out,
                    ", OVERSET {} chars from {}",
                    t.overset_chars,
                    t.overset_from.as_deref().unwrap_or("?")
                );
            }
            if t.unfilled.is_empty() {
                let _ = writeln!(out, ", flush");
                continue;
            }
            let empty: u32 = t.unfilled.iter().map(crate::layout::ColumnReport::empty_lines).sum();
            let _ = writeln!(out, ", {empty} empty grid lines:");
            for c in &t.unfilled {
                let mut what = Vec::new();
                if c.foot > 0 {
                    what.push(format!("{} at the foot", c.foot));
                }
                for (line, n) in &c.holes {
                    what.push(format!("a hole of {n} at line {line}"));
                }
                let _ = writeln!(out, "    page {} frame {} column {}: {}", c.page, c.frame, c.column, what.join(", "));
            }
        }
        out
    }
}
