//! Jump lines (转版): where a thread's columns go on on a later page, the foot of the
//! column it leaves says `下转第{to}版` and the top of the column it resumes in says
//! `上接第{from}版`, in the `jump` role's style. The lines are reserved before the flow
//! (the columns are that much shorter, for the copy-fit too) and set after it, only
//! where the text does go on.

use super::display::{DisplayList, LineRole};
use super::flow::{baseline, text_line, Slot};
use super::thread::ThreadLayout;
use crate::error::Result;
use crate::fonts::FontBook;
use crate::model::Job;
use crate::spec::layout::Align;
use crate::text::{self, Config, StyledRun};

/// A jump of a thread from slot `from` (the last column on one page) to slot `from + 1`
/// (the first on a later page), and the height each reserved line takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Jump {
    pub from: usize,
    pub height: f32,
}

/// Reserve the jump lines in a thread's columns: where the next column is on another page,
/// this column loses its last grid lines and the next its first (as many as the jump
/// style's leading needs).
pub fn reserve(job: &Job, slots: &mut [Slot]) -> Vec<Jump> {
    let Some(jumps) = &job.jumps else { return Vec::new() };
    let style = job.style(jumps.style);
    let pitch = job.grid.pitch;
    let height = (style.leading / pitch - 0.01).ceil().max(1.0) * pitch;
    let mut out = Vec::new();
    for i in 1..slots.len() {
        if slots[i].page == slots[i - 1].page {
            continue;
        }
        // A column too short to give up a line keeps it: no jump line there.
        if slots[i - 1].bottom - slots[i - 1].top < 2.0 * height - 0.01
            || slots[i].bottom - slots[i].top < 2.0 * height - 0.01
        {
            continue;
        }
        slots[i - 1].bottom -= height;
        slots[i].top += height;
        out.push(Jump { from: i - 1, height });
    }
    out
}

/// Set the jump lines of the jumps the text makes: those after which it has lines.
pub fn emit(
    job: &Job,
    fonts: &FontBook,
    laid: &ThreadLayout,
    jumps: &[Jump],
    slots: &[Slot],
    display: &mut DisplayList,
) -> Result<()> {
    let Some(spec) = &job.jumps else { return Ok(()) };
    let style = job.style(spec.style);
    let last_slot = laid.lines.iter().map(|l| l.place.slot).max();
    for jump in jumps.iter().filter(|j| last_slot.is_some_and(|s| s > j.from)) {
        let (leave, resume) = (&slots[jump.from], &slots[jump.from + 1]);
        let to = (resume.page + 1).to_string();
        let from = (leave.page + 1).to_string();
        let lines = [
            (spec.to.replace("{to}", &to).replace("{from}", &from), leave, leave.bottom, Align::End),
            (spec.from.replace("{from}", &from).replace("{to}", &to), resume, resume.top - jump.height, Align::Start),
        ];
        for (words, slot, top, align) in lines {
            let run =
                [StyledRun { text: &words, fonts: &style.fonts, size: style.size, tracking: style.tracking, tag: 0 }];
            let config = Config { align, ..style.display };
            let set = text::set_paragraph(&run, fonts, &config, slot.width)
                .map_err(|e| super::uncovered(job, fonts, "jumps", e))?;
            if set.len() != 1 || set[0].overfull {
                return Err(job
                    .layout_source
                    .error("jumps", format!("the jump line `{words}` does not fit on one line of its column")));
            }
            let base = baseline(top, jump.height, style.size);
            display.pages[slot.page].items.push(text_line(
                &set[0],
                slot.left,
                base,
                style.color,
                LineRole::Folio,
                "jumps",
            ));
        }
    }
    Ok(())
}
