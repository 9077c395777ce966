//! The layout file (`layout.yaml`): page, character grid, fonts, styles, frames, threads.
//! Every key is documented in the README; unknown keys are errors.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use super::units::{FontSize, Leading, Length, RelLength};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    pub page: PageSpec,
    pub grid: GridSpec,
    pub fonts: BTreeMap<String, FontSpec>,
    pub styles: BTreeMap<String, StyleSpec>,
    #[serde(default)]
    pub roles: Roles,
    /// Composition settings for every style; a style's own `composition` overrides them.
    #[serde(default)]
    pub composition: CompositionSpec,
    /// What the printing plant needs: PDF/X, bleed, marks, limits.
    #[serde(default)]
    pub print: PrintSpec,
    /// What the copy-fit may change so that every column ends flush.
    #[serde(default)]
    pub fit: FitSpec,
    /// Defaults for `{var.NAME}` placeholders anywhere in this file; an edition's own
    /// `variables` override them (a different hero photo, colour, folio text…).
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    pub pages: Vec<PageLayout>,
    #[serde(default)]
    pub threads: BTreeMap<String, ThreadSpec>,
    /// Jump lines (转版): where a thread breaks off on one page and goes on on a later one,
    /// the words set at the foot of the frame it leaves and at the top of the one it
    /// resumes in, in the `jump` role's style. No jump lines without this key.
    #[serde(default)]
    pub jumps: Option<JumpsSpec>,
}

/// The words of the jump lines; `{to}` and `{from}` are the page numbers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JumpsSpec {
    /// Set at the foot of the frame a story breaks off in: `下转第{to}版`.
    #[serde(default = "jump_to")]
    pub to: String,
    /// Set at the top of the frame it resumes in: `上接第{from}版`.
    #[serde(default = "jump_from")]
    pub from: String,
}

fn jump_to() -> String {
    "（下转第{to}版）".into()
}

fn jump_from() -> String {
    "（上接第{from}版）".into()
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    /// `broadsheet` (390 × 545 mm), `tabloid` (270 × 390 mm), `a3`, or leave out and give
    /// `width` and `height`.
    #[serde(default)]
    pub size: Option<String>,
    #[serde(default)]
    pub width: Option<Length>,
    #[serde(default)]
    pub height: Option<Length>,
    pub margins: Margins,
    /// A two-page spread (跨版): one PDF page twice as wide, the grid repeated on the right
    /// page (columns `n+1`–`2n`), `left`/`right` margins mirrored as outer/inner.
    #[serde(default)]
    pub spread: bool,
}

pub const PAGE_PRESETS: &[(&str, f32, f32)] =
    &[("broadsheet", 390.0, 545.0), ("tabloid", 270.0, 390.0), ("a3", 297.0, 420.0), ("a4", 210.0, 297.0)];

/// The PDF/X standard the PDF claims and is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
pub enum PdfX {
    /// PDF/X-4 (PDF 1.6): CMYK, spot and ICC-based colour; RGB photos carry an sRGB profile.
    #[default]
    #[serde(rename = "x4")]
    X4,
    /// PDF/X-1a:2001 (PDF 1.3): CMYK and spot colour only, no transparency.
    #[serde(rename = "x1a")]
    X1a,
    /// A plain PDF (proofs, the web).
    #[serde(rename = "none")]
    None,
}

impl PdfX {
    /// The version name the file claims (GTS_PDFXVersion); empty for a plain PDF.
    pub fn version_name(self) -> &'static str {
        match self {
            PdfX::X4 => "PDF/X-4",
            PdfX::X1a => "PDF/X-1a:2001",
            PdfX::None => "",
        }
    }
}

/// How photos' colours are mapped into the output intent's gamut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RenderingIntent {
    /// Relative colorimetric with black-point compensation: in-gamut colours exact, the
    /// photo's black mapped to the press's black.
    #[default]
    Relative,
    /// Perceptual: the whole gamut compressed into the press's, as the profile's maker chose.
    Perceptual,
}

