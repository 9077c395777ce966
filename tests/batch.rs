//! Many editions with one layout: parallel, deterministic, failures kept apart.

mod common;

use common::*;

#[test]
fn the_pdfs_are_the_same_whatever_the_number_of_jobs() {
    let out = tempfile::tempdir().unwrap();
    let (one, two) = (out.path().join("one"), out.path().join("two"));
    for (dir, jobs) in [(&one, "1"), (&two, "2")] {
        let run = paiban(&root(), ["build", "--jobs", jobs, "--out-dir", dir.to_str().unwrap()]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    }
    for name in ["2024.pdf", "2025.pdf", "2024.preflight.json"] {
        let (a, b) = (std::fs::read(one.join(name)).unwrap(), std::fs::read(two.join(name)).unwrap());
        assert!(a == b, "{name} differs between --jobs 1 and --jobs 2");
    }
    assert_ne!(std::fs::read(one.join("2024.pdf")).unwrap(), std::fs::read(one.join("2025.pdf")).unwrap());
}

#[test]
fn a_failing_edition_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    link_assets(dir.path());
    std::fs::copy(demo_layout(), dir.path().join("layout.yaml")).unwrap();
    std::fs::create_dir(dir.path().join("editions")).unwrap();
    let good = std::fs::read_to_string(demo_edition()).unwrap();
    std::fs::write(dir.path().join("editions/a.yaml"), &good).unwrap();
    std::fs::write(dir.path().join("editions/b.yaml"), good.replacen("year: 2024", "year: twenty", 1)).unwrap();
    std::fs::write(dir.path().join("editions/c.yaml"), &good).unwrap();
    let run = paiban(dir.path(), ["build"]);
    assert_eq!(run.status.code(), Some(1));
    let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(stderr.contains("editions/b.yaml") && stderr.contains("edition.year"), "{stderr}");
    assert!(stderr.contains("1 of 3 edition(s) failed: editions/b.yaml"), "{stderr}");
    assert!(stdout.lines().any(|l| l.starts_with("editions/b.yaml") && l.contains("FAILED")), "{stdout}");
    assert!(dir.path().join("out/a.pdf").is_file() && dir.path().join("out/c.pdf").is_file());
    assert!(!dir.path().join("out/b.pdf").exists());
    // The summary table has a row for each edition, with its lines and its PDF size.
    let row = stdout.lines().find(|l| l.starts_with("editions/a.yaml ")).unwrap();
    assert!(row.contains("239") && row.contains("KB"), "{row}");
}

#[test]
fn an_edition_overrides_the_layouts_variables() {
    use paiban::build::{compose, Options};
    use paiban::layout::Item;
    let c = compose(&demo_layout(), &root().join("editions/2025.yaml"), Options::default()).unwrap();
    let red = paiban::spec::layout::parse_color("cmyk(0, 90, 85, 10)").unwrap();
    let band = c.composition.display.pages[0].items.iter().find_map(|i| match i {
        Item::Fill { color, .. } => Some(*color),
        _ => None,
    });
    assert_eq!(band, Some(red), "the 2025 edition's brand colour fills the headline band");
    let c = compose(&demo_layout(), &demo_edition(), Options::default()).unwrap();
    let blue = paiban::spec::layout::parse_color("cmyk(100, 80, 0, 20)").unwrap();
    assert!(c.composition.display.lines().any(|l| l.color == blue), "2024 keeps the layout's default");
}

#[test]
fn editions_that_would_write_the_same_pdf_are_refused_and_pdfs_are_readable() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let images = root().join("images").display().to_string() + "/";
    let edition = std::fs::read_to_string(demo_edition()).unwrap().replace("../images/", &images);
    std::fs::write(a.join("2024.yaml"), &edition).unwrap();
    std::fs::write(b.join("2024.yaml"), &edition).unwrap();
    let out = dir.path().join("out");
    let run = paiban(
        &root(),
        [
            "build",
            "--out-dir",
            out.to_str().unwrap(),
            a.join("2024.yaml").to_str().unwrap(),
            b.join("2024.yaml").to_str().unwrap(),
        ],
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("would both be written to"));
    assert!(!out.exists());
    // One of them alone: the PDF is readable by others (not a temporary file's 0600).
    let run = paiban(&root(), ["build", "--out-dir", out.to_str().unwrap(), a.join("2024.yaml").to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("2024.pdf")).unwrap().permissions().mode();
        assert_eq!(mode & 0o644, 0o644, "{mode:o}");
    }
}
