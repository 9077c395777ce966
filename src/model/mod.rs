//! The model: what the two input files mean. The [`crate::spec`] types of a layout and an
//! edition, checked against each other and resolved once into plain numbers (points, grid
//! positions) and ids (fonts, styles, threads, photos) for the later stages. Every error
//! here points at the file, line and column that caused it.

pub mod advice;
pub mod inline;
pub mod story;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::error::{Location, Result};
pub use crate::spec::did_you_mean;
use crate::spec::edition::{self, Date, Edition};
use crate::spec::layout::{Align, Color, FrameKind, Layout, StyleSpec, PAGE_PRESETS};
use crate::spec::source::Source;
use crate::spec::{layout, units, variables};
use crate::text::Config;
use inline::Run;

/// Both input files, parsed and checked.
pub struct Job {
    pub layout_source: Source,
    pub edition_source: Source,
    pub page: PageGeometry,
    pub grid: Grid,
    pub fonts: Vec<FontFile>,
    /// Every style, in the order of their names; a [`StyleId`] indexes it.
    pub styles: Vec<Style>,
    pub roles: Roles,
    pub pages: Vec<Vec<Frame>>,
    /// Every thread, in the order of their names; a [`ThreadId`] indexes it.
    pub threads: Vec<Thread>,
    pub edition: edition::EditionMeta,
    pub date: Date,
    /// The edition's stories (one, `main`, for the one-article shape); a [`story::StoryId`]
    /// indexes it.
    pub stories: Vec<story::Story>,
    pub photos: Vec<PhotoFile>,
    pub print: Print,
    pub fit: Fit,
    /// Jump lines (转版): the words at the foot of a frame a thread leaves for a later page
    /// (`{to}`) and at the top of the frame it resumes in (`{from}`), and their style.
    pub jumps: Option<Jumps>,
    /// What resolving found that is not wrong but should be looked at: content no frame
    /// takes, a story in two threads, a repeated id.
    pub warnings: Vec<Diagnostic>,
}

/// The jump lines' words and style.
#[derive(Debug, Clone)]
pub struct Jumps {
    pub to: String,
    pub from: String,
    pub style: StyleId,
}

/// A style of [`Job::styles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StyleId(pub usize);

/// A thread of [`Job::threads`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThreadId(pub usize);

/// A photo of [`Job::photos`] (and of the images loaded for them, in the same order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhotoId(pub usize);

/// The style each kind of content is set in, resolved. The roles every edition needs are
/// checked to exist; the others are `None` where the layout has no such style, which is an
/// error only where content needs it.
#[derive(Debug, Clone)]
pub struct Roles {
    pub headline: StyleId,
    pub headline_kicker: Option<StyleId>,
    pub headline_deck: Option<StyleId>,
    pub lead: StyleId,
    pub body: StyleId,
    pub section_kicker: StyleId,
    pub section_title: StyleId,
    pub closing: StyleId,
    pub folio: Option<StyleId>,
    pub caption: Option<StyleId>,
    /// The open roles (`byline`, `pullquote`, …) the layout names, resolved.
    pub open: BTreeMap<String, StyleId>,
    /// Per story kind, its own styles of roles (`roles.brief.body`).
    pub kinds: BTreeMap<String, BTreeMap<String, StyleId>>,
    /// The style names as the layout gives them, for messages.
    pub names: layout::Roles,
}

/// A thread: the blocks it carries, in reading order, and the frames it flows through
/// (those whose content names it).
#[derive(Debug, Clone)]
pub struct Thread {
    pub name: String,
    pub blocks: Vec<Block>,
}

/// The print settings, resolved.
#[derive(Debug, Clone)]
pub struct Print {
    pub pdfx: layout::PdfX,
    /// In points.
    pub bleed: f32,
    pub slug: f32,
    pub marks: bool,
    pub slug_line: bool,
    pub ink_limit: f32,
    pub warn_ppi: f32,
    pub min_ppi: f32,
    /// Photos above this effective resolution are downsampled to it.
    pub max_ppi: f32,
    pub rendering_intent: layout::RenderingIntent,
    /// A custom ICC output profile: file, output condition, where the layout names it.
    pub output_profile: Option<(PathBuf, String, Location)>,
    /// Colours the layout gives as `rgb(…)`: key path and place.
    pub rgb_colors: Vec<(String, Location)>,
    /// Spot colours the layout names: key (see `layout::spot_key`) → name.
    pub spots: BTreeMap<u64, String>,
    /// Rich black for black type of at least this size (points).
    pub rich_black: Option<(Color, f32)>,
}

/// Page size and type area, in points, origin at the top-left of the trimmed page.
#[derive(Debug, Clone, Copy)]
pub struct PageGeometry {
    pub width: f32,
    pub height: f32,
    pub area_left: f32,
    pub area_top: f32,
    pub area_width: f32,
    pub area_height: f32,
}

/// The character grid (背景格): all body lines of all columns sit on it.
#[derive(Debug, Clone, Copy)]
pub struct Grid {
    /// One grid character: the body size in points.
    pub char: f32,
    pub pitch: f32,
    pub columns: u32,
    pub column_chars: u32,
    pub gutter_chars: f32,
    /// Number of grid lines in the type area.
    pub lines: u32,
    pub column_rules: bool,
    /// Basic columns on one page; on a two-page spread `columns` is twice this.
    pub page_columns: u32,
    /// On a spread: the extra distance between the last column of the left page and the
    /// first of the right (the two inner margins, less a gutter).
    pub spine: f32,
}

impl Grid {
    pub fn column_width(&self) -> f32 {
        self.column_chars as f32 * self.char
    }
    pub fn gutter(&self) -> f32 {
        self.gutter_chars * self.char
    }
    /// Width of `span` basic columns set as one long column (长栏): k·c + (k−1)·g chars.
    pub fn span_width(&self, span: u32) -> f32 {
        span as f32 * self.column_width() + span.saturating_sub(1) as f32 * self.gutter()
    }
    /// Left edge of basic column `index` (0-based), from the type area's left edge.
    pub fn column_x(&self, index: u32) -> f32 {
        let spine = if index >= self.page_columns { self.spine } else { 0.0 };
        index as f32 * (self.column_width() + self.gutter()) + spine
    }
    /// From the left edge of column `first` to the right edge of column `last`.
    pub fn range_width(&self, first: u32, last: u32) -> f32 {
        self.column_x(last) + self.column_width() - self.column_x(first)
    }
    /// Do columns `first..=last` run across the spine of a spread?
    pub fn crosses_spine(&self, first: u32, last: u32) -> bool {
        first < self.page_columns && last >= self.page_columns
    }
    pub fn total_width(&self) -> f32 {
        self.range_width(0, self.columns - 1)
    }
    /// Characters across `span` basic columns set as one long column: k·c + (k−1)·g.
    pub fn span_chars(&self, span: u32) -> f32 {
        span as f32 * self.column_chars as f32 + span.saturating_sub(1) as f32 * self.gutter_chars
    }
    /// Broken columns (破栏): `count` columns over `span` basic columns, with 1-character
    /// gutters; each gets the whole characters it can, the remainder goes to the last.
    pub fn broken_columns(&self, span: u32, count: u32) -> Vec<f32> {
        let long = self.span_chars(span);
        let free = long - (count.saturating_sub(1)) as f32;
        let each = (free / count as f32).floor();
        let mut widths = vec![each; count as usize];
        if let Some(last) = widths.last_mut() {
            *last += free - each * count as f32;
        }
        widths
    }
}

#[cfg(test)]
mod grid_tests {
    //! clreq-rules.md §9.6: newspaper grid arithmetic at 9 pt.
    use super::*;

    fn broadsheet() -> Grid {
        Grid {
            char: 9.0,
            pitch: 13.5,
            columns: 8,
            column_chars: 13,
            gutter_chars: 1.0,
            lines: 100,
            column_rules: false,
            page_columns: 8,
            spine: 0.0,
        }
    }

