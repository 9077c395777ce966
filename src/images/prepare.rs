//! Photos made ready for the press, after composition has placed them: each is downsampled
//! to `print.max_ppi` at its largest placed size, converted to the output intent's CMYK
//! (grey and RGB alike), held under the ink limit and written as an Adobe CMYK JPEG, with
//! its maximum ink measured on the JPEG as a RIP decodes it. A CMYK JPEG that needs neither
//! downsampling nor ink limiting is passed through byte for byte. Results are cached.

use std::sync::{Arc, OnceLock};

use sha2::{Digest, Sha256};

use super::cache::{self, Cache, Converted};
use super::{color, ink, png, resample, ColorSpace, Encoding, Format, Image, Prepared};
use crate::bytes::Bytes;
use crate::error::{Error, Result};
use crate::layout::{DisplayList, Item};
use crate::model::{PhotoFile, Print};
use crate::spec::layout::RenderingIntent;

/// JPEG quality of converted photos: 85, the middle of what newspaper plants ask for
/// (85–90), and about the quality the demo's own JPEGs were saved at (their luminance
/// table is IJG's scaled to 87).
pub const JPEG_QUALITY: u8 = 85;
/// How converted photos are encoded, for the cache key: Adobe YCCK (C, M and Y as one
/// detail and two colour-difference channels, K on its own), the colour differences at
/// half resolution each way (4:2:0, as RGB photos are), Huffman tables made for the photo.
/// At 300 ppi the colour differences keep 150 ppi, more than a newspaper's 85–100 lpi
/// screen resolves; detail (Y and K) stays at full resolution.
const JPEG_SETTINGS: &[u8] = b"ycck 4:2:0 averaged, optimised huffman";
/// The side, in pixels, of the squares that get their own ink limit when JPEG's rounding
/// pushed a pixel over: one DCT block of Y and K (measured on the demo's photos: 16 × 16,
/// a colour-difference block, changes half as many pixels again for the same result).
const LIMIT_BLOCK: usize = 8;
/// Total ink, in percent, that converted photos keep below `print.ink_limit`, for decoders
/// that round differently from ours.
const DECODER_MARGIN: f32 = 1.0;

/// Tries at re-encoding with a lower internal limit when JPEG's rounding pushed a pixel over.
const INK_TRIES: usize = 10;

/// What the conversion goes by.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The output intent's ICC profile and the SHA-256 of its bytes.
    pub profile: Arc<Vec<u8>>,
    pub profile_hash: [u8; 32],
    pub intent: RenderingIntent,
    pub ink_limit: f32,
    pub max_ppi: f32,
}

impl Settings {
    /// The job's settings: its output profile (the bundled FOGRA39 unless the layout names one).
    pub fn for_print(print: &Print) -> Result<Settings> {
        /// The bundled profile, copied and hashed once per process.
        static BUNDLED: OnceLock<(Arc<Vec<u8>>, [u8; 32])> = OnceLock::new();
        let (profile, profile_hash) = match &print.output_profile {
            Some((path, _, _)) => {
                let profile = std::fs::read(path).map_err(|e| Error::io(path, e))?;
                let hash = Sha256::digest(&profile).into();
                (Arc::new(profile), hash)
            }
            None => BUNDLED
                .get_or_init(|| {
                    (Arc::new(crate::render::FOGRA39.to_vec()), Sha256::digest(crate::render::FOGRA39).into())
                })
                .clone(),
        };
        Ok(Settings {
            profile_hash,
            profile,
            intent: print.rendering_intent,
            ink_limit: print.ink_limit,
            max_ppi: print.max_ppi,
        })
    }
}

