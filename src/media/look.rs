//! What an image's copies must keep: its transparency, its frames, its whole picture.

use image::codecs::gif::GifDecoder;
use image::codecs::png::PngDecoder;
use image::codecs::webp::WebPDecoder;
use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageFormat, Limits};
use serde::{Deserialize, Serialize};

use super::DECODE_LIMIT_BYTES;
use super::size::fits_webp;

/// What an image's pixels need from its copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Look {
    /// Every pixel opaque: JPEG and WebP.
    Opaque,
    /// Some pixels see-through: PNG and WebP with alpha, as JPEG has no alpha.
    Transparent,
    /// More than one frame: no copies, since a resized copy would show one frame; pages
    /// show the original. Animated WebP copies were weighed and left out: for a 30-frame
    /// 480×360 screen recording the GIF took 31 KB and lossy WebP 49 KB (a video-like clip:
    /// 2.0 MB against 0.24 MB), and resizing means holding every frame decoded.
    Animated,
    /// Opaque, with copies taller than WebP can encode (a long screenshot): JPEG only.
    LongOpaque,
    /// See-through, with copies taller than WebP can encode: PNG only.
    LongTransparent,
}

impl Look {
    /// The look of a still image's copies of these sizes.
    pub fn of_still(transparent: bool, sizes: &[(u32, u32)]) -> Look {
        match (transparent, fits_webp(sizes)) {
            (false, true) => Look::Opaque,
            (true, true) => Look::Transparent,
            (false, false) => Look::LongOpaque,
            (true, false) => Look::LongTransparent,
        }
    }

    /// The (file extension, format name) of each copy at a size.
    pub fn formats(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Look::Opaque => &[("jpg", "jpeg"), ("webp", "webp")],
            Look::Transparent => &[("png", "png"), ("webp", "webp")],
            Look::LongOpaque => &[("jpg", "jpeg")],
            Look::LongTransparent => &[("png", "png")],
            Look::Animated => &[],
        }
    }

    /// Whether the copies keep an alpha channel.
    pub fn keeps_alpha(self) -> bool {
        matches!(self, Look::Transparent | Look::LongTransparent)
    }
}

/// Whether an image has more than one frame, read from as little of it as its format
/// allows: the header for WebP and PNG, the first two frames for GIF.
pub fn is_animated(bytes: &[u8], format: ImageFormat) -> Result<bool, image::ImageError> {
    let cursor = || std::io::Cursor::new(bytes);
    Ok(match format {
        ImageFormat::Gif => {
            let mut decoder = GifDecoder::new(cursor())?;
            let mut limits = Limits::default();
            limits.max_alloc = Some(DECODE_LIMIT_BYTES);
            decoder.set_limits(limits)?;
            let mut frames = decoder.into_frames();
            frames.next().transpose()?;
            frames.next().transpose()?.is_some()
        }
        ImageFormat::WebP => WebPDecoder::new(cursor())?.has_animation(),
        ImageFormat::Png => PngDecoder::new(cursor())?.is_apng()?,
        _ => false,
    })
}

/// Whether any pixel is less than fully opaque. Screenshots are often saved with an alpha
/// channel that is opaque throughout: those are photos to JPEG like any other.
pub fn has_transparency(image: &DynamicImage) -> bool {
    match image {
        DynamicImage::ImageLumaA8(pixels) => pixels.pixels().any(|pixel| pixel[1] < u8::MAX),
        DynamicImage::ImageRgba8(pixels) => pixels.pixels().any(|pixel| pixel[3] < u8::MAX),
        DynamicImage::ImageLumaA16(pixels) => pixels.pixels().any(|pixel| pixel[1] < u16::MAX),
        DynamicImage::ImageRgba16(pixels) => pixels.pixels().any(|pixel| pixel[3] < u16::MAX),
        DynamicImage::ImageRgba32F(pixels) => pixels.pixels().any(|pixel| pixel[3] < 1.0),
        // No alpha channel.
        _ => false,
    }
}

/// What says a file stops before the image it starts ends, for the formats whose decoders
/// do not tell: the JPEG decoder fills a missing end with grey, the WebP decoder calls it
/// corrupt.
pub fn cut_short(bytes: &[u8], format: ImageFormat) -> Option<&'static str> {
    match format {
        ImageFormat::Jpeg if jpeg_cut_short(bytes) => {
            Some("the JPEG data ends before its end-of-image marker")
        }
        ImageFormat::WebP if webp_cut_short(bytes) => {
            Some("the file is shorter than its RIFF header says")
        }
        _ => None,
    }
}

