//! Stage 1, load: walk `content/` and read every Markdown file; list the other files as assets.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, ErrorKind, Errors};
use crate::fsio::{self, EntryKind, Links};

/// A Markdown file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown in messages: relative to the site root (`content/plans/a.md`).
    pub path: PathBuf,
    /// The path relative to `content/` (`plans/a.md`).
    pub rel: PathBuf,
    /// The file's text.
    pub text: String,
}

/// Every file under `content/`.
#[derive(Debug, Default)]
pub struct Sources {
    /// Markdown files, in path order.
    pub documents: Vec<SourceFile>,
    /// Other files (photos, attachments), relative to `content/`, in path order.
    pub assets: Vec<PathBuf>,
}

/// The content folder's name under the site root.
pub const CONTENT_DIR: &str = "content";

/// Walks a folder of `content/` (or all of it) as a build reads it: what is ignored (hidden
/// folders, editor leftovers) is skipped, and a link is followed only when it leads to a
/// place inside the site (`site`, resolved); what lies beneath a followed folder link is
/// inside too, unless it is a link itself. Each link leading out is handed to `outside`.
pub fn walk_content<'o>(
    site: &Path,
    folder: &Path,
    mut outside: impl FnMut(&Path) + 'o,
) -> impl Iterator<Item = crate::error::Result<fsio::Entry>> + 'o {
    let site = site.to_path_buf();
    fsio::walk(folder, Links::Follow, move |found| {
        if found.depth > 0 && is_ignored(&found.name()) {
            return false;
        }
        if found.is_link && !leads_inside(&site, found.path) {
            outside(found.path);
            return false;
        }
        true
    })
}

/// Reads `content/` under `root`. Every unreadable file is reported, not just the first.
pub fn load(root: &Path) -> Result<Sources, Errors> {
    let content = root.join(CONTENT_DIR);
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    let mut errors = Vec::new();
    if !fsio::is_dir(&content) {
        return Err(Error::in_file(ErrorKind::NoContent, CONTENT_DIR).into());
    }
    let site = fsio::canonical(root);
    let mut outside = Vec::new();
    let walker = walk_content(&site, &content, |path| {
        outside.push(Error::in_file(
            ErrorKind::LinkOutside {
                target: fsio::canonical(path),
            },
            display_path(root, path),
        ))
    });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                errors.push(shown_from(root, error));
                continue;
            }
        };
        match entry.kind {
            EntryKind::File => {}
            EntryKind::Folder => continue,
            // A named pipe, socket or device has no place in a site: reading it could
            // wait for ever.
            EntryKind::Other => {
                errors.push(Error::in_file(
                    ErrorKind::NotAFile,
                    display_path(root, &entry.path),
                ));
                continue;
            }
        }
        let rel = entry
            .path
            .strip_prefix(&content)
            .unwrap_or(&entry.path)
            .to_path_buf();
        if rel
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("md"))
        {
            markdown.push(rel);
        } else {
            assets.push(rel);
        }
    }
    let read_all = || -> Vec<Result<SourceFile, Error>> {
        markdown
            .into_par_iter()
            .map(|rel| {
                let full = content.join(&rel);
                let path = display_path(root, &full);
                let text = read_source(&full, &path)?;
                Ok(SourceFile { path, rel, text })
            })
            .collect()
    };
    let read = match rayon::ThreadPoolBuilder::new().num_threads(READERS).build() {
        Ok(readers) => readers.install(read_all),
        Err(_) => read_all(),
    };
    errors.append(&mut outside);
    let mut documents = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(file) => documents.push(file),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(Sources { documents, assets })
    } else {
        Err(Errors(errors))
    }
}

/// Threads reading sources. Files not yet in the system's cache are mostly waited for, and
/// a disk answers many requests at once faster than one after another.
const READERS: usize = 8;

/// The largest Markdown file herald reads: anything bigger is a mistake, not a page.
pub const MAX_SOURCE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a source file; errors name it as the user knows it (`shown`, relative to the root).
pub fn read_source(full: &Path, shown: &Path) -> Result<String, Error> {
    let rename = |error: Error| match error.kind {
        ErrorKind::Io { action, source } => Error::io(action, shown, source),
        _ => error,
    };
    let bytes = match fsio::read_limited(full, MAX_SOURCE_BYTES).map_err(rename)? {
        fsio::Limited::Read(bytes) => bytes,
        fsio::Limited::TooLarge(bytes) => {
            return Err(Error::in_file(ErrorKind::TooLarge { bytes }, shown));
        }
    };
    // Text never holds NUL bytes; pictures and Word documents do, early on.
    if bytes.iter().take(8192).any(|&byte| byte == 0) {
        return Err(Error::in_file(ErrorKind::Binary, shown));
    }
    String::from_utf8(bytes).map_err(|_| Error::in_file(ErrorKind::NotUtf8, shown))
}

/// Refuses a file under `content/` (given relative to it) that is, or lies beneath, a
/// link leading outside the site: the check the walk makes, for one file the preview
/// learns of.
pub fn admit(root: &Path, rel: &Path) -> Result<(), Error> {
    let full = root.join(CONTENT_DIR).join(rel);
    if leads_inside(&fsio::canonical(root), &full) {
        Ok(())
    } else {
        Err(Error::in_file(
            ErrorKind::LinkOutside {
                target: fsio::canonical(&full),
            },
            display_path(root, &full),
        ))
    }
}

/// Whether a path, its links resolved, names something inside the site (given in its
/// canonical form) and outside every hidden folder (`.git`, `.herald-cache` …).
pub fn leads_inside(site: &Path, path: &Path) -> bool {
    let Ok(target) = fsio::resolve(path) else {
        // A link to nothing: the walk reports it as unreadable.
        return true;
    };
    target.strip_prefix(site).is_ok_and(|rel| {
        rel.components()
            .all(|part| !part.as_os_str().to_string_lossy().starts_with('.'))
    })
}

/// Hidden files and editor leftovers never count as content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// An error about a path in the site, with the path shown relative to the root.
fn shown_from(root: &Path, mut error: Error) -> Error {
    if let Some(location) = &mut error.location {
        location.path = display_path(root, &location.path);
    }
    error
}

/// A path relative to the site root, for messages.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::is_ignored;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".a.md.swp", "a.md~", "4913", ".#a.md", ".DS_Store"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("a.md"));
    }
}
