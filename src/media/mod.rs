//! Between model and render: images. Covers and gallery photos are decoded once, turned
//! upright by their EXIF orientation, resized to a thumbnail and a web size in JPEG and
//! WebP, and cached by content hash in `.herald-cache/`, so a rebuild or a preview does
//! not redo them. An image with transparent pixels gets PNG and WebP copies with alpha
//! instead, and an animated one (GIF, WebP, APNG) none: pages show the original, which
//! keeps it moving.
//!
//! No image can stop the build: each is processed apart, a panic in a codec becomes an
//! error naming the file, and the others go on. Memory is bounded twice: an image may take
//! at most [`DECODE_LIMIT_BYTES`] decoded, and all images in flight at most
//! [`IMAGE_MEMORY_BUDGET`], however many threads there are.

mod budget;
mod cache;
mod copies;
mod decode;
mod failure;
#[cfg(feature = "heif")]
mod heif;
mod look;
mod one_image;
mod size;
pub mod strip;
mod variants;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Errors};
use crate::fsio;
use crate::load::CONTENT_DIR;
use crate::model::Site;
use crate::model::item::Detail;
use crate::model::paths::is_image;
use crate::output::CopyFile;
use budget::MemoryBudget;
use cache::{Entry, Index, Source, cache_key, settings};
pub use failure::{EncodeError, Unreadable};
use one_image::process_one;
pub use size::{MAX_COPY_SIDE, MAX_WEBP_SIDE};
use variants::make_variants;

/// The folder under the site root where processed images are kept.
pub const CACHE_DIR: &str = ".herald-cache/images";
/// Widths made of every image, when it is wider: a thumbnail and a web size.
pub const WIDTHS: [u32; 2] = [480, 1600];
const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: f32 = 78.0;
/// Bumped whenever the processing changes, so old cache entries are not reused.
const PIPELINE_VERSION: u32 = 8;

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
    /// `jpeg`, `png` or `webp`.
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
    /// Resized copies, narrowest first, JPEG (PNG for an image with transparency) before
    /// WebP at each width; none for an animated image.
    pub variants: Vec<Variant>,
    /// Whether the original is published too (not a HEIC photo's).
    pub original: bool,
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

/// Processes every image the site uses; orders list-less galleries by date taken.
///
/// A photo whose file facts (size, times, inode) are those recorded at its last processing
/// is not read again: its copies and facts come from the cache. Only a photo that changed
/// is read, and hashed, so that one renamed or touched but unchanged is still found.
pub fn process(root: &Path, site: &mut Site) -> Result<Media, Errors> {
    let cache = root.join(CACHE_DIR);
    let kept = site.config.keep_metadata.clone();
    let settings = settings(&kept);
    let known = Index::load(&cache, &settings);
    let sources: Vec<Source> = site
        .assets
        .iter()
        .filter(|copy| is_image(&copy.from))
        .map(|copy| {
            let full = root.join(CONTENT_DIR).join(&copy.from);
            let facts = fsio::facts(&full).ok();
            let recorded = facts.and_then(|facts| {
                known
                    .entries
                    .get(&copy.to)
                    .filter(|entry| entry.facts == facts && entry.is_complete(&cache))
                    .cloned()
            });
            Source {
                full,
                to: copy.to.clone(),
                facts,
                recorded,
            }
        })
        .collect();
    let to_make = sources
        .iter()
        .filter(|source| source.recorded.is_none())
        .count();
    let progress = progress_bar(to_make);
    let results: Vec<Result<(Done, Option<Entry>), Error>> = sources
        .par_iter()
        .map(|source| {
            let result = process_one(root, &cache, &settings, &kept, source);
            if let Some(bar) = progress.as_ref().filter(|_| source.recorded.is_none()) {
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
    let mut index = Index {
        settings,
        entries: HashMap::new(),
    };
    for result in results {
        match result {
            Ok(((to, info, copies), entry)) => {
                if let Some(entry) = entry {
                    index.entries.insert(to.clone(), entry);
                }
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
    if index.entries != known.entries {
        index.save(&cache).map_err(|error| Errors(vec![error]))?;
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

/// A progress bar on a terminal when many images must be made: counting only those, with
/// an estimate of the time left.
fn progress_bar(to_make: usize) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || to_make < 8 {
        return None;
    }
    let lang = crate::error::Lang::from_env();
    let template = lang.pick(
        "{msg} [{bar:30}] {pos}/{len}，还需约 {eta}".into(),
        "{msg} [{bar:30}] {pos}/{len}, about {eta} left".into(),
    );
    let bar = indicatif::ProgressBar::new(to_make as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(lang.pick("处理图片".into(), "images".into()));
    Some(bar)
}

/// Makes the copies of an image given as bytes into `cache`, as a build does, without its
/// cache lookup or panic guard; errors name `shown`. The way in for the fuzz target.
#[doc(hidden)]
pub fn copies_of(bytes: &[u8], cache: &Path, shown: &Path) -> Result<ImageInfo, Error> {
    let key = cache_key(&settings(&[]), bytes);
    let processed =
        make_variants(bytes, cache, &key).map_err(|failure| failure.into_error(shown))?;
    let (variants, _) = processed.published("image", cache, &key);
    Ok(ImageInfo {
        width: processed.width,
        height: processed.height,
        taken: processed.taken,
        variants,
        original: processed.original,
    })
}
