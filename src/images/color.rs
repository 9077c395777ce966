//! Colour management: a photo's RGB or grey samples to the output intent's CMYK through
//! LittleCMS (lcms2), the photo's embedded ICC profile honoured, sRGB assumed without one,
//! with the layout's rendering intent: relative colorimetric with black-point compensation
//! (the default: the photo's black maps to the press's black, not to a grey), or perceptual.

use lcms2::{CIExyY, ColorSpaceSignature, Flags, Intent, PixelFormat, Profile, ToneCurve, Transform};

use super::ColorSpace;
use crate::spec::layout::RenderingIntent;

/// Which source profile a conversion used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceProfile {
    /// The photo's embedded profile.
    Embedded,
    /// None embedded: sRGB (or a grey with sRGB's tone curve) assumed.
    Assumed,
    /// One embedded that does not fit the samples or cannot be read: sRGB assumed.
    Unusable(String),
}

/// Interleaved 8-bit grey or RGB samples to CMYK (0 = no ink, 255 = solid), through
/// `output` (an ICC output profile's bytes).
pub fn to_cmyk(
    samples: &[u8],
    color: ColorSpace,
    icc: Option<&[u8]>,
    output: &[u8],
    intent: RenderingIntent,
) -> Result<(Vec<u8>, SourceProfile), String> {
    let output = Profile::new_icc(output).map_err(|e| format!("the output profile cannot be read: {e}"))?;
    if output.color_space() != ColorSpaceSignature::CmykData {
        return Err("the output profile is not a CMYK profile".into());
    }
    let (format, channels) = match color {
        ColorSpace::Gray => (PixelFormat::GRAY_8, 1),
        ColorSpace::Rgb => (PixelFormat::RGB_8, 3),
        ColorSpace::Cmyk => return Err("the photo is CMYK already".into()),
    };
    let (source, used) = source_profile(color, icc)?;
    let (intent, flags) = match intent {
        RenderingIntent::Relative => (Intent::RelativeColorimetric, Flags::BLACKPOINT_COMPENSATION),
        RenderingIntent::Perceptual => (Intent::Perceptual, Flags::default()),
    };
    let transform: Transform<u8, u8> =
        Transform::new_flags(&source, format, &output, PixelFormat::CMYK_8, intent, flags)
            .map_err(|e| format!("no colour transform to the output profile: {e}"))?;
    let pixels = samples.len() / channels;
    let mut cmyk = vec![0u8; pixels * 4];
    transform.transform_pixels(&samples[..pixels * channels], &mut cmyk);
    Ok((cmyk, used))
}

/// The soft proof: the output intent's CMYK shown on screen in sRGB (relative
/// colorimetric with black-point compensation, the paper's white shown as white), so that
/// `preview` shows what the press prints: converted photos and limited ink as they are,
/// not CMYK values read as if they were RGB.
pub struct Proof {
    transform: Transform<[u8; 4], [u8; 3]>,
}

impl Proof {
    /// A proof through `output` (an ICC CMYK output profile's bytes).
    pub fn new(output: &[u8]) -> Result<Proof, String> {
        let output = Profile::new_icc(output).map_err(|e| format!("the output profile cannot be read: {e}"))?;
        if output.color_space() != ColorSpaceSignature::CmykData {
            return Err("the output profile is not a CMYK profile".into());
        }
        let transform = Transform::new_flags(
            &output,
            PixelFormat::CMYK_8,
            &Profile::new_srgb(),
            PixelFormat::RGB_8,
            Intent::RelativeColorimetric,
            Flags::BLACKPOINT_COMPENSATION,
        )
        .map_err(|e| format!("no colour transform from the output profile to sRGB: {e}"))?;
        Ok(Proof { transform })
    }

    /// Ink (0 = none, 255 = solid) to sRGB, pixel by pixel.
    pub fn to_srgb(&self, cmyk: &[[u8; 4]]) -> Vec<[u8; 3]> {
        let mut rgb = vec![[0u8; 3]; cmyk.len()];
        self.transform.transform_pixels(cmyk, &mut rgb);
        rgb
    }

    /// One colour given as fractions of a solid.
    pub fn color(&self, c: f32, m: f32, y: f32, k: f32) -> [u8; 3] {
        let ink = |v: f32| (v * 255.0).round().clamp(0.0, 255.0) as u8;
        self.to_srgb(&[[ink(c), ink(m), ink(y), ink(k)]])[0]
    }
}

/// The embedded profile if it is one for the samples' colour space, else sRGB or sGray.
fn source_profile(color: ColorSpace, icc: Option<&[u8]>) -> Result<(Profile, SourceProfile), String> {
    let wanted = if color == ColorSpace::Gray { ColorSpaceSignature::GrayData } else { ColorSpaceSignature::RgbData };
    let used = match icc.map(Profile::new_icc) {
        None => SourceProfile::Assumed,
        Some(Ok(profile)) if profile.color_space() == wanted => return Ok((profile, SourceProfile::Embedded)),
        Some(Ok(profile)) => SourceProfile::Unusable(format!(
            "its embedded profile is for {:?}, not for its {} samples",
            profile.color_space(),
            if color == ColorSpace::Gray { "grey" } else { "RGB" }
        )),
        Some(Err(e)) => SourceProfile::Unusable(format!("its embedded profile cannot be read ({e})")),
    };
    let profile = if color == ColorSpace::Gray { s_gray()? } else { Profile::new_srgb() };
    Ok((profile, used))
}