/// Whether a WebP file is shorter than the size its RIFF header gives.
fn webp_cut_short(bytes: &[u8]) -> bool {
    match bytes.get(4..8) {
        Some(&[a, b, c, d]) => {
            (bytes.len() as u64) < 8 + u64::from(u32::from_le_bytes([a, b, c, d]))
        }
        _ => true,
    }
}

/// Whether a JPEG stops before its end-of-image marker. Walks the markers from the start
/// and stops at the first end of image, so what follows it (the video of a phone's motion
/// photo, say) is never read; bytes that are no JPEG structure are left to the decoder.
fn jpeg_cut_short(bytes: &[u8]) -> bool {
    // After the start-of-image marker.
    let mut at = 2;
    let mut in_scan = false;
    while at + 1 < bytes.len() {
        if bytes[at] != 0xFF {
            if !in_scan {
                return false;
            }
            // Entropy-coded data: any 0xFF in it is followed by 0x00 or a marker.
            match bytes[at..].iter().position(|&byte| byte == 0xFF) {
                Some(offset) => at += offset,
                None => return true,
            }
            continue;
        }
        match bytes[at + 1] {
            // A fill byte before a marker.
            0xFF => at += 1,
            0xD9 => return false,
            // A stuffed zero or a restart marker in a scan; TEM or SOI, standing alone.
            0x00 | 0x01 | 0xD0..=0xD8 => at += 2,
            marker => {
                let Some(&[high, low]) = bytes.get(at + 2..at + 4) else {
                    return true;
                };
                at += 2 + usize::from(u16::from_be_bytes([high, low]));
                in_scan = marker == 0xDA;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use image::{DynamicImage, ImageFormat, LumaA, Rgba, RgbaImage};

    use super::{cut_short, has_transparency, jpeg_cut_short};

    fn jpeg() -> Vec<u8> {
        let mut bytes = Vec::new();
        DynamicImage::ImageRgba8(RgbaImage::from_fn(64, 48, |x, y| {
            Rgba([x as u8 * 4, y as u8 * 5, 90, 255])
        }))
        .to_rgb8()
        .write_to(&mut std::io::Cursor::new(&mut bytes), ImageFormat::Jpeg)
        .unwrap();
        bytes
    }

    #[test]
    fn a_jpeg_is_whole_up_to_its_first_end_of_image() {
        let whole = jpeg();
        assert!(!jpeg_cut_short(&whole));
        // A motion photo: a video after the picture, which may hold any bytes.
        let mut motion = whole.clone();
        motion.extend(b"\0\0\0\x18ftypmp42\xFF\xDA\0\x08");
        assert!(!jpeg_cut_short(&motion));
        for keep in [whole.len() - 2, whole.len() / 2, 30, 3] {
            assert!(jpeg_cut_short(&whole[..keep]), "cut at {keep}");
        }
        // A thumbnail in an APP1 segment ends with its own marker; the walk skips it.
        let mut with_thumbnail = whole[..2].to_vec();
        let thumbnail = [&b"Exif\0\0"[..], &whole].concat();
        with_thumbnail.extend([0xFF, 0xE1]);
        with_thumbnail.extend((thumbnail.len() as u16 + 2).to_be_bytes());
        with_thumbnail.extend(&thumbnail);
        with_thumbnail.extend(&whole[2..whole.len() / 2]);
        assert!(jpeg_cut_short(&with_thumbnail));
        assert_eq!(cut_short(&whole, ImageFormat::Jpeg), None);
    }

    #[test]
    fn a_webp_is_as_long_as_its_header_says() {
        let webp = webp::Encoder::from_rgb(&[200; 3 * 16 * 16], 16, 16).encode(80.0);
        assert_eq!(cut_short(&webp, ImageFormat::WebP), None);
        assert!(cut_short(&webp[..webp.len() - 1], ImageFormat::WebP).is_some());
        assert!(cut_short(&webp[..6], ImageFormat::WebP).is_some());
    }

    #[test]
    fn only_a_pixel_less_than_opaque_is_transparency() {
        let mut image = RgbaImage::from_pixel(8, 8, Rgba([10, 20, 30, 255]));
        assert!(!has_transparency(&DynamicImage::ImageRgba8(image.clone())));
        image.put_pixel(7, 7, Rgba([10, 20, 30, 254]));
        assert!(has_transparency(&DynamicImage::ImageRgba8(image.clone())));
        assert!(has_transparency(&DynamicImage::ImageRgba16(
            DynamicImage::ImageRgba8(image.clone()).to_rgba16()
        )));
        assert!(!has_transparency(&DynamicImage::ImageRgb8(
            DynamicImage::ImageRgba8(image).to_rgb8()
        )));
        let gray = image::ImageBuffer::from_pixel(2, 2, LumaA([9u8, 0]));
        assert!(has_transparency(&DynamicImage::ImageLumaA8(gray)));
    }
}