    #[test]
    fn the_narrowest_piece_set_beside_a_picture_follows_the_loose_threshold() {
        // A character pushed off a piece of n characters spreads over n − 1 gaps: at 0.25 em
        // a piece needs 5 characters (4 gaps of 0.25 em), at 0.5 em 3, at 0.2 em 6.
        let g = broadsheet();
        assert_eq!(narrowest_piece(0.25, &g), 5);
        assert_eq!(narrowest_piece(0.5, &g), 3);
        assert_eq!(narrowest_piece(0.2, &g), 6);
        // Never more than a column: a very strict threshold still sets full lines.
        assert_eq!(narrowest_piece(0.01, &g), 13);
    }

    #[test]
    fn a_spread_jumps_the_spine() {
        let g = Grid { columns: 16, spine: 40.0, ..broadsheet() };
        assert_eq!(g.column_x(7), 7.0 * 126.0);
        assert_eq!(g.column_x(8), 8.0 * 126.0 + 40.0);
        assert_eq!(g.range_width(6, 9), 4.0 * 117.0 + 3.0 * 9.0 + 40.0);
        assert!(g.crosses_spine(7, 8) && !g.crosses_spine(8, 15) && !g.crosses_spine(0, 7));
    }

    #[test]
    fn f1_basic_column_of_13_characters() {
        let g = broadsheet();
        assert_eq!(g.column_width(), 117.0);
        assert!((g.column_width() / units::PT_PER_MM - 41.3).abs() < 0.05);
    }

    #[test]
    fn f2_long_column_over_three() {
        let g = broadsheet();
        assert_eq!(g.span_chars(3), 41.0);
        assert_eq!(g.span_width(3), 41.0 * 9.0);
    }

    #[test]
    fn f3_five_columns_broken_into_three() {
        let g = broadsheet();
        assert_eq!(g.span_chars(5), 69.0);
        assert_eq!(g.broken_columns(5, 3), vec![22.0, 22.0, 23.0]);
    }

    #[test]
    fn f4_full_broadsheet_type_area() {
        let g = broadsheet();
        assert_eq!(g.span_chars(8), 111.0);
        assert_eq!(g.total_width(), 999.0);
        assert!((g.total_width() / units::PT_PER_MM - 352.4).abs() < 0.1);
    }
}

#[derive(Debug, Clone)]
pub struct FontFile {
    pub name: String,
    pub path: PathBuf,
    pub index: u32,
    /// Where the layout names the file.
    pub asked_at: Location,
}

#[derive(Debug, Clone)]
pub struct Style {
    pub name: String,
    /// Indices into `Job::fonts`, first choice first.
    pub fonts: Vec<usize>,
    pub bold_fonts: Vec<usize>,
    pub size: f32,
    pub leading: f32,
    pub indent: f32,
    pub align: Align,
    pub color: Color,
    pub space_before: u32,
    pub space_after: u32,
    pub tracking: f32,
    pub background: Option<Color>,
    /// How its paragraphs are composed: the style's composition settings merged over the
    /// layout's, with its alignment and indent, resolved once here.
    pub config: Config,
    /// How it sets a display line (a headline part, a folio text): no indent, and centred
    /// unless the style aligns otherwise.
    pub display: Config,
    /// Whether a paragraph's first or last line may stand alone at a column's foot or top.
    pub widows: layout::Widows,
}

#[derive(Debug, Clone)]
pub struct Frame {
    pub id: String,
    /// 0-based basic columns, inclusive.
    pub col_first: u32,
    pub col_last: u32,
    /// 0-based grid lines, inclusive.
    pub line_first: u32,
    pub line_last: u32,
    pub rule_below: bool,
    pub fill: Option<Color>,
    /// Sides on the type area's edge run out into the bleed.
    pub bleed: bool,
    /// Moved off the grid by this much, in points (not text frames).
    pub offset: (f32, f32),
    pub stroke: Option<Stroke>,
    /// What the frame holds; each kind has its own keys.
    pub content: FrameContent,
}

/// What a frame holds.
#[derive(Debug, Clone)]
pub enum FrameContent {
    /// A thread flows through it.
    Text(TextFrame),
    /// A photo and its caption.
    Picture(Picture),
    /// A story's headline group.
    Headline(story::StoryId),
    /// One line of text: flush left and flush right.
    Folio { text: String, text_right: Option<String> },
    /// Its fill, stroke and rule; a pull quote, and text pushed away, when it says so.
    Box(BoxFrame),
}

/// A box: what it pushes away, and the pull quote (story, body item) it sets.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BoxFrame {
    pub wrap: Option<Wrap>,
    pub quote: Option<(story::StoryId, usize)>,
}

/// A text frame's columns and the thread in them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextFrame {
    pub thread: ThreadId,
    /// Basic columns per text column (长栏).
    pub span: u32,
    /// Text columns the frame is broken into instead (破栏).
    pub split: Option<u32>,
    /// Free space inside the left and right edges, in points.
    pub inset: f32,
    /// Grid lines left free at the top and the bottom.
    pub pad: u32,
    /// The layout's `flush: false`: the text may end short in this frame.
    pub may_end_short: bool,
    /// Copy-fit: grid lines the frame's foot may move down (`grow`) or up (`shrink`),
    /// carrying the top of the frames stacked directly under it (a section block's height).
    pub grow: u32,
    pub shrink: u32,
    /// The layout's `heads: across`: a head that opens the frame stands across its columns.
    pub heads_across: bool,
}

impl Frame {
    /// The text frame's settings, for a text frame.
    pub fn text(&self) -> Option<&TextFrame> {
        match &self.content {
            FrameContent::Text(t) => Some(t),
            _ => None,
        }
    }
    /// The thread flowing through it, for a text frame.
    pub fn thread(&self) -> Option<ThreadId> {
        self.text().map(|t| t.thread)
    }
    pub fn picture(&self) -> Option<&Picture> {
        match &self.content {
            FrameContent::Picture(p) => Some(p),
            _ => None,
        }
    }
    /// The kind as the layout names it.
    pub fn kind(&self) -> FrameKind {
        match self.content {
            FrameContent::Text(_) => FrameKind::Text,
            FrameContent::Picture(_) => FrameKind::Picture,
            FrameContent::Headline(_) => FrameKind::Headline,
            FrameContent::Folio { .. } => FrameKind::Folio,
            FrameContent::Box(_) => FrameKind::Box,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub width: f32,
    pub color: Color,
}

/// A picture frame's photo and how it sits.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub photo: PhotoId,
    pub fit: layout::Fit,
    pub focus: (f32, f32),
    pub shape: layout::Shape,
    /// Polygon corners as fractions of the picture area.
    pub points: Vec<(f32, f32)>,
    pub caption: layout::CaptionPlace,
    pub caption_lines: u32,
    /// The caption's style; `None` for the `caption` role's.
    pub caption_style: Option<StyleId>,
    /// Where the photo's credit goes.
    pub credit: layout::CreditPlace,
    pub wrap: Option<Wrap>,
    /// Grid lines the copy-fit may add to or take from its height.
    pub grow: u32,
    pub shrink: u32,
    /// Grid lines the copy-fit may move it up or down, its size kept.
    pub moves: u32,
}

/// What the copy-fit may change besides pictures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Fit {
    /// Per-character tracking a paragraph may be set tighter or looser by, in em.
    pub tracking: f32,
    /// Grid lines the space above a head may grow or shrink by.
    pub head_space: u32,
    /// A paragraph may be set a line longer or shorter than its best breaking.
    pub lines: bool,
    /// Layouts tried at most.
    pub tries: u32,
}