/// A grey with sRGB's tone curve and D50 white: what an untagged grey photo is taken to be.
fn s_gray() -> Result<Profile, String> {
    let srgb_curve = ToneCurve::new_parametric(4, &[2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.04045])
        .map_err(|e| format!("the sRGB tone curve: {e}"))?;
    let d50 = CIExyY { x: 0.3457, y: 0.3585, Y: 1.0 };
    Profile::new_gray(&d50, &srgb_curve).map_err(|e| format!("the grey profile: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOGRA39: &[u8] = include_bytes!("../../profiles/CoatedFOGRA39.icc");

    fn one(rgb: [u8; 3], intent: RenderingIntent) -> [f32; 4] {
        let (cmyk, used) = to_cmyk(&rgb, ColorSpace::Rgb, None, FOGRA39, intent).unwrap();
        assert_eq!(used, SourceProfile::Assumed);
        [0, 1, 2, 3].map(|i| cmyk[i] as f32 / 2.55)
    }

    fn near(got: [f32; 4], want: [f32; 4], tolerance: f32) {
        assert!(got.iter().zip(want).all(|(g, w)| (g - w).abs() <= tolerance), "got {got:?}, want {want:?}");
    }

    #[test]
    fn known_colours_through_fogra39() {
        // Reference values from LittleCMS's own command-line tool, independent of this
        // binding: `transicc -t1 -b -i profiles/sRGB.icc -o profiles/CoatedFOGRA39.icc`
        // (relative colorimetric, black-point compensation). Without -b they agree within
        // 1 % with another CMM, ArgyllCMS 2.3.1 (`xicclu -ff -ir` sRGB to Lab, `xicclu
        // -fb -ir` Lab to FOGRA39 CMYK), e.g. red 0/98.9/100/0, mid grey 49.1/39.9/39.6/21.8.
        let cases: [([u8; 3], [f32; 4]); 7] = [
            ([255, 255, 255], [0.0, 0.1, 0.0, 0.0]),
            ([0, 0, 0], [89.2, 78.4, 61.8, 97.1]),
            ([255, 0, 0], [0.0, 95.3, 91.9, 0.0]),
            ([0, 0, 255], [93.0, 75.0, 0.0, 0.0]),
            ([0, 255, 0], [64.4, 0.0, 100.0, 0.0]),
            ([128, 128, 128], [48.3, 38.9, 38.8, 20.6]),
            ([51, 102, 153], [83.6, 56.0, 18.4, 3.6]),
        ];
        for (rgb, want) in cases {
            near(one(rgb, RenderingIntent::Relative), want, 1.0);
        }
        // FOGRA39's black is about 326 % ink: what the ink limit has to bring down.
        assert!(one([0, 0, 0], RenderingIntent::Relative).iter().sum::<f32>() > 320.0);
        // Perceptual: `transicc -t0` (FOGRA39's perceptual table, no compensation).
        near(one([0, 0, 255], RenderingIntent::Perceptual), [94.7, 76.7, 0.0, 0.0], 1.0);
        near(one([128, 128, 128], RenderingIntent::Perceptual), [48.3, 39.0, 38.8, 20.7], 1.0);
    }

    #[test]
    fn the_proof_shows_fogra39_colours_as_srgb() {
        let proof = Proof::new(FOGRA39).unwrap();
        // Paper is white, 100 K a near-black, and a solid cyan the press's cyan, not the
        // (0, 255, 255) of a naive 1 - C reading. Reference: `transicc -t1 -b -i profiles/CoatedFOGRA39.icc -o
        // *sRGB` gives 0/0/0/0 → 255 255 255, 100/0/0/0 → 0 159 227 (red clipped),
        // 0/0/0/100 → 29 29 27.
        assert_eq!(proof.color(0.0, 0.0, 0.0, 0.0), [255, 255, 255]);
        let cyan = proof.color(1.0, 0.0, 0.0, 0.0);
        assert!(cyan[0] < 5 && (156..162).contains(&cyan[1]) && (224..230).contains(&cyan[2]), "{cyan:?}");
        let black = proof.color(0.0, 0.0, 0.0, 1.0);
        assert!(black.iter().all(|&v| (24..34).contains(&v)), "{black:?}");
        // The photo path and the colour path agree.
        assert_eq!(proof.to_srgb(&[[255, 0, 0, 0]])[0], cyan);
        assert!(Proof::new(include_bytes!("../../profiles/sRGB.icc")).is_err());
    }

    #[test]
    fn grey_photos_and_embedded_profiles() {
        let (cmyk, used) = to_cmyk(&[255, 0], ColorSpace::Gray, None, FOGRA39, RenderingIntent::Relative).unwrap();
        assert_eq!(used, SourceProfile::Assumed);
        assert_eq!(&cmyk[..4], &[0, 0, 0, 0]);
        assert!(cmyk[7] > 200, "{cmyk:?}");
        // An RGB profile embedded in a grey photo is not used; a broken one is said to be.
        let srgb = include_bytes!("../../profiles/sRGB.icc");
        let (_, used) = to_cmyk(&[9], ColorSpace::Gray, Some(srgb), FOGRA39, RenderingIntent::Relative).unwrap();
        assert!(matches!(used, SourceProfile::Unusable(_)), "{used:?}");
        let (_, used) = to_cmyk(&[9, 9, 9], ColorSpace::Rgb, Some(srgb), FOGRA39, RenderingIntent::Relative).unwrap();
        assert_eq!(used, SourceProfile::Embedded);
        let (_, used) =
            to_cmyk(&[9, 9, 9], ColorSpace::Rgb, Some(b"junk"), FOGRA39, RenderingIntent::Relative).unwrap();
        assert!(matches!(used, SourceProfile::Unusable(_)), "{used:?}");
        assert!(to_cmyk(&[9, 9, 9], ColorSpace::Rgb, None, srgb, RenderingIntent::Relative).is_err());
    }
}
