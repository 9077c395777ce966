//! `cargo bench`: what a build costs, and where the time goes.
//!
//! A plain harness (no criterion), runnable in a few seconds: each measurement runs
//! several times and reports the median and the fastest run. Quote medians and ratios:
//! shared machines are noisy.
//!
//! 1. One page from a cold process: the release binary spawned as a child, its wall time
//!    and its peak resident set (from `wait4`), as a designer running `paiban build` sees it.
//! 2. Warm: 20 editions in one process with the fonts shared, on one thread and on two.
//! 3. The split of one edition: YAML, fonts, photos, composing, and within rendering the
//!    subsetting, the compression and the writing; then the read-back of the preflight.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use paiban::build::{build_in, Options, Session};
use paiban::fonts::FontBook;
use paiban::images::Image;
use paiban::layout::{self, compose};
use paiban::model::Job;
use paiban::render::{self, Clock, Metadata};
use paiban::report::preflight;
use rayon::prelude::*;

fn median(mut values: Vec<f64>) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    (values[values.len() / 2], values[0])
}

fn report(name: &str, unit: &str, runs: usize, values: Vec<f64>) -> f64 {
    let (median, fastest) = median(values);
    println!("{name:<46} median {median:>8.1} {unit:<3} fastest {fastest:>8.1} {unit:<3} ({runs} runs)");
    median
}

fn measure<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) -> f64 {
    let times = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            ms(start.elapsed())
        })
        .collect();
    report(name, "ms", runs, times)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Run the binary once; its wall time in ms and its peak resident set in MiB.
fn cold_run(dir: &Path, root: &Path) -> (f64, f64) {
    let out = dir.join("cold.pdf");
    let start = Instant::now();
    // Reaped by `wait4` below, which also gives its resource usage.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .current_dir(root)
        .args(["-q", "build", "editions/2024.yaml", "-o"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the release binary runs");
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for our own child, with valid pointers; std never waits for it.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = ms(start.elapsed());
    assert!(pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "the build failed");
    // Linux reports ru_maxrss in KiB.
    (wall, usage.ru_maxrss as f64 / 1024.0)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (layout_path, edition_path) = (root.join("layout.yaml"), root.join("editions/2024.yaml"));
    let runs = 11;
    println!("paiban benchmark: the demo edition (editions/2024.yaml), release build\n");

    let dir = tempfile::tempdir().unwrap();
    cold_run(dir.path(), &root); // the page cache warm, as for a designer's second build
    let (walls, rss): (Vec<f64>, Vec<f64>) = (0..runs).map(|_| cold_run(dir.path(), &root)).unzip();
    let cold = report("one page, cold process: wall", "ms", runs, walls);
    let peak = report("one page, cold process: peak RSS", "MiB", runs, rss);

    let editions: Vec<&Path> = std::iter::repeat_n(edition_path.as_path(), 20).collect();
    let session = Session::default();
    build_in(&session, &layout_path, &edition_path, Options::default()).unwrap();
    let batch1 = measure("20 editions, one process, --jobs 1", 5, || {
        editions
            .iter()
            .map(|e| build_in(&session, &layout_path, e, Options::default()).unwrap().pdf.len())
            .sum::<usize>()
    });
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let batch2 = measure("20 editions, one process, --jobs 2", 5, || {
        pool.install(|| {
            editions
                .par_iter()
                .map(|e| build_in(&session, &layout_path, e, Options::default()).unwrap().pdf.len())
                .sum::<usize>()
        })
    });
    println!("{:<46} {:>15.1} ms per edition (--jobs 1), {:.1} ms (--jobs 2)\n", "warm", batch1 / 20.0, batch2 / 20.0);

    let parse =
        measure("YAML: parse + validate layout and edition", runs, || Job::load(&layout_path, &edition_path).unwrap());
    let job = Job::load(&layout_path, &edition_path).unwrap();
    let fonts_t =
        measure("fonts: map and check 6 faces (once a process)", runs, || FontBook::load(&job.fonts).unwrap());
    let fonts = FontBook::load(&job.fonts).unwrap();
    let photos = measure("photos: read 8 JPEGs and their headers", runs, || {
        job.photos.iter().map(|p| Image::load(&p.path, &p.asked_at).unwrap()).collect::<Vec<_>>()
    });
    let images: Vec<Image> = job.photos.iter().map(|p| Image::load(&p.path, &p.asked_at).unwrap()).collect();
    let compose_t = measure("compose: line breaking, wrap, flow", runs, || {
        compose(&job, &fonts, &images, layout::Options::default()).unwrap()
    });
    let composition = compose(&job, &fonts, &images, layout::Options::default()).unwrap();
    let meta = Metadata {
        title: &job.edition.title,
        date: job.date,
        pdfx: job.print.pdfx,
        output_profile: None,
        spots: &job.print.spots,
    };
    let mut clocks = Vec::new();
    let render_t = measure("render: the PDF, all of it", runs, || {
        let mut clock = Clock::default();
        let pdf = render::render_timed(&composition.display, &fonts, &images, &meta, &mut clock).unwrap();
        clocks.push(clock);
        pdf
    });
    let subset = report("  subset 5 faces", "ms", runs, clocks.iter().map(|c| ms(c.subset)).collect());
    let compress =
        report("  compress content, fonts, CMaps", "ms", runs, clocks.iter().map(|c| ms(c.compress)).collect());
    println!("{:<46} {:>15.1} ms (render less subset and compress)", "  write", render_t - subset - compress);
    let pdf = render::render(&composition.display, &fonts, &images, &meta).unwrap();
    let checks = measure("preflight: check and read the PDF back", runs, || {
        let mut p = preflight::check(&job, &fonts, &images, &composition, false);
        preflight::verify_pdf(&pdf, &mut p);
        p
    });
    let total = parse + fonts_t + photos + compose_t + render_t + checks;
    println!("{:<46} {:>15.1} ms in all (fonts included)\n", "sum of the phases", total);

    measure("preview: the page as a 72 dpi PNG", 5, || {
        render::png::render_page(&composition.display, &fonts, &images, 0, 72.0).unwrap()
    });
    println!(
        "\ncold one page {cold:.0} ms and {peak:.1} MiB; warm {:.1} ms per edition with --jobs 1 (goals: 30 ms, 40 MiB)",
        batch1 / 20.0
    );
}
