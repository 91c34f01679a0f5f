//! Between model and render: images. Covers and gallery photos are decoded once, turned
//! upright by their EXIF orientation, resized to a thumbnail and a web size in JPEG and
//! WebP, and cached by content hash in `.herald-cache/`, so a rebuild or a preview does
//! not redo them.
//!
//! No image can stop the build: each is processed apart, a panic in a codec becomes an
//! error naming the file, and the others go on. Memory is bounded twice: an image may take
//! at most [`DECODE_LIMIT_BYTES`] decoded, and all images in flight at most
//! [`IMAGE_MEMORY_BUDGET`], however many threads there are.

mod budget;
mod decode;
mod size;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Errors};
use crate::fsio;
use crate::load::CONTENT_DIR;
use crate::model::Site;
use crate::model::item::Detail;
use crate::model::paths::is_image;
use crate::write::CopyFile;
use budget::MemoryBudget;
use decode::ScaledJpeg;
pub use size::MAX_COPY_SIDE;
use size::copy_sizes;

/// The folder under the site root where processed images are kept.
pub const CACHE_DIR: &str = ".herald-cache/images";
/// Widths made of every image, when it is wider: a thumbnail and a web size. A copy is
/// narrower when its height would pass [`MAX_COPY_SIDE`].
pub const WIDTHS: [u32; 2] = [480, 1600];
const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: f32 = 78.0;
/// Bumped whenever the processing changes, so old cache entries are not reused.
const PIPELINE_VERSION: u32 = 3;

const MIB: u64 = 1024 * 1024;
/// The most memory one image may take decoded: a 170-megapixel JPEG, a 130-megapixel PNG
/// with transparency. A 20000×750 screenshot takes 45 MB.
pub const DECODE_LIMIT_BYTES: u64 = 512 * MIB;
/// The longest side herald decodes: JPEG's own limit.
pub const MAX_DECODE_SIDE: u32 = 65_535;
/// The memory all images being processed may hold at once, by the upper bound each one
/// reserves before it decodes: one image at the decode limit, or several phone photos.
pub const IMAGE_MEMORY_BUDGET: u64 = 1024 * MIB;
/// One budget for the whole process, so builds that run side by side in it (a preview,
/// tests) share it rather than each taking its own.
static IMAGE_MEMORY: MemoryBudget = MemoryBudget::new(IMAGE_MEMORY_BUDGET);

/// One resized copy of an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// Output path (`galleries/x/a-480w.webp`).
    pub path_url: String,
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// `jpeg` or `webp`.
    pub format: String,
}

/// What templates learn about an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageInfo {
    /// Upright width of the original.
    pub width: u32,
    /// Upright height of the original.
    pub height: u32,
    /// When the photo was taken, from EXIF.
    pub taken: Option<NaiveDate>,
    /// Resized copies, narrowest first, JPEG before WebP at each width.
    pub variants: Vec<Variant>,
}

/// Every processed image, by the output path of its original.
#[derive(Debug, Clone, Default)]
pub struct Media {
    /// Image facts by output path.
    pub images: HashMap<String, ImageInfo>,
    /// Cached files to copy into the output.
    pub copies: Vec<CopyFile>,
}

/// One image done: its output path, its facts and the cached files to copy.
type Done = (String, ImageInfo, Vec<CopyFile>);

/// What processing one image yields, as stored beside the cached files.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Processed {
    width: u32,
    height: u32,
    taken: Option<NaiveDate>,
    /// (width, height) of each resized size.
    sizes: Vec<(u32, u32)>,
}

/// Processes every image the site uses; orders list-less galleries by date taken.
pub fn process(root: &Path, site: &mut Site) -> Result<Media, Errors> {
    let cache = root.join(CACHE_DIR);
    let sources: Vec<(PathBuf, String)> = site
        .assets
        .iter()
        .filter(|copy| is_image(&copy.from))
        .map(|copy| (copy.from.clone(), copy.to.clone()))
        .collect();
    let progress = progress_bar(&cache, root, &sources);
    let results: Vec<Result<Done, Error>> = sources
        .par_iter()
        .map(|(from, to)| {
            let result = process_one(root, &cache, from, to);
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            result
        })
        .collect();
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let mut media = Media::default();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok((to, info, copies)) => {
                media.images.insert(to, info);
                media.copies.extend(copies);
            }
            // A cache that cannot be written fails every image alike: say so once.
            Err(error)
                if errors
                    .iter()
                    .any(|seen: &Error| seen.to_string() == error.to_string()) => {}
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    order_galleries(site, &media);
    Ok(media)
}