/// The print settings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PrintSpec {
    pub pdfx: PdfX,
    /// Bleed round the trimmed page: pictures and bands that touch the trim run into it.
    pub bleed: Length,
    /// Room outside the bleed for crop and registration marks and the slug line.
    pub slug: Length,
    /// Crop and registration marks.
    pub marks: bool,
    /// A line of small type in the slug: edition, date, page.
    pub slug_line: bool,
    /// Total ink limit of solid fills, in percent (sum of C, M, Y and K).
    pub ink_limit: f32,
    /// Effective resolution below which preflight warns, and below which the build fails.
    pub warn_ppi: f32,
    pub min_ppi: f32,
    /// Photos placed at a higher effective resolution are downsampled to it.
    pub max_ppi: f32,
    /// How photos are converted to the output intent's CMYK.
    pub rendering_intent: RenderingIntent,
    /// An ICC output profile instead of the bundled Coated FOGRA39, with its condition.
    pub output_profile: Option<OutputProfileSpec>,
    /// Black display type at or above a size is set in this rich black instead of 100 % K.
    pub rich_black: Option<RichBlackSpec>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RichBlackSpec {
    pub color: Color,
    pub min_size: FontSize,
}

impl Default for PrintSpec {
    fn default() -> Self {
        PrintSpec {
            pdfx: PdfX::X4,
            bleed: Length::mm(3.0),
            slug: Length::mm(10.0),
            marks: true,
            slug_line: true,
            ink_limit: 240.0,
            warn_ppi: 200.0,
            min_ppi: 120.0,
            max_ppi: 300.0,
            rendering_intent: RenderingIntent::Relative,
            output_profile: None,
            rich_black: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputProfileSpec {
    /// The .icc file, relative to the layout.
    pub file: String,
    /// The output condition it describes, e.g. `ISOnewspaper26v4`.
    pub condition: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    pub top: Length,
    pub bottom: Length,
    pub left: Length,
    pub right: Length,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GridSpec {
    /// Body size: one grid character is one em of it.
    pub body_size: FontSize,
    /// Distance between body baselines, e.g. `1.5em` of the body size.
    pub line_pitch: RelLength,
    /// Number of basic columns.
    pub columns: u32,
    /// Characters per basic column.
    pub column_chars: u32,
    /// Gutter between basic columns, in characters.
    #[serde(default = "one")]
    pub gutter_chars: f32,
    /// Draw a hairline rule in every gutter between text columns.
    #[serde(default)]
    pub column_rules: bool,
}

fn one() -> f32 {
    1.0
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FontSpec {
    /// Path of an OTF, TTF or TTC file, relative to the layout file.
    pub file: String,
    /// Face index inside a TTC collection.
    #[serde(default)]
    pub index: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Both edges flush; the paragraph's last line starts at the left.
    #[default]
    Justify,
    Start,
    Center,
    End,
    /// Spread evenly to fill the measure, last line too (均排).
    Distribute,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StyleSpec {
    /// Font names from `fonts:`, first choice first; later fonts fill in characters the
    /// earlier ones lack.
    pub font: FontChain,
    /// Fonts for text marked `**bold**`; defaults to `font`.
    #[serde(default)]
    pub bold: Option<FontChain>,
    pub size: FontSize,
    /// Baseline-to-baseline distance: grid lines (`2 lines`), relative (`1.5em`, of this
    /// style's size) or absolute; body text takes the grid's line pitch.
    #[serde(default)]
    pub leading: Option<Leading>,
    /// First-line indent of each paragraph, e.g. `2em`.
    #[serde(default)]
    pub indent: Option<RelLength>,
    #[serde(default)]
    pub align: Align,
    /// `cmyk(0, 0, 0, 100)` with percentages, or `black` / `white`.
    #[serde(default)]
    pub color: Option<Color>,
    /// Grid lines left empty before and after a block in this style.
    #[serde(default)]
    pub space_before: u32,
    #[serde(default)]
    pub space_after: u32,
    /// Extra space between characters (display type), e.g. `0.1em`.
    #[serde(default)]
    pub tracking: Option<RelLength>,
    /// A tint band behind the block, across its whole measure (kicker bands).
    #[serde(default)]
    pub background: Option<Color>,
    /// Composition rules for this style; unset keys come from the layout's `composition`.
    #[serde(default)]
    pub composition: CompositionSpec,
}

/// Line-start and line-end prohibitions (clreq's four levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kinsoku {
    /// Nothing is prohibited (some Taiwan and Hong Kong newspapers).
    None,
    Basic,
    /// `basic`, and a solidus may not end a line (GB/T 15834).
    #[default]
    Gb,
    /// `gb`, and —— and …… may not start a line.
    Strict,
}

/// How wide punctuation is set (标点符号的排法).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PunctuationStyle {
    /// 全角式: every mark full width, adjacent marks compressed.
    #[default]
    Quanjiao,
    /// 开明式: 。？！ full width, all other marks and brackets half width.
    Kaiming,
    /// 半角式: all marks and brackets half width.
    Banjiao,
}

/// Two adjacent marks whose boxes total 2 em are set in 1.5 em, or in 1 em.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
pub enum Adjacent {
    #[default]
    #[serde(rename = "1.5em")]
    OneAndHalf,
    #[serde(rename = "1em")]
    One,
}

/// Whether a closing bracket or pause/stop mark that ends a line is set half width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LineEndTrim {
    /// Always (GB/T 15834 §5.1.10): the ink sits flush with the column edge.
    Always,
    /// Only when that lets the line fit (CSS `text-spacing-trim: normal`).
    #[default]
    Allow,
    Never,
}

/// Whether a pause/stop mark may hang outside the measure instead of being pushed down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Hanging {
    #[default]
    Off,
    Allow,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutospaceSpec {
    /// A quarter-em gap between Han and Latin letters.
    pub alpha: Option<bool>,
    /// A quarter-em gap between Han and digits ("2024 年").
    pub numeric: Option<bool>,
}

/// What to do about a paragraph's first line alone at a column foot (orphan line) or its
/// last alone at a column top (widow line, 孤行).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Widows {
    /// Report them, leave the text where it is.
    #[default]
    Warn,
    /// Move the paragraph (or its last two lines) on to the next column, leaving at most
    /// one line empty.
    Avoid,
}

/// Chinese composition settings; every key optional (see the README for defaults).
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompositionSpec {
    pub kinsoku: Option<Kinsoku>,
    pub punctuation: Option<PunctuationStyle>,
    pub adjacent: Option<Adjacent>,
    pub line_end_trim: Option<LineEndTrim>,
    pub trim_open_at_line_start: Option<bool>,
    pub hanging: Option<Hanging>,
    pub autospace: Option<AutospaceSpec>,
    /// Stretch per gap above which a justified line is reported as loose, e.g. `0.25em`.
    pub loose: Option<RelLength>,
    pub widows: Option<Widows>,
    /// No line break between a number and the measure word or unit after it (7个, 48亿元,
    /// 11月; the table is in `src/text/classes.rs`). Default `true`.
    pub keep_number_with_unit: Option<bool>,
}

impl CompositionSpec {
    /// These settings, with unset keys taken from `base`.
    pub fn or(self, base: CompositionSpec) -> CompositionSpec {
        let autospace = match (self.autospace, base.autospace) {
            (Some(a), Some(b)) => Some(AutospaceSpec { alpha: a.alpha.or(b.alpha), numeric: a.numeric.or(b.numeric) }),
            (a, b) => a.or(b),
        };
        CompositionSpec {
            kinsoku: self.kinsoku.or(base.kinsoku),
            punctuation: self.punctuation.or(base.punctuation),
            adjacent: self.adjacent.or(base.adjacent),
            line_end_trim: self.line_end_trim.or(base.line_end_trim),
            trim_open_at_line_start: self.trim_open_at_line_start.or(base.trim_open_at_line_start),
            hanging: self.hanging.or(base.hanging),
            autospace,
            loose: self.loose.or(base.loose),
            widows: self.widows.or(base.widows),
            keep_number_with_unit: self.keep_number_with_unit.or(base.keep_number_with_unit),
        }
    }
}

super::units::string_schema!(
    Color,
    "Color",
    r"^(black|white|cmyk\(.*\)|rgb\(.*\)|spot\(.*\)|\{var\..*\})$",
    "cmyk(c, m, y, k) in percent, rgb(r, g, b) 0–255, spot(NAME, c, m, y, k), black or white."
);
impl JsonSchema for GridRange {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "GridRange".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Grid columns or lines, 1-based: 3, 1-4, 13-end.",
            "oneOf": [{ "type": "integer", "minimum": 1 }, { "type": "string", "pattern": r"^[0-9]+(-([0-9]+|end))?$" }]
        })
    }
}

