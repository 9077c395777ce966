//! `cargo bench`: what a build costs, and where the time goes.
//!
//! A plain harness (no criterion), runnable in a few seconds: each measurement runs
//! several times and reports the median and the fastest run. Quote medians and ratios:
//! shared machines are noisy.
//!
//! 1. One page from a cold process: the release binary spawned as a child, its wall time
//!    and its peak resident set (from `wait4`), as a designer running `paiban build` sees it.
//! 2. Warm: 20 editions in one process with the fonts shared, on one thread and on two.
//! 3. The copy-fit as shipped, for editions/2024.yaml and 2025.yaml: a warm batch of 2025,
//!    and composing with the copy-fit on (its tries) and off, which gives the cost of a try.
//! 4. The split of one edition: YAML, fonts, photos, composing, and within rendering the
//!    subsetting, the compression and the writing; then the read-back of the preflight.
//! 5. The splits that add up: an edition of the warm batch (the build's own clocks, and
//!    what they leave out), writing its files as `paiban build` does, and the cold page
//!    from process start to exit (the binary's `-v` split line, and a process that does
//!    nothing, `paiban --version`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use paiban::build::{build_in, Options, Session, Timings};
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

/// CPU seconds this process has used, all threads: on a machine shared with other work
/// it varies far less than wall time, and on an idle one it is what wall time would be
/// (for one thread).
fn cpu_time() -> f64 {
    // SAFETY: a zeroed timespec is valid for clock_gettime to fill in.
    let mut t: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid clock id and pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

/// Run `f` `runs` times; print the medians of wall and CPU time; return the wall median.
fn measure<T>(name: &str, runs: usize, f: impl FnMut() -> T) -> f64 {
    measure_cpu(name, runs, f).0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Run the binary once: its wall time and CPU time (user + system) in ms, and its peak
/// resident set in MiB.
fn cold_run(dir: &Path, root: &Path) -> (f64, f64, f64) {
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
    let seconds = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    // Linux reports ru_maxrss in KiB.
    (wall, seconds(usage.ru_utime) + seconds(usage.ru_stime), usage.ru_maxrss as f64 / 1024.0)
}

/// Composing one edition with the copy-fit as the layout ships it, and with nothing allowed
/// to flex (no picture's `grow`/`shrink`/`move`, no block's foot, no tracking, no head
/// space, no line more or less): the difference over the tries is what one try costs.
fn copy_fit_split(layout_path: &Path, edition: &Path, runs: usize) {
    let name = edition.file_name().unwrap().to_string_lossy().into_owned();
    let job = Job::load(layout_path, edition).unwrap();
    let fonts = FontBook::load(&job.fonts).unwrap();
    let images: Vec<Image> = job.photos.iter().map(|p| Image::load(&p.path, &p.asked_at).unwrap()).collect();
    let options = layout::Options { allow_overset: true, ..Default::default() };
    let tries = compose(&job, &fonts, &images, options).unwrap().fit_tries;
    let (fitted, fitted_cpu) = measure_cpu(&format!("{name}: compose, copy-fit on ({tries} tries)"), runs, || {
        compose(&job, &fonts, &images, options).unwrap()
    });
    let mut rigid = Job::load(layout_path, edition).unwrap();
    rigid.fit.tracking = 0.0;
    rigid.fit.head_space = 0;
    rigid.fit.lines = false;
    for frame in rigid.pages.iter_mut().flatten() {
        match &mut frame.content {
            paiban::model::FrameContent::Picture(p) => (p.grow, p.shrink, p.moves) = (0, 0, 0),
            paiban::model::FrameContent::Text(t) => (t.grow, t.shrink) = (0, 0),
            _ => {}
        }
    }
    let (once, once_cpu) = measure_cpu(&format!("{name}: compose, copy-fit off (one layout)"), runs, || {
        compose(&rigid, &fonts, &images, options).unwrap()
    });
    println!(
        "{:<46} {:>15.2} ms wall, {:.2} ms CPU per try ({} tries: {:.0} % of composing)\n",
        format!("{name}: one copy-fit try"),
        (fitted - once) / tries.max(1) as f64,
        (fitted_cpu - once_cpu) / tries.max(1) as f64,
        tries,
        100.0 * (fitted - once) / fitted
    );
}

/// [`measure`], returning the medians of wall and CPU time.
fn measure_cpu<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) -> (f64, f64) {
    let (walls, cpus): (Vec<f64>, Vec<f64>) = (0..runs)
        .map(|_| {
            let (start, cpu) = (Instant::now(), cpu_time());
            std::hint::black_box(f());
            (ms(start.elapsed()), (cpu_time() - cpu) * 1000.0)
        })
        .unzip();
    let ((wall, fastest), (cpu, _)) = (median(walls), median(cpus));
    println!("{name:<46} median {wall:>8.1} ms  fastest {fastest:>8.1} ms  CPU {cpu:>8.1} ms  ({runs} runs)");
    (wall, cpu)
}

/// The cold page, from process start to exit: `paiban -v build` prints its split.
fn cold_split(dir: &Path, root: &Path, runs: usize) {
    let out = dir.join("split.pdf");
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_paiban"))
            .current_dir(root)
            .args(["-v", "build", "editions/2024.yaml", "-o"])
            .arg(&out)
            .output()
            .expect("the release binary runs");
        let wall = ms(start.elapsed());
        assert!(output.status.success(), "the build failed");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let line = text.lines().find_map(|l| l.trim().strip_prefix("split: ")).expect("-v prints the split");
        let values: Vec<f64> = line.split_whitespace().skip(1).step_by(2).map(|v| v.parse().unwrap()).collect();
        rows.push(std::iter::once(wall).chain(values).collect());
    }
    let nothing: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_paiban"))
                .arg("--version")
                .stdout(std::process::Stdio::null())
                .status()
                .expect("the release binary runs");
            assert!(status.success());
            ms(start.elapsed())
        })
        .collect();
    let column = |i: usize| median(rows.iter().map(|r| r[i]).collect()).0;
    let names = [
        "YAML",
        "fonts",
        "photos",
        "layout",
        "prepare photos",
        "preflight",
        "PDF",
        "  of it subset",
        "  of it compress",
        "write PDF + report",
    ];
    println!("the cold page (`paiban -v build editions/2024.yaml`), medians of {runs} runs, wall:");
    let wall = column(0);
    let start_exit = median(nothing).0;
    let mut sum = start_exit;
    println!("  {:<44} {:>8.1} ms", "process start and exit (`paiban --version`)", start_exit);
    for (i, name) in names.iter().enumerate() {
        let value = column(i + 1);
        if !name.starts_with(' ') {
            sum += value;
        }
        println!("  {name:<44} {value:>8.1} ms");
    }
    println!(
        "  {:<44} {:>8.1} ms (arguments, output checks, printing; medians do not add exactly)",
        "the rest",
        wall - sum
    );
    println!("  {:<44} {:>8.1} ms\n", "the whole process", wall);
}

