//! What a published original keeps of its metadata: what shows it right (its pixels, its
//! colour profile, its animation, its orientation) and the fields the site owner chose to
//! keep. Everything else — GPS, camera serials, XMP, IPTC, comments, thumbnails, the
//! pictures phones append after the end of a JPEG — is left out, losslessly: pixels are
//! copied as they are, never decoded again.
//!
//! Each format is read by an allow-list of its parts, so a kind of metadata nobody
//! thought of is dropped as well as the known ones.

pub use crate::config::KeptField;
use img_parts::Bytes;
use img_parts::ImageEXIF;

impl KeptField {
    /// The EXIF tags this field keeps.
    fn tags(self) -> &'static [exif::Tag] {
        match self {
            KeptField::Copyright => &[exif::Tag::Copyright],
            KeptField::Artist => &[exif::Tag::Artist],
            KeptField::Description => &[exif::Tag::ImageDescription],
            KeptField::Camera => &[exif::Tag::Make, exif::Tag::Model],
            KeptField::Taken => &[exif::Tag::DateTimeOriginal],
        }
    }
}

/// Why an image's metadata could not be taken out.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum StripError {
    /// The bytes are none of JPEG, PNG, WebP or GIF.
    #[error("not a JPEG, PNG, WebP or GIF file")]
    UnknownFormat,
    /// The file's structure ends or breaks where a part should be.
    #[error("damaged {0}")]
    Damaged(&'static str),
}

/// The image without metadata but the orientation and the `kept` fields, read from `exif`
/// (the image's own). The format is read from the bytes, not from a file name.
pub fn clean(
    bytes: &[u8],
    exif: Option<&exif::Exif>,
    kept: &[KeptField],
) -> Result<Vec<u8>, StripError> {
    let minimal = exif.and_then(|exif| minimal_exif(exif, kept));
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg(bytes, minimal.as_deref())
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes, minimal)
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        webp(bytes, minimal)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        gif(bytes)
    } else {
        Err(StripError::UnknownFormat)
    }
}

/// An EXIF block (TIFF bytes) holding the orientation, when it turns the image, and the
/// kept fields; `None` when there is nothing to hold.
fn minimal_exif(exif: &exif::Exif, kept: &[KeptField]) -> Option<Vec<u8>> {
    let orientation = exif
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .filter(|field| field.value.get_uint(0).is_some_and(|turn| turn != 1));
    let fields: Vec<&exif::Field> = orientation
        .into_iter()
        .chain(kept.iter().flat_map(|field| {
            field
                .tags()
                .iter()
                .filter_map(|tag| exif.get_field(*tag, exif::In::PRIMARY))
        }))
        .collect();
    if fields.is_empty() {
        return None;
    }
    let mut writer = exif::experimental::Writer::new();
    for field in fields {
        writer.push_field(field);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false).ok()?;
    Some(tiff.into_inner())
}

