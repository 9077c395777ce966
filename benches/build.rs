//! `cargo bench`: where the time of a build goes, and how batches scale.
//!
//! A plain harness (no criterion): each measurement runs several times and reports the
//! median and the fastest run. Quote medians and ratios: shared machines are noisy.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use paiban::build::{build_in, Options, Session};
use paiban::fonts::FontBook;
use paiban::images::Image;
use paiban::layout::{self, compose};
use paiban::model::Job;
use paiban::render::{self, Metadata};
use rayon::prelude::*;

fn measure<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times[runs / 2];
    println!("{name:<44} median {:>8.1} ms   fastest {:>8.1} ms   ({runs} runs)", ms(median), ms(times[0]));
    median
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (layout_path, edition_path) = (root.join("layout.yaml"), root.join("editions/2024.yaml"));
    let runs = 15;
    println!("paiban benchmark: the demo edition (editions/2024.yaml), release build\n");

    let parse = measure("parse + validate (layout, edition)", runs, || Job::load(&layout_path, &edition_path).unwrap());
    let job = Job::load(&layout_path, &edition_path).unwrap();
    let fonts_t = measure("fonts: read and index 6 faces", runs, || FontBook::load(&job.fonts).unwrap());
    let fonts = FontBook::load(&job.fonts).unwrap();
    let images_t = measure("photos: read 8 JPEGs and their headers", runs, || {
        job.photos.iter().map(|p| Image::load(&p.path, &p.asked_at).unwrap()).collect::<Vec<_>>()
    });
    let images: Vec<Image> = job.photos.iter().map(|p| Image::load(&p.path, &p.asked_at).unwrap()).collect();
    let compose_t = measure("compose (line breaking, wrap, flow)", runs, || {
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
    let render_t = measure("render (printpdf: fonts, subsetting, PDF)", runs, || {
        render::render(&composition.display, &fonts, &images, &meta).unwrap()
    });
    measure("  of which printpdf parses the 5 faces used", runs, || {
        render::parse_fonts_for_bench(&composition.display, &fonts)
    });
    let total = parse + fonts_t + images_t + compose_t + render_t;
    println!(
        "{:<44} {:>15.1} ms in all; render is {:.0} %\n",
        "sum of the phases",
        ms(total),
        100.0 * ms(render_t) / ms(total)
    );

    measure("preview: the page as a 72 dpi PNG", runs, || {
        render::png::render_page(&composition.display, &fonts, &images, 0, 72.0).unwrap()
    });
    let one = measure("one edition, YAML to PDF bytes, new session", runs, || {
        build_in(&Session::default(), &layout_path, &edition_path, Options::default()).unwrap()
    });
    let editions: Vec<&Path> = std::iter::repeat_n(edition_path.as_path(), 20).collect();
    let session = Session::default();
    let batch1 = measure("20 editions, one thread, shared fonts", 5, || {
        editions
            .iter()
            .map(|e| build_in(&session, &layout_path, e, Options::default()).unwrap().pdf.len())
            .sum::<usize>()
    });
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let batch2 = measure("20 editions, two threads, shared fonts", 5, || {
        pool.install(|| {
            editions
                .par_iter()
                .map(|e| build_in(&session, &layout_path, e, Options::default()).unwrap().pdf.len())
                .sum::<usize>()
        })
    });
    println!(
        "\n20 editions: {:.2} s on one thread ({:.1} × one edition), {:.2} s on two ({:.2} × faster)",
        batch1.as_secs_f64(),
        batch1.as_secs_f64() / one.as_secs_f64(),
        batch2.as_secs_f64(),
        batch1.as_secs_f64() / batch2.as_secs_f64()
    );
}
