//! The sizes an image's copies take, how they are made, and the memory that takes.
//!
//! A copy is at most its target width, never enlarged. A long screenshot (1080×30000) keeps
//! its copies at full width, which JPEG and PNG can encode and WebP cannot: such an image
//! gets no WebP copies (see [`fits_webp`]). Copies are made by Lanczos3 in one step, with
//! SIMD (fast_image_resize): sharper than a box filter first, and several times faster than
//! the image crate's resize.

use fast_image_resize::{FilterType, IntoImageView, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, GenericImageView};

/// The longest side of any copy: JPEG's limit (16-bit size fields), also the longest side
/// herald decodes.
pub const MAX_COPY_SIDE: u32 = 65_535;
/// The longest side WebP can encode (its size fields hold 14 bits).
pub const MAX_WEBP_SIDE: u32 = 16_383;

/// What the JPEG and WebP encoders hold per pixel of a copy, generously.
const ENCODER_PER_PIXEL: u64 = 8;
/// Bytes per pixel of a copy in RGBA, the widest form a copy takes.
const RGBA: u64 = 4;

/// The size of a copy of a `width`×`height` image: at most `target` wide and at most
/// [`MAX_COPY_SIDE`] on either side, the aspect kept, never enlarged, never empty.
pub fn fit(width: u32, height: u32, target: u32) -> (u32, u32) {
    let (w, h) = (f64::from(width), f64::from(height));
    let limit = f64::from(MAX_COPY_SIDE);
    let scale = (f64::from(target) / w)
        .min(limit / w)
        .min(limit / h)
        .min(1.0);
    if scale >= 1.0 {
        return (width, height);
    }
    let side = |length: f64, most: u32| ((length * scale).round() as u32).clamp(1, most);
    (side(w, target.min(MAX_COPY_SIDE)), side(h, MAX_COPY_SIDE))
}

/// Whether every copy of these sizes can be encoded as WebP.
pub fn fits_webp(sizes: &[(u32, u32)]) -> bool {
    sizes
        .iter()
        .all(|&(width, height)| width.max(height) <= MAX_WEBP_SIDE)
}

/// The sizes of an upright `width`×`height` image's copies for each target width, narrowest
/// first, one per distinct width.
pub fn copy_sizes(width: u32, height: u32, targets: &[u32]) -> Vec<(u32, u32)> {
    let mut sizes: Vec<(u32, u32)> = Vec::new();
    for &target in targets {
        let size = fit(width, height, target);
        if !sizes.iter().any(|(w, _)| *w == size.0) {
            sizes.push(size);
        }
    }
    sizes.sort_unstable();
    sizes
}

/// A decoded image, as [`working_bytes`] counts it.
pub struct Decoded {
    /// Its bytes.
    pub bytes: u64,
    /// Its size.
    pub size: (u32, u32),
    /// Whether it has alpha: the resize then works on a copy premultiplied by it.
    pub alpha: bool,
}

/// An upper bound of the bytes one image's processing holds at once: the file; the decoded
/// image and what the decoder holds beside it (`beside`: a progressive JPEG's frequencies,
/// say); the resize's premultiplied copy of an image with alpha and the result of its
/// first pass; then the largest copy in the decoded form and in RGB(A), a smaller copy and
/// its pass, the copy turned upright and the encoders' buffers. `largest` is the largest
/// copy in the same frame as the decoded image.
pub fn working_bytes(file: u64, beside: u64, decoded: &Decoded, largest: (u32, u32)) -> u64 {
    let pixels = |(w, h): (u32, u32)| u64::from(w) * u64::from(h);
    let stored = decoded.size;
    let per_pixel = decoded.bytes.div_ceil(pixels(stored).max(1));
    let premultiplied = if decoded.alpha { decoded.bytes } else { 0 };
    // The first pass runs down the columns for 8-bit images, across the rows for others.
    let first_pass = pixels((stored.0, largest.1)).max(pixels((largest.0, stored.1)));
    let copies = (per_pixel + 4 * RGBA + ENCODER_PER_PIXEL) * pixels(largest);
    file + beside + decoded.bytes + premultiplied + per_pixel * first_pass + copies
}

