//! Writing an image's copies: each size made from the one before, turned upright, encoded
//! in the formats of its look and written into the cache.

use std::path::Path;

use image::{DynamicImage, GenericImageView, ImageEncoder};

use super::failure::{EncodeError, VariantError};
use super::look::{Look, has_transparency};
use super::size;
use super::{JPEG_QUALITY, WEBP_QUALITY};
use crate::fsio;

/// The size in the stored frame of an image of an upright `size`: orientations 5 to 8
/// turn the image a quarter, so its upright width is its stored height.
pub fn stored_size(orientation: u32, (width, height): (u32, u32)) -> (u32, u32) {
    if (5..=8).contains(&orientation) {
        (height, width)
    } else {
        (width, height)
    }
}

/// Writes the copies of a decoded image at each upright size, largest first, each made
/// from the one before; says which formats they are in.
pub fn write_copies(
    image: DynamicImage,
    picture: (f64, f64),
    orientation: u32,
    sizes: &[(u32, u32)],
    cache: &Path,
    key: &str,
) -> Result<Look, VariantError> {
    let look = Look::of_still(has_transparency(&image), sizes);
    let largest = stored_size(orientation, *sizes.last().unwrap_or(&image.dimensions()));
    let mut previous = size::first_copy(image, picture, largest);
    for (index, size) in sizes.iter().enumerate().rev() {
        if index + 1 < sizes.len() {
            previous = size::smaller_copy(&previous, stored_size(orientation, *size));
        }
        write_copy(&previous, orientation, look, cache, key)?;
    }
    Ok(look)
}

/// Turns a copy (RGB, or RGBA when its source has an alpha channel) upright and writes it
/// into the cache in the formats of its look.
fn write_copy(
    copy: &DynamicImage,
    orientation: u32,
    look: Look,
    cache: &Path,
    key: &str,
) -> Result<(), VariantError> {
    let turned = upright(copy, orientation);
    let copy = turned.as_ref().unwrap_or(copy);
    let (w, h) = (copy.width(), copy.height());
    // An alpha channel that is opaque throughout is dropped here, at the copy's size.
    let converted;
    let (pixels, channels) = match (look.keeps_alpha(), copy) {
        (true, DynamicImage::ImageRgba8(rgba)) => (rgba.as_raw(), 4),
        (false, DynamicImage::ImageRgb8(rgb)) => (rgb.as_raw(), 3),
        (true, other) => {
            converted = other.to_rgba8().into_raw();
            (&converted, 4)
        }
        (false, other) => {
            converted = other.to_rgb8().into_raw();
            (&converted, 3)
        }
    };
    for &(ext, format) in look.formats() {
        let bytes = match format {
            "jpeg" => {
                let mut jpeg = Vec::new();
                // Chroma at half size each way (4:2:0), as cameras and Hugo write photos.
                jpeg_encoder::Encoder::new(&mut jpeg, JPEG_QUALITY)
                    .encode(pixels, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
                    .map_err(|error| VariantError::Encode(error.into()))?;
                jpeg
            }
            "png" => {
                let mut png = Vec::new();
                image::codecs::png::PngEncoder::new(&mut png)
                    .write_image(pixels, w, h, image::ExtendedColorType::Rgba8)
                    .map_err(|error| VariantError::Encode(error.into()))?;
                png
            }
            _ => {
                let encoder = if channels == 4 {
                    webp::Encoder::from_rgba(pixels, w, h)
                } else {
                    webp::Encoder::from_rgb(pixels, w, h)
                };
                encoder
                    .encode_simple(false, WEBP_QUALITY)
                    .map_err(|error| VariantError::Encode(EncodeError::WebP(error)))?
                    .to_vec()
            }
        };
        fsio::write(&cache.join(format!("{key}-{w}w.{ext}")), &bytes)
            .map_err(VariantError::Cache)?;
    }
    Ok(())
}

/// Applies an EXIF orientation (1–8); `None` when the image is upright already.
pub fn upright(image: &DynamicImage, orientation: u32) -> Option<DynamicImage> {
    Some(match orientation {
        2 => image.fliph(),
        3 => image.rotate180(),
        4 => image.flipv(),
        5 => image.rotate90().fliph(),
        6 => image.rotate90(),
        7 => image.rotate270().fliph(),
        8 => image.rotate270(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;
    use std::path::Path;

    use image::{DynamicImage, RgbImage};

    use super::{upright, write_copy};
    use crate::error::{ErrorKind, Lang};
    use crate::media::failure::{EncodeError, VariantError};
    use crate::media::look::Look;

    #[test]
    fn orientation_turns_the_image_upright() {
        let image = DynamicImage::ImageRgb8(RgbImage::from_fn(40, 20, |x, _| {
            image::Rgb([x as u8, 0, 0])
        }));
        let turned = upright(&image, 6).unwrap().into_rgb8();
        assert_eq!(turned.dimensions(), (20, 40));
        assert_eq!(turned.get_pixel(0, 0)[0], 0, "a quarter turn clockwise");
        assert_eq!(
            upright(&image, 3).unwrap().into_rgb8().get_pixel(0, 0)[0],
            39
        );
        assert_eq!(upright(&image, 5).unwrap().width(), 20);
        assert!(upright(&image, 1).is_none());
    }

    #[test]
    fn a_copy_an_encoder_refuses_is_reported_as_such_not_as_a_damaged_image() {
        let cache = tempfile::tempdir().unwrap();
        // Wider than WebP's sides can hold, which the look should have ruled out.
        let wide = DynamicImage::ImageRgb8(RgbImage::new(17_000, 1));
        let failure = write_copy(&wide, 1, Look::Opaque, cache.path(), "w").unwrap_err();
        assert!(
            matches!(failure, VariantError::Encode(EncodeError::WebP(_))),
            "{failure:?}"
        );
        assert!(
            cache.path().join("w-17000w.jpg").exists(),
            "JPEG goes first"
        );
        let error = failure.into_error(Path::new("content/a.jpg"));
        assert!(matches!(error.kind, ErrorKind::ImageEncoding { .. }));
        assert!(error.source().is_some(), "the encoder's error is kept");
        let report = error.report(Lang::En);
        assert!(
            report.starts_with("error: content/a.jpg: encoding a WebP copy of this image failed"),
            "{report}"
        );
        assert!(report.contains("VP8_ENC_ERROR_BAD_DIMENSION"), "{report}");
        assert!(!report.contains("cannot be read"), "{report}");
        assert!(error.report(Lang::Zh).contains("WebP 副本时出错"));
    }

    #[test]
    fn a_copy_the_cache_cannot_take_names_the_cache_file_not_the_photo() {
        let folder = tempfile::tempdir().unwrap();
        let cache = folder.path().join("images");
        std::fs::write(&cache, "a file where the cache's folder should be").unwrap();
        let small = DynamicImage::ImageRgb8(RgbImage::new(4, 4));
        let failure = write_copy(&small, 1, Look::Opaque, &cache, "s").unwrap_err();
        let error = failure.into_error(Path::new("content/a.jpg"));
        assert!(matches!(error.kind, ErrorKind::Io { .. }), "{error:?}");
        let place = error.location.as_ref().unwrap().path.clone();
        assert!(place.starts_with(&cache), "{}", place.display());
        let cause = error.source().unwrap().downcast_ref::<std::io::Error>();
        assert!(cause.is_some(), "the system's error is kept");
        assert!(!error.report(Lang::En).contains("cannot be read"));
    }
}
