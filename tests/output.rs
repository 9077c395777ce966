//! The output policy, end to end: no output replaces an input, a device, a folder or a
//! link; temporary files are ours and cleaned up; a PDF keeps its mode.

mod common;

use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use common::*;

/// Run a command in the project and expect it refused: exit 1, `says` on stderr, and
/// every file in `untouched` as it was.
fn refused(project: &Project, args: &[&str], says: &str, untouched: &[&str]) {
    let before: Vec<Vec<u8>> = untouched.iter().map(|f| std::fs::read(project.dir.path().join(f)).unwrap()).collect();
    let run = paiban(project.dir.path(), args);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(stderr.contains(says), "{args:?}: {stderr}");
    for (file, bytes) in untouched.iter().zip(before) {
        assert_eq!(std::fs::read(project.dir.path().join(file)).unwrap(), bytes, "{args:?} changed {file}");
    }
}

const READS: &str = "a file the build reads";

#[test]
fn an_output_never_replaces_the_edition_or_the_layout() {
    let p = Project::new(same, same);
    let both = ["edition.yaml", "layout.yaml"];
    refused(&p, &["build", "edition.yaml", "-o", "edition.yaml"], READS, &both);
    refused(&p, &["build", "edition.yaml", "-o", "layout.yaml"], READS, &both);
    refused(&p, &["build", "edition.yaml", "-o", "./sub/../layout.yaml"], READS, &both);
    refused(&p, &["preview", "edition.yaml", "-o", "edition.yaml"], READS, &both);
    refused(&p, &["watch", "edition.yaml", "-o", "layout.yaml"], READS, &both);
    assert!(!p.dir.path().join("sub").exists(), "nothing is made before the refusal");
}

#[test]
fn the_preflight_report_never_replaces_an_input_either() {
    // A layout named like the report `--out-dir .` would write beside edition.pdf.
    let p = Project::new(same, same);
    std::fs::rename(p.layout(), p.dir.path().join("edition.preflight.json")).unwrap();
    let args = ["build", "edition.yaml", "--layout", "edition.preflight.json", "--out-dir", "."];
    refused(&p, &args, READS, &["edition.preflight.json"]);
    assert!(!p.dir.path().join("edition.pdf").exists());
}

#[test]
fn an_input_under_another_name_is_found_by_its_identity() {
    let p = Project::new(same, same);
    std::fs::hard_link(p.layout(), p.dir.path().join("page.pdf")).unwrap();
    refused(&p, &["build", "edition.yaml", "-o", "page.pdf"], READS, &["layout.yaml"]);
}

#[test]
fn an_output_never_replaces_a_photo_the_edition_names() {
    let p = Project::new(same, |e| replace_exact(&e, "images/lake-mountains.jpg", "mine.jpg"));
    std::fs::copy(root().join("images/lake-mountains.jpg"), p.dir.path().join("mine.jpg")).unwrap();
    refused(&p, &["build", "edition.yaml", "-o", "mine.jpg"], "`mine.jpg`, a file the build reads", &["mine.jpg"]);
    refused(&p, &["preview", "edition.yaml", "-o", "mine.jpg"], READS, &["mine.jpg"]);
}

#[test]
fn every_font_photo_and_profile_of_a_job_counts_as_an_input() {
    use paiban::output::{check_target, Inputs};
    let layout = std::fs::read_to_string(demo_layout()).unwrap();
    let with_profile = replace_exact(
        &layout,
        "  pdfx: x4 ",
        "  output_profile: {file: profiles/CoatedFOGRA39.icc, condition: FOGRA39}\n  pdfx: x4 ",
    );
    let p = Project::new(|_| with_profile.clone(), same);
    let c = paiban::build::compose(&p.layout(), &p.edition(), Default::default()).unwrap();
    let inputs = Inputs::of_job(&c.job);
    let mut files: Vec<&Path> = c.job.fonts.iter().map(|f| f.path.as_path()).collect();
    files.extend(c.job.photos.iter().map(|ph| ph.path.as_path()));
    files.push(&c.job.print.output_profile.as_ref().unwrap().0);
    let (layout, edition) = (p.layout(), p.edition());
    files.extend([layout.as_path(), edition.as_path()]);
    assert!(files.len() > 10);
    for file in files {
        assert!(check_target(file, &inputs).is_err(), "{} is not taken for an input", file.display());
    }
    assert!(check_target(&p.dir.path().join("page.pdf"), &inputs).is_ok());
}

