//! HEIC and HEIF photos, the format iPhones take, decoded by the system's libheif when
//! herald is built with the `heif` feature (Debian: `apt-get install libheif-dev`).
//! libheif turns the picture upright from the file's own transforms, so its EXIF
//! orientation must not be applied again.

use image::{DynamicImage, RgbImage, RgbaImage};
use libheif_rs::{ColorSpace, FileTypeResult, HeifContext, RgbChroma, check_file_type};

use super::failure::{Unreadable, VariantError};
use super::{DECODE_LIMIT_BYTES, MAX_DECODE_SIDE};

/// Whether the bytes are a HEIF file libheif reads.
pub fn is_heif(bytes: &[u8]) -> bool {
    check_file_type(bytes) == FileTypeResult::Supported
}

/// The size of the primary picture, upright, and the bytes decoding it takes, read from
/// the header; refused when it passes the decode limits.
pub fn header(bytes: &[u8]) -> Result<(u32, u32, u64), VariantError> {
    let context = HeifContext::read_from_bytes(bytes).map_err(bad)?;
    let handle = context.primary_image_handle().map_err(bad)?;
    let (width, height) = (handle.width(), handle.height());
    let channels = if handle.has_alpha_channel() { 4 } else { 3 };
    let needed_bytes = channels * u64::from(width) * u64::from(height);
    if needed_bytes > DECODE_LIMIT_BYTES || width.max(height) > MAX_DECODE_SIDE {
        return Err(VariantError::TooLarge {
            width,
            height,
            needed_bytes,
        });
    }
    Ok((width, height, needed_bytes))
}

/// Decodes the primary picture, upright, to 8-bit RGB or RGBA.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, VariantError> {
    let context = HeifContext::read_from_bytes(bytes).map_err(bad)?;
    let handle = context.primary_image_handle().map_err(bad)?;
    let alpha = handle.has_alpha_channel();
    let chroma = if alpha {
        RgbChroma::Rgba
    } else {
        RgbChroma::Rgb
    };
    let decoded = handle.decode(ColorSpace::Rgb(chroma), None).map_err(bad)?;
    let planes = decoded.planes();
    let plane = planes
        .interleaved
        .ok_or_else(|| VariantError::Library("libheif gave no interleaved plane"))?;
    let channels = if alpha { 4 } else { 3 };
    let row = channels * plane.width as usize;
    let mut pixels = Vec::with_capacity(row * plane.height as usize);
    for line in plane.data.chunks(plane.stride).take(plane.height as usize) {
        pixels.extend_from_slice(line.get(..row).unwrap_or(line));
    }
    let image = if alpha {
        RgbaImage::from_raw(plane.width, plane.height, pixels).map(DynamicImage::ImageRgba8)
    } else {
        RgbImage::from_raw(plane.width, plane.height, pixels).map(DynamicImage::ImageRgb8)
    };
    image.ok_or_else(|| VariantError::Library("libheif gave a short plane"))
}

fn bad(error: libheif_rs::HeifError) -> VariantError {
    VariantError::Decode(Unreadable::Heif(error))
}
