//! Mutated layouts and editions: whatever the YAML says, the program answers in bounded
//! time with a page or with errors that point into the file, never a panic, and writes
//! nothing when it fails.
//!
//! The cases come from a small seeded generator, so every run tries the same ones and a
//! failure names the case that reproduces it. Each file gets its own mutations (lines
//! deleted or doubled, characters swapped, numbers made extreme, full-width punctuation
//! put in, random bytes), each case is checked through the library's `check` on a thread
//! with a time limit, and a few failing cases go through the binary's `build` to see that
//! no PDF is left. `PAIBAN_MUTATIONS=N` runs N cases per file instead of the default.

mod common;

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use paiban::build::{check_in, Options, Session};

/// splitmix64: a few lines, a good spread of bits, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const EXTREMES: &[&str] = &[
    "0",
    "-1",
    "-30",
    "4294967295",
    "18446744073709551616",
    "100000000000000000000000000000000000000",
    "0.0000001",
    "99999",
    "-0",
    "1e38",
    "NaN",
];

const FULL_WIDTH: &[&str] = &["，", "。", "：", "；", "“", "”", "【", "】", "（", "）", "——", "、", "　", "！", "《"];

/// One mutation of `text` (as bytes: random bytes need not stay UTF-8), and what it was.
fn mutate(text: &[u8], rng: &mut Rng) -> (Vec<u8>, String) {
    let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let n = lines.len();
    let i = rng.below(n);
    let what = match rng.below(6) {
        0 => {
            lines.remove(i);
            format!("delete line {}", i + 1)
        }
        1 => {
            let line = lines[i].clone();
            lines.insert(i, line);
            format!("duplicate line {}", i + 1)
        }
        2 => {
            // Swap two neighbouring characters of the line.
            let s = String::from_utf8_lossy(&lines[i]).into_owned();
            let mut chars: Vec<char> = s.chars().collect();
            if chars.len() >= 2 {
                let at = rng.below(chars.len() - 1);
                chars.swap(at, at + 1);
            }
            lines[i] = chars.into_iter().collect::<String>().into_bytes();
            format!("swap two characters on line {}", i + 1)
        }
        3 => {
            // The first number on a line that has one, made extreme.
            let Some(line) = (0..n).map(|k| (i + k) % n).find(|&l| lines[l].iter().any(u8::is_ascii_digit)) else {
                return (text.to_vec(), "nothing".into());
            };
            let s = &lines[line];
            let start = s.iter().position(u8::is_ascii_digit).unwrap_or(0);
            let end = start + s[start..].iter().take_while(|b| b.is_ascii_digit() || **b == b'.').count();
            let extreme = rng.pick(EXTREMES);
            lines[line] = [&s[..start], extreme.as_bytes(), &s[end..]].concat();
            format!("number on line {} made {extreme}", line + 1)
        }
        4 => {
            let s = String::from_utf8_lossy(&lines[i]).into_owned();
            let chars: Vec<char> = s.chars().collect();
            let at = rng.below(chars.len() + 1);
            let mark = rng.pick(FULL_WIDTH);
            lines[i] =
                format!("{}{mark}{}", chars[..at].iter().collect::<String>(), chars[at..].iter().collect::<String>())
                    .into_bytes();
            format!("{mark} put in line {}", i + 1)
        }
        _ => {
            let count = 1 + rng.below(4);
            let bytes: Vec<u8> = (0..count).map(|_| rng.next() as u8).collect();
            let at = rng.below(lines[i].len() + 1);
            lines[i].splice(at..at, bytes.iter().copied());
            format!("bytes {bytes:02x?} put in line {}", i + 1)
        }
    };
    (lines.join(&b'\n'), what)
}

/// What one case found: its errors, each with `file:line:col` or not, in words.
struct Outcome {
    errors: Vec<(bool, String)>,
}

