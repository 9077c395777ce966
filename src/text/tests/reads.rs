//! What a breaking reads of its widths ([`Reads`]): a paragraph given widths with the same
//! reads sets exactly the lines it set, and widths past what it reads do not matter.

use super::*;

/// A paragraph of about 120 characters.
fn paragraph() -> Prepared {
    prepared(&"城市更新，让老街区焕发新活力；居民说：“住得舒心，走得放心。”".repeat(4), Config::default())
}

/// Line widths of a 10 em column with a picture standing in it from line `top` for
/// `height` lines, leaving 6 em; `None` (the columns' end) from line `end`.
fn beside_a_picture(top: usize, height: usize, end: usize) -> impl FnMut(usize) -> Option<f32> {
    move |i| (i < end).then(|| if (top..top + height).contains(&i) { 6.0 * EM } else { 10.0 * EM })
}

#[test]
fn widths_with_the_same_reads_set_the_same_lines() {
    let p = paragraph();
    let config = Config { indent: 2.0 * EM, ..Config::default() };
    let end = p.atoms.len() / 2 + 8;
    let (mut hits, mut misses) = (0, 0);
    for (top, height) in [(30, 4), (2, 3), (14, 6)] {
        let mut first = Widths::new(beside_a_picture(top, height, end), 10.0 * EM);
        let (lines, reads) = set_prepared_reads(&p, &config, &mut first, 0);
        assert_eq!(lines, set_prepared(&p, &config, Widths::new(beside_a_picture(top, height, end), 10.0 * EM)));
        for other_top in 0..end {
            for other_height in 1..6 {
                let mut other = Widths::new(beside_a_picture(other_top, other_height, end), 10.0 * EM);
                if reads.same_for(&mut other, config.indent) {
                    hits += 1;
                    let again = set_prepared(
                        &p,
                        &config,
                        Widths::new(beside_a_picture(other_top, other_height, end), 10.0 * EM),
                    );
                    assert_eq!(again, lines, "picture at {other_top}+{other_height}, read as at {top}+{height}");
                } else {
                    misses += 1;
                }
            }
        }
    }
    // A picture the paragraph's lines do not reach leaves its reads as they were; one
    // beside its lines does not.
    assert!(hits > 0 && misses > 0, "{hits} hits, {misses} misses");
}

#[test]
fn a_picture_beside_the_lines_changes_the_reads_and_one_growing_past_them_does_not() {
    let p = paragraph();
    let config = Config::default();
    let end = p.atoms.len() / 2 + 8;
    let (lines, reads) = set_prepared_reads(&p, &config, &mut Widths::new(beside_a_picture(40, 4, end), 10.0 * EM), 0);
    let n = lines.len();
    assert!(n > 4 && n + 10 < 40, "{n} lines");
    // Beside its second line: other widths read.
    assert!(!reads.same_for(&mut Widths::new(beside_a_picture(1, 2, end), 10.0 * EM), config.indent));
    // Well past its last line, a line or two taller at its foot.
    assert!(reads.same_for(&mut Widths::new(beside_a_picture(40, 5, end), 10.0 * EM), config.indent));
    assert!(reads.same_for(&mut Widths::new(beside_a_picture(40, 6, end), 10.0 * EM), config.indent));
    // Gone from the look ahead altogether: the widths ahead settle where they did not, and
    // the breaker would merge ways it kept apart.
    assert!(!reads.same_for(&mut Widths::new(beside_a_picture(0, 0, end), 10.0 * EM), config.indent));
}
