//! `paiban watch --preview DIR` keeps a proof of every page, not only of the first (issue
//! 16): on the two-page district example, `page-1.png` and `page-2.png`, each its own page,
//! after a first line that says when, what and how long. What a rebuild keeps from the
//! one before (issue 15): after a text edit no photo is decoded again, a changed photo is,
//! and the proofs are those a fresh process draws of the same files (`watch` and the
//! library's `proof::build`, which `serve` runs).

mod common;

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use paiban::proof::{self, Clock, FreshSession, Settings};

use common::*;

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    (word(16), word(20))
}

#[test]
fn watch_keeps_a_proof_of_every_page_of_a_two_page_edition() {
    let out = tempfile::tempdir().unwrap();
    let proofs = out.path().join("proofs");
    let district = root().join("examples/district");
    let (mut child, printed) = spawn_printing(
        Command::new(env!("CARGO_BIN_EXE_paiban"))
            .current_dir(&district)
            .arg("watch")
            .arg("edition.yaml")
            .arg("-o")
            .arg(out.path().join("district.pdf"))
            .arg("--preview")
            .arg(&proofs)
            .args(["--dpi", "20"]),
    );
    let (one, two) = (proofs.join("page-1.png"), proofs.join("page-2.png"));
    let start = Instant::now();
    while !(one.is_file() && two.is_file() && out.path().join("district.pdf").is_file()) {
        assert!(start.elapsed() < Duration::from_secs(90), "watch drew no proof of both pages within 90 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Written atomically: once there, each is whole.
    std::thread::sleep(Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();
    let (first, second) = (std::fs::read(&one).unwrap(), std::fs::read(&two).unwrap());
    assert_eq!(png_size(&first), png_size(&second), "both pages at the same size");
    assert_eq!(png_size(&first).0, (270.0f32 / 25.4 * 20.0).ceil() as u32, "a tabloid page at 20 dpi");
    assert_ne!(first, second, "two different pages");
    assert!(!proofs.join("page-3.png").exists());
    let out = printed.join().unwrap();
    let stamp = out.lines().next().unwrap_or_default();
    let clock = stamp.len() > 9 && stamp.as_bytes()[2] == b':' && stamp.as_bytes()[5] == b':';
    assert!(clock && stamp.contains(" first build: rebuilt in "), "{out}");
    assert!(out.contains("drew 2 proof(s) in"), "{out}");
}

/// The district example in a temporary folder: its YAML copied, its fonts and photos
/// hard-linked (a photo is changed by renaming another file over its link, never by
/// writing through it).
fn district_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let district = root().join("examples/district");
    for file in ["layout.yaml", "edition.yaml"] {
        std::fs::copy(district.join(file), dir.path().join(file)).unwrap();
    }
    for folder in ["fonts", "images"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        for entry in std::fs::read_dir(root().join(folder)).unwrap().flatten() {
            if entry.file_type().unwrap().is_file() {
                let to = dir.path().join(folder).join(entry.file_name());
                if std::fs::hard_link(entry.path(), &to).is_err() {
                    std::fs::copy(entry.path(), &to).unwrap();
                }
            }
        }
    }
    dir
}

/// What a running watch printed so far, line by line.
struct Printed(Arc<Mutex<Vec<String>>>);

impl Printed {
    fn of(child: &mut std::process::Child) -> Printed {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (stdout, kept) = (child.stdout.take().unwrap(), lines.clone());
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                kept.lock().unwrap().push(line);
            }
        });
        Printed(lines)
    }

    /// The lines that say what drawing the proofs of a build took from before, once
    /// there are `n` of them.
    fn drawn(&self, n: usize) -> Vec<String> {
        let start = Instant::now();
        loop {
            let lines = self.0.lock().unwrap().clone();
            let drawn: Vec<String> = lines.iter().filter(|l| l.contains("proof(s) in")).cloned().collect();
            if drawn.len() >= n {
                return drawn;
            }
            assert!(start.elapsed() < Duration::from_secs(120), "no build {n} within 120 s:\n{}", lines.join("\n"));
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn a_rebuild_decodes_only_the_photos_that_changed_and_draws_what_a_fresh_process_draws() {
    let dir = district_copy();
    let cache = tempfile::tempdir().unwrap();
    let paiban = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_paiban"));
        command.current_dir(dir.path()).env("PAIBAN_CACHE_DIR", cache.path());
        command
    };
    let mut child = paiban()
        .args(["watch", "edition.yaml", "-o", "district.pdf", "--preview", "proofs", "--dpi", "20"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let printed = Printed::of(&mut child);
    let first = printed.drawn(1);
    assert!(first[0].ends_with("(6 photo(s) decoded, 0 kept)"), "{first:?}");
    // Whatever is saved next is an event after the watch started watching.
    std::thread::sleep(Duration::from_millis(500));

    // A text edit: every photo is as it was, none is decoded again.
    let edition = dir.path().join("edition.yaml");
    let text = std::fs::read_to_string(&edition).unwrap();
    assert!(text.contains("巴适得很"));
    std::fs::write(&edition, text.replacen("巴适得很", "巴适得狠", 1)).unwrap();
    let second = printed.drawn(2);
    assert!(second[1].ends_with("(0 photo(s) decoded, 6 kept)"), "{second:?}");
    std::thread::sleep(Duration::from_millis(500));

    // A photo the edition does not show in place of the lake: it alone is decoded.
    let lake = dir.path().join("images/lake-mountains.jpg");
    let other = dir.path().join("images/other.tmp");
    std::fs::copy(root().join("images/school-paintbrushes.jpg"), &other).unwrap();
    std::fs::rename(&other, &lake).unwrap();
    let third = printed.drawn(3);
    assert!(third[2].ends_with("(1 photo(s) decoded, 5 kept)"), "{third:?}");
    let _ = child.kill();
    let _ = child.wait();

    // The proofs are what a process that kept nothing draws of the same files.
    for page in ["1", "2"] {
        let fresh = dir.path().join(format!("fresh-{page}.png"));
        let status = paiban()
            .args(["preview", "edition.yaml", "--dpi", "20", "--page", page, "-o"])
            .arg(&fresh)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let watched = std::fs::read(dir.path().join(format!("proofs/page-{page}.png"))).unwrap();
        assert!(std::fs::read(&fresh).unwrap() == watched, "page {page} differs from a fresh proof");
    }
}

/// The pages of a proof, as PNG bytes.
fn pages(proof: &proof::Proof) -> Vec<Vec<u8>> {
    proof.pages.iter().flat_map(|p| [p.png.clone(), p.overlay.clone()]).collect()
}

#[test]
fn the_live_proof_after_a_text_edit_keeps_its_photos_and_is_a_fresh_proof_of_the_edit() {
    let project = common::Project::new(|layout| layout, |edition| edition);
    let settings = Settings { layout: project.layout(), edition: project.edition(), dpi: 20.0, allow_outside: false };
    let clock = Clock::local();
    let mut kept = FreshSession::default();
    let first = proof::build(&settings, "test", &clock, &mut kept, |_| ());
    assert!(first.ok(), "{}", first.diagnostics);
    assert_eq!((first.kept.photos_decoded, first.kept.photos_kept), (8, 0), "the demo's eight photos");

    let edited = std::fs::read_to_string(project.edition()).unwrap().replacen("巴适得很", "巴适得狠", 1);
    std::fs::write(project.edition(), edited).unwrap();
    let second = proof::build(&settings, "test", &clock, &mut kept, |_| ());
    assert!(second.ok(), "{}", second.diagnostics);
    assert_eq!((second.kept.photos_decoded, second.kept.photos_kept), (0, 8), "no photo decoded again");
    assert_eq!((second.kept.overlays_kept, second.kept.transforms), (1, 0), "the overlay and the transform kept");
    let fresh = proof::build(&settings, "test", &clock, &mut FreshSession::default(), |_| ());
    assert_eq!(fresh.kept.photos_decoded, 8);
    let (first, second, fresh) = (first.proof.unwrap(), second.proof.unwrap(), fresh.proof.unwrap());
    assert!(pages(&second) == pages(&fresh), "the rebuilt proof differs from a fresh one");
    assert!(first.pages[0].png != second.pages[0].png, "the edit is not on the page");
}
