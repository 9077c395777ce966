//! Proofs: the display list rasterised in-process to a PNG (tiny-skia), from the same
//! display list as the PDF: glyphs drawn from the fonts' outlines, photos decoded at a
//! reduced size (JPEG DCT scaling), fills, rules and strokes. CMYK (colours, converted
//! photos) is soft-proofed through the output intent's profile to sRGB, so the designer
//! sees the press's colours and the limited ink. For the screen, not for press.
//!
//! [`Kept`] is what a watch keeps from one drawing to the next: the soft-proof transform,
//! the photos decoded and soft-proofed, the glyph outlines. A drawing through it is the
//! same picture as a fresh one.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tiny_skia::{
    FillRule, FilterQuality, Mask, Paint, Path, PathBuilder, Pixmap, PixmapPaint, PixmapRef, Rect, Stroke, Transform,
};

use crate::error::{Error, Result};
use crate::fonts::{FontBook, OutlinePen};
use crate::images::color::Proof;
use crate::images::decoded::{DecodeCache, Decoded};
use crate::images::{ColorSpace, Encoding, Image};
use crate::layout::wrap::Outline;
use crate::layout::{DisplayList, Item};
use crate::spec::layout::Color;

/// What drawing proofs keeps from one drawing to the next, for `watch` and `serve`,
/// which redraw every page on every save: the soft-proof transform of the output profile
/// (LittleCMS builds a CMYK → sRGB transform at some cost, whatever the size drawn), the
/// colours seen through it, the photos decoded and soft-proofed at the width drawn (the
/// JPEG decoding and its colour conversion were 45 % of a proof), the glyph outlines
/// of each font book drawn with, and the overlays (drawn again only when their items,
/// size, fonts or profile are not those of one kept). Shared by the threads drawing pages; what no drawing
/// used since the last [`Kept::sweep`] is dropped then.
#[derive(Default)]
pub struct Kept {
    /// The screen of the last output profile drawn through, with its photos.
    screen: Mutex<Option<Arc<Screen>>>,
    /// The glyph outlines of each font book drawn with since the last sweep.
    books: Mutex<Vec<Book>>,
    /// The overlays drawn since the last sweep: a text edit seldom changes one.
    overlays: Mutex<Vec<Overlay>>,
    transforms: AtomicUsize,
    overlays_kept: AtomicUsize,
}

/// An overlay's PNG and what it was drawn from.
struct Overlay {
    items: Vec<Item>,
    /// The page's size in points and the resolution, as bits.
    size: [u32; 3],
    fonts: Arc<FontBook>,
    screen: Arc<Screen>,
    png: Vec<u8>,
    used: bool,
}

/// An output profile seen on screen: its soft-proof transform, the colours and the
/// photos seen through it.
struct Screen {
    profile: Vec<u8>,
    /// The transform, and the colours converted so far.
    proof: Mutex<(Proof, Seen)>,
    photos: DecodeCache,
}

/// Colours (C, M, Y and K as their bits) seen on screen.
type Seen = HashMap<[u32; 4], [u8; 3]>;

/// Glyph outlines in font units, by (face, glyph id); `None` where a glyph has none.
type Glyphs = Mutex<HashMap<(usize, u16), Option<Arc<Path>>>>;

struct Book {
    /// Held so that the book's address is not reused for another while kept.
    fonts: Arc<FontBook>,
    glyphs: Arc<Glyphs>,
    used: bool,
}

/// What the drawings since the last [`Kept::sweep`] asked of the kept things.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeptStats {
    /// Photos decoded and soft-proofed (not kept from before).
    pub photos_decoded: usize,
    /// Photos found as a drawing before left them.
    pub photos_kept: usize,
    /// Soft-proof transforms built (one, the first time and when the profile changes).
    pub transforms: usize,
    /// Overlays found drawn as they are asked for.
    pub overlays_kept: usize,
}

