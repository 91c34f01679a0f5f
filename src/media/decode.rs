//! JPEGs decoded at a fraction of their size. A JPEG stores 8×8 blocks of frequencies, so
//! it decodes at 1/2, 1/4 or 1/8 of its size by reading fewer of them: a phone photo whose
//! largest copy is 1600 wide decodes at 2016×1512, a quarter of the pixels, in less time
//! and memory, and as sharp as a box filter over the full decode.

use image::{DynamicImage, GrayImage, RgbImage};
use jpeg_decoder::{CodingProcess, Decoder, PixelFormat};

use super::size;

/// The fractions, in eighths, a JPEG decodes at below its full size.
const EIGHTHS: [u32; 3] = [1, 2, 4];

/// A JPEG whose header has been read, to be decoded at a smaller size.
pub struct ScaledJpeg<'a> {
    decoder: Decoder<&'a [u8]>,
    /// The size it decodes at.
    pub size: (u32, u32),
    /// The part of that the picture covers: its last blocks may be cut short.
    picture: (f64, f64),
    /// Colour components stored: 1 (grey), 3 (YCbCr or RGB) or 4 (CMYK or YCCK).
    components: u64,
    /// The bytes a progressive JPEG's frequencies take while decoding, at full size.
    coefficient_bytes: u64,
}

impl<'a> ScaledJpeg<'a> {
    /// The smallest size `bytes` decodes at that is still at least `at_least` both ways, or
    /// `None` when that is the full size or this decoder does not take the JPEG: the usual
    /// decoder does those. `limit` caps the decoder's output buffer.
    pub fn plan(bytes: &'a [u8], at_least: (u32, u32), limit: u64) -> Option<ScaledJpeg<'a>> {
        let mut decoder = Decoder::new(bytes);
        decoder.set_max_decoding_buffer_size(usize::try_from(limit).unwrap_or(usize::MAX));
        decoder.read_info().ok()?;
        let info = decoder.info()?;
        let components = match info.pixel_format {
            PixelFormat::L8 => 1,
            PixelFormat::RGB24 => 3,
            PixelFormat::CMYK32 => 4,
            // Twelve-bit JPEGs are rare enough to leave to the usual decoder.
            _ => return None,
        };
        let progressive = match info.coding_process {
            CodingProcess::DctSequential => false,
            CodingProcess::DctProgressive => true,
            _ => return None,
        };
        let full = (u32::from(info.width), u32::from(info.height));
        let scaled = |eighths: u32| {
            (
                (full.0 * eighths).div_ceil(8).max(1),
                (full.1 * eighths).div_ceil(8).max(1),
            )
        };
        let eighths = EIGHTHS.into_iter().find(|eighths| {
            let (w, h) = scaled(*eighths);
            w >= at_least.0 && h >= at_least.1
        })?;
        let size = scaled(eighths);
        let fraction = f64::from(eighths) / 8.0;
        let picture = (f64::from(full.0) * fraction, f64::from(full.1) * fraction);
        // The decoder picks its scale from the size asked for; take it only if it is ours.
        let given = decoder.scale(size.0 as u16, size.1 as u16).ok()?;
        if (u32::from(given.0), u32::from(given.1)) != size {
            return None;
        }
        // Blocks of 8×8, whole MCUs of up to 16×16 pixels, two bytes a frequency.
        let padded = |side: u32| u64::from(side.next_multiple_of(16));
        let coefficient_bytes = if progressive {
            2 * components * padded(full.0) * padded(full.1)
        } else {
            0
        };
        Some(ScaledJpeg {
            decoder,
            size,
            picture,
            components,
            coefficient_bytes,
        })
    }

    /// An upper bound of the bytes one image's processing holds at once, as
    /// [`size::working_bytes`], when it is decoded this way: beside its output the decoder
    /// holds the frequencies of a progressive JPEG at full size, a plane per component and
    /// the interleaved pixels, and CMYK pixels become RGB in a copy.
    pub fn working_bytes(&self, file: u64, largest: (u32, u32)) -> u64 {
        let pixels = u64::from(self.size.0.next_multiple_of(16))
            * u64::from(self.size.1.next_multiple_of(16));
        let output_per_pixel = if self.components == 1 { 1 } else { 3 };
        let beside = self.coefficient_bytes + 2 * self.components * pixels;
        let decoded = size::Decoded {
            bytes: output_per_pixel * pixels,
            size: self.size,
            alpha: false,
        };
        size::working_bytes(file, beside, &decoded, largest)
    }

    /// The pixels, in grey or RGB as the usual decoder gives them, and the part of them the
    /// picture covers (see [`size::first_copy`]); `None` when decoding fails or panics, so
    /// that the usual decoder can try.
    pub fn decode(mut self) -> Option<(DynamicImage, (f64, f64))> {
        let (width, height) = self.size;
        let pixels =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.decoder.decode()))
                .ok()?
                .ok()?;
        let image = match self.components {
            1 => DynamicImage::ImageLuma8(GrayImage::from_raw(width, height, pixels)?),
            3 => DynamicImage::ImageRgb8(RgbImage::from_raw(width, height, pixels)?),
            _ => DynamicImage::ImageRgb8(RgbImage::from_raw(width, height, rgb_of_cmyk(&pixels))?),
        };
        Some((image, self.picture))
    }
}

