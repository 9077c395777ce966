//! `paiban import`: Word (hand-made and LibreOffice-made), Markdown and text articles into
//! editions, each mapping rule, the warnings for what has no place, output safety, and the
//! imported edition checked against the demo layout.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use paiban::import::{self, Block, Request};

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main""#;

/// A .docx as a Chinese Word writes it: heading styles with the ids `1`, `2` (named
/// `heading 1`, `heading 2`), the caption style `a5` (named `caption`), direct bold, and
/// one inline picture per image given.
fn word_docx(body: &str, images: &[(&str, &[u8])]) -> Vec<u8> {
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W}>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="caption"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="character" w:styleId="a6"><w:name w:val="Strong"/><w:rPr><w:b/><w:bCs/></w:rPr></w:style>
</w:styles>"#
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/" TargetMode="External"/>"#,
    );
    for (i, (name, _)) in images.iter().enumerate() {
        rels.push_str(&format!(
            r#"<Relationship Id="rIdImg{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/{name}"/>"#
        ));
    }
    rels.push_str("</Relationships>");
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    );
    let core = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dcterms="y"><dcterms:created>2025-03-04T08:00:00Z</dcterms:created></cp:coreProperties>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut add = |name: &str, bytes: &[u8]| {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    };
    add("[Content_Types].xml", b"<Types/>");
    add("word/document.xml", document.as_bytes());
    add("word/styles.xml", styles.as_bytes());
    add("word/_rels/document.xml.rels", rels.as_bytes());
    add("docProps/core.xml", core.as_bytes());
    for (name, bytes) in images {
        add(&format!("word/media/{name}"), bytes);
    }
    zip.finish().unwrap().into_inner()
}

