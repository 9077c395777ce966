//! The proof's web server (tiny_http, 127.0.0.1 only): one page of plain HTML and
//! JavaScript (`page.html`, inside the binary), the state of the last build as JSON, each
//! page and its overlay as PNG, and the map of the last good proof. The build loop
//! rebuilds on every change of an input; the page polls `/version` and reloads what
//! changed. A failed build is shown with its errors beside the last good proof.
//!
//! | path | what |
//! | --- | --- |
//! | `/` | the proof page |
//! | `/version` | `{"version": N}`: N grows with every build (twice when a rough proof comes first) |
//! | `/state` | the last build: when, why, how long (and each stage, and the photos decoded or kept), ok, summary, diagnostics, the proof shown and whether it is the rough one |
//! | `/page/N.png`, `/overlay/N.png` | page N (from 1) and its grid overlay |
//! | `/map` | the frames and lines of the proof shown, with their origins ([`super::map`]) |

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tiny_http::{Header, Method, Request, Response};

use super::changes::{self, Changes};
use super::{map, Clock, Outcome, Proof, Settings};
use crate::diagnostic::Diagnostic;

const PAGE: &str = include_str!("page.html");

/// What the browser is shown: the last build, and the last proof (which may be older).
#[derive(Default)]
struct Shown {
    version: u64,
    state: Value,
    proof: Option<Arc<Proof>>,
}

/// A bound server, not yet building.
pub struct Server {
    http: Arc<tiny_http::Server>,
    port: u16,
    shown: Arc<Mutex<Shown>>,
}

