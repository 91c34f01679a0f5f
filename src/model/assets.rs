//! Stage 3, model: the images a document uses (covers, gallery photos), found in
//! `content/` and planned for copying beside its page.

use std::collections::HashSet;
use std::path::Path;

use crate::error::{Error, ErrorKind, Errors, Location, Warning, WarningKind};
use crate::model::item::{AssetCopy, Detail, Item, Photo};
use crate::model::paths::{asset_target, extension_of, is_heif, is_image, normalize, parent_dir};
use crate::parse::document::Document;
use crate::parse::sanitize::{is_unsafe_url, scheme_of};

/// Resolves an image reference of a document: a full URL, a `/static` path, or a file beside it.
pub(crate) fn resolve_image(
    doc: &Document,
    reference: &str,
    item_path_url: &str,
    assets: &HashSet<&Path>,
    copies: &mut Vec<AssetCopy>,
) -> Result<String, Error> {
    if is_unsafe_url(reference) {
        return Err(doc.error_at_value(
            ErrorKind::UnsafeAddress {
                address: reference.to_string(),
            },
            reference,
        ));
    }
    if scheme_of(reference).is_some() {
        return Ok(reference.to_string());
    }
    if reference.starts_with('/') {
        return Ok(reference.trim_start_matches('/').to_string());
    }
    let found =
        normalize(&parent_dir(&doc.rel), reference).filter(|path| assets.contains(path.as_path()));
    let source = match found {
        Some(source) if is_image(&source) => source,
        Some(source) => {
            return Err(doc.error_at_value(not_an_image(reference, &source), reference));
        }
        None => {
            return Err(doc.error_at_value(
                ErrorKind::MissingAsset {
                    reference: reference.to_string(),
                },
                reference,
            ));
        }
    };
    let to = asset_target(item_path_url, &source);
    copies.push(AssetCopy {
        from: source,
        to: to.clone(),
    });
    Ok(to)
}

/// Why `source`, which a page shows as an image under the name `reference`, cannot be one.
pub(crate) fn not_an_image(reference: &str, source: &Path) -> ErrorKind {
    let reference = reference.to_string();
    if is_heif(source) {
        ErrorKind::HeifImage { reference }
    } else {
        ErrorKind::NotAnImage {
            reference,
            svg: matches!(extension_of(source).as_str(), "svg" | "svgz"),
        }
    }
}

/// A warning for each gallery photo with no caption: it would have no alt text.
pub(crate) fn uncaptioned_photos(item: &Item) -> Vec<Warning> {
    let Detail::Gallery { photos, .. } = &item.detail else {
        return Vec::new();
    };
    photos
        .iter()
        .filter(|photo| {
            photo
                .caption
                .as_deref()
                .is_none_or(|caption| caption.trim().is_empty())
        })
        .map(|photo| Warning {
            kind: WarningKind::PhotoWithoutCaption {
                photo: photo
                    .path_url
                    .rsplit('/')
                    .next()
                    .unwrap_or(&photo.path_url)
                    .to_string(),
            },
            location: Location::file(&item.path),
        })
        .collect()
}

/// A gallery's photos: its list, or every image beside its `index.md` in file-name order.
/// A HEIC photo among them, unless herald reads HEIC, is an error, not left out unseen.
pub(crate) fn gallery_photos(
    doc: &Document,
    path_url: &str,
    assets: &HashSet<&Path>,
    copies: &mut Vec<AssetCopy>,
) -> Result<Vec<Photo>, Errors> {
    match &doc.front.photos {
        Some(list) => all_or_errors(list.iter().map(|entry| {
            Ok(Photo {
                path_url: resolve_image(doc, &entry.src, path_url, assets, copies)?,
                caption: entry.caption.clone(),
                credit: entry.credit.clone(),
                date: entry.date,
            })
        })),
        None => {
            let folder = parent_dir(&doc.rel);
            let mut files: Vec<&Path> = assets
                .iter()
                .copied()
                .filter(|path| {
                    path.parent() == Some(folder.as_path()) && (is_image(path) || is_heif(path))
                })
                .collect();
            files.sort();
            all_or_errors(files.into_iter().map(|file| {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                // Nothing in index.md names it: the error points at the photo.
                if !is_image(file) {
                    return Err(Error::in_file(
                        not_an_image(&name, file),
                        doc.path.with_file_name(&name),
                    ));
                }
                Ok(Photo {
                    path_url: resolve_image(doc, &name, path_url, assets, copies)?,
                    caption: None,
                    credit: None,
                    date: None,
                })
            }))
        }
    }
}

/// Every value, or every error: a gallery's photos are all checked, not up to the first bad
/// one.
fn all_or_errors<T>(results: impl Iterator<Item = Result<T, Error>>) -> Result<Vec<T>, Errors> {
    let (values, errors): (Vec<_>, Vec<_>) = results.partition(Result::is_ok);
    if errors.is_empty() {
        Ok(values.into_iter().flatten().collect())
    } else {
        Err(Errors(errors.into_iter().filter_map(Result::err).collect()))
    }
}
