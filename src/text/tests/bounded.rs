//! The bounded line breaker: it finds what the unbounded one ([`super::reference`]) finds,
//! on random paragraphs, settings and line widths, and its work (lines judged, ways kept)
//! grows with the paragraph's length, not with its square.

use proptest::prelude::*;

use super::reference;
use super::{book, prepared, EM};
use crate::spec::layout::{Align, Kinsoku, LineEndTrim, PunctuationStyle};
use crate::text::linebreak::{break_lines, Breaks, LineWidths, Sums, MAX_LINE_ATOMS, MAX_WAYS};
use crate::text::{prepare, Config, Measure, Prepared, StyledRun, Widths};

/// How the line widths of a paragraph run, in em.
#[derive(Debug, Clone)]
enum Profile {
    /// One width throughout (a caption, a folio).
    Uniform(f32),
    /// These widths, then `rest` for every later line (a thread whose columns end).
    Prefix(Vec<f32>, f32),
    /// These widths over and over: the widths never settle.
    Periodic(Vec<f32>),
}

impl Profile {
    fn em(&self, line: usize) -> f32 {
        match self {
            Profile::Uniform(w) => *w,
            Profile::Prefix(widths, rest) => widths.get(line).copied().unwrap_or(*rest),
            Profile::Periodic(widths) => widths[line % widths.len()],
        }
    }
}

/// The bounded breaker and the reference on the same paragraph and widths.
fn both(p: &Prepared, config: &Config, profile: &Profile) -> (Breaks, Breaks) {
    let sums = Sums::new(p);
    let bounded = match profile {
        Profile::Uniform(w) => run(p, &sums, config, w * EM),
        Profile::Prefix(widths, rest) => {
            run(p, &sums, config, Widths::new(|i| widths.get(i).map(|w| w * EM), rest * EM))
        }
        Profile::Periodic(_) => run(p, &sums, config, Widths::new(|i| Some(profile.em(i) * EM), 0.0)),
    };
    let unbounded = reference::break_lines(p, &sums, config, &mut |i| {
        profile.em(i) * EM - if i == 0 { config.indent } else { 0.0 }
    });
    (bounded, unbounded)
}

fn run(p: &Prepared, sums: &Sums, config: &Config, mut measure: impl Measure) -> Breaks {
    break_lines(p, sums, config, &mut LineWidths::new(&mut measure, config.indent))
}

fn token() -> impl Strategy<Value = String> {
    let han = prop::sample::select("城市建设事务中心人民江津滨新发展项目经济的一国".chars().collect::<Vec<_>>())
        .prop_map(String::from);
    let mark = prop::sample::select("，。、；：？！“”（）《》·—…".chars().collect::<Vec<_>>()).prop_map(String::from);
    let unit = prop::sample::select(vec!["——", "……", "？！"]).prop_map(String::from);
    // Words and numbers, now and then one wider than a narrow line.
    let word = prop_oneof!["[A-Za-z]{1,5}", "[A-Za-z]{1,4} [A-Za-z]{1,4}", "[A-Za-z]{12,16}", "国/国", "国-国"];
    let number = prop_oneof!["[0-9]{1,4}年", "[0-9]{1,2}\\.[0-9]亿", "[0-9]{1,2}%", "¥[0-9]{1,3}"];
    prop_oneof![12 => han, 4 => mark, 1 => unit, 1 => word, 1 => number]
}

fn config() -> impl Strategy<Value = Config> {
    let align = prop::sample::select(vec![Align::Justify, Align::Start, Align::Center, Align::End, Align::Distribute]);
    let kinsoku = prop::sample::select(vec![Kinsoku::None, Kinsoku::Basic, Kinsoku::Gb, Kinsoku::Strict]);
    let trim = prop::sample::select(vec![LineEndTrim::Always, LineEndTrim::Allow, LineEndTrim::Never]);
    let style =
        prop::sample::select(vec![PunctuationStyle::Quanjiao, PunctuationStyle::Kaiming, PunctuationStyle::Banjiao]);
    (align, kinsoku, trim, style, any::<bool>(), any::<bool>(), 0u8..3).prop_map(
        |(align, kinsoku, line_end_trim, punctuation, hanging, trim_open_at_line_start, indent)| Config {
            align,
            kinsoku,
            line_end_trim,
            punctuation,
            hanging,
            trim_open_at_line_start,
            indent: f32::from(indent) * EM,
            ..Config::default()
        },
    )
}

/// Widths in half ems from 3 em (narrower than some words) to 16 em.
fn width() -> impl Strategy<Value = f32> {
    (6u32..=32).prop_map(|half| half as f32 / 2.0)
}