/// The first copy of a decoded image, in RGB, or RGBA when the image has alpha: resized
/// while still in its decoded form, so the full image is never converted. Takes the image
/// so that it is freed as soon as it is resized. `picture` is the part of `image` the
/// picture covers from its top left corner: all of it, but for a JPEG decoded scaled, whose
/// last column and row of pixels may be partly padding.
pub fn first_copy(image: DynamicImage, picture: (f64, f64), size: (u32, u32)) -> DynamicImage {
    let alpha = image.color().has_alpha();
    let in_rgb = |image: DynamicImage| {
        if alpha {
            DynamicImage::ImageRgba8(image.into_rgba8())
        } else {
            DynamicImage::ImageRgb8(image.into_rgb8())
        }
    };
    // The few forms the resizer does not take (none a decoder gives today) go to RGB first.
    let image = if image.pixel_type().is_some() {
        image
    } else {
        in_rgb(image)
    };
    let whole = (f64::from(image.width()), f64::from(image.height()));
    if image.dimensions() == size && picture == whole {
        in_rgb(image)
    } else {
        in_rgb(resized(&image, picture, size))
    }
}

/// A smaller copy made from a larger one, in the same form.
pub fn smaller_copy(source: &DynamicImage, size: (u32, u32)) -> DynamicImage {
    let whole = (f64::from(source.width()), f64::from(source.height()));
    resized(source, whole, size)
}

/// The `picture` part of `source` (see [`first_copy`]) by Lanczos3 to `size`, alpha weighing
/// the colours when there is alpha. Its scratch is one pass's result, in the source's form:
/// 37 MB for the largest copy of a 750×20000 screenshot.
fn resized(
    source: &DynamicImage,
    picture: (f64, f64),
    (width, height): (u32, u32),
) -> DynamicImage {
    let mut copy = DynamicImage::new(width, height, source.color());
    let lanczos = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .crop(0.0, 0.0, picture.0, picture.1);
    Resizer::new()
        .resize(source, &mut copy, &lanczos)
        // Source and copy have the same form, one the resizer takes (see `first_copy`).
        .unwrap_or_else(|error| panic!("resizing a {:?} image: {error}", source.color()));
    copy
}

