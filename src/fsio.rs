//! The one module that touches the file system (`std::fs`, and walkdir for walks): every
//! error it returns names its path.

use std::fs;
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};

/// Reads a UTF-8 text file.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = read(path)?;
    String::from_utf8(bytes).map_err(|_| Error::in_file(ErrorKind::NotUtf8, path))
}

/// Opens a file to read, refusing anything but a regular file: a named pipe or a device
/// put where a page or a photo should be would otherwise block the reader for good. It is
/// opened without waiting (which a regular file ignores), then looked at; its size comes
/// back with it, from the same look.
fn open_regular(path: &Path) -> Result<(fs::File, u64)> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(|e| Error::io("read", path, e))?;
    let metadata = file.metadata().map_err(|e| Error::io("read", path, e))?;
    if metadata.is_file() {
        Ok((file, metadata.len()))
    } else {
        Err(Error::in_file(ErrorKind::NotAFile, path))
    }
}

/// The first bytes of a regular file, at most `limit`.
pub fn read_head(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::new();
    open_regular(path)?
        .0
        .take(limit)
        .read_to_end(&mut head)
        .map_err(|e| Error::io("read", path, e))?;
    Ok(head)
}

/// A file read with a size limit.
pub enum Limited {
    /// Its bytes.
    Read(Vec<u8>),
    /// It was not read: it holds this many bytes, more than the limit.
    TooLarge(u64),
}

/// Reads a file's bytes unless it is larger than `limit`: one open, its size from the open
/// file, and one buffer of the right size.
pub fn read_limited(path: &Path, limit: u64) -> Result<Limited> {
    use std::io::Read;
    let fail = |e| Error::io("read", path, e);
    let (mut file, size) = open_regular(path)?;
    if size > limit {
        return Ok(Limited::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes).map_err(fail)?;
    Ok(Limited::Read(bytes))
}

/// Writes a file whole or not at all, creating its parent folders: the bytes go to a new
/// file beside it, which then takes its name. A reader never sees half a file, and a build
/// stopped midway leaves no cut-off file for the next one to trust.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static WRITES: AtomicU64 = AtomicU64::new(0);
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    // The process id alone may repeat across machines or containers sharing a folder.
    let salt = std::hash::BuildHasher::hash_one(
        &std::collections::hash_map::RandomState::new(),
        WRITES.fetch_add(1, Ordering::Relaxed),
    );
    let partial = path.with_file_name(format!(
        ".{name}.{}-{salt:016x}.partial",
        std::process::id()
    ));
    let written = fs::write(&partial, bytes)
        .and_then(|()| read_only(&partial))
        .map_err(|e| Error::io("write", path, e))
        .and_then(|()| rename(&partial, path));
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written
}

/// Marks a file read-only: files written whole are replaced, never changed in place, and
/// may be linked into an output, where an edit in place must not reach them.
fn read_only(path: &Path) -> std::io::Result<()> {
    let mut permissions = fs::metadata(path)?.permissions();
    permissions.set_readonly(true);
    fs::set_permissions(path, permissions)
}

/// Puts a file at a path that must be new, in a folder that already exists, as a second
/// name of the same file where the system allows (no bytes copied), else as a copy. Only
/// for files that are never changed in place, such as those [`write`] writes.
pub fn link_new(from: &Path, to: &Path) -> Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(Error::io("create", to, error))
        }
        // Another file system, or one without links: copy.
        Err(_) => copy_new(from, to),
    }
}

/// What says a file changed without reading it: its size, its modification time and, where
/// the system has them, its inode and its status-change time, which no tool sets back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct FileFacts {
    /// Bytes.
    pub size: u64,
    /// Modification time: seconds and nanoseconds since 1970.
    pub modified: (i64, u32),
    /// Status-change time, as above (zero where unknown).
    pub changed: (i64, i64),
    /// The inode (zero where unknown).
    pub inode: u64,
}

impl FileFacts {
    /// Whether these are the facts of the same file with the same bytes, as far as facts
    /// tell: its status-change time is left out, as a new link to it changes that.
    pub fn same_bytes_as(&self, other: &FileFacts) -> bool {
        (self.size, self.modified, self.inode) == (other.size, other.modified, other.inode)
    }
}

/// The facts of a file (of what a link leads to).
pub fn facts(path: &Path) -> Result<FileFacts> {
    let metadata = fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
    let modified = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or((0, 0), |since| {
            (since.as_secs() as i64, since.subsec_nanos())
        });
    #[cfg(unix)]
    let (changed, inode) = {
        use std::os::unix::fs::MetadataExt;
        ((metadata.ctime(), metadata.ctime_nsec()), metadata.ino())
    };
    #[cfg(not(unix))]
    let (changed, inode) = ((0, 0), 0);
    Ok(FileFacts {
        size: metadata.len(),
        modified,
        changed,
        inode,
    })
}

