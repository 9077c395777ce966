//! `cargo bench --bench scale`: how the time and memory of composing grow with the text.
//!
//! Long text at the line breaker (a 200,000-character paragraph, an 800-character caption,
//! a 2,000-character folio line), the same through the layout (where text that cannot
//! fit its frame must fail fast), and whole editions of 1, 10, 25 and 50 times the demo's
//! text over as many pages as they need. A plain harness: each case runs several times
//! and reports the median; memory is the peak of the heap above what was in use before
//! the case, counted by this binary's allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use paiban::build::{build_in, check_in, Options, Session};
use paiban::fonts::{Face, FontBook};
use paiban::spec::layout::Align;
use paiban::text::{self, linebreak, Config, LineWidths, StyledRun, Widths};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[repr(C)]
struct Timespec {
    seconds: i64,
    nanoseconds: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
}

/// CPU time of this process: on a shared machine wall time counts the others' work too.
fn cpu_time() -> Duration {
    const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
    let mut t = Timespec { seconds: 0, nanoseconds: 0 };
    // SAFETY: `t` is a valid timespec for the call to fill in.
    let ok = unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut t) } == 0;
    if ok {
        Duration::new(t.seconds as u64, t.nanoseconds as u32)
    } else {
        Duration::ZERO
    }
}

/// Median wall and CPU time and peak extra heap of `runs` runs of `f`.
struct Measured {
    wall: Duration,
    cpu: Duration,
    peak: usize,
}

fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> Measured {
    let mut walls = Vec::with_capacity(runs);
    let mut cpus = Vec::with_capacity(runs);
    let mut peak = 0;
    for _ in 0..runs {
        let base = IN_USE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let (start, cpu) = (Instant::now(), cpu_time());
        std::hint::black_box(f());
        walls.push(start.elapsed());
        cpus.push(cpu_time().saturating_sub(cpu));
        peak = peak.max(PEAK.load(Ordering::Relaxed) - base);
    }
    walls.sort();
    cpus.sort();
    Measured { wall: walls[runs / 2], cpu: cpus[runs / 2], peak }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn report(name: &str, m: &Measured) {
    println!("{name:<68} {:>9.1} ms {:>9.1} ms {:>9.1} MB", ms(m.cpu), ms(m.wall), mb(m.peak));
}

fn header(title: &str) {
    println!("{title:<68} {:>12} {:>12} {:>12}", "CPU", "wall", "peak heap");
}

/// The demo's kind of body text: Han with its punctuation, quotes, numbers.
const PROSE: &str = "江津区城市建设事务中心深入贯彻落实“人民城市人民建、人民城市为人民”重要理念，\
    牢牢把握成渝地区双城经济圈建设发展契机，2024年完成投资约53亿元，新增学位1200余个；\
    围绕现代化新江津建设任务，锚定“一枢纽三高地”奋斗目标（见图）……持续书写经济健康发展、\
    民生福祉增进、社会和谐稳定的优异答卷！";

fn prose(chars: usize) -> String {
    PROSE.chars().cycle().take(chars).collect()
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    println!(
        "paiban scale benchmark, release build: medians of the runs' CPU and wall time, peak heap above the start\n"
    );
    breaker(&root);
    println!();
    through_the_layout(&root);
    println!();
    editions(&root);
}

/// The line breaker alone, in the demo's body and caption settings.
fn breaker(root: &Path) {
    let path = root.join("fonts/NotoSerifCJKsc-Regular.otf");
    let data = Arc::new(std::fs::read(&path).expect("the demo's serif font"));
    let book = FontBook { faces: vec![Face::from_bytes("serif", &path, 0, data).expect("a font")] };
    let size = 9.0;
    let column = 13.0 * size;
    let body = Config { indent: 2.0 * size, ..Config::default() };
    let set = |chars: &str, config: &Config, measure: f32| {
        let run = [StyledRun { text: chars, fonts: &[0], size, tracking: 0.0, tag: 0 }];
        text::set_paragraph(&run, &book, config, measure).expect("covered").len()
    };
    // The breaker's own count of its work: the same on any machine, however busy.
    let fits_per_atom = |chars: &str, measure: f32| {
        let run = [StyledRun { text: chars, fonts: &[0], size, tracking: 0.0, tag: 0 }];
        let p = text::prepare(&run, &book, &body).expect("covered");
        let sums = linebreak::Sums::new(&p);
        let mut measure = measure;
        let breaks = linebreak::break_lines(&p, &sums, &body, &mut LineWidths::new(&mut measure, body.indent));
        breaks.work.fits as f64 / p.atoms.len() as f64
    };
    header("the line breaker (prepare, break, set)");
    let mut per_char = Vec::new();
    for chars in [20_000, 100_000, 200_000] {
        let text = prose(chars);
        let m = measure(5, || set(&text, &body, column));
        report(&format!("body paragraph of {chars} characters, one 13-character column"), &m);
        let fits = fits_per_atom(&text, column);
        per_char.push((chars, m.cpu.as_secs_f64() / chars as f64, m.peak as f64 / chars as f64, fits));
    }
    // A thread's line boxes: 400 lines of differing widths (columns beside photos), then
    // the columns end. Line counts are kept apart only over those 400 lines.
    let text = prose(200_000);
    let widths: Vec<f32> = (0..400).map(|i| if (i / 20) % 3 == 0 { 6.0 * size } else { column }).collect();
    let m = measure(5, || {
        let run = [StyledRun { text: &text, fonts: &[0], size, tracking: 0.0, tag: 0 }];
        let measure = Widths::new(|i| widths.get(i).copied(), column);
        text::set_paragraph(&run, &book, &body, measure).expect("covered").len()
    });
    report("body paragraph of 200000 characters, 400 lines of two widths first", &m);
    let caption = Config { align: Align::Start, ..Config::default() };
    let m = measure(9, || set(&prose(800), &caption, 40.0 * size));
    report("caption of 800 characters, 40 characters wide", &m);
    let folio = Config { align: Align::Start, ..Config::default() };
    let m = measure(9, || set(&prose(2_000), &folio, 96.0 * size));
    report("folio line of 2000 characters, a page wide", &m);
    let (first, last) = (per_char[0], per_char[per_char.len() - 1]);
    println!(
        "growth over the paragraphs: {}× the characters, {:.2}× the CPU time per character, {:.2}× the memory per character",
        last.0 / first.0,
        last.1 / first.1,
        last.2 / first.2
    );
    let fits: Vec<String> = per_char.iter().map(|(chars, .., fits)| format!("{fits:.2} at {chars}")).collect();
    println!("lines judged per atom (the breaker's work): {}", fits.join(", "));
}

/// A copy of the demo project in a temporary folder: its layout and edition rewritten,
/// fonts, photos and profiles hard-linked from the repository (real folders: the build
/// resolves symbolic links and would find the files outside the project).
struct Project {
    dir: tempfile::TempDir,
}

/// `from` recreated at `to`, each file a hard link (a copy where a link cannot be made).
fn link_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a folder to read") {
        let entry = entry.expect("an entry");
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().expect("a file type").is_dir() {
            link_tree(&source, &target);
        } else if std::fs::hard_link(&source, &target).is_err() {
            std::fs::copy(&source, &target).expect("a copy");
        }
    }
}