impl Server {
    /// Listen on 127.0.0.1:`port` (0: a free port). Only this machine can connect.
    pub fn bind(port: u16) -> Result<Server, Diagnostic> {
        let http = tiny_http::Server::http(("127.0.0.1", port))
            .map_err(|e| Diagnostic::error(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
        let port = http.server_addr().to_ip().map_or(port, |a| a.port());
        Ok(Server { http: Arc::new(http), port, shown: Arc::default() })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Serve, build, and rebuild on every change of an input, for ever; `report` hears of
    /// each build (and of the folders watched). Returns only when watching fails.
    pub fn run(self, settings: Settings, clock: Clock, mut report: impl FnMut(&Outcome, &Changes)) -> Diagnostic {
        for _ in 0..4 {
            let (http, shown, port) = (self.http.clone(), self.shown.clone(), self.port);
            std::thread::spawn(move || {
                while let Ok(request) = http.recv() {
                    answer(request, &shown, port);
                }
            });
        }
        let mut changes = match Changes::new() {
            Ok(c) => c,
            Err(d) => return d,
        };
        let mut why = "first build".to_owned();
        // What any build read: a font stays watched while the YAML it is named in is broken.
        let mut inputs = crate::output::Inputs::new();
        let mut session = super::FreshSession::default();
        loop {
            // A rough proof first (see `super::build`), then the sharp one.
            let quick = |rough: &Outcome| publish(&self.shown, &settings, rough);
            let outcome = super::build(&settings, &why, &clock, &mut session, quick);
            publish(&self.shown, &settings, &outcome);
            inputs.extend(&outcome.inputs);
            if let Err(d) = changes.follow(&inputs) {
                return d;
            }
            report(&outcome, &changes);
            match changes.next(&inputs) {
                Some(changed) => why = changes::describe(&changed),
                None => return Diagnostic::error("the file watcher stopped"),
            }
        }
    }
}

/// A diagnostic for the browser: [`Diagnostic::to_json`] with the source line and a link
/// that opens the place in VS Code.
fn diagnostic_json(d: &Diagnostic) -> Value {
    let mut v = d.to_json();
    if let Some(loc) = &d.location {
        v["link"] = json!(map::editor_link(loc));
        v["source_line"] = json!(loc.source_line);
    }
    v
}

fn publish(shown: &Mutex<Shown>, settings: &Settings, outcome: &Outcome) {
    let mut shown = shown.lock().unwrap_or_else(|e| e.into_inner());
    shown.version += 1;
    let version = shown.version;
    let previous_proof = shown.state.get("proof").cloned().unwrap_or(Value::Null);
    let proof = match &outcome.proof {
        Some(proof) => json!({
            "version": version,
            "stamp": outcome.stamp,
            "pages": proof.pages.len(),
            "width": proof.width,
            "dpi": proof.dpi,
            "height": proof.height,
        }),
        None => previous_proof,
    };
    shown.state = json!({
        "version": version,
        "ok": outcome.ok(),
        "headline": outcome.headline(),
        "stamp": outcome.stamp,
        "why": outcome.why,
        "seconds": outcome.seconds,
        "draw_seconds": outcome.draw_seconds,
        "stages": outcome.stages.iter().map(|(stage, seconds)| json!({"stage": stage, "seconds": seconds})).collect::<Vec<_>>(),
        // What drawing took from the drawings before: photos decoded again or kept.
        "photos_decoded": outcome.kept.photos_decoded,
        "photos_kept": outcome.kept.photos_kept,
        "overlays_kept": outcome.kept.overlays_kept,
        "edition": settings.edition.display().to_string(),
        "layout": settings.layout.display().to_string(),
        "summary": outcome.summary,
        "diagnostics": outcome.diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
        "proof": proof,
        // The pages shown are not this build's: it failed before drawing them.
        "stale": outcome.proof.is_none(),
        // The pages are the rough first drawing; the sharp one follows.
        "rough": outcome.proof.as_ref().is_some_and(|p| p.dpi < settings.dpi),
    });
    if let Some(proof) = &outcome.proof {
        shown.proof = Some(proof.clone());
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn reply(status: u16, kind: &str, body: Vec<u8>) -> Reply {
    Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

fn json_reply(v: &Value) -> Reply {
    reply(200, "application/json", v.to_string().into_bytes())
}

fn not_found(what: &str) -> Reply {
    reply(404, "text/plain; charset=utf-8", format!("{what}: no such thing here\n").into_bytes())
}

/// A request for another host than ours is refused: a web page elsewhere must not read
/// the proof through a name it points at 127.0.0.1 (DNS rebinding).
fn host_is_ours(request: &Request, port: u16) -> bool {
    request.headers().iter().filter(|h| h.field.equiv("Host")).all(|h| {
        let host = h.value.as_str();
        host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
    })
}

fn answer(request: Request, shown: &Mutex<Shown>, port: u16) {
    let response = if !host_is_ours(&request, port) {
        reply(403, "text/plain; charset=utf-8", b"only 127.0.0.1 is served\n".to_vec())
    } else if *request.method() != Method::Get && *request.method() != Method::Head {
        reply(405, "text/plain; charset=utf-8", b"only GET\n".to_vec())
    } else {
        route(request.url(), shown)
    };
    let _ = request.respond(response);
}

/// The reply to a GET of `url` (a query string is ignored: the page adds `?v=N` to
/// defeat caches).
fn route(url: &str, shown: &Mutex<Shown>) -> Reply {
    let path = url.split('?').next().unwrap_or(url);
    let shown = shown.lock().unwrap_or_else(|e| e.into_inner());
    match path {
        "/" | "/index.html" => reply(200, "text/html; charset=utf-8", PAGE.as_bytes().to_vec()),
        "/version" => json_reply(&json!({ "version": shown.version })),
        "/state" => json_reply(&shown.state),
        "/map" => match &shown.proof {
            Some(proof) => json_reply(&proof.map),
            None => json_reply(&json!({ "pages": [] })),
        },
        _ => {
            let image = |prefix: &str| -> Option<usize> {
                path.strip_prefix(prefix)?.strip_suffix(".png")?.parse::<usize>().ok()?.checked_sub(1)
            };
            let (page, overlay) = match (image("/page/"), image("/overlay/")) {
                (Some(n), _) => (n, false),
                (_, Some(n)) => (n, true),
                _ => return not_found(path),
            };
            match shown.proof.as_ref().and_then(|p| p.pages.get(page)) {
                Some(images) => reply(200, "image/png", if overlay { &images.overlay } else { &images.png }.clone()),
                None => not_found(path),
            }
        }
    }
}
