//! What the preview server holds: the last good site in memory, the current build error,
//! and the browsers listening for reload events.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, RwLock};

/// A rendered page kept in memory, with its ETag.
#[derive(Debug, Clone)]
pub struct Page {
    /// The bytes as built.
    pub bytes: Arc<[u8]>,
    /// A strong validator of the bytes.
    pub etag: String,
}

/// Rendered files by output path (`plans/x/index.html`). A persistent map: each rebuild
/// hands the server a copy with a few pages changed, which costs a few pages, not a copy
/// of all 10,000 entries as a `std` map would.
pub type Pages = imbl::HashMap<String, Page>;

/// One good build of the site, served from memory.
#[derive(Debug, Default)]
pub struct Preview {
    /// Rendered files by output path.
    pub pages: Pages,
    /// Files served straight from the sources, by output path.
    pub copies: Arc<HashMap<String, PathBuf>>,
    /// The site path (`/stories/x/`) of each content file, by its path on disk.
    pub urls_by_source: Arc<HashMap<PathBuf, String>>,
    /// The site's folder, in canonical form: no copy is served from outside it.
    pub root: PathBuf,
    /// The content folder as the copies' sources name it.
    pub content: PathBuf,
}

/// A quoted ETag from the bytes' hash.
pub fn etag_of(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("\"{:016x}-{}\"", hasher.finish(), bytes.len())
}

/// When this server process started, in milliseconds since 1970.
static SERVER_STARTED: std::sync::LazyLock<u128> = std::sync::LazyLock::new(|| {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis())
});

/// A message for the browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The SSE event name: `hello`, `reload`, `css`, `build-error`.
    pub name: &'static str,
    /// JSON data.
    pub data: String,
}

/// Everything the server threads share.
#[derive(Debug, Default)]
pub struct State {
    preview: RwLock<Arc<Preview>>,
    search: RwLock<Arc<HashMap<String, Page>>>,
    error: RwLock<Option<String>>,
    clients: Mutex<Vec<Sender<Event>>>,
    build: AtomicU64,
}

impl State {
    /// The site being served.
    pub fn preview(&self) -> Arc<Preview> {
        self.preview
            .read()
            .map(|p| Arc::clone(&p))
            .unwrap_or_default()
    }

    /// The search index files, built apart from the pages so an edit is not kept waiting.
    pub fn search_files(&self) -> Arc<HashMap<String, Page>> {
        self.search
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_default()
    }

    /// Replaces the search index files.
    pub fn publish_search(&self, files: Vec<crate::output::OutputFile>) {
        let pages = files
            .into_iter()
            .map(|file| {
                let etag = etag_of(&file.bytes);
                (
                    file.path,
                    Page {
                        bytes: file.bytes.into(),
                        etag,
                    },
                )
            })
            .collect();
        if let Ok(mut slot) = self.search.write() {
            *slot = Arc::new(pages);
        }
    }

    /// The current build error, as plain text.
    pub fn error(&self) -> Option<String> {
        self.error.read().ok().and_then(|e| e.clone())
    }

    /// Names the last build, good or bad. It carries the server's start time, so that a
    /// browser reconnecting to a restarted server sees a new name and reloads.
    pub fn build_id(&self) -> String {
        format!("{}-{}", *SERVER_STARTED, self.build.load(Ordering::SeqCst))
    }

    /// Puts a good build in place and clears any error.
    pub fn publish(&self, preview: Preview) {
        if let Ok(mut slot) = self.preview.write() {
            *slot = Arc::new(preview);
        }
        if let Ok(mut error) = self.error.write() {
            *error = None;
        }
        self.build.fetch_add(1, Ordering::SeqCst);
    }

    /// Records a failed build; the last good site stays.
    pub fn fail(&self, message: String) {
        if let Ok(mut error) = self.error.write() {
            *error = Some(message);
        }
        self.build.fetch_add(1, Ordering::SeqCst);
    }

    /// Adds a browser to notify.
    pub fn subscribe(&self, client: Sender<Event>) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.push(client);
        }
    }

    /// Sends an event to every browser, forgetting those that went away.
    pub fn broadcast(&self, event: Event) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|client| client.send(event.clone()).is_ok());
        }
    }

    /// The greeting a browser gets on connecting: the build number and any error.
    pub fn hello(&self) -> Event {
        Event {
            name: "hello",
            data: serde_json::json!({ "build": self.build_id(), "error": self.error() })
                .to_string(),
        }
    }
}