/// How a picture pushes text away.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wrap {
    /// Distance kept from the contour, in points.
    pub offset: f32,
    pub side: layout::WrapSide,
    /// Narrowest line piece set, in points.
    pub min_width: f32,
}

/// One block of a thread's content, in reading order.
#[derive(Debug, Clone)]
pub struct Block {
    pub style: StyleId,
    pub runs: Vec<Run>,
    /// Where the text comes from, for messages: `sections[2].paragraphs[3]`.
    pub origin: String,
    /// A heading line: keep it in the same column as the block after it.
    pub keep_with_next: bool,
}

#[derive(Debug, Clone)]
pub struct PhotoFile {
    pub id: String,
    pub path: PathBuf,
    pub caption: String,
    /// 摄影　王小明: after the caption or on the photo, as the picture frame says.
    pub credit: Option<String>,
    /// Where the edition names the file.
    pub asked_at: Location,
    /// Its key path: `photos[2]`, `stories[1].photos[0]`.
    pub key: String,
}

impl PhotoFile {
    /// The caption as set under the photo: with the credit after it, unless the credit
    /// goes on the photo's edge.
    pub fn caption_text(&self, credit: layout::CreditPlace) -> String {
        match (&self.credit, credit) {
            (Some(c), layout::CreditPlace::After) if self.caption.is_empty() => c.clone(),
            (Some(c), layout::CreditPlace::After) => format!("{}　{c}", self.caption),
            _ => self.caption.clone(),
        }
    }
}

