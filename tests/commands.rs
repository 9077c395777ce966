//! The designer's commands, end to end.

mod common;

use std::process::Command;

use common::*;

#[test]
fn check_reports_several_problems_at_once_and_writes_nothing() {
    let project = Project::classic(
        |l| {
            let l = replace_exact(&l, BODY_FRAME, &BODY_FRAME.replace("53-end", "53-70"));
            replace_exact(&l, "brand: \"cmyk(100, 80, 0, 20)\"", "brand: \"rgb(20, 60, 160)\"")
        },
        |e| replace_exact(&e, "时光灿灿", "时光Supercalifragilisticexpialidocious灿灿"),
    );
    let run = paiban(project.dir.path(), ["check", "edition.yaml", "--pdfx", "1a"]);
    assert_eq!(run.status.code(), Some(1));
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(out.contains("edition.yaml: FAILED"), "{out}");
    assert!(out.contains("thread `main`") && out.contains("do not fit"), "overset: {out}");
    assert!(out.contains("RGB colour") && out.contains("PDF/X-1a"), "RGB colour: {out}");
    // RGB photos are converted to CMYK for PDF/X-1a: not an error any more.
    assert!(!out.contains("photo `lake`"), "RGB photo: {out}");
    let errors = out.lines().filter(|l| l.trim_start().starts_with("error:")).count();
    assert!(errors >= 2, "{errors} errors: {out}");
    assert!(std::fs::read_dir(project.dir.path()).unwrap().all(|e| {
        let p = e.unwrap().path();
        p.extension().is_none_or(|x| x != "pdf" && x != "json")
    }));
}

#[test]
fn check_passes_the_demo() {
    let run = paiban(&root(), ["check"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stdout));
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(out.contains("editions/2024.yaml: ok") && out.contains("editions/2025.yaml: ok"), "{out}");
}

