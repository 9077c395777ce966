//! Titles: section heads and other display lines, broken the way a make-up editor breaks a
//! head (标题断句, `makeup-rules.md`): only between words, into as few lines as fit, with
//! the lines balanced, and exactly where the designer forced a break.
//!
//! Words come from jieba-rs (see [`word_ends`]); the breaks between them are filtered by
//! kinsoku like any other. Among the partitions into the fewest lines that fit, the one
//! with the smallest difference between its longest and shortest line wins; a line does
//! not start with a particle that belongs to the word before it (的, 了 …); ties go to the
//! longer line below (上短下长).

use std::borrow::Cow;

use super::linebreak::{fit, Break, Measure, Sums, EPSILON};
use super::prepare::{prepare, Prepared, StyledRun, Uncovered};
use super::{finalize, set_prepared, Config, Line};
use crate::fonts::FontBook;
use crate::spec::layout::LineEndTrim;

/// Jieba's dictionary (`fxsjy/jieba`, MIT, as jieba-rs 0.11 ships it) less its rarest long
/// words: every word of one or two characters and every longer word of frequency 300 or
/// more, 127 906 of its 349 045 entries, as `word frequency` lines sorted by their bytes.
const WORDS: &str = include_str!("jieba-words.txt");

/// The sum of the frequencies of the whole of jieba's dictionary: a word's probability is
/// its frequency over this, as in jieba, whichever words a text brings in.
const JIEBA_TOTAL: usize = 60_101_964;

/// The longest word of [`WORDS`], in characters.
const LONGEST_WORD: usize = 14;

/// A private-use character standing for all of jieba's words a text does not contain, so
/// that the dictionary's total stays [`JIEBA_TOTAL`].
const REST_OF_DICTIONARY: &str = "\u{F8FF}";

/// Particles that lean on the word before them: a title line does not start with one.
const LEANING_PARTICLES: &str = "的地得了着过之们吗呢吧";

/// Partitions tried per line count before the search settles for the best so far: far
/// more than any head needs (a 20-character title has at most a few hundred).
const SEARCH_BUDGET: usize = 20_000;

