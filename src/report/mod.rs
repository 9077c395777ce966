//! Report: what a build did, for the designer: per thread the frames, columns and lines
//! used, overset and underset, and composition figures (loose lines, stretch).

use std::fmt::Write;

use crate::layout::{Composition, LineRole};

/// Figures for one built edition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub pages: usize,
    pub lines: usize,
    /// Body lines whose justification added more than a quarter em per gap.
    pub loose_lines: usize,
    /// The largest justification stretch of a body line, in em.
    pub max_stretch_em: f32,
    pub threads: Vec<crate::layout::ThreadReport>,
    pub warnings: Vec<String>,
}

/// Stretch per gap above which a line counts as loose (clreq §6; house style).
pub const LOOSE_EM: f32 = 0.25;

pub fn summarize(c: &Composition) -> Summary {
    let mut s = Summary {
        pages: c.display.pages.len(),
        threads: c.threads.clone(),
        warnings: c.warnings.clone(),
        ..Summary::default()
    };
    for line in c.display.lines().filter(|l| l.role == LineRole::Body) {
        s.lines += 1;
        let size = line.glyphs.first().map_or(1.0, |g| g.size);
        let em = line.stretch_per_gap / size;
        s.max_stretch_em = s.max_stretch_em.max(em);
        if em > LOOSE_EM {
            s.loose_lines += 1;
        }
    }
    s
}

impl Summary {
    /// A few lines for the terminal.
    pub fn render(&self, name: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{name}: {} page(s), {} body lines, {} loose (> {LOOSE_EM} em per gap), max stretch {:.3} em",
            self.pages, self.lines, self.loose_lines, self.max_stretch_em
        );
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
            let _ = writeln!(out, ", {} empty lines left", t.underset_lines);
        }
        for w in &self.warnings {
            let _ = writeln!(out, "  warning: {w}");
        }
        out
    }
}
