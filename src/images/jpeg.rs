//! JPEG structure: the marker segments from SOI through the entropy-coded scans to EOI,
//! walked without decoding, so that a truncated or garbled file is refused when its header
//! is read (at the edition's `image:` line) rather than passed to the press; and what the
//! header says (size, components, Adobe APP14, an embedded ICC profile).

/// What a JPEG header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JpegInfo {
    pub width: u32,
    pub height: u32,
    pub components: u8,
    /// An Adobe APP14 segment: CMYK samples are stored inverted.
    pub adobe: bool,
    /// The ICC profile of APP2 `ICC_PROFILE` segments, joined in their sequence order.
    pub icc: Option<Vec<u8>>,
}

/// Walk the whole JPEG: every segment's length within the file, a frame header (SOFn)
/// before the first scan, every scan's data ended by a marker, and the EOI marker.
pub fn read(bytes: &[u8]) -> Result<JpegInfo, String> {
    if bytes.len() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 {
        return Err("is not a JPEG file (no SOI marker); only JPEG and PNG photos can be placed".into());
    }
    let mut adobe = false;
    let mut frame: Option<(u32, u32, u8)> = None;
    let mut icc_chunks: Vec<(u8, Vec<u8>)> = Vec::new();
    let mut scans = 0;
    let mut i = 2;
    loop {
        if i + 2 > bytes.len() {
            return Err(truncated(bytes.len()));
        }
        if bytes[i] != 0xFF {
            return Err(format!("has a broken JPEG marker at byte {i}"));
        }
        let marker = bytes[i + 1];
        match marker {
            // Fill bytes before a marker.
            0xFF => {
                i += 1;
                continue;
            }
            0xD9 => break,
            0xD8 | 0x01 | 0xD0..=0xD7 => {
                i += 2;
                continue;
            }
            _ => {}
        }
        if i + 4 > bytes.len() {
            return Err(truncated(bytes.len()));
        }
        let length = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        if length < 2 {
            return Err(format!("has a JPEG segment of length {length} at byte {i}"));
        }
        if i + 2 + length > bytes.len() {
            return Err(if scans == 0 && frame.is_none() {
                format!("has a JPEG segment running past the end of the file at byte {i}")
            } else {
                truncated(bytes.len())
            });
        }
        let segment = &bytes[i + 4..i + 2 + length];
        match marker {
            0xEE if segment.starts_with(b"Adobe") => adobe = true,
            0xE2 if segment.starts_with(b"ICC_PROFILE\0") && segment.len() >= 14 => {
                icc_chunks.push((segment[12], segment[14..].to_vec()));
            }
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                if segment.len() < 6 {
                    return Err("has a truncated JPEG frame header".into());
                }
                let height = u16::from_be_bytes([segment[1], segment[2]]) as u32;
                let width = u16::from_be_bytes([segment[3], segment[4]]) as u32;
                let components = segment[5];
                if segment.len() < 6 + 3 * components as usize {
                    return Err("has a truncated JPEG frame header".into());
                }
                if frame.is_some() {
                    return Err("has two JPEG frame headers (SOF)".into());
                }
                frame = Some((width, height, components));
            }
            0xDA => {
                if frame.is_none() {
                    return Err("has JPEG image data before its frame header (SOF)".into());
                }
                scans += 1;
                i = end_of_scan(bytes, i + 2 + length).ok_or_else(|| truncated(bytes.len()))?;
                continue;
            }
            _ => {}
        }
        i += 2 + length;
    }
    let Some((width, height, components)) = frame else {
        return Err("has no JPEG frame header (SOF)".into());
    };
    if scans == 0 {
        return Err("has no JPEG image data (no scan before EOI)".into());
    }
    Ok(JpegInfo { width, height, components, adobe, icc: join_icc(icc_chunks) })
}

fn truncated(len: usize) -> String {
    format!("is a truncated JPEG: its data stops at byte {len} before the end-of-image marker (EOI)")
}

/// The position of the marker that ends the entropy-coded data starting at `from`
/// (0xFF followed by anything but a stuffed 0x00 or a restart marker), if there is one.
fn end_of_scan(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        // memchr: the scans are most of a photo's megabytes, and 0xFF is rare in them.
        i += memchr::memchr(0xFF, bytes.get(i..)?)?;
        match *bytes.get(i + 1)? {
            0x00 | 0xD0..=0xD7 => i += 2,
            0xFF => i += 1,
            _ => return Some(i),
        }
    }
}

/// ICC chunks in sequence order (1-based numbers, as the ICC spec writes them).
fn join_icc(mut chunks: Vec<(u8, Vec<u8>)>) -> Option<Vec<u8>> {
    if chunks.is_empty() {
        return None;
    }
    chunks.sort_by_key(|(seq, _)| *seq);
    Some(chunks.into_iter().flat_map(|(_, data)| data).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo(name: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("images").join(name)).unwrap()
    }

    #[test]
    fn reads_the_demo_photos_headers() {
        let info = read(&demo("lake-mountains.jpg")).unwrap();
        assert_eq!((info.width, info.height, info.components, info.adobe), (2400, 1500, 3, false));
        assert_eq!(read(&demo("furniture-interior.jpg")).unwrap().height, 2400);
    }

    #[test]
    fn refuses_what_is_not_a_jpeg() {
        assert!(read(b"\x89PNG\r\n\x1a\n").unwrap_err().contains("not a JPEG"));
        assert!(read(b"").is_err());
        // A segment length running past the end.
        assert!(read(&[0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF, 0x00]).unwrap_err().contains("past the end"));
    }

    #[test]
    fn a_truncated_jpeg_is_refused_wherever_it_is_cut() {
        let whole = demo("riverside-bridge.jpg");
        assert!(read(&whole).is_ok());
        for cut in [2000, whole.len() / 2, whole.len() - 2] {
            let e = read(&whole[..cut]).unwrap_err();
            assert!(e.contains("truncated JPEG"), "cut at {cut}: {e}");
        }
    }

    #[test]
    fn adobe_marker_and_icc_chunks_are_noticed() {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xEE, 0x00, 0x0E];
        bytes.extend_from_slice(b"Adobe\0\x64\0\0\0\0\x02");
        // An ICC profile in two chunks, written out of order.
        for (seq, data) in [(2u8, b"world".as_slice()), (1, b"hello ")] {
            let len = (2 + 14 + data.len()) as u16;
            bytes.extend_from_slice(&[0xFF, 0xE2]);
            bytes.extend_from_slice(&len.to_be_bytes());
            bytes.extend_from_slice(b"ICC_PROFILE\0");
            bytes.extend_from_slice(&[seq, 2]);
            bytes.extend_from_slice(data);
        }
        bytes.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x14, 0x08, 0x00, 0x10, 0x00, 0x20, 0x04]);
        bytes.extend_from_slice(&[1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);
        // A scan header, entropy data with a stuffed 0xFF00 and a restart marker, EOI.
        bytes.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 63, 0]);
        bytes.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9]);
        let info = read(&bytes).unwrap();
        assert_eq!((info.width, info.height, info.components, info.adobe), (32, 16, 4, true));
        assert_eq!(info.icc.as_deref(), Some(b"hello world".as_slice()));
        // Without its EOI the same file is truncated.
        assert!(read(&bytes[..bytes.len() - 2]).unwrap_err().contains("truncated"));
    }
}