/// RGB of the CMYK (or YCCK turned CMYK) pixels this decoder gives, the way the usual
/// decoder (zune-jpeg) makes them, so an image looks the same by either path. This decoder
/// gives each ink inverted from how Adobe stores it; RGB is the stored ink times the
/// stored black, in 8 bits.
fn rgb_of_cmyk(cmyk: &[u8]) -> Vec<u8> {
    let times = |a: u8, b: u8| {
        let product = u32::from(a) * u32::from(b) + 128;
        ((product + (product >> 8)) >> 8) as u8
    };
    let mut rgb = Vec::with_capacity(cmyk.len() / 4 * 3);
    for pixel in cmyk.chunks_exact(4) {
        let black = 255 - pixel[3];
        rgb.extend(pixel[..3].iter().map(|ink| times(255 - ink, black)));
    }
    rgb
}

#[cfg(test)]
mod tests {
    use image::{DynamicImage, GenericImageView};
    use jpeg_encoder::{ColorType, Encoder};

    use super::ScaledJpeg;
    use crate::media::size;

    const LIMIT: u64 = 1 << 30;

    /// Smooth waves in `channels` bytes a pixel, different in each channel, with a hard edge
    /// down the middle, so a misplaced row, column or channel would show.
    fn waves(width: u16, height: u16, channels: usize) -> Vec<u8> {
        let mut pixels = Vec::new();
        for y in 0..height {
            for x in 0..width {
                let (fx, fy) = (f64::from(x), f64::from(y));
                let edge = if x < width / 2 { 0.0 } else { 60.0 };
                for channel in 0..channels {
                    let period = 17.0 + 9.0 * channel as f64;
                    let wave = 100.0 + 60.0 * (fx / period).sin() * (fy / (period - 5.0)).cos();
                    pixels.push((wave + edge) as u8);
                }
            }
        }
        pixels
    }

    fn image_crates_jpeg(width: u32, height: u32) -> Vec<u8> {
        let rgb = image::RgbImage::from_raw(width, height, waves(width as u16, height as u16, 3));
        let mut jpeg = Vec::new();
        DynamicImage::ImageRgb8(rgb.unwrap())
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        jpeg
    }

    fn encoded(
        color: ColorType,
        channels: usize,
        setup: impl FnOnce(&mut Encoder<&mut Vec<u8>>),
    ) -> Vec<u8> {
        let (width, height) = (208, 152);
        let mut jpeg = Vec::new();
        let mut encoder = Encoder::new(&mut jpeg, 95);
        setup(&mut encoder);
        encoder
            .encode(&waves(width, height, channels), width, height, color)
            .unwrap();
        jpeg
    }

    /// Decodes `jpeg` scaled to cover `at_least`, and checks it against the usual decoder's
    /// full image brought to the same size: the same picture, in the same colours.
    fn matches_the_full_decode(jpeg: &[u8], at_least: (u32, u32), expected_size: (u32, u32)) {
        let plan = ScaledJpeg::plan(jpeg, at_least, LIMIT).expect("decodes scaled");
        assert_eq!(plan.size, expected_size);
        assert!(plan.working_bytes(0, at_least) > 0);
        let (scaled, picture) = plan.decode().expect("decodes");
        let whole = (f64::from(expected_size.0), f64::from(expected_size.1));
        assert_eq!(picture, whole, "sides of whole blocks");
        let full = image::load_from_memory(jpeg).unwrap();
        assert_eq!(scaled.color(), full.color(), "the usual decoder's form");
        // Each pixel the mean of a block, as an eighth of a block's frequencies give.
        let reference = full.thumbnail_exact(expected_size.0, expected_size.1);
        assert_eq!(scaled.dimensions(), reference.dimensions());
        let (mean, most) = size::differences(scaled.as_bytes(), reference.as_bytes());
        // Two filters of the same size differ a little, most at the hard edge.
        assert!(mean < 1.5, "mean difference {mean}");
        assert!(most < 40, "largest difference {most}");
    }

