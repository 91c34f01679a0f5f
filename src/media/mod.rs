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
mod decode;
#[cfg(feature = "heif")]
mod heif;
mod look;
mod size;
pub mod strip;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use image::{
    DynamicImage, GenericImageView, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Errors};
use crate::fsio;
use crate::load::CONTENT_DIR;
use crate::model::Site;
use crate::model::item::Detail;
use crate::model::paths::is_image;
use crate::output::CopyFile;
use budget::MemoryBudget;
use decode::ScaledJpeg;
use look::{Look, cut_short, has_transparency, is_animated};
use size::copy_sizes;
pub use size::{MAX_COPY_SIDE, MAX_WEBP_SIDE};
use strip::KeptField;

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

/// What processing one image yields, as stored beside the cached files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Processed {
    width: u32,
    height: u32,
    taken: Option<NaiveDate>,
    /// (width, height) of each resized size.
    sizes: Vec<(u32, u32)>,
    /// The formats the copies are in.
    look: Look,
    /// Whether the original is published, cleaned of its metadata: not a HEIC photo's,
    /// which no browser but Safari shows.
    original: bool,
    /// The facts of the cached files as they were written, in [`cached_files`] order.
    #[serde(default)]
    files: Vec<fsio::FileFacts>,
}

impl Processed {
    /// What processing made of an image of an upright `size`; its original is published
    /// until found otherwise, and its files' facts are taken once they are written.
    fn new(
        size: (u32, u32),
        taken: Option<NaiveDate>,
        sizes: Vec<(u32, u32)>,
        look: Look,
    ) -> Processed {
        Processed {
            width: size.0,
            height: size.1,
            taken,
            sizes,
            look,
            original: true,
            files: Vec::new(),
        }
    }

    /// Whether every cached file is there as it was written. Published pictures are links
    /// to these files: one changed through the output (an optimiser run in place, as root,
    /// whom read-only does not stop) must be made again, not published again.
    fn is_intact(&self, cache: &Path, key: &str) -> bool {
        let names = cached_files(key, self);
        names.len() == self.files.len()
            && names.iter().zip(&self.files).all(|(name, written)| {
                fsio::facts(&cache.join(name)).is_ok_and(|now| now.same_bytes_as(written))
            })
    }

    /// Each copy: its width, height, file extension and format.
    fn copies(&self) -> impl Iterator<Item = (u32, u32, &'static str, &'static str)> + '_ {
        self.sizes.iter().flat_map(|&(width, height)| {
            self.look
                .formats()
                .iter()
                .map(move |&(ext, format)| (width, height, ext, format))
        })
    }

    /// The copies as templates see them and as files to publish, under `stem` in the
    /// output.
    fn published(&self, stem: &str, cache: &Path, key: &str) -> (Vec<Variant>, Vec<CopyFile>) {
        self.copies()
            .map(|(width, height, ext, format)| {
                let path_url = format!("{stem}-{width}w.{ext}");
                let copy = CopyFile {
                    from: cache.join(format!("{key}-{width}w.{ext}")),
                    to: path_url.clone(),
                };
                let variant = Variant {
                    path_url,
                    width,
                    height,
                    format: format.into(),
                };
                (variant, copy)
            })
            .unzip()
    }
}

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

/// An image to process: where it is read, where it is published, its file facts now, and
/// what was recorded when it last had the same facts.
struct Source {
    full: PathBuf,
    to: String,
    facts: Option<fsio::FileFacts>,
    recorded: Option<Entry>,
}

/// What the cache knows of one published image: the file facts it was processed with, the
/// key of its cached files, and what processing found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    facts: fsio::FileFacts,
    key: String,
    processed: Processed,
}

impl Entry {
    /// Whether every cached file the entry names is still there, as it was written.
    fn is_complete(&self, cache: &Path) -> bool {
        self.processed.is_intact(cache, &self.key)
    }
}

/// The cache's index: by output path, what each image was when last processed, under the
/// settings it was processed with.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    settings: String,
    entries: HashMap<String, Entry>,
}

impl Index {
    const FILE: &str = "index.json";