impl JsonSchema for FontChain {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FontChain".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A font name from `fonts:`, or a list of them, first choice first.",
            "oneOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" }, "minItems": 1 }]
        })
    }
}

/// One font name or a list of them.
#[derive(Debug, Clone, PartialEq)]
pub struct FontChain(pub Vec<String>);

impl<'de> Deserialize<'de> for FontChain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FontChain;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a font name or a list of font names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FontChain, E> {
                Ok(FontChain(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FontChain, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                if names.is_empty() {
                    return Err(de::Error::custom("the font list is empty; name at least one font"));
                }
                Ok(FontChain(names))
            }
        }
        d.deserialize_any(V)
    }
}

/// A process colour, each channel 0.0–1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color {
    pub c: f32,
    pub m: f32,
    pub y: f32,
    pub k: f32,
    /// Written as `rgb(…)` and converted: not allowed in a PDF/X-1a job.
    pub from_rgb: bool,
    /// A spot colour (its name's hash; see [`spot_names`]); `c m y k` is its alternate.
    pub spot: Option<u64>,
}

impl Color {
    pub const fn cmyk(c: f32, m: f32, y: f32, k: f32) -> Color {
        Color { c, m, y, k, from_rgb: false, spot: None }
    }
    pub const BLACK: Color = Color::cmyk(0.0, 0.0, 0.0, 1.0);
    pub const WHITE: Color = Color::cmyk(0.0, 0.0, 0.0, 0.0);
    /// Registration: every plate, for marks; in the PDF the Separation /All (the spot
    /// colour named `All`), 100 % of each process ink as its alternate.
    pub const REGISTRATION: Color =
        Color { c: 1.0, m: 1.0, y: 1.0, k: 1.0, from_rgb: false, spot: Some(REGISTRATION_SPOT) };

