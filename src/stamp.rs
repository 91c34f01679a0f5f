//! Build stamps: a build whose inputs have not changed since the last one into the same
//! folder, and whose output is still all there, has nothing to do. The stamp lives in
//! `.herald-cache/`, never in the published folder.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::fsio::{self, Found, Links};
use crate::load::leads_inside;
use crate::project::{BuildOptions, SOURCES};

/// A fingerprint of everything a build reads: file names, sizes and times, the options,
/// "today", and the herald binary itself.
pub fn fingerprint(options: &BuildOptions, today: chrono::NaiveDate) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    if let Ok(exe) = std::env::current_exe() {
        fsio::facts(&exe).ok().hash(&mut hasher);
    }
    (options.drafts, &options.base_url, today).hash(&mut hasher);
    let site = fsio::canonical(&options.root);
    for input in SOURCES {
        // Links are followed as the build follows them: only those that stay in the site.
        let inside = |found: Found| !found.is_link || leads_inside(&site, found.path);
        for entry in fsio::walk(&options.root.join(input), Links::Follow, inside).flatten() {
            entry.path.hash(&mut hasher);
            fsio::facts(&entry.path).ok().hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// Where the stamp of builds into `output` is kept.
fn stamp_path(root: &Path, output: &Path) -> PathBuf {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    fsio::canonical(output).hash(&mut hasher);
    root.join(".herald-cache")
        .join("builds")
        .join(format!("{:016x}.txt", hasher.finish()))
}

/// Whether the last build into `output` had these inputs and all its files are still there.
pub fn up_to_date(root: &Path, output: &Path, fingerprint: u64) -> bool {
    let Ok(text) = fsio::read_text(&stamp_path(root, output)) else {
        return false;
    };
    let mut lines = text.lines();
    if lines.next() != Some(format!("{fingerprint:016x}").as_str()) {
        return false;
    }
    lines.all(|file| fsio::is_file(&output.join(file)))
}

/// Records a finished build: its fingerprint and the files it wrote.
pub fn record(root: &Path, output: &Path, fingerprint: u64, files: impl Iterator<Item = String>) {
    let mut text = format!("{fingerprint:016x}\n");
    for file in files {
        text.push_str(&file);
        text.push('\n');
    }
    // A stamp that cannot be written only costs the next build its shortcut.
    let _ = fsio::write(&stamp_path(root, output), text.as_bytes());
}