#[test]
fn devices_fifos_folders_and_links_are_not_replaced() {
    let p = Project::new(same, same);
    for device in ["/dev/null", "/dev/full"] {
        refused(&p, &["build", "edition.yaml", "-o", device], "not a regular file", &[]);
    }
    let fifo = p.dir.path().join("pipe.pdf");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    refused(&p, &["build", "edition.yaml", "-o", "pipe.pdf"], "not a regular file", &[]);
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO stays");
    std::fs::create_dir(p.dir.path().join("folder.pdf")).unwrap();
    refused(&p, &["build", "edition.yaml", "-o", "folder.pdf"], "is a folder", &[]);
    std::fs::write(p.dir.path().join("real.pdf"), b"keep me").unwrap();
    std::os::unix::fs::symlink("real.pdf", p.dir.path().join("link.pdf")).unwrap();
    refused(&p, &["build", "edition.yaml", "-o", "link.pdf"], "a symbolic link", &["real.pdf"]);
    refused(&p, &["preview", "edition.yaml", "-o", "link.pdf"], "a symbolic link", &["real.pdf"]);
    assert!(std::fs::symlink_metadata(p.dir.path().join("link.pdf")).unwrap().file_type().is_symlink());
    // In an --out-dir too, for the report as for the PDF.
    std::fs::create_dir(p.dir.path().join("out")).unwrap();
    std::os::unix::fs::symlink("../real.pdf", p.dir.path().join("out/edition.preflight.json")).unwrap();
    refused(&p, &["build", "edition.yaml"], "a symbolic link", &["real.pdf"]);
    assert!(!p.dir.path().join("out/edition.pdf").exists(), "nothing is written when one output is refused");
}

#[test]
fn stale_temporary_files_of_ours_are_removed_and_nothing_else() {
    let p = Project::new(same, same);
    let out = p.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // As a build killed during its write leaves them: its pid is gone (pids stay below
    // 2^22 on Linux), or it is an hour old (this live process's pid, reused).
    let dead = out.join(".edition.pdf.paiban-tmp-999999999-Ab12Cd");
    let old = out.join(format!(".edition.preflight.json.paiban-tmp-{}-Zz9Yy8", std::process::id()));
    let fresh = out.join(format!(".other.pdf.paiban-tmp-{}-Qq7Ww6", std::process::id()));
    let not_ours = [out.join(".paiban-1234.pdf.tmp"), out.join("notes.paiban-tmp-1-abcdef"), out.join(".x.pdf")];
    for f in [&dead, &old, &fresh].into_iter().chain(&not_ours) {
        std::fs::write(f, b"partial").unwrap();
    }
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&old).unwrap().set_modified(hour_ago).unwrap();
    let run = paiban(p.dir.path(), ["build", "edition.yaml"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(!dead.exists() && !old.exists(), "stale temporary files stay");
    assert!(fresh.exists(), "a fresh one of a live process may be in use");
    assert!(not_ours.iter().all(|f| f.exists()), "only our own naming is removed");
    // And the build left none of its own.
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert_eq!(names.iter().filter(|n| n.contains("paiban-tmp") && n.starts_with(".edition")).count(), 0, "{names:?}");
}

#[test]
fn a_pdf_written_over_another_keeps_its_mode_and_a_new_one_is_0644() {
    use std::os::unix::fs::PermissionsExt;
    let p = Project::new(same, same);
    let mode = |f: &str| std::fs::metadata(p.dir.path().join(f)).unwrap().permissions().mode() & 0o777;
    let build = || {
        let run = paiban(p.dir.path(), ["build", "edition.yaml", "-o", "page.pdf"]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    };
    build();
    assert_eq!((mode("page.pdf"), mode("page.preflight.json")), (0o644, 0o644));
    for f in ["page.pdf", "page.preflight.json"] {
        std::fs::set_permissions(p.dir.path().join(f), std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    build();
    assert_eq!((mode("page.pdf"), mode("page.preflight.json")), (0o600, 0o600));
}

#[test]
fn debug_grid_means_no_pdfx_and_contradicting_it_is_a_usage_error() {
    let p = Project::new(same, same);
    let run = paiban(p.dir.path(), ["build", "edition.yaml", "--debug-grid", "-o", "proof.pdf"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.dir.path().join("proof.preflight.json")).unwrap()).unwrap();
    assert_eq!(report["pdfx"], "none");
    let run = paiban(p.dir.path(), ["build", "edition.yaml", "--debug-grid", "--pdfx", "4", "-o", "x.pdf"]);
    assert_eq!(run.status.code(), Some(2));
    let run = paiban(p.dir.path(), ["build", "edition.yaml", "--pdfx", "x3", "-o", "x.pdf"]);
    assert_eq!(run.status.code(), Some(2), "PDF/X values are the command line's to check");
    assert!(!p.dir.path().join("x.pdf").exists());
}
