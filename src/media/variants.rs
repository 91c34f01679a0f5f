//! Making an image's copies: its EXIF read, its header checked against the limits, its
//! pixels decoded within the memory budget (a JPEG at a fraction of its size when that
//! covers its largest copy), and the copies handed on to be written.

use std::path::Path;

use chrono::NaiveDate;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::cache::Processed;
use super::copies::{stored_size, write_copies};
use super::decode::ScaledJpeg;
use super::failure::{Unreadable, VariantError};
#[cfg(feature = "heif")]
use super::heif;
use super::look::{Look, cut_short, is_animated};
use super::size::{self, copy_sizes};
use super::{DECODE_LIMIT_BYTES, IMAGE_MEMORY, MAX_DECODE_SIDE, WIDTHS};

/// Decodes, turns upright and writes every size in the formats its look asks for into the
/// cache; an animated image is only measured.
pub fn make_variants(bytes: &[u8], cache: &Path, key: &str) -> Result<Processed, VariantError> {
    if bytes.is_empty() {
        return Err(VariantError::Empty);
    }
    let exif = read_exif(bytes);
    let orientation = exif
        .as_ref()
        .and_then(|exif| exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY))
        .and_then(|field| field.value.get_uint(0))
        .unwrap_or(1);
    let taken = exif
        .as_ref()
        .and_then(|exif| exif.get_field(exif::Tag::DateTimeOriginal, exif::In::PRIMARY))
        .and_then(|field| match &field.value {
            exif::Value::Ascii(parts) => parts.first().and_then(|text| exif_date(text)),
            _ => None,
        });
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| VariantError::Decode(Unreadable::Decoder(e.into())))?;
    // Read by content: a PNG named `.jpg` is a PNG.
    let format = match reader.format() {
        Some(format) => format,
        #[cfg(feature = "heif")]
        None if heif::is_heif(bytes) => return heif_variants(bytes, taken, cache, key),
        None => return Err(VariantError::UnknownFormat),
    };
    if let Some(message) = cut_short(bytes, format) {
        return Err(VariantError::Truncated(Unreadable::CutShort(message)));
    }
    // The sides are checked below, from the header, so that the error can give them.
    let mut limits = Limits::default();
    limits.max_alloc = Some(DECODE_LIMIT_BYTES);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(VariantError::decoding)?;
    let (stored_width, stored_height) = decoder.dimensions();
    let needed_bytes = decoding_bytes(format, &decoder);
    let too_large = VariantError::TooLarge {
        width: stored_width,
        height: stored_height,
        needed_bytes,
    };
    if needed_bytes > DECODE_LIMIT_BYTES || stored_width.max(stored_height) > MAX_DECODE_SIDE {
        return Err(too_large);
    }
    // A GIF's screen may claim no height, and a page would show it so.
    if stored_width == 0 || stored_height == 0 {
        let fault = image::error::DecodingError::new(
            format.into(),
            format!("the picture is {stored_width}×{stored_height} pixels"),
        );
        return Err(VariantError::Decode(
            image::ImageError::Decoding(fault).into(),
        ));
    }
    // The turn is its own inverse: it also gives the upright size of the stored one.
    let (width, height) = stored_size(orientation, (stored_width, stored_height));
    let sizes = copy_sizes(width, height, &WIDTHS);
    let largest = stored_size(orientation, *sizes.last().unwrap_or(&(width, height)));
    let file = bytes.len() as u64;
    let decoded = size::Decoded {
        bytes: needed_bytes,
        size: (stored_width, stored_height),
        alpha: decoder.color_type().has_alpha(),
    };
    // A PNG decoder writes rows straight into the image; the others may hold as much again
    // beside it (a progressive JPEG's frequencies, a lossy WebP's planes, a GIF's frame).
    let beside = if format == ImageFormat::Png {
        0
    } else {
        needed_bytes
    };
    let full_size_bytes = || size::working_bytes(file, beside, &decoded, largest);
    // Telling an animation takes decoding its first frames: within the budget too.
    let animated = {
        let _memory = IMAGE_MEMORY.take(full_size_bytes());
        is_animated(bytes, format).map_err(VariantError::decoding)?
    };
    if animated {
        // Only measured: the page shows the original.
        return Ok(Processed::new(
            (stored_width, stored_height),
            taken,
            Vec::new(),
            Look::Animated,
        ));
    }
    // A JPEG decodes at the smallest eighth of its size that still covers the largest copy.
    let scaled = ScaledJpeg::plan(bytes, largest, DECODE_LIMIT_BYTES);
    let reserved = scaled
        .as_ref()
        .map(|jpeg| IMAGE_MEMORY.take(jpeg.working_bytes(file, largest)));
    let (image, picture, _memory) = match scaled.and_then(ScaledJpeg::decode) {
        Some((image, picture)) => (image, picture, reserved),
        None => {
            // Given back first: another image may be waiting for the same bytes.
            drop(reserved);
            let memory = IMAGE_MEMORY.take(full_size_bytes());
            let image = DynamicImage::from_decoder(decoder).map_err(|error| match error {
                image::ImageError::Limits(_) => too_large,
                error => VariantError::decoding(error),
            })?;
            let picture = (f64::from(stored_width), f64::from(stored_height));
            (image, picture, Some(memory))
        }
    };
    let look = write_copies(image, picture, orientation, &sizes, cache, key)?;
    Ok(Processed::new((width, height), taken, sizes, look))
}

