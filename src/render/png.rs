//! Proofs: the display list rasterised in-process to a PNG (tiny-skia), from the same
//! display list as the PDF: glyphs drawn from the fonts' outlines, photos decoded at a
//! reduced size (JPEG DCT scaling), fills, rules and strokes. CMYK (colours, converted
//! photos) is soft-proofed through the output intent's profile to sRGB, so the designer
//! sees the press's colours and the limited ink. For the screen, not for press.

use std::collections::HashMap;

use tiny_skia::{
    FillRule, FilterQuality, Mask, Paint, Path, PathBuilder, Pixmap, PixmapPaint, Rect, Stroke, Transform,
};

use crate::error::{Error, Result};
use crate::fonts::{FontBook, OutlinePen};
use crate::images::color::Proof;
use crate::images::{ColorSpace, Encoding, Image};
use crate::layout::wrap::Outline;
use crate::layout::{DisplayList, Item};
use crate::spec::layout::Color;

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

fn paint(c: Color, proof: &Proof) -> Paint<'static> {
    let [r, g, b] = proof.color(c.c, c.m, c.y, c.k);
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
fn decode(image: &Image, shown_width: u32, proof: &Proof) -> Option<Pixmap> {
    let (width, height, rgba) = match &image.encoding {
        Encoding::Jpeg => {
            let mut decoder = jpeg_decoder::Decoder::new(std::io::Cursor::new(image.data.as_slice()));
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
                    proof.to_srgb(&ink).into_iter().flat_map(|[r, g, b]| [r, g, b, 255]).collect()
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
    Pixmap::from_vec(rgba, tiny_skia::IntSize::from_wh(width, height)?)
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
    let proof = Proof::new(output_profile).map_err(|e| Error::Pdf(format!("the proof: {e}")))?;
    let (mut pixmap, scale) = canvas(display, page, dpi)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    draw(&display.pages[page].items, &mut pixmap, fonts, images, scale, &proof)?;
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
    let proof = Proof::new(output_profile).map_err(|e| Error::Pdf(format!("the proof: {e}")))?;
    let (mut pixmap, scale) = canvas(display, page, dpi)?;
    draw(&display.pages[page].debug, &mut pixmap, fonts, &[], scale, &proof)?;
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

/// Draw `items` onto `pixmap`, points scaled by `scale`.
fn draw(
    items: &[Item],
    pixmap: &mut Pixmap,
    fonts: &FontBook,
    images: &[Image],
    scale: f32,
    proof: &Proof,
) -> Result<()> {
    let (w, h) = (pixmap.width(), pixmap.height());
    let base = Transform::from_scale(scale, scale);
    let mut glyphs: HashMap<(usize, u16), Option<Path>> = HashMap::new();
    let mut decoded: HashMap<usize, Option<Pixmap>> = HashMap::new();
    for item in items {
        match item {
            Item::Fill { x, y, width, height, color } => {
                if let Some(rect) = Rect::from_xywh(*x, *y, *width, *height) {
                    pixmap.fill_rect(rect, &paint(*color, proof), base, None);
                }
            }
            Item::Rule { x0, y0, x1, y1, width, color } => {
                let mut pb = PathBuilder::new();
                pb.move_to(*x0, *y0);
                pb.line_to(*x1, *y1);
                if let Some(path) = pb.finish() {
                    let stroke = Stroke { width: *width, ..Stroke::default() };
                    pixmap.stroke_path(&path, &paint(*color, proof), &stroke, base, None);
                }
            }
            Item::Stroke { outline, width, color } => {
                if let Some(path) = outline_path(outline) {
                    let stroke = Stroke { width: *width, ..Stroke::default() };
                    pixmap.stroke_path(&path, &paint(*color, proof), &stroke, base, None);
                }
            }
            Item::Image { image, x, y, width, height, clip } => {
                let shown = (*width * scale).ceil() as u32;
                let Some(source) = images.get(*image) else { continue };
                let photo = decoded.entry(*image).or_insert_with(|| decode(source, shown, proof));
                let (Some(photo), Some(clip_path)) = (photo.as_ref(), outline_path(clip)) else { continue };
                let mut mask = Mask::new(w, h).ok_or_else(|| Error::Pdf("no mask".into()))?;
                mask.fill_path(&clip_path, FillRule::Winding, true, base);
                let (sx, sy) = (width * scale / photo.width() as f32, height * scale / photo.height() as f32);
                let transform = Transform::from_row(sx, 0.0, 0.0, sy, x * scale, y * scale);
                let paint = PixmapPaint { quality: FilterQuality::Bilinear, ..PixmapPaint::default() };
                pixmap.draw_pixmap(0, 0, photo.as_ref(), &paint, transform, Some(&mask));
            }
            Item::Text(line) => {
                let color = paint(line.color, proof);
                // A ligated glyph is drawn by the ligature before it.
                for g in line.glyphs.iter().filter(|g| !g.ligated) {
                    let face = &fonts.faces[g.face];
                    let path = glyphs.entry((g.face, g.id)).or_insert_with(|| {
                        let mut pen = Pen(PathBuilder::new());
                        face.draw_outline(g.id, &mut pen).then(|| pen.0.finish()).flatten()
                    });
                    if let Some(path) = path {
                        let em = g.size / face.units_per_em;
                        let t =
                            Transform::from_row(em * scale, 0.0, 0.0, em * scale, g.x * scale, line.baseline * scale);
                        pixmap.fill_path(path, &color, FillRule::Winding, t, None);
                    }
                }
            }
        }
    }
    Ok(())
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
