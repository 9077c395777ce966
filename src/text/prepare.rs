//! Prepare: turn styled runs into atoms, the units line breaking works on, and the
//! junctions between them.
//!
//! An atom is never split: one Han character or mark, a Latin word, a number with its
//! signs (¥100, 85%, 3.14), a —— or …… pair. Each atom knows its natural width after the
//! punctuation style and adjacent-mark compression (clreq 3.1.6), and the blank it still
//! has that push-in may take. Each junction knows whether a line may break there
//! (kinsoku), its natural glue (Han–Latin autospace, word space, tracking) and how that
//! glue may shrink or stretch.

use super::classes::{self, class_of, is_ambiguous_quote, is_sentence_end, Class};
use super::Config;
use crate::fonts::FontBook;
use crate::spec::edition::FORCED_BREAK;
use crate::spec::layout::{Adjacent, PunctuationStyle};

/// A stretch of text in one style, as the layout hands it over.
#[derive(Debug, Clone, Copy)]
pub struct StyledRun<'a> {
    pub text: &'a str,
    /// Font chain: indices into the [`FontBook`].
    pub fonts: &'a [usize],
    pub size: f32,
    /// Extra space between atoms, in points (letter-spacing for display type).
    pub tracking: f32,
    /// Passed through to the output glyphs, so the layout knows the run's style.
    pub tag: usize,
}

/// One glyph inside an atom.
#[derive(Debug, Clone, PartialEq)]
pub struct AtomGlyph {
    pub face: usize,
    pub id: u16,
    /// Offset from the left edge of the atom's full (untrimmed) box, in points.
    pub x: f32,
    pub advance: f32,
    pub size: f32,
    /// The character this glyph shows, for copy and search (ToUnicode).
    pub text: char,
    pub tag: usize,
    /// This character is drawn by the ligature glyph just before it (the second dash of
    /// ——, whose first glyph is the face's one continuous 2-em dash). Its own `id` is its
    /// full-width form, whose ink lies wholly inside the ligature's, so drawing it too
    /// changes nothing on the page; a renderer should skip it and give the ligature glyph
    /// the text of both characters.
    pub ligated: bool,
}

/// Shrink priorities of clreq 3.8.3: lower numbers give way first.
pub mod priority {
    pub const LINE_END: usize = 1;
    pub const WORD_SPACE: usize = 2;
    pub const BRACKET: usize = 4;
    pub const PAUSE: usize = 5;
    pub const AUTOSPACE: usize = 6;
    pub const STOP: usize = 7;
    pub const COUNT: usize = 8;
}

#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    pub glyphs: Vec<AtomGlyph>,
    /// Width as set: the punctuation style and adjacent compression already applied.
    pub width: f32,
    /// Class of the first and the last character: what kinsoku looks at.
    pub first: Class,
    pub last: Class,
    /// The em of the atom, in points.
    pub size: f32,
    /// Compressible blank still in the box: left of an opening mark, right of a closing
    /// or pause/stop mark.
    pub left_blank: f32,
    pub right_blank: f32,
    /// How much blank was already taken off the left: the glyphs move left by it.
    pub left_trimmed: f32,
    /// Shrink priority of the blanks.
    pub blank_priority: usize,
    /// A full-width pause/stop mark, which may hang at a line end.
    pub hangable: bool,
}

impl Atom {
    pub fn chars(&self) -> usize {
        self.glyphs.len()
    }
}

/// What kind of gap a junction is, for justification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// Between two characters: takes an equal share of the stretch.
    Normal,
    /// Next to a connector or solidus: stretched only when no normal gap exists.
    Avoid,
    /// A space between Western words: stretches first, up to half an em.
    WordSpace,
    /// The Han–Latin gap: stretches up to a third of an em.
    Autospace,
}