/// The bytes decoding takes at once: the decoded image and, for a WebP without alpha, the
/// buffer of four channels a lossless one is first decoded into (image-webp 0.2), a single
/// allocation larger than the image itself.
fn decoding_bytes(format: ImageFormat, decoder: &impl ImageDecoder) -> u64 {
    let (width, height) = decoder.dimensions();
    let decoded = decoder.total_bytes();
    if format == ImageFormat::WebP && !decoder.color_type().has_alpha() {
        decoded.saturating_add(4 * u64::from(width) * u64::from(height))
    } else {
        decoded
    }
}

/// Makes the copies of a HEIC or HEIF photo. libheif has turned it upright already.
#[cfg(feature = "heif")]
fn heif_variants(
    bytes: &[u8],
    taken: Option<NaiveDate>,
    cache: &Path,
    key: &str,
) -> Result<Processed, VariantError> {
    let (width, height, needed_bytes) = heif::header(bytes)?;
    let sizes = copy_sizes(width, height, &WIDTHS);
    let largest = *sizes.last().unwrap_or(&(width, height));
    let decoded = size::Decoded {
        bytes: needed_bytes,
        size: (width, height),
        alpha: true,
    };
    let _memory = IMAGE_MEMORY.take(size::working_bytes(
        bytes.len() as u64,
        needed_bytes,
        &decoded,
        largest,
    ));
    let image = heif::decode(bytes)?;
    let picture = (f64::from(width), f64::from(height));
    let look = write_copies(image, picture, 1, &sizes, cache, key)?;
    Ok(Processed::new((width, height), taken, sizes, look))
}

/// `2013:03:12 09:30:00` → 2013-03-12.
pub fn exif_date(text: &[u8]) -> Option<NaiveDate> {
    let text = std::str::from_utf8(text).ok()?;
    NaiveDate::parse_from_str(text.get(..10)?, "%Y:%m:%d").ok()
}

/// The image's EXIF, when it has one that reads.
pub fn read_exif(bytes: &[u8]) -> Option<exif::Exif> {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .ok()
}

#[cfg(test)]
mod tests {
    use image::{DynamicImage, RgbImage, RgbaImage};

    use super::{exif_date, make_variants};
    use crate::media::failure::VariantError;
    use crate::media::look::Look;

    /// A JPEG of 40×20 pixels whose EXIF says: rotate 90° to show it, taken 2013-03-12.
    fn rotated_jpeg_with_date() -> Vec<u8> {
        rotated_with_date(RgbImage::new(40, 20))
    }