/// JPEG: the segments that make the picture, the JFIF header, the ICC profile and Adobe's
/// colour transform flag; nothing after the end-of-image marker.
fn jpeg(bytes: &[u8], minimal: Option<&[u8]>) -> Result<Vec<u8>, StripError> {
    const APP0: u8 = 0xE0;
    const APP1: u8 = 0xE1;
    const APP2: u8 = 0xE2;
    const APP14: u8 = 0xEE;
    const SOS: u8 = 0xDA;
    const EOI: u8 = 0xD9;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    if let Some(tiff) = minimal {
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(tiff);
        if payload.len() + 2 <= usize::from(u16::MAX) {
            out.extend_from_slice(&[0xFF, APP1]);
            out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
            out.extend_from_slice(&payload);
        }
    }
    let mut at = 2;
    loop {
        // Fill bytes (any number of 0xFF) may come before a marker.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        // Stray bytes between segments, which decoders skip with a warning (some cameras
        // and editors write them), are left out.
        if bytes.get(at).is_some_and(|byte| *byte != 0xFF) {
            at += 1;
            continue;
        }
        let Some(&[0xFF, marker]) = bytes.get(at..at + 2) else {
            // A file cut short after its last whole part: keep what there is.
            return Ok(out);
        };
        if marker == EOI {
            out.extend_from_slice(&[0xFF, EOI]);
            return Ok(out);
        }
        // Restart markers and TEM stand alone.
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            out.extend_from_slice(&[0xFF, marker]);
            at += 2;
            continue;
        }
        let length = bytes
            .get(at + 2..at + 4)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
            .filter(|length| *length >= 2)
            .ok_or(StripError::Damaged("JPEG segment length"))?;
        let end = (at + 2 + length).min(bytes.len());
        let payload = &bytes[at + 4..end];
        // Of JFIF's and Adobe's headers, their fixed fields only: JFIF's may go on with a
        // thumbnail, which can show what a crop took out.
        let kept_payload = match marker {
            APP0 if payload.starts_with(b"JFIF\0") => payload.get(..12).map(|fields| {
                let mut header = fields.to_vec();
                header.extend([0, 0]); // no thumbnail
                header
            }),
            APP2 if payload.starts_with(b"ICC_PROFILE\0") => Some(payload.to_vec()),
            APP14 if payload.starts_with(b"Adobe") => payload.get(..12).map(<[u8]>::to_vec),
            // Frames (SOF0–15 but DHT, JPG and DAC), Huffman, arithmetic and quantization
            // tables, restart interval, line count, scans: the picture itself.
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => Some(payload.to_vec()),
            0xC4 | 0xCC | 0xDB | 0xDD | 0xDC | SOS => Some(payload.to_vec()),
            _ => None,
        };
        if let Some(kept) = kept_payload {
            out.extend_from_slice(&[0xFF, marker]);
            out.extend_from_slice(&((kept.len() + 2) as u16).to_be_bytes());
            out.extend_from_slice(&kept);
        }
        at = end;
        if marker == SOS {
            // Entropy-coded data runs to the next marker that may follow a scan: not a
            // stuffed 0xFF00, not a restart marker, and not the stray 0xFF of a damaged
            // scan, which decoders read past (cameras write such files).
            let start = at;
            while at < bytes.len() {
                if bytes[at] == 0xFF {
                    match bytes.get(at + 1) {
                        Some(0xD0..=0xD7) => at += 2,
                        Some(0xFF) => at += 1,
                        Some(0xC0..=0xFE) | None => break,
                        Some(_) => at += 2,
                    }
                } else {
                    at += 1;
                }
            }
            let end = at.min(bytes.len());
            out.extend_from_slice(&bytes[start..end]);
            at = end;
        }
    }
}

/// PNG chunks that describe the picture; text, EXIF, times and private chunks are not.
const PNG_KEPT: &[&[u8; 4]] = &[
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB",
    b"cICP", b"mDCV", b"cLLI", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT",
];

fn png(bytes: &[u8], minimal: Option<Vec<u8>>) -> Result<Vec<u8>, StripError> {
    let mut image = img_parts::png::Png::from_bytes(Bytes::copy_from_slice(bytes))
        .map_err(|_| StripError::Damaged("PNG chunk"))?;
    image
        .chunks_mut()
        .retain(|chunk| PNG_KEPT.contains(&&chunk.kind()));
    image.set_exif(minimal.map(Bytes::from));
    Ok(image.encoder().bytes().to_vec())
}

/// WebP chunks that make the picture, its animation and its colour profile.
const WEBP_KEPT: &[&[u8; 4]] = &[
    b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP",
];

fn webp(bytes: &[u8], minimal: Option<Vec<u8>>) -> Result<Vec<u8>, StripError> {
    let mut image = img_parts::webp::WebP::from_bytes(Bytes::copy_from_slice(bytes))
        .map_err(|_| StripError::Damaged("WebP chunk"))?;
    image
        .chunks_mut()
        .retain(|chunk| WEBP_KEPT.contains(&&chunk.id()));
    // Setting the EXIF also sets the extended header's flags to the chunks now there.
    image.set_exif(minimal.map(Bytes::from));
    Ok(image.encoder().bytes().to_vec())
}

