//! Preflight: what a printing plant checks before it accepts a PDF — fonts, images and
//! their effective resolution, colours and ink, overprint, boxes, the PDF/X rules — found
//! from the display list, the loaded fonts and photos, and the job's print settings.

use serde::Serialize;

use crate::diagnostic::Diagnostic;

use crate::fonts::FontBook;
use crate::images::{ColorSpace, Format, Image};
use crate::layout::{Composition, Item};
use crate::model::Job;
use crate::spec::layout::{Color, PdfX};
use crate::spec::units::PT_PER_MM;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub level: Level,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FontReport {
    pub name: String,
    pub file: String,
    pub embedded: bool,
    pub subset: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageReport {
    pub photo: String,
    pub file: String,
    pub pixels: [u32; 2],
    pub placed_mm: [f32; 2],
    pub effective_ppi: f32,
    pub color_space: String,
    pub passed_through: bool,
    /// The colour space it was converted to CMYK from, if it was.
    pub converted_from: Option<String>,
    /// The file's pixel size, if the photo was downsampled to `max_ppi`.
    pub resampled_from: Option<[u32; 2]>,
    /// The largest total ink of any of its pixels, measured on the JPEG in the PDF.
    pub max_ink: Option<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColorReport {
    /// The process colour, or a spot colour's CMYK alternate.
    pub cmyk: [f32; 4],
    /// A spot colour's name.
    pub spot: Option<String>,
    pub ink: f32,
    pub used_for: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoxesReport {
    pub trim_mm: [f32; 2],
    pub bleed_mm: f32,
    pub media_mm: [f32; 2],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preflight {
    pub pdfx: String,
    pub output_intent: String,
    pub fonts: Vec<FontReport>,
    pub images: Vec<ImageReport>,
    pub colors: Vec<ColorReport>,
    pub max_ink: f32,
    /// The most ink where 100 % black overprints or knocks out of a heavy fill (the
    /// fill's C + M + Y plus the black; see `render::overprint`), in percent.
    pub max_black_ink: f32,
    /// Black lines and rules that knock out of what lies under them (all or in part),
    /// because overprinting it would pass the ink limit.
    pub black_knocked_out: usize,
    pub overprinted_text_lines: usize,
    pub overset_chars: usize,
    pub boxes: BoxesReport,
    pub findings: Vec<Finding>,
}

impl Preflight {
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.level == Level::Error)
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The findings as diagnostics.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.findings.iter().map(|f| match f.level {
            Level::Error => Diagnostic::error(format!("preflight: {}", f.message)),
            Level::Warning => Diagnostic::warning(f.message.clone()),
        })
    }

    /// A few lines for the terminal.
    pub fn summary(&self) -> String {
        let low = self.images.iter().map(|i| i.effective_ppi).fold(f32::INFINITY, f32::min);
        let out = format!(
            "  preflight {}: {} fonts embedded as subsets, {} photos (lowest {:.0} ppi), max ink {:.0}%, {} lines overprinted{}",
            self.pdfx,
            self.fonts.len(),
            self.images.len(),
            if low.is_finite() { low } else { 0.0 },
            self.max_ink,
            self.overprinted_text_lines,
            match self.black_knocked_out {
                0 => String::new(),
                n => format!(" ({n} black lines or rules knocked out of heavy colour)"),
            }
        );
        out
    }
}

impl Preflight {
    /// Everything the preflight measured, one line each: for `--verbose`.
    pub fn details(&self) -> String {
        let mut out = format!("    output intent: {}\n", self.output_intent);
        for f in &self.fonts {
            let how = if f.subset {
                "embedded subset"
            } else if f.embedded {
                "embedded"
            } else {
                "NOT embedded"
            };
            out.push_str(&format!("    font {}: {} ({how})\n", f.name, f.file));
        }
        for i in &self.images {
            out.push_str(&format!(
                "    photo {}: {} {}×{} px{}, placed {:.1}×{:.1} mm, {:.0} ppi, {}{}{}{}\n",
                i.photo,
                i.file,
                i.pixels[0],
                i.pixels[1],
                i.resampled_from.map(|[w, h]| format!(" (downsampled from {w}×{h})")).unwrap_or_default(),
                i.placed_mm[0],
                i.placed_mm[1],
                i.effective_ppi,
                i.color_space,
                i.converted_from.as_ref().map(|c| format!(" converted from {c}")).unwrap_or_default(),
                i.max_ink.map(|ink| format!(", max ink {ink:.0}%")).unwrap_or_default(),
                if i.passed_through { ", passed through" } else { "" }
            ));
        }
        for c in &self.colors {
            let [cy, m, y, k] = c.cmyk;
            let name = c.spot.as_deref().map(|s| format!("spot {s}, ")).unwrap_or_default();
            out.push_str(&format!(
                "    colour {name}cmyk({cy:.0}, {m:.0}, {y:.0}, {k:.0}), ink {:.0}%: {}\n",
                c.ink, c.used_for
            ));
        }
        out
    }
}

fn pdfx_name(p: PdfX) -> &'static str {
    if p == PdfX::None {
        "none"
    } else {
        p.version_name()
    }
}

fn note_color(colors: &mut Vec<ColorReport>, job: &Job, c: Color, used_for: &str) {
    let cmyk = [c.c * 100.0, c.m * 100.0, c.y * 100.0, c.k * 100.0].map(|v| (v * 10.0).round() / 10.0);
    let spot = c.spot.map(|key| job.print.spots.get(&key).cloned().unwrap_or_default());
    if !colors.iter().any(|r| r.cmyk == cmyk && r.spot == spot && r.used_for == used_for) {
        // A spot colour is one ink, whatever its alternate says.
        let ink = if spot.is_some() { 100.0 } else { c.ink() };
        colors.push(ColorReport { cmyk, spot, ink, used_for: used_for.into() });
    }
}

/// Check a composed edition. `allow_low_res` turns too-low resolutions into warnings.
pub fn check(job: &Job, fonts: &FontBook, images: &[Image], c: &Composition, allow_low_res: bool) -> Preflight {
    let print = &job.print;
    let mut findings = Vec::new();
    let mut error = |message: String| findings.push(Finding { level: Level::Error, message });
    let mut used_faces = std::collections::BTreeSet::new();
    let mut placed = Vec::new();
    let mut colors = Vec::new();
    let mut overprinted = 0;
    for item in c.display.pages.iter().flat_map(|p| &p.items) {
        match item {
            Item::Text(line) => {
                used_faces.extend(line.glyphs.iter().map(|g| g.face));
                note_color(&mut colors, job, line.color, "text");
                overprinted += usize::from(line.color.is_pure_black());
            }
            Item::Fill { color, .. } => note_color(&mut colors, job, *color, "fill"),
            Item::Rule { color, .. } | Item::Stroke { color, .. } if *color != Color::REGISTRATION => {
                note_color(&mut colors, job, *color, "line")
            }
            Item::Rule { .. } | Item::Stroke { .. } => {}
            Item::Image { image, width, height, .. } => placed.push((*image, *width, *height)),
        }
    }
    let max_ink = colors.iter().map(|r| r.ink).fold(0.0, f32::max);
    let mut photo_ink = 0.0f32;
    for r in colors.iter().filter(|r| r.used_for == "fill" && r.ink > print.ink_limit + 0.05) {
        error(format!(
            "a fill of cmyk({}, {}, {}, {}) has {:.0}% ink, over the {:.0}% limit",
            r.cmyk[0], r.cmyk[1], r.cmyk[2], r.cmyk[3], r.ink, print.ink_limit
        ));
    }
    let mut image_reports = Vec::new();
    let mut warnings = Vec::new();
    let mut rgb_photos = Vec::new();
    let mut assumed_srgb = Vec::new();
    for (index, width, height) in placed {
        let (image, photo) = (&images[index], &job.photos[index]);
        let ppi = (image.width as f32 * 72.0 / width).min(image.height as f32 * 72.0 / height);
        let where_ = format!("photo `{}` ({})", photo.id, photo.asked_at);
        if ppi < print.min_ppi && !allow_low_res {
            error(format!("{where_} is placed at {ppi:.0} ppi, below the {:.0} ppi minimum; place it smaller or pass --allow-low-res", print.min_ppi));
        } else if ppi < print.warn_ppi {
            warnings.push(format!("{where_} is placed at {ppi:.0} ppi, below {:.0} ppi", print.warn_ppi));
        }
        let source = &image.source;
        // `check` reads only headers: a PNG too big to decode is found here, unread.
        let budget = crate::images::png_pixel_budget(width, height, print.max_ppi);
        if source.format == Format::Png && source.width as u64 * source.height as u64 > budget {
            error(format!(
                "{where_} is a PNG of {}×{} pixels, more than its placed size can use at {:.0} ppi; scale it down",
                source.width, source.height, print.max_ppi
            ));
        }
        if image.has_alpha() && print.pdfx == PdfX::X1a {
            error(format!(
                "{where_} has transparency (an alpha channel): PDF/X-1a allows none; flatten it or build with --pdfx 4"
            ));
        }
        // Every photo but a transparent one is converted to CMYK (`images::prepare`).
        if !image.will_be_cmyk() && image.color == ColorSpace::Rgb {
            if print.pdfx == PdfX::X1a {
                error(format!(
                    "{where_} is RGB with transparency: PDF/X-1a takes CMYK photos only; flatten it or build with --pdfx 4"
                ));
            } else if print.pdfx == PdfX::X4 {
                rgb_photos.push(photo.id.clone());
            }
        }
        let assumed = match &image.prepared {
            Some(p) => p.assumed_srgb,
            None => source.color != ColorSpace::Cmyk && source.icc.is_none(),
        };
        if assumed && !assumed_srgb.contains(&photo.id) {
            assumed_srgb.push(photo.id.clone());
        }
        let prepared = image.prepared.as_ref();
        let ink = prepared.and_then(|p| p.max_ink);
        if let Some(ink) = ink {
            photo_ink = photo_ink.max(ink);
            if ink > print.ink_limit + 0.05 {
                error(format!("{where_} has {ink:.0}% ink, over the {:.0}% limit", print.ink_limit));
            }
        }
        image_reports.push(ImageReport {
            photo: photo.id.clone(),
            file: photo.path.display().to_string(),
            pixels: [image.width, image.height],
            placed_mm: [width / PT_PER_MM, height / PT_PER_MM].map(|v| (v * 10.0).round() / 10.0),
            effective_ppi: (ppi * 10.0).round() / 10.0,
            color_space: format!("{:?}", image.color),
            passed_through: image.passed_through(),
            converted_from: prepared.and_then(|p| p.converted_from).map(|c| format!("{c:?}")),
            resampled_from: prepared.and_then(|p| p.resampled_from).map(|(w, h)| [w, h]),
            max_ink: ink.map(|v| (v * 10.0).round() / 10.0),
        });
    }
    // Overprinted black adds to what lies under it: the plates carry both.
    let photo_max = |i: usize| images.get(i).and_then(|image| image.prepared.as_ref()?.max_ink);
    let mut max_black_ink = 0.0f32;
    let mut black_knocked_out = 0;
    for page in &c.display.pages {
        for plan in crate::render::overprint::plan(page, &photo_max, print.ink_limit).into_iter().flatten() {
            max_black_ink = max_black_ink.max(plan.max_ink);
            black_knocked_out += usize::from(plan.passes.iter().any(|p| !p.overprint));
        }
    }
    let max_black_ink = (max_black_ink * 10.0).round() / 10.0;
    if max_black_ink > print.ink_limit + 0.05 {
        error(format!("overprinted black reaches {max_black_ink:.0}% ink, over the {:.0}% limit", print.ink_limit));
    }
    let max_ink = max_ink.max((photo_ink * 10.0).round() / 10.0).max(max_black_ink);
    if !assumed_srgb.is_empty() {
        warnings.push(format!(
            "{} photo(s) have no usable embedded ICC profile ({}): taken to be sRGB",
            assumed_srgb.len(),
            assumed_srgb.join(", ")
        ));
    }
    if !rgb_photos.is_empty() {
        warnings.push(format!(
            "{} photo(s) are RGB with transparency ({}): placed with an sRGB profile, converted at the plant through the output intent",
            rgb_photos.len(),
            rgb_photos.join(", ")
        ));
    }
    for (key, at) in &print.rgb_colors {
        match print.pdfx {
            PdfX::X1a => error(format!("{at}: {key} is an RGB colour; PDF/X-1a takes CMYK only: write it as cmyk(…)")),
            _ => warnings
                .push(format!("{at}: {key} is an RGB colour, converted to CMYK by formula; check it on a proof")),
        }
    }
    if print.pdfx == PdfX::X1a && c.display.pages.iter().any(|p| !p.debug.is_empty()) {
        error("the --debug-grid overlay is an optional-content layer, which PDF/X-1a does not allow".into());
    }
    let overset: usize = c.threads.iter().map(|t| t.overset_chars).sum();
    let fonts_report = used_faces
        .into_iter()
        .map(|f| FontReport {
            name: fonts.faces[f].postscript_name.clone(),
            file: fonts.faces[f].path.display().to_string(),
            // Known only once the PDF is written: see `verify_pdf`.
            embedded: false,
            subset: false,
        })
        .collect();
    findings.extend(warnings.into_iter().map(|message| Finding { level: Level::Warning, message }));
    let mm = |v: f32| (v / PT_PER_MM * 10.0).round() / 10.0;
    let outer = 2.0 * (print.bleed + print.slug);
    Preflight {
        pdfx: pdfx_name(print.pdfx).into(),
        output_intent: match (&print.output_profile, print.pdfx) {
            (_, PdfX::None) => "none".into(),
            (Some((_, condition, _)), _) => condition.clone(),
            (None, _) => "FOGRA39 (Coated FOGRA39, ISO 12647-2:2004)".into(),
        },
        fonts: fonts_report,
        images: image_reports,
        colors,
        max_ink,
        max_black_ink,
        black_knocked_out,
        overprinted_text_lines: overprinted,
        overset_chars: overset,
        boxes: BoxesReport {
            trim_mm: [mm(job.page.width), mm(job.page.height)],
            bleed_mm: mm(print.bleed),
            media_mm: [mm(job.page.width + outer), mm(job.page.height + outer)],
        },
        findings,
    }
}

/// Read the written PDF back and check what only the file can show: every font is
/// embedded (a FontFile stream) as a subset (a six-capital tag), and the fonts list
/// reports what is really there.
pub fn verify_pdf(pdf: &[u8], preflight: &mut Preflight) {
    let objects = match readback::objects(pdf) {
        Ok(objects) => objects,
        Err(e) => {
            preflight
                .findings
                .push(Finding { level: Level::Error, message: format!("the PDF cannot be read back: {e}") });
            return;
        }
    };
    let mut fonts = Vec::new();
    for head in objects.values() {
        if readback::name(head, b"/Type").as_deref() != Some(b"FontDescriptor".as_slice()) {
            continue;
        }
        let name =
            readback::name(head, b"/FontName").map(|n| String::from_utf8_lossy(&n).into_owned()).unwrap_or_default();
        let embedded = [b"/FontFile".as_slice(), b"/FontFile2", b"/FontFile3"]
            .iter()
            .any(|k| readback::reference(head, k).is_some_and(|id| objects.contains_key(&id)));
        let subset =
            name.split_once('+').is_some_and(|(tag, _)| tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()));
        if !embedded {
            preflight.findings.push(Finding { level: Level::Error, message: format!("font {name} is not embedded") });
        } else if !subset {
            preflight.findings.push(Finding {
                level: Level::Warning,
                message: format!("font {name} is embedded whole, not as a subset"),
            });
        }
        fonts.push((name, embedded, subset));
    }
    for report in &mut preflight.fonts {
        let found =
            fonts.iter().find(|(name, ..)| name == &report.name || name.ends_with(&format!("+{}", report.name)));
        match found {
            Some((name, embedded, subset)) => {
                report.name = name.clone();
                report.embedded = *embedded;
                report.subset = *subset;
            }
            None => preflight.findings.push(Finding {
                level: Level::Error,
                message: format!("font {} is used but not in the PDF", report.name),
            }),
        }
    }
}