/// A gallery without a list shows its photos in the order they were taken.
fn order_galleries(site: &mut Site, media: &Media) {
    for item in &mut site.items {
        if let Detail::Gallery {
            photos,
            listed: false,
        } = &mut item.detail
        {
            photos.sort_by(|a, b| {
                let taken = |path: &str| media.images.get(path).and_then(|info| info.taken);
                // Photos with no date keep file-name order, after the dated ones.
                let key = |path: &str| (taken(path).is_none(), taken(path));
                key(&a.path_url)
                    .cmp(&key(&b.path_url))
                    .then_with(|| a.path_url.cmp(&b.path_url))
            });
        }
    }
}

/// A progress bar on a terminal when many images must be made.
fn progress_bar(
    cache: &Path,
    root: &Path,
    sources: &[(PathBuf, String)],
) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let missing = sources
        .iter()
        .filter(|(from, _)| {
            fsio::read(&root.join(CONTENT_DIR).join(from))
                .map(|bytes| !fsio::exists(&cache.join(format!("{}.json", cache_key(&bytes)))))
                .unwrap_or(false)
        })
        .count();
    (missing >= 8).then(|| {
        let bar = indicatif::ProgressBar::new(sources.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message("images");
        bar
    })
}

fn process_one(root: &Path, cache: &Path, from: &Path, to: &str) -> Result<Done, Error> {
    let full = root.join(CONTENT_DIR).join(from);
    let shown = crate::load::display_path(root, &full);
    isolated(&shown, || process_unguarded(root, cache, &full, &shown, to))
}

/// Runs the work on one image, any panic in it (a codec's, say) turned into an error
/// naming the image, so that the other images, the build and the preview go on.
fn isolated<T>(shown: &Path, work: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    // Nothing the work borrows is used after a panic but the path.
    crate::error::catching_panics(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)))
        .unwrap_or_else(|payload| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Error::in_file(
                ErrorKind::ImageProcessing { message },
                shown,
            ))
        })
}

fn process_unguarded(
    root: &Path,
    cache: &Path,
    full: &Path,
    shown: &Path,
    to: &str,
) -> Result<Done, Error> {
    // Errors name files as the user knows them, relative to the site.
    let relative = |error: Error| match error.kind {
        ErrorKind::Io { action, source } => {
            let path = error.location.map(|place| place.path).unwrap_or_default();
            Error::io(action, &crate::load::display_path(root, &path), source)
        }
        _ => error,
    };
    let bytes = fsio::read(full).map_err(relative)?;
    let key = cache_key(&bytes);
    let meta_path = cache.join(format!("{key}.json"));
    let stem = to.rsplit_once('.').map_or(to, |(stem, _)| stem);
    let cached: Option<Processed> = fsio::read(&meta_path)
        .ok()
        .and_then(|text| serde_json::from_slice(&text).ok())
        .filter(|processed: &Processed| {
            processed.sizes.iter().all(|(width, _)| {
                ["jpg", "webp"]
                    .iter()
                    .all(|ext| fsio::exists(&cache.join(format!("{key}-{width}w.{ext}"))))
            })
        });
    let processed = match cached {
        Some(processed) => processed,
        None => {
            let processed =
                make_variants(&bytes, cache, &key).map_err(|failure| match failure {
                    VariantError::Decode(error) => Error::in_file(
                        ErrorKind::BadImage {
                            message: error.to_string(),
                        },
                        shown,
                    ),
                    VariantError::TooLarge {
                        width,
                        height,
                        needed_bytes,
                    } => Error::in_file(
                        ErrorKind::ImageTooLarge {
                            width,
                            height,
                            needed_bytes,
                            limit_bytes: DECODE_LIMIT_BYTES,
                            limit_side: MAX_DECODE_SIDE,
                        },
                        shown,
                    ),
                    VariantError::Encode(message) => {
                        Error::in_file(ErrorKind::ImageProcessing { message }, shown)
                    }
                    VariantError::Cache(error) => relative(error),
                })?;
            let json = serde_json::to_vec(&processed).unwrap_or_default();
            fsio::write(&meta_path, &json).map_err(relative)?;
            processed
        }
    };
    let mut variants = Vec::new();
    let mut copies = Vec::new();
    for (width, height) in &processed.sizes {
        for (ext, format) in [("jpg", "jpeg"), ("webp", "webp")] {
            let path_url = format!("{stem}-{width}w.{ext}");
            copies.push(CopyFile {
                from: cache.join(format!("{key}-{width}w.{ext}")),
                to: path_url.clone(),
            });
            variants.push(Variant {
                path_url,
                width: *width,
                height: *height,
                format: format.into(),
            });
        }
    }
    let info = ImageInfo {
        width: processed.width,
        height: processed.height,
        taken: processed.taken,
        variants,
    };
    Ok((to.to_string(), info, copies))
}

