//! Reading our PDFs back with lopdf, independently of the code that wrote them.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn demo_layout() -> PathBuf {
    root().join("layout.yaml")
}

pub fn demo_edition() -> PathBuf {
    root().join("editions/2024.yaml")
}

/// The classic layout's frame for the main thread ([`Project::classic`]).
pub const BODY_FRAME: &str = "{id: body, thread: main, columns: 1-8, lines: 53-end}";

/// The demo layout and edition copied into a temporary folder, edited by `edit_layout` and
/// `edit_edition`. The folder links to the project's fonts/, images/ and profiles/ and to
/// tests/fixtures as fixtures/, so the copies name them as the demo does, inside the project.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new(edit_layout: impl Fn(String) -> String, edit_edition: impl Fn(String) -> String) -> Project {
        Project::from(demo_layout(), edit_layout, edit_edition)
    }

    /// [`Project::new`] from `tests/fixtures/classic-layout.yaml`: the demo page with one
    /// eight-column body thread (`main`, [`BODY_FRAME`]) instead of section blocks.
    pub fn classic(edit_layout: impl Fn(String) -> String, edit_edition: impl Fn(String) -> String) -> Project {
        Project::from(root().join("tests/fixtures/classic-layout.yaml"), edit_layout, edit_edition)
    }

    fn from(
        layout: PathBuf,
        edit_layout: impl Fn(String) -> String,
        edit_edition: impl Fn(String) -> String,
    ) -> Project {
        let dir = tempfile::tempdir().unwrap();
        link_assets(dir.path());
        let layout = std::fs::read_to_string(layout).unwrap();
        std::fs::write(dir.path().join("layout.yaml"), edit_layout(layout)).unwrap();
        let edition = std::fs::read_to_string(demo_edition()).unwrap().replace("../images/", "images/");
        std::fs::write(dir.path().join("edition.yaml"), edit_edition(edition)).unwrap();
        Project { dir }
    }

    pub fn layout(&self) -> PathBuf {
        self.dir.path().join("layout.yaml")
    }

    pub fn edition(&self) -> PathBuf {
        self.dir.path().join("edition.yaml")
    }

    /// 1-based line of the first line containing `needle` in `file`.
    pub fn line_of(&self, file: &str, needle: &str) -> usize {
        let text = std::fs::read_to_string(self.dir.path().join(file)).unwrap();
        text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not in {file}")) + 1
    }
}

/// Link the project's fonts/, images/, profiles/ and tests/fixtures (as fixtures/) into `dir`:
/// real folders of hard links (copies where a link cannot be made), because the build
/// resolves symbolic links and refuses a file whose real place is outside the project.
pub fn link_assets(dir: &Path) {
    for (from, to) in
        [("fonts", "fonts"), ("images", "images"), ("profiles", "profiles"), ("tests/fixtures", "fixtures")]
    {
        link_tree(&root().join(from), &dir.join(to));
    }
}

fn link_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            link_tree(&source, &target);
        } else if std::fs::hard_link(&source, &target).is_err() {
            std::fs::copy(&source, &target).unwrap();
        }
    }
}

/// Run the `paiban` binary in `dir` and wait for it.
pub fn paiban<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: impl IntoIterator<Item = S>) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_paiban")).current_dir(dir).args(args).output().unwrap()
}

/// No edit.
pub fn same<T>(s: T) -> T {
    s
}