/// Just enough of a PDF reader to check our own files independently of the code that
/// wrote them: the classic cross-reference table (every object it lists must start where
/// it says), and the dictionary at the head of each object. A stream's data is skipped,
/// never read, so reading back costs little whatever the photos weigh.
mod readback {
    use std::collections::BTreeMap;

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    fn is_delimiter(b: u8) -> bool {
        b.is_ascii_whitespace() || b"/[]<>(){}%".contains(&b)
    }

    /// Every object the cross-reference table lists: its number and the text of its head
    /// (up to `stream` or `endobj`).
    pub fn objects(pdf: &[u8]) -> Result<BTreeMap<u32, &[u8]>, String> {
        let tail = &pdf[pdf.len().saturating_sub(64)..];
        let at = find(tail, b"startxref").ok_or("no startxref at its end")?;
        let xref: usize = std::str::from_utf8(&tail[at + 9..])
            .ok()
            .and_then(|t| t.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .ok_or("startxref gives no offset")?;
        let table =
            pdf.get(xref..).filter(|t| t.starts_with(b"xref")).ok_or("startxref does not point at an xref table")?;
        let text = std::str::from_utf8(&table[..find(table, b"trailer").ok_or("no trailer")?])
            .map_err(|_| "the xref table is not text")?;
        let mut words = text.split_whitespace().skip(1);
        let mut next = |what: &str| words.next().ok_or(format!("the xref table ends before {what}"));
        let first: u32 = next("its first object")?.parse().map_err(|_| "a bad xref section")?;
        let count: u32 = next("its count")?.parse().map_err(|_| "a bad xref section")?;
        let mut objects = BTreeMap::new();
        for number in first..first + count {
            let offset: usize =
                next("an entry")?.parse().map_err(|_| format!("a bad xref entry for object {number}"))?;
            let _generation = next("an entry")?;
            if next("an entry")? != "n" {
                continue;
            }
            let object = pdf.get(offset..).ok_or(format!("object {number} lies past the end"))?;
            let header = format!("{number} 0 obj");
            if !object.starts_with(header.as_bytes()) {
                return Err(format!("object {number} is not at offset {offset}, where the xref table puts it"));
            }
            // The head ends at whichever comes first; a stream's data is never scanned.
            let end = (0..object.len())
                .find(|&i| object[i..].starts_with(b"stream") || object[i..].starts_with(b"endobj"))
                .ok_or(format!("object {number} never ends"))?;
            objects.insert(number, &object[header.len()..end]);
        }
        Ok(objects)
    }

    /// The name that follows `key` in `head` (`#xx` escapes decoded).
    pub fn name(head: &[u8], key: &[u8]) -> Option<Vec<u8>> {
        let at = (0..head.len())
            .find(|&i| head[i..].starts_with(key) && head.get(i + key.len()).is_none_or(|&b| is_delimiter(b)))?;
        let rest = &head[at + key.len()..];
        let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        let rest = rest[start..].strip_prefix(b"/")?;
        let raw = &rest[..rest.iter().position(|&b| is_delimiter(b)).unwrap_or(rest.len())];
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            match (
                raw[i],
                raw.get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok()),
            ) {
                (b'#', Some(byte)) => {
                    out.push(byte);
                    i += 3;
                }
                (b, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        Some(out)
    }

    /// The object number of the reference `N 0 R` that follows `key` in `head`.
    pub fn reference(head: &[u8], key: &[u8]) -> Option<u32> {
        let at = (0..head.len())
            .find(|&i| head[i..].starts_with(key) && head.get(i + key.len()).is_none_or(|&b| is_delimiter(b)))?;
        let rest = std::str::from_utf8(&head[at + key.len()..]).ok()?;
        let mut words = rest.split_whitespace();
        let number = words.next()?.parse().ok()?;
        (words.next()? == "0" && words.next()?.starts_with('R')).then_some(number)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn names_and_references_are_read_from_a_dictionary() {
            let head = b" << /Type /FontDescriptor /FontName /ABCDEF+Noto#20Serif /FontFile3 12 0 R /Flags 32 >> ";
            assert_eq!(name(head, b"/Type").unwrap(), b"FontDescriptor");
            assert_eq!(name(head, b"/FontName").unwrap(), b"ABCDEF+Noto Serif");
            assert_eq!(reference(head, b"/FontFile3"), Some(12));
            // `/FontFile` is not `/FontFile3`.
            assert_eq!(reference(head, b"/FontFile"), None);
            assert_eq!(name(head, b"/Subtype"), None);
        }

        #[test]
        fn a_broken_file_is_an_error_not_a_panic() {
            assert!(objects(b"").is_err());
            assert!(objects(b"%PDF-1.6\nstartxref\n99999\n%%EOF").unwrap_err().contains("xref"));
            let lying = b"%PDF-1.6\n1 0 obj\n<<>>\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000003 00000 n \ntrailer\n<<>>\nstartxref\n29\n%%EOF";
            assert!(objects(lying).unwrap_err().contains("not at offset 3"), "{:?}", objects(lying));
        }
    }
}
