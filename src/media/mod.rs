//! Between model and render: images. Covers and gallery photos are decoded once, turned
//! upright by their EXIF orientation, resized to a thumbnail and a web size in JPEG and
//! WebP, and cached by content hash in `.herald-cache/`, so a rebuild or a preview does
//! not redo them.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use image::{DynamicImage, ImageReader, imageops::FilterType};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Errors};
use crate::fsio;
use crate::load::CONTENT_DIR;
use crate::model::Site;
use crate::model::item::Detail;
use crate::model::paths::is_image;
use crate::write::CopyFile;

/// The folder under the site root where processed images are kept.
pub const CACHE_DIR: &str = ".herald-cache/images";
/// Widths made of every image, when it is wider: a thumbnail and a web size.
pub const WIDTHS: [u32; 2] = [480, 1600];
const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: f32 = 78.0;
/// Bumped whenever the processing changes, so old cache entries are not reused.
const PIPELINE_VERSION: u32 = 1;

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
            std::fs::read(root.join(CONTENT_DIR).join(from))
                .map(|bytes| !cache.join(format!("{}.json", cache_key(&bytes))).exists())
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

fn process_one(
    root: &Path,
    cache: &Path,
    from: &Path,
    to: &str,
) -> Result<(String, ImageInfo, Vec<CopyFile>), Error> {
    let full = root.join(CONTENT_DIR).join(from);
    let shown = crate::load::display_path(root, &full);
    let bytes = std::fs::read(&full).map_err(|e| Error::io("read", &shown, e))?;
    let key = cache_key(&bytes);
    let meta_path = cache.join(format!("{key}.json"));
    let stem = to.rsplit_once('.').map_or(to, |(stem, _)| stem);
    let cached: Option<Processed> = std::fs::read(&meta_path)
        .ok()
        .and_then(|text| serde_json::from_slice(&text).ok())
        .filter(|processed: &Processed| {
            processed.sizes.iter().all(|(width, _)| {
                ["jpg", "webp"]
                    .iter()
                    .all(|ext| cache.join(format!("{key}-{width}w.{ext}")).exists())
            })
        });
    let processed = match cached {
        Some(processed) => processed,
        None => {
            let processed = make_variants(&bytes, cache, &key)
                .map_err(|message| Error::in_file(ErrorKind::BadImage { message }, &shown))?;
            let json = serde_json::to_vec(&processed).unwrap_or_default();
            fsio::write(&meta_path, &json)?;
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

/// Decodes, turns upright and writes every size in both formats into the cache.
fn make_variants(bytes: &[u8], cache: &Path, key: &str) -> Result<Processed, String> {
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
    let image = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .decode()
        .map_err(|e| e.to_string())?;
    let image = upright(image, orientation);
    let (width, height) = (image.width(), image.height());
    let mut sizes = Vec::new();
    for target in WIDTHS {
        // No upscaling: a small photo gets one size, its own.
        let size_width = target.min(width);
        if sizes.iter().any(|(w, _)| *w == size_width) {
            continue;
        }
        let resized = if size_width == width {
            image.clone()
        } else {
            image.resize(size_width, u32::MAX, FilterType::Lanczos3)
        };
        let rgb = resized.to_rgb8();
        let (w, h) = (rgb.width(), rgb.height());
        let mut jpeg = Vec::new();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY);
        rgb.write_with_encoder(encoder).map_err(|e| e.to_string())?;
        let webp = webp::Encoder::from_rgb(rgb.as_raw(), w, h).encode(WEBP_QUALITY);
        fsio::write(&cache.join(format!("{key}-{w}w.jpg")), &jpeg).map_err(|e| e.to_string())?;
        fsio::write(&cache.join(format!("{key}-{w}w.webp")), &webp).map_err(|e| e.to_string())?;
        sizes.push((w, h));
    }
    Ok(Processed {
        width,
        height,
        taken,
        sizes,
    })
}

/// Applies an EXIF orientation (1–8).
fn upright(image: DynamicImage, orientation: u32) -> DynamicImage {
    match orientation {
        2 => image.fliph(),
        3 => image.rotate180(),
        4 => image.flipv(),
        5 => image.rotate90().fliph(),
        6 => image.rotate90(),
        7 => image.rotate270().fliph(),
        8 => image.rotate270(),
        _ => image,
    }
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
    use image::{DynamicImage, RgbImage};

    use super::{cache_key, exif_date, make_variants, upright};

    /// A JPEG of 40×20 pixels whose EXIF says: rotate 90° to show it, taken 2013-03-12.
    fn rotated_jpeg_with_date() -> Vec<u8> {
        let mut jpeg = Vec::new();
        DynamicImage::ImageRgb8(RgbImage::new(40, 20))
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
    fn a_file_that_is_not_an_image_is_an_error() {
        let cache = tempfile::tempdir().unwrap();
        assert!(make_variants(b"not an image at all", cache.path(), "k").is_err());
        let mut truncated = rotated_jpeg_with_date();
        truncated.truncate(truncated.len() / 2);
        assert!(make_variants(&truncated, cache.path(), "t").is_err());
    }

    #[test]
    fn orientation_turns_the_image_upright() {
        let image = DynamicImage::ImageRgb8(RgbImage::new(40, 20));
        assert_eq!(
            (
                upright(image.clone(), 6).width(),
                upright(image.clone(), 6).height()
            ),
            (20, 40)
        );
        assert_eq!(upright(image.clone(), 3).width(), 40);
        assert_eq!(upright(image, 1).height(), 20);
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