/// Writes a file that must be new into a folder that already exists.
pub fn write_new_in_existing(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    create_new(path)?
        .write_all(bytes)
        .map_err(|e| Error::io("write", path, e))
}

/// Copies a file to a path that must be new, in a folder that already exists.
pub fn copy_new(from: &Path, to: &Path) -> Result<()> {
    let (mut source, _) = open_regular(from)?;
    let mut target = create_new(to)?;
    // A failure here is most often the output's disk filling up: name the file written.
    std::io::copy(&mut source, &mut target)
        .map(|_| ())
        .map_err(|e| Error::io("copy", to, e))
}

/// Opens a new file for writing; one that exists already is an error, never replaced.
fn create_new(path: &Path) -> Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io("create", path, e))
}

/// Writes a new file and refuses to replace one that exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::in_file(ErrorKind::AlreadyExists, path),
            _ => Error::io("create", path, e),
        })?;
    file.write_all(bytes)
        .map_err(|e| Error::io("write", path, e))
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path).map_err(|e| Error::io("create", path, e))
}

/// Renames a file or folder.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(|e| Error::io("rename", from, e))
}

/// Swaps two existing paths in one atomic step. `Ok(false)` when this system or
/// file system cannot, so the caller falls back to two renames.
pub fn exchange(a: &Path, b: &Path) -> Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            Err(errno)
                if errno == rustix::io::Errno::INVAL || errno == rustix::io::Errno::NOSYS =>
            {
                Ok(false)
            }
            Err(errno) => Err(Error::io("rename", a, errno.into())),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Removes a folder and everything in it; a missing folder is fine.
pub fn remove_dir_all(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io("remove", path, e)),
        _ => Ok(()),
    }
}

/// A lock on a file, held until dropped (or the process ends, however it ends).
#[derive(Debug)]
pub struct Lock(#[allow(dead_code)] fs::File);

/// Takes an exclusive lock on an existing file or folder; waits while another process
/// holds it. The lock is advisory: it binds only those who take it.
pub fn lock(path: &Path) -> Result<Lock> {
    let file = fs::File::open(path).map_err(|e| Error::io("read", path, e))?;
    file.lock().map_err(|e| Error::io("read", path, e))?;
    Ok(Lock(file))
}

/// Whether a path is a symbolic link (whether or not it leads anywhere).
pub fn is_symlink(path: &Path) -> bool {
    path.is_symlink()
}

/// Whether a path is a regular file, or a link to one.
pub fn is_file(path: &Path) -> bool {
    path.is_file()
}

/// Whether a path is a folder, or a link to one.
pub fn is_dir(path: &Path) -> bool {
    path.is_dir()
}

/// Whether a file or folder exists.
pub fn exists(path: &Path) -> bool {
    path.exists()
}

/// Names of the sub-folders of a folder, sorted; empty when it does not exist.
pub fn subfolder_names(path: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

/// The canonical form of an existing path: absolute, every link resolved.
pub fn resolve(path: &Path) -> Result<std::path::PathBuf> {
    fs::canonicalize(path).map_err(|e| Error::io("read", path, e))
}

/// The canonical form of a path, or the path itself when it does not exist yet.
pub fn canonical(path: &Path) -> std::path::PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Reads a file's bytes.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let (mut file, size) = open_regular(path)?;
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    Ok(bytes)
}

/// Whether a walk goes through symbolic links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Links to files and folders are walked as what they lead to.
    Follow,
    /// Links are met as links, and what they lead to is left alone.
    DontFollow,
}

/// What a file or folder is, as a walk meets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A folder.
    Folder,
    /// Anything else: a link not followed, a named pipe, a socket, a device.
    Other,
}

/// A file or folder a walk has come to, before it is yielded and, for a folder, entered.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    /// Its path: the walked folder's path joined with the names below it.
    pub path: &'a Path,
    /// How far below the walked folder it is: 0 for the folder itself.
    pub depth: usize,
    /// Whether the path itself is a symbolic link, followed or not.
    pub is_link: bool,
}

impl Found<'_> {
    /// Its name, with anything not UTF-8 replaced.
    pub fn name(&self) -> std::borrow::Cow<'_, str> {
        self.path.file_name().unwrap_or_default().to_string_lossy()
    }
}

/// A file or folder a walk yields.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its path: the walked folder's path joined with the names below it.
    pub path: std::path::PathBuf,
    /// How far below the walked folder it is: 0 for the folder itself.
    pub depth: usize,
    /// What it is (what it leads to, when links are followed).
    pub kind: EntryKind,
}