/// The JSON Schema of `layout` (layout.yaml) or `edition` (an edition file), derived
/// from the very types the files are read into, so it cannot drift from them.
pub fn schema(which: &str) -> String {
    let schema = match which {
        "layout" => schemars::schema_for!(Layout),
        _ => schemars::schema_for!(Edition),
    };
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

impl Job {
    /// Read, parse and check a layout and an edition.
    pub fn load(layout_path: &Path, edition_path: &Path) -> Result<Job> {
        Job::load_confined(layout_path, edition_path, false)
    }

    /// Load, reading fonts, photos and profiles only inside the layout's folder (the
    /// project) unless `allow_outside`: a shared template must not read arbitrary files.
    pub fn load_confined(layout_path: &Path, edition_path: &Path, allow_outside: bool) -> Result<Job> {
        let mut layout_source = Source::read(layout_path)?;
        let mut edition_source = Source::read(edition_path)?;
        if !allow_outside {
            let project = match layout_path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            layout_source.confine = Some(project.clone());
            edition_source.confine = Some(project);
        }
        // Both files are parsed even when the first fails, so that `check` reports the
        // mistakes of both at once; a broken edition leaves the layout its own variables.
        let edition: Result<Edition> = edition_source.parse();
        let no_overrides = BTreeMap::new();
        let overrides = edition.as_ref().map_or(&no_overrides, |e| &e.variables);
        let layout = variables::substitute(layout_source, &edition_source, overrides)
            .and_then(|source| source.parse::<Layout>().map(|layout| (source, layout)));
        match (edition, layout) {
            (Ok(edition), Ok((layout_source, layout))) => Job::resolve(layout_source, layout, edition_source, edition),
            (Err(e), Err(l)) => Err(crate::error::Error::from_list(vec![e, l])),
            (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
        }
    }

    pub fn resolve(ls: Source, layout: Layout, es: Source, edition: Edition) -> Result<Job> {
        let page = resolve_page(&ls, &layout)?;
        let grid = resolve_grid(&ls, &layout, &page)?;
        let fonts = resolve_fonts(&ls, &layout)?;
        let styles = resolve_styles(&ls, &layout, &fonts, &grid)?;
        let roles = resolve_roles(&ls, &layout, &styles)?;
        let mut pages = resolve_frames(&ls, &layout, &grid)?;
        let date = edition::parse_date(&edition.edition.date).map_err(|m| es.error("edition.date", m))?;
        within(&es, "edition.year", edition.edition.year, 1000..=9999, "")?;
        check_edition_ids(&es, &edition)?;
        let (stories, mut warnings) = story::read(&es, &edition)?;
        let taken = story::resolve_frames(&ls, &layout, &es, &stories, &grid, &mut pages)?;
        let resolved = story::resolve_threads(&ls, &layout, &roles, &styles, &es, &stories, &taken, &pages)?;
        warnings.extend(resolved.warnings);
        let threads = resolved.threads;
        let photos = resolve_photos(&es, &edition)?;
        resolve_pictures(&ls, &layout, &grid, &styles, &photos, &es, &mut pages)?;
        warnings.extend(unplaced_photos(&es, &photos, &pages));
        let print = resolve_print(&ls, &layout)?;
        let fit = resolve_fit(&ls, &layout, &grid)?;
        let jumps = match &layout.jumps {
            Some(spec) => Some(Jumps {
                to: spec.to.clone(),
                from: spec.from.clone(),
                style: story::role_style(&roles, &styles, None, "jump").ok_or_else(|| {
                    ls.error("jumps", "jump lines need a style: add a style `jump` or name one in `roles.jump`")
                })?,
            }),
            None => None,
        };
        let mut job = Job {
            layout_source: ls,
            edition_source: es,
            page,
            grid,
            fonts,
            styles,
            roles,
            pages,
            threads,
            edition: edition.edition,
            date,
            stories,
            photos,
            print,
            fit,
            jumps,
            warnings,
        };
        let mut warnings = std::mem::take(&mut job.warnings);
        job.reword(&mut warnings);
        job.warnings = warnings;
        Ok(job)
    }

    /// `message` with every key path in it in words (`pages[0].frames[3]` → `page 1,
    /// frame `headline``, `sections[1]` → `section `party``): the layout's frames and the
    /// edition's sections, photos and stories by their ids ([`crate::spec::keys`]).
    pub fn readable_in(&self, message: &str) -> String {
        let (ls, es) = (&self.layout_source, &self.edition_source);
        crate::spec::keys::readable_in(message, |p| ls.id_of(p).or_else(|| es.id_of(p)))
    }

    /// Every message and hint of `diagnostics` [`Job::readable_in`].
    pub fn reword<'d>(&self, diagnostics: impl IntoIterator<Item = &'d mut Diagnostic>) {
        for d in diagnostics {
            d.reword(&|m: &str| self.readable_in(m));
        }
    }

    pub fn style(&self, id: StyleId) -> &Style {
        &self.styles[id.0]
    }

    /// The key path of `frame` in the layout (`pages[0].frames[4]`), for errors at its keys.
    pub fn frame_key(&self, frame: &Frame) -> String {
        self.pages
            .iter()
            .enumerate()
            .find_map(|(p, frames)| {
                frames.iter().position(|f| f.id == frame.id).map(|f| format!("pages[{p}].frames[{f}]"))
            })
            .unwrap_or_else(|| "pages".into())
    }

    pub fn thread(&self, id: ThreadId) -> &Thread {
        &self.threads[id.0]
    }

    /// The frames `thread` flows through, in page and frame order, with their pages.
    pub fn frames_of(&self, thread: ThreadId) -> impl Iterator<Item = (usize, &Frame)> {
        self.pages
            .iter()
            .enumerate()
            .flat_map(|(p, frames)| frames.iter().map(move |f| (p, f)))
            .filter(move |(_, f)| f.thread() == Some(thread))
    }
}

/// The largest page PDF readers and PDF/X accept: 14,400 pt (200 in) a side.
pub const MAX_PAGE_PT: f32 = units::MAX_LENGTH_PT;

/// A number the layout or edition gives must lie in its range: an error at its key,
/// naming the range, when it does not. The ranges of every number key are listed in the
/// README ("Ranges").
fn within<T: PartialOrd + std::fmt::Display>(
    source: &Source,
    key: &str,
    value: T,
    range: std::ops::RangeInclusive<T>,
    why: &str,
) -> Result<()> {
    if range.contains(&value) {
        return Ok(());
    }
    Err(source.error(key, format!("{value} is outside {}–{}{why}", range.start(), range.end())))
}

fn resolve_page(ls: &Source, layout: &Layout) -> Result<PageGeometry> {
    let spec = &layout.page;
    let (width, height) = match (&spec.size, spec.width, spec.height) {
        (Some(name), None, None) => {
            let (_, w, h) = PAGE_PRESETS.iter().find(|(n, ..)| n == name).ok_or_else(|| {
                let names: Vec<&str> = PAGE_PRESETS.iter().map(|p| p.0).collect();
                ls.error(
                    "page.size",
                    format!(
                        "unknown page size `{name}`; expected one of {}{}",
                        names.join(", "),
                        did_you_mean(name, names.iter().copied())
                    ),
                )
            })?;
            (units::Length::mm(*w).0, units::Length::mm(*h).0)
        }
        (None, Some(w), Some(h)) => (w.0, h.0),
        _ => return Err(ls.error("page", "give either `size` (a preset) or both `width` and `height`")),
    };
    if width <= 0.0 || height <= 0.0 {
        return Err(ls.error("page", "the page width and height must be positive"));
    }
    for (key, v) in [("width", width), ("height", height)] {
        if v > MAX_PAGE_PT {
            return Err(ls.error(
                &format!("page.{key}"),
                format!(
                    "a page {key} of {v:.0}pt is over the {MAX_PAGE_PT:.0}pt (200 in) that PDF readers and PDF/X allow"
                ),
            ));
        }
    }
    let m = &spec.margins;
    for (key, v) in [("top", m.top), ("bottom", m.bottom), ("left", m.left), ("right", m.right)] {
        if v.0 < 0.0 {
            return Err(ls.error(&format!("page.margins.{key}"), "a margin cannot be negative"));
        }
    }
    // A two-page spread (跨版) is one PDF page twice as wide: both pages' type areas,
    // with the inner margins between them.
    let width = if spec.spread { 2.0 * width } else { width };
    if width > MAX_PAGE_PT {
        return Err(ls.error(
            "page.spread",
            format!("the spread is {width:.0}pt wide, over the {MAX_PAGE_PT:.0}pt (200 in) a PDF page may be"),
        ));
    }
    let area_width = width - m.left.0 - m.right.0;
    let area_height = height - m.top.0 - m.bottom.0;
    if area_width <= 0.0 || area_height <= 0.0 {
        return Err(ls.error("page.margins", "the margins leave no type area on the page"));
    }
    Ok(PageGeometry { width, height, area_left: m.left.0, area_top: m.top.0, area_width, area_height })
}

fn resolve_grid(ls: &Source, layout: &Layout, page: &PageGeometry) -> Result<Grid> {
    let spec = &layout.grid;
    if spec.columns == 0 {
        return Err(ls.error("grid.columns", "a grid needs at least one column"));
    }
    within(ls, "grid.columns", spec.columns, 1..=64, " columns")?;
    if spec.column_chars < 2 {
        return Err(ls.error("grid.column_chars", "a column needs at least 2 characters"));
    }
    within(ls, "grid.column_chars", spec.column_chars, 2..=400, " characters")?;
    within(ls, "grid.body_size", spec.body_size.0, 4.0..=72.0, " pt: a body size")?;
    if !(0.0..=10.0).contains(&spec.gutter_chars) {
        return Err(ls.error("grid.gutter_chars", "the gutter must be 0 to 10 characters"));
    }
    let char = spec.body_size.0;
    let pitch = spec.line_pitch.resolve(char);
    if pitch < char {
        return Err(
            ls.error("grid.line_pitch", format!("a line pitch of {pitch:.2}pt is less than the body size {char}pt"))
        );
    }
    if pitch > 4.0 * char {
        return Err(
            ls.error("grid.line_pitch", format!("a line pitch of {pitch:.2}pt is more than 4 em of the body size"))
        );
    }
    let spread = layout.page.spread;
    let margins = &layout.page.margins;
    let mut grid = Grid {
        char,
        pitch,
        columns: spec.columns,
        column_chars: spec.column_chars,
        gutter_chars: spec.gutter_chars,
        lines: (page.area_height / pitch + 1e-3).floor() as u32,
        column_rules: spec.column_rules,
        page_columns: spec.columns,
        spine: 0.0,
    };
    let need = grid.total_width();
    let single_area = if spread { page.width / 2.0 - margins.left.0 - margins.right.0 } else { page.area_width };
    if spread {
        // The right page mirrors the left: its type area starts after both inner margins.
        grid.columns = 2 * spec.columns;
        grid.spine = page.width / 2.0 - margins.left.0 - need + margins.right.0 - grid.gutter();
    }
    if need > single_area + 0.01 {
        return Err(ls.error(
            "grid",
            format!(
                "the grid is {:.1} mm wide ({} columns × {} chars + gutters at {}pt) but the type area between the margins is only {:.1} mm",
                need / units::PT_PER_MM,
                grid.columns,
                grid.column_chars,
                char,
                single_area / units::PT_PER_MM
            ),
        ));
    }
    Ok(grid)
}

fn resolve_fonts(ls: &Source, layout: &Layout) -> Result<Vec<FontFile>> {
    // Every missing font at once, not just the first.
    crate::error::collect(layout.fonts.iter().map(|(name, spec)| {
        let key = format!("fonts.{name}.file");
        within(ls, &format!("fonts.{name}.index"), spec.index, 0..=255, ": a face index in a collection")?;
        let path = ls.existing_file(&key, &spec.file, "font file")?;
        Ok(FontFile { name: name.clone(), path, index: spec.index, asked_at: ls.locate(&key) })
    }))
}

fn font_indices(ls: &Source, key: &str, chain: &[String], fonts: &[FontFile]) -> Result<Vec<usize>> {
    chain
        .iter()
        .enumerate()
        .map(|(i, name)| {
            fonts.iter().position(|f| &f.name == name).ok_or_else(|| {
                ls.error(
                    &format!("{key}[{i}]"),
                    format!(
                        "unknown font `{name}`; the fonts defined under `fonts:` are {}{}",
                        fonts.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "),
                        did_you_mean(name, fonts.iter().map(|f| f.name.as_str()))
                    ),
                )
            })
        })
        .collect()
}

fn resolve_styles(ls: &Source, layout: &Layout, fonts: &[FontFile], grid: &Grid) -> Result<Vec<Style>> {
    // In the order of their names (the map's), so that an id found by binary search.
    let mut styles = Vec::new();
    for (name, spec) in &layout.styles {
        let StyleSpec {
            font,
            bold,
            size,
            leading,
            indent,
            align,
            color,
            space_before,
            space_after,
            tracking,
            background,
            composition,
        } = spec;
        let key = format!("styles.{name}");
        let fonts_of = font_indices(ls, &format!("{key}.font"), &font.0, fonts)?;
        let bold_fonts = match bold {
            Some(chain) => font_indices(ls, &format!("{key}.bold"), &chain.0, fonts)?,
            None => fonts_of.clone(),
        };
        let size = size.0;
        within(ls, &format!("{key}.size"), size, 2.0..=1000.0, " pt")?;
        for (field, lines) in [("space_before", space_before), ("space_after", space_after)] {
            within(ls, &format!("{key}.{field}"), *lines, 0..=grid.lines, " grid lines (the page's)")?;
        }
        let leading = leading.map_or(grid.pitch.max(size * 1.2), |l| l.resolve(size, grid.pitch));
        if leading > 4.0 * size.max(grid.pitch) {
            return Err(ls.error(&format!("{key}.leading"), format!("a leading of {leading:.2}pt is more than 4 em")));
        }
        let indent_pt = indent.map_or(0.0, |i| i.resolve(size));
        if !(0.0..=8.0 * size).contains(&indent_pt) {
            return Err(ls.error(&format!("{key}.indent"), "an indent must be 0 to 8 em"));
        }
        let tracking_pt = tracking.map_or(0.0, |t| t.resolve(size));
        if !(0.0..=2.0 * size).contains(&tracking_pt) {
            return Err(ls.error(&format!("{key}.tracking"), "tracking must be 0 to 2 em"));
        }
        if composition.loose.is_some_and(|l| l.resolve(size) <= 0.0 || l.resolve(size) > 2.0 * size) {
            return Err(
                ls.error(&format!("{key}.composition.loose"), "the loose threshold must be above 0 and at most 2 em")
            );
        }
        if leading < size * 0.8 {
            return Err(ls.error(
                &format!("{key}.leading"),
                format!("a leading of {leading:.2}pt would overlap lines of {size}pt type"),
            ));
        }
        let merged = composition.or(layout.composition);
        let config = Config::from_spec(&merged, *align, indent.map_or(0.0, |i| i.resolve(size)), size);
        styles.push(Style {
            name: name.clone(),
            fonts: fonts_of,
            bold_fonts,
            size,
            leading,
            indent: indent.map_or(0.0, |i| i.resolve(size)),
            align: *align,
            color: color.unwrap_or(Color::BLACK),
            space_before: *space_before,
            space_after: *space_after,
            tracking: tracking.map_or(0.0, |t| t.resolve(size)),
            background: *background,
            config,
            display: Config {
                align: if *align == Align::Justify { Align::Center } else { *align },
                indent: 0.0,
                ..config
            },
            widows: merged.widows.unwrap_or_default(),
        });
    }
    Ok(styles)
}

/// The id of the style called `name`.
fn style_named(styles: &[Style], name: &str) -> Option<StyleId> {
    styles.binary_search_by(|s| s.name.as_str().cmp(name)).ok().map(StyleId)
}

fn check_style_name(ls: &Source, key: &str, name: &str, styles: &[Style]) -> Result<StyleId> {
    style_named(styles, name).ok_or_else(|| {
        ls.error(
            key,
            format!(
                "no style named `{name}` under `styles:`{}",
                did_you_mean(name, styles.iter().map(|s| s.name.as_str()))
            ),
        )
    })
}

fn check_output_profile(path: &Path) -> std::result::Result<(), String> {
    use std::io::Read;
    let mut header = [0u8; 128];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .map_err(|e| format!("cannot be read as an ICC profile: {e}"))?;
    if &header[36..40] != b"acsp" {
        return Err("is not an ICC profile (no `acsp` signature at byte 36)".into());
    }
    if &header[12..16] != b"prtr" {
        return Err(format!(
            "is a `{}` profile, not an output (`prtr`) profile: an output intent describes a printing condition",
            String::from_utf8_lossy(&header[12..16]).trim()
        ));
    }
    Ok(())
}

/// The roles every edition needs must name a style; the others may be missing.
fn resolve_roles(ls: &Source, layout: &Layout, styles: &[Style]) -> Result<Roles> {
    let r = &layout.roles;
    let need = |role: &str, name: &str| check_style_name(ls, &format!("roles.{role}"), name, styles);
    Ok(Roles {
        headline: need("headline", &r.headline)?,
        lead: need("lead", &r.lead)?,
        body: need("body", &r.body)?,
        section_kicker: need("section_kicker", &r.section_kicker)?,
        section_title: need("section_title", &r.section_title)?,
        closing: need("closing", &r.closing)?,
        headline_kicker: style_named(styles, &r.headline_kicker),
        headline_deck: style_named(styles, &r.headline_deck),
        folio: style_named(styles, &r.folio),
        caption: style_named(styles, &r.caption),
        open: r
            .open
            .iter()
            .filter_map(|(role, spec)| match spec {
                layout::RoleSpec::Style(name) => Some((role, name)),
                layout::RoleSpec::Kind(_) => None,
            })
            .map(|(role, name)| Ok((role.clone(), check_style_name(ls, &format!("roles.{role}"), name, styles)?)))
            .collect::<Result<_>>()?,
        kinds: r
            .open
            .iter()
            .filter_map(|(kind, spec)| match spec {
                layout::RoleSpec::Kind(map) => Some((kind, map)),
                layout::RoleSpec::Style(_) => None,
            })
            .map(|(kind, map)| {
                let roles = map
                    .iter()
                    .map(|(role, name)| {
                        Ok((role.clone(), check_style_name(ls, &format!("roles.{kind}.{role}"), name, styles)?))
                    })
                    .collect::<Result<_>>()?;
                Ok((kind.clone(), roles))
            })
            .collect::<Result<_>>()?,
        names: r.clone(),
    })
}

fn resolve_frames(ls: &Source, layout: &Layout, grid: &Grid) -> Result<Vec<Vec<Frame>>> {
    if layout.pages.is_empty() {
        return Err(ls.error("pages", "the layout has no pages; add one with its frames"));
    }
    let mut seen = BTreeMap::new();
    let mut pages = Vec::new();
    for (p, page) in layout.pages.iter().enumerate() {
        let mut frames = Vec::new();
        for (f, spec) in page.frames.iter().enumerate() {
            let key = format!("pages[{p}].frames[{f}]");
            if let Some(first) = seen.insert(spec.id.clone(), key.clone()) {
                let first = ls.locate(&format!("{first}.id"));
                return Err(ls.error(
                    &format!("{key}.id"),
                    format!(
                        "a frame named `{}` already exists, at line {}, column {}",
                        spec.id, first.line, first.column
                    ),
                ));
            }
            let col_last = spec.columns.last.unwrap_or(grid.columns);
            for column in [spec.columns.first, col_last] {
                if column > grid.columns {
                    return Err(ls.error(
                        &format!("{key}.columns"),
                        format!("column {column} is outside the grid, which has {} columns", grid.columns),
                    ));
                }
            }
            let line_last = spec.lines.last.unwrap_or(grid.lines);
            for line in [spec.lines.first, line_last] {
                if line > grid.lines {
                    return Err(ls.error(
                        &format!("{key}.lines"),
                        format!("line {line} is outside the grid, which has {} lines on this page", grid.lines),
                    ));
                }
            }
            let width = col_last - spec.columns.first + 1;
            if spec.span == 0 || width % spec.span != 0 {
                return Err(ls.error(
                    &format!("{key}.span"),
                    format!(
                        "the frame is {width} columns wide, which does not divide into long columns of {}",
                        spec.span
                    ),
                ));
            }
            let crossing_groups = match spec.split {
                Some(_) => grid.crosses_spine(spec.columns.first - 1, col_last - 1),
                None => (0..width / spec.span.max(1)).any(|g| {
                    let first = spec.columns.first - 1 + g * spec.span;
                    grid.crosses_spine(first, first + spec.span - 1)
                }),
            };
            if spec.kind == FrameKind::Text && crossing_groups {
                return Err(ls.error(
                    &format!("{key}.columns"),
                    "a text column cannot run across the spine of the spread; end it at the page's last column",
                ));
            }
            if let Some(split) = spec.split {
                let chars = grid.span_chars(width);
                if split == 0 || (split as f32) * 2.0 + (split - 1) as f32 > chars {
                    return Err(ls.error(
                        &format!("{key}.split"),
                        format!("{chars} characters cannot be broken into {split} columns of at least 2"),
                    ));
                }
            }
            let text_columns = spec.split.unwrap_or(width / spec.span.max(1));
            if spec.kind == FrameKind::Text
                && spec.heads == Some(crate::spec::layout::HeadsPlace::Across)
                && text_columns < 2
            {
                return Err(ls.error(
                    &format!("{key}.heads"),
                    "`heads: across` sets a head across the frame's text columns, and this frame has one",
                ));
            }
            check_frame_numbers(ls, &key, spec, grid, line_last - spec.lines.first + 1)?;
            if spec.kind == FrameKind::Text {
                let frame_lines = line_last - spec.lines.first + 1;
                within(ls, &format!("{key}.grow"), spec.grow.unwrap_or(0), 0..=grid.lines, " grid lines (the page's)")?;
                let most = frame_lines.saturating_sub(2);
                within(
                    ls,
                    &format!("{key}.shrink"),
                    spec.shrink.unwrap_or(0),
                    0..=most,
                    " grid lines (the frame's, less two)",
                )?;
            }
            match (spec.kind, &spec.thread, &spec.text) {
                (FrameKind::Text, None, _) => {
                    return Err(ls.error(&key, "a text frame needs `thread:` naming the thread that fills it"));
                }
                (FrameKind::Text, Some(t), _) if !layout.threads.contains_key(t) => {
                    return Err(ls.error(
                        &format!("{key}.thread"),
                        format!(
                            "no thread named `{t}` under `threads:`{}",
                            did_you_mean(t, layout.threads.keys().map(String::as_str))
                        ),
                    ));
                }
                (FrameKind::Folio, _, None) => {
                    return Err(ls.error(&key, "a folio frame needs `text:`"));
                }
                _ => {}
            }
            let content = match spec.kind {
                FrameKind::Text => FrameContent::Text(TextFrame {
                    thread: ThreadId(
                        layout.threads.keys().position(|t| Some(t) == spec.thread.as_ref()).unwrap_or_default(),
                    ),
                    span: spec.span,
                    split: spec.split,
                    inset: spec.inset.unwrap_or(0.0) * grid.char,
                    pad: spec.pad.unwrap_or(0),
                    may_end_short: spec.flush == Some(false),
                    grow: spec.grow.unwrap_or(0),
                    shrink: spec.shrink.unwrap_or(0),
                    heads_across: spec.heads == Some(crate::spec::layout::HeadsPlace::Across),
                }),
                FrameKind::Folio => FrameContent::Folio {
                    text: spec.text.clone().unwrap_or_default(),
                    text_right: spec.text_right.clone(),
                },
                // A headline frame gets its story, a box its quote, once the stories are
                // known ([`story::resolve_frames`]), a picture frame its photo once the
                // photos are.
                FrameKind::Headline => FrameContent::Headline(story::StoryId(0)),
                FrameKind::Picture | FrameKind::Box => FrameContent::Box(BoxFrame::default()),
            };
            frames.push(Frame {
                id: spec.id.clone(),
                col_first: spec.columns.first - 1,
                col_last: col_last - 1,
                line_first: spec.lines.first - 1,
                line_last: line_last - 1,
                content,
                rule_below: spec.rule_below,
                fill: spec.fill,
                bleed: spec.bleed,
                offset: spec.offset.map_or((0.0, 0.0), |[x, y]| (x.0, y.0)),
                stroke: spec.stroke.map(|s| Stroke { width: s.width.0, color: s.color.unwrap_or(Color::BLACK) }),
            });
        }
        check_overlaps(ls, p, &frames)?;
        pages.push(frames);
    }
    Ok(pages)
}

/// The ranges of a frame's own numbers: inset and pad leave text room, an offset stays on
/// the page, a stroke is a rule's width.
fn check_frame_numbers(ls: &Source, key: &str, spec: &layout::FrameSpec, grid: &Grid, lines: u32) -> Result<()> {
    if let Some(inset) = spec.inset {
        // Each text column loses the inset on both sides; at least 2 characters stay.
        let width = spec.columns.last.unwrap_or(grid.columns) - spec.columns.first + 1;
        let narrowest = match spec.split {
            Some(split) if split > 0 => grid.broken_columns(width, split).into_iter().fold(f32::INFINITY, f32::min),
            _ => grid.span_chars(spec.span.max(1)),
        };
        let most = ((narrowest - 2.0) / 2.0).max(0.0);
        if !(0.0..=most).contains(&inset) {
            return Err(ls.error(
                &format!("{key}.inset"),
                format!("an inset of {inset} characters is outside 0–{most}: each {narrowest}-character column of the frame keeps at least 2"),
            ));
        }
    }
    if let Some(pad) = spec.pad {
        within(
            ls,
            &format!("{key}.pad"),
            pad,
            0..=lines.saturating_sub(1) / 2,
            " grid lines: at least one line between the pads",
        )?;
    }
    if let Some([x, y]) = spec.offset {
        for (axis, v) in [("x", x.0), ("y", y.0)] {
            if v.abs() > 2000.0 {
                return Err(ls.error(
                    &format!("{key}.offset"),
                    format!("an offset {axis} of {v:.0}pt is more than 2000pt off the grid"),
                ));
            }
        }
    }
    if let Some(stroke) = spec.stroke {
        within(ls, &format!("{key}.stroke.width"), stroke.width.0, 0.0..=28.35, " pt (0 to 10 mm)")?;
    }
    Ok(())
}

/// Text, headline and folio frames may not overlap one another: their text would print
/// over each other. Pictures and boxes may overlap anything (text wraps round pictures).
fn check_overlaps(ls: &Source, page: usize, frames: &[Frame]) -> Result<()> {
    let texty =
        |f: &Frame| matches!(f.content, FrameContent::Text(_) | FrameContent::Headline(_) | FrameContent::Folio { .. });
    for (j, b) in frames.iter().enumerate().filter(|(_, f)| texty(f)) {
        for a in frames[..j].iter().filter(|f| texty(f)) {
            let columns = a.col_first <= b.col_last && b.col_first <= a.col_last;
            let lines = a.line_first <= b.line_last && b.line_first <= a.line_last;
            if columns && lines {
                return Err(ls.error(
                    &format!("pages[{page}].frames[{j}]"),
                    format!(
                        "frame `{}` overlaps frame `{}`: their text would print over each other (only pictures and boxes may overlap text)",
                        b.id, a.id
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn resolve_print(ls: &Source, layout: &Layout) -> Result<Print> {
    let p = &layout.print;
    if !(0.0..=50.0).contains(&p.bleed.to_mm()) || !(0.0..=50.0).contains(&p.slug.to_mm()) {
        return Err(ls.error("print", "bleed and slug must be 0 to 50 mm"));
    }
    if !(100.0..=400.0).contains(&p.ink_limit) {
        return Err(ls.error("print.ink_limit", format!("an ink limit of {}% is outside 100–400%", p.ink_limit)));
    }
    if !(p.min_ppi > 0.0 && p.min_ppi <= p.warn_ppi) {
        return Err(ls.error("print.min_ppi", "min_ppi must be positive and not above warn_ppi"));
    }
    within(ls, "print.warn_ppi", p.warn_ppi, 1.0..=2400.0, " ppi")?;
    // A solid fill over the ink limit is refused where the layout gives it (the preflight
    // checks the page as made, too).
    let over = |c: &Color| c.spot.is_none() && c.ink() > p.ink_limit + 0.05;
    let fills =
        layout.styles.iter().filter_map(|(name, st)| st.background.map(|c| (format!("styles.{name}.background"), c)));
    let frames = layout.pages.iter().enumerate().flat_map(|(pi, page)| {
        page.frames
            .iter()
            .enumerate()
            .filter_map(move |(fi, f)| f.fill.map(|c| (format!("pages[{pi}].frames[{fi}].fill"), c)))
    });
    if let Some((key, c)) = fills.chain(frames).find(|(_, c)| over(c)) {
        return Err(
            ls.error(&key, format!("a fill of {:.0}% ink is over the print.ink_limit of {:.0}%", c.ink(), p.ink_limit))
        );
    }
    if !(p.warn_ppi..=2400.0).contains(&p.max_ppi) {
        return Err(ls.error("print.max_ppi", "max_ppi must be from warn_ppi to 2400"));
    }
    let output_profile = match &p.output_profile {
        Some(spec) => {
            let path = ls.existing_file("print.output_profile.file", &spec.file, "ICC profile")?;
            check_output_profile(&path).map_err(|problem| crate::error::Error::Asset {
                what: "ICC profile",
                path: path.clone(),
                problem,
                location: Box::new(ls.locate("print.output_profile.file")),
            })?;
            Some((path, spec.condition.clone(), ls.locate("print.output_profile.file")))
        }
        None => None,
    };
    let mut rgb_colors = Vec::new();
    let mut note = |key: String, color: Option<Color>| {
        if color.is_some_and(|c| c.from_rgb) {
            let at = ls.locate(&key);
            rgb_colors.push((key, at));
        }
    };
    for (name, style) in &layout.styles {
        note(format!("styles.{name}.color"), style.color);
        note(format!("styles.{name}.background"), style.background);
    }
    for (p, page) in layout.pages.iter().enumerate() {
        for (f, frame) in page.frames.iter().enumerate() {
            note(format!("pages[{p}].frames[{f}].fill"), frame.fill);
            note(format!("pages[{p}].frames[{f}].stroke.color"), frame.stroke.and_then(|s| s.color));
        }
    }
    Ok(Print {
        pdfx: p.pdfx,
        bleed: p.bleed.0,
        slug: p.slug.0,
        marks: p.marks,
        slug_line: p.slug_line,
        ink_limit: p.ink_limit,
        warn_ppi: p.warn_ppi,
        min_ppi: p.min_ppi,
        max_ppi: p.max_ppi,
        rendering_intent: p.rendering_intent,
        output_profile,
        rgb_colors,
        spots: layout::spot_names(&ls.text),
        rich_black: p.rich_black.as_ref().map(|r| (r.color, r.min_size.0)),
    })
}

#[allow(clippy::too_many_arguments)]
fn resolve_pictures(
    ls: &Source,
    layout: &Layout,
    grid: &Grid,
    styles: &[Style],
    photos: &[PhotoFile],
    es: &Source,
    pages: &mut [Vec<Frame>],
) -> Result<()> {
    for (p, page) in layout.pages.iter().enumerate() {
        for (f, spec) in page.frames.iter().enumerate() {
            let key = format!("pages[{p}].frames[{f}]");
            if spec.kind == FrameKind::Text && spec.offset.is_some() {
                return Err(ls.error(
                    &format!("{key}.offset"),
                    "text frames stay on the grid: only pictures, boxes and headlines take an offset",
                ));
            }
            check_kind_keys(ls, &key, spec.kind)?;
            if spec.kind != FrameKind::Picture {
                continue;
            }
            let id = spec
                .photo
                .as_deref()
                .ok_or_else(|| ls.error(&key, "a picture frame needs `photo:` naming a photo of the edition"))?;
            let photo = photos.iter().position(|ph| ph.id == id).ok_or_else(|| {
                ls.error(
                    &format!("{key}.photo"),
                    format!(
                        "the edition {} has no photo with id `{id}`{}",
                        es.path.display(),
                        did_you_mean(id, photos.iter().map(|ph| ph.id.as_str()))
                    ),
                )
            })?;
            let fraction = |v: f32| (0.0..=1.0).contains(&v);
            let focus = spec.focus.unwrap_or([0.5, 0.5]);
            if !focus.iter().all(|&v| fraction(v)) {
                return Err(
                    ls.error(&format!("{key}.focus"), "the focus point is two fractions from 0 to 1, e.g. [0.5, 0.3]")
                );
            }
            let points: Vec<(f32, f32)> = spec.points.iter().flatten().map(|p| (p[0], p[1])).collect();
            if spec.shape != layout::Shape::Polygon && spec.points.is_some() {
                return Err(ls.error(&format!("{key}.points"), "only a `shape: polygon` takes `points`"));
            }
            if spec.shape == layout::Shape::Polygon
                && (points.len() < 3 || !points.iter().all(|&(x, y)| fraction(x) && fraction(y)))
            {
                return Err(ls.error(
                    &format!("{key}.points"),
                    "a polygon needs at least three corners, each `[x, y]` with fractions from 0 to 1",
                ));
            }
            if spec.shape == layout::Shape::Polygon && polygon_area(&points) < 1e-3 {
                return Err(ls.error(
                    &format!("{key}.points"),
                    "the polygon's corners enclose (almost) no area: they are equal or on one line",
                ));
            }
            let caption_lines = match spec.caption {
                layout::CaptionPlace::None => 0,
                _ if photos[photo].caption_text(spec.credit).is_empty() => 0,
                _ => spec.caption_lines.unwrap_or(2),
            };
            let caption_style = match &spec.caption_style {
                Some(name) => Some(check_style_name(ls, &format!("{key}.caption_style"), name, styles)?),
                None => None,
            };
            let frame = &mut pages[p][f];
            let frame_lines = frame.line_last - frame.line_first + 1;
            let overlay = spec.caption == layout::CaptionPlace::Overlay;
            if caption_lines >= frame_lines && !(overlay && caption_lines == frame_lines) {
                return Err(ls.error(
                    &format!("{key}.caption_lines"),
                    format!("{caption_lines} caption lines would take the whole frame of {frame_lines} lines"),
                ));
            }
            within(ls, &format!("{key}.grow"), spec.grow.unwrap_or(0), 0..=grid.lines, " grid lines (the page's)")?;
            within(
                ls,
                &format!("{key}.shrink"),
                spec.shrink.unwrap_or(0),
                0..=frame_lines - 1,
                " grid lines (the frame's, less one)",
            )?;
            within(ls, &format!("{key}.move"), spec.moves.unwrap_or(0), 0..=grid.lines, " grid lines (the page's)")?;
            let wrap = resolve_wrap(ls, layout, &key, Some(spec.wrap.unwrap_or_default()), grid)?;
            frame.content = FrameContent::Picture(Picture {
                photo: PhotoId(photo),
                fit: spec.fit,
                focus: (focus[0], focus[1]),
                shape: spec.shape,
                points,
                caption: spec.caption,
                caption_lines,
                caption_style,
                credit: spec.credit,
                wrap,
                grow: spec.grow.unwrap_or(0),
                shrink: spec.shrink.unwrap_or(0),
                moves: spec.moves.unwrap_or(0),
            });
        }
    }
    Ok(())
}

/// The layout's loose threshold (`composition.loose`), in em of the grid's character.
fn page_loose(layout: &Layout, grid: &Grid) -> f32 {
    layout.composition.loose.map_or(crate::text::LOOSE_EM, |l| l.resolve(grid.char) / grid.char)
}

/// The narrowest piece beside a picture that text is set in, by default: one that can take a
/// character pushed off its line (kinsoku, a number kept with its unit) with its gaps no
/// wider than the loose threshold — n characters have n − 1 gaps, so a character's width over
/// them stays within `loose` em from n = 1/loose + 1 (0.25 em: 5). Narrower pieces stay empty.
fn narrowest_piece(loose: f32, grid: &Grid) -> u32 {
    let n = (1.0 / loose.max(0.05)).ceil() as u32 + 1;
    n.min(grid.column_chars)
}

/// How a picture or box pushes text away; `None` in, or `side: none`: not at all. Pieces
/// narrower than `min_chars` stay empty, by default [`narrowest_piece`] at the layout's
/// loose threshold.
fn resolve_wrap(
    ls: &Source,
    layout: &Layout,
    key: &str,
    spec: Option<layout::WrapSpec>,
    grid: &Grid,
) -> Result<Option<Wrap>> {
    let Some(w) = spec else { return Ok(None) };
    if w.offset.is_some_and(|o| o.resolve(grid.char) < 0.0) {
        return Err(ls.error(
            &format!("{key}.wrap.offset"),
            "a wrap offset cannot be negative: text would print on the picture",
        ));
    }
    if w.offset.is_some_and(|o| o.resolve(grid.char) > 10.0 * grid.char) {
        return Err(ls.error(&format!("{key}.wrap.offset"), "a wrap offset is at most 10 em of the body size"));
    }
    if w.min_chars.is_some_and(|m| m > grid.column_chars) {
        return Err(ls.error(
            &format!("{key}.wrap.min_chars"),
            format!("min_chars is more than a column's {} characters", grid.column_chars),
        ));
    }
    Ok((w.side != layout::WrapSide::None).then(|| Wrap {
        offset: w.offset.map_or(grid.char, |o| o.resolve(grid.char)),
        side: w.side,
        min_width: w.min_chars.unwrap_or_else(|| narrowest_piece(page_loose(layout, grid), grid)) as f32 * grid.char,
    }))
}

/// The area of a polygon (shoelace), as a fraction of its picture area.
fn polygon_area(points: &[(f32, f32)]) -> f32 {
    let twice: f32 =
        points.iter().zip(points.iter().cycle().skip(1)).map(|(&(x0, y0), &(x1, y1))| x0 * y1 - x1 * y0).sum();
    twice.abs() / 2.0
}

/// The keys only some kinds of frame take, with those kinds.
const KIND_KEYS: &[(&str, &[FrameKind])] = &[
    ("thread", &[FrameKind::Text]),
    ("span", &[FrameKind::Text]),
    ("split", &[FrameKind::Text]),
    ("inset", &[FrameKind::Text]),
    ("pad", &[FrameKind::Text]),
    ("flush", &[FrameKind::Text]),
    ("heads", &[FrameKind::Text]),
    ("text", &[FrameKind::Folio]),
    ("text_right", &[FrameKind::Folio]),
    ("photo", &[FrameKind::Picture]),
    ("fit", &[FrameKind::Picture]),
    ("focus", &[FrameKind::Picture]),
    ("shape", &[FrameKind::Picture]),
    ("points", &[FrameKind::Picture]),
    ("caption", &[FrameKind::Picture]),
    ("caption_lines", &[FrameKind::Picture]),
    ("caption_style", &[FrameKind::Picture]),
    ("credit", &[FrameKind::Picture]),
    ("wrap", &[FrameKind::Picture, FrameKind::Box]),
    ("story", &[FrameKind::Headline]),
    ("quote", &[FrameKind::Box]),
    ("grow", &[FrameKind::Picture, FrameKind::Text]),
    ("shrink", &[FrameKind::Picture, FrameKind::Text]),
    ("move", &[FrameKind::Picture]),
];

/// A key written on a frame whose kind does not take it is an error at the key.
fn check_kind_keys(ls: &Source, frame_key: &str, kind: FrameKind) -> Result<()> {
    for (field, kinds) in KIND_KEYS {
        let at = format!("{frame_key}.{field}");
        if !kinds.contains(&kind) && ls.has(&at) {
            let only = kinds.iter().map(|k| format!("{k:?}").to_lowercase()).collect::<Vec<_>>().join(", ");
            let kind = format!("{kind:?}").to_lowercase();
            return Err(ls.error(&at, format!("only {only} frames take this key; this frame is `kind: {kind}`")));
        }
    }
    Ok(())
}

fn resolve_fit(ls: &Source, layout: &Layout, grid: &Grid) -> Result<Fit> {
    let spec = &layout.fit;
    let tracking = spec.tracking.map_or(0.0, |t| t.resolve(grid.char) / grid.char);
    if !(0.0..=0.1).contains(&tracking) {
        return Err(
            ls.error("fit.tracking", "copy-fit tracking must be 0 to 0.1em: more shows as loose or crowded type")
        );
    }
    if spec.head_space > 4 {
        return Err(ls.error("fit.head_space", "a head's space may flex by 0 to 4 grid lines"));
    }
    let tries = spec.tries.unwrap_or(400);
    if tries > 5000 {
        return Err(ls.error("fit.tries", "at most 5000 tries (each takes a few milliseconds)"));
    }
    Ok(Fit { tracking, head_space: spec.head_space, lines: spec.lines, tries })
}

/// Two photos or two sections with one id: which one a frame or thread means would be a
/// guess. Refused at the second, naming the first; empty text is refused where it stands.
fn check_edition_ids(es: &Source, edition: &Edition) -> Result<()> {
    let photos = edition.photos.iter().map(|p| ("photos", p.id.as_str()));
    let sections = edition.sections.iter().map(|s| ("sections", s.id.as_str()));
    for ids in [photos.collect::<Vec<_>>(), sections.collect()] {
        let mut seen = BTreeMap::new();
        for (i, (list, id)) in ids.into_iter().enumerate() {
            if let Some(first) = seen.insert(id, i) {
                let at = es.locate(&format!("{list}[{first}].id"));
                return Err(es.error(
                    &format!("{list}[{i}].id"),
                    format!(
                        "the id `{id}` is taken already, at line {}, column {}; ids must differ",
                        at.line, at.column
                    ),
                ));
            }
        }
    }
    let headline = edition.headline.as_ref();
    for (key, text) in [
        ("edition.title", Some(&edition.edition.title)),
        ("headline.kicker", headline.and_then(|h| h.kicker.as_ref())),
        ("headline.deck", headline.and_then(|h| h.deck.as_ref())),
    ] {
        if text.is_some_and(|t| !t.is_empty() && t.trim().is_empty()) {
            return Err(es.error(key, "the text is empty (or only spaces); leave the key out instead"));
        }
    }
    let title = headline.map_or(&[][..], |h| &h.title[..]);
    if let Some(i) = title.iter().position(|t| !t.is_empty() && t.trim().is_empty()) {
        return Err(es.error(&format!("headline.title[{i}]"), "the headline line is empty (or only spaces)"));
    }
    Ok(())
}

/// The edition's photos and its stories' photos, in that order.
fn resolve_photos(es: &Source, edition: &Edition) -> Result<Vec<PhotoFile>> {
    let listed = edition.photos.iter().enumerate().map(|(i, p)| (format!("photos[{i}]"), p));
    let of_stories = edition.stories.iter().enumerate().flat_map(|(s, story)| {
        story.photos.iter().enumerate().map(move |(i, p)| (format!("stories[{s}].photos[{i}]"), p))
    });
    crate::error::collect(listed.chain(of_stories).map(|(key, p)| {
        let path = es.existing_file(&format!("{key}.image"), &p.image, "image file")?;
        Ok(PhotoFile {
            id: p.id.clone(),
            path,
            caption: p.caption.clone(),
            credit: p.credit.clone(),
            asked_at: es.locate(&format!("{key}.image")),
            key,
        })
    }))
}

/// A photo no picture frame shows, or one whose id an earlier photo has: a warning each.
fn unplaced_photos(es: &Source, photos: &[PhotoFile], pages: &[Vec<Frame>]) -> Vec<Diagnostic> {
    let shown: Vec<PhotoId> = pages.iter().flatten().filter_map(|f| f.picture().map(|p| p.photo)).collect();
    let mut out = Vec::new();
    for (i, photo) in photos.iter().enumerate() {
        let at = es.locate(&format!("{}.id", photo.key));
        if let Some(first) = photos[..i].iter().find(|p| p.id == photo.id) {
            out.push(
                Diagnostic::warning(format!(
                    "{}: a photo with the id `{}` is already at {}: this one is never shown",
                    photo.key, photo.id, first.key
                ))
                .at(at),
            );
        } else if !shown.contains(&PhotoId(i)) {
            out.push(
                Diagnostic::warning(format!(
                    "photo `{}`: no picture frame shows it, so it is not on the page",
                    photo.id
                ))
                .at(at)
                .with_hint(format!(
                    "add a frame `kind: picture, photo: {}` to the layout, or remove the photo",
                    photo.id
                )),
            );
        }
    }
    out
}