    /// Total ink in percent.
    pub fn ink(&self) -> f32 {
        (self.c + self.m + self.y + self.k) * 100.0
    }

    /// 100 % black and nothing else: body text and thin rules overprint.
    pub fn is_pure_black(&self) -> bool {
        self.c == 0.0 && self.m == 0.0 && self.y == 0.0 && self.k >= 0.999
    }
}

/// The spot key of registration colour: `spot_key("All")`.
pub const REGISTRATION_SPOT: u64 = 0xf993_bb19_9fef_be04;

/// The key a spot colour's name is known by.
pub fn spot_key(name: &str) -> u64 {
    fnv1a(name.as_bytes())
}

/// The 64-bit FNV-1a hash: stable across runs and platforms, unlike `std`'s hasher.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// `spot(PANTONE 287 C, 100, 75, 0, 2)`: a spot colour's name and its CMYK alternate.
fn parse_spot(text: &str, inner: &str) -> Result<Color, String> {
    let inner = inner.strip_suffix(')').ok_or_else(|| {
        format!("`{text}` is cut short: inside a `{{…}}` mapping quote it: \"spot(NAME, c, m, y, k)\"")
    })?;
    let Some([name, c, m, y, k]) = spot_parts(inner) else {
        return Err(format!("`{text}`: write a spot colour as spot(NAME, c, m, y, k), its CMYK alternate in percent"));
    };
    if name.is_empty() || name.contains(['(', ')', '/', '#']) {
        return Err(format!("`{text}`: the spot colour's name is empty or has ( ) / #"));
    }
    let alternate = parse_color(&format!("cmyk({c}, {m}, {y}, {k})"))?;
    Ok(Color { spot: Some(spot_key(name)), ..alternate })
}

/// The name and the four alternate percentages between `spot(` and `)`; the name may
/// itself hold commas, so the split is from the right.
fn spot_parts(inner: &str) -> Option<[&str; 5]> {
    let mut parts = inner.rsplitn(5, ',').map(str::trim).collect::<Vec<_>>();
    parts.reverse();
    parts.try_into().ok()
}