/// The frequency of `word` in the dictionary: a binary search over the lines of
/// [`WORDS`] as they lie in the binary, so that nothing is loaded or indexed first.
fn frequency(word: &str) -> Option<usize> {
    let bytes = WORDS.as_bytes();
    // `lo` and `hi` are always the starts of lines (or the end of the list).
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = bytes[lo..mid].iter().rposition(|&b| b == b'\n').map_or(lo, |p| lo + p + 1);
        let end = bytes[start..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| start + p);
        let (entry, freq) = WORDS[start..end].split_once(' ')?;
        match entry.as_bytes().cmp(word.as_bytes()) {
            std::cmp::Ordering::Equal => return freq.parse().ok(),
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

/// The character offsets in `text` where a word ends, by jieba-rs (its HMM for words the
/// dictionary lacks). Jieba is given only the dictionary words that occur in `text`, looked
/// up in the sorted list, with the dictionary's total kept: it segments exactly as it
/// would with the whole list loaded (which takes it 0.2 s), in about 80 µs a title.
pub fn word_ends(text: &str) -> Vec<usize> {
    let mut jieba = jieba_rs::Jieba::empty();
    let bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let chars = bytes.len() - 1;
    let mut found = std::collections::BTreeSet::new();
    for start in 0..chars {
        for end in start + 1..=(start + LONGEST_WORD).min(chars) {
            let word = &text[bytes[start]..bytes[end]];
            if let Some(freq) = frequency(word) {
                found.insert((word, freq));
            }
        }
    }
    let mut total = 0;
    for &(word, freq) in &found {
        jieba.add_word(word, Some(freq), Some(""));
        total += freq;
    }
    jieba.add_word(REST_OF_DICTIONARY, Some(JIEBA_TOTAL.saturating_sub(total).max(1)), Some(""));
    jieba.cut(text, true).iter().map(|t| t.end).collect()
}

/// Set a title in lines of `measure(i)` points: breaks only between words (as
/// [`word_ends`] finds them) and where the text has a [`FORCED_BREAK`](crate::spec::edition::FORCED_BREAK) (the edition gave
/// the title as a list of lines); as few lines as fit, balanced. Only a word wider than the
/// measure is broken inside, and no glyph's box reaches past the measure: a closing mark
/// at a line's end keeps its full width (push-in takes the blanks inside the line), and
/// nothing hangs. The layout calls this (or [`set_prepared_title`]) for section titles
/// instead of [`super::set_paragraph`].
pub fn set_title(
    runs: &[StyledRun],
    fonts: &FontBook,
    config: &Config,
    measure: &mut dyn FnMut(usize) -> f32,
) -> Result<Vec<Line>, Uncovered> {
    Ok(set_prepared_title(&prepare(runs, fonts, config)?, config, measure))
}

/// [`set_title`] for a title already prepared (with the paragraph's own `config`): the
/// forced breaks are in [`Prepared::forced_breaks`].
pub fn set_prepared_title(prepared: &Prepared, config: &Config, measure: &mut dyn FnMut(usize) -> f32) -> Vec<Line> {
    // A title never reaches past its measure: no mark hangs, and a closing mark at the end
    // of a line keeps its full box (trimmed, its em box would overhang the measure, as a
    // reader of the PDF sees it); a line that is too long pushes in inside instead.
    let config = &Config { line_end_trim: LineEndTrim::Never, hanging: false, ..*config };
    let n = prepared.atoms.len();
    let bounds: Vec<usize> = [0].into_iter().chain(prepared.forced_breaks.iter().copied()).chain([n]).collect();
    let mut lines: Vec<Line> = Vec::new();
    for pair in bounds.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        if start >= end {
            continue;
        }
        let part = if (start, end) == (0, n) {
            Cow::Borrowed(prepared)
        } else {
            Cow::Owned(Prepared {
                atoms: prepared.atoms[start..end].to_vec(),
                junctions: prepared.junctions[start..end - 1].to_vec(),
                forced_breaks: Vec::new(),
                sums: Default::default(),
            })
        };
        let first = lines.len();
        lines.extend(set_unforced(&part, config, &mut |i| measure(first + i)));
    }
    lines
}

/// Break and set a title's atoms that no forced break divides.
fn set_unforced(prepared: &Prepared, config: &Config, measure: &mut dyn FnMut(usize) -> f32) -> Vec<Line> {
    let sums = prepared.sums();
    let text: String = prepared.atoms.iter().flat_map(|a| a.glyphs.iter().map(|g| g.text)).collect();
    let ends = word_ends(&text);
    // Junction k lies after atom k: a candidate when a word ends there and kinsoku allows it.
    let mut at_words = Vec::new();
    let mut legal = Vec::new();
    let mut chars = 0;
    for (k, atom) in prepared.atoms.iter().enumerate().take(prepared.atoms.len().saturating_sub(1)) {
        chars += atom.chars();
        if prepared.junctions[k].breakable {
            legal.push(k + 1);
            if ends.binary_search(&chars).is_ok() {
                at_words.push(k + 1);
            }
        }
    }
    let mut widths: Vec<f32> = Vec::new();
    let mut width = |line: usize| -> f32 {
        while widths.len() <= line {
            widths.push(measure(widths.len()));
        }
        widths[line]
    };
    let search = Search { p: prepared, sums, config };
    let chosen = search.best(&at_words, &mut width).or_else(|| search.best(&legal, &mut width));
    let Some(breaks) = chosen else {
        // Not even one character a line fits: the paragraph breaker's last resort, which
        // flags the overfull line for the layout to report.
        return set_prepared(prepared, config, text_widths(&mut width));
    };
    let count = breaks.len();
    breaks
        .into_iter()
        .enumerate()
        .map(|(i, b)| finalize::set_line(prepared, sums, b, width(i), 0.0, config, i + 1 == count))
        .collect()
}

/// Line widths from a closure, for the paragraph breaker.
fn text_widths(width: &mut dyn FnMut(usize) -> f32) -> impl Measure + '_ {
    super::Widths::new(move |i| Some(width(i)), 0.0)
}

struct Search<'a> {
    p: &'a Prepared,
    sums: &'a Sums,
    config: &'a Config,
}

/// How a partition ranks: fewer lines first, then fewer lines starting with a leaning
/// particle, then the smaller spread between longest and shortest line, then the shorter
/// first line (上短下长).
#[derive(PartialEq, PartialOrd)]
struct Rank {
    particles: usize,
    spread: f32,
    first_line: f32,
}

