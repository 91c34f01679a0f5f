//! What a build starts from: the site's folder and what it is asked to do.

use std::path::PathBuf;

use chrono::NaiveDate;

/// What a build or check is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's root folder.
    pub root: PathBuf,
    /// Where to write; `root/public` when not given.
    pub output: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// "Today"; the real today in the site's time zone when not given.
    pub now: Option<NaiveDate>,
}