impl Kept {
    /// The screen for `profile`: the kept one if it is for the same profile, else a new one
    /// (the photos kept for another profile are dropped).
    fn screen(&self, profile: &[u8]) -> Result<Arc<Screen>> {
        let mut screen = self.screen.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(kept) = screen.as_ref().filter(|s| s.profile == profile) {
            return Ok(kept.clone());
        }
        let proof = Proof::new(profile).map_err(|e| Error::Pdf(format!("the proof: {e}")))?;
        self.transforms.fetch_add(1, Ordering::Relaxed);
        let made = Arc::new(Screen {
            profile: profile.to_vec(),
            proof: Mutex::new((proof, HashMap::new())),
            photos: DecodeCache::default(),
        });
        *screen = Some(made.clone());
        Ok(made)
    }

    /// The glyph outlines of `fonts`.
    fn glyphs(&self, fonts: &Arc<FontBook>) -> Arc<Glyphs> {
        let mut books = self.books.lock().unwrap_or_else(|e| e.into_inner());
        let at = match books.iter().position(|b| Arc::ptr_eq(&b.fonts, fonts)) {
            Some(at) => at,
            None => {
                books.push(Book { fonts: fonts.clone(), glyphs: Arc::default(), used: false });
                books.len() - 1
            }
        };
        books[at].used = true;
        books[at].glyphs.clone()
    }

    /// Drop what no drawing used since the last sweep (a photo edited away, the fonts of
    /// before a font changed), and say what the drawings since asked for. `watch` and
    /// `serve` sweep after each rebuild's drawings.
    pub fn sweep(&self) -> KeptStats {
        self.books.lock().unwrap_or_else(|e| e.into_inner()).retain_mut(|b| std::mem::take(&mut b.used));
        self.overlays.lock().unwrap_or_else(|e| e.into_inner()).retain_mut(|o| std::mem::take(&mut o.used));
        let photos = match self.screen.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            Some(screen) => screen.photos.sweep(),
            None => Default::default(),
        };
        KeptStats {
            photos_decoded: photos.decoded,
            photos_kept: photos.kept,
            transforms: self.transforms.swap(0, Ordering::Relaxed),
            overlays_kept: self.overlays_kept.swap(0, Ordering::Relaxed),
        }
    }
}

impl Screen {
    fn rgb(&self, c: Color) -> [u8; 3] {
        let mut proof = self.proof.lock().unwrap_or_else(|e| e.into_inner());
        let (transform, seen) = &mut *proof;
        *seen.entry([c.c, c.m, c.y, c.k].map(f32::to_bits)).or_insert_with(|| transform.color(c.c, c.m, c.y, c.k))
    }

    fn to_srgb(&self, ink: &[[u8; 4]]) -> Vec<[u8; 3]> {
        self.proof.lock().unwrap_or_else(|e| e.into_inner()).0.to_srgb(ink)
    }
}

struct Pen(PathBuilder);

impl OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, -y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, -y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, -cy0, x, -y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, -cy0, cx1, -cy1, x, -y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

fn paint(c: Color, screen: &Screen) -> Paint<'static> {
    let [r, g, b] = screen.rgb(c);
    let mut p = Paint::default();
    p.set_color_rgba8(r, g, b, 255);
    p.anti_alias = true;
    p
}

fn outline_path(o: &Outline) -> Option<Path> {
    match o {
        Outline::Rect { x0, y0, x1, y1 } => Rect::from_ltrb(*x0, *y0, *x1, *y1).map(PathBuilder::from_rect),
        Outline::Ellipse { cx, cy, rx, ry } => {
            Rect::from_xywh(cx - rx, cy - ry, 2.0 * rx, 2.0 * ry).and_then(PathBuilder::from_oval)
        }
        Outline::Polygon(points) => {
            let mut pb = PathBuilder::new();
            for (i, &(x, y)) in points.iter().enumerate() {
                if i == 0 {
                    pb.move_to(x, y)
                } else {
                    pb.line_to(x, y)
                }
            }
            pb.close();
            pb.finish()
        }
    }
}