/// `text` with `from` replaced by `to`; panics if `from` is not there, so that a test
/// never silently edits nothing.
pub fn replace_exact(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` is not in the text any more: update the test");
    text.replacen(from, to, 1)
}

fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    match obj {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(obj),
        _ => obj,
    }
}

fn dict<'a>(doc: &'a Document, obj: &'a Object) -> &'a Dictionary {
    resolve(doc, obj).as_dict().expect("a dictionary")
}

/// A font as the PDF describes it.
#[derive(Debug)]
pub struct FontInfo {
    pub base_font: String,
    pub subtype: String,
    pub encoding: String,
    pub descendant_subtype: String,
    pub embedded: bool,
    pub has_to_unicode: bool,
}

pub fn fonts(doc: &Document) -> Vec<FontInfo> {
    let mut out = Vec::new();
    for object in doc.objects.values() {
        let Ok(d) = object.as_dict() else { continue };
        if d.get(b"Type").and_then(Object::as_name).ok() != Some(b"Font".as_slice()) {
            continue;
        }
        let Ok(subtype) = d.get(b"Subtype").and_then(Object::as_name) else {
            continue;
        };
        if subtype != b"Type0" {
            continue;
        }
        let descendants = resolve(doc, d.get(b"DescendantFonts").unwrap()).as_array().unwrap();
        let cid = dict(doc, &descendants[0]);
        let descriptor = dict(doc, cid.get(b"FontDescriptor").unwrap());
        let embedded = [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"].iter().any(|k| descriptor.has(k));
        out.push(FontInfo {
            base_font: String::from_utf8_lossy(d.get(b"BaseFont").unwrap().as_name().unwrap()).into_owned(),
            subtype: String::from_utf8_lossy(subtype).into_owned(),
            encoding: String::from_utf8_lossy(d.get(b"Encoding").unwrap().as_name().unwrap()).into_owned(),
            descendant_subtype: String::from_utf8_lossy(cid.get(b"Subtype").unwrap().as_name().unwrap()).into_owned(),
            embedded,
            has_to_unicode: d.has(b"ToUnicode"),
        });
    }
    out
}

fn hex_value(token: &str) -> Option<Vec<u8>> {
    let t = token.trim().strip_prefix('<')?.strip_suffix('>')?;
    (0..t.len()).step_by(2).map(|i| u8::from_str_radix(t.get(i..i + 2)?, 16).ok()).collect()
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
    String::from_utf16_lossy(&units)
}

/// Parse a ToUnicode CMap: bfchar and bfrange entries, 2-byte codes.
pub fn parse_cmap(text: &str) -> HashMap<u16, String> {
    let mut map = HashMap::new();
    let tokens: Vec<&str> = text.split(|c: char| c.is_whitespace()).filter(|t| !t.is_empty()).collect();
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            "beginbfchar" => {
                i += 1;
                while tokens[i] != "endbfchar" {
                    let code = hex_value(tokens[i]).unwrap();
                    let dst = hex_value(tokens[i + 1]).unwrap();
                    map.insert(u16::from_be_bytes([code[0], code[1]]), utf16(&dst));
                    i += 2;
                }
            }
            "beginbfrange" => {
                i += 1;
                while tokens[i] != "endbfrange" {
                    let lo = hex_value(tokens[i]).unwrap();
                    let hi = hex_value(tokens[i + 1]).unwrap();
                    let dst = hex_value(tokens[i + 2]).expect("bfrange arrays are not used by printpdf");
                    let (lo, hi) = (u16::from_be_bytes([lo[0], lo[1]]), u16::from_be_bytes([hi[0], hi[1]]));
                    let base = u16::from_be_bytes([dst[0], dst[1]]);
                    for (k, code) in (lo..=hi).enumerate() {
                        map.insert(code, utf16(&(base + k as u16).to_be_bytes()));
                    }
                    i += 3;
                }
            }
            _ => {}
        }
        i += 1;
    }
    map
}

/// The text of every page in content-stream order, decoded through each font's ToUnicode.
pub fn text(doc: &Document) -> String {
    let mut out = String::new();
    for (_, page_id) in doc.get_pages() {
        let page = doc.get_dictionary(page_id).unwrap();
        let resources = dict(doc, page.get(b"Resources").unwrap());
        let font_dict = dict(doc, resources.get(b"Font").unwrap());
        let mut cmaps: HashMap<Vec<u8>, HashMap<u16, String>> = HashMap::new();
        for (name, font) in font_dict.iter() {
            let font = dict(doc, font);
            let stream = resolve(doc, font.get(b"ToUnicode").unwrap()).as_stream().unwrap();
            let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
            cmaps.insert(name.clone(), parse_cmap(&String::from_utf8_lossy(&data)));
        }
        let content = doc.get_page_content(page_id);
        let ops = Content::decode(&content).unwrap().operations;
        let mut current: Option<&HashMap<u16, String>> = None;
        let show = |bytes: &[u8], current: Option<&HashMap<u16, String>>, out: &mut String| {
            let cmap = current.expect("text shown before Tf");
            for pair in bytes.chunks(2) {
                let code = u16::from_be_bytes([pair[0], pair[1]]);
                out.push_str(cmap.get(&code).map_or("\u{FFFD}", String::as_str));
            }
        };
        for op in &ops {
            match op.operator.as_str() {
                "Tf" => current = cmaps.get(op.operands[0].as_name().unwrap()),
                "Tj" => show(op.operands[0].as_str().unwrap(), current, &mut out),
                "TJ" => {
                    for item in op.operands[0].as_array().unwrap() {
                        if let Ok(bytes) = item.as_str() {
                            show(bytes, current, &mut out);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

pub fn load(bytes: &[u8]) -> Document {
    Document::load_mem(bytes).expect("our PDF parses")
}

/// The edition's text in reading order, read straight from its YAML with the markup
/// removed: what the page must say.
pub fn edition_text(path: &Path) -> (String, Vec<String>) {
    let yaml: serde_norway::Value = serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let strings = |v: &serde_norway::Value| -> Vec<String> {
        v.as_sequence().map_or(vec![], |s| s.iter().map(|x| x.as_str().unwrap().replace("**", "")).collect())
    };
    let mut headline = strings(&yaml["headline"]["title"]);
    if let Some(k) = yaml["headline"]["kicker"].as_str() {
        headline.insert(0, k.to_owned());
    }
    let mut body = Vec::new();
    body.extend(strings(&yaml["lead"]));
    body.extend(strings(&yaml["intro"]));
    for s in yaml["sections"].as_sequence().unwrap() {
        body.push(s["kicker"].as_str().unwrap().to_owned());
        body.push(s["title"].as_str().unwrap().to_owned());
        body.extend(strings(&s["paragraphs"]));
    }
    body.extend(strings(&yaml["closing"]));
    (headline.concat(), body)
}

/// Start `command` (a long-running `paiban watch`) with its standard output read on a
/// thread of its own, so that the pipe never fills: what it printed comes back when the
/// thread is joined, after the child is killed.
pub fn spawn_printing(command: &mut std::process::Command) -> (std::process::Child, std::thread::JoinHandle<String>) {
    use std::io::Read;
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut stdout = child.stdout.take().expect("a piped stdout");
    let printed = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    (child, printed)
}