/// What lies between atom `i` and atom `i + 1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Junction {
    /// A line may end here without breaking a kinsoku rule.
    pub breakable: bool,
    /// Natural space here, in points; gone when the line breaks here.
    pub glue: f32,
    /// How much of the glue may shrink away.
    pub shrink: f32,
    pub gap: Gap,
}

/// A paragraph ready for line breaking.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    pub atoms: Vec<Atom>,
    /// `junctions[i]` lies between `atoms[i]` and `atoms[i + 1]`.
    pub junctions: Vec<Junction>,
    /// Atoms that start a line the designer forced (a title given as a list of lines, its
    /// lines joined by U+2028): [`super::title`] breaks there; the paragraph breaker, which
    /// reads U+2028 as a space, ignores them.
    pub forced_breaks: Vec<usize>,
    /// The running totals the breaker judges lines by, made on first use: they depend on
    /// the atoms only, and the copy-fit breaks one paragraph to many widths.
    pub(in crate::text) sums: std::sync::OnceLock<super::linebreak::Sums>,
}

impl Prepared {
    /// The running totals over the paragraph ([`super::linebreak::Sums`]), made once.
    pub fn sums(&self) -> &super::linebreak::Sums {
        self.sums.get_or_init(|| super::linebreak::Sums::new(self))
    }
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
    matches!(c, '.' | ',' | '+' | '-' | '/' | ':' | '\'' | '’' | '&' | '_' | '@')
}

fn word_char(class: Class) -> bool {
    matches!(class, Class::Latin | Class::Digit)
}

struct Item {
    ch: char,
    class: Class,
    run: usize,
}