/// Decode a photo at about the size it is shown: JPEGs with DCT scaling (1/2 to 1/8).
fn decode(image: &Image, shown_width: u32, screen: &Screen) -> Option<Decoded> {
    let (width, height, rgba) = match &image.encoding {
        Encoding::Jpeg => {
            let mut decoder = jpeg_decoder::Decoder::new(std::io::Cursor::new(&image.data[..]));
            let wanted = (
                shown_width.max(1),
                (shown_width as u64 * image.height as u64 / image.width.max(1) as u64).max(1) as u32,
            );
            decoder.scale(wanted.0.min(u16::MAX as u32) as u16, wanted.1.min(u16::MAX as u32) as u16).ok()?;
            let pixels = decoder.decode().ok()?;
            let info = decoder.info()?;
            let rgba: Vec<u8> = match info.pixel_format {
                jpeg_decoder::PixelFormat::RGB24 => pixels.chunks(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect(),
                jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&l| [l, l, l, 255]).collect(),
                jpeg_decoder::PixelFormat::CMYK32 => {
                    // The decoder undoes an Adobe file's inversion (0 is then no ink); a
                    // plain CMYK JPEG stores ink as it is and comes back inverted.
                    let ink: Vec<[u8; 4]> = pixels
                        .chunks_exact(4)
                        .map(|p| {
                            let v = [p[0], p[1], p[2], p[3]];
                            if image.adobe_inverted {
                                v
                            } else {
                                v.map(|v| 255 - v)
                            }
                        })
                        .collect();
                    screen.to_srgb(&ink).into_iter().flat_map(|[r, g, b]| [r, g, b, 255]).collect()
                }
                _ => return None,
            };
            (info.width as u32, info.height as u32, rgba)
        }
        Encoding::Raw { alpha } => {
            let n = if image.color == ColorSpace::Gray { 1 } else { 3 };
            let rgba = image
                .data
                .chunks(n)
                .enumerate()
                .flat_map(|(i, p)| {
                    let a = alpha.as_ref().map_or(255, |a| a[i]);
                    let premultiply = |v: u8| (v as u16 * a as u16 / 255) as u8;
                    if n == 1 {
                        [premultiply(p[0]), premultiply(p[0]), premultiply(p[0]), a]
                    } else {
                        [premultiply(p[0]), premultiply(p[1]), premultiply(p[2]), a]
                    }
                })
                .collect();
            (image.width, image.height, rgba)
        }
    };
    (rgba.len() as u64 == width as u64 * height as u64 * 4).then_some(Decoded { width, height, rgba })
}

/// Page `page` (0-based) of the display list, the trimmed page, at `dpi`, as PNG bytes.
pub fn render_page(
    display: &DisplayList,
    fonts: &FontBook,
    images: &[Image],
    page: usize,
    dpi: f32,
    output_profile: &[u8],
) -> Result<Vec<u8>> {
    let screen = Kept::default().screen(output_profile)?;
    page_png(display, fonts, &Glyphs::default(), images, page, dpi, &screen)
}

/// [`render_page`] with what `kept` keeps from the drawings before: the same picture.
pub fn render_page_kept(
    kept: &Kept,
    display: &DisplayList,
    fonts: &Arc<FontBook>,
    images: &[Image],
    page: usize,
    dpi: f32,
    output_profile: &[u8],
) -> Result<Vec<u8>> {
    let screen = kept.screen(output_profile)?;
    page_png(display, fonts, &kept.glyphs(fonts), images, page, dpi, &screen)
}

fn page_png(
    display: &DisplayList,
    fonts: &FontBook,
    glyphs: &Glyphs,
    images: &[Image],
    page: usize,
    dpi: f32,
    screen: &Screen,
) -> Result<Vec<u8>> {
    let (mut pixmap, scale) = canvas(display, page, dpi)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let draw = Drawing { fonts, glyphs, images, scale, screen };
    draw.items(&display.pages[page].items, &mut pixmap)?;
    // The page is opaque (white first), so its premultiplied pixels are plain RGBA.
    encode(&pixmap, pixmap.data())
}