/// Why an image's copies could not be made.
#[derive(Debug)]
enum VariantError {
    /// The bytes are not an image the decoders read.
    Decode(image::ImageError),
    /// Decoding would take more than [`DECODE_LIMIT_BYTES`] or a side is longer than
    /// [`MAX_DECODE_SIDE`].
    TooLarge {
        width: u32,
        height: u32,
        needed_bytes: u64,
    },
    /// An encoder refused a copy.
    Encode(String),
    /// Writing into the cache failed; the error names the cache file.
    Cache(Error),
}

/// Decodes, turns upright and writes every size in both formats into the cache.
fn make_variants(bytes: &[u8], cache: &Path, key: &str) -> Result<Processed, VariantError> {
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .ok();
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
        .map_err(|e| VariantError::Decode(e.into()))?;
    // The sides are checked below, from the header, so that the error can give them.
    let mut limits = Limits::default();
    limits.max_alloc = Some(DECODE_LIMIT_BYTES);
    reader.limits(limits);
    let format = reader.format();
    let decoder = reader.into_decoder().map_err(VariantError::Decode)?;
    let (stored_width, stored_height) = decoder.dimensions();
    let needed_bytes = decoder.total_bytes();
    let too_large = VariantError::TooLarge {
        width: stored_width,
        height: stored_height,
        needed_bytes,
    };
    if needed_bytes > DECODE_LIMIT_BYTES || stored_width.max(stored_height) > MAX_DECODE_SIDE {
        return Err(too_large);
    }
    // Orientations 5 to 8 turn the image a quarter: its upright width is its stored height.
    let quarter_turn = (5..=8).contains(&orientation);
    let (width, height) = if quarter_turn {
        (stored_height, stored_width)
    } else {
        (stored_width, stored_height)
    };
    let stored = |(w, h): (u32, u32)| if quarter_turn { (h, w) } else { (w, h) };
    let sizes = copy_sizes(width, height, &WIDTHS);
    let largest = stored(*sizes.last().unwrap_or(&(width, height)));
    let file = bytes.len() as u64;
    let decoded = size::Decoded {
        bytes: needed_bytes,
        size: (stored_width, stored_height),
        alpha: decoder.color_type().has_alpha(),
    };
    // A PNG decoder writes rows straight into the image; the others may hold as much again
    // beside it (a progressive JPEG's frequencies, a lossy WebP's planes, a GIF's frame).
    let beside = if format == Some(ImageFormat::Png) {
        0
    } else {
        needed_bytes
    };
    let full_size_bytes = || size::working_bytes(file, beside, &decoded, largest);
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
                error => VariantError::Decode(error),
            })?;
            let picture = (f64::from(stored_width), f64::from(stored_height));
            (image, picture, Some(memory))
        }
    };
    // Largest first, each smaller copy made from the one before.
    let mut previous = size::first_copy(image, picture, largest);
    for (index, size) in sizes.iter().enumerate().rev() {
        if index + 1 < sizes.len() {
            previous = size::smaller_copy(&previous, stored(*size));
        }
        write_copy(&previous, orientation, cache, key)?;
    }
    Ok(Processed {
        width,
        height,
        taken,
        sizes,
    })
}