/// Every placed photo prepared (see the module doc). `images[i]` is `photos[i]`'s file.
pub fn prepare_all(
    images: Vec<Image>,
    display: &DisplayList,
    photos: &[PhotoFile],
    settings: &Settings,
    cache: &Cache,
) -> Result<Vec<Image>> {
    let mut placed = vec![None::<(f32, f32)>; images.len()];
    for item in display.pages.iter().flat_map(|p| &p.items) {
        if let Item::Image { image, width, height, .. } = item {
            let size = placed[*image].get_or_insert((0.0, 0.0));
            *size = (size.0.max(*width), size.1.max(*height));
        }
    }
    crate::error::collect(images.into_iter().zip(placed).zip(photos).map(|((image, placed), photo)| {
        let Some(placed) = placed else { return Ok(image) };
        prepare(&image, placed, settings, cache).map_err(|problem| Error::Asset {
            what: "image file",
            path: image.path.clone(),
            problem,
            location: Box::new(photo.asked_at.clone()),
        })
    }))
}

/// One photo placed at most `placed` points wide and high.
pub fn prepare(image: &Image, placed: (f32, f32), settings: &Settings, cache: &Cache) -> Result<Image, String> {
    let source = &image.source;
    if source.format == Format::Png {
        let budget = super::png_pixel_budget(placed.0, placed.1, settings.max_ppi);
        let pixels = source.width as u64 * source.height as u64;
        if pixels > budget {
            return Err(format!(
                "is a PNG of {}×{} pixels ({:.0} Mpx), more than its placed size can use at {:.0} ppi (at most {:.0} Mpx are decoded); scale it down",
                source.width,
                source.height,
                pixels as f64 / 1e6,
                settings.max_ppi,
                budget as f64 / 1e6
            ));
        }
    }
    if source.alpha && source.color != ColorSpace::Cmyk {
        return transparent(image);
    }
    let target = resample::target((source.width, source.height), placed, settings.max_ppi);
    let (tw, th) = target.unwrap_or((0, 0));
    let key = cache::key(&[
        &cache.content_hash(source),
        &settings.profile_hash,
        &[settings.intent as u8, JPEG_QUALITY],
        JPEG_SETTINGS,
        &settings.ink_limit.to_le_bytes(),
        &DECODER_MARGIN.to_le_bytes(),
        &tw.to_le_bytes(),
        &th.to_le_bytes(),
    ]);
    let assumed_srgb = source.color != ColorSpace::Cmyk && !embedded_profile_fits(source);
    let converted = cache.get_or_convert(key, || convert(source, target, settings))?;
    let passed_through = source.format == Format::Jpeg && converted.jpeg == source.bytes;
    let mut prepared = image.clone();
    prepared.prepared = Some(Prepared {
        converted_from: (source.color != ColorSpace::Cmyk).then_some(source.color),
        resampled_from: target.map(|_| (source.width, source.height)),
        max_ink: Some(converted.max_ink),
        assumed_srgb,
        from_cache: converted.from_cache,
    });
    if !passed_through {
        prepared.data = converted.jpeg;
        prepared.encoding = Encoding::Jpeg;
        prepared.width = converted.width;
        prepared.height = converted.height;
        prepared.color = ColorSpace::Cmyk;
        prepared.adobe_inverted = true;
    }
    Ok(prepared)
}

/// Whether the photo's embedded profile is one LittleCMS reads, for its colour space.
fn embedded_profile_fits(source: &super::Source) -> bool {
    source.icc.as_deref().is_some_and(|icc| {
        let wanted = if source.color == ColorSpace::Gray { *b"GRAY" } else { *b"RGB " };
        icc.get(16..20) == Some(wanted.as_slice()) && lcms2::Profile::new_icc(icc).is_ok()
    })
}

/// A transparent PNG stays grey or RGB, its alpha a soft mask: a CMYK JPEG has no alpha.
fn transparent(image: &Image) -> Result<Image, String> {
    let source = &image.source;
    let decoded = png::decode(&source.bytes, source.color, decode_limit(source))?;
    let mut prepared = image.clone();
    prepared.data = Bytes::from(decoded.samples);
    prepared.encoding = Encoding::Raw { alpha: decoded.alpha.map(Arc::new) };
    prepared.prepared = Some(Prepared {
        converted_from: None,
        resampled_from: None,
        max_ink: None,
        assumed_srgb: source.icc.is_none(),
        from_cache: false,
    });
    Ok(prepared)
}