/// Walks a folder: the folder itself, then everything beneath it, each folder's entries in
/// name order, so that every walk of the same files goes the same way. `enter` sees each
/// entry first; what it refuses is not yielded and, for a folder, not entered. An entry that
/// cannot be read, or a link that leads back to a folder it lies in, is an error naming its
/// path, and the walk goes on.
pub fn walk<F>(
    dir: &Path,
    links: Links,
    mut enter: F,
) -> impl Iterator<Item = Result<Entry>> + use<F>
where
    F: FnMut(Found<'_>) -> bool,
{
    let top = dir.to_path_buf();
    walkdir::WalkDir::new(dir)
        .follow_links(links == Links::Follow)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |entry| {
            enter(Found {
                path: entry.path(),
                depth: entry.depth(),
                is_link: entry.path_is_symlink(),
            })
        })
        .map(move |entry| {
            entry
                .map(Entry::from)
                .map_err(|error| walk_error(error, &top))
        })
}

impl From<walkdir::DirEntry> for Entry {
    fn from(entry: walkdir::DirEntry) -> Entry {
        let file_type = entry.file_type();
        let kind = if file_type.is_file() {
            EntryKind::File
        } else if file_type.is_dir() {
            EntryKind::Folder
        } else {
            EntryKind::Other
        };
        Entry {
            depth: entry.depth(),
            kind,
            path: entry.into_path(),
        }
    }
}

fn walk_error(error: walkdir::Error, top: &Path) -> Error {
    let path = error.path().unwrap_or(top).to_path_buf();
    let io = error.into_io_error().unwrap_or_else(|| {
        std::io::Error::other("a symbolic link points back to a folder that contains it")
    });
    Error::io("read", &path, io)
}

/// The paths of the entries of one folder, in no particular order; none when it cannot be
/// read.
pub fn folder_entries(dir: &Path) -> Vec<std::path::PathBuf> {
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{EntryKind, Links, folder_entries, walk};
    use crate::error::ErrorKind;

    fn make(root: &Path, files: &[&str]) {
        for file in files {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, file).unwrap();
        }
    }

    #[test]
    fn a_walk_goes_in_name_order_and_leaves_out_what_it_is_told_to() {
        let dir = tempfile::tempdir().unwrap();
        make(dir.path(), &["b/2.txt", "a.txt", "skip/x.txt", "b/1.txt"]);
        let entries: Vec<(PathBuf, usize, EntryKind)> =
            walk(dir.path(), Links::Follow, |found| found.name() != "skip")
                .map(|entry| entry.unwrap())
                .map(|entry| {
                    let rel = entry.path.strip_prefix(dir.path()).unwrap().to_path_buf();
                    (rel, entry.depth, entry.kind)
                })
                .collect();
        let expected = [
            ("", 0, EntryKind::Folder),
            ("a.txt", 1, EntryKind::File),
            ("b", 1, EntryKind::Folder),
            ("b/1.txt", 2, EntryKind::File),
            ("b/2.txt", 2, EntryKind::File),
        ];
        let expected: Vec<(PathBuf, usize, EntryKind)> = expected
            .iter()
            .map(|(rel, depth, kind)| (PathBuf::from(rel), *depth, *kind))
            .collect();
        assert_eq!(entries, expected);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_back_up_is_an_error_naming_it_and_the_walk_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        make(dir.path(), &["a/z.txt"]);
        std::os::unix::fs::symlink(dir.path(), dir.path().join("a/loop")).unwrap();
        let results: Vec<_> = walk(dir.path(), Links::Follow, |_| true).collect();
        let error = results
            .iter()
            .find_map(|result| result.as_ref().err())
            .expect("the loop is reported");
        assert!(matches!(error.kind, ErrorKind::Io { .. }));
        assert_eq!(
            error.location.as_ref().unwrap().path,
            dir.path().join("a/loop")
        );
        assert!(
            results
                .iter()
                .flatten()
                .any(|entry| entry.path.ends_with("a/z.txt"))
        );
        let unfollowed: Vec<EntryKind> = walk(dir.path(), Links::DontFollow, |_| true)
            .map(|entry| entry.unwrap())
            .filter(|entry| entry.path.ends_with("loop"))
            .map(|entry| entry.kind)
            .collect();
        assert_eq!(unfollowed, [EntryKind::Other]);
    }

    #[test]
    fn a_folder_lists_its_entries_and_a_missing_one_none() {
        let dir = tempfile::tempdir().unwrap();
        make(dir.path(), &["a.txt", "b/c.txt"]);
        let mut entries = folder_entries(dir.path());
        entries.sort();
        assert_eq!(entries, [dir.path().join("a.txt"), dir.path().join("b")]);
        assert!(folder_entries(&dir.path().join("missing")).is_empty());
    }
}