impl Project {
    fn new(root: &Path, layout: &str, edition: &str) -> Project {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for folder in ["fonts", "images", "profiles"] {
            link_tree(&root.join(folder), &dir.path().join(folder));
        }
        std::fs::create_dir(dir.path().join("editions")).expect("a folder");
        std::fs::write(dir.path().join("layout.yaml"), layout).expect("the layout");
        std::fs::write(dir.path().join("editions/e.yaml"), edition).expect("the edition");
        Project { dir }
    }
    fn layout(&self) -> PathBuf {
        self.dir.path().join("layout.yaml")
    }
    fn edition(&self) -> PathBuf {
        self.dir.path().join("editions/e.yaml")
    }
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `check` of editions of the demo with one text made long: what fits is set, and what
/// cannot fit is an error, found fast.
fn through_the_layout(root: &Path) {
    let layout = read(root.join("layout.yaml"));
    let edition = read(root.join("editions/2024.yaml"));
    let session = Session::default();
    header("`check` of the demo with one text made long");
    let base = Project::new(root, &layout, &edition);
    let m = measure(5, || check_in(&session, &base.layout(), &base.edition(), Options::default()));
    report("the demo as it is", &m);
    // Each case: the line found by its key and how it starts, its text made long, and
    // the pages added to the layout for the main thread.
    let cases = [
        ("body paragraph of 200000 characters (overset)", "      - ", "\"灯火阑珊处", 200_000, 0),
        ("body paragraph of 200000 characters, 15 pages more (overset)", "      - ", "\"灯火阑珊处", 200_000, 15),
        ("caption of 800 characters on the hero photo (too long)", "    caption: ", "湖光山色", 800, 0),
        ("edition title (folio) of 2000 characters (too long)", "  title: ", "\"江津区", 2_000, 0),
    ];
    for (name, key, start, chars, pages) in cases {
        let line = format!("{key}{start}");
        let at = edition.find(&line).unwrap_or_else(|| panic!("the demo edition has no line {line:?}"));
        let end = at + edition[at..].find('\n').expect("a line end");
        let long = format!("{}{key}\"{}\"{}", &edition[..at], prose(chars), &edition[end..]);
        let project = Project::new(root, &scaled_layout(&layout, pages), &long);
        let checked = check_in(&session, &project.layout(), &project.edition(), Options::default());
        assert!(checked.has_errors(), "{name}: no error");
        let m = measure(5, || check_in(&session, &project.layout(), &project.edition(), Options::default()));
        report(name, &m);
    }
}

/// The demo edition with its main thread's text `times` over: the intro, the sections
/// (ids made unique) and the closing repeated.
fn scaled_edition(edition: &str, times: usize) -> String {
    let part = |from: &str, to: &str| -> (usize, usize) {
        let start = edition.find(from).unwrap_or_else(|| panic!("no {from:?}")) + from.len();
        let end = start + edition[start..].find(to).unwrap_or_else(|| panic!("no {to:?}"));
        (start, end)
    };
    let (intro_start, intro_end) = part("\nintro:\n", "\nsections:\n");
    let (sections_start, sections_end) = part("\nsections:\n", "\nclosing:\n");
    let (closing_start, closing_end) = part("\nclosing:\n", "\nphotos:\n");
    let intro = &edition[intro_start..intro_end];
    let sections = &edition[sections_start..sections_end];
    let closing = &edition[closing_start..closing_end];
    let mut out = String::from(&edition[..intro_start]);
    for _ in 0..times {
        writeln!(out, "{intro}").unwrap();
    }
    out.push_str("sections:\n");
    for k in 0..times {
        writeln!(out, "{}", sections.replace("  - id: ", &format!("  - id: s{k}-"))).unwrap();
    }
    out.push_str("closing:\n");
    for _ in 0..times {
        writeln!(out, "{closing}").unwrap();
    }
    out.push_str(&edition[closing_end..]);
    out
}

/// The demo layout with `extra` pages after the first, each one frame of the main thread
/// over all eight columns.
fn scaled_layout(layout: &str, extra: usize) -> String {
    let at = layout.find("\nthreads:\n").expect("a threads key");
    let mut out = String::from(&layout[..at]);
    for page in 2..extra + 2 {
        write!(out, "\n  - frames:\n      - {{id: body-{page}, thread: main, columns: 1-8, lines: 1-end}}").unwrap();
    }
    out.push_str(&layout[at..]);
    out
}

/// Whole editions, composed and checked (`check`) and built to PDF bytes (`build`).
fn editions(root: &Path) {
    let layout = read(root.join("layout.yaml"));
    let edition = read(root.join("editions/2024.yaml"));
    let session = Session::default();
    println!(
        "{:<26} {:>6} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "editions: the demo's text", "pages", "check CPU", "+ per ×", "build CPU", "+ per ×", "build heap"
    );
    let mut rows = Vec::new();
    for times in [1usize, 10, 25, 50] {
        // The demo's main thread takes 234 lines of page 1; a page of eight columns holds
        // 848. Pages enough for the text, and one to spare.
        let extra = if times == 1 { 0 } else { (times * 234).div_ceil(848) + 1 };
        let project = Project::new(root, &scaled_layout(&layout, extra), &scaled_edition(&edition, times));
        let built = build_in(&session, &project.layout(), &project.edition(), Options::default())
            .unwrap_or_else(|e| panic!("{times}× the text: {e}"));
        let pages = built.composition.display.pages.len();
        let runs = 5;
        let check = measure(runs, || check_in(&session, &project.layout(), &project.edition(), Options::default()));
        let build = measure(runs, || build_in(&session, &project.layout(), &project.edition(), Options::default()));
        rows.push((times, pages, check, build));
    }
    // What each further demo's worth of text adds: constant when growth is linear.
    let (one_check, one_build) = (ms(rows[0].2.cpu), ms(rows[0].3.cpu));
    for (times, pages, check, build) in &rows {
        let added = |total: f64, one: f64| {
            if *times > 1 {
                format!("{:.1} ms", (total - one) / (*times - 1) as f64)
            } else {
                "".into()
            }
        };
        println!(
            "{:<26} {:>6} {:>9.0} ms {:>12} {:>9.0} ms {:>12} {:>9.1} MB",
            format!("{times}×"),
            pages,
            ms(check.cpu),
            added(ms(check.cpu), one_check),
            ms(build.cpu),
            added(ms(build.cpu), one_build),
            mb(build.peak)
        );
    }
    println!("(+ per ×: the CPU time over the demo's, per further demo's worth of text)");
}