    /// `image` as a JPEG whose EXIF says: rotate 90° to show it, taken 2013-03-12.
    fn rotated_with_date(image: RgbImage) -> Vec<u8> {
        let mut jpeg = Vec::new();
        DynamicImage::ImageRgb8(image)
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        let mut tiff: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
        tiff.extend([0, 2]); // IFD0: two entries
        tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]); // Orientation = 6
        tiff.extend([0x87, 0x69, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]); // Exif IFD at 38
        tiff.extend([0, 0, 0, 0]);
        tiff.extend([0, 1]); // Exif IFD: one entry
        tiff.extend([0x90, 0x03, 0, 2, 0, 0, 0, 20, 0, 0, 0, 56]); // DateTimeOriginal at 56
        tiff.extend([0, 0, 0, 0]);
        tiff.extend(b"2013:03:12 09:30:00\0");
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(&tiff);
        let length = (app1.len() + 2) as u16;
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
        out.extend(length.to_be_bytes());
        out.extend(app1);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn exif_orientation_and_date_taken_are_applied() {
        let cache = tempfile::tempdir().unwrap();
        let processed = make_variants(&rotated_jpeg_with_date(), cache.path(), "k").unwrap();
        assert_eq!(
            (processed.width, processed.height),
            (20, 40),
            "turned upright"
        );
        assert_eq!(processed.taken.unwrap().to_string(), "2013-03-12");
        assert_eq!(processed.sizes, vec![(20, 40)], "never upscaled");
        let webp = std::fs::read(cache.path().join("k-20w.webp")).unwrap();
        assert_eq!(&webp[..4], b"RIFF");
        let jpeg = image::open(cache.path().join("k-20w.jpg")).unwrap();
        assert_eq!((jpeg.width(), jpeg.height()), (20, 40));
    }

    #[test]
    fn a_turned_photo_decoded_at_half_size_comes_out_upright() {
        let cache = tempfile::tempdir().unwrap();
        // Stored 2000×3300, dark on the left and light on the right: upright 3300×2000 with
        // the dark half on top. Its largest copy, 1600×970, is stored 970×1600: a half will do.
        let stored = RgbImage::from_fn(2000, 3300, |x, _| {
            image::Rgb(if x < 1000 {
                [20, 20, 20]
            } else {
                [230, 230, 230]
            })
        });
        let processed = make_variants(&rotated_with_date(stored), cache.path(), "p").unwrap();
        assert_eq!((processed.width, processed.height), (3300, 2000));
        assert_eq!(processed.sizes, vec![(480, 291), (1600, 970)]);
        for width in [480, 1600] {
            let copy = image::open(cache.path().join(format!("p-{width}w.jpg")))
                .unwrap()
                .into_luma8();
            let (w, h) = copy.dimensions();
            assert_eq!(w, width);
            assert!(copy.get_pixel(w / 2, h / 4)[0] < 40, "dark on top");
            assert!(copy.get_pixel(w / 2, 3 * h / 4)[0] > 210, "light below");
        }
    }

    #[test]
    fn a_file_that_is_not_an_image_is_an_error() {
        let cache = tempfile::tempdir().unwrap();
        assert!(matches!(
            make_variants(b"not an image at all", cache.path(), "k"),
            Err(VariantError::UnknownFormat)
        ));
        assert!(matches!(
            make_variants(b"", cache.path(), "e"),
            Err(VariantError::Empty)
        ));
        let mut truncated = rotated_jpeg_with_date();
        truncated.truncate(truncated.len() / 2);
        assert!(matches!(
            make_variants(&truncated, cache.path(), "t"),
            Err(VariantError::Truncated(_))
        ));
        // An animated GIF whose screen is 2060×0, found by fuzzing.
        let no_height = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fuzz/seeds/image/crash-animated-gif-of-no-height"
        ))
        .unwrap();
        match make_variants(&no_height, cache.path(), "h") {
            Err(VariantError::Decode(error)) => {
                assert!(error.to_string().contains("2060×0 pixels"), "{error}")
            }
            other => panic!("{other:?}"),
        }
        // A lossless WebP without alpha whose decoder would take a buffer of four channels
        // past the limit, found by fuzzing.
        let wide = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fuzz/seeds/image/crash-webp-scratch-past-the-limit"
        ))
        .unwrap();
        assert!(matches!(
            make_variants(&wide, cache.path(), "w"),
            Err(VariantError::TooLarge { .. })
        ));
        // A PNG signature and nothing that follows it.
        assert!(matches!(
            make_variants(
                b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x10",
                cache.path(),
                "p"
            ),
            Err(VariantError::Truncated(_))
        ));
    }

    #[test]
    fn a_long_screenshot_gets_full_width_jpeg_copies_and_no_webp() {
        let cache = tempfile::tempdir().unwrap();
        // Tall and thin enough to pass WebP's limit, small enough to be quick.
        let mut jpeg = Vec::new();
        DynamicImage::ImageRgb8(RgbImage::from_fn(40, 20_000, |x, y| {
            image::Rgb([x as u8, (y % 251) as u8, 90])
        }))
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
        let processed = make_variants(&jpeg, cache.path(), "long").unwrap();
        assert_eq!(processed.sizes, vec![(40, 20_000)]);
        assert_eq!(processed.look, Look::LongOpaque);
        let copy = image::open(cache.path().join("long-40w.jpg")).unwrap();
        assert_eq!((copy.width(), copy.height()), (40, 20_000));
        assert!(!cache.path().join("long-40w.webp").exists());
    }

    #[test]
    fn an_image_with_alpha_gets_copies() {
        let cache = tempfile::tempdir().unwrap();
        let mut png = Vec::new();
        DynamicImage::ImageRgba8(RgbaImage::from_fn(600, 300, |x, _| {
            image::Rgba([200, 40, 40, (x % 256) as u8])
        }))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
        let processed = make_variants(&png, cache.path(), "clear").unwrap();
        assert_eq!(processed.sizes, vec![(480, 240), (600, 300)]);
        let png = image::open(cache.path().join("clear-480w.png")).unwrap();
        assert_eq!((png.width(), png.height()), (480, 240));
        assert!(png.color().has_alpha(), "the transparency kept");
    }

    #[test]
    fn a_large_jpeg_is_refused_from_its_header_before_any_scaled_decode() {
        let cache = tempfile::tempdir().unwrap();
        let mut jpeg = Vec::new();
        DynamicImage::ImageRgb8(RgbImage::new(16, 16))
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        // Claim 60000×60000 in the frame header (height, then width, after the precision):
        // its copies are small enough for an eighth, yet the full size is over the limit.
        let frame = jpeg.windows(2).position(|m| m == [0xFF, 0xC0]).unwrap();
        jpeg[frame + 5..frame + 7].copy_from_slice(&60_000u16.to_be_bytes());
        jpeg[frame + 7..frame + 9].copy_from_slice(&60_000u16.to_be_bytes());
        match make_variants(&jpeg, cache.path(), "huge") {
            Err(VariantError::TooLarge {
                width: 60_000,
                height: 60_000,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_image_over_the_limit_is_refused_from_its_header() {
        let cache = tempfile::tempdir().unwrap();
        let mut png = Vec::new();
        DynamicImage::ImageRgb8(RgbImage::new(1, 1))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        // Claim 20000×20000 in the header (width and height at bytes 16..24), CRC fixed up:
        // the decoder stops at the header, before any pixel is read.
        png[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        match make_variants(&png, cache.path(), "huge") {
            Err(VariantError::TooLarge {
                width: 20_000,
                height: 20_000,
                needed_bytes: 1_200_000_000,
            }) => {}
            other => panic!("{other:?}"),
        }
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn exif_dates() {
        assert_eq!(
            exif_date(b"2013:03:12 09:30:00").unwrap().to_string(),
            "2013-03-12"
        );
        assert!(exif_date(b"garbage").is_none());
    }
}
