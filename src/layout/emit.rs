//! Emit: a laid-out thread's lines into the display list, in reading order, each with the
//! band its style paints behind it.

use super::display::{DisplayList, Item, LineRole};
use super::flow::{baseline, text_line, Slot};
use super::origin::Origins;
use super::thread::{PreparedBlock, ThreadLayout};

/// Push the lines of `laid` onto their pages, noting each line's frame and column in `origins`.
pub fn thread_lines(
    laid: &ThreadLayout,
    blocks: &[PreparedBlock],
    slots: &[Slot],
    display: &mut DisplayList,
    origins: &mut Origins,
) {
    for placed in &laid.lines {
        let PreparedBlock { block, style, .. } = &blocks[placed.block];
        let (place, line) = (&placed.place, &placed.line);
        let items = &mut display.pages[slots[place.slot].page].items;
        if let Some(color) = style.background {
            items.push(Item::Fill { x: place.left, y: place.top, width: place.width, height: style.leading, color });
        }
        let role = if block.keep_with_next { LineRole::Heading } else { LineRole::Body };
        let base = baseline(place.top, style.leading, style.size);
        let mut item = text_line(line, place.left, base, style.color, role, &block.origin);
        if let Item::Text(t) = &mut item {
            t.loose = super::thread::is_loose(style, line);
        }
        items.push(item);
        let slot = &slots[place.slot];
        origins.line_pushed(display, slot.page, slot.frame, slot.column);
    }
}