fn profile() -> impl Strategy<Value = Profile> {
    prop_oneof![
        width().prop_map(Profile::Uniform),
        (prop::collection::vec(width(), 0..6), width()).prop_map(|(widths, rest)| Profile::Prefix(widths, rest)),
        prop::collection::vec(width(), 1..4).prop_map(Profile::Periodic),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_bounded_breaker_finds_what_the_unbounded_one_finds(
        tokens in prop::collection::vec(token(), 1..70),
        config in config(),
        profile in profile(),
        split in 0usize..100,
        larger in any::<bool>(),
    ) {
        let text: String = tokens.concat();
        // Two runs, the second in the same or a larger size: ems differ within a line.
        let cut = text.char_indices().nth(split % text.chars().count()).map_or(0, |(i, _)| i);
        let second = if larger { 1.5 * EM } else { EM };
        let runs = [
            StyledRun { text: &text[..cut], fonts: &[0], size: EM, tracking: 0.0, tag: 0 },
            StyledRun { text: &text[cut..], fonts: &[0], size: second, tracking: 0.0, tag: 1 },
        ];
        let p = prepare(&runs, book(), &config).unwrap();
        let (bounded, unbounded) = both(&p, &config, &profile);
        prop_assert_eq!(&bounded.lines, &unbounded.lines, "{:?} {:?}", text, profile);
        prop_assert_eq!(bounded.orphan_avoided, unbounded.orphan_avoided);
    }
}

/// The demo's kind of text: Han with its punctuation, quotes, numbers and a Latin word.
const PROSE: &str = "江津区城市建设事务中心深入贯彻落实“人民城市人民建、人民城市为人民”重要理念，\
    牢牢把握成渝地区双城经济圈建设发展契机，2024年完成投资约53亿元，新增学位1200余个；\
    围绕现代化新江津建设任务，锚定“一枢纽三高地”奋斗目标（见图）……持续书写CBD经济健康发展、\
    民生福祉增进、社会和谐稳定的优异答卷！";

fn prose(chars: usize) -> String {
    PROSE.chars().cycle().take(chars).collect()
}

#[test]
fn the_bounded_breaker_agrees_on_prose_at_every_width() {
    let p = prepared(&prose(120), Config::default());
    for w in (3..=24).step_by(3) {
        let w = w as f32;
        for profile in [
            Profile::Uniform(w),
            Profile::Uniform(w + 0.5),
            Profile::Prefix(vec![w + 2.0, w, w - 1.0, w - 1.0, w + 0.5], w),
            Profile::Periodic(vec![w, w + 1.0]),
        ] {
            // (Unjustified text is left to the random cases: the reference takes the cube
            // of the paragraph for it.)
            for align in [Align::Justify, Align::Distribute] {
                let config = Config { align, indent: 2.0 * EM, ..Config::default() };
                let (bounded, unbounded) = both(&p, &config, &profile);
                assert_eq!(bounded.lines, unbounded.lines, "{profile:?} {align:?}");
                assert_eq!(bounded.orphan_avoided, unbounded.orphan_avoided);
            }
        }
    }
}

/// Lines judged per atom, at most: a way into a break is tried at each later break while
/// its line still fits, at 10 em at most 2 × 10 + 1 atoms of half an em or more (a mark
/// pushed in), and in the last resort up to twice the measure; three passes at most.
const FITS_PER_ATOM: usize = 3 * 42;

#[test]
fn work_is_linear_in_the_paragraph_with_one_width() {
    for align in [Align::Justify, Align::Start, Align::Center] {
        let config = Config { align, indent: 2.0 * EM, ..Config::default() };
        let work = |chars: usize| {
            let p = prepared(&prose(chars), config);
            let sums = Sums::new(&p);
            (p.atoms.len(), run(&p, &sums, &config, 10.0 * EM).work)
        };
        let (n, small) = work(2_000);
        let (n10, large) = work(20_000);
        assert!(small.fits <= FITS_PER_ATOM * n, "{align:?}: {} fits for {n} atoms", small.fits);
        // One way kept per break at most, in each of at most three passes.
        assert!(large.nodes <= 3 * (n10 + 1), "{align:?}: {} nodes for {n10} atoms", large.nodes);
        // Ten times the text, ten times the work (give or take the paragraph's ends).
        let ratio = large.fits as f64 / small.fits as f64;
        assert!((9.0..11.0).contains(&ratio), "{align:?}: work grew {ratio:.2}× for 10× the text");
    }
}

#[test]
fn the_unbounded_breaker_breaks_that_bound() {
    // What the bound guards against: a node per (break, line count) makes the work grow
    // with the square of the paragraph (a folio's 2,000 characters took 89 s).
    for align in [Align::Justify, Align::Start] {
        let config = Config { align, ..Config::default() };
        let work = |chars: usize| {
            let p = prepared(&prose(chars), config);
            let sums = Sums::new(&p);
            let bounded = run(&p, &sums, &config, 10.0 * EM).work;
            let unbounded = reference::break_lines(&p, &sums, &config, &mut |_| 10.0 * EM).work;
            (bounded.fits as f64, unbounded.fits as f64)
        };
        let ((bounded, unbounded), (bounded2, unbounded2)) = (work(200), work(400));
        eprintln!("{align:?}: bounded {bounded} -> {bounded2}, unbounded {unbounded} -> {unbounded2}");
        assert!(bounded2 / bounded < 2.2, "{align:?}: bounded work grew {:.2}× for 2× the text", bounded2 / bounded);
        assert!(unbounded2 / unbounded > 3.0, "{align:?}: unbounded work grew only {:.2}×", unbounded2 / unbounded);
    }
}

#[test]
fn line_counts_are_kept_apart_only_while_the_widths_still_change() {
    // A thread's line boxes: `varying` lines of different widths, then one width.
    let config = Config { indent: 2.0 * EM, ..Config::default() };
    let varying = 40;
    let widths: Vec<f32> = (0..varying).map(|i| if i % 3 == 0 { 6.0 * EM } else { 10.0 * EM }).collect();
    let work = |chars: usize| {
        let p = prepared(&prose(chars), config);
        let sums = Sums::new(&p);
        let breaks = run(&p, &sums, &config, Widths::new(|i| widths.get(i).copied(), 10.0 * EM));
        (p.atoms.len(), breaks.work)
    };
    let (n, short) = work(10_000);
    let (n2, long) = work(20_000);
    // Where the widths vary, one way per line count; after, one per break.
    assert!(short.nodes <= 3 * (n + varying * varying * 10), "{} nodes for {n} atoms", short.nodes);
    let added_fits = long.fits - short.fits;
    let added_atoms = n2 - n;
    assert!(added_fits <= FITS_PER_ATOM * added_atoms, "{added_fits} more fits for {added_atoms} more atoms");
    assert!(long.nodes - short.nodes <= 3 * added_atoms, "{} more nodes", long.nodes - short.nodes);
}

#[test]
fn atoms_that_take_no_room_still_bound_the_window() {
    // A font's zero-width glyphs: every line fits, however long, so only the cap on a
    // line's atoms keeps a break from being judged from every earlier one.
    let mut p = prepared(&prose(2_500), Config::default());
    for atom in &mut p.atoms {
        atom.width = 0.0;
        atom.left_blank = 0.0;
        atom.right_blank = 0.0;
    }
    for junction in &mut p.junctions {
        junction.glue = 0.0;
        junction.shrink = 0.0;
    }
    let sums = Sums::new(&p);
    let breaks = run(&p, &sums, &Config::default(), 10.0 * EM);
    let n = p.atoms.len();
    // Without the cap: one line of every atom (the fewest lines), n² / 2 fits.
    assert!(breaks.work.fits <= n * MAX_LINE_ATOMS, "{} fits for {n} atoms", breaks.work.fits);
    assert!(breaks.lines.iter().all(|b| b.end - b.start <= MAX_LINE_ATOMS), "{:?}", breaks.lines);
    assert_eq!(breaks.lines.last().map(|b| b.end), Some(n));
}

#[test]
fn columns_of_one_width_are_one_width_to_the_last_bit_and_beyond() {
    // A thread's columns of 13 characters measure 117 pt or 116.99994 pt, depending on
    // where the column stands on the page: to the breaker's classes, one width.
    let config = Config { indent: 2.0 * EM, ..Config::default() };
    let p = prepared(&prose(20_000), config);
    let sums = Sums::new(&p);
    let column = |i: usize| if (i / 50).is_multiple_of(2) { 117.0 } else { 116.99994 };
    let breaks = run(&p, &sums, &config, Widths::new(|i| (i < 1_000).then(|| column(i)), 117.0));
    assert!(breaks.work.most_ways <= 2, "{} ways into one break", breaks.work.most_ways);
}

#[test]
fn ways_into_a_break_are_capped_where_the_widths_never_settle() {
    // Narrow lines of two widths without end: the line counts at a break spread ever
    // wider, and without the cap every one of them is kept. (Numbers may break from their
    // units here, so that the prose offers as many breaks as it did when the cap was set.)
    let config = Config { keep_number_with_unit: false, ..Config::default() };
    let p = prepared(&prose(2_500), config);
    let sums = Sums::new(&p);
    let breaks =
        run(&p, &sums, &config, Widths::new(|i| Some(if i.is_multiple_of(2) { 3.0 * EM } else { 4.0 * EM }), 0.0));
    assert_eq!(breaks.work.most_ways, MAX_WAYS);
    let n = p.atoms.len();
    assert!(breaks.work.nodes <= 3 * n * MAX_WAYS, "{} nodes", breaks.work.nodes);
    assert_eq!(breaks.lines.last().map(|b| b.end), Some(n));
}

/// `break_lines_changed`: a paragraph of prose set a line longer is one line longer, every
/// line within the first pass's tolerance and no line with a character more than the best
/// breaking's widest; one line shorter where the best breaking's last line is short enough
/// to be taken back by compressing marks is shorter, and where nothing can take it back the
/// best breaking comes back unchanged.
#[test]
fn a_paragraph_set_a_line_longer_or_shorter_takes_exactly_one_line_more_or_less() {
    use crate::text::linebreak::break_lines_changed;
    let config = Config::default();
    let p = prepared(&prose(190), config);
    let sums = Sums::new(&p);
    let set = |change: i8| {
        let mut measure = 13.0 * EM;
        break_lines_changed(&p, &sums, &config, &mut LineWidths::new(&mut measure, config.indent), change)
    };
    let best = set(0).lines.len();
    let longer = set(1);
    assert_eq!(longer.lines.len(), best + 1);
    // Spread over the paragraph: no line keeps fewer than 11 of the 13 characters' atoms.
    let shortest = longer.lines[..longer.lines.len() - 1].iter().map(|b| b.end - b.start).min().unwrap();
    assert!(shortest >= 10, "a line of {shortest} atoms");
    let shorter = set(-1).lines.len();
    assert!(shorter == best - 1 || shorter == best, "{shorter} lines from {best}");
    // Nothing to take back: one character's paragraph.
    let one = prepared("城", config);
    let sums1 = Sums::new(&one);
    let mut measure = 13.0 * EM;
    let b = break_lines_changed(&one, &sums1, &config, &mut LineWidths::new(&mut measure, config.indent), 1);
    assert_eq!(b.lines.len(), 1);
}

/// `line_counts` (two passes) says a paragraph can be set a line fewer or more exactly when
/// `break_lines_changed` gives one line fewer or more, over paragraphs of many lengths and
/// two measures; its best count is the best breaking's.
#[test]
fn the_line_counts_agree_with_the_breakings_a_line_longer_or_shorter() {
    use crate::text::linebreak::{break_lines_changed, line_counts};
    let config = Config::default();
    let (mut fewer, mut more) = (0, 0);
    for chars in (20..=220).step_by(8) {
        let p = prepared(&prose(chars), config);
        let sums = Sums::new(&p);
        for width in [11.0, 13.0] {
            let lines = |change: i8| {
                let mut measure = width * EM;
                break_lines_changed(&p, &sums, &config, &mut LineWidths::new(&mut measure, config.indent), change)
                    .lines
                    .len()
            };
            let mut measure = width * EM;
            let (best, others) = line_counts(&p, &sums, &config, &mut LineWidths::new(&mut measure, config.indent));
            assert_eq!(best, lines(0), "{chars} characters at {width} em");
            let can = |change: i64| others.contains(&((best as i64 + change) as usize));
            assert_eq!(can(-1), lines(-1) == best - 1, "{chars} characters at {width} em: a line fewer");
            assert_eq!(can(1), lines(1) == best + 1, "{chars} characters at {width} em: a line more");
            (fewer, more) = (fewer + can(-1) as u32, more + can(1) as u32);
        }
    }
    // Both kinds occur, so the agreement was tested both ways.
    assert!(fewer > 0 && more > 0, "{fewer} shorter, {more} longer");
}

/// Past `MAX_COUNTED_ATOMS` a paragraph is not offered a line more or less (the per-count
/// pass would keep a way per count at every break), and asking for one gives its best
/// breaking.
#[test]
fn a_very_long_paragraph_is_not_set_a_line_longer_or_shorter() {
    use crate::text::linebreak::{break_lines_changed, line_counts, MAX_COUNTED_ATOMS};
    let config = Config::default();
    let p = prepared(&prose(MAX_COUNTED_ATOMS + 500), config);
    assert!(p.atoms.len() > MAX_COUNTED_ATOMS);
    let sums = Sums::new(&p);
    let mut measure = 13.0 * EM;
    let (best, others) = line_counts(&p, &sums, &config, &mut LineWidths::new(&mut measure, config.indent));
    assert!(others.is_empty(), "{others:?}");
    let mut measure = 13.0 * EM;
    let longer = break_lines_changed(&p, &sums, &config, &mut LineWidths::new(&mut measure, config.indent), 1);
    assert_eq!(longer.lines.len(), best);
}
