//! Total ink of CMYK photos: measuring it, and holding it under `print.ink_limit` after
//! conversion. A coated-offset profile such as FOGRA39 separates shadows at ~330 %; on
//! newsprint (240 %) that would set off and smear. Over the limit, grey component
//! replacement comes first (equal parts of C, M and Y go to K, which keeps neutrals and
//! darkness close while saving two parts of ink for each), then C, M and Y are scaled down
//! together (K untouched, as LittleCMS's ink-limiting device link does).

/// The largest C + M + Y + K of any pixel, in percent (`cmyk`: 0 = no ink, 255 = solid).
pub fn max_ink(cmyk: &[u8]) -> f32 {
    let max = cmyk.chunks_exact(4).map(|p| p.iter().map(|&v| v as u32).sum::<u32>()).max().unwrap_or(0);
    max as f32 * 100.0 / 255.0
}

/// Hold every pixel at or under `limit` percent total ink.
pub fn limit(cmyk: &mut [u8], limit: f32) {
    let units = units(limit);
    cmyk.chunks_exact_mut(4).for_each(|p| limit_pixel(p, units));
}

/// Hold each pixel at or under its own limit, in units of 1/255 of a solid (`per_pixel`).
pub fn limit_each(cmyk: &mut [u8], per_pixel: &[u16]) {
    cmyk.chunks_exact_mut(4).zip(per_pixel).for_each(|(p, &units)| limit_pixel(p, units as i32));
}

/// A limit in percent as units of 1/255 of a solid, never below 100 % (K alone).
pub fn units(limit: f32) -> i32 {
    (limit * 2.55).floor().max(255.0) as i32
}

/// The total ink of each pixel, in units of 1/255 of a solid.
pub fn totals(cmyk: &[u8]) -> impl Iterator<Item = i32> + '_ {
    cmyk.chunks_exact(4).map(|p| p.iter().map(|&v| v as i32).sum())
}

fn limit_pixel(p: &mut [u8], limit: i32) {
    let (c, m, y, k) = (p[0] as i32, p[1] as i32, p[2] as i32, p[3] as i32);
    let total = c + m + y + k;
    if total <= limit {
        return;
    }
    // Grey component replacement: each unit taken from C, M and Y and added to K saves
    // two units of ink.
    let grey = c.min(m).min(y).min(255 - k);
    let replaced = grey.min((total - limit + 1) / 2);
    let (c, m, y, k) = (c - replaced, m - replaced, y - replaced, k + replaced);
    let cmy = c + m + y;
    let over = c + m + y + k - limit;
    let (c, m, y) = if over > 0 && cmy > 0 {
        // Scale C, M and Y down together, rounding down so that the limit holds.
        let keep = (cmy - over).max(0);
        (c * keep / cmy, m * keep / cmy, y * keep / cmy)
    } else {
        (c, m, y)
    };
    p.copy_from_slice(&[c as u8, m as u8, y as u8, k as u8]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_and_limits_saturated_colours() {
        // A saturated shadow from FOGRA39 (about 330 %), a neutral deep grey, solid red, paper.
        let mut pixels = vec![191, 166, 166, 242, 180, 180, 180, 180, 0, 255, 255, 0, 0, 0, 0, 0];
        assert!((max_ink(&pixels) - 300.0).abs() < 0.5, "{}", max_ink(&pixels));
        limit(&mut pixels, 240.0);
        assert!(max_ink(&pixels) <= 240.0, "{pixels:?}");
        // Grey replacement keeps the neutral neutral and moves it to the black plate.
        let grey = &pixels[4..8];
        assert_eq!((grey[0], grey[1]), (grey[1], grey[2]));
        assert!(grey[3] > 180, "{grey:?}");
        // Red (200 %) and paper are untouched.
        assert_eq!(&pixels[8..], &[0, 255, 255, 0, 0, 0, 0, 0]);
        // Every combination of the four inks in steps of 17 ends at or under the limit.
        let mut all: Vec<u8> = (0..16u32 * 16 * 16 * 16)
            .flat_map(|i| [i & 15, (i >> 4) & 15, (i >> 8) & 15, i >> 12].map(|v| (v * 17) as u8))
            .collect();
        limit(&mut all, 240.0);
        assert!(max_ink(&all) <= 240.0);
        assert!(max_ink(&all) > 239.0);
    }
}
