//! Stage 5, write: build the new output beside the old one, then swap it in, so a failed
//! or interrupted build never leaves a half-written site.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};
use crate::fsio;
use crate::output_path::OutputPath;
use crate::project::SOURCES;

/// Refuses an output folder that is the root, holds the root, or lies inside a source folder.
pub fn check_output(root: &Path, output: &Path) -> Result<()> {
    let root = fsio::canonical(root);
    let output_full = absolute(output);
    let unsafe_output = output_full == root
        || root.starts_with(&output_full)
        || SOURCES
            .iter()
            .any(|source| output_full.starts_with(fsio::canonical(&root.join(source))));
    if unsafe_output {
        return Err(Error::new(ErrorKind::UnsafeOutput {
            output: output.to_path_buf(),
        }));
    }
    Ok(())
}

/// The absolute, symlink-resolved form of a path whose last parts may not exist yet.
fn absolute(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !fsio::exists(&existing) {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let base = if existing.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        existing
    };
    let mut full = fsio::canonical(&base);
    for part in rest.into_iter().rev() {
        full.push(part);
    }
    full
}

/// A new output being written beside the old one. Files go in as they are
/// rendered, from any thread; `finish` swaps the whole folder in, and dropping it
/// unfinished removes it, so the old output stays as it was.
pub struct Staging {
    output: PathBuf,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    /// Folders made so far: a file going into one of them is written straight away,
    /// without first trying and failing (a lookup in a folder of maybe 25,000 entries).
    folders: Mutex<HashSet<PathBuf>>,
    finished: bool,
    /// Held until the staging folder is swapped in or removed.
    _lock: fsio::Lock,
}

impl Staging {
    /// Clears what killed builds left and makes an empty staging folder. Builds into one
    /// output take turns: a second waits until the first is done.
    pub fn begin(output: &Path) -> Result<Staging> {
        // An output that is a link (to a web server's folder, say) stays a link: the
        // new site goes where it leads.
        let linked;
        let output = if fsio::is_symlink(output) {
            linked = fsio::resolve(output)?;
            linked.as_path()
        } else {
            output
        };
        if fsio::exists(output) && !fsio::is_dir(output) {
            return Err(Error::in_file(ErrorKind::OutputNotFolder, output));
        }
        let parent = match output.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = output
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        fsio::create_dir_all(&parent)?;
        // On the folder that holds the output, so that no file is left beside it.
        let lock = fsio::lock(&parent)?;
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.herald-new-{}", std::process::id()));
        fsio::remove_dir_all(&dir)?;
        fsio::create_dir_all(&dir)?;
        Ok(Staging {
            output: output.to_path_buf(),
            parent,
            name,
            dir,
            folders: Mutex::new(HashSet::new()),
            finished: false,
            _lock: lock,
        })
    }

    /// Writes one file. It must be new: nothing in one build's output is written twice.
    pub fn write(&self, path: &OutputPath, bytes: &[u8]) -> Result<()> {
        let path = path.within(&self.dir);
        self.in_place(&path, |path| fsio::write_new_in_existing(path, bytes))
    }

    /// Copies one file in.
    pub fn copy(&self, from: &Path, to: &OutputPath) -> Result<()> {
        let path = to.within(&self.dir);
        self.in_place(&path, |path| fsio::copy_new(from, path))
    }

    /// Links one file in (copies it where links cannot be made): for herald's own cached
    /// files, which are replaced, never changed in place.
    pub fn link(&self, from: &Path, to: &OutputPath) -> Result<()> {
        let path = to.within(&self.dir);
        self.in_place(&path, |path| fsio::link_new(from, path))
    }

    /// Runs a write, making the file's folder when it is missing, and names a
    /// failed file where the author will look for it, not in the staging folder.
    fn in_place(&self, path: &Path, put: impl Fn(&Path) -> Result<()>) -> Result<()> {
        let folder = path.parent().unwrap_or(&self.dir);
        let folders = || self.folders.lock().unwrap_or_else(|e| e.into_inner());
        let result = if folders().contains(folder) {
            put(path)
        } else {
            // Another thread may be making the same folder at this very moment, which
            // `create_dir_all` takes in its stride.
            fsio::create_dir_all(folder).and_then(|()| {
                folders().insert(folder.to_path_buf());
                put(path)
            })
        };
        result.map_err(|mut error| {
            if let Some(location) = &mut error.location
                && let Ok(rest) = location.path.strip_prefix(&self.dir)
            {
                location.path = self.output.join(rest);
            }
            error
        })
    }

