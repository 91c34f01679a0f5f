//! Processing one image: found in the cache, or read, made and recorded there; a panic in
//! it turned into an error naming the image.

use std::path::Path;

use super::cache::{Entry, Processed, Source, cache_key, cached_files, original_name, settled};
use super::failure::VariantError;
#[cfg(feature = "heif")]
use super::heif;
use super::strip::{self, KeptField};
use super::variants::{make_variants, read_exif};
use super::{Done, ImageInfo};
use crate::error::{Error, ErrorKind};
use crate::fsio;
use crate::output::CopyFile;

pub fn process_one(
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
pub fn isolated<T>(shown: &Path, work: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
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
        .map_err(|error| VariantError::Decode(error.into()).into_error(shown))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::isolated;
    use crate::error::{ErrorKind, Lang};

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
}
