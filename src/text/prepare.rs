//! Prepare: turn styled runs into atoms, the units line breaking works on, and the
//! junctions between them. An atom is never split: one Han character or mark, a Latin
//! word, a number with its signs (¥100, 85%, 3.14), a —— or …… pair.

use super::classes::{class_of, Class};
use super::Config;
use crate::fonts::FontBook;

/// A stretch of text in one style, as the layout hands it over.
#[derive(Debug, Clone, Copy)]
pub struct StyledRun<'a> {
    pub text: &'a str,
    /// Font chain: indices into the [`FontBook`].
    pub fonts: &'a [usize],
    pub size: f32,
    /// Extra space after each atom, in points (letter-spacing for display type).
    pub tracking: f32,
    /// Passed through to the output glyphs, so the layout knows the run's style.
    pub tag: usize,
}

/// One glyph inside an atom.
#[derive(Debug, Clone, PartialEq)]
pub struct AtomGlyph {
    pub face: usize,
    pub id: u16,
    /// Offset from the atom's start, in points.
    pub x: f32,
    pub advance: f32,
    pub size: f32,
    /// The character this glyph shows, for copy and search (ToUnicode).
    pub text: char,
    pub tag: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    pub glyphs: Vec<AtomGlyph>,
    pub width: f32,
    /// Class of the first and the last character: what kinsoku looks at.
    pub first: Class,
    pub last: Class,
}

/// What lies between atom `i` and atom `i + 1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Junction {
    /// A line may end here.
    pub breakable: bool,
    /// Natural space here, in points (a typed space, tracking).
    pub glue: f32,
    /// Justification may widen this gap.
    pub stretchable: bool,
    /// The glue vanishes when the line breaks here (a typed space).
    pub discardable: bool,
}

/// A paragraph ready for line breaking.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    pub atoms: Vec<Atom>,
    /// `junctions[i]` lies between `atoms[i]` and `atoms[i + 1]`.
    pub junctions: Vec<Junction>,
}

/// A character no font of the chain can draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncovered {
    pub ch: char,
    pub run: usize,
    pub fonts: Vec<usize>,
}

/// Characters that may stand inside a Latin word or a number when letters or digits
/// follow them: `3.14`, `1+3`, `e-mail`, `1,000`.
fn word_inner(c: char) -> bool {
    matches!(c, '.' | ',' | '+' | '-' | '/' | ':' | '\'' | '&' | '_')
}

fn word_char(class: Class) -> bool {
    matches!(class, Class::Latin | Class::Digit)
}

struct Item {
    ch: char,
    class: Class,
    run: usize,
}

pub fn prepare(
    runs: &[StyledRun],
    fonts: &FontBook,
    config: &Config,
) -> Result<Prepared, Uncovered> {
    let items: Vec<Item> = runs
        .iter()
        .enumerate()
        .flat_map(|(run, r)| {
            r.text.chars().map(move |ch| Item {
                ch,
                class: class_of(ch),
                run,
            })
        })
        .collect();

    let mut out = Prepared::default();
    let mut pending_space = false;
    let mut i = 0;
    while i < items.len() {
        let item = &items[i];
        if item.class == Class::Space {
            pending_space = true;
            i += 1;
            continue;
        }
        let len = atom_len(&items[i..]);
        let atom = make_atom(&items[i..i + len], runs, fonts)?;
        if !out.atoms.is_empty() {
            let prev = out.atoms.last().expect("checked non-empty");
            let tracking = runs[items[i - 1].run].tracking;
            let space = if pending_space {
                space_width(&items[i - 1], runs, fonts)
            } else {
                0.0
            };
            out.junctions.push(Junction {
                breakable: pending_space
                    || !(config.kinsoku.no_end(prev.last) || config.kinsoku.no_start(atom.first)),
                glue: tracking + space,
                stretchable: true,
                discardable: pending_space,
            });
        }
        pending_space = false;
        out.atoms.push(atom);
        i += len;
    }
    Ok(out)
}

/// How many items form the atom that starts at `items[0]`.
fn atom_len(items: &[Item]) -> usize {
    let first = items[0].class;
    let same_as_first = |k: usize| items.get(k).is_some_and(|it| it.class == first);
    match first {
        // —— and …… are one unit each.
        Class::Connector if items[0].ch == '—' && items.get(1).is_some_and(|it| it.ch == '—') => {
            2
        }
        Class::Ellipsis if same_as_first(1) => 2,
        Class::Latin | Class::Digit | Class::Prefix => {
            let mut n = 1;
            while let Some(next) = items.get(n) {
                let followed_by_word = items.get(n + 1).is_some_and(|it| word_char(it.class));
                if word_char(next.class) || (word_inner(next.ch) && followed_by_word) {
                    n += 1;
                } else if next.class == Class::Suffix && word_char(items[n - 1].class) {
                    n += 1;
                    break;
                } else {
                    break;
                }
            }
            // A sign alone (`$` with no number after it) is still one atom.
            n
        }
        _ => 1,
    }
}

fn make_atom(items: &[Item], runs: &[StyledRun], fonts: &FontBook) -> Result<Atom, Uncovered> {
    let mut glyphs = Vec::with_capacity(items.len());
    let mut x = 0.0;
    for item in items {
        let run = &runs[item.run];
        let g = fonts.glyph(run.fonts, item.ch).ok_or_else(|| Uncovered {
            ch: item.ch,
            run: item.run,
            fonts: run.fonts.to_vec(),
        })?;
        let advance = g.advance * run.size;
        glyphs.push(AtomGlyph {
            face: g.face,
            id: g.id,
            x,
            advance,
            size: run.size,
            text: item.ch,
            tag: run.tag,
        });
        x += advance;
    }
    let class = |it: &Item| it.class;
    let (first, last) = match items.len() {
        2 if items[0].ch == '—' => (Class::Dash, Class::Dash),
        _ => (class(&items[0]), class(&items[items.len() - 1])),
    };
    let first = if items[0].class == Class::Ellipsis {
        Class::Ellipsis
    } else {
        first
    };
    Ok(Atom {
        glyphs,
        width: x,
        first,
        last,
    })
}

fn space_width(item: &Item, runs: &[StyledRun], fonts: &FontBook) -> f32 {
    let run = &runs[item.run];
    fonts
        .glyph(run.fonts, ' ')
        .map_or(run.size / 4.0, |g| g.advance * run.size)
}
