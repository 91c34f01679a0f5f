//! The sizes an image's copies take, how they are made, and the memory that takes.
//!
//! A copy is at most its target width and never taller or wider than WebP can encode, so a
//! long screenshot (750×20000) gets narrower copies instead of failing. Copies are made by a
//! box filter down to twice their size, then Lanczos3: as sharp as Lanczos from the
//! original, for a fraction of its time and memory.

use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, RgbImage, RgbaImage};

/// The longest side WebP can encode (its size fields hold 14 bits). JPEG allows 65,535, so
/// this bounds every copy.
pub const MAX_COPY_SIDE: u32 = 16_383;

const MIB: u64 = 1024 * 1024;
/// Bytes per pixel of the image crate's Lanczos scratch: four `f32` channels.
const SCRATCH_PER_PIXEL: u64 = 16;
/// Scratch a Lanczos resize may take in one piece; above it, it runs in strips.
const WHOLE_SCRATCH: u64 = 64 * MIB;
/// Columns per strip of the pass down the columns, and rows per strip of the pass across
/// the rows: the sizes that ran fastest on a 750×20000 screenshot.
const COLUMN_STRIP: u32 = 16;
const ROW_STRIP: u32 = 64;
/// What the JPEG and WebP encoders hold per pixel of a copy, generously.
const ENCODER_PER_PIXEL: u64 = 8;

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

/// The size a box filter brings `from` to before Lanczos makes `to` of it: twice `to`,
/// unless `from` is smaller.
fn boxed_size(from: (u32, u32), to: (u32, u32)) -> (u32, u32) {
    (
        from.0.min(to.0.saturating_mul(2)),
        from.1.min(to.1.saturating_mul(2)),
    )
}

/// An upper bound of the bytes one image's processing holds at once: the file, the decoded
/// image (counted twice: a progressive JPEG's decoder keeps as much again in coefficients),
/// its boxed RGB copy, the Lanczos scratch, the largest copy turned upright, and the
/// encoders' buffers. `stored` is the decoded size, `largest` the largest copy in the same
/// frame.
pub fn working_bytes(file: u64, decoded: u64, stored: (u32, u32), largest: (u32, u32)) -> u64 {
    let pixels = |(w, h): (u32, u32)| u64::from(w) * u64::from(h);
    let boxed = boxed_size(stored, largest);
    let rgb_boxed = 3 * pixels(boxed);
    let decoded_per_pixel = decoded.div_ceil(pixels(stored).max(1));
    let boxing = decoded_per_pixel * pixels(boxed) + rgb_boxed;
    let copy = pixels(largest);
    file + 2 * decoded + boxing + lanczos_scratch(boxed, largest) + (6 + ENCODER_PER_PIXEL) * copy
}

/// The scratch the image crate's resize takes in one piece: four `f32` channels over the
/// source's width by the result's height.
fn whole_scratch(from: (u32, u32), to: (u32, u32)) -> u64 {
    SCRATCH_PER_PIXEL * u64::from(from.0) * u64::from(to.1)
}

/// The scratch [`lanczos`] takes beyond its source and result.
fn lanczos_scratch(from: (u32, u32), to: (u32, u32)) -> u64 {
    if whole_scratch(from, to) <= WHOLE_SCRATCH {
        whole_scratch(from, to)
    } else {
        // A strip's scratch, and the image after the pass down the columns.
        SCRATCH_PER_PIXEL
            * (u64::from(COLUMN_STRIP) * u64::from(to.1))
                .max(u64::from(ROW_STRIP) * u64::from(from.0))
            + 3 * u64::from(from.0) * u64::from(to.1)
    }
}

// Copies are made with `DynamicImage`'s own methods: the image crate's generic functions
// would be compiled with herald, unoptimised in a debug build and some fifty times slower.

