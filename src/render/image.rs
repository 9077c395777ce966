//! Photos as image XObjects: a JPEG's bytes passed through as they are in the file
//! (/DCTDecode; an Adobe CMYK JPEG, which stores inverted values, gets /Decode
//! [1 0 1 0 1 0 1 0]), a PNG's decoded samples compressed losslessly with its alpha as a
//! soft mask. RGB under PDF/X-4 is placed in one shared sRGB ICCBased space.

use pdf_writer::{Chunk, Filter, Finish, Ref};

use super::deflate::deflate;
use super::Clock;
use crate::images::{ColorSpace, Encoding, Image};

/// Write `image` as object `id`. `srgb` is the shared sRGB profile stream, for an RGB
/// photo under PDF/X-4.
pub(super) fn write_image(
    chunk: &mut Chunk,
    id: Ref,
    next: &mut impl FnMut() -> Ref,
    image: &Image,
    srgb: Option<Ref>,
    clock: &mut Clock,
) {
    let compressed;
    let (data, filter) = match &image.encoding {
        Encoding::Jpeg => (&image.data[..], Filter::DctDecode),
        Encoding::Raw { .. } => {
            compressed = Clock::time(&mut clock.compress, || deflate(&image.data));
            (compressed.as_slice(), Filter::FlateDecode)
        }
    };
    let mask = match &image.encoding {
        Encoding::Raw { alpha: Some(alpha) } => {
            let mask = next();
            let samples = Clock::time(&mut clock.compress, || deflate(alpha));
            let mut x = chunk.image_xobject(mask, &samples);
            x.width(image.width as i32).height(image.height as i32);
            x.filter(Filter::FlateDecode);
            x.color_space().device_gray();
            x.bits_per_component(8);
            x.finish();
            Some(mask)
        }
        _ => None,
    };
    let mut x = chunk.image_xobject(id, data);
    x.width(image.width as i32).height(image.height as i32).bits_per_component(8);
    x.filter(filter);
    match (image.color, srgb) {
        (ColorSpace::Rgb, Some(profile)) => x.color_space().icc_based(profile),
        (ColorSpace::Rgb, None) => x.color_space().device_rgb(),
        (ColorSpace::Gray, _) => x.color_space().device_gray(),
        (ColorSpace::Cmyk, _) => x.color_space().device_cmyk(),
    }
    if image.adobe_inverted {
        x.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
    }
    if let Some(mask) = mask {
        x.s_mask(mask);
    }
    x.finish();
}
