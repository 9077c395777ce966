//! Advice on a design that is valid but is probably not what was meant: a grid narrower
//! than the type area (the page then sits off centre), and a CMYK colour written in
//! fractions (`cmyk(0, 1, 1, 0.1)`: 1 % magenta, almost white) where paiban reads percent,
//! and a leading a little over a whole number of grid lines (`2em` of 16 pt on a 15.75 pt
//! grid), which the flow rounds up to one more line. Warnings only; the build goes on.

use crate::diagnostic::Diagnostic;
use crate::model::Job;
use crate::spec::units::PT_PER_MM;

/// Every piece of advice for a job.
pub fn warnings(job: &Job) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    found.extend(narrow_grid(job));
    found.extend(fractional_cmyk(job));
    found.extend(leading_snaps_up(job));
    found
}

/// A block in a thread ends on the grid: after its last line the flow moves down to the
/// next grid line. A leading of 2.03 lines (32 pt on a 15.75 pt pitch) therefore makes a
/// one-line title take 3 grid lines, a blank line under every title. Up to half a line
/// over is taken for a slip (a leading in em or points that was meant to be whole lines);
/// more than that may be meant, and is left alone.
fn leading_snaps_up(job: &Job) -> Vec<Diagnostic> {
    let pitch = job.grid.pitch;
    let mut used: Vec<usize> = job.threads.iter().flat_map(|t| t.blocks.iter().map(|b| b.style.0)).collect();
    used.sort_unstable();
    used.dedup();
    let mut found = Vec::new();
    for style in used.into_iter().map(|i| &job.styles[i]) {
        let asks = style.leading / pitch;
        let (whole, over) = (asks.floor(), asks - asks.floor());
        // The flow rounds up from 0.01 of a line over (layout::flow's `snap_to_grid`).
        if whole < 1.0 || over <= 0.01 || over >= 0.5 {
            continue;
        }
        let (whole, takes) = (whole as u32, whole as u32 + 1);
        let key = format!("styles.{}.leading", style.name);
        let at = job.layout_source.position(&key).unwrap_or_else(|| job.layout_source.locate(&key));
        let taken = takes as f32 * pitch;
        found.push(
            Diagnostic::warning(format!(
                "style `{}`: a leading of {:.2}pt is {asks:.2} grid lines of {pitch:.2}pt, and a block ends on a \
                 grid line, so a one-line block of it takes {takes} grid lines ({taken:.2}pt): {:.2}pt more \
                 than its leading, left empty under it",
                style.name,
                style.leading,
                taken - style.leading
            ))
            .at(at)
            .with_hint(format!(
                "write `leading: {whole} lines` ({:.2}pt) to keep it to {whole} grid line(s), or \
                 `leading: {takes} lines` if the space is meant",
                whole as f32 * pitch
            )),
        );
    }
    found
}

/// Up to this much grid short of the type area is the rounding of margins to a tenth of a
/// millimetre (the demo's is 0.17 mm), not a design.
const SLACK_MM: f32 = 0.5;

fn narrow_grid(job: &Job) -> Option<Diagnostic> {
    let grid = &job.grid;
    if grid.columns != grid.page_columns {
        return None; // a spread places its two grids between its own margins
    }
    let (need, area) = (grid.total_width(), job.page.area_width);
    let short = (area - need) / PT_PER_MM;
    if short <= SLACK_MM {
        return None;
    }
    let left = job.page.area_left / PT_PER_MM;
    let right = (job.page.width - job.page.area_left - area) / PT_PER_MM;
    Some(
        Diagnostic::warning(format!(
            "the grid is {:.2} mm wide ({} columns × {} 字 + gutters) but the type area is {:.2} mm: \
             {short:.2} mm stay empty at the right, so the type sits {:.2} mm off the page's centre",
            need / PT_PER_MM,
            grid.columns,
            grid.column_chars,
            area / PT_PER_MM,
            short / 2.0
        ))
        .at(job.layout_source.locate("page.margins"))
        .with_hint(format!(
            "to fit it, make the right margin {:.2}mm (from {right:.2}mm), or both margins {:.2}mm wider \
             (left {:.2}mm, right {:.2}mm) to keep it centred",
            right + short,
            short / 2.0,
            left + short / 2.0,
            right + short / 2.0
        )),
    )
}

/// `cmyk(…)` whose four numbers are all at most 1, not all 0: fractions, read as percent. Found in the layout's text, so the warning points at where it was written.
fn fractional_cmyk(job: &Job) -> Vec<Diagnostic> {
    let source = &job.layout_source;
    let mut found = Vec::new();
    for (n, line) in source.text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        let mut rest = code;
        while let Some(at) = rest.find("cmyk(") {
            let after = &rest[at + 5..];
            let Some(end) = after.find(')') else { break };
            let numbers: Vec<f32> =
                after[..end].split(',').filter_map(|p| p.trim().trim_end_matches('%').parse().ok()).collect();
            let fractions = numbers.len() == 4
                && numbers.iter().all(|&v| (0.0..=1.0).contains(&v))
                && numbers.iter().any(|&v| v > 0.0);
            if fractions {
                let written = &after[..end];
                let column = line.len() - rest.len() + at;
                let column = line[..column].chars().count() + 1;
                let percent: Vec<String> = numbers.iter().map(|v| format!("{}", (v * 100.0).round())).collect();
                found.push(
                    Diagnostic::warning(format!(
                        "`cmyk({written})` is in percent, so it is almost white (at most 1 % of any ink)"
                    ))
                    .at(crate::error::Location::new(&source.path, n + 1, column, Some(&source.text)))
                    .with_hint(format!("if those are fractions, write `cmyk({})`", percent.join(", "))),
                );
            }
            rest = &after[end..];
        }
    }
    found
}