/// GIF: the screen, the colour tables, the frames with their timing and the loop count;
/// no comments, no text, no other application's data (XMP among them).
fn gif(bytes: &[u8]) -> Result<Vec<u8>, StripError> {
    let damaged = || StripError::Damaged("GIF block");
    let flags = *bytes.get(10).ok_or_else(damaged)?;
    let mut at = 13 + color_table_len(flags);
    let mut out = bytes.get(..at).ok_or_else(damaged)?.to_vec();
    // Runs of sub-blocks, each its length then its bytes, ended by a zero length.
    let sub_blocks_end = |mut at: usize| -> Result<usize, StripError> {
        loop {
            let length = usize::from(*bytes.get(at).ok_or_else(damaged)?);
            at += 1 + length;
            if length == 0 {
                return Ok(at.min(bytes.len()));
            }
        }
    };
    loop {
        match bytes.get(at) {
            // A trailer, or a file cut short: the frames so far are the picture.
            Some(0x3B) | None => {
                out.push(0x3B);
                return Ok(out);
            }
            Some(0x2C) => {
                let flags = *bytes.get(at + 9).ok_or_else(damaged)?;
                let data = at + 10 + color_table_len(flags) + 1;
                let end = sub_blocks_end(data)?;
                out.extend_from_slice(bytes.get(at..end).ok_or_else(damaged)?);
                at = end;
            }
            Some(0x21) => {
                let label = *bytes.get(at + 1).ok_or_else(damaged)?;
                let end = sub_blocks_end(at + 2)?;
                let first = bytes.get(at + 3..end).unwrap_or_default();
                // Only the sub-blocks that carry what is kept, however many follow.
                let kept_blocks = match label {
                    // Graphic control: frame delay and transparency.
                    0xF9 => 1,
                    // The loop count lives in the Netscape application block, after its name.
                    0xFF if first.starts_with(b"NETSCAPE2.0")
                        || first.starts_with(b"ANIMEXTS1.0") =>
                    {
                        2
                    }
                    _ => 0,
                };
                if kept_blocks > 0 {
                    let mut block_end = at + 2;
                    for _ in 0..kept_blocks {
                        let length = usize::from(*bytes.get(block_end).ok_or_else(damaged)?);
                        if length == 0 {
                            break;
                        }
                        block_end = (block_end + 1 + length).min(end);
                    }
                    out.extend_from_slice(&bytes[at..block_end]);
                    out.push(0);
                }
                at = end;
            }
            Some(_) => return Err(damaged()),
        }
    }
}