impl Search<'_> {
    /// The natural width of atoms `start..end` as a line of `measure`, if it fits without
    /// being pushed past it.
    fn fits(&self, start: usize, end: usize, measure: f32, last: bool) -> Option<f32> {
        let f = fit(self.p, self.sums, start, end, measure, self.config, last);
        (!f.overfull && !f.hang).then_some(f.natural.min(measure))
    }

    /// The best partition into the fewest lines that fit, breaking only at `candidates`.
    fn best(&self, candidates: &[usize], width: &mut dyn FnMut(usize) -> f32) -> Option<Vec<Break>> {
        let n = self.p.atoms.len();
        for lines in 1..=candidates.len() + 1 {
            let mut best: Option<(Rank, Vec<usize>)> = None;
            let mut budget = SEARCH_BUDGET;
            let mut starts = vec![0];
            let mut naturals = Vec::new();
            self.walk(candidates, lines, n, width, &mut starts, &mut naturals, &mut best, &mut budget);
            if let Some((_, starts)) = best {
                let ends = starts.iter().skip(1).copied().chain([n]);
                return Some(starts.iter().zip(ends).map(|(&start, end)| Break { start, end }).collect());
            }
        }
        None
    }

    /// Extend the partition `starts` (line start atoms so far, with the natural widths of
    /// the lines already closed) to `lines` lines ending at atom `n`.
    #[allow(clippy::too_many_arguments)]
    fn walk(
        &self,
        candidates: &[usize],
        lines: usize,
        n: usize,
        width: &mut dyn FnMut(usize) -> f32,
        starts: &mut Vec<usize>,
        naturals: &mut Vec<f32>,
        best: &mut Option<(Rank, Vec<usize>)>,
        budget: &mut usize,
    ) {
        if *budget == 0 {
            return;
        }
        let line = starts.len() - 1;
        let start = starts[line];
        if line + 1 == lines {
            *budget -= 1;
            let Some(natural) = self.fits(start, n, width(line), true) else { return };
            naturals.push(natural);
            let rank = self.rank(starts, naturals);
            naturals.pop();
            if best.as_ref().is_none_or(|(b, _)| rank < *b) {
                *best = Some((rank, starts.clone()));
            }
            return;
        }
        for &end in candidates.iter().filter(|&&c| c > start) {
            // Longer lines from here only get wider.
            let Some(natural) = self.fits(start, end, width(line), false) else { break };
            starts.push(end);
            naturals.push(natural);
            self.walk(candidates, lines, n, width, starts, naturals, best, budget);
            naturals.pop();
            starts.pop();
        }
    }

    fn rank(&self, starts: &[usize], naturals: &[f32]) -> Rank {
        let particles = starts
            .iter()
            .skip(1)
            .filter(|&&s| self.p.atoms[s].glyphs.first().is_some_and(|g| LEANING_PARTICLES.contains(g.text)))
            .count();
        let longest = naturals.iter().copied().fold(0.0, f32::max);
        let shortest = naturals.iter().copied().fold(f32::INFINITY, f32::min);
        // Spreads within a hundredth of a point are equal: the tie-break decides.
        let spread = ((longest - shortest) / EPSILON).round() * EPSILON;
        Rank { particles, spread, first_line: naturals[0] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_dictionary_is_sorted_and_its_constants_hold() {
        let lines: Vec<&str> = WORDS.lines().collect();
        assert_eq!(lines.len(), 127_906);
        let words: Vec<&str> = lines.iter().map(|l| l.split_once(' ').unwrap().0).collect();
        assert!(words.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()), "sorted by bytes, no duplicates");
        assert_eq!(words.iter().map(|w| w.chars().count()).max(), Some(LONGEST_WORD));
        let sum: usize = lines.iter().map(|l| l.split_once(' ').unwrap().1.parse::<usize>().unwrap()).sum();
        assert!(sum < JIEBA_TOTAL);
        assert_eq!(frequency("擘画"), Some(6));
        assert_eq!(frequency("擘"), lines.iter().find(|l| l.starts_with("擘 ")).map(|l| l[4..].parse().unwrap()));
        assert_eq!(frequency("不是一个词语"), None);
        // Every word of the list is found by the search, the first and the last too.
        for line in lines.iter().step_by(97).chain([&lines[0], &lines[lines.len() - 1]]) {
            let (word, freq) = line.split_once(' ').unwrap();
            assert_eq!(frequency(word), freq.parse().ok(), "{word}");
        }
    }

    #[test]
    fn the_demo_titles_are_segmented_into_their_words() {
        let words = |t: &str| {
            let ends = word_ends(t);
            let chars: Vec<char> = t.chars().collect();
            let mut out = Vec::new();
            let mut at = 0;
            for e in ends {
                out.push(chars[at..e].iter().collect::<String>());
                at = e;
            }
            out.join("|")
        };
        assert_eq!(words("城市面貌擘画“新景”"), "城市|面貌|擘画|“|新景|”");
        assert_eq!(words("履职担当勇毅“笃行”"), "履职|担当|勇毅|“|笃行|”");
        assert_eq!(words("宜居城市舒展“画卷”"), "宜居|城市|舒展|“|画卷|”");
        assert_eq!(words("二期等7个项目"), "二期|等|7|个|项目");
    }
}