/// Bytes a PNG's decoding may allocate: its RGBA pixels twice over, and some slack.
fn decode_limit(source: &super::Source) -> u64 {
    source.width as u64 * source.height as u64 * 8 + (1 << 20)
}

/// Decode, downsample, convert, limit the ink, encode, and measure what was encoded.
fn convert(source: &super::Source, target: Option<(u32, u32)>, settings: &Settings) -> Result<Converted, String> {
    let (mut samples, mut size, color) = decode(source, target)?;
    if let Some(target) = target.filter(|&t| t != size) {
        samples = resample::resize(&samples, size, channels(color), target);
        size = target;
    }
    let cmyk = match color {
        ColorSpace::Cmyk => samples,
        _ => color::to_cmyk(&samples, color, source.icc.as_deref(), &settings.profile, settings.intent)?.0,
    };
    if source.color == ColorSpace::Cmyk && target.is_none() && ink::max_ink(&cmyk) <= settings.ink_limit {
        // Nothing to change: the file goes to the PDF as it is.
        return Ok(Converted {
            jpeg: source.bytes.clone(),
            width: source.width,
            height: source.height,
            max_ink: ink::max_ink(&cmyk),
            from_cache: false,
        });
    }
    // JPEG's quantisation moves values a little either way, most where an ink-limited
    // shadow meets an edge (ringing within the block, and the colour differences' half
    // resolution). So the JPEG is decoded as a RIP would, and every 8 × 8 block with a
    // pixel over the limit gets a lower limit of its own, lowered by a growing multiple of
    // the most it was over, until no pixel is.
    // Held a point under the limit: another decoder (a RIP's IDCT, Ghostscript's) rounds
    // each of the four channels its own way, up to a level each (measured: 0.8 % over with
    // the limit itself as the target).
    let limit = ink::units(settings.ink_limit - DECODER_MARGIN);
    let side = LIMIT_BLOCK as u32;
    let blocks_across = size.0.div_ceil(side) as usize;
    let block_of = |i: usize| (i / size.0 as usize / LIMIT_BLOCK) * blocks_across + (i % size.0 as usize) / LIMIT_BLOCK;
    let mut block_limit = vec![limit; blocks_across * size.1.div_ceil(side) as usize];
    let mut per_pixel = vec![limit as u16; cmyk.len() / 4];
    for attempt in 0..INK_TRIES as i32 {
        let mut limited = cmyk.clone();
        ink::limit_each(&mut limited, &per_pixel);
        let jpeg = encode(&limited, size)?;
        let (decoded, _, _) = decode_jpeg(&jpeg, None, true)?;
        let mut worst = vec![0; block_limit.len()];
        for (i, total) in ink::totals(&decoded).enumerate() {
            let block = block_of(i);
            worst[block] = worst[block].max(total - limit);
        }
        if worst.iter().all(|&w| w <= 0) {
            let max_ink = ink::max_ink(&decoded);
            return Ok(Converted {
                jpeg: Bytes::from(jpeg),
                width: size.0,
                height: size.1,
                max_ink,
                from_cache: false,
            });
        }
        for (own, worst) in block_limit.iter_mut().zip(&worst) {
            if *worst > 0 {
                *own = (*own - (attempt + 2) * worst - 2).max(0);
            }
        }
        for (i, own) in per_pixel.iter_mut().enumerate() {
            *own = block_limit[block_of(i)] as u16;
        }
    }
    Err(format!("cannot be held under the {:.0}% ink limit after JPEG compression", settings.ink_limit))
}

/// Decoded samples, their pixel size and colour space.
type Samples = (Vec<u8>, (u32, u32), ColorSpace);