/// The warm batch, edition by edition: what the build's clocks say, and what they leave out.
fn batch_split(session: &Session, layout: &Path, edition: &Path, editions: usize) {
    let dir = tempfile::tempdir().unwrap();
    let (mut walls, mut all, mut writes) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..editions {
        let start = Instant::now();
        let built = build_in(session, layout, edition, Options::default()).unwrap();
        let build = ms(start.elapsed());
        let written = Instant::now();
        let target = dir.path().join(format!("e{i}.pdf"));
        paiban::output::write_build(&built, &target, &paiban::output::Inputs::new()).unwrap();
        writes.push(ms(written.elapsed()));
        let dropped = Instant::now();
        drop(built.pdf);
        let timings = built.timings;
        drop(built.composition);
        walls.push((build, ms(dropped.elapsed())));
        all.push(timings);
    }
    let mean = |f: &dyn Fn(&Timings) -> f64| all.iter().map(|t| f(t) * 1000.0).sum::<f64>() / editions as f64;
    let rows: [(&str, f64); 9] = [
        ("YAML", mean(&|t| t.job)),
        ("fonts (the session's)", mean(&|t| t.fonts)),
        ("photos: files and headers (the session's)", mean(&|t| t.photos)),
        ("layout (copy-fit included)", mean(&|t| t.layout)),
        ("prepare photos (photo cache)", mean(&|t| t.prepare)),
        ("preflight", mean(&|t| t.preflight)),
        ("PDF", mean(&|t| t.pdf)),
        ("  of it subset", mean(&|t| t.subset)),
        ("  of it compress", mean(&|t| t.compress)),
    ];
    let build = walls.iter().map(|w| w.0).sum::<f64>() / editions as f64;
    let dropping = walls.iter().map(|w| w.1).sum::<f64>() / editions as f64;
    println!("an edition of the warm batch (--jobs 1), means over {editions} editions, wall:");
    let mut sum = 0.0;
    for (name, value) in rows {
        if !name.starts_with(' ') {
            sum += value;
        }
        println!("  {name:<44} {value:>8.2} ms");
    }
    println!("  {:<44} {:>8.2} ms (diagnostics, summary, between the clocks)", "the rest of build_in", build - sum);
    println!("  {:<44} {:>8.2} ms", "build_in in all", build);
    println!("  {:<44} {:>8.2} ms", "dropping the PDF and the composition", dropping);
    println!(
        "  {:<44} {:>8.2} ms (`paiban build` does this too; the batch above does not)\n",
        "write PDF + report (atomic, synced)",
        writes.iter().sum::<f64>() / editions as f64
    );
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (layout_path, edition_path) = (root.join("layout.yaml"), root.join("editions/2024.yaml"));
    let runs = 11;
    println!("paiban benchmark: the demo edition (editions/2024.yaml), release build\n");

    let dir = tempfile::tempdir().unwrap();
    cold_run(dir.path(), &root); // the page cache warm, as for a designer's second build
    let cold: Vec<(f64, f64, f64)> = (0..runs).map(|_| cold_run(dir.path(), &root)).collect();
    let wall = report("one page, cold process: wall", "ms", runs, cold.iter().map(|r| r.0).collect());
    let cpu = report("one page, cold process: CPU (user + system)", "ms", runs, cold.iter().map(|r| r.1).collect());
    let peak = report("one page, cold process: peak RSS", "MiB", runs, cold.iter().map(|r| r.2).collect());

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
    // Every edition as if its text were new: fonts mapped and checked anew, so no subset
    // is remembered from the edition before.
    let fresh = measure("20 editions, nothing remembered, --jobs 1", 5, || {
        editions
            .iter()
            .map(|e| build_in(&Session::default(), &layout_path, e, Options::default()).unwrap().pdf.len())
            .sum::<usize>()
    });
    println!(
        "{:<46} {:>15.1} ms per edition (--jobs 1), {:.1} ms (--jobs 2), {:.1} ms when its glyphs are new\n",
        "warm",
        batch1 / 20.0,
        batch2 / 20.0,
        fresh / 20.0
    );
    batch_split(&session, &layout_path, &edition_path, 20);
    cold_split(dir.path(), &root, runs);

    // The copy-fit as shipped (the layout's `fit:`), for both demo editions: a batch of one
    // edition, the compose with its tries, and the same compose with nothing allowed to flex.
    let edition_2025 = root.join("editions/2025.yaml");
    let editions_2025: Vec<&Path> = std::iter::repeat_n(edition_2025.as_path(), 20).collect();
    let batch_2025 = measure("20 editions of 2025, one process, --jobs 1", 3, || {
        editions_2025
            .iter()
            .map(|e| build_in(&session, &layout_path, e, Options::default()).unwrap().pdf.len())
            .sum::<usize>()
    });
    println!("{:<46} {:>15.1} ms per edition of 2025 (--jobs 1)\n", "warm", batch_2025 / 20.0);
    for edition in [&edition_path, &edition_2025] {
        copy_fit_split(&layout_path, edition, runs);
    }

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
        ink_limit: job.print.ink_limit,
    };
    // Rendering with faces just loaded, so every subset is cut: the cost of new text.
    let mut clocks = Vec::new();
    for _ in 0..runs {
        let fonts = FontBook::load(&job.fonts).unwrap();
        let (start, cpu) = (Instant::now(), cpu_time());
        let mut clock = Clock::default();
        std::hint::black_box(render::render_timed(&composition.display, &fonts, &images, &meta, &mut clock).unwrap());
        clocks.push((ms(start.elapsed()), (cpu_time() - cpu) * 1000.0, clock));
    }
    let render_t = report("render: the PDF, its glyphs new", "ms", runs, clocks.iter().map(|c| c.0).collect());
    report("  CPU", "ms", runs, clocks.iter().map(|c| c.1).collect());
    let subset = report("  subset 5 faces", "ms", runs, clocks.iter().map(|c| ms(c.2.subset)).collect());
    let compress =
        report("  compress content, fonts, CMaps", "ms", runs, clocks.iter().map(|c| ms(c.2.compress)).collect());
    println!("{:<46} {:>15.1} ms (rendering less subset and compress)", "  write", render_t - subset - compress);
    render::render(&composition.display, &fonts, &images, &meta).unwrap();
    measure("render: the PDF, glyphs as the edition before", runs, || {
        render::render(&composition.display, &fonts, &images, &meta).unwrap()
    });
    let pdf = render::render(&composition.display, &fonts, &images, &meta).unwrap();
    let checks = measure("preflight: check and read the PDF back", runs, || {
        let mut p = preflight::check(&job, &fonts, &images, &composition, false);
        preflight::verify_pdf(&pdf, &mut p);
        p
    });
    let total = parse + fonts_t + photos + compose_t + render_t + checks;
    println!("{:<46} {:>15.1} ms in all (fonts included, glyphs new)\n", "sum of the phases", total);

    measure("preview: the page as a 72 dpi PNG", 5, || {
        render::png::render_page(&composition.display, &fonts, &images, 0, 72.0, render::FOGRA39).unwrap()
    });
    println!(
        "\ncold one page {wall:.0} ms ({cpu:.0} ms CPU) and {peak:.1} MiB; warm {:.1} ms per edition with --jobs 1 (goals: 30 ms, 40 MiB)",
        batch1 / 20.0
    );
}
