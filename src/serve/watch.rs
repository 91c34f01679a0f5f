//! Watching the site's sources: events from notify, debounced and sorted into kinds of change.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::CONFIG_FILE;
use crate::fsio;
use crate::load::{CONTENT_DIR, is_ignored};
use crate::project::SOURCES;
use crate::theme::{STATIC_DIR, TEMPLATES_DIR, THEMES_DIR};

/// What a batch of file events means for the site.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes {
    /// `site.yaml` changed: rebuild everything.
    pub config: bool,
    /// A template changed: rebuild everything.
    pub templates: bool,
    /// Static files (theme or site) that changed.
    pub static_files: BTreeSet<PathBuf>,
    /// Content files that changed, were added or removed.
    pub content: BTreeSet<PathBuf>,
}

impl Changes {
    /// Whether nothing of the site changed.
    pub fn is_empty(&self) -> bool {
        !self.config && !self.templates && self.static_files.is_empty() && self.content.is_empty()
    }

    /// Whether only stylesheets changed, so the browser can swap them without a reload.
    pub fn only_css(&self) -> bool {
        !self.config
            && !self.templates
            && self.content.is_empty()
            && !self.static_files.is_empty()
            && self
                .static_files
                .iter()
                .all(|path| path.extension().is_some_and(|ext| ext == "css"))
    }

    /// Sorts one changed path (relative to the root) into the batch.
    pub fn add(&mut self, rel: &Path) {
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if is_ignored(name)
            || rel
                .components()
                .any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.')))
        {
            return;
        }
        let mut parts = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        match parts.next().as_deref() {
            Some(CONFIG_FILE) if rel.components().count() == 1 => self.config = true,
            Some(CONTENT_DIR) => {
                self.content.insert(rel.to_path_buf());
            }
            Some(TEMPLATES_DIR) => self.templates = true,
            Some(STATIC_DIR) => {
                self.static_files.insert(rel.to_path_buf());
            }
            Some(THEMES_DIR) => {
                let _theme = parts.next();
                match parts.next().as_deref() {
                    Some(STATIC_DIR) => {
                        self.static_files.insert(rel.to_path_buf());
                    }
                    _ => self.templates = true,
                }
            }
            _ => {}
        }
    }
}

/// Starts watching a site's sources; events arrive on the returned channel.
pub fn start(
    root: &Path,
) -> notify::Result<(RecommendedWatcher, Receiver<notify::Result<notify::Event>>)> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender)?;
    // The root itself, not recursively: site.yaml, and source folders created later.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for source in SOURCES {
        let path = root.join(source);
        if fsio::is_dir(&path) {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok((watcher, receiver))
}

/// How long the sources must stay quiet before a batch is closed.
const QUIET: Duration = Duration::from_millis(15);
/// The longest a batch may keep growing.
const LONGEST: Duration = Duration::from_millis(400);

/// Waits for the next batch of changes. Editors save in bursts (backup files, renames,
/// several writes), so events are gathered until the sources are quiet for a moment.
/// `None` when the watcher has stopped.
pub fn next_batch(
    receiver: &Receiver<notify::Result<notify::Event>>,
    root: &Path,
    watcher: &mut RecommendedWatcher,
) -> Option<Changes> {
    loop {
        let first = receiver.recv().ok()?;
        let mut changes = Changes::default();
        absorb(first, root, &mut changes, watcher);
        let started = Instant::now();
        loop {
            let left = LONGEST.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match receiver.recv_timeout(QUIET.min(left)) {
                Ok(event) => absorb(event, root, &mut changes, watcher),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        if !changes.is_empty() {
            return Some(changes);
        }
    }
}

fn absorb(
    event: notify::Result<notify::Event>,
    root: &Path,
    changes: &mut Changes,
    watcher: &mut RecommendedWatcher,
) {
    let Ok(event) = event else { return };
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return;
    }
    for path in event.paths {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        // A source folder created after the server started: watch it from now on.
        if rel.components().count() == 1
            && SOURCES.iter().any(|source| rel == Path::new(source))
            && fsio::is_dir(&path)
        {
            let _ = watcher.watch(&path, RecursiveMode::Recursive);
            changes.templates = true;
        }
        changes.add(rel);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::Changes;

    #[test]
    fn sorts_paths_into_kinds_of_change() {
        let mut changes = Changes::default();
        changes.add(Path::new("content/stories/a.md"));
        changes.add(Path::new("content/stories/.a.md.swp"));
        changes.add(Path::new("content/stories/a.md~"));
        changes.add(Path::new("content/stories/4913"));
        changes.add(Path::new("public/index.html"));
        assert_eq!(changes.content.len(), 1);
        assert!(!changes.templates && !changes.config);

        let mut css = Changes::default();
        css.add(Path::new("themes/default/static/style.css"));
        assert!(css.only_css());
        css.add(Path::new("themes/default/templates/base.html"));
        assert!(css.templates && !css.only_css());

        let mut config = Changes::default();
        config.add(Path::new("site.yaml"));
        assert!(config.config);
    }
}