/// The spot colours a layout's text names: key → name, split as [`parse_color`] does.
pub fn spot_names(text: &str) -> BTreeMap<u64, String> {
    let mut out = BTreeMap::new();
    let mut rest = text;
    while let Some(at) = rest.find("spot(") {
        rest = &rest[at + 5..];
        let inner = rest.split(')').next().unwrap_or_default();
        if let Some([name, ..]) = spot_parts(inner) {
            out.insert(spot_key(name), name.to_owned());
        }
    }
    out
}

pub fn parse_color(text: &str) -> Result<Color, String> {
    let t = text.trim();
    match t {
        "black" => return Ok(Color::BLACK),
        "white" => return Ok(Color::WHITE),
        _ => {}
    }
    if let Some(message) = super::errors::full_width_in_colour(t) {
        return Err(message);
    }
    if let Some(inner) = t.strip_prefix("spot(") {
        return parse_spot(text, inner);
    }
    let (kind, expected) = if t.starts_with("rgb(") { ("rgb(", 3) } else { ("cmyk(", 4) };
    if t.starts_with(kind) && !t.ends_with(')') {
        return Err(format!(
            "`{text}` is cut short: inside a `{{…}}` mapping the commas split values, so quote the colour: \"{kind}…)\""
        ));
    }
    let inner = t.strip_prefix(kind).and_then(|r| r.strip_suffix(')')).ok_or_else(|| {
        format!(
            "expected a colour such as `cmyk(0, 100, 100, 0)` (percent), `rgb(200, 30, 30)` or `black`, found `{text}`{}",
            super::errors::colour_hint(t)
        )
    })?;
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    if parts.len() != expected {
        return Err(format!("`{text}`: {kind}) takes {expected} numbers, found {}", parts.len()));
    }
    let max = if expected == 3 { 255.0 } else { 100.0 };
    let mut v = [0.0f32; 4];
    for (slot, part) in v.iter_mut().zip(&parts) {
        let n: f32 = part.trim_end_matches('%').parse().map_err(|_| format!("`{part}` in `{text}` is not a number"))?;
        if !(0.0..=max).contains(&n) {
            return Err(format!("`{part}` in `{text}` is outside 0–{max}"));
        }
        *slot = n / max;
    }
    if expected == 3 {
        // The naive conversion; a PDF/X-4 job warns about it, a PDF/X-1a job refuses it.
        let k = 1.0 - v[0].max(v[1]).max(v[2]);
        let part = |x: f32| if k >= 1.0 { 0.0 } else { (1.0 - x - k) / (1.0 - k) };
        return Ok(Color { c: part(v[0]), m: part(v[1]), y: part(v[2]), k, from_rgb: true, spot: None });
    }
    Ok(Color::cmyk(v[0], v[1], v[2], v[3]))
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_color(&text).map_err(de::Error::custom)
    }
}

/// Which style each kind of content is set in. Roles are open: besides these, a layout
/// names the styles of `byline`, `pullquote`, `list`, `jump` (or any role of its own), and
/// per story kind a map of roles (`brief: {body: brief-body, byline: brief-byline}`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Roles {
    pub headline: String,
    pub headline_kicker: String,
    pub headline_deck: String,
    pub lead: String,
    pub body: String,
    pub section_kicker: String,
    pub section_title: String,
    pub closing: String,
    pub folio: String,
    pub caption: String,
    /// The open roles: a style name, or for a story kind a map of role to style.
    #[serde(flatten)]
    pub open: BTreeMap<String, RoleSpec>,
}

/// An open role: a style, or for a story kind (`brief:`) the styles of its roles.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RoleSpec {
    Style(String),
    Kind(BTreeMap<String, String>),
}

