//! What a build puts into the output folder: files made in memory and files copied from
//! disk. Rendering, the search index and image processing make them; writing takes them.

use std::path::PathBuf;

use crate::error::Error;

/// A file to write, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// `plans/x/index.html`
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Receives each rendered file as soon as it is made, from any thread: writes it,
/// keeps it or counts it. An error stops the rendering.
pub type Sink<'a> = &'a (dyn Fn(OutputFile) -> Result<(), Error> + Sync);

/// A file to copy into the output: an absolute source and a path relative to the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyFile {
    /// Where it is.
    pub from: PathBuf,
    /// Where it goes, relative to the output folder.
    pub to: String,
}