fn p(style: Option<&str>, runs: &str) -> String {
    let ppr = style.map(|s| format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#)).unwrap_or_default();
    format!("<w:p>{ppr}{runs}</w:p>")
}
fn r(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}
fn bold(text: &str) -> String {
    format!(r#"<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}
fn picture(i: usize) -> String {
    format!(r#"<w:p><w:r><w:drawing><a:graphic><a:blip r:embed="rIdImg{i}"/></a:graphic></w:drawing></w:r></w:p>"#)
}

fn blocks(article: &import::Article) -> Vec<String> {
    article
        .blocks
        .iter()
        .map(|b| match b {
            Block::Heading { level, text } => format!("H{level} {text}"),
            Block::Paragraph { text, caption: true } => format!("CAPTION {text}"),
            Block::Paragraph { text, .. } => text.clone(),
            Block::Image { name, ext, .. } => format!("IMAGE {name} {ext}"),
        })
        .collect()
}

fn messages(warnings: &[paiban::diagnostic::Diagnostic]) -> String {
    warnings.iter().map(|w| w.message.as_str()).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_hand_made_word_document_maps_rule_by_rule() {
    let body = [
        p(Some("1"), &r("一江两岸 山水城市")),
        p(None, &(r("沐浴着和煦的冬日暖阳，") + &r("行走在 滨江 新城。"))),
        p(Some("2"), &r("党建为统领")),
        p(Some("2"), &r("履职担当勇毅“笃行”")),
        p(None, &(bold("以学铸魂，夯实思想根基。") + &r("2024 年以来，开展专题学习 18 次。"))),
        p(None, r#"<w:r><w:rPr><w:rStyle w:val="a6"/></w:rPr><w:t>以党促建。</w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>斜体</w:t></w:r>"#),
        picture(0),
        p(Some("a5"), &r("湖光山色宜居新城")),
        picture(1),
        p(None, &r("图为渝昆高铁江津北站")),
        p(None, "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>表格里的字</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"),
        p(None, r#"<w:r><w:t>星号*与&amp;</w:t></w:r><w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del><w:r><w:footnoteReference w:id="1"/></w:r>"#),
    ]
    .concat();
    let docx = word_docx(&body, &[("image1.jpeg", b"\xff\xd8jpeg"), ("image2.png", b"\x89PNGpng")]);
    let article = import::docx::read(&docx).unwrap();
    assert_eq!(
        blocks(&article),
        [
            "H1 一江两岸 山水城市",
            "沐浴着和煦的冬日暖阳，行走在滨江新城。",
            "H2 党建为统领",
            "H2 履职担当勇毅“笃行”",
            "**以学铸魂，夯实思想根基。**2024年以来，开展专题学习18次。",
            "**以党促建。**斜体",
            "IMAGE word/media/image1.jpeg jpg",
            "CAPTION 湖光山色宜居新城",
            "IMAGE word/media/image2.png png",
            "图为渝昆高铁江津北站",
            "表格里的字",
            "星号\\*与&",
        ]
    );
    assert_eq!(article.date.as_deref(), Some("2025-03-04"));
    let warned = messages(&article.warnings);
    for what in ["a table", "italics", "a footnote"] {
        assert!(warned.contains(what), "no warning for {what}: {warned}");
    }

    let target = import::Target {
        images_ref: "../images".into(),
        image_prefix: "report".into(),
        photo_ids: vec!["lake".into(), "station".into(), "park".into()],
        date: "2025-01-01".into(),
        fallback_title: "report".into(),
        schema_ref: "../schemas/edition.schema.json".into(),
    };
    let out = import::to_edition(article, &target);
    let edition: paiban::spec::edition::Edition = serde_norway::from_str(&out.yaml).unwrap();
    assert_eq!(edition.headline.as_ref().unwrap().title, ["一江两岸山水城市"]);
    assert_eq!(edition.edition.date, "2025-03-04");
    assert_eq!(edition.lead, ["沐浴着和煦的冬日暖阳，行走在滨江新城。"]);
    assert_eq!(edition.sections.len(), 1);
    let s = &edition.sections[0];
    assert_eq!((s.kicker.as_str(), &*s.title), ("党建为统领", "履职担当勇毅“笃行”"));
    assert_eq!(s.paragraphs.len(), 4, "{:?}", s.paragraphs);
    let photos: Vec<(&str, &str, &str)> =
        edition.photos.iter().map(|p| (p.id.as_str(), p.image.as_str(), p.caption.as_str())).collect();
    assert_eq!(
        photos,
        [
            ("lake", "../images/report-1.jpg", "湖光山色宜居新城"),
            ("station", "../images/report-2.png", "图为渝昆高铁江津北站")
        ]
    );
    assert!(messages(&out.warnings).contains("`park`"), "the frame left without a photo is named");
}

#[test]
fn a_word_document_made_by_libreoffice() {
    let docx = std::fs::read(root().join("tests/fixtures/import/libreoffice.docx")).unwrap();
    let article = import::docx::read(&docx).unwrap();
    let b = blocks(&article);
    assert_eq!(b[0], "H1 滨江新城 年度 回眸");
    assert_eq!(b[3], "H2 党建为统领");
    assert_eq!(b[4], "H2 履职担当勇毅“笃行”");
    assert_eq!(b[5], "**以学铸魂，夯实思想根基。**江津区城市建设事务中心扎实开展党纪学习教育，开展专题学习18次。");
    assert!(b[6].starts_with("IMAGE word/media/") && b[6].ends_with(" png"), "{}", b[6]);
    assert_eq!(b[7], "CAPTION 湖光山色宜居新城");
    assert!(messages(&article.warnings).contains("italics"), "{:?}", article.warnings);
    let out = import::to_edition(
        article,
        &import::Target {
            images_ref: "images".into(),
            image_prefix: "lo".into(),
            photo_ids: vec![],
            date: "2025-01-01".into(),
            fallback_title: "lo".into(),
            schema_ref: "../schemas/edition.schema.json".into(),
        },
    );
    let edition: paiban::spec::edition::Edition = serde_norway::from_str(&out.yaml).unwrap();
    assert_eq!(edition.headline.as_ref().unwrap().title, ["滨江新城年度回眸"]);
    assert_eq!(edition.intro.len(), 1);
    assert_eq!(edition.sections.iter().map(|s| s.kicker.as_str()).collect::<Vec<_>>(), ["党建为统领", "经济聚动能"]);
    assert_eq!(edition.photos[0].id, "photo-1");
    assert_eq!(edition.photos[0].caption, "湖光山色宜居新城");
    assert_eq!(out.images[0].1, std::fs::read(root().join("tests/fixtures/opaque.png")).unwrap());
}

#[test]
fn markdown_and_text_articles() {
    let dir = root().join("tests/fixtures/import");
    let md = import::read(&dir.join("article.md")).unwrap();
    assert_eq!(
        blocks(&md)[..6],
        [
            "H1 城市更新的一年",
            "江津区城市建设事务中心深入贯彻落实重要理念，持续书写答卷。",
            "H2 党建为统领",
            "H3 履职担当勇毅“笃行”",
            "**以学铸魂。**开展专题学习18次，基层党组织书记讲党课7次。",
            "IMAGE ../opaque.png png",
        ]
    );
    assert_eq!(blocks(&md)[6], "CAPTION 冬日的浒溪公园");
    assert_eq!(blocks(&md)[8], "图为滨江新城商业商务中心", "a 图为 paragraph after an image is its caption");
    let warned = messages(&md.warnings);
    for what in ["emphasis", "a link", "a code block", "a list"] {
        assert!(warned.contains(what), "no warning for {what}: {warned}");
    }
    assert!(warned.contains("https://example.org/x.jpg"), "a web image is named: {warned}");

    let txt = import::read(&dir.join("article.txt")).unwrap();
    assert_eq!(
        blocks(&txt),
        [
            "H1 一江两岸山水城市",
            "沐浴着和煦的冬日暖阳，行走在滨江新城，一个个繁忙、向上、幸福的场景，汇集成新图景。",
            "H1 党建为统领",
            "H1 履职担当勇毅“笃行”",
            "“火车跑得快，全靠车头带。”党建引领是城市发展建设的重要“火车头”。",
        ]
    );
    let edition: paiban::spec::edition::Edition = serde_norway::from_str(
        &import::to_edition(
            txt,
            &import::Target {
                images_ref: "images".into(),
                image_prefix: "t".into(),
                photo_ids: vec![],
                date: "2025-01-01".into(),
                fallback_title: "t".into(),
                schema_ref: "../schemas/edition.schema.json".into(),
            },
        )
        .yaml,
    )
    .unwrap();
    assert_eq!(edition.sections[0].kicker, "党建为统领");

    let bad = std::env::temp_dir().join(format!("paiban-import-{}.doc", std::process::id()));
    std::fs::write(&bad, b"\xd0\xcf\x11\xe0").unwrap();
    let e = import::read(&bad).unwrap_err();
    std::fs::remove_file(&bad).unwrap();
    assert!(e.to_string().contains("save it as .docx") || e.hint.as_deref().unwrap_or("").contains(".docx"), "{e}");
    assert!(import::docx::read(b"not a zip").unwrap_err().contains("not a .docx"));
}

/// A fresh project: the demo layout, the fonts and profiles linked, its own images/.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["fonts", "profiles"] {
        std::os::unix::fs::symlink(root().join(name), dir.path().join(name)).unwrap();
    }
    std::fs::copy(root().join("tests/fixtures/classic-layout.yaml"), dir.path().join("layout.yaml")).unwrap();
    std::fs::create_dir(dir.path().join("images")).unwrap();
    std::fs::create_dir(dir.path().join("editions")).unwrap();
    dir
}

#[test]
fn the_imported_edition_checks_with_the_demo_layout_and_nothing_is_overwritten() {
    let demo = std::fs::read_to_string(demo_edition()).unwrap();
    let edition: paiban::spec::edition::Edition = serde_norway::from_str(&demo).unwrap();
    // The demo's text as an editor's Word file: its headline, lead, sections with their
    // run-in heads, and the demo's eight photos, each with its caption.
    let mut body = p(Some("1"), &r(&edition.headline.as_ref().unwrap().title.join("")));
    for text in edition.lead.iter().chain(&edition.intro) {
        body += &p(None, &r(text));
    }
    let jpegs: Vec<(String, Vec<u8>)> = edition
        .photos
        .iter()
        .map(|ph| (format!("{}.jpg", ph.id), std::fs::read(root().join("editions").join(&ph.image)).unwrap()))
        .collect();
    let mut photo = 0;
    for s in &edition.sections {
        body += &p(Some("2"), &r(&s.kicker));
        body += &p(Some("2"), &r(&s.title));
        for text in &s.paragraphs {
            let runs: String =
                text.split("**").enumerate().map(|(i, t)| if i % 2 == 1 { bold(t) } else { r(t) }).collect();
            body += &p(None, &runs);
            if photo < jpegs.len() {
                body += &picture(photo);
                body += &p(Some("a5"), &r(&edition.photos[photo].caption));
                photo += 1;
            }
        }
    }
    let images: Vec<(&str, &[u8])> = jpegs.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let dir = project();
    let article = dir.path().join("report.docx");
    std::fs::write(&article, word_docx(&body, &images)).unwrap();

    let out = paiban(dir.path(), ["import", "report.docx"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("wrote editions/report.yaml and 8 image(s)"), "{stdout}");
    let written = std::fs::read_to_string(dir.path().join("editions/report.yaml")).unwrap();
    assert!(written.contains("image: \"../images/report-1.jpg\""), "{written}");
    assert!(written.starts_with("# yaml-language-server: $schema=../schemas/edition.schema.json\n"), "{written}");
    assert_eq!(std::fs::read(dir.path().join("images/report-1.jpg")).unwrap(), jpegs[0].1);

    let check = paiban(dir.path(), ["check", "editions/report.yaml"]);
    let said = format!("{}{}", String::from_utf8_lossy(&check.stdout), String::from_utf8_lossy(&check.stderr));
    for line in said.lines().filter(|l| l.contains("error:")) {
        assert!(line.contains("do not fit") || line.contains("does not fit"), "an error other than length: {said}");
    }

    // Again: refused, the file as it was; with --force, replaced.
    std::fs::write(dir.path().join("editions/report.yaml"), "mine").unwrap();
    let again = paiban(dir.path(), ["import", "report.docx"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(dir.path().join("editions/report.yaml")).unwrap(), "mine");
    let forced = paiban(dir.path(), ["import", "report.docx", "--force"]);
    assert!(forced.status.success());
    assert_eq!(std::fs::read_to_string(dir.path().join("editions/report.yaml")).unwrap(), written);
    // The article itself is never a target.
    let onto_itself = paiban(dir.path(), ["import", "report.docx", "-o", "report.docx", "--force"]);
    assert_eq!(onto_itself.status.code(), Some(1));
    assert!(std::fs::read(&article).unwrap().starts_with(b"PK"));
}

#[test]
fn the_library_import_writes_beside_a_layout() {
    let dir = project();
    let md = dir.path().join("a.md");
    std::fs::write(&md, "# 标题\n\n正文。\n").unwrap();
    let edition: PathBuf = dir.path().join("editions/a.yaml");
    let images: PathBuf = dir.path().join("images");
    let layout = dir.path().join("layout.yaml");
    let request = Request {
        article: &md,
        edition: &edition,
        images_dir: &images,
        layout: Some(Path::new(&layout)),
        force: false,
        today: "2025-06-01",
    };
    let outcome = import::import(&request).unwrap();
    assert!(outcome.images.is_empty());
    let text = std::fs::read_to_string(&edition).unwrap();
    assert!(text.contains("date: \"2025-06-01\"") && text.contains("year: 2025"), "{text}");
    assert!(messages(&outcome.warnings).contains("`lake`"), "the layout's photos are named as missing");
    assert!(import::import(&request).unwrap_err().to_string().contains("exists"));
}