/// The bytes of the colour table a GIF flag byte announces.
fn color_table_len(flags: u8) -> usize {
    if flags & 0x80 == 0 {
        0
    } else {
        3 << ((flags & 0x07) + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::{KeptField, StripError, clean};

    /// A TIFF block with an orientation, a copyright and a GPS latitude reference.
    fn tiff_with_gps(orientation: u16) -> Vec<u8> {
        let mut tiff: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
        tiff.extend([0, 3]); // IFD0: three entries
        tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1]); // Orientation
        tiff.extend(orientation.to_be_bytes());
        tiff.extend([0, 0]);
        tiff.extend([0x82, 0x98, 0, 2, 0, 0, 0, 4]); // Copyright, "ABC\0" inline
        tiff.extend(b"ABC\0");
        tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 50]); // GPS IFD at 50
        tiff.extend([0, 0, 0, 0]);
        tiff.extend([0, 1]); // GPS IFD: one entry
        tiff.extend([0x00, 0x01, 0, 2, 0, 0, 0, 2]); // GPSLatitudeRef "N\0"
        tiff.extend(b"N\0\0\0");
        tiff.extend([0, 0, 0, 0]);
        tiff
    }

    fn read_exif(bytes: &[u8]) -> Option<exif::Exif> {
        exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(bytes))
            .ok()
    }

    fn encoded(format: image::ImageFormat) -> Vec<u8> {
        let picture = image::DynamicImage::ImageRgba8(image::RgbaImage::from_fn(8, 6, |x, y| {
            image::Rgba([x as u8 * 30, y as u8 * 40, 90, 200])
        }));
        let picture = if format == image::ImageFormat::Jpeg {
            image::DynamicImage::ImageRgb8(picture.into_rgb8())
        } else {
            picture
        };
        let mut out = Vec::new();
        picture
            .write_to(&mut std::io::Cursor::new(&mut out), format)
            .unwrap();
        out
    }

    /// A JPEG with EXIF (GPS), XMP, a comment, an ICC profile and a picture after its end.
    fn phone_jpeg(orientation: u16) -> Vec<u8> {
        let plain = encoded(image::ImageFormat::Jpeg);
        let segment = |marker: u8, payload: &[u8]| {
            let mut out = vec![0xFF, marker];
            out.extend(((payload.len() + 2) as u16).to_be_bytes());
            out.extend(payload);
            out
        };
        let mut out = plain[..2].to_vec();
        out.extend(segment(
            0xE1,
            &[b"Exif\0\0".as_slice(), &tiff_with_gps(orientation)].concat(),
        ));
        out.extend(segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>secret</x:xmpmeta>",
        ));
        out.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01colours"));
        out.extend(segment(0xE2, b"MPF\0index"));
        out.extend(segment(0xFE, b"a comment"));
        out.extend(&plain[2..]);
        // A depth map or a second picture, as phones append them, with its own EXIF.
        out.extend(&plain[..2]);
        out.extend(segment(
            0xE1,
            &[b"Exif\0\0".as_slice(), &tiff_with_gps(1)].concat(),
        ));
        out.extend(&plain[2..]);
        out
    }

    fn has(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_jpeg_keeps_its_picture_profile_and_orientation_and_nothing_else() {
        let source = phone_jpeg(6);
        let exif = read_exif(&source).unwrap();
        assert!(exif.fields().any(|f| f.tag == exif::Tag::GPSLatitudeRef));
        let cleaned = clean(&source, Some(&exif), &[]).unwrap();
        let after = read_exif(&cleaned).unwrap();
        assert!(
            after.fields().all(|f| f.tag == exif::Tag::Orientation),
            "only orientation"
        );
        assert_eq!(
            after
                .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
                .and_then(|f| f.value.get_uint(0)),
            Some(6)
        );
        assert!(has(&cleaned, b"ICC_PROFILE\0"));
        for gone in [&b"xmpmeta"[..], b"MPF\0", b"a comment", b"ABC"] {
            assert!(!has(&cleaned, gone), "{}", String::from_utf8_lossy(gone));
        }
        // One picture, ending at its end-of-image marker.
        assert!(cleaned.ends_with(&[0xFF, 0xD9]));
        assert_eq!(cleaned.windows(2).filter(|w| w == &[0xFF, 0xD8]).count(), 1);
        let decoded = image::load_from_memory(&cleaned).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (8, 6));
    }

    #[test]
    fn an_upright_jpeg_keeps_no_exif_unless_fields_are_kept() {
        let source = phone_jpeg(1);
        let exif = read_exif(&source).unwrap();
        let cleaned = clean(&source, Some(&exif), &[]).unwrap();
        assert!(read_exif(&cleaned).is_none());
        let kept = clean(&source, Some(&exif), &[KeptField::Copyright]).unwrap();
        let after = read_exif(&kept).unwrap();
        let tags: Vec<exif::Tag> = after.fields().map(|f| f.tag).collect();
        assert_eq!(tags, vec![exif::Tag::Copyright]);
    }

    #[test]
    fn png_webp_and_gif_lose_their_metadata_and_keep_their_pixels() {
        let tiff = tiff_with_gps(1);
        // PNG with eXIf and a text chunk.
        let png = encoded(image::ImageFormat::Png);
        let mut with_meta = png[..33].to_vec();
        for (kind, data) in [(&b"eXIf"[..], tiff.as_slice()), (b"tEXt", b"GPS\0N 39.9")] {
            with_meta.extend((data.len() as u32).to_be_bytes());
            with_meta.extend(kind);
            with_meta.extend(data);
            with_meta.extend(crc32fast::hash(&[kind, data].concat()).to_be_bytes());
        }
        with_meta.extend(&png[33..]);
        let exif = read_exif(&with_meta).unwrap();
        let cleaned = clean(&with_meta, Some(&exif), &[]).unwrap();
        assert!(!has(&cleaned, b"eXIf") && !has(&cleaned, b"tEXt"));
        assert_eq!(
            image::load_from_memory(&cleaned).unwrap(),
            image::load_from_memory(&png).unwrap()
        );

        // WebP with EXIF and XMP chunks in an extended file.
        let webp = encoded(image::ImageFormat::WebP);
        let mut image = img_parts::webp::WebP::from_bytes(webp.clone().into()).unwrap();
        img_parts::ImageEXIF::set_exif(&mut image, Some(tiff.clone().into()));
        image.chunks_mut().push(img_parts::riff::RiffChunk::new(
            *b"XMP ",
            img_parts::riff::RiffContent::Data(b"<x:xmpmeta>GPS</x:xmpmeta>".to_vec().into()),
        ));
        let with_meta = image.encoder().bytes().to_vec();
        assert!(read_exif(&with_meta).is_some());
        let cleaned = clean(&with_meta, read_exif(&with_meta).as_ref(), &[]).unwrap();
        assert!(!has(&cleaned, b"EXIF") && !has(&cleaned, b"xmpmeta"));
        assert_eq!(
            image::load_from_memory(&cleaned).unwrap(),
            image::load_from_memory(&webp).unwrap()
        );

        // GIF with a comment and an XMP application block.
        let gif = encoded(image::ImageFormat::Gif);
        let trailer = gif.len() - 1;
        let mut with_meta = gif[..trailer].to_vec();
        with_meta.extend([0x21, 0xFE, 9]);
        with_meta.extend(b"GPS 39.9N");
        with_meta.extend([0, 0x21, 0xFF, 11]);
        with_meta.extend(b"XMP DataXMP");
        with_meta.extend([6]);
        with_meta.extend(b"secret");
        with_meta.extend([0]);
        // A loop count with a sub-block after it.
        with_meta.extend([0x21, 0xFF, 11]);
        with_meta.extend(b"NETSCAPE2.0");
        with_meta.extend([3, 1, 0, 0, 6]);
        with_meta.extend(b"hidden");
        with_meta.extend([0, 0x3B]);
        let cleaned = clean(&with_meta, None, &[]).unwrap();
        assert!(!has(&cleaned, b"GPS") && !has(&cleaned, b"XMP") && !has(&cleaned, b"hidden"));
        assert!(has(&cleaned, b"NETSCAPE2.0\x03\x01\x00\x00\x00"));
        assert_eq!(
            image::load_from_memory(&cleaned).unwrap(),
            image::load_from_memory(&gif).unwrap()
        );
    }

    #[test]
    fn a_stray_byte_in_a_damaged_scan_is_kept_as_scan_data() {
        // A camera's file with 0xFF 0x9F inside its scan: decoders read past it.
        let plain = encoded(image::ImageFormat::Jpeg);
        let scan = plain.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        let length = usize::from(u16::from_be_bytes([plain[scan + 2], plain[scan + 3]]));
        let data = scan + 2 + length;
        let damaged = [&plain[..data + 1], &[0xFF, 0x9F], &plain[data + 1..]].concat();
        let cleaned = clean(&damaged, None, &[]).unwrap();
        assert_eq!(cleaned, damaged, "nothing to take out, nothing lost");
        // Stray bytes between two segments, which decoders skip, are left out.
        let stray = [&plain[..20], &[0, 0], &plain[20..]].concat();
        assert_eq!(clean(&stray, None, &[]).unwrap(), plain);
    }

    #[test]
    fn what_is_no_known_image_or_is_cut_is_refused_or_kept_whole() {
        assert_eq!(
            clean(b"plain text", None, &[]),
            Err(StripError::UnknownFormat)
        );
        // A JPEG cut inside its scan keeps what there is; one cut inside a segment's
        // length is damaged.
        let jpeg = phone_jpeg(1);
        let cut = &jpeg[..jpeg.len() / 3];
        assert!(clean(cut, None, &[]).is_ok());
        assert!(clean(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00], None, &[]).is_err());
        // Every prefix of every format is refused or cleaned, never a panic.
        for source in [
            jpeg,
            encoded(image::ImageFormat::Png),
            encoded(image::ImageFormat::WebP),
            encoded(image::ImageFormat::Gif),
        ] {
            for end in 0..source.len() {
                let _ = clean(&source[..end], None, &[]);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Whatever application segments, comments and trailers a JPEG carries, and whatever
        /// ancillary chunks a PNG carries, none of their bytes is published unless it is the
        /// colour profile, and the pixels are the same.
        #[test]
        fn no_unknown_part_survives(
            parts in proptest::collection::vec((0u8..21, proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40)), 0..6),
            chunk_names in proptest::collection::vec("[a-z][A-Za-z][A-Z][a-z]", 0..4),
            trailer in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
        ) {
            const SECRET: &[u8] = b"\x01SECRET-39.9N\x02";
            let plain = encoded(image::ImageFormat::Jpeg);
            let mut jpeg = plain[..2].to_vec();
            for (which, noise) in &parts {
                // APP0 to APP15, a comment, a JPG extension, a reserved marker, or a JFIF
                // header with a thumbnail after it.
                let (marker, prefix): (u8, &[u8]) = match which {
                    0..=15 => (0xE0 + which, b""),
                    16 => (0xFE, b""),
                    17 => (0xC8, b""),
                    18 => (0xF3, b""),
                    19 => (0x02, b""),
                    _ => (0xE0, b"JFIF\0\x01\x02\0\0\x01\0\x01\x02\x02"),
                };
                let payload = [prefix, noise.as_slice(), SECRET].concat();
                jpeg.extend([0xFF, marker]);
                jpeg.extend(((payload.len() + 2) as u16).to_be_bytes());
                jpeg.extend(payload);
            }
            jpeg.extend(&plain[2..]);
            jpeg.extend(&trailer);
            jpeg.extend(SECRET);
            let cleaned = clean(&jpeg, read_exif(&jpeg).as_ref(), &[]).unwrap();
            proptest::prop_assert!(!has(&cleaned, SECRET));
            proptest::prop_assert_eq!(
                image::load_from_memory(&cleaned).unwrap(),
                image::load_from_memory(&plain).unwrap()
            );

            let plain = encoded(image::ImageFormat::Png);
            let mut png = plain[..33].to_vec();
            // The one kept chunk the pattern can make.
            for name in chunk_names.iter().filter(|name| *name != "pHYs") {
                let kind = name.as_bytes();
                png.extend((SECRET.len() as u32).to_be_bytes());
                png.extend(kind);
                png.extend(SECRET);
                png.extend(crc32fast::hash(&[kind, SECRET].concat()).to_be_bytes());
            }
            png.extend(&plain[33..]);
            png.extend(SECRET);
            let cleaned = clean(&png, None, &[]).unwrap();
            proptest::prop_assert!(!has(&cleaned, SECRET));
            proptest::prop_assert_eq!(
                image::load_from_memory(&cleaned).unwrap(),
                image::load_from_memory(&plain).unwrap()
            );
        }
    }
}