/// Turns an RGB copy upright and writes it as JPEG and WebP into the cache.
fn write_copy(
    copy: &DynamicImage,
    orientation: u32,
    cache: &Path,
    key: &str,
) -> Result<(), VariantError> {
    let turned = upright(copy, orientation);
    let turned = turned.as_ref().unwrap_or(copy);
    // A copy with alpha is written without it: neither output keeps it yet.
    let without_alpha = turned.as_rgba8().map(|_| turned.to_rgb8());
    let rgb = without_alpha
        .as_ref()
        .or(turned.as_rgb8())
        .ok_or_else(|| VariantError::Encode("the copy is not RGB".into()))?;
    let (w, h) = rgb.dimensions();
    let mut jpeg = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY);
    rgb.write_with_encoder(encoder)
        .map_err(|e| VariantError::Encode(e.to_string()))?;
    let webp = webp::Encoder::from_rgb(rgb.as_raw(), w, h)
        .encode_simple(false, WEBP_QUALITY)
        .map_err(|e| VariantError::Encode(format!("WebP: {e:?}")))?;
    fsio::write(&cache.join(format!("{key}-{w}w.jpg")), &jpeg).map_err(VariantError::Cache)?;
    fsio::write(&cache.join(format!("{key}-{w}w.webp")), &webp).map_err(VariantError::Cache)?;
    Ok(())
}

/// Applies an EXIF orientation (1–8); `None` when the image is upright already.
fn upright(image: &DynamicImage, orientation: u32) -> Option<DynamicImage> {
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

/// `2013:03:12 09:30:00` → 2013-03-12.
fn exif_date(text: &[u8]) -> Option<NaiveDate> {
    let text = std::str::from_utf8(text).ok()?;
    NaiveDate::parse_from_str(text.get(..10)?, "%Y:%m:%d").ok()
}

/// A stable 64-bit FNV-1a hash of the bytes and the processing settings.
fn cache_key(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let settings = format!("v{PIPELINE_VERSION} {WIDTHS:?} q{JPEG_QUALITY} w{WEBP_QUALITY}");
    for byte in settings.as_bytes().iter().chain(bytes) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use image::{DynamicImage, RgbImage, RgbaImage};

    use std::path::Path;

    use super::{VariantError, cache_key, exif_date, isolated, make_variants, upright};
    use crate::error::{ErrorKind, Lang};

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
            Err(VariantError::Decode(_))
        ));
        let mut truncated = rotated_jpeg_with_date();
        truncated.truncate(truncated.len() / 2);
        assert!(matches!(
            make_variants(&truncated, cache.path(), "t"),
            Err(VariantError::Decode(_))
        ));
    }

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
    fn a_panic_in_one_image_becomes_an_error_naming_it() {
        let shown = Path::new("content/galleries/spring/03.jpg");
        let result: Result<(), _> = isolated(shown, || panic!("VP8_ENC_ERROR_BAD_DIMENSION"));
        let error = result.unwrap_err();
        assert!(matches!(error.kind, ErrorKind::ImageProcessing { .. }));
        let report = error.report(Lang::En);
        assert!(
            report.starts_with(
                "error: content/galleries/spring/03.jpg: processing this image failed"
            ),
            "{report}"
        );
        assert!(report.contains("VP8_ENC_ERROR_BAD_DIMENSION"), "{report}");
        assert_eq!(isolated(shown, || Ok(7)).unwrap(), 7);
    }

    #[test]
    fn a_long_screenshot_gets_copies_every_encoder_takes() {
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
        assert_eq!(processed.sizes, vec![(33, 16_383)]);
        let webp = std::fs::read(cache.path().join("long-33w.webp")).unwrap();
        assert_eq!(&webp[..4], b"RIFF");
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
        let jpeg = image::open(cache.path().join("clear-480w.jpg")).unwrap();
        assert_eq!((jpeg.width(), jpeg.height()), (480, 240));
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
    fn exif_dates_and_keys() {
        assert_eq!(
            exif_date(b"2013:03:12 09:30:00").unwrap().to_string(),
            "2013-03-12"
        );
        assert!(exif_date(b"garbage").is_none());
        assert_eq!(cache_key(b"abc"), cache_key(b"abc"));
        assert_ne!(cache_key(b"abc"), cache_key(b"abd"));
    }
}