/// Check `dir`'s layout and edition on a thread; `None` if it took longer than `limit`,
/// `Err` if it panicked.
fn check_within(dir: &Path, limit: Duration) -> Option<Result<Outcome, String>> {
    let (layout, edition) = (dir.join("layout.yaml"), dir.join("edition.yaml"));
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let found = check_in(&Session::default(), &layout, &edition, Options::default());
        let errors = found
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.location.as_ref().is_some_and(|l| l.line >= 1 && l.column >= 1), d.to_string()))
            .collect();
        let _ = send.send(Outcome { errors });
    });
    match receive.recv_timeout(limit) {
        Ok(outcome) => Some(Ok(outcome)),
        Err(mpsc::RecvTimeoutError::Timeout) => None,
        // The thread ended without sending: it panicked (the panic is printed above).
        Err(mpsc::RecvTimeoutError::Disconnected) => Some(Err("panicked".into())),
    }
}

/// The preflight's findings are about the PDF as made (a photo's resolution, the inks on
/// the page), not a place in a file. Every other error must have a position.
fn about_the_page(message: &str) -> bool {
    message.starts_with("preflight: ")
}

#[test]
fn mutated_layouts_and_editions_answer_in_time_with_placed_errors_and_no_output() {
    let cases: usize = std::env::var("PAIBAN_MUTATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(150);
    // Few copy-fit tries: the cases test reading, checking and composing, not the search
    // for the best fit (the demo allows 450 tries, about a millisecond each).
    let project = Project::classic(|l| replace_exact(&l, "tries: 450", "tries: 3"), same);
    let dir = project.dir.path();
    let (layout, edition) =
        (std::fs::read(dir.join("layout.yaml")).unwrap(), std::fs::read(dir.join("edition.yaml")).unwrap());
    // The time limit follows the machine: a case may take 5 times the unmutated check
    // (and at least 2 s); what blew up before took tens of seconds to minutes.
    let started = Instant::now();
    let base = check_within(dir, Duration::from_secs(120)).expect("the demo is checked in time").expect("no panic");
    assert!(base.errors.is_empty(), "the demo checks clean: {:?}", base.errors);
    let limit = Duration::from_secs(2).max(started.elapsed() * 5);
    let suite = Instant::now();
    let mut rng = Rng(0x5EED_2024_0116);
    let mut failed_builds = 0;
    let mut problems = Vec::new();
    let (mut ok, mut refused) = (0, 0);
    for case in 0..2 * cases {
        let (file, original, other, other_text) = if case % 2 == 0 {
            ("layout.yaml", &layout, "edition.yaml", &edition)
        } else {
            ("edition.yaml", &edition, "layout.yaml", &layout)
        };
        let (mut text, mut what) = (original.clone(), Vec::new());
        for _ in 0..1 + rng.below(3) {
            let (next, did) = mutate(&text, &mut rng);
            text = next;
            what.push(did);
        }
        std::fs::write(dir.join(file), &text).unwrap();
        std::fs::write(dir.join(other), other_text).unwrap();
        let name = format!("case {case} ({file}: {})", what.join(", "));
        let outcome = match check_within(dir, limit) {
            None => {
                problems.push(format!("{name}: took longer than {limit:?}"));
                // The thread still runs; the rest would only queue behind it.
                break;
            }
            Some(Err(e)) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
            Some(Ok(outcome)) => outcome,
        };
        if outcome.errors.is_empty() {
            ok += 1;
            continue;
        }
        refused += 1;
        for (placed, message) in &outcome.errors {
            if !placed && !about_the_page(message) {
                problems.push(format!("{name}: an error without file:line:column: {message}"));
            }
        }
        // A few failing cases through the binary: exit 1, nothing written.
        if failed_builds < 4 {
            failed_builds += 1;
            let run = paiban(dir, ["build", "edition.yaml", "-o", "mutated.pdf"]);
            if run.status.code() != Some(1) {
                problems.push(format!("{name}: build exited {:?}, not 1", run.status.code()));
            }
            let left: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains("mutated") || n.contains("paiban-tmp"))
                .collect();
            if !left.is_empty() {
                problems.push(format!("{name}: a failed build left {left:?}"));
            }
        }
    }
    eprintln!(
        "{} cases in {:.1} s (limit {:.1} s a case): {ok} checked clean, {refused} refused",
        ok + refused,
        suite.elapsed().as_secs_f32(),
        limit.as_secs_f32()
    );
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
    // The mutations reach past the reader: some cases are refused, some still make a page.
    assert!(refused > cases / 2 && ok > 0, "{ok} clean, {refused} refused: the mutations do not vary enough");
}
