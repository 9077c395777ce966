//! Many editions with one layout: parallel, deterministic, failures kept apart.

mod common;

use common::*;

/// A project folder with the demo layout and assets and an empty `editions/`, and the demo
/// edition's text to write editions from.
fn batch_project() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    link_assets(dir.path());
    std::fs::copy(demo_layout(), dir.path().join("layout.yaml")).unwrap();
    std::fs::create_dir(dir.path().join("editions")).unwrap();
    (dir, std::fs::read_to_string(demo_edition()).unwrap())
}

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
    let (dir, good) = batch_project();
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
    let lines: usize = row.split_whitespace().nth(2).and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(lines > 200 && row.contains("KB"), "{row}");
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
        assert_eq!(mode & 0o777, 0o644, "{mode:o}");
    }
}

#[test]
fn jobs_are_at_least_one_and_capped_by_the_editions() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("p.pdf");
    let run = paiban(&root(), ["build", "editions/2024.yaml", "--jobs", "0", "-o", pdf.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stderr).contains("at least one"));
    assert!(!pdf.exists());
    // Ten thousand asked for one edition: one thread (it once started ten thousand).
    let run = paiban(&root(), ["-v", "build", "editions/2024.yaml", "--jobs", "10000", "-o", pdf.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stdout).contains("building 1 edition(s) with 1 job(s)"));
}

/// Each line of a `--format json` run, parsed.
fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    let text = String::from_utf8_lossy(stdout);
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

#[test]
fn build_and_check_report_one_json_object_per_edition() {
    let (dir, good) = batch_project();
    std::fs::write(dir.path().join("editions/a.yaml"), &good).unwrap();
    std::fs::write(dir.path().join("editions/b.yaml"), good.replacen("year: 2024", "year: twenty", 1)).unwrap();
    let line = good.lines().position(|l| l.contains("year: 2024")).unwrap() + 1;
    for command in ["build", "check"] {
        let run = paiban(dir.path(), [command, "--format", "json"]);
        assert_eq!(run.status.code(), Some(1), "{command}");
        let objects = json_lines(&run.stdout);
        assert_eq!(objects.len(), 2, "{command}: {objects:?}");
        let (a, b) = (&objects[0], &objects[1]);
        assert_eq!((a["edition"].as_str(), a["ok"].as_bool()), (Some("editions/a.yaml"), Some(true)), "{a}");
        assert!(a["diagnostics"].as_array().unwrap().iter().any(|d| d["severity"] == "warning"), "{a}");
        assert_eq!((b["edition"].as_str(), b["ok"].as_bool()), (Some("editions/b.yaml"), Some(false)), "{b}");
        let error = b["diagnostics"].as_array().unwrap().iter().find(|d| d["severity"] == "error").unwrap();
        assert_eq!((error["file"].as_str(), error["line"].as_u64()), (Some("editions/b.yaml"), Some(line as u64)));
        assert!(error["message"].as_str().unwrap().contains("edition.year"), "{error}");
        if command == "build" {
            assert_eq!(a["pdf"], "out/a.pdf");
            assert!(b["pdf"].is_null());
        }
    }
    // A problem before any edition is an object too.
    let run = paiban(dir.path(), ["check", "--format", "json", "--layout", "nothing.yaml"]);
    assert_eq!(run.status.code(), Some(1));
    let objects = json_lines(&run.stdout);
    assert!(objects.len() == 1 && objects[0]["edition"].is_null() && objects[0]["ok"] == false, "{objects:?}");
}

#[test]
fn what_every_edition_has_is_said_once_per_batch() {
    let (dir, good) = batch_project();
    for name in ["a", "b"] {
        std::fs::write(dir.path().join(format!("editions/{name}.yaml")), &good).unwrap();
    }
    // The RGB-photo warning: the same photos, said once for both.
    let run = paiban(dir.path(), ["build", "--jobs", "1"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(stdout.matches("have no usable embedded ICC profile").count(), 1, "{stdout}");
    assert!(stdout.contains("(the same for 2 editions: said once)"), "{stdout}");
    assert_eq!(stdout.matches("wrote out/").count(), 2, "{stdout}");
    // A layout error fails every edition and is printed once.
    let layout = std::fs::read_to_string(demo_layout()).unwrap();
    std::fs::write(dir.path().join("layout.yaml"), replace_exact(&layout, "  columns: 8\n", "  columns：8\n")).unwrap();
    for command in ["build", "check"] {
        let run = paiban(dir.path(), [command]);
        assert_eq!(run.status.code(), Some(1));
        let said = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
        assert_eq!(said.matches("full-width colon").count(), 1, "{command}: {said}");
        assert!(said.contains("the same for 2 editions"), "{command}: {said}");
    }
}

/// The writer thread writes each edition while the next is composed: each PDF must still be
/// its own edition's, in its own file, and a write that fails must fail that edition alone.
#[test]
fn the_writer_writes_each_edition_to_its_own_file_and_fails_alone() {
    let (dir, good) = batch_project();
    for (name, year) in [("a", "2021"), ("b", "2022"), ("c", "2023"), ("d", "2024")] {
        std::fs::write(
            dir.path().join(format!("editions/{name}.yaml")),
            good.replace("2024年工作回眸", &format!("{year}年工作回眸")),
        )
        .unwrap();
    }
    // c's school photo is where c's PDF would go: the build reads it, so the writer, when it
    // comes to c, must refuse to replace it (and leave the others be).
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    std::fs::copy(dir.path().join("images/school-paintbrushes.jpg"), dir.path().join("out/c.pdf")).unwrap();
    let c = std::fs::read_to_string(dir.path().join("editions/c.yaml")).unwrap();
    let c = replace_exact(&c, "../images/school-paintbrushes.jpg", "../out/c.pdf");
    std::fs::write(dir.path().join("editions/c.yaml"), c).unwrap();
    let run = paiban(dir.path(), ["build", "--jobs", "1"]);
    assert_eq!(run.status.code(), Some(1));
    let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(stderr.contains("1 of 4 edition(s) failed: editions/c.yaml"), "{stderr}");
    assert!(stderr.contains("out/c.pdf"), "{stderr}");
    let photo = std::fs::read(dir.path().join("images/school-paintbrushes.jpg")).unwrap();
    assert!(std::fs::read(dir.path().join("out/c.pdf")).unwrap() == photo, "the photo c reads was replaced");
    // The summary table keeps the editions' order, whenever each was written.
    let rows: Vec<&str> =
        stdout.lines().filter(|l| l.starts_with("editions/") && l.get(15..16) == Some(" ")).map(|l| &l[..15]).collect();
    assert_eq!(rows, ["editions/a.yaml", "editions/b.yaml", "editions/c.yaml", "editions/d.yaml"], "{stdout}");
    for (name, year) in [("a", "2021"), ("b", "2022"), ("d", "2024")] {
        let alone = dir.path().join(format!("{name}-alone.pdf"));
        let edition = format!("editions/{name}.yaml");
        let single = paiban(dir.path(), ["build", edition.as_str(), "-o", alone.to_str().unwrap()]);
        assert!(single.status.success(), "{}", String::from_utf8_lossy(&single.stderr));
        let batch = std::fs::read(dir.path().join(format!("out/{name}.pdf"))).unwrap();
        assert!(batch == std::fs::read(&alone).unwrap(), "out/{name}.pdf is not edition {name}'s PDF");
        let folio = format!("{year}年工作回眸");
        assert!(text(&load(&batch)).replace(' ', "").contains(&folio), "out/{name}.pdf has not {folio}");
    }
}