fn channels(color: ColorSpace) -> usize {
    match color {
        ColorSpace::Gray => 1,
        ColorSpace::Rgb => 3,
        ColorSpace::Cmyk => 4,
    }
}

/// The photo's samples, at `target` size or the smallest JPEG DCT scale above it.
fn decode(source: &super::Source, target: Option<(u32, u32)>) -> Result<Samples, String> {
    match source.format {
        Format::Png => {
            let decoded = png::decode(&source.bytes, source.color, decode_limit(source))?;
            Ok((decoded.samples, (source.width, source.height), source.color))
        }
        Format::Jpeg => {
            let (samples, size, color) = decode_jpeg(&source.bytes, target, source.adobe)?;
            Ok((samples, size, color))
        }
    }
}

/// Decode a JPEG; CMYK comes back as ink (0 = none). `adobe`: the file stores CMYK
/// inverted, as Adobe's do (the decoder assumes so and undoes it).
fn decode_jpeg(bytes: &[u8], target: Option<(u32, u32)>, adobe: bool) -> Result<Samples, String> {
    let broken = |e: jpeg_decoder::Error| format!("is a JPEG that cannot be decoded: {e}");
    let mut decoder = jpeg_decoder::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_max_decoding_buffer_size(super::MAX_PIXELS as usize * 4);
    if let Some((w, h)) = target {
        decoder.scale(w.min(u16::MAX as u32) as u16, h.min(u16::MAX as u32) as u16).map_err(broken)?;
    }
    let mut pixels = decoder.decode().map_err(broken)?;
    let info = decoder.info().ok_or("is a JPEG without a frame header")?;
    let color = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => ColorSpace::Gray,
        jpeg_decoder::PixelFormat::RGB24 => ColorSpace::Rgb,
        jpeg_decoder::PixelFormat::CMYK32 => {
            if !adobe {
                pixels.iter_mut().for_each(|v| *v = 255 - *v);
            }
            ColorSpace::Cmyk
        }
        jpeg_decoder::PixelFormat::L16 => return Err("is a 16-bit JPEG, which cannot be placed".into()),
    };
    let size = (info.width as u32, info.height as u32);
    if pixels.len() != size.0 as usize * size.1 as usize * channels(color) {
        return Err("is a JPEG whose data does not fill its frame".into());
    }
    Ok((pixels, size, color))
}

