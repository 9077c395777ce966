//! `paiban watch --preview DIR` keeps a proof of every page, not only of the first (issue
//! 16): on the two-page district example, `page-1.png` and `page-2.png`, each its own page,
//! after a first line that says when, what and how long.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

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