    /// The index made under these settings; empty when there is none or it was made under
    /// others.
    fn load(cache: &Path, settings: &str) -> Index {
        fsio::read(&cache.join(Index::FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Index>(&bytes).ok())
            .filter(|index| index.settings == settings)
            .unwrap_or_default()
    }

    fn save(&self, cache: &Path) -> Result<(), Error> {
        let json = serde_json::to_vec(self).unwrap_or_default();
        fsio::write(&cache.join(Index::FILE), &json)
    }
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

fn process_one(
    root: &Path,
    cache: &Path,
    settings: &str,
    kept: &[KeptField],
    source: &Source,
) -> Result<(Done, Option<Entry>), Error> {
    let shown = crate::load::display_path(root, &source.full);
    isolated(&shown, || {
        process_unguarded(root, cache, settings, kept, source, &shown)
    })
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
    settings: &str,
    kept: &[KeptField],
    source: &Source,
    shown: &Path,
) -> Result<(Done, Option<Entry>), Error> {
    // Errors name files as the user knows them, relative to the site.
    let relative = |error: Error| match error.kind {
        ErrorKind::Io { action, source } => {
            let path = error.location.map(|place| place.path).unwrap_or_default();
            Error::io(action, &crate::load::display_path(root, &path), source)
        }
        _ => error,
    };
    let (key, processed) = match &source.recorded {
        Some(entry) => (entry.key.clone(), entry.processed.clone()),
        None => {
            let bytes = fsio::read(&source.full).map_err(relative)?;
            let key = cache_key(settings, &bytes);
            let meta_path = cache.join(format!("{key}.json"));
            let cached: Option<Processed> = fsio::read(&meta_path)
                .ok()
                .and_then(|text| serde_json::from_slice(&text).ok())
                .filter(|processed: &Processed| processed.is_intact(cache, &key));
            let processed = match cached {
                Some(processed) => processed,
                None => {
                    let processed = make_variants(&bytes, cache, &key)
                        .map_err(|failure| relative(failure.into_error(shown)))?;
                    let mut processed = processed;
                    match cleaned_original(&bytes, kept, shown)? {
                        Some(original) => fsio::write(&cache.join(original_name(&key)), &original)
                            .map_err(relative)?,
                        None => processed.original = false,
                    }
                    processed.files = cached_files(&key, &processed)
                        .iter()
                        .map(|file| fsio::facts(&cache.join(file)))
                        .collect::<Result<_, _>>()
                        .map_err(relative)?;
                    let json = serde_json::to_vec(&processed).unwrap_or_default();
                    fsio::write(&meta_path, &json).map_err(relative)?;
                    processed
                }
            };
            (key, processed)
        }
    };
    let stem = source
        .to
        .rsplit_once('.')
        .map_or(source.to.as_str(), |(stem, _)| stem);
    // The original is published as it was cleaned of its metadata, never as it was read.
    let (variants, mut copies) = processed.published(stem, cache, &key);
    if processed.original {
        copies.push(CopyFile {
            from: cache.join(original_name(&key)),
            to: source.to.clone(),
        });
    }
    let info = ImageInfo {
        width: processed.width,
        height: processed.height,
        taken: processed.taken,
        variants,
        original: processed.original,
    };
    let entry = source.facts.filter(settled).map(|facts| Entry {
        facts,
        key,
        processed,
    });
    Ok(((source.to.clone(), info, copies), entry))
}

/// Whether a file's facts can stand for its bytes: it was last changed some seconds ago. A
/// file written again within one tick of the clock, at the same size, would keep its
/// facts; one changed so lately is read and hashed again at the next build instead.
fn settled(facts: &fsio::FileFacts) -> bool {
    const SETTLED_SECONDS: i64 = 3;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() as i64);
    facts.modified.0 + SETTLED_SECONDS <= now && facts.changed.0 + SETTLED_SECONDS <= now
}

/// The cached original, cleaned of its metadata.
fn original_name(key: &str) -> String {
    format!("{key}-original")
}

/// The names of the files cached for one image.
fn cached_files(key: &str, processed: &Processed) -> Vec<String> {
    let copies = processed
        .copies()
        .map(|(width, _, ext, _)| format!("{key}-{width}w.{ext}"));
    let original = processed.original.then(|| original_name(key));
    original.into_iter().chain(copies).collect()
}

/// The original as it is published: without its metadata but what the site keeps; none
/// for a HEIC photo, shown by its copies only.
fn cleaned_original(
    bytes: &[u8],
    kept: &[KeptField],
    shown: &Path,
) -> Result<Option<Vec<u8>>, Error> {
    #[cfg(feature = "heif")]
    if heif::is_heif(bytes) {
        return Ok(None);
    }
    strip::clean(bytes, read_exif(bytes).as_ref(), kept)
        .map(Some)
        .map_err(|error| {
            Error::in_file(
                ErrorKind::BadImage {
                    message: error.to_string(),
                },
                shown,
            )
        })
}

/// The image's EXIF, when it has one that reads.
fn read_exif(bytes: &[u8]) -> Option<exif::Exif> {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .ok()
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

/// Why an image's copies could not be made.
#[derive(Debug)]
enum VariantError {
    /// The file is empty.
    Empty,
    /// The bytes are no image format herald reads.
    UnknownFormat,
    /// The file stops before the image ends; what says so.
    Truncated(String),
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

impl VariantError {
    /// The error to report about the image shown to the user as `shown`.
    fn into_error(self, shown: &Path) -> Error {
        let kind = match self {
            VariantError::Empty => ErrorKind::EmptyImage,
            VariantError::UnknownFormat => ErrorKind::UnknownImageFormat,
            VariantError::Truncated(message) => ErrorKind::TruncatedImage { message },
            VariantError::Decode(error) => ErrorKind::BadImage {
                message: error.to_string(),
            },
            VariantError::TooLarge {
                width,
                height,
                needed_bytes,
            } => ErrorKind::ImageTooLarge {
                width,
                height,
                needed_bytes,
                limit_bytes: DECODE_LIMIT_BYTES,
                limit_side: MAX_DECODE_SIDE,
            },
            VariantError::Encode(message) => ErrorKind::ImageProcessing { message },
            VariantError::Cache(error) => return error,
        };
        Error::in_file(kind, shown)
    }

    /// A decoder's error, told apart by what the user should do about it.
    fn decoding(error: image::ImageError) -> VariantError {
        let message = error.to_string().to_ascii_lowercase();
        let cut_short = match &error {
            image::ImageError::IoError(io) => io.kind() == std::io::ErrorKind::UnexpectedEof,
            // Decoders say so in words of their own.
            image::ImageError::Decoding(_) => ["end of file", "truncated"]
                .iter()
                .any(|words| message.contains(words)),
            _ => false,
        };
        if cut_short {
            VariantError::Truncated(error.to_string())
        } else {
            VariantError::Decode(error)
        }
    }
}

/// Decodes, turns upright and writes every size in the formats its look asks for into the
/// cache; an animated image is only measured.
fn make_variants(bytes: &[u8], cache: &Path, key: &str) -> Result<Processed, VariantError> {
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
        .map_err(|e| VariantError::Decode(e.into()))?;
    // Read by content: a PNG named `.jpg` is a PNG.
    let format = match reader.format() {
        Some(format) => format,
        #[cfg(feature = "heif")]
        None if heif::is_heif(bytes) => return heif_variants(bytes, taken, cache, key),
        None => return Err(VariantError::UnknownFormat),
    };
    if let Some(message) = cut_short(bytes, format) {
        return Err(VariantError::Truncated(message.into()));
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
        return Err(VariantError::Decode(image::ImageError::Decoding(
            image::error::DecodingError::new(
                format.into(),
                format!("the picture is {stored_width}×{stored_height} pixels"),
            ),
        )));
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

/// The size in the stored frame of an image of an upright `size`: orientations 5 to 8
/// turn the image a quarter, so its upright width is its stored height.
fn stored_size(orientation: u32, (width, height): (u32, u32)) -> (u32, u32) {
    if (5..=8).contains(&orientation) {
        (height, width)
    } else {
        (width, height)
    }
}

/// Writes the copies of a decoded image at each upright size, largest first, each made
/// from the one before; says which formats they are in.
fn write_copies(
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
                    .map_err(|error| VariantError::Encode(format!("JPEG: {error}")))?;
                jpeg
            }
            "png" => {
                let mut png = Vec::new();
                image::codecs::png::PngEncoder::new(&mut png)
                    .write_image(pixels, w, h, image::ExtendedColorType::Rgba8)
                    .map_err(|error| VariantError::Encode(error.to_string()))?;
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
                    .map_err(|error| VariantError::Encode(format!("WebP: {error:?}")))?
                    .to_vec()
            }
        };
        fsio::write(&cache.join(format!("{key}-{w}w.{ext}")), &bytes)
            .map_err(VariantError::Cache)?;
    }
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

/// What decides how an image is processed, besides its bytes.
fn settings(kept: &[KeptField]) -> String {
    format!("v{PIPELINE_VERSION} {WIDTHS:?} q{JPEG_QUALITY} w{WEBP_QUALITY} keep {kept:?}")
}

/// A stable 64-bit FNV-1a hash of the processing settings and the bytes.
fn cache_key(settings: &str, bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
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
        assert_eq!(processed.look, super::Look::LongOpaque);
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
    fn a_file_changed_just_now_is_not_trusted_by_its_facts() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let facts = crate::fsio::facts(file.path()).unwrap();
        assert!(!super::settled(&facts), "written a moment ago");
        let older = crate::fsio::FileFacts {
            modified: (facts.modified.0 - 10, 0),
            changed: (facts.changed.0 - 10, 0),
            ..facts
        };
        assert!(super::settled(&older));
    }

    #[test]
    fn exif_dates_and_keys() {
        assert_eq!(
            exif_date(b"2013:03:12 09:30:00").unwrap().to_string(),
            "2013-03-12"
        );
        assert!(exif_date(b"garbage").is_none());
        assert_eq!(cache_key("v", b"abc"), cache_key("v", b"abc"));
        assert_ne!(cache_key("v", b"abc"), cache_key("v", b"abd"));
        assert_ne!(cache_key("v", b"abc"), cache_key("w", b"abc"));
    }
}