pub fn prepare(runs: &[StyledRun], fonts: &FontBook, config: &Config) -> Result<Prepared, Uncovered> {
    let items: Vec<Item> = runs
        .iter()
        .enumerate()
        .flat_map(|(run, r)| r.text.chars().map(move |ch| Item { ch, class: class_of(ch), run }))
        .collect();

    let mut atoms: Vec<Atom> = Vec::new();
    // For each atom after the first: was a space typed before it, and the run it ends.
    let mut spaced = Vec::new();
    // For each atom after the first: may no line break before it (a unit after its number).
    let mut kept = Vec::new();
    // How many characters after the last number still belong to it.
    let mut unit_chars: usize = 0;
    let mut pending_space = None;
    // A forced line break (U+2028) since the last atom, and the atoms that follow one.
    let mut forced = false;
    let mut forced_breaks = Vec::new();
    let mut i = 0;
    while i < items.len() {
        match items[i].class {
            Class::Space => {
                forced |= items[i].ch == FORCED_BREAK;
                pending_space = Some(i);
                i += 1;
                continue;
            }
            Class::Invisible => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let len = atom_len(&items[i..]);
        let atom = make_atom(&items[i..i + len], runs, fonts, config)?;
        if !atoms.is_empty() {
            spaced.push((pending_space.take(), items[i - 1].run));
            kept.push(unit_chars > 0);
            if forced {
                forced_breaks.push(atoms.len());
            }
        }
        forced = false;
        unit_chars = unit_chars.saturating_sub(len);
        if config.keep_number_with_unit && atom.last == Class::Digit {
            unit_chars = number_unit_chars(&items[i + len..]);
        }
        pending_space = None;
        atoms.push(atom);
        i += len;
    }
    compress_adjacent(&mut atoms, config.adjacent);

    let junctions = atoms
        .windows(2)
        .zip(spaced.iter().zip(&kept))
        .map(|(pair, (&(space, run), &kept))| {
            let mut j = junction(&pair[0], &pair[1], space.map(|s| &items[s]), run, runs, fonts, config);
            j.breakable &= !kept;
            j
        })
        .collect();
    Ok(Prepared { atoms, junctions, forced_breaks, sums: Default::default() })
}

/// How many of `rest`, the characters after a number, are its magnitude and unit (48｜亿元
/// may not break): a space typed between them does not part them either.
fn number_unit_chars(rest: &[Item]) -> usize {
    let chars: Vec<char> = rest.iter().filter(|it| it.class != Class::Space).take(8).map(|it| it.ch).collect();
    classes::unit_after_number(&chars)
}

/// How many items form the atom that starts at `items[0]`.
fn atom_len(items: &[Item]) -> usize {
    let first = items[0].class;
    // A sign before a number (−5℃, +3) belongs to it.
    let signed = matches!(items[0].ch, '-' | '+' | '−') && items.get(1).is_some_and(|it| it.class == Class::Digit);
    let first = if signed { Class::Prefix } else { first };
    match first {
        // —— and …… are one unit each.
        Class::Connector if items[0].ch == '—' && items.get(1).is_some_and(|it| it.ch == '—') => 2,
        Class::Ellipsis if items.get(1).is_some_and(|it| it.class == Class::Ellipsis) => 2,
        Class::Latin | Class::Digit | Class::Prefix => {
            let mut n = 1;
            while let Some(next) = items.get(n) {
                let followed_by_word = items.get(n + 1).is_some_and(|it| word_char(it.class));
                if word_char(next.class) || (word_inner(next.ch) && followed_by_word) {
                    n += 1;
                } else if next.class == Class::Suffix && word_char(items[n - 1].class) {
                    n += 1;
                    break;
                } else if (matches!(next.ch, '+' | '#') && items[n - 1].class == Class::Latin)
                    || (items[n - 1].ch == '+' && next.ch == '+')
                {
                    // C++, C#, F#
                    n += 1;
                } else {
                    break;
                }
            }
            n
        }
        _ => 1,
    }
}

fn make_atom(items: &[Item], runs: &[StyledRun], fonts: &FontBook, config: &Config) -> Result<Atom, Uncovered> {
    let mut glyphs = Vec::with_capacity(items.len());
    let mut x = 0.0;
    for item in items {
        let run = &runs[item.run];
        // “ ” ‘ ’ are full width from a CJK face, except an apostrophe inside a Latin word
        // (Don’t), which takes the face's proportional form below.
        let in_word = items.len() > 1;
        let g = if is_ambiguous_quote(item.ch) && !in_word {
            fonts.cjk_glyph(run.fonts, item.ch)
        } else if item.class == Class::FullwidthSpace {
            // A blank draws nothing: any face's space glyph will do where none has U+3000;
            // its width is the class table's full em below.
            fonts.cjk_glyph(run.fonts, item.ch).or_else(|| fonts.glyph(run.fonts, ' '))
        } else {
            fonts.glyph(run.fonts, item.ch)
        }
        .ok_or_else(|| Uncovered { ch: item.ch, run: item.run, fonts: run.fonts.to_vec() })?;
        // The class table, not the font, says a dash is a full em: use the face's
        // full-width form where its own is narrower.
        let face = &fonts.faces[g.face];
        let (id, advance) = match item.ch {
            '—' if g.advance < 0.99 => face.substitute(g.id, b"fwid").unwrap_or((g.id, g.advance)),
            '’' | '‘' if in_word && g.advance > 0.9 => face.substitute(g.id, b"pwid").unwrap_or((g.id, g.advance)),
            '\u{3000}' => (g.id, 1.0),
            _ => (g.id, g.advance),
        };
        let advance = advance * run.size;
        glyphs.push(AtomGlyph {
            face: g.face,
            id,
            x,
            advance,
            size: run.size,
            text: item.ch,
            tag: run.tag,
            ligated: false,
        });
        x += advance;
    }
    if matches!(items, [a, b] if a.ch == '—' && b.ch == '—') {
        join_two_em_dash(&mut glyphs, fonts);
    }
    let size = runs[items[0].run].size;
    let (first, last) = match items {
        [a, b] if a.ch == '—' && b.ch == '—' => (Class::Dash, Class::Dash),
        _ => (items[0].class, items[items.len() - 1].class),
    };
    let mut atom = Atom {
        glyphs,
        width: x,
        first,
        last,
        size,
        left_blank: 0.0,
        right_blank: 0.0,
        left_trimmed: 0.0,
        blank_priority: priority::BRACKET,
        hangable: false,
    };
    if items.len() == 1 {
        shape_mark(&mut atom, items[0].ch, config.punctuation);
    }
    Ok(atom)
}

/// Draw —— as the face's one continuous 2-em glyph where it has one: its `ccmp` ligature
/// of the two dashes, in the full-width form (`fwid`). Two separate full-width dashes leave
/// a gap of their side bearings (0.14 em in Noto CJK) in the middle of the rule. The two
/// glyphs stay, one per character, each a 1-em box: the first draws the ligature, the
/// second is marked [`AtomGlyph::ligated`].
fn join_two_em_dash(glyphs: &mut [AtomGlyph], fonts: &FontBook) {
    let [a, b] = glyphs else { return };
    if a.face != b.face {
        return;
    }
    let face = &fonts.faces[a.face];
    let Some((dash, _)) = face.glyph('—') else { return };
    let Some((pair, advance)) = face.ligature(&[dash, dash], b"ccmp") else { return };
    let (pair, advance) =
        if advance < 1.99 { face.substitute(pair, b"fwid").unwrap_or((pair, advance)) } else { (pair, advance) };
    // Only a ligature exactly 2 em wide stands in for the two 1-em boxes.
    if (advance - 2.0).abs() > 0.01 {
        return;
    }
    a.id = pair;
    b.ligated = true;
}

/// Give a single mark its width from the class table, not from the font (clreq-rules §8.3):
/// the blank half of full-width brackets and pause/stop marks, fixed widths of the
/// interpunct, the short connector and the solidus.
fn shape_mark(atom: &mut Atom, ch: char, style: PunctuationStyle) {
    let em = atom.size;
    let full_width = atom.width > 0.9 * em;
    let centre_in = |atom: &mut Atom, width: f32| {
        let g = &mut atom.glyphs[0];
        g.x = (width - g.advance) / 2.0;
        atom.width = width;
    };
    match atom.first {
        Class::Opening | Class::Closing | Class::PauseStop if full_width => {
            let sentence_end = is_sentence_end(ch);
            atom.blank_priority = match atom.first {
                Class::PauseStop if sentence_end => priority::STOP,
                Class::PauseStop => priority::PAUSE,
                _ => priority::BRACKET,
            };
            atom.hangable = atom.first == Class::PauseStop;
            let half = em / 2.0;
            let trimmed = match style {
                PunctuationStyle::Quanjiao => false,
                PunctuationStyle::Kaiming => !sentence_end,
                PunctuationStyle::Banjiao => true,
            };
            if atom.first == Class::Opening {
                atom.left_blank = half;
            } else {
                atom.right_blank = half;
            }
            if trimmed {
                trim_left(atom, atom.left_blank);
                trim_right(atom, atom.right_blank);
            }
        }
        Class::Interpunct => centre_in(atom, em / 2.0),
        Class::Connector if ch == '-' => centre_in(atom, em / 2.0),
        Class::Solidus if ch == '/' => centre_in(atom, em / 2.0),
        _ => {}
    }
}

fn trim_left(atom: &mut Atom, amount: f32) {
    let amount = amount.min(atom.left_blank);
    atom.left_blank -= amount;
    atom.left_trimmed += amount;
    atom.width -= amount;
}

fn trim_right(atom: &mut Atom, amount: f32) {
    let amount = amount.min(atom.right_blank);
    atom.right_blank -= amount;
    atom.width -= amount;
}

fn is_question_or_exclamation(atom: &Atom) -> bool {
    atom.chars() == 1 && matches!(atom.glyphs[0].text, '？' | '！')
}

/// Adjacent marks (clreq 3.1.6.2): the blank between two inks is trimmed, each blank at
/// most once; brackets stay tight against what they enclose.
fn compress_adjacent(atoms: &mut [Atom], adjacent: Adjacent) {
    for k in 1..atoms.len() {
        let (before, after) = atoms.split_at_mut(k);
        let (a, b) = (&mut before[k - 1], &mut after[0]);
        let a_closes = matches!(a.last, Class::PauseStop | Class::Closing);
        match (a_closes, a.last, b.first) {
            (true, _, Class::PauseStop | Class::Closing | Class::Opening) => {
                trim_right(a, a.right_blank);
                if adjacent == Adjacent::One && b.first == Class::Opening {
                    trim_left(b, b.left_blank);
                }
            }
            (false, Class::Opening, Class::Opening) => trim_left(b, b.left_blank),
            _ => {}
        }
    }
    // GB/T 15834 §5.1.2: two ？/！ in a row take 1 em together (three take 2 em, which the
    // pairwise rule above already gives).
    let n = atoms.len();
    for k in 1..n {
        let pair = is_question_or_exclamation(&atoms[k - 1]) && is_question_or_exclamation(&atoms[k]);
        let alone = (k < 2 || !is_question_or_exclamation(&atoms[k - 2]))
            && (k + 1 >= n || !is_question_or_exclamation(&atoms[k + 1]));
        if pair && alone {
            let b = &mut atoms[k];
            trim_right(b, b.right_blank);
        }
    }
}

fn is_han(class: Class) -> bool {
    class == Class::Ideograph
}

/// Which autospace switch governs the gap between these two classes, if any.
fn autospace_between(left: Class, right: Class, config: &Config) -> bool {
    let western = |c: Class| match c {
        Class::Latin => config.autospace_alpha,
        Class::Digit | Class::Prefix | Class::Suffix => config.autospace_numeric,
        _ => false,
    };
    (is_han(left) && western(right)) || (western(left) && is_han(right))
}

fn junction(
    a: &Atom,
    b: &Atom,
    space: Option<&Item>,
    run: usize,
    runs: &[StyledRun],
    fonts: &FontBook,
    config: &Config,
) -> Junction {
    let breakable = !(config.kinsoku.no_end(a.last) || config.kinsoku.no_start(b.first));
    let em = a.size.max(b.size);
    let tracking = runs[run].tracking;
    // Gaps next to connectors and solidi stretch last (clreq 3.8.4), and so do the gaps
    // between two marks, which adjacent compression has just closed up.
    let avoid = matches!(a.last, Class::Connector | Class::Solidus)
        || matches!(b.first, Class::Connector | Class::Solidus)
        || (a.last.is_mark() && b.first.is_mark());
    if autospace_between(a.last, b.first, config) {
        // A typed space here is replaced by the gap, not added to it.
        return Junction { breakable, glue: em / 4.0 + tracking, shrink: em / 8.0, gap: Gap::Autospace };
    }
    // A line break or space between two Chinese characters (a folded YAML line) is not a
    // word space: Chinese has none.
    let western = |c: Class| matches!(c, Class::Latin | Class::Digit | Class::Prefix | Class::Suffix | Class::Other);
    if let Some(space) = space.filter(|_| western(a.last) || western(b.first)) {
        let r = &runs[space.run];
        let width = fonts.glyph(r.fonts, ' ').map_or(r.size / 4.0, |g| g.advance * r.size);
        return Junction {
            breakable,
            glue: width + tracking,
            shrink: (width - em / 4.0).max(0.0),
            gap: Gap::WordSpace,
        };
    }
    // Tracking opens the gaps between characters, not those between two marks, which
    // adjacent compression has closed up (a ”， pair stays within 1.5 em however tracked).
    let tracking = if a.last.is_mark() && b.first.is_mark() { 0.0 } else { tracking };
    Junction { breakable, glue: tracking, shrink: 0.0, gap: if avoid { Gap::Avoid } else { Gap::Normal } }
}