/// The designer's overlay of page `page` (the `--debug-grid` layer: grid, frames, thread
/// order, wrap contours) alone, at `dpi`, on a transparent ground: a PNG the size of
/// [`render_page`]'s, to lay over it.
pub fn render_overlay(
    display: &DisplayList,
    fonts: &FontBook,
    page: usize,
    dpi: f32,
    output_profile: &[u8],
) -> Result<Vec<u8>> {
    let screen = Kept::default().screen(output_profile)?;
    overlay_png(display, fonts, &Glyphs::default(), page, dpi, &screen)
}

/// [`render_overlay`] with what `kept` keeps from the drawings before: the same picture.
pub fn render_overlay_kept(
    kept: &Kept,
    display: &DisplayList,
    fonts: &Arc<FontBook>,
    page: usize,
    dpi: f32,
    output_profile: &[u8],
) -> Result<Vec<u8>> {
    let screen = kept.screen(output_profile)?;
    let Some(items) = display.pages.get(page).map(|p| &p.debug) else {
        return overlay_png(display, fonts, &kept.glyphs(fonts), page, dpi, &screen);
    };
    let size = [display.width.to_bits(), display.height.to_bits(), dpi.to_bits()];
    let same = |o: &Overlay| {
        o.size == size && Arc::ptr_eq(&o.fonts, fonts) && Arc::ptr_eq(&o.screen, &screen) && o.items == *items
    };
    if let Some(o) = kept.overlays.lock().unwrap_or_else(|e| e.into_inner()).iter_mut().find(|o| same(o)) {
        o.used = true;
        kept.overlays_kept.fetch_add(1, Ordering::Relaxed);
        return Ok(o.png.clone());
    }
    let png = overlay_png(display, fonts, &kept.glyphs(fonts), page, dpi, &screen)?;
    let made = Overlay { items: items.to_vec(), size, fonts: fonts.clone(), screen, png: png.clone(), used: true };
    kept.overlays.lock().unwrap_or_else(|e| e.into_inner()).push(made);
    Ok(png)
}

fn overlay_png(
    display: &DisplayList,
    fonts: &FontBook,
    glyphs: &Glyphs,
    page: usize,
    dpi: f32,
    screen: &Screen,
) -> Result<Vec<u8>> {
    let (mut pixmap, scale) = canvas(display, page, dpi)?;
    let draw = Drawing { fonts, glyphs, images: &[], scale, screen };
    draw.items(&display.pages[page].debug, &mut pixmap)?;
    // PNG wants straight alpha; tiny-skia keeps it premultiplied.
    let straight: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    encode(&pixmap, &straight)
}

/// A blank pixmap for page `page` at `dpi`, and the scale from points to its pixels.
fn canvas(display: &DisplayList, page: usize, dpi: f32) -> Result<(Pixmap, f32)> {
    let scale = dpi / 72.0;
    let (w, h) = ((display.width * scale).ceil() as u32, (display.height * scale).ceil() as u32);
    if page >= display.pages.len() {
        return Err(Error::Pdf(format!("page {} does not exist; the layout has {}", page + 1, display.pages.len())));
    }
    let pixmap =
        Pixmap::new(w.max(1), h.max(1)).ok_or_else(|| Error::Pdf(format!("a {w}×{h} px proof is too large")))?;
    Ok((pixmap, scale))
}

/// What a page is drawn with: points scaled by `scale`.
struct Drawing<'a> {
    fonts: &'a FontBook,
    glyphs: &'a Glyphs,
    images: &'a [Image],
    scale: f32,
    screen: &'a Screen,
}

