//! The image cache's bookkeeping: what processing made of each image, the index that
//! finds it again by a photo's file facts, and the names and keys of the cached files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::look::Look;
use super::strip::KeptField;
use super::{JPEG_QUALITY, PIPELINE_VERSION, Variant, WEBP_QUALITY, WIDTHS};
use crate::error::Error;
use crate::fsio;
use crate::output::CopyFile;

/// What processing one image yields, as stored beside the cached files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub taken: Option<NaiveDate>,
    /// (width, height) of each resized size.
    pub sizes: Vec<(u32, u32)>,
    /// The formats the copies are in.
    pub look: Look,
    /// Whether the original is published, cleaned of its metadata: not a HEIC photo's,
    /// which no browser but Safari shows.
    pub original: bool,
    /// The facts of the cached files as they were written, in [`cached_files`] order.
    #[serde(default)]
    pub files: Vec<fsio::FileFacts>,
}

impl Processed {
    /// What processing made of an image of an upright `size`; its original is published
    /// until found otherwise, and its files' facts are taken once they are written.
    pub fn new(
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
    pub fn is_intact(&self, cache: &Path, key: &str) -> bool {
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
    pub fn published(&self, stem: &str, cache: &Path, key: &str) -> (Vec<Variant>, Vec<CopyFile>) {
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

/// An image to process: where it is read, where it is published, its file facts now, and
/// what was recorded when it last had the same facts.
pub struct Source {
    pub full: PathBuf,
    pub to: String,
    pub facts: Option<fsio::FileFacts>,
    pub recorded: Option<Entry>,
}

/// What the cache knows of one published image: the file facts it was processed with, the
/// key of its cached files, and what processing found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub facts: fsio::FileFacts,
    pub key: String,
    pub processed: Processed,
}

impl Entry {
    /// Whether every cached file the entry names is still there, as it was written.
    pub fn is_complete(&self, cache: &Path) -> bool {
        self.processed.is_intact(cache, &self.key)
    }
}

/// The cache's index: by output path, what each image was when last processed, under the
/// settings it was processed with.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Index {
    pub settings: String,
    pub entries: HashMap<String, Entry>,
}

impl Index {
    const FILE: &str = "index.json";

    /// The index made under these settings; empty when there is none or it was made under
    /// others.
    pub fn load(cache: &Path, settings: &str) -> Index {
        fsio::read(&cache.join(Index::FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Index>(&bytes).ok())
            .filter(|index| index.settings == settings)
            .unwrap_or_default()
    }

    pub fn save(&self, cache: &Path) -> Result<(), Error> {
        let json = serde_json::to_vec(self).unwrap_or_default();
        fsio::write(&cache.join(Index::FILE), &json)
    }
}

/// Whether a file's facts can stand for its bytes: it was last changed some seconds ago. A
/// file written again within one tick of the clock, at the same size, would keep its
/// facts; one changed so lately is read and hashed again at the next build instead.
pub fn settled(facts: &fsio::FileFacts) -> bool {
    const SETTLED_SECONDS: i64 = 3;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() as i64);
    facts.modified.0 + SETTLED_SECONDS <= now && facts.changed.0 + SETTLED_SECONDS <= now
}

/// The cached original, cleaned of its metadata.
pub fn original_name(key: &str) -> String {
    format!("{key}-original")
}

/// The names of the files cached for one image.
pub fn cached_files(key: &str, processed: &Processed) -> Vec<String> {
    let copies = processed
        .copies()
        .map(|(width, _, ext, _)| format!("{key}-{width}w.{ext}"));
    let original = processed.original.then(|| original_name(key));
    original.into_iter().chain(copies).collect()
}

/// What decides how an image is processed, besides its bytes.
pub fn settings(kept: &[KeptField]) -> String {
    format!("v{PIPELINE_VERSION} {WIDTHS:?} q{JPEG_QUALITY} w{WEBP_QUALITY} keep {kept:?}")
}

/// A stable 64-bit FNV-1a hash of the processing settings and the bytes.
pub fn cache_key(settings: &str, bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in settings.as_bytes().iter().chain(bytes) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::{cache_key, settled};

    #[test]
    fn a_file_changed_just_now_is_not_trusted_by_its_facts() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let facts = crate::fsio::facts(file.path()).unwrap();
        assert!(!settled(&facts), "written a moment ago");
        let older = crate::fsio::FileFacts {
            modified: (facts.modified.0 - 10, 0),
            changed: (facts.changed.0 - 10, 0),
            ..facts
        };
        assert!(settled(&older));
    }

    #[test]
    fn keys_change_with_the_bytes_and_the_settings() {
        assert_eq!(cache_key("v", b"abc"), cache_key("v", b"abc"));
        assert_ne!(cache_key("v", b"abc"), cache_key("v", b"abd"));
        assert_ne!(cache_key("v", b"abc"), cache_key("w", b"abc"));
    }
}