/// The first copy of a decoded image, in RGB, or RGBA when the image has an alpha channel:
/// boxed while still in its decoded form, so the full image is never converted, then
/// finished by Lanczos. Takes the image so that it is freed as soon as it is boxed.
pub fn first_copy(image: DynamicImage, size: (u32, u32)) -> DynamicImage {
    let boxed = boxed_size(image.dimensions(), size);
    let boxed = if boxed == image.dimensions() {
        image
    } else {
        image.thumbnail_exact(boxed.0, boxed.1)
    };
    let eight_bit = if boxed.color().has_alpha() {
        DynamicImage::ImageRgba8(boxed.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(boxed.into_rgb8())
    };
    if eight_bit.dimensions() == size {
        eight_bit
    } else {
        lanczos(&eight_bit, size)
    }
}

/// A smaller copy made from a larger one, of the same pixel type.
pub fn smaller_copy(source: &DynamicImage, size: (u32, u32)) -> DynamicImage {
    let boxed = boxed_size(source.dimensions(), size);
    if boxed == source.dimensions() {
        lanczos(source, size)
    } else {
        lanczos(&source.thumbnail_exact(boxed.0, boxed.1), size)
    }
}

/// Lanczos3 to `size`. The image crate's resize scratch is hundreds of MB for a tall copy
/// of a long image, so above [`WHOLE_SCRATCH`] it runs one axis at a time over strips:
/// each strip's pass is exactly the whole image's, as the other axis keeps its size.
fn lanczos(source: &DynamicImage, size: (u32, u32)) -> DynamicImage {
    if whole_scratch(source.dimensions(), size) <= WHOLE_SCRATCH {
        source.resize_exact(size.0, size.1, FilterType::Lanczos3)
    } else {
        lanczos_in_strips(source, size)
    }
}

/// RGB, or RGBA when `source` has an alpha channel.
fn lanczos_in_strips(source: &DynamicImage, (width, height): (u32, u32)) -> DynamicImage {
    let alpha = source.color().has_alpha();
    let channels = if alpha { 4 } else { 3 };
    let bytes = |part: DynamicImage| {
        if alpha {
            part.into_rgba8().into_raw()
        } else {
            part.into_rgb8().into_raw()
        }
    };
    let image = |width: u32, height: u32, raw: Vec<u8>| {
        // The buffers are made below at exactly width × height × channels.
        if alpha {
            RgbaImage::from_raw(width, height, raw).map(DynamicImage::ImageRgba8)
        } else {
            RgbImage::from_raw(width, height, raw).map(DynamicImage::ImageRgb8)
        }
        .expect("a buffer of the image's size")
    };
    let mut down = vec![0; channels * source.width() as usize * height as usize];
    for x in (0..source.width()).step_by(COLUMN_STRIP as usize) {
        let strip = COLUMN_STRIP.min(source.width() - x);
        let part = source.crop_imm(x, 0, strip, source.height()).resize_exact(
            strip,
            height,
            FilterType::Lanczos3,
        );
        paste(
            &mut down,
            source.width(),
            &bytes(part),
            strip,
            channels,
            (x, 0),
        );
    }
    let down = image(source.width(), height, down);
    let mut out = vec![0; channels * width as usize * height as usize];
    for y in (0..height).step_by(ROW_STRIP as usize) {
        let strip = ROW_STRIP.min(height - y);
        let part = down.crop_imm(0, y, down.width(), strip).resize_exact(
            width,
            strip,
            FilterType::Lanczos3,
        );
        paste(&mut out, width, &bytes(part), width, channels, (0, y));
    }
    image(width, height, out)
}

/// Copies the pixels of `part`, `part_width` wide, into those of an image `width` wide,
/// with its top left corner at `x`, `y`, a row at a time.
fn paste(
    into: &mut [u8],
    width: u32,
    part: &[u8],
    part_width: u32,
    channels: usize,
    (x, y): (u32, u32),
) {
    let row = channels * part_width as usize;
    let stride = channels * width as usize;
    for (index, line) in part.chunks_exact(row).enumerate() {
        let start = (y as usize + index) * stride + channels * x as usize;
        into[start..start + row].copy_from_slice(line);
    }
}

#[cfg(test)]
mod tests {
    use image::buffer::ConvertBuffer;
    use image::{DynamicImage, Rgb, RgbImage};
    use proptest::prelude::*;

    use super::{MAX_COPY_SIDE, copy_sizes, first_copy, fit, lanczos_in_strips, smaller_copy};

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
    fn a_long_screenshot_gets_copies_within_webp() {
        assert_eq!(
            copy_sizes(750, 20_000, &[480, 1600]),
            vec![(480, 12_800), (614, 16_383)]
        );
        assert_eq!(
            copy_sizes(20_000, 750, &[480, 1600]),
            vec![(480, 18), (1600, 60)]
        );
        assert_eq!(copy_sizes(40, 20, &[480, 1600]), vec![(40, 20)]);
        assert_eq!(copy_sizes(1, 65_535, &[480, 1600]), vec![(1, 16_383)]);
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
    fn strips_give_the_whole_image_resize() {
        // Many strips each way, the last ones short.
        let source = waves(300, 400);
        let whole =
            image::imageops::resize(&source, 97, 260, image::imageops::FilterType::Lanczos3);
        let strips =
            lanczos_in_strips(&DynamicImage::ImageRgb8(source.clone()), (97, 260)).into_rgb8();
        let most = whole
            .as_raw()
            .iter()
            .zip(strips.as_raw())
            .map(|(a, b)| a.abs_diff(*b))
            .max();
        // Only the rounding between the two passes differs.
        assert!(most <= Some(1), "{most:?}");
    }

    #[test]
    fn copies_come_out_at_their_size() {
        let first = first_copy(DynamicImage::ImageRgb8(waves(500, 40)), (120, 10));
        assert_eq!(first.as_rgb8().unwrap().dimensions(), (120, 10));
        assert_eq!(
            smaller_copy(&first, (30, 3))
                .as_rgb8()
                .unwrap()
                .dimensions(),
            (30, 3)
        );
        let own = first_copy(DynamicImage::ImageRgb16(waves(50, 40).convert()), (50, 40));
        assert_eq!(
            own.as_rgb8(),
            Some(&waves(50, 40)),
            "the original, in 8-bit RGB"
        );
        let clear = first_copy(
            DynamicImage::ImageRgba8(waves(500, 40).convert()),
            (120, 10),
        );
        assert_eq!(clear.color(), image::ColorType::Rgba8, "alpha kept");
        let smaller = smaller_copy(&clear, (30, 3));
        assert_eq!(smaller.color(), image::ColorType::Rgba8, "alpha kept");
        let long = DynamicImage::ImageRgba8(waves(300, 400).convert());
        let strips = lanczos_in_strips(&long, (97, 260));
        assert_eq!(
            strips.color(),
            image::ColorType::Rgba8,
            "alpha kept in strips"
        );
    }
}
