//! `paiban serve` end to end, in a real browser: headless Chromium loads the proof page
//! after its JavaScript has run (`--dump-dom` with a virtual time budget), the test edits
//! the edition in a copy of the project, and the proof, its version and the diagnostics
//! the page shows follow.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// Headless Chromium, which CI installs (.ci/run). Without it the test fails: a browser
/// test that skips itself silently would pass without testing anything.
fn chromium() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            if dir.join(name).is_file() {
                return dir.join(name);
            }
        }
    }
    panic!("this test needs headless Chromium: install it with `apt-get install -y chromium` (.ci/run does)");
}

/// The page as the browser has it once its script has run (and `#fragment` was applied).
fn dom(port: u16, fragment: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--virtual-time-budget=10000"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("http://127.0.0.1:{port}/{fragment}"))
        .stderr(Stdio::null())
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A GET with the given Host header: status and body.
fn get_as(port: u16, host: &str, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut all = Vec::new();
    stream.read_to_end(&mut all).unwrap();
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").expect("an HTTP reply");
    let status = String::from_utf8_lossy(&all[..split]).split(' ').nth(1).unwrap().parse().unwrap();
    (status, all[split + 4..].to_vec())
}

fn get(port: u16, path: &str) -> Vec<u8> {
    let (status, body) = get_as(port, &format!("127.0.0.1:{port}"), path);
    assert_eq!(status, 200, "GET {path}: {}", String::from_utf8_lossy(&body));
    body
}

fn json(port: u16, path: &str) -> Value {
    serde_json::from_slice(&get(port, path)).unwrap()
}

/// `paiban serve` running in a project; killed when dropped.
struct Serving {
    child: Child,
    port: u16,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &std::path::Path) -> Serving {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .current_dir(dir)
        .args(["serve", "edition.yaml", "--port", "0", "--dpi", "20"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("serve says where it serves").unwrap();
    // Keep reading, so that serve never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let url = first.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).expect(&first);
    let port = url.trim_start_matches("http://127.0.0.1:").trim_end_matches('/').parse().unwrap();
    Serving { child, port }
}

/// Wait until the server has made build `version`, and return its state.
fn state_after(port: u16, version: u64) -> Value {
    let start = Instant::now();
    loop {
        let state = json(port, "/state");
        if state["version"].as_u64().is_some_and(|v| v >= version) {
            return state;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "build {version} did not come within two minutes");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn serve_shows_the_proof_in_a_browser_follows_edits_and_keeps_the_last_good_proof() {
    chromium();
    let project = Project::new(same, same);
    let server = serve(project.dir.path());
    let port = server.port;

    // The first build, in the browser: its pages, the summary and the diagnostics.
    let state = state_after(port, 1);
    assert_eq!(state["ok"], true, "{state}");
    let page = dom(port, "");
    assert!(page.contains(r#"id="status" class="ok" data-version="1""#), "{page}");
    assert!(page.contains("first build: rebuilt in "), "{page}");
    assert_eq!(count(&page, r#"<img class="proof""#), 1, "one page: {page}");
    assert!(page.contains(r#"src="/page/1.png?v=1""#) && page.contains(r#"src="/overlay/1.png?v=1""#), "{page}");
    assert!(page.contains("edition.yaml: 1 page(s), "), "the summary: {page}");
    let warnings = state["diagnostics"].as_array().unwrap().iter().filter(|d| d["severity"] == "warning").count();
    assert!(warnings > 0, "the demo has warnings: {state}");
    assert_eq!(count(&page, r#"<li class="warning">"#), warnings, "every warning is listed: {page}");

    let first_png = get(port, "/page/1.png");
    let overlay = get(port, "/overlay/1.png");
    assert!(first_png.starts_with(b"\x89PNG") && overlay.starts_with(b"\x89PNG"));
    assert_ne!(first_png, overlay);

    // A click on a body line (here: the page opened at that point) says where it comes from.
    let map = json(port, "/map");
    let line = map["pages"][0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["role"] == "body" && l["block"].as_str().unwrap().starts_with("sections[1]"))
        .expect("a body line of the second section")
        .clone();
    let (x, y) = (line["x"].as_f64().unwrap() + 5.0, line["y"].as_f64().unwrap() + line["h"].as_f64().unwrap() / 2.0);
    let frame = &map["pages"][0]["frames"][line["frame"].as_u64().unwrap() as usize];
    let chosen = dom(port, &format!("#at=1,{x:.1},{y:.1}"));
    let block = line["block"].as_str().unwrap();
    let want = format!(r#"data-block="{block}" data-frame="{}""#, frame["id"].as_str().unwrap());
    assert!(chosen.contains(&want), "{want} in {chosen}");
    let yaml_line = line["source"]["line"].as_u64().unwrap();
    assert!(chosen.contains(&format!(">edition.yaml:{yaml_line}:")), "the block's YAML line: {chosen}");
    assert!(chosen.contains("economy, frame #1 of the thread"), "{chosen}");
    // The block as a message names it: the section by its id, the paragraph from 1.
    let place = line["place"].as_str().unwrap();
    assert!(place.starts_with("section `economy`, paragraph "), "{line}");
    assert!(chosen.contains(&format!("<dd>{place} <a")), "the block in words: {chosen}");
    // A click on a photo, where no line is: its frame, and no block.
    let hero = map["pages"][0]["frames"].as_array().unwrap().iter().find(|f| f["id"] == "hero").unwrap().clone();
    let (x, y) = (hero["x"].as_f64().unwrap() + 100.0, hero["y"].as_f64().unwrap() + 100.0);
    let chosen = dom(port, &format!("#at=1,{x:.1},{y:.1}"));
    assert!(chosen.contains(r#"data-block="" data-frame="hero""#), "{chosen}");
    let hero_line = project.line_of("layout.yaml", "id: hero");
    assert!(chosen.contains(&format!(">layout.yaml:{hero_line}:")), "the frame's layout line: {chosen}");

    // A good edit: a new version, a new picture.
    let edition = std::fs::read_to_string(project.edition()).unwrap();
    std::fs::write(project.edition(), replace_exact(&edition, "时光灿灿", "时光灿灿灿")).unwrap();
    let state = state_after(port, 2);
    assert_eq!(state["ok"], true, "{state}");
    assert!(state["why"].as_str().unwrap().contains("edition.yaml changed"), "{state}");
    let second_png = get(port, "/page/1.png");
    assert_ne!(second_png, first_png, "the proof follows the edit");

    // A bad edit: its error, where it is, beside the last good proof.
    std::fs::write(project.edition(), replace_exact(&edition, "year: 2024", "year: twenty")).unwrap();
    let state = state_after(port, 3);
    assert_eq!(state["ok"], false, "{state}");
    assert_eq!(state["stale"], true, "{state}");
    assert_eq!(state["proof"]["version"], 2, "the last good proof stays: {state}");
    assert_eq!(get(port, "/page/1.png"), second_png);
    let page = dom(port, "");
    assert!(page.contains(r#"id="status" class="failed" data-version="3""#), "{page}");
    assert!(page.contains("edition.yaml changed: FAILED in "), "{page}");
    assert!(page.contains("last good proof"), "{page}");
    assert!(page.contains(r#"src="/page/1.png?v=2""#), "the good proof is shown: {page}");
    let bad_line = project.line_of("edition.yaml", "year: twenty");
    let place = format!("edition.yaml:{bad_line}:");
    assert!(page.contains(r#"<li class="error">"#) && page.contains(&format!(">{place}")), "{place} in {page}");
    let real = project.dir.path().canonicalize().unwrap().join("edition.yaml");
    assert!(page.contains(&format!(r#"href="vscode://file{}:{bad_line}:"#, real.display())), "{page}");
    assert!(page.contains("year: twenty"), "the source line is shown: {page}");

    // Fixed again: ok, and the proof is this build's.
    std::fs::write(project.edition(), &edition).unwrap();
    let state = state_after(port, 4);
    assert_eq!((state["ok"].clone(), state["proof"]["version"].clone()), (Value::from(true), Value::from(4)));
    assert_eq!(get(port, "/page/1.png"), first_png, "the same input draws the same proof");
}

#[test]
fn serve_answers_only_for_itself_and_only_what_it_has() {
    let project = Project::new(same, same);
    let server = serve(project.dir.path());
    let port = server.port;
    state_after(port, 1);
    // Another name pointed at 127.0.0.1 (DNS rebinding) is refused; ours are served.
    assert_eq!(get_as(port, "evil.example:80", "/state").0, 403);
    assert_eq!(get_as(port, &format!("localhost:{port}"), "/version").0, 200);
    let page = String::from_utf8(get(port, "/")).unwrap();
    assert!(page.starts_with("<!doctype html>") && page.contains("fetch(\"/version\")"));
    // A save of the layout is a change too.
    let layout = std::fs::read_to_string(project.layout()).unwrap();
    std::fs::write(project.layout(), format!("{layout}\n# saved again\n")).unwrap();
    let state = state_after(port, 2);
    assert!(state["why"].as_str().unwrap().contains("layout.yaml changed"), "{state}");
    assert_eq!(state["ok"], true, "{state}");
    // A port taken: said, exit 1.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port_taken = taken.local_addr().unwrap().port().to_string();
    let run = paiban(project.dir.path(), ["serve", "edition.yaml", "--port", &port_taken]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("cannot listen on 127.0.0.1:"), "{run:?}");
    for missing in ["/page/2.png", "/page/0.png", "/overlay/x.png", "/etc/passwd", "/../layout.yaml"] {
        assert_eq!(get_as(port, &format!("127.0.0.1:{port}"), missing).0, 404, "{missing}");
    }
}