impl Default for Roles {
    fn default() -> Self {
        Roles {
            headline: "headline".into(),
            headline_kicker: "headline-kicker".into(),
            headline_deck: "headline-deck".into(),
            lead: "lead".into(),
            body: "body".into(),
            section_kicker: "section-kicker".into(),
            section_title: "section-title".into(),
            closing: "closing".into(),
            folio: "folio".into(),
            caption: "caption".into(),
            open: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageLayout {
    pub frames: Vec<FrameSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FrameKind {
    /// Body text of a thread, flowing column to column and frame to frame.
    #[default]
    Text,
    /// The edition's headline group (引题 / 主题 / 副题), centred.
    Headline,
    /// One line of text with edition variables: `{edition.title}`, `{edition.date}`, `{page}`.
    Folio,
    /// A photo of the edition, cropped to the frame or to a shape, with its caption.
    Picture,
    /// Nothing but the frame's `fill`, `stroke` and rules: boxes, bands, horizontal rules.
    Box,
}

/// Where a text frame sets a head (kicker and title) that opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum HeadsPlace {
    /// One column wide, wherever the flow reaches it.
    #[default]
    Column,
    /// A head that is the first thing the thread sets in the frame stands across all the
    /// frame's columns (a section block opened by its head), its text in the columns below;
    /// a head reached in the middle of the frame stays one column wide.
    Across,
}

/// How a photo fills its frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Fit {
    /// Fill the frame, cropping what overflows (around the focus point).
    #[default]
    Cover,
    /// Show the whole photo inside the frame.
    Contain,
}

/// The outline a photo is cut to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    #[default]
    Rect,
    /// The largest circle centred in the picture area.
    Circle,
    /// The ellipse inscribed in the picture area.
    Ellipse,
    /// `points`, as fractions of the picture area.
    Polygon,
}

/// Where a caption goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CaptionPlace {
    #[default]
    Below,
    Above,
    /// On a tint band across the bottom of the photo.
    Overlay,
    None,
}

/// Where a photo's credit (摄影 / 图片来源) goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CreditPlace {
    /// After the caption, in its style.
    #[default]
    After,
    /// On the photo, flush right along its foot, in the `credit` role's style.
    Edge,
}

/// Which side of a shape text may run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WrapSide {
    /// Left and right of the shape, where there is room.
    #[default]
    Both,
    Left,
    Right,
    /// Only the wider side, line by line.
    Largest,
    /// Text runs under the picture (the picture does not push text away).
    None,
}

/// How a picture pushes text away (图文互斥).
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WrapSpec {
    /// Space kept between the picture's contour and the text, e.g. `1em` (of the grid's
    /// body size) or `3mm`.
    #[serde(default)]
    pub offset: Option<RelLength>,
    #[serde(default)]
    pub side: WrapSide,
    /// Line pieces narrower than this many characters are left empty.
    #[serde(default)]
    pub min_chars: Option<u32>,
}