/// The mean and the largest difference between two images' bytes.
#[cfg(test)]
pub fn differences(a: &[u8], b: &[u8]) -> (f64, u8) {
    assert_eq!(a.len(), b.len());
    let each = a.iter().zip(b).map(|(a, b)| a.abs_diff(*b));
    let sum: f64 = each.clone().map(f64::from).sum();
    (sum / a.len() as f64, each.max().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use image::buffer::ConvertBuffer;
    use image::{DynamicImage, Rgb, RgbImage, Rgba, RgbaImage};
    use proptest::prelude::*;

    use super::{
        Decoded, MAX_COPY_SIDE, copy_sizes, differences, first_copy, fit, fits_webp, smaller_copy,
        working_bytes,
    };
    use crate::media::IMAGE_MEMORY_BUDGET;

    const MIB: u64 = 1024 * 1024;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn every_copy_fits_every_encoder_and_keeps_the_aspect(
            width in 1u32..=65_535,
            height in 1u32..=65_535,
            target in prop::sample::select(vec![1u32, 480, 1600, 16_383, 40_000]),
        ) {
            let (w, h) = fit(width, height, target);
            prop_assert!((1..=MAX_COPY_SIDE).contains(&w), "{w}");
            prop_assert!((1..=MAX_COPY_SIDE).contains(&h), "{h}");
            prop_assert!(w <= target.max(1) && w <= width && h <= height);
            // Each side is off its exact scaled length by at most one pixel (half a pixel of
            // rounding, or the one-pixel floor of a very thin image), so the cross products
            // differ by at most the two sides.
            let skew = (u64::from(w) * u64::from(height)).abs_diff(u64::from(h) * u64::from(width));
            prop_assert!(skew <= u64::from(width) + u64::from(height), "{width}×{height} → {w}×{h}");
        }

        #[test]
        fn copies_are_as_large_as_allowed(width in 1u32..=65_535, height in 1u32..=65_535) {
            let (w, h) = fit(width, height, 1600);
            // The original, or one side at its bound: the target or the encoder's limit.
            prop_assert!(
                (w, h) == (width, height) || w == 1600 || h == MAX_COPY_SIDE,
                "{width}×{height} → {w}×{h}"
            );
        }
    }

    #[test]
    fn a_long_screenshot_keeps_its_copies_at_full_width_without_webp() {
        let long = copy_sizes(750, 20_000, &[480, 1600]);
        assert_eq!(long, vec![(480, 12_800), (750, 20_000)]);
        assert!(!fits_webp(&long), "JPEG or PNG only");
        let wide = copy_sizes(20_000, 750, &[480, 1600]);
        assert_eq!(wide, vec![(480, 18), (1600, 60)]);
        assert!(fits_webp(&wide));
        assert_eq!(copy_sizes(40, 20, &[480, 1600]), vec![(40, 20)]);
        assert_eq!(copy_sizes(1, 65_535, &[480, 1600]), vec![(1, 65_535)]);
        assert!(fits_webp(&[(16_383, 16_383)]) && !fits_webp(&[(10, 16_384)]));
    }

    /// Smooth waves that no Lanczos overshoot clips, so a misplaced strip would show.
    fn waves(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            let (x, y) = (f64::from(x), f64::from(y));
            let wave = |a: f64, b: f64| (128.0 + 100.0 * (x / a).sin() * (y / b).cos()) as u8;
            Rgb([wave(9.0, 11.0), wave(13.0, 7.0), wave(17.0, 19.0)])
        })
    }

    #[test]
    fn a_huge_image_without_alpha_leaves_room_for_a_photo_beside_it() {
        // A 12000×9000 PNG and a phone photo decoded at half its size, each reserving what
        // it may hold, both fit the budget: the photos go on while the huge one is made.
        let png = Decoded {
            bytes: 12_000 * 9_000 * 3,
            size: (12_000, 9_000),
            alpha: false,
        };
        let huge = working_bytes(3 * MIB, 0, &png, (1600, 1200));
        let half = Decoded {
            bytes: 2016 * 1512 * 3,
            size: (2016, 1512),
            alpha: false,
        };
        let photo = working_bytes(4 * MIB, 2 * 3 * 2016 * 1520, &half, (1600, 1200));
        assert!(huge + photo < IMAGE_MEMORY_BUDGET, "{huge} + {photo}");
        // With alpha, the resize's premultiplied copy counts too.
        let clear = Decoded {
            bytes: 12_000 * 9_000 * 4,
            alpha: true,
            ..png
        };
        let huge_clear = working_bytes(3 * MIB, 0, &clear, (1600, 1200));
        assert!(huge_clear >= huge + 2 * 12_000 * 9_000 * 4 - 12_000 * 9_000 * 3);
    }

    #[test]
    fn copies_match_the_image_crates_lanczos() {
        let source = waves(300, 400);
        let theirs =
            image::imageops::resize(&source, 97, 260, image::imageops::FilterType::Lanczos3);
        let ours = first_copy(DynamicImage::ImageRgb8(source), (300.0, 400.0), (97, 260));
        let ours = ours.as_rgb8().unwrap();
        let (mean, most) = differences(theirs.as_raw(), ours.as_raw());
        // The same filter; only the fixed-point arithmetic and the rounding differ.
        assert!(mean < 0.5, "{mean}");
        assert!(most <= 3, "{most}");
    }

    #[test]
    fn copies_come_out_at_their_size() {
        let first = first_copy(
            DynamicImage::ImageRgb8(waves(500, 40)),
            (500.0, 40.0),
            (120, 10),
        );
        assert_eq!(first.as_rgb8().unwrap().dimensions(), (120, 10));
        assert_eq!(
            smaller_copy(&first, (30, 3))
                .as_rgb8()
                .unwrap()
                .dimensions(),
            (30, 3)
        );
        let own = first_copy(
            DynamicImage::ImageLuma8(waves(50, 40).convert()),
            (50.0, 40.0),
            (50, 40),
        );
        assert_eq!(
            own.as_rgb8().unwrap().dimensions(),
            (50, 40),
            "the original, in RGB"
        );
        let clear: RgbaImage = waves(50, 40).convert();
        let own = first_copy(
            DynamicImage::ImageRgba8(clear.clone()),
            (50.0, 40.0),
            (50, 40),
        );
        assert_eq!(own.as_rgba8(), Some(&clear), "the original, alpha kept");
    }

    #[test]
    fn alpha_is_kept_and_weighs_the_colours() {
        // Opaque red on the left half, fully transparent green on the right.
        let source = RgbaImage::from_fn(64, 8, |x, _| {
            if x < 32 {
                Rgba([255, 0, 0, 255])
            } else {
                Rgba([0, 255, 0, 0])
            }
        });
        let first = first_copy(DynamicImage::ImageRgba8(source), (64.0, 8.0), (16, 2));
        let copy = first.as_rgba8().expect("RGBA in, RGBA out");
        assert_eq!(copy.get_pixel(0, 0).0, [255, 0, 0, 255]);
        assert_eq!(copy.get_pixel(15, 0)[3], 0, "transparent stays transparent");
        // At the border the colour is red, not a red-green mix: a transparent pixel's colour
        // does not bleed into what shows.
        let border = copy.get_pixel(8, 0);
        assert!(border[3] > 0 && border[1] < 8, "{border:?}");
        let smaller = smaller_copy(&first, (4, 1));
        assert!(
            smaller.as_rgba8().is_some(),
            "a smaller copy keeps its form"
        );
    }
}