impl Drawing<'_> {
    /// Draw `items` onto `pixmap`.
    fn items(&self, items: &[Item], pixmap: &mut Pixmap) -> Result<()> {
        let (w, h, scale, screen) = (pixmap.width(), pixmap.height(), self.scale, self.screen);
        let base = Transform::from_scale(scale, scale);
        for item in items {
            match item {
                Item::Fill { x, y, width, height, color } => {
                    if let Some(rect) = Rect::from_xywh(*x, *y, *width, *height) {
                        pixmap.fill_rect(rect, &paint(*color, screen), base, None);
                    }
                }
                Item::Rule { x0, y0, x1, y1, width, color } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x0, *y0);
                    pb.line_to(*x1, *y1);
                    if let Some(path) = pb.finish() {
                        let stroke = Stroke { width: *width, ..Stroke::default() };
                        pixmap.stroke_path(&path, &paint(*color, screen), &stroke, base, None);
                    }
                }
                Item::Stroke { outline, width, color } => {
                    if let Some(path) = outline_path(outline) {
                        let stroke = Stroke { width: *width, ..Stroke::default() };
                        pixmap.stroke_path(&path, &paint(*color, screen), &stroke, base, None);
                    }
                }
                Item::Image { image, x, y, width, height, clip } => {
                    let shown = (*width * scale).ceil() as u32;
                    let Some(source) = self.images.get(*image) else { continue };
                    let photo = screen.photos.get_or_decode(source, shown, || decode(source, shown, screen));
                    let Some(photo) = photo.as_deref() else { continue };
                    let Some(photo_ref) = PixmapRef::from_bytes(&photo.rgba, photo.width, photo.height) else {
                        continue;
                    };
                    let Some(clip_path) = outline_path(clip) else { continue };
                    let mut mask = Mask::new(w, h).ok_or_else(|| Error::Pdf("no mask".into()))?;
                    mask.fill_path(&clip_path, FillRule::Winding, true, base);
                    let (sx, sy) = (width * scale / photo.width as f32, height * scale / photo.height as f32);
                    let transform = Transform::from_row(sx, 0.0, 0.0, sy, x * scale, y * scale);
                    let paint = PixmapPaint { quality: FilterQuality::Bilinear, ..PixmapPaint::default() };
                    pixmap.draw_pixmap(0, 0, photo_ref, &paint, transform, Some(&mask));
                }
                Item::Text(line) => {
                    let color = paint(line.color, screen);
                    // A ligated glyph is drawn by the ligature before it.
                    for g in line.glyphs.iter().filter(|g| !g.ligated) {
                        let face = &self.fonts.faces[g.face];
                        let Some(path) = self.outline(g.face, g.id) else { continue };
                        let em = g.size / face.units_per_em;
                        let t =
                            Transform::from_row(em * scale, 0.0, 0.0, em * scale, g.x * scale, line.baseline * scale);
                        pixmap.fill_path(&path, &color, FillRule::Winding, t, None);
                    }
                }
            }
        }
        Ok(())
    }

    /// Glyph `id` of face `face` as a path in font units, y up as a page's is down.
    fn outline(&self, face: usize, id: u16) -> Option<Arc<Path>> {
        let mut glyphs = self.glyphs.lock().unwrap_or_else(|e| e.into_inner());
        glyphs
            .entry((face, id))
            .or_insert_with(|| {
                let mut pen = Pen(PathBuilder::new());
                self.fonts.faces[face].draw_outline(id, &mut pen).then(|| pen.0.finish()).flatten().map(Arc::new)
            })
            .clone()
    }
}

/// `rgba` (the pixels of `pixmap`, straight alpha) as PNG bytes. Fast compression: the
/// proof is for the screen, and tiny-skia's default takes longer than drawing the page.
fn encode(pixmap: &Pixmap, rgba: &[u8]) -> Result<Vec<u8>> {
    let (w, h) = (pixmap.width(), pixmap.height());
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let png_error = |e: png::EncodingError| Error::Pdf(format!("PNG: {e}"));
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(rgba).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}
