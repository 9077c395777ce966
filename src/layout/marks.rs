//! Printer's marks outside the bleed: crop marks at the trim corners, registration
//! targets at the middle of each side, and a slug line naming the edition, date and page.
//! They are drawn in registration colour (all four plates) so every plate can be aligned.

use super::display::{Item, LineRole};
use super::flow::text_line;
use super::wrap::Outline;
use crate::fonts::FontBook;
use crate::model::Job;
use crate::spec::layout::{Align, Color};
use crate::text::{self, StyledRun};

const MARK_WIDTH: f32 = 0.25;

/// The marks of page `page`, in trim coordinates (the trim's top-left is 0, 0).
pub fn marks(job: &Job, fonts: &FontBook, page: usize) -> Vec<Item> {
    let print = &job.print;
    let (w, h) = (job.page.width, job.page.height);
    let mut items = Vec::new();
    // Marks start a little outside the bleed and stop short of the media edge.
    let gap = crate::spec::units::Length::mm(1.0).0;
    let start = print.bleed + gap;
    let length = (print.slug - gap * 2.0).max(0.0);
    let rule = |x0, y0, x1, y1| Item::Rule { x0, y0, x1, y1, width: MARK_WIDTH, color: Color::REGISTRATION };
    if print.marks && length > 0.0 {
        for (x, y, dx, dy) in [(0.0, 0.0, -1.0, -1.0), (w, 0.0, 1.0, -1.0), (0.0, h, -1.0, 1.0), (w, h, 1.0, 1.0)] {
            items.push(rule(x + dx * start, y, x + dx * (start + length), y));
            items.push(rule(x, y + dy * start, x, y + dy * (start + length)));
        }
        let r = (length / 3.0).min(crate::spec::units::Length::mm(3.0).0);
        let centre = print.bleed + gap + length / 2.0;
        for (cx, cy) in [(w / 2.0, -centre), (w / 2.0, h + centre), (-centre, h / 2.0), (w + centre, h / 2.0)] {
            items.push(Item::Stroke {
                outline: Outline::Ellipse { cx, cy, rx: r, ry: r },
                width: MARK_WIDTH,
                color: Color::REGISTRATION,
            });
            items.push(rule(cx - r * 1.5, cy, cx + r * 1.5, cy));
            items.push(rule(cx, cy - r * 1.5, cx, cy + r * 1.5));
        }
    }
    if print.slug_line && print.slug > 6.0 {
        let style = job.style(job.roles.folio.unwrap_or(job.roles.body));
        let d = job.date;
        let text = format!(
            "{}　{}-{:02}-{:02}　第{}版　{}",
            job.edition.title,
            d.year,
            d.month,
            d.day,
            page + 1,
            concat!("paiban ", env!("CARGO_PKG_VERSION"))
        );
        let size = 6.0;
        let run = [StyledRun { text: &text, fonts: &style.fonts, size, tracking: 0.0, tag: 0 }];
        let config = text::Config { align: Align::Start, ..text::Config::default() };
        if let Ok(lines) = text::set_paragraph(&run, fonts, &config, w) {
            if let Some(line) = lines.first() {
                let baseline = h + print.bleed + gap + size;
                items.push(text_line(line, w / 2.0 + length, baseline, Color::BLACK, LineRole::Folio, "slug"));
            }
        }
    }
    items
}