    #[test]
    fn a_baseline_jpeg_decodes_at_a_half_a_quarter_and_an_eighth() {
        let jpeg = image_crates_jpeg(208, 152);
        matches_the_full_decode(&jpeg, (100, 75), (104, 76));
        matches_the_full_decode(&jpeg, (50, 30), (52, 38));
        matches_the_full_decode(&jpeg, (20, 10), (26, 19));
    }

    #[test]
    fn progressive_grey_and_restart_markers_decode_scaled() {
        let progressive = encoded(ColorType::Rgb, 3, |e| e.set_progressive(true));
        matches_the_full_decode(&progressive, (50, 30), (52, 38));
        let grey = encoded(ColorType::Luma, 1, |_| {});
        matches_the_full_decode(&grey, (50, 30), (52, 38));
        let restarts = encoded(ColorType::Rgb, 3, |e| e.set_restart_interval(2));
        assert!(
            restarts.windows(2).any(|m| m == [0xFF, 0xD0]),
            "has restart markers"
        );
        matches_the_full_decode(&restarts, (100, 50), (104, 76));
    }

    #[test]
    fn cmyk_and_ycck_come_out_in_the_usual_decoders_colours() {
        let cmyk = encoded(ColorType::Cmyk, 4, |_| {});
        matches_the_full_decode(&cmyk, (50, 30), (52, 38));
        let ycck = encoded(ColorType::CmykAsYcck, 4, |_| {});
        matches_the_full_decode(&ycck, (50, 30), (52, 38));
        let progressive = encoded(ColorType::Cmyk, 4, |e| e.set_progressive(true));
        matches_the_full_decode(&progressive, (100, 75), (104, 76));
    }

    #[test]
    fn the_full_size_and_other_images_are_left_to_the_usual_decoder() {
        let jpeg = encoded(ColorType::Rgb, 3, |_| {});
        assert!(
            ScaledJpeg::plan(&jpeg, (105, 76), LIMIT).is_none(),
            "a half is too small"
        );
        assert!(ScaledJpeg::plan(&jpeg, (208, 152), LIMIT).is_none());
        assert!(ScaledJpeg::plan(b"not a jpeg", (1, 1), LIMIT).is_none());
        let mut png = Vec::new();
        DynamicImage::new_rgb8(64, 64)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert!(ScaledJpeg::plan(&png, (1, 1), LIMIT).is_none());
    }

    #[test]
    fn a_broken_jpeg_gives_way_to_the_usual_decoder() {
        let mut jpeg = encoded(ColorType::Rgb, 3, |_| {});
        jpeg.truncate(jpeg.len() / 3);
        // The header is whole, so it plans; the pixels are not, so it gives up.
        let plan = ScaledJpeg::plan(&jpeg, (50, 30), LIMIT).expect("the header reads");
        assert!(plan.decode().is_none());
    }

    #[test]
    fn a_progressive_jpeg_reserves_its_full_size_frequencies() {
        let baseline = encoded(ColorType::Rgb, 3, |_| {});
        let progressive = encoded(ColorType::Rgb, 3, |e| e.set_progressive(true));
        let bytes = |jpeg: &[u8]| {
            let plan = ScaledJpeg::plan(jpeg, (20, 10), LIMIT).unwrap();
            plan.working_bytes(0, (20, 15))
        };
        // Three components of 208×160 (whole MCUs), two bytes each.
        assert!(bytes(&progressive) >= bytes(&baseline) + 2 * 3 * 208 * 160);
    }

    #[test]
    fn blocks_cut_short_are_left_out_of_the_copy() {
        // 203×150 at an eighth: 26×19 pixels, of which the picture covers 25.375×18.75.
        let jpeg = image_crates_jpeg(203, 150);
        let (scaled, picture) = ScaledJpeg::plan(&jpeg, (20, 10), LIMIT)
            .and_then(ScaledJpeg::decode)
            .unwrap();
        assert_eq!(scaled.dimensions(), (26, 19));
        assert_eq!(picture, (25.375, 18.75));
        let ours = size::first_copy(scaled, picture, (20, 15));
        let full = image::load_from_memory(&jpeg).unwrap();
        let theirs = size::first_copy(full, (203.0, 150.0), (20, 15));
        let (mean, _) = size::differences(ours.as_bytes(), theirs.as_bytes());
        // Stretched over the padding, the picture would be off by most of a pixel at the
        // right and bottom, where the hard edge and the waves are.
        assert!(mean < 2.0, "mean difference {mean}");
    }
}
