//! The designer's commands, end to end.

mod common;

use std::process::Command;

use common::*;

#[test]
fn check_reports_several_problems_at_once_and_writes_nothing() {
    let project = Project::new(
        |l| replace_exact(&l, BODY_FRAME, &BODY_FRAME.replace("53-end", "53-70")),
        |e| replace_exact(&e, "时光灿灿", "时光Supercalifragilisticexpialidocious灿灿"),
    );
    let run = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .current_dir(project.dir.path())
        .args(["check", "edition.yaml", "--pdfx", "1a"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(out.contains("edition.yaml: FAILED"), "{out}");
    assert!(out.contains("thread `main`") && out.contains("do not fit"), "overset: {out}");
    assert!(out.contains("photo `lake`") && out.contains("PDF/X-1a"), "RGB photo: {out}");
    let errors = out.lines().filter(|l| l.trim_start().starts_with("error:")).count();
    assert!(errors >= 3, "{errors} errors: {out}");
    assert!(std::fs::read_dir(project.dir.path()).unwrap().all(|e| {
        let p = e.unwrap().path();
        p.extension().is_none_or(|x| x != "pdf" && x != "json")
    }));
}

#[test]
fn check_passes_the_demo() {
    let run = Command::new(env!("CARGO_BIN_EXE_paiban")).current_dir(root()).args(["check"]).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stdout));
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(out.contains("editions/2024.yaml: ok") && out.contains("editions/2025.yaml: ok"), "{out}");
}

#[test]
fn init_makes_a_project_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("page");
    let run = Command::new(env!("CARGO_BIN_EXE_paiban")).args(["init"]).arg(&project).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let build = Command::new(env!("CARGO_BIN_EXE_paiban")).current_dir(&project).args(["build"]).output().unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    assert!(project.join("out/2024.pdf").is_file());
    assert!(project.join("fonts/OFL-NotoCJK.txt").is_file() && project.join("images/ATTRIBUTION.txt").is_file());
    // Not over an existing project.
    let again = Command::new(env!("CARGO_BIN_EXE_paiban")).args(["init"]).arg(&project).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

#[test]
fn watch_rebuilds_after_a_change_and_survives_a_bad_edit() {
    use std::time::{Duration, Instant};
    let project = Project::new(same, same);
    let pdf = project.dir.path().join("proof.pdf");
    let mut child = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .current_dir(project.dir.path())
        .args(["watch", "edition.yaml", "-o", "proof.pdf"])
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
    wait_for("build", &|| pdf.is_file());
    let first = std::fs::read(&pdf).unwrap();
    // A bad edit: no PDF is written, and the watcher keeps going.
    let edition = std::fs::read_to_string(project.edition()).unwrap();
    std::fs::write(project.edition(), edition.replacen("year: 2024", "year: twenty", 1)).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(std::fs::read(&pdf).unwrap(), first);
    // A good edit: the PDF follows.
    std::fs::write(project.edition(), edition.replacen("时光灿灿", "时光灿灿灿", 1)).unwrap();
    wait_for("rebuild", &|| std::fs::read(&pdf).map(|b| b != first).unwrap_or(false));
    let still_running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(still_running, "watch exited on its own");
}