/// An Adobe YCCK JPEG (APP14 transform 2; decoded, inverted CMYK), as `JPEG_SETTINGS` says.
fn encode(cmyk: &[u8], size: (u32, u32)) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    encoder.set_optimized_huffman_tables(true);
    // Each colour-difference sample the average of its four pixels (the default takes the
    // top-left one: aliasing, and more ink overshoot at edges).
    encoder.set_chroma_subsampling_method(jpeg_encoder::ChromaSubsamplingMethod::Average);
    encoder
        .encode(cmyk, size.0 as u16, size.1 as u16, jpeg_encoder::ColorType::CmykAsYcck)
        .map_err(|e| format!("cannot be encoded as a CMYK JPEG: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::units::PT_PER_MM;

    fn settings() -> Settings {
        let profile = crate::render::FOGRA39.to_vec();
        Settings {
            profile_hash: Sha256::digest(&profile).into(),
            profile: Arc::new(profile),
            intent: RenderingIntent::Relative,
            ink_limit: 240.0,
            max_ppi: 300.0,
        }
    }

    fn source(bytes: Vec<u8>) -> Image {
        let source = Arc::new(super::super::Source::read(bytes).unwrap());
        Image::from_source(std::path::Path::new("test.jpg"), source)
    }

    /// A saturated RGB test card: solid primaries, secondaries and black, then a ramp.
    fn saturated_jpeg() -> Vec<u8> {
        let (w, h) = (96u16, 64u16);
        let colors = [[0, 0, 0], [0, 0, 255], [255, 0, 0], [0, 255, 0], [40, 0, 60], [0, 30, 20], [255, 255, 255]];
        let rgb: Vec<u8> = (0..h as usize)
            .flat_map(|y| {
                (0..w as usize).flat_map(move |x| {
                    if y < 32 {
                        colors[x * colors.len() / w as usize]
                    } else {
                        let v = (x * 255 / (w as usize - 1)) as u8;
                        [v, v / 2, 255 - v]
                    }
                })
            })
            .collect();
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 95).encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb).unwrap();
        out
    }

    #[test]
    fn a_saturated_rgb_photo_is_converted_under_the_ink_limit() {
        let image = source(saturated_jpeg());
        // 96 px across 30 mm is 81 ppi: no resampling.
        let placed = (30.0 * PT_PER_MM, 20.0 * PT_PER_MM);
        let cache = Cache::new(None);
        let prepared = prepare(&image, placed, &settings(), &cache).unwrap();
        assert_eq!((prepared.color, prepared.adobe_inverted), (ColorSpace::Cmyk, true));
        assert!(!prepared.passed_through());
        let info = prepared.prepared.clone().unwrap();
        assert_eq!(info.converted_from, Some(ColorSpace::Rgb));
        assert!(info.assumed_srgb);
        // Decoded independently of the conversion: no pixel over 240 %, and the report says
        // the true maximum (FOGRA39's black alone would be about 330 %).
        let (cmyk, size, color) = decode_jpeg(&prepared.data, None, true).unwrap();
        assert_eq!((size, color), ((96, 64), ColorSpace::Cmyk));
        let max = ink::max_ink(&cmyk);
        assert!(max <= 240.0 && max > 225.0, "{max}");
        assert_eq!(info.max_ink, Some(max));
        // The same photo converted again gives the same bytes.
        let again = prepare(&image, placed, &settings(), &Cache::new(None)).unwrap();
        assert_eq!(again.data, prepared.data);
    }

    #[test]
    fn photos_above_max_ppi_are_downsampled_and_cmyk_ones_pass_through() {
        let image = source(saturated_jpeg());
        // 96 px across 4 mm is 610 ppi: down to 300 ppi, 48 × 32 px.
        let prepared = prepare(&image, (4.0 * PT_PER_MM, 2.67 * PT_PER_MM), &settings(), &Cache::new(None)).unwrap();
        assert_eq!((prepared.width, prepared.height), (48, 32));
        assert_eq!(prepared.prepared.unwrap().resampled_from, Some((96, 64)));
        // An Adobe CMYK JPEG within the limit at its placed resolution goes in as it is.
        let cmyk = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cmyk-adobe.jpg")).unwrap();
        let image = source(cmyk.clone());
        let prepared = prepare(&image, (1000.0, 1000.0), &settings(), &Cache::new(None)).unwrap();
        assert!(prepared.passed_through(), "{:?}", prepared.prepared);
        assert_eq!(*prepared.data, cmyk);
    }

    #[test]
    fn the_cache_is_read_the_second_time_with_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let image = source(saturated_jpeg());
        let placed = (30.0 * PT_PER_MM, 20.0 * PT_PER_MM);
        let first = prepare(&image, placed, &settings(), &Cache::new(Some(dir.path().into()))).unwrap();
        assert!(!first.prepared.as_ref().unwrap().from_cache);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        let second = prepare(&image, placed, &settings(), &Cache::new(Some(dir.path().into()))).unwrap();
        assert!(second.prepared.as_ref().unwrap().from_cache);
        assert_eq!(first.data, second.data);
        assert_eq!(first.prepared.unwrap().max_ink, second.prepared.unwrap().max_ink);
        // Another ink limit is another entry.
        let other = Settings { ink_limit: 260.0, ..settings() };
        let third = prepare(&image, placed, &other, &Cache::new(Some(dir.path().into()))).unwrap();
        assert!(!third.prepared.unwrap().from_cache);
        // A damaged entry is converted again.
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            std::fs::write(entry.unwrap().path(), b"garbage").unwrap();
        }
        let fourth = prepare(&image, placed, &settings(), &Cache::new(Some(dir.path().into()))).unwrap();
        assert!(!fourth.prepared.as_ref().unwrap().from_cache);
        assert_eq!(fourth.data, first.data);
    }

    #[test]
    fn the_cache_knows_a_photo_file_by_its_stamp_until_it_changes() {
        use super::super::shared::Sources;
        let (cache_dir, photos) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let path = photos.path().join("card.jpg");
        let here = crate::error::Location::new(&path, 1, 1, None);
        let tick = || std::thread::sleep(std::time::Duration::from_millis(30));
        let placed = (30.0 * PT_PER_MM, 20.0 * PT_PER_MM);
        // Each build a new process: a fresh session's sources and cache over the same folder.
        let build = || {
            let sources = Sources::settling_for(std::time::Duration::ZERO);
            let image = sources.load(&path, &here).unwrap();
            prepare(&image, placed, &settings(), &Cache::new(Some(cache_dir.path().into()))).unwrap()
        };
        let card = saturated_jpeg();
        std::fs::write(&path, &card).unwrap();
        tick();
        let first = build();
        assert!(!first.prepared.as_ref().unwrap().from_cache);
        let entries = |ext: &str| -> Vec<std::path::PathBuf> {
            let all = std::fs::read_dir(cache_dir.path()).unwrap().map(|e| e.unwrap().path());
            all.filter(|p| p.extension().is_some_and(|e| e == ext)).collect()
        };
        let index = entries("src");
        assert_eq!(index.len(), 1, "the file's hash is kept in the index");
        let hash: [u8; 32] = Sha256::digest(&card).into();
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(std::fs::read_to_string(&index[0]).unwrap(), hex);
        let second = build();
        assert!(second.prepared.as_ref().unwrap().from_cache);
        assert_eq!(second.data, first.data);

        // The index is what the key comes from while the stamp stays: an entry saying
        // another hash makes it another key (a miss), so it is not hashed again.
        std::fs::write(&index[0], "00".repeat(32)).unwrap();
        assert!(!build().prepared.unwrap().from_cache);
        std::fs::write(&index[0], &hex).unwrap();

        // Another picture of the same size, its modification time set back: converted anew.
        let mut other = {
            let rgb: Vec<u8> = (0..96 * 64).flat_map(|i| [(i % 251) as u8, 40, 200]).collect();
            let mut out = Vec::new();
            jpeg_encoder::Encoder::new(&mut out, 95).encode(&rgb, 96, 64, jpeg_encoder::ColorType::Rgb).unwrap();
            out
        };
        let mut card = card;
        let len = card.len().max(other.len());
        // (A JPEG ends at its EOI marker: padding after it is not read.)
        card.resize(len, 0);
        other.resize(len, 0);
        std::fs::write(&path, &card).unwrap();
        tick();
        let padded = build();
        assert_eq!(padded.data, first.data, "the same picture");
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, &other).unwrap();
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();
        tick();
        let changed = build();
        assert!(!changed.prepared.as_ref().unwrap().from_cache);
        let fresh = prepare(&source(other), placed, &settings(), &Cache::new(None)).unwrap();
        assert_eq!(changed.data, fresh.data);
        assert_ne!(changed.data, first.data);
        assert_eq!(entries("src").len(), 3, "one entry per state of the file");
    }

    #[test]
    fn a_png_bomb_is_refused_before_decoding() {
        let mut png = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/opaque.png")).unwrap();
        // The header says 20000 × 10000 (the image data is not read).
        png[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&10_000u32.to_be_bytes());
        let image = source(png);
        let start = std::time::Instant::now();
        let e = prepare(&image, (100.0 * PT_PER_MM, 50.0 * PT_PER_MM), &settings(), &Cache::new(None)).unwrap_err();
        assert!(e.contains("more than its placed size can use"), "{e}");
        assert!(start.elapsed().as_millis() < 100);
    }
}