/// A stroke round a frame or picture.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrokeSpec {
    pub width: Length,
    #[serde(default)]
    pub color: Option<Color>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameSpec {
    pub id: String,
    #[serde(default)]
    pub kind: FrameKind,
    /// Basic columns the frame covers, 1-based: `3`, `1-4`.
    pub columns: GridRange,
    /// Grid lines the frame covers, 1-based: `1-12`, `13-end`.
    pub lines: GridRange,
    /// For text frames: the thread that fills it.
    #[serde(default)]
    pub thread: Option<String>,
    /// Basic columns per text column (2 or 3 makes long columns, 长栏).
    #[serde(default = "one_u32")]
    pub span: u32,
    /// Break the frame into this many equal text columns instead (破栏): the frame's
    /// width in characters, less a 1-character gutter between them, shared out; a
    /// remainder goes to the last column.
    #[serde(default)]
    pub split: Option<u32>,
    /// For folio frames: the text, with `{…}` variables.
    #[serde(default)]
    pub text: Option<String>,
    /// For folio frames: a second text set flush right on the same line.
    #[serde(default)]
    pub text_right: Option<String>,
    /// Draw a rule under the frame (folio line, section separator).
    #[serde(default)]
    pub rule_below: bool,
    /// A colour behind the frame (a band, a tinted box).
    #[serde(default)]
    pub fill: Option<Color>,
    /// Pictures, fills and bands: the sides that lie on the type area's edge run out to
    /// the trim and on into the bleed.
    #[serde(default)]
    pub bleed: bool,
    /// A box round the frame, or round a picture's contour.
    #[serde(default)]
    pub stroke: Option<StrokeSpec>,
    /// Text frames: characters kept free inside the left and right edges (for a box).
    #[serde(default)]
    pub inset: Option<f32>,
    /// Text frames: grid lines kept free at the top and the bottom (for a box).
    #[serde(default)]
    pub pad: Option<u32>,
    /// Text frames: `false` lets its thread's text end short here (a brief that runs as
    /// long as its text): empty lines at the feet of its columns are neither reported nor
    /// filled by the copy-fit. Default `true`: every column ends flush.
    #[serde(default)]
    pub flush: Option<bool>,
    /// Text frames: `across` sets a head that opens the frame across all its columns (a
    /// section block), `column` one column wide. Default `column`.
    #[serde(default)]
    pub heads: Option<HeadsPlace>,
    /// Pictures, boxes and headlines: moved off the grid by `[x, y]`, e.g. `[2mm, -1.5mm]`,
    /// where a designer wants it (text frames stay on the grid).
    #[serde(default)]
    pub offset: Option<[Length; 2]>,
    /// Picture frames: the `id` of a photo in the edition.
    #[serde(default)]
    pub photo: Option<String>,
    /// Headline frames: the story whose headline group is set here (default `main`, or
    /// the first story).
    #[serde(default)]
    pub story: Option<String>,
    /// Box frames: the pull quote set in the box, `STORY` (its next one) or `STORY#N`
    /// (its N-th, from 1). The box pushes text away (`wrap:`) like a picture.
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub fit: Fit,
    /// Picture frames: the point kept in view when cropping, `[x, y]` as fractions of the
    /// photo (`[0.5, 0.5]` is the centre).
    #[serde(default)]
    pub focus: Option<[f32; 2]>,
    #[serde(default)]
    pub shape: Shape,
    /// Polygon pictures: corners as `[x, y]` fractions of the picture area.
    #[serde(default)]
    pub points: Option<Vec<[f32; 2]>>,
    #[serde(default)]
    pub caption: CaptionPlace,
    /// Grid lines the caption takes.
    #[serde(default)]
    pub caption_lines: Option<u32>,
    /// The caption's style, instead of the `caption` role's.
    #[serde(default)]
    pub caption_style: Option<String>,
    /// Picture frames: where the photo's credit goes, `after` the caption or on the
    /// photo's `edge`.
    #[serde(default)]
    pub credit: CreditPlace,
    /// How the picture (or a box) pushes text away; pictures and pull-quote boxes by default
    /// both sides with a 1-character offset, other boxes not at all.
    #[serde(default)]
    pub wrap: Option<WrapSpec>,
    /// Copy-fit (撑版): grid lines the picture may grow by so that the text around it ends
    /// flush (its free edge moves: the bottom, or the top for a picture at a column's foot).
    /// On a text frame (a section block): lines its foot may move down, carrying the top of
    /// the frames stacked directly under it.
    #[serde(default)]
    pub grow: Option<u32>,
    /// Copy-fit (缩版): grid lines the picture (or a text frame's foot) may shrink by.
    #[serde(default)]
    pub shrink: Option<u32>,
    /// Copy-fit: grid lines the picture may move up or down, its size kept (a round photo
    /// inside the text moved off a head's band, as an editor slides it).
    #[serde(default, rename = "move")]
    pub moves: Option<u32>,
}

/// What the copy-fit may change, besides the pictures' `grow` and `shrink`.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FitSpec {
    /// A paragraph may be set this much tighter or looser per character (字距微调), to lose
    /// or gain a line: `0.02em`. Default none.
    #[serde(default)]
    pub tracking: Option<RelLength>,
    /// Grid lines the space above a section head may grow or shrink by. Default 0.
    #[serde(default)]
    pub head_space: u32,
    /// A paragraph may be set a line longer or shorter than its best breaking (TeX's
    /// looseness: its lines a hair looser or tighter, within the composer's tolerance), to
    /// end a block whose pictures span all its columns flush. Default false.
    #[serde(default)]
    pub lines: bool,
    /// How many layouts the copy-fit may try (each takes a few milliseconds). Default 400.
    #[serde(default)]
    pub tries: Option<u32>,
}

fn one_u32() -> u32 {
    1
}

/// An inclusive 1-based range of grid columns or lines; `end` means the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridRange {
    pub first: u32,
    /// `None` = to the end of the grid.
    pub last: Option<u32>,
}

