//! The designer's commands, end to end.

mod common;

use std::process::Command;

use common::*;

#[test]
fn check_reports_several_problems_at_once_and_writes_nothing() {
    let project = Project::new(
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
fn init_makes_a_project_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("page");
    let run = paiban(&root(), ["init", project.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let build = paiban(&project, ["build"]);
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    assert!(project.join("out/2024.pdf").is_file());
    assert!(project.join("fonts/OFL-NotoCJK.txt").is_file() && project.join("images/ATTRIBUTION.txt").is_file());
    // Not over an existing project.
    let again = paiban(&root(), ["init", project.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

#[test]
fn watch_rebuilds_after_a_change_and_survives_a_bad_edit() {
    use std::time::{Duration, Instant};
    let project = Project::new(same, same);
    let pdf = project.dir.path().join("proof.pdf");
    let png = project.dir.path().join("proof.png");
    let mut child = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .current_dir(project.dir.path())
        .args(["watch", "edition.yaml", "-o", "proof.pdf", "--preview", "proof.png", "--dpi", "20"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let wait_for = |what: &str, done: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !done() {
            assert!(start.elapsed() < Duration::from_secs(60), "watch did not {what} within a minute");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    wait_for("build", &|| pdf.is_file() && png.is_file());
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
fn preview_shows_an_adobe_cmyk_photo_in_its_colours() {
    let project =
        Project::new(same, |e| replace_exact(&e, "images/school-paintbrushes.jpg", "fixtures/cmyk-adobe.jpg"));
    let options = paiban::build::Options { allow_low_res: true, ..Default::default() };
    let c = paiban::build::compose(&project.layout(), &project.edition(), options).unwrap();
    let png = paiban::render::png::render_page(&c.composition.display, &c.fonts, &c.images, 0, 72.0).unwrap();
    let path = project.dir.path().join("p.png");
    std::fs::write(&path, png).unwrap();
    let (w, _, rgba) = decode_png(&path);
    let pixel = |x: f32, y: f32| {
        let i = ((y as u32 * w + x as u32) * 4) as usize;
        (rgba[i], rgba[i + 1], rgba[i + 2])
    };
    // The school photo fills columns 4–5 from grid line 53: its left half is red (M+Y),
    // its right half cyan.
    let (mm, col) = (72.0 / 25.4, |i: f32| 18.7 * 72.0 / 25.4 + i * 14.0 * 9.0);
    let y = (20.0 + 55.0 * 4.7625) * mm;
    assert_eq!(pixel(col(3.0) + 30.0, y), (255, 0, 0));
    assert_eq!(pixel(col(4.0) + 90.0, y), (0, 255, 255));
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
    assert!(quiet.lines().all(|l| l.starts_with("editions/2024.yaml: warning:")), "{quiet}");
    assert!(quiet.contains("RGB"), "{quiet}");
    let verbose = run("-v");
    assert!(verbose.contains("thread main:") && verbose.contains("wrote "), "{verbose}");
    assert!(verbose.contains("photo lake: ") && verbose.contains("2400×1500 px"), "{verbose}");
    assert!(verbose.contains("font ") && verbose.contains("(embedded subset)"), "{verbose}");
    assert!(verbose.contains("time: composing"), "{verbose}");
    // Not a terminal: no colour codes.
    assert!(!verbose.contains('\x1b') && !quiet.contains('\x1b'));
}

#[test]
fn check_reports_a_mistake_in_each_file_at_once() {
    let project = Project::new(
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
    let project = Project::new(
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