#[test]
fn init_from_a_copied_binary_in_another_folder_makes_a_project_that_builds() {
    // The binary alone, away from its source folder: the template must be inside it.
    let elsewhere = tempfile::tempdir().unwrap();
    let binary = elsewhere.path().join("bin/paiban");
    std::fs::create_dir_all(binary.parent().unwrap()).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_paiban"), &binary).unwrap();
    let cwd = elsewhere.path().join("somewhere");
    std::fs::create_dir_all(&cwd).unwrap();
    let run =
        |dir: &std::path::Path, args: &[&str]| Command::new(&binary).current_dir(dir).args(args).output().unwrap();
    let init = run(&cwd, &["init", "../page"]);
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let project = elsewhere.path().join("page");
    let build = run(&project, &["build"]);
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    assert!(project.join("out/2024.pdf").is_file());
    // Every file of the template folders, byte for byte, the schemas the YAML files name too.
    let mut expected = vec!["layout.yaml".to_owned(), "editions/2024.yaml".to_owned()];
    for folder in ["fonts", "images", "images/licenses", "profiles", "schemas"] {
        for entry in std::fs::read_dir(root().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                expected.push(format!("{folder}/{}", path.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    for name in &expected {
        let (ours, theirs) = (std::fs::read(root().join(name)).unwrap(), std::fs::read(project.join(name)));
        assert!(theirs.is_ok_and(|t| t == ours), "{name} is missing from the new project or differs");
    }
    let first_line = std::fs::read_to_string(project.join("layout.yaml")).unwrap().lines().next().unwrap().to_owned();
    assert_eq!(first_line, "# yaml-language-server: $schema=schemas/layout.schema.json");
    // Not over an existing project.
    let again = run(&cwd, &["init", "../page"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

#[test]
fn watch_rebuilds_after_a_change_says_when_and_what_and_survives_a_bad_edit() {
    use std::time::{Duration, Instant};
    let project = Project::classic(same, same);
    let pdf = project.dir.path().join("proof.pdf");
    let proofs = project.dir.path().join("proofs");
    std::fs::create_dir(&proofs).unwrap();
    // A proof of a page the edition no longer has goes.
    std::fs::write(proofs.join("page-7.png"), b"old").unwrap();
    let png = proofs.join("page-1.png");
    let (mut child, printed) =
        spawn_printing(Command::new(env!("CARGO_BIN_EXE_paiban")).current_dir(project.dir.path()).args([
            "watch",
            "edition.yaml",
            "-o",
            "proof.pdf",
            "--preview",
            "proofs",
            "--dpi",
            "20",
        ]));
    let wait_for = |what: &str, done: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !done() {
            assert!(start.elapsed() < Duration::from_secs(60), "watch did not {what} within a minute");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    wait_for("build", &|| pdf.is_file() && png.is_file() && !proofs.join("page-7.png").exists());
    let first = std::fs::read(&pdf).unwrap();
    let first_png = std::fs::read(&png).unwrap();
    assert_eq!(decode_png(&png).0, (390.0f32 / 25.4 * 20.0).ceil() as u32, "the proof is at 20 dpi");
    // A bad edit: no PDF is written, and the watcher keeps going.
    let edition = std::fs::read_to_string(project.edition()).unwrap();
    std::fs::write(project.edition(), edition.replacen("year: 2024", "year: twenty", 1)).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(std::fs::read(&pdf).unwrap(), first);
    // A good edit: the PDF follows.
    std::fs::write(project.edition(), edition.replacen("时光灿灿", "时光灿灿灿", 1)).unwrap();
    wait_for("rebuild", &|| std::fs::read(&pdf).map(|b| b != first).unwrap_or(false));
    // The proof follows the PDF (the added character moves the rest of the paragraph).
    wait_for("redraw the proof", &|| std::fs::read(&png).map(|b| b != first_png).unwrap_or(false));
    let still_running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(still_running, "watch exited on its own");
    // Each build says when it was, what changed and how long it took.
    let out = printed.join().unwrap();
    let stamped: Vec<&str> = out.lines().filter(|l| is_stamped(l)).collect();
    assert!(stamped.len() >= 3, "a line per build: {out}");
    assert!(stamped[0].contains("first build: rebuilt in "), "{out}");
    assert!(stamped[1].contains(" edition.yaml changed: FAILED in "), "{out}");
    assert!(stamped.iter().skip(2).any(|l| l.contains(" edition.yaml changed: rebuilt in ")), "{out}");
    assert!(out.contains("drew 1 proof(s) in proofs"), "{out}");
}

/// `HH:MM:SS …: rebuilt in 0.42 s`.
fn is_stamped(line: &str) -> bool {
    let b = line.as_bytes();
    let clock = b.len() > 9 && b[2] == b':' && b[5] == b':' && b[8] == b' ';
    let digits = [0, 1, 3, 4, 6, 7].iter().all(|&i| b.get(i).is_some_and(u8::is_ascii_digit));
    let timed =
        line.rsplit_once(" in ").is_some_and(|(_, t)| t.strip_suffix(" s").is_some_and(|t| t.parse::<f64>().is_ok()));
    clock && digits && timed
}

#[test]
fn watch_takes_a_folder_for_its_proofs() {
    let project = Project::classic(same, same);
    let run = paiban(project.dir.path(), ["watch", "edition.yaml", "--preview", "proof.png"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("names the folder"));
}

fn decode_png(path: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[test]
fn preview_draws_the_page_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("page.png");
    let run = paiban(&root(), ["preview", "editions/2024.yaml", "--dpi", "72", "-o", png.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let (w, h, rgba) = decode_png(&png);
    // The trimmed broadsheet, 390 × 545 mm, at 72 dpi.
    assert_eq!((w, h), ((390.0f32 / 25.4 * 72.0).ceil() as u32, (545.0f32 / 25.4 * 72.0).ceil() as u32));
    let dark = |x0: u32, y0: u32, x1: u32, y1: u32| {
        let mut n = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                let i = ((y * w + x) * 4) as usize;
                n += usize::from(rgba[i] < 100 && rgba[i + 1] < 100 && rgba[i + 2] < 100);
            }
        }
        n
    };
    // Body text in the first column under the hero (left margin 18.7 mm, grid line 53 on).
    let mm = |v: f32| (v / 25.4 * 72.0) as u32;
    assert!(dark(mm(19.0), mm(20.0 + 53.0 * 4.7625), mm(60.0), mm(20.0 + 70.0 * 4.7625)) > 500, "no text drawn");
    // The left margin is paper.
    assert_eq!(dark(0, mm(100.0), mm(15.0), mm(400.0)), 0);
    // A page that does not exist is an error.
    let bad = paiban(&root(), ["preview", "editions/2024.yaml", "--page", "3", "-o", png.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("page 3 does not exist"));
}

#[test]
fn preview_with_a_bad_page_or_resolution_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("page.png");
    for bad in
        [["--page", "0"], ["--page", "-1"], ["--dpi", "5"], ["--dpi", "9000"], ["--dpi", "NaN"], ["--dpi", "many"]]
    {
        let run = paiban(&root(), ["preview", "editions/2024.yaml", bad[0], bad[1], "-o", png.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(2), "{bad:?}: {}", String::from_utf8_lossy(&run.stderr));
        assert!(!png.exists());
    }
}

#[test]
fn preview_shows_an_adobe_cmyk_photo_in_its_colours() {
    let project =
        Project::classic(same, |e| replace_exact(&e, "images/school-paintbrushes.jpg", "fixtures/cmyk-adobe.jpg"));
    let options = paiban::build::Options { allow_low_res: true, ..Default::default() };
    let session = paiban::build::Session::default();
    let composed = paiban::build::compose(&project.layout(), &project.edition(), options).unwrap();
    let c = paiban::build::prepare_photos(&session, composed).unwrap();
    let png = paiban::build::proof_page(&c.job, &c.composition.display, &c.fonts, &c.images, 0, 72.0).unwrap();
    let path = project.dir.path().join("p.png");
    std::fs::write(&path, png).unwrap();
    let (w, _, rgba) = decode_png(&path);
    let pixel = |x: f32, y: f32| {
        let i = ((y as u32 * w + x as u32) * 4) as usize;
        (rgba[i], rgba[i + 1], rgba[i + 2])
    };
    // The school photo fills columns 4–5 from grid line 53: its left half is red (M+Y),
    // its right half cyan, shown as FOGRA39 prints them (`transicc -t1 -b`: M+Y 227 5 19
    // and C 0 159 227), not as the naive (255, 0, 0) and (0, 255, 255).
    let (mm, col) = (72.0 / 25.4, |i: f32| 18.7 * 72.0 / 25.4 + i * 14.0 * 9.0);
    let y = (20.0 + 55.0 * 4.7625) * mm;
    let near = |got: (u8, u8, u8), want: (u8, u8, u8)| {
        let d = |a: u8, b: u8| (a as i32 - b as i32).abs();
        assert!(d(got.0, want.0) <= 6 && d(got.1, want.1) <= 6 && d(got.2, want.2) <= 6, "{got:?} for {want:?}");
    };
    near(pixel(col(3.0) + 30.0, y), (227, 5, 19));
    near(pixel(col(4.0) + 90.0, y), (0, 159, 227));
}

#[test]
fn quiet_prints_only_warnings_and_verbose_prints_what_the_preflight_measured() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("p.pdf");
    let run = |flag: &str| {
        let run = paiban(&root(), [flag, "build", "editions/2024.yaml", "-o", pdf.to_str().unwrap()]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        assert!(pdf.is_file());
        std::fs::remove_file(&pdf).unwrap();
        String::from_utf8_lossy(&run.stdout).into_owned()
    };
    let quiet = run("--quiet");
    // Every message line names its edition; a hint goes on an indented line under it.
    assert!(
        quiet.lines().filter(|l| !l.starts_with(' ')).all(|l| l.starts_with("editions/2024.yaml: warning:")),
        "{quiet}"
    );
    assert!(quiet.contains("RGB"), "{quiet}");
    let verbose = run("-v");
    assert!(verbose.contains("thread party:") && verbose.contains("wrote "), "{verbose}");
    assert!(verbose.contains("photo lake: ") && verbose.contains("2400×1500 px"), "{verbose}");
    assert!(verbose.contains("font ") && verbose.contains("(embedded subset)"), "{verbose}");
    assert!(verbose.contains("time: composing"), "{verbose}");
    // Not a terminal: no colour codes.
    assert!(!verbose.contains('\x1b') && !quiet.contains('\x1b'));
}

#[test]
fn check_reports_a_mistake_in_each_file_at_once() {
    let project = Project::classic(
        |l| replace_exact(&l, "column_chars: 13", "column_chars: thirteen"),
        |e| replace_exact(&e, "date: ", "dat: "),
    );
    let run = paiban(project.dir.path(), ["check", "edition.yaml"]);
    assert_eq!(run.status.code(), Some(1));
    let out = String::from_utf8_lossy(&run.stdout);
    let (l, e) = (project.line_of("layout.yaml", "thirteen"), project.line_of("edition.yaml", "dat: "));
    assert!(out.contains(&format!("layout.yaml:{l}:")) && out.contains("grid.column_chars"), "{out}");
    assert!(out.contains(&format!("edition.yaml:{e}:")) && out.contains("unknown field `dat`"), "{out}");
    assert!(out.contains("2 error(s)"), "{out}");
}

#[test]
fn check_reports_every_misspelt_key_of_a_file() {
    let project = Project::classic(
        |l| {
            let l = replace_exact(&l, "  size: broadsheet", "  sise: broadsheet");
            let l = replace_exact(&l, "  gutter_chars: 1", "  gutter_char: 1");
            replace_exact(&l, "  kinsoku: gb", "  kinsuko: gb")
        },
        same,
    );
    let run = paiban(project.dir.path(), ["check", "edition.yaml"]);
    assert_eq!(run.status.code(), Some(1));
    let out = String::from_utf8_lossy(&run.stdout);
    for (key, meant) in [("sise", "size"), ("gutter_char", "gutter_chars"), ("kinsuko", "kinsoku")] {
        let line = project.line_of("layout.yaml", &format!("  {key}:"));
        assert!(out.contains(&format!("layout.yaml:{line}:3: ")), "{key}: {out}");
        assert!(out.contains(&format!("unknown field `{key}`")), "{out}");
        assert!(out.contains(&format!("did you mean `{meant}`?")), "{out}");
    }
    assert!(out.contains("3 error(s)"), "{out}");
}