pub fn parse_grid_range(text: &str) -> Result<GridRange, String> {
    let t = text.trim();
    let number = |s: &str| -> Result<u32, String> {
        match s.trim().parse::<u32>() {
            Ok(0) => Err(format!("`{text}`: grid positions count from 1")),
            Ok(n) => Ok(n),
            Err(_) => Err(format!("expected a grid range such as `3`, `1-4` or `13-end`, found `{text}`")),
        }
    };
    match t.split_once('-') {
        None => number(t).map(|n| GridRange { first: n, last: Some(n) }),
        Some((a, b)) => {
            let first = number(a)?;
            let last = if b.trim() == "end" { None } else { Some(number(b)?) };
            if last.is_some_and(|l| l < first) {
                return Err(format!("`{text}`: the range ends before it starts"));
            }
            Ok(GridRange { first, last })
        }
    }
}

impl<'de> Deserialize<'de> for GridRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = GridRange;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a grid range such as 3, 1-4 or 13-end")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<GridRange, E> {
                parse_grid_range(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<GridRange, E> {
                parse_grid_range(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<GridRange, E> {
                parse_grid_range(&v.to_string()).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreadSpec {
    /// Content in reading order: `lead`, `intro`, `sections` (all of them),
    /// `section:<id>` (one), `closing`.
    pub content: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_is_the_spot_colour_all() {
        assert_eq!(spot_key("All"), REGISTRATION_SPOT);
        assert_eq!(Color::REGISTRATION.spot, Some(REGISTRATION_SPOT));
    }

    #[test]
    fn grid_ranges() {
        assert_eq!(parse_grid_range("3").unwrap(), GridRange { first: 3, last: Some(3) });
        assert_eq!(parse_grid_range("1-4").unwrap(), GridRange { first: 1, last: Some(4) });
        assert_eq!(parse_grid_range("13-end").unwrap(), GridRange { first: 13, last: None });
        assert!(parse_grid_range("0-3").unwrap_err().contains("count from 1"));
        assert!(parse_grid_range("4-2").unwrap_err().contains("ends before"));
        assert!(parse_grid_range("a-b").is_err());
    }

    #[test]
    fn colours() {
        assert_eq!(parse_color("cmyk(0, 100, 100, 0)").unwrap(), Color::cmyk(0.0, 1.0, 1.0, 0.0));
        let red = parse_color("rgb(255, 0, 0)").unwrap();
        assert!(red.from_rgb && red.m == 1.0 && red.y == 1.0 && red.c == 0.0 && red.k == 0.0);
        assert!(parse_color("rgb(256, 0, 0)").is_err());
        let spot = parse_color("spot(PANTONE 287 C, 100, 75, 0, 2)").unwrap();
        assert_eq!(spot.spot, Some(spot_key("PANTONE 287 C")));
        assert_eq!((spot.c, spot.m, spot.y, spot.k), (1.0, 0.75, 0.0, 0.02));
        assert!(parse_color("spot(PANTONE 287 C, 100, 75)").is_err());
        assert_eq!(spot_names("a: \"spot(PANTONE 287 C, 1, 2, 3, 4)\"")[&spot_key("PANTONE 287 C")], "PANTONE 287 C");
        // A name with a comma is keyed as the colour is parsed.
        let color = parse_color("spot(Red, warm, 0, 90, 85, 0)").unwrap();
        assert_eq!(spot_names("fill: \"spot(Red, warm, 0, 90, 85, 0)\"")[&color.spot.unwrap()], "Red, warm");
        assert_eq!(parse_color("black").unwrap(), Color::BLACK);
        assert!(parse_color("cmyk(0,0,0)").unwrap_err().contains("takes 4"));
        assert!(parse_color("cmyk(0,0,0,120)").unwrap_err().contains("outside"));
        assert!(parse_color("#ff0000").is_err());
        assert!(parse_color("cmyk(100").unwrap_err().contains("quote the colour"));
    }

    #[test]
    fn font_chain_accepts_one_or_many() {
        #[derive(Deserialize, JsonSchema)]
        struct T {
            font: FontChain,
        }
        let one: T = serde_norway::from_str("font: serif").unwrap();
        assert_eq!(one.font.0, vec!["serif"]);
        let many: T = serde_norway::from_str("font: [serif, sans]").unwrap();
        assert_eq!(many.font.0, vec!["serif", "sans"]);
        assert!(serde_norway::from_str::<T>("font: []").is_err());
    }
}