    /// Swaps the written folder in as the output.
    pub fn finish(mut self) -> Result<()> {
        self.finished = true;
        swap_in(&self.dir, &self.output, &self.parent, &self.name)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fsio::remove_dir_all(&self.dir);
        }
    }
}

/// Clears what killed builds left: staging folders go; an old output set aside by
/// the two-rename fallback is put back when the swap never finished.
fn remove_leftovers(parent: &Path, name: &str) {
    let new_prefix = format!(".{name}.herald-new-");
    let old_prefix = format!(".{name}.herald-old-");
    let output = parent.join(name);
    for path in fsio::folder_entries(parent) {
        let file_name = path.file_name().unwrap_or_default().to_string_lossy();
        if file_name.starts_with(&old_prefix)
            && !fsio::exists(&output)
            && fsio::rename(&path, &output).is_ok()
        {
            continue;
        }
        if file_name.starts_with(&new_prefix) || file_name.starts_with(&old_prefix) {
            let _ = fsio::remove_dir_all(&path);
        }
    }
}

/// Puts the staging folder in the output's place. Where the system can swap two
/// folders atomically, a kill at any moment leaves either the old or the new
/// output whole; elsewhere the old one is set aside first and put back by the
/// next build if the kill falls between the two renames.
fn swap_in(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<()> {
    if !fsio::exists(output) {
        return fsio::rename(staging, output);
    }
    if fsio::exchange(staging, output)? {
        // The staging name now holds the old output.
        return fsio::remove_dir_all(staging);
    }
    let old = parent.join(format!(".{name}.herald-old-{}", std::process::id()));
    fsio::remove_dir_all(&old)?;
    fsio::rename(output, &old)?;
    if let Err(error) = fsio::rename(staging, output) {
        let _ = fsio::rename(&old, output);
        return Err(error);
    }
    fsio::remove_dir_all(&old)
}

#[cfg(test)]
mod tests {
    use super::{Staging, check_output};
    use std::path::Path;

    use crate::output::{CopyFile, OutputFile};
    use crate::output_path::OutputPath;

    /// A whole build's writing: every file into a staging folder, then the swap.
    fn write_site(output: &Path, files: &[OutputFile], copies: &[CopyFile]) {
        let staging = Staging::begin(output).unwrap();
        let parse = |path: &str| OutputPath::parse(path).unwrap();
        files
            .iter()
            .for_each(|file| staging.write(&parse(&file.path), &file.bytes).unwrap());
        copies
            .iter()
            .for_each(|copy| staging.copy(&copy.from, &parse(&copy.to)).unwrap());
        staging.finish().unwrap();
    }

    #[test]
    fn replaces_the_old_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(output.join("gone")).unwrap();
        std::fs::write(output.join("gone/index.html"), "old").unwrap();
        let files = vec![OutputFile {
            path: "plans/a/index.html".into(),
            bytes: b"new".to_vec(),
        }];
        write_site(&output, &files, &[]);
        assert_eq!(
            std::fs::read_to_string(output.join("plans/a/index.html")).unwrap(),
            "new"
        );
        assert!(!output.join("gone").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder is left behind");
    }

    #[test]
    fn leftovers_of_a_killed_build_are_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(dir.path().join(".public.herald-new-99999/plans")).unwrap();
        std::fs::create_dir_all(dir.path().join(".public.herald-old-99998")).unwrap();
        write_site(&output, &[], &[]);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["public".to_string()]);
    }

    #[test]
    fn an_old_output_set_aside_by_a_killed_swap_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let set_aside = dir.path().join(".public.herald-old-99998");
        std::fs::create_dir_all(&set_aside).unwrap();
        std::fs::write(set_aside.join("index.html"), "previous").unwrap();
        super::remove_leftovers(dir.path(), "public");
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).unwrap(),
            "previous"
        );
        assert!(!set_aside.exists());
    }

    #[test]
    fn refuses_to_build_over_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output(root, root).is_err());
        assert!(check_output(root, &root.join("content")).is_err());
        assert!(check_output(root, &root.join("content/x")).is_err());
        assert!(check_output(root, &root.join("static")).is_err());
        for source in crate::project::SOURCES {
            assert!(check_output(root, &root.join(source)).is_err(), "{source}");
        }
        assert!(check_output(root, root.parent().unwrap()).is_err());
        assert!(check_output(root, &root.join("public")).is_ok());
    }
}
