//! Downsampling: a photo placed above `print.max_ppi` carries pixels no press can print
//! (and megabytes the plant has to move); it is brought down to `max_ppi` at its largest
//! placed size with a Lanczos-3 filter, before conversion.

use fast_image_resize::images::Image as Pixels;
use fast_image_resize::{CpuExtensions, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

/// Photos are not resampled for less than this: re-encoding costs more than 5 % of pixels saves.
pub const TOLERANCE: f32 = 1.05;

/// The pixel size a photo of `pixels` placed at `placed_pt` (the largest of its
/// placements, in points) should have, if it is to be downsampled.
pub fn target(pixels: (u32, u32), placed_pt: (f32, f32), max_ppi: f32) -> Option<(u32, u32)> {
    let ppi = (pixels.0 as f32 * 72.0 / placed_pt.0).min(pixels.1 as f32 * 72.0 / placed_pt.1);
    if !ppi.is_finite() || ppi <= max_ppi * TOLERANCE {
        return None;
    }
    let scale = max_ppi / ppi;
    let side = |v: u32| ((v as f32 * scale).ceil() as u32).clamp(1, v);
    Some((side(pixels.0), side(pixels.1)))
}

/// Resize interleaved 8-bit samples of `channels` (1, 3 or 4: each component filtered on
/// its own, none taken for alpha) with Lanczos-3.
pub fn resize(samples: &[u8], size: (u32, u32), channels: usize, to: (u32, u32)) -> Vec<u8> {
    resize_with(samples, size, channels, to, None)
}

fn resize_with(
    samples: &[u8],
    size: (u32, u32),
    channels: usize,
    to: (u32, u32),
    cpu: Option<CpuExtensions>,
) -> Vec<u8> {
    let pixel_type = match channels {
        1 => PixelType::U8,
        3 => PixelType::U8x3,
        _ => PixelType::U8x4,
    };
    let (Ok(src), mut dst) =
        (Pixels::from_vec_u8(size.0, size.1, samples.to_vec(), pixel_type), Pixels::new(to.0, to.1, pixel_type))
    else {
        return samples.to_vec();
    };
    let mut resizer = Resizer::new();
    if let Some(cpu) = cpu.filter(CpuExtensions::is_supported) {
        // SAFETY: the extension is supported by this CPU (checked just above).
        unsafe { resizer.set_cpu_extensions(cpu) };
    }
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    match resizer.resize(&src, &mut dst, &options) {
        Ok(()) => dst.into_vec(),
        Err(_) => samples.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_max_ppi_at_the_placed_size() {
        // 2400 px across 3 inches is 800 ppi: down to 300 ppi, 900 px.
        assert_eq!(target((2400, 1500), (216.0, 135.0), 300.0), Some((900, 563)));
        // 310 ppi is within the tolerance; 250 ppi is below the maximum.
        assert_eq!(target((930, 600), (216.0, 135.0), 300.0), None);
        assert_eq!(target((750, 500), (216.0, 135.0), 300.0), None);
    }

    #[test]
    fn resizing_keeps_flat_colour_and_plates_apart() {
        let cmyk: Vec<u8> = (0..40 * 20).flat_map(|_| [10, 200, 0, 255]).collect();
        let small = resize(&cmyk, (40, 20), 4, (10, 5));
        assert_eq!(small.len(), 10 * 5 * 4);
        assert!(small.chunks(4).all(|p| p == [10, 200, 0, 255]), "{:?}", &small[..8]);
        let rgb: Vec<u8> = (0..40 * 20).flat_map(|i| if i % 40 < 20 { [0, 0, 0] } else { [255, 255, 255] }).collect();
        let small = resize(&rgb, (40, 20), 3, (4, 2));
        assert_eq!((small[0], small[3 * 3]), (0, 255));
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn every_cpu_path_gives_the_same_pixels() {
        // Converted photos must be the same bytes on any machine: the SIMD code paths
        // of the resizer must agree with its plain one.
        let noise: Vec<u8> = (0..301u32 * 207 * 4).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        let plain = resize_with(&noise, (301, 207), 4, (97, 66), Some(CpuExtensions::None));
        for cpu in [CpuExtensions::Sse4_1, CpuExtensions::Avx2] {
            assert_eq!(resize_with(&noise, (301, 207), 4, (97, 66), Some(cpu)), plain, "{cpu:?}");
        }
        assert_eq!(resize(&noise, (301, 207), 4, (97, 66)), plain);
    }
}
